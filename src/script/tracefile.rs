//! The expected trace at the end of a scenario file: a marker line, then one
//! comment line per event (time in ms, kind, text) and the trace hash. Being
//! comments, they leave the file a valid script; a test compares them line by
//! line with a fresh run, so a change of behaviour shows as a reviewed diff.

use crate::sim::Cluster;

/// The line that starts the expected trace (what follows it is the trace).
pub const TRACE_MARKER: &str = "# ---- expected trace (REWRITE=1 cargo test --test scenario_files rewrites it) ----";

/// The trace section's lines for a run (without the marker): one per event, then the hash.
pub fn render_trace(c: &Cluster) -> Vec<String> {
    let mut lines: Vec<String> =
        c.events().iter().map(|e| format!("# {:>7} {:<11} {}", e.time, format!("{:?}", e.kind()), e.text())).collect();
    lines.push(format!("# trace hash {:#018x}", c.trace_hash()));
    lines
}

/// The trace section of a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedTrace<'a> {
    /// The file's line number of the first trace line.
    pub first_line: usize,
    /// The trace lines, as written (trailing white space and blank lines at the end left out).
    pub lines: Vec<&'a str>,
}

/// Splits a scenario file into its script and its expected trace (if it has a trace section).
pub fn split_trace(text: &str) -> (&str, Option<ExpectedTrace<'_>>) {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_end() == TRACE_MARKER {
            let rest = &text[offset + line.len()..];
            let mut lines: Vec<&str> = rest.lines().map(|l| l.trim_end()).collect();
            while lines.last().is_some_and(|l| l.is_empty()) {
                lines.pop();
            }
            return (&text[..offset], Some(ExpectedTrace { first_line: i + 2, lines }));
        }
        offset += line.len();
    }
    (text, None)
}

/// Compares an expected trace with a run's: the first difference, in words, with its line
/// number in the file (`first_line` is the file line of the first trace line).
pub fn compare_trace(expected: &[&str], actual: &[String], first_line: usize) -> Result<(), String> {
    for (i, (want, got)) in expected.iter().zip(actual).enumerate() {
        if want != got {
            return Err(format!("trace differs at line {}:\n  expected: {want}\n  got:      {got}", first_line + i));
        }
    }
    match expected.len().cmp(&actual.len()) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Less => Err(format!(
            "the run has {} more trace lines than expected, from line {}:\n  got:      {}",
            actual.len() - expected.len(),
            first_line + expected.len(),
            actual[expected.len()]
        )),
        std::cmp::Ordering::Greater => Err(format!(
            "the run has {} fewer trace lines than expected, from line {}:\n  expected: {}",
            expected.len() - actual.len(),
            first_line + actual.len(),
            expected[actual.len()]
        )),
    }
}

/// A scenario file with its trace section replaced by `trace`.
pub fn with_trace(text: &str, trace: &[String]) -> String {
    let (script, _) = split_trace(text);
    let mut out = script.trim_end().to_string();
    out.push_str("\n\n");
    out.push_str(TRACE_MARKER);
    out.push('\n');
    for line in trace {
        out.push_str(line);
        out.push('\n');
    }
    out
}
