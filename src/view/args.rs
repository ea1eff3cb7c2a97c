//! What the page accepts from outside, checked without a browser: the
//! address's settings (`?seed=&servers=&speed=&paused=`), and the JavaScript
//! API's arguments ([`Arg`]) and options ([`MountOptions`], [`ResetOptions`]).
//! Every refusal is a sentence that says what was expected and echoes, briefly,
//! what was given; the browser glue (`src/api`) only turns JavaScript values
//! into [`Arg`]s and these sentences into `Error`s.

use super::events::EVENTS_PER_CALL;
use super::model::{StartOptions, Tab, MAX_SEED, MAX_SPEED, MIN_SPEED, SERVERS};
use crate::decimal;
use crate::quote::Quoted;
use crate::sim::{check_key, Action, Command, Config, NodeId};
use std::fmt::Write as _;

/// The largest whole number a JavaScript number holds exactly (2^53 - 1): the
/// limit of the values a client writes and of message ids.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The longest time, in virtual ms, that one call may run or set (an hour).
pub const MAX_MS: u64 = 3_600_000;

/// At most this many characters of a caller's value are echoed in an error.
const ECHO_MAX: usize = 24;

/// A value a JavaScript caller passed, as far as the checks need to know it.
#[derive(Clone, PartialEq, Debug)]
pub enum Arg {
    /// `undefined` (an argument left out).
    Undefined,
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (NaN and the infinities included).
    Number(f64),
    /// A string.
    Str(String),
    /// An array, with its elements (the glue reads two levels deep, enough for
    /// partition groups; deeper arrays arrive empty).
    Array(Vec<Arg>),
    /// Anything else, by its `typeof` ("object", "function"...).
    Other(String),
}

impl Arg {
    /// Whether it is `undefined` or `null` (an optional argument left out).
    pub fn is_nullish(&self) -> bool {
        matches!(self, Arg::Undefined | Arg::Null)
    }
}

/// A caller's text as an error message echoes it: cut short when long.
pub fn brief(text: &str) -> String {
    if text.chars().count() > ECHO_MAX {
        format!("{}…", text.chars().take(ECHO_MAX - 1).collect::<String>())
    } else {
        text.to_string()
    }
}

/// A number as JavaScript writes it ("1e+300", "Infinity", "NaN", "0.5"), cut short when long.
pub fn number_text(n: f64) -> String {
    brief(&decimal::js_text(n))
}

/// A caller's value as an error message shows it (briefly): "the number 12",
/// "the string \"x\"", "nothing (undefined)".
pub fn show(v: &Arg) -> String {
    match v {
        Arg::Undefined => "nothing (undefined)".into(),
        Arg::Null => "null".into(),
        Arg::Str(s) => format!("the string {}", Quoted(&brief(s))),
        Arg::Number(n) => format!("the number {}", number_text(*n)),
        Arg::Bool(b) => format!("{b}"),
        Arg::Array(_) => "an array".into(),
        Arg::Other(t) => format!("a value of type {t}"),
    }
}

/// A whole number from `min` to `max`, called `name` in the error.
pub fn whole(name: &str, v: &Arg, min: u64, max: u64) -> Result<u64, String> {
    let Arg::Number(f) = *v else {
        return Err(format!("{name} must be a number, got {}", show(v)));
    };
    if !f.is_finite() || f.fract() != 0.0 || f < min as f64 || f > max as f64 {
        return Err(format!("{name} must be a whole number from {min} to {max}, got {}", show(v)));
    }
    Ok(f as u64)
}

/// A speed: virtual ms per real ms, from 0.001 to 1.
pub fn speed(v: &Arg) -> Result<f64, String> {
    match *v {
        Arg::Number(f) if (MIN_SPEED..=MAX_SPEED).contains(&f) => Ok(f),
        _ => Err(format!("speed must be a number from 0.001 (1000 times slower) to 1 (real time), got {}", show(v))),
    }
}

