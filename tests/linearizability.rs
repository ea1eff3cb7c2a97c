//! The linearizability checker on hand-made histories (accepted and refused),
//! on generated ones (a sequential run stretched into overlapping intervals is
//! always accepted; one read made impossible is always refused), on small
//! random ones against brute force, on pathological ones (the budget holds),
//! and speed figures.

use raft_playground::sim::linearizability::{check, check_key, Checker, Op, OpKind, Report, Verdict, DEFAULT_BUDGET};
use raft_playground::sim::Rng;
use std::time::Instant;

fn w(id: u64, value: i64, invoked: u64, completed: u64) -> Op {
    Op::write(id, "x", value, invoked, Some(completed))
}

fn r(id: u64, result: Option<i64>, invoked: u64, completed: u64) -> Op {
    Op::read(id, "x", result, invoked, Some(completed))
}

fn verdict(history: &[Op]) -> Verdict {
    let report = check_key("x", history, DEFAULT_BUDGET);
    assert!(report.steps <= DEFAULT_BUDGET);
    report.verdict
}

#[track_caller]
fn accepted(history: &[Op]) {
    assert_eq!(verdict(history), Verdict::Linearizable, "{history:?}");
}

/// The violation's (at, ops involved, sentence).
#[track_caller]
fn refused(history: &[Op]) -> (u64, Vec<u64>, String) {
    match verdict(history) {
        Verdict::Violation { at, ops, explanation } => (at, ops, explanation),
        v => panic!("expected a violation, got {v:?} for {history:?}"),
    }
}

// ----- accepted ---------------------------------------------------------------------------

#[test]
fn sequential_histories_are_accepted() {
    accepted(&[]);
    accepted(&[r(1, None, 0, 5), w(2, 1, 10, 20), r(3, Some(1), 30, 40), w(4, 2, 50, 60), r(5, Some(2), 70, 80)]);
    // The same value written twice, and read after each.
    accepted(&[w(1, 7, 0, 10), r(2, Some(7), 20, 30), w(3, 8, 40, 50), w(4, 7, 60, 70), r(5, Some(7), 80, 90)]);
}

#[test]
fn reads_of_a_key_never_written_find_nothing() {
    accepted(&[r(1, None, 0, 10), r(2, None, 20, 30)]);
    // Writes to another key do not count.
    let y = Op::write(3, "y", 5, 0, Some(1));
    let report = check(&[r(1, None, 10, 20), y], DEFAULT_BUDGET);
    assert!(report.is_linearizable(), "{report:?}");
    assert_eq!(report.keys.iter().map(|k| k.key.as_str()).collect::<Vec<_>>(), ["x", "y"]);
}

#[test]
fn concurrent_writes_may_take_effect_in_either_order() {
    let writes = [w(1, 1, 0, 100), w(2, 2, 10, 90)];
    for (a, b) in [(1, 1), (2, 2), (1, 2), (2, 1)] {
        // Two reads during the writes may see them in either order...
        let mut h = writes.to_vec();
        h.extend([r(3, Some(a), 20, 30), r(4, Some(b), 40, 50)]);
        accepted(&h);
    }
    for last in [1, 2] {
        // ...and a read after both sees whichever went last, also after a read that saw the other.
        let mut h = writes.to_vec();
        h.extend([r(3, Some(3 - last), 20, 30), r(4, Some(last), 110, 120), r(5, Some(last), 130, 140)]);
        accepted(&h);
    }
    // A read concurrent with a write may see the old value or the new.
    accepted(&[w(1, 1, 0, 10), w(2, 2, 20, 60), r(3, Some(1), 30, 40), r(4, Some(2), 50, 70)]);
    accepted(&[w(1, 1, 0, 10), w(2, 2, 20, 60), r(3, Some(2), 30, 40), r(4, Some(2), 50, 70)]);
}

#[test]
fn equal_times_count_as_concurrent() {
    // The write's acknowledgement and the read's invocation share a millisecond:
    // the read may have gone first.
    accepted(&[w(1, 1, 0, 10), r(2, None, 10, 15)]);
    accepted(&[w(1, 1, 0, 10), w(2, 2, 10, 20), r(3, Some(1), 20, 30)]);
    // One millisecond later it may not.
    let (at, ops, _) = refused(&[w(1, 1, 0, 10), r(2, None, 11, 15)]);
    assert_eq!((at, ops), (15, vec![2, 1]));
}

