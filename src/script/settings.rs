//! The settings lines of a script (`servers 5`, `seed 42`, `election 150-300`,
//! `links reorder`, `fast_backup on`...) and the table of engine switches,
//! read and written in one place.

use super::lex::{format_ms, Cursor, Parsed};
use super::MAX_TIME_MS;
use crate::decimal;
use crate::raft::Settings;
use crate::sim::{Config, Links};
use std::num::NonZeroU64;

/// The value of an engine switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchValue {
    /// `on` / `off`.
    Flag(bool),
    /// A count.
    Count(u32),
    /// A limit: a number from 1, or `off` (`None`) for none.
    Limit(Option<NonZeroU64>),
}

/// Where a switch lives in [`Settings`].
#[derive(Clone, Copy)]
enum Field {
    Flag(fn(&mut Settings) -> &mut bool),
    Count(fn(&mut Settings) -> &mut u32),
    Limit(fn(&mut Settings) -> &mut Option<NonZeroU64>),
}

/// An engine switch: a field of [`Settings`] by name.
#[derive(Clone, Copy)]
pub struct Switch {
    /// Its name in scripts, the field's name.
    pub name: &'static str,
    field: Field,
}

impl Switch {
    /// Its value in `settings`.
    pub fn get(&self, settings: &Settings) -> SwitchValue {
        let mut s = settings.clone();
        match self.field {
            Field::Flag(f) => SwitchValue::Flag(*f(&mut s)),
            Field::Count(f) => SwitchValue::Count(*f(&mut s)),
            Field::Limit(f) => SwitchValue::Limit(*f(&mut s)),
        }
    }

    /// Sets it in `settings`; false (and nothing changed) when the value is of the wrong sort.
    pub fn set(&self, settings: &mut Settings, value: SwitchValue) -> bool {
        match (self.field, value) {
            (Field::Flag(f), SwitchValue::Flag(v)) => *f(settings) = v,
            (Field::Count(f), SwitchValue::Count(v)) => *f(settings) = v,
            (Field::Limit(f), SwitchValue::Limit(v)) => *f(settings) = v,
            _ => return false,
        }
        true
    }

    /// True for an on/off switch.
    pub fn is_flag(&self) -> bool {
        matches!(self.field, Field::Flag(_))
    }

    /// True for a limit (a number from 1, or `off`).
    pub fn is_limit(&self) -> bool {
        matches!(self.field, Field::Limit(_))
    }

    /// Looks a switch up by name (any case).
    pub fn named(name: &str) -> Option<&'static Switch> {
        SWITCHES.iter().find(|s| s.name.eq_ignore_ascii_case(name))
    }
}

macro_rules! flag {
    ($name:ident) => {
        Switch { name: stringify!($name), field: Field::Flag(|s| &mut s.$name) }
    };
}
macro_rules! count {
    ($name:ident) => {
        Switch { name: stringify!($name), field: Field::Count(|s| &mut s.$name) }
    };
}
macro_rules! limit {
    ($name:ident) => {
        Switch { name: stringify!($name), field: Field::Limit(|s| &mut s.$name) }
    };
}

/// Every engine switch, by name. Adding a switch to [`Settings`] takes one line
/// here. Only ever append: links store the switches in this order.
pub const SWITCHES: &[Switch] = &[
    flag!(fast_backup),
    flag!(leader_noop),
    count!(transfer_timeout_heartbeats),
    flag!(unsafe_skip_vote_log_check),
    flag!(unsafe_commit_old_terms),
    limit!(max_entries_per_append),
];

/// The settings a script can give, each at most once.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Setting {
    Servers,
    Seed,
    Election,
    Heartbeat,
    Latency,
    Loss,
    Links,
    ClientTimeout,
    ClientGiveUp,
    Switch(usize),
}

