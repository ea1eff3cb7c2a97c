//! Checking a condition against a cluster: whether it holds, and a sentence
//! saying what was seen ("S1 leads term 4"), for the report either way.

use super::lex::Quote;
use super::{Cond, Where};
use crate::raft::{Command, NodeId};
use crate::sim::{Cluster, Server};
use std::fmt::{self, Write};

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Where::All => f.write_str("all"),
            Where::Majority => f.write_str("majority"),
            Where::Servers(nodes) => f.write_str(&names(nodes)),
        }
    }
}

impl fmt::Display for Cond {
    /// The condition as a script writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cond::Leader(nodes) if nodes.is_empty() => write!(f, "leader"),
            Cond::Leader(nodes) if nodes.len() == 1 => write!(f, "leader {}", nodes[0]),
            Cond::Leader(nodes) => write!(f, "leader in {}", names(nodes)),
            Cond::NoLeader => write!(f, "no leader"),
            Cond::Term(n, t) => write!(f, "term {n} {t}"),
            Cond::Role(n, r) => write!(f, "role {n} {r}"),
            Cond::Crashed(n) => write!(f, "crashed {n}"),
            Cond::Running(n) => write!(f, "running {n}"),
            Cond::Committed { key, value, on } => write!(f, "committed {key}={value} on {on}"),
            Cond::Stored { key, value, on } => write!(f, "stored {key}={value} on {on}"),
            Cond::CommitIndex { index, on } => write!(f, "committed index {index} on {on}"),
            Cond::Matched { index, on } => write!(f, "matched index {index} on {on}"),
            Cond::Applied { key, value, on } => write!(f, "applied {key}={value} on {on}"),
            Cond::Log(n, terms) if terms.is_empty() => write!(f, "log {n} empty"),
            Cond::Log(n, terms) => write!(f, "log {n} {}", log_text(terms)),
            Cond::SameLog(on) => write!(f, "same log on {on}"),
            Cond::Acknowledged { key, value } => write!(f, "acknowledged {key}={value}"),
            Cond::Read { key, value: Some(v) } => write!(f, "read {key}={v}"),
            Cond::Read { key, value: None } => write!(f, "read {key}=none"),
            Cond::NoViolation => write!(f, "no violation"),
            Cond::Violation(None) => write!(f, "violation"),
            Cond::Violation(Some(p)) => write!(f, "violation {}", Quote(p.name())),
            Cond::Event { words, at_least: 1 } => write!(f, "event {}", Quote(words)),
            Cond::Event { words, at_least } => {
                write!(f, "event {} at least {at_least} times", Quote(words))
            }
            Cond::NoEvent(words) => write!(f, "no event {}", Quote(words)),
            Cond::Not(c) => write!(f, "not {c}"),
        }
    }
}

fn names(nodes: &[NodeId]) -> String {
    let mut out = String::new();
    for n in nodes {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{n}");
    }
    out
}

/// "1:1 2:1 3:2", cut after 12 entries.
fn log_text(terms: &[u64]) -> String {
    let mut out = String::new();
    for (i, t) in terms.iter().take(12).enumerate() {
        let sep = if i > 0 { " " } else { "" };
        let _ = write!(out, "{sep}{}:{t}", i + 1);
    }
    if terms.len() > 12 {
        let _ = write!(out, " … ({} entries)", terms.len());
    }
    out
}

/// The terms of a server's log, entry by entry.
fn terms(s: &Server) -> Vec<u64> {
    s.log().iter().map(|e| e.term).collect()
}

/// Counts trace events containing some words, reading each event once per
/// distinct set of words however often a condition is checked.
#[derive(Clone, Debug, Default)]
pub(crate) struct EventCounts {
    /// The words, how many events were read for them and how many had them
    /// (a script looks for a few sets of words: a list is enough).
    seen: Vec<(String, usize, u64)>,
}

impl EventCounts {
    fn count(&mut self, c: &Cluster, words: &str) -> u64 {
        let i = match self.seen.iter().position(|(w, _, _)| w == words) {
            Some(i) => i,
            None => {
                self.seen.push((words.to_string(), 0, 0));
                self.seen.len() - 1
            }
        };
        let (_, read, count) = &mut self.seen[i];
        let events = c.events();
        *count += events.get(*read..).unwrap_or(&[]).iter().filter(|e| has_words(&e.text(), words)).count() as u64;
        *read = events.len();
        *count
    }
}

/// Whether `text` contains `words` (as `str::contains` says, by a plain
/// search: the standard library's two-way searcher costs the page 1.7 KB).
fn has_words(text: &str, words: &str) -> bool {
    words.is_empty() || text.as_bytes().windows(words.len()).any(|w| w == words.as_bytes())
}

