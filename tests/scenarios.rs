//! Whole-cluster scenarios on the simulator, one per situation the seed text
//! and the Raft paper describe. Each asserts what the cluster does, and that
//! the safety monitor saw nothing wrong.

use raft_playground::raft::Settings;
use raft_playground::sim::*;

mod common;
use common::{run_until, s, wait_leader};

fn cluster(seed: u64) -> Cluster {
    Cluster::new(Config { seed, ..Config::default() }).unwrap()
}

fn cluster_with(cfg: Config) -> Cluster {
    Cluster::new(cfg).unwrap()
}

/// Forces `id`'s election timeout until it leads (each try is a new, higher term).
fn elect(c: &mut Cluster, id: NodeId) {
    for _ in 0..30 {
        c.timeout_now(id).unwrap();
        if run_until(c, 120, |c| c.node(id).unwrap().role() == Role::Leader) {
            return;
        }
    }
    panic!("{id} did not win an election");
}

fn no_violations(c: &Cluster) {
    assert!(c.violations().is_empty(), "violations: {:#?}", c.violations());
}

fn all_up(c: &Cluster) -> Vec<NodeId> {
    c.node_ids().into_iter().filter(|&n| c.node(n).unwrap().is_up()).collect()
}

fn log_terms(c: &Cluster, n: NodeId) -> Vec<u64> {
    c.node(n).unwrap().log().iter().map(|e| e.term).collect()
}

fn has_event(c: &Cluster, what: impl Fn(&EventData) -> bool) -> bool {
    c.events().iter().any(|e| what(&e.what))
}

#[test]
fn initial_election_one_leader_that_everyone_follows() {
    for seed in 1..=20 {
        let mut c = cluster(seed);
        let l = wait_leader(&mut c);
        c.advance(300);
        assert_eq!(c.leader(), Some(l), "seed {seed}: the leader stays while nothing fails");
        let term = c.node(l).unwrap().term();
        for n in c.node_ids() {
            let node = c.node(n).unwrap();
            assert_eq!(node.term(), term, "seed {seed}: everyone is in the leader's term");
            if n != l {
                assert_eq!(node.role(), Role::Follower);
                assert_eq!(node.raft().leader_hint(), Some(l));
            }
        }
        let leaders: Vec<_> = c.node_ids().into_iter().filter(|&n| c.node(n).unwrap().role() == Role::Leader).collect();
        assert_eq!(leaders, vec![l]);
        assert!(has_event(
            &c,
            |e| matches!(e, EventData::LeaderElected { node, term: t, .. } if *node == l && *t == term)
        ));
        no_violations(&c);
    }
}

#[test]
fn a_new_leader_is_elected_after_the_leader_crashes() {
    for seed in 1..=20 {
        let mut c = cluster(seed);
        let old = wait_leader(&mut c);
        let old_term = c.node(old).unwrap().term();
        c.crash(old).unwrap();
        let new = wait_leader(&mut c);
        assert_ne!(new, old, "seed {seed}");
        assert!(c.node(new).unwrap().term() > old_term);
        // The old leader comes back as a follower of the new term.
        c.restart(old).unwrap();
        c.advance(500);
        assert_eq!(c.leader(), Some(new));
        assert_eq!(c.node(old).unwrap().role(), Role::Follower);
        assert_eq!(c.node(old).unwrap().term(), c.node(new).unwrap().term());
        no_violations(&c);
    }
}

#[test]
fn no_leader_without_a_majority() {
    let mut c = cluster(3);
    let l = wait_leader(&mut c);
    // Crash the leader and two more: two of five servers are left.
    let mut crashed = vec![l];
    for n in c.node_ids() {
        if crashed.len() < 3 && n != l {
            crashed.push(n);
        }
    }
    for &n in &crashed {
        c.crash(n).unwrap();
    }
    let term_before: u64 = all_up(&c).iter().map(|&n| c.node(n).unwrap().term()).max().unwrap();
    c.advance(10_000);
    assert_eq!(c.leader(), None, "two of five cannot elect anyone");
    let term_after: u64 = all_up(&c).iter().map(|&n| c.node(n).unwrap().term()).max().unwrap();
    assert!(term_after > term_before + 5, "they keep trying, term after term");
    // A write through the client cannot be acknowledged.
    let op = c.client_write(Command::set("x", 1));
    c.advance(3_000);
    assert!(c.client_ops()[op as usize].is_pending());
    // With a third server back, a leader appears and the write goes through.
    c.restart(crashed[2]).unwrap();
    wait_leader(&mut c);
    assert!(run_until(&mut c, 5_000, |c| c.client_ops()[op as usize].is_acked()));
    no_violations(&c);
}

