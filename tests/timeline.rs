//! Time travel: snapshots, checkpoints thinned as the run grows, seeking,
//! playing on, stepping back, branches, recordings, memory and bad input.
//!
//! The reference for every moment is a straight run: the same config and
//! actions replayed from the start without any time travel (what
//! `Cluster::replay` does). A moment's state is compared as a whole (the
//! cluster's `Debug` text: every server with its log and timers, the queue,
//! messages in flight, the client's writes, the monitor's tables, the trace,
//! the history, the generator) and, for readable failures, part by part.

use raft_playground::raft::{ReadMode, Settings};
use raft_playground::script::{link, Recording};
use raft_playground::sim::*;
use raft_playground::timeline::{Timeline, TimelineError, TimelineSettings};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

fn hash_of(x: impl std::fmt::Debug) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{x:?}").hash(&mut h);
    h.finish()
}

/// A moment's state, compared part by part and as a whole.
#[derive(Debug, PartialEq, Clone)]
struct Print {
    now: u64,
    trace_hash: u64,
    revision: u64,
    events: usize,
    history: usize,
    servers: u64,
    messages: u64,
    /// The wire log as the diagram reads it: every message's ends.
    wire: u64,
    client_ops: u64,
    violations: Vec<Violation>,
    everything: u64,
}

fn print(c: &Cluster) -> Print {
    Print {
        now: c.now(),
        trace_hash: c.trace_hash(),
        revision: c.revision(),
        events: c.events().len(),
        history: c.history().len(),
        servers: hash_of(c.servers()),
        messages: hash_of(c.messages()),
        wire: hash_of(c.wires()),
        client_ops: hash_of(c.client_ops()),
        violations: c.violations().to_vec(),
        everything: hash_of(c),
    }
}

fn pick<T: Clone>(rng: &mut Rng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| items[rng.range(0, items.len() as u64 - 1) as usize].clone())
}

/// A random action that makes sense now (like the chaos test's): writes,
/// crashes, restarts, partitions, heals, disconnections, loss, dropped and
/// duplicated messages, forced elections, transfers, latency changes.
fn random_action(c: &Cluster, rng: &mut Rng, value: &mut i64) -> Option<Action> {
    let ids = c.node_ids();
    let up: Vec<NodeId> = ids.iter().copied().filter(|&n| c.node(n).unwrap().is_up()).collect();
    let down: Vec<NodeId> = ids.iter().copied().filter(|&n| !c.node(n).unwrap().is_up()).collect();
    let in_flight: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
    let any = pick(rng, &ids).unwrap();
    *value += 1;
    let key = ["x", "y", "z"][rng.range(0, 2) as usize];
    match rng.range(0, 99) {
        0..=34 => Some(Action::Write { command: Command::set(key, *value), to: None }),
        35..=39 => Some(Action::Write { command: Command::set(key, *value), to: Some(any) }),
        40..=47 => pick(rng, &up).map(|node| Action::Crash { node }),
        48..=57 => pick(rng, &down).map(|node| Action::Restart { node }),
        58..=62 => {
            let cut = rng.range(1, ids.len().max(2) as u64 - 1) as usize;
            let (a, b) = ids.split_at(cut.min(ids.len()));
            Some(Action::Partition { groups: vec![a.to_vec(), b.to_vec()] })
        }
        63..=69 => Some(Action::Heal),
        70..=72 => Some(Action::Disconnect { node: any }),
        73..=75 => Some(Action::Reconnect { node: any }),
        76..=78 => Some(Action::SetDropRate { rate: rng.range(0, 20) as f64 / 100.0 }),
        79..=84 => pick(rng, &in_flight).map(|id| Action::DropMessage { id }),
        85..=89 => pick(rng, &in_flight).map(|id| Action::DuplicateMessage { id }),
        90..=93 => pick(rng, &up).map(|node| Action::Timeout { node }),
        94..=96 => pick(rng, &up).map(|to| Action::TransferLeadership { to }),
        _ => {
            let lo = rng.range(0, 20);
            Some(Action::SetLatency { lo, hi: lo + rng.range(0, 40) })
        }
    }
}

/// A config for seed `seed`: 3 to 7 servers, sometimes the fast back-up.
fn config(seed: u64) -> Config {
    let mut rng = Rng::new(seed ^ 0x5EED);
    let raft = Settings { fast_backup: rng.chance(0.5), ..Settings::default() };
    Config { nodes: rng.range(3, 7) as usize, seed, raft, ..Config::default() }
}

/// A random run of `until` virtual ms: its config and its history.
fn random_run(seed: u64, until: u64) -> (Config, Vec<(u64, Action)>) {
    random_run_of(config(seed), seed, until)
}

/// [`random_run`] with another config.
fn random_run_of(cfg: Config, seed: u64, until: u64) -> (Config, Vec<(u64, Action)>) {
    let mut c = Cluster::new(cfg.clone()).unwrap();
    let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9));
    let mut value = 0;
    let mut t = 0;
    loop {
        t += rng.range(10, 300);
        if t > until {
            break;
        }
        c.advance_to(t);
        if let Some(a) = random_action(&c, &mut rng, &mut value) {
            let _ = c.apply(a); // a refused action is not recorded
        }
    }
    (cfg, c.history().to_vec())
}

/// The straight run's state at each of `moments` (sorted): the actions
/// performed up to each moment (those at it too), then time advanced to it.
fn straight_prints(cfg: &Config, history: &[(u64, Action)], moments: &[u64]) -> Vec<Print> {
    let mut c = Cluster::new(cfg.clone()).unwrap();
    let mut next = 0;
    moments
        .iter()
        .map(|&m| {
            while let Some((t, a)) = history.get(next).filter(|(t, _)| *t <= m) {
                c.advance_to(*t);
                c.apply(a.clone()).unwrap();
                next += 1;
            }
            c.advance_to(m);
            print(&c)
        })
        .collect()
}

/// Drives `tl` at its latest moment through `history` up to `until`.
fn drive(tl: &mut Timeline, history: &[(u64, Action)], until: u64) {
    let done = tl.actions().len();
    for (t, a) in history.iter().skip(done).take_while(|(t, _)| *t <= until) {
        tl.advance_to(*t).unwrap();
        let acted = tl.act(a.clone()).unwrap();
        assert_eq!(acted.forked, None, "acting at the latest moment never forks");
    }
    tl.advance_to(until).unwrap();
}

