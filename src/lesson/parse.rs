//! From text to a [`Lesson`]: a header (`lesson`, `section` or `topic`,
//! `requires`, `summary`, the script's settings), then steps. A step's own
//! lines (`step`, `caption`, `highlight`, `ask`, `answer`, `explain`,
//! `offer`, `shows`) are read here; every other line is a scenario script
//! statement, read by the script parser itself.

use super::{
    is_built, AnswerRule, Group, Highlight, Item, Lesson, LessonStep, NumberFact, Offer, Question, QuestionKind,
    ServerFact, When, COMING, TOPICS,
};
use crate::quote::Quoted;
use crate::script::actions::{key_value, kind};
use crate::script::lex::{strip_comment, Cursor, Parsed};
use crate::script::parse::{condition, nodes, statement};
use crate::script::settings::{parse_setting, setting_name, Setting};
use crate::script::{ParseError, Step, MAX_SCRIPT_BYTES, MAX_TIME_MS};
use crate::sim::{Addr, Config};

/// The words a step's own lines start with.
const STEP_WORDS: &str = "step, caption, highlight, ask, answer, explain, offer, shows, outcome";

/// Reads a lesson. A ready lesson's first bad line is the error; in a lesson
/// that `requires` what the engine does not have yet, bad lines are kept in
/// [`Lesson::waiting`] instead (they may use what is coming), and the rest is read.
pub fn parse(text: &str) -> Result<Lesson, ParseError> {
    if text.len() > MAX_SCRIPT_BYTES {
        let message = format!("a lesson is at most {} KB; this one is {} KB", MAX_SCRIPT_BYTES >> 10, text.len() >> 10);
        return Err(ParseError { line: 1, column: 1, message });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser::default();
    for (i, raw) in text.split('\n').enumerate() {
        let number = i + 1;
        let body = strip_comment(raw.strip_suffix('\r').unwrap_or(raw));
        let mut cur = Cursor::new(number, body);
        if cur.at_end() {
            continue;
        }
        if let Err(e) = p.line(&mut cur, number) {
            if p.lesson.is_none() {
                return Err(*e);
            }
            p.errors.push(*e);
        }
    }
    let last = text.split('\n').count();
    if let Err(e) = p.close_step() {
        p.errors.push(*e);
    }
    let Some(mut lesson) = p.lesson else {
        return Err(ParseError {
            line: last,
            column: 1,
            message: "a lesson starts with: lesson <id> \"<title>\"".into(),
        });
    };
    if p.group.is_none() {
        p.errors.push(ParseError {
            line: p.lesson_line,
            column: 1,
            message: "the lesson needs a place in the list: section 1 to 4 (of the seed text) or topic <name>".into(),
        });
    }
    if lesson.steps.is_empty() {
        p.errors.push(ParseError { line: last, column: 1, message: "a lesson needs at least one step".into() });
    }
    lesson.group = p.group.unwrap_or(Group::Seed(1));
    lesson.config = p.config;
    if lesson.is_ready() {
        if let Some(e) = p.errors.into_iter().next() {
            return Err(e);
        }
    } else {
        lesson.waiting = p.errors;
    }
    Ok(lesson)
}

#[derive(Default)]
struct Parser {
    lesson: Option<Lesson>,
    lesson_line: usize,
    group: Option<Group>,
    config: Config,
    given: Vec<(Setting, usize)>,
    /// The step being read.
    step: Option<LessonStep>,
    /// The line of the step's `answer`, once read.
    answered_line: usize,
    /// True once the step's question has its explanation: highlights then belong to it.
    explained: bool,
    /// The servers added by the lines so far (`add server`): later lines name them like the first ones.
    added: usize,
    errors: Vec<ParseError>,
}

impl Parser {
    fn line(&mut self, cur: &mut Cursor, number: usize) -> Parsed<()> {
        if self.lesson.is_none() {
            return self.first_line(cur, number);
        }
        if cur.eat_word("step") {
            return self.open_step(cur, number);
        }
        match (&mut self.lesson, &mut self.step) {
            (Some(lesson), None) => header(cur, number, lesson, &mut self.group, &mut self.config, &mut self.given),
            (_, Some(step)) => {
                let mut state = StepState { answered_line: self.answered_line, explained: self.explained };
                // The servers a line may name: the first ones and those added before it.
                let cfg = Config { nodes: self.config.nodes + self.added, ..self.config.clone() };
                let r = step_line(cur, number, step, &cfg, &mut state);
                (self.answered_line, self.explained) = (state.answered_line, state.explained);
                #[cfg(feature = "membership")]
                if let Some(Item::Line(l)) = step.items.last().filter(|_| r.is_ok()) {
                    if l.line == number && l.step == Step::Act(crate::sim::Action::AddServer) {
                        self.added += 1;
                    }
                }
                r
            }
            (None, None) => Ok(()),
        }
    }

    /// `lesson <id> "<title>"`.
    fn first_line(&mut self, cur: &mut Cursor, number: usize) -> Parsed<()> {
        if !cur.eat_word("lesson") {
            return Err(cur.expected("the lesson's first line: lesson <id> \"<title>\""));
        }
        let id = lesson_id(cur)?;
        let title = cur.quoted()?;
        cur.end()?;
        self.lesson_line = number;
        self.lesson = Some(Lesson {
            id,
            title,
            group: Group::Seed(1),
            summary: None,
            requires: Vec::new(),
            config: Config::default(),
            steps: Vec::new(),
            waiting: Vec::new(),
        });
        Ok(())
    }

    /// `step "<title>" [from step N]`: closes the step before and opens this one.
    fn open_step(&mut self, cur: &mut Cursor, number: usize) -> Parsed<()> {
        if let Err(e) = self.close_step() {
            self.errors.push(*e);
        }
        let this = self.lesson.as_ref().map_or(0, |l| l.steps.len()) + 1;
        let title = cur.quoted()?;
        let from = if cur.eat_word("from") {
            if !cur.eat_word("step") {
                return Err(cur.expected("\"step\" and a step number, like from step 3"));
            }
            cur.skip_ws();
            let at = cur.pos();
            let k = cur.number("a step number", u32::MAX as u64)? as usize;
            if k == 0 || k >= this {
                let message = format!("step {this} can only start from an earlier step (1 to {})", this - 1);
                return Err(cur.error_at(at, message));
            }
            Some(k - 1)
        } else {
            None
        };
        cur.end()?;
        self.step = Some(LessonStep {
            line: number,
            title,
            caption: String::new(),
            from,
            highlights: Vec::new(),
            items: Vec::new(),
            question: None,
            offers: Vec::new(),
        });
        self.answered_line = 0;
        self.explained = false;
        Ok(())
    }

    /// Checks the step being read and adds it to the lesson.
    fn close_step(&mut self) -> Parsed<()> {
        let (Some(lesson), Some(step)) = (&mut self.lesson, self.step.take()) else { return Ok(()) };
        let name = format!("step {} ({})", lesson.steps.len() + 1, Quoted(&step.title));
        let line = step.line;
        let result =
            check_step(&step).map_err(|m| Box::new(ParseError { line, column: 1, message: format!("{name}: {m}") }));
        lesson.steps.push(step);
        result
    }
}

/// What the parser remembers about the step's question between lines.
struct StepState {
    answered_line: usize,
    explained: bool,
}

/// A line inside a step: one of the step's own lines, or a script statement.
fn step_line(cur: &mut Cursor, number: usize, step: &mut LessonStep, cfg: &Config, st: &mut StepState) -> Parsed<()> {
    let n = cfg.nodes;
    if cur.eat_word("caption") {
        if !step.caption.is_empty() {
            return Err(cur.error_at(0, "a step has one caption"));
        }
        step.caption = cur.quoted()?;
        if step.caption.trim().is_empty() {
            return Err(cur.error_at(0, "the caption is empty"));
        }
    } else if cur.eat_word("highlight") {
        let h = highlight(cur, n)?;
        match &mut step.question {
            Some(q) if st.explained => q.highlights.extend(h),
            _ => step.highlights.extend(h),
        }
    } else if cur.eat_word("ask") {
        if step.question.is_some() {
            return Err(cur.error_at(0, "a step asks one question"));
        }
        let text = cur.quoted()?;
        let kind = question_kind(cur)?;
        cur.end()?;
        step.question = Some(Question {
            line: number,
            text,
            kind,
            rule: AnswerRule::Holds(crate::script::Cond::NoViolation),
            when: When::Asked,
            explain: String::new(),
            highlights: Vec::new(),
        });
        step.items.push(Item::Ask);
    } else if cur.eat_word("answer") {
        let Some(q) = &mut step.question else {
            return Err(cur.error_at(0, "an answer follows its question (ask ...)"));
        };
        if st.answered_line != 0 {
            return Err(cur.error_at(0, format!("the question already has its answer (line {})", st.answered_line)));
        }
        q.when = if cur.eat_words("at end") {
            When::End
        } else if cur.eat_word("after") {
            When::After(cur.duration(MAX_TIME_MS)?)
        } else {
            When::Asked
        };
        q.rule = answer_rule(cur, &q.kind, n)?;
        st.answered_line = number;
    } else if cur.eat_word("explain") {
        let Some(q) = &mut step.question else {
            return Err(cur.error_at(0, "an explanation follows its question (ask ..., answer ...)"));
        };
        if st.answered_line == 0 {
            return Err(cur.error_at(0, "write the answer (answer ...) before the explanation"));
        }
        if !q.explain.is_empty() {
            return Err(cur.error_at(0, "a question has one explanation"));
        }
        q.explain = cur.quoted()?;
        if q.explain.trim().is_empty() {
            return Err(cur.error_at(0, "the explanation is empty"));
        }
        st.explained = true;
    } else if cur.eat_word("offer") {
        let label = cur.quoted()?;
        step.offers.push(offer(cur, number, label, cfg)?);
        return Ok(());
    } else if cur.eat_word("shows") {
        let Some(o) = step.offers.last_mut() else {
            return Err(cur.error_at(0, "shows follows an offer: the difference the offer promises"));
        };
        if o.shows.is_some() {
            return Err(cur.error_at(0, "the offer already says what it shows"));
        }
        o.shows = Some(condition(cur, n)?);
    } else if cur.eat_word("outcome") {
        let Some(o) = step.offers.last_mut() else {
            return Err(cur.error_at(0, "outcome follows an offer: what its branch shows, in words"));
        };
        if !o.outcome.is_empty() {
            return Err(cur.error_at(0, "the offer already has its outcome"));
        }
        o.outcome = cur.quoted()?;
        if o.outcome.trim().is_empty() {
            return Err(cur.error_at(0, "the outcome is empty"));
        }
    } else {
        let start = cur.pos();
        let line = statement(cur, number, cfg).map_err(|mut e| {
            if e.message.starts_with("expected a statement") {
                cur.set_pos(start);
                let found = cur.found();
                e.message = format!("expected a step line ({STEP_WORDS}) or a script statement, found {found}");
            }
            e
        })?;
        if matches!(line.step, Step::WaitUntil { .. }) && !has_word_outside_quotes(cur.line_text(), "within") {
            return Err(cur.error_at(0, "in a lesson every wait until says how long it may take, like within 2s"));
        }
        step.items.push(Item::Line(line));
        return Ok(());
    }
    cur.end()
}

/// The rules a whole step must follow.
fn check_step(step: &LessonStep) -> Result<(), String> {
    if step.caption.is_empty() {
        return Err("it has no caption".into());
    }
    if let Some(q) = &step.question {
        if q.explain.is_empty() {
            return Err("its question has no answer or no explanation (answer ..., explain \"...\")".into());
        }
    }
    for o in &step.offers {
        if o.shows.is_none() {
            return Err(format!("the offer {} does not say what it shows (shows <condition>)", Quoted(&o.label)));
        }
        if o.outcome.is_empty() {
            return Err(format!("the offer {} does not tell its outcome (outcome \"...\")", Quoted(&o.label)));
        }
    }
    // The step ends with a wait until: the lines after it take no time.
    let last_wait =
        step.items.iter().rposition(|i| matches!(i, Item::Line(l) if matches!(l.step, Step::WaitUntil { .. })));
    let Some(last_wait) = last_wait else {
        return Err("it waits for nothing: a step ends with wait until <condition> within <limit>".into());
    };
    for item in &step.items[last_wait + 1..] {
        match item {
            Item::Ask => {
                return Err("it asks its question after its last wait until: ask before the run reveals".into())
            }
            Item::Line(l) if l.at.is_some() || !matches!(l.step, Step::Expect(_) | Step::Say(_)) => {
                return Err(format!(
                    "line {} comes after the step's last wait until: a step ends with wait until <condition> \
                     (only expect and say may follow it)",
                    l.line
                ));
            }
            Item::Line(_) => {}
        }
    }
    Ok(())
}

/// `within` as a word outside double quotes.
fn has_word_outside_quotes(text: &str, word: &str) -> bool {
    let mut quoted = false;
    let mut unquoted = String::new();
    let mut escaped = false;
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if !quoted => unquoted.push(c),
            _ => {}
        }
    }
    unquoted.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w.eq_ignore_ascii_case(word))
}