/// Reads a settings line into `cfg` if the line is one (`None` when it is not
/// a settings line: the statements begin). The cursor is at the line's first word.
pub(crate) fn parse_setting(cur: &mut Cursor, cfg: &mut Config) -> Option<Parsed<Setting>> {
    let start = cur.pos();
    let setting = if cur.eat_word("servers") {
        Setting::Servers
    } else if cur.eat_word("seed") {
        Setting::Seed
    } else if cur.eat_word("election") {
        Setting::Election
    } else if cur.eat_word("heartbeat") {
        Setting::Heartbeat
    } else if cur.eat_word("latency") {
        Setting::Latency
    } else if cur.eat_word("loss") {
        Setting::Loss
    } else if cur.eat_word("links") {
        Setting::Links
    } else if cur.eat_words("client timeout") {
        Setting::ClientTimeout
    } else if cur.eat_words("client give up") {
        Setting::ClientGiveUp
    } else {
        let named = cur.eat_word("switch");
        let word = cur.peek_word();
        match SWITCHES.iter().position(|s| s.name.eq_ignore_ascii_case(word)) {
            Some(i) => {
                cur.word();
                Setting::Switch(i)
            }
            None if named => {
                let names: Vec<&str> = SWITCHES.iter().map(|s| s.name).collect();
                return Some(Err(cur.expected(&format!("a switch ({})", names.join(", ")))));
            }
            None => {
                cur.set_pos(start);
                return None;
            }
        }
    };
    Some(read_value(cur, cfg, setting).map(|()| setting))
}

fn read_value(cur: &mut Cursor, cfg: &mut Config, setting: Setting) -> Parsed<()> {
    cur.skip_ws();
    let at = cur.pos();
    let mut next = cfg.clone();
    match setting {
        Setting::Servers => next.nodes = cur.number("a number of servers", 9)? as usize,
        Setting::Seed => next.seed = cur.number("a seed (a whole number)", u64::MAX)?,
        Setting::Election => next.election_timeout_ms = cur.range(MAX_TIME_MS)?,
        Setting::Heartbeat => next.heartbeat_ms = cur.duration(MAX_TIME_MS)?,
        Setting::Latency => next.latency_ms = cur.range(MAX_TIME_MS)?,
        Setting::Loss => next.drop_rate = cur.rate()?,
        Setting::Links => next.links = links(cur)?,
        Setting::ClientTimeout => next.client_timeout_ms = cur.duration(MAX_TIME_MS)?,
        Setting::ClientGiveUp => next.client_give_up_ms = cur.duration(MAX_TIME_MS)?,
        Setting::Switch(i) => {
            let switch = &SWITCHES[i];
            let value = if switch.is_flag() {
                if cur.eat_word("on") || cur.eat_word("true") {
                    SwitchValue::Flag(true)
                } else if cur.eat_word("off") || cur.eat_word("false") {
                    SwitchValue::Flag(false)
                } else {
                    return Err(cur.expected("on or off"));
                }
            } else if switch.is_limit() {
                if cur.eat_word("off") || cur.eat_word("none") {
                    SwitchValue::Limit(None)
                } else {
                    cur.skip_ws();
                    let at = cur.pos();
                    let n = cur.number("a number from 1, or off for no limit", u64::MAX)?;
                    match NonZeroU64::new(n) {
                        Some(n) => SwitchValue::Limit(Some(n)),
                        None => {
                            return Err(
                                cur.error_at(at, "a limit of 0 would let nothing through: give 1 or more, or off")
                            )
                        }
                    }
                }
            } else {
                SwitchValue::Count(cur.number("a whole number", u32::MAX as u64)? as u32)
            };
            switch.set(&mut next.raft, value);
        }
    }
    cur.end()?;
    // The engine's own check, so a script refuses exactly what the page refuses.
    next.validate().map_err(|e| cur.error_at(at, e.to_string()))?;
    *cfg = next;
    Ok(())
}

