//! The example command that runs scenario files (`examples/scenario.rs`,
//! `cargo run --release --example scenario -- FILE...`, issue 8): one line
//! per expectation, met or not, and an exit status that says whether any
//! failed. Run here through Cargo itself (`cargo run --example scenario`, the
//! debug build that `cargo test` builds beside the tests), as a user runs it.

use raft_playground::script::{parse, run, split_trace, OutcomeKind};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the example on `files`: its exit code and what it printed.
fn scenario(files: &[&Path]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--example", "scenario", "--"])
        .args(files)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("error:") && !stderr.contains("error["), "cargo could not run the example:\n{stderr}");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The lines the example printed for expectations (`ok`/`FAIL  line N ...`), as (ok, line number).
fn expectation_lines(out: &str) -> Vec<(bool, usize)> {
    out.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let (ok, rest) = match l.split_once(char::is_whitespace)? {
                ("ok", rest) => (true, rest),
                ("FAIL", rest) => (false, rest),
                _ => return None,
            };
            let n = rest.trim_start().strip_prefix("line")?.split_whitespace().next()?.parse().ok()?;
            Some((ok, n))
        })
        .collect()
}

/// A file of its own in the temporary folder, removed when dropped.
struct TempFile(PathBuf);
impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("rp-example-{}-{name}", std::process::id()));
        std::fs::write(&path, text).expect("a writable temporary folder");
        TempFile(path)
    }
}
impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn the_example_prints_a_line_per_expectation_and_exits_0_when_all_are_met_and_1_naming_the_line_when_one_fails() {
    // A file of the corpus: every expectation met, each on a line of its own, and its trace.
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/split-vote.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let report = run(&parse(split_trace(&text).0).unwrap()).unwrap();
    let want: Vec<(bool, usize)> =
        report.outcomes.iter().filter(|o| o.kind == OutcomeKind::Met).map(|o| (true, o.line)).collect();
    assert!(want.len() >= 5);
    let (code, out) = scenario(&[&file]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(expectation_lines(&out), want, "{out}");
    assert!(out.contains("ok    trace: "), "the expected trace is checked too:\n{out}");
    assert!(out.ends_with(&format!("1 file(s): {} met, 0 failed\n", want.len() + 1)), "{out}");

    // An expectation the run does not meet (line 4), and a line that does not parse (line 2).
    let unmet = TempFile::new(
        "unmet.txt",
        "servers 3\nseed 7\nwait until leader within 2s\nexpect no leader\nexpect no violation\nsay \"done\"\n",
    );
    let (code, out) = scenario(&[&unmet.0]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(expectation_lines(&out), [(true, 3), (false, 4), (true, 5)], "{out}");
    assert!(out.lines().any(|l| l.trim_start().starts_with("FAIL  line 4 ") && l.contains("no leader")), "{out}");
    let malformed = TempFile::new("malformed.txt", "servers 3\ncrash S9 now\n");
    let (code, out) = scenario(&[&malformed.0]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAIL") && out.contains("line 2"), "the error names the line:\n{out}");
    // Several files: one fails, the command fails.
    let (code, out) = scenario(&[&file, &unmet.0]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("2 file(s): "), "{out}");
}
