//! The narration: every event of the trace is first data ([`EventData`]);
//! here it becomes a sentence in plain English, with its kind and the servers
//! it concerns. What a node reports ([`Note`]) is turned into that data here
//! too, with what the sentence needs to know of the node.
//!
//! The sentences are part of the trace hash ([`super::DETERMINISM_TRACE_HASH`]):
//! changing one changes the hash.

use super::trace::{EventData, Setting};
use super::{Cluster, Command, EventKind, Links, NodeId, Role, Switch, Violation};
use crate::decimal::fixed;
use crate::raft::{ElectionReason, LogCheck, Note, ReadHow, RefuseReason, RejectReason};
use std::fmt;

impl Cluster {
    /// Appends an event to the trace, at the current time.
    pub(super) fn log(&mut self, what: EventData) {
        self.trace.push(self.now, what);
    }

    /// Logs the last `new` violations the monitor found.
    pub(super) fn log_violations(&mut self, new: usize) {
        let all = self.monitor.violations();
        let fresh: Vec<Violation> = all[all.len() - new..].to_vec();
        for v in fresh {
            self.log(EventData::Violation {
                property: v.property,
                nodes: v.nodes,
                index: v.index,
                term: v.term,
                explanation: v.explanation,
            });
        }
    }

    /// Logs what server `id` reported.
    pub(super) fn note(&mut self, id: NodeId, note: Note) {
        #[cfg(feature = "membership")]
        let after = self.member_checks(id, &note);
        let node = &self.servers[id.index()].node;
        let what = match note {
            Note::StartedElection { term, reason, was } => EventData::ElectionStarted { node: id, term, reason, was },
            Note::Voted { candidate, term, check: c } => EventData::Voted {
                node: id,
                candidate,
                term,
                candidate_last_index: c.candidate_last_index,
                candidate_last_term: c.candidate_last_term,
                own_last_index: c.own_last_index,
                own_last_term: c.own_last_term,
            },
            Note::RefusedVote { candidate, term, reason, check: c } => EventData::VoteRefused {
                node: id,
                candidate,
                term,
                reason,
                own_term: node.term(),
                candidate_last_index: c.candidate_last_index,
                candidate_last_term: c.candidate_last_term,
                own_last_index: c.own_last_index,
                own_last_term: c.own_last_term,
            },
            Note::BecameLeader { term, votes } => EventData::LeaderElected { node: id, term, votes },
            Note::SteppedDown { was, term, because_of } => EventData::SteppedDown { node: id, was, term, because_of },
            Note::TermAdopted { term, from } => EventData::TermAdopted { node: id, term, from },
            Note::Appended { index, term, command } => EventData::Appended { node: id, index, term, command },
            Note::Committed { from, to, replicas } => {
                // (The leader may have compacted them in the same step.)
                #[cfg(feature = "compaction")]
                let entries =
                    (from.max(1)..=to).filter_map(|i| super::monitor::entry_or_compacted(node, i)).cloned().collect();
                #[cfg(not(feature = "compaction"))]
                let entries = {
                    let log = node.log();
                    let end = (to as usize).min(log.len());
                    log[(from.max(1) as usize - 1).min(end)..end].to_vec()
                };
                EventData::Committed { node: id, from, to, entries, replicas }
            }
            Note::Truncated { from, count, leader } => EventData::Truncated { node: id, from, count, leader },
            Note::RejectedAppend { leader, term, prev_log_index, prev_log_term, reason } => EventData::AppendRejected {
                node: id,
                leader,
                term,
                prev_log_index,
                prev_log_term,
                reason,
                own_term: node.term(),
            },
            Note::BackedUp { follower, next_index } => EventData::BackedUp { node: id, follower, next_index },
            Note::TransferStarted { to } => EventData::TransferStarted { node: id, to },
            Note::TransferTimeoutNow { to } => EventData::TimeoutNowSent { node: id, to },
            Note::TransferAborted { to } => EventData::TransferAborted { node: id, to },
            Note::PreVoteStarted { term } => EventData::PreVoteStarted { node: id, term },
            Note::PreVoted { candidate, term, check: c } => EventData::PreVoteGranted {
                node: id,
                candidate,
                term,
                candidate_last_index: c.candidate_last_index,
                candidate_last_term: c.candidate_last_term,
                own_last_index: c.own_last_index,
                own_last_term: c.own_last_term,
            },
            Note::RefusedPreVote { candidate, term, reason, check: c } => EventData::PreVoteRefused {
                node: id,
                candidate,
                term,
                reason,
                own_term: node.term(),
                candidate_last_index: c.candidate_last_index,
                candidate_last_term: c.candidate_last_term,
                own_last_index: c.own_last_index,
                own_last_term: c.own_last_term,
            },
            Note::LostQuorum { term, heard } => {
                EventData::LostQuorum { node: id, term, heard, servers: node.members().len() }
            }
            Note::Duplicate { index, command, client, seq, first } => {
                EventData::Duplicate { node: id, index, command, client, seq, first }
            }
            Note::ReadStarted { op, key, read_index } => EventData::ReadStarted { node: id, op, key, read_index },
            Note::ReadAnswered { op, key, value, index, how } => {
                EventData::ReadAnswered { node: id, op, key, value, index, how }
            }
            #[cfg(feature = "membership")]
            Note::Member(note) => self.member_event(id, note),
            #[cfg(feature = "compaction")]
            Note::Compaction(event) => EventData::Compaction { node: id, event },
        };
        self.log(what);
        #[cfg(feature = "membership")]
        if let Some(after) = after {
            self.log(after);
        }
    }
}

