//! The live pseudocode panel's logic: Raft's rules as text (`www/pseudocode.txt`,
//! fetched by the page when the panel first opens, so none of it weighs in the
//! wasm), parsed here; and which of its lines an event or a delivered message
//! ran, with the values they compared ("candidate lastLogTerm 1 < my
//! lastLogTerm 2: false").
//!
//! The format (docs/pseudocode.md): `#` comments and blank lines are skipped;
//! `procedure <key> [option]...: <title>` opens a procedure, `cite <where>` and
//! `why <paragraph>` describe it (several `why` lines join into one
//! paragraph), and `line <id> [option]... | <code>` adds a line whose id
//! starts with `<key>.`; the code keeps its leading spaces (the nesting).
//! An option tag shows the procedure or line only while that option is on.
//!
//! The mapping reads the trace ([`EventData`]) and, where the event does not
//! carry a value the rule compared (the candidate's last log entry, the
//! leader's prevLogTerm), the message that caused it, when the caller has it.

use crate::quote::Quoted;
use crate::raft::{Body, Message, ReadHow, Settings};
use crate::sim::{EventData, ReadMode};
use std::fmt;

/// The option tags a procedure or line may carry. Each is on when the
/// engine's setting of the same name is (see [`options_on`]); `transfer` is
/// always on (leadership transfer needs no setting).
pub const OPTIONS: [&str; 9] = [
    "pre_vote",
    "check_quorum",
    "read_index",
    "lease",
    "transfer",
    "exactly_once",
    "fast_backup",
    "membership",
    "compaction",
];

/// The pseudocode: its procedures in the file's order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Pseudocode {
    /// The procedures, as the file lists them.
    pub procedures: Vec<Procedure>,
    /// Which lines each event or message ran: the `light` lines, in the file's order.
    pub rules: Vec<Rule>,
}

/// One procedure: a box of the panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Procedure {
    /// The short key its line ids start with (`rv`).
    pub key: String,
    /// Its heading ("RequestVote receiver").
    pub title: String,
    /// Options it needs (shown only while one of them is on); empty: always shown.
    pub options: Vec<String>,
    /// Where the paper or thesis says it ("paper §5.1, §5.4.1").
    pub cite: String,
    /// Why it is so: one paragraph.
    pub why: String,
    /// Its lines.
    pub lines: Vec<Line>,
}

/// One line of pseudocode.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its stable id (`rv.log-ok`).
    pub id: String,
    /// Options it needs (shown only while one of them is on); empty: always shown.
    pub options: Vec<String>,
    /// The code, its leading spaces the nesting.
    pub text: String,
}

/// What is wrong with a pseudocode file, and on which line (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The line of the file.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pseudocode line {}: {}", self.line, self.message)
    }
}

/// Splits `[a] [b] rest` into the tags and what follows, checking each tag.
fn tags(mut s: &str, at: usize) -> Result<(Vec<String>, &str), ParseError> {
    let mut found = Vec::new();
    loop {
        s = s.trim_start();
        let Some(after) = s.strip_prefix('[') else { return Ok((found, s)) };
        let Some(end) = after.find(']') else {
            return Err(ParseError { line: at, message: "an option tag '[' is not closed with ']'".to_string() });
        };
        let tag = &after[..end];
        if !OPTIONS.contains(&tag) {
            // The known ones are OPTIONS (written out: no list joined in the page's code).
            let message = format!(
                "unknown option [{tag}] (known: pre_vote, check_quorum, read_index, lease, transfer, exactly_once, fast_backup, membership, compaction)"
            );
            return Err(ParseError { line: at, message });
        }
        found.push(tag.to_string());
        s = &after[end + 1..];
    }
}

/// Splits `head | text` at its first `|`, which has a space before it and
/// one after (the text after that space), or ends the line (no text).
fn bar(rest: &str) -> Option<(&str, &str)> {
    let (head, after) = rest.split_once('|')?;
    let head = head.strip_suffix(' ')?;
    if after.is_empty() {
        return Some((head, ""));
    }
    Some((head, after.strip_prefix(' ')?))
}

