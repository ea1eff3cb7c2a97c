//! Lessons recorded for the page: what a lesson says (titles, captions,
//! highlights, questions, offers) and its run as data (each step's actions at
//! their times, where it asks, where it ends, the trace hash there, each
//! question's answer as the engine read it), written natively by [`record`]
//! and read in the page by [`RecordedLesson::from_text`].
//!
//! Why: a lesson's run does not depend on the learner (answers never change
//! it), and the engine is deterministic, so the page can replay the recorded
//! actions on its own cluster (`Cluster::apply` at the recorded times) and
//! get the same run, checked at every step's end against the recorded trace
//! hash. It then needs neither the lesson and script parsers nor the script
//! executor, which would add about 44 KB gzipped to a page with a 300 KB
//! budget; the link decoder it uses instead ([`crate::script::link`]) adds 7.
//!
//! The files are `lessons/recorded/<id>.txt`, one per ready lesson, and
//! `lessons/recorded/index.txt`, the lesson list (also for coming lessons);
//! `tests/lesson_page.rs` checks that they are what [`record`] and
//! [`index_text`] write today (`REWRITE=1 cargo test --test lesson_page`
//! writes them again after a lesson or the engine changed).
//!
//! The format is plain text, one record a line, fields separated by tabs (a
//! lesson's texts hold no tab: its parser reads quoted strings on one line):
//!
//! ```text
//! raft-lesson 1
//! lesson   <id>  <title>
//! step     <title>  <caption>
//! hl       servers 1 5 | entries 3 5 on 1 2 | messages RequestVote 3 * | client
//! ask      servers|yes-no|number|choice  <question>  [<option>...]
//! answer   servers 1 3 | yes | no | number 4 | choice 2   <virtual ms it is read at>
//! explain  <why>
//! why      <a highlight of the explanation>
//! offer    <label>  <outcome>  [<the option it waits for>]
//! run      <link: config, the step's actions, its end, the hash there>  [from <step>]  [ask <actions before it> <ms>]
//! wait     <ms the condition held>  <the condition in words>
//! branch   <step>  <offer>          (then one run line, with its waits, per step up to the offer's)
//! ```

use super::{Answer, Group, Highlight, Item, Lesson, LessonInfo, LessonRun, Phase, QuestionKind, Status, TOPICS};
use crate::quote::Quoted;
use crate::raft::NodeId;
use crate::script::{link, Cond, Recording, Step, Where};
use crate::sim::{Action, Addr, Config, MessageKind, Role};
use std::fmt::Write;

/// The first line of a recorded lesson.
pub const FORMAT: &str = "raft-lesson\t1";
/// The first line of the index.
pub const INDEX_FORMAT: &str = "raft-lessons\t1";

/// A lesson as the page plays it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedLesson {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its steps, in order.
    pub steps: Vec<RecordedStep>,
    /// The runs of its available "replay this with ..." offers.
    pub branches: Vec<RecordedBranch>,
}

/// One step: what the page shows and the step's part of the run.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedStep {
    /// Its title.
    pub title: String,
    /// Its caption.
    pub caption: String,
    /// What it is about.
    pub highlights: Vec<Highlight>,
    /// Its question, with the answer the engine read.
    pub question: Option<RecordedQuestion>,
    /// Its "replay this with ..." offers.
    pub offers: Vec<RecordedOffer>,
    /// Its part of the lesson's run.
    pub segment: Segment,
}

/// A question with its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedQuestion {
    /// The question.
    pub text: String,
    /// What sort of answer it takes.
    pub kind: QuestionKind,
    /// The correct answer, as the engine read it.
    pub truth: Answer,
    /// The virtual time it was read at: the page reveals it once the run is there.
    pub truth_time: u64,
    /// Why.
    pub explain: String,
    /// What to highlight with the explanation.
    pub highlights: Vec<Highlight>,
}

