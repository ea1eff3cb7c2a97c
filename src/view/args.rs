//! What the page accepts from outside, checked without a browser: the
//! address's settings (`?seed=&servers=&speed=&paused=`), and the JavaScript
//! API's arguments ([`Arg`]) and options ([`MountOptions`], [`ResetOptions`]).
//! Every refusal is a sentence that says what was expected and echoes, briefly,
//! what was given; the browser glue (`src/api`) only turns JavaScript values
//! into [`Arg`]s and these sentences into `Error`s.

use super::events::EVENTS_PER_CALL;
use super::model::{StartOptions, Tab, MAX_SEED, MAX_SPEED, MIN_SPEED, SERVERS};
use crate::sim::{check_key, Action, Command, Config, NodeId};
use serde::de::value::SeqDeserializer;
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

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
    let text = if n.is_nan() {
        "NaN".to_string()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if n == 0.0 {
        "0".to_string()
    } else if n.abs() >= 1e21 || n.abs() < 1e-6 {
        exponent_form(n)
    } else {
        format!("{n}")
    };
    brief(&text)
}

/// `n` (at least 1e21, or under 1e-6) in JavaScript's exponent form: "1e+300",
/// "-1.5e-7". Worked out from the shortest decimal digits Rust writes.
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

/// A caller's value as an error message shows it (briefly): "the number 12",
/// "the string \"x\"", "nothing (undefined)".
pub fn show(v: &Arg) -> String {
    match v {
        Arg::Undefined => "nothing (undefined)".into(),
        Arg::Null => "null".into(),
        Arg::Str(s) => format!("the string {:?}", brief(s)),
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
    gs.iter()
        .map(|g| match g {
            Arg::Array(members) => members.iter().map(|s| server(s, n)).collect(),
            _ => Err(format!("each group must be an array of servers, got {}", show(g))),
        })
        .collect()
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
    check_key(key).map_err(|_| format!("the key {:?} is not valid: use 1 to 16 letters, digits or _", brief(key)))?;
    Ok(Action::Write { command: Command::set(key, v as i64), to })
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
            "the value must be a whole number written in digits, such as 3 or -12, not {:?}",
            brief(t)
        ));
    }
    match digits.parse::<u64>() {
        Ok(v) if v <= MAX_SAFE_INTEGER => Ok(if t.starts_with('-') { -(v as i64) } else { v as i64 }),
        _ => Err(format!("the value {:?} is too large: at most {MAX_SAFE_INTEGER} (2^53 - 1) in size", brief(t))),
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

/// A panel by its id ("logs", "client", "events", "state", "network", "setup", "legend").
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
/// seed: number, paused: bool, speed: 0.001..1 }`, each optional; any other
/// key is refused by name.
#[allow(missing_docs)]
#[derive(serde::Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct MountOptions {
    pub servers: Option<Arg>,
    pub seed: Option<Arg>,
    pub paused: Option<Arg>,
    pub speed: Option<Arg>,
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
        Ok(o)
    }
}

/// The options of `reset(options)`: `{ servers: 3..9, seed: number }`, each
/// optional; any other key is refused by name.
#[allow(missing_docs)]
#[derive(serde::Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct ResetOptions {
    pub servers: Option<Arg>,
    pub seed: Option<Arg>,
}

impl ResetOptions {
    /// The size (`servers_now` when not given) and the seed (`None`: a fresh one) of the new run.
    pub fn size_and_seed(&self, servers_now: usize) -> Result<(usize, Option<u64>), String> {
        let servers = self.servers.as_ref().map_or(Ok(servers_now), cluster_size)?;
        let seed = self.seed.as_ref().map(|v| whole("seed", v, 0, MAX_SEED)).transpose()?;
        Ok((servers, seed))
    }
}

/// A cluster size the page offers.
fn cluster_size(v: &Arg) -> Result<usize, String> {
    whole("servers", v, *SERVERS.start() as u64, *SERVERS.end() as u64).map(|k| k as usize)
}

/// Reads an options object, given as its own keys and values, into `T`
/// (`MountOptions`, `ResetOptions`): a key `T` does not know is refused by
/// name ("unknown field `server`, expected one of `servers`, `seed`, ...").
pub fn read_options<T: DeserializeOwned>(entries: Vec<(String, Arg)>) -> Result<T, String> {
    T::deserialize(Entries { entries: entries.into_iter(), value: None }).map_err(|e: de::value::Error| e.to_string())
}