#[test]
fn a_pending_write_may_take_effect_late_or_never() {
    let pending = Op::write(2, "x", 2, 20, None);
    // Never.
    accepted(&[w(1, 1, 0, 10), pending.clone(), r(3, Some(1), 30, 40), r(4, Some(1), 1_000, 1_010)]);
    // Long after the client gave up on it.
    accepted(&[w(1, 1, 0, 10), pending.clone(), r(3, Some(1), 30, 40), r(4, Some(2), 1_000, 1_010)]);
    // Taking effect, then overwritten.
    accepted(&[w(1, 1, 0, 10), pending.clone(), r(3, Some(2), 30, 40), w(4, 4, 50, 60), r(5, Some(4), 70, 80)]);
    // But not before it was invoked.
    let (_, ops, text) = refused(&[w(1, 1, 0, 10), r(3, Some(2), 12, 18), pending.clone()]);
    assert_eq!(ops, [3, 2]);
    assert_eq!(
        text,
        "read #3 of x returned 2 at 0.018 s, before any write of 2 to x began (the first, write #2 x ← 2, began at 0.020 s)"
    );
    // And once seen, it stays (a pending write takes effect once).
    let (_, ops, text) = refused(&[w(1, 1, 0, 10), pending, r(3, Some(2), 30, 40), r(4, Some(1), 50, 60)]);
    assert_eq!(ops, [4, 1, 2, 3]);
    assert!(
        text.starts_with("read #4 of x returned 1 at 0.060 s, but read #3 of x had returned 2 at 0.040 s"),
        "{text}"
    );
}

#[test]
fn a_pending_read_constrains_nothing() {
    accepted(&[w(1, 1, 0, 10), Op::read(2, "x", Some(99), 20, None), Op::read(3, "x", None, 30, None)]);
}

// ----- refused ----------------------------------------------------------------------------

#[test]
fn a_stale_read_is_refused_and_named() {
    let (at, ops, text) = refused(&[w(6, 1, 0, 900), w(7, 2, 1_000, 1_100), r(8, Some(1), 1_200, 1_234)]);
    assert_eq!(at, 1_234);
    assert_eq!(ops, [8, 6, 7]);
    assert_eq!(
        text,
        "read #8 of x returned 1 at 1.234 s, but write #7 x ← 2 had completed at 1.100 s, before the read began, \
         and no write of 1 came after it (the last, write #6 x ← 1, completed at 0.900 s)"
    );
}

#[test]
fn a_stale_read_of_a_key_not_yet_written_is_refused() {
    // An old leader cut off before the write answers from its own state.
    let (at, ops, text) = refused(&[w(1, 5, 0, 1_100), r(2, None, 1_200, 1_234)]);
    assert_eq!((at, ops), (1_234, vec![2, 1]));
    assert_eq!(
        text,
        "read #2 of x found x never written (answered at 1.234 s), but write #1 x ← 5 had completed at 1.100 s, \
         before the read began at 1.200 s"
    );
}

#[test]
fn a_lost_write_is_refused() {
    // Write #2 was acknowledged, yet every later read sees the value it overwrote.
    let (at, ops, _) = refused(&[
        w(1, 1, 0, 10),
        r(2, Some(1), 20, 30),
        w(3, 2, 40, 50),
        r(4, Some(1), 60, 70),
        r(5, Some(1), 80, 90),
    ]);
    assert_eq!(at, 70, "the first read that should have seen it");
    assert_eq!(ops, [4, 1, 3]);
}

#[test]
fn a_read_of_a_value_never_written_is_refused() {
    let (at, ops, text) = refused(&[w(1, 1, 0, 10), r(2, Some(1), 20, 30), r(3, Some(7), 40, 50)]);
    assert_eq!((at, ops), (50, vec![3]));
    assert_eq!(text, "read #3 of x returned 7 at 0.050 s, but nothing ever wrote 7 to x");
}

