//! The live pseudocode: the shipped file parses, every line id the mapping
//! lights exists in it, the parser names the line of each mistake, and for
//! each procedure a real (seeded) cluster driven into the situation lights
//! the right lines with the values the rule compared.

use raft_playground::raft::{Body, Message, RefuseReason, RejectReason, Settings};
use raft_playground::sim::*;
use raft_playground::view::pseudocode::{self, Context, Lit};

mod common;
use common::{wait_leader, wait_leader_but};
mod pseudocode_oracle;
use pseudocode_oracle as oracle;
use pseudocode_oracle::{event_lines, message_lines, sent_lines};

fn cluster(seed: u64, raft: Settings) -> Run {
    Run::new(Cluster::new(Config { seed, raft, ..Config::default() }).unwrap())
}

/// Every server but `leader`, in id order.
fn others(c: &Cluster, leader: NodeId) -> Vec<NodeId> {
    c.node_ids().into_iter().filter(|&n| n != leader).collect()
}

fn ids(lits: &[Lit]) -> Vec<&str> {
    lits.iter().map(|l| l.id.as_str()).collect()
}

fn seen<'a>(lits: &'a [Lit], id: &str) -> &'a str {
    &lits.iter().find(|l| l.id == id).unwrap_or_else(|| panic!("{id} not lit in {lits:?}")).seen
}

/// A cluster driven step by step, remembering which events were looked at
/// and the messages in flight before the last step (to tell which one a
/// server was handling when it reported an event).
struct Run {
    c: Cluster,
    /// Events before this index were looked at.
    cursor: usize,
    /// The messages in flight before the last step, and the first event it made.
    before: Vec<InFlight>,
    step_from: usize,
    step_to: usize,
}

impl std::ops::Deref for Run {
    type Target = Cluster;
    fn deref(&self) -> &Cluster {
        &self.c
    }
}

impl std::ops::DerefMut for Run {
    fn deref_mut(&mut self) -> &mut Cluster {
        &mut self.c
    }
}

impl Run {
    fn new(c: Cluster) -> Run {
        let cursor = c.events().len();
        Run { c, cursor, before: Vec::new(), step_from: 0, step_to: 0 }
    }

    /// Skips the events so far (what earlier actions did).
    fn skip(&mut self) {
        self.cursor = self.c.events().len();
    }

    /// The Raft message delivered to `e`'s server by the last step from one
    /// of `e`'s other servers, if `e` came from that step.
    fn message_for(&self, at: usize, e: &EventData) -> Option<Message> {
        if !(self.step_from..self.step_to).contains(&at) {
            return None;
        }
        let now: Vec<u64> = self.c.messages().iter().map(|m| m.id).collect();
        let nodes = e.nodes();
        self.before.iter().find_map(|m| match &m.payload {
            Payload::Raft(r)
                if !now.contains(&m.id)
                    && m.to == Addr::Node(nodes[0])
                    && nodes[1..].contains(&r.from)
                    && m.arrive_at == self.c.now() =>
            {
                Some(r.clone())
            }
            _ => None,
        })
    }

    /// The next event `want` accepts (stepping within `limit_ms` of virtual
    /// time if none is in the trace yet), with the message its server was
    /// handling if one caused it (what the page's inspector or wire log knows).
    fn until(&mut self, limit_ms: u64, want: impl Fn(&EventData) -> bool) -> (EventData, Option<Message>) {
        let end = self.c.now() + limit_ms;
        loop {
            let events = self.c.events();
            if let Some(k) = (self.cursor..events.len()).find(|&k| want(&events[k].what)) {
                self.cursor = k + 1;
                let e = events[k].what.clone();
                let msg = self.message_for(k, &e);
                return (e, msg);
            }
            self.cursor = events.len();
            self.before = self.c.messages().into_iter().cloned().collect();
            self.step_from = self.cursor;
            if self.c.step().is_none() || self.c.now() > end {
                let tail: Vec<String> = self.c.events().iter().rev().take(12).map(|e| e.text()).collect();
                panic!("no such event within {limit_ms} ms; the latest, newest first: {tail:#?}");
            }
            self.step_to = self.c.events().len();
        }
    }

    /// The next event `want` accepts, with the lines it lit.
    fn lit_by(&mut self, limit_ms: u64, want: impl Fn(&EventData) -> bool) -> (EventData, Vec<Lit>) {
        let (e, msg) = self.until(limit_ms, want);
        let options = pseudocode::options_on(&self.c.config().raft);
        let term = e.nodes().first().and_then(|&n| self.c.node(n)).map(|s| s.term());
        let cx = Context { servers: self.c.node_ids().len(), message: msg.as_ref(), term, options: &options };
        let lits = event_lines(&e, &cx);
        assert_eq!(pseudocode::event_lines(doc(), &e, &cx), lits, "the rules of www/pseudocode.txt, for {e:?}");
        (e, lits)
    }
}

fn pre_vote() -> Settings {
    Settings { pre_vote: true, ..Settings::default() }
}

// ----- the file and the parser -----------------------------------------------------------

/// The shipped file, parsed once.
fn doc() -> &'static pseudocode::Pseudocode {
    static DOC: std::sync::OnceLock<pseudocode::Pseudocode> = std::sync::OnceLock::new();
    DOC.get_or_init(shipped)
}

