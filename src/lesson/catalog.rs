//! The built-in lessons (`lessons/*.txt`, compiled into native builds) and
//! the lesson list. The page (wasm32) gets neither text: it reads the list
//! from [`INDEX`] and fetches each lesson, recorded, when it is first opened
//! (see [`super::recorded`]).

#[cfg(doc)]
use super::read_index;
#[cfg(not(target_arch = "wasm32"))]
use super::{parse, Lesson, LessonError};
use super::{Group, LessonInfo as Info};
use serde::Serialize;

/// The lesson list as the page reads it (`lessons/recorded/index.txt`, written by
/// [`index_text`](super::index_text) from [`lessons`]; a test keeps the two equal).
pub const INDEX: &str = include_str!("../../lessons/recorded/index.txt");

/// The lesson list read from [`INDEX`] (the page's list: no lesson text needed).
/// [`INDEX`] is read when the crate compiles ([`ROWS`]): the page builds the
/// list from its fields without a reader of its own, and an index that does not
/// read is a compile error. The same list as [`read_index`] gives (a test).
pub fn index() -> Result<Vec<Info>, String> {
    let mut list = Vec::with_capacity(ROWS.len());
    for r in &ROWS {
        // `status` is `ready`, `coming <option>...` or `broken <error>` (checked by `rows`).
        let status = match r.status.split_once(' ') {
            None => Status::Ready,
            Some(("coming", words)) => {
                // A loop, not `collect`: no iterator adapter of its own in the page.
                let mut missing = Vec::new();
                for w in words.split(' ') {
                    missing.push(w.to_string());
                }
                Status::Coming { missing }
            }
            Some((_, error)) => Status::Broken { error: error.to_string() },
        };
        list.push(Info {
            id: r.id.to_string(),
            title: r.title.to_string(),
            group: r.group,
            group_title: r.group.title(),
            summary: Some(r.summary.to_string()).filter(|s| !s.is_empty()),
            steps: r.steps as usize,
            questions: r.questions as usize,
            minutes: r.minutes,
            status,
        });
    }
    Ok(list)
}

/// One line of [`INDEX`], its fields as [`read_index`] reads them.
#[derive(Clone, Copy)]
struct Row {
    id: &'static str,
    group: Group,
    steps: u32,
    questions: u32,
    minutes: u32,
    /// `ready`, `coming <option>...` or `broken <error>`.
    status: &'static str,
    title: &'static str,
    summary: &'static str,
}

/// [`INDEX`]'s lessons, read at compile time.
const ROWS: [Row; count_lines(INDEX.as_bytes()) - 1] = rows(INDEX.as_bytes());

/// How many lines `text` has that are not blank.
const fn count_lines(text: &[u8]) -> usize {
    let (mut n, mut at) = (0, 0);
    while at < text.len() {
        let end = field_end(text, at, b'\n');
        if !blank(sub(text, at, end)) {
            n += 1;
        }
        at = end + 1;
    }
    n
}

