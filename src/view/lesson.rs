//! The page's lessons: the lesson list (read from the index compiled into the
//! page), the visitor's progress (kept in the browser), recorded lessons
//! loaded when first opened, and the lesson being played, on the page's own
//! cluster.
//!
//! A lesson plays by replaying its recording ([`crate::lesson::RecordedLesson`]):
//! each step's actions go through the page's timeline (`Timeline::act`) at
//! their recorded times while the page's clock advances, the run stops where
//! the step asks its question and where it ends, and at each end the trace
//! hash is checked against the recorded one (a mismatch is shown: it means
//! the recording is older than the engine). So the ring, the log grid, the
//! timeline strip and every panel show the lesson's cluster as they show any
//! run, and free play goes on from it (with its past to go back to).
//!
//! Everything here is pure and tested natively (`tests/lesson_page.rs`); the
//! page's glue (`src/ui/lesson_load.rs`) only fetches files and keeps the
//! progress in `localStorage`.

use super::args::{brief, show, whole, Arg};
use crate::lesson::{index, Answer, Highlight, LessonInfo, Phase, QuestionKind, RecordedLesson, Segment, Status};
use crate::quote::Quoted;
use crate::sim::{Config, NodeId};
use crate::timeline::Timeline;
use std::fmt::Write as _;
use std::rc::Rc;

/// The `localStorage` key of the progress.
pub const PROGRESS_KEY: &str = "raftPlayground.lessons";

/// Where a recorded lesson is fetched from, relative to the page.
pub fn lesson_url(id: &str) -> String {
    format!("lessons/{id}.txt")
}

/// How many steps of each lesson the visitor has done (ended, or moved past
/// with Next), kept in the browser as `failover=3;split-vote=4`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress(Vec<(String, usize)>);

impl Progress {
    /// Reads the kept text; what does not read (another version, a hand edit) is ignored.
    pub fn read(text: &str) -> Progress {
        let mut p = Progress::default();
        for pair in text.split(';') {
            if let Some((id, n)) = pair.split_once('=') {
                let good =
                    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if let (true, Some(n)) = (good, crate::decimal::whole(n)) {
                    p.record(id, n.min(1000));
                }
            }
        }
        p
    }

    /// The text to keep.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (id, n) in &self.0 {
            let _ = write!(s, "{}{id}={n}", if s.is_empty() { "" } else { ";" });
        }
        s
    }

    /// How many steps of lesson `id` are done.
    pub fn done(&self, id: &str) -> usize {
        self.0.iter().find(|(i, _)| i == id).map_or(0, |(_, n)| *n)
    }

    /// Raises lesson `id`'s count to `steps` (never lowers it); true when it changed.
    pub fn record(&mut self, id: &str, steps: usize) -> bool {
        match self.0.iter_mut().find(|(i, _)| i == id) {
            Some((_, n)) if *n >= steps => false,
            Some((_, n)) => {
                *n = steps;
                true
            }
            None if steps == 0 => false,
            None => {
                self.0.push((id.to_string(), steps));
                true
            }
        }
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Everything the lesson panel, a click on the ring or the JavaScript API asks of the lessons.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonOp {
    /// Open lesson `id` at step `step` (from 0): at once if it is loaded,
    /// else once its recording arrives (the page fetches it, see [`Lessons::take_fetch`]).
    Open {
        /// The lesson.
        id: String,
        /// The step, from 0.
        step: usize,
    },
    /// Open lesson `id` from the list: where the visitor got to (the first
    /// step not done), or from its start once every step is done.
    Take(String),
    /// A lesson's recording arrived (or could not be fetched: the reason).
    Loaded {
        /// The lesson it was fetched for.
        id: String,
        /// Its text, or why there is none.
        text: Result<String, String>,
    },
    /// The next step (the rest of this one runs at once).
    Next,
    /// Back to the start of the step before (the first step restarts).
    Previous,
    /// The current step again from its start.
    Replay,
    /// Run to the question or the step's end at once.
    SkipAhead,
    /// Add a server to the answer being made, or take it out.
    Pick(NodeId),
    /// Answer with the servers picked.
    Check,
    /// Answer the question.
    Answer(Answer),
    /// Go on without answering.
    SkipQuestion,
    /// Play the current step's offer with this index ("replay this with ...").
    Branch(usize),
    /// Back from an offer's branch to the lesson, where it was.
    Back,
    /// Leave the lesson: free play goes on from the cluster as it is.
    Leave,
    /// Pick the lesson left up again, at the step it was left at.
    Resume,
    /// Forget the progress kept.
    ClearProgress,
    /// The progress kept in the browser (read when the page starts).
    Progress(String),
}

/// What a lesson op did to the cluster, for the model to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moved {
    /// Nothing, or time moved on.
    No,
    /// The cluster went back to an earlier moment, or jumped ahead.
    Jumped,
    /// A new cluster: a lesson or a branch started.
    NewRun,
}

