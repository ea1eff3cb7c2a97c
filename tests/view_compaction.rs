//! Log compaction on the page, natively (issue 13, the page's part): the log
//! grid's snapshot cell (its text, its tooltip, the columns it covers), the
//! InstallSnapshot glyph's kind and the inspector's fields, the snapshot
//! threshold as a setting (Setup panel, JavaScript API, address) and
//! `state()`'s snapshots. (`cargo test --test view_compaction`)
#![cfg(feature = "compaction")]

mod common;

use common::with_leader;
use raft_playground::raft::{Body, Snapshot};
use raft_playground::sim::{Action, Command, MessageKind, NodeId, Payload, SwitchValue};
use raft_playground::view::args::{self, address_options, address_snapshot, Arg, MountOptions, ResetOptions};
use raft_playground::view::inspector::fields;
use raft_playground::view::logs::{log_grid, snap_draw, snapshot_kv, MAX_COLUMNS, SNAP_KEYS_SHOWN};
use raft_playground::view::message::glance;
use raft_playground::view::model::{Model, Op, StartOptions};
use raft_playground::view::setup::{snapshot_threshold, threshold_change, with_snapshot_threshold};
use raft_playground::view::state::{page_state, state_json};

/// A paused page on `n` servers with `seed` and snapshot threshold `t`, as the address or the API start it.
fn model(n: usize, seed: u64, t: u64) -> Model {
    let opts =
        StartOptions { servers: n, seed: Some(seed), playing: false, snapshot_threshold: t, ..StartOptions::default() };
    Model::new(&opts, || unreachable!("the options give the seed")).unwrap()
}

/// `n` writes of keys k0..k5, one every 30 ms.
fn writes(m: &mut Model, n: i64) {
    for v in 0..n {
        let command = Command::set(&format!("k{}", v % 6), v);
        m.apply(Op::Sim(Action::Write { command, to: None })).unwrap();
        m.apply(Op::Advance(30)).unwrap();
    }
}

/// A run with threshold 5 in which a follower, crashed while the others
/// wrote 30 values and compacted, restarts: the leader must send it its
/// snapshot. Returns the model paused at the first InstallSnapshot in
/// flight, and the follower.
fn at_install_snapshot() -> (Model, NodeId) {
    let mut m = model(3, 21, 5);
    let l = with_leader(&mut m);
    let f = m.cluster().servers().iter().map(|s| s.id()).find(|&i| i != l).unwrap();
    m.apply(Op::Sim(Action::Crash { node: f })).unwrap();
    writes(&mut m, 30);
    m.apply(Op::Advance(300)).unwrap();
    assert!(m.cluster().node(l).unwrap().raft().snapshot_index() > 5, "the leader compacted");
    m.apply(Op::Sim(Action::Restart { node: f })).unwrap();
    for _ in 0..2000 {
        if m.cluster().messages().iter().any(|x| glance(&x.payload).kind == MessageKind::InstallSnapshot) {
            return (m, f);
        }
        m.apply(Op::Advance(1)).unwrap();
    }
    panic!("no InstallSnapshot sent to {f}");
}

#[test]
fn each_compacted_prefix_is_one_snapshot_cell_over_the_columns_it_replaced() {
    let (mut m, _) = at_install_snapshot();
    m.apply(Op::Advance(500)).unwrap();
    let g = log_grid(&m);
    let mut seen = 0;
    for (row, srv) in g.rows.iter().zip(m.cluster().servers()) {
        let n = srv.raft();
        // Every row has a cell (or a covered column) for each column: aligned by index.
        assert_eq!(row.cells.len(), g.columns.len());
        assert_eq!(row.first, g.columns[0]);
        let Some(snap) = &row.snapshot else {
            assert_eq!(n.snapshot_index(), 0, "{}: a snapshot with no cell", row.id);
            continue;
        };
        seen += 1;
        let s = n.snapshot();
        assert_eq!((snap.index, snap.term), (s.index, s.term));
        assert_eq!(snap.text, format!("≤{} t{}", s.index, s.term));
        // It covers the columns of indexes first..=index, and those cells are left empty.
        let covered = g.columns.iter().filter(|&&i| i <= s.index).count();
        assert_eq!(snap.span, covered, "{}", row.id);
        assert!(row.cells[..snap.span].iter().all(|c| c.is_none()));
        // After it, the entries the log still holds, each in its index's column.
        for (k, &i) in g.columns.iter().enumerate().skip(snap.span) {
            assert_eq!(row.cells[k].as_ref().map(|c| c.term), n.entry(i).map(|e| e.term), "{} index {i}", row.id);
        }
        // The tooltip says what it holds.
        assert!(snap.title.contains(&format!("last included index {}, term {}", s.index, s.term)), "{}", snap.title);
        for (k, v) in s.kv.iter().take(SNAP_KEYS_SHOWN) {
            assert!(snap.title.contains(&format!("{k}={v}")), "{k} in {}", snap.title);
        }
        #[cfg(feature = "membership")]
        assert!(snap.title.contains("configuration: voters S1, S2, S3"), "{}", snap.title);
    }
    assert_eq!(seen, 3, "every server compacted, the restarted one by InstallSnapshot");
}

