//! The client's flows against a fake transport: the requests it sends (URL, headers, body)
//! and what it does with the session for each kind of answer.

use crate::test_support::{block_on, join2, FakeRuntime, FakeTransport};
use crate::*;

pub(crate) const NOW: i64 = 1_714_558_000;

pub(crate) fn user_json(email: &str) -> String {
    format!(
        r#"{{"id":"0b4c2a5e-8a51-4f7e-9f0e-3a5c1a2b3c4d","aud":"authenticated","role":"authenticated","email":"{email}","phone":"","app_metadata":{{"provider":"email","providers":["email"]}},"user_metadata":{{}},"identities":[],"created_at":"2024-05-01T10:20:30.123456Z","updated_at":"2024-05-01T10:20:30.123456Z","is_anonymous":false}}"#
    )
}

pub(crate) fn session_json(access: &str, refresh: &str, expires_at: i64) -> String {
    format!(
        r#"{{"access_token":"{access}","token_type":"bearer","expires_in":3600,"expires_at":{expires_at},"refresh_token":"{refresh}","user":{}}}"#,
        user_json("ada@example.com")
    )
}

pub(crate) struct Harness {
    pub(crate) transport: FakeTransport,
    pub(crate) storage: std::rc::Rc<MemoryStorage>,
    pub(crate) runtime: FakeRuntime,
    pub(crate) client: GoTrueClient<FakeTransport, std::rc::Rc<MemoryStorage>>,
}

pub(crate) fn harness() -> Harness {
    let transport = FakeTransport::default();
    let storage = std::rc::Rc::new(MemoryStorage::new());
    let runtime = FakeRuntime::at_seconds(NOW);
    let options =
        ClientOptions::new("http://auth.test/").header("apikey", "anon-key").storage_key("sb-test-auth-token");
    let client =
        GoTrueClient::with_runtime(options, transport.clone(), storage.clone(), std::rc::Rc::new(runtime.clone()));
    Harness { transport, storage, runtime, client }
}

pub(crate) fn stored(h: &Harness) -> Option<String> {
    block_on(h.storage.get_item("sb-test-auth-token")).unwrap()
}

pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn sign_in_with_password_sends_the_password_grant_and_stores_the_session() {
    let h = harness();
    h.transport.push_json(200, &session_json("at1", "rt1aaaaaaaaa", NOW + 3600));
    let response =
        block_on(h.client.sign_in_with_password(SignInWithPasswordCredentials::email("ada@example.com", "pw-123456")))
            .unwrap();
    let request = h.transport.last_request();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, "http://auth.test/token?grant_type=password");
    assert_eq!(request.header("apikey"), Some("anon-key"));
    assert_eq!(request.header("X-Supabase-Api-Version"), Some("2024-01-01"));
    assert_eq!(request.header("Authorization"), None);
    assert_eq!(json(request.body.as_deref().unwrap()), json(r#"{"email":"ada@example.com","password":"pw-123456"}"#));

    let session = response.session.unwrap();
    assert_eq!(session.access_token.expose(), "at1");
    let saved = json(&stored(&h).unwrap());
    assert_eq!(saved["access_token"], "at1");
    assert_eq!(saved["refresh_token"], "rt1aaaaaaaaa");
    assert_eq!(saved["expires_at"], NOW + 3600);
    assert_eq!(saved["user"]["email"], "ada@example.com");
}

#[test]
fn wrong_password_is_an_api_error_and_stores_nothing() {
    let h = harness();
    h.transport.push_json(400, r#"{"code":"invalid_credentials","message":"Invalid login credentials"}"#);
    let error =
        block_on(h.client.sign_in_with_password(SignInWithPasswordCredentials::email("a@b.c", "nope"))).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Api);
    assert_eq!(error.code(), Some("invalid_credentials"));
    assert_eq!(error.status(), Some(400));
    assert!(stored(&h).is_none());
}

#[test]
fn sign_up_without_autoconfirm_returns_the_user_only() {
    let h = harness();
    h.transport.push_json(200, &user_json("new@example.com"));
    let mut data = JsonObject::new();
    data.insert("name".into(), "Ada".into());
    let response = block_on(
        h.client.sign_up(
            SignUpCredentials::email("new@example.com", "pw-123456")
                .data(data)
                .email_redirect_to("http://app.test/welcome?x=1")
                .captcha_token("cap"),
        ),
    )
    .unwrap();
    assert!(response.session.is_none());
    assert_eq!(response.user.unwrap().email, "new@example.com");
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/signup?redirect_to=http%3A%2F%2Fapp.test%2Fwelcome%3Fx%3D1");
    assert_eq!(
        json(request.body.as_deref().unwrap()),
        json(
            r#"{"email":"new@example.com","password":"pw-123456","data":{"name":"Ada"},"gotrue_meta_security":{"captcha_token":"cap"}}"#
        )
    );
    assert!(stored(&h).is_none());
}

#[test]
fn sign_up_with_autoconfirm_signs_in() {
    let h = harness();
    h.transport.push_json(200, &session_json("at", "rtaaaaaaaaaa", NOW + 3600));
    let response = block_on(h.client.sign_up(SignUpCredentials::phone("+15551234567", "pw-123456"))).unwrap();
    assert!(response.session.is_some());
    assert!(stored(&h).is_some());
    assert_eq!(json(h.transport.last_request().body.as_deref().unwrap())["phone"], "+15551234567");
}

#[test]
fn weak_password_error_carries_the_reasons() {
    let h = harness();
    h.transport.push_json(
        422,
        r#"{"code":"weak_password","message":"Password should be at least 6 characters.","weak_password":{"reasons":["length"]}}"#,
    );
    let error = block_on(h.client.sign_up(SignUpCredentials::email("a@b.c", "123"))).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::WeakPassword);
    assert_eq!(error.code(), Some("weak_password"));
    assert_eq!(error.reasons(), ["length"]);
}

