//! Passkeys: registration and discoverable sign-in with a software authenticator (real keys and
//! signatures), management, the admin endpoints, the feature switch and the AAL rule.

mod common;

use axum::http::Method;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use gotrue_test_server::config::{Config, DEFAULT_JWT_SECRET};
use gotrue_test_server::jwt;
use gotrue_test_server::soft_authenticator::SoftAuthenticator;
use serde_json::{json, Value};

const ORIGIN: &str = "http://localhost:3000";

fn server() -> Server {
    Server::new(Config { autoconfirm: true, passkeys: true, ..cfg() })
}

async fn sign_up(s: &Server, email: &str) -> (String, String) {
    let r = s.post("/signup", json!({ "email": email, "password": PASSWORD })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    (v["access_token"].as_str().unwrap().to_string(), v["user"]["id"].as_str().unwrap().to_string())
}

async fn with(s: &Server, method: Method, uri: &str, token: &str, body: Option<Value>) -> Resp {
    let bearer = format!("Bearer {token}");
    s.call(method, uri, &[("authorization", &bearer)], body).await
}

fn code(r: &Resp) -> String {
    r.json()["error_code"].as_str().unwrap_or("").to_string()
}

/// Registers a passkey for the signed-in user; returns its id.
async fn register(s: &Server, token: &str, key: &mut SoftAuthenticator) -> Value {
    let r = with(s, Method::POST, "/passkeys/registration/options", token, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let o = r.json();
    let user_handle = URL_SAFE_NO_PAD.decode(o["options"]["user"]["id"].as_str().unwrap()).unwrap();
    let cred = key.create(o["options"]["challenge"].as_str().unwrap(), "localhost", ORIGIN, Some(user_handle));
    let r = with(
        s,
        Method::POST,
        "/passkeys/registration/verify",
        token,
        Some(json!({ "challenge_id": o["challenge_id"], "credential": cred })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

async fn sign_in(s: &Server, key: &mut SoftAuthenticator) -> Resp {
    let r = s.post("/passkeys/authentication/options", json!({ "gotrue_meta_security": {} })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let o = r.json();
    let cred = key.get(o["options"]["challenge"].as_str().unwrap(), "localhost", ORIGIN);
    s.post("/passkeys/authentication/verify", json!({ "challenge_id": o["challenge_id"], "credential": cred })).await
}

#[tokio::test]
async fn register_sign_in_list_rename_delete() {
    let s = server();
    let (t, user_id) = sign_up(&s, "pk@example.com").await;

    let r = with(&s, Method::POST, "/passkeys/registration/options", &t, None).await;
    let o = r.json();
    assert_eq!(o["options"]["rp"]["id"], "localhost");
    assert_eq!(o["options"]["user"]["name"], "pk@example.com");
    // The user handle is the user's id as text, which a discoverable sign-in hands back.
    let handle = URL_SAFE_NO_PAD.decode(o["options"]["user"]["id"].as_str().unwrap()).unwrap();
    assert_eq!(String::from_utf8(handle).unwrap(), user_id);
    assert_eq!(o["options"]["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(o["options"]["attestation"], "none");
    assert!(o["expires_at"].as_i64().unwrap() > 0);

    let mut key = SoftAuthenticator::new();
    let created = register(&s, &t, &mut key).await;
    assert_eq!(created["friendly_name"], "Passkey");
    assert!(created["created_at"].is_string());
    let id = created["id"].as_str().unwrap().to_string();

    // The same credential cannot be registered twice; options now exclude it.
    let r = with(&s, Method::POST, "/passkeys/registration/options", &t, None).await;
    let o = r.json();
    assert_eq!(o["options"]["excludeCredentials"][0]["id"], key.credential_id());
    let handle = URL_SAFE_NO_PAD.decode(o["options"]["user"]["id"].as_str().unwrap()).unwrap();
    let cred = key.create(o["options"]["challenge"].as_str().unwrap(), "localhost", ORIGIN, Some(handle));
    let r = with(
        &s,
        Method::POST,
        "/passkeys/registration/verify",
        &t,
        Some(json!({ "challenge_id": o["challenge_id"], "credential": cred })),
    )
    .await;
    assert_eq!((r.status, code(&r)), (422, "webauthn_credential_exists".into()));

    // Discoverable sign-in: a session with AMR `passkey` for the account the handle names.
    let r = sign_in(&s, &mut key).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let session = r.json();
    assert_eq!(session["user"]["id"], user_id);
    assert!(session["refresh_token"].is_string());
    assert_eq!(claims(session["access_token"].as_str().unwrap())["amr"][0]["method"], "passkey");

    let r = s.get_auth("/passkeys", &t).await;
    assert_eq!(r.status, 200);
    let list = r.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert!(list[0]["last_used_at"].is_string(), "sign-in records the use");

    let r = with(&s, Method::PATCH, &format!("/passkeys/{id}"), &t, Some(json!({ "friendly_name": "Laptop" }))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["friendly_name"], "Laptop");
    let r = with(&s, Method::PATCH, &format!("/passkeys/{id}"), &t, Some(json!({ "friendly_name": "" }))).await;
    assert_eq!((r.status, code(&r)), (400, "validation_failed".into()));
    let long = "x".repeat(121);
    let r = with(&s, Method::PATCH, &format!("/passkeys/{id}"), &t, Some(json!({ "friendly_name": long }))).await;
    assert_eq!(r.status, 400);
    let r = with(&s, Method::PATCH, "/passkeys/not-a-uuid", &t, Some(json!({ "friendly_name": "x" }))).await;
    assert_eq!((r.status, code(&r)), (404, "validation_failed".into()));

    let r = with(&s, Method::DELETE, &format!("/passkeys/{id}"), &t, None).await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    let r = with(&s, Method::DELETE, &format!("/passkeys/{id}"), &t, None).await;
    assert_eq!(r.status, 404);
    // A deleted passkey signs nobody in.
    let r = sign_in(&s, &mut key).await;
    assert_eq!((r.status, code(&r)), (400, "webauthn_verification_failed".into()));
}

#[tokio::test]
async fn ceremonies_are_checked() {
    let s = server();
    let (t, _) = sign_up(&s, "pk2@example.com").await;
    let mut key = SoftAuthenticator::new();
    register(&s, &t, &mut key).await;

    let o = s.post("/passkeys/authentication/options", json!({})).await.json();
    assert_eq!(o["options"]["rpId"], "localhost");
    let challenge = o["options"]["challenge"].as_str().unwrap().to_string();
    // Another key claiming the credential id: the signature fails.
    let mut forged = SoftAuthenticator::new().get(&challenge, "localhost", ORIGIN);
    forged["id"] = json!(key.credential_id());
    forged["rawId"] = json!(key.credential_id());
    forged["response"]["userHandle"] = key.get("x", "localhost", ORIGIN)["response"]["userHandle"].clone();
    let r = s
        .post("/passkeys/authentication/verify", json!({ "challenge_id": o["challenge_id"], "credential": forged }))
        .await;
    assert_eq!((r.status, code(&r)), (400, "webauthn_verification_failed".into()));
    // The challenge was consumed by that attempt.
    let good = key.get(&challenge, "localhost", ORIGIN);
    let r = s
        .post("/passkeys/authentication/verify", json!({ "challenge_id": o["challenge_id"], "credential": good }))
        .await;
    assert_eq!((r.status, code(&r)), (400, "webauthn_challenge_not_found".into()));

    // Parameter checks.
    let r = s.post("/passkeys/authentication/verify", json!({ "credential": {} })).await;
    assert_eq!((r.status, r.json()["msg"].as_str()), (400, Some("challenge_id is required")));
    let r = s.post("/passkeys/authentication/verify", json!({ "challenge_id": "x" })).await;
    assert_eq!(r.json()["msg"], "credential is required");
    let r = s.post("/passkeys/authentication/verify", json!({ "challenge_id": "x", "credential": {} })).await;
    assert_eq!(r.json()["msg"], "challenge_id must be a valid UUID");

    // An expired challenge.
    let o = s.post("/passkeys/authentication/options", json!({})).await.json();
    s.st.advance_clock(301);
    let cred = key.get(o["options"]["challenge"].as_str().unwrap(), "localhost", ORIGIN);
    let r = s
        .post("/passkeys/authentication/verify", json!({ "challenge_id": o["challenge_id"], "credential": cred }))
        .await;
    assert_eq!((r.status, code(&r)), (400, "webauthn_challenge_expired".into()));
}

#[tokio::test]
async fn admin_list_and_delete() {
    let s = server();
    let (t, uid) = sign_up(&s, "pk3@example.com").await;
    let created = register(&s, &t, &mut SoftAuthenticator::new()).await;
    let admin = jwt::sign(DEFAULT_JWT_SECRET, &json!({ "role": "service_role" }));
    let r = s.get_auth(&format!("/admin/users/{uid}/passkeys"), &admin).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()[0]["id"], created["id"]);
    assert_eq!(s.get_auth(&format!("/admin/users/{uid}/passkeys"), &t).await.status, 403);
    let pid = created["id"].as_str().unwrap();
    let r = with(&s, Method::DELETE, &format!("/admin/users/{uid}/passkeys/{pid}"), &admin, None).await;
    assert_eq!(r.status, 204);
    assert_eq!(s.get_auth(&format!("/admin/users/{uid}/passkeys"), &admin).await.json(), json!([]));
    let r = with(&s, Method::DELETE, &format!("/admin/users/{uid}/passkeys/{pid}"), &admin, None).await;
    assert_eq!((r.status, code(&r)), (404, "validation_failed".into()));
}

#[tokio::test]
async fn switched_off_anonymous_and_aal() {
    let s = Server::new(Config { autoconfirm: true, anonymous: true, ..cfg() });
    let (t, _) = sign_up(&s, "off@example.com").await;
    for (m, uri) in [
        (Method::GET, "/passkeys"),
        (Method::POST, "/passkeys/registration/options"),
        (Method::POST, "/passkeys/authentication/options"),
        (Method::PATCH, "/passkeys/00000000-0000-4000-8000-000000000000"),
    ] {
        let r = with(&s, m, uri, &t, Some(json!({}))).await;
        assert_eq!((r.status, code(&r)), (404, "passkey_disabled".into()), "{uri}");
    }

    let s = Server::new(Config { autoconfirm: true, anonymous: true, passkeys: true, ..cfg() });
    let anon = s.post("/signup", json!({})).await.json();
    let r =
        with(&s, Method::POST, "/passkeys/registration/options", anon["access_token"].as_str().unwrap(), None).await;
    assert_eq!((r.status, code(&r)), (403, "no_authorization".into()));
    assert_eq!(s.post("/passkeys/registration/options", json!({})).await.status, 401);

    // With a verified MFA factor, managing passkeys needs AAL2.
    let (t, _) = sign_up(&s, "aal@example.com").await;
    let f = with(&s, Method::POST, "/factors", &t, Some(json!({ "factor_type": "totp" }))).await.json();
    let secret = f["totp"]["secret"].as_str().unwrap().to_string();
    let fid = f["id"].as_str().unwrap().to_string();
    // Verify the factor with a code computed by the server's own TOTP (already RFC-tested).
    let c = with(&s, Method::POST, &format!("/factors/{fid}/challenge"), &t, Some(json!({}))).await.json();
    let code_now = gotrue_test_server::totp::code_for(&secret, s.st.now().secs()).unwrap();
    let r = with(
        &s,
        Method::POST,
        &format!("/factors/{fid}/verify"),
        &t,
        Some(json!({ "challenge_id": c["id"], "code": code_now })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let aal2 = r.json()["access_token"].as_str().unwrap().to_string();
    let aal1 = s.password_login("aal@example.com", PASSWORD).await.json()["access_token"].as_str().unwrap().to_string();
    let r = with(&s, Method::POST, "/passkeys/registration/options", &aal1, None).await;
    assert_eq!((r.status, code(&r)), (403, "insufficient_aal".into()));
    let r = with(&s, Method::POST, "/passkeys/registration/options", &aal2, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
}
