//! `window.raftPlayground`, the page's JavaScript API (wasm32 only): the
//! methods of [`RaftPlayground`], each a thin door to one [`Op`] of the model.
//!
//! ```js
//! const rp = window.raftPlayground;
//! rp.pause();
//! rp.advance(1000);            // one virtual second
//! const s = rp.state();        // { servers, messages, safety, ... }
//! rp.crash(s.leader);          // "S2" (or "s2") or 2 name server S2
//! rp.write("x", 3);
//! rp.partition([[1, 2], ["S3", "S4", "S5"]]);
//! rp.heal();
//! ```
//!
//! Every argument is checked (by [`crate::view::args`]): a wrong one throws an
//! `Error` whose message says what was expected ("raftPlayground.crash: there
//! is no server S7 (this cluster has S1 to S5)"). Nothing a caller passes can
//! panic the module.
//!
//! - [`start`]: start-up, the panic overlay, mounting the page.
//! - [`args`]: JavaScript values into checked arguments, refusals into `Error`s.
//! - [`guard`]: the plain object callers get, which forwards to the page's instance.
//! - [`lesson`]: the lessons' methods (`lessons()`, `startLesson(id)`, `nextStep()`, ...).

pub mod args;
pub mod guard;
pub mod lesson;
pub mod start;

pub use start::{mount_model, mount_playground, show_panic_overlay};

use crate::script::MAX_TIME_MS;
use crate::sim::{Action, NodeId};
use crate::ui::address::share_url;
use crate::ui::fresh_seed;
use crate::ui::store::Handle;
use crate::view::args::{self as check, Arg, ResetOptions, MAX_MS, MAX_SAFE_INTEGER};
use crate::view::events::events_json;
use crate::view::json::Json;
use crate::view::model::{page_config, Op, DEFAULT_SPEED};
use crate::view::state::state_json;
use args::{arg, err, read_options};
use wasm_bindgen::prelude::*;

/// The API of a mounted page (`window.raftPlayground`).
#[wasm_bindgen]
#[derive(Clone)]
pub struct RaftPlayground {
    handle: Handle,
}

/// The API's methods by their JavaScript names, in the order
/// `window.raftPlayground` lists them: its object (made by
/// [`guard`](guard::expose)) has one function for each, which calls
/// [`RaftPlayground::call`] with its index here. (One export for the whole
/// API instead of one per method: wasm-bindgen's glue and export shims,
/// about 45 of each, cost the page more than this table and one `match`.)
pub(crate) const METHODS: &[(M, &str)] = &[
    #[cfg(feature = "membership")]
    (M::AddServer, "addServer"),
    (M::Advance, "advance"),
    (M::Branches, "branches"),
    (M::Crash, "crash"),
    (M::Disconnect, "disconnect"),
    (M::DropMessage, "dropMessage"),
    (M::DuplicateMessage, "duplicateMessage"),
    (M::Escape, "escape"),
    (M::Events, "events"),
    (M::Heal, "heal"),
    (M::Help, "help"),
    (M::InspectNext, "inspectNext"),
    (M::Inspect, "inspect"),
    (M::LessonState, "lessonState"),
    (M::Lessons, "lessons"),
    (M::NextStep, "nextStep"),
    (M::Now, "now"),
    (M::Partition, "partition"),
    (M::Pause, "pause"),
    (M::Play, "play"),
    (M::PreviousStep, "previousStep"),
    (M::Read, "read"),
    (M::Reconnect, "reconnect"),
    #[cfg(feature = "membership")]
    (M::RemoveServer, "removeServer"),
    (M::Reset, "reset"),
    (M::Restart, "restart"),
    (M::Seek, "seek"),
    (M::Select, "select"),
    (M::SetElectionTimeout, "setElectionTimeout"),
    (M::SetHeartbeat, "setHeartbeat"),
    (M::SetLatency, "setLatency"),
    (M::SetLossRate, "setLossRate"),
    (M::SetSpeed, "setSpeed"),
    (M::ShareLink, "shareLink"),
    (M::ShowPanel, "showPanel"),
    (M::StartLesson, "startLesson"),
    (M::State, "state"),
    (M::StepBack, "stepBack"),
    (M::Step, "step"),
    (M::SwitchBranch, "switchBranch"),
    (M::Timeout, "timeout"),
    (M::TogglePlay, "togglePlay"),
    (M::TraceHash, "traceHash"),
    (M::TransferLeadership, "transferLeadership"),
    (M::Write, "write"),
];

