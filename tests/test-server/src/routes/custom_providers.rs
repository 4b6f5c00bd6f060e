//! Custom OAuth2 / OIDC providers (GOTRUE_CUSTOM_OAUTH_ENABLED, `--custom-providers`), admin
//! only: `GET|POST /admin/custom-providers` (`?type=oauth2|oidc` filters the list) and
//! `GET|PUT|DELETE /admin/custom-providers/{identifier}`. Identifiers get the `custom:` prefix;
//! the client secret is kept but never shown. Providers are stored only: sign-ins through them
//! are not served, and no OIDC discovery document is fetched.

use super::admin::require_admin;
use super::{json_response, ok, MAX_BODY};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// Built-in providers a custom one may not shadow.
const RESERVED: [&str; 23] = [
    "apple",
    "azure",
    "bitbucket",
    "discord",
    "facebook",
    "figma",
    "fly",
    "github",
    "gitlab",
    "google",
    "kakao",
    "keycloak",
    "linkedin_oidc",
    "linkedin",
    "notion",
    "slack_oidc",
    "slack",
    "spotify",
    "twitch",
    "twitter",
    "workos",
    "x",
    "zoom",
];

#[derive(Clone, Debug)]
pub struct CustomProvider {
    pub id: Uuid,
    /// The stored fields, as they are answered (no `client_secret`).
    pub fields: Map<String, Value>,
    pub client_secret: String,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl CustomProvider {
    fn identifier(&self) -> &str {
        self.fields.get("identifier").and_then(Value::as_str).unwrap_or("")
    }
    fn provider_type(&self) -> &str {
        self.fields.get("provider_type").and_then(Value::as_str).unwrap_or("")
    }
    fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("id".into(), json!(self.id.to_string()));
        for (k, v) in &self.fields {
            o.insert(k.clone(), v.clone());
        }
        o.insert("created_at".into(), json!(self.created_at.rfc3339()));
        o.insert("updated_at".into(), json!(self.updated_at.rfc3339()));
        Value::Object(o)
    }
}

fn require_enabled(st: &AppState) -> Result<(), ApiError> {
    if st.cfg.custom_providers {
        Ok(())
    } else {
        Err(ApiError::not_found("feature_disabled", "Custom OAuth providers are disabled"))
    }
}

/// Every member a provider stores, besides the identity ones checked on their own.
const STRING_FIELDS: [&str; 9] = [
    "name",
    "client_id",
    "issuer",
    "discovery_url",
    "authorization_url",
    "token_url",
    "userinfo_url",
    "jwks_uri",
    "provider_type",
];
const LIST_FIELDS: [&str; 3] = ["acceptable_client_ids", "scopes", "custom_claims_allowlist"];
const BOOL_FIELDS: [&str; 4] = ["pkce_enabled", "enabled", "email_optional", "skip_nonce_check"];
const OBJECT_FIELDS: [&str; 2] = ["attribute_mapping", "authorization_params"];
const URL_FIELDS: [&str; 6] = ["issuer", "discovery_url", "authorization_url", "token_url", "userinfo_url", "jwks_uri"];
/// OAuth parameters the server sets itself; `authorization_params` may not override them.
const RESERVED_PARAMS: [&str; 7] =
    ["client_id", "redirect_uri", "response_type", "state", "code_challenge", "code_challenge_method", "nonce"];

#[derive(Deserialize, Default)]
#[serde(default)]
struct Params {
    #[serde(flatten)]
    members: Map<String, Value>,
}

async fn read(body: Body) -> Result<Map<String, Value>, ApiError> {
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "request_entity_too_large", "Request body too large"))?;
    let p: Params = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request("bad_json", format!("Could not parse request body as JSON: {e}")))?;
    Ok(p.members)
}

/// Keeps the known members, type-checked; `client_secret` is returned apart.
fn known_members(m: &Map<String, Value>) -> Result<(Map<String, Value>, Option<String>), ApiError> {
    let mut out = Map::new();
    let wrong = |k: &str| ApiError::bad_request("bad_json", format!("Could not parse request body as JSON: {k}"));
    for (k, v) in m {
        let k = k.as_str();
        let fits = if STRING_FIELDS.contains(&k) || k == "identifier" || k == "client_secret" {
            v.is_string()
        } else if LIST_FIELDS.contains(&k) {
            v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
        } else if BOOL_FIELDS.contains(&k) {
            v.is_boolean()
        } else if OBJECT_FIELDS.contains(&k) {
            v.is_object()
        } else {
            true
        };
        if !(fits || v.is_null()) {
            return Err(wrong(k));
        }
        if !v.is_null() && (STRING_FIELDS.contains(&k) || LIST_FIELDS.contains(&k) || BOOL_FIELDS.contains(&k)) {
            out.insert(k.into(), v.clone());
        }
        if !v.is_null() && OBJECT_FIELDS.contains(&k) {
            out.insert(k.into(), v.clone());
        }
    }
    let secret = m.get("client_secret").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    Ok((out, secret))
}

fn check_params_and_mapping(fields: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some(Value::Object(p)) = fields.get("authorization_params") {
        if let Some(k) = p.keys().find(|k| RESERVED_PARAMS.contains(&k.as_str())) {
            return Err(ApiError::validation(format!("authorization_params cannot override reserved parameter: {k}")));
        }
    }
    if let Some(Value::Object(m)) = fields.get("attribute_mapping") {
        if let Some(k) = m.keys().find(|k| ["id", "aud", "role", "sub"].contains(&k.as_str())) {
            return Err(ApiError::validation(format!("attribute_mapping cannot map protected field: {k}")));
        }
    }
    for k in URL_FIELDS {
        if let Some(url) = fields.get(k).and_then(Value::as_str).filter(|u| !u.is_empty()) {
            if !(url.starts_with("https://") || url.starts_with("http://")) || super::mfa::url_host(url).1.is_empty() {
                return Err(ApiError::validation(format!("{k} must be a valid URL")));
            }
        }
    }
    Ok(())
}

