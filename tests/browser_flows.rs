//! End-to-end flows in headless Chromium against the test server: every operation of the
//! client, and the error cases a user meets, each asserting kind, status and code.
#![cfg(target_arch = "wasm32")]

mod support;

use gotrue_wasm::*;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn json(text: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(text).expect("not JSON")
}

fn get(value: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap()
}

/// Signs up on the main server and confirms with the mailed OTP.
async fn confirmed_user(client: &BrowserClient) -> String {
    let email = unique_email();
    let response = client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    assert!(response.session.is_none());
    let code = otp(MAIN_URL, &email).await;
    client.verify_otp(VerifyOtpParams::email(&email, code, OtpType::Signup)).await.unwrap();
    email
}

#[wasm_bindgen_test]
async fn the_whole_email_password_life() {
    let (client, key) = client(MAIN_URL);

    // Sign up: confirmation required, so a user and no session.
    let email = unique_email();
    let mut data = JsonObject::new();
    data.insert("name".into(), "Ada".into());
    let signed_up = client.sign_up(SignUpCredentials::email(&email, PASSWORD).data(data)).await.unwrap();
    let user = signed_up.user.expect("sign-up returns the user");
    assert_eq!(user.email, email);
    assert!(user.email_confirmed_at.is_none());
    assert!(signed_up.session.is_none());
    assert!(stored(&key).is_none());

    // Signing in before confirming is refused with the server's code.
    let error = client.sign_in_with_password(SignInWithPasswordCredentials::email(&email, PASSWORD)).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Api);
    assert_eq!(error.code(), Some("email_not_confirmed"));
    assert_eq!(error.status(), Some(400));

    // Confirm with the OTP from the mailbox: that signs in.
    let code = otp(MAIN_URL, &email).await;
    assert_eq!(code.len(), 6);
    let confirmed = client.verify_otp(VerifyOtpParams::email(&email, &code, OtpType::Signup)).await.unwrap();
    assert!(confirmed.session.is_some());
    assert!(confirmed.user.unwrap().email_confirmed_at.is_some());
    client.sign_out(SignOutScope::Local).await.unwrap();
    assert!(stored(&key).is_none());

    // Sign in with the password; the session lands in localStorage in auth-js's format.
    let signed_in = client.sign_in_with_password(SignInWithPasswordCredentials::email(&email, PASSWORD)).await.unwrap();
    let session = signed_in.session.expect("a session");
    assert!(signed_in.weak_password.is_none());
    let saved = json(&stored(&key).expect("session stored"));
    assert_eq!(get(&saved, "access_token").as_string().as_deref(), Some(session.access_token.expose()));
    assert_eq!(get(&saved, "refresh_token").as_string().as_deref(), Some(session.refresh_token.expose()));
    assert_eq!(get(&saved, "token_type").as_string().as_deref(), Some("bearer"));
    assert_eq!(get(&saved, "expires_at").as_f64(), Some(session.expires_at as f64));
    assert_eq!(get(&get(&saved, "user"), "email").as_string(), Some(email.clone()));
    let claims = decode_claims(session.access_token.expose()).unwrap();
    assert_eq!(claims.sub.as_deref(), Some(session.user.id.as_str()));
    assert_eq!(claims.aal.as_deref(), Some("aal1"));

    // get_session reads it back; get_user asks the server.
    let current = client.get_session().await.unwrap().expect("still signed in");
    assert_eq!(current.access_token, session.access_token);
    let fetched = client.get_user().await.unwrap();
    assert_eq!(fetched.id, session.user.id);
    assert_eq!(fetched.user_metadata.get("name").and_then(JsonValue::as_str), Some("Ada"));
    assert_eq!(fetched.identities.as_ref().map(Vec::len), Some(1));

    // Update the metadata: merged, a null deletes, and the stored session's user follows.
    let mut update = JsonObject::new();
    update.insert("theme".into(), "dark".into());
    update.insert("name".into(), JsonValue::Null);
    let updated = client.update_user(UserAttributes::new().data(update)).await.unwrap();
    assert_eq!(updated.user_metadata.get("theme").and_then(JsonValue::as_str), Some("dark"));
    assert!(!updated.user_metadata.contains_key("name"));
    let saved = json(&stored(&key).unwrap());
    assert_eq!(get(&get(&get(&saved, "user"), "user_metadata"), "theme").as_string().as_deref(), Some("dark"));

    // Refresh rotates the refresh token.
    let first_refresh_token = session.refresh_token.expose().to_string();
    let refreshed = client.refresh_session().await.unwrap();
    assert_ne!(refreshed.refresh_token.expose(), first_refresh_token);
    assert_eq!(decode_claims(refreshed.access_token.expose()).unwrap().session_id, claims.session_id);
    let refreshed_again = client.refresh_session().await.unwrap();
    assert_ne!(refreshed_again.refresh_token, refreshed.refresh_token);

    // The first token, two rotations old and past the 1 s reuse interval, is refused.
    sleep_ms(1_500).await;
    let (other, _) = support::client(MAIN_URL);
    let error = other.refresh_session_with(&first_refresh_token).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Api);
    assert_eq!(error.code(), Some("refresh_token_already_used"));
    assert_eq!(error.status(), Some(400));

    // Reuse revoked the whole family: once the interval has passed, the newest token is
    // refused too (within it, the server would still hand out a child, by design).
    sleep_ms(1_500).await;
    let error = client.refresh_session().await.unwrap_err();
    assert_eq!(error.code(), Some("refresh_token_already_used"), "{error}");
}

