//! JSON as the page hands it to JavaScript (`state()`, `events()`,
//! `partition()`, `branches()`), written by hand: a small writer ([`Json`]) and the
//! engine's events in the shapes their serde derives give natively
//! ([`event_data`]). serde_json and the derived serializers would bring
//! about 10 KB (gzipped) of generic code into the page's wasm; the tests
//! (`tests/view.rs`) check that this writer's output parses to exactly what
//! serde_json writes for the same values, for every kind of event.
//!
//! Numbers: whole numbers as digits; the few fractions (`speed`, a message's
//! `progress`, a drop rate) as the shortest decimal that reads back as the
//! same number ([`crate::decimal::js_text`]), and `null` when not finite,
//! as serde_json does.

use crate::decimal;
use crate::raft::{
    Body, ClientReply, ClientTag, Command, ElectionReason, Entry, Message, ReadHow, RefuseReason, RejectReason, Role,
    WriteId,
};
use crate::sim::{Addr, EventData, Links, NodeId, Payload, Property, Setting, SwitchValue};
use std::fmt::Write;

/// A JSON text being written. Commas come by themselves: each value and key
/// is preceded by one unless it opens an object or a list or follows a key.
#[derive(Default, Debug)]
pub struct Json(String);

impl Json {
    /// An empty text.
    pub fn new() -> Json {
        Json(String::new())
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.0
    }

    fn sep(&mut self) {
        if !matches!(self.0.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.0.push(',');
        }
    }

    /// A key of the object being written; its value comes next.
    pub fn key(&mut self, k: &str) -> &mut Json {
        self.str(k);
        self.0.push(':');
        self
    }

    /// A string, escaped as serde_json escapes it.
    pub fn str(&mut self, s: &str) -> &mut Json {
        self.sep();
        self.0.push('"');
        for c in s.chars() {
            match c {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                '\n' => self.0.push_str("\\n"),
                '\r' => self.0.push_str("\\r"),
                '\t' => self.0.push_str("\\t"),
                '\u{8}' => self.0.push_str("\\b"),
                '\u{c}' => self.0.push_str("\\f"),
                c if c < ' ' => {
                    let _ = write!(self.0, "\\u{:04x}", c as u32);
                }
                c => self.0.push(c),
            }
        }
        self.0.push('"');
        self
    }

    /// A whole number.
    pub fn uint(&mut self, n: u64) -> &mut Json {
        self.sep();
        let _ = write!(self.0, "{n}");
        self
    }

    /// A whole number that may be negative.
    pub fn int(&mut self, n: i64) -> &mut Json {
        self.sep();
        let _ = write!(self.0, "{n}");
        self
    }

    /// Any number: the shortest decimal that reads back as `x`; `null` when
    /// it is not finite.
    pub fn num(&mut self, x: f64) -> &mut Json {
        if x.is_finite() {
            self.sep();
            self.0.push_str(&decimal::js_text(x));
            self
        } else {
            self.null()
        }
    }

    /// `true` or `false`.
    pub fn bool(&mut self, b: bool) -> &mut Json {
        self.sep();
        self.0.push_str(if b { "true" } else { "false" });
        self
    }

    /// `null`.
    pub fn null(&mut self) -> &mut Json {
        self.sep();
        self.0.push_str("null");
        self
    }

    /// `{`: an object begins.
    pub fn open(&mut self) -> &mut Json {
        self.sep();
        self.0.push('{');
        self
    }

    /// `}`: the object ends.
    pub fn close(&mut self) -> &mut Json {
        self.0.push('}');
        self
    }

    /// `[`: a list begins.
    pub fn open_list(&mut self) -> &mut Json {
        self.sep();
        self.0.push('[');
        self
    }

    /// `]`: the list ends.
    pub fn close_list(&mut self) -> &mut Json {
        self.0.push(']');
        self
    }

    /// A whole number, or `null`.
    pub fn opt_uint(&mut self, n: Option<u64>) -> &mut Json {
        match n {
            Some(n) => self.uint(n),
            None => self.null(),
        }
    }

    /// An optional signed number: the number, or `null`.
    pub fn opt_int(&mut self, n: Option<i64>) -> &mut Json {
        match n {
            Some(n) => self.int(n),
            None => self.null(),
        }
    }

