//! Time travel: a run that can be seen at any moment, played on from there,
//! and changed from there on a new branch, with every earlier future kept.
//!
//! A [`Timeline`] owns the one [`Cluster`] the page shows (the cursor) and
//! drives it: time moves through [`Timeline::advance`] and [`Timeline::step`],
//! and every action through [`Timeline::act`], so that the timeline knows
//! each branch's actions and can replay them.
//!
//! - **Branches.** A branch is the actions of one run. Acting at a past
//!   moment keeps the current branch as it is and starts a new one: the
//!   actions up to that moment, then the new one. Acting at the latest moment
//!   only adds an action to the branch. A branch can also have a start of its
//!   own ([`Timeline::start_branch`]: another config, its own first
//!   checkpoint, no past shared with its parent): a lesson's "replay this
//!   with pre-vote" is one. Each checkpoint holds its config, so switching
//!   between branches of different configs restores it like any other.
//! - **Checkpoints.** While a branch runs into time nobody has seen yet, the
//!   timeline takes a [`Snapshot`] every `interval` of virtual time (the
//!   snapshots share their long tables, see `sim/snapshot.rs`). When a branch
//!   holds more than [`TimelineSettings::max_checkpoints`], every other one
//!   is dropped (the one at time 0 always stays) and the interval doubles:
//!   the checkpoints stay evenly spread over the run and their number
//!   bounded, whatever its length. A new branch shares its parent's
//!   checkpoints up to the moment it forked. Each branch also keeps its
//!   latest moment (its head) as a snapshot while the cursor is elsewhere.
//! - **The trace** is not in the checkpoints (they keep its length and
//!   hash): each event is kept once. The cluster's trace knows the current
//!   branch's events up to its latest moment, those after the cursor too
//!   (playing on makes them again, which only moves the trace's end on);
//!   the other branches' events are kept in pieces that the branches
//!   sharing them share (`Piece`), moved in and out of the cluster's trace
//!   when the current branch changes, never copied.
//! - **Seeking.** [`Timeline::seek`] restores the latest checkpoint at or
//!   before the moment into the cluster and replays the branch's actions
//!   from there, each at its time, exactly as [`Cluster::replay`] does, so
//!   the cluster is what the run was at that moment, bit for bit: same time,
//!   servers, logs, messages in flight, client writes, trace and trace hash.
//!   Restoring changes only what differs between the cursor's moment and the
//!   checkpoint's (both are moments of one run), and what it cuts off the
//!   cluster's long tables is kept aside to be moved back in when the cursor
//!   goes forward again: a seek costs the replay from the checkpoint plus
//!   what differs, not the length of the run (a log's entry clones without
//!   allocating: a write's key is an `Arc<str>` shared by every copy of the
//!   write). Seeking forward from the cursor without a checkpoint in
//!   between just runs on.
//! - **Playing on** from a past moment replays the branch's later actions at
//!   their times: the run goes on exactly as it did, and nothing forks until
//!   someone acts. Past the branch's latest moment, it runs into new time
//!   (and takes checkpoints again).
//!
//! A moment means a virtual millisecond with every action recorded at it:
//! several actions can share a millisecond, and seeking to it shows the state
//! after all of them (as [`Cluster::replay`] does).

use crate::script::{format_ms, Recording, MAX_TIME_MS};
use crate::sim::{Action, Cluster, Config, Event, SimError, Snapshot, SnapshotMemory};
use serde::Serialize;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// How a timeline spends memory on checkpoints. The defaults keep a
/// checkpoint every 0.5 s of the first 256 s, every 2 s of a 10-minute
/// run, every 8 s of an hour: a seek replays at most that much virtual time
/// from its checkpoint. 512 checkpoints instead of 256 halve that replay;
/// for an hour of 5 servers with a write a second they weigh about 6 MB
/// more (README, Figures: natively 24.8 MB of heap against 18.7, in the
/// page 27.0 MB of wasm memory against 20.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimelineSettings {
    /// Virtual time between checkpoints at first (ms); it doubles at each thinning.
    pub first_interval_ms: u64,
    /// The most checkpoints a branch keeps; past it, every other one goes.
    pub max_checkpoints: usize,
    /// The most branches kept; forking one more forgets the one visited longest ago.
    pub max_branches: usize,
    /// The end of the timeline (virtual ms): no seeking or running past it.
    pub max_time_ms: u64,
}

impl Default for TimelineSettings {
    fn default() -> Self {
        TimelineSettings { first_interval_ms: 500, max_checkpoints: 512, max_branches: 32, max_time_ms: MAX_TIME_MS }
    }
}

