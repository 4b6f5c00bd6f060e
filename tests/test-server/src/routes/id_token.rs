//! `POST /token?grant_type=id_token` (contract §4.3) and the test OpenID issuer behind it.
//!
//! Every supported provider (`google`, `apple`, `keycloak`, `custom:test`) is served by one fake
//! issuer, `http://HOST:PORT/__test/oidc`, with client id `test-client`:
//! * `GET /__test/oidc/jwks.json` — its public key (ES256, kid `test-oidc-es256-1`);
//! * `GET /__test/oidc/.well-known/openid-configuration` — a minimal discovery document;
//! * `POST /__test/oidc/issue` `{sub, email, aud?, nonce?, exp_in?, email_verified?}` →
//!   `{"id_token": JWT}` with `iss`, `aud` (default `test-client`), `sub`, `email`,
//!   `email_verified` (default true), `iat`, `exp` (now + `exp_in`, default 3600 s; negative gives
//!   an expired token) and `nonce` = SHA-256 hex of the raw nonce given.

use super::external_identity::{self, External};
use super::jwks::jwks_response;
use super::{given, json_response, ok, read_json};
use crate::auth::{require_user, verify_bearer};
use crate::errors::ApiError;
use crate::keys;
use crate::routes::oauth::CLIENT_ID;
use crate::state::AppState;
use crate::tokens::issue_session;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// Providers whose ID tokens this server accepts (all from the test issuer).
pub const ID_TOKEN_PROVIDERS: [&str; 4] = ["google", "apple", "keycloak", "custom:test"];

/// Providers GoTrue knows for this grant but that this server has not enabled.
const KNOWN_DISABLED: [&str; 5] = ["azure", "facebook", "kakao", "vercel_marketplace", "snapchat"];

pub fn issuer(st: &AppState) -> String {
    format!("{}/__test/oidc", st.external_url)
}

