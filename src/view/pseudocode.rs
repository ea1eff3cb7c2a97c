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
use crate::raft::{Body, ElectionReason, Message, ReadHow, RefuseReason, RejectReason, Role, Settings};
use crate::sim::{EventData, ReadMode};
use std::fmt;

/// The option tags a procedure or line may carry. Each is on when the
/// engine's setting of the same name is (see [`options_on`]); `transfer` is
/// always on (leadership transfer needs no setting).
pub const OPTIONS: [&str; 8] =
    ["pre_vote", "check_quorum", "read_index", "lease", "transfer", "exactly_once", "fast_backup", "membership"];

/// The pseudocode: its procedures in the file's order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Pseudocode {
    /// The procedures, as the file lists them.
    pub procedures: Vec<Procedure>,
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
            let message = format!("unknown option [{tag}] (known: {})", OPTIONS.join(", "));
            return Err(ParseError { line: at, message });
        }
        found.push(tag.to_string());
        s = &after[end + 1..];
    }
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
    for (i, raw) in text.lines().enumerate() {
        let at = i + 1;
        let line = raw.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let err = |message: String| Err(ParseError { line: at, message });
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
                let Some((head, code)) = rest.split_once(" | ").or_else(|| rest.strip_suffix(" |").map(|h| (h, "")))
                else {
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
    on
}

/// One line an event ran, with what it saw (empty when it compared nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lit {
    /// The line's id in the pseudocode file.
    pub id: &'static str,
    /// The values it compared and the outcome, e.g. "term 3 < currentTerm 4: true".
    pub seen: String,
}

fn lit(id: &'static str, seen: impl Into<String>) -> Lit {
    Lit { id, seen: seen.into() }
}

