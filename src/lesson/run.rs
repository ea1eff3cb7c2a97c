//! Playing a lesson step by step, the way a page drives it: a little virtual
//! time per frame, a pause at each question and at each step's end, and
//! moves to any step (Previous, Replay, a link to a step) or to an offer's branch.
//!
//! Each step runs its items in order: script lines through the scenario
//! script executor (the same one `script::run` uses, so a lesson's step runs
//! exactly as the same lines in a script), and the `ask` point, where the run
//! waits for an answer. The step ends when its last line (its final
//! `wait until`) is done: at the moment the condition held, or at its time
//! limit if it never did (the report then says the step was not met).

use super::facts::truth;
use super::{Answer, Highlight, Item, Lesson, LessonError, LessonStep, Question, QuestionKind, When};
use crate::script::check::{check, EventCounts};
use crate::script::run::{Exec, LineRun};
use crate::script::{Cond, Outcome, OutcomeKind, MAX_TIME_MS};
use crate::sim::{Cluster, MAX_TIME};
use serde::Serialize;

/// Where the current step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The step runs: time passes and its condition is awaited.
    Running,
    /// The step's question waits for the learner's answer; time stands still.
    Asking,
    /// The step is over: its condition held (or its time limit passed).
    Ended,
}

/// A moment of the run: enough to rebuild the cluster there with
/// `Cluster::replay(initial_config, &history[..actions], time)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Moment {
    /// Virtual time (ms).
    pub time: u64,
    /// How many actions the cluster's history held then.
    pub actions: usize,
    /// How many events its trace held then.
    pub events: usize,
}

impl Moment {
    fn of(c: &Cluster) -> Moment {
        Moment { time: c.now(), actions: c.history().len(), events: c.events().len() }
    }
}

/// What one step did, as far as it got.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepReport {
    /// The step's index (0 for the first).
    pub step: usize,
    /// When it started: the page seeks back here for Previous and Replay.
    pub start: Moment,
    /// When its question was asked, once it was.
    pub asked: Option<Moment>,
    /// When it ended, once it did.
    pub end: Option<Moment>,
    /// Once it ended: true when every `wait until` and `expect` of the step
    /// held and every action was accepted, its final condition within its limit.
    pub met: Option<bool>,
    /// The correct answer to its question, once known (when asked, or at the
    /// end for a question about what the run reveals).
    pub truth: Option<Answer>,
    /// The virtual time the correct answer was read at (the page reveals it once the run is there).
    pub truth_time: Option<u64>,
    /// For a written answer (`answer "..." if <condition>`): whether the
    /// condition held; always true for answers read from the cluster.
    pub confirmed: bool,
    /// Where its outcomes start in [`LessonRun::outcomes`].
    pub first_outcome: usize,
}

/// What the page shows once a question is answered and its answer known.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reveal {
    /// The learner's answer (`None` when skipped).
    pub given: Option<Answer>,
    /// The correct answer.
    pub truth: Answer,
    /// True when the learner's answer is the correct one.
    pub correct: bool,
    /// Why.
    pub explain: String,
    /// What to highlight with the explanation.
    pub highlights: Vec<Highlight>,
}

/// The run's state in a few fields (what the JavaScript API's `lessonState()` returns).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonState {
    /// The lesson's id.
    pub id: String,
    /// The lesson's title.
    pub title: String,
    /// The current step's index (0 for the first).
    pub step: usize,
    /// How many steps the lesson has.
    pub steps: usize,
    /// The current step's title.
    pub step_title: String,
    /// True while the step runs towards its condition.
    pub waiting: bool,
    /// True while its question waits for an answer.
    pub asking: bool,
    /// True once the last step has ended.
    pub finished: bool,
    /// Virtual time (ms).
    pub time: u64,
    /// The offer's label when this run is a "replay this with ..." branch.
    pub branch: Option<String>,
}

/// Everything the page draws for the current step, in one value (serde: a plain JS object).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepView {
    /// The run's state in a few fields.
    pub state: LessonState,
    /// Where the step stands.
    pub phase: Phase,
    /// The step's caption.
    pub caption: String,
    /// What to highlight now (the step's, and the explanation's once revealed).
    pub highlights: Vec<Highlight>,
    /// The question, once the run has reached it.
    pub question: Option<QuestionView>,
    /// Once answered and due: the verdict and the explanation.
    pub reveal: Option<Reveal>,
    /// The step's "replay this with ..." buttons.
    pub offers: Vec<OfferView>,
    /// The step's start and end moments (the end once it ended).
    pub report: StepReport,
}

/// A question as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionView {
    /// The question.
    pub text: String,
    /// What sort of answer it takes (with the options of a choice).
    pub kind: QuestionKind,
}

