//! The admin API (contract §4.16): users, their factors, `POST /invite` and
//! `POST /admin/generate_link`, plus the test-only `GET /__test/service_role_key`.

use super::{given, internal, ok, read_json, redirect_for, Query, BCRYPT_COST, MAX_BODY};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::jwt;
use crate::mailbox::{mailbox_key, token_hash, MailKind, MailMessage};
use crate::models::{TokenSlot, User};
use crate::redirect::{choose_redirect, owned_pairs, with_query};
use crate::routes::signup::new_user;
use crate::state::{AppState, Store};
use crate::tokens::random_otp;
use crate::validate;
use axum::body::{to_bytes, Body};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use rand::Rng;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// GOTRUE_JWT_ADMIN_ROLES default.
pub const ADMIN_ROLES: [&str; 2] = ["service_role", "supabase_admin"];

/// The audience this server puts its users in (GOTRUE_JWT_AUD).
const AUD: &str = "authenticated";

const DUPLICATE_EMAIL: &str = "A user with this email address has already been registered";

/// A ready-made service-role key: `{"role":"service_role"}` signed with the JWT secret, no
/// expiry (what Supabase calls the service_role key).
pub fn service_role_key(secret: &str) -> String {
    jwt::sign(secret, &json!({ "role": "service_role" }))
}

/// `GET /__test/service_role_key` (test-only) → `{"key": "<jwt>"}`.
pub async fn service_role_key_endpoint(State(st): State<AppState>) -> Response {
    ok(json!({ "key": service_role_key(&st.cfg.jwt_secret) }))
}

/// Admin authentication: a valid JWT (normally HS256 with the secret, as the service-role key
/// is) whose `role` is an admin role.
pub(crate) fn require_admin(st: &AppState, headers: &HeaderMap, store: &Store) -> Result<(), ApiError> {
    let no_auth = || ApiError::new(401, "no_authorization", "This endpoint requires a valid Bearer token");
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(no_auth)?;
    let (scheme, token) = value.split_once(' ').ok_or_else(no_auth)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(no_auth());
    }
    let claims = crate::keys::verify_access_token(st, token, st.now().secs()).map_err(|e| {
        ApiError::forbidden("bad_jwt", format!("invalid JWT: unable to parse or verify signature, {e}"))
    })?;
    let role = claims.get("role").and_then(Value::as_str).unwrap_or("");
    if !ADMIN_ROLES.contains(&role) {
        return Err(ApiError::forbidden("not_admin", "User not allowed"));
    }
    // An admin token that belongs to a session is only good while the session lives.
    if let Some(sid) = claims.get("session_id").and_then(Value::as_str) {
        let known = Uuid::parse_str(sid).is_ok_and(|id| store.sessions.contains_key(&id));
        if !known {
            return Err(ApiError::forbidden(
                "session_not_found",
                "Session from session_id claim in JWT does not exist",
            ));
        }
    }
    Ok(())
}

pub(crate) fn path_uuid(raw: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::not_found("validation_failed", format!("{what} must be an UUID")))
}

pub(crate) fn user_id_of(path: Result<Path<String>, PathRejection>) -> Result<Uuid, ApiError> {
    match path {
        Ok(Path(id)) => path_uuid(&id, "user_id"),
        Err(_) => Err(ApiError::not_found("validation_failed", "user_id must be an UUID")),
    }
}

fn ids_of(path: Result<Path<(String, String)>, PathRejection>) -> Result<(Uuid, Uuid), ApiError> {
    let Ok(Path((u, f))) = path else {
        return Err(ApiError::not_found("validation_failed", "user_id must be an UUID"));
    };
    Ok((path_uuid(&u, "user_id")?, path_uuid(&f, "factor_id")?))
}

fn user_not_found() -> ApiError {
    ApiError::not_found("user_not_found", "User not found")
}

pub(crate) fn load_user(store: &Store, id: Uuid) -> Result<User, ApiError> {
    store.users.get(&id).cloned().ok_or_else(user_not_found)
}