#[test]
fn non_monotonic_reads_are_refused() {
    // Sequential writes: the earlier read proves the later write took effect.
    let (at, ops, text) = refused(&[w(1, 1, 0, 10), w(2, 2, 20, 30), r(3, Some(2), 15, 40), r(4, Some(1), 50, 60)]);
    assert_eq!((at, &ops[..]), (60, &[4, 1, 2][..]));
    assert!(text.contains("but write #2 x ← 2 had completed at 0.030 s"), "{text}");
    // Concurrent writes: either order alone is fine, but the two reads saw both.
    let (at, ops, text) =
        refused(&[w(1, 1, 0, 30), w(2, 2, 0, 30), r(3, Some(2), 40, 50), r(5, Some(1), 5, 8), r(4, Some(1), 60, 70)]);
    assert_eq!(at, 70);
    assert_eq!(ops, [4, 1, 2, 3], "the read that cannot be placed, the writes and the one read it contradicts");
    assert_eq!(
        text,
        "read #4 of x returned 1 at 0.070 s, but no order of write #1 x ← 1 and write #2 x ← 2 that respects their \
         times explains that together with read #3 of x (returned 2 at 0.050 s)"
    );
    // "Never written" after a read saw a value (the write still pending).
    let (at, ops, text) = refused(&[Op::write(1, "x", 1, 0, None), r(2, Some(1), 10, 20), r(3, None, 30, 40)]);
    assert_eq!((at, ops), (40, vec![3, 2]));
    assert_eq!(
        text,
        "read #3 of x found x never written (answered at 0.040 s), but read #2 of x had returned 1 at 0.020 s, \
         before the read began at 0.030 s"
    );
}

#[test]
fn the_earliest_violation_is_named() {
    // Read #3 is stale at 0.050 s; read #5 (a value nobody wrote) comes later.
    let (at, ops, _) = refused(&[
        w(1, 1, 0, 10),
        w(2, 2, 20, 30),
        r(3, Some(1), 40, 50),
        r(4, Some(2), 60, 70),
        r(5, Some(9), 80, 90),
    ]);
    assert_eq!((at, ops[0]), (50, 3));
}

#[test]
fn keys_are_checked_apart_and_the_report_says_which_broke() {
    let mut h = vec![w(1, 1, 0, 10), r(2, Some(1), 20, 30)];
    h.push(Op::write(3, "y", 1, 0, Some(10)));
    h.push(Op::write(4, "y", 2, 20, Some(30)));
    h.push(Op::read(5, "y", Some(1), 40, Some(50)));
    h.push(Op::read(6, "z", Some(1), 0, Some(5)));
    let report = check(&h, DEFAULT_BUDGET);
    assert!(!report.is_linearizable());
    let broken: Vec<&str> = report.violations().map(|k| k.key.as_str()).collect();
    assert_eq!(broken, ["y", "z"]);
    assert_eq!(report.first_violation().map(|k| k.key.as_str()), Some("z"), "z broke at 5 ms, y at 50 ms");
    assert_eq!(report.keys[0].verdict, Verdict::Linearizable);
    assert_eq!(report.keys.iter().map(|k| k.ops).collect::<Vec<_>>(), [2, 3, 1]);
}

#[test]
fn a_malformed_history_is_not_checked_rather_than_guessed() {
    let report = check_key("x", &[w(1, 1, 10, 5)], DEFAULT_BUDGET);
    match report.verdict {
        Verdict::NotChecked { reason } => {
            assert_eq!(
                reason,
                "write #1 x ← 1 was answered at 0.005 s, before it was invoked at 0.010 s: the history is malformed"
            )
        }
        v => panic!("{v:?}"),
    }
}

// ----- incremental use -----------------------------------------------------------------

#[test]
fn the_checker_rechecks_only_keys_that_changed() {
    let mut h = vec![w(1, 1, 0, 10), Op::write(2, "y", 1, 0, Some(10))];
    let mut checker = Checker::default();
    assert_eq!(checker.check(&h), check(&h, DEFAULT_BUDGET));
    assert_eq!(checker.rechecked(), ["x", "y"]);
    assert_eq!(checker.check(&h), check(&h, DEFAULT_BUDGET));
    assert!(checker.rechecked().is_empty());
    // A new read of y, pending, then answered.
    h.push(Op::read(3, "y", Some(1), 20, None));
    checker.check(&h);
    assert_eq!(checker.rechecked(), ["y"]);
    h[2].completed = Some(30);
    h[2].kind = OpKind::Read(Some(5));
    let report = checker.check(&h);
    assert_eq!(checker.rechecked(), ["y"]);
    assert_eq!(report, check(&h, DEFAULT_BUDGET));
    assert_eq!(report.violations().count(), 1);
    // Time travel back to before the read: y is re-checked and fine again; a key gone is forgotten.
    h.truncate(1);
    let report = checker.check(&h);
    assert!(report.is_linearizable());
    assert_eq!(report.keys.len(), 1);
    assert!(checker.rechecked().is_empty(), "x did not change");
}

// ----- generated histories -------------------------------------------------------------

