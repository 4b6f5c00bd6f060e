//! Manual identity linking (contract §4.13): `GET /user/identities/authorize` starts an OAuth
//! flow through the fake provider whose callback links the identity to the caller;
//! `DELETE /user/identities/{identity_id}` unlinks one.

use super::oauth::{begin, identity_data};
use super::{ok, redirect_response, Query};
use crate::auth::{require_user, verify_bearer};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::models::{Identity, ProviderGrant};
use crate::state::{AppState, Store};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use uuid::Uuid;

fn require_manual_linking(st: &AppState) -> Result<(), ApiError> {
    if st.cfg.manual_linking {
        Ok(())
    } else {
        Err(ApiError::not_found("manual_linking_disabled", "Manual linking is disabled"))
    }
}

pub async fn authorize(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    require_user(&st.lock(), &a)?;
    require_manual_linking(&st)?;
    let q = Query::parse(q);
    let url = begin(&st, &headers, &q, Some(a.user_id))?;
    // A browser cannot follow a redirect while sending the bearer header, so clients ask for
    // the URL and navigate themselves.
    if q.get("skip_http_redirect") == Some("true") {
        return Ok(ok(json!({ "url": url })));
    }
    Ok(redirect_response(StatusCode::FOUND, &url))
}

/// Called by `/callback` for a linking flow: adds the provider identity to `target` and returns
/// the user to sign in.
pub fn link_identity(store: &mut Store, target: Uuid, grant: &ProviderGrant, now: Ts) -> Result<Uuid, ApiError> {
    let owner = store
        .users
        .values()
        .find(|u| u.identities.iter().any(|i| i.provider == grant.provider && i.provider_id == grant.subject))
        .map(|u| u.id);
    match owner {
        Some(id) if id == target => {
            return Err(ApiError::unprocessable("identity_already_exists", "Identity is already linked"))
        }
        Some(_) => {
            return Err(ApiError::unprocessable(
                "identity_already_exists",
                "Identity is already linked to another user",
            ))
        }
        None => {}
    }
    let email_taken = store.user_by_email(&grant.email).is_some_and(|id| id != target);
    let user = store
        .users
        .get_mut(&target)
        .ok_or_else(|| ApiError::unprocessable("user_not_found", "User to link the identity to was not found"))?;
    if user.email.is_empty() && email_taken {
        return Err(ApiError::bad_request(
            "email_exists",
            "A user with this email address has already been registered",
        ));
    }
    user.identities.push(Identity {
        identity_id: Uuid::new_v4(),
        provider_id: grant.subject.clone(),
        user_id: target,
        identity_data: identity_data(grant),
        provider: grant.provider.clone(),
        last_sign_in_at: Some(now),
        created_at: now,
        updated_at: now,
    });
    if user.email.is_empty() {
        // The provider vouches for the address: the account now has a confirmed e-mail, which
        // makes an anonymous user permanent.
        user.email = grant.email.clone();
        user.confirm_email(now);
        user.is_anonymous = false;
    }
    user.sync_providers();
    user.updated_at = now;
    Ok(target)
}

pub async fn unlink(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let now = st.now();
    let mut store = st.lock();
    require_user(&store, &a)?;
    require_manual_linking(&st)?;
    let identity_id = path
        .ok()
        .and_then(|Path(id)| Uuid::parse_str(&id).ok())
        .ok_or_else(|| ApiError::not_found("validation_failed", "identity_id must be an UUID"))?;
    if let Some(aud) = headers.get("x-jwt-aud").and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()) {
        if a.claims.get("aud").and_then(Value::as_str) != Some(aud) {
            return Err(ApiError::forbidden("unexpected_audience", "Token audience doesn't match request audience"));
        }
    }
    let mut user = store.users[&a.user_id].clone();
    if user.identities.len() <= 1 {
        return Err(ApiError::unprocessable(
            "single_identity_not_deletable",
            "User must have at least 1 identity after unlinking",
        ));
    }
    let idx = user
        .identities
        .iter()
        .position(|i| i.identity_id == identity_id)
        .ok_or_else(|| ApiError::unprocessable("identity_not_found", "Identity doesn't exist"))?;
    let removed = user.identities.remove(idx);
    if removed.provider == "phone" {
        user.phone.clear();
        user.phone_confirmed_at = None;
    } else {
        // The primary e-mail must still belong to one of the remaining identities.
        let emails: Vec<String> = user
            .identities
            .iter()
            .filter_map(|i| i.identity_data.get("email").and_then(Value::as_str))
            .map(str::to_lowercase)
            .filter(|e| !e.is_empty())
            .collect();
        if !user.email.is_empty() && !emails.contains(&user.email) {
            let next = emails.first().cloned().unwrap_or_default();
            if !next.is_empty() && store.user_by_email(&next).is_some_and(|id| id != user.id) {
                return Err(ApiError::unprocessable(
                    "email_conflict_identity_not_deletable",
                    "Unable to unlink identity due to email conflict",
                ));
            }
            user.email = next;
        }
    }
    let providers: Vec<Value> = user.identities.iter().map(|i| json!(i.provider)).collect();
    user.app_metadata.insert("providers".into(), Value::Array(providers));
    user.updated_at = now;
    store.users.insert(user.id, user);
    Ok(ok(json!({})))
}