/// Whether `cond` holds in `c`, and what was seen.
pub(crate) fn check(c: &Cluster, cond: &Cond, counts: &mut EventCounts) -> (bool, String) {
    match cond {
        Cond::Leader(want) => {
            let seen = leader_text(c);
            let ok = c.leader().is_some_and(|l| want.is_empty() || want.contains(&l));
            (ok, seen)
        }
        Cond::NoLeader => (c.leader().is_none(), leader_text(c)),
        Cond::Term(n, _) | Cond::Role(n, _) | Cond::Crashed(n) | Cond::Running(n) | Cond::Log(n, _) => {
            let Some(s) = c.node(*n) else { return (false, format!("there is no server {n}")) };
            match cond {
                Cond::Term(_, t) => (s.term() == *t, format!("{n} is in term {}", s.term())),
                Cond::Log(_, want) => {
                    let have = terms(s);
                    let seen = if have.is_empty() {
                        format!("{n}'s log is empty")
                    } else {
                        format!("{n}'s log is {}", log_text(&have))
                    };
                    (&have == want, seen)
                }
                _ => {
                    let ok = match cond {
                        Cond::Role(_, r) => s.is_up() && s.role() == *r,
                        Cond::Crashed(_) => !s.is_up(),
                        _ => s.is_up(),
                    };
                    let seen = if s.is_up() {
                        format!("{n} is a {} in term {}", s.role(), s.term())
                    } else {
                        format!("{n} is crashed")
                    };
                    (ok, seen)
                }
            }
        }
        Cond::Committed { on, .. }
        | Cond::Stored { on, .. }
        | Cond::Applied { on, .. }
        | Cond::CommitIndex { on, .. }
        | Cond::Matched { on, .. }
        | Cond::SameLog(on) => {
            let leader = c.leader().and_then(|l| c.node(l));
            let first = chosen(c, on).into_iter().find(|s| s.is_up());
            match cond {
                Cond::Matched { .. } if leader.is_none() => (false, "no server leads".into()),
                Cond::SameLog(_) if first.is_none() => (false, "no server is running".into()),
                _ => on_servers(c, on, cond, leader, first),
            }
        }
        Cond::Acknowledged { key, value } => {
            let command = Command::set(key, *value);
            let (mut acked, mut last) = (None, None);
            for o in c.client_ops().iter().filter(|o| o.write() == Some(&command)) {
                if o.is_acked() && acked.is_none() {
                    acked = Some(o);
                }
                last = Some(o);
            }
            match (acked, last) {
                (Some(o), _) => (true, format!("write #{} was acknowledged", o.id)),
                (None, None) => (false, format!("the client never wrote {key}={value}")),
                (None, Some(o)) => {
                    let status = if o.is_pending() { "is pending" } else { "failed" };
                    (false, format!("write #{} {status}", o.id))
                }
            }
        }
        Cond::Read { key, value } => {
            let last = c.client_ops().iter().rev().find(|o| o.is_read() && o.key() == Some(key.as_str()));
            match last {
                Some(o) if o.is_acked() => {
                    let seen = match o.value() {
                        Some(v) => format!("read #{} of {key} returned {v}", o.id),
                        None => format!("read #{} of {key} found it never written", o.id),
                    };
                    (o.value() == *value, seen)
                }
                Some(o) if o.is_pending() => (false, format!("read #{} of {key} has no answer yet", o.id)),
                Some(o) => (false, format!("the client gave read #{} of {key} up", o.id)),
                None => (false, format!("the client never read {key}")),
            }
        }
        Cond::NoViolation | Cond::Violation(_) => {
            let want = match cond {
                Cond::Violation(want) => *want,
                _ => None,
            };
            let hit = c.violations().iter().find(|v| want.is_none_or(|p| v.property == p));
            match hit {
                Some(v) => {
                    let seen =
                        format!("{} broke at {}: {}", v.property.name(), super::lex::format_ms(v.time), v.explanation);
                    (*cond != Cond::NoViolation, seen)
                }
                None if c.violations().is_empty() => (*cond == Cond::NoViolation, "no violation".into()),
                None => {
                    let mut seen = String::from("only ");
                    let mut prev = "";
                    for v in c.violations() {
                        let name = v.property.name();
                        if name != prev {
                            if !prev.is_empty() {
                                seen.push_str(", ");
                            }
                            seen.push_str(name);
                            prev = name;
                        }
                    }
                    (false, seen)
                }
            }
        }
        Cond::Event { words, at_least } => {
            let k = counts.count(c, words);
            let seen = match k {
                0 => "no event has these words".to_string(),
                1 => "1 event has them".to_string(),
                k => format!("{k} events have them"),
            };
            (k >= *at_least, seen)
        }
        Cond::Not(inner) => {
            let (ok, seen) = check(c, inner, counts);
            (!ok, seen)
        }
        Cond::NoEvent(words) => {
            let k = counts.count(c, words);
            let first = c.events().iter().find(|e| has_words(&e.text(), words));
            match first {
                None => (true, "no event has these words".into()),
                Some(e) => (false, format!("at {}: {}", super::lex::format_ms(e.time), e.text()) + &more(k)),
            }
        }
    }
}

