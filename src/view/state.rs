//! The plain object `raftPlayground.state()` returns ([`page_state`]): every
//! server with its log, the messages in flight and just lost, the client's
//! writes, the safety verdict and the latest events (each with its data, as
//! [`EventState`]). Field names are camelCase in JavaScript.

use super::events::{write_event, EventState};
use super::json::Json;
use super::members::members;
use super::message::glance;
use super::model::Model;
use super::theme::{kind_name, state_word};
use crate::sim::{InFlight, LossCause, OpStatus, Role};
use crate::sorted_map::SortedMap;
use serde::Serialize;

/// How many of the latest events `state()` lists (newest first).
pub const EVENTS_SHOWN: usize = 30;

/// A log entry.
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct EntryState {
    pub index: u64,
    pub term: u64,
    pub command: String,
    pub committed: bool,
}

/// The leader's nextIndex and matchIndex for one follower.
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ProgressState {
    pub peer: String,
    pub next_index: u64,
    pub match_index: u64,
}

/// A server's snapshot (log compaction): the last index and term it replaces.
#[cfg(feature = "compaction")]
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
pub struct SnapshotState {
    pub index: u64,
    pub term: u64,
}

/// A server: `role` is "follower", "candidate", "leader" or "crashed";
/// `member` its place in the configuration in force, "voter", "learner" or
/// "removed" ([`members`]); `votes` are the votes it received as a
/// candidate; `progress` is filled for the leader.
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ServerState {
    pub id: u8,
    pub name: String,
    pub role: &'static str,
    pub member: &'static str,
    pub up: bool,
    pub disconnected: bool,
    pub group: u32,
    pub term: u64,
    pub voted_for: Option<String>,
    pub votes: Vec<String>,
    pub commit_index: u64,
    pub last_applied: u64,
    pub log: Vec<EntryState>,
    /// Its snapshot's last included index and term (log compaction; `null`: none).
    #[cfg(feature = "compaction")]
    pub snapshot: Option<SnapshotState>,
    pub kv: SortedMap<String, i64>,
    pub election_deadline: Option<u64>,
    pub progress: Vec<ProgressState>,
}

/// A message in flight: `term` is `null` for the client's messages, `ok` says
/// whether a reply is a yes, `progress` runs from 0 (sent) to 1 (arrived).
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct MessageState {
    pub id: u64,
    pub from: String,
    pub to: String,
    pub kind: &'static str,
    pub term: Option<u64>,
    pub reply: bool,
    pub ok: Option<bool>,
    pub summary: String,
    pub sent_at: u64,
    pub arrive_at: u64,
    pub progress: f64,
    pub duplicate: bool,
}

/// A message lost in the last moments, and why.
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct LostState {
    pub id: u64,
    pub kind: &'static str,
    pub cause: &'static str,
    pub lost_at: u64,
}

/// A client write or read: `status` is "pending", "acknowledged" or "failed";
/// `landed` lists where it was appended ("S1#4").
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct OpState {
    pub id: u64,
    pub command: String,
    pub status: &'static str,
    pub index: Option<u64>,
    pub by: Option<String>,
    pub reason: Option<String>,
    pub target: Option<String>,
    pub attempts: u32,
    pub landed: Vec<String>,
    /// A read's answer once it came (`null` in JSON for a key never written); absent for writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Option<i64>>,
}

/// A broken safety property.
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ViolationState {
    pub property: &'static str,
    pub explanation: String,
    pub time: u64,
    pub servers: Vec<String>,
}

/// The safety verdict: `safe` while no property broke.
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct SafetyState {
    pub safe: bool,
    pub violations: Vec<ViolationState>,
}

