//! Decimal numbers written and read with whole-number arithmetic only.
//!
//! The page writes many coordinates, times and percentages, and reads a few
//! decimals (a speed in the address, a loss in Setup). Rust's own float
//! formatting (`{:.1}`, `f64::to_string`) and parsing (`str::parse::<f64>`)
//! bring about 25 KB of code (Grisu, Dragon4, big numbers, decimal tables)
//! into the page's wasm: the page uses [`fixed`] and [`parse`] instead, and no
//! `f64` may reach `Display`, `Debug` or `FromStr` in code the page runs.
//!
//! [`fixed`] writes exactly what `format!("{:.N}", x)` writes (rounding the
//! binary value exactly, ties to even) for every `f64` below 2^53 in size;
//! [`parse`] reads what `str::parse::<f64>` reads (less `inf` and `NaN`), to
//! the same value whenever the number has at most 15 significant digits and
//! its power of ten is within 22 of them (`tests` check both against the
//! standard library).

use std::fmt;

/// The largest size [`fixed`] writes exactly: 2^53 - 1 (larger values are
/// written as this one, with their sign; nothing on the page comes near it).
const LIMIT: f64 = 9_007_199_254_740_991.0;

/// `x` with `places` decimals (0 to 3; more are written as 3), as
/// `format!("{x:.places$}")` writes it: `fixed(-2.25, 1)` is "-2.2",
/// `fixed(0.5, 0)` is "0", `fixed(3.0, 2)` is "3.00"; NaN is "NaN", the
/// infinities "inf" and "-inf".
pub fn fixed(x: f64, places: u8) -> Fixed {
    Fixed { x, places: places.min(3) }
}

/// A number with a fixed number of decimals, written by [`fixed`] without
/// the standard library's float formatting.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Fixed {
    x: f64,
    places: u8,
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.x;
        if x.is_nan() {
            return f.write_str("NaN");
        }
        if x.is_sign_negative() {
            f.write_str("-")?;
        }
        if x.is_infinite() {
            return f.write_str("inf");
        }
        let scale = 10u64.pow(self.places as u32);
        let n = scaled(x.abs().min(LIMIT), scale);
        write!(f, "{}", n / scale)?;
        if self.places > 0 {
            let frac = (n % scale).to_string();
            f.write_str(".")?;
            for _ in frac.len()..self.places as usize {
                f.write_str("0")?;
            }
            f.write_str(&frac)?;
        }
        Ok(())
    }
}

/// `x` with at most `places` decimals, trailing zeros dropped: `trimmed(12.5, 2)`
/// is "12.5", `trimmed(10.0, 2)` is "10". For a value read from a decimal
/// with at most `places` decimals (`k / 100.0`), what `x.to_string()` writes.
pub fn trimmed(x: f64, places: u8) -> String {
    let mut s = fixed(x, places).to_string();
    if s.contains('.') {
        s.truncate(s.trim_end_matches('0').trim_end_matches('.').len());
    }
    s
}

/// Any number as JavaScript writes it ("1e+300", "Infinity", "NaN", "0.5",
/// "-1.5e-7"): the shortest decimal that reads back as `n`. In the browser,
/// JavaScript itself writes it (`Number.prototype.toString`), so the page
/// carries no shortest-float formatting of its own.
#[cfg(target_arch = "wasm32")]
pub fn js_text(n: f64) -> String {
    js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default()
}

/// Natively (tests, tools), the same text worked out from the shortest
/// decimal digits Rust writes.
#[cfg(not(target_arch = "wasm32"))]
pub fn js_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_string()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if n == 0.0 {
        "0".to_string()
    } else if n.abs() >= 1e21 || n.abs() < 1e-6 {
        exponent_form(n)
    } else {
        format!("{n}")
    }
}

