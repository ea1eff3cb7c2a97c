//! Membership changes (issue 13): single-server changes through the log,
//! learners first (README "Membership changes").
#![cfg(feature = "membership")]

use raft_playground::raft::{
    Body, Change, ChangeError, Entry, LogCheck, MemberNote, Message, Node, Note, Output, RefuseReason, Role, Settings,
};
use raft_playground::script::{export, link, parse, run, Recording, Step};
use raft_playground::sim::*;

mod common;
use common::{ids, persistent};

fn cluster(nodes: usize, seed: u64, raft: Settings) -> Cluster {
    Cluster::new(Config { nodes, seed, raft, ..Config::default() }).unwrap()
}

/// Advances until a leader has committed an entry of its term (it may then
/// change the configuration); its id.
fn ready_leader(c: &mut Cluster) -> NodeId {
    for _ in 0..400 {
        if let Some(l) = c.leader() {
            let node = c.node(l).unwrap().raft();
            if node.check_change(Change::Remove(NodeId(99))) == Err(ChangeError::NotMember(NodeId(99))) {
                return l;
            }
        }
        c.advance(25);
    }
    panic!("no leader ready to change the configuration");
}

/// Runs `ms` virtual ms with a client write every 30 ms.
fn load(c: &mut Cluster, ms: u64, value: &mut i64) {
    for _ in 0..ms / 30 {
        *value += 1;
        c.client_write(Command::set(["x", "y", "z"][*value as usize % 3], *value));
        c.advance(30);
    }
}

/// The leader's configuration: (voters, learners, latest configuration entry committed).
fn leader_config(c: &Cluster) -> Option<(Vec<NodeId>, Vec<NodeId>, bool)> {
    let node = c.node(c.leader()?)?.raft();
    Some((node.members().to_vec(), node.learners().to_vec(), node.config_index() <= node.commit_index()))
}

/// Runs with the write load until the leader's configuration has `voters`,
/// no learner, and its latest configuration entry committed.
fn load_until_config(c: &mut Cluster, voters: &[NodeId], value: &mut i64) {
    for _ in 0..200 {
        if leader_config(c).is_some_and(|(v, l, done)| v == voters && l.is_empty() && done) {
            return;
        }
        load(c, 90, value);
    }
    panic!("the configuration did not become {voters:?}: {:?}", leader_config(c));
}

fn member_events(c: &Cluster) -> Vec<(NodeId, MemberEvent)> {
    c.events()
        .iter()
        .filter_map(|e| match &e.what {
            EventData::Member { node, event } => Some((*node, event.clone())),
            _ => None,
        })
        .collect()
}

/// Every acknowledged write is committed, with the same entry, on every server of `members`.
fn assert_acked_kept(c: &Cluster, members: &[NodeId]) {
    let mut acked = 0;
    for op in c.client_ops() {
        if let OpStatus::Acked { index, term, .. } = op.status {
            acked += 1;
            for &n in members {
                let node = c.node(n).unwrap();
                let e = node.log().get(index as usize - 1);
                assert!(node.commit_index() >= index, "write #{} at {index} not committed on {n}", op.id);
                assert_eq!(e.map(|e| (e.term, &e.command)), op.write().map(|w| (term, w)), "write #{} on {n}", op.id);
            }
        }
    }
    assert!(acked > 30, "the load must do real work: {acked} acknowledged writes");
}

/// Heals, restarts everyone, lets the client's writes settle, and waits
/// until every server of the leader's configuration has the leader's whole log committed.
fn settle(c: &mut Cluster) -> Vec<NodeId> {
    c.heal();
    for n in c.node_ids() {
        if !c.node(n).unwrap().is_up() {
            c.restart(n).unwrap();
        }
    }
    c.advance(c.config().client_give_up_ms + 1_000);
    for _ in 0..400 {
        c.advance(50);
        if let Some(l) = c.leader() {
            let end = c.node(l).unwrap().log().len() as u64;
            let members = c.node(l).unwrap().raft().members().to_vec();
            if members.iter().all(|&n| c.node(n).unwrap().commit_index() == end) {
                return members;
            }
        }
    }
    panic!("the cluster did not settle");
}

/// Adding a server to and removing one from 3, 5 and 7 servers under a
/// steady write load, with a follower crashing while each change is in
/// progress (and restarting later): each change completes, the new server
/// ends up a voter with the whole log, the monitor stays silent, and every
/// acknowledged write is kept on every member.
#[test]
fn adding_and_removing_under_load_with_crashes_during_the_changes() {
    for nodes in [3, 5, 7] {
        for seed in 1..=3 {
            let mut c = cluster(nodes, seed * 17 + nodes as u64, Settings::default());
            let mut value = 0;
            let leader = ready_leader(&mut c);
            load(&mut c, 600, &mut value);

            // Add: a follower crashes while the new server catches up.
            let new = c.add_server().unwrap();
            assert_eq!(new, NodeId(nodes as u8 + 1));
            let victim = c.node_ids().into_iter().find(|&n| n != leader && n != new).unwrap();
            load(&mut c, 60, &mut value);
            c.crash(victim).unwrap();
            let mut voters: Vec<NodeId> = (1..=nodes as u8).map(NodeId).collect();
            voters.push(new);
            load_until_config(&mut c, &voters, &mut value);
            c.restart(victim).unwrap();
            load(&mut c, 300, &mut value);

            // Remove another follower, while a third one crashes mid-change.
            let leader = ready_leader(&mut c);
            let gone = c.node_ids().into_iter().rev().find(|&n| n != leader && n != victim && n != new).unwrap();
            c.remove_server(gone).unwrap();
            let other = c.node_ids().into_iter().find(|&n| n != leader && n != gone && n != new);
            if let Some(o) = other.filter(|_| nodes > 3) {
                c.crash(o).unwrap();
            }
            voters.retain(|&v| v != gone);
            load_until_config(&mut c, &voters, &mut value);
            load(&mut c, 300, &mut value);

            let members = settle(&mut c);
            assert_eq!(members, voters, "{nodes} servers, seed {seed}");
            assert!(c.violations().is_empty(), "{nodes} servers, seed {seed}: {:?}", c.violations());
            assert_acked_kept(&c, &members);
            // The newcomer has the whole log; the removed server is no voter of anyone's.
            let l = c.leader().unwrap();
            assert_eq!(c.node(new).unwrap().log(), c.node(l).unwrap().log());
            assert!(c.is_removed(gone));
            assert!(c.servers().iter().all(|s| !s.raft().members().contains(&gone) || s.id() == gone));
        }
    }
}

