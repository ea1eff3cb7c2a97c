//! Links that reproduce a run: a [`Recording`] (config, seed, switches, every
//! action with its time, the moment shown, the trace hash) packed into a short
//! string that is safe in a URL fragment.
//!
//! The string is base64url (no padding) of:
//!
//! ```text
//! version (1 byte, now 4) · payload length (varint) · payload · checksum (4 bytes)
//! ```
//!
//! The checksum is FNV-1a (32 bits, little-endian) of everything before it.
//! The payload holds, as LEB128 varints unless said otherwise:
//!
//! - the config: servers (1 byte), seed, election low and high, heartbeat,
//!   latency low and high, loss (see below), links (0 in order, 1 reorder),
//!   client timeout, client give-up, the number of switches then each
//!   switch's value in [`SWITCHES`] order (a flag 0 or 1, a count, a limit as
//!   0 for none or the limit, a choice by its position);
//! - the number of actions, then each action: the time since the previous
//!   action, a tag byte (`kind × 10 + a server number or 0`) and the kind's
//!   fields (keys are written once and then referred to by number; values are
//!   zigzag varints; message ids, ranges and durations are varints);
//! - the moment, then 0, or 1 and the trace hash (8 bytes, little-endian).
//!
//! A loss rate that is a whole number of hundredths of a percent is written as
//! twice that number; any other rate as 1 followed by the 8 bytes of the f64.
//!
//! Old links keep working, and replay as they were recorded; the encoder
//! writes version 4 only.
//!
//! - Version 1 (before the links setting and the options of issue 9) has no
//!   links field and is read as in order; it holds the first five switches.
//! - Version 2 added the links field and `set links` (tag 16) and holds the
//!   first six switches (`max_entries_per_append` the sixth).
//! - Version 3 added reads (tag 17) and option changes (tag 18: the option's
//!   position in [`SWITCHES`], then its value) and holds every switch.
//!   With the feature `membership`, it also holds membership changes: tag 19
//!   adds a server, tag 20 removes the server of its number. An action may
//!   name a server added before it; a build without the feature refuses both
//!   tags, as any build refuses a tag it does not know.
//! - Version 4 is version 3 made by an engine whose trace tells more (a
//!   follower's term change, `TermAdopted`; both logs in a vote refused for
//!   its log): the same run has another trace hash. The hash a link of
//!   versions 1 to 3 names is that of the older trace, so such a link opens
//!   without it (as a link made without a hash does); the run is the same.
//!
//! A switch added later is appended to [`SWITCHES`], so a link with fewer
//! switches gives the missing ones their defaults, except `exactly_once`:
//! links of versions 1 and 2 were recorded when a retried write could be
//! applied twice, so they open with it off.
//!
//! A 10-minute run with 100 actions takes about 1,000 characters. Decoding
//! checks everything, never panics, and refuses anything a page should not
//! run: more than [`MAX_ACTIONS`] actions, times past [`MAX_TIME_MS`], and
//! every value the engine would refuse (`Config::validate` and the same checks
//! as the actions themselves).

use super::{Recording, MAX_TIME_MS};
use crate::quote::QuotedChar;
use crate::raft::NodeId;
use crate::sim::{check_key, Action, Command, Config, Links, Switch, SwitchValue, SWITCHES};
use std::fmt;

/// The format version written in the first byte.
pub const VERSION: u8 = 4;

/// The oldest version still read.
pub const OLDEST_VERSION: u8 = 1;

/// How many switches links of versions 1 and 2 hold (those after them came
/// with the next version).
const OLD_SWITCHES: [usize; 2] = [5, 6];

/// How many switches every build has: those after them come with a Cargo
/// feature (`snapshot_threshold` with `compaction`), and a link holds them
/// only when it sets one of them.
#[cfg_attr(not(feature = "compaction"), allow(dead_code))]
const EVERY_BUILDS_SWITCHES: usize = 13;

/// The most actions a link may hold.
pub const MAX_ACTIONS: usize = 50_000;

/// The longest link text decoded (characters).
pub const MAX_LINK_CHARS: usize = 1 << 20;

