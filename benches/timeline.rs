//! Time travel: what seeking costs and what the checkpoints hold in memory.
//!
//! `cargo bench --bench timeline` prints, each case in a process of its own
//! (so that each peak RSS is its own):
//! - **seek**: a 10-minute run of 5 servers with a client write every 100 ms
//!   (virtual), recorded by a timeline with its default settings; then the
//!   time of `seek` to 100 random moments (restore the nearest checkpoint,
//!   replay to the moment), p50 / p95 / max, and the same kind of seeks
//!   split in their two halves (restoring the checkpoint; replaying from
//!   it to the moment); also dragging the cursor back
//!   and forth one frame (16 ms) at a time, and stepping back.
//! - **memory**: a one-hour run of 5 servers (idle; a client write every
//!   second; every 100 ms), advanced 250 ms per tick (the page's top speed)
//!   through a timeline: the checkpoints' estimated bytes (peak, end), the
//!   heap actually held (counted by this binary's allocator), the process's
//!   peak RSS (VmHWM); and the same runs without a timeline.
//! - **frame**: the cost of one frame's advance (16 ms of virtual time, at
//!   real time) with the timeline taking its checkpoints, against the bare
//!   cluster's.
//!
//! Times are given as CPU time of the thread (a busy machine does not inflate
//! them) and, for the seeks, wall time as well.

use raft_playground::sim::{Action, Cluster, Command, Config, Rng};
use raft_playground::timeline::Timeline;
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command as Process;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts the bytes allocated and not yet freed, and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed straight to the system allocator; only the counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

mod common;
use common::cpu_ns;

/// The process's peak resident set (VmHWM), in bytes.
fn peak_rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

fn kb(bytes: usize) -> String {
    format!("{:.0} KB", bytes as f64 / 1024.0)
}

fn ms(ns: u64) -> String {
    format!("{:.2} ms", ns as f64 / 1e6)
}

/// p50, p95 and max of `v` (sorted here).
fn spread(v: &mut [u64]) -> String {
    v.sort_unstable();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!("p50 {}, p95 {}, max {}", ms(at(0.5)), ms(at(0.95)), ms(at(1.0)))
}

fn write(i: u64) -> Action {
    Action::Write { command: Command::set(["x", "y", "z"][(i % 3) as usize], i as i64), to: None }
}

/// A timeline of `until` virtual ms of 5 servers with a client write every
/// `every` ms (none when 0), advanced `tick` ms at a time, as the page does;
/// `each_minute` is called every virtual minute. Returns it and the CPU time
/// spent running it (without `each_minute`'s).
fn recorded(until: u64, every: u64, tick: u64, mut each_minute: impl FnMut(&Timeline)) -> (Timeline, u64) {
    let mut tl = Timeline::new(Config { nodes: 5, seed: 42, ..Config::default() }).expect("valid config");
    let (mut i, mut spent, mut aside) = (0, cpu_ns(), 0);
    while tl.now() < until {
        let end = tl.now() + tick;
        while every > 0 && (i + 1) * every <= end {
            i += 1;
            tl.advance_to(i * every).unwrap();
            tl.act(write(i)).unwrap();
        }
        tl.advance_to(end).unwrap();
        if end.is_multiple_of(60_000) {
            let t = cpu_ns();
            each_minute(&tl);
            aside += cpu_ns() - t;
        }
    }
    spent = cpu_ns() - spent - aside;
    (tl, spent)
}

fn seek_case() {
    let (mut tl, build) = recorded(600_000, 100, 250, |_| {});
    let m = tl.memory();
    println!(
        "10-minute run, 5 servers, a write every 100 ms: recorded in {} CPU; {} checkpoints {} s apart, {} estimated \
         ({} chunks of {}, {} per checkpoint besides)",
        ms(build),
        m.checkpoints,
        tl.checkpoint_interval() / 1000,
        mb(m.bytes()),
        m.snapshots.chunks,
        mb(m.snapshots.chunk_bytes),
        kb(m.snapshots.own_bytes / m.snapshots.snapshots.max(1))
    );
    let c = tl.cluster();
    println!(
        "  at the end: {} events, logs of {} entries, {} client writes, {} actions",
        c.events().len(),
        c.servers()[0].log().len(),
        c.client_ops().len(),
        c.history().len()
    );
    let mut rng = Rng::new(7);
    let (mut cpu, mut wall) = (Vec::new(), Vec::new());
    let moments: Vec<u64> = (0..100).map(|_| rng.range(0, 600_000)).collect();
    for &t in &moments {
        let (c0, w0) = (cpu_ns(), Instant::now());
        assert_eq!(tl.seek(t).unwrap(), t);
        cpu.push(cpu_ns() - c0);
        wall.push(w0.elapsed().as_nanos() as u64);
    }
    println!("  seek to 100 random moments: CPU {}", spread(&mut cpu));
    println!("                              wall {}", spread(&mut wall));
    // The same seeks in two halves: to the checkpoint the seek restores
    // (restoring only), then on from it to the moment (replay only). (The
    // same moments, drawing none: the rng goes on as before for the next.)
    let times = tl.checkpoint_times();
    let (mut restore, mut replay) = (Vec::new(), Vec::new());
    for &t in &moments {
        let base = times.iter().copied().filter(|&c| c <= t).max().unwrap_or(0);
        let c0 = cpu_ns();
        tl.seek(base).unwrap();
        let c1 = cpu_ns();
        tl.seek(t).unwrap();
        restore.push(c1 - c0);
        replay.push(cpu_ns() - c1);
    }
    println!("    of which restoring the checkpoint: CPU {}", spread(&mut restore));
    println!("    and replaying from it to the moment: CPU {}", spread(&mut replay));
    for (name, step) in [("forward", 16i64), ("backward", -16)] {
        tl.seek(300_000).unwrap();
        let mut v = Vec::new();
        for _ in 0..600 {
            let t = (tl.now() as i64 + step) as u64;
            let c0 = cpu_ns();
            tl.seek(t).unwrap();
            v.push(cpu_ns() - c0);
        }
        println!("  dragging {name}, 16 ms a frame, 600 frames: CPU {}", spread(&mut v));
    }
    let mut v = Vec::new();
    for _ in 0..5 {
        tl.seek(rng.range(60_000, 600_000)).unwrap();
        for _ in 0..20 {
            let c0 = cpu_ns();
            tl.step_back().unwrap();
            v.push(cpu_ns() - c0);
        }
    }
    println!("  step back, 100 presses: CPU {}", spread(&mut v));
}

