//! The root component: toolbar, ring, side column, overlays; and the clock
//! that advances the simulation from elapsed wall time.

use super::logs::{logs_key, LogGrid};
use super::model::{Op, Tab, MAX_SLOWDOWN};
use super::panels::*;
use super::ring::{ring_draw, Inspector, Ring, ServerMenu};
use super::store::Handle;
use super::theme::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The root's props.
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The model.
    pub handle: Handle,
}

/// How often the clock also ticks from a plain timer (ms), so that a page
/// whose animation frames are throttled (a background tab or iframe) keeps time.
const BACKUP_TICK_MS: i32 = 200;

/// The animation-frame callback, kept where it can re-register itself.
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// The clock: animation frames while visible, plus a slow timer.
struct Clock {
    alive: Rc<Cell<bool>>,
    interval: i32,
    _interval_cb: Closure<dyn FnMut()>,
    _frame_cb: FrameSlot,
}

impl Clock {
    fn start(handle: Handle) -> Option<Clock> {
        let window = web_sys::window()?;
        let perf = window.performance()?;
        let alive = Rc::new(Cell::new(true));
        let frame_cb: FrameSlot = Rc::new(RefCell::new(None));
        {
            let (h, alive2, perf2, me) = (handle.clone(), alive.clone(), perf.clone(), frame_cb.clone());
            let window2 = window.clone();
            *frame_cb.borrow_mut() = Some(Closure::new(move |_t: f64| {
                if !alive2.get() {
                    return;
                }
                // Redraw only when a tick (this one or the backup timer's) changed
                // something: time moved or a notice expired (clicks redraw on their own).
                let moved = h
                    .try_write()
                    .map(|mut m| {
                        m.tick(perf2.now());
                        m.take_undrawn()
                    })
                    .unwrap_or(false);
                if moved {
                    h.redraw();
                }
                if let Some(cb) = me.borrow().as_ref() {
                    let _ = window2.request_animation_frame(cb.as_ref().unchecked_ref());
                }
            }));
        }
        if let Some(cb) = frame_cb.borrow().as_ref() {
            let _ = window.request_animation_frame(cb.as_ref().unchecked_ref());
        }
        let interval_cb = {
            let (h, alive2) = (handle.clone(), alive.clone());
            // Only advances: drawing waits for the next animation frame.
            Closure::<dyn FnMut()>::new(move || {
                if alive2.get() {
                    if let Some(mut m) = h.try_write() {
                        m.tick(perf.now());
                    }
                }
            })
        };
        let interval = window
            .set_interval_with_callback_and_timeout_and_arguments_0(
                interval_cb.as_ref().unchecked_ref(),
                BACKUP_TICK_MS,
            )
            .unwrap_or(0);
        Some(Clock { alive, interval, _interval_cb: interval_cb, _frame_cb: frame_cb })
    }
}

impl Drop for Clock {
    fn drop(&mut self) {
        self.alive.set(false);
        if let Some(w) = web_sys::window() {
            w.clear_interval_with_handle(self.interval);
        }
        // Break the frame closure's cycle (it holds itself to re-register).
        if let Ok(mut f) = self._frame_cb.try_borrow_mut() {
            f.take();
        }
    }
}