/// Why a link cannot be read (or a run cannot be made into one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// The text is empty.
    Empty,
    /// The text is longer than [`MAX_LINK_CHARS`].
    TooLong(usize),
    /// A character that base64url does not use.
    BadCharacter {
        /// The character.
        ch: char,
        /// Its position (from 0).
        position: usize,
    },
    /// A length or a last character no encoder writes.
    BadEnding,
    /// The first byte is not a version this code reads.
    BadVersion(u8),
    /// The link ends too early.
    Truncated {
        /// What was being read.
        field: String,
    },
    /// Bytes after the end.
    TrailingData(usize),
    /// The checksum does not match: the link was changed.
    BadChecksum,
    /// A value that no run can have.
    BadValue {
        /// Which field.
        field: String,
        /// What is wrong with it.
        why: String,
    },
    /// A run that cannot become a link (too long, too many actions).
    Unencodable(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "the link holds no run"),
            LinkError::TooLong(n) => write!(f, "the link is too long ({n} characters; at most {MAX_LINK_CHARS})"),
            LinkError::BadCharacter { ch, position } => {
                write!(f, "the link has a character it cannot hold ({} at position {position})", QuotedChar(*ch))
            }
            LinkError::BadEnding => write!(f, "the link is cut or changed: its last characters are not valid"),
            LinkError::BadVersion(v) => write!(
                f,
                "bad version: the link is of format {v}, this playground reads formats {OLDEST_VERSION} to {VERSION} (it was changed, or made by a newer version)"
            ),
            LinkError::Truncated { field } => write!(f, "the link is truncated: it ends inside {field}"),
            LinkError::TrailingData(n) => write!(f, "the link has {n} bytes more than it says: it was changed"),
            LinkError::BadChecksum => write!(f, "bad checksum: the link was changed or cut"),
            LinkError::BadValue { field, why } => write!(f, "bad value at {field}: {why}"),
            LinkError::Unencodable(why) => write!(f, "this run cannot be shared as a link: {why}"),
        }
    }
}

impl std::error::Error for LinkError {}

// ----- base64url ------------------------------------------------------------------------

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The value of each base64url character, 255 for the others.
const SEXTET: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Decodes base64url without padding (the address's `script=` reads its
/// text with it too: one decoder on the page). A bad character, or an end
/// no encoder writes, is an error saying so.
pub(crate) fn base64_decode(text: &str) -> Result<Vec<u8>, LinkError> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        // Still name a bad character first, if there is one.
        check_characters(text)?;
        return Err(LinkError::BadEnding);
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            let v = SEXTET[b as usize];
            if v == 255 {
                return Err(check_characters(text).err().unwrap_or(LinkError::BadEnding));
            }
            n |= (v as u32) << (18 - 6 * i);
        }
        let whole = chunk.len() - 1;
        // Bits below the last whole byte must be zero, as the encoder leaves them.
        if n & ((1 << (24 - 8 * whole)) - 1) != 0 {
            return Err(LinkError::BadEnding);
        }
        out.extend((0..whole).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Ok(out)
}

/// The first character base64url does not use, as an error.
fn check_characters(text: &str) -> Result<(), LinkError> {
    match text.chars().enumerate().find(|&(_, c)| !c.is_ascii() || SEXTET[c as usize] == 255) {
        Some((position, ch)) => Err(LinkError::BadCharacter { ch, position }),
        None => Ok(()),
    }
}

fn fnv32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, &b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}

// ----- writing --------------------------------------------------------------------------

#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
    keys: Vec<String>,
}

