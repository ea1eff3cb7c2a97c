//! A run as a script: every setting, then one `at <time> <action>` line per
//! action, then `at <moment>`. Run, it rebuilds the run exactly (same trace
//! hash): each line moves the clock to its time and applies its action, just
//! as `Cluster::replay` does.

use super::actions::format_action;
use super::lex::format_ms;
use super::settings::write_settings;
use super::Recording;
use crate::sim::{Action, Cluster};
use std::fmt::Write;

/// Writes `rec` as a script. Only actions up to the moment are written (a
/// script runs to its last line, so it cannot hold a future). A drop or a
/// duplicate names its message's kind and link too (`drop message 17
/// AppendEntries S1->S2`), found by replaying the run once; a run of the
/// script checks them.
pub fn export(rec: &Recording) -> String {
    let history = &rec.history[..rec.history.iter().take_while(|(t, _)| *t <= rec.moment).count()];
    let tampers =
        history.iter().any(|(_, a)| matches!(a, Action::DropMessage { .. } | Action::DuplicateMessage { .. }));
    // The replay that finds each tampered message (only when there is one).
    let mut replay = if tampers { Cluster::new(rec.config.clone()).ok() } else { None };
    let mut out = String::from("# A Raft Playground run: replaying this script rebuilds it exactly.\n");
    if let Some(hash) = rec.trace_hash {
        let _ = writeln!(out, "# Trace hash at {}: {hash:#018x}", format_ms(rec.moment));
    }
    write_settings(&rec.config, &mut out);
    out.push('\n');
    for (t, action) in history {
        let message = replay.as_mut().and_then(|c| {
            c.advance_to(*t);
            let id = match action {
                Action::DropMessage { id } | Action::DuplicateMessage { id } => Some(*id),
                _ => None,
            };
            let m = id.and_then(|id| c.message(id)).cloned();
            let _ = c.apply(action.clone());
            m
        });
        let _ = writeln!(out, "at {} {}", format_ms(*t), format_action(action, message.as_ref()));
    }
    let _ = writeln!(out, "at {}", format_ms(rec.moment));
    out
}
