//! Browser tests of the page (wasm-bindgen-test in headless Chromium):
//! `wasm-pack test --headless --chrome -- --test web`, run by scripts/test-web.sh.
//!
//! Each test mounts a fresh page, paused, into its own element, and drives it
//! through `window.raftPlayground` exactly as a script would: `advance(ms)` makes
//! time pass deterministically, so no test depends on wall-clock timing.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Promise, Reflect};
use raft_playground::api::{mount_model, mount_playground, show_panic_overlay};
use raft_playground::raft::Settings;
use raft_playground::sim::Config;
use raft_playground::sim::{determinism_run, DETERMINISM_TRACE_HASH};
use raft_playground::view::model::{Model, DEFAULT_SPEED};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// The panels' long texts (the Legend's, the help's, the Setup options'),
/// which the page fetches from `panel-texts.txt`: the test server has no
/// such file, so each page mounted is given them (see `panel_texts` for the fetch).
const PANEL_TEXTS: &str = include_str!("../www/panel-texts.txt");

fn fresh_root() -> Element {
    raft_playground::ui::texts::set_texts(Some(PANEL_TEXTS));
    let doc = document();
    // What a failed test left: a panic aborts the wasm test, so no `Drop`
    // ran (the feed's timer held, the test's styles).
    drop_feed_timer();
    let left = doc.query_selector_all("style[data-test-css]").unwrap();
    for i in 0..left.length() {
        if let Some(style) = left.get(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            style.remove();
        }
    }
    if let Some(old) = doc.get_element_by_id("test-root") {
        old.remove();
    }
    let root = doc.create_element("div").unwrap();
    root.set_id("test-root");
    root.set_attribute("style", "width:1280px;height:800px;position:relative").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

/// Mounts a fresh, paused page with `servers` servers and `seed`.
fn mount(servers: u32, seed: u32) -> Element {
    let root = fresh_root();
    let opts = Object::new();
    Reflect::set(&opts, &"servers".into(), &servers.into()).unwrap();
    Reflect::set(&opts, &"seed".into(), &seed.into()).unwrap();
    Reflect::set(&opts, &"paused".into(), &true.into()).unwrap();
    mount_playground(root.clone().into(), opts.into()).unwrap_or_else(|_| panic!("mounting failed"));
    root
}

/// Lets Yew render: waits for two animation frames, then 30 ms at a time
/// until the event feed's list is not busy (up to about 1.2 s).
async fn settle() {
    let w = web_sys::window().unwrap();
    for _ in 0..2 {
        let frame = Promise::new(&mut |resolve, _| {
            w.request_animation_frame(&resolve).unwrap();
        });
        JsFuture::from(frame).await.unwrap();
    }
    // Then until the event feed has written the rows it left for later
    // (`aria-busy` on the list; about 60 ms after a seek), up to about 1 s.
    let doc = w.document().unwrap();
    for _ in 0..40 {
        let p = Promise::new(&mut |resolve, _| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30).unwrap();
        });
        JsFuture::from(p).await.unwrap();
        if doc.query_selector(".feed[aria-busy]").unwrap().is_none() {
            break;
        }
    }
}

/// Waits until the next frame is drawn: an animation frame, then a task
/// queued from it (it runs after that frame's layout and paint).
async fn drawn() {
    let w = web_sys::window().unwrap();
    let frame = Promise::new(&mut |resolve, _| {
        w.request_animation_frame(&resolve).unwrap();
    });
    JsFuture::from(frame).await.unwrap();
    let task = Promise::new(&mut |resolve, _| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    JsFuture::from(task).await.unwrap();
}

/// Waits (a render at a time, up to about 3 s) until `cond` holds; false if it never did.
/// For what the page draws after an action: a slow render must not fail a test.
async fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    for _ in 0..60 {
        if cond() {
            return true;
        }
        settle().await;
    }
    cond()
}

/// Calls `window.raftPlayground[method](...args)` as JavaScript would.
fn call(method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let rp = Reflect::get(&web_sys::window().unwrap(), &"raftPlayground".into())?;
    let f: Function = Reflect::get(&rp, &method.into())?.dyn_into()?;
    let a = Array::new();
    for x in args {
        a.push(x);
    }
    f.apply(&rp, &a)
}

fn ok(method: &str, args: &[JsValue]) -> JsValue {
    call(method, args).unwrap_or_else(|e| panic!("{method} threw: {}", message(&e)))
}

fn message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap_or(JsValue::UNDEFINED))
}

fn state() -> JsValue {
    ok("state", &[])
}

fn servers(st: &JsValue) -> Vec<JsValue> {
    Array::from(&get(st, "servers")).iter().collect()
}

