//! `{ data, error }` results and errors in auth-js's shape, written as JSON text.

use super::model::Session;
use crate::json::{ObjectWriter, ToJson};
use crate::{AuthError, AuthErrorKind};

/// The `data` object's JSON text, or the error.
pub(super) type Data = Result<String, AuthError>;

// What `data` is when the operation failed: auth-js keeps the success shape with nulls.
/// `{ error }` alone: no `data` member at all.
pub(super) const ERROR_ONLY: &str = "";
/// `{ data: null, error }`.
pub(super) const NULL: &str = "null";
pub(super) const USER: &str = r#"{"user":null}"#;
pub(super) const SESSION: &str = r#"{"session":null}"#;
pub(super) const USER_SESSION: &str = r#"{"user":null,"session":null}"#;
pub(super) const PROVIDER_URL: &str = r#"{"provider":null,"url":null}"#;
pub(super) const EXCHANGE: &str = r#"{"session":null,"user":null,"redirectType":null}"#;

/// Writes one object with `fill`.
pub(super) fn object(fill: impl FnOnce(&mut ObjectWriter<'_>)) -> String {
    let mut out = String::new();
    let mut writer = ObjectWriter::new(&mut out);
    fill(&mut writer);
    writer.finish();
    out
}

/// The error for the facade, which makes auth-js's error class of it:
/// `[kind, message, status, code]`, plus `details` (an object or null) for a redirect error
/// and `reasons` for a weak password. `kind` is the [`AuthErrorKind`]'s position, which
/// indexes the facade's list of classes (`ERROR_CLASSES` in `pkg-template/client.js`): no
/// class name travels, and none is kept in the wasm.
pub(super) fn write_error(error: &AuthError, out: &mut String) {
    out.push('[');
    crate::json::push_unsigned(out, kind_index(error.kind()));
    out.push(',');
    error.message().write_json(out);
    out.push(',');
    error.status().map(i64::from).write_json(out);
    out.push(',');
    error.js_code().write_json(out);
    if error.kind() == AuthErrorKind::ImplicitGrantRedirect {
        out.push(',');
        match error.details() {
            Some(details) => out.push_str(&object(|d| {
                d.field("error", &details.error).field("code", &details.code);
            })),
            None => out.push_str("null"),
        }
    }
    if error.kind() == AuthErrorKind::WeakPassword {
        out.push(',');
        error.reasons().write_json(out);
    }
    out.push(']');
}

/// The position of `kind` in the facade's `ERROR_CLASSES` (tests/packaging/error-kinds.test.mjs
/// checks that each position names the class of [`AuthErrorKind::js_name`]).
fn kind_index(kind: AuthErrorKind) -> u64 {
    match kind {
        AuthErrorKind::Api => 0,
        AuthErrorKind::SessionMissing => 1,
        AuthErrorKind::InvalidCredentials => 2,
        AuthErrorKind::WeakPassword => 3,
        AuthErrorKind::RetryableFetch => 4,
        AuthErrorKind::InvalidTokenResponse => 5,
        AuthErrorKind::ImplicitGrantRedirect => 6,
        AuthErrorKind::PkceGrantCodeExchange => 7,
        AuthErrorKind::PkceCodeVerifierMissing => 8,
        AuthErrorKind::RefreshDiscarded => 9,
        AuthErrorKind::InvalidJwt => 10,
        AuthErrorKind::Storage => 11,
        AuthErrorKind::Unknown => 12,
    }
}

/// `{ data, error: null }`, or `{ data: <shape on error>, error }`; `{ error }` alone when
/// the shape is [`ERROR_ONLY`].
pub(super) fn reply(data: Data, error_shape: &str) -> String {
    let mut out = String::from("{");
    match data {
        Ok(data) => {
            if error_shape != ERROR_ONLY {
                out.push_str("\"data\":");
                out.push_str(if data.is_empty() { "null" } else { &data });
                out.push(',');
            }
            out.push_str("\"error\":null");
        }
        Err(error) => {
            if error_shape != ERROR_ONLY {
                out.push_str("\"data\":");
                out.push_str(error_shape);
                out.push(',');
            }
            out.push_str("\"error\":");
            write_error(&error, &mut out);
        }
    }
    out.push('}');
    out
}

/// `{ user, session }` from a session.
pub(super) fn session_response(result: Result<Session, AuthError>) -> Data {
    result.map(|session| {
        object(|data| {
            data.field("user", &session.user).field("session", &session);
        })
    })
}

/// `value` as the whole of `data`.
pub(super) fn whole<T: ToJson>(result: Result<T, AuthError>) -> Data {
    result.map(|value| value.to_json_string())
}
