//! Scenario scripts and links that reproduce a run.
//!
//! A scenario script is plain text, one statement a line, that a teacher can
//! write by hand (`docs/scenarios.md` is the full reference):
//!
//! ```text
//! servers 5
//! seed 42
//! wait until leader within 2s
//! at 1.5s crash S1
//! say "S1 has crashed: the followers stop hearing heartbeats"
//! wait until leader in S2 S3 S4 S5 within 2s
//! +200ms write x=3
//! wait until committed x=3 on all within 2s
//! expect no violation
//! ```
//!
//! - [`parse`] turns the text into a [`Script`] (the settings and one [`Line`]
//!   per statement) or a [`ParseError`] naming the line, the column and what
//!   was expected. It never panics, whatever the input.
//! - [`run`] plays a script on a fresh cluster and returns a [`Report`]: the
//!   cluster at the end and one [`Outcome`] per expectation, failure and `say`.
//!   Every change goes through `Cluster::apply`, so the cluster's history holds
//!   the run exactly.
//! - [`export`] writes a [`Recording`] (a cluster's initial config, its history
//!   and a moment) as a script that replays to the same trace hash.
//! - [`link`] packs a [`Recording`] into a short URL-fragment-safe string and
//!   back.
//!
//! Everything here is pure (no files, no clock) and builds for wasm32 too.

pub(crate) mod actions;
pub mod answer;
pub(crate) mod check;
mod export;
pub(crate) mod lex;
pub mod link;
pub(crate) mod parse;
pub(crate) mod run;
pub(crate) mod settings;
mod tracefile;

pub use crate::sim::{Switch, SwitchValue, SWITCHES};
pub use actions::{format_action, kind_name, KINDS};
pub use export::export;
pub(crate) use lex::format_ms;
pub use lex::ParseError;
pub use parse::{parse, MAX_SCRIPT_BYTES};
pub use run::{run, run_with, Options, Outcome, OutcomeKind, Report};
pub use tracefile::{compare_trace, render_trace, split_trace, with_trace, ExpectedTrace, TRACE_MARKER};

use crate::raft::NodeId;
use crate::sim::{Action, Addr, Cluster, Config, MessageKind, Property, Role, SimError};

/// The latest virtual time a script or a link may reach (2 hours, in ms).
/// It bounds the work a hostile script or link can ask of the page: the
/// engine runs a virtual hour of 5 servers in about half a second natively.
pub const MAX_TIME_MS: u64 = 2 * 3_600_000;

/// How long `wait until` and `drop next` wait when the line gives no `within`.
pub const DEFAULT_WITHIN_MS: u64 = 10_000;

/// A parsed script: the cluster's settings and the statements, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    /// The settings from the lines before the first statement (defaults for the rest).
    pub config: Config,
    /// The statements, in order.
    pub lines: Vec<Line>,
}

/// One statement of a script.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its line number in the text (the first line is 1).
    pub line: usize,
    /// When it happens: `at 1.5s` or `+200ms`; `None` is "now", right after the line before.
    pub at: Option<At>,
    /// What it does.
    pub step: Step,
    /// The condition of an `expect` or `wait until` as the line writes it
    /// (what the run's report quotes: "expected leader S3, but ..."); empty
    /// for other lines.
    pub words: String,
}

/// The time prefix of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// `at 1.5s`: at this virtual time (ms).
    Absolute(u64),
    /// `+200ms`: this long after the line before (ms).
    After(u64),
}

/// What a line does.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// A line with only a time: the clock moves there and nothing else happens.
    Nothing,
    /// An action applied as it is (crash, write, partition, `drop message 17`...).
    Act(Action),
    /// `drop next AppendEntries S1->S2` or `drop message 17 AppendEntries S1->S2`
    /// (and the same with `duplicate`): a message is found first, then acted on.
    Tamper {
        /// Drop or duplicate.
        tamper: Tamper,
        /// Which message.
        pick: Pick,
    },
    /// `wait 500ms`.
    Wait(u64),
    /// `wait until <condition> within 2s`: runs event by event until the condition holds.
    WaitUntil {
        /// The condition.
        cond: Cond,
        /// How long it may take (ms).
        within: u64,
    },
    /// `expect <condition>`: checked now.
    Expect(Cond),
    /// `say "..."`: a sentence for the learner, shown at this moment.
    Say(String),
}

/// What to do to a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// Lose it.
    Drop,
    /// Send a second copy.
    Duplicate,
}

