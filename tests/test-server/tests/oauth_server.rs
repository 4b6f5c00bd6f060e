//! The OAuth 2.1 server: admin client management, the authorization request, consent (approve and
//! deny), the code exchange with PKCE, and the user's grants.

mod common;

use axum::http::Method;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use gotrue_test_server::config::{Config, DEFAULT_JWT_SECRET};
use gotrue_test_server::jwt;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const VERIFIER: &str = "a-code-verifier-that-is-long-enough-0123456789abcdef";
const APP: &str = "http://localhost:4000/callback";

fn server() -> Server {
    Server::new(Config { autoconfirm: true, oauth_server: true, ..cfg() })
}

fn admin_key() -> String {
    jwt::sign(DEFAULT_JWT_SECRET, &json!({ "role": "service_role" }))
}

async fn with(s: &Server, method: Method, uri: &str, token: &str, body: Option<Value>) -> Resp {
    let bearer = format!("Bearer {token}");
    s.call(method, uri, &[("authorization", &bearer)], body).await
}

fn code(r: &Resp) -> String {
    r.json()["error_code"].as_str().unwrap_or("").to_string()
}

async fn create_client(s: &Server, body: Value) -> Value {
    let r = with(s, Method::POST, "/admin/oauth/clients", &admin_key(), Some(body)).await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

fn challenge() -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()))
}

