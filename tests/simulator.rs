//! The simulator around the nodes: input checking, the network, the client,
//! replay and determinism.

use raft_playground::sim::*;

mod common;
use common::{s, wait_leader};

fn cluster(seed: u64) -> Cluster {
    Cluster::new(Config { seed, ..Config::default() }).unwrap()
}

// ----- bad input -----------------------------------------------------------------------

#[test]
fn bad_configs_are_refused_with_a_reason() {
    let bad = |cfg: Config| Cluster::new(cfg).expect_err("refused").to_string();
    let d = Config::default;
    assert_eq!(bad(Config { nodes: 0, ..d() }), "a cluster has 1 to 9 servers, not 0");
    assert_eq!(bad(Config { nodes: 10, ..d() }), "a cluster has 1 to 9 servers, not 10");
    assert!(bad(Config { drop_rate: -0.1, ..d() }).contains("drop rate must be a number from 0 to 1"));
    assert!(bad(Config { drop_rate: 1.5, ..d() }).contains("not 1.5"));
    assert!(bad(Config { drop_rate: f64::NAN, ..d() }).contains("NaN"));
    assert!(bad(Config { election_timeout_ms: (300, 150), ..d() }).contains("low end is above the high end"));
    assert!(bad(Config { election_timeout_ms: (0, 10), ..d() }).contains("at 1 ms or more"));
    assert!(bad(Config { latency_ms: (30, 10), ..d() }).contains("latency 30..10"));
    assert!(bad(Config { heartbeat_ms: 0, ..d() }).contains("heartbeat"));
    for n in 1..=9 {
        assert!(Cluster::new(Config { nodes: n, ..d() }).is_ok());
    }
}

#[test]
fn bad_calls_are_refused_with_a_reason_and_change_nothing() {
    let mut c = cluster(1);
    let l = wait_leader(&mut c);
    let hash = c.trace_hash();
    assert_eq!(c.crash(s(0)).unwrap_err().to_string(), "there is no server S0");
    assert_eq!(c.crash(s(6)).unwrap_err().to_string(), "there is no server S6");
    assert!(c.node(s(6)).is_none() && c.node(s(0)).is_none());
    assert_eq!(c.restart(s(1)).unwrap_err(), SimError::NodeAlreadyUp(s(1)));
    assert_eq!(c.reconnect(s(1)).unwrap_err(), SimError::NotDisconnected(s(1)));
    assert_eq!(
        c.set_drop_rate(f64::NAN).unwrap_err().to_string(),
        "the drop rate must be a number from 0 to 1, not NaN"
    );
    assert!(c.set_drop_rate(2.0).is_err() && c.set_drop_rate(-1.0).is_err());
    assert!(c.set_latency_ms(50, 10).is_err());
    assert!(c.set_election_timeout_ms(0, 0).is_err());
    assert!(c.set_heartbeat_ms(0).is_err());
    assert_eq!(
        c.partition(&[vec![s(1), s(2)], vec![s(2), s(3)]]).unwrap_err().to_string(),
        "S2 is named in two partition groups"
    );
    assert_eq!(c.partition(&[vec![s(1), s(7)]]).unwrap_err(), SimError::UnknownNode(7));
    assert_eq!(c.drop_message(999_999).unwrap_err().to_string(), "no message #999999 is in flight");
    assert!(c.duplicate_message(999_999).is_err());
    assert_eq!(c.transfer_leadership(l).unwrap_err(), SimError::AlreadyLeader(l));
    let f = c.node_ids().into_iter().find(|&n| n != l).unwrap();
    assert!(matches!(c.submit(f, Command::set("x", 1)), Err(SimError::NotLeader { node, .. }) if node == f));
    assert!(c.apply(Action::Write { command: Command::set("", 1), to: None }).is_err());
    assert!(c.apply(Action::Write { command: Command::set("a key with spaces", 1), to: None }).is_err());
    assert!(c.client_write_to(s(9), Command::set("x", 1)).is_err());
    assert_eq!(c.trace_hash(), hash, "refused calls leave no trace");
    assert!(c.history().is_empty());
    c.crash(f).unwrap();
    assert_eq!(c.crash(f).unwrap_err().to_string(), format!("{f} is crashed"));
    assert_eq!(c.timeout_now(f).unwrap_err(), SimError::NodeDown(f));
    assert_eq!(c.transfer_leadership(f).unwrap_err(), SimError::NodeDown(f));
}

#[test]
fn unstable_timings_come_with_warnings() {
    assert!(Config::default().warnings().is_empty(), "{:?}", Config::default().warnings());
    let w = Config { heartbeat_ms: 200, ..Config::default() }.warnings();
    assert!(w.iter().any(|w| w.contains("heartbeat")), "{w:?}");
    let w = Config { latency_ms: (50, 100), ..Config::default() }.warnings();
    assert!(w.iter().any(|w| w.contains("round trip")), "{w:?}");
    let w = Config { election_timeout_ms: (150, 160), ..Config::default() }.warnings();
    assert!(w.iter().any(|w| w.contains("split votes")), "{w:?}");
}

// ----- the network ---------------------------------------------------------------------

#[test]
fn messages_carry_their_fields_and_take_a_delay_from_the_latency_range() {
    let mut c = Cluster::new(Config { latency_ms: (20, 40), ..Config::default() }).unwrap();
    let mut seen = 0;
    for _ in 0..200 {
        c.advance(5);
        for m in c.messages() {
            let d = m.arrive_at - m.sent_at;
            assert!((20..=40).contains(&d), "delay {d}");
            assert!(m.sent_at <= c.now() && c.now() <= m.arrive_at);
            let p = m.progress(c.now());
            assert!((0.0..=1.0).contains(&p));
            if let Payload::Raft(r) = &m.payload {
                assert_eq!((Addr::Node(r.from), Addr::Node(r.to)), (m.from, m.to));
            }
            seen += 1;
        }
    }
    assert!(seen > 50);
}

#[test]
fn every_message_is_lost_when_the_drop_rate_is_one() {
    let mut c = Cluster::new(Config { drop_rate: 1.0, ..Config::default() }).unwrap();
    c.advance(5_000);
    assert_eq!(c.leader(), None, "no vote ever arrives");
    assert!(!c.events().iter().any(|e| matches!(e.what, EventData::Voted { .. })));
    assert!(c.lost_messages().all(|l| l.cause == LossCause::Random));
    c.set_drop_rate(0.0).unwrap();
    wait_leader(&mut c);
}

