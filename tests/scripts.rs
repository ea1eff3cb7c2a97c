//! Scenario scripts, their export and links, end to end: random runs exported
//! and run again, or packed into links and replayed, give the same run; the
//! runner's semantics (waits, expectations, `drop next`, limits); link errors.
//!
//! `SCRIPT_RUNS=n` sets the number of random runs (40 by default).

use raft_playground::raft::Settings;
use raft_playground::script::{export, link, parse, run, run_with, Options, OutcomeKind, Recording, Script, SWITCHES};
use raft_playground::sim::*;

fn pick<T: Clone>(rng: &mut Rng, items: &[T]) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[rng.range(0, items.len() as u64 - 1) as usize].clone())
    }
}

/// A random value of option `s`.
fn random_value(rng: &mut Rng, s: &raft_playground::script::Switch) -> raft_playground::script::SwitchValue {
    use raft_playground::script::SwitchValue;
    match s.get(&Settings::default()) {
        _ if s.is_limit() => {
            if rng.chance(0.5) {
                SwitchValue::Flag(false)
            } else {
                SwitchValue::Count(rng.range(1, 4))
            }
        }
        SwitchValue::Flag(_) => SwitchValue::Flag(rng.chance(0.3)),
        SwitchValue::Count(_) => SwitchValue::Count(rng.range(1, 20)),
        SwitchValue::Choice(_) => {
            SwitchValue::Choice(s.choices()[rng.range(0, s.choices().len() as u64 - 1) as usize].to_string())
        }
    }
}

/// A random config: any seed, random timings and loss, random switches.
fn random_config(rng: &mut Rng) -> Config {
    let mut raft = Settings::default();
    for s in SWITCHES {
        let value = random_value(rng, s);
        s.set(&mut raft, &value).unwrap();
    }
    let el_lo = rng.range(100, 200);
    let lat_lo = rng.range(0, 15);
    Config {
        nodes: rng.range(3, 7) as usize,
        seed: rng.next_u64(),
        election_timeout_ms: (el_lo, el_lo + rng.range(0, 200)),
        heartbeat_ms: rng.range(20, 60),
        latency_ms: (lat_lo, lat_lo + rng.range(0, 30)),
        drop_rate: if rng.chance(0.5) { 0.0 } else { rng.unit() * 0.2 },
        links: if rng.chance(0.3) { Links::Reorder } else { Links::InOrder },
        client_timeout_ms: rng.range(200, 800),
        client_give_up_ms: rng.range(2_000, 12_000),
        raft,
    }
}

/// A random run of `ms` virtual milliseconds: every kind of action, at random times.
fn random_run(seed: u64, ms: u64, gap: (u64, u64)) -> Cluster {
    let mut rng = Rng::new(seed ^ 0x5C21_9700);
    let mut c = Cluster::new(random_config(&mut rng)).unwrap();
    let ids = c.node_ids();
    let keys = ["x", "y", "z", "k_1", "ключ", "Z9"];
    let mut t = 0;
    while t < ms {
        t += rng.range(gap.0, gap.1);
        c.advance_to(t);
        let up: Vec<NodeId> = ids.iter().copied().filter(|&n| c.node(n).unwrap().is_up()).collect();
        let down: Vec<NodeId> = ids.iter().copied().filter(|&n| !c.node(n).unwrap().is_up()).collect();
        let in_flight: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
        let any = pick(&mut rng, &ids).unwrap();
        let key = pick(&mut rng, &keys).unwrap().to_string();
        let value = if rng.chance(0.1) { rng.next_u64() as i64 } else { rng.range(0, 99) as i64 - 20 };
        let action = match rng.range(0, 99) {
            0..=24 => Some(Action::Write { command: Command::set(&key, value), to: None }),
            25..=29 => Some(Action::Write { command: Command::set(&key, value), to: Some(any) }),
            30..=37 => pick(&mut rng, &up).map(|node| Action::Crash { node }),
            38..=47 => pick(&mut rng, &down).map(|node| Action::Restart { node }),
            48..=53 => {
                let mut order = ids.clone();
                for i in (1..order.len()).rev() {
                    order.swap(i, rng.range(0, i as u64) as usize);
                }
                let cut = rng.range(1, order.len() as u64 - 1) as usize;
                let (a, b) = order.split_at(cut);
                let mut groups = vec![a.to_vec(), b.to_vec()];
                if rng.chance(0.2) {
                    groups.insert(1, vec![]); // an empty group shifts the group numbers
                }
                Some(Action::Partition { groups })
            }
            54..=59 => Some(Action::Heal),
            60..=62 => Some(Action::Disconnect { node: any }),
            63..=65 => Some(Action::Reconnect { node: any }),
            66..=68 => {
                let rate = if rng.chance(0.5) { rng.range(0, 30) as f64 / 100.0 } else { rng.unit() * 0.3 };
                Some(Action::SetDropRate { rate })
            }
            69..=74 => pick(&mut rng, &in_flight).map(|id| Action::DropMessage { id }),
            75..=79 => pick(&mut rng, &in_flight).map(|id| Action::DuplicateMessage { id }),
            80..=83 => pick(&mut rng, &up).map(|node| Action::Timeout { node }),
            84..=86 => pick(&mut rng, &up).map(|to| Action::TransferLeadership { to }),
            87..=88 => {
                let lo = rng.range(0, 30);
                Some(Action::SetLatency { lo, hi: lo + rng.range(0, 60) })
            }
            89..=90 => {
                let lo = rng.range(100, 250);
                Some(Action::SetElectionTimeout { lo, hi: lo + rng.range(0, 250) })
            }
            91..=92 => Some(Action::SetHeartbeat { ms: rng.range(10, 80) }),
            93..=94 => Some(Action::Read { key: key.clone(), to: rng.chance(0.3).then_some(any) }),
            95 => {
                let s = &SWITCHES[rng.range(0, SWITCHES.len() as u64 - 1) as usize];
                Some(Action::SetOption { name: s.name.to_string(), value: random_value(&mut rng, s) })
            }
            96 => Some(Action::SetLinks { links: if rng.chance(0.5) { Links::Reorder } else { Links::InOrder } }),
            _ => c.leader().map(|node| Action::Submit { node, command: Command::set(&key, value) }),
        };
        if let Some(a) = action {
            let _ = c.apply(a);
        }
    }
    c.advance_to(ms + rng.range(0, 500));
    c
}

