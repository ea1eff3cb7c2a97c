//! Reading one line of a script: a cursor over its characters that knows its
//! line and column, reads the small pieces of the format (words, numbers,
//! durations, servers, quoted text) and says what it expected when the line
//! does not fit. Nothing here can panic: every slice is cut at a character
//! boundary the cursor itself found.

use crate::quote::Quoted;
use crate::raft::NodeId;
use crate::sim::Addr;
use std::fmt::{self, Write};

/// A line that does not fit the format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Line number, from 1.
    pub line: usize,
    /// Column (in characters), from 1.
    pub column: usize,
    /// What was expected and what was found, e.g. `expected a server like S2, found "X9"`.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// A parse failure as the parsers pass it up: boxed, so that every `?` moves
/// one pointer instead of the whole error (smaller code on the page).
pub(crate) type Fail = Box<ParseError>;

pub(crate) type Parsed<T> = Result<T, Fail>;

impl From<Fail> for ParseError {
    fn from(e: Fail) -> ParseError {
        *e
    }
}

/// Cuts a line's comment off: everything from the first `#` outside double quotes.
pub(crate) fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Milliseconds per unit.
const UNITS: [(&str, u64); 3] = [("ms", 1), ("s", 1_000), ("min", 60_000)];

pub(crate) struct Cursor<'a> {
    line: usize,
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(line: usize, text: &'a str) -> Cursor<'a> {
        Cursor { line, text, pos: 0 }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn column_of(&self, pos: usize) -> usize {
        self.text.get(..pos).map_or(1, |t| t.chars().count() + 1)
    }

    /// An error at byte position `pos` of the line.
    pub fn error_at(&self, pos: usize, message: impl Into<String>) -> Fail {
        Box::new(ParseError { line: self.line, column: self.column_of(pos), message: message.into() })
    }

    /// An error at the cursor.
    pub fn error(&self, message: impl Into<String>) -> Fail {
        self.error_at(self.pos, message)
    }

    pub fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// What comes next, for an error message: the next word in quotes, or "the end of the line".
    pub fn found(&mut self) -> String {
        let mut out = String::new();
        self.write_found(&mut out);
        out
    }

    /// Writes [`Cursor::found`] into `out`.
    fn write_found(&mut self, out: &mut String) {
        self.skip_ws();
        let rest = self.rest();
        let mut end = 0;
        for (k, (i, c)) in rest.char_indices().enumerate() {
            if k == 24 || c.is_whitespace() {
                break;
            }
            end = i + c.len_utf8();
        }
        let next = &rest[..end];
        if next.is_empty() {
            out.push_str("the end of the line");
        } else {
            let _ = write!(out, "{}", Quoted(next));
        }
    }

    /// "expected X, found Y" at the cursor (after white space), written into one string.
    pub fn expected(&mut self, what: &str) -> Fail {
        let mut message = String::from("expected ");
        message.push_str(what);
        message.push_str(", found ");
        self.write_found(&mut message);
        self.error(message)
    }

    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.rest().is_empty()
    }

    /// Fails unless only white space is left.
    pub fn end(&mut self) -> Parsed<()> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.expected("the end of the line"))
        }
    }

    pub fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.rest().chars().next()
    }

    /// Consumes `s` (after white space) if it comes next.
    pub fn eat(&mut self, s: &str) -> bool {
        self.skip_ws();
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// The next word (letters, digits, `_`) without consuming it.
    pub fn peek_word(&mut self) -> &'a str {
        self.skip_ws();
        let rest = self.rest();
        let end = rest.char_indices().find(|&(_, c)| !is_word_char(c)).map_or(rest.len(), |(i, _)| i);
        &rest[..end]
    }

    /// Reads the next word, if any.
    pub fn word(&mut self) -> Option<&'a str> {
        let w = self.peek_word();
        if w.is_empty() {
            None
        } else {
            self.pos += w.len();
            Some(w)
        }
    }

    /// The next run of characters up to white space (a lesson's id, `split-vote`), if any.
    pub fn token(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let rest = self.rest();
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        self.pos += end;
        Some(&rest[..end]).filter(|t| !t.is_empty())
    }

    /// The whole line the cursor reads.
    pub fn line_text(&self) -> &'a str {
        self.text
    }

    /// The rest of the line from the cursor, without moving it.
    pub fn remaining(&self) -> &'a str {
        self.rest()
    }

    /// Consumes the word `w` (any case) if it comes next.
    pub fn eat_word(&mut self, w: &str) -> bool {
        let next = self.peek_word();
        if next.eq_ignore_ascii_case(w) {
            self.pos += next.len();
            true
        } else {
            false
        }
    }

    /// Consumes the next word if it is one of `words` (any case) and says which
    /// (its index): one loop for every keyword choice of the format.
    pub fn keyword(&mut self, words: &[&str]) -> Option<usize> {
        let next = self.peek_word();
        let i = words.iter().position(|w| next.eq_ignore_ascii_case(w))?;
        self.pos += next.len();
        Some(i)
    }

    /// Consumes the words of `phrase` (separated by single spaces in it) if they all come next.
    pub fn eat_words(&mut self, phrase: &str) -> bool {
        let start = self.pos;
        if phrase.split(' ').all(|w| self.eat_word(w)) {
            true
        } else {
            self.pos = start;
            false
        }
    }

    /// The ASCII digits at the cursor (no white space skipped).
    fn digits(&mut self) -> &'a str {
        let rest = self.rest();
        let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        self.pos += end;
        &rest[..end]
    }

    /// A whole number up to `max`; `what` names it in errors.
    pub fn number(&mut self, what: &str, max: u64) -> Parsed<u64> {
        self.skip_ws();
        let start = self.pos;
        let digits = self.digits();
        if digits.is_empty() {
            return Err(self.expected(what));
        }
        match digits.parse::<u64>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(self.error_at(start, format!("{what} must be at most {max}, not {digits}"))),
        }
    }

    /// A whole number with an optional sign (the value of a write).
    pub fn integer(&mut self) -> Parsed<i64> {
        self.skip_ws();
        let start = self.pos;
        let negative = self.eat("-");
        if !negative {
            self.eat("+");
        }
        let digits = self.digits();
        if digits.is_empty() {
            self.pos = start;
            return Err(self.expected("a whole number"));
        }
        let magnitude = digits.parse::<u64>().ok();
        let value = magnitude.and_then(|m| if negative { 0i64.checked_sub_unsigned(m) } else { i64::try_from(m).ok() });
        value.ok_or_else(|| self.error_at(start, format!("a value must fit in 64 bits (±9.2e18), not {digits}")))
    }

    /// A decimal number `12` or `12.5` as its text, and where it started.
    fn decimal(&mut self, what: &str) -> Parsed<(usize, &'a str)> {
        self.skip_ws();
        let start = self.pos;
        if self.digits().is_empty() {
            return Err(self.expected(what));
        }
        if self.rest().starts_with('.') {
            self.pos += 1;
            if self.digits().is_empty() {
                return Err(self.expected("digits after the decimal point"));
            }
        }
        Ok((start, &self.text[start..self.pos]))
    }

    /// A duration: `500`, `500ms`, `1.5s`, `2min` (a bare number is in ms).
    /// Whole milliseconds only, at most `max`.
    pub fn duration(&mut self, max: u64) -> Parsed<u64> {
        let (start, text) = self.decimal("a duration like 500ms or 1.5s")?;
        let unit = self.unit()?.unwrap_or(1);
        self.ms_of(start, text, unit, max)
    }

    /// A unit word right after a number, if any.
    fn unit(&mut self) -> Parsed<Option<u64>> {
        let rest = self.rest();
        let end = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
        if end == 0 {
            return Ok(None);
        }
        let word = &rest[..end];
        match UNITS.iter().find(|(u, _)| word.eq_ignore_ascii_case(u)) {
            Some(&(_, ms)) => {
                self.pos += end;
                Ok(Some(ms))
            }
            None => Err(self.error(format!("expected a unit ms, s or min, found {}", Quoted(word)))),
        }
    }

    /// `text` (a decimal) times `unit` ms, exactly, as whole milliseconds up to `max`.
    fn ms_of(&self, start: usize, text: &str, unit: u64, max: u64) -> Parsed<u64> {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let too_long = || self.error_at(start, format!("a time must be at most {}, not {text}", format_ms(max)));
        // Exact arithmetic on the digits: value = int.frac × unit (overflow: too long).
        let int: u64 = int.parse().map_err(|_| too_long())?;
        if frac.len() > 6 {
            return Err(self.error_at(start, format!("{text}: times are whole milliseconds")));
        }
        let scale = 10u64.pow(frac.len() as u32);
        let frac_n: u64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| too_long())? };
        let total = int.checked_mul(scale).and_then(|v| v.checked_add(frac_n)).and_then(|v| v.checked_mul(unit));
        let total = total.ok_or_else(too_long)?;
        if total % scale != 0 {
            return Err(self.error_at(start, format!("{text}: times are whole milliseconds")));
        }
        let ms = total / scale;
        if ms > max {
            return Err(too_long());
        }
        Ok(ms)
    }

    /// A range `150-300`, `150ms-300ms` or `1-2s` (a unit after the high end
    /// also applies to a bare low end).
    pub fn range(&mut self, max: u64) -> Parsed<(u64, u64)> {
        let (lo_start, lo_text) = self.decimal("a range like 150-300")?;
        let lo_unit = self.unit()?;
        if !self.eat("-") {
            return Err(self.expected("\"-\" and the high end of the range, like 150-300"));
        }
        let (hi_start, hi_text) = self.decimal("the high end of the range")?;
        let hi_unit = self.unit()?.unwrap_or(1);
        let lo = self.ms_of(lo_start, lo_text, lo_unit.unwrap_or(hi_unit), max)?;
        let hi = self.ms_of(hi_start, hi_text, hi_unit, max)?;
        Ok((lo, hi))
    }

    /// A probability: `5%`, `12.5%` or `0.05`. Exact: "5%" is 5.0 / 100.0.
    pub fn rate(&mut self) -> Parsed<f64> {
        let (start, text) = self.decimal("a loss rate like 5%")?;
        let value = crate::decimal::exact(text).ok_or_else(|| self.error_at(start, "expected a number"))?;
        let rate = if self.eat("%") {
            value / 100.0
        } else if value > 1.0 {
            return Err(self.error_at(start, format!("write a loss rate as a percentage, like {text}%")));
        } else {
            value
        };
        if rate > 1.0 {
            return Err(self.error_at(start, format!("a loss rate is at most 100%, not {text}%")));
        }
        Ok(rate)
    }

    /// A server `S1`..`Sn` (any case) of a cluster of `n` servers.
    pub fn node(&mut self, n: usize) -> Parsed<NodeId> {
        if !self.at_node() {
            return Err(self.expected("a server like S2"));
        }
        let start = self.pos;
        let w = self.peek_word();
        match w[1..].parse::<usize>() {
            Ok(k) if (1..=n).contains(&k) => {
                self.pos += w.len();
                Ok(NodeId(k as u8))
            }
            _ if n == 1 => Err(self.error_at(start, format!("there is no server {w}: the cluster has only S1"))),
            _ => Err(self.error_at(start, format!("there is no server {w}: the cluster has S1 to S{n}"))),
        }
    }

    /// True when a server name comes next.
    pub fn at_node(&mut self) -> bool {
        let w = self.peek_word().as_bytes();
        w.len() > 1 && matches!(w[0], b'S' | b's') && w[1..].iter().all(u8::is_ascii_digit)
    }

    /// A server or `client`: one end of a message.
    pub fn addr(&mut self, n: usize) -> Parsed<Addr> {
        if self.eat_word("client") {
            Ok(Addr::Client)
        } else if self.at_node() {
            self.node(n).map(Addr::Node)
        } else {
            Err(self.expected("a server like S2, or client"))
        }
    }

    /// A link `S1->S2` (also `S1 -> S2`, `S1→S2`, `client->S3`).
    pub fn link(&mut self, n: usize) -> Parsed<(Addr, Addr)> {
        let from = self.addr(n)?;
        if !(self.eat("->") || self.eat("→")) {
            return Err(self.expected("\"->\" between the two ends, like S1->S2"));
        }
        let to = self.addr(n)?;
        if from == to {
            return Err(self.error("a message goes between two different ends"));
        }
        Ok((from, to))
    }

    /// Text in double quotes (`\"` and `\\` inside), or, without quotes, the rest of the line.
    pub fn text(&mut self) -> Parsed<String> {
        self.skip_ws();
        if !self.rest().starts_with('"') {
            let t = self.rest().trim_end().to_string();
            self.pos = self.text.len();
            return Ok(t);
        }
        self.quoted()
    }

    /// Text in double quotes.
    pub fn quoted(&mut self) -> Parsed<String> {
        self.skip_ws();
        let start = self.pos;
        if !self.eat("\"") {
            return Err(self.expected("text in double quotes"));
        }
        let mut out = String::new();
        let mut escaped = false;
        for (i, c) in self.rest().char_indices() {
            match c {
                _ if escaped => {
                    out.push(c);
                    escaped = false;
                }
                '\\' => escaped = true,
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                _ => out.push(c),
            }
        }
        Err(self.error_at(start, "this text has no closing \""))
    }
}

