//! The fake OAuth provider behind `github`, `google` and `gitlab` (test-only, not GoTrue).
//!
//! `GET /__test/oauth/authorize?state=…&client_id=test-client&redirect_uri=…/callback&scope=…&…`
//! shows a consent page: a GET form with an e-mail input (`#email`) and two submit buttons,
//! `#allow` and `#deny`, which come back to the same URL with `auto=allow` / `auto=deny`.
//! With `auto` the provider answers at once with a 302 to the callback:
//! `?code=…&state=…` or `?error=access_denied&error_description=…&state=…`.

use super::oauth::{callback_url, CLIENT_ID, CONSENT_PATH};
use super::Query;
use crate::redirect::{encode_pairs, owned_pairs};
use crate::routes::redirect_response;
use crate::state::AppState;
use crate::validate;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use uuid::Uuid;

/// How long a provider code can be redeemed at `/callback`.
pub const CODE_TTL_SECS: i64 = 600;

/// Query keys that belong to the authorization request itself or to the consent form; all the
/// others are what the server forwarded and are listed on the page.
const OWN_PARAMS: [&str; 6] = ["state", "client_id", "redirect_uri", "scope", "auto", "email"];

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

fn error_page(msg: &str) -> Response {
    html(
        StatusCode::BAD_REQUEST,
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fake OAuth provider</title></head>\n<body><h1>Fake OAuth provider</h1><p id=\"error\">{}</p></body></html>\n",
            html_escape(msg)
        ),
    )
}

fn subject_prefix(provider: &str) -> &str {
    match provider {
        "github" => "gh",
        "gitlab" => "gl",
        "google" => "g",
        other => other,
    }
}

pub async fn authorize(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = Query::parse(q);
    let callback = callback_url(&st);
    if let Some(c) = q.get("client_id").filter(|c| !c.is_empty() && *c != CLIENT_ID) {
        return error_page(&format!("Unknown client_id {c:?}."));
    }
    if let Some(r) = q.get("redirect_uri").filter(|r| !r.is_empty() && *r != callback) {
        return error_page(&format!("redirect_uri {r:?} is not registered for {CLIENT_ID} (expected {callback:?})."));
    }
    let state = q.get("state").unwrap_or("");
    // The provider name comes from the server's flow; a real provider knows who it is.
    let provider = Uuid::parse_str(state)
        .ok()
        .and_then(|id| st.lock().oauth_flows.get(&id).map(|f| f.provider.clone()))
        .unwrap_or_else(|| "unknown".into());
    match q.get("auto").unwrap_or("") {
        "" => consent_page(&q, state, &provider),
        "allow" => allow(&st, &q, state, &provider, &callback),
        "deny" => {
            let query = encode_pairs(&owned_pairs(&[
                ("error", "access_denied"),
                ("error_description", "The user denied the request"),
                ("state", state),
            ]));
            redirect_response(StatusCode::FOUND, &format!("{callback}?{query}"))
        }
        other => error_page(&format!("auto must be allow or deny, not {other:?}.")),
    }
}

fn fresh_email() -> String {
    let id = Uuid::new_v4().simple().to_string();
    format!("oauth-{}@example.com", &id[..12])
}

/// Issues a code for the account with this e-mail (created on first use) and sends the browser
/// back to the server's callback.
fn allow(st: &AppState, q: &Query, state: &str, provider: &str, callback: &str) -> Response {
    let email = match q.get("email").filter(|e| !e.trim().is_empty()) {
        Some(e) => match validate::email(e, 400) {
            Ok(e) => e,
            Err(err) => return error_page(&err.msg),
        },
        None => fresh_email(),
    };
    let now = st.now();
    let code = format!("fake-code-{}", Uuid::new_v4().simple());
    let mut store = st.lock();
    let n = store.provider_accounts.len() + 1;
    let subject = store
        .provider_accounts
        .entry((provider.to_string(), email.clone()))
        .or_insert_with(|| format!("{}-{n}", subject_prefix(provider)))
        .clone();
    store.provider_codes.insert(
        code.clone(),
        crate::models::ProviderGrant {
            provider: provider.to_string(),
            state: state.to_string(),
            subject,
            email,
            issued_at: now,
        },
    );
    let query = encode_pairs(&owned_pairs(&[("code", &code), ("state", state)]));
    redirect_response(StatusCode::FOUND, &format!("{callback}?{query}"))
}

fn consent_page(q: &Query, state: &str, provider: &str) -> Response {
    let scope = q.get("scope").unwrap_or("");
    let email = q.get("email").filter(|e| !e.is_empty()).map(str::to_string).unwrap_or_else(fresh_email);
    let forwarded: Vec<&(String, String)> =
        q.pairs().iter().filter(|(k, _)| !OWN_PARAMS.contains(&k.as_str())).collect();
    let params = if forwarded.is_empty() {
        "<li id=\"no-params\">(none)</li>".to_string()
    } else {
        forwarded
            .iter()
            .map(|(k, v)| {
                format!("<li data-name=\"{}\"><code>{}={}</code></li>", html_escape(k), html_escape(k), html_escape(v))
            })
            .collect::<Vec<_>>()
            .join("\n      ")
    };
    let hidden =
        |name: &str, value: &str| format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", html_escape(value));
    let body = format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Fake OAuth provider</title>
</head>
<body>
  <h1>Fake OAuth provider</h1>
  <p>Provider: <strong id="provider">{provider}</strong></p>
  <p>Client <code id="client-id">{client}</code> asks for the scopes: <code id="scopes">{scope}</code></p>
  <p>Forwarded parameters:</p>
  <ul id="params">
      {params}
  </ul>
  <form id="consent" method="get" action="{action}">
    {state_input}
    {client_input}
    {redirect_input}
    <label for="email">Sign in as</label>
    <input id="email" name="email" type="email" value="{email}">
    <button id="allow" type="submit" name="auto" value="allow">Allow</button>
    <button id="deny" type="submit" name="auto" value="deny" formnovalidate>Deny</button>
  </form>
</body>
</html>
"#,
        provider = html_escape(provider),
        client = html_escape(q.get("client_id").unwrap_or(CLIENT_ID)),
        scope = html_escape(scope),
        action = CONSENT_PATH,
        state_input = hidden("state", state),
        client_input = hidden("client_id", q.get("client_id").unwrap_or(CLIENT_ID)),
        redirect_input = hidden("redirect_uri", q.get("redirect_uri").unwrap_or("")),
        email = html_escape(&email),
    );
    html(StatusCode::OK, body)
}