/// A history from a sequential run on `keys` keys: op i takes effect at
/// 10·i + 5 ms and its interval is stretched up to `stretch` ms either side,
/// so neighbours overlap. Values are small so they repeat. Some ops stay
/// pending; a pending write takes effect or not.
fn generated(rng: &mut Rng, n: usize, keys: u64, stretch: u64) -> Vec<Op> {
    generated_with(rng, n, keys, stretch, 4)
}

/// As [`generated`], with values drawn from `0..=values`.
fn generated_with(rng: &mut Rng, n: usize, keys: u64, stretch: u64, values: u64) -> Vec<Op> {
    let mut value = vec![None; keys as usize];
    (0..n as u64)
        .map(|i| {
            let k = rng.range(0, keys - 1) as usize;
            let key = ["x", "y", "z", "u", "v", "w", "a", "b", "c", "d"][k % 10];
            let point = 10 * i + 5;
            let invoked = point.saturating_sub(rng.range(0, stretch));
            let completed = (!rng.chance(0.1)).then(|| point + rng.range(0, stretch));
            if rng.chance(0.5) {
                let v = rng.range(0, values) as i64;
                if completed.is_some() || rng.chance(0.5) {
                    value[k] = Some(v);
                }
                Op::write(i, key, v, invoked, completed)
            } else {
                Op::read(i, key, value[k], invoked, completed)
            }
        })
        .collect()
}

#[test]
fn generated_linearizable_histories_are_accepted() {
    let mut steps = 0;
    for seed in 0..300 {
        let mut rng = Rng::new(seed);
        let h = generated(&mut rng, 80, 1 + seed % 3, 10 + seed % 40);
        let report = check(&h, DEFAULT_BUDGET);
        assert!(report.is_linearizable(), "seed {seed}: {report:?}");
        steps += report.keys.iter().map(|k| k.steps).sum::<u64>();
    }
    println!("300 generated histories of 80 ops: {steps} search steps in all");
}

/// A value `read` (a completed read of `h`) cannot have returned: every write
/// of it that began before the read ended was overwritten (a write of another
/// value began after it ended and ended before the read began), or `None`
/// once any write had ended before the read began.
fn impossible_value(h: &[Op], read: &Op) -> Option<Option<i64>> {
    let rc = read.completed.unwrap();
    let writes: Vec<&Op> = h.iter().filter(|o| o.key == read.key && matches!(o.kind, OpKind::Write(_))).collect();
    let before = |a: &Op, b: &Op| a.completed.is_some_and(|c| c < b.invoked);
    let overwritten = |w: &Op| writes.iter().any(|n| n.kind != w.kind && before(w, n) && before(n, read));
    let OpKind::Read(actual) = read.kind else { unreachable!() };
    let stale = (0..5).map(Some).find(|&v| {
        v != actual
            && writes.iter().filter(|o| o.kind == OpKind::Write(v.unwrap()) && o.invoked <= rc).all(|o| overwritten(o))
    });
    stale.or_else(|| (actual.is_some() && writes.iter().any(|o| before(o, read))).then_some(None))
}

#[test]
fn generated_histories_with_one_impossible_read_are_refused_at_that_read() {
    let mut refused = 0;
    for seed in 0..300 {
        let mut rng = Rng::new(1_000 + seed);
        let mut h = generated(&mut rng, 80, 1 + seed % 3, 10 + seed % 40);
        let reads: Vec<usize> =
            (0..h.len()).filter(|&i| matches!(h[i].kind, OpKind::Read(_)) && h[i].completed.is_some()).collect();
        if reads.is_empty() {
            continue;
        }
        // Try reads from a random place on until one can be made impossible.
        let start = rng.range(0, reads.len() as u64 - 1) as usize;
        let Some((i, bad)) = (0..reads.len())
            .map(|j| reads[(start + j) % reads.len()])
            .find_map(|i| impossible_value(&h, &h[i]).map(|bad| (i, bad)))
        else {
            continue;
        };
        h[i].kind = OpKind::Read(bad);
        let report = check(&h, DEFAULT_BUDGET);
        let key = report.keys.iter().find(|k| k.key == h[i].key).unwrap();
        match &key.verdict {
            Verdict::Violation { at, ops, explanation } => {
                assert_eq!((*at, ops[0]), (h[i].completed.unwrap(), h[i].id), "seed {seed}: {explanation}");
                assert!(explanation.starts_with(&format!("read #{} of", h[i].id)), "{explanation}");
            }
            v => panic!("seed {seed}: read #{} made to return {bad:?}: {v:?}", h[i].id),
        }
        assert_eq!(report.violations().count(), 1, "the other keys are untouched");
        refused += 1;
        // And a value nobody wrote, anywhere.
        h[i].kind = OpKind::Read(Some(1_000));
        let (_, ops, text) = match check_key(&h[i].key, &h, DEFAULT_BUDGET).verdict {
            Verdict::Violation { at, ops, explanation } => (at, ops, explanation),
            v => panic!("{v:?}"),
        };
        assert_eq!(ops, [h[i].id]);
        assert!(text.ends_with(&format!("but nothing ever wrote 1000 to {}", h[i].key)), "{text}");
    }
    assert!(refused > 250, "only {refused} of 300 histories had a read to spoil");
}