fn leader() -> Option<String> {
    get(&state(), "leader").as_string()
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

/// Advances in small slices until `cond` holds (at most `limit_ms` of virtual time).
fn advance_until(limit_ms: u32, mut cond: impl FnMut() -> bool) -> bool {
    let mut t = 0;
    while t < limit_ms {
        if cond() {
            return true;
        }
        ok("advance", &[50.into()]);
        t += 50;
    }
    cond()
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_draws_n_servers() {
    for n in [3u32, 5, 7, 9] {
        let root = mount(n, 1);
        settle().await;
        assert_eq!(count(&root, "svg.ring [data-server]"), n, "servers on the ring");
        assert_eq!(count(&root, "[data-log]"), n, "rows of the log grid");
        assert_eq!(servers(&state()).len() as u32, n);
        let names: Vec<String> = (1..=n)
            .map(|i| {
                root.query_selector(&format!("[data-server=\"{i}\"] .name")).unwrap().unwrap().text_content().unwrap()
            })
            .collect();
        assert_eq!(names, (1..=n).map(|i| format!("S{i}")).collect::<Vec<_>>());
        // The seed is always shown.
        assert!(root.query_selector(".seed").unwrap().unwrap().text_content().unwrap().contains('1'));
    }
}

#[wasm_bindgen_test]
async fn a_leader_appears() {
    let root = mount(5, 11);
    assert_eq!(leader(), None, "nobody leads at time 0");
    assert!(advance_until(5_000, || leader().is_some()), "a leader within 5 virtual seconds");
    settle().await;
    let l = leader().unwrap();
    assert_eq!(count(&root, "[data-role=\"leader\"]"), 1, "one leader drawn");
    let id = l.trim_start_matches('S');
    assert!(
        root.query_selector(&format!("[data-server=\"{id}\"] .crown")).unwrap().is_some(),
        "the leader wears the crown"
    );
    assert_eq!(get(&state(), "safety.safe"), JsValue::TRUE);
    assert!(root.query_selector("[data-safety=\"ok\"]").unwrap().is_some(), "the safety badge is green");
}

#[wasm_bindgen_test]
async fn crashing_the_leader_through_the_api_leads_to_a_new_leader() {
    let root = mount(5, 3);
    assert!(advance_until(5_000, || leader().is_some()));
    let old = leader().unwrap();
    ok("crash", &[old.clone().into()]);
    assert_eq!(leader(), None, "the crashed leader no longer leads");
    assert!(advance_until(10_000, || leader().is_some_and(|l| l != old)), "a new leader after the crash");
    settle().await;
    let id = old.trim_start_matches('S');
    let crashed = root.query_selector(&format!("[data-server=\"{id}\"]")).unwrap().unwrap();
    assert_eq!(crashed.get_attribute("data-role").as_deref(), Some("crashed"));
    assert_eq!(count(&root, "[data-role=\"leader\"]"), 1);
    assert_eq!(get(&state(), "safety.safe"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn a_client_write_commits_and_shows_in_every_running_servers_log() {
    let root = mount(5, 5);
    assert!(advance_until(5_000, || leader().is_some()));
    let l = leader().unwrap();
    // One follower down: the write must still reach every running server.
    let follower =
        servers(&state()).into_iter().map(|s| get(&s, "name").as_string().unwrap()).find(|n| *n != l).unwrap();
    ok("crash", &[follower.clone().into()]);
    ok("write", &["x".into(), 3.into()]);
    assert!(
        advance_until(5_000, || {
            let st = state();
            get(&Array::from(&get(&st, "client")).get(0), "status").as_string().as_deref() == Some("acknowledged")
                && servers(&st).iter().filter(|s| get(s, "up") == JsValue::TRUE).all(|s| {
                    Array::from(&get(s, "log")).iter().any(|e| {
                        get(&e, "command").as_string().as_deref() == Some("x ← 3")
                            && get(&e, "committed") == JsValue::TRUE
                    })
                })
        }),
        "the write is acknowledged and committed on every running server"
    );
    settle().await;
    for s in servers(&state()) {
        let id = get(&s, "id").as_f64().unwrap() as u32;
        let cells = root.query_selector_all(&format!("[data-log=\"{id}\"] .cell.committed .cmd")).unwrap();
        let has = (0..cells.length()).any(|i| cells.get(i).and_then(|n| n.text_content()).as_deref() == Some("x←3"));
        if get(&s, "up") == JsValue::TRUE {
            assert!(has, "S{id}'s row of the log grid shows x←3 committed");
        }
    }
    // The client panel lists the write as acknowledged.
    ok("showPanel", &["client".into()]);
    settle().await;
    assert_eq!(count(&root, ".ops .op.acked"), 1);
    // The state panel shows every running server's key-value state.
    ok("showPanel", &["state".into()]);
    settle().await;
    assert_eq!(count(&root, ".kv-chip[data-key=\"x\"]"), 4, "x=3 applied on the four running servers");
}

#[wasm_bindgen_test]
async fn bad_api_calls_throw_clear_errors_and_the_page_keeps_working() {
    let _root = mount(5, 9);
    // The panels this build has, in the tab bar's order (the features change them).
    let ids: Vec<&str> = raft_playground::view::model::Tab::ALL.iter().map(|t| t.id()).collect();
    let no_panel = format!("expected one of {}; got the string \"nope\"", ids.join(", "));
    let cases: Vec<(&str, Vec<JsValue>, &str)> = vec![
        ("crash", vec!["S42".into()], "there is no server S42"),
        ("crash", vec![42.into()], "there is no server S42"),
        ("crash", vec![0.into()], "there is no server S0"),
        ("crash", vec!["banana".into()], "expected a server"),
        ("crash", vec![JsValue::UNDEFINED], "expected a server"),
        ("crash", vec![Object::new().into()], "expected a server"),
        ("crash", vec![2.5.into()], "expected a server"),
        ("crash", vec!["S-1".into()], "expected a server"),
        ("crash", vec!["+2".into()], "expected a server"),
        ("crash", vec!["2".into()], "expected a server"),
        ("crash", vec!["S".into()], "expected a server"),
        ("crash", vec!["S2x".into()], "expected a server"),
        ("crash", vec![(-1).into()], "there is no server -1"),
        ("crash", vec![1e300.into()], "there is no server 1e+300 (this cluster has S1 to S5)"),
        ("crash", vec![f64::INFINITY.into()], "got the number Infinity"),
        ("crash", vec![f64::NEG_INFINITY.into()], "got the number -Infinity"),
        ("crash", vec!["S123456789012345678901234567890".into()], "there is no server S1234567890123456789012… (this"),
        ("advance", vec![1e300.into()], "got the number 1e+300"),
        ("advance", vec![f64::INFINITY.into()], "got the number Infinity"),
        ("restart", vec![1.into()], "S1 is already running"),
        ("write", vec![3.into(), "x".into()], "the key must be a string"),
        ("write", vec!["x".into(), "three".into()], "the value must be a number"),
        ("write", vec!["x y".into(), 1.into()], "is not valid"),
        ("write", vec!["k".repeat(500).into(), 1.into()], "is not valid"),
        ("write", vec!["x".into(), f64::NAN.into()], "whole number"),
        ("advance", vec!["10".into()], "ms must be a number"),
        ("advance", vec![(-1).into()], "whole number from 0"),
        ("partition", vec!["S1".into()], "expected an array of groups"),
        ("partition", vec![Array::of1(&"S1".into()).into()], "each group must be an array"),
        ("partition", vec![Array::of2(&Array::of1(&1.into()), &Array::of1(&1.into())).into()], "two partition groups"),
        ("setSpeed", vec![50.into()], "speed must be a number from 0.001"),
        ("dropMessage", vec![123456.into()], "no message #123456 is in flight"),
        ("transferLeadership", vec![2.into()], "no running server is the leader"),
        ("showPanel", vec!["nope".into()], &no_panel),
        ("showPanel", vec!["servers".into()], "expected one of"),
        ("reset", vec![js_sys::JSON::parse("{\"seeed\": 1}").unwrap()], "unknown field `seeed`"),
        ("reset", vec![js_sys::JSON::parse("[1, 2]").unwrap()], "options must be an object such as"),
        (
            "reset",
            vec![js_sys::JSON::parse("{\"seed\": \"7\"}").unwrap()],
            "seed must be a number, got the string \"7\"",
        ),
        (
            "reset",
            vec![js_sys::JSON::parse("{\"servers\": 12}").unwrap()],
            "servers must be a whole number from 3 to 9",
        ),
    ];
    for (method, args, expected) in cases {
        let e = call(method, &args).expect_err(&format!("{method}({args:?}) must throw"));
        assert!(e.is_instance_of::<js_sys::Error>(), "{method} throws a real Error");
        let m = message(&e);
        assert!(m.starts_with(&format!("raftPlayground.{method}: ")), "{m}");
        assert!(m.contains(expected), "{method}: {m:?} should mention {expected:?}");
        assert!(m.chars().count() < 160, "{method}: a long value is echoed briefly: {m:?}");
    }
    // Nothing broke: the page still answers and time still moves.
    let before = ok("now", &[]).as_f64().unwrap();
    let after = ok("advance", &[100.into()]).as_f64().unwrap();
    assert_eq!(after, before + 100.0);
    ok("crash", &["s2".into()]);
    ok("restart", &[" S2 ".into()]);
}

#[wasm_bindgen_test]
async fn mount_options_are_read_once_and_an_unknown_key_is_named() {
    let root = fresh_root();
    let cases = [
        ("{\"server\": 5}", "unknown field `server`"),
        ("{\"servers\": 5, \"speeed\": 1}", "unknown field `speeed`"),
        ("{\"servers\": 12}", "servers must be a whole number from 3 to 9, got the number 12"),
        ("{\"paused\": \"yes\"}", "paused must be true or false, got the string \"yes\""),
        ("{\"speed\": 5}", "speed must be a number from 0.001"),
        ("{\"seed\": 1e300}", "got the number 1e+300"),
        ("7", "options must be an object, got the number 7"),
    ];
    for (json, expected) in cases {
        let opts = js_sys::JSON::parse(json).unwrap();
        let e: JsValue =
            mount_playground(root.clone().into(), opts).err().unwrap_or_else(|| panic!("{json} must throw")).into();
        assert!(e.is_instance_of::<js_sys::Error>(), "{json}: a real Error");
        let m = message(&e);
        assert!(m.starts_with("raftPlayground.mountPlayground: "), "{m}");
        assert!(m.contains(expected), "{json}: {m:?} should mention {expected:?}");
    }
    // A key set to undefined counts as left out.
    let opts = js_sys::JSON::parse("{\"servers\": 3, \"paused\": true}").unwrap();
    Reflect::set(&opts, &"seed".into(), &JsValue::UNDEFINED).unwrap();
    mount_playground(root.clone().into(), opts).unwrap_or_else(|_| panic!("seed: undefined is left out"));
    assert_eq!(servers(&state()).len(), 3);
    // (A page replaced before it first drew can leave its drawing behind: let it draw.)
    settle().await;
    // Every known key at once.
    let opts = js_sys::JSON::parse("{\"servers\": 4, \"seed\": 12, \"paused\": true, \"speed\": 0.5}").unwrap();
    mount_playground(root.clone().into(), opts).unwrap_or_else(|_| panic!("valid options"));
    let st = state();
    assert_eq!(servers(&st).len(), 4);
    assert_eq!(get(&st, "seed").as_f64(), Some(12.0));
    assert_eq!(get(&st, "speed").as_f64(), Some(0.5));
    assert_eq!(get(&st, "playing"), JsValue::FALSE);
    settle().await;
    assert_eq!(count(&root, "svg.ring [data-server]"), 4);
}

#[wasm_bindgen_test]
fn the_trace_hash_of_the_determinism_run_equals_the_native_constant() {
    assert_eq!(determinism_run().trace_hash(), DETERMINISM_TRACE_HASH);
}

#[wasm_bindgen_test]
async fn the_same_seed_and_the_same_calls_give_the_same_run_on_the_page() {
    let script = |seed: u32| {
        mount(5, seed);
        ok("advance", &[1_500.into()]);
        ok("write", &["x".into(), 1.into()]);
        ok("advance", &[300.into()]);
        ok("crash", &[2.into()]);
        ok("partition", &[Array::of2(&Array::of2(&1.into(), &3.into()), &Array::of2(&4.into(), &5.into())).into()]);
        ok("advance", &[1_000.into()]);
        ok("heal", &[]);
        ok("advance", &[1_000.into()]);
        ok("traceHash", &[]).as_string().unwrap()
    };
    let a = script(77);
    let b = script(77);
    let c = script(78);
    assert_eq!(a, b, "same seed, same calls: same trace");
    assert_ne!(a, c, "another seed: another run");
    settle().await;
}

#[wasm_bindgen_test]
async fn the_server_menu_turns_clicks_into_simulator_calls() {
    let root = mount(5, 21);
    ok("select", &[3.into()]);
    settle().await;
    let menu = root.query_selector(".menu").unwrap().expect("the menu of S3 is open");
    let crash = (0..menu.children().length())
        .filter_map(|i| menu.children().item(i))
        .find(|b| b.text_content().unwrap_or_default().contains("Crash S3"))
        .expect("a Crash S3 button");
    crash.dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    let s3 = servers(&state()).remove(2);
    assert_eq!(get(&s3, "role").as_string().as_deref(), Some("crashed"));
    assert!(root.query_selector(".menu").unwrap().is_none(), "the menu closes after an action");
    assert_eq!(
        root.query_selector("[data-server=\"3\"]").unwrap().unwrap().get_attribute("data-role").as_deref(),
        Some("crashed")
    );
    // Every clickable thing has an accessible name.
    let clickables = root.query_selector_all("button, [role=\"button\"]").unwrap();
    for i in 0..clickables.length() {
        let el: Element = clickables.get(i).unwrap().dyn_into().unwrap();
        let name = el.get_attribute("aria-label").unwrap_or_else(|| el.text_content().unwrap_or_default());
        assert!(!name.trim().is_empty(), "{} has no accessible name", el.outer_html());
    }
}

#[wasm_bindgen_test]
async fn clicking_a_message_shows_its_fields_and_drop_loses_it() {
    let root = mount(5, 4);
    assert!(advance_until(5_000, || leader().is_some()));
    assert!(advance_until(1_000, || Array::from(&get(&state(), "messages")).length() > 0));
    settle().await;
    let st = state();
    let first = Array::from(&get(&st, "messages")).get(0);
    let id = get(&first, "id").as_f64().unwrap() as u64;
    let glyph = root.query_selector(&format!("[data-message=\"{id}\"]")).unwrap().expect("the message is drawn");
    // Yew listens at the root: the click must bubble.
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    glyph.dispatch_event(&click).unwrap();
    settle().await;
    let inspector = root.query_selector(".inspector").unwrap().expect("the inspector opens");
    let text = inspector.text_content().unwrap();
    assert!(text.contains(&format!("Message #{id}")), "{text}");
    assert!(text.contains("term"), "{text}");
    assert_eq!(get(&state(), "playing"), JsValue::FALSE, "inspecting pauses");
    let drop = inspector.query_selector("button[title^=\"The network loses\"]").unwrap().expect("a Drop button");
    drop.dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    let st = state();
    assert!(
        Array::from(&get(&st, "messages")).iter().all(|m| get(&m, "id").as_f64() != Some(id as f64)),
        "no longer in flight"
    );
    assert!(
        Array::from(&get(&st, "lost")).iter().any(|m| get(&m, "id").as_f64() == Some(id as f64)
            && get(&m, "cause").as_string().as_deref() == Some("dropped by hand")),
        "listed as dropped by hand"
    );
    let text = root.query_selector(".inspector .status").unwrap().unwrap().text_content().unwrap();
    assert!(text.starts_with("Dropped by hand at "), "the inspector says what happened: {text}");
    // Another message, left to arrive: the inspector says so.
    let st = state();
    let next = Array::from(&get(&st, "messages")).get(0);
    let (id, arrive) = (get(&next, "id").as_f64().unwrap(), get(&next, "arriveAt").as_f64().unwrap());
    let glyph = root.query_selector(&format!("[data-message=\"{id}\"]")).unwrap().expect("drawn");
    glyph.dispatch_event(&click).unwrap();
    settle().await;
    ok("advance", &[(arrive - ok("now", &[]).as_f64().unwrap() + 1.0).into()]);
    settle().await;
    let text = root.query_selector(".inspector .status").unwrap().unwrap().text_content().unwrap();
    let to = get(&next, "to").as_string().unwrap();
    assert_eq!(text, format!("Arrived at {to} at {arrive} ms."));
}

#[wasm_bindgen_test]
async fn the_clock_runs_only_while_playing() {
    let _root = mount(3, 2);
    settle().await;
    settle().await;
    assert_eq!(ok("now", &[]).as_f64(), Some(0.0), "paused: time stands still");
    ok("setSpeed", &[1.into()]);
    ok("play", &[]);
    // However slowly the browser runs frames, time must start to move.
    let mut moved = false;
    for _ in 0..100 {
        settle().await;
        if ok("now", &[]).as_f64().unwrap() > 0.0 {
            moved = true;
            break;
        }
    }
    assert!(moved, "playing: time moves");
    ok("pause", &[]);
    let t = ok("now", &[]).as_f64().unwrap();
    settle().await;
    settle().await;
    assert_eq!(ok("now", &[]).as_f64().unwrap(), t, "paused again: time stands still");
}

#[wasm_bindgen_test]
fn the_panic_overlay_says_so_plainly_with_a_reload_button() {
    show_panic_overlay("panicked at src/ui/app.rs: a test message");
    let doc = document();
    let overlay = doc.get_element_by_id("panic-overlay").expect("the overlay is shown");
    assert!(overlay.text_content().unwrap().contains("a test message"));
    let button = overlay.query_selector("button").unwrap().expect("a reload button");
    assert!(button.text_content().unwrap().contains("Reload"));
    assert_eq!(button.get_attribute("onclick").as_deref(), Some("location.reload()"));
    overlay.remove();
}

#[wasm_bindgen_test]
fn a_redraw_asked_for_before_one_is_wired_marks_the_model_undrawn_for_the_clock() {
    use raft_playground::ui::store::Handle;
    use std::cell::Cell;
    use std::rc::Rc;
    let model = Model::from_config(Config { seed: 3, ..Config::default() }, DEFAULT_SPEED, false).unwrap();
    let h = Handle::new(model);
    // Nothing to redraw with yet: the clock's next frame must draw it.
    h.redraw();
    assert!(h.try_write().unwrap().take_undrawn());
    assert!(!h.try_write().unwrap().take_undrawn());
    // Wired: the redraw is called and nothing is left for the clock.
    let calls = Rc::new(Cell::new(0));
    let c = calls.clone();
    h.set_redraw(Some(Rc::new(move || c.set(c.get() + 1))));
    h.redraw();
    assert_eq!(calls.get(), 1);
    assert!(!h.try_write().unwrap().take_undrawn());
}

#[wasm_bindgen_test]
async fn a_broken_property_turns_the_safety_badge_red_with_the_monitors_explanation() {
    // Raft with its up-to-date check on votes switched off: a stale server can
    // win an election and lose committed entries (the monitor must say so).
    let raft = Settings { unsafe_skip_vote_log_check: true, ..Settings::default() };
    let model = Model::from_config(Config { seed: 31, raft, ..Config::default() }, DEFAULT_SPEED, false).unwrap();
    let root = fresh_root();
    mount_model(root.clone(), model);
    assert!(advance_until(5_000, || leader().is_some()));
    let l = leader().unwrap();
    let stale = servers(&state()).into_iter().map(|s| get(&s, "name").as_string().unwrap()).find(|n| *n != l).unwrap();
    ok("crash", &[stale.clone().into()]);
    for i in 0..3 {
        ok("write", &["x".into(), i.into()]);
    }
    // Committed (acknowledged) before the stale server comes back: only then is losing them a violation.
    assert!(
        advance_until(5_000, || Array::from(&get(&state(), "client"))
            .iter()
            .all(|o| get(&o, "status").as_string().as_deref() == Some("acknowledged"))),
        "the three writes are acknowledged"
    );
    ok("crash", &[l.clone().into()]);
    ok("restart", &[stale.clone().into()]);
    ok("timeout", &[stale.clone().into()]);
    assert!(
        advance_until(3_000, || get(&state(), "safety.safe") == JsValue::FALSE),
        "the monitor reports the broken property"
    );
    settle().await;
    let badge = root.query_selector("[data-safety=\"violated\"]").unwrap().expect("the badge turns red");
    let st = state();
    let first = Array::from(&get(&st, "safety.violations")).get(0);
    let property = get(&first, "property").as_string().unwrap();
    let explanation = get(&first, "explanation").as_string().unwrap();
    assert!(badge.text_content().unwrap().contains(&property), "the badge names {property}");
    let hint = root.query_selector(".hint.bad").unwrap().expect("the explanation is shown").text_content().unwrap();
    assert!(hint.contains(&explanation), "{hint:?} should contain {explanation:?}");
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.get(i).and_then(|n| n.text_content())).collect()
}

#[wasm_bindgen_test]
async fn a_new_run_redraws_the_event_feed_even_with_as_many_events_as_before() {
    let root = mount(5, 1);
    ok("showPanel", &["events".into()]);
    settle().await;
    assert_eq!(
        texts(&root, ".feed .ev-text"),
        vec!["5 servers started as followers in term 0, each with a random election timeout"]
    );
    // The new run has one event too: a feed keyed on the event count alone would stay stale.
    ok("reset", &[js_sys::JSON::parse("{\"servers\": 3, \"seed\": 1}").unwrap()]);
    settle().await;
    let st = state();
    let first = get(&Array::from(&get(&st, "events")).get(0), "text").as_string().unwrap();
    assert!(first.starts_with("3 servers started"), "{first}");
    let expected = vec![first];
    assert!(
        eventually(|| texts(&root, ".feed .ev-text") == expected).await,
        "the feed shows {:?}, not the new run's {expected:?}",
        texts(&root, ".feed .ev-text")
    );
    // The Setup form starts from the new run too.
    ok("reset", &[js_sys::JSON::parse("{\"servers\": 4, \"seed\": 99}").unwrap()]);
    ok("showPanel", &["setup".into()]);
    settle().await;
    let seed = root.query_selector("#set-seed").unwrap().unwrap().dyn_into::<web_sys::HtmlInputElement>().unwrap();
    assert_eq!(seed.value(), "99");
    ok("reset", &[js_sys::JSON::parse("{\"servers\": 6, \"seed\": 5}").unwrap()]);
    settle().await;
    let seed = root.query_selector("#set-seed").unwrap().unwrap().dyn_into::<web_sys::HtmlInputElement>().unwrap();
    assert_eq!(seed.value(), "5", "the Setup form follows a reset while it is open");
    let servers =
        root.query_selector("#set-servers").unwrap().unwrap().dyn_into::<web_sys::HtmlSelectElement>().unwrap();
    assert_eq!(servers.value(), "6");
}

#[wasm_bindgen_test]
async fn dismissing_a_notice_brings_the_guidance_line_back() {
    let root = mount(5, 8);
    ok("write", &["x".into(), 1.into()]);
    settle().await;
    let hint = || root.query_selector(".hint").unwrap().unwrap();
    assert_eq!(hint().get_attribute("data-notice").as_deref(), Some("info"));
    assert!(hint().text_content().unwrap().contains("The client sent x ← 1."));
    hint().query_selector("button").unwrap().unwrap().dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    assert_eq!(hint().get_attribute("data-notice"), None);
    // Before the first election, the tip says what the draining arcs are.
    assert!(
        hint().text_content().unwrap().starts_with("Each arc is a server's election timer running down."),
        "{:?}",
        hint().text_content()
    );
}

#[wasm_bindgen_test]
async fn the_legend_explains_the_vote_count_and_every_event_icon() {
    let root = mount(3, 2);
    ok("showPanel", &["legend".into()]);
    settle().await;
    let legend = root.query_selector(".legend").unwrap().expect("the legend panel").text_content().unwrap();
    assert!(legend.contains("1/3") && legend.contains("received so far / needed to win"), "{legend}");
    let kinds = texts(&root, ".events-legend .ev-icon");
    for icon in ["↻", "★", "≡", "✓", "✎", "✕", "✂", "⊘", "⚙", "♛", "!"] {
        assert!(kinds.iter().any(|k| k == icon), "the legend explains {icon}: {kinds:?}");
    }
    assert_eq!(kinds.len(), raft_playground::view::theme::EVENT_KINDS.len());
    // The feed uses the same icons: a start and a settings change.
    ok("setLatency", &[5.into(), 20.into()]);
    ok("showPanel", &["events".into()]);
    settle().await;
    let feed = texts(&root, ".feed .ev-icon");
    assert!(feed.contains(&"↻".to_string()) && feed.contains(&"⚙".to_string()), "{feed:?}");
}

#[wasm_bindgen_test]
async fn the_client_panel_says_plainly_when_the_client_does_not_know_the_leader() {
    let root = mount(5, 6);
    ok("showPanel", &["client".into()]);
    settle().await;
    let belief = || root.query_selector(".client-belief").unwrap().unwrap().text_content().unwrap();
    assert!(belief().starts_with("The client does not know the leader yet."), "{}", belief());
    assert!(!belief().contains('—'));
    assert!(advance_until(5_000, || leader().is_some()));
    ok("write", &["x".into(), 1.into()]);
    assert!(advance_until(3_000, || get(&Array::from(&get(&state(), "client")).get(0), "status")
        .as_string()
        .as_deref()
        == Some("acknowledged")));
    settle().await;
    assert!(belief().starts_with(&format!("The client believes the leader is {}.", leader().unwrap())), "{}", belief());
}

/// The page's own style sheet, for a test that checks how things look (the
/// test page has none); removed again when dropped. Added after `mount` (or
/// `fresh_root`), which removes the styles a failed test left.
struct PageCss(Element);

impl PageCss {
    fn add() -> PageCss {
        PageCss::with(include_str!("../www/style.css"))
    }

    /// A style of a test's own (`css`), removed again when dropped (or by
    /// the next `fresh_root`, after a failed test: `data-test-css`).
    fn with(css: &str) -> PageCss {
        let style = document().create_element("style").unwrap();
        style.set_attribute("data-test-css", "").unwrap();
        style.set_text_content(Some(css));
        document().body().unwrap().append_child(&style).unwrap();
        PageCss(style)
    }
}

impl Drop for PageCss {
    fn drop(&mut self) {
        self.0.remove();
    }
}

/// The computed value of a CSS property of `el`.
fn computed(el: &Element, property: &str) -> String {
    let style = web_sys::window().unwrap().get_computed_style(el).unwrap().expect("a computed style");
    style.get_property_value(property).unwrap()
}

/// Every element `selector` finds under `root`.
fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.get(i)?.dyn_into().ok()).collect()
}

#[wasm_bindgen_test]
async fn terms_past_the_palette_keep_plain_colours_never_the_look_of_a_state() {
    let root = mount(5, 12);
    let _css = PageCss::add();
    // Force elections until every server is in term 9 or later, under a leader.
    let terms = || servers(&state()).iter().map(|s| get(s, "term").as_f64().unwrap() as u64).collect::<Vec<_>>();
    for k in 0..30 {
        if terms().iter().all(|&t| t >= 9) {
            break;
        }
        ok("timeout", &[(k % 5 + 1).into()]);
        assert!(advance_until(5_000, || leader().is_some()), "a leader after the forced election");
    }
    assert!(terms().iter().all(|&t| t >= 9), "term 9 reached: {:?}", terms());
    // A healthy cluster (a leader, followers, nobody cut off) with heartbeats and a write in flight.
    ok("write", &["x".into(), 1.into()]);
    assert!(advance_until(2_000, || {
        let st = state();
        servers(&st).iter().all(|s| matches!(get(s, "role").as_string().as_deref(), Some("leader" | "follower")))
            && Array::from(&get(&st, "messages")).length() >= 3
    }));
    settle().await;
    let bodies = all(&root, "svg.ring [data-server] .body");
    assert_eq!(bodies.len(), 5);
    for b in &bodies {
        assert_eq!(
            computed(b, "stroke-dasharray"),
            "none",
            "a server in term 9+ has a solid outline: {}",
            b.outer_html()
        );
    }
    let glyphs = all(&root, "svg.ring [data-message] .g");
    assert!(glyphs.len() >= 3, "messages drawn");
    for g in &glyphs {
        assert_eq!(computed(g, "stroke-dasharray"), "none", "no message looks like a duplicate: {}", g.outer_html());
    }
    // Where colours repeat, the number says the term: a message's tooltip names it.
    for m in all(&root, "svg.ring [data-message]") {
        let id = m.get_attribute("data-message").unwrap();
        let st = state();
        let term = Array::from(&get(&st, "messages"))
            .iter()
            .find(|x| get(x, "id").as_f64().map(|v| v.to_string()) == Some(id.clone()))
            .and_then(|x| get(&x, "term").as_f64());
        let title = m.query_selector("title").unwrap().map(|t| t.text_content().unwrap()).unwrap_or_default();
        if let Some(term) = term {
            assert!(title.contains(&format!("term {term}")), "message #{id}'s tooltip names term {term}: {title:?}");
        }
    }
    for cell in all(&root, "[data-log] .cell.committed") {
        assert_eq!(computed(&cell, "border-top-style"), "solid", "a committed entry is solid whatever its term");
    }
    // The legend shows the colours the ring uses: a server in term t has term t's swatch colour,
    // and term 8's swatch repeats term 1's, without a pattern.
    ok("showPanel", &["legend".into()]);
    settle().await;
    let swatch = |t: u64| {
        let el = root.query_selector(&format!(".legend .term-chip[data-term=\"{t}\"]")).unwrap();
        computed(&el.unwrap_or_else(|| panic!("a swatch for term {t}")), "background-color")
    };
    assert_eq!(swatch(8), swatch(1));
    let legend = root.query_selector(".legend").unwrap().unwrap().text_content().unwrap();
    assert!(legend.contains("term 8 has term 1's colour"), "the legend says colours come round again");
    for (b, t) in all(&root, "svg.ring [data-server] .body").iter().zip(terms()) {
        assert_eq!(computed(b, "stroke"), swatch((t - 1) % 7 + 1), "a server in term {t} has its swatch's colour");
    }
}

/// Whether every time in the event feed fits its column, clear of its sentence.
fn feed_times_fit(root: &Element) -> Result<usize, String> {
    let rows = all(root, ".feed .ev");
    for row in &rows {
        let time: HtmlElement = row.query_selector(".ev-time").unwrap().unwrap().dyn_into().unwrap();
        let text = row.query_selector(".ev-text").unwrap().unwrap();
        let (t, x) = (time.get_bounding_client_rect(), text.get_bounding_client_rect());
        // Beside the sentence, or above it (the narrow layout).
        let apart = t.right() <= x.left() || t.bottom() <= x.top();
        if time.scroll_width() > time.client_width() || !apart {
            return Err(format!(
                "{:?} runs into {:?} ({} > {} or {} > {})",
                time.text_content(),
                text.text_content(),
                time.scroll_width(),
                time.client_width(),
                t.right(),
                x.left()
            ));
        }
    }
    Ok(rows.len())
}

#[wasm_bindgen_test]
async fn any_time_fits_the_event_feeds_time_column() {
    let root = mount(3, 5);
    let _css = PageCss::add();
    ok("showPanel", &["events".into()]);
    // Past 100 s: a write then.
    ok("advance", &[150_000.into()]);
    ok("write", &["x".into(), 1.into()]);
    ok("advance", &[200.into()]);
    settle().await;
    assert!(
        texts(&root, ".feed .ev-time").iter().any(|t| t.starts_with("150.")),
        "{:?}",
        texts(&root, ".feed .ev-time")
    );
    assert!(feed_times_fit(&root).unwrap() > 3);
    // Past an hour: everything crashed (nothing happens, so time runs fast), then a restart.
    for s in 1..=3 {
        ok("crash", &[s.into()]);
    }
    ok("advance", &[3_500_000.into()]);
    ok("restart", &[2.into()]);
    ok("advance", &[100.into()]);
    settle().await;
    assert!(
        texts(&root, ".feed .ev-time").iter().any(|t| t.starts_with("3650.")),
        "{:?}",
        texts(&root, ".feed .ev-time")
    );
    assert!(feed_times_fit(&root).unwrap() > 3);
}

/// Clicks the button of `root` named `name` (its aria-label).
fn click_button(root: &Element, name: &str) {
    let b = root
        .query_selector(&format!("button[aria-label=\"{name}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("a button {name:?}"));
    b.dyn_into::<HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn the_whole_run_stays_in_the_feed_a_page_at_a_time_and_events_hands_it_out_in_words() {
    let root = mount(5, 14);
    assert!(advance_until(5_000, || leader().is_some()));
    for i in 0..80 {
        ok("write", &["x".into(), i.into()]);
        ok("advance", &[60.into()]);
    }
    ok("showPanel", &["events".into()]);
    settle().await;
    let count = get(&state(), "eventCount").as_f64().unwrap() as usize;
    assert!(count > 300, "{count} events");
    // The full trace, in words and as data, through the API, in pieces.
    let mut all_events = Vec::new();
    loop {
        let batch = Array::from(&ok("events", &[all_events.len().into(), 97.into()]));
        if batch.length() == 0 {
            break;
        }
        all_events.extend(batch.iter());
    }
    assert_eq!(all_events.len(), count);
    let first = &all_events[0];
    assert_eq!(
        get(first, "text").as_string().unwrap(),
        "5 servers started as followers in term 0, each with a random election timeout"
    );
    assert_eq!(get(first, "kind").as_string().as_deref(), Some("Start"));
    assert_eq!(get(first, "data.type").as_string().as_deref(), Some("started"));
    assert!(all_events.iter().any(|e| get(e, "data.type").as_string().as_deref() == Some("leader_elected")
        && get(e, "text").as_string().unwrap().contains("became leader of term")));
    let times: Vec<f64> = all_events.iter().map(|e| get(e, "time").as_f64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert_eq!(Array::from(&ok("events", &[])).length() as usize, count, "all of them when not told");
    assert_eq!(Array::from(&ok("events", &[count.into(), 10.into()])).length(), 0, "none past the last");
    for (args, said) in [
        (vec![JsValue::from(-1)], "raftPlayground.events: from must be a whole number from 0"),
        (vec![0.into(), 20_000.into()], "raftPlayground.events: count must be a whole number from 0 to 10000"),
        (vec!["0".into()], "raftPlayground.events: from must be a number, got the string \"0\""),
    ] {
        let e = call("events", &args).expect_err("refused");
        assert!(e.is_instance_of::<js_sys::Error>());
        assert!(message(&e).starts_with(said), "{}", message(&e));
    }
    // The panel draws one page, never the whole run; it reaches the first event.
    let rows = || texts(&root, ".feed .ev-text");
    assert_eq!(rows().len(), 50, "one page of rows");
    assert_eq!(rows()[0], get(all_events.last().unwrap(), "text").as_string().unwrap(), "newest first");
    click_button(&root, "Oldest events");
    settle().await;
    assert_eq!(rows().len(), 50);
    assert_eq!(rows().last().unwrap(), &get(first, "text").as_string().unwrap(), "the run's first event");
    let label = root.query_selector(".pager-label").unwrap().unwrap().text_content().unwrap();
    assert_eq!(label, format!("1–50 of {count}"));
    // That page stays put while the run goes on.
    ok("write", &["y".into(), 1.into()]);
    ok("advance", &[500.into()]);
    settle().await;
    assert_eq!(rows().last().unwrap(), &get(first, "text").as_string().unwrap(), "an older page stays put");
    click_button(&root, "Newer events");
    settle().await;
    assert_eq!(rows()[49], get(&all_events[50], "text").as_string().unwrap(), "the next fifty");
    click_button(&root, "Newest events");
    settle().await;
    let count = get(&state(), "eventCount").as_f64().unwrap() as u32;
    let newest = Array::from(&ok("events", &[(count - 1).into(), 1.into()])).get(0);
    assert_eq!(rows()[0], get(&newest, "text").as_string().unwrap(), "the newest page follows the run");
}

/// The feed's rows, top to bottom: (class, data-i, icon's title, icon, time, sentence).
fn feed_rows(root: &Element) -> Vec<[String; 6]> {
    let text = |e: &Element, s: &str| e.query_selector(s).unwrap().and_then(|x| x.text_content()).unwrap_or_default();
    all(root, ".feed > *")
        .iter()
        .map(|r| {
            let icon = r.query_selector(".ev-icon").unwrap().and_then(|x| x.get_attribute("title")).unwrap_or_default();
            let attr = |a: &str| r.get_attribute(a).unwrap_or_default();
            [attr("class"), attr("data-i"), icon, text(r, ".ev-icon"), text(r, ".ev-time"), text(r, ".ev-text")]
        })
        .collect()
}

/// Which of the feed's rows (0 the top one) are in the view of the panel
/// that scrolls it.
fn feed_rows_in_view(root: &Element) -> Vec<usize> {
    let view = root.query_selector(".tab-panel").unwrap().unwrap().get_bounding_client_rect();
    let rows = all(root, ".feed > li");
    let seen = |r: &Element| {
        let q = r.get_bounding_client_rect();
        q.bottom() > view.top() && q.top() < view.bottom()
    };
    (0..rows.len()).filter(|&k| seen(&rows[k])).collect()
}

/// Asserts that the feed's rows in the view of its panel show the events
/// they should and none of them is hidden (a row put off for later).
fn expect_feed_in_view(root: &Element, at: &str) {
    expect_rows_in_view(root, &newest_rows(), at);
}

/// Asserts that the feed's rows in the view of its panel show those of
/// `want` and none of them is hidden.
fn expect_rows_in_view(root: &Element, want: &[[String; 6]], at: &str) {
    let shown = feed_rows(root);
    let seen = feed_rows_in_view(root);
    assert!(!seen.is_empty() && shown.len() == want.len(), "{at}: rows {seen:?} in view of {}", shown.len());
    let rows = all(root, ".feed > li");
    for k in seen {
        assert!(computed(&rows[k], "visibility") != "hidden", "{at}: row {k} in view is hidden");
        assert!(shown[k] == want[k], "{at}: row {k} in view shows {:?} for {:?}", shown[k], want[k]);
    }
}

#[wasm_bindgen(inline_js = r#"
let st, held = [];
export function hold_feed_timer() {
  st ||= window.setTimeout;
  window.setTimeout = (f, ms, ...a) => (ms === 60 ? (held.push(f), 0) : st.call(window, f, ms, ...a));
}
export function release_feed_timer() {
  if (st) (window.setTimeout = st), (st = undefined);
  held.splice(0).forEach((f) => f());
}
export function drop_feed_timer() {
  if (st) (window.setTimeout = st), (st = undefined);
  held.length = 0;
}
"#)]
extern "C" {
    fn hold_feed_timer();
    fn release_feed_timer();
    /// As `release_feed_timer`, but what it held is not run (a page left).
    fn drop_feed_timer();
}

/// Holds the event feed's timer (its `setTimeout(…, 60)`, which writes the
/// rows a seek put off) until dropped, then runs what it held: the rows put
/// off stay so, and the list busy, however late a frame is drawn. (The feed
/// clears the timer it set before at each seek: clearing the id 0 given
/// here does nothing, and a superseded callback run at the drop only writes
/// the rows still waiting.)
struct HeldFeedTimer;

impl HeldFeedTimer {
    fn hold() -> HeldFeedTimer {
        hold_feed_timer();
        HeldFeedTimer
    }
}

impl Drop for HeldFeedTimer {
    fn drop(&mut self) {
        release_feed_timer();
    }
}

/// Whether the feed's list is busy: rows put off at a seek not written yet.
fn feed_busy(root: &Element) -> bool {
    root.query_selector(".feed[aria-busy]").unwrap().is_some()
}

/// A page of 5 servers (`seed`) with a leader and 40 writes played, one
/// every `step` ms, the event feed shown in the page's style: the feed
/// scrolls in its panel, most rows out of view. Gives the page, its style
/// and the latest moment.
async fn feed_page_with_writes(seed: u32, step: u32) -> (Element, PageCss, f64) {
    let root = mount(5, seed);
    let css = PageCss::add();
    assert!(advance_until(5_000, || leader().is_some()));
    for i in 0..40 {
        ok("write", &["k".into(), i.into()]);
        ok("advance", &[step.into()]);
    }
    ok("showPanel", &["events".into()]);
    settle().await;
    (root, css, now())
}

/// Waits until Yew has rendered what a call of the API scheduled: runs its
/// scheduler now and waits until it is idle (`yew::scheduler::flush`). The
/// scheduler may yield to a task (a `setTimeout(0)`) after 16 ms of work, a
/// debug build's render in a cold page, so one microtask is not enough; a
/// task may run then, but not the feed's timer if a `HeldFeedTimer` holds it.
async fn rendered() {
    yew::scheduler::flush().await;
}

/// The rows the feed's newest page should show: the last 50 events of the
/// moment shown, newest first, as `raftPlayground.events` gives them.
fn newest_rows() -> Vec<[String; 6]> {
    let n = get(&state(), "eventCount").as_f64().unwrap() as usize;
    page_rows(n.saturating_sub(50))
}

/// The rows of the feed's page of the 50 events from `from` on, newest first.
fn page_rows(from: usize) -> Vec<[String; 6]> {
    use raft_playground::sim::EventKind as K;
    let evs = Array::from(&ok("events", &[from.into(), 50.into()]));
    let kinds = [
        K::Election,
        K::Replication,
        K::Commit,
        K::Client,
        K::Start,
        K::Fault,
        K::Network,
        K::Tamper,
        K::Settings,
        K::Transfer,
        K::Violation,
    ];
    let mut rows: Vec<[String; 6]> = evs
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let kind = get(&e, "kind").as_string().unwrap().to_lowercase();
            let t = get(&e, "time").as_f64().unwrap();
            let icon = kinds.iter().map(|k| raft_playground::view::theme::event_icon(*k)).find(|i| i.1 == kind);
            // The row's place in the trace is there for the Pseudocode panel only.
            let at = if cfg!(feature = "pseudocode-panel") { (from + k).to_string() } else { String::new() };
            [
                format!("ev ev-{kind}"),
                at,
                kind.clone(),
                icon.unwrap_or_else(|| panic!("an icon for {kind}")).0.to_string(),
                format!("{:.3} s", t / 1000.0),
                get(&e, "text").as_string().unwrap(),
            ]
        })
        .collect();
    rows.reverse();
    rows
}

#[wasm_bindgen_test]
async fn the_feed_writes_the_rows_a_seek_brings_into_view_before_its_frame_is_drawn() {
    let (root, _css, latest) = feed_page_with_writes(22, 70).await;
    ok("seek", &[(latest * 0.5).floor().into()]);
    settle().await;
    // Tall rows, and the panel a pixel narrower (its size changes: the
    // feed's check of which rows are near its view runs, with tall rows
    // only the top few); then the rows short again, nothing checked since.
    let tall = PageCss::with(".feed > li { padding-bottom: 400px }");
    let _narrow = PageCss::with(".tab-panel { padding-right: 1px }");
    drawn().await;
    settle().await;
    drop(tall);
    drawn().await;
    // A seek: the rows now in view that the last check found far from it
    // are written in that seek's frame, before it is drawn (the feed's
    // timer held meanwhile, so the list is still busy at the check).
    for t in [latest * 0.8, latest * 0.3] {
        let timer = HeldFeedTimer::hold();
        ok("seek", &[t.floor().into()]);
        rendered().await;
        assert!(feed_busy(&root), "a seek to {t} ms puts off rows out of view");
        drawn().await;
        expect_feed_in_view(&root, &format!("the frame of a seek to {t} ms"));
        assert!(feed_busy(&root), "the rows put off at a seek to {t} ms were written before the check");
        drop(timer);
        settle().await;
    }
}

#[wasm_bindgen_test]
async fn the_first_seek_after_new_events_puts_off_the_rows_out_of_view() {
    let (root, _css, _) = feed_page_with_writes(23, 70).await;
    // More events than a page, each drawn (the run playing on): their rows
    // are added at the list's top, written at once.
    let count = || get(&state(), "eventCount").as_f64().unwrap();
    let before = count();
    for i in 0..20 {
        ok("write", &["p".into(), i.into()]);
        ok("advance", &[200.into()]);
        drawn().await;
    }
    assert!(count() - before > 60.0, "{} events added", count() - before);
    assert!(!feed_busy(&root), "new rows written at once");
    settle().await;
    // The first seek after them writes the rows in view and puts off the
    // others (which rows are near goes with the places, not the rows that
    // moved down from them).
    let timer = HeldFeedTimer::hold();
    ok("seek", &[(now() * 0.5).floor().into()]);
    rendered().await;
    assert!(feed_busy(&root), "the first seek after new events puts off rows");
    let hidden = all(&root, ".feed > li").iter().filter(|r| computed(r, "visibility") == "hidden").count();
    assert!(hidden > 20, "{hidden} rows put off of 50");
    drawn().await;
    expect_feed_in_view(&root, "the frame of the first seek after new events");
    drop(timer);
    settle().await;
    assert!(!feed_busy(&root));
    assert!(feed_rows(&root) == newest_rows(), "every row written after the seek");
}

#[wasm_bindgen_test]
async fn a_seek_that_narrows_the_feeds_time_column_lays_out_only_the_rows_it_writes() {
    // (It needs a window wider than 620 px and taller than 420 px: under
    // that, the page's narrow layout sets the rows' padding `!important`,
    // whatever the time column's width.)
    // Past 10 s: the latest times are 8 characters wide ("12.345 s").
    let (root, css, latest) = feed_page_with_writes(24, 300).await;
    assert!(latest > 12_000.0, "{latest} ms");
    let pad = |r: &Element| computed(r, "padding-left");
    let wide = pad(&all(&root, ".feed > li")[0]);
    assert!(feed_times_fit(&root).unwrap() == 50);
    // A seek before 10 s: times of 7 characters, a narrower column. The rows
    // in view have it in the seek's frame; the rows put off keep theirs
    // (hidden, not laid out anew) until written.
    let timer = HeldFeedTimer::hold();
    ok("seek", &[5_000.into()]);
    rendered().await;
    drawn().await;
    expect_feed_in_view(&root, "the frame of a seek to 5 s");
    let rows = all(&root, ".feed > li");
    let seen = feed_rows_in_view(&root);
    let narrow = pad(&rows[seen[0]]);
    assert!(narrow != wide, "the column narrowed: {wide} then {narrow}");
    for &k in &seen {
        assert_eq!(pad(&rows[k]), narrow, "row {k} in view");
    }
    let put_off: Vec<&Element> = rows.iter().filter(|r| computed(r, "visibility") == "hidden").collect();
    assert!(put_off.len() > 20, "{} rows put off", put_off.len());
    assert!(put_off.iter().all(|r| pad(r) == wide), "the rows put off keep their width until written");
    drop(timer);
    settle().await;
    // Then every row has it, and every time fits.
    assert!(all(&root, ".feed > li").iter().all(|r| pad(r) == narrow));
    assert!(feed_times_fit(&root).unwrap() == 50);
    expect_feed_in_view(&root, "after the seek to 5 s");
    // Back to the latest moment: wider again, every row in the end.
    ok("seek", &[latest.into()]);
    settle().await;
    assert!(all(&root, ".feed > li").iter().all(|r| pad(r) == wide));
    assert!(feed_times_fit(&root).unwrap() == 50);
    drop(css);
}

#[wasm_bindgen_test]
async fn the_feed_keeps_its_rows_showing_the_right_events_through_seeks_and_new_events() {
    let (root, _css, latest) = feed_page_with_writes(21, 70).await;
    assert!(get(&state(), "eventCount").as_f64().unwrap() > 150.0);
    let expect = |at: &str| {
        let (shown, want) = (feed_rows(&root), newest_rows());
        assert_eq!(shown.len(), want.len(), "{at}: as many rows as events on the page");
        assert!(shown == want, "{at}: {shown:?} for {want:?}");
    };
    expect("the latest moment");
    let first = root.query_selector(".feed > li").unwrap().unwrap();
    // The rows in the view of the feed's scrolling panel, right in the
    // frame that draws a seek, before the rows out of view are written (the
    // feed's timer held: the list still busy then, else the check would
    // prove nothing).
    let busy = || feed_busy(&root);
    let mut deferred = 0;
    for t in [latest * 0.5, latest * 0.8, latest * 0.3, latest * 0.9, 400.0, latest * 0.6, latest] {
        let timer = HeldFeedTimer::hold();
        ok("seek", &[t.floor().into()]);
        rendered().await;
        let put_off = busy();
        deferred += put_off as u32;
        drawn().await;
        expect_feed_in_view(&root, &format!("the frame of a seek to {t} ms"));
        assert!(!put_off || busy(), "the rows put off at a seek to {t} ms were written before the check");
        drop(timer);
        settle().await;
        assert!(!busy(), "the list is not left busy");
        expect(&format!("after a seek to {t} ms"));
    }
    assert!(deferred > 0, "some seek left rows out of view for later");
    // A visitor scrolling the feed right after a seek sees right rows.
    let panel = root.query_selector(".tab-panel").unwrap().unwrap();
    for t in [latest * 0.4, latest * 0.7] {
        let timer = HeldFeedTimer::hold();
        ok("seek", &[t.floor().into()]);
        rendered().await;
        assert!(busy(), "a seek to {t} ms puts off rows out of view");
        drawn().await;
        panel.set_scroll_top(panel.scroll_height());
        drawn().await;
        assert!(feed_rows_in_view(&root).contains(&49), "scrolled to the foot of the list");
        expect_feed_in_view(&root, &format!("the feed scrolled right after a seek to {t} ms"));
        assert!(busy(), "the rows put off were written before the scroll");
        drop(timer);
        settle().await;
        expect(&format!("the feed scrolled after a seek to {t} ms"));
        panel.set_scroll_top(0);
        settle().await;
    }
    ok("seek", &[latest.into()]);
    settle().await;
    expect("the latest moment again");
    // A seek rewrites the rows in place: the top row is the same element.
    assert!(
        js_sys::Object::is(&root.query_selector(".feed > li").unwrap().unwrap(), &first),
        "the rows are kept as elements"
    );
    // New events add their rows at the top and drop as many at the foot:
    // the rows shown before keep their elements, moved down.
    let count = || get(&state(), "eventCount").as_f64().unwrap() as usize;
    let mut moved = 0;
    for _ in 0..12 {
        let (top, before) = (root.query_selector(".feed > li").unwrap().unwrap(), count());
        ok("write", &["n".into(), 1.into()]);
        ok("advance", &[25.into()]);
        settle().await;
        expect("after new events");
        let added = count() - before;
        if added > 0 && added < 50 {
            let lis = all(&root, ".feed > li");
            assert!(js_sys::Object::is(&lis[added], &top), "the former top row is now below the {added} new ones");
            moved += 1;
        }
    }
    assert!(moved > 0, "some new events added rows at the top");
    // Another page (its rows in view right in the frame that draws it), and
    // back to the newest.
    let n = get(&state(), "eventCount").as_f64().unwrap() as usize;
    let timer = HeldFeedTimer::hold();
    click_button(&root, "Older events");
    rendered().await;
    drawn().await;
    expect_rows_in_view(&root, &page_rows(n - 100), "the frame that draws the older page");
    drop(timer);
    settle().await;
    let older = Array::from(&ok("events", &[(n - 100).into(), 50.into()]));
    let texts_shown: Vec<String> = feed_rows(&root).into_iter().map(|r| r[5].clone()).collect();
    let want: Vec<String> = older.iter().rev().map(|e| get(&e, "text").as_string().unwrap()).collect();
    assert_eq!(texts_shown, want, "the older page");
    click_button(&root, "Newest events");
    settle().await;
    expect("the newest page again");
    // A branch forked in the past, then back to the first one.
    ok("seek", &[(now() - 800.0).floor().into()]);
    settle().await;
    expect("before the fork");
    ok("crash", &[1.into()]);
    ok("advance", &[300.into()]);
    settle().await;
    expect("on the new branch");
    for (branch, at) in [(1, "back on the first branch"), (2, "on the second branch again")] {
        let timer = HeldFeedTimer::hold();
        ok("switchBranch", &[branch.into()]);
        rendered().await;
        drawn().await;
        expect_feed_in_view(&root, &format!("the frame that draws {at}"));
        drop(timer);
        settle().await;
        expect(at);
    }
    // A new run.
    ok("reset", &[js_sys::JSON::parse("{\"servers\": 3, \"seed\": 7}").unwrap()]);
    settle().await;
    expect("a new run");
    assert!(advance_until(5_000, || leader().is_some()));
    settle().await;
    expect("the new run played on");
}

#[wasm_bindgen_test]
async fn api_traps_misspelt_options_partial_partitions_free_and_detached_methods() {
    let root = fresh_root();
    let opts = js_sys::JSON::parse("{\"servers\": 5, \"seed\": 3, \"paused\": true}").unwrap();
    let returned = mount_playground(root.clone().into(), opts).unwrap_or_else(|_| panic!("mounted"));
    let rp = Reflect::get(&web_sys::window().unwrap(), &"raftPlayground".into()).unwrap();
    assert!(js_sys::Object::is(&returned, &rp), "mountPlayground returns window.raftPlayground");
    // (a) Misspelt options: refused, every wrong key named; the run goes on unchanged.
    let e = call("reset", &[js_sys::JSON::parse("{\"sead\": 4, \"server\": 3}").unwrap()]).expect_err("refused");
    let more = if cfg!(feature = "compaction") { ", `snapshotThreshold`" } else { "" };
    assert_eq!(
        message(&e),
        format!("raftPlayground.reset: unknown fields `sead` and `server`, expected one of `servers`, `seed`{more}")
    );
    assert_eq!((servers(&state()).len(), get(&state(), "seed").as_f64()), (5, Some(3.0)));
    // (b) A partition says which groups it formed: the unlisted servers together, last.
    let groups = |v: JsValue| -> Vec<Vec<String>> {
        Array::from(&v).iter().map(|g| Array::from(&g).iter().map(|s| s.as_string().unwrap()).collect()).collect()
    };
    let a = |names: &[&[&str]]| -> Vec<Vec<String>> {
        names.iter().map(|g| g.iter().map(|s| s.to_string()).collect()).collect()
    };
    let p = |json: &str| groups(ok("partition", &[js_sys::JSON::parse(json).unwrap()]));
    assert_eq!(p("[[1, 2]]"), a(&[&["S1", "S2"], &["S3", "S4", "S5"]]));
    assert_eq!(p("[[\"S4\"], [3, 1]]"), a(&[&["S4"], &["S1", "S3"], &["S2", "S5"]]), "in the call's order");
    assert_eq!(p("[[1, 2], [3, 4, 5]]"), a(&[&["S1", "S2"], &["S3", "S4", "S5"]]));
    assert_eq!(p("[]"), a(&[&["S1", "S2", "S3", "S4", "S5"]]), "partition([]) ends the partition");
    assert!(servers(&state()).iter().all(|s| get(s, "group").as_f64() == Some(0.0)));
    // (c) Nothing outside can free the page's instance; its methods are all there.
    for hidden in ["free", "__destroy_into_raw", "__wbg_ptr"] {
        assert!(!Reflect::has(&rp, &hidden.into()).unwrap(), "raftPlayground.{hidden} is out of reach");
    }
    let keys: Vec<String> = Object::keys(rp.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()).collect();
    // Every method, in the order the API has always listed them (README's
    // API section): the one export behind them (api::METHODS) must not lose
    // or reorder any. Membership's two only in builds with the feature.
    let mut all: Vec<&str> = "advance branches crash disconnect dropMessage duplicateMessage escape events heal help \
         inspectNext inspect lessonState lessons nextStep now partition pause play previousStep read reconnect reset \
         restart seek select setElectionTimeout setHeartbeat setLatency setLossRate setSpeed shareLink showPanel \
         startLesson state stepBack step switchBranch timeout togglePlay traceHash transferLeadership write"
        .split_ascii_whitespace()
        .collect();
    if cfg!(feature = "membership") {
        all.insert(0, "addServer");
        let at = all.iter().position(|m| *m == "reset").unwrap();
        all.insert(at, "removeServer");
    }
    assert_eq!(keys, all, "raftPlayground's methods");
    // Each takes its arguments as given (`.length` 0, as wasm-bindgen's methods had).
    let crash_fn: Function = Reflect::get(&rp, &"crash".into()).unwrap().dyn_into().unwrap();
    assert_eq!(crash_fn.length(), 0, "crash.length");
    // A method called without its object says so (and breaks nothing).
    let crash: Function = Reflect::get(&rp, &"crash".into()).unwrap().dyn_into().unwrap();
    for this in [JsValue::UNDEFINED, Object::new().into(), web_sys::window().unwrap().into()] {
        let e = crash.call1(&this, &1.into()).expect_err("a detached call throws");
        assert!(e.is_instance_of::<js_sys::Error>(), "a real Error");
        assert!(
            message(&e)
                .starts_with("raftPlayground.crash: called without its object; call it as raftPlayground.crash(...)"),
            "{}",
            message(&e)
        );
    }
    assert_eq!(get(&servers(&state())[0], "up"), JsValue::TRUE, "nothing was crashed");
    // Bound, it works; and the page goes on answering.
    let bound = crash.bind0(&rp);
    bound.call1(&JsValue::UNDEFINED, &1.into()).unwrap();
    assert_eq!(get(&servers(&state())[0], "role").as_string().as_deref(), Some("crashed"));
    ok("restart", &[1.into()]);
    assert_eq!(ok("advance", &[100.into()]).as_f64(), Some(100.0));
    settle().await;
    assert_eq!(count(&root, "svg.ring [data-server]"), 5);
}

#[wasm_bindgen_test]
async fn a_vote_reply_is_called_vote_reply_everywhere() {
    let root = mount(5, 9);
    // An election: the vote replies fly back to the candidate.
    let in_flight = |kind: &str| {
        Array::from(&get(&state(), "messages")).iter().find(|m| get(m, "kind").as_string().as_deref() == Some(kind))
    };
    let mut reply = None;
    for _ in 0..400 {
        reply = in_flight("VoteReply");
        if reply.is_some() {
            break;
        }
        ok("advance", &[5.into()]);
    }
    let reply = reply.expect("a VoteReply in flight");
    let id = get(&reply, "id").as_f64().unwrap();
    settle().await;
    let glyph = root.query_selector(&format!("[data-message=\"{id}\"]")).unwrap().expect("drawn");
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    glyph.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    settle().await;
    let fields = root.query_selector(".inspector .fields").unwrap().expect("the inspector").text_content().unwrap();
    assert!(fields.starts_with("kindVoteReply: the answer to RequestVote"), "{fields}");
    assert!(get(&reply, "summary").as_string().unwrap().starts_with("VoteReply term "));
    // The legend and the strip under the ring use the same names, and no other.
    ok("showPanel", &["legend".into()]);
    settle().await;
    let listed = texts(&root, ".legend [data-kind] strong");
    assert_eq!(
        listed,
        vec![
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
            "ClientReply"
        ]
    );
    let words = root.text_content().unwrap();
    for other in
        ["Vote reply", "RequestVote reply", "AppendEntries reply", "append reply", "vote ✓", "Reply to the client"]
    {
        assert!(!words.contains(other), "the page calls a kind {other:?}");
    }
    // A dropped client message is told with its kind's name too.
    ok("write", &["x".into(), 1.into()]);
    let request = in_flight("ClientRequest").expect("the client's request in flight");
    ok("dropMessage", &[get(&request, "id")]);
    let told = get(&Array::from(&get(&state(), "events")).get(0), "text").as_string().unwrap();
    assert!(told.ends_with(": ClientRequest: write x ← 1"), "{told}");
}

// ----- time travel (issue 8): seek, stepBack, branches, switchBranch -----

fn stringify(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
}

fn now() -> f64 {
    ok("now", &[]).as_f64().unwrap()
}

fn trace_hash() -> String {
    ok("traceHash", &[]).as_string().unwrap()
}

#[wasm_bindgen_test]
async fn seeking_back_and_forth_gives_each_earlier_state_exactly_and_the_page_shows_it() {
    let root = mount(5, 31);
    assert!(advance_until(5_000, || leader().is_some()));
    let lead = leader().unwrap();
    // What state() said as the run passed each moment (moments without an action of their own).
    // (A moment with an action is shown after it: those are left out.)
    let mut seen = Vec::new();
    let mut crash_at = 0.0;
    for i in 0..24 {
        ok("advance", &[(40 + (i * 37) % 90).into()]);
        match i {
            6 => drop(ok("write", &["x".into(), 1.into()])),
            12 => {
                ok("crash", &[lead.clone().into()]);
                crash_at = now();
            }
            _ => seen.push((now(), stringify(&state()))),
        }
    }
    let latest = now();
    for k in [19usize, 3, 17, 0, 11, 9, 21, 5, 12, 1] {
        let (t, want) = &seen[k];
        assert_eq!(ok("seek", &[(*t).into()]).as_f64(), Some(*t), "seek returns the moment reached");
        assert!(&stringify(&state()) == want, "state() at {t} ms is what it was");
        settle().await;
        let strip = root.query_selector(".tl-strip").unwrap().expect("the timeline strip");
        assert_eq!(strip.get_attribute("aria-valuenow").as_deref(), Some(t.to_string().as_str()));
        assert_eq!(strip.get_attribute("aria-valuemax").as_deref(), Some(latest.to_string().as_str()));
        let crashed = count(&root, "svg.ring .server.role-crashed");
        assert_eq!(crashed, u32::from(*t >= crash_at), "the ring at {t} ms");
        let past = root.query_selector(".tl-head.past").unwrap().map(|e| e.text_content().unwrap());
        if *t < latest {
            let text = past.expect("the page says it shows the past");
            assert!(text.contains("Viewing") && text.contains("latest"), "{text}");
        } else {
            assert_eq!(past, None);
        }
    }
    // The event feed holds the events up to the moment shown.
    ok("seek", &[seen[2].0.into()]);
    ok("showPanel", &["events".into()]);
    settle().await;
    let shown = count(&root, ".feed .ev") as f64;
    assert_eq!(Some(shown), get(&state(), "eventCount").as_f64());
}

#[wasm_bindgen_test]
async fn acting_in_the_past_forks_a_branch_and_the_branch_list_switches_back() {
    let root = mount(5, 32);
    assert!(advance_until(5_000, || leader().is_some()));
    ok("write", &["a".into(), 1.into()]);
    ok("advance", &[1500.into()]);
    let (latest, hash) = (now(), trace_hash());
    ok("seek", &[(latest - 1000.0).into()]);
    settle().await;
    assert_eq!(count(&root, ".tl-branches .branch"), 0, "one branch: no list");
    ok("crash", &[leader().unwrap().into()]);
    let branches = Array::from(&ok("branches", &[]));
    assert_eq!(branches.length(), 2);
    let b2 = branches.get(1);
    assert_eq!(get(&b2, "id").as_f64(), Some(2.0));
    assert_eq!(get(&b2, "current").as_bool(), Some(true));
    assert_eq!(get(&b2, "forkedAt").as_f64(), Some(latest - 1000.0));
    assert!(get(&b2, "name").as_string().unwrap().contains("crash"));
    assert_eq!(get(&branches.get(0), "current").as_bool(), Some(false));
    assert_eq!(get(&branches.get(0), "latest").as_f64(), Some(latest));
    ok("advance", &[500.into()]);
    settle().await;
    assert_eq!(count(&root, ".tl-branches .branch"), 2);
    assert_eq!(count(&root, ".tl-branches .branch.current[data-branch=\"2\"]"), 1);
    // Back to the first branch with its button: its latest moment, the same run.
    let first: HtmlElement =
        root.query_selector(".tl-branches [data-branch=\"1\"]").unwrap().unwrap().dyn_into().unwrap();
    first.click();
    settle().await;
    assert_eq!((now(), trace_hash()), (latest, hash));
    assert_eq!(count(&root, ".tl-branches .branch.current[data-branch=\"1\"]"), 1);
    // And through the API to the new one.
    assert_eq!(ok("switchBranch", &[2.into()]).as_f64(), Some(latest - 500.0));
}

#[wasm_bindgen_test]
async fn step_back_walks_back_and_bad_time_travel_calls_say_why() {
    mount(3, 33);
    let mut forward = vec![now()];
    for _ in 0..12 {
        forward.push(ok("step", &[]).as_f64().unwrap());
    }
    for want in forward.iter().rev().skip(1) {
        assert_eq!(ok("stepBack", &[]).as_f64(), Some(*want));
    }
    let cases: [(&str, Vec<JsValue>, &str); 7] = [
        (
            "seek",
            vec![(-1).into()],
            "seek: the moment (ms) must be a whole number from 0 to 7200000, got the number -1",
        ),
        ("seek", vec!["5".into()], "seek: the moment (ms) must be a number, got the string \"5\""),
        ("seek", vec![7_200_001.into()], "from 0 to 7200000, got the number 7200001"),
        ("seek", vec![], "the moment (ms) must be a number, got nothing (undefined)"),
        ("switchBranch", vec![7.into()], "switchBranch: there is no branch 7"),
        ("switchBranch", vec![0.into()], "the branch id must be a whole number from 1 to 4294967295, got the number 0"),
        ("switchBranch", vec![1.5.into()], "got the number 1.5"),
    ];
    for (method, args, said) in cases {
        let e = call(method, &args).expect_err(method);
        let text = message(&e);
        assert!(text.starts_with("raftPlayground.") && text.contains(said), "{method}: {text}");
    }
    assert_eq!(ok("seek", &[250.into()]).as_f64(), Some(250.0), "the page still works");
}

// ----- the Script panel (issue 8) and the address's scenario= / script= (issue 11) -----
// The panel is www/script-panel.js, loaded beside the page when first needed,
// which this harness does not serve: e2e/timeline.test.mjs and
// e2e/address-script.test.mjs test it on the built page.

/// The page writes its JSON by hand (`view::json`): fractions come back
/// exactly, strings with quotes and line breaks intact, and the shapes are
/// those of the README.
#[wasm_bindgen_test]
async fn state_and_events_hand_numbers_and_strings_back_exactly() {
    let _root = mount(5, 21);
    let speed = 0.123_456_789_012_345_6;
    ok("setSpeed", &[speed.into()]);
    ok("setLossRate", &[0.3.into()]);
    ok("write", &["q_1".into(), (-9_007_199_254_740_991.0).into()]);
    ok("advance", &[1_500.into()]);
    let st = state();
    assert_eq!(get(&st, "speed").as_f64(), Some(speed));
    let messages = Array::from(&get(&st, "messages"));
    assert!(messages.length() > 0);
    for m in messages.iter() {
        let p = get(&m, "progress").as_f64().expect("progress is a number");
        assert!((0.0..=1.0).contains(&p), "{p}");
        assert!(get(&m, "term").is_null() || get(&m, "term").as_f64().is_some());
    }
    let all = Array::from(&ok("events", &[]));
    let drop_rate = all
        .iter()
        .map(|e| get(&e, "data"))
        .find(|d| get(d, "type").as_string().as_deref() == Some("setting_changed"))
        .expect("the loss rate's change is an event");
    assert_eq!(get(&drop_rate, "setting").as_string().as_deref(), Some("drop_rate"));
    assert_eq!(get(&drop_rate, "rate").as_f64(), Some(0.3));
    let written = all
        .iter()
        .map(|e| get(&e, "data"))
        .find(|d| get(d, "type").as_string().as_deref() == Some("client_write"))
        .expect("the write is an event");
    assert_eq!(get(&get(&written, "command"), "value").as_f64(), Some(-9_007_199_254_740_991.0));
    let sentence = get(&all.get(0), "text").as_string().unwrap();
    assert!(sentence.contains("servers started"), "{sentence}");
    // Names in the groups partition() returns.
    let groups = ok("partition", &[Array::of1(&Array::of2(&1.into(), &"S2".into())).into()]);
    assert_eq!(js_sys::JSON::stringify(&groups).unwrap().as_string().unwrap(), r#"[["S1","S2"],["S3","S4","S5"]]"#);
}

/// The page's allocator (talc, `src/lib.rs`) under churn: blocks from a byte
/// to 400 KB, freed, grown and shrunk in a random order, each keeps its bytes.
#[wasm_bindgen_test]
fn the_allocator_keeps_every_block_intact_under_churn() {
    let mut rng = raft_playground::sim::Rng::new(7);
    let mut blocks: Vec<(u8, Vec<u8>)> = Vec::new();
    let intact = |(tag, b): &(u8, Vec<u8>)| b.iter().all(|x| x == tag);
    for round in 0..6_000u32 {
        let r = rng.range(0, 9);
        if r < 5 || blocks.is_empty() {
            let size = match rng.range(0, 19) {
                0 => rng.range(65_536, 400_000),
                1..=6 => rng.range(256, 8_192),
                _ => rng.range(1, 128),
            } as usize;
            let tag = (round % 251) as u8;
            blocks.push((tag, vec![tag; size]));
        } else {
            let i = rng.range(0, blocks.len() as u64 - 1) as usize;
            match r {
                5..=7 => assert!(intact(&blocks.swap_remove(i)), "a freed block was intact"),
                8 => {
                    let (tag, b) = &mut blocks[i];
                    let more = rng.range(1, 20_000) as usize;
                    b.resize(b.len() + more, *tag);
                }
                _ => {
                    let b = &mut blocks[i].1;
                    b.truncate(b.len() / 3);
                    b.shrink_to_fit();
                }
            }
        }
        if blocks.len() > 400 {
            assert!(intact(&blocks.remove(0)));
        }
    }
    assert!(blocks.iter().all(intact), "every block kept its bytes");
}

// ----- lessons ---------------------------------------------------------------------

/// A paused page whose lessons "failover" and "election-restriction" are loaded
/// already (the test server has no lessons/ folder: any other lesson's fetch fails).
fn mount_with_lessons() -> Element {
    use raft_playground::view::lesson::LessonOp;
    use raft_playground::view::model::{page_config, Op};
    let mut model = Model::from_config(page_config(5, 3), DEFAULT_SPEED, false).unwrap();
    for (id, text) in [
        ("failover", include_str!("../lessons/recorded/failover.txt")),
        ("election-restriction", include_str!("../lessons/recorded/election-restriction.txt")),
    ] {
        model.apply(Op::Lesson(LessonOp::Loaded { id: id.into(), text: Ok(text.into()) })).unwrap();
    }
    let root = fresh_root();
    mount_model(root.clone(), model);
    root
}

fn lesson_state() -> JsValue {
    ok("lessonState", &[])
}

async fn settled(p: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(p.dyn_into::<Promise>().expect("a promise")).await
}

#[wasm_bindgen_test]
async fn the_lesson_api_lists_starts_steps_and_refuses_bad_calls() {
    let root = mount_with_lessons();
    let list = Array::from(&ok("lessons", &[]));
    assert!(list.length() >= 14);
    let first = list.get(0);
    assert_eq!(get(&first, "id").as_string().as_deref(), Some("replication"));
    assert!(get(&first, "title").as_string().is_some() && get(&first, "steps").as_f64().unwrap() >= 3.0);
    let failover = list.iter().find(|l| get(l, "id").as_string().as_deref() == Some("failover")).unwrap();
    assert_eq!(get(&failover, "steps").as_f64(), Some(5.0));
    assert!(lesson_state().is_null(), "no lesson open yet");
    for (method, args, expected) in [
        ("startLesson", vec![3.into()], "expected a lesson's id such as \"failover\""),
        ("startLesson", vec!["nope".into()], "there is no lesson \"nope\""),
        ("startLesson", vec!["failover".into(), 9.into()], "the step must be a whole number from 1 to 5"),
        ("startLesson", vec!["failover".into(), "2".into()], "the step must be a number"),
        ("nextStep", vec![], "no lesson is open"),
        ("previousStep", vec![], "no lesson is open"),
    ] {
        let e = call(method, &args).expect_err(&format!("{method}({args:?}) must throw"));
        assert!(e.is_instance_of::<js_sys::Error>());
        let m = message(&e);
        assert!(
            m.starts_with(&format!("raftPlayground.{method}: ")) && m.contains(expected),
            "{m:?} should say {expected:?}"
        );
    }
    // Open at step 2: the promise resolves at once (loaded already) and the step card shows.
    settled(ok("startLesson", &["failover".into(), 2.into()])).await.unwrap();
    let st = lesson_state();
    assert_eq!(get(&st, "id").as_string().as_deref(), Some("failover"));
    assert_eq!((get(&st, "step").as_f64(), get(&st, "steps").as_f64()), (Some(2.0), Some(5.0)));
    // Both answers are JSON the page writes by hand: every field, in the
    // documented order, and null (not a missing field) for what is not there.
    let keys = |o: &JsValue| -> Vec<String> {
        Object::keys(o.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()).collect()
    };
    let documented = "id title step steps stepTitle waiting asking ended finished branch";
    assert_eq!(keys(&st), documented.split(' ').collect::<Vec<_>>(), "lessonState()");
    assert!(get(&st, "branch").is_null(), "no offer played: branch null");
    assert_eq!(get(&st, "asking").as_bool(), Some(true), "step 2 asks which servers could win");
    assert_eq!(get(&st, "stepTitle").as_string().as_deref(), Some("The leader crashes"));
    assert_eq!(
        keys(&failover),
        "id title steps group summary available why".split(' ').collect::<Vec<_>>(),
        "lessons()"
    );
    assert_eq!(get(&failover, "available").as_bool(), Some(true));
    assert!(get(&failover, "why").is_null(), "an available lesson: why null");
    assert!(eventually(|| count(&root, ".lesson[data-lesson=\"failover\"][data-step=\"2\"]") == 1).await);
    assert_eq!(get(&state(), "seed").as_f64(), Some(42.0), "the run is the lesson's");
    // The lesson drives the cluster: actions are refused until free play.
    let e = call("crash", &[1.into()]).unwrap_err();
    assert!(message(&e).contains("Free play from here"), "{}", message(&e));
    let st = ok("nextStep", &[]);
    assert_eq!(get(&st, "step").as_f64(), Some(3.0));
    let st = ok("previousStep", &[]);
    assert_eq!(get(&st, "step").as_f64(), Some(2.0));
    assert!(eventually(|| count(&root, ".lesson[data-step=\"2\"]") == 1).await);
    for _ in 0..3 {
        ok("nextStep", &[]);
    }
    assert_eq!(get(&lesson_state(), "step").as_f64(), Some(5.0));
    let e = call("nextStep", &[]).unwrap_err();
    assert!(message(&e).contains("that was the lesson's last step"));
    // A lesson whose recording cannot be fetched: the promise rejects with why, the page keeps running.
    let e = settled(ok("startLesson", &["transfer".into()])).await.unwrap_err();
    assert!(e.is_instance_of::<js_sys::Error>());
    let m = message(&e);
    assert!(m.starts_with("raftPlayground.startLesson: ") && m.contains("could not be loaded"), "{m}");
    assert!(eventually(|| root.query_selector("[data-notice=\"error\"]").unwrap().is_some()).await);
    assert_eq!(get(&lesson_state(), "id").as_string().as_deref(), Some("failover"), "the lesson open stays");
    ok("advance", &[100.into()]);
}

#[wasm_bindgen_test]
async fn a_lesson_step_lights_its_servers_and_entries_and_a_servers_question_takes_clicks() {
    let root = mount_with_lessons();
    settled(ok("startLesson", &["election-restriction".into(), 2.into()])).await.unwrap();
    // Step 2 points at S1 to S4 and at entries 3 to 5 on S1, S2 and S4; it asks at once.
    assert!(eventually(|| count(&root, "svg.ring [data-server][data-lit]") == 4).await);
    assert_eq!(count(&root, "svg.ring [data-server=\"5\"][data-lit]"), 0);
    assert_eq!(count(&root, "svg.ring .lit-ring"), 4);
    assert!(eventually(|| count(&root, ".loggrid td.cell.lit") == 9).await, "{}", count(&root, ".loggrid td.cell.lit"));
    assert_eq!(get(&lesson_state(), "asking").as_bool(), Some(true));
    // Clicking servers on the ring answers instead of opening their menus; a second click takes one back.
    let click = |id: u32| {
        let s = root.query_selector(&format!("svg.ring [data-server=\"{id}\"]")).unwrap().unwrap();
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        s.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    };
    for id in [1, 2, 4, 3, 3] {
        click(id);
        settle().await;
    }
    assert_eq!(count(&root, "[role=\"menu\"]"), 0, "no server menu");
    assert!(eventually(|| count(&root, "svg.ring [data-picked]") == 3).await);
    assert_eq!(count(&root, "svg.ring [data-server=\"3\"][data-picked]"), 0);
    let chosen = root.query_selector(".question .chosen").unwrap().unwrap().text_content().unwrap();
    assert_eq!(chosen, "S1 S2 S4");
    let check: HtmlElement = root.query_selector("[data-op=\"check\"]").unwrap().unwrap().unchecked_into();
    check.click();
    assert!(eventually(|| root.query_selector(".reveal.right").unwrap().is_some()).await, "the answer is right");
    // The explanation's highlights join the step's (S1 S2 S4 again: still four servers lit).
    assert_eq!(count(&root, "svg.ring [data-server][data-lit]"), 4);
    assert!(root.query_selector(".question").unwrap().is_some());
}

/// The Diagram tab: an arrow for each message in flight, drawn from its
/// sender's lane at its send time; the lost one ends in a ✕; clicking an
/// arrow in flight opens it in the inspector; hiding heartbeats hides them.
#[wasm_bindgen_test]
async fn the_diagram_draws_the_messages_of_state_and_an_arrow_click_inspects() {
    let root = mount(5, 4);
    assert!(advance_until(5_000, || leader().is_some()));
    assert!(advance_until(1_000, || Array::from(&get(&state(), "messages")).length() > 1));
    settle().await;
    let tab = root.query_selector("#tab-diagram").unwrap().expect("a Diagram tab");
    tab.dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    let lost = get(&Array::from(&get(&state(), "messages")).get(0), "id").as_f64().unwrap();
    ok("dropMessage", &[lost.into()]);
    settle().await;
    let g =
        root.query_selector(&format!(".diagram-svg g[data-id=\"{lost}\"]")).unwrap().expect("the lost one is drawn");
    assert!(g.query_selector("path[stroke=\"#d00000\"]").unwrap().is_some(), "it ends in a red ✕");
    let st = state();
    let msgs = Array::from(&get(&st, "messages"));
    assert!(msgs.length() > 0);
    for m in msgs.iter() {
        let id = get(&m, "id").as_f64().unwrap();
        let g =
            root.query_selector(&format!(".diagram-svg g[data-id=\"{id}\"]")).unwrap().expect("an arrow per message");
        let title = g.query_selector("title").unwrap().unwrap().text_content().unwrap();
        let (from, to, sent) = (
            get(&m, "from").as_string().unwrap(),
            get(&m, "to").as_string().unwrap(),
            get(&m, "sentAt").as_f64().unwrap(),
        );
        assert!(title.contains(&format!("{from}→{to} sent {sent} ms")), "{title}");
        assert!(title.contains(&get(&m, "kind").as_string().unwrap()), "{title}");
    }
    // Clicking an arrow in flight opens that message in the inspector.
    let id = get(&msgs.get(0), "id").as_f64().unwrap();
    let line = root.query_selector(&format!(".diagram-svg g[data-id=\"{id}\"] line")).unwrap().unwrap();
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    line.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    settle().await;
    let text = root.query_selector(".inspector").unwrap().expect("the inspector opens").text_content().unwrap();
    assert!(text.contains(&format!("Message #{id}")), "{text}");
    // Hiding heartbeats hides every heartbeat's arrow.
    ok("advance", &[300.into()]);
    settle().await;
    let heartbeats = |root: &Element| {
        texts(root, ".diagram-svg g[data-id] title").iter().filter(|t| t.contains(" Heartbeat ")).count()
    };
    assert!(heartbeats(&root) > 0, "a leader's heartbeats are drawn");
    root.query_selector(".diagram-bar button[aria-expanded]").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    settle().await;
    let chip = all(&root, ".dfilter label")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default() == "Heartbeat")
        .expect("a Heartbeat checkbox");
    chip.query_selector("input").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(heartbeats(&root), 0);
    assert!(count(&root, ".diagram-svg g[data-id]") > 0, "the other messages stay");
}

/// The Diagram's arrows drawn: (id, kind, from, to), read from each arrow's
/// title ("#12 Heartbeat S1→S3 sent 340 ms").
fn drawn_arrows(root: &Element) -> Vec<(u64, String, String, String)> {
    let mut v: Vec<_> = texts(root, ".diagram-svg g[data-id] > title")
        .iter()
        .map(|t| {
            let w: Vec<&str> = t.split(' ').collect();
            let (from, to) = w[2].split_once('→').unwrap();
            (w[0][1..].parse().unwrap(), w[1].to_string(), from.to_string(), to.to_string())
        })
        .collect();
    v.sort();
    v
}

/// The Diagram's filter hides what it says: a kind hidden takes away
/// exactly the arrows of that kind (the messages in flight of `state()`
/// too), a server hidden its lane and exactly the arrows from or to it (by
/// its chip or by a click on its lane's name), and showing them again
/// brings back the same arrows.
#[wasm_bindgen_test]
async fn the_diagrams_filters_hide_what_they_say() {
    let root = mount(5, 11);
    assert!(advance_until(5_000, || leader().is_some()));
    ok("write", &["x".into(), 1.into()]);
    ok("advance", &[120.into()]);
    ok("showPanel", &["diagram".into()]);
    settle().await;
    let before = drawn_arrows(&root);
    let kinds: Vec<String> = before.iter().map(|a| a.1.clone()).collect();
    assert!(kinds.iter().any(|k| k == "Heartbeat") && kinds.iter().any(|k| k != "Heartbeat"), "{kinds:?}");
    let lanes = |root: &Element| texts(root, ".diagram-svg text[font-size=\"13\"]");
    assert_eq!(lanes(&root), ["S1", "S2", "S3", "S4", "S5", "client"]);
    let click = |el: Element| {
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        el.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    };
    // A checkbox of the filter, by its label.
    let chip = |root: &Element, label: &str| -> web_sys::HtmlInputElement {
        let l = all(root, ".dfilter label")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default() == label)
            .unwrap_or_else(|| panic!("a checkbox {label}"));
        l.query_selector("input").unwrap().unwrap().unchecked_into()
    };
    let filter = root.query_selector(".diagram-bar button[aria-expanded]").unwrap().expect("a Filter button");
    assert_eq!(filter.get_attribute("aria-expanded").as_deref(), Some("false"));
    filter.clone().unchecked_into::<HtmlElement>().focus().unwrap();
    filter.clone().unchecked_into::<HtmlElement>().click();
    settle().await;
    // (The same button, still with the keyboard's focus.)
    assert_eq!(filter.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert!(document().active_element() == Some(filter.clone()));
    // A checkbox per kind, as the inspector names them, and per server, ticked while shown.
    for k in ["PreVote", "RequestVote", "VoteReply", "AppendEntries", "Heartbeat", "AppendReply", "ClientRequest", "S5"]
    {
        assert!(chip(&root, k).checked(), "{k}");
    }
    // Each kind drawn, hidden: exactly its arrows go; shown again: they come back.
    let mut distinct = kinds.clone();
    distinct.sort();
    distinct.dedup();
    for kind in &distinct {
        let focus = chip(&root, kind);
        focus.focus().unwrap();
        focus.click();
        settle().await;
        let want: Vec<_> = before.iter().filter(|a| &a.1 != kind).cloned().collect();
        assert_eq!(drawn_arrows(&root), want, "{kind} hidden");
        assert!(!chip(&root, kind).checked());
        assert_eq!(filter.get_attribute("data-n").as_deref(), Some("1"), "the Filter button counts it");
        // The checkbox stays where it was, with the keyboard's focus.
        assert!(focus.is_connected() && document().active_element() == Some(focus.clone().into()));
        // The messages in flight of that kind are not drawn; the others are.
        for m in Array::from(&get(&state(), "messages")).iter() {
            let id = get(&m, "id").as_f64().unwrap();
            let drawn = root.query_selector(&format!(".diagram-svg g[data-id=\"{id}\"]")).unwrap().is_some();
            assert_eq!(drawn, get(&m, "kind").as_string().as_ref() != Some(kind), "message {id}");
        }
        chip(&root, kind).click();
        settle().await;
        assert_eq!(drawn_arrows(&root), before, "{kind} shown again");
    }
    // A server hidden by its chip: its lane and exactly the arrows from or to it go.
    let touches = |a: &(u64, String, String, String), s: &str| a.2 == s || a.3 == s;
    chip(&root, "S2").click();
    settle().await;
    assert_eq!(lanes(&root), ["S1", "S3", "S4", "S5", "client"]);
    let want: Vec<_> = before.iter().filter(|a| !touches(a, "S2")).cloned().collect();
    assert!(want.len() < before.len(), "S2 had arrows");
    assert_eq!(drawn_arrows(&root), want);
    // Another by a click on its lane's name.
    click(root.query_selector(".diagram-svg text[data-l=\"19\"]").unwrap().expect("S4's name"));
    settle().await;
    assert_eq!(lanes(&root), ["S1", "S3", "S5", "client"]);
    let want: Vec<_> = want.into_iter().filter(|a| !touches(a, "S4")).collect();
    assert_eq!(drawn_arrows(&root), want);
    assert!(!chip(&root, "S4").checked() && !chip(&root, "S2").checked() && chip(&root, "S3").checked());
    assert_eq!(filter.get_attribute("data-n").as_deref(), Some("2"));
    // Show all: everything back.
    root.query_selector(".dfilter button").unwrap().expect("Show all").unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(lanes(&root), ["S1", "S2", "S3", "S4", "S5", "client"]);
    assert_eq!(drawn_arrows(&root), before);
    assert_eq!(filter.get_attribute("data-n").as_deref(), Some("0"));
    assert!(chip(&root, "S2").checked() && chip(&root, "S4").checked());
    // A box unticked by hand, then Show all: the box says what is drawn again
    // (the markup it was written from had not changed).
    chip(&root, "Heartbeat").click();
    settle().await;
    assert!(!chip(&root, "Heartbeat").checked());
    root.query_selector(".dfilter button").unwrap().expect("Show all").unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(drawn_arrows(&root), before);
    assert!(chip(&root, "Heartbeat").checked(), "Show all ticks the box it shows again");
    // And a lane's name hides a server whose box was ticked back by hand.
    let s1 = |root: &Element| root.query_selector(".diagram-svg text[data-l=\"16\"]").unwrap().expect("S1's name");
    click(s1(&root));
    settle().await;
    assert!(!chip(&root, "S1").checked());
    chip(&root, "S1").click();
    settle().await;
    assert!(chip(&root, "S1").checked());
    assert_eq!(lanes(&root), ["S1", "S2", "S3", "S4", "S5", "client"]);
    click(s1(&root));
    settle().await;
    assert_eq!(lanes(&root), ["S2", "S3", "S4", "S5", "client"]);
    assert!(!chip(&root, "S1").checked(), "the box says S1 is hidden");
}

/// The client op `id` of `state().client`.
fn client_op(id: f64) -> JsValue {
    let ops: Vec<JsValue> = Array::from(&get(&state(), "client")).iter().collect();
    ops.into_iter().find(|o| get(o, "id").as_f64() == Some(id)).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
async fn read_returns_the_op_id_and_its_answer_shows_in_state_and_the_client_panel() {
    let root = mount(3, 5);
    assert!(advance_until(5000, || leader().is_some()), "a leader");
    let never = ok("read", &["nope".into()]).as_f64().expect("read returns the op id");
    ok("write", &["x".into(), 3.into()]);
    let write = get(&state(), "client").dyn_into::<Array>().unwrap().length() as f64 - 1.0;
    assert!(advance_until(3000, || get(&client_op(write), "status").as_string().as_deref() == Some("acknowledged")));
    let read = ok("read", &["x".into()]).as_f64().unwrap();
    assert!(read > write && never < write, "ids in invocation order: {never}, {write}, {read}");
    assert!(advance_until(3000, || get(&client_op(read), "status").as_string().as_deref() == Some("acknowledged")));
    assert_eq!(get(&client_op(read), "value").as_f64(), Some(3.0), "a read after an acknowledged write returns it");
    assert!(get(&client_op(never), "value").is_null(), "a key never written reads as null");
    assert!(get(&client_op(write), "value").is_undefined(), "writes have no value");
    // Bad arguments throw with the method's name; nothing is sent.
    for (args, says) in [(vec![3.into()], "the key must be a string"), (vec!["x y".into()], "is not valid")] {
        let e = call("read", &args).expect_err("refused");
        assert!(message(&e).contains("read") && message(&e).contains(says), "{}", message(&e));
    }
    assert!(call("read", &["x".into(), 9.into()]).is_err(), "no server S9");
    // The Client panel: the read's answer, and its Read button reads the form's key.
    ok("showPanel", &["client".into()]);
    settle().await;
    assert!(eventually(|| root.text_content().unwrap_or_default().contains("x = 3")).await, "the answer is shown");
    let before = get(&state(), "client").dyn_into::<Array>().unwrap().length();
    let button = root.query_selector(".write-form button[type=button]").unwrap().expect("a Read button");
    assert_eq!(button.text_content().unwrap().trim(), "Read");
    button.dyn_into::<HtmlElement>().unwrap().click();
    let ops = get(&state(), "client").dyn_into::<Array>().unwrap();
    assert_eq!(ops.length(), before + 1);
    assert_eq!(get(&ops.get(before), "command").as_string().as_deref(), Some("read x"));
}

#[wasm_bindgen_test]
async fn the_setup_panels_options_change_the_running_cluster() {
    let root = mount(3, 6);
    ok("showPanel", &["setup".into()]);
    settle().await;
    let click = |sel: &str| {
        root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("{sel}")).dyn_into::<HtmlElement>().unwrap().click()
    };
    let texts = || -> Vec<String> {
        Array::from(&ok("events", &[0.into(), 10000.into()]))
            .iter()
            .map(|e| get(&e, "text").as_string().unwrap())
            .collect()
    };
    click("[data-preset=\"1\"]");
    assert!(texts().contains(&"options: pre-vote on".to_string()), "{:?}", texts());
    assert!(eventually(|| root.query_selector("input[data-opt=\"check_quorum\"]:checked").unwrap().is_some()).await);
    click("input[data-opt=\"unsafe_forget_vote_on_restart\"]");
    assert_eq!(texts().last().map(String::as_str), Some("what if (not Raft): forget the vote on restart on"));
    // With pre-vote on, an isolated server's timer runs out without raising its term.
    assert!(advance_until(5000, || leader().is_some()), "a leader");
    let lone =
        servers(&state()).into_iter().find(|s| get(s, "role").as_string().as_deref() == Some("follower")).unwrap();
    let (name, term) = (get(&lone, "name").as_string().unwrap(), get(&lone, "term").as_f64().unwrap());
    ok("disconnect", &[name.clone().into()]);
    ok("advance", &[2000.into()]);
    let now = servers(&state()).into_iter().find(|s| get(s, "name").as_string() == Some(name.clone())).unwrap();
    assert_eq!(get(&now, "term").as_f64(), Some(term), "pre-vote keeps a cut-off server's term");
}

/// The log grid draws the columns that fit its width (and two more);
/// scrolled back to its first column, it draws all 40 (the columns in view
/// stay in view) until the longest log changes, which fits it again.
#[wasm_bindgen_test]
async fn the_log_grid_scrolled_back_to_its_first_column_draws_the_older_ones() {
    let root = mount(3, 5);
    let _css = PageCss::add();
    assert!(advance_until(5_000, || leader().is_some()));
    for v in 0..60 {
        ok("write", &["k".into(), v.into()]);
        ok("advance", &[30.into()]);
    }
    ok("advance", &[1_000.into()]);
    ok("showPanel", &["logs".into()]);
    settle().await;
    let cols = || count(&root, ".loggrid thead th.idx");
    let grid = || root.query_selector(".loggrid").unwrap().unwrap();
    assert!(
        eventually(|| grid().scroll_left() > 0).await,
        "scrolled to its newest column: {} columns, {} of {} pixels",
        cols(),
        grid().client_width(),
        grid().scroll_width()
    );
    let fitted = cols();
    assert!(fitted < 40, "{fitted}");
    grid().set_scroll_left(0);
    grid().dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    assert!(eventually(|| cols() == 40).await, "{}", cols());
    assert!(grid().scroll_left() > 0, "the columns that were in view stay in view");
    ok("write", &["k".into(), 99.into()]);
    ok("advance", &[500.into()]);
    assert!(eventually(|| cols() == fitted).await, "{} columns, {fitted} before", cols());
}

/// A seek keeps the log grid's elements and rewrites only what differs
/// (`ui::logs::morph`): after seeks back and forth, the table is, attribute
/// for attribute and text for text, the table the page drew while the run
/// passed that moment, and most of its cells are the elements it had before
/// the seek.
#[wasm_bindgen_test]
async fn after_seeks_the_log_grid_is_the_grid_drawn_when_the_run_passed_that_moment() {
    let root = mount(5, 33);
    assert!(advance_until(5_000, || leader().is_some()));
    let table = || root.query_selector(".loggrid table").unwrap().expect("the log grid's table");
    for v in 0..24 {
        ok("write", &["a".into(), v.into()]);
        ok("advance", &[20.into()]);
    }
    let mut seen = Vec::new();
    for i in 0..8 {
        for v in 0..3 + i % 3 {
            ok("write", &[format!("k{v}").into(), (i * 10 + v).into()]);
        }
        if i == 5 {
            ok("crash", &[leader().unwrap().into()]);
        }
        ok("advance", &[(400 + i * 130).into()]);
        // The grid is written in an effect, which Yew's scheduler may run
        // after the frames `settle` waits for: taken once two settles in a
        // row find the same table.
        settle().await;
        let mut html = String::new();
        assert!(
            eventually(|| {
                let drawn = table().inner_html();
                std::mem::replace(&mut html, drawn) == html
            })
            .await,
            "the grid settles"
        );
        seen.push((now(), html, stringify(&state())));
        // (The next writes a moment later: a seek shows a moment after its actions.)
        ok("advance", &[1.into()]);
    }
    for k in [2usize, 6, 0, 7, 3, 5, 1, 4, 7] {
        let (t, want, st) = &seen[k];
        let cells = all(&root, ".loggrid td");
        ok("seek", &[(*t).into()]);
        assert_eq!(&stringify(&state()), st, "state() at {t} ms");
        assert!(
            eventually(|| table().inner_html() == *want).await,
            "the grid at {t} ms: {}",
            first_difference(&table().inner_html(), want)
        );
        let kept = cells.iter().filter(|c| c.is_connected()).count();
        assert!(kept * 2 > cells.len(), "the cells stay at a seek: {kept} of {}", cells.len());
    }
}

/// Where two texts first differ, with about 100 characters either side of
/// it in each (a whole table's markup is too long to read in a failure).
fn first_difference(got: &str, want: &str) -> String {
    let at = got.bytes().zip(want.bytes()).take_while(|(a, b)| a == b).count();
    let around = |s: &str| {
        let from = (at.saturating_sub(100)..=at).find(|&i| s.is_char_boundary(i)).unwrap_or(0);
        let to = (at + 100..=s.len()).find(|&i| s.is_char_boundary(i)).unwrap_or(s.len());
        s[from.min(s.len())..to].to_string()
    };
    format!("at byte {at} of {} / {}: got …{}… want …{}…", got.len(), want.len(), around(got), around(want))
}

/// Log compaction on the page (issue 13; the browser tests have the
/// `compaction` feature): a run started with a small snapshot threshold
/// shows each server's compacted prefix as one snapshot cell in the log
/// grid, a crashed follower gets the leader's snapshot, and the threshold is
/// in the Setup panel, the legend names InstallSnapshot.
#[cfg(feature = "compaction")]
#[wasm_bindgen_test]
async fn a_small_snapshot_threshold_shows_snapshot_cells_in_the_log_grid() {
    let root = fresh_root();
    let opts =
        js_sys::JSON::parse("{\"servers\": 3, \"seed\": 21, \"paused\": true, \"snapshotThreshold\": 5}").unwrap();
    mount_playground(root.clone().into(), opts).unwrap_or_else(|_| panic!("mounted"));
    assert!(advance_until(5_000, || leader().is_some()));
    let l = leader().unwrap();
    let follower =
        servers(&state()).into_iter().map(|s| get(&s, "name").as_string().unwrap()).find(|n| *n != l).unwrap();
    ok("crash", &[follower.clone().into()]);
    for v in 0..30 {
        ok("write", &[format!("k{}", v % 6).into(), v.into()]);
        ok("advance", &[30.into()]);
    }
    ok("restart", &[follower.clone().into()]);
    let snap_of = |name: &str| {
        let s = servers(&state()).into_iter().find(|s| get(s, "name").as_string().as_deref() == Some(name)).unwrap();
        get(&s, "snapshot")
    };
    assert!(
        advance_until(5_000, || get(&snap_of(&follower), "index").as_f64().is_some_and(|i| i > 5.0)),
        "the restarted follower installs the leader's snapshot"
    );
    settle().await;
    for s in servers(&state()) {
        let id = get(&s, "id").as_f64().unwrap() as u32;
        let (index, term) = (get(&s, "snapshot.index").as_f64().unwrap(), get(&s, "snapshot.term").as_f64().unwrap());
        let cell = root.query_selector(&format!("[data-log=\"{id}\"] td.cell.snap")).unwrap();
        let cell = cell.unwrap_or_else(|| panic!("S{id} has a snapshot cell"));
        assert_eq!(cell.get_attribute("data-snapshot"), Some(index.to_string()));
        let text = cell.query_selector(".cmd").unwrap().unwrap().text_content().unwrap();
        assert_eq!(text, format!("≤{index} t{term}"));
        let title = cell.get_attribute("title").unwrap();
        assert!(title.contains(&format!("last included index {index}, term {term}")), "{title}");
        assert!(title.contains("keys: k0="), "{title}");
        // Aligned: the row's cells cover as many columns as the header has.
        let header = count(&root, ".loggrid thead th.idx");
        let row = all(&root, &format!("[data-log=\"{id}\"] td"));
        let covered: u32 = row.iter().map(|td| td.get_attribute("colspan").map_or(1, |c| c.parse().unwrap())).sum();
        assert_eq!(covered, header, "S{id}'s row covers every column");
    }
    // The threshold in the Setup panel, and InstallSnapshot in the legend.
    ok("showPanel", &["setup".into()]);
    settle().await;
    let input: web_sys::HtmlInputElement = root.query_selector("#set-snapshot").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(input.value(), "5");
    ok("showPanel", &["legend".into()]);
    settle().await;
    assert_eq!(count(&root, ".legend-list [data-kind=\"InstallSnapshot\"]"), 1);
    assert_eq!(count(&root, ".legend-list [data-kind=\"SnapshotReply\"]"), 1);
}

/// The snapshot threshold field (log compaction): what the visitor types
/// stays in the field while the run goes on (the panel is drawn again at
/// each moment), text that is not a number is refused with a sentence under
/// the field and nothing applied, the sentence goes when the run's threshold
/// changes another way (a seek back), and `reset({seed})` keeps the threshold.
#[cfg(feature = "compaction")]
#[wasm_bindgen_test]
async fn the_snapshot_threshold_field_keeps_what_is_typed_and_refuses_text() {
    let root = fresh_root();
    let opts =
        js_sys::JSON::parse("{\"servers\": 3, \"seed\": 4, \"paused\": true, \"snapshotThreshold\": 5}").unwrap();
    mount_playground(root.clone().into(), opts).unwrap_or_else(|_| panic!("mounted"));
    ok("showPanel", &["setup".into()]);
    settle().await;
    let field =
        || -> web_sys::HtmlInputElement { root.query_selector("#set-snapshot").unwrap().unwrap().dyn_into().unwrap() };
    let type_in = Function::new_with_args(
        "el, text",
        "el.value = text; el.dispatchEvent(new InputEvent('input', { bubbles: true }))",
    );
    let change = Function::new_with_args("el", "el.dispatchEvent(new Event('change', { bubbles: true }))");
    let events = || Array::from(&get(&state(), "events")).length();
    // Typed, not applied yet: the run goes on and the text stays.
    type_in.call2(&JsValue::NULL, &field(), &"12".into()).unwrap();
    settle().await;
    ok("advance", &[300.into()]);
    settle().await;
    assert_eq!(field().value(), "12", "a drawing of the panel keeps the text typed");
    // Applied at 300 ms (an event of the run says it).
    let before = events();
    change.call1(&JsValue::NULL, &field()).unwrap();
    settle().await;
    assert_eq!(events(), before + 1, "the change is one of the run's events");
    assert_eq!(field().value(), "12");
    assert_eq!(count(&root, "#snapshot-why"), 0);
    ok("advance", &[300.into()]);
    // Refused: the sentence, the field marked, the text kept and nothing applied.
    let before = events();
    type_in.call2(&JsValue::NULL, &field(), &"1e".into()).unwrap();
    change.call1(&JsValue::NULL, &field()).unwrap();
    settle().await;
    assert_eq!(events(), before, "nothing applied");
    let why = root.query_selector("#snapshot-why").unwrap().expect("the refusal's sentence shows");
    assert!(why.text_content().unwrap().contains("it is still 12"), "{:?}", why.text_content());
    assert_eq!(field().get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(field().get_attribute("aria-describedby").as_deref(), Some("snapshot-why"));
    ok("advance", &[100.into()]);
    settle().await;
    assert_eq!(field().value(), "1e", "the refused text stays to be fixed");
    assert_eq!(count(&root, "#snapshot-why"), 1);
    // Back before the change: the run's threshold is 5 again, the sentence ("still 12") goes.
    ok("seek", &[100.into()]);
    settle().await;
    assert_eq!(count(&root, "#snapshot-why"), 0, "the sentence is about a threshold the run no longer has");
    assert_eq!(field().get_attribute("aria-invalid").as_deref(), Some("false"));
    assert_eq!(field().get_attribute("aria-describedby"), None);
    // A valid number applies and clears the text kept.
    type_in.call2(&JsValue::NULL, &field(), &"7".into()).unwrap();
    change.call1(&JsValue::NULL, &field()).unwrap();
    settle().await;
    ok("advance", &[100.into()]);
    settle().await;
    assert_eq!(field().value(), "7");
    // A new run with another seed keeps the threshold.
    ok("reset", &[js_sys::JSON::parse("{\"seed\": 9}").unwrap()]);
    settle().await;
    assert_eq!(field().value(), "7", "reset({{seed}}) keeps the run's threshold");
    assert_eq!(count(&root, "#snapshot-why"), 0);
}

// ----- the Diagram linked with the ring, the timeline, the feed and lessons (issue 12) -----

/// Dispatches a bubbling mouse event `kind` on `el` at client height `y` (0: none given).
fn mouse_at(el: &Element, kind: &str, y: f64) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_y(y as i32);
    el.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict(kind, &init).unwrap()).unwrap();
}

/// The ids of the messages in flight, as `state()` has them.
fn in_flight_ids() -> Vec<u64> {
    Array::from(&get(&state(), "messages")).iter().map(|m| get(&m, "id").as_f64().unwrap() as u64).collect()
}

/// Whether the Diagram's arrow `id` is drawn lit (its line 5 px wide).
fn arrow_lit(root: &Element, id: u64) -> bool {
    root.query_selector(&format!(".diagram-svg g[data-id=\"{id}\"] line"))
        .unwrap()
        .is_some_and(|l| computed(&l, "stroke-width") == "5px")
}

/// Hovering an arrow in flight lights it and its message on the ring;
/// hovering a message on the ring lights its arrow; clicking a delivered or
/// a lost arrow lights it and says what it was, when it was sent and how it ended.
#[wasm_bindgen_test]
async fn the_diagram_and_the_ring_light_the_same_message_both_ways() {
    // (The style lays the ring's upper layer, where the messages are, over the ring.)
    let root = mount(5, 4);
    let _css = PageCss::add();
    assert!(advance_until(5_000, || leader().is_some()));
    assert!(advance_until(1_000, || in_flight_ids().len() > 2));
    ok("showPanel", &["diagram".into()]);
    settle().await;
    let ids = in_flight_ids();
    let (a, b) = (ids[0], ids[1]);
    assert!(!arrow_lit(&root, a) && !arrow_lit(&root, b), "nothing lit at first");
    // The pointer on arrow a: lit, and its message on the ring too (not b's).
    let ring_msg = |id: u64| root.query_selector(&format!("svg.ring [data-message=\"{id}\"]")).unwrap().unwrap();
    let line = root.query_selector(&format!(".diagram-svg g[data-id=\"{a}\"] line")).unwrap().unwrap();
    mouse_at(&line, "mouseover", 0.0);
    assert!(eventually(|| arrow_lit(&root, a)).await, "the hovered arrow is lit");
    let style = texts(&root, ".diagram style").join("");
    assert!(computed(&ring_msg(a), "filter").contains("drop-shadow"), "its message is lit on the ring: {style}");
    assert_eq!(computed(&ring_msg(b), "filter"), "none");
    assert!(!arrow_lit(&root, b));
    mouse_at(&root.query_selector(".diagram-svg svg rect").unwrap().unwrap(), "mouseover", 0.0);
    assert!(eventually(|| !arrow_lit(&root, a)).await, "unlit when the pointer leaves");
    assert_eq!(computed(&ring_msg(a), "filter"), "none");
    // The pointer on message b on the ring (where it is drawn): its arrow is lit.
    let r = ring_msg(b).get_bounding_client_rect();
    let (x, y) = (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0);
    let ring = root.query_selector("svg.ring").unwrap().unwrap();
    let point = Function::new_with_args(
        "el,x,y",
        "el.dispatchEvent(new PointerEvent('pointermove',{bubbles:true,clientX:x,clientY:y,pointerType:'mouse'}))",
    );
    point.call3(&JsValue::NULL, &ring, &x.into(), &y.into()).unwrap();
    assert!(eventually(|| arrow_lit(&root, b)).await, "the arrow of the message hovered on the ring is lit");
    assert!(root.query_selector(&format!("svg.ring .msg.hovered[data-message=\"{b}\"]")).unwrap().is_some());
    point.call3(&JsValue::NULL, &ring, &(-50.0).into(), &(-50.0).into()).unwrap();
    let leave =
        Function::new_with_args("el", "el.dispatchEvent(new PointerEvent('pointerleave',{pointerType:'mouse'}))");
    // (The pointer leaves the box of the ring and the layer over it: see `ring`.)
    leave.call1(&JsValue::NULL, &root.query_selector(".ring-box").unwrap().unwrap()).unwrap();
    // A lost arrow and a delivered one, clicked: lit, and a note says what each was.
    ok("dropMessage", &[(a as f64).into()]);
    ok("advance", &[40.into()]);
    settle().await;
    let flying = in_flight_ids();
    let delivered = all(&root, ".diagram-svg g[data-id]")
        .iter()
        .filter_map(|g| g.get_attribute("data-id")?.parse::<u64>().ok())
        .find(|id| {
            *id != a
                && !flying.contains(id)
                && root.query_selector(&format!("g[data-id=\"{id}\"] path[stroke=\"#d00000\"]")).unwrap().is_none()
        })
        .expect("a delivered arrow");
    for (id, end) in [(a, ", dropped by hand at "), (delivered, ", arrived at ")] {
        let line = root.query_selector(&format!(".diagram-svg g[data-id=\"{id}\"] line")).unwrap().unwrap();
        mouse_at(&line, "click", 0.0);
        assert!(eventually(|| arrow_lit(&root, id)).await, "the arrow clicked is lit");
        let note = root.query_selector(".diagram").unwrap().unwrap().get_attribute("data-note").expect("a note");
        assert!(note.starts_with(&format!("#{id} ")) && note.contains(" sent ") && note.contains(end), "{note}");
        assert!(root.query_selector(".inspector").unwrap().is_none(), "no inspector for a message gone");
    }
}

/// The topmost element at (x, y) of the viewport, where a click there lands.
fn element_at(x: f64, y: f64) -> Element {
    let f = Function::new_with_args("x,y", "return document.elementFromPoint(x,y)");
    f.call2(&JsValue::NULL, &x.into(), &y.into()).unwrap().dyn_into().expect("an element there")
}

/// A click at (x, y), on the element there (bubbling, as Yew listens at the root).
fn click_at(x: f64, y: f64) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    element_at(x, y).dispatch_event(&click).unwrap();
}

/// The centre of an element's box, on whole pixels.
fn centre(el: &Element) -> (f64, f64) {
    let r = el.get_bounding_client_rect();
    ((r.left() + r.width() / 2.0).round(), (r.top() + r.height() / 2.0).round())
}

/// What changes at every frame, the messages in flight and the servers'
/// timer arcs, is drawn on a second svg over the ring (a layer of its own,
/// the same box and units: the browser rasters again only that layer), which
/// lets clicks and the pointer through to the ring but on the messages: a
/// click on a server's group tag (beyond its disc) or timer arc, on the
/// client or on a message takes what it took when all were on one svg.
#[wasm_bindgen_test]
async fn what_moves_is_drawn_over_the_ring_and_clicks_reach_what_they_did() {
    let root = mount(5, 4);
    let _css = PageCss::add();
    // In the window's view, where a click finds what it lands on.
    root.set_attribute("style", "width:720px;height:520px;position:fixed;left:0;top:0").unwrap();
    assert!(advance_until(5_000, || leader().is_some()));
    ok("partition", &[js_sys::JSON::parse("[[1,2],[3,4,5]]").unwrap()]);
    assert!(advance_until(1_000, || in_flight_ids().len() > 2));
    settle().await;
    let svgs = all(&root, "svg.ring");
    assert_eq!(svgs.len(), 2, "the ring and the layer over it");
    let (ring, top) = (&svgs[0], &svgs[1]);
    let (a, b) = (ring.get_bounding_client_rect(), top.get_bounding_client_rect());
    assert_eq!((a.left(), a.top(), a.width(), a.height()), (b.left(), b.top(), b.width(), b.height()));
    assert_eq!(ring.get_attribute("viewBox"), top.get_attribute("viewBox"));
    for svg in &svgs {
        assert_eq!(computed(svg, "will-change"), "transform", "each a layer of its own (the same whole pixels)");
    }
    assert_eq!(computed(top, "pointer-events"), "none");
    let n = |el: &Element, sel: &str| el.query_selector_all(sel).unwrap().length();
    assert_eq!(n(ring, "[data-message], .timer"), 0, "nothing that moves on the ring itself");
    assert_eq!(n(top, "[data-message]") as usize, in_flight_ids().len(), "every message in flight, over the ring");
    assert!(n(top, ".timer") > 0 && n(top, ".group-tag") == 5, "the timer arcs and the group tags over them");
    assert_eq!(n(top, "[data-server], [tabindex], [role=\"button\"]"), 0, "nothing there takes focus");
    // For assistive technology: each message in flight an image with its name, as when it was on the
    // ring; the arcs and what lies over them hidden (the servers on the ring say what there is, with
    // the unseen copies of their tags: read there, not twice).
    let hidden = |el: &Element| el.closest("[aria-hidden=\"true\"]").unwrap().is_some();
    for m in all(top, "[data-message]") {
        assert!(!hidden(&m), "message {:?} is not hidden from assistive technology", m.get_attribute("data-message"));
        assert_eq!(m.get_attribute("role").as_deref(), Some("img"));
        assert!(m.get_attribute("aria-label").is_some_and(|l| l.starts_with("Message #")), "a message's name");
    }
    assert!(all(top, ".msg.lost").iter().all(hidden), "a lost message is hidden");
    let over = all(top, ".timer, .timer-track, .group-tag, .pick-badge");
    assert!(over.len() >= 10 && over.iter().all(hidden), "the arcs, tags and badges over the ring are hidden");
    for tag in all(ring, ".group-tag") {
        assert!(!hidden(&tag), "a tag's unseen copy on the ring is what a reader meets");
        let server = tag.closest("[data-server]").unwrap().expect("in its server's group");
        assert!(server.get_attribute("aria-label").is_some());
    }
    let menu_of = || root.query_selector(".menu").unwrap().and_then(|m| m.get_attribute("data-menu-of"));
    let close_menu = || root.query_selector(".menu .x").unwrap().unwrap().dyn_into::<HtmlElement>().unwrap().click();
    for id in 1..=5 {
        let server = ring.query_selector(&format!("[data-server=\"{id}\"]")).unwrap().unwrap();
        let hit = server.query_selector(".hit").unwrap().unwrap();
        let ((cx, cy), reach) = (centre(&hit), hit.get_bounding_client_rect().width() / 2.0);
        // The corner of its group tag farthest from its centre, beyond its disc.
        let t = server.query_selector(".group-tag rect").unwrap().unwrap().get_bounding_client_rect();
        let (x, y) = [(t.left() + 2.0, t.top() + 2.0), (t.right() - 2.0, t.top() + 2.0)]
            .map(|(x, y): (f64, f64)| (x.round(), y.round()))
            .into_iter()
            .max_by(|p, q| ((p.0 - cx).hypot(p.1 - cy)).total_cmp(&(q.0 - cx).hypot(q.1 - cy)))
            .unwrap();
        assert!((x - cx).hypot(y - cy) > reach + 1.0, "S{id}: the tag's corner lies beyond its disc");
        let at = element_at(x, y).closest("[data-server]").unwrap().and_then(|g| g.get_attribute("data-server"));
        assert_eq!(at, Some(id.to_string()), "S{id}'s tag takes the pointer");
        click_at(x, y);
        assert!(eventually(|| menu_of() == Some(id.to_string())).await, "a click on S{id}'s tag opens its menu");
        close_menu();
        settle().await;
    }
    // The top of a timer arc (each arc drains clockwise from there).
    let arcs = top.query_selector_all(".timer").unwrap();
    for i in 0..arcs.length() {
        let arc: Element = arcs.get(i).unwrap().dyn_into().unwrap();
        let (x, _) = centre(&arc);
        let y = arc.get_bounding_client_rect().top().round();
        let server = element_at(x, y).closest("[data-server]").unwrap().expect("the arc's server takes the pointer");
        let id = server.get_attribute("data-server");
        assert_eq!(server.get_attribute("transform"), arc.parent_element().unwrap().get_attribute("transform"));
        click_at(x, y);
        assert!(eventually(|| menu_of() == id).await, "a click on the timer arc of {id:?} opens its menu");
        close_menu();
        settle().await;
    }
    let (x, y) = centre(&ring.query_selector(".client-box .box").unwrap().unwrap());
    click_at(x, y);
    let tab = || root.query_selector(".app").unwrap().unwrap().get_attribute("data-tab");
    assert!(eventually(|| tab().as_deref() == Some("client")).await, "a click on the client opens its panel");
    // A message: one not under another (copies sent at once start together).
    let (id, (x, y)) = in_flight_ids()
        .into_iter()
        .map(|id| (id, centre(&top.query_selector(&format!("[data-message=\"{id}\"]")).unwrap().unwrap())))
        .find(|&(id, (x, y))| {
            element_at(x, y).closest("[data-message]").unwrap().and_then(|g| g.get_attribute("data-message"))
                == Some(id.to_string())
        })
        .expect("a message on top where it is drawn");
    click_at(x, y);
    assert!(
        eventually(|| texts(&root, ".inspector").concat().contains(&format!("Message #{id}"))).await,
        "a click on message {id} inspects it"
    );
}

/// A click on the moving dot of a message in flight (a tip that lets the
/// pointer through to the rect hiding the arrows below "now") opens that
/// message in the inspector, and seeks nowhere.
#[wasm_bindgen_test]
async fn clicking_the_dot_of_a_message_in_flight_inspects_it() {
    let root = mount(5, 4);
    assert!(advance_until(5_000, || leader().is_some()));
    assert!(advance_until(1_000, || !in_flight_ids().is_empty()));
    ok("showPanel", &["diagram".into()]);
    settle().await;
    let before = now();
    let cut = root.query_selector(".diagram-svg svg > rect[width=\"100%\"]").unwrap().expect("the rect below now");
    let y = cut.get_bounding_client_rect().top();
    // Each dot: where its line (drawn to its arrival) crosses "now", the rect's top.
    let dot = |id: u64| {
        let line = root.query_selector(&format!(".diagram-svg g[data-id=\"{id}\"] line")).unwrap()?;
        let r = line.get_bounding_client_rect();
        let f = ((y - r.top()) / r.height().max(1.0)).clamp(0.0, 1.0);
        let attr = |a: &str| line.get_attribute(a).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        Some(if attr("x2") >= attr("x1") { r.left() + f * r.width() } else { r.right() - f * r.width() })
    };
    let dots: Vec<(u64, f64)> = in_flight_ids().into_iter().filter_map(|id| Some((id, dot(id)?))).collect();
    // One whose dot is clear of the others (copies sent at once start together).
    let (id, x) = *dots
        .iter()
        .find(|(id, x)| dots.iter().all(|(o, ox)| o == id || (ox - x).abs() > 14.0))
        .expect("a message in flight with a dot of its own");
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((x + 1.0) as i32);
    init.set_client_y((y + 2.0) as i32);
    cut.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    assert!(
        eventually(|| root.query_selector(".inspector").unwrap().is_some()).await,
        "the inspector opens (dot at {x}, {y})"
    );
    let text = root.query_selector(".inspector").unwrap().unwrap().text_content().unwrap();
    assert!(text.contains(&format!("Message #{id}")), "{text}");
    assert_eq!(now(), before, "no seek");
}

/// The tips of the arrows in flight are a few paths of dots (an outline 7
/// px wide with every tip, then one path per term colour), which let the
/// pointer through; as time passes they stay the same elements, their `d`
/// changed.
#[wasm_bindgen_test]
async fn the_diagram_draws_the_tips_in_flight_as_paths_kept_from_frame_to_frame() {
    let root = mount(5, 4);
    assert!(advance_until(5_000, || leader().is_some()));
    assert!(advance_until(1_000, || in_flight_ids().len() >= 2));
    ok("showPanel", &["diagram".into()]);
    settle().await;
    let tips = || all(&root, ".diagram-svg svg > path[stroke-linecap=\"round\"]");
    let d = |p: &Element| p.get_attribute("d").unwrap_or_default();
    let moves = |p: &Element| d(p).matches('M').count();
    // The arrows in flight the drawing has (each a group of its own).
    let drawn = || {
        in_flight_ids()
            .into_iter()
            .filter(|id| root.query_selector(&format!(".diagram-svg g[data-id=\"{id}\"]")).unwrap().is_some())
            .count()
    };
    assert!(eventually(|| tips().len() >= 2).await, "the outline and a colour's path");
    let first = tips();
    let outline = first[0].clone();
    assert_eq!(outline.get_attribute("stroke-width").as_deref(), Some("7"));
    let n = drawn();
    assert!(n >= 2, "{n} arrows in flight drawn");
    assert_eq!(moves(&outline), n, "a tip for each arrow in flight: {}", d(&outline));
    assert_eq!(first[1..].iter().map(moves).sum::<usize>(), n, "each tip in one colour's path");
    for p in &first {
        assert_eq!(p.get_attribute("pointer-events").as_deref(), Some("none"));
    }
    for p in &first[1..] {
        assert_eq!(p.get_attribute("stroke-width").as_deref(), Some("5"));
    }
    // Time passes, messages still in flight: the same outline, a new `d`.
    let before = d(&outline);
    ok("advance", &[3.into()]);
    assert!(!in_flight_ids().is_empty());
    assert!(eventually(|| tips().first().is_some_and(|p| d(p) != before)).await, "the tips move: {before}");
    let now_first = tips()[0].clone();
    assert!(now_first.is_same_node(Some(&outline)), "the outline is the same element");
    assert_eq!(moves(&outline), drawn());
}

/// A click on a lane, below the lane names, seeks to that moment (no later
/// than now); a seek (here the API's) out of the window scrolled to brings
/// the diagram back to following, with "now" at the time sought.
#[wasm_bindgen_test]
async fn clicking_a_lane_seeks_there_and_a_seek_moves_the_diagram() {
    let root = mount(5, 4);
    assert!(advance_until(5_000, || leader().is_some()));
    ok("advance", &[600.into()]);
    ok("showPanel", &["diagram".into()]);
    settle().await;
    let end = now();
    // A tick of the time axis before now: its line's height on screen is its moment.
    let tick = all(&root, ".diagram-svg text")
        .into_iter()
        .filter_map(|t| Some((t.text_content()?.strip_suffix(" ms")?.parse::<f64>().ok()?, t)))
        .find(|(ms, _)| *ms > 0.0 && *ms < end - 50.0)
        .expect("a tick before now");
    let y = |el: &Element| {
        let r = el.get_bounding_client_rect();
        r.top() + r.height() / 2.0
    };
    // (A lane's line, found afresh for each click: the lanes are drawn again as "now" moves.)
    let lane = || root.query_selector(".diagram-svg line[stroke=\"#9ca3af\"]").unwrap().expect("a lane");
    let at = y(&tick.1.previous_element_sibling().unwrap());
    // Below "now" first: capped at now (nothing moves).
    let svg = root.query_selector(".diagram-svg svg").unwrap().unwrap();
    let bottom = svg.get_bounding_client_rect().bottom() - 8.0;
    mouse_at(&lane(), "click", bottom);
    settle().await;
    assert_eq!(now(), end, "no later than now");
    mouse_at(&lane(), "click", at);
    let r = svg.get_bounding_client_rect();
    assert!(
        eventually(|| (now() - tick.0).abs() <= 3.0).await,
        "sought {} ms, now {}, at {at}, svg {} {} {}, follow {:?}",
        tick.0,
        now(),
        r.top(),
        r.height(),
        svg.get_attribute("viewBox").unwrap_or_default(),
        root.query_selector(".diagram").unwrap().unwrap().get_attribute("data-follow")
    );
    // Back to the end, scrolled back by Earlier (no longer following), then a seek.
    ok("seek", &[end.into()]);
    ok("advance", &[2_000.into()]);
    settle().await;
    let diagram = root.query_selector(".diagram").unwrap().unwrap();
    for _ in 0..3 {
        root.query_selector(".diagram-bar button").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
        settle().await;
    }
    assert_eq!(diagram.get_attribute("data-follow").as_deref(), Some("false"));
    seek_and_see_the_diagram_follow(&root, &diagram, now() - 300.0).await;
}

/// Seeks to `to` ms through the API: the Diagram shows "now {to} ms" and follows "now" again.
async fn seek_and_see_the_diagram_follow(root: &Element, diagram: &Element, to: f64) {
    ok("seek", &[to.into()]);
    let label = format!("now {to} ms");
    assert!(
        eventually(|| texts(root, ".diagram-svg text").contains(&label)).await,
        "the diagram shows {label}: {:?}",
        texts(root, ".diagram-svg text")
    );
    assert_eq!(diagram.get_attribute("data-follow").as_deref(), Some("true"));
}

/// The lesson step's messages in flight (their arrows) are lit in the Diagram as on the ring.
#[wasm_bindgen_test]
async fn the_diagram_lights_the_lesson_steps_messages() {
    let root = mount_with_lessons();
    settled(ok("startLesson", &["failover".into(), 3.into()])).await.unwrap();
    ok("showPanel", &["diagram".into()]);
    // Step 3 points at S2 and at the RequestVotes it sends.
    assert!(eventually(|| count(&root, "svg.ring .msg.lit") > 0).await, "the ring lights S2's RequestVotes");
    let lit: Vec<u64> =
        all(&root, "svg.ring .msg.lit").iter().filter_map(|m| m.get_attribute("data-message")?.parse().ok()).collect();
    let style = || root.query_selector(".diagram style").unwrap().and_then(|s| s.text_content()).unwrap_or_default();
    let drawn = |id: &u64| root.query_selector(&format!(".diagram-svg g[data-id=\"{id}\"]")).unwrap().is_some();
    assert!(
        eventually(|| lit.iter().all(|id| arrow_lit(&root, *id))).await,
        "{lit:?} lit in the Diagram (drawn: {:?}; {}; diagram {:?}, arrows {:?}, in flight {:?})",
        lit.iter().map(drawn).collect::<Vec<_>>(),
        style(),
        root.query_selector(".diagram").unwrap().is_some(),
        root.query_selector(".diagram").unwrap().and_then(|d| d.get_attribute("data-arrows")),
        in_flight_ids()
    );
    let others: Vec<u64> = in_flight_ids().into_iter().filter(|id| !lit.contains(id)).collect();
    assert!(others.iter().all(|id| !arrow_lit(&root, *id)), "only those");
    // The step's server, S2 (`highlight S2`): its lane's name lit (underlined), the others' not.
    let name = |n: usize| root.query_selector(&format!(".diagram-svg text[data-l=\"{}\"]", 15 + n)).unwrap();
    assert!(eventually(|| name(2).is_some()).await, "S2's lane drawn");
    let decoration = |n: usize| computed(&name(n).expect("a lane's name"), "text-decoration-line");
    assert_eq!(decoration(2), "underline", "S2's lane name lit");
    assert_ne!(computed(&name(2).unwrap(), "fill"), computed(&name(1).unwrap(), "fill"), "in the lesson's colour");
    for n in [1, 3, 4, 5] {
        assert_eq!(decoration(n), "none", "S{n}'s lane name not lit");
    }
}

/// An event clicked in the feed: the Diagram brings it into view and lights its marks.
#[cfg(feature = "pseudocode-panel")]
#[wasm_bindgen_test]
async fn an_event_clicked_in_the_feed_lights_its_marks_in_the_diagram() {
    let root = mount(5, 4);
    assert!(advance_until(5_000, || leader().is_some()));
    ok("advance", &[3_000.into()]);
    settle().await;
    // The first "became leader" event, long out of the following window.
    let events: Vec<JsValue> = Array::from(&ok("events", &[])).iter().collect();
    let i = events.iter().position(|e| get(e, "data.type").as_string().as_deref() == Some("leader_elected")).unwrap();
    let at = get(&events[i], "time").as_f64().unwrap();
    let node = get(&events[i], "data.node").as_f64().unwrap();
    let row = root.query_selector(&format!(".feed li[data-i=\"{i}\"]")).unwrap().expect("its row in the feed");
    row.query_selector(".ev-text").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    settle().await;
    ok("showPanel", &["diagram".into()]);
    let mark = format!(".diagram-svg circle[data-m=\"{at} S{node}\"]");
    assert!(eventually(|| root.query_selector(&mark).unwrap().is_some()).await, "{mark} drawn: brought into view");
    let m = root.query_selector(&mark).unwrap().unwrap();
    assert_eq!(computed(&m, "r"), "7px", "lit");
    let other = all(&root, ".diagram-svg circle[data-m]")
        .into_iter()
        .find(|c| c.get_attribute("data-m") != m.get_attribute("data-m"));
    assert_eq!(computed(&other.expect("another mark"), "r"), "4px", "the others not");
}

/// An event clicked in the feed lights the marks of its server only: two
/// servers crashed at the same ms each have a mark then; the first crash's
/// event lights S1's, not S2's.
#[cfg(feature = "pseudocode-panel")]
#[wasm_bindgen_test]
async fn an_event_clicked_in_the_feed_lights_only_its_servers_marks() {
    let root = mount(5, 4);
    assert!(advance_until(5_000, || leader().is_some()));
    ok("advance", &[300.into()]);
    ok("crash", &[1.into()]);
    ok("crash", &[2.into()]);
    ok("advance", &[100.into()]);
    settle().await;
    let events: Vec<JsValue> = Array::from(&ok("events", &[])).iter().collect();
    let i = events
        .iter()
        .position(|e| {
            get(e, "data.type").as_string().as_deref() == Some("crashed") && get(e, "data.node").as_f64() == Some(1.0)
        })
        .expect("S1's crash");
    let at = get(&events[i], "time").as_f64().unwrap();
    let row = root.query_selector(&format!(".feed li[data-i=\"{i}\"]")).unwrap().expect("its row in the feed");
    row.query_selector(".ev-text").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    settle().await;
    ok("showPanel", &["diagram".into()]);
    let mark = |n: u32| root.query_selector(&format!(".diagram-svg circle[data-m=\"{at} S{n}\"]")).unwrap();
    assert!(eventually(|| mark(1).is_some() && mark(2).is_some()).await, "S1's and S2's crash marks at {at} ms drawn");
    assert_eq!(computed(&mark(1).unwrap(), "r"), "7px", "S1's lit");
    assert_eq!(computed(&mark(2).unwrap(), "r"), "4px", "S2's, at the same ms, not");
}

/// A seek forward (the timeline's Latest, End) out of a window scrolled back
/// brings the Diagram back to following "now", as a seek back does.
#[wasm_bindgen_test]
async fn a_seek_forward_brings_a_scrolled_diagram_back_to_now() {
    let root = mount(5, 4);
    assert!(advance_until(5_000, || leader().is_some()));
    ok("advance", &[3_000.into()]);
    let end = now();
    ok("showPanel", &["diagram".into()]);
    ok("seek", &[(end - 2_000.0).into()]);
    settle().await;
    let diagram = root.query_selector(".diagram").unwrap().expect("the Diagram");
    // Scrolled back (Earlier): no longer following.
    root.query_selector(".diagram-bar button").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(diagram.get_attribute("data-follow").as_deref(), Some("false"));
    seek_and_see_the_diagram_follow(&root, &diagram, end).await;
}

/// "Now" and the marks are kept from frame to frame: as time passes, "now"
/// is the same element with new words, on the top of the rect hiding what
/// lies below it; a client's write puts its mark in beside the marks there,
/// which stay the same elements; and what is kept is what a fresh drawing
/// draws (the tab opened anew), after the window has moved on, after a seek
/// back and after a lane is hidden too.
#[wasm_bindgen_test]
async fn the_diagram_keeps_now_and_its_marks_from_frame_to_frame() {
    let root = mount(5, 4);
    let _css = PageCss::add();
    assert!(advance_until(5_000, || leader().is_some()));
    ok("showPanel", &["diagram".into()]);
    let now_words = |root: &Element| root.query_selector(".diagram-svg svg > g:last-child > text").unwrap();
    let shows_now =
        |root: &Element| now_words(root).is_some_and(|t| t.text_content() == Some(format!("now {} ms", now())));
    assert!(eventually(|| shows_now(&root)).await, "the Diagram drawn, \"now\" in it");
    let words = || now_words(&root).expect("the words of now");
    let marks_g = || root.query_selector(".diagram-svg circle[data-m]").unwrap().and_then(|c| c.parent_element());
    let marks = || all(&root, ".diagram-svg circle[data-m]");
    let first = words();
    // (A step of the window moves every mark, drawn anew: tried again past it.)
    let mut kept = false;
    for _ in 0..4 {
        let (before, at) = (marks(), marks_g().and_then(|g| g.get_attribute("transform")));
        assert!(!before.is_empty(), "the election's marks");
        ok("write", &["k".into(), 1.into()]);
        ok("advance", &[1.into()]);
        settle().await;
        if marks_g().and_then(|g| g.get_attribute("transform")) != at {
            continue;
        }
        let after = marks();
        assert!(after.len() > before.len(), "the write's mark: {} then {}", before.len(), after.len());
        for m in &before {
            assert!(after.iter().any(|a| a.is_same_node(Some(m))), "a mark kept: {:?}", m.outer_html());
        }
        kept = true;
        break;
    }
    assert!(kept, "the window stepped at each try");
    let w = words();
    assert!(w.is_same_node(Some(&first)), "now's words are the same element");
    assert_eq!(w.text_content().unwrap(), format!("now {} ms", now()));
    let cut = root.query_selector(".diagram-svg svg > rect[width=\"100%\"]").unwrap().expect("the rect below now");
    let moved = w.parent_element().unwrap().get_attribute("transform").unwrap();
    assert_eq!(moved, format!("translate(0 {})", cut.get_attribute("y").unwrap()), "now on the rect's top");
    // On (the window moves), back by a seek, a lane hidden: each time, the tab
    // opened anew draws the same marks and "now".
    // (A write each time: its marks in the window.)
    ok("advance", &[400.into()]);
    ok("write", &["k".into(), 2.into()]);
    ok("advance", &[40.into()]);
    kept_is_fresh(&root, "on", false).await;
    ok("seek", &[(now() - 20.0).into()]);
    kept_is_fresh(&root, "after a seek back", false).await;
    bubbling_click(&root.query_selector(".diagram-svg text[data-l=\"17\"]").unwrap().expect("S2's name"));
    kept_is_fresh(&root, "with S2 hidden", true).await;
}

/// A click on `el` that bubbles up (to the Diagram's own handler).
fn bubbling_click(el: &Element) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
}

/// What the Diagram keeps (its marks' group and "now") is what it draws
/// afresh, the tab opened anew (and S2 hidden again if `hide_s2`).
async fn kept_is_fresh(root: &Element, when: &str, hide_s2: bool) {
    let drawn = |root: &Element| {
        let g = root.query_selector(".diagram-svg circle[data-m]").unwrap().and_then(|c| c.parent_element());
        let now = root.query_selector(".diagram-svg svg > g:last-child").unwrap().map(|g| g.outer_html());
        (g.map(|g| g.inner_html()).unwrap_or_default(), now)
    };
    let s2 = |root: &Element| root.query_selector(".diagram-svg text[data-l=\"17\"]").unwrap();
    let t = now();
    // Drawn at `t` (and with S2 hidden, without its lane).
    let at_t = |root: &Element| {
        texts(root, ".diagram-svg text").contains(&format!("now {t} ms")) && s2(root).is_none() == hide_s2
    };
    assert!(eventually(|| at_t(root)).await, "{when}: drawn at {t} ms");
    let kept = drawn(root);
    assert!(kept.0.contains("<circle data-m="), "{when}: marks drawn: {:?}", kept.0);
    ok("showPanel", &["events".into()]);
    settle().await;
    ok("showPanel", &["diagram".into()]);
    if hide_s2 {
        assert!(eventually(|| s2(root).is_some()).await, "{when}: S2's name");
        bubbling_click(&s2(root).unwrap());
    }
    assert!(
        eventually(|| drawn(root) == kept).await,
        "{when}: what is kept is what a fresh drawing draws: {kept:?} then {:?}",
        drawn(root)
    );
}

// ----- the Pseudocode panel (issue 10) ---------------------------------------------

#[cfg(feature = "pseudocode-panel")]
mod pseudocode_panel {
    use super::*;
    use raft_playground::ui::panels::set_pseudocode_text;
    use raft_playground::view::pseudocode;

    const TEXT: &str = include_str!("../www/pseudocode.txt");

    fn text_of(root: &Element, selector: &str) -> String {
        root.query_selector(selector).unwrap().and_then(|e| e.text_content()).unwrap_or_default()
    }

    /// The values written beside the lit line `id` (empty when it is not lit).
    fn seen_at(root: &Element, id: &str) -> String {
        text_of(root, &format!(".pc-lit[data-id=\"{id}\"] .pc-seen"))
    }

    /// A paused page with the panel's text given (the test server has no pseudocode.txt), the panel open.
    async fn open(servers: u32, seed: u32) -> Element {
        set_pseudocode_text(Some(TEXT));
        let root = mount(servers, seed);
        ok("showPanel", &["pseudocode".into()]);
        settle().await;
        root
    }

    #[wasm_bindgen_test]
    async fn the_panel_shows_the_procedures_and_lights_a_votes_lines_with_their_values() {
        let root = open(5, 3).await;
        let doc = pseudocode::parse(TEXT).unwrap();
        let shown = doc.shown(&pseudocode::options_on(&Settings::default()));
        assert_eq!(count(&root, ".pc-proc"), shown.len() as u32);
        assert_eq!(count(&root, ".pc-line"), shown.iter().map(|p| p.lines.len() as u32).sum::<u32>());
        assert!(text_of(&root, ".pc-proc").contains("RequestVote receiver"));
        assert_eq!(count(&root, ".pc-lit"), 0, "nothing ran yet");
        assert!(text_of(&root, ".pc-showing").contains("Nothing has run a rule yet"));
        assert_eq!(count(&root, ".pc-why[open]"), 0, "the why paragraphs start closed");
        // Step by step, following the run, until the latest event is a vote.
        let mut voted = false;
        for _ in 0..300 {
            ok("step", &[]);
            settle().await;
            if count(&root, ".pc-lit[data-id=\"rv.grant\"]") == 1 {
                voted = true;
                break;
            }
        }
        assert!(voted, "a vote was granted and lit");
        assert!(text_of(&root, ".pc-showing").contains("voted for"), "{}", text_of(&root, ".pc-showing"));
        let ids: Vec<String> = {
            let lit = root.query_selector_all(".pc-lit").unwrap();
            (0..lit.length())
                .map(|i| lit.item(i).unwrap().dyn_into::<Element>().unwrap().get_attribute("data-id").unwrap())
                .collect()
        };
        assert_eq!(ids, ["rv.receive", "rv.stale-term", "rv.voted-for", "rv.log-ok", "rv.grant"]);
        // Both sides of the comparison, from the event (the voter's log and the candidate's).
        assert_eq!(
            seen_at(&root, "rv.log-ok"),
            "lastLogTerm 0 = mine; candidate lastLogIndex 0 >= my lastLogIndex 0: true"
        );
        assert!(seen_at(&root, "rv.stale-term").ends_with(": false"));
        assert_eq!(text_of(&root, ".pc-lit[data-id=\"rv.receive\"] .pc-n"), "1", "numbered in the order they ran");
        assert_eq!(count(&root, ".pc-proc.pc-on"), 1);
        // The lit line is scrolled into view within the panel.
        let panel = root.query_selector(".tab-panel").unwrap().unwrap();
        let line = root.query_selector(".pc-lit[data-id=\"rv.receive\"]").unwrap().unwrap().get_bounding_client_rect();
        let view = panel.get_bounding_client_rect();
        let head = root.query_selector(".pc-head").unwrap().unwrap().get_bounding_client_rect();
        assert!(line.top() >= view.top().max(head.bottom()) && line.bottom() <= view.bottom(), "the lit line shows");
    }

    #[wasm_bindgen_test]
    async fn an_event_clicked_in_the_feed_shows_its_lines_and_follow_goes_back_to_the_run() {
        let root = open(5, 3).await;
        assert!(advance_until(5000, || leader().is_some()));
        ok("advance", &[200.into()]);
        ok("showPanel", &["events".into()]);
        settle().await;
        let row = (0..count(&root, ".feed .ev"))
            .map(|i| root.query_selector_all(".feed .ev").unwrap().item(i).unwrap().dyn_into::<HtmlElement>().unwrap())
            .find(|r| r.text_content().unwrap_or_default().contains("became leader"))
            .expect("the election is in the feed");
        row.click();
        settle().await;
        assert_eq!(
            root.query_selector(".app").unwrap().unwrap().get_attribute("data-tab").as_deref(),
            Some("pseudocode")
        );
        let showing = text_of(&root, ".pc-showing");
        assert!(showing.starts_with("Event ") && showing.contains("became leader"), "{showing}");
        assert_eq!(seen_at(&root, "cand.win"), format!("{} votes, majority 3 of 5: true", votes_of(&showing)));
        assert!(seen_at(&root, "ldr.elected").starts_with("leader of term "));
        // Earlier: the event before it that ran a line; Follow the run: the latest again.
        let earlier: HtmlElement = root.query_selector(".pc-nav [data-ev]").unwrap().unwrap().dyn_into().unwrap();
        earlier.click();
        settle().await;
        assert!(!text_of(&root, ".pc-showing").contains("became leader"));
        assert!(count(&root, ".pc-lit") > 0);
        let follow: HtmlElement = root.query_selector("[data-follow]").unwrap().unwrap().dyn_into().unwrap();
        follow.click();
        settle().await;
        assert!(text_of(&root, ".pc-showing").starts_with("Latest event"));
        assert!(root.query_selector("[data-follow]").unwrap().unwrap().has_attribute("disabled"));
        // A "why" opened stays open while the lit lines change.
        let summary: HtmlElement = root.query_selector(".pc-why summary").unwrap().unwrap().dyn_into().unwrap();
        summary.click();
        ok("advance", &[300.into()]);
        settle().await;
        assert_eq!(count(&root, ".pc-why[open]"), 1);
        // A message inspected: its sender's line, in place of the event.
        ok("inspectNext", &[false.into()]);
        settle().await;
        assert!(text_of(&root, ".pc-showing").starts_with("Message #"), "{}", text_of(&root, ".pc-showing"));
        assert!(count(&root, ".pc-lit") > 0, "{}", text_of(&root, ".pc-showing"));
    }

    /// The number of votes a "became leader ... with votes from S1, S3, S5" sentence names.
    fn votes_of(sentence: &str) -> usize {
        sentence.split("votes from ").nth(1).map_or(0, |v| v.split(", ").count())
    }

    /// In an embed whose panels= leaves the Pseudocode tab out (hidden by
    /// the style sheet), a click on a feed row does not open it.
    #[wasm_bindgen_test]
    async fn a_click_in_the_feed_opens_no_tab_the_embed_hides() {
        let html = web_sys::window().unwrap().document().unwrap().document_element().unwrap();
        html.set_attribute("data-panels", "events state").unwrap();
        let root = open(5, 3).await;
        ok("advance", &[1000.into()]);
        ok("showPanel", &["events".into()]);
        settle().await;
        let row: HtmlElement = root.query_selector(".feed .ev").unwrap().expect("a row").dyn_into().unwrap();
        row.click();
        settle().await;
        let tab = root.query_selector(".app").unwrap().unwrap().get_attribute("data-tab");
        html.remove_attribute("data-panels").unwrap();
        assert_eq!(tab.as_deref(), Some("events"), "the feed stays");
        row.click();
        settle().await;
        let tab = root.query_selector(".app").unwrap().unwrap().get_attribute("data-tab");
        assert_eq!(tab.as_deref(), Some("pseudocode"), "without panels=, the click opens it");
    }

    /// The visitor leaves the tab while the text is on its way and comes
    /// back: on a paused page nothing else draws the panel again, so the
    /// fetch's end must reach the panel mounted then. (The test holds the
    /// request back: `fetch` answers only when the test says.)
    #[wasm_bindgen_test]
    async fn a_fetch_that_ends_after_the_tab_was_left_and_opened_again_reaches_the_new_panel() {
        let hold = Function::new_no_args(
            "const real = window.fetch; window.fetch = () => new Promise((_, fail) => { \
             window.fetch = real; window.pcRelease = () => fail(new Error('held back by the test')); });",
        );
        hold.call0(&JsValue::NULL).unwrap();
        set_pseudocode_text(None);
        let root = mount(3, 1);
        ok("showPanel", &["pseudocode".into()]);
        settle().await;
        assert!(text_of(&root, ".pseudocode").contains("Loading the pseudocode"), "{}", text_of(&root, ".pseudocode"));
        ok("showPanel", &["events".into()]);
        settle().await;
        assert_eq!(count(&root, ".pseudocode"), 0, "the panel left with its tab");
        ok("showPanel", &["pseudocode".into()]);
        settle().await;
        assert!(text_of(&root, ".pseudocode").contains("Loading the pseudocode"), "still on its way");
        Function::new_no_args("window.pcRelease()").call0(&JsValue::NULL).unwrap();
        assert!(
            eventually(|| count(&root, ".pseudocode .field-error") == 1).await,
            "the new panel hears the fetch end"
        );
        let said = text_of(&root, ".pseudocode .field-error");
        assert!(said.contains("could not load pseudocode.txt (held back by the test)"), "{said}");
        set_pseudocode_text(Some(TEXT));
    }

    /// A fetch that fails at once (`fetch` itself throws) ends before the
    /// panel's first draw is over: the panel must still hear it, on a paused
    /// page where nothing else draws it again.
    #[wasm_bindgen_test]
    async fn a_fetch_that_fails_at_once_is_said_on_a_paused_page() {
        let throw = Function::new_no_args(
            "const real = window.fetch; window.fetch = () => { \
             window.fetch = real; throw new Error('refused at once by the test'); };",
        );
        throw.call0(&JsValue::NULL).unwrap();
        set_pseudocode_text(None);
        let root = mount(3, 1);
        ok("showPanel", &["pseudocode".into()]);
        assert!(
            eventually(|| count(&root, ".pseudocode .field-error") == 1).await,
            "the failure is said: {}",
            text_of(&root, ".pseudocode")
        );
        let said = text_of(&root, ".pseudocode .field-error");
        assert!(said.contains("refused at once by the test"), "{said}");
        set_pseudocode_text(Some(TEXT));
    }

    #[wasm_bindgen_test]
    async fn without_its_text_the_panel_says_why_and_the_page_runs_on() {
        set_pseudocode_text(None);
        let root = mount(3, 1);
        ok("showPanel", &["pseudocode".into()]);
        assert!(eventually(|| count(&root, ".pseudocode .field-error") == 1).await, "the failed fetch is said");
        assert!(text_of(&root, ".pseudocode .field-error").contains("could not load pseudocode.txt"));
        ok("advance", &[2000.into()]);
        settle().await;
        assert!(count(&root, ".pc-head") == 1, "the panel still draws its head");
        set_pseudocode_text(Some("procedure x: X\nline y.a | a\n"));
        let root = mount(3, 1);
        ok("showPanel", &["pseudocode".into()]);
        settle().await;
        assert!(text_of(&root, ".field-error").contains("pseudocode line 2"), "{}", text_of(&root, ".field-error"));
        set_pseudocode_text(Some(TEXT));
    }
}

// ----- the Pseudocode panel and every message kind (issue 10, "Done means") ---------

/// For every kind of message the engine sends, a message of that kind is
/// clicked on the ring with the Pseudocode panel open, in flight and once
/// delivered: the panel lights exactly the lines `pseudocode::lines_of_message`
/// gives for it (with their values, in the order they ran), never none, every
/// one of them shown, and among them the line that sent it and (delivered) the
/// line that handled it. The expectation comes from a twin model driven with
/// the same operations (same seed: the same run); the page is built with the
/// operations that brought the twin to the message, then clicked and stepped
/// as a visitor would.
#[cfg(feature = "pseudocode-panel")]
mod pseudocode_message_kinds {
    use super::*;
    use raft_playground::sim::{Action, Command, InFlight, MessageKind, NodeId, Payload};
    use raft_playground::ui::panels::set_pseudocode_text;
    use raft_playground::view::model::{page_config, Fate, Op};
    use raft_playground::view::pseudocode::{self, Pseudocode};

    const TEXT: &str = include_str!("../www/pseudocode.txt");

    /// A model, and the operations that made it (the page is made the same way).
    struct Twin {
        cfg: Config,
        model: Model,
        ops: Vec<Op>,
    }

    impl Twin {
        fn new(servers: usize, seed: u64, raft: Settings) -> Twin {
            let cfg = Config { raft, ..page_config(servers, seed) };
            Twin { model: Model::from_config(cfg.clone(), DEFAULT_SPEED, false).unwrap(), cfg, ops: Vec::new() }
        }

        fn apply(&mut self, op: Op) {
            self.model.apply(op.clone()).unwrap_or_else(|e| panic!("{op:?}: {e}"));
            self.ops.push(op);
        }

        fn sim(&mut self, a: Action) {
            self.apply(Op::Sim(a));
        }

        /// Steps (an event at a time) until `cond` holds, at most `limit` steps.
        fn step_until(&mut self, limit: usize, cond: impl Fn(&Model) -> bool) -> bool {
            for _ in 0..limit {
                if cond(&self.model) {
                    return true;
                }
                self.apply(Op::Step);
            }
            cond(&self.model)
        }

        fn leader(&self) -> NodeId {
            self.model.cluster().leader().expect("a leader")
        }

        fn follower(&self, not: &[NodeId]) -> NodeId {
            let l = self.leader();
            self.model.cluster().node_ids().into_iter().find(|n| *n != l && !not.contains(n)).unwrap()
        }

        /// A page model made with the same operations.
        fn page(&self) -> Model {
            let mut m = Model::from_config(self.cfg.clone(), DEFAULT_SPEED, false).unwrap();
            for op in &self.ops {
                m.apply(op.clone()).unwrap();
            }
            m
        }
    }

    /// The lines the panel shows lit: (id, values), in the order they ran (their numbers).
    fn panel_lits(root: &Element) -> Vec<(String, String)> {
        let all = root.query_selector_all(".pseudocode .pc-lit").unwrap();
        let mut v: Vec<(u32, String, String)> = (0..all.length())
            .map(|i| {
                let el: Element = all.item(i).unwrap().dyn_into().unwrap();
                let text =
                    |sel: &str| el.query_selector(sel).unwrap().and_then(|e| e.text_content()).unwrap_or_default();
                (text(".pc-n").parse().unwrap(), el.get_attribute("data-id").unwrap(), text(".pc-seen"))
            })
            .collect();
        v.sort();
        v.into_iter().map(|(_, id, seen)| (id, seen)).collect()
    }

    /// What the panel must light for `m` on the twin: `lines_of_message`,
    /// each of them a line the panel shows with the run's options.
    fn expected(doc: &Pseudocode, twin: &Twin, m: &InFlight, arrived: bool) -> Vec<(String, String)> {
        let c = twin.model.cluster();
        let lits = pseudocode::lines_of_message(doc, c, m, arrived);
        let shown = doc.shown(&pseudocode::options_on(&c.config().raft));
        for l in &lits {
            assert!(
                shown.iter().any(|p| p.lines.iter().any(|x| x.id == l.id)),
                "{} lit for {:?} is not shown with the run's options",
                l.id,
                m.payload.kind()
            );
        }
        lits.into_iter().map(|l| (l.id, l.seen)).collect()
    }

    /// The line that sends a message of `kind` (one of them), and the one
    /// that handles it at its receiver (one of them, among the lines its
    /// delivery adds).
    fn spec(kind: MessageKind) -> (&'static [&'static str], &'static [&'static str]) {
        use MessageKind as K;
        match kind {
            K::PreVote => (&["pv.start"], &["pv.receive"]),
            K::PreVoteReply => (&["pv.receive"], &["pv.win"]),
            K::RequestVote => (&["cand.start"], &["rv.receive"]),
            K::VoteReply => (&["rv.grant"], &["cand.win"]),
            K::AppendEntries => (&["ldr.send"], &["ae.receive"]),
            K::Heartbeat => (&["ldr.heartbeat"], &["ae.receive"]),
            K::AppendReply => {
                (&["ae.reply", "ae.prev-missing", "ae.prev-term", "ae.stale-term"], &["ldr.success", "ldr.back-up"])
            }
            K::TimeoutNow => (&["lt.timeout-now"], &["lt.receive"]),
            K::ClientRequest | K::ClientRead => {
                (&["cl.send"], &["ldr.client", "ri.start", "ri.lease", "cl.not-leader"])
            }
            K::ClientReply => (&["ldr.client", "ri.apply", "cl.not-leader", "lt.start"], &["cl.done", "cl.redirect"]),
            #[cfg(feature = "compaction")]
            K::InstallSnapshot => (&["is.send"], &["is.install"]),
            #[cfg(feature = "compaction")]
            K::SnapshotReply => (&["is.reply"], &["ldr.success"]),
        }
    }

    fn click(el: &Element) {
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        el.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    }

    /// Runs the twin to the first message of `kind` that `pick` accepts,
    /// mounts the page there with the panel open, clicks the message on the
    /// ring, checks the lit lines, steps the page (and the twin) until it is
    /// delivered, and checks them again. Returns the kinds checked so far.
    async fn check(doc: &Pseudocode, twin: &mut Twin, kind: MessageKind, pick: impl Fn(&InFlight) -> bool) {
        let find =
            |m: &Model| m.cluster().messages().into_iter().find(|x| x.payload.kind() == kind && pick(x)).cloned();
        assert!(twin.step_until(20_000, |m| find(m).is_some()), "no {kind:?} in flight");
        let msg = find(&twin.model).unwrap();
        set_pseudocode_text(Some(TEXT));
        let root = fresh_root();
        mount_model(root.clone(), twin.page());
        ok("showPanel", &["pseudocode".into()]);
        settle().await;
        let glyph = root
            .query_selector(&format!("svg.ring [data-message=\"{}\"]", msg.id))
            .unwrap()
            .unwrap_or_else(|| panic!("{kind:?} #{} is drawn on the ring", msg.id));
        click(&glyph);
        twin.apply(Op::Inspect(Some(msg.id)));
        settle().await;
        let showing = root.query_selector(".pc-showing").unwrap().unwrap().text_content().unwrap();
        assert!(showing.starts_with(&format!("Message #{}", msg.id)) && showing.contains("in flight"), "{showing}");
        let sent = expected(doc, twin, &msg, false);
        let (senders, handlers) = spec(kind);
        assert!(sent.iter().any(|l| senders.contains(&l.0.as_str())), "{kind:?} sent lights {sent:?}");
        assert_eq!(panel_lits(&root), sent, "{kind:?} #{} in flight", msg.id);
        // Delivered: the page steps as the visitor's Step button does, the twin alike.
        for _ in 0..10_000 {
            if twin.model.cluster().message(msg.id).is_none() {
                break;
            }
            ok("step", &[]);
            twin.apply(Op::Step);
        }
        assert_eq!(twin.model.fate, Fate::Arrived, "{kind:?} #{} was delivered", msg.id);
        assert_eq!(ok("now", &[]).as_f64(), Some(twin.model.cluster().now() as f64), "the page and its twin agree");
        assert_eq!(get(&state(), "eventCount").as_f64(), Some(twin.model.cluster().events().len() as f64));
        settle().await;
        let showing = root.query_selector(".pc-showing").unwrap().unwrap().text_content().unwrap();
        assert!(showing.contains("delivered"), "{showing}");
        let got = expected(doc, twin, &msg, true);
        assert!(got.starts_with(&sent), "{kind:?}: the sender's lines first, then the receiver's: {got:?}");
        assert!(
            got[sent.len()..].iter().any(|l| handlers.contains(&l.0.as_str())),
            "{kind:?} delivered lights {got:?}"
        );
        assert_eq!(panel_lits(&root), got, "{kind:?} #{} delivered", msg.id);
    }

    fn is_client_reply(m: &InFlight, committed: bool) -> bool {
        use raft_playground::raft::ClientReply as R;
        match &m.payload {
            Payload::ClientResponse { reply, .. } => matches!(reply, R::Committed { .. }) == committed,
            _ => false,
        }
    }

    fn granted(m: &InFlight) -> bool {
        use raft_playground::raft::Body;
        matches!(&m.payload, Payload::Raft(r) if matches!(r.body, Body::RequestVoteReply { granted: true } | Body::PreVoteReply { granted: true }))
    }

    fn failed_reply(m: &InFlight) -> bool {
        use raft_playground::raft::Body;
        matches!(&m.payload, Payload::Raft(r) if matches!(r.body, Body::AppendEntriesReply { success: false, .. }))
    }

    #[wasm_bindgen_test]
    async fn the_panel_lights_the_right_lines_for_every_kind_of_message() {
        let doc = pseudocode::parse(TEXT).unwrap();
        let mut checked: Vec<MessageKind> = Vec::new();
        let any = |_: &InFlight| true;
        // Elections, replication, the client's writes and reads, a follower
        // that missed entries, leadership transfer (log compaction off: no InstallSnapshot shown).
        let mut t = Twin::new(5, 3, Settings::default());
        check(&doc, &mut t, MessageKind::RequestVote, any).await;
        check(&doc, &mut t, MessageKind::VoteReply, granted).await;
        assert!(t.step_until(20_000, |m| m.cluster().leader().is_some()));
        check(&doc, &mut t, MessageKind::Heartbeat, any).await;
        check(&doc, &mut t, MessageKind::AppendReply, any).await;
        // A write sent to a follower: refused with the leader's name, then sent there.
        let f = t.follower(&[]);
        t.sim(Action::Write { command: Command::set("x", 1), to: Some(f) });
        check(&doc, &mut t, MessageKind::ClientRequest, |m| m.to == raft_playground::sim::Addr::Node(f)).await;
        check(&doc, &mut t, MessageKind::ClientReply, |m| is_client_reply(m, false)).await;
        check(&doc, &mut t, MessageKind::AppendEntries, any).await;
        check(&doc, &mut t, MessageKind::ClientReply, |m| is_client_reply(m, true)).await;
        t.sim(Action::Read { key: "x".into(), to: None });
        check(&doc, &mut t, MessageKind::ClientRead, any).await;
        // A follower that was down rejects the leader's AppendEntries.
        let g = t.follower(&[f]);
        t.sim(Action::Crash { node: g });
        t.sim(Action::Write { command: Command::set("y", 2), to: None });
        t.apply(Op::Advance(300));
        t.sim(Action::Restart { node: g });
        check(&doc, &mut t, MessageKind::AppendReply, failed_reply).await;
        assert_eq!(count(&fresh_page_root(), ".pc-proc[data-key=\"is\"]"), 0, "no InstallSnapshot without compaction");
        t.sim(Action::TransferLeadership { to: f });
        check(&doc, &mut t, MessageKind::TimeoutNow, any).await;
        checked.extend([
            MessageKind::RequestVote,
            MessageKind::VoteReply,
            MessageKind::Heartbeat,
            MessageKind::AppendReply,
            MessageKind::ClientRequest,
            MessageKind::ClientReply,
            MessageKind::AppendEntries,
            MessageKind::ClientRead,
            MessageKind::TimeoutNow,
        ]);
        // Pre-vote.
        let mut t = Twin::new(5, 3, Settings { pre_vote: true, ..Settings::default() });
        check(&doc, &mut t, MessageKind::PreVote, any).await;
        check(&doc, &mut t, MessageKind::PreVoteReply, granted).await;
        checked.extend([MessageKind::PreVote, MessageKind::PreVoteReply]);
        // Log compaction: a follower back after the leader compacted gets its snapshot.
        #[cfg(feature = "compaction")]
        {
            let raft = Settings { snapshot_threshold: std::num::NonZeroU64::new(5), ..Settings::default() };
            let mut t = Twin::new(5, 21, raft);
            assert!(t.step_until(20_000, |m| m.cluster().leader().is_some()));
            let f = t.follower(&[]);
            t.sim(Action::Crash { node: f });
            for v in 0..30 {
                t.sim(Action::Write { command: Command::set(&format!("k{}", v % 6), v), to: None });
                t.apply(Op::Advance(30));
            }
            t.apply(Op::Advance(300));
            t.sim(Action::Restart { node: f });
            check(&doc, &mut t, MessageKind::InstallSnapshot, any).await;
            assert_eq!(
                count(&fresh_page_root(), ".pc-proc[data-key=\"is\"]"),
                1,
                "InstallSnapshot shown with compaction"
            );
            check(&doc, &mut t, MessageKind::SnapshotReply, any).await;
            checked.extend([MessageKind::InstallSnapshot, MessageKind::SnapshotReply]);
        }
        for k in MessageKind::ALL {
            assert!(checked.contains(&k), "{k:?} was not checked");
        }
    }

    /// The page mounted last.
    fn fresh_page_root() -> Element {
        document().get_element_by_id("test-root").unwrap()
    }
}