#[test]
fn credentials_without_email_or_phone_are_refused_before_any_request() {
    let h = harness();
    let error = block_on(h.client.resend(ResendParams::email("a@b.c", OtpType::Sms))).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidCredentials);
    assert!(h.transport.requests().is_empty());
}

#[test]
fn get_session_returns_a_fresh_session_without_a_request() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("at", "rtaaaaaaaaaa", NOW + 3600))).unwrap();
    let session = block_on(h.client.get_session()).unwrap().unwrap();
    assert_eq!(session.access_token.expose(), "at");
    assert!(h.transport.requests().is_empty());
}

#[test]
fn get_session_refreshes_inside_the_expiry_margin() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("old", "rtoldaaaaaaa", NOW + 60))).unwrap();
    h.transport.push_json(200, &session_json("new", "rtnewaaaaaaa", NOW + 3600));
    let session = block_on(h.client.get_session()).unwrap().unwrap();
    assert_eq!(session.access_token.expose(), "new");
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/token?grant_type=refresh_token");
    assert_eq!(json(request.body.as_deref().unwrap()), json(r#"{"refresh_token":"rtoldaaaaaaa"}"#));
    assert_eq!(json(&stored(&h).unwrap())["refresh_token"], "rtnewaaaaaaa");
}

#[test]
fn a_failed_refresh_keeps_a_still_valid_session() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("old", "rtoldaaaaaaa", NOW + 60))).unwrap();
    h.transport.push_json(400, r#"{"code":"refresh_token_not_found","message":"Invalid Refresh Token"}"#);
    let session = block_on(h.client.get_session()).unwrap().unwrap();
    assert_eq!(session.access_token.expose(), "old");
    assert!(stored(&h).is_some());
}

#[test]
fn a_rejected_refresh_of_an_expired_session_removes_it() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("old", "rtoldaaaaaaa", NOW - 10))).unwrap();
    h.transport
        .push_json(400, r#"{"code":"refresh_token_already_used","message":"Invalid Refresh Token: Already Used"}"#);
    let error = block_on(h.client.get_session()).unwrap_err();
    assert_eq!(error.code(), Some("refresh_token_already_used"));
    assert!(stored(&h).is_none());
}

#[test]
fn a_network_failure_during_refresh_keeps_the_session() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("old", "rtoldaaaaaaa", NOW - 10))).unwrap();
    for _ in 0..8 {
        h.transport.push_network_error();
    }
    let error = block_on(h.client.get_session()).unwrap_err();
    assert!(error.is_retryable());
    assert_eq!(error.status(), Some(0));
    assert!(stored(&h).is_some());
    // Retried with doubling delays while the whole refresh stays within 30 s.
    assert_eq!(*h.runtime.sleeps.borrow(), vec![200, 400, 800, 1600, 3200, 6400, 12800]);
    assert_eq!(h.transport.requests().len(), 8);
}

#[test]
fn html_error_pages_during_refresh_are_retried() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("old", "rtoldaaaaaaa", NOW - 10))).unwrap();
    h.transport.push_response(502, &[], "<html><body>Bad Gateway</body></html>");
    h.transport.push_response(503, &[], "<html><body>Unavailable</body></html>");
    h.transport.push_json(400, r#"{"code":"refresh_token_not_found","message":"Invalid Refresh Token"}"#);
    let error = block_on(h.client.get_session()).unwrap_err();
    assert_eq!(error.code(), Some("refresh_token_not_found"), "retried until a non-retryable answer");
    assert_eq!(h.transport.requests().len(), 3);
    assert!(stored(&h).is_none(), "a non-retryable failure of an expired session removes it");
}

#[test]
fn corrupted_storage_is_no_session_and_no_panic() {
    let h = harness();
    for garbage in ["{", "[]", "42", "\"text\"", r#"{"access_token":null}"#] {
        block_on(h.storage.set_item("sb-test-auth-token", garbage)).unwrap();
        assert!(block_on(h.client.get_session()).unwrap().is_none(), "{garbage}");
        assert!(stored(&h).is_none(), "{garbage} should be removed");
    }
}

#[test]
fn an_auth_js_session_this_crate_cannot_read_is_kept() {
    let h = harness();
    let odd = r#"{"access_token":"a","refresh_token":"r","expires_at":1,"user":"not an object"}"#;
    block_on(h.storage.set_item("sb-test-auth-token", odd)).unwrap();
    assert!(block_on(h.client.get_session()).unwrap().is_none());
    assert_eq!(stored(&h).as_deref(), Some(odd));
}

#[test]
fn get_user_sends_the_bearer_and_a_dead_session_is_removed() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("at-live", "rtaaaaaaaaaa", NOW + 3600))).unwrap();
    h.transport.push_json(200, &user_json("ada@example.com"));
    let user = block_on(h.client.get_user()).unwrap();
    assert_eq!(user.email, "ada@example.com");
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/user");
    assert_eq!(request.header("authorization"), Some("Bearer at-live"));

    h.transport.push_json(
        403,
        r#"{"code":"session_not_found","message":"Session from session_id claim in JWT does not exist"}"#,
    );
    let error = block_on(h.client.get_user()).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SessionMissing);
    assert!(stored(&h).is_none());
}

