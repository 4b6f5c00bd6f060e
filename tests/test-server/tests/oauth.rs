//! OAuth through the built-in fake provider (contract §4.12, §5.2, §5.3), and the refresh-request
//! observability used by multi-tab tests.

mod common;

use axum::http::Method;
use base64::Engine;
use common::*;
use gotrue_test_server::config::{Command, Config, HELP};
use serde_json::{json, Value};
use sha2::Digest;

const VERIFIER: &str = "oauth-verifier-oauth-verifier-oauth-verifier-0123";

fn challenge() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(VERIFIER))
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A Location on this server, as a path the in-process router takes.
fn local(location: &str) -> String {
    location.strip_prefix(EXTERNAL).unwrap_or_else(|| panic!("not on this server: {location}")).to_string()
}

fn query_of(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    pairs(q.split_once('#').map_or(q, |(q, _)| q))
}

fn get<'a>(p: &'a [(String, String)], key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// `/authorize?{query}` → the consent URL (path on this server).
async fn start(s: &Server, query: &str) -> String {
    let r = s.get(&format!("/authorize?{query}")).await;
    assert_eq!(r.status, 302, "{}", r.text());
    local(&r.location())
}

/// Consent URL → the provider's redirect to `/callback` for `decision` (path on this server).
async fn decide(s: &Server, consent: &str, decision: &str, email: Option<&str>) -> String {
    let mut url = format!("{consent}&auto={decision}");
    if let Some(e) = email {
        url.push_str(&format!("&email={}", enc(e)));
    }
    let r = s.get(&url).await;
    assert_eq!(r.status, 302, "{}", r.text());
    local(&r.location())
}

/// The whole round trip; returns the final Location the browser would land on.
async fn sign_in(s: &Server, query: &str, email: &str) -> String {
    let consent = start(s, query).await;
    let callback = decide(s, &consent, "allow", Some(email)).await;
    let r = s.get(&callback).await;
    assert_eq!(r.status, 302, "{}", r.text());
    r.location()
}

#[tokio::test]
async fn authorize_redirects_to_the_consent_page_with_forwarded_params() {
    let s = Server::new(cfg());
    let consent = start(
        &s,
        "provider=GitHub&scopes=repo%20gist&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fcb&access_type=offline&prompt=consent&client_id=evil&state=evil&redirect_uri=http%3A%2F%2Fevil",
    )
    .await;
    let p = query_of(&consent);
    let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        ["state", "client_id", "redirect_uri", "scope", "access_type", "prompt"],
        "reserved params are not forwarded: {consent}"
    );
    assert!(consent.starts_with("/__test/oauth/authorize?state="));
    assert!(uuid::Uuid::parse_str(&p[0].1).is_ok(), "state is a UUID");
    assert!(consent.contains(
        "&client_id=test-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fcallback&scope=repo+gist&access_type=offline&prompt=consent"
    ), "{consent}");

    let page = s.get(&consent).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
    let html = page.text();
    for needle in [
        "<title>Fake OAuth provider</title>",
        r#"<strong id="provider">github</strong>"#,
        r#"<code id="scopes">repo gist</code>"#,
        "<code>access_type=offline</code>",
        "<code>prompt=consent</code>",
        r#"id="allow""#,
        r#"id="deny""#,
        r#"<input id="email" name="email" type="email" value="oauth-"#,
        "@example.com\">",
    ] {
        assert!(html.contains(needle), "missing {needle:?} in\n{html}");
    }

    let settings = s.get("/settings").await.json();
    assert_eq!(settings["external"]["github"], true);
    assert_eq!(settings["external"]["gitlab"], true);
    assert_eq!(settings["external"]["google"], true);
    assert_eq!(settings["external"]["azure"], false);
}

