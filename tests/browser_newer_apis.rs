//! auth-js 2.119's newer namespaces through the Rust API, in the browser, against the ES256
//! test server (run with `--passkeys --oauth-server --custom-providers --mfa-recovery-codes`):
//! recovery codes end to end, the admin's OAuth clients and custom providers, and the parts of
//! passkeys and the OAuth consent that need no authenticator or third-party redirect (the full
//! ceremonies are in `tests/e2e/server-passkeys-oauth.test.mjs` and the server's native tests).
#![cfg(target_arch = "wasm32")]

mod support;

use gotrue_wasm::*;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn recovery_codes_raise_an_aal1_session() {
    let (client, _) = client(ES256_URL);
    let email = unique_email();
    client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    let enrolled = client.mfa_enroll(&MfaEnrollParams::totp()).await.unwrap();
    let code = totp_code(enrolled.totp.unwrap().secret.expose()).await;
    client.mfa_challenge_and_verify(&enrolled.id, &code).await.unwrap();

    let codes = client.mfa_recovery_codes_generate(Some("Backup codes")).await.unwrap();
    assert_eq!((codes.factor_type.as_str(), codes.friendly_name.as_deref()), ("recovery_code", Some("Backup codes")));
    assert_eq!(codes.codes.len() as i64, codes.total);

    // Another client, signed in with the password only (aal1), redeems one code.
    let (other, _) = support::client(ES256_URL);
    other.sign_in_with_password(SignInWithPasswordCredentials::email(&email, PASSWORD)).await.unwrap();
    let error = other.mfa_recovery_codes_verify("not-a-code").await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(422), Some("mfa_verification_failed")));
    let raised = other.mfa_recovery_codes_verify(&codes.codes[0]).await.unwrap();
    let claims = decode_claims(raised.session.unwrap().access_token.expose()).unwrap();
    assert_eq!(claims.aal.as_deref(), Some("aal2"));
    let level = other.mfa_get_authenticator_assurance_level().await.unwrap();
    assert_eq!(level.current_level.as_deref(), Some("aal2"), "the raised session was stored");

    let status = other.mfa_recovery_codes_get_status().await.unwrap();
    assert_eq!((status.total, status.remaining), (codes.total, codes.total - 1));
    let fresh = other.mfa_recovery_codes_regenerate().await.unwrap();
    assert_ne!(fresh.codes, codes.codes);
    assert_eq!(other.mfa_recovery_codes_unenroll().await.unwrap(), codes.id);
}

#[wasm_bindgen_test]
async fn admin_manages_oauth_clients_and_custom_providers() {
    let (client, _) = client(ES256_URL);
    let key = service_role_key(ES256_URL).await;
    let admin = client.admin(key);
    let params = OAuthClientParams::new("browser app", vec!["http://localhost:1234/cb".into()]);
    let created = admin.oauth_create_client(&params).await.unwrap();
    assert_eq!(created.client_type, "confidential");
    let secret = created.client_secret.clone().expect("a confidential client gets a secret");
    let listed = admin.oauth_list_clients(None, None).await.unwrap();
    assert!(listed.clients.iter().any(|c| c.client_id == created.client_id));
    let got = admin.oauth_get_client(&created.client_id).await.unwrap();
    assert_eq!((got.client_name.as_deref(), got.client_secret.is_none()), (Some("browser app"), true));
    let renamed = admin
        .oauth_update_client(&created.client_id, &OAuthClientParams::update().client_name("renamed"))
        .await
        .unwrap();
    assert_eq!(renamed.client_name.as_deref(), Some("renamed"));
    let regenerated = admin.oauth_regenerate_client_secret(&created.client_id).await.unwrap();
    assert_ne!(regenerated.client_secret.map(|s| s.expose().to_string()), Some(secret.expose().to_string()));
    admin.oauth_delete_client(&created.client_id).await.unwrap();
    let error = admin.oauth_get_client(&created.client_id).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(404), Some("oauth_client_not_found")));

    let name = format!("browser{}", unique().replace('-', ""));
    let provider = admin
        .custom_providers_create_provider(
            &CustomProviderParams::oidc(&name, "Browser IdP", "cid", "secret", "https://idp.example.com")
                .scopes(&["openid", "email"]),
        )
        .await
        .unwrap();
    let identifier = format!("custom:{name}");
    assert_eq!((provider.identifier.as_str(), provider.provider_type.as_str()), (identifier.as_str(), "oidc"));
    assert!(provider.fields.get("client_secret").is_none(), "the secret is never sent back");
    let oidc = admin.custom_providers_list_providers(Some("oidc")).await.unwrap();
    assert!(oidc.iter().any(|p| p.identifier == identifier));
    let updated = admin
        .custom_providers_update_provider(&identifier, &CustomProviderParams::update().name("Renamed IdP"))
        .await
        .unwrap();
    assert_eq!(updated.name, "Renamed IdP");
    assert_eq!(admin.custom_providers_get_provider(&identifier).await.unwrap().name, "Renamed IdP");
    admin.custom_providers_delete_provider(&identifier).await.unwrap();
    let error = admin.custom_providers_get_provider(&identifier).await.unwrap_err();
    assert_eq!(error.code(), Some("custom_provider_not_found"));
}

#[wasm_bindgen_test]
async fn passkey_ceremonies_start_and_oauth_grants_answer() {
    let (client, _) = client(ES256_URL);
    let session = client.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();

    let registration = client.passkey_start_registration().await.unwrap();
    let options = &registration.options;
    assert_eq!(options.get("rp").and_then(|rp| rp.get("id")).and_then(JsonValue::as_str), Some("localhost"));
    assert_eq!(options.get("attestation").and_then(JsonValue::as_str), Some("none"));
    assert!(registration.expires_at > 0);
    assert!(client.passkey_list().await.unwrap().is_empty());
    let sign_in = client.passkey_start_authentication(None).await.unwrap();
    assert_ne!(sign_in.challenge_id, registration.challenge_id);
    // A credential no authenticator made is refused, and the session is kept.
    let forged = JsonValue::from("not a credential");
    let error = client.passkey_verify_authentication(&sign_in.challenge_id, &forged).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(400), Some("webauthn_verification_failed")));
    assert!(client.get_session().await.unwrap().is_some());
    let key = service_role_key(ES256_URL).await;
    assert!(client.admin(key).passkey_list_passkeys(&session.user.id).await.unwrap().is_empty());

    assert!(client.oauth_list_grants().await.unwrap().is_empty());
    let error = client.oauth_get_authorization_details("no-such-request").await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(404), Some("oauth_authorization_not_found")));
    let error = client.oauth_revoke_grant("00000000-0000-4000-8000-000000000000").await.unwrap_err();
    assert_eq!(error.code(), Some("oauth_consent_not_found"));
}