/// Reads a pseudocode file. Never panics; the first error names its line.
/// Checked: every line is a comment, blank, or one of the four directives;
/// lines, `cite` and `why` come after a `procedure`; ids are unique and start
/// with their procedure's key and a dot; option tags are among [`OPTIONS`];
/// each procedure has a title, a `cite`, a `why` and at least one line.
pub fn parse(text: &str) -> Result<Pseudocode, ParseError> {
    let mut out = Pseudocode::default();
    let mut opened_at = 0;
    let mut ids: Vec<&str> = Vec::new();
    let mut rule_lines: Vec<usize> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let at = i + 1;
        let line = raw.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let err = |message: String| Err(ParseError { line: at, message });
        if word == "light" {
            // `light <line id> [condition]... | <what it saw>`
            let (head, seen) = bar(rest).unwrap_or((rest, ""));
            let mut words = head.split(' ').filter(|w| !w.is_empty());
            let Some(id) = words.next() else {
                return err("a rule is written `light <line id> [condition]... | <text>`".to_string());
            };
            let mut when = Vec::new();
            for w in words {
                // A condition is `field`, `!field` or `field<op>value`: no
                // operator first but `!`, and no `|` (the text's bar has a space each side).
                if w.contains('|') || w.starts_with(['=', '<', '>']) || w == "!" {
                    return err(format!(
                        "bad condition {} in a rule (`field`, `!field`, `field=value`...; ` | ` before the text)",
                        Quoted(w)
                    ));
                }
                when.push(condition(w));
            }
            rule_lines.push(at);
            out.rules.push(Rule { id: id.to_string(), when, seen: seen.to_string() });
            continue;
        }
        if word == "procedure" {
            if let Some(p) = out.procedures.last() {
                check_complete(p, opened_at)?;
            }
            let Some((head, title)) = rest.split_once(':') else {
                return err("a procedure is written `procedure <key> [option]...: <title>`".to_string());
            };
            let (key, after) = head.trim().split_once(' ').unwrap_or((head.trim(), ""));
            let (options, left) = tags(after, at)?;
            if !left.is_empty() {
                return err(format!("unexpected {} after the procedure's key", Quoted(left)));
            }
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
                return err(format!("a procedure's key is lower-case letters and digits, not {}", Quoted(key)));
            }
            if out.procedures.iter().any(|p| p.key == key) {
                return err(format!("procedure {key} is defined twice"));
            }
            if title.trim().is_empty() {
                return err(format!("procedure {key} has no title"));
            }
            opened_at = at;
            out.procedures.push(Procedure {
                key: key.to_string(),
                title: title.trim().to_string(),
                options,
                cite: String::new(),
                why: String::new(),
                lines: Vec::new(),
            });
            continue;
        }
        let Some(p) = out.procedures.last_mut() else {
            return err(format!("{} before any `procedure`", Quoted(word)));
        };
        match word {
            "cite" if !p.cite.is_empty() => return err(format!("procedure {} has two `cite` lines", p.key)),
            "cite" => p.cite = rest.trim().to_string(),
            "why" => {
                if !p.why.is_empty() {
                    p.why.push(' ');
                }
                p.why.push_str(rest.trim());
            }
            "line" => {
                let Some((head, code)) = bar(rest) else {
                    return err("a line is written `line <id> [option]... | <code>`".to_string());
                };
                let (id, after) = head.trim().split_once(' ').unwrap_or((head.trim(), ""));
                let (options, left) = tags(after, at)?;
                if !left.is_empty() {
                    return err(format!("unexpected {} after the line's id", Quoted(left)));
                }
                let ok_id = id.strip_prefix(p.key.as_str()).and_then(|s| s.strip_prefix('.')).is_some_and(|s| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                });
                if !ok_id {
                    return err(format!("line id {} must be {}.<lower-case words joined by ->", Quoted(id), p.key));
                }
                if code.trim().is_empty() {
                    return err(format!("line {id} has no code"));
                }
                if ids.contains(&id) {
                    return err(format!("line id {id} is used twice"));
                }
                ids.push(id);
                p.lines.push(Line { id: id.to_string(), options, text: code.to_string() });
            }
            _ => return err(format!("unknown directive {} (procedure, cite, why, line or #)", Quoted(word))),
        }
    }
    match out.procedures.last() {
        Some(p) => check_complete(p, opened_at)?,
        None => return Err(ParseError { line: 0, message: "no procedure in the file".to_string() }),
    }
    for (r, &line) in out.rules.iter().zip(&rule_lines) {
        if !ids.contains(&r.id.as_str()) {
            return Err(ParseError { line, message: format!("a rule lights line {}, which no procedure has", r.id) });
        }
    }
    Ok(out)
}

fn check_complete(p: &Procedure, at: usize) -> Result<(), ParseError> {
    let missing = if p.cite.is_empty() {
        "a `cite` line"
    } else if p.why.is_empty() {
        "a `why` paragraph"
    } else if p.lines.is_empty() {
        "any `line`"
    } else {
        return Ok(());
    };
    Err(ParseError { line: at, message: format!("procedure {} has no {missing}", p.key) })
}

impl Pseudocode {
    /// The line with this id, and its procedure.
    pub fn line(&self, id: &str) -> Option<(&Procedure, &Line)> {
        self.procedures.iter().find_map(|p| p.lines.iter().find(|l| l.id == id).map(|l| (p, l)))
    }

    /// What the panel shows while the options `on` are on (see [`options_on`]):
    /// each procedure that needs no option or one that is on, with its lines
    /// filtered the same way.
    pub fn shown(&self, on: &[&str]) -> Vec<Procedure> {
        let wanted = |options: &[String]| options.is_empty() || options.iter().any(|o| on.contains(&o.as_str()));
        self.procedures
            .iter()
            .filter(|p| wanted(&p.options))
            .map(|p| Procedure { lines: p.lines.iter().filter(|l| wanted(&l.options)).cloned().collect(), ..p.clone() })
            .collect()
    }
}

