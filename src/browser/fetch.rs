use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::error::AuthError;
use crate::http::{HttpRequest, HttpResponse, HttpTransport};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    // Sends one request with `fetcher` (or the global `fetch`) and reads the answer, aborted
    // after `timeout_ms`.
    #[wasm_bindgen(js_name = sendRequest)]
    fn send_request(
        fetcher: &JsValue,
        url: &str,
        method: &str,
        headers: js_sys::Array,
        body: Option<String>,
        read_headers: js_sys::Array,
        timeout_ms: u32,
    ) -> js_sys::Promise;
}

/// Response headers the client reads; CORS exposes exactly these.
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

fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "fetch failed".to_string())
}

fn member(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A rejection of `sendRequest`: its own timeout, or whatever kept the answer from arriving.
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
        let headers = js_sys::Array::new();
        for (name, value) in &request.headers {
            headers.push(&js_sys::Array::of2(&name.into(), &value.into()));
        }
        let read_headers: js_sys::Array = READ_HEADERS.iter().map(|name| JsValue::from_str(name)).collect();
        let fetcher = self.custom.as_ref().map_or(JsValue::UNDEFINED, |f| f.clone().into());
        let answer = JsFuture::from(send_request(
            &fetcher,
            &request.url,
            request.method.as_str(),
            headers,
            request.body.clone(),
            read_headers,
            request.timeout_ms,
        ))
        .await
        .map_err(|e| fetch_error(&e, request.timeout_ms))?;
        let status = member(&answer, "status").as_f64().and_then(|s| u16::try_from(s as i64).ok()).unwrap_or(0);
        let mut read = Vec::new();
        let found = js_sys::Array::from(&member(&answer, "headers"));
        for pair in found.iter() {
            let pair = js_sys::Array::from(&pair);
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                read.push((name, value));
            }
        }
        let body = member(&answer, "body").as_string().unwrap_or_default();
        Ok(HttpResponse { status, headers: read, body })
    }
}
