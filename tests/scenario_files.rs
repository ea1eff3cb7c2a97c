//! The scenario corpus: every file under `scenarios/` runs natively and must
//! meet every expectation, and its expected trace (the comment lines after
//! the marker at its end) must match the run line by line.
//!
//! `REWRITE=1 cargo test --test scenario_files` rewrites the traces from the
//! runs, so a change of behaviour shows as a diff to review.
//!
//! Each run also goes through the other doors: exported as a script and run
//! again, and packed into a link and replayed, it gives the same trace hash.

use raft_playground::script::{
    compare_trace, export, link, parse, render_trace, run, split_trace, with_trace, OutcomeKind, Recording,
};
use std::path::PathBuf;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::scenario_files;

/// Runs one file; returns what went wrong (empty when all is well).
fn check_file(path: &PathBuf, rewrite: bool) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).expect("a readable file");
    let (script_text, expected) = split_trace(&text);
    let script = match parse(script_text) {
        Ok(s) => s,
        Err(e) => return vec![format!("{name}: {e}")],
    };
    let report = run(&script).expect("a parsed script's config is valid");
    let mut problems: Vec<String> = report.failures().map(|o| format!("{name}: {o}")).collect();
    let count = |k: OutcomeKind| report.outcomes.iter().filter(|o| o.kind == k).count();
    if count(OutcomeKind::Met) == 0 {
        problems.push(format!("{name}: asserts nothing (no expect or wait until line)"));
    }
    if count(OutcomeKind::Said) == 0 {
        problems.push(format!("{name}: explains nothing (no say line)"));
    }

    let actual = render_trace(&report.cluster);
    if rewrite {
        std::fs::write(path, with_trace(&text, &actual)).expect("a writable file");
    } else {
        match expected {
            None => {
                problems.push(format!("{name}: no expected trace; REWRITE=1 cargo test --test scenario_files adds it"))
            }
            Some(exp) => {
                if let Err(why) = compare_trace(&exp.lines, &actual, exp.first_line) {
                    problems.push(format!(
                        "{name}: {why}\n  (if the change is intended: REWRITE=1 cargo test --test scenario_files)"
                    ));
                }
            }
        }
    }

    // The same run through the export and through a link.
    let rec = Recording::of(&report.cluster);
    let exported = export(&rec);
    match parse(&exported).map(|s| run(&s)) {
        Ok(Ok(again)) if again.cluster.trace_hash() == report.cluster.trace_hash() && again.passed() => {}
        Ok(Ok(again)) => problems.push(format!(
            "{name}: its export replays differently ({:?})",
            again.failures().map(|o| o.to_string()).collect::<Vec<_>>()
        )),
        Ok(Err(e)) => problems.push(format!("{name}: its export does not run: {e}")),
        Err(e) => problems.push(format!("{name}: its export does not parse: {e}\n{exported}")),
    }
    match link::encode(&rec).and_then(|l| link::decode(&l)) {
        Ok(back) if back == rec => {
            let replayed = back.replay().expect("the run replays");
            if replayed.trace_hash() != report.cluster.trace_hash() {
                problems.push(format!("{name}: its link replays differently"));
            }
        }
        Ok(_) => problems.push(format!("{name}: its link decodes to another run")),
        Err(e) => problems.push(format!("{name}: its link: {e}")),
    }
    problems
}

#[test]
fn every_scenario_file_meets_its_expectations_and_trace() {
    let rewrite = std::env::var("REWRITE").is_ok_and(|v| v == "1");
    let files = scenario_files();
    let problems: Vec<String> = files.iter().flat_map(|f| check_file(f, rewrite)).collect();
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    assert!(files.len() >= 12, "the corpus has only {} files", files.len());
}

/// The Script panel (www/script-panel.js) runs `?scenario=<name>` for the
/// names it lists and no other: its list is the folder's files.
#[test]
fn the_script_panels_list_of_scenarios_is_the_scenarios_folder() {
    let js = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/script-panel.js")).unwrap();
    let list = &js[js.find("var SCENARIOS = [").expect("the list") + 17..];
    let list = &list[..list.find("];").unwrap()];
    let mut listed: Vec<&str> = list.split(',').map(|s| s.trim().trim_matches('"')).filter(|s| !s.is_empty()).collect();
    listed.sort();
    let mut files: Vec<String> =
        scenario_files().iter().map(|p| p.file_stem().unwrap().to_string_lossy().to_string()).collect();
    files.sort();
    assert_eq!(listed, files, "www/script-panel.js's SCENARIOS");
}
