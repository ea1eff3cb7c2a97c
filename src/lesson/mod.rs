//! Guided lessons: scenario scripts cut into steps, each with a caption,
//! highlights, a condition it waits for, and sometimes a question that makes
//! the learner predict before the run reveals the answer.
//!
//! A lesson is plain text (`docs/lessons.md` is the reference; the lessons
//! themselves are `lessons/*.txt`, compiled in by [`catalog`]):
//!
//! ```text
//! lesson failover "Leader failure and failover"
//! section 2
//! servers 5
//! seed 42
//!
//! step "A leader"
//! caption "S5 leads. Every follower hears its heartbeats and stays a follower."
//! highlight S5
//! wait until leader S5 within 2s
//!
//! step "The leader crashes"
//! caption "S5 crashes. Its followers stop hearing heartbeats; each waits for its own timer."
//! crash S5
//! ask "Which servers can win the coming election? Click them." servers
//! answer can win
//! explain "Any of them: each has every committed entry."
//! wait until leader within 2s
//! ```
//!
//! - [`parse`] reads a lesson into a [`Lesson`] (its settings, its [`LessonStep`]s),
//!   or a `ParseError` naming the line; the script parts are read by the
//!   scenario script parser itself, so a lesson step takes every script line.
//! - [`LessonRun`] plays a lesson step by step: the page calls
//!   [`LessonRun::advance`] with the virtual time of each frame, the run stops
//!   at a question ([`Phase::Asking`]) and at the step's end ([`Phase::Ended`]);
//!   [`LessonRun::next_step`], [`LessonRun::go_to_step`] and
//!   [`LessonRun::branch`] (an offer's "replay this with ...") move about.
//! - [`lessons`] lists the built-in lessons by section of the seed text, then by topic.
//! - [`recorded`]: a lesson recorded natively for the page (its texts and its
//!   run as actions at their times), which the page replays without parsing
//!   or running scripts; [`index`] is the lesson list the page reads.
//!
//! What the engine does not have yet (issue 9's options) is named in one
//! place, [`COMING`]: a lesson that `requires` one of them, or an offer that
//! switches one on, is listed as coming and does not run until the engine has
//! it (a switch in `script::SWITCHES`, or a name in [`FEATURES`]).
//!
//! Everything here is pure, deterministic and builds for wasm32.

mod catalog;
mod facts;
mod parse;
mod recorded;
mod run;

#[cfg(not(target_arch = "wasm32"))]
pub use catalog::{catalog, lessons, load};
pub use catalog::{index, LessonInfo, Status, INDEX};
pub use parse::parse;
pub use recorded::{
    index_text, read_index, record, waiting_words, RecordedBranch, RecordedLesson, RecordedOffer, RecordedQuestion,
    RecordedStep, Segment,
};
pub use run::{LessonRun, LessonState, Moment, OfferView, Phase, QuestionView, Reveal, StepReport, StepView};

use crate::quote::Quoted;
use crate::raft::NodeId;
use crate::script::{Cond, Line, ParseError};
use crate::sim::{Addr, Config, MessageKind, SimError};
use serde::Serialize;
use std::fmt;

/// Options and features lessons may ask for that the engine does not have
/// yet (issue 9). A lesson that `requires` one, or an offer that sets one, is
/// "coming": listed, not run. A name counts as built as soon as it is a switch
/// in `script::SWITCHES` or a name in [`FEATURES`], so adding the switch to
/// the engine enables what waits for it; then remove it from here.
pub const COMING: &[&str] = &[];

/// Features the engine has that are not switches, by the name `requires`
/// lines use: `reads`, for `read x` lines.
pub const FEATURES: &[&str] = &["reads"];

/// True when the engine has `name`: a switch of `script::SWITCHES` or a name of [`FEATURES`].
pub fn is_built(name: &str) -> bool {
    crate::script::Switch::named(name).is_some() || FEATURES.iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// A parsed lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Its id, as links name it (`?lesson=split-vote`): lower-case letters, digits and `-`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Where the lesson list puts it: a section of the seed text, or a topic.
    pub group: Group,
    /// One sentence for the lesson list, if given.
    pub summary: Option<String>,
    /// The options and features it needs, as written (`requires pre_vote`).
    pub requires: Vec<String>,
    /// The cluster's settings (seed and switches included).
    pub config: Config,
    /// Its steps, in order.
    pub steps: Vec<LessonStep>,
    /// In a coming lesson: the lines that cannot be read until the engine has
    /// what the lesson requires (a ready lesson has none: any bad line is an error).
    pub waiting: Vec<ParseError>,
}

