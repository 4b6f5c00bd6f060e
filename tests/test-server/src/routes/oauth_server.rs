//! The OAuth 2.1 server (GOTRUE_OAUTH_SERVER_ENABLED, `--oauth-server`): this server as the
//! authorization server of third-party apps.
//!
//! * Admin: `POST|GET /admin/oauth/clients`, `GET|PUT|DELETE /admin/oauth/clients/{client_id}`,
//!   `POST /admin/oauth/clients/{client_id}/regenerate_secret`.
//! * A registered client starts at `GET /oauth/authorize` (client_id, redirect_uri, PKCE, scope,
//!   state); the server keeps a pending authorization and redirects the browser to the app's
//!   consent page, `SITE_URL` + `--oauth-authorization-path` + `?authorization_id=…`.
//! * The signed-in user's app reads `GET /oauth/authorizations/{id}` and answers
//!   `POST /oauth/authorizations/{id}/consent` `{action: approve|deny}`; both return
//!   `{redirect_url}` back to the client (with `code`, or `error=access_denied`).
//! * The client trades the code at `POST /oauth/token` (PKCE checked); the user lists and
//!   revokes grants at `GET|DELETE /user/oauth/grants`.
//!
//! Every route answers 404 `feature_disabled` while the feature is off. ID tokens (`openid`)
//! are not issued.

use super::admin::require_admin;
use super::id_token::{oauth, GrantError};
use super::{json_response, ok, redirect_response, MAX_BODY};
use crate::auth::{require_user, verify_bearer};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::redirect::{is_redirect_valid, with_query};
use crate::state::{AppState, Store};
use crate::tokens::issue_session;
use axum::body::{to_bytes, Body};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

/// GOTRUE_OAUTH_SERVER_AUTHORIZATION_TTL default.
pub const AUTHORIZATION_TTL_SECS: i64 = 600;
/// GOTRUE_OAUTH_SERVER_DEFAULT_SCOPE default.
const DEFAULT_SCOPE: &str = "email";
const SUPPORTED_SCOPES: [&str; 4] = ["openid", "email", "profile", "phone"];

