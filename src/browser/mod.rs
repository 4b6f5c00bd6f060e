//! Browser adapters: `fetch` for HTTP, `localStorage` for the session. Each turns JS
//! failures into [`crate::AuthError`]s at the boundary.

mod fetch;
mod local_storage;

pub use fetch::FetchTransport;
pub use local_storage::BrowserStorage;

use crate::{ClientOptions, GoTrueClient};

/// The client as used in a browser: `fetch` and `localStorage` (memory when unavailable).
pub type BrowserClient = GoTrueClient<FetchTransport, BrowserStorage>;

impl GoTrueClient<FetchTransport, BrowserStorage> {
    /// A client that uses `fetch` and `localStorage`, falling back to memory where storage is
    /// blocked (private mode, sandboxed iframes) or `persist_session` is off.
    pub fn browser(options: ClientOptions) -> Self {
        let storage = if options.persist_session { BrowserStorage::local_or_memory() } else { BrowserStorage::memory() };
        GoTrueClient::new(options, FetchTransport::new(), storage)
    }
}