impl Lesson {
    /// What it requires that the engine does not have yet (empty when it can run).
    pub fn missing(&self) -> Vec<&str> {
        self.requires.iter().map(|r| r.as_str()).filter(|r| !is_built(r)).collect()
    }

    /// True when it can run.
    pub fn is_ready(&self) -> bool {
        self.missing().is_empty()
    }
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonStep {
    /// The line of its `step` line.
    pub line: usize,
    /// Its title.
    pub title: String,
    /// Two to four sentences telling what happens in this step.
    pub caption: String,
    /// `step "..." from step 3`: this step starts from the moment step 3 (index
    /// 2 here) ended, not where the step before it ended: a second branch of
    /// the same story, like (d) and (e) of the Raft paper's Figure 8.
    pub from: Option<usize>,
    /// What the step is about, to highlight on the ring and in the log grid.
    pub highlights: Vec<Highlight>,
    /// What it runs, in order: script lines, and the moment it asks its question.
    pub items: Vec<Item>,
    /// Its question, if it asks one.
    pub question: Option<Question>,
    /// Its "replay this with ..." branches.
    pub offers: Vec<Offer>,
}

/// What a step runs, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A scenario script line (an action, a wait, an expectation, a `say`).
    Line(Line),
    /// The step's question is asked here: the run waits for the learner's answer.
    Ask,
}

/// A question that asks the learner to predict, or to read the cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The line of its `ask` line.
    pub line: usize,
    /// The question, e.g. "Which servers can win this election? Click them."
    pub text: String,
    /// What sort of answer it takes.
    pub kind: QuestionKind,
    /// How the correct answer is found.
    pub rule: AnswerRule,
    /// When the answer is read from the cluster.
    pub when: When,
    /// Why the answer is what it is, revealed once the learner answered.
    pub explain: String,
    /// What to highlight with the explanation.
    pub highlights: Vec<Highlight>,
}

/// When a question's answer is read from the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "when", content = "ms", rename_all = "snake_case")]
pub enum When {
    /// `answer ...`: at the moment the question is asked (what the cluster shows now).
    Asked,
    /// `answer after 1s ...`: this long (ms) after the question was asked, as the
    /// step runs on (or at the step's end, if it ends sooner).
    After(u64),
    /// `answer at end ...`: when the step ends (what its run revealed).
    End,
}

/// What sort of answer a question takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Click servers (any number, none included).
    Servers,
    /// Yes or no.
    YesNo,
    /// A whole number.
    Number,
    /// One of these options.
    Choice {
        /// The options, as written.
        options: Vec<String>,
    },
}

/// How a question's correct answer is found. Every rule reads the engine: an
/// answer is never only written down.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerRule {
    /// The servers for which a fact holds.
    Servers(ServerFact),
    /// Yes when this script condition holds.
    Holds(Cond),
    /// A number read from the cluster.
    Number(NumberFact),
    /// `answer "It rejects it" if <condition>`: the option written, which the
    /// condition must confirm (a run where it does not hold reports the
    /// answer as unconfirmed, and the lesson tests fail).
    Choice {
        /// The index of the correct option.
        option: usize,
        /// What must hold for it to be correct.
        check: Cond,
    },
}

/// A set of servers read from the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerFact {
    /// `can win`: the running servers that could win an election now: a
    /// majority of the cluster (themselves included) is running, reachable,
    /// and has a log no more up to date than theirs (last term, then last index).
    CanWin,
    /// `votes for S3`: the running servers that would grant S3 their vote on
    /// the log comparison (S3 included), among those it can reach.
    VotesFor(NodeId),
    /// `leader`: the leader, if any (the running leader of the highest term).
    Leader,
    /// `leaders`: every running server that believes it leads (two, in different terms, across a partition).
    Leaders,
    /// `stores x=3`: every server whose log holds an entry `x ← 3` (crashed ones too: their log is on disk),
    /// or whose snapshot covers the index where it was committed (log compaction).
    Stores {
        /// Key.
        key: String,
        /// Value.
        value: i64,
    },
    /// `committed x=3`: the running servers that know an entry `x ← 3` is committed.
    Committed {
        /// Key.
        key: String,
        /// Value.
        value: i64,
    },
    /// `up to date`: the running servers whose log equals the leader's (the leader included;
    /// with log compaction, the same last entry and the same entries after the later snapshot).
    UpToDate,
    /// `first to time out`: the running server(s) whose election timer runs out first.
    FirstTimeout,
}