    /// A string, or `null`.
    pub fn opt_str(&mut self, s: Option<&str>) -> &mut Json {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// A list of strings.
    pub fn strs<S: AsRef<str>>(&mut self, items: &[S]) -> &mut Json {
        self.open_list();
        for s in items {
            self.str(s.as_ref());
        }
        self.close_list()
    }

    /// Something written with its `Display`, as a string.
    pub fn display(&mut self, d: &dyn std::fmt::Display) -> &mut Json {
        self.str(&d.to_string())
    }

    /// A server by its name ("S3"), as a string.
    pub fn node_name(&mut self, n: NodeId) -> &mut Json {
        self.display(&n)
    }

    /// A server by its name, or `null`.
    pub fn opt_node_name(&mut self, n: Option<NodeId>) -> &mut Json {
        match n {
            Some(n) => self.node_name(n),
            None => self.null(),
        }
    }

    /// A server, as its number (`NodeId` is a newtype: serde writes its number).
    pub fn node(&mut self, n: NodeId) -> &mut Json {
        self.uint(n.0 as u64)
    }

    /// A server or `null`.
    pub fn opt_node(&mut self, n: Option<NodeId>) -> &mut Json {
        self.opt_uint(n.map(|n| n.0 as u64))
    }

    /// A list of servers, as numbers.
    pub fn nodes(&mut self, ns: &[NodeId]) -> &mut Json {
        self.open_list();
        for &n in ns {
            self.node(n);
        }
        self.close_list()
    }

    /// An enum variant holding one value (serde's external tagging):
    /// `{"AlreadyVoted":3}`; the value comes next, then [`Json::close`].
    fn variant(&mut self, name: &str) -> &mut Json {
        self.open().key(name)
    }
}

/// A command: `{"op":"set","key":"x","value":3}` or `{"op":"noop"}`.
pub fn command(j: &mut Json, c: &Command) {
    j.open().key("op");
    match c {
        Command::Set { key, value } => {
            j.str("set").key("key").str(key).key("value").int(*value);
        }
        Command::Noop => {
            j.str("noop");
        }
        #[cfg(feature = "membership")]
        Command::Config { change } => {
            j.str("config").key("change");
            config_change(j, change);
        }
    }
    j.close();
}

/// A log entry: `{"index":4,"term":2,"command":{...}}`, and its writer's
/// `"client":{...}` when it has one (serde skips it when `None`).
pub fn entry(j: &mut Json, e: &Entry) {
    j.open().key("index").uint(e.index).key("term").uint(e.term).key("command");
    command(j, &e.command);
    if let Some(id) = e.client {
        j.key("client");
        write_id(j, id);
    }
    j.close();
}

fn write_id(j: &mut Json, id: WriteId) {
    j.open().key("client").uint(id.client).key("seq").uint(id.seq);
    j.key("first_unanswered").uint(id.first_unanswered).close();
}

fn tag(j: &mut Json, t: ClientTag) {
    j.open().key("op").uint(t.op).key("attempt").uint(t.attempt as u64).close();
}

/// A vote's log check, as serde writes its four fields (`candidate_last_index`...).
fn log_check(j: &mut Json, d: &EventData) {
    let c = d.log_check().unwrap_or_default();
    j.key("candidate_last_index").uint(c.candidate_last_index).key("candidate_last_term").uint(c.candidate_last_term);
    j.key("own_last_index").uint(c.own_last_index).key("own_last_term").uint(c.own_last_term);
}

fn refuse_reason(j: &mut Json, r: &RefuseReason) {
    match r {
        RefuseReason::StaleTerm => j.str("StaleTerm"),
        RefuseReason::AlreadyVoted(n) => j.variant("AlreadyVoted").node(*n).close(),
        RefuseReason::LogBehind => j.str("LogBehind"),
        RefuseReason::LeaderAlive(n) => j.variant("LeaderAlive").node(*n).close(),
        RefuseReason::JustRestarted => j.str("JustRestarted"),
        #[cfg(feature = "membership")]
        RefuseReason::Removed => j.str("Removed"),
    };
}

fn switch_value(j: &mut Json, v: &SwitchValue) {
    match v {
        SwitchValue::Flag(b) => j.bool(*b),
        SwitchValue::Count(n) => j.uint(*n),
        SwitchValue::Choice(c) => j.str(c),
    };
}

fn entries(j: &mut Json, es: &[Entry]) {
    j.open_list();
    for e in es {
        entry(j, e);
    }
    j.close_list();
}

fn role(j: &mut Json, r: Role) {
    j.str(match r {
        Role::Follower => "Follower",
        Role::Candidate => "Candidate",
        Role::Leader => "Leader",
    });
}

fn addr(j: &mut Json, a: Addr) {
    match a {
        Addr::Node(n) => {
            j.variant("Node").node(n).close();
        }
        Addr::Client => {
            j.str("Client");
        }
    }
}

fn body(j: &mut Json, b: &Body) {
    match b {
        Body::RequestVote { last_log_index, last_log_term, transfer } => {
            j.variant("RequestVote").open();
            j.key("last_log_index").uint(*last_log_index).key("last_log_term").uint(*last_log_term);
            j.key("transfer").bool(*transfer).close().close();
        }
        Body::RequestVoteReply { granted } => {
            j.variant("RequestVoteReply").open().key("granted").bool(*granted).close().close();
        }
        Body::PreVote { last_log_index, last_log_term } => {
            j.variant("PreVote").open();
            j.key("last_log_index").uint(*last_log_index).key("last_log_term").uint(*last_log_term);
            j.close().close();
        }
        Body::PreVoteReply { granted } => {
            j.variant("PreVoteReply").open().key("granted").bool(*granted).close().close();
        }
        Body::AppendEntries { prev_log_index, prev_log_term, entries: es, leader_commit, round } => {
            j.variant("AppendEntries").open();
            j.key("prev_log_index").uint(*prev_log_index).key("prev_log_term").uint(*prev_log_term);
            j.key("entries");
            entries(j, es);
            j.key("leader_commit").uint(*leader_commit).key("round").uint(*round).close().close();
        }
        Body::AppendEntriesReply { success, match_index, prev_log_index, conflict_term, conflict_index, round } => {
            j.variant("AppendEntriesReply").open();
            j.key("success").bool(*success).key("match_index").uint(*match_index);
            j.key("prev_log_index").uint(*prev_log_index).key("conflict_term").uint(*conflict_term);
            j.key("conflict_index").uint(*conflict_index).key("round").uint(*round).close().close();
        }
        Body::TimeoutNow => {
            j.str("TimeoutNow");
        }
        #[cfg(feature = "compaction")]
        Body::InstallSnapshot { snapshot: snap, round } => {
            j.variant("InstallSnapshot").open().key("snapshot");
            snapshot(j, snap);
            j.key("round").uint(*round).close().close();
        }
        #[cfg(feature = "compaction")]
        Body::InstallSnapshotReply { last_index, round } => {
            j.variant("InstallSnapshotReply").open().key("last_index").uint(*last_index);
            j.key("round").uint(*round).close().close();
        }
    }
}

/// A snapshot as serde writes it (log compaction, not on the page yet).
#[cfg(feature = "compaction")]
fn snapshot(j: &mut Json, s: &crate::raft::Snapshot) {
    j.open().key("index").uint(s.index).key("term").uint(s.term).key("kv").open_list();
    for (k, v) in &s.kv {
        j.open_list().str(k).int(*v).close_list();
    }
    j.close_list().key("sessions").open_list();
    for (client, session) in &s.sessions {
        j.open_list().uint(*client).open().key("floor").uint(session.floor).key("results").open_list();
        for (seq, (index, term)) in &session.results {
            j.open_list().uint(*seq).open_list().uint(*index).uint(*term).close_list().close_list();
        }
        j.close_list().close().close_list();
    }
    j.close_list();
    #[cfg(feature = "membership")]
    {
        let c = &s.config;
        j.key("config").open().key("voters").nodes(&c.voters).key("learners").nodes(&c.learners);
        j.key("index").uint(c.index).key("removing").opt_node(c.removing).key("removed").nodes(&c.removed).close();
    }
    j.close();
}

/// A Raft message as serde writes it: `{"from":1,"to":2,"term":3,"body":{..}}`.
pub fn message(j: &mut Json, m: &Message) {
    j.open().key("from").node(m.from).key("to").node(m.to).key("term").uint(m.term).key("body");
    body(j, &m.body);
    j.close();
}

/// What a message carries, as serde writes [`Payload`].
pub fn payload(j: &mut Json, p: &Payload) {
    match p {
        Payload::Raft(m) => {
            j.variant("Raft");
            message(j, m);
            j.close();
        }
        Payload::ClientRequest { tag: t, command: c, id } => {
            j.variant("ClientRequest").open().key("tag");
            tag(j, *t);
            j.key("command");
            command(j, c);
            if let Some(id) = id {
                j.key("id");
                write_id(j, *id);
            }
            j.close().close();
        }
        Payload::ClientRead { tag: t, key } => {
            j.variant("ClientRead").open().key("tag");
            tag(j, *t);
            j.key("key").str(key).close().close();
        }
        Payload::ClientResponse { tag: t, reply } => {
            j.variant("ClientResponse").open().key("tag");
            tag(j, *t);
            j.key("reply");
            match reply {
                ClientReply::Committed { index, term } => {
                    j.variant("Committed").open().key("index").uint(*index).key("term").uint(*term).close().close();
                }
                ClientReply::Read { value, index, term } => {
                    j.variant("Read").open().key("value").opt_int(*value).key("index").uint(*index);
                    j.key("term").uint(*term).close().close();
                }
                ClientReply::NotLeader { leader } => {
                    j.variant("NotLeader").open().key("leader").opt_node(*leader).close().close();
                }
                ClientReply::Busy => {
                    j.str("Busy");
                }
            }
            j.close().close();
        }
    }
}

fn property(p: Property) -> &'static str {
    match p {
        Property::ElectionSafety => "ElectionSafety",
        Property::LeaderAppendOnly => "LeaderAppendOnly",
        Property::LogMatching => "LogMatching",
        Property::LeaderCompleteness => "LeaderCompleteness",
        Property::StateMachineSafety => "StateMachineSafety",
        Property::AckedWriteKept => "AckedWriteKept",
        Property::Linearizable => "Linearizable",
    }
}