/// The option tags that are on with these settings.
pub fn options_on(s: &Settings) -> Vec<&'static str> {
    let mut on = vec!["transfer", "read_index"];
    let flags = [("pre_vote", s.pre_vote), ("check_quorum", s.check_quorum), ("exactly_once", s.exactly_once)];
    on.extend(flags.iter().filter(|f| f.1).map(|f| f.0));
    if s.read_mode == ReadMode::Lease {
        on.push("lease");
    }
    if s.fast_backup {
        on.push("fast_backup");
    }
    // Membership changes are always possible in builds that have them.
    if cfg!(feature = "membership") {
        on.push("membership");
    }
    #[cfg(feature = "compaction")]
    if s.snapshot_threshold.is_some() {
        on.push("compaction");
    }
    on
}

/// One line an event ran, with what it saw (empty when it compared nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lit {
    /// The line's id in the pseudocode file.
    pub id: String,
    /// The values it compared and the outcome, e.g. "term 3 < currentTerm 4: true".
    pub seen: String,
}

/// What the caller knows besides the event. Every field may be left at its
/// default; the lines then say less (but never something false).
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// How many voters the configuration in force has (0: unknown), for the
    /// majorities ([`voters_at`]).
    pub servers: usize,
    /// The message the event's server was handling, if known: the
    /// candidate's last log entry in a vote request, the leader's
    /// prevLogTerm in an AppendEntries.
    pub message: Option<&'a Message>,
    /// The event's server's current term just after the event, if known
    /// (the commit rule compares the entry's term with it).
    pub term: Option<u64>,
    /// The option tags that are on ([`options_on`]): with `fast_backup` a
    /// leader's back-up lights the fast back-up's line.
    pub options: &'a [&'a str],
}

impl Context<'_> {
    /// "majority 3 of 5", or "a majority" when the count is unknown.
    fn majority(&self) -> String {
        if self.servers == 0 {
            "a majority".to_string()
        } else {
            let (n, m) = (self.servers.to_string(), (self.servers / 2 + 1).to_string());
            ["majority ", &m, " of ", &n].concat()
        }
    }
}

/// What a rule reads: an event or a message as named fields, from the JSON
/// the JavaScript API writes ([`crate::view::json`]) flattened: each value
/// under its path of keys joined by dots (`term`, `reason.AlreadyVoted`,
/// `msg.body.AppendEntries.prev_log_index`), a list's length under its path
/// and `#` (`votes#`), the values of a list of numbers joined by ", ", the
/// last of a list of objects winning (`entries.term`: the last entry's);
/// `null` left out. Then what the caller knows besides (see [`event_fields`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The value of `name` (the latest set); a `*` segment matches any one key.
    pub fn get(&self, name: &str) -> Option<&str> {
        let wild = |k: &str| {
            let (mut a, mut b) = (k.split('.'), name.split('.'));
            loop {
                match (a.next(), b.next()) {
                    (None, None) => return true,
                    (Some(x), Some(y)) if x == y || y == "*" => {}
                    _ => return false,
                }
            }
        };
        self.0.iter().rev().find(|(k, _)| k == name || wild(k)).map(|(_, v)| v.as_str())
    }

    fn set(&mut self, k: &str, v: String) {
        self.0.push((k.to_string(), v));
    }

    /// Adds the fields of the JSON `json` under `path` (never panics,
    /// whatever the text).
    pub fn add_json(&mut self, json: &str, path: &str) {
        Flat { s: json.as_bytes(), i: 0, f: self }.value(path, false, 0);
    }
}

struct Flat<'a> {
    s: &'a [u8],
    i: usize,
    f: &'a mut Fields,
}

impl Flat<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.i).copied().unwrap_or(0)
    }

    fn string(&mut self) -> String {
        if self.peek() != b'"' {
            return String::new();
        }
        let start = self.i + 1;
        self.i = start;
        while !matches!(self.peek(), b'"' | 0) {
            self.i += 1 + (self.peek() == b'\\') as usize;
        }
        let end = self.i.min(self.s.len());
        self.i += 1;
        // The escapes a value may hold (`\"`, `\\`, `\n`) back to their
        // characters: the panel shows the text, not the JSON.
        let raw = std::str::from_utf8(&self.s[start..end]).unwrap_or_default();
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            out.push(match (c, c == '\\') {
                (_, true) => match chars.next() {
                    Some('n') => '\n',
                    Some('t') => '\t',
                    Some(e) => e,
                    None => break,
                },
                (c, false) => c,
            });
        }
        out
    }

    fn value(&mut self, path: &str, in_list: bool, depth: u32) {
        let c = self.peek();
        let v = match c {
            b'{' | b'[' if depth < 16 => {
                self.i += 1;
                let mut n = 0u64;
                while !matches!(self.peek(), b'}' | b']' | 0) {
                    let at = self.i;
                    if c == b'[' {
                        self.value(path, true, depth + 1);
                    } else {
                        let k = self.string();
                        self.i += (self.peek() == b':') as usize;
                        let sub = if path.is_empty() { k } else { [path, ".", &k].concat() };
                        self.value(&sub, false, depth + 1);
                    }
                    n += 1;
                    self.i += (self.peek() == b',') as usize;
                    if self.i == at {
                        self.i = self.s.len();
                    }
                }
                self.i += 1;
                if c == b'[' {
                    self.f.set(&[path, "#"].concat(), n.to_string());
                }
                return;
            }
            b'"' => self.string(),
            0 => return,
            _ => {
                let start = self.i;
                while !matches!(self.peek(), b',' | b'}' | b']' | 0) {
                    self.i += 1;
                }
                std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default().to_string()
            }
        };
        if v == "null" {
            return;
        }
        match self.f.0.iter_mut().rev().find(|(k, _)| k == path) {
            Some((_, old)) if in_list => {
                old.push_str(", ");
                old.push_str(&v);
            }
            _ => self.f.set(path, v),
        }
    }
}

