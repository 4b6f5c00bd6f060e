mod common;

use common::*;
use gotrue_test_server::config::Config;
use serde_json::{json, Value};

fn rt(v: &Value) -> String {
    v["refresh_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn password_grant_errors_and_weak_password_notice() {
    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    s.post("/signup", json!({ "email": "p@example.com", "password": "abcdef" })).await;

    let r = s.password_login("p@example.com", "wrong-password").await;
    assert_eq!(r.status, 400);
    let e = r.json();
    assert_eq!(e["error_code"], "invalid_credentials");
    assert_eq!(e["msg"], "Invalid login credentials");
    assert_eq!(s.password_login("nobody@example.com", "abcdef").await.json()["error_code"], "invalid_credentials");

    // Email matching is case-insensitive and the session is complete.
    let ok = s.password_login("P@Example.com", "abcdef").await;
    assert_eq!(ok.status, 200);
    assert!(ok.json().get("weak_password").is_none());

    let r = s.post("/token?grant_type=password", json!({})).await;
    assert_eq!(r.status, 400);

    let r = s.post("/token", json!({ "grant_type": "password", "email": "p@example.com", "password": "abcdef" })).await;
    assert_eq!(r.status, 400, "grant_type in the body is ignored");
    let e = r.json();
    assert_eq!(e["error_code"], "invalid_credentials");
    assert_eq!(e["msg"], "unsupported_grant_type");
}

#[tokio::test]
async fn weak_password_field_on_successful_login() {
    // Users keep old passwords when the policy tightens: create the account under a lax policy,
    // then hand the stored user to a server with a stricter one.
    let s = Server::new(Config { autoconfirm: true, password_min_length: 6, ..cfg() });
    let session = s.post("/signup", json!({ "email": "w@example.com", "password": "abcdef" })).await.json();
    assert!(session.get("weak_password").is_none());

    let strict = Server::new(Config { autoconfirm: true, password_min_length: 10, ..cfg() });
    let user = {
        let store = s.st.lock();
        store.users.values().next().unwrap().clone()
    };
    strict.st.lock().users.insert(user.id, user);
    let r = strict.password_login("w@example.com", "abcdef").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let b = r.json();
    assert_eq!(b["weak_password"]["reasons"], json!(["length"]));
    assert_eq!(b["weak_password"]["message"], "Password should be at least 10 characters.");
}

#[tokio::test]
async fn refresh_rotation_parent_rule_and_reuse_detection() {
    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    let first = s.post("/signup", json!({ "email": "r@example.com", "password": PASSWORD })).await.json();
    let t0 = rt(&first);

    let r1 = s.refresh(&t0).await;
    assert_eq!(r1.status, 200, "{}", r1.text());
    let b1 = r1.json();
    let t1 = rt(&b1);
    assert_ne!(t1, t0, "rotation issues a new token");
    let c0 = claims(first["access_token"].as_str().unwrap());
    let c1 = claims(b1["access_token"].as_str().unwrap());
    assert_eq!(c1["session_id"], c0["session_id"]);
    assert_eq!(c1["amr"], c0["amr"], "refresh keeps the original AMR");

    // t0 is the parent of the active t1: the active token comes back again.
    let again = s.refresh(&t0).await;
    assert_eq!(again.status, 200);
    assert_eq!(rt(&again.json()), t1);

    let t2 = rt(&s.refresh(&t1).await.json());
    assert_ne!(t2, t1);

    // t0 is now a grandparent, revoked long enough ago (interval 0): reuse.
    let reuse = s.refresh(&t0).await;
    assert_eq!(reuse.status, 400);
    let e = reuse.json();
    assert_eq!(e["error_code"], "refresh_token_already_used");
    assert_eq!(e["msg"], "Invalid Refresh Token: Already Used");
    // ...and the whole family is gone, including the active token.
    assert_eq!(s.refresh(&t2).await.json()["error_code"], "refresh_token_already_used");

    let stats = s.get("/__test/stats").await.json();
    assert_eq!(stats["refresh_token_requests"], 5);
    assert_eq!(stats["password_requests"], 0);
    assert_eq!(stats["users"], 1);
    assert_eq!(stats["sessions"], 1);
}

#[tokio::test]
async fn reuse_interval_gives_a_fresh_child() {
    let s = Server::new(Config { autoconfirm: true, reuse_interval: 10, ..cfg() });
    let t0 = rt(&s.post("/signup", json!({ "email": "ri@example.com", "password": PASSWORD })).await.json());
    let t1 = rt(&s.refresh(&t0).await.json());
    let t2 = rt(&s.refresh(&t1).await.json());
    // t0 was revoked moments ago: within the interval, a new child instead of an error.
    let r = s.refresh(&t0).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let fresh = rt(&r.json());
    assert!(![t0.as_str(), t1.as_str()].contains(&fresh.as_str()));
    assert_ne!(fresh, t2);
    // t1 (parent of t2, which is no longer the newest active token) revoked over 10 s ago: reuse.
    s.st.advance_clock(11);
    assert_eq!(s.refresh(&t1).await.json()["error_code"], "refresh_token_already_used");
}

#[tokio::test]
async fn refresh_token_format_and_unknown_tokens() {
    let s = Server::new(cfg());
    for bad in ["", "short", "ABCDEFGHIJKL", "abcdefghijk!", "abcdefghijklmnop"] {
        let r = s.refresh(bad).await;
        assert_eq!(r.status, 400, "{bad:?}");
        let e = r.json();
        assert_eq!(e["error_code"], "validation_failed", "{bad:?}");
        assert_eq!(e["msg"], "Refresh token is not valid");
    }
    let r = s.refresh("abcdefghijkl").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error_code"], "refresh_token_not_found");
}

#[tokio::test]
async fn pkce_flow_through_magic_link() {
    use base64::Engine;
    use sha2::Digest;
    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    s.post("/signup", json!({ "email": "k@example.com", "password": PASSWORD })).await;
    let verifier = "verifier-verifier-verifier-verifier-verifier-0123";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let r = s
        .post(
            "/otp?redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1",
            json!({ "email": "k@example.com", "code_challenge": challenge, "code_challenge_method": "s256" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({}));
    let mail = s.mailbox("k@example.com").await;
    assert_eq!(mail["type"], "magiclink");
    let hash = mail["token_hash"].as_str().unwrap();
    assert!(hash.starts_with("pkce_"));

    let v = s
        .get(&format!("/verify?token={hash}&type=magiclink&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1"))
        .await;
    assert_eq!(v.status, 303);
    let loc = v.location();
    let code = loc
        .strip_prefix("http://localhost:3000/cb?code=")
        .and_then(|rest| rest.strip_suffix("&x=1"))
        .unwrap_or_else(|| panic!("unexpected Location {loc}"));
    assert_eq!(code.len(), 36);

    let exchange = |verifier: &'static str| {
        let code = code.to_string();
        let s = &s;
        async move { s.post("/token?grant_type=pkce", json!({ "auth_code": code, "code_verifier": verifier })).await }
    };
    let wrong = exchange("wrong-verifier-wrong-verifier-wrong-verifier-000").await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.json()["error_code"], "bad_code_verifier");

    let good = exchange(verifier).await;
    assert_eq!(good.status, 200, "{}", good.text());
    let session = good.json();
    assert_eq!(session["user"]["email"], "k@example.com");
    assert_eq!(claims(session["access_token"].as_str().unwrap())["amr"][0]["method"], "magiclink");

    let twice = exchange(verifier).await;
    assert_eq!(twice.status, 404);
    assert_eq!(twice.json()["error_code"], "flow_state_not_found");

    let missing = s.post("/token?grant_type=pkce", json!({ "auth_code": code })).await;
    assert_eq!(missing.status, 400);
}

#[tokio::test]
async fn pkce_code_expires_after_300_seconds() {
    let s = Server::new(cfg());
    let verifier = "plain-verifier-plain-verifier-plain-verifier-123";
    s.post(
        "/signup",
        json!({ "email": "ex@example.com", "password": PASSWORD, "code_challenge": verifier, "code_challenge_method": "plain" }),
    )
    .await;
    let mail = s.mailbox("ex@example.com").await;
    let v = s.get(mail["link"].as_str().unwrap().strip_prefix(EXTERNAL).unwrap()).await;
    assert_eq!(v.status, 303);
    let loc = v.location();
    let code = loc.split("code=").nth(1).unwrap().to_string();
    s.st.advance_clock(301);
    let r = s.post("/token?grant_type=pkce", json!({ "auth_code": code, "code_verifier": verifier })).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "flow_state_expired");
}
