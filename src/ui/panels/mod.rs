//! The side column's panels, one file each, and the help sheet. The panels
//! that show the cluster read the model themselves and draw again only when
//! its [`Revision`] changes.

mod client;
mod events;
mod help;
mod legend;
mod network;
#[cfg(feature = "pseudocode-panel")]
mod pseudocode;
mod setup;
mod state;

pub use client::client_panel;
pub use events::event_feed;
pub use help::help;
pub use legend::{legend, legend_strip};
pub use network::network_panel;
#[cfg(feature = "pseudocode-panel")]
pub use pseudocode::{pseudocode_panel, set_text as set_pseudocode_text};
pub use setup::setup_panel;
pub use state::state_panel;

use super::store::Handle;
use crate::view::model::Revision;

/// Props of the panels that read the model themselves.
#[derive(PartialEq)]
pub struct PanelProps {
    /// The model.
    pub handle: Handle,
    /// The model's revision: the panel draws again when it changes.
    pub rev: Revision,
}
