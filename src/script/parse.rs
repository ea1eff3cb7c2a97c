//! From text to a [`Script`]: settings lines first, then one statement a line.

use super::actions::{key_value, parse_action};
use super::lex::{strip_comment, Cursor, ParseError, Parsed};
use super::settings::{parse_setting, setting_name, Setting};
use super::{At, Cond, Line, Script, Step, Where, DEFAULT_WITHIN_MS, MAX_TIME_MS};
use crate::sim::{check_key, Config, Property, Role};

/// The longest script read (in bytes): about 20,000 lines of an exported run.
pub const MAX_SCRIPT_BYTES: usize = 1 << 20;

const STATEMENTS: &str = "a statement (crash, restart, disconnect, reconnect, timeout, transfer, heal, partition, \
                          write, read, submit, drop, duplicate, set, wait, expect, say)";

/// Reads a whole script. The first error stops it and names its line and
/// column; no input makes it panic.
pub fn parse(text: &str) -> Result<Script, ParseError> {
    if text.len() > MAX_SCRIPT_BYTES {
        return Err(ParseError {
            line: 1,
            column: 1,
            message: format!("a script is at most {} KB; this one is {} KB", MAX_SCRIPT_BYTES >> 10, text.len() >> 10),
        });
    }
    // A byte-order mark (some editors write one) is not part of the first line.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut config = Config::default();
    let mut given: Vec<(Setting, usize)> = Vec::new();
    let mut lines = Vec::new();
    #[cfg(feature = "membership")]
    let mut added = 0;
    for (i, raw) in text.split('\n').enumerate() {
        let number = i + 1;
        let body = strip_comment(raw.strip_suffix('\r').unwrap_or(raw));
        let mut cur = Cursor::new(number, body);
        if cur.at_end() {
            continue;
        }
        if lines.is_empty() {
            if let Some(setting) = parse_setting(&mut cur, &mut config) {
                let setting = setting?;
                if let Some((_, first)) = given.iter().find(|(s, _)| *s == setting) {
                    return Err(*cur.error_at(0, format!("{} was already set on line {first}", setting_name(setting))));
                }
                given.push((setting, number));
                continue;
            }
        }
        // The servers a line may name: the first ones and those added before it.
        #[cfg(feature = "membership")]
        let config = Config { nodes: config.nodes + added, ..config.clone() };
        let line = statement(&mut cur, number, &config)?;
        #[cfg(feature = "membership")]
        if line.step == Step::Act(crate::sim::Action::AddServer) {
            added += 1;
        }
        lines.push(line);
    }
    Ok(Script { config, lines })
}

pub(crate) fn statement(cur: &mut Cursor, number: usize, cfg: &Config) -> Parsed<Line> {
    let at = if cur.eat_word("at") {
        Some(At::Absolute(cur.duration(MAX_TIME_MS)?))
    } else if cur.eat("+") {
        Some(At::After(cur.duration(MAX_TIME_MS)?))
    } else {
        None
    };
    if cur.at_end() {
        return Ok(Line { line: number, at, step: Step::Nothing, words: String::new() });
    }
    if let Some(step) = parse_action(cur, cfg) {
        let step = step?;
        cur.end()?;
        return Ok(Line { line: number, at, step, words: String::new() });
    }
    let start = cur.pos();
    let mut words = String::new();
    let step = match cur.keyword(&["wait", "expect", "say"]) {
        Some(0) if cur.eat_word("until") => {
            let cond = condition_words(cur, cfg.nodes, &mut words)?;
            let within = if cur.eat_word("within") { cur.duration(MAX_TIME_MS)? } else { DEFAULT_WITHIN_MS };
            Step::WaitUntil { cond, within }
        }
        Some(0) => Step::Wait(cur.duration(MAX_TIME_MS)?),
        Some(1) => Step::Expect(condition_words(cur, cfg.nodes, &mut words)?),
        Some(_) => Step::Say(cur.text()?),
        None => {
            let mut scratch = cfg.clone();
            if parse_setting(cur, &mut scratch).is_some() {
                cur.set_pos(start);
                let what = cur.peek_word();
                let at = cur.pos();
                let mut message = format!("settings such as {what} go before the first statement");
                if cur.keyword(&["loss", "latency", "links", "election", "heartbeat"]).is_some() {
                    message = message + ": to change it during the run, write set " + what + " ...";
                }
                return Err(cur.error_at(at, message));
            }
            cur.set_pos(start);
            return Err(cur.expected(STATEMENTS));
        }
    };
    cur.end()?;
    Ok(Line { line: number, at, step, words })
}

/// A condition, with its words as the line writes them into `words` (the
/// run's report quotes them, so the page needs no code to write a condition).
fn condition_words(cur: &mut Cursor, n: usize, words: &mut String) -> Parsed<Cond> {
    cur.skip_ws();
    let from = cur.pos();
    let cond = condition(cur, n)?;
    words.push_str(cur.line_text().get(from..cur.pos()).unwrap_or("").trim_end());
    Ok(cond)
}