fn small(first_interval_ms: u64, max_checkpoints: usize) -> TimelineSettings {
    TimelineSettings { first_interval_ms, max_checkpoints, ..TimelineSettings::default() }
}

#[test]
fn replay_from_thinned_checkpoints_equals_a_straight_run_at_1000_random_moments() {
    let mut checked = 0;
    for seed in 1..=4u64 {
        let until = 20_000;
        let (cfg, history) = random_run(seed, until);
        let mut rng = Rng::new(seed + 100);
        let mut moments: Vec<u64> = (0..250).map(|_| rng.range(0, until)).collect();
        // Moments of actions, and just before them, are the delicate ones.
        for (i, (t, _)) in history.iter().enumerate().step_by(9).take(30) {
            moments[i % 250] = *t;
            moments[(i + 1) % 250] = t.saturating_sub(1);
        }
        moments.sort_unstable();
        let want = straight_prints(&cfg, &history, &moments);

        // The timeline runs the same history with few checkpoints, so that
        // they are thinned again and again, and looks back now and then.
        let mut tl = Timeline::with_settings(cfg.clone(), small(100, 6)).unwrap();
        let mut order: Vec<usize> = (0..moments.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.range(0, i as u64) as usize);
        }
        let (during, after) = order.split_at(order.len() / 2);
        let mut during = during.to_vec();
        during.sort_unstable_by_key(|&i| moments[i]);
        let mut intervals = vec![tl.checkpoint_interval()];
        for (k, &i) in during.iter().enumerate() {
            let latest = tl.latest().max(moments[i]);
            drive(&mut tl, &history, latest);
            // Look back at a moment already run, then return to the latest one.
            let j = during[rng.range(0, k as u64) as usize];
            assert_eq!(tl.seek(moments[j]).unwrap(), moments[j]);
            assert_eq!(print(tl.cluster()), want[j], "seed {seed}, back at {} ms from {latest} ms", moments[j]);
            checked += 1;
            tl.seek(latest).unwrap();
            assert!(tl.checkpoint_times().len() <= 6);
            intervals.push(tl.checkpoint_interval());
        }
        drive(&mut tl, &history, until);
        assert_eq!(tl.branches().len(), 1, "looking back never forks");
        for &i in after {
            tl.seek(moments[i]).unwrap();
            assert_eq!(print(tl.cluster()), want[i], "seed {seed}, at {} ms", moments[i]);
            checked += 1;
        }
        assert!(
            intervals.iter().any(|&x| x >= 800) && tl.checkpoint_times().len() <= 6,
            "checkpoints were thinned several times: intervals {intervals:?}"
        );
        assert_eq!(tl.checkpoint_times()[0], 0, "the start is always kept");
    }
    assert!(checked >= 1_000, "{checked} moments checked");
}

#[test]
fn a_snapshot_restores_the_same_cluster_which_goes_on_the_same() {
    let (cfg, history) = random_run(7, 8_000);
    let c = Cluster::replay(cfg.clone(), &history, 8_000).unwrap();
    let snap = c.snapshot(None);
    assert_eq!((snap.time(), snap.history_len(), snap.trace_hash()), (8_000, history.len(), c.trace_hash()));
    let mut restored = snap.restore();
    assert_eq!(print(&restored), print(&c));
    let mut original = c.clone();
    for k in 0..20 {
        original.advance(97);
        restored.advance(97);
        let w = Command::set("k", k);
        assert_eq!(original.client_write(w.clone()), restored.client_write(w));
    }
    assert_eq!(print(&restored), print(&original));
    // Into any other cluster, even of another size and seed.
    let mut other = Cluster::replay(config(3), &random_run(3, 5_000).1, 5_000).unwrap();
    snap.restore_into(&mut other);
    assert_eq!(print(&other), print(&c));
    // Taken later against the first one, it shares the chunks that did not change.
    let later = original.snapshot(Some(&snap));
    let alone = SnapshotMemory::of([&later]);
    let both = SnapshotMemory::of([&snap, &later]);
    assert!(both.chunks < alone.chunks + SnapshotMemory::of([&snap]).chunks, "some chunks are shared");
    assert_eq!(print(&later.restore()), print(&original));
}

#[test]
fn seeking_back_and_forth_gives_the_same_states() {
    let (cfg, history) = random_run(11, 15_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(500, 8)).unwrap();
    drive(&mut tl, &history, 15_000);
    let latest = print(tl.cluster());
    let moments = [3_000, 12_345, 7_000, 7_001, 0, 14_999, 3_000, 15_000, 6_999];
    let want = {
        let mut sorted = moments.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let prints = straight_prints(&cfg, &history, &sorted);
        move |m: u64| prints[sorted.binary_search(&m).unwrap()].clone()
    };
    for _round in 0..2 {
        for &m in &moments {
            assert_eq!(tl.seek(m).unwrap(), m);
            assert_eq!(print(tl.cluster()), want(m), "at {m} ms");
        }
    }
    tl.seek(15_000).unwrap();
    assert_eq!(print(tl.cluster()), latest);
    assert_eq!(tl.latest(), 15_000);
    // The whole run's trace, wherever the cursor is.
    let all = tl.cluster().events().to_vec();
    assert_eq!(tl.events_to_latest().cloned().collect::<Vec<_>>(), all);
    tl.seek(4_000).unwrap();
    assert!(tl.cluster().events().len() < all.len());
    assert_eq!(tl.events_to_latest().cloned().collect::<Vec<_>>(), all);
    // By index too (what the page reads), from the head in the past and from the cluster at the latest moment.
    let by_index = |tl: &Timeline| (0..).map_while(|i| tl.event_to_latest(i).cloned()).collect::<Vec<_>>();
    assert!(all.len() > 3 * 128, "the trace spans several chunks");
    assert_eq!(by_index(&tl), all);
    tl.seek(15_000).unwrap();
    assert_eq!(by_index(&tl), all);
}

