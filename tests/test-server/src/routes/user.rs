//! `GET /user`, `PUT /user` and `GET /reauthenticate` (contract §4.9, §4.10).

use super::{empty_object, given, internal, ok, read_json, redirect_for, Query, BCRYPT_COST};
use crate::auth::{require_user, verify_bearer};
use crate::errors::ApiError;
use crate::mailer::Mailer;
use crate::state::AppState;
use crate::validate;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value};

pub async fn get_user(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let store = st.lock();
    require_user(&store, &a)?;
    if let Some(aud) = headers.get("x-jwt-aud").and_then(|v| v.to_str().ok()) {
        let token_aud = a.claims.get("aud").and_then(Value::as_str).unwrap_or("");
        if !aud.is_empty() && aud != token_aud {
            return Err(ApiError::validation("Token audience doesn't match request audience"));
        }
    }
    Ok(ok(store.users[&a.user_id].to_json()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UpdateParams {
    email: Option<String>,
    phone: Option<String>,
    channel: Option<String>,
    password: Option<String>,
    nonce: Option<String>,
    data: Option<Map<String, Value>>,
    app_metadata: Option<Value>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

pub async fn put_user(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let p: UpdateParams = read_json(body).await?;
    let cfg = st.cfg.clone();
    if p.app_metadata.is_some() {
        return Err(ApiError::forbidden("not_admin", "Updating app_metadata requires admin privileges"));
    }
    let pkce = validate::pkce(p.code_challenge.as_deref(), p.code_challenge_method.as_deref())?;
    if !matches!(given(&p.channel), None | Some("sms") | Some("whatsapp")) {
        return Err(ApiError::validation("Invalid channel"));
    }
    let redirect = redirect_for(&st, &headers, &Query::parse(q));
    let now = st.now();
    let mut store = st.lock();
    require_user(&store, &a)?;
    // Work on a copy: the store changes only if every part of the update succeeds.
    let mut user = store.users[&a.user_id].clone();
    let mut mailer = Mailer::new(&st, now);

    // With MFA on, credentials change only from an AAL2 session.
    let aal2 = a.session_id.and_then(|id| store.sessions.get(&id)).is_some_and(|s| s.aal() == "aal2");
    if user.has_verified_factor() && !aal2 {
        let changes_password = p.password.as_deref().is_some_and(|pw| !pw.is_empty());
        let changes_email = given(&p.email).is_some_and(|e| e.trim().to_lowercase() != user.email);
        let changes_phone = given(&p.phone).is_some_and(|ph| validate::phone(ph).map_or(true, |ph| ph != user.phone));
        if changes_password || changes_email || changes_phone {
            return Err(ApiError::new(
                401,
                "insufficient_aal",
                "AAL2 session is required to update email or password when MFA is enabled.",
            ));
        }
    }

    if let Some(nonce) = given(&p.nonce) {
        let valid = user.reauthentication.as_ref().is_some_and(|s| s.otp == nonce && !s.is_expired(now));
        if !valid {
            return Err(ApiError::unprocessable("reauthentication_not_valid", "Requires reauthentication"));
        }
        user.reauthentication = None;
    }

    if let Some(password) = p.password.as_deref() {
        // An anonymous user may set a password together with an e-mail or phone.
        if user.is_anonymous && given(&p.email).is_none() && given(&p.phone).is_none() {
            return Err(ApiError::unprocessable(
                "validation_failed",
                "Updating password of an anonymous user without an email or phone is not allowed",
            ));
        }
        validate::new_password(&cfg, password)?;
        if let Some(old) = &user.password_hash {
            if bcrypt::verify(password, old).unwrap_or(false) {
                return Err(ApiError::unprocessable(
                    "same_password",
                    "New password should be different from the old password.",
                ));
            }
        }
        user.password_hash = Some(bcrypt::hash(password, BCRYPT_COST).map_err(internal)?);
    }

    if let Some(data) = &p.data {
        for (k, v) in data {
            if v.is_null() {
                user.user_metadata.remove(k);
            } else {
                user.user_metadata.insert(k.clone(), v.clone());
            }
        }
    }

    if let Some(email) = given(&p.email) {
        let email = validate::email(email, 400)?;
        if email != user.email {
            if store.user_by_email(&email).is_some_and(|id| id != user.id) {
                return Err(ApiError::unprocessable(
                    "email_exists",
                    "A user with this email address has already been registered",
                ));
            }
            if user.is_anonymous && cfg.autoconfirm {
                // Adding an address to an anonymous account is treated like signing up.
                user.apply_email_change(&email, now);
            } else {
                mailer.email_change(&mut user, &email, &redirect, pkce.as_ref())?;
            }
        }
    }

    if let Some(phone) = given(&p.phone) {
        if !cfg.phone {
            return Err(ApiError::unprocessable("phone_provider_disabled", "Phone logins are disabled"));
        }
        let phone = validate::phone(phone)?;
        if phone != user.phone {
            if store.user_by_phone(&phone).is_some_and(|id| id != user.id) {
                return Err(ApiError::unprocessable("phone_exists", "A user with this phone number already exists"));
            }
            if cfg.sms_autoconfirm {
                user.apply_phone_change(&phone, now);
            } else {
                mailer.phone_change(&mut user, &phone)?;
            }
        }
    }

    user.updated_at = now;
    let out = user.to_json();
    store.users.insert(user.id, user);
    mailer.commit(&mut store);
    Ok(ok(out))
}

pub async fn reauthenticate(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let now = st.now();
    let mut store = st.lock();
    require_user(&store, &a)?;
    let mut user = store.users[&a.user_id].clone();
    if user.email.is_empty() && user.phone.is_empty() {
        return Err(ApiError::validation("Reauthentication requires the user to have an email or a phone number"));
    }
    if !user.email.is_empty() {
        if user.email_confirmed_at.is_none() {
            return Err(ApiError::unprocessable("email_not_confirmed", "Please verify your email first."));
        }
    } else if user.phone_confirmed_at.is_none() {
        return Err(ApiError::unprocessable("phone_not_confirmed", "Please verify your phone first."));
    }
    let mut mailer = Mailer::new(&st, now);
    mailer.reauthentication(&mut user)?;
    user.updated_at = now;
    store.users.insert(user.id, user);
    mailer.commit(&mut store);
    Ok(empty_object())
}