/// A server of a cluster of `n`, parsed strictly: a whole number like 3, or a
/// name like "S3" (or "s3"; spaces around it are ignored). Nothing else: not
/// "3", "+3", "S-3".
pub fn server(v: &Arg, n: usize) -> Result<NodeId, String> {
    let expected = || format!("expected a server: a number from 1 to {n} or a name like \"S{n}\", got {}", show(v));
    let missing = |what: String| format!("there is no server {what} (this cluster has S1 to S{n})");
    let k: u64 = match v {
        Arg::Number(f) => {
            let f = *f;
            if !f.is_finite() || f.fract() != 0.0 {
                return Err(expected());
            }
            if !(0.0..=1e9).contains(&f) {
                return Err(missing(number_text(f)));
            }
            f as u64
        }
        Arg::Str(s) => {
            let t = s.trim();
            let digits = t.strip_prefix(['S', 's']).ok_or_else(expected)?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(expected());
            }
            match digits.parse::<u64>() {
                Ok(k) if k <= 1_000_000_000 => k,
                _ => return Err(missing(brief(t))),
            }
        }
        _ => return Err(expected()),
    };
    if k < 1 || k > n as u64 {
        return Err(missing(format!("S{k}")));
    }
    Ok(NodeId::from_index(k as usize - 1))
}

/// A server, or `None` when left out (`undefined` or `null`).
pub fn optional_server(v: &Arg, n: usize) -> Result<Option<NodeId>, String> {
    if v.is_nullish() {
        Ok(None)
    } else {
        server(v, n).map(Some)
    }
}

/// Partition groups: an array of arrays of servers, `[[1, 2], ["S3", "S4", "S5"]]`.
/// (Whether they make a partition is the engine's to say.)
pub fn groups(v: &Arg, n: usize) -> Result<Vec<Vec<NodeId>>, String> {
    let Arg::Array(gs) = v else {
        return Err(format!("expected an array of groups such as [[1, 2], [3, 4, 5]], got {}", show(v)));
    };
    // Loops, not two nested `collect`s into `Result`s: no iterator adapters to copy.
    let mut groups = Vec::with_capacity(gs.len());
    for g in gs {
        let Arg::Array(members) = g else {
            return Err(format!("each group must be an array of servers, got {}", show(g)));
        };
        let mut group = Vec::with_capacity(members.len());
        for s in members {
            group.push(server(s, n)?);
        }
        groups.push(group);
    }
    Ok(groups)
}

/// A client write `key ← value`, sent first to `to` when given.
pub fn write(key: &Arg, value: &Arg, to: &Arg, n: usize) -> Result<Action, String> {
    let Arg::Str(key) = key else {
        return Err(format!("the key must be a string such as \"x\", got {}", show(key)));
    };
    let Arg::Number(v) = *value else {
        return Err(format!("the value must be a number, got {}", show(value)));
    };
    if !v.is_finite() || v.fract() != 0.0 || v.abs() > MAX_SAFE_INTEGER as f64 {
        return Err(format!("the value must be a whole number (at most 2^53 - 1 in size), got {}", show(value)));
    }
    let to = optional_server(to, n)?;
    check_key(key)
        .map_err(|_| format!("the key {} is not valid: use 1 to 16 letters, digits or _", Quoted(&brief(key))))?;
    Ok(Action::Write { command: Command::set(key, v as i64), to })
}

/// `read(key, server)`'s arguments: a key as a write takes it, and the
/// server to ask first (optional).
pub fn read(key: &Arg, to: &Arg, n: usize) -> Result<Action, String> {
    let Arg::Str(key) = key else {
        return Err(format!("the key must be a string such as \"x\", got {}", show(key)));
    };
    let to = optional_server(to, n)?;
    check_key(key)
        .map_err(|_| format!("the key {} is not valid: use 1 to 16 letters, digits or _", Quoted(&brief(key))))?;
    Ok(Action::Read { key: key.clone(), to })
}

/// The value a visitor typed in a write box, checked as strictly as the key:
/// a whole number written in digits (an optional minus sign, spaces around it
/// ignored), at most 2^53 - 1 in size, the same values the JavaScript API
/// takes. Nothing else is read as a number: not "", "1e3", "1.0", "+3", "0x10".
pub fn value_text(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("type a value: a whole number such as 3".to_string());
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "the value must be a whole number written in digits, such as 3 or -12, not {}",
            Quoted(&brief(t))
        ));
    }
    match digits.parse::<u64>() {
        Ok(v) if v <= MAX_SAFE_INTEGER => Ok(if t.starts_with('-') { -(v as i64) } else { v as i64 }),
        _ => {
            Err(format!("the value {} is too large: at most {MAX_SAFE_INTEGER} (2^53 - 1) in size", Quoted(&brief(t))))
        }
    }
}

