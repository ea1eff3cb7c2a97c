//! The page's entry point and its JavaScript API (wasm32 only).
//!
//! On load, [`start`] installs a panic hook that shows a visible overlay, then
//! mounts the page into `#raft-playground` (settings from the URL: `?seed=`,
//! `?servers=`, `?speed=`, `?paused=1`; without `paused`, a visitor who prefers
//! reduced motion starts paused) and sets `window.raftPlayground`, a
//! [`RaftPlayground`] whose methods drive the page:
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
//! Every argument is checked: a wrong one throws an `Error` whose message says
//! what was expected ("raftPlayground.crash: there is no server S7 (this
//! cluster has S1 to S5)"). Nothing a caller passes can panic the module.

use crate::sim::{Action, Command, InFlight, LossCause, NodeId, OpStatus, Payload, Role};
use crate::ui::app::{App, AppProps};
use crate::ui::model::{clamp_slowdown, page_config, Model, Op, StartOptions, Tab, DEFAULT_SLOWDOWN, MAX_SLOWDOWN};
use crate::ui::store::Handle;
use crate::ui::theme::kind_id;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Display;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::AppHandle;

/// The largest seed accepted (JavaScript's largest safe integer, so `state().seed` is exact).
pub const MAX_SEED: u64 = 9_007_199_254_740_991;

thread_local! {
    static MOUNTED: RefCell<Option<(AppHandle<App>, Handle)>> = const { RefCell::new(None) };
}

/// Runs when the module loads: the panic overlay, then the page if the document has `#raft-playground`.
#[wasm_bindgen(start)]
pub fn start() {
    install_panic_hook();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(root) = doc.get_element_by_id("raft-playground") else { return };
    let (mut opts, problems, paused_given) = options_from_url();
    // Motion is the point of the page, but it waits for a visitor who asked for less.
    let calm = !paused_given && opts.playing && prefers_reduced_motion();
    if calm {
        opts.playing = false;
    }
    match mount_with(root, &opts) {
        Ok(api) => {
            if calm {
                let _ = api.handle.update(|m| {
                    m.notice = Some(crate::ui::model::Notice::info(
                        "Paused at the start, as your system asks for reduced motion: press Space or Play to run.",
                    ))
                });
            }
            if !problems.is_empty() {
                let _ = api.handle.update(|m| {
                    m.notice = Some(crate::ui::model::Notice::error(format!(
                        "Ignored in the address: {}.",
                        problems.join("; ")
                    )))
                });
            }
        }
        Err(e) => web_sys::console::error_1(&JsValue::from_str(&e)),
    }
}

/// Installs the panic hook: the panic message goes to the console and to an
/// overlay with a Reload button, instead of a silently frozen page.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let text = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&format!("Raft Playground panicked: {text}")));
        show_panic_overlay(&text);
    }));
}

/// Puts the "it crashed" overlay on the page.
pub fn show_panic_overlay(text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = doc.body() else { return };
    if doc.get_element_by_id("panic-overlay").is_some() {
        return;
    }
    let build = || -> Result<(), JsValue> {
        let overlay = doc.create_element("div")?;
        overlay.set_id("panic-overlay");
        overlay.set_attribute("role", "alert")?;
        let card = doc.create_element("div")?;
        card.set_class_name("panic-card");
        let h = doc.create_element("h2")?;
        h.set_text_content(Some("The playground stopped: a bug made it panic"));
        let p = doc.create_element("p")?;
        p.set_text_content(Some("Nothing more will move on this page. The message below says what went wrong; please report it with the seed shown in the toolbar."));
        let pre = doc.create_element("pre")?;
        pre.set_text_content(Some(text));
        let b = doc.create_element("button")?;
        b.set_text_content(Some("Reload the page"));
        b.set_attribute("onclick", "location.reload()")?;
        b.set_attribute("class", "primary")?;
        card.append_child(&h)?;
        card.append_child(&p)?;
        card.append_child(&pre)?;
        card.append_child(&b)?;
        overlay.append_child(&card)?;
        body.append_child(&overlay)?;
        Ok(())
    };
    let _ = build();
}

