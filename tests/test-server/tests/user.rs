mod common;

use axum::http::Method;
use common::*;
use gotrue_test_server::config::Config;
use gotrue_test_server::jwt;
use serde_json::json;

fn auto() -> Server {
    Server::new(Config { autoconfirm: true, ..cfg() })
}

async fn sign_up(s: &Server, email: &str) -> serde_json::Value {
    let r = s.post("/signup", json!({ "email": email, "password": PASSWORD })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn bearer_rules() {
    let s = auto();
    let session = sign_up(&s, "u@example.com").await;
    let token = session["access_token"].as_str().unwrap();

    let r = s.get("/user").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error_code"], "no_authorization");
    let r = s.call(Method::GET, "/user", &[("authorization", "Basic abc")], None).await;
    assert_eq!(r.status, 401);

    let r = s.get_auth("/user", "not.a.jwt").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error_code"], "bad_jwt");

    let forged = jwt::sign("some-other-secret-some-other-secret", &claims(token));
    assert_eq!(s.get_auth("/user", &forged).await.json()["error_code"], "bad_jwt");

    let r = s.get_auth("/user", token).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], session["user"]["id"]);

    s.st.advance_clock(3601);
    let r = s.get_auth("/user", token).await;
    assert_eq!(r.status, 403, "expired JWT is 403, not 401");
    let e = r.json();
    assert_eq!(e["error_code"], "bad_jwt");
    assert!(e["msg"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn deleted_session_and_missing_user() {
    let s = auto();
    let session = sign_up(&s, "gone@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    assert_eq!(s.post_auth("/logout", token).await.status, 204);
    let r = s.get_auth("/user", token).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error_code"], "session_not_found");

    let mut c = claims(token);
    c["sub"] = json!(uuid::Uuid::new_v4().to_string());
    let other = jwt::sign(&s.st.cfg.jwt_secret, &c);
    assert_eq!(s.get_auth("/user", &other).await.json()["error_code"], "user_not_found");
}

#[tokio::test]
async fn logout_scopes() {
    let s = auto();
    let a = sign_up(&s, "ls@example.com").await;
    let b = s.password_login("ls@example.com", PASSWORD).await.json();
    let c = s.password_login("ls@example.com", PASSWORD).await.json();
    let at = |v: &serde_json::Value| v["access_token"].as_str().unwrap().to_string();
    let rt = |v: &serde_json::Value| v["refresh_token"].as_str().unwrap().to_string();

    let r = s.post_auth("/logout?scope=everything", &at(&a)).await;
    assert_eq!(r.status, 400);

    let r = s.post_auth("/logout?scope=local", &at(&a)).await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    assert_eq!(s.refresh(&rt(&a)).await.json()["error_code"], "refresh_token_not_found");
    assert_eq!(s.get_auth("/user", &at(&b)).await.status, 200);

    assert_eq!(s.post_auth("/logout?scope=others", &at(&b)).await.status, 204);
    assert_eq!(s.get_auth("/user", &at(&c)).await.json()["error_code"], "session_not_found");
    assert_eq!(s.get_auth("/user", &at(&b)).await.status, 200);

    let d = s.password_login("ls@example.com", PASSWORD).await.json();
    assert_eq!(s.post_auth("/logout", &at(&d)).await.status, 204, "default scope is global");
    assert_eq!(s.get_auth("/user", &at(&b)).await.status, 403);
    assert_eq!(s.refresh(&rt(&b)).await.json()["error_code"], "refresh_token_not_found");
    assert_eq!(s.get("/__test/stats").await.json()["sessions"], 0);
}

#[tokio::test]
async fn update_metadata_password_and_admin_fields() {
    let s = auto();
    let session = sign_up(&s, "up@example.com").await;
    let token = session["access_token"].as_str().unwrap();

    let r = s.put_auth("/user", token, json!({ "data": { "a": 1, "b": 2 } })).await;
    assert_eq!(r.status, 200);
    let r = s.put_auth("/user", token, json!({ "data": { "a": null, "c": 3 } })).await;
    let md = &r.json()["user_metadata"];
    assert!(md.get("a").is_none(), "null deletes a key");
    assert_eq!(md["b"], 2);
    assert_eq!(md["c"], 3);

    let r = s.put_auth("/user", token, json!({ "app_metadata": { "role": "admin" } })).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error_code"], "not_admin");

    let r = s.put_auth("/user", token, json!({ "password": PASSWORD })).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "same_password");
    let r = s.put_auth("/user", token, json!({ "password": "abc" })).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["weak_password"]["reasons"], json!(["length"]));

    let r = s.put_auth("/user", token, json!({ "password": "brand-new-pass" })).await;
    assert_eq!(r.status, 200);
    assert_eq!(s.password_login("up@example.com", "brand-new-pass").await.status, 200);
    assert_eq!(s.password_login("up@example.com", PASSWORD).await.status, 400);

    let r = s
        .call(
            Method::PUT,
            "/user",
            &[("authorization", &format!("Bearer {token}")), ("content-type", "application/json")],
            None,
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error_code"], "bad_json");
}

#[tokio::test]
async fn reauthentication_nonce() {
    let s = auto();
    let session = sign_up(&s, "re@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let r = s.put_auth("/user", token, json!({ "password": "another-one", "nonce": "123456" })).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "reauthentication_not_valid");

    let r = s.get_auth("/reauthenticate", token).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({}));
    let mail = s.mailbox("re@example.com").await;
    assert_eq!(mail["type"], "reauthentication");
    let r = s.put_auth("/user", token, json!({ "password": "another-one", "nonce": mail["otp"] })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.get_auth("/reauthenticate", token).await.status, 429);
}

#[tokio::test]
async fn anonymous_user_gains_an_email_immediately_with_autoconfirm() {
    let s = Server::new(Config { autoconfirm: true, anonymous: true, ..cfg() });
    let session = s.post("/signup", json!({})).await.json();
    let token = session["access_token"].as_str().unwrap();
    let r = s.put_auth("/user", token, json!({ "password": "abcdefg" })).await;
    assert_eq!(r.status, 422, "no password without an email or phone");
    let r = s.put_auth("/user", token, json!({ "email": "anon@example.com" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json();
    assert_eq!(u["email"], "anon@example.com");
    assert_eq!(u["is_anonymous"], false);
    assert_eq!(u["app_metadata"]["provider"], "email");
    assert_eq!(u["identities"][0]["provider"], "email");

    let other = sign_up(&s, "taken@example.com").await;
    let r = s.put_auth("/user", other["access_token"].as_str().unwrap(), json!({ "email": "anon@example.com" })).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "email_exists");
}

#[tokio::test]
async fn phone_change_by_otp() {
    let s = Server::new(Config { autoconfirm: true, phone: true, ..cfg() });
    let session = sign_up(&s, "ph@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let r = s.put_auth("/user", token, json!({ "phone": "+44 7700 900123" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["new_phone"], "447700900123");
    let sms = s.mailbox("447700900123").await;
    assert_eq!(sms["type"], "phone_change");
    let r = s.post("/verify", json!({ "type": "phone_change", "phone": "447700900123", "token": sms["otp"] })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = &r.json()["user"];
    assert_eq!(u["phone"], "447700900123");
    assert!(u["phone_confirmed_at"].is_string());
}
