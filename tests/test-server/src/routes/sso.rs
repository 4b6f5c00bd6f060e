//! `POST /sso` (contract §4.14) with a built-in fake SAML identity provider (needs `--saml`).
//!
//! One provider is registered: id `00000000-0000-4000-8000-00000000a551`, domain
//! `sso.example.com`. `/sso` sends the browser to the fake IdP's sign-in page,
//! `GET /__test/sso/idp?state=<uuid>`: a GET form with an e-mail input (`#email`) and a
//! `#sign-in` button that comes back to the same URL with `auto=1&email=…` (add those to skip the
//! page). The IdP then redirects to `GET /sso/saml/acs?RelayState=<state>&SAMLResponse=<opaque>`
//! (real IdPs POST a signed assertion there; POST with a form body works too), which signs the
//! user in — identity provider `sso:<uuid>`, `id` = the e-mail (the NameID), AMR `sso/saml` — and
//! redirects 302 to `redirect_to` with the implicit fragment (no `type`) or `?code=` (PKCE).

use super::external_identity::{self, External};
use super::{given, ok, read_json, redirect_response, Query, MAX_BODY};
use crate::clock::Ts;
use crate::errors::ApiError;
use crate::models::{ChallengeMethod, FlowState};
use crate::redirect::{choose_redirect, encode_pairs, oauth_error, owned_pairs, with_query};
use crate::routes::token::FLOW_STATE_EXPIRY_SECS;
use crate::state::{AppState, Store};
use crate::tokens::issue_session;
use crate::validate;
use axum::body::{to_bytes, Body};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// The fake SSO provider's id.
pub const SSO_PROVIDER_ID: &str = "00000000-0000-4000-8000-00000000a551";
/// The e-mail domain registered for it.
pub const SSO_DOMAIN: &str = "sso.example.com";
/// Path of the fake IdP's sign-in page.
pub const IDP_PATH: &str = "/__test/sso/idp";
/// How long an assertion issued by the fake IdP can be consumed at the ACS.
pub const ASSERTION_TTL_SECS: i64 = 600;

pub fn provider_id() -> Uuid {
    Uuid::parse_str(SSO_PROVIDER_ID).unwrap_or_default()
}

/// A sign-in between `POST /sso` and the ACS, keyed by its relay state.
#[derive(Clone, Debug)]
pub struct SsoFlow {
    pub provider_id: Uuid,
    pub redirect_to: String,
    pub code_challenge: Option<(String, ChallengeMethod)>,
    pub created_at: Ts,
}

/// What the fake IdP asserts about the user, redeemed once at the ACS.
#[derive(Clone, Debug)]
pub struct SsoAssertion {
    pub relay_state: Uuid,
    pub email: String,
    pub issued_at: Ts,
}

#[derive(Default)]
pub struct SsoStore {
    pub flows: HashMap<Uuid, SsoFlow>,
    pub assertions: HashMap<String, SsoAssertion>,
}