/// A leader that removes itself leads (without counting itself) until the
/// entry commits, then steps down; another server is elected, and the removed
/// one never stands again, let alone leads.
#[test]
fn a_removed_leader_steps_down_after_the_change_commits_and_never_leads_again() {
    let mut c = cluster(5, 8, Settings::default());
    let mut value = 0;
    let leader = ready_leader(&mut c);
    load(&mut c, 300, &mut value);
    c.remove_server(leader).unwrap();
    let term = c.node(leader).unwrap().term();
    load(&mut c, 3_000, &mut value);

    let events = member_events(&c);
    let committed = events.iter().position(|(n, e)| {
        *n == leader && matches!(e, MemberEvent::Committed { change: Change::Remove(r), .. } if *r == leader)
    });
    let left = events.iter().position(|(n, e)| *n == leader && *e == MemberEvent::LeftCluster { term });
    assert!(committed.is_some() && left > committed, "{events:?}");
    let stepped = c.events().iter().any(|e| {
        matches!(e.what, EventData::SteppedDown { node, was: Role::Leader, term: t, because_of: None } if node == leader && t == term)
    });
    assert!(stepped);
    let new = c.leader().expect("a new leader");
    assert_ne!(new, leader);
    assert!(!c.node(new).unwrap().raft().members().contains(&leader));
    assert!(!c.node(leader).unwrap().raft().is_voter());
    // It never stood for election again after stepping down.
    let down_at = c
        .events()
        .iter()
        .find(
            |e| matches!(e.what, EventData::Member { node, event: MemberEvent::LeftCluster { .. } } if node == leader),
        )
        .unwrap()
        .time;
    assert!(!c.events().iter().any(|e| e.time >= down_at
        && matches!(e.what, EventData::ElectionStarted { node, .. } | EventData::LeaderElected { node, .. } if node == leader)));
    let members = settle(&mut c);
    assert!(!members.contains(&leader));
    assert!(c.violations().is_empty(), "{:?}", c.violations());
    assert_acked_kept(&c, &members);
}

/// A learner's acknowledgement does not count toward commitment: with the
/// two other voters of three cut off, the leader and its learner store the
/// learner's own entry, but it never commits, and the learner is never
/// promoted.
#[test]
fn a_learner_does_not_count_toward_commitment() {
    let mut c = cluster(3, 5, Settings::default());
    let leader = ready_leader(&mut c);
    let others: Vec<NodeId> = c.node_ids().into_iter().filter(|&n| n != leader).collect();
    let new = c.add_server().unwrap();
    c.partition(&[vec![leader, new], others]).unwrap();
    c.advance(3_000);
    let entry = c.node(leader).unwrap().raft().config_index();
    assert!(entry > 0);
    assert!(c.node(new).unwrap().log().len() as u64 >= entry, "the learner stores its entry");
    // The old leader, alone with its learner, never commits it.
    let node = c.node(leader).unwrap();
    assert!(node.commit_index() < entry, "committed with a learner's help");
    assert_eq!(node.raft().learners(), &[new]);
    assert!(!c
        .events()
        .iter()
        .any(|e| matches!(&e.what, EventData::Committed { replicas, .. } if replicas.contains(&new))));
    assert!(!member_events(&c).iter().any(|(_, e)| matches!(e, MemberEvent::CaughtUp { .. })));
    assert!(c.violations().is_empty(), "{:?}", c.violations());
}

/// A learner never votes: while it catches up slowly (one entry per
/// AppendEntries) the leader crashes; the new leader is elected by voters
/// only, the learner never stands (its timer runs out: it says it is a
/// learner), and the new leader promotes it once it caught up.
#[test]
fn a_learner_never_votes_or_stands_and_is_promoted_by_the_next_leader() {
    let raft = Settings { max_entries_per_append: std::num::NonZeroU64::new(1), ..Settings::default() };
    let mut c = cluster(3, 11, raft);
    let mut value = 0;
    let leader = ready_leader(&mut c);
    load(&mut c, 3_000, &mut value);
    let new = c.add_server().unwrap();
    c.advance(100);
    c.crash(leader).unwrap();
    let voters: Vec<NodeId> = c.node_ids().into_iter().filter(|&n| n != new).collect();
    load_until_config(&mut c, &voters.iter().copied().chain([new]).collect::<Vec<_>>(), &mut value);

    let promoted_at = c
        .events()
        .iter()
        .find(|e| matches!(e.what, EventData::Appended { command: Command::Config { change: Change::Promote(n) }, .. } if n == new))
        .expect("promoted")
        .time;
    let before: Vec<&Event> = c.events().iter().filter(|e| e.time < promoted_at).collect();
    let elected: Vec<&Event> =
        before.iter().copied().filter(|e| matches!(e.what, EventData::LeaderElected { .. })).collect();
    assert!(elected.len() >= 2, "a second leader was elected during the catch-up");
    for e in &elected {
        let EventData::LeaderElected { votes, .. } = &e.what else { unreachable!() };
        assert!(!votes.contains(&new), "{}", e.text());
    }
    for e in &before {
        match &e.what {
            EventData::ElectionStarted { node, .. } | EventData::PreVoteStarted { node, .. } => assert_ne!(*node, new),
            EventData::Voted { node, .. } => assert_ne!(*node, new),
            EventData::Committed { replicas, .. } => assert!(!replicas.contains(&new), "{}", e.text()),
            _ => {}
        }
    }
    c.restart(leader).unwrap();
    let members = settle(&mut c);
    assert!(members.contains(&new));
    assert!(c.violations().is_empty(), "{:?}", c.violations());
    assert_acked_kept(&c, &members);
}

/// Removes a follower that is cut off (it misses its removal), then plugs it
/// back in: it still thinks it is a voter and its timer runs out. Returns
/// the cluster, the removed server, the leader and its term at the reconnection.
fn removed_while_cut_off(raft: Settings) -> (Cluster, NodeId, NodeId, u64) {
    let mut c = cluster(5, 21, raft);
    let mut value = 0;
    let leader = ready_leader(&mut c);
    let gone = c.node_ids().into_iter().find(|&n| n != leader).unwrap();
    c.disconnect(gone).unwrap();
    c.remove_server(gone).unwrap();
    load(&mut c, 1_000, &mut value);
    assert!(c.is_removed(gone));
    assert!(c.node(gone).unwrap().raft().members().contains(&gone), "it missed its removal");
    c.reconnect(gone).unwrap();
    let term = c.node(leader).unwrap().term();
    load(&mut c, 4_000, &mut value);
    assert!(c.violations().is_empty(), "{:?}", c.violations());
    (c, gone, leader, term)
}

fn disrupts(c: &Cluster, gone: NodeId) -> usize {
    member_events(c).iter().filter(|(n, e)| *n == gone && matches!(e, MemberEvent::Disrupts { .. })).count()
}

/// With pre-vote on, or with check-quorum on, a removed server that missed
/// its removal does not disrupt: the leader keeps leading in its term. The
/// trace says what it tries.
#[test]
fn a_removed_server_does_not_disrupt_with_pre_vote_or_check_quorum() {
    for raft in
        [Settings { pre_vote: true, ..Settings::default() }, Settings { check_quorum: true, ..Settings::default() }]
    {
        let (c, gone, leader, term) = removed_while_cut_off(raft.clone());
        assert_eq!(c.leader(), Some(leader), "{raft:?}");
        assert_eq!(c.node(leader).unwrap().term(), term, "{raft:?}");
        assert!(disrupts(&c, gone) > 3, "{raft:?}");
        assert!(!c.events().iter().any(|e| matches!(e.what, EventData::LeaderElected { node, .. } if node == gone)));
    }
}