/// Why the timeline refused a call. Nothing changed when it did.
#[derive(Clone, Debug, PartialEq)]
pub enum TimelineError {
    /// A moment past the end of the timeline.
    TooLate {
        /// The moment asked for (ms).
        t: u64,
        /// The end (ms).
        max: u64,
    },
    /// No branch has this id.
    UnknownBranch(u32),
    /// The cluster refused: a bad config, or an action it refuses without
    /// time travel too (a crashed server crashed again, an unknown one...).
    Refused(SimError),
    /// A recorded action failed when replayed: the history does not belong
    /// to this config (a tampered recording), or replay is not deterministic.
    Replay {
        /// When the action was recorded (ms).
        at: u64,
        /// The action.
        action: Action,
        /// Why it failed.
        error: SimError,
    },
    /// A recording's actions are not in time order, or run past the end.
    BadRecording(String),
    /// A recording replayed to another trace than the one it names.
    TraceMismatch {
        /// The hash the recording names.
        expected: u64,
        /// The hash its replay gave.
        got: u64,
    },
    /// Settings that cannot work (an interval of 0, fewer than 2 checkpoints, no branch).
    BadSettings(String),
}

impl fmt::Display for TimelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimelineError::TooLate { t, max } => {
                write!(f, "{} is past the end of the timeline ({})", format_ms(*t), format_ms(*max))
            }
            TimelineError::UnknownBranch(id) => write!(f, "there is no branch {id}"),
            TimelineError::Refused(e) => write!(f, "{e}"),
            TimelineError::Replay { at, action, error } => write!(
                f,
                "the recorded action {} at {} failed on replay: {error}",
                crate::quote::Quoted(&crate::script::format_action(action, None)),
                format_ms(*at)
            ),
            TimelineError::BadRecording(why) => write!(f, "the recording cannot be replayed: {why}"),
            TimelineError::TraceMismatch { expected, got } => write!(
                f,
                "the recording replays to trace {got:016x}, not to the {expected:016x} it names (made by another version?)"
            ),
            TimelineError::BadSettings(why) => write!(f, "bad timeline settings: {why}"),
        }
    }
}

impl std::error::Error for TimelineError {}

impl From<SimError> for TimelineError {
    fn from(e: SimError) -> Self {
        TimelineError::Refused(e)
    }
}

/// One branch as the page lists it. In JSON:
/// `{"id":2,"name":"branch 2: crash S1 at 3.2s","parent":1,"forkedAt":3200,"latest":5000,"current":true}`;
/// a branch with its own start ([`Timeline::start_branch`]) adds `"ownStart":true`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BranchInfo {
    /// Its id (1 for the first run, then 2, 3, ... in the order they forked).
    pub id: u32,
    /// "branch 1", or "branch 2: crash S1 at 3.2s": where it forked and what was done there.
    pub name: String,
    /// The branch it forked from.
    pub parent: Option<u32>,
    /// The moment it forked (ms; 0 for the first). For a branch with its
    /// own start, the moment it parts from its parent: its run before it is
    /// its own (the same actions on another config), not its parent's.
    pub forked_at: u64,
    /// The latest moment reached on it (ms).
    pub latest: u64,
    /// True for the branch the cursor is on.
    pub current: bool,
    /// True for a branch with its own start ([`Timeline::start_branch`]):
    /// its own config and first checkpoint, not a moment of its parent.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub own_start: bool,
}

/// What [`Timeline::act`] did besides the action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Acted {
    /// The new branch, when the action forked one (it is now the current branch).
    pub forked: Option<u32>,
    /// A branch forgotten to stay within [`TimelineSettings::max_branches`].
    pub forgot: Option<u32>,
}

/// What a timeline holds in memory besides the cluster it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineMemory {
    /// Checkpoints over all branches (each counted once however many branches share it).
    pub checkpoints: usize,
    /// The checkpoints and the branches' latest moments, weighed together (shared chunks once).
    pub snapshots: SnapshotMemory,
    /// The branches' action lists.
    pub actions_bytes: usize,
}

impl TimelineMemory {
    /// Every byte counted (an estimate, see [`SnapshotMemory`]).
    pub fn bytes(&self) -> usize {
        self.snapshots.bytes() + self.actions_bytes
    }
}

