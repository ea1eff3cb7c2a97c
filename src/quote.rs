//! Texts written in quotes with their special characters escaped, as `{:?}`
//! writes a `str` or a `char` (`"a \"b\"\n"`, `'\t'`), without the standard
//! library's Debug of strings: that one escapes through `char::escape_debug_ext`
//! and the tables of `core::unicode::printable` (some 2.8 KB gzipped of the
//! page), which `scripts/check-page-code.sh` keeps out of the page's wasm.
//!
//! The escapes are Debug's: `\0 \t \r \n \\`, the quote (`\"` in a text, `\'`
//! in a character), and every other control character (`char::is_control`) as
//! `\u{..}` in lower-case hexadecimal, and so are the invisible format
//! characters (a hand-written list, no table: the soft hyphen, zero-width
//! spaces and joiners, direction marks and embeddings, U+FEFF and the
//! interlinear annotation marks), so that such a character pasted into a
//! key shows. Unlike Debug, other characters are written as they are (Debug
//! also escapes the few others it finds unprintable or combining, such as
//! unassigned ones or U+0301).

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
            // Invisible format characters (Unicode's Cf that Debug escapes).
            '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}' => "",
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
    fn only_control_and_invisible_format_characters_are_escaped_beyond_the_named_ones() {
        // A zero-width space pasted into a key shows, as Debug writes it.
        assert_eq!(Quoted("a\u{200b}b").to_string(), "\"a\\u{200b}b\"");
        // Every invisible format character of the list, as Debug escapes it,
        // and the characters just outside its ranges as they are.
        let listed = [
            0xad, 0x61c, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
            0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff, 0xfff9, 0xfffa, 0xfffb,
        ];
        for c in listed.map(|u| char::from_u32(u).unwrap()) {
            let t = format!("x{c}y");
            assert_eq!(Quoted(&t).to_string(), format!("{t:?}"), "U+{:04X}", c as u32);
            assert_eq!(Quoted(&t).to_string(), format!("\"x\\u{{{:x}}}y\"", c as u32));
            assert_eq!(QuotedChar(c).to_string(), format!("{c:?}"));
        }
        for c in
            ['\u{ac}', '\u{ae}', '\u{200a}', '\u{2010}', '\u{2029}', '\u{202f}', '\u{206a}', '\u{fff8}', '\u{fffc}']
        {
            assert_eq!(QuotedChar(c).to_string(), format!("'{c}'"), "U+{:04X}", c as u32);
        }
        // Debug escapes a combining mark (U+0301) too; a Quoted text keeps it as it is.
        assert_eq!(Quoted("e\u{301}").to_string(), "\"e\u{301}\"");
        assert_ne!(Quoted("e\u{301}").to_string(), format!("{:?}", "e\u{301}"));
    }
}
