//! The page's one piece of state: the run being watched (a [`Timeline`]:
//! the cluster at the moment shown, its past and its branches) plus how it is
//! being watched (speed, play/pause, selection, open panel).
//!
//! Every component renders from a [`Model`]; every click, key and JavaScript
//! call becomes an [`Op`] handed to [`Model::apply`]; the page's clock calls
//! [`Model::tick`] with the wall time. Time moves and actions happen only
//! through the timeline ([`Timeline::advance`], [`Timeline::act`]), so it
//! can show any earlier moment again. Nothing here knows Raft: the simulator
//! does the work, the model only calls it.

use super::args;
use super::geometry::{in_flight_at, message_at};
use super::labels::text_sizes;
use super::lesson::{LessonOp, Lessons, Moved};
use super::timeline::ms_text;
use crate::decimal::fixed;
use crate::script::link;
use crate::sim::{
    check_key, Action, Cluster, Command, Config, InFlight, LossCause, MessageKind, NodeId, Role, SimError, LOST_KEEP_MS,
};
use crate::timeline::Timeline;

/// At most this much virtual time (ms) is simulated per tick, however long the
/// page was asleep (a throttled background tab catches up slowly instead of jumping).
pub const CATCH_UP_CAP_MS: f64 = 250.0;
/// The slowest speed (virtual ms per real ms): 1000 times slower than real time.
pub const MIN_SPEED: f64 = 0.001;
/// The fastest speed: real time.
pub const MAX_SPEED: f64 = 1.0;
/// The default speed, 40 times slower than real time: slow enough to follow
/// every message (a 20 ms hop takes 0.8 s).
pub const DEFAULT_SPEED: f64 = 1.0 / 40.0;
/// The largest seed: JavaScript's largest safe integer, so `state().seed` is exact.
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// The sizes of cluster the page offers.
pub const SERVERS: std::ops::RangeInclusive<usize> = 3..=9;
/// A first visit starts faster than [`DEFAULT_SPEED`] (see [`Model::warmup`]),
/// so that the first election timer runs out this long (wall ms) after the
/// page opens instead of six seconds or more...
pub const WARMUP_WALL_MS: f64 = 1500.0;
/// ...but never faster than this (virtual ms per real ms: 4 times slower than real time).
pub const WARMUP_MAX_SPEED: f64 = 0.25;
/// How long an informational notice stays (ms of wall time, counted even while
/// paused); an error stays until it is dismissed or replaced.
pub const NOTICE_MS: f64 = 6000.0;

/// The panels of the side column. Each one's [`id`](Tab::id) names it in the
/// DOM (`#tab-state`) and in `raftPlayground.showPanel("state")`; its
/// [`label`](Tab::label) is the same word, capitalised.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    /// Every server's log side by side.
    Logs,
    /// The guided lessons: the list, and the step of the lesson played.
    Lessons,
    /// The simulated client: writes and their fate.
    Client,
    /// The event feed.
    Events,
    /// Each server's internals and key-value state.
    State,
    /// Partitions and disconnections.
    Network,
    /// Cluster size, seed, timing.
    Setup,
    /// What every shape and colour means.
    Legend,
    /// The space-time diagram: every message as an arrow between lanes.
    Diagram,
    /// The run as a scenario script: edit, paste, upload, run.
    Script,
    /// Raft's rules as pseudocode, the lines of an event lit with the values they saw.
    #[cfg(feature = "pseudocode-panel")]
    Pseudocode,
}

impl Tab {
    /// Every tab, in the order of the tab bar (the Pseudocode tab only in
    /// builds with the `pseudocode-panel` feature, the Script tab last and
    /// only in builds with the `script-panel` feature).
    pub const ALL: &'static [Tab] = &[
        Tab::Logs,
        Tab::Lessons,
        Tab::Client,
        Tab::Events,
        #[cfg(feature = "pseudocode-panel")]
        Tab::Pseudocode,
        Tab::Diagram,
        Tab::State,
        Tab::Network,
        Tab::Setup,
        Tab::Legend,
        #[cfg(feature = "script-panel")]
        Tab::Script,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Logs => "Logs",
            Tab::Lessons => "Lessons",
            Tab::Client => "Client",
            Tab::Events => "Events",
            Tab::State => "State",
            Tab::Network => "Network",
            Tab::Setup => "Setup",
            Tab::Legend => "Legend",
            Tab::Diagram => "Diagram",
            Tab::Script => "Script",
            #[cfg(feature = "pseudocode-panel")]
            Tab::Pseudocode => "Pseudocode",
        }
    }

    /// What the tab holds (its tooltip).
    pub fn title(self) -> &'static str {
        match self {
            Tab::Logs => "Every server's log side by side, commit index, nextIndex and matchIndex",
            Tab::Lessons => {
                "Guided lessons, step by step: the seed text's sections, then elections, partitions, safety and clients"
            }
            Tab::Client => "Write key ← value through the simulated client and follow each write",
            Tab::Events => "What happened, newest first, in plain words",
            Tab::State => "Each server's term, vote, commit index and key-value state",
            Tab::Network => "Partition the network into groups, disconnect servers, heal",
            Tab::Setup => "Cluster size, seed and timing (election timeout, heartbeat, latency, loss)",
            Tab::Legend => "What every shape and colour means",
            Tab::Diagram => "Space-time diagram: each message an arrow from its send to its arrival, time running down",
            Tab::Script => {
                "The run as a scenario script: copy or download it; edit, paste, upload or drop one, and run it"
            }
            #[cfg(feature = "pseudocode-panel")]
            Tab::Pseudocode => "Raft's rules as pseudocode (Figure 2 of the paper): the lines each event ran, lit with the values they compared",
        }
    }

    /// Its name in the DOM and the JavaScript API: the label in lower case.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Logs => "logs",
            Tab::Lessons => "lessons",
            Tab::Client => "client",
            Tab::Events => "events",
            Tab::State => "state",
            Tab::Network => "network",
            Tab::Setup => "setup",
            Tab::Legend => "legend",
            Tab::Diagram => "diagram",
            Tab::Script => "script",
            #[cfg(feature = "pseudocode-panel")]
            Tab::Pseudocode => "pseudocode",
        }
    }

    /// The tab with this [`id`](Tab::id).
    pub fn from_id(id: &str) -> Option<Tab> {
        Tab::ALL.iter().copied().find(|t| t.id() == id)
    }

    /// Whether a page whose `data-panels` attribute is `panels` (an
    /// embed's `panels=`: the ids shown, space-separated; none: every
    /// tab) shows this tab.
    pub fn shown_in(self, panels: Option<&str>) -> bool {
        panels.is_none_or(|p| p.split_ascii_whitespace().any(|s| s == self.id()))
    }
}