struct Branch {
    id: u32,
    name: String,
    parent: Option<u32>,
    forked_at: u64,
    own_start: bool,
    /// Every action of the branch, in order, with its time: those the cursor
    /// has performed (a prefix, equal to the cluster's history) and those
    /// still ahead of it.
    actions: Vec<(u64, Action)>,
    /// In time order (then by actions included); the first is at time 0.
    checkpoints: Vec<Arc<Snapshot>>,
    interval: u64,
    /// The latest moment reached on the branch.
    latest: u64,
    /// The state at `latest`. `None` only while the cursor is there: then
    /// the cluster itself is that state.
    head: Option<Arc<Snapshot>>,
    /// When it was last the current branch (a counter), to forget the oldest.
    visited: u64,
    /// The last of its trace's pieces (in [`Timeline`]'s `pieces`).
    piece: usize,
}

/// A stretch of the trace that the same branches share, from event `start`
/// (of their traces) up to where the pieces that continue it start (or to
/// the branch's latest moment, for a branch's last piece). Each event is
/// kept once: the pieces of the current branch are in the cluster's trace
/// (its events, then its known future up to the branch's latest moment),
/// the others' own events here.
struct Piece {
    start: usize,
    parent: Option<usize>,
    /// Its events while it is not one of the current branch's pieces.
    events: Vec<Event>,
}

impl Branch {
    /// The checkpoint (or the head) to replay from to reach moment `t`: the
    /// latest one at or before it; among those at one millisecond, the one
    /// that includes the most actions.
    fn base_for(&self, t: u64) -> Option<&Arc<Snapshot>> {
        self.latest_base(t.saturating_add(1))
    }

    /// The latest checkpoint (or head) strictly before moment `t` (among
    /// those at one millisecond, the one that includes the most actions).
    fn latest_base(&self, t: u64) -> Option<&Arc<Snapshot>> {
        let mut best: Option<&Arc<Snapshot>> = None;
        for s in self.bases() {
            if s.time() < t && best.is_none_or(|b| (s.time(), s.history_len()) >= (b.time(), b.history_len())) {
                best = Some(s);
            }
        }
        best
    }

    fn bases(&self) -> impl Iterator<Item = &Arc<Snapshot>> {
        self.checkpoints.iter().chain(self.head.as_ref())
    }

    fn info(&self, current: bool) -> BranchInfo {
        BranchInfo {
            id: self.id,
            name: self.name.clone(),
            parent: self.parent,
            forked_at: self.forked_at,
            latest: self.latest,
            current,
            own_start: self.own_start,
        }
    }
}

/// A run with time travel and branches (see the module's doc).
pub struct Timeline {
    settings: TimelineSettings,
    cluster: Cluster,
    branches: Vec<Branch>,
    /// The branches' traces, in pieces (see [`Piece`]).
    pieces: Vec<Piece>,
    /// Index of the current branch in `branches`.
    current: usize,
    next_id: u32,
    visits: u64,
    revision: u64,
    seen_revision: u64,
}

impl Timeline {
    /// A timeline of a fresh cluster made from `config`, with the default settings.
    pub fn new(config: Config) -> Result<Timeline, TimelineError> {
        Timeline::start(config, TimelineSettings::default())
    }

    /// A timeline of a fresh cluster made from `config`.
    pub fn with_settings(config: Config, settings: TimelineSettings) -> Result<Timeline, TimelineError> {
        if settings.first_interval_ms == 0 {
            return Err(TimelineError::BadSettings("the checkpoint interval must be at least 1 ms".into()));
        }
        if settings.max_checkpoints < 2 {
            return Err(TimelineError::BadSettings("a branch must keep at least 2 checkpoints".into()));
        }
        if settings.max_branches == 0 {
            return Err(TimelineError::BadSettings("at least one branch must be kept".into()));
        }
        Timeline::start(config, settings)
    }

    /// [`Timeline::with_settings`] with settings known to be good (the
    /// page's: the defaults).
    fn start(config: Config, settings: TimelineSettings) -> Result<Timeline, TimelineError> {
        let cluster = Cluster::new(config)?;
        let start = Arc::new(cluster.checkpoint(None));
        let first = Branch {
            id: 1,
            name: "branch 1".into(),
            parent: None,
            forked_at: 0,
            own_start: false,
            actions: Vec::new(),
            checkpoints: vec![start],
            interval: settings.first_interval_ms,
            latest: 0,
            head: None,
            visited: 0,
            piece: 0,
        };
        let revision = cluster.revision();
        Ok(Timeline {
            settings,
            cluster,
            branches: vec![first],
            pieces: vec![Piece { start: 0, parent: None, events: Vec::new() }],
            current: 0,
            next_id: 2,
            visits: 0,
            revision: 0,
            seen_revision: revision,
        })
    }

    /// A timeline of a recorded run (a link, a script's run), at the
    /// recording's moment, paused there: its actions after the moment are
    /// the branch's future, played when it runs on. Checks the trace hash
    /// when the recording names one.
    pub fn from_recording(rec: &Recording) -> Result<Timeline, TimelineError> {
        Timeline::recorded(rec, TimelineSettings::default(), Timeline::start)
    }

