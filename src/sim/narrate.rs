//! The narration: what a node reports ([`Note`]) told in plain English for the
//! trace, with the servers it concerns and the kind of event.

use super::trace::list;
use super::{Cluster, Command, EventKind, NodeId, Role};
use crate::raft::{ElectionReason, Note, RefuseReason, RejectReason};

impl Cluster {
    /// Tells what server `id` reported, as one line of the trace.
    pub(super) fn note(&mut self, id: NodeId, note: Note) {
        let node = &self.servers[id.index()].node;
        let (kind, nodes, text) = match note {
            Note::StartedElection { term, reason: ElectionReason::Timeout, was } => (
                EventKind::Election,
                vec![id],
                match was {
                    Role::Candidate => format!(
                        "{id}'s election for term {} won no majority in time; it starts another for term {term}",
                        term - 1
                    ),
                    Role::Leader => format!("{id} gave up leading term {} and started an election for term {term}", term - 1),
                    Role::Follower => {
                        format!("{id} timed out waiting for a leader and started an election for term {term}")
                    }
                },
            ),
            Note::StartedElection { term, reason: ElectionReason::TimeoutNow, .. } => (
                EventKind::Transfer,
                vec![id],
                format!("{id} got TimeoutNow and started an election for term {term} at once"),
            ),
            Note::Voted { candidate, term } => {
                (EventKind::Election, vec![id, candidate], format!("{id} voted for {candidate} in term {term}"))
            }
            Note::RefusedVote { candidate, term, reason } => {
                let why = match reason {
                    RefuseReason::StaleTerm => format!("term {term} is behind its own term {}", node.term()),
                    RefuseReason::AlreadyVoted(v) if v == id => format!("it is a candidate in term {term} itself"),
                    RefuseReason::AlreadyVoted(v) => format!("it already voted for {v} in term {term}"),
                    RefuseReason::LogBehind => format!(
                        "{candidate}'s log is less up to date than its own (last entry {} of term {})",
                        node.last_index(),
                        node.last_term()
                    ),
                };
                (EventKind::Election, vec![id, candidate], format!("{id} refused to vote for {candidate}: {why}"))
            }
            Note::BecameLeader { term, votes } => (
                EventKind::Election,
                vec![id],
                format!("{id} became leader of term {term} with votes from {}", list(&votes)),
            ),
            Note::SteppedDown { was, term, because_of } => (
                EventKind::Election,
                vec![id],
                match because_of {
                    Some(by) if was == Role::Leader => {
                        format!("{id} learned of term {term} from {by} and stepped down from leader to follower")
                    }
                    Some(by) => format!("{id} heard from {by} in term {term} and went from {was} back to follower"),
                    None => format!("{id} went from {was} back to follower in term {term}"),
                },
            ),
            Note::Appended { index, term, command: Command::Noop } => (
                EventKind::Replication,
                vec![id],
                format!("{id} appended a no-op at index {index} to start term {term}"),
            ),
            Note::Appended { index, term, command } => {
                (EventKind::Replication, vec![id], format!("{id} appended {command} at index {index} (term {term})"))
            }
            Note::Committed { from, to, replicas } => {
                let what = if from == to {
                    format!("index {to} ({})", node.log().get(to as usize - 1).map_or(String::new(), |e| e.command.to_string()))
                } else {
                    format!("indexes {from} to {to}")
                };
                (EventKind::Commit, replicas.clone(), format!("{id} committed {what}: stored on a majority ({})", list(&replicas)))
            }
            Note::Truncated { from, count, leader } => (
                EventKind::Replication,
                vec![id, leader],
                format!(
                    "{id} removed {count} entr{} from index {from}: they conflict with leader {leader}'s log",
                    if count == 1 { "y" } else { "ies" }
                ),
            ),
            Note::RejectedAppend { leader, prev_log_index, reason } => (
                EventKind::Replication,
                vec![id, leader],
                match reason {
                    RejectReason::StaleTerm => {
                        format!("{id} rejected AppendEntries from {leader}: its term is older than {id}'s term {}", node.term())
                    }
                    RejectReason::Missing => format!(
                        "{id} rejected AppendEntries from {leader}: it has no entry {prev_log_index}, so appending would leave a hole"
                    ),
                    RejectReason::TermMismatch(t) => format!(
                        "{id} rejected AppendEntries from {leader}: its entry {prev_log_index} is of term {t}, not the leader's"
                    ),
                },
            ),
            Note::BackedUp { follower, next_index } => (
                EventKind::Replication,
                vec![id, follower],
                format!("{id} retries {follower} at once, now sending from index {next_index}"),
            ),
            Note::TransferStarted { to } => (
                EventKind::Transfer,
                vec![id, to],
                format!("{id} is handing leadership to {to}: it stops taking writes and brings {to} up to date"),
            ),
            Note::TransferTimeoutNow { to } => (
                EventKind::Transfer,
                vec![id, to],
                format!("{to}'s log is up to date: {id} sends it TimeoutNow"),
            ),
            Note::TransferAborted { to } => (
                EventKind::Transfer,
                vec![id, to],
                format!("{id} gave up handing leadership to {to} and takes writes again"),
            ),
        };
        self.log(kind, nodes, text);
    }
}
