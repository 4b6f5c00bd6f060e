mod common;

use common::*;
use gotrue_test_server::config::Config;
use serde_json::json;

#[tokio::test]
async fn signup_with_autoconfirm_returns_a_session() {
    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    let r = s
        .post("/signup", json!({ "email": "Alice@Example.com", "password": PASSWORD, "data": { "name": "Al" } }))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let b = r.json();
    assert_eq!(b["token_type"], "bearer");
    assert_eq!(b["expires_in"], 3600);
    assert!(b["expires_at"].is_i64());
    let rt = b["refresh_token"].as_str().unwrap();
    assert_eq!(rt.len(), 12);
    assert!(rt.bytes().all(|c| c.is_ascii_lowercase() || (b'2'..=b'7').contains(&c)));
    assert!(b.get("weak_password").is_none());
    let u = &b["user"];
    assert_eq!(u["email"], "alice@example.com", "emails are lower-cased");
    assert_eq!(u["phone"], "");
    assert_eq!(u["aud"], "authenticated");
    assert_eq!(u["role"], "authenticated");
    assert_eq!(u["is_anonymous"], false);
    assert_eq!(u["user_metadata"]["name"], "Al");
    assert_eq!(u["user_metadata"]["email_verified"], true);
    assert_eq!(u["app_metadata"], json!({ "provider": "email", "providers": ["email"] }));
    assert!(u["email_confirmed_at"].as_str().unwrap().ends_with('Z'));
    assert!(u["confirmed_at"].is_string());
    assert!(u.get("phone_confirmed_at").is_none(), "null timestamps are omitted");
    assert!(u.get("new_email").is_none());
    let ident = &u["identities"][0];
    assert_eq!(ident["provider"], "email");
    assert_eq!(ident["id"], u["id"]);
    assert_eq!(ident["user_id"], u["id"]);
    assert_eq!(ident["email"], "alice@example.com");
    assert_eq!(ident["identity_data"]["sub"], u["id"]);
    assert!(ident["identity_id"].is_string());

    let c = claims(b["access_token"].as_str().unwrap());
    assert_eq!(c["iss"], EXTERNAL);
    assert_eq!(c["sub"], u["id"]);
    assert_eq!(c["aud"], "authenticated");
    assert_eq!(c["role"], "authenticated");
    assert_eq!(c["aal"], "aal1");
    assert_eq!(c["email"], "alice@example.com");
    assert_eq!(c["phone"], "");
    assert_eq!(c["is_anonymous"], false);
    assert_eq!(c["amr"][0]["method"], "password");
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 3600);
    assert!(c["session_id"].is_string());

    let again = s.post("/signup", json!({ "email": "alice@example.com", "password": PASSWORD })).await;
    assert_eq!(again.status, 422);
    assert_eq!(again.json()["error_code"], "user_already_exists");
}