#[test]
fn operations_needing_a_session_say_it_is_missing() {
    let h = harness();
    assert_eq!(block_on(h.client.get_user()).unwrap_err().kind(), AuthErrorKind::SessionMissing);
    assert_eq!(
        block_on(h.client.update_user(UserAttributes::new())).unwrap_err().kind(),
        AuthErrorKind::SessionMissing
    );
    assert_eq!(block_on(h.client.reauthenticate()).unwrap_err().kind(), AuthErrorKind::SessionMissing);
    assert_eq!(block_on(h.client.refresh_session()).unwrap_err().kind(), AuthErrorKind::SessionMissing);
    assert!(h.transport.requests().is_empty());
}

#[test]
fn update_user_puts_the_attributes_and_stores_the_new_user() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("at", "rtaaaaaaaaaa", NOW + 3600))).unwrap();
    h.transport.push_json(
        200,
        &user_json("ada@example.com").replace(r#""user_metadata":{}"#, r#""user_metadata":{"theme":"dark"}"#),
    );
    let mut data = JsonObject::new();
    data.insert("theme".into(), "dark".into());
    data.insert("gone".into(), JsonValue::Null);
    let user =
        block_on(h.client.update_user(UserAttributes::new().data(data).email_redirect_to("http://app.test/"))).unwrap();
    assert_eq!(user.user_metadata.get("theme").and_then(JsonValue::as_str), Some("dark"));
    let request = h.transport.last_request();
    assert_eq!(request.method, Method::Put);
    assert_eq!(request.url, "http://auth.test/user?redirect_to=http%3A%2F%2Fapp.test%2F");
    assert_eq!(json(request.body.as_deref().unwrap()), json(r#"{"data":{"gone":null,"theme":"dark"}}"#));
    assert_eq!(json(&stored(&h).unwrap())["user"]["user_metadata"]["theme"], "dark");
}

#[test]
fn sign_out_scopes() {
    for (scope, keeps_session) in
        [(SignOutScope::Global, false), (SignOutScope::Local, false), (SignOutScope::Others, true)]
    {
        let h = harness();
        block_on(h.storage.set_item("sb-test-auth-token", &session_json("at", "rtaaaaaaaaaa", NOW + 3600))).unwrap();
        h.transport.push_response(204, &[], "");
        block_on(h.client.sign_out(scope)).unwrap();
        let request = h.transport.last_request();
        assert_eq!(request.url, format!("http://auth.test/logout?scope={}", scope.as_str()));
        assert_eq!(request.header("authorization"), Some("Bearer at"));
        assert_eq!(stored(&h).is_some(), keeps_session, "{scope:?}");
    }
}

#[test]
fn sign_out_of_a_session_the_server_forgot_still_signs_out() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("at", "rtaaaaaaaaaa", NOW + 3600))).unwrap();
    h.transport.push_json(403, r#"{"code":"session_not_found","message":"gone"}"#);
    block_on(h.client.sign_out(SignOutScope::Global)).unwrap();
    assert!(stored(&h).is_none());
}

#[test]
fn global_sign_out_keeps_the_session_when_the_server_fails() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("at", "rtaaaaaaaaaa", NOW + 3600))).unwrap();
    h.transport.push_network_error();
    assert!(block_on(h.client.sign_out(SignOutScope::Global)).unwrap_err().is_retryable());
    assert!(stored(&h).is_some());
}

