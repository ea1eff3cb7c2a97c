//! The side column's panels: client, event feed, servers' state, network,
//! setup, legend, and the help sheet.

use super::model::{page_config, Model, Op, Tab};
use super::ring::{glyph, group_letter};
use super::store::Handle;
use super::theme::*;
use crate::sim::{Action, Command, Config, EventKind, MessageKind, NodeId, OpStatus, Role};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of the panels that read the model themselves and redraw when `key_` changes.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The model.
    pub handle: Handle,
    /// Redraw when this changes.
    pub key_: u64,
}

fn hash_of<T: Hash>(t: T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// The fingerprint of a panel's inputs (always including the run, so a new
/// run redraws every panel even when its counts happen to match).
pub fn panel_key(m: &Model, tab: Tab) -> u64 {
    hash_of((m.run, panel_inputs(m, tab)))
}

fn panel_inputs(m: &Model, tab: Tab) -> u64 {
    let c = &m.cluster;
    match tab {
        Tab::Logs => 0,
        Tab::Events => hash_of((c.events().len(), tab.id())),
        Tab::Client => hash_of((
            c.client_ops().iter().map(|o| (o.attempts, o.landed.len(), format!("{:?}", o.status))).collect::<Vec<_>>(),
            &m.draft_key,
            m.draft_value,
            c.client_leader(),
        )),
        Tab::Servers => hash_of(
            c.servers()
                .iter()
                .map(|s| {
                    (
                        s.term(),
                        s.voted_for(),
                        s.commit_index(),
                        s.raft().last_applied(),
                        s.is_up(),
                        s.role() as u8,
                        s.log().len(),
                        s.is_disconnected(),
                    )
                })
                .collect::<Vec<_>>(),
        ),
        Tab::Network => hash_of((
            c.servers().iter().map(|s| (s.group(), s.is_disconnected(), s.is_up())).collect::<Vec<_>>(),
            c.leader(),
            c.servers().len(),
        )),
        Tab::Settings => hash_of((format!("{:?}", c.config()), &m.start.seed)),
        Tab::Legend => 1,
    }
}

/// Every kind of event, in the order the legend lists them.
pub const EVENT_KINDS: [EventKind; 11] = [
    EventKind::Start,
    EventKind::Election,
    EventKind::Replication,
    EventKind::Commit,
    EventKind::Client,
    EventKind::Fault,
    EventKind::Network,
    EventKind::Tamper,
    EventKind::Settings,
    EventKind::Transfer,
    EventKind::Violation,
];

/// What a kind of event covers (the legend's words).
fn event_meaning(k: EventKind) -> &'static str {
    match k {
        EventKind::Start => "servers starting: the cluster's start and restarts after a crash",
        EventKind::Election => "election timeouts, votes, new leaders, stepping down",
        EventKind::Replication => "entries appended, rejected, removed or retried",
        EventKind::Commit => "entries committed (stored on a majority)",
        EventKind::Client => "the client's writes: sent, redirected, retried, acknowledged, failed",
        EventKind::Fault => "a server crashed",
        EventKind::Network => "partitions, disconnections, heals",
        EventKind::Tamper => "a message dropped or duplicated by hand (from the inspector)",
        EventKind::Settings => "timing or loss changed while running (Setup)",
        EventKind::Transfer => "leadership transfer",
        EventKind::Violation => "a safety property broke",
    }
}

fn event_icon(k: EventKind) -> (&'static str, &'static str) {
    match k {
        EventKind::Election => ("★", "election"),
        EventKind::Replication => ("≡", "replication"),
        EventKind::Commit => ("✓", "commit"),
        EventKind::Client => ("✎", "client"),
        EventKind::Start => ("↻", "start"),
        EventKind::Fault => ("✕", "fault"),
        EventKind::Network => ("✂", "network"),
        EventKind::Tamper => ("⊘", "tamper"),
        EventKind::Settings => ("⚙", "settings"),
        EventKind::Transfer => ("♛", "transfer"),
        EventKind::Violation => ("!", "violation"),
    }
}

/// How many events the feed shows.
const FEED_LEN: usize = 100;

/// The event feed, newest first.
#[component]
pub fn EventFeed(props: &PanelProps) -> Html {
    let Some(m) = props.handle.try_read() else { return html! {} };
    let ev = m.cluster.events();
    // Keyed by position in the trace, so a new event inserts one row instead of rewriting all.
    let shown = ev.iter().enumerate().rev().take(FEED_LEN);
    html! {
        <div class="panel-body feed-wrap">
            <ol class="feed" aria-label="Events, newest first" aria-live="off">
                { for shown.map(|(i, e)| {
                    let (icon, kind) = event_icon(e.kind());
                    html! {
                        <li key={i as u64} class={classes!("ev", format!("ev-{kind}"))}>
                            <span class="ev-icon" title={kind}>{ icon }</span>
                            <span class="ev-time">{ format!("{:.3}s", e.time as f64 / 1000.0) }</span>
                            <span class="ev-text">{ e.text() }</span>
                        </li>
                    }
                }) }
            </ol>
            if ev.len() > FEED_LEN {
                <p class="muted small">{ format!("…and {} older events.", ev.len() - FEED_LEN) }</p>
            }
        </div>
    }
}