#[tokio::test]
async fn signup_without_autoconfirm_mails_an_otp_that_confirms() {
    let s = Server::new(cfg());
    let r = s
        .post(
            "/signup?redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fwelcome",
            json!({ "email": "bob@example.com", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status, 200);
    let u = r.json();
    assert!(u.get("access_token").is_none(), "a bare User, not a Session");
    assert!(u["confirmation_sent_at"].is_string());
    assert!(u.get("email_confirmed_at").is_none());

    let login = s.password_login("bob@example.com", PASSWORD).await;
    assert_eq!(login.status, 400);
    assert_eq!(login.json()["error_code"], "email_not_confirmed");

    let mail = s.mailbox("BOB@example.com").await;
    assert_eq!(mail["to"], "bob@example.com");
    assert_eq!(mail["type"], "signup");
    let otp = mail["otp"].as_str().unwrap();
    assert_eq!(otp.len(), 6);
    assert!(otp.bytes().all(|c| c.is_ascii_digit()));
    assert_eq!(mail["redirect_to"], "http://localhost:3000/welcome");
    assert_eq!(
        mail["link"],
        format!(
            "{EXTERNAL}/verify?token={}&type=signup&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fwelcome",
            mail["token_hash"].as_str().unwrap()
        )
    );

    let bad = s.post("/verify", json!({ "type": "signup", "email": "bob@example.com", "token": "000000x" })).await;
    assert_eq!(bad.status, 403);
    assert_eq!(bad.json()["error_code"], "otp_expired");

    let v = s.post("/verify", json!({ "type": "signup", "email": "bob@example.com", "token": otp })).await;
    assert_eq!(v.status, 200, "{}", v.text());
    let session = v.json();
    assert!(session["user"]["email_confirmed_at"].is_string());
    assert_eq!(claims(session["access_token"].as_str().unwrap())["amr"][0]["method"], "otp");

    // The OTP is single-use.
    let reuse = s.post("/verify", json!({ "type": "signup", "email": "bob@example.com", "token": otp })).await;
    assert_eq!(reuse.status, 403);

    assert_eq!(s.password_login("bob@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn existing_confirmed_user_gets_an_obfuscated_user() {
    let s = Server::new(cfg());
    let real = s.confirmed_user("carol@example.com").await;
    let r = s.post("/signup", json!({ "email": "carol@example.com", "password": "another-pass" })).await;
    assert_eq!(r.status, 200);
    let fake = r.json();
    assert_ne!(fake["id"], real["user"]["id"]);
    assert_eq!(fake["role"], "");
    assert_eq!(fake["identities"], json!([]));
    assert!(fake.get("email_confirmed_at").is_none());
    assert!(fake.get("confirmed_at").is_none());
}

#[tokio::test]
async fn unconfirmed_resignup_is_rate_limited() {
    let s = Server::new(cfg());
    let body = json!({ "email": "dan@example.com", "password": PASSWORD });
    assert_eq!(s.post("/signup", body.clone()).await.status, 200);
    let r = s.post("/signup", body.clone()).await;
    assert_eq!(r.status, 429);
    let e = r.json();
    assert_eq!(e["error_code"], "over_email_send_rate_limit");
    assert_eq!(e["msg"], "For security purposes, you can only request this after 60 seconds.");
    s.st.advance_clock(61);
    assert_eq!(s.post("/signup", body).await.status, 200);
}

#[tokio::test]
async fn weak_passwords_are_refused_with_reasons() {
    let s = Server::new(Config {
        password_min_length: 8,
        password_required_characters: vec!["abcdefghijklmnopqrstuvwxyz".into(), "0123456789".into()],
        ..cfg()
    });
    let r = s.post("/signup", json!({ "email": "e@example.com", "password": "ABC" })).await;
    assert_eq!(r.status, 422);
    let e = r.json();
    assert_eq!(e["code"], 422);
    assert_eq!(e["error_code"], "weak_password");
    assert_eq!(e["weak_password"]["reasons"], json!(["length", "characters"]));
    assert_eq!(
        e["msg"],
        "Password should be at least 8 characters. Password should contain at least one character of each: abcdefghijklmnopqrstuvwxyz, 0123456789."
    );

    let r = s.post("/signup", json!({ "email": "e@example.com", "password": "abcdefghij" })).await;
    assert_eq!(r.json()["weak_password"]["reasons"], json!(["characters"]));

    let long = "a1".repeat(37);
    let r = s.post("/signup", json!({ "email": "e@example.com", "password": long })).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error_code"], "validation_failed");

    let r = s.post("/signup", json!({ "email": "e@example.com" })).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error_code"], "validation_failed");
}

#[tokio::test]
async fn signup_validation_and_switches() {
    let s = Server::new(cfg());
    let r = s.post("/signup", json!({ "email": "x@example.com", "phone": "15551234567", "password": PASSWORD })).await;
    assert_eq!(r.status, 400);
    let r = s.post("/signup", json!({ "email": "not-an-email", "password": PASSWORD })).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error_code"], "validation_failed");
    let r = s.post("/signup", json!({ "phone": "15551234567", "password": PASSWORD })).await;
    assert_eq!(r.json()["error_code"], "phone_provider_disabled");
    let r = s.post("/signup", json!({})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "anonymous_provider_disabled");
    let r = s.post("/signup", json!({ "email": "x@example.com", "password": PASSWORD, "code_challenge": "abc", "code_challenge_method": "s256" })).await;
    assert_eq!(r.status, 400, "challenge too short");

    let off = Server::new(Config { disable_signup: true, ..cfg() });
    let r = off.post("/signup", json!({ "email": "x@example.com", "password": PASSWORD })).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "signup_disabled");
}

#[tokio::test]
async fn anonymous_sign_in() {
    let s = Server::new(Config { anonymous: true, ..cfg() });
    let r = s.post("/signup", json!({ "data": { "k": 1 } })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let b = r.json();
    let u = &b["user"];
    assert_eq!(u["is_anonymous"], true);
    assert_eq!(u["app_metadata"], json!({}));
    assert_eq!(u["identities"], json!([]));
    assert_eq!(u["email"], "");
    assert_eq!(u["user_metadata"]["k"], 1);
    let c = claims(b["access_token"].as_str().unwrap());
    assert_eq!(c["is_anonymous"], true);
    assert_eq!(c["amr"][0]["method"], "anonymous");
}

#[tokio::test]
async fn phone_signup_normalises_and_confirms_by_sms() {
    let s = Server::new(Config { phone: true, ..cfg() });
    let r = s.post("/signup", json!({ "phone": "+1 555 123 4567", "password": PASSWORD })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["phone"], "15551234567");
    let sms = s.mailbox("%2B15551234567").await;
    assert_eq!(sms["type"], "sms");
    let v = s.post("/verify", json!({ "type": "sms", "phone": "+15551234567", "token": sms["otp"] })).await;
    assert_eq!(v.status, 200, "{}", v.text());
    let session = v.json();
    assert!(session["user"]["phone_confirmed_at"].is_string());
    assert_eq!(claims(session["access_token"].as_str().unwrap())["phone"], "15551234567");
    let login = s.post("/token?grant_type=password", json!({ "phone": "+15551234567", "password": PASSWORD })).await;
    assert_eq!(login.status, 200, "{}", login.text());
}
