//! The address's settings for embedding (issue 11, docs/embedding.md):
//! `embed=1` (minimal chrome), `theme=light|dark|auto`, `panels=` (which
//! tabs show), `controls=` (which of the toolbar's controls show) and
//! `origin=` (the one parent origin that may drive the page by
//! `postMessage`; `www/bridge.js` enforces it and reads it from the address
//! itself). Checked here like the other settings ([`super::args`]), each bad
//! value named; the page applies them once at the start as attributes of
//! `<html>` and a few style rules ([`Embedding::css`]), so no component
//! knows about them.

use super::args::brief;
use super::model::Tab;

/// The controls `controls=` names, with the selector of each. `timeline` is
/// time travel's strip (`.tl`), hidden or shown once the page has one.
pub const CONTROLS: [(&str, &str); 9] = [
    ("title", ".title"),
    ("play", ".play"),
    ("step", ".step-btn"),
    ("speed", ".speed"),
    ("time", ".clock"),
    ("seed", ".seed"),
    ("safety", ".badge"),
    ("help", ".help-btn"),
    ("timeline", ".tl"),
];

/// The controls an embedded page shows unless `controls=` says otherwise:
/// all but the title and the help button.
const EMBED_CONTROLS: [&str; 7] = ["play", "step", "speed", "time", "seed", "safety", "timeline"];

/// How the address asks the page to look.
#[derive(Clone, PartialEq, Debug)]
pub struct Embedding {
    /// `embed=1`: minimal chrome (no title, no help button, no tip line; only
    /// the panels asked for).
    pub embed: bool,
    /// `"light"` or `"dark"`; `None` follows the system (`theme=auto`, the default).
    pub theme: Option<&'static str>,
    /// The tabs shown, in the tab bar's order; none: the ring alone.
    pub panels: Vec<Tab>,
    /// The controls shown (names from [`CONTROLS`]).
    pub controls: Vec<&'static str>,
    /// `origin=`: the parent origin allowed to drive the page, as given when valid.
    pub origin: Option<String>,
}

impl Embedding {
    /// Reads `embed=`, `theme=`, `panels=`, `controls=` and `origin=` through
    /// `get`, adding each bad value to `problems` with what it should be
    /// (the rest applies). `lesson`: the address opens a lesson, so an
    /// embedded page shows the Lessons panel unless `panels=` says otherwise.
    /// `scenario=` and `script=` are named as not supported yet.
    pub fn read(get: impl Fn(&str) -> Option<String>, lesson: bool, problems: &mut Vec<String>) -> Embedding {
        let embed = match get("embed").as_deref().map(str::trim) {
            None | Some("0" | "false" | "no") => false,
            Some("" | "1" | "true" | "yes") => true,
            Some(v) => {
                problems.push(format!("embed={} (use embed=1)", brief(v)));
                false
            }
        };
        let theme = match get("theme").as_deref().map(str::trim) {
            None | Some("auto") => None,
            Some("light") => Some("light"),
            Some("dark") => Some("dark"),
            Some(v) => {
                problems.push(format!("theme={} (use light, dark or auto)", brief(v)));
                None
            }
        };
        let all_tabs: Vec<&'static str> = Tab::ALL.iter().map(|t| t.id()).collect();
        let default_tabs: &[&str] = match (embed, lesson) {
            (false, _) => &all_tabs,
            (true, true) => &["lessons"],
            (true, false) => &[],
        };
        let panels = names("panels", get("panels"), &all_tabs, default_tabs, problems);
        let all_controls: Vec<&'static str> = CONTROLS.iter().map(|c| c.0).collect();
        let default_controls: &[&str] = if embed { &EMBED_CONTROLS } else { &all_controls };
        let controls = names("controls", get("controls"), &all_controls, default_controls, problems);
        let origin = get("origin").and_then(|o| match origin_problem(&o) {
            None => Some(o),
            Some(why) => {
                problems.push(format!("origin={} ({why}; no parent page may drive this one)", brief(&o)));
                None
            }
        });
        for key in ["scenario", "script"] {
            if let Some(v) = get(key) {
                problems.push(format!("{key}={} (scenario scripts do not run in this page yet)", brief(&v)));
            }
        }
        let panels = Tab::ALL.into_iter().filter(|t| panels.contains(&t.id())).collect();
        Embedding { embed, theme, panels, controls, origin }
    }

