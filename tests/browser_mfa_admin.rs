//! MFA, the admin API and identities end to end against the test server.
#![cfg(target_arch = "wasm32")]

mod support;

use gotrue_wasm::*;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn signed_in(url: &str) -> (BrowserClient, Session) {
    let (client, _) = client(url);
    let session = client.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    (client, session)
}

#[wasm_bindgen_test]
async fn totp_step_up_from_aal1_to_aal2() {
    let (client, _) = signed_in(AUTOCONFIRM_URL).await;
    let before = client.mfa_get_authenticator_assurance_level().await.unwrap();
    assert_eq!((before.current_level.as_deref(), before.next_level.as_deref()), (Some("aal1"), Some("aal1")));

    let enrolled = client.mfa_enroll(&MfaEnrollParams::totp().friendly_name("authenticator")).await.unwrap();
    let totp = enrolled.totp.clone().expect("TOTP details");
    assert!(totp.qr_code.starts_with("data:image/svg+xml;utf-8,"), "{}", &totp.qr_code[..40.min(totp.qr_code.len())]);
    assert!(totp.uri.starts_with("otpauth://totp/"));

    // A wrong code is refused with the server's code.
    let challenge = client.mfa_challenge(&enrolled.id, None).await.unwrap();
    let error = client.mfa_verify(&enrolled.id, &challenge.id, "000000").await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(422), Some("mfa_verification_failed")));

    let code = totp_code(totp.secret.expose()).await;
    let verified = client.mfa_challenge_and_verify(&enrolled.id, &code).await.unwrap();
    let session = verified.session.unwrap();
    let claims = decode_claims(session.access_token.expose()).unwrap();
    assert_eq!(claims.aal.as_deref(), Some("aal2"));
    let level = client.mfa_get_authenticator_assurance_level().await.unwrap();
    assert_eq!(level.current_level.as_deref(), Some("aal2"));
    assert_eq!(level.current_authentication_methods[0].get("method").and_then(JsonValue::as_str), Some("totp"));

    let factors = client.mfa_list_factors().await.unwrap();
    assert_eq!(factors.totp.len(), 1);
    assert_eq!(factors.all.len(), 1);

    // A refresh keeps aal2.
    let refreshed = client.refresh_session().await.unwrap();
    assert_eq!(decode_claims(refreshed.access_token.expose()).unwrap().aal.as_deref(), Some("aal2"));
    assert_eq!(client.mfa_unenroll(&enrolled.id).await.unwrap(), enrolled.id);
}

#[wasm_bindgen_test]
async fn a_new_sign_in_of_an_mfa_user_starts_at_aal1_with_aal2_next() {
    let (client, session) = signed_in(AUTOCONFIRM_URL).await;
    let enrolled = client.mfa_enroll(&MfaEnrollParams::totp()).await.unwrap();
    let code = totp_code(enrolled.totp.unwrap().secret.expose()).await;
    client.mfa_challenge_and_verify(&enrolled.id, &code).await.unwrap();
    let (again, _) = support::client(AUTOCONFIRM_URL);
    again.sign_in_with_password(SignInWithPasswordCredentials::email(&session.user.email, PASSWORD)).await.unwrap();
    let level = again.mfa_get_authenticator_assurance_level().await.unwrap();
    assert_eq!((level.current_level.as_deref(), level.next_level.as_deref()), (Some("aal1"), Some("aal2")));
    // Unenrolling a verified factor from aal1 is refused.
    let error = again.mfa_unenroll(&enrolled.id).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(422), Some("insufficient_aal")));
}

#[wasm_bindgen_test]
async fn admin_calls_need_the_service_role() {
    let (client, session) = signed_in(AUTOCONFIRM_URL).await;
    let error = client.admin(session.access_token.expose()).list_users(None, None).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(403), Some("not_admin")));
    let error = client.admin("not-a-jwt").get_user_by_id(&session.user.id).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(403), Some("bad_jwt")));
}

#[wasm_bindgen_test]
async fn admin_manages_users_and_pages_through_them() {
    let key = service_role_key(AUTOCONFIRM_URL).await;
    let (client, _) = client(AUTOCONFIRM_URL);
    let admin = client.admin(&key);
    let mut attributes =
        AdminUserAttributes { email: Some(unique_email()), email_confirm: Some(true), ..Default::default() };
    attributes.password = Some(SecretString::new(PASSWORD));
    let created = admin.create_user(&attributes).await.unwrap();
    assert!(created.email_confirmed_at.is_some());
    let fetched = admin.get_user_by_id(&created.id).await.unwrap();
    assert_eq!(fetched.email, created.email);
    let mut metadata = JsonObject::new();
    metadata.insert("plan".into(), "pro".into());
    let updated = admin
        .update_user_by_id(&created.id, &AdminUserAttributes { user_metadata: Some(metadata), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(updated.user_metadata.get("plan").and_then(JsonValue::as_str), Some("pro"));

    let first = admin.list_users(Some(1), Some(2)).await.unwrap();
    assert_eq!(first.users.len(), 2);
    assert!(first.total >= 2);
    assert_eq!(first.next_page, Some(2));
    assert_eq!(first.last_page, first.total.div_ceil(2));
    assert!(first.users.iter().all(|user| user.identities.is_none()), "lists do not load identities");

    admin.delete_user(&created.id, false).await.unwrap();
    let error = admin.get_user_by_id(&created.id).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(404), Some("user_not_found")));
}

