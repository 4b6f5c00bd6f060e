//! `GET /.well-known/jwks.json` (contract §4.17, §8) and the test-only key rotation
//! `POST /__test/rotate_signing_key`.

use super::ok;
use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use serde_json::{json, Value};

/// A JWKS body with GoTrue's caching header.
pub fn jwks_response(keys: Value) -> Response {
    let mut resp = ok(keys);
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=600"));
    resp
}

/// Public halves of every asymmetric signing key, oldest first; empty in HS256 mode (the secret
/// is never published).
pub async fn jwks(State(st): State<AppState>) -> Response {
    jwks_response(st.keys.signing.jwks())
}

/// `POST /__test/rotate_signing_key` → `{"kid": "<new kid>", "alg": "ES256"|"RS256"}`. New access
/// tokens are signed with the new key; tokens of the old keys stay valid and every key stays in
/// the JWKS. In HS256 mode there is no key pair to rotate: 400 `validation_failed`.
pub async fn rotate(State(st): State<AppState>) -> Result<Response, ApiError> {
    let keys = st.keys.clone();
    // RSA generation takes seconds in a debug build; keep it off the async workers.
    let key = tokio::task::spawn_blocking(move || keys.signing.rotate()).await.map_err(super::internal)?;
    match key {
        Some(k) => Ok(ok(json!({ "kid": k.kid(), "alg": k.alg().name() }))),
        None => Err(ApiError::validation("Signing key rotation needs --jwt-alg ES256 or RS256")),
    }
}