    /// The style rules that hide the panels and controls not shown (empty
    /// when everything shows). Without panels the ring takes the whole width.
    pub fn css(&self) -> String {
        let mut hidden: Vec<String> = Vec::new();
        if self.panels.is_empty() {
            hidden.push(".side".into());
        }
        for t in Tab::ALL.into_iter().filter(|t| !self.panels.is_empty() && !self.panels.contains(t)) {
            hidden.push(format!(".tab-{}", t.id()));
            if t == Tab::Logs {
                hidden.push(".logs-region".into());
            }
        }
        hidden.extend(CONTROLS.iter().filter(|c| !self.controls.contains(&c.0)).map(|c| c.1.to_string()));
        let mut css = String::new();
        if !hidden.is_empty() {
            css = format!("{}{{display:none!important}}", hidden.join(","));
        }
        if self.panels.is_empty() {
            css += ".main{grid-template-columns:minmax(0,1fr)!important;grid-template-rows:minmax(0,1fr)!important}";
        }
        css
    }

    /// The tab to open at the start when the page's first one (`open`) is
    /// hidden: the first one shown.
    pub fn tab_to_open(&self, open: Tab) -> Option<Tab> {
        (!self.panels.contains(&open)).then(|| self.panels.first().copied()).flatten()
    }
}

/// A comma-separated list of names from `known` (`panels=logs,events`),
/// in any order; an unknown name is named in `problems`. Left out, or
/// naming nothing known, it is `default`; given empty (`panels=`), nothing.
fn names(
    key: &str,
    value: Option<String>,
    known: &[&'static str],
    default: &[&str],
    problems: &mut Vec<String>,
) -> Vec<&'static str> {
    let keep = |list: &[&str]| known.iter().copied().filter(|k| list.contains(k)).collect::<Vec<_>>();
    let Some(value) = value else { return keep(default) };
    let items: Vec<&str> = value.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let unknown: Vec<&str> = items.iter().copied().filter(|s| !known.contains(s)).collect();
    if !unknown.is_empty() {
        problems.push(format!(
            "{key}={} (unknown: {}; use {})",
            brief(&value),
            brief(&unknown.join(", ")),
            known.join(", ")
        ));
    }
    if !items.is_empty() && unknown.len() == items.len() {
        return keep(default);
    }
    keep(&items)
}

/// What is wrong with `o` as an origin as browsers write one (`event.origin`):
/// `http` or `https`, `://`, a host in lower case, an optional port other
/// than the scheme's default, and nothing after it. `None`: nothing.
pub fn origin_problem(o: &str) -> Option<&'static str> {
    let (default_port, rest) = if let Some(rest) = o.strip_prefix("https://") {
        ("443", rest)
    } else if let Some(rest) = o.strip_prefix("http://") {
        ("80", rest)
    } else {
        return Some("it must start with https:// or http://");
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (rest, None),
    };
    let name = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-';
    let v6 = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b':';
    let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(inner) => !inner.is_empty() && inner.bytes().all(v6),
        None => !host.is_empty() && host.bytes().all(name),
    };
    if !host_ok {
        return Some("write it as browsers do: the scheme, the host in lower case, the port, no path");
    }
    match port {
        Some(p) if p == default_port => Some("leave out the scheme's default port, as browsers do"),
        Some(p) if p.starts_with('0') || !matches!(p.parse::<u32>(), Ok(1..=65535)) => {
            Some("the port must be a number from 1 to 65535")
        }
        _ => None,
    }
}