/// How a run starts: from the address, or from `mountPlayground(el, options)`.
#[derive(Clone, Debug, PartialEq)]
pub struct StartOptions {
    /// Cluster size (3 to 9 on the page).
    pub servers: usize,
    /// The seed; `None` draws a fresh one.
    pub seed: Option<u64>,
    /// Virtual milliseconds per real millisecond (0.001 to 1).
    pub speed: f64,
    /// Start playing at once.
    pub playing: bool,
    /// Log compaction's snapshot threshold (0: off).
    #[cfg(feature = "compaction")]
    pub snapshot_threshold: u64,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            servers: 5,
            seed: None,
            speed: DEFAULT_SPEED,
            playing: true,
            #[cfg(feature = "compaction")]
            snapshot_threshold: 0,
        }
    }
}

/// A line shown under the toolbar after an action (an error, or what a click did).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// The sentence.
    pub text: String,
    /// True for a refused action (it stays until dismissed or replaced).
    pub error: bool,
    /// Wall time (ms) it has been shown; an informational notice goes after [`NOTICE_MS`].
    pub age_ms: f64,
}

impl Notice {
    /// What an action did (goes away by itself).
    pub fn info(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), error: false, age_ms: 0.0 }
    }

    /// A refusal (stays until dismissed or replaced).
    pub fn error(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), error: true, age_ms: 0.0 }
    }
}

/// The line under the toolbar: what matters most now.
#[derive(Clone, Debug, PartialEq)]
pub enum Guidance {
    /// A safety property broke: its name and the monitor's explanation (this stays).
    Broken(&'static str, String),
    /// The last notice (an action's result or a refusal).
    Notice(Notice),
    /// Otherwise, a tip for what to do next.
    Tip(String),
}

/// What became of the inspected message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fate {
    /// Still on its way.
    InFlight,
    /// Delivered to its receiver (at its arrival time).
    Arrived,
    /// Lost at this virtual time, for this reason.
    Lost(LossCause, u64),
    /// Gone, but the page did not look in time to tell how (a long `advance`).
    Unknown,
}

/// Everything a visitor, a key or a script can ask of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Something done to the cluster (recorded in its history).
    Sim(Action),
    /// Start the clock.
    Play,
    /// Stop the clock.
    Pause,
    /// Play or pause.
    TogglePlay,
    /// Run up to the next event that changes something (pauses first).
    Step,
    /// Run `ms` virtual milliseconds at once.
    Advance(u64),
    /// Set the speed: virtual ms per real ms (clamped to 0.001..1).
    SetSpeed(f64),
    /// Select a server (opens its menu) or nothing.
    Select(Option<NodeId>),
    /// Inspect a message in flight (pauses the clock) or close the inspector.
    Inspect(Option<u64>),
    /// Show a panel of the side column.
    Tab(Tab),
    /// Show or hide the help sheet.
    ToggleHelp,
    /// Close whatever is open (menu, inspector, help).
    Escape,
    /// Throw the cluster away and start a new run (leaving a lesson).
    Restart(Config),
    /// Something done to the lessons (see [`LessonOp`]).
    Lesson(LessonOp),
    /// Clear the notice line.
    Dismiss,
    /// Set the write the client panel and the server menus offer: its key
    /// and its value, as typed (checked when it is sent, see [`Model::draft_command`]).
    Draft(String, String),
    /// Show the page of the event feed that ends (exclusively) at this event
    /// index; `None` shows the newest page, which follows new events.
    Feed(Option<usize>),
    /// Send the drafted write (to this server first, when given). A draft that
    /// does not check out is refused with what is wrong: nothing is sent.
    WriteDraft(Option<NodeId>),
    /// Inspect the next message in flight (by id, wrapping; `true`: the previous one).
    InspectNext(bool),
    /// Where the mouse pointer rests on the ring, in the ring's units (`None`:
    /// off the ring, or on a server). On a message it holds the clock (see [`Model::held`]).
    Pointer(Option<(f64, f64)>),
    /// A click (or a tap) on the ring, away from the servers and the client,
    /// in the ring's units: it inspects the message within reach, else closes
    /// whatever is open.
    ClickRing(f64, f64),
    /// Show moment `t` (virtual ms) of the current branch: exactly what the
    /// run was then. Past the branch's latest moment the run goes on to `t`.
    /// The clock keeps playing or not, as it was.
    Seek(u64),
    /// Pause and go back to the previous moment at which something happened
    /// (the one [`Op::Step`] would have stopped at).
    StepBack,
    /// Go to the current branch's latest moment.
    SeekLatest,
    /// Make a branch the current one, at its latest moment.
    SwitchBranch(u32),
    /// Show a refusal in the notice line (something the page could not do).
    Notice(String),
    /// Show in the Pseudocode panel the lines that event `i` of the trace
    /// ran (opening the panel, in builds that have it); `None`: follow the
    /// latest event again. Either way the inspector closes.
    #[cfg(feature = "pseudocode-panel")]
    Explain(Option<usize>),
}

