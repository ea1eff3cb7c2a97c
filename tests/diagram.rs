//! The space-time diagram's model (`view/diagram.rs`) and its SVG export
//! (`view/diagram_svg.rs`), checked against what the cluster itself shows
//! step by step (messages in flight, messages lost), not against the wire log
//! the diagram reads.

use raft_playground::decimal::fixed;
use raft_playground::sim::*;
use raft_playground::view::diagram::*;
use raft_playground::view::diagram_svg::{arrow_line, chunk_span, document, pieces, svg, term_hex, Chunk, Pieces};
use std::collections::BTreeMap;
use std::rc::Rc;
#[path = "common/xml.rs"]
mod xml;
use xml::well_formed;

/// What a message did, as seen from outside: its ends, its times, how it ended.
#[derive(Debug, PartialEq)]
struct Seen {
    from: Addr,
    to: Addr,
    sent_at: u64,
    ended_at: u64,
    lost: Option<(LossCause, f64)>,
    /// As it was in flight: its kind, term, due time, whether a copy.
    kind: MessageKind,
    term: u64,
    arrive_at: u64,
    duplicate: bool,
}

/// The messages in flight, by id.
fn in_flight(c: &Cluster) -> BTreeMap<u64, InFlight> {
    c.messages().into_iter().map(|m| (m.id, m.clone())).collect()
}

/// Notes each message of `before` no longer in flight: delivered unless the
/// cluster lists it as lost just now.
fn note_ended(c: &Cluster, before: &BTreeMap<u64, InFlight>, seen: &mut BTreeMap<u64, Seen>) {
    let now = in_flight(c);
    for (id, m) in before {
        if !now.contains_key(id) {
            let lost = c.lost_messages().find(|l| l.message.id == *id).map(|l| (l.cause, l.progress));
            let term = match &m.payload {
                Payload::Raft(r) => r.term,
                _ => 0,
            };
            let s = Seen {
                from: m.from,
                to: m.to,
                sent_at: m.sent_at,
                ended_at: c.now(),
                lost,
                kind: m.payload.kind(),
                term,
                arrive_at: m.arrive_at,
                duplicate: m.duplicate,
            };
            seen.insert(*id, s);
        }
    }
}

/// Runs `c` event by event until `until`, watching messages appear in flight
/// and leave it.
fn watch(c: &mut Cluster, until: u64, seen: &mut BTreeMap<u64, Seen>) {
    while c.next_event_time().is_some_and(|t| t <= until) {
        let before = in_flight(c);
        c.step();
        note_ended(c, &before, seen);
    }
}

/// Performs `f` on `c`, watching the messages it ends (dropped, cut).
fn act(c: &mut Cluster, seen: &mut BTreeMap<u64, Seen>, f: impl FnOnce(&mut Cluster)) {
    let before = in_flight(c);
    f(c);
    note_ended(c, &before, seen);
}

fn cluster(seed: u64, drop_rate: f64) -> Cluster {
    Cluster::new(Config { seed, nodes: 5, drop_rate, ..Config::default() }).unwrap()
}

#[test]
fn an_arrow_per_message_between_the_right_lanes_at_the_right_times() {
    let mut c = cluster(7, 0.1);
    let mut seen = BTreeMap::new();
    watch(&mut c, 3_000, &mut seen);
    let r = Record::of(&c);
    let delivered = seen.values().filter(|s| s.lost.is_none()).count();
    assert!(delivered > 50, "a run of 3 s delivers messages ({delivered})");
    for (id, s) in &seen {
        let a = c.wire_of(*id).expect("an arrow for every message that ended");
        assert_eq!((a.from, a.to, a.sent_at, a.ended_at), (s.from, s.to, s.sent_at, s.ended_at), "message {id}");
        match s.lost {
            None => {
                assert_eq!(a.end, End::Delivered, "message {id}");
                assert_eq!(a.ended_at, a.arrive_at, "a delivered message ends at its arrival");
            }
            Some((cause, progress)) => {
                assert_eq!(a.end, End::Lost(cause), "message {id}");
                assert!((a.reach(c.now()) - progress).abs() < 1e-9, "lost where the ring shows it lost");
            }
        }
    }
    // Those still in flight end at "now".
    for m in c.messages() {
        let a = c.wire_of(m.id).unwrap();
        assert_eq!(a.end, End::InFlight);
        assert_eq!(a.end_at(c.now()), c.now().min(m.arrive_at));
    }
    assert_eq!(c.wires().len(), seen.len() + c.messages().len(), "no arrow without a message");
    // Drawn between the sender's and the receiver's lanes.
    let v = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default());
    let l = Layout::new(800.0, v.lanes.len(), 0, 2.0);
    for a in v.arrows.iter().filter(|a| a.end == End::Delivered) {
        let (x1, y1, x2, y2) = raft_playground::view::diagram_svg::arrow_line(a, &v.lanes, &l, v.now).unwrap();
        assert_eq!(x1, l.lane_x(lane_index(&v.lanes, a.from).unwrap()));
        assert_eq!(x2, l.lane_x(lane_index(&v.lanes, a.to).unwrap()));
        assert_eq!((y1, y2), (l.y(a.sent_at), l.y(a.arrive_at)));
    }
}

/// Checks the wire log's message `id` against what was seen of it.
fn check(c: &Cluster, id: u64, s: &Seen) {
    let a = c.wire_of(id).unwrap_or_else(|| panic!("message {id} in the wire log"));
    assert_eq!(
        (a.from, a.to, a.kind, a.term, a.sent_at, a.arrive_at, a.ended_at, a.duplicate),
        (s.from, s.to, s.kind, s.term, s.sent_at, s.arrive_at, s.ended_at, s.duplicate),
        "message {id}"
    );
    match s.lost {
        None => assert_eq!((a.end, a.ended_at), (End::Delivered, a.arrive_at), "message {id}"),
        Some((cause, progress)) => {
            assert_eq!(a.end, End::Lost(cause), "message {id}");
            assert!((a.reach(c.now()) - progress).abs() < 1e-9, "message {id} lost where the ring shows it lost");
        }
    }
}

#[test]
fn a_long_run_with_every_fault_keeps_each_messages_ends_compactly_and_snapshots_keep_theirs() {
    let mut c = cluster(13, 0.05);
    let mut seen = BTreeMap::new();
    let mut mid = None;
    let (mut dropped, mut copies) = (0, 0);
    for second in 1..=40u64 {
        for tenth in 0..10 {
            c.client_write(Command::Set { key: "k".into(), value: (second * 10 + tenth) as i64 });
            watch(&mut c, second * 1_000 + tenth * 100, &mut seen);
        }
        let victim = NodeId(1 + (second % 5) as u8);
        act(&mut c, &mut seen, |c| match second % 10 {
            2 => c.crash(victim).unwrap(),
            4 => c.restart(NodeId(1 + ((second - 2) % 5) as u8)).unwrap(),
            5 => c.partition(&[vec![NodeId(1), NodeId(2)], vec![NodeId(3), NodeId(4), NodeId(5)]]).unwrap(),
            7 => c.heal(),
            _ => {}
        });
        if let Some(m) = c.messages().first().map(|m| m.id) {
            if second % 3 == 0 {
                c.duplicate_message(m).unwrap();
                copies += 1;
            } else if second % 3 == 1 {
                act(&mut c, &mut seen, |c| c.drop_message(m).unwrap());
                dropped += 1;
            }
        }
        if second == 20 {
            mid = Some((c.snapshot(None), c.wires()));
        }
    }
    assert!(seen.len() > 5_000 && dropped > 5 && copies > 5, "{} messages seen", seen.len());
    for (id, s) in &seen {
        check(&c, *id, s);
    }
    for m in c.messages() {
        let a = c.wire_of(m.id).unwrap();
        assert_eq!((a.end, a.sent_at, a.end_at(c.now())), (End::InFlight, m.sent_at, c.now().min(m.arrive_at)));
    }
    assert_eq!(c.wires().len(), seen.len() + c.messages().len(), "no arrow without a message");
    let ends: Vec<End> = c.wires().into_iter().map(|a| a.end).collect();
    for cause in [LossCause::Random, LossCause::Cut, LossCause::ReceiverDown, LossCause::Dropped] {
        assert!(ends.contains(&End::Lost(cause)), "{cause:?} seen in this run");
    }
    assert!(c.wires().into_iter().any(|a| a.duplicate));
    assert!(c.wire().bytes() < c.wire().len() * 8, "ended messages take under 8 bytes each");
    // A snapshot keeps the log as it was, messages then in flight included,
    // however the cluster wrote on; and a replay writes the same log.
    let (snap, then) = mid.unwrap();
    assert!(then.iter().any(|a| a.end == End::InFlight));
    let mut again = snap.restore();
    assert_eq!(again.wires(), then);
    again.advance(c.now() - again.now());
    assert_eq!(snap.restore().wires(), then, "the snapshot's log did not change");
    let replayed = Cluster::replay(c.initial_config().clone(), c.history(), c.now()).unwrap();
    let all = c.wires();
    assert_eq!(replayed.wires(), all);
    assert_eq!(again.wires().iter().take(then.len()).filter(|a| a.end == End::InFlight).count(), 0, "ended since");
}

