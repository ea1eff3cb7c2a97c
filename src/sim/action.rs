//! Everything a visitor, a test or a script can do to a cluster, as data, and
//! the one door every change goes through.
//!
//! Each public method that changes a cluster ([`Cluster::crash`],
//! [`Cluster::partition`], [`Cluster::client_write`], ...) and
//! [`Cluster::apply`] build an [`Action`] and hand it to one private method,
//! `perform`: it runs the events already due at this instant, performs the
//! action and, if it succeeded, records it with its virtual time in
//! [`Cluster::history`]. Because a run is determined by its config, its seed
//! and that history, replaying the history on a fresh cluster
//! ([`Cluster::replay`]) rebuilds any moment exactly, whichever door was used:
//! the ground for time travel, shareable links and scenario scripts.
//!
//! The actions on servers (crash, restart, forced timeout, leadership
//! transfer, a write handed straight to a server, the timers' settings) are
//! here; the network's are in `network.rs`, the client's in `client.rs`.

use super::client::Request;
use super::{
    check_key, config, Cluster, Command, Config, EventData, Links, NodeId, Setting, SimError, Switch, SwitchValue,
};
use crate::raft::{Node, ProposeError, TransferError};
use serde::{Deserialize, Serialize};

/// One thing done to the cluster from outside. In JSON, one object tagged by
/// `action`: `{"action":"crash","node":1}`,
/// `{"action":"write","op":"set","key":"x","value":3,"to":2}`,
/// `{"action":"read","key":"x"}`, `{"action":"set_latency","lo":5,"hi":60}`,
/// `{"action":"set_option","name":"pre_vote","value":true}`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what it does
pub enum Action {
    /// Crash server `node` ([`Cluster::crash`]).
    Crash { node: NodeId },
    /// Restart the crashed server `node` ([`Cluster::restart`]).
    Restart { node: NodeId },
    /// Cut server `node` off from everyone ([`Cluster::disconnect`]).
    Disconnect { node: NodeId },
    /// Undo a disconnect of `node` ([`Cluster::reconnect`]).
    Reconnect { node: NodeId },
    /// Make `node`'s election timer run out now ([`Cluster::timeout_now`]).
    Timeout { node: NodeId },
    /// Hand leadership to `to` ([`Cluster::transfer_leadership`]).
    TransferLeadership { to: NodeId },
    /// Split the network into `groups` ([`Cluster::partition`]).
    Partition { groups: Vec<Vec<NodeId>> },
    /// Heal every partition and disconnection ([`Cluster::heal`]).
    Heal,
    /// A write through the simulated client, to the server it believes leads
    /// or to `to` first when given ([`Cluster::client_write`],
    /// [`Cluster::client_write_to`]). The command's fields sit beside the
    /// others in JSON: `"op":"set","key":"x","value":3` or `"op":"noop"`.
    Write {
        #[serde(flatten)]
        command: Command,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<NodeId>,
    },
    /// Hand `command` straight to server `node`, which must lead ([`Cluster::submit`]).
    Submit {
        node: NodeId,
        #[serde(flatten)]
        command: Command,
    },
    /// Lose message `id` in flight ([`Cluster::drop_message`]).
    DropMessage { id: u64 },
    /// Send a second copy of message `id` in flight ([`Cluster::duplicate_message`]).
    DuplicateMessage { id: u64 },
    /// Draw each new message's delay from `lo..=hi` ms ([`Cluster::set_latency_ms`]).
    SetLatency { lo: u64, hi: u64 },
    /// Lose each new message with probability `rate`, 0 to 1 ([`Cluster::set_drop_rate`]).
    SetDropRate { rate: f64 },
    /// Deliver new messages in order on each link, or each after its own delay
    /// ([`Cluster::set_links`]): `{"action":"set_links","links":"reorder"}`.
    SetLinks { links: Links },
    /// Draw each new election timeout from `lo..=hi` ms ([`Cluster::set_election_timeout_ms`]).
    SetElectionTimeout { lo: u64, hi: u64 },
    /// Send heartbeats every `ms` ms ([`Cluster::set_heartbeat_ms`]).
    SetHeartbeat { ms: u64 },
    /// A read of `key` through the simulated client, to the server it
    /// believes leads or to `to` first when given ([`Cluster::client_read`],
    /// [`Cluster::client_read_from`]).
    Read {
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<NodeId>,
    },
    /// Set the nodes' option `name` (a name of [`super::SWITCHES`]) to `value`
    /// ([`Cluster::set_option`]).
    SetOption { name: String, value: SwitchValue },
    /// Add a server: a fresh one joins as a learner and is promoted once it
    /// caught up ([`Cluster::add_server`]): `{"action":"add_server"}`.
    #[cfg(feature = "membership")]
    AddServer,
    /// Remove server `node` through the leader's log ([`Cluster::remove_server`]).
    #[cfg(feature = "membership")]
    RemoveServer { node: NodeId },
}

