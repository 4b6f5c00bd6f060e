//! JSON encoding and decoding. Native builds use serde_json; the wasm build goes through
//! the browser's `JSON` so that no JSON parser is linked into the module.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AuthError;

/// Parses JSON text into `T`.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, AuthError> {
    platform::from_str(text)
}

/// Serializes `value` to JSON text.
pub(crate) fn to_string<T: Serialize>(value: &T) -> Result<String, AuthError> {
    platform::to_string(value)
}

/// serde's messages quote the offending value (`invalid type: string "eyJ…"`), which could
/// put a token into an error message: the quoted part is dropped.
pub(crate) fn redact_serde_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(" \"") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find('"') {
            Some(end) => {
                out.push_str(" (value hidden)");
                rest = &after[end + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_error(message: &str) -> AuthError {
    AuthError::unknown(format!("Could not read the server's JSON: {}", redact_serde_message(message)))
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use super::*;

    pub(super) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, AuthError> {
        serde_json::from_str(text).map_err(|error| decode_error(&error.to_string()))
    }

    pub(super) fn to_string<T: Serialize>(value: &T) -> Result<String, AuthError> {
        serde_json::to_string(value).map_err(|error| AuthError::unknown(error.to_string()))
    }
}

#[cfg(target_arch = "wasm32")]
mod platform {
    use super::*;
    use wasm_bindgen::JsValue;

    pub(super) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, AuthError> {
        let value = js_sys::JSON::parse(text).map_err(|_| decode_error("not JSON"))?;
        from_js(value)
    }

    pub(super) fn to_string<T: Serialize>(value: &T) -> Result<String, AuthError> {
        let value = to_js(value)?;
        js_sys::JSON::stringify(&value).map(String::from).map_err(|_| AuthError::unknown("Could not encode JSON"))
    }

    pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, AuthError> {
        serde_wasm_bindgen::from_value(value).map_err(|error| decode_error(&error.to_string()))
    }

    pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, AuthError> {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|error| AuthError::unknown(error.to_string()))
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use platform::{from_js, to_js};

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_quoted_values() {
        let message = r#"invalid type: string "eyJhbGciOi.secret", expected i64 at line 1 column 9"#;
        let redacted = redact_serde_message(message);
        assert!(!redacted.contains("secret"), "{redacted}");
        assert!(redacted.contains("expected i64"));
    }

    #[test]
    fn decode_errors_do_not_echo_values() {
        let error = from_str::<i64>(r#""my-refresh-token""#).unwrap_err();
        assert!(!error.message().contains("my-refresh-token"), "{}", error.message());
    }
}