    /// [`Timeline::from_recording`] with these settings.
    pub fn from_recording_with(rec: &Recording, settings: TimelineSettings) -> Result<Timeline, TimelineError> {
        Timeline::recorded(rec, settings, Timeline::with_settings)
    }

    /// The recording `rec` played on a timeline that `make` makes of its config.
    fn recorded(
        rec: &Recording,
        settings: TimelineSettings,
        make: fn(Config, TimelineSettings) -> Result<Timeline, TimelineError>,
    ) -> Result<Timeline, TimelineError> {
        let max = settings.max_time_ms;
        if rec.moment > max {
            return Err(TimelineError::TooLate { t: rec.moment, max });
        }
        if rec.history.windows(2).any(|w| w[1].0 < w[0].0) {
            return Err(TimelineError::BadRecording("its actions are not in time order".into()));
        }
        if let Some((t, _)) = rec.history.iter().find(|(t, _)| *t > max) {
            return Err(TimelineError::BadRecording(format!("an action at {} is past the end", format_ms(*t))));
        }
        let mut tl = make(rec.config.clone(), settings)?;
        tl.branches[0].actions = rec.history.clone();
        tl.run_to(rec.moment)?;
        if let Some(expected) = rec.trace_hash {
            let got = tl.cluster.trace_hash();
            if got != expected {
                return Err(TimelineError::TraceMismatch { expected, got });
            }
        }
        tl.touch(true);
        Ok(tl)
    }

    // ----- reading -------------------------------------------------------------------

    /// The cluster at the cursor: what the page shows.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }
    /// The cursor's moment (virtual ms).
    pub fn now(&self) -> u64 {
        self.cluster.now()
    }
    /// The latest moment reached on the current branch.
    pub fn latest(&self) -> u64 {
        self.branch().latest
    }
    /// The settings.
    pub fn settings(&self) -> TimelineSettings {
        self.settings
    }
    /// A number that changes whenever what the cursor shows changes: like
    /// [`Cluster::revision`], plus every jump (seek, switch, fork). The
    /// cluster's own revision goes back when the cursor does, so a view must
    /// not use it alone to decide whether to redraw.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// The current branch's id.
    pub fn current_branch(&self) -> u32 {
        self.branch().id
    }
    /// Every branch, in the order they were made.
    pub fn branches(&self) -> Vec<BranchInfo> {
        self.branches.iter().enumerate().map(|(i, b)| b.info(i == self.current)).collect()
    }
    /// The current branch's actions with their times, including those after
    /// the cursor (its future).
    pub fn actions(&self) -> &[(u64, Action)] {
        &self.branch().actions
    }
    /// The current branch's trace up to its latest moment, oldest first,
    /// wherever the cursor is: for a strip that shows the whole run (its
    /// part after the cursor is what playing on will do again).
    pub fn events_to_latest(&self) -> impl Iterator<Item = &Event> {
        self.cluster.known_events().iter()
    }

    /// Event `i` (from 0) of [`Timeline::events_to_latest`], by index.
    pub fn event_to_latest(&self, i: usize) -> Option<&Event> {
        self.cluster.known_events().get(i)
    }

    /// The moments of the current branch's checkpoints, in order.
    pub fn checkpoint_times(&self) -> Vec<u64> {
        self.branch().checkpoints.iter().map(|s| s.time()).collect()
    }
    /// The current branch's checkpoint interval now (ms).
    pub fn checkpoint_interval(&self) -> u64 {
        self.branch().interval
    }

    /// The current branch as a recording: the config, all its actions (those
    /// after the cursor too), the cursor's moment and trace hash. A link or
    /// a script made from it reopens this moment of this branch.
    pub fn recording(&self) -> Recording {
        Recording {
            config: self.cluster.initial_config().clone(),
            history: self.branch().actions.clone(),
            moment: self.cluster.now(),
            trace_hash: Some(self.cluster.trace_hash()),
        }
    }

    /// What the checkpoints and branches hold in memory (an estimate). It
    /// visits every chunk of every checkpoint: for figures and occasional
    /// display, not for every frame.
    pub fn memory(&self) -> TimelineMemory {
        let mut seen = HashSet::new();
        let mut checkpoints = 0;
        let mut snaps = Vec::new();
        for b in &self.branches {
            for s in &b.checkpoints {
                if seen.insert(Arc::as_ptr(s)) {
                    checkpoints += 1;
                    snaps.push(&**s);
                }
            }
            if let Some(h) = &b.head {
                if seen.insert(Arc::as_ptr(h)) {
                    snaps.push(&**h);
                }
            }
        }
        let actions_bytes = self
            .branches
            .iter()
            .map(|b| b.actions.capacity() * std::mem::size_of::<(u64, Action)>() + b.name.capacity())
            .sum();
        TimelineMemory { checkpoints, snapshots: SnapshotMemory::of(snaps), actions_bytes }
    }