impl Action {
    /// The six actions on one server, by their number in the script words'
    /// and the share link's order: crash, restart, disconnect, reconnect,
    /// timeout, transfer (5 and above).
    pub fn on_server(kind: u8, node: NodeId) -> Action {
        match kind {
            0 => Action::Crash { node },
            1 => Action::Restart { node },
            2 => Action::Disconnect { node },
            3 => Action::Reconnect { node },
            4 => Action::Timeout { node },
            _ => Action::TransferLeadership { to: node },
        }
    }
}

impl Cluster {
    /// Performs `action` now and, if it succeeded, records it in
    /// [`Cluster::history`]. The door for input from outside (the page, the
    /// JavaScript API, scripts): besides what the methods refuse, it refuses a
    /// write whose key [`check_key`] refuses.
    pub fn apply(&mut self, action: Action) -> Result<(), SimError> {
        let key = match &action {
            Action::Write { command: Command::Set { key, .. }, .. }
            | Action::Submit { command: Command::Set { key, .. }, .. } => Some(&**key),
            Action::Read { key, .. } => Some(key.as_str()),
            _ => None,
        };
        if let Some(key) = key {
            check_key(key)?;
        }
        self.perform(action).map(drop)
    }

    /// The one door: runs what is due now, performs `action`, records it if
    /// it succeeded, and runs what it set off at this instant. Returns what
    /// the action produced: the operation id of a client write or read, the
    /// log index of a submitted command, the id of a duplicate; 0 for the
    /// other actions. An option's name and choice are recorded as the options
    /// table spells them.
    pub(crate) fn perform(&mut self, mut action: Action) -> Result<u64, SimError> {
        if let Action::SetOption { name, value } = &mut action {
            if let Some(s) = Switch::named(name) {
                *name = s.name.to_string();
                if let SwitchValue::Choice(c) = value {
                    if let Some(canonical) = s.choices().iter().find(|x| x.eq_ignore_ascii_case(c)) {
                        *c = canonical.to_string();
                    }
                }
            }
        }
        #[cfg(feature = "membership")]
        if let Action::Write { command: Command::Config { .. }, .. }
        | Action::Submit { command: Command::Config { .. }, .. } = &action
        {
            return Err(SimError::ConfigAsWrite);
        }
        // An action lands after everything already due at this instant, as it
        // will on replay (where `advance_to` runs those events first).
        self.advance(0);
        let made = match &action {
            Action::Crash { node } => self.do_crash(*node).map(|()| 0),
            Action::Restart { node } => self.do_restart(*node).map(|()| 0),
            Action::Disconnect { node } => self.do_disconnect(*node).map(|()| 0),
            Action::Reconnect { node } => self.do_reconnect(*node).map(|()| 0),
            Action::Timeout { node } => self.do_timeout(*node).map(|()| 0),
            Action::TransferLeadership { to } => self.do_transfer(*to).map(|()| 0),
            Action::Partition { groups } => self.do_partition(groups).map(|()| 0),
            Action::Heal => {
                self.do_heal();
                Ok(0)
            }
            Action::Write { command, to } => self.do_client_op(Request::Write(command.clone()), *to),
            Action::Read { key, to } => self.do_client_op(Request::Read { key: key.clone() }, *to),
            Action::SetOption { name, value } => self.do_set_option(name, value).map(|()| 0),
            Action::Submit { node, command } => self.do_submit(*node, command.clone()),
            Action::DropMessage { id } => self.do_drop(*id).map(|()| 0),
            Action::DuplicateMessage { id } => self.do_duplicate(*id),
            Action::SetLatency { lo, hi } => self.do_set_latency(*lo, *hi).map(|()| 0),
            Action::SetDropRate { rate } => self.do_set_drop_rate(*rate).map(|()| 0),
            Action::SetLinks { links } => {
                self.do_set_links(*links);
                Ok(0)
            }
            Action::SetElectionTimeout { lo, hi } => self.do_set_election_timeout(*lo, *hi).map(|()| 0),
            Action::SetHeartbeat { ms } => self.do_set_heartbeat(*ms).map(|()| 0),
            #[cfg(feature = "membership")]
            Action::AddServer => self.do_add_server(),
            #[cfg(feature = "membership")]
            Action::RemoveServer { node } => self.do_remove_server(*node).map(|()| 0),
        }?;
        self.history.push((self.now, action));
        self.revision += 1;
        // What the action set off at this very instant (a message with no
        // delay) happens now too, so that the moment right after an action is
        // determined by the history and the time alone, as on replay (which
        // advances to the moment). The order of events is the same as if the
        // next advance ran them.
        self.advance(0);
        Ok(made)
    }

