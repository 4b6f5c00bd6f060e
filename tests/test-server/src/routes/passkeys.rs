//! Passkeys (GOTRUE_PASSKEY_ENABLED, `--passkeys`): discoverable WebAuthn credentials that sign a
//! user in without a password. `POST /passkeys/registration/{options,verify}` (signed in),
//! `POST /passkeys/authentication/{options,verify}` (anyone), `GET /passkeys`,
//! `PATCH|DELETE /passkeys/{id}`, and the admin's `GET /admin/users/{id}/passkeys` and
//! `DELETE /admin/users/{id}/passkeys/{passkey_id}`. Every route of the first group answers
//! 404 `passkey_disabled` while the feature is off, as GoTrue's middleware does.
//!
//! Registrations and assertions are verified for real (`webauthn.rs`). The user handle is the
//! user's id as text, which an assertion hands back to name the account.

use super::admin::{load_user, require_admin, user_id_of};
use super::mfa::url_host;
use super::{ok, read_json, MAX_BODY};
use crate::auth::{require_user, verify_bearer, Authed};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::models::{Passkey, User};
use crate::state::{AppState, Store};
use crate::tokens::issue_session;
use crate::webauthn::{self, Expected};
use axum::body::{to_bytes, Body};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

/// GOTRUE_WEBAUTHN_CHALLENGE_EXPIRY_DURATION default.
pub const CHALLENGE_EXPIRY_SECS: i64 = 300;
/// GOTRUE_PASSKEY_MAX_PASSKEYS_PER_USER default.
pub const MAX_PASSKEYS: usize = 10;
/// How long the browser may take, in milliseconds (go-webauthn's default).
const TIMEOUT_MS: u64 = 300_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeremonyKind {
    Registration,
    Authentication,
}

/// A ceremony handed out by an `options` call, consumed by its `verify`.
#[derive(Clone, Debug)]
pub struct PasskeyChallenge {
    pub kind: CeremonyKind,
    /// The registering user; `None` for a discoverable sign-in.
    pub user_id: Option<Uuid>,
    /// base64url without padding.
    pub challenge: String,
    pub rp_id: String,
    pub expires_at: Ts,
}

fn require_enabled(st: &AppState) -> Result<(), ApiError> {
    if st.cfg.passkeys {
        Ok(())
    } else {
        Err(ApiError::not_found("passkey_disabled", "Passkeys are disabled"))
    }
}

fn no_content() -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    resp
}

/// GoTrue's requirePasskeyManagementAAL: with a verified MFA factor, only an AAL2 session may add
/// or remove passkeys.
fn require_management_aal(store: &Store, a: &Authed, user: &User) -> Result<(), ApiError> {
    let aal2 = a.session_id.and_then(|id| store.sessions.get(&id)).is_some_and(|s| s.aal() == "aal2");
    if user.has_verified_factor() && !aal2 {
        return Err(ApiError::forbidden(
            "insufficient_aal",
            "AAL2 session is required to manage passkeys when MFA is enabled",
        ));
    }
    Ok(())
}

fn not_anonymous(a: &Authed) -> Result<(), ApiError> {
    if a.claims.get("is_anonymous").and_then(Value::as_bool) == Some(true) {
        return Err(ApiError::forbidden("no_authorization", "Anonymous user not allowed to perform these actions"));
    }
    Ok(())
}

fn new_challenge(
    store: &mut Store,
    kind: CeremonyKind,
    user_id: Option<Uuid>,
    rp_id: &str,
    now: Ts,
) -> (Uuid, String, Ts) {
    let challenge = super::mfa::random_challenge();
    let id = Uuid::new_v4();
    let expires_at = now.add_secs(CHALLENGE_EXPIRY_SECS);
    store.passkey_challenges.retain(|_, c| c.expires_at.add_secs(CHALLENGE_EXPIRY_SECS) > now);
    store.passkey_challenges.insert(
        id,
        PasskeyChallenge { kind, user_id, challenge: challenge.clone(), rp_id: rp_id.to_string(), expires_at },
    );
    (id, challenge, expires_at)
}