/// An offer as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedOffer {
    /// The button's words.
    pub label: String,
    /// What the branch shows, in words.
    pub outcome: String,
    /// The option it waits for, while the engine does not have it (no branch is recorded then).
    pub requires: Option<String>,
}

/// The run of an offer's branch: the lesson from its start with the offer's
/// change, one segment per step up to the offer's.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedBranch {
    /// The offer's step.
    pub step: usize,
    /// The offer's index in its step.
    pub offer: usize,
    /// The branch's run, step by step (as many as `step + 1`).
    pub segments: Vec<Segment>,
}

/// One step's part of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// `Some(k)`: the step starts where step `k` ended (not where the step before it did).
    pub from: Option<usize>,
    /// Where the question is asked: after this many of the step's actions, at this virtual time.
    pub ask: Option<(usize, u64)>,
    /// The run's config (the first step's is the run's; a later step's
    /// counts the servers added before it too, which its actions may name), the step's actions
    /// at their virtual times, the moment it ends and the trace hash there.
    pub run: Recording,
    /// Each `wait until` of the step: the moment its condition held, and the condition in words.
    pub waits: Vec<(u64, String)>,
}

// ----- recording (natively) ---------------------------------------------------------

/// Records a ready lesson: runs it (and each available offer's branch) and
/// keeps what the page needs. Refuses a lesson whose step is not met or whose
/// written answer is not confirmed, saying which.
pub fn record(lesson: &Lesson) -> Result<RecordedLesson, String> {
    let main = record_run(lesson, lesson.steps.len(), true)?;
    let mut steps = Vec::new();
    for (s, (segment, truth)) in lesson.steps.iter().zip(main) {
        let question = match (&s.question, truth) {
            (Some(q), Some((truth, truth_time))) => Some(RecordedQuestion {
                text: q.text.clone(),
                kind: q.kind.clone(),
                truth,
                truth_time,
                explain: q.explain.clone(),
                highlights: q.highlights.clone(),
            }),
            (Some(_), None) => {
                return Err(format!("{}: step {} asks but its answer was never read", lesson.id, Quoted(&s.title)))
            }
            (None, _) => None,
        };
        let offers = s
            .offers
            .iter()
            .map(|o| RecordedOffer { label: o.label.clone(), outcome: o.outcome.clone(), requires: o.requires.clone() })
            .collect();
        steps.push(RecordedStep {
            title: s.title.clone(),
            caption: s.caption.clone(),
            highlights: s.highlights.clone(),
            question,
            offers,
            segment,
        });
    }
    let mut branches = Vec::new();
    for (k, s) in lesson.steps.iter().enumerate() {
        for (o, offer) in s.offers.iter().enumerate() {
            let Some(config) = &offer.config else { continue };
            let mut changed = lesson.clone();
            changed.config = config.clone();
            // A branch may well not meet the lesson's conditions: that is the difference it shows.
            let segments = record_run(&changed, k + 1, false)?.into_iter().map(|(seg, _)| seg).collect();
            branches.push(RecordedBranch { step: k, offer: o, segments });
        }
    }
    Ok(RecordedLesson { id: lesson.id.clone(), title: lesson.title.clone(), steps, branches })
}

/// A question's answer and the virtual time it was read at.
type Truth = (Answer, u64);

