//! Reading a question's answer from the cluster: who could win an election
//! now, who would vote for whom, who stores an entry, numbers and conditions.

use super::{Answer, AnswerRule, NumberFact, ServerFact};
use crate::raft::{Command, NodeId};
use crate::script::run::Exec;
use crate::sim::{Addr, Cluster, Role, Server};

/// The correct answer now, and whether an authored choice was confirmed by its condition.
pub(crate) fn truth(exec: &mut Exec, rule: &AnswerRule, step_events: usize) -> (Answer, bool) {
    match rule {
        AnswerRule::Servers(fact) => (Answer::Servers(servers(&exec.c, fact)), true),
        AnswerRule::Holds(cond) => (Answer::YesNo(exec.check(cond).0), true),
        AnswerRule::Number(fact) => (Answer::Number(number(&exec.c, fact, step_events)), true),
        AnswerRule::Choice { option, check } => (Answer::Choice(*option), exec.check(check).0),
    }
}

/// (last log term, last log index): the order of "more up to date" (Raft §5.4.1).
fn recency(s: &Server) -> (u64, u64) {
    (s.raft().last_term(), s.raft().last_index())
}

/// Whether `a` and `b` can exchange messages both ways.
fn talk(c: &Cluster, a: NodeId, b: NodeId) -> bool {
    a == b || (c.can_reach(Addr::Node(a), Addr::Node(b)) && c.can_reach(Addr::Node(b), Addr::Node(a)))
}

/// The running servers that would vote for `candidate` on the log
/// comparison (itself included), among those it can exchange messages with.
fn voters(c: &Cluster, candidate: &Server) -> Vec<NodeId> {
    c.servers()
        .iter()
        .filter(|v| v.is_up() && talk(c, candidate.id(), v.id()) && recency(v) <= recency(candidate))
        .map(|v| v.id())
        .collect()
}

fn servers(c: &Cluster, fact: &ServerFact) -> Vec<NodeId> {
    let running = || c.servers().iter().filter(|s| s.is_up());
    let majority = c.servers().len() / 2 + 1;
    let mut out: Vec<NodeId> = match fact {
        ServerFact::CanWin => running().filter(|s| voters(c, s).len() >= majority).map(|s| s.id()).collect(),
        ServerFact::VotesFor(n) => match c.node(*n) {
            Some(s) if s.is_up() => voters(c, s),
            _ => Vec::new(),
        },
        ServerFact::Leader => c.leader().into_iter().collect(),
        ServerFact::Leaders => running().filter(|s| s.role() == Role::Leader).map(|s| s.id()).collect(),
        // A write compacted into a server's snapshot is still stored there, committed.
        ServerFact::Stores { key, value } => {
            let command = Command::set(key, *value);
            c.servers()
                .iter()
                .filter(|s| s.log().iter().any(|e| e.command == command) || c.in_snapshot(s, &command))
                .map(|s| s.id())
                .collect()
        }
        ServerFact::Committed { key, value } => {
            let command = Command::set(key, *value);
            let in_log =
                |s: &Server| s.log().iter().take_while(|e| e.index <= s.commit_index()).any(|e| e.command == command);
            running().filter(|s| in_log(s) || c.in_snapshot(s, &command)).map(|s| s.id()).collect()
        }
        ServerFact::UpToDate => match c.leader().and_then(|l| c.node(l)) {
            Some(leader) => running().filter(|s| s.same_log(leader)).map(|s| s.id()).collect(),
            None => Vec::new(),
        },
        ServerFact::FirstTimeout => {
            let first = running().filter_map(|s| s.election_timer()).map(|t| t.deadline).min();
            running()
                .filter(|s| s.election_timer().map(|t| t.deadline) == first && first.is_some())
                .map(|s| s.id())
                .collect()
        }
    };
    out.sort();
    out
}

fn number(c: &Cluster, fact: &NumberFact, step_events: usize) -> u64 {
    let node = |n: NodeId| c.node(n);
    match fact {
        NumberFact::Term(n) => node(*n).map_or(0, |s| s.term()),
        NumberFact::CommitIndex(n) => node(*n).map_or(0, |s| s.commit_index()),
        NumberFact::LastIndex(n) => node(*n).map_or(0, |s| s.raft().last_index()),
        NumberFact::Events(words) => {
            let events = c.events().get(step_events..).unwrap_or(&[]);
            events.iter().filter(|e| e.text().contains(words.as_str())).count() as u64
        }
        NumberFact::Majority => c.servers().len() as u64 / 2 + 1,
    }
}