/// With log compaction (a snapshot every 5 applied entries), logs lose
/// their start: checkpoints must not take a compacted log's entries for the
/// ones that were at the same places before.
#[cfg(feature = "compaction")]
#[test]
fn seeking_in_a_run_with_log_compaction_gives_the_straight_runs_states() {
    let mut cfg = config(13);
    cfg.raft.snapshot_threshold = std::num::NonZeroU64::new(5);
    let (cfg, history) = random_run_of(cfg, 13, 12_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(300, 6)).unwrap();
    drive(&mut tl, &history, 12_000);
    let moments = [2_000, 11_000, 5_500, 5_501, 0, 11_999, 700, 12_000];
    let mut sorted = moments.to_vec();
    sorted.sort_unstable();
    let prints = straight_prints(&cfg, &history, &sorted);
    for _round in 0..2 {
        for &m in &moments {
            assert_eq!(tl.seek(m).unwrap(), m);
            assert_eq!(print(tl.cluster()), prints[sorted.binary_search(&m).unwrap()], "at {m} ms");
        }
    }
    let compactions = tl.cluster().events().iter().filter(|e| matches!(e.what, EventData::Compaction { .. })).count();
    assert!(compactions > 20, "{compactions} snapshots taken or installed");
}

#[test]
fn playing_on_from_a_past_moment_runs_exactly_as_the_original_did() {
    let (cfg, history) = random_run(5, 12_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(700, 8)).unwrap();
    let mut hashes = Vec::new();
    for t in (0..=12_000).step_by(100) {
        drive(&mut tl, &history, t);
        hashes.push((t, tl.cluster().trace_hash(), tl.cluster().history().len()));
    }
    let revision = tl.revision();
    tl.seek(2_050).unwrap();
    assert_ne!(tl.revision(), revision, "a jump is a change for the view");
    // Played on in other pieces than the original: the same run at every moment.
    for &(t, hash, actions) in hashes.iter().filter(|(t, _, _)| *t > 2_050) {
        while tl.now() < t {
            tl.advance(37.min(t - tl.now())).unwrap();
        }
        assert_eq!((tl.cluster().trace_hash(), tl.cluster().history().len()), (hash, actions), "at {t} ms");
    }
    assert_eq!(tl.branches().len(), 1, "playing on is not acting: no fork");
    assert_eq!(tl.actions(), &history[..], "the branch's actions are as they were");
    // Stepping from a past moment: the same moments a straight run steps through.
    tl.seek(4_000).unwrap();
    let mut straight = Cluster::replay(cfg, &history, 4_000).unwrap();
    for _ in 0..300 {
        let x = tl.step().unwrap();
        assert_eq!(x, straight_step(&mut straight, &history));
        assert_eq!(print(tl.cluster()), print(&straight));
    }
}

/// A straight run's step: to the next moment at which an event changes the
/// cluster or an action of `history` is due (performed there).
fn straight_step(c: &mut Cluster, history: &[(u64, Action)]) -> Option<u64> {
    loop {
        let action = history.get(c.history().len()).map(|(t, _)| (*t).max(c.now()));
        let x = match (c.next_event_time(), action) {
            (Some(e), Some(a)) => e.min(a),
            (e, a) => e.or(a)?,
        };
        let before = c.revision();
        c.advance_to(x);
        while let Some((_, a)) = history.get(c.history().len()).filter(|(t, _)| *t <= x) {
            c.apply(a.clone()).unwrap();
        }
        if c.revision() != before {
            return Some(x);
        }
    }
}

#[test]
fn step_back_walks_back_the_moments_step_walks_forward() {
    let (cfg, history) = random_run(21, 6_000);
    let mut tl = Timeline::with_settings(cfg, small(250, 6)).unwrap();
    drive(&mut tl, &history, 6_000);
    tl.seek(2_000).unwrap();
    let mut walked = vec![(tl.now(), print(tl.cluster()))];
    for _ in 0..150 {
        tl.step().unwrap().unwrap();
        walked.push((tl.now(), print(tl.cluster())));
    }
    assert!(walked.last().unwrap().0 > 2_500, "150 steps cover some time");
    for (t, p) in walked.iter().rev().skip(1) {
        // Back to the previous moment at which something happened.
        let reached = tl.step_back().unwrap();
        if *t == 2_000 && reached < 2_000 {
            break; // nothing happened at 2,000 ms itself: it is not a moment step visits
        }
        assert_eq!(reached, *t);
        assert_eq!(&print(tl.cluster()), p, "at {t} ms");
    }
    // At the start it stays there.
    tl.seek(30).unwrap();
    let mut last = tl.now();
    for _ in 0..50 {
        let t = tl.step_back().unwrap();
        assert!(t < last || t == 0);
        last = t;
    }
    assert_eq!(tl.now(), 0);
    assert_eq!(tl.step_back().unwrap(), 0);
    // Stepping back from the latest moment keeps it: seeking there again gives it.
    let end = tl.latest();
    tl.seek(end).unwrap();
    let at_end = print(tl.cluster());
    tl.step_back().unwrap();
    assert!(tl.now() < end);
    tl.seek(end).unwrap();
    assert_eq!(print(tl.cluster()), at_end);
}

#[test]
fn acting_in_the_past_forks_and_the_old_branch_can_be_switched_back_to() {
    let (cfg, history) = random_run(8, 10_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(400, 8)).unwrap();
    drive(&mut tl, &history, 10_000);
    let old_end = print(tl.cluster());
    let old_actions = tl.actions().to_vec();

    tl.seek(4_000).unwrap();
    let before = print(tl.cluster());
    // A refused action forks nothing and changes nothing.
    let err = tl.act(Action::Restart { node: NodeId(9) }).unwrap_err();
    assert!(matches!(err, TimelineError::Refused(SimError::UnknownNode(9))), "{err:?}");
    assert_eq!(print(tl.cluster()), before);
    assert_eq!(tl.branches().len(), 1);

    let acted = tl.act(Action::Write { command: Command::set("t", 1), to: None }).unwrap();
    assert_eq!(acted.forked, Some(2));
    let branches = tl.branches();
    assert_eq!(branches.len(), 2);
    assert_eq!(branches[1].name, "branch 2: write t=1 at 4s");
    assert_eq!((branches[1].parent, branches[1].forked_at, branches[1].current), (Some(1), 4_000, true));
    assert!(!branches[0].current);
    assert_eq!(branches[0].latest, 10_000);
    let prefix = old_actions.iter().take_while(|(t, _)| *t <= 4_000).count();
    assert_eq!(tl.actions().len(), prefix + 1);
    assert_eq!(&tl.actions()[..prefix], &old_actions[..prefix]);
    assert_eq!(tl.latest(), 4_000);
    // The new branch is what a straight run of its own actions gives.
    tl.advance(3_000).unwrap();
    tl.act(Action::Write { command: Command::set("b", 2), to: None }).unwrap();
    tl.advance(1_000).unwrap();
    let new_end = print(tl.cluster());
    assert_eq!(new_end, print(&Cluster::replay(cfg.clone(), tl.actions(), 8_000).unwrap()));
    assert_eq!(tl.branches().len(), 2, "acting at the new branch's latest moment does not fork again");

    // Back to the old branch: at its latest moment, exactly as it was.
    assert_eq!(tl.switch_branch(1).unwrap(), 10_000);
    assert_eq!(print(tl.cluster()), old_end);
    assert_eq!(tl.actions(), &old_actions[..]);
    tl.seek(6_000).unwrap();
    assert_eq!(print(tl.cluster()), print(&Cluster::replay(cfg.clone(), &old_actions, 6_000).unwrap()));
    // And to the new one again.
    assert_eq!(tl.switch_branch(2).unwrap(), 8_000);
    assert_eq!(print(tl.cluster()), new_end);
    tl.seek(3_000).unwrap();
    assert_eq!(print(tl.cluster()), print(&Cluster::replay(cfg, &old_actions, 3_000).unwrap()), "shared past");
}