#[test]
fn a_minority_partition_elects_no_leader_the_majority_does() {
    let mut c = cluster(11);
    let l = wait_leader(&mut c);
    let others: Vec<NodeId> = c.node_ids().into_iter().filter(|&n| n != l).collect();
    let minority = vec![l, others[0]];
    let majority = others[1..].to_vec();
    c.partition(&[minority.clone(), majority.clone()]).unwrap();
    assert!(run_until(&mut c, 5_000, |c| c.leader().is_some_and(|x| majority.contains(&x))));
    c.advance(3_000);
    let new = c.leader().unwrap();
    assert!(majority.contains(&new));
    // The minority never got a leader of a newer term.
    for &n in &minority {
        let node = c.node(n).unwrap();
        assert!(node.role() != Role::Leader || node.term() < c.node(new).unwrap().term());
    }
    no_violations(&c);
}

#[test]
fn a_follower_that_comes_back_catches_up_without_a_hole() {
    let mut c = cluster(5);
    let l = wait_leader(&mut c);
    let f = c.node_ids().into_iter().find(|&n| n != l).unwrap();
    c.advance(200); // f has matched the leader's log: the leader streams new entries to it
    assert!(!c.node(l).unwrap().progress(f).unwrap().probing);
    c.crash(f).unwrap();
    for i in 0..6 {
        c.submit(l, Command::set("k", i)).unwrap();
        c.advance(30);
    }
    c.advance(300);
    let leader_len = c.node(l).unwrap().log().len();
    assert!(c.node(f).unwrap().log().len() < leader_len);
    c.restart(f).unwrap();
    assert!(run_until(&mut c, 2_000, |c| c.node(f).unwrap().log() == c.node(l).unwrap().log()));
    let fl = c.node(f).unwrap();
    // No hole: indexes run 1, 2, 3, ... and the state machine caught up too.
    assert!(fl.log().iter().enumerate().all(|(i, e)| e.index == i as u64 + 1));
    assert!(run_until(&mut c, 500, |c| c.node(f).unwrap().raft().kv().get("k") == Some(&5)));
    // It got there the seed's way: rejections, then retries one entry further back.
    assert!(has_event(
        &c,
        |e| matches!(e, EventData::AppendRejected { node, leader, .. } if (*node, *leader) == (f, l))
    ));
    let retries = c
        .events()
        .iter()
        .filter(|e| matches!(e.what, EventData::BackedUp { node, follower, .. } if (node, follower) == (l, f)))
        .count();
    assert!(retries >= 6, "one step back per missing entry, got {retries}");
    no_violations(&c);
}

#[test]
fn a_stale_leader_in_the_minority_cannot_commit_and_its_entries_are_overwritten() {
    let mut c = cluster(21);
    let old = wait_leader(&mut c);
    c.submit(old, Command::set("a", 1)).unwrap();
    c.advance(300);
    let committed = c.node(old).unwrap().commit_index();
    let others: Vec<NodeId> = c.node_ids().into_iter().filter(|&n| n != old).collect();
    let minority = vec![old, others[0]];
    let majority = others[1..].to_vec();
    c.partition(&[minority.clone(), majority.clone()]).unwrap();
    // The old leader still believes it leads and takes writes it can never commit.
    let i1 = c.submit(old, Command::set("stale", 1)).unwrap();
    let i2 = c.submit(old, Command::set("stale", 2)).unwrap();
    assert_eq!((i1, i2), (committed + 1, committed + 2));
    let new = {
        assert!(run_until(&mut c, 5_000, |c| c.leader().is_some_and(|x| majority.contains(&x))));
        c.leader().unwrap()
    };
    c.submit(new, Command::set("fresh", 1)).unwrap();
    c.advance(2_000);
    assert_eq!(c.node(old).unwrap().role(), Role::Leader, "it does not know it was replaced");
    assert_eq!(c.node(old).unwrap().commit_index(), committed, "and it commits nothing new");
    assert!(c.node(old).unwrap().log().len() as u64 >= i2);
    // After the heal it steps down and its uncommitted entries are replaced by the new leader's.
    c.heal();
    assert!(run_until(&mut c, 3_000, |c| c.node(old).unwrap().log() == c.node(new).unwrap().log()));
    assert_eq!(c.node(old).unwrap().role(), Role::Follower);
    let log = c.node(old).unwrap().log().to_vec();
    assert!(!log.iter().any(|e| e.command == Command::set("stale", 1) || e.command == Command::set("stale", 2)));
    assert!(log.iter().any(|e| e.command == Command::set("fresh", 1)));
    assert!(has_event(&c, |e| matches!(e, EventData::Truncated { node, .. } if *node == old)));
    assert!(run_until(&mut c, 1_000, |c| c.node(old).unwrap().raft().kv().get("fresh") == Some(&1)));
    assert_eq!(c.node(old).unwrap().raft().kv().get("stale"), None);
    no_violations(&c);
}

