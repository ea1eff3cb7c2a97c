//! A fixed run, used to check that the simulator is deterministic: the native
//! tests and the browser tests both run it and compare its trace hash with
//! [`DETERMINISM_TRACE_HASH`].

use super::{Action, Cluster, Command, Config, NodeId};

/// The trace hash [`determinism_run`] must produce, on every target. It changes
/// only when the engine's behaviour or its trace wording changes on purpose.
pub const DETERMINISM_TRACE_HASH: u64 = 0x04cc_6958_ff58_78a5;

/// The fixed list of actions of [`determinism_run`], with their virtual times.
pub fn determinism_script() -> Vec<(u64, Action)> {
    let n = NodeId;
    let w = |key: &str, value| Action::Write { command: Command::set(key, value), to: None };
    vec![
        (400, w("x", 1)),
        (450, w("y", 2)),
        (1_000, Action::Crash { node: n(1) }),
        (1_050, w("x", 3)),
        (1_600, Action::Crash { node: n(2) }),
        (2_500, Action::Restart { node: n(1) }),
        (2_600, Action::Restart { node: n(2) }),
        (3_000, Action::Partition { groups: vec![vec![n(1), n(2)], vec![n(3), n(4), n(5)]] }),
        (3_100, w("z", 4)),
        (3_200, Action::Write { command: Command::set("x", 5), to: Some(n(1)) }),
        (4_500, Action::Heal),
        (5_000, Action::Disconnect { node: n(3) }),
        (5_200, w("y", 6)),
        (5_600, Action::Reconnect { node: n(3) }),
        (6_000, Action::SetDropRate { rate: 0.1 }),
        (6_100, w("x", 7)),
        (6_300, Action::Timeout { node: n(4) }),
        (7_000, Action::SetDropRate { rate: 0.0 }),
        (7_500, Action::TransferLeadership { to: n(2) }),
        (8_000, Action::SetLatency { lo: 5, hi: 60 }),
        (8_100, w("z", 8)),
        (9_000, Action::Partition { groups: vec![vec![n(5)]] }),
        (9_500, Action::Heal),
    ]
}

/// Runs [`determinism_script`] on a 5-server cluster with seed 2026 for 10
/// virtual seconds. Actions that are refused at their time (say, a transfer
/// while no leader exists) are skipped; refusals are deterministic too.
pub fn determinism_run() -> Cluster {
    let mut c =
        Cluster::new(Config { seed: 2026, drop_rate: 0.02, ..Config::default() }).expect("the default config is valid");
    for (t, action) in determinism_script() {
        c.advance_to(t);
        let _ = c.apply(action);
    }
    c.advance_to(10_000);
    c
}