/// The API's methods (see [`METHODS`]).
#[derive(Clone, Copy)]
pub(crate) enum M {
    #[cfg(feature = "membership")]
    AddServer,
    Advance,
    Branches,
    Crash,
    Disconnect,
    DropMessage,
    DuplicateMessage,
    Escape,
    Events,
    Heal,
    Help,
    InspectNext,
    Inspect,
    LessonState,
    Lessons,
    NextStep,
    Now,
    Partition,
    Pause,
    Play,
    PreviousStep,
    Read,
    Reconnect,
    #[cfg(feature = "membership")]
    RemoveServer,
    Reset,
    Restart,
    Seek,
    Select,
    SetElectionTimeout,
    SetHeartbeat,
    SetLatency,
    SetLossRate,
    SetSpeed,
    ShareLink,
    ShowPanel,
    StartLesson,
    State,
    StepBack,
    Step,
    SwitchBranch,
    Timeout,
    TogglePlay,
    TraceHash,
    TransferLeadership,
    Write,
}

#[wasm_bindgen]
impl RaftPlayground {
    /// Method `i` of [`METHODS`] with its arguments (`undefined` where the
    /// caller gave fewer), its result as JavaScript gets it: a number, a
    /// string, a boolean, an object, a promise or `undefined`.
    pub fn call(&self, i: u32, a: JsValue, b: JsValue, c: JsValue) -> Result<JsValue, JsError> {
        let none = JsValue::UNDEFINED;
        let num = JsValue::from_f64;
        #[cfg(feature = "script-panel")]
        if i == SCRIPT_DOOR {
            return self.script_door(a, b, c);
        }
        let Some(&(method, _)) = METHODS.get(i as usize) else { return Ok(none) };
        Ok(match method {
            #[cfg(feature = "membership")]
            M::AddServer => JsValue::from_str(&self.add_server()?),
            M::Advance => num(self.advance(a)?),
            M::Branches => self.branches()?,
            M::Crash => self.crash(a).map(|()| none)?,
            M::Disconnect => self.disconnect(a).map(|()| none)?,
            M::DropMessage => self.drop_message(a).map(|()| none)?,
            M::DuplicateMessage => self.duplicate_message(a).map(|()| none)?,
            M::Escape => self.escape().map(|()| none)?,
            M::Events => self.events(a, b)?,
            M::Heal => self.heal().map(|()| none)?,
            M::Help => self.help().map(|()| none)?,
            M::InspectNext => num(self.inspect_next(a)?),
            M::Inspect => self.inspect(a).map(|()| none)?,
            M::LessonState => self.lesson_state(),
            M::Lessons => self.lessons()?,
            M::NextStep => self.next_step()?,
            M::Now => num(self.now()),
            M::Partition => self.partition(a)?,
            M::Pause => self.pause().map(|()| none)?,
            M::Play => self.play().map(|()| none)?,
            M::PreviousStep => self.previous_step()?,
            M::Read => num(self.read(a, b)?),
            M::Reconnect => self.reconnect(a).map(|()| none)?,
            #[cfg(feature = "membership")]
            M::RemoveServer => self.remove_server(a).map(|()| none)?,
            M::Reset => self.reset(a).map(|()| none)?,
            M::Restart => self.restart(a).map(|()| none)?,
            M::Seek => num(self.seek(a)?),
            M::Select => self.select(a).map(|()| none)?,
            M::SetElectionTimeout => self.set_election_timeout(a, b).map(|()| none)?,
            M::SetHeartbeat => self.set_heartbeat(a).map(|()| none)?,
            M::SetLatency => self.set_latency(a, b).map(|()| none)?,
            M::SetLossRate => self.set_loss_rate(a).map(|()| none)?,
            M::SetSpeed => self.set_speed(a).map(|()| none)?,
            M::ShareLink => JsValue::from_str(&self.share_link()?),
            M::ShowPanel => self.show_panel(a).map(|()| none)?,
            M::StartLesson => self.start_lesson(a, b)?.into(),
            M::State => self.state()?,
            M::StepBack => num(self.step_back()?),
            M::Step => num(self.step()?),
            M::SwitchBranch => num(self.switch_branch(a)?),
            M::Timeout => self.timeout(a).map(|()| none)?,
            M::TogglePlay => JsValue::from_bool(self.toggle_play()?),
            M::TraceHash => JsValue::from_str(&self.trace_hash()),
            M::TransferLeadership => self.transfer_leadership(a).map(|()| none)?,
            M::Write => self.write(a, b, c).map(|()| none)?,
        })
    }
}

