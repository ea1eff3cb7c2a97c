//! Log compaction (Raft paper §7, Figure 13): snapshots of the state
//! machine, InstallSnapshot, and the monitor across them. Each test is
//! named after the rule it guards. (`cargo test --test compaction`)
#![cfg(feature = "compaction")]

use raft_playground::raft::{
    Body, Command, CompactionNote, Entry, Message, Node, Output, Persistent, Settings, Snapshot,
};
use raft_playground::sim::{Cluster, Config, EventData, NodeId};
use std::num::NonZeroU64;

mod common;
use common::{entry, persistent, s, wait_leader};

fn compacting(threshold: u64) -> Settings {
    Settings { snapshot_threshold: NonZeroU64::new(threshold), ..Settings::default() }
}

fn cluster(nodes: usize, seed: u64, threshold: u64) -> Cluster {
    Cluster::new(Config { nodes, seed, raft: compacting(threshold), ..Config::default() }).unwrap()
}

/// `n` client writes of keys k0..k4, one every 20 ms.
fn write(c: &mut Cluster, n: u64, from: i64) {
    for v in 0..n as i64 {
        c.client_write(Command::set(&format!("k{}", v % 5), from + v));
        c.advance(20);
    }
}

/// The snapshots `node` installed from a leader, as the trace tells them: (index, kept).
fn installed(c: &Cluster, node: NodeId) -> Vec<(u64, u64)> {
    c.events()
        .iter()
        .filter_map(|e| match &e.what {
            EventData::Compaction { node: n, event: CompactionNote::Installed { index, kept, .. } } if *n == node => {
                Some((*index, *kept))
            }
            _ => None,
        })
        .collect()
}

/// Every server's state machine and last applied index equal the leader's.
fn assert_caught_up(c: &Cluster) {
    let l = c.leader().expect("a leader");
    let leader = c.node(l).unwrap().raft();
    for srv in c.servers() {
        let n = srv.raft();
        assert_eq!(n.last_applied(), leader.last_applied(), "{} applied", srv.id());
        assert_eq!(n.kv(), leader.kv(), "{}'s state machine", srv.id());
    }
    assert!(c.violations().is_empty(), "{:?}", c.violations());
}

fn other_than(c: &Cluster, l: NodeId) -> NodeId {
    c.node_ids().into_iter().find(|&n| n != l).unwrap()
}

#[test]
fn a_follower_far_behind_gets_the_leaders_snapshot_and_catches_up() {
    let mut c = cluster(3, 7, 10);
    let l = wait_leader(&mut c);
    let f = other_than(&c, l);
    c.disconnect(f).unwrap();
    write(&mut c, 60, 0);
    let leader = c.node(l).unwrap().raft();
    assert!(leader.snapshot_index() > 20, "the leader compacted: {}", leader.snapshot_index());
    assert!(leader.log().len() <= 10 + 1, "{} entries stored", leader.log().len());
    c.reconnect(f).unwrap();
    c.advance(2_000);
    assert!(!installed(&c, f).is_empty(), "{f} got the snapshot");
    assert_eq!(c.leader(), Some(l));
    assert_caught_up(&c);
    assert!(c.node(f).unwrap().raft().kv().get("k4").is_some());
}

#[test]
fn a_follower_that_returns_after_compaction_catches_up() {
    let mut c = cluster(5, 3, 10);
    let l = wait_leader(&mut c);
    write(&mut c, 5, 0);
    let f = other_than(&c, l);
    c.crash(f).unwrap();
    write(&mut c, 50, 100);
    assert!(c.node(l).unwrap().raft().snapshot_index() > c.node(f).unwrap().raft().last_index());
    c.restart(f).unwrap();
    c.advance(2_000);
    assert_eq!(installed(&c, f).len(), 1, "one snapshot, then entries");
    assert_caught_up(&c);
}