/// A lesson being played on the page's cluster, or one of its offers'
/// branches ("replay this with ..."), each on a branch of the page's timeline.
/// It keeps no copy of the cluster: going back, or to a step that starts
/// where an earlier one ended, replays the recording from the start at once
/// (a lesson's run is seconds of virtual time: milliseconds to replay) on a
/// new timeline (the lesson) or a new branch of it (an offer, which replaces
/// the branch of the offer played before).
#[derive(Clone, Debug)]
struct Play {
    lesson: Rc<RecordedLesson>,
    /// An offer's branch: its index in the lesson's branches.
    branch: Option<usize>,
    /// The timeline's branch it plays on.
    tl: u32,
    /// An offer's: the lesson's timeline branch, which its own parts from.
    from: u32,
    step: usize,
    /// The next action of the step's segment to apply.
    next: usize,
    /// Whether the run is past the point where the step asks.
    asked: bool,
    phase: Phase,
    /// The answer given to the step's question (`Some(None)`: skipped).
    given: Option<Option<Answer>>,
    /// The servers clicked for the answer being made.
    picked: Vec<NodeId>,
    /// Where the replay parted from the recording, if it did.
    mismatch: Option<String>,
}

/// Runs the lesson's timeline on to moment `t`. A timeline refuses only past
/// its end (2 hours; a lesson's run is seconds) or when a recorded action fails
/// on replay (none is ahead: a lesson plays at the latest moment).
fn run_to(c: &mut Timeline, t: u64) {
    let _ = c.advance_to(t);
}

fn segment(lesson: &RecordedLesson, branch: Option<usize>, k: usize) -> Option<&Segment> {
    match branch {
        Some(b) => lesson.branches.get(b)?.segments.get(k),
        None => Some(&lesson.steps.get(k)?.segment),
    }
}

impl Play {
    /// A play of `lesson` at the start of step `k` on a new timeline in `c`,
    /// or of its branch on a new branch of `c` that parts from branch `from`
    /// and replaces branch `tl` (0: none).
    fn start(
        lesson: Rc<RecordedLesson>,
        branch: Option<usize>,
        (from, tl): (u32, u32),
        k: usize,
        c: &mut Timeline,
    ) -> Result<Play, String> {
        let mut p = Play {
            lesson,
            branch,
            tl,
            from,
            step: 0,
            next: 0,
            asked: false,
            phase: Phase::Running,
            given: None,
            picked: Vec::new(),
            mismatch: None,
        };
        p.rebuild(k, c)?;
        Ok(p)
    }

    /// How many steps this play has (a branch ends at its offer's step).
    fn count(&self) -> usize {
        match self.branch {
            Some(b) => self.lesson.branches.get(b).map_or(0, |b| b.segments.len()),
            None => self.lesson.steps.len(),
        }
    }

    /// The step that step `k` starts from the end of.
    fn before(&self, k: usize) -> Option<usize> {
        let from = segment(&self.lesson, self.branch, k)?.from;
        from.or(k.checked_sub(1)).filter(|&j| j < k)
    }

    /// The step's question, unless this is a branch (a branch shows what its change does, it does not ask).
    fn question(&self) -> Option<&crate::lesson::RecordedQuestion> {
        self.lesson.steps.get(self.step).and_then(|s| s.question.as_ref()).filter(|_| self.branch.is_none())
    }

    /// Starts step `k` where the cluster is.
    fn begin(&mut self, k: usize, c: &mut Timeline) {
        (self.step, self.next, self.asked, self.phase, self.given) = (k, 0, false, Phase::Running, None);
        self.picked.clear();
        // What happens at the step's first instant (an action, the question) happens now.
        self.run(c, c.now());
    }

    /// Runs the step up to virtual time `until`: its actions at their times,
    /// stopping at its question and at its end.
    fn run(&mut self, c: &mut Timeline, until: u64) {
        let lesson = self.lesson.clone();
        let Some(seg) = segment(&lesson, self.branch, self.step) else {
            self.phase = Phase::Ended;
            return;
        };
        let has_question = self.question().is_some();
        while self.phase == Phase::Running {
            let ask = seg.ask.filter(|_| has_question && !self.asked);
            let (stop, at) = ask.unwrap_or((seg.run.history.len(), seg.run.moment));
            while let Some((t, action)) = seg.run.history.get(self.next).filter(|_| self.next < stop) {
                if *t > until {
                    run_to(c, until);
                    return;
                }
                run_to(c, *t);
                if let Err(e) = c.act(action.clone()) {
                    self.part(format!("the engine refused the step's action ({e})"));
                }
                self.next += 1;
            }
            if at > until {
                run_to(c, until);
                return;
            }
            run_to(c, at);
            if ask.is_some() {
                self.asked = true;
                self.phase = Phase::Asking;
            } else {
                self.phase = Phase::Ended;
                if seg.run.trace_hash != Some(c.cluster().trace_hash()) {
                    self.part("its run is not the recorded one at the step's end".into());
                }
            }
        }
    }

    fn part(&mut self, why: String) {
        if self.mismatch.is_none() {
            self.mismatch = Some(format!(
                "Step {}: {why}. The lesson's recording is older than the engine: run REWRITE=1 cargo test --test lesson_page.",
                self.step + 1
            ));
        }
    }

    /// Runs the step to its end at once, its question skipped if it was not answered.
    fn finish(&mut self, c: &mut Timeline) {
        loop {
            self.run(c, u64::MAX);
            match self.phase {
                Phase::Asking => {
                    self.given = Some(None);
                    self.phase = Phase::Running;
                }
                _ => return,
            }
        }
    }

