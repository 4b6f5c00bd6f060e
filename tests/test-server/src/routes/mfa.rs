//! MFA: `POST /factors`, `POST /factors/{id}/challenge`, `POST /factors/{id}/verify`,
//! `DELETE /factors/{id}` (contract §4.15, §6, §8).
//!
//! TOTP is real RFC 6238. Phone codes go to the test mailbox under the factor's number (type
//! `mfa_phone`). WebAuthn registrations and assertions are verified for real (`webauthn.rs`):
//! client data, RP id hash, the credential's COSE key and the assertion signature.

use super::{given, ok, read_json};
use crate::auth::{require_user, verify_bearer, Authed};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::factor::{
    Challenge, Factor, FactorType, WebAuthnChallenge, FACTOR_EXPIRY_SECS, MAX_ENROLLED_FACTORS, MAX_VERIFIED_FACTORS,
};
use crate::mailbox::{mailbox_key, token_hash, MailKind, MailMessage};
use crate::models::{Amr, Session, TokenSlot, User};
use crate::state::{AppState, Store};
use crate::tokens::{insert_refresh_token, random_otp, session_body};
use crate::{totp, validate};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// Display name of the WebAuthn relying party (GOTRUE_WEBAUTHN_RP_DISPLAY_NAME).
pub const RP_NAME: &str = "gotrue-test-server";

/// The signed-in, non-anonymous caller and their session.
struct Caller {
    user_id: Uuid,
    session: Session,
}

/// Bearer, user and session checks shared by every `/factors` route.
fn caller(store: &Store, a: &Authed) -> Result<Caller, ApiError> {
    require_user(store, a)?;
    // GoTrue's requireNotAnonymous reads the claim, not the stored user.
    if a.claims.get("is_anonymous").and_then(Value::as_bool) == Some(true) {
        return Err(ApiError::forbidden("no_authorization", "Anonymous user not allowed to perform these actions"));
    }
    let session = a
        .session_id
        .and_then(|id| store.sessions.get(&id))
        .cloned()
        .ok_or_else(|| ApiError::internal("A valid session and a registered user are required to use MFA"))?;
    Ok(Caller { user_id: a.user_id, session })
}

fn factor_id(path: Result<Path<String>, PathRejection>) -> Result<Uuid, ApiError> {
    path.ok()
        .and_then(|Path(id)| Uuid::parse_str(&id).ok())
        .ok_or_else(|| ApiError::not_found("validation_failed", "factor_id must be an UUID"))
}

fn factor_index(user: &User, id: Uuid) -> Result<usize, ApiError> {
    user.factors
        .iter()
        .position(|f| f.id == id)
        .ok_or_else(|| ApiError::not_found("mfa_factor_not_found", "Factor not found"))
}

/// Host (with port) and RP id (host alone) of a URL such as SITE_URL.
pub fn url_host(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        v6.split(']').next().unwrap_or("").to_string()
    } else {
        hostport.split(':').next().unwrap_or("").to_string()
    };
    (hostport.to_string(), host.to_ascii_lowercase())
}

pub fn random_challenge() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EnrollParams {
    factor_type: Option<String>,
    friendly_name: Option<String>,
    issuer: Option<String>,
    phone: Option<String>,
}

/// GoTrue's validateFactors: purge stale unverified factors, then the name, count and AAL rules.
fn check_enrollment(user: &mut User, name: &str, session: &Session, now: Ts) -> Result<(), ApiError> {
    user.factors.retain(|f| f.verified || now <= f.created_at.add_secs(FACTOR_EXPIRY_SECS));
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
    if verified > 0 && session.aal() != "aal2" {
        return Err(ApiError::forbidden("insufficient_aal", "AAL2 required to enroll a new factor"));
    }
    Ok(())
}

