//! The Setup form's checks: the fields as typed ([`SetupFields`]) become a
//! [`SetupDraft`]: the config they give, or a sentence for each field that is
//! wrong, checked by the engine's own [`Config::validate`]; and from it the
//! actions that change the current run's timing; and the options group's
//! presets and clicks ([`option_click`]), turned into the engine's
//! [`Action::SetOption`]s.

use super::model::MAX_SEED;
use crate::decimal;
use crate::raft::Settings;
use crate::sim::{Action, Config, Switch, SwitchValue, SWITCHES};

/// The timing fields, in the form's order.
pub const TIMING_FIELDS: [&str; 6] = [
    "shortest election timeout",
    "longest election timeout",
    "heartbeat",
    "shortest latency",
    "longest latency",
    "loss",
];

/// The Setup form's fields as typed.
#[derive(Clone, PartialEq, Debug)]
pub struct SetupFields {
    /// The cluster size chosen.
    pub servers: String,
    /// The seed typed (blank: a fresh one).
    pub seed: String,
    /// The timing, in the order of [`TIMING_FIELDS`]: milliseconds, and the loss in percent.
    pub timing: [String; 6],
    /// The snapshot threshold as typed and not applied yet (`None`: the
    /// field shows the run's threshold).
    pub snapshot: Option<String>,
}

impl SetupFields {
    /// The form filled in from a run's config and seed.
    pub fn of(cfg: &Config, seed: u64) -> SetupFields {
        SetupFields {
            servers: cfg.nodes.to_string(),
            seed: seed.to_string(),
            timing: [
                cfg.election_timeout_ms.0.to_string(),
                cfg.election_timeout_ms.1.to_string(),
                cfg.heartbeat_ms.to_string(),
                cfg.latency_ms.0.to_string(),
                cfg.latency_ms.1.to_string(),
                decimal::trimmed((cfg.drop_rate * 10_000.0).round() / 100.0, 2),
            ],
            snapshot: None,
        }
    }
}

/// The Setup form's fields, checked one by one.
#[derive(Clone, PartialEq, Debug)]
pub struct SetupDraft {
    /// The config they give (the current one with the form's size and timing),
    /// when every timing field is valid.
    pub config: Option<Config>,
    /// What is wrong with the timing, in the order of the fields.
    pub timing_errors: Vec<String>,
    /// Which timing fields are wrong, in the order of [`TIMING_FIELDS`].
    pub invalid: [bool; 6],
    /// The seed (`None` when blank: a fresh one), or why it is refused.
    pub seed: Result<Option<u64>, String>,
}

/// A sentence from an engine error: a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_ascii_uppercase(), c.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}

/// What a visitor typed, shown back briefly (long input is cut).
fn typed(s: &str) -> String {
    let t = s.trim();
    if t.chars().count() > 12 {
        format!("\"{}…\"", t.chars().take(12).collect::<String>())
    } else {
        format!("\"{t}\"")
    }
}

/// A whole number of milliseconds typed in a field.
fn ms_field(name: &str, s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("The {name} is empty: type a whole number of milliseconds."));
    }
    t.parse::<u64>().map_err(|_| format!("The {name} must be a whole number of milliseconds, not {}.", typed(t)))
}

/// The loss typed as a percentage, as a rate from 0 to 1.
fn loss_field(s: &str) -> Result<f64, String> {
    let t = s.trim();
    match decimal::parse(t) {
        Some(p) if p.is_finite() && (0.0..=100.0).contains(&p) => Ok(p / 100.0),
        _ if t.is_empty() => Err("The loss is empty: type a percentage from 0 to 100.".into()),
        _ => Err(format!("The loss must be a percentage from 0 to 100, not {}.", typed(t))),
    }
}

/// The engine's verdict on one setting, checked alone (on the default config
/// with only that setting changed): its sentence when refused.
fn engine_check(c: Config) -> Option<String> {
    c.validate().err().map(|e| sentence(&e.to_string()))
}

/// The seed typed: blank for a fresh one, else a whole number up to [`MAX_SEED`].
fn seed_field(s: &str) -> Result<Option<u64>, String> {
    match s.trim() {
        "" => Ok(None),
        t => match t.parse::<u64>() {
            Ok(v) if v <= MAX_SEED => Ok(Some(v)),
            _ => Err(format!(
                "The seed must be a whole number from 0 to {MAX_SEED}, or blank for a fresh one; not {}.",
                typed(t)
            )),
        },
    }
}

