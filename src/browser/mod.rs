//! Browser adapters — `fetch`, `localStorage`, WebCrypto/timers/Web Locks — and the page
//! lifecycle built on them ([`BrowserAuth`]). JS failures become [`crate::AuthError`]s here.

mod fetch;
mod lifecycle;
mod local_storage;
mod runtime;
#[cfg(feature = "webauthn-ceremonies")]
mod webauthn;

use std::rc::Rc;

pub use fetch::FetchTransport;
#[cfg(feature = "js-api")]
// Used by the engine's code exchange, which the size-table variant leaves out.
#[cfg_attr(feature = "size-table", allow(unused_imports))]
pub(crate) use lifecycle::page_href;
pub use lifecycle::{BrowserAuth, CallbackCheck, DetectSessionInUrl};
pub use local_storage::BrowserStorage;
pub use runtime::BrowserRuntime;
#[cfg(feature = "webauthn-ceremonies")]
pub use webauthn::{PasskeyOptions, WebAuthnOptions};

use crate::{ClientOptions, GoTrueClient, User};

/// The client as used in a browser: `fetch` and `localStorage` (memory when unavailable).
pub type BrowserClient<U = User> = GoTrueClient<FetchTransport, BrowserStorage, U>;

impl GoTrueClient<FetchTransport, BrowserStorage> {
    /// A client that uses `fetch` and `localStorage`, falling back to memory where storage is
    /// blocked (private mode, sandboxed iframes) or `persist_session` is off.
    ///
    /// This is the bare client: for URL detection, auto refresh and cross-tab sync use
    /// [`BrowserAuth`].
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # fn run() {
    /// let client = BrowserClient::browser(ClientOptions::new("https://project.supabase.co/auth/v1"));
    /// # }
    /// ```
    pub fn browser(options: ClientOptions) -> Self {
        let storage =
            if options.persist_session { BrowserStorage::local_or_memory() } else { BrowserStorage::memory() };
        Self::browser_with_storage(options, storage)
    }

    /// A browser client on the given storage.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # fn run() {
    /// let client = BrowserClient::browser_with_storage(ClientOptions::new("https://project.supabase.co/auth/v1"), BrowserStorage::memory());
    /// # }
    /// ```
    pub fn browser_with_storage(options: ClientOptions, storage: BrowserStorage) -> Self {
        GoTrueClient::with_runtime(options, FetchTransport::new(), storage, Rc::new(BrowserRuntime))
    }
}