/// A grant failure: either one of GoTrue's usual errors or an OAuth-style
/// `{"error", "error_description"}` body (contract §3.2; always HTTP 400).
pub enum GrantError {
    Api(ApiError),
    OAuth(&'static str, String),
}

impl From<ApiError> for GrantError {
    fn from(e: ApiError) -> Self {
        GrantError::Api(e)
    }
}

impl IntoResponse for GrantError {
    fn into_response(self) -> Response {
        match self {
            GrantError::Api(e) => e.into_response(),
            GrantError::OAuth(error, description) => {
                let mut body = Map::new();
                body.insert("error".into(), json!(error));
                if !description.is_empty() {
                    body.insert("error_description".into(), json!(description));
                }
                json_response(StatusCode::BAD_REQUEST, &Value::Object(body))
            }
        }
    }
}

pub fn oauth(error: &'static str, description: impl Into<String>) -> GrantError {
    GrantError::OAuth(error, description.into())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct IdTokenParams {
    id_token: Option<String>,
    provider: Option<String>,
    client_id: Option<String>,
    issuer: Option<String>,
    nonce: Option<String>,
    #[allow(dead_code)]
    access_token: Option<String>,
    link_identity: Option<bool>,
}

fn resolve_provider(p: &IdTokenParams) -> Result<String, GrantError> {
    let Some(provider) = given(&p.provider) else {
        return match (given(&p.client_id), given(&p.issuer)) {
            (Some(_), Some(issuer)) => Err(ApiError::bad_request(
                "provider_disabled",
                format!("Custom OIDC provider \"{issuer}\" not allowed"),
            )
            .into()),
            _ => Err(oauth("invalid request", "provider or client_id and issuer required")),
        };
    };
    let provider = provider.trim().to_ascii_lowercase();
    if ID_TOKEN_PROVIDERS.contains(&provider.as_str()) {
        Ok(provider)
    } else if KNOWN_DISABLED.contains(&provider.as_str()) || provider.starts_with("custom:") {
        Err(ApiError::bad_request("provider_disabled", format!("Provider ({provider}) is not enabled")).into())
    } else {
        Err(oauth("invalid request", format!("Provider \"{provider}\" is not supported")))
    }
}

/// Signature, issuer, audience and expiry of a token from the test issuer.
fn verify_id_token(st: &AppState, token: &str) -> Result<Map<String, Value>, String> {
    let parsed = keys::parse(token)?;
    let kid = parsed.kid().unwrap_or("");
    if kid != st.keys.oidc.kid() {
        return Err(format!("unknown signing key {kid:?}"));
    }
    if !parsed.claims.contains_key("exp") {
        return Err("token has no exp claim".into());
    }
    let claims = parsed.verify(&st.keys.oidc, st.now().secs())?;
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
    if iss != issuer(st) {
        return Err(format!("issuer {iss:?} is not {:?}", issuer(st)));
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == CLIENT_ID,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(CLIENT_ID)),
        _ => false,
    };
    if !aud_ok {
        return Err(format!("audience is not {CLIENT_ID:?}"));
    }
    Ok(claims)
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn grant(st: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, GrantError> {
    let p: IdTokenParams = read_json(body).await?;
    let Some(id_token) = given(&p.id_token) else {
        return Err(oauth("invalid request", "id_token required"));
    };
    let provider = resolve_provider(&p)?;
    // Linking needs the caller's session, checked before anything else about the token.
    let link_target = if p.link_identity.unwrap_or(false) {
        let a = verify_bearer(st, headers)?;
        require_user(&st.lock(), &a)?;
        Some(a.user_id)
    } else {
        None
    };
    let claims = verify_id_token(st, id_token).map_err(|e| oauth("invalid request", format!("Bad ID token: {e}")))?;
    let token_nonce = claims.get("nonce").and_then(Value::as_str).filter(|n| !n.is_empty());
    match (token_nonce, given(&p.nonce)) {
        (None, None) => {}
        (Some(expected), Some(raw)) => {
            if sha256_hex(raw) != expected {
                return Err(oauth("invalid nonce", "Nonces mismatch"));
            }
        }
        _ => {
            return Err(oauth("invalid request", "Passed nonce and nonce in id_token should either both exist or not."))
        }
    }
    let subject = claims
        .get("sub")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| oauth("invalid request", "Bad ID token: no sub claim"))?
        .to_string();
    let email = claims.get("email").and_then(Value::as_str).map(|e| e.trim().to_lowercase()).unwrap_or_default();
    let email_verified = match claims.get("email_verified") {
        Some(Value::Bool(b)) => *b,
        // Some issuers send it as a string.
        Some(Value::String(s)) => s == "true",
        _ => false,
    };
    let mut data = Map::new();
    data.insert("iss".into(), json!(issuer(st)));
    data.insert("sub".into(), json!(subject));
    data.insert("provider_id".into(), json!(subject));
    if !email.is_empty() {
        data.insert("email".into(), json!(email));
    }
    data.insert("email_verified".into(), json!(email_verified));
    data.insert("phone_verified".into(), json!(false));
    if let Some(name) = claims.get("name").and_then(Value::as_str) {
        data.insert("name".into(), json!(name));
        data.insert("full_name".into(), json!(name));
    }
    let ext = External { provider, subject, email, email_verified, data };

    let now = st.now();
    let mut store = st.lock();
    let user_id = match link_target {
        Some(target) => {
            external_identity::link(&mut store, target, &ext, now)?;
            target
        }
        None => external_identity::sign_in(st, &mut store, &ext, now)?,
    };
    let body = issue_session(st, &mut store, user_id, "oauth", now);
    Ok(ok(Value::Object(body)))
}

// ---- the test issuer ----

pub async fn oidc_jwks(State(st): State<AppState>) -> Response {
    jwks_response(json!({ "keys": [st.keys.oidc.public_jwk()] }))
}

pub async fn oidc_configuration(State(st): State<AppState>) -> Response {
    let iss = issuer(&st);
    ok(json!({
        "issuer": iss,
        "jwks_uri": format!("{iss}/jwks.json"),
        "id_token_signing_alg_values_supported": [st.keys.oidc.alg().name()],
        "subject_types_supported": ["public"],
        "response_types_supported": ["id_token"],
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct IssueParams {
    sub: Option<String>,
    email: Option<String>,
    aud: Option<Value>,
    nonce: Option<String>,
    exp_in: Option<i64>,
    email_verified: Option<bool>,
    name: Option<String>,
}

/// `POST /__test/oidc/issue`.
pub async fn oidc_issue(State(st): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let p: IssueParams = read_json(body).await?;
    let sub = match given(&p.sub) {
        Some(s) => s.to_string(),
        None => format!("oidc-{}", uuid::Uuid::new_v4().simple()),
    };
    let aud = match p.aud {
        None | Some(Value::Null) => json!(CLIENT_ID),
        Some(a @ (Value::String(_) | Value::Array(_))) => a,
        Some(_) => return Err(ApiError::validation("aud must be a string or an array")),
    };
    let iat = st.now().secs();
    let exp = iat.saturating_add(p.exp_in.unwrap_or(3600));
    let mut claims = json!({
        "iss": issuer(&st),
        "aud": aud,
        "sub": sub,
        "iat": iat,
        "exp": exp,
    });
    if let Some(email) = given(&p.email) {
        claims["email"] = json!(email);
        claims["email_verified"] = json!(p.email_verified.unwrap_or(true));
    }
    if let Some(name) = given(&p.name) {
        claims["name"] = json!(name);
    }
    if let Some(nonce) = given(&p.nonce) {
        claims["nonce"] = json!(sha256_hex(nonce));
    }
    Ok(ok(json!({ "id_token": st.keys.oidc.sign_jwt(&claims) })))
}

#[cfg(test)]
mod tests {
    use super::sha256_hex;

    #[test]
    fn nonce_hash_is_lower_hex_sha256() {
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