/// Checks the form's fields against the current config `cur`.
pub fn setup_draft(cur: &Config, f: &SetupFields) -> SetupDraft {
    let t = &f.timing;
    let el_lo = ms_field(TIMING_FIELDS[0], &t[0]);
    let el_hi = ms_field(TIMING_FIELDS[1], &t[1]);
    let hb = ms_field(TIMING_FIELDS[2], &t[2]);
    let lat_lo = ms_field(TIMING_FIELDS[3], &t[3]);
    let lat_hi = ms_field(TIMING_FIELDS[4], &t[4]);
    let loss = loss_field(&t[5]);
    let mut errors = Vec::new();
    let mut invalid = [false; 6];
    for (k, r) in [&el_lo, &el_hi, &hb, &lat_lo, &lat_hi].into_iter().enumerate() {
        if let Err(e) = r {
            errors.push(e.clone());
            invalid[k] = true;
        }
    }
    let d = Config::default();
    if let (Ok(lo), Ok(hi)) = (&el_lo, &el_hi) {
        if let Some(e) = engine_check(Config { election_timeout_ms: (*lo, *hi), ..d.clone() }) {
            errors.push(e);
            invalid[0] = true;
            invalid[1] = true;
        }
    }
    if let Ok(ms) = &hb {
        if let Some(e) = engine_check(Config { heartbeat_ms: *ms, ..d.clone() }) {
            errors.push(e);
            invalid[2] = true;
        }
    }
    if let (Ok(lo), Ok(hi)) = (&lat_lo, &lat_hi) {
        if let Some(e) = engine_check(Config { latency_ms: (*lo, *hi), ..d.clone() }) {
            errors.push(e);
            invalid[3] = true;
            invalid[4] = true;
        }
    }
    if let Err(e) = &loss {
        errors.push(e.clone());
        invalid[5] = true;
    }
    let config = match (el_lo, el_hi, hb, lat_lo, lat_hi, loss) {
        (Ok(a), Ok(b), Ok(h), Ok(l), Ok(m), Ok(p)) if errors.is_empty() => {
            let c = Config {
                nodes: crate::decimal::whole(&f.servers).unwrap_or(cur.nodes),
                election_timeout_ms: (a, b),
                heartbeat_ms: h,
                latency_ms: (l, m),
                drop_rate: p,
                ..cur.clone()
            };
            // The whole config, as the engine will see it.
            match c.validate() {
                Ok(()) => Some(c),
                Err(e) => {
                    errors.push(sentence(&e.to_string()));
                    None
                }
            }
        }
        _ => None,
    };
    SetupDraft { config, timing_errors: errors, invalid, seed: seed_field(&f.seed) }
}

impl SetupDraft {
    /// Whether the form's timing is the one `cur` already uses.
    pub fn same_timing(&self, cur: &Config) -> bool {
        self.config.as_ref().is_some_and(|d| {
            (d.election_timeout_ms, d.heartbeat_ms, d.latency_ms, d.drop_rate)
                == (cur.election_timeout_ms, cur.heartbeat_ms, cur.latency_ms, cur.drop_rate)
        })
    }

    /// The actions that give the current run (config `cur`) the form's timing:
    /// only what changed, since each change is an event of the run.
    pub fn timing_changes(&self, cur: &Config) -> Vec<Action> {
        let Some(d) = &self.config else { return Vec::new() };
        let mut steps = Vec::new();
        if d.election_timeout_ms != cur.election_timeout_ms {
            steps.push(Action::SetElectionTimeout { lo: d.election_timeout_ms.0, hi: d.election_timeout_ms.1 });
        }
        if d.heartbeat_ms != cur.heartbeat_ms {
            steps.push(Action::SetHeartbeat { ms: d.heartbeat_ms });
        }
        if d.latency_ms != cur.latency_ms {
            steps.push(Action::SetLatency { lo: d.latency_ms.0, hi: d.latency_ms.1 });
        }
        if d.drop_rate != cur.drop_rate {
            steps.push(Action::SetDropRate { rate: d.drop_rate });
        }
        steps
    }

    /// The config of a new run from the form, `fresh_seed` giving the seed when
    /// the form's is blank; `None` while the form is not valid.
    pub fn new_run(&self, fresh_seed: impl FnOnce() -> u64) -> Option<Config> {
        let (Some(d), Ok(s)) = (&self.config, &self.seed) else { return None };
        Some(Config { seed: s.unwrap_or_else(fresh_seed), ..d.clone() })
    }

    /// Why "Start a new run" is off, if it is.
    pub fn why_no_new_run(&self) -> Option<String> {
        match (&self.seed, self.config.is_some()) {
            (Err(e), _) => Some(e.clone()),
            (Ok(_), false) => Some("A new run uses the timing below: make it valid first.".to_string()),
            _ => None,
        }
    }

    /// The engine's warnings about the form's timing (elections that may be unstable...), once it is valid.
    pub fn warnings(&self) -> Vec<String> {
        self.config.as_ref().map(|c| c.warnings()).unwrap_or_default()
    }
}

