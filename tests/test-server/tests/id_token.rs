//! `POST /token?grant_type=id_token` (contract §4.3, §3.2) against the built-in test OpenID issuer
//! (`/__test/oidc/...`).

mod common;

use axum::http::Method;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use serde_json::{json, Value};
use sha2::Digest;

const ISSUER: &str = "http://127.0.0.1:9999/__test/oidc";

async fn issue(s: &Server, body: Value) -> String {
    let r = s.post("/__test/oidc/issue", body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["id_token"].as_str().unwrap().to_string()
}

async fn grant(s: &Server, body: Value) -> Resp {
    s.post("/token?grant_type=id_token", body).await
}

/// An OAuth-style error: `{"error", "error_description"}`, HTTP 400, nothing else.
fn oauth_error(r: &Resp, error: &str) -> String {
    assert_eq!(r.status, 400, "{}", r.text());
    let body = r.json();
    assert_eq!(body["error"], error, "{body}");
    assert!(body.get("code").is_none() && body.get("error_code").is_none(), "{body}");
    body["error_description"].as_str().unwrap_or("").to_string()
}

fn sha256_hex(s: &str) -> String {
    sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn issuer_publishes_its_key_and_signs_tokens_with_it() {
    use p256::ecdsa::signature::Verifier;
    let s = Server::new(cfg());
    let r = s.call(Method::GET, "/__test/oidc/jwks.json", &[("origin", "http://localhost:3000")], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    let jwk = r.json()["keys"][0].clone();
    assert_eq!(jwk["kid"], "test-oidc-es256-1");
    assert_eq!(jwk["alg"], "ES256");

    let token = issue(&s, json!({ "sub": "g-1", "email": "Ann@Example.com", "nonce": "raw-nonce" })).await;
    let c = claims(&token);
    assert_eq!(c["iss"], ISSUER);
    assert_eq!(c["aud"], "test-client");
    assert_eq!(c["sub"], "g-1");
    assert_eq!(c["email"], "Ann@Example.com");
    assert_eq!(c["email_verified"], true);
    assert_eq!(c["nonce"], sha256_hex("raw-nonce"));
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 3600);

    let (input, sig) = token.rsplit_once('.').unwrap();
    let dec = |v: &Value| URL_SAFE_NO_PAD.decode(v.as_str().unwrap()).unwrap();
    let point = p256::EncodedPoint::from_affine_coordinates(
        dec(&jwk["x"]).as_slice().into(),
        dec(&jwk["y"]).as_slice().into(),
        false,
    );
    let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point).unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).unwrap()).unwrap();
    assert!(key.verify(input.as_bytes(), &sig).is_ok());

    let r = s.get("/__test/oidc/.well-known/openid-configuration").await;
    assert_eq!(r.json()["issuer"], ISSUER);
    assert_eq!(r.json()["jwks_uri"], format!("{ISSUER}/jwks.json"));
}