    // ----- running -------------------------------------------------------------------

    /// Runs `ms` of virtual time from the cursor (the branch's recorded
    /// actions happen at their times). Stops at the end of the timeline;
    /// returns the moment reached.
    pub fn advance(&mut self, ms: u64) -> Result<u64, TimelineError> {
        self.advance_to(self.cluster.now().saturating_add(ms))
    }

    /// Runs to moment `t` (not past the end of the timeline); a moment
    /// before the cursor runs nothing. Returns the moment reached.
    pub fn advance_to(&mut self, t: u64) -> Result<u64, TimelineError> {
        let t = t.min(self.settings.max_time_ms).max(self.cluster.now());
        let r = self.run_to(t);
        self.touch(false);
        r.map(|()| self.cluster.now())
    }

    /// Runs to the next moment at which something happens (an event fires or
    /// a recorded action is due), like [`Cluster::step`]. Returns it, or
    /// `None` when nothing is ahead (or the end of the timeline is reached).
    pub fn step(&mut self) -> Result<Option<u64>, TimelineError> {
        let r = self.step_forward();
        self.touch(false);
        r
    }

    fn step_forward(&mut self) -> Result<Option<u64>, TimelineError> {
        loop {
            let Some(x) = self.next_instant() else { return Ok(None) };
            if x > self.settings.max_time_ms {
                return Ok(None);
            }
            let before = self.cluster.revision();
            self.run_to(x)?;
            if self.cluster.revision() != before {
                return Ok(Some(x));
            }
        }
    }

    /// The next moment at which an event is due or a recorded action is.
    fn next_instant(&self) -> Option<u64> {
        let now = self.cluster.now();
        let action = self.next_action().map(|(t, _)| (*t).max(now));
        match (self.cluster.next_event_time(), action) {
            (Some(e), Some(a)) => Some(e.min(a)),
            (e, a) => e.or(a),
        }
    }

    /// The branch's first action the cursor has not performed.
    fn next_action(&self) -> Option<&(u64, Action)> {
        self.branch().actions.get(self.cluster.history().len())
    }

    /// Runs the cursor to `target` (at or after it), performing the branch's
    /// actions at their times (those at `target` too) and, in time not seen
    /// before on this branch, taking checkpoints.
    fn run_to(&mut self, target: u64) -> Result<(), TimelineError> {
        loop {
            let now = self.cluster.now();
            let b = self.branch();
            let due = self.next_action().map(|(t, _)| (*t).max(now)).filter(|&t| t <= target);
            let mut stop = due.unwrap_or(target);
            if now >= b.latest {
                // New time: stop where the next checkpoint is due.
                let last = b.checkpoints.last().map_or(0, |s| s.time());
                stop = stop.min(last.saturating_add(b.interval).max(now));
            } else {
                // Stop at the latest moment, so as to take checkpoints after it.
                stop = stop.min(b.latest);
            }
            self.cluster.advance_to(stop);
            self.progressed();
            if due == Some(self.cluster.now()) {
                let Some((at, action)) = self.next_action().cloned() else { continue };
                self.cluster.perform(action.clone()).map_err(|error| TimelineError::Replay { at, action, error })?;
                continue;
            }
            if self.cluster.now() >= target {
                return Ok(());
            }
        }
    }

    /// After the cursor moved forward: extends the branch's latest moment and
    /// takes a checkpoint when one is due there.
    fn progressed(&mut self) {
        let now = self.cluster.now();
        let cap = self.settings.max_checkpoints;
        let b = &mut self.branches[self.current];
        if now > b.latest {
            b.latest = now;
            b.head = None;
        }
        if now < b.latest {
            return;
        }
        let last = b.checkpoints.last().map_or(0, |s| s.time());
        if now < last.saturating_add(b.interval) {
            return;
        }
        let snap = self.cluster.checkpoint(b.checkpoints.last().map(|p| &**p));
        // The checkpoints before share the new one's chunks where their
        // unfinished last chunks are their beginnings (going back while
        // there is any: a slowly growing table leaves a run of them). Those
        // shared with another branch (its past) stay as they are.
        for prev in b.checkpoints.iter_mut().rev() {
            if !Arc::get_mut(prev).is_some_and(|p| p.adopt_tails(&snap)) {
                break;
            }
        }
        b.checkpoints.push(Arc::new(snap));
        if b.checkpoints.len() > cap {
            // Keep every other one, the first (time 0) included, and space
            // new ones twice as far apart: still evenly spread, half as many.
            let mut i = 0;
            b.checkpoints.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            b.interval = b.interval.saturating_mul(2);
        }
    }