#[test]
fn a_snapshot_survives_a_crash_and_the_restart_rebuilds_the_state_machine_from_it() {
    let mut c = cluster(3, 11, 10);
    let l = wait_leader(&mut c);
    write(&mut c, 40, 0);
    c.advance(500);
    let f = other_than(&c, l);
    let before = c.node(f).unwrap().raft().clone();
    let snap = before.snapshot().clone();
    assert!(snap.index > 0, "{f} compacted");
    c.crash(f).unwrap();
    let after = c.node(f).unwrap().raft();
    assert_eq!(after.snapshot(), &snap, "the snapshot is persistent state");
    assert_eq!(after.log(), before.log(), "and so is the log after it");
    // The state machine starts from the snapshot: applied and committed up to its index.
    assert_eq!((after.last_applied(), after.commit_index()), (snap.index, snap.index));
    let kv: Vec<(String, i64)> = after.kv().iter().map(|(k, v)| (k.clone(), *v)).collect();
    assert_eq!(kv, snap.kv);
    c.restart(f).unwrap();
    c.advance(1_000);
    assert!(installed(&c, f).is_empty(), "its log after the snapshot was enough");
    assert_caught_up(&c);
    // The leader too: a crash of the leader keeps its snapshot; the new leader's log starts after its own.
    c.crash(l).unwrap();
    assert_eq!(c.node(l).unwrap().raft().last_applied(), c.node(l).unwrap().raft().snapshot_index());
    c.advance(2_000);
    c.restart(l).unwrap();
    write(&mut c, 30, 1_000);
    c.advance(1_000);
    assert_caught_up(&c);
}

/// The snapshot is part of what a node declares persistent: a node
/// recovered from `Node::persistent()` alone (as the simulator restarts a
/// crashed server) has the snapshot, the log after it, and its state
/// machine rebuilt from the snapshot.
#[test]
fn the_snapshot_is_part_of_the_persistent_state() {
    let mut c = cluster(3, 11, 10);
    let l = wait_leader(&mut c);
    write(&mut c, 40, 0);
    c.advance(500);
    let node = c.node(l).unwrap().raft();
    let snap = node.snapshot().clone();
    assert!(snap.index > 0, "{l} compacted");
    let saved = node.persistent();
    assert_eq!(saved.snapshot, snap);
    let r = Node::recover(l, node.initial_members().to_vec(), node.settings().clone(), saved);
    assert_eq!(r.snapshot(), &snap);
    assert_eq!((r.last_index(), r.log()), (node.last_index(), node.log()));
    assert_eq!((r.last_applied(), r.commit_index()), (snap.index, snap.index));
    let kv: Vec<(String, i64)> = r.kv().iter().map(|(k, v)| (k.clone(), *v)).collect();
    assert_eq!(kv, snap.kv);
}

