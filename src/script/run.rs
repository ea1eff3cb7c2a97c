//! Playing a script on a fresh cluster.
//!
//! Every change goes through `Cluster::apply`, so the cluster's history holds
//! what the script did as plain actions (a `drop next` becomes the
//! `DropMessage` of the message it found) and replays without the script.
//!
//! A failed expectation does not stop the run: the report lists every
//! expectation, met or not, like a test report, and the ones after a failure
//! still say something (a `wait until` that timed out leaves the clock at its
//! deadline, a refused action is skipped). [`Options::stop_at_first_failure`]
//! stops at the first failure instead, leaving the cluster at that moment.

use super::actions::{format_action, kind_name, link_name};
use super::check::{check, EventCounts};
use super::lex::format_ms;
use super::{At, Cond, Line, Pick, Script, Step, Tamper, MAX_TIME_MS};
use crate::sim::{Addr, Cluster, MessageKind, SimError};
use std::fmt;

/// How to run a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The run stops with a failure when a line would take the clock past this (virtual ms).
    pub max_time_ms: u64,
    /// Stop at the first failure instead of going on.
    pub stop_at_first_failure: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_time_ms: MAX_TIME_MS, stop_at_first_failure: false }
    }
}

/// What became of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeKind {
    /// An action was applied (the text is the action's line, with the message a `drop next` found).
    Acted,
    /// An `expect` or `wait until` held.
    Met,
    /// An `expect` or `wait until` did not hold, an action was refused, a
    /// message was not found, or a time could not be reached.
    Failed,
    /// A `say` line: the text is its sentence.
    Said,
}

/// One thing the report says about one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The line number.
    pub line: usize,
    /// The virtual time when it happened (ms).
    pub time: u64,
    /// What sort of outcome.
    pub kind: OutcomeKind,
    /// A sentence: "expected leader S3, but S1 leads term 4", "leader S3 (S3 leads term 4)".
    pub text: String,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.text)
    }
}

/// The result of running a script.
#[derive(Clone, Debug)]
pub struct Report {
    /// The cluster at the end (its history holds every action the script applied).
    pub cluster: Cluster,
    /// Everything that happened, in order.
    pub outcomes: Vec<Outcome>,
    /// The line the run stopped at, if it stopped early (time limit, or the first failure when asked).
    pub stopped_at: Option<usize>,
}

impl Report {
    /// The failures, in order.
    pub fn failures(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|o| o.kind == OutcomeKind::Failed)
    }

    /// The expectations met or not, and other failures, in order: what the scenario command prints.
    pub fn verdicts(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|o| matches!(o.kind, OutcomeKind::Met | OutcomeKind::Failed))
    }

    /// True when nothing failed.
    pub fn passed(&self) -> bool {
        self.failures().next().is_none()
    }
}

/// Runs `script` with the default [`Options`]. Fails only when the script's
/// config is invalid (a parsed script's never is).
pub fn run(script: &Script) -> Result<Report, SimError> {
    run_with(script, &Options::default())
}

/// Runs `script`.
pub fn run_with(script: &Script, options: &Options) -> Result<Report, SimError> {
    let mut exec = Exec::new(script.config.clone(), options.max_time_ms)?;
    let mut stopped_at = None;
    for line in &script.lines {
        let failures_before = exec.failures();
        let go_on = exec.finish_line(line);
        let failed = exec.failures() > failures_before;
        if !go_on || (failed && options.stop_at_first_failure) {
            stopped_at = Some(line.line);
            break;
        }
    }
    Ok(Report { cluster: exec.c, outcomes: exec.outcomes, stopped_at })
}

/// How far a line got in [`Exec::run_line`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineRun {
    /// The line is done; `go_on` is false when the run must stop (its time limit).
    Done {
        /// False when the run must stop here.
        go_on: bool,
    },
    /// The line needs virtual time beyond the budget: call again with a later one.
    Pending,
}