impl Writer {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }

    fn rate(&mut self, rate: f64) {
        let k = (rate * 10_000.0).round();
        if (0.0..=10_000.0).contains(&k) && k / 10_000.0 == rate {
            self.varint(2 * k as u64);
        } else {
            self.varint(1);
            self.bytes.extend_from_slice(&rate.to_bits().to_le_bytes());
        }
    }

    fn links(&mut self, links: Links) {
        self.varint(match links {
            Links::InOrder => 0,
            Links::Reorder => 1,
        });
    }

    fn key(&mut self, key: &str) {
        match self.keys.iter().position(|k| k == key) {
            Some(i) => self.varint(i as u64 + 1),
            None => {
                self.varint(0);
                self.varint(key.len() as u64);
                self.bytes.extend_from_slice(key.as_bytes());
                self.keys.push(key.to_string());
            }
        }
    }

    fn value(&mut self, v: i64) {
        self.varint(((v << 1) ^ (v >> 63)) as u64);
    }

    /// A write: its key and value, or a no-op as a new key of no bytes.
    fn command(&mut self, c: &Command) {
        match c {
            Command::Set { key, value } => {
                self.key(key);
                self.value(*value);
            }
            Command::Noop => {
                self.varint(0);
                self.varint(0);
            }
            // Never in an action: `Cluster::apply` refuses a configuration entry as a write.
            #[cfg(feature = "membership")]
            Command::Config { .. } => {
                self.varint(0);
                self.varint(0);
            }
        }
    }

    fn config(&mut self, c: &Config) {
        self.byte(c.nodes.min(255) as u8);
        self.varint(c.seed);
        self.varint(c.election_timeout_ms.0);
        self.varint(c.election_timeout_ms.1);
        self.varint(c.heartbeat_ms);
        self.varint(c.latency_ms.0);
        self.varint(c.latency_ms.1);
        self.rate(c.drop_rate);
        self.links(c.links);
        self.varint(c.client_timeout_ms);
        self.varint(c.client_give_up_ms);
        // The switches of a Cargo feature (after every build's) only when one
        // of them is not at its default: a link that does not use them opens
        // in a build without them (the page).
        #[cfg(feature = "compaction")]
        let count = {
            let defaults = crate::raft::Settings::default();
            let extra = SWITCHES[EVERY_BUILDS_SWITCHES..].iter().any(|s| s.get(&c.raft) != s.get(&defaults));
            if extra {
                SWITCHES.len()
            } else {
                EVERY_BUILDS_SWITCHES
            }
        };
        #[cfg(not(feature = "compaction"))]
        let count = SWITCHES.len();
        self.varint(count as u64);
        for s in &SWITCHES[..count] {
            self.switch_value(s, &s.get(&c.raft));
        }
    }

    /// An option's value: a flag as 0 or 1, a count as itself, a limit as 0
    /// for none or the limit, a choice by its position.
    fn switch_value(&mut self, s: &Switch, value: &SwitchValue) {
        match value {
            SwitchValue::Flag(b) => self.varint(*b as u64),
            SwitchValue::Count(n) => self.varint(*n),
            SwitchValue::Choice(c) => {
                // A choice the option does not have cannot be set: the read-back check refuses it.
                let i = s.choices().iter().position(|x| x.eq_ignore_ascii_case(c)).unwrap_or(s.choices().len());
                self.varint(i as u64)
            }
        }
    }

    fn action(&mut self, a: &Action) {
        // A server number that is not 1 to 9 is written as 0, which the decoder refuses.
        let tag = |kind: u8, small: u8| kind * 10 + if small <= 9 { small } else { 0 };
        match a {
            Action::Crash { node } => self.byte(tag(0, node.0)),
            Action::Restart { node } => self.byte(tag(1, node.0)),
            Action::Disconnect { node } => self.byte(tag(2, node.0)),
            Action::Reconnect { node } => self.byte(tag(3, node.0)),
            Action::Timeout { node } => self.byte(tag(4, node.0)),
            Action::TransferLeadership { to } => self.byte(tag(5, to.0)),
            Action::Partition { groups } => {
                self.byte(tag(6, 0));
                self.varint(groups.len() as u64);
                for g in groups {
                    self.varint(g.len() as u64);
                    for n in g {
                        self.byte(n.0);
                    }
                }
            }
            Action::Heal => self.byte(tag(7, 0)),
            Action::Write { command, to } => {
                self.byte(tag(8, to.map_or(0, |n| n.0)));
                self.command(command);
            }
            Action::Submit { node, command } => {
                self.byte(tag(9, node.0));
                self.command(command);
            }
            Action::DropMessage { id } => {
                self.byte(tag(10, 0));
                self.varint(*id);
            }
            Action::DuplicateMessage { id } => {
                self.byte(tag(11, 0));
                self.varint(*id);
            }
            Action::SetLatency { lo, hi } => {
                self.byte(tag(12, 0));
                self.varint(*lo);
                self.varint(*hi);
            }
            Action::SetDropRate { rate } => {
                self.byte(tag(13, 0));
                self.rate(*rate);
            }
            Action::SetElectionTimeout { lo, hi } => {
                self.byte(tag(14, 0));
                self.varint(*lo);
                self.varint(*hi);
            }
            Action::SetHeartbeat { ms } => {
                self.byte(tag(15, 0));
                self.varint(*ms);
            }
            Action::SetLinks { links } => {
                self.byte(tag(16, 0));
                self.links(*links);
            }
            Action::Read { key, to } => {
                self.byte(tag(17, to.map_or(0, |n| n.0)));
                self.key(key);
            }
            Action::SetOption { name, value } => {
                self.byte(tag(18, 0));
                match SWITCHES.iter().position(|s| s.name == name) {
                    Some(i) => {
                        self.varint(i as u64);
                        self.switch_value(&SWITCHES[i], value);
                    }
                    // No such option: an index the decoder refuses.
                    None => self.varint(SWITCHES.len() as u64),
                }
            }
            // Kinds 19 and 20: a page built without membership changes
            // refuses such a link when opened, rather than misread it.
            #[cfg(feature = "membership")]
            Action::AddServer => self.byte(tag(19, 0)),
            #[cfg(feature = "membership")]
            Action::RemoveServer { node } => self.byte(tag(20, node.0)),
        }
    }
}