/// The page's state.
pub struct Model {
    /// The run being watched, with its past and its branches: the one door
    /// through which time moves and every action goes (see [`Model::cluster`]).
    tl: Timeline,
    /// The config the run started from (with the seed actually used).
    pub start: Config,
    /// Virtual milliseconds per real millisecond while the clock runs (0.001 to 1).
    pub speed: f64,
    /// Whether the clock runs.
    pub playing: bool,
    /// Virtual time not yet simulated (a fraction of a millisecond).
    carry: f64,
    /// Wall time (ms) of the last tick.
    last_wall: Option<f64>,
    /// A tick changed something that is not drawn yet, or a change was made
    /// while nothing could draw it ([`Model::mark_undrawn`]); see [`Model::take_undrawn`].
    undrawn: bool,
    /// The server whose menu is open.
    pub selected: Option<NodeId>,
    /// The message being inspected, as last seen (it may have arrived since).
    pub inspected: Option<InFlight>,
    /// What became of it.
    pub fate: Fate,
    /// The virtual time it was last seen in flight.
    inspected_seen: u64,
    /// The open panel.
    pub tab: Tab,
    /// The page of the event feed: where it ends (`None`: the newest, following new events).
    pub feed_end: Option<usize>,
    /// The event the Pseudocode panel shows, by its place in the trace
    /// (`None`: the latest event that ran a line, as they come).
    #[cfg(feature = "pseudocode-panel")]
    pub explained: Option<usize>,
    /// Whether the help sheet is open.
    pub help: bool,
    /// The last notice.
    pub notice: Option<Notice>,
    /// Bumped by every [`Op`], kept across runs (see [`Model::revision`]).
    view_rev: u64,
    /// Which run this is: bumped by every new run (reset, Setup's "Start a new
    /// run"); the Setup form starts afresh from each run's config.
    pub run: u64,
    /// Bumped whenever a lesson rebuilds the timeline within a run (Next,
    /// Previous, Replay, Skip ahead): the event at a place of the trace may
    /// then be another (the feed's rows are drawn again by it).
    pub rebuilt: u64,
    /// Bumped by every seek, step back and switch of branch: the Diagram
    /// follows "now" again after one that leaves the window it shows (a
    /// jump forward as well as back, which the clock's moving on is not).
    pub jumps: u64,
    /// The key the client panel (and the server menu) writes next.
    pub draft_key: String,
    /// The value the client panel (and the server menu) writes next, as typed.
    pub draft_value: String,
    /// How many CSS pixels one of the ring's units takes on screen (the page
    /// measures it): the ring's words are sized by it.
    pub ring_scale: f64,
    /// Where the mouse pointer rests on the ring (its units).
    pointer: Option<(f64, f64)>,
    /// The message within reach of the pointer, drawn highlighted.
    pub hovered: Option<u64>,
    /// Whether the clock is paused only because the pointer rests on a message:
    /// it plays on when the pointer leaves. A visitor's own play, pause or
    /// step ends the hold.
    pub held: bool,
    /// The message the visitor pressed play on while pointing at it: it does not hold the clock again.
    hold_off: Option<u64>,
    /// On a first visit, the speed the page plays at until the first election
    /// timer runs out (a visitor sees something happen within seconds); then,
    /// or as soon as the visitor does anything to the run or the clock, [`Model::speed`].
    pub warmup: Option<f64>,
    /// The lessons: while one plays, the cluster is its run.
    pub lessons: Lessons,
}

/// What a memoised part of the page compares to know whether it must draw
/// again: equal revisions, equal cluster (but for the passing of time) and
/// equal selection, panel and draft write.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Revision {
    cluster: u64,
    view: u64,
}

/// What an address's fragment holds before a share link (`#run=...`).
pub const LINK_PREFIX: &str = "run=";

/// The share link in an address's fragment (`#run=...`, with or without the
/// `#`): the text after `run=`, or `None` when the fragment is something else.
pub fn link_in_fragment(fragment: &str) -> Option<&str> {
    fragment.strip_prefix('#').unwrap_or(fragment).strip_prefix(LINK_PREFIX)
}

