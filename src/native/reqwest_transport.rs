//! [`HttpTransport`] over reqwest (rustls, HTTP/1.1), for native apps.

use crate::error::AuthError;
use crate::http::{HttpRequest, HttpResponse, HttpTransport, Method};

/// Sends the client's requests with a [`reqwest::Client`]: TLS by rustls with the WebPKI
/// roots, connections pooled and reused.
///
/// It must run inside a Tokio runtime (reqwest's own requirement); outside one, `send`
/// answers an error instead of panicking. The client's futures are not `Send` (the same code
/// runs in the single-threaded browser): drive it with a current-thread runtime, a
/// `LocalSet`, or `block_on`.
///
/// ```no_run
/// use gotrue_wasm::{ClientOptions, GoTrueClient, MemoryStorage, ReqwestTransport};
///
/// # async fn run() -> Result<(), gotrue_wasm::AuthError> {
/// let options = ClientOptions::new("https://project.supabase.co/auth/v1").header("apikey", "anon-key");
/// let client = GoTrueClient::new(options, ReqwestTransport::new()?, MemoryStorage::new());
/// let settings = client.settings().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with reqwest's defaults. Fails only if the TLS backend cannot start.
    pub fn new() -> Result<Self, AuthError> {
        reqwest::Client::builder()
            .build()
            .map(ReqwestTransport::with_client)
            .map_err(|_| AuthError::unknown("The HTTP client could not be created"))
    }

    /// A transport over a client the app configured (timeouts, proxy, extra roots, …).
    pub fn with_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

impl HttpTransport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, AuthError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(AuthError::unknown("ReqwestTransport must run inside a Tokio runtime"));
        }
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
        };
        // A bad URL or header value becomes an error at `send`, not a panic here.
        let timeout_ms = request.timeout_ms;
        let mut builder = self
            .client
            .request(method, &request.url)
            .timeout(std::time::Duration::from_millis(u64::from(request.timeout_ms)));
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        // reqwest's error text names the URL, whose query may carry a code or token: the
        // message is built from its kind only.
        let response = builder.send().await.map_err(|error| to_auth_error(&error, timeout_ms))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_string(), value.to_str().ok()?.to_string())))
            .collect();
        let body = response.text().await.map_err(|error| to_auth_error(&error, timeout_ms))?;
        Ok(HttpResponse { status, headers, body })
    }
}

/// A bad URL or header is the caller's error; anything else failed on the way (retryable),
/// a timeout as every transport reports it.
fn to_auth_error(error: &reqwest::Error, timeout_ms: u32) -> AuthError {
    if error.is_builder() {
        AuthError::unknown("The request could not be built (bad URL or header value)")
    } else if error.is_timeout() {
        AuthError::timeout(timeout_ms)
    } else if error.is_connect() {
        AuthError::network("Could not connect to the auth server")
    } else {
        AuthError::network("The request to the auth server failed")
    }
}
