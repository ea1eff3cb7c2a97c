//! The address's `scenario=` and `script=` (issue 11), checked without a
//! browser: a scenario shipped beside the page, by its name
//! (`?scenario=split-vote`, fetched from `scenarios/split-vote.txt`), or a
//! script in the address itself (`?script=<base64url of its UTF-8 text>`).
//! The page runs either through the Script panel, as its own Run does
//! (`src/ui/address_script.rs`); a bad value is named in the notice, in the
//! `key=value (why)` form of the address's other settings.

use super::args::brief;
use crate::script::link::LinkError;
use crate::script::MAX_SCRIPT_BYTES;

/// The scenarios shipped beside the page (`scenarios/<name>.txt`, copied by
/// index.html): `scenario=` names one of these and nothing else (a test
/// checks the list against the folder).
pub const SCENARIOS: &[&str] = &[
    "ack-before-commit",
    "check-quorum",
    "dropped-and-duplicated",
    "exactly-once",
    "fast-backup",
    "figure-8",
    "figure-8-unsafe",
    "follower-catch-up",
    "forget-vote",
    "lagging-transfer",
    "leader-failure",
    "leadership-transfer",
    "membership-change",
    "no-majority",
    "out-of-date-candidate",
    "out-of-date-candidate-unsafe",
    "persistence",
    "pre-vote",
    "reads",
    "reordering",
    "replication",
    "split-brain",
    "split-vote",
    "stale-reads",
];

/// Where scenario `name` is fetched from, beside the page.
pub fn scenario_url(name: &str) -> String {
    format!("scenarios/{name}.txt")
}

/// What the address asks the page to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A scenario shipped beside the page, by its name (one of [`SCENARIOS`]).
    Scenario(&'static str),
    /// A script's text, from `script=`.
    Inline(String),
}

/// A script the address asks for, and how the notice names the setting
/// (`scenario=split-vote`, `script=c2VydmVycyAz`, cut short when long).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressScript {
    /// What to run.
    pub source: Source,
    /// The setting as the notice names it.
    pub setting: String,
}

/// Reads `scenario=` and `script=` through `get` (a query parameter's value):
/// what to run (nothing when neither is given or the one given is bad), and
/// the bad values, each as `key=value (why)`. Given both, the scenario runs
/// and `script=` is named as not run.
pub fn address_script(get: impl Fn(&str) -> Option<String>) -> (Option<AddressScript>, Vec<String>) {
    let mut problems = Vec::new();
    let mut asked = None;
    if let Some(v) = get("scenario") {
        let setting = format!("scenario={}", brief(&v));
        match scenario_name(&v) {
            Ok(name) => asked = Some(AddressScript { source: Source::Scenario(name), setting }),
            Err(why) => problems.push(format!("{setting} ({why})")),
        }
    }
    if let Some(v) = get("script") {
        let setting = format!("script={}", brief(&v));
        if asked.is_some() {
            problems.push(format!("{setting} (not run: give scenario= or script=, not both)"));
        } else {
            match script_text(&v) {
                Ok(text) => asked = Some(AddressScript { source: Source::Inline(text), setting }),
                Err(why) => problems.push(format!("{setting} ({why})")),
            }
        }
    }
    (asked, problems)
}

/// A scenario's name as `scenario=` gives it (`split-vote`, or
/// `split-vote.txt`), checked against [`SCENARIOS`]: no other file, no path.
pub fn scenario_name(value: &str) -> Result<&'static str, String> {
    let v = value.trim();
    let name = v.strip_suffix(".txt").unwrap_or(v);
    SCENARIOS.iter().find(|s| **s == name).copied().ok_or_else(|| {
        "not a scenario of this page: use a file name from scenarios/, such as split-vote or figure-8".to_string()
    })
}

/// A script's text from `script=`: base64url (RFC 4648 §5: A–Z, a–z, 0–9,
/// `-` and `_`) of UTF-8 text, without padding (`=` at the end tolerated).
pub fn script_text(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("empty: give a script's text in base64url".into());
    }
    if v.len() / 4 * 3 > MAX_SCRIPT_BYTES {
        return Err("too long for a script (at most 1024 KB)".into());
    }
    let bytes = base64url(v)?;
    String::from_utf8(bytes).map_err(|_| "not a script: its bytes are not UTF-8 text".to_string())
}

