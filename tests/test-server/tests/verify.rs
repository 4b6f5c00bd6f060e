mod common;

use common::*;
use gotrue_test_server::config::Config;
use serde_json::json;

fn link_path(mail: &serde_json::Value) -> String {
    mail["link"].as_str().unwrap().strip_prefix(EXTERNAL).unwrap().to_string()
}

#[tokio::test]
async fn get_verify_redirects_with_the_implicit_fragment() {
    let s = Server::new(cfg());
    s.post("/signup?redirect_to=http://localhost:3000/done", json!({ "email": "v@example.com", "password": PASSWORD }))
        .await;
    let mail = s.mailbox("v@example.com").await;
    let r = s.get(&link_path(&mail)).await;
    assert_eq!(r.status, 303);
    let loc = r.location();
    let (base, fragment) = loc.split_once('#').unwrap();
    assert_eq!(base, "http://localhost:3000/done");
    let p = pairs(fragment);
    let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        ["access_token", "expires_at", "expires_in", "refresh_token", "sb", "token_type", "type"],
        "alphabetical keys"
    );
    assert!(fragment.contains("&sb=&token_type=bearer&type=signup"));
    assert_eq!(p[2].1, "3600");
    let c = claims(&p[0].1);
    assert_eq!(c["email"], "v@example.com");
    assert_eq!(c["amr"][0]["method"], "otp");
    // The refresh token from the fragment works.
    assert_eq!(s.refresh(&p[3].1).await.status, 200);

    // The same link again: error fragment replaces any fragment, query kept.
    let r = s.get(&link_path(&mail)).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location(),
        "http://localhost:3000/done#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired&sb="
    );
}

#[tokio::test]
async fn get_verify_redirect_to_validation_and_bad_requests() {
    let s = Server::new(Config { allow_list: vec!["https://app.example.org/**".into()], ..cfg() });
    let r = s.get("/verify?token=nope&type=signup&redirect_to=https%3A%2F%2Fevil.example.net%2F").await;
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("http://localhost:3000#error=access_denied&"), "{}", r.location());
    let r = s.get("/verify?token=nope&type=signup&redirect_to=https%3A%2F%2Fapp.example.org%2Fa%3Fq%3D1%23frag").await;
    assert!(r.location().starts_with("https://app.example.org/a?q=1#error=access_denied&"), "{}", r.location());
    let r = s.get("/verify?token=pkce_nope&type=recovery&redirect_to=http%3A%2F%2F127.0.0.1%3A8000%2Fcb").await;
    assert_eq!(
        r.location(),
        "http://127.0.0.1:8000/cb?error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired&sb="
    );
    for q in ["/verify?type=signup", "/verify?token=abc", "/verify?token=abc&type=sms"] {
        let r = s.get(q).await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.json()["error_code"], "validation_failed");
    }
}

#[tokio::test]
async fn post_verify_parameter_combinations() {
    let s = Server::new(cfg());
    let cases = [
        (json!({ "type": "signup", "token": "1", "token_hash": "x", "email": "a@b.co" }), 400),
        (json!({ "type": "signup" }), 400),
        (json!({ "type": "signup", "token_hash": "x", "email": "a@b.co" }), 400),
        (json!({ "type": "signup", "token_hash": "x", "redirect_to": "http://localhost:3000" }), 400),
        (json!({ "type": "bogus", "token_hash": "x" }), 400),
        (json!({ "type": "signup", "token": "123456", "email": "bad-email" }), 422),
        (json!({ "type": "signup", "token": "123456", "email": "a@b.co" }), 403),
        (json!({ "type": "email", "token_hash": "nope" }), 403),
    ];
    for (body, status) in cases {
        let r = s.post("/verify", body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text());
    }
    let r = s.post("/verify", json!({ "type": "email", "token_hash": "nope" })).await;
    assert_eq!(r.json()["msg"], "Email link is invalid or has expired");
}

#[tokio::test]
async fn otps_expire() {
    let s = Server::new(Config { otp_exp: 100, ..cfg() });
    s.post("/signup", json!({ "email": "late@example.com", "password": PASSWORD })).await;
    let mail = s.mailbox("late@example.com").await;
    s.st.advance_clock(101);
    let r = s.post("/verify", json!({ "type": "email", "email": "late@example.com", "token": mail["otp"] })).await;
    assert_eq!(r.status, 403);
    let e = r.json();
    assert_eq!(e["error_code"], "otp_expired");
    assert_eq!(e["msg"], "Token has expired or is invalid");
}