    /// To the start of step `k`: on from this step when `k` follows it,
    /// else replayed from the start (through the steps that lead to `k`).
    fn go_to(&mut self, k: usize, c: &mut Timeline) -> Result<(), String> {
        if k >= self.count() {
            return Err(format!("there is no step {}", k + 1));
        }
        if self.before(k) == Some(self.step) && self.step < k {
            self.finish(c);
            self.begin(k, c);
            return Ok(());
        }
        self.rebuild(k, c)
    }

    /// To the start of step `k` on a new cluster, replayed from the start:
    /// the lesson on a new timeline; an offer on a new branch of `c` with a
    /// start of its own, named after the offer and parting from the lesson's
    /// branch where its step starts (on its own run), which replaces the one it played on.
    fn rebuild(&mut self, k: usize, c: &mut Timeline) -> Result<(), String> {
        if k >= self.count() {
            return Err(format!("there is no step {}", k + 1));
        }
        let first = segment(&self.lesson, self.branch, 0).ok_or("the lesson has no step")?;
        let config = first.run.config.clone();
        let made = match self.branch.and_then(|b| self.lesson.branches.get(b)) {
            None => Timeline::new(config).map(|t| *c = t).map(|()| 1),
            Some(b) => {
                let label = self.lesson.steps.get(b.step).and_then(|s| s.offers.get(b.offer)).map_or("", |o| &o.label);
                let what = format!("{} from step {}", label.strip_prefix("Replay this ").unwrap_or(label), b.step + 1);
                let parts = self.before(b.step).and_then(|j| b.segments.get(j)).map_or(0, |s| s.run.moment);
                // (The lesson's branch is normally there: the offer was taken on it. The
                // branch cap or forgetBranch may have removed it: then UnknownBranch.)
                c.start_branch(config, &what, self.from, parts)
            }
        };
        // The branch it played on before goes (none for the lesson: its new timeline has one branch, the current).
        let made = made.map_err(|e| e.to_string())?;
        c.forget_branch(std::mem::replace(&mut self.tl, made));
        let mut chain = vec![k];
        while let Some(j) = chain.last().and_then(|&j| self.before(j)) {
            chain.push(j);
        }
        while let Some(j) = chain.pop() {
            self.begin(j, c);
            if j != k {
                self.finish(c);
            }
        }
        Ok(())
    }

    fn answer(&mut self, given: Answer, c: &mut Timeline) -> Result<(), String> {
        let q = self.question().ok_or("this step asks nothing")?;
        if self.phase != Phase::Asking {
            return Err("no question waits for an answer now".into());
        }
        if !given.fits(&q.kind) {
            return Err("that answer does not fit the question".into());
        }
        self.given = Some(Some(given.normalized()));
        self.phase = Phase::Running;
        self.run(c, c.now());
        Ok(())
    }

    /// The verdict, once the question is answered (or skipped) and the run has reached the moment its answer is read.
    fn reveal(&self, now: u64) -> Option<Reveal> {
        let q = self.question()?;
        let given = self.given.clone()?;
        if now < q.truth_time && self.phase != Phase::Ended {
            return None;
        }
        let truth = q.truth.normalized();
        let correct = given.as_ref() == Some(&truth);
        Some(Reveal { given, truth, correct, explain: q.explain.clone(), kind: q.kind.clone() })
    }

    /// The condition the step waits for now, in words.
    fn waiting(&self, now: u64) -> Option<String> {
        if self.phase != Phase::Running {
            return None;
        }
        // A branch's run differs from the lesson's: the lesson's conditions are not its own.
        if self.branch.is_some() {
            return Some("the replay to play this step's time".into());
        }
        let seg = segment(&self.lesson, self.branch, self.step)?;
        let (_, words) = seg.waits.iter().find(|(t, _)| *t > now).or(seg.waits.last())?;
        Some(words.clone())
    }

    fn highlights(&self, now: u64) -> Vec<Highlight> {
        let Some(s) = self.lesson.steps.get(self.step) else { return Vec::new() };
        let mut out = s.highlights.clone();
        if let (Some(q), Some(_)) = (self.question(), self.reveal(now)) {
            out.extend(q.highlights.iter().cloned());
        }
        out
    }

    /// Steps done: those before this one, and this one once it ended.
    fn done(&self) -> usize {
        self.step + (self.phase == Phase::Ended) as usize
    }
}

/// The verdict on an answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    /// The learner's answer (`None` when skipped).
    pub given: Option<Answer>,
    /// The correct answer.
    pub truth: Answer,
    /// Whether they match.
    pub correct: bool,
    /// Why.
    pub explain: String,
    /// What sort of answer the question took (to say a choice's option).
    pub kind: QuestionKind,
}

impl Reveal {
    /// The verdict in a sentence: "✓ Right.", "✗ Not quite: the answer is S5, not S2.", "The answer: yes."
    pub fn verdict(&self) -> String {
        let words = |a: &Answer| answer_words(a, &self.kind);
        match (&self.given, self.correct) {
            (_, true) => "✓ Right.".to_string(),
            (Some(g), false) => format!("✗ Not quite: the answer is {}, not {}.", words(&self.truth), words(g)),
            (None, false) => format!("The answer: {}.", words(&self.truth)),
        }
    }
}

