//! Faults a flaky network or a hostile page produces, and what the client must do with them:
//! never lose a session to a fault that is no verdict on it, never keep one after a local
//! sign-out, never leave tokens in the URL, never wait forever (issue #10).

use crate::client_tests::{harness, json, pkce_harness, record_events, session_json, stored, user_json, NOW};
use crate::test_support::block_on;
use crate::*;

const KEY: &str = "sb-test-auth-token";

fn store(h: &crate::client_tests::Harness, access: &str, refresh: &str, expires_at: i64) {
    block_on(h.storage.set_item(KEY, &session_json(access, refresh, expires_at))).unwrap();
}

// ---- 1. refreshSession({ refresh_token }) exchanges the token it is given ------------------

#[test]
fn an_explicit_refresh_token_is_exchanged_while_another_session_is_stored() {
    let h = harness();
    store(&h, "at-mine", "rt-mine-aaaa", NOW + 3600);
    h.transport.push_json(200, &session_json("at-theirs", "rt-next-bbbb", NOW + 3600));
    let session = block_on(h.client.refresh_session_with("rt-theirs-cc")).unwrap();
    assert_eq!(session.access_token.expose(), "at-theirs");
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/token?grant_type=refresh_token");
    assert_eq!(json(request.body.as_deref().unwrap()), json(r#"{"refresh_token":"rt-theirs-cc"}"#));
    assert_eq!(json(&stored(&h).unwrap())["refresh_token"], "rt-next-bbbb");
}

#[test]
fn a_bogus_explicit_refresh_token_is_an_error_and_leaves_the_stored_session() {
    let h = harness();
    // Expired, so a verdict on the stored token would remove it: this one is not about it.
    store(&h, "at-mine", "rt-mine-aaaa", NOW - 10);
    let events = record_events(&h.client);
    h.transport.push_json(400, r#"{"code":"refresh_token_not_found","message":"Invalid Refresh Token"}"#);
    let error = block_on(h.client.refresh_session_with("bogus")).unwrap_err();
    assert_eq!(error.code(), Some("refresh_token_not_found"));
    assert_eq!(json(request_body(&h))["refresh_token"], "bogus");
    assert_eq!(json(&stored(&h).unwrap())["refresh_token"], "rt-mine-aaaa");
    assert!(!events.borrow().iter().any(|e| e.starts_with("SIGNED_OUT")), "{:?}", events.borrow());
}

fn request_body(h: &crate::client_tests::Harness) -> &'static str {
    Box::leak(h.transport.last_request().body.unwrap_or_default().into_boxed_str())
}

#[test]
fn set_session_with_an_expired_access_token_refreshes_the_given_token_not_the_stored_one() {
    let h = harness();
    store(&h, "at-mine", "rt-mine-aaaa", NOW + 3600);
    let expired = format!(
        "eyJhbGciOiJIUzI1NiJ9.{}.sig",
        crate::jwt::base64url_encode(format!(r#"{{"exp":{}}}"#, NOW - 5).as_bytes())
    );
    h.transport.push_json(200, &session_json("at-set", "rt-set-next", NOW + 3600));
    let session = block_on(h.client.set_session(&expired, "rt-given-xx")).unwrap();
    assert_eq!(session.access_token.expose(), "at-set");
    assert_eq!(json(request_body(&h))["refresh_token"], "rt-given-xx");
}

// ---- 2. a 200 that is no session is retryable ----------------------------------------------

#[test]
fn a_refresh_answered_200_with_a_body_that_is_no_session_keeps_the_session() {
    for body in ["", "{\"access_token\":\"at-cut", "<html><body>Sign in to the Wi-Fi</body></html>", "{}", "[1,2]"] {
        let h = harness();
        store(&h, "old", "rt-old-aaaaa", NOW - 10);
        let events = record_events(&h.client);
        for _ in 0..8 {
            h.transport.push_response(200, &[("content-type", "text/html")], body);
        }
        let error = block_on(h.client.get_session()).unwrap_err();
        assert_eq!(error.kind(), AuthErrorKind::RetryableFetch, "{body:?}: {error}");
        assert_eq!(h.transport.requests().len(), 8, "{body:?}: retried like a network fault");
        assert_eq!(json(&stored(&h).unwrap())["refresh_token"], "rt-old-aaaaa", "{body:?}");
        assert!(!events.borrow().iter().any(|e| e.starts_with("SIGNED_OUT")), "{body:?}: {:?}", events.borrow());
    }
}

#[test]
fn a_rate_limited_refresh_keeps_the_session() {
    let h = harness();
    store(&h, "old", "rt-old-aaaaa", NOW - 10);
    h.transport.push_response(429, &[("retry-after", "30")], r#"{"code":"over_request_rate_limit","message":"slow"}"#);
    let error = block_on(h.client.get_session()).unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert!(stored(&h).is_some(), "a rate limit is no verdict on the token");
}

#[test]
fn a_sign_in_answered_200_with_html_is_retryable_and_stores_nothing() {
    let h = harness();
    h.transport.push_response(200, &[], "<html>portal</html>");
    let error =
        block_on(h.client.sign_in_with_password(SignInWithPasswordCredentials::email("a@b.c", "pw"))).unwrap_err();
    assert_eq!((error.kind(), error.status()), (AuthErrorKind::RetryableFetch, Some(0)));
    assert!(stored(&h).is_none());
}

// ---- 3 and 4. a local sign-out always signs out locally, promptly --------------------------

#[test]
fn a_local_sign_out_whose_logout_fails_still_emits_signed_out() {
    for fail in ["network", "500"] {
        let h = harness();
        store(&h, "at", "rt-aaaaaaaaa", NOW + 3600);
        let events = record_events(&h.client);
        block_on(h.client.initialize(None));
        match fail {
            "network" => h.transport.push_network_error(),
            _ => h.transport.push_response(500, &[], "<html>Internal Server Error</html>"),
        }
        let error = block_on(h.client.sign_out(SignOutScope::Local)).unwrap_err();
        assert!(error.is_retryable(), "{fail}: the server was not told, and the error says so");
        assert!(stored(&h).is_none(), "{fail}");
        assert_eq!(events.borrow().last().map(String::as_str), Some("SIGNED_OUT:-"), "{fail}");
        assert!(block_on(h.client.get_session()).unwrap().is_none());
    }
}

#[test]
fn a_local_sign_out_offline_with_an_expired_token_signs_out_without_retrying() {
    let h = harness();
    store(&h, "at", "rt-aaaaaaaaa", NOW - 10);
    let events = record_events(&h.client);
    // A single request fails: the refresh that would get a token to revoke with.
    h.transport.push_network_error();
    let error = block_on(h.client.sign_out(SignOutScope::Local)).unwrap_err();
    assert!(error.is_retryable());
    assert!(stored(&h).is_none());
    assert!(h.runtime.sleeps.borrow().is_empty(), "no retries: {:?}", h.runtime.sleeps.borrow());
    assert_eq!(h.transport.requests().len(), 1);
    assert_eq!(events.borrow().last().map(String::as_str), Some("SIGNED_OUT:-"));
}

#[test]
fn a_local_sign_out_with_an_expired_token_revokes_with_a_fresh_one_when_online() {
    let h = harness();
    store(&h, "at", "rt-aaaaaaaaa", NOW - 10);
    h.transport.push_json(200, &session_json("at-fresh", "rt-fresh-bbb", NOW + 3600));
    h.transport.push_response(204, &[], "");
    block_on(h.client.sign_out(SignOutScope::Local)).unwrap();
    let request = h.transport.last_request();
    assert_eq!(request.url, "http://auth.test/logout?scope=local");
    assert_eq!(request.header("authorization"), Some("Bearer at-fresh"));
    assert!(stored(&h).is_none(), "the refreshed session is never stored");
}

#[test]
fn a_local_sign_out_with_an_expired_token_reports_a_server_it_could_not_tell() {
    // Rate-limited, or an answer that is no session: the server was not told, and the
    // result says so; a verdict on the token means there is nothing left to end there.
    for (status, body, told) in [
        (429, r#"{"code":"over_request_rate_limit","message":"slow down"}"#, false),
        (200, r#"{"unexpected":true}"#, false),
        (400, r#"{"code":"refresh_token_not_found","message":"Invalid Refresh Token"}"#, true),
    ] {
        let h = harness();
        store(&h, "at", "rt-aaaaaaaaa", NOW - 10);
        h.transport.push_json(status, body);
        let result = block_on(h.client.sign_out(SignOutScope::Local));
        assert_eq!(result.is_ok(), told, "{status} {body}: {result:?}");
        assert!(stored(&h).is_none());
    }
}

#[test]
fn a_global_sign_out_still_needs_the_server() {
    let h = harness();
    store(&h, "at", "rt-aaaaaaaaa", NOW + 3600);
    h.transport.push_response(503, &[], "<html>down</html>");
    assert!(block_on(h.client.sign_out(SignOutScope::Global)).unwrap_err().is_retryable());
    assert!(stored(&h).is_some());
}

// ---- 6. timeouts ------------------------------------------------------------------------------

#[test]
fn every_request_carries_the_configured_timeout() {
    assert!(ClientOptions::new("http://h").request_timeout_ms <= 30_000);
    let h = harness();
    h.transport.push_json(200, &session_json("at", "rt-aaaaaaaaa", NOW + 3600));
    block_on(h.client.sign_in_with_password(SignInWithPasswordCredentials::email("a@b.c", "pw"))).unwrap();
    assert_eq!(h.transport.last_request().timeout_ms, DEFAULT_REQUEST_TIMEOUT_MS);

    let transport = crate::test_support::FakeTransport::default();
    let client = GoTrueClient::with_runtime(
        ClientOptions::new("http://auth.test").request_timeout_ms(1500),
        transport.clone(),
        MemoryStorage::new(),
        std::rc::Rc::new(crate::test_support::FakeRuntime::at_seconds(NOW)),
    );
    transport.push_json(200, "{}");
    let _ = block_on(client.settings());
    assert_eq!(transport.last_request().timeout_ms, 1500);
}

#[test]
fn a_timed_out_refresh_is_retried_and_keeps_the_session() {
    let h = harness();
    store(&h, "old", "rt-old-aaaaa", NOW - 10);
    h.transport.push_error(AuthError::timeout(30_000));
    h.transport.push_json(200, &session_json("new", "rt-new-bbbbb", NOW + 3600));
    let session = block_on(h.client.get_session()).unwrap().unwrap();
    assert_eq!(session.access_token.expose(), "new");
    let timeout = AuthError::timeout(1000);
    assert_eq!(
        (timeout.kind(), timeout.status(), timeout.code()),
        (AuthErrorKind::RetryableFetch, Some(0), Some("request_timeout"))
    );
}

#[test]
fn a_timed_out_local_sign_out_still_signs_out() {
    let h = harness();
    store(&h, "at", "rt-aaaaaaaaa", NOW + 3600);
    h.transport.push_error(AuthError::timeout(30_000));
    assert_eq!(block_on(h.client.sign_out(SignOutScope::Local)).unwrap_err().code(), Some("request_timeout"));
    assert!(stored(&h).is_none());
}

// ---- 7. no tokens left in the URL -------------------------------------------------------------

fn implicit_url() -> String {
    format!(
        "http://app/cb?keep=1#access_token=at-url&expires_at={}&expires_in=3600&refresh_token=rt-url&token_type=bearer",
        NOW + 3600
    )
}

#[test]
fn a_url_session_whose_check_fails_for_a_moment_is_retried() {
    let h = harness();
    h.transport.push_response(503, &[], "<html>Service Unavailable</html>");
    h.transport.push_network_error();
    h.transport.push_json(200, &user_json("ada@example.com"));
    let outcome = block_on(h.client.initialize(Some(&implicit_url())));
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    assert_eq!(outcome.clean_url.as_deref(), Some("http://app/cb?keep=1"));
    assert_eq!(json(&stored(&h).unwrap())["refresh_token"], "rt-url");
    assert_eq!(*h.runtime.sleeps.borrow(), vec![250, 500]);
}

#[test]
fn a_url_session_that_cannot_be_checked_leaves_no_token_in_the_url() {
    let h = harness();
    for _ in 0..10 {
        h.transport.push_response(503, &[], "<html>Service Unavailable</html>");
    }
    let outcome = block_on(h.client.initialize(Some(&implicit_url())));
    assert!(outcome.error.unwrap().is_retryable());
    assert_eq!(outcome.clean_url.as_deref(), Some("http://app/cb?keep=1"));
    let waited: u32 = h.runtime.sleeps.borrow().iter().sum();
    assert!(waited <= 5_000, "retried within the budget: {:?}", h.runtime.sleeps.borrow());
    assert!(h.transport.requests().len() >= 3);
    assert!(stored(&h).is_none());
}

#[test]
fn a_url_session_the_server_refuses_leaves_no_token_in_the_url() {
    let h = harness();
    h.transport.push_json(401, r#"{"code":"bad_jwt","message":"invalid JWT"}"#);
    let outcome = block_on(h.client.initialize(Some(&implicit_url())));
    assert_eq!(outcome.error.unwrap().code(), Some("bad_jwt"));
    assert_eq!(outcome.clean_url.as_deref(), Some("http://app/cb?keep=1"));
    assert_eq!(h.transport.requests().len(), 1, "a verdict is not retried");
}

#[test]
fn a_pkce_code_whose_exchange_fails_for_a_moment_is_retried_with_the_kept_verifier() {
    let h = pkce_harness();
    h.transport.push_json(200, "{}");
    block_on(h.client.sign_in_with_otp(SignInWithOtpCredentials::email("a@b.c"))).unwrap();
    h.transport.push_response(502, &[], "<html>Bad Gateway</html>");
    h.transport.push_json(200, &session_json("at-code", "rt-code-aaaa", NOW + 3600));
    let outcome = block_on(h.client.initialize(Some("http://app/cb?code=c0de")));
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    assert_eq!(outcome.clean_url.as_deref(), Some("http://app/cb"));
    let requests = h.transport.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[1].body, requests[2].body, "the same verifier both times");
}

// ---- 5. subscriptions cost memory only while alive --------------------------------------------

#[test]
fn a_burst_of_subscriptions_leaves_nothing_behind() {
    let h = harness();
    block_on(h.client.initialize(None));
    let mut ids = Vec::new();
    for _ in 0..20_000 {
        ids.push(h.client.on_auth_state_change(|_, _| {}).id());
    }
    for id in ids {
        h.client.unsubscribe(id);
    }
    let (live, room) = h.client.listener_count();
    assert_eq!(live, 0);
    assert!(room <= 64, "the subscriber list shrank back: room for {room}");
    let kept = h.client.on_auth_state_change(|_, _| {});
    for _ in 0..20_000 {
        h.client.on_auth_state_change(|_, _| {}).unsubscribe();
    }
    let (live, room) = h.client.listener_count();
    assert_eq!(live, 1);
    assert!(room <= 64, "the subscriber list shrank back: room for {room}");
    kept.unsubscribe();
}

// ---- verify: only a session or a message object (the half email change) is a success ---------------------

#[test]
fn a_verify_answered_200_with_no_json_object_is_an_error() {
    for (body, retryable) in [("", true), ("{\"access_tok", true), ("<html>portal</html>", true), ("[1]", false)] {
        let h = harness();
        h.transport.push_response(200, &[], body);
        let error =
            block_on(h.client.verify_otp(VerifyOtpParams::email("a@b.c", "123456", OtpType::Email))).unwrap_err();
        assert_eq!(error.is_retryable(), retryable, "{body:?}: {error}");
        assert!(stored(&h).is_none());
    }
}