/// An event as data: one object tagged by `type`, as serde writes
/// [`EventData`]: `{"type":"leader_elected","node":3,"term":4,"votes":[1,3,5]}`.
pub fn event_data(j: &mut Json, d: &EventData) {
    use EventData as E;
    j.open().key("type");
    match d {
        E::Started { servers } => {
            j.str("started").key("servers").uint(*servers as u64);
        }
        E::Crashed { node, term, log_len, vote_forgotten } => {
            j.str("crashed").key("node").node(*node).key("term").uint(*term).key("log_len").uint(*log_len);
            if *vote_forgotten {
                j.key("vote_forgotten").bool(true);
            }
        }
        E::Restarted { node, term, log_len } => {
            j.str("restarted").key("node").node(*node).key("term").uint(*term).key("log_len").uint(*log_len);
        }
        E::TimeoutForced { node } => {
            j.str("timeout_forced").key("node").node(*node);
        }
        E::ElectionStarted { node, term, reason, was } => {
            j.str("election_started").key("node").node(*node).key("term").uint(*term).key("reason");
            j.str(match reason {
                ElectionReason::Timeout => "Timeout",
                ElectionReason::TimeoutNow => "TimeoutNow",
                ElectionReason::PreVote => "PreVote",
            });
            j.key("was");
            role(j, *was);
        }
        E::Voted { node, candidate, term, .. } => {
            j.str("voted").key("node").node(*node).key("candidate").node(*candidate).key("term").uint(*term);
            log_check(j, d);
        }
        E::VoteRefused { node, candidate, term, reason, own_term, .. } => {
            j.str("vote_refused").key("node").node(*node).key("candidate").node(*candidate);
            j.key("term").uint(*term).key("reason");
            refuse_reason(j, reason);
            j.key("own_term").uint(*own_term);
            log_check(j, d);
        }
        E::PreVoteStarted { node, term } => {
            j.str("pre_vote_started").key("node").node(*node).key("term").uint(*term);
        }
        E::PreVoteGranted { node, candidate, term, .. } => {
            j.str("pre_vote_granted").key("node").node(*node).key("candidate").node(*candidate);
            j.key("term").uint(*term);
            log_check(j, d);
        }
        E::PreVoteRefused { node, candidate, term, reason, own_term, .. } => {
            j.str("pre_vote_refused").key("node").node(*node).key("candidate").node(*candidate);
            j.key("term").uint(*term).key("reason");
            refuse_reason(j, reason);
            j.key("own_term").uint(*own_term);
            log_check(j, d);
        }
        E::LostQuorum { node, term, heard, servers } => {
            j.str("lost_quorum").key("node").node(*node).key("term").uint(*term).key("heard").nodes(heard);
            j.key("servers").uint(*servers as u64);
        }
        E::LeaderElected { node, term, votes } => {
            j.str("leader_elected").key("node").node(*node).key("term").uint(*term).key("votes").nodes(votes);
        }
        E::SteppedDown { node, was, term, because_of } => {
            j.str("stepped_down").key("node").node(*node).key("was");
            role(j, *was);
            j.key("term").uint(*term).key("because_of").opt_node(*because_of);
        }
        E::TermAdopted { node, term, from } => {
            j.str("term_adopted").key("node").node(*node).key("term").uint(*term).key("from").opt_node(*from);
        }
        E::Appended { node, index, term, command: c } => {
            j.str("appended").key("node").node(*node).key("index").uint(*index).key("term").uint(*term);
            j.key("command");
            command(j, c);
        }
        E::Committed { node, from, to, entries: es, replicas } => {
            j.str("committed").key("node").node(*node).key("from").uint(*from).key("to").uint(*to);
            j.key("entries");
            entries(j, es);
            j.key("replicas").nodes(replicas);
        }
        E::Truncated { node, from, count, leader } => {
            j.str("truncated").key("node").node(*node).key("from").uint(*from).key("count").uint(*count);
            j.key("leader").node(*leader);
        }
        E::AppendRejected { node, leader, term, prev_log_index, prev_log_term, reason, own_term } => {
            j.str("append_rejected").key("node").node(*node).key("leader").node(*leader).key("term").uint(*term);
            j.key("prev_log_index").uint(*prev_log_index).key("prev_log_term").uint(*prev_log_term).key("reason");
            match reason {
                RejectReason::StaleTerm => j.str("StaleTerm"),
                RejectReason::Missing => j.str("Missing"),
                RejectReason::TermMismatch(t) => j.variant("TermMismatch").uint(*t).close(),
            };
            j.key("own_term").uint(*own_term);
        }
        E::BackedUp { node, follower, next_index } => {
            j.str("backed_up").key("node").node(*node).key("follower").node(*follower);
            j.key("next_index").uint(*next_index);
        }
        E::TransferStarted { node, to } => {
            j.str("transfer_started").key("node").node(*node).key("to").node(*to);
        }
        E::TimeoutNowSent { node, to } => {
            j.str("timeout_now_sent").key("node").node(*node).key("to").node(*to);
        }
        E::TransferAborted { node, to } => {
            j.str("transfer_aborted").key("node").node(*node).key("to").node(*to);
        }
        E::Disconnected { node } => {
            j.str("disconnected").key("node").node(*node);
        }
        E::Reconnected { node } => {
            j.str("reconnected").key("node").node(*node);
        }
        E::Partitioned { groups } => {
            j.str("partitioned").key("groups").open_list();
            for g in groups {
                j.nodes(g);
            }
            j.close_list();
        }
        E::Healed => {
            j.str("healed");
        }
        E::MessageDropped { id, from, to, payload: p } => {
            j.str("message_dropped").key("id").uint(*id).key("from");
            addr(j, *from);
            j.key("to");
            addr(j, *to);
            j.key("payload");
            payload(j, p);
        }
        E::MessageDuplicated { id, copy, from, to, payload: p } => {
            j.str("message_duplicated").key("id").uint(*id).key("copy").uint(*copy).key("from");
            addr(j, *from);
            j.key("to");
            addr(j, *to);
            j.key("payload");
            payload(j, p);
        }
        E::SettingChanged { setting } => {
            j.str("setting_changed").key("setting");
            match setting {
                Setting::Latency { lo, hi } => j.str("latency").key("lo").uint(*lo).key("hi").uint(*hi),
                Setting::DropRate { rate } => j.str("drop_rate").key("rate").num(*rate),
                Setting::Links { links } => j.str("links").key("links").str(match links {
                    Links::InOrder => "in_order",
                    Links::Reorder => "reorder",
                }),
                Setting::ElectionTimeout { lo, hi } => {
                    j.str("election_timeout").key("lo").uint(*lo).key("hi").uint(*hi)
                }
                Setting::Heartbeat { ms } => j.str("heartbeat").key("ms").uint(*ms),
            };
        }
        E::OptionChanged { name, value } => {
            j.str("option_changed").key("name").str(name).key("value");
            switch_value(j, value);
        }
        E::ClientWrite { op, command: c, to } => {
            j.str("client_write").key("op").uint(*op).key("command");
            command(j, c);
            j.key("to").node(*to);
        }
        E::ClientRead { op, key, to } => {
            j.str("client_read").key("op").uint(*op).key("key").str(key).key("to").node(*to);
        }
        E::ClientRedirected { op, from, to, read } => {
            j.str("client_redirected").key("op").uint(*op).key("from").node(*from).key("to").node(*to);
            read_flag(j, *read);
        }
        E::ClientNoLeader { op, from, wait_ms, read } => {
            j.str("client_no_leader").key("op").uint(*op).key("from").node(*from).key("wait_ms").uint(*wait_ms);
            read_flag(j, *read);
        }
        E::ClientBusy { op, from, wait_ms, read } => {
            j.str("client_busy").key("op").uint(*op).key("from").node(*from).key("wait_ms").uint(*wait_ms);
            read_flag(j, *read);
        }
        E::ClientTimedOut { op, from, after_ms, next, read } => {
            j.str("client_timed_out").key("op").uint(*op).key("from").opt_node(*from);
            j.key("after_ms").uint(*after_ms).key("next").node(*next);
            read_flag(j, *read);
        }
        E::ClientAcked { op, command: c, by, index, term, took_ms } => {
            j.str("client_acked").key("op").uint(*op).key("command");
            command(j, c);
            j.key("by").node(*by).key("index").uint(*index).key("term").uint(*term).key("took_ms").uint(*took_ms);
        }
        E::ClientGaveUp { op, command: c, after_ms } => {
            j.str("client_gave_up").key("op").uint(*op).key("command");
            command(j, c);
            j.key("after_ms").uint(*after_ms);
        }
        E::ClientReadDone { op, key, value, by, index, took_ms } => {
            j.str("client_read_done").key("op").uint(*op).key("key").str(key).key("value").opt_int(*value);
            j.key("by").node(*by).key("index").uint(*index).key("took_ms").uint(*took_ms);
        }
        E::ClientReadGaveUp { op, key, after_ms } => {
            j.str("client_read_gave_up").key("op").uint(*op).key("key").str(key).key("after_ms").uint(*after_ms);
        }
        E::ReadStarted { node, op, key, read_index } => {
            j.str("read_started").key("node").node(*node).key("op").uint(*op).key("key").str(key);
            j.key("read_index").opt_uint(*read_index);
        }
        E::ReadAnswered { node, op, key, value, index, how } => {
            j.str("read_answered").key("node").node(*node).key("op").uint(*op).key("key").str(key);
            j.key("value").opt_int(*value).key("index").uint(*index).key("how");
            match how {
                ReadHow::ReadIndex { confirmed_by } => {
                    j.variant("ReadIndex").open().key("confirmed_by").nodes(confirmed_by).close().close();
                }
                ReadHow::Lease => {
                    j.str("Lease");
                }
                ReadHow::Local => {
                    j.str("Local");
                }
            }
        }
        E::Duplicate { node, index, command: c, client, seq, first } => {
            j.str("duplicate").key("node").node(*node).key("index").uint(*index).key("command");
            command(j, c);
            j.key("client").uint(*client).key("seq").uint(*seq).key("first").opt_uint(*first);
        }
        E::Violation { property: p, nodes, index, term, explanation } => {
            j.str("violation").key("property").str(property(*p)).key("nodes").nodes(nodes);
            j.key("index").opt_uint(*index).key("term").opt_uint(*term).key("explanation").str(explanation);
        }
        #[cfg(feature = "membership")]
        E::Member { node, event } => {
            j.str("member").key("node").node(*node).key("event");
            member_event(j, event);
        }
        #[cfg(feature = "compaction")]
        E::Compaction { node, event } => {
            j.str("compaction").key("node").node(*node).key("event");
            compaction_event(j, event);
        }
    }
    j.close();
}