/// Go's `time.ParseDuration`, in microseconds: e.g. `24h`, `1h30m`, `-1.5h`, `300ms`, `0`.
pub fn parse_go_duration(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let num = &rest[..num_end];
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let micros_per_unit = match &rest[..unit_end] {
            "ns" => 0.001,
            "us" | "µs" | "μs" => 1.0,
            "ms" => 1_000.0,
            "s" => 1_000_000.0,
            "m" => 60_000_000.0,
            "h" => 3_600_000_000.0,
            _ => return None,
        };
        total += value * micros_per_unit;
        rest = &rest[unit_end..];
    }
    // Go's durations are int64 nanoseconds: about 292 years at most.
    if !total.is_finite() || total > 9.2e15 {
        return None;
    }
    let micros = total.round() as i64;
    Some(if neg { -micros } else { micros })
}

/// Applies `ban_duration`: `none` lifts a ban, a duration bans until now + duration.
fn apply_ban(user: &mut User, ban: &str, now: Ts) -> Result<(), ApiError> {
    let micros = if ban == "none" {
        0
    } else {
        parse_go_duration(ban).ok_or_else(|| {
            ApiError::validation(format!("invalid format for ban duration: time: invalid duration {ban:?}"))
        })?
    };
    user.banned_until = (micros != 0).then(|| Ts(now.0 + micros));
    Ok(())
}

/// GoTrue's UpdateUserMetaData / UpdateAppMetaData: top-level keys replaced, `null` deletes.
fn merge(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, v) in patch {
        if v.is_null() {
            target.remove(k);
        } else {
            target.insert(k.clone(), v.clone());
        }
    }
}

fn object(v: &Option<Value>, field: &str) -> Result<Option<Map<String, Value>>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => Err(ApiError::bad_request(
            "bad_json",
            format!("Could not parse request body as JSON: {field} must be an object"),
        )),
    }
}

fn random_password() -> String {
    let mut rng = rand::thread_rng();
    (0..64).map(|_| char::from(rng.gen_range(b'!'..=b'~'))).collect()
}

// ---------------------------------------------------------------- users

/// A user as the admin list shows it: relations are not loaded.
fn list_entry(u: &User) -> Value {
    let mut v = u.to_json();
    if let Some(o) = v.as_object_mut() {
        o.insert("identities".into(), Value::Null);
        o.remove("factors");
    }
    v
}

fn parse_page_param(q: &Query, key: &str, default: u64) -> Result<u64, ApiError> {
    match q.get(key) {
        None | Some("") => Ok(default),
        Some(v) => v.parse::<u64>().map_err(|e| {
            ApiError::validation(format!("Bad Pagination Parameters: strconv.ParseUint: parsing {v:?}: {e}"))
        }),
    }
}