/// Where the line being run stands, between calls of [`Exec::run_line`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// The line's time prefix is next (nothing of the line has run).
    Start,
    /// Moving the clock to the line's time; the line's statement runs on arrival.
    Moving(u64),
    /// `wait 500ms`: moving the clock to this time, then the line is done.
    Waiting(u64),
    /// `wait until`: since `start`, until `deadline`.
    Until { start: u64, deadline: u64 },
    /// `drop next` / `duplicate next`: looking for the message until `deadline`.
    Seeking { deadline: u64 },
}

/// Runs script lines on a cluster, each one at once ([`Exec::finish_line`], as
/// [`run`] does) or bit by bit within a budget of virtual time
/// ([`Exec::run_line`], as a page showing a lesson does, frame after frame).
/// Both give the same run: the clock stops at the same instants and the
/// conditions are checked after the same events, however the time is cut.
#[derive(Clone, Debug)]
pub(crate) struct Exec {
    /// The cluster the lines act on.
    pub c: Cluster,
    /// Everything that happened, in order.
    pub outcomes: Vec<Outcome>,
    counts: EventCounts,
    limit: u64,
    stage: Stage,
}

impl Exec {
    /// A fresh cluster of `config`; no line may take the clock past `limit` (virtual ms).
    pub fn new(config: crate::sim::Config, limit: u64) -> Result<Exec, SimError> {
        Ok(Exec {
            c: Cluster::new(config)?,
            outcomes: Vec::new(),
            counts: EventCounts::default(),
            limit,
            stage: Stage::Start,
        })
    }

    /// The failures reported so far.
    pub fn failures(&self) -> usize {
        self.outcomes.iter().filter(|o| o.kind == OutcomeKind::Failed).count()
    }

    /// Whether `cond` holds now, and what was seen.
    pub fn check(&mut self, cond: &Cond) -> (bool, String) {
        check(&self.c, cond, &mut self.counts)
    }

    /// Runs `line` to its end.
    pub fn finish_line(&mut self, line: &Line) -> bool {
        match self.run_line(line, u64::MAX) {
            LineRun::Done { go_on } => go_on,
            // No line needs time past u64::MAX: its times are bounded by the limit.
            LineRun::Pending => true,
        }
    }

    /// Runs `line` as far as virtual time `until` allows: to its end
    /// ([`LineRun::Done`]) or, when it needs more time, with the clock at
    /// `until` ([`LineRun::Pending`]: call again with the same line and a later
    /// `until`; the line goes on where it was).
    pub fn run_line(&mut self, line: &Line, until: u64) -> LineRun {
        let n = line.line;
        loop {
            match self.stage {
                Stage::Start => {
                    let now = self.c.now();
                    let target = match line.at {
                        Some(At::Absolute(t)) if t < now => {
                            let text = format!(
                                "at {} is in the past: the run is already at {}; the line runs now",
                                format_ms(t),
                                format_ms(now)
                            );
                            self.say(n, OutcomeKind::Failed, text);
                            None
                        }
                        Some(At::Absolute(t)) => Some(t),
                        Some(At::After(d)) => Some(now.saturating_add(d)),
                        None => None,
                    };
                    match target {
                        Some(t) if !self.within_limit(n, t) => return self.done(false),
                        Some(t) => self.stage = Stage::Moving(t),
                        // A line without a time runs at once: not even the
                        // events due at this instant run before it.
                        None => {
                            if let Some(go_on) = self.statement(line) {
                                return self.done(go_on);
                            }
                        }
                    }
                }
                Stage::Moving(t) => {
                    if !self.move_to(t, until) {
                        return LineRun::Pending;
                    }
                    if let Some(done) = self.statement(line) {
                        return self.done(done);
                    }
                }
                Stage::Waiting(t) => {
                    if !self.move_to(t, until) {
                        return LineRun::Pending;
                    }
                    return self.done(true);
                }
                Stage::Until { start, deadline } => {
                    let Step::WaitUntil { cond, within } = &line.step else { return self.done(true) };
                    let words = &line.words;
                    let mut seen = String::new();
                    let Some(ok) = self.run_until(deadline, until, |r| {
                        let (ok, s) = check(&r.c, cond, &mut r.counts);
                        seen = s;
                        ok
                    }) else {
                        return LineRun::Pending;
                    };
                    let took = format_ms(self.c.now() - start);
                    if ok {
                        self.say(n, OutcomeKind::Met, format!("{words} after {took} ({seen})"));
                    } else {
                        let cut = if deadline < start.saturating_add(*within) {
                            " (cut at the run's time limit)"
                        } else {
                            ""
                        };
                        self.say(n, OutcomeKind::Failed, format!("waited {took}{cut} for {words}, but {seen}"));
                    }
                    return self.done(true);
                }
                Stage::Seeking { deadline } => {
                    let Step::Tamper { tamper, pick: Pick::Next { kind, from, to, within } } = &line.step else {
                        return self.done(true);
                    };
                    let mut id = None;
                    let Some(found) = self.run_until(deadline, until, |r| {
                        id = oldest(&r.c, *kind, *from, *to);
                        id.is_some()
                    }) else {
                        return LineRun::Pending;
                    };
                    match id.filter(|_| found) {
                        Some(id) => self.tamper_with(n, *tamper, id),
                        None => {
                            let text = format!(
                                "no {} {} was in flight within {}",
                                kind_name(*kind),
                                link_name(*from, *to),
                                format_ms(*within)
                            );
                            self.say(n, OutcomeKind::Failed, text);
                        }
                    }
                    return self.done(true);
                }
            }
        }
    }