/// Runs the first `upto` steps of `lesson`, questions skipped (answers never
/// change the run): each step's segment and its question's answer with the
/// moment it was read. With `strict`, a step not met is refused.
fn record_run(lesson: &Lesson, upto: usize, strict: bool) -> Result<Vec<(Segment, Option<Truth>)>, String> {
    let fail =
        |k: usize, what: &str| format!("{}: step {} ({}) {what}", lesson.id, k + 1, Quoted(&lesson.steps[k].title));
    let mut run = LessonRun::new(lesson).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for k in 0..upto {
        if k > 0 {
            run.next_step().map_err(|e| fail(k, &e.to_string()))?;
        }
        let start = run.report().start;
        let mut asked = None;
        loop {
            match run.finish_step() {
                Phase::Asking => {
                    asked = run.report().asked;
                    run.skip_question().map_err(|e| fail(k, &e.to_string()))?;
                }
                Phase::Ended => break,
                Phase::Running => return Err(fail(k, "did not end")),
            }
        }
        let report = run.report().clone();
        let end = report.end.ok_or_else(|| fail(k, "did not end"))?;
        if strict && report.met != Some(true) {
            return Err(fail(k, "is not met: a condition did not hold in time"));
        }
        if strict && !report.confirmed {
            return Err(fail(k, "has a written answer its condition does not confirm"));
        }
        let c = run.cluster();
        let actions = c.history().get(start.actions..end.actions).ok_or_else(|| fail(k, "lost its actions"))?;
        let step = &lesson.steps[k];
        let outcomes = run.outcomes().get(report.first_outcome..).unwrap_or(&[]);
        let waits = step
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Line(line) => match &line.step {
                    Step::WaitUntil { cond, .. } => {
                        let held = outcomes.iter().find(|o| o.line == line.line)?;
                        Some((held.time, waiting_words(cond)))
                    }
                    _ => None,
                },
                Item::Ask => None,
            })
            .collect();
        let segment = Segment {
            from: step.from,
            ask: asked.map(|m| (m.actions - start.actions, m.time)),
            run: Recording {
                config: Config {
                    nodes: lesson.config.nodes + added(&c.history()[..start.actions]),
                    ..lesson.config.clone()
                },
                history: actions.to_vec(),
                moment: end.time,
                trace_hash: Some(c.trace_hash()),
            },
            waits,
        };
        out.push((segment, report.truth.zip(report.truth_time)));
    }
    Ok(out)
}

/// How many servers `actions` add (`add server`): a later step's actions may name them.
#[cfg(feature = "membership")]
fn added(actions: &[(u64, Action)]) -> usize {
    actions.iter().filter(|(_, a)| *a == Action::AddServer).count()
}

#[cfg(not(feature = "membership"))]
fn added(_: &[(u64, Action)]) -> usize {
    0
}

/// A condition in words, for "waiting for: ..." ("a leader is elected",
/// "x ← 3 is committed on a majority").
pub fn waiting_words(cond: &Cond) -> String {
    match cond {
        Cond::Leader(v) if v.is_empty() => "a leader is elected".into(),
        Cond::Leader(v) if v.len() == 1 => format!("{} leads", v[0]),
        Cond::Leader(v) => format!("one of {} leads", names(v, "or")),
        Cond::NoLeader => "no server leads".into(),
        Cond::Term(n, t) => format!("{n} reaches term {t}"),
        Cond::Role(n, Role::Leader) => format!("{n} leads"),
        Cond::Role(n, r) => format!("{n} is a {r}"),
        Cond::Crashed(n) => format!("{n} is crashed"),
        Cond::Running(n) => format!("{n} is running"),
        Cond::Committed { key, value, on } => format!("{key} ← {value} is committed on {}", place(on)),
        Cond::Stored { key, value, on } => format!("{key} ← {value} is stored on {}", place(on)),
        Cond::CommitIndex { index, on } => format!("the commit index reaches {index} on {}", place(on)),
        Cond::Matched { index, on } => format!("the leader knows entry {index} is stored on {}", place(on)),
        Cond::Applied { key, value, on } => format!("{key} = {value} is applied on {}", place(on)),
        Cond::Log(n, terms) if terms.is_empty() => format!("{n}'s log is empty"),
        Cond::Log(n, terms) => {
            let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
            format!("{n}'s log holds entries of terms {}", terms.join(" "))
        }
        Cond::SameLog(on) => format!("the logs are the same on {}", place(on)),
        Cond::Acknowledged { key, value } => format!("the client is told {key} ← {value} is committed"),
        Cond::Read { key, value: Some(v) } => format!("the client's read of {key} returns {v}"),
        Cond::Read { key, value: None } => format!("the client's read of {key} finds it never written"),
        Cond::NoViolation => "no safety property is broken".into(),
        Cond::Violation(None) => "a safety property breaks".into(),
        Cond::Violation(Some(p)) => format!("{} breaks", p.name()),
        Cond::Event { words, at_least: 1 } => format!("an event “{words}”"),
        Cond::Event { words, at_least } => format!("{at_least} events “{words}”"),
        Cond::NoEvent(words) => format!("no event “{words}”"),
        Cond::Not(c) => match &**c {
            Cond::Leader(v) if v.len() == 1 => format!("{} to stop leading", v[0]),
            Cond::Role(n, Role::Leader) => format!("{n} to stop leading"),
            c => format!("the end of “{}”", waiting_words(c)),
        },
    }
}