/// A question as the step card shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionCard {
    /// The question.
    pub text: String,
    /// What sort of answer it takes.
    pub kind: QuestionKind,
    /// The servers clicked so far (a servers question).
    pub picked: Vec<NodeId>,
    /// Whether it waits for the answer now.
    pub open: bool,
    /// The answer given (`Some(None)`: skipped).
    pub given: Option<Option<Answer>>,
}

/// An offer as the step card shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct OfferCard {
    /// The button's words.
    pub label: String,
    /// What the branch shows.
    pub outcome: String,
    /// The option it waits for, when the engine does not have it yet.
    pub requires: Option<String>,
}

/// Everything the step card draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// The lesson's id.
    pub id: String,
    /// The lesson's title.
    pub title: String,
    /// The step, from 0.
    pub step: usize,
    /// How many steps the lesson has.
    pub steps: usize,
    /// The step's title.
    pub step_title: String,
    /// Its caption (in an offer's branch: the offer's outcome).
    pub caption: String,
    /// In an offer's branch: the lesson's caption of the step.
    pub lesson_caption: Option<String>,
    /// Where the step stands.
    pub phase: Phase,
    /// What it waits for, in words, while it runs.
    pub waiting: Option<String>,
    /// Its question, once the run has reached it.
    pub question: Option<QuestionCard>,
    /// The verdict, once due.
    pub reveal: Option<Reveal>,
    /// Its offers (none in a branch).
    pub offers: Vec<OfferCard>,
    /// In an offer's branch: its label and what it shows.
    pub branch: Option<(String, String)>,
    /// Whether there is a step after this one (in a branch: never).
    pub has_next: bool,
    /// The lesson's last step has ended.
    pub finished: bool,
    /// The replay parted from the recording (a sentence).
    pub mismatch: Option<String>,
}

/// The lesson's state as `lessonState()` returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonState {
    /// The lesson's id.
    pub id: String,
    /// The lesson's title.
    pub title: String,
    /// The step, from 1 (as `?step=` counts).
    pub step: usize,
    /// How many steps the lesson has.
    pub steps: usize,
    /// The step's title.
    pub step_title: String,
    /// What the step waits for, while it runs (`None` at a question or at its end).
    pub waiting: Option<String>,
    /// Whether a question waits for an answer.
    pub asking: bool,
    /// Whether the step has ended (Next goes on).
    pub ended: bool,
    /// Whether the lesson's last step has ended.
    pub finished: bool,
    /// In an offer's branch: its label.
    pub branch: Option<String>,
}

/// A lesson of the list as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ListItem<'a> {
    /// The lesson.
    pub info: &'a LessonInfo,
    /// Steps done.
    pub done: usize,
    /// Why it cannot be opened yet, in words (a coming lesson).
    pub unavailable: Option<String>,
}

/// The lessons: the list, the progress, the recordings loaded, the lesson played.
#[derive(Clone, Debug)]
pub struct Lessons {
    list: Vec<LessonInfo>,
    /// Why the list could not be read (never, unless the page was built wrong).
    pub list_error: Option<String>,
    progress: Progress,
    progress_rev: u64,
    loaded: Vec<Rc<RecordedLesson>>,
    /// The lesson (and step) waiting for its recording.
    loading: Option<(String, usize)>,
    /// A fetch to start (taken by the page's glue).
    fetch: Option<String>,
    play: Option<Play>,
    /// The play of the timeline's other branch: the lesson's while its offer
    /// plays, the offer's (the last one played) while the lesson plays.
    other: Option<Box<Play>>,
    /// The lesson left for free play, and its step: it can be picked up again.
    left: Option<(String, usize)>,
    /// The last lesson that could not be loaded, and why.
    pub load_error: Option<String>,
    /// Bumped by every op: with [`Lessons::key`], what the lesson panel draws from.
    ops: u64,
}

/// What the lesson panel draws from, besides the ops done: when it is equal, the panel need not draw again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LessonKey {
    ops: u64,
    progress: u64,
    phase: Option<Phase>,
    step: usize,
    /// Which of the step's waits is the current one.
    wait: usize,
    revealed: bool,
}

impl LessonKey {
    /// Whether a question waits for its answer.
    pub fn asking(&self) -> bool {
        self.phase == Some(Phase::Asking)
    }

    /// Whether the verdict is shown.
    pub fn revealed(&self) -> bool {
        self.revealed
    }
}

impl Default for Lessons {
    fn default() -> Self {
        let (list, list_error) = match index() {
            Ok(list) => (list, None),
            Err(e) => (Vec::new(), Some(format!("The lesson list could not be read: {e}."))),
        };
        Lessons {
            list,
            list_error,
            progress: Progress::default(),
            progress_rev: 0,
            loaded: Vec::new(),
            loading: None,
            fetch: None,
            play: None,
            other: None,
            left: None,
            load_error: None,
            ops: 0,
        }
    }
}

/// Why lesson `info` cannot be opened, if it cannot.
fn unavailable(info: &LessonInfo) -> Option<String> {
    match &info.status {
        Status::Ready => None,
        Status::Coming { missing } => {
            Some(format!("Coming: it needs {}, which the engine does not have yet.", missing.join(" and ")))
        }
        Status::Broken { error } => Some(format!("Broken: {error}.")),
    }
}

impl Lessons {
    /// The lesson list, in order: the seed text's sections, then the topics.
    pub fn list(&self) -> &[LessonInfo] {
        &self.list
    }

