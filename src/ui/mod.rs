//! The page (wasm32 only): Yew components that draw a [`Cluster`](crate::sim::Cluster)
//! and turn clicks into simulator calls. No Raft logic lives here.
//!
//! - [`model`]: the one state of the page (the cluster, speed, play flag,
//!   selection) and every [`Op`](model::Op) that changes it.
//! - [`store`]: the shared handle to it, used by components, the clock and the
//!   JavaScript API alike.
//! - [`app`], [`ring`], [`logs`], [`panels`]: components, each rendering from the model.
//! - [`theme`]: colours, geometry and words.
//! - [`focus`]: arrow keys in menus and tab bars, focus handed back on close.

pub mod app;
pub mod focus;
pub mod logs;
pub mod model;
pub mod panels;
pub mod ring;
pub mod store;
pub mod theme;
