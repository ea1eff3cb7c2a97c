//! The nodes' options and switches by name: the one table that scripts,
//! links, lessons and [`Action::SetOption`] use to read and change a field
//! of [`Settings`].
//!
//! Each entry says what the option is in a sentence, and whether it breaks
//! Raft on purpose (the "what if" switches, each named `unsafe_...`).

use super::{Action, Cluster, EventData, SimError};
use crate::raft::{ReadMode, Settings};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::num::NonZeroU64;

/// The value of an option: on/off, a count, or one of a few named choices. In
/// JSON the bare value: `true`, `3`, `"lease"`. A limit
/// (`max_entries_per_append`) is a count from 1, or `off` (`false`) for none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SwitchValue {
    /// `on` / `off`.
    Flag(bool),
    /// A count.
    Count(u64),
    /// One of the option's named choices.
    Choice(String),
}

impl fmt::Display for SwitchValue {
    /// As a script writes it: `on`, `off`, `3`, `lease`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SwitchValue::Flag(true) => f.write_str("on"),
            SwitchValue::Flag(false) => f.write_str("off"),
            SwitchValue::Count(n) => write!(f, "{n}"),
            SwitchValue::Choice(c) => f.write_str(c),
        }
    }
}

/// Where an option lives in [`Settings`].
#[derive(Clone, Copy)]
enum Field {
    Flag(fn(&mut Settings) -> &mut bool),
    /// A count from 0 to `max`.
    Count {
        get: fn(&Settings) -> u64,
        set: fn(&mut Settings, u64),
        max: u64,
    },
    /// A limit: a count from 1, or none (`off`).
    Limit {
        get: fn(&Settings) -> Option<NonZeroU64>,
        set: fn(&mut Settings, Option<NonZeroU64>),
    },
    /// One of `choices`, by position.
    Choice {
        choices: &'static [&'static str],
        get: fn(&Settings) -> usize,
        set: fn(&mut Settings, usize),
    },
}

/// An option of the nodes: a field of [`Settings`], by name.
#[derive(Clone, Copy)]
pub struct Switch {
    /// Its name in scripts, links and actions: the field's name.
    pub name: &'static str,
    /// What it is, in a few words ("pre-vote"). What it does, in a
    /// sentence, is in `www/panel-texts.txt` (section `switch <name>`), which
    /// the Setup panel fetches: not in the page's wasm (see `view::texts`).
    pub label: &'static str,
    /// True for a "what if" switch that breaks Raft on purpose.
    pub breaks_raft: bool,
    field: Field,
}

impl Switch {
    /// Its value in `settings`.
    pub fn get(&self, settings: &Settings) -> SwitchValue {
        match self.field {
            Field::Flag(f) => SwitchValue::Flag(*f(&mut settings.clone())),
            Field::Count { get, .. } => SwitchValue::Count(get(settings)),
            Field::Limit { get, .. } => get(settings).map_or(SwitchValue::Flag(false), |n| SwitchValue::Count(n.get())),
            Field::Choice { choices, get, .. } => {
                SwitchValue::Choice(choices.get(get(settings)).copied().unwrap_or_default().to_string())
            }
        }
    }

    /// Sets it in `settings`; a value of the wrong sort or out of range is
    /// refused with a sentence (and nothing changes).
    pub fn set(&self, settings: &mut Settings, value: &SwitchValue) -> Result<(), String> {
        match (self.field, value) {
            (Field::Flag(f), SwitchValue::Flag(v)) => *f(settings) = *v,
            (Field::Count { set, max, .. }, SwitchValue::Count(n)) if *n <= max => set(settings, *n),
            (Field::Count { max, .. }, SwitchValue::Count(n)) => {
                return Err(format!("{} is at most {max}, not {n}", self.name));
            }
            (Field::Limit { set, .. }, SwitchValue::Flag(false)) => set(settings, None),
            (Field::Limit { set, .. }, SwitchValue::Count(n)) => match NonZeroU64::new(*n) {
                Some(n) => set(settings, Some(n)),
                None => return Err("a limit of 0 would let nothing through: give 1 or more, or off".to_string()),
            },
            (Field::Choice { choices, set, .. }, SwitchValue::Choice(c)) => {
                match choices.iter().position(|x| x.eq_ignore_ascii_case(c)) {
                    Some(i) => set(settings, i),
                    None => return Err(format!("{} is {}, not {}", self.name, self.kind(), crate::quote::Quoted(c))),
                }
            }
            _ => return Err(format!("{} takes {}, not {value}", self.name, self.kind())),
        }
        Ok(())
    }

