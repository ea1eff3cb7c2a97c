//! The settings of a simulated cluster.

use super::error::SimError;
use super::network::Links;
use crate::decimal::fixed;
use crate::raft::Settings;
use serde::{Deserialize, Serialize};

/// How a cluster is set up. Every field can be read and written; [`Config::validate`]
/// (called by `Cluster::new`) refuses nonsense with a clear message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Number of servers, 1 to 9.
    pub nodes: usize,
    /// Seed of the one random generator: same seed and same actions, same run.
    pub seed: u64,
    /// Each election timeout is drawn uniformly from this range (ms).
    pub election_timeout_ms: (u64, u64),
    /// The leader sends AppendEntries (a heartbeat when empty) this often (ms).
    pub heartbeat_ms: u64,
    /// Each message's one-way delay is drawn uniformly from this range (ms).
    pub latency_ms: (u64, u64),
    /// Probability that the network loses a message, 0 to 1.
    pub drop_rate: f64,
    /// Whether each link delivers in order (the default, like TCP) or each
    /// message after its own delay (like UDP). Missing from older saved
    /// configs: in order.
    pub links: Links,
    /// The client gives up an attempt that got no answer after this long and tries another server (ms).
    pub client_timeout_ms: u64,
    /// The client reports a write as failed when it is not acknowledged this long after it was invoked (ms).
    pub client_give_up_ms: u64,
    /// The nodes' behaviour switches (fast log back-up, the leader's no-op, the "break Raft" switches).
    pub raft: Settings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            nodes: 5,
            seed: 1,
            election_timeout_ms: (150, 300),
            heartbeat_ms: 50,
            latency_ms: (10, 30),
            drop_rate: 0.0,
            links: Links::InOrder,
            client_timeout_ms: 500,
            client_give_up_ms: 10_000,
            raft: Settings::default(),
        }
    }
}

impl Config {
    /// Checks every field; the error says what is wrong.
    pub fn validate(&self) -> Result<(), SimError> {
        if !(1..=9).contains(&self.nodes) {
            return Err(SimError::BadNodeCount(self.nodes));
        }
        check_range("election timeout", self.election_timeout_ms, true)?;
        check_range("latency", self.latency_ms, false)?;
        check_rate("drop rate", self.drop_rate)?;
        check_duration("heartbeat interval", self.heartbeat_ms)?;
        check_duration("client time-out", self.client_timeout_ms)?;
        check_duration("client give-up time", self.client_give_up_ms)?;
        Ok(())
    }

    /// Settings that are valid but make elections unstable or slow, each
    /// explained in a sentence (the page shows them next to the timing controls).
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        let (el_lo, el_hi) = self.election_timeout_ms;
        let (_, lat_hi) = self.latency_ms;
        if self.heartbeat_ms >= el_lo {
            w.push(format!(
                "The heartbeat ({} ms) is not shorter than the shortest election timeout ({el_lo} ms): followers will time out between heartbeats and start needless elections.",
                self.heartbeat_ms
            ));
        }
        if 2 * lat_hi >= el_lo {
            w.push(format!(
                "A round trip can take {} ms, not much less than the shortest election timeout ({el_lo} ms): candidates may time out before the votes come back, and leaders may be deposed.",
                2 * lat_hi
            ));
        }
        if el_hi.saturating_sub(el_lo) < 2 * lat_hi && self.nodes > 1 {
            w.push(format!(
                "The election timeouts are spread over only {} ms, less than a round trip ({} ms): expect split votes.",
                el_hi.saturating_sub(el_lo),
                2 * lat_hi
            ));
        }
        if self.drop_rate >= 0.3 {
            w.push(format!(
                "{}% of messages are lost: expect frequent elections and slow commits.",
                fixed(self.drop_rate * 100.0, 0)
            ));
        }
        w
    }
}

/// The longest duration a setting may have (one hour): latencies, timeouts, intervals.
pub(crate) const MAX_DURATION_MS: u64 = 3_600_000;

pub(crate) fn check_range(what: &'static str, (lo, hi): (u64, u64), positive: bool) -> Result<(), SimError> {
    if lo > hi {
        return Err(SimError::BadRange { what, lo, hi, why: "the low end is above the high end" });
    }
    if positive && lo == 0 {
        return Err(SimError::BadRange { what, lo, hi, why: "it must start at 1 ms or more" });
    }
    if hi > MAX_DURATION_MS {
        return Err(SimError::BadRange { what, lo, hi, why: "it must end at one hour or less" });
    }
    Ok(())
}

/// A duration from 1 ms to one hour.
pub(crate) fn check_duration(what: &'static str, ms: u64) -> Result<(), SimError> {
    if ms == 0 {
        return Err(SimError::ZeroDuration(what));
    }
    check_range(what, (ms, ms), true)
}

pub(crate) fn check_rate(what: &'static str, p: f64) -> Result<(), SimError> {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return Err(SimError::BadRate { what, value: p });
    }
    Ok(())
}
