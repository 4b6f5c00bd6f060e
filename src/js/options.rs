//! `new GoTrueClient(options)`: auth-js's option names, read field by field because some
//! are functions or objects with methods (`detectSessionInUrl`, `storage`).

use wasm_bindgen::{JsCast, JsValue};

use crate::browser::{BrowserStorage, DetectSessionInUrl};
use crate::{AuthError, ClientOptions, FlowType};

/// Everything the JS constructor decides.
pub(super) struct JsClientSetup {
    pub(super) options: ClientOptions,
    pub(super) storage: BrowserStorage,
    pub(super) detect: DetectSessionInUrl,
    pub(super) skip_auto_initialize: bool,
    pub(super) throw_on_error: bool,
}

fn field(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn bool_field(object: &JsValue, key: &str) -> Result<Option<bool>, AuthError> {
    let value = field(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_bool().map(Some).ok_or_else(|| AuthError::invalid_credentials(format!("option {key} must be a boolean")))
}

fn string_field(object: &JsValue, key: &str) -> Result<Option<String>, AuthError> {
    let value = field(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| AuthError::invalid_credentials(format!("option {key} must be a string")))
}

fn number_field(object: &JsValue, key: &str) -> Result<Option<f64>, AuthError> {
    let value = field(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_f64().map(Some).ok_or_else(|| AuthError::invalid_credentials(format!("option {key} must be a number")))
}

pub(super) fn read_options(object: &JsValue) -> Result<JsClientSetup, AuthError> {
    let object = if object.is_object() { object.clone() } else { js_sys::Object::new().into() };
    let mut options =
        ClientOptions::new(string_field(&object, "url")?.unwrap_or_else(|| "http://localhost:9999".into()));
    let headers = field(&object, "headers");
    if headers.is_object() {
        for entry in js_sys::Object::entries(headers.unchecked_ref()).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                options.headers.push((name, value));
            }
        }
    }
    if let Some(key) = string_field(&object, "storageKey")? {
        options.storage_key = key;
    }
    if let Some(persist) = bool_field(&object, "persistSession")? {
        options.persist_session = persist;
    }
    if let Some(refresh) = bool_field(&object, "autoRefreshToken")? {
        options.auto_refresh_token = refresh;
    }
    options.flow_type = match string_field(&object, "flowType")?.as_deref() {
        None | Some("implicit") => FlowType::Implicit,
        Some("pkce") => FlowType::Pkce,
        Some(_) => return Err(AuthError::invalid_credentials("option flowType must be \"implicit\" or \"pkce\"")),
    };
    if let Some(tick) = number_field(&object, "autoRefreshTickDuration")? {
        options = options.auto_refresh_tick_ms(tick.clamp(10.0, 3_600_000.0) as u32);
    }
    if let Some(ticks) = number_field(&object, "autoRefreshTickThreshold")? {
        options = options.auto_refresh_threshold_ticks(ticks.clamp(0.0, 1000.0) as u32);
    }

    let detect_value = field(&object, "detectSessionInUrl");
    let detect = if let Some(predicate) = detect_value.dyn_ref::<js_sys::Function>() {
        let predicate = predicate.clone();
        DetectSessionInUrl::When(Box::new(move |url, params| {
            let url = web_sys_url(url);
            let js_params = js_sys::Object::new();
            for (key, value) in params.iter() {
                let _ = js_sys::Reflect::set(&js_params, &key.into(), &value.into());
            }
            predicate.call2(&JsValue::NULL, &url, &js_params).map(|answer| answer.is_truthy()).unwrap_or(false)
        }))
    } else if detect_value.is_undefined() || detect_value.is_null() || detect_value.is_truthy() {
        DetectSessionInUrl::On
    } else {
        DetectSessionInUrl::Off
    };

    let custom_storage = field(&object, "storage");
    let storage = if !options.persist_session {
        BrowserStorage::memory()
    } else if custom_storage.is_object() {
        for method in ["getItem", "setItem", "removeItem"] {
            if !field(&custom_storage, method).is_function() {
                return Err(AuthError::invalid_credentials(format!("option storage needs a {method} method")));
            }
        }
        BrowserStorage::custom(custom_storage)
    } else {
        BrowserStorage::local_or_memory()
    };

    Ok(JsClientSetup {
        options,
        storage,
        detect,
        skip_auto_initialize: bool_field(&object, "skipAutoInitialize")?.unwrap_or(false),
        throw_on_error: bool_field(&object, "throwOnError")?.unwrap_or(false),
    })
}

/// The predicate gets a `URL` object, as auth-js passes it.
fn web_sys_url(href: &str) -> JsValue {
    let constructor = js_sys::Reflect::get(&js_sys::global(), &"URL".into()).unwrap_or(JsValue::UNDEFINED);
    match constructor.dyn_ref::<js_sys::Function>() {
        Some(constructor) => {
            js_sys::Reflect::construct(constructor, &js_sys::Array::of1(&href.into())).unwrap_or_else(|_| href.into())
        }
        None => href.into(),
    }
}
