//! `POST /signup` (contract §4.2): e-mail, phone or anonymous sign-up.

use super::{given, internal, ok, read_json, redirect_for, Query, BCRYPT_COST};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::mailer::Mailer;
use crate::models::User;
use crate::state::AppState;
use crate::tokens::issue_session;
use crate::validate;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Map, Value};

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignupParams {
    email: Option<String>,
    phone: Option<String>,
    password: Option<String>,
    data: Option<Map<String, Value>>,
    channel: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// A new, unconfirmed e-mail or phone user with its identity. GoTrue mirrors the identity data
/// (`sub`, `email`, `*_verified`) into user_metadata next to the caller's `data`.
pub fn new_user(
    address: &str,
    is_phone: bool,
    password_hash: Option<String>,
    data: Map<String, Value>,
    now: Ts,
) -> User {
    let mut u = User::new(now);
    let mut identity_data = data;
    identity_data.insert("sub".into(), json!(u.id.to_string()));
    if is_phone {
        u.phone = address.into();
        identity_data.insert("phone".into(), json!(address));
    } else {
        u.email = address.into();
        identity_data.insert("email".into(), json!(address));
    }
    identity_data.insert("email_verified".into(), json!(false));
    identity_data.insert("phone_verified".into(), json!(false));
    u.user_metadata = identity_data.clone();
    u.password_hash = password_hash;
    let provider = if is_phone { "phone" } else { "email" };
    u.ensure_identity(provider, identity_data, now);
    u
}

/// What an existing confirmed account gets back when auto-confirm is off, so that the response
/// does not reveal that the account exists.
fn obfuscated_user(real: &User, is_phone: bool, data: Map<String, Value>, now: Ts) -> Value {
    let mut u = User::new(now);
    u.role = String::new();
    u.email = real.email.clone();
    u.phone = real.phone.clone();
    u.user_metadata = data;
    u.confirmation_sent_at = Some(now);
    let provider = if is_phone { "phone" } else { "email" };
    u.app_metadata.insert("provider".into(), json!(provider));
    u.app_metadata.insert("providers".into(), json!([provider]));
    u.to_json()
}

fn anonymous(st: &AppState, data: Map<String, Value>) -> Result<Response, ApiError> {
    if !st.cfg.anonymous {
        return Err(ApiError::unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled"));
    }
    let now = st.now();
    let mut u = User::new(now);
    u.is_anonymous = true;
    u.user_metadata = data;
    let id = u.id;
    let mut store = st.lock();
    store.users.insert(id, u);
    Ok(ok(Value::Object(issue_session(st, &mut store, id, "anonymous", now))))
}

pub async fn signup(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let cfg = st.cfg.clone();
    if cfg.disable_signup {
        return Err(ApiError::unprocessable("signup_disabled", "Signups not allowed for this instance"));
    }
    let p: SignupParams = read_json(body).await?;
    let data = p.data.clone().unwrap_or_default();
    let (email, phone) = (given(&p.email), given(&p.phone));
    let is_phone = match (email, phone) {
        (None, None) => return anonymous(&st, data),
        (Some(_), Some(_)) => {
            return Err(ApiError::validation("Only an email address or phone number should be provided on signup."))
        }
        (None, Some(_)) => true,
        (Some(_), None) => false,
    };
    if is_phone && !cfg.phone {
        return Err(ApiError::bad_request("phone_provider_disabled", "Phone signups are disabled"));
    }
    let password = given(&p.password).ok_or_else(|| ApiError::validation("Signup requires a valid password"))?;
    validate::new_password(&cfg, password)?;
    let pkce = validate::pkce(p.code_challenge.as_deref(), p.code_challenge_method.as_deref())?;
    if is_phone {
        if pkce.is_some() {
            return Err(ApiError::validation("PKCE not supported for phone signups"));
        }
        if !matches!(given(&p.channel), None | Some("sms") | Some("whatsapp")) {
            return Err(ApiError::validation("Invalid channel"));
        }
    }
    let address = match (email, phone) {
        (Some(e), _) => validate::email(e, 400)?,
        (_, Some(ph)) => validate::phone(ph)?,
        _ => unreachable!("one of email or phone is present"),
    };
    let redirect = redirect_for(&st, &headers, &Query::parse(q));
    let hash = bcrypt::hash(password, BCRYPT_COST).map_err(internal)?;

    let now = st.now();
    let mut store = st.lock();
    let existing = if is_phone { store.user_by_phone(&address) } else { store.user_by_email(&address) };
    let mut user = match existing {
        Some(id) => {
            let u = store.users[&id].clone();
            let confirmed = if is_phone { u.phone_confirmed_at.is_some() } else { u.email_confirmed_at.is_some() };
            if confirmed {
                if cfg.autoconfirm || cfg.sms_autoconfirm {
                    return Err(ApiError::unprocessable("user_already_exists", "User already registered"));
                }
                return Ok(ok(obfuscated_user(&u, is_phone, data, now)));
            }
            // An unconfirmed account is left as it is (we cannot tell who is asking); it only
            // gets a fresh confirmation.
            u
        }
        None => new_user(&address, is_phone, Some(hash), data, now),
    };

    let autoconfirm = if is_phone { cfg.sms_autoconfirm } else { cfg.autoconfirm };
    if autoconfirm {
        if is_phone {
            user.confirm_phone(now);
        } else {
            user.confirm_email(now);
        }
        let id = user.id;
        store.users.insert(id, user);
        return Ok(ok(Value::Object(issue_session(&st, &mut store, id, "password", now))));
    }

    let mut mailer = Mailer::new(&st, now);
    if is_phone {
        mailer.sms_confirmation(&mut user)?;
    } else {
        mailer.confirmation(&mut user, &redirect, pkce.as_ref())?;
    }
    user.updated_at = now;
    let out = user.to_json();
    store.users.insert(user.id, user);
    mailer.commit(&mut store);
    Ok(ok(out))
}