    /// The list grouped for the panel: each group's title and its lessons with their progress.
    pub fn groups(&self) -> Vec<(String, Vec<ListItem<'_>>)> {
        let mut out: Vec<(String, Vec<ListItem>)> = Vec::new();
        for info in &self.list {
            let item = ListItem { done: self.progress.done(&info.id), unavailable: unavailable(info), info };
            match out.last_mut() {
                Some((title, items)) if *title == info.group_title => items.push(item),
                _ => out.push((info.group_title.clone(), vec![item])),
            }
        }
        out
    }

    /// The progress kept.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Changes whenever the progress does (the page keeps it then).
    pub fn progress_rev(&self) -> u64 {
        self.progress_rev
    }

    /// Whether a lesson plays (the cluster is the lesson's).
    pub fn active(&self) -> bool {
        self.play.is_some()
    }

    /// The lesson waiting for its recording, if one is.
    pub fn loading(&self) -> Option<&str> {
        self.loading.as_ref().map(|(id, _)| id.as_str())
    }

    /// The recording to fetch now, if one is wanted (once: the page's glue takes it).
    pub fn take_fetch(&mut self) -> Option<String> {
        self.fetch.take()
    }

    /// The lesson left for free play and its step (from 0), with its title.
    pub fn left(&self) -> Option<(&str, &str, usize)> {
        let (id, step) = self.left.as_ref()?;
        let title = self.list.iter().find(|l| l.id == *id).map_or(id.as_str(), |l| l.title.as_str());
        Some((id, title, *step))
    }

    /// `(id, step from 1)` of the lesson played, for the address (none in a branch).
    pub fn address(&self) -> Option<(String, usize)> {
        let p = self.play.as_ref().filter(|p| p.branch.is_none())?;
        Some((p.lesson.id.clone(), p.step + 1))
    }

    /// Checks that lesson `id` can open at `step` (from 0): the reason if not.
    pub fn check_open(&self, id: &str, step: usize) -> Result<(), String> {
        let steps = match self.loaded.iter().find(|l| l.id == id) {
            Some(l) => l.steps.len(),
            None => {
                let info = self
                    .list
                    .iter()
                    .find(|l| l.id == id)
                    .ok_or_else(|| format!("there is no lesson {}", Quoted(&brief(id))))?;
                if let Some(why) = unavailable(info) {
                    return Err(format!("lesson {} cannot be opened yet. {why}", Quoted(id)));
                }
                info.steps
            }
        };
        if step >= steps {
            return Err(format!("lesson {} has {steps} steps; there is no step {}", Quoted(id), step + 1));
        }
        Ok(())
    }

    /// Performs `op` on the lessons and the page's cluster `c` (whose start config is `start`).
    pub fn apply(
        &mut self,
        op: LessonOp,
        c: &mut Timeline,
        start: &mut Config,
    ) -> Result<(Option<String>, Moved), String> {
        self.ops += 1;
        let r = self.apply_inner(op, c, start);
        // When the lesson rebuilt its timeline (one branch), the offers' branches went with the old one.
        if c.branches().len() < 2 {
            self.other = None;
        }
        self.follow_progress();
        r
    }

    fn playing(&mut self) -> Result<&mut Play, String> {
        self.play.as_mut().ok_or_else(|| "no lesson is open".to_string())
    }