pub async fn list_users(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.clone());
    let page = parse_page_param(&q, "page", 1)?;
    let per_page = parse_page_param(&q, "per_page", 50)?;
    if per_page == 0 {
        return Err(ApiError::validation("Bad Pagination Parameters: per_page must be greater than 0"));
    }
    let ascending = match q.get("sort").map(str::trim).unwrap_or("") {
        "" => false,
        s => {
            let mut parts = s.split_whitespace();
            let field = parts.next().unwrap_or("");
            let dir = parts.next().unwrap_or("desc").to_ascii_lowercase();
            if field != "created_at" || parts.next().is_some() || !(dir == "asc" || dir == "desc") {
                return Err(ApiError::validation(format!("Bad Sort Parameters: {s:?} is not a valid sort")));
            }
            dir == "asc"
        }
    };
    let filter = q.get("filter").unwrap_or("").to_string();

    let store = st.lock();
    require_admin(&st, &headers, &store)?;
    let mut users: Vec<&User> = store
        .users
        .values()
        .filter(|u| u.aud == AUD)
        .filter(|u| {
            filter.is_empty()
                || u.email.contains(&filter)
                || u.user_metadata
                    .get("full_name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.to_lowercase().contains(&filter.to_lowercase()))
        })
        .collect();
    users.sort_by_key(|u| (u.created_at, u.id));
    if !ascending {
        users.reverse();
    }
    let total = users.len() as u64;
    let skip = page.saturating_sub(1).saturating_mul(per_page);
    let listed: Vec<Value> = users
        .iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(per_page).unwrap_or(usize::MAX))
        .map(|u| list_entry(u))
        .collect();
    drop(store);

    let total_pages = total.div_ceil(per_page);
    let base = match raw.as_deref() {
        Some(r) if !r.is_empty() => format!("/admin/users?{r}"),
        _ => "/admin/users".to_string(),
    };
    let link_to = |p: u64| with_query(&base, &owned_pairs(&[("page", &p.to_string())]), None);
    let mut link = String::new();
    if total_pages > page {
        link.push_str(&format!("<{}>; rel=\"next\", ", link_to(page + 1)));
    }
    link.push_str(&format!("<{}>; rel=\"last\"", link_to(total_pages)));

    let mut resp = ok(json!({ "users": listed, "aud": AUD }));
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&link) {
        h.insert(header::LINK, v);
    }
    h.insert("x-total-count", HeaderValue::from(total));
    Ok(resp)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AdminUserParams {
    id: Option<String>,
    aud: Option<String>,
    role: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    password: Option<String>,
    password_hash: Option<String>,
    email_confirm: Option<bool>,
    phone_confirm: Option<bool>,
    user_metadata: Option<Value>,
    app_metadata: Option<Value>,
    ban_duration: Option<String>,
}

fn identity_data(user: &User, email: Option<&str>, phone: Option<&str>) -> Map<String, Value> {
    let mut d = Map::new();
    d.insert("sub".into(), json!(user.id.to_string()));
    if let Some(e) = email {
        d.insert("email".into(), json!(e));
    }
    if let Some(p) = phone {
        d.insert("phone".into(), json!(p));
    }
    d.insert("email_verified".into(), json!(false));
    d.insert("phone_verified".into(), json!(false));
    d
}

pub async fn create_user(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    let p: AdminUserParams = read_json(body).await?;
    let user_metadata = object(&p.user_metadata, "user_metadata")?;
    let app_metadata = object(&p.app_metadata, "app_metadata")?;
    let email = given(&p.email).map(|e| validate::email(e, 400)).transpose()?;
    let phone = given(&p.phone).map(validate::phone).transpose()?;
    if email.is_none() && phone.is_none() {
        return Err(ApiError::validation("Cannot create a user without either an email or phone"));
    }
    let id = match given(&p.id) {
        Some(raw) => Some(Uuid::parse_str(raw).map_err(|_| ApiError::validation("id must be a valid UUID"))?),
        None => None,
    };
    let hash = match (given(&p.password), given(&p.password_hash)) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation("Only a password or a password hash should be provided"))
        }
        (None, Some(h)) => {
            let bcrypt_like = ["$2a$", "$2b$", "$2y$"].iter().any(|p| h.starts_with(p));
            if !bcrypt_like {
                return Err(ApiError::validation(
                    "Invalid password hash format: only bcrypt hashes are supported by this server",
                ));
            }
            h.to_string()
        }
        (pw, None) => {
            // Creating a user does not apply the password policy.
            let pw = pw.map_or_else(random_password, str::to_string);
            if pw.len() > 72 {
                return Err(ApiError::validation("Password cannot be longer than 72 characters"));
            }
            bcrypt::hash(pw, BCRYPT_COST).map_err(internal)?
        }
    };

    let now = st.now();
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    if let Some(e) = &email {
        if store.user_by_email(e).is_some() {
            return Err(ApiError::unprocessable("email_exists", DUPLICATE_EMAIL));
        }
    }
    if let Some(ph) = &phone {
        if store.user_by_phone(ph).is_some() {
            return Err(ApiError::unprocessable("phone_exists", "Phone number already registered by another user"));
        }
    }
    let mut user = User::new(now);
    if let Some(id) = id {
        if store.users.contains_key(&id) {
            return Err(ApiError::unprocessable("user_already_exists", "User already exists"));
        }
        user.id = id;
    }
    if let Some(aud) = given(&p.aud) {
        user.aud = aud.to_string();
    }
    user.role = given(&p.role).unwrap_or("authenticated").to_string();
    user.password_hash = Some(hash);
    user.user_metadata = user_metadata.unwrap_or_default();
    let mut providers = Vec::new();
    if let Some(e) = &email {
        user.email = e.clone();
        let data = identity_data(&user, Some(e), None);
        user.ensure_identity("email", data, now);
        providers.push("email");
    }
    if let Some(ph) = &phone {
        user.phone = ph.clone();
        let data = identity_data(&user, None, Some(ph));
        user.ensure_identity("phone", data, now);
        providers.push("phone");
    }
    user.app_metadata = Map::new();
    user.app_metadata.insert("provider".into(), json!(providers[0]));
    user.app_metadata.insert("providers".into(), json!(providers));
    if let Some(m) = &app_metadata {
        merge(&mut user.app_metadata, m);
    }
    if p.email_confirm == Some(true) && !user.email.is_empty() {
        user.confirm_email(now);
    }
    if p.phone_confirm == Some(true) && !user.phone.is_empty() {
        user.confirm_phone(now);
    }
    if let Some(ban) = given(&p.ban_duration) {
        apply_ban(&mut user, ban, now)?;
    }
    let out = user.to_json();
    store.users.insert(user.id, user);
    Ok(ok(out))
}