#[test]
fn branches_of_branches_each_keep_their_own_run() {
    let (cfg, history) = random_run(13, 9_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(300, 6)).unwrap();
    drive(&mut tl, &history, 9_000);
    tl.seek(5_000).unwrap();
    tl.act(Action::SetDropRate { rate: 0.1 }).unwrap(); // branch 2
    tl.advance(2_000).unwrap();
    tl.seek(6_000).unwrap();
    tl.act(Action::Write { command: Command::set("q", 7), to: None }).unwrap(); // branch 3, from 2
    tl.advance(500).unwrap();
    tl.seek(2_000).unwrap();
    tl.act(Action::Heal).unwrap(); // branch 4, from 3, before every other fork
    tl.advance(4_000).unwrap();
    let infos = tl.branches();
    let parents: Vec<(u32, Option<u32>, u64)> = infos.iter().map(|b| (b.id, b.parent, b.forked_at)).collect();
    assert_eq!(parents, [(1, None, 0), (2, Some(1), 5_000), (3, Some(2), 6_000), (4, Some(3), 2_000)]);
    // Each branch at its latest moment is the straight run of its actions.
    let mut ends = Vec::new();
    for b in &infos {
        assert_eq!(tl.switch_branch(b.id).unwrap(), b.latest);
        let actions = tl.actions().to_vec();
        assert_eq!(print(tl.cluster()), print(&Cluster::replay(cfg.clone(), &actions, b.latest).unwrap()));
        ends.push((b.id, b.latest, print(tl.cluster()), actions));
    }
    assert_eq!(ends[2].3.last().unwrap().1, Action::Write { command: Command::set("q", 7), to: None });
    assert_eq!(ends[3].3.len(), history.iter().take_while(|(t, _)| *t <= 2_000).count() + 1);
    // Switching around in any order keeps each one.
    for &k in &[3usize, 0, 2, 1, 3, 0] {
        let (id, latest, p, _) = &ends[k];
        assert_eq!(tl.switch_branch(*id).unwrap(), *latest);
        assert_eq!(&print(tl.cluster()), p);
        assert_eq!(tl.current_branch(), *id);
    }
}

#[test]
fn at_most_max_branches_are_kept_forgetting_the_one_visited_longest_ago() {
    let cfg = config(4);
    let settings = TimelineSettings { max_branches: 3, ..small(500, 8) };
    let mut tl = Timeline::with_settings(cfg, settings).unwrap();
    tl.advance(3_000).unwrap();
    let mut forgot = Vec::new();
    for k in 0..4u64 {
        tl.seek(1_000 + k * 100).unwrap();
        let acted = tl.act(Action::Write { command: Command::set("f", k as i64), to: None }).unwrap();
        forgot.push(acted.forgot);
        tl.advance(1_000).unwrap();
    }
    assert_eq!(forgot, [None, None, Some(1), Some(2)]);
    let ids: Vec<u32> = tl.branches().iter().map(|b| b.id).collect();
    assert_eq!(ids, [3, 4, 5]);
    assert!(matches!(tl.switch_branch(1), Err(TimelineError::UnknownBranch(1))));
    assert_eq!(tl.switch_branch(3).unwrap(), 2_100);
}

#[test]
fn checkpoints_stay_bounded_and_share_their_chunks_as_the_run_grows() {
    let cfg = Config { seed: 3, ..Config::default() };
    let cap = 12;
    let mut tl = Timeline::with_settings(cfg, small(1_000, cap)).unwrap();
    let mut t = 0;
    let mut last_count = 0;
    let mut thinned = 0;
    while t < 240_000 {
        t += 250;
        tl.advance_to(t).unwrap();
        if t % 1_000 == 0 {
            tl.act(Action::Write { command: Command::set("m", t as i64), to: None }).unwrap();
        }
        let count = tl.checkpoint_times().len();
        assert!(count <= cap, "{count} checkpoints at {t} ms");
        thinned += (count < last_count) as usize;
        last_count = count;
    }
    assert!(thinned >= 4, "thinned {thinned} times");
    assert_eq!(tl.checkpoint_interval(), 1_000 << thinned);
    let times = tl.checkpoint_times();
    assert!(times.windows(2).all(|w| w[1] - w[0] >= tl.checkpoint_interval() / 2), "evenly spread: {times:?}");
    // The checkpoints share their chunks: together they hold about one copy
    // of the run (each may keep at most one chunk of its own, of a table whose
    // last items changed since), not one copy each.
    let m = tl.memory();
    assert_eq!(m.checkpoints, times.len());
    tl.seek(t - 1).unwrap(); // keeps the head too
    let latest_alone = SnapshotMemory::of([&tl.cluster().snapshot(None)]);
    assert!(
        m.snapshots.chunks <= latest_alone.chunks + m.checkpoints,
        "{} chunks for {} checkpoints, one snapshot alone has {}",
        m.snapshots.chunks,
        m.checkpoints,
        latest_alone.chunks
    );
    assert!(m.snapshots.chunk_bytes <= latest_alone.chunk_bytes * 11 / 10, "{m:?} vs {latest_alone:?}");
    assert!(m.bytes() < 2 * latest_alone.bytes(), "{m:?} vs {latest_alone:?}");
}

