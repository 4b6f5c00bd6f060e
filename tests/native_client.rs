//! The native client (ReqwestTransport + FileStorage / MemoryStorage) against the real test
//! server over a socket. scripts/test.sh starts the servers and sets GOTRUE_TEST_URL (email
//! confirmation required) and GOTRUE_TEST_AUTOCONFIRM_URL; run alone with
//! `cargo test --features native-transport --test native_client` after starting them.
#![cfg(all(feature = "native-transport", not(target_arch = "wasm32")))]

use std::future::Future;
use std::time::{SystemTime, UNIX_EPOCH};

use gotrue_wasm::*;

const PASSWORD: &str = "correct-horse-battery-staple";

fn server(variable: &str) -> String {
    std::env::var(variable)
        .unwrap_or_else(|_| panic!("{variable} is not set: start the test servers (scripts/test.sh)"))
}

fn unique_email(prefix: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("native-{prefix}-{nanos}@example.com")
}

fn options(url: &str) -> ClientOptions {
    ClientOptions::new(url).header("apikey", "test-anon-key")
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gotrue-native-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

async fn get(url: &str) -> HttpResponse {
    let request =
        HttpRequest { method: Method::Get, url: url.to_string(), headers: vec![], body: None, timeout_ms: 30_000 };
    ReqwestTransport::new().unwrap().send(request).await.unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn password_sign_in_survives_a_restart_in_files_and_signs_out_globally() {
    let url = server("GOTRUE_TEST_AUTOCONFIRM_URL");
    let dir = scratch_dir("restart");
    let email = unique_email("files");
    let client = GoTrueClient::new(options(&url), ReqwestTransport::new().unwrap(), FileStorage::new(&dir));
    let signed_up = client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    let session = signed_up.session.expect("autoconfirm signs the new user in");
    assert_eq!(session.user.email, email);

    // A second process on the same directory: the session is there, and the server takes it.
    let again = GoTrueClient::new(options(&url), ReqwestTransport::new().unwrap(), FileStorage::new(&dir));
    let restored = again.get_session().await.unwrap().expect("session restored from the file");
    assert_eq!(restored.access_token.expose(), session.access_token.expose());
    let mut data = JsonObject::new();
    data.insert("plan".into(), "pro".into());
    let updated = again.update_user(UserAttributes::new().data(data)).await.unwrap();
    assert_eq!(updated.user_metadata.get("plan").and_then(JsonValue::as_str), Some("pro"));
    assert_eq!(again.get_user().await.unwrap().id, session.user.id);

    // A refresh rotates the tokens and writes them to the file.
    let refreshed = again.refresh_session().await.unwrap();
    assert_ne!(refreshed.refresh_token.expose(), session.refresh_token.expose());
    let on_disk = FileStorage::new(&dir).get_item(again.storage_key()).await.unwrap().unwrap();
    assert_eq!(on_disk.parse::<Session>().unwrap().refresh_token.expose(), refreshed.refresh_token.expose());

    again.sign_out(SignOutScope::Global).await.unwrap();
    assert!(again.get_session().await.unwrap().is_none());
    assert_eq!(FileStorage::new(&dir).get_item(again.storage_key()).await.unwrap(), None);
    // Global sign-out revoked the refresh token on the server.
    let error = client.refresh_session_with(refreshed.refresh_token.expose()).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Api, "{error:?}");
    assert!(!error.is_retryable());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "current_thread")]
async fn email_confirmation_with_the_mailed_code() {
    let url = server("GOTRUE_TEST_URL");
    let email = unique_email("otp");
    let client = GoTrueClient::new(options(&url), ReqwestTransport::new().unwrap(), MemoryStorage::new());
    let signed_up = client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    assert!(signed_up.session.is_none(), "confirmation is required");

    let error = client.sign_in_with_password(SignInWithPasswordCredentials::email(&email, PASSWORD)).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (AuthErrorKind::Api, Some(400), Some("email_not_confirmed"))
    );

    let mail = get(&format!("{url}/__test/mailbox/{email}")).await;
    assert_eq!(mail.status, 200, "{}", mail.body);
    let mail = JsonValue::from_json_str(&mail.body).unwrap();
    let code = mail.get("otp").and_then(JsonValue::as_str).expect("the mail has a code").to_string();
    let verified = client.verify_otp(VerifyOtpParams::email(&email, &code, OtpType::Signup)).await.unwrap();
    assert!(verified.session.is_some());
    assert!(client.get_user().await.unwrap().email_confirmed_at.is_some());
    client.sign_out(SignOutScope::Local).await.unwrap();
    assert!(client.get_session().await.unwrap().is_none());
}