/// An offer as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OfferView {
    /// The button's words.
    pub label: String,
    /// The change, as written (`fast_backup on`).
    pub change: String,
    /// What the branch shows, in words.
    pub outcome: String,
    /// The option it waits for, if the engine does not have it yet (the button shows "coming").
    pub requires: Option<String>,
}

/// A lesson being played. Cheap to clone; deterministic: the same calls give the same run.
#[derive(Clone, Debug)]
pub struct LessonRun {
    lesson: Lesson,
    /// (step, offer) when this is an offer's branch.
    branch: Option<(usize, usize)>,
    exec: Exec,
    step: usize,
    /// The next item of the step to run.
    pc: usize,
    phase: Phase,
    /// One per step reached, in order.
    reports: Vec<StepReport>,
    /// The executor at the start of each step reached.
    starts: Vec<Exec>,
    /// The executor at the end of steps that a later step starts from (`from step N`).
    ends: Vec<Option<Exec>>,
    /// The learner's answer to each step's question since the step last
    /// started (`Some(None)`: skipped). Answers never change the run.
    given: Vec<Option<Option<Answer>>>,
}

impl LessonRun {
    /// A run of `lesson` at the start of its first step.
    pub fn new(lesson: &Lesson) -> Result<LessonRun, LessonError> {
        let missing = lesson.missing();
        if !missing.is_empty() {
            let missing = missing.into_iter().map(String::from).collect();
            return Err(LessonError::Coming { id: lesson.id.clone(), missing });
        }
        if lesson.steps.is_empty() {
            return Err(LessonError::NoStep(0));
        }
        let exec = Exec::new(lesson.config.clone(), MAX_TIME_MS).map_err(LessonError::Sim)?;
        let n = lesson.steps.len();
        let mut run = LessonRun {
            lesson: lesson.clone(),
            branch: None,
            exec,
            step: 0,
            pc: 0,
            phase: Phase::Running,
            reports: Vec::new(),
            starts: Vec::new(),
            ends: vec![None; n],
            given: vec![None; n],
        };
        run.begin(0);
        Ok(run)
    }

    /// A run of `lesson` at the start of step `step` (the steps before it run at once, their questions skipped).
    pub fn at_step(lesson: &Lesson, step: usize) -> Result<LessonRun, LessonError> {
        let mut run = LessonRun::new(lesson)?;
        run.go_to_step(step)?;
        Ok(run)
    }

    /// The branch an offer promises: the lesson from its start with the
    /// offer's change, at the start of the offer's step.
    pub fn branch(lesson: &Lesson, step: usize, offer: usize) -> Result<LessonRun, LessonError> {
        let s = lesson.steps.get(step).ok_or(LessonError::NoStep(step))?;
        let o = s.offers.get(offer).ok_or(LessonError::NoOffer { step, offer })?;
        let Some(config) = &o.config else {
            return Err(LessonError::OfferComing(o.requires.clone().unwrap_or_default()));
        };
        let mut changed = lesson.clone();
        changed.config = config.clone();
        let mut run = LessonRun::new(&changed)?;
        run.branch = Some((step, offer));
        run.go_to_step(step)?;
        Ok(run)
    }

    /// The lesson as it runs (an offer's branch has its settings changed).
    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    /// The cluster now. It is an ordinary cluster: free play can go on from
    /// any moment with a clone of it (its history holds every action).
    pub fn cluster(&self) -> &Cluster {
        &self.exec.c
    }

    /// The cluster, to go on in free play.
    pub fn into_cluster(self) -> Cluster {
        self.exec.c
    }

    /// The current step's index (0 for the first).
    pub fn step_index(&self) -> usize {
        self.step
    }

    /// The current step.
    pub fn step(&self) -> &LessonStep {
        &self.lesson.steps[self.step]
    }

    /// Where the current step stands.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// `(step, offer)` when this run is an offer's branch.
    pub fn branch_of(&self) -> Option<(usize, usize)> {
        self.branch
    }

    /// The run's state in a few fields.
    pub fn state(&self) -> LessonState {
        let step = self.step();
        let last = self.step + 1 == self.lesson.steps.len();
        LessonState {
            id: self.lesson.id.clone(),
            title: self.lesson.title.clone(),
            step: self.step,
            steps: self.lesson.steps.len(),
            step_title: step.title.clone(),
            waiting: self.phase == Phase::Running,
            asking: self.phase == Phase::Asking,
            finished: last && self.phase == Phase::Ended,
            time: self.exec.c.now(),
            branch: self.branch.map(|(s, o)| self.lesson.steps[s].offers[o].label.clone()),
        }
    }

    /// Whether a script condition holds now (an offer's `shows`, a test's check).
    pub fn holds(&self, cond: &Cond) -> bool {
        check(&self.exec.c, cond, &mut EventCounts::default()).0
    }

