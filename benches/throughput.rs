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
//! sent (heartbeats included) over the operations answered. The last two
//! lines (with the feature `compaction`) are the first with a snapshot every
//! 100 applied entries (the log stays short, the timeline's checkpoints
//! small), then the same with the writes spread over 2,000 keys (what the
//! safety monitor's check of state machine contents costs when the store is
//! large: a digest kept entry by entry, a pass over the store per snapshot).
//!
//! Then memory (issue 13: "memory stays bounded in a one-hour run with
//! compaction on"): one virtual hour of 5 servers with a client write every
//! 100 ms, log compaction off and then on (a snapshot every 100 applied
//! entries). Every virtual minute it counts what the servers hold, the
//! entries of their logs and the keys and sessions of their snapshots, and
//! estimates its bytes; and the process's resident memory at half time and
//! its peak (`VmRSS`, `VmHWM` of /proc/self/status; each of the two runs in
//! a process of its own, this binary run again), which also counts what the
//! simulator records for time travel and the safety monitor (the trace, the
//! client's history, the entries applied), which grows with the run
//! whatever the servers hold.

use raft_playground::raft::{Entry, ReadMode, Settings};
use raft_playground::sim::{Cluster, Command, Config};
use std::mem::size_of;
use std::time::Instant;

mod common;
use common::cpu_ns;

const VIRTUAL_MS: u64 = 3_600_000; // one hour
const EVERY_MS: u64 = 50; // 20 writes (and, with reads, 20 reads) per virtual second

/// One virtual hour of `nodes` servers, a write every 50 ms (and a read
/// with `reads`); the writes go to keys x, y and z, or with `keys` to that
/// many keys (k0, k1, ...) in turn.
fn run_keys(label: &str, nodes: usize, raft: Settings, reads: bool, keys: Option<i64>) {
    let mut c = Cluster::new(Config { nodes, seed: 42, raft, ..Config::default() }).expect("valid config");
    let (start, cpu) = (Instant::now(), cpu_ns());
    let mut i = 0i64;
    while c.now() < VIRTUAL_MS {
        c.advance(EVERY_MS);
        i += 1;
        let command = match keys {
            Some(n) => Command::set(&format!("k{}", i % n), i),
            None => Command::set(["x", "y", "z"][(i % 3) as usize], i),
        };
        c.client_write(command);
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

fn run(label: &str, nodes: usize, raft: Settings, reads: bool) {
    run_keys(label, nodes, raft, reads, None)
}

/// What the servers hold: (log entries, snapshot keys and sessions, estimated bytes of both).
/// The bytes are an upper bound: an entry's key is a shared `Arc<str>`, counted
/// in full for each server's copy of the entry.
fn held(c: &Cluster) -> (usize, usize, usize) {
    #[allow(unused_mut)]
    let (mut entries, mut kept, mut bytes) = (0, 0, 0);
    for s in c.servers() {
        for e in s.log() {
            entries += 1;
            bytes += size_of::<Entry>() + if let Command::Set { key, .. } = &e.command { key.len() } else { 0 };
        }
        #[cfg(feature = "compaction")]
        {
            let snap = s.raft().snapshot();
            kept += snap.kv.len() + snap.sessions.len();
            bytes += snap.kv.iter().map(|(k, _)| size_of::<(String, i64)>() + k.len()).sum::<usize>();
            bytes +=
                snap.sessions.iter().map(|(_, s)| 32 + s.results.len() * size_of::<(u64, (u64, u64))>()).sum::<usize>();
        }
    }
    (entries, kept, bytes)
}

/// A line of /proc/self/status, in kB (Linux).
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn memory(label: &str, raft: Settings) {
    let mut c = Cluster::new(Config { nodes: 5, seed: 42, raft, ..Config::default() }).expect("valid config");
    let (mut most, mut most_bytes, mut i, mut half) = ((0, 0), 0, 0i64, None);
    while c.now() < VIRTUAL_MS {
        c.advance(100);
        i += 1;
        c.client_write(Command::set(["x", "y", "z"][(i % 3) as usize], i));
        if c.now().is_multiple_of(60_000) {
            let (entries, kept, bytes) = held(&c);
            most = most.max((entries, kept));
            most_bytes = most_bytes.max(bytes);
        }
        if c.now() == VIRTUAL_MS / 2 {
            half = status_kb("VmRSS:");
        }
    }
    let (entries, kept, bytes) = held(&c);
    assert!(c.violations().is_empty(), "{:?}", c.violations().first());
    let acked = c.client_ops().iter().filter(|o| o.is_acked()).count();
    let mb = |kb: Option<u64>| kb.map_or("not measured".to_string(), |kb| format!("{:.1} MB", kb as f64 / 1024.0));
    println!(
        "memory, {label}: {acked} writes acknowledged in one virtual hour; the 5 servers hold at most {} log entries and {} snapshot keys and sessions (about {:.1} KB), {entries} and {kept} (about {:.1} KB) at the end; the process resident {} at half time, peak {}",
        most.0,
        most.1,
        most_bytes as f64 / 1024.0,
        bytes as f64 / 1024.0,
        mb(half),
        mb(status_kb("VmHWM:")),
    );
}

/// Runs [`memory`] in a process of its own (this binary again), so that
/// its resident memory is its own; prints its line.
fn memory_apart(threshold: u64) {
    let exe = std::env::current_exe().expect("this binary");
    let out = std::process::Command::new(exe).arg("--bench").arg(format!("--memory-run={threshold}")).output();
    match out {
        Ok(o) => print!("{}", String::from_utf8_lossy(&o.stdout)),
        Err(e) => println!("memory: could not run apart: {e}"),
    }
}

fn main() {
    // `cargo test --benches` runs this binary with --bench absent: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("throughput: run with `cargo bench --bench throughput`");
        return;
    }
    if let Some(t) = std::env::args().find_map(|a| a.strip_prefix("--memory-run=").and_then(|t| t.parse::<u64>().ok()))
    {
        #[allow(unused_mut)]
        let mut raft = Settings::default();
        #[cfg(feature = "compaction")]
        {
            raft.snapshot_threshold = std::num::NonZeroU64::new(t);
        }
        let label = match t {
            0 => "5 servers, a write every 100 ms, no compaction".to_string(),
            t => format!("5 servers, a write every 100 ms, log compaction every {t} entries"),
        };
        return memory(&label, raft);
    }
    run("5 servers, writes", 5, Settings::default(), false);
    run("9 servers, writes", 9, Settings::default(), false);
    run("5 servers, writes and reads, production options (ReadIndex)", 5, Settings::production(), true);
    let lease = Settings { read_mode: ReadMode::Lease, ..Settings::production() };
    run("5 servers, writes and reads, production options with the lease", 5, lease, true);
    #[cfg(feature = "compaction")]
    {
        let compacting = Settings { snapshot_threshold: std::num::NonZeroU64::new(100), ..Settings::default() };
        run("5 servers, writes, log compaction every 100 entries", 5, compacting.clone(), false);
        // Many keys: the safety monitor's check of the state machines'
        // contents must not cost a pass over the store per applied entry.
        run_keys(
            "5 servers, writes of 2,000 keys, log compaction every 100 entries",
            5,
            compacting,
            false,
            Some(2_000),
        );
    }
    memory_apart(0);
    #[cfg(feature = "compaction")]
    memory_apart(100);
}