/// `head`, then `name(0)` to `name(n - 1)` separated by commas, then `)`: the
/// lists of names in errors ("a message kind (PreVote, ...)"), without a
/// `Vec<&str>` and `join` for each.
pub(crate) fn name_list(head: &str, n: usize, name: fn(usize) -> &'static str) -> String {
    let mut out = String::from(head);
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name(i));
    }
    out.push(')');
    out
}

/// A time as the format writes it: `250ms`, `2s`, `1.05s`.
pub(crate) fn format_ms(ms: u64) -> String {
    if ms < 1_000 {
        format!("{ms}ms")
    } else if ms.is_multiple_of(1_000) {
        format!("{}s", ms / 1_000)
    } else {
        let frac = format!("{:03}", ms % 1_000);
        format!("{}.{}s", ms / 1_000, frac.trim_end_matches('0'))
    }
}

/// Text in double quotes with `"` and `\` escaped, as [`Cursor::quoted`]
/// reads it: `{}` of `Quote(text)` writes it (no `String` made for it).
pub(crate) struct Quote<'a>(pub &'a str);

impl fmt::Display for Quote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            if c == '"' || c == '\\' {
                f.write_char('\\')?;
            }
            f.write_char(c)?;
        }
        f.write_char('"')
    }
}

/// [`Quote`] as a `String`.
#[cfg(test)]
pub(crate) fn quote(text: &str) -> String {
    Quote(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_exact_whole_milliseconds() {
        let d = |s: &str| Cursor::new(1, s).duration(u64::MAX);
        assert_eq!(d("500"), Ok(500));
        assert_eq!(d("500ms"), Ok(500));
        assert_eq!(d("1.5s"), Ok(1_500));
        assert_eq!(d("1.05S"), Ok(1_050));
        assert_eq!(d("2min"), Ok(120_000));
        assert_eq!(d("0.001s"), Ok(1));
        assert!(d("0.0005s").unwrap_err().message.contains("whole milliseconds"));
        assert!(d("1.5ms").unwrap_err().message.contains("whole milliseconds"));
        assert!(d("3h").unwrap_err().message.contains("unit"));
        assert!(d("99999999999999999999999999999999999999999s").is_err());
        assert!(Cursor::new(1, "3s").duration(2_000).unwrap_err().message.contains("at most 2s"));
        for ms in [0, 1, 999, 1_000, 1_050, 1_500, 61_001, 7_200_000] {
            assert_eq!(d(&format_ms(ms)), Ok(ms), "{}", format_ms(ms));
        }
    }

    #[test]
    fn ranges_take_the_high_ends_unit() {
        let r = |s: &str| Cursor::new(1, s).range(u64::MAX);
        assert_eq!(r("150-300"), Ok((150, 300)));
        assert_eq!(r("1-2s"), Ok((1_000, 2_000)));
        assert_eq!(r("500ms-2s"), Ok((500, 2_000)));
        assert_eq!(r("150 - 300"), Ok((150, 300)));
        assert!(r("150").is_err());
    }

    #[test]
    fn comments_stop_at_hash_outside_quotes() {
        assert_eq!(strip_comment("crash S1 # why"), "crash S1 ");
        assert_eq!(strip_comment("say \"a # b\" # c"), "say \"a # b\" ");
        assert_eq!(strip_comment("say \"a \\\" # b\" # c"), "say \"a \\\" # b\" ");
    }

    #[test]
    fn quoted_text_round_trips() {
        for t in ["plain", "with \"quotes\"", "back\\slash", "ünïcode ✓", ""] {
            assert_eq!(Cursor::new(1, &quote(t)).quoted(), Ok(t.to_string()));
        }
    }

    #[test]
    fn values_cover_all_of_i64() {
        let v = |s: &str| Cursor::new(1, s).integer();
        assert_eq!(v("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(v("9223372036854775807"), Ok(i64::MAX));
        assert!(v("9223372036854775808").is_err());
        assert_eq!(v("+3"), Ok(3));
    }
}