/// Packs a recording into a link. Refuses a run the decoder would refuse
/// (more than [`MAX_ACTIONS`] actions, a time past [`MAX_TIME_MS`], values the
/// engine refuses): what is encoded always decodes to an equal recording.
pub fn encode(rec: &Recording) -> Result<String, LinkError> {
    if rec.history.len() > MAX_ACTIONS {
        return Err(LinkError::Unencodable(format!(
            "it has {} actions, and a link holds at most {MAX_ACTIONS}",
            rec.history.len()
        )));
    }
    let last = rec.history.iter().map(|(t, _)| *t).max().unwrap_or(0).max(rec.moment);
    if last > MAX_TIME_MS {
        return Err(LinkError::Unencodable(format!(
            "it runs to {} virtual seconds, and a link holds at most {}",
            last / 1_000,
            MAX_TIME_MS / 1_000
        )));
    }
    if rec.history.windows(2).any(|w| w[1].0 < w[0].0) {
        return Err(LinkError::Unencodable("its actions are not in time order".into()));
    }
    let mut w = Writer::default();
    w.config(&rec.config);
    w.varint(rec.history.len() as u64);
    let mut prev = 0;
    for (t, a) in &rec.history {
        w.varint(t.saturating_sub(prev));
        prev = *t;
        w.action(a);
    }
    w.varint(rec.moment);
    match rec.trace_hash {
        Some(h) => {
            w.byte(1);
            w.bytes.extend_from_slice(&h.to_le_bytes());
        }
        None => w.byte(0),
    }
    let text = seal(&w.bytes);
    // The decoder is the judge of what a valid run is.
    match decode(&text) {
        Ok(back) if back == *rec => Ok(text),
        Ok(_) => Err(LinkError::Unencodable("it does not read back the same".into())),
        Err(e) => Err(LinkError::Unencodable(e.to_string())),
    }
}

/// Wraps a payload as a link: version, length, payload, checksum, in base64url.
/// (Public for the fuzz tests, which seal tampered payloads to reach the field checks.)
#[doc(hidden)]
pub fn seal(payload: &[u8]) -> String {
    seal_version(VERSION, payload)
}

/// [`seal`] with another version byte (for the tests of older formats).
#[doc(hidden)]
pub fn seal_version(version: u8, payload: &[u8]) -> String {
    let mut w = Writer::default();
    w.byte(version);
    w.varint(payload.len() as u64);
    w.bytes.extend_from_slice(payload);
    let sum = fnv32(&w.bytes);
    w.bytes.extend_from_slice(&sum.to_le_bytes());
    base64_encode(&w.bytes)
}

// ----- reading --------------------------------------------------------------------------

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    keys: Vec<String>,
    /// The link's format version.
    version: u8,
}

/// One copy for every caller (a generic `impl Into<String>` pair was copied for each mix of argument types).
fn bad(field: &str, why: String) -> LinkError {
    LinkError::BadValue { field: field.to_string(), why }
}