#[test]
fn lost_messages_end_where_they_were_lost_with_the_reason() {
    let mut c = cluster(3, 0.0);
    let mut seen = BTreeMap::new();
    watch(&mut c, 1_500, &mut seen);
    let leader = c.leader().expect("a leader after 1.5 s");
    let other = c.node_ids().into_iter().find(|n| *n != leader).unwrap();
    let id = c.messages()[0].id;
    c.drop_message(id).unwrap();
    while c.messages().is_empty() {
        let t = c.next_event_time().expect("a cluster always has something due");
        watch(&mut c, t, &mut seen);
    }
    let copy_of = c.messages()[0].id;
    let copy = c.duplicate_message(copy_of).unwrap();
    c.crash(other).unwrap();
    watch(&mut c, 2_000, &mut seen);
    c.partition(&[vec![leader], c.node_ids().into_iter().filter(|n| *n != leader).collect()]).unwrap();
    watch(&mut c, 2_600, &mut seen);
    let r = Record::of(&c);
    assert_eq!(c.wire_of(id).unwrap().end, End::Lost(LossCause::Dropped));
    assert!(c.wire_of(copy).unwrap().duplicate && !c.wire_of(copy_of).unwrap().duplicate);
    let causes: Vec<End> = seen.keys().map(|id| c.wire_of(*id).unwrap().end).collect();
    assert!(causes.contains(&End::Lost(LossCause::ReceiverDown)), "messages to the crashed server are lost on arrival");
    assert!(causes.contains(&End::Lost(LossCause::Cut)), "messages across the partition are cut");
    // The crash is a span on the lane that is still open, the partition spans both sides.
    let v = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default());
    assert!(v.spans.iter().any(|s| s.lane == Addr::Node(other) && s.kind == SpanKind::Down && s.to.is_none()));
    assert!(v.spans.iter().any(|s| s.lane == Addr::Node(leader) && s.kind == SpanKind::Partitioned(0)));
    assert!(v.marks.iter().any(|m| m.lane == Addr::Node(leader) && matches!(m.kind, MarkKind::Leader(_))));
    assert!(v.marks.iter().any(|m| m.lane == Addr::Node(other) && m.kind == MarkKind::Crashed));
}

#[test]
fn filters_hide_what_they_say() {
    let mut c = cluster(11, 0.0);
    c.advance(2_000);
    c.client_write(Command::Set { key: "x".into(), value: 1 });
    c.advance(500);
    let r = Record::of(&c);
    let all = Window { from: 0, to: c.now() };
    let everything = r.visible(&c, all, &Filter::default());
    assert!(everything.arrows.iter().any(|a| a.kind == MessageKind::Heartbeat));
    let no_hb = r.visible(&c, all, &Filter { hide_heartbeats: true, ..Filter::default() });
    assert!(no_hb.arrows.iter().all(|a| a.kind != MessageKind::Heartbeat));
    assert_eq!(
        no_hb.arrows.len(),
        everything.arrows.iter().filter(|a| a.kind != MessageKind::Heartbeat).count(),
        "only heartbeats go"
    );
    let votes = Filter::kind_bit(MessageKind::RequestVote) | Filter::kind_bit(MessageKind::VoteReply);
    let no_votes = r.visible(&c, all, &Filter { hidden_kinds: votes, ..Filter::default() });
    assert!(no_votes.arrows.iter().all(|a| !matches!(a.kind, MessageKind::RequestVote | MessageKind::VoteReply)));
    assert!(no_votes.arrows.iter().any(|a| a.kind == MessageKind::AppendEntries));
    let s2 = Addr::Node(NodeId(2));
    let without = r.visible(&c, all, &Filter { hidden_servers: 1 << 1, ..Filter::default() });
    assert!(!without.lanes.contains(&s2) && without.lanes.len() == everything.lanes.len() - 1);
    assert!(without.arrows.iter().all(|a| a.from != s2 && a.to != s2));
    assert!(without.marks.iter().all(|m| m.lane != s2));
    assert!(everything.arrows.iter().any(|a| a.from == s2 || a.to == s2));
    assert!(everything.marks.iter().any(|m| matches!(m.kind, MarkKind::ClientWrite { .. })));
}

/// The page's filter: one mask for kinds and servers, and its checkboxes
/// (ticked while shown) written from it, each with the bit it ticks.
#[test]
fn the_pages_filter_mask_and_its_checkboxes_say_what_is_hidden() {
    let f = Filter {
        hidden_kinds: Filter::kind_bit(MessageKind::Heartbeat),
        hidden_servers: 0b101,
        hide_heartbeats: false,
    };
    let mask = f.mask();
    assert_eq!(Filter::of_mask(mask), f, "the mask holds both");
    assert!(
        !Filter::of_mask(mask).shows_lane(Addr::Node(NodeId(3)))
            && Filter::of_mask(mask).shows_lane(Addr::Node(NodeId(2)))
    );
    let html = raft_playground::view::diagram_svg::filter_markup(mask, 4);
    let boxes: Vec<&str> = html.split("<input ").skip(1).collect();
    assert_eq!(boxes.len(), MessageKind::ALL.len() + 4, "a checkbox per kind and per server");
    for (i, k) in MessageKind::ALL.iter().enumerate() {
        let b = boxes[i];
        assert!(b.contains(&format!("data-f=\"{i}\"")) && b.contains(&format!("{}</label>", k.name())), "{b}");
        assert_eq!(b.contains(" checked"), *k != MessageKind::Heartbeat, "{b}");
        assert_eq!(1u64 << i, Filter::kind_bit(*k) as u64, "its bit is the kind's");
    }
    for (i, b) in boxes[MessageKind::ALL.len()..].iter().enumerate() {
        assert!(
            b.contains(&format!("data-f=\"{}\"", SERVER_BIT as usize + i))
                && b.contains(&format!("S{}</label>", i + 1))
        );
        assert_eq!(b.contains(" checked"), i % 2 == 1, "S1 and S3 hidden: {b}");
    }
    assert!(html.ends_with("<button data-l=\"\">Show all</button>"), "Show all clears the mask (no bit)");
}

