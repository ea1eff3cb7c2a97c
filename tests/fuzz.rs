//! Fuzzing the two decoders a visitor can feed: the script parser and the link
//! decoder. Neither may panic on any input, and whatever they accept must run
//! within bounds.
//!
//! - Scripts: 100,000 inputs (`FUZZ_CASES=n` changes it), from a fixed seed:
//!   random bytes, random lines of the format's own words (keywords, servers,
//!   numbers huge and odd, arrows, quotes, units, unicode), and mutations of
//!   the corpus (`scenarios/*.txt` and the format's reference lines): byte
//!   flips, lines cut, duplicated, swapped or dropped, random words inserted,
//!   numbers made huge, unicode inserted. Every error must point inside the
//!   text. One accepted script in 40 (up to 400) also runs, with its virtual
//!   time bounded to 3 seconds.
//! - Links: 100,000 strings: random base64url and random text, valid links
//!   with characters flipped, dropped, inserted, swapped, cut or appended, and
//!   valid links whose inner bytes were mutated and then sealed again with a
//!   correct checksum (to reach the field checks). Every accepted link must be
//!   within the bounds and re-encode to itself; some replay for 2 seconds.

use raft_playground::script::{export, link, parse, run_with, split_trace, Options, Recording, MAX_TIME_MS};
use raft_playground::sim::{Cluster, Config, Links, Rng};
use std::path::PathBuf;

fn cases() -> usize {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

fn below(rng: &mut Rng, n: usize) -> usize {
    if n == 0 {
        0
    } else {
        rng.range(0, n as u64 - 1) as usize
    }
}

/// The corpus, each file as its lines (the script part only: trace sections are comments).
fn corpus() -> Vec<Vec<String>> {
    corpus_texts().iter().map(|t| split_trace(t).0.lines().map(str::to_string).collect()).collect()
}

fn corpus_texts() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    files.sort();
    files.push(REFERENCE.to_string());
    // An exported run, with every kind of setting and action line.
    let mut c = Cluster::new(Config { seed: 5, drop_rate: 0.0123, ..Config::default() }).unwrap();
    c.advance(400);
    let _ =
        c.apply(raft_playground::sim::Action::Write { command: raft_playground::sim::Command::set("x", -4), to: None });
    c.advance(20);
    if let Some(id) = c.messages().first().map(|m| m.id) {
        let _ = c.apply(raft_playground::sim::Action::DuplicateMessage { id });
    }
    let _ = c
        .apply(raft_playground::sim::Action::Partition { groups: vec![vec![raft_playground::sim::NodeId(1)], vec![]] });
    let _ = c.apply(raft_playground::sim::Action::SetDropRate { rate: 0.33 });
    c.advance(100);
    files.push(export(&Recording::of(&c)));
    files
}

const REFERENCE: &str = r#"# a comment
servers 5
seed 42
election 150-300
heartbeat 50
latency 10-30
loss 5%
links reorder
client timeout 500ms
client give up 10s
switch fast_backup on
transfer_timeout_heartbeats 4
max_entries_per_append 3
at 1.5s crash S1
+200ms write x=3
restart S1
disconnect S2
reconnect S2
timeout S3
transfer S2
heal
partition S1 S2 | S3 S4 S5
add server
remove S6
write x=3 to S2
submit y=-7 to S3
drop next AppendEntries S1->S2 within 1s
duplicate next Heartbeat S2->S3
drop message 17 ClientRequest client->S2
set loss 10%
set latency 10-30
set election 150-300
set heartbeat 50
set links in order
wait 500ms
wait until leader in S3 S4 S5 within 2s
wait until committed x=3 on majority within 2s
expect leader S3
expect no leader
expect term S1 3
expect role S2 candidate
expect log S2 1:1 2:1
expect same log on S1 S2
expect committed index 3 on all
expect matched index 2 on majority
expect applied x=3 on S1 S2 S3
expect not stored x=3 on S4
expect acknowledged x=3
expect no violation
expect violation "Leader Completeness"
expect event "became leader" at least 2 times
expect no event "removed"
say "S1 has crashed: the followers stop hearing heartbeats"
at 10s
"#;

