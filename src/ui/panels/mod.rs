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

pub use client::ClientPanel;
pub use events::EventFeed;
pub use help::Help;
pub use legend::{Legend, LegendStrip};
pub use network::NetworkPanel;
pub use setup::SetupPanel;
pub use state::StatePanel;

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
