//! Asymmetric access tokens (`--jwt-alg`), `GET /.well-known/jwks.json` (contract §4.17, §8) and
//! `POST /__test/rotate_signing_key`. Signatures are checked here against the published JWK, not
//! through the server's own code.

mod common;

use axum::http::Method;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use gotrue_test_server::config::Config;
use gotrue_test_server::jwt;
use gotrue_test_server::keys::Alg;
use serde_json::{json, Value};

fn server(alg: Alg) -> Server {
    Server::new(Config { autoconfirm: true, jwt_alg: alg, ..cfg() })
}

async fn sign_up(s: &Server, email: &str) -> Value {
    let r = s.post("/signup", json!({ "email": email, "password": PASSWORD })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn b64(v: &Value) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(v.as_str().expect("base64url string")).unwrap()
}

fn header(token: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').next().unwrap()).unwrap()).unwrap()
}

/// Verifies a compact JWS with a public JWK as a client library would.
fn verify_with_jwk(token: &str, jwk: &Value) -> bool {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    match jwk["kty"].as_str().unwrap() {
        "EC" => {
            use p256::ecdsa::signature::Verifier;
            assert_eq!(jwk["crv"], "P-256");
            let point = p256::EncodedPoint::from_affine_coordinates(
                b64(&jwk["x"]).as_slice().into(),
                b64(&jwk["y"]).as_slice().into(),
                false,
            );
            let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point).unwrap();
            p256::ecdsa::Signature::from_slice(&sig).is_ok_and(|s| key.verify(input.as_bytes(), &s).is_ok())
        }
        "RSA" => {
            use sha2::Digest;
            let key = rsa::RsaPublicKey::new(
                rsa::BigUint::from_bytes_be(&b64(&jwk["n"])),
                rsa::BigUint::from_bytes_be(&b64(&jwk["e"])),
            )
            .unwrap();
            key.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &sha2::Sha256::digest(input.as_bytes()), &sig).is_ok()
        }
        other => panic!("unexpected kty {other}"),
    }
}

async fn jwks(s: &Server) -> Vec<Value> {
    let r = s.call(Method::GET, "/.well-known/jwks.json", &[("origin", "http://localhost:3000")], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control").as_deref(), Some("public, max-age=600"));
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    r.json()["keys"].as_array().unwrap().clone()
}

fn key<'a>(keys: &'a [Value], kid: &str) -> &'a Value {
    keys.iter().find(|k| k["kid"] == kid).unwrap_or_else(|| panic!("no key {kid} in {keys:?}"))
}