/// The default config of the page for `servers` servers and `seed`.
pub fn page_config(servers: usize, seed: u64) -> Config {
    Config { nodes: servers, seed, ..Config::default() }
}

impl Model {
    /// A new run; `fresh_seed` gives the seed when the options have none.
    pub fn new(opts: &StartOptions, fresh_seed: impl FnOnce() -> u64) -> Result<Model, String> {
        let seed = opts.seed.unwrap_or_else(fresh_seed);
        let start = page_config(opts.servers, seed);
        #[cfg(feature = "compaction")]
        let start = super::setup::with_snapshot_threshold(start, opts.snapshot_threshold);
        let mut m = Model::from_config(start, opts.speed, opts.playing)?;
        // A first visit at the default speed: nothing would move for six seconds or more.
        if opts.playing && opts.speed == DEFAULT_SPEED {
            let first = m.cluster().servers().iter().filter_map(|s| s.election_timer()).map(|t| t.deadline).min();
            if let Some(first) = first {
                let speed = (first as f64 / WARMUP_WALL_MS).clamp(DEFAULT_SPEED, WARMUP_MAX_SPEED);
                m.warmup = (speed > DEFAULT_SPEED).then_some(speed);
            }
        }
        Ok(m)
    }

    /// A new run from a full config.
    pub fn from_config(start: Config, speed: f64, playing: bool) -> Result<Model, String> {
        let tl = Timeline::new(start.clone()).map_err(|e| e.to_string())?;
        Ok(Model::from_timeline(tl, speed, playing))
    }

    /// The run a share link holds (the text after `#run=`), paused at its
    /// moment, with its future (the actions after the moment) still ahead.
    /// A link that cannot be read, or replays to another trace hash than
    /// the one it names, is refused with a sentence that says why.
    pub fn from_link(code: &str, speed: f64) -> Result<Model, String> {
        let rec = link::decode(code).map_err(|e| e.to_string())?;
        let tl = Timeline::from_recording(&rec).map_err(|e| e.to_string())?;
        Ok(Model::from_timeline(tl, speed, false))
    }

    /// The current branch at the moment shown, as the text of a share link
    /// (what goes after `#run=`).
    pub fn share_code(&self) -> Result<String, String> {
        link::encode(&self.tl.recording()).map_err(|e| format!("this run cannot be shared: {e}"))
    }

    /// The page watching `tl` at its cursor, from the Logs panel.
    pub fn from_timeline(tl: Timeline, speed: f64, playing: bool) -> Model {
        let start = tl.cluster().initial_config().clone();
        Model {
            tl,
            start,
            speed: clamp_speed(speed),
            playing,
            carry: 0.0,
            last_wall: None,
            undrawn: false,
            selected: None,
            inspected: None,
            fate: Fate::InFlight,
            inspected_seen: 0,
            tab: Tab::Logs,
            feed_end: None,
            #[cfg(feature = "pseudocode-panel")]
            explained: None,
            help: false,
            notice: None,
            view_rev: 0,
            run: 0,
            rebuilt: 0,
            jumps: 0,
            draft_key: "x".to_string(),
            draft_value: "1".to_string(),
            ring_scale: 1.0,
            pointer: None,
            hovered: None,
            held: false,
            hold_off: None,
            lessons: Lessons::default(),
            warmup: None,
        }
    }

    /// The cluster at the moment shown: what every part of the page draws.
    pub fn cluster(&self) -> &Cluster {
        self.tl.cluster()
    }

    /// The run with its past and branches (changed only through [`Model::apply`] and [`Model::tick`]).
    pub fn timeline(&self) -> &Timeline {
        &self.tl
    }

    /// Runs `ms` of virtual time from the moment shown. The timeline refuses
    /// only at its end (2 hours), or when a recorded action fails on replay,
    /// which a run made on this page cannot do: either way the clock stops and says why.
    fn run_for(&mut self, ms: u64) {
        let end = self.tl.settings().max_time_ms;
        if self.lessons.advance(&mut self.tl, ms) {
            // A lesson plays: it ran its run on.
        } else if let Err(e) = self.tl.advance(ms) {
            self.playing = false;
            self.notice = Some(Notice::error(format!("Stopped: {e}.")));
        } else if self.playing && self.tl.now() >= end {
            self.playing = false;
            self.notice = Some(Notice::info(format!(
                "The run reached the end of its timeline ({}): go back in time, or start a new run.",
                ms_text(end)
            )));
        }
        self.refresh_inspected();
    }

    /// The speed the clock runs at now: the warm-up's, else [`Model::speed`].
    pub fn effective_speed(&self) -> f64 {
        self.warmup.unwrap_or(self.speed)
    }

    /// The server whose election timer runs out first, and when (virtual ms).
    fn first_timeout(&self) -> Option<(NodeId, u64)> {
        let c = self.tl.cluster();
        c.servers()
            .iter()
            .filter(|s| s.is_up())
            .filter_map(|s| s.election_timer().map(|t| (s.id(), t.deadline)))
            .min_by_key(|&(id, d)| (d, id))
    }