/// The client panel: a write form and every write with its fate.
#[component]
pub fn ClientPanel(props: &PanelProps) -> Html {
    let h = props.handle.clone();
    let Some(m) = h.try_read() else { return html! {} };
    let (key, value) = (m.draft_key.clone(), m.draft_value);
    let on_key = {
        let h = h.clone();
        Callback::from(move |e: InputEvent| {
            let k = e.target_unchecked_into::<HtmlInputElement>().value();
            h.send(Op::Draft(k, value));
        })
    };
    let on_value = {
        let h = h.clone();
        let key = key.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(v) = v.trim().parse::<i64>() {
                h.send(Op::Draft(key.clone(), v));
            }
        })
    };
    let submit = {
        let h = h.clone();
        let key = key.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            h.send(Op::Sim(Action::Write { command: Command::set(&key, value), to: None }));
        })
    };
    let ops = m.cluster.client_ops();
    let believed = m.cluster.client_leader();
    html! {
        <div class="panel-body">
            <form class="write-form" onsubmit={submit} aria-label="Client write">
                <label>{ "key" }<input type="text" value={key.clone()} oninput={on_key} maxlength="16" size="5"
                    aria-label="Key to write" title="1 to 16 letters, digits or _" /></label>
                <span class="arrow">{ "←" }</span>
                <label>{ "value" }<input type="number" value={value.to_string()} oninput={on_value} size="5"
                    aria-label="Value to write" /></label>
                <button type="submit" class="primary" title="The simulated client sends the write to the server it believes leads; it follows redirects and retries elsewhere when no answer comes.">
                    { "Write" }</button>
            </form>
            <p class="muted small client-belief">{ match believed {
                Some(l) => format!("The client believes the leader is {l}."),
                None => "The client does not know the leader yet.".to_string(),
            } }{ " A write is acknowledged once the leader has it on a majority (committed)." }</p>
            if ops.is_empty() {
                <p class="muted small">{ "No writes yet." }</p>
            }
            <ol class="ops" aria-label="The client's writes, newest first">
                { for ops.iter().rev().take(60).map(|o| {
                    let (cls, status) = match &o.status {
                        OpStatus::Pending => ("pending", format!("pending — attempt {} at {}", o.attempts, who(o.target))),
                        OpStatus::Acked { index, term, by, at } => ("acked", format!("acknowledged by {by} at {:.3}s: index {index}, term {term}", *at as f64 / 1000.0)),
                        OpStatus::Failed { reason, .. } => ("failed", format!("failed: {reason}")),
                    };
                    let icon = match cls { "pending" => "…", "acked" => "✓", _ => "✗" };
                    let landed = if o.landed.is_empty() {
                        "not in any leader's log yet".to_string()
                    } else {
                        o.landed.iter().map(|l| format!("{} #{} (t{})", l.node, l.index, l.term)).collect::<Vec<_>>().join(", ")
                    };
                    html! {
                        <li key={o.id} class={classes!("op", cls)}>
                            <span class="op-icon" aria-hidden="true">{ icon }</span>
                            <span class="op-cmd">{ format!("#{} {}", o.id, o.command) }</span>
                            <span class="op-status">{ status }</span>
                            <span class="op-landed muted">{ format!("landed: {landed}") }</span>
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

/// Every server's internals and key-value state.
#[component]
pub fn ServersPanel(props: &PanelProps) -> Html {
    let Some(m) = props.handle.try_read() else { return html! {} };
    let c = &m.cluster;
    html! {
        <div class="panel-body">
            <table class="state-table">
                <thead><tr>
                    <th scope="col">{ "server" }</th><th scope="col">{ "role" }</th><th scope="col" title="current term">{ "term" }</th>
                    <th scope="col" title="whom it voted for in its current term">{ "voted" }</th>
                    <th scope="col" title="commit index">{ "commit" }</th><th scope="col" title="last applied index">{ "applied" }</th>
                    <th scope="col" title="its key-value state: what it has applied">{ "key-value state" }</th>
                </tr></thead>
                <tbody>
                { for c.servers().iter().map(|s| {
                    let role = if s.is_up() { role_word(s.role()) } else { "crashed" };
                    let kv = s.raft().kv();
                    html! {
                        <tr class={classes!(if s.is_up() { "" } else { "down" })} data-kv={s.id().0.to_string()}>
                            <th scope="row">{ s.id().to_string() }</th>
                            <td>{ role }{ if s.is_disconnected() { " ✂" } else { "" } }</td>
                            <td><span class="term-chip" style={term_var(s.term())}>{ s.term() }</span></td>
                            <td>{ who(s.voted_for()) }</td>
                            <td>{ s.commit_index() }</td>
                            <td>{ s.raft().last_applied() }</td>
                            <td class="kv">
                                if kv.is_empty() { <span class="muted">{ "empty" }</span> }
                                { for kv.iter().map(|(k, v)| html! { <span class="kv-chip" data-key={k.clone()}>{ format!("{k}={v}") }</span> }) }
                            </td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            <p class="muted small">{ "A crashed server keeps its term, vote and log (on disk) but forgets its commit index and key-value state until it relearns them." }</p>
        </div>
    }
}

/// Partitions and disconnections.
#[component]
pub fn NetworkPanel(props: &PanelProps) -> Html {
    let h = props.handle.clone();
    let n = h.try_read().map_or(0, |m| m.cluster.servers().len());
    // The groups being chosen start as the groups in force (no partition: everyone in A).
    let current: Vec<u32> =
        h.try_read().map(|m| m.cluster.servers().iter().map(|s| s.group().max(1)).collect()).unwrap_or_default();
    let groups = use_state(|| current.clone());
    {
        let groups = groups.clone();
        use_effect_with(current, move |c| groups.set(c.clone()));
    }
    let Some(m) = h.try_read() else { return html! {} };
    let c = &m.cluster;
    let leader = c.leader();
    let apply = {
        let h = h.clone();
        let groups = groups.clone();
        Callback::from(move |_| {
            let mut by: Vec<Vec<NodeId>> = vec![Vec::new(); 3];
            for i in 0..n {
                let g = groups.get(i).copied().unwrap_or(1).clamp(1, 3);
                by[(g - 1) as usize].push(NodeId::from_index(i));
            }
            by.retain(|g| !g.is_empty());
            h.send(Op::Sim(Action::Partition { groups: by }));
        })
    };
    let heal = {
        let h = h.clone();
        Callback::from(move |_| h.send(Op::Sim(Action::Heal)))
    };
    let isolate = {
        let h = h.clone();
        let groups = groups.clone();
        Callback::from(move |_| {
            if let Some(l) = leader {
                let others: Vec<NodeId> = (0..n).map(NodeId::from_index).filter(|&x| x != l).collect();
                let g: Vec<u32> = (0..n).map(|i| if i == l.index() { 1 } else { 2 }).collect();
                groups.set(g);
                h.send(Op::Sim(Action::Partition { groups: vec![vec![l], others] }));
            }
        })
    };
    html! {
        <div class="panel-body">
            <p class="small">{ "Put each server in a group, then apply: servers in different groups cannot reach each other (the client still reaches everyone). Cut links are drawn dashed with a ✕." }</p>
            <table class="groups-table">
                <thead><tr><th scope="col">{ "server" }</th><th scope="col">{ "group" }</th><th scope="col">{ "now" }</th><th scope="col">{ "link" }</th></tr></thead>
                <tbody>
                { for c.servers().iter().enumerate().map(|(i, s)| {
                    let id = s.id();
                    let chosen = groups.get(i).copied().unwrap_or(1);
                    let toggle = {
                        let h = h.clone();
                        let a = if s.is_disconnected() { Action::Reconnect { node: id } } else { Action::Disconnect { node: id } };
                        Callback::from(move |_| h.send(Op::Sim(a.clone())))
                    };
                    html! { <tr>
                        <th scope="row">{ id.to_string() }{ if leader == Some(id) { " ♛" } else { "" } }</th>
                        <td class="seg" role="group" aria-label={format!("Group of {id}")}>
                            { for (1..=3u32).map(|g| {
                                let groups = groups.clone();
                                let on = Callback::from(move |_| {
                                    let mut v = (*groups).clone();
                                    if let Some(x) = v.get_mut(i) {
                                        *x = g;
                                    }
                                    groups.set(v);
                                });
                                html! { <button class={classes!("seg-btn", (chosen == g).then_some("on"))}
                                    aria-pressed={(chosen == g).to_string()} onclick={on}
                                    aria-label={format!("Put {id} in group {}", group_letter(g))}>{ group_letter(g) }</button> }
                            }) }
                        </td>
                        <td>{ if s.group() == 0 { "—".to_string() } else { group_letter(s.group()) } }</td>
                        <td><button class="small-btn" onclick={toggle}
                            aria-label={format!("{} {id}", if s.is_disconnected() { "Reconnect" } else { "Disconnect" })}>
                            { if s.is_disconnected() { "Reconnect" } else { "Disconnect" } }</button></td>
                    </tr> }
                }) }
                </tbody>
            </table>
            <div class="row-buttons">
                <button class="primary" onclick={apply} title="Split the network into the chosen groups">{ "Apply partition" }</button>
                <button onclick={isolate} disabled={leader.is_none()} title="The leader alone on one side, everyone else on the other">{ "Isolate the leader" }</button>
                <button onclick={heal} title="Remove every partition and disconnection">{ "Heal" }</button>
            </div>
            <p class="muted small">{ format!("Now: {}", c.describe_groups()) }</p>
        </div>
    }
}

/// A sentence from an engine error: a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_ascii_uppercase(), c.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}

/// What a visitor typed, shown back briefly (long input is cut).
fn typed(s: &str) -> String {
    let t = s.trim();
    if t.chars().count() > 12 {
        format!("\"{}…\"", t.chars().take(12).collect::<String>())
    } else {
        format!("\"{t}\"")
    }
}

/// A whole number of milliseconds typed in a field.
fn ms_field(name: &str, s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("The {name} is empty: type a whole number of milliseconds."));
    }
    t.parse::<u64>().map_err(|_| format!("The {name} must be a whole number of milliseconds, not {}.", typed(t)))
}

/// The loss typed as a percentage, as a rate from 0 to 1.
fn loss_field(s: &str) -> Result<f64, String> {
    let t = s.trim();
    match t.parse::<f64>() {
        Ok(p) if p.is_finite() && (0.0..=100.0).contains(&p) => Ok(p / 100.0),
        _ if t.is_empty() => Err("The loss is empty: type a percentage from 0 to 100.".into()),
        _ => Err(format!("The loss must be a percentage from 0 to 100, not {}.", typed(t))),
    }
}

/// The engine's verdict on one setting, checked alone (on the default config
/// with only that setting changed): its sentence when refused.
fn engine_check(c: Config) -> Option<String> {
    c.validate().err().map(|e| sentence(&e.to_string()))
}

/// The Setup form's fields as typed, checked one by one.
struct SetupDraft {
    /// The config they give, when every field is valid.
    config: Option<Config>,
    /// What is wrong, in the order of the fields.
    timing_errors: Vec<String>,
    /// Which inputs are wrong: election lo, hi, heartbeat, latency lo, hi, loss.
    invalid: [bool; 6],
    /// The seed (`None` when blank: a fresh one), or why it is refused.
    seed: Result<Option<u64>, String>,
}

fn setup_draft(cur: &Config, servers: &str, seed: &str, f: [&str; 6]) -> SetupDraft {
    let el_lo = ms_field("shortest election timeout", f[0]);
    let el_hi = ms_field("longest election timeout", f[1]);
    let hb = ms_field("heartbeat", f[2]);
    let lat_lo = ms_field("shortest latency", f[3]);
    let lat_hi = ms_field("longest latency", f[4]);
    let loss = loss_field(f[5]);
    let mut errors = Vec::new();
    let mut invalid = [false; 6];
    for (k, r) in [&el_lo, &el_hi, &hb, &lat_lo, &lat_hi].into_iter().enumerate() {
        if let Err(e) = r {
            errors.push(e.clone());
            invalid[k] = true;
        }
    }
    let d = Config::default();
    if let (Ok(lo), Ok(hi)) = (&el_lo, &el_hi) {
        if let Some(e) = engine_check(Config { election_timeout_ms: (*lo, *hi), ..d.clone() }) {
            errors.push(e);
            invalid[0] = true;
            invalid[1] = true;
        }
    }
    if let Ok(ms) = &hb {
        if let Some(e) = engine_check(Config { heartbeat_ms: *ms, ..d.clone() }) {
            errors.push(e);
            invalid[2] = true;
        }
    }
    if let (Ok(lo), Ok(hi)) = (&lat_lo, &lat_hi) {
        if let Some(e) = engine_check(Config { latency_ms: (*lo, *hi), ..d.clone() }) {
            errors.push(e);
            invalid[3] = true;
            invalid[4] = true;
        }
    }
    if let Err(e) = &loss {
        errors.push(e.clone());
        invalid[5] = true;
    }
    let seed = match seed.trim() {
        "" => Ok(None),
        t => match t.parse::<u64>() {
            Ok(v) if v <= crate::api::MAX_SEED => Ok(Some(v)),
            _ => Err(format!(
                "The seed must be a whole number from 0 to {}, or blank for a fresh one; not {}.",
                crate::api::MAX_SEED,
                typed(t)
            )),
        },
    };
    let config = match (el_lo, el_hi, hb, lat_lo, lat_hi, loss) {
        (Ok(a), Ok(b), Ok(h), Ok(l), Ok(m), Ok(p)) if errors.is_empty() => {
            let c = Config {
                nodes: servers.parse::<usize>().unwrap_or(cur.nodes),
                election_timeout_ms: (a, b),
                heartbeat_ms: h,
                latency_ms: (l, m),
                drop_rate: p,
                ..cur.clone()
            };
            // The whole config, as the engine will see it.
            match c.validate() {
                Ok(()) => Some(c),
                Err(e) => {
                    errors.push(sentence(&e.to_string()));
                    None
                }
            }
        }
        _ => None,
    };
    SetupDraft { config, timing_errors: errors, invalid, seed }
}

/// Cluster size, seed and timing.
#[component]
pub fn SettingsPanel(props: &PanelProps) -> Html {
    let h = props.handle.clone();
    let init = h.try_read().map(|m| (m.cluster.config().clone(), m.start.seed)).unwrap_or_default();
    let cfg0 = init.0.clone();
    let servers = use_state(|| cfg0.nodes.to_string());
    let seed = use_state(|| init.1.to_string());
    let el_lo = use_state(|| cfg0.election_timeout_ms.0.to_string());
    let el_hi = use_state(|| cfg0.election_timeout_ms.1.to_string());
    let hb = use_state(|| cfg0.heartbeat_ms.to_string());
    let lat_lo = use_state(|| cfg0.latency_ms.0.to_string());
    let lat_hi = use_state(|| cfg0.latency_ms.1.to_string());
    let loss = use_state(|| format!("{}", (cfg0.drop_rate * 10_000.0).round() / 100.0));
    let Some(m) = h.try_read() else { return html! {} };
    let cur = m.cluster.config().clone();
    let draft = setup_draft(&cur, &servers, &seed, [&el_lo, &el_hi, &hb, &lat_lo, &lat_hi, &loss]);
    let timing_ok = draft.config.is_some();
    let same_timing = draft.config.as_ref().is_some_and(|d| {
        (d.election_timeout_ms, d.heartbeat_ms, d.latency_ms, d.drop_rate)
            == (cur.election_timeout_ms, cur.heartbeat_ms, cur.latency_ms, cur.drop_rate)
    });
    let warnings = draft.config.as_ref().map(|c| c.warnings()).unwrap_or_default();
    let input = |st: &UseStateHandle<String>| {
        let st = st.clone();
        Callback::from(move |e: InputEvent| st.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_servers = {
        let st = servers.clone();
        Callback::from(move |e: Event| st.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let apply_timing = {
        let h = h.clone();
        let d = draft.config.clone();
        let cur = cur.clone();
        Callback::from(move |_| {
            let Some(d) = &d else { return };
            // Only what changed: each change is an event of the run.
            let mut steps = Vec::new();
            if d.election_timeout_ms != cur.election_timeout_ms {
                steps.push(Action::SetElectionTimeout { lo: d.election_timeout_ms.0, hi: d.election_timeout_ms.1 });
            }
            if d.heartbeat_ms != cur.heartbeat_ms {
                steps.push(Action::SetHeartbeat { ms: d.heartbeat_ms });
            }
            if d.latency_ms != cur.latency_ms {
                steps.push(Action::SetLatency { lo: d.latency_ms.0, hi: d.latency_ms.1 });
            }
            if d.drop_rate != cur.drop_rate {
                steps.push(Action::SetDropRate { rate: d.drop_rate });
            }
            for a in steps {
                if h.dispatch(Op::Sim(a)).is_err() {
                    break;
                }
            }
        })
    };
    let new_run = {
        let h = h.clone();
        let d = draft.config.clone();
        let s = draft.seed.clone();
        let seed = seed.clone();
        Callback::from(move |_| {
            let (Some(d), Ok(s)) = (&d, &s) else { return };
            let s = s.unwrap_or_else(super::model::fresh_seed);
            seed.set(s.to_string());
            h.send(Op::Restart(Config { seed: s, ..d.clone() }));
        })
    };
    let random_seed = {
        let seed = seed.clone();
        Callback::from(move |_| seed.set(super::model::fresh_seed().to_string()))
    };
    let defaults = page_config(5, 0);
    let bad = |k: usize| draft.invalid[k].to_string();
    let run_ok = timing_ok && draft.seed.is_ok();
    let why_not = match (&draft.seed, timing_ok) {
        (Err(e), _) => Some(e.clone()),
        (Ok(_), false) => Some("A new run uses the timing below: make it valid first.".to_string()),
        _ => None,
    };
    html! {
        <div class="panel-body settings">
            <fieldset>
                <legend>{ "A new run" }</legend>
                <div class="form-row">
                    <label for="set-servers">{ "servers" }</label>
                    <select id="set-servers" onchange={on_servers} aria-label="Number of servers">
                        { for (3..=9).map(|k| html! { <option value={k.to_string()} selected={k.to_string() == *servers}>{ k }</option> }) }
                    </select>
                    <label for="set-seed">{ "seed" }</label>
                    <input id="set-seed" type="text" inputmode="numeric" size="8" value={(*seed).clone()} oninput={input(&seed)}
                        aria-label="Seed (blank: a fresh random one)" title="Same seed and same actions: the same run"
                        aria-invalid={draft.seed.is_err().to_string()} />
                    <button onclick={random_seed} title="Draw a fresh random seed" aria-label="Draw a fresh random seed">{ "New seed" }</button>
                    <button class="primary" onclick={new_run} disabled={!run_ok}
                        title="Start over with these servers, this seed and the timing below">{ "Start a new run" }</button>
                </div>
                if let Some(why) = why_not {
                    <p class="field-error" id="run-why">{ why }</p>
                }
            </fieldset>
            <fieldset>
                <legend>{ "Timing (changes the current run)" }</legend>
                <div class="timing">
                    <span class="fld"><label for="set-el">{ "election timeout" }</label>
                    <input id="set-el" type="number" min="1" value={(*el_lo).clone()} oninput={input(&el_lo)} aria-label="Shortest election timeout (ms)" aria-invalid={bad(0)} />
                    { "–" }<input type="number" min="1" value={(*el_hi).clone()} oninput={input(&el_hi)} aria-label="Longest election timeout (ms)" aria-invalid={bad(1)} />{ "ms" }</span>
                    <span class="fld"><label for="set-hb">{ "heartbeat" }</label>
                    <input id="set-hb" type="number" min="1" value={(*hb).clone()} oninput={input(&hb)} aria-label="Heartbeat interval (ms)" aria-invalid={bad(2)} />{ "ms" }</span>
                    <span class="fld"><label for="set-lat">{ "latency" }</label>
                    <input id="set-lat" type="number" min="0" value={(*lat_lo).clone()} oninput={input(&lat_lo)} aria-label="Shortest message delay (ms)" aria-invalid={bad(3)} />
                    { "–" }<input type="number" min="0" value={(*lat_hi).clone()} oninput={input(&lat_hi)} aria-label="Longest message delay (ms)" aria-invalid={bad(4)} />{ "ms" }</span>
                    <span class="fld"><label for="set-loss">{ "loss" }</label>
                    <input id="set-loss" type="number" min="0" max="100" value={(*loss).clone()} oninput={input(&loss)} aria-label="Share of messages lost (%)" aria-invalid={bad(5)} />{ "%" }</span>
                </div>
                if !draft.timing_errors.is_empty() {
                    <ul class="field-errors" role="alert" aria-label="Not valid">
                        { for draft.timing_errors.iter().map(|e| html! { <li>{ format!("✗ {e}") }</li> }) }
                    </ul>
                }
                <div class="form-row apply-row">
                    <button onclick={apply_timing} disabled={!timing_ok || same_timing}
                        title={if same_timing { "The current run already uses this timing" } else { "Change the current run's timing now" }}>{ "Apply timing now" }</button>
                    <span class="muted small">{ if !timing_ok { "Fix the timing first.".to_string() } else if same_timing { "The run already uses this timing.".to_string() } else { String::new() } }</span>
                    <span class="muted small">{ format!("Defaults: {}–{} ms, {} ms, {}–{} ms, 0%.", defaults.election_timeout_ms.0, defaults.election_timeout_ms.1, defaults.heartbeat_ms, defaults.latency_ms.0, defaults.latency_ms.1) }</span>
                </div>
                { for warnings.iter().map(|w| html! { <p class="warn" role="status">{ format!("⚠ {w}") }</p> }) }
            </fieldset>
            <p class="muted small">{ format!("This run: {} servers, seed {}. Share it: add ?seed={}&servers={} to the address.", m.start.nodes, m.start.seed, m.start.seed, m.start.nodes) }</p>
        </div>
    }
}

fn mini(content: Html) -> Html {
    html! { <svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true">{ content }</svg> }
}

/// What every shape and colour means.
#[component]
pub fn Legend() -> Html {
    let kinds = [
        (MessageKind::RequestVote, None, "RequestVote: a candidate asks for a vote"),
        (MessageKind::VoteReply, Some(true), "Vote reply: ✓ granted, ✗ refused"),
        (MessageKind::AppendEntries, None, "AppendEntries with entries (the number)"),
        (MessageKind::Heartbeat, None, "Heartbeat: empty AppendEntries"),
        (MessageKind::AppendReply, Some(false), "AppendEntries reply: ✓ stored, ✗ rejected"),
        (MessageKind::TimeoutNow, None, "TimeoutNow: leadership transfer"),
        (MessageKind::ClientRequest, None, "Client write"),
        (MessageKind::ClientReply, Some(true), "Reply to the client: ✓ committed"),
    ];
    html! {
        <div class="panel-body legend">
            <h3>{ "Servers" }</h3>
            <ul class="legend-list">
                <li>{ mini(html! { <g class="server role-follower"><circle class="body tf0" r="11" /></g> }) }{ "follower: circle" }</li>
                <li>{ mini(html! { <g class="server role-candidate"><polygon class="body tf0" points="12,0 6,10.4 -6,10.4 -12,0 -6,-10.4 6,-10.4" /><circle class="vote got" cx="-4" cy="5" r="2.2" /><circle class="vote need" cx="4" cy="5" r="2.2" /></g> }) }
                    <span>{ "candidate: dashed hexagon. Its dots and the " }<strong>{ "1/3" }</strong>{ " under it count votes: received so far / needed to win (a majority; ● received, ○ still needed)" }</span></li>
                <li>{ mini(html! { <g class="server role-leader"><circle class="body tf0" r="10" /><circle class="leader-ring" r="6.5" /><path class="crown" transform="translate(0 -11) scale(0.5)" d="M-13,4 L-15,-9 L-7,-2 L0,-12 L7,-2 L15,-9 L13,4 Z" /></g> }) }{ "leader: double ring and crown" }</li>
                <li>{ mini(html! { <g class="server role-crashed"><circle class="body down-fill" r="11" /><g class="crash-badge" transform="translate(8 -8) scale(0.7)"><circle r="10" /><path class="crash-x" d="M-4.5,-4.5 L4.5,4.5 M-4.5,4.5 L4.5,-4.5" /></g></g> }) }{ "crashed: hatched grey with ✕ badge" }</li>
                <li>{ mini(html! { <g class="server"><circle class="timer-track" r="12" /><circle class="timer" r="12" pathLength="100" transform="rotate(-90)" stroke-dasharray="60 100" /></g> }) }{ "election timer: the arc drains; at empty the server starts an election" }</li>
                <li>{ mini(html! { <><line class="link cut" x1="-14" y1="0" x2="14" y2="0" /><path class="cut-mark" d={super::ring::cut_mark(-14.0, 0.0, 14.0, 0.0)} /></> }) }{ "cut link (partition or disconnection)" }</li>
                <li>{ mini(html! { <g class="group-tag"><rect x="-9" y="-9" width="18" height="18" rx="4" /><text y="4.5">{ "A" }</text></g> }) }{ "partition group: servers with different letters cannot reach each other" }</li>
                <li>{ mini(html! { <g class="server disconnected"><circle class="body tf0" r="11" /></g> }) }{ "✂ disconnected: cut off from everyone (dotted outline)" }</li>
                <li>{ mini(html! { <g class="server selected"><circle class="halo" r="13" /><circle class="body tf0" r="9" /></g> }) }{ "dashed halo: the server whose menu is open, or the focused one" }</li>
                <li>{ mini(html! { <g class="client-box"><rect x="-15" y="-8" width="30" height="16" rx="4" /></g> }) }{ "the simulated client in the middle: it sends the writes" }</li>
            </ul>
            <p class="small">{ "Under each server: its role (and votes), then whom it voted for in its term (\"voted S2\", \"no vote yet\"), \"→ handing to S3\" while a leader transfers leadership, or \"✂ disconnected\"." }</p>
            <h3>{ "Terms" }</h3>
            <p class="small">{ "Each term has a colour (Okabe-Ito, safe for colour-blind eyes) and is always written as a number too. The fill of a server is its current term's colour; an entry's colour is the term it was created in." }</p>
            <div class="swatches">
                { for (1..=8u64).map(|t| html! { <span class="term-chip" style={term_var(t)}>{ format!("term {t}") }</span> }) }
            </div>
            <h3>{ "Messages" }</h3>
            <p class="small">{ "Requests travel on one side of the line between two servers, replies on the other. A lost message fades out with a ✕ where it was lost. A dashed outline marks a duplicate. Click a message to see every field." }</p>
            <ul class="legend-list">
                { for kinds.iter().map(|(k, ok, text)| html! {
                    <li>{ mini(glyph(*k, if matches!(k, MessageKind::ClientRequest | MessageKind::ClientReply) { 0 } else { 2 }, *ok, 2, false)) }{ *text }</li>
                }) }
            </ul>
            <h3>{ "Logs" }</h3>
            <ul class="legend-list">
                <li><span class="cell committed demo" style={term_var(2)}><span class="cmd">{"x←3"}</span><span class="t">{"t2"}</span></span>{ "committed entry: solid" }</li>
                <li><span class="cell uncommitted demo" style={term_var(2)}><span class="cmd">{"x←4"}</span><span class="t">{"t2"}</span></span>{ "not committed yet: hatched, dashed border" }</li>
                <li><span class="cell committed commit-edge demo" style={term_var(2)}><span class="cmd">{"y←1"}</span><span class="t">{"t2"}</span></span>{ "thick right edge: that server's commit index" }</li>
                <li><span class="mk mk-next demo-mk">{"n"}</span><span class="mk mk-match demo-mk">{"m"}</span>{ "the leader's nextIndex and matchIndex for that follower" }</li>
                <li><span class="glyph-demo">{ "♛" }</span>{ "after a server's name: it leads; " }<span class="glyph-demo">{ "✕" }</span>{ " it is crashed" }</li>
            </ul>
            <h3>{ "Events" }</h3>
            <ul class="legend-list events-legend">
                { for EVENT_KINDS.iter().map(|&k| {
                    let (icon, kind) = event_icon(k);
                    html! { <li class={format!("ev-{kind}")} data-event-kind={kind}><span class="ev-icon">{ icon }</span>{ event_meaning(k) }</li> }
                }) }
            </ul>
            <h3>{ "Client writes" }</h3>
            <ul class="legend-list">
                <li><span class="glyph-demo muted">{ "…" }</span>{ "pending: not acknowledged yet (the client retries elsewhere when no answer comes)" }</li>
                <li><span class="glyph-demo ok">{ "✓" }</span>{ "acknowledged: committed, with its index and term" }</li>
                <li><span class="glyph-demo bad">{ "✗" }</span>{ "failed: the client gave up on it (the reason is shown)" }</li>
            </ul>
            <h3>{ "Safety" }</h3>
            <p class="small">{ "The badge at the top stays green while the five safety properties of the Raft paper (Election Safety, Leader Append-Only, Log Matching, Leader Completeness, State Machine Safety) and acknowledged writes hold; it turns red with the monitor's explanation when one breaks." }</p>
        </div>
    }
}

/// A one-line key to the message shapes, under the ring when there is room.
#[component]
pub fn LegendStrip() -> Html {
    let item = |g: Html, text: &str| {
        html! { <span class="strip-item">{ mini(g) }{ text.to_string() }</span> }
    };
    html! {
        <div class="legend-strip" aria-label="Key to the message shapes (more in the Legend panel)">
            { item(glyph(MessageKind::RequestVote, 2, None, 0, false), "RequestVote") }
            { item(glyph(MessageKind::VoteReply, 2, Some(true), 0, false), "vote ✓/✗") }
            { item(glyph(MessageKind::AppendEntries, 2, None, 2, false), "AppendEntries (n entries)") }
            { item(glyph(MessageKind::Heartbeat, 2, None, 0, false), "heartbeat") }
            { item(glyph(MessageKind::AppendReply, 2, Some(true), 0, false), "append reply ✓/✗") }
            { item(glyph(MessageKind::TimeoutNow, 2, None, 0, false), "TimeoutNow") }
            { item(glyph(MessageKind::ClientRequest, 0, None, 0, false), "client write") }
            { item(html! { <path class="lost-x" d="M-6,-6 L6,6 M-6,6 L6,-6" /> }, "lost") }
            { item(html! { <><line class="link cut" x1="-14" y1="0" x2="14" y2="0" /><path class="cut-mark" d={super::ring::cut_mark(-14.0, 0.0, 14.0, 0.0)} /></> }, "cut link") }
            <span class="strip-item muted">{ "Colours = terms. Requests and replies use opposite sides of a link." }</span>
        </div>
    }
}

/// The help sheet's props.
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// The model.
    pub handle: Handle,
}

/// Keyboard shortcuts and how to read the page.
#[component]
pub fn Help(props: &HelpProps) -> Html {
    let close = {
        let h = props.handle.clone();
        Callback::from(move |_| h.send(Op::ToggleHelp))
    };
    // A modal dialog: it takes the focus when it opens and gives it back when it closes.
    let card = use_node_ref();
    {
        let card = card.clone();
        use_effect_with((), move |_| {
            let before = super::focus::active();
            if let Some(c) = card.cast::<web_sys::HtmlElement>() {
                let _ = c.focus();
            }
            move || {
                if let Some(b) = before {
                    super::focus::restore(&b);
                }
            }
        });
    }
    // Tab stays inside the dialog.
    let trap = {
        let card = card.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" {
                return;
            }
            e.prevent_default();
            if let Some(c) = card.cast::<web_sys::Element>() {
                let how = if e.shift_key() { super::focus::Move::Prev } else { super::focus::Move::Next };
                super::focus::move_focus(&c, "button, a[href], input, select, textarea", how);
            }
        })
    };
    let keys = [
        ("Space", "play / pause"),
        ("→ or ↓", "step to the next event"),
        ("1 … 9", "select a server (opens its menu)"),
        ("Enter", "open the focused server's menu"),
        ("↑ ↓", "move between the items of a server's menu"),
        ("← →", "move between the panels' tabs (when a tab has the focus)"),
        ("Esc", "close menus, the inspector and this help"),
        ("?", "show or hide this help"),
    ];
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label="Help" onclick={close.clone()} onkeydown={trap}>
            <section class="card help" ref={card} tabindex="-1" onclick={|e: MouseEvent| e.stop_propagation()}>
                <div class="menu-head"><strong>{ "Raft Playground — help" }</strong>
                    <button class="x" onclick={close} aria-label="Close help" title="Close (Esc)">{"×"}</button></div>
                <p>{ "A simulated Raft cluster runs in your browser, slowed down so you can follow every message. Servers elect a leader; the leader appends client writes to its log and replicates them; an entry is committed once a majority stores it. Break things and watch Raft recover." }</p>
                <table class="keys"><tbody>
                    { for keys.iter().map(|(k, v)| html! { <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *v }</td></tr> }) }
                </tbody></table>
                <p class="small">{ "Click a server for its menu: crash / restart, disconnect / reconnect, force an election timeout, transfer leadership, send it a client write. Click a message to see its fields and drop or duplicate it. The Network panel partitions the cluster; Setup changes size, seed and timing. The same seed and the same actions always give the same run." }</p>
                <p class="small">{ "Scripts can drive the page through window.raftPlayground (crash, restart, partition, write, state, ...)." }</p>
            </section>
        </div>
    }
}

/// Whether the leader role is held (for the state() object).
pub fn is_leader(role: Role, up: bool) -> bool {
    up && role == Role::Leader
}