pub async fn enroll(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let p: EnrollParams = read_json(body).await?;
    let now = st.now();
    let mut store = st.lock();
    let c = caller(&store, &a)?;
    let factor_type = FactorType::parse(p.factor_type.as_deref().unwrap_or(""))
        .ok_or_else(|| ApiError::validation("factor_type needs to be totp, phone, or webauthn"))?;
    match factor_type {
        FactorType::Phone if !st.cfg.mfa_phone => {
            return Err(ApiError::unprocessable("mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone"))
        }
        FactorType::WebAuthn if !st.cfg.mfa_webauthn => {
            return Err(ApiError::unprocessable(
                "mfa_webauthn_enroll_not_enabled",
                "MFA enroll is disabled for WebAuthn",
            ))
        }
        _ => {}
    }
    let name = p.friendly_name.clone().unwrap_or_default();
    let mut user = store.users[&c.user_id].clone();
    let mut factor = Factor::new(factor_type, &name, now);
    let mut out = Map::new();
    out.insert("id".into(), json!(factor.id.to_string()));
    out.insert("type".into(), json!(factor_type.as_str()));
    out.insert("friendly_name".into(), json!(name));

    match factor_type {
        FactorType::Phone => {
            let raw =
                given(&p.phone).ok_or_else(|| ApiError::validation("Phone number required to enroll Phone factor"))?;
            let phone = validate::phone(raw)?;
            let same = |f: &Factor| f.factor_type == FactorType::Phone && f.phone == phone;
            if user.factors.iter().any(|f| same(f) && f.verified) {
                return Err(ApiError::unprocessable(
                    "mfa_verified_factor_exists",
                    "A verified phone factor already exists, unenroll the existing factor to continue",
                ));
            }
            user.factors.retain(|f| !same(f));
            check_enrollment(&mut user, &name, &c.session, now)?;
            factor.phone = phone;
            // Exactly as submitted.
            out.insert("phone".into(), json!(raw));
        }
        FactorType::Totp => {
            check_enrollment(&mut user, &name, &c.session, now)?;
            let issuer = match given(&p.issuer) {
                Some(i) => i.to_string(),
                None => url_host(&st.cfg.site_url).0,
            };
            let secret = totp::new_secret();
            // GoTrue names the account by e-mail; a phone-only user gets their number instead.
            let account = if user.email.is_empty() { &user.phone } else { &user.email };
            let uri = totp::otpauth_uri(&issuer, account, &secret);
            out.insert("totp".into(), json!({ "qr_code": totp::qr_svg(&uri), "secret": secret, "uri": uri }));
            factor.secret = secret;
        }
        FactorType::WebAuthn => {
            check_enrollment(&mut user, &name, &c.session, now)?;
        }
        FactorType::RecoveryCode => {
            return Err(ApiError::validation("factor_type needs to be totp, phone, or webauthn"));
        }
    }
    user.factors.push(factor);
    user.updated_at = now;
    store.users.insert(user.id, user);
    Ok(ok(Value::Object(out)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChallengeParams {
    channel: Option<String>,
}

/// Checks that the factor type may be verified on this server.
fn verify_enabled(st: &AppState, t: FactorType) -> Result<(), ApiError> {
    match t {
        FactorType::Phone if !st.cfg.mfa_phone => {
            Err(ApiError::unprocessable("mfa_phone_verify_not_enabled", "MFA verification is disabled for Phone"))
        }
        FactorType::WebAuthn if !st.cfg.mfa_webauthn => {
            Err(ApiError::unprocessable("mfa_webauthn_verify_not_enabled", "MFA verification is disabled for WebAuthn"))
        }
        FactorType::RecoveryCode => Err(ApiError::unprocessable(
            "validation_failed",
            "Recovery codes are verified at /factors/recovery-codes/verify",
        )),
        _ => Ok(()),
    }
}

pub async fn challenge(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let fid = factor_id(path)?;
    let p: ChallengeParams = read_json(body).await?;
    let now = st.now();
    let mut store = st.lock();
    let c = caller(&store, &a)?;
    let mut user = store.users[&c.user_id].clone();
    let idx = factor_index(&user, fid)?;
    let factor_type = user.factors[idx].factor_type;
    verify_enabled(&st, factor_type)?;

    let mut challenge = Challenge { id: Uuid::new_v4(), created_at: now, verified_at: None, otp: None, webauthn: None };
    let mut mail = None;
    let mut webauthn_out = None;
    match factor_type {
        FactorType::Totp | FactorType::RecoveryCode => {}
        FactorType::Phone => {
            if !matches!(given(&p.channel), None | Some("sms") | Some("whatsapp")) {
                return Err(ApiError::validation("Invalid channel"));
            }
            let f = &user.factors[idx];
            if let Some(last) = f.last_challenged_at {
                let retry_at = last.add_secs(st.cfg.smtp_max_frequency);
                if now < retry_at {
                    let secs = (retry_at.0 - now.0 + 999_999) / 1_000_000;
                    return Err(ApiError::new(
                        429,
                        "over_sms_send_rate_limit",
                        format!("For security purposes, you can only request this after {secs} seconds."),
                    ));
                }
            }
            crate::mailer::sms_provider_available(&st)?;
            let otp = random_otp();
            let slot = TokenSlot {
                hash: token_hash(&f.phone, &otp),
                otp: otp.clone(),
                sent_at: now,
                ttl_secs: crate::factor::CHALLENGE_EXPIRY_SECS,
            };
            mail = Some(MailMessage::new(&st.external_url, &f.phone, MailKind::MfaPhone, &slot, ""));
            challenge.otp = Some(otp);
        }
        FactorType::WebAuthn => {
            let rp_id = url_host(&st.cfg.site_url).1;
            let challenge_value = random_challenge();
            let options = if user.factors[idx].verified {
                let allow: Vec<Value> = user
                    .factors
                    .iter()
                    .filter_map(|f| f.webauthn_credential_id.as_ref())
                    .map(|id| json!({ "type": "public-key", "id": id }))
                    .collect();
                json!({ "publicKey": {
                    "challenge": challenge_value,
                    "timeout": 300000,
                    "rpId": rp_id,
                    "allowCredentials": allow,
                    "userVerification": "preferred",
                }})
            } else {
                let exclude: Vec<Value> = user
                    .factors
                    .iter()
                    .filter_map(|f| f.webauthn_credential_id.as_ref())
                    .map(|id| json!({ "type": "public-key", "id": id, "transports": ["usb", "nfc"] }))
                    .collect();
                let label = if user.email.is_empty() { user.phone.clone() } else { user.email.clone() };
                json!({ "publicKey": {
                    "rp": { "name": RP_NAME, "id": rp_id },
                    "user": {
                        "name": label,
                        "displayName": label,
                        // GoTrue's WebAuthnID: the user's id as text.
                        "id": URL_SAFE_NO_PAD.encode(user.id.to_string()),
                    },
                    "challenge": challenge_value,
                    "pubKeyCredParams": crate::webauthn::SUPPORTED_ALGS
                        .iter()
                        .map(|alg| json!({ "type": "public-key", "alg": alg }))
                        .collect::<Vec<_>>(),
                    "timeout": 300000,
                    "excludeCredentials": exclude,
                    "authenticatorSelection": {
                        "requireResidentKey": false,
                        "userVerification": "preferred",
                    },
                    "attestation": "none",
                }})
            };
            let kind = if user.factors[idx].verified { "request" } else { "create" };
            webauthn_out = Some(json!({ "type": kind, "credential_options": options }));
            challenge.webauthn = Some(WebAuthnChallenge { kind, challenge: challenge_value, rp_id });
        }
    }

    let mut out = Map::new();
    out.insert("id".into(), json!(challenge.id.to_string()));
    out.insert("type".into(), json!(factor_type.as_str()));
    out.insert("expires_at".into(), json!(challenge.expires_at().secs()));
    if let Some(w) = webauthn_out {
        out.insert("webauthn".into(), w);
    }
    let f = &mut user.factors[idx];
    f.last_challenged_at = Some(now);
    f.updated_at = now;
    f.challenges.retain(|ch| !ch.is_expired(now));
    f.challenges.push(challenge);
    store.users.insert(user.id, user);
    if let Some(m) = mail {
        store.mailbox.insert(mailbox_key(&m.to), m);
    }
    Ok(ok(Value::Object(out)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WebAuthnParams {
    #[serde(rename = "type")]
    kind: Option<String>,
    credential_response: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VerifyParams {
    challenge_id: Option<String>,
    code: Option<String>,
    webauthn: Option<WebAuthnParams>,
}

fn verification_failed(msg: impl Into<String>) -> ApiError {
    ApiError::unprocessable("mfa_verification_failed", msg)
}

/// Checks a WebAuthn client response for real (`webauthn.rs`): a registration for `create`, an
/// assertion signed by one of the user's registered credentials for `request`.
fn check_webauthn_response(
    expected: &WebAuthnChallenge,
    kind: &str,
    resp: &Value,
    credentials: &[(String, crate::webauthn::PublicKey)],
) -> Result<crate::webauthn::Registration, ApiError> {
    if !resp.is_object() {
        return Err(ApiError::validation("Invalid credential_response"));
    }
    if kind != expected.kind {
        return Err(verification_failed(format!("WebAuthn challenge expects a {:?} response", expected.kind)));
    }
    let client_data_type = if kind == "create" { "webauthn.create" } else { "webauthn.get" };
    let want = crate::webauthn::Expected { client_data_type, challenge: &expected.challenge, rp_id: &expected.rp_id };
    if kind == "create" {
        return crate::webauthn::verify_registration(resp, &want).map_err(verification_failed);
    }
    let id = crate::webauthn::assertion_credential_id(resp).map_err(verification_failed)?;
    let (_, key) =
        credentials.iter().find(|(c, _)| *c == id).ok_or_else(|| verification_failed("Unknown WebAuthn credential"))?;
    let out = crate::webauthn::verify_assertion(resp, &want, key).map_err(verification_failed)?;
    Ok(crate::webauthn::Registration {
        credential_id: out.credential_id,
        public_key: key.clone(),
        sign_count: out.sign_count,
        aaguid: [0; 16],
        user_verified: false,
        backup_eligible: false,
        backup_state: false,
    })
}

pub async fn verify(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let fid = factor_id(path)?;
    let p: VerifyParams = read_json(body).await?;
    let now = st.now();
    let mut store = st.lock();
    let c = caller(&store, &a)?;
    let mut user = store.users[&c.user_id].clone();
    let idx = factor_index(&user, fid)?;
    let factor_type = user.factors[idx].factor_type;
    let code = p.code.as_deref().unwrap_or("");
    if code.is_empty() && factor_type != FactorType::WebAuthn {
        return Err(ApiError::validation("Code needs to be non-empty"));
    }
    verify_enabled(&st, factor_type)?;
    let webauthn = if factor_type == FactorType::WebAuthn {
        let w = p.webauthn.as_ref().ok_or_else(|| ApiError::validation("WebAuthn config required"))?;
        let kind = w.kind.as_deref().unwrap_or("");
        if kind != "create" && kind != "request" {
            return Err(ApiError::validation("WebAuthn type must be create or request"));
        }
        let resp = w
            .credential_response
            .as_ref()
            .filter(|v| !v.is_null())
            .ok_or_else(|| ApiError::validation("credential_response required"))?;
        Some((kind, resp))
    } else {
        None
    };
    let challenge_id = p.challenge_id.as_deref().and_then(|s| Uuid::parse_str(s).ok()).ok_or_else(|| {
        ApiError::bad_request("bad_json", "Could not parse request body as JSON: challenge_id must be a UUID")
    })?;
    let not_found =
        || ApiError::unprocessable("mfa_factor_not_found", "MFA factor with the provided challenge ID not found");
    let ci = user.factors[idx].challenges.iter().position(|ch| ch.id == challenge_id).ok_or_else(not_found)?;
    let ch = user.factors[idx].challenges[ci].clone();
    if ch.verified_at.is_some() {
        return Err(ApiError::unprocessable("mfa_ip_address_mismatch", "Challenge and verify IP addresses mismatch."));
    }
    if ch.is_expired(now) {
        user.factors[idx].challenges.remove(ci);
        store.users.insert(user.id, user);
        return Err(ApiError::unprocessable(
            "mfa_challenge_expired",
            format!(
                "MFA challenge {challenge_id} has expired, verify against another challenge or create a new challenge."
            ),
        ));
    }

    let known: Vec<(String, crate::webauthn::PublicKey)> = user
        .factors
        .iter()
        .filter(|f| f.verified)
        .filter_map(|f| Some((f.webauthn_credential_id.clone()?, f.webauthn_public_key.clone()?)))
        .collect();
    let factor = &mut user.factors[idx];
    match factor_type {
        FactorType::Totp => {
            if !totp::verify(&factor.secret, code, now.secs()) {
                return Err(verification_failed("Invalid TOTP code entered"));
            }
            factor.challenges[ci].verified_at = Some(now);
        }
        FactorType::Phone => {
            if ch.otp.as_deref() != Some(code) {
                return Err(verification_failed("Invalid MFA Phone code entered"));
            }
            factor.challenges[ci].verified_at = Some(now);
        }
        FactorType::RecoveryCode => return Err(verify_enabled(&st, factor_type).err().unwrap_or_else(not_found)),
        FactorType::WebAuthn => {
            let (kind, resp) = webauthn.ok_or_else(|| ApiError::validation("WebAuthn config required"))?;
            let expected = ch.webauthn.as_ref().ok_or_else(not_found)?;
            let checked = check_webauthn_response(expected, kind, resp, &known)?;
            if !factor.verified {
                factor.webauthn_credential_id = Some(checked.credential_id);
                factor.webauthn_public_key = Some(checked.public_key);
                factor.web_authn_aaguid = Some(Uuid::from_bytes(checked.aaguid));
            }
            factor.webauthn_sign_count = checked.sign_count;
            factor.last_webauthn_challenge_data = Some(json!({
                "type": kind,
                "challenge": expected.challenge,
                "rp_id": expected.rp_id,
            }));
            // A WebAuthn challenge is consumed by its use.
            factor.challenges.remove(ci);
        }
    }
    factor.verified = true;
    factor.updated_at = now;
    user.updated_at = now;
    // Other unverified factors of the same type are dropped, as GoTrue does.
    user.factors.retain(|f| f.id == fid || f.verified || f.factor_type != factor_type);
    let body = raise_session(&st, &mut store, user, c.session, fid, factor_type.amr_method(), now);
    Ok(ok(Value::Object(body)))
}

/// A verified factor raises the session to AAL2: the method goes first in the AMR, the refresh
/// token is swapped and the user's other sessions below AAL2 end. Stores the user.
pub fn raise_session(
    st: &AppState,
    store: &mut Store,
    user: User,
    mut session: Session,
    fid: Uuid,
    method: &str,
    now: Ts,
) -> Map<String, Value> {
    session.amr.retain(|a| a.method != method);
    session.amr.insert(0, Amr { method: method.into(), timestamp: now.secs() });
    session.factor_id = Some(fid);
    session.updated_at = now;
    let parent = store.active_token(session.id).map(|t| t.token.clone());
    if let Some(t) = parent.as_ref().and_then(|p| store.refresh_tokens.get_mut(p)) {
        t.revoked_at = Some(now);
    }
    let refresh = insert_refresh_token(store, session.id, user.id, parent, now);
    store.sessions.insert(session.id, session.clone());
    let weaker: Vec<Uuid> = store
        .sessions
        .values()
        .filter(|s| s.user_id == user.id && s.id != session.id && s.aal() != "aal2")
        .map(|s| s.id)
        .collect();
    for id in weaker {
        store.delete_session(id);
    }
    let body = session_body(st, &user, &session, &refresh, now);
    store.users.insert(user.id, user);
    body
}

pub async fn unenroll(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let fid = factor_id(path)?;
    let now = st.now();
    let mut store = st.lock();
    let c = caller(&store, &a)?;
    let mut user = store.users[&c.user_id].clone();
    let idx = factor_index(&user, fid)?;
    if user.factors[idx].verified && c.session.aal() != "aal2" {
        return Err(ApiError::unprocessable("insufficient_aal", "AAL2 required to unenroll verified factor"));
    }
    let removed = user.factors.remove(idx);
    user.updated_at = now;
    store.users.insert(user.id, user);
    downgrade_sessions(&mut store, &removed);
    Ok(ok(json!({ "id": fid.to_string() })))
}

/// Sessions raised by a deleted factor drop back to AAL1.
pub fn downgrade_sessions(store: &mut Store, factor: &Factor) {
    for s in store.sessions.values_mut() {
        if s.factor_id == Some(factor.id) {
            s.factor_id = None;
            s.amr.retain(|a| !crate::factor::MFA_METHODS.contains(&a.method.as_str()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::url_host;

    #[test]
    fn hosts() {
        assert_eq!(url_host("http://localhost:3000/x?y"), ("localhost:3000".to_string(), "localhost".to_string()));
        assert_eq!(url_host("https://Example.com").1, "example.com");
        assert_eq!(url_host("http://[::1]:80/").1, "::1");
        assert_eq!(url_host("").1, "");
    }
}