/// A compaction event as serde writes it: `{"Snapshotted":{"index":20,...}}`.
#[cfg(feature = "compaction")]
fn compaction_event(j: &mut Json, e: &crate::raft::CompactionNote) {
    use crate::raft::CompactionNote as C;
    match e {
        C::Snapshotted { index, term, dropped } => {
            j.variant("Snapshotted").open().key("index").uint(*index).key("term").uint(*term);
            j.key("dropped").uint(*dropped)
        }
        C::Installed { leader, index, term, kept } => {
            j.variant("Installed").open().key("leader").node(*leader).key("index").uint(*index);
            j.key("term").uint(*term).key("kept").uint(*kept)
        }
        C::Covered { leader, index } => {
            j.variant("Covered").open().key("leader").node(*leader).key("index").uint(*index)
        }
    };
    j.close().close();
}

/// A membership event as serde writes it: `{"joined":{"leader":1}}`.
#[cfg(feature = "membership")]
fn member_event(j: &mut Json, e: &crate::sim::MemberEvent) {
    use crate::sim::MemberEvent as M;
    match e {
        M::Joined { leader } => j.variant("joined").open().key("leader").node(*leader),
        M::Committed { index, change, voters } => {
            j.variant("committed").open().key("index").uint(*index).key("change");
            config_change(j, change);
            j.key("voters").nodes(voters)
        }
        M::CaughtUp { learner, match_index } => {
            j.variant("caught_up").open().key("learner").node(*learner).key("match_index").uint(*match_index)
        }
        M::LeftCluster { term } => j.variant("left_cluster").open().key("term").uint(*term),
        M::NotVoter { learner } => j.variant("not_voter").open().key("learner").bool(*learner),
        M::Disrupts { term, pre_vote, stored } => {
            j.variant("disrupts").open().key("term").uint(*term).key("pre_vote").bool(*pre_vote);
            j.key("stored").bool(*stored)
        }
    };
    j.close().close();
}

