//! The ORACLE of the live pseudocode: the mapping from an event (or a
//! message) to the lines it ran, with the values they compared, written in
//! Rust. It was the page's own mapping until the rules moved into data
//! (`light` lines of www/pseudocode.txt, read by
//! `raft_playground::view::pseudocode`); it is kept here, compiled only into
//! the tests, and tests/pseudocode.rs checks that the data rules light
//! exactly the same lines with the same values for every event and message
//! of the scenarios and of seeded random runs.
#![allow(dead_code)]

use raft_playground::raft::{Body, ElectionReason, Message, ReadHow, RefuseReason, RejectReason, Role};
use raft_playground::raft::{ClientReply, Command};
use raft_playground::sim::{Addr, Cluster, EventData, InFlight, Payload};
use raft_playground::view::pseudocode::{made_by_arrival, options_on, term_at, voters_at, Context, Lit};

fn majority(cx: &Context) -> String {
    if cx.servers == 0 {
        "a majority".to_string()
    } else {
        format!("majority {} of {}", cx.servers / 2 + 1, cx.servers)
    }
}

fn lit(id: &'static str, seen: impl Into<String>) -> Lit {
    Lit { id: id.to_string(), seen: seen.into() }
}

fn yes(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// What a line compared about a vote: the candidate's last entry against
/// the voter's, both carried by the event; `granted` or not.
fn log_check(event: &EventData, granted: bool) -> String {
    let c = event.log_check().expect("a vote's event");
    let (ci, ct, mi, mt) = (c.candidate_last_index, c.candidate_last_term, c.own_last_index, c.own_last_term);
    let up_to_date = ct > mt || (ct == mt && ci >= mi);
    let verdict = match (granted, up_to_date) {
        (true, true) => "true",
        (true, false) => "false, yet granted (the log check is switched off)",
        (false, _) => "false",
    };
    if ct != mt {
        let op = if ct > mt { ">" } else { "<" };
        format!("candidate lastLogTerm {ct} {op} my lastLogTerm {mt}: {verdict}")
    } else {
        let op = if ci >= mi { ">=" } else { "<" };
        format!("lastLogTerm {ct} = mine; candidate lastLogIndex {ci} {op} my lastLogIndex {mi}: {verdict}")
    }
}

/// The lines the event ran, in the order it ran them, with their values;
/// empty for events no rule of the pseudocode makes (crashes, the network,
/// the client's own steps).
pub fn event_lines(event: &EventData, cx: &Context) -> Vec<Lit> {
    use EventData as E;
    match event {
        E::ElectionStarted { term, reason, was, .. } => {
            let mut v = match (reason, was) {
                (ElectionReason::TimeoutNow, _) => vec![lit("lt.receive", "TimeoutNow from the leader")],
                (ElectionReason::PreVote, _) => vec![lit("pv.win", format!("{}: true", majority(cx)))],
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
            lit("rv.log-ok", log_check(event, true)),
            lit("rv.grant", "votedFor = the candidate"),
        ],
        E::VoteRefused { candidate, term, reason, own_term, .. } => {
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
                    v.push(lit("rv.log-ok", log_check(event, false)));
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
            lit("pv.log-ok", log_check(event, true)),
        ],
        E::PreVoteRefused { candidate, term, reason, own_term, .. } => {
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
                    v.push(lit("pv.log-ok", log_check(event, false)));
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
            lit("cand.win", format!("{} votes, {}: true", votes.len(), majority(cx))),
            lit("ldr.elected", format!("leader of term {term}")),
        ],
        E::SteppedDown { was: Role::Candidate, term, because_of: Some(from), .. } => {
            vec![lit("cand.step-down", format!("a message of term {term} from {from}"))]
        }
        E::SteppedDown { term, because_of: Some(from), .. } => {
            vec![lit("all.newer-term", format!("term {term} from {from} > my term: true"))]
        }
        E::SteppedDown { .. } => vec![],
        E::TermAdopted { term, from: Some(from), .. } => {
            vec![lit("all.newer-term", format!("term {term} from {from} > my term: true"))]
        }
        E::LostQuorum { heard, servers, .. } => {
            let seen = format!("heard from {} of {servers} < majority {}: true", heard.len(), servers / 2 + 1);
            vec![lit("cq.check", seen)]
        }
        E::Appended { index, term, command, .. } if *command == raft_playground::raft::Command::Noop => {
            vec![lit("ldr.noop", format!("no-op at index {index}, term {term}"))]
        }
        #[cfg(feature = "membership")]
        E::Appended { index, command: raft_playground::raft::Command::Config { change }, .. } => {
            use raft_playground::raft::Change;
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
        #[cfg(feature = "compaction")]
        E::Compaction { event: raft_playground::raft::CompactionNote::Installed { index, term, kept, .. }, .. } => {
            let install = if *kept > 0 {
                format!("log has entry {index} of term {term}: keep the {kept} entries after it")
            } else {
                format!("nothing kept after index {index}; state machine = the snapshot's (term {term})")
            };
            vec![lit("is.stale-term", "term < currentTerm: false"), lit("is.install", install)]
        }
        E::Committed { from, to, entries, replicas, .. } => {
            let n_term = entries.last().map_or(0, |e| e.term);
            let own_term = match cx.term {
                Some(t) if t == n_term => format!("log[{to}].term {n_term} == currentTerm {t}: true"),
                // Only unsafe_commit_old_terms commits such an entry by counting.
                Some(t) => format!("log[{to}].term {n_term} == currentTerm {t}: false, committed anyway (breaks Raft)"),
                None => format!("log[{to}].term {n_term} == currentTerm"),
            };
            let majority = format!("N = {to}: matchIndex >= {to} on {} servers, {}", replicas.len(), majority(cx));
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
        E::AppendRejected { term, prev_log_index, prev_log_term, reason, own_term, .. } => {
            let mut v = vec![lit("ae.receive", format!("prevLogIndex {prev_log_index}"))];
            let stale = |b: bool| format!("term {term} < currentTerm {own_term}: {}", yes(b));
            match reason {
                RejectReason::StaleTerm => v.push(lit("ae.stale-term", stale(true))),
                RejectReason::Missing => {
                    v.push(lit("ae.stale-term", stale(false)));
                    v.push(lit("ae.follow", ""));
                    v.push(lit("ae.prev-missing", format!("no entry at index {prev_log_index}: true")));
                }
                RejectReason::TermMismatch(mine) => {
                    v.push(lit("ae.stale-term", stale(false)));
                    v.push(lit("ae.follow", ""));
                    v.push(lit("ae.prev-missing", format!("no entry at index {prev_log_index}: false")));
                    v.push(lit(
                        "ae.prev-term",
                        format!("log[{prev_log_index}].term {mine} != prevLogTerm {prev_log_term}: true"),
                    ));
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
            lit("ri.confirm", format!("answered by {} servers, {}: true", confirmed_by.len(), majority(cx))),
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
        Body::PreVoteReply { granted: true } => vec![lit("pv.win", format!("would vote: {}", msg.from))],
        #[cfg(feature = "compaction")]
        Body::InstallSnapshot { snapshot, .. } => {
            vec![lit("is.receive", format!("lastIncludedIndex {}, lastIncludedTerm {}", snapshot.index, snapshot.term))]
        }
        #[cfg(feature = "compaction")]
        Body::InstallSnapshotReply { last_index, .. } if *last_index > 0 => {
            vec![lit("ldr.success", format!("matchIndex[{}] = {last_index}", msg.from))]
        }
        _ => vec![],
    }
}

/// The lines a leader ran to send `msg`: a heartbeat (no entries) or a
/// batch of entries from nextIndex; empty for other messages.
pub fn sent_lines(msg: &Message) -> Vec<Lit> {
    match &msg.body {
        Body::AppendEntries { entries, prev_log_index, prev_log_term, leader_commit, .. } if entries.is_empty() => {
            vec![lit(
                "ldr.heartbeat",
                format!(
                    "empty AppendEntries to {}: term {}, prevLogIndex {prev_log_index}, prevLogTerm {prev_log_term}, leaderCommit {leader_commit}",
                    msg.to, msg.term
                ),
            )]
        }
        Body::AppendEntries { prev_log_index, prev_log_term, entries, leader_commit, .. } => {
            let last = prev_log_index + entries.len() as u64;
            vec![lit(
                "ldr.send",
                format!(
                    "entries {}..={last} to {}, nextIndex {}: term {}, prevLogTerm {prev_log_term}, leaderCommit {leader_commit}",
                    prev_log_index + 1,
                    msg.to,
                    prev_log_index + 1,
                    msg.term
                ),
            )]
        }
        Body::TimeoutNow => vec![lit("lt.timeout-now", format!("TimeoutNow to {}", msg.to))],
        #[cfg(feature = "compaction")]
        Body::InstallSnapshot { snapshot, .. } => vec![lit(
            "is.send",
            format!("snapshot up to index {}, term {} to {}", snapshot.index, snapshot.term, msg.to),
        )],
        _ => vec![],
    }
}

/// The lines a membership event ran (the leader's configuration entries
/// are [`EventData::Appended`] events, handled by [`event_lines`]).
#[cfg(feature = "membership")]
fn member_lines(event: &raft_playground::sim::MemberEvent) -> Vec<Lit> {
    use raft_playground::sim::MemberEvent as M;
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

/// The lines event `i` of `c`'s trace ran, with what the panel knows
/// besides: the cluster's size and options, and for a commit the leader's
/// term then (from the trace).
pub fn lines_of_event(c: &Cluster, i: usize) -> Vec<Lit> {
    let events = c.events();
    let Some(e) = events.get(i) else { return Vec::new() };
    let options = options_on(&c.config().raft);
    let term = match e.what {
        EventData::Committed { node, .. } => term_at(events, i, node),
        _ => None,
    };
    let servers = voters_at(events, i, c.initial_config().nodes);
    let cx = Context { servers, message: None, term, options: &options };
    event_lines(&e.what, &cx)
}

/// The lines a message ran: its sender's, and once `arrived`, its
/// receiver's (what its delivery did, from the events it made then).
pub fn lines_of_message(c: &Cluster, m: &InFlight, arrived: bool) -> Vec<Lit> {
    let Payload::Raft(msg) = &m.payload else { return dedup(client_lines(c, m, arrived)) };
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
        Body::AppendEntriesReply { success: false, conflict_index: 0, .. } => {
            v.push(lit("ae.stale-term", format!("term < currentTerm {}: true, reply false", msg.term)))
        }
        Body::AppendEntriesReply { success: false, conflict_term: 0, conflict_index, prev_log_index, .. } => {
            v.push(lit(
                "ae.prev-missing",
                format!(
                    "no entry at index {prev_log_index}: true, reply false (my log ends at {})",
                    conflict_index - 1
                ),
            ))
        }
        Body::AppendEntriesReply { success: false, conflict_term, prev_log_index, .. } => v.push(lit(
            "ae.prev-term",
            format!("log[{prev_log_index}].term {conflict_term} != prevLogTerm: true, reply false"),
        )),
        Body::PreVoteReply { granted: true } => {
            v.push(lit("pv.receive", format!("would vote for {} in term {}: true", msg.to, msg.term)))
        }
        Body::PreVoteReply { granted: false } => {
            v.push(lit("pv.receive", format!("would vote for {}: false (my term {})", msg.to, msg.term)))
        }
        #[cfg(feature = "compaction")]
        Body::InstallSnapshotReply { last_index: 0, .. } => v.push(lit("is.stale-term", "term < currentTerm: true")),
        #[cfg(feature = "compaction")]
        Body::InstallSnapshotReply { last_index, .. } => {
            v.push(lit("is.reply", format!("lastIncludedIndex {last_index}")))
        }
        _ => {}
    }
    if arrived {
        let events = c.events();
        let made = made_by_arrival(c, m, msg);
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
    dedup(v)
}

fn dedup(mut v: Vec<Lit>) -> Vec<Lit> {
    let mut seen_ids = Vec::new();
    v.retain(|l| {
        let first = !seen_ids.contains(&l.id);
        seen_ids.push(l.id.clone());
        first
    });
    v
}

/// The lines a server ran to answer the client with `reply`.
fn answer_lines(reply: &ClientReply) -> Vec<Lit> {
    match reply {
        ClientReply::Committed { index, term } => {
            vec![lit("ldr.client", format!("entry {index} of term {term} applied: answer the client"))]
        }
        ClientReply::Read { value: Some(v), index, .. } => {
            vec![lit("ri.apply", format!("answer {v}, everything up to index {index} applied"))]
        }
        ClientReply::Read { value: None, index, .. } => {
            vec![lit("ri.apply", format!("answer: never written, everything up to index {index} applied"))]
        }
        ClientReply::NotLeader { leader: Some(l) } => {
            vec![lit("cl.not-leader", format!("not the leader: true; reply NotLeader, leader {l}"))]
        }
        ClientReply::NotLeader { leader: None } => {
            vec![lit("cl.not-leader", "not the leader: true; reply NotLeader, no leader known")]
        }
        ClientReply::Busy => vec![lit("lt.start", "handing leadership over: reply Busy, take no write")],
    }
}

/// The lines of a client's message (or of a server's answer to it).
fn client_lines(c: &Cluster, m: &InFlight, arrived: bool) -> Vec<Lit> {
    let server = match (m.from, m.to) {
        (Addr::Node(n), _) | (_, Addr::Node(n)) => n,
        _ => return vec![],
    };
    let mut v = match &m.payload {
        Payload::ClientRequest { tag, command: Command::Set { key, value }, id } => {
            let id = id.unwrap();
            vec![lit(
                "cl.send",
                format!(
                    "write {key} = {value} to {server} (client {}, seq {}, attempt {})",
                    id.client, id.seq, tag.attempt
                ),
            )]
        }
        Payload::ClientRead { tag, key } => {
            vec![lit("cl.send", format!("read {key} at {server} (attempt {})", tag.attempt))]
        }
        Payload::ClientResponse { reply, .. } => answer_lines(reply),
        _ => vec![],
    };
    if !arrived {
        return v;
    }
    match &m.payload {
        Payload::ClientRequest { tag, .. } | Payload::ClientRead { tag, .. } => {
            let events = c.events();
            let mut made = 0;
            let options = options_on(&c.config().raft);
            for (k, e) in events.iter().enumerate().filter(|(_, e)| e.time == m.arrive_at) {
                let ours = match (&e.what, &m.payload) {
                    (EventData::Appended { node, command: Command::Set { .. }, .. }, Payload::ClientRequest { .. }) => {
                        *node == server
                    }
                    (
                        EventData::ReadStarted { node, op, .. } | EventData::ReadAnswered { node, op, .. },
                        Payload::ClientRead { .. },
                    ) => *node == server && *op == tag.op,
                    _ => false,
                };
                if ours {
                    made += 1;
                    let cx = Context {
                        servers: voters_at(events, k, c.initial_config().nodes),
                        message: None,
                        term: None,
                        options: &options,
                    };
                    v.extend(event_lines(&e.what, &cx));
                }
            }
            let answer = c.messages().into_iter().find_map(|r| match &r.payload {
                Payload::ClientResponse { tag: t, reply }
                    if r.from == Addr::Node(server) && r.sent_at == m.arrive_at && t == tag =>
                {
                    Some(reply.clone())
                }
                _ => None,
            });
            match answer {
                Some(reply) => v.extend(answer_lines(&reply)),
                None if made == 0 => v.push(lit(
                    "cl.not-leader",
                    format!("{server} answered at once: not the leader, or handing leadership over"),
                )),
                None => {}
            }
        }
        Payload::ClientResponse { reply, .. } => v.push(match reply {
            ClientReply::Committed { index, term } => {
                lit("cl.done", format!("write acknowledged: entry {index}, term {term}"))
            }
            ClientReply::Read { value: Some(x), index, .. } => {
                lit("cl.done", format!("read returns {x} (read index {index})"))
            }
            ClientReply::Read { value: None, index, .. } => {
                lit("cl.done", format!("read returns nothing: never written (read index {index})"))
            }
            ClientReply::NotLeader { leader: Some(l) } => lit("cl.redirect", format!("try {l} next")),
            ClientReply::NotLeader { leader: None } => {
                lit("cl.redirect", "no leader known: wait, then try the next server")
            }
            ClientReply::Busy => lit("cl.redirect", format!("busy: wait, then try {server} again")),
        }),
        _ => {}
    }
    v
}