fn runs() -> u64 {
    std::env::var("SCRIPT_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(40)
}

#[test]
fn random_runs_exported_as_scripts_replay_to_the_same_trace() {
    let mut actions = 0;
    for seed in 1..=runs() {
        let c = random_run(seed, 10_000, (10, 250));
        actions += c.history().len();
        let rec = Recording::of(&c);
        let text = export(&rec);
        let script = parse(&text).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        assert_eq!(&script.config, c.initial_config(), "seed {seed}: the settings read back exactly");
        let report = run(&script).unwrap();
        assert!(report.passed(), "seed {seed}: {:?}", report.failures().collect::<Vec<_>>());
        assert_eq!(report.cluster.now(), c.now(), "seed {seed}");
        assert_eq!(report.cluster.trace_hash(), c.trace_hash(), "seed {seed}: same run\n{text}");
        // Actions of every kind read back as themselves (an empty partition group included).
        assert_eq!(report.cluster.history(), c.history(), "seed {seed}");
        // Exporting the script's own run gives the same text.
        assert_eq!(export(&Recording::of(&report.cluster)), text, "seed {seed}");
    }
    assert!(actions > 1_000, "the random runs applied only {actions} actions");
}

#[test]
fn random_runs_packed_into_links_decode_exactly_and_replay_to_the_same_trace() {
    for seed in 1..=runs() {
        let c = random_run(seed + 1_000, 10_000, (10, 250));
        let rec = Recording::of(&c);
        let text = link::encode(&rec).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-fragment safe");
        let back = link::decode(&text).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(back, rec, "seed {seed}: exact equality");
        let replayed = back.replay().unwrap();
        assert_eq!(Some(replayed.trace_hash()), back.trace_hash, "seed {seed}: same run");
    }
}

#[test]
fn a_ten_minute_run_with_a_hundred_actions_fits_in_two_thousand_characters() {
    // An action every 5 virtual seconds on average, with faults mixed in, as a visitor would.
    let c = random_run(7, 600_000, (1_000, 9_000));
    let rec = Recording::of(&c);
    assert!((90..=120).contains(&rec.history.len()), "{} actions", rec.history.len());
    let text = link::encode(&rec).unwrap();
    println!("a 10-minute run with {} actions: a link of {} characters", rec.history.len(), text.len());
    assert!(text.len() <= 2_000, "{} characters", text.len());
    let back = link::decode(&text).unwrap();
    assert_eq!(back, rec);
    assert_eq!(back.replay().unwrap().trace_hash(), c.trace_hash());
}

#[test]
fn a_link_of_a_past_moment_keeps_the_future_and_replays_to_the_moment() {
    let c = random_run(3, 8_000, (50, 400));
    let moment = 4_000;
    let past = Cluster::replay(c.initial_config().clone(), c.history(), moment).unwrap();
    let rec = Recording {
        config: c.initial_config().clone(),
        history: c.history().to_vec(),
        moment,
        trace_hash: Some(past.trace_hash()),
    };
    let back = link::decode(&link::encode(&rec).unwrap()).unwrap();
    assert_eq!(back.history.len(), c.history().len(), "actions after the moment are kept");
    let at = back.replay().unwrap();
    assert_eq!((at.now(), Some(at.trace_hash())), (moment, rec.trace_hash));
    // The export stops at the moment.
    let script = parse(&export(&rec)).unwrap();
    assert_eq!(run(&script).unwrap().cluster.trace_hash(), past.trace_hash());
}

// ----- the runner ---------------------------------------------------------------------

fn script(text: &str) -> Script {
    parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn failures(text: &str) -> Vec<String> {
    run(&script(text)).unwrap().failures().map(|o| o.to_string()).collect()
}

#[test]
fn an_unmet_expectation_names_its_line_and_what_was_seen() {
    let f = failures("servers 5\nseed 42\nwait until leader within 2s\nexpect leader S3\nexpect term S5 4\n");
    assert_eq!(
        f,
        vec!["line 4: expected leader S3, but S5 leads term 1", "line 5: expected term S5 4, but S5 is in term 1"]
    );
}

#[test]
fn a_wait_that_times_out_fails_at_its_deadline_and_the_run_goes_on() {
    let r = run(&script("seed 42\nwait until leader S1 within 700ms\nexpect leader S5\nsay \"after\"\n")).unwrap();
    let kinds: Vec<OutcomeKind> = r.outcomes.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, vec![OutcomeKind::Failed, OutcomeKind::Met, OutcomeKind::Said]);
    assert_eq!(r.outcomes[0].to_string(), "line 2: waited 700ms for leader S1, but S5 leads term 1");
    assert_eq!(r.outcomes[0].time, 700);
    assert_eq!(r.cluster.now(), 700);
    // Stopping at the first failure leaves the cluster at that moment.
    let options = Options { stop_at_first_failure: true, ..Options::default() };
    let r = run_with(&script("seed 42\nwait until leader S1 within 700ms\nexpect leader S5\n"), &options).unwrap();
    assert_eq!((r.outcomes.len(), r.stopped_at), (1, Some(2)));
}

#[test]
fn a_wait_stops_at_the_first_event_after_which_the_condition_holds() {
    let r = run(&script("seed 42\nwait until leader within 2s\n")).unwrap();
    let became = r.cluster.events().iter().find(|e| matches!(e.what, EventData::LeaderElected { .. })).unwrap().time;
    assert_eq!(r.cluster.now(), became);
    // Actions after a wait land after every event of that instant, as a replay puts them.
    let r = run(&script("seed 42\nwait until leader within 2s\ncrash S5\n+300ms write x=1\nwait 1s\n")).unwrap();
    let replayed = Cluster::replay(r.cluster.initial_config().clone(), r.cluster.history(), r.cluster.now()).unwrap();
    assert_eq!(replayed.trace_hash(), r.cluster.trace_hash());
}

#[test]
fn drop_next_takes_the_oldest_in_flight_or_waits_for_the_next_one() {
    // The leader's no-op has gone out and been answered: the next AppendEntries carries x=1.
    let text = "seed 42\nwait until leader S5 within 2s\nwait 100ms\nwrite x=1 to S5\ndrop next AppendEntries S5->S2\n\
                drop next appendentries S5->S3\nwait 500ms\n";
    let r = run(&script(text)).unwrap();
    assert!(r.passed(), "{:?}", r.failures().collect::<Vec<_>>());
    let drops: Vec<(u64, u64)> = r
        .cluster
        .history()
        .iter()
        .filter_map(|(t, a)| match a {
            Action::DropMessage { id } => Some((*t, *id)),
            _ => None,
        })
        .collect();
    assert_eq!(drops.len(), 2);
    // The first drop waited until the leader sent x=1 (it is not in flight when the line starts).
    let write_at = r.cluster.history()[0].0;
    assert!(drops[0].0 > write_at, "{drops:?}");
    // The second found its message already in flight, at the same moment.
    assert_eq!(drops[1].0, drops[0].0);
    let lines: Vec<&str> =
        r.outcomes.iter().filter(|o| o.kind == OutcomeKind::Acted).map(|o| o.text.as_str()).collect();
    assert_eq!(lines[1], format!("drop message {} AppendEntries S5->S2", drops[0].1));
    assert_eq!(lines[2], format!("drop message {} AppendEntries S5->S3", drops[1].1));
    assert!(r
        .cluster
        .events()
        .iter()
        .any(|e| matches!(e.what, EventData::MessageDropped { id, .. } if id == drops[0].1)));

    // Nothing of that kind on that link: it fails after `within`.
    let f = failures("seed 42\nwait until leader S5 within 2s\ndrop next TimeoutNow S5->S1 within 300ms\n");
    assert_eq!(f, vec!["line 3: no TimeoutNow S5->S1 was in flight within 300ms"]);
}

#[test]
fn a_message_named_by_id_must_be_in_flight_and_of_the_kind_given() {
    let r = run(&script("seed 42\nwait until leader S5 within 2s\nwrite x=1 to S5\nwait 30ms\n")).unwrap();
    let m = r.cluster.messages()[0].clone();
    let kind = format!("{:?}", m.payload.kind());
    let base = "seed 42\nwait until leader S5 within 2s\nwrite x=1 to S5\nwait 30ms\n";
    assert!(failures(&format!("{base}duplicate message {} {kind} {}->{}\n", m.id, m.from, m.to)).is_empty());
    let f = failures(&format!("{base}drop message {} TimeoutNow {}->{}\n", m.id, m.from, m.to));
    assert_eq!(
        f,
        vec![format!("line 5: message {} is {kind} {}->{}, not TimeoutNow {}->{}", m.id, m.from, m.to, m.from, m.to)]
    );
    let f = failures(&format!("{base}drop message 999999\n"));
    assert_eq!(f, vec!["line 5: message 999999 is not in flight"]);
}

#[test]
fn refused_actions_times_in_the_past_and_the_time_limit_are_failures() {
    let f = failures("restart S1\nat 1s\nat 500ms crash S1\n");
    assert_eq!(
        f,
        vec![
            "line 1: restart S1 was refused: S1 is already running",
            "line 3: at 500ms is in the past: the run is already at 1s; the line runs now",
        ]
    );
    let options = Options { max_time_ms: 2_000, ..Options::default() };
    let r = run_with(&script("wait 1s\nwait 1s\nwait 1ms\nsay \"never\"\n"), &options).unwrap();
    assert_eq!(r.stopped_at, Some(3));
    assert_eq!(r.cluster.now(), 2_000);
    assert!(r.failures().next().unwrap().text.contains("past its limit of 2s"));
    // A wait until is cut at the limit.
    let r = run_with(&script("servers 1\ncrash S1\nwait until leader within 5s\n"), &options).unwrap();
    assert_eq!(r.cluster.now(), 2_000);
    assert!(r.failures().next().unwrap().text.contains("cut at the run's time limit"));
}

#[test]
fn conditions_say_what_they_saw() {
    let text = "servers 3\nseed 9\nwait until leader within 2s\nwrite p=1\nwait until applied p=1 on all within 1s\n\
                crash S1\n\
                expect committed p=1 on all\nexpect committed p=1 on S1\nexpect applied p=2 on majority\n\
                expect log S2 1:1 2:2\nexpect acknowledged q=1\nexpect violation\nexpect event \"became leader\" at least 2 times\n\
                expect role S1 follower\nexpect not crashed S1\n";
    let f = failures(text);
    assert_eq!(
        f,
        vec![
            "line 8: expected committed p=1 on S1, but S1 is crashed",
            "line 9: expected applied p=2 on majority, but 0 of 3 servers; a majority is 2",
            "line 10: expected log S2 1:1 2:2, but S2's log is 1:1 2:1",
            "line 11: expected acknowledged q=1, but the client never wrote q=1",
            "line 12: expected violation, but no violation",
            "line 13: expected event \"became leader\" at least 2 times, but 1 event has them",
            "line 14: expected role S1 follower, but S1 is crashed",
            "line 15: expected not crashed S1, but S1 is crashed",
        ]
    );
}

#[test]
fn matched_is_what_the_leader_knows_each_server_stores() {
    let text = "seed 42\nwait until leader S5 within 2s\nwrite a=1 to S5\nwait until applied a=1 on all within 1s\n\
                crash S3\nwrite x=1 to S5\nwait until committed x=1 on S5 within 1s\n\
                expect matched index 3 on majority\nexpect matched index 3 on S5\nrestart S3\n\
                expect matched index 3 on S3\nwait until matched index 3 on S3 within 1s\nexpect matched index 3 on all\n\
                crash S5\nexpect matched index 1 on S1\n";
    assert_eq!(
        failures(text),
        vec![
            "line 11: expected matched index 3 on S3, but S5 knows S3 stores up to 2",
            "line 15: expected matched index 1 on S1, but no server leads",
        ]
    );
}

// ----- links: errors ------------------------------------------------------------------

fn sample_link() -> (Recording, String) {
    let c = random_run(11, 5_000, (50, 300));
    let rec = Recording::of(&c);
    let text = link::encode(&rec).unwrap();
    (rec, text)
}

#[test]
fn a_bad_link_gets_an_error_that_says_what_is_wrong() {
    use link::LinkError;
    let (_, text) = sample_link();
    assert_eq!(link::decode(""), Err(LinkError::Empty));
    assert!(matches!(link::decode(&format!("{text}!")), Err(LinkError::BadCharacter { ch: '!', .. })));
    // Truncated anywhere: a clear error, never a panic.
    for cut in 1..text.len() {
        let e = link::decode(&text[..cut]).unwrap_err();
        assert!(
            matches!(
                e,
                LinkError::Truncated { .. } | LinkError::BadEnding | LinkError::BadChecksum | LinkError::BadVersion(_)
            ),
            "cut at {cut}: {e}"
        );
    }
    // Cut at a whole number of bytes (4 characters hold 3), past the length: the run is truncated.
    let whole = (text.len() - 8) / 4 * 4;
    assert!(matches!(link::decode(&text[..whole]), Err(LinkError::Truncated { .. })));
    assert!(matches!(link::decode(&format!("{text}AAAA")), Err(LinkError::TrailingData(3))));
    // The first character holds the version's high bits.
    let e = link::decode(&format!("C{}", &text[1..])).unwrap_err();
    assert!(matches!(e, LinkError::BadVersion(v) if v == 8 | (link::VERSION & 3)), "{e}");
    assert!(e.to_string().starts_with("bad version"), "{e}");
    // One character changed in the middle: the checksum catches it.
    let mut chars: Vec<char> = text.chars().collect();
    let mid = chars.len() / 2;
    chars[mid] = if chars[mid] == 'A' { 'B' } else { 'A' };
    let e = link::decode(&chars.iter().collect::<String>()).unwrap_err();
    assert_eq!(e, LinkError::BadChecksum);
    assert_eq!(e.to_string(), "bad checksum: the link was changed or cut");
}

#[test]
fn a_link_with_a_valid_checksum_but_bad_values_names_the_field() {
    use link::LinkError;
    let cfg = |nodes: u8, tail: &[u8]| {
        // servers, seed, election 150-300, heartbeat 50, latency 10-30, loss 0, links in order,
        // client 500 / 10000 ms, no switches
        let mut p = vec![nodes, 1, 150, 1, 172, 2, 50, 10, 30, 0, 0, 244, 3, 144, 78, 0];
        p.extend_from_slice(tail);
        p
    };
    let ok = cfg(5, &[0, 0, 0]);
    let rec = link::decode(&link::seal(&ok)).unwrap();
    assert_eq!(rec.config, Config::default(), "a hand-made payload with the default config");
    let field = |payload: &[u8]| match link::decode(&link::seal(payload)) {
        Err(LinkError::BadValue { field, why }) => format!("{field}: {why}"),
        other => panic!("{other:?}"),
    };
    assert_eq!(field(&cfg(12, &[0, 0, 0])), "the config: a cluster has 1 to 9 servers, not 12");
    assert!(field(&cfg(5, &[1, 5, 6])).starts_with("action 1: there is no server S6"));
    assert!(field(&cfg(5, &[1, 5, 250])).starts_with("action 1: 250 is not an action"));
    // A moment past the limit (3 hours).
    let mut past = cfg(5, &[0]);
    let mut v = 3 * 3_600_000u64;
    while v >= 0x80 {
        past.push(v as u8 | 0x80);
        v >>= 7;
    }
    past.extend_from_slice(&[v as u8, 0]);
    assert!(field(&past).starts_with("the moment: 10800000 ms is past the limit"));
    // Too many actions.
    let many = cfg(5, &[0x81, 0x87, 0x03]); // 50,049
    assert!(field(&many).starts_with("the number of actions: 50049"));
    // Switches: more than this build knows, or an on/off switch set to 2.
    let mut sw = cfg(5, &[]);
    sw.pop();
    sw.extend_from_slice(&[SWITCHES.len() as u8 + 1]);
    assert!(field(&sw).starts_with("the number of switches"));
    let mut sw = cfg(5, &[]);
    sw.pop();
    sw.extend_from_slice(&[1, 2]);
    assert!(field(&sw).starts_with("switch fast_backup: 2 is neither"));
    // Links: 0 in order, 1 reorder, nothing else; in the config and in a change.
    let mut links = cfg(5, &[0, 0, 0]);
    links[10] = 2;
    assert_eq!(field(&links), "the links: 2 is neither in order (0) nor reorder (1)");
    assert!(field(&cfg(5, &[1, 5, 160, 7])).starts_with("action 1: 7 is neither in order"));
    assert!(field(&cfg(5, &[1, 5, 161, 1])).starts_with("action 1: tag 161 is not a links change"));
    // A loss rate written as its 8 bytes, outside 0..=1 (or not a number).
    let rate = |r: f64| {
        let mut p = cfg(5, &[0, 0, 0]);
        p.splice(9..10, std::iter::once(1).chain(r.to_le_bytes()));
        field(&p)
    };
    assert_eq!(rate(1.5), "the loss rate: 1.5 is not a probability from 0 to 1");
    assert_eq!(rate(-0.25), "the loss rate: -0.25 is not a probability from 0 to 1");
    assert_eq!(rate(f64::NAN), "the loss rate: NaN is not a probability from 0 to 1");
}

#[test]
fn a_run_that_cannot_be_a_link_is_refused_when_encoding() {
    let c = Cluster::new(Config::default()).unwrap();
    let mut rec = Recording::of(&c);
    rec.moment = 3 * 3_600_000;
    assert!(matches!(link::encode(&rec), Err(link::LinkError::Unencodable(_))));
    rec.moment = 0;
    rec.history = vec![(5, Action::Heal), (4, Action::Heal)];
    assert!(link::encode(&rec).unwrap_err().to_string().contains("time order"));
    rec.history = vec![(5, Action::Crash { node: NodeId(200) })];
    assert!(link::encode(&rec).unwrap_err().to_string().contains("no server S0"));
}

/// Links of formats 1 and 2 (before reads and options could be recorded)
/// still open, with exactly-once writes off as the engine then ran; what a
/// format could not hold is refused in it, and format 3 holds it all.
#[test]
fn links_of_every_format_open_with_what_that_format_could_hold() {
    fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    // servers, seed, election, heartbeat, latency, loss, (links from format 2),
    // client time-out and give-up, then the switches.
    let config = |version: u8, switches: u64| {
        let mut p = vec![3u8];
        for v in [7, 150, 300, 50, 10, 30, 0] {
            varint(&mut p, v);
        }
        if version >= 2 {
            varint(&mut p, 1); // reorder
        }
        for v in [500, 10_000, switches] {
            varint(&mut p, v);
        }
        // fast_backup, leader_noop, transfer_timeout_heartbeats, the two unsafe switches,
        // max_entries_per_append 3, pre_vote on, then the rest off or first (with the
        // feature `compaction`, snapshot_threshold the 14th).
        for v in [0, 1, 10, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0].iter().take(switches as usize) {
            varint(&mut p, *v);
        }
        p
    };
    let with_action = |mut p: Vec<u8>, action: &[u8]| {
        varint(&mut p, 1); // one action
        varint(&mut p, 400); // at 400 ms
        p.extend_from_slice(action);
        varint(&mut p, 1_000); // the moment
        p.push(0); // no trace hash
        p
    };
    let open = |version: u8, switches: u64, action: &[u8]| {
        link::decode(&link::seal_version(version, &with_action(config(version, switches), action)))
    };
    // write x=3 (tag 80; a new key of 1 byte; zigzag 3 = 6)
    let write = [80, 0, 1, b'x', 6];
    let rec = open(1, 5, &write).unwrap();
    assert!(!rec.config.raft.exactly_once, "format 1 runs were recorded without exactly-once");
    assert_eq!(rec.config.links, Links::InOrder);
    assert_eq!(rec.config.raft.transfer_timeout_heartbeats, 10);
    assert_eq!(rec.history, vec![(400, Action::Write { command: Command::set("x", 3), to: None })]);
    assert_eq!(rec.replay().unwrap().now(), 1_000);
    let rec = open(2, 6, &write).unwrap();
    assert!(!rec.config.raft.exactly_once, "format 2 runs were recorded without exactly-once");
    assert_eq!(rec.config.links, Links::Reorder);
    assert_eq!(rec.config.raft.max_entries_per_append, std::num::NonZeroU64::new(3));
    let rec = open(3, SWITCHES.len() as u64, &write).unwrap();
    assert!(!rec.config.raft.exactly_once, "format 3 holds the switch itself (off here)");
    assert!(rec.config.raft.pre_vote);
    assert!(open(3, 5, &write).unwrap().config.raft.exactly_once, "a switch a link lacks takes its default");
    // set links (tag 160) came with format 2; a read (tag 171: from S1, key x) and an option change
    // (tag 180: option 6, pre_vote, on) with format 3.
    let read = [171, 0, 1, b'x'];
    let option = [180, 6, 1];
    for (version, action, ok) in
        [(1, &[160, 1][..], false), (2, &[160, 1], true), (2, &read, false), (2, &option, false), (3, &read, true)]
    {
        let switches = [5, 6, SWITCHES.len() as u64][version as usize - 1];
        match open(version, switches, action) {
            Ok(_) => assert!(ok, "format {version} holds {action:?}"),
            Err(e) => {
                assert!(!ok, "format {version}: {e}");
                assert!(e.to_string().contains("not an action this playground knows"), "{e}");
            }
        }
    }
    let rec = open(3, SWITCHES.len() as u64, &option).unwrap();
    assert_eq!(rec.history[0].1, Action::SetOption { name: "pre_vote".into(), value: SwitchValue::Flag(true) });
    assert_eq!(open(3, 5, &read).unwrap().history[0].1, Action::Read { key: "x".into(), to: Some(NodeId(1)) });
    // More switches than a format held.
    let e = open(1, 6, &write).unwrap_err();
    assert!(e.to_string().contains("links of format 1 hold at most 5"), "{e}");
    let e = open(2, 7, &write).unwrap_err();
    assert!(e.to_string().contains("links of format 2 hold at most 6"), "{e}");
    // A version past the newest is refused by name.
    let e = link::decode(&link::seal_version(link::VERSION + 1, &config(3, 5))).unwrap_err();
    assert!(matches!(e, link::LinkError::BadVersion(v) if v == link::VERSION + 1), "{e}");
}

/// The trace hash as engines before link format 4 folded it (what links of
/// formats 1 to 3 name): the same fold of each event's time, kind, servers
/// and sentence, without the followers' term changes (`TermAdopted`) and
/// with a vote refused for its log told without the candidate's last entry.
fn hash_before_format_4(c: &Cluster) -> u64 {
    let fnv = |mut h: u64, bytes: &[u8]| {
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let mut h = 0xcbf2_9ce4_8422_2325;
    for e in c.events().iter().filter(|e| !matches!(e.what, EventData::TermAdopted { .. })) {
        h = fnv(h, &e.time.to_le_bytes());
        h = fnv(h, &[e.kind() as u8]);
        for n in e.nodes() {
            h = fnv(h, &[n.0]);
        }
        let mut text = e.text();
        if let (Some(a), Some(b)) = (text.find("'s log (last entry "), text.find(") is less up to date")) {
            text.replace_range(a + "'s log".len()..b + 1, "");
        }
        h = fnv(h, text.as_bytes());
        h = fnv(h, &[0xff]);
    }
    h
}

/// A link made by format 1 (before the links setting and the batch limit
/// existed: a 3-server run, seed 7, fast back-up on, a write, a latency
/// change, a crash, another write, 2.7 s) still opens, as the same run.
#[test]
fn a_link_of_format_1_still_decodes_with_in_order_links_and_replays() {
    let old = "ATQDB5YBrAIyCh4A9AOQTgUBAQoAAAToB1AAAXgCyAF4BSgAAQBQAAF5BIwVAamYx0wLsb5MpmxoIA";
    let rec = link::decode(old).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rec.config.links, Links::InOrder, "format 1 had in-order links only");
    assert_eq!(rec.config.raft.max_entries_per_append, None, "a switch the link does not hold takes its default");
    assert!(rec.config.raft.fast_backup);
    assert_eq!((rec.config.nodes, rec.config.seed, rec.history.len(), rec.moment), (3, 7, 4, 2_700));
    assert_eq!(rec.history[1], (1_200, Action::SetLatency { lo: 5, hi: 40 }));
    // It names the hash of the trace before format 4: it opens without it, and replays to that trace.
    assert_eq!(rec.trace_hash, None);
    let c = rec.replay().unwrap();
    assert_eq!(hash_before_format_4(&c), 0x4cbe_b10b_4cc7_98a9, "the same run as when the link was made");
    // Shared again, it becomes a link of the current format that reads back the same.
    let again = link::encode(&rec).unwrap();
    assert_ne!(again, old);
    assert_eq!(link::decode(&again), Ok(rec));
}

/// A link made by format 2 (before reads, options and exactly-once writes: a
/// 3-server run with reordering links, a batch limit of 2 and fast back-up,
/// the leader cut off, links set in order, and a write whose answer was
/// dropped, so that its retry landed twice and was applied twice) opens as
/// the same run: exactly-once off, as the engine then was.
#[test]
fn a_link_of_format_2_still_decodes_with_exactly_once_off_and_replays() {
    let old = "AkQDDJYBrAIyCh4AAfQDkE4GAQEKAAACCLwFUAABeAIAUAEElgEXAFAAAXkGhAegAAAhAFABCDhktAHwFwFh091640eZpoD6UwY";
    let rec = link::decode(old).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (rec.config.links, rec.config.raft.max_entries_per_append),
        (Links::Reorder, std::num::NonZeroU64::new(2))
    );
    assert!(rec.config.raft.fast_backup && !rec.config.raft.exactly_once && !rec.config.raft.pre_vote);
    assert_eq!((rec.config.nodes, rec.config.seed, rec.history.len(), rec.moment), (3, 12, 8, 3_056));
    assert_eq!(rec.trace_hash, None, "the hash of the trace before format 4");
    let c = rec.replay().unwrap();
    assert_eq!(hash_before_format_4(&c), 0xa699_47e3_7add_d361, "the same run as when the link was made");
    assert_eq!(c.client_ops()[3].landed.len(), 2, "the retried write landed twice");
    // With exactly-once on, the second copy is skipped: another run.
    let mut once = rec.config.clone();
    once.raft.exactly_once = true;
    let c = Cluster::replay(once, &rec.history, rec.moment).unwrap();
    assert_ne!(hash_before_format_4(&c), 0xa699_47e3_7add_d361);
    // Shared again, it becomes a link of the current format that reads back the same.
    let again = link::encode(&rec).unwrap();
    assert_eq!(link::decode(&again), Ok(rec));
}