impl RaftPlayground {
    fn servers(&self) -> usize {
        self.handle.try_read().map_or(0, |m| m.cluster().servers().len())
    }

    /// Performs `op`; a refusal becomes an `Error` of `method`.
    fn op(&self, method: &str, op: Op) -> Result<(), JsError> {
        self.handle.dispatch(op).map_err(|e| err(method, e))
    }

    /// Checks `v` with `f`; a refusal becomes an `Error` of `method`.
    fn check<T>(&self, method: &str, v: &JsValue, f: impl FnOnce(&Arg) -> Result<T, String>) -> Result<T, JsError> {
        f(&arg(v)).map_err(|e| err(method, e))
    }

    fn on_server(&self, method: &str, server: &JsValue, f: impl FnOnce(NodeId) -> Action) -> Result<(), JsError> {
        let id = self.check(method, server, |a| check::server(a, self.servers()))?;
        self.op(method, Op::Sim(f(id)))
    }

    /// A whole number from `min` to `max` (`name` in the error).
    fn whole(&self, method: &str, name: &str, v: &JsValue, min: u64, max: u64) -> Result<u64, JsError> {
        self.check(method, v, |a| check::whole(name, a, min, max))
    }
}

impl RaftPlayground {
    /// Crashes a server (3 or "S3").
    pub fn crash(&self, server: JsValue) -> Result<(), JsError> {
        self.on_server("crash", &server, |node| Action::Crash { node })
    }

    /// Restarts a crashed server.
    pub fn restart(&self, server: JsValue) -> Result<(), JsError> {
        self.on_server("restart", &server, |node| Action::Restart { node })
    }

    /// Cuts a server off from everyone.
    pub fn disconnect(&self, server: JsValue) -> Result<(), JsError> {
        self.on_server("disconnect", &server, |node| Action::Disconnect { node })
    }

    /// Plugs a disconnected server back in.
    pub fn reconnect(&self, server: JsValue) -> Result<(), JsError> {
        self.on_server("reconnect", &server, |node| Action::Reconnect { node })
    }

    /// Makes a server's election timer run out now.
    pub fn timeout(&self, server: JsValue) -> Result<(), JsError> {
        self.on_server("timeout", &server, |node| Action::Timeout { node })
    }

    /// Hands leadership to a server (manual failover).
    pub fn transfer_leadership(&self, server: JsValue) -> Result<(), JsError> {
        self.on_server("transferLeadership", &server, |to| Action::TransferLeadership { to })
    }

    /// Splits the network: `partition([[1, 2], ["S3", "S4", "S5"]])`. Servers
    /// no group names form one more group together; `partition([])` ends any
    /// partition (disconnected servers stay so). Returns the groups formed, by
    /// name: `partition([[1, 2]])` on five servers gives `[["S1", "S2"], ["S3", "S4", "S5"]]`.
    pub fn partition(&self, groups: JsValue) -> Result<JsValue, JsError> {
        let groups = self.check("partition", &groups, |a| check::groups(a, self.servers()))?;
        self.op("partition", Op::Sim(Action::Partition { groups }))?;
        let m = self.handle.try_read().ok_or_else(|| err("partition", "the page is busy; try again"))?;
        let mut names = Json::new();
        names.open_list();
        for g in m.partition_groups() {
            names.open_list();
            for &id in &g {
                names.node_name(id);
            }
            names.close_list();
        }
        names.close_list();
        to_js("partition", &names.finish())
    }