#[derive(Clone, Debug)]
pub struct Client {
    pub id: Uuid,
    /// SHA-256 (base64url) of the secret; confidential clients only.
    pub secret_hash: Option<String>,
    pub client_type: String,
    pub token_endpoint_auth_method: String,
    pub redirect_uris: Vec<String>,
    pub grant_types: Vec<String>,
    pub client_name: String,
    pub client_uri: String,
    pub logo_uri: String,
    pub registration_type: String,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Client {
    /// GoTrue's OAuthServerClientResponse (`client_secret` added by the caller when shown).
    fn to_json(&self) -> Map<String, Value> {
        let mut o = Map::new();
        o.insert("client_id".into(), json!(self.id.to_string()));
        o.insert("client_type".into(), json!(self.client_type));
        o.insert("redirect_uris".into(), json!(self.redirect_uris));
        o.insert("token_endpoint_auth_method".into(), json!(self.token_endpoint_auth_method));
        o.insert("grant_types".into(), json!(self.grant_types));
        o.insert("response_types".into(), json!(["code"]));
        for (k, v) in
            [("client_name", &self.client_name), ("client_uri", &self.client_uri), ("logo_uri", &self.logo_uri)]
        {
            if !v.is_empty() {
                o.insert(k.into(), json!(v));
            }
        }
        o.insert("registration_type".into(), json!(self.registration_type));
        o.insert("created_at".into(), json!(self.created_at.rfc3339()));
        o.insert("updated_at".into(), json!(self.updated_at.rfc3339()));
        o
    }

    fn details(&self) -> Value {
        let mut o = Map::new();
        o.insert("id".into(), json!(self.id.to_string()));
        for (k, v) in [("name", &self.client_name), ("uri", &self.client_uri), ("logo_uri", &self.logo_uri)] {
            if !v.is_empty() {
                o.insert(k.into(), json!(v));
            }
        }
        Value::Object(o)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pending,
    Approved,
    Denied,
}

#[derive(Clone, Debug)]
pub struct Authorization {
    pub authorization_id: String,
    pub client_id: Uuid,
    pub user_id: Option<Uuid>,
    pub redirect_uri: String,
    pub scope: String,
    pub state: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
    pub status: Status,
    pub code: Option<String>,
    pub created_at: Ts,
    pub expires_at: Ts,
}

#[derive(Clone, Debug)]
pub struct Consent {
    pub user_id: Uuid,
    pub client_id: Uuid,
    pub scopes: Vec<String>,
    pub granted_at: Ts,
    pub revoked_at: Option<Ts>,
}

#[derive(Default)]
pub struct OAuthServerStore {
    pub clients: Vec<Client>,
    pub authorizations: Vec<Authorization>,
    pub consents: Vec<Consent>,
    /// Sessions issued to a client by `/oauth/token`; revoking the grant ends them.
    pub sessions: HashMap<Uuid, Uuid>,
}

fn require_enabled(st: &AppState) -> Result<(), ApiError> {
    if st.cfg.oauth_server {
        Ok(())
    } else {
        Err(ApiError::not_found("feature_disabled", "OAuth server is disabled"))
    }
}

fn random_token(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

fn secret_hash(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

fn scopes(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

// ---- admin: clients ------------------------------------------------------------------------

/// GoTrue's validateRedirectURI: absolute, no fragment, no script-ish schemes, plain HTTP only
/// for loopback hosts.
fn check_redirect_uri(uri: &str) -> Result<(), String> {
    if uri.is_empty() {
        return Err("redirect URI cannot be empty".into());
    }
    let (scheme, rest) = uri.split_once("://").ok_or("must have scheme and host")?;
    let host = super::mfa::url_host(uri).1;
    if scheme.is_empty() || host.is_empty() || rest.starts_with('/') {
        return Err("must have scheme and host".into());
    }
    if ["javascript", "data", "file", "vbscript", "about", "blob"].iter().any(|d| scheme.eq_ignore_ascii_case(d)) {
        return Err(format!("scheme '{scheme}' is not allowed for security reasons"));
    }
    if scheme == "http" && !["localhost", "127.0.0.1", "::1"].contains(&host.as_str()) {
        return Err("HTTP scheme only allowed for localhost".into());
    }
    if uri.contains('#') {
        return Err("fragment not allowed in redirect URI".into());
    }
    Ok(())
}

fn check_redirect_uris(uris: &[String]) -> Result<(), ApiError> {
    if uris.is_empty() {
        return Err(ApiError::validation("redirect_uris is required"));
    }
    if uris.len() > 10 {
        return Err(ApiError::validation("redirect_uris cannot exceed 10 items"));
    }
    for uri in uris {
        check_redirect_uri(uri).map_err(|e| ApiError::validation(format!("invalid redirect_uri '{uri}': {e}")))?;
    }
    Ok(())
}

fn check_grant_types(grants: &[String]) -> Result<(), ApiError> {
    if grants.is_empty() {
        return Err(ApiError::validation("grant_types cannot be empty"));
    }
    if grants.iter().any(|g| g != "authorization_code" && g != "refresh_token") {
        return Err(ApiError::validation("grant_types must only contain 'authorization_code' and/or 'refresh_token'"));
    }
    Ok(())
}

fn check_uri_field(name: &str, v: &str) -> Result<(), ApiError> {
    if v.is_empty() {
        return Ok(());
    }
    if v.len() > 2048 {
        return Err(ApiError::validation(format!("{name} cannot exceed 2048 characters")));
    }
    if !v.contains("://") {
        return Err(ApiError::validation(format!("{name} must be a valid URL")));
    }
    Ok(())
}

const AUTH_METHODS: [&str; 3] = ["none", "client_secret_basic", "client_secret_post"];

#[derive(Deserialize, Default)]
#[serde(default)]
struct RegisterParams {
    redirect_uris: Vec<String>,
    client_type: String,
    token_endpoint_auth_method: String,
    grant_types: Vec<String>,
    client_name: String,
    client_uri: String,
    logo_uri: String,
}

async fn body_json<T: serde::de::DeserializeOwned>(body: Body) -> Result<T, ApiError> {
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "request_entity_too_large", "Request body too large"))?;
    serde_json::from_slice(&bytes).map_err(|_| ApiError::bad_request("bad_json", "Invalid JSON body"))
}

fn shown(client: &Client, secret: Option<&str>, status: StatusCode) -> Response {
    let mut o = client.to_json();
    if let Some(s) = secret {
        o.insert("client_secret".into(), json!(s));
    }
    json_response(status, &Value::Object(o))
}

pub async fn admin_create_client(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    require_enabled(&st)?;
    let p: RegisterParams = body_json(body).await?;
    check_redirect_uris(&p.redirect_uris)?;
    if !p.grant_types.is_empty() {
        check_grant_types(&p.grant_types)?;
    }
    if p.client_name.len() > 1024 {
        return Err(ApiError::validation("client_name cannot exceed 1024 characters"));
    }
    check_uri_field("client_uri", &p.client_uri)?;
    check_uri_field("logo_uri", &p.logo_uri)?;
    if !p.client_type.is_empty() && p.client_type != "public" && p.client_type != "confidential" {
        return Err(ApiError::validation("client_type must be 'public' or 'confidential'"));
    }
    if !p.token_endpoint_auth_method.is_empty() && !AUTH_METHODS.contains(&p.token_endpoint_auth_method.as_str()) {
        return Err(ApiError::validation(format!(
            "token_endpoint_auth_method must be one of: [{}]",
            AUTH_METHODS.join(" ")
        )));
    }
    // The type follows the auth method when only that is given; confidential by default.
    let client_type = match (p.client_type.as_str(), p.token_endpoint_auth_method.as_str()) {
        ("", "none") => "public",
        ("", _) => "confidential",
        (t, _) => t,
    }
    .to_string();
    let method = match (client_type.as_str(), p.token_endpoint_auth_method.as_str()) {
        ("public", "") | ("public", "none") => "none".to_string(),
        ("public", m) => {
            return Err(ApiError::validation(format!(
                "token_endpoint_auth_method '{m}' is not valid for client_type 'public'"
            )))
        }
        ("confidential", "none") => {
            return Err(ApiError::validation(
                "token_endpoint_auth_method 'none' is not valid for client_type 'confidential'",
            ))
        }
        (_, "") => "client_secret_basic".to_string(),
        (_, m) => m.to_string(),
    };
    let now = st.now();
    let secret = (client_type == "confidential").then(|| random_token(32));
    let client = Client {
        id: Uuid::new_v4(),
        secret_hash: secret.as_deref().map(secret_hash),
        client_type,
        token_endpoint_auth_method: method,
        redirect_uris: p.redirect_uris,
        grant_types: if p.grant_types.is_empty() {
            vec!["authorization_code".into(), "refresh_token".into()]
        } else {
            p.grant_types
        },
        client_name: p.client_name,
        client_uri: p.client_uri,
        logo_uri: p.logo_uri,
        registration_type: "manual".into(),
        created_at: now,
        updated_at: now,
    };
    let out = shown(&client, secret.as_deref(), StatusCode::CREATED);
    st.lock().oauth_server.clients.push(client);
    Ok(out)
}

pub async fn admin_list_clients(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let store = st.lock();
    require_admin(&st, &headers, &store)?;
    require_enabled(&st)?;
    // Newest first; GoTrue's `clients` is omitempty, so an empty list answers `{}`.
    let mut clients: Vec<&Client> = store.oauth_server.clients.iter().collect();
    clients.sort_by_key(|c| std::cmp::Reverse(c.created_at));
    let mut out = Map::new();
    if !clients.is_empty() {
        out.insert("clients".into(), Value::Array(clients.iter().map(|c| Value::Object(c.to_json())).collect()));
    }
    Ok(ok(Value::Object(out)))
}

fn client_id(path: Result<Path<String>, PathRejection>) -> Result<Uuid, ApiError> {
    let Ok(Path(raw)) = path else {
        return Err(ApiError::validation("client_id is required"));
    };
    Uuid::parse_str(&raw).map_err(|_| ApiError::validation("invalid client_id format"))
}

fn client_index(store: &Store, id: Uuid) -> Result<usize, ApiError> {
    store
        .oauth_server
        .clients
        .iter()
        .position(|c| c.id == id)
        .ok_or_else(|| ApiError::not_found("oauth_client_not_found", "OAuth client not found"))
}

pub async fn admin_get_client(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let store = st.lock();
    require_admin(&st, &headers, &store)?;
    require_enabled(&st)?;
    let i = client_index(&store, client_id(path)?)?;
    Ok(shown(&store.oauth_server.clients[i], None, StatusCode::OK))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UpdateParams {
    redirect_uris: Option<Vec<String>>,
    grant_types: Option<Vec<String>>,
    client_name: Option<String>,
    client_uri: Option<String>,
    logo_uri: Option<String>,
    token_endpoint_auth_method: Option<String>,
}

pub async fn admin_update_client(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    require_enabled(&st)?;
    let id = client_id(path)?;
    client_index(&st.lock(), id)?;
    let p: UpdateParams = body_json(body).await?;
    if p.redirect_uris.is_none()
        && p.grant_types.is_none()
        && p.client_name.is_none()
        && p.client_uri.is_none()
        && p.logo_uri.is_none()
        && p.token_endpoint_auth_method.is_none()
    {
        return Err(ApiError::validation("No fields provided for update"));
    }
    if let Some(uris) = &p.redirect_uris {
        if uris.is_empty() {
            return Err(ApiError::validation("redirect_uris cannot be empty"));
        }
        check_redirect_uris(uris)?;
    }
    if let Some(g) = &p.grant_types {
        check_grant_types(g)?;
    }
    if p.client_name.as_ref().is_some_and(|n| n.len() > 1024) {
        return Err(ApiError::validation("client_name cannot exceed 1024 characters"));
    }
    check_uri_field("client_uri", p.client_uri.as_deref().unwrap_or(""))?;
    check_uri_field("logo_uri", p.logo_uri.as_deref().unwrap_or(""))?;
    let now = st.now();
    let mut store = st.lock();
    let i = client_index(&store, id)?;
    let c = &mut store.oauth_server.clients[i];
    if let Some(m) = &p.token_endpoint_auth_method {
        let valid =
            if c.client_type == "public" { m == "none" } else { m != "none" && AUTH_METHODS.contains(&m.as_str()) };
        if !valid {
            return Err(ApiError::validation(format!(
                "token_endpoint_auth_method '{m}' is not valid for client_type '{}'",
                c.client_type
            )));
        }
        c.token_endpoint_auth_method = m.clone();
    }
    if let Some(v) = p.redirect_uris {
        c.redirect_uris = v;
    }
    if let Some(v) = p.grant_types {
        c.grant_types = v;
    }
    if let Some(v) = p.client_name {
        c.client_name = v;
    }
    if let Some(v) = p.client_uri {
        c.client_uri = v;
    }
    if let Some(v) = p.logo_uri {
        c.logo_uri = v;
    }
    c.updated_at = now;
    Ok(shown(c, None, StatusCode::OK))
}

pub async fn admin_delete_client(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    require_enabled(&st)?;
    let i = client_index(&store, client_id(path)?)?;
    store.oauth_server.clients.remove(i);
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    Ok(resp)
}

pub async fn admin_regenerate_secret(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    require_enabled(&st)?;
    let i = client_index(&store, client_id(path)?)?;
    let now = st.now();
    let c = &mut store.oauth_server.clients[i];
    if c.client_type != "confidential" {
        return Err(ApiError::validation("Cannot regenerate secret for public client"));
    }
    let secret = random_token(32);
    c.secret_hash = Some(secret_hash(&secret));
    c.updated_at = now;
    Ok(shown(c, Some(&secret), StatusCode::OK))
}

// ---- the authorization flow ----------------------------------------------------------------

fn error_redirect(redirect_uri: &str, error: &str, description: &str, state: &str) -> String {
    let mut extra = vec![("error".to_string(), error.to_string()), ("error_description".into(), description.into())];
    if !state.is_empty() {
        extra.push(("state".into(), state.into()));
    }
    with_query(redirect_uri, &extra, None)
}

fn check_remaining(scope: &str, response_type: &str, challenge: &str, method: &str) -> Result<(), String> {
    if response_type != "code" {
        return Err("only response_type=code is supported".into());
    }
    let requested = scopes(scope);
    if requested.is_empty() {
        return Err("scope parameter cannot be empty".into());
    }
    if let Some(bad) = requested.iter().find(|s| !SUPPORTED_SCOPES.contains(&s.as_str())) {
        return Err(format!("unsupported scope: {bad}"));
    }
    if challenge.is_empty() || method.is_empty() {
        return Err("PKCE flow requires both code_challenge and code_challenge_method".into());
    }
    let m = method.to_ascii_lowercase();
    if m != "s256" && m != "plain" {
        return Err("code_challenge_method must be 'S256' or 'plain'".into());
    }
    if challenge.len() < 43 || challenge.len() > 128 {
        return Err("code_challenge must be between 43 and 128 characters".into());
    }
    Ok(())
}

pub async fn authorize(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let q = super::Query::parse(q);
    let get = |k: &str| q.get(k).unwrap_or("").to_string();
    let (client_id, redirect_uri) = (get("client_id"), get("redirect_uri"));
    if client_id.is_empty() {
        return Err(ApiError::validation("client_id is required"));
    }
    if redirect_uri.is_empty() {
        return Err(ApiError::validation("redirect_uri is required"));
    }
    let id = Uuid::parse_str(&client_id)
        .map_err(|_| ApiError::bad_request("oauth_client_not_found", "invalid client_id format"))?;
    let now = st.now();
    let mut store = st.lock();
    let client = store
        .oauth_server
        .clients
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("oauth_client_not_found", "invalid client_id"))?;
    // An unregistered redirect_uri is never redirected to.
    if !client.redirect_uris.contains(&redirect_uri) {
        return Err(ApiError::validation("invalid redirect_uri"));
    }
    let state = get("state");
    let response_type = Some(get("response_type")).filter(|s| !s.is_empty()).unwrap_or_else(|| "code".into());
    let scope = Some(get("scope")).filter(|s| !s.is_empty()).unwrap_or_else(|| DEFAULT_SCOPE.into());
    let (challenge, method) = (get("code_challenge"), get("code_challenge_method"));
    if let Err(e) = check_remaining(&scope, &response_type, &challenge, &method) {
        let to = error_redirect(&redirect_uri, "invalid_request", &e, &state);
        return Ok(redirect_response(StatusCode::FOUND, &to));
    }
    let authorization_id: String = {
        let mut rng = rand::thread_rng();
        (0..32).map(|_| b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.gen_range(0..36)] as char).collect()
    };
    store.oauth_server.authorizations.retain(|a| a.expires_at.add_secs(AUTHORIZATION_TTL_SECS) > now);
    store.oauth_server.authorizations.push(Authorization {
        authorization_id: authorization_id.clone(),
        client_id: client.id,
        user_id: None,
        redirect_uri,
        scope,
        state,
        code_challenge: challenge,
        code_challenge_method: method.to_ascii_lowercase(),
        status: Status::Pending,
        code: None,
        created_at: now,
        expires_at: now.add_secs(AUTHORIZATION_TTL_SECS),
    });
    let path = &st.cfg.oauth_authorization_path;
    let path = if path.starts_with('/') { path.clone() } else { format!("/{path}") };
    let to = format!("{}{path}?authorization_id={authorization_id}", st.cfg.site_url.trim_end_matches('/'));
    Ok(redirect_response(StatusCode::FOUND, &to))
}

/// A browser's `Origin`, when sent, must be an allowed redirect target (SITE_URL or the list).
fn check_origin(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) if !origin.is_empty() && !is_redirect_valid(&st.cfg, origin) => {
            Err(ApiError::validation("unauthorized request origin"))
        }
        _ => Ok(()),
    }
}