/// Decodes base64url (without padding; up to two `=` at the end tolerated),
/// with the share links' decoder. The error says what is wrong and where.
pub fn base64url(text: &str) -> Result<Vec<u8>, String> {
    let body = text.strip_suffix("==").or_else(|| text.strip_suffix('=')).unwrap_or(text);
    crate::script::link::base64_decode(body).map_err(|e| match e {
        LinkError::BadCharacter { ch, position } => {
            let hint = if matches!(ch, '+' | '/' | ' ') {
                " (standard base64's + and / are written - and _ in base64url)"
            } else {
                ""
            };
            format!("not base64url: “{ch}” at character {}{hint}", position + 1)
        }
        _ => "not base64url: one character too many or too few at the end".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// base64url of `bytes` (the shell's `base64 | tr '+/' '-_' | tr -d '=\n'`), for the tests.
    fn encode(bytes: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut s = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
            for k in 0..=chunk.len() {
                s.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            }
        }
        s
    }

    #[test]
    fn base64url_decodes_rfc_4648_vectors_with_or_without_padding() {
        // RFC 4648 §10's test vectors (base64url equals base64 on them).
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in vectors {
            assert_eq!(base64url(coded).as_deref(), Ok(plain.as_bytes()), "{coded}");
            let padded = format!("{coded}{}", "=".repeat((4 - coded.len() % 4) % 4));
            assert_eq!(base64url(&padded).as_deref(), Ok(plain.as_bytes()), "{padded}");
            assert_eq!(encode(plain.as_bytes()), coded);
        }
        // The two characters that differ from standard base64: bytes 0xfb 0xff.
        assert_eq!(base64url("-_8"), Ok(vec![0xfb, 0xff]));
        assert_eq!(script_text("c2VydmVycyAz").as_deref(), Ok("servers 3"));
    }

    #[test]
    fn every_byte_round_trips_and_utf8_text_comes_back_whole() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64url(&encode(&all)), Ok(all));
        let text = "servers 3\nsay \"Élection — ok ✓ 🗳\"\n";
        assert_eq!(script_text(&encode(text.as_bytes())).as_deref(), Ok(text));
    }

    #[test]
    fn bad_base64url_is_refused_with_where_and_why() {
        let e = base64url("c2Vy!mVycyAz").unwrap_err();
        assert_eq!(e, "not base64url: “!” at character 5");
        // Standard base64's characters (a + arrives as a space from the address).
        for bad in ["ab+c", "ab/c", "ab c"] {
            let e = base64url(bad).unwrap_err();
            assert!(e.contains("at character 3") && e.contains("written - and _ in base64url"), "{e}");
        }
        assert!(base64url("Zm9vY").unwrap_err().contains("one character too many or too few"));
        assert!(base64url("Zg===").unwrap_err().contains("“=” at character 3"), "at most two = at the end");
        assert_eq!(script_text("  ").unwrap_err(), "empty: give a script's text in base64url");
        assert_eq!(
            script_text(&encode(&[0xff, 0xfe, b'a'])).unwrap_err(),
            "not a script: its bytes are not UTF-8 text"
        );
        let long = "A".repeat(MAX_SCRIPT_BYTES / 3 * 4 + 8);
        assert_eq!(script_text(&long).unwrap_err(), "too long for a script (at most 1024 KB)");
    }

    #[test]
    fn a_scenario_is_named_from_the_shipped_set_only() {
        assert_eq!(scenario_name("split-vote"), Ok("split-vote"));
        assert_eq!(scenario_name(" figure-8.txt "), Ok("figure-8"));
        for bad in [
            "",
            "Split-Vote",
            "split_vote",
            "../split-vote",
            "scenarios/split-vote",
            "split-vote.md",
            "/etc/passwd",
            "split-vote.txt.txt",
        ] {
            let e = scenario_name(bad).unwrap_err();
            assert!(e.starts_with("not a scenario of this page"), "{bad}: {e}");
        }
        assert_eq!(scenario_url("figure-8"), "scenarios/figure-8.txt");
    }

    #[test]
    fn the_list_of_scenarios_is_the_scenarios_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.unwrap().file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".txt").map(str::to_string))
            .collect();
        files.sort();
        let mut listed: Vec<&str> = SCENARIOS.to_vec();
        listed.sort();
        assert_eq!(files, listed);
    }

    #[test]
    fn the_address_asks_for_one_script_and_names_what_it_does_not_run() {
        let get = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(address_script(get(&[("seed", "3")])), (None, vec![]));
        let (asked, problems) = address_script(get(&[("scenario", "split-vote")]));
        assert_eq!(
            asked,
            Some(AddressScript { source: Source::Scenario("split-vote"), setting: "scenario=split-vote".into() })
        );
        assert!(problems.is_empty());
        let (asked, problems) = address_script(get(&[("script", "c2VydmVycyAz")]));
        assert_eq!(asked.map(|a| a.source), Some(Source::Inline("servers 3".into())));
        assert!(problems.is_empty());
        let (asked, problems) = address_script(get(&[("scenario", "split-vote"), ("script", "c2VydmVycyAz")]));
        assert_eq!(asked.map(|a| a.source), Some(Source::Scenario("split-vote")));
        assert_eq!(problems, ["script=c2VydmVycyAz (not run: give scenario= or script=, not both)"]);
        let (asked, problems) = address_script(get(&[("scenario", "../../secret"), ("script", "%%%")]));
        assert_eq!(asked, None);
        assert_eq!(
            problems,
            [
                "scenario=../../secret (not a scenario of this page: use a file name from scenarios/, such as split-vote or figure-8)",
                "script=%%% (not base64url: “%” at character 1)",
            ]
        );
    }
}