    /// Everything the page draws for the current step.
    pub fn view(&self) -> StepView {
        let step = self.step();
        StepView {
            state: self.state(),
            phase: self.phase,
            caption: step.caption.clone(),
            highlights: self.highlights(),
            question: self.question().map(|q| QuestionView { text: q.text.clone(), kind: q.kind.clone() }),
            reveal: self.reveal(),
            offers: step
                .offers
                .iter()
                .map(|o| OfferView {
                    label: o.label.clone(),
                    change: o.change.clone(),
                    outcome: o.outcome.clone(),
                    requires: o.requires.clone(),
                })
                .collect(),
            report: self.report().clone(),
        }
    }

    /// What each step reached did, in order.
    pub fn reports(&self) -> &[StepReport] {
        &self.reports
    }

    /// The current step's report.
    pub fn report(&self) -> &StepReport {
        &self.reports[self.step]
    }

    /// Every outcome of the script lines so far (actions, expectations met or
    /// not, `say` lines), in order; a step's start at [`StepReport::first_outcome`].
    pub fn outcomes(&self) -> &[Outcome] {
        &self.exec.outcomes
    }

    /// What to highlight now: the step's highlights, and the explanation's
    /// once the question is answered and its answer known.
    pub fn highlights(&self) -> Vec<Highlight> {
        let mut out = self.step().highlights.clone();
        if let Some(r) = self.reveal() {
            out.extend(r.highlights);
        }
        out
    }

    /// The current step's question, once the run has reached it.
    pub fn question(&self) -> Option<&Question> {
        self.report().asked.and(self.step().question.as_ref())
    }

    /// Once the question is answered (or skipped) and the run has reached the
    /// moment its answer is read: the verdict and the explanation.
    pub fn reveal(&self) -> Option<Reveal> {
        let q = self.question()?;
        let given = self.given[self.step].clone()?;
        let report = self.report();
        let due = report.truth_time.is_some_and(|t| t <= self.exec.c.now()) || self.phase == Phase::Ended;
        let truth = report.truth.clone().filter(|_| due)?;
        let correct = given.as_ref().is_some_and(|g| g.normalized() == truth.normalized());
        Some(Reveal { given, truth, correct, explain: q.explain.clone(), highlights: q.highlights.clone() })
    }

    /// The current step's question's answer as the cluster shows it now (a
    /// test compares it with [`StepReport::truth`] at [`StepReport::truth_time`]).
    pub fn read_answer(&mut self) -> Option<Answer> {
        let q = self.lesson.steps[self.step].question.as_ref()?;
        Some(truth(&mut self.exec, &q.rule, self.reports[self.step].start.events).0)
    }

    /// Answers the question that waits; the step then goes on (its run reveals the answer).
    pub fn answer(&mut self, given: Answer) -> Result<(), LessonError> {
        let q = self.step().question.as_ref().ok_or(LessonError::NotAsking)?;
        if self.phase != Phase::Asking {
            return Err(LessonError::NotAsking);
        }
        if !given.fits(&q.kind) {
            return Err(LessonError::WrongKind);
        }
        self.given[self.step] = Some(Some(given));
        self.phase = Phase::Running;
        Ok(())
    }

    /// Goes on without answering the question that waits.
    pub fn skip_question(&mut self) -> Result<(), LessonError> {
        if self.phase != Phase::Asking {
            return Err(LessonError::NotAsking);
        }
        self.given[self.step] = Some(None);
        self.phase = Phase::Running;
        Ok(())
    }

    /// Runs the current step for up to `ms` virtual milliseconds: it stops
    /// earlier at its question and at its end, with the clock at that moment.
    pub fn advance(&mut self, ms: u64) -> Phase {
        let until = self.exec.c.now().saturating_add(ms).min(MAX_TIME);
        self.run(until)
    }

    /// Runs the current step to its question or its end, however long it takes (within its limits).
    pub fn finish_step(&mut self) -> Phase {
        self.run(u64::MAX)
    }

    /// Starts the next step, once the current one has ended.
    pub fn next_step(&mut self) -> Result<(), LessonError> {
        if self.phase != Phase::Ended {
            return Err(LessonError::NotEnded);
        }
        if self.step + 1 >= self.lesson.steps.len() {
            return Err(LessonError::Finished);
        }
        self.begin(self.step + 1);
        Ok(())
    }

    /// Goes back to the start of the step before (the first step restarts).
    pub fn previous_step(&mut self) -> Result<(), LessonError> {
        self.go_to_step(self.step.saturating_sub(1))
    }

    /// Restarts the current step from its start.
    pub fn replay_step(&mut self) -> Result<(), LessonError> {
        self.go_to_step(self.step)
    }

