//! The share links the end-to-end tests open (`e2e/fixtures/*.link`) are the
//! runs they are named after: `figure-8-unsafe.link` is
//! `scenarios/figure-8-unsafe.txt`'s whole run (`unsafe_commit_old_terms` on:
//! it breaks Leader Completeness) shown at its start, so a page that opens it
//! and plays on goes through the violation. When the link's format or the run
//! changes, `REWRITE=1 cargo test --test e2e_links` writes the file again.

use raft_playground::script::{link, parse, run, split_trace, Recording};
use std::path::PathBuf;

#[test]
fn the_figure_8_unsafe_link_of_the_e2e_tests_is_that_scenario_at_its_start() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("scenarios/figure-8-unsafe.txt")).expect("the scenario");
    let report = run(&parse(split_trace(&text).0).expect("it parses")).expect("it runs");
    assert!(!report.cluster.violations().is_empty(), "the run breaks Raft");
    let mut rec = Recording::of(&report.cluster);
    rec.moment = 0;
    rec.trace_hash = Some(rec.replay().expect("it replays").trace_hash());
    let want = link::encode(&rec).expect("it fits in a link");
    let path = root.join("e2e/fixtures/figure-8-unsafe.link");
    if std::env::var("REWRITE").is_ok_and(|v| v == "1") {
        std::fs::write(&path, format!("{want}\n")).expect("a writable file");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(have.trim(), want, "{} is out of date: REWRITE=1 cargo test --test e2e_links", path.display());
    // And it opens as that run: its actions, from the start.
    assert_eq!(link::decode(have.trim()).expect("it decodes"), rec);
}
