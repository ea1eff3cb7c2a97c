//! The address's `scenario=` and `script=` run on the page (issue 11;
//! checked by `view::address_script`): a scenario fetched from beside the
//! page, or the address's own script, put in the Script panel and run as its
//! Run does (`script_panel::load_and_run`: the same door as an upload, so
//! the timeline, share links and `state()` see the run). What went wrong,
//! and a script's unmet expectation, is said in the notice with the
//! address's other ignored settings.

use super::fetch::fetch_text;
use super::script_panel::load_and_run;
use super::store::{Handle, SCRIPT_RUNNING};
use crate::view::address_script::{scenario_url, AddressScript, Source};
use crate::view::model::{Notice, Op};

/// Runs what the address asked for on the page `h`: at once for `script=`,
/// once its file arrives for `scenario=`. `problems`: the address's other
/// bad settings, named again in the notice the run leaves; `playing`: whether
/// the run plays (`paused=` and reduced motion pause it); `open`: whether the
/// Script panel opens (not where `panels=` hides it).
pub fn run(h: &Handle, asked: AddressScript, problems: Vec<String>, playing: bool, open: bool) {
    let AddressScript { source, setting } = asked;
    // The run it replaces: if the page has left it when the file arrives, the script does not run.
    h.set_script_run(h.try_read().map(|m| m.run));
    match source {
        Source::Inline(text) => finish(h, &setting, Ok(text), problems, playing, open),
        Source::Scenario(name) => {
            let h = h.clone();
            let done = Box::new(move |text: Result<String, String>| {
                let text = text.map_err(|why| format!("its file could not be fetched: {why}"));
                finish(&h, &setting, text, problems, playing, open);
            });
            fetch_text(&scenario_url(name), done);
        }
    }
}

/// Runs `text` (or says why there is none), then leaves the notice. (One
/// copy for both ways in: not inlined into each.)
#[inline(never)]
fn finish(h: &Handle, setting: &str, text: Result<String, String>, problems: Vec<String>, playing: bool, open: bool) {
    let asked_over = h.script_run();
    let moved_on = asked_over.is_none() || asked_over != h.try_read().map(|m| m.run);
    let text = match text {
        Ok(_) if moved_on => Err("not run: the page had moved on before its file arrived".to_string()),
        t => t,
    };
    // The address keeps the setting while the script runs (in the script worker, a while).
    h.set_script_run(Some(SCRIPT_RUNNING));
    match text {
        Ok(text) => {
            let (h2, setting) = (h.clone(), setting.to_string());
            load_and_run(h, text, open, Box::new(move |ran| said(&h2, &setting, ran, problems, playing)));
        }
        Err(e) => said(h, setting, Err(e), problems, playing),
    }
}

/// Leaves the notice once the address's script has run (or did not).
fn said(h: &Handle, setting: &str, ran: Result<(), String>, mut problems: Vec<String>, playing: bool) {
    // The address names the run the script made (or nothing, when it did not run).
    h.set_script_run(match &ran {
        Ok(()) => h.try_read().map(|m| m.run),
        Err(_) => None,
    });
    let mut said = String::new();
    let mut unmet = false;
    match ran {
        Ok(()) => {
            if !playing {
                h.send(Op::Pause);
            }
            if let Some(m) = h.try_read() {
                let ran = m.notice.as_ref().map_or("", |n| n.text.as_str());
                // "The script ran to 2.500 s and plays from its start: 3 of 4
                // expectations met." goes on as "the script ran to ...".
                said = match ran.strip_prefix('T') {
                    Some(rest) => format!("{setting}: t{rest}"),
                    None => format!("{setting}: {ran}"),
                };
                if let Some(p) = &m.script.problem {
                    said = format!("{said} Not met: {}.", p.message);
                    unmet = true;
                }
            }
        }
        Err(e) => problems.push(format!("{setting} ({e})")),
    }
    if !problems.is_empty() {
        if !said.is_empty() {
            said.push(' ');
        }
        said = format!("{said}Ignored in the address: {}.", problems.join("; "));
    }
    if said.is_empty() {
        return;
    }
    let notice = if unmet || !problems.is_empty() { Notice::error(said) } else { Notice::info(said) };
    let _ = h.update(|m| m.notice = Some(notice));
}
