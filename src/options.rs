//! Client options, named after auth-js's so the two read alike.

use crate::storage::DEFAULT_STORAGE_KEY;

/// How the client is set up. Build with [`ClientOptions::new`] and the chained setters.
///
/// ```
/// use gotrue_wasm::ClientOptions;
/// let options = ClientOptions::new("https://project.supabase.co/auth/v1")
///     .header("apikey", "public-anon-key")
///     .storage_key("sb-project-auth-token");
/// assert_eq!(options.storage_key, "sb-project-auth-token");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientOptions {
    /// The auth server's base URL (`http://localhost:9999`, or a project's `…/auth/v1`).
    pub url: String,
    /// Headers sent with every request, e.g. `apikey`.
    pub headers: Vec<(String, String)>,
    /// The storage key of the session (auth-js default `supabase.auth.token`).
    pub storage_key: String,
    /// Whether the session is written to storage (`false`: memory only).
    pub persist_session: bool,
}

impl ClientOptions {
    /// Options for the server at `url`, with auth-js's defaults for the rest.
    pub fn new(url: impl Into<String>) -> Self {
        ClientOptions {
            url: url.into(),
            headers: Vec::new(),
            storage_key: DEFAULT_STORAGE_KEY.to_string(),
            persist_session: true,
        }
    }

    /// Adds a header sent with every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the storage key.
    pub fn storage_key(mut self, key: impl Into<String>) -> Self {
        self.storage_key = key.into();
        self
    }

    /// Keeps the session in memory only when `false`.
    pub fn persist_session(mut self, persist: bool) -> Self {
        self.persist_session = persist;
        self
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions::new("http://localhost:9999")
    }
}