/// One `light` line of the pseudocode file: when every condition holds
/// for an event's (or a message's) fields, line `id` ran and saw `seen`
/// with the fields' values filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The line's id.
    pub id: String,
    /// The conditions: (field, operator, field or literal); the operator is
    /// one of `= n(!=) < > l(<=) g(>=)`, `?` (the field is there) or `!` (it is not).
    pub when: Vec<(String, u8, String)>,
    /// What the line saw: text with `{field}` (also `{field-1}`, `{field+1}`,
    /// `{field/2+1}`, and `{S:field}` for a list of servers).
    pub seen: String,
}

fn condition(w: &str) -> (String, u8, String) {
    let (name, op, rest) = match w.find(['=', '<', '>', '!']) {
        Some(0) => (&w[1..], b'!', ""),
        None => (w, b'?', ""),
        Some(at) => {
            let two = w[at + 1..].starts_with('=');
            let op = match (w.as_bytes()[at], two) {
                (b'!', _) => b'n',
                (b'<', true) => b'l',
                (b'>', true) => b'g',
                (c, _) => c,
            };
            (&w[..at], op, &w[at + 1 + two as usize..])
        }
    };
    (name.to_string(), op, rest.to_string())
}

impl Rule {
    fn holds(&self, f: &Fields) -> bool {
        self.when.iter().all(|(name, op, rhs)| {
            let left = f.get(name);
            let Some(l) = left else { return *op == b'!' || *op == b'n' };
            let r = f.get(rhs).unwrap_or(rhs);
            let ord = match (l.parse::<u64>(), r.parse::<u64>()) {
                (Ok(a), Ok(b)) => a.cmp(&b),
                _ => l.cmp(r),
            };
            match op {
                b'?' => true,
                b'!' => false,
                b'=' => ord.is_eq(),
                b'n' => ord.is_ne(),
                b'<' => ord.is_lt(),
                b'>' => ord.is_gt(),
                b'l' => ord.is_le(),
                _ => ord.is_ge(),
            }
        })
    }

    fn fill(&self, f: &Fields) -> String {
        let mut out = String::new();
        let mut rest = self.seen.as_str();
        while let Some((before, after)) = rest.split_once('{') {
            let Some((spec, tail)) = after.split_once('}') else { break };
            out.push_str(before);
            if let Some(list) = spec.strip_prefix("S:") {
                for (k, n) in f.get(list).unwrap_or("").split(',').filter(|n| !n.is_empty()).enumerate() {
                    out.push_str(if k == 0 { "S" } else { ", S" });
                    out.push_str(n.trim_start());
                }
            } else {
                let ops = [("/2+1", 2), ("-1", 1), ("+1", 3), ("", 0)];
                let (name, op) = ops.iter().find_map(|(s, op)| Some((spec.strip_suffix(s)?, *op))).unwrap_or((spec, 0));
                let v = f.get(name).unwrap_or("");
                let n: u64 = v.parse().unwrap_or(0);
                match op {
                    0 => out.push_str(v),
                    1 => out.push_str(&n.saturating_sub(1).to_string()),
                    2 => out.push_str(&(n / 2 + 1).to_string()),
                    _ => out.push_str(&n.saturating_add(1).to_string()),
                }
            }
            rest = tail;
        }
        out.push_str(rest);
        out
    }
}

/// The lines the rules of `doc` light for these fields, in the file's order.
pub fn lines(doc: &Pseudocode, f: &Fields) -> Vec<Lit> {
    doc.rules.iter().filter(|r| r.holds(f)).map(|r| Lit { id: r.id.clone(), seen: r.fill(f) }).collect()
}

/// A message's fields under `msg.` (and `msg.last`, the index of its last
/// entry, `msg.commit`, what an AppendEntries lets its receiver commit).
fn message_fields(f: &mut Fields, m: &Message) {
    let mut j = crate::view::json::Json::new();
    crate::view::json::message(&mut j, m);
    f.add_json(&j.finish(), "msg");
    if let Body::AppendEntries { prev_log_index, entries, leader_commit, .. } = &m.body {
        let last = prev_log_index + entries.len() as u64;
        f.set("msg.last", last.to_string());
        f.set("msg.commit", last.min(*leader_commit).to_string());
    }
}

/// An event's fields: its own (`type`, `term`...), then the message that
/// caused it under `msg.`, `term_now` (the server's term then), `majority`
/// ("majority 3 of 5") and `fast_backup` when that option is on.
pub fn event_fields(event: &EventData, cx: &Context) -> Fields {
    let mut j = crate::view::json::Json::new();
    crate::view::json::event_data(&mut j, event);
    let mut f = Fields::default();
    f.add_json(&j.finish(), "");
    if let Some(m) = cx.message {
        message_fields(&mut f, m);
    }
    if let Some(t) = cx.term {
        f.set("term_now", t.to_string());
    }
    f.set("majority", cx.majority());
    if cx.options.contains(&"fast_backup") {
        f.set("fast_backup", "true".to_string());
    }
    f
}

