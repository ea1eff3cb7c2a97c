//! Runs lessons step by step and prints what each step did: its moments, the
//! events of the step (with `--trace`), the script lines' outcomes, the
//! question's correct answer, and each offer's branch with its promise checked.
//!
//! ```sh
//! cargo run --example lesson                          # every built-in lesson, briefly
//! cargo run --example lesson -- --trace split-vote    # a built-in lesson by id, with its events
//! cargo run --example lesson -- --trace lessons/x.txt # a lesson file (while writing it)
//! ```
//!
//! Exits with 1 when a step was not met, a written answer was not confirmed,
//! an offer's promise did not hold, or a file does not parse.
use raft_playground::lesson::{self, Lesson, LessonRun, Phase};
use raft_playground::script::OutcomeKind;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut trace = false;
    let mut names = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--trace" => trace = true,
            a if a.starts_with('-') => {
                eprintln!("usage: lesson [--trace] [ID | FILE]...");
                return ExitCode::from(2);
            }
            _ => names.push(arg),
        }
    }
    if names.is_empty() {
        names = lesson::lessons().into_iter().map(|l| l.id).collect();
    }
    let mut ok = true;
    for name in &names {
        let parsed = if name.ends_with(".txt") {
            match std::fs::read_to_string(name) {
                Ok(text) => lesson::parse(&text).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            }
        } else {
            lesson::load(name).map_err(|e| e.to_string())
        };
        match parsed {
            Ok(l) => ok &= show(&l, trace),
            Err(e) => {
                println!("{name}: {e}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn show(l: &Lesson, trace: bool) -> bool {
    println!("== {} ({}): {}", l.id, l.group.title(), l.title);
    if !l.is_ready() {
        println!("   coming: needs {}", l.missing().join(", "));
        for e in &l.waiting {
            println!("   waits: {e}");
        }
        return true;
    }
    let mut run = match LessonRun::new(l) {
        Ok(r) => r,
        Err(e) => {
            println!("   {e}");
            return false;
        }
    };
    let mut ok = true;
    loop {
        let k = run.step_index();
        let step = run.step().clone();
        println!("-- step {} {:?}: {}", k + 1, step.title, step.caption);
        let start = run.report().start;
        let mut phase = run.finish_step();
        if phase == Phase::Asking {
            let q = run.question().expect("asking").clone();
            println!("   ask at {} ms: {} ({:?})", run.cluster().now(), q.text, q.kind);
            run.skip_question().expect("asking");
            phase = run.finish_step();
        }
        assert_eq!(phase, Phase::Ended);
        let r = run.report().clone();
        let end = r.end.expect("ended");
        if trace {
            for e in &run.cluster().events()[start.events..end.events] {
                println!("   {:>7} {}", e.time, e.text());
            }
        }
        for o in &run.outcomes()[r.first_outcome..] {
            let mark = match o.kind {
                OutcomeKind::Failed => "FAIL",
                OutcomeKind::Met => "ok",
                OutcomeKind::Said => "say",
                OutcomeKind::Acted => "act",
            };
            println!("   {mark:>4} {:>7} line {}: {}", o.time, o.line, o.text);
        }
        if let (Some(q), Some(t)) = (&step.question, &r.truth) {
            println!("   answer: {t}{}", if r.confirmed { "" } else { "  NOT CONFIRMED" });
            println!("   explain: {}", q.explain);
            ok &= r.confirmed;
        }
        println!("   {} ms to {} ms, met: {}", start.time, end.time, r.met == Some(true));
        ok &= r.met == Some(true);
        for i in 0..step.offers.len() {
            ok &= show_offer(l, &run, k, i, trace);
        }
        if run.next_step().is_err() {
            break;
        }
    }
    ok
}

/// Runs an offer's branch to the end of its step and checks its promise against the lesson's own run.
fn show_offer(l: &Lesson, main: &LessonRun, step: usize, i: usize, trace: bool) -> bool {
    let offer = &l.steps[step].offers[i];
    print!("   offer {:?} ({}): ", offer.label, offer.change);
    let Some(shows) = &offer.shows else {
        println!("coming (needs {})", offer.requires.as_deref().unwrap_or("?"));
        return true;
    };
    let mut branch = match LessonRun::branch(l, step, i) {
        Ok(b) => b,
        Err(e) => {
            println!("{e}");
            return offer.requires.is_some();
        }
    };
    let start = branch.report().start;
    while branch.finish_step() == Phase::Asking {
        branch.skip_question().expect("asking");
    }
    if trace {
        println!();
        for e in &branch.cluster().events()[start.events..] {
            println!("     | {:>7} {}", e.time, e.text());
        }
        print!("     ");
    }
    let (in_branch, in_lesson) = (branch.holds(shows), main.holds(shows));
    println!(
        "shows {shows}: in the branch {in_branch}, in the lesson {in_lesson}; branch step met: {}",
        branch.report().met == Some(true)
    );
    in_branch && !in_lesson
}
