//! `GET /authorize` and `GET|POST /callback` (contract §4.12, §5.2, §5.3), talking to the fake
//! provider in `fake_provider.rs` instead of a real one.

use super::{redirect_for, redirect_response, Query, MAX_BODY};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::models::{FlowState, Identity, OAuthFlow, ProviderGrant, User};
use crate::redirect::{encode_pairs, oauth_error, owned_pairs, query_escape, with_query};
use crate::routes::token::FLOW_STATE_EXPIRY_SECS;
use crate::state::{AppState, Store};
use crate::tokens::issue_session;
use crate::validate;
use axum::body::{to_bytes, Body};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// Providers the fake provider answers for; every other provider is "not found".
pub const ENABLED_PROVIDERS: [&str; 3] = ["github", "google", "gitlab"];

/// The client id this server is registered under at the fake provider.
pub const CLIENT_ID: &str = "test-client";

/// Path of the fake provider's authorization (consent) endpoint.
pub const CONSENT_PATH: &str = "/__test/oauth/authorize";

/// `/authorize` parameters that are not passed on to the provider: its own, and the OAuth
/// parameters the server sets itself (`scope` included, so the provider never sees two).
const NOT_FORWARDED: [&str; 14] = [
    "provider",
    "scopes",
    "redirect_to",
    "code_challenge",
    "code_challenge_method",
    "invite_token",
    "workos_provider",
    "client_id",
    "client_secret",
    "redirect_uri",
    "response_type",
    "state",
    "code_verifier",
    "scope",
];

pub fn is_enabled(provider: &str) -> bool {
    ENABLED_PROVIDERS.contains(&provider)
}

/// The server's callback URL, as registered at the provider.
pub fn callback_url(st: &AppState) -> String {
    format!("{}/callback", st.external_url)
}

pub async fn authorize(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let location = begin(&st, &headers, &Query::parse(q), None)?;
    Ok(redirect_response(StatusCode::FOUND, &location))
}

/// Records the flow and returns the provider's authorization URL. With `link_user_id` the
/// callback links the identity to that user instead of signing in by it
/// (`GET /user/identities/authorize`).
pub fn begin(st: &AppState, headers: &HeaderMap, q: &Query, link_user_id: Option<Uuid>) -> Result<String, ApiError> {
    let provider = q.get("provider").unwrap_or("").trim().to_ascii_lowercase();
    if !is_enabled(&provider) {
        return Err(ApiError::validation(format!("Unsupported provider: provider {provider} could not be found")));
    }
    let pkce = validate::pkce(q.get("code_challenge"), q.get("code_challenge_method"))?;
    let redirect_to = redirect_for(st, headers, q);
    let scopes = q.get("scopes").unwrap_or("").to_string();
    let forwarded: Vec<(String, String)> =
        q.pairs().iter().filter(|(k, _)| !NOT_FORWARDED.contains(&k.as_str())).cloned().collect();
    let now = st.now();
    let flow = OAuthFlow {
        state: Uuid::new_v4(),
        provider,
        redirect_to,
        scopes,
        forwarded,
        code_challenge: pkce.map(|p| (p.challenge, p.method)),
        created_at: now,
        link_user_id,
    };

    let mut params = vec![
        ("state".to_string(), flow.state.to_string()),
        ("client_id".to_string(), CLIENT_ID.to_string()),
        ("redirect_uri".to_string(), callback_url(st)),
        ("scope".to_string(), flow.scopes.clone()),
    ];
    params.extend(flow.forwarded.iter().cloned());
    let query =
        params.iter().map(|(k, v)| format!("{}={}", query_escape(k), query_escape(v))).collect::<Vec<_>>().join("&");
    let location = format!("{}{CONSENT_PATH}?{query}", st.external_url);

    let mut store = st.lock();
    // Abandoned flows would pile up in a long-running demo server.
    store.oauth_flows.retain(|_, f| !is_expired(f.created_at, now));
    store.oauth_flows.insert(flow.state, flow);
    Ok(location)
}