/// "S1, S2 and S3" (or "or").
fn names(v: &[NodeId], and: &str) -> String {
    let names: Vec<String> = v.iter().map(|n| n.to_string()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

fn place(on: &Where) -> String {
    match on {
        Where::All => "every running server".into(),
        Where::Majority => "a majority".into(),
        Where::Servers(v) => names(v, "and"),
    }
}

// ----- writing ---------------------------------------------------------------------

fn ids(v: &[NodeId]) -> String {
    v.iter().map(|n| format!(" {}", n.0)).collect()
}

fn addr_text(a: Option<Addr>) -> String {
    match a {
        None => "*".into(),
        Some(Addr::Client) => "client".into(),
        Some(Addr::Node(n)) => n.0.to_string(),
    }
}

fn highlight_text(h: &Highlight) -> String {
    match h {
        Highlight::Servers { servers } => format!("servers{}", ids(servers)),
        Highlight::Entries { from, to, on } if on.is_empty() => format!("entries {from} {to}"),
        Highlight::Entries { from, to, on } => format!("entries {from} {to} on{}", ids(on)),
        Highlight::Messages { kind, from, to } => {
            format!("messages {} {} {}", kind.map_or("*", |k| k.name()), addr_text(*from), addr_text(*to))
        }
        Highlight::Client => "client".into(),
    }
}

fn answer_text(a: &Answer) -> String {
    match a {
        Answer::Servers(v) => format!("servers{}", ids(v)),
        Answer::YesNo(true) => "yes".into(),
        Answer::YesNo(false) => "no".into(),
        Answer::Number(n) => format!("number {n}"),
        Answer::Choice(i) => format!("choice {i}"),
    }
}

fn segment_text(out: &mut String, s: &Segment) -> Result<(), String> {
    let link = link::encode(&s.run).map_err(|e| e.to_string())?;
    let _ = write!(out, "run\t{link}");
    if let Some(k) = s.from {
        let _ = write!(out, "\tfrom {k}");
    }
    if let Some((k, t)) = s.ask {
        let _ = write!(out, "\task {k} {t}");
    }
    out.push('\n');
    for (t, words) in &s.waits {
        let _ = writeln!(out, "wait\t{t}\t{}", clean(words)?);
    }
    Ok(())
}

/// A text as a field: one that holds a tab or a line break cannot be kept.
fn clean(text: &str) -> Result<&str, String> {
    match text.contains(['\t', '\n', '\r']) {
        true => Err(format!("{} holds a tab or a line break, which the format cannot keep", Quoted(text))),
        false => Ok(text),
    }
}

impl RecordedLesson {
    /// The lesson as text (the format above).
    pub fn to_text(&self) -> Result<String, String> {
        let mut out = format!("{FORMAT}\nlesson\t{}\t{}\n", clean(&self.id)?, clean(&self.title)?);
        for s in &self.steps {
            let _ = writeln!(out, "step\t{}\t{}", clean(&s.title)?, clean(&s.caption)?);
            for h in &s.highlights {
                let _ = writeln!(out, "hl\t{}", highlight_text(h));
            }
            if let Some(q) = &s.question {
                let kind = match &q.kind {
                    QuestionKind::Servers => "servers",
                    QuestionKind::YesNo => "yes-no",
                    QuestionKind::Number => "number",
                    QuestionKind::Choice { .. } => "choice",
                };
                let _ = write!(out, "ask\t{kind}\t{}", clean(&q.text)?);
                if let QuestionKind::Choice { options } = &q.kind {
                    for o in options {
                        let _ = write!(out, "\t{}", clean(o)?);
                    }
                }
                let _ = writeln!(out, "\nanswer\t{}\t{}", answer_text(&q.truth), q.truth_time);
                let _ = writeln!(out, "explain\t{}", clean(&q.explain)?);
                for h in &q.highlights {
                    let _ = writeln!(out, "why\t{}", highlight_text(h));
                }
            }
            for o in &s.offers {
                let _ = write!(out, "offer\t{}\t{}", clean(&o.label)?, clean(&o.outcome)?);
                if let Some(r) = &o.requires {
                    let _ = write!(out, "\t{}", clean(r)?);
                }
                out.push('\n');
            }
            segment_text(&mut out, &s.segment)?;
        }
        for b in &self.branches {
            let _ = writeln!(out, "branch\t{}\t{}", b.step, b.offer);
            for s in &b.segments {
                segment_text(&mut out, s)?;
            }
        }
        Ok(out)
    }
}

// ----- reading (in the page) ---------------------------------------------------------

/// A whole number read as `u64` for every type (one copy of the integer parser), then narrowed.
fn number<T: TryFrom<u64>>(word: Option<&str>, what: &str) -> Result<T, String> {
    word.and_then(|w| w.parse::<u64>().ok()).and_then(|v| T::try_from(v).ok()).ok_or_else(|| format!("expected {what}"))
}

fn node(word: &str) -> Result<NodeId, String> {
    match word.parse::<u64>() {
        Ok(k @ 1..=9) => Ok(NodeId(k as u8)),
        _ => Err(format!("expected a server number, got {}", Quoted(word))),
    }
}

fn nodes<'a>(words: impl Iterator<Item = &'a str>) -> Result<Vec<NodeId>, String> {
    let mut v = Vec::new();
    for w in words {
        v.push(node(w)?);
    }
    Ok(v)
}

/// The words as owned strings (one loop for the question's options and the index's missing features).
fn strings(words: &[&str]) -> Vec<String> {
    let mut v = Vec::with_capacity(words.len());
    for w in words {
        v.push(w.to_string());
    }
    v
}

fn addr(word: Option<&str>) -> Result<Option<Addr>, String> {
    match word {
        Some("*") => Ok(None),
        Some("client") => Ok(Some(Addr::Client)),
        Some(w) => node(w).map(|n| Some(Addr::Node(n))),
        None => Err("expected a sender and a receiver".into()),
    }
}

fn read_highlight(text: &str) -> Result<Highlight, String> {
    let mut w = text.split(' ');
    match w.next() {
        Some("servers") => Ok(Highlight::Servers { servers: nodes(w)? }),
        Some("entries") => {
            let from = number(w.next(), "the first index")?;
            let to = number(w.next(), "the last index")?;
            let on = match w.next() {
                None => Vec::new(),
                Some("on") => nodes(w)?,
                Some(x) => return Err(format!("expected on, got {}", Quoted(x))),
            };
            Ok(Highlight::Entries { from, to, on })
        }
        Some("messages") => {
            let kind = match w.next() {
                Some("*") => None,
                Some(name) => Some(
                    MessageKind::ALL
                        .into_iter()
                        .find(|k| k.name() == name)
                        .ok_or_else(|| format!("no message kind {}", Quoted(name)))?,
                ),
                None => return Err("expected a message kind".into()),
            };
            Ok(Highlight::Messages { kind, from: addr(w.next())?, to: addr(w.next())? })
        }
        Some("client") => Ok(Highlight::Client),
        _ => Err(format!("expected a highlight, got {}", Quoted(text))),
    }
}

fn read_answer(text: &str) -> Result<Answer, String> {
    let mut w = text.split(' ');
    match w.next() {
        Some("servers") => Ok(Answer::Servers(nodes(w)?)),
        Some("yes") => Ok(Answer::YesNo(true)),
        Some("no") => Ok(Answer::YesNo(false)),
        Some("number") => Ok(Answer::Number(number(w.next(), "a number")?)),
        Some("choice") => Ok(Answer::Choice(number(w.next(), "an option")?)),
        _ => Err(format!("expected an answer, got {}", Quoted(text))),
    }
}

fn read_segment(f: &[&str]) -> Result<Segment, String> {
    let run = link::decode(f.get(1).copied().unwrap_or("")).map_err(|e| format!("its run: {e}"))?;
    if run.trace_hash.is_none() {
        return Err("its run has no trace hash".into());
    }
    let (mut from, mut ask) = (None, None);
    for field in f.iter().skip(2) {
        let mut w = field.split(' ');
        match w.next() {
            Some("from") if from.is_none() => from = Some(number(w.next(), "the step it starts from")?),
            Some("ask") if ask.is_none() => {
                ask = Some((number(w.next(), "a count of actions")?, number(w.next(), "a time")?))
            }
            _ => return Err(format!("expected from <step> or ask <actions> <time>, got {}", Quoted(field))),
        }
    }
    if let Some((k, t)) = ask {
        let time = |i: usize| run.history.get(i).map(|a: &(u64, _)| a.0);
        let after = time(k).unwrap_or(run.moment);
        let before = k.checked_sub(1).and_then(time).unwrap_or(0);
        if k > run.history.len() || t < before || t > after {
            return Err("its question is asked outside the step".into());
        }
    }
    Ok(Segment { from, ask, run, waits: Vec::new() })
}

impl RecordedLesson {
    /// Reads a recorded lesson, checking everything the page relies on.
    /// Never panics; the error names the line.
    pub fn from_text(text: &str) -> Result<RecordedLesson, String> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        match lines.next() {
            Some((_, l)) if l.trim_end() == FORMAT => {}
            _ => return Err("this is not a recorded lesson (its first line should be raft-lesson 1)".into()),
        }
        let mut lesson =
            RecordedLesson { id: String::new(), title: String::new(), steps: Vec::new(), branches: Vec::new() };
        for (i, line) in lines {
            lesson.read_line(line.trim_end_matches('\r')).map_err(|e| format!("line {}: {e}", i + 1))?;
        }
        lesson.check()?;
        Ok(lesson)
    }

    fn read_line(&mut self, line: &str) -> Result<(), String> {
        let f: Vec<&str> = line.split('\t').collect();
        let field = |k: usize| f.get(k).map(|s| s.to_string()).ok_or_else(|| format!("{} needs more fields", f[0]));
        if f[0] != "lesson" && self.id.is_empty() {
            return Err("expected the lesson line first".into());
        }
        let in_branch = !self.branches.is_empty();
        let step = if in_branch { None } else { self.steps.last_mut() };
        match (f[0], step) {
            ("lesson", _) if self.id.is_empty() => {
                self.id = field(1)?;
                self.title = field(2)?;
            }
            ("step", _) if !in_branch => self.steps.push(RecordedStep {
                title: field(1)?,
                caption: field(2)?,
                highlights: Vec::new(),
                question: None,
                offers: Vec::new(),
                segment: Segment { from: None, ask: None, run: empty_run(), waits: Vec::new() },
            }),
            ("hl", Some(s)) => s.highlights.push(read_highlight(&field(1)?)?),
            ("ask", Some(s)) if s.question.is_none() => {
                let kind = match f.get(1).copied() {
                    Some("servers") => QuestionKind::Servers,
                    Some("yes-no") => QuestionKind::YesNo,
                    Some("number") => QuestionKind::Number,
                    Some("choice") => QuestionKind::Choice { options: strings(&f[3.min(f.len())..]) },
                    _ => return Err("expected a question's kind".into()),
                };
                s.question = Some(RecordedQuestion {
                    text: field(2)?,
                    kind,
                    truth: Answer::YesNo(false),
                    truth_time: u64::MAX,
                    explain: String::new(),
                    highlights: Vec::new(),
                });
            }
            ("answer", Some(RecordedStep { question: Some(q), .. })) => {
                q.truth = read_answer(&field(1)?)?;
                q.truth_time = number(f.get(2).copied(), "the time the answer is read")?;
                if !q.truth.fits(&q.kind) {
                    return Err("the answer does not fit the question".into());
                }
            }
            ("explain", Some(RecordedStep { question: Some(q), .. })) => q.explain = field(1)?,
            ("why", Some(RecordedStep { question: Some(q), .. })) => q.highlights.push(read_highlight(&field(1)?)?),
            ("offer", Some(s)) => s.offers.push(RecordedOffer {
                label: field(1)?,
                outcome: field(2)?,
                requires: f.get(3).map(|r| r.to_string()),
            }),
            ("run", Some(s)) if s.segment.run.trace_hash.is_none() => s.segment = read_segment(&f)?,
            ("run", None) if in_branch => {
                let b = self.branches.last_mut().ok_or("a run outside a step")?;
                b.segments.push(read_segment(&f)?);
            }
            ("wait", _) => {
                let seg = match self.branches.last_mut() {
                    Some(b) => b.segments.last_mut(),
                    None => self.steps.last_mut().map(|s| &mut s.segment),
                };
                let seg = seg.filter(|s| s.run.trace_hash.is_some()).ok_or("a wait before its run")?;
                seg.waits.push((number(f.get(1).copied(), "a time")?, field(2)?));
            }
            ("branch", _) => {
                let step = number(f.get(1).copied(), "the offer's step")?;
                let offer = number(f.get(2).copied(), "the offer")?;
                self.branches.push(RecordedBranch { step, offer, segments: Vec::new() });
            }
            (word, _) => return Err(format!("{} is not expected here", Quoted(word))),
        }
        Ok(())
    }

    /// What the page relies on: a run for every step, answers for every
    /// question, branches of available offers with a run for each step up to theirs.
    fn check(&self) -> Result<(), String> {
        if self.steps.is_empty() {
            return Err(format!("lesson {} has no step", Quoted(&self.id)));
        }
        for (k, s) in self.steps.iter().enumerate() {
            let at = |what: &str| format!("step {}: {what}", k + 1);
            check_segment(&s.segment, k).map_err(|e| at(&e))?;
            if s.question.as_ref().is_some_and(|q| q.truth_time == u64::MAX || s.segment.ask.is_none()) {
                return Err(at("its question has no answer or is never asked"));
            }
        }
        for b in &self.branches {
            let at = format!("the branch of step {} offer {}", b.step + 1, b.offer + 1);
            let offer = self.steps.get(b.step).and_then(|s| s.offers.get(b.offer));
            if offer.is_none_or(|o| o.requires.is_some()) || b.segments.len() != b.step + 1 {
                return Err(format!("{at} does not fit the lesson"));
            }
            for (k, seg) in b.segments.iter().enumerate() {
                check_segment(seg, k).map_err(|e| format!("{at}, step {}: {e}", k + 1))?;
                if seg.from != self.steps[k].segment.from {
                    return Err(format!("{at} starts its steps elsewhere"));
                }
            }
        }
        Ok(())
    }
}