fn memory_case(every: u64, with_timeline: bool) {
    let load = match every {
        0 => "idle".to_string(),
        ms => format!("a write every {ms} ms"),
    };
    let base = LIVE.load(Ordering::Relaxed);
    if with_timeline {
        let mut peak_estimate = 0;
        let (tl, took) = recorded(3_600_000, every, 250, |tl| peak_estimate = peak_estimate.max(tl.memory().bytes()));
        let m = tl.memory();
        println!(
            "one hour, 5 servers, {load}, with a timeline: {} CPU; {} checkpoints {} s apart; estimated {} at the end \
             ({} in chunks, {} per checkpoint besides; peak {}); heap {} (peak {}); peak RSS {}",
            ms(took),
            m.checkpoints,
            tl.checkpoint_interval() / 1000,
            mb(m.bytes()),
            mb(m.snapshots.chunk_bytes),
            kb(m.snapshots.own_bytes / m.snapshots.snapshots.max(1)),
            mb(peak_estimate.max(m.bytes())),
            mb(LIVE.load(Ordering::Relaxed) - base),
            mb(PEAK.load(Ordering::Relaxed) - base),
            mb(peak_rss())
        );
    } else {
        let start = cpu_ns();
        let mut c = Cluster::new(Config { nodes: 5, seed: 42, ..Config::default() }).expect("valid config");
        let mut i = 0;
        while c.now() < 3_600_000 {
            let end = c.now() + 250;
            while every > 0 && (i + 1) * every <= end {
                i += 1;
                c.advance_to(i * every);
                c.apply(write(i)).unwrap();
            }
            c.advance_to(end);
        }
        println!(
            "one hour, 5 servers, {load}, the bare cluster:  {} CPU; heap {} (peak {}); peak RSS {}",
            ms(cpu_ns() - start),
            mb(LIVE.load(Ordering::Relaxed) - base),
            mb(PEAK.load(Ordering::Relaxed) - base),
            mb(peak_rss())
        );
    }
}

fn frame_case() {
    const FRAME: u64 = 16;
    let mut tl = Timeline::new(Config { nodes: 5, seed: 42, ..Config::default() }).expect("valid config");
    let mut bare = Cluster::new(Config { nodes: 5, seed: 42, ..Config::default() }).expect("valid config");
    let (mut with, mut without) = (Vec::new(), Vec::new());
    let mut i = 0;
    while tl.now() < 600_000 {
        // One frame: the writes due in it, at their times, then the frame's end.
        let end = tl.now() + FRAME;
        let first = i;
        let c0 = cpu_ns();
        while (i + 1) * 100 <= end {
            i += 1;
            tl.advance_to(i * 100).unwrap();
            tl.act(write(i)).unwrap();
        }
        tl.advance_to(end).unwrap();
        with.push(cpu_ns() - c0);
        let c0 = cpu_ns();
        for k in first + 1..=i {
            bare.advance_to(k * 100);
            bare.apply(write(k)).unwrap();
        }
        bare.advance_to(end);
        without.push(cpu_ns() - c0);
    }
    assert_eq!(tl.cluster().trace_hash(), bare.trace_hash());
    let mean = |v: &[u64]| v.iter().sum::<u64>() / v.len() as u64;
    let (mw, mb_) = (mean(&with), mean(&without));
    let mut heavy: Vec<u64> = with.iter().zip(&without).map(|(w, b)| w.saturating_sub(*b)).collect();
    let checkpoints = heavy.iter().filter(|&&d| d > 100_000).count();
    println!(
        "one frame (16 virtual ms) of a 10-minute run with a write every 100 ms: mean {} with the timeline, {} bare; \
         the timeline's extra per frame: {}; frames over 0.1 ms extra (checkpoints): {checkpoints} of {}",
        ms(mw),
        ms(mb_),
        spread(&mut heavy),
        with.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs this binary without --bench: keep that quick.
    if !args.iter().any(|a| a == "--bench") {
        println!("timeline: run with `cargo bench --bench timeline`");
        return;
    }
    if let Some(case) = args.iter().position(|a| a == "--case").and_then(|i| args.get(i + 1)) {
        match case.as_str() {
            "seek" => seek_case(),
            "frame" => frame_case(),
            other => {
                let (every, tl) = other.split_once(':').expect("memory case");
                memory_case(every.parse().expect("ms"), tl == "timeline");
            }
        }
        return;
    }
    let me = std::env::current_exe().expect("own path");
    let cases = ["seek", "frame", "0:timeline", "0:bare", "1000:timeline", "1000:bare", "100:timeline", "100:bare"];
    for case in cases {
        let status = Process::new(&me).args(["--bench", "--case", case]).status().expect("run a case");
        assert!(status.success(), "case {case} failed");
    }
}