#[tokio::test]
async fn consent_form_submission_reaches_the_callback() {
    let s = Server::new(cfg());
    let consent = start(&s, "provider=gitlab").await;
    let html = s.get(&consent).await.text();
    // What the browser submits for the form: the hidden inputs, the e-mail and the button.
    let hidden = |name: &str| {
        let marker = format!(r#"name="{name}" value=""#);
        let start = html.find(&marker).unwrap() + marker.len();
        html[start..][..html[start..].find('"').unwrap()].to_string()
    };
    let submit = format!(
        "/__test/oauth/authorize?state={}&client_id={}&redirect_uri={}&email=form%40example.com&auto=allow",
        hidden("state"),
        hidden("client_id"),
        enc(&hidden("redirect_uri")),
    );
    let r = s.get(&submit).await;
    assert_eq!(r.status, 302, "{}", r.text());
    let callback = local(&r.location());
    assert!(callback.starts_with("/callback?code=fake-code-"), "{callback}");
    let r = s.get(&callback).await;
    assert!(r.location().starts_with("http://localhost:3000#access_token="), "{}", r.location());
}

#[tokio::test]
async fn unsupported_provider_and_bad_pkce_are_json_errors() {
    let s = Server::new(cfg());
    let r = s.call(Method::GET, "/authorize?provider=facebook", &[("origin", "http://localhost:3000")], None).await;
    assert_eq!(r.status, 400);
    let e = r.json();
    assert_eq!(e["error_code"], "validation_failed");
    assert_eq!(e["msg"], "Unsupported provider: provider facebook could not be found");
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert_eq!(s.get("/authorize").await.status, 400);

    let c = challenge();
    for q in [
        format!("provider=github&code_challenge={c}"),
        "provider=github&code_challenge_method=s256".to_string(),
        format!("provider=github&code_challenge={c}&code_challenge_method=md5"),
        "provider=github&code_challenge=short&code_challenge_method=plain".to_string(),
    ] {
        let r = s.get(&format!("/authorize?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.json()["error_code"], "validation_failed", "{q}");
    }
    // The method is case-insensitive.
    let r = s.get(&format!("/authorize?provider=github&code_challenge={c}&code_challenge_method=S256")).await;
    assert_eq!(r.status, 302);
}

#[tokio::test]
async fn implicit_flow_lands_with_the_session_in_the_fragment() {
    let s = Server::new(cfg());
    let loc =
        sign_in(&s, "provider=github&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fwelcome", "Octo@Example.com").await;
    let (base, fragment) = loc.split_once('#').unwrap();
    assert_eq!(base, "http://localhost:3000/welcome");
    let p = pairs(fragment);
    let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_at",
            "expires_in",
            "provider_refresh_token",
            "provider_token",
            "refresh_token",
            "sb",
            "token_type"
        ],
        "alphabetical, no type: {loc}"
    );
    assert!(fragment.contains("&sb=&token_type=bearer"), "{fragment}");
    assert_eq!(get(&p, "expires_in"), Some("3600"));
    assert!(get(&p, "provider_token").unwrap().starts_with("fake-provider-token-"));
    assert!(get(&p, "provider_refresh_token").unwrap().starts_with("fake-provider-refresh-token-"));

    let access = get(&p, "access_token").unwrap();
    let c = claims(access);
    assert_eq!(c["amr"][0]["method"], "oauth");
    assert_eq!(c["email"], "octo@example.com");
    assert_eq!(c["app_metadata"]["provider"], "github");

    let user = s.get_auth("/user", access).await.json();
    assert_eq!(user["app_metadata"]["provider"], "github");
    assert_eq!(user["app_metadata"]["providers"], json!(["github"]));
    assert!(user["email_confirmed_at"].is_string());
    let identity = &user["identities"][0];
    assert_eq!(identity["provider"], "github");
    let sub = identity["id"].as_str().unwrap();
    assert!(sub.starts_with("gh-"), "{sub}");
    assert!(uuid::Uuid::parse_str(sub).is_err());
    assert_eq!(identity["identity_data"]["sub"], sub);
    assert_eq!(identity["identity_data"]["email"], "octo@example.com");
    assert_eq!(identity["identity_data"]["name"], "octo");
    assert_eq!(identity["email"], "octo@example.com");

    // The refresh token from the fragment works.
    assert_eq!(s.refresh(get(&p, "refresh_token").unwrap()).await.status, 200);

    // Same provider account again: same user, same subject.
    let again = sign_in(&s, "provider=github", "octo@example.com").await;
    let token = pairs(again.split_once('#').unwrap().1)[0].1.clone();
    let user2 = s.get_auth("/user", &token).await.json();
    assert_eq!(user2["id"], user["id"]);
    assert_eq!(user2["identities"].as_array().unwrap().len(), 1);
    assert_eq!(user2["identities"][0]["id"], sub);
}

#[tokio::test]
async fn hash_router_redirect_gets_a_second_hash() {
    let s = Server::new(cfg());
    let loc =
        sign_in(&s, &format!("provider=google&redirect_to={}", enc("http://localhost:3000/#/cb")), "hash@example.com")
            .await;
    assert!(loc.starts_with("http://localhost:3000/#/cb#access_token="), "{loc}");
    // Not allowed redirect_to → SITE_URL.
    let loc =
        sign_in(&s, &format!("provider=google&redirect_to={}", enc("https://evil.example.net/")), "hash@example.com")
            .await;
    assert!(loc.starts_with("http://localhost:3000#access_token="), "{loc}");
}

#[tokio::test]
async fn existing_email_user_gets_the_identity_linked() {
    let s = Server::new(cfg());
    let session = s.confirmed_user("link@example.com").await;
    let id = session["user"]["id"].clone();
    let loc = sign_in(&s, "provider=gitlab", "link@example.com").await;
    let token = pairs(loc.split_once('#').unwrap().1)[0].1.clone();
    let user = s.get_auth("/user", &token).await.json();
    assert_eq!(user["id"], id);
    assert_eq!(user["app_metadata"]["provider"], "email");
    assert_eq!(user["app_metadata"]["providers"], json!(["email", "gitlab"]));
    let providers: Vec<&str> =
        user["identities"].as_array().unwrap().iter().map(|i| i["provider"].as_str().unwrap()).collect();
    assert_eq!(providers, ["email", "gitlab"]);
    assert!(user["identities"][1]["id"].as_str().unwrap().starts_with("gl-"));
    // The password still works.
    assert_eq!(s.password_login("link@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn pkce_flow_returns_a_code_and_the_grant_returns_provider_tokens() {
    let s = Server::new(cfg());
    let redirect = enc("http://localhost:3000/cb?z=9&a=1#/after");
    let loc = sign_in(
        &s,
        &format!("provider=github&redirect_to={redirect}&code_challenge={}&code_challenge_method=s256", challenge()),
        "pkce@example.com",
    )
    .await;
    let code = loc
        .strip_prefix("http://localhost:3000/cb?a=1&code=")
        .and_then(|rest| rest.strip_suffix("&z=9#/after"))
        .unwrap_or_else(|| panic!("unexpected Location {loc}"));
    assert!(uuid::Uuid::parse_str(code).is_ok());

    let exchange = |verifier: &'static str| {
        let body = json!({ "auth_code": code, "code_verifier": verifier });
        let s = &s;
        async move { s.post("/token?grant_type=pkce", body).await }
    };
    let wrong = exchange("wrong-verifier-wrong-verifier-wrong-verifier-000").await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.json()["error_code"], "bad_code_verifier");

    let r = exchange(VERIFIER).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let session = r.json();
    assert!(session["provider_token"].as_str().unwrap().starts_with("fake-provider-token-"));
    assert!(session["provider_refresh_token"].as_str().unwrap().starts_with("fake-provider-refresh-token-"));
    assert_eq!(session["user"]["email"], "pkce@example.com");
    assert_eq!(session["user"]["app_metadata"]["provider"], "github");
    assert_eq!(claims(session["access_token"].as_str().unwrap())["amr"][0]["method"], "oauth");

    let twice = exchange(VERIFIER).await;
    assert_eq!(twice.status, 404);
    assert_eq!(twice.json()["error_code"], "flow_state_not_found");

    // E-mail PKCE sessions carry no provider tokens.
    s.confirmed_user("plain@example.com").await;
    s.post(
        "/recover",
        json!({ "email": "plain@example.com", "code_challenge": challenge(), "code_challenge_method": "S256" }),
    )
    .await;
    let mail = s.mailbox("plain@example.com").await;
    let r = s.get(&local(mail["link"].as_str().unwrap())).await;
    let code = r.location().split("code=").nth(1).unwrap().to_string();
    let r = s.post("/token?grant_type=pkce", json!({ "auth_code": code, "code_verifier": VERIFIER })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json().get("provider_token").is_none());
}

#[tokio::test]
async fn pkce_oauth_code_expires_300_seconds_after_authorize() {
    let s = Server::new(cfg());
    let consent = start(&s, &format!("provider=github&code_challenge={VERIFIER}&code_challenge_method=plain")).await;
    let callback = decide(&s, &consent, "allow", None).await;
    s.st.advance_clock(200);
    let loc = s.get(&callback).await.location();
    let code = loc.split("code=").nth(1).unwrap().to_string();
    s.st.advance_clock(101);
    let r = s.post("/token?grant_type=pkce", json!({ "auth_code": code, "code_verifier": VERIFIER })).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "flow_state_expired");
}