#[test]
fn verify_otp_and_the_half_email_change_answer() {
    let h = harness();
    h.transport.push_json(200, &session_json("at", "rtaaaaaaaaaa", NOW + 3600));
    let response =
        block_on(h.client.verify_otp(VerifyOtpParams::email("ada@example.com", "123456", OtpType::Email))).unwrap();
    assert!(response.session.is_some());
    assert_eq!(
        json(h.transport.last_request().body.as_deref().unwrap()),
        json(r#"{"email":"ada@example.com","token":"123456","type":"email"}"#)
    );
    h.transport.push_json(
        200,
        r#"{"msg":"Confirmation link accepted. Please proceed to confirm link sent to the other email","code":"200"}"#,
    );
    let response = block_on(h.client.verify_otp(VerifyOtpParams::token_hash("abc", OtpType::EmailChange))).unwrap();
    assert!(response.session.is_none() && response.user.is_none());
    assert_eq!(
        json(h.transport.last_request().body.as_deref().unwrap()),
        json(r#"{"token_hash":"abc","type":"email_change"}"#)
    );
}

#[test]
fn otp_resend_recover_and_reauthenticate_requests() {
    let h = harness();
    h.transport.push_json(200, "{}");
    block_on(h.client.sign_in_with_otp(SignInWithOtpCredentials::email("a@b.c").should_create_user(false))).unwrap();
    assert_eq!(h.transport.last_request().url, "http://auth.test/otp");
    assert_eq!(
        json(h.transport.last_request().body.as_deref().unwrap()),
        json(r#"{"email":"a@b.c","create_user":false}"#)
    );

    h.transport.push_json(200, r#"{"message_id":"m-1"}"#);
    let sent =
        block_on(h.client.sign_in_with_otp(SignInWithOtpCredentials::phone("15551234567").channel(Channel::Whatsapp)))
            .unwrap();
    assert_eq!(sent.message_id.as_deref(), Some("m-1"));
    assert_eq!(
        json(h.transport.last_request().body.as_deref().unwrap()),
        json(r#"{"phone":"15551234567","create_user":true,"channel":"whatsapp"}"#)
    );

    h.transport.push_json(200, "{}");
    block_on(h.client.resend(ResendParams::email("a@b.c", OtpType::Signup))).unwrap();
    assert_eq!(json(h.transport.last_request().body.as_deref().unwrap()), json(r#"{"email":"a@b.c","type":"signup"}"#));

    h.transport.push_json(200, "{}");
    block_on(
        h.client.reset_password_for_email("a@b.c", ResetPasswordOptions::default().redirect_to("http://app/reset")),
    )
    .unwrap();
    assert_eq!(h.transport.last_request().url, "http://auth.test/recover?redirect_to=http%3A%2F%2Fapp%2Freset");

    block_on(h.storage.set_item("sb-test-auth-token", &session_json("at", "rtaaaaaaaaaa", NOW + 3600))).unwrap();
    h.transport.push_json(200, "{}");
    block_on(h.client.reauthenticate()).unwrap();
    assert_eq!(h.transport.last_request().method, Method::Get);
    assert_eq!(h.transport.last_request().url, "http://auth.test/reauthenticate");
}

#[test]
fn set_session_with_a_live_token_fetches_the_user() {
    let h = harness();
    let claims = format!(r#"{{"sub":"u","exp":{}}}"#, NOW + 600);
    let jwt = format!("eyJhbGciOiJIUzI1NiJ9.{}.sig", crate::jwt::base64url_encode(claims.as_bytes()));
    h.transport.push_json(200, &user_json("ada@example.com"));
    let session = block_on(h.client.set_session(&jwt, "rtaaaaaaaaaa")).unwrap();
    assert_eq!(session.expires_at, NOW + 600);
    assert_eq!(session.expires_in, 600);
    assert_eq!(h.transport.last_request().header("authorization"), Some(format!("Bearer {jwt}").as_str()));
    assert!(stored(&h).is_some());
}

#[test]
fn set_session_with_an_expired_token_refreshes() {
    let h = harness();
    let claims = format!(r#"{{"sub":"u","exp":{}}}"#, NOW - 1);
    let jwt = format!("eyJhbGciOiJIUzI1NiJ9.{}.sig", crate::jwt::base64url_encode(claims.as_bytes()));
    h.transport.push_json(200, &session_json("fresh", "rtfreshaaaaa", NOW + 3600));
    let session = block_on(h.client.set_session(&jwt, "rtaaaaaaaaaa")).unwrap();
    assert_eq!(session.access_token.expose(), "fresh");
    assert_eq!(h.transport.last_request().url, "http://auth.test/token?grant_type=refresh_token");
    assert_eq!(block_on(h.client.set_session("not-a-jwt", "rt")).unwrap_err().kind(), AuthErrorKind::InvalidJwt);
}

#[test]
fn memory_only_sessions_never_touch_storage() {
    let transport = FakeTransport::default();
    let storage = std::rc::Rc::new(MemoryStorage::new());
    let client = GoTrueClient::with_runtime(
        ClientOptions::new("http://auth.test").persist_session(false),
        transport.clone(),
        storage.clone(),
        std::rc::Rc::new(FakeRuntime::at_seconds(NOW)),
    );
    transport.push_json(200, &session_json("at", "rtaaaaaaaaaa", NOW + 3600));
    block_on(client.sign_in_anonymously(SignInAnonymouslyOptions::default())).unwrap();
    assert!(block_on(storage.get_item(DEFAULT_STORAGE_KEY)).unwrap().is_none());
    assert_eq!(block_on(client.get_session()).unwrap().unwrap().access_token.expose(), "at");
    assert_eq!(transport.last_request().body.as_deref(), Some("{}"));
}

#[test]
fn the_clock_decides_when_to_refresh() {
    let h = harness();
    h.transport.push_json(200, &session_json("at", "rtaaaaaaaaaa", NOW + 3600));
    block_on(h.client.sign_in_anonymously(SignInAnonymouslyOptions::default())).unwrap();
    h.runtime.advance_seconds(3600 - 91);
    assert_eq!(block_on(h.client.get_session()).unwrap().unwrap().access_token.expose(), "at");
    assert_eq!(h.transport.requests().len(), 1);
    h.runtime.advance_seconds(2);
    h.transport.push_json(200, &session_json("at2", "rtbbbbbbbbbb", NOW + 7200));
    assert_eq!(block_on(h.client.get_session()).unwrap().unwrap().access_token.expose(), "at2");
    assert_eq!(h.transport.requests().len(), 2);
}

// ---- PKCE, OAuth, URL detection, events, refresh coordination ----------------------------

pub(crate) fn pkce_harness() -> Harness {
    pkce_harness_with(|options| options)
}

fn pkce_harness_with(adjust: impl FnOnce(ClientOptions) -> ClientOptions) -> Harness {
    let transport = FakeTransport::default();
    let storage = std::rc::Rc::new(MemoryStorage::new());
    let runtime = FakeRuntime::at_seconds(NOW);
    let options = adjust(ClientOptions::new("http://auth.test").storage_key("sb").flow_type(FlowType::Pkce));
    let client =
        GoTrueClient::with_runtime(options, transport.clone(), storage.clone(), std::rc::Rc::new(runtime.clone()));
    Harness { transport, storage, runtime, client }
}

pub(crate) fn item(h: &Harness, key: &str) -> Option<String> {
    block_on(h.storage.get_item(key)).unwrap()
}

pub(crate) fn record_events(
    client: &GoTrueClient<FakeTransport, std::rc::Rc<MemoryStorage>>,
) -> std::rc::Rc<std::cell::RefCell<Vec<String>>> {
    let events = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = events.clone();
    client.on_auth_state_change(move |event, session| {
        sink.borrow_mut().push(format!(
            "{}:{}",
            event.as_str(),
            session.map(|s| s.access_token.expose()).unwrap_or("-")
        ));
    });
    events
}

#[test]
fn pkce_flow_id_goes_into_the_redirect_only_when_asked() {
    let h = pkce_harness_with(|options| options.append_pkce_flow_id_to_redirects(true));
    h.transport.push_json(200, &user_json("new@example.com"));
    block_on(
        h.client
            .sign_up(SignUpCredentials::email("new@example.com", "pw-123456").email_redirect_to("http://app/cb?x=1#h")),
    )
    .unwrap();
    let flows: Vec<String> = serde_json::from_str(&item(&h, "sb-flows-code-verifier").unwrap()).unwrap();
    let redirect = h.transport.last_request().url.split("redirect_to=").nth(1).unwrap().to_string();
    assert_eq!(redirect, format!("http%3A%2F%2Fapp%2Fcb%3Fx%3D1%26sb_flow_id%3D{}%23h", flows[0]));
}

#[test]
fn pkce_sign_up_sends_a_challenge_and_keeps_the_verifier() {
    let h = pkce_harness();
    h.transport.push_json(200, &user_json("new@example.com"));
    block_on(
        h.client.sign_up(SignUpCredentials::email("new@example.com", "pw-123456").email_redirect_to("http://app/cb")),
    )
    .unwrap();
    let request = h.transport.last_request();
    let body = json(request.body.as_deref().unwrap());
    assert_eq!(body["code_challenge_method"], "s256");
    assert_eq!(body["code_challenge"].as_str().unwrap().len(), 43);
    // The redirect exactly as given: auth-js 2.119 adds the flow id only when asked to.
    let redirect = request.url.split("redirect_to=").nth(1).unwrap().to_string();
    assert_eq!(redirect, "http%3A%2F%2Fapp%2Fcb");
    let flows: Vec<String> = serde_json::from_str(&item(&h, "sb-flows-code-verifier").unwrap()).unwrap();
    assert_eq!(flows.len(), 1);
    let verifier: String =
        serde_json::from_str(&item(&h, &format!("sb-flow-{}-code-verifier", flows[0])).unwrap()).unwrap();
    assert_eq!(verifier.len(), 112);
    assert_eq!(item(&h, "sb-code-verifier"), item(&h, &format!("sb-flow-{}-code-verifier", flows[0])));
    // The challenge is the S256 of exactly that verifier.
    let digest = crate::sha256::digest(verifier.as_bytes());
    assert_eq!(body["code_challenge"], crate::jwt::base64url_encode(&digest));
}

#[test]
fn implicit_clients_send_no_pkce_and_phones_never_do() {
    let h = harness();
    h.transport.push_json(200, &user_json("a@b.c"));
    block_on(h.client.sign_up(SignUpCredentials::email("a@b.c", "pw-123456"))).unwrap();
    assert!(json(h.transport.last_request().body.as_deref().unwrap()).get("code_challenge").is_none());
    let p = pkce_harness();
    p.transport.push_json(200, "{}");
    block_on(p.client.sign_in_with_otp(SignInWithOtpCredentials::phone("15551234567"))).unwrap();
    assert!(json(p.transport.last_request().body.as_deref().unwrap()).get("code_challenge").is_none());
}

#[test]
fn oauth_urls_for_both_flows() {
    let h = harness();
    let response = block_on(
        h.client.sign_in_with_oauth(
            &SignInWithOAuthCredentials::new("github")
                .redirect_to("http://app/cb")
                .scopes("repo gist")
                .query_param("access_type", "offline"),
        ),
    )
    .unwrap();
    assert_eq!(response.provider, "github");
    assert_eq!(
        response.url,
        "http://auth.test/authorize?provider=github&redirect_to=http%3A%2F%2Fapp%2Fcb&scopes=repo%20gist&access_type=offline"
    );
    let p = pkce_harness();
    let response = block_on(p.client.sign_in_with_oauth(&SignInWithOAuthCredentials::new("google"))).unwrap();
    assert!(response.url.contains("&code_challenge="), "{}", response.url);
    assert!(response.url.ends_with("&code_challenge_method=s256"), "{}", response.url);
    assert!(item(&p, "sb-code-verifier").is_some());
}

#[test]
fn initialize_takes_an_implicit_session_from_the_url() {
    let h = harness();
    let events = record_events(&h.client);
    h.transport.push_json(200, &user_json("ada@example.com"));
    let url = format!(
        "http://app/cb?keep=1#access_token=at-url&expires_at={}&expires_in=3600&refresh_token=rt-url&sb=&token_type=bearer&type=recovery",
        NOW + 3600
    );
    let outcome = block_on(h.client.initialize(Some(&url)));
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    assert_eq!(outcome.clean_url.as_deref(), Some("http://app/cb?keep=1"));
    assert_eq!(h.transport.last_request().header("authorization"), Some("Bearer at-url"));
    assert_eq!(json(&stored(&h).unwrap())["refresh_token"], "rt-url");
    assert_eq!(*events.borrow(), vec!["INITIAL_SESSION:at-url", "PASSWORD_RECOVERY:at-url"]);
    // Initialization runs once.
    assert!(block_on(h.client.initialize(Some(&url))).clean_url.is_none());
    assert_eq!(h.transport.requests().len(), 1);
}

#[test]
fn initialization_tells_the_recovered_session_before_initial_session_unless_asked_otherwise() {
    // The default (auth-js initializing by itself): what recovery raised, then INITIAL_SESSION.
    // After `initial_session_first_until_now` (auth-js's skipAutoInitialize, subscribed before
    // the app's initialize()): INITIAL_SESSION first; a later subscriber keeps the default.
    for first in [false, true] {
        let h = harness();
        block_on(h.storage.set_item("sb-test-auth-token", &session_json("kept", "rtkeptaaaaaa", NOW + 3600))).unwrap();
        let early = record_events(&h.client);
        if first {
            h.client.initial_session_first_until_now();
        }
        let late = record_events(&h.client);
        assert!(block_on(h.client.initialize(None)).error.is_none());
        let recovered = ["SIGNED_IN:kept", "INITIAL_SESSION:kept"];
        let expected = if first { ["INITIAL_SESSION:kept", "SIGNED_IN:kept"] } else { recovered };
        assert_eq!(*early.borrow(), expected, "first: {first}");
        assert_eq!(*late.borrow(), recovered, "first: {first}");
    }
}

#[test]
fn an_error_in_the_url_keeps_the_stored_session() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("kept", "rtkeptaaaaaa", NOW + 3600))).unwrap();
    let outcome = block_on(h.client.initialize(Some(
        "http://app/cb#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired&sb=",
    )));
    let error = outcome.error.unwrap();
    assert_eq!(error.kind(), AuthErrorKind::ImplicitGrantRedirect);
    assert_eq!(error.message(), "Email link is invalid or has expired");
    let details = error.details().unwrap();
    assert_eq!((details.error.as_str(), details.code.as_deref()), ("access_denied", Some("otp_expired")));
    assert_eq!(outcome.clean_url.as_deref(), Some("http://app/cb"));
    assert_eq!(json(&stored(&h).unwrap())["access_token"], "kept");
    assert!(h.transport.requests().is_empty());
}

#[test]
fn a_url_session_that_expired_or_lacks_fields_is_refused() {
    for fragment in [
        format!("access_token=a&expires_at={}&expires_in=3600&refresh_token=r&token_type=bearer", NOW - 5),
        "access_token=a&expires_in=3600&token_type=bearer".to_string(),
        "access_token=a&expires_in=soon&refresh_token=r&token_type=bearer".to_string(),
        "access_token=a&expires_in=3600&refresh_token=r&token_type=mac".to_string(),
    ] {
        let h = harness();
        let outcome = block_on(h.client.initialize(Some(&format!("http://app/#{fragment}"))));
        assert_eq!(outcome.error.map(|e| e.kind()), Some(AuthErrorKind::ImplicitGrantRedirect), "{fragment}");
        assert!(stored(&h).is_none());
        assert!(h.transport.requests().is_empty());
    }
}

#[test]
fn initialize_exchanges_a_pkce_code_with_the_stored_verifier() {
    let h = pkce_harness();
    h.transport.push_json(200, "{}");
    block_on(
        h.client.reset_password_for_email("a@b.c", ResetPasswordOptions::default().redirect_to("http://app/reset")),
    )
    .unwrap();
    assert_eq!(json(h.transport.last_request().body.as_deref().unwrap())["code_challenge_method"], "s256");
    let flows: Vec<String> = serde_json::from_str(&item(&h, "sb-flows-code-verifier").unwrap()).unwrap();
    let verifier: String =
        serde_json::from_str(&item(&h, &format!("sb-flow-{}-code-verifier", flows[0])).unwrap()).unwrap();
    assert!(verifier.ends_with("/recovery"));
    let events = record_events(&h.client);
    h.transport.push_json(200, &session_json("at-code", "rtcodeaaaaaa", NOW + 3600));
    let url = format!("http://app/reset?code=c0de&sb_flow_id={}#/route", flows[0]);
    let outcome = block_on(h.client.initialize(Some(&url)));
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    assert_eq!(outcome.clean_url.as_deref(), Some("http://app/reset#/route"));
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/token?grant_type=pkce");
    let body = json(request.body.as_deref().unwrap());
    assert_eq!(body["auth_code"], "c0de");
    assert_eq!(body["code_verifier"].as_str().unwrap(), verifier.trim_end_matches("/recovery"));
    assert_eq!(*events.borrow(), vec!["INITIAL_SESSION:at-code", "PASSWORD_RECOVERY:at-code"]);
    assert!(item(&h, &format!("sb-flow-{}-code-verifier", flows[0])).is_none());
    assert!(item(&h, "sb-code-verifier").is_none());
}

#[test]
fn a_code_without_a_verifier_is_someone_elses_and_exchange_says_so() {
    let h = pkce_harness();
    let outcome = block_on(h.client.initialize(Some("http://app/?code=not-ours")));
    assert!(outcome.error.is_none() && outcome.clean_url.is_none());
    assert!(h.transport.requests().is_empty());
    let error = block_on(h.client.exchange_code_for_session("c")).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::PkceCodeVerifierMissing);
    assert_eq!(error.code(), Some("pkce_code_verifier_not_found"));
}

#[test]
fn flow_mismatch_is_an_error_not_a_sign_in() {
    let h = pkce_harness();
    let outcome = block_on(
        h.client.initialize(Some("http://app/#access_token=a&expires_in=3600&refresh_token=r&token_type=bearer")),
    );
    assert_eq!(outcome.error.map(|e| e.kind()), Some(AuthErrorKind::PkceGrantCodeExchange));
    // Tokens that reached this page leave its address bar, even those it cannot use.
    assert_eq!(outcome.clean_url.as_deref(), Some("http://app/"));
    assert!(item(&h, "sb").is_none());
}

#[test]
fn another_librarys_fragment_is_left_alone() {
    let h = harness();
    let outcome = block_on(h.client.initialize(Some("http://app/#foo=bar&state=xyz")));
    assert!(outcome.error.is_none() && outcome.clean_url.is_none());
    assert!(h.transport.requests().is_empty());
}

#[test]
fn events_follow_the_session_and_unsubscribe_stops_them() {
    let h = harness();
    let events = record_events(&h.client);
    block_on(h.client.initialize(None));
    h.transport.push_json(200, &session_json("at1", "rtaaaaaaaaaa", NOW + 3600));
    block_on(h.client.sign_in_with_password(SignInWithPasswordCredentials::email("a@b.c", "pw"))).unwrap();
    h.transport.push_json(200, &session_json("at2", "rtbbbbbbbbbb", NOW + 3600));
    block_on(h.client.refresh_session()).unwrap();
    h.transport.push_json(200, &user_json("a@b.c"));
    block_on(h.client.update_user(UserAttributes::new())).unwrap();
    h.transport.push_response(204, &[], "");
    block_on(h.client.sign_out(SignOutScope::Global)).unwrap();
    assert_eq!(
        *events.borrow(),
        vec!["INITIAL_SESSION:-", "SIGNED_IN:at1", "TOKEN_REFRESHED:at2", "USER_UPDATED:at2", "SIGNED_OUT:-"]
    );
    let late = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = late.clone();
    let subscription = h.client.on_auth_state_change(move |_, _| counter.set(counter.get() + 1));
    subscription.unsubscribe();
    h.transport.push_json(200, &session_json("at3", "rtcccccccccc", NOW + 3600));
    block_on(h.client.sign_in_anonymously(SignInAnonymouslyOptions::default())).unwrap();
    assert_eq!(late.get(), 0);
}

#[test]
fn concurrent_refreshes_share_one_request() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("old", "rtoldaaaaaaa", NOW + 30))).unwrap();
    h.transport.push_json(200, &session_json("new", "rtnewaaaaaaa", NOW + 3600));
    let (a, b) = join2(h.client.get_session(), h.client.get_session());
    assert_eq!(a.unwrap().unwrap().access_token.expose(), "new");
    assert_eq!(b.unwrap().unwrap().access_token.expose(), "new");
    assert_eq!(h.transport.requests().len(), 1);
}

#[test]
fn a_sign_out_during_a_refresh_discards_the_refreshed_tokens() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("old", "rtoldaaaaaaa", NOW + 3600))).unwrap();
    h.transport.push_json(200, &session_json("new", "rtnewaaaaaaa", NOW + 3600));
    let sign_out_elsewhere = async {
        // Runs while the refresh request is in flight (the fake transport yields once).
        h.storage.remove_item("sb-test-auth-token").await.unwrap();
    };
    let (refreshed, ()) = join2(h.client.refresh_session(), sign_out_elsewhere);
    let error = refreshed.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::RefreshDiscarded);
    assert_eq!(error.status(), Some(409));
    assert!(stored(&h).is_none(), "the signed-out state wins");
}

