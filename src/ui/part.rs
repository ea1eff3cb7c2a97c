//! One component type for every part of the page, the root included: [`Part`],
//! drawing the view its [`Which`] names. Each component type costs about
//! 1 KB of wasm besides its view (yew's lifecycle code for it: the runner
//! that creates it, its scope, its props' glue and their vtables), so the
//! page's parts share one instead of having one each.
//!
//! A part that keeps state (hooks) runs them through the `ctx` it is handed
//! (`use_local(..).run(ctx)`); a part draws again only when its `Which`
//! changes, as a component of its own did when its props changed. One
//! instance always draws the same kind of part (its hooks must come in the
//! same order each time): where one place in the page shows different kinds
//! in turn (the side column's panel), the caller keys each kind.

use super::app::{app, tab_bar, AppProps, TabsProps};
use super::diagram::{diagram_chunk, diagram_panel};
use super::inspector::{inspector, InspectorProps};
use super::lesson::{lessons_panel, LessonsProps};
use super::logs;
use super::menu::{server_menu, MenuProps};
use super::panels::{self, PanelProps};
use super::ring::{links, message_glyph, ring, server_node, LinksProps, MessageProps, RingProps, ServerProps};
#[cfg(feature = "script-panel")]
use super::script_panel::{script_panel, ScriptProps};
use super::store::Handle;
use super::timeline::{timeline_strip, StripProps};
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// Which part a [`Part`] draws, with what it draws from.
#[derive(PartialEq)]
pub enum Which {
    /// The whole page (the root).
    App(AppProps),
    /// The tab bar of the side column.
    Tabs(TabsProps),
    /// The event feed.
    Events(PanelProps),
    /// The Client panel.
    Client(PanelProps),
    /// The State panel.
    State(PanelProps),
    /// The Network panel.
    Network(PanelProps),
    /// The Setup panel.
    Setup(PanelProps),
    /// The Legend panel (it never changes).
    Legend,
    /// The key to the message shapes under the ring (it never changes).
    Strip,
    /// The timeline strip under the ring (time travel).
    Timeline(StripProps),
    /// The Script panel (only in builds with the `script-panel` feature).
    #[cfg(feature = "script-panel")]
    Script(ScriptProps),
    /// The Pseudocode panel (only in builds with the `pseudocode-panel` feature).
    #[cfg(feature = "pseudocode-panel")]
    Pseudocode(PanelProps),
    /// The help sheet.
    Help(Handle),
    /// The Diagram tab.
    Diagram(PanelProps),
    /// A chunk of the Diagram's arrows.
    DiagramChunk(crate::view::diagram_svg::Chunk),
    /// The Lessons panel.
    Lessons(LessonsProps),
    /// The message inspector.
    Inspector(InspectorProps),
    /// A server's menu.
    Menu(MenuProps),
    /// The log grid.
    LogGrid(PanelProps),
    /// The ring.
    Ring(RingProps),
    /// The ring's links and the client's box in the middle.
    Links(LinksProps),
    /// One of the two parts of a server: on the ring, or over its timer arc on the ring's upper layer.
    Server(ServerProps),
    /// What is inside a message on the ring (its group moves, this does not).
    Message(MessageProps),
}

/// A [`Part`]'s props.
#[derive(Properties, PartialEq)]
pub struct PartProps {
    /// What it draws.
    pub which: Which,
}

/// Draws a part with the component's hook context (a hook, so that the
/// component's body can hand it the context).
struct Draw<'a>(&'a Which);

impl Hook for Draw<'_> {
    type Output = Html;

    fn run(self, ctx: &mut HookContext) -> Html {
        match self.0 {
            Which::App(p) => app(ctx, p),
            Which::Tabs(p) => tab_bar(ctx, p),
            Which::Events(p) => panels::event_feed(ctx, &p.handle),
            Which::Client(p) => panels::client_panel(ctx, &p.handle),
            Which::State(p) => panels::state_panel(ctx, &p.handle),
            Which::Network(p) => panels::network_panel(ctx, p),
            Which::Setup(p) => panels::setup_panel(ctx, p),
            Which::Legend => panels::legend(ctx),
            Which::Strip => panels::legend_strip(),
            Which::Timeline(p) => timeline_strip(ctx, p),
            #[cfg(feature = "script-panel")]
            Which::Script(p) => script_panel(ctx, p),
            #[cfg(feature = "pseudocode-panel")]
            Which::Pseudocode(p) => panels::pseudocode_panel(ctx, p),
            Which::Help(p) => panels::help(ctx, p),
            Which::Diagram(p) => diagram_panel(ctx, p),
            Which::DiagramChunk(k) => diagram_chunk(k),
            Which::Lessons(p) => lessons_panel(ctx, p),
            Which::Inspector(p) => inspector(ctx, p),
            Which::Menu(p) => server_menu(ctx, p),
            Which::LogGrid(p) => logs::grid(ctx, p),
            Which::Ring(p) => ring(ctx, p),
            Which::Links(p) => links(p),
            Which::Server(p) => server_node(p),
            Which::Message(p) => message_glyph(p),
        }
    }
}

/// The part of the page that `which` names.
fn use_part(which: &Which) -> Draw<'_> {
    Draw(which)
}

/// A [`Part`] that draws `which`, with `key` if given: one copy of the code
/// that makes a component's node, not one at each place that draws a part.
#[inline(never)]
pub fn part(key: Option<yew::virtual_dom::Key>, which: Which) -> Html {
    Html::VComp(std::rc::Rc::new(yew::virtual_dom::VComp::new::<Part>(std::rc::Rc::new(PartProps { which }), key)))
}

/// Any part of the page (see the module's documentation).
#[component]
pub fn Part(props: &PartProps) -> Html {
    use_part(&props.which)
}