fn is_expired(created_at: Ts, now: Ts) -> bool {
    now > created_at.add_secs(FLOW_STATE_EXPIRY_SECS)
}

/// Bad or unknown state: there is no trustworthy `redirect_to`, so 303 to SITE_URL, query only.
fn bad_state(st: &AppState, msg: &str) -> Response {
    let e = ApiError::bad_request("bad_oauth_state", msg);
    let location = with_query(&st.cfg.site_url, &error_pairs(&e), None);
    redirect_response(StatusCode::SEE_OTHER, &location)
}

fn error_pairs(e: &ApiError) -> Vec<(String, String)> {
    let error = match e.code {
        "signup_disabled" | "user_banned" | "provider_email_needs_verification" => "access_denied",
        _ => oauth_error(e.status.as_u16()).unwrap_or("server_error"),
    };
    owned_pairs(&[("error", error), ("error_code", e.code), ("error_description", &e.msg)])
}

/// The error in both the query (existing keys kept) and the fragment (replaced, plus `sb`).
fn error_location(redirect_to: &str, query: Vec<(String, String)>) -> String {
    let mut fragment = query.clone();
    fragment.push(("sb".into(), String::new()));
    with_query(redirect_to, &query, Some(&encode_pairs(&fragment)))
}

pub async fn callback(State(st): State<AppState>, RawQuery(q): RawQuery, body: Body) -> Response {
    let mut params = Query::parse(q);
    // form_post providers (Apple) POST their answer; a GET simply has an empty body.
    if let Ok(bytes) = to_bytes(body, MAX_BODY).await {
        params.extend_form(&bytes);
    }
    let now = st.now();
    let mut store = st.lock();
    let Some(state) = params.get("state").filter(|s| !s.is_empty()) else {
        return bad_state(&st, "OAuth state parameter missing");
    };
    // A state is good for one callback.
    let flow = Uuid::parse_str(state).ok().and_then(|id| store.oauth_flows.remove(&id));
    let Some(flow) = flow.filter(|f| !is_expired(f.created_at, now)) else {
        return bad_state(&st, "OAuth callback with invalid state");
    };
    // The provider itself refused (the user cancelled, …): its error goes through as is, and
    // there is no `error_code` of the server's own.
    if let Some(error) = params.get("error").filter(|e| !e.is_empty()) {
        let description = params.get("error_description").unwrap_or("");
        let query = owned_pairs(&[("error", error), ("error_description", description)]);
        return redirect_response(StatusCode::FOUND, &error_location(&flow.redirect_to, query));
    }
    let location = match complete(&st, &mut store, &flow, &params, now) {
        Ok(location) => location,
        Err(e) => error_location(&flow.redirect_to, error_pairs(&e)),
    };
    redirect_response(StatusCode::FOUND, &location)
}

