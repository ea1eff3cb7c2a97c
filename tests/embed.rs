//! The address's settings for embedding (issue 11, `src/view/embed.rs`):
//! embed mode, theme, panels, controls and origin, each bad value named and
//! the rest applied; the style rules that hide what is not asked for.

use raft_playground::view::args::{address_options, AddressOptions};
use raft_playground::view::embed::{is_origin, Embedding, CONTROLS};
use raft_playground::view::model::{StartOptions, Tab};

fn from(q: &[(&str, &str)]) -> AddressOptions {
    let q: Vec<(String, String)> = q.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    address_options(move |k| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()))
}

fn controls(e: &Embedding) -> Vec<&str> {
    e.controls.to_vec()
}

fn attrs(e: &Embedding) -> Vec<(&'static str, String)> {
    e.attributes()
}

fn pairs<'a>(p: &[(&'static str, &'a str)]) -> Vec<(&'static str, String)> {
    p.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

#[test]
fn without_settings_everything_shows_and_nothing_is_hidden() {
    let a = from(&[]);
    let e = &a.embedding;
    assert!(!e.embed && e.theme.is_none() && e.origin.is_none());
    assert_eq!(e.panels, Tab::ALL.to_vec());
    assert_eq!(controls(e), CONTROLS);
    assert_eq!(attrs(e), pairs(&[]));
    assert_eq!(e.tab_to_open(Tab::Logs), None);
    assert!(a.problems.is_empty());
}

#[test]
fn embed_mode_shows_the_ring_and_a_small_control_bar_only() {
    let a = from(&[("embed", "1"), ("seed", "7")]);
    let e = &a.embedding;
    assert!(e.embed && a.problems.is_empty());
    assert_eq!(a.start.seed, Some(7));
    assert!(e.panels.is_empty());
    assert_eq!(controls(e), ["play", "step", "speed", "time", "seed", "safety", "timeline"]);
    assert_eq!(
        attrs(e),
        pairs(&[
            ("data-embed", "1"),
            ("data-panels", ""),
            ("data-controls", "play step speed time seed safety timeline")
        ])
    );
    assert_eq!(e.tab_to_open(Tab::Logs), None, "no panel to open");
    for v in ["", "true", "yes", " 1 "] {
        assert!(from(&[("embed", v)]).embedding.embed, "embed={v:?}");
    }
    for v in ["0", "false", "no"] {
        let a = from(&[("embed", v)]);
        assert!(!a.embedding.embed && a.problems.is_empty(), "embed={v:?}");
    }
    let a = from(&[("embed", "please")]);
    assert!(!a.embedding.embed);
    assert_eq!(a.problems, ["embed=please (use embed=1)"]);
}

#[test]
fn an_embedded_lesson_shows_its_lessons_panel_unless_panels_say_otherwise() {
    let e = from(&[("embed", "1"), ("lesson", "failover")]).embedding;
    assert_eq!(e.panels, [Tab::Lessons]);
    assert_eq!(e.tab_to_open(Tab::Logs), Some(Tab::Lessons));
    let e = from(&[("embed", "1"), ("lesson", "failover"), ("panels", "events")]).embedding;
    assert_eq!(e.panels, [Tab::Events]);
    // Not embedded: every panel, as always.
    assert_eq!(from(&[("lesson", "failover")]).embedding.panels, Tab::ALL.to_vec());
}

#[test]
fn panels_and_controls_name_what_shows_in_any_order_and_hide_the_rest() {
    let a = from(&[("panels", "client, logs,,events"), ("controls", "speed,play")]);
    let e = &a.embedding;
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(e.panels, [Tab::Logs, Tab::Client, Tab::Events], "in the tab bar's order");
    assert_eq!(controls(e), ["play", "speed"]);
    assert_eq!(attrs(e), pairs(&[("data-panels", "logs client events"), ("data-controls", "play speed")]));
    assert_eq!(e.tab_to_open(Tab::Logs), None, "the log grid shows");
    // Without logs, the grid goes and the first panel shown opens.
    let e = from(&[("panels", "state,network")]).embedding;
    assert_eq!(attrs(&e), pairs(&[("data-panels", "state network")]));
    assert_eq!(e.tab_to_open(Tab::Logs), Some(Tab::State));
    assert_eq!(e.tab_to_open(Tab::Network), None);
    // Given empty: none of them.
    let e = from(&[("panels", ""), ("controls", "")]).embedding;
    assert!(e.panels.is_empty() && e.controls.is_empty());
    assert_eq!(attrs(&e), pairs(&[("data-panels", ""), ("data-controls", "")]));
    // An embedded page shows the controls asked for, the title and help too.
    let e = from(&[("embed", "1"), ("controls", "title,help")]).embedding;
    assert_eq!(controls(&e), ["title", "help"]);
    assert_eq!(attrs(&e), pairs(&[("data-embed", "1"), ("data-panels", ""), ("data-controls", "title help")]));
    let e = from(&[("theme", "dark"), ("panels", "legend,logs,lessons,client,events,diagram,state,network,setup")])
        .embedding;
    assert_eq!(attrs(&e), pairs(&[("data-theme", "dark")]), "every panel: nothing to hide");
}

#[test]
fn unknown_panels_and_controls_are_named_and_the_known_ones_apply() {
    let a = from(&[("panels", "logs,stats,events"), ("controls", "play,rewind")]);
    assert_eq!(a.embedding.panels, [Tab::Logs, Tab::Events]);
    assert_eq!(controls(&a.embedding), ["play"]);
    assert_eq!(
        a.problems,
        [
            "panels=logs,stats,events (use logs, lessons, client, events, diagram, state, network, setup, legend)",
            "controls=play,rewind (use title, play, step, speed, time, seed, safety, help, timeline)",
        ]
    );
    // Nothing known: the default stays (everything, or the embedded page's own).
    let a = from(&[("panels", "stats"), ("embed", "1"), ("controls", "x")]);
    assert!(a.embedding.panels.is_empty());
    assert_eq!(controls(&a.embedding), ["play", "step", "speed", "time", "seed", "safety", "timeline"]);
    assert_eq!(a.problems.len(), 2);
    assert_eq!(from(&[("panels", "Logs")]).embedding.panels, Tab::ALL.to_vec(), "names are lower case");
}

#[test]
fn the_theme_is_light_dark_or_the_systems() {
    assert_eq!(from(&[("theme", "dark")]).embedding.theme, Some("dark"));
    assert_eq!(from(&[("theme", "light")]).embedding.theme, Some("light"));
    let a = from(&[("theme", "auto")]);
    assert_eq!((a.embedding.theme, a.problems.len()), (None, 0));
    let a = from(&[("theme", "solarized"), ("servers", "3")]);
    assert_eq!(a.embedding.theme, None);
    assert_eq!(a.problems, ["theme=solarized (use light, dark or auto)"]);
    assert_eq!(a.start, StartOptions { servers: 3, ..StartOptions::default() }, "the rest applies");
}

#[test]
fn origin_must_be_written_as_browsers_write_event_origin() {
    for ok in [
        "https://course.example",
        "http://localhost:8000",
        "http://127.0.0.1:5173",
        "https://a-b.c.example:8443",
        "http://[::1]:8080",
    ] {
        assert!(is_origin(ok), "{ok}");
        assert_eq!(from(&[("origin", ok)]).embedding.origin.as_deref(), Some(ok));
    }
    for bad in [
        "course.example",
        "ftp://course.example",
        "https://course.example/",
        "https://course.example/page.html",
        "https://Course.example",
        "https://course.example:443",
        "http://course.example:80",
        "https://course.example:0",
        "https://course.example:08080",
        "https://course.example:70000",
        "https://",
        "https://user@course.example",
        "null",
        "*",
    ] {
        assert!(!is_origin(bad), "{bad}");
    }
    let a = from(&[("origin", "https://course.example/")]);
    assert_eq!(a.embedding.origin, None);
    assert_eq!(
        a.problems,
        ["origin=https://course.example/ (an origin as browsers write it, such as https://course.example: no path, \
          no default port; no page may drive this one)"]
    );
}

#[test]
fn scenario_and_script_are_named_as_not_running_here_yet() {
    let a = from(&[("scenario", "figure-8"), ("script", "c2VydmVycyAz"), ("seed", "4")]);
    assert_eq!(
        a.problems,
        [
            "scenario=figure-8 (scenario scripts do not run in this page yet)",
            "script=c2VydmVycyAz (scenario scripts do not run in this page yet)"
        ]
    );
    assert_eq!(a.start.seed, Some(4));
}

#[test]
fn problems_keep_the_addresss_order_and_each_names_its_value() {
    let a =
        from(&[("servers", "12"), ("embed", "2"), ("theme", "x"), ("panels", "y"), ("controls", "z"), ("origin", "w")]);
    let keys: Vec<&str> = a.problems.iter().map(|p| p.split('=').next().unwrap()).collect();
    assert_eq!(keys, ["servers", "embed", "theme", "panels", "controls", "origin"]);
    assert!(a.problems[1].starts_with("embed=2 ") && a.problems[5].starts_with("origin=w "));
}