    // ----- travelling ----------------------------------------------------------------

    /// Moves the cursor to moment `t` of the current branch and returns it.
    /// Within the branch's past (or its known future) the cluster becomes
    /// exactly what it was when the run passed `t`; past the latest moment
    /// the run goes on to `t`. Refused past the end of the timeline.
    pub fn seek(&mut self, t: u64) -> Result<u64, TimelineError> {
        let max = self.settings.max_time_ms;
        if t > max {
            return Err(TimelineError::TooLate { t, max });
        }
        let r = self.go_to(t);
        self.touch(true);
        r.map(|()| self.cluster.now())
    }

    fn go_to(&mut self, t: u64) -> Result<(), TimelineError> {
        let now = self.cluster.now();
        let behind = t < now;
        if behind {
            self.keep_head();
        }
        let b = self.branch();
        let base = b.base_for(t.min(b.latest)).cloned();
        let h = self.cluster.history().len();
        if let Some(base) = base {
            // Restore when going back, or when a checkpoint lies between the cursor and `t`.
            if behind || (base.time(), base.history_len()) > (now, h) {
                base.restore_along(&mut self.cluster, &self.branches[self.current].actions);
            }
        }
        self.run_to(t)
    }

    /// Moves the cursor back to the latest moment before it at which
    /// something happened (an event fired or an action was performed): the
    /// moment [`Timeline::step`] would have stopped at before reaching the
    /// cursor, so that `step_back` and `step` walk the same moments. At the
    /// start, stays there. Returns the moment reached.
    pub fn step_back(&mut self) -> Result<u64, TimelineError> {
        let r = self.step_back_inner();
        self.touch(true);
        r.map(|()| self.cluster.now())
    }

    fn step_back_inner(&mut self) -> Result<(), TimelineError> {
        let now = self.cluster.now();
        if now == 0 {
            return Ok(());
        }
        self.keep_head();
        // The last change before `limit`, looked for from the latest checkpoint
        // before `below`; when there is none, from one checkpoint further back,
        // up to and including that checkpoint's own moment.
        let (mut limit, mut below) = (now, now);
        let target = loop {
            let Some(base) = self.branch().latest_base(below).cloned() else { break 0 };
            base.restore_along(&mut self.cluster, &self.branches[self.current].actions);
            if let Some(x) = self.last_change_before(limit)? {
                break x;
            }
            (limit, below) = (base.time() + 1, base.time());
        };
        self.go_to(target)
    }

    /// From the cluster as restored, runs instant by instant up to (not
    /// including) `limit`, performing the branch's actions; returns the last
    /// instant at which the cluster changed.
    fn last_change_before(&mut self, limit: u64) -> Result<Option<u64>, TimelineError> {
        let mut found = None;
        while let Some(x) = self.next_instant().filter(|&x| x < limit) {
            let before = self.cluster.revision();
            self.run_to(x)?;
            if self.cluster.revision() != before {
                found = Some(x);
            }
        }
        Ok(found)
    }

    /// Performs `action` at the cursor. At the branch's latest moment it is
    /// one more action of the branch; at an earlier moment (or before
    /// recorded actions still ahead) it starts a new branch from here, which
    /// becomes the current one, and the old branch stays as it was. A
    /// refused action changes nothing (and forks nothing).
    pub fn act(&mut self, action: Action) -> Result<Acted, TimelineError> {
        let r = self.act_inner(action);
        self.touch(true);
        r
    }

