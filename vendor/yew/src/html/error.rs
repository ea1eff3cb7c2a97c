/// Render Error.
///
/// raft-playground patch: no variant. It had one, `Suspended(Suspension)`,
/// returned by a component whose hook suspends (`use_future`...) under a
/// `<Suspense>`; the page has neither, and with no error to handle the
/// suspension's code (`ComponentState::suspend`, the `<Suspense>` lookups)
/// leaves the wasm (see vendor/yew/PATCHES.md).
#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {}

impl std::fmt::Display for RenderError {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {}
    }
}

impl std::error::Error for RenderError {}

/// Render Result.
pub type RenderResult<T> = std::result::Result<T, RenderError>;