/// A persistent state serialized before the fields of log compaction and
/// membership changes existed (term, vote and log only) still reads: the
/// missing fields take their defaults (no snapshot, membership closed, not
/// retired); and a full one reads back as it was written.
#[test]
fn a_persistent_state_without_the_newer_fields_still_deserializes() {
    let log = serde_json::to_string(&vec![entry(1, 3, "x", 1)]).unwrap();
    let old = format!(r#"{{"term":3,"voted_for":2,"log":{log}}}"#);
    let p: Persistent = serde_json::from_str(&old).unwrap();
    assert_eq!((p.term, p.voted_for, p.log.len()), (3, Some(s(2)), 1));
    assert_eq!(p, Persistent { term: 3, voted_for: Some(s(2)), log: p.log.clone(), ..Persistent::default() });
    let mut c = cluster(3, 11, 10);
    let l = wait_leader(&mut c);
    write(&mut c, 40, 0);
    c.advance(500);
    let full = c.node(l).unwrap().raft().persistent();
    assert!(full.snapshot.index > 0);
    let back: Persistent = serde_json::from_str(&serde_json::to_string(&full).unwrap()).unwrap();
    assert_eq!(back, full);
}

fn follower(term: u64, log: Vec<Entry>) -> Node {
    let mut n = Node::recover(s(2), vec![s(1), s(2), s(3)], Settings::default(), persistent(term, None, log));
    n.start(&mut Vec::new());
    n
}

/// A follower restarted from a persistent state that holds `snapshot` and the log after it.
fn restored(term: u64, snapshot: Body, log: Vec<Entry>) -> Node {
    let Body::InstallSnapshot { snapshot, .. } = snapshot else { unreachable!() };
    let state = Persistent { snapshot: *snapshot, ..persistent(term, None, log) };
    let mut n = Node::recover(s(2), vec![s(1), s(2), s(3)], Settings::default(), state);
    n.start(&mut Vec::new());
    n
}

fn install(index: u64, term: u64, kv: &[(&str, i64)]) -> Body {
    let kv = kv.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    #[allow(unused_mut)]
    let mut snapshot = Snapshot { index, term, kv, ..Snapshot::default() };
    #[cfg(feature = "membership")]
    {
        snapshot.config.voters = vec![s(1), s(2), s(3)];
    }
    Body::InstallSnapshot { snapshot: Box::new(snapshot), round: 7 }
}

fn replies(out: &[Output]) -> Vec<(u64, Body)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(m) => Some((m.term, m.body.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_follower_keeps_the_entries_after_the_snapshot_when_it_has_its_last_entry() {
    let log: Vec<Entry> = (1..=5).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = follower(1, log.clone());
    let mut out = Vec::new();
    n.receive(Message { from: s(1), to: s(2), term: 1, body: install(3, 1, &[("x", 3)]) }, &mut out);
    assert_eq!(n.snapshot_index(), 3);
    assert_eq!(n.log(), &log[3..], "entries 4 and 5 kept");
    assert_eq!((n.last_index(), n.last_applied(), n.commit_index()), (5, 3, 3));
    assert_eq!(n.kv().get("x"), Some(&3), "the state machine reset from the snapshot");
    assert_eq!(replies(&out), vec![(1, Body::InstallSnapshotReply { last_index: 3, round: 7 })]);
    // A later AppendEntries from inside the snapshot matches there and commits what follows.
    let append = Body::AppendEntries {
        prev_log_index: 1,
        prev_log_term: 1,
        entries: log[1..5].to_vec(),
        leader_commit: 5,
        round: 8,
    };
    n.receive(Message { from: s(1), to: s(2), term: 1, body: append }, &mut out);
    assert_eq!((n.last_index(), n.last_applied()), (5, 5));
    assert_eq!(n.kv().get("x"), Some(&5));
}

#[test]
fn a_follower_without_the_snapshots_last_entry_discards_its_whole_log() {
    // Entry 3 is of term 1; the snapshot's last entry, 3, is of term 2.
    let log: Vec<Entry> = (1..=5).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = follower(2, log);
    let mut out = Vec::new();
    n.receive(Message { from: s(1), to: s(2), term: 2, body: install(3, 2, &[("y", 9)]) }, &mut out);
    assert!(n.log().is_empty());
    assert_eq!((n.snapshot_index(), n.last_index(), n.last_term(), n.last_applied()), (3, 3, 2, 3));
    assert_eq!(n.kv().get("x"), None);
    assert_eq!(n.kv().get("y"), Some(&9));
    // A shorter log is discarded too.
    let mut short = follower(2, vec![entry(1, 1, "x", 1)]);
    short.receive(Message { from: s(1), to: s(2), term: 2, body: install(3, 2, &[("y", 9)]) }, &mut out);
    assert!(short.log().is_empty());
    assert_eq!(short.last_index(), 3);
}

#[test]
fn a_stale_term_install_snapshot_is_rejected() {
    let log: Vec<Entry> = (1..=2).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = follower(5, log.clone());
    let mut out = Vec::new();
    n.receive(Message { from: s(1), to: s(2), term: 3, body: install(4, 3, &[("y", 9)]) }, &mut out);
    assert_eq!((n.snapshot_index(), n.log(), n.last_applied()), (0, &log[..], 0));
    assert_eq!(n.kv().get("y"), None);
    // The reply carries the newer term: the old leader steps down.
    assert_eq!(replies(&out), vec![(5, Body::InstallSnapshotReply { last_index: 0, round: 7 })]);
}

#[test]
fn a_snapshot_the_follower_already_covers_changes_nothing() {
    let log: Vec<Entry> = (1..=4).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = follower(1, log.clone());
    let mut out = Vec::new();
    let append =
        Body::AppendEntries { prev_log_index: 4, prev_log_term: 1, entries: vec![], leader_commit: 4, round: 1 };
    n.receive(Message { from: s(1), to: s(2), term: 1, body: append }, &mut out);
    assert_eq!(n.last_applied(), 4);
    n.receive(Message { from: s(1), to: s(2), term: 1, body: install(2, 1, &[("x", 2)]) }, &mut out);
    assert_eq!((n.snapshot_index(), n.log(), n.last_applied()), (0, &log[..], 4));
    assert_eq!(n.kv().get("x"), Some(&4), "no step back to an older state");
}

/// The node's exactly-once table is in the snapshot: a retry of a write
/// applied before the snapshot is still recognised after a follower
/// installs it, and applied as nothing.
#[test]
fn the_snapshot_keeps_the_exactly_once_sessions() {
    use raft_playground::raft::{SessionState, WriteId};
    // Client 1's write #5 (x ← 7) was applied at index 2, then client 2's x ← 9 at index 3.
    let session = |sessions: bool| {
        let Body::InstallSnapshot { mut snapshot, round } = install(3, 1, &[("x", 9)]) else { unreachable!() };
        if sessions {
            snapshot.sessions = vec![(1, SessionState { floor: 5, results: vec![(5, (2, 1))] })];
        }
        let mut n = follower(1, vec![]);
        let mut out = Vec::new();
        n.receive(Message { from: s(1), to: s(2), term: 1, body: Body::InstallSnapshot { snapshot, round } }, &mut out);
        // Client 1's retry of #5 landed in the log a second time, at index 4.
        let retry = Entry { client: Some(WriteId { client: 1, seq: 5, first_unanswered: 5 }), ..entry(4, 1, "x", 7) };
        let append = Body::AppendEntries {
            prev_log_index: 3,
            prev_log_term: 1,
            entries: vec![retry],
            leader_commit: 4,
            round: 8,
        };
        n.receive(Message { from: s(1), to: s(2), term: 1, body: append }, &mut out);
        assert_eq!(n.last_applied(), 4);
        n.kv().get("x").copied()
    };
    assert_eq!(session(true), Some(9), "the retry is applied as nothing");
    // Without the session the retry would overwrite the later write: what the table prevents.
    assert_eq!(session(false), Some(7));
}

#[test]
fn with_compaction_on_the_stored_log_stays_bounded_in_a_long_run() {
    const THRESHOLD: u64 = 20;
    let mut c = cluster(5, 21, THRESHOLD);
    wait_leader(&mut c);
    let (mut most, mut most_unapplied, mut snapshots) = (0u64, 0u64, 0usize);
    // Ten virtual minutes, a write every 20 ms: 30,000 writes.
    let end = c.now() + 600_000;
    let mut next_write = c.now();
    let mut v = 0;
    // Writes commit all along (checked every virtual 2 s, so that a cluster
    // that commits nothing fails here, not ten virtual minutes later).
    let (mut check_at, mut committed) = (c.now() + 2_000, 0);
    while c.now() < end {
        if c.now() >= check_at {
            let now = c.servers().iter().map(|srv| srv.raft().commit_index()).max().unwrap();
            assert!(now > committed, "nothing committed in 2 s after index {committed}");
            (check_at, committed) = (check_at + 2_000, now);
        }
        if c.now() >= next_write {
            c.client_write(Command::set(&format!("k{}", v % 7), v));
            v += 1;
            next_write += 20;
        }
        c.step();
        for srv in c.servers() {
            let n = srv.raft();
            let stored = n.log().len() as u64;
            let unapplied = n.last_index() - n.last_applied();
            // The rule itself: at most the threshold of applied entries stay in the log.
            assert!(n.last_applied() - n.snapshot_index() <= THRESHOLD, "{}: {stored} stored", srv.id());
            // Stored = applied (at most the threshold) + not yet applied. A
            // write arrives every 20 ms; a follower applies an entry when the
            // next AppendEntries tells it the commit index, at the latest a
            // heartbeat (50 ms) plus a latency (30 ms) after the leader
            // committed it, itself a round trip (60 ms) after the append:
            // about 140 ms, 7 writes. 10 leaves room for the client's retries.
            // (Checked at each step: a server that applies nothing fails at once.)
            assert!(stored <= THRESHOLD + 10, "{}: {stored} entries stored", srv.id());
            most = most.max(stored);
            most_unapplied = most_unapplied.max(unapplied);
        }
    }
    for e in c.events() {
        if let EventData::Compaction { event: CompactionNote::Snapshotted { .. }, .. } = &e.what {
            snapshots += 1;
        }
    }
    println!("stored at most {most} entries (unapplied at most {most_unapplied}), {snapshots} snapshots taken");
    assert!(snapshots > 5 * 1_000, "{snapshots} snapshots");
    assert!(c.violations().is_empty(), "{:?}", c.violations());
}

/// The page's hand-written JSON of the compaction events and of
/// InstallSnapshot and its reply is what serde writes.
#[test]
fn compaction_events_and_messages_as_json_are_what_serde_writes() {
    use raft_playground::view::events::events_from;
    use raft_playground::view::json::{payload, Json};
    let mut c = cluster(3, 7, 10);
    let l = wait_leader(&mut c);
    let f = other_than(&c, l);
    c.disconnect(f).unwrap();
    write(&mut c, 60, 0);
    // The follower will need the snapshot. (A cluster that commits nothing
    // fails here, not after 2,000 steps of ever longer AppendEntries.)
    assert!(c.node(l).unwrap().raft().snapshot_index() > 0, "the leader compacted");
    c.reconnect(f).unwrap();
    let mut kinds = Vec::new();
    for _ in 0..2_000 {
        c.step();
        for m in c.messages() {
            let mut j = Json::new();
            payload(&mut j, &m.payload);
            let hand: serde_json::Value = serde_json::from_str(&j.finish()).unwrap();
            assert_eq!(hand, serde_json::to_value(&m.payload).unwrap());
            if let raft_playground::sim::Payload::Raft(Message { body, .. }) = &m.payload {
                if matches!(body, Body::InstallSnapshot { .. } | Body::InstallSnapshotReply { .. }) {
                    kinds.push(format!("{body:?}").split_whitespace().next().unwrap().to_string());
                }
            }
        }
    }
    assert!(kinds.iter().any(|k| k == "InstallSnapshot") && kinds.iter().any(|k| k == "InstallSnapshotReply"));
    let all = c.events();
    let hand = serde_json::to_value(events_from(all, 0, usize::MAX)).unwrap();
    let mut seen = 0;
    for (i, e) in all.iter().enumerate() {
        assert_eq!(hand[i]["data"], serde_json::to_value(&e.what).unwrap(), "{}", e.text());
        seen += matches!(e.what, EventData::Compaction { .. }) as usize;
    }
    assert!(seen > 3, "{seen} compaction events");
}

/// The feed's Committed event lists every entry it commits, also those the
/// leader applied and compacted in the same step (the monitor finds them
/// among the entries the compaction just dropped, `Node::just_compacted`).
#[test]
fn a_commit_lists_its_entries_even_when_the_same_step_compacted_them() {
    // Threshold 1: the leader snapshots at every other entry it applies.
    let mut c = cluster(3, 5, 1);
    let l = wait_leader(&mut c);
    write(&mut c, 20, 0);
    c.advance(500);
    let mut listed = 0;
    for e in c.events() {
        if let EventData::Committed { node, from, to, entries, .. } = &e.what {
            if *node != l {
                continue;
            }
            listed += entries.len();
            let indexes: Vec<u64> = entries.iter().map(|e| e.index).collect();
            assert_eq!(indexes, (*from.max(&1)..=*to).collect::<Vec<u64>>(), "{}", e.text());
        }
    }
    assert!(listed >= 20, "{listed} entries committed");
    let leader = c.node(l).unwrap().raft();
    assert!(leader.snapshot_index() >= 19, "{}", leader.snapshot_index());
    assert!(c.violations().is_empty(), "{:?}", c.violations());
}

/// A server removed in the compacted prefix of the log still gets no vote:
/// the snapshot keeps every server the prefix removed.
#[cfg(feature = "membership")]
#[test]
fn a_snapshot_remembers_the_servers_its_prefix_removed() {
    use raft_playground::raft::{Change, LogCheck, Note, RefuseReason};
    let remove = Entry::new(1, 1, Command::Config { change: Change::Remove(s(3)) });
    let log = vec![remove, entry(2, 1, "x", 2), entry(3, 1, "x", 3)];
    let mut n = Node::recover(s(2), vec![s(1), s(2), s(3)], compacting(1), persistent(1, None, log));
    n.start(&mut Vec::new());
    let mut out = Vec::new();
    let commit =
        Body::AppendEntries { prev_log_index: 3, prev_log_term: 1, entries: vec![], leader_commit: 3, round: 1 };
    n.receive(Message { from: s(1), to: s(2), term: 1, body: commit }, &mut out);
    assert_eq!((n.snapshot_index(), n.log().len()), (3, 0), "the removal was compacted");
    assert_eq!(n.snapshot().config.removed, vec![s(3)]);
    let ask = Body::RequestVote { last_log_index: 5, last_log_term: 1, transfer: false };
    n.receive(Message { from: s(3), to: s(2), term: 2, body: ask }, &mut out);
    // The voter's last entry is the snapshot's (index 3 of term 1).
    let check = LogCheck { candidate_last_index: 5, candidate_last_term: 1, own_last_index: 3, own_last_term: 1 };
    let refused = Note::RefusedVote { candidate: s(3), term: 2, reason: RefuseReason::Removed, check };
    assert!(out.contains(&Output::Note(refused)), "{out:?}");
    assert_eq!(n.voted_for(), None);
}

/// A follower that has a snapshot of its own and the last entry of a newer
/// one keeps the entries after the newer one (Figure 13, step 6): it drops
/// only those between the two snapshots.
#[test]
fn a_follower_with_a_snapshot_keeps_the_entries_after_a_newer_one_it_agrees_with() {
    let log: Vec<Entry> = (4..=8).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = restored(1, install(3, 1, &[("x", 3)]), log.clone());
    assert_eq!((n.snapshot_index(), n.last_index(), n.last_applied()), (3, 8, 3));
    let mut out = Vec::new();
    n.receive(Message { from: s(1), to: s(2), term: 1, body: install(5, 1, &[("x", 5)]) }, &mut out);
    assert_eq!(n.snapshot_index(), 5);
    assert_eq!(n.log(), &log[2..], "entries 6 to 8 kept");
    assert_eq!((n.last_index(), n.last_applied(), n.kv().get("x")), (8, 5, Some(&5)));
    assert_eq!(n.take_log_change(), None, "its log still holds what it held");
}

/// For the safety monitor, a follower that replaces its log and its own
/// snapshot with a snapshot it does not agree with reports its log changed
/// from the first index after its own snapshot (1 without one); a server
/// with neither a log nor a snapshot reports no change.
#[test]
fn discarding_the_log_for_a_snapshot_reports_the_change_from_the_first_entry_after_the_old_snapshot() {
    let take = |mut n: Node, snapshot: Body| {
        n.take_log_change();
        n.receive(Message { from: s(1), to: s(2), term: 2, body: snapshot }, &mut Vec::new());
        assert_eq!(n.snapshot_index(), 6, "installed");
        assert!(n.log().is_empty());
        n.take_log_change()
    };
    // A log that disagrees (entry 6 is of term 1, the snapshot's of term 2).
    let log: Vec<Entry> = (1..=7).map(|i| entry(i, 1, "x", i as i64)).collect();
    assert_eq!(take(follower(2, log), install(6, 2, &[])), Some(1));
    // Nothing to discard.
    assert_eq!(take(follower(2, vec![]), install(6, 2, &[])), None);
    // A snapshot up to 3 and nothing after it: the change begins at 4.
    let n = restored(2, install(3, 1, &[]), vec![]);
    assert_eq!(take(n, install(6, 2, &[])), Some(4));
    // A snapshot up to 3 and a disagreeing entry after it.
    let n = restored(2, install(3, 1, &[]), vec![entry(4, 1, "x", 4)]);
    assert_eq!(take(n, install(6, 2, &[])), Some(4));
}

/// A follower with a snapshot that gets an entry conflicting with one after
/// the snapshot removes that entry and all that follow it (Figure 2,
/// AppendEntries step 3), counted from the snapshot's index on.
#[test]
fn a_follower_with_a_snapshot_truncates_a_conflicting_suffix_after_it() {
    let log: Vec<Entry> = (4..=6).map(|i| entry(i, 1, "x", i as i64)).collect();
    let mut n = restored(2, install(3, 1, &[("x", 3)]), log.clone());
    let mut out = Vec::new();
    let append = Body::AppendEntries {
        prev_log_index: 4,
        prev_log_term: 1,
        entries: vec![entry(5, 2, "y", 5)],
        leader_commit: 3,
        round: 1,
    };
    n.receive(Message { from: s(1), to: s(2), term: 2, body: append }, &mut out);
    assert_eq!(n.log(), &[log[0].clone(), entry(5, 2, "y", 5)]);
    let truncated = Output::Note(raft_playground::raft::Note::Truncated { from: 5, count: 2, leader: s(1) });
    assert!(out.contains(&truncated), "{out:?}");
}

/// A follower's refusal of a snapshot whose term was stale (`last_index` 0)
/// is no answer to the leader: even when it reaches the same server leading
/// a later term, the term of the refusal, it counts for nothing, not as
/// word from a follower for check-quorum.
#[test]
fn a_snapshot_refused_for_its_stale_term_is_no_word_from_a_follower() {
    let settings = Settings { check_quorum: true, ..Settings::default() };
    let mut l = Node::new(s(1), vec![s(1), s(2), s(3)], settings);
    let mut out = Vec::new();
    l.election_timeout(&mut out);
    let term = l.term();
    l.receive(Message { from: s(2), to: s(1), term, body: Body::RequestVoteReply { granted: true } }, &mut out);
    assert_eq!(l.role(), raft_playground::raft::Role::Leader);
    let refusal = Body::InstallSnapshotReply { last_index: 0, round: 0 };
    l.receive(Message { from: s(2), to: s(1), term, body: refusal }, &mut out);
    l.check_quorum_timeout(&mut out);
    assert_eq!(l.role(), raft_playground::raft::Role::Follower, "it heard from no majority");
}

/// The digest of the state machine that a node keeps up to date entry by
/// entry (for the safety monitor, which compares it at every step that
/// applies) is at every moment the digest of its store and exactly-once
/// table computed from scratch, through writes of many keys, lost messages
/// (client retries: duplicates skipped, sessions' floors raised and results
/// forgotten), crashes (restarts from the snapshot) and InstallSnapshot.
#[test]
fn the_running_digest_of_the_state_machine_is_the_digest_of_its_contents() {
    use raft_playground::raft::state_digest;
    let config = Config { nodes: 3, seed: 5, raft: compacting(10), drop_rate: 0.2, ..Config::default() };
    let mut c = Cluster::new(config).unwrap();
    let (mut checked, mut retried, mut floors) = (0, false, false);
    // Each write stores a value of its own, so that a key written again
    // changes value (the digest must take the old pair out, not the new).
    let (mut written, mut overwritten) = (std::collections::HashMap::new(), 0);
    for round in 0..200u64 {
        for v in 0..5 {
            let (key, value) = (format!("k{}", (round * 5 + v) % 300), (round * 5 + v) as i64);
            if written.insert(key.clone(), value).is_some_and(|old| old != value) {
                overwritten += 1;
            }
            c.client_write(Command::set(&key, value));
            c.advance(20);
        }
        if round % 40 == 20 {
            let victim = c.node_ids()[(round / 40) as usize % 3];
            let _ = c.crash(victim);
            c.advance(500);
            let _ = c.restart(victim);
        }
        for srv in c.servers() {
            let n = srv.raft();
            let kv = n.kv().iter().map(|(k, v)| (k.as_str(), *v));
            assert_eq!(n.state_digest(), state_digest(kv, n.sessions()), "{} at {}", srv.id(), c.now());
            retried |= n.sessions().iter().any(|(_, s)| s.results.len() > 1);
            floors |= n.sessions().iter().any(|(_, s)| s.floor > 1);
            checked += 1;
        }
    }
    // The run went through what the digest must follow.
    assert!(retried && floors, "retried {retried}, floors raised {floors}");
    assert!(overwritten > 100, "{overwritten} keys written again with another value");
    // A value of 300 or more was written over another (its key's value 300 less).
    let again = |srv: &raft_playground::sim::Server| srv.raft().kv().iter().filter(|(_, v)| **v >= 300).count();
    assert!(c.servers().iter().all(|srv| again(srv) > 100), "values written again");
    assert!(c.servers().iter().all(|srv| srv.raft().kv().len() > 100));
    assert!(c.servers().iter().all(|srv| srv.raft().snapshot_index() > 0));
    assert!(c.node_ids().into_iter().any(|n| !installed(&c, n).is_empty()), "no InstallSnapshot");
    assert_eq!(checked, 600);
    assert!(c.violations().is_empty(), "{:?}", c.violations());
}

/// `Cluster::in_snapshot`: a write committed at an index a server's snapshot
/// covers is in it, whether the snapshot's store still holds its value or a
/// later write overwrote it; a write committed after the snapshot, or never
/// written, is not; nothing is without a snapshot.
#[test]
fn a_write_is_in_a_snapshot_when_committed_at_an_index_it_covers() {
    let mut c = cluster(3, 8, 10);
    wait_leader(&mut c);
    let l = c.leader().unwrap();
    assert!(!c.in_snapshot(c.node(l).unwrap(), &Command::set("k0", 0)), "no snapshot yet");
    write(&mut c, 33, 100);
    c.advance(1_000);
    let s = c.node(l).unwrap();
    let snap = s.raft().snapshot();
    assert!(snap.index > 20 && !s.log().is_empty(), "snapshot up to {}, {} entries after", snap.index, s.log().len());
    // The first write (k0 ← 100) was overwritten by later writes of k0, all compacted.
    assert!(snap.kv.iter().all(|(_, v)| *v != 100));
    assert!(c.in_snapshot(s, &Command::set("k0", 100)));
    // Each value the snapshot's store holds.
    for (k, v) in &snap.kv {
        assert!(c.in_snapshot(s, &Command::set(k, *v)), "{k} ← {v}");
    }
    // The writes after the snapshot, and one never written.
    for e in s.log() {
        assert!(!c.in_snapshot(s, &e.command), "{}", e.command);
    }
    assert!(!c.in_snapshot(s, &Command::set("k0", 99)));
    assert!(!c.in_snapshot(s, &Command::set("nope", 100)));
}

/// `raft::state_digest` (what the monitor compares): the same state machine
/// in any order has one digest; changing any one thing of it, a value, a
/// key, a session's client or floor, or one field of a remembered result,
/// changes it, and so does a pair or a session more or less.
#[test]
fn the_state_machine_digest_tells_apart_states_that_differ_in_any_one_thing() {
    use raft_playground::raft::{state_digest, SessionState};
    type State = (Vec<(&'static str, i64)>, Vec<(u64, SessionState)>);
    let digest = |(kv, sessions): &State| state_digest(kv.iter().map(|(k, v)| (*k, *v)), sessions);
    let session = |floor, results: &[(u64, (u64, u64))]| SessionState { floor, results: results.to_vec() };
    let base: State =
        (vec![("a", 1), ("b", 2)], vec![(7, session(1, &[(1, (3, 1)), (2, (4, 1))])), (8, session(0, &[(0, (5, 2))]))]);
    let shuffled: State = (vec![("b", 2), ("a", 1)], vec![base.1[1].clone(), base.1[0].clone()]);
    assert_eq!(digest(&shuffled), digest(&base));
    let changed: Vec<(&str, State)> = vec![
        ("a value", (vec![("a", 1), ("b", 3)], base.1.clone())),
        ("two values swapped", (vec![("a", 2), ("b", 1)], base.1.clone())),
        ("a key", (vec![("a", 1), ("c", 2)], base.1.clone())),
        ("a pair less", (vec![("a", 1)], base.1.clone())),
        ("a client", (base.0.clone(), vec![(9, base.1[0].1.clone()), base.1[1].clone()])),
        ("a floor", (base.0.clone(), vec![(7, session(2, &base.1[0].1.results)), base.1[1].clone()])),
        ("a result's number", (base.0.clone(), vec![(7, session(1, &[(1, (3, 1)), (3, (4, 1))])), base.1[1].clone()])),
        ("a result's index", (base.0.clone(), vec![(7, session(1, &[(1, (3, 1)), (2, (5, 1))])), base.1[1].clone()])),
        ("a result's term", (base.0.clone(), vec![(7, session(1, &[(1, (3, 1)), (2, (4, 2))])), base.1[1].clone()])),
        ("a result less", (base.0.clone(), vec![(7, session(1, &[(1, (3, 1))])), base.1[1].clone()])),
        ("a session less", (base.0.clone(), vec![base.1[0].clone()])),
    ];
    for (what, state) in &changed {
        assert_ne!(digest(state), digest(&base), "{what}");
    }
}

/// Without compaction a node keeps no digest of its state machine (applying
/// pays no hashing, and the monitor compares none); switched on mid-run
/// (the option set while a server is up, and while another is down), every
/// node computes it from scratch and keeps it from then on, equal to its
/// contents' digest, with the monitor comparing and finding nothing.
#[test]
fn compaction_switched_on_mid_run_starts_each_digest_from_the_state_machine() {
    use raft_playground::raft::state_digest;
    use raft_playground::sim::SwitchValue;
    let from_scratch = |n: &Node| state_digest(n.kv().iter().map(|(k, v)| (k.as_str(), *v)), n.sessions());
    let config = Config { nodes: 3, seed: 9, drop_rate: 0.1, ..Config::default() };
    let mut c = Cluster::new(config).unwrap();
    for i in 0..100i64 {
        c.client_write(Command::set(&format!("k{}", i % 30), i));
        c.advance(20);
    }
    c.advance(2_000);
    let stale = c.servers().iter().filter(|srv| srv.raft().state_digest() != from_scratch(srv.raft())).count();
    assert_eq!(stale, 3, "no digest kept without compaction");
    assert!(c.servers().iter().all(|srv| !srv.raft().keeps_state_digest()));
    let down = c.node_ids()[2];
    c.crash(down).unwrap();
    c.set_option("snapshot_threshold", SwitchValue::Count(10)).unwrap();
    for srv in c.servers() {
        assert!(srv.raft().keeps_state_digest());
        assert_eq!(srv.raft().state_digest(), from_scratch(srv.raft()), "{}", srv.id());
    }
    c.restart(down).unwrap();
    for i in 100..300i64 {
        c.client_write(Command::set(&format!("k{}", i % 30), i));
        c.advance(20);
        for srv in c.servers() {
            assert_eq!(srv.raft().state_digest(), from_scratch(srv.raft()), "{} at {}", srv.id(), c.now());
        }
    }
    assert!(c.servers().iter().all(|srv| srv.raft().snapshot_index() > 0));
    assert!(c.violations().is_empty(), "{:?}", c.violations());
}