/// A header line: `section`, `topic`, `requires`, `summary` or a setting.
fn header(
    cur: &mut Cursor,
    number: usize,
    lesson: &mut Lesson,
    group: &mut Option<Group>,
    config: &mut Config,
    given: &mut Vec<(Setting, usize)>,
) -> Parsed<()> {
    let place = |cur: &mut Cursor, g: &Option<Group>| match g {
        Some(_) => Err(cur.error_at(0, "the lesson already has its place (section or topic)")),
        None => Ok(()),
    };
    if cur.eat_word("section") {
        place(cur, group)?;
        cur.skip_ws();
        let at = cur.pos();
        let k = cur.number("a section of the seed text, 1 to 4", u8::MAX as u64)?;
        if !(1..=4).contains(&k) {
            return Err(cur.error_at(at, "the seed text has sections 1 to 4"));
        }
        *group = Some(Group::Seed(k as u8));
    } else if cur.eat_word("topic") {
        place(cur, group)?;
        let word = cur.peek_word();
        let Some((t, _, _)) = TOPICS.iter().find(|(_, name, _)| name.eq_ignore_ascii_case(word)) else {
            let names: Vec<&str> = TOPICS.iter().map(|(_, n, _)| *n).collect();
            return Err(cur.expected(&format!("a topic ({})", names.join(", "))));
        };
        cur.word();
        *group = Some(Group::Topic(*t));
    } else if cur.eat_word("requires") {
        let mut any = false;
        loop {
            cur.skip_ws();
            let at = cur.pos();
            let Some(name) = cur.word() else { break };
            if !is_built(name) && !COMING.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                let message = format!(
                    "{} is neither a switch of the engine nor an option that is coming ({})",
                    Quoted(name),
                    COMING.join(", ")
                );
                return Err(cur.error_at(at, message));
            }
            lesson.requires.push(name.to_string());
            any = true;
        }
        if !any {
            return Err(cur.expected("what the lesson needs, like requires pre_vote"));
        }
    } else if cur.eat_word("summary") {
        if lesson.summary.is_some() {
            return Err(cur.error_at(0, "the lesson has one summary"));
        }
        lesson.summary = Some(cur.quoted()?);
    } else {
        match parse_setting(cur, config) {
            Some(setting) => {
                let setting = setting?;
                if let Some((_, first)) = given.iter().find(|(s, _)| *s == setting) {
                    return Err(cur.error_at(0, format!("{} was already set on line {first}", setting_name(setting))));
                }
                given.push((setting, number));
                return Ok(());
            }
            None => return Err(cur.expected(
                "a header line (section, topic, requires, summary), a setting (servers, seed, ...) or the first step",
            )),
        }
    }
    cur.end()
}