/// `n` (at least 1e21, or under 1e-6) in JavaScript's exponent form: "1e+300",
/// "-1.5e-7". Worked out from the shortest decimal digits Rust writes.
#[cfg(not(target_arch = "wasm32"))]
fn exponent_form(n: f64) -> String {
    let plain = format!("{}", n.abs());
    let (exp, digits) = match plain.strip_prefix("0.") {
        Some(fraction) => {
            let zeros = fraction.len() - fraction.trim_start_matches('0').len();
            (-(zeros as i64) - 1, fraction.trim_start_matches('0'))
        }
        None => (plain.len() as i64 - 1, plain.trim_end_matches('0')),
    };
    let sign = if n < 0.0 { "-" } else { "" };
    let (first, rest) = digits.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    let exp_sign = if exp < 0 { "-" } else { "+" };
    format!("{sign}{first}{dot}{rest}e{exp_sign}{}", exp.abs())
}

/// `x` (finite) as the shortest decimal that reads back as it, never in
/// exponent form (a script cannot read one): "0.05", "0.000000015",
/// "12.5". What `format!("{x}")` writes, from [`js_text`]'s digits.
pub fn plain(x: f64) -> String {
    let t = js_text(x);
    let Some((mant, exp)) = t.split_once('e') else { return t };
    // (Its digits through the `u64` parser, which the page has anyway, not a
    // copy of the `i64` one of its own.)
    let exp = match exp.strip_prefix('-') {
        Some(digits) => -(digits.parse::<u64>().unwrap_or(0) as i64),
        None => exp.trim_start_matches('+').parse::<u64>().unwrap_or(0) as i64,
    };
    let (sign, mant) = mant.strip_prefix('-').map_or(("", mant), |m| ("-", m));
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    // (Not `[int, frac].concat()`: the page keeps one copy of the standard
    // library's join, the one for `String`s.)
    let mut digits = int.to_string();
    digits.push_str(frac);
    // Where the point goes among the digits.
    let point = int.len() as i64 + exp;
    if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{sign}{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{sign}{a}.{b}")
    }
}

/// A plain decimal (digits, then optionally a point and digits: what a
/// script holds) read to the nearest `f64`, exactly as `str::parse::<f64>`
/// reads it, whatever its length; `None` for anything else. In the browser,
/// JavaScript reads it (`Number(text)`, correctly rounded too), so the page
/// carries no float parsing of its own.
pub fn exact(text: &str) -> Option<f64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    return Some(js_sys::parse_float(text));
    #[cfg(not(target_arch = "wasm32"))]
    text.parse().ok()
}

/// `x * scale` rounded to a whole number, ties to even, computed exactly
/// from `x`'s bits (`x` finite, from 0 to [`LIMIT`]; `scale` at most 1000,
/// so the product stays below 2^63).
fn scaled(x: f64, scale: u64) -> u64 {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    // x = m * 2^e exactly.
    let (m, e) = if exp == 0 { (frac, -1074) } else { (frac | (1 << 52), exp - 1075) };
    let v = m * scale;
    if e >= 0 {
        // Only x = 2^52 .. 2^53 - 1 gets here, with e = 0.
        return v << e;
    }
    let shift = (-e) as u32;
    if shift >= 64 {
        // v < 2^63 <= half of 2^shift: less than one half.
        return 0;
    }
    let q = v >> shift;
    let rest = v & ((1 << shift) - 1);
    let half = 1 << (shift - 1);
    if rest > half || (rest == half && q & 1 == 1) {
        q + 1
    } else {
        q
    }
}

