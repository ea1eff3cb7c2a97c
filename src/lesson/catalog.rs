//! The built-in lessons (`lessons/*.txt`, compiled into native builds) and
//! the lesson list. The page (wasm32) gets neither text: it reads the list
//! from [`INDEX`] and fetches each lesson, recorded, when it is first opened
//! (see [`super::recorded`]).

#[cfg(not(target_arch = "wasm32"))]
use super::{parse, Lesson, LessonError};
use super::{read_index, Group, LessonInfo as Info};
use serde::Serialize;

/// The lesson list as the page reads it (`lessons/recorded/index.txt`, written by
/// [`index_text`](super::index_text) from [`lessons`]; a test keeps the two equal).
pub const INDEX: &str = include_str!("../../lessons/recorded/index.txt");

/// The lesson list read from [`INDEX`] (the page's list: no lesson text needed).
pub fn index() -> Result<Vec<Info>, String> {
    read_index(INDEX)
}

/// The text of every built-in lesson, in the order the list shows them
/// within their section or topic.
#[cfg(not(target_arch = "wasm32"))]
const LESSONS: &[&str] = &[
    include_str!("../../lessons/replication.txt"),
    include_str!("../../lessons/failover.txt"),
    include_str!("../../lessons/transfer.txt"),
    include_str!("../../lessons/catch-up.txt"),
    include_str!("../../lessons/first-election.txt"),
    include_str!("../../lessons/split-vote.txt"),
    include_str!("../../lessons/election-restriction.txt"),
    include_str!("../../lessons/term-inflation.txt"),
    include_str!("../../lessons/election-timeout.txt"),
    include_str!("../../lessons/no-majority.txt"),
    include_str!("../../lessons/split-brain.txt"),
    include_str!("../../lessons/lagging-follower.txt"),
    include_str!("../../lessons/figure-8.txt"),
    include_str!("../../lessons/acknowledged-writes.txt"),
    include_str!("../../lessons/persistence.txt"),
    include_str!("../../lessons/exactly-once.txt"),
];

/// The text of every built-in lesson, in catalog order.
#[cfg(not(target_arch = "wasm32"))]
pub fn catalog() -> &'static [&'static str] {
    LESSONS
}

/// Whether a lesson can run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// It runs.
    Ready,
    /// It waits for options the engine does not have yet.
    Coming {
        /// What it waits for.
        missing: Vec<String>,
    },
    /// Its text does not parse (the tests keep every built-in lesson from this).
    Broken {
        /// The parse error.
        error: String,
    },
}

/// One row of the lesson list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LessonInfo {
    /// Its id (`?lesson=<id>`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its section of the seed text or its topic.
    pub group: Group,
    /// The group's title ("The seed text, 2. Leader failure (failover)", "Elections").
    pub group_title: String,
    /// One sentence, if the lesson has one.
    pub summary: Option<String>,
    /// How many steps.
    pub steps: usize,
    /// How many of them ask a question.
    pub questions: usize,
    /// Roughly how long it takes, in minutes: reading at 150 words a minute,
    /// 15 seconds to watch each step, 30 to think about each question.
    pub minutes: u32,
    /// Whether it runs, or what it waits for.
    pub status: Status,
}

#[cfg(not(target_arch = "wasm32"))]
impl LessonInfo {
    fn of(lesson: &Lesson) -> LessonInfo {
        let missing: Vec<String> = lesson.missing().into_iter().map(String::from).collect();
        let words = |t: &str| t.split_whitespace().count();
        let mut reading = 0;
        let mut questions = 0;
        for s in &lesson.steps {
            reading += words(&s.title) + words(&s.caption);
            if let Some(q) = &s.question {
                reading += words(&q.text) + words(&q.explain);
                questions += 1;
            }
        }
        let seconds = reading * 60 / 150 + 15 * lesson.steps.len() + 30 * questions;
        LessonInfo {
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            group: lesson.group,
            group_title: lesson.group.title(),
            summary: lesson.summary.clone(),
            steps: lesson.steps.len(),
            questions,
            minutes: seconds.div_ceil(60).max(1) as u32,
            status: if missing.is_empty() { Status::Ready } else { Status::Coming { missing } },
        }
    }
}

/// The lesson list: the seed text's sections in order, then the topics; within
/// each, in catalog order. Coming lessons are listed with what they wait for.
#[cfg(not(target_arch = "wasm32"))]
pub fn lessons() -> Vec<LessonInfo> {
    let mut list: Vec<(Group, usize, LessonInfo)> = LESSONS
        .iter()
        .enumerate()
        .map(|(i, text)| match parse(text) {
            Ok(lesson) => (lesson.group, i, LessonInfo::of(&lesson)),
            Err(e) => {
                let info = LessonInfo {
                    id: format!("broken-{}", i + 1),
                    title: format!("lesson {} of the catalog", i + 1),
                    group: Group::Seed(1),
                    group_title: Group::Seed(1).title(),
                    summary: None,
                    steps: 0,
                    questions: 0,
                    minutes: 0,
                    status: Status::Broken { error: e.to_string() },
                };
                (Group::Seed(1), i, info)
            }
        })
        .collect();
    list.sort_by_key(|(g, i, _)| (*g, *i));
    list.into_iter().map(|(_, _, info)| info).collect()
}

/// The built-in lesson with this id, parsed (a coming lesson parses too; it does not run).
#[cfg(not(target_arch = "wasm32"))]
pub fn load(id: &str) -> Result<Lesson, LessonError> {
    for text in LESSONS {
        // The id is on the first line that is not blank or a comment: no need to parse every lesson.
        let first = text.lines().map(|l| l.trim()).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
        let mut words = first.split_whitespace();
        if words.next() == Some("lesson") && words.next() == Some(id) {
            return parse(text).map_err(LessonError::Parse);
        }
    }
    Err(LessonError::Unknown(id.to_string()))
}