/// `on all`, `on majority`, `on S1 S2` (all when omitted).
fn place(cur: &mut Cursor, n: usize) -> Parsed<Where> {
    if !cur.eat_word("on") {
        return Ok(Where::All);
    }
    if cur.eat_word("all") {
        return Ok(Where::All);
    }
    if cur.eat_word("majority") || cur.eat_words("a majority") {
        return Ok(Where::Majority);
    }
    let nodes = nodes(cur, n)?;
    if nodes.is_empty() {
        return Err(cur.expected("all, majority or servers like S1 S2"));
    }
    Ok(Where::Servers(nodes))
}

/// Zero or more servers.
pub(crate) fn nodes(cur: &mut Cursor, n: usize) -> Parsed<Vec<crate::raft::NodeId>> {
    let mut out = Vec::new();
    while cur.at_node() {
        let node = cur.node(n)?;
        if !out.contains(&node) {
            out.push(node);
        }
    }
    Ok(out)
}

/// The first words of the conditions, in the order [`condition`] reads them.
const CONDITIONS: [&str; 18] = [
    "not",
    "no",
    "leader",
    "term",
    "role",
    "crashed",
    "running",
    "committed",
    "matched",
    "stored",
    "applied",
    "log",
    "same",
    "acknowledged",
    "acked",
    "read",
    "violation",
    "event",
];

pub(crate) fn condition(cur: &mut Cursor, n: usize) -> Parsed<Cond> {
    let Some(word) = cur.keyword(&CONDITIONS) else {
        return Err(cur.expected(
            "a condition (not, leader, no leader, term, role, crashed, running, stored, committed, matched, applied, log, \
             same log, acknowledged, read, violation, no violation, event, no event)",
        ));
    };
    let cond = match word {
        0 => match condition(cur, n)? {
            Cond::Not(_) => return Err(cur.error("\"not not\" says nothing: leave both out")),
            c => Cond::Not(Box::new(c)),
        },
        1 => match cur.keyword(&["leader", "event", "violation", "violations"]) {
            Some(0) => Cond::NoLeader,
            Some(1) => Cond::NoEvent(cur.quoted()?),
            Some(_) => Cond::NoViolation,
            None => return Err(cur.expected("leader, violation or event after \"no\"")),
        },
        2 => {
            cur.eat_word("in");
            Cond::Leader(nodes(cur, n)?)
        }
        3..=6 => {
            let node = cur.node(n)?;
            match word {
                3 => Cond::Term(node, cur.number("a term", u64::MAX)?),
                4 => {
                    const ROLES: [Role; 3] = [Role::Follower, Role::Candidate, Role::Leader];
                    let Some(i) = cur.keyword(&["follower", "candidate", "leader"]) else {
                        return Err(cur.expected("follower, candidate or leader"));
                    };
                    Cond::Role(node, ROLES[i])
                }
                5 => Cond::Crashed(node),
                _ => Cond::Running(node),
            }
        }
        7 | 8 if cur.eat_word("index") => {
            let index = cur.number("a log index", u64::MAX)?;
            let on = place(cur, n)?;
            if word == 7 {
                Cond::CommitIndex { index, on }
            } else {
                Cond::Matched { index, on }
            }
        }
        8 => return Err(cur.expected("\"index\", as in matched index 3 on S2")),
        7 | 9 | 10 => {
            let (key, value) = key_value(cur)?;
            let on = place(cur, n)?;
            match word {
                7 => Cond::Committed { key, value, on },
                9 => Cond::Stored { key, value, on },
                _ => Cond::Applied { key, value, on },
            }
        }
        11 => {
            let node = cur.node(n)?;
            Cond::Log(node, log_terms(cur)?)
        }
        12 => {
            if cur.keyword(&["log", "logs"]).is_none() {
                return Err(cur.expected("\"log\", as in same log on all"));
            }
            Cond::SameLog(place(cur, n)?)
        }
        13 | 14 => {
            let (key, value) = key_value(cur)?;
            Cond::Acknowledged { key, value }
        }
        15 => {
            cur.skip_ws();
            let at = cur.pos();
            let Some(key) = cur.word() else { return Err(cur.expected("a read like x=3 or x=none")) };
            check_key(key).map_err(|e| cur.error_at(at, e.to_string()))?;
            if !cur.eat("=") {
                return Err(cur.expected("\"=\" and the value read, like x=3 or x=none"));
            }
            let value = if cur.eat_word("none") { None } else { Some(cur.integer()?) };
            Cond::Read { key: key.to_string(), value }
        }
        16 if cur.peek() == Some('"') => {
            cur.skip_ws();
            let at = cur.pos();
            let name = cur.quoted()?;
            match Property::ALL.iter().find(|p| p.name().eq_ignore_ascii_case(name.trim())) {
                Some(&p) => Cond::Violation(Some(p)),
                None => {
                    let mut message = String::from("expected a safety property (");
                    for (i, p) in Property::ALL.iter().enumerate() {
                        if i > 0 {
                            message.push_str(", ");
                        }
                        message.push('"');
                        message.push_str(p.name());
                        message.push('"');
                    }
                    message.push(')');
                    return Err(cur.error_at(at, message));
                }
            }
        }
        16 => Cond::Violation(None),
        _ => {
            let words = cur.quoted()?;
            if words.is_empty() {
                return Err(cur.error("the words to look for are empty"));
            }
            let at_least = if cur.eat_words("at least") {
                let k = cur.number("a number of events", u32::MAX as u64)?;
                if cur.keyword(&["times", "time"]).is_none() {
                    return Err(cur.expected("\"times\""));
                }
                k
            } else {
                1
            };
            Cond::Event { words, at_least }
        }
    };
    Ok(cond)
}