/// Figure 8 of the Raft paper, played out with partitions and crashes. With no
/// no-op entries, the leader of term 4 holds an entry of term 2 that a majority
/// stores; it must not count it as committed, because the leader of a later
/// term may legally overwrite it.
fn figure_8(unsafe_commit: bool) -> Cluster {
    let raft = Settings { leader_noop: false, unsafe_commit_old_terms: unsafe_commit, ..Settings::default() };
    let mut c = cluster_with(Config { seed: 8, raft, ..Config::default() });
    let all: Vec<NodeId> = c.node_ids();
    // (a) S1 leads; "a" commits everywhere; then "b" reaches S2 only.
    elect(&mut c, s(1));
    c.submit(s(1), Command::set("a", 1)).unwrap();
    c.advance(300);
    assert!(all.iter().all(|&n| c.node(n).unwrap().commit_index() == 1));
    c.partition(&[vec![s(1), s(2)], vec![s(3), s(4), s(5)]]).unwrap();
    c.submit(s(1), Command::set("b", 2)).unwrap();
    c.advance(100);
    let t_b = c.node(s(1)).unwrap().term();
    assert_eq!(log_terms(&c, s(2)), vec![t_b, t_b]);
    // (b) S1 crashes; S5 is elected by S3, S4, S5 and appends "c" at index 2, on S5 only.
    c.crash(s(1)).unwrap();
    elect(&mut c, s(5));
    c.partition(&[vec![s(5)], vec![s(2), s(3), s(4)]]).unwrap();
    c.submit(s(5), Command::set("c", 3)).unwrap();
    let t_c = c.node(s(5)).unwrap().term();
    assert!(t_c > t_b);
    // (c) S5 crashes; S1 restarts and is elected with S2 and S3; it copies "b" to S3.
    c.crash(s(5)).unwrap();
    c.restart(s(1)).unwrap();
    c.partition(&[vec![s(1), s(2), s(3)], vec![s(4)]]).unwrap();
    elect(&mut c, s(1));
    assert!(run_until(&mut c, 1_000, |c| log_terms(c, s(3)).len() == 2));
    assert_eq!(log_terms(&c, s(3)), vec![t_b, t_b], "'b' (term {t_b}) is now on S1, S2, S3: a majority");
    c.advance(300);
    if !unsafe_commit {
        for n in [s(1), s(2), s(3)] {
            assert!(c.node(n).unwrap().commit_index() < 2, "{n}: an old-term entry is never committed by counting");
        }
    }
    // (d) S1 crashes; S5 restarts and wins with S2, S3, S4 (its last term is newer);
    // it overwrites "b" everywhere with "c".
    c.crash(s(1)).unwrap();
    c.restart(s(5)).unwrap();
    c.partition(&[vec![s(2), s(3), s(4), s(5)]]).unwrap();
    elect(&mut c, s(5));
    c.submit(s(5), Command::set("d", 4)).unwrap();
    c.advance(500);
    c
}

#[test]
fn figure_8_an_old_term_entry_on_a_majority_is_not_committed_and_may_be_overwritten() {
    let c = figure_8(false);
    for n in [s(2), s(3), s(4), s(5)] {
        let log = c.node(n).unwrap().log();
        assert_eq!(log[1].command, Command::set("c", 3), "{n}: index 2 now holds the term-3 entry");
        assert!(c.node(n).unwrap().commit_index() >= 3);
    }
    no_violations(&c);
}

#[test]
fn figure_8_with_the_break_raft_switch_the_monitor_catches_it() {
    let c = figure_8(true);
    let props: Vec<Property> = c.violations().iter().map(|v| v.property).collect();
    assert!(props.contains(&Property::LeaderCompleteness), "{:#?}", c.violations());
    assert!(props.contains(&Property::StateMachineSafety), "{:#?}", c.violations());
    let v = c.violations().iter().find(|v| v.property == Property::LeaderCompleteness).unwrap();
    assert!(v.nodes.contains(&s(5)));
    assert_eq!(v.index, Some(2));
    assert!(v.explanation.contains("without the committed entry 2"), "{}", v.explanation);
    assert!(c.events().iter().any(|e| e.kind() == EventKind::Violation));
}

/// A follower misses three committed writes while crashed; then the leader
/// crashes and the follower restarts, out of date. Returns the stale server.
fn a_stale_server_comes_back_as_the_leader_goes(c: &mut Cluster) -> NodeId {
    let l = wait_leader(c);
    let stale = c.node_ids().into_iter().find(|&n| n != l).unwrap();
    c.crash(stale).unwrap();
    for i in 0..3 {
        c.submit(l, Command::set("x", i)).unwrap();
    }
    c.advance(300);
    c.crash(l).unwrap();
    c.restart(stale).unwrap();
    stale
}