#[test]
fn auto_refresh_ticks_refresh_near_expiry_and_do_not_hammer_a_failed_token() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("at", "rtaaaaaaaaaa", NOW + 3600))).unwrap();
    block_on(h.client.auto_refresh_tick());
    assert!(h.transport.requests().is_empty(), "far from expiry");
    h.runtime.advance_seconds(3600 - 100);
    h.transport.push_json(400, r#"{"code":"refresh_token_not_found","message":"gone"}"#);
    block_on(h.client.auto_refresh_tick());
    assert_eq!(h.transport.requests().len(), 1);
    assert!(stored(&h).is_some(), "the access token is still valid, so the session stays");
    h.runtime.advance_seconds(30);
    block_on(h.client.auto_refresh_tick());
    assert_eq!(h.transport.requests().len(), 1, "the same failed token is not retried within a minute");
    h.runtime.advance_seconds(31);
    h.transport.push_json(200, &session_json("at2", "rtbbbbbbbbbb", NOW + 7200));
    block_on(h.client.auto_refresh_tick());
    assert_eq!(h.transport.requests().len(), 2);
    assert_eq!(json(&stored(&h).unwrap())["access_token"], "at2");
}

#[test]
fn remote_events_update_memory_and_subscribers_without_echo() {
    let transport = FakeTransport::default();
    let client = GoTrueClient::with_runtime(
        ClientOptions::new("http://auth.test").persist_session(false),
        transport.clone(),
        MemoryStorage::new(),
        std::rc::Rc::new(FakeRuntime::at_seconds(NOW)),
    );
    let echoed = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = echoed.clone();
    client.set_outbound(Some(std::rc::Rc::new(move |_, _| counter.set(counter.get() + 1))));
    block_on(client.initialize(None));
    let session: Session = crate::json::from_str(&session_json("remote", "rtremoteaaaa", NOW + 3600)).unwrap();
    client.receive_remote_event(AuthChangeEvent::SignedIn, Some(session));
    assert_eq!(block_on(client.get_session()).unwrap().unwrap().access_token.expose(), "remote");
    client.receive_remote_event(AuthChangeEvent::SignedOut, None);
    assert!(block_on(client.get_session()).unwrap().is_none());
    assert_eq!(echoed.get(), 0);
}