/// The lines the event ran, in the order it ran them, with their values;
/// empty for events no rule of the pseudocode makes (crashes, the network,
/// the client's own steps).
pub fn event_lines(doc: &Pseudocode, event: &EventData, cx: &Context) -> Vec<Lit> {
    lines(doc, &event_fields(event, cx))
}

/// The lines a message ran at its sender (`type` `sent`), or at its
/// receiver (`type` `delivered`, with `effects`, the events its delivery
/// made: `rejected` when one is a rejection, `trunc.from` and `trunc.count`
/// from the first truncation) that no event reports.
pub fn message_lines(doc: &Pseudocode, msg: &Message, delivered: Option<&[EventData]>) -> Vec<Lit> {
    let mut f = Fields::default();
    f.set("type", if delivered.is_some() { "delivered" } else { "sent" }.to_string());
    message_fields(&mut f, msg);
    let effects = delivered.unwrap_or_default();
    if effects.iter().any(|e| matches!(e, EventData::AppendRejected { .. })) {
        f.set("rejected", "true".to_string());
    }
    if let Some((from, count)) = effects.iter().find_map(|e| {
        if let EventData::Truncated { from, count, .. } = e {
            Some((from, count))
        } else {
            None
        }
    }) {
        f.set("trunc.from", from.to_string());
        f.set("trunc.count", count.to_string());
    }
    lines(doc, &f)
}

// ----- what the panel shows ----------------------------------------------------------------

use crate::sim::{Addr, Cluster, Event, InFlight, NodeId, Payload};

/// How far back the panel looks for the latest event that ran a line.
pub const LOOK_BACK: usize = 400;

/// Whether the event ran a line of the pseudocode: the kinds of events the
/// shipped file's rules light (tests/pseudocode.rs checks it against them
/// for every event of its runs).
pub fn lights(e: &EventData) -> bool {
    use EventData as E;
    match e {
        E::SteppedDown { because_of, .. } => because_of.is_some(),
        E::TermAdopted { from, .. } => from.is_some(),
        E::ReadAnswered { how, .. } => !matches!(how, ReadHow::Local),
        #[cfg(feature = "membership")]
        E::Member { .. } => true,
        #[cfg(feature = "compaction")]
        E::Compaction { event: crate::raft::CompactionNote::Installed { .. }, .. } => true,
        E::ElectionStarted { .. }
        | E::Voted { .. }
        | E::VoteRefused { .. }
        | E::PreVoteStarted { .. }
        | E::PreVoteGranted { .. }
        | E::PreVoteRefused { .. }
        | E::LeaderElected { .. }
        | E::LostQuorum { .. }
        | E::Appended { .. }
        | E::Committed { .. }
        | E::Truncated { .. }
        | E::AppendRejected { .. }
        | E::BackedUp { .. }
        | E::TransferStarted { .. }
        | E::TimeoutNowSent { .. }
        | E::TransferAborted { .. }
        | E::ReadStarted { .. }
        | E::Duplicate { .. } => true,
        _ => false,
    }
}

/// The latest event of the trace that ran a line (within [`LOOK_BACK`] events).
pub fn latest_lit(events: &[Event]) -> Option<usize> {
    (events.len().saturating_sub(LOOK_BACK)..events.len()).rev().find(|&i| lights(&events[i].what))
}

/// The event before (`back`) or after event `i` that ran a line.
pub fn next_lit(events: &[Event], i: usize, back: bool) -> Option<usize> {
    if back {
        (0..i.min(events.len())).rev().find(|&k| lights(&events[k].what))
    } else {
        (i + 1..events.len()).find(|&k| lights(&events[k].what))
    }
}

/// The term `node` had at event `i`, from the trace: the latest event at or
/// before it that says the node's term (an election, a win, a step down, a restart).
pub fn term_at(events: &[Event], i: usize, node: NodeId) -> Option<u64> {
    events.get(..=i)?.iter().rev().find_map(|e| match e.what {
        EventData::ElectionStarted { node: n, term, .. }
        | EventData::LeaderElected { node: n, term, .. }
        | EventData::SteppedDown { node: n, term, .. }
        | EventData::LostQuorum { node: n, term, .. }
        | EventData::Restarted { node: n, term, .. }
            if n == node =>
        {
            Some(term)
        }
        _ => None,
    })
}

/// How many voters the configuration in force at event `i` has, for the
/// majorities: the one a leader last committed at or before it
/// (`MemberEvent::Committed`), else the
/// cluster's `first` servers; 0 (unknown: "a majority") while a later
/// configuration entry is appended but not committed (servers then count
/// by different configurations) or when `i` is past the trace.
pub fn voters_at(events: &[Event], i: usize, first: usize) -> usize {
    let Some(before) = events.get(..=i) else { return 0 };
    #[cfg(feature = "membership")]
    {
        use crate::raft::Command;
        use crate::sim::MemberEvent;
        // The highest configuration entry appended since the latest commit of one.
        let mut appended = 0;
        for e in before.iter().rev() {
            match &e.what {
                EventData::Member { event: MemberEvent::Committed { index, voters, .. }, .. } => {
                    return if appended > *index { 0 } else { voters.len() };
                }
                EventData::Appended { index, command: Command::Config { .. }, .. } => appended = appended.max(*index),
                _ => {}
            }
        }
        if appended > 0 {
            return 0;
        }
    }
    let _ = before;
    first
}