/// The powers of ten an `f64` holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// A decimal number as `str::parse::<f64>` reads it: an optional sign,
/// digits with an optional point (`12`, `-0.5`, `.5`, `5.`), an optional
/// exponent (`1.25e-3`, `2E+2`); no spaces, no `inf` or `NaN` (`None`).
/// Exactly the standard library's value when its significant digits make a
/// whole number below 2^53 (15 digits always do) and its power of ten is
/// within 22 of them (every speed or percentage anyone types); otherwise
/// within a few units of the last place.
pub fn parse(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    // The mantissa's first 19 significant digits, and the power of ten that scales them.
    let (mut digits, mut kept, mut exp10, mut seen) = (0u64, 0u32, 0i64, false);
    let mut point = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                seen = true;
                if digits == 0 && c == b'0' {
                    // A leading zero: only moves the point.
                    if point {
                        exp10 -= 1;
                    }
                } else if kept < 19 {
                    digits = digits * 10 + (c - b'0') as u64;
                    kept += 1;
                    if point {
                        exp10 -= 1;
                    }
                } else if !point {
                    // A digit past the 19th, before the point: one more power of ten.
                    exp10 += 1;
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let minus = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e = 0i64;
        while let Some(&c @ b'0'..=b'9') = b.get(i) {
            // Past a million, the number is 0 or infinite anyway.
            e = (e * 10 + (c - b'0') as i64).min(1_000_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += if minus { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    let m = digits as f64;
    let value = if digits == 0 {
        0.0
    } else if digits < 1 << 53 && (0..=22).contains(&exp10) {
        // Both exact, so one correctly rounded operation.
        m * POW10[exp10 as usize]
    } else if digits < 1 << 53 && (-22..0).contains(&exp10) {
        m / POW10[(-exp10) as usize]
    } else {
        let e = exp10.clamp(-400, 400) as i32;
        // Split so that neither factor under- or overflows on the way.
        m * 10f64.powi(e / 2) * 10f64.powi(e - e / 2)
    };
    Some(if negative { -value } else { value })
}

/// A count read as `text.parse::<usize>()` reads it (the same texts
/// accepted, the same values), through the `u64` parser: the page then holds
/// one copy of the standard library's integer parsing instead of two.
pub fn whole(text: &str) -> Option<usize> {
    text.parse::<u64>().ok().and_then(|n| usize::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small generator for the tests (xorshift).
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    fn same_as_std(x: f64) {
        assert_eq!(fixed(x, 0).to_string(), format!("{x:.0}"), "{x:e}");
        assert_eq!(fixed(x, 1).to_string(), format!("{x:.1}"), "{x:e}");
        assert_eq!(fixed(x, 2).to_string(), format!("{x:.2}"), "{x:e}");
        assert_eq!(fixed(x, 3).to_string(), format!("{x:.3}"), "{x:e}");
    }

    #[test]
    fn fixed_writes_what_format_writes() {
        for x in [
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            2.5,
            3.5,
            -2.5,
            0.125,
            0.0625,
            1e-320,
            5e-324,
            0.4999999999999999,
            0.5,
            1.5,
            999.95,
            999.9999,
            123456.789,
            4503599627370495.5,
            4503599627370496.0,
            LIMIT,
            -LIMIT,
        ] {
            same_as_std(x);
        }
        let mut g = Gen(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200_000 {
            let r = g.next();
            // Whole numbers and ties (k/8), coordinates, tiny and large values.
            let x = match r % 4 {
                0 => (r >> 8) as i64 as f64 / 8.0 / 1e6,
                1 => ((r >> 8) % 2_000_000) as f64 / 1000.0 - 1000.0,
                2 => f64::from_bits(r >> 2) % LIMIT,
                _ => (r >> 11) as f64 * 2f64.powi(-((r % 60) as i32)) * if r & 8 == 0 { 1.0 } else { -1.0 },
            };
            if x.is_finite() && x.abs() <= LIMIT {
                same_as_std(x);
            }
        }
    }

    #[test]
    fn trimmed_writes_what_to_string_writes_for_hundredths() {
        for k in (0..=10_000u64).chain([123_456_789, 999_999_999_999]) {
            let x = k as f64 / 100.0;
            assert_eq!(trimmed(x, 2), x.to_string(), "{k}");
        }
        assert_eq!(trimmed(-0.5, 1), "-0.5");
        assert_eq!(trimmed(0.004, 2), "0");
    }

    #[test]
    fn fixed_writes_the_odd_values() {
        assert_eq!(fixed(f64::NAN, 1).to_string(), "NaN");
        assert_eq!(fixed(f64::INFINITY, 1).to_string(), "inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 2).to_string(), "-inf");
        assert_eq!(fixed(1e300, 0).to_string(), "9007199254740991", "clamped to 2^53 - 1");
        assert_eq!(fixed(1.25, 9).to_string(), "1.250", "at most 3 decimals");
        assert_eq!(fixed(-0.04, 1).to_string(), "-0.0", "the sign stays, as format! keeps it");
    }

    #[test]
    fn parse_reads_what_std_reads() {
        let texts = [
            "0",
            "-0",
            "+0",
            "12",
            "-0.5",
            ".5",
            "5.",
            "+.5",
            "1.25e-3",
            "2E+2",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "0.001",
            "0.025",
            "1",
            "100",
            "99.999",
            "0.1",
            "0.3",
            "123456789012345678",
            "9007199254740993",
            "1234567890123456789",
            "00000.000012",
            "1e400",
            "1e-400",
            "0e999999999999",
            "7e-324",
            "2.5e-324",
        ];
        for t in texts {
            let want: f64 = t.parse().unwrap();
            let got = parse(t).unwrap_or_else(|| panic!("{t} not read"));
            if t.len() <= 18 {
                assert_eq!(got.to_bits(), want.to_bits(), "{t}");
            } else {
                assert!((got - want).abs() <= want.abs() * 1e-15, "{t}: {got} vs {want}");
            }
        }
        for bad in
            ["", ".", "-", "+", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "inf", "NaN", "0x10", "1_000", "--1", "١"]
        {
            assert_eq!(parse(bad), None, "{bad:?}");
            assert!(bad.parse::<f64>().is_err() || bad.contains("inf") || bad.contains("NaN"), "{bad:?}");
        }
        let mut g = Gen(12345);
        for _ in 0..200_000 {
            let r = g.next();
            // Up to 15 significant digits, a point anywhere, an exponent or not
            // (from -7 to 7: with the point, the power of ten stays within 22).
            let digits = (r >> 14) % 10u64.pow(1 + (r % 15) as u32);
            let mut t = digits.to_string();
            let at = (r >> 4) as usize % (t.len() + 1);
            t.insert(at, '.');
            if r & 0x100 != 0 {
                t.push_str(&format!("e{}", ((r >> 9) % 15) as i64 - 7));
            }
            if t == "." || t.starts_with(".e") {
                continue;
            }
            let want: f64 = t.parse().unwrap();
            assert_eq!(parse(&t).map(f64::to_bits), Some(want.to_bits()), "{t}");
            // Farther powers of ten: close to the standard library's value.
            if !t.contains('e') {
                let far = format!("{t}e{}", ((r >> 20) % 601) as i64 - 300);
                let (got, want) = (parse(&far).unwrap(), far.parse::<f64>().unwrap());
                let close = got == want || (got - want).abs() <= want.abs() * 1e-14 || want.abs() < 1e-300;
                assert!(close, "{far}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn plain_writes_what_display_writes_and_exact_reads_it_back() {
        let mut g = Gen(99);
        let mut xs = vec![0.05, 0.1 + 0.2, 1e-9, 1.5e-7, 0.123456789, 12.5, 100.0, 1e22, 3e-300, 5e-324, 0.1 * 3.0];
        for _ in 0..20_000 {
            let bits = g.next();
            // Any positive finite number, and rates between 0 and 1.
            let x = f64::from_bits(bits >> 2);
            xs.push(if x.is_finite() { x } else { 1.0 });
            xs.push((bits >> 11) as f64 / (1u64 << 53) as f64);
        }
        for x in xs {
            let text = plain(x);
            assert_eq!(text, format!("{x}"), "{x:e}");
            assert_eq!(exact(&text), Some(x), "{text}");
        }
        for bad in ["", ".", "1.", ".5", "1e5", "-1", "1.2.3", "0x10", " 1", "inf"] {
            assert_eq!(exact(bad), None, "{bad:?}");
        }
    }
}
