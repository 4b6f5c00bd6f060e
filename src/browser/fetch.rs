use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::AuthError;
use crate::http::{HttpRequest, HttpResponse, HttpTransport};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    // Sends one request with `fetcher` (or the global `fetch`) and reads the answer, aborted
    // after `timeout_ms`: the status, a line per header of READ_HEADERS, the body.
    #[wasm_bindgen(js_name = sendRequest)]
    fn send_request(
        fetcher: &JsValue,
        url: &str,
        method: &str,
        headers: &str,
        body: Option<String>,
        timeout_ms: u32,
    ) -> js_sys::Promise;
}

/// Response headers the client reads (CORS exposes exactly these), in glue.js's order.
const READ_HEADERS: [&str; 3] = ["x-supabase-api-version", "x-total-count", "link"];

/// Sends requests with the browser's `fetch`, or with the `fetch` function an app passed in
/// (auth-js's `fetch` option: supabase-js hands its own in), called as auth-js calls it:
/// `fetcher(url, { method, headers, body })`.
#[derive(Clone, Debug, Default)]
pub struct FetchTransport {
    custom: Option<js_sys::Function>,
}

impl FetchTransport {
    /// A transport using the global `fetch`.
    pub fn new() -> Self {
        FetchTransport::default()
    }

    /// A transport sending every request through `fetcher`.
    pub fn with_fetch(fetcher: js_sys::Function) -> Self {
        FetchTransport { custom: Some(fetcher) }
    }
}

/// A rejection of `sendRequest`: the message of whatever kept the answer from arriving, or
/// none for a timeout (glue.js reads the JS error, so the wasm needs no binding for it).
fn fetch_error(value: &JsValue, timeout_ms: u32) -> AuthError {
    match value.as_string() {
        Some(message) => AuthError::network(message),
        None => AuthError::timeout(timeout_ms),
    }
}

impl HttpTransport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, AuthError> {
        let headers = crate::json::string_object(&request.headers);
        let fetcher = self.custom.as_ref().map_or(JsValue::UNDEFINED, |f| f.clone().into());
        let answer = JsFuture::from(send_request(
            &fetcher,
            &request.url,
            request.method.as_str(),
            &headers,
            request.body.clone(),
            request.timeout_ms,
        ))
        .await
        .map_err(|e| fetch_error(&e, request.timeout_ms))?
        .as_string()
        .unwrap_or_default();
        let (status, mut rest) = next_line(&answer);
        let status = crate::json::parse_i64(status).and_then(|status| u16::try_from(status).ok()).unwrap_or(0);
        let mut read = Vec::new();
        for name in READ_HEADERS {
            let (line, after) = next_line(rest);
            rest = after;
            if let Some(value) = line.strip_prefix('1') {
                read.push((name.to_string(), value.to_string()));
            }
        }
        Ok(HttpResponse { status, headers: read, body: rest.to_string() })
    }
}

/// The text up to the first newline and the text after it (all of it and "" without one):
/// by bytes, not a char pattern, whose searcher is code of its own.
fn next_line(text: &str) -> (&str, &str) {
    crate::text::split_once(text, b'\n').unwrap_or((text, ""))
}