fn authorization_not_found() -> ApiError {
    ApiError::not_found("oauth_authorization_not_found", "authorization not found")
}

/// GoTrue's validateAndFindAuthorization: known, not expired, still pending.
fn pending(store: &Store, id: &str, now: Ts) -> Result<usize, ApiError> {
    let i = store
        .oauth_server
        .authorizations
        .iter()
        .position(|a| a.authorization_id == id)
        .ok_or_else(authorization_not_found)?;
    let a = &store.oauth_server.authorizations[i];
    if now > a.expires_at {
        return Err(authorization_not_found());
    }
    if a.status != Status::Pending {
        return Err(ApiError::validation("authorization request cannot be processed"));
    }
    Ok(i)
}

fn success_redirect(a: &Authorization) -> String {
    let mut extra = Vec::new();
    if let Some(code) = &a.code {
        extra.push(("code".to_string(), code.clone()));
    }
    if !a.state.is_empty() {
        extra.push(("state".into(), a.state.clone()));
    }
    with_query(&a.redirect_uri, &extra, None)
}

fn approve(store: &mut Store, i: usize) -> String {
    let a = &mut store.oauth_server.authorizations[i];
    a.status = Status::Approved;
    a.code = Some(random_token(24));
    success_redirect(a)
}

pub async fn get_authorization(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let a = verify_bearer(&st, &headers)?;
    check_origin(&st, &headers)?;
    let now = st.now();
    let mut store = st.lock();
    require_user(&store, &a)?;
    let user = store.users[&a.user_id].clone();
    let i = pending(&store, &id, now)?;
    let auth = store.oauth_server.authorizations[i].clone();
    match auth.user_id {
        None => {
            store.oauth_server.authorizations[i].user_id = Some(user.id);
            // A consent that already covers every requested scope approves at once.
            let requested = scopes(&auth.scope);
            let covered = store.oauth_server.consents.iter().any(|c| {
                c.user_id == user.id
                    && c.client_id == auth.client_id
                    && c.revoked_at.is_none()
                    && requested.iter().all(|s| c.scopes.contains(s))
            });
            if covered {
                let to = approve(&mut store, i);
                return Ok(ok(json!({ "redirect_url": to })));
            }
        }
        Some(owner) if owner != user.id => return Err(authorization_not_found()),
        Some(_) => {}
    }
    let client = store.oauth_server.clients.iter().find(|c| c.id == auth.client_id).map(Client::details);
    let mut user_out = Map::new();
    user_out.insert("id".into(), json!(user.id.to_string()));
    if !user.email.is_empty() {
        user_out.insert("email".into(), json!(user.email));
    }
    Ok(ok(json!({
        "authorization_id": auth.authorization_id,
        "redirect_uri": auth.redirect_uri,
        "client": client.unwrap_or_else(|| json!({ "id": auth.client_id.to_string() })),
        "user": user_out,
        "scope": auth.scope,
    })))
}