#[tokio::test]
async fn denied_consent_redirects_with_the_error_in_query_and_fragment() {
    let s = Server::new(cfg());
    let consent = start(&s, &format!("provider=github&redirect_to={}", enc("http://localhost:3000/cb?x=1#/old"))).await;
    let callback = decide(&s, &consent, "deny", None).await;
    assert!(
        callback.starts_with("/callback?error=access_denied&error_description=The+user+denied+the+request&state="),
        "{callback}"
    );
    let r = s.get(&callback).await;
    assert_eq!(r.status, 302);
    assert_eq!(
        r.location(),
        "http://localhost:3000/cb?error=access_denied&error_description=The+user+denied+the+request&x=1#error=access_denied&error_description=The+user+denied+the+request&sb="
    );
    assert!(!r.location().contains("error_code"));
    // The state was used up.
    assert_eq!(s.get(&callback).await.status, 303);
}

#[tokio::test]
async fn bad_state_goes_to_the_site_url_with_a_query_only_error() {
    let s = Server::new(cfg());
    let unknown = format!("/callback?code=x&state={}", uuid::Uuid::new_v4());
    for path in [unknown.as_str(), "/callback?code=x&state=not-a-uuid"] {
        let r = s.get(path).await;
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(
            r.location(),
            "http://localhost:3000?error=invalid_request&error_code=bad_oauth_state&error_description=OAuth+callback+with+invalid+state"
        );
    }
    let r = s.get("/callback?code=x").await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location(),
        "http://localhost:3000?error=invalid_request&error_code=bad_oauth_state&error_description=OAuth+state+parameter+missing"
    );

    // A flow older than 300 s is gone too.
    let consent = start(&s, "provider=github&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fcb").await;
    let callback = decide(&s, &consent, "allow", None).await;
    s.st.advance_clock(301);
    let r = s.get(&callback).await;
    assert_eq!(r.status, 303);
    assert!(!r.location().contains('#'));
    assert!(r.location().contains("error_code=bad_oauth_state"));
}