#[test]
fn the_default_checkpoints_of_a_10_minute_run_are_at_most_2_seconds_apart() {
    // A seek replays from the checkpoint before its moment: over a 10-minute
    // run (the page's seek bench), at most 2 s of virtual time.
    let mut tl = Timeline::new(Config { nodes: 5, seed: 8, ..Config::default() }).unwrap();
    tl.advance_to(600_000).unwrap();
    let times = tl.checkpoint_times();
    assert_eq!(tl.checkpoint_interval(), 2_000);
    assert!(times.windows(2).all(|w| w[1] - w[0] <= 2_000), "{times:?}");
    assert!(600_000 - times[times.len() - 1] <= 2_000, "{times:?}");
    assert!(times.len() <= TimelineSettings::default().max_checkpoints, "{}", times.len());
}

#[test]
fn bad_input_is_refused_with_an_error_and_changes_nothing() {
    let (cfg, history) = random_run(2, 5_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(500, 4)).unwrap();
    drive(&mut tl, &history, 5_000);
    tl.seek(2_500).unwrap();
    let before = print(tl.cluster());
    let max = tl.settings().max_time_ms;
    for t in [max + 1, u64::MAX] {
        let e = tl.seek(t).unwrap_err();
        assert_eq!(e, TimelineError::TooLate { t, max });
        assert!(e.to_string().contains("past the end of the timeline"), "{e}");
    }
    assert_eq!(tl.switch_branch(0).unwrap_err(), TimelineError::UnknownBranch(0));
    assert_eq!(tl.switch_branch(u32::MAX).unwrap_err().to_string(), format!("there is no branch {}", u32::MAX));
    assert!(tl.act(Action::Crash { node: NodeId(0) }).is_err());
    assert!(tl.act(Action::SetLatency { lo: 50, hi: 10 }).is_err());
    assert!(tl.act(Action::Write { command: Command::set("bad key!", 1), to: None }).is_err());
    assert!(tl.act(Action::DropMessage { id: u64::MAX }).is_err());
    assert_eq!(print(tl.cluster()), before);
    assert_eq!(tl.branches().len(), 1);
    // Running is clamped at the end of the timeline.
    let mut short =
        Timeline::with_settings(cfg.clone(), TimelineSettings { max_time_ms: 3_000, ..small(500, 4) }).unwrap();
    assert_eq!(short.advance(u64::MAX).unwrap(), 3_000);
    assert_eq!(short.advance(10).unwrap(), 3_000);
    assert_eq!(short.seek(3_000).unwrap(), 3_000);
    // Settings that cannot work.
    for s in [small(0, 4), small(100, 1), TimelineSettings { max_branches: 0, ..small(100, 4) }] {
        assert!(matches!(Timeline::with_settings(cfg.clone(), s), Err(TimelineError::BadSettings(_))));
    }
    assert!(matches!(Timeline::new(Config { nodes: 0, ..cfg.clone() }), Err(TimelineError::Refused(_))));
    // Recordings that cannot be replayed.
    let good = Recording { config: cfg.clone(), history: history.clone(), moment: 5_000, trace_hash: None };
    let mut unsorted = good.clone();
    unsorted.history.swap(0, 5);
    assert!(matches!(Timeline::from_recording(&unsorted), Err(TimelineError::BadRecording(_))));
    let mut wrong_hash = good.clone();
    wrong_hash.trace_hash = Some(1);
    assert!(matches!(Timeline::from_recording(&wrong_hash), Err(TimelineError::TraceMismatch { expected: 1, .. })));
    let mut failing = good.clone();
    failing.history.insert(0, (0, Action::Restart { node: NodeId(1) }));
    let e = Timeline::from_recording(&failing).err().unwrap();
    assert!(matches!(e, TimelineError::Replay { at: 0, .. }), "{e:?}");
    assert!(e.to_string().contains("restart S1"), "{e}");
    let late = Recording { moment: max + 1, ..good };
    assert!(matches!(Timeline::from_recording(&late), Err(TimelineError::TooLate { .. })));
}

#[test]
fn a_recording_of_the_current_branch_reopens_the_same_moment_and_future() {
    let (cfg, history) = random_run(9, 10_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(500, 8)).unwrap();
    drive(&mut tl, &history, 10_000);
    let end = print(tl.cluster());
    tl.seek(3_500).unwrap();
    tl.act(Action::Write { command: Command::set("r", 1), to: Some(NodeId(1)) }).unwrap();
    tl.advance(2_000).unwrap();
    tl.seek(4_200).unwrap();
    let here = print(tl.cluster());
    // The link holds the current branch only, with its future.
    let rec = tl.recording();
    assert_eq!((rec.moment, rec.trace_hash), (4_200, Some(here.trace_hash)));
    assert_eq!(rec.history, tl.actions());
    let decoded = link::decode(&link::encode(&rec).unwrap()).unwrap();
    let mut opened = Timeline::from_recording(&decoded).unwrap();
    assert_eq!(print(opened.cluster()), here);
    assert_eq!(opened.branches().len(), 1);
    // Played on, it does what the branch did.
    tl.seek(5_500).unwrap();
    assert_eq!(opened.advance_to(5_500).unwrap(), 5_500);
    assert_eq!(print(opened.cluster()), print(tl.cluster()));
    assert_eq!(opened.actions(), tl.actions());
    // The first branch's recording at its latest moment.
    tl.switch_branch(1).unwrap();
    let first = Timeline::from_recording(&tl.recording()).unwrap();
    assert_eq!(print(first.cluster()), end);
}