/// The lines event `i` of `c`'s trace ran, with what the panel knows
/// besides: the cluster's size and options, and for a commit the leader's
/// term then (from the trace). (The events carry both sides of the checks
/// they made: a vote's log check, a rejected AppendEntries' terms.)
pub fn lines_of_event(doc: &Pseudocode, c: &Cluster, i: usize) -> Vec<Lit> {
    let events = c.events();
    let Some(e) = events.get(i) else { return Vec::new() };
    event_lines(doc, &e.what, &context(c, i, None, &options_on(&c.config().raft)))
}

/// What the panel knows besides event `i` of `c`'s trace (`message`: the one that caused it).
fn context<'a>(c: &Cluster, i: usize, message: Option<&'a Message>, options: &'a [&'a str]) -> Context<'a> {
    let events = c.events();
    let term = match events.get(i).map(|e| &e.what) {
        Some(EventData::Committed { node, .. }) => term_at(events, i, *node),
        _ => None,
    };
    Context { servers: voters_at(events, i, c.initial_config().nodes), message, term, options }
}

/// The indexes of the events `m` (carrying `msg`) made when it arrived, in
/// order: its receiver's, at its arrival time, naming its sender, of a kind
/// its delivery can make (a vote for a vote request, a rejection or a
/// truncation for an AppendEntries, the election a TimeoutNow starts, which
/// names no sender): another message from the same server arriving at the
/// same moment made the others.
pub fn made_by_arrival(c: &Cluster, m: &InFlight, msg: &Message) -> Vec<usize> {
    use EventData as E;
    let events = c.events();
    let made_by = |e: &EventData, nodes: &[NodeId]| {
        let from = nodes[1..].contains(&msg.from);
        match (e, &msg.body) {
            (E::ElectionStarted { reason: crate::raft::ElectionReason::TimeoutNow, .. }, Body::TimeoutNow) => true,
            (_, Body::TimeoutNow) => false,
            (E::AppendRejected { .. } | E::Truncated { .. }, b) => from && matches!(b, Body::AppendEntries { .. }),
            (E::Voted { .. } | E::VoteRefused { .. }, b) => from && matches!(b, Body::RequestVote { .. }),
            (E::PreVoteGranted { .. } | E::PreVoteRefused { .. }, b) => from && matches!(b, Body::PreVote { .. }),
            _ => from,
        }
    };
    let mut made: Vec<usize> = (0..events.len())
        .rev()
        .take_while(|&k| events[k].time >= m.arrive_at)
        .filter(|&k| {
            let (e, nodes) = (&events[k], events[k].nodes());
            e.time == m.arrive_at && nodes.first() == Some(&msg.to) && made_by(&e.what, &nodes)
        })
        .collect();
    made.reverse();
    made
}

/// The lines a message ran: its sender's, and once `arrived`, its
/// receiver's (what its delivery did, from the events it made then), each
/// line once.
pub fn lines_of_message(doc: &Pseudocode, c: &Cluster, m: &InFlight, arrived: bool) -> Vec<Lit> {
    let Payload::Raft(msg) = &m.payload else { return dedup(client_lines(doc, c, m, arrived)) };
    let mut v = message_lines(doc, msg, None);
    if arrived {
        let events = c.events();
        let made = made_by_arrival(c, m, msg);
        let effects: Vec<EventData> = made.iter().map(|&k| events[k].what.clone()).collect();
        v.extend(message_lines(doc, msg, Some(&effects)));
        let options = options_on(&c.config().raft);
        for &k in &made {
            v.extend(event_lines(doc, &events[k].what, &context(c, k, Some(msg), &options)));
        }
    }
    dedup(v)
}

/// Each line once, where it first ran.
fn dedup(mut v: Vec<Lit>) -> Vec<Lit> {
    let mut seen_ids: Vec<String> = Vec::new();
    v.retain(|l| {
        let first = !seen_ids.contains(&l.id);
        seen_ids.push(l.id.clone());
        first
    });
    v
}

/// A client's message (or a server's answer to it) as fields: its JSON
/// under `msg.` (`msg.ClientRequest.command.key`...), `type`, and
/// `msg.server`, the server at its other end.
fn client_fields(kind: &str, p: &Payload, server: Addr) -> Fields {
    let mut f = Fields::default();
    f.set("type", kind.to_string());
    let mut j = crate::view::json::Json::new();
    crate::view::json::payload(&mut j, p);
    f.add_json(&j.finish(), "msg");
    if let Addr::Node(n) = server {
        f.set("msg.server", n.0.to_string());
    }
    f
}