/// With both off, it times out and raises the term, deposing the leader
/// again and again (the trace explains each time), but never leads.
#[test]
fn without_pre_vote_or_check_quorum_a_removed_server_raises_terms_but_never_leads() {
    let (c, gone, leader, term) = removed_while_cut_off(Settings::default());
    assert!(c.node(leader).unwrap().term() > term + 2);
    assert!(disrupts(&c, gone) > 3);
    let text = c
        .events()
        .iter()
        .find(|e| matches!(e.what, EventData::Member { event: MemberEvent::Disrupts { .. }, .. }))
        .unwrap()
        .text();
    assert!(text.contains("its higher term deposes the leader"), "{text}");
    assert!(!c.events().iter().any(|e| matches!(e.what, EventData::LeaderElected { node, .. } if node == gone)));
}

/// One change at a time, never down to no voter, at most 9 servers, and a
/// configuration entry is never a client's write.
#[test]
fn changes_are_refused_while_another_is_in_progress_or_when_they_would_leave_no_voter() {
    let mut c = cluster(5, 2, Settings::default());
    let leader = ready_leader(&mut c);
    let new = c.add_server().unwrap();
    assert!(matches!(c.add_server(), Err(SimError::Change(ChangeError::Pending(_) | ChangeError::CatchingUp(_)))));
    assert!(matches!(c.remove_server(NodeId(2)), Err(SimError::Change(_))));
    assert_eq!(c.remove_server(NodeId(42)), Err(SimError::UnknownNode(42)));
    let history = c.history().len();
    c.advance(1_000);
    assert_eq!(c.node(leader).unwrap().raft().members().len(), 6);
    assert_eq!(c.remove_server(new), Ok(()));
    assert_eq!(c.history().len(), history + 1, "refusals are not recorded");
    c.advance(1_000);
    for _ in 0..3 {
        c.add_server().unwrap();
        c.advance(1_000);
    }
    assert_eq!(c.servers().len(), 9);
    assert_eq!(c.add_server(), Err(SimError::TooManyServers));
    let config = Command::Config { change: Change::Remove(NodeId(1)) };
    assert_eq!(c.submit(leader, config.clone()), Err(SimError::ConfigAsWrite));
    assert_eq!(c.client_write_to(leader, config), Err(SimError::ConfigAsWrite));

    // Down to one voter, and no further.
    let mut c = cluster(3, 4, Settings::default());
    for _ in 0..2 {
        let leader = ready_leader(&mut c);
        let other = c.node(leader).unwrap().raft().members().iter().copied().find(|&n| n != leader).unwrap();
        c.remove_server(other).unwrap();
        c.advance(1_000);
    }
    let leader = ready_leader(&mut c);
    assert_eq!(c.node(leader).unwrap().raft().members(), &[leader]);
    assert_eq!(c.remove_server(leader), Err(SimError::Change(ChangeError::LastVoter(leader))));
    let index = c.client_write(Command::set("x", 1));
    c.advance(200);
    assert!(matches!(c.client_ops()[index as usize].status, OpStatus::Acked { .. }), "a single voter commits alone");
    assert!(c.violations().is_empty());
}