/// `1:1 2:1 3:2` (each entry's index and term, from index 1) or `empty`.
fn log_terms(cur: &mut Cursor) -> Parsed<Vec<u64>> {
    if cur.eat_word("empty") {
        return Ok(Vec::new());
    }
    let mut terms = Vec::new();
    while cur.peek().is_some_and(|c| c.is_ascii_digit()) {
        cur.skip_ws();
        let at = cur.pos();
        let index = cur.number("an index", u64::MAX)?;
        let want = terms.len() as u64 + 1;
        if index != want {
            return Err(cur.error_at(at, format!("expected entry {want} next (entries are listed from index 1)")));
        }
        if !cur.eat(":") {
            return Err(cur.expected("\":\" and the entry's term, like 1:2"));
        }
        terms.push(cur.number("a term", u64::MAX)?);
    }
    if terms.is_empty() {
        return Err(cur.expected("the entries as index:term, like 1:1 2:1, or empty"));
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::super::{Pick, Tamper};
    use super::*;
    use crate::raft::NodeId;
    use crate::sim::{Action, Addr, Links, MessageKind};

    fn one(line: &str) -> Step {
        let s = parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(s.lines.len(), 1, "{line}");
        s.lines[0].step.clone()
    }

    fn err(text: &str) -> ParseError {
        parse(text).expect_err(text)
    }

    #[test]
    fn the_issues_lines_are_valid_as_written() {
        let text = r#"# a comment
servers 5                      # settings before the first action: servers, seed, election 150-300,
seed 42                        #   heartbeat 50, latency 10-30, loss 5%, and the engine's switches by name
election 150-300
heartbeat 50
latency 10-30
loss 5%
links reorder
switch fast_backup on
leader_noop off
max_entries_per_append 2
at 1.5s crash S1               # at an absolute virtual time (ms or s)
+200ms write x=3               # relative to the previous line's time
crash S1
restart S1
disconnect S2
reconnect S2
timeout S3
transfer S2
heal
partition S1 S2 | S3 S4 S5
write x=3 to S2                # through the client, trying S2 first
write x=3
drop next AppendEntries S1->S2 # also: duplicate next <kind> A->B; kinds as the inspector names them
duplicate next heartbeat S2->S1
set loss 10%
set latency 10-30
set election 150-300
set heartbeat 50
set links in order
set links reorder
wait 500ms
wait until leader S3 within 2s
wait until leader in S3 S4 S5 within 2s
wait until committed x=3 on all within 2s
wait until committed x=3 on majority within 2s
wait until committed x=3 on S1 S2 S3 within 2s
expect leader S3
expect no leader
expect term S1 3
expect committed x=3 on all
expect no violation
expect violation "Leader Completeness"
say "S1 has crashed: the followers stop hearing heartbeats"
"#;
        let s = parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.config.nodes, 5);
        assert_eq!(s.config.seed, 42);
        assert_eq!(s.config.drop_rate, 0.05);
        assert!(s.config.raft.fast_backup);
        assert!(!s.config.raft.leader_noop);
        assert_eq!(s.config.links, Links::Reorder);
        assert_eq!(s.config.raft.max_entries_per_append, std::num::NonZeroU64::new(2));
        assert_eq!(s.lines.len(), 33);
        assert_eq!(s.lines[0].at, Some(At::Absolute(1_500)));
        assert_eq!(s.lines[0].step, Step::Act(Action::Crash { node: NodeId(1) }));
        assert_eq!(s.lines[1].at, Some(At::After(200)));
        assert_eq!(s.lines[1].line, 13);
    }

    #[test]
    fn each_line_reads_into_what_it_says() {
        let n = NodeId;
        assert_eq!(
            one("partition S1 S2 | S3 S4 S5"),
            Step::Act(Action::Partition { groups: vec![vec![n(1), n(2)], vec![n(3), n(4), n(5)]] })
        );
        assert_eq!(
            one("write x=-3 to s2"),
            Step::Act(Action::Write { command: crate::sim::Command::set("x", -3), to: Some(n(2)) })
        );
        assert_eq!(
            one("drop next AppendEntries S1->S2"),
            Step::Tamper {
                tamper: Tamper::Drop,
                pick: Pick::Next {
                    kind: MessageKind::AppendEntries,
                    from: Addr::Node(n(1)),
                    to: Addr::Node(n(2)),
                    within: DEFAULT_WITHIN_MS
                }
            }
        );
        assert_eq!(
            one("duplicate message 17 clientrequest client → S3"),
            Step::Tamper {
                tamper: Tamper::Duplicate,
                pick: Pick::Id { id: 17, check: Some((MessageKind::ClientRequest, Addr::Client, Addr::Node(n(3)))) }
            }
        );
        assert_eq!(one("set loss 10%"), Step::Act(Action::SetDropRate { rate: 0.1 }));
        assert_eq!(one("set links reorder"), Step::Act(Action::SetLinks { links: Links::Reorder }));
        assert_eq!(one("set links  In  Order"), Step::Act(Action::SetLinks { links: Links::InOrder }));
        assert_eq!(parse("max_entries_per_append off").unwrap().config.raft.max_entries_per_append, None);
        #[cfg(feature = "compaction")]
        assert_eq!(
            parse("snapshot_threshold 20").unwrap().config.raft.snapshot_threshold,
            std::num::NonZeroU64::new(20)
        );
        assert_eq!(one("wait until leader"), Step::WaitUntil { cond: Cond::Leader(vec![]), within: DEFAULT_WITHIN_MS });
        assert_eq!(one("expect log S2 1:1 2:1 3:2"), Step::Expect(Cond::Log(n(2), vec![1, 1, 2])));
        assert_eq!(
            one("expect event \"retries S2\" at least 6 times"),
            Step::Expect(Cond::Event { words: "retries S2".into(), at_least: 6 })
        );
        assert_eq!(one("say S1 has crashed"), Step::Say("S1 has crashed".into()));
        assert_eq!(one("at 10s"), Step::Nothing);
        assert_eq!(one("\u{feff}heal\r\n"), Step::Act(Action::Heal));
        assert_eq!(parse("servers 1\ncrash S2").unwrap_err().message, "there is no server S2: the cluster has only S1");
    }

    #[test]
    fn errors_name_the_line_the_column_and_what_was_expected() {
        let e = err("servers 5\n\ncrash X9");
        assert_eq!((e.line, e.column), (3, 7));
        assert_eq!(e.to_string(), "line 3, column 7: expected a server like S2, found \"X9\"");
        let e = err("crash S7");
        assert_eq!(e.message, "there is no server S7: the cluster has S1 to S5");
        let e = err("write x=3\nseed 4");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("before the first statement"), "{e}");
        let e = err("write x=3\nloss 5%");
        assert!(e.message.contains("set loss"), "{e}");
        let e = err("seed 1\nseed 2");
        assert_eq!(e.message, "seed was already set on line 1");
        let e = err("election 300-150");
        assert_eq!((e.line, e.column), (1, 10));
        assert!(e.message.contains("low end is above the high end"), "{e}");
        let e = err("servers 12");
        assert!(e.message.contains("at most 9"), "{e}");
        let e = err("say \"unfinished");
        assert_eq!(e.column, 5);
        let e = err("at 3h crash S1");
        assert!(e.message.contains("unit"), "{e}");
        let e = err("expect violation \"Leader Happiness\"");
        assert!(e.message.contains("Leader Completeness"), "{e}");
        let e = err("crash S1 S2");
        assert_eq!(e.message, "expected the end of the line, found \"S2\"");
        let e = err("partition S1 | S1");
        assert!(e.message.contains("named twice"), "{e}");
        let e = err("fly S1");
        assert!(e.message.starts_with("expected a statement"), "{e}");
        let e = err("write x=3\nlinks reorder");
        assert!(e.message.contains("set links"), "{e}");
        let e = err("links sideways");
        assert_eq!((e.line, e.column), (1, 7));
        assert!(e.message.starts_with("expected \"in order\""), "{e}");
        let e = err("set links in disorder");
        assert!(e.message.contains("reorder"), "{e}");
        let e = err("max_entries_per_append 0");
        assert_eq!(e.column, 24);
        assert!(e.message.contains("1 or more, or off"), "{e}");
        let e = err("max_entries_per_append on");
        assert!(e.message.contains("a number from 1, or off"), "{e}");
        let e = err("drop next Gossip S1->S2");
        assert!(e.message.contains("AppendEntries"), "{e}");
    }
}