/// Everything on the page. `speed` is virtual ms per real ms; `events` are
/// the latest [`EVENTS_SHOWN`], newest first, of `eventCount` (all of them:
/// `raftPlayground.events(from, count)`).
#[allow(missing_docs)]
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct PageState<'a> {
    pub now: u64,
    pub playing: bool,
    pub speed: f64,
    pub seed: u64,
    pub leader: Option<String>,
    pub servers: Vec<ServerState>,
    pub messages: Vec<MessageState>,
    pub lost: Vec<LostState>,
    pub client: Vec<OpState>,
    pub safety: SafetyState,
    pub events: Vec<EventState<'a>>,
    pub event_count: usize,
    pub warnings: Vec<String>,
    pub selected: Option<String>,
    pub trace_hash: String,
}

/// Everything on the page as JSON, as `state()` returns it: what
/// [`page_state`] holds, in the shape its serde derive gives (camelCase keys,
/// in the order of the fields), written straight from the model without
/// serde_json and without building a [`PageState`] first (no `String` per
/// server name, vote and log entry, no `Vec` per list: smaller page code).
/// `tests/view.rs` checks that it parses to exactly what serde_json writes
/// for [`page_state`].
pub fn state_json(m: &Model) -> String {
    let c = m.cluster();
    let now = c.now();
    let member = members(c);
    let mut j = Json::new();
    j.open().key("now").uint(now).key("playing").bool(m.playing).key("speed").num(m.speed);
    j.key("seed").uint(m.start.seed).key("leader").opt_node_name(c.leader()).key("servers").open_list();
    for s in c.servers() {
        let n = s.raft();
        j.open().key("id").uint(s.id().0 as u64).key("name").node_name(s.id());
        j.key("role").str(state_word(s.role(), s.is_up())).key("member").str(member[s.id().index()].word());
        j.key("up").bool(s.is_up()).key("disconnected").bool(s.is_disconnected()).key("group").uint(s.group() as u64);
        j.key("term").uint(s.term()).key("votedFor").opt_node_name(s.voted_for()).key("votes").open_list();
        for &v in n.votes() {
            j.node_name(v);
        }
        j.close_list().key("commitIndex").uint(s.commit_index()).key("lastApplied").uint(n.last_applied());
        j.key("log").open_list();
        for e in s.log() {
            j.open().key("index").uint(e.index).key("term").uint(e.term).key("command").display(&e.command);
            j.key("committed").bool(e.index <= s.commit_index()).close();
        }
        j.close_list();
        #[cfg(feature = "compaction")]
        match n.snapshot() {
            sn if sn.index > 0 => {
                j.key("snapshot").open().key("index").uint(sn.index).key("term").uint(sn.term).close()
            }
            _ => j.key("snapshot").null(),
        };
        j.key("kv").open();
        for (k, v) in n.kv() {
            j.key(k).int(*v);
        }
        j.close().key("electionDeadline").opt_uint(s.election_timer().map(|t| t.deadline)).key("progress").open_list();
        if s.is_up() && s.role() == Role::Leader {
            for p in c.servers().iter().filter(|p| p.id() != s.id()) {
                if let Some(pr) = s.progress(p.id()) {
                    j.open().key("peer").node_name(p.id()).key("nextIndex").uint(pr.next_index);
                    j.key("matchIndex").uint(pr.match_index).close();
                }
            }
        }
        j.close_list().close();
    }
    j.close_list().key("messages").open_list();
    for x in c.messages() {
        let g = glance(&x.payload);
        j.open().key("id").uint(x.id).key("from").display(&x.from).key("to").display(&x.to);
        j.key("kind").str(kind_name(g.kind)).key("term").opt_uint(g.term).key("reply").bool(g.reply).key("ok");
        match g.ok {
            Some(ok) => j.bool(ok),
            None => j.null(),
        };
        j.key("summary").str(&x.payload.summary()).key("sentAt").uint(x.sent_at).key("arriveAt").uint(x.arrive_at);
        j.key("progress").num(x.progress(now)).key("duplicate").bool(x.duplicate).close();
    }
    j.close_list().key("lost").open_list();
    for l in c.lost_messages() {
        j.open().key("id").uint(l.message.id).key("kind").str(kind_name(l.message.payload.kind()));
        j.key("cause").str(cause_text(l.cause)).key("lostAt").uint(l.lost_at).close();
    }
    j.close_list().key("client").open_list();
    for o in c.client_ops() {
        j.open().key("id").uint(o.id).key("command").display(&o.command).key("status");
        match &o.status {
            OpStatus::Pending => j.str("pending").key("index").null().key("by").null().key("reason").null(),
            OpStatus::Acked { index, by, .. } => {
                j.str("acknowledged").key("index").uint(*index).key("by").node_name(*by).key("reason").null()
            }
            OpStatus::Failed { reason, .. } => {
                j.str("failed").key("index").null().key("by").null().key("reason").str(reason)
            }
        };
        j.key("target").opt_node_name(o.target).key("attempts").uint(o.attempts as u64).key("landed").open_list();
        for l in &o.landed {
            j.display(&format_args!("{}#{}", l.node, l.index));
        }
        j.close_list();
        if let Some(v) = o.answer {
            j.key("value").opt_int(v);
        }
        j.close();
    }
    let vs = c.violations();
    j.close_list().key("safety").open().key("safe").bool(vs.is_empty()).key("violations").open_list();
    for v in vs {
        j.open().key("property").str(v.property.name()).key("explanation").str(&v.explanation);
        j.key("time").uint(v.time).key("servers").open_list();
        for &n in &v.nodes {
            j.node_name(n);
        }
        j.close_list().close();
    }
    j.close_list().close().key("events").open_list();
    for e in c.events().iter().rev().take(EVENTS_SHOWN) {
        write_event(&mut j, e);
    }
    j.close_list().key("eventCount").uint(c.events().len() as u64).key("warnings").strs(&c.config().warnings());
    j.key("selected").opt_node_name(m.selected).key("traceHash").display(&format_args!("{:016x}", c.trace_hash()));
    j.close();
    j.finish()
}