#[test]
fn a_snapshot_cell_spans_only_the_grids_columns() {
    let snap = |index: u64| Snapshot { index, term: 4, kv: vec![("x".into(), 1)], ..Snapshot::default() };
    let id = NodeId::from_index(1);
    let cols = MAX_COLUMNS as usize;
    // Before the first column: no cell (the row's head tells it); at it: one column.
    assert_eq!(snap_draw(id, &snap(49), 50, cols).unwrap().span, 0);
    assert_eq!(snap_draw(id, &snap(50), 50, cols).unwrap().span, 1);
    assert_eq!(snap_draw(id, &snap(60), 50, cols).unwrap().span, 11);
    // Never past the last column.
    assert_eq!(snap_draw(id, &snap(200), 50, cols).unwrap().span, cols);
    assert_eq!(snap_draw(id, &snap(0), 1, cols), None, "index 0: no snapshot");
    let d = snap_draw(id, &snap(60), 50, cols).unwrap();
    assert_eq!(d.text, "≤60 t4");
    assert!(d.title.starts_with("S2's snapshot: entries 1 to 60"), "{}", d.title);
}

#[test]
fn a_snapshots_contents_are_listed_briefly() {
    let kv: Vec<(String, i64)> = (0..12).map(|i| (format!("key{i:02}"), -i)).collect();
    let s = Snapshot { index: 30, term: 2, kv, ..Snapshot::default() };
    let text = snapshot_kv(&s);
    assert!(text.starts_with("key00=0, key01=-1, "), "{text}");
    assert!(text.contains("key07=-7") && !text.contains("key08"), "{text}");
    assert!(text.ends_with("… and 4 more"), "{text}");
    assert_eq!(snapshot_kv(&Snapshot::default()), "empty");
}

#[test]
fn install_snapshot_has_its_own_kind_and_the_inspector_lists_its_fields() {
    let (mut m, f) = at_install_snapshot();
    let msg = m.cluster().messages().into_iter().find(|x| glance(&x.payload).kind == MessageKind::InstallSnapshot);
    let msg = msg.unwrap().clone();
    let Payload::Raft(raft) = &msg.payload else { unreachable!() };
    let Body::InstallSnapshot { snapshot, .. } = &raft.body else { unreachable!() };
    let g = glance(&msg.payload);
    assert_eq!((g.reply, g.ok, g.entries, msg.to), (false, None, 0, raftless(f)));
    let f_ = fields(&msg);
    let get = |k: &str| f_.iter().find(|x| x.0 == k).map(|x| x.1.clone());
    assert_eq!(get("lastIncludedIndex"), Some(snapshot.index.to_string()));
    assert_eq!(get("lastIncludedTerm"), Some(snapshot.term.to_string()));
    assert_eq!(get("keys"), Some(snapshot.kv.len().to_string()));
    assert_eq!(get("contents"), Some(snapshot_kv(snapshot)));
    assert!(f_[0].1.starts_with("InstallSnapshot: the leader sends its snapshot"), "{}", f_[0].1);
    assert!(msg.payload.summary().starts_with("InstallSnapshot "));
    // Its answer: a reply, a yes, with the index the follower now matches.
    for _ in 0..500 {
        m.apply(Op::Advance(1)).unwrap();
        let reply = m.cluster().messages().into_iter().find(|x| glance(&x.payload).kind == MessageKind::SnapshotReply);
        if let Some(r) = reply {
            let g = glance(&r.payload);
            assert_eq!((g.reply, g.ok), (true, Some(true)));
            let fr = fields(r);
            let get = |k: &str| fr.iter().find(|x| x.0 == k).map(|x| x.1.clone());
            assert_eq!(get("installed"), Some("✓ yes".to_string()));
            assert_eq!(get("matchIndex"), Some(snapshot.index.to_string()));
            assert!(r.payload.summary().starts_with("SnapshotReply "), "{}", r.payload.summary());
            let st = page_state(&m);
            let kinds: Vec<&str> = st.messages.iter().map(|x| x.kind).collect();
            assert!(kinds.contains(&"SnapshotReply"), "{kinds:?}");
            return;
        }
    }
    panic!("no answer to InstallSnapshot");
}

fn raftless(n: NodeId) -> raft_playground::sim::Addr {
    raft_playground::sim::Addr::Node(n)
}

#[test]
fn the_new_kinds_are_named_everywhere_and_scripts_can_name_them() {
    let names: Vec<&str> = MessageKind::ALL.iter().map(|k| k.name()).collect();
    let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert_eq!(at("SnapshotReply"), at("InstallSnapshot") + 1, "a request before its reply");
    assert_eq!(raft_playground::script::KINDS, MessageKind::ALL);
    let script = "servers 3\nsnapshot_threshold 5\ndrop next InstallSnapshot S1->S2\n";
    assert!(raft_playground::script::parse(script).is_ok(), "a script names the kind");
}