#[test]
fn the_same_history_gets_the_same_report() {
    let mut rng = Rng::new(5);
    let h = generated(&mut rng, 200, 3, 40);
    let a: Report = check(&h, DEFAULT_BUDGET);
    assert_eq!(a, check(&h, DEFAULT_BUDGET));
    assert!(a.keys.iter().all(|k| k.steps > 0));
}

// ----- the budget ----------------------------------------------------------------------

/// 998 concurrent writes of different values, then two reads, one after the
/// other, that saw different values: no order exists, but proving it means
/// trying every order of the writes.
fn hard_history() -> Vec<Op> {
    let mut h: Vec<Op> = (0..998).map(|i| w(i, i as i64, 0, 1_000)).collect();
    h.extend([r(998, Some(0), 2_000, 2_001), r(999, Some(1), 2_002, 2_003)]);
    h
}

#[test]
fn a_pathological_history_stops_at_its_budget() {
    let h = hard_history();
    let report = check(&h, 1_000);
    assert_eq!(report.not_checked().map(|k| k.key.as_str()).collect::<Vec<_>>(), ["x"]);
    assert!(!report.is_linearizable() && report.first_violation().is_none());
    for budget in [1_000, DEFAULT_BUDGET] {
        let report = check_key("x", &h, budget);
        assert_eq!(report.ops, 1_000);
        assert!(report.steps <= budget, "{} steps", report.steps);
        match report.verdict {
            Verdict::NotChecked { reason } => assert_eq!(
                reason,
                format!("the search for an order of the 1000 operations on x stopped at its budget of {budget} steps")
            ),
            Verdict::Violation { ops, .. } => assert_eq!(ops[0], 999),
            Verdict::Linearizable => panic!("no order exists"),
        }
    }
}

#[test]
fn a_thousand_concurrent_reads_and_writes_finish_within_the_budget() {
    // 500 concurrent writes and 500 concurrent reads, each read seeing one of them: linearizable.
    let mut h: Vec<Op> = (0..500).map(|i| w(i, i as i64, 0, 1_000)).collect();
    h.extend((0..500).map(|i| r(500 + i, Some(((i * 7) % 500) as i64), 0, 1_000)));
    let report = check_key("x", &h, DEFAULT_BUDGET);
    assert!(report.steps <= DEFAULT_BUDGET);
    assert!(!matches!(report.verdict, Verdict::Violation { .. }), "{:?}", report.verdict);
    println!("1,000 concurrent ops: {:?} in {} steps", report.verdict, report.steps);
}

// ----- figures ---------------------------------------------------------------------------

/// Prints check times (`cargo test --release --test linearizability --
/// --nocapture figures`): 10,000 ops over 10 keys, and two histories that
/// spend the whole budget.
#[test]
fn figures() {
    // The best of five runs: the machine may be busy with other work.
    let timed = |h: &[Op]| {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            std::hint::black_box(check(h, DEFAULT_BUDGET));
            best = best.min(start.elapsed().as_secs_f64() * 1e3);
        }
        (check(h, DEFAULT_BUDGET), best)
    };
    let steps = |r: &Report| r.keys.iter().map(|k| k.steps).sum::<u64>();
    let mut rng = Rng::new(42);
    let (report, ms) = timed(&generated(&mut rng, 10_000, 10, 30));
    assert!(report.is_linearizable());
    println!("10,000 ops over 10 keys, linearizable: {ms:.1} ms, {} steps", steps(&report));

    // About 20 ops overlap at any time, values are unique, the last read is
    // made stale: the search spends its budget (pushes, mostly), then the
    // cheap checks name the read.
    let mut rng = Rng::new(2);
    let mut h = generated_with(&mut rng, 1_000, 1, 100, 1 << 40);
    let first = h.iter().find_map(|o| match o.kind {
        OpKind::Write(v) => Some(v),
        OpKind::Read(_) => None,
    });
    let last = (0..h.len()).rev().find(|&i| matches!(h[i].kind, OpKind::Read(_)) && h[i].completed.is_some());
    h[last.unwrap()].kind = OpKind::Read(first);
    let (report, ms) = timed(&h);
    assert_eq!(report.violations().count(), 1);
    println!("1,000 ops on one key, 20 overlapping, one stale read: {ms:.1} ms, {} steps", steps(&report));

    let (report, ms) = timed(&hard_history());
    assert!(!report.is_linearizable());
    println!("1,000 concurrent ops, no order: {ms:.1} ms, {} steps ({:?})", steps(&report), report.keys[0].verdict);
}