/// A random action of a run with every option of issue 9 in play: besides
/// [`random_action`]'s, reads (to the believed leader or to any server)
/// and the options switched while running (the read mode, pre-vote,
/// check-quorum, exactly-once, links).
fn random_action_with_options(c: &Cluster, rng: &mut Rng, value: &mut i64) -> Option<Action> {
    let key = ["x", "y", "z"][rng.range(0, 2) as usize].to_string();
    match rng.range(0, 99) {
        0..=24 => Some(Action::Read { key, to: rng.chance(0.2).then(|| pick(rng, &c.node_ids())).flatten() }),
        25..=31 => {
            let (name, value) = match rng.range(0, 4) {
                0 => ("read_mode", SwitchValue::Choice(if rng.chance(0.5) { "lease" } else { "read_index" }.into())),
                1 => ("pre_vote", SwitchValue::Flag(rng.chance(0.7))),
                2 => ("check_quorum", SwitchValue::Flag(rng.chance(0.7))),
                3 => ("exactly_once", SwitchValue::Flag(rng.chance(0.8))),
                _ => (
                    "max_entries_per_append",
                    if rng.chance(0.5) { SwitchValue::Count(2) } else { SwitchValue::Flag(false) },
                ),
            };
            Some(Action::SetOption { name: name.into(), value })
        }
        32 => Some(Action::SetLinks { links: if rng.chance(0.7) { Links::Reorder } else { Links::InOrder } }),
        _ => random_action(c, rng, value),
    }
}

/// Time travel over a run with every option on (pre-vote, check-quorum,
/// lease reads, exactly-once writes, reordering links, reads in the
/// workload, options changed while running): every moment sought, before
/// and after thinning, is the straight run's at that moment as a whole
/// (each node's pre-vote, leader-contact and check-quorum state and
/// timers, its exactly-once sessions and pending reads, the client's
/// operations, the linearizability checker's windows), and playing on from
/// one goes on exactly as the original did.
#[test]
fn seeking_in_a_run_with_every_option_on_gives_the_straight_runs_state() {
    let mut landed_twice = 0;
    for seed in [31u64, 32, 33] {
        let raft = Settings {
            pre_vote: true,
            check_quorum: true,
            read_mode: ReadMode::Lease,
            exactly_once: true,
            fast_backup: true,
            ..Settings::default()
        };
        let cfg = Config { nodes: 3 + (seed % 3) as usize * 2, seed, links: Links::Reorder, raft, ..config(seed) };
        let until = 15_000;
        let mut c = Cluster::new(cfg.clone()).unwrap();
        let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9));
        let (mut value, mut t) = (0, 0);
        while t + 300 < until {
            t += rng.range(10, 150);
            c.advance_to(t);
            if let Some(a) = random_action_with_options(&c, &mut rng, &mut value) {
                let _ = c.apply(a);
            }
        }
        c.advance_to(until);
        let history = c.history().to_vec();
        // The run did what it is meant to test.
        let reads = c.client_ops().iter().filter(|o| o.is_read() && o.is_acked()).count();
        let options = history.iter().filter(|(_, a)| matches!(a, Action::SetOption { .. })).count();
        let twice = c.client_ops().iter().filter(|o| o.landed.len() > 1).count();
        assert!(reads > 5 && options > 3, "seed {seed}: {reads} reads answered, {options} option changes");
        landed_twice += twice;
        assert!(c.violations().is_empty(), "seed {seed}: {:?}", c.violations());

        let mut moments: Vec<u64> = (0..60).map(|_| rng.range(0, until)).collect();
        moments.extend(history.iter().step_by(7).flat_map(|(t, _)| [*t, t.saturating_sub(1)]));
        moments.sort_unstable();
        moments.dedup();
        let want = straight_prints(&cfg, &history, &moments);
        let mut tl = Timeline::with_settings(cfg.clone(), small(200, 6)).unwrap();
        drive(&mut tl, &history, until);
        assert_eq!(print(tl.cluster()), print(&c), "seed {seed}: the timeline's run is the straight one");
        let mut order: Vec<usize> = (0..moments.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.range(0, i as u64) as usize);
        }
        for &i in &order {
            assert_eq!(tl.seek(moments[i]).unwrap(), moments[i]);
            let (got, want) = (print(tl.cluster()), &want[i]);
            assert_eq!(
                (got.trace_hash, got.everything),
                (want.trace_hash, want.everything),
                "seed {seed} at {} ms",
                moments[i]
            );
            assert_eq!(&got, want, "seed {seed} at {} ms", moments[i]);
        }
        // From a moment in the middle, played on: the original run, to the end.
        let mid = moments[moments.len() / 2];
        tl.seek(mid).unwrap();
        tl.seek(until).unwrap();
        tl.seek(mid).unwrap();
        while tl.now() < until {
            tl.advance(53.min(until - tl.now())).unwrap();
        }
        assert_eq!(print(tl.cluster()), print(&c), "seed {seed}: played on from {mid} ms");
        println!(
            "seed {seed}: {reads} reads, {options} option changes, {twice} writes landed twice, {} moments",
            moments.len()
        );
    }
    assert!(landed_twice > 0, "some retried writes landed twice (exactly-once had work to do)");
}

#[test]
fn each_branch_keeps_its_whole_trace_through_forks_switches_and_forgetting() {
    let (cfg, history) = random_run(21, 8_000);
    let settings = TimelineSettings { max_branches: 4, ..small(400, 6) };
    let mut tl = Timeline::with_settings(cfg.clone(), settings).unwrap();
    drive(&mut tl, &history, 8_000);
    // Forks at earlier and later moments of branches of branches, each run on a while.
    for (k, (at, from)) in [(5_000, 1), (3_000, 2), (6_000, 1), (1_000, 3), (3_000, 2), (0, 5)].iter().enumerate() {
        if tl.switch_branch(*from).is_err() {
            continue; // forgotten
        }
        tl.seek(*at).unwrap();
        let acted = tl.act(Action::Write { command: Command::set("k", k as i64), to: None }).unwrap();
        assert!(acted.forked.is_some());
        tl.advance(1_500).unwrap();
        tl.seek(*at + 700).unwrap();
        // In the past or at the latest moment, the strip reads the branch's whole trace.
        let whole = Cluster::replay(cfg.clone(), tl.actions(), tl.latest()).unwrap();
        assert_eq!(tl.events_to_latest().collect::<Vec<_>>(), whole.events().iter().collect::<Vec<_>>());
    }
    let infos = tl.branches();
    assert_eq!(infos.len(), 4);
    for &i in &[0usize, 3, 1, 2, 0, 2] {
        let b = &infos[i];
        assert_eq!(tl.switch_branch(b.id).unwrap(), b.latest);
        let actions = tl.actions().to_vec();
        let whole = Cluster::replay(cfg.clone(), &actions, b.latest).unwrap();
        assert_eq!(print(tl.cluster()), print(&whole), "branch {}", b.id);
        assert_eq!(tl.events_to_latest().count(), whole.events().len());
        tl.seek(b.latest / 2).unwrap();
        assert_eq!(print(tl.cluster()), print(&Cluster::replay(cfg.clone(), &actions, b.latest / 2).unwrap()));
        assert_eq!(tl.event_to_latest(whole.events().len() - 1), whole.events().last());
    }
}