#[test]
fn an_out_of_date_server_never_wins_an_election() {
    let mut c = cluster(31);
    let stale = a_stale_server_comes_back_as_the_leader_goes(&mut c);
    // It times out again and again before anyone can bring it up to date.
    for _ in 0..10 {
        c.timeout_now(stale).unwrap();
        c.advance(25);
        assert_ne!(c.node(stale).unwrap().role(), Role::Leader);
    }
    assert!(has_event(
        &c,
        |e| matches!(e, EventData::VoteRefused { candidate, reason: RefuseReason::LogBehind, .. } if *candidate == stale)
    ));
    let new = wait_leader(&mut c);
    assert_ne!(new, stale);
    assert!(run_until(&mut c, 2_000, |c| c.node(stale).unwrap().log() == c.node(new).unwrap().log()));
    no_violations(&c);
}

#[test]
fn without_the_up_to_date_check_a_stale_server_wins_and_the_monitor_catches_it() {
    let raft = Settings { unsafe_skip_vote_log_check: true, ..Settings::default() };
    let mut c = cluster_with(Config { seed: 31, raft, ..Config::default() });
    let stale = a_stale_server_comes_back_as_the_leader_goes(&mut c);
    elect(&mut c, stale);
    c.advance(500);
    assert!(c.violations().iter().any(|v| v.property == Property::LeaderCompleteness), "{:#?}", c.violations());
}

#[test]
fn leadership_transfer_hands_over_to_the_chosen_server() {
    for seed in 1..=10 {
        let mut c = cluster(seed);
        let l = wait_leader(&mut c);
        let target = c.node_ids().into_iter().find(|&n| n != l).unwrap();
        c.transfer_leadership(target).unwrap();
        // No writes while the transfer is under way.
        assert_eq!(c.submit(l, Command::set("x", 1)), Err(SimError::Transferring(l)));
        assert!(run_until(&mut c, 1_000, |c| c.leader() == Some(target)), "seed {seed}");
        assert!(has_event(
            &c,
            |e| matches!(e, EventData::ElectionStarted { node, reason: ElectionReason::TimeoutNow, .. } if *node == target)
        ));
        assert_eq!(c.node(l).unwrap().role(), Role::Follower);
        no_violations(&c);
    }
}

#[test]
fn leadership_transfer_brings_a_lagging_target_up_to_date_first() {
    let mut c = cluster(4);
    let l = wait_leader(&mut c);
    let target = c.node_ids().into_iter().find(|&n| n != l).unwrap();
    c.disconnect(target).unwrap();
    for i in 0..4 {
        c.submit(l, Command::set("y", i)).unwrap();
    }
    c.advance(200);
    c.reconnect(target).unwrap();
    c.transfer_leadership(target).unwrap();
    assert!(run_until(&mut c, 2_000, |c| c.leader() == Some(target)));
    assert!(c.node(target).unwrap().log().iter().any(|e| e.command == Command::set("y", 3)));
    no_violations(&c);
}

#[test]
fn persistent_state_survives_crashing_every_server() {
    let mut c = cluster(9);
    let l = wait_leader(&mut c);
    for i in 1..=4 {
        c.submit(l, Command::set("p", i)).unwrap();
    }
    c.advance(500);
    let before: Vec<(u64, Option<NodeId>, Vec<Entry>)> = c
        .node_ids()
        .iter()
        .map(|&n| {
            let x = c.node(n).unwrap();
            (x.term(), x.voted_for(), x.log().to_vec())
        })
        .collect();
    for n in c.node_ids() {
        c.crash(n).unwrap();
    }
    for (i, n) in c.node_ids().into_iter().enumerate() {
        let x = c.node(n).unwrap();
        assert_eq!((x.term(), x.voted_for(), x.log().to_vec()), before[i].clone(), "{n} kept term, vote and log");
        assert_eq!(x.commit_index(), 0, "{n} forgot the commit index (volatile)");
        assert!(x.raft().kv().is_empty());
    }
    c.advance(1_000);
    assert_eq!(c.leader(), None);
    for n in c.node_ids() {
        c.restart(n).unwrap();
    }
    wait_leader(&mut c);
    assert!(run_until(&mut c, 2_000, |c| c
        .node_ids()
        .iter()
        .all(|&n| c.node(n).unwrap().raft().kv().get("p") == Some(&4))));
    no_violations(&c);
}

#[test]
fn a_crashed_server_keeps_its_vote_and_cannot_vote_twice_in_a_term() {
    let mut c = cluster(12);
    wait_leader(&mut c);
    for n in c.node_ids() {
        let x = c.node(n).unwrap();
        let (term, vote) = (x.term(), x.voted_for());
        c.crash(n).unwrap();
        assert_eq!((c.node(n).unwrap().term(), c.node(n).unwrap().voted_for()), (term, vote));
        c.restart(n).unwrap();
        c.advance(100);
    }
    no_violations(&c);
}
