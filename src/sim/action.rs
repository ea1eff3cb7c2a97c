//! Everything a visitor, a test or a script can do to a cluster, as data.
//!
//! [`Cluster::apply`] performs an [`Action`] and records it with its virtual
//! time in [`Cluster::history`]. Because a run is determined by its config,
//! its seed and that history, replaying the history on a fresh cluster
//! ([`Cluster::replay`]) rebuilds any moment exactly: the ground for time
//! travel, shareable links and scenario scripts.

use super::{Cluster, Command, Config, NodeId, SimError};
use serde::{Deserialize, Serialize};

/// One thing done to the cluster from outside.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Crash a server.
    Crash {
        /// Which.
        node: NodeId,
    },
    /// Restart a crashed server.
    Restart {
        /// Which.
        node: NodeId,
    },
    /// Cut a server off from everyone.
    Disconnect {
        /// Which.
        node: NodeId,
    },
    /// Undo a disconnect.
    Reconnect {
        /// Which.
        node: NodeId,
    },
    /// Make a server's election timer run out now.
    Timeout {
        /// Which.
        node: NodeId,
    },
    /// Hand leadership to a server.
    TransferLeadership {
        /// The new leader.
        to: NodeId,
    },
    /// Split the network into groups.
    Partition {
        /// The groups.
        groups: Vec<Vec<NodeId>>,
    },
    /// Heal every partition and disconnection.
    Heal,
    /// A write through the simulated client (to the server it believes leads,
    /// or to `to` first when given).
    Write {
        /// The key.
        key: String,
        /// The value.
        value: i64,
        /// The server to try first.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<NodeId>,
    },
    /// Hand a write straight to a server (it must lead).
    Submit {
        /// The server.
        node: NodeId,
        /// The key.
        key: String,
        /// The value.
        value: i64,
    },
    /// Lose a message in flight.
    DropMessage {
        /// Its id.
        id: u64,
    },
    /// Send a second copy of a message in flight.
    DuplicateMessage {
        /// Its id.
        id: u64,
    },
    /// Change the message delay range.
    SetLatency {
        /// Low end (ms).
        lo: u64,
        /// High end (ms).
        hi: u64,
    },
    /// Change the loss rate.
    SetDropRate {
        /// Probability, 0 to 1.
        rate: f64,
    },
    /// Change the election timeout range.
    SetElectionTimeout {
        /// Low end (ms).
        lo: u64,
        /// High end (ms).
        hi: u64,
    },
    /// Change the heartbeat interval.
    SetHeartbeat {
        /// Interval (ms).
        ms: u64,
    },
}

impl Cluster {
    /// Performs `action` now and, if it succeeded, records it in [`Cluster::history`].
    pub fn apply(&mut self, action: Action) -> Result<(), SimError> {
        // An action lands after everything already due at this instant, as it
        // will on replay (where `advance_to` runs those events first).
        self.advance(0);
        match &action {
            Action::Crash { node } => self.crash(*node)?,
            Action::Restart { node } => self.restart(*node)?,
            Action::Disconnect { node } => self.disconnect(*node)?,
            Action::Reconnect { node } => self.reconnect(*node)?,
            Action::Timeout { node } => self.timeout_now(*node)?,
            Action::TransferLeadership { to } => self.transfer_leadership(*to)?,
            Action::Partition { groups } => self.partition(groups)?,
            Action::Heal => self.heal(),
            Action::Write { key, value, to: None } => {
                super::check_key(key)?;
                self.client_write(Command::set(key, *value));
            }
            Action::Write { key, value, to: Some(to) } => {
                super::check_key(key)?;
                self.client_write_to(*to, Command::set(key, *value))?;
            }
            Action::Submit { node, key, value } => {
                super::check_key(key)?;
                self.submit(*node, Command::set(key, *value))?;
            }
            Action::DropMessage { id } => self.drop_message(*id)?,
            Action::DuplicateMessage { id } => {
                self.duplicate_message(*id)?;
            }
            Action::SetLatency { lo, hi } => self.set_latency_ms(*lo, *hi)?,
            Action::SetDropRate { rate } => self.set_drop_rate(*rate)?,
            Action::SetElectionTimeout { lo, hi } => self.set_election_timeout_ms(*lo, *hi)?,
            Action::SetHeartbeat { ms } => self.set_heartbeat_ms(*ms)?,
        }
        self.history.push((self.now, action));
        self.revision += 1;
        Ok(())
    }

    /// Every action applied through [`Cluster::apply`], with its virtual time, in order.
    pub fn history(&self) -> &[(u64, Action)] {
        &self.history
    }

    /// Rebuilds a run: a fresh cluster from `config`, with each action applied
    /// at its time, advanced to `until`. Same inputs, same cluster, bit for bit.
    pub fn replay(config: Config, history: &[(u64, Action)], until: u64) -> Result<Cluster, SimError> {
        let mut c = Cluster::new(config)?;
        for (t, a) in history {
            if *t > until {
                break;
            }
            c.advance_to(*t);
            c.apply(a.clone())?;
        }
        c.advance_to(until);
        Ok(c)
    }
}