fn yes(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// What a line compared about a vote: the candidate's log against the
/// voter's, when the request is known, else the voter's own.
fn log_check(last: Option<(u64, u64)>, mine: Option<(u64, u64)>, ok: bool) -> String {
    match (last, mine) {
        (Some((_, ct)), Some((_, mt))) if ct != mt => {
            let op = if ct > mt { ">" } else { "<" };
            format!("candidate lastLogTerm {ct} {op} my lastLogTerm {mt}: {}", yes(ok))
        }
        (Some((ci, ct)), Some((mi, _))) => {
            let op = if ci >= mi { ">=" } else { "<" };
            format!("lastLogTerm {ct} = mine; candidate lastLogIndex {ci} {op} my lastLogIndex {mi}: {}", yes(ok))
        }
        (Some((ci, ct)), None) => format!("candidate lastLogTerm {ct}, lastLogIndex {ci}: {}", yes(ok)),
        (None, Some((mi, mt))) => format!("my lastLogTerm {mt}, lastLogIndex {mi}: {}", yes(ok)),
        (None, None) => yes(ok).to_string(),
    }
}

/// The candidate's (last log index, last log term) in a vote request.
fn vote_request(msg: Option<&Message>) -> Option<(u64, u64)> {
    match msg.map(|m| &m.body) {
        Some(
            Body::RequestVote { last_log_index, last_log_term, .. } | Body::PreVote { last_log_index, last_log_term },
        ) => Some((*last_log_index, *last_log_term)),
        _ => None,
    }
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
    fn majority(&self) -> String {
        if self.servers == 0 {
            "a majority".to_string()
        } else {
            format!("majority {} of {}", self.servers / 2 + 1, self.servers)
        }
    }
}

/// The lines the event ran, in the order it ran them, with their values;
/// empty for events no rule of the pseudocode makes (crashes, the network,
/// the client's own steps).
pub fn event_lines(event: &EventData, cx: &Context) -> Vec<Lit> {
    use EventData as E;
    let request = vote_request(cx.message);
    match event {
        E::ElectionStarted { term, reason, was, .. } => {
            let mut v = match (reason, was) {
                (ElectionReason::TimeoutNow, _) => vec![lit("lt.receive", "TimeoutNow from the leader")],
                (ElectionReason::PreVote, _) => vec![lit("pv.win", format!("{}: true", cx.majority()))],
                (_, Role::Candidate) => vec![lit("cand.timeout", "election timer ran out again: no majority in time")],
                (_, Role::Leader) => vec![lit("cand.timeout", "forced time-out of the leader")],
                (_, Role::Follower) => vec![lit("fol.timeout", "election timer ran out")],
            };
            v.push(lit("cand.start", format!("currentTerm {} -> {term}", term.saturating_sub(1))));
            v
        }
        E::Voted { term, .. } => vec![
            lit("rv.receive", format!("term {term}")),
            lit("rv.stale-term", format!("term {term} < currentTerm {term}: false")),
            lit("rv.voted-for", "votedFor null or the candidate: true"),
            lit("rv.log-ok", log_check(request, None, true)),
            lit("rv.grant", "votedFor = the candidate"),
        ],
        E::VoteRefused { candidate, term, reason, own_term, own_last_index, own_last_term, .. } => {
            let mine = Some((*own_last_index, *own_last_term));
            let mut v = vec![lit("rv.receive", format!("term {term}"))];
            match reason {
                RefuseReason::LeaderAlive(l) => {
                    let seen = format!("term {term} > currentTerm {own_term}; heard from leader {l} lately: true");
                    v.push(lit("rv.guard", seen));
                    return v;
                }
                RefuseReason::JustRestarted => {
                    let seen = format!(
                        "term {term} > currentTerm {own_term}; restarted less than an election timeout ago: true"
                    );
                    v.push(lit("rv.guard", seen));
                    return v;
                }
                RefuseReason::StaleTerm => {
                    v.push(lit("rv.stale-term", format!("term {term} < currentTerm {own_term}: true")));
                }
                RefuseReason::AlreadyVoted(other) => {
                    v.push(lit("rv.stale-term", format!("term {term} < currentTerm {own_term}: false")));
                    v.push(lit("rv.voted-for", format!("votedFor {other}, not {candidate}: false")));
                }
                RefuseReason::LogBehind => {
                    v.push(lit("rv.stale-term", format!("term {term} < currentTerm {own_term}: false")));
                    v.push(lit("rv.voted-for", format!("votedFor null or {candidate}: true")));
                    v.push(lit("rv.log-ok", log_check(request, mine, false)));
                }
                #[cfg(feature = "membership")]
                RefuseReason::Removed => {
                    v.push(lit("rv.stale-term", format!("term {term} < currentTerm {own_term}: false")));
                    v.push(lit("mem.refuse", format!("my log removes {candidate}: true")));
                }
            }
            v.push(lit("rv.refuse", ""));
            v
        }
        E::PreVoteStarted { term, .. } => vec![lit("pv.start", format!("PreVote for term {term}"))],
        E::PreVoteGranted { term, .. } => vec![
            lit("pv.receive", format!("term {term}")),
            lit("pv.stale-term", format!("term {term} < currentTerm: false")),
            lit("pv.guard", "heard from a leader lately: false"),
            lit("pv.voted-for", "voted for another in this term: false"),
            lit("pv.log-ok", log_check(request, None, true)),
        ],
        E::PreVoteRefused { candidate, term, reason, own_term, own_last_index, own_last_term, .. } => {
            let mut v = vec![lit("pv.receive", format!("term {term}, from {candidate}"))];
            let stale = |b: bool| lit("pv.stale-term", format!("term {term} < currentTerm {own_term}: {}", yes(b)));
            match reason {
                RefuseReason::StaleTerm => v.push(stale(true)),
                RefuseReason::LeaderAlive(l) => {
                    v.push(stale(false));
                    v.push(lit("pv.guard", format!("heard from leader {l} lately: true")));
                }
                RefuseReason::JustRestarted => {
                    v.push(stale(false));
                    v.push(lit("pv.guard", "restarted less than an election timeout ago: true"));
                }
                RefuseReason::AlreadyVoted(other) => {
                    v.push(stale(false));
                    v.push(lit("pv.guard", "heard from a leader lately: false"));
                    v.push(lit("pv.voted-for", format!("term {term} == currentTerm, votedFor {other}: true")));
                }
                RefuseReason::LogBehind => {
                    v.push(stale(false));
                    v.push(lit("pv.guard", "heard from a leader lately: false"));
                    v.push(lit("pv.voted-for", "voted for another in this term: false"));
                    v.push(lit("pv.log-ok", log_check(request, Some((*own_last_index, *own_last_term)), false)));
                }
                #[cfg(feature = "membership")]
                RefuseReason::Removed => {
                    v.push(stale(false));
                    v.push(lit("mem.refuse", format!("my log removes {candidate}: true")));
                }
            }
            v
        }
        E::LeaderElected { term, votes, .. } => vec![
            lit("cand.win", format!("{} votes, {}: true", votes.len(), cx.majority())),
            lit("ldr.elected", format!("leader of term {term}")),
        ],
        E::SteppedDown { was: Role::Candidate, term, because_of: Some(from), .. } => {
            vec![lit("cand.step-down", format!("a message of term {term} from {from}"))]
        }
        E::SteppedDown { term, because_of: Some(from), .. } => {
            vec![lit("all.newer-term", format!("term {term} from {from} > my term: true"))]
        }
        E::SteppedDown { .. } => vec![],
        E::LostQuorum { heard, servers, .. } => {
            let seen = format!("heard from {} of {servers} < majority {}: true", heard.len(), servers / 2 + 1);
            vec![lit("cq.check", seen)]
        }
        E::Appended { index, term, command, .. } if *command == crate::raft::Command::Noop => {
            vec![lit("ldr.noop", format!("no-op at index {index}, term {term}"))]
        }
        #[cfg(feature = "membership")]
        E::Appended { index, command: crate::raft::Command::Config { change }, .. } => {
            use crate::raft::Change;
            let id = match change {
                Change::AddLearner(_) => "mem.add",
                Change::Promote(_) => "mem.promote",
                Change::Remove(_) => "mem.remove",
            };
            vec![lit(id, format!("append \"{change}\" at index {index}"))]
        }
        E::Appended { index, term, .. } => vec![lit("ldr.client", format!("append at index {index}, term {term}"))],
        #[cfg(feature = "membership")]
        E::Member { event, .. } => member_lines(event),
        E::Committed { from, to, entries, replicas, .. } => {
            let n_term = entries.last().map_or(0, |e| e.term);
            let own_term = match cx.term {
                Some(t) if t == n_term => format!("log[{to}].term {n_term} == currentTerm {t}: true"),
                // Only unsafe_commit_old_terms commits such an entry by counting.
                Some(t) => format!("log[{to}].term {n_term} == currentTerm {t}: false, committed anyway (breaks Raft)"),
                None => format!("log[{to}].term {n_term} == currentTerm"),
            };
            let majority = format!("N = {to}: matchIndex >= {to} on {} servers, {}", replicas.len(), cx.majority());
            vec![
                lit("commit.majority", majority),
                lit("commit.own-term", own_term),
                lit("commit.set", format!("commitIndex {} -> {to}", from.saturating_sub(1))),
                lit("all.apply", format!("apply up to index {to}")),
            ]
        }
        E::Truncated { from, count, .. } => {
            vec![lit("ae.conflict", format!("delete {count} entries from index {from}"))]
        }
        E::AppendRejected { prev_log_index, reason, own_term, .. } => {
            let term = cx.message.map(|m| m.term);
            let mut v = vec![lit("ae.receive", format!("prevLogIndex {prev_log_index}"))];
            let stale = |b: bool| match term {
                Some(t) => format!("term {t} < currentTerm {own_term}: {}", yes(b)),
                None => format!("term < currentTerm {own_term}: {}", yes(b)),
            };
            match reason {
                RejectReason::StaleTerm => v.push(lit("ae.stale-term", stale(true))),
                RejectReason::Missing => {
                    v.push(lit("ae.stale-term", stale(false)));
                    v.push(lit("ae.follow", ""));
                    v.push(lit("ae.prev-missing", format!("no entry at index {prev_log_index}: true")));
                }
                RejectReason::TermMismatch(mine) => {
                    let theirs = match cx.message.map(|m| &m.body) {
                        Some(Body::AppendEntries { prev_log_term, .. }) => format!(" != prevLogTerm {prev_log_term}"),
                        _ => " != prevLogTerm".to_string(),
                    };
                    v.push(lit("ae.stale-term", stale(false)));
                    v.push(lit("ae.follow", ""));
                    v.push(lit("ae.prev-missing", format!("no entry at index {prev_log_index}: false")));
                    v.push(lit("ae.prev-term", format!("log[{prev_log_index}].term {mine}{theirs}: true")));
                }
            }
            v
        }
        E::BackedUp { follower, next_index, .. } => {
            let seen = format!("nextIndex[{follower}] -> {next_index}, retry");
            if cx.options.contains(&"fast_backup") {
                vec![lit("ldr.fast-back-up", seen)]
            } else {
                vec![lit("ldr.back-up", seen)]
            }
        }
        E::TransferStarted { to, .. } => vec![lit("lt.start", format!("transfer to {to}"))],
        E::TimeoutNowSent { to, .. } => vec![
            lit("lt.catch-up", format!("matchIndex[{to}] == last log index: true")),
            lit("lt.timeout-now", format!("TimeoutNow to {to}")),
        ],
        E::TransferAborted { to, .. } => vec![lit("lt.abort", format!("transfer to {to} given up"))],
        E::ReadStarted { read_index: Some(i), .. } => vec![
            lit("ri.start", format!("readIndex = {i}")),
            lit("ri.own-term", "an entry of currentTerm is committed: true"),
            lit("ri.confirm", "heartbeat round sent"),
        ],
        E::ReadStarted { read_index: None, .. } => vec![
            lit("ri.start", ""),
            lit("ri.own-term", "an entry of currentTerm is committed: false, wait"),
            lit("ri.confirm", "heartbeat round sent"),
        ],
        E::ReadAnswered { index, how: ReadHow::ReadIndex { confirmed_by }, .. } => vec![
            lit("ri.confirm", format!("answered by {} servers, {}: true", confirmed_by.len(), cx.majority())),
            lit("ri.apply", format!("lastApplied >= readIndex {index}: true")),
        ],
        E::ReadAnswered { index, how: ReadHow::Lease, .. } => {
            vec![lit("ri.lease", format!("lease holds: true; answer at commitIndex {index}"))]
        }
        E::Duplicate { index, client, seq, first, .. } => {
            let at = first.map_or(String::new(), |f| format!(", first applied at {f}"));
            vec![
                lit("eo.apply", format!("entry {index}: client {client}, seq {seq}")),
                lit("eo.duplicate", format!("seq {seq} already applied{at}: true")),
            ]
        }
        _ => vec![],
    }
}

/// The lines a delivered message ran at its receiver that no event reports:
/// an accepted AppendEntries (or heartbeat), a vote counted, an
/// acknowledgement. `effects` are the events its delivery made (a
/// rejection, a truncation, a commit...): when one of them tells the story,
/// [`event_lines`] on it says more and this adds only what it misses.
pub fn message_lines(msg: &Message, effects: &[EventData]) -> Vec<Lit> {
    let rejected = effects.iter().any(|e| matches!(e, EventData::AppendRejected { .. }));
    match &msg.body {
        Body::AppendEntries { prev_log_index, prev_log_term, entries, leader_commit, .. } if !rejected => {
            let mut v = vec![
                lit("ae.receive", format!("prevLogIndex {prev_log_index}, {} entries", entries.len())),
                lit("ae.stale-term", format!("term {} < currentTerm: false", msg.term)),
                lit("ae.follow", format!("leader = {}", msg.from)),
                lit("ae.prev-missing", format!("no entry at index {prev_log_index}: false")),
                lit("ae.prev-term", format!("log[{prev_log_index}].term != prevLogTerm {prev_log_term}: false")),
            ];
            for e in effects {
                if let EventData::Truncated { from, count, .. } = e {
                    v.push(lit("ae.conflict", format!("delete {count} entries from index {from}")));
                }
            }
            let last_new = prev_log_index + entries.len() as u64;
            if !entries.is_empty() {
                v.push(lit("ae.append", format!("entries {}..={last_new}", prev_log_index + 1)));
            }
            let commit = (*leader_commit).min(last_new);
            v.push(lit("ae.commit", format!("min(leaderCommit {leader_commit}, last new {last_new}) = {commit}")));
            v.push(lit("ae.reply", format!("true, matchIndex {last_new}")));
            v
        }
        Body::AppendEntriesReply { success: true, match_index, .. } => {
            vec![lit("ldr.success", format!("matchIndex[{}] = {match_index}", msg.from))]
        }
        Body::RequestVoteReply { granted: true } => vec![lit("cand.win", format!("vote from {}", msg.from))],
        _ => vec![],
    }
}

/// The lines a leader ran to send `msg`: a heartbeat (no entries) or a
/// batch of entries from nextIndex; empty for other messages.
pub fn sent_lines(msg: &Message) -> Vec<Lit> {
    match &msg.body {
        Body::AppendEntries { entries, .. } if entries.is_empty() => {
            vec![lit("ldr.heartbeat", format!("empty AppendEntries to {}", msg.to))]
        }
        Body::AppendEntries { prev_log_index, entries, .. } => {
            let last = prev_log_index + entries.len() as u64;
            vec![lit(
                "ldr.send",
                format!("entries {}..={last} to {}, nextIndex {}", prev_log_index + 1, msg.to, prev_log_index + 1),
            )]
        }
        Body::TimeoutNow => vec![lit("lt.timeout-now", format!("TimeoutNow to {}", msg.to))],
        _ => vec![],
    }
}

/// The lines a membership event ran (the leader's configuration entries
/// are [`EventData::Appended`] events, handled by [`event_lines`]).
#[cfg(feature = "membership")]
fn member_lines(event: &crate::sim::MemberEvent) -> Vec<Lit> {
    use crate::sim::MemberEvent as M;
    match event {
        M::Joined { leader } => vec![lit("mem.learner", format!("joined with an empty log, a learner of {leader}"))],
        M::CaughtUp { learner, match_index } => {
            vec![lit("mem.promote", format!("matchIndex[{learner}] {match_index} >= commitIndex: true"))]
        }
        M::Committed { index, change, voters } => {
            let names: Vec<String> = voters.iter().map(|v| v.to_string()).collect();
            let seen = format!(
                "\"{change}\" at index {index} committed; voters {}, majority {} of {}",
                names.join(", "),
                voters.len() / 2 + 1,
                voters.len()
            );
            vec![lit("mem.commit", seen)]
        }
        M::LeftCluster { term } => vec![lit("mem.step-down", format!("my own removal committed: leave, term {term}"))],
        M::NotVoter { learner } => vec![
            lit("fol.timeout", "election timer ran out"),
            lit("mem.not-voter", if *learner { "a learner: true" } else { "not listed as a voter: true" }),
        ],
        M::Disrupts { term, pre_vote, stored } => {
            let knows = if *stored { "stored, not known committed" } else { "never stored" };
            let act = if *pre_vote { "asks for pre-votes for" } else { "stands in" };
            vec![lit("mem.stale", format!("my removal {knows}: {act} term {term}"))]
        }
    }
}

// ----- what the panel shows ----------------------------------------------------------------

use crate::sim::{Cluster, Event, InFlight, NodeId, Payload};

/// How far back the panel looks for the latest event that ran a line.
pub const LOOK_BACK: usize = 400;

/// Whether the event ran a line of the pseudocode.
pub fn lights(e: &EventData) -> bool {
    !event_lines(e, &Context::default()).is_empty()
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

/// The most messages a [`MessageMemory`] keeps.
pub const MEMORY: usize = 256;

/// The requests the panel saw in flight (votes, pre-votes, AppendEntries
/// without their entries): the trace keeps the receiver's side of a
/// comparison, the request its other side. The page shows the cluster
/// every frame, so a request that is on the wire for a frame or more is
/// remembered and the panel can show both sides; one it never saw shows
/// only the receiver's values (never a wrong one).
#[derive(Clone, Debug, Default)]
pub struct MessageMemory {
    /// (id, arrival time, the message), oldest first.
    seen: Vec<(u64, u64, Message)>,
    /// What the messages belong to (a run, a rebuild, a branch): another one forgets them.
    owner: (u64, u64, u32),
}

impl MessageMemory {
    /// Remembers the requests in flight in `c`, forgetting all when `owner`
    /// (the run, the lesson's rebuilds, the branch) changed.
    pub fn remember(&mut self, c: &Cluster, owner: (u64, u64, u32)) {
        if owner != self.owner {
            self.seen.clear();
            self.owner = owner;
        }
        for m in c.messages() {
            let Payload::Raft(r) = &m.payload else { continue };
            let keep = matches!(r.body, Body::RequestVote { .. } | Body::PreVote { .. } | Body::AppendEntries { .. });
            if !keep || self.seen.iter().rev().any(|s| s.0 == m.id) {
                continue;
            }
            let mut r = r.clone();
            if let Body::AppendEntries { entries, .. } = &mut r.body {
                *entries = Vec::new();
            }
            self.seen.push((m.id, m.arrive_at, r));
        }
        if self.seen.len() > MEMORY {
            self.seen.drain(..self.seen.len() - MEMORY);
        }
    }

    /// The remembered request whose delivery made `e`: of the kind that
    /// makes such an event (a vote for a vote, a pre-vote for a pre-vote, an
    /// AppendEntries for a rejection or a truncation; none for the other
    /// events), it arrived at the event's server at the event's time, from
    /// one of the event's other servers.
    pub fn cause(&self, e: &Event) -> Option<&Message> {
        let kind = |b: &Body| match e.what {
            EventData::Voted { .. } | EventData::VoteRefused { .. } => matches!(b, Body::RequestVote { .. }),
            EventData::PreVoteGranted { .. } | EventData::PreVoteRefused { .. } => matches!(b, Body::PreVote { .. }),
            EventData::AppendRejected { .. } | EventData::Truncated { .. } => matches!(b, Body::AppendEntries { .. }),
            _ => false,
        };
        let nodes = e.nodes();
        let (first, others) = nodes.split_first()?;
        self.seen
            .iter()
            .rev()
            .find(|(_, at, m)| *at == e.time && m.to == *first && others.contains(&m.from) && kind(&m.body))
            .map(|s| &s.2)
    }
}

/// The lines event `i` of `c`'s trace ran, with what the panel knows
/// besides: the request that caused it (from `memory`), the cluster's size
/// and options, and for a commit the leader's term then (from the trace).
pub fn lines_of_event(c: &Cluster, i: usize, memory: &MessageMemory) -> Vec<Lit> {
    let events = c.events();
    let Some(e) = events.get(i) else { return Vec::new() };
    let options = options_on(&c.config().raft);
    let term = match e.what {
        EventData::Committed { node, .. } => term_at(events, i, node),
        _ => None,
    };
    let servers = voters_at(events, i, c.initial_config().nodes);
    let cx = Context { servers, message: memory.cause(e), term, options: &options };
    event_lines(&e.what, &cx)
}

/// The lines a message ran: its sender's, and once `arrived`, its
/// receiver's (what its delivery did, from the events it made then).
pub fn lines_of_message(c: &Cluster, m: &InFlight, arrived: bool) -> Vec<Lit> {
    let Payload::Raft(msg) = &m.payload else { return Vec::new() };
    let mut v = sent_lines(msg);
    // The sender's line for the messages no leader's rule sends.
    match &msg.body {
        Body::RequestVote { last_log_index, last_log_term, .. } => v.push(lit(
            "cand.start",
            format!("RequestVote to {}, lastLogIndex {last_log_index}, lastLogTerm {last_log_term}", msg.to),
        )),
        Body::PreVote { .. } => v.push(lit("pv.start", format!("PreVote to {} for term {}", msg.to, msg.term))),
        Body::RequestVoteReply { granted: true } => v.push(lit("rv.grant", format!("votedFor = {}", msg.to))),
        Body::RequestVoteReply { granted: false } => v.push(lit("rv.refuse", format!("no vote for {}", msg.to))),
        Body::AppendEntriesReply { success: true, match_index, .. } => {
            v.push(lit("ae.reply", format!("true, matchIndex {match_index}")))
        }
        _ => {}
    }
    if arrived {
        let events = c.events();
        let mut made: Vec<usize> = (0..events.len())
            .rev()
            .take_while(|&k| events[k].time >= m.arrive_at)
            .filter(|&k| {
                let (e, nodes) = (&events[k], events[k].nodes());
                e.time == m.arrive_at && nodes.first() == Some(&msg.to) && nodes[1..].contains(&msg.from)
            })
            .collect();
        made.reverse();
        let effects: Vec<EventData> = made.iter().map(|&k| events[k].what.clone()).collect();
        v.extend(message_lines(msg, &effects));
        let options = options_on(&c.config().raft);
        for &k in &made {
            let term = match events[k].what {
                EventData::Committed { node, .. } => term_at(events, k, node),
                _ => None,
            };
            let servers = voters_at(events, k, c.initial_config().nodes);
            let cx = Context { servers, message: Some(msg), term, options: &options };
            v.extend(event_lines(&events[k].what, &cx));
        }
    }
    let mut seen_ids = Vec::new();
    v.retain(|l| {
        let first = !seen_ids.contains(&l.id);
        seen_ids.push(l.id);
        first
    });
    v
}

/// The pseudocode as the panel's markup: each procedure shown with the
/// options `on`, its title and cite, its "why" (open when its key is in
/// `open`), its lines nested by their leading spaces; the lines in `lits`
/// lit, numbered in the order they ran, with what they saw. A procedure
/// with a lit line is marked too (`pc-on`).
pub fn render(doc: &Pseudocode, on: &[&str], lits: &[Lit], open: &[String]) -> String {
    use crate::view::diagram_svg::Esc;
    use std::fmt::Write;
    let mut s = String::new();
    let shown = doc.shown(on);
    // Numbered in the order they ran among the lines shown (a line of an
    // option that is off is lit in no procedure shown, and takes no number).
    let lits: Vec<&Lit> = lits.iter().filter(|x| shown.iter().any(|p| p.lines.iter().any(|l| l.id == x.id))).collect();
    for p in shown {
        let lit_here = p.lines.iter().any(|l| lits.iter().any(|x| x.id == l.id));
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
        for l in &p.lines {
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
    c: &Cluster,
    explained: Option<usize>,
    inspected: Option<(&InFlight, bool)>,
    memory: &MessageMemory,
) -> Showing {
    let events = c.events();
    if let Some((m, arrived)) = inspected {
        let fate = if arrived { "delivered" } else { "in flight" };
        return Showing {
            heading: format!("Message #{}", m.id),
            what: format!("{} from {} to {}, {fate}", m.payload.kind().name(), m.from, m.to),
            lits: lines_of_message(c, m, arrived),
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
        lits: lines_of_event(c, i, memory),
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

    fn request(from: u8, to: u8, term: u64, body: Body) -> Message {
        Message { from: NodeId(from), to: NodeId(to), term, body }
    }

    /// A request of another kind from the same server, arriving at the same
    /// time, is never taken for the one that made the event.
    #[test]
    fn the_cause_of_an_event_is_a_request_of_its_kind() {
        let vote = request(1, 2, 7, Body::RequestVote { last_log_index: 4, last_log_term: 3, transfer: false });
        let pre = request(1, 2, 8, Body::PreVote { last_log_index: 4, last_log_term: 3 });
        let append = request(
            1,
            2,
            6,
            Body::AppendEntries {
                prev_log_index: 4,
                prev_log_term: 2,
                entries: Vec::new(),
                leader_commit: 0,
                round: 0,
            },
        );
        let at = |what: EventData| Event { time: 100, what };
        let rejected = at(EventData::AppendRejected {
            node: NodeId(2),
            leader: NodeId(1),
            prev_log_index: 4,
            reason: RejectReason::StaleTerm,
            own_term: 7,
        });
        let voted = at(EventData::Voted { node: NodeId(2), candidate: NodeId(1), term: 7 });
        let pre_voted = at(EventData::PreVoteGranted { node: NodeId(2), candidate: NodeId(1), term: 8 });
        let elected = at(EventData::LeaderElected { node: NodeId(2), term: 7, votes: vec![NodeId(1), NodeId(2)] });
        let mut memory = MessageMemory::default();
        memory.seen.push((1, 100, append.clone()));
        memory.seen.push((2, 100, pre.clone()));
        memory.seen.push((3, 100, vote.clone()));
        assert_eq!(memory.cause(&rejected), Some(&append));
        assert_eq!(memory.cause(&voted), Some(&vote));
        assert_eq!(memory.cause(&pre_voted), Some(&pre));
        assert_eq!(memory.cause(&elected), None);
        // Only requests of other kinds: no cause, and the lines say less.
        memory.seen.retain(|s| s.0 != 1);
        assert_eq!(memory.cause(&rejected), None);
        let options = [];
        let cx = Context { servers: 3, message: memory.cause(&rejected), term: None, options: &options };
        let lits = event_lines(&rejected.what, &cx);
        assert_eq!(lits[1].seen, "term < currentTerm 7: true", "not the vote request's term: {lits:?}");
        memory.seen.retain(|s| s.0 != 3);
        assert_eq!(memory.cause(&voted), None);
        memory.seen.retain(|s| s.0 != 2);
        memory.seen.push((4, 100, vote));
        assert_eq!(memory.cause(&pre_voted), None);
    }
}