/// A number read from the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberFact {
    /// `term S1`.
    Term(NodeId),
    /// `commit index S1`.
    CommitIndex(NodeId),
    /// `last index S1`: the length of its log.
    LastIndex(NodeId),
    /// `events "words"`: how many events of this step (since it started) contain the words.
    Events(String),
    /// `majority`: how many servers make a majority of the cluster.
    Majority,
}

/// An answer: the learner's, or the correct one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Servers, in order of their ids.
    Servers(Vec<NodeId>),
    /// Yes (true) or no.
    YesNo(bool),
    /// A number.
    Number(u64),
    /// The index of an option.
    Choice(usize),
}

impl Answer {
    /// The same answer with its servers sorted and without repeats, as answers are compared.
    pub fn normalized(&self) -> Answer {
        match self {
            Answer::Servers(s) => {
                let mut s = s.clone();
                NodeId::sort(&mut s);
                s.dedup();
                Answer::Servers(s)
            }
            a => a.clone(),
        }
    }

    /// True when this answer fits a question of `kind`.
    pub fn fits(&self, kind: &QuestionKind) -> bool {
        match (self, kind) {
            (Answer::Servers(_), QuestionKind::Servers)
            | (Answer::YesNo(_), QuestionKind::YesNo)
            | (Answer::Number(_), QuestionKind::Number) => true,
            (Answer::Choice(i), QuestionKind::Choice { options }) => *i < options.len(),
            _ => false,
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Servers(s) if s.is_empty() => f.write_str("none"),
            Answer::Servers(s) => f.write_str(&s.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" ")),
            Answer::YesNo(true) => f.write_str("yes"),
            Answer::YesNo(false) => f.write_str("no"),
            Answer::Number(n) => write!(f, "{n}"),
            Answer::Choice(i) => write!(f, "option {}", i + 1),
        }
    }
}

/// A "replay this with ..." branch: the lesson again from its start with one
/// setting or switch changed, shown from this step.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    /// The line of its `offer` line.
    pub line: usize,
    /// The button's words, e.g. "Replay this with fast back-up".
    pub label: String,
    /// The change as written: `fast_backup on`.
    pub change: String,
    /// The lesson's settings with the change; `None` while it waits for an option the engine does not have.
    pub config: Option<Config>,
    /// The option it waits for, when the engine does not have it yet (a name of [`COMING`]).
    pub requires: Option<String>,
    /// The difference it promises: a condition that holds at this step's end
    /// in the branch and does not in the lesson itself (the tests check both).
    pub shows: Option<Cond>,
    /// What the branch shows, in words (`outcome "..."`): the step's caption
    /// tells the lesson's own run, this tells the branch's.
    pub outcome: String,
}

/// Something a step or an explanation points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Highlight {
    /// `highlight S1 S2`.
    Servers {
        /// The servers.
        servers: Vec<NodeId>,
    },
    /// `highlight entry 2 on S1`, `highlight entries 3-8 on S3`, `highlight entry 2` (on every server).
    Entries {
        /// First index.
        from: u64,
        /// Last index (the same as `from` for one entry).
        to: u64,
        /// On these servers; empty for every server.
        on: Vec<NodeId>,
    },
    /// `highlight message AppendEntries S1->S2`, `highlight messages RequestVote from S3`,
    /// `highlight messages AppendReply to S5`: the messages in flight that fit.
    Messages {
        /// Their kind (any when `None`).
        kind: Option<MessageKind>,
        /// Their sender (any when `None`).
        from: Option<Addr>,
        /// Their receiver (any when `None`).
        to: Option<Addr>,
    },
    /// `highlight client`.
    Client,
}

impl Highlight {
    /// True when it points at server `n` itself (not at its entries or messages).
    pub fn covers_server(&self, n: NodeId) -> bool {
        matches!(self, Highlight::Servers { servers } if servers.contains(&n))
    }

    /// True when it points at entry `index` of server `n`'s log.
    pub fn covers_entry(&self, n: NodeId, index: u64) -> bool {
        matches!(self, Highlight::Entries { from, to, on } if (*from..=*to).contains(&index) && (on.is_empty() || on.contains(&n)))
    }