#[tokio::test]
async fn magic_link_for_new_and_existing_users() {
    let s = Server::new(cfg());
    // Unknown address: a sign-up confirmation, not a magic link.
    assert_eq!(s.post("/magiclink", json!({ "email": "m@example.com" })).await.status, 200);
    let first = s.mailbox("m@example.com").await;
    assert_eq!(first["type"], "signup");
    let r = s.post("/verify", json!({ "type": "email", "token_hash": first["token_hash"] })).await;
    assert_eq!(r.status, 200, "{}", r.text());

    s.st.advance_clock(61);
    assert_eq!(s.post("/otp", json!({ "email": "m@example.com" })).await.status, 200);
    let link = s.mailbox("m@example.com").await;
    assert_eq!(link["type"], "magiclink");
    let r = s.post("/otp", json!({ "email": "m@example.com" })).await;
    assert_eq!(r.status, 429, "shares the send window");
    let r = s.post("/verify", json!({ "type": "magiclink", "email": "m@example.com", "token": link["otp"] })).await;
    assert_eq!(r.status, 200);

    let r = s.post("/otp", json!({ "email": "new@example.com", "create_user": false })).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "otp_disabled");
    let r = s.post("/magiclink", json!({})).await;
    assert_eq!(r.status, 422);
    let r = s.post("/otp", json!({})).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn recovery_and_resend() {
    let s = Server::new(cfg());
    assert_eq!(s.post("/recover", json!({ "email": "ghost@example.com" })).await.json(), json!({}));
    assert_eq!(s.post("/resend", json!({ "type": "signup", "email": "ghost@example.com" })).await.json(), json!({}));
    assert_eq!(s.post("/recover", json!({})).await.status, 400);
    assert_eq!(s.post("/resend", json!({ "type": "nope", "email": "a@b.co" })).await.status, 400);

    s.post("/signup", json!({ "email": "rs@example.com", "password": PASSWORD })).await;
    let r = s.post("/resend", json!({ "type": "signup", "email": "rs@example.com" })).await;
    assert_eq!(r.status, 429);
    s.st.advance_clock(60);
    assert_eq!(s.post("/resend", json!({ "type": "signup", "email": "rs@example.com" })).await.status, 200);
    let mail = s.mailbox("rs@example.com").await;
    s.post("/verify", json!({ "type": "signup", "token_hash": mail["token_hash"] })).await;

    s.st.advance_clock(60);
    assert_eq!(s.post("/recover", json!({ "email": "rs@example.com" })).await.status, 200);
    let mail = s.mailbox("rs@example.com").await;
    assert_eq!(mail["type"], "recovery");
    let r = s.get(&link_path(&mail)).await;
    assert_eq!(r.status, 303);
    assert!(r.location().ends_with("&sb=&token_type=bearer&type=recovery"), "{}", r.location());
}

#[tokio::test]
async fn secure_email_change_needs_both_addresses() {
    let s = Server::new(cfg());
    let session = s.confirmed_user("old@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let r = s.put_auth("/user", token, json!({ "email": "New@Example.com" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json();
    assert_eq!(u["email"], "old@example.com");
    assert_eq!(u["new_email"], "new@example.com");
    assert!(u["email_change_sent_at"].is_string());

    let current = s.mailbox("old@example.com").await;
    let new = s.mailbox("new@example.com").await;
    assert_eq!(current["type"], "email_change_current");
    assert_eq!(new["type"], "email_change_new");
    assert!(current["link"].as_str().unwrap().contains("type=email_change&"));

    let r = s.post("/verify", json!({ "type": "email_change", "email": "new@example.com", "token": new["otp"] })).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({ "msg": "Confirmation link accepted. Please proceed to confirm link sent to the other email", "code": "200" })
    );
    let r = s.get(&link_path(&current)).await;
    assert_eq!(r.status, 303);
    assert!(r.location().contains("&type=email_change"), "{}", r.location());
    let u = s.get_auth("/user", token).await.json();
    assert_eq!(u["email"], "new@example.com");
    assert!(u.get("new_email").is_none());
    assert_eq!(u["identities"][0]["email"], "new@example.com");
}

#[tokio::test]
async fn half_confirmed_email_change_link_redirects_with_message() {
    let s = Server::new(cfg());
    let session = s.confirmed_user("h1@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    s.put_auth("/user", token, json!({ "email": "h2@example.com" })).await;
    let r = s.get(&link_path(&s.mailbox("h1@example.com").await)).await;
    assert_eq!(
        r.location(),
        "http://localhost:3000#message=Confirmation+link+accepted.+Please+proceed+to+confirm+link+sent+to+the+other+email&sb="
    );
}

fn s256(verifier: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier))
}

