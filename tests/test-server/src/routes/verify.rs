//! `POST /verify` and `GET /verify` (contract §4.6, §5.1, §5.2).

use super::{given, ok, read_json, redirect_for, redirect_response, Query};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::models::{TokenSlot, User};
use crate::redirect::{encode_pairs, oauth_error, owned_pairs as pairs, with_fragment, with_query};
use crate::state::{AppState, Store};
use crate::tokens::issue_session;
use crate::validate;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

const HALF_CONFIRMED: &str = "Confirmation link accepted. Please proceed to confirm link sent to the other email";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SlotKind {
    EmailConfirmation,
    PhoneConfirmation,
    Recovery,
    EmailChangeCurrent,
    EmailChangeNew,
    PhoneChange,
}

use SlotKind::*;

/// Which pending tokens a verification type may redeem. `email` lets the server pick between
/// the confirmation and the magic-link/recovery token; `magiclink` also accepts the sign-up
/// confirmation that unknown addresses receive instead of a magic link.
fn slots_for(kind: &str) -> Option<&'static [SlotKind]> {
    Some(match kind {
        "signup" | "invite" => &[EmailConfirmation],
        "magiclink" => &[Recovery, EmailConfirmation],
        "recovery" => &[Recovery],
        "email" => &[EmailConfirmation, Recovery],
        "email_change" => &[EmailChangeCurrent, EmailChangeNew],
        "sms" => &[PhoneConfirmation],
        "phone_change" => &[PhoneChange],
        _ => return None,
    })
}

fn slot(u: &User, k: SlotKind) -> Option<&TokenSlot> {
    match k {
        EmailConfirmation => u.email_confirmation.as_ref(),
        PhoneConfirmation => u.phone_confirmation.as_ref(),
        Recovery => u.recovery.as_ref(),
        EmailChangeCurrent => u.email_change_current.as_ref(),
        EmailChangeNew => u.email_change_new.as_ref(),
        PhoneChange => u.phone_change.as_ref(),
    }
}

/// The address an OTP for this slot was sent to.
fn slot_address(u: &User, k: SlotKind) -> &str {
    match k {
        EmailConfirmation | Recovery | EmailChangeCurrent => &u.email,
        EmailChangeNew => &u.new_email,
        PhoneConfirmation => &u.phone,
        PhoneChange => &u.new_phone,
    }
}

enum Via<'a> {
    Otp { address: &'a str, token: &'a str },
    Hash(&'a str),
}

fn find(store: &Store, kinds: &[SlotKind], via: &Via, now: Ts) -> Result<(Uuid, SlotKind), ApiError> {
    let expired = || match via {
        Via::Otp { .. } => ApiError::forbidden("otp_expired", "Token has expired or is invalid"),
        Via::Hash(_) => ApiError::forbidden("otp_expired", "Email link is invalid or has expired"),
    };
    for u in store.users.values() {
        for &k in kinds {
            let Some(s) = slot(u, k) else { continue };
            let hit = match via {
                Via::Otp { address, token } => slot_address(u, k) == *address && s.otp == *token,
                Via::Hash(h) => s.hash == *h,
            };
            if hit {
                return if s.is_expired(now) { Err(expired()) } else { Ok((u.id, k)) };
            }
        }
    }
    Err(expired())
}

enum Outcome {
    Done,
    /// Secure e-mail change with one of the two links still outstanding.
    HalfEmailChange,
}

