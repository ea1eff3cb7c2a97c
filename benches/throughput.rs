//! Engine throughput: virtual seconds simulated per wall-clock second, with a
//! steady client write load and the safety monitor on (it always is).
//!
//! `cargo bench --bench throughput` prints one line per cluster size. The floor
//! the project holds itself to: one virtual hour of a 5-server cluster in under
//! one second of wall time.

use raft_playground::sim::{Cluster, Command, Config};
use std::time::Instant;

const VIRTUAL_MS: u64 = 3_600_000; // one hour
const WRITE_EVERY_MS: u64 = 50; // 20 writes per virtual second

fn run(nodes: usize) {
    let mut c = Cluster::new(Config { nodes, seed: 42, ..Config::default() }).expect("valid config");
    let start = Instant::now();
    let mut i = 0i64;
    while c.now() < VIRTUAL_MS {
        c.advance(WRITE_EVERY_MS);
        i += 1;
        c.client_write(Command::set(["x", "y", "z"][(i % 3) as usize], i));
    }
    let wall = start.elapsed().as_secs_f64();
    let acked = c.client_ops().iter().filter(|o| o.is_acked()).count();
    let log = c.leader().map_or(0, |l| c.node(l).unwrap().log().len());
    assert!(c.violations().is_empty());
    println!(
        "{nodes} servers: {:.0} virtual s in {wall:.3} s wall = {:.0} virtual s per wall s ({} writes acknowledged, log length {log})",
        VIRTUAL_MS as f64 / 1000.0,
        VIRTUAL_MS as f64 / 1000.0 / wall,
        acked,
    );
}

fn main() {
    // `cargo test --benches` runs this binary with --bench absent: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("throughput: run with `cargo bench --bench throughput`");
        return;
    }
    for nodes in [5, 9] {
        run(nodes);
    }
}