    /// Adds a server through the leader's log: it joins as a learner and
    /// becomes a voter once it has caught up. Returns its name ("S6"); throws
    /// with the engine's reason when the leader would not (no leader, a change
    /// in progress, 9 servers already).
    #[cfg(feature = "membership")]
    pub fn add_server(&self) -> Result<String, JsError> {
        self.op("addServer", Op::Sim(Action::AddServer))?;
        let m = self.handle.try_read().ok_or_else(|| err("addServer", "the page is busy; try again"))?;
        Ok(m.cluster().servers().last().map(|s| s.id().to_string()).unwrap_or_default())
    }

    /// Removes a server (3 or "S3") through the leader's log (`−S3`); throws
    /// with the engine's reason when the leader would not.
    #[cfg(feature = "membership")]
    pub fn remove_server(&self, server: JsValue) -> Result<(), JsError> {
        self.on_server("removeServer", &server, |node| Action::RemoveServer { node })
    }

    /// Heals every partition and disconnection.
    pub fn heal(&self) -> Result<(), JsError> {
        self.op("heal", Op::Sim(Action::Heal))
    }

    /// A write `key ← value` through the simulated client; `server` (optional) is tried first.
    pub fn write(&self, key: JsValue, value: JsValue, server: JsValue) -> Result<(), JsError> {
        let action =
            check::write(&arg(&key), &arg(&value), &arg(&server), self.servers()).map_err(|e| err("write", e))?;
        self.op("write", Op::Sim(action))
    }

    /// A read of `key` through the simulated client; `server` (optional) is
    /// asked first. Returns the read's client op id: its answer shows in
    /// `state().client` (`value`, `null` for a key never written) and as a
    /// `client_read_done` event.
    pub fn read(&self, key: JsValue, server: JsValue) -> Result<f64, JsError> {
        let action = check::read(&arg(&key), &arg(&server), self.servers()).map_err(|e| err("read", e))?;
        self.op("read", Op::Sim(action))?;
        let m = self.handle.try_read().ok_or_else(|| err("read", "the page is busy; try again"))?;
        Ok(m.cluster().client_ops().last().map_or(0.0, |o| o.id as f64))
    }

    /// Loses a message in flight (its id from `state().messages`).
    pub fn drop_message(&self, id: JsValue) -> Result<(), JsError> {
        let id = self.whole("dropMessage", "the message id", &id, 0, MAX_SAFE_INTEGER)?;
        self.op("dropMessage", Op::Sim(Action::DropMessage { id }))
    }

    /// Sends a second copy of a message in flight.
    pub fn duplicate_message(&self, id: JsValue) -> Result<(), JsError> {
        let id = self.whole("duplicateMessage", "the message id", &id, 0, MAX_SAFE_INTEGER)?;
        self.op("duplicateMessage", Op::Sim(Action::DuplicateMessage { id }))
    }

    /// Starts the clock.
    pub fn play(&self) -> Result<(), JsError> {
        self.op("play", Op::Play)
    }

    /// Stops the clock.
    pub fn pause(&self) -> Result<(), JsError> {
        self.op("pause", Op::Pause)
    }

    /// Plays or pauses; returns whether it now plays.
    pub fn toggle_play(&self) -> Result<bool, JsError> {
        self.op("togglePlay", Op::TogglePlay)?;
        Ok(self.handle.try_read().is_some_and(|m| m.playing))
    }

    /// Sets the speed: virtual ms per real ms, from 0.001 to 1.
    pub fn set_speed(&self, speed: JsValue) -> Result<(), JsError> {
        let s = self.check("setSpeed", &speed, check::speed)?;
        self.op("setSpeed", Op::SetSpeed(s))
    }

    /// Pauses and runs to the next event; returns the new virtual time (ms).
    pub fn step(&self) -> Result<f64, JsError> {
        self.op("step", Op::Step)?;
        Ok(self.now())
    }

