//! `new GoTrueClient(options)`: the facade checks auth-js's options and hands them over
//! compact ([`read_options`]), with the ones that are functions or objects with methods (`storage`,
//! a `detectSessionInUrl` predicate, `fetch`) beside them as `hooks`.

use wasm_bindgen::{JsCast, JsValue};

use super::inputs::Args;
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

/// `persistSession`.
const PERSIST: i64 = 1;
/// `autoRefreshToken`.
const AUTO_REFRESH: i64 = 2;
/// `flowType: 'pkce'`.
const PKCE: i64 = 4;
/// `experimental.appendPkceFlowIdToRedirects`.
const APPEND_FLOW_ID: i64 = 8;
/// `detectSessionInUrl` (when it is no predicate).
const DETECT: i64 = 16;
/// Not `skipAutoInitialize`.
const INITIALIZE: i64 = 32;

/// `json` is the options as the facade checked and normalised them (auth-js's checks and
/// defaults; reading and checking them here cost about 0.5 KB gzip of wasm, the same checks
/// in JS a third of that): `[url, storageKey, headers, flags, autoRefreshTickDuration,
/// autoRefreshTickThreshold, requestTimeout]`, the flags [`PERSIST`] | [`AUTO_REFRESH`] | …,
/// the durations within their bounds or negative when not given.
pub(super) fn read_options(json: &str, hooks: &JsValue) -> JsClientSetup {
    let given = Args::parse(json);
    let text = |index| given.value(index).as_str().unwrap_or_default().to_string();
    let number = |index| given.value(index).as_i64().unwrap_or(-1);
    let flags = number(3);
    let mut options = ClientOptions::new(text(0));
    options.storage_key = text(1);
    if let Ok(headers) = Fields::of(given.value(2), "headers") {
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
    if let Ok(tick) = u32::try_from(number(4)) {
        options = options.auto_refresh_tick_ms(tick);
    }
    if let Ok(ticks) = u32::try_from(number(5)) {
        options = options.auto_refresh_threshold_ticks(ticks);
    }
    if let Ok(timeout) = u32::try_from(number(6)) {
        options = options.request_timeout_ms(timeout);
    }

    let predicate = hook(hooks, "detectSessionInUrl");
    let detect = if let Some(predicate) = predicate.dyn_ref::<js_sys::Function>() {
        let predicate = predicate.clone();
        // The facade wraps the app's predicate: it gets the address and the parameters' JSON
        // and calls the app's with a `URL` and an object, as auth-js does.
        DetectSessionInUrl::When(Box::new(move |url, params| {
            let json = crate::json::string_object(params.pairs());
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