#[tokio::test(flavor = "current_thread")]
async fn oauth_with_pkce_through_the_fake_provider() {
    let url = server("GOTRUE_TEST_AUTOCONFIRM_URL");
    let client = GoTrueClient::new(
        options(&url).flow_type(FlowType::Pkce),
        ReqwestTransport::new().unwrap(),
        MemoryStorage::new(),
    );
    let redirect_to = "http://127.0.0.1:1/native-callback";
    let started =
        client.sign_in_with_oauth(&SignInWithOAuthCredentials::new("github").redirect_to(redirect_to)).await.unwrap();
    assert!(started.url.contains("code_challenge="), "{}", started.url);

    // What a browser would do: follow the redirects, allowing at the provider as `email`.
    let email = unique_email("oauth");
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut next = started.url.clone();
    let landed = loop {
        let response = no_redirects.get(&next).send().await.unwrap();
        let location = response.headers().get("location").map(|value| value.to_str().unwrap().to_string());
        let Some(location) = location else { panic!("no redirect from {next}: {}", response.status()) };
        let location = if location.starts_with('/') { format!("{url}{location}") } else { location };
        if location.starts_with(redirect_to) {
            break location;
        }
        next = if location.contains("/__test/oauth/authorize") {
            format!("{location}&auto=allow&email={email}")
        } else {
            location
        };
    };
    let code = landed.split("code=").nth(1).expect("a code in the redirect").split('&').next().unwrap().to_string();
    let exchanged = client.exchange_code_for_session(&code).await.unwrap();
    assert_eq!(exchanged.session.user.email, email);
    assert_eq!(client.get_session().await.unwrap().unwrap().user.email, email);
    // The verifier was single-use.
    assert!(client.exchange_code_for_session(&code).await.is_err());
}

#[tokio::test(flavor = "current_thread")]
async fn failures_are_typed_errors() {
    let url = server("GOTRUE_TEST_AUTOCONFIRM_URL");
    let client = GoTrueClient::new(options(&url), ReqwestTransport::new().unwrap(), MemoryStorage::new());
    let error = client
        .sign_in_with_password(SignInWithPasswordCredentials::email(unique_email("nobody"), "wrong password"))
        .await
        .unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(400), Some("invalid_credentials")));

    // Nothing listens on port 1: a network error, retryable, no token in its text.
    let closed =
        GoTrueClient::new(options("http://127.0.0.1:1"), ReqwestTransport::new().unwrap(), MemoryStorage::new());
    let error = closed
        .sign_in_with_password(SignInWithPasswordCredentials::email("a@example.com", "secret-password"))
        .await
        .unwrap_err();
    assert!(error.is_retryable(), "{error:?}");
    assert!(!error.message().contains("secret"), "{}", error.message());

    // A header value HTTP cannot carry is the caller's error, not a panic.
    let bad = GoTrueClient::new(
        options(&url).header("apikey", "line\nbreak"),
        ReqwestTransport::new().unwrap(),
        MemoryStorage::new(),
    );
    let error = bad.settings().await.unwrap_err();
    assert!(!error.is_retryable(), "{error:?}");
}

#[test]
fn outside_a_tokio_runtime_the_transport_answers_an_error() {
    // A minimal executor that is not Tokio: the transport must refuse, not panic.
    let request = HttpRequest {
        method: Method::Get,
        url: "http://127.0.0.1:1/".into(),
        headers: vec![],
        body: None,
        timeout_ms: 30_000,
    };
    let transport = ReqwestTransport::new().unwrap();
    let mut future = std::pin::pin!(transport.send(request));
    let waker = std::task::Waker::noop();
    let outcome = future.as_mut().poll(&mut std::task::Context::from_waker(waker));
    let std::task::Poll::Ready(Err(error)) = outcome else { panic!("expected an immediate error") };
    assert!(error.message().contains("Tokio"), "{}", error.message());
}