/// Redeems the provider's code, signs the user in and builds the success redirect.
fn complete(st: &AppState, store: &mut Store, flow: &OAuthFlow, params: &Query, now: Ts) -> Result<String, ApiError> {
    let code = params.get("code").filter(|c| !c.is_empty()).ok_or_else(|| {
        ApiError::bad_request("bad_oauth_callback", "OAuth callback with missing authorization code missing")
    })?;
    let state = flow.state.to_string();
    let grant = store
        .provider_codes
        .remove(code)
        .filter(|g| {
            g.state == state
                && g.provider == flow.provider
                && now <= g.issued_at.add_secs(crate::routes::fake_provider::CODE_TTL_SECS)
        })
        .ok_or_else(|| ApiError::internal(format!("Unable to exchange external code: {code}")))?;
    let user_id = match flow.link_user_id {
        Some(target) => super::identities::link_identity(store, target, &grant, now)?,
        None => sign_in_user(st, store, &grant, now)?,
    };
    if store.users.get(&user_id).is_some_and(|u| u.is_banned(now)) {
        return Err(ApiError::bad_request("user_banned", "User is banned"));
    }
    let n = store.next_seq();
    let provider_token = format!("fake-provider-token-{n}");
    let provider_refresh_token = format!("fake-provider-refresh-token-{n}");

    if let Some((challenge, method)) = &flow.code_challenge {
        let auth_code = Uuid::new_v4();
        store.flow_states.push(FlowState {
            id: Uuid::new_v4(),
            user_id,
            auth_code,
            code_challenge: challenge.clone(),
            method: *method,
            authentication_method: "oauth".into(),
            created_at: flow.created_at,
            auth_code_issued_at: Some(now),
            provider_token: Some(provider_token),
            provider_refresh_token: Some(provider_refresh_token),
        });
        // Existing query kept; an existing fragment stays after the query.
        return Ok(with_query(&flow.redirect_to, &owned_pairs(&[("code", &auth_code.to_string())]), None));
    }

    let session = issue_session(st, store, user_id, "oauth", now);
    let field = |k: &str| match session.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let fragment = encode_pairs(&[
        ("access_token".into(), field("access_token")),
        ("expires_at".into(), field("expires_at")),
        ("expires_in".into(), field("expires_in")),
        ("provider_refresh_token".into(), provider_refresh_token),
        ("provider_token".into(), provider_token),
        ("refresh_token".into(), field("refresh_token")),
        ("sb".into(), String::new()),
        ("token_type".into(), "bearer".into()),
    ]);
    // After a literal '#', even when redirect_to has a fragment already (hash routers).
    Ok(format!("{}#{fragment}", flow.redirect_to))
}

/// What the provider tells the server about the account; becomes the identity's data (and a new
/// user's metadata).
pub(crate) fn identity_data(grant: &ProviderGrant) -> Map<String, Value> {
    let name = grant.email.split('@').next().unwrap_or("").to_string();
    let mut d = Map::new();
    d.insert("sub".into(), json!(grant.subject));
    d.insert("provider_id".into(), json!(grant.subject));
    d.insert("email".into(), json!(grant.email));
    d.insert("email_verified".into(), json!(true));
    d.insert("phone_verified".into(), json!(false));
    d.insert("name".into(), json!(name));
    d.insert("full_name".into(), json!(name));
    d
}

/// Finds the user by linked identity, else by e-mail, else creates one; links the identity.
fn sign_in_user(st: &AppState, store: &mut Store, grant: &ProviderGrant, now: Ts) -> Result<Uuid, ApiError> {
    let matches = |i: &Identity| i.provider == grant.provider && i.provider_id == grant.subject;
    let linked = store.users.values().find(|u| u.identities.iter().any(matches)).map(|u| u.id);
    let user_id = match linked.or_else(|| store.user_by_email(&grant.email)) {
        Some(id) => id,
        None => {
            if st.cfg.disable_signup {
                return Err(ApiError::unprocessable("signup_disabled", "Signups not allowed for this instance"));
            }
            let mut u = User::new(now);
            u.email = grant.email.clone();
            u.email_confirmed_at = Some(now);
            u.user_metadata = identity_data(grant);
            u.app_metadata.insert("provider".into(), json!(grant.provider));
            let id = u.id;
            store.users.insert(id, u);
            id
        }
    };
    let user = store.users.get_mut(&user_id).ok_or_else(|| ApiError::internal("user vanished"))?;
    let data = identity_data(grant);
    match user.identities.iter_mut().find(|i| matches(i)) {
        Some(i) => {
            i.identity_data = data;
            i.last_sign_in_at = Some(now);
            i.updated_at = now;
        }
        None => user.identities.push(Identity {
            identity_id: Uuid::new_v4(),
            provider_id: grant.subject.clone(),
            user_id,
            identity_data: data,
            provider: grant.provider.clone(),
            last_sign_in_at: Some(now),
            created_at: now,
            updated_at: now,
        }),
    }
    // The provider vouches for the address.
    if user.email == grant.email && user.email_confirmed_at.is_none() {
        user.confirm_email(now);
    }
    user.sync_providers();
    user.updated_at = now;
    Ok(user_id)
}