/// The history keeps membership changes: replaying it rebuilds the run bit
/// for bit, and a snapshot taken before a change restores the smaller cluster.
#[test]
fn replay_and_snapshots_keep_membership_changes() {
    let mut c = cluster(3, 9, Settings::default());
    let mut value = 0;
    ready_leader(&mut c);
    let before = c.snapshot(None);
    let (servers, hash) = (c.servers().len(), c.trace_hash());
    c.add_server().unwrap();
    load(&mut c, 1_500, &mut value);
    c.remove_server(NodeId(1)).unwrap();
    load(&mut c, 1_500, &mut value);
    assert!(c.history().iter().any(|(_, a)| *a == Action::AddServer));
    assert!(c.history().iter().any(|(_, a)| *a == Action::RemoveServer { node: NodeId(1) }));
    let replayed = Cluster::replay(c.initial_config().clone(), c.history(), c.now()).unwrap();
    assert_eq!(replayed.trace_hash(), c.trace_hash());
    assert_eq!(replayed.servers().len(), 4);

    let after = c.snapshot(Some(&before));
    before.restore_into(&mut c);
    assert_eq!((c.servers().len(), c.trace_hash()), (servers, hash));
    after.restore_into(&mut c);
    assert_eq!(c.servers().len(), 4);
    load(&mut c, 500, &mut value);
    assert!(c.violations().is_empty());
    // Actions as JSON.
    assert_eq!(serde_json::to_string(&Action::AddServer).unwrap(), r#"{"action":"add_server"}"#);
    let remove: Action = serde_json::from_str(r#"{"action":"remove_server","node":3}"#).unwrap();
    assert_eq!(remove, Action::RemoveServer { node: NodeId(3) });
}

// ----- one node, driven by hand --------------------------------------------------

fn append(from: u8, to: u8, term: u64, prev: (u64, u64), entries: Vec<Entry>, commit: u64) -> Message {
    let body =
        Body::AppendEntries { prev_log_index: prev.0, prev_log_term: prev.1, entries, leader_commit: commit, round: 1 };
    Message { from: NodeId(from), to: NodeId(to), term, body }
}

fn config(index: u64, term: u64, change: Change) -> Entry {
    Entry::new(index, term, Command::Config { change })
}

/// A follower uses the latest configuration in its log, committed or not,
/// and goes back to the one before when a new leader truncates the entry;
/// it handles AppendEntries from a leader its configuration does not list.
#[test]
fn a_follower_uses_the_latest_configuration_in_its_log_committed_or_not() {
    let ids = ids(3);
    let mut n = Node::new(NodeId(2), ids.clone(), Settings::default());
    let mut out = Vec::new();
    n.receive(append(1, 2, 1, (0, 0), vec![config(1, 1, Change::Remove(NodeId(3)))], 0), &mut out);
    assert_eq!(n.members(), &[NodeId(1), NodeId(2)], "uncommitted, but in force");
    // A leader of term 2 (S3, which this log says was removed) overwrites it.
    n.receive(append(3, 2, 2, (0, 0), vec![Entry::new(1, 2, Command::Noop)], 0), &mut out);
    assert_eq!(n.members(), &ids[..], "back to the configuration before");
    assert_eq!(n.leader_hint(), Some(NodeId(3)));
    // A learner, then its promotion; then a restart rereads the log.
    let entries = [config(2, 2, Change::AddLearner(NodeId(4))), config(3, 2, Change::Promote(NodeId(4)))];
    n.receive(append(3, 2, 2, (1, 2), entries[..1].to_vec(), 0), &mut out);
    assert_eq!((n.members(), n.learners()), (&ids[..], &[NodeId(4)][..]));
    n.receive(append(3, 2, 2, (2, 2), entries[1..].to_vec(), 0), &mut out);
    assert_eq!(n.members(), &[NodeId(1), NodeId(2), NodeId(3), NodeId(4)]);
    assert!(n.learners().is_empty());
    assert_eq!(n.config_index(), 3);
    let back = Node::recover(NodeId(2), n.initial_members().to_vec(), Settings::default(), n.persistent());
    assert_eq!((back.members(), back.config_index()), (n.members(), 3));
}

/// A server its own configuration does not list as a voter never stands:
/// its timer running out (or TimeoutNow) only says so.
#[test]
fn a_server_that_is_not_a_voter_does_not_stand() {
    let ids = ids(3);
    let state = persistent(1, None, vec![config(1, 1, Change::AddLearner(NodeId(4)))]);
    for settings in [Settings::default(), Settings::production()] {
        let mut n = Node::recover(NodeId(4), ids.clone(), settings, state.clone());
        let mut out = Vec::new();
        n.election_timeout(&mut out);
        n.receive(Message { from: NodeId(1), to: NodeId(4), term: 1, body: Body::TimeoutNow }, &mut out);
        assert_eq!((n.role(), n.term()), (Role::Follower, 1));
        assert!(
            out.iter().all(|o| matches!(o, Output::Note(Note::Member(MemberNote::NotVoter { learner: true })))),
            "{out:?}"
        );
        assert_eq!(out.len(), 2);
    }
}

/// A candidate counts only the votes of its voters (a vote from a server
/// outside its configuration, however it came, does not make it leader).
#[test]
fn a_candidate_counts_only_its_voters() {
    let ids = ids(3);
    let mut n = Node::new(NodeId(1), ids, Settings::default());
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    let term = n.term();
    let vote =
        |from: u8| Message { from: NodeId(from), to: NodeId(1), term, body: Body::RequestVoteReply { granted: true } };
    n.receive(vote(7), &mut out);
    assert_eq!(n.role(), Role::Candidate);
    n.receive(vote(2), &mut out);
    assert_eq!(n.role(), Role::Leader);
}

/// A voter refuses a candidate its log removes, committed or not (so a
/// removed server never leads again once its removal is committed).
#[test]
fn a_voter_refuses_a_candidate_its_log_removes() {
    let ids = ids(3);
    let state = persistent(1, None, vec![config(1, 1, Change::Remove(NodeId(3)))]);
    let mut n = Node::recover(NodeId(2), ids, Settings::default(), state);
    let mut out = Vec::new();
    let ask = Body::RequestVote { last_log_index: 5, last_log_term: 1, transfer: false };
    n.receive(Message { from: NodeId(3), to: NodeId(2), term: 2, body: ask }, &mut out);
    // The voter's log: the removal, entry 1 of term 1.
    let check = LogCheck { candidate_last_index: 5, candidate_last_term: 1, own_last_index: 1, own_last_term: 1 };
    let refused = Note::RefusedVote { candidate: NodeId(3), term: 2, reason: RefuseReason::Removed, check };
    assert!(out.contains(&Output::Note(refused)), "{out:?}");
    assert_eq!(n.voted_for(), None);
}

/// A server that the latest entry of its log removes, not knowing whether
/// it is committed, still stands (it may be needed to commit it), counting
/// only its voters' votes; once it knows, it never stands again, even after
/// a restart.
#[test]
fn a_server_removed_by_an_uncommitted_entry_stands_without_its_own_vote_until_it_knows() {
    let ids = ids(2);
    let state = persistent(1, None, vec![config(1, 1, Change::Remove(NodeId(1)))]);
    let mut n = Node::recover(NodeId(1), ids.clone(), Settings::default(), state.clone());
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    assert_eq!(n.role(), Role::Candidate, "its configuration is S2 alone: it needs S2's vote");
    assert!(n.votes().is_empty());
    let vote = Message { from: NodeId(2), to: NodeId(1), term: 2, body: Body::RequestVoteReply { granted: true } };
    n.receive(vote, &mut out);
    assert_eq!(n.role(), Role::Leader);
    assert_eq!(n.members(), &[NodeId(2)]);
    // It commits its removal with S2's acknowledgement and steps down for good.
    let mut out = Vec::new();
    let ack = Body::AppendEntriesReply {
        success: true,
        match_index: 2,
        prev_log_index: 0,
        conflict_term: 0,
        conflict_index: 0,
        round: 1,
    };
    n.receive(Message { from: NodeId(2), to: NodeId(1), term: 2, body: ack }, &mut out);
    assert!(out.contains(&Output::Note(Note::Member(MemberNote::LeftCluster { term: 2 }))), "{out:?}");
    assert_eq!(n.role(), Role::Follower);
    let mut back = Node::recover(NodeId(1), ids, Settings::default(), n.persistent());
    for node in [&mut n, &mut back] {
        let mut out = Vec::new();
        node.election_timeout(&mut out);
        assert_eq!(node.role(), Role::Follower);
        assert_eq!(out, vec![Output::Note(Note::Member(MemberNote::NotVoter { learner: false }))]);
    }
}

/// The page's hand-written JSON of every event of a run with membership
/// changes (configuration entries, membership events, the refusal of a
/// removed candidate) is what serde writes.
#[test]
fn membership_events_as_json_are_what_serde_writes() {
    use raft_playground::view::events::events_from;
    let (mut c, gone, _, _) = removed_while_cut_off(Settings::default());
    c.crash(gone).unwrap();
    ready_leader(&mut c);
    c.add_server().unwrap();
    c.advance(2_000);
    let all = c.events();
    let hand = serde_json::to_value(events_from(all, 0, usize::MAX)).unwrap();
    for (i, e) in all.iter().enumerate() {
        assert_eq!(hand[i]["data"], serde_json::to_value(&e.what).unwrap(), "{}", e.text());
    }
    let kinds: Vec<&str> = all
        .iter()
        .filter_map(|e| match &e.what {
            EventData::Member { event, .. } => Some(match event {
                MemberEvent::Joined { .. } => "joined",
                MemberEvent::Committed { .. } => "committed",
                MemberEvent::CaughtUp { .. } => "caught up",
                MemberEvent::LeftCluster { .. } => "left",
                MemberEvent::NotVoter { .. } => "not voter",
                MemberEvent::Disrupts { .. } => "disrupts",
            }),
            _ => None,
        })
        .collect();
    for k in ["joined", "committed", "caught up", "disrupts"] {
        assert!(kinds.contains(&k), "{k} missing: {kinds:?}");
    }
    assert!(all.iter().any(|e| matches!(e.what, EventData::VoteRefused { reason: RefuseReason::Removed, candidate, .. } if candidate == gone)));
}

// ----- scripts and links ---------------------------------------------------------

/// A run of 3 servers that adds two, removes one of the new ones and then the
/// leader, with crashes during the changes.
fn run_with_changes() -> Cluster {
    let mut c = cluster(3, 21, Settings::default());
    let mut value = 0;
    let leader = ready_leader(&mut c);
    load(&mut c, 300, &mut value);
    let s4 = c.add_server().unwrap();
    let victim = c.node_ids().into_iter().find(|&n| n != leader && n != s4).unwrap();
    load(&mut c, 60, &mut value);
    c.crash(victim).unwrap();
    let mut voters = vec![NodeId(1), NodeId(2), NodeId(3), s4];
    load_until_config(&mut c, &voters, &mut value);
    c.restart(victim).unwrap();
    load(&mut c, 300, &mut value);
    ready_leader(&mut c);
    let s5 = c.add_server().unwrap();
    voters.push(s5);
    load_until_config(&mut c, &voters, &mut value);
    ready_leader(&mut c);
    c.remove_server(s4).unwrap();
    voters.retain(|&v| v != s4);
    load_until_config(&mut c, &voters, &mut value);
    let leader = ready_leader(&mut c);
    c.remove_server(leader).unwrap();
    load(&mut c, 60, &mut value);
    let other = voters.iter().copied().find(|&n| n != leader).unwrap();
    c.crash(other).unwrap();
    load(&mut c, 2_000, &mut value);
    c.restart(other).unwrap();
    load(&mut c, 1_000, &mut value);
    let count = |f: fn(&Action) -> bool| c.history().iter().filter(|(_, a)| f(a)).count();
    assert_eq!(count(|a| *a == Action::AddServer), 2);
    assert_eq!(count(|a| matches!(a, Action::RemoveServer { .. })), 2);
    assert_eq!(count(|a| matches!(a, Action::Crash { .. })), 2);
    assert!(c.violations().is_empty(), "{:?}", c.violations());
    c
}

/// Exported as a script, a run with membership changes reads back and runs
/// to the same history and trace hash, and exports to the same text again;
/// packed into a link, it decodes exactly and replays to the same hash.
#[test]
fn a_run_with_membership_changes_goes_through_scripts_and_links() {
    let c = run_with_changes();
    let rec = Recording::of(&c);
    let text = export(&rec);
    assert!(text.contains(" add server\n") && text.contains(" remove S4\n"), "{text}");
    let script = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let report = run(&script).unwrap();
    assert!(report.passed(), "{:?}", report.failures().collect::<Vec<_>>());
    assert_eq!(report.cluster.history(), c.history());
    assert_eq!(report.cluster.trace_hash(), c.trace_hash());
    assert_eq!(export(&Recording::of(&report.cluster)), text);

    let link_text = link::encode(&rec).unwrap();
    let back = link::decode(&link_text).unwrap();
    assert_eq!(back, rec);
    assert_eq!(back.replay().unwrap().trace_hash(), c.trace_hash());
}

fn parse_error(text: &str) -> String {
    parse(text).expect_err(text).to_string()
}

/// A script or a link names only the servers the cluster can have at that
/// point: the first ones and one more for each server added before.
#[test]
fn scripts_and_links_name_only_servers_added_before() {
    assert_eq!(
        parse_error("servers 5\nwait 1s\nremove S7\n"),
        "line 3, column 8: there is no server S7: the cluster has S1 to S5"
    );
    let s = parse("servers 5\nadd server\nremove S6\ncrash S6\nexpect leader S6\nadd server\nremove S7\n").unwrap();
    assert_eq!(s.lines[1].step, Step::Act(Action::RemoveServer { node: NodeId(6) }));
    assert_eq!(s.lines[5].step, Step::Act(Action::RemoveServer { node: NodeId(7) }));
    assert_eq!(
        parse_error("servers 5\nadd server\nexpect leader S7\n"),
        "line 3, column 15: there is no server S7: the cluster has S1 to S6"
    );
    let e = parse_error("servers 7\nadd server\nremove S2\nadd server\nadd server\n");
    assert_eq!(e, "line 5, column 1: a cluster has at most 9 servers, removed ones included");
    assert_eq!(parse_error("add S4"), "line 1, column 5: expected \"server\", as in add server, found \"S4\"");

    let rec = |nodes, history| Recording {
        config: Config { nodes, ..Config::default() },
        history,
        moment: 0,
        trace_hash: None,
    };
    let e = link::encode(&rec(5, vec![(0, Action::RemoveServer { node: NodeId(7) })])).unwrap_err();
    assert!(e.to_string().ends_with("action 1: there is no server S7 in a cluster of 5"), "{e}");
    let added = vec![(0, Action::AddServer), (0, Action::AddServer), (0, Action::RemoveServer { node: NodeId(7) })];
    assert!(link::encode(&rec(5, added)).is_ok());
    let e = link::encode(&rec(8, vec![(0, Action::AddServer), (0, Action::AddServer)])).unwrap_err();
    assert!(e.to_string().ends_with("action 2: a cluster has at most 9 servers, removed ones included"), "{e}");
}

/// What the cluster refuses at run time is a failure of its line, as for the other actions.
#[test]
fn a_membership_change_the_cluster_refuses_fails_its_line() {
    let r = run(&parse("servers 3\nadd server\nremove S2\n").unwrap()).unwrap();
    let f: Vec<String> = r.failures().map(|o| o.to_string()).collect();
    assert_eq!(
        f,
        vec![
            "line 2: add server was refused: no running server is the leader right now",
            "line 3: remove S2 was refused: no running server is the leader right now",
        ]
    );
}

/// Thesis §4.1 with Ongaro's 2015 fix: a new leader changes the configuration
/// only once an entry of its own term is committed (else an older leader's
/// uncommitted change and this one could make two disjoint majorities).
#[test]
fn a_leader_changes_the_configuration_only_after_committing_an_entry_of_its_term() {
    let mut c = cluster(3, 11, Settings::default());
    // The first leader, at the instant it is elected (bounded: a node that
    // never elects one must fail this test, not hang it).
    for _ in 0..5_000 {
        if c.leader().is_some() {
            break;
        }
        c.advance(1);
    }
    let leader = c.leader().expect("a leader within 5 s");
    // Its followers cut off at once: its no-op cannot commit.
    for f in c.servers().iter().map(|s| s.id()).filter(|&id| id != leader).collect::<Vec<_>>() {
        c.disconnect(f).unwrap();
    }
    let term = c.node(leader).unwrap().raft().term();
    c.advance(40);
    assert_eq!(c.leader(), Some(leader));
    let history = c.history().len();
    assert_eq!(c.add_server(), Err(SimError::Change(ChangeError::NotReady)));
    assert_eq!(c.remove_server(NodeId(3)), Err(SimError::Change(ChangeError::NotReady)));
    assert_eq!(c.history().len(), history, "a refused change is not recorded");
    assert_eq!(c.servers().len(), 3);
    // Back together, the leader commits its no-op and may change the configuration.
    for f in [1, 2, 3].map(NodeId).into_iter().filter(|&id| id != leader) {
        c.reconnect(f).unwrap();
    }
    let ready = ready_leader(&mut c);
    assert_eq!((ready, c.node(ready).unwrap().raft().term()), (leader, term));
    assert_eq!(c.add_server(), Ok(NodeId(4)));
}

/// S4, a newcomer to S1 to S3, stores the first `before` of the entries
/// `learner S4` and `+S4` (committed) and `−S4` (which it does not know is
/// committed), crashes, restarts, stores the rest, and its election timer
/// runs out: the node, and what it did then.
fn removed_after_a_restart(before: usize) -> (Node, Vec<Output>) {
    let ids = ids(3);
    let entries = [Change::AddLearner(NodeId(4)), Change::Promote(NodeId(4)), Change::Remove(NodeId(4))];
    let entries: Vec<Entry> = entries.iter().zip(1..).map(|(&c, i)| config(i, 1, c)).collect();
    let mut n = Node::new(NodeId(4), ids.clone(), Settings::default());
    n.open_membership();
    let mut out = Vec::new();
    if before > 0 {
        n.receive(append(1, 4, 1, (0, 0), entries[..before].to_vec(), before as u64), &mut out);
    }
    assert_eq!((n.config_index(), n.commit_index()), (before as u64, before as u64));
    let mut back = Node::recover(NodeId(4), ids, Settings::default(), n.persistent());
    let prev = (before as u64, u64::from(before > 0));
    back.receive(append(1, 4, 1, prev, entries[before..].to_vec(), 2), &mut out);
    assert_eq!((back.commit_index(), back.config_index()), (2, 3));
    let mut out = Vec::new();
    back.election_timeout(&mut out);
    (back, out)
}

/// A learner that crashed after its own addition committed is not a server
/// that knows its removal: promoted, then removed by an entry it does not
/// know is committed, it still stands (thesis §4.2.2), as a voter never
/// restarted would.
#[test]
fn a_learner_restarted_after_joining_may_still_stand_once_a_removal_is_uncommitted() {
    let (back, out) = removed_after_a_restart(1);
    assert_eq!(back.role(), Role::Candidate, "{out:?}");
}

/// A leader's refusals, rule by rule, on one node driven by hand (a cluster
/// of one, which commits its own entries at once): a server already in the
/// configuration is not added again, only a learner is promoted, and while
/// a learner catches up no other change begins (its own promotion or
/// removal may).
#[test]
fn a_leader_refuses_changes_that_do_not_fit_its_configuration() {
    let mut n = Node::new(NodeId(1), vec![NodeId(1)], Settings::default());
    n.open_membership();
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    assert_eq!(n.role(), Role::Leader);
    assert_eq!(n.check_change(Change::AddLearner(NodeId(1))), Err(ChangeError::AlreadyMember(NodeId(1))));
    assert_eq!(n.check_change(Change::Promote(NodeId(5))), Err(ChangeError::NotMember(NodeId(5))));
    assert_eq!(n.check_change(Change::Promote(NodeId(1))), Err(ChangeError::NotMember(NodeId(1))));
    assert_eq!(n.check_change(Change::Remove(NodeId(5))), Err(ChangeError::NotMember(NodeId(5))));
    assert_eq!(n.check_change(Change::Remove(NodeId(1))), Err(ChangeError::LastVoter(NodeId(1))));
    assert_eq!(n.check_change(Change::AddLearner(NodeId(2))), Ok(()));
    n.change_config(Change::AddLearner(NodeId(2)), &mut out).unwrap();
    assert_eq!((n.learners(), n.config_index() <= n.commit_index()), (&[NodeId(2)][..], true));
    assert_eq!(n.check_change(Change::AddLearner(NodeId(3))), Err(ChangeError::CatchingUp(NodeId(2))));
    assert_eq!(n.check_change(Change::Remove(NodeId(1))), Err(ChangeError::CatchingUp(NodeId(2))));
    assert_eq!(n.check_change(Change::Promote(NodeId(2))), Ok(()));
    assert_eq!(n.check_change(Change::Remove(NodeId(2))), Ok(()));
}

// ----- rules the mutation run of the membership files asked for (issue 14) ---------

/// S1, leader of term 1 of S1 to S3 with its no-op committed (S2 acknowledged
/// it), driven by hand; the outputs of getting there are dropped.
fn leader_of_three() -> Node {
    leader_of_three_with(Settings::default())
}

/// [`leader_of_three`] with `settings`.
fn leader_of_three_with(settings: Settings) -> Node {
    let ids = ids(3);
    let mut n = Node::new(NodeId(1), ids, settings);
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    n.receive(
        Message { from: NodeId(2), to: NodeId(1), term: 1, body: Body::RequestVoteReply { granted: true } },
        &mut out,
    );
    n.receive(ack(2, 1, 1), &mut out);
    assert_eq!((n.role(), n.commit_index()), (Role::Leader, 1));
    n
}

/// `from`'s successful answer to AppendEntries, storing up to `match_index`.
fn ack(from: u8, term: u64, match_index: u64) -> Message {
    let body = Body::AppendEntriesReply {
        success: true,
        match_index,
        prev_log_index: 0,
        conflict_term: 0,
        conflict_index: 0,
        round: 1,
    };
    Message { from: NodeId(from), to: NodeId(1), term, body }
}

/// The servers `out` sends AppendEntries to, in order.
fn appends_to(out: &[Output]) -> Vec<NodeId> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(m) if matches!(m.body, Body::AppendEntries { .. }) => Some(m.to),
            _ => None,
        })
        .collect()
}