pub async fn get_user(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let store = st.lock();
    require_admin(&st, &headers, &store)?;
    let id = user_id_of(path)?;
    Ok(ok(load_user(&store, id)?.to_json()))
}

pub async fn update_user(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    let id = user_id_of(path)?;
    let p: AdminUserParams = read_json(body).await?;
    let user_metadata = object(&p.user_metadata, "user_metadata")?;
    let app_metadata = object(&p.app_metadata, "app_metadata")?;
    let email = given(&p.email).map(|e| validate::email(e, 400)).transpose()?;
    let phone = given(&p.phone).map(validate::phone).transpose()?;
    let hash = match p.password.as_deref() {
        Some(pw) => {
            validate::new_password(&st.cfg, pw)?;
            Some(bcrypt::hash(pw, BCRYPT_COST).map_err(internal)?)
        }
        None => None,
    };

    let now = st.now();
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    let mut user = load_user(&store, id)?;
    if let Some(ban) = given(&p.ban_duration) {
        apply_ban(&mut user, ban, now)?;
    }
    if let Some(role) = given(&p.role) {
        user.role = role.to_string();
    }
    if let Some(h) = hash {
        user.password_hash = Some(h);
    }
    if let Some(e) = &email {
        if store.user_by_email(e).is_some_and(|other| other != id) {
            return Err(ApiError::unprocessable("email_exists", DUPLICATE_EMAIL));
        }
        match user.identity_mut("email") {
            Some(i) => {
                i.identity_data.insert("email".into(), json!(e));
                i.updated_at = now;
            }
            None => {
                let data = identity_data(&user, Some(e), None);
                user.ensure_identity("email", data, now);
            }
        }
        if user.user_metadata.contains_key("email") {
            user.user_metadata.insert("email".into(), json!(e));
        }
        user.email = e.clone();
        user.is_anonymous = false;
    }
    if let Some(ph) = &phone {
        if store.user_by_phone(ph).is_some_and(|other| other != id) {
            return Err(ApiError::unprocessable("phone_exists", "Phone number already registered by another user"));
        }
        match user.identity_mut("phone") {
            Some(i) => {
                i.identity_data.insert("phone".into(), json!(ph));
                i.updated_at = now;
            }
            None => {
                let data = identity_data(&user, None, Some(ph));
                user.ensure_identity("phone", data, now);
            }
        }
        user.phone = ph.clone();
        user.is_anonymous = false;
    }
    if p.email_confirm == Some(true) && !user.email.is_empty() {
        user.confirm_email(now);
    }
    if p.phone_confirm == Some(true) && !user.phone.is_empty() {
        user.confirm_phone(now);
    }
    if let Some(m) = &app_metadata {
        merge(&mut user.app_metadata, m);
    }
    if let Some(m) = &user_metadata {
        merge(&mut user.user_metadata, m);
    }
    user.updated_at = now;
    let out = user.to_json();
    store.users.insert(id, user);
    Ok(ok(out))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeleteParams {
    should_soft_delete: bool,
}

/// A stable, unguessable stand-in for a deleted user's address.
fn obfuscate(id: Uuid, value: &str) -> String {
    let digest = Sha256::digest(format!("{id}{value}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn delete_user(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    let id = user_id_of(path)?;
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "request_entity_too_large", "Request body too large"))?;
    let p: DeleteParams = if bytes.iter().all(u8::is_ascii_whitespace) {
        DeleteParams::default()
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::bad_request("bad_json", format!("Could not read params: {e}")))?
    };
    let now = st.now();
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    let mut user = load_user(&store, id)?;
    let sessions: Vec<Uuid> = store.sessions.values().filter(|s| s.user_id == id).map(|s| s.id).collect();
    for s in sessions {
        store.delete_session(s);
    }
    store.refresh_tokens.retain(|_, t| t.user_id != id);
    store.flow_states.retain(|f| f.user_id != id);
    if !p.should_soft_delete {
        store.users.remove(&id);
        return Ok(ok(json!({})));
    }
    if user.deleted_at.is_none() {
        if !user.email.is_empty() {
            user.email = format!("{}@deleted.invalid", obfuscate(id, &user.email));
        }
        if !user.phone.is_empty() {
            user.phone = obfuscate(id, &user.phone);
        }
        user.new_email.clear();
        user.new_phone.clear();
        user.password_hash = None;
        user.email_confirmation = None;
        user.phone_confirmation = None;
        user.recovery = None;
        user.email_change_current = None;
        user.email_change_new = None;
        user.phone_change = None;
        user.reauthentication = None;
        user.user_metadata = Map::new();
        user.app_metadata = Map::new();
        for i in &mut user.identities {
            i.provider_id = obfuscate(id, &i.provider_id);
            i.identity_data = Map::new();
            i.updated_at = now;
        }
        user.factors.clear();
        user.passkeys.clear();
        user.deleted_at = Some(now);
        user.updated_at = now;
        store.users.insert(id, user);
    }
    Ok(ok(json!({})))
}