#[test]
fn some_messages_are_lost_at_a_moderate_drop_rate_and_raft_still_commits() {
    let mut c = Cluster::new(Config { drop_rate: 0.2, seed: 3, ..Config::default() }).unwrap();
    let mut lost = 0;
    for i in 0..100 {
        c.advance(50);
        lost += c.lost_messages().filter(|l| l.lost_at + 50 > c.now()).count();
        if i % 10 == 0 {
            c.client_write(Command::set("x", i));
        }
    }
    c.advance(5_000);
    assert!(lost > 10);
    assert!(c.client_ops().iter().all(|o| o.is_acked()), "{:?}", c.client_ops());
    assert!(c.violations().is_empty());
}

#[test]
fn a_partition_cuts_messages_in_flight_at_once() {
    let mut c = cluster(2);
    let l = wait_leader(&mut c);
    // Wait until a message from the leader is in flight.
    while !c.messages().iter().any(|m| m.from == Addr::Node(l)) {
        c.advance(1);
    }
    let inflight: Vec<u64> = c.messages().iter().filter(|m| m.from == Addr::Node(l)).map(|m| m.id).collect();
    let rest: Vec<NodeId> = c.node_ids().into_iter().filter(|&n| n != l).collect();
    c.partition(&[vec![l], rest.clone()]).unwrap();
    for id in &inflight {
        assert!(c.message(*id).is_none(), "message {id} should be gone");
        let lost = c.lost_messages().find(|m| m.message.id == *id).expect("listed as lost");
        assert_eq!((lost.cause, lost.lost_at), (LossCause::Cut, c.now()));
    }
    assert!(!c.can_reach(Addr::Node(l), Addr::Node(rest[0])));
    assert!(c.can_reach(Addr::Node(rest[0]), Addr::Node(rest[1])));
    assert!(c.can_reach(Addr::Client, Addr::Node(l)), "the client reaches both sides");
    assert_eq!(
        c.describe_groups(),
        format!("{{{l}}} | {{{}}}", rest.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "))
    );
    c.heal();
    assert!(c.can_reach(Addr::Node(l), Addr::Node(rest[0])));
}

#[test]
fn a_disconnected_server_hears_nothing_and_is_heard_by_no_one() {
    let mut c = cluster(6);
    let l = wait_leader(&mut c);
    let f = c.node_ids().into_iter().find(|&n| n != l).unwrap();
    c.disconnect(f).unwrap();
    assert!(c.node(f).unwrap().is_disconnected());
    let term = c.node(l).unwrap().term();
    c.advance(2_000);
    assert!(c.node(f).unwrap().term() > term, "it times out again and again, alone");
    assert_eq!(c.leader(), Some(l), "nobody else hears its elections");
    assert!(!c.can_reach(Addr::Client, Addr::Node(f)));
    c.reconnect(f).unwrap();
    c.advance(2_000);
    assert!(c.leader().is_some());
    assert!(c.violations().is_empty());
}

#[test]
fn a_dropped_message_never_arrives_and_a_duplicate_arrives_twice() {
    let mut c = cluster(4);
    let l = wait_leader(&mut c);
    c.advance(200);
    c.submit(l, Command::set("d", 1)).unwrap();
    let ae: Vec<u64> =
        c.messages().iter().filter(|m| matches!(m.payload.kind(), MessageKind::AppendEntries)).map(|m| m.id).collect();
    assert_eq!(ae.len(), 4, "one AppendEntries to each follower");
    let target = c.message(ae[0]).unwrap().to;
    c.drop_message(ae[0]).unwrap();
    assert!(c.message(ae[0]).is_none());
    assert_eq!(c.lost_messages().last().unwrap().cause, LossCause::Dropped);
    let copy = c.duplicate_message(ae[1]).unwrap();
    let m = c.message(copy).unwrap();
    assert!(m.duplicate);
    assert_eq!(m.payload, c.message(ae[1]).unwrap().payload);
    c.advance(100);
    if let Addr::Node(t) = target {
        assert_eq!(
            c.node(t).unwrap().log().len(),
            c.node(l).unwrap().log().len() - 1,
            "the dropped entry did not arrive"
        );
    }
    // The leader's retries fill the gap, and the duplicate changed nothing.
    c.advance(500);
    for n in c.node_ids() {
        assert_eq!(c.node(n).unwrap().log(), c.node(l).unwrap().log());
    }
    assert!(c.violations().is_empty());
}

#[test]
fn lost_messages_are_kept_only_briefly() {
    let mut c = Cluster::new(Config { drop_rate: 1.0, ..Config::default() }).unwrap();
    c.advance(1_000);
    assert!(c.lost_messages().count() > 0);
    assert!(c.lost_messages().all(|l| l.lost_at + LOST_KEEP_MS >= c.now()));
}

// ----- the client ----------------------------------------------------------------------

#[test]
fn the_client_follows_the_leader_hint_and_records_where_its_write_landed() {
    let mut c = cluster(7);
    let l = wait_leader(&mut c);
    c.advance(200);
    let f = c.node_ids().into_iter().find(|&n| n != l).unwrap();
    let op = c.client_write_to(f, Command::set("x", 3)).unwrap();
    c.advance(500);
    let o = &c.client_ops()[op as usize];
    assert!(o.is_acked(), "{o:?}");
    assert_eq!(o.attempts, 2, "first to {f}, then to {l}");
    assert_eq!(o.target, Some(l));
    let OpStatus::Acked { index, by, .. } = o.status.clone() else { unreachable!() };
    assert_eq!(by, l);
    assert_eq!(o.landed, vec![Landing { node: l, index, term: c.node(l).unwrap().term() }]);
    assert_eq!(c.client_leader(), Some(l));
    assert!(c.events().iter().any(|e| e.what == EventData::ClientRedirected { op, from: f, to: l, read: false }));
    for n in c.node_ids() {
        assert_eq!(c.node(n).unwrap().raft().kv().get("x"), Some(&3));
    }
}

#[test]
fn the_client_retries_elsewhere_when_the_leader_does_not_answer() {
    let mut c = cluster(8);
    let l = wait_leader(&mut c);
    c.advance(200);
    let first = c.client_write(Command::set("a", 1));
    c.advance(300);
    assert!(c.client_ops()[first as usize].is_acked());
    c.crash(l).unwrap();
    let op = c.client_write(Command::set("b", 2));
    assert_eq!(c.client_ops()[op as usize].target, Some(l), "it still believes in the old leader");
    c.advance(3_000);
    let o = &c.client_ops()[op as usize];
    assert!(o.is_acked(), "{o:?}");
    assert!(o.attempts >= 2);
    assert!(c
        .events()
        .iter()
        .any(|e| matches!(e.what, EventData::ClientTimedOut { op: o, from: Some(from), .. } if (o, from) == (op, l))));
}

#[test]
fn the_client_gives_up_when_no_leader_can_be_found() {
    let mut c = Cluster::new(Config { client_give_up_ms: 2_000, ..Config::default() }).unwrap();
    wait_leader(&mut c);
    for n in [1, 2, 3] {
        c.crash(s(n)).unwrap();
    }
    let op = c.client_write(Command::set("x", 1));
    c.advance(5_000);
    let o = &c.client_ops()[op as usize];
    assert!(matches!(o.status, OpStatus::Failed { .. }), "{o:?}");
    assert!(!o.is_acked() && !o.is_pending());
}

// ----- replay and determinism ----------------------------------------------------------

#[test]
fn the_same_seed_and_actions_give_the_same_run() {
    let a = determinism_run();
    let b = determinism_run();
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.events(), b.events());
    assert!(a.violations().is_empty(), "{:#?}", a.violations());
    assert!(a.client_ops().iter().filter(|o| o.is_acked()).count() >= 6);
}