/// A lesson's id: lower-case letters, digits and `-`, 1 to 40 of them.
fn lesson_id(cur: &mut Cursor) -> Parsed<String> {
    cur.skip_ws();
    let at = cur.pos();
    let Some(id) = cur.token() else { return Err(cur.expected("the lesson's id, like split-vote")) };
    let ok = !id.is_empty()
        && id.len() <= 40
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-');
    if !ok {
        return Err(
            cur.error_at(at, format!("a lesson id is 1 to 40 lower-case letters, digits and -, not {}", Quoted(id)))
        );
    }
    Ok(id.to_string())
}

/// `servers`, `yes-no`, `number`, `choice "A" "B" ...`.
fn question_kind(cur: &mut Cursor) -> Parsed<QuestionKind> {
    let kind = if cur.eat_word("servers") {
        QuestionKind::Servers
    } else if cur.eat_word("yes") {
        if !(cur.eat("-") && cur.eat_word("no")) {
            return Err(cur.expected("yes-no"));
        }
        QuestionKind::YesNo
    } else if cur.eat_word("number") {
        QuestionKind::Number
    } else if cur.eat_word("choice") {
        let mut options = Vec::new();
        while cur.peek() == Some('"') {
            options.push(cur.quoted()?);
        }
        if options.len() < 2 {
            return Err(cur.expected("at least two options in double quotes"));
        }
        QuestionKind::Choice { options }
    } else {
        return Err(cur.expected("what the answer is: servers, yes-no, number or choice \"...\" \"...\""));
    };
    Ok(kind)
}