    /// Every action performed so far, whichever door it came through, with its
    /// virtual time, in order.
    pub fn history(&self) -> &[(u64, Action)] {
        &self.history
    }

    /// Rebuilds a run: a fresh cluster from `config`, with each action
    /// performed at its time, advanced to `until`. Same inputs, same cluster,
    /// bit for bit. (Like the methods, it takes any key: a key only has to
    /// pass [`check_key`] when it comes through [`Cluster::apply`].)
    pub fn replay(config: Config, history: &[(u64, Action)], until: u64) -> Result<Cluster, SimError> {
        let mut c = Cluster::new(config)?;
        for (t, a) in history {
            if *t > until {
                break;
            }
            c.advance_to(*t);
            c.perform(a.clone())?;
        }
        c.advance_to(until);
        Ok(c)
    }

    // ----- actions on servers --------------------------------------------------------

    /// Hands `command` straight to server `id`: the index it was appended at
    /// when `id` leads, an error otherwise.
    pub fn submit(&mut self, id: NodeId, command: Command) -> Result<u64, SimError> {
        self.perform(Action::Submit { node: id, command })
    }

    fn do_submit(&mut self, id: NodeId, command: Command) -> Result<u64, SimError> {
        self.check_up(id)?;
        let index = self.step_node(id, |node, out| node.propose(command.clone(), out)).map_err(|e| match e {
            ProposeError::NotLeader { leader } => SimError::NotLeader { node: id, leader },
            ProposeError::Transferring => SimError::Transferring(id),
        })?;
        // The linearizability check counts it among the writes (nobody is told its fate).
        self.monitor.submitted(&command, self.now);
        Ok(index)
    }

    /// Crashes server `id`. What it persisted survives (`Node::persistent`:
    /// term, vote, log, snapshot); everything else is lost. Messages to it are lost while it is down.
    pub fn crash(&mut self, id: NodeId) -> Result<(), SimError> {
        self.perform(Action::Crash { node: id }).map(drop)
    }