/// Which message a `drop` or `duplicate` line acts on.
#[derive(Clone, Debug, PartialEq)]
pub enum Pick {
    /// `next <kind> A->B [within 2s]`: the oldest such message in flight, or
    /// else the first one sent from now on (the run goes on event by event
    /// until one is in flight, at most `within` ms).
    Next {
        /// Its kind, as the inspector names it.
        kind: MessageKind,
        /// Sender.
        from: Addr,
        /// Receiver.
        to: Addr,
        /// How long to wait for it (ms).
        within: u64,
    },
    /// `message 17 [<kind> A->B]`: the message with this id, which must be in
    /// flight (and of that kind on that link, when they are given).
    Id {
        /// The message id (the inspector's "message #17").
        id: u64,
        /// The kind and link it must have.
        check: Option<(MessageKind, Addr, Addr)>,
    },
}

/// A condition for `expect` and `wait until`.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// `leader` (anyone), `leader S3`, `leader in S3 S4 S5`.
    Leader(Vec<NodeId>),
    /// `no leader`: no running server leads.
    NoLeader,
    /// `term S1 3`: the server is in this term.
    Term(NodeId, u64),
    /// `role S2 candidate`.
    Role(NodeId, Role),
    /// `crashed S2`.
    Crashed(NodeId),
    /// `running S2`.
    Running(NodeId),
    /// `committed x=3 on all`: an entry `x ← 3` at or below each server's commit index.
    Committed {
        /// Key.
        key: String,
        /// Value.
        value: i64,
        /// Which servers.
        on: Where,
    },
    /// `stored x=3 on majority`: an entry `x ← 3` in each server's log, committed or not.
    Stored {
        /// Key.
        key: String,
        /// Value.
        value: i64,
        /// Which servers.
        on: Where,
    },
    /// `committed index 3 on all`: each server's commit index is at least this.
    CommitIndex {
        /// The index.
        index: u64,
        /// Which servers.
        on: Where,
    },
    /// `matched index 3 on S2 S3`: the leader knows each of these servers
    /// stores its log up to this index (its matchIndex for them; for itself,
    /// its own log), as it does when it counts replicas to commit.
    Matched {
        /// The index.
        index: u64,
        /// Which servers.
        on: Where,
    },
    /// `applied x=3 on all`: each server's state machine holds x = 3.
    Applied {
        /// Key.
        key: String,
        /// Value.
        value: i64,
        /// Which servers.
        on: Where,
    },
    /// `log S2 1:1 2:1 3:2` (index:term of every entry) or `log S2 empty`.
    Log(NodeId, Vec<u64>),
    /// `same log on all`: the servers' logs are equal (index, term and command).
    SameLog(Where),
    /// `acknowledged x=3`: the client was told a write `x ← 3` is committed.
    Acknowledged {
        /// Key.
        key: String,
        /// Value.
        value: i64,
    },
    /// `read x=3` / `read x=none`: the client's latest read of `x` has its
    /// answer, and it returned 3 / found `x` never written.
    Read {
        /// Key.
        key: String,
        /// The value it returned (`None`: never written).
        value: Option<i64>,
    },
    /// `no violation`: the safety monitor has seen nothing wrong.
    NoViolation,
    /// `violation` (any) or `violation "Leader Completeness"`.
    Violation(Option<Property>),
    /// `event "words"` or `event "words" at least 6 times`: trace events containing the words.
    Event {
        /// The words, matched as written (case-sensitive).
        words: String,
        /// How many events must contain them.
        at_least: u64,
    },
    /// `no event "words"`.
    NoEvent(String),
    /// `not <condition>`: holds when the condition does not.
    Not(Box<Cond>),
}

/// Which servers a condition is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Where {
    /// Every running server (a crashed one knows nothing committed until it restarts).
    All,
    /// A majority of the whole cluster, counting running servers only.
    Majority,
    /// These servers (crashed ones fail the condition).
    Servers(Vec<NodeId>),
}

/// A run as data: what it takes to rebuild one moment of it exactly. This is
/// what [`export`] writes as a script and what [`link`] packs into a link.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    /// The config the cluster was created with (seed and switches included).
    pub config: Config,
    /// Every action with its virtual time, in order.
    pub history: Vec<(u64, Action)>,
    /// The moment shown (virtual ms). Actions after it belong to the run's
    /// future: a link keeps them, an exported script stops at the moment.
    pub moment: u64,
    /// The trace hash at the moment, when known: a page opening a link checks
    /// that its replay gives the same run.
    pub trace_hash: Option<u64>,
}

impl Recording {
    /// The recording of a cluster at its current moment.
    pub fn of(cluster: &Cluster) -> Recording {
        Recording {
            config: cluster.initial_config().clone(),
            history: cluster.history().to_vec(),
            moment: cluster.now(),
            trace_hash: Some(cluster.trace_hash()),
        }
    }

    /// Rebuilds the cluster at the moment (`Cluster::replay`).
    pub fn replay(&self) -> Result<Cluster, SimError> {
        Cluster::replay(self.config.clone(), &self.history, self.moment)
    }
}