/// The lines a client's message ran: the client's sending (`cl.send`), or
/// the server's answer (`ldr.client`, `ri.apply`, `cl.not-leader`...); once
/// `arrived`, at a server the events its delivery made there (the entry
/// appended, the read begun) and the answer it sent back at once, if still
/// in flight (else `refused` when it made no event), at the client what it
/// does with the answer (`cl.done`, `cl.redirect`).
fn client_lines(doc: &Pseudocode, c: &Cluster, m: &InFlight, arrived: bool) -> Vec<Lit> {
    use crate::sim::Addr as A;
    let server = if m.to == A::Client { m.from } else { m.to };
    let mut v = lines(doc, &client_fields("sent", &m.payload, server));
    if !arrived {
        return v;
    }
    let mut refused = false;
    let (tag, write) = match &m.payload {
        Payload::ClientRequest { tag, .. } => (Some(*tag), true),
        Payload::ClientRead { tag, .. } => (Some(*tag), false),
        _ => (None, false),
    };
    if let (A::Node(n), Some(tag)) = (m.to, tag) {
        let events = c.events();
        let made: Vec<usize> = (0..events.len())
            .rev()
            .take_while(|&k| events[k].time >= m.arrive_at)
            .filter(|&k| {
                events[k].time == m.arrive_at
                    && match &events[k].what {
                        // The leader appends the write at once (a client's write is a `set`).
                        EventData::Appended { node, command: crate::raft::Command::Set { .. }, .. } => {
                            write && *node == n
                        }
                        EventData::ReadStarted { node, op, .. } | EventData::ReadAnswered { node, op, .. } => {
                            !write && *node == n && *op == tag.op
                        }
                        _ => false,
                    }
            })
            .collect();
        for &k in made.iter().rev() {
            v.extend(event_lines(doc, &events[k].what, &context(c, k, None, &[])));
        }
        let answer = c.messages().into_iter().find(|r| {
            r.from == m.to
                && r.sent_at == m.arrive_at
                && matches!(&r.payload, Payload::ClientResponse { tag: t, .. } if *t == tag)
        });
        match answer {
            Some(r) => v.extend(lines(doc, &client_fields("sent", &r.payload, server))),
            None => refused = made.is_empty(),
        }
    }
    let mut f = client_fields("delivered", &m.payload, server);
    if refused {
        f.set("refused", "true".to_string());
    }
    v.extend(lines(doc, &f));
    v
}