#[tokio::test]
async fn sign_in_creates_then_finds_the_user() {
    let s = Server::new(cfg());
    let token = issue(&s, json!({ "sub": "g-42", "email": "Ann@Example.com", "nonce": "n-1" })).await;
    let r =
        grant(&s, json!({ "id_token": token, "provider": "google", "nonce": "n-1", "access_token": "ignored" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let session = r.json();
    let user = &session["user"];
    assert_eq!(user["email"], "ann@example.com");
    assert!(user["email_confirmed_at"].is_string());
    assert_eq!(user["app_metadata"]["provider"], "google");
    assert_eq!(user["app_metadata"]["providers"], json!(["google"]));
    let identity = &user["identities"][0];
    assert_eq!(identity["provider"], "google");
    assert_eq!(identity["id"], "g-42");
    assert_eq!(identity["identity_data"]["email"], "ann@example.com");
    let c = claims(session["access_token"].as_str().unwrap());
    assert_eq!(c["amr"][0]["method"], "oauth");
    assert_eq!(c["sub"], user["id"]);
    assert_eq!(s.get_auth("/user", session["access_token"].as_str().unwrap()).await.status, 200);

    // Same subject again (no nonce this time): same user, still one identity.
    let token = issue(&s, json!({ "sub": "g-42", "email": "ann@example.com" })).await;
    let r = grant(&s, json!({ "id_token": token, "provider": "google" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["user"]["id"], user["id"]);
    assert_eq!(r.json()["user"]["identities"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn every_test_provider_is_accepted_and_an_existing_email_user_is_reused() {
    let s = Server::new(cfg());
    let existing = s.confirmed_user("known@example.com").await;
    for (i, provider) in ["apple", "keycloak", "custom:test", "Google"].iter().enumerate() {
        let token = issue(&s, json!({ "sub": format!("s-{i}"), "email": "known@example.com" })).await;
        let r = grant(&s, json!({ "id_token": token, "provider": provider })).await;
        assert_eq!(r.status, 200, "{provider}: {}", r.text());
        assert_eq!(r.json()["user"]["id"], existing["user"]["id"], "{provider}");
    }
    // An unverified address does not take over (or duplicate) the existing account.
    let token = issue(&s, json!({ "sub": "unverified", "email": "known@example.com", "email_verified": false })).await;
    let r = grant(&s, json!({ "id_token": token, "provider": "google" })).await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["error_code"], "email_exists");

    let r = s.password_login("known@example.com", PASSWORD).await;
    let providers = r.json()["user"]["app_metadata"]["providers"].clone();
    assert_eq!(providers, json!(["email", "apple", "keycloak", "custom:test", "google"]));
}

#[tokio::test]
async fn nonce_rules() {
    let s = Server::new(cfg());
    let token = issue(&s, json!({ "sub": "n", "email": "n@example.com", "nonce": "right" })).await;
    let r = grant(&s, json!({ "id_token": token, "provider": "google", "nonce": "wrong" })).await;
    oauth_error(&r, "invalid nonce");
    // The hash itself is not the raw nonce.
    let r = grant(&s, json!({ "id_token": token, "provider": "google", "nonce": sha256_hex("right") })).await;
    oauth_error(&r, "invalid nonce");
    let r = grant(&s, json!({ "id_token": token, "provider": "google" })).await;
    oauth_error(&r, "invalid request");
    let plain = issue(&s, json!({ "sub": "n", "email": "n@example.com" })).await;
    let r = grant(&s, json!({ "id_token": plain, "provider": "google", "nonce": "extra" })).await;
    oauth_error(&r, "invalid request");
    let r = grant(&s, json!({ "id_token": token, "provider": "google", "nonce": "right" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn bad_tokens_are_refused() {
    let s = Server::new(cfg());
    let expired = issue(&s, json!({ "sub": "e", "email": "e@example.com", "exp_in": -5 })).await;
    let d = oauth_error(&grant(&s, json!({ "id_token": expired, "provider": "google" })).await, "invalid request");
    assert!(d.contains("expired"), "{d}");

    // Valid now, expired once the clock moves past exp.
    let short = issue(&s, json!({ "sub": "e", "email": "e@example.com", "exp_in": 60 })).await;
    s.st.advance_clock(61);
    oauth_error(&grant(&s, json!({ "id_token": short, "provider": "google" })).await, "invalid request");

    let wrong_aud = issue(&s, json!({ "sub": "e", "aud": "another-client" })).await;
    let d = oauth_error(&grant(&s, json!({ "id_token": wrong_aud, "provider": "apple" })).await, "invalid request");
    assert!(d.contains("audience"), "{d}");

    // A token from the server's own HS256 secret is not an ID token of the issuer.
    let forged = gotrue_test_server::jwt::sign(
        &s.st.cfg.jwt_secret,
        &json!({ "iss": ISSUER, "aud": "test-client", "sub": "x", "exp": 9_999_999_999i64 }),
    );
    oauth_error(&grant(&s, json!({ "id_token": forged, "provider": "google" })).await, "invalid request");
    // Claims swapped under a genuine signature.
    let genuine = issue(&s, json!({ "sub": "victim", "email": "v@example.com" })).await;
    let parts: Vec<&str> = genuine.split('.').collect();
    let mut c = claims(&genuine);
    c["sub"] = json!("attacker");
    let swapped = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).unwrap()), parts[2]);
    oauth_error(&grant(&s, json!({ "id_token": swapped, "provider": "google" })).await, "invalid request");
    for junk in ["", "x", "a.b.c", "..."] {
        let r = grant(&s, json!({ "id_token": junk, "provider": "google" })).await;
        oauth_error(&r, "invalid request");
    }
    assert_eq!(s.get("/__test/stats").await.json()["users"], 0);
}

#[tokio::test]
async fn provider_checks() {
    let s = Server::new(cfg());
    let token = issue(&s, json!({ "sub": "p", "email": "p@example.com" })).await;
    let d = oauth_error(&grant(&s, json!({ "id_token": token, "provider": "myspace" })).await, "invalid request");
    assert!(d.contains("not supported"), "{d}");
    oauth_error(&grant(&s, json!({ "id_token": token })).await, "invalid request");
    oauth_error(&grant(&s, json!({ "provider": "google" })).await, "invalid request");
    // Providers GoTrue knows but this server has not enabled: its usual error body.
    for provider in ["facebook", "azure", "custom:other"] {
        let r = grant(&s, json!({ "id_token": token, "provider": provider })).await;
        assert_eq!(r.status, 400, "{}", r.text());
        assert_eq!(r.json()["error_code"], "provider_disabled", "{provider}");
    }
    let r = s
        .call(
            Method::POST,
            "/token?grant_type=id_token",
            &[("origin", "http://localhost:3000")],
            Some(json!({ "id_token": "x", "provider": "google" })),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert_eq!(r.header("content-type").as_deref(), Some("application/json"));
    let r = s.call(Method::POST, "/token?grant_type=id_token", &[], Some(json!("not an object"))).await;
    assert_eq!(r.json()["error_code"], "bad_json");
}

#[tokio::test]
async fn link_identity_adds_it_to_the_bearer() {
    let s = Server::new(cfg());
    let me = s.confirmed_user("me@example.com").await;
    let my_token = me["access_token"].as_str().unwrap();
    let token = issue(&s, json!({ "sub": "g-link", "email": "work@example.com" })).await;
    let body = json!({ "id_token": token, "provider": "google", "link_identity": true });

    // Linking needs the bearer.
    let r = grant(&s, body.clone()).await;
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(r.json()["error_code"], "no_authorization");

    let bearer = format!("Bearer {my_token}");
    let r = s.call(Method::POST, "/token?grant_type=id_token", &[("authorization", &bearer)], Some(body.clone())).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let session = r.json();
    assert_eq!(session["user"]["id"], me["user"]["id"]);
    assert_eq!(session["user"]["email"], "me@example.com");
    let providers: Vec<&str> =
        session["user"]["identities"].as_array().unwrap().iter().map(|i| i["provider"].as_str().unwrap()).collect();
    assert_eq!(providers, ["email", "google"]);

    // Signing in with that token later finds the same user (no new account for work@).
    let token2 = issue(&s, json!({ "sub": "g-link", "email": "work@example.com" })).await;
    let r = grant(&s, json!({ "id_token": token2, "provider": "google" })).await;
    assert_eq!(r.json()["user"]["id"], me["user"]["id"]);

    // Linking it again is refused.
    let r = s
        .call(
            Method::POST,
            "/token?grant_type=id_token",
            &[("authorization", &bearer)],
            Some(json!({ "id_token": token2, "provider": "google", "link_identity": true })),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["error_code"], "identity_already_exists");
}