fn empty_run() -> Recording {
    Recording { config: Default::default(), history: Vec::new(), moment: 0, trace_hash: None }
}

fn check_segment(s: &Segment, k: usize) -> Result<(), String> {
    if s.run.trace_hash.is_none() {
        return Err("it has no run".into());
    }
    if s.from.is_some_and(|f| f >= k) {
        return Err("it starts from a step that is not an earlier one".into());
    }
    if s.run.history.last().is_some_and(|a| a.0 > s.run.moment) {
        return Err("an action comes after its end".into());
    }
    Ok(())
}

// ----- the index ---------------------------------------------------------------------

/// The lesson list as text (`lessons/recorded/index.txt`): one line per lesson, in list order.
pub fn index_text(list: &[LessonInfo]) -> String {
    let mut out = format!("{INDEX_FORMAT}\n");
    for l in list {
        let group = match l.group {
            Group::Seed(k) => format!("section {k}"),
            Group::Topic(t) => format!("topic {}", TOPICS.iter().find(|x| x.0 == t).map_or("?", |x| x.1)),
        };
        let status = match &l.status {
            Status::Ready => "ready".to_string(),
            Status::Coming { missing } => format!("coming {}", missing.join(" ")),
            Status::Broken { error } => format!("broken {error}"),
        };
        let summary = l.summary.as_deref().unwrap_or("");
        let _ = writeln!(
            out,
            "lesson\t{}\t{group}\t{}\t{}\t{}\t{status}\t{}\t{summary}",
            l.id, l.steps, l.questions, l.minutes, l.title
        );
    }
    out
}

