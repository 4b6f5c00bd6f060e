//! Client options, named after auth-js's so the two read alike.

use crate::storage::DEFAULT_STORAGE_KEY;

/// How sign-ins that leave the page come back: tokens in the URL fragment, or a code
/// exchanged with a stored verifier (PKCE).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FlowType {
    /// The session arrives in the URL fragment (auth-js's default).
    #[default]
    Implicit,
    /// A `?code=` arrives and is exchanged with the stored PKCE verifier.
    Pkce,
}

/// How the client is set up. Build with [`ClientOptions::new`] and the chained setters.
///
/// ```
/// use gotrue_wasm::{ClientOptions, FlowType};
/// let options = ClientOptions::new("https://project.supabase.co/auth/v1")
///     .header("apikey", "public-anon-key")
///     .storage_key("sb-project-auth-token")
///     .flow_type(FlowType::Pkce);
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
    /// Implicit (default) or PKCE.
    pub flow_type: FlowType,
    /// Whether the session is refreshed in the background before it expires.
    pub auto_refresh_token: bool,
    /// Whether a session (or error) in the page URL is picked up at initialization.
    pub detect_session_in_url: bool,
    /// Milliseconds between auto-refresh ticks (auth-js: 30 s).
    pub auto_refresh_tick_ms: u32,
    /// Refresh once fewer than this many ticks remain before expiry (auth-js: 3).
    pub auto_refresh_threshold_ticks: u32,
    /// Whether PKCE redirect URLs carry `sb_flow_id` (auth-js's
    /// `experimental.appendPkceFlowIdToRedirects`, off by default: GoTrue matches exact
    /// allow-list entries against the whole URL, query included).
    pub append_pkce_flow_id_to_redirects: bool,
    /// Milliseconds a request may take, answer body included, before it is aborted and
    /// fails as retryable ([`DEFAULT_REQUEST_TIMEOUT_MS`] unless set).
    pub request_timeout_ms: u32,
}

/// The default request timeout: 30 s. A refresh that times out is retried within its own
/// 30-second budget; any other operation returns `AuthRetryableFetchError`.
pub const DEFAULT_REQUEST_TIMEOUT_MS: u32 = 30_000;

impl ClientOptions {
    /// Options for the server at `url`, with auth-js's defaults for the rest.
    pub fn new(url: impl Into<String>) -> Self {
        ClientOptions {
            url: url.into(),
            headers: Vec::new(),
            storage_key: DEFAULT_STORAGE_KEY.to_string(),
            persist_session: true,
            flow_type: FlowType::Implicit,
            auto_refresh_token: true,
            detect_session_in_url: true,
            auto_refresh_tick_ms: 30_000,
            auto_refresh_threshold_ticks: 3,
            append_pkce_flow_id_to_redirects: false,
            request_timeout_ms: DEFAULT_REQUEST_TIMEOUT_MS,
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

    /// Chooses the implicit or the PKCE flow.
    pub fn flow_type(mut self, flow_type: FlowType) -> Self {
        self.flow_type = flow_type;
        self
    }

    /// Turns background refresh on or off.
    pub fn auto_refresh_token(mut self, enabled: bool) -> Self {
        self.auto_refresh_token = enabled;
        self
    }

    /// Turns detection of a session in the page URL on or off.
    pub fn detect_session_in_url(mut self, enabled: bool) -> Self {
        self.detect_session_in_url = enabled;
        self
    }

    /// Sets the auto-refresh tick (tests shorten it).
    pub fn auto_refresh_tick_ms(mut self, millis: u32) -> Self {
        self.auto_refresh_tick_ms = millis.max(10);
        self
    }

    /// Adds `sb_flow_id` to PKCE redirect URLs (see the field).
    pub fn append_pkce_flow_id_to_redirects(mut self, enabled: bool) -> Self {
        self.append_pkce_flow_id_to_redirects = enabled;
        self
    }

    /// How long a request may take before it is aborted (milliseconds, at least 1).
    pub fn request_timeout_ms(mut self, millis: u32) -> Self {
        self.request_timeout_ms = millis.max(1);
        self
    }

    /// The margin, in ticks, before expiry at which the session is refreshed.
    pub fn auto_refresh_threshold_ticks(mut self, ticks: u32) -> Self {
        self.auto_refresh_threshold_ticks = ticks;
        self
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions::new("http://localhost:9999")
    }
}