    /// Runs `ms` virtual milliseconds at once (0 to 3,600,000); returns the new virtual time.
    pub fn advance(&self, ms: JsValue) -> Result<f64, JsError> {
        let ms = self.whole("advance", "ms", &ms, 0, MAX_MS)?;
        self.op("advance", Op::Advance(ms))?;
        Ok(self.now())
    }

    /// Virtual time (ms).
    pub fn now(&self) -> f64 {
        self.handle.try_read().map_or(0.0, |m| m.cluster().now() as f64)
    }

    /// Everything on the page as a plain object: servers (with logs), messages,
    /// client writes, the safety verdict, the latest 30 events (all of them: [`events`](Self::events)).
    pub fn state(&self) -> Result<JsValue, JsError> {
        let m = self.handle.try_read().ok_or_else(|| err("state", "the page is busy; try again"))?;
        to_js("state", &state_json(&m))
    }

    /// The run's events, oldest first, from index `from` (0 is the run's first
    /// event; 0 when left out), at most `count` of them (up to 10,000, and that
    /// many when left out): `[{ time, kind, text, data }]`, `data` being the
    /// event as data (`{ type: "leader_elected", node: 3, term: 4, votes: [1, 3, 5] }`).
    /// `state().eventCount` says how many there are.
    pub fn events(&self, from: JsValue, count: JsValue) -> Result<JsValue, JsError> {
        let (from, count) = check::event_range(&arg(&from), &arg(&count)).map_err(|e| err("events", e))?;
        let m = self.handle.try_read().ok_or_else(|| err("events", "the page is busy; try again"))?;
        to_js("events", &events_json(m.cluster().events(), from, count))
    }

    /// Opens a server's menu (`null` closes it).
    pub fn select(&self, server: JsValue) -> Result<(), JsError> {
        let id = self.check("select", &server, |a| check::optional_server(a, self.servers()))?;
        self.op("select", Op::Select(id))
    }

    /// Inspects a message in flight by its id (from `state().messages`), which
    /// pauses the clock; `null` closes the inspector.
    pub fn inspect(&self, id: JsValue) -> Result<(), JsError> {
        let a = arg(&id);
        let id = if a.is_nullish() {
            None
        } else {
            Some(self.whole("inspect", "the message id", &id, 0, MAX_SAFE_INTEGER)?)
        };
        self.op("inspect", Op::Inspect(id))
    }

    /// Inspects the next message in flight, by id and wrapping (`true`: the
    /// previous one), as the keys M and Shift+M do; returns its id.
    pub fn inspect_next(&self, back: JsValue) -> Result<f64, JsError> {
        let back = match arg(&back) {
            Arg::Undefined | Arg::Null => false,
            Arg::Bool(b) => b,
            other => {
                return Err(err(
                    "inspectNext",
                    format!("expected true (the previous message) or nothing, got {}", check::show(&other)),
                ))
            }
        };
        self.op("inspectNext", Op::InspectNext(back))?;
        Ok(self.handle.try_read().and_then(|m| m.inspected.as_ref().map(|x| x.id as f64)).unwrap_or(f64::NAN))
    }

    /// Shows or hides the help sheet.
    pub fn help(&self) -> Result<(), JsError> {
        self.op("help", Op::ToggleHelp)
    }

    /// Closes menus, the inspector and the help sheet.
    pub fn escape(&self) -> Result<(), JsError> {
        self.op("escape", Op::Escape)
    }

    /// Shows a panel: "logs", "client", "events", "diagram", "state", "network", "setup", "legend" or "lessons"
    /// (and "script" in builds with the `script-panel` feature, "pseudocode" with `pseudocode-panel`).
    pub fn show_panel(&self, name: JsValue) -> Result<(), JsError> {
        let tab = self.check("showPanel", &name, check::panel)?;
        self.op("showPanel", Op::Tab(tab))
    }