impl Reader<'_> {
    fn byte(&mut self, field: &str) -> Result<u8, LinkError> {
        let b = *self.bytes.get(self.pos).ok_or_else(|| LinkError::Truncated { field: field.to_string() })?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self, field: &str) -> Result<u64, LinkError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte(field)?;
            let part = (b & 0x7f) as u64;
            if shift == 63 && part > 1 {
                break;
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(bad(field, "a number larger than 64 bits".into()))
    }

    fn take(&mut self, n: u64, field: &str) -> Result<&[u8], LinkError> {
        let end = usize::try_from(n).ok().and_then(|n| self.pos.checked_add(n));
        match end {
            Some(end) if end <= self.bytes.len() => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            _ => Err(LinkError::Truncated { field: field.to_string() }),
        }
    }

    fn time(&mut self, field: &str) -> Result<u64, LinkError> {
        let t = self.varint(field)?;
        if t > MAX_TIME_MS {
            return Err(bad(field, format!("{t} ms is past the limit of {MAX_TIME_MS} ms")));
        }
        Ok(t)
    }

    fn rate(&mut self, field: &str) -> Result<f64, LinkError> {
        let v = self.varint(field)?;
        let rate = if v == 1 {
            let raw = self.take(8, field)?;
            let mut b = [0u8; 8];
            b.copy_from_slice(raw);
            f64::from_le_bytes(b)
        } else if v % 2 == 0 && v <= 20_000 {
            (v / 2) as f64 / 10_000.0
        } else {
            return Err(bad(field, format!("{v} is not a loss rate")));
        };
        if !(0.0..=1.0).contains(&rate) {
            // `js_text`, not `{rate}`: the page decodes links, and f64 Display brings 23 KB of float formatting into it.
            return Err(bad(field, format!("{} is not a probability from 0 to 1", crate::decimal::js_text(rate))));
        }
        Ok(rate)
    }

    fn links(&mut self, field: &str) -> Result<Links, LinkError> {
        match self.varint(field)? {
            0 => Ok(Links::InOrder),
            1 => Ok(Links::Reorder),
            v => Err(bad(field, format!("{v} is neither in order (0) nor reorder (1)"))),
        }
    }

    /// An option's value as [`Writer::switch_value`] packs it.
    fn switch_value(&mut self, s: &Switch, field: &str) -> Result<SwitchValue, LinkError> {
        let v = self.varint(field)?;
        if s.is_flag() {
            match v {
                0 | 1 => Ok(SwitchValue::Flag(v == 1)),
                _ => Err(bad(field, format!("{v} is neither on (1) nor off (0)"))),
            }
        } else if s.is_limit() {
            Ok(if v == 0 { SwitchValue::Flag(false) } else { SwitchValue::Count(v) })
        } else if let Some(c) = s.choices().get(v as usize) {
            Ok(SwitchValue::Choice(c.to_string()))
        } else if !s.choices().is_empty() {
            Err(bad(field, format!("{v} is not one of its {} choices", s.choices().len())))
        } else if v > s.max() {
            Err(bad(field, format!("{v} is too large")))
        } else {
            Ok(SwitchValue::Count(v))
        }
    }

    fn config(&mut self) -> Result<Config, LinkError> {
        let mut c = Config { nodes: self.byte("the number of servers")? as usize, ..Config::default() };
        c.seed = self.varint("the seed")?;
        c.election_timeout_ms = (self.time("the election timeout")?, self.time("the election timeout")?);
        c.heartbeat_ms = self.time("the heartbeat")?;
        c.latency_ms = (self.time("the latency")?, self.time("the latency")?);
        c.drop_rate = self.rate("the loss rate")?;
        // Version 1 had no links setting: its runs were in order.
        if self.version >= 2 {
            c.links = self.links("the links")?;
        }
        c.client_timeout_ms = self.time("the client time-out")?;
        c.client_give_up_ms = self.time("the client give-up time")?;
        let count = self.varint("the number of switches")?;
        let known = OLD_SWITCHES.get(self.version as usize - 1).copied().unwrap_or(SWITCHES.len());
        if count > known as u64 {
            return Err(bad(
                "the number of switches",
                format!("{count} switches, but links of format {} hold at most {known}", self.version),
            ));
        }
        for s in &SWITCHES[..count as usize] {
            let field = format!("switch {}", s.name);
            let value = self.switch_value(s, &field)?;
            s.set(&mut c.raft, &value).map_err(|e| bad(&field, e))?;
        }
        if self.version < 3 {
            // What the engine did before exactly-once writes existed.
            c.raft.exactly_once = false;
        }
        c.validate().map_err(|e| bad("the config", e.to_string()))?;
        Ok(c)
    }

    fn node(&self, n: u8, cfg: &Config, field: &str) -> Result<NodeId, LinkError> {
        if n == 0 || n as usize > cfg.nodes {
            return Err(bad(field, format!("there is no server S{n} in a cluster of {}", cfg.nodes)));
        }
        Ok(NodeId(n))
    }

    /// A write as [`Writer::command`] packs it.
    fn command(&mut self, field: &str) -> Result<Command, LinkError> {
        match self.key(field)? {
            Some(key) => Ok(Command::Set { key: key.into(), value: self.value(field)? }),
            None => Ok(Command::Noop),
        }
    }

    /// A key as [`Writer::key`] packs it: `None` for a new key of no bytes
    /// (how a no-op is written).
    fn key(&mut self, field: &str) -> Result<Option<String>, LinkError> {
        let k = self.varint(field)?;
        if k > 0 {
            return match self.keys.get(k as usize - 1) {
                Some(key) => Ok(Some(key.clone())),
                None => Err(bad(field, format!("no key number {k}"))),
            };
        }
        match self.varint(field)? {
            0 => Ok(None),
            len => self.new_key(len, field).map(Some),
        }
    }

    fn new_key(&mut self, len: u64, field: &str) -> Result<String, LinkError> {
        if len > 64 {
            return Err(bad(field, format!("a key of {len} bytes")));
        }
        let raw = self.take(len, field)?;
        let key = std::str::from_utf8(raw).map_err(|_| bad(field, "a key that is not text".into()))?.to_string();
        check_key(&key).map_err(|e| bad(field, e.to_string()))?;
        self.keys.push(key.clone());
        Ok(key)
    }

    fn value(&mut self, field: &str) -> Result<i64, LinkError> {
        let z = self.varint(field)?;
        Ok((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    /// A change of two times (`pair`) or of one, which must leave `cfg` valid.
    fn range(
        &mut self,
        field: &str,
        cfg: &Config,
        pair: bool,
        set: fn(&mut Config, (u64, u64)),
    ) -> Result<(u64, u64), LinkError> {
        let lo = self.time(field)?;
        let r = (lo, if pair { self.time(field)? } else { lo });
        let mut c = cfg.clone();
        set(&mut c, r);
        c.validate().map_err(|e| bad(field, e.to_string()))?;
        Ok(r)
    }

    fn action(&mut self, i: usize, cfg: &Config) -> Result<Action, LinkError> {
        let field = format!("action {}", i + 1);
        let tag = self.byte(&field)?;
        let (kind, small) = (tag / 10, tag % 10);
        let node = |r: &Self| r.node(small, cfg, &field);
        // The actions that name no server: their tag's last digit must be 0 (one check for all).
        let what = match kind {
            6 => "partition",
            7 => "heal",
            10 | 11 => "message action",
            12 => "latency change",
            13 => "loss change",
            14 => "election timeout change",
            15 => "heartbeat change",
            16 if self.version >= 2 => "links change",
            18 if self.version >= 3 => "option change",
            #[cfg(feature = "membership")]
            19 => "server added",
            _ => "",
        };
        if small != 0 && !what.is_empty() {
            return Err(bad(&field, format!("tag {tag} is not a {what}")));
        }
        let a = match kind {
            0..=5 => Action::on_server(kind, node(self)?),
            6 => {
                let count = self.varint(&field)?;
                if count > 16 {
                    return Err(bad(&field, format!("a partition into {count} groups")));
                }
                let mut seen = [false; 10];
                let mut groups = Vec::new();
                for _ in 0..count {
                    let len = self.varint(&field)?;
                    if len > cfg.nodes as u64 {
                        return Err(bad(&field, format!("a group of {len} servers")));
                    }
                    let mut g = Vec::new();
                    for _ in 0..len {
                        let b = self.byte(&field)?;
                        let n = self.node(b, cfg, &field)?;
                        if std::mem::replace(&mut seen[n.0 as usize], true) {
                            return Err(bad(&field, format!("{n} is in two groups")));
                        }
                        g.push(n);
                    }
                    groups.push(g);
                }
                Action::Partition { groups }
            }
            7 => Action::Heal,
            8 => {
                let to = if small == 0 { None } else { Some(node(self)?) };
                Action::Write { command: self.command(&field)?, to }
            }
            9 => {
                let node = node(self)?;
                Action::Submit { node, command: self.command(&field)? }
            }
            10 | 11 => {
                let id = self.varint(&field)?;
                if kind == 10 {
                    Action::DropMessage { id }
                } else {
                    Action::DuplicateMessage { id }
                }
            }
            12 => {
                let (lo, hi) = self.range(&field, cfg, true, |c, r| c.latency_ms = r)?;
                Action::SetLatency { lo, hi }
            }
            13 => Action::SetDropRate { rate: self.rate(&field)? },
            14 => {
                let (lo, hi) = self.range(&field, cfg, true, |c, r| c.election_timeout_ms = r)?;
                Action::SetElectionTimeout { lo, hi }
            }
            15 => Action::SetHeartbeat { ms: self.range(&field, cfg, false, |c, r| c.heartbeat_ms = r.0)?.0 },
            16 if self.version >= 2 => Action::SetLinks { links: self.links(&field)? },
            17 if self.version >= 3 => {
                let to = if small == 0 { None } else { Some(node(self)?) };
                let key = self.key(&field)?.ok_or_else(|| bad(&field, "a read of no key".into()))?;
                Action::Read { key, to }
            }
            18 if self.version >= 3 => {
                let i = self.varint(&field)?;
                let s = SWITCHES.get(i as usize).ok_or_else(|| bad(&field, format!("no option number {i}")))?;
                let value = self.switch_value(s, &field)?;
                s.set(&mut cfg.raft.clone(), &value).map_err(|e| bad(&field, e))?;
                Action::SetOption { name: s.name.to_string(), value }
            }
            #[cfg(feature = "membership")]
            19 if cfg.nodes >= crate::sim::MAX_SERVERS => {
                return Err(bad(&field, crate::sim::SimError::TooManyServers.to_string()))
            }
            #[cfg(feature = "membership")]
            19 => Action::AddServer,
            #[cfg(feature = "membership")]
            20 => Action::RemoveServer { node: node(self)? },
            _ => return Err(bad(&field, format!("{tag} is not an action this playground knows"))),
        };
        Ok(a)
    }
}

/// Reads a link back into the recording it was made from. Every error says
/// what is wrong; no input makes it panic or ask for unbounded work.
pub fn decode(text: &str) -> Result<Recording, LinkError> {
    let text = text.trim();
    if text.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong(text.chars().count()));
    }
    if text.is_empty() {
        return Err(LinkError::Empty);
    }
    let bytes = base64_decode(text)?;
    let mut r = Reader { bytes: &bytes, pos: 0, keys: Vec::new(), version: VERSION };
    let version = r.byte("the version")?;
    if !(OLDEST_VERSION..=VERSION).contains(&version) {
        return Err(LinkError::BadVersion(version));
    }
    let len = r.varint("the length")?;
    let start = r.pos;
    let have = (bytes.len() - start) as u64;
    let need = len.saturating_add(4);
    if have < need {
        return Err(LinkError::Truncated { field: format!("the run ({} of {need} bytes)", have) });
    }
    if have > need {
        return Err(LinkError::TrailingData((have - need) as usize));
    }
    let end = start + len as usize;
    let mut sum = [0u8; 4];
    sum.copy_from_slice(&bytes[end..]);
    if fnv32(&bytes[..end]) != u32::from_le_bytes(sum) {
        return Err(LinkError::BadChecksum);
    }
    let mut r = Reader { bytes: &bytes[start..end], pos: 0, keys: Vec::new(), version };
    let config = r.config()?;
    let count = r.varint("the number of actions")?;
    if count > MAX_ACTIONS as u64 {
        return Err(bad("the number of actions", format!("{count}, more than the {MAX_ACTIONS} a link may hold")));
    }
    let mut history = Vec::with_capacity(count as usize);
    // The servers an action may name: the first ones and those added before it.
    #[cfg(feature = "membership")]
    let mut servers = config.clone();
    let mut t: u64 = 0;
    for i in 0..count as usize {
        let field = format!("the time of action {}", i + 1);
        t = t
            .checked_add(r.varint(&field)?)
            .filter(|&t| t <= MAX_TIME_MS)
            .ok_or_else(|| bad(&field, format!("past the limit of {} virtual seconds", MAX_TIME_MS / 1_000)))?;
        #[cfg(feature = "membership")]
        let action = r.action(i, &servers)?;
        #[cfg(not(feature = "membership"))]
        let action = r.action(i, &config)?;
        #[cfg(feature = "membership")]
        if action == Action::AddServer {
            servers.nodes += 1;
        }
        history.push((t, action));
    }
    let moment = r.time("the moment")?;
    let trace_hash = match r.byte("the trace hash")? {
        0 => None,
        1 => {
            let raw = r.take(8, "the trace hash")?;
            let mut b = [0u8; 8];
            b.copy_from_slice(raw);
            Some(u64::from_le_bytes(b))
        }
        x => return Err(bad("the trace hash", format!("marker {x}"))),
    };
    // (Of the trace before version 4's events: see the module's notes.)
    let trace_hash = trace_hash.filter(|_| r.version >= 4);
    if r.pos != r.bytes.len() {
        return Err(LinkError::TrailingData(r.bytes.len() - r.pos));
    }
    Ok(Recording { config, history, moment, trace_hash })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64_encode(&bytes);
            assert!(text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
            assert_eq!(base64_decode(&text), Ok(bytes));
        }
        assert_eq!(base64_encode(b"\xfb\xff"), "-_8");
        assert_eq!(base64_decode("A"), Err(LinkError::BadEnding));
        assert_eq!(base64_decode("AB"), Err(LinkError::BadEnding), "stray bits");
        assert_eq!(base64_decode("A=").unwrap_err(), LinkError::BadCharacter { ch: '=', position: 1 });
    }

    /// A link of version 3 names the hash of the trace before version 4's
    /// events (the followers' `TermAdopted`): it opens without it, the run
    /// the same; the same payload as version 4 keeps its hash.
    #[test]
    fn a_version_3_link_opens_without_its_trace_hash() {
        let history = vec![(100, Action::Crash { node: NodeId(1) }), (900, Action::Restart { node: NodeId(1) })];
        let rec =
            Recording { config: Config::default(), history, moment: 1_500, trace_hash: Some(0x0123_4567_89ab_cdef) };
        let bytes = base64_decode(&encode(&rec).unwrap()).unwrap();
        assert_eq!(bytes[0], VERSION);
        // Version, length (one byte: under 128), payload, checksum.
        assert!(bytes[1] < 128 && bytes.len() == bytes[1] as usize + 6);
        let payload = &bytes[2..bytes.len() - 4];
        assert_eq!(decode(&seal_version(4, payload)), Ok(rec.clone()));
        assert_eq!(decode(&seal_version(3, payload)), Ok(Recording { trace_hash: None, ..rec }));
    }

    #[test]
    fn varints_and_zigzag_cover_64_bits() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX - 1, u64::MAX] {
            let mut w = Writer::default();
            w.varint(v);
            let mut r = Reader { bytes: &w.bytes, pos: 0, keys: vec![], version: VERSION };
            assert_eq!(r.varint("x"), Ok(v));
        }
        for v in [0i64, 1, -1, 63, -64, i64::MAX, i64::MIN] {
            let mut w = Writer::default();
            w.value(v);
            let mut r = Reader { bytes: &w.bytes, pos: 0, keys: vec![], version: VERSION };
            assert_eq!(r.value("x"), Ok(v));
        }
        // Eleven bytes of continuation: too large, and no panic.
        let mut r = Reader { bytes: &[0xff; 11], pos: 0, keys: vec![], version: VERSION };
        assert!(matches!(r.varint("x"), Err(LinkError::BadValue { .. })));
    }
    /// The switches of a Cargo feature come after every build's, and a link
    /// holds them only when it sets one: a run without log compaction makes
    /// the same link with or without the feature (the page opens it).
    #[test]
    fn a_link_holds_the_feature_switches_only_when_it_sets_one() {
        assert_eq!(SWITCHES.len(), EVERY_BUILDS_SWITCHES + cfg!(feature = "compaction") as usize);
        assert!(SWITCHES[..EVERY_BUILDS_SWITCHES].iter().all(|s| s.name != "snapshot_threshold"));
        // The config's bytes end with the switch count and one byte per switch (all small here).
        let config = |c: &Config| {
            let mut w = Writer::default();
            w.config(c);
            w.bytes
        };
        let plain = config(&Config::default());
        assert_eq!(plain[plain.len() - 1 - EVERY_BUILDS_SWITCHES] as usize, EVERY_BUILDS_SWITCHES);
        #[cfg(feature = "compaction")]
        {
            let mut c = Config::default();
            c.raft.snapshot_threshold = std::num::NonZeroU64::new(20);
            let with = config(&c);
            assert_eq!(with[with.len() - 1 - SWITCHES.len()] as usize, SWITCHES.len());
            assert_eq!(with.last(), Some(&20));
            let rec = Recording { config: c.clone(), history: vec![], moment: 0, trace_hash: None };
            assert_eq!(decode(&encode(&rec).unwrap()).unwrap().config, c);
        }
    }
}