// ---- MFA, identities, ID token, SSO, admin --------------------------------------------------

fn jwt_with(claims: &str) -> String {
    format!("eyJhbGciOiJIUzI1NiJ9.{}.sig", crate::jwt::base64url_encode(claims.as_bytes()))
}

#[test]
fn mfa_enroll_challenge_verify_send_the_right_requests_and_store_aal2() {
    let h = harness();
    block_on(h.storage.set_item("sb-test-auth-token", &session_json("aal1-token", "rtaaaaaaaaaa", NOW + 3600)))
        .unwrap();
    let events = record_events(&h.client);
    block_on(h.client.initialize(None));
    h.transport.push_json(200, r#"{"id":"f1","type":"totp","friendly_name":"phone app","totp":{"qr_code":"<svg/>","secret":"JBSWY3DPEHPK3PXP","uri":"otpauth://totp/x"}}"#);
    let enrolled = block_on(h.client.mfa_enroll(&MfaEnrollParams::totp().friendly_name("phone app"))).unwrap();
    assert_eq!(enrolled.totp.as_ref().unwrap().qr_code, "data:image/svg+xml;utf-8,<svg/>");
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/factors");
    assert_eq!(request.header("authorization"), Some("Bearer aal1-token"));
    assert_eq!(json(request.body.as_deref().unwrap()), json(r#"{"factor_type":"totp","friendly_name":"phone app"}"#));

    h.transport.push_json(200, r#"{"id":"c1","type":"totp","expires_at":1714558300}"#);
    h.transport.push_json(200, &session_json("aal2-token", "rtbbbbbbbbbb", NOW + 3600));
    block_on(h.client.mfa_challenge_and_verify("f1", "123456")).unwrap();
    let requests = h.transport.requests();
    assert_eq!(requests[1].url, "http://auth.test/factors/f1/challenge");
    assert_eq!(requests[2].url, "http://auth.test/factors/f1/verify");
    assert_eq!(json(requests[2].body.as_deref().unwrap()), json(r#"{"challenge_id":"c1","code":"123456"}"#));
    assert_eq!(json(&stored(&h).unwrap())["access_token"], "aal2-token");
    assert_eq!(events.borrow().last().unwrap(), "MFA_CHALLENGE_VERIFIED:aal2-token");
}

#[test]
fn assurance_level_is_read_from_the_token_without_a_request() {
    let h = harness();
    let token = jwt_with(&format!(
        r#"{{"sub":"u","exp":{},"aal":"aal1","amr":[{{"method":"password","timestamp":1}}]}}"#,
        NOW + 3600
    ));
    let with_factor = session_json(&token, "rtaaaaaaaaaa", NOW + 3600).replace(
        r#""identities":[]"#,
        r#""identities":[],"factors":[{"id":"f1","factor_type":"totp","status":"verified","phone":"","last_challenged_at":null}]"#,
    );
    block_on(h.storage.set_item("sb-test-auth-token", &with_factor)).unwrap();
    let level = block_on(h.client.mfa_get_authenticator_assurance_level()).unwrap();
    assert_eq!(level.current_level.as_deref(), Some("aal1"));
    assert_eq!(level.next_level.as_deref(), Some("aal2"));
    assert_eq!(level.current_authentication_methods[0].get("method").and_then(JsonValue::as_str), Some("password"));
    assert!(h.transport.requests().is_empty());
}

#[test]
fn id_token_sso_and_identity_requests() {
    let h = harness();
    h.transport.push_json(200, &session_json("at", "rtaaaaaaaaaa", NOW + 3600));
    block_on(h.client.sign_in_with_id_token(&SignInWithIdTokenCredentials::new("google", "id.jwt").nonce("n0nce")))
        .unwrap();
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/token?grant_type=id_token");
    assert_eq!(
        json(request.body.as_deref().unwrap()),
        json(r#"{"provider":"google","id_token":"id.jwt","nonce":"n0nce"}"#)
    );
    assert_eq!(request.header("authorization"), None);

    h.transport.push_json(200, r#"{"url":"https://idp.example/sso?x=1"}"#);
    let url = block_on(
        h.client.sign_in_with_sso(&SignInWithSsoCredentials::domain("example.org").redirect_to("http://app/")),
    )
    .unwrap();
    assert_eq!(url, "https://idp.example/sso?x=1");
    assert_eq!(
        json(h.transport.last_request().body.as_deref().unwrap()),
        json(r#"{"domain":"example.org","redirect_to":"http://app/","skip_http_redirect":true}"#)
    );

    h.transport.push_json(200, r#"{"url":"https://github.example/authorize"}"#);
    block_on(h.client.link_identity(&SignInWithOAuthCredentials::new("github").redirect_to("http://app/"))).unwrap();
    let request = h.transport.last_request();
    assert_eq!(
        request.url,
        "http://auth.test/user/identities/authorize?provider=github&redirect_to=http%3A%2F%2Fapp%2F&skip_http_redirect=true"
    );
    assert_eq!(request.header("authorization"), Some("Bearer at"));
}

#[test]
fn link_identity_sends_the_apps_query_params_as_auth_js_does() {
    // auth-js builds the linking request with _getUrlForProvider, as the sign-in URL:
    // options.queryParams go into it too.
    let h = harness();
    h.transport.push_json(200, r#"{"url":"https://github.example/authorize"}"#);
    let credentials = SignInWithOAuthCredentials::new("github").scopes("repo").query_param("prompt", "consent");
    block_on(h.client.link_identity(&credentials)).unwrap();
    assert_eq!(
        h.transport.last_request().url,
        "http://auth.test/user/identities/authorize?provider=github&scopes=repo&prompt=consent&skip_http_redirect=true"
    );
}

#[test]
fn admin_list_users_reads_the_pagination_headers() {
    let h = harness();
    h.transport.push_response(
        200,
        &[
            ("x-total-count", "12"),
            ("link", r#"</admin/users?page=2&per_page=5>; rel="next", </admin/users?page=3&per_page=5>; rel="last""#),
        ],
        &format!(
            r#"{{"users":[{}],"aud":"authenticated"}}"#,
            user_json("a@b.c").replace(r#""identities":[]"#, r#""identities":null"#)
        ),
    );
    let list = block_on(h.client.admin("service-key").list_users(Some(1), Some(5))).unwrap();
    assert_eq!((list.total, list.next_page, list.last_page), (12, Some(2), 3));
    assert!(list.users[0].identities.is_none());
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/admin/users?page=1&per_page=5");
    assert_eq!(request.header("authorization"), Some("Bearer service-key"));
    assert!(!format!("{:?}", h.client.admin("service-key")).contains("service-key"));
}
