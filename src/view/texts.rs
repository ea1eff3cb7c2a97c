//! The long texts that only some panels show (the Legend panel's, the help
//! sheet's, the Setup panel's explanations of the options): they live in
//! `www/panel-texts.txt` beside the page, fetched when one of them is first
//! shown (`ui::texts`), instead of in the page's wasm. This file reads that
//! text: a line `@@ name` starts a section, and a section's lines are joined
//! without line breaks (markup, as the page shows it).

/// Where the texts are, beside the page (index.html copies them there).
pub const URL: &str = "panel-texts.txt";

/// The sections, by name, in the file's order.
#[derive(Debug, Default, PartialEq)]
pub struct Texts(Vec<(String, String)>);

impl Texts {
    /// Reads the file: lines before the first `@@ ` line are a comment.
    pub fn parse(text: &str) -> Texts {
        let mut out: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            match (line.strip_prefix("@@ "), out.last_mut()) {
                (Some(name), _) => out.push((name.trim().to_string(), String::new())),
                (None, Some((_, body))) => body.push_str(line),
                (None, None) => {}
            }
        }
        Texts(out)
    }

    /// The section `name`, or "" when the file has none.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(n, _)| n == name).map_or("", |(_, t)| t)
    }

    /// The section `what name`, or "": `keyed("switch", "pre_vote")` (what
    /// an option of the engine does), `keyed("note", "VoteReply")` (how to
    /// read a message kind's glyph), `keyed("event", "election")` (what a
    /// kind of event covers, by its CSS name).
    pub fn keyed(&self, what: &str, name: &str) -> &str {
        let is = |n: &str| n.strip_prefix(what).and_then(|n| n.strip_prefix(' ')) == Some(name);
        self.0.iter().find(|(n, _)| is(n)).map_or("", |(_, t)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_join_their_lines_and_the_head_is_a_comment() {
        let t = Texts::parse("a comment\n@@ one\n<p>a</p>\n<p>b</p>\n@@ switch pre_vote\nasks first\n@@ empty\n");
        assert_eq!(t.get("one"), "<p>a</p><p>b</p>");
        assert_eq!(t.keyed("switch", "pre_vote"), "asks first");
        assert_eq!(t.get("empty"), "");
        assert_eq!(t.get("a comment"), "");
        assert_eq!(t.keyed("switch", "one"), "");
        assert_eq!(t.keyed("switc", "h pre_vote"), "");
    }
}

#[cfg(test)]
mod file {
    use super::*;

    /// The file the page fetches has every section the page asks for.
    #[test]
    fn the_page_s_file_has_every_section_it_shows() {
        let t = Texts::parse(include_str!("../../www/panel-texts.txt"));
        for name in [
            "legend-servers",
            "legend-members",
            "legend-terms",
            "legend-messages",
            "legend-logs",
            "legend-client",
            "help",
        ] {
            assert!(t.get(name).starts_with('<'), "{name}: {:?}", t.get(name));
        }
        assert!(t.get("help").contains("inspect the next / previous message"));
        assert!(t.get("legend-servers").contains("received so far / needed to win"));
        let used = [
            ("client", "write"),
            ("client", "read"),
            ("client", "note"),
            ("state", "note"),
            ("network", "note"),
            ("menu", "crash"),
            ("menu", "restart"),
            ("menu", "reconnect"),
            ("menu", "disconnect"),
            ("menu", "timeout"),
            ("menu", "transfer"),
            ("menu", "write"),
            ("inspector", "drop"),
            ("inspector", "duplicate"),
            ("setup", "snapshot"),
            ("setup", "whatif"),
            ("preset", "0"),
            ("preset", "1"),
            ("preset", "2"),
        ];
        for (what, name) in used {
            assert!(!t.keyed(what, name).is_empty(), "{what} {name}");
        }
        assert_eq!(crate::view::setup::PRESETS.len(), 3);
        for s in crate::sim::SWITCHES {
            assert!(t.keyed("switch", s.name).ends_with('.'), "{}: {:?}", s.name, t.keyed("switch", s.name));
        }
        for &k in crate::view::theme::EVENT_KINDS.iter() {
            let css = crate::view::theme::event_icon(k).1;
            assert!(!t.keyed("event", css).is_empty(), "the legend says what {css} events are");
        }
        // A note on reading the glyph of each kind whose glyph has a mark.
        for k in ["VoteReply", "PreVoteReply", "AppendEntries", "AppendReply", "ClientReply", "PreVote", "ClientRead"] {
            assert!(!t.keyed("note", k).is_empty(), "{k}");
        }
    }
}