#[tokio::test]
async fn other_callback_failures_carry_an_error_code() {
    let s = Server::new(Config { disable_signup: true, ..cfg() });
    // A code the provider never issued.
    let consent = start(&s, "provider=github&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fcb").await;
    let state = get(&query_of(&consent), "state").unwrap().to_string();
    let r = s.get(&format!("/callback?code=forged&state={state}")).await;
    assert_eq!(r.status, 302);
    assert_eq!(
        r.location(),
        "http://localhost:3000/cb?error=server_error&error_code=unexpected_failure&error_description=Unable+to+exchange+external+code%3A+forged#error=server_error&error_code=unexpected_failure&error_description=Unable+to+exchange+external+code%3A+forged&sb="
    );
    // Sign-ups disabled: a new provider account is refused.
    let loc = sign_in(&s, "provider=github", "new@example.com").await;
    assert!(loc.starts_with("http://localhost:3000?error=access_denied&error_code=signup_disabled&"), "{loc}");
    assert!(loc.contains("#error=access_denied&error_code=signup_disabled&"));
}

#[tokio::test]
async fn callback_accepts_form_post() {
    let s = Server::new(cfg());
    let consent = start(&s, "provider=google").await;
    let callback = decide(&s, &consent, "allow", Some("post@example.com")).await;
    let form = callback.strip_prefix("/callback?").unwrap().to_string();
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/callback")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form))
        .unwrap();
    let r = s.raw(req).await;
    assert_eq!(r.status, 302);
    assert!(r.location().starts_with("http://localhost:3000#access_token="));
}