fn require_saml(st: &AppState) -> Result<(), ApiError> {
    if st.cfg.saml {
        Ok(())
    } else {
        Err(ApiError::not_found("saml_provider_disabled", "SAML 2.0 is disabled"))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SsoParams {
    provider_id: Option<String>,
    domain: Option<String>,
    redirect_to: Option<String>,
    skip_http_redirect: Option<bool>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// `POST /sso`.
pub async fn sso(State(st): State<AppState>, body: Body) -> Result<Response, ApiError> {
    require_saml(&st)?;
    let p: SsoParams = read_json(body).await?;
    // The id is a UUID field in GoTrue: anything else fails JSON decoding; the nil UUID is "unset".
    let id = match given(&p.provider_id) {
        Some(s) => Some(Uuid::parse_str(s).map_err(|e| {
            ApiError::bad_request("bad_json", format!("Could not parse request body as JSON: invalid UUID {s:?}: {e}"))
        })?)
        .filter(|id| !id.is_nil()),
        None => None,
    };
    let domain = given(&p.domain).map(|d| d.trim().to_ascii_lowercase());
    let found = match (id, &domain) {
        (Some(_), Some(_)) => return Err(ApiError::validation("Only one of provider_id or domain supported")),
        (None, None) => return Err(ApiError::validation("A provider_id or domain needs to be provided")),
        (Some(id), None) => (id == provider_id())
            .then_some(id)
            .ok_or_else(|| ApiError::not_found("sso_provider_not_found", "No such SSO provider"))?,
        (None, Some(d)) => (d == SSO_DOMAIN)
            .then(provider_id)
            .ok_or_else(|| ApiError::not_found("sso_provider_not_found", "No SSO provider assigned for this domain"))?,
    };
    let pkce = validate::pkce(p.code_challenge.as_deref(), p.code_challenge_method.as_deref())?;
    let redirect_to = choose_redirect(&st.cfg, given(&p.redirect_to), None);
    let now = st.now();
    let state = Uuid::new_v4();
    {
        let mut store = st.lock();
        // Abandoned sign-ins would pile up in a long-running demo server.
        store.sso.flows.retain(|_, f| now <= f.created_at.add_secs(FLOW_STATE_EXPIRY_SECS));
        store.sso.flows.insert(
            state,
            SsoFlow {
                provider_id: found,
                redirect_to,
                code_challenge: pkce.map(|p| (p.challenge, p.method)),
                created_at: now,
            },
        );
    }
    let url = format!("{}{IDP_PATH}?state={state}", st.external_url);
    if p.skip_http_redirect.unwrap_or(false) {
        return Ok(ok(json!({ "url": url })));
    }
    Ok(redirect_response(StatusCode::SEE_OTHER, &url))
}

// ---- the fake IdP ----

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn html(status: StatusCode, body: String) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn idp_error(msg: &str) -> Response {
    html(
        StatusCode::BAD_REQUEST,
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fake SSO provider</title></head>\n<body><h1>Fake SSO provider</h1><p id=\"error\">{}</p></body></html>\n",
            html_escape(msg)
        ),
    )
}

fn fresh_email() -> String {
    let id = Uuid::new_v4().simple().to_string();
    format!("sso-{}@{SSO_DOMAIN}", &id[..12])
}

/// `GET /__test/sso/idp?state=…[&auto=1&email=…]`.
pub async fn idp(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = Query::parse(q);
    let state_raw = q.get("state").unwrap_or("");
    let now = st.now();
    let state = Uuid::parse_str(state_raw)
        .ok()
        .filter(|s| st.lock().sso.flows.get(s).is_some_and(|f| now <= f.created_at.add_secs(FLOW_STATE_EXPIRY_SECS)));
    let Some(state) = state else {
        return idp_error("Unknown or expired sign-in request; start again from the app.");
    };
    match q.get("auto").unwrap_or("") {
        "" => sign_in_page(state, q.get("email").unwrap_or("")),
        "1" => {
            let email = match q.get("email").filter(|e| !e.trim().is_empty()) {
                Some(e) => match validate::email(e, 400) {
                    Ok(e) => e,
                    Err(err) => return idp_error(&err.msg),
                },
                None => fresh_email(),
            };
            let assertion = format!("fake-saml-{}", Uuid::new_v4().simple());
            st.lock()
                .sso
                .assertions
                .insert(assertion.clone(), SsoAssertion { relay_state: state, email, issued_at: now });
            let query = encode_pairs(&owned_pairs(&[("RelayState", &state.to_string()), ("SAMLResponse", &assertion)]));
            redirect_response(StatusCode::FOUND, &format!("{}/sso/saml/acs?{query}", st.external_url))
        }
        other => idp_error(&format!("auto must be 1, not {other:?}.")),
    }
}

fn sign_in_page(state: Uuid, email: &str) -> Response {
    let email = if email.is_empty() { fresh_email() } else { email.to_string() };
    html(
        StatusCode::OK,
        format!(
            r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Fake SSO provider</title>
</head>
<body>
  <h1>Fake SSO provider</h1>
  <p>Organisation: <strong id="domain">{SSO_DOMAIN}</strong> (provider <code id="provider-id">{SSO_PROVIDER_ID}</code>)</p>
  <form id="sso" method="get" action="{IDP_PATH}">
    <input type="hidden" name="state" value="{state}">
    <input type="hidden" name="auto" value="1">
    <label for="email">E-mail</label>
    <input id="email" name="email" type="email" value="{email}">
    <button id="sign-in" type="submit">Sign in</button>
  </form>
</body>
</html>
"#,
            email = html_escape(&email),
        ),
    )
}

// ---- the server's assertion consumer service ----

fn error_location(redirect_to: &str, e: &ApiError) -> String {
    let error = match e.code {
        "signup_disabled" | "user_banned" => "access_denied",
        _ => oauth_error(e.status.as_u16()).unwrap_or("server_error"),
    };
    let pairs = owned_pairs(&[("error", error), ("error_code", e.code), ("error_description", &e.msg)]);
    let mut fragment = pairs.clone();
    fragment.push(("sb".into(), String::new()));
    with_query(redirect_to, &pairs, Some(&encode_pairs(&fragment)))
}

/// `GET|POST /sso/saml/acs` with `RelayState` and `SAMLResponse` (query or form body).
pub async fn acs(State(st): State<AppState>, RawQuery(q): RawQuery, body: Body) -> Result<Response, ApiError> {
    require_saml(&st)?;
    let mut params = Query::parse(q);
    if let Ok(bytes) = to_bytes(body, MAX_BODY).await {
        params.extend_form(&bytes);
    }
    let now = st.now();
    let mut store = st.lock();
    let flow_id = params.get("RelayState").and_then(|s| Uuid::parse_str(s).ok());
    // A relay state is good for one sign-in.
    let flow = flow_id.and_then(|id| store.sso.flows.remove(&id).map(|f| (id, f)));
    let Some((flow_id, flow)) = flow else {
        return Err(ApiError::not_found(
            "saml_relay_state_not_found",
            "SAML RelayState does not exist, try logging in again?",
        ));
    };
    if now > flow.created_at.add_secs(FLOW_STATE_EXPIRY_SECS) {
        return Err(ApiError::unprocessable(
            "saml_relay_state_expired",
            "SAML RelayState has expired. Try logging in again?",
        ));
    }
    let assertion = params
        .get("SAMLResponse")
        .and_then(|a| store.sso.assertions.remove(a))
        .filter(|a| a.relay_state == flow_id && now <= a.issued_at.add_secs(ASSERTION_TTL_SECS));
    let location = match assertion {
        Some(a) => {
            complete(&st, &mut store, &flow, &a.email, now).unwrap_or_else(|e| error_location(&flow.redirect_to, &e))
        }
        None => {
            error_location(&flow.redirect_to, &ApiError::bad_request("validation_failed", "SAMLResponse is not valid"))
        }
    };
    Ok(redirect_response(StatusCode::FOUND, &location))
}

fn complete(st: &AppState, store: &mut Store, flow: &SsoFlow, email: &str, now: Ts) -> Result<String, ApiError> {
    let provider = format!("sso:{}", flow.provider_id);
    let mut data = Map::new();
    data.insert("iss".into(), json!(format!("{}{IDP_PATH}", st.external_url)));
    data.insert("sub".into(), json!(email));
    data.insert("email".into(), json!(email));
    data.insert("email_verified".into(), json!(true));
    data.insert("custom_claims".into(), json!({ "domain": SSO_DOMAIN }));
    let ext = External { provider, subject: email.to_string(), email: email.to_string(), email_verified: true, data };
    let user_id = external_identity::sign_in(st, store, &ext, now)?;
    if let Some((challenge, method)) = &flow.code_challenge {
        let auth_code = Uuid::new_v4();
        store.flow_states.push(FlowState {
            id: Uuid::new_v4(),
            user_id,
            auth_code,
            code_challenge: challenge.clone(),
            method: *method,
            authentication_method: "sso/saml".into(),
            created_at: flow.created_at,
            auth_code_issued_at: Some(now),
            provider_token: None,
            provider_refresh_token: None,
        });
        return Ok(with_query(&flow.redirect_to, &owned_pairs(&[("code", &auth_code.to_string())]), None));
    }
    let session = issue_session(st, store, user_id, "sso/saml", now);
    let field = |k: &str| match session.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let fragment = encode_pairs(&owned_pairs(&[
        ("access_token", &field("access_token")),
        ("expires_at", &field("expires_at")),
        ("expires_in", &field("expires_in")),
        ("refresh_token", &field("refresh_token")),
        ("sb", ""),
        ("token_type", "bearer"),
    ]));
    Ok(format!("{}#{fragment}", flow.redirect_to))
}