impl EventData {
    /// The two sides of a vote's log check (the candidate's last entry and
    /// the voter's) for a vote or pre-vote granted or refused; `None` for
    /// the other events.
    pub fn log_check(&self) -> Option<LogCheck> {
        use EventData::*;
        match *self {
            Voted { candidate_last_index, candidate_last_term, own_last_index, own_last_term, .. }
            | VoteRefused { candidate_last_index, candidate_last_term, own_last_index, own_last_term, .. }
            | PreVoteGranted { candidate_last_index, candidate_last_term, own_last_index, own_last_term, .. }
            | PreVoteRefused { candidate_last_index, candidate_last_term, own_last_index, own_last_term, .. } => {
                Some(LogCheck { candidate_last_index, candidate_last_term, own_last_index, own_last_term })
            }
            _ => None,
        }
    }

    /// The sort of event, for the page's icon and colour.
    pub fn kind(&self) -> EventKind {
        use EventData::*;
        match self {
            Started { .. } | Restarted { .. } => EventKind::Start,
            Crashed { .. } => EventKind::Fault,
            ElectionStarted { reason: ElectionReason::TimeoutNow, .. } => EventKind::Transfer,
            TimeoutForced { .. }
            | ElectionStarted { .. }
            | Voted { .. }
            | VoteRefused { .. }
            | PreVoteStarted { .. }
            | PreVoteGranted { .. }
            | PreVoteRefused { .. }
            | LeaderElected { .. }
            | LostQuorum { .. }
            | SteppedDown { .. }
            | TermAdopted { .. } => EventKind::Election,
            Appended { .. } | Truncated { .. } | AppendRejected { .. } | BackedUp { .. } => EventKind::Replication,
            Committed { .. } => EventKind::Commit,
            TransferStarted { .. } | TimeoutNowSent { .. } | TransferAborted { .. } => EventKind::Transfer,
            Disconnected { .. } | Reconnected { .. } | Partitioned { .. } | Healed => EventKind::Network,
            MessageDropped { .. } | MessageDuplicated { .. } => EventKind::Tamper,
            SettingChanged { .. } | OptionChanged { .. } => EventKind::Settings,
            ClientWrite { .. }
            | ClientRead { .. }
            | ClientRedirected { .. }
            | ClientNoLeader { .. }
            | ClientBusy { .. }
            | ClientTimedOut { .. }
            | ClientAcked { .. }
            | ClientGaveUp { .. }
            | ClientReadDone { .. }
            | ClientReadGaveUp { .. }
            | ReadStarted { .. }
            | ReadAnswered { .. }
            | Duplicate { .. } => EventKind::Client,
            Violation { .. } => EventKind::Violation,
            #[cfg(feature = "membership")]
            Member { event, .. } => event.kind(),
            #[cfg(feature = "compaction")]
            Compaction { event, .. } => super::compaction::kind(event),
        }
    }