#[tokio::test]
async fn refresh_requests_are_counted_and_reset() {
    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    let session = s.post("/signup", json!({ "email": "count@example.com", "password": PASSWORD })).await.json();
    let rt = session["refresh_token"].as_str().unwrap();
    assert_eq!(s.refresh(rt).await.status, 200);
    assert_eq!(s.refresh(rt).await.status, 200, "parent of the active token");
    assert_eq!(s.refresh("abcdefghijkl").await.status, 400);
    assert_eq!(s.refresh("bad").await.status, 400);
    let r = s.post("/token?grant_type=refresh_token", json!("not an object")).await;
    assert_eq!(r.status, 400);
    let stats = s.get("/__test/stats").await.json();
    assert_eq!(stats["refresh_token_requests"], 5, "successes and failures");

    let r = s.call(Method::POST, "/__test/stats/reset", &[("origin", "http://localhost:3000")], None).await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    let stats: Value = s.get("/__test/stats").await.json();
    assert_eq!(stats["refresh_token_requests"], 0);
    assert_eq!(stats["password_requests"], 0);
    assert_eq!(stats["users"], 1, "only the counters are reset");
    assert_eq!(s.refresh(rt).await.status, 200);
    assert_eq!(s.get("/__test/stats").await.json()["refresh_token_requests"], 1);
}

#[test]
fn refresh_delay_flag_is_parsed() {
    let parse = |args: &[&str]| match Config::from_args(args.iter().map(|s| s.to_string())) {
        Ok(Command::Run(c)) => Ok(c),
        Ok(Command::Help) => panic!("help"),
        Err(e) => Err(e),
    };
    assert_eq!(parse(&[]).unwrap().refresh_delay_ms, 0);
    assert_eq!(parse(&["--refresh-delay-ms", "250"]).unwrap().refresh_delay_ms, 250);
    assert_eq!(parse(&["--refresh-delay-ms=40"]).unwrap().refresh_delay_ms, 40);
    assert!(parse(&["--refresh-delay-ms", "soon"]).is_err());
    assert!(parse(&["--refresh-delay-ms"]).is_err());
    assert!(HELP.contains("--refresh-delay-ms N"));
    assert!(HELP.contains("POST /__test/stats/reset"));
    assert!(HELP.contains("/__test/oauth/authorize"));
}

#[tokio::test]
async fn refresh_delay_holds_the_answer_but_counts_at_once() {
    let s = Server::new(Config { autoconfirm: true, refresh_delay_ms: 300, ..cfg() });
    let session = s.post("/signup", json!({ "email": "slow@example.com", "password": PASSWORD })).await.json();
    let rt = session["refresh_token"].as_str().unwrap();
    let started = std::time::Instant::now();
    let (refreshed, during) = tokio::join!(s.refresh(rt), async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        s.get("/__test/stats").await.json()
    });
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(refreshed.status, 200);
    assert_eq!(during["refresh_token_requests"], 1, "counted while waiting");
    // Other grants are not delayed.
    let started = std::time::Instant::now();
    assert_eq!(s.password_login("slow@example.com", PASSWORD).await.status, 200);
    assert!(started.elapsed() < std::time::Duration::from_millis(300));
}