/// The sentences a visitor reads: the event feed names each configuration
/// entry by its change (`learner S4`, `+S4`, `−S3`), and a refused change
/// says which server (or entry) is in the way and why.
#[test]
fn the_feed_and_the_refusals_tell_membership_changes_in_words() {
    let mut c = cluster(3, 5, Settings::default());
    let mut value = 0;
    let leader = ready_leader(&mut c);
    let s4 = c.add_server().unwrap();
    let index = c.node(leader).unwrap().raft().config_index();
    assert_eq!(
        c.remove_server(NodeId(2)).unwrap_err().to_string(),
        format!("the configuration change at index {index} is not committed yet: one change at a time")
    );
    load_until_config(&mut c, &[NodeId(1), NodeId(2), NodeId(3), s4], &mut value);
    let leader = ready_leader(&mut c);
    let gone = [NodeId(1), NodeId(2), NodeId(3)].into_iter().find(|&n| n != leader).unwrap();
    c.remove_server(gone).unwrap();
    c.advance(1_000);
    let texts: Vec<String> = c.events().iter().map(|e| e.text()).collect();
    for change in [format!("learner {s4}"), format!("+{s4}"), format!("−{gone}")] {
        for said in
            [format!("the configuration entry {change} at index"), format!("the configuration change {change} (index")]
        {
            assert!(texts.iter().any(|t| t.contains(&said)), "no event says {said:?}: {texts:#?}");
        }
    }

    // A leader's refusals, on one node driven by hand.
    let mut n = Node::new(NodeId(1), vec![NodeId(1)], Settings::default());
    n.open_membership();
    let mut out = Vec::new();
    let refusal = |n: &Node, change| n.check_change(change).unwrap_err().to_string();
    assert_eq!(refusal(&n, Change::AddLearner(NodeId(2))), "only the leader changes the configuration");
    n.election_timeout(&mut out);
    assert_eq!(refusal(&n, Change::AddLearner(NodeId(1))), "S1 is already in the configuration");
    assert_eq!(refusal(&n, Change::Remove(NodeId(5))), "S5 is not in the configuration");
    assert_eq!(refusal(&n, Change::Remove(NodeId(1))), "S1 is the last voter: removing it would leave no one to lead");
    n.change_config(Change::AddLearner(NodeId(2)), &mut out).unwrap();
    assert_eq!(
        refusal(&n, Change::AddLearner(NodeId(3))),
        "S2 is still catching up as a learner: one change at a time"
    );
    let mut follower = Node::new(NodeId(2), vec![NodeId(1), NodeId(2)], Settings::default());
    follower.receive(append(1, 2, 1, (0, 0), vec![], 0), &mut out);
    assert_eq!(refusal(&follower, Change::Remove(NodeId(1))), "only the leader changes the configuration (S1 leads)");
}

