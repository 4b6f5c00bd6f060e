//! One module per endpoint area, plus the request/response helpers they share.

pub mod admin;
pub mod custom_providers;
pub mod external_identity;
pub mod fake_provider;
pub mod id_token;
pub mod identities;
pub mod jwks;
pub mod logout;
pub mod mfa;
pub mod oauth;
pub mod oauth_server;
pub mod otp;
pub mod passkeys;
pub mod recover;
pub mod recovery_codes;
pub mod resend;
pub mod settings;
pub mod signup;
pub mod sso;
pub mod testing;
pub mod token;
pub mod user;
pub mod verify;
pub mod web3;

use crate::errors::ApiError;
use crate::redirect::choose_redirect;
use crate::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// GoTrue's request body limit.
pub const MAX_BODY: usize = 1 << 20;

/// bcrypt cost: deliberately low, the server only ever holds throw-away test accounts.
pub const BCRYPT_COST: u32 = 4;

pub async fn read_json<T: DeserializeOwned>(body: Body) -> Result<T, ApiError> {
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "request_entity_too_large", "Request body too large"))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request("bad_json", format!("Could not parse request body as JSON: {e}")))
}

/// Decoded query string; the first value of a key wins, as with Go's `Query().Get`.
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<String>) -> Query {
        Query(
            raw.map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
                .unwrap_or_default(),
        )
    }

    /// Every decoded pair, in request order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// Adds the pairs of a form-encoded body after the query's own (first value still wins).
    pub fn extend_form(&mut self, form: &[u8]) {
        self.0.extend(form_urlencoded::parse(form).map(|(k, v)| (k.into_owned(), v.into_owned())));
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

pub fn json_response(status: StatusCode, v: &Value) -> Response {
    let mut resp = Response::new(Body::from(serde_json::to_vec(v).unwrap_or_default()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

pub fn ok(v: Value) -> Response {
    json_response(StatusCode::OK, &v)
}

pub fn empty_object() -> Response {
    ok(Value::Object(Default::default()))
}

/// A redirect without a body. Header values must be visible ASCII; anything else in the URL is
/// percent-encoded.
pub fn redirect_response(status: StatusCode, location: &str) -> Response {
    let mut safe = String::with_capacity(location.len());
    for b in location.bytes() {
        if (0x21..0x7f).contains(&b) {
            safe.push(b as char);
        } else {
            safe.push_str(&format!("%{b:02X}"));
        }
    }
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&safe) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// `redirect_to` from the header of that name, else the query; checked against the allow rules.
pub fn redirect_for(st: &AppState, headers: &HeaderMap, q: &Query) -> String {
    let header_value = headers.get("redirect_to").and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
    let requested = header_value.or_else(|| q.get("redirect_to"));
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok());
    choose_redirect(&st.cfg, requested, referer)
}

/// `None` and `""` both mean "not given", as they do for Go's zero-valued strings.
pub fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

pub fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("Unexpected failure: {e}"))
}

/// Paths no route takes: chi's `text/plain` answer, as GoTrue's router has no JSON not-found
/// handler. The route group's middleware (`group_gate`) has already run by then.
pub async fn not_found() -> Response {
    let mut resp = Response::new(Body::from("404 page not found\n"));
    *resp.status_mut() = StatusCode::NOT_FOUND;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    resp
}

/// The middleware of GoTrue's route groups, run before routing as chi runs a group's `Use`
/// middleware before it matches a route or a method: so `/passkeys/…` and `/oauth/…` answer
/// their feature's JSON 404 while it is off (whatever the method or sub-path), `/admin/…`
/// wants admin credentials and `/factors/…`, `/user/…` a signed-in user before any 404 or 405.
pub async fn group_gate(
    State(st): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::response::IntoResponse;
    match group_middleware(&st, req.headers(), req.uri().path()) {
        Err(e) => e.into_response(),
        Ok(()) => next.run(req).await,
    }
}

fn under(path: &str, prefix: &str) -> bool {
    path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

fn group_middleware(st: &AppState, headers: &HeaderMap, path: &str) -> Result<(), ApiError> {
    if under(path, "/passkeys") && !st.cfg.passkeys {
        return Err(ApiError::not_found("passkey_disabled", "Passkeys are disabled"));
    }
    if under(path, "/oauth") && !st.cfg.oauth_server {
        return Err(ApiError::not_found("feature_disabled", "OAuth server is disabled"));
    }
    if under(path, "/sso") && !st.cfg.saml {
        return Err(ApiError::not_found("saml_provider_disabled", "SAML 2.0 is disabled"));
    }
    if under(path, "/admin") {
        admin::require_admin(st, headers, &st.lock())?;
        if under(path, "/admin/oauth") && !st.cfg.oauth_server {
            return Err(ApiError::not_found("feature_disabled", "OAuth server is disabled"));
        }
        if under(path, "/admin/custom-providers") && !st.cfg.custom_providers {
            return Err(ApiError::not_found("feature_disabled", "Custom OAuth providers are disabled"));
        }
    }
    if ["/factors", "/user", "/reauthenticate"].iter().any(|p| under(path, p)) {
        let a = crate::auth::verify_bearer(st, headers)?;
        crate::auth::require_user(&st.lock(), &a)?;
    }
    Ok(())
}