    /// Goes to the start of step `k`: back to a step reached already (its
    /// start was kept), or on through the steps between, at once (their
    /// questions skipped). A step started again asks its question anew.
    pub fn go_to_step(&mut self, k: usize) -> Result<(), LessonError> {
        if k >= self.lesson.steps.len() {
            return Err(LessonError::NoStep(k));
        }
        if k < self.starts.len() {
            self.exec = self.starts[k].clone();
            self.starts.truncate(k);
            self.reports.truncate(k);
            for e in self.ends.iter_mut().skip(k) {
                *e = None;
            }
            self.begin(k);
            return Ok(());
        }
        while self.step < k {
            loop {
                match self.finish_step() {
                    Phase::Ended => break,
                    Phase::Asking => {
                        self.given[self.step] = Some(None);
                        self.phase = Phase::Running;
                    }
                    // finish_step runs a step to its question or its end.
                    Phase::Running => return Err(LessonError::NotEnded),
                }
            }
            self.next_step()?;
        }
        Ok(())
    }

    /// Begins step `k` from where the run is (or from the end of the step it starts `from`).
    fn begin(&mut self, k: usize) {
        if let Some(from) = self.lesson.steps[k].from {
            if let Some(Some(exec)) = self.ends.get(from) {
                self.exec = exec.clone();
            }
        }
        self.step = k;
        self.pc = 0;
        self.phase = Phase::Running;
        self.given[k] = None;
        self.starts.truncate(k);
        self.starts.push(self.exec.clone());
        self.reports.truncate(k);
        self.reports.push(StepReport {
            step: k,
            start: Moment::of(&self.exec.c),
            asked: None,
            end: None,
            met: None,
            truth: None,
            truth_time: None,
            confirmed: true,
            first_outcome: self.exec.outcomes.len(),
        });
    }

    fn run(&mut self, until: u64) -> Phase {
        while self.phase == Phase::Running {
            match run_items(&mut self.exec, &self.lesson.steps[self.step].items, &mut self.pc, until) {
                Stop::Ask => self.ask(),
                Stop::End => self.end_step(),
                Stop::Budget => break,
            }
        }
        self.phase
    }

    fn ask(&mut self) {
        let step = &self.lesson.steps[self.step];
        let Some(q) = step.question.as_ref() else { return };
        let report = &mut self.reports[self.step];
        report.asked = Some(Moment::of(&self.exec.c));
        match q.when {
            When::Asked => {
                let (t, confirmed) = truth(&mut self.exec, &q.rule, report.start.events);
                (report.truth, report.confirmed, report.truth_time) = (Some(t), confirmed, Some(self.exec.c.now()));
            }
            When::After(ms) => {
                // Read it ahead on a copy of the run: the same lines to the same moment give the same cluster.
                let mut probe = self.exec.clone();
                let mut pc = self.pc;
                let at = self.exec.c.now().saturating_add(ms);
                while run_items(&mut probe, &step.items, &mut pc, at) == Stop::Ask {}
                let (t, confirmed) = truth(&mut probe, &q.rule, report.start.events);
                (report.truth, report.confirmed, report.truth_time) = (Some(t), confirmed, Some(probe.c.now()));
            }
            When::End => {}
        }
        self.phase = Phase::Asking;
    }

    fn end_step(&mut self) {
        let k = self.step;
        let step = &self.lesson.steps[k];
        let report = &mut self.reports[k];
        if let Some(q) = step.question.as_ref().filter(|q| q.when == When::End) {
            let (t, confirmed) = truth(&mut self.exec, &q.rule, report.start.events);
            (report.truth, report.confirmed, report.truth_time) = (Some(t), confirmed, Some(self.exec.c.now()));
        }
        report.end = Some(Moment::of(&self.exec.c));
        let failed = self.exec.outcomes[report.first_outcome..].iter().any(|o| o.kind == OutcomeKind::Failed);
        report.met = Some(!failed);
        if self.lesson.steps.iter().any(|s| s.from == Some(k)) {
            self.ends[k] = Some(self.exec.clone());
        }
        self.phase = Phase::Ended;
    }
}

/// Why [`run_items`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// At the question (the `ask` item is consumed).
    Ask,
    /// After the last item.
    End,
    /// A line needs time past the budget.
    Budget,
}

/// Runs a step's items from `pc` within the budget `until`.
fn run_items(exec: &mut Exec, items: &[Item], pc: &mut usize, until: u64) -> Stop {
    loop {
        match items.get(*pc) {
            None => return Stop::End,
            Some(Item::Ask) => {
                *pc += 1;
                return Stop::Ask;
            }
            Some(Item::Line(line)) => match exec.run_line(line, until) {
                // A line that would pass the run's time limit ends the step.
                LineRun::Done { go_on } => *pc = if go_on { *pc + 1 } else { items.len() },
                LineRun::Pending => return Stop::Budget,
            },
        }
    }
}