    fn done(&mut self, go_on: bool) -> LineRun {
        self.stage = Stage::Start;
        LineRun::Done { go_on }
    }

    fn say(&mut self, line: usize, kind: OutcomeKind, text: String) {
        self.outcomes.push(Outcome { line, time: self.c.now(), kind, text });
    }

    /// False (after reporting it) when `t` is past the run's time limit.
    fn within_limit(&mut self, line: usize, t: u64) -> bool {
        if t > self.limit {
            let text = format!(
                "the run would go on to {}, past its limit of {}; it stops here",
                format_ms(t),
                format_ms(self.limit)
            );
            self.say(line, OutcomeKind::Failed, text);
            return false;
        }
        true
    }

    /// Moves the clock towards `t`, no further than `until`; true once it is at `t`.
    fn move_to(&mut self, t: u64, until: u64) -> bool {
        self.c.advance_to(t.min(until));
        t <= until
    }

    /// Runs a line's statement once the clock is at its time: `Some(go_on)`
    /// when the line is done, `None` when it goes on in a later stage.
    fn statement(&mut self, line: &Line) -> Option<bool> {
        let n = line.line;
        match &line.step {
            Step::Nothing => {}
            Step::Act(action) => {
                let text = format_action(action, None);
                match self.c.apply(action.clone()) {
                    Ok(()) => self.say(n, OutcomeKind::Acted, text),
                    Err(e) => self.say(n, OutcomeKind::Failed, format!("{text} was refused: {e}")),
                }
            }
            Step::Tamper { tamper, pick: Pick::Id { id, check } } => match self.c.message(*id) {
                None => self.say(n, OutcomeKind::Failed, format!("message {id} is not in flight")),
                Some(m) => match check {
                    Some((kind, from, to)) if (m.payload.kind(), m.from, m.to) != (*kind, *from, *to) => {
                        let text = format!(
                            "message {id} is {} {}, not {} {}",
                            kind_name(m.payload.kind()),
                            link_name(m.from, m.to),
                            kind_name(*kind),
                            link_name(*from, *to)
                        );
                        self.say(n, OutcomeKind::Failed, text)
                    }
                    _ => self.tamper_with(n, *tamper, *id),
                },
            },
            Step::Tamper { pick: Pick::Next { within, .. }, .. } => {
                self.stage = Stage::Seeking { deadline: self.deadline(*within) };
                return None;
            }
            Step::Wait(d) => {
                let t = self.c.now().saturating_add(*d);
                if !self.within_limit(n, t) {
                    return Some(false);
                }
                self.stage = Stage::Waiting(t);
                return None;
            }
            Step::WaitUntil { within, .. } => {
                self.stage = Stage::Until { start: self.c.now(), deadline: self.deadline(*within) };
                return None;
            }
            Step::Expect(cond) => {
                let (ok, seen) = check(&self.c, cond, &mut self.counts);
                let words = &line.words;
                if ok {
                    self.say(n, OutcomeKind::Met, format!("{words} ({seen})"));
                } else {
                    self.say(n, OutcomeKind::Failed, format!("expected {words}, but {seen}"));
                }
            }
            Step::Say(text) => self.say(n, OutcomeKind::Said, text.clone()),
        }
        Some(true)
    }

