//! MFA recovery codes: generation at AAL2 beside another factor, status, single use, the lockout,
//! regeneration and removal; and custom providers' admin endpoints.

mod common;

use axum::http::Method;
use common::*;
use gotrue_test_server::config::{Config, DEFAULT_JWT_SECRET};
use gotrue_test_server::jwt;
use serde_json::{json, Value};

async fn with(s: &Server, method: Method, uri: &str, token: &str, body: Option<Value>) -> Resp {
    let bearer = format!("Bearer {token}");
    s.call(method, uri, &[("authorization", &bearer)], body).await
}

fn code(r: &Resp) -> String {
    r.json()["error_code"].as_str().unwrap_or("").to_string()
}

fn token(v: &Value) -> String {
    v["access_token"].as_str().unwrap().to_string()
}

/// A user with a verified TOTP factor; returns (aal1 token, aal2 token).
async fn user_with_totp(s: &Server, email: &str) -> (String, String) {
    let t = token(&s.post("/signup", json!({ "email": email, "password": PASSWORD })).await.json());
    let f = with(s, Method::POST, "/factors", &t, Some(json!({ "factor_type": "totp" }))).await.json();
    let fid = f["id"].as_str().unwrap();
    let c = with(s, Method::POST, &format!("/factors/{fid}/challenge"), &t, Some(json!({}))).await.json();
    let code = gotrue_test_server::totp::code_for(f["totp"]["secret"].as_str().unwrap(), s.st.now().secs()).unwrap();
    let r = with(
        s,
        Method::POST,
        &format!("/factors/{fid}/verify"),
        &t,
        Some(json!({ "challenge_id": c["id"], "code": code })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // The verified session is now AAL2; a new password sign-in is AAL1.
    let aal1 = token(&s.password_login(email, PASSWORD).await.json());
    (aal1, token(&r.json()))
}

#[tokio::test]
async fn generate_verify_regenerate_delete() {
    let s = Server::new(Config { autoconfirm: true, mfa_recovery_codes: true, ..cfg() });
    let (aal1, aal2) = user_with_totp(&s, "rc@example.com").await;
    let r = s.get_auth("/factors/recovery-codes", &aal2).await;
    assert_eq!((r.status, code(&r)), (404, "mfa_factor_not_found".into()));
    let r = with(&s, Method::POST, "/factors/recovery-codes", &aal1, None).await;
    assert_eq!((r.status, code(&r)), (403, "insufficient_aal".into()));

    // No body: the default name.
    let r = with(&s, Method::POST, "/factors/recovery-codes", &aal2, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let g = r.json();
    assert_eq!(g["type"], "recovery_code");
    assert_eq!(g["friendly_name"], "Recovery codes");
    assert_eq!(g["total"], 10);
    let codes: Vec<String> = g["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 10);
    let r = with(&s, Method::POST, "/factors/recovery-codes", &aal2, Some(json!({ "friendly_name": "x" }))).await;
    assert_eq!((r.status, code(&r)), (422, "mfa_verified_factor_exists".into()));
    let user = s.get_auth("/user", &aal2).await.json();
    assert!(user["factors"].as_array().unwrap().iter().any(|f| f["factor_type"] == "recovery_code"));

    // An AAL1 session redeems a code (case, spaces and dashes ignored) and reaches AAL2.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let r = with(&s, Method::POST, "/factors/recovery-codes/verify", &aal1, Some(json!({ "code": typed }))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let cl = claims(&token(&r.json()));
    assert_eq!(cl["aal"], "aal2");
    assert_eq!(cl["amr"][0]["method"], "mfa/recovery_code");
    let raised = token(&r.json());
    let st = s.get_auth("/factors/recovery-codes", &raised).await.json();
    assert_eq!((st["total"].as_i64(), st["remaining"].as_i64()), (Some(10), Some(9)));
    assert!(st.get("codes").is_none());
    // Each code works once.
    let r = with(&s, Method::POST, "/factors/recovery-codes/verify", &raised, Some(json!({ "code": codes[0] }))).await;
    assert_eq!((r.status, code(&r)), (422, "mfa_verification_failed".into()));
    let r = with(&s, Method::POST, "/factors/recovery-codes/verify", &raised, Some(json!({ "code": " - " }))).await;
    assert_eq!(r.status, 400);

    // Regenerating replaces the set.
    let r = with(&s, Method::POST, "/factors/recovery-codes/regenerate", &raised, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let fresh = r.json();
    assert_ne!(fresh["codes"][0], json!(codes[1]));
    let r = with(&s, Method::POST, "/factors/recovery-codes/verify", &raised, Some(json!({ "code": codes[1] }))).await;
    assert_eq!(r.status, 422, "old codes are gone");

    let r = with(&s, Method::DELETE, "/factors/recovery-codes", &raised, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["id"], fresh["id"]);
    // The session the codes raised fell back to AAL1 with them.
    let r = with(&s, Method::DELETE, "/factors/recovery-codes", &raised, None).await;
    assert_eq!((r.status, code(&r)), (403, "insufficient_aal".into()));
    let r = with(&s, Method::DELETE, "/factors/recovery-codes", &aal2, None).await;
    assert_eq!((r.status, code(&r)), (404, "mfa_factor_not_found".into()));
}

#[tokio::test]
async fn sole_factor_lockout_and_switch() {
    let s = Server::new(Config { autoconfirm: true, mfa_recovery_codes: true, ..cfg() });
    // Without another verified factor the session cannot be AAL2, so the AAL rule answers first.
    let t = token(&s.post("/signup", json!({ "email": "solo@example.com", "password": PASSWORD })).await.json());
    let r = with(&s, Method::POST, "/factors/recovery-codes", &t, None).await;
    assert_eq!((r.status, code(&r)), (403, "insufficient_aal".into()));

    let (aal1, aal2) = user_with_totp(&s, "lock@example.com").await;
    let codes = with(&s, Method::POST, "/factors/recovery-codes", &aal2, None).await.json()["codes"].clone();
    for _ in 0..5 {
        let r = with(&s, Method::POST, "/factors/recovery-codes/verify", &aal1, Some(json!({ "code": "wrong-code" })))
            .await;
        assert_eq!(r.status, 422);
    }
    let r = with(&s, Method::POST, "/factors/recovery-codes/verify", &aal1, Some(json!({ "code": codes[0] }))).await;
    assert_eq!((r.status, code(&r)), (429, "mfa_recovery_codes_locked".into()));
    s.st.advance_clock(301);
    let r = with(&s, Method::POST, "/factors/recovery-codes/verify", &aal1, Some(json!({ "code": codes[0] }))).await;
    assert_eq!(r.status, 200, "{}", r.text());

    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    let (aal1, aal2) = user_with_totp(&s, "off@example.com").await;
    let r = with(&s, Method::POST, "/factors/recovery-codes", &aal2, None).await;
    assert_eq!((r.status, code(&r)), (422, "mfa_recovery_codes_enroll_not_enabled".into()));
    let r = with(&s, Method::POST, "/factors/recovery-codes/verify", &aal1, Some(json!({ "code": "x" }))).await;
    assert_eq!((r.status, code(&r)), (422, "mfa_recovery_codes_verify_not_enabled".into()));
    assert_eq!(s.get("/factors/recovery-codes").await.status, 401);
}

fn admin_key() -> String {
    jwt::sign(DEFAULT_JWT_SECRET, &json!({ "role": "service_role" }))
}

#[tokio::test]
async fn custom_providers_admin() {
    let s = Server::new(Config { custom_providers: true, ..cfg() });
    let key = admin_key();
    let oidc = json!({
        "provider_type": "oidc", "identifier": "acme", "name": "Acme", "client_id": "cid",
        "client_secret": "shh", "issuer": "https://idp.acme.test", "scopes": ["openid", "email"],
    });
    let r = with(&s, Method::POST, "/admin/custom-providers", &key, Some(oidc.clone())).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let p = r.json();
    assert_eq!(p["identifier"], "custom:acme");
    assert_eq!(p["provider_type"], "oidc");
    assert_eq!(p["scopes"], json!(["openid", "email"]));
    assert!(p.get("client_secret").is_none());
    assert!(p["id"].is_string() && p["created_at"].is_string());
    let r = with(&s, Method::POST, "/admin/custom-providers", &key, Some(oidc)).await;
    assert_eq!((r.status, code(&r)), (400, "conflict".into()));

    let oauth2 = json!({
        "provider_type": "oauth2", "identifier": "custom:corp", "name": "Corp", "client_id": "c", "client_secret": "s",
        "authorization_url": "https://corp.test/authorize", "token_url": "https://corp.test/token",
        "userinfo_url": "https://corp.test/userinfo",
    });
    assert_eq!(with(&s, Method::POST, "/admin/custom-providers", &key, Some(oauth2)).await.status, 201);
    for (body, msg) in [
        (json!({ "provider_type": "saml" }), "provider_type must be either 'oauth2' or 'oidc'"),
        (
            json!({ "provider_type": "oidc", "identifier": "github", "name": "x", "client_id": "x", "client_secret": "x", "issuer": "https://x.test" }),
            "reserved provider name",
        ),
        (
            json!({ "provider_type": "oidc", "identifier": "a", "name": "x", "client_id": "x", "client_secret": "x" }),
            "issuer is required",
        ),
        (
            json!({ "provider_type": "oauth2", "identifier": "b", "name": "x", "client_id": "x", "client_secret": "x" }),
            "authorization_url is required",
        ),
    ] {
        let r = with(&s, Method::POST, "/admin/custom-providers", &key, Some(body)).await;
        assert_eq!(r.status, 400);
        assert!(r.json()["msg"].as_str().unwrap().contains(msg), "{}", r.text());
    }

    let all = s.get_auth("/admin/custom-providers", &key).await.json();
    assert_eq!(all["providers"].as_array().unwrap().len(), 2);
    let only = s.get_auth("/admin/custom-providers?type=oauth2", &key).await.json();
    assert_eq!(only["providers"][0]["identifier"], "custom:corp");
    assert_eq!(s.get_auth("/admin/custom-providers?type=x", &key).await.status, 400);

    let r = s.get_auth("/admin/custom-providers/custom:acme", &key).await;
    assert_eq!(r.json()["name"], "Acme");
    let r = s.get_auth("/admin/custom-providers/acme", &key).await;
    assert_eq!(r.json()["msg"], "identifier must start with 'custom:' prefix");
    let r = with(
        &s,
        Method::PUT,
        "/admin/custom-providers/custom:acme",
        &key,
        Some(json!({ "name": "Acme 2", "enabled": false })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!((r.json()["name"].as_str(), r.json()["enabled"].as_bool()), (Some("Acme 2"), Some(false)));
    let r = with(&s, Method::DELETE, "/admin/custom-providers/custom:acme", &key, None).await;
    assert_eq!(r.status, 200);
    let r = s.get_auth("/admin/custom-providers/custom:acme", &key).await;
    assert_eq!((r.status, code(&r)), (404, "custom_provider_not_found".into()));
}
