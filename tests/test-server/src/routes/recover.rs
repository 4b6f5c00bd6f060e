//! `POST /recover` (contract §4.7).

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
struct RecoverParams {
    email: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

pub async fn recover(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let p: RecoverParams = read_json(body).await?;
    let email = given(&p.email).ok_or_else(|| ApiError::validation("Password recovery requires an email"))?;
    let email = validate::email(email, 400)?;
    let pkce = validate::pkce(p.code_challenge.as_deref(), p.code_challenge_method.as_deref())?;
    let redirect = redirect_for(&st, &headers, &Query::parse(q));
    let now = st.now();
    let mut store = st.lock();
    // Unknown addresses get the same answer, so the endpoint cannot be used to probe accounts.
    let Some(id) = store.user_by_email(&email) else {
        return Ok(empty_object());
    };
    let mut user = store.users[&id].clone();
    let mut mailer = Mailer::new(&st, now);
    mailer.recovery(&mut user, &redirect, pkce.as_ref())?;
    user.updated_at = now;
    store.users.insert(id, user);
    mailer.commit(&mut store);
    Ok(empty_object())
}
