//! What the script language answers the page, as data and as plain text.
//!
//! The Script panel asks two things of the language: run a script
//! ([`run_answer`]) and write a run as a script ([`export_answer`]). The
//! page leaves the language out (18 KB gzipped): the panel (www/script-panel.js)
//! asks a Web Worker, a second wasm built with the `script-lang` feature
//! (`src/bin/script_worker.rs`), which sends back [`Answer::encode`]'s text;
//! the panel reads it with its own JavaScript copy of [`Answer::decode`] (the
//! reference, tested here and used by the native tests) and hands the page a
//! script's run as its share link's code (`Model::open_script_run`).
//!
//! The text: a tag byte, then fields separated by one space; a number in
//! decimal, a text as its length in bytes, `:`, and its bytes (so a text may
//! hold spaces and line breaks).

use super::Outcome;
use super::OutcomeKind;

/// A line of a script that failed: one that does not parse (with its
/// column), or one whose expectation or action failed when run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Its line number (from 1).
    pub line: usize,
    /// The column, for a line that does not parse.
    pub column: Option<usize>,
    /// "line 3, column 7: expected a server like S2, found \"S9\"", or
    /// "line 9 (at 2.000 s): expected leader S3, but S1 leads term 4".
    pub message: String,
}

/// What the language answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The script ran.
    Ran {
        /// The run it made, as a share link's code (`script::link`): the page
        /// rebuilds its timeline from it as it opens a share link.
        code: String,
        /// Expectations met and failed.
        met: usize,
        /// Expectations failed (and actions refused).
        failed: usize,
        /// The first line that failed, if any.
        first_failure: Option<Outcome>,
        /// What the run did, line by line (expectations, `say` lines; no
        /// plain actions), at most `MAX_OUTCOMES` of them.
        outcomes: Vec<Outcome>,
    },
    /// The script does not parse: it was not run.
    NotRun(Problem),
    /// The script, or the run asked to be exported, could not be handled: why.
    Refused(String),
    /// A run written as a script (the answer to an export).
    Script(String),
}

/// The most outcomes of a script's run kept for the panel.
pub const MAX_OUTCOMES: usize = 200;

/// Runs a script's text: the answer the page applies.
#[cfg(feature = "script-lang")]
pub fn run_answer(text: &str) -> Answer {
    use super::{link, parse, run, Recording};
    let sc = match parse(text) {
        Ok(sc) => sc,
        Err(e) => {
            return Answer::NotRun(Problem { line: e.line, column: Some(e.column), message: e.to_string() });
        }
    };
    let report = match run(&sc) {
        Ok(r) => r,
        Err(e) => return Answer::Refused(e.to_string()),
    };
    let code = match link::encode(&Recording::of(&report.cluster)) {
        Ok(code) => code,
        Err(e) => return Answer::Refused(format!("the script's run cannot be shown: {e}")),
    };
    let (met, failed) = report.verdicts().fold((0, 0), |(m, f), o| match o.kind {
        OutcomeKind::Failed => (m, f + 1),
        _ => (m + 1, f),
    });
    let first_failure = report.failures().next().cloned();
    let mut outcomes = report.outcomes;
    outcomes.retain(|o| o.kind != OutcomeKind::Acted);
    outcomes.truncate(MAX_OUTCOMES);
    Answer::Ran { code, met, failed, first_failure, outcomes }
}

/// Writes the run a share link's code holds (the current branch up to its
/// moment, as `Model::share_code` gives it) as a script.
#[cfg(feature = "script-lang")]
pub fn export_answer(code: &str) -> Answer {
    match super::link::decode(code) {
        Ok(rec) => Answer::Script(super::export(&rec)),
        Err(e) => Answer::Refused(e.to_string()),
    }
}

/// Answers a request as the worker receives it: `r` and a script's text
/// (run it), or `x` and a share link's code (export it). Returns
/// [`Answer::encode`]'s text.
#[cfg(feature = "script-lang")]
pub fn answer_request(request: &str) -> String {
    let answer = if let Some(text) = request.strip_prefix('r') {
        run_answer(text)
    } else if let Some(code) = request.strip_prefix('x') {
        export_answer(code)
    } else {
        Answer::Refused("the script worker was asked something it does not know".into())
    };
    answer.encode()
}

#[cfg(feature = "script-lang")]
fn kind_byte(kind: OutcomeKind) -> char {
    match kind {
        OutcomeKind::Acted => 'a',
        OutcomeKind::Met => 'm',
        OutcomeKind::Failed => 'f',
        OutcomeKind::Said => 's',
    }
}

impl Answer {
    /// The answer as plain text (what the worker posts back).
    #[cfg(feature = "script-lang")]
    pub fn encode(&self) -> String {
        use std::fmt::Write;
        fn text(out: &mut String, t: &str) {
            let _ = write!(out, " {}:{t}", t.len());
        }
        fn outcome(out: &mut String, o: &Outcome) {
            let _ = write!(out, " {} {} {}", o.line, kind_byte(o.kind), o.time);
            text(out, &o.text);
        }
        let mut out = String::new();
        match self {
            Answer::Ran { code, met, failed, first_failure, outcomes } => {
                let _ = write!(out, "R {met} {failed}");
                text(&mut out, code);
                match first_failure {
                    Some(o) => {
                        out.push_str(" 1");
                        outcome(&mut out, o);
                    }
                    None => out.push_str(" 0"),
                }
                let _ = write!(out, " {}", outcomes.len());
                for o in outcomes {
                    outcome(&mut out, o);
                }
            }
            Answer::NotRun(p) => {
                let _ = write!(out, "P {} {}", p.line, p.column.unwrap_or(0));
                text(&mut out, &p.message);
            }
            Answer::Refused(why) => {
                out.push('E');
                text(&mut out, why);
            }
            Answer::Script(s) => {
                out.push('S');
                text(&mut out, s);
            }
        }
        out
    }

