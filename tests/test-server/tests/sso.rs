//! `POST /sso` (contract §4.14) through the built-in fake SAML identity provider.

mod common;

use axum::http::Method;
use base64::Engine;
use common::*;
use gotrue_test_server::config::Config;
use serde_json::{json, Value};
use sha2::Digest;

const PROVIDER_ID: &str = "00000000-0000-4000-8000-00000000a551";
const VERIFIER: &str = "sso-verifier-sso-verifier-sso-verifier-sso-verifier";

fn saml() -> Server {
    Server::new(Config { saml: true, ..cfg() })
}

fn local(location: &str) -> String {
    location.strip_prefix(EXTERNAL).unwrap_or_else(|| panic!("not on this server: {location}")).to_string()
}

fn get<'a>(p: &'a [(String, String)], key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// `/sso` with `skip_http_redirect` → the IdP URL.
async fn start(s: &Server, mut body: Value) -> String {
    body["skip_http_redirect"] = json!(true);
    let r = s.post("/sso", body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["url"].as_str().unwrap().to_string()
}

/// IdP URL → sign in as `email` → ACS → the final Location.
async fn finish(s: &Server, idp_url: &str, email: &str) -> String {
    let enc: String = form_urlencoded::byte_serialize(email.as_bytes()).collect();
    let r = s.get(&format!("{}&auto=1&email={enc}", local(idp_url))).await;
    assert_eq!(r.status, 302, "{}", r.text());
    let acs = r.location();
    assert!(acs.starts_with(&format!("{EXTERNAL}/sso/saml/acs?")), "{acs}");
    let r = s.get(&local(&acs)).await;
    assert_eq!(r.status, 302, "{}", r.text());
    r.location()
}

#[tokio::test]
async fn disabled_without_the_flag() {
    let s = Server::new(cfg());
    let r = s.post("/sso", json!({ "domain": "sso.example.com" })).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error_code"], "saml_provider_disabled");
    assert_eq!(s.get("/settings").await.json()["saml_enabled"], false);
    assert_eq!(saml().get("/settings").await.json()["saml_enabled"], true);
}

#[tokio::test]
async fn by_domain_implicit_flow_through_the_sign_in_page() {
    let s = saml();
    let url = start(&s, json!({ "domain": "SSO.example.com", "redirect_to": "http://localhost:3000/after" })).await;
    assert!(url.starts_with(&format!("{EXTERNAL}/__test/sso/idp?state=")), "{url}");

    // The page a person sees: an e-mail field and a sign-in button in a GET form.
    let r = s.get(&local(&url)).await;
    assert_eq!(r.status, 200);
    let page = r.text();
    assert!(page.contains(r#"id="email""#), "{page}");
    assert!(page.contains(r#"id="sign-in""#), "{page}");
    assert!(page.contains(r#"method="get""#), "{page}");
    assert!(page.contains(r#"name="auto" value="1""#), "{page}");

    let location = finish(&s, &url, "Worker@SSO.example.com").await;
    let (base, fragment) = location.split_once('#').unwrap();
    assert_eq!(base, "http://localhost:3000/after");
    let p = pairs(fragment);
    let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["access_token", "expires_at", "expires_in", "refresh_token", "sb", "token_type"]);
    assert_eq!(get(&p, "token_type"), Some("bearer"));
    let token = get(&p, "access_token").unwrap();
    let c = claims(token);
    assert_eq!(c["amr"][0]["method"], "sso/saml");
    assert_eq!(c["email"], "worker@sso.example.com");

    let user = s.get_auth("/user", token).await.json();
    let identity = &user["identities"][0];
    assert_eq!(identity["provider"], format!("sso:{PROVIDER_ID}"));
    assert_eq!(identity["id"], "worker@sso.example.com");
    assert!(user["email_confirmed_at"].is_string());

    // A second sign-in finds the same user; the refresh token works.
    let url = start(&s, json!({ "domain": "sso.example.com" })).await;
    let location = finish(&s, &url, "worker@sso.example.com").await;
    assert!(location.starts_with("http://localhost:3000#"), "{location}");
    let p = pairs(location.split_once('#').unwrap().1);
    assert_eq!(claims(get(&p, "access_token").unwrap())["sub"], user["id"]);
    let r = s.refresh(get(&p, "refresh_token").unwrap()).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn by_provider_id_with_pkce_and_http_redirect() {
    let s = saml();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(VERIFIER));
    let r = s
        .post(
            "/sso",
            json!({
                "provider_id": PROVIDER_ID,
                "redirect_to": "http://localhost:3000/cb?x=1",
                "code_challenge": challenge,
                "code_challenge_method": "s256",
            }),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let url = r.location();
    let location = finish(&s, &url, "pkce@sso.example.com").await;
    let (base, query) = location.split_once('?').unwrap();
    assert_eq!(base, "http://localhost:3000/cb");
    let p = pairs(query);
    assert_eq!(get(&p, "x"), Some("1"));
    let code = get(&p, "code").unwrap();
    let r = s.post("/token?grant_type=pkce", json!({ "auth_code": code, "code_verifier": VERIFIER })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let c = claims(r.json()["access_token"].as_str().unwrap());
    assert_eq!(c["amr"][0]["method"], "sso/saml");
    assert_eq!(r.json()["user"]["email"], "pkce@sso.example.com");
}

#[tokio::test]
async fn request_errors() {
    let s = saml();
    let cases = [
        (json!({ "domain": "other.example.com" }), 404, "sso_provider_not_found"),
        (json!({ "provider_id": "00000000-0000-4000-8000-000000000001" }), 404, "sso_provider_not_found"),
        (json!({ "provider_id": PROVIDER_ID, "domain": "sso.example.com" }), 400, "validation_failed"),
        (json!({}), 400, "validation_failed"),
        (json!({ "provider_id": "not-a-uuid" }), 400, "bad_json"),
        (
            json!({ "domain": "sso.example.com", "code_challenge": "short", "code_challenge_method": "s256" }),
            400,
            "validation_failed",
        ),
    ];
    for (body, status, code) in cases {
        let r = s.post("/sso", body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text());
        assert_eq!(r.json()["error_code"], code, "{body}");
    }
    let r = s
        .call(
            Method::POST,
            "/sso",
            &[("origin", "http://localhost:3000")],
            Some(json!({ "domain": "nope.example.com" })),
        )
        .await;
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
}

#[tokio::test]
async fn bad_redirect_falls_back_and_states_are_single_use() {
    let s = saml();
    let url = start(&s, json!({ "domain": "sso.example.com", "redirect_to": "https://evil.example.org/" })).await;
    let enc = "a%40sso.example.com";
    let r = s.get(&format!("{}&auto=1&email={enc}", local(&url))).await;
    let acs = local(&r.location());
    let r = s.get(&acs).await;
    assert_eq!(r.status, 302);
    assert!(r.location().starts_with("http://localhost:3000#access_token="));

    // Replaying the ACS request, or visiting the IdP for a finished sign-in, fails.
    let r = s.get(&acs).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error_code"], "saml_relay_state_not_found");
    assert_eq!(s.get(&local(&url)).await.status, 400);
    assert_eq!(s.get("/__test/sso/idp?state=garbage").await.status, 400);

    // An unknown assertion for a live relay state goes back to the app as an error.
    let url = start(&s, json!({ "domain": "sso.example.com" })).await;
    let state = url.split_once("state=").unwrap().1;
    let r = s.get(&format!("/sso/saml/acs?RelayState={state}&SAMLResponse=forged")).await;
    assert_eq!(r.status, 302);
    let location = r.location();
    let fragment = pairs(location.split_once('#').unwrap().1);
    assert_eq!(get(&fragment, "error_code"), Some("validation_failed"));
}
