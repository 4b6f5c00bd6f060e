use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::error::AuthError;
use crate::http::{HttpRequest, HttpResponse, HttpTransport};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    // `fetch` (the global one when `fetch_fn` is undefined, so the client works in windows
    // and workers alike) and the body's text, aborted after `timeout_ms`: resolves to
    // `[Response, string]`.
    #[wasm_bindgen(js_name = fetchText)]
    fn fetch_text(fetch_fn: &JsValue, request: &web_sys::Request, timeout_ms: u32) -> js_sys::Promise;
}

/// Response headers the client reads; CORS exposes exactly these.
const READ_HEADERS: [&str; 3] = ["x-supabase-api-version", "x-total-count", "link"];

/// Sends requests with the browser's `fetch`.
#[derive(Clone, Debug, Default)]
pub struct FetchTransport {
    _private: (),
}

impl FetchTransport {
    /// A transport using the global `fetch`.
    pub fn new() -> Self {
        FetchTransport::default()
    }
}

fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "fetch failed".to_string())
}

/// A rejection of `fetchText`: its own timeout, or whatever kept the answer from arriving.
fn fetch_error(value: &JsValue, timeout_ms: u32) -> AuthError {
    let timed_out = value.dyn_ref::<js_sys::Error>().is_some_and(|error| error.name() == "TimeoutError");
    if timed_out {
        AuthError::timeout(timeout_ms)
    } else {
        AuthError::network(js_message(value))
    }
}

impl HttpTransport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, AuthError> {
        let init = web_sys::RequestInit::new();
        init.set_method(request.method.as_str());
        // Auth answers are never to come from the HTTP cache: a JWKS served with max-age
        // would hide a rotated key (the client keeps its own 10-minute JWKS cache).
        init.set_cache(web_sys::RequestCache::NoStore);
        let headers = web_sys::Headers::new().map_err(|e| AuthError::network(js_message(&e)))?;
        for (name, value) in &request.headers {
            headers
                .append(name, value)
                .map_err(|_| AuthError::invalid_credentials("A request header has an invalid name or value"))?;
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        let js_request = web_sys::Request::new_with_str_and_init(&request.url, &init)
            .map_err(|e| AuthError::network(js_message(&e)))?;
        let timeout_ms = request.timeout_ms;
        let answer: js_sys::Array = JsFuture::from(fetch_text(&JsValue::UNDEFINED, &js_request, timeout_ms))
            .await
            .map_err(|e| fetch_error(&e, timeout_ms))?
            .unchecked_into();
        let response: web_sys::Response = answer.get(0).unchecked_into();
        let body = answer.get(1).as_string().unwrap_or_default();
        let mut read_headers = Vec::new();
        for name in READ_HEADERS {
            if let Ok(Some(value)) = response.headers().get(name) {
                read_headers.push((name.to_string(), value));
            }
        }
        Ok(HttpResponse { status: response.status(), headers: read_headers, body })
    }
}
