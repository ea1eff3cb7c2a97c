//! Chaos: thousands of seeded runs, each 60 virtual seconds of random crashes,
//! restarts, partitions, disconnections, random loss, hand-dropped and duplicated
//! messages, forced elections, leadership transfers and client writes (and,
//! in some variants, reads) on 3 to 7 servers. The safety monitor must stay
//! silent (its six properties, the client's history linearizable among them),
//! and once the faults stop and the network heals, every acknowledged write
//! must be in every server's committed log.
//!
//! The chaos comes in variants, each with its own seeds, so that every rule
//! of the node is exercised by some of them: the classic one (in-order links,
//! the leader's no-op, the seed's one-entry back-up, whole-log AppendEntries),
//! reordering links, the no-op off, fast back-up on, small batches
//! (`max_entries_per_append` 1 to 3, so followers' commit rules see
//! leaderCommit beyond what they were sent), all of them together, and the
//! production options (pre-vote, check-quorum, fast back-up) with client
//! reads served by ReadIndex or by the lease, membership changes, and log
//! compaction (a snapshot every 10 to 30 applied entries, alone, with the
//! leader faults, and with membership changes). One test per variant, so the
//! test harness runs them side by side.
//!
//! Seeds: 2,000 in all in a release build (`cargo test --release --test
//! chaos`), 100 in a debug build, shared among the variants by their weights;
//! `CHAOS_SEEDS=n` sets the total, `CHAOS_FIRST=k` shifts them, `CHAOS_SEED=k`
//! runs that one seed of each variant (`CHAOS_VERBOSE=1` prints the end of a
//! failing run's trace, `CHAOS_TAIL=n` events of it, and each server's
//! configuration, commit index and log when a run does not settle).
//! `CHAOS_SEEDS=100000` is the long run the README reports. A seed that runs
//! away (past 4 GiB held) aborts the test with its variant and seed printed.

use raft_playground::raft::{ReadMode, Settings};
use raft_playground::sim::*;
use std::cell::Cell;
use std::num::NonZeroU64;
use std::time::Instant;

