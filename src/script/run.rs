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
    let mut runner = Runner {
        c: Cluster::new(script.config.clone())?,
        outcomes: Vec::new(),
        counts: EventCounts::default(),
        limit: options.max_time_ms,
    };
    let mut stopped_at = None;
    for line in &script.lines {
        let failures_before = runner.failures();
        let go_on = runner.line(line);
        let failed = runner.failures() > failures_before;
        if !go_on || (failed && options.stop_at_first_failure) {
            stopped_at = Some(line.line);
            break;
        }
    }
    Ok(Report { cluster: runner.c, outcomes: runner.outcomes, stopped_at })
}

struct Runner {
    c: Cluster,
    outcomes: Vec<Outcome>,
    counts: EventCounts,
    limit: u64,
}

impl Runner {
    fn failures(&self) -> usize {
        self.outcomes.iter().filter(|o| o.kind == OutcomeKind::Failed).count()
    }

    fn say(&mut self, line: usize, kind: OutcomeKind, text: String) {
        self.outcomes.push(Outcome { line, time: self.c.now(), kind, text });
    }

    /// Moves the clock to `t`; false (after reporting it) when `t` is past the limit.
    fn go_to(&mut self, line: usize, t: u64) -> bool {
        if t > self.limit {
            let text = format!(
                "the run would go on to {}, past its limit of {}; it stops here",
                format_ms(t),
                format_ms(self.limit)
            );
            self.say(line, OutcomeKind::Failed, text);
            return false;
        }
        self.c.advance_to(t);
        true
    }

    /// Runs one line; false when the run must stop.
    fn line(&mut self, line: &Line) -> bool {
        let n = line.line;
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
        if let Some(t) = target {
            if !self.go_to(n, t) {
                return false;
            }
        }
        match &line.step {
            Step::Nothing => {}
            Step::Act(action) => {
                let text = format_action(action, None);
                match self.c.apply(action.clone()) {
                    Ok(()) => self.say(n, OutcomeKind::Acted, text),
                    Err(e) => self.say(n, OutcomeKind::Failed, format!("{text} was refused: {e}")),
                }
            }
            Step::Tamper { tamper, pick } => self.tamper(n, *tamper, pick),
            Step::Wait(d) => return self.go_to(n, self.c.now().saturating_add(*d)),
            Step::WaitUntil { cond, within } => self.wait_until(n, cond, *within),
            Step::Expect(cond) => {
                let (ok, seen) = check(&self.c, cond, &mut self.counts);
                if ok {
                    self.say(n, OutcomeKind::Met, format!("{cond} ({seen})"));
                } else {
                    self.say(n, OutcomeKind::Failed, format!("expected {cond}, but {seen}"));
                }
            }
            Step::Say(text) => self.say(n, OutcomeKind::Said, text.clone()),
        }
        true
    }

    /// The deadline of a wait of `within` ms from now, cut at the limit.
    fn deadline(&self, within: u64) -> u64 {
        self.c.now().saturating_add(within).min(self.limit.max(self.c.now()))
    }

    /// Runs the cluster event by event until `cond` holds (true) or the
    /// deadline passes (false, the clock at the deadline).
    fn run_until(&mut self, deadline: u64, mut done: impl FnMut(&mut Self) -> bool) -> bool {
        loop {
            if done(self) {
                return true;
            }
            match self.c.next_event_time() {
                // Every event due at that instant runs: as `Cluster::step` does,
                // without ever jumping past the deadline.
                Some(t) if t <= deadline => self.c.advance_to(t),
                _ => {
                    self.c.advance_to(deadline);
                    return done(self);
                }
            }
        }
    }

    fn wait_until(&mut self, n: usize, cond: &Cond, within: u64) {
        let start = self.c.now();
        let deadline = self.deadline(within);
        let mut seen = String::new();
        let ok = self.run_until(deadline, |r| {
            let (ok, s) = check(&r.c, cond, &mut r.counts);
            seen = s;
            ok
        });
        let took = format_ms(self.c.now() - start);
        if ok {
            self.say(n, OutcomeKind::Met, format!("{cond} after {took} ({seen})"));
        } else {
            let cut = if deadline < start.saturating_add(within) { " (cut at the run's time limit)" } else { "" };
            self.say(n, OutcomeKind::Failed, format!("waited {took}{cut} for {cond}, but {seen}"));
        }
    }

    fn tamper(&mut self, n: usize, tamper: Tamper, pick: &Pick) {
        let found = match *pick {
            Pick::Id { id, check } => match self.c.message(id) {
                None => Err(format!("message {id} is not in flight")),
                Some(m) => match check {
                    Some((kind, from, to)) if (m.payload.kind(), m.from, m.to) != (kind, from, to) => Err(format!(
                        "message {id} is {} {}, not {} {}",
                        kind_name(m.payload.kind()),
                        link_name(m.from, m.to),
                        kind_name(kind),
                        link_name(from, to)
                    )),
                    _ => Ok(id),
                },
            },
            Pick::Next { kind, from, to, within } => {
                let deadline = self.deadline(within);
                let mut id = None;
                if self.run_until(deadline, |r| {
                    id = oldest(&r.c, kind, from, to);
                    id.is_some()
                }) {
                    id.ok_or_else(String::new)
                } else {
                    Err(format!(
                        "no {} {} was in flight within {}",
                        kind_name(kind),
                        link_name(from, to),
                        format_ms(within)
                    ))
                }
            }
        };
        let id = match found {
            Ok(id) => id,
            Err(why) => return self.say(n, OutcomeKind::Failed, why),
        };
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