    /// Ends the warm-up once the first election started (or anything is in flight).
    fn end_warmup_when_started(&mut self) {
        if self.warmup.is_some() {
            let c = self.tl.cluster();
            let started = !c.messages().is_empty() || c.servers().iter().any(|s| s.role() != Role::Follower);
            if started {
                self.warmup = None;
            }
        }
    }

    /// Finds the message within reach of the pointer, and holds the clock on
    /// it (or lets it go when the pointer left every message).
    fn follow_pointer(&mut self) {
        let catch = text_sizes(self.ring_scale, self.tl.cluster().servers().len()).catch;
        let now = self.display_now();
        self.hovered = self.pointer.and_then(|p| message_at(in_flight_at(self.tl.cluster(), now), p, catch));
        if self.hold_off.is_some() && self.hovered != self.hold_off {
            self.hold_off = None;
        }
        match self.hovered {
            Some(_) if self.playing && self.hold_off.is_none() => {
                self.playing = false;
                self.held = true;
                self.warmup = None;
            }
            None if self.held => {
                self.held = false;
                self.playing = true;
            }
            _ => {}
        }
    }

    /// The virtual time to draw at: the cluster's clock plus the fraction of a
    /// millisecond not simulated yet (so slow motion stays smooth).
    pub fn display_now(&self) -> f64 {
        self.tl.cluster().now() as f64 + self.carry
    }

    /// The line under the toolbar: a broken property, else the notice, else a tip.
    pub fn guidance(&self) -> Guidance {
        let c = self.tl.cluster();
        if let Some(v) = c.violations().first() {
            return Guidance::Broken(v.property.name(), v.explanation.clone());
        }
        if let (true, Some(id)) = (self.held, self.hovered) {
            return Guidance::Tip(format!(
                "Paused while the pointer rests on message #{id}: click it to see every field; move away to play on."
            ));
        }
        if let Some(n) = &self.notice {
            return Guidance::Notice(n.clone());
        }
        if let Some(line) = self.lessons.guidance(c.now()) {
            return Guidance::Tip(line);
        }
        let election = c.messages().iter().any(|m| m.payload.kind() == MessageKind::RequestVote)
            || c.servers().iter().any(|s| s.role() != Role::Follower);
        if let (None, false, Some((first, at))) = (c.leader(), election, self.first_timeout()) {
            // Before the first election: say what the draining arcs are, and that something is coming.
            let when = if self.playing {
                let secs = (at as f64 - self.display_now()).max(0.0) / self.effective_speed() / 1000.0;
                format!(", in about {} s", fixed(secs, 1))
            } else {
                String::new()
            };
            return Guidance::Tip(format!(
                "Each arc is a server's election timer running down. When one runs out ({first}'s first{when}), that server stands for election and asks the others for votes. Space plays or pauses, ? helps."
            ));
        }
        Guidance::Tip(match c.leader() {
            None => "No leader yet: when a server's timer arc runs out, it asks the others for votes. Click a server for its menu, a message to inspect it. Space plays, → steps, ? helps.".to_string(),
            Some(l) => format!("{l} leads. Write through the Client panel, or click a server to crash it, cut it off or hand it leadership — then watch the log grid. Space, →, 1–{}, ? for keys.", c.servers().len()),
        })
    }

    /// The revision of everything but the passing of time: it changes when
    /// the cluster does (an event or an action) and with every [`Op`].
    pub fn revision(&self) -> Revision {
        Revision { cluster: self.tl.revision(), view: self.view_rev }
    }

    /// Moves the clock to wall time `wall_ms` (from `performance.now()`): the
    /// cluster advances by the elapsed wall time times the speed, at
    /// most [`CATCH_UP_CAP_MS`] per tick, and an informational notice ages (also
    /// while paused). Returns true when something to draw changed.
    pub fn tick(&mut self, wall_ms: f64) -> bool {
        let changed = self.tick_inner(wall_ms);
        self.undrawn |= changed;
        changed
    }

    /// Whether a tick changed something since the last call (for a clock that
    /// ticks from a timer but draws only on animation frames), or a change
    /// was made while nothing could draw it (see [`Model::mark_undrawn`]).
    pub fn take_undrawn(&mut self) -> bool {
        std::mem::take(&mut self.undrawn)
    }

    /// Says that a change is not drawn yet: made before the page could be
    /// redrawn (after its first drawing, before its clock started), the
    /// clock's first frame draws it.
    pub fn mark_undrawn(&mut self) {
        self.undrawn = true;
    }

    fn tick_inner(&mut self, wall_ms: f64) -> bool {
        let last = self.last_wall.replace(wall_ms);
        let Some(last) = last else { return false };
        let elapsed = (wall_ms - last).max(0.0);
        if !elapsed.is_finite() {
            return false;
        }
        let mut expired = false;
        if let Some(n) = self.notice.as_mut().filter(|n| !n.error) {
            n.age_ms += elapsed;
            if n.age_ms >= NOTICE_MS {
                self.notice = None;
                expired = true;
            }
        }
        if !self.playing {
            return expired;
        }
        let virt = (elapsed * self.effective_speed()).min(CATCH_UP_CAP_MS) + self.carry;
        let whole = virt.floor();
        self.carry = virt - whole;
        if whole >= 1.0 {
            self.run_for(whole as u64);
            self.end_warmup_when_started();
        }
        // Messages move under a pointer that does not: a message reaching it holds the clock too.
        if self.pointer.is_some() {
            self.follow_pointer();
        }
        expired || elapsed > 0.0
    }