/// The user's name for the authenticator: e-mail, else phone; the display name prefers
/// `user_metadata.name`.
fn user_names(user: &User) -> (String, String) {
    let name = if user.email.is_empty() { user.phone.clone() } else { user.email.clone() };
    let display = user.user_metadata.get("name").and_then(Value::as_str).filter(|n| !n.is_empty());
    let display = display.map_or_else(|| name.clone(), str::to_string);
    (name, display)
}

pub async fn registration_options(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let a = verify_bearer(&st, &headers)?;
    not_anonymous(&a)?;
    let now = st.now();
    let mut store = st.lock();
    require_user(&store, &a)?;
    let user = store.users[&a.user_id].clone();
    require_management_aal(&store, &a, &user)?;
    if user.passkeys.len() >= MAX_PASSKEYS {
        return Err(ApiError::unprocessable("too_many_passkeys", "Maximum number of passkeys reached"));
    }
    let rp_id = url_host(&st.cfg.site_url).1;
    let (id, challenge, expires_at) = new_challenge(&mut store, CeremonyKind::Registration, Some(user.id), &rp_id, now);
    let (name, display) = user_names(&user);
    let exclude: Vec<Value> =
        user.passkeys.iter().map(|p| json!({ "type": "public-key", "id": p.credential_id })).collect();
    Ok(ok(json!({
        "challenge_id": id.to_string(),
        "options": {
            "rp": { "name": super::mfa::RP_NAME, "id": rp_id },
            "user": {
                "name": name,
                "displayName": display,
                "id": URL_SAFE_NO_PAD.encode(user.id.to_string()),
            },
            "challenge": challenge,
            "pubKeyCredParams": webauthn::SUPPORTED_ALGS
                .iter()
                .map(|alg| json!({ "type": "public-key", "alg": alg }))
                .collect::<Vec<_>>(),
            "timeout": TIMEOUT_MS,
            "excludeCredentials": exclude,
            "authenticatorSelection": {
                "residentKey": "required",
                "requireResidentKey": true,
                "userVerification": "preferred",
            },
            "attestation": "none",
        },
        "expires_at": expires_at.secs(),
    })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VerifyParams {
    challenge_id: Option<String>,
    credential: Option<Value>,
}

/// Reads `{challenge_id, credential}` as GoTrue does (the body is always JSON-decoded).
async fn verify_params(body: Body) -> Result<(Uuid, Value), ApiError> {
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "request_entity_too_large", "Request body too large"))?;
    let p: VerifyParams = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request("bad_json", format!("Could not parse request body as JSON: {e}")))?;
    let raw_id = p.challenge_id.filter(|s| !s.is_empty());
    let raw_id = raw_id.ok_or_else(|| ApiError::validation("challenge_id is required"))?;
    let credential =
        p.credential.filter(|c| !c.is_null()).ok_or_else(|| ApiError::validation("credential is required"))?;
    let id = Uuid::parse_str(&raw_id).map_err(|_| ApiError::validation("challenge_id must be a valid UUID"))?;
    Ok((id, credential))
}

/// Takes the challenge out of the store (a second use finds nothing), then checks its expiry.
fn consume(
    store: &mut Store,
    id: Uuid,
    kind: CeremonyKind,
    user_id: Option<Uuid>,
    now: Ts,
) -> Result<PasskeyChallenge, ApiError> {
    let not_found = || ApiError::bad_request("webauthn_challenge_not_found", "Challenge not found or already used");
    let matches = store.passkey_challenges.get(&id).is_some_and(|c| c.kind == kind && c.user_id == user_id);
    if !matches {
        return Err(not_found());
    }
    let challenge = store.passkey_challenges.remove(&id).ok_or_else(not_found)?;
    if now > challenge.expires_at {
        return Err(ApiError::bad_request("webauthn_challenge_expired", "Challenge has expired"));
    }
    Ok(challenge)
}

fn verification_failed() -> ApiError {
    ApiError::bad_request("webauthn_verification_failed", "Credential verification failed")
}

