//! The one mapping between action lines and the engine's [`Action`]s, both
//! ways: [`parse_action`] reads `crash S1`, `write x=3 to S2`, `partition S1 S2 | S3`,
//! `drop next AppendEntries S1->S2`...; [`format_action`] writes an `Action`
//! back as the line that reads into it. A new `Action` variant needs a line in
//! each (the compiler points at `format_action`).

use super::lex::{format_ms, name_list, Cursor, Parsed};
use super::settings::{format_links, format_rate, links, switch_value};
use super::{Pick, Step, Tamper, DEFAULT_WITHIN_MS, MAX_TIME_MS};
use crate::raft::NodeId;
use crate::sim::{check_key, Action, Addr, Command, Config, InFlight, MessageKind, SWITCHES};
use std::fmt::Write;

/// Every message kind a script can name.
pub const KINDS: [MessageKind; MessageKind::ALL.len()] = MessageKind::ALL;

/// A message kind's name in a script: its one [name](MessageKind::name), as the page gives it.
pub fn kind_name(kind: MessageKind) -> &'static str {
    kind.name()
}

/// "S1->S2".
pub(crate) fn link_name(from: Addr, to: Addr) -> String {
    format!("{from}->{to}")
}

/// What an action line does, for the tamper lines once their message is known.
impl Tamper {
    /// The action that drops or duplicates message `id`.
    pub fn action(self, id: u64) -> Action {
        match self {
            Tamper::Drop => Action::DropMessage { id },
            Tamper::Duplicate => Action::DuplicateMessage { id },
        }
    }

    fn word(self) -> &'static str {
        match self {
            Tamper::Drop => "drop",
            Tamper::Duplicate => "duplicate",
        }
    }
}

/// Reads an action line, if the cursor (at the line's first word, after any
/// time) is at one. `cfg` is the script's config (for the number of servers
/// and to check new timings as the engine will).
/// The first words of the action lines, in the order [`parse_action`] reads them.
const ACTIONS: [&str; 14] = [
    "crash",
    "restart",
    "disconnect",
    "reconnect",
    "timeout",
    "transfer",
    "heal",
    "partition",
    "write",
    "submit",
    "read",
    "set",
    "drop",
    "duplicate",
];

pub(crate) fn parse_action(cur: &mut Cursor, cfg: &Config) -> Option<Parsed<Step>> {
    #[cfg(feature = "membership")]
    if let Some(step) = membership(cur, cfg.nodes) {
        return Some(step);
    }
    let n = cfg.nodes;
    let word = cur.keyword(&ACTIONS)?;
    Some(match word {
        0..=5 => {
            if word == 5 {
                cur.eat_word("to");
            }
            cur.node(n).map(|node| Step::Act(Action::on_server(word as u8, node)))
        }
        6 => Ok(Step::Act(Action::Heal)),
        7 => partition(cur, n),
        8 | 9 => write(cur, n, word == 9),
        10 => read(cur, n),
        11 => set(cur, cfg),
        _ => tamper(cur, n, if word == 12 { Tamper::Drop } else { Tamper::Duplicate }),
    })
}

/// `add server` and `remove S3`. `n` counts the servers the cluster can have
/// at this line: the first ones and one for each `add server` before it (the
/// engine numbers a new server after the last and never reuses a number).
/// An `add server` past the 9th server is refused here with the engine's words.
#[cfg(feature = "membership")]
fn membership(cur: &mut Cursor, n: usize) -> Option<Parsed<Step>> {
    cur.skip_ws();
    let at = cur.pos();
    Some(match cur.keyword(&["add", "remove"])? {
        0 if !cur.eat_word("server") => Err(cur.expected("\"server\", as in add server")),
        0 if n >= crate::sim::MAX_SERVERS => Err(cur.error_at(at, crate::sim::SimError::TooManyServers.to_string())),
        0 => Ok(Step::Act(Action::AddServer)),
        _ => cur.node(n).map(|node| Step::Act(Action::RemoveServer { node })),
    })
}

