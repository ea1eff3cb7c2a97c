//! A node's behaviour switches: the options of real Raft (pre-vote,
//! check-quorum, exactly-once writes, how reads are served, fast back-up...)
//! and the switches that break Raft on purpose (each `unsafe_`).

use serde::{Deserialize, Serialize};
use std::num::NonZeroU64;

/// How a leader serves a client read (Raft thesis §6.4). Whatever the mode,
/// a follower redirects reads to the leader, as it does writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadMode {
    /// ReadIndex (thesis §6.4): the leader records its commit index as the
    /// read index (once it has committed an entry of its own term), confirms
    /// that it still leads with a round of heartbeats that a majority
    /// acknowledges after the read arrived, waits until it has applied the
    /// read index, then answers from its state machine. The default.
    #[default]
    ReadIndex,
    /// Lease (thesis §6.4.1): the leader answers at once while its lease
    /// holds, that is, while a majority acknowledged a heartbeat round sent
    /// less than the shortest election timeout ago (less a margin for clock
    /// drift). Safe only because those servers will not vote for anyone else
    /// during that time: this mode turns on the voters' guard of check-quorum,
    /// and a server that restarts keeps that guard for the shortest election
    /// timeout (it cannot remember whose round it answered before its crash).
    /// Without a valid lease (just elected, handing leadership over) it falls
    /// back to ReadIndex.
    Lease,
}

impl ReadMode {
    /// Every mode, in the order the options table lists them.
    pub const ALL: [ReadMode; 2] = [ReadMode::ReadIndex, ReadMode::Lease];

    /// Its name in scripts and JSON: `read_index`, `lease`.
    pub fn name(self) -> &'static str {
        match self {
            ReadMode::ReadIndex => "read_index",
            ReadMode::Lease => "lease",
        }
    }
}

/// Behaviour switches of a node. The defaults are the seed's Raft (correct
/// Raft, with exactly-once writes); fields missing from older saved settings
/// take their defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// On a rejected AppendEntries, jump `nextIndex` back using the follower's
    /// conflict term/index hint, instead of stepping back one entry at a time
    /// (the seed's behaviour, the default).
    pub fast_backup: bool,
    /// A new leader appends an empty entry of its own term at once, so that
    /// entries of earlier terms commit without waiting for a client write.
    pub leader_noop: bool,
    /// How many heartbeat intervals a leadership transfer may take before the
    /// leader gives up and takes writes again.
    pub transfer_timeout_heartbeats: u32,
    /// BREAKS RAFT: grant votes without checking that the candidate's log is at
    /// least as up to date as the voter's.
    pub unsafe_skip_vote_log_check: bool,
    /// BREAKS RAFT: commit an entry of an older term as soon as a majority
    /// stores it (Figure 8 of the Raft paper shows why that is wrong).
    pub unsafe_commit_old_terms: bool,
    /// The most entries one AppendEntries carries. `None` (the default) sends
    /// everything from the follower's nextIndex to the last entry. With a limit,
    /// a follower far behind catches up one batch per round trip (the leader
    /// sends the next batch as soon as one is acknowledged), and each batch's
    /// commit index is capped by the follower at the last entry it carried.
    pub max_entries_per_append: Option<NonZeroU64>,
    /// Pre-vote (Raft thesis §9.6): a server whose election timer runs out
    /// first asks the others whether they would vote for it in the next term
    /// (PreVote), and raises its term and starts the election only when a
    /// majority would. Voters keep their own term and vote; they say no when
    /// the candidate's log is less up to date than theirs, or when they heard
    /// from a leader less than the shortest election timeout ago. So a server
    /// that was cut off and comes back cannot depose a working leader.
    pub pre_vote: bool,
    /// Check-quorum (thesis §6.2 and §4.2.3), both halves: a leader that has
    /// not heard from a majority within an election timeout steps down; and a
    /// server that heard from a leader less than the shortest election timeout
    /// ago ignores RequestVote (it neither raises its term nor votes), except
    /// for the election of a leadership transfer.
    pub check_quorum: bool,
    /// Exactly-once client writes (thesis §6.3): each write carries its
    /// client's id and sequence number, and each server's state machine
    /// applies a (client, sequence) once: a retry that landed in the log a
    /// second time is skipped and answered with the first result. On by
    /// default; off, every copy in the log is applied.
    pub exactly_once: bool,
    /// How the leader serves client reads: ReadIndex (the default) or a lease.
    pub read_mode: ReadMode,
    /// BREAKS RAFT: the leader answers a write as soon as it appended it, before
    /// a majority stores it (asynchronous replication): a crash of the leader
    /// can lose a write the client was told is done.
    pub unsafe_ack_before_commit: bool,
    /// BREAKS RAFT: the vote is not kept on disk: a server that crashes and
    /// restarts has forgotten whom it voted for, and can vote twice in a term.
    pub unsafe_forget_vote_on_restart: bool,
    /// BREAKS RAFT: any server answers a read at once from its own state
    /// machine, leader or not, without checking anything: a leader cut off in
    /// a minority, or a follower behind, returns old values.
    pub unsafe_stale_reads: bool,
    /// Log compaction (Raft paper §7): once more than this many applied
    /// entries sit in its log, a server snapshots its state machine and drops
    /// them; a leader sends a follower that needs dropped entries its
    /// snapshot (InstallSnapshot). `None` (the default): no compaction.
    #[cfg(feature = "compaction")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_threshold: Option<NonZeroU64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fast_backup: false,
            leader_noop: true,
            transfer_timeout_heartbeats: 10,
            unsafe_skip_vote_log_check: false,
            unsafe_commit_old_terms: false,
            max_entries_per_append: None,
            pre_vote: false,
            check_quorum: false,
            exactly_once: true,
            read_mode: ReadMode::ReadIndex,
            unsafe_ack_before_commit: false,
            unsafe_forget_vote_on_restart: false,
            unsafe_stale_reads: false,
            #[cfg(feature = "compaction")]
            snapshot_threshold: None,
        }
    }
}

impl Settings {
    /// Production Raft: pre-vote, check-quorum, ReadIndex reads and the fast
    /// log back-up, on top of the defaults.
    pub fn production() -> Settings {
        Settings { pre_vote: true, check_quorum: true, fast_backup: true, ..Settings::default() }
    }

    /// True when a server that heard from a leader recently refuses votes
    /// (check-quorum's guard; a lease needs it too).
    pub fn guards_votes(&self) -> bool {
        self.check_quorum || self.read_mode == ReadMode::Lease
    }

    /// True when a server must know whether it heard from a leader within the
    /// shortest election timeout (for pre-vote or for the guard).
    pub fn tracks_leader_contact(&self) -> bool {
        self.pre_vote || self.guards_votes()
    }
}
