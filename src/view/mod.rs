//! The view-model: what the page shows and what it accepts, worked out from a
//! [`Cluster`](crate::sim::Cluster) without a browser, so that plain `cargo test`
//! checks it. The components (`src/ui`) and the JavaScript API (`src/api`)
//! only turn it into markup and JavaScript values.
//!
//! - [`model`]: the page's one state (the cluster, the clock, the selection,
//!   the open panel) and every [`Op`](model::Op) that changes it.
//! - [`ring`]: what the ring draws at one moment; [`geometry`]: where things
//!   sit on it; [`message`]: a message at a glance (kind, term, ✓ or ✗), for
//!   the ring and `state()` alike.
//! - [`labels`]: how big the ring's words are at the size it is drawn, and
//!   the form of a server's term that fits its circle.
//! - [`inspector`]: the message inspector's fields, sentence and corner.
//! - [`logs`]: the rows of the log grid.
//! - [`members`]: each server's place in the configuration (voter, learner,
//!   removed) and whether a server can be added or removed now.
//! - [`lesson`]: the lesson list, the progress, and a recorded lesson played on the page's cluster.
//! - [`events`]: the event feed's pages and the events `events(from, count)` returns.
//! - [`setup`]: the Setup form's checks.
//! - [`state`]: the object `raftPlayground.state()` returns.
//! - [`json`]: the JSON the JavaScript API hands out, written by hand (no
//!   serde_json on the page).
//! - [`args`]: the address's settings and the JavaScript API's arguments and
//!   options, checked, with their error sentences.
//! - [`diagram`]: the space-time diagram (lanes, arrows, marks, spans, windowed);
//!   [`diagram_svg`]: the same as a standalone SVG file.
//! - [`pseudocode`]: the live pseudocode panel's text (parsed) and which of
//!   its lines an event or a message ran, with the values compared.
//! - [`theme`]: colours and words.
//! - [`timeline`]: the timeline strip under the ring (term bands, marks
//!   bucketed per pixel column, what is under the pointer).

pub mod args;
pub mod diagram;
pub mod diagram_svg;
pub mod events;
pub mod geometry;
pub mod inspector;
pub mod json;
pub mod labels;
pub mod lesson;
pub mod logs;
pub mod members;
pub mod message;
pub mod model;
pub mod pseudocode;
pub mod ring;
pub mod setup;
pub mod state;
pub mod texts;
pub mod theme;
pub mod timeline;