// ---------------------------------------------------------------- factors

pub async fn list_factors(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let store = st.lock();
    require_admin(&st, &headers, &store)?;
    let user = load_user(&store, user_id_of(path)?)?;
    let factors: Vec<Value> = user.factors.iter().map(|f| f.to_json()).collect();
    Ok(ok(Value::Array(factors)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FactorUpdateParams {
    friendly_name: Option<String>,
    phone: Option<String>,
}

fn factor_not_found() -> ApiError {
    ApiError::not_found("mfa_factor_not_found", "Factor not found")
}

pub async fn update_factor(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    let (uid, fid) = ids_of(path)?;
    let p: FactorUpdateParams = read_json(body).await?;
    let now = st.now();
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    let mut user = load_user(&store, uid)?;
    let factor = user.factors.iter_mut().find(|f| f.id == fid).ok_or_else(factor_not_found)?;
    if let Some(name) = &p.friendly_name {
        factor.friendly_name = name.clone();
    }
    if let Some(raw) = given(&p.phone) {
        if factor.factor_type != crate::factor::FactorType::Phone {
            return Err(ApiError::validation("Phone can only be updated on a phone factor"));
        }
        factor.phone = validate::phone(raw)?;
    }
    factor.updated_at = now;
    let out = factor.to_json();
    store.users.insert(uid, user);
    Ok(ok(out))
}

pub async fn delete_factor(
    State(st): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    let (uid, fid) = ids_of(path)?;
    let mut user = load_user(&store, uid)?;
    let idx = user.factors.iter().position(|f| f.id == fid).ok_or_else(factor_not_found)?;
    let removed = user.factors.remove(idx);
    store.users.insert(uid, user);
    super::mfa::downgrade_sessions(&mut store, &removed);
    Ok(ok(removed.to_json()))
}

// ---------------------------------------------------------------- invite & links

fn new_slot(address: &str, ttl: i64, now: Ts) -> TokenSlot {
    let otp = random_otp();
    TokenSlot { hash: token_hash(address, &otp), otp, sent_at: now, ttl_secs: ttl }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InviteParams {
    email: Option<String>,
    data: Option<Value>,
}

pub async fn invite(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    let p: InviteParams = read_json(body).await?;
    let data = object(&p.data, "data")?.unwrap_or_default();
    let email = validate::email(p.email.as_deref().unwrap_or(""), 400)?;
    let redirect = redirect_for(&st, &headers, &Query::parse(q));
    let now = st.now();
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    let mut user = match store.user_by_email(&email) {
        Some(id) => {
            let u = store.users[&id].clone();
            if u.email_confirmed_at.is_some() {
                return Err(ApiError::unprocessable("email_exists", DUPLICATE_EMAIL));
            }
            u
        }
        None => new_user(&email, false, None, data, now),
    };
    let slot = new_slot(&email, st.cfg.otp_exp, now);
    let mail = MailMessage::new(&st.external_url, &email, MailKind::Invite, &slot, &redirect);
    user.email_confirmation = Some(slot);
    user.confirmation_sent_at = Some(now);
    user.invited_at = Some(now);
    user.updated_at = now;
    let out = user.to_json();
    store.users.insert(user.id, user);
    store.mailbox.insert(mailbox_key(&mail.to), mail);
    Ok(ok(out))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GenerateLinkParams {
    #[serde(rename = "type")]
    kind: Option<String>,
    email: Option<String>,
    new_email: Option<String>,
    password: Option<String>,
    data: Option<Value>,
    redirect_to: Option<String>,
}

pub async fn generate_link(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    require_admin(&st, &headers, &st.lock())?;
    let p: GenerateLinkParams = read_json(body).await?;
    let data = object(&p.data, "data")?;
    let email = validate::email(p.email.as_deref().unwrap_or(""), 400)?;
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok());
    let redirect = choose_redirect(&st.cfg, given(&p.redirect_to), referer);
    let mut kind = p.kind.clone().unwrap_or_default();

    let existing = st.lock().user_by_email(&email);
    if existing.is_none() {
        match kind.as_str() {
            "magiclink" => kind = "signup".into(),
            "recovery" | "email_change_current" | "email_change_new" => {
                return Err(ApiError::not_found("user_not_found", "User with this email not found"))
            }
            _ => {}
        }
    }
    // A new sign-up gets a password: the given one (checked like /signup) or, for a magic link
    // that turned into a sign-up, a random one.
    let signup_hash = if kind == "signup" && existing.is_none() {
        let pw = match (p.kind.as_deref(), given(&p.password)) {
            (Some("magiclink"), _) => random_password(),
            (_, Some(pw)) => {
                validate::new_password(&st.cfg, pw)?;
                pw.to_string()
            }
            (_, None) => return Err(ApiError::validation("Signup requires a valid password")),
        };
        Some(bcrypt::hash(pw, BCRYPT_COST).map_err(internal)?)
    } else {
        None
    };
    let new_email = if kind.starts_with("email_change") {
        Some(validate::email(p.new_email.as_deref().unwrap_or(""), 400)?)
    } else {
        None
    };

    let now = st.now();
    let ttl = st.cfg.otp_exp;
    let mut store = st.lock();
    require_admin(&st, &headers, &store)?;
    let existing = store.user_by_email(&email);
    let mut user = match existing {
        Some(id) => store.users[&id].clone(),
        None if matches!(kind.as_str(), "signup" | "invite") => {
            let data = data.clone().unwrap_or_default();
            let mut u = new_user(&email, false, signup_hash.clone(), data.clone(), now);
            if kind == "signup" {
                // GoTrue's generate_link sign-up answers with the caller's data alone as
                // user_metadata; sub, email and the verified flags stay in the identity.
                u.user_metadata = data;
            }
            u
        }
        None if kind.starts_with("email_change") || kind == "recovery" => {
            return Err(ApiError::not_found("user_not_found", "User with this email not found"))
        }
        None => return Err(ApiError::validation(format!("Invalid email action link type requested: {kind}"))),
    };
    let (slot, mail_kind) = match kind.as_str() {
        "magiclink" | "recovery" => {
            let slot = new_slot(&email, ttl, now);
            user.recovery = Some(slot.clone());
            user.recovery_sent_at = Some(now);
            let mk = if kind == "magiclink" { MailKind::Magiclink } else { MailKind::Recovery };
            (slot, mk)
        }
        "signup" | "invite" => {
            if existing.is_some() && user.email_confirmed_at.is_some() {
                return Err(ApiError::unprocessable("email_exists", DUPLICATE_EMAIL));
            }
            if existing.is_some() && kind == "signup" {
                if let Some(d) = &data {
                    merge(&mut user.user_metadata, d);
                }
            }
            let slot = new_slot(&email, ttl, now);
            user.email_confirmation = Some(slot.clone());
            user.confirmation_sent_at = Some(now);
            if kind == "invite" {
                user.invited_at = Some(now);
                (slot, MailKind::Invite)
            } else {
                (slot, MailKind::Signup)
            }
        }
        "email_change_current" | "email_change_new" => {
            let new_email = new_email.unwrap_or_default();
            if store.user_by_email(&new_email).is_some_and(|o| o != user.id) {
                return Err(ApiError::unprocessable("email_exists", DUPLICATE_EMAIL));
            }
            if user.new_email != new_email {
                user.email_change_current = None;
                user.email_change_new = None;
            }
            user.new_email = new_email.clone();
            user.email_change_sent_at = Some(now);
            if kind == "email_change_current" {
                let slot = new_slot(&email, ttl, now);
                user.email_change_current = Some(slot.clone());
                (slot, MailKind::EmailChangeCurrent)
            } else {
                let slot = new_slot(&new_email, ttl, now);
                user.email_change_new = Some(slot.clone());
                (slot, MailKind::EmailChangeNew)
            }
        }
        _ => return Err(ApiError::validation(format!("Invalid email action link type requested: {kind}"))),
    };
    user.updated_at = now;
    let link = MailMessage::new(&st.external_url, &email, mail_kind, &slot, &redirect).link;
    let mut out = match user.to_json() {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    out.insert("action_link".into(), json!(link));
    out.insert("email_otp".into(), json!(slot.otp));
    out.insert("hashed_token".into(), json!(slot.hash));
    out.insert("verification_type".into(), json!(kind));
    out.insert("redirect_to".into(), json!(redirect));
    store.users.insert(user.id, user);
    Ok(ok(Value::Object(out)))
}

#[cfg(test)]
mod tests {
    use super::parse_go_duration;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("24h"), Some(86_400_000_000));
        assert_eq!(parse_go_duration("1h30m"), Some(5_400_000_000));
        assert_eq!(parse_go_duration("-1.5h"), Some(-5_400_000_000));
        assert_eq!(parse_go_duration("300ms"), Some(300_000));
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration(""), None);
        assert_eq!(parse_go_duration("12"), None);
        assert_eq!(parse_go_duration("1d"), None);
        assert_eq!(parse_go_duration("h"), None);
        assert_eq!(parse_go_duration("99999999999h"), None);
    }
}