thread_local! {
    /// The variant and seed this thread runs (for the runaway guard's report).
    static RUNNING: Cell<(&'static str, u64)> = const { Cell::new(("", 0)) };
}

/// A runaway seed (a loop that never lets virtual time pass, a queue that
/// grows on every tick) is stopped with its name and seed printed, before
/// the kernel kills the whole test out of memory with no word of which seed
/// it was (chaos seed 1115 of membership with the production options once
/// grew to 23.7 GB): this test binary counts the bytes each thread's
/// allocations hold (a seed runs on one thread from start to end), and a
/// thread past 4 GiB prints the seed it runs and aborts. A healthy
/// run holds a few clusters of a few servers with their traces, a small
/// fraction of the limit. (Per thread, without atomics: a shared counter
/// cost about a tenth of the test's time.)
///
/// Natively only: in the browser build of the tests (wasm-pack compiles
/// every test file) the library brings the page's own allocator.
#[cfg(not(target_arch = "wasm32"))]
mod runaway {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    const HELD_LIMIT: i64 = 4 << 30;

    struct Guarded;

    thread_local! {
        /// Bytes allocated minus bytes freed on this thread (memory freed on
        /// another thread than the one that allocated it makes this drift a
        /// little, which a limit in GiB does not notice).
        static HELD: Cell<i64> = const { Cell::new(0) };
    }

    /// Counts `by` bytes more (or fewer) held by this thread; past the limit,
    /// names the seed and aborts.
    fn held(by: i64) {
        let held = HELD.try_with(|h| {
            h.set(h.get() + by);
            h.get()
        });
        if held.is_ok_and(|h| h > HELD_LIMIT) {
            use std::io::Write;
            HELD.with(|h| h.set(i64::MIN / 2)); // writing to stderr must not trip it again
            let (name, seed) = super::RUNNING.with(Cell::get);
            // Formatting a &str and numbers to stderr does not allocate.
            let _ = writeln!(
                std::io::stderr(),
                "chaos: over {} GiB held; this thread runs {name} seed {seed} (CHAOS_SEED={seed}): a runaway, stopped",
                HELD_LIMIT >> 30
            );
            std::process::abort();
        }
    }

    unsafe impl GlobalAlloc for Guarded {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            held(layout.size() as i64);
            unsafe { System.alloc(layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            held(layout.size() as i64);
            unsafe { System.alloc_zeroed(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            held(-(layout.size() as i64));
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            held(new_size as i64 - layout.size() as i64);
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static GUARDED: Guarded = Guarded;
}

const FAULT_MS: u64 = 60_000;

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[rng.range(0, items.len() as u64 - 1) as usize])
    }
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

#[derive(Default, Debug, Clone, Copy)]
struct Stats {
    acked: usize,
    failed: usize,
    actions: usize,
    leaders: usize,
    reads: usize,
    /// Keys whose history the linearizability checker could not settle.
    not_checked: usize,
    /// Servers added and removed.
    added: usize,
    removed: usize,
    /// Snapshots taken, and installed from a leader (InstallSnapshot).
    snapshots: usize,
    installed: usize,
    /// Acknowledged writes found in a snapshot rather than in the log.
    in_snapshot: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, s: Stats) {
        self.acked += s.acked;
        self.failed += s.failed;
        self.actions += s.actions;
        self.leaders += s.leaders;
        self.reads += s.reads;
        self.not_checked += s.not_checked;
        self.added += s.added;
        self.removed += s.removed;
        self.snapshots += s.snapshots;
        self.installed += s.installed;
        self.in_snapshot += s.in_snapshot;
    }
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

/// Which faults a variant draws.
#[derive(Clone, Copy, Debug)]
enum Mix {
    /// Every kind of action, evenly ([`classic`]).
    Classic,
    /// Aimed at leaders and their fresh entries ([`leader_faults`]).
    LeaderFaults,
    /// Aimed at votes: rival candidates and voters that crash and come back
    /// in the middle of an election ([`vote_faults`]).
    VoteFaults,
}

/// A kind of chaos: the network's and the nodes' settings, its fault mix and its share of the seeds.
#[derive(Clone, Copy, Debug)]
struct Variant {
    name: &'static str,
    /// Its weight in the share-out of the seeds.
    share: u64,
    /// Mixed into each seed so that every variant plays its own runs (0: the
    /// classic chaos, exactly as it always ran).
    salt: u64,
    links: Links,
    leader_noop: bool,
    fast_backup: bool,
    /// Each run draws `max_entries_per_append` from 1 to 3.
    small_batches: bool,
    /// Pre-vote and check-quorum on.
    production: bool,
    read_mode: ReadMode,
    /// The client reads too: 30% of the steps are a read.
    reads: bool,
    /// Servers are added and removed too: 4% of the steps ([`membership`]).
    membership: bool,
    /// Log compaction on: each run draws `snapshot_threshold` from 10 to 30.
    compaction: bool,
    mix: Mix,
}

const CLASSIC: Variant = Variant {
    name: "classic",
    share: 5,
    salt: 0,
    links: Links::InOrder,
    leader_noop: true,
    fast_backup: false,
    small_batches: false,
    production: false,
    read_mode: ReadMode::ReadIndex,
    reads: false,
    membership: false,
    compaction: false,
    mix: Mix::Classic,
};
const REORDER: Variant =
    Variant { name: "reordering links", share: 3, salt: 1 << 40, links: Links::Reorder, ..CLASSIC };
const NO_NOOP: Variant =
    Variant { name: "no-op off", share: 3, salt: 2 << 40, leader_noop: false, mix: Mix::LeaderFaults, ..CLASSIC };
const FAST_BACKUP: Variant = Variant { name: "fast back-up", share: 2, salt: 3 << 40, fast_backup: true, ..CLASSIC };
const SMALL_BATCHES: Variant =
    Variant { name: "small batches", share: 3, salt: 4 << 40, small_batches: true, ..CLASSIC };
const ALL: Variant = Variant {
    name: "reordering + no-op off + small batches + fast back-up",
    share: 2,
    salt: 5 << 40,
    links: Links::Reorder,
    leader_noop: false,
    fast_backup: true,
    small_batches: true,
    mix: Mix::Classic,
    ..CLASSIC
};
const ALL_LEADER_FAULTS: Variant =
    Variant { name: "all of them, with the leader faults", share: 2, salt: 6 << 40, mix: Mix::LeaderFaults, ..ALL };
/// Production Raft (pre-vote, check-quorum, fast back-up), ReadIndex reads.
const PRODUCTION: Variant = Variant {
    name: "production options with ReadIndex reads",
    share: 3,
    salt: 7 << 40,
    fast_backup: true,
    production: true,
    reads: true,
    ..CLASSIC
};
/// Production Raft with lease reads, reordering links and small batches.
const PRODUCTION_LEASE: Variant = Variant {
    name: "production options with lease reads, reordering links and small batches",
    share: 2,
    salt: 8 << 40,
    links: Links::Reorder,
    small_batches: true,
    read_mode: ReadMode::Lease,
    ..PRODUCTION
};
/// Production Raft with reads, the no-op off (a new leader's reads wait for a
/// write of its term to commit) and the leader faults.
const PRODUCTION_LEADER_FAULTS: Variant = Variant {
    name: "production options with reads, the no-op off and the leader faults",
    share: 2,
    salt: 9 << 40,
    leader_noop: false,
    mix: Mix::LeaderFaults,
    ..PRODUCTION
};
/// Election storms: rival candidates and voters restarting mid-election.
const ELECTIONS: Variant =
    Variant { name: "election storms", share: 1, salt: 10 << 40, mix: Mix::VoteFaults, ..CLASSIC };
/// Membership changes among the classic faults: servers added (up to 9 in
/// all) and removed (the leader too, down to one voter).
const MEMBERSHIP: Variant =
    Variant { name: "membership changes", share: 2, salt: 11 << 40, membership: true, ..CLASSIC };
/// Membership changes with the production options, reads, reordering links
/// and small batches (learners catch up one batch per round trip).
const MEMBERSHIP_PRODUCTION: Variant = Variant {
    name: "membership changes with the production options, reads, reordering and small batches",
    share: 2,
    salt: 12 << 40,
    membership: true,
    ..PRODUCTION_LEASE
};
/// Log compaction among the classic faults, with reordering links and the
/// fast back-up: servers snapshot every 10 to 30 applied entries, so that
/// followers that crashed or were cut off come back to a leader that no
/// longer has what they miss (InstallSnapshot).
const COMPACTION: Variant = Variant {
    name: "log compaction",
    share: 2,
    salt: 13 << 40,
    links: Links::Reorder,
    fast_backup: true,
    compaction: true,
    ..CLASSIC
};
/// Log compaction with the leader faults and the seed's one-entry back-up
/// (a follower behind backs up entry by entry into the leader's snapshot).
const COMPACTION_LEADER_FAULTS: Variant = Variant {
    name: "log compaction with the leader faults",
    share: 1,
    salt: 14 << 40,
    compaction: true,
    mix: Mix::LeaderFaults,
    ..CLASSIC
};
/// Log compaction with membership changes: a new learner is sent the
/// leader's snapshot (its configuration included), and configuration entries
/// are compacted into snapshots.
const COMPACTION_MEMBERSHIP: Variant = Variant {
    name: "log compaction with membership changes",
    share: 2,
    salt: 15 << 40,
    membership: true,
    compaction: true,
    ..CLASSIC
};
/// Log compaction with membership changes and the production options,
/// reads, reordering links and small batches.
const COMPACTION_MEMBERSHIP_PRODUCTION: Variant = Variant {
    name: "log compaction with membership changes, the production options, reads, reordering and small batches",
    share: 1,
    salt: 16 << 40,
    compaction: true,
    ..MEMBERSHIP_PRODUCTION
};
const VARIANTS: [Variant; 17] = [
    CLASSIC,
    REORDER,
    NO_NOOP,
    FAST_BACKUP,
    SMALL_BATCHES,
    ALL,
    ALL_LEADER_FAULTS,
    PRODUCTION,
    PRODUCTION_LEASE,
    PRODUCTION_LEADER_FAULTS,
    ELECTIONS,
    MEMBERSHIP,
    MEMBERSHIP_PRODUCTION,
    COMPACTION,
    COMPACTION_LEADER_FAULTS,
    COMPACTION_MEMBERSHIP,
    COMPACTION_MEMBERSHIP_PRODUCTION,
];

impl Variant {
    /// The seeds this variant runs: its share of the total.
    fn seeds(&self) -> std::ops::Range<u64> {
        if let Some(one) = env("CHAOS_SEED") {
            return one..one + 1;
        }
        let default = if cfg!(debug_assertions) { 100 } else { 2_000 };
        let total = env("CHAOS_SEEDS").unwrap_or(default);
        let shares: u64 = VARIANTS.iter().map(|v| v.share).sum();
        let first = env("CHAOS_FIRST").unwrap_or(0);
        first..first + (total * self.share).div_ceil(shares)
    }

    /// The cluster's config for `seed`, and the generator of its faults.
    fn setup(&self, seed: u64, raft: &Settings) -> (Config, Rng) {
        let seed = seed ^ self.salt;
        let mut rng = Rng::new(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xC4A0_5000);
        let nodes = rng.range(3, 7) as usize;
        let mut raft = Settings {
            leader_noop: self.leader_noop,
            fast_backup: self.fast_backup,
            pre_vote: self.production || raft.pre_vote,
            check_quorum: self.production || raft.check_quorum,
            read_mode: self.read_mode,
            ..raft.clone()
        };
        if self.small_batches {
            raft.max_entries_per_append = NonZeroU64::new(rng.range(1, 3));
        }
        #[cfg(feature = "compaction")]
        if self.compaction {
            raft.snapshot_threshold = NonZeroU64::new(rng.range(10, 30));
        }
        (Config { nodes, seed, links: self.links, raft, ..Config::default() }, rng)
    }
}

/// The classic fault mix: one action, any kind, at random.
fn classic(rng: &mut Rng, c: &Cluster, value: i64) -> Option<Action> {
    let ids = c.node_ids();
    let up: Vec<NodeId> = ids.iter().copied().filter(|&n| c.node(n).unwrap().is_up()).collect();
    let down: Vec<NodeId> = ids.iter().copied().filter(|&n| !c.node(n).unwrap().is_up()).collect();
    let in_flight: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
    let any = pick(rng, &ids).unwrap();
    let key = ["x", "y", "z", "w"][rng.range(0, 3) as usize].to_string();
    match rng.range(0, 99) {
        0..=29 => Some(Action::Write { command: Command::set(&key, value), to: None }),
        30..=34 => Some(Action::Write { command: Command::set(&key, value), to: Some(any) }),
        35..=44 => pick(rng, &up).map(|node| Action::Crash { node }),
        45..=56 => pick(rng, &down).map(|node| Action::Restart { node }),
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
        82..=85 => pick(rng, &in_flight).map(|id| Action::DropMessage { id }),
        86..=89 => pick(rng, &in_flight).map(|id| Action::DuplicateMessage { id }),
        90..=92 => pick(rng, &up).map(|node| Action::Timeout { node }),
        93..=94 => pick(rng, &up).map(|to| Action::TransferLeadership { to }),
        95..=96 => {
            let lo = rng.range(0, 30);
            Some(Action::SetLatency { lo, hi: lo + rng.range(0, 60) })
        }
        _ => c.leader().map(|node| Action::Submit { node, command: Command::set(&key, value) }),
    }
}

/// The fault mix aimed at leaders: entries left behind by leaders that
/// crash right after appending them or are cut off with at most one
/// follower, leaders coming back, partitions healing. It is what Figure 8
/// is made of: an entry of an old term stored on a minority, a leader of a
/// later term bringing it to a majority, and a candidate from between those
/// terms who never had it. Each step comes with how long after the one before
/// it happens (ms).
fn leader_faults(rng: &mut Rng, c: &Cluster, value: i64) -> Vec<(u64, Action)> {
    let ids = c.node_ids();
    let up: Vec<NodeId> = ids.iter().copied().filter(|&n| c.node(n).unwrap().is_up()).collect();
    let down: Vec<NodeId> = ids.iter().copied().filter(|&n| !c.node(n).unwrap().is_up()).collect();
    let in_flight: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
    let key = ["x", "y", "z", "w"][rng.range(0, 3) as usize].to_string();
    let command = Command::set(&key, value);
    let leader = c.leader();
    let one = |a: Option<Action>| a.into_iter().map(|a| (0, a)).collect();
    match rng.range(0, 98) {
        0..=7 => one(Some(Action::Write { command, to: None })),
        8..=47 => match leader {
            // A fresh entry stranded: the leader appends it and is cut off at
            // once, alone or with one follower (messages in flight across the
            // cut are lost); the new partition replaces the one before, so an
            // earlier stranded leader comes back with its entries.
            Some(node) => {
                let mut group = vec![node];
                if rng.chance(0.5) {
                    group.extend(pick(rng, &ids).filter(|&n| n != node));
                }
                vec![(0, Action::Submit { node, command }), (0, Action::Partition { groups: vec![group] })]
            }
            None => vec![],
        },
        48..=57 => one(pick(rng, &down).map(|node| Action::Restart { node })),
        58..=62 => one(Some(Action::Heal)),
        // Forced elections: a server holding a later term's entry runs before
        // the leader of an even later term has stored one of its own on a majority.
        63..=92 => one(pick(rng, &up).map(|node| Action::Timeout { node })),
        93..=94 => one(leader.map(|node| Action::Crash { node })),
        95..=96 => one(pick(rng, &up).map(|node| Action::Crash { node })),
        _ => one(pick(rng, &in_flight).map(|id| Action::DropMessage { id })),
    }
}

/// The fault mix aimed at votes: two servers time out at once, so two
/// candidates ask for votes in one term, and each other server crashes and
/// restarts at once at a random moment while their requests arrive, maybe
/// between the two (it must remember its vote); besides, client writes,
/// partitions, heals and restarts.
fn vote_faults(rng: &mut Rng, c: &Cluster, value: i64) -> Vec<(u64, Action)> {
    let ids = c.node_ids();
    let up: Vec<NodeId> = ids.iter().copied().filter(|&n| c.node(n).unwrap().is_up()).collect();
    let down: Vec<NodeId> = ids.iter().copied().filter(|&n| !c.node(n).unwrap().is_up()).collect();
    let key = ["x", "y", "z", "w"][rng.range(0, 3) as usize].to_string();
    let one = |a: Option<Action>| a.into_iter().map(|a| (0, a)).collect();
    match rng.range(0, 99) {
        0..=44 => {
            let (Some(a), Some(b)) = (pick(rng, &up), pick(rng, &up)) else { return vec![] };
            if a == b {
                return vec![];
            }
            // Each other voter restarts once, at a random moment while the
            // requests (10 to 30 ms on the way) arrive.
            let mut at: Vec<(u64, NodeId)> =
                up.iter().filter(|&&v| v != a && v != b).map(|&v| (rng.range(8, 35), v)).collect();
            at.sort();
            let mut plan = vec![(0, Action::Timeout { node: a }), (0, Action::Timeout { node: b })];
            let mut before = 0;
            for (t, v) in at {
                plan.push((t - before, Action::Crash { node: v }));
                plan.push((0, Action::Restart { node: v }));
                before = t;
            }
            plan
        }
        45..=79 => one(Some(Action::Write { command: Command::set(&key, value), to: None })),
        80..=87 => {
            let cut = rng.range(1, ids.len() as u64 - 1) as usize;
            one(Some(Action::Partition { groups: vec![ids[..cut].to_vec(), ids[cut..].to_vec()] }))
        }
        88..=93 => one(Some(Action::Heal)),
        _ => one(pick(rng, &down).map(|node| Action::Restart { node })),
    }
}

/// A client read of one of the keys the writes write, to the server the
/// client believes leads or (one time in six) to any.
fn read(rng: &mut Rng, c: &Cluster) -> Option<Action> {
    let key = ["x", "y", "z", "w"][rng.range(0, 3) as usize].to_string();
    let to = if rng.chance(1.0 / 6.0) { pick(rng, &c.node_ids()) } else { None };
    Some(Action::Read { key, to })
}

/// A membership change: add a server, or remove one of the leader's
/// configuration (the leader itself included) or, one time in four, any server.
#[cfg(feature = "membership")]
fn membership(rng: &mut Rng, c: &Cluster) -> Option<Action> {
    if rng.chance(0.5) {
        return Some(Action::AddServer);
    }
    let config: Vec<NodeId> = match c.leader() {
        Some(l) if rng.chance(0.75) => {
            let node = c.node(l).unwrap().raft();
            node.members().iter().chain(node.learners()).copied().collect()
        }
        _ => c.node_ids(),
    };
    pick(rng, &config).map(|node| Action::RemoveServer { node })
}

/// The servers a settled run must have brought up to date: the leader's
/// configuration when membership changes, everyone otherwise.
fn settled_servers(variant: &Variant, c: &Cluster) -> Vec<NodeId> {
    #[cfg(feature = "membership")]
    match c.leader() {
        Some(l) if variant.membership => {
            let node = c.node(l).unwrap().raft();
            node.members().iter().chain(node.learners()).copied().collect()
        }
        _ => c.node_ids(),
    }
    #[cfg(not(feature = "membership"))]
    {
        let _ = variant;
        c.node_ids()
    }
}

/// Once the faults stop, removed servers are shut down, as an operator
/// would once their removal committed: one that missed its removal would go
/// on raising terms (without pre-vote and check-quorum, as README
/// "Membership changes" says).
#[cfg(feature = "membership")]
fn shut_down_removed(variant: &Variant, c: &mut Cluster) {
    for n in c.node_ids().into_iter().filter(|_| variant.membership) {
        if c.node(n).unwrap().is_up() && c.is_removed(n) {
            c.crash(n).expect("a running server can crash");
        }
    }
}

#[cfg(not(feature = "membership"))]
fn shut_down_removed(_: &Variant, _: &mut Cluster) {}

/// The faults of a chaos run: 60 virtual seconds of them, and how many were performed.
fn faults(variant: &Variant, seed: u64, raft: &Settings) -> (Cluster, Stats) {
    let (cfg, mut rng) = variant.setup(seed, raft);
    let mut c = Cluster::new(cfg).expect("the chaos configs are valid");
    let mut stats = Stats::default();
    let mut value = 0i64;
    let mut t = 0;
    while t < FAULT_MS {
        t += rng.range(10, 300);
        c.advance_to(t);
        value += 1;
        let plan = match variant.mix {
            _ if variant.reads && rng.chance(0.3) => read(&mut rng, &c).into_iter().map(|a| (0, a)).collect(),
            #[cfg(feature = "membership")]
            _ if variant.membership && rng.chance(0.04) => {
                membership(&mut rng, &c).into_iter().map(|a| (0, a)).collect()
            }
            Mix::Classic => classic(&mut rng, &c, value).into_iter().map(|a| (0, a)).collect(),
            Mix::LeaderFaults => leader_faults(&mut rng, &c, value),
            Mix::VoteFaults => vote_faults(&mut rng, &c, value),
        };
        for (after, a) in plan {
            t += after;
            c.advance_to(t);
            // Refusals (restarting a running server, say) are part of the game.
            #[cfg(feature = "membership")]
            let (added, removed) = (a == Action::AddServer, matches!(a, Action::RemoveServer { .. }));
            #[cfg(not(feature = "membership"))]
            let (added, removed) = (false, false);
            if c.apply(a).is_ok() {
                stats.actions += 1;
                stats.added += added as usize;
                stats.removed += removed as usize;
            }
        }
    }
    (c, stats)
}

/// One chaos run of `variant`, with the nodes' other switches from `raft`.
fn chaos(variant: &Variant, seed: u64, raft: &Settings) -> Result<Stats, Failure> {
    RUNNING.with(|r| r.set((variant.name, seed)));
    let (mut c, mut stats) = faults(variant, seed, raft);
    let ids = c.node_ids();

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
    for _ in 0..(c.config().client_give_up_ms + 1_000) / 100 {
        shut_down_removed(variant, &mut c);
        c.advance(100);
    }
    // One more write; then wait until every server has committed the leader's whole log.
    let last = c.client_write(Command::set("final", 1));
    // The seed's log back-up moves one entry per round trip, so a follower far
    // behind a long log may take a while: allow up to two virtual minutes.
    let mut settled = false;
    for _ in 0..2_400 {
        shut_down_removed(variant, &mut c);
        c.advance(50);
        let done = !c.client_ops()[last as usize].is_pending();
        let end = c.leader().map(|l| c.node(l).unwrap().raft().last_index());
        let ids = settled_servers(variant, &c);
        if done && end.is_some_and(|end| ids.iter().all(|&n| c.node(n).unwrap().commit_index() == end)) {
            settled = true;
            break;
        }
    }

    if let Some(v) = c.violations().first() {
        if std::env::var("CHAOS_VERBOSE").is_ok() {
            let upto = c.events().iter().position(|e| matches!(e.what, EventData::Violation { .. }));
            for e in c.events()[..upto.unwrap_or(0)].iter().rev().take(120).rev() {
                eprintln!("{:>6} {}", e.time, e.text());
            }
        }
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
                format!("{n}: {} t{} commit {} last {}", x.role(), x.term(), x.commit_index(), x.raft().last_index())
            })
            .collect();
        if std::env::var("CHAOS_VERBOSE").is_ok() {
            for e in c
                .events()
                .iter()
                .rev()
                .take(std::env::var("CHAOS_TAIL").ok().and_then(|v| v.parse().ok()).unwrap_or(60))
                .rev()
            {
                eprintln!("{:>6} {}", e.time, e.text());
            }
            #[cfg(feature = "membership")]
            for &n in &ids {
                let x = c.node(n).unwrap();
                eprintln!(
                    "{n}: configuration at {}, commit {}, voters {:?}, learners {:?}, log {:?}",
                    x.raft().config_index(),
                    x.commit_index(),
                    x.raft().members(),
                    x.raft().learners(),
                    x.log().iter().map(|e| (e.index, e.term, format!("{:?}", e.command))).collect::<Vec<_>>()
                );
            }
        }
        return Err(format!("the cluster did not settle after the heal: {}", state.join("; ")).into());
    }
    let ids = settled_servers(variant, &c);
    for op in c.client_ops() {
        match &op.status {
            OpStatus::Acked { .. } if op.is_read() => stats.reads += 1,
            OpStatus::Acked { index, term, .. } => {
                stats.acked += 1;
                for &n in &ids {
                    let node = c.node(n).unwrap();
                    let e = node.raft().entry(*index);
                    // Compacted: in the server's snapshot, whose last entry the monitor
                    // checked against what was applied there (State Machine Safety),
                    // as it checked this acknowledgement against what was applied at its index.
                    if e.is_none() && *index <= node.raft().snapshot_index() {
                        stats.in_snapshot += 1;
                        continue;
                    }
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
            OpStatus::Pending => return Err(format!("operation #{} still pending after the settle time", op.id).into()),
        }
    }
    let first = c.node(ids[0]).unwrap().raft().kv().clone();
    if let Some(n) = ids.iter().find(|&&n| c.node(n).unwrap().raft().kv() != &first) {
        return Err(format!("state machines differ between {} and {n}", ids[0]).into());
    }
    stats.leaders = c.events().iter().filter(|e| matches!(e.what, EventData::LeaderElected { .. })).count();
    #[cfg(feature = "compaction")]
    for e in c.events() {
        use raft_playground::raft::CompactionNote;
        match e.what {
            EventData::Compaction { event: CompactionNote::Snapshotted { .. }, .. } => stats.snapshots += 1,
            EventData::Compaction { event: CompactionNote::Installed { .. }, .. } => stats.installed += 1,
            _ => {}
        }
    }
    stats.not_checked = c.linearizability_not_checked().len();
    Ok(stats)
}

/// Runs every seed of `variant`, prints its figures and fails on any failure.
fn run_variant(variant: &Variant) {
    if (variant.membership && !cfg!(feature = "membership")) || (variant.compaction && !cfg!(feature = "compaction")) {
        println!("chaos, {}: skipped, built without the feature it needs", variant.name);
        return;
    }
    let seeds = variant.seeds();
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut total = Stats::default();
    for seed in seeds.clone() {
        match chaos(variant, seed, &Settings::default()) {
            Ok(s) => total += s,
            Err(e) => failures.push(format!("{} seed {seed} (CHAOS_SEED={seed}): {e}", variant.name)),
        }
    }
    let n = seeds.end - seeds.start;
    println!(
        "chaos, {}: {n} seeds x {} virtual s: {} actions, {} leaders elected, {} writes acknowledged and kept, {} reads answered, {} given up, {} keys not checked, {} failures, {:.1} s",
        variant.name,
        FAULT_MS / 1000,
        total.actions,
        total.leaders,
        total.acked,
        total.reads,
        total.failed,
        total.not_checked,
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    if variant.membership {
        println!("  membership: {} servers added, {} removed", total.added, total.removed);
    }
    if variant.compaction {
        println!(
            "  compaction: {} snapshots taken, {} installed from a leader, {} acknowledged writes checked in a snapshot",
            total.snapshots, total.installed, total.in_snapshot
        );
    }
    if n >= 50 {
        // The leader faults hand most writes straight to the leader: fewer reach the client.
        let per_seed = match variant.mix {
            Mix::Classic | Mix::VoteFaults => 20,
            Mix::LeaderFaults => 10,
        };
        assert!(total.acked > n as usize * per_seed, "the runs must do real work: {} acknowledged writes", total.acked);
        if variant.reads {
            assert!(total.reads > n as usize * 10, "the runs must read: {} reads answered", total.reads);
        }
    }
    assert!(failures.is_empty(), "{} of {n} seeds failed:\n{}", failures.len(), failures.join("\n"));
    if variant.membership && n >= 50 {
        assert!(total.added >= n as usize && total.removed >= n as usize / 2, "the runs must change their membership");
    }
    if variant.compaction && n >= 20 {
        assert!(
            total.snapshots >= n as usize * 10 && total.installed >= n as usize,
            "the runs must compact: {total:?}"
        );
    }
}

#[test]
fn chaos_classic() {
    run_variant(&CLASSIC);
}

#[test]
fn chaos_with_reordering_links() {
    run_variant(&REORDER);
}

#[test]
fn chaos_with_the_leader_noop_off() {
    run_variant(&NO_NOOP);
}

#[test]
fn chaos_with_fast_backup() {
    run_variant(&FAST_BACKUP);
}

#[test]
fn chaos_with_small_batches() {
    run_variant(&SMALL_BATCHES);
}

#[test]
fn chaos_with_reordering_no_noop_small_batches_and_fast_backup() {
    run_variant(&ALL);
}

#[test]
fn chaos_with_all_of_them_and_the_leader_faults() {
    run_variant(&ALL_LEADER_FAULTS);
}

#[test]
fn chaos_with_the_production_options_and_readindex_reads() {
    run_variant(&PRODUCTION);
}

#[test]
fn chaos_with_the_production_options_lease_reads_reordering_and_small_batches() {
    run_variant(&PRODUCTION_LEASE);
}

#[test]
fn chaos_with_the_production_options_reads_and_the_leader_faults() {
    run_variant(&PRODUCTION_LEADER_FAULTS);
}

#[test]
fn chaos_with_election_storms() {
    run_variant(&ELECTIONS);
}

#[test]
fn chaos_with_membership_changes() {
    run_variant(&MEMBERSHIP);
}

#[test]
fn chaos_with_membership_changes_and_the_production_options() {
    run_variant(&MEMBERSHIP_PRODUCTION);
}

#[test]
fn chaos_with_log_compaction() {
    run_variant(&COMPACTION);
}

#[test]
fn chaos_with_log_compaction_and_the_leader_faults() {
    run_variant(&COMPACTION_LEADER_FAULTS);
}

#[test]
fn chaos_with_log_compaction_and_membership_changes() {
    run_variant(&COMPACTION_MEMBERSHIP);
}

#[test]
fn chaos_with_log_compaction_membership_changes_and_the_production_options() {
    run_variant(&COMPACTION_MEMBERSHIP_PRODUCTION);
}

/// Seeds that once failed, run in every build with both features, each named with what broke.
#[cfg(all(feature = "membership", feature = "compaction"))]
#[test]
fn chaos_seeds_that_once_failed_now_pass() {
    // No leader ever again after the heal: a deposed leader's uncommitted
    // removal of S2 (S3) or S4 (S1), kept by one server, made it refuse the
    // only server able to win (4989, 6154: the 100,000-seed run of
    // 2026-11-27); a newcomer whose first entries held a committed
    // configuration leaving it out took that for its removal and, once
    // removed for real, never stood as the thesis's caretaker (1333).
    // Out of memory: with a batch limit, a leader answered a server being
    // removed, which stored everything up to its removal, with an empty
    // AppendEntries every time, forever, within one instant on a
    // zero-latency network (1115 of membership with the production options).
    let seeds = [
        (&MEMBERSHIP, 4989),
        (&MEMBERSHIP_PRODUCTION, 6154),
        (&COMPACTION_MEMBERSHIP, 1333),
        (&MEMBERSHIP_PRODUCTION, 1115),
    ];
    for (variant, seed) in seeds {
        if let Err(e) = chaos(variant, seed, &Settings::default()) {
            panic!("{} seed {seed}: {e}", variant.name);
        }
    }
}

/// Runs `n` seeds of `variant` with `raft`'s switches (Raft broken on
/// purpose), prints how many the monitor caught, and asserts it caught most
/// of them, `property` among what broke.
fn assert_caught(what: &str, variant: &Variant, raft: Settings, n: u64, property: Property) {
    let mut seeds = Vec::new();
    let mut broke = Vec::new();
    for seed in 0..n {
        if let Err(Failure { broke: Some(p), .. }) = chaos(variant, seed, &raft) {
            seeds.push(seed);
            if !broke.contains(&p) {
                broke.push(p);
            }
        }
    }
    println!("chaos {what}: {} of {n} seeds caught ({broke:?})", seeds.len());
    assert!(seeds.len() > n as usize / 2, "{} of {n} caught: {seeds:?}", seeds.len());
    assert!(broke.contains(&property), "{broke:?}");
}

/// The classic chaos with Raft broken on purpose: the monitor must notice.
#[test]
fn chaos_without_the_up_to_date_vote_check_is_caught_by_the_monitor() {
    let raft = Settings { unsafe_skip_vote_log_check: true, ..Settings::default() };
    assert_caught("without the up-to-date check", &CLASSIC, raft, 40, Property::LeaderCompleteness);
}

/// The no-op-off chaos (its leader faults) with a leader that commits an
/// entry of an older term by counting replicas: the monitor must notice, in
/// most seeds. Figure 8 plays out: the entry reaches a majority under a later
/// leader, who commits it, and a server holding a conflicting entry of a term
/// in between wins the next election without it (Leader Completeness).
/// (With the no-op on, the leader's first entry of its own term commits the
/// old ones with it and the broken rule never acts alone: 0 of 400 seeds of
/// either mix are caught then; nor with the no-op off under the classic mix,
/// where a leader's own entries reach a majority before anyone who could
/// overwrite the old one gets to run.)
#[test]
fn chaos_committing_old_terms_by_counting_is_caught_with_the_noop_off() {
    let raft = Settings { unsafe_commit_old_terms: true, ..Settings::default() };
    let n = if cfg!(debug_assertions) { 40 } else { 100 };
    assert_caught("committing old terms by counting, no-op off", &NO_NOOP, raft, n, Property::LeaderCompleteness);
}

/// The classic chaos with a leader that acknowledges a write as soon as it
/// appended it (asynchronous replication): a leader that crashes or is cut
/// off before a majority stored the write loses it, and the monitor notices
/// (Acknowledged writes are kept).
#[test]
fn chaos_acknowledging_before_commit_is_caught_by_the_monitor() {
    let raft = Settings { unsafe_ack_before_commit: true, ..Settings::default() };
    let n = if cfg!(debug_assertions) { 20 } else { 40 };
    assert_caught("acknowledging before commit", &CLASSIC, raft, n, Property::AckedWriteKept);
}

/// The election storms with servers that forget their vote when they
/// restart: a voter votes for one candidate, restarts, votes for the other
/// in the same term, two leaders win it, and the monitor notices (Election
/// Safety).
#[test]
fn chaos_forgetting_the_vote_on_restart_is_caught_by_the_monitor() {
    let raft = Settings { unsafe_forget_vote_on_restart: true, ..Settings::default() };
    let n = if cfg!(debug_assertions) { 20 } else { 40 };
    assert_caught("forgetting the vote on restart", &ELECTIONS, raft, n, Property::ElectionSafety);
}

/// The production chaos with reads answered by any server from its own
/// state machine: a leader cut off in a minority, or a follower behind,
/// returns an old value, and the linearizability check notices.
#[test]
fn chaos_with_stale_reads_is_caught_by_the_linearizability_check() {
    let raft = Settings { unsafe_stale_reads: true, ..Settings::default() };
    let n = if cfg!(debug_assertions) { 20 } else { 40 };
    assert_caught("with stale reads", &PRODUCTION, raft, n, Property::Linearizable);
}