/// The rule after `answer [at end]`, as the question's kind wants it.
fn answer_rule(cur: &mut Cursor, kind: &QuestionKind, n: usize) -> Parsed<AnswerRule> {
    Ok(match kind {
        QuestionKind::Servers => AnswerRule::Servers(server_fact(cur, n)?),
        QuestionKind::YesNo => AnswerRule::Holds(condition(cur, n)?),
        QuestionKind::Number => AnswerRule::Number(number_fact(cur, n)?),
        QuestionKind::Choice { options } => {
            cur.skip_ws();
            let at = cur.pos();
            let chosen = cur.quoted()?;
            let Some(option) = options.iter().position(|o| *o == chosen) else {
                return Err(cur.error_at(at, format!("{} is not one of the question's options", Quoted(&chosen))));
            };
            if !cur.eat_word("if") {
                return Err(cur.expected("if and the condition that confirms it, like if event \"rejected\""));
            }
            AnswerRule::Choice { option, check: condition(cur, n)? }
        }
    })
}

fn server_fact(cur: &mut Cursor, n: usize) -> Parsed<ServerFact> {
    Ok(if cur.eat_words("can win") {
        ServerFact::CanWin
    } else if cur.eat_words("votes for") {
        ServerFact::VotesFor(cur.node(n)?)
    } else if cur.eat_word("leaders") {
        ServerFact::Leaders
    } else if cur.eat_word("leader") {
        ServerFact::Leader
    } else if cur.eat_word("stores") {
        let (key, value) = key_value(cur)?;
        ServerFact::Stores { key, value }
    } else if cur.eat_word("committed") {
        let (key, value) = key_value(cur)?;
        ServerFact::Committed { key, value }
    } else if cur.eat_words("up to date") {
        ServerFact::UpToDate
    } else if cur.eat_words("first to time out") {
        ServerFact::FirstTimeout
    } else {
        return Err(cur.expected(
            "which servers: can win, votes for S1, leader, leaders, stores x=3, committed x=3, up to date, first to time out",
        ));
    })
}