#[wasm_bindgen_test]
async fn the_parent_of_the_active_token_returns_the_active_token() {
    let (client, _) = client(MAIN_URL);
    let email = confirmed_user(&client).await;
    let _ = email;
    let first = client.get_session().await.unwrap().unwrap();
    let second = client.refresh_session().await.unwrap();
    let (other, _) = support::client(MAIN_URL);
    // A client that lost the refresh answer retries with the parent token, after the interval.
    sleep_ms(1_200).await;
    let retried = other.refresh_session_with(first.refresh_token.expose()).await.unwrap();
    assert_eq!(retried.refresh_token, second.refresh_token);
}

#[wasm_bindgen_test]
async fn sign_out_scopes_end_the_right_sessions() {
    // Two devices of one user: `a` and `b`.
    let (a, a_key) = client(MAIN_URL);
    let email = confirmed_user(&a).await;
    let (b, b_key) = client(MAIN_URL);
    b.sign_in_with_password(SignInWithPasswordCredentials::email(&email, PASSWORD)).await.unwrap();

    // others: b is signed out on the server, a keeps its session.
    a.sign_out(SignOutScope::Others).await.unwrap();
    assert!(stored(&a_key).is_some());
    a.get_user().await.unwrap();
    let error = b.get_user().await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SessionMissing);
    assert_eq!(error.code(), Some("session_not_found"));
    assert!(stored(&b_key).is_none(), "a dead session is removed locally");

    // local: only a's session ends.
    b.sign_in_with_password(SignInWithPasswordCredentials::email(&email, PASSWORD)).await.unwrap();
    a.sign_out(SignOutScope::Local).await.unwrap();
    assert!(stored(&a_key).is_none());
    assert!(a.get_session().await.unwrap().is_none());
    b.get_user().await.unwrap();

    // global: every session ends.
    a.sign_in_with_password(SignInWithPasswordCredentials::email(&email, PASSWORD)).await.unwrap();
    let b_session = b.get_session().await.unwrap().unwrap();
    a.sign_out(SignOutScope::Global).await.unwrap();
    assert!(stored(&a_key).is_none());
    assert_eq!(b.get_user().await.unwrap_err().kind(), AuthErrorKind::SessionMissing);
    let error = a.refresh_session_with(b_session.refresh_token.expose()).await.unwrap_err();
    assert_eq!(error.code(), Some("refresh_token_not_found"));
}

#[wasm_bindgen_test]
async fn wrong_password_and_unknown_user_are_invalid_credentials() {
    let (client, key) = client(MAIN_URL);
    let email = confirmed_user(&client).await;
    client.sign_out(SignOutScope::Local).await.unwrap();
    for credentials in [
        SignInWithPasswordCredentials::email(&email, "not-the-password"),
        SignInWithPasswordCredentials::email(unique_email(), PASSWORD),
    ] {
        let error = client.sign_in_with_password(credentials).await.unwrap_err();
        assert_eq!(error.kind(), AuthErrorKind::Api);
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.code(), Some("invalid_credentials"));
        assert_eq!(error.message(), "Invalid login credentials");
    }
    assert!(stored(&key).is_none());
}

#[wasm_bindgen_test]
async fn weak_passwords_are_refused_with_reasons() {
    let (client, _) = client(MAIN_URL);
    let error = client.sign_up(SignUpCredentials::email(unique_email(), "12345")).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::WeakPassword);
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.code(), Some("weak_password"));
    assert_eq!(error.reasons(), ["length".to_string()]);
}

#[wasm_bindgen_test]
async fn signups_disabled() {
    let (client, _) = client(NO_SIGNUP_URL);
    let error = client.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Api);
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.code(), Some("signup_disabled"));
}