    fn act_inner(&mut self, action: Action) -> Result<Acted, TimelineError> {
        let now = self.cluster.now();
        let b = self.branch();
        let fork = now < b.latest || self.cluster.history().len() < b.actions.len();
        if fork {
            self.keep_head();
        }
        let prefix = self.cluster.history().len();
        // The branch's events after the moment are not the new branch's.
        let n = self.cluster.events().len();
        let mut ahead = if fork { self.cluster.split_events(n) } else { Vec::new() };
        if let Err(e) = self.cluster.apply(action.clone()) {
            self.cluster.append_events(&mut ahead);
            return Err(e.into());
        }
        if !fork {
            let done = self.cluster.history()[prefix..].to_vec();
            let b = &mut self.branches[self.current];
            b.actions.extend(done);
            b.head = None;
            return Ok(Acted::default());
        }
        let old = self.branch();
        let (parent, interval) = (old.id, old.interval);
        // The parent's checkpoints up to here are this branch's too.
        // In moment order (a stable insertion sort: a few dozen, nearly in
        // order already; `sort_by_key` would bring 7 KB of code into the page).
        let mut checkpoints: Vec<Arc<Snapshot>> = Vec::new();
        for s in old.bases().filter(|s| s.time() <= now && s.history_len() <= prefix) {
            let key = (s.time(), s.history_len());
            let at = checkpoints.iter().rposition(|c| (c.time(), c.history_len()) <= key).map_or(0, |i| i + 1);
            checkpoints.insert(at, s.clone());
        }
        checkpoints.dedup_by(|a, b| Arc::ptr_eq(a, b));
        let piece = self.fork_pieces(n, ahead);
        let id = self.next_id;
        self.next_id += 1;
        self.visits += 1;
        let branch = Branch {
            id,
            name: format!("branch {id}: {} at {}", crate::script::format_action(&action, None), format_ms(now)),
            parent: Some(parent),
            forked_at: now,
            own_start: false,
            actions: self.cluster.history().to_vec(),
            checkpoints,
            interval,
            latest: now,
            head: None,
            visited: self.visits,
            piece,
        };
        self.branches.push(branch);
        self.current = self.branches.len() - 1;
        let forgot = self.forget_oldest();
        Ok(Acted { forked: Some(id), forgot })
    }

    /// Starts a branch with a start of its own: a fresh cluster made from
    /// `config` at time 0 (its first checkpoint), no action yet, named
    /// "branch N: {what}". Its parent is branch `parent` and `parts_at` the
    /// moment the two part (its info's `forked_at`): a lesson's "replay this
    /// with ..." is the lesson's run from its start with an option changed,
    /// which parts from the lesson's branch at the offer's step. It becomes
    /// the current branch (returns its id); the one left is kept as it was
    /// (at its latest moment), and the parent counts as visited just before
    /// it. An unknown parent or a config the cluster refuses changes nothing.
    pub fn start_branch(
        &mut self,
        config: Config,
        what: &str,
        parent: u32,
        parts_at: u64,
    ) -> Result<u32, TimelineError> {
        let Some(p) = self.branches.iter().position(|b| b.id == parent) else {
            return Err(TimelineError::UnknownBranch(parent));
        };
        // Its start is its first checkpoint and its head, its events so far its
        // first piece's: switching to it restores it.
        let mut fresh = Cluster::new(config)?;
        let start = Arc::new(fresh.checkpoint(None));
        self.pieces.push(Piece { start: 0, parent: None, events: fresh.split_events(0) });
        let id = self.next_id;
        self.next_id += 1;
        self.visits += 1;
        self.branches[p].visited = self.visits;
        self.branches.push(Branch {
            id,
            name: format!("branch {id}: {what}"),
            parent: Some(parent),
            forked_at: parts_at,
            own_start: true,
            actions: Vec::new(),
            checkpoints: vec![start.clone()],
            interval: self.settings.first_interval_ms,
            latest: 0,
            head: Some(start),
            visited: 0,
            piece: self.pieces.len() - 1,
        });
        // (This cannot fail: the branch has no action to replay.)
        let r = self.switch_to(self.branches.len() - 1);
        debug_assert!(r.is_ok());
        self.forget_oldest();
        self.touch(true);
        r.map(|()| id)
    }

    /// Forgets branch `id` (its run and its checkpoints); false when there is
    /// no such branch, or it is the current one (which stays).
    pub fn forget_branch(&mut self, id: u32) -> bool {
        match self.branches.iter().position(|b| b.id == id) {
            Some(i) if i != self.current => {
                self.forget(i);
                true
            }
            _ => false,
        }
    }

    /// Forgets the branch visited longest ago (never the current one) while
    /// there are too many.
    fn forget_oldest(&mut self) -> Option<u32> {
        if self.branches.len() <= self.settings.max_branches {
            return None;
        }
        let (i, _) =
            self.branches.iter().enumerate().filter(|(i, _)| *i != self.current).min_by_key(|(_, b)| b.visited)?;
        Some(self.forget(i))
    }

    /// Forgets the branch at index `i` (not the current one); returns its id.
    fn forget(&mut self, i: usize) -> u32 {
        let current_id = self.branch().id;
        let gone = self.branches.remove(i);
        // Its last piece goes too, unless another branch goes on from it.
        let p = gone.piece;
        if !self.branches.iter().any(|b| b.piece == p) && !self.pieces.iter().any(|x| x.parent == Some(p)) {
            self.pieces[p].events = Vec::new();
        }
        self.current = self.branches.iter().position(|b| b.id == current_id).unwrap_or(0);
        gone.id
    }

