//! The view-model, natively: the page's operations and clock, what the ring,
//! the log grid and the inspector draw, the Setup form's checks, the JavaScript
//! API's arguments and options, and `state()`. No browser needed: the page's
//! components only turn these into markup.

mod common;

use common::with_leader;
use raft_playground::raft::{ReadMode, Settings};
use raft_playground::sim::{
    Action, Command, Config, LossCause, MessageKind, NodeId, Payload, Role, SwitchValue, LOST_KEEP_MS,
};
use raft_playground::sim::{Switch, SWITCHES};
use raft_playground::view::args::{
    self, address_options, number_text, show, Arg, MountOptions, ResetOptions, MAX_SAFE_INTEGER,
};
use raft_playground::view::geometry::{endpoint, message_pos, ring_radius, server_pos, server_radius, CENTRE, VIEW};
use raft_playground::view::inspector::{dock_corner, fields, status, CARD};
use raft_playground::view::logs::{
    columns_for, columns_shown, log_grid, log_grid_in, longest, COLUMN_PX, MAX_COLUMNS, MIN_COLUMNS,
};
use raft_playground::view::message::glance;
use raft_playground::view::model::{
    page_config, Fate, Guidance, Model, Op, StartOptions, Tab, CATCH_UP_CAP_MS, DEFAULT_SPEED, MAX_SEED, MAX_SPEED,
    MIN_SPEED, NOTICE_MS,
};
use raft_playground::view::ring::{ring_draw, LinkState};
use raft_playground::view::setup::{
    option_changes, option_click, preset, preset_of, setup_draft, SetupFields, PRESETS, RAFT_OPTIONS,
};
use raft_playground::view::state::{page_state, state_json};
use raft_playground::view::theme::{kind_meaning, kind_name, speed_label, EVENT_KINDS};

/// The server at index `i` (S1 is 0).
fn s(i: usize) -> NodeId {
    NodeId::from_index(i)
}

/// A paused page on `n` servers with `seed`.
fn model(n: usize, seed: u64) -> Model {
    Model::from_config(page_config(n, seed), DEFAULT_SPEED, false).unwrap()
}

/// Advances in 5 ms steps until at least `k` messages are in flight.
fn with_messages(m: &mut Model, k: usize) {
    for _ in 0..1000 {
        if m.cluster().messages().len() >= k {
            return;
        }
        m.apply(Op::Advance(5)).unwrap();
    }
    panic!("never {k} messages in flight");
}

fn write(key: &str, value: i64) -> Op {
    Op::Sim(Action::Write { command: Command::set(key, value), to: None })
}

fn notice(m: &Model) -> Option<(&str, bool)> {
    m.notice.as_ref().map(|n| (n.text.as_str(), n.error))
}

// ----- the model's operations --------------------------------------------------------

#[test]
fn play_pause_and_toggle_set_the_clock_and_pausing_drops_the_fraction_not_simulated() {
    let mut m = model(3, 1);
    m.apply(Op::Play).unwrap();
    assert!(m.playing);
    m.tick(0.0);
    m.tick(100.0); // 100 ms of wall time at 1/40: 2.5 virtual ms
    assert_eq!(m.cluster().now(), 2);
    assert_eq!(m.display_now(), 2.5);
    m.apply(Op::Pause).unwrap();
    assert!(!m.playing);
    assert_eq!(m.display_now(), 2.0, "pausing drops the half millisecond not simulated");
    m.apply(Op::TogglePlay).unwrap();
    assert!(m.playing);
    m.apply(Op::TogglePlay).unwrap();
    assert!(!m.playing);
}

#[test]
fn step_pauses_and_runs_to_the_next_event_and_says_why_when_nothing_is_scheduled() {
    let mut m = Model::from_config(page_config(3, 2), DEFAULT_SPEED, true).unwrap();
    let next = m.cluster().next_event_time().unwrap();
    m.apply(Op::Step).unwrap();
    assert!(!m.playing, "stepping pauses");
    assert_eq!(m.cluster().now(), next);
    for i in 0..3 {
        m.apply(Op::Sim(Action::Crash { node: s(i) })).unwrap();
    }
    // Crashed servers' timers may still be queued: step until nothing is left.
    let mut refused = None;
    for _ in 0..10 {
        if let Err(e) = m.apply(Op::Step) {
            refused = Some(e);
            break;
        }
    }
    assert_eq!(refused.as_deref(), Some("nothing is scheduled: every server is crashed"));
    assert_eq!(notice(&m), Some(("Not done: nothing is scheduled: every server is crashed.", true)));
}

#[test]
fn select_opens_a_menu_closes_the_inspector_and_refuses_an_unknown_server() {
    let mut m = model(5, 3);
    with_messages(&mut m, 1);
    let id = m.cluster().messages()[0].id;
    m.apply(Op::Inspect(Some(id))).unwrap();
    m.apply(Op::Select(Some(s(2)))).unwrap();
    assert_eq!(m.selected, Some(s(2)));
    assert_eq!(m.inspected, None, "a menu closes the inspector");
    assert_eq!(m.apply(Op::Select(Some(s(7)))), Err("there is no server S8".to_string()));
    assert_eq!(m.selected, Some(s(2)), "a refused selection changes nothing");
    assert_eq!(notice(&m), Some(("Not done: there is no server S8.", true)));
    m.apply(Op::Select(None)).unwrap();
    assert_eq!(m.selected, None);
}

#[test]
fn inspecting_pauses_with_a_notice_only_when_it_was_playing_and_closes_the_menu() {
    let mut m = Model::from_config(page_config(5, 4), DEFAULT_SPEED, true).unwrap();
    with_messages(&mut m, 2);
    m.apply(Op::Select(Some(s(0)))).unwrap();
    let id = m.cluster().messages()[0].id;
    m.apply(Op::Inspect(Some(id))).unwrap();
    assert!(!m.playing);
    assert_eq!(m.selected, None);
    assert_eq!(m.inspected.as_ref().map(|x| x.id), Some(id));
    assert_eq!(m.fate, Fate::InFlight);
    let text = format!("Paused to inspect message #{id}. Press space to play on.");
    assert_eq!(notice(&m), Some((text.as_str(), false)));
    m.apply(Op::Dismiss).unwrap();
    let other = m.cluster().messages()[1].id;
    m.apply(Op::Inspect(Some(other))).unwrap();
    assert_eq!(notice(&m), None, "already paused: nothing to say");
    assert_eq!(m.apply(Op::Inspect(Some(999_999))), Err("no message #999999 is in flight".to_string()));
    m.apply(Op::Inspect(None)).unwrap();
    assert_eq!(m.inspected, None);
}

#[test]
fn escape_closes_the_menu_the_inspector_and_the_help() {
    let mut m = model(3, 5);
    with_messages(&mut m, 1);
    m.apply(Op::ToggleHelp).unwrap();
    assert!(m.help);
    m.apply(Op::Inspect(Some(m.cluster().messages()[0].id))).unwrap();
    m.apply(Op::Escape).unwrap();
    assert!(!m.help && m.inspected.is_none() && m.selected.is_none());
    m.apply(Op::Select(Some(s(1)))).unwrap();
    m.apply(Op::Escape).unwrap();
    assert_eq!(m.selected, None);
}

#[test]
fn the_inspected_message_arrives_is_dropped_or_is_lost_from_sight() {
    let mut m = model(5, 6);
    with_messages(&mut m, 1);
    let msg = m.cluster().messages()[0].clone();
    m.apply(Op::Inspect(Some(msg.id))).unwrap();
    m.apply(Op::Advance(msg.arrive_at - m.cluster().now())).unwrap();
    assert_eq!(m.fate, Fate::Arrived);
    assert_eq!(status(&msg, m.fate, m.cluster().now()), format!("Arrived at {} at {} ms.", msg.to, msg.arrive_at));

    with_messages(&mut m, 1);
    let msg = m.cluster().messages()[0].clone();
    m.apply(Op::Inspect(Some(msg.id))).unwrap();
    m.apply(Op::Sim(Action::DropMessage { id: msg.id })).unwrap();
    let now = m.cluster().now();
    assert_eq!(m.fate, Fate::Lost(LossCause::Dropped, now));
    assert_eq!(status(&msg, m.fate, now), format!("Dropped by hand at {now} ms: the network lost it there."));

    // Gone during one long advance: the page cannot tell what became of it.
    with_messages(&mut m, 1);
    let msg = m.cluster().messages()[0].clone();
    m.apply(Op::Inspect(Some(msg.id))).unwrap();
    m.apply(Op::Advance(LOST_KEEP_MS + 5_000)).unwrap();
    assert_eq!(m.fate, Fate::Unknown);
    assert_eq!(status(&msg, m.fate, m.cluster().now()), "No longer in flight: it arrived or was lost.");
}

#[test]
fn a_write_with_the_drafted_key_and_value_moves_the_draft_on_and_every_action_closes_the_menu() {
    let mut m = model(3, 7);
    with_leader(&mut m);
    m.apply(Op::Draft("k".into(), "41".into())).unwrap();
    m.apply(Op::Select(Some(s(0)))).unwrap();
    m.apply(write("k", 41)).unwrap();
    assert_eq!((m.draft_key.as_str(), m.draft_value.as_str()), ("k", "42"), "the next write is offered");
    assert_eq!(m.selected, None, "a write closes the menu, as every action does");
    assert_eq!(notice(&m), Some(("The client sent k ← 41.", false)));
    m.apply(write("other", 5)).unwrap();
    assert_eq!(m.draft_value, "42", "another write leaves the draft alone");
    m.apply(Op::Sim(Action::Write { command: Command::set("k", 42), to: Some(s(1)) })).unwrap();
    assert_eq!(notice(&m), Some(("The client sent k ← 42 to S2.", false)));
    m.apply(Op::Select(Some(s(1)))).unwrap();
    m.apply(Op::Sim(Action::Crash { node: s(1) })).unwrap();
    assert_eq!(m.selected, None, "a fault closes the menu");
    assert_eq!(m.apply(write("x y", 1)), Err("the key \"x y\" is not valid: use 1 to 16 letters, digits or _".into()));
}

#[test]
fn a_write_box_value_is_read_strictly_as_a_whole_number_in_digits() {
    for (text, value) in [("3", 3), (" 42 ", 42), ("-12", -12), ("0", 0), ("9007199254740991", 9_007_199_254_740_991)] {
        assert_eq!(args::value_text(text), Ok(value), "{text:?}");
    }
    assert_eq!(args::value_text("-9007199254740991"), Ok(-9_007_199_254_740_991));
    assert_eq!(args::value_text(""), Err("type a value: a whole number such as 3".into()));
    assert_eq!(args::value_text("   "), Err("type a value: a whole number such as 3".into()));
    for text in ["1e3", "1.0", "1.5", "+3", "0x10", "-", "--3", "3-", "three", "1 000", "٣", "Infinity", "NaN"] {
        let e = args::value_text(text).expect_err(text);
        assert!(e.starts_with("the value must be a whole number written in digits"), "{text:?}: {e}");
        assert!(e.contains(&format!("{:?}", text.trim())), "{text:?} is echoed: {e}");
    }
    for text in ["9007199254740992", "99999999999999999999", "-9007199254740992", "123456789012345678901234567890"] {
        let e = args::value_text(text).expect_err(text);
        assert!(e.contains("is too large: at most 9007199254740991 (2^53 - 1) in size"), "{text:?}: {e}");
    }
    // The JavaScript API takes exactly the same range.
    let js = |v: f64| args::write(&Arg::Str("x".into()), &Arg::Number(v), &Arg::Undefined, 3).is_ok();
    assert!(js(MAX_SAFE_INTEGER as f64) && !js(MAX_SAFE_INTEGER as f64 + 2.0));
}

#[test]
fn a_drafted_write_that_does_not_check_out_is_refused_and_sends_nothing() {
    let mut m = model(3, 7);
    with_leader(&mut m);
    // What a visitor typed, and what the page must say (never a write of another value).
    let cases = [
        ("", "Not done: type a value: a whole number such as 3."),
        ("1e3", "Not done: the value must be a whole number written in digits, such as 3 or -12, not \"1e3\"."),
        (
            "99999999999999999999",
            "Not done: the value \"99999999999999999999\" is too large: at most 9007199254740991 (2^53 - 1) in size.",
        ),
    ];
    for (typed, said) in cases {
        m.apply(Op::Draft("x".into(), typed.into())).unwrap();
        assert!(m.draft_command().is_err(), "{typed:?}");
        for to in [None, Some(s(1))] {
            assert!(m.apply(Op::WriteDraft(to)).is_err(), "{typed:?} to {to:?}");
            assert_eq!(notice(&m), Some((said, true)), "{typed:?} to {to:?}");
        }
        assert_eq!(m.draft_value, typed, "the box keeps what was typed");
    }
    m.apply(Op::Draft("x y".into(), "5".into())).unwrap();
    assert_eq!(
        m.apply(Op::WriteDraft(None)),
        Err("the key \"x y\" is not valid: use 1 to 16 letters, digits or _".into())
    );
    assert!(m.cluster().client_ops().is_empty(), "nothing was sent");
    // A value as typed is sent as typed, then the box offers the next one.
    m.apply(Op::Draft("x".into(), " -7 ".into())).unwrap();
    m.apply(Op::WriteDraft(Some(s(1)))).unwrap();
    assert_eq!(m.draft_value, "-6");
    m.apply(Op::Draft("x".into(), "9007199254740991".into())).unwrap();
    m.apply(Op::WriteDraft(None)).unwrap();
    assert_eq!(m.draft_value, "9007199254740991", "no next value past the largest: the box stays");
    let sent: Vec<&Action> = m.cluster().history().iter().map(|(_, a)| a).collect();
    assert_eq!(
        sent,
        [
            &Action::Write { command: Command::set("x", -7), to: Some(s(1)) },
            &Action::Write { command: Command::set("x", 9_007_199_254_740_991), to: None }
        ],
        "only what was typed, where it was asked"
    );
}

#[test]
fn a_new_run_keeps_the_panel_speed_and_draft_key_and_starts_the_rest_afresh() {
    let mut m = model(5, 8);
    m.apply(Op::Tab(Tab::Network)).unwrap();
    m.apply(Op::SetSpeed(0.5)).unwrap();
    m.apply(Op::Draft("k".into(), "9".into())).unwrap();
    m.apply(Op::Advance(2_000)).unwrap();
    m.apply(Op::Select(Some(s(1)))).unwrap();
    let before = m.revision();
    m.apply(Op::Restart(page_config(3, 9))).unwrap();
    assert_eq!((m.cluster().servers().len(), m.start.seed, m.cluster().now()), (3, 9, 0));
    assert_eq!((m.tab, m.speed, m.draft_key.as_str(), m.draft_value.as_str()), (Tab::Network, 0.5, "k", "1"));
    assert_eq!((m.selected, m.run), (None, 1));
    assert_eq!(notice(&m), Some(("New run: 3 servers, seed 9.", false)));
    assert_ne!(m.revision(), before);
    assert!(m.apply(Op::Restart(page_config(12, 1))).is_err());
    assert_eq!(m.cluster().servers().len(), 3, "a refused run leaves the current one");
}

#[test]
fn the_speed_is_kept_between_a_thousand_times_slower_and_real_time() {
    let mut m = model(3, 1);
    for (asked, got) in [(5.0, MAX_SPEED), (0.0, MIN_SPEED), (-1.0, MIN_SPEED), (f64::NAN, DEFAULT_SPEED), (0.1, 0.1)] {
        m.apply(Op::SetSpeed(asked)).unwrap();
        assert_eq!(m.speed, got, "asked {asked}");
    }
    assert_eq!(speed_label(DEFAULT_SPEED), "40× slower");
    assert_eq!(speed_label(1.0), "real time");
    assert_eq!(speed_label(0.2), "5.0× slower");
    assert_eq!(speed_label(MIN_SPEED), "1000× slower");
}

// ----- the clock ---------------------------------------------------------------------