    fn apply_inner(
        &mut self,
        op: LessonOp,
        c: &mut Timeline,
        start: &mut Config,
    ) -> Result<(Option<String>, Moved), String> {
        let none = Ok((None, Moved::No));
        match op {
            LessonOp::Open { id, step } => {
                self.check_open(&id, step)?;
                self.load_error = None;
                match self.loaded.iter().find(|l| l.id == id).cloned() {
                    Some(lesson) => self.open(lesson, step, c, start),
                    None => {
                        self.fetch = Some(id.clone());
                        self.loading = Some((id, step));
                        none
                    }
                }
            }
            LessonOp::Take(id) => {
                let steps = self.list.iter().find(|l| l.id == id).map_or(0, |l| l.steps);
                let done = self.progress.done(&id);
                let step = if done < steps { done } else { 0 };
                self.apply_inner(LessonOp::Open { id, step }, c, start)
            }
            LessonOp::Loaded { id, text } => {
                let wanted = self.loading.as_ref().filter(|(w, _)| *w == id).map(|(_, step)| *step);
                if wanted.is_some() {
                    self.loading = None;
                }
                let read = text.and_then(|t| RecordedLesson::from_text(&t)).and_then(|l| match l.id == id {
                    true => Ok(l),
                    false => Err(format!("it is lesson {}", Quoted(&brief(&l.id)))),
                });
                let lesson = match read {
                    Ok(l) => Rc::new(l),
                    Err(e) => {
                        let e = format!("the lesson {} could not be loaded: {e}", Quoted(&id));
                        self.load_error = Some(e.clone());
                        return if wanted.is_some() { Err(e) } else { none };
                    }
                };
                self.loaded.retain(|l| l.id != id);
                self.loaded.push(lesson.clone());
                match wanted {
                    Some(step) => self.open(lesson, step, c, start),
                    None => none,
                }
            }
            LessonOp::Next => {
                let p = self.playing()?;
                if p.step + 1 >= p.count() {
                    return Err(if p.branch.is_some() {
                        "this replay shows one step: go back to the lesson to go on".into()
                    } else {
                        "that was the lesson's last step".into()
                    });
                }
                p.go_to(p.step + 1, c)?;
                Ok((None, Moved::Jumped))
            }
            LessonOp::Previous => {
                let p = self.playing()?;
                p.go_to(p.step.saturating_sub(1), c)?;
                Ok((None, Moved::Jumped))
            }
            LessonOp::Replay => {
                let p = self.playing()?;
                p.go_to(p.step, c)?;
                Ok((None, Moved::Jumped))
            }
            LessonOp::SkipAhead => {
                let p = self.playing()?;
                if p.phase != Phase::Running {
                    return Err("the step is not running: nothing to skip".into());
                }
                p.run(c, u64::MAX);
                Ok((None, Moved::Jumped))
            }
            LessonOp::Pick(id) => {
                if self.pick(id) {
                    none
                } else {
                    Err("no question waits for servers to be clicked".into())
                }
            }
            LessonOp::Check => {
                let p = self.playing()?;
                let picked = Answer::Servers(p.picked.clone());
                p.answer(picked, c)?;
                none
            }
            LessonOp::Answer(a) => {
                self.playing()?.answer(a, c)?;
                none
            }
            LessonOp::SkipQuestion => {
                let p = self.playing()?;
                if p.phase != Phase::Asking {
                    return Err("no question waits for an answer now".into());
                }
                p.given = Some(None);
                p.phase = Phase::Running;
                p.run(c, c.now());
                none
            }
            LessonOp::Branch(o) => {
                let p = self.playing()?;
                if p.branch.is_some() {
                    return Err("this is already a replay: go back to the lesson first".into());
                }
                let (lesson, step) = (p.lesson.clone(), p.step);
                let offer =
                    lesson.steps.get(step).and_then(|s| s.offers.get(o)).ok_or("this step has no such offer")?;
                if let Some(r) = &offer.requires {
                    return Err(format!("this replay needs {r}, which the engine does not have yet"));
                }
                let b = lesson.branches.iter().position(|b| b.step == step && b.offer == o);
                let b = b.ok_or("the recording has no run for this replay")?;
                // The offer plays on a branch of the timeline, which replaces the one played before.
                let from = p.tl;
                let old = self.other.as_ref().map_or(0, |q| q.tl);
                let branch = Play::start(lesson, Some(b), (from, old), step, c)?;
                self.other = self.play.replace(branch).map(Box::new);
                *start = c.cluster().initial_config().clone();
                Ok((None, Moved::NewRun))
            }
            LessonOp::Back => {
                let p = self.playing()?;
                if p.branch.is_none() {
                    return Err("this is not a replay".into());
                }
                // (The lesson's branch is normally there: the offer was taken on it. The
                // branch cap or forgetBranch may have removed it: then UnknownBranch.)
                c.switch_branch(p.from).map_err(|e| e.to_string())?;
                self.follow_branch(c);
                *start = c.cluster().initial_config().clone();
                Ok((None, Moved::NewRun))
            }
            LessonOp::Leave => match self.leave() {
                true => Ok((
                    Some("Free play: the cluster is yours. The Lessons panel picks the lesson up again.".into()),
                    Moved::No,
                )),
                false => Err("no lesson is open".into()),
            },
            LessonOp::Resume => {
                let (id, step) = self.left.clone().ok_or("no lesson was left")?;
                self.apply_inner(LessonOp::Open { id, step }, c, start)
            }
            LessonOp::ClearProgress => {
                self.progress = Progress::default();
                self.progress_rev += 1;
                Ok((Some("Lesson progress cleared.".into()), Moved::No))
            }
            LessonOp::Progress(text) => {
                self.progress = Progress::read(&text);
                self.progress_rev += 1;
                none
            }
        }
    }

    fn open(
        &mut self,
        lesson: Rc<RecordedLesson>,
        step: usize,
        c: &mut Timeline,
        start: &mut Config,
    ) -> Result<(Option<String>, Moved), String> {
        // The cluster is replaced only once the lesson's config made one.
        let play = Play::start(lesson, None, (0, 0), step, c)?;
        *start = c.cluster().initial_config().clone();
        self.play = Some(play);
        self.other = None;
        (self.left, self.fetch, self.loading) = (None, None, None);
        Ok((None, Moved::NewRun))
    }

    /// Leaves the lesson, if one plays, with the cluster as it is (from a
    /// branch: as the branch left it); it can be picked up again at its step.
    pub fn leave(&mut self) -> bool {
        self.loading = None;
        let mut p = self.play.take();
        if p.as_ref().is_some_and(|p| p.branch.is_some()) {
            p = self.other.take().map(|b| *b);
        }
        self.other = None;
        let Some(p) = p else { return false };
        self.left = Some((p.lesson.id.clone(), p.step));
        true
    }

    /// After the timeline switched branch: the play of the branch it is on
    /// becomes the lesson's view (the lesson's, or its offer's), the other
    /// kept aside. On a branch no play runs on, the lesson is left. Returns
    /// whether the play changed.
    pub fn follow_branch(&mut self, c: &Timeline) -> bool {
        let id = c.current_branch();
        if self.play.as_ref().is_none_or(|p| p.tl == id) {
            return false;
        }
        match self.other.take() {
            Some(now) if now.tl == id => {
                self.other = self.play.replace(*now).map(Box::new);
                self.ops += 1;
            }
            other => {
                self.other = other;
                self.leave();
            }
        }
        true
    }