/// GoTrue names a passkey after its authenticator model when the AAGUID is a known one.
fn friendly_name(aaguid: &[u8; 16]) -> &'static str {
    const KNOWN: [([u8; 16], &str); 2] = [
        (*b"\xea\x9b\x8d\x66\x4d\x01\x1d\x21\x3c\xe4\xb6\xb4\x8c\xb5\x75\xd4", "Google Password Manager"),
        (*b"\xfb\xfc\x30\x07\x15\x4e\x4e\xcc\x8c\x0b\x6e\x02\x05\x57\xd7\xbd", "iCloud Keychain"),
    ];
    KNOWN.iter().find(|(id, _)| id == aaguid).map_or("Passkey", |(_, name)| name)
}

pub async fn registration_verify(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let a = verify_bearer(&st, &headers)?;
    not_anonymous(&a)?;
    {
        let store = st.lock();
        require_user(&store, &a)?;
        let user = store.users[&a.user_id].clone();
        require_management_aal(&store, &a, &user)?;
    }
    let (challenge_id, credential) = verify_params(body).await?;
    let now = st.now();
    let mut store = st.lock();
    require_user(&store, &a)?;
    let challenge = consume(&mut store, challenge_id, CeremonyKind::Registration, Some(a.user_id), now)?;
    let expected =
        Expected { client_data_type: "webauthn.create", challenge: &challenge.challenge, rp_id: &challenge.rp_id };
    let reg = webauthn::verify_registration(&credential, &expected).map_err(|_| verification_failed())?;
    if store.users.values().any(|u| u.passkeys.iter().any(|p| p.credential_id == reg.credential_id)) {
        return Err(ApiError::unprocessable("webauthn_credential_exists", "This credential is already registered"));
    }
    let mut user = store.users[&a.user_id].clone();
    if user.passkeys.len() >= MAX_PASSKEYS {
        return Err(ApiError::unprocessable("too_many_passkeys", "Maximum number of passkeys reached"));
    }
    let passkey = Passkey {
        id: Uuid::new_v4(),
        credential_id: reg.credential_id,
        public_key: reg.public_key,
        sign_count: reg.sign_count,
        aaguid: reg.aaguid,
        friendly_name: friendly_name(&reg.aaguid).to_string(),
        created_at: now,
        updated_at: now,
        last_used_at: None,
    };
    let mut out = json!({ "id": passkey.id.to_string(), "created_at": now.rfc3339() });
    out["friendly_name"] = json!(passkey.friendly_name);
    user.passkeys.push(passkey);
    store.users.insert(user.id, user);
    Ok(ok(out))
}

pub async fn authentication_options(State(st): State<AppState>, body: Body) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    // The body only carries `gotrue_meta_security` (CAPTCHA, not checked here); it may be empty.
    let _ = to_bytes(body, MAX_BODY).await;
    let now = st.now();
    let rp_id = url_host(&st.cfg.site_url).1;
    let mut store = st.lock();
    let (id, challenge, expires_at) = new_challenge(&mut store, CeremonyKind::Authentication, None, &rp_id, now);
    Ok(ok(json!({
        "challenge_id": id.to_string(),
        "options": {
            "challenge": challenge,
            "timeout": TIMEOUT_MS,
            "rpId": rp_id,
            "userVerification": "preferred",
        },
        "expires_at": expires_at.secs(),
    })))
}

pub async fn authentication_verify(State(st): State<AppState>, body: Body) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let (challenge_id, credential) = verify_params(body).await?;
    let now = st.now();
    let mut store = st.lock();
    let challenge = consume(&mut store, challenge_id, CeremonyKind::Authentication, None, now)?;
    let expected =
        Expected { client_data_type: "webauthn.get", challenge: &challenge.challenge, rp_id: &challenge.rp_id };
    // Discoverable sign-in: the user handle names the account, whose passkey must be the one used.
    let credential_id = webauthn::assertion_credential_id(&credential).map_err(|_| verification_failed())?;
    let handle = credential
        .pointer("/response/userHandle")
        .and_then(Value::as_str)
        .and_then(webauthn::b64)
        .and_then(|h| String::from_utf8(h).ok())
        .and_then(|h| Uuid::parse_str(&h).ok())
        .ok_or_else(verification_failed)?;
    let mut user = store.users.get(&handle).cloned().ok_or_else(verification_failed)?;
    let idx = user.passkeys.iter().position(|p| p.credential_id == credential_id).ok_or_else(verification_failed)?;
    let assertion = webauthn::verify_assertion(&credential, &expected, &user.passkeys[idx].public_key)
        .map_err(|_| verification_failed())?;
    if !user.email.is_empty() && user.email_confirmed_at.is_none() {
        return Err(ApiError::forbidden("email_not_confirmed", "Email not confirmed"));
    }
    if !user.phone.is_empty() && user.phone_confirmed_at.is_none() {
        return Err(ApiError::forbidden("phone_not_confirmed", "Phone not confirmed"));
    }
    if user.is_banned(now) {
        return Err(ApiError::forbidden("user_banned", "User is banned"));
    }
    let passkey = &mut user.passkeys[idx];
    passkey.sign_count = assertion.sign_count;
    passkey.last_used_at = Some(now);
    passkey.updated_at = now;
    store.users.insert(user.id, user.clone());
    let body = issue_session(&st, &mut store, user.id, "passkey", now);
    Ok(ok(Value::Object(body)))
}