#[wasm_bindgen_test]
async fn autoconfirm_signs_in_at_sign_up_and_refuses_a_second_sign_up() {
    let (client, key) = client(AUTOCONFIRM_URL);
    let email = unique_email();
    let response = client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    assert!(response.session.is_some());
    assert!(stored(&key).is_some());
    let error = client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap_err();
    assert_eq!(error.code(), Some("user_already_exists"));
    assert_eq!(error.status(), Some(422));
}

#[wasm_bindgen_test]
async fn magic_link_otp_signs_in() {
    let (client, _) = client(MAIN_URL);
    let email = confirmed_user(&client).await;
    client.sign_out(SignOutScope::Local).await.unwrap();
    client.sign_in_with_otp(SignInWithOtpCredentials::email(&email).should_create_user(false)).await.unwrap();
    let message = mailbox(MAIN_URL, &email).await;
    assert_eq!(field(&message, "type"), "magiclink");
    let response =
        client.verify_otp(VerifyOtpParams::email(&email, field(&message, "otp"), OtpType::Email)).await.unwrap();
    assert_eq!(response.session.unwrap().user.email, email);

    // A wrong code is otp_expired (403); unknown users with should_create_user=false: otp_disabled.
    let error = client.verify_otp(VerifyOtpParams::email(&email, "000000", OtpType::Email)).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(403), Some("otp_expired")));
    let error = client
        .sign_in_with_otp(SignInWithOtpCredentials::email(unique_email()).should_create_user(false))
        .await
        .unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(422), Some("otp_disabled")));
}

#[wasm_bindgen_test]
async fn a_token_hash_from_the_link_verifies_too() {
    let (client, _) = client(MAIN_URL);
    let email = unique_email();
    client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    let hash = field(&mailbox(MAIN_URL, &email).await, "token_hash");
    let response = client.verify_otp(VerifyOtpParams::token_hash(hash, OtpType::Signup)).await.unwrap();
    assert!(response.session.is_some());
}

#[wasm_bindgen_test]
async fn password_recovery_then_a_new_password() {
    let (client, _) = client(MAIN_URL);
    let email = confirmed_user(&client).await;
    client.sign_out(SignOutScope::Local).await.unwrap();
    client.reset_password_for_email(&email, ResetPasswordOptions::default()).await.unwrap();
    // Unknown addresses get the same answer: no account enumeration.
    client.reset_password_for_email(&unique_email(), ResetPasswordOptions::default()).await.unwrap();
    let message = mailbox(MAIN_URL, &email).await;
    assert_eq!(field(&message, "type"), "recovery");
    client.verify_otp(VerifyOtpParams::email(&email, field(&message, "otp"), OtpType::Recovery)).await.unwrap();
    client.update_user(UserAttributes::new().password("a-brand-new-password")).await.unwrap();
    client.sign_out(SignOutScope::Local).await.unwrap();
    client.sign_in_with_password(SignInWithPasswordCredentials::email(&email, "a-brand-new-password")).await.unwrap();
    let error = client.update_user(UserAttributes::new().password("a-brand-new-password")).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(422), Some("same_password")));
}

#[wasm_bindgen_test]
async fn resend_sends_a_new_confirmation() {
    let (client, _) = client(MAIN_URL);
    let email = unique_email();
    client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    let first = mailbox(MAIN_URL, &email).await;
    client.resend(ResendParams::email(&email, OtpType::Signup)).await.unwrap();
    let second = mailbox(MAIN_URL, &email).await;
    assert_eq!(field(&second, "type"), "signup");
    assert_ne!(field(&first, "token_hash"), field(&second, "token_hash"));
    client.verify_otp(VerifyOtpParams::email(&email, field(&second, "otp"), OtpType::Signup)).await.unwrap();
}

#[wasm_bindgen_test]
async fn reauthenticate_sends_a_nonce_that_update_user_accepts() {
    let (client, _) = client(MAIN_URL);
    let email = confirmed_user(&client).await;
    client.reauthenticate().await.unwrap();
    let message = mailbox(MAIN_URL, &email).await;
    assert_eq!(field(&message, "type"), "reauthentication");
    client
        .update_user(UserAttributes::new().password("another-good-password").nonce(field(&message, "otp")))
        .await
        .unwrap();
    let error =
        client.update_user(UserAttributes::new().password("yet-another-password").nonce("999999")).await.unwrap_err();
    assert_eq!(error.code(), Some("reauthentication_not_valid"));
}