fn number_fact(cur: &mut Cursor, n: usize) -> Parsed<NumberFact> {
    Ok(if cur.eat_word("term") {
        NumberFact::Term(cur.node(n)?)
    } else if cur.eat_words("commit index") {
        NumberFact::CommitIndex(cur.node(n)?)
    } else if cur.eat_words("last index") {
        NumberFact::LastIndex(cur.node(n)?)
    } else if cur.eat_word("events") {
        let words = cur.quoted()?;
        if words.is_empty() {
            return Err(cur.error("the words to look for are empty"));
        }
        NumberFact::Events(words)
    } else if cur.eat_word("majority") {
        NumberFact::Majority
    } else {
        return Err(cur.expected("which number: term S1, commit index S1, last index S1, events \"words\", majority"));
    })
}

/// `S1 S2 [client]`, `client [S1 S2]`, `entry 2 [on S1]`, `entries 3-8 [on S3 S4]`,
/// `message(s) [kind] [A->B | from A | to B]`.
fn highlight(cur: &mut Cursor, n: usize) -> Parsed<Vec<Highlight>> {
    if cur.at_node() || cur.peek_word().eq_ignore_ascii_case("client") {
        let mut out = Vec::new();
        if cur.eat_word("client") {
            out.push(Highlight::Client);
        }
        let servers = nodes(cur, n)?;
        if !servers.is_empty() {
            out.push(Highlight::Servers { servers });
        }
        if out.len() == 1 && cur.eat_word("client") {
            out.push(Highlight::Client);
        }
        return Ok(out);
    }
    Ok(vec![highlight_one(cur, n)?])
}