fn partition(cur: &mut Cursor, n: usize) -> Parsed<Step> {
    let mut groups: Vec<Vec<NodeId>> = vec![Vec::new()];
    let mut seen = vec![false; n + 1];
    loop {
        if cur.at_end() {
            break;
        }
        if cur.eat("|") {
            groups.push(Vec::new());
            continue;
        }
        cur.skip_ws();
        let at = cur.pos();
        let node = cur.node(n)?;
        if std::mem::replace(&mut seen[node.0 as usize], true) {
            return Err(cur.error_at(at, format!("{node} is named twice: each server is in one group")));
        }
        if let Some(g) = groups.last_mut() {
            g.push(node);
        }
    }
    // `partition` alone: no groups at all (everyone together).
    if groups.len() == 1 && groups[0].is_empty() {
        groups.clear();
    }
    Ok(Step::Act(Action::Partition { groups }))
}

/// `key=value`.
pub(crate) fn key_value(cur: &mut Cursor) -> Parsed<(String, i64)> {
    cur.skip_ws();
    let at = cur.pos();
    let Some(key) = cur.word() else {
        return Err(cur.expected("a write like x=3"));
    };
    check_key(key).map_err(|e| cur.error_at(at, e.to_string()))?;
    if !cur.eat("=") {
        return Err(cur.expected("\"=\" and a value, like x=3"));
    }
    Ok((key.to_string(), cur.integer()?))
}

fn write(cur: &mut Cursor, n: usize, submit: bool) -> Parsed<Step> {
    // `noop`: the empty entry a leader appends (the engine's Command::Noop).
    let command = if cur.eat_word("noop") {
        Command::Noop
    } else {
        let (key, value) = key_value(cur)?;
        Command::Set { key: key.into(), value }
    };
    if submit {
        if !cur.eat_word("to") {
            return Err(cur.expected("\"to\" and the server that leads, like submit x=3 to S2"));
        }
        return Ok(Step::Act(Action::Submit { node: cur.node(n)?, command }));
    }
    let to = if cur.eat_word("to") { Some(cur.node(n)?) } else { None };
    Ok(Step::Act(Action::Write { command, to }))
}

/// `read x`, `read x from S2`.
fn read(cur: &mut Cursor, n: usize) -> Parsed<Step> {
    cur.skip_ws();
    let at = cur.pos();
    let Some(key) = cur.word() else {
        return Err(cur.expected("a key to read, like read x"));
    };
    check_key(key).map_err(|e| cur.error_at(at, e.to_string()))?;
    let to = if cur.eat_word("from") { Some(cur.node(n)?) } else { None };
    Ok(Step::Act(Action::Read { key: key.to_string(), to }))
}

/// A write as a script line says it: `x=3`, or `noop`.
fn format_command(c: &Command) -> String {
    match c {
        Command::Set { key, value } => format!("{key}={value}"),
        Command::Noop => "noop".to_string(),
        // Configuration entries are made by the leader, never written by a script.
        #[cfg(feature = "membership")]
        Command::Config { change } => change.to_string(),
    }
}

fn set(cur: &mut Cursor, cfg: &Config) -> Parsed<Step> {
    cur.skip_ws();
    let at = cur.pos();
    let mut next = cfg.clone();
    let action = match cur.keyword(&["loss", "latency", "election", "heartbeat", "links"]) {
        Some(0) => {
            let rate = cur.rate()?;
            next.drop_rate = rate;
            Action::SetDropRate { rate }
        }
        Some(1) => {
            let (lo, hi) = cur.range(MAX_TIME_MS)?;
            next.latency_ms = (lo, hi);
            Action::SetLatency { lo, hi }
        }
        Some(2) => {
            let (lo, hi) = cur.range(MAX_TIME_MS)?;
            next.election_timeout_ms = (lo, hi);
            Action::SetElectionTimeout { lo, hi }
        }
        Some(3) => {
            let ms = cur.duration(MAX_TIME_MS)?;
            next.heartbeat_ms = ms;
            Action::SetHeartbeat { ms }
        }
        Some(_) => Action::SetLinks { links: links(cur)? },
        None => match SWITCHES.iter().find(|s| s.name.eq_ignore_ascii_case(cur.peek_word())) {
            Some(switch) => {
                cur.word();
                let value = switch_value(cur, switch)?;
                Action::SetOption { name: switch.name.to_string(), value }
            }
            None => {
                return Err(
                    cur.expected("loss, latency, links, election, heartbeat or an option (pre_vote, read_mode...)")
                )
            }
        },
    };
    // The engine's own check, so the line is refused here rather than at run time.
    next.validate().map_err(|e| cur.error_at(at, e.to_string()))?;
    Ok(Step::Act(action))
}