#[derive(Deserialize)]
struct ConsentParams {
    action: String,
}

pub async fn consent(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Response, ApiError> {
    require_enabled(&st)?;
    let a = verify_bearer(&st, &headers)?;
    check_origin(&st, &headers)?;
    {
        let store = st.lock();
        require_user(&store, &a)?;
    }
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "request_entity_too_large", "Request body too large"))?;
    let p: ConsentParams =
        serde_json::from_slice(&bytes).map_err(|_| ApiError::bad_request("bad_json", "invalid JSON body"))?;
    if p.action != "approve" && p.action != "deny" {
        return Err(ApiError::validation("action must be 'approve' or 'deny'"));
    }
    let now = st.now();
    let mut store = st.lock();
    let i = pending(&store, &id, now)?;
    if store.oauth_server.authorizations[i].user_id != Some(a.user_id) {
        return Err(authorization_not_found());
    }
    let to = if p.action == "approve" {
        let to = approve(&mut store, i);
        let auth = store.oauth_server.authorizations[i].clone();
        let consents = &mut store.oauth_server.consents;
        consents.retain(|c| !(c.user_id == a.user_id && c.client_id == auth.client_id));
        consents.push(Consent {
            user_id: a.user_id,
            client_id: auth.client_id,
            scopes: scopes(&auth.scope),
            granted_at: now,
            revoked_at: None,
        });
        to
    } else {
        let auth = &mut store.oauth_server.authorizations[i];
        auth.status = Status::Denied;
        error_redirect(&auth.redirect_uri, "access_denied", "User denied the request", &auth.state)
    };
    Ok(ok(json!({ "redirect_url": to })))
}