fn shipped() -> pseudocode::Pseudocode {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/pseudocode.txt")).unwrap();
    pseudocode::parse(&text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_shipped_file_has_every_procedure_and_every_line_the_mapping_lights() {
    let p = shipped();
    let keys: Vec<&str> = p.procedures.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        ["rv", "ae", "all", "fol", "cand", "ldr", "cl", "commit", "pv", "cq", "ri", "is", "lt", "eo", "mem"]
    );
    for proc in &p.procedures {
        assert!(proc.why.len() > 200, "{}: a real paragraph", proc.key);
        assert!(proc.cite.contains('§'), "{} cites a section", proc.key);
    }
    // Every id the mapping can produce, read from its source: each `lit("<id>"`.
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pseudocode_oracle/mod.rs")).unwrap();
    let mapped: Vec<&str> = src.split("lit(\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert!(mapped.len() > 40, "{mapped:?}");
    for id in mapped {
        assert!(p.line(id).is_some(), "{id} is lit by the mapping but not in www/pseudocode.txt");
        assert!(p.rules.iter().any(|r| r.id == id), "{id} is lit by the mapping but by no `light` rule");
    }
    // Every rule lights a line of the file, and reads its fields with a known operator.
    assert!(p.rules.len() > 100, "{}", p.rules.len());
    for r in &p.rules {
        assert!(p.line(&r.id).is_some(), "the rule {r:?} lights no line of the file");
        assert!(r.when.iter().all(|c| !c.0.is_empty() && b"=n<>lg?!".contains(&c.1)), "{r:?}");
        assert_eq!(r.seen.matches('{').count(), r.seen.matches('}').count(), "{r:?}");
    }
}

#[test]
fn the_panel_shows_option_lines_only_while_their_option_is_on() {
    let p = shipped();
    let plain = p.shown(&pseudocode::options_on(&Settings::default()));
    let keys = |v: &[pseudocode::Procedure]| v.iter().map(|p| p.key.clone()).collect::<Vec<_>>();
    // Membership changes are shown in builds that have them (the page's).
    let mem: &[&str] = if cfg!(feature = "membership") { &["mem"] } else { &[] };
    assert_eq!(
        keys(&plain),
        [&["rv", "ae", "all", "fol", "cand", "ldr", "cl", "commit", "ri", "lt", "eo"][..], mem].concat(),
        "InstallSnapshot only with log compaction on"
    );
    let rv = &plain[0];
    assert!(!rv.lines.iter().any(|l| l.id == "rv.guard"), "no vote guard without check-quorum or the lease");
    let ri = plain.iter().find(|p| p.key == "ri").unwrap();
    assert!(!ri.lines.iter().any(|l| l.id == "ri.lease"));
    let on = Settings { pre_vote: true, read_mode: ReadMode::Lease, exactly_once: false, ..Settings::default() };
    let pv_only = p.shown(&pseudocode::options_on(&Settings { pre_vote: true, ..Settings::default() }));
    assert!(!pv_only[0].lines.iter().any(|l| l.id == "rv.guard"), "pre-vote alone has no guard on RequestVote");
    assert!(pv_only.iter().any(|p| p.key == "pv"));
    let with = p.shown(&pseudocode::options_on(&on));
    assert_eq!(
        keys(&with),
        [&["rv", "ae", "all", "fol", "cand", "ldr", "cl", "commit", "pv", "ri", "lt"][..], mem].concat()
    );
    #[cfg(feature = "compaction")]
    {
        let compacting = Settings { snapshot_threshold: std::num::NonZeroU64::new(5), ..Settings::default() };
        let shown = keys(&p.shown(&pseudocode::options_on(&compacting)));
        assert!(shown.iter().any(|k| k == "is"), "{shown:?}");
    }
    assert!(with[0].lines.iter().any(|l| l.id == "rv.guard"));
    assert!(with.iter().find(|p| p.key == "ri").unwrap().lines.iter().any(|l| l.id == "ri.lease"));
}

#[test]
fn the_parser_names_the_line_of_each_mistake_and_never_panics() {
    let ok = "procedure x: X\ncite §1\nwhy because\nline x.a | do it\n";
    let p = pseudocode::parse(ok).unwrap();
    assert_eq!(p.procedures[0].lines[0].text, "do it");
    let err = |text: &str| pseudocode::parse(text).unwrap_err();
    let e = err("line x.a | before\n");
    assert_eq!((e.line, e.message.as_str()), (1, "\"line\" before any `procedure`"));
    let e = err("# c\nprocedure x: X\ncite §1\nwhy w\nline x.a | a\nline x.a | b\n");
    assert_eq!((e.line, e.message.as_str()), (6, "line id x.a is used twice"));
    assert_eq!(err("procedure x: X\ncite §1\nwhy w\nline y.a | a\n").line, 4);
    let e = err("procedure x: X\ncite §1\nwhy w\nline x.a [warp] | a\n");
    assert!(e.message.starts_with("unknown option [warp]"), "{e}");
    assert_eq!(e.to_string().split(':').next(), Some("pseudocode line 4"));
    assert_eq!(err("procedure x: X\ncite §1\nwhy w\nline x.a [pre_vote | a\n").line, 4);
    assert_eq!(err("procedure x: X\ncite §1\nwhy w\nline x.a no bar\n").line, 4);
    let e = err("procedure x: X\nwhy w\nline x.a | a\nprocedure y: Y\n");
    assert_eq!((e.line, e.message.as_str()), (1, "procedure x has no a `cite` line"));
    let e = err("procedure x: X\ncite §1\nline x.a | a\n");
    assert_eq!((e.line, e.message.as_str()), (1, "procedure x has no a `why` paragraph"));
    assert_eq!(err("procedure x: X\ncite §1\nwhy w\n").message, "procedure x has no any `line`");
    assert_eq!(err("procedure x X\n").line, 1);
    assert_eq!(err("procedure X!: t\n").line, 1);
    assert_eq!(err("procedure x:\n").message, "procedure x has no title");
    assert_eq!(err("procedure x: X\ncite §1\nwhy w\nline x.a | a\nprocedure x: Y\n").line, 5);
    assert_eq!(err("procedure x: X\ncite a\ncite b\n").line, 3);
    assert_eq!(err("procedure x: X\nlemma 1\n").line, 2);
    assert_eq!(err("").line, 0);
    // `light` rules: the line they light exists, and each condition is one.
    assert!(pseudocode::parse(&format!("{ok}light x.a kind=vote !reason | saw {{term}}\n")).is_ok());
    let e = err(&format!("{ok}light x.b kind=vote | saw\n"));
    assert_eq!((e.line, e.message.as_str()), (5, "a rule lights line x.b, which no procedure has"));
    assert_eq!(err(&format!("{ok}\nlight x.a =vote | saw\n")).line, 6);
    assert_eq!(err(&format!("{ok}light x.a kind|saw\n")).line, 5);
    assert_eq!(err(&format!("{ok}light x.a ! | saw\n")).line, 5);
    // Whatever the bytes, an answer and no panic: every cut of the shipped file too.
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/pseudocode.txt")).unwrap();
    for (at, _) in text.char_indices().step_by(41) {
        let _ = pseudocode::parse(&text[..at]);
        let _ = pseudocode::parse(&text[at..]);
    }
    for text in
        ["|", "line | |", "procedure", "procedure :", "procedure a [: b", "procedure a [x]: b", "[[[", "line a.b |"]
    {
        assert!(pseudocode::parse(text).is_err(), "{text:?}");
    }
}

// ----- RequestVote receiver -------------------------------------------------------------

#[test]
fn a_vote_granted_lights_the_whole_receiver_with_the_candidates_log() {
    let mut c = cluster(3, Settings::default());
    let (e, lits) = c.lit_by(5000, |e| matches!(e, EventData::Voted { .. }));
    assert_eq!(ids(&lits), ["rv.receive", "rv.stale-term", "rv.voted-for", "rv.log-ok", "rv.grant"]);
    let EventData::Voted { term, .. } = e else { unreachable!() };
    assert_eq!(seen(&lits, "rv.stale-term"), format!("term {term} < currentTerm {term}: false"));
    // The first election: both logs are empty (the event carries both sides).
    assert_eq!(seen(&lits, "rv.log-ok"), "lastLogTerm 0 = mine; candidate lastLogIndex 0 >= my lastLogIndex 0: true");
}

/// A server crashed after term 1's no-op (its last entry of term 1) misses
/// the next leader and its no-op (of term 2); restarted once that leader
/// crashed too, it is asked for its vote (or pre-vote, with `raft`'s
/// pre-vote) by a survivor whose last entry is of term 2. Returns the event
/// of its answer and the lines it lit, and the voter and the candidate.
fn asked_by_a_newer_log(seed: u64, raft: Settings) -> (EventData, Vec<Lit>, NodeId, NodeId) {
    let pre = raft.pre_vote;
    let mut c = cluster(seed, raft);
    let first = wait_leader(&mut c);
    c.advance(300);
    let voter = others(&c, first)[0];
    c.crash(voter).unwrap();
    c.crash(first).unwrap();
    let second = wait_leader_but(&mut c, &[first]);
    c.advance(300);
    c.crash(second).unwrap();
    // (Its messages still on the wire arrive first.)
    c.advance(200);
    c.restart(voter).unwrap();
    c.skip();
    let (e, lits) = c.lit_by(20_000, |e| match e {
        EventData::Voted { node, .. } => !pre && *node == voter,
        EventData::PreVoteGranted { node, .. } => pre && *node == voter,
        _ => false,
    });
    let candidate = e.nodes()[1];
    assert_eq!(c.node(voter).unwrap().log().last().map(|e| e.term), Some(1), "the voter's log");
    assert_eq!(c.node(candidate).unwrap().log().last().map(|e| e.term), Some(2), "the candidate's log");
    (e, lits, voter, candidate)
}

/// Issue 10's example: a vote granted because the candidate's last entry is
/// of a newer term shows both sides, read from the event (the voter's and
/// the candidate's logs in the cluster say the same: the fields are not
/// swapped).
#[test]
fn a_vote_granted_for_a_newer_last_term_shows_both_last_terms() {
    let (e, lits, voter, candidate) = asked_by_a_newer_log(2, Settings::default());
    assert_eq!(ids(&lits), ["rv.receive", "rv.stale-term", "rv.voted-for", "rv.log-ok", "rv.grant"]);
    assert_eq!(seen(&lits, "rv.log-ok"), "candidate lastLogTerm 2 > my lastLogTerm 1: true");
    let check = e.log_check().unwrap();
    assert_eq!((check.own_last_term, check.candidate_last_term), (1, 2));
    assert!(voter != candidate);
}

/// The same for a pre-vote: granted, the candidate's newer last term first.
#[test]
fn a_pre_vote_granted_for_a_newer_last_term_shows_both_last_terms() {
    let (e, lits, _, _) = asked_by_a_newer_log(2, pre_vote());
    assert_eq!(ids(&lits), ["pv.receive", "pv.stale-term", "pv.guard", "pv.voted-for", "pv.log-ok"]);
    assert_eq!(seen(&lits, "pv.log-ok"), "candidate lastLogTerm 2 > my lastLogTerm 1: true");
    assert!(matches!(e, EventData::PreVoteGranted { own_last_term: 1, candidate_last_term: 2, .. }), "{e:?}");
}

/// A server cut off while the others write keeps timing out; back, its
/// higher term makes the others take part in its election, and they refuse
/// it: its log is behind.
#[test]
fn a_vote_refused_for_a_log_behind_shows_both_last_terms() {
    let mut c = cluster(5, Settings::default());
    let l = wait_leader(&mut c);
    let cut = others(&c, l)[0];
    c.disconnect(cut).unwrap();
    for v in 0..3 {
        c.client_write(Command::set("x", v));
    }
    c.advance(3000);
    c.reconnect(cut).unwrap();
    let (e, lits) = c.lit_by(
        5000,
        |e| matches!(e, EventData::VoteRefused { reason: RefuseReason::LogBehind, candidate, .. } if *candidate == cut),
    );
    assert_eq!(ids(&lits), ["rv.receive", "rv.stale-term", "rv.voted-for", "rv.log-ok", "rv.refuse"]);
    let EventData::VoteRefused { node, own_last_term, candidate_last_term, .. } = e else { unreachable!() };
    let cut_term = c.node(cut).unwrap().log().last().map_or(0, |e| e.term);
    assert_eq!(candidate_last_term, cut_term, "the candidate's side is the candidate's");
    assert_eq!(own_last_term, c.node(node).unwrap().log().last().unwrap().term, "the voter's side is the voter's");
    assert!(cut_term < own_last_term);
    assert_eq!(
        seen(&lits, "rv.log-ok"),
        format!("candidate lastLogTerm {cut_term} < my lastLogTerm {own_last_term}: false")
    );
}

/// Short, close time-outs and slow links: split votes, and requests that
/// arrive after the voter moved on.
fn stormy(seed: u64) -> Run {
    let cfg = Config { seed, election_timeout_ms: (150, 160), latency_ms: (20, 120), ..Config::default() };
    Run::new(Cluster::new(cfg).unwrap())
}

#[test]
fn a_vote_refused_for_a_vote_already_given_names_both_candidates() {
    let mut c = stormy(11);
    let (e, lits) =
        c.lit_by(60_000, |e| matches!(e, EventData::VoteRefused { reason: RefuseReason::AlreadyVoted(_), .. }));
    let EventData::VoteRefused { candidate, reason: RefuseReason::AlreadyVoted(other), .. } = e else { unreachable!() };
    assert_eq!(ids(&lits), ["rv.receive", "rv.stale-term", "rv.voted-for", "rv.refuse"]);
    assert_eq!(seen(&lits, "rv.voted-for"), format!("votedFor {other}, not {candidate}: false"));
}

#[test]
fn a_vote_refused_for_a_stale_term_stops_at_the_first_check() {
    let mut c = stormy(11);
    let (e, lits) = c.lit_by(120_000, |e| matches!(e, EventData::VoteRefused { reason: RefuseReason::StaleTerm, .. }));
    let EventData::VoteRefused { term, own_term, .. } = e else { unreachable!() };
    assert!(term < own_term);
    assert_eq!(ids(&lits), ["rv.receive", "rv.stale-term", "rv.refuse"]);
    assert_eq!(seen(&lits, "rv.stale-term"), format!("term {term} < currentTerm {own_term}: true"));
}

// ----- followers, candidates, leaders ---------------------------------------------------

#[test]
fn a_follower_times_out_becomes_candidate_and_wins() {
    let mut c = cluster(3, Settings::default());
    let (e, lits) = c.lit_by(5000, |e| matches!(e, EventData::ElectionStarted { .. }));
    assert!(matches!(e, EventData::ElectionStarted { was: Role::Follower, term: 1, .. }));
    assert_eq!(ids(&lits), ["fol.timeout", "cand.start"]);
    assert_eq!(seen(&lits, "cand.start"), "currentTerm 0 -> 1");
    let (e, lits) = c.lit_by(5000, |e| matches!(e, EventData::LeaderElected { .. }));
    let EventData::LeaderElected { votes, .. } = e else { unreachable!() };
    assert_eq!(ids(&lits), ["cand.win", "ldr.elected"]);
    assert_eq!(seen(&lits, "cand.win"), format!("{} votes, majority 3 of 5: true", votes.len()));
    let (_, lits) = c.lit_by(100, |e| matches!(e, EventData::Appended { .. }));
    assert_eq!(ids(&lits), ["ldr.noop"]);
}

#[test]
fn a_candidate_that_hears_from_the_winner_steps_down_and_a_split_vote_times_out_again() {
    let mut c = stormy(11);
    let (_, lits) =
        c.lit_by(60_000, |e| matches!(e, EventData::SteppedDown { was: Role::Candidate, because_of: Some(_), .. }));
    assert_eq!(ids(&lits), ["cand.step-down"]);
    let (_, lits) = c.lit_by(60_000, |e| matches!(e, EventData::ElectionStarted { was: Role::Candidate, .. }));
    assert_eq!(ids(&lits), ["cand.timeout", "cand.start"]);
}

#[test]
fn a_leader_sends_heartbeats_and_entries_and_followers_accept_them() {
    let mut c = cluster(3, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(500);
    let heartbeat = c
        .messages()
        .into_iter()
        .find_map(|m| match &m.payload {
            Payload::Raft(r) if matches!(&r.body, Body::AppendEntries { entries, .. } if entries.is_empty()) => {
                Some(r.clone())
            }
            _ => None,
        })
        .expect("a heartbeat in flight");
    assert_eq!(ids(&sent_lines(&heartbeat)), ["ldr.heartbeat"]);
    c.skip();
    c.client_write(Command::set("x", 1));
    // The write's AppendEntries, followed to its delivery.
    let mut found = None;
    for _ in 0..200 {
        let n = c.events().len();
        let before: Vec<InFlight> = c.messages().into_iter().cloned().collect();
        c.step();
        let after: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
        let delivered = before.iter().find_map(|m| match &m.payload {
            Payload::Raft(r)
                if !after.contains(&m.id)
                    && r.from == l
                    && matches!(&r.body, Body::AppendEntries { entries, .. } if !entries.is_empty()) =>
            {
                Some(r.clone())
            }
            _ => None,
        });
        if let Some(m) = delivered {
            let effects: Vec<EventData> = c.events()[n..].iter().map(|e| e.what.clone()).collect();
            found = Some((m, effects));
            break;
        }
    }
    let (m, effects) = found.expect("an AppendEntries with entries delivered");
    let Body::AppendEntries { prev_log_index, entries, .. } = &m.body else { unreachable!() };
    assert_eq!(ids(&sent_lines(&m)), ["ldr.send"]);
    let lits = message_lines(&m, &effects);
    assert_eq!(
        ids(&lits),
        [
            "ae.receive",
            "ae.stale-term",
            "ae.follow",
            "ae.prev-missing",
            "ae.prev-term",
            "ae.append",
            "ae.commit",
            "ae.reply"
        ]
    );
    let last = prev_log_index + entries.len() as u64;
    assert_eq!(seen(&lits, "ae.append"), format!("entries {}..={last}", prev_log_index + 1));
    assert_eq!(seen(&lits, "ae.reply"), format!("true, matchIndex {last}"));
    // Its acknowledgement, in flight now, moves matchIndex at the leader...
    let ack = c
        .messages()
        .into_iter()
        .find_map(|f| match &f.payload {
            Payload::Raft(r) if r.from == m.to && matches!(r.body, Body::AppendEntriesReply { success: true, .. }) => {
                Some(r.clone())
            }
            _ => None,
        })
        .expect("the follower's answer in flight");
    let acked = message_lines(&ack, &[]);
    assert_eq!(ids(&acked), ["ldr.success"]);
    assert_eq!(seen(&acked, "ldr.success"), format!("matchIndex[{}] = {last}", m.to));
    // ... and once a majority has it, it commits.
    let (e, lits) = c.lit_by(1000, |e| matches!(e, EventData::Committed { .. }));
    let EventData::Committed { to, replicas, entries, .. } = e else { unreachable!() };
    assert_eq!(ids(&lits), ["commit.majority", "commit.own-term", "commit.set", "all.apply"]);
    let t = c.node(l).unwrap().term();
    assert_eq!(entries.last().unwrap().term, t);
    assert_eq!(
        seen(&lits, "commit.majority"),
        format!("N = {to}: matchIndex >= {to} on {} servers, majority 3 of 5", replicas.len())
    );
    assert_eq!(seen(&lits, "commit.own-term"), format!("log[{to}].term {t} == currentTerm {t}: true"));
}

/// Log compaction (Figure 13): a follower that returns after the leader
/// compacted the entries it misses gets InstallSnapshot; the leader's
/// sending line, the receiver's, its reply's and the leader's matchIndex
/// light up, as the oracle says.
#[cfg(feature = "compaction")]
#[test]
fn install_snapshot_lights_its_procedure_at_both_ends() {
    let raft = Settings { snapshot_threshold: std::num::NonZeroU64::new(5), ..Settings::default() };
    let mut c = cluster(21, raft);
    let l = wait_leader(&mut c);
    let f = others(&c, l)[0];
    c.crash(f).unwrap();
    for v in 0..30 {
        c.client_write(Command::set(&format!("k{}", v % 6), v));
        c.advance(30);
    }
    c.advance(300);
    c.restart(f).unwrap();
    // Follows the first message of `kind` from `from` to its delivery; checks its lines in flight and delivered.
    let follow = |c: &mut Run, from: NodeId, snapshot: bool| -> (Vec<Lit>, Vec<Lit>) {
        let is_it = |m: &InFlight| match &m.payload {
            Payload::Raft(r) => {
                r.from == from
                    && if snapshot {
                        matches!(r.body, Body::InstallSnapshot { .. })
                    } else {
                        matches!(r.body, Body::InstallSnapshotReply { .. })
                    }
            }
            _ => false,
        };
        follow_message(c, is_it)
    };
    let (sent, got) = follow(&mut c, l, true);
    let snap = c.node(l).unwrap().raft().snapshot_index();
    assert_eq!(ids(&sent), ["is.send"]);
    assert!(seen(&sent, "is.send").starts_with("snapshot up to index "), "{sent:?}");
    assert!(seen(&sent, "is.send").ends_with(&format!(" to {f}")), "{sent:?}");
    assert_eq!(ids(&got), ["is.send", "is.receive", "is.stale-term", "is.install"]);
    assert!(seen(&got, "is.receive").starts_with("lastIncludedIndex "), "{got:?}");
    // The follower had none of the snapshot's entries (it was down): it keeps nothing.
    let install = seen(&got, "is.install");
    assert!(install.starts_with("nothing kept after index ") && install.contains("state machine"), "{got:?}");
    let installed = c
        .events()
        .iter()
        .rev()
        .find(|e| {
            matches!(e.what, EventData::Compaction { node, event: raft_playground::raft::CompactionNote::Installed { .. } } if node == f)
        })
        .expect("the follower installed the snapshot");
    let EventData::Compaction { event: raft_playground::raft::CompactionNote::Installed { index, .. }, .. } =
        installed.what
    else {
        unreachable!()
    };
    assert!(install.contains(&format!("index {index};")), "{got:?}");
    // The panel's Earlier / Later stop at it, as at every event that lights a line.
    assert!(pseudocode::lights(&installed.what));
    let (sent, got) = follow(&mut c, f, false);
    assert_eq!(ids(&sent), ["is.reply"]);
    assert!(snap > 5, "the leader compacted");
    assert!(ids(&got).starts_with(&["is.reply", "ldr.success"]), "{got:?}");
    assert!(seen(&got, "ldr.success").starts_with(&format!("matchIndex[{f}] = ")), "{got:?}");
}

/// A follower that was down misses entries: it rejects (no entry at
/// prevLogIndex) and the leader backs nextIndex up (one entry at a time, or
/// with fast back-up straight to the follower's end).
fn returning_follower(raft: Settings) -> (Vec<Lit>, Vec<Lit>, u64, NodeId) {
    let mut c = cluster(5, raft);
    let l = wait_leader(&mut c);
    c.advance(300);
    let f = others(&c, l)[0];
    c.crash(f).unwrap();
    for v in 0..3 {
        c.client_write(Command::set("x", v));
    }
    c.advance(1000);
    c.skip();
    c.restart(f).unwrap();
    let (e, rejected) = c.lit_by(3000, |e| matches!(e, EventData::AppendRejected { node, .. } if *node == f));
    let EventData::AppendRejected { prev_log_index, reason, .. } = e else { unreachable!() };
    assert_eq!(reason, RejectReason::Missing);
    let (_, backed) = c.lit_by(1000, |e| matches!(e, EventData::BackedUp { follower, .. } if *follower == f));
    (rejected, backed, prev_log_index, f)
}

#[test]
fn a_returning_follower_rejects_and_the_leader_backs_up() {
    let (lits, backed, prev_log_index, f) = returning_follower(Settings::default());
    assert_eq!(ids(&lits), ["ae.receive", "ae.stale-term", "ae.follow", "ae.prev-missing"]);
    assert_eq!(seen(&lits, "ae.prev-missing"), format!("no entry at index {prev_log_index}: true"));
    assert_eq!(ids(&backed), ["ldr.back-up"]);
    assert_eq!(seen(&backed, "ldr.back-up"), format!("nextIndex[{f}] -> {prev_log_index}, retry"));
}

#[test]
fn with_fast_back_up_the_leader_jumps_to_the_followers_end() {
    let (_, backed, prev_log_index, f) = returning_follower(Settings { fast_backup: true, ..Settings::default() });
    assert_eq!(ids(&backed), ["ldr.fast-back-up"]);
    // The follower had the entries up to the crash: the leader jumps past them at once.
    let seen = seen(&backed, "ldr.fast-back-up");
    let to: u64 = seen.split(" -> ").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    assert!(to < prev_log_index && seen.starts_with(&format!("nextIndex[{f}] -> ")), "{seen}");
}

/// Figure 8 of the paper, in short: an entry of an old term stored on a
/// majority is not committed by counting; the next entry of the leader's own
/// term commits both. With the switch that breaks this, the old entry
/// commits by counting and the rule's line says its comparison was false.
fn old_term_entry(raft: Settings) -> Run {
    let mut c = cluster(9, Settings { leader_noop: false, ..raft });
    let l = wait_leader(&mut c);
    c.advance(300);
    c.submit(l, Command::set("x", 1)).unwrap();
    let followers = others(&c, l);
    let (a, b) = (followers[0], followers[1]);
    // Only a and b get the entry; the leader crashes before their answers.
    let to_others: Vec<u64> = c
        .messages()
        .iter()
        .filter(|m| m.from == Addr::Node(l) && m.to != Addr::Node(a) && m.to != Addr::Node(b))
        .map(|m| m.id)
        .collect();
    for id in to_others {
        c.drop_message(id).unwrap();
    }
    while c.node(a).unwrap().log().len() + c.node(b).unwrap().log().len() < 2 {
        c.step();
    }
    c.crash(l).unwrap();
    assert_eq!(c.node(l).unwrap().commit_index(), 0, "nothing committed before the crash");
    c.skip();
    c
}

#[test]
fn a_leader_commits_by_counting_only_entries_of_its_own_term() {
    let mut c = old_term_entry(Settings::default());
    let (e, _) = c.until(5000, |e| matches!(e, EventData::LeaderElected { .. }));
    let EventData::LeaderElected { node: n, term, .. } = e else { unreachable!() };
    c.advance(1000);
    // Entry 1 (the old term) is on a majority now, yet not committed.
    let on = c.node_ids().into_iter().filter(|&s| c.node(s).unwrap().log().len() == 1).count();
    assert!(on >= 3, "entry 1 is stored on {on} servers");
    assert!(!c.events()[c.cursor..].iter().any(|e| matches!(e.what, EventData::Committed { .. })));
    assert_eq!(c.node(n).unwrap().commit_index(), 0);
    c.submit(n, Command::set("y", 2)).unwrap();
    let (_, lits) = c.lit_by(1000, |e| matches!(e, EventData::Committed { .. }));
    assert_eq!(seen(&lits, "commit.own-term"), format!("log[2].term {term} == currentTerm {term}: true"));
    assert_eq!(seen(&lits, "commit.set"), "commitIndex 0 -> 2");
}

#[test]
fn the_switch_that_commits_old_terms_by_counting_shows_the_failed_comparison() {
    let mut c = old_term_entry(Settings { unsafe_commit_old_terms: true, ..Settings::default() });
    let (e, _) = c.until(5000, |e| matches!(e, EventData::LeaderElected { .. }));
    let EventData::LeaderElected { node: n, term, .. } = e else { unreachable!() };
    let (_, lits) = c.lit_by(2000, |e| matches!(e, EventData::Committed { .. }));
    let old = c.node(n).unwrap().log()[0].term;
    assert!(old < term);
    assert_eq!(
        seen(&lits, "commit.own-term"),
        format!("log[1].term {old} == currentTerm {term}: false, committed anyway (breaks Raft)")
    );
    assert_eq!(seen(&lits, "commit.set"), "commitIndex 0 -> 1");
}

/// An old leader cut off with three entries nobody else has, then back with
/// a third leader whose log has entries of two terms the old one lacks:
/// the cluster right after the reconnect, the old leader and the third.
fn old_leader_rejoins() -> (Run, NodeId, NodeId) {
    let mut c = cluster(7, Settings::default());
    let old = wait_leader(&mut c);
    c.advance(300);
    c.disconnect(old).unwrap();
    for v in 0..3 {
        c.submit(old, Command::set("y", v)).unwrap();
    }
    let new = wait_leader_but(&mut c, &[old]);
    c.client_write(Command::set("z", 1));
    c.advance(500);
    // A third leader, whose log has entries of two terms the old one lacks.
    c.crash(new).unwrap();
    let third = wait_leader_but(&mut c, &[old, new]);
    c.advance(300);
    c.skip();
    c.reconnect(old).unwrap();
    (c, old, third)
}

/// An old leader alone with entries nobody else has: after the heal it
/// learns the newer term, rejects for a term mismatch, and deletes its
/// entries; the new leader's commit of its own term commits the rest.
#[test]
fn an_old_leader_steps_down_rejects_for_a_mismatch_and_truncates() {
    let (mut c, old, third) = old_leader_rejoins();
    let (_, lits) = c.lit_by(3000, |e| matches!(e, EventData::SteppedDown { node, .. } if *node == old));
    assert_eq!(ids(&lits), ["all.newer-term"]);
    let (e, lits) = c.lit_by(3000, |e| matches!(e, EventData::AppendRejected { node, .. } if *node == old));
    let EventData::AppendRejected { prev_log_index, reason: RejectReason::TermMismatch(mine), .. } = e else {
        panic!("{e:?}")
    };
    assert_eq!(ids(&lits), ["ae.receive", "ae.stale-term", "ae.follow", "ae.prev-missing", "ae.prev-term"]);
    let theirs = c.node(third).unwrap().log()[prev_log_index as usize - 1].term;
    assert_eq!(seen(&lits, "ae.prev-term"), format!("log[{prev_log_index}].term {mine} != prevLogTerm {theirs}: true"));
    let (e, lits) = c.lit_by(3000, |e| matches!(e, EventData::Truncated { node, .. } if *node == old));
    let EventData::Truncated { from, count, .. } = e else { unreachable!() };
    assert_eq!(ids(&lits), ["ae.conflict"]);
    assert_eq!(seen(&lits, "ae.conflict"), format!("delete {count} entries from index {from}"));
}

// ----- the options ----------------------------------------------------------------------

#[test]
fn pre_vote_lights_its_own_procedure() {
    let mut c = cluster(3, Settings { pre_vote: true, ..Settings::default() });
    let (_, lits) = c.lit_by(5000, |e| matches!(e, EventData::PreVoteStarted { .. }));
    assert_eq!(ids(&lits), ["pv.start"]);
    assert_eq!(seen(&lits, "pv.start"), "PreVote for term 1");
    let (_, lits) = c.lit_by(5000, |e| matches!(e, EventData::PreVoteGranted { .. }));
    assert_eq!(ids(&lits), ["pv.receive", "pv.stale-term", "pv.guard", "pv.voted-for", "pv.log-ok"]);
    assert_eq!(seen(&lits, "pv.log-ok"), "lastLogTerm 0 = mine; candidate lastLogIndex 0 >= my lastLogIndex 0: true");
    let (_, lits) = c.lit_by(5000, |e| matches!(e, EventData::ElectionStarted { .. }));
    assert_eq!(ids(&lits), ["pv.win", "cand.start"]);
    assert_eq!(seen(&lits, "pv.win"), "majority 3 of 5: true");
    // A server whose timer is forced while the leader is alive is told no.
    let l = wait_leader(&mut c);
    c.advance(200);
    let f = others(&c, l)[0];
    c.skip();
    c.timeout_now(f).unwrap();
    let (_, lits) = c.lit_by(2000, |e| matches!(e, EventData::PreVoteRefused { .. }));
    assert_eq!(ids(&lits), ["pv.receive", "pv.stale-term", "pv.guard"]);
    assert_eq!(seen(&lits, "pv.guard"), format!("heard from leader {l} lately: true"));
}

/// Pre-vote answers as RequestVote would: a server that missed entries
/// while cut off asks, once nobody has heard from a leader lately, and is
/// told no for its log (the whole procedure runs, to its last check).
#[test]
fn a_pre_vote_refused_for_a_log_behind_shows_both_logs() {
    // Wide time-outs: the voters' leader-contact timers (the shortest
    // time-out) run out long before most of their election timers.
    let cfg = Config { seed: 3, election_timeout_ms: (150, 1500), raft: pre_vote(), ..Config::default() };
    let mut c = Run::new(Cluster::new(cfg).unwrap());
    let l = wait_leader(&mut c);
    c.advance(200);
    let behind = others(&c, l)[0];
    c.disconnect(behind).unwrap();
    c.submit(l, Command::set("x", 1)).unwrap();
    c.advance(300);
    c.crash(l).unwrap();
    c.reconnect(behind).unwrap();
    let voters: Vec<NodeId> = others(&c, l).into_iter().filter(|&n| n != behind).collect();
    while voters.iter().any(|&v| c.node(v).unwrap().leader_contact_timer().is_some()) {
        c.advance(1);
    }
    c.skip();
    c.timeout_now(behind).unwrap();
    let (e, lits) = c.lit_by(
        1000,
        |e| matches!(e, EventData::PreVoteRefused { reason: RefuseReason::LogBehind, candidate, .. } if *candidate == behind),
    );
    assert_eq!(ids(&lits), ["pv.receive", "pv.stale-term", "pv.guard", "pv.voted-for", "pv.log-ok"]);
    let EventData::PreVoteRefused { term, own_term, own_last_index, own_last_term, .. } = e else { unreachable!() };
    assert_eq!(seen(&lits, "pv.stale-term"), format!("term {term} < currentTerm {own_term}: false"));
    assert_eq!(seen(&lits, "pv.guard"), "heard from a leader lately: false");
    let log = c.node(behind).unwrap().log();
    let (last_index, last_term) = (log.len() as u64, log.last().map_or(0, |e| e.term));
    assert_eq!(last_term, own_last_term, "the voter's extra entries are of the same term");
    assert!(last_index < own_last_index);
    assert_eq!(
        seen(&lits, "pv.log-ok"),
        format!(
            "lastLogTerm {last_term} = mine; candidate lastLogIndex {last_index} < my lastLogIndex {own_last_index}: false"
        )
    );
}

/// A server cut off while the others moved two terms on asks about a term
/// older than theirs: refused at the first check, whatever the rest.
#[test]
fn a_pre_vote_refused_for_a_stale_term_stops_at_the_first_check() {
    let mut c = cluster(3, pre_vote());
    let l = wait_leader(&mut c);
    c.advance(200);
    let o = others(&c, l);
    let (behind, first, second) = (o[0], o[1], o[2]);
    c.disconnect(behind).unwrap();
    // Leadership transfers raise the term without pre-vote (TimeoutNow skips it).
    for to in [first, second] {
        c.transfer_leadership(to).unwrap();
        while c.leader() != Some(to) {
            assert!(c.now() < 10_000, "the transfer to {to} never completed");
            c.advance(10);
        }
        c.advance(200);
    }
    let old = c.node(behind).unwrap().term();
    assert!(c.node(second).unwrap().term() >= old + 2);
    c.reconnect(behind).unwrap();
    c.skip();
    c.timeout_now(behind).unwrap();
    let (e, lits) = c.lit_by(1000, |e| matches!(e, EventData::PreVoteRefused { .. }));
    let EventData::PreVoteRefused { term, own_term, reason, .. } = e else { unreachable!() };
    assert_eq!(reason, RefuseReason::StaleTerm);
    assert_eq!(term, old + 1);
    assert_eq!(ids(&lits), ["pv.receive", "pv.stale-term"]);
    assert_eq!(seen(&lits, "pv.stale-term"), format!("term {term} < currentTerm {own_term}: true"));
}

/// With the lease, a server that has just restarted keeps the voters'
/// guard for an election time-out: it may have answered a heartbeat round
/// whose lease still holds. A candidate's RequestVote stops at the guard.
#[test]
fn with_the_lease_a_server_just_restarted_refuses_its_vote_at_the_guard() {
    let mut c = cluster(3, Settings { read_mode: ReadMode::Lease, ..Settings::default() });
    let l = wait_leader(&mut c);
    c.advance(300);
    let o = others(&c, l);
    let (restarted, candidate) = (o[0], o[1]);
    c.crash(restarted).unwrap();
    c.advance(100);
    c.restart(restarted).unwrap();
    // Keep the leader's heartbeats from the restarted server (it would then
    // know a live leader: another reason), not the candidate's request.
    c.partition(&[vec![l]]).unwrap();
    c.skip();
    c.timeout_now(candidate).unwrap();
    let (e, lits) = c.lit_by(
        1000,
        |e| matches!(e, EventData::VoteRefused { node, candidate: from, .. } if *node == restarted && *from == candidate),
    );
    let EventData::VoteRefused { term, own_term, reason, .. } = e else { unreachable!() };
    assert_eq!(reason, RefuseReason::JustRestarted);
    assert!(term > own_term);
    assert_eq!(ids(&lits), ["rv.receive", "rv.guard"]);
    assert_eq!(
        seen(&lits, "rv.guard"),
        format!("term {term} > currentTerm {own_term}; restarted less than an election timeout ago: true")
    );
}

#[test]
fn check_quorum_guards_votes_and_steps_a_cut_off_leader_down() {
    let mut c = cluster(3, Settings { check_quorum: true, ..Settings::default() });
    let l = wait_leader(&mut c);
    c.advance(200);
    let f = others(&c, l)[0];
    c.skip();
    c.timeout_now(f).unwrap();
    let (e, lits) = c.lit_by(2000, |e| matches!(e, EventData::VoteRefused { .. }));
    let EventData::VoteRefused { term, own_term, .. } = e else { unreachable!() };
    assert_eq!(ids(&lits), ["rv.receive", "rv.guard"]);
    assert_eq!(
        seen(&lits, "rv.guard"),
        format!("term {term} > currentTerm {own_term}; heard from leader {l} lately: true")
    );

    let mut c = cluster(4, Settings { check_quorum: true, ..Settings::default() });
    let l = wait_leader(&mut c);
    c.advance(200);
    c.skip();
    c.disconnect(l).unwrap();
    let (_, lits) = c.lit_by(3000, |e| matches!(e, EventData::LostQuorum { .. }));
    assert_eq!(ids(&lits), ["cq.check"]);
    assert_eq!(seen(&lits, "cq.check"), "heard from 1 of 5 < majority 3: true");
}

#[test]
fn a_read_index_read_lights_its_steps() {
    let mut c = cluster(3, Settings::default());
    wait_leader(&mut c);
    c.advance(300);
    c.skip();
    c.client_read("x");
    let (e, lits) = c.lit_by(2000, |e| matches!(e, EventData::ReadStarted { .. }));
    let EventData::ReadStarted { read_index: Some(i), .. } = e else { panic!("{e:?}") };
    assert_eq!(ids(&lits), ["ri.start", "ri.own-term", "ri.confirm"]);
    assert_eq!(seen(&lits, "ri.start"), format!("readIndex = {i}"));
    let (_, lits) = c.lit_by(2000, |e| matches!(e, EventData::ReadAnswered { .. }));
    assert_eq!(ids(&lits), ["ri.confirm", "ri.apply"]);
    assert_eq!(seen(&lits, "ri.apply"), format!("lastApplied >= readIndex {i}: true"));
}

/// Follows the first message in flight that `is_it` picks to its delivery:
/// its lines in flight and delivered (checked against the oracle).
fn follow_message(c: &mut Run, is_it: impl Fn(&InFlight) -> bool) -> (Vec<Lit>, Vec<Lit>) {
    let mut m = None;
    for _ in 0..3000 {
        if let Some(x) = c.messages().into_iter().find(|m| is_it(m)) {
            m = Some(x.clone());
            break;
        }
        c.step();
    }
    let m = m.expect("the message in flight");
    let sent = pseudocode::lines_of_message(doc(), c, &m, false);
    assert_eq!(sent, oracle::lines_of_message(c, &m, false));
    while c.message(m.id).is_some() {
        c.step();
    }
    let got = pseudocode::lines_of_message(doc(), c, &m, true);
    assert_eq!(got, oracle::lines_of_message(c, &m, true));
    (sent, got)
}

/// The client's messages: a write sent to a follower is refused with the
/// leader's name and the client follows it; at the leader it is appended and
/// answered once applied; a read starts a ReadIndex round and is answered
/// with its value.
#[test]
fn client_messages_light_the_clients_lines_at_both_ends() {
    let mut c = cluster(3, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(300);
    let f = others(&c, l)[0];
    c.client_write_to(f, Command::set("x", 7)).unwrap();
    let to =
        |n: NodeId| move |m: &InFlight| m.to == Addr::Node(n) && matches!(m.payload, Payload::ClientRequest { .. });
    let (sent, got) = follow_message(&mut c, to(f));
    assert_eq!(ids(&sent), ["cl.send"]);
    assert_eq!(seen(&sent, "cl.send"), format!("write x = 7 to {f} (client 1, seq 0, attempt 1)"));
    assert_eq!(ids(&got), ["cl.send", "cl.not-leader"]);
    assert_eq!(seen(&got, "cl.not-leader"), format!("not the leader: true; reply NotLeader, leader {l}"));
    let reply =
        |n: NodeId| move |m: &InFlight| m.from == Addr::Node(n) && matches!(m.payload, Payload::ClientResponse { .. });
    let (sent, got) = follow_message(&mut c, reply(f));
    assert_eq!(ids(&sent), ["cl.not-leader"]);
    assert_eq!(ids(&got), ["cl.not-leader", "cl.redirect"]);
    assert_eq!(seen(&got, "cl.redirect"), format!("try {l} next"));
    let (_, got) = follow_message(&mut c, to(l));
    assert_eq!(ids(&got), ["cl.send", "ldr.client"]);
    assert!(seen(&got, "ldr.client").starts_with("append at index "), "{got:?}");
    let (sent, got) = follow_message(&mut c, reply(l));
    assert_eq!(ids(&sent), ["ldr.client"]);
    assert!(seen(&sent, "ldr.client").ends_with("applied: answer the client"), "{sent:?}");
    assert_eq!(ids(&got), ["ldr.client", "cl.done"]);
    assert!(seen(&got, "cl.done").starts_with("write acknowledged: entry "), "{got:?}");
    c.client_read("x");
    let read = |m: &InFlight| matches!(m.payload, Payload::ClientRead { .. });
    let (sent, got) = follow_message(&mut c, read);
    assert_eq!(ids(&sent), ["cl.send"]);
    assert_eq!(ids(&got), ["cl.send", "ri.start", "ri.own-term", "ri.confirm"]);
    let (_, got) = follow_message(&mut c, reply(l));
    assert_eq!(ids(&got), ["ri.apply", "cl.done"]);
    assert!(seen(&got, "cl.done").starts_with("read returns 7 (read index "), "{got:?}");
}

#[test]
fn a_leadership_transfer_lights_its_steps_on_both_servers() {
    let mut c = cluster(3, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(300);
    let to = others(&c, l)[0];
    c.skip();
    c.transfer_leadership(to).unwrap();
    let (_, lits) = c.lit_by(0, |e| matches!(e, EventData::TransferStarted { .. }));
    assert_eq!(ids(&lits), ["lt.start"]);
    assert_eq!(seen(&lits, "lt.start"), format!("transfer to {to}"));
    let (_, lits) = c.lit_by(2000, |e| matches!(e, EventData::TimeoutNowSent { .. }));
    assert_eq!(ids(&lits), ["lt.catch-up", "lt.timeout-now"]);
    // The TimeoutNow itself: sent, then at its target the election it starts
    // (an event that names no sender).
    let timeout_now = |m: &InFlight| matches!(&m.payload, Payload::Raft(r) if r.body == Body::TimeoutNow);
    let (sent, got) = follow_message(&mut c, timeout_now);
    assert_eq!(ids(&sent), ["lt.timeout-now"]);
    assert_eq!(ids(&got), ["lt.timeout-now", "lt.receive", "cand.start"]);
    assert!(matches!(c.events().last().unwrap().what, EventData::ElectionStarted { node, .. } if node == to));
}

#[test]
fn a_lease_read_lights_the_lease_line() {
    let mut c = cluster(3, Settings { read_mode: ReadMode::Lease, ..Settings::default() });
    wait_leader(&mut c);
    c.advance(500);
    c.skip();
    c.client_read("x");
    let (_, lits) = c.lit_by(2000, |e| matches!(e, EventData::ReadAnswered { .. }));
    assert_eq!(ids(&lits), ["ri.lease"]);
}

/// The leader's answer to a write is lost; the client sends it again; the
/// log holds it twice, and the second is applied as nothing.
#[test]
fn exactly_once_skips_a_write_applied_before() {
    let mut c = cluster(3, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(300);
    c.skip();
    c.client_write(Command::set("x", 7));
    let reply = loop {
        c.step();
        let m = c.messages().into_iter().find(|m| m.from == Addr::Node(l) && m.to == Addr::Client).map(|m| m.id);
        if let Some(id) = m {
            break id;
        }
    };
    c.drop_message(reply).unwrap();
    let (e, lits) = c.lit_by(5000, |e| matches!(e, EventData::Duplicate { .. }));
    let EventData::Duplicate { index, seq, first, .. } = e else { unreachable!() };
    assert_eq!(ids(&lits), ["eo.apply", "eo.duplicate"]);
    let first = first.expect("the first application is remembered");
    assert!(first < index);
    assert_eq!(seen(&lits, "eo.duplicate"), format!("seq {seq} already applied, first applied at {first}: true"));
}

#[test]
fn a_transfer_to_a_server_that_cannot_catch_up_is_given_up() {
    let mut c = cluster(3, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(300);
    let to = others(&c, l)[0];
    c.disconnect(to).unwrap();
    c.submit(l, Command::set("x", 1)).unwrap();
    c.skip();
    c.transfer_leadership(to).unwrap();
    let (_, lits) = c.lit_by(5000, |e| matches!(e, EventData::TransferAborted { .. }));
    assert_eq!(ids(&lits), ["lt.abort"]);
    assert_eq!(seen(&lits, "lt.abort"), format!("transfer to {to} given up"));
}

// ----- membership changes ----------------------------------------------------------------

/// Every event since the cursor that lit a line, with its lines (membership
/// events compare nothing a message would add).
#[cfg(feature = "membership")]
fn lit_since(c: &mut Run) -> Vec<(EventData, Vec<Lit>)> {
    let options = pseudocode::options_on(&c.config().raft);
    let cx = Context { servers: c.node_ids().len(), message: None, term: None, options: &options };
    let out = c.events()[c.cursor..]
        .iter()
        .map(|e| (e.what.clone(), event_lines(&e.what, &cx)))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    c.skip();
    out
}

#[cfg(feature = "membership")]
fn lit_for(got: &[(EventData, Vec<Lit>)], want: impl Fn(&EventData) -> bool) -> Vec<Lit> {
    let found = got.iter().find(|(e, _)| want(e));
    found.unwrap_or_else(|| panic!("no such event among {got:#?}")).1.clone()
}

#[cfg(feature = "membership")]
#[test]
fn adding_a_server_lights_learner_promotion_and_commit() {
    use raft_playground::raft::{Change, Command as C};
    let mut c = cluster(3, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(300);
    c.skip();
    let new = c.add_server().unwrap();
    c.advance(3000);
    let got = lit_since(&mut c);
    let joined = lit_for(&got, |e| matches!(e, EventData::Member { event: MemberEvent::Joined { .. }, .. }));
    assert_eq!(ids(&joined), ["mem.learner"]);
    assert_eq!(seen(&joined, "mem.learner"), format!("joined with an empty log, a learner of {l}"));
    let add = lit_for(
        &got,
        |e| matches!(e, EventData::Appended { command: C::Config { change: Change::AddLearner(n) }, .. } if *n == new),
    );
    assert_eq!(ids(&add), ["mem.add"]);
    assert!(seen(&add, "mem.add").starts_with(&format!("append \"learner {new}\" at index ")), "{add:?}");
    let caught = lit_for(&got, |e| matches!(e, EventData::Member { event: MemberEvent::CaughtUp { .. }, .. }));
    assert_eq!(ids(&caught), ["mem.promote"]);
    let promote = lit_for(
        &got,
        |e| matches!(e, EventData::Appended { command: C::Config { change: Change::Promote(n) }, .. } if *n == new),
    );
    assert_eq!(ids(&promote), ["mem.promote"]);
    assert!(seen(&promote, "mem.promote").starts_with(&format!("append \"+{new}\"")));
    let done = lit_for(&got, |e| {
        matches!(e, EventData::Member { event: MemberEvent::Committed { change: Change::Promote(_), .. }, .. })
    });
    assert_eq!(ids(&done), ["mem.commit"]);
    let all: Vec<String> = c.node_ids().iter().map(|n| n.to_string()).collect();
    assert!(seen(&done, "mem.commit").ends_with(&format!("voters {}, majority 4 of 6", all.join(", "))), "{done:?}");
}

/// A follower removed while cut off misses its removal; plugged back in it
/// stands, and the servers whose log removes it refuse it at its own line.
#[cfg(feature = "membership")]
#[test]
fn a_removed_server_that_missed_its_removal_stands_and_is_refused() {
    use raft_playground::raft::{Change, Command as C};
    let mut c = cluster(21, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(300);
    let gone = others(&c, l)[0];
    c.disconnect(gone).unwrap();
    c.skip();
    c.remove_server(gone).unwrap();
    c.advance(1000);
    let got = lit_since(&mut c);
    let remove = lit_for(
        &got,
        |e| matches!(e, EventData::Appended { command: C::Config { change: Change::Remove(n) }, .. } if *n == gone),
    );
    assert_eq!(ids(&remove), ["mem.remove"]);
    let done = lit_for(&got, |e| matches!(e, EventData::Member { event: MemberEvent::Committed { .. }, .. }));
    assert!(seen(&done, "mem.commit").ends_with("majority 3 of 4"), "{done:?}");
    c.reconnect(gone).unwrap();
    let (_, lits) = c.lit_by(5000, |e| matches!(e, EventData::Member { event: MemberEvent::Disrupts { .. }, .. }));
    assert_eq!(ids(&lits), ["mem.stale"]);
    assert!(seen(&lits, "mem.stale").starts_with("my removal never stored: stands in term "), "{lits:?}");
    let (_, lits) = c.lit_by(5000, |e| matches!(e, EventData::VoteRefused { reason: RefuseReason::Removed, .. }));
    assert_eq!(ids(&lits), ["rv.receive", "rv.stale-term", "mem.refuse", "rv.refuse"]);
    assert_eq!(seen(&lits, "mem.refuse"), format!("my log removes {gone}: true"));
}

#[cfg(feature = "membership")]
#[test]
fn a_leader_that_removes_itself_steps_down_and_a_cut_off_learner_does_not_stand() {
    let mut c = cluster(3, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(300);
    c.skip();
    c.remove_server(l).unwrap();
    let (e, lits) = c.lit_by(3000, |e| matches!(e, EventData::Member { event: MemberEvent::LeftCluster { .. }, .. }));
    let EventData::Member { event: MemberEvent::LeftCluster { term }, .. } = e else { unreachable!() };
    assert_eq!(ids(&lits), ["mem.step-down"]);
    assert_eq!(seen(&lits, "mem.step-down"), format!("my own removal committed: leave, term {term}"));

    let mut c = cluster(3, Settings::default());
    wait_leader(&mut c);
    c.advance(300);
    let new = c.add_server().unwrap();
    c.disconnect(new).unwrap();
    c.skip();
    let (_, lits) = c.lit_by(5000, |e| matches!(e, EventData::Member { event: MemberEvent::NotVoter { .. }, .. }));
    assert_eq!(ids(&lits), ["fol.timeout", "mem.not-voter"]);
    // It starts with the cluster's first servers as its configuration: it
    // does not even know it is a learner until the leader's log reaches it.
    assert_eq!(seen(&lits, "mem.not-voter"), "not listed as a voter: true");
}

/// The majority a new leader's lines name is of the voters in force when it
/// was elected (read from the trace), not of every server drawn: a removed
/// server and a learner do not count.
#[cfg(feature = "membership")]
#[test]
fn a_leader_elected_after_a_remove_and_after_an_add_counts_the_voters_in_force() {
    let elected = |c: &Run, l: NodeId| {
        let events = c.events();
        let i = events
            .iter()
            .rposition(|e| matches!(e.what, EventData::LeaderElected { node, .. } if node == l))
            .expect("it was elected");
        seen(&pseudocode::lines_of_event(doc(), c, i), "cand.win").to_string()
    };
    let mut c = cluster(21, Settings::default());
    let first = wait_leader(&mut c);
    c.advance(300);
    assert!(elected(&c, first).ends_with("majority 3 of 5: true"), "{}", elected(&c, first));
    let gone = others(&c, first)[0];
    c.skip();
    c.remove_server(gone).unwrap();
    let last = c.events().len() - 1;
    assert_eq!(pseudocode::voters_at(c.events(), last, 5), 0, "the removal is appended, not committed");
    c.until(3000, |e| matches!(e, EventData::Member { event: MemberEvent::Committed { .. }, .. }));
    assert_eq!(pseudocode::voters_at(c.events(), c.events().len() - 1, 5), 4);
    c.advance(300);
    c.crash(first).unwrap();
    let second = wait_leader_but(&mut c, &[first]);
    assert_eq!(c.servers().len(), 5, "the removed server is still drawn");
    assert!(elected(&c, second).ends_with("majority 3 of 4: true"), "{}", elected(&c, second));
    c.restart(first).unwrap();
    c.advance(500);
    c.skip();
    let new = c.add_server().unwrap();
    c.until(5000, |e| {
        matches!(e, EventData::Member { event: MemberEvent::Committed { change: raft_playground::raft::Change::Promote(n), .. }, .. } if *n == new)
    });
    c.advance(300);
    c.crash(second).unwrap();
    let third = wait_leader_but(&mut c, &[first, second]);
    assert_eq!(c.servers().len(), 6);
    assert!(elected(&c, third).ends_with("majority 3 of 5: true"), "{}", elected(&c, third));
    assert_eq!(pseudocode::voters_at(c.events(), c.events().len(), 5), 0, "past the trace");
}

// ----- what the panel shows --------------------------------------------------------------

#[test]
fn the_panel_follows_the_latest_event_that_ran_a_line_and_steps_between_them() {
    let mut c = cluster(3, Settings::default());
    wait_leader(&mut c);
    c.advance(500);
    c.client_write(Command::set("x", 1));
    c.advance(500);
    let events = c.events();
    let lit: Vec<usize> = (0..events.len()).filter(|&i| pseudocode::lights(&events[i].what)).collect();
    assert!(lit.len() > 10, "{lit:?}");
    assert!(lit.len() < events.len(), "the client's own steps light nothing");
    assert_eq!(pseudocode::latest_lit(events), lit.last().copied());
    for w in lit.windows(2) {
        assert_eq!(pseudocode::next_lit(events, w[0], false), Some(w[1]));
        assert_eq!(pseudocode::next_lit(events, w[1], true), Some(w[0]));
    }
    assert_eq!(pseudocode::next_lit(events, lit[0], true), None);
    assert_eq!(pseudocode::next_lit(events, *lit.last().unwrap(), false), None);
    assert_eq!(pseudocode::latest_lit(&[]), None);
    assert_eq!(pseudocode::next_lit(events, events.len() + 5, true), lit.last().copied());
}

/// A vote's lines show both sides of its log check from the event alone,
/// as the panel asks for them (no request remembered: after Next, Previous,
/// Replay or `?step=`, which replay the run unseen).
#[test]
fn a_vote_shows_both_sides_without_remembered_requests() {
    let mut c = cluster(3, Settings::default());
    let voted = loop {
        c.step();
        if let Some(i) = c.events().iter().position(|e| matches!(e.what, EventData::Voted { .. })) {
            break i;
        }
    };
    let lits = pseudocode::lines_of_event(doc(), &c, voted);
    assert_eq!(ids(&lits), ["rv.receive", "rv.stale-term", "rv.voted-for", "rv.log-ok", "rv.grant"]);
    let both = "lastLogTerm 0 = mine; candidate lastLogIndex 0 >= my lastLogIndex 0: true";
    assert_eq!(seen(&lits, "rv.log-ok"), both);
    assert!(pseudocode::lines_of_event(doc(), &c, c.events().len()).is_empty());
}

/// A rejected AppendEntries' lines show both sides of its checks from the
/// event alone, as the panel asks for them (no request remembered): the
/// request's term against the follower's, and the leader's prevLogTerm
/// against the follower's own entry, cross-checked against both logs (the
/// two terms differ, so swapped fields would fail).
#[test]
fn a_rejected_append_entries_shows_both_sides_without_remembered_requests() {
    let (mut c, old, third) = old_leader_rejoins();
    let mine_log = c.node(old).unwrap().log().to_vec();
    let theirs_log = c.node(third).unwrap().log().to_vec();
    c.until(
        3000,
        |e| matches!(e, EventData::AppendRejected { node, reason: RejectReason::TermMismatch(_), .. } if *node == old),
    );
    let i = c
        .events()
        .iter()
        .rposition(|e| matches!(e.what, EventData::AppendRejected { node, .. } if node == old))
        .unwrap();
    let EventData::AppendRejected {
        term,
        prev_log_index: at,
        prev_log_term,
        reason: RejectReason::TermMismatch(t),
        own_term,
        ..
    } = c.events()[i].what.clone()
    else {
        unreachable!()
    };
    let (mine, theirs) = (mine_log[at as usize - 1].term, theirs_log[at as usize - 1].term);
    assert_ne!(mine, theirs, "a mismatch");
    assert_eq!((t, prev_log_term), (mine, theirs), "the follower's entry, the leader's prevLogTerm");
    assert_eq!((term, own_term), (c.node(third).unwrap().term(), term), "the request's term, now the follower's");
    let lits = pseudocode::lines_of_event(doc(), &c, i);
    assert_eq!(ids(&lits), ["ae.receive", "ae.stale-term", "ae.follow", "ae.prev-missing", "ae.prev-term"]);
    assert_eq!(seen(&lits, "ae.prev-term"), format!("log[{at}].term {mine} != prevLogTerm {theirs}: true"));
    assert_eq!(seen(&lits, "ae.stale-term"), format!("term {term} < currentTerm {term}: false"));
}

/// A stale AppendEntries' rejection says both terms from the event alone
/// (scenarios/leadership-transfer.txt: the old leader's heartbeats reach
/// servers that already voted in the target's newer term).
#[test]
fn a_stale_append_entries_shows_both_terms_without_remembered_requests() {
    use raft_playground::script;
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/leadership-transfer.txt")).unwrap();
    let c = script::run(&script::parse(script::split_trace(&text).0).unwrap()).unwrap().cluster;
    let k = c
        .events()
        .iter()
        .position(|e| matches!(e.what, EventData::AppendRejected { reason: RejectReason::StaleTerm, .. }))
        .expect("the old leader's heartbeats reach a newer term");
    let EventData::AppendRejected { term, own_term, .. } = c.events()[k].what else { unreachable!() };
    assert!(term < own_term, "{term} < {own_term}");
    let lits = pseudocode::lines_of_event(doc(), &c, k);
    assert_eq!(ids(&lits), ["ae.receive", "ae.stale-term"]);
    assert_eq!(seen(&lits, "ae.stale-term"), format!("term {term} < currentTerm {own_term}: true"));
}

/// A commit seen in the panel compares the entry's term with the leader's
/// term then, read from the trace (not the server's term now).
#[test]
fn a_commit_compares_with_the_leaders_term_from_the_trace() {
    let mut c = cluster(3, Settings::default());
    let l = wait_leader(&mut c);
    c.advance(300);
    let i = c.events().iter().position(|e| matches!(e.what, EventData::Committed { .. })).expect("the no-op commits");
    let term = c.node(l).unwrap().term();
    assert_eq!(pseudocode::term_at(c.events(), i, l), Some(term));
    let lits = pseudocode::lines_of_event(doc(), &c, i);
    assert_eq!(ids(&lits), ["commit.majority", "commit.own-term", "commit.set", "all.apply"]);
    assert!(seen(&lits, "commit.own-term").ends_with(&format!("== currentTerm {term}: true")), "{lits:?}");
    assert_eq!(pseudocode::term_at(c.events(), 0, l), None, "nothing about it yet");
}

/// An inspected message: the sender's line while in flight; once
/// delivered, the receiver's lines too, with the request's values.
#[test]
fn an_inspected_message_shows_its_senders_lines_then_its_receivers() {
    let mut c = cluster(3, Settings::default());
    // The first request of the first election that got a vote.
    let mut tried = Vec::new();
    let lits = loop {
        c.step();
        let m =
            c.messages().into_iter().find(|m| m.payload.kind() == MessageKind::RequestVote && !tried.contains(&m.id));
        let Some(vote) = m.cloned() else { continue };
        tried.push(vote.id);
        let sent = pseudocode::lines_of_message(doc(), &c, &vote, false);
        assert_eq!(ids(&sent), ["cand.start"]);
        assert!(seen(&sent, "cand.start").ends_with("lastLogIndex 0, lastLogTerm 0"), "{sent:?}");
        while c.message(vote.id).is_some() {
            c.step();
        }
        let lits = pseudocode::lines_of_message(doc(), &c, &vote, true);
        // A receiver still in an older term takes the request's first (its TermAdopted).
        let mut order = ids(&lits);
        if order.get(1) == Some(&"all.newer-term") {
            assert!(seen(&lits, "all.newer-term").starts_with("term 1 from "), "{lits:?}");
            order.remove(1);
        }
        assert_eq!(order[..3], ["cand.start", "rv.receive", "rv.stale-term"], "{lits:?}");
        if ids(&lits).contains(&"rv.grant") {
            break lits;
        }
    };
    assert_eq!(seen(&lits, "rv.log-ok"), "lastLogTerm 0 = mine; candidate lastLogIndex 0 >= my lastLogIndex 0: true");

    let l = wait_leader(&mut c);
    c.advance(300);
    let beat = loop {
        c.step();
        let m = c.messages().into_iter().find(|m| m.payload.kind() == MessageKind::Heartbeat).cloned();
        if let Some(m) = m {
            break m;
        }
    };
    assert_eq!(beat.from, Addr::Node(l));
    let sent = pseudocode::lines_of_message(doc(), &c, &beat, false);
    assert_eq!(ids(&sent), ["ldr.heartbeat"]);
    while c.message(beat.id).is_some() {
        c.step();
    }
    let lits = pseudocode::lines_of_message(doc(), &c, &beat, true);
    assert_eq!(ids(&lits)[0], "ldr.heartbeat");
    assert_eq!(*ids(&lits).last().unwrap(), "ae.reply");
    let mut unique = ids(&lits);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), lits.len(), "each line once: {lits:?}");
}

#[test]
fn the_markup_lights_the_lines_in_order_with_their_values_escaped() {
    let p = shipped();
    let on = pseudocode::options_on(&Settings::default());
    let lits = vec![
        Lit { id: "rv.receive".into(), seen: "term 2".into() },
        Lit { id: "rv.log-ok".into(), seen: "candidate lastLogTerm 2 > my lastLogTerm 1: true".into() },
        Lit { id: "pv.start".into(), seen: "<b>".into() },
        Lit { id: "ae.follow".into(), seen: String::new() },
    ];
    let html = pseudocode::render(&p, &on, &lits, &["ae".to_string()]);
    assert!(html.contains(
        r#"<li class="pc-line pc-d2 pc-lit" data-id="rv.log-ok"><span class="pc-n">2</span><code>if candidate&apos;s log"#
    ));
    assert!(html.contains(r#"<span class="pc-seen">candidate lastLogTerm 2 &gt; my lastLogTerm 1: true</span>"#));
    assert!(html.contains(r#"<li class="pc-line pc-d0 pc-lit" data-id="rv.receive"><span class="pc-n">1</span>"#));
    // The pre-vote line ran before it but is not shown: it takes no number.
    assert!(html.contains(r#"data-id="ae.follow"><span class="pc-n">3</span><code>leader = leaderId"#), "{html}");
    assert_eq!(html.matches("pc-seen").count(), 2, "a line that compared nothing shows no values");
    assert!(!html.contains("&lt;b&gt;") && !html.contains("pv.start"), "pre-vote is off: not shown");
    assert_eq!(html.matches(r#"<section class="pc-proc pc-on""#).count(), 2);
    assert!(html.contains(r#"<details class="pc-why" data-why="ae" open>"#));
    assert!(html.contains(r#"<details class="pc-why" data-why="rv"><summary>"#));
    assert_eq!(html.matches("<section").count(), p.shown(&on).len());
    assert_eq!(html.matches("<li ").count(), p.shown(&on).iter().map(|p| p.lines.len()).sum::<usize>());
    assert!(!pseudocode::render(&p, &on, &[], &[]).contains("pc-lit"));
}

/// The panel's head: the latest event while following, the event chosen
/// with its neighbours, or the message inspected; never a stale index.
#[test]
fn what_the_panel_shows_follows_the_run_or_the_choice() {
    let mut c = cluster(3, Settings::default());
    let none = pseudocode::showing(doc(), &c, None, None);
    assert!(none.following && none.lits.is_empty() && none.event.is_none());
    assert!(none.what.starts_with("Nothing has run a rule yet"));
    wait_leader(&mut c);
    c.advance(300);
    let events = c.events();
    let latest = pseudocode::showing(doc(), &c, None, None);
    assert_eq!(latest.event, pseudocode::latest_lit(events));
    assert_eq!((latest.heading.as_str(), latest.later), ("Latest event", None));
    let i = latest.event.unwrap();
    assert!(latest.what.ends_with(&events[i].text()), "{}", latest.what);
    assert_eq!(latest.earlier, pseudocode::next_lit(events, i, true));
    let won = events.iter().position(|e| matches!(e.what, EventData::LeaderElected { .. })).unwrap();
    let chosen = pseudocode::showing(doc(), &c, Some(won), None);
    assert!(!chosen.following);
    assert_eq!(chosen.heading, format!("Event {} of {}", won + 1, events.len()));
    assert_eq!(ids(&chosen.lits), ["cand.win", "ldr.elected"]);
    assert_eq!(chosen.later, pseudocode::next_lit(events, won, false));
    assert!(chosen.later.is_some());
    assert_eq!(pseudocode::showing(doc(), &c, Some(events.len()), None).event, latest.event, "out of range: follows");
    let m = c.messages().into_iter().find(|m| matches!(m.payload, Payload::Raft(_))).cloned().expect("heartbeats");
    let msg = pseudocode::showing(doc(), &c, Some(won), Some((&m, false)));
    assert_eq!(msg.heading, format!("Message #{}", m.id));
    assert!(msg.what.ends_with(", in flight"), "{}", msg.what);
    assert_eq!(msg.lits, pseudocode::lines_of_message(doc(), &c, &m, false));
}

// ----- the rules in the file against the Rust mapping (the oracle) ----------------------

thread_local! {
    /// The ids of the lines the oracle comparisons saw lit.
    static LIT: std::cell::RefCell<std::collections::BTreeSet<String>> = Default::default();
}

fn note(lits: &[Lit]) {
    LIT.with(|l| l.borrow_mut().extend(lits.iter().map(|x| x.id.clone())));
}

/// Checks one event against the oracle with several contexts: nothing
/// known; the cluster's size, the server's term (its own and another),
/// fast back-up on; and each kind of request that may have caused it, its
/// last entry before, at and after the voter's.
fn check_event_contexts(e: &EventData, checked: &mut usize) {
    // A vote's event with the candidate's last entry before, at and after
    // the voter's (a vote granted with a log behind: the unsafe switch).
    if let Some(own) = e.log_check() {
        for (di, dt) in [(0, 0), (1, 0), (0, 1), (1, 1), (2, 1), (1, 2)] {
            let (ci, ct) = ((own.own_last_index + di).saturating_sub(1), (own.own_last_term + dt).saturating_sub(1));
            let mut v = e.clone();
            if let EventData::Voted { candidate_last_index, candidate_last_term, .. }
            | EventData::VoteRefused { candidate_last_index, candidate_last_term, .. }
            | EventData::PreVoteGranted { candidate_last_index, candidate_last_term, .. }
            | EventData::PreVoteRefused { candidate_last_index, candidate_last_term, .. } = &mut v
            {
                (*candidate_last_index, *candidate_last_term) = (ci, ct);
            }
            check_one_event(&v, checked);
        }
    }
    check_one_event(e, checked);
}

/// [`check_event_contexts`] for one event as it is.
fn check_one_event(e: &EventData, checked: &mut usize) {
    let doc = doc();
    let want = event_lines(e, &Context::default());
    assert_eq!(pseudocode::lights(e), !want.is_empty(), "lights() for {e:?}");
    // (The requests that may have caused a rejection: their previous entry about entry 3 of term 2.)
    let (li, lt): (u64, u64) = (3, 2);
    let n_term = match e {
        EventData::Committed { entries, .. } => entries.last().map_or(0, |x| x.term),
        _ => 4,
    };
    let mut messages = vec![None];
    let asks = matches!(e, EventData::AppendRejected { .. });
    for (di, dt) in [(0, 0), (1, 0), (0, 1), (1, 1), (2, 1), (1, 2)] {
        let (i, t) = ((li + di).saturating_sub(1), (lt + dt).saturating_sub(1));
        for body in [
            Body::RequestVote { last_log_index: i, last_log_term: t, transfer: false },
            Body::PreVote { last_log_index: i, last_log_term: t },
            Body::AppendEntries {
                prev_log_index: i,
                prev_log_term: t,
                entries: Vec::new(),
                leader_commit: i,
                round: 0,
            },
            Body::RequestVoteReply { granted: true },
        ] {
            messages.push(Some(Message { from: NodeId(1), to: NodeId(2), term: t + 1, body }));
        }
        if !asks {
            break;
        }
    }
    let terms =
        if matches!(e, EventData::Committed { .. }) { &[None, Some(n_term), Some(n_term + 1)][..] } else { &[None] };
    for servers in [0, 5] {
        for &term in terms {
            for options in [&["transfer"][..], &["fast_backup", "pre_vote"][..]] {
                for m in &messages {
                    let cx = Context { servers, message: m.as_ref(), term, options };
                    let want = event_lines(e, &cx);
                    assert_eq!(pseudocode::event_lines(doc, e, &cx), want, "{e:?} with {cx:?}");
                    note(&want);
                    *checked += 1;
                }
            }
        }
    }
}

/// The lines of every event of `c` and of every message in flight, as the
/// panel asks for them, against the oracle.
fn check_cluster(c: &Cluster, from: usize, in_flight: bool, checked: &mut usize) {
    for i in from..c.events().len() {
        let want = oracle::lines_of_event(c, i);
        assert_eq!(pseudocode::lines_of_event(doc(), c, i), want, "event {i}: {:?}", c.events()[i].what);
        note(&want);
        *checked += 1;
    }
    for m in c.messages().into_iter().filter(|_| in_flight) {
        for arrived in [false, true] {
            let want = oracle::lines_of_message(c, m, arrived);
            assert_eq!(pseudocode::lines_of_message(doc(), c, m, arrived), want);
            assert!(!want.is_empty(), "every message lights a line: {m:?}");
            note(&want);
            *checked += 1;
        }
    }
}

/// The page's mapping from events and messages to lines is data (the
/// `light` rules of www/pseudocode.txt); the Rust mapping it replaced is the
/// oracle (tests/pseudocode_oracle). For every distinct event of every
/// scenario, with every context (see [`check_event_contexts`]), and for the
/// trace's last events and the messages in flight at its end as the panel
/// asks for them, the rules light exactly the same lines with the same values.
#[test]
fn the_rules_in_the_file_light_what_the_rust_mapping_lights_in_every_scenario() {
    use raft_playground::script;
    let mut checked = 0;
    let mut distinct = std::collections::HashSet::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|x| x == "txt")) {
        let text = std::fs::read_to_string(path).unwrap();
        let s = script::parse(script::split_trace(&text).0).unwrap();
        let c = script::run(&s).unwrap().cluster;
        for e in c.events() {
            if distinct.insert(format!("{:?}", e.what)) {
                check_event_contexts(&e.what, &mut checked);
            }
        }
        // As the panel asks (the trace's last events: each looks back through it).
        let from = c.events().len().saturating_sub(300);
        check_cluster(&c, from, true, &mut checked);
    }
    assert!(checked > 10_000, "{checked} comparisons");
    let never = never_lit();
    println!("{checked} comparisons; lines never lit: {never:?}");
    assert!(never.len() <= 20, "{never:?}");
}

/// The ids of the rules' lines no comparison of this thread saw lit.
fn never_lit() -> Vec<String> {
    let lit = LIT.with(|l| l.borrow().clone());
    let mut never: Vec<String> = doc().rules.iter().map(|r| r.id.clone()).filter(|id| !lit.contains(id)).collect();
    never.sort();
    never.dedup();
    never
}

/// The same for every event and message of seeded random runs with faults,
/// options and membership changes, step by step: each event with the
/// requests the panel would have remembered, each message in flight (now
/// and then) and once delivered.
#[test]
fn the_rules_in_the_file_light_what_the_rust_mapping_lights_in_random_runs() {
    let mut checked = 0;
    for seed in 0..8u64 {
        let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n.max(1)
        };
        let raft = Settings {
            pre_vote: next(2) == 0,
            check_quorum: next(2) == 0,
            fast_backup: next(2) == 0,
            exactly_once: next(2) == 0,
            read_mode: if next(3) == 0 { ReadMode::Lease } else { ReadMode::default() },
            unsafe_commit_old_terms: next(5) == 0,
            ..Settings::default()
        };
        // Log compaction in some runs: snapshots sent to servers that were down.
        #[cfg(feature = "compaction")]
        let raft = Settings { snapshot_threshold: std::num::NonZeroU64::new(if next(2) == 0 { 6 } else { 0 }), ..raft };
        let cfg = Config {
            seed,
            raft,
            election_timeout_ms: if next(3) == 0 { (150, 170) } else { (150, 300) },
            latency_ms: (5, 10 + next(100)),
            ..Config::default()
        };
        let mut c = Cluster::new(cfg).unwrap();
        for round in 0..40 {
            let ids = c.node_ids();
            let n = ids[next(ids.len() as u64) as usize];
            let _ = match next(12) {
                0 => c.crash(n),
                1 => c.restart(n),
                2 => c.disconnect(n),
                3 => c.reconnect(n),
                4 => c.timeout_now(n),
                5 => c.transfer_leadership(n),
                6 => {
                    c.client_read("x");
                    Ok(())
                }
                #[cfg(feature = "membership")]
                7 if round % 3 == 0 => c.add_server().map(|_| ()),
                #[cfg(feature = "membership")]
                8 if round % 3 == 0 => c.remove_server(n),
                _ => {
                    c.client_write(Command::set("x", round));
                    Ok(())
                }
            };
            for _ in 0..25 {
                let from = c.events().len();
                let before: Vec<InFlight> = c.messages().into_iter().cloned().collect();
                if c.step().is_none() {
                    break;
                }
                let after: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
                check_cluster(&c, from, round % 8 == 0, &mut checked);
                for m in before.iter().filter(|m| !after.contains(&m.id)) {
                    let want = oracle::lines_of_message(&c, m, true);
                    assert_eq!(pseudocode::lines_of_message(doc(), &c, m, true), want, "delivered: {m:?}");
                    assert!(!want.is_empty(), "every message delivered lights a line: {m:?}");
                    note(&want);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked} comparisons");
    let never = never_lit();
    println!("{checked} comparisons; lines never lit: {never:?}");
    assert!(never.len() <= 20, "{never:?}");
}