#[test]
fn a_refused_start_of_a_branch_leaves_the_timeline_as_it_was_and_a_started_one_parts_from_its_parent() {
    // A lesson's branch (1) and its offer's (2, current): replaying the offer
    // starts another from the lesson's branch, whichever branch is current.
    let (cfg, history) = random_run(33, 6_000);
    let other = Config { raft: Settings { pre_vote: !cfg.raft.pre_vote, ..cfg.raft.clone() }, ..cfg.clone() };
    let (_, other_history) = random_run_of(other.clone(), 34, 4_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(400, 8)).unwrap();
    drive(&mut tl, &history, 6_000);
    let first_end = print(tl.cluster());
    assert_eq!(tl.start_branch(other.clone(), "offer", 1, 2_000), Ok(2));
    drive(&mut tl, &other_history, 4_000);
    let second_end = print(tl.cluster());
    let (list, revision) = (tl.branches(), tl.revision());

    // Refused (an unknown parent, a config the cluster refuses): nothing changes,
    // the current branch (2) included, and no id is spent.
    let bad = Config { nodes: 0, ..other.clone() };
    assert_eq!(tl.start_branch(other.clone(), "offer", 7, 2_000), Err(TimelineError::UnknownBranch(7)));
    assert!(matches!(tl.start_branch(bad, "offer", 1, 2_000), Err(TimelineError::Refused(_))));
    assert_eq!((tl.branches(), tl.revision()), (list, revision));
    assert_eq!((print(tl.cluster()), tl.latest()), (second_end.clone(), 4_000));

    // Started from branch 1 while 2 is current: 1 is its parent, 2 stays as it was.
    assert_eq!(tl.start_branch(other.clone(), "offer again", 1, 2_000), Ok(3));
    let said = |b: &raft_playground::timeline::BranchInfo| (b.id, b.parent, b.forked_at, b.current, b.own_start);
    let infos = tl.branches();
    assert_eq!(
        infos.iter().map(said).collect::<Vec<_>>(),
        vec![(1, None, 0, false, false), (2, Some(1), 2_000, false, true), (3, Some(1), 2_000, true, true)]
    );
    assert_eq!(print(tl.cluster()), print(&Cluster::new(other.clone()).unwrap()));
    assert_eq!(tl.switch_branch(2).unwrap(), 4_000);
    assert_eq!(print(tl.cluster()), second_end);
    assert_eq!(tl.switch_branch(1).unwrap(), 6_000);
    assert_eq!(print(tl.cluster()), first_end);
}

#[test]
fn a_branch_started_at_the_cap_from_a_branch_not_current_keeps_its_parent_and_forgets_the_oldest_other() {
    // At most 3 branches: 1 (the run), 2 started from 1, 3 started from 2
    // (current). Of those not current, 1 was visited longest ago; starting
    // one more from 1 counts 1 as visited, so 2 is the one forgotten.
    let cfg = config(5);
    let settings = TimelineSettings { max_branches: 3, ..small(500, 8) };
    let mut tl = Timeline::with_settings(cfg.clone(), settings).unwrap();
    tl.advance(3_000).unwrap();
    assert_eq!(tl.start_branch(cfg.clone(), "two", 1, 1_000), Ok(2));
    tl.advance(2_000).unwrap();
    assert_eq!(tl.start_branch(cfg.clone(), "three", 2, 1_000), Ok(3));
    tl.advance(1_000).unwrap();
    assert_eq!(tl.start_branch(cfg.clone(), "four", 1, 2_000), Ok(4));
    let said = |b: &raft_playground::timeline::BranchInfo| (b.id, b.parent, b.current);
    assert_eq!(
        tl.branches().iter().map(said).collect::<Vec<_>>(),
        vec![(1, None, false), (3, Some(2), false), (4, Some(1), true)]
    );
    assert!(matches!(tl.switch_branch(2), Err(TimelineError::UnknownBranch(2))));
    assert_eq!(tl.switch_branch(1).unwrap(), 3_000);
    assert_eq!(tl.switch_branch(3).unwrap(), 1_000);
}