/// Whether the visitor's system asks for reduced motion (`prefers-reduced-motion: reduce`).
pub fn prefers_reduced_motion() -> bool {
    let Some(w) = web_sys::window() else { return false };
    let query = || -> Option<bool> {
        let f = js_sys::Reflect::get(&w, &"matchMedia".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let list = f.call1(&w, &"(prefers-reduced-motion: reduce)".into()).ok()?;
        js_sys::Reflect::get(&list, &"matches".into()).ok()?.as_bool()
    };
    query().unwrap_or(false)
}

/// The start options from the address, the problems found there, and whether
/// it said whether to start paused.
fn options_from_url() -> (StartOptions, Vec<String>, bool) {
    let mut opts = StartOptions::default();
    let mut problems = Vec::new();
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return (opts, problems, false) };
    if let Some(s) = params.get("servers") {
        match s.trim().parse::<usize>() {
            Ok(n) if (3..=9).contains(&n) => opts.servers = n,
            _ => problems.push(format!("servers={} (use 3 to 9)", brief(&s))),
        }
    }
    if let Some(s) = params.get("seed") {
        match s.trim().parse::<u64>() {
            Ok(v) if v <= MAX_SEED => opts.seed = Some(v),
            _ => problems.push(format!("seed={} (use a whole number from 0 to {MAX_SEED})", brief(&s))),
        }
    }
    if let Some(s) = params.get("speed") {
        match s.trim().parse::<f64>() {
            Ok(v) if (1.0 / MAX_SLOWDOWN..=1.0).contains(&v) => opts.slowdown = 1.0 / v,
            _ => problems.push(format!("speed={} (use 0.001 to 1)", brief(&s))),
        }
    }
    let paused = params.get("paused");
    if let Some(s) = &paused {
        opts.playing = !matches!(s.as_str(), "" | "1" | "true" | "yes");
    }
    (opts, problems, paused.is_some())
}

fn mount_with(root: web_sys::Element, opts: &StartOptions) -> Result<RaftPlayground, String> {
    let model = Model::new(opts).map_err(|e| e.to_string())?;
    Ok(mount_model(root, model))
}

/// Mounts the page around a ready-made model (any [`Config`](crate::sim::Config),
/// including the "break Raft" switches), replacing any page mounted before, and
/// sets `window.raftPlayground`. For tests, and later for lessons and embeds.
pub fn mount_model(root: web_sys::Element, model: Model) -> RaftPlayground {
    let handle = Handle::new(model);
    // One page at a time: a new mount replaces the previous one.
    let old = MOUNTED.with(|m| m.borrow_mut().take());
    if let Some((app, h)) = old {
        h.set_redraw(None);
        app.destroy();
    }
    let app = yew::Renderer::<App>::with_root_and_props(root, AppProps { handle: handle.clone() }).render();
    MOUNTED.with(|m| *m.borrow_mut() = Some((app, handle.clone())));
    let api = RaftPlayground { handle };
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &JsValue::from_str("raftPlayground"), &JsValue::from(api.clone()));
    }
    api
}