// ---- token endpoint ------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenParams {
    grant_type: String,
    code: String,
    redirect_uri: String,
    client_id: String,
    client_secret: String,
    code_verifier: String,
}

/// `client_secret_basic` (Authorization: Basic) or `client_secret_post`; public clients name
/// themselves with `client_id`.
fn authenticate_client(store: &Store, headers: &HeaderMap, p: &TokenParams) -> Result<Client, GrantError> {
    let invalid = || oauth("invalid_client", "Client authentication failed");
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(i, s)| (i.to_string(), s.to_string())));
    let (id, secret) = match basic {
        Some((i, s)) => (i, s),
        None => (p.client_id.clone(), p.client_secret.clone()),
    };
    let id = Uuid::parse_str(&id).map_err(|_| invalid())?;
    let client = store.oauth_server.clients.iter().find(|c| c.id == id).cloned().ok_or_else(invalid)?;
    match &client.secret_hash {
        Some(h) if secret_hash(&secret) == *h => Ok(client),
        Some(_) => Err(invalid()),
        None => Ok(client),
    }
}

pub async fn token(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, GrantError> {
    require_enabled(&st)?;
    let bytes = to_bytes(body, MAX_BODY).await.map_err(|_| oauth("invalid_request", "Request body too large"))?;
    let json_body = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("json"));
    let p: TokenParams = if json_body {
        serde_json::from_slice(&bytes).map_err(|_| oauth("invalid_request", "Invalid JSON body"))?
    } else {
        let form: HashMap<String, String> = form_urlencoded::parse(&bytes).into_owned().collect();
        let f = |k: &str| form.get(k).cloned().unwrap_or_default();
        TokenParams {
            grant_type: f("grant_type"),
            code: f("code"),
            redirect_uri: f("redirect_uri"),
            client_id: f("client_id"),
            client_secret: f("client_secret"),
            code_verifier: f("code_verifier"),
        }
    };
    if p.grant_type.is_empty() {
        return Err(oauth("invalid_request", "grant_type is required"));
    }
    let now = st.now();
    let mut store = st.lock();
    let client = authenticate_client(&store, &headers, &p)?;
    if !client.grant_types.contains(&p.grant_type) || p.grant_type != "authorization_code" {
        return Err(oauth("unsupported_grant_type", format!("Unsupported grant type: {}", p.grant_type)));
    }
    if p.code.is_empty() {
        return Err(oauth("invalid_request", "code is required for authorization_code grant"));
    }
    let i = store
        .oauth_server
        .authorizations
        .iter()
        .position(|a| a.status == Status::Approved && a.code.as_deref() == Some(p.code.as_str()))
        .ok_or_else(|| oauth("invalid_grant", "Invalid authorization code"))?;
    let auth = store.oauth_server.authorizations[i].clone();
    if now > auth.expires_at {
        return Err(oauth("invalid_grant", "Authorization code has expired"));
    }
    if auth.client_id != client.id {
        return Err(oauth("invalid_grant", "Authorization code was not issued for this client"));
    }
    if !p.redirect_uri.is_empty() && p.redirect_uri != auth.redirect_uri {
        return Err(oauth("invalid_grant", "Invalid redirect_uri"));
    }
    let derived = if auth.code_challenge_method == "s256" {
        URL_SAFE_NO_PAD.encode(Sha256::digest(p.code_verifier.as_bytes()))
    } else {
        p.code_verifier.clone()
    };
    if p.code_verifier.is_empty() || derived != auth.code_challenge {
        return Err(oauth("invalid_grant", "PKCE verification failed: code verifier does not match"));
    }
    let user_id = auth.user_id.ok_or_else(|| oauth("invalid_grant", "Authorization code has no associated user"))?;
    if store.users.get(&user_id).is_none_or(|u| u.is_banned(now)) {
        return Err(oauth("access_denied", "User is banned"));
    }
    // Authorization codes work once.
    store.oauth_server.authorizations.remove(i);
    let session = issue_session(&st, &mut store, user_id, "oauth_provider/authorization_code", now);
    let session_id = session
        .get("access_token")
        .and_then(Value::as_str)
        .and_then(|t| t.split('.').nth(1))
        .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|c| c.get("session_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok()));
    if let Some(sid) = session_id {
        store.oauth_server.sessions.insert(sid, client.id);
    }
    let mut out = Map::new();
    for k in ["access_token", "token_type", "expires_in", "refresh_token"] {
        if let Some(v) = session.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    Ok(ok(Value::Object(out)))
}

// ---- the user's grants ---------------------------------------------------------------------

pub async fn list_grants(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let store = st.lock();
    require_user(&store, &a)?;
    require_enabled(&st)?;
    let grants: Vec<Value> = store
        .oauth_server
        .consents
        .iter()
        .filter(|c| c.user_id == a.user_id && c.revoked_at.is_none())
        .filter_map(|c| {
            let client = store.oauth_server.clients.iter().find(|cl| cl.id == c.client_id)?;
            Some(json!({ "client": client.details(), "scopes": c.scopes, "granted_at": c.granted_at.rfc3339() }))
        })
        .collect();
    Ok(ok(Value::Array(grants)))
}

pub async fn revoke_grant(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    {
        let store = st.lock();
        require_user(&store, &a)?;
    }
    require_enabled(&st)?;
    let q = super::Query::parse(q);
    let raw = q.get("client_id").unwrap_or("");
    if raw.is_empty() {
        return Err(ApiError::validation("client_id query parameter is required"));
    }
    let client_id = Uuid::parse_str(raw).map_err(|_| ApiError::validation("invalid client_id format"))?;
    let now = st.now();
    let mut store = st.lock();
    let consent = store
        .oauth_server
        .consents
        .iter_mut()
        .find(|c| c.user_id == a.user_id && c.client_id == client_id && c.revoked_at.is_none())
        .ok_or_else(|| ApiError::not_found("oauth_consent_not_found", "No active grant found for this client"))?;
    consent.revoked_at = Some(now);
    // The client's sessions for this user end with the grant.
    let ended: Vec<Uuid> = store
        .oauth_server
        .sessions
        .iter()
        .filter(|(sid, cid)| **cid == client_id && store.sessions.get(sid).is_some_and(|s| s.user_id == a.user_id))
        .map(|(sid, _)| *sid)
        .collect();
    for sid in ended {
        store.delete_session(sid);
        store.oauth_server.sessions.remove(&sid);
    }
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    Ok(resp)
}
