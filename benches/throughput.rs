//! Engine throughput: virtual seconds simulated per wall-clock second, with a
//! steady client load and the safety monitor on (it always is, with the
//! linearizability check of the client's history).
//!
//! `cargo bench --bench throughput` prints one line per variant, with its
//! wall and CPU time. The floor the project holds itself to: one virtual hour
//! of a 5-server cluster under 20 writes a second (the first line) in under
//! one second of wall time. The lines with reads double the client's load (20
//! writes and 20 reads a second) and show what reads cost: with ReadIndex
//! a read waits for a heartbeat round begun after it arrived (reads share
//! rounds, and a round begun for reads is the next heartbeat); with the lease
//! most are answered at once. Messages per operation counts every message
//! sent (heartbeats included) over the operations answered. The last line
//! (with the feature `compaction`) is the first with a snapshot every 100
//! applied entries: the log stays short, the timeline's checkpoints small.

use raft_playground::raft::{ReadMode, Settings};
use raft_playground::sim::{Cluster, Command, Config};
use std::time::Instant;

mod common;
use common::cpu_ns;

const VIRTUAL_MS: u64 = 3_600_000; // one hour
const EVERY_MS: u64 = 50; // 20 writes (and, with reads, 20 reads) per virtual second

fn run(label: &str, nodes: usize, raft: Settings, reads: bool) {
    let mut c = Cluster::new(Config { nodes, seed: 42, raft, ..Config::default() }).expect("valid config");
    let (start, cpu) = (Instant::now(), cpu_ns());
    let mut i = 0i64;
    while c.now() < VIRTUAL_MS {
        c.advance(EVERY_MS);
        i += 1;
        let key = ["x", "y", "z"][(i % 3) as usize];
        c.client_write(Command::set(key, i));
        if reads {
            c.client_read(["x", "y", "z"][((i + 1) % 3) as usize]);
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = (cpu_ns() - cpu) as f64 / 1e9;
    let ops = c.client_ops();
    let acked = ops.iter().filter(|o| o.is_acked() && !o.is_read()).count();
    let read = ops.iter().filter(|o| o.is_acked() && o.is_read()).count();
    // Entries stored (after the snapshot, with log compaction).
    let log = c.leader().map_or(0, |l| c.node(l).unwrap().log().len());
    assert!(c.violations().is_empty(), "{:?}", c.violations().first());
    assert!(c.linearizability_not_checked().is_empty());
    let per_op = c.messages_sent() as f64 / (acked + read).max(1) as f64;
    println!(
        "{label}: {:.0} virtual s in {wall:.3} s wall ({cpu:.3} s CPU) = {:.0} virtual s per wall s ({acked} writes acknowledged, {read} reads answered, {log} entries stored, {per_op:.1} messages per operation)",
        VIRTUAL_MS as f64 / 1000.0,
        VIRTUAL_MS as f64 / 1000.0 / wall,
    );
}

fn main() {
    // `cargo test --benches` runs this binary with --bench absent: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("throughput: run with `cargo bench --bench throughput`");
        return;
    }
    run("5 servers, writes", 5, Settings::default(), false);
    run("9 servers, writes", 9, Settings::default(), false);
    run("5 servers, writes and reads, production options (ReadIndex)", 5, Settings::production(), true);
    let lease = Settings { read_mode: ReadMode::Lease, ..Settings::production() };
    run("5 servers, writes and reads, production options with the lease", 5, lease, true);
    #[cfg(feature = "compaction")]
    {
        let compacting = Settings { snapshot_threshold: std::num::NonZeroU64::new(100), ..Settings::default() };
        run("5 servers, writes, log compaction every 100 entries", 5, compacting, false);
    }
}
