//! `POST /resend` (contract §4.8).

use super::{empty_object, given, read_json, redirect_for, Query};
use crate::errors::ApiError;
use crate::mailer::Mailer;
use crate::state::AppState;
use crate::validate;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResendParams {
    #[serde(rename = "type")]
    kind: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

pub async fn resend(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let p: ResendParams = read_json(body).await?;
    let kind = given(&p.kind).unwrap_or("");
    let (email, phone) = (given(&p.email), given(&p.phone));
    if !matches!(kind, "signup" | "email_change" | "sms" | "phone_change") {
        return Err(ApiError::validation("Missing one of these types: signup, email_change, sms, phone_change"));
    }
    if email.is_some() && phone.is_some() {
        return Err(ApiError::validation("Only an email address or phone number should be provided."));
    }
    let email_kind = matches!(kind, "signup" | "email_change");
    let address = if email_kind {
        let e = email.ok_or_else(|| ApiError::validation("Type provided requires an email address"))?;
        validate::email(e, 400)?
    } else {
        let ph = phone.ok_or_else(|| ApiError::validation("Type provided requires a phone number"))?;
        validate::phone(ph)?
    };
    let pkce = validate::pkce(p.code_challenge.as_deref(), p.code_challenge_method.as_deref())?;
    let redirect = redirect_for(&st, &headers, &Query::parse(q));

    let now = st.now();
    let mut store = st.lock();
    // A pending change may be addressed by either the current or the new address.
    let found = store.users.values().find(|u| match kind {
        "signup" => u.email == address,
        "email_change" => u.email == address || u.new_email == address,
        "sms" => u.phone == address,
        _ => u.phone == address || u.new_phone == address,
    });
    let Some(mut user) = found.cloned() else {
        return Ok(empty_object());
    };
    let mut mailer = Mailer::new(&st, now);
    match kind {
        "signup" if user.email_confirmed_at.is_none() => mailer.confirmation(&mut user, &redirect, pkce.as_ref())?,
        "sms" if user.phone_confirmed_at.is_none() => mailer.sms_confirmation(&mut user)?,
        "email_change" if !user.new_email.is_empty() => {
            let new_email = user.new_email.clone();
            mailer.email_change(&mut user, &new_email, &redirect, pkce.as_ref())?
        }
        "phone_change" if !user.new_phone.is_empty() => {
            let new_phone = user.new_phone.clone();
            mailer.phone_change(&mut user, &new_phone)?
        }
        // Nothing pending: same quiet answer as for an unknown user.
        _ => return Ok(empty_object()),
    }
    user.updated_at = now;
    store.users.insert(user.id, user);
    mailer.commit(&mut store);
    Ok(empty_object())
}