/// Starts an authorization request; returns the authorization id from the consent-page redirect.
async fn start(s: &Server, client_id: &str, scope: &str, state: &str) -> String {
    let uri = format!(
        "/oauth/authorize?client_id={client_id}&redirect_uri={}&response_type=code&scope={scope}&state={state}&code_challenge={}&code_challenge_method=S256",
        urlencode(APP),
        challenge()
    );
    let r = s.get(&uri).await;
    assert_eq!(r.status, 302, "{}", r.text());
    let loc = r.location();
    let id =
        loc.strip_prefix("http://localhost:3000/oauth/consent?authorization_id=").unwrap_or_else(|| panic!("{loc}"));
    id.to_string()
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn admin_manages_clients() {
    let s = server();
    let key = admin_key();
    let r = s.get_auth("/admin/oauth/clients", &key).await;
    assert_eq!(r.json(), json!({}), "GoTrue omits an empty list");

    let c = create_client(&s, json!({ "client_name": "Test App", "redirect_uris": [APP] })).await;
    assert_eq!(c["client_type"], "confidential");
    assert_eq!(c["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(c["grant_types"], json!(["authorization_code", "refresh_token"]));
    assert_eq!(c["response_types"], json!(["code"]));
    assert_eq!(c["registration_type"], "manual");
    let secret = c["client_secret"].as_str().unwrap().to_string();
    let id = c["client_id"].as_str().unwrap().to_string();

    let public = create_client(&s, json!({ "redirect_uris": [APP], "token_endpoint_auth_method": "none" })).await;
    assert_eq!(public["client_type"], "public");
    assert!(public.get("client_secret").is_none());

    let list = s.get_auth("/admin/oauth/clients", &key).await.json();
    assert_eq!(list["clients"].as_array().unwrap().len(), 2);
    let got = s.get_auth(&format!("/admin/oauth/clients/{id}"), &key).await.json();
    assert_eq!(got["client_name"], "Test App");
    assert!(got.get("client_secret").is_none(), "the secret is shown once");

    let r =
        with(&s, Method::PUT, &format!("/admin/oauth/clients/{id}"), &key, Some(json!({ "client_name": "Renamed" })))
            .await;
    assert_eq!(r.json()["client_name"], "Renamed");
    let r = with(&s, Method::PUT, &format!("/admin/oauth/clients/{id}"), &key, Some(json!({}))).await;
    assert_eq!((r.status, r.json()["msg"].as_str()), (400, Some("No fields provided for update")));

    let r = with(&s, Method::POST, &format!("/admin/oauth/clients/{id}/regenerate_secret"), &key, None).await;
    assert_eq!(r.status, 200);
    assert_ne!(r.json()["client_secret"].as_str().unwrap(), secret);
    let pid = public["client_id"].as_str().unwrap();
    let r = with(&s, Method::POST, &format!("/admin/oauth/clients/{pid}/regenerate_secret"), &key, None).await;
    assert_eq!(r.status, 400);

    // Validation.
    for (body, msg) in [
        (json!({}), "redirect_uris is required"),
        (json!({ "redirect_uris": ["http://example.com/cb"] }), "HTTP scheme only allowed for localhost"),
        (json!({ "redirect_uris": ["javascript://x/y"] }), "not allowed"),
        (json!({ "redirect_uris": [APP], "grant_types": ["password"] }), "grant_types must only contain"),
    ] {
        let r = with(&s, Method::POST, "/admin/oauth/clients", &key, Some(body)).await;
        assert_eq!(r.status, 400);
        assert!(r.json()["msg"].as_str().unwrap().contains(msg), "{}", r.text());
    }

    let r = with(&s, Method::DELETE, &format!("/admin/oauth/clients/{id}"), &key, None).await;
    assert_eq!(r.status, 204);
    let r = s.get_auth(&format!("/admin/oauth/clients/{id}"), &key).await;
    assert_eq!((r.status, code(&r)), (404, "oauth_client_not_found".into()));
    let r = s.get_auth("/admin/oauth/clients/nope", &key).await;
    assert_eq!((r.status, code(&r)), (400, "validation_failed".into()));
}

#[tokio::test]
async fn approve_exchange_list_and_revoke() {
    let s = server();
    let c = create_client(
        &s,
        json!({ "client_name": "Test App", "client_uri": "https://app.example", "redirect_uris": [APP] }),
    )
    .await;
    let (client_id, secret) = (c["client_id"].as_str().unwrap(), c["client_secret"].as_str().unwrap());
    let user = s.post("/signup", json!({ "email": "owner@example.com", "password": PASSWORD })).await.json();
    let t = user["access_token"].as_str().unwrap().to_string();

    let id = start(&s, client_id, "email%20profile", "xyz").await;
    let r = s.get_auth(&format!("/oauth/authorizations/{id}"), &t).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let d = r.json();
    assert_eq!(d["authorization_id"], id.as_str());
    assert_eq!(d["redirect_uri"], APP);
    assert_eq!(d["client"], json!({ "id": client_id, "name": "Test App", "uri": "https://app.example" }));
    assert_eq!(d["user"]["email"], "owner@example.com");
    assert_eq!(d["scope"], "email profile");

    // Another user cannot see or answer it.
    let other = s.post("/signup", json!({ "email": "other@example.com", "password": PASSWORD })).await.json();
    let ot = other["access_token"].as_str().unwrap();
    let r = s.get_auth(&format!("/oauth/authorizations/{id}"), ot).await;
    assert_eq!((r.status, code(&r)), (404, "oauth_authorization_not_found".into()));

    let consent = format!("/oauth/authorizations/{id}/consent");
    let r = with(&s, Method::POST, &consent, &t, Some(json!({ "action": "maybe" }))).await;
    assert_eq!(r.status, 400);
    let r = with(&s, Method::POST, &consent, &t, Some(json!({ "action": "approve" }))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let to = r.json()["redirect_url"].as_str().unwrap().to_string();
    let query = to.strip_prefix(&format!("{APP}?")).unwrap_or_else(|| panic!("{to}"));
    let q = pairs(query);
    assert_eq!(q[0].0, "code");
    assert_eq!(q[1], ("state".to_string(), "xyz".to_string()));
    let auth_code = q[0].1.clone();
    // Answered once only.
    let r = with(&s, Method::POST, &consent, &t, Some(json!({ "action": "deny" }))).await;
    assert_eq!(r.status, 400);

    // The client trades the code (client_secret_basic), PKCE checked.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"));
    let token_req = |verifier: &str| {
        format!(
            "grant_type=authorization_code&code={auth_code}&redirect_uri={}&code_verifier={verifier}",
            urlencode(APP)
        )
    };
    let form = |body: String, auth: String| {
        axum::http::Request::builder()
            .method(Method::POST)
            .uri("/oauth/token")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("authorization", auth)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let r = s.raw(form(token_req("wrong-verifier"), format!("Basic {basic}"))).await;
    assert_eq!((r.status, r.json()["error"].as_str()), (400, Some("invalid_grant")));
    let wrong = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:nope"));
    let r = s.raw(form(token_req(VERIFIER), format!("Basic {wrong}"))).await;
    assert_eq!(r.json()["error"], "invalid_client");
    let r = s.raw(form(token_req(VERIFIER), format!("Basic {basic}"))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let tokens = r.json();
    assert!(tokens.get("user").is_none(), "OAuth clients get no user object");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    assert_eq!(claims(&access)["amr"][0]["method"], "oauth_provider/authorization_code");
    assert_eq!(s.get_auth("/user", &access).await.status, 200);
    let r = s.raw(form(token_req(VERIFIER), format!("Basic {basic}"))).await;
    assert_eq!(r.json()["error"], "invalid_grant", "a code works once");

    // The grant is listed; a second request with covered scopes is approved at once.
    let grants = s.get_auth("/user/oauth/grants", &t).await.json();
    assert_eq!(grants[0]["client"]["id"], client_id);
    assert_eq!(grants[0]["scopes"], json!(["email", "profile"]));
    assert!(grants[0]["granted_at"].is_string());
    let id2 = start(&s, client_id, "email", "").await;
    let r = s.get_auth(&format!("/oauth/authorizations/{id2}"), &t).await;
    assert!(r.json()["redirect_url"].as_str().unwrap().starts_with(&format!("{APP}?code=")), "{}", r.text());

    // Revoking ends the grant and the client's session.
    let r = with(&s, Method::DELETE, &format!("/user/oauth/grants?client_id={client_id}"), &t, None).await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(s.get_auth("/user/oauth/grants", &t).await.json(), json!([]));
    assert_eq!(s.get_auth("/user", &access).await.status, 403, "the client's session ended");
    let r = with(&s, Method::DELETE, &format!("/user/oauth/grants?client_id={client_id}"), &t, None).await;
    assert_eq!((r.status, code(&r)), (404, "oauth_consent_not_found".into()));
    let r = with(&s, Method::DELETE, "/user/oauth/grants", &t, None).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn deny_and_bad_requests() {
    let s = server();
    let c = create_client(&s, json!({ "redirect_uris": [APP] })).await;
    let client_id = c["client_id"].as_str().unwrap();
    let user = s.post("/signup", json!({ "email": "deny@example.com", "password": PASSWORD })).await.json();
    let t = user["access_token"].as_str().unwrap().to_string();
    let id = start(&s, client_id, "email", "s1").await;
    s.get_auth(&format!("/oauth/authorizations/{id}"), &t).await;
    let r =
        with(&s, Method::POST, &format!("/oauth/authorizations/{id}/consent"), &t, Some(json!({ "action": "deny" })))
            .await;
    assert_eq!(
        r.json()["redirect_url"],
        format!("{APP}?error=access_denied&error_description=User+denied+the+request&state=s1")
    );

    // Not redirected: missing or unknown client, unregistered redirect_uri.
    let r = s.get("/oauth/authorize?redirect_uri=x").await;
    assert_eq!((r.status, r.json()["msg"].as_str()), (400, Some("client_id is required")));
    let r = s.get(&format!("/oauth/authorize?client_id=nope&redirect_uri={}", urlencode(APP))).await;
    assert_eq!((r.status, code(&r)), (400, "oauth_client_not_found".into()));
    let r = s.get(&format!("/oauth/authorize?client_id={client_id}&redirect_uri=http://localhost:1/x")).await;
    assert_eq!((r.status, r.json()["msg"].as_str()), (400, Some("invalid redirect_uri")));
    // Redirected back with invalid_request: no PKCE, unsupported scope.
    let r = s.get(&format!("/oauth/authorize?client_id={client_id}&redirect_uri={}&state=q", urlencode(APP))).await;
    assert_eq!(r.status, 302);
    let loc = r.location();
    assert!(loc.starts_with(&format!("{APP}?error=invalid_request&error_description=PKCE")), "{loc}");
    assert!(loc.ends_with("&state=q"), "{loc}");
    let r = s
        .get(&format!(
            "/oauth/authorize?client_id={client_id}&redirect_uri={}&scope=admin&code_challenge={}&code_challenge_method=S256",
            urlencode(APP),
            challenge()
        ))
        .await;
    assert!(r.location().contains("unsupported+scope%3A+admin"), "{}", r.location());

    // Consent pages from a foreign origin are refused; unknown ids are 404.
    let bearer = format!("Bearer {t}");
    let r = s
        .call(
            Method::GET,
            "/oauth/authorizations/nope",
            &[("authorization", &bearer), ("origin", "https://evil.example")],
            None,
        )
        .await;
    assert_eq!((r.status, r.json()["msg"].as_str()), (400, Some("unauthorized request origin")));
    let r = s.get_auth("/oauth/authorizations/nope", &t).await;
    assert_eq!((r.status, code(&r)), (404, "oauth_authorization_not_found".into()));
    assert_eq!(s.get("/oauth/authorizations/nope").await.status, 401);
}