/// The Raft options the Setup panel shows, in its order (names of [`SWITCHES`]).
pub const RAFT_OPTIONS: [&str; 6] =
    ["pre_vote", "check_quorum", "fast_backup", "leader_noop", "exactly_once", "read_mode"];

/// The presets of the options group: the buttons' words (what each sets:
/// [`preset`]; what each is for, in the button's tooltip: `www/panel-texts.txt`, section `preset i`).
pub const PRESETS: [&str; 3] = ["The seed's Raft", "Production Raft", "Broken on purpose"];

/// The options preset `i` of [`PRESETS`] gives.
pub fn preset(i: usize) -> Option<Settings> {
    let mut s = Settings::default();
    match i {
        0 => {}
        1 => s = Settings::production(),
        2 => {
            for w in SWITCHES.iter().filter(|w| w.breaks_raft) {
                let _ = w.set(&mut s, &SwitchValue::Flag(true));
            }
        }
        _ => return None,
    }
    Some(s)
}

/// The preset of [`PRESETS`] that `cur` matches in every option, if one does.
pub fn preset_of(cur: &Settings) -> Option<usize> {
    (0..PRESETS.len()).find(|&i| preset(i).is_some_and(|p| option_changes(cur, &p).is_empty()))
}

/// The actions that take the options `cur` to `target`: one per option that
/// differs, since each change is an event of the run.
pub fn option_changes(cur: &Settings, target: &Settings) -> Vec<Action> {
    let differs = |w: &Switch| Some(w.get(target)).filter(|v| *v != w.get(cur));
    SWITCHES.iter().filter_map(|w| Some(Action::SetOption { name: w.name.to_string(), value: differs(w)? })).collect()
}

/// The actions for a click in the options group, from the clicked element's
/// data attributes: `data-preset` (a preset's number), or `data-opt` (an
/// option's name) with `data-val` (a choice) or, for a checkbox, whether it is
/// now `checked`. Nothing for a click elsewhere or on what is already set.
pub fn option_click(
    cur: &Settings,
    preset_no: Option<&str>,
    opt: Option<&str>,
    val: Option<&str>,
    checked: bool,
) -> Vec<Action> {
    let mut target = cur.clone();
    match (preset_no.and_then(|p| preset(crate::decimal::whole(p)?)), opt.and_then(Switch::named)) {
        (Some(p), _) => target = p,
        (None, Some(w)) => {
            let v = val.map_or(SwitchValue::Flag(checked), |c| SwitchValue::Choice(c.to_string()));
            if w.set(&mut target, &v).is_err() {
                return Vec::new();
            }
        }
        (None, None) => {}
    }
    option_changes(cur, &target)
}

/// The largest snapshot threshold the page takes (Setup panel, address, JavaScript API).
#[cfg(feature = "compaction")]
pub const MAX_SNAPSHOT_THRESHOLD: u64 = 1_000_000;

/// Log compaction's switch as the page shows it: the threshold, 0 for off.
#[cfg(feature = "compaction")]
pub fn snapshot_threshold(s: &Settings) -> u64 {
    s.snapshot_threshold.map_or(0, |n| n.get())
}

/// `cfg` with log compaction's threshold set to `n` (0: off).
#[cfg(feature = "compaction")]
pub fn with_snapshot_threshold(mut cfg: Config, n: u64) -> Config {
    cfg.raft.snapshot_threshold = std::num::NonZeroU64::new(n);
    cfg
}

/// The action for the snapshot threshold typed in the Setup panel (a whole
/// number up to [`MAX_SNAPSHOT_THRESHOLD`]; blank or 0: off), `None` when it
/// is the threshold `cur` has; the sentence to show when it is not a number
/// in range (nothing applied then). The engine's `snapshot_threshold`
/// switch, as a script writes it.
#[cfg(feature = "compaction")]
pub fn threshold_change(cur: &Settings, typed_text: &str) -> Result<Option<Action>, String> {
    let t = typed_text.trim();
    let n = match t.parse::<u64>() {
        _ if t.is_empty() => 0,
        Ok(n) if n <= MAX_SNAPSHOT_THRESHOLD => n,
        _ => {
            return Err(format!(
                "The snapshot threshold must be a whole number of entries from 0 (off) to {MAX_SNAPSHOT_THRESHOLD}, not {}; it is still {}.",
                typed(t),
                snapshot_threshold(cur)
            ))
        }
    };
    let value = if n == 0 { SwitchValue::Flag(false) } else { SwitchValue::Count(n) };
    Ok((n != snapshot_threshold(cur)).then(|| Action::SetOption { name: "snapshot_threshold".to_string(), value }))
}