    /// The servers the event concerns, the acting one first (for a commit: the
    /// servers storing it; none for changes to the whole network).
    pub fn nodes(&self) -> Vec<NodeId> {
        use EventData::*;
        match self {
            Started { .. }
            | Partitioned { .. }
            | Healed
            | MessageDropped { .. }
            | MessageDuplicated { .. }
            | SettingChanged { .. }
            | OptionChanged { .. }
            | ClientGaveUp { .. }
            | ClientReadGaveUp { .. } => vec![],
            Crashed { node, .. }
            | Restarted { node, .. }
            | TimeoutForced { node }
            | ElectionStarted { node, .. }
            | LeaderElected { node, .. }
            | SteppedDown { node, .. }
            | TermAdopted { node, from: None, .. }
            | Appended { node, .. }
            | Disconnected { node }
            | Reconnected { node }
            | PreVoteStarted { node, .. }
            | ReadStarted { node, .. }
            | ReadAnswered { node, .. }
            | Duplicate { node, .. } => vec![*node],
            LostQuorum { node, heard, .. } => {
                let mut nodes = vec![*node];
                nodes.extend(heard.iter().filter(|&n| n != node));
                nodes
            }
            TermAdopted { node, from: Some(from), .. } => vec![*node, *from],
            Voted { node, candidate, .. }
            | VoteRefused { node, candidate, .. }
            | PreVoteGranted { node, candidate, .. }
            | PreVoteRefused { node, candidate, .. } => vec![*node, *candidate],
            Truncated { node, leader, .. } | AppendRejected { node, leader, .. } => vec![*node, *leader],
            BackedUp { node, follower, .. } => vec![*node, *follower],
            TransferStarted { node, to } | TimeoutNowSent { node, to } | TransferAborted { node, to } => {
                vec![*node, *to]
            }
            Committed { replicas, .. } => replicas.clone(),
            ClientWrite { to, .. } | ClientRead { to, .. } => vec![*to],
            ClientRedirected { from, to, .. } => vec![*from, *to],
            ClientNoLeader { from, .. } | ClientBusy { from, .. } => vec![*from],
            ClientTimedOut { next, .. } => vec![*next],
            ClientAcked { by, .. } | ClientReadDone { by, .. } => vec![*by],
            Violation { nodes, .. } => nodes.clone(),
            #[cfg(feature = "membership")]
            Member { node, event } => {
                let mut nodes = vec![*node];
                nodes.extend(event.others().into_iter().filter(|n| n != node));
                nodes
            }
            #[cfg(feature = "compaction")]
            Compaction { node, event } => {
                let mut nodes = vec![*node];
                nodes.extend(super::compaction::others(event));
                nodes
            }
        }
    }
}