/// A message in flight at virtual time `now`.
pub fn message_state(m: &InFlight, now: u64) -> MessageState {
    let g = glance(&m.payload);
    MessageState {
        id: m.id,
        from: m.from.to_string(),
        to: m.to.to_string(),
        kind: kind_name(g.kind),
        term: g.term,
        reply: g.reply,
        ok: g.ok,
        summary: m.payload.summary(),
        sent_at: m.sent_at,
        arrive_at: m.arrive_at,
        progress: m.progress(now),
        duplicate: m.duplicate,
    }
}

/// Why a message was lost, as `state().lost[i].cause` says it.
pub fn cause_text(cause: LossCause) -> &'static str {
    match cause {
        LossCause::Random => "random loss",
        LossCause::Cut => "cut by a partition",
        LossCause::ReceiverDown => "receiver crashed",
        LossCause::Dropped => "dropped by hand",
    }
}

/// Everything on the page, as `state()` returns it.
pub fn page_state(m: &Model) -> PageState<'_> {
    let c = &m.cluster();
    let now = c.now();
    let member = members(c);
    PageState {
        now,
        playing: m.playing,
        speed: m.speed,
        seed: m.start.seed,
        leader: c.leader().map(|l| l.to_string()),
        servers: c
            .servers()
            .iter()
            .map(|s| {
                let is_leader = s.is_up() && s.role() == Role::Leader;
                ServerState {
                    id: s.id().0,
                    name: s.id().to_string(),
                    role: state_word(s.role(), s.is_up()),
                    member: member[s.id().index()].word(),
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
                    #[cfg(feature = "compaction")]
                    snapshot: Some(s.raft().snapshot())
                        .filter(|sn| sn.index > 0)
                        .map(|sn| SnapshotState { index: sn.index, term: sn.term }),
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
                kind: kind_name(l.message.payload.kind()),
                cause: cause_text(l.cause),
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
                    value: o.answer,
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
        events: c.events().iter().rev().take(EVENTS_SHOWN).map(EventState::from).collect(),
        event_count: c.events().len(),
        warnings: c.config().warnings(),
        selected: m.selected.map(|s| s.to_string()),
        trace_hash: format!("{:016x}", c.trace_hash()),
    }
}