/// The panels' long texts fetched from `panel-texts.txt` (src/ui/texts.rs):
/// "Loading…" until they arrive, then the Legend, the help and the Setup
/// panel's explanations; a failed fetch is said, with a Retry button that
/// fetches them again. (`fetch` is replaced for one call: the test server has no such file.)
mod panel_texts {
    use super::*;
    use raft_playground::ui::texts::set_texts;

    fn text_of(root: &Element, selector: &str) -> String {
        root.query_selector(selector).unwrap().and_then(|e| e.text_content()).unwrap_or_default()
    }

    /// The next `fetch` answers only when `window.textsAnswer(ok)` is called:
    /// with the file's text (true) or a failure (false).
    fn hold_fetch() {
        let hold = Function::new_with_args(
            "text",
            "const real = window.fetch; window.fetch = (url) => new Promise((done, fail) => { \
             window.fetch = real; window.textsUrl = String(url); \
             window.textsAnswer = (ok) => ok ? done(new Response(text)) : fail(new Error('refused by the test')); });",
        );
        hold.call1(&JsValue::NULL, &PANEL_TEXTS.into()).unwrap();
    }

    fn answer(ok: bool) {
        Function::new_with_args("ok", "window.textsAnswer(ok)").call1(&JsValue::NULL, &ok.into()).unwrap();
    }