    /// Moves the lesson's run on by `ms` virtual ms (it stops at its question and its end);
    /// false when no lesson plays (the caller advances its cluster itself).
    pub fn advance(&mut self, c: &mut Timeline, ms: u64) -> bool {
        let Some(p) = self.play.as_mut() else { return false };
        if p.phase == Phase::Running {
            p.run(c, c.now().saturating_add(ms));
            self.follow_progress();
        }
        true
    }

    /// Runs the lesson to the next instant something happens (the page's Step);
    /// `None` when no lesson plays.
    pub fn step_event(&mut self, c: &mut Timeline) -> Option<Result<(), String>> {
        let p = self.play.as_mut()?;
        if p.phase != Phase::Running {
            return Some(Err(match p.phase {
                Phase::Asking => "the lesson waits for your answer".into(),
                _ => "the step has ended: press Next".into(),
            }));
        }
        let next = c.cluster().next_event_time().unwrap_or(u64::MAX).max(c.now());
        p.run(c, next);
        self.follow_progress();
        Some(Ok(()))
    }

    /// A click on server `id` while a servers question waits: it joins the answer, or leaves it.
    /// False when no such question waits (the click does what it does otherwise).
    pub fn pick(&mut self, id: NodeId) -> bool {
        let Some(p) = self.play.as_mut() else { return false };
        let asks_servers = p.question().is_some_and(|q| q.kind == QuestionKind::Servers);
        if p.phase != Phase::Asking || !asks_servers {
            return false;
        }
        match p.picked.iter().position(|&x| x == id) {
            Some(i) => drop(p.picked.remove(i)),
            None => {
                p.picked.push(id);
                NodeId::sort(&mut p.picked);
            }
        }
        self.ops += 1;
        true
    }

    /// The servers clicked for the answer being made.
    pub fn picked(&self) -> &[NodeId] {
        self.play.as_ref().map_or(&[], |p| &p.picked)
    }

    /// What to highlight now: the step's, and the explanation's once revealed.
    pub fn highlights(&self, now: u64) -> Vec<Highlight> {
        self.play.as_ref().map_or_else(Vec::new, |p| p.highlights(now))
    }

    /// The step card, while a lesson plays.
    pub fn card(&self, now: u64) -> Option<Card> {
        let p = self.play.as_ref()?;
        let lesson = &p.lesson;
        let s = lesson.steps.get(p.step)?;
        let question = p.question().filter(|_| p.asked).map(|q| QuestionCard {
            text: q.text.clone(),
            kind: q.kind.clone(),
            picked: p.picked.clone(),
            open: p.phase == Phase::Asking,
            given: p.given.clone(),
        });
        let branch = p.branch.and_then(|b| {
            let b = lesson.branches.get(b)?;
            let o = lesson.steps.get(b.step)?.offers.get(b.offer)?;
            Some((o.label.clone(), o.outcome.clone()))
        });
        let offers = match &branch {
            Some(_) => Vec::new(),
            None => s
                .offers
                .iter()
                .map(|o| OfferCard { label: o.label.clone(), outcome: o.outcome.clone(), requires: o.requires.clone() })
                .collect(),
        };
        Some(Card {
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            step: p.step,
            steps: lesson.steps.len(),
            step_title: s.title.clone(),
            caption: branch.as_ref().map_or(&s.caption, |b| &b.1).clone(),
            lesson_caption: branch.as_ref().map(|_| s.caption.clone()),
            phase: p.phase,
            waiting: p.waiting(now),
            question,
            reveal: p.reveal(now),
            offers,
            has_next: p.step + 1 < p.count(),
            finished: p.branch.is_none() && p.step + 1 == lesson.steps.len() && p.phase == Phase::Ended,
            branch,
            mismatch: p.mismatch.clone(),
        })
    }

    /// What the lesson panel shows changes only when this does.
    pub fn key(&self, now: u64) -> LessonKey {
        let mut key = LessonKey { ops: self.ops, progress: self.progress_rev, ..LessonKey::default() };
        if let Some(p) = &self.play {
            key.phase = Some(p.phase);
            key.step = p.step;
            key.revealed = p.reveal(now).is_some();
            key.wait =
                segment(&p.lesson, p.branch, p.step).map_or(0, |s| s.waits.iter().filter(|(t, _)| *t <= now).count());
        }
        key
    }

    /// The state `lessonState()` returns, while a lesson plays.
    pub fn state(&self, now: u64) -> Option<LessonState> {
        let card = self.card(now)?;
        Some(LessonState {
            id: card.id,
            title: card.title,
            step: card.step + 1,
            steps: card.steps,
            step_title: card.step_title,
            waiting: card.waiting,
            asking: card.phase == Phase::Asking,
            ended: card.phase == Phase::Ended,
            finished: card.finished,
            branch: card.branch.map(|(label, _)| label),
        })
    }