// ----- against brute force -------------------------------------------------------------

/// Whether some order of `h` (one key) explains it, by trying every order of
/// the answered ops and every subset of the pending writes.
fn brute_force(h: &[Op]) -> bool {
    let must: Vec<&Op> = h.iter().filter(|o| o.completed.is_some()).collect();
    let may: Vec<&Op> = h.iter().filter(|o| o.completed.is_none() && matches!(o.kind, OpKind::Write(_))).collect();
    (0..1u32 << may.len()).any(|mask| {
        let mut ops = must.clone();
        ops.extend(may.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1).map(|(_, o)| *o));
        permutations_ok(&mut ops, 0, None)
    })
}

/// Tries every order of `ops[k..]` after `ops[..k]`, which left the register at `value`.
fn permutations_ok(ops: &mut Vec<&Op>, k: usize, value: Option<i64>) -> bool {
    if k == ops.len() {
        return true;
    }
    for j in k..ops.len() {
        ops.swap(k, j);
        let o = ops[k];
        // Nothing still to place may precede o in real time.
        let respects = ops[k + 1..].iter().all(|later| later.completed.is_none_or(|c| c >= o.invoked));
        let next = match o.kind {
            OpKind::Write(v) => Some(Some(v)),
            OpKind::Read(r) => (r == value).then_some(value),
        };
        if let (true, Some(next)) = (respects, next) {
            if permutations_ok(ops, k + 1, next) {
                ops.swap(k, j);
                return true;
            }
        }
        ops.swap(k, j);
    }
    false
}

#[test]
fn small_random_histories_agree_with_brute_force() {
    let (mut yes, mut no) = (0, 0);
    for seed in 0..3_000 {
        let mut rng = Rng::new(seed);
        let n = rng.range(1, 7);
        let h: Vec<Op> = (0..n)
            .map(|id| {
                let invoked = rng.range(0, 12);
                let completed = (!rng.chance(0.2)).then(|| invoked + rng.range(0, 6));
                let value = rng.range(0, 2) as i64;
                if rng.chance(0.5) {
                    Op::write(id, "x", value, invoked, completed)
                } else {
                    Op::read(id, "x", (value > 0).then_some(value), invoked, completed)
                }
            })
            .collect();
        let expected = brute_force(&h);
        match check_key("x", &h, DEFAULT_BUDGET).verdict {
            Verdict::Linearizable => assert!(expected, "seed {seed}: accepted, but no order exists: {h:?}"),
            Verdict::Violation { at, ops, explanation } => {
                assert!(!expected, "seed {seed}: refused ({explanation}), but an order exists: {h:?}");
                // The history up to just before `at` can be ordered; with the op answered there, not.
                let culprit = h.iter().find(|o| o.id == ops[0]).unwrap();
                assert_eq!(culprit.completed, Some(at));
                let before: Vec<Op> = h
                    .iter()
                    .filter(|o| o.invoked <= at && !std::ptr::eq(*o, culprit))
                    .map(|o| Op { completed: o.completed.filter(|&c| c < at), ..o.clone() })
                    .collect();
                assert!(brute_force(&before), "seed {seed}: the history before {at} ms has no order either: {h:?}");
                // The ops named have no order by themselves (up to `at`): they are the reason.
                let named: Vec<Op> = h
                    .iter()
                    .filter(|o| ops.contains(&o.id))
                    .map(|o| Op { completed: o.completed.filter(|&c| c <= at), ..o.clone() })
                    .collect();
                assert!(!brute_force(&named), "seed {seed}: {explanation}, yet {named:?} has an order");
            }
            Verdict::NotChecked { reason } => panic!("seed {seed}: {reason}"),
        }
        if expected {
            yes += 1
        } else {
            no += 1
        }
    }
    assert!(yes > 500 && no > 500, "{yes} linearizable, {no} not");
}