/// Reads the lesson list written by [`index_text`]. Never panics.
pub fn read_index(text: &str) -> Result<Vec<LessonInfo>, String> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    if lines.next().map(|(_, l)| l.trim_end()) != Some(INDEX_FORMAT) {
        return Err("this is not a lesson index (its first line should be raft-lessons 1)".into());
    }
    // A loop, not `collect` into a `Result`: no iterator adapter chain to copy.
    let mut list = Vec::new();
    for (i, line) in lines {
        list.push(read_index_line(line.trim_end_matches('\r')).map_err(|e| format!("line {}: {e}", i + 1))?);
    }
    Ok(list)
}

fn read_index_line(line: &str) -> Result<LessonInfo, String> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 9 || f[0] != "lesson" {
        return Err("expected a lesson line of 9 fields".into());
    }
    let mut group = f[2].split(' ');
    let group = match (group.next(), group.next()) {
        (Some("section"), Some(k)) => match k.parse::<u64>() {
            Ok(k @ 1..=4) => Group::Seed(k as u8),
            _ => return Err(format!("no section {}", Quoted(k))),
        },
        (Some("topic"), Some(name)) => {
            Group::Topic(TOPICS.iter().find(|t| t.1 == name).ok_or_else(|| format!("no topic {}", Quoted(name)))?.0)
        }
        _ => return Err(format!("expected section or topic, got {}", Quoted(f[2]))),
    };
    let status = match f[6].split_once(' ').unwrap_or((f[6], "")) {
        ("ready", _) => Status::Ready,
        ("coming", missing) => Status::Coming { missing: strings(&missing.split(' ').collect::<Vec<_>>()) },
        ("broken", error) => Status::Broken { error: error.to_string() },
        _ => return Err(format!("expected ready, coming or broken, got {}", Quoted(f[6]))),
    };
    Ok(LessonInfo {
        id: f[1].to_string(),
        title: f[7].to_string(),
        group,
        group_title: group.title(),
        summary: Some(f[8].to_string()).filter(|s| !s.is_empty()),
        steps: number(Some(f[3]), "a number of steps")?,
        questions: number(Some(f[4]), "a number of questions")?,
        minutes: number(Some(f[5]), "a number of minutes")?,
        status,
    })
}