/// Whether a running server `s` meets `cond` (one about servers, checked on each
/// one [`on_servers`] names), and if not, why. `leader` is the leader's server
/// (for `matched`), `first` the first running one named (for `same log`).
fn on_server(
    c: &Cluster,
    s: &Server,
    cond: &Cond,
    leader: Option<&Server>,
    first: Option<&Server>,
) -> Result<(), String> {
    let id = s.id();
    match cond {
        Cond::Committed { key, value, .. } | Cond::Stored { key, value, .. } => {
            let command = Command::set(key, *value);
            let commit = s.commit_index();
            let committed = matches!(cond, Cond::Committed { .. });
            // (By index: with log compaction the log starts after the snapshot.)
            if s.log().iter().take_while(|e| !committed || e.index <= commit).any(|e| e.command == command) {
                Ok(())
            } else if committed && s.log().iter().any(|e| e.command == command) {
                Err(format!("{id} has it but not committed (commit index {commit})"))
            } else {
                compacted(c, s, &command)
            }
        }
        Cond::CommitIndex { index, .. } if s.commit_index() < *index => {
            Err(format!("{id} has committed up to {}", s.commit_index()))
        }
        Cond::Matched { index, .. } => {
            let Some(leader) = leader else { return Ok(()) };
            let matched = if id == leader.id() {
                s.raft().last_index()
            } else {
                leader.progress(id).map_or(0, |p| p.match_index)
            };
            if matched >= *index {
                Ok(())
            } else {
                Err(format!("{} knows {id} stores up to {matched}", leader.id()))
            }
        }
        Cond::Applied { key, value, .. } => match s.raft().kv().get(key.as_str()) {
            Some(v) if v == value => Ok(()),
            Some(v) => Err(format!("{id} has {key} = {v}")),
            None => Err(format!("{id} has no {key}")),
        },
        Cond::SameLog(_) => match first {
            Some(f) if !s.same_log(f) => {
                Err(format!("{} has {} but {id} has {}", f.id(), log_text(&terms(f)), log_text(&terms(s))))
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A write no longer in `s`'s log may be in its snapshot (log compaction):
/// the server holds it, committed, when it was committed at an index the
/// snapshot covers, even if a later write of the key overwrote its value.
fn compacted(c: &Cluster, s: &Server, command: &Command) -> Result<(), String> {
    let covered = s.raft().snapshot_index();
    if c.in_snapshot(s, command) {
        Ok(())
    } else if covered > 0 {
        Err(format!(
            "{} does not have it in its log, and it was not committed at any of the entries 1 to {covered} its snapshot holds",
            s.id()
        ))
    } else {
        Err(format!("{} does not have it", s.id()))
    }
}

fn more(k: u64) -> String {
    if k > 1 {
        format!(" (and {} more)", k - 1)
    } else {
        String::new()
    }
}

fn leader_text(c: &Cluster) -> String {
    match c.leader() {
        Some(l) => format!("{l} leads term {}", c.node(l).map_or(0, |s| s.term())),
        None => "no server leads".to_string(),
    }
}

fn chosen<'c>(c: &'c Cluster, on: &Where) -> Vec<&'c Server> {
    match on {
        Where::All | Where::Majority => c.servers().iter().filter(|s| s.is_up()).collect(),
        Where::Servers(nodes) => nodes.iter().filter_map(|&n| c.node(n)).collect(),
    }
}

/// Checks [`on_server`] on the servers `on` names: all of them (crashed ones fail) or a majority.
fn on_servers(c: &Cluster, on: &Where, cond: &Cond, leader: Option<&Server>, first: Option<&Server>) -> (bool, String) {
    let servers = chosen(c, on);
    let mut ok = Vec::new();
    let mut not = Vec::new();
    for s in servers {
        match if s.is_up() { on_server(c, s, cond, leader, first) } else { Err(format!("{} is crashed", s.id())) } {
            Ok(()) => ok.push(s.id()),
            Err(why) => not.push(why),
        }
    }
    match on {
        Where::Majority => {
            let need = c.servers().len() / 2 + 1;
            let which = if ok.is_empty() { String::new() } else { format!(": {}", names(&ok)) };
            let seen = format!("{} of {} servers{which}; a majority is {need}", ok.len(), c.servers().len());
            (ok.len() >= need, seen)
        }
        _ if !not.is_empty() => (false, not.join("; ")),
        Where::All if ok.is_empty() => (false, "no server is running".to_string()),
        _ => (true, format!("on {}", names(&ok))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_words_says_what_str_contains_says() {
        let texts = ["", "S1 wins the election", "S1 → S2: AppendEntries", "ünïcode ✓ ok", "aaab"];
        let words = ["", "S1", "wins the", "election!", "→ S2", "✓", "ïc", "aab", "aaab ", "b"];
        for t in texts {
            for w in words {
                assert_eq!(has_words(t, w), t.contains(w), "{t:?} {w:?}");
            }
        }
    }
}