    fn do_crash(&mut self, id: NodeId) -> Result<(), SimError> {
        self.check_up(id)?;
        let s = &mut self.servers[id.index()];
        let state = s.node.persistent();
        let (len, term) = (s.node.last_index(), state.term);
        let vote_forgotten = s.node.settings().unsafe_forget_vote_on_restart;
        // Exactly what the node persisted survives (with a snapshot, the
        // state machine restarts from it).
        s.node = Node::recover(id, s.node.initial_members().to_vec(), s.node.settings().clone(), state);
        s.up = false;
        s.stop_timers();
        self.log(EventData::Crashed { node: id, term, log_len: len, vote_forgotten });
        Ok(())
    }

    /// Restarts a crashed server from what it persisted, as a follower that has
    /// to relearn what is committed.
    pub fn restart(&mut self, id: NodeId) -> Result<(), SimError> {
        self.perform(Action::Restart { node: id }).map(drop)
    }

    fn do_restart(&mut self, id: NodeId) -> Result<(), SimError> {
        if self.check_node(id)?.up {
            return Err(SimError::NodeAlreadyUp(id));
        }
        self.servers[id.index()].up = true;
        let s = &self.servers[id.index()];
        let (term, log_len) = (s.term(), s.raft().last_index());
        self.log(EventData::Restarted { node: id, term, log_len });
        self.step_node(id, |node, out| node.start(out));
        Ok(())
    }

    /// Makes server `id`'s election timer run out now (a leader gives up its
    /// leadership and runs for the next term).
    pub fn timeout_now(&mut self, id: NodeId) -> Result<(), SimError> {
        self.perform(Action::Timeout { node: id }).map(drop)
    }

    fn do_timeout(&mut self, id: NodeId) -> Result<(), SimError> {
        self.check_up(id)?;
        self.log(EventData::TimeoutForced { node: id });
        self.step_node(id, |node, out| node.election_timeout(out));
        Ok(())
    }

    /// Manual failover: the leader stops taking writes, brings `to` up to date
    /// and then tells it to start an election at once (TimeoutNow).
    pub fn transfer_leadership(&mut self, to: NodeId) -> Result<(), SimError> {
        self.perform(Action::TransferLeadership { to }).map(drop)
    }

    fn do_transfer(&mut self, to: NodeId) -> Result<(), SimError> {
        self.check_up(to)?;
        let leader = self.leader().ok_or(SimError::NoLeader)?;
        self.step_node(leader, |node, out| node.transfer_leadership(to, out)).map_err(|e| match e {
            TransferError::NotLeader => SimError::NotLeader { node: leader, leader: None },
            TransferError::ToSelf => SimError::AlreadyLeader(to),
            TransferError::UnknownTarget => SimError::UnknownNode(to.0 as u64),
        })
    }

    /// Changes the election timeout range (timers started from now on).
    pub fn set_election_timeout_ms(&mut self, lo: u64, hi: u64) -> Result<(), SimError> {
        self.perform(Action::SetElectionTimeout { lo, hi }).map(drop)
    }

    fn do_set_election_timeout(&mut self, lo: u64, hi: u64) -> Result<(), SimError> {
        config::check_range("election timeout", (lo, hi), true)?;
        self.cfg.election_timeout_ms = (lo, hi);
        // The leases of the rounds sent so far were timed with the old timeouts.
        for s in &mut self.servers {
            s.node.expire_lease();
        }
        self.log(EventData::SettingChanged { setting: Setting::ElectionTimeout { lo, hi } });
        Ok(())
    }

    /// Changes the heartbeat interval (timers started from now on).
    pub fn set_heartbeat_ms(&mut self, ms: u64) -> Result<(), SimError> {
        self.perform(Action::SetHeartbeat { ms }).map(drop)
    }

    fn do_set_heartbeat(&mut self, ms: u64) -> Result<(), SimError> {
        config::check_duration("heartbeat interval", ms)?;
        self.cfg.heartbeat_ms = ms;
        self.log(EventData::SettingChanged { setting: Setting::Heartbeat { ms } });
        Ok(())
    }
}