fn apply(user: &mut User, k: SlotKind, now: Ts) -> Outcome {
    match k {
        EmailConfirmation => user.confirm_email(now),
        PhoneConfirmation => user.confirm_phone(now),
        Recovery => {
            user.recovery = None;
            // Following a link proves control of the address.
            if user.email_confirmed_at.is_none() {
                user.confirm_email(now);
            }
        }
        EmailChangeCurrent | EmailChangeNew => {
            let other_pending = if k == EmailChangeCurrent {
                user.email_change_current = None;
                user.email_change_new.is_some()
            } else {
                user.email_change_new = None;
                user.email_change_current.is_some()
            };
            if other_pending {
                user.updated_at = now;
                return Outcome::HalfEmailChange;
            }
            let new_email = user.new_email.clone();
            user.apply_email_change(&new_email, now);
        }
        PhoneChange => {
            let new_phone = user.new_phone.clone();
            user.apply_phone_change(&new_phone, now);
        }
    }
    user.updated_at = now;
    Outcome::Done
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VerifyParams {
    #[serde(rename = "type")]
    kind: Option<String>,
    token: Option<String>,
    token_hash: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    redirect_to: Option<String>,
}

pub async fn verify_post(State(st): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let p: VerifyParams = read_json(body).await?;
    let kind = given(&p.kind).ok_or_else(|| ApiError::validation("Verify requires a verification type"))?;
    let kinds = slots_for(kind).ok_or_else(|| ApiError::validation("Unsupported verification type"))?;
    let (email, phone) = (given(&p.email), given(&p.phone));
    let address;
    let via = match (given(&p.token), given(&p.token_hash)) {
        (None, Some(h)) => {
            if email.is_some() || phone.is_some() || given(&p.redirect_to).is_some() {
                return Err(ApiError::validation("Only the token_hash and type should be provided"));
            }
            Via::Hash(h)
        }
        (Some(token), None) => {
            if email.is_some() && phone.is_some() {
                return Err(ApiError::validation("Only an email address or phone number should be provided on verify"));
            }
            address = if matches!(kind, "sms" | "phone_change") {
                let ph = phone.ok_or_else(|| ApiError::validation("Verify requires a phone number for this type"))?;
                validate::phone(ph)?
            } else {
                let e = email.ok_or_else(|| ApiError::validation("Verify requires an email address for this type"))?;
                validate::email(e, 422)?
            };
            Via::Otp { address: &address, token }
        }
        _ => return Err(ApiError::validation("Verify requires either a token or a token hash")),
    };

    let now = st.now();
    let mut store = st.lock();
    let (uid, k) = find(&store, kinds, &via, now)?;
    let mut user = store.users[&uid].clone();
    let outcome = apply(&mut user, k, now);
    store.users.insert(uid, user);
    match outcome {
        Outcome::HalfEmailChange => Ok(ok(json!({ "msg": HALF_CONFIRMED, "code": "200" }))),
        Outcome::Done => Ok(ok(Value::Object(issue_session(&st, &mut store, uid, "otp", now)))),
    }
}

/// The flow state a PKCE link belongs to: the user's newest unredeemed one for this kind of
/// mail, else their newest unredeemed one of any kind.
fn find_flow(store: &Store, user_id: Uuid, k: SlotKind) -> Result<usize, ApiError> {
    let methods: &[&str] = match k {
        EmailConfirmation => &["email/signup", "invite"],
        Recovery => &["magiclink", "recovery"],
        EmailChangeCurrent | EmailChangeNew => &["email_change"],
        PhoneConfirmation | PhoneChange => &[],
    };
    let open = |f: &&crate::models::FlowState| f.user_id == user_id && f.auth_code_issued_at.is_none();
    let flows = &store.flow_states;
    flows
        .iter()
        .enumerate()
        .rev()
        .find(|(_, f)| open(f) && methods.contains(&f.authentication_method.as_str()))
        .or_else(|| flows.iter().enumerate().rev().find(|(_, f)| open(f)))
        .map(|(i, _)| i)
        .ok_or_else(|| ApiError::not_found("flow_state_not_found", "Flow state not found"))
}

fn error_location(redirect: &str, e: &ApiError, is_pkce: bool) -> String {
    let mut p = Vec::new();
    if let Some(err) = oauth_error(e.status.as_u16()) {
        p.push(("error", err));
    }
    p.push(("error_code", e.code));
    p.push(("error_description", e.msg.as_str()));
    let query = pairs(&p);
    p.push(("sb", ""));
    let fragment = encode_pairs(&pairs(&p));
    if is_pkce {
        with_query(redirect, &query, Some(&fragment))
    } else {
        with_fragment(redirect, &fragment)
    }
}

fn see_other(location: &str) -> Response {
    redirect_response(StatusCode::SEE_OTHER, location)
}

pub async fn verify_get(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(q);
    let token = q
        .get("token")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::validation("Verify requires a token or a token hash"))?;
    let kind = q
        .get("type")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::validation("Verify requires a verification type"))?;
    if !matches!(kind, "signup" | "invite" | "recovery" | "magiclink" | "email_change") {
        return Err(ApiError::validation("Unsupported verification type"));
    }
    let kinds = slots_for(kind).unwrap_or(&[]);
    let redirect = redirect_for(&st, &headers, &q);
    let is_pkce = token.starts_with("pkce_");

    let result = (|| -> Result<String, ApiError> {
        let now = st.now();
        let mut store = st.lock();
        let (uid, k) = find(&store, kinds, &Via::Hash(token), now)?;
        let flow_idx = if is_pkce { Some(find_flow(&store, uid, k)?) } else { None };
        let mut user = store.users[&uid].clone();
        let outcome = apply(&mut user, k, now);
        store.users.insert(uid, user);
        if let Outcome::HalfEmailChange = outcome {
            let fragment = encode_pairs(&pairs(&[("message", HALF_CONFIRMED), ("sb", "")]));
            return Ok(if is_pkce {
                with_query(&redirect, &pairs(&[("message", HALF_CONFIRMED)]), Some(&fragment))
            } else {
                with_fragment(&redirect, &fragment)
            });
        }
        if let Some(i) = flow_idx {
            let flow = &mut store.flow_states[i];
            flow.auth_code_issued_at = Some(now);
            let code = flow.auth_code.to_string();
            return Ok(with_query(&redirect, &pairs(&[("code", &code)]), None));
        }
        let session = issue_session(&st, &mut store, uid, "otp", now);
        let field = |k: &str| match session.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        let fragment = encode_pairs(&[
            ("access_token".into(), field("access_token")),
            ("expires_at".into(), field("expires_at")),
            ("expires_in".into(), field("expires_in")),
            ("refresh_token".into(), field("refresh_token")),
            ("sb".into(), String::new()),
            ("token_type".into(), "bearer".into()),
            ("type".into(), kind.to_string()),
        ]);
        // Appended after a literal '#', exactly as GoTrue does, even if one is already there.
        Ok(format!("{redirect}#{fragment}"))
    })();
    Ok(match result {
        Ok(loc) => see_other(&loc),
        Err(e) => see_other(&error_location(&redirect, &e, is_pkce)),
    })
}
