//! MFA recovery codes (`--mfa-recovery-codes`): `GET|POST|DELETE /factors/recovery-codes`,
//! `POST /factors/recovery-codes/verify` and `/regenerate`. The codes are a factor of type
//! `recovery_code` on the user; only their SHA-256 is kept, and each works once. Verifying one
//! raises the session to AAL2 with AMR `mfa/recovery_code`, as a factor verification does.

use super::mfa::{downgrade_sessions, raise_session};
use super::{ok, read_json, MAX_BODY};
use crate::auth::{require_user, verify_bearer, Authed};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::factor::{Factor, FactorType, RecoveryCode, MAX_ENROLLED_FACTORS, MAX_VERIFIED_FACTORS};
use crate::models::{Session, User};
use crate::state::{AppState, Store};
use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rand::Rng;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// GOTRUE_MFA_RECOVERY_CODES_COUNT / _CODE_LENGTH defaults as this server applies them.
pub const CODE_COUNT: usize = 10;
const CODE_LENGTH: usize = 10;
/// Failed verifications before a lockout, and its length.
pub const MAX_VERIFY_ATTEMPTS: u32 = 5;
pub const LOCKOUT_SECS: i64 = 300;
const DEFAULT_NAME: &str = "Recovery codes";
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// Lower case, without whitespace and `-`: what the user may type differently.
pub fn normalize(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

fn hash(normalized: &str) -> String {
    Sha256::digest(normalized.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh set: the texts shown once (`xxxxx-xxxxx`) and what is stored.
fn new_codes() -> (Vec<String>, Vec<RecoveryCode>) {
    let mut rng = rand::thread_rng();
    let mut texts: Vec<String> = Vec::with_capacity(CODE_COUNT);
    while texts.len() < CODE_COUNT {
        let raw: String = (0..CODE_LENGTH).map(|_| ALPHABET[rng.gen_range(0..32)] as char).collect();
        let text = format!("{}-{}", &raw[..CODE_LENGTH / 2], &raw[CODE_LENGTH / 2..]);
        if !texts.contains(&text) {
            texts.push(text);
        }
    }
    let stored = texts.iter().map(|t| RecoveryCode { hash: hash(&normalize(t)), used_at: None }).collect();
    (texts, stored)
}

struct Caller {
    user: User,
    session: Session,
}

/// `/factors` rules: a user session, not anonymous.
fn caller(store: &Store, a: &Authed) -> Result<Caller, ApiError> {
    require_user(store, a)?;
    if a.claims.get("is_anonymous").and_then(Value::as_bool) == Some(true) {
        return Err(ApiError::forbidden("no_authorization", "Anonymous user not allowed to perform these actions"));
    }
    let session = a.session_id.and_then(|id| store.sessions.get(&id)).cloned().ok_or_else(|| {
        ApiError::internal("A valid session and a registered user are required to use recovery codes")
    })?;
    Ok(Caller { user: store.users[&a.user_id].clone(), session })
}

fn not_enrolled() -> ApiError {
    ApiError::not_found("mfa_factor_not_found", "The user has not enrolled recovery codes")
}

fn enroll_enabled(st: &AppState) -> Result<(), ApiError> {
    if st.cfg.mfa_recovery_codes {
        Ok(())
    } else {
        Err(ApiError::unprocessable(
            "mfa_recovery_codes_enroll_not_enabled",
            "MFA enroll is disabled for recovery codes",
        ))
    }
}

fn require_aal2(session: &Session, what: &str) -> Result<(), ApiError> {
    if session.aal() == "aal2" {
        Ok(())
    } else {
        Err(ApiError::forbidden("insufficient_aal", format!("AAL2 required to {what} recovery codes")))
    }
}

fn index(user: &User) -> Option<usize> {
    user.factors.iter().position(|f| f.factor_type == FactorType::RecoveryCode)
}

fn remaining(f: &Factor) -> usize {
    f.recovery_codes.iter().filter(|c| c.used_at.is_none()).count()
}

fn generated(f: &Factor, codes: Vec<String>) -> Response {
    ok(json!({
        "id": f.id.to_string(),
        "type": "recovery_code",
        "friendly_name": f.friendly_name,
        "total": f.recovery_codes.len(),
        "codes": codes,
    }))
}

pub async fn status(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let store = st.lock();
    let c = caller(&store, &a)?;
    let f = index(&c.user).map(|i| &c.user.factors[i]).ok_or_else(not_enrolled)?;
    Ok(ok(json!({
        "id": f.id.to_string(),
        "type": "recovery_code",
        "total": f.recovery_codes.len(),
        "remaining": remaining(f),
    })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GenerateParams {
    friendly_name: Option<String>,
}

pub async fn generate(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    {
        let store = st.lock();
        caller(&store, &a)?;
    }
    enroll_enabled(&st)?;
    // The body is optional; it is only parsed when one was sent.
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "request_entity_too_large", "Request body too large"))?;
    let p: GenerateParams = if bytes.is_empty() {
        GenerateParams::default()
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::bad_request("bad_json", format!("Could not parse request body as JSON: {e}")))?
    };
    let now = st.now();
    let mut store = st.lock();
    let c = caller(&store, &a)?;
    require_aal2(&c.session, "generate")?;
    let mut user = c.user;
    if index(&user).is_some() {
        return Err(ApiError::unprocessable(
            "mfa_verified_factor_exists",
            "Recovery codes are already enrolled for this user, use regenerate to rotate them",
        ));
    }
    let name = p.friendly_name.filter(|n| !n.is_empty()).unwrap_or_else(|| DEFAULT_NAME.to_string());
    check_factors(&mut user, &name, now)?;
    if !user.factors.iter().any(|f| f.verified && f.factor_type != FactorType::RecoveryCode) {
        return Err(ApiError::unprocessable(
            "mfa_recovery_codes_sole_factor",
            "At least one other verified factor is required to generate recovery codes",
        ));
    }
    let (texts, stored) = new_codes();
    let mut factor = Factor::new(FactorType::RecoveryCode, &name, now);
    factor.verified = true;
    factor.recovery_codes = stored;
    let out = generated(&factor, texts);
    user.factors.push(factor);
    user.updated_at = now;
    store.users.insert(user.id, user);
    Ok(out)
}

/// GoTrue's validateFactors as it applies here: stale unverified factors go, then the name and
/// count rules.
fn check_factors(user: &mut User, name: &str, now: Ts) -> Result<(), ApiError> {
    user.factors.retain(|f| f.verified || now <= f.created_at.add_secs(crate::factor::FACTOR_EXPIRY_SECS));
    if user.factors.iter().any(|f| f.friendly_name == name) {
        return Err(ApiError::unprocessable(
            "mfa_factor_name_conflict",
            format!("A factor with the friendly name {name:?} for this user already exists"),
        ));
    }
    let verified = user.factors.iter().filter(|f| f.verified).count();
    if user.factors.len() >= MAX_ENROLLED_FACTORS || verified >= MAX_VERIFIED_FACTORS {
        return Err(ApiError::unprocessable(
            "too_many_enrolled_mfa_factors",
            "Maximum number of verified factors reached, unenroll to continue",
        ));
    }
    Ok(())
}

pub async fn regenerate(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let now = st.now();
    let mut store = st.lock();
    let c = caller(&store, &a)?;
    enroll_enabled(&st)?;
    require_aal2(&c.session, "regenerate")?;
    let mut user = c.user;
    let i = index(&user).ok_or_else(not_enrolled)?;
    let (texts, stored) = new_codes();
    let f = &mut user.factors[i];
    f.recovery_codes = stored;
    f.recovery_failures = 0;
    f.recovery_locked_until = None;
    f.updated_at = now;
    let out = generated(f, texts);
    store.users.insert(user.id, user);
    Ok(out)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VerifyParams {
    code: Option<String>,
}

fn wrong_code() -> ApiError {
    ApiError::unprocessable("mfa_verification_failed", "Invalid recovery code entered")
}

pub async fn verify(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    {
        let store = st.lock();
        caller(&store, &a)?;
    }
    if !st.cfg.mfa_recovery_codes {
        return Err(ApiError::unprocessable(
            "mfa_recovery_codes_verify_not_enabled",
            "MFA verification is disabled for recovery codes",
        ));
    }
    let p: VerifyParams = read_json(body).await?;
    let code = normalize(p.code.as_deref().unwrap_or(""));
    if code.is_empty() {
        return Err(ApiError::validation("Code needs to be non-empty"));
    }
    let now = st.now();
    let mut store = st.lock();
    let c = caller(&store, &a)?;
    let mut user = c.user;
    let i = index(&user).ok_or_else(wrong_code)?;
    let f = &mut user.factors[i];
    if f.recovery_locked_until.is_some_and(|t| now < t) {
        return Err(ApiError::new(
            429,
            "mfa_recovery_codes_locked",
            "Too many failed verification attempts, try again later",
        ));
    }
    let digest = hash(&code);
    let Some(entry) = f.recovery_codes.iter_mut().find(|e| e.used_at.is_none() && e.hash == digest) else {
        // A failure counts even though the request fails.
        f.recovery_failures += 1;
        if f.recovery_failures >= MAX_VERIFY_ATTEMPTS {
            f.recovery_locked_until = Some(now.add_secs(LOCKOUT_SECS));
            f.recovery_failures = 0;
        }
        store.users.insert(user.id, user);
        return Err(wrong_code());
    };
    entry.used_at = Some(now);
    f.recovery_failures = 0;
    f.recovery_locked_until = None;
    f.updated_at = now;
    let fid = f.id;
    user.updated_at = now;
    let body = raise_session(&st, &mut store, user, c.session, fid, FactorType::RecoveryCode.amr_method(), now);
    Ok(ok(Value::Object(body)))
}

pub async fn delete(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let now = st.now();
    let mut store = st.lock();
    let c = caller(&store, &a)?;
    require_aal2(&c.session, "delete")?;
    let mut user = c.user;
    let i = index(&user).ok_or_else(not_enrolled)?;
    let removed = user.factors.remove(i);
    user.updated_at = now;
    store.users.insert(user.id, user);
    downgrade_sessions(&mut store, &removed);
    Ok(ok(json!({ "id": removed.id.to_string() })))
}