/// The arguments of `events(from, count)`: the index of the first event (0,
/// the run's first, when left out) and how many at most (0 to
/// [`EVENTS_PER_CALL`], that many when left out).
pub fn event_range(from: &Arg, count: &Arg) -> Result<(usize, usize), String> {
    let from = if from.is_nullish() { 0 } else { whole("from", from, 0, MAX_SAFE_INTEGER)? };
    let count = if count.is_nullish() { EVENTS_PER_CALL } else { whole("count", count, 0, EVENTS_PER_CALL)? };
    // Past what this machine's memory could hold is past the last event anyway.
    Ok((usize::try_from(from).unwrap_or(usize::MAX), count as usize))
}

/// A share of messages lost, from 0 to 1.
pub fn loss_rate(v: &Arg) -> Result<f64, String> {
    match *v {
        Arg::Number(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("the loss rate must be a number from 0 to 1, got {}", show(v))),
    }
}

/// A panel by its id ("logs", "lessons", "client", "events", "diagram", "state", "network", "setup", "legend").
pub fn panel(v: &Arg) -> Result<Tab, String> {
    match v {
        Arg::Str(s) => Tab::from_id(s),
        _ => None,
    }
    .ok_or_else(|| {
        let ids =
            Tab::ALL.iter().fold(String::new(), |s, t| if s.is_empty() { t.id().into() } else { s + ", " + t.id() });
        format!("expected one of {ids}; got {}", show(v))
    })
}

/// The options of `mountPlayground(element, options)`: `{ servers: 3..9,
/// seed: number, paused: bool, speed: 0.001..1 }` (and `snapshotThreshold`,
/// 0 for off, with log compaction), each optional; any other key is refused
/// by name.
#[allow(missing_docs)]
#[derive(Default, Debug)]
pub struct MountOptions {
    pub servers: Option<Arg>,
    pub seed: Option<Arg>,
    pub paused: Option<Arg>,
    pub speed: Option<Arg>,
    #[cfg(feature = "compaction")]
    pub snapshot_threshold: Option<Arg>,
}

impl MountOptions {
    /// How the run starts.
    pub fn start_options(&self) -> Result<StartOptions, String> {
        let mut o = StartOptions::default();
        if let Some(v) = &self.servers {
            o.servers = cluster_size(v)?;
        }
        if let Some(v) = &self.seed {
            o.seed = Some(whole("seed", v, 0, MAX_SEED)?);
        }
        if let Some(v) = &self.paused {
            let Arg::Bool(paused) = *v else { return Err(format!("paused must be true or false, got {}", show(v))) };
            o.playing = !paused;
        }
        if let Some(v) = &self.speed {
            o.speed = speed(v)?;
        }
        #[cfg(feature = "compaction")]
        {
            o.snapshot_threshold = self.snapshot_threshold.as_ref().map_or(Ok(0), threshold_value)?;
        }
        Ok(o)
    }
}

/// The options of `reset(options)`: `{ servers: 3..9, seed: number }` (and
/// `snapshotThreshold`, 0 for off, with log compaction), each optional (left
/// out: the current run's size and threshold, a fresh seed); any other key
/// is refused by name.
#[allow(missing_docs)]
#[derive(Default, Debug)]
pub struct ResetOptions {
    pub servers: Option<Arg>,
    pub seed: Option<Arg>,
    #[cfg(feature = "compaction")]
    pub snapshot_threshold: Option<Arg>,
}

impl ResetOptions {
    /// The size (`servers_now` when not given) and the seed (`None`: a fresh one) of the new run.
    pub fn size_and_seed(&self, servers_now: usize) -> Result<(usize, Option<u64>), String> {
        let servers = self.servers.as_ref().map_or(Ok(servers_now), cluster_size)?;
        let seed = self.seed.as_ref().map(|v| whole("seed", v, 0, MAX_SEED)).transpose()?;
        Ok((servers, seed))
    }

    /// The new run's snapshot threshold (log compaction): `now`'s (the
    /// current run's) when not given, as the size is; 0 for off.
    #[cfg(feature = "compaction")]
    pub fn snapshot_threshold(&self, now: u64) -> Result<u64, String> {
        self.snapshot_threshold.as_ref().map_or(Ok(now), threshold_value)
    }
}