/// Mounts the page into `element` (replacing any page mounted before) and
/// returns its API, also set as `window.raftPlayground`.
///
/// `options` (optional): `{ servers: 3..9, seed: number, paused: bool, speed: 0.001..1 }`.
#[wasm_bindgen(js_name = mountPlayground)]
pub fn mount_playground(element: JsValue, options: JsValue) -> Result<RaftPlayground, JsError> {
    const M: &str = "mountPlayground";
    let el: web_sys::Element =
        element.dyn_into().map_err(|v| err(M, format!("expected a DOM element to mount into, got {}", show(&v))))?;
    let mut opts = StartOptions::default();
    if !options.is_undefined() && !options.is_null() {
        if !options.is_object() {
            return Err(err(M, format!("options must be an object, got {}", show(&options))));
        }
        let get = |k: &str| js_sys::Reflect::get(&options, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
        let v = get("servers");
        if !v.is_undefined() {
            opts.servers = int_arg(M, "servers", &v, 3, 9)? as usize;
        }
        let v = get("seed");
        if !v.is_undefined() {
            opts.seed = Some(int_arg(M, "seed", &v, 0, MAX_SEED)?);
        }
        let v = get("paused");
        if !v.is_undefined() {
            opts.playing =
                !v.as_bool().ok_or_else(|| err(M, format!("paused must be true or false, got {}", show(&v))))?;
        }
        let v = get("speed");
        if !v.is_undefined() {
            opts.slowdown = 1.0 / speed_arg(M, &v)?;
        }
    }
    mount_with(el, &opts).map_err(|e| err(M, e))
}

/// The API of a mounted page (`window.raftPlayground`).
#[wasm_bindgen]
#[derive(Clone)]
pub struct RaftPlayground {
    handle: Handle,
}

fn err(method: &str, msg: impl Display) -> JsError {
    JsError::new(&format!("raftPlayground.{method}: {msg}"))
}

/// At most this many characters of a caller's value are echoed in an error.
const ECHO_MAX: usize = 24;

/// A caller's text as an error message echoes it: cut short when long.
fn brief(text: &str) -> String {
    if text.chars().count() > ECHO_MAX {
        format!("{}…", text.chars().take(ECHO_MAX - 1).collect::<String>())
    } else {
        text.to_string()
    }
}

/// A number as JavaScript writes it ("1e+300", "Infinity", "NaN"), cut short when long.
fn number_text(n: f64) -> String {
    let js = js_sys::Number::from(n).to_string_with_radix(10).ok().and_then(|s| s.as_string());
    brief(&js.unwrap_or_else(|| n.to_string()))
}

/// A JavaScript value as an error message shows it (briefly).
fn show(v: &JsValue) -> String {
    if v.is_undefined() {
        "nothing (undefined)".into()
    } else if v.is_null() {
        "null".into()
    } else if let Some(s) = v.as_string() {
        format!("the string {:?}", brief(&s))
    } else if let Some(n) = v.as_f64() {
        format!("the number {}", number_text(n))
    } else if let Some(b) = v.as_bool() {
        format!("{b}")
    } else if js_sys::Array::is_array(v) {
        "an array".into()
    } else {
        format!("a value of type {}", v.js_typeof().as_string().unwrap_or_default())
    }
}

fn int_arg(method: &str, name: &str, v: &JsValue, min: u64, max: u64) -> Result<u64, JsError> {
    let Some(f) = v.as_f64() else {
        return Err(err(method, format!("{name} must be a number, got {}", show(v))));
    };
    if !f.is_finite() || f.fract() != 0.0 || f < min as f64 || f > max as f64 {
        return Err(err(method, format!("{name} must be a whole number from {min} to {max}, got {}", show(v))));
    }
    Ok(f as u64)
}

fn speed_arg(method: &str, v: &JsValue) -> Result<f64, JsError> {
    match v.as_f64() {
        Some(f) if (1.0 / MAX_SLOWDOWN..=1.0).contains(&f) => Ok(f),
        _ => Err(err(
            method,
            format!("speed must be a number from 0.001 (1000 times slower) to 1 (real time), got {}", show(v)),
        )),
    }
}

/// Parses a server, strictly: a whole number like 3, or a name like "S3"
/// (or "s3"; spaces around it are ignored). Nothing else: not "3", "+3", "S-3".
fn server_arg(method: &str, v: &JsValue, n: usize) -> Result<NodeId, JsError> {
    let expected =
        || err(method, format!("expected a server: a number from 1 to {n} or a name like \"S{n}\", got {}", show(v)));
    let missing = |what: String| err(method, format!("there is no server {what} (this cluster has S1 to S{n})"));
    let k: u64 = if let Some(f) = v.as_f64() {
        if !f.is_finite() || f.fract() != 0.0 {
            return Err(expected());
        }
        if !(0.0..=1e9).contains(&f) {
            return Err(missing(number_text(f)));
        }
        f as u64
    } else if let Some(s) = v.as_string() {
        let t = s.trim();
        let digits = t.strip_prefix(['S', 's']).ok_or_else(expected)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(expected());
        }
        match digits.parse::<u64>() {
            Ok(k) if k <= 1_000_000_000 => k,
            _ => return Err(missing(brief(t))),
        }
    } else {
        return Err(expected());
    };
    if k < 1 || k > n as u64 {
        return Err(missing(format!("S{k}")));
    }
    Ok(NodeId::from_index(k as usize - 1))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryState {
    index: u64,
    term: u64,
    command: String,
    committed: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProgressState {
    peer: String,
    next_index: u64,
    match_index: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ServerState {
    id: u8,
    name: String,
    role: &'static str,
    up: bool,
    disconnected: bool,
    group: u32,
    term: u64,
    voted_for: Option<String>,
    votes: Vec<String>,
    commit_index: u64,
    last_applied: u64,
    log: Vec<EntryState>,
    kv: BTreeMap<String, i64>,
    election_deadline: Option<u64>,
    progress: Vec<ProgressState>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MessageState {
    id: u64,
    from: String,
    to: String,
    kind: &'static str,
    term: Option<u64>,
    reply: bool,
    ok: Option<bool>,
    summary: String,
    sent_at: u64,
    arrive_at: u64,
    progress: f64,
    duplicate: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LostState {
    id: u64,
    kind: &'static str,
    cause: &'static str,
    lost_at: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OpState {
    id: u64,
    command: String,
    status: &'static str,
    index: Option<u64>,
    by: Option<String>,
    reason: Option<String>,
    target: Option<String>,
    attempts: u32,
    landed: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViolationState {
    property: &'static str,
    explanation: String,
    time: u64,
    servers: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SafetyState {
    safe: bool,
    violations: Vec<ViolationState>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventState {
    time: u64,
    kind: String,
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageState {
    now: u64,
    playing: bool,
    speed: f64,
    seed: u64,
    leader: Option<String>,
    servers: Vec<ServerState>,
    messages: Vec<MessageState>,
    lost: Vec<LostState>,
    client: Vec<OpState>,
    safety: SafetyState,
    events: Vec<EventState>,
    event_count: usize,
    warnings: Vec<String>,
    selected: Option<String>,
    trace_hash: String,
}

fn message_state(m: &InFlight, now: u64) -> MessageState {
    let ok = match &m.payload {
        Payload::Raft(msg) => match &msg.body {
            crate::raft::Body::RequestVoteReply { granted } => Some(*granted),
            crate::raft::Body::AppendEntriesReply { success, .. } => Some(*success),
            _ => None,
        },
        Payload::ClientResponse { reply, .. } => Some(matches!(reply, crate::raft::ClientReply::Committed { .. })),
        Payload::ClientRequest { .. } => None,
    };
    MessageState {
        id: m.id,
        from: m.from.to_string(),
        to: m.to.to_string(),
        kind: kind_id(m.payload.kind()),
        term: match &m.payload {
            Payload::Raft(msg) => Some(msg.term),
            _ => None,
        },
        reply: m.payload.is_reply(),
        ok,
        summary: m.payload.summary(),
        sent_at: m.sent_at,
        arrive_at: m.arrive_at,
        progress: m.progress(now),
        duplicate: m.duplicate,
    }
}

fn page_state(m: &Model) -> PageState {
    let c = &m.cluster;
    let now = c.now();
    let leader = c.leader();
    PageState {
        now,
        playing: m.playing,
        speed: m.speed(),
        seed: m.start.seed,
        leader: leader.map(|l| l.to_string()),
        servers: c
            .servers()
            .iter()
            .map(|s| {
                let is_leader = s.is_up() && s.role() == Role::Leader;
                ServerState {
                    id: s.id().0,
                    name: s.id().to_string(),
                    role: if !s.is_up() {
                        "crashed"
                    } else {
                        match s.role() {
                            Role::Follower => "follower",
                            Role::Candidate => "candidate",
                            Role::Leader => "leader",
                        }
                    },
                    up: s.is_up(),
                    disconnected: s.is_disconnected(),
                    group: s.group(),
                    term: s.term(),
                    voted_for: s.voted_for().map(|v| v.to_string()),
                    votes: s.raft().votes().iter().map(|v| v.to_string()).collect(),
                    commit_index: s.commit_index(),
                    last_applied: s.raft().last_applied(),
                    log: s
                        .log()
                        .iter()
                        .map(|e| EntryState {
                            index: e.index,
                            term: e.term,
                            command: e.command.to_string(),
                            committed: e.index <= s.commit_index(),
                        })
                        .collect(),
                    kv: s.raft().kv().clone(),
                    election_deadline: s.election_timer().map(|t| t.deadline),
                    progress: if is_leader {
                        c.servers()
                            .iter()
                            .filter(|p| p.id() != s.id())
                            .filter_map(|p| {
                                s.progress(p.id()).map(|pr| ProgressState {
                                    peer: p.id().to_string(),
                                    next_index: pr.next_index,
                                    match_index: pr.match_index,
                                })
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect(),
        messages: c.messages().into_iter().map(|x| message_state(x, now)).collect(),
        lost: c
            .lost_messages()
            .map(|l| LostState {
                id: l.message.id,
                kind: kind_id(l.message.payload.kind()),
                cause: match l.cause {
                    LossCause::Random => "random loss",
                    LossCause::Cut => "cut by a partition",
                    LossCause::ReceiverDown => "receiver crashed",
                    LossCause::Dropped => "dropped by hand",
                },
                lost_at: l.lost_at,
            })
            .collect(),
        client: c
            .client_ops()
            .iter()
            .map(|o| {
                let (status, index, by, reason) = match &o.status {
                    OpStatus::Pending => ("pending", None, None, None),
                    OpStatus::Acked { index, by, .. } => ("acknowledged", Some(*index), Some(by.to_string()), None),
                    OpStatus::Failed { reason, .. } => ("failed", None, None, Some(reason.clone())),
                };
                OpState {
                    id: o.id,
                    command: o.command.to_string(),
                    status,
                    index,
                    by,
                    reason,
                    target: o.target.map(|t| t.to_string()),
                    attempts: o.attempts,
                    landed: o.landed.iter().map(|l| format!("{}#{}", l.node, l.index)).collect(),
                }
            })
            .collect(),
        safety: SafetyState {
            safe: c.violations().is_empty(),
            violations: c
                .violations()
                .iter()
                .map(|v| ViolationState {
                    property: v.property.name(),
                    explanation: v.explanation.clone(),
                    time: v.time,
                    servers: v.nodes.iter().map(|n| n.to_string()).collect(),
                })
                .collect(),
        },
        events: c
            .events()
            .iter()
            .rev()
            .take(30)
            .map(|e| EventState { time: e.time, kind: format!("{:?}", e.kind()), text: e.text() })
            .collect(),
        event_count: c.events().len(),
        warnings: c.config().warnings(),
        selected: m.selected.map(|s| s.to_string()),
        trace_hash: format!("{:016x}", c.trace_hash()),
    }
}

impl RaftPlayground {
    fn servers(&self) -> usize {
        self.handle.try_read().map_or(0, |m| m.cluster.servers().len())
    }

    fn op(&self, method: &str, op: Op) -> Result<(), JsError> {
        self.handle.dispatch(op).map_err(|e| err(method, e))
    }

    fn on_server(&self, method: &str, server: &JsValue, f: impl FnOnce(NodeId) -> Action) -> Result<(), JsError> {
        let id = server_arg(method, server, self.servers())?;
        self.op(method, Op::Sim(f(id)))
    }
}

#[wasm_bindgen]
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
    #[wasm_bindgen(js_name = transferLeadership)]
    pub fn transfer_leadership(&self, server: JsValue) -> Result<(), JsError> {
        self.on_server("transferLeadership", &server, |to| Action::TransferLeadership { to })
    }

    /// Splits the network: `partition([[1, 2], ["S3", "S4", "S5"]])`.
    pub fn partition(&self, groups: JsValue) -> Result<(), JsError> {
        const M: &str = "partition";
        let n = self.servers();
        let bad =
            |v: &JsValue| err(M, format!("expected an array of groups such as [[1, 2], [3, 4, 5]], got {}", show(v)));
        if !js_sys::Array::is_array(&groups) {
            return Err(bad(&groups));
        }
        let mut out = Vec::new();
        for g in js_sys::Array::from(&groups).iter() {
            if !js_sys::Array::is_array(&g) {
                return Err(err(M, format!("each group must be an array of servers, got {}", show(&g))));
            }
            let mut members = Vec::new();
            for s in js_sys::Array::from(&g).iter() {
                members.push(server_arg(M, &s, n)?);
            }
            out.push(members);
        }
        self.op(M, Op::Sim(Action::Partition { groups: out }))
    }

    /// Heals every partition and disconnection.
    pub fn heal(&self) -> Result<(), JsError> {
        self.op("heal", Op::Sim(Action::Heal))
    }

    /// A write `key ← value` through the simulated client; `server` (optional) is tried first.
    pub fn write(&self, key: JsValue, value: JsValue, server: JsValue) -> Result<(), JsError> {
        const M: &str = "write";
        let key = key
            .as_string()
            .ok_or_else(|| err(M, format!("the key must be a string such as \"x\", got {}", show(&key))))?;
        let v = value.as_f64().ok_or_else(|| err(M, format!("the value must be a number, got {}", show(&value))))?;
        if !v.is_finite() || v.fract() != 0.0 || v.abs() > MAX_SEED as f64 {
            return Err(err(
                M,
                format!("the value must be a whole number (at most 2^53 - 1 in size), got {}", show(&value)),
            ));
        }
        let to = if server.is_undefined() || server.is_null() {
            None
        } else {
            Some(server_arg(M, &server, self.servers())?)
        };
        crate::sim::check_key(&key)
            .map_err(|_| err(M, format!("the key {:?} is not valid: use 1 to 16 letters, digits or _", brief(&key))))?;
        self.op(M, Op::Sim(Action::Write { command: Command::set(&key, v as i64), to }))
    }

    /// Loses a message in flight (its id from `state().messages`).
    #[wasm_bindgen(js_name = dropMessage)]
    pub fn drop_message(&self, id: JsValue) -> Result<(), JsError> {
        let id = int_arg("dropMessage", "the message id", &id, 0, MAX_SEED)?;
        self.op("dropMessage", Op::Sim(Action::DropMessage { id }))
    }

    /// Sends a second copy of a message in flight.
    #[wasm_bindgen(js_name = duplicateMessage)]
    pub fn duplicate_message(&self, id: JsValue) -> Result<(), JsError> {
        let id = int_arg("duplicateMessage", "the message id", &id, 0, MAX_SEED)?;
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
    #[wasm_bindgen(js_name = togglePlay)]
    pub fn toggle_play(&self) -> Result<bool, JsError> {
        self.op("togglePlay", Op::TogglePlay)?;
        Ok(self.handle.try_read().is_some_and(|m| m.playing))
    }

    /// Sets the speed: simulated milliseconds per real millisecond, from 0.001 to 1.
    #[wasm_bindgen(js_name = setSpeed)]
    pub fn set_speed(&self, speed: JsValue) -> Result<(), JsError> {
        let s = speed_arg("setSpeed", &speed)?;
        self.op("setSpeed", Op::SetSlowdown(clamp_slowdown(1.0 / s)))
    }

    /// Pauses and runs to the next event; returns the new virtual time (ms).
    pub fn step(&self) -> Result<f64, JsError> {
        self.op("step", Op::Step)?;
        Ok(self.now())
    }

    /// Runs `ms` virtual milliseconds at once (0 to 3,600,000); returns the new virtual time.
    pub fn advance(&self, ms: JsValue) -> Result<f64, JsError> {
        let ms = int_arg("advance", "ms", &ms, 0, 3_600_000)?;
        self.op("advance", Op::Advance(ms))?;
        Ok(self.now())
    }

    /// Virtual time (ms).
    pub fn now(&self) -> f64 {
        self.handle.try_read().map_or(0.0, |m| m.cluster.now() as f64)
    }

    /// Everything on the page as a plain object: servers (with logs), messages,
    /// client writes, the safety verdict, recent events.
    pub fn state(&self) -> Result<JsValue, JsError> {
        let m = self.handle.try_read().ok_or_else(|| err("state", "the page is busy; try again"))?;
        let st = page_state(&m);
        st.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| err("state", e))
    }

    /// Opens a server's menu (`null` closes it).
    pub fn select(&self, server: JsValue) -> Result<(), JsError> {
        let id = if server.is_null() || server.is_undefined() {
            None
        } else {
            Some(server_arg("select", &server, self.servers())?)
        };
        self.op("select", Op::Select(id))
    }

    /// Shows or hides the help sheet.
    pub fn help(&self) -> Result<(), JsError> {
        self.op("help", Op::ToggleHelp)
    }

    /// Closes menus, the inspector and the help sheet.
    pub fn escape(&self) -> Result<(), JsError> {
        self.op("escape", Op::Escape)
    }

    /// Shows a panel: "logs", "client", "events", "servers", "network", "settings" or "legend".
    #[wasm_bindgen(js_name = showPanel)]
    pub fn show_panel(&self, name: JsValue) -> Result<(), JsError> {
        let s = name.as_string().unwrap_or_default();
        let tab = Tab::ALL.iter().copied().find(|t| t.id() == s).ok_or_else(|| {
            err(
                "showPanel",
                format!(
                    "expected one of logs, client, events, servers, network, settings, legend; got {}",
                    show(&name)
                ),
            )
        })?;
        self.op("showPanel", Op::Tab(tab))
    }

    /// Starts a new run: `reset({ servers: 5, seed: 42 })` (a fresh seed when none is given).
    pub fn reset(&self, options: JsValue) -> Result<(), JsError> {
        const M: &str = "reset";
        let (mut servers, mut seed) = (self.servers(), None);
        if !options.is_undefined() && !options.is_null() {
            if !options.is_object() {
                return Err(err(
                    M,
                    format!("options must be an object such as {{ servers: 5, seed: 42 }}, got {}", show(&options)),
                ));
            }
            let get = |k: &str| js_sys::Reflect::get(&options, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
            let v = get("servers");
            if !v.is_undefined() {
                servers = int_arg(M, "servers", &v, 3, 9)? as usize;
            }
            let v = get("seed");
            if !v.is_undefined() {
                seed = Some(int_arg(M, "seed", &v, 0, MAX_SEED)?);
            }
        }
        let seed = seed.unwrap_or_else(crate::ui::model::fresh_seed);
        self.op(M, Op::Restart(page_config(servers, seed)))
    }

    /// Changes the message delay range (ms) for new messages.
    #[wasm_bindgen(js_name = setLatency)]
    pub fn set_latency(&self, lo: JsValue, hi: JsValue) -> Result<(), JsError> {
        let lo = int_arg("setLatency", "the shortest delay", &lo, 0, 3_600_000)?;
        let hi = int_arg("setLatency", "the longest delay", &hi, 0, 3_600_000)?;
        self.op("setLatency", Op::Sim(Action::SetLatency { lo, hi }))
    }

    /// Changes the share of messages the network loses (0 to 1).
    #[wasm_bindgen(js_name = setLossRate)]
    pub fn set_loss_rate(&self, rate: JsValue) -> Result<(), JsError> {
        match rate.as_f64() {
            Some(r) if (0.0..=1.0).contains(&r) => self.op("setLossRate", Op::Sim(Action::SetDropRate { rate: r })),
            _ => Err(err("setLossRate", format!("the loss rate must be a number from 0 to 1, got {}", show(&rate)))),
        }
    }

    /// Changes the election timeout range (ms).
    #[wasm_bindgen(js_name = setElectionTimeout)]
    pub fn set_election_timeout(&self, lo: JsValue, hi: JsValue) -> Result<(), JsError> {
        let lo = int_arg("setElectionTimeout", "the shortest timeout", &lo, 1, 3_600_000)?;
        let hi = int_arg("setElectionTimeout", "the longest timeout", &hi, 1, 3_600_000)?;
        self.op("setElectionTimeout", Op::Sim(Action::SetElectionTimeout { lo, hi }))
    }

    /// Changes the heartbeat interval (ms).
    #[wasm_bindgen(js_name = setHeartbeat)]
    pub fn set_heartbeat(&self, ms: JsValue) -> Result<(), JsError> {
        let ms = int_arg("setHeartbeat", "the heartbeat interval", &ms, 1, 3_600_000)?;
        self.op("setHeartbeat", Op::Sim(Action::SetHeartbeat { ms }))
    }

    /// The trace hash (16 hex digits): equal hashes, equal runs.
    #[wasm_bindgen(js_name = traceHash)]
    pub fn trace_hash(&self) -> String {
        self.handle.try_read().map_or_else(String::new, |m| format!("{:016x}", m.cluster.trace_hash()))
    }
}

/// The default speed (simulated ms per real ms), for pages that want to restore it.
#[wasm_bindgen(js_name = defaultSpeed)]
pub fn default_speed() -> f64 {
    1.0 / DEFAULT_SLOWDOWN
}