/// Removing a learner ends its add: it is no longer a learner, the leader
/// does not promote it, and the next change may begin.
#[test]
fn removing_a_learner_ends_its_add() {
    let mut n = Node::new(NodeId(1), vec![NodeId(1)], Settings::default());
    n.open_membership();
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    n.change_config(Change::AddLearner(NodeId(2)), &mut out).unwrap();
    n.change_config(Change::Remove(NodeId(2)), &mut out).unwrap();
    assert_eq!((n.members(), n.learners()), (&[NodeId(1)][..], &[][..]));
    let mut out = Vec::new();
    n.receive(ack(2, 1, n.last_index()), &mut out);
    assert_eq!(n.config_index(), n.last_index(), "no promotion: {out:?}");
    assert_eq!(n.check_change(Change::AddLearner(NodeId(3))), Ok(()));
}

/// Reading a log, an entry that adds a server already in the configuration
/// (a voter, or a learner already) changes nothing: no server is both a
/// voter and a learner, and none is a learner twice. (A leader never writes
/// such an entry, `check_change` refuses it; a follower reads what it gets.)
#[test]
fn an_entry_adding_a_server_already_in_the_configuration_changes_nothing() {
    let ids = ids(3);
    let entries = vec![
        config(1, 1, Change::AddLearner(NodeId(2))),
        config(2, 1, Change::AddLearner(NodeId(4))),
        config(3, 1, Change::AddLearner(NodeId(4))),
    ];
    let mut n = Node::new(NodeId(3), ids.clone(), Settings::default());
    let mut out = Vec::new();
    n.receive(append(1, 3, 1, (0, 0), entries, 0), &mut out);
    assert_eq!((n.members(), n.learners(), n.config_index()), (&ids[..], &[NodeId(4)][..], 3));
}