fn identifier_path(raw: &str) -> Result<String, ApiError> {
    if raw.is_empty() {
        return Err(ApiError::validation("identifier is required"));
    }
    if !raw.starts_with("custom:") {
        return Err(ApiError::validation("identifier must start with 'custom:' prefix"));
    }
    Ok(raw.to_string())
}

fn not_found() -> ApiError {
    ApiError::not_found("custom_provider_not_found", "Custom OAuth provider not found")
}

pub async fn list(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let store = st.lock();
    require_admin(&st, &headers, &store)?;
    require_enabled(&st)?;
    let q = super::Query::parse(q);
    let kind = q.get("type").unwrap_or("");
    if !kind.is_empty() && kind != "oauth2" && kind != "oidc" {
        return Err(ApiError::validation("type must be either 'oauth2' or 'oidc'"));
    }
    let providers: Vec<Value> = store
        .custom_providers
        .iter()
        .filter(|p| kind.is_empty() || p.provider_type() == kind)
        .map(CustomProvider::to_json)
        .collect();
    Ok(ok(json!({ "providers": providers })))
}

pub async fn create(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    require_enabled(&st)?;
    let members = read(body).await?;
    let (mut fields, secret) = known_members(&members)?;
    let kind = fields.get("provider_type").and_then(Value::as_str).unwrap_or("").to_string();
    if kind != "oauth2" && kind != "oidc" {
        return Err(ApiError::validation("provider_type must be either 'oauth2' or 'oidc'"));
    }
    let raw = members.get("identifier").and_then(Value::as_str).unwrap_or("");
    if raw.is_empty() {
        return Err(ApiError::validation("identifier is required"));
    }
    let identifier = if raw.starts_with("custom:") { raw.to_string() } else { format!("custom:{raw}") };
    let base = identifier.trim_start_matches("custom:");
    if RESERVED.contains(&base.to_ascii_lowercase().as_str()) {
        return Err(ApiError::validation(format!(
            "Cannot use reserved provider name: {base}. This provider is already built into Supabase Auth."
        )));
    }
    let text = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    for k in ["name", "client_id"] {
        if text(k).is_empty() {
            return Err(ApiError::validation(format!("{k} is required")));
        }
    }
    let secret = secret.ok_or_else(|| ApiError::validation("client_secret is required"))?;
    if kind == "oidc" && text("issuer").is_empty() {
        return Err(ApiError::validation("issuer is required for OIDC providers"));
    }
    if kind == "oauth2" {
        for k in ["authorization_url", "token_url", "userinfo_url"] {
            if text(k).is_empty() {
                return Err(ApiError::validation(format!("{k} is required for OAuth2 providers")));
            }
        }
    }
    check_params_and_mapping(&fields)?;
    let now = st.now();
    let mut store = st.lock();
    if store.custom_providers.iter().any(|p| p.identifier() == identifier) {
        return Err(ApiError::bad_request("conflict", "A custom OAuth provider with this identifier already exists"));
    }
    fields.insert("identifier".into(), json!(identifier));
    // GoTrue's defaults for what the caller left out.
    fields.entry("scopes").or_insert_with(|| json!([]));
    fields.entry("pkce_enabled").or_insert(json!(true));
    fields.entry("enabled").or_insert(json!(true));
    fields.entry("email_optional").or_insert(json!(false));
    if kind == "oidc" {
        fields.entry("skip_nonce_check").or_insert(json!(false));
    }
    let provider =
        CustomProvider { id: Uuid::new_v4(), fields, client_secret: secret, created_at: now, updated_at: now };
    let out = provider.to_json();
    store.custom_providers.push(provider);
    Ok(json_response(StatusCode::CREATED, &out))
}

pub async fn get(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(identifier): Path<String>,
) -> Result<Response, ApiError> {
    let store = st.lock();
    require_admin(&st, &headers, &store)?;
    require_enabled(&st)?;
    let identifier = identifier_path(&identifier)?;
    let p = store.custom_providers.iter().find(|p| p.identifier() == identifier).ok_or_else(not_found)?;
    Ok(ok(p.to_json()))
}

pub async fn update(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(identifier): Path<String>,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    require_enabled(&st)?;
    let identifier = identifier_path(&identifier)?;
    let members = read(body).await?;
    let (mut fields, secret) = known_members(&members)?;
    check_params_and_mapping(&fields)?;
    // The identity of a provider does not change.
    fields.remove("provider_type");
    let now = st.now();
    let mut store = st.lock();
    let p = store.custom_providers.iter_mut().find(|p| p.identifier() == identifier).ok_or_else(not_found)?;
    for (k, v) in fields {
        // Empty strings leave a member as it was, as GoTrue's update does.
        if v.as_str() == Some("") {
            continue;
        }
        p.fields.insert(k, v);
    }
    if let Some(s) = secret {
        p.client_secret = s;
    }
    p.updated_at = now;
    Ok(ok(p.to_json()))
}

pub async fn delete(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(identifier): Path<String>,
) -> Result<Response, ApiError> {
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    require_enabled(&st)?;
    let identifier = identifier_path(&identifier)?;
    let before = store.custom_providers.len();
    store.custom_providers.retain(|p| p.identifier() != identifier);
    if store.custom_providers.len() == before {
        return Err(not_found());
    }
    Ok(ok(json!({ "message": "Custom OAuth provider deleted successfully" })))
}