    /// Reads [`Answer::encode`]'s text back; `None` for any other text (never a panic).
    pub fn decode(s: &str) -> Option<Answer> {
        let mut r = Reader(s.get(1..)?);
        let answer = match s.as_bytes()[0] {
            b'R' => {
                let (met, failed, code) = (r.num()?, r.num()?, r.text()?);
                let first_failure = match r.num()? {
                    0 => None,
                    _ => Some(r.outcome()?),
                };
                let n = r.num()?;
                let mut outcomes = Vec::with_capacity(n.min(MAX_OUTCOMES));
                for _ in 0..n {
                    outcomes.push(r.outcome()?);
                }
                Answer::Ran { code, met, failed, first_failure, outcomes }
            }
            b'P' => {
                let (line, column, message) = (r.num()?, r.num()?, r.text()?);
                Answer::NotRun(Problem { line, column: (column > 0).then_some(column), message })
            }
            b'E' => Answer::Refused(r.text()?),
            b'S' => Answer::Script(r.text()?),
            _ => return None,
        };
        r.0.is_empty().then_some(answer)
    }
}

/// Reads the fields of an answer's text, front to back.
struct Reader<'a>(&'a str);

impl Reader<'_> {
    /// The text up to the next byte `end` (which is consumed), after a space.
    fn until(&mut self, end: u8) -> Option<&str> {
        let rest = self.0.strip_prefix(' ')?;
        let at = rest.bytes().position(|b| b == end).unwrap_or(rest.len());
        let (field, after) = rest.split_at(at);
        self.0 = if end == b' ' { after } else { after.get(1..)? };
        Some(field)
    }

    fn num(&mut self) -> Option<usize> {
        let digits = self.until(b' ')?;
        if digits.is_empty() || digits.len() > 19 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(digits.bytes().fold(0usize, |n, b| n.wrapping_mul(10).wrapping_add((b - b'0') as usize)))
    }

    fn text(&mut self) -> Option<String> {
        let len = self.until(b':')?;
        if len.is_empty() || len.len() > 19 || !len.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let len = len.bytes().fold(0usize, |n, b| n.wrapping_mul(10).wrapping_add((b - b'0') as usize));
        let t = self.0.get(..len)?;
        self.0 = self.0.get(len..)?;
        Some(t.to_string())
    }

    fn outcome(&mut self) -> Option<Outcome> {
        let line = self.num()?;
        let kind = match self.until(b' ')? {
            "a" => OutcomeKind::Acted,
            "m" => OutcomeKind::Met,
            "f" => OutcomeKind::Failed,
            "s" => OutcomeKind::Said,
            _ => return None,
        };
        let time = self.num()? as u64;
        let text = self.text()?;
        Some(Outcome { line, time, kind, text })
    }
}

#[cfg(all(test, feature = "script-lang"))]
mod tests {
    use super::*;

    #[test]
    fn every_answer_reads_back_the_same_through_its_text() {
        let ran = run_answer(
            "servers 3\nseed 4\nwait until leader within 5s\nexpect term S1 99\nsay \"two words:\nno, one \u{1f5f3}\"\n",
        );
        // (The say line above does not parse: its quote ends at the line's end.)
        assert!(matches!(ran, Answer::NotRun(_)), "{ran:?}");
        let ran =
            run_answer("servers 3\nseed 4\nwait until leader within 5s\nexpect term S1 99\nsay \"a 1:b \u{1f5f3}\"\n");
        let Answer::Ran { met, failed, first_failure, outcomes, .. } = &ran else { panic!("{ran:?}") };
        assert_eq!((*met, *failed, first_failure.as_ref().map(|o| o.line)), (1, 1, Some(4)));
        assert_eq!(outcomes.iter().map(|o| o.line).collect::<Vec<_>>(), [3, 4, 5]);
        let Answer::Ran { code, .. } = &ran else { unreachable!() };
        let exported = export_answer(code);
        assert!(matches!(&exported, Answer::Script(s) if s.contains("servers 3")), "{exported:?}");
        let answers = [
            ran.clone(),
            exported,
            run_answer("servers 5\nat 2s crash S9\n"),
            Answer::Refused("why: with\nlines and ünïcode".into()),
            export_answer("nonsense"),
            Answer::Script(String::new()),
        ];
        for a in answers {
            let text = a.encode();
            assert_eq!(Answer::decode(&text), Some(a.clone()), "{text}");
            // Any text cut short, or with a byte more, is refused (and never panics).
            for cut in 0..text.len() {
                if let Some(head) = text.get(..cut) {
                    assert_eq!(Answer::decode(head), None, "{head}");
                }
            }
            assert_eq!(Answer::decode(&format!("{text} ")), None);
        }
        for junk in ["", "R", "Q 1", "E", "E 5:abc", "P 1 2 3:abcd", "R 1 2 1:x 2", "S 99999999999999999999:x", "S 1:é"]
        {
            assert_eq!(Answer::decode(junk), None, "{junk}");
        }
    }

    #[test]
    fn a_request_is_answered_by_its_tag() {
        assert!(answer_request("rservers 3\nwait 1s\n").starts_with("R 0 0 "));
        assert!(answer_request("xnot a code").starts_with("E "));
        assert!(answer_request("servers 3").starts_with("E "));
        assert!(answer_request("").starts_with("E "));
    }
}