    /// After the cursor jumped to another moment (or branch): what was
    /// shown of the moment before goes. The inspector stays only on a message
    /// in flight at the new moment, an older page of the feed only if the
    /// moment has its events, and the fraction of a millisecond is dropped.
    /// Follows what a lesson op did to the cluster.
    fn lesson_moved(&mut self, moved: Moved) {
        match moved {
            Moved::No => {}
            Moved::Jumped => {
                self.rebuilt += 1;
                #[cfg(feature = "pseudocode-panel")]
                {
                    self.explained = None;
                }
                self.carry = 0.0;
                self.refresh_inspected();
            }
            Moved::NewRun => {
                // Another cluster: what pointed into the old one goes, and the address follows.
                self.run += 1;
                self.carry = 0.0;
                (self.selected, self.inspected, self.feed_end, self.warmup) = (None, None, None, None);
                #[cfg(feature = "pseudocode-panel")]
                {
                    self.explained = None;
                }
                self.tab = Tab::Lessons;
            }
        }
    }

    fn jumped(&mut self) {
        self.carry = 0.0;
        self.jumps += 1;
        if let Some(id) = self.inspected.as_ref().map(|m| m.id) {
            match self.tl.cluster().message(id) {
                Some(m) => {
                    self.inspected = Some(m.clone());
                    self.fate = Fate::InFlight;
                    self.inspected_seen = self.tl.now();
                }
                None => self.inspected = None,
            }
        }
        if self.feed_end.is_some_and(|end| end > self.tl.cluster().events().len()) {
            self.feed_end = None;
        }
        #[cfg(feature = "pseudocode-panel")]
        if self.explained.is_some_and(|i| i >= self.tl.cluster().events().len()) {
            self.explained = None;
        }
        self.follow_pointer();
    }

    /// Follows the inspected message: its latest state while in flight, then
    /// what became of it. The engine keeps lost messages for [`LOST_KEEP_MS`]:
    /// gone and not among them within that time of last being seen means it arrived.
    fn refresh_inspected(&mut self) {
        let Some(id) = self.inspected.as_ref().map(|m| m.id) else { return };
        let now = self.tl.cluster().now();
        if let Some(m) = self.tl.cluster().message(id) {
            if self.inspected.as_ref() != Some(m) {
                self.inspected = Some(m.clone());
            }
            self.inspected_seen = now;
            self.fate = Fate::InFlight;
            return;
        }
        if matches!(self.fate, Fate::InFlight) {
            self.fate = match self.tl.cluster().lost_messages().find(|l| l.message.id == id) {
                Some(l) => Fate::Lost(l.cause, l.lost_at),
                None if now <= self.inspected_seen + LOST_KEEP_MS => Fate::Arrived,
                None => Fate::Unknown,
            };
        }
    }

    /// Performs `op`. On a refused action the error is also shown in the notice line.
    pub fn apply(&mut self, op: Op) -> Result<(), String> {
        // The pointer moving over the ring changes the page only when it reaches or leaves a message.
        let quiet = matches!(op, Op::Pointer(_));
        let before = (self.hovered, self.held, self.playing);
        // The visitor took over the run or the clock: the fast start is over, and so is a hold.
        let takes_over = matches!(
            op,
            Op::Sim(_)
                | Op::Play
                | Op::Pause
                | Op::TogglePlay
                | Op::Step
                | Op::Advance(_)
                | Op::SetSpeed(_)
                | Op::Inspect(_)
                | Op::InspectNext(_)
                | Op::ClickRing(..)
                | Op::Restart(_)
                | Op::Seek(_)
                | Op::StepBack
                | Op::SeekLatest
                | Op::SwitchBranch(_)
        );
        if takes_over {
            self.warmup = None;
        }
        if matches!(op, Op::Play | Op::Pause | Op::TogglePlay | Op::Step | Op::StepBack) {
            self.held = false;
        }
        let r = self.apply_inner(op);
        if !quiet || before != (self.hovered, self.held, self.playing) {
            self.view_rev += 1;
        }
        match &r {
            Ok(Some(text)) => self.notice = Some(Notice::info(text.clone())),
            Ok(None) => {}
            Err(e) => self.notice = Some(Notice::error(format!("Not done: {e}."))),
        }
        r.map(|_| ())
    }