/// A server removed and then added back (a learner, then promoted) is a
/// voter again: the entry that once removed it, still in the log, no longer
/// costs it votes. (The simulator never reuses a number; the node allows it.)
#[test]
fn a_server_added_back_after_its_removal_gets_votes_again() {
    let ids = ids(3);
    let log = vec![
        config(1, 1, Change::Remove(NodeId(3))),
        config(2, 1, Change::AddLearner(NodeId(3))),
        config(3, 1, Change::Promote(NodeId(3))),
    ];
    let mut n = Node::recover(NodeId(2), ids.clone(), Settings::default(), persistent(1, None, log));
    assert_eq!(n.members(), &ids[..]);
    let mut out = Vec::new();
    let ask = Body::RequestVote { last_log_index: 3, last_log_term: 1, transfer: false };
    n.receive(Message { from: NodeId(3), to: NodeId(2), term: 2, body: ask }, &mut out);
    assert_eq!(n.voted_for(), Some(NodeId(3)), "{out:?}");
}

/// A newcomer that crashed before it heard from the leader (an empty log,
/// no configuration entry) has not been removed: restarted, it joins, is
/// promoted, and when an entry it does not know is committed removes it,
/// it still stands (thesis §4.2.2), like any voter.
#[test]
fn a_newcomer_restarted_before_it_heard_from_the_leader_has_not_been_removed() {
    let (back, out) = removed_after_a_restart(0);
    assert_eq!(back.role(), Role::Candidate, "{out:?}");
}

/// A leader sends the log to a server it removes until the removal commits
/// (the entry itself, so that the server normally learns of it), then one
/// last AppendEntries with the new commit index, and nothing after that.
#[test]
fn a_leader_sends_the_log_to_a_server_it_removes_until_the_removal_commits_then_one_last_word() {
    let mut n = leader_of_three();
    let mut out = Vec::new();
    let index = n.change_config(Change::Remove(NodeId(3)), &mut out).unwrap();
    assert_eq!(appends_to(&out), [NodeId(2), NodeId(3)], "the entry goes to S3 too");
    let mut out = Vec::new();
    n.heartbeat_timeout(&mut out);
    assert_eq!(appends_to(&out), [NodeId(2), NodeId(3)], "uncommitted: S3 still gets the log");
    let mut out = Vec::new();
    n.receive(ack(2, 1, index), &mut out);
    assert_eq!(n.commit_index(), index);
    let last: Vec<&Message> = out
        .iter()
        .filter_map(|o| match o {
            Output::Send(m) if m.to == NodeId(3) => Some(m),
            _ => None,
        })
        .collect();
    assert!(
        matches!(last[..], [Message { body: Body::AppendEntries { leader_commit, .. }, .. }] if *leader_commit == index),
        "{out:?}"
    );
    for _ in 0..3 {
        let mut out = Vec::new();
        n.heartbeat_timeout(&mut out);
        assert_eq!(appends_to(&out), [NodeId(2)], "committed: S3 gets nothing more");
    }
}

/// A leader whose own removal commits steps down without a last word to
/// itself: the last AppendEntries goes to a removed follower, and no node
/// ever sends a message to itself.
#[test]
fn a_leader_whose_removal_commits_sends_nothing_to_itself() {
    let mut n = leader_of_three();
    let mut out = Vec::new();
    let index = n.change_config(Change::Remove(NodeId(1)), &mut out).unwrap();
    let mut out = Vec::new();
    // The new configuration is S2 and S3: it takes both.
    n.receive(ack(2, 1, index), &mut out);
    n.receive(ack(3, 1, index), &mut out);
    assert!(out.contains(&Output::Note(Note::Member(MemberNote::LeftCluster { term: 1 }))), "{out:?}");
    assert_eq!(n.role(), Role::Follower);
    let to_self: Vec<&Output> = out.iter().filter(|o| matches!(o, Output::Send(m) if m.to == NodeId(1))).collect();
    assert!(to_self.is_empty(), "{to_self:?}");
}

/// A newcomer whose first entries hold a committed configuration entry that
/// is not its own addition (a first batch, or a snapshot taken before it was
/// added) has not been removed: restarted then, added, promoted, and removed
/// by an entry it does not know is committed, it still stands (thesis
/// §4.2.2). (It once took any committed configuration leaving it out for its
/// removal, kept that across the restart, and never stood again: chaos seed
/// 3781 of log compaction with membership changes, no leader after the heal.)
#[test]
fn a_newcomer_whose_first_entries_do_not_add_it_has_not_been_removed() {
    let ids = ids(3);
    let changes = [
        Change::Remove(NodeId(3)),
        Change::AddLearner(NodeId(4)),
        Change::Promote(NodeId(4)),
        Change::Remove(NodeId(4)),
    ];
    let entries: Vec<Entry> = changes.iter().zip(1..).map(|(&c, i)| config(i, 1, c)).collect();
    let mut n = Node::new(NodeId(4), ids.clone(), Settings::default());
    n.open_membership();
    let mut out = Vec::new();
    n.receive(append(1, 4, 1, (0, 0), entries[..1].to_vec(), 1), &mut out);
    assert_eq!((n.config_index(), n.commit_index()), (1, 1));
    let mut back = Node::recover(NodeId(4), ids, Settings::default(), n.persistent());
    back.receive(append(1, 4, 1, (1, 1), entries[1..].to_vec(), 3), &mut out);
    assert_eq!((back.commit_index(), back.config_index()), (3, 4));
    let mut out = Vec::new();
    back.election_timeout(&mut out);
    assert_eq!(back.role(), Role::Candidate, "{out:?}");
}

