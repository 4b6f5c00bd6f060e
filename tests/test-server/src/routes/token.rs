//! `POST /token` (contract §4.3, §7): password, refresh_token and pkce grants; id_token and
//! web3 live in `id_token.rs` and `web3.rs`.

use super::{given, ok, read_json, Query};
use crate::errors::ApiError;
use crate::models::ChallengeMethod;
use crate::state::AppState;
use crate::tokens::{insert_refresh_token, issue_session, session_body};
use crate::validate;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// GoTrue's flow-state lifetime (GOTRUE_EXTERNAL_FLOW_STATE_EXPIRY_DURATION default and minimum).
pub const FLOW_STATE_EXPIRY_SECS: i64 = 300;

pub async fn token(
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    // The grant type is read from the query only; a body field of that name is ignored.
    let q = Query::parse(q);
    match q.get("grant_type").unwrap_or("") {
        "password" => {
            st.lock().stats.password_requests += 1;
            password_grant(&st, body).await
        }
        "refresh_token" => {
            // Every request counts, whatever its outcome (multi-tab tests count them).
            st.lock().stats.refresh_token_requests += 1;
            if st.cfg.refresh_delay_ms > 0 {
                // Test knob: a slow server widens the window in which tabs race to refresh.
                tokio::time::sleep(std::time::Duration::from_millis(st.cfg.refresh_delay_ms)).await;
            }
            refresh_grant(&st, body).await
        }
        "pkce" => pkce_grant(&st, body).await,
        // Their failures may be OAuth-style bodies, which are not `ApiError`s.
        "id_token" => Ok(super::id_token::grant(&st, &headers, body)
            .await
            .unwrap_or_else(axum::response::IntoResponse::into_response)),
        "web3" => Ok(super::web3::grant(&st, body).await.unwrap_or_else(axum::response::IntoResponse::into_response)),
        _ => Err(ApiError::bad_request("invalid_credentials", "unsupported_grant_type")),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordParams {
    email: Option<String>,
    phone: Option<String>,
    password: Option<String>,
}

async fn password_grant(st: &AppState, body: Body) -> Result<Response, ApiError> {
    let p: PasswordParams = read_json(body).await?;
    let invalid = || ApiError::bad_request("invalid_credentials", "Invalid login credentials");
    let (email, phone) = (given(&p.email), given(&p.phone));
    let is_phone = match (email, phone) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation("Only an email address or phone number should be provided on login."))
        }
        (None, None) => return Err(ApiError::validation("missing email or phone")),
        (None, Some(_)) => true,
        (Some(_), None) => false,
    };
    if is_phone && !st.cfg.phone {
        return Err(ApiError::unprocessable("phone_provider_disabled", "Phone logins are disabled"));
    }
    let password = p.password.unwrap_or_default();

    let user = {
        let store = st.lock();
        let id = match (email, phone) {
            (Some(e), _) => store.user_by_email(&e.trim().to_lowercase()),
            (_, Some(ph)) => {
                let ph: String = ph.trim_start_matches('+').replace(' ', "");
                store.user_by_phone(&ph)
            }
            _ => None,
        };
        id.and_then(|id| store.users.get(&id).cloned())
    }
    .ok_or_else(invalid)?;
    // bcrypt runs outside the lock.
    let hash = user.password_hash.as_deref().ok_or_else(invalid)?;
    if !bcrypt::verify(&password, hash).unwrap_or(false) {
        return Err(invalid());
    }
    if user.is_banned(st.now()) {
        return Err(ApiError::bad_request("user_banned", "User is banned"));
    }
    if !is_phone && user.email_confirmed_at.is_none() {
        return Err(ApiError::bad_request("email_not_confirmed", "Email not confirmed"));
    }
    if is_phone && user.phone_confirmed_at.is_none() {
        return Err(ApiError::bad_request("phone_not_confirmed", "Phone not confirmed"));
    }

    let now = st.now();
    let mut store = st.lock();
    if !store.users.contains_key(&user.id) {
        return Err(invalid());
    }
    let mut body = issue_session(st, &mut store, user.id, "password", now);
    // Sign-in still succeeds with a password the current policy would refuse; the client is told.
    if let Some((message, reasons)) = validate::password_weakness(&st.cfg, &password) {
        body.insert("weak_password".into(), json!({ "message": message, "reasons": reasons }));
    }
    Ok(ok(Value::Object(body)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RefreshParams {
    refresh_token: Option<String>,
}

async fn refresh_grant(st: &AppState, body: Body) -> Result<Response, ApiError> {
    let p: RefreshParams = read_json(body).await?;
    let rt = p.refresh_token.unwrap_or_default();
    let well_formed = rt.len() == 12 && rt.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !well_formed {
        return Err(ApiError::validation("Refresh token is not valid"));
    }
    let now = st.now();
    let mut store = st.lock();
    let not_found =
        || ApiError::bad_request("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    let token = store.refresh_tokens.get(&rt).cloned().ok_or_else(not_found)?;
    let session =
        store.sessions.get(&token.session_id).cloned().ok_or_else(|| {
            ApiError::bad_request("session_not_found", "Invalid Refresh Token: No Valid Session Found")
        })?;
    let user = store.users.get(&token.user_id).cloned().ok_or_else(not_found)?;
    if user.is_banned(now) {
        return Err(ApiError::bad_request("user_banned", "User is banned"));
    }

    let issued = match token.revoked_at {
        None => {
            if let Some(t) = store.refresh_tokens.get_mut(&rt) {
                t.revoked_at = Some(now);
            }
            insert_refresh_token(&mut store, session.id, user.id, Some(rt), now)
        }
        Some(revoked_at) => {
            let active = store.active_token(session.id).cloned();
            if let Some(active) = active.filter(|a| a.parent.as_deref() == Some(rt.as_str())) {
                // The client most likely lost the previous response: hand out the same token.
                active.token
            } else if now < revoked_at.add_secs(st.cfg.reuse_interval) {
                insert_refresh_token(&mut store, session.id, user.id, Some(rt), now)
            } else {
                // Reuse detected: the whole family is revoked, and that sticks.
                for t in store.refresh_tokens.values_mut() {
                    if t.session_id == session.id && t.revoked_at.is_none() {
                        t.revoked_at = Some(now);
                    }
                }
                return Err(ApiError::bad_request("refresh_token_already_used", "Invalid Refresh Token: Already Used"));
            }
        }
    };
    if let Some(s) = store.sessions.get_mut(&session.id) {
        s.updated_at = now;
    }
    Ok(ok(Value::Object(session_body(st, &user, &session, &issued, now))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PkceParams {
    auth_code: Option<String>,
    code_verifier: Option<String>,
}

fn challenge_matches(method: ChallengeMethod, challenge: &str, verifier: &str) -> bool {
    match method {
        ChallengeMethod::Plain => challenge == verifier,
        ChallengeMethod::S256 => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge,
    }
}

async fn pkce_grant(st: &AppState, body: Body) -> Result<Response, ApiError> {
    let p: PkceParams = read_json(body).await?;
    let (Some(code), Some(verifier)) = (given(&p.auth_code), given(&p.code_verifier)) else {
        return Err(ApiError::validation("invalid request: both auth code and code verifier should be non-empty"));
    };
    let now = st.now();
    let mut store = st.lock();
    let idx = store
        .flow_states
        .iter()
        .position(|f| f.auth_code_issued_at.is_some() && f.auth_code.to_string() == code)
        .ok_or_else(|| ApiError::not_found("flow_state_not_found", "invalid flow state, no valid flow state found"))?;
    let flow = store.flow_states[idx].clone();
    // OAuth flows count from `/authorize`; e-mail links from when the link handed the code out.
    let start = if flow.authentication_method == "oauth" {
        flow.created_at
    } else {
        flow.auth_code_issued_at.unwrap_or(flow.created_at)
    };
    if now > start.add_secs(FLOW_STATE_EXPIRY_SECS) {
        return Err(ApiError::unprocessable("flow_state_expired", "invalid flow state, flow state has expired"));
    }
    if !challenge_matches(flow.method, &flow.code_challenge, verifier) {
        return Err(ApiError::bad_request(
            "bad_code_verifier",
            "code challenge does not match previously saved code verifier",
        ));
    }
    store.flow_states.remove(idx);
    if !store.users.contains_key(&flow.user_id) {
        return Err(ApiError::not_found("user_not_found", "User not found"));
    }
    let mut body = issue_session(st, &mut store, flow.user_id, &flow.authentication_method, now);
    // Present only for OAuth logins, and omitted when empty.
    for (key, value) in
        [("provider_token", &flow.provider_token), ("provider_refresh_token", &flow.provider_refresh_token)]
    {
        if let Some(v) = given(value) {
            body.insert(key.into(), json!(v));
        }
    }
    Ok(ok(Value::Object(body)))
}