    /// True when it points at a message of this kind from `from` to `to`.
    pub fn covers_message(&self, kind: MessageKind, from: Addr, to: Addr) -> bool {
        match self {
            Highlight::Messages { kind: k, from: f, to: t } => {
                k.is_none_or(|k| k == kind) && f.is_none_or(|f| f == from) && t.is_none_or(|t| t == to)
            }
            _ => false,
        }
    }
}

/// Where the lesson list puts a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Group {
    /// `section 2`: a section of the seed text (`../shared/seed/raft-replication.md`), 1 to 4.
    Seed(u8),
    /// `topic elections`: a topic beyond the seed text.
    Topic(Topic),
}

/// The topics beyond the seed text, in the order the lesson list shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Elections: timeouts, split votes, the election restriction, term inflation.
    Elections,
    /// Partitions and lagging servers.
    Partitions,
    /// Why the rules are what they are: Figure 8, acknowledging writes, what is kept on disk.
    Safety,
    /// Clients: exactly-once writes and linearizable reads.
    Clients,
}

/// The seed text's sections, by number (its own headings).
pub const SEED_SECTIONS: [&str; 4] =
    ["State machine replication", "Leader failure (failover)", "Manual failover", "Follower failure"];

/// Every topic with its name in lesson files and its title.
pub const TOPICS: [(Topic, &str, &str); 4] = [
    (Topic::Elections, "elections", "Elections"),
    (Topic::Partitions, "partitions", "Partitions and lagging servers"),
    (Topic::Safety, "safety", "Why the rules are what they are"),
    (Topic::Clients, "clients", "Clients"),
];

impl Group {
    /// Its title in the lesson list: "The seed, 2. Leader failure (failover)", "Elections".
    pub fn title(self) -> String {
        match self {
            Group::Seed(k) => {
                let name = SEED_SECTIONS.get((k as usize).wrapping_sub(1)).copied().unwrap_or("?");
                format!("The seed text, {k}. {name}")
            }
            Group::Topic(t) => TOPICS.iter().find(|(x, _, _)| *x == t).map_or("?", |(_, _, title)| title).to_string(),
        }
    }
}

/// Why a lesson cannot do what was asked. Each says it in a sentence.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonError {
    /// No built-in lesson has this id.
    Unknown(String),
    /// The lesson waits for options the engine does not have yet.
    Coming {
        /// The lesson's id.
        id: String,
        /// What it waits for.
        missing: Vec<String>,
    },
    /// The text is not a valid lesson.
    Parse(ParseError),
    /// The lesson's settings are refused by the engine.
    Sim(SimError),
    /// There is no step with this index.
    NoStep(usize),
    /// The step has no offer with this index.
    NoOffer {
        /// The step's index.
        step: usize,
        /// The offer's index.
        offer: usize,
    },
    /// The offer waits for an option the engine does not have yet.
    OfferComing(String),
    /// No question is waiting for an answer.
    NotAsking,
    /// The answer does not fit the question (servers for a yes-no question, an option that does not exist).
    WrongKind,
    /// The step has not ended yet: its condition is still awaited.
    NotEnded,
    /// The lesson's last step has ended.
    Finished,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LessonError::Unknown(id) => write!(f, "there is no lesson {}", Quoted(id)),
            LessonError::Coming { id, missing } => {
                write!(
                    f,
                    "lesson {} is coming: it needs {}, which the engine does not have yet",
                    Quoted(id),
                    missing.join(", ")
                )
            }
            LessonError::Parse(e) => write!(f, "{e}"),
            LessonError::Sim(e) => write!(f, "{e}"),
            LessonError::NoStep(k) => write!(f, "there is no step {}", k + 1),
            LessonError::NoOffer { step, offer } => write!(f, "step {} has no offer {}", step + 1, offer + 1),
            LessonError::OfferComing(name) => {
                write!(f, "this replay needs {name}, which the engine does not have yet")
            }
            LessonError::NotAsking => write!(f, "no question is waiting for an answer"),
            LessonError::WrongKind => write!(f, "that answer does not fit the question"),
            LessonError::NotEnded => write!(f, "the step has not ended yet"),
            LessonError::Finished => write!(f, "that was the lesson's last step"),
        }
    }
}

impl std::error::Error for LessonError {}