/// The pseudocode as the panel's markup: each procedure shown with the
/// options `on`, its title and cite, its "why" (open when its key is in
/// `open`), its lines nested by their leading spaces; the lines in `lits`
/// lit, numbered in the order they ran, with what they saw. A procedure
/// with a lit line is marked too (`pc-on`).
pub fn render<'a>(doc: &'a Pseudocode, on: &[&str], lits: &[Lit], open: &[String]) -> String {
    use crate::view::diagram_svg::Esc;
    use std::fmt::Write;
    let mut s = String::new();
    let wanted = |options: &[String]| options.is_empty() || options.iter().any(|o| on.contains(&o.as_str()));
    let procedures = || doc.procedures.iter().filter(|p| wanted(&p.options));
    let lines_of = |p: &'a Procedure| -> Vec<&'a Line> { p.lines.iter().filter(|l| wanted(&l.options)).collect() };
    // Numbered in the order they ran among the lines shown (a line of an
    // option that is off is lit in no procedure shown, and takes no number).
    let lits: Vec<&Lit> =
        lits.iter().filter(|x| procedures().any(|p| lines_of(p).iter().any(|l| l.id == x.id))).collect();
    for p in procedures() {
        let lines = lines_of(p);
        let lit_here = lines.iter().any(|l| lits.iter().any(|x| x.id == l.id));
        let _ = write!(
            s,
            r#"<section class="pc-proc{}" data-key="{}"><h3 class="pc-title">{}<span class="pc-cite"> · {}</span></h3><details class="pc-why" data-why="{}"{}><summary>Why</summary><p>{}</p></details><ol class="pc-code">"#,
            if lit_here { " pc-on" } else { "" },
            Esc(&p.key),
            Esc(&p.title),
            Esc(&p.cite),
            Esc(&p.key),
            if open.contains(&p.key) { " open" } else { "" },
            Esc(&p.why)
        );
        for l in lines {
            let depth = (l.text.len() - l.text.trim_start().len()).div_ceil(2).min(4);
            let _ = write!(s, r#"<li class="pc-line pc-d{depth}"#);
            match lits.iter().position(|x| x.id == l.id) {
                Some(n) => {
                    let _ = write!(
                        s,
                        r#" pc-lit" data-id="{}"><span class="pc-n">{}</span><code>{}</code>"#,
                        Esc(&l.id),
                        n + 1,
                        Esc(l.text.trim_start())
                    );
                    if !lits[n].seen.is_empty() {
                        let _ = write!(s, r#"<span class="pc-seen">{}</span>"#, Esc(&lits[n].seen));
                    }
                }
                None => {
                    let _ = write!(s, r#"" data-id="{}"><code>{}</code>"#, Esc(&l.id), Esc(l.text.trim_start()));
                }
            }
            s.push_str("</li>");
        }
        s.push_str("</ol></section>");
    }
    s
}

/// What the panel shows: an inspected message, else the event chosen, else
/// the latest event that ran a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Showing {
    /// Which it is, in a few words ("Latest event", "Event 12 of 40", "Message #7").
    pub heading: String,
    /// What happened: the event's time and sentence, or the message's kind, ends and fate.
    pub what: String,
    /// The lines it ran, with their values.
    pub lits: Vec<Lit>,
    /// The event shown.
    pub event: Option<usize>,
    /// The events that ran a line just before and just after it (Earlier, Later).
    pub earlier: Option<usize>,
    /// See `earlier`.
    pub later: Option<usize>,
    /// Whether it follows the run (the latest event, as they come).
    pub following: bool,
}

/// What the panel shows for `c`, with the event the visitor chose (if any)
/// and the message inspected (if any, with whether it arrived).
pub fn showing(
    doc: &Pseudocode,
    c: &Cluster,
    explained: Option<usize>,
    inspected: Option<(&InFlight, bool)>,
) -> Showing {
    let events = c.events();
    if let Some((m, arrived)) = inspected {
        let fate = if arrived { "delivered" } else { "in flight" };
        return Showing {
            heading: format!("Message #{}", m.id),
            what: format!("{} from {} to {}, {fate}", m.payload.kind().name(), m.from, m.to),
            lits: lines_of_message(doc, c, m, arrived),
            event: None,
            earlier: None,
            later: None,
            following: false,
        };
    }
    let (at, following) = match explained.filter(|&i| i < events.len()) {
        Some(i) => (Some(i), false),
        None => (latest_lit(events), true),
    };
    let Some(i) = at else {
        return Showing {
            heading: "Latest event".to_string(),
            what: "Nothing has run a rule yet: when a server's election timer runs out, its lines light up here."
                .to_string(),
            lits: Vec::new(),
            event: None,
            earlier: None,
            later: None,
            following: true,
        };
    };
    let e = &events[i];
    Showing {
        heading: if following { "Latest event".to_string() } else { format!("Event {} of {}", i + 1, events.len()) },
        what: format!("{} · {}", crate::view::theme::secs(e.time as f64), e.text()),
        lits: lines_of_event(doc, c, i),
        event: Some(i),
        earlier: next_lit(events, i, true),
        later: if following { None } else { next_lit(events, i, false) },
        following,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::RejectReason;

    /// A string value is read back as its text: the JSON's escapes undone
    /// (a client's value `say "hi"\ok` shows as written, not as `\"hi\"`).
    #[test]
    fn a_flattened_string_is_its_text_not_its_json() {
        let mut f = Fields::default();
        f.add_json(r#"{"value":"say \"hi\"\\ok\nnext","key":"x","trailing":"\"#, "");
        assert_eq!(f.get("value"), Some("say \"hi\"\\ok\nnext"));
        assert_eq!(f.get("key"), Some("x"));
    }

    fn request(from: u8, to: u8, term: u64, body: Body) -> Message {
        Message { from: NodeId(from), to: NodeId(to), term, body }
    }

    /// The lines of a vote and of a rejected AppendEntries read both sides of
    /// their checks from the event alone: no request known, or another
    /// request from the same server (a vote request of another term) never
    /// changes what they say.
    #[test]
    fn an_events_lines_read_both_sides_from_the_event() {
        let vote = request(1, 2, 9, Body::RequestVote { last_log_index: 8, last_log_term: 8, transfer: false });
        let rejected = EventData::AppendRejected {
            node: NodeId(2),
            leader: NodeId(1),
            term: 6,
            prev_log_index: 4,
            prev_log_term: 3,
            reason: RejectReason::TermMismatch(2),
            own_term: 6,
        };
        let stale = EventData::AppendRejected {
            node: NodeId(2),
            leader: NodeId(1),
            term: 5,
            prev_log_index: 4,
            prev_log_term: 3,
            reason: RejectReason::StaleTerm,
            own_term: 7,
        };
        let voted = EventData::Voted {
            node: NodeId(2),
            candidate: NodeId(1),
            term: 7,
            candidate_last_index: 4,
            candidate_last_term: 3,
            own_last_index: 5,
            own_last_term: 2,
        };
        let options = [];
        let doc = parse(include_str!("../../www/pseudocode.txt")).unwrap();
        let seen = |e: &EventData, message: Option<&Message>, id: &str| {
            let cx = Context { servers: 3, message, term: None, options: &options };
            let lits = event_lines(&doc, e, &cx);
            lits.iter().find(|l| l.id == id).map(|l| l.seen.clone())
        };
        for message in [None, Some(&vote)] {
            let ok = seen(&voted, message, "rv.log-ok");
            assert_eq!(ok.as_deref(), Some("candidate lastLogTerm 3 > my lastLogTerm 2: true"));
            let prev = seen(&rejected, message, "ae.prev-term");
            assert_eq!(prev.as_deref(), Some("log[4].term 2 != prevLogTerm 3: true"));
            let term = seen(&rejected, message, "ae.stale-term");
            assert_eq!(term.as_deref(), Some("term 6 < currentTerm 6: false"));
            let term = seen(&stale, message, "ae.stale-term");
            assert_eq!(term.as_deref(), Some("term 5 < currentTerm 7: true"));
        }
    }
}