/// A leader sends a server it removes nothing past the entry removing it,
/// and that server's answer showing it stores everything up to the entry
/// gets no new request, batch limit or not: nothing was held back from it.
/// (With `max_entries_per_append` set, the leader measured "held back"
/// against its whole log, sent an empty AppendEntries on every such answer,
/// and the two exchanged them forever; on a zero-latency network all within
/// one virtual instant: chaos seed 1115 of membership with the production
/// options grew to 23.7 GB.)
#[test]
fn a_server_being_removed_that_stores_its_removal_has_nothing_held_back() {
    let mut n =
        leader_of_three_with(Settings { max_entries_per_append: std::num::NonZeroU64::new(1), ..Settings::default() });
    let mut out = Vec::new();
    let index = n.change_config(Change::Remove(NodeId(3)), &mut out).unwrap();
    assert_eq!(n.propose(Command::set("x", 1), &mut out), Ok(index + 1));
    let mut out = Vec::new();
    n.receive(ack(3, 1, index), &mut out);
    assert_eq!(appends_to(&out), [], "{out:?}");
    let mut out = Vec::new();
    n.heartbeat_timeout(&mut out);
    let to_s3: Vec<&Body> = out
        .iter()
        .filter_map(|o| match o {
            Output::Send(m) if m.to == NodeId(3) => Some(&m.body),
            _ => None,
        })
        .collect();
    assert!(
        matches!(to_s3[..], [Body::AppendEntries { prev_log_index, entries, .. }] if *prev_log_index == index && entries.is_empty()),
        "{out:?}"
    );
}

/// A new leader whose log goes past the removal of a server sends that server
/// the log only up to the removal; when the server lacks it, its rejection
/// must back the leader up (not be taken for the answer to another request),
/// or the server never hears of its removal and stands again and again.
#[test]
fn a_new_leader_backs_up_a_server_being_removed_that_lacks_its_removal() {
    let entry = |index, command| Entry { index, term: 1, command, client: None };
    let log = vec![
        entry(1, Command::Noop),
        entry(2, Command::Config { change: Change::Remove(NodeId(3)) }),
        entry(3, Command::set("x", 1)),
    ];
    let ids = ids(3);
    let mut n = Node::recover(NodeId(1), ids, Settings::default(), persistent(1, None, log));
    let mut out = Vec::new();
    n.election_timeout(&mut out);
    let term = n.term();
    n.receive(
        Message { from: NodeId(2), to: NodeId(1), term, body: Body::RequestVoteReply { granted: true } },
        &mut out,
    );
    assert_eq!(n.role(), Role::Leader);
    let prev_to_s3 = |out: &[Output]| {
        out.iter()
            .filter_map(|o| match o {
                Output::Send(m) if m.to == NodeId(3) => match &m.body {
                    Body::AppendEntries { prev_log_index, .. } => Some(*prev_log_index),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Vec<u64>>()
    };
    assert_eq!(prev_to_s3(&out), [2], "the log up to the removal only: {out:?}");
    // S3's log is empty: it rejects, and the leader steps back.
    let reject = Body::AppendEntriesReply {
        success: false,
        match_index: 0,
        prev_log_index: 2,
        conflict_term: 0,
        conflict_index: 1,
        round: 1,
    };
    let mut out = Vec::new();
    n.receive(Message { from: NodeId(3), to: NodeId(1), term, body: reject }, &mut out);
    let mut later = Vec::new();
    n.heartbeat_timeout(&mut later);
    out.extend(later);
    assert!(prev_to_s3(&out).iter().any(|&p| p < 2), "the leader backs up toward S3's log: {out:?}");
}

/// A configuration entry is reported committed once, when the commit index
/// passes it, and the removed server gets its last word then: a later commit
/// (the next write's) says neither again.
#[test]
fn a_configuration_entry_is_reported_committed_once() {
    let committed = |out: &[Output]| {
        out.iter().filter(|o| matches!(o, Output::Note(Note::Member(MemberNote::Committed { .. })))).count()
    };
    let mut n = leader_of_three_with(Settings::default());
    let mut out = Vec::new();
    let index = n.change_config(Change::Remove(NodeId(3)), &mut out).unwrap();
    let mut out = Vec::new();
    n.receive(ack(2, 1, index), &mut out);
    assert_eq!((n.commit_index(), committed(&out)), (index, 1), "{out:?}");
    assert!(appends_to(&out).contains(&NodeId(3)), "the last word to S3: {out:?}");
    assert_eq!(n.propose(Command::set("x", 1), &mut out), Ok(index + 1));
    let mut out = Vec::new();
    n.receive(ack(2, 1, index + 1), &mut out);
    assert_eq!((n.commit_index(), committed(&out)), (index + 1, 0), "{out:?}");
    assert!(!appends_to(&out).contains(&NodeId(3)), "no second last word: {out:?}");
}

/// The feed tells a leader removing itself in plain words: it removes
/// itself and leads on until the entry commits (not "S5 still sends it the
/// log"), then steps down once its removal is committed.
#[test]
fn the_feed_tells_a_leader_removing_itself_in_plain_words() {
    let mut c = cluster(5, 8, Settings::default());
    let leader = ready_leader(&mut c);
    c.client_write(Command::set("x", 1));
    c.advance(300);
    let from = c.events().len();
    c.remove_server(leader).unwrap();
    let term = c.node(leader).unwrap().term();
    c.advance(1_500);
    let texts: Vec<String> = c.events()[from..].iter().map(|e| e.text()).collect();
    let appended = texts.iter().find(|t| t.contains("appended the configuration entry")).expect("the entry");
    assert!(
        appended.ends_with(&format!(
            "committed or not; {leader} removes itself: it leads on until the entry commits, but no longer counts itself toward a majority"
        )),
        "{appended}"
    );
    let left = format!(
        "{leader}'s removal is committed: it steps down as leader of term {term} and, no longer a voter, never stands for election again"
    );
    assert!(texts.contains(&left), "{texts:#?}");
}

/// Whether the cluster's membership changes is persistent state: a node
/// that knew it (its runner said so, its log holds no configuration entry
/// yet) and restarts from `Node::persistent()` still hears a leader its
/// configuration does not list (a new one it has not heard of), where a
/// node of a fixed cluster ignores it.
#[test]
fn a_node_restarted_from_its_persistent_state_still_knows_the_membership_changes() {
    let heard = |n: &mut Node| {
        let mut out = Vec::new();
        n.receive(append(4, 2, 1, (0, 0), vec![], 0), &mut out);
        out.iter().any(|o| matches!(o, Output::Send(m) if m.to == NodeId(4)))
    };
    let mut n = Node::new(NodeId(2), ids(3), Settings::default());
    let mut fixed = Node::recover(NodeId(2), ids(3), Settings::default(), n.persistent());
    assert!(!heard(&mut fixed), "a fixed cluster hears only its members");
    n.open_membership();
    let mut back = Node::recover(NodeId(2), ids(3), Settings::default(), n.persistent());
    assert!(back.membership_open());
    assert!(heard(&mut back), "it answers S4");
}