/// `snapshotThreshold`: a whole number, 0 for no log compaction.
#[cfg(feature = "compaction")]
fn threshold_value(v: &Arg) -> Result<u64, String> {
    whole("snapshotThreshold", v, 0, super::setup::MAX_SNAPSHOT_THRESHOLD)
}

/// A cluster size the page offers.
fn cluster_size(v: &Arg) -> Result<usize, String> {
    whole("servers", v, *SERVERS.start() as u64, *SERVERS.end() as u64).map(|k| k as usize)
}

/// An options object the JavaScript API takes ([`MountOptions`],
/// [`ResetOptions`]): its keys, and where each one's value goes.
pub trait Options: Default {
    /// The keys it knows, in the order error messages list them.
    const FIELDS: &'static [&'static str];
    /// Where the value of key `FIELDS[k]` goes.
    fn slot(&mut self, k: usize) -> &mut Option<Arg>;
}

impl Options for MountOptions {
    #[cfg(not(feature = "compaction"))]
    const FIELDS: &'static [&'static str] = &["servers", "seed", "paused", "speed"];
    #[cfg(feature = "compaction")]
    const FIELDS: &'static [&'static str] = &["servers", "seed", "paused", "speed", "snapshotThreshold"];
    fn slot(&mut self, k: usize) -> &mut Option<Arg> {
        match k {
            0 => &mut self.servers,
            1 => &mut self.seed,
            2 => &mut self.paused,
            #[cfg(feature = "compaction")]
            4 => &mut self.snapshot_threshold,
            _ => &mut self.speed,
        }
    }
}

impl Options for ResetOptions {
    #[cfg(not(feature = "compaction"))]
    const FIELDS: &'static [&'static str] = &["servers", "seed"];
    #[cfg(feature = "compaction")]
    const FIELDS: &'static [&'static str] = &["servers", "seed", "snapshotThreshold"];
    fn slot(&mut self, k: usize) -> &mut Option<Arg> {
        match k {
            0 => &mut self.servers,
            #[cfg(feature = "compaction")]
            2 => &mut self.snapshot_threshold,
            _ => &mut self.seed,
        }
    }
}

/// Reads an options object, given as its own keys and values, into `T`
/// (`MountOptions`, `ResetOptions`): a key `T` does not know is refused by
/// name ("unknown field `server`, expected one of `servers`, `seed`, ...";
/// every one of them when there are several). A value `undefined` or `null`
/// is the option left out; an array's items and an object's type are not
/// kept (an error says "an array", "a value of type object").
pub fn read_options<T: Options>(entries: Vec<(String, Arg)>) -> Result<T, String> {
    let mut options = T::default();
    read_into(entries, T::FIELDS, &mut |k, v| *options.slot(k) = v)?;
    Ok(options)
}

/// [`read_options`]'s work, once for every options type: the keys checked
/// against `fields`, then each known value handed to `set` with its field's position.
fn read_into(
    entries: Vec<(String, Arg)>,
    fields: &[&str],
    set: &mut dyn FnMut(usize, Option<Arg>),
) -> Result<(), String> {
    // "`a`, `b`, `c`"
    let quote = |names: &[&str]| {
        let mut s = String::new();
        for n in names {
            let _ = write!(s, "{}`{n}`", if s.is_empty() { "" } else { ", " });
        }
        s
    };
    let unknown: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).filter(|k| !fields.contains(k)).collect();
    match unknown[..] {
        [] => {}
        [one] => {
            let expected = match fields {
                [a] => format!("`{a}`"),
                [a, b] => format!("`{a}` or `{b}`"),
                all => format!("one of {}", quote(all)),
            };
            return Err(format!("unknown field `{one}`, expected {expected}"));
        }
        [ref rest @ .., last] => {
            return Err(format!("unknown fields {} and `{last}`, expected one of {}", quote(rest), quote(fields)));
        }
    }
    for (key, value) in entries {
        let Some(k) = fields.iter().position(|f| *f == key) else { continue };
        set(
            k,
            match value {
                Arg::Undefined | Arg::Null => None,
                Arg::Array(_) => Some(Arg::Array(Vec::new())),
                Arg::Other(_) => Some(Arg::Other("object".into())),
                v => Some(v),
            },
        );
    }
    Ok(())
}

