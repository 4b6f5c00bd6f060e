//! `{ data, error }` results and JS error objects in auth-js's shape.

use wasm_bindgen::JsValue;

use crate::codec::to_js;
use crate::{AuthError, AuthResponse, MessageSent, Session};

pub(super) fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// An `Error` with auth-js's `name`, `status`, `code` (and `reasons` for weak passwords).
pub(super) fn to_js_error(error: &AuthError) -> JsValue {
    let js_error = js_sys::Error::new(error.message());
    js_error.set_name(error.kind().js_name());
    let object: &js_sys::Object = js_error.as_ref();
    set(object, "__isAuthError", &JsValue::TRUE);
    set(object, "status", &error.status().map(JsValue::from).unwrap_or(JsValue::UNDEFINED));
    set(object, "code", &error.code().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED));
    // auth-js's classes always carry these fields, so the types can promise them.
    if error.kind() == crate::AuthErrorKind::ImplicitGrantRedirect {
        let details = match error.details() {
            Some(details) => {
                let js_details = js_sys::Object::new();
                set(&js_details, "error", &JsValue::from_str(&details.error));
                set(&js_details, "code", &details.code.as_deref().map(JsValue::from_str).unwrap_or(JsValue::NULL));
                js_details.into()
            }
            None => JsValue::NULL,
        };
        set(object, "details", &details);
    }
    if error.kind() == crate::AuthErrorKind::WeakPassword {
        let reasons: js_sys::Array = error.reasons().iter().map(|reason| JsValue::from_str(reason)).collect();
        set(object, "reasons", &reasons);
    }
    js_error.into()
}

/// `{ data: { k: v, … }, error: null }`, or `{ data: { k: null, … }, error }`.
pub(super) fn data_or_error(result: Result<Vec<(&'static str, JsValue)>, AuthError>, null_keys: &[&str]) -> JsValue {
    let outer = js_sys::Object::new();
    let data = js_sys::Object::new();
    match result {
        Ok(fields) => {
            for (key, value) in fields {
                set(&data, key, &value);
            }
            set(&outer, "error", &JsValue::NULL);
        }
        Err(error) => {
            for key in null_keys {
                set(&data, key, &JsValue::NULL);
            }
            set(&outer, "error", &to_js_error(&error));
        }
    }
    set(&outer, "data", &data);
    outer.into()
}

/// `{ error }` alone (signOut).
pub(super) fn error_only(result: Result<(), AuthError>) -> JsValue {
    let outer = js_sys::Object::new();
    set(&outer, "error", &result.err().map(|error| to_js_error(&error)).unwrap_or(JsValue::NULL));
    outer.into()
}

fn optional<T: serde::Serialize>(value: Option<&T>) -> Result<JsValue, AuthError> {
    value.map(to_js).unwrap_or(Ok(JsValue::NULL))
}

pub(super) fn auth_response(result: Result<AuthResponse, AuthError>) -> JsValue {
    let fields = result.and_then(|response| {
        let mut fields =
            vec![("user", optional(response.user.as_ref())?), ("session", optional(response.session.as_ref())?)];
        if let Some(weak) = &response.weak_password {
            fields.push(("weakPassword", to_js(weak)?));
        }
        Ok(fields)
    });
    data_or_error(fields, &["user", "session"])
}

pub(super) fn session_response(result: Result<Session, AuthError>) -> JsValue {
    let fields = result.and_then(|session| Ok(vec![("user", to_js(&session.user)?), ("session", to_js(&session)?)]));
    data_or_error(fields, &["user", "session"])
}

pub(super) fn message_sent(result: Result<MessageSent, AuthError>) -> JsValue {
    let fields = result.map(|sent| {
        vec![
            ("user", JsValue::NULL),
            ("session", JsValue::NULL),
            ("messageId", sent.message_id.as_deref().map(JsValue::from_str).unwrap_or(JsValue::NULL)),
        ]
    });
    data_or_error(fields, &["user", "session", "messageId"])
}

/// `{ data: <value>, error: null }` for results whose data is one server object.
pub(super) fn with_data(value: JsValue) -> JsValue {
    let outer = js_sys::Object::new();
    set(&outer, "data", &value);
    set(&outer, "error", &JsValue::NULL);
    outer.into()
}