    /// The sort of value it takes, in words: "on or off", "a whole number", "read_index or lease".
    pub fn kind(&self) -> String {
        match self.field {
            Field::Flag(_) => "on or off".to_string(),
            Field::Count { .. } => "a whole number".to_string(),
            Field::Limit { .. } => "a number from 1, or off for no limit".to_string(),
            // Joined by hand: the page keeps one copy of the standard library's
            // join, the one for `String`s.
            Field::Choice { choices, .. } => {
                let mut words = String::new();
                for (i, c) in choices.iter().enumerate() {
                    words.push_str(if i == 0 { "" } else { " or " });
                    words.push_str(c);
                }
                words
            }
        }
    }

    /// True for an on/off switch.
    pub fn is_flag(&self) -> bool {
        matches!(self.field, Field::Flag(_))
    }

    /// True for a limit (a number from 1, or off).
    pub fn is_limit(&self) -> bool {
        matches!(self.field, Field::Limit { .. })
    }

    /// The named choices of a choice option (empty for the others).
    pub fn choices(&self) -> &'static [&'static str] {
        match self.field {
            Field::Choice { choices, .. } => choices,
            _ => &[],
        }
    }

    /// The largest count a count option takes (0 for the others).
    pub fn max(&self) -> u64 {
        match self.field {
            Field::Count { max, .. } => max,
            _ => 0,
        }
    }

    /// Reads a value as a script writes it: `on`/`off` (or `true`/`false`), a
    /// number, `off` (or `none`) for no limit, or a choice's name.
    pub fn parse(&self, word: &str) -> Result<SwitchValue, String> {
        let value = match self.field {
            Field::Limit { .. } if word.eq_ignore_ascii_case("off") || word.eq_ignore_ascii_case("none") => {
                SwitchValue::Flag(false)
            }
            Field::Limit { .. } => {
                SwitchValue::Count(word.parse().map_err(|_| format!("{} takes {}", self.name, self.kind()))?)
            }
            Field::Flag(_) if word.eq_ignore_ascii_case("on") || word.eq_ignore_ascii_case("true") => {
                SwitchValue::Flag(true)
            }
            Field::Flag(_) if word.eq_ignore_ascii_case("off") || word.eq_ignore_ascii_case("false") => {
                SwitchValue::Flag(false)
            }
            Field::Count { .. } => {
                SwitchValue::Count(word.parse().map_err(|_| format!("{} takes {}", self.name, self.kind()))?)
            }
            Field::Choice { .. } => SwitchValue::Choice(word.to_ascii_lowercase()),
            Field::Flag(_) => return Err(format!("{} takes {}", self.name, self.kind())),
        };
        self.set(&mut Settings::default(), &value)?;
        Ok(value)
    }

    /// Looks an option up by name (any case).
    pub fn named(name: &str) -> Option<&'static Switch> {
        SWITCHES.iter().find(|s| s.name.eq_ignore_ascii_case(name))
    }
}

macro_rules! flag {
    ($name:ident, $label:expr) => {
        Switch { name: stringify!($name), label: $label, breaks_raft: false, field: Field::Flag(|s| &mut s.$name) }
    };
}
macro_rules! unsafe_flag {
    ($name:ident, $label:expr) => {
        Switch { breaks_raft: true, ..flag!($name, $label) }
    };
}

/// Every option and switch of the nodes, by name. Adding a field to
/// [`Settings`] takes one entry here. Only ever append: links store the
/// values in this order (format 1 held the first five, format 2 the first
/// six, format 3 all of these).
pub const SWITCHES: &[Switch] = &[
    flag!(fast_backup, "fast log back-up"),
    flag!(leader_noop, "the leader's no-op"),
    Switch {
        name: "transfer_timeout_heartbeats",
        label: "transfer time-out",
        breaks_raft: false,
        field: Field::Count {
            get: |s| s.transfer_timeout_heartbeats as u64,
            set: |s, n| s.transfer_timeout_heartbeats = n as u32,
            max: u32::MAX as u64,
        },
    },
    unsafe_flag!(unsafe_skip_vote_log_check, "vote without the up-to-date check"),
    unsafe_flag!(unsafe_commit_old_terms, "commit old terms by counting"),
    Switch {
        name: "max_entries_per_append",
        label: "batch limit",
        breaks_raft: false,
        field: Field::Limit { get: |s| s.max_entries_per_append, set: |s, n| s.max_entries_per_append = n },
    },
    flag!(pre_vote, "pre-vote"),
    flag!(check_quorum, "check-quorum"),
    flag!(exactly_once, "exactly-once writes"),
    Switch {
        name: "read_mode",
        label: "read mode",
        breaks_raft: false,
        field: Field::Choice {
            choices: &["read_index", "lease"],
            get: |s| ReadMode::ALL.iter().position(|m| *m == s.read_mode).unwrap_or(0),
            set: |s, i| s.read_mode = ReadMode::ALL.get(i).copied().unwrap_or_default(),
        },
    },
    unsafe_flag!(unsafe_ack_before_commit, "acknowledge before commit"),
    unsafe_flag!(unsafe_forget_vote_on_restart, "forget the vote on restart"),
    unsafe_flag!(unsafe_stale_reads, "reads from any server's own store"),
    #[cfg(feature = "compaction")]
    Switch {
        name: "snapshot_threshold",
        label: "snapshot threshold",
        breaks_raft: false,
        field: Field::Limit { get: |s| s.snapshot_threshold, set: |s, n| s.snapshot_threshold = n },
    },
];