/// The signed-in caller, checked against the store.
fn signed_in(st: &AppState, headers: &HeaderMap) -> Result<(Authed, User), ApiError> {
    let a = verify_bearer(st, headers)?;
    let store = st.lock();
    require_user(&store, &a)?;
    let user = store.users[&a.user_id].clone();
    Ok((a, user))
}

pub async fn list(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let (_, user) = signed_in(&st, &headers)?;
    Ok(ok(Value::Array(user.passkeys.iter().map(Passkey::to_json).collect())))
}

fn passkey_not_found() -> ApiError {
    ApiError::not_found("validation_failed", "Passkey not found")
}

fn passkey_id(path: Result<Path<String>, PathRejection>) -> Result<Uuid, ApiError> {
    path.ok().and_then(|Path(id)| Uuid::parse_str(&id).ok()).ok_or_else(passkey_not_found)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UpdateParams {
    friendly_name: Option<String>,
}

pub async fn update(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let (a, _) = signed_in(&st, &headers)?;
    let id = passkey_id(path)?;
    let p: UpdateParams = read_json(body).await?;
    let name = p.friendly_name.unwrap_or_default();
    if name.is_empty() {
        return Err(ApiError::validation("friendly_name is required"));
    }
    if name.chars().count() > 120 {
        return Err(ApiError::validation("friendly_name must be 120 characters or less"));
    }
    let now = st.now();
    let mut store = st.lock();
    let mut user = store.users.get(&a.user_id).cloned().ok_or_else(passkey_not_found)?;
    let passkey = user.passkeys.iter_mut().find(|p| p.id == id).ok_or_else(passkey_not_found)?;
    passkey.friendly_name = name;
    passkey.updated_at = now;
    let out = passkey.to_json();
    store.users.insert(user.id, user);
    Ok(ok(out))
}

pub async fn delete(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let (a, user) = signed_in(&st, &headers)?;
    let mut store = st.lock();
    require_management_aal(&store, &a, &user)?;
    let id = passkey_id(path)?;
    let mut user = store.users.get(&a.user_id).cloned().ok_or_else(passkey_not_found)?;
    let before = user.passkeys.len();
    user.passkeys.retain(|p| p.id != id);
    if user.passkeys.len() == before {
        return Err(passkey_not_found());
    }
    store.users.insert(user.id, user);
    Ok(no_content())
}

pub async fn admin_list(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let store = st.lock();
    require_admin(&st, &headers, &store)?;
    let user = load_user(&store, user_id_of(path)?)?;
    Ok(ok(Value::Array(user.passkeys.iter().map(Passkey::to_json).collect())))
}

pub async fn admin_delete(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    let Ok(Path((uid, pid))) = path else {
        return Err(ApiError::not_found("validation_failed", "user_id must be an UUID"));
    };
    let mut user = load_user(&store, super::admin::path_uuid(&uid, "user_id")?)?;
    let id = Uuid::parse_str(&pid).map_err(|_| passkey_not_found())?;
    let before = user.passkeys.len();
    user.passkeys.retain(|p| p.id != id);
    if user.passkeys.len() == before {
        return Err(passkey_not_found());
    }
    store.users.insert(user.id, user);
    Ok(no_content())
}
