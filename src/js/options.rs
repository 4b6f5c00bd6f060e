//! `new GoTrueClient(options)`: auth-js's option names. The facade sends the options as JSON
//! and the two that are functions or objects with methods (`storage`, a
//! `detectSessionInUrl` predicate) beside them as `hooks`.

use wasm_bindgen::{JsCast, JsValue};

use super::inputs::{nested, opt_bool, opt_str};
use crate::browser::{BrowserStorage, DetectSessionInUrl, FetchTransport};
use crate::json::Fields;
use crate::{AuthError, ClientOptions, FlowType, JsonValue};

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

fn whole(object: &Fields<'_>, key: &'static str, min: i64, max: i64) -> Result<Option<u32>, AuthError> {
    match object.get(key) {
        None => Ok(None),
        Some(value) => {
            value.as_i64().and_then(|number| u32::try_from(number.clamp(min, max)).ok()).map(Some).ok_or_else(|| {
                AuthError::invalid_credentials(crate::text::concat(&["option ", key, " must be a number"]))
            })
        }
    }
}

pub(super) fn read_options(json: &str, hooks: &JsValue) -> Result<JsClientSetup, AuthError> {
    let parsed = crate::json::parse(json).unwrap_or_default();
    let empty = JsonValue::Object(Default::default());
    let object = Fields::of(if parsed.as_object().is_some() { &parsed } else { &empty }, "options")
        .map_err(|_| AuthError::invalid_credentials("options must be an object"))?;
    let mut options = ClientOptions::new(opt_str(&object, "url")?.unwrap_or_else(|| "http://localhost:9999".into()));
    if let Some(headers) = nested(&object, "headers")? {
        for (name, value) in headers.entries() {
            if let Some(value) = value.as_str() {
                options.headers.push((name.clone(), value.to_string()));
            }
        }
    }
    if let Some(key) = opt_str(&object, "storageKey")? {
        options.storage_key = key;
    }
    if let Some(persist) = opt_bool(&object, "persistSession")? {
        options.persist_session = persist;
    }
    if let Some(refresh) = opt_bool(&object, "autoRefreshToken")? {
        options.auto_refresh_token = refresh;
    }
    options.flow_type = match opt_str(&object, "flowType")?.as_deref() {
        None | Some("implicit") => FlowType::Implicit,
        Some("pkce") => FlowType::Pkce,
        Some(_) => return Err(AuthError::invalid_credentials("option flowType must be \"implicit\" or \"pkce\"")),
    };
    if let Some(experimental) = nested(&object, "experimental")? {
        options.append_pkce_flow_id_to_redirects =
            opt_bool(&experimental, "appendPkceFlowIdToRedirects").ok().flatten().unwrap_or(false);
    }
    if let Some(tick) = whole(&object, "autoRefreshTickDuration", 10, 3_600_000)? {
        options = options.auto_refresh_tick_ms(tick);
    }
    if let Some(ticks) = whole(&object, "autoRefreshTickThreshold", 0, 1000)? {
        options = options.auto_refresh_threshold_ticks(ticks);
    }
    if let Some(timeout) = whole(&object, "requestTimeout", 1, 3_600_000)? {
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
    } else if opt_bool(&object, "detectSessionInUrl")?.unwrap_or(true) {
        DetectSessionInUrl::On
    } else {
        DetectSessionInUrl::Off
    };

    let custom_storage = hook(hooks, "storage");
    let storage = if !options.persist_session {
        BrowserStorage::memory()
    } else if custom_storage.is_object() {
        for method in ["getItem", "setItem", "removeItem"] {
            if !hook(&custom_storage, method).is_function() {
                return Err(AuthError::invalid_credentials(crate::text::concat(&[
                    "option storage needs a ",
                    method,
                    " method",
                ])));
            }
        }
        BrowserStorage::custom(custom_storage)
    } else {
        BrowserStorage::local_or_memory()
    };

    let transport = match hook(hooks, "fetch").dyn_into::<js_sys::Function>() {
        Ok(fetcher) => FetchTransport::with_fetch(fetcher),
        Err(_) => FetchTransport::new(),
    };

    Ok(JsClientSetup {
        transport,
        options,
        storage,
        detect,
        initialize: !opt_bool(&object, "skipAutoInitialize")?.unwrap_or(false),
    })
}