/// Thinned for a coarse zoom: every lost message and every one in flight
/// stays; of the delivered, each (sender, receiver, kind) keeps about one
/// per stretch, never none; fewer arrows in all.
#[test]
fn thinning_keeps_every_loss_and_flight_and_each_pair_and_kind_in_each_stretch() {
    let mut c = cluster(5, 0.05);
    c.advance(2_000);
    for i in 0..20 {
        c.client_write(Command::Set { key: "x".into(), value: i });
        c.advance(400);
    }
    let r = Record::of(&c);
    let all = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default()).arrows;
    let mut thinned = all.clone();
    let ms = 300;
    thin(&mut thinned, ms);
    assert!(thinned.len() * 3 < all.len(), "{} of {}", thinned.len(), all.len());
    for a in &all {
        let key = |b: &Arrow| (b.from, b.to, b.kind, b.sent_at / ms);
        if a.end != End::Delivered {
            assert!(thinned.iter().any(|t| t.id == a.id), "#{} ({:?}) stays", a.id, a.end);
        } else {
            assert!(thinned.iter().any(|t| key(t) == key(a)), "#{}'s pair, kind and stretch keep an arrow", a.id);
        }
    }
    assert!(all.iter().any(|a| matches!(a.end, End::Lost(_))), "the run lost some");
    assert!(all.iter().any(|a| a.end == End::InFlight), "some were in flight at the end");
    // Nothing is made up: what stays is what was there.
    assert!(thinned.iter().all(|t| all.contains(t)));
    // The marks at a zoom of minutes: the roles, crashes and restarts stay, the entries' and the client's go.
    c.crash(NodeId(2)).unwrap();
    c.advance(1_000);
    c.restart(NodeId(2)).unwrap();
    c.advance(1_000);
    let r = Record::of(&c);
    let marks = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default()).marks;
    let mut few = marks.clone();
    thin_marks(&mut few);
    let is = |m: &Mark, f: fn(&MarkKind) -> bool| f(&m.kind);
    for m in &marks {
        let rare = is(m, |k| {
            matches!(
                k,
                MarkKind::Leader(_)
                    | MarkKind::Candidate(_)
                    | MarkKind::Follower(_)
                    | MarkKind::Crashed
                    | MarkKind::Restarted(_)
            )
        });
        assert_eq!(few.contains(m), rare, "{m:?}");
    }
    assert!(
        few.iter().any(|m| m.kind == MarkKind::Crashed) && few.iter().any(|m| matches!(m.kind, MarkKind::Leader(_)))
    );
    assert!(marks.iter().any(|m| matches!(m.kind, MarkKind::Committed(_))) && few.len() < marks.len());
    assert!(marks.iter().any(|m| matches!(m.kind, MarkKind::Term(_))), "followers' term marks go too");
}

#[test]
fn pre_votes_and_reads_are_arrows_and_marks_like_the_rest() {
    let mut c = cluster(3, 0.0);
    c.set_option("pre_vote", SwitchValue::Flag(true)).unwrap();
    c.advance(2_000);
    let read = c.client_read("x");
    let mut seen = BTreeMap::new();
    let until = c.now() + 1_000;
    watch(&mut c, until, &mut seen);
    c.crash(c.client_leader().unwrap()).unwrap();
    let until = c.now() + 3_000;
    watch(&mut c, until, &mut seen);
    let r = Record::of(&c);
    for kind in [MessageKind::PreVote, MessageKind::PreVoteReply, MessageKind::ClientRead] {
        let of_kind: Vec<Arrow> = c.wires().into_iter().filter(|a| a.kind == kind).collect();
        assert!(!of_kind.is_empty(), "{kind:?} drawn");
        for a in of_kind.iter().filter(|a| a.sent_at >= 2_000) {
            let s = &seen[&a.id];
            assert_eq!(
                (a.from, a.to, a.sent_at, a.ended_at),
                (s.from, s.to, s.sent_at, s.ended_at),
                "{kind:?} {}",
                a.id
            );
        }
        let hidden = r.visible(
            &c,
            Window { from: 0, to: c.now() },
            &Filter { hidden_kinds: Filter::kind_bit(kind), ..Filter::default() },
        );
        assert!(hidden.arrows.iter().all(|a| a.kind != kind), "{kind:?} can be hidden");
    }
    let marks = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default()).marks;
    assert!(marks.iter().any(|m| matches!(m.kind, MarkKind::ClientRead { op, .. } if op == read)));
    let done = marks.iter().find(|m| matches!(m.kind, MarkKind::ClientReadDone { op, .. } if op == read));
    assert_eq!(done.map(|m| m.label()), Some(format!("read #{read} = none")), "x was never written");
}

#[test]
fn windowing_returns_exactly_what_is_visible() {
    let mut c = cluster(5, 0.05);
    c.advance(20_000);
    let r = Record::of(&c);
    let now = c.now();
    for (from, to) in [(0, 300), (5_000, 5_400), (12_345, 14_000), (now - 200, now), (now + 10, now + 500)] {
        let w = Window { from, to };
        let v = r.visible(&c, w, &Filter::default());
        let expect: Vec<u64> =
            c.wires().into_iter().filter(|a| a.sent_at <= to && a.end_at(now) >= from).map(|a| a.id).collect();
        let mut got: Vec<u64> = v.arrows.iter().map(|a| a.id).collect();
        got.sort_unstable();
        assert_eq!(got, expect, "window {from}..{to}");
        assert!(v.marks.iter().all(|m| m.at >= from && m.at <= to));
        assert!(got.len() < c.wires().len() / 10, "a window shows a small part of a long run");
    }
}

/// Following "now", the window moves in whole steps (a chunk's height):
/// between steps it stays put and "now" moves down across it; "now" is
/// always in view, in the window's lower part, at every zoom.
#[test]
fn following_now_moves_the_window_in_whole_steps_with_now_in_view() {
    let (height, bottom) = (520.0, 520.0 - 24.0);
    for ms_per_px in ZOOMS {
        let step = ((FOLLOW_STEP_PX * ms_per_px) as u64).max(1);
        let mut tops = Vec::new();
        let mut now = 0u64;
        while now < 40 * step + 7_000 {
            let top = Layout::follow_top(now, height, ms_per_px);
            let l = Layout::new(560.0, 6, top, ms_per_px);
            assert_eq!(top % step, 0, "{ms_per_px} ms/px: a top on a step ({top} at {now})");
            let y = l.y(now);
            assert!(y <= bottom + 0.5, "{ms_per_px} ms/px: now at {y} px, below the line at {now}");
            let w = l.window(height);
            assert!(w.meets(now, now), "{ms_per_px} ms/px: now in view at {now}");
            if top > 0 {
                assert!(y > bottom - FOLLOW_STEP_PX - 1.0, "{ms_per_px} ms/px: now at {y} px, a step too high");
            }
            if tops.last() != Some(&top) {
                tops.push(top);
            }
            now += (step / 7).max(1);
        }
        // The window moved on by one step at a time (from 0), never back.
        assert!(tops.len() > 30, "{ms_per_px} ms/px: it moved");
        assert!(tops.windows(2).all(|p| p[1] == p[0] + step), "{ms_per_px} ms/px: {:?}", &tops[..5]);
    }
}

