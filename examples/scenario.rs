//! Runs scenario scripts and prints one line per expectation, met or not:
//!
//! ```sh
//! cargo run --release --example scenario -- scenarios/*.txt
//! cargo run --release --example scenario -- --trace scenarios/figure-8.txt
//! ```
//!
//! `--svg OUT` also writes the run's space-time diagram (every message and
//! what happened on each server, from the start to the end) to the SVG file
//! OUT; with several files, OUT gets the file's number before `.svg`
//! (`out-2.svg`). `--trace` prints each run's trace; `--verbose` also prints every action
//! and `say` line as it happens. A file that ends with an expected trace
//! (see `docs/scenarios.md`) has it checked too. Exits with 1 when anything
//! failed (an expectation, a parse error, a trace that differs, a file that
//! cannot be read), 2 on a bad command line.
use raft_playground::script::{compare_trace, parse, render_trace, run, split_trace, OutcomeKind};
use raft_playground::view::diagram::Filter;
use raft_playground::view::diagram_svg::whole_run;
use std::process::ExitCode;

const USAGE: &str = "scenario [--trace] [--verbose] [--svg OUT.svg] FILE...";

fn main() -> ExitCode {
    let mut files = Vec::new();
    let (mut trace, mut verbose) = (false, false);
    let mut svg: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--svg" => match args.next() {
                Some(out) => svg = Some(out),
                None => {
                    eprintln!("--svg needs a file to write; usage: {USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--trace" => trace = true,
            "--verbose" | "-v" => verbose = true,
            "--help" | "-h" => {
                println!("usage: {USAGE}");
                return ExitCode::SUCCESS;
            }
            a if a.starts_with('-') => {
                eprintln!("unknown option {a}; usage: {USAGE}");
                return ExitCode::from(2);
            }
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        eprintln!("usage: {USAGE}");
        return ExitCode::from(2);
    }
    let (mut met, mut failed) = (0, 0);
    for (i, file) in files.iter().enumerate() {
        println!("{file}");
        let out = svg.as_ref().map(|o| match files.len() {
            1 => o.clone(),
            _ => format!("{}-{}.svg", o.trim_end_matches(".svg"), i + 1),
        });
        let (m, f) = run_file(file, trace, verbose, out.as_deref());
        met += m;
        failed += f;
    }
    println!("{} file(s): {met} met, {failed} failed", files.len());
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs one file; returns (met, failed).
fn run_file(file: &str, trace: bool, verbose: bool, svg: Option<&str>) -> (usize, usize) {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            println!("  FAIL  cannot read it: {e}");
            return (0, 1);
        }
    };
    let (script_text, expected) = split_trace(&text);
    let script = match parse(script_text) {
        Ok(s) => s,
        Err(e) => {
            println!("  FAIL  {e}");
            return (0, 1);
        }
    };
    let report = match run(&script) {
        Ok(r) => r,
        Err(e) => {
            println!("  FAIL  the settings are not valid: {e}");
            return (0, 1);
        }
    };
    let (mut met, mut failed) = (0, 0);
    for o in &report.outcomes {
        let time = format!("{:>8.3}s", o.time as f64 / 1000.0);
        match o.kind {
            OutcomeKind::Met => {
                met += 1;
                println!("  ok    line {:<4} {time}  {}", o.line, o.text);
            }
            OutcomeKind::Failed => {
                failed += 1;
                println!("  FAIL  line {:<4} {time}  {}", o.line, o.text);
            }
            OutcomeKind::Acted if verbose => println!("        line {:<4} {time}  {}", o.line, o.text),
            OutcomeKind::Said if verbose => println!("        line {:<4} {time}  say: {}", o.line, o.text),
            _ => {}
        }
    }
    let actual = render_trace(&report.cluster);
    if let Some(expected) = expected {
        match compare_trace(&expected.lines, &actual, expected.first_line) {
            Ok(()) => {
                met += 1;
                println!("  ok    trace: {} lines as expected", actual.len());
            }
            Err(why) => {
                failed += 1;
                println!("  FAIL  {why}");
            }
        }
    }
    if trace {
        for line in &actual {
            println!("    {}", line.trim_start_matches("# "));
        }
    }
    if let Some(out) = svg {
        let title = format!("{file}: the run's space-time diagram");
        let text = whole_run(&report.cluster, &Filter::default(), &title);
        match std::fs::write(out, text) {
            Ok(()) => println!("  wrote the diagram to {out}"),
            Err(e) => {
                failed += 1;
                println!("  FAIL  cannot write {out}: {e}");
            }
        }
    }
    println!("  {met} met, {failed} failed, trace hash {:#018x}", report.cluster.trace_hash());
    (met, failed)
}