#[test]
fn a_branch_with_its_own_start_runs_its_own_config_and_switching_keeps_both_runs() {
    // The first branch: a run of one config; the second: the same sort of run
    // from its own start with another config (a lesson and its "replay this
    // with pre-vote"), parting from the first at 3 s.
    let (cfg, history) = random_run(31, 9_000);
    let other = Config { raft: Settings { pre_vote: !cfg.raft.pre_vote, ..cfg.raft.clone() }, ..cfg.clone() };
    let (other, other_history) = random_run_of(other, 32, 8_000);
    let mut tl = Timeline::with_settings(cfg.clone(), small(400, 8)).unwrap();
    drive(&mut tl, &history, 9_000);
    let first_end = print(tl.cluster());
    let first_trace = tl.events_to_latest().cloned().collect::<Vec<_>>();
    let first_checkpoints = tl.checkpoint_times().len();
    assert_eq!(tl.memory().checkpoints, first_checkpoints);

    // A config the cluster refuses starts nothing and changes nothing.
    let bad = Config { nodes: 0, ..cfg.clone() };
    assert!(matches!(tl.start_branch(bad, "nothing", 1, 0), Err(TimelineError::Refused(_))));
    assert_eq!((print(tl.cluster()), tl.branches().len()), (first_end.clone(), 1));

    assert_eq!(tl.start_branch(other.clone(), "with pre-vote from step 2", 1, 3_000), Ok(2));
    assert_eq!(print(tl.cluster()), print(&Cluster::new(other.clone()).unwrap()), "its start");
    assert_eq!(tl.cluster().initial_config(), &other);
    assert_eq!((tl.actions().len(), tl.latest(), tl.checkpoint_times()), (0, 0, vec![0]));
    drive(&mut tl, &other_history, 8_000);
    let second_end = print(tl.cluster());
    assert_eq!(second_end, print(&Cluster::replay(other.clone(), &other_history, 8_000).unwrap()));
    let infos = tl.branches();
    assert_eq!(infos.len(), 2);
    assert_eq!(infos[1].name, "branch 2: with pre-vote from step 2");
    let said = |b: &raft_playground::timeline::BranchInfo| (b.id, b.parent, b.forked_at, b.current, b.own_start);
    assert_eq!(said(&infos[0]), (1, None, 0, false, false));
    assert_eq!(said(&infos[1]), (2, Some(1), 3_000, true, true));
    assert_eq!(infos[1].latest, 8_000);
    // Its checkpoints are its own, and the memory counts both branches'.
    let second_checkpoints = tl.checkpoint_times().len();
    assert!(second_checkpoints >= 2);
    assert_eq!(tl.memory().checkpoints, first_checkpoints + second_checkpoints);
    assert_eq!(tl.recording().config, other);

    // Seeking and stepping back on it give the straight run's states, trace hash included.
    let moments = [5_000, 1_200, 7_999, 0, 4_321];
    let mut sorted = moments.to_vec();
    sorted.sort_unstable();
    let straight = straight_prints(&other, &other_history, &sorted);
    for &m in &moments {
        tl.seek(m).unwrap();
        assert_eq!(print(tl.cluster()), straight[sorted.iter().position(|&x| x == m).unwrap()], "at {m}");
    }
    tl.seek(6_000).unwrap();
    for _ in 0..20 {
        let t = tl.step_back().unwrap();
        assert_eq!(print(tl.cluster()), print(&Cluster::replay(other.clone(), &other_history, t).unwrap()));
    }
    let whole = Cluster::replay(other.clone(), &other_history, 8_000).unwrap();
    assert_eq!(tl.events_to_latest().collect::<Vec<_>>(), whole.events().iter().collect::<Vec<_>>());

    // Back to the first branch: its run exactly as it was, config, trace and future included.
    assert_eq!(tl.switch_branch(1).unwrap(), 9_000);
    assert_eq!(print(tl.cluster()), first_end);
    assert_eq!(tl.cluster().initial_config(), &cfg);
    assert_eq!(tl.actions(), &history[..]);
    assert_eq!(tl.events_to_latest().cloned().collect::<Vec<_>>(), first_trace);
    tl.seek(2_500).unwrap();
    assert_eq!(print(tl.cluster()), print(&Cluster::replay(cfg.clone(), &history, 2_500).unwrap()));
    // And to the second again, at its latest moment.
    assert_eq!(tl.switch_branch(2).unwrap(), 8_000);
    assert_eq!(print(tl.cluster()), second_end);

    // Acting in its past forks as ever: the fork shares its past (and its config).
    tl.seek(4_000).unwrap();
    let acted = tl.act(Action::Write { command: Command::set("own", 1), to: None }).unwrap();
    assert_eq!(acted.forked, Some(3));
    let fork = tl.branches().into_iter().find(|b| b.id == 3).unwrap();
    assert_eq!(said(&fork), (3, Some(2), 4_000, true, false));
    tl.advance(1_000).unwrap();
    assert_eq!(print(tl.cluster()), print(&Cluster::replay(other.clone(), tl.actions(), 5_000).unwrap()));
    tl.seek(2_000).unwrap();
    assert_eq!(print(tl.cluster()), print(&Cluster::replay(other.clone(), &other_history, 2_000).unwrap()));
    // Back to the first from the fork, then forgetting branches.
    assert_eq!(tl.switch_branch(1).unwrap(), 9_000);
    assert_eq!(print(tl.cluster()), first_end);
    assert!(!tl.forget_branch(1), "not the current one");
    assert!(tl.forget_branch(2));
    assert_eq!(tl.branches().iter().map(|b| b.id).collect::<Vec<_>>(), vec![1, 3]);
    assert!(!tl.forget_branch(2));
    assert_eq!(tl.switch_branch(3).unwrap(), 5_000);
    assert_eq!(print(tl.cluster()), print(&Cluster::replay(other, tl.actions(), 5_000).unwrap()));
    assert_eq!(tl.switch_branch(1).unwrap(), 9_000);
    assert_eq!(print(tl.cluster()), first_end);
}

/// A restore looks for log truncations between the cursor and its
/// checkpoint only when the two count different numbers of them: seeking
/// back before a truncation and forward past it (and past checkpoints,
/// which then count more) must still give the straight run's states, so
/// the count must follow every seek, not stay at the moment left.
#[test]
fn seeking_back_before_log_truncations_and_forward_past_them_gives_the_straight_runs_states() {
    let until = 30_000;
    let seed = 8;
    let (cfg, history) = random_run(seed, until);
    let mut tl = Timeline::with_settings(cfg.clone(), small(250, 32)).unwrap();
    drive(&mut tl, &history, until);
    let cuts: Vec<u64> = tl
        .cluster()
        .events()
        .iter()
        .filter(|e| matches!(e.what, EventData::Truncated { .. }))
        .map(|e| e.time)
        .collect();
    assert!(cuts.len() >= 3, "{} truncations", cuts.len());
    // Around each truncation: before it, then forward past it by steps that
    // cross checkpoints; between those, jumps back and forth at random.
    let mut rng = Rng::new(seed);
    let mut moments = Vec::new();
    for &t in &cuts {
        moments.extend([t.saturating_sub(1), t, t + 1, t + 400, t + 1_300, rng.range(0, until)]);
        moments.extend([t.saturating_sub(700), t + 2_000, rng.range(0, until)]);
    }
    moments.retain(|&m| m <= until);
    let mut sorted = moments.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let prints = straight_prints(&cfg, &history, &sorted);
    let (mut across, mut not_across, mut at) = (0, 0, until);
    for &m in &moments {
        let (lo, hi) = (at.min(m), at.max(m));
        if cuts.iter().any(|&t| lo < t && t <= hi) {
            across += 1;
        } else {
            not_across += 1;
        }
        assert_eq!(tl.seek(m).unwrap(), m);
        assert_eq!(print(tl.cluster()), prints[sorted.binary_search(&m).unwrap()], "at {m} ms");
        at = m;
    }
    assert!(across > 10 && not_across > 10, "{across} seeks across a truncation, {not_across} not");
}