/// The drawing is as tall as the box the panel gives it, and following
/// "now" at that height keeps "now" inside the window, below the lane names
/// and above the drawing's bottom, at every zoom: from the smallest box
/// (480x360's panel) to a tall one.
#[test]
fn following_now_keeps_it_in_a_drawing_of_any_measured_height() {
    // The box as measured (its 1-px border inside): whole pixels, never under the minimum.
    assert_eq!(Layout::fit(618.0, 247.0), (616.0, 245.0));
    assert_eq!(Layout::fit(100.0, 60.0), (MIN_WIDTH, MIN_HEIGHT));
    // The page widens it to its lanes' room: five servers and the client fit in 334 px, nine in 522.
    assert_eq!((Layout::min_width(6), Layout::min_width(10)), (334.0, 522.0));
    assert_eq!(Layout::fit(0.0, 0.0), (560.0, 520.0), "not laid out yet");
    assert_eq!(Layout::fit(f64::NAN, 300.0), (560.0, 520.0));
    let mut heights = vec![MIN_HEIGHT, 100.0, 116.0, 150.0, 245.0, 330.0, 517.0, 900.0];
    heights.extend((121..190).map(f64::from));
    for height in heights {
        for ms_per_px in ZOOMS {
            let mut now = 0u64;
            let mut last_top = 0;
            while now < (3_000.0 * ms_per_px) as u64 + 40_000 {
                let top = Layout::follow_top(now, height, ms_per_px);
                let l = Layout::new(616.0, 10, top, ms_per_px);
                let w = l.window(height);
                assert!(w.meets(now, now), "{height} px, {ms_per_px} ms/px: now {now} in {w:?}");
                let y = l.y(now);
                assert!(y >= l.header && y <= height - 23.5, "{height} px, {ms_per_px} ms/px: now at {y} px");
                assert!(top >= last_top, "the window never moves back while following");
                last_top = top;
                now += ((ms_per_px * 13.0) as u64).max(1) + now % 7;
            }
        }
    }
}

#[test]
fn the_record_follows_the_cluster_back_in_time_and_on() {
    let mut c = cluster(9, 0.0);
    c.advance(1_000);
    let snap = c.snapshot(None);
    c.advance(1_000);
    let mut r = Record::of(&c);
    let all = Window { from: 0, to: 5_000 };
    let later = r.visible(&c, all, &Filter::default());
    c = snap.restore();
    r.update(&c);
    let back = r.visible(&c, all, &Filter::default());
    assert!(back.arrows.len() < later.arrows.len());
    assert_eq!(back, Record::of(&c).visible(&c, all, &Filter::default()));
    c.advance(1_000);
    r.update(&c);
    assert_eq!(
        r.visible(&c, all, &Filter::default()),
        Record::of(&c).visible(&c, all, &Filter::default()),
        "reading on in pieces gives the same diagram"
    );
}

#[test]
fn the_checker_refuses_what_is_not_xml() {
    assert!(well_formed("<svg><g></svg>").is_err());
    assert!(well_formed("<svg a=b></svg>").is_err());
    assert!(well_formed("<svg>a & b</svg>").is_err());
    assert!(well_formed("<svg><g/><text x=\"1\">a &amp; b</text></svg>").is_ok());
}

#[test]
fn the_exported_svg_stands_on_its_own() {
    let mut c = cluster(4, 0.2);
    c.advance(1_200);
    c.crash(NodeId(1)).unwrap();
    c.client_write(Command::Set { key: "a<b&c".into(), value: 2 });
    c.advance(800);
    let r = Record::of(&c);
    let w = Window { from: 0, to: c.now() };
    let v = r.visible(&c, w, &Filter::default());
    let l = Layout::new(900.0, v.lanes.len(), 0, 2.5);
    let text = svg(&v, &l, l.y(c.now()) + 20.0, "seed 4 & friends");
    let names = well_formed(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(names[0], "svg");
    assert!(names.iter().filter(|n| *n == "line").count() > v.arrows.len(), "a line per arrow and per lane");
    assert!(text.contains("font-family=\"system-ui"), "fonts named");
    assert!(!text.contains("href") && !text.contains("url(") && !text.contains("<script"), "no references");
    assert_eq!(text.matches("http").count(), 1, "only the SVG namespace");
    assert!(text.contains("receiver crashed") || text.contains("lost at random"), "losses say why");
}

/// The page's drawing of `c` following "now" at 1 ms a pixel, reusing `old`'s chunks.
fn follow(r: &Record, c: &Cluster, old: &[Chunk]) -> (Pieces, Layout, Visible) {
    let l = Layout::new(560.0, 6, Layout::follow_top(c.now(), 520.0, 1.0), 1.0);
    let (w, span) = (l.window(520.0), chunk_span(&l));
    let v = r.visible(c, Window { from: w.from / span * span, ..w }, &Filter::default());
    (pieces(&v, &l, 520.0, "t", 0, old, true), l, v)
}

#[test]
fn settled_arrows_keep_their_markup_as_the_window_follows_now() {
    let mut c = cluster(3, 0.1);
    c.advance(2_000);
    let mut r = Record::of(&c);
    let (before, ..) = follow(&r, &c, &[]);
    c.advance(40);
    r.update(&c);
    let (after, l, v) = follow(&r, &c, &before.chunks);
    let same = |a: &Chunk, b: &Chunk| a.arrows.iter().zip(&b.arrows).all(|(x, y)| Rc::ptr_eq(&x.1, &y.1));
    let settled: Vec<&Chunk> = after.chunks.iter().filter(|k| !k.flight).collect();
    let kept = settled.iter().filter(|k| before.chunks.iter().any(|o| same(o, k))).count();
    assert!(settled.len() >= 6, "a window of about 470 ms in chunks of 64 ms: {}", settled.len());
    assert!(kept + 3 >= settled.len(), "only the newest chunks drawn again: {kept} of {}", settled.len());
    assert!(kept < settled.len(), "new arrows settled in 40 ms");
    // Each arrow's markup apart (the page puts in or takes out only the arrows that changed).
    let ids: usize = after.chunks.iter().map(|k| k.arrows.len()).sum();
    assert_eq!(ids, v.arrows.len());
    for k in &after.chunks {
        for (id, markup) in &k.arrows {
            assert!(markup.starts_with(&format!("<g data-id=\"{id}\">")) && markup.ends_with("</g>\n"), "{markup}");
        }
    }
    // On the page, an arrow in flight is drawn to its arrival (cut at "now" by the page), its tip apart.
    let flying: Vec<_> = v.arrows.iter().filter(|a| a.end == End::InFlight).collect();
    assert!(!flying.is_empty());
    let tips = &after.tips;
    assert_eq!(tips[0].0, "#111", "the outline first");
    for a in &flying {
        // Drawn as a dot in the outline's path and in its term colour's, where it is at "now".
        let (.., x, y) = arrow_line(a, &v.lanes, &l, v.now).unwrap();
        let dot = format!("M{} {}h0", fixed(x, 1), fixed(y, 1));
        assert_eq!(tips[0].1.matches(&dot).count(), 1, "#{}'s dot ringed: {dot} in {}", a.id, tips[0].1);
        let colour = term_hex(a.term);
        assert!(tips[1..].iter().any(|p| p.0 == colour && p.1.contains(&dot)), "#{}'s dot in its colour", a.id);
    }
    // One path per colour, each dot in one of them.
    let colours: Vec<&str> = tips[1..].iter().map(|p| p.0).collect();
    assert!(colours.iter().enumerate().all(|(i, c)| !colours[..i].contains(c)), "{colours:?}");
    let dots = |d: &str| d.matches("h0").count();
    assert_eq!(tips[1..].iter().map(|p| dots(&p.1)).sum::<usize>(), flying.len());
    assert_eq!(dots(&tips[0].1), flying.len());
    assert_eq!(after.dots().matches("<path d=").count(), tips.len());
    let fresh = pieces(&v, &l, 520.0, "t", 0, &[], true);
    assert_eq!(document(&after, &l, 520.0), document(&fresh, &l, 520.0), "kept markup is what drawing anew gives");
    // Another look (the caller's salt) draws them all again.
    let other = pieces(&v, &l, 520.0, "t", 1, &after.chunks, true);
    assert!(other.chunks.iter().all(|k| !after.chunks.iter().any(|o| same(o, k))));
    // The file draws the arrows in flight to "now", each with its tip, and no tips apart.
    let file = document(&pieces(&v, &l, 520.0, "t", 0, &[], false), &l, 520.0);
    assert_eq!(file.matches("<g data-id=").count(), v.arrows.len());
    assert!(!file.contains("<circle data-id=") && !file.contains("h0\""));
    assert_eq!(file.matches("r=\"3\" fill=").count(), flying.len());
}

// ----- what the drawing shows on the lanes (the marks, the spans, the dashes) -----

/// The run of scenario file `name` (under `scenarios/`), as `cargo run --example scenario` runs it.
fn scenario(name: &str) -> Cluster {
    use raft_playground::script::{parse, run, split_trace};
    let path = format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let script = parse(split_trace(&text).0).unwrap_or_else(|e| panic!("{name}: {e}"));
    run(&script).unwrap().cluster
}

/// The tags `<name ...>` in `markup`, each from `<` to its `>`.
fn tags<'a>(markup: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    markup.match_indices(&open).map(|(i, _)| &markup[i..=i + markup[i..].find('>').unwrap()]).collect()
}