#[test]
fn state_tells_each_servers_snapshot() {
    let (m, f) = at_install_snapshot();
    let st = page_state(&m);
    for (s, srv) in st.servers.iter().zip(m.cluster().servers()) {
        let n = srv.raft();
        match &s.snapshot {
            Some(sn) => assert_eq!((sn.index, sn.term), (n.snapshot_index(), n.snapshot().term)),
            None => assert_eq!(n.snapshot_index(), 0),
        }
    }
    assert!(st.servers[f.index()].snapshot.is_none(), "not installed yet");
    let json: serde_json::Value = serde_json::from_str(&state_json(&m)).unwrap();
    assert_eq!(json, serde_json::to_value(&st).unwrap(), "the hand-written JSON is serde's");
    let l = m.cluster().leader().unwrap();
    assert!(json["servers"][l.index()]["snapshot"]["index"].as_u64().unwrap() > 0);
    assert!(json["servers"][f.index()]["snapshot"].is_null());
}

#[test]
fn the_threshold_is_a_setting_of_the_setup_panel_the_api_and_the_address() {
    let m = model(3, 4, 7);
    let cur = &m.cluster().config().raft.clone();
    assert_eq!(snapshot_threshold(cur), 7);
    // The Setup panel: the engine's switch, as a script writes it; blank or 0 is off.
    let set = |n: u64| Action::SetOption { name: "snapshot_threshold".into(), value: SwitchValue::Count(n) };
    let off = Action::SetOption { name: "snapshot_threshold".into(), value: SwitchValue::Flag(false) };
    assert_eq!(threshold_change(cur, " 20 "), Ok(Some(set(20))));
    assert_eq!(threshold_change(cur, "0"), Ok(Some(off.clone())));
    assert_eq!(threshold_change(cur, ""), Ok(Some(off)));
    assert_eq!(threshold_change(cur, "7"), Ok(None), "no change");
    // Not a whole number in range (what a number field's "-" or "1e" is): a
    // sentence that says so, and nothing applied (not "blank, so off").
    for bad in ["-", "1e", "-3", "1e3", "2.5", "x", "1000001"] {
        let why = threshold_change(cur, bad).unwrap_err();
        assert!(why.starts_with("The snapshot threshold must be a whole number"), "{bad}: {why}");
        assert!(why.contains(&format!("\"{bad}\"")) && why.ends_with("it is still 7."), "{bad}: {why}");
    }
    let mut m = m;
    m.apply(Op::Sim(threshold_change(cur, "20").unwrap().unwrap())).unwrap();
    assert_eq!(snapshot_threshold(&m.cluster().config().raft), 20);
    // The API: snapshotThreshold, 0 for off; reset() without it keeps the
    // current run's threshold (as it keeps the size), mountPlayground() without it is off.
    let reset = |v: Arg| args::read_options::<ResetOptions>(vec![("snapshotThreshold".into(), v)]).unwrap();
    assert_eq!(reset(Arg::Number(5.0)).snapshot_threshold(7), Ok(5));
    assert_eq!(reset(Arg::Number(0.0)).snapshot_threshold(7), Ok(0));
    assert_eq!(reset(Arg::Undefined).snapshot_threshold(7), Ok(7));
    assert_eq!(args::read_options::<ResetOptions>(vec![]).unwrap().snapshot_threshold(7), Ok(7));
    assert!(reset(Arg::Number(-1.0)).snapshot_threshold(7).unwrap_err().starts_with("snapshotThreshold must be"));
    let mount = |v: Arg| args::read_options::<MountOptions>(vec![("snapshotThreshold".into(), v)]).unwrap();
    assert_eq!(mount(Arg::Number(9.0)).start_options().unwrap().snapshot_threshold, 9);
    assert!(mount(Arg::Str("9".into())).start_options().is_err());
    // The address: snapshot=N, written by a run that compacts, read back to the same run.
    let m = model(5, 8, 12);
    assert_eq!(address_snapshot(&m.start), Some("12".into()));
    assert_eq!(address_snapshot(&with_snapshot_threshold(m.start.clone(), 0)), None);
    let mut written: Vec<(&str, String)> = args::address_settings(&m.start).to_vec();
    written.push(("snapshot", address_snapshot(&m.start).unwrap()));
    let read = address_options(|k| written.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone()));
    assert_eq!(read.problems, Vec::<String>::new());
    let again = Model::new(&read.start, || unreachable!()).unwrap();
    assert_eq!(again.start, m.start, "the same run");
    let bad = address_options(|k| (k == "snapshot").then(|| "lots".to_string()));
    assert_eq!(bad.start.snapshot_threshold, 0);
    assert!(bad.problems[0].starts_with("snapshot=lots (use a whole number"), "{:?}", bad.problems);
}