async fn exchange(s: &Server, location: &str, verifier: &str) -> serde_json::Value {
    let code = location
        .split_once("code=")
        .map(|(_, rest)| rest.split(['&', '#']).next().unwrap())
        .unwrap_or_else(|| panic!("no code in {location}"));
    let r = s.post("/token?grant_type=pkce", json!({ "auth_code": code, "code_verifier": verifier })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn recovery_link_in_a_pkce_flow() {
    let s = Server::new(cfg());
    s.confirmed_user("pr@example.com").await;
    let verifier = "recovery-verifier-recovery-verifier-recovery-verifier";
    let r = s
        .post(
            "/recover?redirect_to=http%3A%2F%2Flocalhost%3A3000%2Freset%3Fstep%3D2",
            json!({ "email": "pr@example.com", "code_challenge": s256(verifier), "code_challenge_method": "s256" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let mail = s.mailbox("pr@example.com").await;
    assert_eq!(mail["type"], "recovery");
    let hash = mail["token_hash"].as_str().unwrap();
    assert!(hash.starts_with("pkce_"));
    assert_eq!(
        mail["link"],
        format!(
            "{EXTERNAL}/verify?token={hash}&type=recovery&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Freset%3Fstep%3D2"
        )
    );
    let r = s.get(&link_path(&mail)).await;
    assert_eq!(r.status, 303);
    let loc = r.location();
    assert!(loc.starts_with("http://localhost:3000/reset?code=") && loc.ends_with("&step=2"), "{loc}");
    let session = exchange(&s, &loc, verifier).await;
    assert_eq!(session["user"]["email"], "pr@example.com");
    assert!(session.get("provider_token").is_none());
    let token = session["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["amr"][0]["method"], "recovery");
    // A recovery session sets a new password.
    let r = s.put_auth("/user", token, json!({ "password": "brand-new-pass-1" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.password_login("pr@example.com", "brand-new-pass-1").await.status, 200);
    // The link is single-use.
    let r = s.get(&link_path(&mail)).await;
    assert!(r.location().contains("error_code=otp_expired"), "{}", r.location());
}

#[tokio::test]
async fn signup_magiclink_and_email_change_links_in_a_pkce_flow() {
    let s = Server::new(cfg());
    let verifier = "pkce-links-verifier-pkce-links-verifier-pkce-links";
    let pkce = |mut body: serde_json::Value| {
        body["code_challenge"] = json!(s256(verifier));
        body["code_challenge_method"] = json!("S256");
        body
    };
    s.post("/signup", pkce(json!({ "email": "pl@example.com", "password": PASSWORD }))).await;
    let mail = s.mailbox("pl@example.com").await;
    assert!(mail["link"].as_str().unwrap().contains("token=pkce_"));
    let loc = s.get(&link_path(&mail)).await.location();
    let session = exchange(&s, &loc, verifier).await;
    assert_eq!(claims(session["access_token"].as_str().unwrap())["amr"][0]["method"], "email/signup");

    s.post("/magiclink", pkce(json!({ "email": "pl@example.com" }))).await;
    let mail = s.mailbox("pl@example.com").await;
    assert_eq!(mail["type"], "magiclink");
    let loc = s.get(&link_path(&mail)).await.location();
    let session = exchange(&s, &loc, verifier).await;
    let token = session["access_token"].as_str().unwrap().to_string();

    s.put_auth("/user", &token, pkce(json!({ "email": "pl2@example.com" }))).await;
    let current = s.mailbox("pl@example.com").await;
    let new = s.mailbox("pl2@example.com").await;
    assert!(current["token_hash"].as_str().unwrap().starts_with("pkce_"));
    let half = s.get(&link_path(&current)).await.location();
    assert_eq!(
        half,
        "http://localhost:3000?message=Confirmation+link+accepted.+Please+proceed+to+confirm+link+sent+to+the+other+email#message=Confirmation+link+accepted.+Please+proceed+to+confirm+link+sent+to+the+other+email&sb="
    );
    let loc = s.get(&link_path(&new)).await.location();
    let session = exchange(&s, &loc, verifier).await;
    assert_eq!(session["user"]["email"], "pl2@example.com");
    assert_eq!(claims(session["access_token"].as_str().unwrap())["amr"][0]["method"], "email_change");
}