    fn apply_inner(&mut self, op: Op) -> Result<Option<String>, String> {
        match op {
            Op::Sim(_) if self.lessons.active() => Err(
                "the lesson drives the cluster; choose “Free play from here” in the Lessons panel to change it yourself"
                    .into(),
            ),
            Op::Seek(_) | Op::StepBack | Op::SeekLatest if self.lessons.active() => Err(
                "the lesson drives the cluster; choose “Free play from here” in the Lessons panel to go back in time"
                    .into(),
            ),
            Op::Sim(action) => {
                let done = describe(&action);
                let next = match (&action, self.draft_command()) {
                    (Action::Write { command: sent, .. }, Ok(drafted @ Command::Set { value, .. }))
                        if *sent == drafted =>
                    {
                        args::value_text(&(value + 1).to_string()).ok().map(|v| v.to_string())
                    }
                    _ => None,
                };
                // A membership change: None adds a server, Some(node) removes that one.
                #[cfg(feature = "membership")]
                let member = match action {
                    Action::AddServer => Some(None),
                    Action::RemoveServer { node } => Some(Some(node)),
                    _ => None,
                };
                let acted = self.tl.act(action).map_err(|e| e.to_string())?;
                // The drafted write went out: the box offers the next value (shown before it is sent).
                if let Some(next) = next {
                    self.draft_value = next;
                }
                // Every action closes the server's menu, so its effect is in plain sight.
                self.selected = None;
                self.refresh_inspected();
                if let Some(id) = acted.forked {
                    return Ok(Some(format!(
                        "You acted in the past: branch {id} starts here. The run you came from is kept: switch back to it under the timeline."
                    )));
                }
                #[cfg(feature = "membership")]
                if let Some(removed) = member {
                    return Ok(self.member_notice(removed));
                }
                Ok(done)
            }
            Op::Play => {
                self.playing = true;
                // Pressed while pointing at a message: that one does not hold the clock again.
                self.hold_off = self.hovered;
                Ok(None)
            }
            Op::Pause => {
                self.playing = false;
                self.carry = 0.0;
                Ok(None)
            }
            Op::TogglePlay => self.apply_inner(if self.playing { Op::Pause } else { Op::Play }),
            Op::Step => {
                self.playing = false;
                self.carry = 0.0;
                if let Some(r) = self.lessons.step_event(&mut self.tl) {
                    self.refresh_inspected();
                    return r.map(|_| None);
                }
                match self.tl.step().map_err(|e| e.to_string())? {
                    Some(_) => {
                        self.refresh_inspected();
                        Ok(None)
                    }
                    None => Err("nothing is scheduled: every server is crashed".into()),
                }
            }
            Op::Advance(ms) => {
                self.run_for(ms);
                Ok(None)
            }
            Op::SetSpeed(s) => {
                self.speed = clamp_speed(s);
                Ok(None)
            }
            // While a lesson asks which servers, a click on one answers.
            Op::Select(Some(id)) if self.lessons.pick(id) => Ok(None),
            Op::Select(id) => {
                if let Some(id) = id {
                    if self.tl.cluster().node(id).is_none() {
                        return Err(SimError::UnknownNode(id.0 as u64).to_string());
                    }
                }
                self.selected = id;
                if id.is_some() {
                    self.inspected = None;
                }
                Ok(None)
            }
            Op::Inspect(None) => {
                self.inspected = None;
                Ok(None)
            }
            Op::Inspect(Some(id)) => {
                let m = self.tl.cluster().message(id).ok_or_else(|| SimError::UnknownMessage(id).to_string())?;
                self.inspected = Some(m.clone());
                self.fate = Fate::InFlight;
                self.inspected_seen = self.tl.cluster().now();
                self.selected = None;
                let was_playing = self.playing || std::mem::take(&mut self.held);
                self.playing = false;
                Ok(was_playing.then(|| format!("Paused to inspect message #{id}. Press space to play on.")))
            }
            Op::Tab(tab) => {
                self.tab = tab;
                Ok(None)
            }
            Op::ToggleHelp => {
                self.help = !self.help;
                Ok(None)
            }
            Op::Escape => {
                self.help = false;
                self.selected = None;
                self.inspected = None;
                Ok(None)
            }
            Op::Restart(cfg) => {
                let fresh = Model::from_config(cfg, self.speed, self.playing)?;
                self.new_run(fresh);
                Ok(Some(format!("New run: {} servers, seed {}.", self.start.nodes, self.start.seed)))
            }
            Op::Lesson(op) => {
                let (said, moved) = self.lessons.apply(op, &mut self.tl, &mut self.start)?;
                self.lesson_moved(moved);
                Ok(said)
            }
            Op::Feed(end) => {
                self.feed_end = end;
                Ok(None)
            }
            #[cfg(feature = "pseudocode-panel")]
            Op::Explain(i) => {
                if i.is_some_and(|i| i >= self.tl.cluster().events().len()) {
                    return Err(format!("the run has no event #{}", i.unwrap_or_default()));
                }
                if i.is_some() {
                    self.tab = Tab::Pseudocode;
                }
                self.explained = i;
                self.inspected = None;
                Ok(None)
            }
            Op::Dismiss => {
                self.notice = None;
                Ok(None)
            }
            Op::Draft(key, value) => {
                self.draft_key = key;
                self.draft_value = value;
                Ok(None)
            }
            Op::WriteDraft(to) => {
                let command = self.draft_command()?;
                self.apply_inner(Op::Sim(Action::Write { command, to }))
            }
            Op::InspectNext(back) => {
                let mut ids: Vec<u64> = self.tl.cluster().messages().iter().map(|m| m.id).collect();
                ids.sort_unstable();
                let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
                    return Err("no message is in flight".into());
                };
                let next = match (self.inspected.as_ref().map(|m| m.id), back) {
                    (None, false) => first,
                    (None, true) => last,
                    (Some(at), false) => ids.iter().copied().find(|&id| id > at).unwrap_or(first),
                    (Some(at), true) => ids.iter().rev().copied().find(|&id| id < at).unwrap_or(last),
                };
                self.apply_inner(Op::Inspect(Some(next)))
            }
            Op::Pointer(p) => {
                self.pointer = p.filter(|(x, y)| x.is_finite() && y.is_finite());
                self.follow_pointer();
                Ok(None)
            }
            Op::Seek(_) | Op::StepBack | Op::SeekLatest | Op::SwitchBranch(_) => {
                let now = match op {
                    Op::Seek(t) => self.tl.seek(t),
                    Op::StepBack => {
                        self.playing = false;
                        self.tl.step_back()
                    }
                    Op::SwitchBranch(id) => self.tl.switch_branch(id),
                    _ => self.tl.seek(self.tl.latest()),
                }
                .map_err(|e| e.to_string())?;
                // A branch can have a config of its own (a lesson's offer); a lesson's view follows the branch.
                self.start = self.tl.cluster().initial_config().clone();
                if self.lessons.follow_branch(&self.tl) {
                    self.lesson_moved(Moved::NewRun);
                }
                self.jumped();
                Ok(match op {
                    Op::SwitchBranch(id) => Some(format!("Branch {id}, at its latest moment ({}).", ms_text(now))),
                    _ => None,
                })
            }
            Op::Notice(text) => Err(text),
            Op::ClickRing(x, y) => {
                let catch = text_sizes(self.ring_scale, self.tl.cluster().servers().len()).catch;
                let now = self.display_now();
                match message_at(in_flight_at(self.tl.cluster(), now), (x, y), catch) {
                    Some(id) => self.apply_inner(Op::Inspect(Some(id))),
                    None => self.apply_inner(Op::Escape),
                }
            }
        }
    }
}