#[tokio::test]
async fn hs256_is_the_default_and_publishes_no_keys() {
    let s = server(Alg::Hs256);
    assert!(jwks(&s).await.is_empty());
    let session = sign_up(&s, "hs@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let h = header(token);
    assert_eq!(h["alg"], "HS256");
    assert!(h.get("kid").is_none());
    let r = s.post("/__test/rotate_signing_key", json!({})).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error_code"], "validation_failed");
}

async fn asymmetric_round_trip(alg: Alg, kid: &str, kty: &str) {
    let s = server(alg);
    let session = sign_up(&s, "asym@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let h = header(token);
    assert_eq!(h["alg"], alg.name());
    assert_eq!(h["kid"], kid);
    assert_eq!(h["typ"], "JWT");

    let keys = jwks(&s).await;
    assert_eq!(keys.len(), 1);
    let jwk = key(&keys, kid);
    assert_eq!(jwk["kty"], kty);
    assert_eq!(jwk["alg"], alg.name());
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["key_ops"], json!(["verify"]));
    assert!(jwk.get("d").is_none(), "private part published: {jwk}");
    assert!(verify_with_jwk(token, jwk));
    // The same signature over other claims does not verify.
    let (_, sig) = token.rsplit_once('.').unwrap();
    let forged_claims = URL_SAFE_NO_PAD.encode(br#"{"sub":"someone-else"}"#);
    let forged = format!("{}.{forged_claims}.{sig}", token.split('.').next().unwrap());
    assert!(!verify_with_jwk(&forged, jwk));

    // The server accepts its own tokens, before and after a refresh.
    assert_eq!(s.get_auth("/user", token).await.status, 200);
    let r = s.refresh(session["refresh_token"].as_str().unwrap()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let refreshed = r.json()["access_token"].as_str().unwrap().to_string();
    assert!(verify_with_jwk(&refreshed, jwk));
    assert_eq!(s.get_auth("/user", &refreshed).await.status, 200);
    assert_eq!(s.get_auth("/user", &forged).await.status, 403);
}

#[tokio::test]
async fn es256_tokens_verify_against_the_jwks() {
    asymmetric_round_trip(Alg::Es256, "test-es256-1", "EC").await;
}

#[tokio::test]
async fn rs256_tokens_verify_against_the_jwks() {
    asymmetric_round_trip(Alg::Rs256, "test-rs256-1", "RSA").await;
}

#[tokio::test]
async fn rotation_keeps_old_keys_and_old_tokens() {
    let s = server(Alg::Es256);
    let old = sign_up(&s, "rotate@example.com").await;
    let old_token = old["access_token"].as_str().unwrap();

    let r = s.call(Method::POST, "/__test/rotate_signing_key", &[("origin", "http://localhost:3000")], None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert_eq!(r.json(), json!({ "kid": "test-es256-2", "alg": "ES256" }));

    let keys = jwks(&s).await;
    let kids: Vec<&str> = keys.iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids, ["test-es256-1", "test-es256-2"]);
    assert_ne!(keys[0]["x"], keys[1]["x"]);

    // New tokens use the new key, and only it verifies them.
    let r = s.password_login("rotate@example.com", PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let new_token = r.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(header(&new_token)["kid"], "test-es256-2");
    assert!(verify_with_jwk(&new_token, key(&keys, "test-es256-2")));
    assert!(!verify_with_jwk(&new_token, key(&keys, "test-es256-1")));

    // Both generations are accepted by the server.
    assert_eq!(s.get_auth("/user", old_token).await.status, 200);
    assert_eq!(s.get_auth("/user", &new_token).await.status, 200);
    let r = s.refresh(old["refresh_token"].as_str().unwrap()).await;
    assert_eq!(r.status, 200);
    assert_eq!(header(r.json()["access_token"].as_str().unwrap())["kid"], "test-es256-2");

    let r = s.post("/__test/rotate_signing_key", json!({})).await;
    assert_eq!(r.json()["kid"], "test-es256-3");
    assert_eq!(jwks(&s).await.len(), 3);
    assert_eq!(s.get_auth("/user", old_token).await.status, 200);
}

#[tokio::test]
async fn asymmetric_mode_still_accepts_hs256_and_rejects_unknown_keys() {
    let s = server(Alg::Es256);
    let session = sign_up(&s, "mixed@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let c = claims(token);

    // An HS256 token signed with the secret (issued before the switch, say) stays valid.
    let hs = jwt::sign(&s.st.cfg.jwt_secret, &c);
    assert_eq!(s.get_auth("/user", &hs).await.status, 200);
    let bad_hs = jwt::sign("another-secret-another-secret-another", &c);
    assert_eq!(s.get_auth("/user", &bad_hs).await.json()["error_code"], "bad_jwt");

    // Right kid, wrong key.
    let foreign = gotrue_test_server::keys::AsymKey::generate(Alg::Es256, "test-es256-1").unwrap();
    let r = s.get_auth("/user", &foreign.sign_jwt(&c)).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error_code"], "bad_jwt");
    // A kid the server never had.
    let stranger = gotrue_test_server::keys::AsymKey::generate(Alg::Es256, "nope").unwrap();
    let r = s.get_auth("/user", &stranger.sign_jwt(&c)).await;
    assert_eq!(r.status, 403);
    assert!(r.json()["msg"].as_str().unwrap().contains("kid"), "{}", r.text());

    // Expiry still applies.
    s.st.advance_clock(3601);
    assert_eq!(s.get_auth("/user", token).await.status, 403);
}

#[tokio::test]
async fn admin_endpoints_read_asymmetric_tokens_too() {
    let s = server(Alg::Es256);
    let session = sign_up(&s, "plain@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    // A valid user token that is not an admin's: refused for its role, not its signature.
    let r = s.get_auth("/admin/users", token).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error_code"], "not_admin");
}
