//! The side column's panels, one file each, and the help sheet. The panels
//! that show the cluster read the model themselves and draw again only when
//! its [`Revision`] changes.

mod client;
mod events;
mod help;
mod legend;
mod network;
mod setup;
mod state;

pub use help::Help;
pub use network::NetworkPanel;
pub use setup::SetupPanel;

use super::store::Handle;
use crate::view::model::Revision;
use yew::prelude::*;

/// Props of the panels that read the model themselves.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The model.
    pub handle: Handle,
    /// The model's revision: the panel draws again when it changes.
    pub rev: Revision,
}

/// What a [`Plain`] component shows: the views without hooks of their own.
#[derive(Clone, Copy, PartialEq)]
pub enum Shows {
    /// The event feed.
    Events,
    /// The client panel.
    Client,
    /// The State panel.
    State,
    /// The Legend panel.
    Legend,
    /// The key to the message shapes under the ring.
    Strip,
}

/// Props of a [`Plain`] component.
#[derive(Properties, PartialEq)]
pub struct PlainProps {
    /// The model.
    pub handle: Handle,
    /// The model's revision: the view draws again when it changes (the default for
    /// the legend and the strip, which never change).
    pub rev: Revision,
    /// Which view.
    pub shows: Shows,
}

/// One component for the views that need no hooks: each component type
/// costs about 1 KB of wasm (its lifecycle code), so five share one.
#[component]
pub fn Plain(props: &PlainProps) -> Html {
    let h = &props.handle;
    match props.shows {
        Shows::Events => events::event_feed(h),
        Shows::Client => client::client_panel(h),
        Shows::State => state::state_panel(h),
        Shows::Legend => legend::legend(),
        Shows::Strip => legend::legend_strip(),
    }
}