/// Attribute `name` of `tag`, as written.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let from = tag.find(&key)? + key.len();
    Some(&tag[from..from + tag[from..].find('"')?])
}

/// Attribute `name` of `tag` as a number (NaN when missing).
fn num_attr(tag: &str, name: &str) -> f64 {
    attr(tag, name).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

/// Whether `a` is `b` as the drawing writes it (one decimal).
fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.051
}

/// The mark whose label is `label` as drawn: its dot (`<circle>`) and its label (`<text>`).
fn drawn_mark<'a>(markup: &'a str, label: &str) -> Option<(&'a str, &'a str)> {
    let line = markup.lines().find(|l| l.ends_with(&format!(">{label}</text>")))?;
    Some((tags(line, "circle").first()?, tags(line, "text").first()?))
}

/// The whole run of `c` drawn at `ms_per_px` from time 0 (the window's top: the marks' group is not moved).
fn whole(c: &Cluster, ms_per_px: f64) -> (Visible, Layout, String) {
    let r = Record::of(c);
    let v = r.visible(c, Window { from: 0, to: c.now() }, &Filter::default());
    let l = Layout::new(900.0, v.lanes.len(), 0, ms_per_px);
    let text = svg(&v, &l, l.y(c.now()) + 24.0, "t");
    (v, l, text)
}

/// Figure 8 with Raft broken on purpose (`unsafe_commit_old_terms`): each
/// safety violation the monitor reports is a red mark on the lane of the
/// first server it names, at its time, labelled "⚠ <property>"; the same
/// steps with Raft intact have none.
#[test]
fn a_safety_violation_is_a_red_mark_naming_the_property_on_its_lane() {
    let c = scenario("figure-8-unsafe.txt");
    let broken: Vec<(u64, Addr, &str)> = c
        .events()
        .iter()
        .filter_map(|e| match &e.what {
            EventData::Violation { property, nodes, .. } => {
                Some((e.time, nodes.first().map_or(Addr::Client, |n| Addr::Node(*n)), property.name()))
            }
            _ => None,
        })
        .collect();
    let names: Vec<&str> = broken.iter().map(|b| b.2).collect();
    assert!(names.contains(&"Leader Completeness") && names.contains(&"State Machine Safety"), "{names:?}");
    let (v, l, text) = whole(&c, 2.0);
    let marks: Vec<&Mark> = v.marks.iter().filter(|m| matches!(m.kind, MarkKind::Violation(_))).collect();
    assert_eq!(marks.len(), broken.len(), "a mark per violation");
    for (&(at, lane, name), m) in broken.iter().zip(&marks) {
        assert_eq!((m.lane, m.at, m.kind), (lane, at, MarkKind::Violation(name)));
        assert!(lane != Addr::Client, "{name} names a server");
        let label = format!("⚠ {name}");
        assert_eq!(m.label(), label);
        let (dot, words) = drawn_mark(&text, &label).unwrap_or_else(|| panic!("{label} drawn"));
        let x = l.lane_x(lane_index(&v.lanes, lane).unwrap());
        assert!(near(num_attr(dot, "cx"), x) && near(num_attr(dot, "cy"), l.y(at)), "{dot}: on {lane} at {at} ms");
        assert!(near(num_attr(words, "x"), x + 7.0) || near(num_attr(words, "x"), x - 7.0), "{words}: beside it");
        // Red, and no other mark is.
        assert_eq!((attr(dot, "fill"), attr(words, "fill")), (Some("#d00000"), Some("#d00000")));
    }
    let red = tags(&text, "circle").into_iter().filter(|t| attr(t, "fill") == Some("#d00000")).count();
    assert_eq!(red, broken.len(), "only the violations' dots are red");
    let (safe, _, safe_text) = whole(&scenario("figure-8.txt"), 2.0);
    assert!(safe.marks.iter().all(|m| !matches!(m.kind, MarkKind::Violation(_))));
    assert!(!safe_text.contains('⚠'), "Raft intact: no violation drawn");
}

/// A disconnected server's lane is shaded from its disconnection to its
/// reconnection (or to a heal, or to "now" while it lasts); a partition
/// shades each side's lanes, the two sides apart, until the heal.
#[test]
fn disconnections_and_partitions_are_spans_over_their_time() {
    let (s1, s2, s3, s4, s5) = (NodeId(1), NodeId(2), NodeId(3), NodeId(4), NodeId(5));
    let mut c = cluster(6, 0.0);
    c.advance(1_000);
    let t1 = c.now();
    c.disconnect(s2).unwrap();
    c.advance(700);
    let t2 = c.now();
    c.reconnect(s2).unwrap();
    c.advance(300);
    let t3 = c.now();
    c.partition(&[vec![s1, s2], vec![s3, s4, s5]]).unwrap();
    c.advance(250);
    let t4 = c.now();
    c.disconnect(s3).unwrap();
    c.advance(350);
    let t5 = c.now();
    c.heal();
    c.advance(200);
    let t6 = c.now();
    c.disconnect(s4).unwrap();
    c.advance(400);
    let groups = c.events().iter().find_map(|e| match &e.what {
        EventData::Partitioned { groups } if e.time == t3 => Some(groups.clone()),
        _ => None,
    });
    assert_eq!(groups, Some(vec![vec![s1, s2], vec![s3, s4, s5]]));
    let span = |n: NodeId, kind, from, to| Span { lane: Addr::Node(n), kind, from, to };
    let mut expect = vec![span(s2, SpanKind::Disconnected, t1, Some(t2))];
    for n in [s1, s2] {
        expect.push(span(n, SpanKind::Partitioned(0), t3, Some(t5)));
    }
    for n in [s3, s4, s5] {
        expect.push(span(n, SpanKind::Partitioned(1), t3, Some(t5)));
    }
    // The heal reconnects S3 too; S4's disconnection lasts.
    expect.push(span(s3, SpanKind::Disconnected, t4, Some(t5)));
    expect.push(span(s4, SpanKind::Disconnected, t6, None));
    let (v, l, _) = whole(&c, 2.0);
    let key = |s: &Span| (s.lane, s.from, format!("{:?}", s.kind));
    let (mut got, mut want) = (v.spans.clone(), expect.clone());
    got.sort_by_key(key);
    want.sort_by_key(key);
    assert_eq!(got, want);
    // A window between the disconnection and the partition meets no span; one inside S4's open span meets it.
    let r = Record::of(&c);
    assert!(r.visible(&c, Window { from: t2 + 20, to: t3 - 20 }, &Filter::default()).spans.is_empty());
    let late = r.visible(&c, Window { from: c.now() - 10, to: c.now() }, &Filter::default()).spans;
    assert_eq!(late, vec![span(s4, SpanKind::Disconnected, t6, None)]);
    // Drawn as a shaded band on its lane over its time (to "now" while it lasts).
    let under = pieces(&v, &l, l.y(c.now()) + 24.0, "t", 0, &[], false).under;
    let rects = tags(&under, "rect");
    let band = |s: &Span| {
        let x = l.lane_x(lane_index(&v.lanes, s.lane).unwrap());
        let (y1, y2) = (l.y(s.from), l.y(s.to.unwrap_or(c.now())));
        let found: Vec<&&str> = rects
            .iter()
            .filter(|r| {
                near(num_attr(r, "x") + num_attr(r, "width") / 2.0, x)
                    && near(num_attr(r, "y"), y1)
                    && near(num_attr(r, "height"), y2 - y1)
            })
            .collect();
        assert_eq!(found.len(), 1, "{s:?}: one band from {y1} to {y2} on x {x}");
        attr(found[0], "fill").unwrap()
    };
    let fills: Vec<&str> = expect.iter().map(band).collect();
    assert_eq!(rects.len(), expect.len() + 1, "the bands and the background");
    // Each kind its colour: the disconnections one, each side of the partition another.
    let fill_of = |k: SpanKind| fills[expect.iter().position(|s| s.kind == k).unwrap()];
    let (cut, a, b) =
        (fill_of(SpanKind::Disconnected), fill_of(SpanKind::Partitioned(0)), fill_of(SpanKind::Partitioned(1)));
    assert!(cut != a && cut != b && a != b, "{cut} {a} {b}");
    for (s, f) in expect.iter().zip(&fills) {
        assert_eq!(*f, fill_of(s.kind), "{s:?}");
    }
}

