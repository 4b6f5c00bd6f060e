mod common;

use common::*;
use gotrue_test_server::config::Config;
use serde_json::json;

fn link_path(mail: &serde_json::Value) -> String {
    mail["link"]
        .as_str()
        .unwrap()
        .strip_prefix(EXTERNAL)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn get_verify_redirects_with_the_implicit_fragment() {
    let s = Server::new(cfg());
    s.post(
        "/signup?redirect_to=http://localhost:3000/done",
        json!({ "email": "v@example.com", "password": PASSWORD }),
    )
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
        [
            "access_token",
            "expires_at",
            "expires_in",
            "refresh_token",
            "sb",
            "token_type",
            "type"
        ],
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
    let s = Server::new(Config {
        allow_list: vec!["https://app.example.org/**".into()],
        ..cfg()
    });
    let r = s
        .get("/verify?token=nope&type=signup&redirect_to=https%3A%2F%2Fevil.example.net%2F")
        .await;
    assert_eq!(r.status, 303);
    assert!(
        r.location()
            .starts_with("http://localhost:3000#error=access_denied&"),
        "{}",
        r.location()
    );
    let r = s.get("/verify?token=nope&type=signup&redirect_to=https%3A%2F%2Fapp.example.org%2Fa%3Fq%3D1%23frag").await;
    assert!(
        r.location()
            .starts_with("https://app.example.org/a?q=1#error=access_denied&"),
        "{}",
        r.location()
    );
    let r = s
        .get("/verify?token=pkce_nope&type=recovery&redirect_to=http%3A%2F%2F127.0.0.1%3A8000%2Fcb")
        .await;
    assert_eq!(
        r.location(),
        "http://127.0.0.1:8000/cb?error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired&sb="
    );
    for q in [
        "/verify?type=signup",
        "/verify?token=abc",
        "/verify?token=abc&type=sms",
    ] {
        let r = s.get(q).await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.json()["error_code"], "validation_failed");
    }
}

#[tokio::test]
async fn post_verify_parameter_combinations() {
    let s = Server::new(cfg());
    let cases = [
        (
            json!({ "type": "signup", "token": "1", "token_hash": "x", "email": "a@b.co" }),
            400,
        ),
        (json!({ "type": "signup" }), 400),
        (
            json!({ "type": "signup", "token_hash": "x", "email": "a@b.co" }),
            400,
        ),
        (
            json!({ "type": "signup", "token_hash": "x", "redirect_to": "http://localhost:3000" }),
            400,
        ),
        (json!({ "type": "bogus", "token_hash": "x" }), 400),
        (
            json!({ "type": "signup", "token": "123456", "email": "bad-email" }),
            422,
        ),
        (
            json!({ "type": "signup", "token": "123456", "email": "a@b.co" }),
            403,
        ),
        (json!({ "type": "email", "token_hash": "nope" }), 403),
    ];
    for (body, status) in cases {
        let r = s.post("/verify", body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text());
    }
    let r = s
        .post("/verify", json!({ "type": "email", "token_hash": "nope" }))
        .await;
    assert_eq!(r.json()["msg"], "Email link is invalid or has expired");
}

#[tokio::test]
async fn otps_expire() {
    let s = Server::new(Config {
        otp_exp: 100,
        ..cfg()
    });
    s.post(
        "/signup",
        json!({ "email": "late@example.com", "password": PASSWORD }),
    )
    .await;
    let mail = s.mailbox("late@example.com").await;
    s.st.advance_clock(101);
    let r = s
        .post(
            "/verify",
            json!({ "type": "email", "email": "late@example.com", "token": mail["otp"] }),
        )
        .await;
    assert_eq!(r.status, 403);
    let e = r.json();
    assert_eq!(e["error_code"], "otp_expired");
    assert_eq!(e["msg"], "Token has expired or is invalid");
}

