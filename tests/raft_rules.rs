//! One Raft node driven by hand, one rule per test (sans-IO: inputs in, outputs out).
//! Organised like the Raft paper: elections (5.2), replication (5.3), safety (5.4),
//! persistence, client interaction and leadership transfer.

use raft_playground::raft::*;
use raft_playground::sim::{MessageKind, Payload};
use std::collections::VecDeque;
use std::num::NonZeroU64;

mod common;
use common::{entry, ids, persistent, s};

fn node(id: u8, n: u8) -> Node {
    Node::new(s(id), ids(n), Settings::default())
}

fn node_with(id: u8, n: u8, settings: Settings) -> Node {
    Node::new(s(id), ids(n), settings)
}

fn batched(max: u64) -> Settings {
    Settings { max_entries_per_append: NonZeroU64::new(max), ..Settings::default() }
}

/// A node recovered with the given persisted state.
fn with_log(id: u8, n: u8, term: u64, log: Vec<Entry>) -> Node {
    Node::recover(s(id), ids(n), Settings::default(), persistent(term, None, log))
}

fn sent(out: &[Output]) -> Vec<Message> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

fn notes(out: &[Output]) -> Vec<Note> {
    out.iter()
        .filter_map(|o| match o {
            Output::Note(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

fn msg(from: u8, to: u8, term: u64, body: Body) -> Message {
    Message { from: s(from), to: s(to), term, body }
}

fn vote_req(from: u8, to: u8, term: u64, last_log_index: u64, last_log_term: u64) -> Message {
    msg(from, to, term, Body::RequestVote { last_log_index, last_log_term, transfer: false })
}

/// A vote's log check: the candidate's last entry (index, term), then the voter's.
fn check((ci, ct): (u64, u64), (oi, ot): (u64, u64)) -> LogCheck {
    LogCheck { candidate_last_index: ci, candidate_last_term: ct, own_last_index: oi, own_last_term: ot }
}

fn append(from: u8, to: u8, term: u64, prev: (u64, u64), entries: Vec<Entry>, commit: u64) -> Message {
    msg(
        from,
        to,
        term,
        Body::AppendEntries { prev_log_index: prev.0, prev_log_term: prev.1, entries, leader_commit: commit, round: 0 },
    )
}

fn granted(out: &[Output]) -> Option<bool> {
    sent(out).iter().find_map(|m| match m.body {
        Body::RequestVoteReply { granted } => Some(granted),
        _ => None,
    })
}

/// (conflict_term, conflict_index) of the rejection in `out`.
fn reject_hint(out: &[Output]) -> (u64, u64) {
    sent(out)
        .iter()
        .find_map(|m| match m.body {
            Body::AppendEntriesReply { success: false, conflict_term, conflict_index, .. } => {
                Some((conflict_term, conflict_index))
            }
            _ => None,
        })
        .expect("a rejection")
}

/// (success, match_index) of the AppendEntries reply in `out`.
fn append_reply(out: &[Output]) -> (bool, u64) {
    sent(out)
        .iter()
        .find_map(|m| match m.body {
            Body::AppendEntriesReply { success, match_index, .. } => Some((success, match_index)),
            _ => None,
        })
        .expect("an AppendEntries reply")
}

fn ok_reply(from: u8, to: u8, term: u64, prev: u64, match_index: u64) -> Message {
    msg(
        from,
        to,
        term,
        Body::AppendEntriesReply {
            success: true,
            match_index,
            prev_log_index: prev,
            conflict_term: 0,
            conflict_index: 0,
            round: 0,
        },
    )
}

fn reject_reply(from: u8, to: u8, term: u64, prev: u64, conflict_term: u64, conflict_index: u64) -> Message {
    msg(
        from,
        to,
        term,
        Body::AppendEntriesReply {
            success: false,
            match_index: 0,
            prev_log_index: prev,
            conflict_term,
            conflict_index,
            round: 0,
        },
    )
}

/// Makes `n` (a node of a `size`-server cluster) leader of its next term by timing
/// out and collecting votes from the lowest-numbered peers.
fn make_leader(n: &mut Node, size: u8) -> Vec<Output> {
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    let term = n.term();
    let me = n.id().0;
    let mut voters = (1..=size).filter(|&p| p != me);
    while n.role() != Role::Leader {
        let p = voters.next().expect("enough voters");
        out.clear();
        n.receive(msg(p, me, term, Body::RequestVoteReply { granted: true }), &mut out);
    }
    out
}

/// A small cluster by hand: delivers the messages in `first`, and every message
/// they cause, oldest first, until none is left; no timer ever fires.
/// `check(message, receiver before, receiver after)` sees every delivery.
fn exchange(nodes: &mut [Node], first: &[Output], mut check: impl FnMut(&Message, &Node, &Node)) {
    let mut queue: VecDeque<Message> = sent(first).into();
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let Some(m) = queue.pop_front() else { return };
        let to = m.to.index();
        let before = nodes[to].clone();
        out.clear();
        nodes[to].receive(m.clone(), &mut out);
        check(&m, &before, &nodes[to]);
        queue.extend(sent(&out));
    }
    panic!("the exchange does not settle");
}

// ----- 5.2 leader election ----------------------------------------------------------

#[test]
fn a_new_node_is_a_follower_of_term_0_and_asks_for_an_election_timer() {
    let mut n = node(1, 3);
    assert_eq!((n.role(), n.term(), n.voted_for()), (Role::Follower, 0, None));
    let mut out = Vec::new();
    n.start(&mut out);
    assert_eq!(out, vec![Output::ResetElectionTimer]);
}

#[test]
fn election_timeout_makes_a_candidate_that_votes_for_itself_and_asks_everyone() {
    let mut n = with_log(2, 5, 3, vec![entry(1, 1, "x", 1), entry(2, 3, "y", 2)]);
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    assert_eq!(n.role(), Role::Candidate);
    assert_eq!(n.term(), 4);
    assert_eq!(n.voted_for(), Some(s(2)));
    assert!(out.contains(&Output::ResetElectionTimer), "a candidate restarts its timer for the next try");
    let reqs = sent(&out);
    let mut to: Vec<u8> = reqs.iter().map(|m| m.to.0).collect();
    to.sort();
    assert_eq!(to, vec![1, 3, 4, 5]);
    for m in reqs {
        assert_eq!(m.term, 4);
        assert_eq!(m.body, Body::RequestVote { last_log_index: 2, last_log_term: 3, transfer: false });
    }
}

#[test]
fn a_majority_of_votes_makes_a_leader_a_minority_does_not() {
    let mut n = node(1, 5);
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    assert_eq!(n.votes(), &[s(1)], "its own vote");
    n.receive(msg(2, 1, 1, Body::RequestVoteReply { granted: true }), &mut out);
    assert_eq!(n.role(), Role::Candidate, "2 of 5 is no majority");
    n.receive(msg(3, 1, 1, Body::RequestVoteReply { granted: false }), &mut out);
    n.receive(msg(2, 1, 1, Body::RequestVoteReply { granted: true }), &mut out);
    assert_eq!(n.role(), Role::Candidate, "a refusal and a repeated vote do not count");
    assert_eq!(n.votes(), &[s(1), s(2)]);
    out.clear();
    n.receive(msg(4, 1, 1, Body::RequestVoteReply { granted: true }), &mut out);
    assert_eq!(n.role(), Role::Leader);
    assert!(out.contains(&Output::StopElectionTimer));
    assert!(out.contains(&Output::ResetHeartbeatTimer));
    assert!(notes(&out).contains(&Note::BecameLeader { term: 1, votes: vec![s(1), s(2), s(4)] }));
    // It announces itself at once with AppendEntries to every follower.
    let mut to: Vec<u8> =
        sent(&out).iter().filter(|m| matches!(m.body, Body::AppendEntries { .. })).map(|m| m.to.0).collect();
    to.sort();
    assert_eq!(to, vec![2, 3, 4, 5]);
}

#[test]
fn votes_from_an_old_term_do_not_count() {
    let mut n = node(1, 3);
    let mut out = Vec::new();
    n.election_timeout(&mut out); // term 1
    n.election_timeout(&mut out); // term 2
    n.receive(msg(2, 1, 1, Body::RequestVoteReply { granted: true }), &mut out);
    assert_eq!(n.role(), Role::Candidate);
}

#[test]
fn a_single_server_elects_itself() {
    let mut n = node(1, 1);
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    assert_eq!(n.role(), Role::Leader);
    assert_eq!(n.commit_index(), 1, "its no-op is committed by a majority of one");
}

#[test]
fn one_vote_per_term_first_come_first_served() {
    let mut n = node(3, 5);
    let mut out = Vec::new();
    n.receive(vote_req(1, 3, 1, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(true));
    assert_eq!(n.voted_for(), Some(s(1)));
    assert!(out.contains(&Output::ResetElectionTimer), "granting a vote restarts the timer");
    out.clear();
    n.receive(vote_req(2, 3, 1, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(false), "a second candidate in the same term is refused");
    assert!(notes(&out).contains(&Note::RefusedVote {
        candidate: s(2),
        term: 1,
        reason: RefuseReason::AlreadyVoted(s(1)),
        check: check((0, 0), (0, 0)),
    }));
    out.clear();
    n.receive(vote_req(1, 3, 1, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(true), "a repeated request from the same candidate is granted again");
    out.clear();
    n.receive(vote_req(2, 3, 2, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(true), "a new term brings a new vote");
    assert_eq!((n.term(), n.voted_for()), (2, Some(s(2))));
}

/// A follower that takes a newer term from a message says so (its role
/// does not change, so `SteppedDown` does not); one whose term stays does
/// not; a candidate that takes it steps down instead (one note, not two).
#[test]
fn a_follower_that_takes_a_newer_term_notes_it_once() {
    let mut f = node(2, 3);
    let mut out = Vec::new();
    f.receive(append(1, 2, 3, (0, 0), vec![], 0), &mut out);
    assert_eq!(f.term(), 3);
    assert_eq!(notes(&out), vec![Note::TermAdopted { term: 3, from: Some(s(1)) }]);
    // The same term again: nothing new.
    out.clear();
    f.receive(append(1, 2, 3, (0, 0), vec![], 0), &mut out);
    assert!(notes(&out).is_empty(), "{out:?}");
    // A vote request of a newer term: the term first, then the vote.
    out.clear();
    f.receive(vote_req(3, 2, 5, 0, 0), &mut out);
    assert_eq!(
        notes(&out),
        vec![
            Note::TermAdopted { term: 5, from: Some(s(3)) },
            Note::Voted { candidate: s(3), term: 5, check: check((0, 0), (0, 0)) }
        ]
    );
    // A candidate steps down: SteppedDown tells the term, no TermAdopted.
    let mut c = node(1, 3);
    c.election_timeout(&mut Vec::new());
    let mut out = Vec::new();
    c.receive(append(2, 1, 4, (0, 0), vec![], 0), &mut out);
    assert_eq!(c.role(), Role::Follower);
    let said = notes(&out);
    assert!(said.contains(&Note::SteppedDown { was: Role::Candidate, term: 4, because_of: Some(s(2)) }));
    assert!(!said.iter().any(|n| matches!(n, Note::TermAdopted { .. })), "{said:?}");
}

#[test]
fn no_vote_for_a_candidate_whose_last_term_is_older() {
    let mut n = with_log(3, 3, 3, vec![entry(1, 1, "x", 1), entry(2, 3, "x", 2)]);
    let mut out = Vec::new();
    // Longer log, but its last entry is of an older term: less up to date.
    n.receive(vote_req(1, 3, 4, 5, 2), &mut out);
    assert_eq!(granted(&out), Some(false));
    let (reason, check) = (RefuseReason::LogBehind, check((5, 2), (2, 3)));
    assert!(notes(&out).contains(&Note::RefusedVote { candidate: s(1), term: 4, reason, check }), "{out:?}");
    assert_eq!(n.term(), 4, "it still adopts the newer term");
    assert_eq!(n.voted_for(), None);
}

#[test]
fn no_vote_for_a_candidate_with_the_same_last_term_but_a_shorter_log() {
    let mut n = with_log(3, 3, 3, vec![entry(1, 1, "x", 1), entry(2, 3, "x", 2), entry(3, 3, "x", 3)]);
    let mut out = Vec::new();
    n.receive(vote_req(1, 3, 4, 2, 3), &mut out);
    assert_eq!(granted(&out), Some(false));
    out.clear();
    n.receive(vote_req(2, 3, 4, 3, 3), &mut out);
    assert_eq!(granted(&out), Some(true), "an equally up-to-date log gets the vote");
}

#[test]
fn a_newer_last_term_wins_the_vote_even_with_a_shorter_log() {
    let mut n = with_log(3, 3, 3, vec![entry(1, 1, "x", 1), entry(2, 1, "x", 2), entry(3, 1, "x", 3)]);
    let mut out = Vec::new();
    n.receive(vote_req(1, 3, 4, 2, 2), &mut out);
    assert_eq!(granted(&out), Some(true));
}

#[test]
fn the_break_raft_switch_skips_the_up_to_date_check() {
    let settings = Settings { unsafe_skip_vote_log_check: true, ..Settings::default() };
    let mut n = Node::recover(s(3), ids(3), settings, persistent(3, None, vec![entry(1, 3, "x", 1)]));
    let mut out = Vec::new();
    n.receive(vote_req(1, 3, 4, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(true));
}

#[test]
fn a_stale_vote_request_is_refused_with_the_newer_term() {
    let mut n = with_log(2, 3, 5, vec![]);
    let mut out = Vec::new();
    n.receive(vote_req(1, 2, 4, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(false));
    assert_eq!(sent(&out)[0].term, 5, "the reply tells the candidate the newer term");
}

#[test]
fn any_newer_term_turns_a_leader_into_a_follower() {
    let mut n = node(1, 3);
    make_leader(&mut n, 3);
    let mut out = Vec::new();
    n.receive(msg(2, 1, 7, Body::RequestVoteReply { granted: false }), &mut out);
    assert_eq!((n.role(), n.term(), n.voted_for()), (Role::Follower, 7, None));
    assert!(out.contains(&Output::StopHeartbeatTimer));
    assert!(out.contains(&Output::ResetElectionTimer), "a follower needs an election timer again");
    assert!(notes(&out).iter().any(|n| matches!(n, Note::SteppedDown { was: Role::Leader, term: 7, .. })));
}

#[test]
fn a_candidate_that_hears_from_a_leader_of_its_term_becomes_its_follower() {
    let mut n = node(2, 3);
    let mut out = Vec::new();
    n.election_timeout(&mut out); // candidate, term 1
    out.clear();
    n.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    assert_eq!(n.role(), Role::Follower);
    assert_eq!(n.leader_hint(), Some(s(1)));
    assert_eq!(append_reply(&out), (true, 0));
    // Its vote for itself in term 1 still binds: no second vote in that term.
    assert_eq!(n.voted_for(), Some(s(2)));
    out.clear();
    n.receive(vote_req(3, 2, 1, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(false));
}

// ----- 5.3 log replication ------------------------------------------------------------

#[test]
fn a_follower_appends_acknowledges_and_restarts_its_timer() {
    let mut n = node(2, 3);
    let mut out = Vec::new();
    n.receive(append(1, 2, 1, (0, 0), vec![entry(1, 1, "x", 3), entry(2, 1, "y", 4)], 0), &mut out);
    assert_eq!(n.log(), &[entry(1, 1, "x", 3), entry(2, 1, "y", 4)]);
    assert_eq!(append_reply(&out), (true, 2));
    assert!(out.contains(&Output::ResetElectionTimer));
    assert_eq!(n.leader_hint(), Some(s(1)));
}

#[test]
fn a_heartbeat_is_an_empty_append_entries_and_is_acknowledged() {
    let mut n = with_log(2, 3, 1, vec![entry(1, 1, "x", 3)]);
    let mut out = Vec::new();
    n.receive(append(1, 2, 1, (1, 1), vec![], 0), &mut out);
    assert_eq!(append_reply(&out), (true, 1));
    assert_eq!(n.log().len(), 1);
}

#[test]
fn a_follower_rejects_entries_that_would_leave_a_hole() {
    let mut n = with_log(2, 3, 2, vec![entry(1, 1, "x", 1)]);
    let mut out = Vec::new();
    n.receive(append(1, 2, 2, (3, 1), vec![entry(4, 1, "x", 4)], 0), &mut out);
    assert_eq!(append_reply(&out), (false, 0));
    assert_eq!(n.log().len(), 1, "nothing appended");
    assert!(notes(&out).contains(&Note::RejectedAppend {
        leader: s(1),
        term: 2,
        prev_log_index: 3,
        prev_log_term: 1,
        reason: RejectReason::Missing
    }));
}

#[test]
fn a_follower_rejects_when_the_previous_entry_has_another_term() {
    let mut n = with_log(2, 3, 2, vec![entry(1, 1, "x", 1), entry(2, 2, "x", 2)]);
    let mut out = Vec::new();
    n.receive(append(1, 2, 3, (2, 3), vec![entry(3, 3, "x", 3)], 0), &mut out);
    assert_eq!(append_reply(&out), (false, 0));
    assert_eq!(n.log().len(), 2);
    // The note carries both sides of the check: the leader's prevLogTerm 3
    // (from its request, of term 3) and the follower's own term 2 at index 2.
    assert!(notes(&out).contains(&Note::RejectedAppend {
        leader: s(1),
        term: 3,
        prev_log_index: 2,
        prev_log_term: 3,
        reason: RejectReason::TermMismatch(2)
    }));
}

/// A stale AppendEntries' note carries the request's term, older than the follower's.
#[test]
fn a_stale_append_entries_note_carries_its_term() {
    let mut n = with_log(2, 3, 5, vec![entry(1, 1, "x", 1)]);
    let mut out = Vec::new();
    n.receive(append(1, 2, 4, (1, 1), vec![], 0), &mut out);
    assert_eq!(append_reply(&out), (false, 0));
    assert!(notes(&out).contains(&Note::RejectedAppend {
        leader: s(1),
        term: 4,
        prev_log_index: 1,
        prev_log_term: 1,
        reason: RejectReason::StaleTerm
    }));
}

#[test]
fn a_follower_truncates_a_conflicting_suffix_and_keeps_the_matching_prefix() {
    let mut n = with_log(2, 3, 2, vec![entry(1, 1, "a", 1), entry(2, 2, "b", 2), entry(3, 2, "c", 3)]);
    let mut out = Vec::new();
    n.receive(append(1, 2, 3, (1, 1), vec![entry(2, 3, "B", 20)], 0), &mut out);
    assert_eq!(n.log(), &[entry(1, 1, "a", 1), entry(2, 3, "B", 20)]);
    assert_eq!(append_reply(&out), (true, 2));
    assert!(notes(&out).contains(&Note::Truncated { from: 2, count: 2, leader: s(1) }));
}

#[test]
fn a_rejection_says_where_the_followers_log_ends_or_where_its_conflicting_term_starts() {
    // No entry at prev_log_index 5: the log ends at 2, so the leader may go back to 3.
    let mut n = with_log(2, 3, 2, vec![entry(1, 1, "a", 1), entry(2, 2, "b", 2)]);
    let mut out = Vec::new();
    n.receive(append(1, 2, 3, (5, 3), vec![], 0), &mut out);
    assert_eq!(reject_hint(&out), (0, 3));
    // Term 2 at prev_log_index 3 where the leader has term 3: term 2 starts at index 2.
    let mut n = with_log(2, 3, 2, vec![entry(1, 1, "a", 1), entry(2, 2, "b", 2), entry(3, 2, "c", 3)]);
    out.clear();
    n.receive(append(1, 2, 3, (3, 3), vec![], 0), &mut out);
    assert_eq!(reject_hint(&out), (2, 2));
}

#[test]
fn truncation_removes_every_entry_from_the_first_conflict_on() {
    let log: Vec<Entry> = (1..=5).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = with_log(2, 3, 1, log);
    let mut out = Vec::new();
    n.receive(append(1, 2, 2, (2, 1), vec![entry(3, 2, "y", 30)], 0), &mut out);
    assert_eq!(n.log().len(), 3);
    assert_eq!(n.log()[2], entry(3, 2, "y", 30));
    assert!(notes(&out).contains(&Note::Truncated { from: 3, count: 3, leader: s(1) }));
}

#[test]
fn repeated_append_entries_change_nothing() {
    let mut n = node(2, 3);
    let req = append(1, 2, 1, (0, 0), vec![entry(1, 1, "x", 1), entry(2, 1, "x", 2)], 1);
    let mut out = Vec::new();
    n.receive(req.clone(), &mut out);
    let (log, commit, kv) = (n.log().to_vec(), n.commit_index(), n.kv().clone());
    out.clear();
    n.receive(req, &mut out);
    assert_eq!(append_reply(&out), (true, 2));
    assert_eq!((n.log().to_vec(), n.commit_index(), n.kv().clone()), (log, commit, kv));
}

#[test]
fn a_late_shorter_append_entries_does_not_cut_the_log() {
    let mut n = node(2, 3);
    let mut out = Vec::new();
    n.receive(append(1, 2, 1, (0, 0), vec![entry(1, 1, "x", 1), entry(2, 1, "x", 2)], 0), &mut out);
    // An older message with only the first entry arrives after the newer one.
    n.receive(append(1, 2, 1, (0, 0), vec![entry(1, 1, "x", 1)], 0), &mut out);
    assert_eq!(n.log().len(), 2, "entries that match are kept, nothing is truncated");
}

#[test]
fn a_stale_leader_is_rejected_with_the_newer_term() {
    let mut n = with_log(2, 3, 5, vec![]);
    let mut out = Vec::new();
    n.receive(append(1, 2, 4, (0, 0), vec![entry(1, 4, "x", 1)], 0), &mut out);
    assert_eq!(append_reply(&out), (false, 0));
    assert_eq!(sent(&out)[0].term, 5);
    assert!(n.log().is_empty());
}

#[test]
fn followers_learn_the_commit_index_from_the_leader_and_apply_in_order() {
    let mut n = node(2, 3);
    let mut out = Vec::new();
    n.receive(
        append(1, 2, 1, (0, 0), vec![entry(1, 1, "x", 1), entry(2, 1, "x", 2), entry(3, 1, "y", 7)], 2),
        &mut out,
    );
    assert_eq!(n.commit_index(), 2);
    assert_eq!(n.last_applied(), 2);
    assert_eq!(n.kv().get("x"), Some(&2));
    assert_eq!(n.kv().get("y"), None, "entry 3 is not committed yet");
    n.receive(append(1, 2, 1, (3, 1), vec![], 3), &mut out);
    assert_eq!(n.kv().get("y"), Some(&7));
}

#[test]
fn the_commit_index_never_passes_what_the_request_covered() {
    // leaderCommit 5, but this request only proves the log matches up to index 1.
    let mut n = with_log(2, 3, 1, vec![entry(1, 1, "x", 1), entry(2, 0, "stale", 9)]);
    let mut out = Vec::new();
    n.receive(append(1, 2, 1, (0, 0), vec![entry(1, 1, "x", 1)], 5), &mut out);
    assert_eq!(n.commit_index(), 1);
}

#[test]
fn the_leader_sends_heartbeats_even_with_nothing_new() {
    let mut n = node(1, 3);
    make_leader(&mut n, 3);
    let mut out = Vec::new();
    // Both followers acknowledge the no-op.
    n.receive(ok_reply(2, 1, 1, 0, 1), &mut out);
    n.receive(ok_reply(3, 1, 1, 0, 1), &mut out);
    out.clear();
    n.heartbeat_timeout(&mut out);
    let beats = sent(&out);
    assert_eq!(beats.len(), 2);
    for m in beats {
        assert!(
            matches!(m.body, Body::AppendEntries { ref entries, prev_log_index: 1, leader_commit: 1, .. } if entries.is_empty())
        );
    }
    assert!(out.contains(&Output::ResetHeartbeatTimer));
}

#[test]
fn the_leader_retries_undelivered_entries_on_every_heartbeat() {
    let mut n = node(1, 3);
    make_leader(&mut n, 3);
    let mut out = Vec::new();
    n.propose(Command::set("x", 3), &mut out).unwrap();
    for _ in 0..3 {
        out.clear();
        n.heartbeat_timeout(&mut out);
        for m in sent(&out) {
            match m.body {
                Body::AppendEntries { entries, prev_log_index: 0, .. } => assert_eq!(entries.len(), 2),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}

#[test]
fn on_rejection_the_leader_steps_back_one_entry_and_retries_at_once() {
    // Leader with 5 entries of term 1, now leading term 2.
    let log: Vec<Entry> = (1..=5).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = with_log(1, 3, 1, log);
    make_leader(&mut n, 3); // appends the no-op at 6
    let mut out = Vec::new();
    let mut prev = 5; // the announcement carried the no-op (index 6) after prev_log_index 5
                      // The follower has nothing: every rejection must move nextIndex back by exactly one.
    for expect_entries in 2..=6 {
        out.clear();
        n.receive(reject_reply(2, 1, 2, prev, 0, 1), &mut out);
        let retry = sent(&out);
        assert_eq!(retry.len(), 1, "one immediate retry");
        match &retry[0].body {
            Body::AppendEntries { prev_log_index, entries, .. } => {
                assert_eq!(*prev_log_index, prev - 1);
                assert_eq!(entries.len(), expect_entries, "one more entry each time");
                prev = *prev_log_index;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(prev, 0, "down to the start of the log: nothing can be missing now");
    // A duplicate of an old rejection does not move nextIndex again.
    out.clear();
    n.receive(reject_reply(2, 1, 2, 3, 0, 1), &mut out);
    assert!(sent(&out).is_empty());
    assert_eq!(n.progress(s(2)).unwrap().next_index, 1);
}

#[test]
fn the_fast_backup_setting_jumps_over_a_whole_conflicting_term() {
    let settings = Settings { fast_backup: true, ..Settings::default() };
    let log: Vec<Entry> = (1..=5).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = Node::recover(s(1), ids(3), settings, persistent(1, None, log));
    make_leader(&mut n, 3); // no-op at 6, next index 6 for both
    let mut out = Vec::new();
    // The follower's log is too short: it holds 2 entries.
    n.receive(reject_reply(2, 1, 2, 5, 0, 3), &mut out);
    assert_eq!(n.progress(s(2)).unwrap().next_index, 3);
    match &sent(&out)[0].body {
        Body::AppendEntries { prev_log_index: 2, entries, .. } => assert_eq!(entries.len(), 4),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn fast_backup_skips_to_just_past_the_leaders_last_entry_of_the_conflicting_term() {
    let settings = Settings { fast_backup: true, ..Settings::default() };
    // The leader's log has terms 1 1 2 3 3; it leads term 4 (its no-op at 6).
    let log = [1, 1, 2, 3, 3].iter().zip(1..).map(|(&t, i)| entry(i, t, "x", i as i64)).collect();
    let mut l = Node::recover(s(1), ids(3), settings, persistent(3, None, log));
    make_leader(&mut l, 3);
    let mut out = Vec::new();
    // S2 holds terms 1 1 2 2 2: at index 5 it has term 2, which starts at its index 3.
    l.receive(reject_reply(2, 1, 4, 5, 2, 3), &mut out);
    // The leader's last entry of term 2 is at 3: the logs can match up to there.
    assert_eq!(l.progress(s(2)).unwrap().next_index, 4);
    match &sent(&out)[0].body {
        Body::AppendEntries { prev_log_index: 3, prev_log_term: 2, entries, .. } => assert_eq!(entries.len(), 3),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_rejection_at_an_index_known_to_match_moves_nothing_and_sends_nothing() {
    let mut l = node(1, 3);
    make_leader(&mut l, 3); // no-op at 1
    let mut out = Vec::new();
    for v in 2..=3 {
        l.propose(Command::set("x", v), &mut out).unwrap();
    }
    l.receive(ok_reply(2, 1, 1, 0, 3), &mut out); // S2 matches up to 3
    l.propose(Command::set("x", 4), &mut out).unwrap(); // [4] after 3: lost on the way
    l.propose(Command::set("x", 5), &mut out).unwrap(); // [5] after 4: S2 lacks 4
    out.clear();
    l.receive(reject_reply(2, 1, 1, 4, 0, 4), &mut out);
    assert_eq!(l.progress(s(2)).unwrap(), Progress { next_index: 4, match_index: 3, probing: true });
    assert_eq!(sent(&out).len(), 1, "the retry from 4");
    // A late copy of an older rejection at 3, where S2 is known to match: ignored.
    out.clear();
    l.receive(reject_reply(2, 1, 1, 3, 0, 3), &mut out);
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(l.progress(s(2)).unwrap().next_index, 4);
}

#[test]
fn a_back_up_hint_never_moves_next_index_below_what_is_known_to_match() {
    let settings = Settings { fast_backup: true, ..Settings::default() };
    let mut l = node_with(1, 3, settings);
    make_leader(&mut l, 3); // no-op at 1
    let mut out = Vec::new();
    for v in 2..=4 {
        l.propose(Command::set("x", v), &mut out).unwrap();
    }
    l.receive(ok_reply(2, 1, 1, 0, 4), &mut out); // S2 matches up to 4
    l.propose(Command::set("x", 5), &mut out).unwrap(); // [5] after 4: lost on the way
    l.propose(Command::set("x", 6), &mut out).unwrap(); // [6] after 5: S2 lacks 5
                                                        // A hint below the match (only a confused or forged reply can say so).
    l.receive(reject_reply(2, 1, 1, 5, 0, 2), &mut out);
    assert_eq!(l.progress(s(2)).unwrap().next_index, 5, "matchIndex + 1 at the lowest");
}

#[test]
fn the_leader_commits_once_a_majority_stores_an_entry_of_its_term() {
    let mut n = node(1, 5);
    make_leader(&mut n, 5); // no-op at 1, term 1
    let mut out = Vec::new();
    let idx = n.propose(Command::set("x", 3), &mut out).unwrap();
    assert_eq!(idx, 2);
    n.receive(ok_reply(2, 1, 1, 0, 2), &mut out);
    assert_eq!(n.commit_index(), 0, "2 of 5");
    out.clear();
    n.receive(ok_reply(3, 1, 1, 0, 2), &mut out);
    assert_eq!(n.commit_index(), 2, "3 of 5, the leader included");
    assert_eq!(n.kv().get("x"), Some(&3), "the leader applies what it commits");
    assert!(notes(&out).contains(&Note::Committed { from: 1, to: 2, replicas: vec![s(1), s(2), s(3)] }));
    // The next heartbeat tells the followers.
    out.clear();
    n.heartbeat_timeout(&mut out);
    assert!(sent(&out).iter().all(|m| matches!(m.body, Body::AppendEntries { leader_commit: 2, .. })));
}

/// A majority of four is three: half the servers storing an entry is not enough.
#[test]
fn in_an_even_cluster_half_the_servers_storing_an_entry_do_not_commit_it() {
    let mut n = node(1, 4);
    make_leader(&mut n, 4);
    let mut out = Vec::new();
    let idx = n.propose(Command::set("x", 3), &mut out).unwrap();
    n.receive(ok_reply(2, 1, 1, 0, idx), &mut out);
    assert_eq!(n.commit_index(), 0, "2 of 4");
    n.receive(ok_reply(4, 1, 1, 0, idx), &mut out);
    assert_eq!(n.commit_index(), idx, "3 of 4, the leader included");
}

#[test]
fn the_leader_never_commits_an_older_term_entry_by_counting_replicas() {
    // Figure 8 at one node: the leader of term 4 holds an entry of term 2 that a
    // majority now stores; it must not count it as committed.
    let settings = Settings { leader_noop: false, ..Settings::default() };
    let mut n = Node::recover(
        s(1),
        ids(5),
        settings.clone(),
        persistent(3, None, vec![entry(1, 1, "a", 1), entry(2, 2, "b", 2)]),
    );
    make_leader(&mut n, 5);
    assert_eq!(n.term(), 4);
    let mut out = Vec::new();
    n.receive(ok_reply(2, 1, 4, 1, 2), &mut out);
    n.receive(ok_reply(3, 1, 4, 1, 2), &mut out);
    assert_eq!(n.commit_index(), 0, "entry 2 is of term 2: counting replicas proves nothing");
    // Once an entry of term 4 is on a majority, everything before it commits too.
    let idx = n.propose(Command::set("c", 3), &mut out).unwrap();
    n.receive(ok_reply(2, 1, 4, 2, idx), &mut out);
    n.receive(ok_reply(3, 1, 4, 2, idx), &mut out);
    assert_eq!(n.commit_index(), 3);

    // The break-Raft switch does exactly the wrong thing.
    let bad = Settings { unsafe_commit_old_terms: true, ..settings };
    let mut n = Node::recover(s(1), ids(5), bad, persistent(3, None, vec![entry(1, 1, "a", 1), entry(2, 2, "b", 2)]));
    make_leader(&mut n, 5);
    n.receive(ok_reply(2, 1, 4, 1, 2), &mut out);
    n.receive(ok_reply(3, 1, 4, 1, 2), &mut out);
    assert_eq!(n.commit_index(), 2);
}

// ----- client interaction --------------------------------------------------------------

#[test]
fn followers_redirect_the_client_and_the_leader_answers_after_commit() {
    let mut f = node(2, 3);
    let mut out = Vec::new();
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    out.clear();
    let tag = ClientTag { op: 7, attempt: 1 };
    f.client_request(tag, Command::set("x", 1), None, &mut out);
    assert!(out.contains(&Output::ClientReply { tag, reply: ClientReply::NotLeader { leader: Some(s(1)) } }));
    assert!(f.log().is_empty());

    let mut l = node(1, 3);
    make_leader(&mut l, 3);
    out.clear();
    l.client_request(tag, Command::set("x", 1), None, &mut out);
    assert!(!out.iter().any(|o| matches!(o, Output::ClientReply { .. })), "no answer before commit");
    out.clear();
    l.receive(ok_reply(2, 1, 1, 0, 2), &mut out);
    assert!(out.contains(&Output::ClientReply { tag, reply: ClientReply::Committed { index: 2, term: 1 } }));
}

#[test]
fn a_leader_that_steps_down_points_waiting_clients_to_the_new_leader() {
    let mut l = node(1, 3);
    make_leader(&mut l, 3);
    let mut out = Vec::new();
    let tag = ClientTag { op: 1, attempt: 1 };
    l.client_request(tag, Command::set("x", 1), None, &mut out);
    out.clear();
    l.receive(append(2, 1, 5, (0, 0), vec![], 0), &mut out);
    assert!(out.contains(&Output::ClientReply { tag, reply: ClientReply::NotLeader { leader: Some(s(2)) } }));
    assert_eq!(l.leader_hint(), Some(s(2)));
    // Stepping down for a vote request (no leader known yet) gives no hint.
    let mut l = node(1, 3);
    make_leader(&mut l, 3);
    l.client_request(tag, Command::set("x", 1), None, &mut out);
    out.clear();
    l.receive(vote_req(3, 1, 9, 5, 5), &mut out);
    assert!(out.contains(&Output::ClientReply { tag, reply: ClientReply::NotLeader { leader: None } }));
}

#[test]
fn messages_from_outside_the_cluster_are_ignored() {
    let mut n = node(1, 3);
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    out.clear();
    n.receive(msg(7, 1, 1, Body::RequestVoteReply { granted: true }), &mut out);
    n.receive(
        msg(
            9,
            1,
            5,
            Body::AppendEntries { prev_log_index: 0, prev_log_term: 0, entries: vec![], leader_commit: 0, round: 0 },
        ),
        &mut out,
    );
    assert!(out.is_empty());
    assert_eq!((n.role(), n.term()), (Role::Candidate, 1));
}

#[test]
fn messages_addressed_to_another_server_or_from_itself_are_ignored() {
    let mut n = node(2, 3);
    let mut out = Vec::new();
    n.receive(append(1, 3, 1, (0, 0), vec![entry(1, 1, "x", 1)], 0), &mut out);
    n.receive(append(2, 2, 1, (0, 0), vec![entry(1, 1, "x", 1)], 0), &mut out);
    n.receive(vote_req(2, 2, 5, 0, 0), &mut out);
    assert!(out.is_empty(), "{out:?}");
    assert_eq!((n.term(), n.log().len(), n.leader_hint()), (0, 0, None));
}

#[test]
fn propose_is_refused_by_a_follower() {
    let mut n = node(1, 3);
    let mut out = Vec::new();
    assert_eq!(n.propose(Command::set("x", 1), &mut out), Err(ProposeError::NotLeader { leader: None }));
}

// ----- persistence -----------------------------------------------------------------------

#[test]
fn term_vote_and_log_survive_a_restart_everything_else_is_rebuilt() {
    let mut n = node(2, 3);
    let mut out = Vec::new();
    n.receive(vote_req(1, 2, 3, 0, 0), &mut out);
    n.receive(append(1, 2, 3, (0, 0), vec![entry(1, 3, "x", 5)], 1), &mut out);
    assert_eq!(n.kv().get("x"), Some(&5));
    let saved = n.persistent();
    assert_eq!(saved, persistent(3, Some(s(1)), vec![entry(1, 3, "x", 5)]));
    let r = Node::recover(s(2), ids(3), Settings::default(), saved);
    assert_eq!((r.term(), r.voted_for(), r.log().len()), (3, Some(s(1)), 1));
    assert_eq!((r.role(), r.commit_index(), r.last_applied()), (Role::Follower, 0, 0));
    assert!(r.kv().is_empty(), "the state machine is rebuilt from the log as commits are learned");
    // The persisted vote still binds: no second vote in term 3.
    let mut r = r;
    out.clear();
    r.receive(vote_req(3, 2, 3, 9, 3), &mut out);
    assert_eq!(granted(&out), Some(false));
}

// ----- leadership transfer ---------------------------------------------------------------

#[test]
fn leadership_transfer_waits_for_the_target_to_catch_up_then_sends_timeout_now() {
    let mut l = node(1, 3);
    make_leader(&mut l, 3); // no-op at 1
    let mut out = Vec::new();
    l.transfer_leadership(s(3), &mut out).unwrap();
    assert!(sent(&out).iter().all(|m| m.body != Body::TimeoutNow), "S3 lacks entry 1: no TimeoutNow yet");
    assert!(sent(&out).iter().any(|m| m.to == s(3) && matches!(m.body, Body::AppendEntries { .. })));
    assert_eq!(l.propose(Command::set("x", 1), &mut out), Err(ProposeError::Transferring), "no writes meanwhile");
    out.clear();
    l.receive(ok_reply(3, 1, 1, 0, 1), &mut out);
    assert!(sent(&out).iter().any(|m| m.to == s(3) && m.body == Body::TimeoutNow));
    // TimeoutNow may be lost: each heartbeat repeats it while the transfer lasts.
    assert_eq!(l.transferring_to(), Some(s(3)));
    out.clear();
    l.heartbeat_timeout(&mut out);
    assert!(sent(&out).iter().any(|m| m.to == s(3) && m.body == Body::TimeoutNow));

    // The target starts an election at once, in the next term.
    let mut t = node(3, 3);
    let mut out = Vec::new();
    t.receive(append(1, 3, 1, (0, 0), vec![Entry::new(1, 1, Command::Noop)], 0), &mut out);
    out.clear();
    t.receive(msg(1, 3, 1, Body::TimeoutNow), &mut out);
    assert_eq!((t.role(), t.term()), (Role::Candidate, 2));
    assert!(sent(&out).iter().all(|m| matches!(m.body, Body::RequestVote { transfer: true, .. })));
}

#[test]
fn a_leadership_transfer_that_takes_too_long_is_abandoned() {
    let settings = Settings { transfer_timeout_heartbeats: 3, ..Settings::default() };
    let mut l = node_with(1, 3, settings);
    make_leader(&mut l, 3);
    let mut out = Vec::new();
    l.transfer_leadership(s(2), &mut out).unwrap();
    for _ in 0..2 {
        l.heartbeat_timeout(&mut out);
    }
    assert_eq!(l.transferring_to(), Some(s(2)), "two heartbeats in, the transfer goes on");
    assert!(!notes(&out).contains(&Note::TransferAborted { to: s(2) }));
    l.heartbeat_timeout(&mut out);
    assert!(notes(&out).contains(&Note::TransferAborted { to: s(2) }), "the third ends it");
    assert_eq!(l.transferring_to(), None);
    assert!(l.propose(Command::set("x", 1), &mut out).is_ok(), "writes are taken again");
}

#[test]
fn only_a_leader_can_transfer_and_not_to_itself() {
    let mut n = node(1, 3);
    let mut out = Vec::new();
    assert_eq!(n.transfer_leadership(s(2), &mut out), Err(TransferError::NotLeader));
    make_leader(&mut n, 3);
    assert_eq!(n.transfer_leadership(s(1), &mut out), Err(TransferError::ToSelf));
    assert_eq!(n.transfer_leadership(s(9), &mut out), Err(TransferError::UnknownTarget));
}

#[test]
fn a_stale_timeout_now_is_ignored() {
    let mut t = with_log(3, 3, 4, vec![]);
    let mut out = Vec::new();
    t.receive(msg(1, 3, 3, Body::TimeoutNow), &mut out);
    assert_eq!((t.role(), t.term()), (Role::Follower, 4));
}

// ----- batches (Settings::max_entries_per_append) -----------------------------------------

#[test]
fn a_follower_missing_10_entries_catches_up_in_batches_without_waiting_for_a_heartbeat() {
    // S1 and S3 hold the same 10 entries; S2 holds nothing. S1 leads term 2
    // (its no-op at 11) and sends at most 2 entries per AppendEntries.
    let log: Vec<Entry> = (1..=10).map(|i| entry(i, 1, "x", i as i64)).collect();
    let recovered = |id| Node::recover(s(id), ids(3), batched(2), persistent(1, None, log.clone()));
    let mut nodes = vec![recovered(1), node_with(2, 3, batched(2)), recovered(3)];
    let first = make_leader(&mut nodes[0], 3);
    let mut full_batches_to_s2 = 0;
    exchange(&mut nodes, &first, |m, before, after| {
        let Body::AppendEntries { prev_log_index, entries, leader_commit, .. } = &m.body else { return };
        assert!(entries.len() <= 2, "a batch of {} entries", entries.len());
        if m.to == s(2) && entries.len() == 2 {
            full_batches_to_s2 += 1;
        }
        // The follower's commit rule: commitIndex = min(leaderCommit, index of last new entry).
        let last_new = prev_log_index + entries.len() as u64;
        if after.commit_index() != before.commit_index() {
            assert_eq!(after.commit_index(), (*leader_commit).min(last_new), "{m:?}");
        }
        assert!(after.commit_index() <= after.last_index());
    });
    let (leader, s2) = (&nodes[0], &nodes[1]);
    assert_eq!(leader.commit_index(), 11, "S1 and S3 commit the no-op at once");
    assert_eq!(s2.log(), leader.log(), "S2 caught up with no heartbeat: each acknowledgement brought the next batch");
    assert_eq!(s2.commit_index(), 11);
    assert!(full_batches_to_s2 >= 5, "the 11 entries went in batches of 2: {full_batches_to_s2}");
}

#[test]
fn a_batch_is_acknowledged_and_the_next_one_follows_the_last_entry_sent() {
    let log: Vec<Entry> = (1..=5).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut l = Node::recover(s(1), ids(3), batched(2), persistent(1, None, log));
    make_leader(&mut l, 3); // the no-op at 6; S2 is probed from nextIndex 6
    let mut out = Vec::new();
    for prev in (1..=5).rev() {
        out.clear();
        l.receive(reject_reply(2, 1, 2, prev, 0, 1), &mut out);
    }
    // The probe from the start of the log carries 2 entries, not 6.
    let probe = sent(&out);
    assert!(matches!(&probe[0].body, Body::AppendEntries { prev_log_index: 0, entries, .. } if entries.len() == 2));
    out.clear();
    l.receive(ok_reply(2, 1, 2, 0, 2), &mut out);
    let next = sent(&out);
    assert_eq!(next.len(), 1, "the acknowledgement brings the next batch");
    assert!(matches!(&next[0].body, Body::AppendEntries { prev_log_index: 2, entries, .. } if entries.len() == 2));
    assert_eq!(l.progress(s(2)).unwrap().next_index, 5, "nextIndex moves past what was sent, not past the last entry");
    out.clear();
    l.heartbeat_timeout(&mut out);
    let beat = sent(&out).into_iter().find(|m| m.to == s(2)).unwrap();
    assert!(matches!(&beat.body, Body::AppendEntries { prev_log_index: 4, entries, .. } if entries.len() == 2));
    assert_eq!(l.progress(s(2)).unwrap().next_index, 7);
    // The acknowledgement of the middle batch finds everything sent: nothing more goes out.
    out.clear();
    l.receive(ok_reply(2, 1, 2, 2, 4), &mut out);
    assert!(sent(&out).is_empty(), "{out:?}");
}

#[test]
fn without_a_batch_limit_an_acknowledgement_sends_nothing_more() {
    // Every send reaches the last entry, so nothing is ever held back.
    let mut l = node(1, 3);
    make_leader(&mut l, 3); // the no-op at 1; S2 is probed from nextIndex 1
    let mut out = Vec::new();
    l.propose(Command::set("x", 2), &mut out).unwrap(); // entries 1 and 2 go out; nextIndex stays 1
    out.clear();
    l.receive(ok_reply(2, 1, 1, 0, 1), &mut out); // the answer to the announcement
    assert!(sent(&out).is_empty(), "entry 2 is already on its way: {out:?}");
    assert_eq!(l.progress(s(2)).unwrap(), Progress { next_index: 2, match_index: 1, probing: false });
}

#[test]
fn settings_saved_before_the_batch_limit_existed_still_load_and_zero_is_refused() {
    let old = r#"{"fast_backup":true,"leader_noop":true,"transfer_timeout_heartbeats":10,
        "unsafe_skip_vote_log_check":false,"unsafe_commit_old_terms":false}"#;
    let settings: Settings = serde_json::from_str(old).unwrap();
    assert_eq!(settings, Settings { fast_backup: true, ..Settings::default() });
    assert_eq!(settings.max_entries_per_append, None, "no limit, as before");
    let zero = old.replace("false}", r#"false,"max_entries_per_append":0}"#);
    assert!(serde_json::from_str::<Settings>(&zero).is_err(), "a batch of 0 entries would never replicate anything");
    let three = old.replace("false}", r#"false,"max_entries_per_append":3}"#);
    assert_eq!(serde_json::from_str::<Settings>(&three).unwrap().max_entries_per_append, NonZeroU64::new(3));
}

// ----- settings and robustness -------------------------------------------------------------

#[test]
fn changed_settings_take_effect_from_the_next_input() {
    let mut n = with_log(2, 3, 1, vec![entry(1, 1, "x", 1)]);
    let mut out = Vec::new();
    n.receive(vote_req(1, 2, 2, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(false), "S1's log is behind S2's");
    let unsafe_votes = Settings { unsafe_skip_vote_log_check: true, ..Settings::default() };
    n.set_settings(unsafe_votes.clone());
    assert_eq!(n.settings(), &unsafe_votes);
    out.clear();
    n.receive(vote_req(3, 2, 3, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(true), "the switch now skips the up-to-date check");
}

/// Only switching *to* the lease expires it: changing another switch in the
/// lease mode leaves the rounds already answered counting.
#[test]
fn a_settings_change_that_stays_in_the_lease_mode_keeps_the_lease() {
    let lease = Settings { read_mode: ReadMode::Lease, ..Settings::default() };
    let mut l = node_with(1, 3, lease.clone());
    let out = make_leader(&mut l, 3);
    let mut o = Vec::new();
    l.receive(answer_reply(2, round_to(&out, 2)), &mut o);
    assert!(l.lease_holds());
    l.update_settings(Settings { check_quorum: true, ..lease }, &mut o);
    assert!(l.lease_holds(), "S1 and S2 still answered a round whose lease timer runs");
}

/// The contact with the leader is kept while some option tracks it (pre-vote,
/// check-quorum, the lease) and forgotten when the last of them is switched off.
#[test]
fn leader_contact_survives_a_settings_change_while_an_option_still_tracks_it() {
    let mut f = node_with(2, 3, check_quorum());
    let mut out = Vec::new();
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    assert!(f.has_leader_contact());
    f.update_settings(pre_vote(), &mut out);
    assert!(f.has_leader_contact(), "pre-vote tracks it too");
    out.clear();
    f.receive(msg(3, 2, 2, Body::PreVote { last_log_index: 5, last_log_term: 1 }), &mut out);
    assert_eq!(pre_vote_answer(&out), Some((1, false)), "it heard from S1 recently");
    f.update_settings(Settings::default(), &mut out);
    assert!(!f.has_leader_contact(), "nothing tracks it any more");
}

/// The safety monitor checks only the part of a log that changed: the node
/// reports the lowest index it appended, overwrote or removed since it was last asked.
#[test]
fn the_node_reports_the_lowest_log_index_it_changed() {
    let mut f = node(2, 3);
    let mut out = Vec::new();
    assert_eq!(f.take_log_change(), None);
    f.receive(
        append(1, 2, 1, (0, 0), vec![entry(1, 1, "a", 1), entry(2, 1, "b", 2), entry(3, 1, "c", 3)], 0),
        &mut out,
    );
    assert_eq!(f.take_log_change(), Some(1));
    assert_eq!(f.take_log_change(), None, "asked, it starts over");
    f.receive(append(1, 2, 1, (1, 1), vec![entry(2, 1, "b", 2)], 0), &mut out);
    assert_eq!(f.take_log_change(), None, "a repeat changes nothing");
    f.receive(append(3, 2, 2, (2, 1), vec![entry(3, 2, "d", 4)], 0), &mut out);
    f.receive(append(3, 2, 2, (1, 1), vec![entry(2, 2, "e", 5)], 0), &mut out);
    assert_eq!(f.take_log_change(), Some(2), "the lower of the two overwrites");
    let mut l = node(1, 3);
    make_leader(&mut l, 3);
    assert_eq!(l.take_log_change(), Some(1), "the leader's no-op");
    l.propose(Command::set("x", 1), &mut out).unwrap();
    assert_eq!(l.take_log_change(), Some(2));
}

/// Production Raft, the preset: pre-vote, check-quorum and the fast back-up,
/// each seen at work, on top of the defaults (ReadIndex reads, the leader's no-op).
#[test]
fn production_settings_turn_on_pre_vote_check_quorum_and_the_fast_back_up() {
    let production = Settings::production();
    assert_eq!((production.read_mode, production.leader_noop), (ReadMode::ReadIndex, true));
    let mut n = node_with(2, 3, production.clone());
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    assert!(notes(&out).contains(&Note::PreVoteStarted { term: 1 }), "pre-vote");
    let mut f = node_with(2, 3, production.clone());
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    out.clear();
    f.receive(vote_req(3, 2, 2, 5, 1), &mut out);
    assert_eq!((f.term(), granted(&out)), (1, Some(false)), "check-quorum's guard");
    let log: Vec<Entry> = (1..=5).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut l = Node::recover(s(1), ids(3), Settings::default(), persistent(1, None, log));
    make_leader(&mut l, 3);
    l.set_settings(production);
    l.receive(reject_reply(2, 1, 2, 5, 0, 3), &mut out);
    assert_eq!(l.progress(s(2)).unwrap().next_index, 3, "the fast back-up: to the follower's end at once");
}

/// Scripts, links and saved settings name the read modes as JSON does.
#[test]
fn each_read_mode_is_named_as_in_json() {
    for mode in ReadMode::ALL {
        assert_eq!(serde_json::to_string(&mode).unwrap(), format!("\"{}\"", mode.name()));
    }
}

#[test]
fn a_node_left_out_of_its_own_member_list_runs_without_panicking() {
    // S3 is told the cluster is S1 and S2: its own progress slot must still exist.
    let mut n = Node::new(s(3), vec![s(1), s(2)], Settings::default());
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    n.receive(msg(1, 3, 1, Body::RequestVoteReply { granted: true }), &mut out);
    assert_eq!(n.role(), Role::Leader, "its own vote and S1's make 2 of 2");
    assert_eq!(n.propose(Command::set("x", 1), &mut out), Ok(2));
    n.receive(ok_reply(1, 3, 1, 0, 2), &mut out);
    n.heartbeat_timeout(&mut out);
    assert_eq!(n.last_index(), 2);
}

#[test]
fn only_a_leader_reports_progress_and_only_for_its_followers() {
    let mut n = node(1, 3);
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    assert_eq!(n.progress(s(2)), None, "a candidate tracks no follower");
    n.receive(msg(2, 1, 1, Body::RequestVoteReply { granted: true }), &mut out);
    assert_eq!(n.progress(s(2)), Some(Progress { next_index: 1, match_index: 0, probing: true }));
    assert_eq!(n.progress(s(1)), None, "not for itself");
    n.receive(append(3, 1, 2, (0, 0), vec![], 0), &mut out);
    assert_eq!(n.progress(s(2)), None, "a follower again: its old table means nothing");
}

#[test]
fn each_message_names_its_rpc_and_says_whether_it_is_an_answer() {
    let beat = Body::AppendEntries { prev_log_index: 0, prev_log_term: 0, entries: vec![], leader_commit: 0, round: 0 };
    let append = Body::AppendEntries {
        prev_log_index: 0,
        prev_log_term: 0,
        entries: vec![entry(1, 1, "x", 1)],
        leader_commit: 0,
        round: 0,
    };
    let reply = Body::AppendEntriesReply {
        success: true,
        match_index: 1,
        prev_log_index: 0,
        conflict_term: 0,
        conflict_index: 0,
        round: 0,
    };
    let all = [
        (Body::RequestVote { last_log_index: 0, last_log_term: 0, transfer: false }, MessageKind::RequestVote, false),
        (Body::RequestVoteReply { granted: true }, MessageKind::VoteReply, true),
        (beat, MessageKind::Heartbeat, false),
        (append, MessageKind::AppendEntries, false),
        (reply, MessageKind::AppendReply, true),
        (Body::TimeoutNow, MessageKind::TimeoutNow, false),
        (Body::PreVote { last_log_index: 0, last_log_term: 0 }, MessageKind::PreVote, false),
        (Body::PreVoteReply { granted: false }, MessageKind::PreVoteReply, true),
    ];
    // The network names each RPC by its kind (an empty AppendEntries is a heartbeat).
    for (body, kind, is_reply) in all {
        let p = Payload::Raft(Message { from: s(1), to: s(2), term: 1, body: body.clone() });
        assert_eq!((p.kind(), p.is_reply()), (kind, is_reply), "{body:?}");
    }
}

// ----- pre-vote (Raft thesis 9.6) ------------------------------------------------------

fn pre_vote() -> Settings {
    Settings { pre_vote: true, ..Settings::default() }
}

fn check_quorum() -> Settings {
    Settings { check_quorum: true, ..Settings::default() }
}

fn replies(out: &[Output]) -> Vec<(ClientTag, ClientReply)> {
    out.iter()
        .filter_map(|o| match o {
            Output::ClientReply { tag, reply } => Some((*tag, reply.clone())),
            _ => None,
        })
        .collect()
}

fn pre_vote_answer(out: &[Output]) -> Option<(u64, bool)> {
    sent(out).iter().find_map(|m| match m.body {
        Body::PreVoteReply { granted } => Some((m.term, granted)),
        _ => None,
    })
}

#[test]
fn with_pre_vote_a_timeout_asks_whether_it_would_win_before_raising_its_term() {
    let mut n = Node::recover(s(2), ids(3), pre_vote(), persistent(3, None, vec![entry(1, 3, "x", 1)]));
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    assert_eq!((n.role(), n.term(), n.voted_for()), (Role::Follower, 3, None), "nothing changed yet");
    assert_eq!(n.prevotes(), Some(&[s(2)][..]));
    assert!(notes(&out).contains(&Note::PreVoteStarted { term: 4 }));
    assert!(out.contains(&Output::ResetElectionTimer), "a pre-vote that fails is tried again at the next timeout");
    let reqs = sent(&out);
    assert_eq!(reqs.iter().map(|m| m.to.0).collect::<Vec<_>>(), vec![1, 3]);
    for m in reqs {
        assert_eq!(m.term, 4, "it asks about the next term");
        assert_eq!(m.body, Body::PreVote { last_log_index: 1, last_log_term: 3 });
    }
    // Without pre-vote the same timeout starts the election at once.
    let mut plain = with_log(2, 3, 3, vec![entry(1, 3, "x", 1)]);
    plain.election_timeout(&mut out);
    assert_eq!((plain.role(), plain.term()), (Role::Candidate, 4));
}

#[test]
fn pre_votes_from_a_majority_start_the_real_election_and_strays_count_nothing() {
    let mut n = node_with(1, 5, pre_vote());
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    out.clear();
    n.receive(msg(2, 1, 1, Body::PreVoteReply { granted: true }), &mut out);
    n.receive(msg(2, 1, 1, Body::PreVoteReply { granted: true }), &mut out); // a duplicate
    n.receive(msg(3, 1, 7, Body::PreVoteReply { granted: true }), &mut out); // about another term
    assert_eq!((n.role(), n.term()), (Role::Follower, 0), "two of five so far");
    assert!(sent(&out).is_empty());
    n.receive(msg(4, 1, 1, Body::PreVoteReply { granted: true }), &mut out);
    assert_eq!((n.role(), n.term(), n.voted_for()), (Role::Candidate, 1, Some(s(1))));
    assert!(notes(&out).contains(&Note::StartedElection {
        term: 1,
        reason: ElectionReason::PreVote,
        was: Role::Follower
    }));
    assert_eq!(sent(&out).iter().filter(|m| matches!(m.body, Body::RequestVote { .. })).count(), 4);
    assert_eq!(n.prevotes(), None);
}

#[test]
fn a_pre_vote_changes_neither_the_voters_term_nor_its_vote_nor_its_timer() {
    let mut v = with_log(3, 3, 2, vec![entry(1, 2, "x", 1)]);
    v.set_settings(pre_vote());
    let mut out = Vec::new();
    v.receive(msg(2, 3, 3, Body::PreVote { last_log_index: 1, last_log_term: 2 }), &mut out);
    assert_eq!(pre_vote_answer(&out), Some((3, true)), "granted, in the term asked about");
    assert_eq!((v.term(), v.voted_for(), v.role()), (2, None, Role::Follower));
    assert!(!out.contains(&Output::ResetElectionTimer));
    assert!(notes(&out).contains(&Note::PreVoted { candidate: s(2), term: 3, check: check((1, 2), (1, 2)) }));
    // The up-to-date check applies: a shorter log of the same last term is refused.
    out.clear();
    let mut v = with_log(3, 3, 2, vec![entry(1, 2, "x", 1), entry(2, 2, "y", 2)]);
    v.receive(msg(2, 3, 3, Body::PreVote { last_log_index: 1, last_log_term: 2 }), &mut out);
    assert_eq!(pre_vote_answer(&out), Some((2, false)), "refused, in the voter's own term");
    let (reason, check_) = (RefuseReason::LogBehind, check((1, 2), (2, 2)));
    assert!(notes(&out).contains(&Note::RefusedPreVote { candidate: s(2), term: 3, reason, check: check_ }));
    // A pre-vote for a term the voter is past is refused too.
    out.clear();
    v.receive(msg(2, 3, 1, Body::PreVote { last_log_index: 9, last_log_term: 2 }), &mut out);
    assert_eq!(pre_vote_answer(&out), Some((2, false)));
    let (reason, check) = (RefuseReason::StaleTerm, check((9, 2), (2, 2)));
    assert!(notes(&out).contains(&Note::RefusedPreVote { candidate: s(2), term: 1, reason, check }));
}

#[test]
fn a_server_that_heard_from_its_leader_recently_would_not_vote_for_anyone_else() {
    let mut v = node_with(3, 3, pre_vote());
    let mut out = Vec::new();
    v.receive(append(1, 3, 1, (0, 0), vec![], 0), &mut out);
    assert!(out.contains(&Output::ResetLeaderContactTimer), "the leader-contact timer starts at each AppendEntries");
    assert!(v.has_leader_contact());
    out.clear();
    v.receive(msg(2, 3, 2, Body::PreVote { last_log_index: 0, last_log_term: 0 }), &mut out);
    assert_eq!(pre_vote_answer(&out), Some((1, false)));
    assert!(notes(&out).contains(&Note::RefusedPreVote {
        candidate: s(2),
        term: 2,
        reason: RefuseReason::LeaderAlive(s(1)),
        check: check((0, 0), (0, 0)),
    }));
    // The shortest election timeout later, without news from S1, it would.
    v.leader_contact_timeout(&mut out);
    assert!(!v.has_leader_contact());
    out.clear();
    v.receive(msg(2, 3, 2, Body::PreVote { last_log_index: 0, last_log_term: 0 }), &mut out);
    assert_eq!(pre_vote_answer(&out), Some((2, true)));
    assert_eq!(v.term(), 1);
    // A leader would not vote for anyone else either.
    let mut l = node_with(1, 3, Settings::default());
    make_leader(&mut l, 3);
    out.clear();
    l.receive(msg(2, 1, 2, Body::PreVote { last_log_index: 9, last_log_term: 9 }), &mut out);
    assert_eq!(pre_vote_answer(&out), Some((1, false)));
    assert_eq!(l.role(), Role::Leader);
}

/// A pre-vote about the voter's own term (the asker is a term behind) is
/// answered as RequestVote of that term would be: yes if the voter has not
/// voted in it, or voted for the asker; no if it voted for someone else.
#[test]
fn a_pre_vote_about_the_voters_own_term_is_answered_by_its_vote_in_that_term() {
    let voter = |voted_for| Node::recover(s(2), ids(3), pre_vote(), persistent(2, voted_for, vec![]));
    let ask = |n: &mut Node, from: u8| {
        let mut out = Vec::new();
        n.receive(msg(from, 2, 2, Body::PreVote { last_log_index: 0, last_log_term: 0 }), &mut out);
        (pre_vote_answer(&out), notes(&out))
    };
    let (answer, said) = ask(&mut voter(None), 1);
    assert_eq!(answer, Some((2, true)), "it has not voted in term 2");
    assert!(said.contains(&Note::PreVoted { candidate: s(1), term: 2, check: check((0, 0), (0, 0)) }));
    let (answer, said) = ask(&mut voter(Some(s(3))), 1);
    assert_eq!(answer, Some((2, false)));
    let reason = RefuseReason::AlreadyVoted(s(3));
    assert!(said.contains(&Note::RefusedPreVote { candidate: s(1), term: 2, reason, check: check((0, 0), (0, 0)) }));
    assert_eq!(ask(&mut voter(Some(s(3))), 3).0, Some((2, true)), "S3 has its vote");
}

#[test]
fn a_refused_pre_vote_from_a_newer_term_teaches_the_term_and_ends_the_pre_vote() {
    let mut n = node_with(1, 3, pre_vote());
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    n.receive(msg(2, 1, 5, Body::PreVoteReply { granted: false }), &mut out);
    assert_eq!((n.term(), n.role(), n.prevotes()), (5, Role::Follower, None));
}

#[test]
fn the_leader_contact_timer_is_asked_for_only_by_the_options_that_need_it() {
    for (settings, wanted) in [
        (Settings::default(), false),
        (pre_vote(), true),
        (check_quorum(), true),
        (Settings { read_mode: ReadMode::Lease, ..Settings::default() }, true),
    ] {
        let mut f = node_with(2, 3, settings);
        let mut out = Vec::new();
        f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
        assert_eq!(out.contains(&Output::ResetLeaderContactTimer), wanted);
        assert_eq!(f.has_leader_contact(), wanted);
    }
}

#[test]
fn a_leadership_transfer_skips_the_pre_vote() {
    let mut t = node_with(3, 3, pre_vote());
    let mut out = Vec::new();
    t.receive(append(1, 3, 1, (0, 0), vec![], 0), &mut out);
    out.clear();
    t.receive(msg(1, 3, 1, Body::TimeoutNow), &mut out);
    assert_eq!((t.role(), t.term()), (Role::Candidate, 2));
    assert!(sent(&out).iter().all(|m| matches!(m.body, Body::RequestVote { transfer: true, .. })));
}

// ----- check-quorum (thesis 6.2 and 4.2.3) ---------------------------------------------

#[test]
fn with_check_quorum_a_leader_that_heard_from_no_majority_in_a_period_steps_down() {
    let mut l = node_with(1, 5, check_quorum());
    let out = make_leader(&mut l, 5);
    assert!(out.contains(&Output::ResetCheckQuorumTimer), "a new leader starts its check-quorum timer");
    let mut out = Vec::new();
    l.receive(ok_reply(2, 1, 1, 0, 1), &mut out);
    l.receive(ok_reply(3, 1, 1, 0, 1), &mut out);
    out.clear();
    l.check_quorum_timeout(&mut out);
    assert_eq!(l.role(), Role::Leader, "S1, S2 and S3 are a majority of five");
    assert!(out.contains(&Output::ResetCheckQuorumTimer), "the next period begins");
    // The next period only S2 answers.
    l.receive(ok_reply(2, 1, 1, 0, 1), &mut out);
    out.clear();
    l.check_quorum_timeout(&mut out);
    assert_eq!((l.role(), l.term()), (Role::Follower, 1), "it steps down, in the same term");
    assert!(notes(&out).contains(&Note::LostQuorum { term: 1, heard: vec![s(1), s(2)] }));
    assert!(notes(&out).contains(&Note::SteppedDown { was: Role::Leader, term: 1, because_of: None }));
    assert!(out.contains(&Output::StopHeartbeatTimer) && out.contains(&Output::StopCheckQuorumTimer));
    assert!(out.contains(&Output::ResetElectionTimer));
    // Without check-quorum the timer is never asked for, and a stray call changes nothing.
    let mut l = node(1, 5);
    let out = make_leader(&mut l, 5);
    assert!(!out.contains(&Output::ResetCheckQuorumTimer));
    let mut out = Vec::new();
    l.check_quorum_timeout(&mut out);
    assert_eq!(l.role(), Role::Leader);
}

#[test]
fn with_check_quorum_a_server_that_hears_from_its_leader_ignores_request_vote() {
    let mut f = node_with(2, 3, check_quorum());
    let mut out = Vec::new();
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    out.clear();
    f.receive(vote_req(3, 2, 2, 5, 1), &mut out);
    assert_eq!((f.term(), f.voted_for()), (1, None), "neither the newer term nor a vote");
    assert_eq!(granted(&out), Some(false));
    assert!(notes(&out).contains(&Note::RefusedVote {
        candidate: s(3),
        term: 2,
        reason: RefuseReason::LeaderAlive(s(1)),
        check: check((5, 1), (0, 0)),
    }));
    // A leadership transfer's election is exempt.
    out.clear();
    f.receive(msg(3, 2, 2, Body::RequestVote { last_log_index: 5, last_log_term: 1, transfer: true }), &mut out);
    assert_eq!((f.term(), f.voted_for(), granted(&out)), (2, Some(s(3)), Some(true)));
    // Once the leader has been silent for the shortest election timeout, votes are granted again.
    let mut f = node_with(2, 3, check_quorum());
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    f.leader_contact_timeout(&mut out);
    out.clear();
    f.receive(vote_req(3, 2, 2, 5, 1), &mut out);
    assert_eq!((f.term(), granted(&out)), (2, Some(true)));
    // Without check-quorum the seed's Raft takes the term and votes.
    let mut f = node(2, 3);
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    out.clear();
    f.receive(vote_req(3, 2, 2, 5, 1), &mut out);
    assert_eq!((f.term(), granted(&out)), (2, Some(true)));
}

/// Check-quorum's guard keeps out newer terms; a candidate of the voter's
/// own term gets the ordinary answer (one vote per term: a voter that has not
/// voted in it grants it, and the leader of that term has a majority anyway).
#[test]
fn check_quorums_guard_leaves_a_request_of_the_voters_own_term_to_the_one_vote_rule() {
    let mut f = node_with(2, 3, check_quorum());
    let mut out = Vec::new();
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    assert!(f.has_leader_contact());
    out.clear();
    f.receive(vote_req(3, 2, 1, 0, 0), &mut out);
    assert_eq!((granted(&out), f.voted_for()), (Some(true), Some(s(3))));
    assert!(notes(&out).contains(&Note::Voted { candidate: s(3), term: 1, check: check((0, 0), (0, 0)) }));
}

#[test]
fn a_leader_with_check_quorum_ignores_request_vote_too() {
    let mut l = node_with(1, 3, check_quorum());
    make_leader(&mut l, 3);
    let mut out = Vec::new();
    l.receive(vote_req(3, 1, 4, 9, 9), &mut out);
    assert_eq!((l.role(), l.term(), granted(&out)), (Role::Leader, 1, Some(false)));
}

#[test]
fn switching_check_quorum_on_and_off_starts_and_stops_the_leaders_timer() {
    let mut l = node(1, 3);
    make_leader(&mut l, 3);
    let mut out = Vec::new();
    l.update_settings(check_quorum(), &mut out);
    assert_eq!(out, vec![Output::ResetCheckQuorumTimer]);
    out.clear();
    l.update_settings(Settings::default(), &mut out);
    assert_eq!(out, vec![Output::StopCheckQuorumTimer]);
    // A follower has no such timer to start.
    let mut f = node(2, 3);
    out.clear();
    f.update_settings(check_quorum(), &mut out);
    assert!(out.is_empty());
}

// ----- exactly-once client writes (thesis 6.3) -------------------------------------------

fn write_id(seq: u64, first_unanswered: u64) -> Option<WriteId> {
    Some(WriteId { client: 1, seq, first_unanswered })
}

/// A single-server cluster commits each write as it takes it.
fn single_leader(settings: Settings) -> Node {
    let mut l = node_with(1, 1, settings);
    let mut out = Vec::new();
    l.election_timeout(&mut out);
    assert_eq!(l.role(), Role::Leader);
    l
}

#[test]
fn a_retried_write_lands_twice_in_the_log_but_is_applied_once() {
    let mut l = single_leader(Settings::default());
    let mut out = Vec::new();
    let (first, second, retry) =
        (ClientTag { op: 0, attempt: 1 }, ClientTag { op: 1, attempt: 1 }, ClientTag { op: 0, attempt: 2 });
    l.client_request(first, Command::set("x", 1), write_id(0, 0), &mut out);
    l.client_request(second, Command::set("x", 2), write_id(1, 0), &mut out);
    assert_eq!(
        replies(&out),
        vec![
            (first, ClientReply::Committed { index: 2, term: 1 }),
            (second, ClientReply::Committed { index: 3, term: 1 })
        ]
    );
    out.clear();
    // The answer to the first attempt was lost: the client sends x=1 again.
    l.client_request(retry, Command::set("x", 1), write_id(0, 0), &mut out);
    assert_eq!(l.log().len(), 4, "it lands in the log a second time");
    assert_eq!(l.log()[3].client, write_id(0, 0));
    assert_eq!(l.kv().get("x"), Some(&2), "but the older write does not undo x=2");
    assert_eq!(replies(&out), vec![(retry, ClientReply::Committed { index: 2, term: 1 })], "the first result");
    assert!(notes(&out).contains(&Note::Duplicate {
        index: 4,
        command: Command::set("x", 1),
        client: 1,
        seq: 0,
        first: Some(2)
    }));
    // Switched off, each copy is applied.
    let mut l = single_leader(Settings { exactly_once: false, ..Settings::default() });
    l.client_request(first, Command::set("x", 1), write_id(0, 0), &mut out);
    l.client_request(second, Command::set("x", 2), write_id(1, 0), &mut out);
    out.clear();
    l.client_request(retry, Command::set("x", 1), write_id(0, 0), &mut out);
    assert_eq!(l.kv().get("x"), Some(&1), "the retry undid x=2");
    assert_eq!(replies(&out), vec![(retry, ClientReply::Committed { index: 4, term: 1 })]);
    assert!(!notes(&out).iter().any(|n| matches!(n, Note::Duplicate { .. })));
}

/// When a client's floor (`first_unanswered`) rises, only the results below
/// it are forgotten: a write at or above it, still without its answer, keeps
/// its result, and a copy of it is answered with the first one.
#[test]
fn a_rising_floor_keeps_the_results_of_the_writes_still_unanswered() {
    // Writes (seq, first_unanswered), then a copy of write `again`, which first landed at index 2.
    let check = |writes: &[(u64, u64)], again: u64| {
        let mut l = single_leader(Settings::default());
        let mut out = Vec::new();
        for &(seq, floor) in writes {
            l.client_request(
                ClientTag { op: seq, attempt: 1 },
                Command::set("x", seq as i64),
                write_id(seq, floor),
                &mut out,
            );
        }
        out.clear();
        let retry = ClientTag { op: again, attempt: 2 };
        l.client_request(retry, Command::set("x", again as i64), write_id(again, 5), &mut out);
        assert_eq!(replies(&out), vec![(retry, ClientReply::Committed { index: 2, term: 1 })], "{writes:?}");
        assert_eq!(l.kv().get("x"), Some(&8), "the copy is not applied");
    };
    check(&[(5, 4), (7, 4), (8, 5)], 5);
    check(&[(7, 4), (8, 5)], 7);
}

#[test]
fn results_of_writes_the_client_has_answers_for_are_forgotten_and_their_copies_skipped() {
    let mut l = single_leader(Settings::default());
    let mut out = Vec::new();
    l.client_request(ClientTag { op: 0, attempt: 1 }, Command::set("x", 1), write_id(0, 0), &mut out);
    // Write 1 says write 0 has its answer.
    l.client_request(ClientTag { op: 1, attempt: 1 }, Command::set("x", 2), write_id(1, 1), &mut out);
    out.clear();
    // A late copy of write 0 (sent before its answer came) is still recognised.
    let late = ClientTag { op: 0, attempt: 2 };
    l.client_request(late, Command::set("x", 1), write_id(0, 0), &mut out);
    assert_eq!(l.kv().get("x"), Some(&2));
    assert!(replies(&out).is_empty(), "its first result is forgotten; the client has its answer");
    assert!(notes(&out).iter().any(|n| matches!(n, Note::Duplicate { seq: 0, first: None, .. })));
}

#[test]
fn followers_skip_the_same_copies_and_say_nothing() {
    let mut f = node(2, 3);
    let mut out = Vec::new();
    let e = |index, value, seq| Entry { client: write_id(seq, 0), ..entry(index, 1, "x", value) };
    let entries = vec![e(1, 1, 0), e(2, 2, 1), e(3, 1, 0)];
    f.receive(append(1, 2, 1, (0, 0), entries, 3), &mut out);
    assert_eq!((f.last_applied(), f.kv().get("x")), (3, Some(&2)));
    assert!(!notes(&out).iter().any(|n| matches!(n, Note::Duplicate { .. })), "only the leader tells");
}

// ----- reads (thesis 6.4) ----------------------------------------------------------------

/// S1 leads a 3-server cluster, with its no-op (index 1) and x=5 (index 2) committed.
fn reading_leader(settings: Settings) -> Node {
    let mut l = node_with(1, 3, settings);
    make_leader(&mut l, 3);
    let mut out = Vec::new();
    l.client_request(ClientTag { op: 0, attempt: 1 }, Command::set("x", 5), write_id(0, 0), &mut out);
    l.receive(ok_reply(2, 1, 1, 0, 2), &mut out);
    assert_eq!(l.commit_index(), 2);
    l
}

/// The heartbeat round of the AppendEntries `out` sends to `to`.
fn round_to(out: &[Output], to: u8) -> u64 {
    sent(out)
        .iter()
        .find_map(|m| match m.body {
            Body::AppendEntries { round, .. } if m.to == s(to) => Some(round),
            _ => None,
        })
        .expect("an AppendEntries")
}

fn answer_reply(from: u8, round: u64) -> Message {
    answer_reply_in(from, 1, round)
}

fn answer_reply_in(from: u8, term: u64, round: u64) -> Message {
    let mut m = ok_reply(from, 1, term, 0, 9); // the leader caps matchIndex at its last entry
    if let Body::AppendEntriesReply { round: r, .. } = &mut m.body {
        *r = round;
    }
    m
}

#[test]
fn a_follower_redirects_a_read_to_its_leader() {
    let mut f = node(2, 3);
    let mut out = Vec::new();
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    out.clear();
    let tag = ClientTag { op: 3, attempt: 1 };
    f.client_read(tag, "x", &mut out);
    assert_eq!(replies(&out), vec![(tag, ClientReply::NotLeader { leader: Some(s(1)) })]);
}

#[test]
fn read_index_answers_once_a_majority_answered_a_round_begun_after_the_read() {
    let mut l = reading_leader(Settings::default());
    let mut out = Vec::new();
    l.heartbeat_timeout(&mut out);
    let old_round = round_to(&out, 2);
    out.clear();
    let tag = ClientTag { op: 1, attempt: 1 };
    l.client_read(tag, "x", &mut out);
    assert!(notes(&out).contains(&Note::ReadStarted { op: 1, key: "x".into(), read_index: Some(2) }));
    assert!(sent(&out).is_empty(), "the heartbeat's round still waits for answers: the read waits for the next");
    assert!(replies(&out).is_empty());
    // An answer to the round sent before the read proves nothing about now;
    // but with it a majority answered that round, so the next one begins.
    out.clear();
    l.receive(answer_reply(2, old_round), &mut out);
    assert!(replies(&out).is_empty());
    assert_eq!(l.pending_reads(), 1);
    let round = round_to(&out, 2);
    assert!(round > old_round);
    assert_eq!(round_to(&out, 3), round);
    assert!(out.contains(&Output::ResetHeartbeatTimer), "the round is a heartbeat");
    out.clear();
    l.receive(answer_reply(3, round), &mut out);
    assert_eq!(replies(&out), vec![(tag, ClientReply::Read { value: Some(5), index: 2, term: 1 })]);
    let how = ReadHow::ReadIndex { confirmed_by: vec![s(1), s(3)] };
    assert!(notes(&out).contains(&Note::ReadAnswered { op: 1, key: "x".into(), value: Some(5), index: 2, how }));
    // No round waits for answers now: a read begins one at once. A key never
    // written reads as nothing.
    out.clear();
    let tag = ClientTag { op: 2, attempt: 1 };
    l.client_read(tag, "nope", &mut out);
    let round = round_to(&out, 2);
    l.receive(answer_reply(2, round), &mut out);
    assert_eq!(replies(&out), vec![(tag, ClientReply::Read { value: None, index: 2, term: 1 })]);
}

/// The AppendEntries in `out`.
fn appends(out: &[Output]) -> usize {
    sent(out).iter().filter(|m| matches!(m.body, Body::AppendEntries { .. })).count()
}

fn read_tags(out: &[Output]) -> Vec<u64> {
    replies(out).iter().map(|(tag, _)| tag.op).collect()
}

#[test]
fn reads_arriving_while_a_round_waits_for_answers_share_the_next_round() {
    let mut l = reading_leader(Settings::default());
    let mut out = Vec::new();
    l.heartbeat_timeout(&mut out);
    let heartbeat = round_to(&out, 2);
    l.receive(answer_reply(2, heartbeat), &mut out);
    let read = |l: &mut Node, op: u64, out: &mut Vec<Output>| {
        out.clear();
        l.client_read(ClientTag { op, attempt: 1 }, "x", out);
    };
    // Read 1 finds no round waiting: it begins one (one AppendEntries per follower).
    read(&mut l, 1, &mut out);
    assert_eq!(appends(&out), 2);
    let first = round_to(&out, 2);
    // Reads 2 and 3 arrive after that round began: it cannot confirm them,
    // and they send nothing, they wait for the next round together.
    read(&mut l, 2, &mut out);
    assert_eq!(appends(&out), 0);
    read(&mut l, 3, &mut out);
    assert_eq!(appends(&out), 0);
    assert_eq!(l.pending_reads(), 3);
    // A majority answers the first round: read 1 only, and the next round begins.
    out.clear();
    l.receive(answer_reply(2, first), &mut out);
    assert_eq!(read_tags(&out), vec![1]);
    assert_eq!(appends(&out), 2);
    let second = round_to(&out, 2);
    assert!(second > first);
    // Read 4 arrives while the second round waits: it waits for a third.
    read(&mut l, 4, &mut out);
    assert_eq!(appends(&out), 0);
    // One round answers reads 2 and 3 together, and the third begins for read 4.
    out.clear();
    l.receive(answer_reply(3, second), &mut out);
    assert_eq!(read_tags(&out), vec![2, 3]);
    assert_eq!(appends(&out), 2);
    let third = round_to(&out, 2);
    // A late answer to the second round from the other follower confirms nothing new.
    out.clear();
    l.receive(answer_reply(2, second), &mut out);
    assert!(replies(&out).is_empty());
    assert_eq!(appends(&out), 0);
    out.clear();
    l.receive(answer_reply(2, third), &mut out);
    assert_eq!(read_tags(&out), vec![4]);
    assert_eq!(appends(&out), 0, "no read waits: no round begins");
    assert_eq!(l.pending_reads(), 0);
    // Four reads, three rounds: six AppendEntries where one round each took eight.
}

#[test]
fn a_read_waiting_for_the_next_round_is_confirmed_by_the_heartbeat_when_answers_do_not_come() {
    let mut l = reading_leader(Settings::default());
    let mut out = Vec::new();
    l.heartbeat_timeout(&mut out);
    let lost = round_to(&out, 2); // its answers never come
    out.clear();
    l.client_read(ClientTag { op: 1, attempt: 1 }, "x", &mut out);
    assert_eq!(appends(&out), 0);
    out.clear();
    l.heartbeat_timeout(&mut out);
    let next = round_to(&out, 2);
    assert!(next > lost);
    out.clear();
    l.receive(answer_reply(3, next), &mut out);
    assert_eq!(read_tags(&out), vec![1]);
}

#[test]
fn a_round_begun_for_reads_during_a_transfer_leaves_the_heartbeat_timer_counting() {
    let mut l = reading_leader(Settings::default());
    let mut out = Vec::new();
    l.heartbeat_timeout(&mut out);
    l.receive(answer_reply(2, round_to(&out, 2)), &mut out);
    out.clear();
    l.client_read(ClientTag { op: 1, attempt: 1 }, "x", &mut out);
    assert_eq!(appends(&out), 2);
    assert!(out.contains(&Output::ResetHeartbeatTimer), "outside a transfer the round is the next heartbeat");
    l.receive(answer_reply(2, round_to(&out, 2)), &mut out);
    l.transfer_leadership(s(3), &mut out).unwrap();
    out.clear();
    l.client_read(ClientTag { op: 2, attempt: 1 }, "x", &mut out);
    assert_eq!(appends(&out), 2);
    assert!(!out.contains(&Output::ResetHeartbeatTimer), "the transfer's time-out counts heartbeats");
}

#[test]
fn a_new_leader_fixes_the_read_index_once_an_entry_of_its_term_is_committed() {
    let mut l = with_log(1, 3, 1, vec![entry(1, 1, "x", 1)]);
    l.set_settings(Settings { leader_noop: false, ..Settings::default() });
    let first = make_leader(&mut l, 3);
    let mut out = Vec::new();
    let tag = ClientTag { op: 4, attempt: 1 };
    l.client_read(tag, "x", &mut out);
    assert!(notes(&out).contains(&Note::ReadStarted { op: 4, key: "x".into(), read_index: None }));
    // The leadership's first round waits for answers; once answered, the read's begins.
    l.receive(answer_reply_in(2, 2, round_to(&first, 2)), &mut out);
    let round = round_to(&out, 2);
    l.receive(answer_reply_in(2, 2, round), &mut out);
    assert!(replies(&out).is_empty(), "confirmed, but it does not know what is committed yet");
    out.clear();
    l.client_request(ClientTag { op: 5, attempt: 1 }, Command::set("y", 2), write_id(5, 0), &mut out);
    l.receive(ok_reply(2, 1, 2, 0, 2), &mut out);
    assert_eq!(l.commit_index(), 2);
    assert!(replies(&out).contains(&(tag, ClientReply::Read { value: Some(1), index: 2, term: 2 })));
}

/// A read already confirmed, waiting only for an entry of the new term to
/// commit, needs no further round: answers do not start more.
#[test]
fn a_confirmed_read_waiting_for_its_read_index_begins_no_more_rounds() {
    let mut l = with_log(1, 3, 1, vec![entry(1, 1, "x", 1)]);
    l.set_settings(Settings { leader_noop: false, ..Settings::default() });
    let first = make_leader(&mut l, 3);
    let mut out = Vec::new();
    l.client_read(ClientTag { op: 4, attempt: 1 }, "x", &mut out);
    out.clear();
    l.receive(answer_reply_in(2, 2, round_to(&first, 2)), &mut out);
    let round = round_to(&out, 2);
    out.clear();
    l.receive(answer_reply_in(2, 2, round), &mut out);
    assert_eq!((appends(&out), l.pending_reads()), (0, 1), "confirmed; it waits for a commit, not for a round");
    out.clear();
    l.receive(answer_reply_in(3, 2, round), &mut out);
    assert_eq!(appends(&out), 0);
}

#[test]
fn a_leader_that_steps_down_sends_its_reads_elsewhere() {
    let mut l = reading_leader(Settings::default());
    let mut out = Vec::new();
    let tag = ClientTag { op: 1, attempt: 1 };
    l.client_read(tag, "x", &mut out);
    out.clear();
    l.receive(append(3, 1, 2, (0, 0), vec![], 0), &mut out);
    assert_eq!(replies(&out), vec![(tag, ClientReply::NotLeader { leader: Some(s(3)) })]);
    assert_eq!(l.pending_reads(), 0);
}

#[test]
fn with_a_lease_the_leader_answers_at_once_until_the_lease_runs_out() {
    let lease = Settings { read_mode: ReadMode::Lease, ..Settings::default() };
    let mut l = node_with(1, 3, lease);
    let out = make_leader(&mut l, 3);
    let first = round_to(&out, 2);
    assert!(out.contains(&Output::StartLeaseTimer { round: first }), "each round has a lease timer");
    let mut out = Vec::new();
    l.receive(answer_reply(2, first), &mut out);
    assert!(l.lease_holds(), "S1 and S2 answered a round whose lease timer still runs");
    let tag = ClientTag { op: 1, attempt: 1 };
    out.clear();
    l.client_read(tag, "x", &mut out);
    assert_eq!(replies(&out), vec![(tag, ClientReply::Read { value: None, index: 1, term: 1 })]);
    assert!(sent(&out).is_empty(), "no round needed");
    // The round's lease timer runs out: the next read goes the ReadIndex way.
    l.lease_timeout(first, &mut out);
    assert!(!l.lease_holds());
    out.clear();
    l.client_read(tag, "x", &mut out);
    assert!(replies(&out).is_empty());
    assert!(notes(&out).iter().any(|n| matches!(n, Note::ReadStarted { .. })));
    // A leadership transfer ends the lease for the rest of the term.
    let mut l = node_with(1, 3, Settings { read_mode: ReadMode::Lease, ..Settings::default() });
    let out = make_leader(&mut l, 3);
    let mut o = Vec::new();
    l.receive(answer_reply(2, round_to(&out, 2)), &mut o);
    assert!(l.lease_holds());
    l.transfer_leadership(s(3), &mut o).unwrap();
    assert!(!l.lease_holds());
}

/// Rounds are numbered across terms: a follower that rejects a late heartbeat
/// of the leader's earlier leadership answers in the current term with that
/// old round, which confirms nothing about the current leadership.
#[test]
fn an_answer_to_a_round_of_an_earlier_leadership_confirms_nothing() {
    let lease = Settings { read_mode: ReadMode::Lease, ..Settings::default() };
    let mut l = node_with(1, 3, lease);
    let old = round_to(&make_leader(&mut l, 3), 2);
    let mut out = Vec::new();
    l.receive(append(2, 1, 2, (0, 0), vec![], 0), &mut out);
    let now = round_to(&make_leader(&mut l, 3), 2);
    assert_eq!((l.term(), l.role()), (3, Role::Leader));
    assert!(now > old);
    // S2, in term 3, rejects the round-`old` heartbeat that was late.
    let mut late = reject_reply(2, 1, 3, 0, 0, 0);
    if let Body::AppendEntriesReply { round, .. } = &mut late.body {
        *round = old;
    }
    l.receive(late, &mut out);
    assert!(!l.lease_holds(), "no server answered a round of term 3");
    l.receive(answer_reply_in(2, 3, now), &mut out);
    assert!(l.lease_holds());
}

#[test]
fn the_lease_turns_on_the_voters_guard_and_expires_on_request() {
    let lease = Settings { read_mode: ReadMode::Lease, ..Settings::default() };
    let mut f = node_with(2, 3, lease.clone());
    let mut out = Vec::new();
    f.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    out.clear();
    f.receive(vote_req(3, 2, 2, 5, 1), &mut out);
    assert_eq!((f.term(), granted(&out)), (1, Some(false)));
    // Rounds sent before the timings changed count no more.
    let mut l = node_with(1, 3, lease);
    let out = make_leader(&mut l, 3);
    let mut o = Vec::new();
    l.receive(answer_reply(2, round_to(&out, 2)), &mut o);
    l.expire_lease();
    assert!(!l.lease_holds());
}

#[test]
fn switching_to_the_lease_lets_no_earlier_round_count() {
    let mut l = node(1, 3);
    let out = make_leader(&mut l, 3);
    let mut o = Vec::new();
    l.receive(answer_reply(2, round_to(&out, 2)), &mut o);
    l.update_settings(Settings { read_mode: ReadMode::Lease, ..Settings::default() }, &mut o);
    assert!(!l.lease_holds(), "that round's lease timer was never started");
}

// ----- break Raft: the switches of issue 9 -----------------------------------------------

#[test]
fn the_break_raft_switch_for_stale_reads_answers_from_any_servers_own_store() {
    let mut f = node_with(2, 3, Settings { unsafe_stale_reads: true, ..Settings::default() });
    let mut out = Vec::new();
    f.receive(append(1, 2, 1, (0, 0), vec![entry(1, 1, "x", 1)], 1), &mut out);
    out.clear();
    let tag = ClientTag { op: 9, attempt: 1 };
    f.client_read(tag, "x", &mut out);
    assert_eq!(replies(&out), vec![(tag, ClientReply::Read { value: Some(1), index: 1, term: 1 })]);
    assert!(notes(&out).iter().any(|n| matches!(n, Note::ReadAnswered { how: ReadHow::Local, .. })));
}

#[test]
fn the_break_raft_switch_acknowledges_a_write_on_append() {
    let mut l = node_with(1, 3, Settings { unsafe_ack_before_commit: true, ..Settings::default() });
    make_leader(&mut l, 3);
    let mut out = Vec::new();
    let tag = ClientTag { op: 0, attempt: 1 };
    l.client_request(tag, Command::set("x", 1), write_id(0, 0), &mut out);
    assert_eq!(l.commit_index(), 0, "no follower has it yet");
    assert_eq!(replies(&out), vec![(tag, ClientReply::Committed { index: 2, term: 1 })]);
}

#[test]
fn the_break_raft_switch_forgets_the_vote_across_a_restart() {
    let state = persistent(3, Some(s(2)), vec![]);
    let kept = Node::recover(s(1), ids(3), Settings::default(), state.clone());
    assert_eq!(kept.voted_for(), Some(s(2)));
    let forgot =
        Node::recover(s(1), ids(3), Settings { unsafe_forget_vote_on_restart: true, ..Settings::default() }, state);
    assert_eq!((forgot.term(), forgot.voted_for()), (3, None));
    // So it grants a second vote in term 3.
    let mut forgot = forgot;
    let mut out = Vec::new();
    forgot.receive(vote_req(3, 1, 3, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(true));
}

/// In the lease read mode a server that restarts keeps the voters' guard for
/// the shortest election timeout: before its crash it may have answered the
/// heartbeat round a leader's lease rests on, and it cannot remember it.
/// (A server starting for the first time, in term 0, promised nothing; and
/// with ReadIndex reads no lease needs the promise.)
#[test]
fn in_the_lease_mode_a_restarted_server_votes_only_after_an_election_timeout() {
    let lease = Settings { read_mode: ReadMode::Lease, ..Settings::default() };
    let state = persistent(3, None, vec![]);
    let mut r = Node::recover(s(1), ids(3), lease.clone(), state.clone());
    let mut out = Vec::new();
    r.start(&mut out);
    assert!(out.contains(&Output::ResetLeaderContactTimer) && r.has_leader_contact());
    let mut out = Vec::new();
    r.receive(vote_req(3, 1, 4, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(false));
    let (reason, check) = (RefuseReason::JustRestarted, check((0, 0), (0, 0)));
    assert!(notes(&out).contains(&Note::RefusedVote { candidate: s(3), term: 4, reason, check }));
    assert_eq!(r.term(), 3, "nor does it take the newer term");
    // Its pre-vote answer says no too.
    let mut out = Vec::new();
    r.receive(msg(2, 1, 4, Body::PreVote { last_log_index: 0, last_log_term: 0 }), &mut out);
    assert!(sent(&out).iter().any(|m| m.body == Body::PreVoteReply { granted: false }));
    // Once the timeout ran out, it votes.
    r.leader_contact_timeout(&mut Vec::new());
    let mut out = Vec::new();
    r.receive(vote_req(3, 1, 4, 0, 0), &mut out);
    assert_eq!(granted(&out), Some(true));
    // Without the lease, or in term 0, no wait.
    for mut n in [Node::recover(s(1), ids(3), Settings::default(), state), Node::new(s(1), ids(3), lease.clone())] {
        let mut out = Vec::new();
        n.start(&mut out);
        assert!(!out.contains(&Output::ResetLeaderContactTimer));
        let mut out = Vec::new();
        n.receive(vote_req(3, 1, 4, 0, 0), &mut out);
        assert_eq!(granted(&out), Some(true));
    }
}

// ----- with membership changes open (issue 13): the vote rules that stay ----------------

/// With pre-vote, a voter counts its own pre-vote, also once membership
/// changes are open (only a server that is not a voter does not): in a
/// cluster of three, one other server's grant starts the real election.
#[cfg(feature = "membership")]
#[test]
fn with_pre_vote_a_voter_counts_its_own_pre_vote_also_when_membership_changes_are_open() {
    for open in [false, true] {
        let mut n = node_with(1, 3, pre_vote());
        if open {
            n.open_membership();
        }
        let mut out = Vec::new();
        n.election_timeout(&mut out);
        assert_eq!(n.prevotes(), Some(&[s(1)][..]), "open: {open}");
        n.receive(msg(2, 1, 1, Body::PreVoteReply { granted: true }), &mut out);
        assert_eq!((n.role(), n.term()), (Role::Candidate, 1), "open: {open}");
    }
}

/// A server its log removes is refused its vote and its pre-vote with the
/// reason `Removed`, even when its log is up to date; a request of a term
/// the voter is past is refused for that first (`StaleTerm`: the answer
/// that teaches the candidate the newer term).
#[cfg(feature = "membership")]
#[test]
fn a_removed_candidate_hears_it_was_removed_unless_its_term_is_stale() {
    let remove = Entry::new(1, 1, Command::Config { change: Change::Remove(s(3)) });
    let voter = || with_log(2, 3, 5, vec![remove.clone()]);
    let reason = |out: &[Output]| {
        notes(out).into_iter().find_map(|n| match n {
            Note::RefusedVote { reason, .. } | Note::RefusedPreVote { reason, .. } => Some(reason),
            _ => None,
        })
    };
    for (term, expected) in [(3, RefuseReason::StaleTerm), (6, RefuseReason::Removed)] {
        let mut out = Vec::new();
        voter().receive(vote_req(3, 2, term, 5, 1), &mut out);
        assert_eq!(reason(&out), Some(expected), "RequestVote of term {term}");
        assert_eq!(granted(&out), Some(false));
        let mut out = Vec::new();
        voter().receive(msg(3, 2, term, Body::PreVote { last_log_index: 5, last_log_term: 1 }), &mut out);
        assert_eq!(reason(&out), Some(expected), "PreVote of term {term}");
        assert_eq!(pre_vote_answer(&out).map(|a| a.1), Some(false));
    }
}

/// A voter refuses a server its log removes only when the removal may be in
/// force: the entry is of a term at least the candidate's last log term, or
/// it is committed. A candidate whose log ends in a later term than an
/// uncommitted removal may hold a log where a later leader replaced it.
#[cfg(feature = "membership")]
#[test]
fn a_voter_refuses_a_removed_candidate_with_a_later_log_only_once_the_removal_committed() {
    let remove = Entry::new(1, 1, Command::Config { change: Change::Remove(s(3)) });
    // Uncommitted: S3's log ends in term 2, after the removal's term 1.
    let mut out = Vec::new();
    with_log(2, 3, 1, vec![remove.clone()]).receive(vote_req(3, 2, 3, 2, 2), &mut out);
    assert_eq!(granted(&out), Some(true), "{out:?}");
    // Committed (the leader S1 says so): refused, for the removal.
    let mut voter = with_log(2, 3, 1, vec![remove]);
    let mut out = Vec::new();
    voter.receive(append(1, 2, 2, (1, 1), vec![], 1), &mut out);
    assert_eq!(voter.commit_index(), 1);
    let mut out = Vec::new();
    voter.receive(vote_req(3, 2, 3, 2, 2), &mut out);
    assert_eq!(granted(&out), Some(false), "{out:?}");
    let refused =
        notes(&out)
            .into_iter()
            .find_map(|n| if let Note::RefusedVote { reason, .. } = n { Some(reason) } else { None });
    assert_eq!(refused, Some(RefuseReason::Removed));
}
