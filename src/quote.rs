//! Texts written in quotes with their special characters escaped, as `{:?}`
//! writes a `str` or a `char` (`"a \"b\"\n"`, `'\t'`), without the standard
//! library's Debug of strings: that one escapes through `char::escape_debug_ext`
//! and the tables of `core::unicode::printable` (some 2.8 KB gzipped of the
//! page), which `scripts/check-page-code.sh` keeps out of the page's wasm.
//!
//! The escapes are Debug's: `\0 \t \r \n \\`, the quote (`\"` in a text, `\'`
//! in a character), and every other control character (`char::is_control`) as
//! `\u{..}` in lower-case hexadecimal. Unlike Debug, characters that are not
//! control characters are written as they are (Debug also escapes the few it
//! finds unprintable or combining, such as U+200B or U+0301).

use std::fmt;

/// A text in double quotes, escaped as `{:?}` writes a `str`: `Quoted("a\"b")`
/// shows `"a\"b"`.
#[derive(Clone, Copy)]
pub struct Quoted<'a>(pub &'a str);

/// A character in single quotes, escaped as `{:?}` writes a `char`: `'\''`.
#[derive(Clone, Copy)]
pub struct QuotedChar(pub char);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_quoted(f, self.0, '"')
    }
}

impl fmt::Display for QuotedChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 4];
        write_quoted(f, self.0.encode_utf8(&mut buf), '\'')
    }
}

/// Writes `text` between two `quote`s, escaped (see the module).
fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str, quote: char) -> fmt::Result {
    use fmt::Write;
    f.write_char(quote)?;
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let escape = match c {
            '\0' => "\\0",
            '\t' => "\\t",
            '\r' => "\\r",
            '\n' => "\\n",
            '\\' => "\\\\",
            '"' if quote == '"' => "\\\"",
            '\'' if quote == '\'' => "\\'",
            c if c.is_control() => "",
            _ => continue,
        };
        f.write_str(&text[plain..i])?;
        plain = i + c.len_utf8();
        match escape {
            "" => write!(f, "\\u{{{:x}}}", c as u32)?,
            e => f.write_str(e)?,
        }
    }
    f.write_str(&text[plain..])?;
    f.write_char(quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_characters_are_quoted_as_debug_writes_them() {
        let texts = [
            "",
            "plain",
            "say \"hi\"",
            "it's",
            "back\\slash",
            "tab\tline\nreturn\rnul\0",
            "bell\u{7} esc\u{1b} del\u{7f} c1\u{85}\u{9f}",
            "é 中文 😀 … ✓ × →",
            "\"\"''\\\\",
        ];
        for t in texts {
            assert_eq!(Quoted(t).to_string(), format!("{t:?}"));
            for c in t.chars() {
                assert_eq!(QuotedChar(c).to_string(), format!("{c:?}"));
            }
        }
        assert_eq!(QuotedChar('\'').to_string(), "'\\''");
        assert_eq!(QuotedChar('"').to_string(), "'\"'");
        assert_eq!(Quoted("a\u{1}b").to_string(), "\"a\\u{1}b\"");
    }

    #[test]
    fn only_control_characters_are_escaped_beyond_the_named_ones() {
        // Debug escapes U+200B (unprintable) too; a Quoted text keeps it as it is.
        assert_eq!(Quoted("a\u{200b}b").to_string(), "\"a\u{200b}b\"");
        assert_ne!(Quoted("a\u{200b}b").to_string(), format!("{:?}", "a\u{200b}b"));
    }
}