#[test]
fn the_clock_runs_elapsed_wall_time_times_the_speed_at_most_a_quarter_second_per_tick() {
    let mut m = Model::from_config(page_config(3, 1), 1.0, true).unwrap();
    assert!(!m.tick(5_000.0), "the first tick only sets the clock");
    assert_eq!(m.cluster().now(), 0);
    assert!(m.tick(5_100.0));
    assert_eq!(m.cluster().now(), 100);
    m.tick(100_000.0); // the page slept: it catches up slowly, never in one jump
    assert_eq!(m.cluster().now(), 100 + CATCH_UP_CAP_MS as u64);
    m.tick(99_000.0); // a clock going backwards moves nothing
    assert_eq!(m.cluster().now(), 350);
    m.apply(Op::SetSpeed(MIN_SPEED)).unwrap();
    m.tick(99_600.0); // 0.6 virtual ms: not simulated yet, but drawn
    assert_eq!((m.cluster().now(), m.display_now()), (350, 350.6));
    m.tick(100_100.0); // 0.5 more: one whole millisecond
    assert_eq!(m.cluster().now(), 351);
    assert!((m.display_now() - 351.1).abs() < 1e-9);
}

#[test]
fn an_informational_notice_goes_after_six_seconds_of_wall_time_even_paused_and_an_error_stays() {
    let mut m = model(5, 3);
    m.tick(1_000.0);
    m.apply(write("x", 1)).unwrap();
    assert_eq!(notice(&m), Some(("The client sent x ← 1.", false)));
    assert!(!m.tick(1_000.0 + NOTICE_MS - 100.0), "paused, and the notice is still young: nothing to redraw");
    assert!(m.notice.is_some());
    assert!(m.tick(1_000.0 + NOTICE_MS + 100.0), "its expiry is a change to draw");
    assert!(m.notice.is_none(), "an informational notice goes by itself, even while paused");
    assert!(m.take_undrawn(), "the animation frame learns of it even when the backup timer ticked");
    assert!(!m.take_undrawn());
    assert_eq!(m.cluster().now(), 0, "paused: virtual time stood still");
    // A refusal stays until it is dismissed or replaced.
    assert!(m.apply(Op::Sim(Action::Restart { node: s(0) })).is_err());
    assert!(m.notice.as_ref().is_some_and(|n| n.error));
    m.tick(1_000_000.0);
    assert!(m.notice.as_ref().is_some_and(|n| n.error), "an error does not expire");
    m.apply(Op::Dismiss).unwrap();
    assert!(m.notice.is_none());
}

#[test]
fn the_revision_moves_with_events_and_ops_but_not_with_idle_time() {
    let mut m = model(3, 4);
    let r0 = m.revision();
    m.tick(0.0);
    m.tick(10_000.0);
    assert_eq!(m.revision(), r0, "paused: nothing changed");
    m.apply(Op::Tab(Tab::Client)).unwrap();
    let r1 = m.revision();
    assert_ne!(r1, r0, "another panel");
    // Time that passes without an event due: the same revision.
    // (Real time, the clock ticking a millisecond of wall time at a time.)
    let next = m.cluster().next_event_time().unwrap();
    (m.playing, m.speed) = (true, 1.0);
    let mut wall = 10_000.0;
    m.tick(wall);
    while m.cluster().now() + 1 < next {
        wall += 1.0;
        m.tick(wall);
    }
    assert_eq!(m.revision(), r1, "no event fired");
    m.tick(wall + 1.0);
    assert_ne!(m.revision(), r1, "an event fired");
}

#[test]
fn the_guidance_line_shows_a_broken_property_before_a_notice_before_a_tip() {
    let mut m = model(5, 5);
    // Before the first election: what the arcs are, and whose runs out first.
    let first = m.cluster().servers().iter().min_by_key(|x| x.election_timer().unwrap().deadline).unwrap().id();
    assert!(
        matches!(m.guidance(), Guidance::Tip(t) if t.starts_with("Each arc is a server's election timer running down. When one runs out")
            && t.contains(&format!("({first}'s first)"))),
        "{:?}",
        m.guidance()
    );
    m.apply(Op::Sim(Action::Timeout { node: s(0) })).unwrap();
    assert!(matches!(m.guidance(), Guidance::Tip(t) if t.starts_with("No leader yet")));
    let l = with_leader(&mut m);
    assert!(matches!(m.guidance(), Guidance::Tip(t) if t.starts_with(&format!("{l} leads.")) && t.contains("1–5")));
    m.apply(write("x", 1)).unwrap();
    assert!(matches!(m.guidance(), Guidance::Notice(n) if n.text == "The client sent x ← 1."));
}

// ----- the ring ----------------------------------------------------------------------

#[test]
fn servers_sit_on_the_ring_from_the_top_clockwise_with_the_client_in_the_middle() {
    for n in 3..=9 {
        let d = ring_draw(&model(n, 1));
        assert_eq!(d.servers.len(), n);
        let (x0, y0) = (d.servers[0].x, d.servers[0].y);
        assert!((x0 - CENTRE.0).abs() < 1e-9 && (y0 - (CENTRE.1 - ring_radius(n))).abs() < 1e-9, "S1 at the top");
        assert!(d.servers[1].x > CENTRE.0, "S2 to the right: clockwise");
        for (i, sd) in d.servers.iter().enumerate() {
            let dist = ((sd.x - CENTRE.0).powi(2) + (sd.y - CENTRE.1).powi(2)).sqrt();
            assert!((dist - ring_radius(n)).abs() < 1e-9);
            assert_eq!(sd.r, server_radius(n));
            assert!(
                sd.x - sd.r > 0.0 && sd.x + sd.r < VIEW && sd.y - sd.r > 0.0 && sd.y + sd.r < VIEW,
                "on the canvas"
            );
            assert_eq!(sd.label_above, i == 0, "only the top server's label goes above it");
            assert_eq!((sd.role, sd.term, sd.up, sd.group), (Role::Follower, 0, true, 0));
            assert!(sd.timer_left.is_some_and(|t| t > 0.0 && t <= 1.0), "its election timer runs");
        }
        assert_eq!(d.links.len(), n * (n - 1) / 2);
        assert!(d.links.iter().all(|l| l.2 == LinkState::Up));
        assert_eq!(d.client_links.iter().map(|l| l.0).collect::<Vec<_>>(), vec![LinkState::Up; n]);
    }
}

#[test]
fn links_show_crashed_ends_and_cuts() {
    let mut m = model(5, 2);
    m.apply(Op::Sim(Action::Crash { node: s(0) })).unwrap();
    m.apply(Op::Sim(Action::Disconnect { node: s(1) })).unwrap();
    m.apply(Op::Sim(Action::Partition { groups: vec![vec![s(0), s(1), s(2)], vec![s(3), s(4)]] })).unwrap();
    let d = ring_draw(&m);
    let link = |a: usize, b: usize| d.links.iter().find(|l| (l.0, l.1) == (a, b)).unwrap().2;
    assert_eq!(link(0, 2), LinkState::Down, "S1 crashed, same group");
    assert_eq!(link(1, 2), LinkState::Cut, "S2 disconnected");
    assert_eq!(link(2, 3), LinkState::Cut, "across the partition");
    assert_eq!(link(3, 4), LinkState::Up);
    assert_eq!(
        d.client_links.iter().map(|l| l.0).collect::<Vec<_>>(),
        vec![LinkState::Down, LinkState::Cut, LinkState::Up, LinkState::Up, LinkState::Up]
    );
    assert!(!d.servers[0].up && d.servers[1].disconnected);
    assert_eq!(d.servers.iter().map(|x| x.group).collect::<Vec<_>>(), vec![1, 1, 1, 2, 2]);
    assert_eq!(d.servers[0].timer_left, None, "a crashed server has no timer running");
    assert_eq!(d.servers[1].caption().1, "✂ disconnected");
    assert_eq!(d.servers[0].caption().0, "crashed");
    assert_eq!(d.servers[0].aria_label(), "S1: crashed, term 0, no vote. Open its menu");
}

#[test]
fn a_candidate_shows_its_votes_and_a_voter_whom_it_voted_for() {
    let mut m = model(5, 9);
    m.apply(Op::Sim(Action::Timeout { node: s(2) })).unwrap();
    let d = ring_draw(&m);
    let c = &d.servers[2];
    assert_eq!((c.role, c.term, c.votes), (Role::Candidate, 1, Some((1, 3))));
    assert_eq!(c.caption(), ("candidate 1/3".to_string(), "voted S3".to_string()));
    assert_eq!(d.servers[0].caption(), ("follower".to_string(), "no vote yet".to_string()));
    m.apply(Op::Select(Some(s(2)))).unwrap();
    assert!(ring_draw(&m).servers[2].selected);
}