impl Model {
    /// Replaces the run by `fresh`'s, keeping how the page is watched: the
    /// open panel, the speed, the draft key, the lessons
    /// (a lesson played is left); the view's
    /// revision keeps rising (a new timeline counts from 0 again).
    fn new_run(&mut self, fresh: Model) {
        let (tab, rev, run, key) = (self.tab, self.view_rev, self.run, std::mem::take(&mut self.draft_key));
        let mut lessons = std::mem::take(&mut self.lessons);
        lessons.leave();
        *self = fresh;
        self.lessons = lessons;
        self.tab = tab;
        self.view_rev = rev;
        self.run = run + 1;
        self.draft_key = key;
    }

    /// A script's run, as the Script panel hands it over (www/script-panel.js:
    /// the script worker ran the script and answered with the run as a share
    /// link's code): it replaces the run, as a share link opens one, and
    /// plays from its start. Returns the moment the run reached (ms). A code
    /// that cannot be opened is refused with why, and the page keeps its run.
    #[cfg(feature = "script-panel")]
    pub fn open_script_run(&mut self, code: &str) -> Result<u64, String> {
        // As a share link opens (one copy of that code in the page), then from its start.
        let fresh = Model::from_link(code, self.speed)?;
        let end = fresh.cluster().now();
        self.new_run(fresh);
        self.apply_inner(Op::Seek(0))?;
        self.playing = true;
        self.view_rev += 1;
        Ok(end)
    }

    /// The partition groups in place, as a partition call forms them: the
    /// groups it named, in its order (those left empty dropped), then the
    /// servers no group named, together. No partition: one group of every server.
    pub fn partition_groups(&self) -> Vec<Vec<NodeId>> {
        let servers = self.tl.cluster().servers();
        let last = servers.iter().map(|s| s.group()).max().unwrap_or(0);
        (1..=last)
            .chain([0])
            .map(|g| servers.iter().filter(|s| s.group() == g).map(|s| s.id()).collect::<Vec<_>>())
            .filter(|g| !g.is_empty())
            .collect()
    }

    /// The drafted write, checked: the key as the engine checks it, the value
    /// by [`args::value_text`]. The error says what is wrong, in a sentence.
    pub fn draft_command(&self) -> Result<Command, String> {
        check_key(&self.draft_key).map_err(|e| e.to_string())?;
        Ok(Command::set(&self.draft_key, args::value_text(&self.draft_value)?))
    }
}

#[cfg(feature = "membership")]
impl Model {
    /// What a membership change just did, in the notice line (the event
    /// feed tells the rest: promotion, commit).
    /// `removed`: the server removed, or `None` for a server added (the last one).
    fn member_notice(&self, removed: Option<NodeId>) -> Option<String> {
        match removed {
            None => {
                let id = self.cluster().servers().last()?.id();
                Some(format!("{id} joins as a learner: the leader sends it the log, and makes it a voter once it has caught up."))
            }
            Some(node) => Some(format!(
                "The leader appended −{node}: {node} no longer counts toward a majority, and the entry commits without it."
            )),
        }
    }
}

fn describe(action: &Action) -> Option<String> {
    match action {
        Action::Write { command, to: Some(to) } => Some(format!("The client sent {command} to {to}.")),
        Action::Write { command, to: None } => Some(format!("The client sent {command}.")),
        _ => None,
    }
}

/// Clamps a speed to 0.001..1 (not-a-number gives the default).
pub fn clamp_speed(s: f64) -> f64 {
    if s.is_nan() {
        DEFAULT_SPEED
    } else {
        s.clamp(MIN_SPEED, MAX_SPEED)
    }
}
