//! Manual identity linking through the fake OAuth provider (contract §4.13), and converting
//! anonymous users.

mod common;

use axum::http::Method;
use base64::Engine;
use common::*;
use gotrue_test_server::config::Config;
use serde_json::{json, Value};
use sha2::Digest;

fn linking(extra: impl FnOnce(&mut Config)) -> Server {
    let mut c = Config { autoconfirm: true, manual_linking: true, ..cfg() };
    extra(&mut c);
    Server::new(c)
}

fn error_code(r: &Resp) -> String {
    r.json()["error_code"].as_str().unwrap_or("").to_string()
}

fn local(location: &str) -> String {
    location.strip_prefix(EXTERNAL).unwrap_or_else(|| panic!("not on this server: {location}")).to_string()
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn fragment_of(url: &str) -> Vec<(String, String)> {
    pairs(url.rsplit_once('#').map_or("", |(_, f)| f))
}

fn get<'a>(p: &'a [(String, String)], key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

async fn sign_up(s: &Server, email: &str) -> Value {
    let r = s.post("/signup", json!({ "email": email, "password": PASSWORD })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

async fn delete(s: &Server, uri: &str, token: &str) -> Resp {
    let bearer = format!("Bearer {token}");
    s.call(Method::DELETE, uri, &[("authorization", &bearer)], None).await
}

/// Starts linking with `skip_http_redirect=true`, lets the fake provider sign in as
/// `provider_email`, and returns the final Location of the callback.
async fn link(s: &Server, token: &str, extra_query: &str, provider_email: &str) -> String {
    let r = s
        .get_auth(
            &format!(
                "/user/identities/authorize?provider=github&redirect_to={}&skip_http_redirect=true{extra_query}",
                enc("http://localhost:3000/linked")
            ),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let url = r.json()["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{EXTERNAL}/__test/oauth/authorize?state=")), "{url}");
    let r = s.get(&format!("{}&auto=allow&email={}", local(&url), enc(provider_email))).await;
    assert_eq!(r.status, 302, "{}", r.text());
    let r = s.get(&local(&r.location())).await;
    assert_eq!(r.status, 302, "{}", r.text());
    r.location()
}

#[tokio::test]
async fn manual_linking_is_off_by_default() {
    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    let t = sign_up(&s, "off@example.com").await["access_token"].as_str().unwrap().to_string();
    let r = s.get_auth("/user/identities/authorize?provider=github", &t).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "manual_linking_disabled");
    let r = delete(&s, &format!("/user/identities/{}", uuid::Uuid::new_v4()), &t).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "manual_linking_disabled");
    let r = s.get("/user/identities/authorize?provider=github").await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn link_and_unlink_github() {
    let s = linking(|_| {});
    let session = sign_up(&s, "linker@example.com").await;
    let t = session["access_token"].as_str().unwrap().to_string();
    let uid = session["user"]["id"].as_str().unwrap().to_string();

    // Without skip_http_redirect the server redirects to the provider itself.
    let r = s.get_auth("/user/identities/authorize?provider=github", &t).await;
    assert_eq!(r.status, 302);
    assert!(r.location().contains("/__test/oauth/authorize?state="));
    let r = s.get_auth("/user/identities/authorize?provider=facebook&skip_http_redirect=true", &t).await;
    assert_eq!(r.status, 400);

    let loc = link(&s, &t, "", "linker-gh@example.com").await;
    assert!(loc.starts_with("http://localhost:3000/linked#access_token="), "{loc}");
    let f = fragment_of(&loc);
    let linked_token = get(&f, "access_token").unwrap().to_string();
    assert_eq!(claims(&linked_token)["sub"], uid, "signed in as the same user");

    let u = s.get_auth("/user", &t).await.json();
    let providers: Vec<&str> =
        u["identities"].as_array().unwrap().iter().map(|i| i["provider"].as_str().unwrap()).collect();
    assert_eq!(providers, ["email", "github"]);
    assert_eq!(u["app_metadata"]["providers"], json!(["email", "github"]));
    assert_eq!(u["email"], "linker@example.com", "the primary e-mail stays");
    let gh = u["identities"][1].clone();
    assert_eq!(gh["identity_data"]["email"], "linker-gh@example.com");

    // The same provider account again: already linked (to this user, or to another).
    let loc = link(&s, &t, "", "linker-gh@example.com").await;
    assert_eq!(get(&fragment_of(&loc), "error_code"), Some("identity_already_exists"), "{loc}");
    let other = sign_up(&s, "other@example.com").await;
    let ot = other["access_token"].as_str().unwrap();
    let loc = link(&s, ot, "", "linker-gh@example.com").await;
    assert_eq!(get(&fragment_of(&loc), "error_code"), Some("identity_already_exists"), "{loc}");

    // Unlinking.
    let r = delete(&s, "/user/identities/not-a-uuid", &t).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "validation_failed");
    let r = delete(&s, &format!("/user/identities/{}", uuid::Uuid::new_v4()), &t).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "identity_not_found");
    // Another user's identity is not found for this one.
    let other_identity = other["user"]["identities"][0]["identity_id"].as_str().unwrap();
    let r = delete(&s, &format!("/user/identities/{other_identity}"), &t).await;
    assert_eq!(error_code(&r), "identity_not_found");
    let r = delete(&s, &format!("/user/identities/{other_identity}"), ot).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "single_identity_not_deletable");

    let gh_id = gh["identity_id"].as_str().unwrap();
    let r = delete(&s, &format!("/user/identities/{gh_id}"), &t).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({}));
    let u = s.get_auth("/user", &t).await.json();
    assert_eq!(u["identities"].as_array().unwrap().len(), 1);
    assert_eq!(u["app_metadata"]["providers"], json!(["email"]));
    let email_id = u["identities"][0]["identity_id"].as_str().unwrap();
    let r = delete(&s, &format!("/user/identities/{email_id}"), &t).await;
    assert_eq!(error_code(&r), "single_identity_not_deletable");

    // Once unlinked, the provider account can be linked again (here to the other user).
    let loc = link(&s, ot, "", "linker-gh@example.com").await;
    assert!(loc.contains("#access_token="), "{loc}");
}