#[test]
fn the_determinism_run_matches_the_recorded_hash() {
    // Recorded once; the browser test checks the same constant.
    assert_eq!(determinism_run().trace_hash(), DETERMINISM_TRACE_HASH, "{:#018x}", determinism_run().trace_hash());
}

#[test]
fn different_seeds_give_different_runs() {
    let h: Vec<u64> = (0..5)
        .map(|seed| {
            let mut c = cluster(seed);
            c.advance(2_000);
            c.trace_hash()
        })
        .collect();
    for i in 0..h.len() {
        for j in i + 1..h.len() {
            assert_ne!(h[i], h[j]);
        }
    }
}

#[test]
fn advancing_in_small_or_big_steps_makes_no_difference() {
    let mut a = cluster(5);
    let mut b = cluster(5);
    a.advance(3_000);
    for _ in 0..300 {
        b.advance(10);
    }
    assert_eq!(a.trace_hash(), b.trace_hash());
    let mut stepped = cluster(5);
    while stepped.now() < 3_000 {
        // Nothing left to happen (a cluster whose timers were never armed)
        // ends the loop too: `step` would not advance time.
        if stepped.next_event_time().is_none_or(|t| t > 3_000) {
            break;
        }
        stepped.step();
    }
    stepped.advance_to(3_000);
    assert_eq!(stepped.trace_hash(), a.trace_hash());
}

#[test]
fn replaying_the_history_rebuilds_the_same_cluster() {
    let live = determinism_run();
    let history = live.history().to_vec();
    assert!(!history.is_empty());
    let replayed = Cluster::replay(live.initial_config().clone(), &history, live.now()).unwrap();
    assert_eq!(replayed.trace_hash(), live.trace_hash());
    // A snapshot (clone) continues exactly like the original.
    let mut a = live.clone();
    let mut b = live;
    a.client_write(Command::set("q", 1));
    b.client_write(Command::set("q", 1));
    a.advance(1_000);
    b.advance(1_000);
    assert_eq!(a.trace_hash(), b.trace_hash());
}

/// A snapshot keeps the servers' logs apart from the rest of each node; a
/// restored one gives every server its log back and goes on the same.
#[test]
fn a_restored_snapshot_gives_every_server_its_log_back() {
    let mut live = determinism_run();
    let mut restored = live.snapshot(None).restore();
    assert!(live.servers().iter().any(|s| !s.log().is_empty()));
    for (a, b) in restored.servers().iter().zip(live.servers()) {
        assert_eq!(a.log(), b.log(), "{}", b.id());
    }
    for c in [&mut live, &mut restored] {
        c.client_write(Command::set("q", 1));
        c.advance(1_000);
    }
    assert_eq!(restored.trace_hash(), live.trace_hash());
}