/// Reads [`INDEX`] as [`read_index`] does; a line it refuses is a compile error.
const fn rows<const N: usize>(text: &'static [u8]) -> [Row; N] {
    let empty =
        Row { id: "", group: Group::Seed(1), steps: 0, questions: 0, minutes: 0, status: "", title: "", summary: "" };
    let mut out = [empty; N];
    let (mut n, mut at, mut first) = (0, 0, true);
    while at < text.len() {
        let mut end = field_end(text, at, b'\n');
        let line_end = end;
        if end > at && text[end - 1] == b'\r' {
            end -= 1;
        }
        let line = sub(text, at, end);
        at = line_end + 1;
        if blank(line) {
            continue;
        }
        if first {
            assert!(same(trim_end(line), super::recorded::INDEX_FORMAT.as_bytes()), "not a lesson index");
            first = false;
            continue;
        }
        let mut f: [&'static [u8]; 9] = [&[]; 9];
        let (mut k, mut from) = (0, 0);
        while k < 9 {
            assert!(from <= line.len(), "expected a lesson line of 9 fields");
            let to = field_end(line, from, b'\t');
            f[k] = sub(line, from, to);
            from = to + 1;
            k += 1;
        }
        assert!(from > line.len() && same(f[0], b"lesson"), "expected a lesson line of 9 fields");
        out[n] = Row {
            id: text_of(f[1]),
            group: group(f[2]),
            steps: whole(f[3]),
            questions: whole(f[4]),
            minutes: whole(f[5]),
            status: status(f[6]),
            title: text_of(f[7]),
            summary: text_of(f[8]),
        };
        n += 1;
    }
    assert!(n == N, "not a lesson index");
    out
}

/// Where the field starting at `at` ends: the next `sep`, or the end of `text`.
const fn field_end(text: &[u8], at: usize, sep: u8) -> usize {
    let mut i = at;
    while i < text.len() && text[i] != sep {
        i += 1;
    }
    i
}

/// `text[from..to]`.
const fn sub(text: &[u8], from: usize, to: usize) -> &[u8] {
    text.split_at(to).0.split_at(from).1
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn blank(line: &[u8]) -> bool {
    trim_end(line).is_empty()
}

const fn trim_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && line[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    sub(line, 0, end)
}

const fn text_of(field: &[u8]) -> &str {
    match std::str::from_utf8(field) {
        Ok(s) => s,
        Err(_) => panic!("a lesson index is text"),
    }
}

/// A count, as `read_index` reads one (digits only, within `u32`).
const fn whole(field: &[u8]) -> u32 {
    assert!(!field.is_empty(), "expected a number");
    let (mut v, mut i) = (0u32, 0);
    while i < field.len() {
        assert!(field[i].is_ascii_digit(), "expected a number");
        v = match v.checked_mul(10) {
            Some(v) => v,
            None => panic!("expected a number"),
        };
        v = match v.checked_add((field[i] - b'0') as u32) {
            Some(v) => v,
            None => panic!("expected a number"),
        };
        i += 1;
    }
    v
}

/// `section <1 to 4>` or `topic <name>`.
const fn group(field: &[u8]) -> Group {
    let space = field_end(field, 0, b' ');
    assert!(space < field.len(), "expected section or topic");
    let (word, rest) = (sub(field, 0, space), sub(field, space + 1, field.len()));
    if same(word, b"section") {
        let k = whole(rest);
        assert!(k >= 1 && k <= 4, "no such section");
        return Group::Seed(k as u8);
    }
    assert!(same(word, b"topic"), "expected section or topic");
    let mut t = 0;
    while t < super::TOPICS.len() {
        if same(rest, super::TOPICS[t].1.as_bytes()) {
            return Group::Topic(super::TOPICS[t].0);
        }
        t += 1;
    }
    panic!("no such topic")
}

/// `ready`, `coming <option>...` or `broken <error>` (as `index_text` writes
/// them: a space after `coming` and `broken`, none after `ready`).
const fn status(field: &[u8]) -> &str {
    let word = sub(field, 0, field_end(field, 0, b' '));
    let more = word.len() < field.len();
    assert!(
        same(word, b"ready") && !more || (same(word, b"coming") || same(word, b"broken")) && more,
        "expected ready, coming or broken"
    );
    text_of(field)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The list compiled from [`INDEX`] is the one [`read_index`] reads from it
    /// (every field, in order), and it is not empty.
    #[test]
    fn the_compiled_index_is_what_read_index_reads() {
        let read = super::super::read_index(INDEX).unwrap();
        assert!(read.len() > 10);
        assert_eq!(index().unwrap(), read);
    }

    /// The compile-time reader's pieces read what the index holds.
    #[test]
    fn the_compile_time_reader_reads_groups_counts_and_lines() {
        assert_eq!(group(b"section 3"), Group::Seed(3));
        assert_eq!(group(b"topic safety"), Group::Topic(super::super::Topic::Safety));
        assert_eq!(whole(b"407"), 407);
        assert_eq!(count_lines(b"a\n\n  \nb\r\nc"), 3);
        assert_eq!(status(b"coming pre_vote lease"), "coming pre_vote lease");
        assert_eq!(status(b"ready"), "ready");
    }
}