/// A duplicated message's arrow (the copy) is dashed and says so in its
/// tooltip; the original, of a kind drawn solid, stays solid.
#[test]
fn a_duplicated_messages_arrow_is_dashed_and_says_so() {
    let mut c = cluster(3, 0.0);
    c.advance(1_500);
    assert!(c.leader().is_some());
    let solid = |k: MessageKind| raft_playground::view::diagram_svg::kind_stroke(k).1.is_empty();
    let original = c.messages().iter().find(|m| solid(m.payload.kind())).expect("a message drawn solid in flight").id;
    let copy = c.duplicate_message(original).unwrap();
    c.advance(300);
    let (a, b) = (c.wire_of(original).unwrap(), c.wire_of(copy).unwrap());
    assert!(b.duplicate && !a.duplicate && (a.from, a.to, a.kind) == (b.from, b.to, b.kind));
    let (v, _, text) = whole(&c, 1.0);
    let group = |id: u64| {
        let from = text.find(&format!("<g data-id=\"{id}\">")).unwrap_or_else(|| panic!("#{id} drawn"));
        &text[from..from + text[from..].find("</g>").unwrap()]
    };
    let (line_a, line_b) = (tags(group(original), "line")[0], tags(group(copy), "line")[0]);
    assert_eq!(attr(line_a, "stroke-dasharray"), None, "{line_a}");
    assert_eq!(attr(line_b, "stroke-dasharray"), Some("2 3"), "{line_b}");
    assert_eq!(attr(line_a, "stroke"), attr(line_b, "stroke"), "the same term's colour");
    assert!(group(copy).contains("(duplicate)</title>") && !group(original).contains("(duplicate)"));
    // Only the copies are dashed so among the arrows of kinds drawn solid.
    let dashed_solid_kinds = v
        .arrows
        .iter()
        .filter(|a| solid(a.kind) && attr(tags(group(a.id), "line")[0], "stroke-dasharray").is_some())
        .count();
    assert_eq!(dashed_solid_kinds, v.arrows.iter().filter(|a| a.duplicate).count());
}

/// Each election won is a leader mark with a crown, "♛ leader tN", on the
/// winner's lane at its time, in its term's colour.
#[test]
fn the_leaders_mark_wears_the_crown_and_its_term() {
    let mut c = cluster(2, 0.0);
    c.advance(1_500);
    let first = c.leader().expect("a leader");
    let other = c.node_ids().into_iter().find(|n| *n != first).unwrap();
    c.timeout_now(other).unwrap();
    c.advance(1_500);
    let won: Vec<(u64, NodeId, u64)> = c
        .events()
        .iter()
        .filter_map(|e| match &e.what {
            EventData::LeaderElected { node, term, .. } => Some((e.time, *node, *term)),
            _ => None,
        })
        .collect();
    assert!(won.len() >= 2 && won[0].2 != won[1].2, "two leaders of two terms: {won:?}");
    let (v, l, text) = whole(&c, 1.0);
    let leaders: Vec<&Mark> = v.marks.iter().filter(|m| matches!(m.kind, MarkKind::Leader(_))).collect();
    assert_eq!(leaders.len(), won.len());
    let mut fills = Vec::new();
    for (&(at, node, term), m) in won.iter().zip(&leaders) {
        assert_eq!((m.lane, m.at, m.kind), (Addr::Node(node), at, MarkKind::Leader(term)));
        let label = format!("♛ leader t{term}");
        assert_eq!(m.label(), label);
        let (dot, _) = drawn_mark(&text, &label).unwrap_or_else(|| panic!("{label} drawn"));
        let x = l.lane_x(lane_index(&v.lanes, m.lane).unwrap());
        assert!(near(num_attr(dot, "cx"), x) && near(num_attr(dot, "cy"), l.y(at)), "{dot}");
        assert_eq!(attr(dot, "fill"), Some(raft_playground::view::diagram_svg::term_hex(term)));
        fills.push(attr(dot, "fill"));
    }
    assert_ne!(fills[0], fills[1], "two terms, two colours");
    // Only leaders wear the crown.
    assert_eq!(text.matches('♛').count(), won.len());
}

/// A crashed server's lane is dashed while it is down (from its crash to
/// its restart, or to "now"), shaded too; the other lanes are not.
#[test]
fn a_crashed_lane_is_dashed_while_down() {
    let mut c = cluster(8, 0.0);
    c.advance(1_200);
    let t1 = c.now();
    c.crash(NodeId(3)).unwrap();
    c.advance(500);
    let t2 = c.now();
    c.crash(NodeId(4)).unwrap();
    c.advance(300);
    let t3 = c.now();
    // S3 restarts while S4 is down: only S3's stretch ends.
    c.restart(NodeId(3)).unwrap();
    c.advance(600);
    let (v, l, _) = whole(&c, 2.0);
    let down = |n: u8, from, to| Span { lane: Addr::Node(NodeId(n)), kind: SpanKind::Down, from, to };
    let mut spans: Vec<Span> = v.spans.iter().filter(|s| s.kind == SpanKind::Down).copied().collect();
    spans.sort_by_key(|s| s.from);
    assert_eq!(spans, vec![down(3, t1, Some(t3)), down(4, t2, None)]);
    let under = pieces(&v, &l, l.y(c.now()) + 24.0, "t", 0, &[], false).under;
    let dashed: Vec<&str> =
        tags(&under, "line").into_iter().filter(|t| attr(t, "stroke-dasharray").is_some()).collect();
    assert_eq!(dashed.len(), 2, "{dashed:?}");
    for (line, (i, from, to)) in dashed.iter().zip([(2, t1, t3), (3, t2, c.now())]) {
        let x = l.lane_x(i);
        assert!(near(num_attr(line, "x1"), x) && near(num_attr(line, "x2"), x), "{line}: on S{}", i + 1);
        assert!(near(num_attr(line, "y1"), l.y(from)) && near(num_attr(line, "y2"), l.y(to)), "{line}: {from}..{to}");
    }
    // Every lane has its solid line from top to bottom, under the dashes.
    let solid = tags(&under, "line").into_iter().filter(|t| attr(t, "stroke-dasharray").is_none()).count();
    assert_eq!(solid, v.lanes.len());
    let marks: Vec<MarkKind> = v.marks.iter().filter(|m| m.lane == Addr::Node(NodeId(3))).map(|m| m.kind).collect();
    assert!(marks.contains(&MarkKind::Crashed) && marks.iter().any(|k| matches!(k, MarkKind::Restarted(_))));
}