#[test]
fn actions_and_configs_round_trip_through_json() {
    // Actions and configs are data (for shared links and scenario scripts).
    let mut history = determinism_script();
    history.push((10_000, Action::Write { command: Command::Noop, to: Some(s(2)) }));
    history.push((10_001, Action::Submit { node: s(3), command: Command::set("k", -4) }));
    history.push((10_002, Action::Read { key: "x".into(), to: None }));
    history.push((10_003, Action::SetOption { name: "pre_vote".into(), value: SwitchValue::Flag(true) }));
    history.push((10_004, Action::SetOption { name: "read_mode".into(), value: SwitchValue::Choice("lease".into()) }));
    history.push((10_005, Action::SetOption { name: "max_entries_per_append".into(), value: SwitchValue::Count(4) }));
    history
        .push((10_006, Action::SetOption { name: "max_entries_per_append".into(), value: SwitchValue::Flag(false) }));
    history.push((10_007, Action::SetLinks { links: Links::Reorder }));
    let text = serde_json::to_string(&history).unwrap();
    assert!(text.contains(r#"{"action":"read","key":"x"}"#), "{text}");
    assert!(text.contains(r#"{"action":"set_option","name":"pre_vote","value":true}"#), "{text}");
    assert!(text.contains(r#"{"action":"set_option","name":"read_mode","value":"lease"}"#), "{text}");
    assert!(text.contains(r#"{"action":"set_option","name":"max_entries_per_append","value":4}"#), "{text}");
    assert!(text.contains(r#"{"action":"set_option","name":"max_entries_per_append","value":false}"#), "{text}");
    assert!(text.contains(r#"{"action":"crash","node":1}"#), "{text}");
    assert!(text.contains(r#"{"action":"write","op":"set","key":"x","value":5,"to":1}"#), "{text}");
    assert!(text.contains(r#"{"action":"write","op":"noop","to":2}"#), "{text}");
    assert!(text.contains(r#"{"action":"submit","node":3,"op":"set","key":"k","value":-4}"#), "{text}");
    assert!(text.contains(r#"{"action":"set_drop_rate","rate":0.1}"#), "{text}");
    assert!(text.contains(r#"{"action":"set_links","links":"reorder"}"#), "{text}");
    let back: Vec<(u64, Action)> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, history);
    // Written by hand, fields in any order; a write without "to" goes to the believed leader.
    let typed: Action = serde_json::from_str(r#"{"key":"y","action":"write","value":2,"op":"set"}"#).unwrap();
    assert_eq!(typed, Action::Write { command: Command::set("y", 2), to: None });
    assert!(serde_json::from_str::<Action>(r#"{"action":"write","op":"delete","key":"y"}"#).is_err());
    let cfg: Config = serde_json::from_str(r#"{"nodes": 3, "seed": 9}"#).unwrap();
    assert_eq!((cfg.nodes, cfg.seed, cfg.heartbeat_ms), (3, 9, 50), "missing fields take their defaults");
    assert_eq!(cfg.links, Links::InOrder, "a config saved before the links setting: in order, as it was");
    let cfg: Config = serde_json::from_str(r#"{"links": "reorder"}"#).unwrap();
    assert_eq!(cfg.links, Links::Reorder);
    assert!(serde_json::from_str::<Config>(r#"{"links": "sometimes"}"#).is_err());
}

/// Every public method that changes a cluster records its action: a run made
/// without `apply` replays to the same trace, at every moment along the way.
#[test]
fn a_run_made_through_the_plain_methods_replays_exactly() {
    let mut c = Cluster::new(Config { seed: 11, drop_rate: 0.02, ..Config::default() }).unwrap();
    // (time, trace hash, revision) just before each advance, after every action at that instant.
    let mut cuts = Vec::new();
    let mut advance = |c: &mut Cluster, ms: u64| {
        cuts.push((c.now(), c.trace_hash(), c.revision()));
        c.advance(ms);
    };
    advance(&mut c, 1_000);
    let l = c.leader().expect("a leader after a second");
    let f = c.node_ids().into_iter().find(|&n| n != l).unwrap();
    c.submit(l, Command::set("a", 1)).unwrap();
    c.client_write(Command::set("b", 2));
    c.client_write(Command::Noop);
    c.client_write_to(f, Command::set("c", 3)).unwrap();
    c.client_read("b");
    c.client_read_from(f, "c").unwrap();
    c.set_option("check_quorum", SwitchValue::Flag(true)).unwrap();
    advance(&mut c, 5);
    let ids: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
    c.duplicate_message(ids[0]).unwrap();
    c.drop_message(ids[1]).unwrap();
    advance(&mut c, 300);
    c.crash(l).unwrap();
    c.set_latency_ms(5, 40).unwrap();
    c.set_drop_rate(0.1).unwrap();
    c.set_election_timeout_ms(200, 400).unwrap();
    c.set_heartbeat_ms(40).unwrap();
    c.set_links(Links::Reorder);
    advance(&mut c, 1_500);
    c.partition(&[vec![s(1), s(2)], vec![s(3), s(4), s(5)]]).unwrap();
    c.disconnect(f).unwrap();
    c.timeout_now(f).unwrap();
    c.client_write(Command::set("d", 4));
    advance(&mut c, 700);
    c.reconnect(f).unwrap();
    c.heal();
    c.restart(l).unwrap();
    c.set_drop_rate(0.0).unwrap();
    advance(&mut c, 1_500);
    let leader = c.leader().expect("a leader after the heal");
    let to = c.node_ids().into_iter().find(|&n| n != leader).unwrap();
    c.transfer_leadership(to).unwrap();
    advance(&mut c, 2_000);
    // Refused calls are not recorded.
    let recorded = c.history().len();
    assert!(c.restart(to).is_err() && c.drop_message(u64::MAX).is_err() && c.partition(&[vec![s(9)]]).is_err());
    assert_eq!(c.history().len(), recorded);
    advance(&mut c, 0);

    let history = c.history().to_vec();
    assert_eq!(history.len(), 24, "every successful call, once: {history:#?}");
    let kinds: std::collections::BTreeSet<String> =
        history.iter().map(|(_, a)| serde_json::to_value(a).unwrap()["action"].to_string()).collect();
    assert_eq!(kinds.len(), 19, "every kind of action: {kinds:?}");
    for (at, hash, revision) in cuts {
        let r = Cluster::replay(c.initial_config().clone(), &history, at).unwrap();
        assert_eq!((r.now(), r.trace_hash(), r.revision()), (at, hash, revision), "replayed to {at} ms");
    }
    let r = Cluster::replay(c.initial_config().clone(), &history, c.now()).unwrap();
    assert_eq!(r.events(), c.events());
    assert_eq!(r.client_ops(), c.client_ops());
    assert!(c.violations().is_empty());
    assert!(c.client_ops().iter().filter(|o| o.is_read()).all(|o| o.is_acked()), "both reads answered");
}

#[test]
fn options_change_through_the_one_door_and_bad_ones_are_refused_with_a_reason() {
    let mut c = cluster(4);
    let e = c.set_option("gossip", SwitchValue::Flag(true)).unwrap_err();
    assert!(e.to_string().starts_with("there is no option \"gossip\"; the options are fast_backup, "), "{e}");
    let e = c.set_option("pre_vote", SwitchValue::Count(3)).unwrap_err();
    assert_eq!(e.to_string(), "pre_vote takes on or off, not 3");
    let e = c.apply(Action::SetOption { name: "read_mode".into(), value: SwitchValue::Choice("sloppy".into()) });
    assert_eq!(e.unwrap_err().to_string(), "read_mode is read_index or lease, not \"sloppy\"");
    assert!(c.history().is_empty(), "refusals are not recorded");
    // Any case is taken, and recorded as the table spells it.
    c.set_option("Unsafe_Stale_Reads", SwitchValue::Flag(true)).unwrap();
    assert!(c.config().raft.unsafe_stale_reads && !c.initial_config().raft.unsafe_stale_reads);
    assert!(c.servers().iter().all(|s| s.raft().settings().unsafe_stale_reads));
    assert_eq!(
        c.history(),
        &[(0, Action::SetOption { name: "unsafe_stale_reads".into(), value: SwitchValue::Flag(true) })]
    );
    let last = c.events().last().unwrap();
    assert_eq!(last.kind(), EventKind::Settings);
    assert_eq!(last.text(), "what if (not Raft): reads from any server's own store on");
    c.set_option("read_mode", SwitchValue::Choice("LEASE".into())).unwrap();
    assert_eq!(c.config().raft.read_mode, ReadMode::Lease);
    assert_eq!(c.events().last().unwrap().text(), "options: read mode lease");
    // A crashed server takes the change too, and restarts with it.
    c.advance(1_000);
    c.crash(s(2)).unwrap();
    c.set_option("pre_vote", SwitchValue::Flag(true)).unwrap();
    c.restart(s(2)).unwrap();
    assert!(c.node(s(2)).unwrap().raft().settings().pre_vote);
}

#[test]
fn reads_go_through_the_client_and_a_key_never_written_reads_as_nothing() {
    let mut c = cluster(4);
    let l = wait_leader(&mut c);
    let w = c.client_write(Command::set("x", 7));
    c.advance(300);
    assert!(c.client_ops()[w as usize].is_acked());
    let f = c.node_ids().into_iter().find(|&n| n != l).unwrap();
    let r = c.client_read_from(f, "x").unwrap();
    let none = c.client_read("never");
    assert!(c.client_read_from(s(9), "x").is_err(), "no server S9");
    assert_eq!(c.apply(Action::Read { key: "".into(), to: None }).unwrap_err(), SimError::BadKey(String::new()));
    c.advance(500);
    let ops = c.client_ops();
    assert!(ops[r as usize].is_read() && ops[r as usize].is_acked());
    assert_eq!((ops[r as usize].value(), ops[r as usize].key()), (Some(7), Some("x")));
    assert_eq!(ops[r as usize].command.to_string(), "read x");
    assert!(ops[none as usize].is_acked());
    assert_eq!(ops[none as usize].value(), None);
    assert_eq!(ops[w as usize].value(), None, "a write has no value read");
    assert!(c
        .events()
        .iter()
        .any(|e| e.text().contains(&format!("{f} is not the leader and points to {l}; read #{r}"))));
    assert!(c.violations().is_empty());
    assert!(c.linearizability_not_checked().is_empty());
}

#[test]
fn the_revision_changes_with_the_cluster_and_not_with_idle_time() {
    let mut c = cluster(5);
    let r0 = c.revision();
    c.advance(1_000);
    assert!(c.revision() > r0, "the first election changed the cluster");
    // Up to the next event nothing changes; each step (it runs a live event) does.
    for _ in 0..200 {
        let r = c.revision();
        let next = c.next_event_time().unwrap();
        if next > c.now() + 1 {
            c.advance(next - c.now() - 1);
            assert_eq!(c.revision(), r, "nothing fell due before {next} ms");
        }
        c.step().unwrap();
        assert!(c.revision() > r, "a step changes the cluster");
    }
    // A performed action changes it, even one nothing draws; a refused one does not.
    let r = c.revision();
    let l = c.leader().unwrap();
    assert!(c.restart(l).is_err());
    assert_eq!(c.revision(), r);
    c.set_drop_rate(0.0).unwrap();
    assert!(c.revision() > r);
    // Every server crashed and every message dropped: only stale timers and
    // stale deliveries are left in the queue, and running them changes nothing.
    for n in c.node_ids() {
        c.crash(n).unwrap();
    }
    let in_flight: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
    for id in in_flight {
        c.drop_message(id).unwrap();
    }
    let r = c.revision();
    assert!(c.next_event_time().is_some(), "stale entries are queued");
    assert_eq!(c.step(), None, "none of them is live");
    c.advance(60_000);
    assert_eq!(c.revision(), r);
    c.restart(l).unwrap();
    assert!(c.revision() > r);
}

/// The one test that reads the trace's words, on purpose: the narration is a
/// feature. Every other test matches on `Event::what`.
#[test]
fn narration_each_event_is_told_in_a_sentence_made_from_its_data() {
    let c = determinism_run();
    assert!(c.events().windows(2).all(|w| w[0].time <= w[1].time), "in time order");
    let told = |what: &EventData| c.events().iter().find(|e| &e.what == what).map(|e| e.text());
    let elected = c.events().iter().find(|e| matches!(e.what, EventData::LeaderElected { .. })).unwrap();
    let EventData::LeaderElected { node, term, votes } = &elected.what else { unreachable!() };
    let names: Vec<String> = votes.iter().map(|v| v.to_string()).collect();
    assert_eq!(elected.text(), format!("{node} became leader of term {term} with votes from {}", names.join(", ")));
    assert!(told(&EventData::Partitioned { groups: vec![vec![s(1), s(2)], vec![s(3), s(4), s(5)]] })
        .is_some_and(|t| t == "network: partitioned into {S1, S2} | {S3, S4, S5}"));
    let crash = c.events().iter().find(|e| matches!(e.what, EventData::Crashed { .. })).unwrap();
    assert!(crash.text().starts_with("S1 crashed; its term ("), "{}", crash.text());
    let write = EventData::ClientWrite { op: 7, command: Command::set("k", 2), to: s(3) };
    assert_eq!(write.to_string(), "client: write #7 k ← 2, sent to S3");
    assert_eq!(write.kind(), EventKind::Client);
}

#[test]
fn events_carry_their_data_as_json() {
    let c = determinism_run();
    let json = serde_json::to_string(c.events()).unwrap();
    assert!(json.contains(r#"{"time":1000,"type":"crashed","node":1,"term":"#), "{json}");
    assert!(json.contains(r#"{"time":6000,"type":"setting_changed","setting":"drop_rate","rate":0.1}"#), "{json}");
    let back: Vec<Event> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c.events());
    let links =
        Event { time: 5, what: EventData::SettingChanged { setting: Setting::Links { links: Links::Reorder } } };
    let text = serde_json::to_string(&links).unwrap();
    assert_eq!(text, r#"{"time":5,"type":"setting_changed","setting":"links","links":"reorder"}"#);
    assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), links);
    // Everything a timeline needs is there without reading a word.
    let count = |f: fn(&EventData) -> bool| c.events().iter().filter(|e| f(&e.what)).count();
    assert_eq!(count(|w| matches!(w, EventData::Crashed { .. })), 2);
    assert_eq!(count(|w| matches!(w, EventData::Restarted { .. })), 2);
    assert_eq!(count(|w| matches!(w, EventData::Partitioned { .. })), 2);
    assert_eq!(count(|w| matches!(w, EventData::Healed)), 2);
    assert_eq!(count(|w| matches!(w, EventData::ClientWrite { .. })), 8);
    assert!(count(|w| matches!(w, EventData::LeaderElected { .. })) >= 2);
    let acked = c.client_ops().iter().filter(|o| o.is_acked()).count();
    assert_eq!(count(|w| matches!(w, EventData::ClientAcked { .. })), acked);
    // A commit names what it committed.
    for e in c.events() {
        if let EventData::Committed { node, from, to, entries, .. } = &e.what {
            assert_eq!(entries.iter().map(|e| e.index).collect::<Vec<_>>(), (*from..=*to).collect::<Vec<_>>());
            let log = c.node(*node).unwrap().log();
            assert!(entries.iter().all(|x| log.get(x.index as usize - 1) == Some(x)), "still in {node}'s log");
        }
    }
}

#[test]
fn absurd_advances_do_not_overflow_virtual_time() {
    let mut c = Cluster::new(Config { nodes: 1, ..Config::default() }).unwrap();
    c.advance(1_000);
    let mut far = c.clone();
    // Jump the clock close to the end of time without running a year of events:
    // an empty queue makes this instant, so crash the only server first.
    far.crash(NodeId(1)).unwrap();
    far.advance(u64::MAX);
    assert_eq!(far.now(), MAX_TIME);
    far.advance(u64::MAX);
    assert_eq!(far.now(), MAX_TIME);
    far.restart(NodeId(1)).unwrap(); // schedules timers past MAX_TIME without overflowing
    far.client_write(Command::set("x", 1));
    assert!(far.violations().is_empty());
}

// ----- found in review -------------------------------------------------------------------

#[test]
fn huge_durations_in_a_config_are_refused() {
    for cfg in [
        Config { heartbeat_ms: u64::MAX, ..Config::default() },
        Config { client_timeout_ms: u64::MAX, ..Config::default() },
        Config { client_give_up_ms: 0, ..Config::default() },
        Config { election_timeout_ms: (1, u64::MAX), ..Config::default() },
    ] {
        assert!(Cluster::new(cfg.clone()).is_err(), "{cfg:?}");
    }
}

/// Two actions at one instant with zero latency: the replay must match the original run.
#[test]
fn replay_matches_when_actions_share_an_instant_and_latency_is_zero() {
    let cfg = Config { latency_ms: (0, 0), seed: 3, ..Config::default() };
    let mut c = Cluster::new(cfg.clone()).unwrap();
    c.advance(1000);
    let l = c.leader().unwrap();
    c.apply(Action::Submit { node: l, command: Command::set("x", 1) }).unwrap();
    c.apply(Action::Submit { node: l, command: Command::set("y", 2) }).unwrap();
    c.apply(Action::Write { command: Command::set("z", 3), to: None }).unwrap();
    c.advance(500);
    let r = Cluster::replay(cfg, c.history(), c.now()).unwrap();
    assert_eq!(c.events(), r.events());
    assert_eq!(c.trace_hash(), r.trace_hash());
}

/// The moment right after an action is a moment like any other: what the
/// action set off at that very instant (a message with no delay) has already
/// happened, so a replay (or a link) to that moment gives the same cluster.
/// (Found by the chaos test: a run ending on a write at zero latency.)
#[test]
fn the_moment_right_after_an_action_replays_exactly_even_at_zero_latency() {
    let cfg = Config { latency_ms: (0, 0), seed: 3, ..Config::default() };
    let mut c = Cluster::new(cfg.clone()).unwrap();
    c.advance(1000);
    let l = c.leader().unwrap();
    let appended = c.node(l).unwrap().log().len();
    c.client_write(Command::set("z", 3));
    assert_eq!(c.node(l).unwrap().log().len(), appended + 1, "the request with no delay has reached the leader");
    let r = Cluster::replay(cfg, c.history(), c.now()).unwrap();
    assert_eq!((c.events(), c.trace_hash(), c.revision()), (r.events(), r.trace_hash(), r.revision()));
    // Nothing is left due at this instant: advancing by nothing changes nothing.
    let (hash, revision) = (c.trace_hash(), c.revision());
    c.advance(0);
    assert_eq!((c.trace_hash(), c.revision()), (hash, revision));
}

/// A candidate of term 1 wins late, on delayed votes, after term 2 committed an
/// entry: it is a leader of an older term, which Leader Completeness says nothing
/// about, and the monitor must not cry wolf.
#[test]
fn a_late_leader_of_an_older_term_is_no_violation() {
    let cfg = Config { nodes: 3, election_timeout_ms: (5000, 6000), latency_ms: (10, 10), ..Config::default() };
    let mut c = Cluster::new(cfg).unwrap();
    c.timeout_now(s(1)).unwrap(); // S1: candidate of term 1
    c.set_latency_ms(3000, 3000).unwrap();
    c.advance(10); // the vote requests arrive; the replies will take 3 s
    c.set_latency_ms(10, 10).unwrap();
    let late: Vec<u64> = c.messages().iter().filter(|m| m.to == Addr::Node(s(1))).map(|m| m.id).collect();
    assert_eq!(late.len(), 2);
    c.timeout_now(s(2)).unwrap(); // S2: candidate of term 2
    let mut s1_led = false;
    for _ in 0..400 {
        let others: Vec<u64> =
            c.messages().iter().filter(|m| m.to == Addr::Node(s(1)) && !late.contains(&m.id)).map(|m| m.id).collect();
        for id in others {
            c.drop_message(id).unwrap();
        }
        if c.step().is_none() {
            break;
        }
        if c.node(s(1)).unwrap().role() == Role::Leader {
            s1_led = true;
            break;
        }
    }
    assert!(s1_led, "S1 won term 1 late");
    assert!(c.node(s(2)).unwrap().commit_index() >= 1, "term 2 had committed its no-op");
    assert!(c.violations().is_empty(), "{:#?}", c.violations());
}

#[test]
fn each_link_delivers_in_order_so_a_healthy_cluster_never_rejects() {
    for seed in 0..20 {
        let mut c = Cluster::new(Config { seed, latency_ms: (5, 60), ..Config::default() }).unwrap();
        let mut last_arrival: std::collections::BTreeMap<(Addr, Addr), (u64, u64)> = Default::default();
        for i in 0..200 {
            if i % 20 == 0 {
                c.client_write(Command::set("x", i));
            }
            for m in c.messages() {
                // A later message on a link never arrives before an earlier one.
                let prev = last_arrival.insert((m.from, m.to), (m.id, m.arrive_at));
                if let Some((id, at)) = prev {
                    if id < m.id {
                        assert!(at <= m.arrive_at, "seed {seed}: #{} overtook #{id}", m.id);
                    }
                }
            }
            c.advance(25);
        }
        assert!(
            !c.events().iter().any(|e| matches!(e.what, EventData::AppendRejected { .. })),
            "seed {seed}: with nothing failing, no follower ever sees a hole"
        );
        assert!(c.client_ops().iter().all(|o| o.is_acked()));
    }
}

/// A message that reached its receiver (was handed to it, not lost).
#[derive(Debug, Clone, Copy)]
struct Delivered {
    id: u64,
    from: Addr,
    to: Addr,
    kind: MessageKind,
    sent_at: u64,
    arrived_at: u64,
}

/// Runs `c` instant by instant until `until`, a client write about every
/// `write_every` ms, and returns every message delivered, in delivery order.
fn deliveries(c: &mut Cluster, until: u64, write_every: u64) -> Vec<Delivered> {
    let mut out = Vec::new();
    let mut next_write = c.now();
    let mut value = 0;
    while c.now() < until {
        if c.now() >= next_write {
            value += 1;
            c.client_write(Command::set("x", value));
            next_write = c.now() + write_every;
        }
        let before: Vec<InFlight> = c.messages().into_iter().cloned().collect();
        if c.step().is_none() {
            break;
        }
        let lost: std::collections::BTreeSet<u64> = c.lost_messages().map(|l| l.message.id).collect();
        for m in before {
            if c.message(m.id).is_none() && !lost.contains(&m.id) {
                let kind = m.payload.kind();
                out.push(Delivered { id: m.id, from: m.from, to: m.to, kind, sent_at: m.sent_at, arrived_at: c.now() });
            }
        }
    }
    out
}

/// Pairs (earlier, later) on one link where the later message arrived strictly first.
fn overtakings(delivered: &[Delivered]) -> Vec<(Delivered, Delivered)> {
    let mut pairs = Vec::new();
    for (i, b) in delivered.iter().enumerate() {
        // `a` was delivered after `b` although sent before it on the same link.
        for a in &delivered[i + 1..] {
            if (a.from, a.to) == (b.from, b.to) && a.id < b.id && a.arrived_at > b.arrived_at {
                pairs.push((*a, *b));
            }
        }
    }
    pairs
}

#[test]
fn with_reordering_links_a_later_message_can_arrive_first() {
    let cfg = Config { seed: 3, latency_ms: (5, 60), links: Links::Reorder, ..Config::default() };
    let mut c = Cluster::new(cfg).unwrap();
    let delivered = deliveries(&mut c, 3_000, 20);
    let pairs = overtakings(&delivered);
    let appends: Vec<_> = pairs
        .iter()
        .filter(|(a, b)| a.kind == MessageKind::AppendEntries && b.kind == MessageKind::AppendEntries)
        .collect();
    let (a, b) = appends.first().expect("an AppendEntries overtaken by a later one on its link");
    println!(
        "seed 3: AppendEntries #{} {} -> {} sent at {} ms arrived at {} ms, after #{} sent at {} ms that arrived at {} ms ({} overtakings in all)",
        a.id, a.from, a.to, a.sent_at, a.arrived_at, b.id, b.sent_at, b.arrived_at, pairs.len()
    );
    assert!(a.sent_at <= b.sent_at && b.arrived_at < a.arrived_at);
    // The follower saw a hole (the later one came first) and the leader
    // retried, yet everything was written and nothing broke.
    assert!(c.events().iter().any(|e| matches!(e.what, EventData::AppendRejected { .. })));
    c.advance(2_000);
    assert!(c.client_ops().iter().all(|o| o.is_acked()), "every write acknowledged");
    assert!(c.violations().is_empty(), "{:#?}", c.violations());
}

#[test]
fn with_in_order_links_no_message_ever_overtakes_an_earlier_one() {
    for seed in 0..10 {
        let mut c = Cluster::new(Config { seed, latency_ms: (5, 60), ..Config::default() }).unwrap();
        assert_eq!(c.config().links, Links::InOrder, "the default");
        let delivered = deliveries(&mut c, 3_000, 20);
        assert!(delivered.len() > 1_000, "seed {seed}: {} deliveries", delivered.len());
        assert!(overtakings(&delivered).is_empty(), "seed {seed}");
        assert!(!c.events().iter().any(|e| matches!(e.what, EventData::AppendRejected { .. })), "seed {seed}");
    }
}

#[test]
fn links_switched_while_running_reorder_only_meanwhile_and_replay_exactly() {
    let mut c = Cluster::new(Config { seed: 3, latency_ms: (5, 60), ..Config::default() }).unwrap();
    let mut delivered = deliveries(&mut c, 2_000, 20);
    c.set_links(Links::Reorder);
    let (on, off) = (c.now(), 4_000);
    delivered.extend(deliveries(&mut c, off, 20));
    c.set_links(Links::InOrder);
    let off = c.now();
    delivered.extend(deliveries(&mut c, 6_000, 20));
    let pairs = overtakings(&delivered);
    assert!(!pairs.is_empty(), "messages sent while reordering overtake others");
    for (a, b) in &pairs {
        // (A message sent at the instant of a switch, before it, went out under the old setting.)
        assert!((on..=off).contains(&b.sent_at), "#{} overtook #{} but was sent at {} ms", b.id, a.id, b.sent_at);
    }
    assert!(delivered.iter().any(|d| d.sent_at > off + 500), "in order again afterwards");
    // Through the one door, told in the feed, replayed exactly.
    let changes: Vec<String> = c
        .events()
        .iter()
        .filter(|e| matches!(e.what, EventData::SettingChanged { setting: Setting::Links { .. } }))
        .map(|e| e.text())
        .collect();
    assert_eq!(
        changes,
        [
            "network: messages now arrive in any order, each after its own delay, like UDP",
            "network: each link now delivers in order, like TCP"
        ]
    );
    let sets: Vec<&Action> =
        c.history().iter().map(|(_, a)| a).filter(|a| matches!(a, Action::SetLinks { .. })).collect();
    assert_eq!(sets, [&Action::SetLinks { links: Links::Reorder }, &Action::SetLinks { links: Links::InOrder }]);
    let r = Cluster::replay(c.initial_config().clone(), c.history(), c.now()).unwrap();
    assert_eq!(r.events(), c.events());
    assert_eq!(r.trace_hash(), c.trace_hash());
    assert_eq!(r.config().links, Links::InOrder);
    assert!(c.violations().is_empty());
}

/// A write handed straight to a leader (`submit`, not through the client)
/// changes the store, so the linearizability check counts it: a read that
/// returns its value is explained by it, and a stale read of it names it.
#[test]
fn writes_submitted_to_a_leader_are_in_the_history_the_checker_sees() {
    let mut c = Cluster::new(Config { seed: 7, ..Config::default() }).unwrap();
    c.advance(1_000);
    let leader = c.leader().unwrap();
    c.submit(leader, Command::set("x", 5)).unwrap();
    c.advance(300);
    let read = c.client_read("x");
    c.advance(300);
    assert_eq!(c.client_ops()[read as usize].value(), Some(5));
    assert!(c.violations().is_empty(), "{:?}", c.violations());
    // With stale reads allowed, a follower cut off (from the servers, not the
    // client) before the next write still answers 5.
    c.set_option("unsafe_stale_reads", SwitchValue::Flag(true)).unwrap();
    let follower = c.node_ids().into_iter().find(|&n| n != leader).unwrap();
    let rest: Vec<NodeId> = c.node_ids().into_iter().filter(|&n| n != follower).collect();
    c.partition(&[vec![follower], rest]).unwrap();
    c.client_write(Command::set("x", 6));
    c.advance(300);
    c.client_read_from(follower, "x").unwrap();
    c.advance(300);
    let v = c.violations().first().expect("a stale read");
    assert_eq!(v.property, Property::Linearizable);
    assert!(
        v.explanation.contains("returned 5") && v.explanation.contains("submitted write #0 x ← 5"),
        "{}",
        v.explanation
    );
}

/// Lease reads stay linearizable when a voter crashes and comes back at once:
/// S1 answered the heartbeat round S5's lease rests on, crashes, restarts on
/// the other side of a partition and is asked to vote for S3 right away. Had
/// it voted, S3 would have led term 2 and committed x = 2 while S5 still
/// answered x = 1 from its lease; it keeps the guard until an election timeout
/// has passed, so S3 (or another) leads only once S5's lease has run out.
#[test]
fn a_voter_that_restarts_within_a_lease_does_not_vote_until_the_lease_is_over() {
    use raft_playground::raft::{ReadMode, Settings};
    let raft = Settings { read_mode: ReadMode::Lease, pre_vote: true, ..Settings::default() };
    let mut c = Cluster::new(Config { nodes: 5, seed: 42, latency_ms: (1, 2), raft, ..Config::default() }).unwrap();
    c.advance(1_000);
    let old = c.leader().expect("a leader");
    c.client_write(Command::set("x", 1));
    c.advance(100);
    let others: Vec<NodeId> = c.node_ids().into_iter().filter(|&n| n != old).collect();
    let (a, b, x, y) = (others[0], others[1], others[2], others[3]);
    c.partition(&[vec![old, a, b], vec![x, y]]).unwrap();
    c.advance(1_000);
    let cut = c.now();
    c.crash(a).unwrap();
    c.restart(a).unwrap();
    c.partition(&[vec![old, b], vec![a, x, y]]).unwrap();
    c.timeout_now(x).unwrap();
    c.advance(5);
    assert!(
        c.events().iter().any(|e| e.time >= cut && e.text().contains("restarted less than an election timeout ago")),
        "{a} refuses its pre-vote"
    );
    c.client_write_to(x, Command::set("x", 2)).unwrap();
    while !c.client_ops().last().unwrap().is_acked() && c.now() < cut + 2_000 {
        c.advance(1);
    }
    let elected = c.events().iter().find(|e| e.time > cut && matches!(e.what, EventData::LeaderElected { .. }));
    let elected = elected.expect("a new leader on the majority side").time;
    let lease_end = cut + raft_playground::sim::lease_ms(c.config().election_timeout_ms.0);
    assert!(elected >= cut + c.config().election_timeout_ms.0 && elected > lease_end, "elected at {elected} ms");
    let read = c.client_read_from(old, "x").unwrap();
    c.advance(2_000);
    assert_ne!(c.client_ops()[read as usize].value(), Some(1), "no stale read");
    assert!(c.violations().is_empty(), "{:?}", c.violations());
}

/// A follower restarts its election timer at every heartbeat; once the
/// leader is gone, the follower whose timer runs out first starts its
/// election exactly at the deadline of its last restart, and nothing of the
/// restarts before fires (the queue keeps one entry per timer and puts it
/// back at the latest restart's deadline).
#[test]
fn a_timer_restarted_many_times_runs_out_once_at_its_last_deadline() {
    let mut c = cluster(5);
    let l = wait_leader(&mut c);
    c.advance(2_000);
    c.crash(l).unwrap();
    // Its last heartbeats arrive (and restart the timers) within the latency's 30 ms.
    c.advance(30);
    assert!(c.messages().iter().all(|m| m.from != Addr::Node(l)));
    let (f, timer) = c
        .servers()
        .iter()
        .filter(|s| s.is_up())
        .map(|s| (s.id(), s.election_timer().unwrap()))
        .min_by_key(|(_, t)| t.deadline)
        .unwrap();
    assert!(timer.started > 2_000, "restarted by the heartbeats of the last two seconds: {timer:?}");
    let seen = c.events().len();
    while c.events().len() == seen {
        c.step().unwrap();
    }
    assert_eq!(c.now(), timer.deadline);
    let first = &c.events()[seen];
    assert!(matches!(first.what, EventData::ElectionStarted { node, .. } if node == f), "{}", first.text());
}
