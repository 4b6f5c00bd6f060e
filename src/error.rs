//! The one error type of the crate, the same on wasm and native.
//!
//! Server errors are mapped here in one place ([`AuthError::from_response`]), following the
//! kinds `@supabase/auth-js` exposes so that JS callers see the same `name`/`status`/`code`.

use std::fmt;

use crate::json::{Fields, ObjectWriter, ToJson};
use crate::types::JsonValue;

/// What went wrong, in the vocabulary of auth-js's error classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The server answered with an error (`AuthApiError`): see [`AuthError::status`] and [`AuthError::code`].
    Api,
    /// The operation needs a session and there is none (`AuthSessionMissingError`).
    SessionMissing,
    /// The caller's input is not usable, e.g. neither email nor phone (`AuthInvalidCredentialsError`).
    InvalidCredentials,
    /// The server refused the password as too weak (`AuthWeakPasswordError`): see [`AuthError::reasons`].
    WeakPassword,
    /// The request did not reach the server or the server was temporarily unavailable
    /// (`AuthRetryableFetchError`; status 0 for network failures).
    RetryableFetch,
    /// A token response or a stored session lacks a field a session needs (`AuthInvalidTokenResponseError`).
    InvalidTokenResponse,
    /// The redirect URL carried an error from the server (`AuthImplicitGrantRedirectError`).
    ImplicitGrantRedirect,
    /// A PKCE code could not be exchanged (`AuthPKCEGrantCodeExchangeError`).
    PkceGrantCodeExchange,
    /// No PKCE code verifier was stored for this flow (`AuthPKCECodeVerifierMissingError`).
    PkceCodeVerifierMissing,
    /// A refresh finished after the session had changed, so its tokens were discarded (`AuthRefreshDiscardedError`).
    RefreshDiscarded,
    /// A JWT could not be decoded (`AuthInvalidJwtError`).
    InvalidJwt,
    /// Session storage failed (quota, blocked storage, a throwing custom storage).
    Storage,
    /// Anything else, e.g. a response that is not JSON (`AuthUnknownError`).
    Unknown,
}

impl AuthErrorKind {
    /// The auth-js class name for this kind, used as the JS error's `name`.
    pub fn js_name(self) -> &'static str {
        match self {
            AuthErrorKind::Api => "AuthApiError",
            AuthErrorKind::SessionMissing => "AuthSessionMissingError",
            AuthErrorKind::InvalidCredentials => "AuthInvalidCredentialsError",
            AuthErrorKind::WeakPassword => "AuthWeakPasswordError",
            AuthErrorKind::RetryableFetch => "AuthRetryableFetchError",
            AuthErrorKind::InvalidTokenResponse => "AuthInvalidTokenResponseError",
            AuthErrorKind::ImplicitGrantRedirect => "AuthImplicitGrantRedirectError",
            AuthErrorKind::PkceGrantCodeExchange => "AuthPKCEGrantCodeExchangeError",
            AuthErrorKind::PkceCodeVerifierMissing => "AuthPKCECodeVerifierMissingError",
            AuthErrorKind::RefreshDiscarded => "AuthRefreshDiscardedError",
            AuthErrorKind::InvalidJwt => "AuthInvalidJwtError",
            AuthErrorKind::Storage => "AuthStorageError",
            AuthErrorKind::Unknown => "AuthUnknownError",
        }
    }
}

/// An error from any operation of the client.
///
/// Never carries a token: messages come from the server's `msg`/`message` or are fixed
/// texts of this crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthError {
    kind: AuthErrorKind,
    message: String,
    status: Option<u16>,
    code: Option<String>,
    reasons: Vec<String>,
    details: Option<Box<RedirectErrorDetails>>,
    /// The code is an OAuth-style `error` member's: auth-js reports no code for those.
    code_from_oauth_error: bool,
}

/// What an error redirect said: the OAuth `error` and the server's `error_code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectErrorDetails {
    /// The OAuth error (`access_denied`, `server_error`, …); empty when the redirect had none.
    pub error: String,
    /// The server's error code (`otp_expired`, …), when given.
    pub code: Option<String>,
}

/// `{ error, code }` (`code` `null` when the redirect had none), as auth-js's `details`.
impl ToJson for RedirectErrorDetails {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("error", &self.error).field("code", &self.code);
        object.finish();
    }
}