#[tokio::test]
async fn magic_link_for_new_and_existing_users() {
    let s = Server::new(cfg());
    // Unknown address: a sign-up confirmation, not a magic link.
    assert_eq!(
        s.post("/magiclink", json!({ "email": "m@example.com" }))
            .await
            .status,
        200
    );
    let first = s.mailbox("m@example.com").await;
    assert_eq!(first["type"], "signup");
    let r = s
        .post(
            "/verify",
            json!({ "type": "email", "token_hash": first["token_hash"] }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());

    s.st.advance_clock(61);
    assert_eq!(
        s.post("/otp", json!({ "email": "m@example.com" }))
            .await
            .status,
        200
    );
    let link = s.mailbox("m@example.com").await;
    assert_eq!(link["type"], "magiclink");
    let r = s.post("/otp", json!({ "email": "m@example.com" })).await;
    assert_eq!(r.status, 429, "shares the send window");
    let r = s
        .post(
            "/verify",
            json!({ "type": "magiclink", "email": "m@example.com", "token": link["otp"] }),
        )
        .await;
    assert_eq!(r.status, 200);

    let r = s
        .post(
            "/otp",
            json!({ "email": "new@example.com", "create_user": false }),
        )
        .await;
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
    assert_eq!(
        s.post("/recover", json!({ "email": "ghost@example.com" }))
            .await
            .json(),
        json!({})
    );
    assert_eq!(
        s.post(
            "/resend",
            json!({ "type": "signup", "email": "ghost@example.com" })
        )
        .await
        .json(),
        json!({})
    );
    assert_eq!(s.post("/recover", json!({})).await.status, 400);
    assert_eq!(
        s.post("/resend", json!({ "type": "nope", "email": "a@b.co" }))
            .await
            .status,
        400
    );

    s.post(
        "/signup",
        json!({ "email": "rs@example.com", "password": PASSWORD }),
    )
    .await;
    let r = s
        .post(
            "/resend",
            json!({ "type": "signup", "email": "rs@example.com" }),
        )
        .await;
    assert_eq!(r.status, 429);
    s.st.advance_clock(60);
    assert_eq!(
        s.post(
            "/resend",
            json!({ "type": "signup", "email": "rs@example.com" })
        )
        .await
        .status,
        200
    );
    let mail = s.mailbox("rs@example.com").await;
    s.post(
        "/verify",
        json!({ "type": "signup", "token_hash": mail["token_hash"] }),
    )
    .await;

    s.st.advance_clock(60);
    assert_eq!(
        s.post("/recover", json!({ "email": "rs@example.com" }))
            .await
            .status,
        200
    );
    let mail = s.mailbox("rs@example.com").await;
    assert_eq!(mail["type"], "recovery");
    let r = s.get(&link_path(&mail)).await;
    assert_eq!(r.status, 303);
    assert!(
        r.location()
            .ends_with("&sb=&token_type=bearer&type=recovery"),
        "{}",
        r.location()
    );
}

#[tokio::test]
async fn secure_email_change_needs_both_addresses() {
    let s = Server::new(cfg());
    let session = s.confirmed_user("old@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let r = s
        .put_auth("/user", token, json!({ "email": "New@Example.com" }))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json();
    assert_eq!(u["email"], "old@example.com");
    assert_eq!(u["new_email"], "new@example.com");
    assert!(u["email_change_sent_at"].is_string());

    let current = s.mailbox("old@example.com").await;
    let new = s.mailbox("new@example.com").await;
    assert_eq!(current["type"], "email_change_current");
    assert_eq!(new["type"], "email_change_new");
    assert!(current["link"]
        .as_str()
        .unwrap()
        .contains("type=email_change&"));

    let r = s
        .post(
            "/verify",
            json!({ "type": "email_change", "email": "new@example.com", "token": new["otp"] }),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({ "msg": "Confirmation link accepted. Please proceed to confirm link sent to the other email", "code": "200" })
    );
    let r = s.get(&link_path(&current)).await;
    assert_eq!(r.status, 303);
    assert!(
        r.location().contains("&type=email_change"),
        "{}",
        r.location()
    );
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
    s.put_auth("/user", token, json!({ "email": "h2@example.com" }))
        .await;
    let r = s.get(&link_path(&s.mailbox("h1@example.com").await)).await;
    assert_eq!(
        r.location(),
        "http://localhost:3000#message=Confirmation+link+accepted.+Please+proceed+to+confirm+link+sent+to+the+other+email&sb="
    );
}