#[tokio::test]
async fn linking_with_pkce() {
    let s = linking(|_| {});
    let t = sign_up(&s, "pkce-link@example.com").await["access_token"].as_str().unwrap().to_string();
    let verifier = "link-verifier-link-verifier-link-verifier-01234";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier));
    let loc =
        link(&s, &t, &format!("&code_challenge={challenge}&code_challenge_method=s256"), "pkce-gh@example.com").await;
    assert!(loc.starts_with("http://localhost:3000/linked?code="), "{loc}");
    let code = loc.split_once("code=").unwrap().1;
    let r = s.post("/token?grant_type=pkce", json!({ "auth_code": code, "code_verifier": verifier })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["user"]["identities"][1]["provider"], "github");
    assert_eq!(claims(body["access_token"].as_str().unwrap())["amr"][0]["method"], "oauth");
}

#[tokio::test]
async fn anonymous_users_convert_by_linking() {
    let s = linking(|c| c.anonymous = true);
    let anon = s.post("/signup", json!({})).await.json();
    let t = anon["access_token"].as_str().unwrap().to_string();
    let loc = link(&s, &t, "", "was-anon@example.com").await;
    assert!(loc.contains("#access_token="), "{loc}");
    let u = s.get_auth("/user", &t).await.json();
    assert_eq!(u["is_anonymous"], false);
    assert_eq!(u["email"], "was-anon@example.com");
    assert!(u["email_confirmed_at"].is_string());
    assert_eq!(u["identities"][0]["provider"], "github");
    assert_eq!(u["app_metadata"]["provider"], "github");
    let fresh = get(&fragment_of(&loc), "access_token").unwrap().to_string();
    assert_eq!(claims(&fresh)["is_anonymous"], false);
    assert_eq!(claims(&fresh)["sub"], anon["user"]["id"]);

    // An e-mail another account owns cannot be taken over by linking.
    sign_up(&s, "owner@example.com").await;
    let anon2 = s.post("/signup", json!({})).await.json();
    let loc = link(&s, anon2["access_token"].as_str().unwrap(), "", "owner@example.com").await;
    assert_eq!(get(&fragment_of(&loc), "error_code"), Some("email_exists"), "{loc}");
}

#[tokio::test]
async fn anonymous_users_convert_with_email_and_password() {
    // With mail confirmation: the password is set at once, the user converts on confirmation.
    let s = Server::new(Config { anonymous: true, ..cfg() });
    let anon = s.post("/signup", json!({})).await.json();
    let t = anon["access_token"].as_str().unwrap().to_string();
    let r = s.put_auth("/user", &t, json!({ "email": "convert@example.com", "password": "convert-pass-1" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json();
    assert_eq!(u["is_anonymous"], true);
    assert_eq!(u["new_email"], "convert@example.com");
    let mail = s.mailbox("convert@example.com").await;
    let r = s
        .post("/verify", json!({ "type": "email_change", "email": "convert@example.com", "token": mail["otp"] }))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json()["user"].clone();
    assert_eq!(u["is_anonymous"], false);
    assert_eq!(u["email"], "convert@example.com");
    assert_eq!(s.password_login("convert@example.com", "convert-pass-1").await.status, 200);

    // With auto-confirm the conversion is immediate.
    let s = Server::new(Config { anonymous: true, autoconfirm: true, ..cfg() });
    let anon = s.post("/signup", json!({})).await.json();
    let t = anon["access_token"].as_str().unwrap().to_string();
    let r = s.put_auth("/user", &t, json!({ "email": "quick@example.com", "password": "quick-pass-1" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["is_anonymous"], false);
    assert_eq!(s.password_login("quick@example.com", "quick-pass-1").await.status, 200);
}