/// A message kind by name (any case).
pub(crate) fn kind(cur: &mut Cursor) -> Parsed<MessageKind> {
    let word = cur.peek_word();
    match KINDS.iter().find(|k| kind_name(**k).eq_ignore_ascii_case(word)) {
        Some(&k) => {
            cur.word();
            Ok(k)
        }
        None => Err(cur.expected(&name_list("a message kind (", KINDS.len(), |i| kind_name(KINDS[i])))),
    }
}

fn tamper(cur: &mut Cursor, n: usize, tamper: Tamper) -> Parsed<Step> {
    let pick = if cur.eat_word("next") {
        let kind = kind(cur)?;
        let (from, to) = cur.link(n)?;
        let within = if cur.eat_word("within") { cur.duration(MAX_TIME_MS)? } else { DEFAULT_WITHIN_MS };
        Pick::Next { kind, from, to, within }
    } else if cur.eat_word("message") {
        cur.eat("#");
        let id = cur.number("a message number", u64::MAX)?;
        let check = if cur.at_end() {
            None
        } else {
            let kind = kind(cur)?;
            let (from, to) = cur.link(n)?;
            Some((kind, from, to))
        };
        Pick::Id { id, check }
    } else {
        return Err(cur.expected("\"next\" (drop next AppendEntries S1->S2) or \"message\" (drop message 17)"));
    };
    Ok(Step::Tamper { tamper, pick })
}

/// The line that [`parse_action`] reads back into `action`. `message`, when
/// known, is the message a drop or duplicate acts on: the line then names its
/// kind and link too, and a run checks them.
pub fn format_action(action: &Action, message: Option<&InFlight>) -> String {
    match action {
        Action::Crash { node } => format!("crash {node}"),
        Action::Restart { node } => format!("restart {node}"),
        Action::Disconnect { node } => format!("disconnect {node}"),
        Action::Reconnect { node } => format!("reconnect {node}"),
        Action::Timeout { node } => format!("timeout {node}"),
        Action::TransferLeadership { to } => format!("transfer {to}"),
        Action::Partition { groups } => {
            // The groups joined by " | ", each one's servers by spaces (one
            // string written in place of a `Vec<String>` and two `join`s).
            let mut out = String::from("partition ");
            for (i, g) in groups.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                for (j, n) in g.iter().enumerate() {
                    let _ = write!(out, "{}{n}", if j > 0 { " " } else { "" });
                }
            }
            out.truncate(out.trim_end().len());
            out
        }
        Action::Heal => "heal".to_string(),
        Action::Write { command, to: None } => format!("write {}", format_command(command)),
        Action::Write { command, to: Some(to) } => format!("write {} to {to}", format_command(command)),
        Action::Submit { node, command } => format!("submit {} to {node}", format_command(command)),
        Action::DropMessage { id } => format_tamper(Tamper::Drop, *id, message),
        Action::DuplicateMessage { id } => format_tamper(Tamper::Duplicate, *id, message),
        Action::SetLatency { lo, hi } => format!("set latency {lo}-{hi}ms"),
        Action::SetDropRate { rate } => format!("set loss {}", format_rate(*rate)),
        Action::SetLinks { links } => format!("set links {}", format_links(*links)),
        Action::SetElectionTimeout { lo, hi } => format!("set election {lo}-{hi}ms"),
        Action::SetHeartbeat { ms } => format!("set heartbeat {}", format_ms(*ms)),
        Action::Read { key, to: None } => format!("read {key}"),
        Action::Read { key, to: Some(to) } => format!("read {key} from {to}"),
        Action::SetOption { name, value } => format!("set {name} {value}"),
        #[cfg(feature = "membership")]
        Action::AddServer => "add server".to_string(),
        #[cfg(feature = "membership")]
        Action::RemoveServer { node } => format!("remove {node}"),
    }
}

fn format_tamper(tamper: Tamper, id: u64, message: Option<&InFlight>) -> String {
    match message.filter(|m| m.id == id) {
        Some(m) => {
            format!("{} message {id} {} {}", tamper.word(), kind_name(m.payload.kind()), link_name(m.from, m.to))
        }
        None => format!("{} message {id}", tamper.word()),
    }
}