/// Each follower whose term rose in a step while it stayed a follower, as
/// the cluster shows it (its term and role before and after each step, not
/// the trace): (its lane, when, the new term).
fn watch_terms(c: &mut Cluster, until: u64, rose: &mut Vec<(Addr, u64, u64)>) {
    let state = |c: &Cluster| c.servers().iter().map(|s| (s.id(), s.term(), s.role())).collect::<Vec<_>>();
    while c.next_event_time().is_some_and(|t| t <= until) {
        let before = state(c);
        c.step();
        for ((id, was, r0), (_, now, r1)) in before.into_iter().zip(state(c)) {
            if now > was && r0 == Role::Follower && r1 == Role::Follower {
                rose.push((Addr::Node(id), c.now(), now));
            }
        }
    }
}

/// Issue 12: a follower that only hears of a newer term (its role does not
/// change, so no role mark) gets a term mark "t<term>" on its lane, in the
/// term's colour: one per rise, where and when the cluster shows it. The
/// case of the issue: a server down during an election comes back and learns
/// the new leader's term from its first heartbeat.
#[test]
fn a_follower_that_hears_a_newer_term_gets_one_term_mark_on_its_lane() {
    let mut c = cluster(5, 0.0);
    let mut rose = Vec::new();
    watch_terms(&mut c, 1_500, &mut rose);
    let first = c.leader().expect("a leader");
    let away = c.node_ids().into_iter().find(|&n| n != first).unwrap();
    c.crash(away).unwrap();
    c.crash(first).unwrap();
    let down = c.now();
    watch_terms(&mut c, down + 2_000, &mut rose);
    let second = c.leader().expect("a second leader");
    let term = c.node(second).unwrap().term();
    assert!(c.node(away).unwrap().term() < term);
    c.restart(away).unwrap();
    let back = c.now();
    watch_terms(&mut c, back + 1_000, &mut rose);
    let (v, l, text) = whole(&c, 1.0);
    let marks: Vec<(Addr, u64, u64)> = v
        .marks
        .iter()
        .filter_map(|m| match m.kind {
            MarkKind::Term(t) => Some((m.lane, m.at, t)),
            _ => None,
        })
        .collect();
    assert!(rose.len() >= 4, "followers of the first election took its term: {rose:?}");
    assert_eq!(marks, rose, "one term mark per rise of a follower's term");
    // The server that was down: exactly one, the second leader's term, once back.
    let lane = Addr::Node(away);
    let after: Vec<&(Addr, u64, u64)> = marks.iter().filter(|m| m.0 == lane && m.1 >= back).collect();
    assert_eq!(after.len(), 1, "{marks:?}");
    assert_eq!(after[0].2, term);
    let mark = v.marks.iter().find(|m| m.lane == lane && m.at == after[0].1 && m.kind == MarkKind::Term(term)).unwrap();
    let label = format!("t{term}");
    assert_eq!(mark.label(), label);
    // Drawn on its lane at its time, in its term's colour ("t2" may end other labels too).
    let x = l.lane_x(lane_index(&v.lanes, lane).unwrap());
    let dot = text
        .lines()
        .filter(|line| line.ends_with(&format!(">{label}</text>")))
        .filter_map(|line| tags(line, "circle").first().copied())
        .find(|dot| near(num_attr(dot, "cx"), x) && near(num_attr(dot, "cy"), l.y(mark.at)))
        .unwrap_or_else(|| panic!("{label} drawn on {lane:?} at {}", mark.at));
    assert_eq!(attr(dot, "fill"), Some(raft_playground::view::diagram_svg::term_hex(term)));
}

// ----- what the page lights (one style sheet) -----

/// The page's lit style sheet: an event's marks by their time and its
/// server's lane (every lane's at that time when it has none), a lesson
/// step's servers by their lane names' `data-l`, the arrows by id.
#[test]
fn the_lit_style_names_the_events_lane_and_the_lessons_servers() {
    use raft_playground::raft::NodeId;
    use raft_playground::view::diagram_svg::lit_style;
    let s = lit_style(&[Some(7), None, Some(9)], None, Some((1200, Some(Addr::Node(NodeId(3))))), 1 << 1 | 1 << 4);
    assert!(s.starts_with("<style>") && s.ends_with("</style>"));
    assert!(s.contains(".diagram-svg [data-id=\"7\"] line,") && s.contains(".diagram-svg [data-id=\"9\"] line,"));
    // The marks drawn on the page carry "<time> <lane>": S3's at 1200 ms only.
    assert!(s.contains("[data-m=\"1200 S3\"]{"), "{s}");
    assert!(!s.contains("[data-m^="), "{s}");
    let drawn = pieces_marks_attr();
    assert!(!drawn.is_empty());
    for (m, lane) in &drawn {
        assert_eq!(m, &format!("{} {}", lane.0, lane.1), "a mark's data-m is its time and lane");
    }
    // No server: every lane's marks at that time.
    let any = lit_style(&[], None, Some((1200, None)), 0);
    assert!(any.contains("[data-m^=\"1200 \"]{"), "{any}");
    // A lesson step's servers: their lanes' names (S2 is index 1: bit 17).
    assert!(
        s.contains(&format!(".diagram-svg text[data-l=\"{}\"],", SERVER_BIT + 1))
            && s.contains(&format!(".diagram-svg text[data-l=\"{}\"],", SERVER_BIT + 4))
    );
    assert_eq!(s.matches("[data-l=").count(), 2, "{s}");
    assert_eq!(s.matches("[data-id=").count(), 2, "{s}");
    assert!(!any.contains("data-l"), "no servers, no lane lit: {any}");
    // The ring's message hovered in the Diagram.
    assert!(lit_style(&[], Some(4), None, 0).contains(".ring [data-message=\"4\"]"));
}

/// An event picked in the feed lights the mark it left, on the lane that
/// mark is drawn on ([`mark_lane`]): a commit's ✓ on its leader's lane (not
/// its first replica's), a client's write, ack, read and answer on the
/// client's lane (not the server's). Checked on a run whose leader is not
/// S1, with writes and reads: for every event with a mark, the record holds
/// a mark at its time on that lane, and the lit style selects that mark's
/// `data-m` as the page draws it.
#[test]
fn an_event_picked_lights_its_own_mark() {
    use raft_playground::view::diagram_svg::lit_style;
    let mut c = Cluster::new(Config { seed: 7, nodes: 3, ..Config::default() }).unwrap();
    // S2 stands first, so that the leader is not S1 (the first replica of a commit).
    c.timeout_now(NodeId(2)).unwrap();
    c.advance(1_000);
    assert_eq!(c.leader(), Some(NodeId(2)), "S2 leads");
    for i in 0..3 {
        c.client_write(Command::Set { key: "x".into(), value: i });
        c.advance(300);
    }
    c.client_read("x");
    c.advance(500);
    let r = Record::of(&c);
    let v = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default());
    let l = Layout::new(600.0, v.lanes.len(), 0, 10.0);
    let p = pieces(&v, &l, 520.0, "t", 0, &[], true);
    let marks: String = p.marks.iter().map(|m| &*m.1).collect();
    let drawn: Vec<&str> = marks.split("data-m=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    let (mut commits, mut client) = (0, 0);
    for e in c.events() {
        let Some(lane) = mark_lane(&e.what) else { continue };
        match &e.what {
            EventData::Committed { node, .. } => {
                assert_eq!(lane, Addr::Node(*node), "a commit's mark is on its leader's lane");
                assert_ne!(Some(node), e.nodes().first(), "its first replica is another server");
                commits += 1;
            }
            EventData::ClientWrite { .. }
            | EventData::ClientAcked { .. }
            | EventData::ClientRead { .. }
            | EventData::ClientReadDone { .. } => {
                assert_eq!(lane, Addr::Client);
                client += 1;
            }
            _ => {}
        }
        assert!(
            v.marks.iter().any(|m| m.at == e.time && m.lane == lane),
            "a mark at {} on {lane:?} for {:?}",
            e.time,
            e.what
        );
        let style = lit_style(&[], None, Some((e.time, Some(lane))), 0);
        let sel = style.split("[data-m=\"").nth(1).map(|s| &s[..s.find('"').unwrap()]).unwrap();
        assert!(drawn.contains(&sel), "{sel} lit for {:?}, drawn: {drawn:?}", e.what);
    }
    assert!(commits > 0 && client >= 5, "commits {commits}, client's marks {client}");
}