/// An options object's keys and values, handed to serde one by one (a
/// smaller piece of code than serde's general `MapDeserializer`).
struct Entries {
    entries: std::vec::IntoIter<(String, Arg)>,
    value: Option<Arg>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = de::value::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        seed.deserialize(self.value.take().unwrap_or(Arg::Undefined).into_deserializer())
    }
}

impl<'de> Deserializer<'de> for Entries {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }

    /// An options object: every key it does not know is named at once
    /// (`{ sead: 4, server: 3 }`: "unknown fields `sead` and `server`, ...").
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let unknown: Vec<&str> =
            self.entries.as_slice().iter().map(|(k, _)| k.as_str()).filter(|k| !fields.contains(k)).collect();
        if unknown.len() > 1 {
            let quote = |names: &[&str]| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
            let (last, rest) = quote(&unknown).split_last().map(|(l, r)| (l.clone(), r.join(", "))).unwrap_or_default();
            return Err(de::Error::custom(format!(
                "unknown fields {rest} and {last}, expected one of {}",
                quote(fields).join(", ")
            )));
        }
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
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

/// Reads `?servers=&seed=&speed=&paused=` through `get` (a query parameter's value).
pub fn address_options(get: impl Fn(&str) -> Option<String>) -> AddressOptions {
    let mut start = StartOptions::default();
    let mut problems = Vec::new();
    if let Some(s) = get("servers") {
        match s.trim().parse::<usize>() {
            Ok(n) if SERVERS.contains(&n) => start.servers = n,
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
        match s.trim().parse::<f64>() {
            Ok(v) if (MIN_SPEED..=MAX_SPEED).contains(&v) => start.speed = v,
            _ => problems.push(format!("speed={} (use 0.001 to 1)", brief(&s))),
        }
    }
    let paused = get("paused");
    if let Some(s) = &paused {
        start.playing = !matches!(s.as_str(), "" | "1" | "true" | "yes");
    }
    AddressOptions { start, problems, paused_given: paused.is_some() }
}

/// Reads any value as an [`Arg`] (for the options' fields). It never fails on
/// what a JSON-like object holds; arrays and objects arrive without their
/// content (and an option's value of any other type as an object).
impl<'de> Deserialize<'de> for Arg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Arg, D::Error> {
        struct ArgVisitor;
        impl<'de> Visitor<'de> for ArgVisitor {
            type Value = Arg;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, a string, true or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Arg, E> {
                Ok(Arg::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Arg, E> {
                Ok(Arg::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Arg, E> {
                Ok(Arg::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Arg, E> {
                Ok(Arg::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Arg, E> {
                Ok(Arg::Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Arg, E> {
                Ok(Arg::Str(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Arg, E> {
                Ok(Arg::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Arg, E> {
                Ok(Arg::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Arg, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Arg::Array(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Arg, A::Error> {
                while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(Arg::Other("object".into()))
            }
        }
        d.deserialize_any(ArgVisitor)
    }
}

/// An [`Arg`] handed to serde (the value of an options object's key).
pub struct ArgDeserializer {
    arg: Arg,
}

impl<'de> IntoDeserializer<'de, de::value::Error> for Arg {
    type Deserializer = ArgDeserializer;

    fn into_deserializer(self) -> ArgDeserializer {
        ArgDeserializer { arg: self }
    }
}

impl<'de> Deserializer<'de> for ArgDeserializer {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.arg {
            Arg::Undefined | Arg::Null => visitor.visit_unit(),
            Arg::Bool(b) => visitor.visit_bool(b),
            Arg::Number(n) => visitor.visit_f64(n),
            Arg::Str(s) => visitor.visit_string(s),
            Arg::Array(_) => visitor.visit_seq(SeqDeserializer::new(std::iter::empty::<Arg>())),
            // Serde's data model has no place for its typeof: an option's value reads as an object.
            Arg::Other(_) => visitor.visit_map(Entries { entries: Vec::new().into_iter(), value: None }),
        }
    }

    /// `undefined` and `null` are an option left out.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.arg.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}