/// The sentence, e.g. "S3 became leader of term 4 with votes from S1, S3, S5".
impl fmt::Display for EventData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EventData::*;
        match self {
            Started { servers } => {
                write!(f, "{servers} servers started as followers in term 0, each with a random election timeout")
            }
            Crashed { node, term, log_len, vote_forgotten: false } => {
                write!(f, "{node} crashed; its term ({term}), vote and {} are kept on disk", Entries(*log_len))
            }
            Crashed { node, term, log_len, vote_forgotten: true } => write!(
                f,
                "{node} crashed; its term ({term}) and {} are kept on disk, but not its vote (breaking Raft)",
                Entries(*log_len)
            ),
            Restarted { node, term, log_len } => write!(
                f,
                "{node} restarted as a follower in term {term} with {}; it relearns the commit index from the leader",
                Entries(*log_len)
            ),

            TimeoutForced { node } => write!(f, "you forced {node}'s election timeout"),
            ElectionStarted { node, term, reason: ElectionReason::Timeout, was } => match was {
                Role::Candidate => write!(
                    f,
                    "{node}'s election for term {} won no majority in time; it starts another for term {term}",
                    term - 1
                ),
                Role::Leader => {
                    write!(f, "{node} gave up leading term {} and started an election for term {term}", term - 1)
                }
                Role::Follower => {
                    write!(f, "{node} timed out waiting for a leader and started an election for term {term}")
                }
            },
            ElectionStarted { node, term, reason: ElectionReason::TimeoutNow, .. } => {
                write!(f, "{node} got TimeoutNow and started an election for term {term} at once")
            }
            ElectionStarted { node, term, reason: ElectionReason::PreVote, .. } => {
                write!(f, "a majority would vote for {node}: it raises its term and starts an election for term {term}")
            }
            PreVoteStarted { node, term } => write!(
                f,
                "{node} timed out; before raising its term it asks the others whether they would vote for it in term {term} (pre-vote)"
            ),
            PreVoteGranted { node, candidate, term, .. } => {
                write!(f, "{node} would vote for {candidate} in term {term} (pre-vote; {node} keeps its own term and vote)")
            }
            PreVoteRefused { node, candidate, term, reason, own_term, .. } => {
                write!(f, "{node} would not vote for {candidate} in term {term} (pre-vote): ")?;
                refusal(f, *node, *candidate, *term, *reason, *own_term, self.log_check().unwrap_or_default())
            }
            LostQuorum { node, term, heard, servers } => write!(
                f,
                "{node} heard from only {} within an election timeout, not a majority of {servers}: it stops leading term {term} (check-quorum)",
                List(heard)
            ),
            Voted { node, candidate, term, .. } => write!(f, "{node} voted for {candidate} in term {term}"),
            VoteRefused { node, candidate, term, reason, own_term, .. } => {
                write!(f, "{node} refused to vote for {candidate}: ")?;
                refusal(f, *node, *candidate, *term, *reason, *own_term, self.log_check().unwrap_or_default())?;
                match reason {
                    RefuseReason::LeaderAlive(_) => write!(f, ", so it stays in term {own_term} (check-quorum)"),
                    RefuseReason::JustRestarted => write!(f, ", so it stays in term {own_term} (lease)"),
                    _ => Ok(()),
                }
            }
            LeaderElected { node, term, votes } => {
                write!(f, "{node} became leader of term {term} with votes from {}", List(votes))
            }
            SteppedDown { node, was, term, because_of } => match because_of {
                Some(by) if *was == Role::Leader => {
                    write!(f, "{node} learned of term {term} from {by} and stepped down from leader to follower")
                }
                Some(by) => write!(f, "{node} heard from {by} in term {term} and went from {was} back to follower"),
                None => write!(f, "{node} went from {was} back to follower in term {term}"),
            },
            TermAdopted { node, term, from: Some(by) } => write!(f, "{node} learned of term {term} from {by}"),
            TermAdopted { node, term, from: None } => write!(f, "{node} moved on to term {term}"),

            Appended { node, index, term, command: Command::Noop } => {
                write!(f, "{node} appended a no-op at index {index} to start term {term}")
            }
            #[cfg(feature = "membership")]
            Appended { node, index, term, command: Command::Config { change } } => {
                write!(f, "{node} appended the configuration entry {change} at index {index} (term {term}): ")?;
                let n = change.node();
                f.write_str("each server uses it as soon as it stores it, committed or not; ")?;
                match change {
                    crate::raft::Change::AddLearner(_) => {
                        write!(f, "{n} is a learner: it gets the log but neither votes nor counts toward a majority")
                    }
                    crate::raft::Change::Promote(_) => write!(
                        f,
                        "{n} now votes and counts toward majorities; one server at a time, so every old majority overlaps every new one"
                    ),
                    crate::raft::Change::Remove(_) if n == *node => write!(
                        f,
                        "{node} removes itself: it leads on until the entry commits, but no longer counts itself toward a majority"
                    ),
                    crate::raft::Change::Remove(_) => write!(
                        f,
                        "{n} no longer counts toward a majority; {node} still sends it the log until the entry commits"
                    ),
                }
            }
            Appended { node, index, term, command } => {
                write!(f, "{node} appended {command} at index {index} (term {term})")
            }
            Committed { node, from, to, entries, replicas } => {
                write!(f, "{node} committed ")?;
                match entries.last() {
                    Some(e) if from == to => write!(f, "index {to} ({})", e.command)?,
                    None if from == to => write!(f, "index {to} ()")?,
                    _ => write!(f, "indexes {from} to {to}")?,
                }
                write!(f, ": stored on a majority ({})", List(replicas))
            }
            Truncated { node, from, count, leader } => write!(
                f,
                "{node} removed {count} entr{} from index {from}: they conflict with leader {leader}'s log",
                if *count == 1 { "y" } else { "ies" }
            ),
            AppendRejected { node, leader, prev_log_index, reason, own_term, .. } => {
                write!(f, "{node} rejected AppendEntries from {leader}: ")?;
                match reason {
                    RejectReason::StaleTerm => write!(f, "its term is older than {node}'s term {own_term}"),
                    RejectReason::Missing => {
                        write!(f, "it has no entry {prev_log_index}, so appending would leave a hole")
                    }
                    RejectReason::TermMismatch(t) => {
                        write!(f, "its entry {prev_log_index} is of term {t}, not the leader's")
                    }
                }
            }
            BackedUp { node, follower, next_index } => {
                write!(f, "{node} retries {follower} at once, now sending from index {next_index}")
            }

            TransferStarted { node, to } => {
                write!(f, "{node} is handing leadership to {to}: it stops taking writes and brings {to} up to date")
            }
            TimeoutNowSent { node, to } => write!(f, "{to}'s log is up to date: {node} sends it TimeoutNow"),
            TransferAborted { node, to } => {
                write!(f, "{node} gave up handing leadership to {to} and takes writes again")
            }

            Disconnected { node } => write!(f, "network: {node} disconnected from everyone"),
            Reconnected { node } => write!(f, "network: {node} reconnected"),
            Partitioned { groups } if groups.is_empty() => {
                f.write_str("network: no partition; every server is in one group")
            }
            Partitioned { groups } => write!(f, "network: partitioned into {}", Groups(groups)),
            Healed => f.write_str("network: healed; every server reaches every other"),
            MessageDropped { id, from, to, payload } => {
                write!(f, "you dropped message #{id} {from} → {to}: {}", payload.summary())
            }
            MessageDuplicated { id, from, to, payload, .. } => {
                write!(f, "you duplicated message #{id} {from} → {to}: {}", payload.summary())
            }
            SettingChanged { setting: Setting::Latency { lo, hi } } => {
                write!(f, "network: message delay now {lo} to {hi} ms")
            }
            SettingChanged { setting: Setting::DropRate { rate } } => {
                write!(f, "network: now loses {}% of messages", fixed(rate * 100.0, 0))
            }
            SettingChanged { setting: Setting::Links { links: Links::InOrder } } => {
                f.write_str("network: each link now delivers in order, like TCP")
            }
            SettingChanged { setting: Setting::Links { links: Links::Reorder } } => {
                f.write_str("network: messages now arrive in any order, each after its own delay, like UDP")
            }
            SettingChanged { setting: Setting::ElectionTimeout { lo, hi } } => {
                write!(f, "settings: election timeouts now {lo} to {hi} ms")
            }
            SettingChanged { setting: Setting::Heartbeat { ms } } => write!(f, "settings: heartbeat every {ms} ms"),
            OptionChanged { name, value } => match Switch::named(name) {
                Some(s) if s.breaks_raft => write!(f, "what if (not Raft): {} {value}", s.label),
                Some(s) => write!(f, "options: {} {value}", s.label),
                None => write!(f, "options: {name} {value}"),
            },

            ClientWrite { op, command, to } => write!(f, "client: write #{op} {command}, sent to {to}"),
            ClientRead { op, key, to } => write!(f, "client: read #{op} of {key}, sent to {to}"),
            ClientRedirected { op, from, to, read } => {
                let what = op_word(*read);
                write!(f, "client: {from} is not the leader and points to {to}; {what} #{op} goes there")
            }
            ClientNoLeader { op, from, wait_ms, read } => {
                let what = op_word(*read);
                write!(f, "client: {from} knows no leader; {what} #{op} waits {wait_ms} ms and tries the next server")
            }
            ClientBusy { op, from, wait_ms, read } => {
                write!(f, "client: {from} is handing leadership over; {} #{op} waits {wait_ms} ms", op_word(*read))
            }
            ClientTimedOut { op, from: Some(from), after_ms, next, read } => {
                let what = op_word(*read);
                write!(f, "client: no answer for {what} #{op} from {from} after {after_ms} ms; trying {next}")
            }
            ClientTimedOut { op, from: None, after_ms, next, read } => {
                let what = op_word(*read);
                write!(f, "client: no answer for {what} #{op} from ? after {after_ms} ms; trying {next}")
            }
            ClientAcked { op, command, by, index, took_ms, .. } => write!(
                f,
                "client: write #{op} {command} acknowledged by {by}, committed at index {index} ({took_ms} ms)"
            ),
            ClientGaveUp { op, command, after_ms } => {
                write!(f, "client: gave up write #{op} {command}: {}", gave_up_reason(*after_ms))
            }
            ClientReadDone { op, key, value, by, index, took_ms } => write!(
                f,
                "client: read #{op} of {key} returned {} from {by} (applied up to index {index}; {took_ms} ms)",
                Value(*value)
            ),
            ClientReadGaveUp { op, key, after_ms } => {
                write!(f, "client: gave up read #{op} of {key}: no server answered it within {after_ms} ms")
            }
            ReadStarted { node, op, key, read_index: Some(index) } => write!(
                f,
                "{node} takes read #{op} of {key} with read index {index}, and confirms with a round of heartbeats that it still leads"
            ),
            ReadStarted { node, op, key, read_index: None } => write!(
                f,
                "{node} takes read #{op} of {key}; it fixes the read index once an entry of its own term is committed, and confirms with a round of heartbeats that it still leads"
            ),
            ReadAnswered { node, op, key, value, index, how } => {
                write!(f, "{node} answers read #{op}: {key} = {}", Value(*value))?;
                match how {
                    ReadHow::ReadIndex { confirmed_by } => write!(
                        f,
                        " ({} confirmed it still leads, and it has applied up to read index {index})",
                        List(confirmed_by)
                    ),
                    ReadHow::Lease => write!(f, " at once: its lease holds (applied up to {index})"),
                    ReadHow::Local => write!(f, " from its own store, unchecked (breaking Raft; applied up to {index})"),
                }
            }
            Duplicate { node, index, command, seq, first, .. } => {
                write!(f, "{node} skips entry {index} ({command}): write #{seq} is a duplicate, already applied")?;
                match first {
                    Some(first) => write!(f, " at index {first}"),
                    None => Ok(()),
                }
            }

            Violation { property, explanation, .. } => {
                write!(f, "SAFETY VIOLATED ({}): {explanation}", property.name())
            }
            #[cfg(feature = "membership")]
            Member { node, event } => event.tell(f, *node),
            #[cfg(feature = "compaction")]
            Compaction { node, event } => super::compaction::tell(f, *node, event),
        }
    }
}

