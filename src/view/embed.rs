//! The address's settings for embedding (issue 11, docs/embedding.md):
//! `embed=1` (minimal chrome), `theme=light|dark|auto`, `panels=` (which
//! tabs show), `controls=` (which of the toolbar's controls show) and
//! `origin=` (the one parent origin that may drive the page by
//! `postMessage`; `www/bridge.js` enforces it and reads it from the address
//! itself). Checked here like the other settings ([`super::args`]), each bad
//! value named; the page applies them once at the start as attributes of
//! `<html>` ([`Embedding::attributes`]) that www/style.css reads, so no
//! component knows about them.

use super::args::brief;
use super::model::Tab;

/// The controls `controls=` names (www/style.css hides each one left out):
/// the title, play / pause, step, the speed slider, the virtual time, the
/// seed, the safety badge, the help button, and time travel's strip once the
/// page has one.
pub const CONTROLS: [&str; 9] = ["title", "play", "step", "speed", "time", "seed", "safety", "help", "timeline"];

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
    /// The controls shown, in [`CONTROLS`]' order.
    pub controls: Vec<&'static str>,
    /// `origin=`: the parent origin allowed to drive the page, when valid.
    pub origin: Option<String>,
}

impl Embedding {
    /// Reads `embed=`, `theme=`, `panels=`, `controls=` and `origin=` through
    /// `get`, adding each bad value to `problems` with what it should be
    /// (the rest applies). `lesson`: the address opens a lesson, so an
    /// embedded page shows the Lessons panel unless `panels=` says otherwise.
    /// `scenario=` and `script=` are named as not supported yet.
    pub fn read(get: impl Fn(&str) -> Option<String>, lesson: bool, problems: &mut Vec<String>) -> Embedding {
        let mut bad = |key: &str, v: &str, hint: &str| problems.push(format!("{key}={} ({hint})", brief(v)));
        let embed = match get("embed").as_deref().map(str::trim) {
            None | Some("0" | "false" | "no") => false,
            Some("" | "1" | "true" | "yes") => true,
            Some(v) => {
                bad("embed", v, "use embed=1");
                false
            }
        };
        let theme = match get("theme").as_deref().map(str::trim) {
            None | Some("auto") => None,
            Some("light") => Some("light"),
            Some("dark") => Some("dark"),
            Some(v) => {
                bad("theme", v, "use light, dark or auto");
                None
            }
        };
        let all_tabs = Tab::ALL.map(Tab::id);
        let panels =
            get("panels").and_then(|v| names(&v, &all_tabs, &mut bad, "panels")).unwrap_or(match (embed, lesson) {
                (false, _) => all_tabs.to_vec(),
                (true, true) => vec!["lessons"],
                (true, false) => Vec::new(),
            });
        let controls = get("controls")
            .and_then(|v| names(&v, &CONTROLS, &mut bad, "controls"))
            .unwrap_or_else(|| (if embed { &EMBED_CONTROLS[..] } else { &CONTROLS[..] }).to_vec());
        let origin = get("origin").filter(|o| {
            let ok = is_origin(o);
            if !ok {
                bad("origin", o, "an origin as browsers write it, such as https://course.example: no path, no default port; no page may drive this one");
            }
            ok
        });
        for key in ["scenario", "script"] {
            if let Some(v) = get(key) {
                bad(key, &v, "scenario scripts do not run in this page yet");
            }
        }
        let panels = Tab::ALL.into_iter().filter(|t| panels.contains(&t.id())).collect();
        let controls = CONTROLS.into_iter().filter(|c| controls.contains(c)).collect();
        Embedding { embed, theme, panels, controls, origin }
    }

    /// The attributes the page sets on `<html>` (www/style.css does the
    /// rest): `data-embed`, `data-theme`, and the panels and controls shown
    /// (`data-panels="logs events"`), those only when some are left out.
    pub fn attributes(&self) -> Vec<(&'static str, String)> {
        let mut a = Vec::new();
        if self.embed {
            a.push(("data-embed", "1".into()));
        }
        if let Some(t) = self.theme {
            a.push(("data-theme", t.into()));
        }
        if self.panels.len() < Tab::ALL.len() {
            a.push(("data-panels", words(" ", self.panels.iter().map(|t| t.id()))));
        }
        if self.controls.len() < CONTROLS.len() {
            a.push(("data-controls", words(" ", self.controls.iter().copied())));
        }
        a
    }

    /// The tab to open at the start when the page's first one (`open`) is
    /// hidden: the first one shown.
    pub fn tab_to_open(&self, open: Tab) -> Option<Tab> {
        (!self.panels.contains(&open)).then(|| self.panels.first().copied()).flatten()
    }
}

/// Names separated by `sep` (by spaces: an attribute that CSS reads with `~=`).
fn words<'a>(sep: &str, names: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for n in names {
        if !s.is_empty() {
            s.push_str(sep);
        }
        s.push_str(n);
    }
    s
}

/// A comma-separated list of names from `known` (`panels=logs,events`);
/// unknown names are named through `bad`. `None` (the default applies)
/// when it names nothing known but something else; given empty, nothing.
/// (Loops rather than `join` and iterator chains: fewer bytes on the page.)
fn names(
    value: &str,
    known: &[&'static str],
    bad: &mut impl FnMut(&str, &str, &str),
    key: &str,
) -> Option<Vec<&'static str>> {
    let (mut shown, mut unknown, mut any) = (Vec::new(), false, false);
    for item in value.split(',') {
        let item = item.trim();
        any |= !item.is_empty();
        match known.iter().find(|k| **k == item) {
            Some(k) => shown.push(*k),
            None => unknown |= !item.is_empty(),
        }
    }
    if unknown {
        bad(key, value, &format!("use {}", words(", ", known.iter().copied())));
    }
    (!any || !shown.is_empty()).then_some(shown)
}

/// Whether `o` is an origin as browsers write one (`event.origin`): `http`
/// or `https`, `://`, a host in lower case (a name, or an IPv6 address in
/// brackets), an optional port other than the scheme's default, nothing
/// after it.
pub fn is_origin(o: &str) -> bool {
    let (default_port, rest) = match (o.strip_prefix("https://"), o.strip_prefix("http://")) {
        (Some(rest), _) => (":443", rest),
        (_, Some(rest)) => (":80", rest),
        _ => return false,
    };
    let (host, port) = match rest.rfind(':').filter(|&i| !rest[i..].contains(']')) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let port_ok = port.is_empty()
        || (port != default_port
            && (2..=6).contains(&port.len())
            && !port[1..].starts_with('0')
            && port[1..].bytes().all(|b| b.is_ascii_digit())
            && (port.len() < 6 || port[1..] <= *"65535"));
    let v6 = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b':';
    let name = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-';
    let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(inner) => !inner.is_empty() && inner.bytes().all(v6),
        None => !host.is_empty() && host.bytes().all(name),
    };
    port_ok && host_ok
}