    /// Starts a new run: `reset({ servers: 5, seed: 42 })` (a fresh seed when none is given,
    /// the current size; with log compaction, `snapshotThreshold: 20` turns it on, 0 off,
    /// left out: the current run's threshold, as Setup's "Start a new run" keeps it).
    pub fn reset(&self, options: JsValue) -> Result<(), JsError> {
        const M: &str = "reset";
        let opts: ResetOptions = read_options(M, options, " such as { servers: 5, seed: 42 }")?;
        let (servers, seed) = opts.size_and_seed(self.servers()).map_err(|e| err(M, e))?;
        // (Two bodies, so that the page without the feature has the same code as before it.)
        #[cfg(feature = "compaction")]
        #[allow(clippy::needless_return)]
        {
            let now = self
                .handle
                .try_read()
                .map_or(0, |m| crate::view::setup::snapshot_threshold(&m.cluster().config().raft));
            let threshold = opts.snapshot_threshold(now).map_err(|e| err(M, e))?;
            let cfg = page_config(servers, seed.unwrap_or_else(fresh_seed));
            return self.op(M, Op::Restart(crate::view::setup::with_snapshot_threshold(cfg, threshold)));
        }
        #[cfg(not(feature = "compaction"))]
        self.op(M, Op::Restart(page_config(servers, seed.unwrap_or_else(fresh_seed))))
    }

    /// Changes the message delay range (ms) for new messages.
    pub fn set_latency(&self, lo: JsValue, hi: JsValue) -> Result<(), JsError> {
        let lo = self.whole("setLatency", "the shortest delay", &lo, 0, MAX_MS)?;
        let hi = self.whole("setLatency", "the longest delay", &hi, 0, MAX_MS)?;
        self.op("setLatency", Op::Sim(Action::SetLatency { lo, hi }))
    }

    /// Changes the share of messages the network loses (0 to 1).
    pub fn set_loss_rate(&self, rate: JsValue) -> Result<(), JsError> {
        let rate = self.check("setLossRate", &rate, check::loss_rate)?;
        self.op("setLossRate", Op::Sim(Action::SetDropRate { rate }))
    }

    /// Changes the election timeout range (ms).
    pub fn set_election_timeout(&self, lo: JsValue, hi: JsValue) -> Result<(), JsError> {
        let lo = self.whole("setElectionTimeout", "the shortest timeout", &lo, 1, MAX_MS)?;
        let hi = self.whole("setElectionTimeout", "the longest timeout", &hi, 1, MAX_MS)?;
        self.op("setElectionTimeout", Op::Sim(Action::SetElectionTimeout { lo, hi }))
    }

    /// Changes the heartbeat interval (ms).
    pub fn set_heartbeat(&self, ms: JsValue) -> Result<(), JsError> {
        let ms = self.whole("setHeartbeat", "the heartbeat interval", &ms, 1, MAX_MS)?;
        self.op("setHeartbeat", Op::Sim(Action::SetHeartbeat { ms }))
    }

    /// Shows moment `ms` (virtual ms, 0 to 7,200,000) of the current branch:
    /// the page then shows exactly what the run was at that moment (servers,
    /// timers, logs, messages in flight, panels, events), and `state()` is
    /// what it was when the run first passed it. Past the branch's latest
    /// moment the run goes on to `ms`. Returns the virtual time reached.
    pub fn seek(&self, ms: JsValue) -> Result<f64, JsError> {
        let ms = self.whole("seek", "the moment (ms)", &ms, 0, MAX_TIME_MS)?;
        self.op("seek", Op::Seek(ms))?;
        Ok(self.now())
    }

    /// Pauses and goes back to the previous moment at which something
    /// happened (what ← does); returns the virtual time reached.
    pub fn step_back(&self) -> Result<f64, JsError> {
        self.op("stepBack", Op::StepBack)?;
        Ok(self.now())
    }

    /// The branches of the run, in the order they were made:
    /// `[{ id, name, parent, forkedAt, latest, current }]` ("branch 2: crash
    /// S1 at 3.2s", where it forked, its latest moment, whether it is shown).
    pub fn branches(&self) -> Result<JsValue, JsError> {
        let m = self.handle.try_read().ok_or_else(|| err("branches", "the page is busy; try again"))?;
        to_js("branches", &crate::view::json::branches(&m.timeline().branches()))
    }