/// Why a vote (or a pre-vote) was refused, after "refused to vote for X: ".
fn refusal(
    f: &mut fmt::Formatter<'_>,
    node: NodeId,
    candidate: NodeId,
    term: u64,
    reason: RefuseReason,
    own_term: u64,
    check: LogCheck,
) -> fmt::Result {
    let LogCheck { candidate_last_index, candidate_last_term, own_last_index, own_last_term } = check;
    match reason {
        RefuseReason::StaleTerm => write!(f, "term {term} is behind its own term {own_term}"),
        RefuseReason::AlreadyVoted(v) if v == node => write!(f, "it is a candidate in term {term} itself"),
        RefuseReason::AlreadyVoted(v) => write!(f, "it already voted for {v} in term {term}"),
        RefuseReason::LogBehind => write!(
            f,
            "{candidate}'s log (last entry {candidate_last_index} of term {candidate_last_term}) is less up to date than its own (last entry {own_last_index} of term {own_last_term})"
        ),
        RefuseReason::LeaderAlive(l) if l == node => write!(f, "it leads term {own_term} itself"),
        RefuseReason::LeaderAlive(l) => write!(f, "it heard from leader {l} less than an election timeout ago"),
        RefuseReason::JustRestarted => write!(
            f,
            "it restarted less than an election timeout ago, and may have promised a leader's lease not to vote until then"
        ),
        #[cfg(feature = "membership")]
        RefuseReason::Removed => {
            write!(f, "its log holds the entry that removes {candidate}: a removed server gets no vote")
        }
    }
}

/// "write" or "read".
fn op_word(read: bool) -> &'static str {
    if read {
        "read"
    } else {
        "write"
    }
}

/// A value read: "3", or "nothing (never written)".
struct Value(Option<i64>);

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => write!(f, "{v}"),
            None => f.write_str("nothing (never written)"),
        }
    }
}

/// Why the client gave a write up (also its failed status's reason).
pub(super) fn gave_up_reason(after_ms: u64) -> String {
    format!("no leader acknowledged it within {after_ms} ms; it may still commit later")
}

/// The partition groups as "{S1, S2} | {S3, S4, S5}".
pub(super) struct Groups<'a>(pub &'a [Vec<NodeId>]);

impl fmt::Display for Groups<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, g) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { " | " };
            write!(f, "{sep}{{{}}}", List(g))?;
        }
        Ok(())
    }
}

/// "S1, S3, S5".
pub(super) struct List<'a>(pub(super) &'a [NodeId]);

impl fmt::Display for List<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, n) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{n}")?;
        }
        Ok(())
    }
}

/// "1 log entry", "3 log entries".
struct Entries(u64);

impl fmt::Display for Entries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} log entr{}", self.0, if self.0 == 1 { "y" } else { "ies" })
    }
}