const WORDS: &[&str] = &[
    "servers",
    "seed",
    "election",
    "heartbeat",
    "latency",
    "loss",
    "client",
    "timeout",
    "give",
    "up",
    "switch",
    "fast_backup",
    "leader_noop",
    "unsafe_commit_old_terms",
    "transfer_timeout_heartbeats",
    "pre_vote",
    "check_quorum",
    "exactly_once",
    "read_mode",
    "read_index",
    "lease",
    "max_entries_per_append",
    "unsafe_stale_reads",
    "unsafe_ack_before_commit",
    "unsafe_forget_vote_on_restart",
    "read",
    "from",
    "x=none",
    "PreVote",
    "ClientRead",
    "links",
    "reorder",
    "order",
    "on",
    "off",
    "at",
    "+",
    "crash",
    "add",
    "server",
    "remove",
    "restart",
    "disconnect",
    "reconnect",
    "transfer",
    "to",
    "heal",
    "partition",
    "|",
    "write",
    "submit",
    "drop",
    "duplicate",
    "next",
    "message",
    "set",
    "wait",
    "until",
    "within",
    "expect",
    "say",
    "leader",
    "in",
    "no",
    "not",
    "term",
    "role",
    "follower",
    "candidate",
    "crashed",
    "running",
    "committed",
    "matched",
    "index",
    "applied",
    "stored",
    "log",
    "same",
    "acknowledged",
    "violation",
    "event",
    "at least",
    "times",
    "all",
    "majority",
    "empty",
    "S0",
    "S1",
    "S2",
    "S5",
    "S9",
    "S10",
    "s3",
    "S99999999999999999999",
    "client",
    "->",
    "→",
    "AppendEntries",
    "heartbeat",
    "TimeoutNow",
    "x=3",
    "x=",
    "=3",
    "x=-9223372036854775808",
    "x=9223372036854775808",
    "ключ=1",
    "1:1",
    "2:",
    ":3",
    "0",
    "1",
    "42",
    "150-300",
    "300-150",
    "1-2s",
    "5%",
    "100%",
    "101%",
    "0.5",
    "7.",
    ".5",
    "1.5s",
    "1.0005s",
    "2min",
    "3h",
    "500ms",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999",
    "\"",
    "\"quoted\"",
    "\"unterminated",
    "\\\"",
    "#",
    "# comment",
    "\t",
    "\r",
    "",
    " ",
    "✓",
    "𝄞",
    "\u{0}",
    "\u{feff}",
    "é",
    "-",
    "--",
    "Leader Completeness",
    "\"Leader Completeness\"",
];