    /// The line under the toolbar while a lesson loads or plays.
    pub fn guidance(&self, now: u64) -> Option<String> {
        if let Some(id) = self.loading() {
            return Some(format!("Loading the lesson {}…", Quoted(id)));
        }
        let card = self.card(now)?;
        let at = format!("Lesson, step {} of {}: {}.", card.step + 1, card.steps, card.step_title);
        Some(match (card.phase, &card.question) {
            (Phase::Asking, Some(q)) if q.kind == QuestionKind::Servers => {
                format!("{at} Your turn: click the servers on the ring, then Check in the Lessons panel.")
            }
            (Phase::Asking, _) => format!("{at} Your turn: answer the question in the Lessons panel."),
            (Phase::Running, _) => match card.waiting {
                Some(w) => format!("{at} Waiting for: {w}."),
                None => at,
            },
            (Phase::Ended, _) if card.finished => format!("{at} The lesson is complete."),
            (Phase::Ended, _) if card.has_next => format!("{at} Done: Next goes on."),
            (Phase::Ended, _) => format!("{at} Done: go back to the lesson to go on."),
        })
    }

    /// Records the step reached as done.
    fn follow_progress(&mut self) {
        if let Some(p) = self.play.as_ref().filter(|p| p.branch.is_none()) {
            let (id, done) = (p.lesson.id.clone(), p.done());
            if self.progress.record(&id, done) {
                self.progress_rev += 1;
            }
        }
    }
}

/// Reads `?lesson=<id>&step=<n>` (`step` from 1, 1 when left out) through
/// `get` against the lesson list: the lesson and its step (from 0), nothing
/// when the address names no lesson, or what is wrong.
pub fn lesson_address(
    get: impl Fn(&str) -> Option<String>,
    lessons: &Lessons,
) -> Result<Option<(String, usize)>, String> {
    let Some(id) = get("lesson") else {
        return match get("step") {
            Some(s) => Err(format!("step={} (without lesson=)", brief(&s))),
            None => Ok(None),
        };
    };
    let id = id.trim().to_string();
    let Some(info) = lessons.list.iter().find(|l| l.id == id) else {
        return Err(format!("lesson={} (there is no such lesson: the Lessons panel lists them)", brief(&id)));
    };
    if let Some(why) = unavailable(info) {
        return Err(format!("lesson={id} ({why})"));
    }
    let step = match get("step") {
        None => 1,
        Some(s) => match crate::decimal::whole(s.trim()) {
            Some(n) if (1..=info.steps).contains(&n) => n,
            _ => return Err(format!("step={} (lesson {id} has steps 1 to {})", brief(&s), info.steps)),
        },
    };
    Ok(Some((id, step - 1)))
}

/// A number typed as an answer: a whole number, digits only.
pub fn number_answer(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err("type a whole number, such as 3".into());
    }
    t.parse().map_err(|_| "type a whole number, such as 3".into())
}

/// An answer in words: servers by name ("S1 S3", "none"), yes or no, a number, a choice's option.
pub fn answer_words(a: &Answer, kind: &QuestionKind) -> String {
    match (a, kind) {
        (Answer::Choice(i), QuestionKind::Choice { options }) => {
            options.get(*i).map_or_else(|| a.to_string(), |o| format!("“{o}”"))
        }
        _ => a.to_string(),
    }
}

/// The arguments of `startLesson(id, step)`: a lesson id the list has (and
/// that can open), and a step from 1 (1 when left out). The lesson and its step from 0.
pub fn lesson_arg(id: &Arg, step: &Arg, lessons: &Lessons) -> Result<(String, usize), String> {
    let Arg::Str(id) = id else {
        return Err(format!("expected a lesson's id such as \"failover\" (lessons() lists them), got {}", show(id)));
    };
    let steps = match lessons.loaded.iter().find(|l| l.id == *id) {
        Some(l) => l.steps.len(),
        None => lessons.list.iter().find(|l| l.id == *id).map_or(1, |l| l.steps.max(1)),
    };
    let step = if step.is_nullish() { 1 } else { whole("the step", step, 1, steps as u64)? as usize };
    lessons.check_open(id, step - 1)?;
    Ok((id.clone(), step - 1))
}

/// The op a control of the lesson panel names in its `data-op` attribute
/// (the panel has one click handler for all of them): `next`, `previous`,
/// `replay`, `skip-ahead`, `check`, `skip-question`, `leave`, `back`,
/// `resume`, `clear`, `yes`, `no`, `choice:<i>`, `branch:<i>`, `open:<id>`
/// (where the visitor got to in it: [`LessonOp::Take`]).
pub fn op_named(name: &str) -> Option<LessonOp> {
    let (word, arg) = name.split_once(':').unwrap_or((name, ""));
    let index = || crate::decimal::whole(arg);
    Some(match word {
        "next" => LessonOp::Next,
        "previous" => LessonOp::Previous,
        "replay" => LessonOp::Replay,
        "skip-ahead" => LessonOp::SkipAhead,
        "check" => LessonOp::Check,
        "skip-question" => LessonOp::SkipQuestion,
        "leave" => LessonOp::Leave,
        "back" => LessonOp::Back,
        "resume" => LessonOp::Resume,
        "clear" => LessonOp::ClearProgress,
        "yes" => LessonOp::Answer(Answer::YesNo(true)),
        "no" => LessonOp::Answer(Answer::YesNo(false)),
        "choice" => LessonOp::Answer(Answer::Choice(index()?)),
        "branch" => LessonOp::Branch(index()?),
        "open" if !arg.is_empty() => LessonOp::Take(arg.to_string()),
        _ => return None,
    })
}
