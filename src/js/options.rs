//! `new GoTrueClient(options)`: the facade checks auth-js's options and hands them over
//! compact ([`Given`]), with the ones that are functions or objects with methods (`storage`,
//! a `detectSessionInUrl` predicate, `fetch`) beside them as `hooks`.

use wasm_bindgen::{JsCast, JsValue};

use crate::browser::{BrowserStorage, DetectSessionInUrl, FetchTransport};
use crate::json::Fields;
use crate::{ClientOptions, FlowType};

/// Everything the JS constructor decides.
pub(super) struct JsClientSetup {
    pub(super) options: ClientOptions,
    pub(super) storage: BrowserStorage,
    pub(super) detect: DetectSessionInUrl,
    pub(super) initialize: bool,
    /// The `fetch` option: every request goes through it.
    pub(super) transport: FetchTransport,
}

fn hook(hooks: &JsValue, key: &str) -> JsValue {
    if hooks.is_object() {
        js_sys::Reflect::get(hooks, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// The options as the facade hands them over, checked and normalised there (auth-js's
/// checks and defaults): the engine only reads them. Reading and checking the options' JSON
/// here cost about 0.5 KB gzip of wasm; the same checks in JS cost a third of that.
pub(super) struct Given {
    /// `url`, with its default.
    pub(super) url: String,
    /// `storageKey`, with its default.
    pub(super) storage_key: String,
    /// The JSON text of `headers` (`{}` without).
    pub(super) headers: String,
    /// [`PERSIST`] | [`AUTO_REFRESH`] | …
    pub(super) flags: u32,
    /// `autoRefreshTickDuration`, `autoRefreshTickThreshold`, `requestTimeout` within their
    /// bounds; negative: not given.
    pub(super) durations: [i32; 3],
}

/// `persistSession`.
const PERSIST: u32 = 1;
/// `autoRefreshToken`.
const AUTO_REFRESH: u32 = 2;
/// `flowType: 'pkce'`.
const PKCE: u32 = 4;
/// `experimental.appendPkceFlowIdToRedirects`.
const APPEND_FLOW_ID: u32 = 8;
/// `detectSessionInUrl` (when it is no predicate).
const DETECT: u32 = 16;
/// Not `skipAutoInitialize`.
const INITIALIZE: u32 = 32;

pub(super) fn read_options(given: Given, hooks: &JsValue) -> JsClientSetup {
    let flags = given.flags;
    let mut options = ClientOptions::new(given.url);
    options.storage_key = given.storage_key;
    let headers = crate::json::parse(&given.headers).unwrap_or_default();
    if let Ok(headers) = Fields::of(&headers, "headers") {
        for (name, value) in headers.entries() {
            if let Some(value) = value.as_str() {
                options.headers.push((name.clone(), value.to_string()));
            }
        }
    }
    options.persist_session = flags & PERSIST != 0;
    options.auto_refresh_token = flags & AUTO_REFRESH != 0;
    options.flow_type = if flags & PKCE != 0 { FlowType::Pkce } else { FlowType::Implicit };
    options.append_pkce_flow_id_to_redirects = flags & APPEND_FLOW_ID != 0;
    let [tick, threshold, timeout] = given.durations.map(|duration| u32::try_from(duration).ok());
    if let Some(tick) = tick {
        options = options.auto_refresh_tick_ms(tick);
    }
    if let Some(ticks) = threshold {
        options = options.auto_refresh_threshold_ticks(ticks);
    }
    if let Some(timeout) = timeout {
        options = options.request_timeout_ms(timeout);
    }

    let predicate = hook(hooks, "detectSessionInUrl");
    let detect = if let Some(predicate) = predicate.dyn_ref::<js_sys::Function>() {
        let predicate = predicate.clone();
        // The facade wraps the app's predicate: it gets the address and the parameters' JSON
        // and calls the app's with a `URL` and an object, as auth-js does.
        DetectSessionInUrl::When(Box::new(move |url, params| {
            let mut json = String::from("{");
            for (key, value) in params.iter() {
                if json.len() > 1 {
                    json.push(',');
                }
                crate::json::write_string(&mut json, key);
                json.push(':');
                crate::json::write_string(&mut json, value);
            }
            json.push('}');
            predicate
                .call2(&JsValue::NULL, &JsValue::from_str(url), &JsValue::from(json))
                .map(|answer| answer.is_truthy())
                .unwrap_or(false)
        }))
    } else if flags & DETECT != 0 {
        DetectSessionInUrl::On
    } else {
        DetectSessionInUrl::Off
    };

    let custom_storage = hook(hooks, "storage");
    let storage = if !options.persist_session {
        BrowserStorage::memory()
    } else if custom_storage.is_object() {
        // The facade has checked its three methods.
        BrowserStorage::custom(custom_storage)
    } else {
        BrowserStorage::local_or_memory()
    };

    let transport = match hook(hooks, "fetch").dyn_into::<js_sys::Function>() {
        Ok(fetcher) => FetchTransport::with_fetch(fetcher),
        Err(_) => FetchTransport::new(),
    };

    JsClientSetup { transport, options, storage, detect, initialize: flags & INITIALIZE != 0 }
}