impl AuthError {
    /// An error of `kind` with a message and no status or code.
    pub fn new(kind: AuthErrorKind, message: impl Into<String>) -> Self {
        AuthError {
            kind,
            message: message.into(),
            status: None,
            code: None,
            reasons: Vec::new(),
            details: None,
            code_from_oauth_error: false,
        }
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub(crate) fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub(crate) fn session_missing() -> Self {
        AuthError::new(AuthErrorKind::SessionMissing, "Auth session missing!").with_status(400)
    }

    pub(crate) fn invalid_credentials(message: impl Into<String>) -> Self {
        AuthError::new(AuthErrorKind::InvalidCredentials, message).with_status(400)
    }

    /// An error the server put in the redirect URL.
    pub(crate) fn redirect(message: &str, details: RedirectErrorDetails) -> Self {
        let mut error = AuthError::new(AuthErrorKind::ImplicitGrantRedirect, message).with_status(500);
        error.code = details.code.clone();
        error.details = Some(Box::new(details));
        error
    }

    pub(crate) fn pkce_exchange(message: impl Into<String>) -> Self {
        AuthError::new(AuthErrorKind::PkceGrantCodeExchange, message).with_status(500)
    }

    pub(crate) fn pkce_verifier_missing() -> Self {
        AuthError::new(AuthErrorKind::PkceCodeVerifierMissing, "PKCE code verifier not found in storage. This can happen if the auth flow was initiated in a different browser or device, or if the storage was cleared. For SSR frameworks (Next.js, SvelteKit, etc.), use @supabase/ssr on both the server and client to store the code verifier in cookies.")
            .with_status(400)
            .with_code("pkce_code_verifier_not_found")
    }

    pub(crate) fn refresh_discarded() -> Self {
        AuthError::new(
            AuthErrorKind::RefreshDiscarded,
            "The refreshed session was discarded because the stored session changed meanwhile",
        )
        .with_status(409)
        .with_code("refresh_discarded")
    }

    pub(crate) fn invalid_token_response(message: impl Into<String>) -> Self {
        AuthError::new(AuthErrorKind::InvalidTokenResponse, message).with_status(500)
    }

    pub(crate) fn unknown(message: impl Into<String>) -> Self {
        AuthError::new(AuthErrorKind::Unknown, message)
    }

    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn storage(message: impl Into<String>) -> Self {
        AuthError::new(AuthErrorKind::Storage, message)
    }

    /// A network failure: the request never got an HTTP answer.
    pub fn network(message: impl Into<String>) -> Self {
        AuthError::new(AuthErrorKind::RetryableFetch, message).with_status(0)
    }

    /// The request got no answer within `millis` milliseconds (and was aborted): retryable,
    /// code `request_timeout`.
    pub fn timeout(millis: u32) -> Self {
        let mut message = String::from("The auth server did not answer within ");
        crate::json::push_decimal(&mut message, i64::from(millis));
        message.push_str(" ms");
        AuthError::network(message).with_code("request_timeout")
    }

    /// A success status with a body that is not what the server sends (a captive portal's
    /// page, a cut-short or empty body): retryable, status 0 as auth-js reports it.
    pub(crate) fn unreadable_answer(status: u16) -> Self {
        AuthError::network(status_message("The auth server's answer (HTTP ", status, ") could not be read"))
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// A human-readable description (the server's message for API errors).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status: the server's for API errors, 0 for network failures, auth-js's fixed
    /// status for client-side kinds, `None` where auth-js has none.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The server's error code (e.g. `invalid_credentials`, `weak_password`), or this crate's
    /// code for client-side errors.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The code as auth-js reports it: none when it came from an OAuth-style `error` member.
    #[cfg(any(all(target_arch = "wasm32", feature = "js-api"), all(test, not(target_arch = "wasm32"))))]
    pub(crate) fn js_code(&self) -> Option<&str> {
        if self.code_from_oauth_error {
            None
        } else {
            self.code()
        }
    }

    /// Why a password was refused as weak (`length`, `characters`, `pwned`); empty otherwise.
    pub fn reasons(&self) -> &[String] {
        &self.reasons
    }

    /// For redirect errors: the `error` and `error_code` of the URL.
    pub fn details(&self) -> Option<&RedirectErrorDetails> {
        self.details.as_deref()
    }

    /// Whether retrying the same request later may succeed.
    pub fn is_retryable(&self) -> bool {
        self.kind == AuthErrorKind::RetryableFetch
    }

    /// Whether the server itself answered with this error (auth-js `isAuthApiError`).
    pub fn is_api_error(&self) -> bool {
        matches!(self.kind, AuthErrorKind::Api | AuthErrorKind::WeakPassword)
    }

    /// Whether the failure means there is no usable session.
    pub fn is_session_missing(&self) -> bool {
        self.kind == AuthErrorKind::SessionMissing
    }

    /// Maps a non-2xx HTTP answer to an error. `body` may be anything a server or a proxy
    /// sends: JSON in either API version, HTML, or nothing.
    pub(crate) fn from_response(status: u16, api_version_2024: bool, body: &str) -> AuthError {
        let value = crate::json::parse(body).ok();
        let parsed = value.as_ref().and_then(ServerErrorBody::read);
        if is_retryable_status(status) {
            let message = parsed.and_then(|body| body.message.or(body.msg)).map_or_else(
                || status_message("The auth server is temporarily unavailable (HTTP ", status, ")"),
                str::to_string,
            );
            return AuthError::new(AuthErrorKind::RetryableFetch, message).with_status(status);
        }
        let Some(parsed) = parsed else {
            return AuthError::unknown(non_json_message(status)).with_status(status);
        };
        // The message as auth-js reads it: `msg`, `message`, `error_description`, `error`. The
        // code may come from an OAuth-style `error` member, which auth-js does not report.
        let code = if api_version_2024 { parsed.code } else { parsed.error_code }.or(parsed.error_code);
        let code_from_oauth_error = code.is_none() && parsed.error.is_some();
        let code = code.or(parsed.error);
        let message = parsed
            .msg
            .or(parsed.message)
            .or(parsed.error_description)
            .or(parsed.error)
            .map_or_else(|| non_json_message(status), str::to_string);

        if code == Some("session_not_found") {
            return AuthError::new(AuthErrorKind::SessionMissing, message)
                .with_status(status)
                .with_code("session_not_found");
        }
        let weak_reasons = parsed.weak_password;
        if code == Some("weak_password") || weak_reasons.is_some() {
            let mut error =
                AuthError::new(AuthErrorKind::WeakPassword, message).with_status(status).with_code("weak_password");
            error.reasons = weak_reasons.unwrap_or_default();
            return error;
        }
        let mut error = AuthError::new(AuthErrorKind::Api, message).with_status(status);
        error.code = code.map(str::to_string);
        error.code_from_oauth_error = code_from_oauth_error;
        error
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.js_name())?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for AuthError {}

/// HTTP statuses auth-js treats as "try again": gateway failures and Cloudflare's 52x.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    (500..=504).contains(&status) || (520..=530).contains(&status)
}

fn non_json_message(status: u16) -> String {
    status_message("The auth server answered HTTP ", status, " without a JSON error body")
}

/// `before` + the status in decimal + `after`, without `format!` (no `core::fmt` in the wasm).
fn status_message(before: &str, status: u16, after: &str) -> String {
    let mut message = String::from(before);
    crate::json::push_decimal(&mut message, i64::from(status));
    message.push_str(after);
    message
}

/// Both error body versions and the OAuth-style one; every field optional because any of
/// them may be absent (or the body may come from a proxy, not GoTrue). The texts are borrowed
/// from the parsed body: only the ones the error keeps are copied.
struct ServerErrorBody<'a> {
    /// The string error code of API version 2024-01-01; `None` for the legacy format's
    /// integer HTTP status (or any other non-string).
    code: Option<&'a str>,
    error_code: Option<&'a str>,
    msg: Option<&'a str>,
    message: Option<&'a str>,
    error: Option<&'a str>,
    error_description: Option<&'a str>,
    /// `weak_password.reasons`, when the body has a `weak_password` object.
    weak_password: Option<Vec<String>>,
}

impl<'a> ServerErrorBody<'a> {
    /// `None` when the body is no object, or a member read as text is something else.
    fn read(value: &'a JsonValue) -> Option<Self> {
        let fields = Fields::of(value, "error body").ok()?;
        let text = |key: &str| match fields.get(key) {
            None => Some(None),
            Some(member) => member.as_str().map(Some),
        };
        let weak_password = match fields.get("weak_password") {
            Some(weak) => Some(Fields::of(weak, "weak_password").ok()?.or_default("reasons").ok()?),
            None => None,
        };
        Some(ServerErrorBody {
            code: fields.get("code").and_then(JsonValue::as_str),
            error_code: text("error_code")?,
            msg: text("msg")?,
            message: text("message")?,
            error: text("error")?,
            error_description: text("error_description")?,
            weak_password,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn reads_the_2024_error_shape() {
        let error = AuthError::from_response(
            400,
            true,
            r#"{"code":"invalid_credentials","message":"Invalid login credentials"}"#,
        );
        assert_eq!(error.kind(), AuthErrorKind::Api);
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.code(), Some("invalid_credentials"));
        assert_eq!(error.message(), "Invalid login credentials");
    }

    #[test]
    fn reads_the_legacy_error_shape() {
        let error = AuthError::from_response(
            422,
            false,
            r#"{"code":422,"error_code":"signup_disabled","msg":"Signups not allowed for this instance"}"#,
        );
        assert_eq!(error.kind(), AuthErrorKind::Api);
        assert_eq!(error.code(), Some("signup_disabled"));
        assert_eq!(error.message(), "Signups not allowed for this instance");
    }

    #[test]
    fn weak_password_keeps_its_reasons() {
        let error = AuthError::from_response(
            422,
            true,
            r#"{"code":"weak_password","message":"Password should be at least 6 characters.","weak_password":{"reasons":["length"]}}"#,
        );
        assert_eq!(error.kind(), AuthErrorKind::WeakPassword);
        assert_eq!(error.reasons(), ["length".to_string()]);
        assert!(error.is_api_error());
    }

    #[test]
    fn session_not_found_means_the_session_is_missing() {
        let error = AuthError::from_response(
            403,
            true,
            r#"{"code":"session_not_found","message":"Session from session_id claim in JWT does not exist"}"#,
        );
        assert_eq!(error.kind(), AuthErrorKind::SessionMissing);
        assert_eq!(error.status(), Some(403));
    }

    #[test]
    fn html_from_a_proxy_is_an_unknown_error() {
        let error = AuthError::from_response(404, true, "<html><body>Not Found</body></html>");
        assert_eq!(error.kind(), AuthErrorKind::Unknown);
        assert_eq!(error.status(), Some(404));
    }

    #[test]
    fn gateway_errors_are_retryable() {
        for status in [500, 502, 503, 504, 520, 530] {
            let error = AuthError::from_response(status, true, "<html>Bad Gateway</html>");
            assert!(error.is_retryable(), "{status}");
        }
        assert!(!AuthError::from_response(501 + 100, true, "{}").is_retryable());
    }

    #[test]
    fn oauth_style_errors_are_read() {
        let error = AuthError::from_response(
            400,
            true,
            r#"{"error":"invalid_grant","error_description":"Signature does not match"}"#,
        );
        assert_eq!(error.code(), Some("invalid_grant"));
        assert_eq!(error.js_code(), None, "auth-js takes no code from an OAuth-style `error` member");
        assert_eq!(error.message(), "Signature does not match");
    }

    #[test]
    fn display_names_kind_and_code() {
        let error = AuthError::session_missing();
        assert_eq!(error.to_string(), "AuthSessionMissingError: Auth session missing!");
    }

    #[test]
    fn the_code_field_is_text_only_in_the_2024_format() {
        // A legacy integer `code` under a 2024 header is no code; `error_code` stands in.
        let error = AuthError::from_response(400, true, r#"{"code":400,"error_code":"bad_json","msg":"m"}"#);
        assert_eq!((error.kind(), error.code(), error.message()), (AuthErrorKind::Api, Some("bad_json"), "m"));
        let error = AuthError::from_response(400, true, r#"{"code":{"nested":1},"message":"m"}"#);
        assert_eq!((error.kind(), error.code()), (AuthErrorKind::Api, None));
        let error = AuthError::from_response(400, false, r#"{"code":"ignored_in_legacy","message":"m"}"#);
        assert_eq!(error.code(), None);
    }

    #[test]
    fn nulls_fall_through_to_the_next_message() {
        let error = AuthError::from_response(
            400,
            true,
            r#"{"code":null,"message":null,"msg":null,"error":"invalid_grant","error_description":null}"#,
        );
        assert_eq!((error.code(), error.message()), (Some("invalid_grant"), "invalid_grant"));
        let error = AuthError::from_response(400, true, r#"{"message":null}"#);
        assert_eq!(error.kind(), AuthErrorKind::Api);
        assert!(error.message().contains("HTTP 400"), "{}", error.message());
    }

    #[test]
    fn weak_password_bodies_read_leniently() {
        let error = AuthError::from_response(422, true, r#"{"message":"weak","weak_password":{"reasons":null}}"#);
        assert_eq!((error.kind(), error.code()), (AuthErrorKind::WeakPassword, Some("weak_password")));
        assert!(error.reasons().is_empty());
        let error = AuthError::from_response(422, true, r#"{"code":"other","message":"m","weak_password":null}"#);
        assert_eq!(error.kind(), AuthErrorKind::Api);
    }

    #[test]
    fn wrongly_typed_or_non_object_bodies_are_unknown_errors() {
        for body in [
            r#"{"error_code":422,"msg":"m"}"#,
            r#"{"msg":["m"]}"#,
            r#"{"weak_password":"yes"}"#,
            "[]",
            "null",
            "\"text\"",
        ] {
            let error = AuthError::from_response(422, true, body);
            assert_eq!((error.kind(), error.status()), (AuthErrorKind::Unknown, Some(422)), "{body}");
        }
    }

    #[test]
    fn retryable_errors_keep_the_servers_message() {
        let error = AuthError::from_response(503, true, r#"{"msg":"Try later"}"#);
        assert_eq!((error.kind(), error.message()), (AuthErrorKind::RetryableFetch, "Try later"));
        let error = AuthError::from_response(503, true, r#"{"msg":5}"#);
        assert!(error.message().contains("HTTP 503"), "{}", error.message());
    }
}