impl Cluster {
    /// Changes one option of every server, by name, from now on
    /// ([`SWITCHES`]): `set_option("pre_vote", SwitchValue::Flag(true))`.
    pub fn set_option(&mut self, name: &str, value: SwitchValue) -> Result<(), SimError> {
        self.perform(Action::SetOption { name: name.to_string(), value }).map(drop)
    }

    pub(super) fn do_set_option(&mut self, name: &str, value: &SwitchValue) -> Result<(), SimError> {
        let switch = Switch::named(name).ok_or_else(|| SimError::UnknownOption(name.to_string()))?;
        let mut settings = self.cfg.raft.clone();
        switch.set(&mut settings, value).map_err(SimError::BadOptionValue)?;
        self.cfg.raft = settings.clone();
        for id in self.node_ids() {
            if self.servers[id.index()].up {
                let s = settings.clone();
                self.step_node(id, |node, out| node.update_settings(s, out));
            } else {
                self.servers[id.index()].node.set_settings(settings.clone());
            }
        }
        self.log(EventData::OptionChanged { name: switch.name.to_string(), value: value.clone() });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_switch_reads_and_writes_its_own_field() {
        for (i, s) in SWITCHES.iter().enumerate() {
            let mut settings = Settings::default();
            let value = match s.get(&settings) {
                SwitchValue::Flag(false) if s.is_limit() => SwitchValue::Count(3),
                SwitchValue::Flag(v) => SwitchValue::Flag(!v),
                SwitchValue::Count(n) => SwitchValue::Count(n + 7),
                SwitchValue::Choice(c) => {
                    SwitchValue::Choice(s.choices().iter().find(|x| **x != c).unwrap().to_string())
                }
            };
            s.set(&mut settings, &value).unwrap();
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
            assert_eq!(s.breaks_raft, s.name.starts_with("unsafe_"), "{}", s.name);
        }
    }

    #[test]
    fn values_of_the_wrong_sort_are_refused_with_a_sentence() {
        let mut settings = Settings::default();
        let pre_vote = Switch::named("PRE_VOTE").unwrap();
        assert_eq!(pre_vote.set(&mut settings, &SwitchValue::Count(1)), Err("pre_vote takes on or off, not 1".into()));
        let mode = Switch::named("read_mode").unwrap();
        assert_eq!(
            mode.set(&mut settings, &SwitchValue::Choice("stale".into())),
            Err("read_mode is read_index or lease, not \"stale\"".into())
        );
        assert_eq!(mode.parse("LEASE"), Ok(SwitchValue::Choice("lease".into())));
        let transfer = Switch::named("transfer_timeout_heartbeats").unwrap();
        assert!(transfer.set(&mut settings, &SwitchValue::Count(1 << 40)).is_err());
        assert_eq!(settings, Settings::default());
        let limit = Switch::named("max_entries_per_append").unwrap();
        assert_eq!(limit.parse("0"), Err("a limit of 0 would let nothing through: give 1 or more, or off".into()));
        assert_eq!(limit.parse("OFF"), Ok(SwitchValue::Flag(false)));
        assert_eq!(limit.parse("12"), Ok(SwitchValue::Count(12)));
        assert!(limit.set(&mut settings, &SwitchValue::Flag(true)).is_err());
        limit.set(&mut settings, &SwitchValue::Count(2)).unwrap();
        assert_eq!(settings.max_entries_per_append, NonZeroU64::new(2));
        assert_eq!(limit.get(&settings), SwitchValue::Count(2));
        limit.set(&mut settings, &SwitchValue::Flag(false)).unwrap();
        assert_eq!(limit.get(&settings), SwitchValue::Flag(false));
    }
}
