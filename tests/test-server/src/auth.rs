//! Bearer-token authentication for user endpoints (contract §3.1).

use crate::errors::ApiError;
use crate::state::{AppState, Store};
use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};
use uuid::Uuid;

pub struct Authed {
    pub user_id: Uuid,
    pub session_id: Option<Uuid>,
    pub claims: Map<String, Value>,
    /// When the token was checked (the server clock, which tests can move).
    pub checked_at: crate::clock::Ts,
}

/// Checks the token's signature and expiry only; `require_user` checks it against the store.
pub fn verify_bearer(st: &AppState, headers: &HeaderMap) -> Result<Authed, ApiError> {
    let no_auth = || ApiError::new(401, "no_authorization", "This endpoint requires a valid Bearer token");
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(no_auth)?;
    let (scheme, token) = value.split_once(' ').ok_or_else(no_auth)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(no_auth());
    }
    let claims = crate::keys::verify_access_token(st, token, st.now().secs()).map_err(|e| {
        ApiError::forbidden("bad_jwt", format!("invalid JWT: unable to parse or verify signature, {e}"))
    })?;
    let user_id = claims
        .get("sub")
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| ApiError::bad_request("bad_jwt", "invalid claim: sub claim must be a UUID"))?;
    let session_id = claims.get("session_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok());
    Ok(Authed { user_id, session_id, claims, checked_at: st.now() })
}

pub fn require_user(store: &Store, a: &Authed) -> Result<(), ApiError> {
    let Some(user) = store.users.get(&a.user_id) else {
        return Err(ApiError::forbidden("user_not_found", "User from sub claim in JWT does not exist"));
    };
    if user.is_banned(a.checked_at) {
        return Err(ApiError::forbidden("user_banned", "User is banned"));
    }
    if let Some(sid) = a.session_id {
        if !store.sessions.contains_key(&sid) {
            return Err(ApiError::forbidden(
                "session_not_found",
                "Session from session_id claim in JWT does not exist",
            ));
        }
    }
    Ok(())
}
