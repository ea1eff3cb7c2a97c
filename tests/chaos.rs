//! Chaos: thousands of seeded runs, each 60 virtual seconds of random crashes,
//! restarts, partitions, disconnections, random loss, hand-dropped and duplicated
//! messages, forced elections, leadership transfers and client writes on 3 to
//! 7 servers. The safety monitor must stay silent, and once the faults stop
//! and the network heals, every acknowledged write must be in every server's
//! committed log.
//!
//! Seeds: 2,000 in a release build (`cargo test --release --test chaos`), 100
//! in a debug build; `CHAOS_SEEDS=n` overrides, `CHAOS_FIRST=k` shifts them.

use raft_playground::raft::Settings;
use raft_playground::sim::*;

const FAULT_MS: u64 = 60_000;

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[rng.range(0, items.len() as u64 - 1) as usize])
    }
}

#[derive(Default, Debug)]
struct Stats {
    acked: usize,
    failed: usize,
    actions: usize,
    leaders: usize,
}

/// What went wrong in a chaos run.
#[derive(Debug)]
struct Failure {
    /// The first safety property that broke, if one did.
    broke: Option<Property>,
    text: String,
}

impl From<String> for Failure {
    fn from(text: String) -> Failure {
        Failure { broke: None, text }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// One chaos run.
fn chaos(seed: u64, raft: Settings) -> Result<Stats, Failure> {
    let mut rng = Rng::new(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xC4A0_5000);
    let nodes = rng.range(3, 7) as usize;
    let mut c = Cluster::new(Config { nodes, seed, raft, ..Config::default() }).map_err(|e| e.to_string())?;
    let ids = c.node_ids();
    let mut stats = Stats::default();
    let mut value = 0i64;
    let mut t = 0;
    while t < FAULT_MS {
        t += rng.range(10, 300);
        c.advance_to(t);
        let up: Vec<NodeId> = ids.iter().copied().filter(|&n| c.node(n).unwrap().is_up()).collect();
        let down: Vec<NodeId> = ids.iter().copied().filter(|&n| !c.node(n).unwrap().is_up()).collect();
        let in_flight: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
        let any = pick(&mut rng, &ids).unwrap();
        value += 1;
        let key = ["x", "y", "z", "w"][rng.range(0, 3) as usize].to_string();
        let action = match rng.range(0, 99) {
            0..=29 => Some(Action::Write { command: Command::set(&key, value), to: None }),
            30..=34 => Some(Action::Write { command: Command::set(&key, value), to: Some(any) }),
            35..=44 => pick(&mut rng, &up).map(|node| Action::Crash { node }),
            45..=56 => pick(&mut rng, &down).map(|node| Action::Restart { node }),
            57..=62 => {
                let mut order = ids.clone();
                for i in (1..order.len()).rev() {
                    order.swap(i, rng.range(0, i as u64) as usize);
                }
                let cut = rng.range(1, order.len() as u64 - 1) as usize;
                let (a, b) = order.split_at(cut);
                Some(Action::Partition { groups: vec![a.to_vec(), b.to_vec()] })
            }
            63..=70 => Some(Action::Heal),
            71..=74 => Some(Action::Disconnect { node: any }),
            75..=77 => Some(Action::Reconnect { node: any }),
            78..=81 => Some(Action::SetDropRate { rate: (rng.range(0, 30) as f64) / 100.0 }),
            82..=85 => pick(&mut rng, &in_flight).map(|id| Action::DropMessage { id }),
            86..=89 => pick(&mut rng, &in_flight).map(|id| Action::DuplicateMessage { id }),
            90..=92 => pick(&mut rng, &up).map(|node| Action::Timeout { node }),
            93..=94 => pick(&mut rng, &up).map(|to| Action::TransferLeadership { to }),
            95..=96 => {
                let lo = rng.range(0, 30);
                Some(Action::SetLatency { lo, hi: lo + rng.range(0, 60) })
            }
            _ => c.leader().map(|node| Action::Submit { node, command: Command::set(&key, value) }),
        };
        if let Some(a) = action {
            // Refusals (restarting a running server, say) are part of the game.
            if c.apply(a).is_ok() {
                stats.actions += 1;
            }
        }
    }

    // Every 25th run: the history replays to exactly the same run (time travel rests on it).
    if seed.is_multiple_of(25) {
        let replayed = Cluster::replay(c.initial_config().clone(), c.history(), c.now()).map_err(|e| e.to_string())?;
        if replayed.trace_hash() != c.trace_hash() {
            return Err("replaying the history gave a different run".to_string().into());
        }
    }

    // The faults stop; the network heals; everyone comes back.
    c.heal();
    for &n in &ids {
        if !c.node(n).unwrap().is_up() {
            c.restart(n).map_err(|e| e.to_string())?;
        }
    }
    c.set_drop_rate(0.0).map_err(|e| e.to_string())?;
    c.set_latency_ms(10, 30).map_err(|e| e.to_string())?;
    // Long enough for every pending write to be acknowledged or given up.
    c.advance(c.config().client_give_up_ms + 1_000);
    // One more write; then wait until every server has committed the leader's whole log.
    let last = c.client_write(Command::set("final", 1));
    // The seed's log back-up moves one entry per round trip, so a follower far
    // behind a long log may take a while: allow up to two virtual minutes.
    let mut settled = false;
    for _ in 0..2_400 {
        c.advance(50);
        let done = !c.client_ops()[last as usize].is_pending();
        let end = c.leader().map(|l| c.node(l).unwrap().log().len() as u64);
        if done && end.is_some_and(|end| ids.iter().all(|&n| c.node(n).unwrap().commit_index() == end)) {
            settled = true;
            break;
        }
    }

    if let Some(v) = c.violations().first() {
        let text = format!(
            "{} violation(s), first at {} ms: {}: {}",
            c.violations().len(),
            v.time,
            v.property.name(),
            v.explanation
        );
        return Err(Failure { broke: Some(v.property), text });
    }
    if !settled {
        let state: Vec<String> = ids
            .iter()
            .map(|&n| {
                let x = c.node(n).unwrap();
                format!("{n}: {} t{} commit {} last {}", x.role(), x.term(), x.commit_index(), x.log().len())
            })
            .collect();
        if std::env::var("CHAOS_VERBOSE").is_ok() {
            for e in c.events().iter().rev().take(60).rev() {
                eprintln!("{:>6} {}", e.time, e.text());
            }
        }
        return Err(format!("the cluster did not settle after the heal: {}", state.join("; ")).into());
    }
    for op in c.client_ops() {
        match &op.status {
            OpStatus::Acked { .. } if op.is_read() => {}
            OpStatus::Acked { index, term, .. } => {
                stats.acked += 1;
                for &n in &ids {
                    let node = c.node(n).unwrap();
                    let e = node.log().get(*index as usize - 1);
                    if node.commit_index() < *index || e.map(|e| (e.term, &e.command)) != op.write().map(|c| (*term, c))
                    {
                        return Err(format!(
                            "acknowledged write #{} {} (index {index}) is not committed on {n}",
                            op.id, op.command
                        )
                        .into());
                    }
                }
            }
            OpStatus::Failed { .. } => stats.failed += 1,
            OpStatus::Pending => return Err(format!("write #{} still pending after the settle time", op.id).into()),
        }
    }
    let first = c.node(ids[0]).unwrap().raft().kv().clone();
    if let Some(n) = ids.iter().find(|&&n| c.node(n).unwrap().raft().kv() != &first) {
        return Err(format!("state machines differ between {} and {n}", ids[0]).into());
    }
    stats.leaders = c.events().iter().filter(|e| matches!(e.what, EventData::LeaderElected { .. })).count();
    Ok(stats)
}

#[test]
fn chaos_never_breaks_safety_and_keeps_every_acknowledged_write() {
    let default = if cfg!(debug_assertions) { 100 } else { 2_000 };
    let seeds: u64 = std::env::var("CHAOS_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    let first: u64 = std::env::var("CHAOS_FIRST").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut failures = Vec::new();
    let mut total = Stats::default();
    for seed in first..first + seeds {
        match chaos(seed, Settings::default()) {
            Ok(s) => {
                total.acked += s.acked;
                total.failed += s.failed;
                total.actions += s.actions;
                total.leaders += s.leaders;
            }
            Err(e) => failures.push(format!("seed {seed}: {e}")),
        }
    }
    println!(
        "chaos: {seeds} seeds x {} virtual s: {} actions, {} leaders elected, {} writes acknowledged and kept, {} given up, {} failures",
        FAULT_MS / 1000,
        total.actions,
        total.leaders,
        total.acked,
        total.failed,
        failures.len()
    );
    if seeds >= 50 {
        assert!(total.acked > seeds as usize * 20, "the runs must do real work: {} acknowledged writes", total.acked);
    }
    assert!(failures.is_empty(), "{} of {seeds} seeds failed:\n{}", failures.len(), failures.join("\n"));
}

/// The same chaos with Raft broken on purpose: the monitor must notice.
/// (The other switch, committing old-term entries by counting, needs the exact
/// sequence of Figure 8, which random chaos practically never plays: 0 of 400
/// seeds did. The Figure 8 scenario test catches that one.)
#[test]
fn chaos_without_the_up_to_date_vote_check_is_caught_by_the_monitor() {
    let settings = Settings { unsafe_skip_vote_log_check: true, ..Settings::default() };
    let n = 40;
    let caught: Vec<Failure> = (0..n).filter_map(|seed| chaos(seed, settings.clone()).err()).collect();
    println!("chaos without the up-to-date check: {} of {n} seeds caught", caught.len());
    assert!(caught.len() > n as usize / 2, "{} of {n} caught", caught.len());
    assert!(caught.iter().any(|f| f.broke == Some(Property::LeaderCompleteness)), "{caught:?}");
}

#[test]
fn the_fast_backup_setting_is_just_as_safe() {
    let settings = Settings { fast_backup: true, ..Settings::default() };
    for seed in 0..if cfg!(debug_assertions) { 20 } else { 200 } {
        if let Err(e) = chaos(seed, settings.clone()) {
            panic!("seed {seed} with fast back-up: {e}");
        }
    }
}