/// The page.
#[component]
pub fn App(props: &AppProps) -> Html {
    let h = props.handle.clone();
    let force = use_force_update();
    let tabs_ref = use_node_ref();
    {
        let h = h.clone();
        use_effect_with(h.clone(), move |_| {
            let f = force.clone();
            h.set_redraw(Some(Rc::new(move || f.force_update())));
            let clock = Clock::start(h.clone());
            move || {
                h.set_redraw(None);
                drop(clock);
            }
        });
    }
    let Some(m) = h.try_read() else { return html! {} };
    let c = &m.cluster;
    let draw = ring_draw(&m);
    let n = c.servers().len();
    let leader = c.leader();
    let violations = c.violations();

    // ----- toolbar -----
    let toggle = {
        let h = h.clone();
        Callback::from(move |_| h.send(Op::TogglePlay))
    };
    let step = {
        let h = h.clone();
        Callback::from(move |_| h.send(Op::Step))
    };
    let on_speed = {
        let h = h.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value_as_number();
            if v.is_finite() {
                h.send(Op::SetSlowdown(10f64.powf(v)));
            }
        })
    };
    let help = {
        let h = h.clone();
        Callback::from(move |_| h.send(Op::ToggleHelp))
    };
    let safety = if violations.is_empty() {
        html! {
            <div class="badge safe" role="status" data-safety="ok"
                title="Checked after every event: Election Safety, Leader Append-Only, Log Matching, Leader Completeness, State Machine Safety, and no acknowledged write lost.">
                <span class="badge-ico" aria-hidden="true">{"✓"}</span>
                <span class="wide-only">{ "Safe: the 5 properties hold" }</span><span class="narrow-only">{ "Safe" }</span>
            </div>
        }
    } else {
        let v = &violations[0];
        html! {
            <div class="badge unsafe" role="alert" data-safety="violated" title={v.explanation.clone()}>
                <span class="badge-ico" aria-hidden="true">{"!"}</span>
                <span class="wide-only">{ format!("{} broken", v.property.name()) }</span><span class="narrow-only">{ "Unsafe" }</span>
            </div>
        }
    };
    let slow_log = m.slowdown.log10();
    let toolbar = html! {
        <header class="toolbar">
            <h1 class="title" title="Raft Playground: a Raft cluster you can watch and break">
                <svg viewBox="-16 -16 32 32" width="22" height="22" aria-hidden="true"><circle r="13" class="logo" /><path class="crown" transform="scale(0.55) translate(0 2)" d="M-13,4 L-15,-9 L-7,-2 L0,-12 L7,-2 L15,-9 L13,4 Z" /></svg>
                <span class="wide-only">{ "Raft Playground" }</span>
            </h1>
            <button class="primary play" onclick={toggle} aria-label={if m.playing { "Pause (space)" } else { "Play (space)" }}
                title={if m.playing { "Pause (space)" } else { "Play (space)" }} data-playing={m.playing.to_string()}>
                <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                    if m.playing { <path d="M3,2 h3.5 v12 h-3.5 Z M9.5,2 h3.5 v12 h-3.5 Z" /> } else { <path d="M3,1.5 L14,8 L3,14.5 Z" /> }
                </svg><span class="wide-only">{ if m.playing { " Pause" } else { " Play" } }</span>
            </button>
            <button onclick={step} aria-label="Step to the next event (→)" title="Step: pause and run to the next event (→)">
                <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M2,2 L11,8 L2,14 Z M12,2 h2.5 v12 h-2.5 Z" /></svg>
                <span class="wide-only">{ " Step" }</span></button>
            <label class="speed" title="Speed, on a logarithmic scale: from real time down to 1000 times slower">
                <span class="sr-only">{ "Speed" }</span>
                <input type="range" min="0" max={MAX_SLOWDOWN.log10().to_string()} step="0.05"
                    value={format!("{:.2}", slow_log)} oninput={on_speed} aria-label="Speed: how many times slower than real time"
                    aria-valuetext={slowdown_label(m.slowdown)} />
                <span class="speed-label">{ slowdown_label(m.slowdown) }</span>
            </label>
            <span class="clock" title="Virtual time since the start">{ format!("t = {}", secs(m.display_now())) }</span>
            <span class="seed" title="The seed of this run: the same seed and the same actions give the same run. Change it in Setup.">
                { format!("seed {}", m.start.seed) }</span>
            { safety }
            <button class="help-btn" onclick={help} aria-label="Help and keyboard shortcuts (?)" title="Help and keyboard shortcuts (?)">{ "?" }</button>
        </header>
    };

    // ----- notices -----
    let hint = match leader {
        _ if !violations.is_empty() => html! {
            <p class="hint bad" role="alert"><strong>{ format!("{}: ", violations[0].property.name()) }</strong>{ violations[0].explanation.clone() }</p>
        },
        _ if m.notice.is_some() => {
            let nt = m.notice.clone().unwrap_or_else(|| super::model::Notice::info(""));
            let dismiss = {
                let h = h.clone();
                Callback::from(move |_| h.send(Op::Dismiss))
            };
            html! { <p class={classes!("hint", "notice", nt.error.then_some("bad"))} role="status"
                data-notice={if nt.error { "error" } else { "info" }}>{ nt.text }
            <button class="x inline" onclick={dismiss} aria-label="Dismiss">{"×"}</button></p> }
        }
        None => {
            html! { <p class="hint">{ "No leader yet: when a server's timer arc runs out, it asks the others for votes. Click a server for its menu, a message to inspect it. Space plays, → steps, ? helps." }</p> }
        }
        Some(l) => {
            html! { <p class="hint">{ format!("{l} leads. Write through the Client panel, or click a server to crash it, cut it off or hand it leadership — then watch the log grid. Space, →, 1–{n}, ? for keys.") }</p> }
        }
    };

    // ----- overlays on the ring -----
    let menu = m.selected.and_then(|id| {
        let s = draw.servers.get(id.index())?.clone();
        Some(html! { <ServerMenu handle={h.clone()} {id} {s} {leader} write={(m.draft_key.clone(), m.draft_value)} /> })
    });
    let inspector = m.inspected.clone().map(|msg| {
        html! { <Inspector handle={h.clone()} m={msg} fate={m.fate} now={c.now()} {n} /> }
    });

    // ----- side column -----
    let tab = m.tab;
    // On wide screens the log grid is always shown and the tab bar starts at Client.
    let lower = if tab == Tab::Logs { Tab::Events } else { tab };
    let tabs = Tab::ALL.iter().map(|&t| {
        let h = h.clone();
        let on = Callback::from(move |_| h.send(Op::Tab(t)));
        let active = t == tab || (t == lower && tab == Tab::Logs);
        html! {
            <button role="tab" class={classes!("tab", format!("tab-{}", t.id()), (t == tab).then_some("active"), (t == lower).then_some("active-lower"))}
                aria-selected={(t == tab).to_string()} title={t.title()} onclick={on} id={format!("tab-{}", t.id())}
                data-active={active.to_string()} tabindex={if active { "0" } else { "-1" }}>{ t.label() }</button>
        }
    });
    let panel = |t: Tab| -> Html {
        let key_ = panel_key(&m, t);
        match t {
            Tab::Logs | Tab::Events => html! { <EventFeed handle={h.clone()} {key_} /> },
            Tab::Client => html! { <ClientPanel handle={h.clone()} {key_} /> },
            Tab::Servers => html! { <ServersPanel handle={h.clone()} {key_} /> },
            Tab::Network => html! { <NetworkPanel handle={h.clone()} {key_} /> },
            // Its form starts from the run's config: a new run starts a fresh form.
            Tab::Settings => html! { <SettingsPanel key={m.run} handle={h.clone()} {key_} /> },
            Tab::Legend => html! { <Legend /> },
        }
    };
    // Left / right (Home / End) move between the tabs and open them.
    let on_tab_keys = {
        let tabs_ref = tabs_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            use super::focus::{move_focus, Move};
            let how = match e.key().as_str() {
                "ArrowRight" => Move::Next,
                "ArrowLeft" => Move::Prev,
                "Home" => Move::First,
                "End" => Move::Last,
                _ => return,
            };
            e.prevent_default();
            if let Some(bar) = tabs_ref.cast::<web_sys::Element>() {
                if let Some(t) = move_focus(&bar, "[role=\"tab\"]", how) {
                    t.click();
                }
            }
        })
    };
    let logs_k = logs_key(&m);
    let on_keys = {
        // Escape anywhere inside the app closes menus (the global keys live in www/keys.js).
        let h = h.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                h.send(Op::Escape)
            }
        })
    };
    html! {
        <div class="app" data-tab={tab.id()} data-servers={n.to_string()} onkeydown={on_keys}>
            { toolbar }
            { hint }
            <main class="main">
                <section class="stage" aria-label="Cluster">
                    <div class="ring-wrap">
                        <Ring handle={h.clone()} draw={draw.clone()} />
                        // Always a node in each slot (an empty one when closed): with `for`,
                        // opening the menu would shift the slots and rebuild the whole ring
                        // (losing the focus of a server).
                        { menu.unwrap_or_default() }
                        { inspector.unwrap_or_default() }
                    </div>
                    <LegendStrip />
                </section>
                <section class="side" aria-label="Panels">
                    <div class="logs-region" role="region" aria-label="Log grid">
                        <h2 class="region-title">{ "Logs" }<span class="muted small">{ " — solid: committed · hatched: not yet · n / m: leader's nextIndex / matchIndex" }</span></h2>
                        <LogGrid handle={h.clone()} key_={logs_k} />
                    </div>
                    <nav class="tabs" role="tablist" aria-label="Panels" ref={tabs_ref} onkeydown={on_tab_keys}>{ for tabs }</nav>
                    <div class="tab-panel" role="tabpanel" aria-labelledby={format!("tab-{}", lower.id())}>
                        { panel(lower) }
                    </div>
                </section>
            </main>
            if m.help {
                <Help handle={h.clone()} />
            }
        </div>
    }
}
