//! Prints the trace of the fixed determinism run (or of a seed given as argument),
//! with its hash: `cargo run --example trace [seed]`.
use raft_playground::sim::{determinism_run, Cluster, Config};

fn main() {
    let c = match std::env::args().nth(1).and_then(|s| s.parse().ok()) {
        Some(seed) => {
            let mut c = Cluster::new(Config { seed, ..Config::default() }).expect("valid config");
            c.advance(5_000);
            c
        }
        None => determinism_run(),
    };
    for e in c.events() {
        println!("{:>6} ms  {:<11} {}", e.time, format!("{:?}", e.kind()), e.text());
    }
    println!("violations: {}", c.violations().len());
    println!("trace hash: {:#018x}", c.trace_hash());
}
