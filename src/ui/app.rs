//! The root component: the toolbar, the guidance line, the ring with its
//! menu and inspector, the side column (log grid, tab bar, open panel) and the
//! help sheet; it starts the [`Clock`] while mounted.

use super::clock::Clock;
use super::focus::{move_focus, Move};
use super::inspector::InspectorProps;
use super::lesson::LessonsProps;
use super::lesson_load::use_lesson_progress;
use super::menu::MenuProps;
use super::panels::PanelProps;
use super::part::{part, Which};
use super::ring::RingProps;
#[cfg(feature = "script-panel")]
use super::script_panel::ScriptProps;
use super::store::Handle;
use super::timeline::StripProps;
use super::toolbar::toolbar;
use super::{class_list, use_effect_on, with_class, Esc};
use crate::view::model::{Guidance, Op, Tab};
use crate::view::ring::ring_draw;
use std::rc::Rc;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The root's props.
#[derive(PartialEq)]
pub struct AppProps {
    /// The model.
    pub handle: Handle,
}

/// The page.
pub fn app(ctx: &mut HookContext, props: &AppProps) -> Html {
    let h = props.handle.clone();
    let force = use_force_update().run(ctx);
    {
        let h = h.clone();
        use_effect_on(
            h.key(),
            Box::new(move || {
                let f = force.clone();
                h.set_redraw(Some(Rc::new(move || f.force_update())));
                let clock = Clock::start(h.clone());
                Some(Box::new(move || {
                    h.set_redraw(None);
                    drop(clock);
                }))
            }),
        )
        .run(ctx);
    }
    let progress_rev = h.try_read().map_or(0, |m| m.lessons.progress_rev());
    use_lesson_progress(&h, progress_rev).run(ctx);
    let Some(m) = h.try_read() else { return html! {} };
    let c = &m.cluster();
    let draw = ring_draw(&m);
    let n = c.servers().len();
    let rev = m.revision();

    let guidance = match m.guidance() {
        Guidance::Broken(property, explanation) => super::markup(format!(
            r#"<p class="hint bad" role="alert"><strong>{}: </strong>{}</p>"#,
            Esc(property),
            Esc(&explanation)
        )),
        Guidance::Notice(nt) => with_class(
            html! {
                <p role="status" data-notice={if nt.error { "error" } else { "info" }}>{ nt.text }
                <button class="x inline" onclick={h.on(Op::Dismiss)} aria-label="Dismiss">{"×"}</button></p>
            },
            AttrValue::Static(if nt.error { "hint notice bad" } else { "hint notice" }),
        ),
        Guidance::Tip(text) => super::markup(format!(r#"<p class="hint">{}</p>"#, Esc(&text))),
    };

    // ----- overlays on the ring -----
    let menu = m.selected.and_then(|id| {
        let s = draw.servers.get(id.index())?.clone();
        let others = draw.servers.iter().filter(|o| o.id != id).map(|o| (o.x, o.y)).collect::<Vec<_>>();
        let menu = MenuProps {
            handle: h.clone(),
            s,
            leader: c.leader(),
            write: m.draft_command(),
            others,
            #[cfg(feature = "membership")]
            remove: crate::view::members::can_remove(c, id),
        };
        Some(part(None, Which::Menu(menu)))
    });
    let inspector = m.inspected.clone().map(|msg| {
        let card = InspectorProps { handle: h.clone(), m: msg, fate: m.fate, now: c.now(), n };
        part(None, Which::Inspector(card))
    });

    // ----- side column -----
    let tab = m.tab;
    // On wide screens the log grid is always shown and the tab bar starts at Client.
    let lower = if tab == Tab::Logs { Tab::Events } else { tab };
    let props = || PanelProps { handle: h.clone(), rev };
    // Keyed by what it shows: a new tab mounts a fresh panel (its hooks are its own).
    let (key, which) = match lower {
        Tab::Logs | Tab::Events => ("events".to_string(), Which::Events(props())),
        Tab::Lessons => {
            ("lessons".to_string(), Which::Lessons(LessonsProps { handle: h.clone(), at: m.lessons.key(c.now()) }))
        }
        Tab::Client => ("client".to_string(), Which::Client(props())),
        Tab::Diagram => ("diagram".to_string(), Which::Diagram(props())),
        Tab::State => ("state".to_string(), Which::State(props())),
        Tab::Network => ("network".to_string(), Which::Network(props())),
        // Its form starts from the run's config: a new run starts a fresh form.
        Tab::Setup => (format!("setup {}", m.run), Which::Setup(props())),
        #[cfg(feature = "pseudocode-panel")]
        Tab::Pseudocode => ("pseudocode".to_string(), Which::Pseudocode(props())),
        // (The Script tab is drawn above when the page has it; it cannot be chosen when the page has not.)
        Tab::Legend | Tab::Script => ("legend".to_string(), Which::Legend),
    };
    let panel = part(Some(key.into()), which);
    #[cfg(feature = "script-panel")]
    let panel = if lower == Tab::Script {
        let which = Which::Script(ScriptProps { handle: h.clone() });
        part(Some("script".into()), which)
    } else {
        panel
    };
    // Escape anywhere inside the app closes menus (the global keys live in www/keys.js).
    let on_keys = h.on_event(|e: KeyboardEvent| (e.key() == "Escape").then_some(Op::Escape));
    html! {
        <div class="app" data-tab={tab.id()} data-servers={n.to_string()} onkeydown={on_keys}>
            { toolbar(&h, &m) }
            { guidance }
            <main class="main">
                <section class="stage" aria-label="Cluster">
                    <div class="ring-wrap">
                        { part(None, Which::Ring(RingProps { handle: h.clone(), draw })) }
                        // Always a node in each slot (an empty one when closed): with `for`,
                        // opening the inspector would shift the slots and rebuild the whole ring.
                        { inspector.unwrap_or_default() }
                    </div>
                    { part(None, Which::Timeline(StripProps { handle: h.clone(), rev: m.timeline().revision(), now: c.now() })) }
                    { part(None, Which::Strip) }
                </section>
                <section class="side" aria-label="Panels">
                    <div class="logs-region" role="region" aria-label="Log grid">
                        { super::raw(r#"<h2 class="region-title">Logs<span class="muted small"> — solid: committed · hatched: not yet · n / m: leader's nextIndex / matchIndex</span></h2>"#) }
                        { part(None, Which::LogGrid(PanelProps { handle: h.clone(), rev })) }
                    </div>
                    { part(None, Which::Tabs(TabsProps { handle: h.clone(), tab })) }
                    <div class="tab-panel" role="tabpanel" aria-labelledby={format!("tab-{}", lower.id())}>
                        { panel }
                    </div>
                </section>
                // The server's menu may cover the panels beside the ring, never its server
                // or the client. Always a node in this slot (see above).
                { menu.unwrap_or_default() }
            </main>
            if m.help {
                { part(None, Which::Help(h.clone())) }
            }
        </div>
    }
}

/// The tab bar's props: the tab open.
#[derive(PartialEq)]
pub struct TabsProps {
    /// Where the clicks go.
    pub handle: Handle,
    /// The tab open.
    pub tab: Tab,
}

/// The tab bar: a part of its own, drawn again only when another tab opens
/// (with the root, at every frame, it rebuilt its buttons and their clicks).
pub fn tab_bar(ctx: &mut HookContext, props: &TabsProps) -> Html {
    let tabs_ref = crate::ui::use_node().run(ctx);
    let (h, tab) = (&props.handle, props.tab);
    // On wide screens the log grid is always shown and the tab bar starts at Client.
    let lower = if tab == Tab::Logs { Tab::Events } else { tab };
    let tabs = Tab::ALL.iter().map(|&t| {
        let active = t == tab || (t == lower && tab == Tab::Logs);
        let id = format!("tab-{}", t.id());
        let class = class_list(&[
            "tab",
            &id,
            if t == tab { "active" } else { "" },
            if t == lower { "active-lower" } else { "" },
        ]);
        let button = html! {
            <button role="tab" aria-selected={(t == tab).to_string()} title={t.title()} onclick={h.on(Op::Tab(t))} {id}
                data-active={active.to_string()} tabindex={if active { "0" } else { "-1" }}>{ t.label() }</button>
        };
        with_class(button, class)
    });
    // Left / right (Home / End) move between the tabs and open them.
    let on_tab_keys = {
        let tabs_ref = tabs_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
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
    html! { <nav class="tabs" role="tablist" aria-label="Panels" ref={tabs_ref} onkeydown={on_tab_keys}>{ for tabs }</nav> }
}
