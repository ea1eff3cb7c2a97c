//! The settings lines of a script (`servers 5`, `seed 42`, `election 150-300`,
//! `links reorder`, `fast_backup on`, `read_mode lease`...), read and written
//! in one place. The engine's options are those of `sim::SWITCHES`, by name.

use super::lex::{format_ms, name_list, Cursor, Parsed};
use super::MAX_TIME_MS;
use crate::decimal;
use crate::sim::{Config, Links, Switch, SWITCHES};
use std::fmt::Write;

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

/// The settings lines' first words (their names) and what each sets.
const SETTINGS: [(&str, Setting); 9] = [
    ("servers", Setting::Servers),
    ("seed", Setting::Seed),
    ("election", Setting::Election),
    ("heartbeat", Setting::Heartbeat),
    ("latency", Setting::Latency),
    ("loss", Setting::Loss),
    ("links", Setting::Links),
    ("client timeout", Setting::ClientTimeout),
    ("client give up", Setting::ClientGiveUp),
];

/// Reads a settings line into `cfg` if the line is one (`None` when it is not
/// a settings line: the statements begin). The cursor is at the line's first word.
pub(crate) fn parse_setting(cur: &mut Cursor, cfg: &mut Config) -> Option<Parsed<Setting>> {
    let start = cur.pos();
    let setting = match SETTINGS.iter().find(|(name, _)| cur.eat_words(name)) {
        Some(&(_, setting)) => setting,
        None => {
            let named = cur.eat_word("switch");
            let word = cur.peek_word();
            match SWITCHES.iter().position(|s| s.name.eq_ignore_ascii_case(word)) {
                Some(i) => {
                    cur.word();
                    Setting::Switch(i)
                }
                None if named => {
                    return Some(Err(cur.expected(&name_list("a switch (", SWITCHES.len(), |i| SWITCHES[i].name))));
                }
                None => {
                    cur.set_pos(start);
                    return None;
                }
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
            let value = switch_value(cur, switch)?;
            switch.set(&mut next.raft, &value).map_err(|e| cur.error_at(at, e))?;
        }
    }
    cur.end()?;
    // The engine's own check, so a script refuses exactly what the page refuses.
    next.validate().map_err(|e| cur.error_at(at, e.to_string()))?;
    *cfg = next;
    Ok(())
}

/// An option's value as a script writes it: `on`/`off` (or `true`/`false`),
/// a whole number, a limit (a number from 1, or `off`), or one of its choices.
pub(crate) fn switch_value(cur: &mut Cursor, switch: &Switch) -> Parsed<crate::sim::SwitchValue> {
    cur.skip_ws();
    let at = cur.pos();
    let kind = switch.kind();
    if switch.max() > 0 {
        return Ok(crate::sim::SwitchValue::Count(cur.number(&kind, switch.max())?));
    }
    let word = cur.word().unwrap_or("");
    switch.parse(word).map_err(|e| {
        cur.set_pos(at);
        // A number of the right sort that the option refuses (a limit of 0) says why.
        if switch.is_limit() && word.parse::<u64>().is_ok() {
            cur.error_at(at, e)
        } else {
            cur.expected(&kind)
        }
    })
}

/// The name of a setting, for "given twice" errors.
pub(crate) fn setting_name(s: Setting) -> &'static str {
    match s {
        Setting::Switch(i) => SWITCHES[i].name,
        _ => SETTINGS.iter().find(|(_, x)| *x == s).map_or("", |(name, _)| name),
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

/// Writes every setting of `cfg` into `out`, one line each, as [`parse_setting`] reads them.
pub(crate) fn write_settings(cfg: &Config, out: &mut String) {
    let (e_lo, e_hi) = cfg.election_timeout_ms;
    let (l_lo, l_hi) = cfg.latency_ms;
    let _ = write!(
        out,
        "servers {}\nseed {}\nelection {e_lo}-{e_hi}ms\nheartbeat {}\nlatency {l_lo}-{l_hi}ms\nloss {}\nlinks {}\n\
         client timeout {}\nclient give up {}\n",
        cfg.nodes,
        cfg.seed,
        format_ms(cfg.heartbeat_ms),
        format_rate(cfg.drop_rate),
        format_links(cfg.links),
        format_ms(cfg.client_timeout_ms),
        format_ms(cfg.client_give_up_ms)
    );
    for s in SWITCHES {
        let _ = writeln!(out, "{} {}", s.name, s.get(&cfg.raft));
    }
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
}