/// An entry or message highlight.
fn highlight_one(cur: &mut Cursor, n: usize) -> Parsed<Highlight> {
    if cur.eat_word("entry") || cur.eat_word("entries") {
        cur.skip_ws();
        let at = cur.pos();
        let from = cur.number("a log index", u32::MAX as u64)?;
        let to = if cur.eat("-") { cur.number("the last index", u32::MAX as u64)? } else { from };
        if from == 0 || to < from {
            return Err(cur.error_at(at, "entries are numbered from 1, like entry 2 or entries 3-8"));
        }
        let on = if cur.eat_word("on") {
            if cur.eat_word("all") {
                Vec::new()
            } else {
                let on = nodes(cur, n)?;
                if on.is_empty() {
                    return Err(cur.expected("servers like S1 S2, or all"));
                }
                on
            }
        } else {
            Vec::new()
        };
        return Ok(Highlight::Entries { from, to, on });
    }
    if cur.eat_word("message") || cur.eat_word("messages") {
        let next = cur.peek_word();
        let no_kind =
            cur.at_end() || cur.at_node() || ["client", "from", "to"].iter().any(|w| next.eq_ignore_ascii_case(w));
        let kind = if no_kind { None } else { Some(kind(cur)?) };
        let (mut from, mut to): (Option<Addr>, Option<Addr>) = (None, None);
        if cur.eat_word("from") {
            from = Some(cur.addr(n)?);
        } else if cur.eat_word("to") {
            to = Some(cur.addr(n)?);
        } else if !cur.at_end() {
            let (a, b) = cur.link(n)?;
            (from, to) = (Some(a), Some(b));
        }
        return Ok(Highlight::Messages { kind, from, to });
    }
    Err(cur.expected("what to highlight: servers like S1 S2, entry 2 on S1, message AppendEntries S1->S2, or client"))
}

/// `offer "<label>" <setting>`, the label already read.
fn offer(cur: &mut Cursor, line: usize, label: String, cfg: &Config) -> Parsed<Offer> {
    cur.skip_ws();
    let change = cur.remaining().trim().to_string();
    let at = cur.pos();
    let mut changed = cfg.clone();
    match parse_setting(cur, &mut changed) {
        Some(setting) => {
            if setting? == Setting::Servers {
                return Err(cur.error_at(at, "an offer cannot change the number of servers: the steps name them"));
            }
            cur.end()?;
            if changed == *cfg {
                return Err(
                    cur.error_at(at, format!("{change} is already the lesson's setting: the offer changes nothing"))
                );
            }
            Ok(Offer {
                line,
                label,
                change,
                config: Some(changed),
                requires: None,
                shows: None,
                outcome: String::new(),
            })
        }
        None => {
            let word = cur.peek_word();
            match COMING.iter().find(|c| c.eq_ignore_ascii_case(word)) {
                Some(name) => Ok(Offer {
                    line,
                    label,
                    change,
                    config: None,
                    requires: Some(name.to_string()),
                    shows: None,
                    outcome: String::new(),
                }),
                None => Err(cur.expected("the setting or switch it changes, like fast_backup on")),
            }
        }
    }
}
