//! # Raft Playground
//!
//! A Raft cluster you can watch and break.
//!
//! - [`raft`]: one Raft node, written sans-IO: it takes inputs (a message, a timer
//!   firing, a client command) and returns outputs (messages to send, timers to
//!   reset, replies, notes for the trace). It owns no clock, no network and no
//!   randomness.
//! - [`sim`]: the simulator of a whole cluster around those nodes: virtual time,
//!   a network with latency, loss, partitions and hand-dropped messages, a
//!   simulated client, a safety monitor and a readable event trace. Everything
//!   random comes from one seeded generator, so a run is repeatable bit for bit,
//!   natively and in the browser.
//! - [`script`]: scenario scripts (plain text a teacher writes: settings,
//!   actions at virtual times, `wait until` and `expect` lines, `say` lines),
//!   the export of a run as a script, and links that pack a run into a URL
//!   fragment.
//! - [`timeline`]: time travel over a run: any moment shown exactly (from
//!   checkpoints, thinned as the run grows, and deterministic replay), played
//!   on from there, or changed there on a new branch with the old future kept.
//! - [`lesson`]: guided lessons: scenario scripts cut into steps with
//!   captions, highlights, conditions to wait for and questions that ask the
//!   learner to predict; a runner the page drives step by step.
//! - [`decimal`]: decimals written and read with whole numbers (the page
//!   uses no float formatting or parsing of the standard library).
//! - [`quote`]: texts in quotes, escaped as `{:?}` writes them (without
//!   the standard library's Debug of strings, which the page leaves out).
//! - [`sorted_map`]: the engine's small tables, as sorted vectors.
//! - [`view`]: the view-model: the page's state and every change to it, what
//!   the ring, the log grid and the inspector draw, the Setup form's checks,
//!   the JavaScript API's arguments and `state()`. Pure logic, tested natively.
//!
//! The page itself (`ui`, its Yew components, and `api`, its JavaScript API)
//! is compiled to wasm32 only: it draws the view-model and turns clicks and
//! calls into its operations.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod decimal;
pub mod lesson;
pub mod quote;
pub mod raft;
pub mod script;
pub mod sim;
pub mod sorted_map;
pub mod timeline;
pub mod view;

// The page: wasm32 only, so native builds and tests never compile it; and
// only with the `page` feature, which the script worker leaves out.
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod api;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod ui;

/// The page's allocator: talc, smaller than the standard library's dlmalloc
/// (the page is single-threaded wasm, which is what `WasmDynamicTalc` needs).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
