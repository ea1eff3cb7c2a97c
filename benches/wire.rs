//! The wire log's memory: the bytes it holds after one virtual hour of 5
//! servers, idle (heartbeats only) and with a client write every 100 ms.
//!
//! `cargo bench --bench wire` prints, for each load, the number of messages
//! sent, the bytes the log's records take, the bytes it has allocated (its
//! capacity: what the wasm module's memory actually holds), and the bytes
//! per message.

use raft_playground::sim::{Cluster, Command, Config};

const HOUR_MS: u64 = 3_600_000;

/// (messages sent, bytes of records, bytes allocated) after one hour, a
/// write every `every` ms (`None`: idle).
fn hour(every: Option<u64>) -> (usize, usize, usize) {
    let mut c = Cluster::new(Config { nodes: 5, seed: 42, ..Config::default() }).expect("valid config");
    let step = every.unwrap_or(250);
    let mut i = 0i64;
    while c.now() < HOUR_MS {
        c.advance(step);
        if every.is_some() {
            i += 1;
            c.client_write(Command::set(["x", "y", "z"][(i % 3) as usize], i));
        }
    }
    let w = c.wire();
    (c.wires().len(), w.bytes(), w.allocated())
}

fn main() {
    // `cargo test --benches` runs this binary with --bench absent: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("wire: run with `cargo bench --bench wire`");
        return;
    }
    for (label, every) in [("idle", None), ("a write every 100 ms", Some(100))] {
        let (messages, bytes, allocated) = hour(every);
        println!(
            "wire log, one virtual hour of 5 servers, {label}: {messages} messages, {:.1} MB of records, {:.1} MB allocated ({:.1} bytes per message)",
            bytes as f64 / 1e6,
            allocated as f64 / 1e6,
            allocated as f64 / messages.max(1) as f64,
        );
    }
}