#[test]
fn the_links_setting_and_the_batch_limit_go_through_scripts_and_links() {
    let raft = Settings { max_entries_per_append: std::num::NonZeroU64::new(2), ..Settings::default() };
    let mut c = Cluster::new(Config { seed: 5, links: Links::Reorder, raft, ..Config::default() }).unwrap();
    c.advance(800);
    c.client_write(Command::set("x", 1));
    c.advance(300);
    c.set_links(Links::InOrder);
    c.client_write(Command::set("y", 2));
    c.advance(300);
    c.set_links(Links::Reorder);
    c.advance(400);
    let rec = Recording::of(&c);
    let text = export(&rec);
    for line in
        ["links reorder\n", "max_entries_per_append 2\n", "at 1.1s set links in order\n", "at 1.4s set links reorder\n"]
    {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    let report = run(&parse(&text).unwrap()).unwrap();
    assert_eq!(report.cluster.trace_hash(), c.trace_hash());
    assert_eq!(report.cluster.history(), c.history());
    let back = link::decode(&link::encode(&rec).unwrap()).unwrap();
    assert_eq!(back, rec);
    assert_eq!(back.replay().unwrap().trace_hash(), c.trace_hash());
    // The same run with no batch limit and in-order links is another run.
    let plain = Cluster::replay(Config { seed: 5, ..Config::default() }, c.history(), c.now()).unwrap();
    assert_ne!(plain.trace_hash(), c.trace_hash());
}

/// A link made right after an action, at zero latency, opens as the same run
/// (its recorded trace hash is what the replay gives).
#[test]
fn a_link_made_right_after_a_write_at_zero_latency_replays_to_its_hash() {
    let mut c = Cluster::new(Config { seed: 8, latency_ms: (0, 0), ..Config::default() }).unwrap();
    c.advance(900);
    c.client_write(Command::set("x", 1));
    let rec = link::decode(&link::encode(&Recording::of(&c)).unwrap()).unwrap();
    assert_eq!(Some(rec.replay().unwrap().trace_hash()), rec.trace_hash);
}

#[cfg(feature = "compaction")]
#[test]
fn a_write_compacted_into_a_snapshot_is_still_committed_and_stored() {
    // With a snapshot every 2 applied entries, the first writes leave the
    // logs; p=1 is overwritten by p=3 before the snapshot, yet it was
    // committed at an index the snapshot covers: the server has it.
    let text = "servers 3\nseed 9\nsnapshot_threshold 2\nwait until leader within 2s\n\
                write p=1\n+50ms write q=2\n+50ms write p=3\n+50ms write r=4\n+50ms write s=5\n\
                wait until applied s=5 on all within 2s\n\
                expect committed q=2 on all\nexpect stored q=2 on all\nexpect committed p=1 on all\n\
                expect stored p=1 on S1\nexpect committed p=3 on all\nexpect committed t=6 on S2\n\
                expect committed p=2 on S3\n";
    let r = run(&script(text)).unwrap();
    let s1 = &r.cluster.servers()[0];
    assert!(s1.raft().snapshot().index >= 3, "the writes were compacted: {:?}", s1.raft().snapshot());
    assert!(s1.log().iter().all(|e| e.command != raft_playground::raft::Command::set("q", 2)));
    assert!(s1.log().iter().all(|e| e.command != raft_playground::raft::Command::set("p", 1)));
    assert_eq!(s1.raft().kv().get("p"), Some(&3), "p=1 was overwritten");
    let f: Vec<String> = r.failures().map(|o| o.to_string()).collect();
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f[0].starts_with("line 16: expected committed t=6 on S2, but S2 does not have it in its log"), "{f:?}");
    assert!(f[1].starts_with("line 17: expected committed p=2 on S3, but S3 does not have it in its log, and it was not committed at any of the entries 1 to "), "{f:?}");
    assert!(f[1].ends_with(" its snapshot holds"), "{f:?}");
}