    /// The deadline of a wait of `within` ms from now, cut at the limit.
    fn deadline(&self, within: u64) -> u64 {
        self.c.now().saturating_add(within).min(self.limit.max(self.c.now()))
    }

    /// Runs the cluster event by event until `done` holds (`Some(true)`) or
    /// the deadline passes (`Some(false)`, the clock at the deadline); `None`
    /// when neither happened by `until` (the clock is then at `until`).
    /// Every event due at one instant runs together, as `Cluster::step` does,
    /// and the clock never jumps past the deadline.
    fn run_until(&mut self, deadline: u64, until: u64, mut done: impl FnMut(&mut Self) -> bool) -> Option<bool> {
        loop {
            if done(self) {
                return Some(true);
            }
            match self.c.next_event_time() {
                Some(t) if t <= deadline.min(until) => self.c.advance_to(t),
                _ if deadline <= until => {
                    self.c.advance_to(deadline);
                    return Some(done(self));
                }
                _ => {
                    self.c.advance_to(until);
                    return None;
                }
            }
        }
    }

    fn tamper_with(&mut self, n: usize, tamper: Tamper, id: u64) {
        let action = tamper.action(id);
        let text = format_action(&action, self.c.message(id));
        match self.c.apply(action) {
            Ok(()) => self.say(n, OutcomeKind::Acted, text),
            Err(e) => self.say(n, OutcomeKind::Failed, format!("{text} was refused: {e}")),
        }
    }
}

/// The oldest message in flight of this kind on this link.
fn oldest(c: &Cluster, kind: MessageKind, from: Addr, to: Addr) -> Option<u64> {
    c.messages().into_iter().find(|m| m.payload.kind() == kind && m.from == from && m.to == to).map(|m| m.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{parse, split_trace};

    /// Runs every line of `script` with budgets of `chunk` ms of virtual time.
    fn run_in_chunks(script: &Script, chunk: u64) -> (Cluster, Vec<Outcome>) {
        let mut exec = Exec::new(script.config.clone(), MAX_TIME_MS).unwrap();
        'lines: for line in &script.lines {
            let mut calls = 0;
            loop {
                let until = exec.c.now() + chunk;
                calls += 1;
                assert!(calls < 1_000_000, "line {} never ends", line.line);
                match exec.run_line(line, until) {
                    LineRun::Done { go_on: true } => break,
                    LineRun::Done { go_on: false } => break 'lines,
                    LineRun::Pending => {
                        assert_eq!(exec.c.now(), until, "a pending line leaves the clock at the budget")
                    }
                }
            }
        }
        (exec.c, exec.outcomes)
    }

    #[test]
    fn a_script_run_bit_by_bit_is_the_same_run_as_at_once() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        assert!(files.len() >= 10);
        for (i, path) in files.iter().enumerate() {
            // The membership scenarios need the engine's `membership` feature (the page's build has none).
            let name = path.file_name().unwrap().to_string_lossy();
            if !cfg!(feature = "membership") && name.starts_with("membership") {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            let script = parse(split_trace(&text).0).unwrap();
            let whole = run(&script).unwrap();
            for chunk in [1, 7, 50, 333 + i as u64] {
                let (c, outcomes) = run_in_chunks(&script, chunk);
                assert_eq!(c.trace_hash(), whole.cluster.trace_hash(), "{path:?} in chunks of {chunk} ms");
                assert_eq!(c.history(), whole.cluster.history(), "{path:?} in chunks of {chunk} ms");
                assert_eq!(outcomes, whole.outcomes, "{path:?} in chunks of {chunk} ms");
            }
        }
    }
}