#[wasm_bindgen_test]
async fn anonymous_sign_in() {
    let (client, key) = client(MAIN_URL);
    let response = client.sign_in_anonymously(SignInAnonymouslyOptions::default()).await.unwrap();
    let session = response.session.unwrap();
    assert!(session.user.is_anonymous);
    assert_eq!(session.user.email, "");
    assert_eq!(decode_claims(session.access_token.expose()).unwrap().is_anonymous, Some(true));
    assert!(stored(&key).is_some());
    let (closed, _) = support::client(NO_SIGNUP_URL);
    let error = closed.sign_in_anonymously(SignInAnonymouslyOptions::default()).await.unwrap_err();
    assert!(matches!(error.code(), Some("anonymous_provider_disabled" | "signup_disabled")), "{error}");
}

#[wasm_bindgen_test]
async fn phone_sign_up_with_an_sms_code() {
    let (client, _) = client(MAIN_URL);
    let phone = unique_phone();
    let response = client.sign_up(SignUpCredentials::phone(format!("+{phone}"), PASSWORD)).await.unwrap();
    assert_eq!(response.user.unwrap().phone, phone, "stored without the +");
    let message = mailbox(MAIN_URL, &phone).await;
    assert_eq!(field(&message, "type"), "sms");
    let response =
        client.verify_otp(VerifyOtpParams::phone(&phone, field(&message, "otp"), OtpType::Sms)).await.unwrap();
    assert_eq!(response.session.unwrap().user.phone, phone);
    client.sign_out(SignOutScope::Local).await.unwrap();
    client.sign_in_with_password(SignInWithPasswordCredentials::phone(&phone, PASSWORD)).await.unwrap();
}

#[wasm_bindgen_test]
async fn set_session_adopts_tokens_from_elsewhere_and_a_new_client_finds_the_session() {
    let (origin, _) = client(AUTOCONFIRM_URL);
    let session = origin.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    let (adopter, key) = client(AUTOCONFIRM_URL);
    let adopted = adopter.set_session(session.access_token.expose(), session.refresh_token.expose()).await.unwrap();
    assert_eq!(adopted.user.id, session.user.id);
    assert_eq!(adopted.expires_at, decode_claims(session.access_token.expose()).unwrap().exp.unwrap());

    // A page reload: a fresh client on the same storage key finds the session.
    let reloaded =
        BrowserClient::browser(ClientOptions::new(AUTOCONFIRM_URL).header("apikey", "test-anon-key").storage_key(&key));
    let found = reloaded.get_session().await.unwrap().expect("session survives a reload");
    assert_eq!(found.access_token, adopted.access_token);
}

#[wasm_bindgen_test]
async fn a_session_whose_time_is_up_is_refreshed_by_get_session() {
    let (client, key) = client(AUTOCONFIRM_URL);
    let session = client.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    // Pretend the token expires in 30 s: inside the 90 s margin.
    let saved = stored(&key).unwrap();
    let near = saved.replace(
        &format!("\"expires_at\":{}", session.expires_at),
        &format!("\"expires_at\":{}", (js_sys::Date::now() / 1000.0) as i64 + 30),
    );
    assert_ne!(saved, near);
    store(&key, &near);
    let current = client.get_session().await.unwrap().unwrap();
    assert_ne!(current.refresh_token, session.refresh_token, "refreshed");
    assert!(current.expires_at > session.expires_at - 5);
}

#[wasm_bindgen_test]
async fn corrupted_storage_reads_as_signed_out() {
    let (client, key) = client(MAIN_URL);
    store(&key, "{not json");
    assert!(client.get_session().await.unwrap().is_none());
    assert!(stored(&key).is_none());
    assert_eq!(client.get_user().await.unwrap_err().kind(), AuthErrorKind::SessionMissing);
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_retryable_network_error() {
    let (client, _) = client("http://127.0.0.1:9");
    let error =
        client.sign_in_with_password(SignInWithPasswordCredentials::email("a@b.c", PASSWORD)).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::RetryableFetch);
    assert_eq!(error.status(), Some(0));
}

#[wasm_bindgen_test]
async fn a_plain_text_404_is_an_unknown_error() {
    let (client, _) = client(&format!("{MAIN_URL}/no-such-prefix"));
    let error = client.settings().await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Unknown);
    assert_eq!(error.status(), Some(404));
}

#[wasm_bindgen_test]
async fn settings_reflect_the_server() {
    let (client, _) = client(NO_SIGNUP_URL);
    let settings = client.settings().await.unwrap();
    assert_eq!(settings.get("disable_signup").and_then(JsonValue::as_bool), Some(true));
    let external = settings.get("external").and_then(JsonValue::as_object).unwrap();
    assert_eq!(external.get("email").and_then(JsonValue::as_bool), Some(true));
}