#[wasm_bindgen_test]
async fn generated_links_and_invitations_work() {
    let key = service_role_key(MAIN_URL).await;
    let (client, _) = client(MAIN_URL);
    let email = unique_email();
    let link = client
        .admin(&key)
        .generate_link(&GenerateLinkParams::new(GenerateLinkType::Signup, &email).password(PASSWORD))
        .await
        .unwrap();
    assert!(link.action_link.contains("/verify?token="), "{}", link.action_link);
    assert_eq!(link.user.email, email);
    let response =
        client.verify_otp(VerifyOtpParams::token_hash(link.hashed_token.expose(), OtpType::Signup)).await.unwrap();
    assert_eq!(response.session.unwrap().user.email, email);

    let invited_email = unique_email();
    let invited = client.admin(&key).invite_user_by_email(&invited_email, None, None).await.unwrap();
    assert!(invited.invited_at.is_some());
    let message = mailbox(MAIN_URL, &invited_email).await;
    assert_eq!(field(&message, "type"), "invite");
    client.verify_otp(VerifyOtpParams::email(&invited_email, field(&message, "otp"), OtpType::Invite)).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_last_identity_cannot_be_unlinked() {
    let (client, _) = signed_in(AUTOCONFIRM_URL).await;
    let identities = client.get_user_identities().await.unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].provider, "email");
    let error = client.unlink_identity(&identities[0]).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(422), Some("single_identity_not_deletable")));
}

#[wasm_bindgen_test]
async fn admin_lists_and_deletes_factors() {
    let (client, session) = signed_in(AUTOCONFIRM_URL).await;
    let user_id = session.user.id.clone();
    // An unverified TOTP factor is enough for the admin endpoints.
    let enrolled = client.mfa_enroll(&MfaEnrollParams::totp().friendly_name("admin-managed")).await.unwrap();

    let key = service_role_key(AUTOCONFIRM_URL).await;
    let admin = client.admin(&key);
    let listed = admin.list_factors(&user_id).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].id, enrolled.id);
    assert_eq!(listed[0].factor_type, "totp");
    assert_eq!(listed[0].status, "unverified");
    assert_eq!(listed[0].friendly_name.as_deref(), Some("admin-managed"));

    let deleted = admin.delete_factor(&user_id, &enrolled.id).await.unwrap();
    assert_eq!(deleted.id, enrolled.id);
    assert_eq!(deleted.factor_type, "totp");
    assert!(admin.list_factors(&user_id).await.unwrap().is_empty(), "no factor left after delete_factor");
    // The user sees the same: no factors.
    assert!(client.mfa_list_factors().await.unwrap().all.is_empty());

    // Deleting it again: the factor is gone.
    let error = admin.delete_factor(&user_id, &enrolled.id).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(404), Some("mfa_factor_not_found")), "{error:?}");
}

#[wasm_bindgen_test]
async fn an_anonymous_user_converts_by_adding_an_email_and_password() {
    let (client, key) = client(AUTOCONFIRM_URL);
    let anonymous = client.sign_in_anonymously(SignInAnonymouslyOptions::default()).await.unwrap().session.unwrap();
    assert!(anonymous.user.is_anonymous);
    let email = unique_email();
    // With e-mail auto-confirmation the server applies the address at once.
    let converted = client.update_user(UserAttributes::new().email(&email).password(PASSWORD)).await.unwrap();
    assert_eq!(converted.id, anonymous.user.id, "the same user, not a new one");
    assert_eq!(converted.email, email);
    assert!(!converted.is_anonymous);
    assert!(stored(&key).unwrap().contains(&email), "the stored session's user follows");
    let (other, _) = support::client(AUTOCONFIRM_URL);
    let signed_in = other.sign_in_with_password(SignInWithPasswordCredentials::email(&email, PASSWORD)).await.unwrap();
    assert_eq!(signed_in.user.unwrap().id, anonymous.user.id);
}

#[wasm_bindgen_test]
async fn a_phone_factor_is_verified_with_the_texted_code() {
    let (client, _) = signed_in(AUTOCONFIRM_URL).await;
    let phone = unique_phone();
    let enrolled =
        client.mfa_enroll(&MfaEnrollParams::phone(format!("+{phone}")).friendly_name("phone")).await.unwrap();
    assert_eq!(enrolled.factor_type, "phone");
    assert!(enrolled.totp.is_none());
    let challenge = client.mfa_challenge(&enrolled.id, Some(Channel::Sms)).await.unwrap();
    let message = mailbox(AUTOCONFIRM_URL, &phone).await;
    assert_eq!(field(&message, "type"), "mfa_phone");
    let verified = client.mfa_verify(&enrolled.id, &challenge.id, &field(&message, "otp")).await.unwrap();
    let claims = decode_claims(verified.session.unwrap().access_token.expose()).unwrap();
    assert_eq!(claims.aal.as_deref(), Some("aal2"));
    let level = client.mfa_get_authenticator_assurance_level().await.unwrap();
    assert_eq!(level.current_authentication_methods[0].get("method").and_then(JsonValue::as_str), Some("mfa/phone"));
    assert_eq!(client.mfa_list_factors().await.unwrap().phone.len(), 1);
}