/// The tips of the arrows in flight let the pointer through (paths of dots
/// on the page): a click or the pointer within 6 px of one finds its arrow
/// ([`tip_near`]), the nearest when two are close, none farther; the page's
/// pieces list each tip of an arrow in flight where its line ends at "now".
#[test]
fn a_click_near_a_moving_tip_finds_its_arrow() {
    use raft_playground::view::diagram_svg::tip_near;
    let tips = [(4, 100.0, 50.0), (9, 108.0, 50.0), (12, 300.0, 80.0)];
    assert_eq!(tip_near(&tips, 101.0, 51.0), Some(4));
    assert_eq!(tip_near(&tips, 106.0, 50.0), Some(9), "the nearer of two");
    assert_eq!(tip_near(&tips, 300.0, 85.9), Some(12));
    assert_eq!(tip_near(&tips, 300.0, 86.5), None, "over 6 px away");
    assert_eq!(tip_near(&tips, 200.0, 50.0), None);
    assert_eq!(tip_near(&[], 100.0, 50.0), None);
    // A run's messages in flight: each has its tip, where its arrow's line stops now.
    let mut c = Cluster::new(Config { seed: 5, nodes: 5, ..Config::default() }).unwrap();
    c.advance(2_000);
    c.client_write(Command::Set { key: "x".into(), value: 1 });
    c.advance(7);
    let r = Record::of(&c);
    let v = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default());
    let l = Layout::new(600.0, v.lanes.len(), 0, 10.0);
    let p = pieces(&v, &l, 520.0, "t", 0, &[], true);
    let flying: Vec<&Arrow> = v.arrows.iter().filter(|a| a.end == End::InFlight).collect();
    assert!(!flying.is_empty());
    assert_eq!(p.flying.len(), flying.len());
    for a in flying {
        let (.., x, y) = arrow_line(a, &v.lanes, &l, v.now).unwrap();
        assert!(p.flying.iter().any(|t| t.0 == a.id && near(t.1, x) && near(t.2, y)));
        // A click 3 px off it finds it (or another arrow's tip at the same place).
        let got = tip_near(&p.flying, x + 3.0, y).expect("a tip near");
        assert!(p.flying.iter().any(|t| t.0 == got && near(t.1, x) && near(t.2, y)));
    }
    // The file draws no separate tips.
    assert!(pieces(&v, &l, 520.0, "t", 0, &[], false).flying.is_empty());
}

/// A lesson step's servers lit in the Diagram: those its `highlight S..`
/// names, a bit per server index, not those whose entries or messages it
/// points at; a server past the 64th lights none (and does not panic).
#[test]
fn a_lesson_steps_servers_are_the_lanes_lit() {
    use raft_playground::lesson::Highlight;
    use raft_playground::view::diagram_svg::lit_servers;
    let hs = [
        Highlight::Servers { servers: vec![NodeId(2), NodeId(5)] },
        Highlight::Entries { from: 1, to: 2, on: vec![NodeId(3)] },
        Highlight::Messages { kind: None, from: Some(Addr::Node(NodeId(4))), to: None },
        Highlight::Client,
        Highlight::Servers { servers: vec![NodeId(9), NodeId(200)] },
    ];
    assert_eq!(lit_servers(&hs), 1 << 1 | 1 << 4 | 1 << 8);
    assert_eq!(lit_servers(&hs[1..4]), 0);
    assert_eq!(lit_servers(&[]), 0);
}

/// The `data-m` of the marks the page draws after an election, each with its mark's (time, lane).
fn pieces_marks_attr() -> Vec<(String, (u64, Addr))> {
    let mut c = Cluster::new(Config { seed: 5, nodes: 3, ..Config::default() }).unwrap();
    let mut r = Record::default();
    for _ in 0..200 {
        c.advance(20);
        r.update(&c);
        if c.leader().is_some() {
            break;
        }
    }
    let v = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default());
    let l = Layout::new(600.0, v.lanes.len(), 0, 10.0);
    let p = pieces(&v, &l, 520.0, "t", 0, &[], true);
    let marks: String = p.marks.iter().map(|m| &*m.1).collect();
    let attrs = marks.split("data-m=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string());
    attrs.zip(v.marks.iter().map(|m| (m.at, m.lane))).collect()
}

/// The time axis leaves out a tick within 8 px of the drawing's top, whose
/// label the lane names' band would cut ("0 ms" at the start of a run),
/// and keeps the others, each label at its line.
#[test]
fn no_tick_label_sits_under_the_lane_names() {
    let mut c = Cluster::new(Config { seed: 5, nodes: 3, ..Config::default() }).unwrap();
    c.advance(450);
    let r = Record::of(&c);
    for (top, first) in [(0, 100), (95, 200), (92, 100)] {
        let l = Layout::new(600.0, 4, top, 1.0);
        let v = r.visible(&c, l.window(500.0), &Filter::default());
        let p = pieces(&v, &l, 500.0, "t", 0, &[], true);
        let labels: Vec<u64> =
            p.ticks.split("\">").skip(1).filter_map(|s| s.split(" ms</text>").next()?.parse().ok()).collect();
        assert_eq!(labels.first(), Some(&first), "top {top}: {}", p.ticks);
        assert!(labels.contains(&(first + 100)), "{labels:?}");
    }
}

/// The marks come apart, each with a key no other has (the page keeps a
/// mark's elements by it: two alike would trip Yew's keyed list), even two
/// alike at the same moment on the same lane; and "now" is its time while in
/// the window, which the file writes as the page draws it (a group moved to it).
#[test]
fn each_mark_has_a_key_of_its_own_and_now_is_drawn_from_its_time() {
    let mut c = cluster(3, 0.0);
    c.advance(1_000);
    let r = Record::of(&c);
    let mut v = r.visible(&c, Window { from: 0, to: c.now() }, &Filter::default());
    let t = c.now() - 100;
    let mark = |n: u8| Mark { lane: Addr::Node(NodeId(n)), at: t, kind: MarkKind::Appended { index: 5, term: 1 } };
    v.marks = vec![mark(1), mark(1), mark(2)];
    let l = Layout::new(600.0, v.lanes.len(), 0, 2.0);
    for page in [true, false] {
        let p = pieces(&v, &l, l.y(c.now()) + 24.0, "t", 0, &[], page);
        let keys: Vec<u64> = p.marks.iter().map(|m| m.0).collect();
        assert_eq!(keys.len(), 3, "a mark each: {:?} on {:?}", p.marks, v.lanes);
        assert!(keys[0] != keys[1] && keys[0] != keys[2] && keys[1] != keys[2], "page {page}: {keys:?}");
        assert_eq!(p.marks[0].1.matches("<circle").count(), 1, "{:?}", p.marks[0].1);
        let file = document(&p, &l, l.y(c.now()) + 24.0);
        assert!(p.marks.iter().all(|m| file.contains(&*m.1)), "the file has each mark");
        assert_eq!(p.now, Some(c.now()));
        let y = fixed(l.y(c.now()), 1);
        let now = format!("<g transform=\"translate(0 {y})\"><line x1=");
        assert!(file.contains(&now) && file.contains(&format!(">now {} ms</text></g>", c.now())), "{file}");
    }
    // A window that ends before "now": none.
    v.window = Window { from: 0, to: t };
    assert_eq!(pieces(&v, &l, l.y(t), "t", 0, &[], true).now, None);
}