/// The name of a setting, for "given twice" errors.
pub(crate) fn setting_name(s: Setting) -> &'static str {
    match s {
        Setting::Servers => "servers",
        Setting::Seed => "seed",
        Setting::Election => "election",
        Setting::Heartbeat => "heartbeat",
        Setting::Latency => "latency",
        Setting::Loss => "loss",
        Setting::Links => "links",
        Setting::ClientTimeout => "client timeout",
        Setting::ClientGiveUp => "client give up",
        Setting::Switch(i) => SWITCHES[i].name,
    }
}

/// How the links deliver: `in order` or `reorder` (after `links` or `set links`).
pub(crate) fn links(cur: &mut Cursor) -> Parsed<Links> {
    if cur.eat_words("in order") {
        Ok(Links::InOrder)
    } else if cur.eat_word("reorder") {
        Ok(Links::Reorder)
    } else {
        Err(cur.expected("\"in order\" (each link delivers in order, like TCP) or \"reorder\" (like UDP)"))
    }
}

/// How a script writes [`Links`].
pub(crate) fn format_links(links: Links) -> &'static str {
    match links {
        Links::InOrder => "in order",
        Links::Reorder => "reorder",
    }
}

/// A loss rate as a script writes it, exactly: `5%` when that reads back as
/// the same number, else the plain fraction (`0.123456789`).
pub(crate) fn format_rate(rate: f64) -> String {
    let percent = decimal::plain(rate * 100.0);
    match decimal::exact(&percent) {
        Some(p) if p / 100.0 == rate => format!("{percent}%"),
        _ => decimal::plain(rate),
    }
}

/// Every setting of `cfg`, one line each, as [`parse_setting`] reads them.
pub(crate) fn format_settings(cfg: &Config) -> Vec<String> {
    let range = |(lo, hi): (u64, u64)| format!("{lo}-{hi}ms");
    let mut lines = vec![
        format!("servers {}", cfg.nodes),
        format!("seed {}", cfg.seed),
        format!("election {}", range(cfg.election_timeout_ms)),
        format!("heartbeat {}", format_ms(cfg.heartbeat_ms)),
        format!("latency {}", range(cfg.latency_ms)),
        format!("loss {}", format_rate(cfg.drop_rate)),
        format!("links {}", format_links(cfg.links)),
        format!("client timeout {}", format_ms(cfg.client_timeout_ms)),
        format!("client give up {}", format_ms(cfg.client_give_up_ms)),
    ];
    for s in SWITCHES {
        lines.push(match s.get(&cfg.raft) {
            SwitchValue::Flag(v) => format!("{} {}", s.name, if v { "on" } else { "off" }),
            SwitchValue::Count(n) => format!("{} {n}", s.name),
            SwitchValue::Limit(None) => format!("{} off", s.name),
            SwitchValue::Limit(Some(n)) => format!("{} {n}", s.name),
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_written_exactly() {
        for rate in [0.0, 0.05, 0.1, 0.3, 1.0, 0.123456789, 1e-9, 0.07, 0.29, 1.0 / 3.0, 5e-324] {
            let text = format_rate(rate);
            assert_eq!(Cursor::new(1, &text).rate(), Ok(rate), "{text}");
        }
        assert_eq!(format_rate(0.05), "5%");
    }

    #[test]
    fn every_switch_reads_and_writes_its_own_field() {
        for (i, s) in SWITCHES.iter().enumerate() {
            let mut settings = Settings::default();
            let value = match s.get(&settings) {
                SwitchValue::Flag(v) => SwitchValue::Flag(!v),
                SwitchValue::Count(n) => SwitchValue::Count(n + 7),
                SwitchValue::Limit(n) => SwitchValue::Limit(NonZeroU64::new(n.map_or(3, |n| n.get() + 7))),
            };
            assert!(s.set(&mut settings, value));
            assert_eq!(s.get(&settings), value);
            for (j, other) in SWITCHES.iter().enumerate() {
                if i != j {
                    assert_eq!(
                        other.get(&settings),
                        other.get(&Settings::default()),
                        "{} moved {}",
                        s.name,
                        other.name
                    );
                }
            }
            assert!(settings != Settings::default());
        }
    }
}