    #[wasm_bindgen_test]
    async fn the_legend_says_loading_then_shows_the_fetched_text() {
        let root = mount(3, 1);
        set_texts(None);
        hold_fetch();
        ok("showPanel", &["legend".into()]);
        settle().await;
        assert!(text_of(&root, ".legend").contains("Loading…"), "{}", text_of(&root, ".legend"));
        assert_eq!(count(&root, ".legend [data-kind]"), 0, "nothing drawn before the text");
        let url = Reflect::get(&web_sys::window().unwrap(), &"textsUrl".into()).unwrap().as_string().unwrap();
        assert_eq!(url, "panel-texts.txt");
        answer(true);
        assert!(eventually(|| text_of(&root, ".legend").contains("received so far / needed to win")).await);
        let legend = text_of(&root, ".legend");
        assert!(legend.contains("term 8 has term 1's colour") && legend.contains("committed entry: solid"), "{legend}");
        assert!(legend.contains("Leader Completeness"), "{legend}");
        assert!(!legend.contains("Loading"), "{legend}");
        assert!(count(&root, ".legend [data-kind]") >= 10, "the shapes drawn by the page are there too");
        // The help and the Setup panel use the texts already here: no fetch.
        ok("help", &[]);
        settle().await;
        assert!(text_of(&root, ".help").contains("inspect the next / previous message"), "{}", text_of(&root, ".help"));
        ok("help", &[]);
        ok("showPanel", &["setup".into()]);
        settle().await;
        let fast = text_of(&root, ".opt[data-name=\"fast_backup\"]");
        assert!(fast.contains("jump back over a whole conflicting term"), "{fast}");
    }