/// A configuration change as serde writes it: `{"add_learner":6}`.
#[cfg(feature = "membership")]
fn config_change(j: &mut Json, c: &crate::raft::Change) {
    let (name, n) = match c {
        crate::raft::Change::AddLearner(n) => ("add_learner", n),
        crate::raft::Change::Promote(n) => ("promote", n),
        crate::raft::Change::Remove(n) => ("remove", n),
    };
    j.variant(name).node(*n).close();
}

/// `branches()`: the timeline's branches as their serde derive writes them
/// (`[{"id":2,"name":"branch 2: ...","parent":1,"forkedAt":3200,"latest":5000,"current":true}]`,
/// plus `"ownStart":true` for a branch with its own start).
pub fn branches(list: &[crate::timeline::BranchInfo]) -> String {
    let mut j = Json::new();
    j.open_list();
    for b in list {
        j.open().key("id").uint(b.id as u64).key("name").str(&b.name).key("parent");
        j.opt_uint(b.parent.map(|p| p as u64)).key("forkedAt").uint(b.forked_at).key("latest").uint(b.latest);
        j.key("current").bool(b.current);
        if b.own_start {
            j.key("ownStart").bool(true);
        }
        j.close();
    }
    j.close_list();
    j.finish()
}

/// The `read` flag of a client event: `"read":true`, or nothing for a write
/// (serde skips it when false).
fn read_flag(j: &mut Json, read: bool) {
    if read {
        j.key("read").bool(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_come_by_themselves_and_strings_are_escaped() {
        let mut j = Json::new();
        j.open().key("a").open_list().uint(1).int(-2).num(0.5).num(f64::NAN).close_list();
        j.key("b").open().close().key("c").str("q\"\\\n\u{1}é").key("d").opt_str(None).close();
        assert_eq!(j.finish(), r#"{"a":[1,-2,0.5,null],"b":{},"c":"q\"\\\n\u0001é","d":null}"#);
    }
}
