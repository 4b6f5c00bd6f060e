//! `POST /otp` and `POST /magiclink` (contract §4.4, §4.5).

use super::signup::new_user;
use super::{empty_object, given, read_json, redirect_for, Query};
use crate::errors::ApiError;
use crate::mailer::Mailer;
use crate::state::AppState;
use crate::validate::{self, Pkce};
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize, Default)]
#[serde(default)]
struct OtpParams {
    email: Option<String>,
    phone: Option<String>,
    create_user: Option<bool>,
    data: Option<Map<String, Value>>,
    channel: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

fn otp_disabled() -> ApiError {
    ApiError::unprocessable("otp_disabled", "Signups not allowed for otp")
}

fn signup_disabled() -> ApiError {
    ApiError::unprocessable("signup_disabled", "Signups not allowed for this instance")
}

/// E-mail sign-in link + OTP. Unknown or unconfirmed addresses get a sign-up confirmation
/// instead (a magic link once auto-confirm has confirmed them), as GoTrue does.
fn email_link(
    st: &AppState,
    email: &str,
    data: Map<String, Value>,
    create_user: bool,
    redirect: &str,
    pkce: Option<&Pkce>,
) -> Result<Response, ApiError> {
    let email = validate::email(email, 400)?;
    let now = st.now();
    let mut store = st.lock();
    let mut user = match store.user_by_email(&email) {
        Some(id) => store.users[&id].clone(),
        None => {
            if !create_user {
                return Err(otp_disabled());
            }
            if st.cfg.disable_signup {
                return Err(signup_disabled());
            }
            new_user(&email, false, None, data, now)
        }
    };
    let mut mailer = Mailer::new(st, now);
    if user.email_confirmed_at.is_none() && !st.cfg.autoconfirm {
        mailer.confirmation(&mut user, redirect, pkce)?;
    } else {
        if user.email_confirmed_at.is_none() {
            user.confirm_email(now);
        }
        mailer.magiclink(&mut user, redirect, pkce)?;
    }
    user.updated_at = now;
    store.users.insert(user.id, user);
    mailer.commit(&mut store);
    Ok(empty_object())
}

fn sms_otp(
    st: &AppState,
    phone: &str,
    channel: Option<&str>,
    data: Map<String, Value>,
    create_user: bool,
) -> Result<Response, ApiError> {
    if !st.cfg.phone {
        return Err(ApiError::bad_request("phone_provider_disabled", "Unsupported phone provider"));
    }
    if !matches!(channel, None | Some("sms") | Some("whatsapp")) {
        return Err(ApiError::validation("Invalid channel"));
    }
    let phone = validate::phone(phone)?;
    let now = st.now();
    let mut store = st.lock();
    let mut user = match store.user_by_phone(&phone) {
        Some(id) => store.users[&id].clone(),
        None => {
            if !create_user {
                return Err(otp_disabled());
            }
            if st.cfg.disable_signup {
                return Err(signup_disabled());
            }
            let mut u = new_user(&phone, true, None, data, now);
            if st.cfg.sms_autoconfirm {
                u.confirm_phone(now);
            }
            u
        }
    };
    let mut mailer = Mailer::new(st, now);
    mailer.sms_confirmation(&mut user)?;
    user.updated_at = now;
    store.users.insert(user.id, user);
    mailer.commit(&mut store);
    Ok(empty_object())
}

pub async fn otp(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let p: OtpParams = read_json(body).await?;
    let data = p.data.clone().unwrap_or_default();
    let create_user = p.create_user.unwrap_or(true);
    match (given(&p.email), given(&p.phone)) {
        (None, None) => Err(ApiError::validation("One of email or phone must be set")),
        (Some(_), Some(_)) => Err(ApiError::validation("Only an email address or phone number should be provided")),
        (Some(email), None) => {
            if given(&p.channel).is_some() {
                return Err(ApiError::validation("Channel can only be used with phone OTP"));
            }
            let pkce = validate::pkce(p.code_challenge.as_deref(), p.code_challenge_method.as_deref())?;
            let redirect = redirect_for(&st, &headers, &Query::parse(q));
            email_link(&st, email, data, create_user, &redirect, pkce.as_ref())
        }
        (None, Some(phone)) => sms_otp(&st, phone, given(&p.channel), data, create_user),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MagicLinkParams {
    email: Option<String>,
    data: Option<Map<String, Value>>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

pub async fn magiclink(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let p: MagicLinkParams = read_json(body).await?;
    let email = given(&p.email)
        .ok_or_else(|| ApiError::unprocessable("validation_failed", "Password recovery requires an email"))?;
    let pkce = validate::pkce(p.code_challenge.as_deref(), p.code_challenge_method.as_deref())?;
    let redirect = redirect_for(&st, &headers, &Query::parse(q));
    email_link(&st, email, p.data.unwrap_or_default(), true, &redirect, pkce.as_ref())
}