    #[wasm_bindgen_test]
    async fn a_failed_fetch_is_said_with_a_retry_that_fetches_again() {
        let root = mount(3, 1);
        set_texts(None);
        hold_fetch();
        ok("help", &[]);
        settle().await;
        assert!(text_of(&root, ".help").contains("Loading…"), "{}", text_of(&root, ".help"));
        answer(false);
        assert!(eventually(|| count(&root, ".help .texts-error") == 1).await, "{}", text_of(&root, ".help"));
        let said = text_of(&root, ".help .texts-error");
        assert!(said.contains("could not load panel-texts.txt (refused by the test)"), "{said}");
        ok("advance", &[500.into()]);
        settle().await;
        assert_eq!(count(&root, "svg.ring [data-server]"), 3, "the page runs on");
        hold_fetch();
        let retry: HtmlElement = root.query_selector(".help .texts-error button").unwrap().unwrap().dyn_into().unwrap();
        assert_eq!(retry.text_content().unwrap(), "Retry");
        retry.click();
        settle().await;
        assert!(text_of(&root, ".help").contains("Loading…"), "{}", text_of(&root, ".help"));
        answer(true);
        assert!(
            eventually(|| text_of(&root, ".help").contains("inspect the next / previous message")).await,
            "{}",
            text_of(&root, ".help")
        );
        assert_eq!(count(&root, ".help .texts-error"), 0);
        ok("help", &[]);
    }

    /// While they are on their way, the Setup panel draws its options
    /// without the explanations, and says so.
    #[wasm_bindgen_test]
    async fn the_setup_panel_works_before_its_explanations_arrive() {
        let root = mount(3, 1);
        set_texts(None);
        hold_fetch();
        ok("showPanel", &["setup".into()]);
        settle().await;
        assert!(text_of(&root, ".options-groups").contains("Loading…"));
        assert_eq!(count(&root, ".opt[data-name=\"pre_vote\"] input"), 1, "the option is there");
        assert_eq!(text_of(&root, ".opt[data-name=\"pre_vote\"] .muted"), "");
        answer(true);
        assert!(
            eventually(
                || text_of(&root, ".opt[data-name=\"pre_vote\"] .muted").contains("cannot depose a working leader")
            )
            .await
        );
        assert!(!text_of(&root, ".options-groups").contains("Loading…"));
    }
}