/// How the address asks the page to start.
#[derive(Clone, PartialEq, Debug)]
pub struct AddressOptions {
    /// The start options, with the address's valid settings.
    pub start: StartOptions,
    /// The settings ignored, each with what it should be ("servers=12 (use 3 to 9)").
    pub problems: Vec<String>,
    /// Whether the address says whether to start paused (`paused=`).
    pub paused_given: bool,
}

/// The run's settings as the address writes them (`?seed=7&servers=3`):
/// read back by [`address_options`], they start the same run.
pub fn address_settings(start: &Config) -> [(&'static str, String); 2] {
    [("seed", start.seed.to_string()), ("servers", start.nodes.to_string())]
}

/// The address's setting for log compaction (`snapshot=20`), when the run
/// compacts its logs: [`address_options`] reads it back.
#[cfg(feature = "compaction")]
pub fn address_snapshot(start: &Config) -> Option<String> {
    start.raft.snapshot_threshold.map(|n| n.to_string())
}

/// Reads `?servers=&seed=&speed=&paused=` (and `snapshot=` with log
/// compaction) through `get` (a query parameter's value).
pub fn address_options(get: impl Fn(&str) -> Option<String>) -> AddressOptions {
    let mut start = StartOptions::default();
    let mut problems = Vec::new();
    if let Some(s) = get("servers") {
        match crate::decimal::whole(s.trim()) {
            Some(n) if SERVERS.contains(&n) => start.servers = n,
            _ => problems.push(format!("servers={} (use 3 to 9)", brief(&s))),
        }
    }
    if let Some(s) = get("seed") {
        match s.trim().parse::<u64>() {
            Ok(v) if v <= MAX_SEED => start.seed = Some(v),
            _ => problems.push(format!("seed={} (use a whole number from 0 to {MAX_SEED})", brief(&s))),
        }
    }
    if let Some(s) = get("speed") {
        match decimal::parse(s.trim()) {
            Some(v) if (MIN_SPEED..=MAX_SPEED).contains(&v) => start.speed = v,
            _ => problems.push(format!("speed={} (use 0.001 to 1)", brief(&s))),
        }
    }
    #[cfg(feature = "compaction")]
    if let Some(s) = get("snapshot") {
        use super::setup::MAX_SNAPSHOT_THRESHOLD;
        match s.trim().parse::<u64>() {
            Ok(v) if v <= MAX_SNAPSHOT_THRESHOLD => start.snapshot_threshold = v,
            _ => problems.push(format!(
                "snapshot={} (use a whole number from 0, no log compaction, to {MAX_SNAPSHOT_THRESHOLD})",
                brief(&s)
            )),
        }
    }
    // Without the Script panel there is nothing to run them with (with it,
    // the panel, www/script-panel.js, reads, checks and runs them).
    #[cfg(not(feature = "script-panel"))]
    for key in ["scenario", "script"] {
        if let Some(s) = get(key) {
            problems.push(format!(
                "{key}={} (not available in this build of the page: it has no Script panel to run scenarios with)",
                brief(&s)
            ));
        }
    }
    // Anything but these is named, and the start is as if it were left out.
    let paused = get("paused").and_then(|s| match s.trim() {
        "" | "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => {
            problems.push(format!("paused={} (use 1 to start paused, 0 to play)", brief(&s)));
            None
        }
    });
    if let Some(p) = paused {
        start.playing = !p;
    }
    AddressOptions { start, problems, paused_given: paused.is_some() }
}

#[cfg(all(test, not(feature = "script-panel")))]
mod tests {
    use super::address_options;

    #[test]
    fn without_the_script_panel_scenario_and_script_are_named_as_not_available() {
        let a = address_options(|k| match k {
            "scenario" => Some("split-vote".into()),
            "script" => Some("c2VydmVycyAz".into()),
            "seed" => Some("4".into()),
            _ => None,
        });
        assert_eq!(a.start.seed, Some(4), "the rest applies");
        let why = "not available in this build of the page: it has no Script panel to run scenarios with";
        assert_eq!(a.problems, [format!("scenario=split-vote ({why})"), format!("script=c2VydmVycyAz ({why})")]);
    }
}