    /// Makes branch `id` the current one, at its latest moment (where its run
    /// got to), and returns that moment.
    pub fn switch_branch(&mut self, id: u32) -> Result<u64, TimelineError> {
        let Some(i) = self.branches.iter().position(|b| b.id == id) else {
            return Err(TimelineError::UnknownBranch(id));
        };
        let r = self.switch_to(i);
        self.touch(true);
        r.map(|()| self.cluster.now())
    }

    fn switch_to(&mut self, i: usize) -> Result<(), TimelineError> {
        if i == self.current {
            return Ok(());
        }
        self.keep_head();
        self.move_pieces(self.branch().piece, self.branches[i].piece);
        self.current = i;
        self.visits += 1;
        self.branches[i].visited = self.visits;
        // Every branch but the current one has its head kept; should one lack
        // it, replaying to its latest moment gives the same.
        let b = &self.branches[i];
        let (latest, base) = (b.latest, b.head.clone().or_else(|| b.base_for(b.latest).cloned()));
        if let Some(base) = base {
            base.restore_branch(&mut self.cluster, &self.branches[i].actions);
        }
        self.run_to(latest)
    }

    // ----- bookkeeping ---------------------------------------------------------------

    fn branch(&self) -> &Branch {
        &self.branches[self.current]
    }

    /// The pieces of a branch's trace whose last piece is `p`, first first.
    fn path(&self, mut p: usize) -> Vec<usize> {
        let mut path = vec![p];
        while let Some(up) = self.pieces[p].parent {
            path.push(up);
            p = up;
        }
        path.reverse();
        path
    }

    /// Makes the cluster's trace know the events of the branch whose last
    /// piece is `to` instead of those of the one whose last piece is `from`
    /// (the current branch's): the pieces the two do not share move out of
    /// the trace, the other's in. Nothing is copied.
    fn move_pieces(&mut self, from: usize, to: usize) {
        let (a, b) = (self.path(from), self.path(to));
        let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        for &p in a[common..].iter().rev() {
            self.pieces[p].events = self.cluster.split_events(self.pieces[p].start);
        }
        for &p in &b[common..] {
            let mut events = std::mem::take(&mut self.pieces[p].events);
            self.cluster.append_events(&mut events);
        }
    }

    /// A new branch forks from the current one after its trace's first `n`
    /// events; `ahead` are the current branch's events after them (moved
    /// out of the cluster's trace). Cuts the piece holding event `n` there,
    /// so that the old branch keeps `ahead` in its pieces from `n` on and
    /// the new branch goes on from the pieces before; returns the new
    /// branch's (empty) last piece.
    fn fork_pieces(&mut self, n: usize, mut ahead: Vec<Event>) -> usize {
        let path = self.path(self.branch().piece);
        // The last piece that starts before `n` is cut at `n` (the
        // branch's last piece always is: it goes on growing).
        let parent = match path.iter().rposition(|&p| self.pieces[p].start < n) {
            None => None,
            Some(i) if i + 1 < path.len() && self.pieces[path[i + 1]].start == n => Some(path[i]),
            Some(i) => {
                let p = path[i];
                let before = Piece { start: self.pieces[p].start, parent: self.pieces[p].parent, events: Vec::new() };
                self.pieces.push(before);
                let cut = self.pieces.len() - 1;
                self.pieces[p].start = n;
                self.pieces[p].parent = Some(cut);
                Some(cut)
            }
        };
        // The old branch's pieces from `n` on take their events.
        for &p in path.iter().rev() {
            let start = self.pieces[p].start;
            if start < n {
                break;
            }
            self.pieces[p].events = ahead.split_off(start - n);
        }
        self.pieces.push(Piece { start: n, parent, events: Vec::new() });
        self.pieces.len() - 1
    }

    /// Before the cursor leaves the latest moment of its branch: keeps that
    /// moment as the branch's head, to come back to it.
    fn keep_head(&mut self) {
        let b = &self.branches[self.current];
        if b.head.is_none() {
            let snap = self.cluster.checkpoint(b.checkpoints.last().map(|p| &**p));
            self.branches[self.current].head = Some(Arc::new(snap));
        }
    }

    fn touch(&mut self, jumped: bool) {
        let r = self.cluster.revision();
        if jumped || r != self.seen_revision {
            self.revision += 1;
            self.seen_revision = r;
        }
    }
}