#[test]
fn messages_are_drawn_on_their_lane_between_their_two_ends() {
    let mut m = model(5, 10);
    with_leader(&mut m);
    m.apply(write("x", 1)).unwrap();
    m.apply(Op::Advance(5)).unwrap();
    let n = 5;
    for msg in m.cluster().messages() {
        let ((ax, ay), ra) = endpoint(msg.from, n);
        let ((bx, by), rb) = endpoint(msg.to, n);
        let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
        let (sx, sy) = message_pos(msg, 0.0, n);
        let (ex, ey) = message_pos(msg, 1.0, n);
        // 8 units off the line, at the edges of the two ends.
        assert!((((sx - ax).powi(2) + (sy - ay).powi(2)).sqrt() - (ra * ra + 64.0).sqrt()).abs() < 1e-6);
        assert!((((ex - bx).powi(2) + (ey - by).powi(2)).sqrt() - (rb * rb + 64.0).sqrt()).abs() < 1e-6);
        let side = |(x, y): (f64, f64)| ((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / len;
        assert!((side((sx, sy)).abs() - 8.0).abs() < 1e-6);
        // The reply of the same pair travels on the other side.
        let reply = raft_playground::sim::InFlight { from: msg.to, to: msg.from, ..msg.clone() };
        let same_kind_back = side(message_pos(&reply, 0.5, n));
        assert!((same_kind_back - side((sx, sy))).abs() < 1e-6, "a request back uses the same side of the pair");
    }
    let d = ring_draw(&m);
    assert_eq!(d.messages.len(), m.cluster().messages().len());
    let first = &d.messages[0];
    let msg = m.cluster().messages()[0];
    let g = glance(&msg.payload);
    assert_eq!(
        (first.id, first.kind, first.ok, first.count, first.term),
        (msg.id, g.kind, g.ok, g.entries, g.term.unwrap_or(0))
    );
    assert!(first.label.starts_with(&format!("Message #{} {} → {}: ", msg.id, msg.from, msg.to)));
    assert!(first.lost.is_none() && !first.inspected);
}

#[test]
fn requests_and_replies_use_opposite_lanes() {
    let mut m = model(3, 11);
    with_leader(&mut m);
    // Find a heartbeat and run until its reply is in flight.
    let mut hb = None;
    for _ in 0..200 {
        m.apply(Op::Advance(1)).unwrap();
        hb = m.cluster().messages().into_iter().find(|x| glance(&x.payload).kind == MessageKind::Heartbeat).cloned();
        if hb.is_some() {
            break;
        }
    }
    let hb = hb.expect("a heartbeat in flight");
    m.apply(Op::Advance(hb.arrive_at - m.cluster().now())).unwrap();
    let reply = m
        .cluster()
        .messages()
        .into_iter()
        .find(|x| x.from == hb.to && x.to == hb.from && glance(&x.payload).reply)
        .cloned()
        .expect("its reply in flight");
    let ((ax, ay), _) = endpoint(hb.from, 3);
    let ((bx, by), _) = endpoint(hb.to, 3);
    let side = |(x, y): (f64, f64)| ((bx - ax) * (y - ay) - (by - ay) * (x - ax)).signum();
    assert_ne!(side(message_pos(&hb, 0.5, 3)), side(message_pos(&reply, 0.5, 3)));
}

#[test]
fn a_lost_message_fades_where_it_was_lost_and_the_inspected_one_is_marked() {
    let mut m = model(5, 12);
    with_messages(&mut m, 2);
    let (a, b) = (m.cluster().messages()[0].clone(), m.cluster().messages()[1].clone());
    m.apply(Op::Sim(Action::DropMessage { id: a.id })).unwrap();
    m.apply(Op::Inspect(Some(b.id))).unwrap();
    let d = ring_draw(&m);
    let lost = d.messages.iter().find(|x| x.id == a.id).unwrap();
    assert_eq!(lost.lost, Some(1.0));
    assert!(lost.label.starts_with(&format!("lost message #{}: ", a.id)));
    assert_eq!((lost.x, lost.y), message_pos(&a, a.progress(m.cluster().now()), 5));
    assert!(d.messages.iter().find(|x| x.id == b.id).unwrap().inspected);
    m.apply(Op::Advance(LOST_KEEP_MS / 2)).unwrap();
    let fade = ring_draw(&m).messages.iter().find(|x| x.id == a.id).and_then(|x| x.lost);
    assert!(fade.is_some_and(|f| f > 0.0 && f < 1.0), "fading: {fade:?}");
    m.apply(Op::Advance(LOST_KEEP_MS)).unwrap();
    assert!(ring_draw(&m).messages.iter().all(|x| x.id != a.id), "gone after {LOST_KEEP_MS} ms");
}

// ----- the inspector -----------------------------------------------------------------

/// The box of a dock corner for a card of size `card`.
fn corner_box(corner: &str, (w, h): (f64, f64)) -> (f64, f64, f64, f64) {
    let x = if corner.ends_with('l') { 4.0 } else { VIEW - 4.0 - w };
    let y = if corner.starts_with("dock-t") { 4.0 } else { VIEW - 4.0 - h };
    (x, y, x + w, y + h)
}

#[test]
fn the_inspector_docks_in_a_corner_that_never_hides_its_message() {
    for n in [3, 5, 7, 9] {
        let mut m = model(n, 13);
        with_leader(&mut m);
        m.apply(write("x", 1)).unwrap();
        let mut seen = 0;
        for _ in 0..40 {
            m.apply(Op::Advance(7)).unwrap();
            for msg in m.cluster().messages() {
                for p in [0.0, 0.3, 0.7, 1.0] {
                    for card in [CARD, (200.0, 260.0)] {
                        let corner = dock_corner(msg, p, n, card);
                        assert!(["dock-tl", "dock-tr", "dock-bl", "dock-br"].contains(&corner));
                        let (x0, y0, x1, y1) = corner_box(corner, card);
                        let (x, y) = message_pos(msg, p, n);
                        assert!(
                            x < x0 - 14.0 || x > x1 + 14.0 || y < y0 - 14.0 || y > y1 + 14.0,
                            "{corner} hides message #{} at {p} with {n} servers",
                            msg.id
                        );
                        seen += 1;
                    }
                }
            }
        }
        assert!(seen > 100, "{seen} placements checked");
    }
}

#[test]
fn the_inspector_avoids_the_messages_ends_when_it_can() {
    let mut m = model(5, 14);
    with_messages(&mut m, 1);
    let msg = m.cluster().messages()[0].clone();
    let corner = dock_corner(&msg, 0.5, 5, CARD);
    let (x0, y0, x1, y1) = corner_box(corner, CARD);
    for end in [msg.from, msg.to] {
        let ((x, y), _) = endpoint(end, 5);
        assert!(!(x > x0 && x < x1 && y > y0 && y < y1), "{corner} covers the centre of {end}");
    }
}

#[test]
fn the_inspector_lists_every_field_of_a_message() {
    let mut m = model(3, 15);
    with_leader(&mut m);
    m.apply(write("x", 4)).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for _ in 0..100 {
        m.apply(Op::Advance(2)).unwrap();
        for msg in m.cluster().messages() {
            let f = fields(msg);
            let names: Vec<&str> = f.iter().map(|x| x.0).collect();
            assert_eq!(&names[..5], ["kind", "from → to", "term", "sent at", "arrives at"]);
            assert_eq!(f[1].1, format!("{} → {}", msg.from, msg.to));
            let g = glance(&msg.payload);
            kinds.insert(format!("{:?}", g.kind));
            let has = |k: &str| names.contains(&k);
            match g.kind {
                MessageKind::AppendEntries | MessageKind::Heartbeat => {
                    assert!(has("prevLogIndex") && has("prevLogTerm") && has("leaderCommit") && has("entries"))
                }
                MessageKind::AppendReply => assert!(has("success") && has("matchIndex")),
                MessageKind::RequestVote => assert!(has("lastLogIndex") && has("lastLogTerm")),
                MessageKind::VoteReply => assert!(has("voteGranted")),
                MessageKind::ClientRequest => assert!(has("write") && has("attempt")),
                MessageKind::ClientReply => assert!(has("answers write") && has("answer")),
                MessageKind::TimeoutNow => {}
                MessageKind::PreVote => assert!(has("lastLogIndex")),
                MessageKind::PreVoteReply => assert!(has("would vote")),
                MessageKind::ClientRead => assert!(has("read") && has("attempt")),
                #[cfg(feature = "compaction")]
                MessageKind::InstallSnapshot => assert!(has("lastIncludedIndex") && has("contents")),
                #[cfg(feature = "compaction")]
                MessageKind::SnapshotReply => assert!(has("installed") && has("matchIndex")),
            }
            assert_eq!(f[0].1, format!("{}: {}", g.kind.name(), kind_meaning(g.kind)), "one name, then what it means");
            if matches!(msg.payload, Payload::ClientRequest { .. }) {
                assert_eq!(f[2].1, "— (client)");
            }
            assert_eq!(
                status(msg, Fate::InFlight, m.cluster().now()),
                format!("In flight, {:.0}% of the way.", msg.progress(m.cluster().now()) * 100.0)
            );
        }
    }
    assert!(kinds.len() >= 4, "kinds seen: {kinds:?}");
}

#[test]
fn a_glance_gives_kind_term_and_verdict_as_the_payload_says() {
    let mut m = model(3, 16);
    with_leader(&mut m);
    m.apply(write("x", 4)).unwrap();
    let mut seen = 0;
    for _ in 0..200 {
        m.apply(Op::Advance(1)).unwrap();
        for msg in m.cluster().messages() {
            let g = glance(&msg.payload);
            assert_eq!(g.kind, msg.payload.kind());
            assert_eq!(g.reply, msg.payload.is_reply());
            assert_eq!(g.ok.is_some(), g.reply, "replies, and only replies, say yes or no");
            match &msg.payload {
                Payload::Raft(r) => assert_eq!(g.term, Some(r.term)),
                _ => assert_eq!(g.term, None),
            }
            assert_eq!(g.entries > 0, g.kind == MessageKind::AppendEntries);
            if g.kind == MessageKind::ClientReply {
                assert_eq!(g.ok, Some(msg.payload.summary().contains("committed")));
            }
            seen += 1;
        }
    }
    assert!(seen > 50);
}

// ----- the log grid ------------------------------------------------------------------

#[test]
fn the_log_grid_shows_every_log_the_commit_index_and_the_leaders_progress() {
    let mut m = model(3, 17);
    let g = log_grid(&m);
    assert_eq!((g.longest, g.columns.clone()), (0, vec![1]), "one empty column before anything happens");
    let l = with_leader(&mut m);
    m.apply(write("x", 3)).unwrap();
    m.apply(Op::Advance(500)).unwrap();
    let g = log_grid(&m);
    assert_eq!(g.longest, 2, "the leader's no-op and x ← 3");
    assert_eq!(g.rows.len(), 3);
    for r in &g.rows {
        assert_eq!(r.cells.len(), g.columns.len());
        assert_eq!(r.commit, 2);
        assert_eq!(r.cells[1].as_ref().map(|c| (c.cmd.as_str(), c.full.as_str())), Some(("x←3", "x ← 3")));
        assert_eq!(r.cells[0].as_ref().map(|c| c.cmd.as_str()), Some("no-op"));
        assert_eq!(r.leader, r.id == l);
        assert_eq!(r.progress.is_some(), r.id != l, "nextIndex / matchIndex for the followers only");
        if r.id != l {
            assert_eq!(r.progress, Some((3, 2)));
        }
    }
    // A long log: the grid shows the latest MAX_COLUMNS.
    for v in 0..60 {
        m.apply(write("y", v)).unwrap();
    }
    m.apply(Op::Advance(3_000)).unwrap();
    let g = log_grid(&m);
    assert!(g.longest > MAX_COLUMNS);
    assert_eq!(g.columns.len() as u64, MAX_COLUMNS);
    let last = *g.columns.last().unwrap();
    assert!(last == g.longest || last == g.longest + 1, "up to the longest log, or one past it for a nextIndex");
    assert_eq!(g.rows[0].first, g.columns[0]);
    m.apply(Op::Select(Some(s(1)))).unwrap();
    assert!(log_grid(&m).rows[1].selected);
    // Fitted to a width: the same latest columns, fewer of them, the same cells there.
    let fit = log_grid_in(&m, 12);
    assert_eq!(fit.columns, g.columns[g.columns.len() - 12..], "the latest 12 indexes");
    assert_eq!(fit.longest, g.longest);
    for (r, full) in fit.rows.iter().zip(&log_grid(&m).rows) {
        assert_eq!(r.first, fit.columns[0]);
        assert_eq!(r.cells, full.cells[full.cells.len() - 12..], "{}'s entries at those indexes", r.id);
        assert_eq!((r.commit, r.progress, r.selected), (full.commit, full.progress, full.selected));
    }
    assert_eq!(log_grid_in(&m, 0).columns.len(), 1, "at least one column");
}

#[test]
fn the_log_grid_draws_the_columns_that_fit_its_width_and_two_more() {
    assert_eq!(columns_for(0), MAX_COLUMNS, "a width not measured yet: all of them");
    // 1280x800: the grid is 655 pixels wide (8 columns of 64 in view beside the rows' heads).
    assert_eq!(columns_for(655), 13);
    assert_eq!(columns_for(982), 19, "1920x1080");
    assert_eq!(columns_for(212), MIN_COLUMNS, "a phone: at least MIN_COLUMNS");
    assert_eq!(columns_for(100_000), MAX_COLUMNS, "at most MAX_COLUMNS");
    // Never fewer columns than fit: each is at least COLUMN_PX wide.
    for w in [300, 655, 982, 1_500, 2_000] {
        assert!(columns_for(w) * u64::from(COLUMN_PX) >= u64::from(w), "{w}");
        assert!(columns_for(w) <= columns_for(w + COLUMN_PX), "wider: as many or more");
    }
}

#[test]
fn the_log_grid_scrolled_back_to_its_first_column_draws_them_all_until_the_longest_log_changes() {
    let mut m = model(3, 17);
    with_leader(&mut m);
    for v in 0..60 {
        m.apply(write("y", v)).unwrap();
    }
    m.apply(Op::Advance(3_000)).unwrap();
    let at = longest(&m);
    assert!(at > MAX_COLUMNS);
    assert_eq!(columns_shown(655, 0, at), columns_for(655), "not scrolled back: the columns that fit");
    assert_eq!(log_grid_in(&m, columns_shown(655, 0, at)).columns.len(), 13);
    // Scrolled back to its first column (at this longest log): all of them.
    assert_eq!(columns_shown(655, at + 1, at), MAX_COLUMNS);
    let g = log_grid_in(&m, columns_shown(655, at + 1, at));
    assert_eq!((g.columns.len() as u64, g.longest), (MAX_COLUMNS, at));
    assert_eq!(g.columns, log_grid(&m).columns);
    // The longest log changed (a write, a seek, a new run): fitted again.
    m.apply(write("y", 99)).unwrap();
    m.apply(Op::Advance(500)).unwrap();
    assert_eq!(longest(&m), at + 1);
    assert_eq!(columns_shown(655, at + 1, longest(&m)), columns_for(655));
}

#[cfg(feature = "compaction")]
#[test]
fn the_log_grid_places_entries_by_index_after_a_snapshot() {
    let mut cfg = page_config(3, 17);
    cfg.raft.snapshot_threshold = std::num::NonZeroU64::new(5);
    let mut m = Model::from_config(cfg, DEFAULT_SPEED, false).unwrap();
    with_leader(&mut m);
    for v in 0..12 {
        m.apply(write("y", v)).unwrap();
        m.apply(Op::Advance(50)).unwrap();
    }
    m.apply(Op::Advance(2_000)).unwrap();
    let servers = m.cluster().servers();
    assert!(servers.iter().all(|s| s.raft().snapshot_index() > 0), "every server compacted its log");
    let g = log_grid(&m);
    let last = servers.iter().map(|s| s.raft().last_index()).max().unwrap();
    assert_eq!(g.longest, last, "the highest index, not the number of entries kept");
    assert!([last, last + 1].contains(g.columns.last().unwrap()), "up to the last index, or one past for a nextIndex");
    for (r, s) in g.rows.iter().zip(servers) {
        for (i, cell) in g.columns.iter().zip(&r.cells) {
            let entry = s.raft().entry(*i);
            assert_eq!(cell.as_ref().map(|c| (c.term, c.full.clone())), entry.map(|e| (e.term, e.command.to_string())));
            let gone = *i <= s.raft().snapshot_index() || *i > s.raft().last_index();
            assert_eq!(cell.is_none(), gone, "column {i}: only compacted entries and those past the end are blank");
        }
    }
}

// ----- the Setup form ----------------------------------------------------------------

fn form(cfg: &Config) -> SetupFields {
    SetupFields::of(cfg, cfg.seed)
}

#[test]
fn the_setup_form_starts_valid_from_the_run_and_changes_only_what_was_edited() {
    let cur = Config { drop_rate: 0.125, ..page_config(5, 42) };
    let f = form(&cur);
    assert_eq!(f.timing, ["150", "300", "50", "10", "30", "12.5"].map(String::from));
    let d = setup_draft(&cur, &f);
    assert_eq!(d.config.as_ref(), Some(&cur));
    assert!(d.same_timing(&cur) && d.timing_errors.is_empty() && d.why_no_new_run().is_none());
    assert_eq!(d.timing_changes(&cur), vec![]);
    let mut f2 = f.clone();
    f2.timing[2] = "40".into();
    f2.timing[5] = "0".into();
    let d = setup_draft(&cur, &f2);
    assert!(!d.same_timing(&cur));
    assert_eq!(d.timing_changes(&cur), vec![Action::SetHeartbeat { ms: 40 }, Action::SetDropRate { rate: 0.0 }]);
    // A new run: the form's size and seed, or a fresh seed when it is blank.
    f2.servers = "7".into();
    f2.seed = " ".into();
    let cfg = setup_draft(&cur, &f2).new_run(|| 123).unwrap();
    assert_eq!((cfg.nodes, cfg.seed, cfg.heartbeat_ms), (7, 123, 40));
}

#[test]
fn the_setup_form_says_what_is_wrong_with_each_field() {
    let cur = page_config(5, 1);
    let check = |k: usize, typed: &str| {
        let mut f = form(&cur);
        f.timing[k] = typed.into();
        setup_draft(&cur, &f)
    };
    let d = check(2, "");
    assert_eq!(d.timing_errors, vec!["The heartbeat is empty: type a whole number of milliseconds."]);
    assert_eq!(d.invalid, [false, false, true, false, false, false]);
    assert_eq!(d.config, None);
    assert_eq!(d.why_no_new_run().as_deref(), Some("A new run uses the timing below: make it valid first."));
    assert_eq!(
        check(3, "abc").timing_errors,
        vec!["The shortest latency must be a whole number of milliseconds, not \"abc\"."]
    );
    assert_eq!(
        check(0, "1234567890123456789012").timing_errors,
        vec!["The shortest election timeout must be a whole number of milliseconds, not \"123456789012…\"."],
        "long input is echoed briefly"
    );
    let d = check(0, "400");
    assert_eq!(d.timing_errors, vec!["The election timeout 400..300 is not valid: the low end is above the high end."]);
    assert_eq!(d.invalid, [true, true, false, false, false, false]);
    assert_eq!(check(2, "0").timing_errors, vec!["The heartbeat interval must be at least 1 ms."]);
    assert_eq!(check(5, "150").timing_errors, vec!["The loss must be a percentage from 0 to 100, not \"150\"."]);
    assert_eq!(check(5, " ").timing_errors, vec!["The loss is empty: type a percentage from 0 to 100."]);
    let mut f = form(&cur);
    f.seed = "9007199254740992".into();
    let d = setup_draft(&cur, &f);
    assert!(d.config.is_some(), "the timing is fine");
    let why = format!(
        "The seed must be a whole number from 0 to {MAX_SEED}, or blank for a fresh one; not \"900719925474…\"."
    );
    assert_eq!(d.seed, Err(why.clone()));
    assert_eq!(d.why_no_new_run(), Some(why));
    assert_eq!(d.new_run(|| 1), None);
}

#[test]
fn the_setup_form_warns_only_about_valid_timing() {
    let cur = page_config(5, 1);
    let mut f = form(&cur);
    f.timing[2] = "200".into();
    let d = setup_draft(&cur, &f);
    assert!(d.warnings().iter().any(|w| w.starts_with("The heartbeat (200 ms) is not shorter")), "{:?}", d.warnings());
    f.timing[0] = "x".into();
    assert_eq!(setup_draft(&cur, &f).warnings(), Vec::<String>::new());
}

// ----- the JavaScript API's arguments and options ------------------------------------

#[test]
fn numbers_are_echoed_as_javascript_writes_them() {
    for (n, text) in [
        (1e300, "1e+300"),
        (1.5e300, "1.5e+300"),
        (-1.25e-7, "-1.25e-7"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (5e-324, "5e-324"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (-0.0, "0"),
        (2.5, "2.5"),
        (-1.0, "-1"),
        (123456.0, "123456"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ] {
        assert_eq!(number_text(n), text, "{n:?}");
    }
    assert_eq!(number_text(-0.0000012345678901234567), "-0.00000123456789012345…", "cut short after 23 characters");
    assert_eq!(show(&Arg::Str("k".repeat(40))), format!("the string \"{}…\"", "k".repeat(23)));
    assert_eq!(show(&Arg::Undefined), "nothing (undefined)");
    assert_eq!(show(&Arg::Other("function".into())), "a value of type function");
}

#[test]
fn servers_are_parsed_strictly_with_clear_refusals() {
    let n = 5;
    assert_eq!(args::server(&Arg::Number(3.0), n), Ok(s(2)));
    assert_eq!(args::server(&Arg::Str(" s5 ".into()), n), Ok(s(4)));
    assert_eq!(args::server(&Arg::Str("S1".into()), n), Ok(s(0)));
    let expected = |got: &str| format!("expected a server: a number from 1 to 5 or a name like \"S5\", got {got}");
    let missing = |what: &str| format!("there is no server {what} (this cluster has S1 to S5)");
    for (a, e) in [
        (Arg::Str("S42".into()), missing("S42")),
        (Arg::Number(0.0), missing("S0")),
        (Arg::Number(-1.0), missing("-1")),
        (Arg::Number(1e300), missing("1e+300")),
        (Arg::Str("S123456789012345678901234567890".into()), missing("S1234567890123456789012…")),
        (Arg::Number(2.5), expected("the number 2.5")),
        (Arg::Number(f64::INFINITY), expected("the number Infinity")),
        (Arg::Str("2".into()), expected("the string \"2\"")),
        (Arg::Str("+2".into()), expected("the string \"+2\"")),
        (Arg::Str("S-1".into()), expected("the string \"S-1\"")),
        (Arg::Str("S".into()), expected("the string \"S\"")),
        (Arg::Str("S2x".into()), expected("the string \"S2x\"")),
        (Arg::Undefined, expected("nothing (undefined)")),
        (Arg::Other("object".into()), expected("a value of type object")),
    ] {
        assert_eq!(args::server(&a, n), Err(e), "{a:?}");
    }
    assert_eq!(args::optional_server(&Arg::Null, n), Ok(None));
    assert_eq!(args::optional_server(&Arg::Number(2.0), n), Ok(Some(s(1))));
}

#[test]
fn whole_numbers_speeds_rates_groups_writes_and_panels_are_checked() {
    assert_eq!(
        args::whole("ms", &Arg::Number(100.0), 0, 10),
        Err("ms must be a whole number from 0 to 10, got the number 100".into())
    );
    assert_eq!(
        args::whole("ms", &Arg::Str("10".into()), 0, 10),
        Err("ms must be a number, got the string \"10\"".into())
    );
    assert_eq!(args::whole("ms", &Arg::Number(10.0), 0, 10), Ok(10));
    assert_eq!(args::speed(&Arg::Number(0.5)), Ok(0.5));
    assert!(args::speed(&Arg::Number(50.0))
        .unwrap_err()
        .starts_with("speed must be a number from 0.001 (1000 times slower) to 1 (real time), got the number 50"));
    assert_eq!(args::loss_rate(&Arg::Number(0.25)), Ok(0.25));
    assert_eq!(
        args::loss_rate(&Arg::Number(2.0)),
        Err("the loss rate must be a number from 0 to 1, got the number 2".into())
    );
    let g =
        Arg::Array(vec![Arg::Array(vec![Arg::Number(1.0), Arg::Str("S2".into())]), Arg::Array(vec![Arg::Number(3.0)])]);
    assert_eq!(args::groups(&g, 3), Ok(vec![vec![s(0), s(1)], vec![s(2)]]));
    assert!(args::groups(&Arg::Str("S1".into()), 3)
        .unwrap_err()
        .starts_with("expected an array of groups such as [[1, 2], [3, 4, 5]]"));
    assert_eq!(
        args::groups(&Arg::Array(vec![Arg::Str("S1".into())]), 3),
        Err("each group must be an array of servers, got the string \"S1\"".into())
    );
    assert_eq!(
        args::write(&Arg::Str("x".into()), &Arg::Number(3.0), &Arg::Undefined, 5),
        Ok(Action::Write { command: Command::set("x", 3), to: None })
    );
    assert_eq!(
        args::write(&Arg::Str("x".into()), &Arg::Number(-3.0), &Arg::Str("S2".into()), 5),
        Ok(Action::Write { command: Command::set("x", -3), to: Some(s(1)) })
    );
    assert!(args::write(&Arg::Number(3.0), &Arg::Number(3.0), &Arg::Undefined, 5)
        .unwrap_err()
        .starts_with("the key must be a string"));
    assert!(args::write(&Arg::Str("x".into()), &Arg::Str("3".into()), &Arg::Undefined, 5)
        .unwrap_err()
        .starts_with("the value must be a number"));
    assert!(args::write(&Arg::Str("x".into()), &Arg::Number(MAX_SAFE_INTEGER as f64 * 2.0), &Arg::Undefined, 5)
        .unwrap_err()
        .starts_with("the value must be a whole number (at most 2^53 - 1 in size)"));
    assert_eq!(
        args::write(&Arg::Str("x y".into()), &Arg::Number(1.0), &Arg::Undefined, 5),
        Err("the key \"x y\" is not valid: use 1 to 16 letters, digits or _".into())
    );
    assert_eq!(
        args::read(&Arg::Str("x".into()), &Arg::Str("S2".into()), 5),
        Ok(Action::Read { key: "x".into(), to: Some(s(1)) })
    );
    assert_eq!(args::read(&Arg::Str("x".into()), &Arg::Undefined, 5), Ok(Action::Read { key: "x".into(), to: None }));
    assert!(args::read(&Arg::Number(3.0), &Arg::Undefined, 5).unwrap_err().starts_with("the key must be a string"));
    assert!(args::read(&Arg::Str("x y".into()), &Arg::Undefined, 5)
        .unwrap_err()
        .starts_with("the key \"x y\" is not valid"));
    assert!(args::read(&Arg::Str("x".into()), &Arg::Number(9.0), 5).is_err(), "no server S9");
    for &t in Tab::ALL {
        assert_eq!(t.id(), t.label().to_lowercase(), "one word for a tab");
        assert_eq!(args::panel(&Arg::Str(t.id().into())), Ok(t));
    }
    // Every panel of this build, in the tab bar's order (the features change them).
    let ids: Vec<&str> = Tab::ALL.iter().map(|t| t.id()).collect();
    assert_eq!(
        args::panel(&Arg::Str("servers".into())),
        Err(format!("expected one of {}; got the string \"servers\"", ids.join(", ")))
    );
    assert_eq!(ids[..4], ["logs", "lessons", "client", "events"]);
    assert_eq!(ids.contains(&"pseudocode"), cfg!(feature = "pseudocode-panel"));
    assert_eq!(ids.last() == Some(&"script"), cfg!(feature = "script-panel"));
}

/// An embed's `panels=` (the page's `data-panels`) says which tabs show:
/// the feed asks it before a click opens the Pseudocode tab.
#[test]
fn a_tab_is_shown_unless_panels_leaves_it_out() {
    for &t in Tab::ALL {
        assert!(t.shown_in(None), "no panels=: every tab");
        assert!(!t.shown_in(Some("")), "panels= empty: none");
        assert!(t.shown_in(Some(&format!("logs {}", t.id()))));
    }
    assert!(!Tab::Diagram.shown_in(Some("events state")));
    assert!(!Tab::Diagram.shown_in(Some("diagrams")), "whole ids only");
    assert!(Tab::Diagram.shown_in(Some("events diagram")));
}

/// A JSON object's keys and values as the browser glue hands them over.
fn entries(json: &str) -> Vec<(String, Arg)> {
    fn arg(v: &serde_json::Value) -> Arg {
        match v {
            serde_json::Value::Null => Arg::Null,
            serde_json::Value::Bool(b) => Arg::Bool(*b),
            serde_json::Value::Number(n) => Arg::Number(n.as_f64().unwrap()),
            serde_json::Value::String(s) => Arg::Str(s.clone()),
            serde_json::Value::Array(a) => Arg::Array(a.iter().map(arg).collect()),
            serde_json::Value::Object(_) => Arg::Other("object".into()),
        }
    }
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), arg(v))).collect()
}

#[test]
#[allow(clippy::needless_update)] // with `compaction`, StartOptions has one more field
fn options_refuse_an_unknown_key_by_name_and_check_every_value() {
    let mount = |json: &str| args::read_options::<MountOptions>(entries(json));
    let e = mount(r#"{"server": 5}"#).unwrap_err();
    assert!(e.contains("unknown field `server`") && e.contains("`servers`"), "{e}");
    let o = mount(r#"{"servers": 7, "seed": 12, "paused": true, "speed": 0.5}"#).unwrap().start_options().unwrap();
    assert_eq!(o, StartOptions { servers: 7, seed: Some(12), speed: 0.5, playing: false, ..StartOptions::default() });
    assert_eq!(mount("{}").unwrap().start_options().unwrap(), StartOptions::default());
    assert_eq!(mount(r#"{"seed": null}"#).unwrap().start_options().unwrap().seed, None, "null counts as left out");
    for (json, e) in [
        (r#"{"servers": 12}"#, "servers must be a whole number from 3 to 9, got the number 12"),
        (r#"{"servers": "5"}"#, "servers must be a number, got the string \"5\""),
        (r#"{"seed": -1}"#, "seed must be a whole number from 0 to 9007199254740991, got the number -1"),
        (r#"{"paused": 1}"#, "paused must be true or false, got the number 1"),
        (r#"{"speed": [1]}"#, "speed must be a number from 0.001 (1000 times slower) to 1 (real time), got an array"),
        (
            r#"{"speed": {"a": 1}}"#,
            "speed must be a number from 0.001 (1000 times slower) to 1 (real time), got a value of type object",
        ),
    ] {
        assert_eq!(mount(json).unwrap().start_options(), Err(e.to_string()), "{json}");
    }
    // What JSON cannot hold: undefined (left out), and other types (a function reads as an object).
    let given = |key: &str, v: Arg| args::read_options::<MountOptions>(vec![(key.into(), v)]).unwrap().start_options();
    assert_eq!(given("seed", Arg::Undefined).unwrap().seed, None);
    assert_eq!(
        given("speed", Arg::Other("function".into())),
        Err("speed must be a number from 0.001 (1000 times slower) to 1 (real time), got a value of type object".into())
    );
    let reset = |json: &str| args::read_options::<ResetOptions>(entries(json));
    assert!(reset(r#"{"seeed": 1}"#).unwrap_err().contains("unknown field `seeed`"));
    assert!(reset(r#"{"paused": true}"#).unwrap_err().contains("unknown field `paused`"));
    // Every misspelt key is named, not only the first.
    // (With log compaction, `snapshotThreshold` too: tests/view_compaction.rs.)
    let more = if cfg!(feature = "compaction") { ", `snapshotThreshold`" } else { "" };
    assert_eq!(
        reset(r#"{"sead": 4, "server": 3}"#).unwrap_err(),
        format!("unknown fields `sead` and `server`, expected one of `servers`, `seed`{more}")
    );
    assert_eq!(
        mount(r#"{"servers": 3, "seeed": 1, "pause": true, "sped": 1}"#).unwrap_err(),
        // (In the order given: serde_json sorts an object's keys.)
        format!(
            "unknown fields `pause`, `seeed` and `sped`, expected one of `servers`, `seed`, `paused`, `speed`{more}"
        )
    );
    assert_eq!(reset("{}").unwrap().size_and_seed(4), Ok((4, None)));
    assert_eq!(reset(r#"{"servers": 3, "seed": 9}"#).unwrap().size_and_seed(4), Ok((3, Some(9))));
    assert_eq!(
        reset(r#"{"servers": 2}"#).unwrap().size_and_seed(4),
        Err("servers must be a whole number from 3 to 9, got the number 2".into())
    );
}

#[test]
#[allow(clippy::needless_update)] // with `compaction`, StartOptions has one more field
fn the_address_sets_size_seed_speed_and_pause_and_names_what_it_ignores() {
    let from = |q: &[(&str, &str)]| {
        let q: Vec<(String, String)> = q.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        address_options(move |k| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()))
    };
    let a = from(&[]);
    assert_eq!((a.start, a.problems.len(), a.paused_given), (StartOptions::default(), 0, false));
    let a = from(&[("servers", "7"), ("seed", " 42 "), ("speed", "0.1"), ("paused", "1")]);
    assert_eq!(
        a.start,
        StartOptions { servers: 7, seed: Some(42), speed: 0.1, playing: false, ..StartOptions::default() }
    );
    assert!(a.paused_given && a.problems.is_empty());
    // paused= starts paused with 1, true, yes or nothing; plays with 0, false or no.
    for (v, playing) in [("", false), ("1", false), ("true", false), ("yes", false), (" 1 ", false)]
        .into_iter()
        .chain([("0", true), ("false", true), ("no", true)])
    {
        let a = from(&[("paused", v)]);
        assert_eq!((a.start.playing, a.paused_given, a.problems.len()), (playing, true, 0), "paused={v}");
    }
    // Anything else is named, and the start is as if it were left out (the
    // page then decides, from the system's reduced motion).
    for v in ["2", "off", "paused", "True"] {
        let a = from(&[("paused", v), ("seed", "3")]);
        assert_eq!((a.start.playing, a.paused_given), (true, false), "paused={v}");
        assert_eq!(a.start.seed, Some(3), "the rest applies");
        assert_eq!(a.problems, [format!("paused={v} (use 1 to start paused, 0 to play)")]);
    }
    let a = from(&[("servers", "12"), ("seed", "-3"), ("speed", "2")]);
    assert_eq!(a.start, StartOptions::default());
    assert_eq!(
        a.problems,
        vec![
            "servers=12 (use 3 to 9)".to_string(),
            format!("seed=-3 (use a whole number from 0 to {MAX_SEED})"),
            "speed=2 (use 0.001 to 1)".to_string(),
        ]
    );
}

/// With the Script panel, `scenario=` and `script=` are not the start's to
/// refuse: the Script panel (www/script-panel.js) reads, checks and runs them.
#[cfg(feature = "script-panel")]
#[test]
fn with_the_script_panel_the_start_leaves_scenario_and_script_to_the_panel() {
    let q = |k: &str| match k {
        "scenario" => Some("figure-8.txt".to_string()),
        "script" => Some("%%%".to_string()),
        "seed" => Some("4".to_string()),
        _ => None,
    };
    let a = address_options(q);
    assert_eq!((a.start.seed, a.problems.len()), (Some(4), 0));
}

// ----- state() -----------------------------------------------------------------------

#[test]
fn state_lists_servers_messages_writes_safety_and_the_latest_events_in_camel_case() {
    let mut m = model(5, 18);
    let l = with_leader(&mut m);
    m.apply(write("x", 3)).unwrap();
    m.apply(Op::Advance(400)).unwrap();
    for v in 0..10 {
        m.apply(write("z", v)).unwrap();
        m.apply(Op::Advance(100)).unwrap();
    }
    m.apply(write("y", 1)).unwrap();
    m.apply(Op::Advance(3)).unwrap();
    let dropped = m.cluster().messages()[0].id;
    m.apply(Op::Sim(Action::DropMessage { id: dropped })).unwrap();
    m.apply(Op::Sim(Action::Crash { node: s(if l == s(0) { 1 } else { 0 }) })).unwrap();
    m.apply(Op::Select(Some(s(2)))).unwrap();
    let st = serde_json::to_value(page_state(&m)).unwrap();
    let keys: Vec<&str> = st.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    for k in [
        "now",
        "playing",
        "speed",
        "seed",
        "leader",
        "servers",
        "messages",
        "lost",
        "client",
        "safety",
        "events",
        "eventCount",
        "warnings",
        "selected",
        "traceHash",
    ] {
        assert!(keys.contains(&k), "state() has {k}: {keys:?}");
    }
    assert_eq!(st["leader"], l.to_string());
    assert_eq!(
        (st["seed"].as_u64(), st["speed"].as_f64(), st["playing"].as_bool()),
        (Some(18), Some(DEFAULT_SPEED), Some(false))
    );
    assert_eq!(st["selected"], "S3");
    assert_eq!(st["traceHash"].as_str().unwrap().len(), 16);
    let servers = st["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 5);
    let roles: Vec<&str> = servers.iter().map(|x| x["role"].as_str().unwrap()).collect();
    assert_eq!(roles.iter().filter(|r| **r == "leader").count(), 1);
    assert_eq!(roles.iter().filter(|r| **r == "crashed").count(), 1);
    let leader = &servers[l.index()];
    assert_eq!(leader["progress"].as_array().unwrap().len(), 4, "the leader's view of each follower");
    assert!(leader["log"].as_array().unwrap().iter().any(|e| e["command"] == "x ← 3" && e["committed"] == true));
    assert_eq!(leader["kv"]["x"], 3);
    assert!(
        leader.get("commitIndex").is_some() && leader.get("lastApplied").is_some() && leader.get("votedFor").is_some()
    );
    for (msg, js) in m.cluster().messages().into_iter().zip(st["messages"].as_array().unwrap()) {
        let g = glance(&msg.payload);
        assert_eq!(js["id"], msg.id);
        assert_eq!(js["term"].as_u64(), g.term);
        assert_eq!(js["ok"].as_bool(), g.ok);
        assert_eq!(js["reply"], g.reply);
        assert!(js.get("sentAt").is_some() && js.get("arriveAt").is_some());
    }
    let lost = st["lost"].as_array().unwrap();
    assert!(lost.iter().any(|x| x["id"] == dropped && x["cause"] == "dropped by hand"));
    let client = st["client"].as_array().unwrap();
    assert_eq!(client[0]["status"], "acknowledged");
    assert_eq!(client[0]["command"], "x ← 3");
    assert_eq!(client[11]["status"], "pending");
    assert_eq!(st["safety"]["safe"], true);
    let events = st["events"].as_array().unwrap();
    assert_eq!(events.len(), 30, "the latest 30");
    assert!(st["eventCount"].as_u64().unwrap() > 30);
    let last = m.cluster().events().last().unwrap();
    assert_eq!((events[0]["text"].as_str(), events[0]["time"].as_u64()), (Some(last.text().as_str()), Some(last.time)));
    assert_eq!(events[0]["kind"], format!("{:?}", last.kind()));
}

#[test]
fn every_event_kind_has_an_icon_and_a_meaning_for_the_legend() {
    use raft_playground::view::texts::Texts;
    use raft_playground::view::theme::event_icon;
    // What each kind covers is in the texts the Legend fetches (www/panel-texts.txt).
    let texts = Texts::parse(include_str!("../www/panel-texts.txt"));
    let mut icons: Vec<&str> = EVENT_KINDS.iter().map(|&k| event_icon(k).0).collect();
    icons.sort();
    icons.dedup();
    assert_eq!(icons.len(), EVENT_KINDS.len(), "one icon per kind");
    assert!(EVENT_KINDS.iter().all(|&k| !texts.keyed("event", event_icon(k).1).is_empty()));
}

#[test]
fn a_server_at_position_i_is_where_the_geometry_says() {
    let d = ring_draw(&model(7, 1));
    for (i, sd) in d.servers.iter().enumerate() {
        assert_eq!((sd.x, sd.y), server_pos(i, 7));
    }
}

#[test]
fn term_colours_come_round_again_as_colours_only() {
    use raft_playground::view::theme::{term_fill_class, term_var, TERM_COLOURS};
    for t in 1..=60u64 {
        let slot = (t - 1) % TERM_COLOURS;
        // One class, the colour: never a pattern or dash that a state uses.
        assert_eq!(term_fill_class(t), format!("tf{slot}"), "term {t}");
        assert_eq!(term_var(t), term_var(slot + 1), "term {t} has term {}'s colour", slot + 1);
    }
    assert_ne!(term_fill_class(1), term_fill_class(2));
}

#[test]
fn the_feed_pages_through_the_whole_run_newest_first_and_an_older_page_stays_put() {
    use raft_playground::view::events::{feed_page, PAGE};
    let p = feed_page(0, None);
    assert_eq!((p.from, p.to, p.newest, p.label()), (0, 0, true, "no events yet".to_string()));
    assert_eq!((p.newer(), p.older(), p.oldest()), (None, None, None));
    let p = feed_page(40, None);
    assert_eq!((p.from, p.to, p.older()), (0, 40, None), "one page: nowhere to go");
    // 250 events: the newest 50, then 50 older, ..., then the first 50.
    let p = feed_page(250, None);
    assert_eq!((p.from, p.to, p.newest, p.label()), (200, 250, true, "201–250 of 250".to_string()));
    assert_eq!((p.newer(), p.older(), p.oldest()), (None, Some(Some(200)), Some(Some(PAGE))));
    let p = feed_page(250, Some(200));
    assert_eq!((p.from, p.to, p.newest), (150, 200, false));
    assert_eq!((p.newer(), p.older()), (Some(None), Some(Some(150))), "newer: back to the newest, which follows");
    let p = feed_page(250, Some(50));
    assert_eq!((p.from, p.to, p.older(), p.oldest()), (0, 50, None, None));
    assert_eq!(p.newer(), Some(Some(100)));
    // A page stays where it is as the run goes on; the newest page follows.
    assert_eq!(feed_page(5_000, Some(50)).from, 0);
    assert_eq!(feed_page(5_000, None).from, 4_950);
    assert_eq!(feed_page(12_345, Some(300)).label(), "251–300 of 12,345");
    // An end past the run (a new, shorter run) is the newest page.
    assert!(feed_page(20, Some(300)).newest);
    assert_eq!(feed_page(250, Some(30)).to, 50, "a page is always full");
    // The model keeps the page; a new run starts at the newest.
    let mut m = model(3, 1);
    m.apply(Op::Feed(Some(100))).unwrap();
    assert_eq!(m.feed_end, Some(100));
    m.apply(Op::Restart(page_config(3, 2))).unwrap();
    assert_eq!(m.feed_end, None);
}

#[test]
fn events_are_handed_out_whole_with_their_data_and_their_range_is_checked() {
    use raft_playground::view::events::{events_from, EVENTS_PER_CALL};
    let mut m = model(5, 3);
    with_leader(&mut m);
    m.apply(write("x", 4)).unwrap();
    m.apply(Op::Advance(500)).unwrap();
    let all = m.cluster().events();
    assert!(all.len() > 10);
    let json = serde_json::to_value(events_from(all, 0, 3)).unwrap();
    assert_eq!(json[0]["time"], 0);
    assert_eq!(json[0]["kind"], "Start");
    assert_eq!(json[0]["text"], all[0].text());
    assert_eq!(json[0]["data"], serde_json::json!({ "type": "started", "servers": 5 }));
    assert_eq!(json.as_array().unwrap().len(), 3);
    let acked =
        events_from(all, 0, usize::MAX).into_iter().find(|e| e.kind == "Client" && e.text.contains("acknowledged"));
    let acked = serde_json::to_value(acked.expect("the write's acknowledgement")).unwrap();
    assert_eq!(acked["data"]["type"], "client_acked");
    assert_eq!(acked["data"]["command"], serde_json::to_value(Command::set("x", 4)).unwrap());
    // Every event, in pages, in order; nothing past the last.
    let paged: Vec<String> = (0..all.len()).step_by(4).flat_map(|i| events_from(all, i, 4)).map(|e| e.text).collect();
    assert_eq!(paged, all.iter().map(|e| e.text()).collect::<Vec<_>>());
    assert!(events_from(all, all.len(), 10).is_empty());
    assert!(events_from(all, usize::MAX, 10).is_empty());
    // The arguments.
    assert_eq!(args::event_range(&Arg::Undefined, &Arg::Undefined), Ok((0, EVENTS_PER_CALL as usize)));
    assert_eq!(args::event_range(&Arg::Number(20.0), &Arg::Number(5.0)), Ok((20, 5)));
    let far = usize::try_from(1_000_000_000_000_000u64).unwrap_or(usize::MAX);
    assert_eq!(args::event_range(&Arg::Number(1e15), &Arg::Null), Ok((far, 10_000)));
    for (from, count, said) in [
        (
            Arg::Number(-1.0),
            Arg::Undefined,
            "from must be a whole number from 0 to 9007199254740991, got the number -1",
        ),
        (Arg::Number(1.5), Arg::Undefined, "from must be a whole number"),
        (Arg::Str("0".into()), Arg::Undefined, "from must be a number, got the string \"0\""),
        (Arg::Number(0.0), Arg::Number(10_001.0), "count must be a whole number from 0 to 10000, got the number 10001"),
        (Arg::Number(0.0), Arg::Bool(true), "count must be a number, got true"),
    ] {
        let e = args::event_range(&from, &count).unwrap_err();
        assert!(e.starts_with(said), "{e}");
    }
    // state() lists the latest 30, newest first, with their data too.
    let st = serde_json::to_value(page_state(&m)).unwrap();
    assert_eq!(st["eventCount"], all.len());
    assert_eq!(st["events"][0]["text"], all.last().unwrap().text());
    assert_eq!(st["events"][0]["data"], serde_json::to_value(&all.last().unwrap().what).unwrap());
}

#[test]
fn the_address_a_run_writes_starts_the_same_run() {
    for (servers, seed) in [(3, 7), (9, MAX_SEED), (5, 0)] {
        let m = model(servers, seed);
        let written = args::address_settings(&m.start);
        assert_eq!(written, [("seed", seed.to_string()), ("servers", servers.to_string())]);
        let read = address_options(|k| written.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone()));
        assert_eq!(read.problems, Vec::<String>::new());
        let again = Model::new(&read.start, || unreachable!("the address gives the seed")).unwrap();
        assert_eq!((again.start.nodes, again.start.seed), (servers, seed));
        assert_eq!(again.start, m.start, "the same run");
    }
}

#[test]
fn a_partition_names_the_groups_it_formed_the_unlisted_servers_last() {
    let mut m = model(5, 2);
    let names = |m: &Model| {
        m.partition_groups()
            .iter()
            .map(|g| g.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&m), ["S1 S2 S3 S4 S5"], "no partition: one group of everyone");
    let part = |m: &mut Model, groups: &[&[usize]]| {
        let groups = groups.iter().map(|g| g.iter().map(|&i| s(i - 1)).collect()).collect();
        m.apply(Op::Sim(Action::Partition { groups })).unwrap();
        names(m)
    };
    assert_eq!(part(&mut m, &[&[1, 2]]), ["S1 S2", "S3 S4 S5"]);
    assert_eq!(
        part(&mut m, &[&[4], &[], &[2, 1]]),
        ["S4", "S1 S2", "S3 S5"],
        "in the call's order, empty groups dropped"
    );
    assert_eq!(part(&mut m, &[&[1, 2], &[3, 4, 5]]), ["S1 S2", "S3 S4 S5"], "everyone named: no extra group");
    assert_eq!(part(&mut m, &[]), ["S1 S2 S3 S4 S5"], "partition([]) ends the partition");
    m.apply(Op::Sim(Action::Disconnect { node: s(2) })).unwrap();
    assert_eq!(part(&mut m, &[&[3]]), ["S3", "S1 S2 S4 S5"], "a disconnection is not a group");
}

#[test]
fn each_message_kind_has_one_name_everywhere() {
    use raft_playground::script;
    let names: Vec<&str> = MessageKind::ALL.iter().map(|k| k.name()).collect();
    let expected = vec![
        "PreVote",
        "PreVoteReply",
        "RequestVote",
        "VoteReply",
        "AppendEntries",
        "Heartbeat",
        "AppendReply",
        #[cfg(feature = "compaction")]
        "InstallSnapshot",
        #[cfg(feature = "compaction")]
        "SnapshotReply",
        "TimeoutNow",
        "ClientRequest",
        "ClientRead",
        "ClientReply",
    ];
    assert_eq!(names, expected, "the engine's names");
    for k in MessageKind::ALL {
        assert_eq!(format!("{k:?}"), k.name(), "the name is the engine's own");
        assert_eq!(kind_name(k), k.name(), "the page's name");
        assert_eq!(script::kind_name(k), k.name(), "the scripts' name");
        assert!(!kind_meaning(k).contains(k.name()), "the meaning does not rename it: {}", kind_meaning(k));
    }
    assert_eq!(script::KINDS, MessageKind::ALL);
    // Every kind in a run: the inspector, state(), the ring's label and the summary all use that name.
    let mut m = model(3, 21);
    let leader = with_leader(&mut m);
    m.apply(Op::Sim(Action::SetOption { name: "pre_vote".into(), value: SwitchValue::Flag(true) })).unwrap();
    m.apply(write("x", 4)).unwrap();
    m.apply(Op::Sim(Action::Read { key: "x".into(), to: None })).unwrap();
    let other = m.cluster().servers().iter().map(|s| s.id()).find(|&id| id != leader).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for step in 0..600 {
        if step == 100 {
            m.apply(Op::Sim(Action::TransferLeadership { to: other })).unwrap();
        }
        if step == 300 {
            // With pre-vote on, a forced time-out asks first.
            m.apply(Op::Sim(Action::Timeout { node: leader })).unwrap();
        }
        m.apply(Op::Advance(2)).unwrap();
        let st = serde_json::to_value(page_state(&m)).unwrap();
        let drawn = ring_draw(&m);
        for (i, msg) in m.cluster().messages().iter().enumerate() {
            let name = msg.payload.kind().name();
            seen.insert(name);
            assert!(fields(msg)[0].1.starts_with(&format!("{name}: ")));
            assert_eq!(st["messages"][i]["kind"], name);
            assert!(msg.payload.summary().starts_with(name), "{}", msg.payload.summary());
            let label = &drawn.messages.iter().find(|d| d.id == msg.id).unwrap().label;
            assert!(label.contains(name), "{label}");
        }
    }
    assert_eq!(seen.len(), 11, "every kind was seen: {seen:?}");
}

// ----- issue 7: catching messages, readable words, the menu's place, a first visit -----

use raft_playground::view::geometry::{in_flight_at, link_between, message_at, server_reach, to_units, Edge};
use raft_playground::view::labels::{inside, term_width, text_sizes, CATCH_PX, COMPACT_BELOW, MIN_LABEL_PX};

/// A message in flight, away from the others, and where it is drawn now.
fn a_message(m: &Model) -> (u64, f64, f64) {
    in_flight_at(m.cluster(), m.display_now()).next().expect("a message in flight")
}

#[test]
fn the_pointer_on_a_message_holds_the_clock_and_leaving_plays_on_unless_the_visitor_paused() {
    let mut m = model(5, 4);
    with_leader(&mut m);
    with_messages(&mut m, 2);
    m.apply(Op::Play).unwrap();
    let (id, x, y) = a_message(&m);
    let catch = text_sizes(m.ring_scale, 5).catch;
    // Beside it, outside its drawing (glyphs reach 12.5 units), still within reach.
    m.apply(Op::Pointer(Some((x + catch * 0.9, y)))).unwrap();
    assert_eq!((m.hovered, m.playing, m.held), (Some(id), false, true));
    assert!(
        matches!(m.guidance(), Guidance::Tip(t) if t.starts_with(&format!("Paused while the pointer rests on message #{id}")))
    );
    let t = m.cluster().now();
    m.tick(0.0);
    m.tick(1000.0);
    assert_eq!(m.cluster().now(), t, "held: time stands still");
    m.apply(Op::Pointer(None)).unwrap();
    assert_eq!((m.hovered, m.playing, m.held), (None, true, false), "leaving plays on");
    // Paused by the visitor: the pointer neither holds nor plays.
    m.apply(Op::Pause).unwrap();
    m.apply(Op::Pointer(Some((x, y)))).unwrap();
    m.apply(Op::Pointer(None)).unwrap();
    assert!(!m.playing && !m.held);
    // Play pressed while pointing at a message: that one does not hold again...
    m.apply(Op::Pointer(Some((x, y)))).unwrap();
    m.apply(Op::Play).unwrap();
    m.apply(Op::Pointer(Some((x + 1.0, y)))).unwrap();
    assert!(m.playing && !m.held);
    // ...until the pointer left it; then a click on a held message inspects it, paused, with the notice.
    m.apply(Op::Pointer(None)).unwrap();
    m.apply(Op::Pointer(Some((x, y)))).unwrap();
    assert!(m.held && !m.playing);
    m.apply(Op::ClickRing(x, y)).unwrap();
    assert_eq!(m.inspected.as_ref().map(|x| x.id), Some(id));
    assert!(!m.playing && !m.held);
    assert_eq!(notice(&m), Some((format!("Paused to inspect message #{id}. Press space to play on.").as_str(), false)));
    m.apply(Op::Pointer(None)).unwrap();
    assert!(!m.playing, "leaving does not play on while the inspector is open");
}

#[test]
fn a_message_reaching_a_still_pointer_holds_the_clock() {
    let mut m = Model::from_config(page_config(5, 4), 0.002, true).unwrap();
    m.tick(0.0);
    for k in 1..20_000 {
        m.tick(k as f64 * 50.0);
        if m.cluster().messages().len() >= 2 {
            break;
        }
    }
    // Where a message will be a little later on its way: the pointer waits there.
    let msg = m.cluster().messages()[0].clone();
    let later = raft_playground::view::geometry::message_pos(&msg, 0.8, 5);
    m.apply(Op::Pointer(Some(later))).unwrap();
    let mut wall = 1_000_000.0;
    m.tick(wall);
    for _ in 0..10_000 {
        wall += 20.0;
        m.tick(wall);
        if m.held {
            break;
        }
    }
    assert!(m.held && !m.playing && m.hovered.is_some(), "the clock waits on the message that reached the pointer");
}

#[test]
fn a_click_near_a_message_inspects_the_nearest_and_elsewhere_closes_what_is_open() {
    let mut m = model(5, 4);
    with_leader(&mut m);
    with_messages(&mut m, 3);
    let now = m.display_now();
    let all: Vec<_> = in_flight_at(m.cluster(), now).collect();
    let (id, x, y) = all[0];
    let catch = text_sizes(1.0, 5).catch;
    assert_eq!(catch, CATCH_PX, "at one pixel per unit, a 44-pixel target");
    assert_eq!(message_at(all.clone(), (x + 3.0, y), catch), Some(id));
    assert_eq!(message_at(all.clone(), (x + catch + 1.0, y + catch + 1.0), catch).filter(|&i| i == id), None);
    // Of two within reach, the nearer.
    let two = vec![(1, 0.0, 0.0), (2, 10.0, 0.0)];
    assert_eq!(message_at(two.clone(), (6.0, 0.0), 20.0), Some(2));
    assert_eq!(message_at(two, (4.0, 0.0), 20.0), Some(1));
    m.apply(Op::ClickRing(x + 5.0, y)).unwrap();
    let got = m.inspected.as_ref().map(|x| x.id).unwrap();
    assert_eq!(message_at(all, (x + 5.0, y), catch), Some(got));
    m.apply(Op::ClickRing(-500.0, -500.0)).unwrap();
    assert!(m.inspected.is_none(), "a click on nothing closes the inspector");
    // The reach grows as the ring shrinks on screen (the same 22 pixels), within bounds.
    assert!(text_sizes(0.5, 5).catch > text_sizes(1.0, 5).catch);
    assert!(text_sizes(0.1, 5).catch <= 40.0 && text_sizes(4.0, 5).catch >= 16.0);
}

#[test]
fn m_steps_through_the_messages_in_flight_by_id_wrapping_and_back() {
    let mut m = model(5, 4);
    assert_eq!(m.apply(Op::InspectNext(false)), Err("no message is in flight".into()));
    with_leader(&mut m);
    with_messages(&mut m, 3);
    m.apply(Op::Play).unwrap();
    let mut ids: Vec<u64> = m.cluster().messages().iter().map(|x| x.id).collect();
    ids.sort();
    let at = |m: &Model| m.inspected.as_ref().map(|x| x.id);
    m.apply(Op::InspectNext(false)).unwrap();
    assert_eq!(at(&m), Some(ids[0]));
    assert!(!m.playing, "inspecting pauses");
    m.apply(Op::InspectNext(false)).unwrap();
    assert_eq!(at(&m), Some(ids[1]));
    m.apply(Op::InspectNext(true)).unwrap();
    assert_eq!(at(&m), Some(ids[0]));
    m.apply(Op::InspectNext(true)).unwrap();
    assert_eq!(at(&m), Some(*ids.last().unwrap()), "back from the first wraps to the last");
    m.apply(Op::InspectNext(false)).unwrap();
    assert_eq!(at(&m), Some(ids[0]), "on from the last wraps to the first");
    m.apply(Op::Escape).unwrap();
    m.apply(Op::InspectNext(true)).unwrap();
    assert_eq!(at(&m), Some(*ids.last().unwrap()));
}

#[test]
fn at_an_800x600_embed_every_word_of_the_ring_is_at_least_12_pixels() {
    // The ring of an 800x600 page is about 407 px across: 0.68 px per unit. From 390 px on:
    for scale in [0.65, 0.68, 0.8, 1.0, 1.5] {
        for n in 3..=9 {
            let t = text_sizes(scale, n);
            assert!(!t.compact);
            for (what, size) in
                [("name", t.name), ("term", t.term), ("label", t.label), ("client", t.client), ("tag", t.tag)]
            {
                assert!(
                    size * scale >= MIN_LABEL_PX,
                    "{what} is {:.1} px at {scale} px per unit, {n} servers",
                    size * scale
                );
            }
            // Labels of neighbours stay apart: with 9 servers their centres are 147 units apart.
            assert!(t.label <= 24.0);
        }
    }
    // A small ring (a 480x360 embed, 0.44 px per unit) has one line under each server.
    let small = text_sizes(0.44, 9);
    assert!(small.compact && small.label * 0.44 >= 7.0);
    assert!(!text_sizes(COMPACT_BELOW, 5).compact && text_sizes(COMPACT_BELOW - 0.01, 5).compact);
    assert_eq!(text_sizes(f64::NAN, 5), text_sizes(1.0, 5), "an unmeasured ring counts as full size");
}

#[test]
fn a_servers_term_always_fits_its_circle_in_the_longest_form_that_fits() {
    for scale in [0.44, 0.55, 0.68, 1.0, 1.4] {
        for n in 3..=9 {
            let r = server_radius(n);
            let t = text_sizes(scale, n);
            for term in [0, 1, 9, 12, 99, 123, 7492, 99_999, u64::MAX] {
                for candidate in [false, true] {
                    let i = inside(term, r, &t, candidate);
                    assert!(i.term_text == format!("term {term}") || i.term_text == format!("t{term}"));
                    // Its box, from the baseline up by the digits' height, within the circle (inside the stroke).
                    let half = term_width(&i.term_text, i.term_size) / 2.0;
                    let (top, bottom) = (i.term_y - 0.74 * i.term_size, i.term_y);
                    for y in [top, bottom] {
                        assert!(half.hypot(y) <= r - 4.0, "{} at {scale}, {n} servers: {i:?}", i.term_text);
                    }
                    assert!(i.name_y < i.term_y && (!candidate || i.term_y < i.dots_y));
                    assert!(i.term_size <= t.term);
                    if i.term_size < t.term {
                        assert!(
                            i.term_text.starts_with('t') && !i.term_text.starts_with("term"),
                            "smaller only when short"
                        );
                    }
                }
            }
        }
    }
    // Where there is room, the whole word.
    let roomy = inside(9, server_radius(5), &text_sizes(1.0, 5), false);
    assert_eq!(roomy.term_text, "term 9");
    // 9 servers at 800x600 and a long term: "t7492", at least 9 px.
    let tight = inside(7492, server_radius(9), &text_sizes(0.68, 9), false);
    assert_eq!(tight.term_text, "t7492");
    assert!(tight.term_size * 0.68 >= 9.0, "{tight:?}");
}

#[test]
fn links_run_from_edge_to_edge_and_never_across_a_server() {
    for n in 3..=9 {
        let d = ring_draw(&model(n, 1));
        let reach = server_reach(n);
        for &(a, b, _, line) in &d.links {
            let ((x1, y1), (x2, y2)) = line.expect("servers never touch");
            for (p, i) in [((x1, y1), a), ((x2, y2), b)] {
                let (cx, cy) = server_pos(i, n);
                assert!(((p.0 - cx).hypot(p.1 - cy) - reach).abs() < 1e-6, "at the edge of its server");
            }
            for k in 0..n {
                let (cx, cy) = server_pos(k, n);
                for p in [(x1, y1), (x2, y2)] {
                    assert!((p.0 - cx).hypot(p.1 - cy) >= reach - 1e-6, "no end inside a server");
                }
            }
        }
        let (hw, hh) = d.text.client_box();
        for (i, &(_, line)) in d.client_links.iter().enumerate() {
            let ((x1, y1), (x2, y2)) = line.unwrap();
            assert!((x1 - CENTRE.0).abs() >= hw - 1e-6 || (y1 - CENTRE.1).abs() >= hh - 1e-6, "from the client's edge");
            let (cx, cy) = server_pos(i, n);
            assert!(((x2 - cx).hypot(y2 - cy) - reach).abs() < 1e-6, "to the server's edge");
        }
    }
    assert_eq!(link_between((0.0, 0.0), Edge::Disc(10.0), (15.0, 0.0), Edge::Disc(10.0)), None, "touching: no line");
    assert_eq!(
        link_between((0.0, 0.0), Edge::Box(5.0, 2.0), (0.0, 20.0), Edge::Disc(3.0)),
        Some(((0.0, 2.0), (0.0, 17.0)))
    );
}

#[test]
fn a_point_on_the_page_is_placed_on_the_ring_as_the_svg_draws_it() {
    // A 400x300 box: the square canvas is 300 px, centred (50 px each side).
    let r = (10.0, 20.0, 400.0, 300.0);
    assert_eq!(to_units(r, 60.0, 20.0), Some((0.0, 0.0)));
    assert_eq!(to_units(r, 360.0, 320.0), Some((VIEW, VIEW)));
    assert_eq!(to_units(r, 210.0, 170.0), Some((VIEW / 2.0, VIEW / 2.0)));
    assert_eq!(to_units((0.0, 0.0, 0.0, 10.0), 1.0, 1.0), None);
    assert_eq!(to_units(r, f64::NAN, 1.0), None);
}

use raft_playground::view::geometry::{menu_spot, MenuRoom};

/// The menu's room for server `i` of `n` on a ring `side` px across at (`x0`, `y0`) in an area `w`x`h`.
fn room(i: usize, n: usize, (x0, y0, side): (f64, f64, f64), (w, h): (f64, f64), size: (f64, f64)) -> MenuRoom {
    let k = side / VIEW;
    let (sx, sy) = server_pos(i, n);
    let t = text_sizes(k, n);
    let (hw, hh) = t.client_box();
    let (cx, cy) = (x0 + CENTRE.0 * k, y0 + CENTRE.1 * k);
    MenuRoom {
        bounds: (2.0, 2.0, w - 2.0, h - 2.0),
        server: (x0 + sx * k, y0 + sy * k),
        reach: server_reach(n) * k,
        centre: (x0 + side / 2.0, y0 + side / 2.0),
        client: (cx - hw * k, cy - hh * k, cx + hw * k, cy + hh * k),
        others: (0..n).filter(|&j| j != i).map(|j| server_pos(j, n)).map(|(x, y)| (x0 + x * k, y0 + y * k)).collect(),
        size,
    }
}

#[test]
fn a_servers_menu_goes_beside_it_covering_neither_it_nor_the_client_within_the_area() {
    // The page's layouts (the ring's place and size, the area beside it) and menu sizes.
    let layouts = [
        ("1280x800", (0.0, 50.0, 624.0), (1280.0, 727.0), (205.0, 190.0)),
        ("800x600", (10.0, 0.0, 407.0), (800.0, 510.0), (205.0, 195.0)),
        ("480x360", (0.0, 10.0, 267.0), (480.0, 320.0), (200.0, 190.0)),
        ("390x844 touch", (0.0, 0.0, 390.0), (390.0, 660.0), (220.0, 292.0)),
        ("844x390 touch", (60.0, 0.0, 333.0), (844.0, 336.0), (220.0, 292.0)),
    ];
    for (name, ring, area, size) in layouts {
        for n in 3..=9 {
            for i in 0..n {
                let r = room(i, n, ring, area, size);
                let (x, y) = menu_spot(&r);
                let b = (x, y, x + size.0, y + size.1);
                assert!(
                    b.0 >= r.bounds.0 && b.1 >= r.bounds.1 && b.2 <= r.bounds.2 + 1e-9 && b.3 <= r.bounds.3 + 1e-9,
                    "{name}: S{} of {n} within the area",
                    i + 1
                );
                let (nx, ny) = (r.server.0.clamp(b.0, b.2), r.server.1.clamp(b.1, b.3));
                assert!(
                    (nx - r.server.0).hypot(ny - r.server.1) >= r.reach,
                    "{name}: the menu of S{} of {n} does not cover it",
                    i + 1
                );
                let c = r.client;
                assert!(
                    b.2 <= c.0 || c.2 <= b.0 || b.3 <= c.1 || c.3 <= b.1,
                    "{name}: S{} of {n}'s menu does not cover the client",
                    i + 1
                );
            }
        }
    }
    // Where there is room, beside the server on its outer side.
    let r = room(1, 5, (0.0, 50.0, 624.0), (1280.0, 727.0), (205.0, 190.0));
    assert!(menu_spot(&r).0 > r.server.0, "S2 (on the right) gets its menu on its right");
    // Beside its server rather than in a far corner, over as few other servers as it can: with 9
    // servers at 1280x800, S8 (on the left, its outer side at the window's edge) gets it above or
    // below, over one neighbour at most.
    let r = room(7, 9, (0.0, 50.0, 624.0), (1280.0, 727.0), (205.0, 190.0));
    let (x, y) = menu_spot(&r);
    let covered = |(cx, cy): (f64, f64)| {
        let (nx, ny) = (cx.clamp(x, x + 205.0), cy.clamp(y, y + 190.0));
        (nx - cx).hypot(ny - cy) < r.reach
    };
    assert!(y + 190.0 <= r.server.1 - r.reach || y >= r.server.1 + r.reach, "above or below: {:?}", (x, y));
    assert!(x < r.server.0 + r.reach, "near it: {:?}", (x, y));
    assert!(r.others.iter().filter(|&&c| covered(c)).count() <= 1);
}

use raft_playground::view::model::{WARMUP_MAX_SPEED, WARMUP_WALL_MS};

#[test]
fn a_first_visit_plays_fast_until_the_first_election_then_at_the_default_speed() {
    let opts = StartOptions { seed: Some(11), ..StartOptions::default() };
    let mut m = Model::new(&opts, || 0).unwrap();
    let w = m.warmup.expect("a first visit at the default speed warms up");
    assert!(w > DEFAULT_SPEED && w <= WARMUP_MAX_SPEED);
    assert!(matches!(m.guidance(), Guidance::Tip(t) if t.contains("in about 1.5 s")), "{:?}", m.guidance());
    // Wall time until something happens (a candidate or a message), in 16 ms frames.
    let mut wall = 0.0;
    m.tick(wall);
    while m.cluster().messages().is_empty() && m.cluster().servers().iter().all(|s| s.role() == Role::Follower) {
        wall += 16.0;
        m.tick(wall);
        assert!(wall < 10_000.0);
    }
    assert!(wall <= WARMUP_WALL_MS + 50.0, "the first election after {wall} ms of wall time");
    assert_eq!(m.warmup, None, "then the default speed");
    assert_eq!(m.effective_speed(), DEFAULT_SPEED);
    let t = m.display_now();
    m.tick(wall + 400.0);
    assert!((m.display_now() - t - 400.0 * DEFAULT_SPEED).abs() < 1e-9);
    // No warm-up when paused, at another speed, or after the visitor took over.
    for o in [StartOptions { playing: false, ..opts.clone() }, StartOptions { speed: 0.1, ..opts.clone() }] {
        assert_eq!(Model::new(&o, || 0).unwrap().warmup, None);
    }
    for op in [Op::Pause, Op::SetSpeed(0.5), Op::Step, Op::Sim(Action::Timeout { node: s(0) })] {
        let mut m = Model::new(&opts, || 0).unwrap();
        m.apply(op.clone()).unwrap();
        assert_eq!(m.warmup, None, "{op:?} ends the warm-up");
    }
    // The run itself is the same run: only the pace of the wall clock changed.
    let plain = Model::from_config(page_config(5, 11), DEFAULT_SPEED, true).unwrap();
    assert_eq!(plain.cluster().trace_hash(), Model::new(&opts, || 0).unwrap().cluster().trace_hash());
}

// ----- time travel on the page (issue 8): the timeline strip, seeking, branches -----

use raft_playground::sim::Rng as SimRng;
use raft_playground::view::timeline::{
    column, columns, runs, span_of, strip_draw, time_at, MarkKind, StripIndex, MIN_SPAN_MS, REACH_PX,
};

/// A number from 0 to `n - 1`.
fn below(rng: &mut SimRng, n: u64) -> u64 {
    rng.range(0, n - 1)
}

/// A run with something of every kind of mark: elections, a crash and a
/// restart, a partition and its heal, writes and commits.
fn eventful(m: &mut Model) {
    let leader = with_leader(m);
    for i in 0..5 {
        m.apply(write("x", i)).unwrap();
        m.apply(Op::Advance(300)).unwrap();
    }
    m.apply(Op::Sim(Action::Crash { node: leader })).unwrap();
    m.apply(Op::Advance(2_000)).unwrap();
    m.apply(Op::Sim(Action::Partition { groups: vec![vec![s(0), s(1)]] })).unwrap();
    m.apply(Op::Advance(1_000)).unwrap();
    m.apply(Op::Sim(Action::Heal)).unwrap();
    m.apply(Op::Sim(Action::Restart { node: leader })).unwrap();
    m.apply(Op::Advance(1_500)).unwrap();
}

#[test]
fn marks_are_bucketed_per_pixel_column_exactly() {
    let mut rng = SimRng::new(8);
    for case in 0..300 {
        let cols = 1 + below(&mut rng, 900) as u32;
        let span = 1 + below(&mut rng, 4_000_000);
        let n = below(&mut rng, 400) as usize;
        let mut times: Vec<u64> = (0..n).map(|_| below(&mut rng, span + 1)).collect();
        times.sort_unstable();
        let got = columns(&times, cols, span);
        let mut want: Vec<u32> = times.iter().map(|&t| column(t, cols, span)).collect();
        want.dedup();
        assert_eq!(got, want, "case {case}: {cols} columns over {span} ms");
        // Each column starts where the one before ends: a moment is in the column time_at says.
        for c in [0, cols / 2, cols - 1] {
            assert_eq!(column(time_at(c, cols, span), cols, span), c.min(column(span, cols, span)), "case {case}");
        }
    }
    assert_eq!(runs(&[1, 2, 3, 7, 9, 10]), vec![(1, 3), (7, 1), (9, 2)]);
    assert_eq!(runs(&[]), vec![]);
    // A young run fills part of the strip; an old one all of it.
    assert_eq!((span_of(1_234), span_of(60_000)), (MIN_SPAN_MS, 60_000));
}

#[test]
fn the_strip_reads_the_run_as_it_grows_as_if_read_at_once() {
    let mut m = model(5, 21);
    let mut live = StripIndex::default();
    let leader = with_leader(&mut m);
    for i in 0..40 {
        m.apply(write("k", i)).unwrap();
        for _ in 0..7 {
            m.apply(Op::Advance(13)).unwrap();
            live.update(m.timeline(), m.run);
        }
        if i == 20 {
            m.apply(Op::Sim(Action::Crash { node: leader })).unwrap();
        }
    }
    m.apply(Op::Advance(2_000)).unwrap();
    live.update(m.timeline(), m.run);
    let mut once = StripIndex::default();
    once.update(m.timeline(), m.run);
    assert_eq!((&live.bands, &live.marks), (&once.bands, &once.marks));
    assert_eq!(live.read(), m.cluster().events().len());
    // Every mark is the event it names, of its kind.
    let ev = m.cluster().events();
    for k in MarkKind::ALL {
        let marks = &live.marks[k as usize];
        assert_eq!(marks.times.len(), ev.iter().filter(|e| MarkKind::of(&e.what) == Some(k)).count(), "{k:?}");
        for (&t, &i) in marks.times.iter().zip(&marks.events) {
            assert_eq!((ev[i as usize].time, MarkKind::of(&ev[i as usize].what)), (t, Some(k)));
        }
    }
    assert_eq!(live.marks[MarkKind::Write as usize].times.len(), 40);
    assert_eq!(live.marks[MarkKind::Crash as usize].times.len(), 1);
    // Bands: a term each from its election on, the leader known while it leads.
    let mut terms: Vec<u64> = live.bands.iter().map(|b| b.term).collect();
    terms.dedup();
    assert!(terms.windows(2).all(|w| w[0] < w[1]), "terms only grow: {terms:?}");
    let crash = live.marks[MarkKind::Crash as usize].times[0];
    assert_eq!(live.band_at(crash).leader, None, "the leader crashed: nobody leads");
    assert_eq!(live.band_at(crash - 1).leader, Some(leader));
    let top = m.cluster().servers().iter().map(|x| x.term()).max().unwrap();
    assert_eq!(live.band_at(m.cluster().now()).term, top);
    assert_eq!(live.band_at(m.cluster().now()).leader, m.cluster().leader());

    // Looking at the past changes nothing; a fork is read afresh, and a new run too.
    let (bands, marks) = (live.bands.clone(), live.marks.clone());
    m.apply(Op::Seek(1_000)).unwrap();
    assert!(!live.update(m.timeline(), m.run), "the branch did not change");
    assert_eq!((&live.bands, &live.marks), (&bands, &marks));
    m.apply(Op::Sim(Action::Timeout { node: s(1) })).unwrap();
    assert!(live.update(m.timeline(), m.run));
    assert!(live.marks[MarkKind::Crash as usize].times.is_empty(), "the new branch forked before the crash");
    m.apply(Op::Restart(page_config(3, 1))).unwrap();
    live.update(m.timeline(), m.run);
    assert_eq!(live.read(), m.cluster().events().len());
}

#[test]
fn under_the_pointer_the_nearest_mark_wins_and_a_click_goes_to_its_moment() {
    let mut m = model(5, 3);
    eventful(&mut m);
    let mut ix = StripIndex::default();
    ix.update(m.timeline(), m.run);
    let (cols, span) = (800, span_of(m.timeline().latest()));
    let crash = ix.marks[MarkKind::Crash as usize].times[0];
    let x = column(crash, cols, span);
    for dx in [0, 1, REACH_PX] {
        let near = ix.near(x + dx, cols, span);
        assert_eq!(near.time, crash, "{dx} px beside it");
        let (kind, event, same) = near.mark.unwrap();
        assert_eq!((kind, same), (MarkKind::Crash, 1));
        assert!(matches!(
            m.timeline().events_to_latest().nth(event as usize).unwrap().what,
            raft_playground::sim::EventData::Crashed { .. }
        ));
        assert_eq!(near.band, ix.band_at(crash));
    }
    // Away from every mark: the moment under the pointer.
    let empty = (0..cols).find(|&c| {
        MarkKind::ALL
            .iter()
            .all(|k| ix.marks[*k as usize].times.iter().all(|&t| column(t, cols, span).abs_diff(c) > REACH_PX))
    });
    if let Some(c) = empty {
        let near = ix.near(c, cols, span);
        assert_eq!((near.time, near.mark), (time_at(c, cols, span), None));
    }
}

/// `scenarios/figure-8-unsafe.txt`'s run on the page, at its end, as a share
/// link of it opens (Raft broken by `unsafe_commit_old_terms`: Leader
/// Completeness breaks at 832 ms, State Machine Safety at 910 ms).
fn figure_8_unsafe() -> Model {
    use raft_playground::script::{parse, run, split_trace, Recording};
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/figure-8-unsafe.txt")).unwrap();
    let run = run(&parse(split_trace(&text).0).unwrap()).unwrap().cluster;
    let tl = raft_playground::timeline::Timeline::from_recording(&Recording::of(&run)).unwrap();
    Model::from_timeline(tl, DEFAULT_SPEED, false)
}

#[test]
fn every_kind_of_mark_has_a_tooltip_naming_it_and_a_click_that_goes_to_its_moment() {
    // Figure 8 broken (elections, crashes, restarts, partitions, commits, violations),
    // then a heal, a client write, a crash and a restart.
    let mut m = figure_8_unsafe();
    m.apply(Op::Sim(Action::Heal)).unwrap();
    m.apply(Op::Advance(200)).unwrap();
    m.apply(write("x", 9)).unwrap();
    m.apply(Op::Advance(1_000)).unwrap();
    // (Each restart of the scenario shares its moment with a crash, drawn above it.)
    m.apply(Op::Sim(Action::Crash { node: s(1) })).unwrap();
    m.apply(Op::Advance(500)).unwrap();
    m.apply(Op::Sim(Action::Restart { node: s(1) })).unwrap();
    m.apply(Op::Advance(500)).unwrap();
    let mut ix = StripIndex::default();
    ix.update(m.timeline(), m.run);
    let latest = m.timeline().latest();
    // One column per virtual ms: marks a few ms apart are told apart.
    let span = span_of(latest);
    let cols = span as u32;
    // What the tooltip of each kind says (the mark's event's sentence, after
    // the moment and the term: src/ui/timeline.rs).
    let words = |k: MarkKind| match k {
        MarkKind::Write => "client: write #",
        MarkKind::Commit => "committed",
        MarkKind::Election => "became leader",
        MarkKind::Restart => "restarted",
        MarkKind::Partition => "partitioned",
        MarkKind::Heal => "healed",
        MarkKind::Crash => "crashed",
        MarkKind::Violation => "SAFETY VIOLATED",
    };
    for k in MarkKind::ALL {
        let times = ix.marks[k as usize].times.clone();
        assert!(!times.is_empty(), "no {k:?} mark");
        // Under each mark, a mark (another kind wins only where it is as near and drawn above).
        let (mut own, mut beside_own) = (0, 0);
        for &t in &times {
            let near = ix.near(column(t, cols, span), cols, span);
            let (kind, event, _) = near.mark.unwrap_or_else(|| panic!("nothing under the {k:?} mark at {t}"));
            if kind != k {
                assert!(kind as usize > k as usize, "{kind:?} over {k:?} at {t}");
                continue;
            }
            own += 1;
            let e = m.timeline().event_to_latest(event as usize).unwrap();
            assert_eq!((e.time, MarkKind::of(&e.what)), (t, Some(k)), "the mark is its event");
            assert!(e.text().contains(words(k)), "the tooltip of a {k:?} mark names it: {}", e.text());
            // A click there, or a pixel or two beside it, goes to its moment, which shows the event.
            assert_eq!(near.time, t);
            for dx in [1, 2] {
                let beside = ix.near(column(t, cols, span) + dx, cols, span);
                if beside.mark.is_some_and(|(kind, i, _)| (kind, i) == (k, event)) {
                    assert_eq!(beside.time, t, "{dx} px beside the {k:?} mark at {t}");
                    beside_own += 1;
                }
            }
            m.apply(Op::Seek(near.time.min(latest))).unwrap();
            assert_eq!(m.cluster().now(), t);
            assert!(m.cluster().events().iter().any(|x| x.time == t && MarkKind::of(&x.what) == Some(k)));
        }
        assert!(
            own > 0 && beside_own > 0,
            "no {k:?} mark of its own under the pointer ({own}) and beside it ({beside_own})"
        );
    }
}

#[test]
fn seeking_back_before_a_violation_shows_the_safety_badge_clean_again_and_forward_violated() {
    let mut m = figure_8_unsafe();
    let latest = m.timeline().latest();
    let v: Vec<(u64, &str)> = m.cluster().violations().iter().map(|v| (v.time, v.property.name())).collect();
    assert_eq!(v, [(832, "Leader Completeness"), (910, "State Machine Safety")]);
    // The badge reads the shown moment's violations (the first names it); state() says the same.
    let badge = |m: &Model| {
        let safe = serde_json::to_value(page_state(m)).unwrap()["safety"]["safe"].as_bool().unwrap();
        let shown: Vec<&str> = m.cluster().violations().iter().map(|v| v.property.name()).collect();
        assert_eq!(safe, shown.is_empty(), "state().safety agrees with the badge");
        shown.first().map(|s| s.to_string())
    };
    assert_eq!(badge(&m).as_deref(), Some("Leader Completeness"));
    for (t, want) in [
        (831, None),
        (832, Some("Leader Completeness")),
        (0, None),
        (909, Some("Leader Completeness")),
        (500, None),
        (latest, Some("Leader Completeness")),
        (831, None),
    ] {
        m.apply(Op::Seek(t)).unwrap();
        assert_eq!((m.cluster().now(), badge(&m).as_deref()), (t, want), "at {t} ms");
    }
    assert_eq!(m.cluster().violations().len(), 0);
    m.apply(Op::Seek(910)).unwrap();
    assert_eq!(m.cluster().violations().len(), 2);
    // Stepping back over the violation clears it too.
    m.apply(Op::Seek(832)).unwrap();
    m.apply(Op::StepBack).unwrap();
    assert!(m.cluster().now() < 832 && badge(&m).is_none(), "at {} ms", m.cluster().now());
}

#[test]
fn an_hour_of_writes_draws_in_a_few_paths_no_longer_than_the_strip_is_wide() {
    let mut m = model(5, 5);
    with_leader(&mut m);
    // A write every 100 ms for an hour would be slow in a debug build: the
    // index is fed made-up marks of that density instead.
    let mut ix = StripIndex::default();
    ix.update(m.timeline(), m.run);
    let hour = 3_600_000;
    let w = &mut ix.marks[MarkKind::Write as usize];
    w.times = (0..36_000).map(|i| i * 100).collect();
    w.events = (0..36_000).collect();
    let e = &mut ix.marks[MarkKind::Election as usize];
    e.times = (0..36_000).map(|i| i * 100).collect();
    e.events = (0..36_000).collect();
    let d = strip_draw(&ix, hour / 2, hour, 700);
    let path = |class: &str| d.marks.iter().find(|(c, _)| *c == class).map(|(_, p)| p.clone()).unwrap();
    assert_eq!(path("mk-write").matches('M').count(), 1, "one run across every column");
    let glyphs = path("mk-election").matches('M').count();
    assert!(glyphs <= 700 / 3 + 1, "at most one glyph every 3 columns: {glyphs}");
    assert_eq!((d.now_x, d.latest_x), (350, 699));
    assert!(d.bands.len() <= 2 * 7 + 1);
}

#[test]
fn seeking_shows_an_earlier_moment_exactly_and_playing_on_gives_the_same_run() {
    // The run, with what state() said at moments without an action of their own.
    let mut m = model(5, 12);
    let mut seen = Vec::new();
    let mut rng = SimRng::new(12);
    let leader = with_leader(&mut m);
    for i in 0..60 {
        m.apply(Op::Advance(1 + below(&mut rng, 120))).unwrap();
        seen.push(serde_json::to_value(page_state(&m)).unwrap());
        match i {
            10 | 30 | 50 => m.apply(write("y", i)).unwrap(),
            20 => m.apply(Op::Sim(Action::Crash { node: leader })).unwrap(),
            40 => m.apply(Op::Sim(Action::Restart { node: leader })).unwrap(),
            _ => {}
        }
    }
    let (end, hash) = (m.cluster().now(), m.cluster().trace_hash());
    // (A moment with an action is shown after its actions, as the run left it.)
    let acted: Vec<u64> = m.cluster().history().iter().map(|(t, _)| *t).collect();
    seen.retain(|v| !acted.contains(&v["now"].as_u64().unwrap()));
    assert!(seen.len() > 50);
    // Back and forth in a random order: each moment exactly as it was.
    for _ in 0..120 {
        let want = &seen[below(&mut rng, seen.len() as u64) as usize];
        let t = want["now"].as_u64().unwrap();
        m.apply(Op::Seek(t)).unwrap();
        assert!(&serde_json::to_value(page_state(&m)).unwrap() == want, "state() at {t} ms differs");
    }
    // Playing on from the past replays the same future (nothing forks).
    m.apply(Op::Seek(seen[5]["now"].as_u64().unwrap())).unwrap();
    m.apply(Op::Play).unwrap();
    let mut wall = 0.0;
    m.speed = 1.0;
    m.tick(wall);
    while m.cluster().now() < end {
        wall += 100.0;
        m.tick(wall);
    }
    m.apply(Op::Seek(end)).unwrap();
    assert_eq!((m.cluster().trace_hash(), m.timeline().branches().len()), (hash, 1));
    // Past the latest moment: the run goes on.
    assert_eq!(m.apply(Op::Seek(end + 500)), Ok(()));
    assert_eq!(m.timeline().latest(), end + 500);
    assert!(m.apply(Op::Seek(u64::MAX)).is_err(), "past the end of the timeline");
}

#[test]
fn step_back_pauses_and_walks_back_the_moments_step_walks() {
    let mut m = model(3, 4);
    m.apply(Op::Play).unwrap();
    let mut forward = vec![m.cluster().now()];
    for _ in 0..40 {
        m.apply(Op::Step).unwrap();
        forward.push(m.cluster().now());
    }
    m.apply(Op::Play).unwrap();
    for want in forward.iter().rev().skip(1) {
        m.apply(Op::StepBack).unwrap();
        assert!(!m.playing, "stepping back pauses");
        assert_eq!(m.cluster().now(), *want);
    }
    m.apply(Op::StepBack).unwrap();
    assert_eq!(m.cluster().now(), 0, "at the start it stays there");
    m.apply(Op::SeekLatest).unwrap();
    assert_eq!(m.cluster().now(), *forward.last().unwrap());
}

#[test]
fn acting_in_the_past_forks_a_branch_and_the_old_one_can_be_switched_back_to() {
    let mut m = model(5, 6);
    let leader = with_leader(&mut m);
    m.apply(write("x", 1)).unwrap();
    m.apply(Op::Advance(2_000)).unwrap();
    // Inspecting a message, then going where it is not in flight, closes the inspector.
    with_messages(&mut m, 1);
    let (end, hash) = (m.cluster().now(), m.cluster().trace_hash());
    let id = m.cluster().messages()[0].id;
    m.apply(Op::Inspect(Some(id))).unwrap();
    m.apply(Op::Seek(end - 1_500)).unwrap();
    assert_eq!(m.inspected, None);
    let before = m.cluster().now();
    m.apply(Op::Sim(Action::Crash { node: leader })).unwrap();
    let branches = m.timeline().branches();
    assert_eq!(branches.len(), 2);
    let new = branches.iter().find(|b| b.current).unwrap();
    assert_eq!((new.id, new.forked_at), (2, before));
    assert!(new.name.contains("crash"), "{}", new.name);
    assert!(notice(&m).is_some_and(|(t, e)| !e && t.contains("branch 2")), "{:?}", notice(&m));
    m.apply(Op::Advance(1_000)).unwrap();
    // Back to the first branch, at its latest moment: the same run as before.
    m.apply(Op::SwitchBranch(1)).unwrap();
    assert_eq!((m.cluster().now(), m.cluster().trace_hash()), (end, hash));
    assert_eq!(m.cluster().trace_hash(), again_hash_of(6, m.cluster().history(), m.cluster().now()));
    assert!(m.timeline().branches().iter().any(|b| b.id == 1 && b.current));
    // branches() hands out what serde writes for them (the first has no parent: null).
    let list = m.timeline().branches();
    let mine: serde_json::Value = serde_json::from_str(&raft_playground::view::json::branches(&list)).unwrap();
    assert_eq!(mine, serde_json::to_value(&list).unwrap());
    assert_eq!(mine[0]["parent"], serde_json::Value::Null);
    assert!(m.apply(Op::SwitchBranch(9)).is_err());
    assert!(notice(&m).is_some_and(|(t, e)| e && t.contains("no branch 9")), "{:?}", notice(&m));
}

/// The trace hash of a straight run of `actions` to `end` on the page's config (5 servers).
fn again_hash_of(seed: u64, actions: &[(u64, Action)], end: u64) -> u64 {
    raft_playground::sim::Cluster::replay(page_config(5, seed), actions, end).unwrap().trace_hash()
}

// ----- the Script panel (issue 8): export, run, errors -----
// The panel is www/script-panel.js (e2e/timeline.test.mjs and
// e2e/address-script.test.mjs test it on the built page); it asks the script
// worker (`answer_request`, as here) and hands the page a script's run as a
// share link's code, which `Model::open_script_run` opens.

/// What the script worker answers `request` (as its text, read back).
#[cfg(all(feature = "script-panel", feature = "script-lang"))]
fn worker_answer(request: &str) -> raft_playground::script::answer::Answer {
    let text = raft_playground::script::answer::answer_request(request);
    raft_playground::script::answer::Answer::decode(&text).expect("an answer the panel reads")
}

#[test]
#[cfg(all(feature = "script-panel", feature = "script-lang"))]
fn a_run_exported_as_a_script_and_run_again_replays_identically() {
    use raft_playground::script::answer::Answer;
    let mut m = model(5, 15);
    eventful(&mut m);
    m.apply(Op::Seek(3_000)).unwrap();
    m.apply(Op::Sim(Action::Timeout { node: s(2) })).unwrap();
    m.apply(Op::Advance(700)).unwrap();
    let (end, hash, run) = (m.cluster().now(), m.cluster().trace_hash(), m.run);
    // "From the run": the branch, up to the moment shown, as the share link holds it.
    let Answer::Script(text) = worker_answer(&format!("x{}", m.share_code().unwrap())) else { panic!("a script") };
    assert!(text.contains("timeout S3"), "{text}");
    let Answer::Ran { code, met, failed, first_failure, .. } = worker_answer(&format!("r{text}")) else {
        panic!("a run")
    };
    assert_eq!((met, failed, first_failure), (0, 0, None));
    assert_eq!(m.open_script_run(&code), Ok(end), "it ran to the moment exported");
    assert_eq!(m.run, run + 1, "a new run");
    assert!(m.playing, "it plays from its start");
    assert_eq!((m.cluster().now(), m.timeline().latest()), (0, end));
    m.apply(Op::Seek(end)).unwrap();
    assert_eq!(m.cluster().trace_hash(), hash, "the same run");
}

#[test]
#[cfg(all(feature = "script-panel", feature = "script-lang"))]
fn a_script_that_does_not_parse_or_fails_is_answered_with_its_line() {
    use raft_playground::script::answer::Answer;
    use raft_playground::script::OutcomeKind;
    let Answer::NotRun(p) = worker_answer("rservers 5\nwait 1s\nat 2s crash S9\nexpect no violation\n") else {
        panic!("not run")
    };
    assert_eq!((p.line, p.column), (3, Some(13)));
    assert!(p.message.contains("line 3, column 13: there is no server S9"), "{}", p.message);
    let text = "servers 3\nseed 4\nwait until leader within 5s\nexpect term S1 99\nsay \"so there\"\n";
    let Answer::Ran { code, met, failed, first_failure, outcomes } = worker_answer(&format!("r{text}")) else {
        panic!("a run")
    };
    assert_eq!((met, failed), (1, 1));
    let f = first_failure.expect("the failing line");
    assert_eq!(f.line, 4);
    assert!(f.text.contains("99"), "{}", f.text);
    let kinds: Vec<_> = outcomes.iter().map(|o| (o.line, o.kind)).collect();
    assert_eq!(kinds, [(3, OutcomeKind::Met), (4, OutcomeKind::Failed), (5, OutcomeKind::Said)]);
    let mut m = model(5, 17);
    m.open_script_run(&code).unwrap();
    assert_eq!(m.cluster().servers().len(), 3, "the script's run");
}

/// A code that cannot be opened (the panel hands the page only what the
/// worker answered, but the door is checked all the same) is refused with
/// why, and the page keeps its run.
#[test]
#[cfg(feature = "script-panel")]
fn a_script_run_that_cannot_be_opened_is_refused_and_the_run_stays() {
    let mut m = model(5, 16);
    with_leader(&mut m);
    let (now, hash, run) = (m.cluster().now(), m.cluster().trace_hash(), m.run);
    let good = m.share_code().unwrap();
    for bad in ["", "junk", &good[..good.len() / 2], "!!!!"] {
        assert!(m.open_script_run(bad).is_err(), "{bad:?}");
        assert_eq!((m.cluster().now(), m.cluster().trace_hash(), m.run), (now, hash, run), "{bad:?}: the run it had");
    }
}

/// Whether two JSON values are the same for JavaScript: numbers by value
/// (serde_json writes 1.0 as `1.0`, JavaScript as `1`), the rest alike.
fn same_for_js(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => x.as_f64() == y.as_f64(),
        (V::Array(x), V::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_for_js(x, y)),
        (V::Object(x), V::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_for_js(v, w)))
        }
        _ => a == b,
    }
}

/// Checks the page's own JSON for `state()` and `events()` against serde_json's
/// for the same values; returns the event types seen.
fn json_as_serde_writes(m: &Model) -> Vec<String> {
    use raft_playground::view::events::{events_from, events_json};
    let st = page_state(m);
    let mine: serde_json::Value = serde_json::from_str(&state_json(m)).expect("state() is JSON");
    let theirs = serde_json::to_value(&st).unwrap();
    assert!(same_for_js(&mine, &theirs), "state() differs:\n{mine}\n{theirs}");
    let all = events_from(m.cluster().events(), 0, usize::MAX);
    let mine: serde_json::Value =
        serde_json::from_str(&events_json(m.cluster().events(), 0, usize::MAX)).expect("events() is JSON");
    let theirs = serde_json::to_value(&all).unwrap();
    for (a, b) in mine.as_array().unwrap().iter().zip(theirs.as_array().unwrap()) {
        assert!(same_for_js(a, b), "an event differs:\n{a}\n{b}");
    }
    assert_eq!(mine.as_array().unwrap().len(), all.len());
    // A page of them (`events(from, count)`): the same events as `events_from` gives.
    let ev = m.cluster().events();
    for (from, count) in [(3, 5), (ev.len().saturating_sub(2), 10), (ev.len(), 10), (usize::MAX, 1)] {
        let mine: serde_json::Value = serde_json::from_str(&events_json(ev, from, count)).unwrap();
        let theirs = serde_json::to_value(events_from(ev, from, count)).unwrap();
        assert!(same_for_js(&mine, &theirs), "events({from}, {count}) differs");
    }
    theirs.as_array().unwrap().iter().map(|e| e["data"]["type"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_json_the_page_hands_out_is_what_serde_writes_for_every_kind_of_event() {
    use raft_playground::sim::{Links, Rng, SwitchValue, SWITCHES};
    let mut seen = std::collections::BTreeSet::new();
    // The scenario corpus (Figure 8 broken, drops, duplicates, transfers...).
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for f in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let script = raft_playground::script::parse(&text).unwrap();
        let run = raft_playground::script::run(&script).unwrap().cluster;
        let tl = raft_playground::timeline::Timeline::from_recording(&raft_playground::script::Recording::of(&run));
        let m = Model::from_timeline(tl.unwrap(), DEFAULT_SPEED, false);
        seen.extend(json_as_serde_writes(&m));
    }
    // Random runs with every action, a broken Raft now and then, a write
    // during a transfer, messages dropped and duplicated at any moment, reads,
    // and the nodes' options and what-if switches turned at any moment.
    for seed in 0..12 {
        let mut rng = Rng::new(seed);
        let mut config = page_config(3 + (seed % 5) as usize, seed);
        (config.client_timeout_ms, config.client_give_up_ms) = (150, 900);
        if seed % 3 == 0 {
            config.raft.unsafe_skip_vote_log_check = true;
            config.raft.unsafe_commit_old_terms = true;
        }
        let mut m = Model::from_config(config, DEFAULT_SPEED, false).unwrap();
        m.apply(Op::Select(Some(s(1)))).unwrap();
        if seed % 2 == 1 {
            // Production options from the start: pre-vote, check-quorum, the lease.
            for (name, value) in [
                ("pre_vote", SwitchValue::Flag(true)),
                ("check_quorum", SwitchValue::Flag(true)),
                ("read_mode", SwitchValue::Choice(if seed % 4 == 1 { "lease" } else { "read_index" }.into())),
            ] {
                m.apply(Op::Sim(Action::SetOption { name: name.into(), value })).unwrap();
            }
        }
        for step in 0..300u64 {
            let n = m.cluster().servers().len();
            let any = s(rng.range(0, n as u64 - 1) as usize);
            let ids: Vec<u64> = m.cluster().messages().iter().map(|x| x.id).collect();
            let action = match rng.range(0, 26) {
                0..=4 => Action::Write { command: Command::set("k", step as i64 - 9), to: None },
                5 | 22 => Action::Read { key: "k".into(), to: None },
                23 => Action::Read { key: "never".into(), to: Some(any) },
                24 | 25 => {
                    let sw = &SWITCHES[rng.range(0, SWITCHES.len() as u64 - 1) as usize];
                    let value = if sw.is_flag() {
                        SwitchValue::Flag(rng.chance(0.5))
                    } else if !sw.choices().is_empty() {
                        SwitchValue::Choice(sw.choices()[rng.range(0, sw.choices().len() as u64 - 1) as usize].into())
                    } else if sw.is_limit() && rng.chance(0.3) {
                        SwitchValue::Flag(false)
                    } else {
                        SwitchValue::Count(rng.range(1, 3))
                    };
                    Action::SetOption { name: sw.name.into(), value }
                }
                6 => Action::Crash { node: any },
                7 | 8 => Action::Restart { node: any },
                9 => Action::Partition { groups: vec![vec![s(0)], (1..n).map(s).collect()] },
                10 => Action::Heal,
                11 => Action::Disconnect { node: any },
                12 => Action::Reconnect { node: any },
                13 => Action::Timeout { node: any },
                14 => Action::TransferLeadership { to: any },
                15 => Action::SetDropRate { rate: rng.range(0, 20) as f64 / 100.0 + rng.unit() / 1e6 },
                16 => Action::SetLatency { lo: 2, hi: rng.range(5, 60) },
                17 => Action::SetElectionTimeout { lo: 150, hi: rng.range(150, 400) },
                18 => Action::SetHeartbeat { ms: rng.range(20, 80) },
                19 => Action::SetLinks { links: if rng.chance(0.5) { Links::Reorder } else { Links::InOrder } },
                20 => Action::DropMessage { id: ids.first().copied().unwrap_or(0) },
                _ => Action::DuplicateMessage { id: ids.last().copied().unwrap_or(0) },
            };
            let _ = m.apply(Op::Sim(action));
            m.apply(Op::Advance(rng.range(1, 120))).unwrap();
            if step % 50 == 0 {
                seen.extend(json_as_serde_writes(&m));
            }
        }
        seen.extend(json_as_serde_writes(&m));
    }
    let every = [
        "started",
        "crashed",
        "restarted",
        "timeout_forced",
        "election_started",
        "voted",
        "vote_refused",
        "leader_elected",
        "stepped_down",
        "appended",
        "committed",
        "truncated",
        "append_rejected",
        "backed_up",
        "transfer_started",
        "timeout_now_sent",
        "transfer_aborted",
        "disconnected",
        "reconnected",
        "partitioned",
        "healed",
        "message_dropped",
        "message_duplicated",
        "setting_changed",
        "client_write",
        "client_redirected",
        "client_no_leader",
        "client_busy",
        "client_timed_out",
        "client_acked",
        "client_gave_up",
        "violation",
        "pre_vote_started",
        "pre_vote_granted",
        "pre_vote_refused",
        "lost_quorum",
        "option_changed",
        "client_read",
        "client_read_done",
        "client_read_gave_up",
        "read_started",
        "read_answered",
        "duplicate",
    ];
    let missing: Vec<&str> = every.iter().copied().filter(|t| !seen.contains(*t)).collect();
    assert!(missing.is_empty(), "no event of these types was checked: {missing:?}");
}

/// `SetOption` for option `name` set to `value`.
fn set_opt(name: &str, value: SwitchValue) -> Action {
    Action::SetOption { name: name.to_string(), value }
}

#[test]
fn the_options_presets_are_the_defaults_production_raft_and_every_what_if_switch() {
    let seed = preset(0).unwrap();
    assert_eq!(seed, Settings::default());
    let prod = preset(1).unwrap();
    assert!(prod.pre_vote && prod.check_quorum && prod.fast_backup && prod.read_mode == ReadMode::ReadIndex);
    let broken = preset(2).unwrap();
    for w in SWITCHES {
        let on = w.get(&broken) == SwitchValue::Flag(true);
        assert_eq!(on, w.breaks_raft || w.get(&seed) == SwitchValue::Flag(true), "{}", w.name);
    }
    assert_eq!(preset(PRESETS.len()), None);
    // Each preset is recognised, and a change of one option leaves every preset.
    for i in 0..PRESETS.len() {
        assert_eq!(preset_of(&preset(i).unwrap()), Some(i));
    }
    assert_eq!(preset_of(&Settings { pre_vote: true, ..Settings::default() }), None);
    // Every option the panel lists exists and is on/off or a choice.
    for n in RAFT_OPTIONS {
        let w = Switch::named(n).unwrap();
        assert!(!w.breaks_raft && (w.is_flag() || !w.choices().is_empty()), "{n}");
    }
}

#[test]
fn a_click_in_the_options_group_gives_one_action_per_option_it_changes() {
    let cur = Settings::default();
    // A preset: only what differs, in SWITCHES' order.
    assert_eq!(
        option_click(&cur, Some("1"), None, None, false),
        vec![
            set_opt("fast_backup", SwitchValue::Flag(true)),
            set_opt("pre_vote", SwitchValue::Flag(true)),
            set_opt("check_quorum", SwitchValue::Flag(true)),
        ]
    );
    assert_eq!(option_changes(&preset(1).unwrap(), &cur).len(), 3);
    assert_eq!(option_click(&cur, Some("0"), None, None, false), vec![]);
    assert_eq!(option_click(&cur, Some("9"), None, None, false), vec![]);
    // A checkbox: its new state; a radio button: its choice; nothing when already so.
    assert_eq!(
        option_click(&cur, None, Some("pre_vote"), None, true),
        vec![set_opt("pre_vote", SwitchValue::Flag(true))]
    );
    assert_eq!(option_click(&cur, None, Some("leader_noop"), None, true), vec![]);
    assert_eq!(
        option_click(&cur, None, Some("leader_noop"), None, false),
        vec![set_opt("leader_noop", SwitchValue::Flag(false))]
    );
    assert_eq!(
        option_click(&cur, None, Some("read_mode"), Some("lease"), false),
        vec![set_opt("read_mode", SwitchValue::Choice("lease".into()))]
    );
    assert_eq!(option_click(&cur, None, Some("read_mode"), Some("read_index"), true), vec![]);
    // Unknown names and values, or a click outside any control: nothing.
    assert_eq!(option_click(&cur, None, Some("nope"), None, true), vec![]);
    assert_eq!(option_click(&cur, None, Some("read_mode"), Some("guess"), true), vec![]);
    assert_eq!(option_click(&cur, None, None, None, true), vec![]);
    // The actions change the running cluster's options, and the feed says so.
    let mut m = model(3, 7);
    for a in option_click(&cur, Some("2"), None, None, false) {
        m.apply(Op::Sim(a)).unwrap();
    }
    assert_eq!(preset_of(&m.cluster().config().raft), Some(2));
    let texts: Vec<String> = m.cluster().events().iter().rev().take(5).map(|e| e.text()).collect();
    assert!(texts.iter().all(|t| t.starts_with("what if (not Raft): ")), "{texts:?}");
    assert!(texts.contains(&"what if (not Raft): forget the vote on restart on".to_string()), "{texts:?}");
}