    /// Makes branch `id` (from `branches()`) the current one, at its latest
    /// moment; returns that moment.
    pub fn switch_branch(&self, id: JsValue) -> Result<f64, JsError> {
        let id = self.whole("switchBranch", "the branch id", &id, 1, u32::MAX as u64)?;
        self.op("switchBranch", Op::SwitchBranch(id as u32))?;
        Ok(self.now())
    }

    /// A link to the moment shown: this page's address with the run (its
    /// config, seed, every action of the current branch with its time, the
    /// moment and the trace hash) packed into the fragment (`#run=...`).
    /// Opened, the page shows that moment, paused, with the same trace hash.
    pub fn share_link(&self) -> Result<String, JsError> {
        let m = self.handle.try_read().ok_or_else(|| err("shareLink", "the page is busy; try again"))?;
        let code = m.share_code().map_err(|e| err("shareLink", e))?;
        Ok(share_url(&code))
    }

    /// The trace hash (16 hex digits): equal hashes, equal runs.
    pub fn trace_hash(&self) -> String {
        self.handle.try_read().map_or_else(String::new, |m| format!("{:016x}", m.cluster().trace_hash()))
    }
}

/// A JSON text (written by [`crate::view::json`]) as plain JavaScript
/// objects and arrays, read by `JSON.parse` (smaller code than converting
/// value by value).
fn to_js(method: &str, json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| err(method, "could not read its own answer back"))
}

/// The default speed (virtual ms per real ms), for pages that want to restore it.
#[wasm_bindgen(js_name = defaultSpeed)]
pub fn default_speed() -> f64 {
    DEFAULT_SPEED
}

/// The Script panel's door into the page (www/script-panel.js gets it from
/// `ui::script_panel`): the page's instance, whose `call` answers
/// [`SCRIPT_DOOR`] besides the methods of `window.raftPlayground`.
#[cfg(feature = "script-panel")]
pub fn script_door_of(handle: &Handle) -> JsValue {
    JsValue::from(RaftPlayground { handle: handle.clone() })
}

/// The index that [`RaftPlayground::call`] answers as the Script panel's
/// door (see [`RaftPlayground::script_door`]; no method of [`METHODS`]).
#[cfg(feature = "script-panel")]
pub const SCRIPT_DOOR: u32 = 999;

#[cfg(feature = "script-panel")]
impl RaftPlayground {
    /// The Script panel's one door into the page (www/script-panel.js, as
    /// `call(999, code, notice, error)`; not part of `window.raftPlayground`,
    /// which has everything else it uses): `code`, a script's run as a share
    /// link's code, replaces the run and plays from its start
    /// ([`Model::open_script_run`](crate::view::model::Model::open_script_run));
    /// one that cannot be opened is refused with why and the page keeps its
    /// run. Then `notice`, a string, is said in the notice line (an error
    /// when `error` is true). Returns the number of the run now (a number
    /// each new run changes: the panel checks the page has not moved on).
    fn script_door(&self, code: JsValue, notice: JsValue, error: JsValue) -> Result<JsValue, JsError> {
        // Only the run asked: read, no update (nothing to redraw or follow).
        if code.as_string().is_none() && notice.as_string().is_none() {
            let m = self.handle.try_read().ok_or_else(|| JsError::new("the page is busy; try again"))?;
            return Ok(JsValue::from_f64(m.run as f64));
        }
        let run = self.handle.update(|m| {
            if let Some(code) = code.as_string() {
                m.open_script_run(&code)?;
            }
            if let Some(text) = notice.as_string() {
                use crate::view::model::Notice;
                m.notice = Some(if error.is_truthy() { Notice::error(text) } else { Notice::info(text) });
            }
            Ok::<u64, String>(m.run)
        });
        match run {
            Ok(Ok(run)) => Ok(JsValue::from_f64(run as f64)),
            Ok(Err(e)) | Err(e) => Err(JsError::new(&e)),
        }
    }
}