/// One random or mutated script.
fn script_case(rng: &mut Rng, corpus: &[Vec<String>]) -> String {
    match rng.range(0, 9) {
        0 => {
            let len = below(rng, 200);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        1 | 2 => {
            let lines = 1 + below(rng, 6);
            (0..lines)
                .map(|_| (0..1 + below(rng, 8)).map(|_| WORDS[below(rng, WORDS.len())]).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        }
        _ => {
            let all = &corpus[below(rng, corpus.len())];
            // A window of lines (the settings at the top sometimes kept), so each case stays small.
            let start = below(rng, all.len());
            let len = 1 + below(rng, 30);
            let mut lines: Vec<String> = if rng.chance(0.3) { all.iter().take(6).cloned().collect() } else { vec![] };
            lines.extend(all.iter().skip(start).take(len).cloned());
            for _ in 0..1 + below(rng, 4) {
                mutate_lines(rng, &mut lines);
            }
            lines.join("\n")
        }
    }
}

fn mutate_lines(rng: &mut Rng, lines: &mut Vec<String>) {
    if lines.is_empty() {
        lines.push(String::new());
    }
    let i = below(rng, lines.len());
    match rng.range(0, 7) {
        0 => {
            // Flip a byte.
            let mut bytes = lines[i].clone().into_bytes();
            if !bytes.is_empty() {
                let j = below(rng, bytes.len());
                bytes[j] ^= 1 << rng.range(0, 7);
            }
            lines[i] = String::from_utf8_lossy(&bytes).into_owned();
        }
        1 => {
            // Cut a line short.
            let chars: Vec<char> = lines[i].chars().collect();
            lines[i] = chars[..below(rng, chars.len() + 1)].iter().collect();
        }
        2 => {
            let copy = lines[i].clone();
            lines.insert(below(rng, lines.len() + 1), copy);
        }
        3 => {
            let j = below(rng, lines.len());
            lines.swap(i, j);
        }
        4 => {
            lines.remove(i);
        }
        5 => {
            // Insert a word at a character boundary.
            let chars: Vec<char> = lines[i].chars().collect();
            let at = below(rng, chars.len() + 1);
            let word = WORDS[below(rng, WORDS.len())];
            lines[i] =
                format!("{}{word}{}", chars[..at].iter().collect::<String>(), chars[at..].iter().collect::<String>());
        }
        6 => {
            // Make a number huge.
            let huge = ["99999999999999999999999", "18446744073709551615", "7200001", "4294967296", "0"];
            let h = huge[below(rng, huge.len())];
            let mut out = String::new();
            let mut done = false;
            for c in lines[i].chars() {
                if c.is_ascii_digit() && !done {
                    out.push_str(h);
                    done = true;
                } else {
                    out.push(c);
                }
            }
            lines[i] = out;
        }
        _ => {
            let unicode = ["→", "✓", "𝄞", "ß", "\u{200b}", "Ｓ１", "٣"];
            lines[i].push_str(unicode[below(rng, unicode.len())]);
        }
    }
}

#[test]
fn the_parser_never_panics_and_what_it_accepts_runs_within_bounds() {
    let corpus = corpus();
    let mut rng = Rng::new(0xF022_5C21);
    let (mut ok, mut err, mut ran) = (0usize, 0usize, 0usize);
    let options = Options { max_time_ms: 3_000, stop_at_first_failure: false };
    let started = std::time::Instant::now();
    let mut run_time = std::time::Duration::ZERO;
    for case in 0..cases() {
        let text = script_case(&mut rng, &corpus);
        match parse(&text) {
            Ok(script) => {
                ok += 1;
                if ok % 40 == 0 && ran < 400 {
                    ran += 1;
                    let t = std::time::Instant::now();
                    let report = run_with(&script, &options).expect("a parsed script's config is valid");
                    run_time += t.elapsed();
                    assert!(report.cluster.now() <= 3_000, "case {case}: ran to {}\n{text}", report.cluster.now());
                    let lines = text.split('\n').count();
                    assert!(report.outcomes.iter().all(|o| (1..=lines).contains(&o.line)), "case {case}");
                }
            }
            Err(e) => {
                err += 1;
                let line = text.split('\n').nth(e.line.wrapping_sub(1));
                let line =
                    line.unwrap_or_else(|| panic!("case {case}: error on line {} past the end: {e}\n{text:?}", e.line));
                let width = line.chars().count() + 1;
                assert!((1..=width).contains(&e.column), "case {case}: column {} of {width}: {e}\n{line:?}", e.column);
                assert!(!e.message.is_empty());
            }
        }
    }
    println!(
        "scripts: {} cases in {:.1} s ({:.1} s of it running {ran}), {ok} parsed, {err} refused",
        cases(),
        started.elapsed().as_secs_f64(),
        run_time.as_secs_f64()
    );
    assert!(ok > cases() / 10 && err > cases() / 10, "both paths are exercised: {ok} parsed, {err} refused");
    assert!(ran >= 100.min(cases() / 400), "{ran} runs");
}

// ----- links ------------------------------------------------------------------------------

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The bytes of a base64url text (the test's own decoder, to get at a link's payload).
fn unbase64(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        bits = bits << 6 | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

/// A link's payload: its bytes without version, length and checksum.
fn payload(link_text: &str) -> Vec<u8> {
    let bytes = unbase64(link_text);
    let mut i = 1;
    while bytes[i] & 0x80 != 0 {
        i += 1;
    }
    bytes[i + 1..bytes.len() - 4].to_vec()
}

fn valid_links() -> Vec<String> {
    let mut out = vec![link::seal(&[5, 1, 150, 1, 172, 2, 50, 10, 30, 0, 0, 244, 3, 144, 78, 0, 0, 0, 0])];
    for seed in 1..=6u64 {
        let links = if seed % 2 == 0 { Links::Reorder } else { Links::InOrder };
        let mut c = Cluster::new(Config { seed, nodes: 3 + seed as usize, links, ..Config::default() }).unwrap();
        let mut rng = Rng::new(seed);
        for t in (100..6_000).step_by(150) {
            c.advance_to(t);
            let a = match rng.range(0, 6) {
                5 => raft_playground::sim::Action::SetLinks {
                    links: if rng.chance(0.5) { Links::Reorder } else { Links::InOrder },
                },
                0 => raft_playground::sim::Action::Write {
                    command: raft_playground::sim::Command::set(["x", "y"][below(&mut rng, 2)], t as i64),
                    to: None,
                },
                1 => raft_playground::sim::Action::Crash {
                    node: raft_playground::sim::NodeId(1 + below(&mut rng, 3) as u8),
                },
                2 => raft_playground::sim::Action::Restart {
                    node: raft_playground::sim::NodeId(1 + below(&mut rng, 3) as u8),
                },
                3 => raft_playground::sim::Action::SetDropRate { rate: rng.unit() * 0.1 },
                _ => match c.messages().first().map(|m| m.id) {
                    Some(id) => raft_playground::sim::Action::DropMessage { id },
                    None => raft_playground::sim::Action::Heal,
                },
            };
            let _ = c.apply(a);
        }
        out.push(link::encode(&Recording::of(&c)).unwrap());
    }
    out
}

fn link_case(rng: &mut Rng, valid: &[(String, Vec<u8>)]) -> String {
    let (base, base_payload) = &valid[below(rng, valid.len())];
    let mut chars: Vec<char> = base.chars().collect();
    let random_char = |rng: &mut Rng| ALPHABET[below(rng, 64)] as char;
    match rng.range(0, 9) {
        0 => (0..below(rng, 300)).map(|_| random_char(rng)).collect(),
        1 => {
            let bytes: Vec<u8> = (0..below(rng, 100)).map(|_| rng.next_u64() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        2 => {
            for _ in 0..1 + below(rng, 3) {
                let i = below(rng, chars.len());
                chars[i] = random_char(rng);
            }
            chars.into_iter().collect()
        }
        3 => {
            chars.truncate(below(rng, chars.len()));
            chars.into_iter().collect()
        }
        4 => {
            let extra: String = (0..1 + below(rng, 12)).map(|_| random_char(rng)).collect();
            chars.into_iter().collect::<String>() + &extra
        }
        5 => {
            let i = below(rng, chars.len());
            if rng.chance(0.5) {
                chars.remove(i);
            } else {
                chars.insert(i, random_char(rng));
            }
            chars.into_iter().collect()
        }
        6 => {
            let (i, j) = (below(rng, chars.len()), below(rng, chars.len()));
            chars.swap(i, j);
            chars.into_iter().collect()
        }
        _ => {
            // A tampered payload under a correct checksum: the field checks must hold.
            let mut p = base_payload.clone();
            for _ in 0..1 + below(rng, 4) {
                let i = below(rng, p.len() + 1);
                match rng.range(0, 4) {
                    0 if i < p.len() => p[i] ^= 1 << rng.range(0, 7),
                    1 if i < p.len() => p[i] = [0x00, 0x7f, 0x80, 0xff, 0x09, 0x0a][below(rng, 6)],
                    2 => p.truncate(i),
                    3 => {
                        let big = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
                        let n = 1 + below(rng, big.len());
                        p.splice(i..i, big[..n].iter().copied());
                    }
                    _ => p.insert(i, rng.next_u64() as u8),
                }
            }
            link::seal(&p)
        }
    }
}

#[test]
fn the_link_decoder_never_panics_and_what_it_accepts_is_bounded() {
    let valid: Vec<(String, Vec<u8>)> = valid_links()
        .into_iter()
        .map(|v| {
            link::decode(&v).expect("the valid links decode");
            let p = payload(&v);
            (v, p)
        })
        .collect();
    let started = std::time::Instant::now();
    let mut replay_time = std::time::Duration::ZERO;
    let mut rng = Rng::new(0x11CC_5EED);
    let (mut ok, mut err, mut replayed) = (0usize, 0usize, 0usize);
    let mut kinds = std::collections::BTreeMap::new();
    for case in 0..cases() {
        let text = link_case(&mut rng, &valid);
        match link::decode(&text) {
            Ok(rec) => {
                ok += 1;
                assert!(rec.history.len() <= link::MAX_ACTIONS, "case {case}");
                assert!(rec.moment <= MAX_TIME_MS && rec.history.iter().all(|(t, _)| *t <= MAX_TIME_MS), "case {case}");
                assert!(rec.history.windows(2).all(|w| w[0].0 <= w[1].0), "case {case}");
                assert!(rec.config.validate().is_ok(), "case {case}");
                let again = link::encode(&rec).unwrap_or_else(|e| panic!("case {case}: {e}"));
                assert_eq!(link::decode(&again).as_ref(), Ok(&rec), "case {case}");
                if replayed < 200 {
                    replayed += 1;
                    // Bounded: two virtual seconds at most (actions refused on the way are fine).
                    let t = std::time::Instant::now();
                    let _ = Cluster::replay(rec.config.clone(), &rec.history, rec.moment.min(2_000));
                    replay_time += t.elapsed();
                }
            }
            Err(e) => {
                err += 1;
                assert!(!e.to_string().is_empty());
                *kinds.entry(format!("{e:?}").split(['(', ' ', '{']).next().unwrap_or("").to_string()).or_insert(0) +=
                    1;
            }
        }
    }
    println!(
        "links: {} cases in {:.1} s ({:.1} s of it replaying {replayed}), {ok} decoded, {err} refused: {kinds:?}",
        cases(),
        started.elapsed().as_secs_f64(),
        replay_time.as_secs_f64()
    );
    for kind in ["BadChecksum", "Truncated", "BadValue", "BadCharacter", "BadEnding", "TrailingData", "BadVersion"] {
        assert!(kinds.contains_key(kind) || cases() < 10_000, "no case gave {kind}: {kinds:?}");
    }
}
