//! Checking a condition against a cluster: whether it holds, and a sentence
//! saying what was seen ("S1 leads term 4"), for the report either way.

use super::{Cond, Where};
use crate::raft::{Command, NodeId};
use crate::sim::{Cluster, Server};
use std::fmt;

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
            Cond::Violation(Some(p)) => write!(f, "violation {}", super::lex::quote(p.name())),
            Cond::Event { words, at_least: 1 } => write!(f, "event {}", super::lex::quote(words)),
            Cond::Event { words, at_least } => {
                write!(f, "event {} at least {at_least} times", super::lex::quote(words))
            }
            Cond::NoEvent(words) => write!(f, "no event {}", super::lex::quote(words)),
            Cond::Not(c) => write!(f, "not {c}"),
        }
    }
}

fn names(nodes: &[NodeId]) -> String {
    nodes.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" ")
}

/// "1:1 2:1 3:2", cut after 12 entries.
fn log_text(terms: &[u64]) -> String {
    let mut parts: Vec<String> = terms.iter().take(12).enumerate().map(|(i, t)| format!("{}:{t}", i + 1)).collect();
    if terms.len() > 12 {
        parts.push(format!("… ({} entries)", terms.len()));
    }
    parts.join(" ")
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
        *count += events.get(*read..).unwrap_or(&[]).iter().filter(|e| e.text().contains(words)).count() as u64;
        *read = events.len();
        *count
    }
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
        Cond::Term(n, t) => {
            let Some(s) = c.node(*n) else { return no_such(*n) };
            (s.term() == *t, format!("{n} is in term {}", s.term()))
        }
        Cond::Role(n, r) => {
            let Some(s) = c.node(*n) else { return no_such(*n) };
            (s.is_up() && s.role() == *r, role_text(s))
        }
        Cond::Crashed(n) => {
            let Some(s) = c.node(*n) else { return no_such(*n) };
            (!s.is_up(), role_text(s))
        }
        Cond::Running(n) => {
            let Some(s) = c.node(*n) else { return no_such(*n) };
            (s.is_up(), role_text(s))
        }
        Cond::Committed { key, value, on } => {
            let command = Command::set(key, *value);
            on_servers(c, on, &|s| {
                let commit = s.commit_index() as usize;
                if s.log().iter().take(commit).any(|e| e.command == command) {
                    Ok(())
                } else if s.log().iter().any(|e| e.command == command) {
                    Err(format!("{} has it but not committed (commit index {commit})", s.id()))
                } else {
                    Err(format!("{} does not have it", s.id()))
                }
            })
        }
        Cond::Stored { key, value, on } => {
            let command = Command::set(key, *value);
            on_servers(c, on, &|s| match s.log().iter().find(|e| e.command == command) {
                Some(_) => Ok(()),
                None => Err(format!("{} does not have it", s.id())),
            })
        }
        Cond::CommitIndex { index, on } => on_servers(c, on, &|s| {
            if s.commit_index() >= *index {
                Ok(())
            } else {
                Err(format!("{} has committed up to {}", s.id(), s.commit_index()))
            }
        }),
        Cond::Matched { index, on } => {
            let Some(leader) = c.leader().and_then(|l| c.node(l)) else {
                return (false, "no server leads".into());
            };
            on_servers(c, on, &|s| {
                let matched = if s.id() == leader.id() {
                    s.log().len() as u64
                } else {
                    leader.progress(s.id()).map_or(0, |p| p.match_index)
                };
                if matched >= *index {
                    Ok(())
                } else {
                    Err(format!("{} knows {} stores up to {matched}", leader.id(), s.id()))
                }
            })
        }
        Cond::Applied { key, value, on } => on_servers(c, on, &|s| match s.raft().kv().get(key.as_str()) {
            Some(v) if v == value => Ok(()),
            Some(v) => Err(format!("{} has {key} = {v}", s.id())),
            None => Err(format!("{} has no {key}", s.id())),
        }),
        Cond::Log(n, terms) => {
            let Some(s) = c.node(*n) else { return no_such(*n) };
            let have: Vec<u64> = s.log().iter().map(|e| e.term).collect();
            let seen = if have.is_empty() {
                format!("{n}'s log is empty")
            } else {
                format!("{n}'s log is {}", log_text(&have))
            };
            (&have == terms, seen)
        }
        Cond::SameLog(on) => {
            let servers = chosen(c, on);
            let first = servers.iter().find(|s| s.is_up());
            let Some(first) = first else { return (false, "no server is running".into()) };
            on_servers(c, on, &|s| {
                if s.log() == first.log() {
                    Ok(())
                } else {
                    let terms = |x: &Server| log_text(&x.log().iter().map(|e| e.term).collect::<Vec<_>>());
                    Err(format!("{} has {} but {} has {}", first.id(), terms(first), s.id(), terms(s)))
                }
            })
        }
        Cond::Acknowledged { key, value } => {
            let command = Command::set(key, *value);
            let ops: Vec<_> = c.client_ops().iter().filter(|o| o.write() == Some(&command)).collect();
            match ops.iter().find(|o| o.is_acked()) {
                Some(o) => (true, format!("write #{} was acknowledged", o.id)),
                None if ops.is_empty() => (false, format!("the client never wrote {key}={value}")),
                None => {
                    let o = ops[ops.len() - 1];
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
        Cond::NoViolation => match c.violations().first() {
            None => (true, "no violation".into()),
            Some(v) => {
                (false, format!("{} broke at {}: {}", v.property.name(), super::lex::format_ms(v.time), v.explanation))
            }
        },
        Cond::Violation(want) => {
            let hit = c.violations().iter().find(|v| want.is_none_or(|p| v.property == p));
            match hit {
                Some(v) => (
                    true,
                    format!("{} broke at {}: {}", v.property.name(), super::lex::format_ms(v.time), v.explanation),
                ),
                None if c.violations().is_empty() => (false, "no violation".into()),
                None => {
                    let mut props: Vec<&str> = c.violations().iter().map(|v| v.property.name()).collect();
                    props.dedup();
                    (false, format!("only {}", props.join(", ")))
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
            let first = c.events().iter().find(|e| e.text().contains(words.as_str()));
            match first {
                None => (true, "no event has these words".into()),
                Some(e) => (false, format!("at {}: {}", super::lex::format_ms(e.time), e.text()) + &more(k)),
            }
        }
    }
}

fn more(k: u64) -> String {
    if k > 1 {
        format!(" (and {} more)", k - 1)
    } else {
        String::new()
    }
}

/// For a condition about a server the cluster does not have (a parsed script never names one).
fn no_such(n: NodeId) -> (bool, String) {
    (false, format!("there is no server {n}"))
}

fn leader_text(c: &Cluster) -> String {
    match c.leader() {
        Some(l) => format!("{l} leads term {}", c.node(l).map_or(0, |s| s.term())),
        None => "no server leads".to_string(),
    }
}

fn role_text(s: &Server) -> String {
    if s.is_up() {
        format!("{} is a {} in term {}", s.id(), s.role(), s.term())
    } else {
        format!("{} is crashed", s.id())
    }
}

fn chosen<'c>(c: &'c Cluster, on: &Where) -> Vec<&'c Server> {
    match on {
        Where::All | Where::Majority => c.servers().iter().filter(|s| s.is_up()).collect(),
        Where::Servers(nodes) => nodes.iter().filter_map(|&n| c.node(n)).collect(),
    }
}

/// Checks `each` on the servers `on` names: all of them (crashed ones fail) or a majority.
/// (`dyn`: one copy of this code for the six conditions that use it.)
fn on_servers(c: &Cluster, on: &Where, each: &dyn Fn(&Server) -> Result<(), String>) -> (bool, String) {
    let servers = chosen(c, on);
    let mut ok = Vec::new();
    let mut not = Vec::new();
    for s in servers {
        match if s.is_up() { each(s) } else { Err(format!("{} is crashed", s.id())) } {
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
