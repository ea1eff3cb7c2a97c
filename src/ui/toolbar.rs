//! The toolbar: title, play / pause, step, the speed slider, virtual time,
//! the seed, Add server (with membership changes), the safety badge and the help button.

use super::store::Handle;
use super::{markup, raw, Esc};
use crate::decimal::trimmed;
use crate::sim::Property;
use crate::view::model::{Model, Op, MIN_SPEED};
use crate::view::theme::{secs, speed_label};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The title with its logo.
const TITLE: &str = concat!(
    r#"<h1 class="title" title="Raft Playground: a Raft cluster you can watch and break">"#,
    r#"<svg viewBox="-16 -16 32 32" width="22" height="22" aria-hidden="true"><circle r="13" class="logo"></circle><path class="crown" transform="scale(0.55) translate(0 2)" d="M-13,4 L-15,-9 L-7,-2 L0,-12 L7,-2 L15,-9 L13,4 Z"></path></svg>"#,
    r#"<span class="wide-only">Raft Playground</span></h1>"#
);

/// The play button's icon and word while paused, and while playing.
const PLAY: &str = r#"<svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M3,1.5 L14,8 L3,14.5 Z"></path></svg><span class="wide-only"> Play</span>"#;
const PAUSE: &str = r#"<svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M3,2 h3.5 v12 h-3.5 Z M9.5,2 h3.5 v12 h-3.5 Z"></path></svg><span class="wide-only"> Pause</span>"#;

/// The step button, with its icon and word (markup that never changes: its
/// click reaches the toolbar's listener by its `data-tb`).
const STEP: &str = r#"<button class="step-btn" data-tb="1" aria-label="Step to the next event (→)" title="Step: pause and run to the next event (→)"><svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M2,2 L11,8 L2,14 Z M12,2 h2.5 v12 h-2.5 Z"></path></svg><span class="wide-only"> Step</span></button>"#;

/// The help button (as [`STEP`]).
const HELP: &str = r#"<button class="help-btn" data-tb="2" aria-label="Help and keyboard shortcuts (?)" title="Help and keyboard shortcuts (?)">?</button>"#;

/// The Add server button's icon (a server with a plus) and word.
#[cfg(feature = "membership")]
const ADD: &str = r#"<svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M7,1.5 h2 v5.5 h5.5 v2 h-5.5 v5.5 h-2 v-5.5 h-5.5 v-2 h5.5 Z"></path></svg><span class="wide-only"> Server</span>"#;

/// The Add server button: enabled when the leader would add a server now,
/// else disabled with the engine's reason in its tooltip.
#[cfg(feature = "membership")]
fn add_button(h: &Handle, m: &Model) -> Html {
    use crate::sim::Action;
    let (enabled, title) = match crate::view::members::can_add(m.cluster()) {
        Ok(()) => (
            true,
            "Add a server: it joins as a learner (it gets the log but does not vote), and the leader makes it a voter once it has caught up".to_string(),
        ),
        Err(why) => (false, format!("Cannot add a server now: {why}")),
    };
    html! {
        <button class="add-btn" onclick={h.on(Op::Sim(Action::AddServer))} disabled={!enabled}
            aria-label={title.clone()} {title}>{ raw(ADD) }</button>
    }
}

/// The toolbar, drawn from the model on every frame (the clock moves). The
/// speed slider runs on a logarithmic scale of how many times slower than real
/// time: 0 (real time) on the left to 3 (1000× slower) on the right.
///
/// A function, not a component: it would draw again on every frame anyway,
/// and a component costs the page about 750 bytes.
pub fn toolbar(h: &Handle, m: &Model) -> Html {
    // The step and help buttons' clicks.
    let on_click = h.on_event(|e: MouseEvent| match super::data_num(&e, "[data-tb]", "data-tb") {
        Some(1) => Some(Op::Step),
        Some(2) => Some(Op::ToggleHelp),
        _ => None,
    });
    let on_speed = h.on_event(|e: InputEvent| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value_as_number();
        // JavaScript's Math (not f64::powf and log10: libm's code in the page's wasm).
        v.is_finite().then(|| Op::SetSpeed(1.0 / js_sys::Math::pow(10.0, v)))
    });
    // Markup (it changes rarely, and nothing in it takes clicks or focus).
    let safety = markup(match m.cluster().violations().first() {
        None => {
            let mut names = String::new();
            for p in Property::ALL {
                names.push_str(if names.is_empty() { "" } else { ", " });
                names.push_str(p.name());
            }
            format!(
                r#"<div class="badge safe" role="status" data-safety="ok" title="Checked after every event: {}."><span class="badge-ico" aria-hidden="true">✓</span><span class="wide-only">Safe: the {} properties hold</span><span class="narrow-only">Safe</span></div>"#,
                Esc(&names),
                Property::ALL.len()
            )
        }
        Some(v) => format!(
            r#"<div class="badge unsafe" role="alert" data-safety="violated" title="{}"><span class="badge-ico" aria-hidden="true">!</span><span class="wide-only">{} broken</span><span class="narrow-only">Unsafe</span></div>"#,
            Esc(&v.explanation),
            Esc(v.property.name())
        ),
    });
    let (playing, speed) = (m.playing, m.speed);
    let play_label = match (playing, m.held) {
        (true, _) => "Pause (space)",
        (false, true) => "Play (space): paused while the pointer rests on a message",
        (false, false) => "Play (space)",
    };
    // A first visit starts faster, until the first election timer runs out.
    let (speed_words, speed_title) = match m.warmup {
        Some(_) => {
            ("fast start".to_string(), "Faster until the first election timer runs out, then at the speed set here")
        }
        None => (speed_label(speed), "Speed, on a logarithmic scale: from real time down to 1000 times slower"),
    };
    // The slider's place as the input keeps its value: on its 0.05 steps,
    // written as the browser writes it ("1.6", not "1.60"). Any other
    // spelling differs from the input's value, and was set anew at every frame.
    let place = trimmed((js_sys::Math::log10(1.0 / speed) / 0.05 + 0.5) as u32 as f64 * 0.05, 2);
    #[cfg(feature = "membership")]
    let add = add_button(h, m);
    #[cfg(not(feature = "membership"))]
    let add = Html::default();
    html! {
        <header class="toolbar" onclick={on_click}>
            { raw(TITLE) }
            <button class="primary play" onclick={h.on(Op::TogglePlay)} aria-label={play_label}
                title={play_label} data-playing={playing.to_string()} data-held={m.held.to_string()}>
                { raw(if playing { PAUSE } else { PLAY }) }
            </button>
            { raw(STEP) }
            <label class="speed" title={speed_title}>
                { raw(r#"<span class="sr-only">Speed</span>"#) }
                <input type="range" min="0" max={trimmed(js_sys::Math::log10(1.0 / MIN_SPEED), 2)} step="0.05"
                    value={place} oninput={on_speed} aria-label="Speed: how many times slower than real time"
                    aria-valuetext={speed_label(speed)} />
                <span class="speed-label" data-warmup={m.warmup.is_some().to_string()}>{ speed_words }</span>
            </label>
            <span class="clock" title="Virtual time since the start">{ format!("t = {}", secs(m.display_now())) }</span>
            <span class="seed" title="The seed of this run: the same seed and the same actions give the same run. Change it in Setup.">
                { format!("seed {}", m.start.seed) }</span>
            { add }
            { safety }
            { raw(HELP) }
        </header>
    }
}
