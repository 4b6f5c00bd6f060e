//! MFA (contract §4.15, §6, §8): TOTP, phone and WebAuthn factors, AAL rules, unenrollment.

mod common;

use axum::http::Method;
use base64::Engine;
use common::*;
use gotrue_test_server::config::Config;
use gotrue_test_server::soft_authenticator::SoftAuthenticator;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};

fn auto(extra: impl FnOnce(&mut Config)) -> Server {
    let mut c = Config { autoconfirm: true, ..cfg() };
    extra(&mut c);
    Server::new(c)
}

/// An RFC 6238 code computed here, independently of the server's implementation.
fn totp_code(secret_b32: &str, unix: i64) -> String {
    let mut key = Vec::new();
    let (mut buf, mut bits) = (0u64, 0);
    for c in secret_b32.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {secret_b32}"),
        };
        buf = (buf << 5) | u64::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            key.push((buf >> bits) as u8);
        }
    }
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&((unix / 30) as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = (h[19] & 15) as usize;
    let n = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    format!("{:06}", n % 1_000_000)
}

async fn sign_up(s: &Server, email: &str) -> Value {
    let r = s.post("/signup", json!({ "email": email, "password": PASSWORD })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn token(session: &Value) -> String {
    session["access_token"].as_str().unwrap().to_string()
}

async fn post_json(s: &Server, uri: &str, token: &str, body: Value) -> Resp {
    let bearer = format!("Bearer {token}");
    s.call(Method::POST, uri, &[("authorization", &bearer)], Some(body)).await
}

async fn delete(s: &Server, uri: &str, token: &str) -> Resp {
    let bearer = format!("Bearer {token}");
    s.call(Method::DELETE, uri, &[("authorization", &bearer)], None).await
}

fn error_code(r: &Resp) -> String {
    r.json()["error_code"].as_str().unwrap_or("").to_string()
}

/// Enrolls a TOTP factor; returns (factor id, secret).
async fn enroll_totp(s: &Server, token: &str, name: &str) -> (String, String) {
    let r = post_json(s, "/factors", token, json!({ "factor_type": "totp", "friendly_name": name })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let f = r.json();
    (f["id"].as_str().unwrap().to_string(), f["totp"]["secret"].as_str().unwrap().to_string())
}

async fn challenge(s: &Server, token: &str, factor: &str) -> String {
    let r = post_json(s, &format!("/factors/{factor}/challenge"), token, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
}

/// Challenge + verify with the right TOTP code: the AAL2 session.
async fn step_up(s: &Server, token: &str, factor: &str, secret: &str) -> Value {
    let c = challenge(s, token, factor).await;
    let code = totp_code(secret, s.st.now().secs());
    let r = post_json(s, &format!("/factors/{factor}/verify"), token, json!({ "challenge_id": c, "code": code })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn totp_enroll_challenge_verify_gives_an_aal2_session() {
    let s = auto(|_| {});
    let session = sign_up(&s, "totp@example.com").await;
    let t = token(&session);

    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "totp", "friendly_name": "Phone app" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let f = r.json();
    let keys: Vec<&String> = f.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "{f}");
    assert_eq!(f["type"], "totp");
    assert_eq!(f["friendly_name"], "Phone app");
    let secret = f["totp"]["secret"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 32);
    assert!(secret.bytes().all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c)));
    assert_eq!(
        f["totp"]["uri"],
        format!("otpauth://totp/localhost%3A3000:totp@example.com?secret={secret}&issuer=localhost%3A3000")
    );
    let qr = f["totp"]["qr_code"].as_str().unwrap();
    assert!(qr.contains("<svg") && qr.trim_end().ends_with("</svg>"), "{qr}");
    let factor = f["id"].as_str().unwrap().to_string();

    // The unverified factor is on the user.
    let u = s.get_auth("/user", &t).await.json();
    let uf = &u["factors"][0];
    assert_eq!(uf["id"], factor);
    assert_eq!(uf["status"], "unverified");
    assert_eq!(uf["factor_type"], "totp");
    assert_eq!(uf["friendly_name"], "Phone app");
    assert_eq!(uf["phone"], "");
    assert!(uf["last_challenged_at"].is_null());

    let r = post_json(&s, &format!("/factors/{factor}/challenge"), &t, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let c = r.json();
    assert_eq!(c["type"], "totp");
    let expires = c["expires_at"].as_i64().unwrap();
    assert!((expires - s.st.now().secs() - 300).abs() <= 1, "{c}");
    let challenge_id = c["id"].as_str().unwrap().to_string();
    let u = s.get_auth("/user", &t).await.json();
    assert!(u["factors"][0]["last_challenged_at"].is_string());

    let now = s.st.now().secs();
    let right = totp_code(&secret, now);
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    let verify = format!("/factors/{factor}/verify");
    let r = post_json(&s, &verify, &t, json!({ "challenge_id": challenge_id, "code": wrong })).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_verification_failed");
    let r = post_json(&s, &verify, &t, json!({ "challenge_id": challenge_id, "code": "" })).await;
    assert_eq!(r.status, 400);

    let r = post_json(&s, &verify, &t, json!({ "challenge_id": challenge_id, "code": right })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let aal2 = r.json();
    let c2 = claims(aal2["access_token"].as_str().unwrap());
    let c1 = claims(&t);
    assert_eq!(c1["aal"], "aal1");
    assert_eq!(c2["aal"], "aal2");
    assert_eq!(c2["amr"][0]["method"], "totp");
    assert_eq!(c2["amr"][1]["method"], "password");
    assert!(c2["amr"][0]["timestamp"].is_i64());
    assert_eq!(c2["session_id"], c1["session_id"], "same session");
    assert_ne!(aal2["refresh_token"], session["refresh_token"]);
    assert_eq!(aal2["token_type"], "bearer");
    assert_eq!(aal2["user"]["factors"][0]["status"], "verified");

    // The challenge is spent.
    let r = post_json(&s, &verify, &t, json!({ "challenge_id": challenge_id, "code": right })).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_ip_address_mismatch");

    // Refreshing keeps AAL2.
    let r = s.refresh(aal2["refresh_token"].as_str().unwrap()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let c3 = claims(r.json()["access_token"].as_str().unwrap());
    assert_eq!(c3["aal"], "aal2");
    assert_eq!(c3["amr"][0]["method"], "totp");
}

#[tokio::test]
async fn aal1_sessions_of_an_mfa_user() {
    let s = auto(|_| {});
    let first = sign_up(&s, "aal@example.com").await;
    let other = s.password_login("aal@example.com", PASSWORD).await.json();
    let (factor, secret) = enroll_totp(&s, &token(&first), "app").await;
    let aal2 = step_up(&s, &token(&first), &factor, &secret).await;

    // The user's other sessions below AAL2 are ended by the verification.
    let r = s.get_auth("/user", &token(&other)).await;
    assert_eq!(r.status, 403);
    assert_eq!(error_code(&r), "session_not_found");

    // A new sign-in is AAL1: the client has to step up.
    let login = s.password_login("aal@example.com", PASSWORD).await;
    assert_eq!(login.status, 200);
    let login = login.json();
    let lt = token(&login);
    let lc = claims(&lt);
    assert_eq!(lc["aal"], "aal1");
    assert_eq!(lc["amr"][0]["method"], "password");
    assert_eq!(login["user"]["factors"][0]["status"], "verified");

    let r = post_json(&s, "/factors", &lt, json!({ "factor_type": "totp", "friendly_name": "second" })).await;
    assert_eq!(r.status, 403);
    assert_eq!(error_code(&r), "insufficient_aal");
    let r = delete(&s, &format!("/factors/{factor}"), &lt).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "insufficient_aal");
    let r = s.put_auth("/user", &lt, json!({ "password": "another-pass-1" })).await;
    assert_eq!(r.status, 401);
    assert_eq!(error_code(&r), "insufficient_aal");
    // Metadata alone is fine.
    let r = s.put_auth("/user", &lt, json!({ "data": { "a": 1 } })).await;
    assert_eq!(r.status, 200);

    // From AAL2 the same requests work.
    let at = token(&aal2);
    let r = post_json(&s, "/factors", &at, json!({ "factor_type": "totp", "friendly_name": "second" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let second = r.json()["id"].as_str().unwrap().to_string();
    // An unverified factor can go from AAL1.
    let r = delete(&s, &format!("/factors/{second}"), &lt).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({ "id": second }));

    let stepped = step_up(&s, &lt, &factor, &secret).await;
    assert_eq!(claims(&token(&stepped))["aal"], "aal2");
    let r = delete(&s, &format!("/factors/{factor}"), &token(&stepped)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({ "id": factor }));

    // The sessions the factor raised drop back to AAL1, and the user has no factors key.
    let r = s.refresh(stepped["refresh_token"].as_str().unwrap()).await;
    assert_eq!(r.status, 200);
    let c = claims(r.json()["access_token"].as_str().unwrap());
    assert_eq!(c["aal"], "aal1");
    assert!(c["amr"].as_array().unwrap().iter().all(|a| a["method"] != "totp"));
    let u = s.get_auth("/user", &lt).await.json();
    assert!(u.get("factors").is_none(), "{u}");
}

#[tokio::test]
async fn challenge_and_verify_errors() {
    let s = auto(|_| {});
    let t = token(&sign_up(&s, "errs@example.com").await);
    let (factor, secret) = enroll_totp(&s, &t, "").await;

    let r = post_json(&s, "/factors/not-a-uuid/challenge", &t, json!({})).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "validation_failed");
    let unknown = uuid::Uuid::new_v4();
    let r = post_json(&s, &format!("/factors/{unknown}/challenge"), &t, json!({})).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "mfa_factor_not_found");
    let r = delete(&s, &format!("/factors/{unknown}"), &t).await;
    assert_eq!(r.status, 404);

    // Someone else's factor does not exist for this user.
    let other = token(&sign_up(&s, "errs2@example.com").await);
    let r = post_json(&s, &format!("/factors/{factor}/challenge"), &other, json!({})).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "mfa_factor_not_found");

    let verify = format!("/factors/{factor}/verify");
    let r = post_json(&s, &verify, &t, json!({ "challenge_id": unknown.to_string(), "code": "123456" })).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_factor_not_found");

    // Names must be unique per user; two unnamed factors clash too.
    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "totp" })).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_factor_name_conflict");
    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "sms" })).await;
    assert_eq!(r.status, 400);
    assert_eq!(error_code(&r), "validation_failed");
    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "phone", "phone": "+15550001111" })).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_phone_enroll_not_enabled");
    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "webauthn" })).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_webauthn_enroll_not_enabled");
    let r = s.call(Method::POST, "/factors", &[("authorization", &format!("Bearer {t}"))], None).await;
    assert_eq!(r.status, 400);
    assert_eq!(error_code(&r), "bad_json");

    let c = challenge(&s, &t, &factor).await;
    s.st.advance_clock(301);
    let code = totp_code(&secret, s.st.now().secs());
    let r = post_json(&s, &verify, &t, json!({ "challenge_id": c, "code": code })).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_challenge_expired");

    // Unverified factors older than five minutes are purged at the next enrollment, so the
    // unnamed name is free again.
    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "totp" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn anonymous_and_unauthenticated_callers_are_refused() {
    let s = auto(|c| c.anonymous = true);
    let r = s.post("/factors", json!({ "factor_type": "totp" })).await;
    assert_eq!(r.status, 401);
    assert_eq!(error_code(&r), "no_authorization");
    let anon = s.post("/signup", json!({})).await.json();
    let r = post_json(&s, "/factors", &token(&anon), json!({ "factor_type": "totp" })).await;
    assert_eq!(r.status, 403);
    assert_eq!(error_code(&r), "no_authorization");
    let id = uuid::Uuid::new_v4();
    let r = post_json(&s, &format!("/factors/{id}/challenge"), &token(&anon), json!({})).await;
    assert_eq!(r.status, 403);
    let r = delete(&s, &format!("/factors/{id}"), &token(&anon)).await;
    assert_eq!(r.status, 403);
    let r = s
        .call(
            Method::POST,
            "/factors",
            &[("origin", "http://localhost:5173"), ("authorization", "Bearer x.y.z")],
            Some(json!({ "factor_type": "totp" })),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(error_code(&r), "bad_jwt");
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
}

#[tokio::test]
async fn phone_factor_through_the_mailbox() {
    let s = auto(|c| c.mfa_phone = true);
    let t = token(&sign_up(&s, "sms-mfa@example.com").await);
    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "phone", "friendly_name": "mobile" })).await;
    assert_eq!(r.status, 400, "phone required");
    let r = post_json(
        &s,
        "/factors",
        &t,
        json!({ "factor_type": "phone", "friendly_name": "mobile", "phone": "+1 555 000 1111" }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let f = r.json();
    assert_eq!(f["type"], "phone");
    assert_eq!(f["phone"], "+1 555 000 1111", "as submitted");
    assert!(f.get("totp").is_none());
    let factor = f["id"].as_str().unwrap().to_string();
    let u = s.get_auth("/user", &t).await.json();
    assert_eq!(u["factors"][0]["phone"], "15550001111");

    let r = post_json(&s, &format!("/factors/{factor}/challenge"), &t, json!({ "channel": "sms" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let c = r.json();
    assert_eq!(c["type"], "phone");
    let mail = s.mailbox("15550001111").await;
    assert_eq!(mail["type"], "mfa_phone");
    let otp = mail["otp"].as_str().unwrap().to_string();
    assert_eq!(otp.len(), 6);

    // One SMS a minute.
    let r = post_json(&s, &format!("/factors/{factor}/challenge"), &t, json!({})).await;
    assert_eq!(r.status, 429);
    assert_eq!(error_code(&r), "over_sms_send_rate_limit");
    let r = post_json(&s, &format!("/factors/{factor}/challenge"), &t, json!({ "channel": "pigeon" })).await;
    assert_eq!(r.status, 400);

    let verify = format!("/factors/{factor}/verify");
    let wrong = if otp == "000000" { "111111" } else { "000000" };
    let r = post_json(&s, &verify, &t, json!({ "challenge_id": c["id"], "code": wrong })).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_verification_failed");
    let r = post_json(&s, &verify, &t, json!({ "challenge_id": c["id"], "code": otp })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let cl = claims(r.json()["access_token"].as_str().unwrap());
    assert_eq!(cl["aal"], "aal2");
    assert_eq!(cl["amr"][0]["method"], "mfa/phone");

    // A verified factor for the same number cannot be enrolled twice.
    let at = r.json()["access_token"].as_str().unwrap().to_string();
    let r = post_json(
        &s,
        "/factors",
        &at,
        json!({ "factor_type": "phone", "friendly_name": "again", "phone": "15550001111" }),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "mfa_verified_factor_exists");
}

#[tokio::test]
async fn phone_challenges_without_a_send_window() {
    let s = auto(|c| {
        c.mfa_phone = true;
        c.smtp_max_frequency = 0;
    });
    let t = token(&sign_up(&s, "sms-fast@example.com").await);
    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "phone", "phone": "15550002222" })).await;
    let factor = r.json()["id"].as_str().unwrap().to_string();
    for _ in 0..2 {
        let r = post_json(&s, &format!("/factors/{factor}/challenge"), &t, json!({})).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
}

#[tokio::test]
async fn webauthn_factor_shapes() {
    let s = auto(|c| c.mfa_webauthn = true);
    let t = token(&sign_up(&s, "webauthn@example.com").await);
    let r = post_json(&s, "/factors", &t, json!({ "factor_type": "webauthn", "friendly_name": "key" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let f = r.json();
    assert_eq!(f, json!({ "id": f["id"], "type": "webauthn", "friendly_name": "key" }));
    let factor = f["id"].as_str().unwrap().to_string();

    let r = post_json(&s, &format!("/factors/{factor}/challenge"), &t, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let c = r.json();
    assert_eq!(c["type"], "webauthn");
    assert_eq!(c["webauthn"]["type"], "create");
    let pk = &c["webauthn"]["credential_options"]["publicKey"];
    assert_eq!(pk["rp"]["id"], "localhost");
    assert!(pk["rp"]["name"].is_string());
    assert_eq!(pk["user"]["name"], "webauthn@example.com");
    assert_eq!(pk["user"]["displayName"], "webauthn@example.com");
    let handle = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(pk["user"]["id"].as_str().unwrap()).unwrap();
    assert_eq!(String::from_utf8(handle).unwrap(), claims(&t)["sub"].as_str().unwrap(), "GoTrue's WebAuthnID");
    assert_eq!(pk["pubKeyCredParams"][0], json!({ "type": "public-key", "alg": -7 }));
    let ch = pk["challenge"].as_str().unwrap().to_string();
    assert_eq!(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&ch).unwrap().len(), 32);

    let verify = format!("/factors/{factor}/verify");
    let r = post_json(&s, &verify, &t, json!({ "challenge_id": c["id"] })).await;
    assert_eq!(r.status, 400, "webauthn params required");
    let mut key = SoftAuthenticator::new();
    let bad_origin = key.create(&ch, "localhost", "https://evil.example", None);
    let r = post_json(
        &s,
        &verify,
        &t,
        json!({ "challenge_id": c["id"], "webauthn": { "type": "create", "credential_response": bad_origin } }),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(error_code(&r), "mfa_verification_failed");
    let bad_challenge = key.create("AAAA", "localhost", "http://localhost:3000", None);
    let r = post_json(
        &s,
        &verify,
        &t,
        json!({ "challenge_id": c["id"], "webauthn": { "type": "create", "credential_response": bad_challenge } }),
    )
    .await;
    assert_eq!(r.status, 422);

    // A registration for another RP id, and one whose attested key was tampered with, fail.
    let other_rp = key.create(&ch, "example.com", "http://localhost:3000", None);
    let r = post_json(
        &s,
        &verify,
        &t,
        json!({ "challenge_id": c["id"], "webauthn": { "type": "create", "credential_response": other_rp } }),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text());
    let good = key.create(&ch, "localhost", "http://localhost:3000", None);
    let r = post_json(
        &s,
        &verify,
        &t,
        json!({ "challenge_id": c["id"], "webauthn": { "type": "create", "credential_response": good } }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let session = r.json();
    let cl = claims(&token(&session));
    assert_eq!(cl["aal"], "aal2");
    assert_eq!(cl["amr"][0]["method"], "mfa/webauthn");
    assert_eq!(session["user"]["factors"][0]["status"], "verified");
    assert_eq!(session["user"]["factors"][0]["last_webauthn_challenge_data"]["type"], "create");

    // A verified factor is asked for an assertion of the registered credential.
    let t2 = token(&session);
    let r = post_json(&s, &format!("/factors/{factor}/challenge"), &t2, json!({})).await;
    let c = r.json();
    assert_eq!(c["webauthn"]["type"], "request");
    let pk = &c["webauthn"]["credential_options"]["publicKey"];
    assert_eq!(pk["rpId"], "localhost");
    assert_eq!(pk["allowCredentials"], json!([{ "type": "public-key", "id": key.credential_id() }]));
    let ch = pk["challenge"].as_str().unwrap();
    // Another authenticator's credential, and a signature by another key, are refused.
    let unknown = SoftAuthenticator::new().get(ch, "localhost", "http://localhost:3000");
    let r = post_json(
        &s,
        &verify,
        &t2,
        json!({ "challenge_id": c["id"], "webauthn": { "type": "request", "credential_response": unknown } }),
    )
    .await;
    assert_eq!(r.status, 422);
    let mut forged = SoftAuthenticator::new().get(ch, "localhost", "http://localhost:3000");
    forged["id"] = json!(key.credential_id());
    forged["rawId"] = json!(key.credential_id());
    let r = post_json(
        &s,
        &verify,
        &t2,
        json!({ "challenge_id": c["id"], "webauthn": { "type": "request", "credential_response": forged } }),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["msg"].as_str().unwrap().contains("signature"), "{}", r.text());
    let known = key.get(ch, "localhost", "http://localhost:3000");
    let r = post_json(
        &s,
        &verify,
        &t2,
        json!({ "challenge_id": c["id"], "webauthn": { "type": "request", "credential_response": known } }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn garbage_input_never_breaks_the_server() {
    let s = auto(|c| {
        c.mfa_phone = true;
        c.mfa_webauthn = true;
    });
    let t = token(&sign_up(&s, "garbage@example.com").await);
    let (factor, _) = enroll_totp(&s, &t, "g").await;
    for body in [
        json!(null),
        json!([1, 2]),
        json!({ "factor_type": 5 }),
        json!({ "factor_type": "phone", "phone": "++++" }),
        json!({ "factor_type": "totp", "issuer": "ünï cødé & <svg>", "friendly_name": "x".repeat(3000) }),
    ] {
        let r = post_json(&s, "/factors", &t, body.clone()).await;
        assert!(r.status < 500, "{body}: {}", r.text());
        r.json();
    }
    for body in [
        json!({ "challenge_id": "nope", "code": "1" }),
        json!({ "challenge_id": 7, "code": [] }),
        json!({ "challenge_id": uuid::Uuid::new_v4().to_string(), "code": "123456", "webauthn": "x" }),
    ] {
        let r = post_json(&s, &format!("/factors/{factor}/verify"), &t, body.clone()).await;
        assert!((400..500).contains(&r.status), "{body}: {}", r.text());
        r.json();
    }
    let r = delete(&s, "/factors/%FF%FE", &t).await;
    assert_eq!(r.status, 404);
    r.json();
}
