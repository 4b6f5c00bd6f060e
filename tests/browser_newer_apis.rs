//! auth-js 2.119's newer namespaces through the Rust API, in the browser, against the ES256
//! test server (run with `--passkeys --oauth-server --custom-providers --mfa-recovery-codes
//! --mfa-webauthn`, SITE_URL `http://localhost:<its port>`): recovery codes end to end, the
//! admin's OAuth clients and custom providers, a user's OAuth consent (the authorization request
//! followed to the consent page, denied and approved, the grant listed), passkeys registered,
//! renamed and deleted by the user and the admin, and a WebAuthn MFA factor enrolled,
//! challenged and verified. The credentials come from a software authenticator in the page
//! (WebCrypto keys, `none` attestation): wasm-pack's WebDriver session has no virtual
//! authenticator; the Leptos example's tests run the browser's own ceremonies with one.
//! Besides: identity linking through the fake provider (the autoconfirm server, manual linking
//! on) and the auto-refresh ticker started by hand (the short-token server).
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use gotrue_wasm::*;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
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

/// The final address of a GET the browser follows through its redirects (the page's `fetch`).
async fn followed_url(url: &str) -> String {
    let follow = js_sys::eval("(async (url) => (await fetch(url)).url)").unwrap();
    let follow: js_sys::Function = follow.unchecked_into();
    let promise: js_sys::Promise = follow.call1(&JsValue::NULL, &url.into()).unwrap().unchecked_into();
    JsFuture::from(promise).await.expect("the redirect chain failed").as_string().unwrap()
}

/// `url`'s query parameter `key` (the page's `URL`).
fn query_param(url: &str, key: &str) -> Option<String> {
    let read = js_sys::eval("((url, key) => new URL(url).searchParams.get(key))").unwrap();
    let read: js_sys::Function = read.unchecked_into();
    read.call2(&JsValue::NULL, &url.into(), &key.into()).unwrap().as_string()
}

/// A third-party app's authorization request (`GET /oauth/authorize`): the server keeps it and
/// sends the browser to the consent page (SITE_URL `http://localhost:<port>/oauth/consent`, the
/// test server itself, so the redirect can be followed); its `authorization_id`.
async fn authorization_request(client_id: &str, redirect_uri: &str, state: &str) -> String {
    let query: Vec<String> = [
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("response_type", "code"),
        ("scope", "email profile"),
        ("state", state),
        ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
        ("code_challenge_method", "S256"),
    ]
    .iter()
    .map(|(key, value)| format!("{key}={}", js_sys::encode_uri_component(value)))
    .collect();
    let url = format!("{ES256_URL}/oauth/authorize?{}", query.join("&"));
    let consent = followed_url(&url).await;
    let port = ES256_URL.rsplit(':').next().unwrap();
    assert!(consent.starts_with(&format!("http://localhost:{port}/oauth/consent?")), "{consent}");
    query_param(&consent, "authorization_id").expect("no authorization_id")
}

#[wasm_bindgen_test]
async fn a_user_denies_and_approves_oauth_authorization_requests() {
    let (client, _) = client(ES256_URL);
    let key = service_role_key(ES256_URL).await;
    let callback = "http://localhost:4321/callback";
    let app =
        client.admin(key).oauth_create_client(&OAuthClientParams::new("consent app", vec![callback.into()])).await;
    let app = app.unwrap();
    let email = unique_email();
    client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();

    let denied_id = authorization_request(&app.client_id, callback, "deny-state").await;
    let details = client.oauth_get_authorization_details(&denied_id).await.unwrap();
    assert_eq!(details.client.and_then(|c| c.name).as_deref(), Some("consent app"));
    let denied = client.oauth_deny_authorization(&denied_id).await.unwrap();
    assert!(denied.redirect_url.starts_with(&format!("{callback}?")), "{}", denied.redirect_url);
    assert_eq!(query_param(&denied.redirect_url, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&denied.redirect_url, "state").as_deref(), Some("deny-state"));
    assert_eq!(query_param(&denied.redirect_url, "code"), None);
    assert!(client.oauth_list_grants().await.unwrap().is_empty(), "a denial grants nothing");
    // Answered: the request cannot be approved afterwards (GoTrue: no longer pending).
    let error = client.oauth_approve_authorization(&denied_id).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(400), Some("validation_failed")), "{error:?}");

    let approved_id = authorization_request(&app.client_id, callback, "ok-state").await;
    client.oauth_get_authorization_details(&approved_id).await.unwrap();
    let approved = client.oauth_approve_authorization(&approved_id).await.unwrap();
    assert!(approved.redirect_url.starts_with(&format!("{callback}?")), "{}", approved.redirect_url);
    assert_eq!(query_param(&approved.redirect_url, "state").as_deref(), Some("ok-state"));
    assert!(query_param(&approved.redirect_url, "code").is_some_and(|code| !code.is_empty()));
    assert_eq!(query_param(&approved.redirect_url, "error"), None);
    let grants = client.oauth_list_grants().await.unwrap();
    let granted: Vec<_> = grants.iter().map(|g| (g.client.id.as_str(), g.scopes.join(" "))).collect();
    assert_eq!(granted, [(app.client_id.as_str(), "email profile".to_string())]);
}

#[wasm_bindgen_test]
async fn webauthn_mfa_enroll_and_challenge_give_the_servers_creation_options() {
    let (client, _) = client(ES256_URL);
    let email = unique_email();
    let session = client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap().session.unwrap();
    let factor = client.mfa_webauthn_enroll(Some("Desk key")).await.unwrap();
    assert_eq!((factor.factor_type.as_str(), factor.friendly_name.as_deref()), ("webauthn", Some("Desk key")));
    let listed = client.mfa_list_factors().await.unwrap();
    let unverified: Vec<_> =
        listed.all.iter().map(|f| (f.id.as_str(), f.factor_type.as_str(), f.status.as_str())).collect();
    assert_eq!(unverified, [(factor.id.as_str(), "webauthn", "unverified")]);

    let party = WebAuthnRelyingParty::new("localhost", ["http://localhost:4321"]);
    let challenge = client.mfa_webauthn_challenge(&factor.id, Some(&party)).await.unwrap();
    assert_eq!(challenge.factor_type, "webauthn");
    assert_eq!(WebAuthnCeremony::of(&challenge), Some(WebAuthnCeremony::Create), "an unverified factor is created");
    let webauthn = challenge.webauthn.as_ref().unwrap();
    let public_key = webauthn.get("credential_options").and_then(|o| o.get("publicKey")).unwrap();
    let text = |value: Option<&JsonValue>| value.and_then(JsonValue::as_str).map(str::to_string);
    assert_eq!(text(public_key.get("rp").and_then(|rp| rp.get("id"))).as_deref(), Some("localhost"));
    let user = public_key.get("user").unwrap();
    assert_eq!(text(user.get("name")), Some(email.clone()));
    // The user handle is the user's id (base64url of its text, as GoTrue's WebAuthnID).
    assert_eq!(text(user.get("id")), Some(base64_url(session.user.id.as_bytes())));
    assert!(text(public_key.get("challenge")).is_some_and(|c| c.len() >= 16));
    assert_eq!(text(public_key.get("attestation")).as_deref(), Some("none"));
    let algorithms = public_key.get("pubKeyCredParams").and_then(JsonValue::as_array).unwrap();
    assert!(algorithms.iter().any(|p| p.get("alg").and_then(JsonValue::as_i64) == Some(-7)), "ES256 is offered");
    // Another challenge: a fresh one.
    let again = client.mfa_webauthn_challenge(&factor.id, Some(&party)).await.unwrap();
    assert_ne!(again.id, challenge.id);

    // A credential no authenticator made is refused: the factor stays unverified, the session aal1.
    let forged = WebAuthnCredentialResponse {
        ceremony: WebAuthnCeremony::Create,
        relying_party: Some(party),
        credential_response: JsonValue::from("not a credential"),
    };
    let error = client.mfa_webauthn_verify(&factor.id, &challenge.id, &forged).await.unwrap_err();
    assert_eq!(error.status().map(|status| status / 100), Some(4), "{error:?}");
    let level = client.mfa_get_authenticator_assurance_level().await.unwrap();
    assert_eq!(level.current_level.as_deref(), Some("aal1"));
    assert_eq!(client.mfa_list_factors().await.unwrap().all[0].status, "unverified");
}

#[wasm_bindgen_test]
async fn link_identity_gives_the_provider_url_and_the_flow_links_the_identity() {
    let key = format!("link-{}", unique());
    let options = ClientOptions::new(AUTOCONFIRM_URL).header("apikey", "test-anon-key").storage_key(&key);
    let client = BrowserClient::browser(options.flow_type(FlowType::Pkce));
    let email = unique_email();
    client.sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    // Back to a page the test can fetch (the server's health check), so the code is readable.
    let back = format!("{AUTOCONFIRM_URL}/health");
    let credentials = SignInWithOAuthCredentials::new("github").redirect_to(&back).skip_browser_redirect(true);
    let before = location_href();
    let url = client.link_identity(&credentials).await.unwrap();
    assert_eq!(location_href(), before, "the client never navigates");
    // The provider's authorization page, for the server's callback, with the server's state.
    assert!(url.starts_with(&format!("{AUTOCONFIRM_URL}/__test/oauth/authorize?")), "{url}");
    assert!(query_param(&url, "state").is_some_and(|state| !state.is_empty()));
    assert!(query_param(&url, "redirect_uri").is_some_and(|uri| uri.ends_with("/callback")), "{url}");
    assert!(stored(&format!("{key}-code-verifier")).is_some() || has_flow_verifier(&key), "the PKCE verifier waits");

    // The user allows at the provider; the server links and comes back with a code.
    let github_email = unique_email();
    let landed = followed_url(&format!("{url}&auto=allow&email={}", js_sys::encode_uri_component(&github_email))).await;
    assert!(landed.starts_with(&format!("{back}?")), "{landed}");
    let code = query_param(&landed, "code").expect("no code");
    let exchanged = client.exchange_code_for_session(&code).await.unwrap();
    assert_eq!(exchanged.session.user.email, email, "still the same user");
    let mut providers: Vec<_> =
        client.get_user_identities().await.unwrap().into_iter().map(|identity| identity.provider).collect();
    providers.sort();
    assert_eq!(providers, ["email", "github"]);
}

/// Whether a PKCE verifier of the client stored under `key` is in localStorage.
fn has_flow_verifier(key: &str) -> bool {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .any(|name| name.starts_with(&format!("{key}-flow-")) && name.ends_with("-code-verifier"))
}

#[wasm_bindgen_test]
async fn start_auto_refresh_refreshes_a_session_close_to_expiry() {
    let key = format!("ticker-{}", unique());
    // Off at start: only start_auto_refresh runs the ticker (a tick every 500 ms, refreshing
    // within 4 ticks of expiry).
    let options = ClientOptions::new(SHORT_URL)
        .storage_key(&key)
        .auto_refresh_token(false)
        .auto_refresh_tick_ms(500)
        .auto_refresh_threshold_ticks(4);
    let auth = BrowserAuth::new(options, BrowserStorage::local_or_memory(), DetectSessionInUrl::Off);
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    let _subscription = auth.on_auth_state_change(move |event, _| sink.borrow_mut().push(event.as_str().to_string()));
    auth.initialize().await;
    let first =
        auth.client().sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    assert!(first.expires_in <= 5, "the short server issues 5 s tokens");
    let before = refresh_count(SHORT_URL).await;
    // 3.5 s on, the token has 1.5 s left: nothing refreshed it yet.
    sleep_ms(3_500).await;
    let stored_token = |raw: String| js_sys::JSON::parse(&raw).ok().map(|session| field(&session, "refresh_token"));
    assert_eq!(stored(&key).and_then(stored_token).as_deref(), Some(first.refresh_token.expose()));
    assert!(!events.borrow().iter().any(|e| e == "TOKEN_REFRESHED"));

    auth.start_auto_refresh();
    sleep_ms(1_500).await;
    assert!(events.borrow().iter().any(|e| e == "TOKEN_REFRESHED"), "{:?}", events.borrow());
    assert!(refresh_count(SHORT_URL).await > before);
    let now = stored(&key).and_then(stored_token).expect("a session is stored");
    assert_ne!(now, first.refresh_token.expose(), "the ticker stored the refreshed session");
    auth.dispose();
}

/// A software authenticator's answer to `navigator.credentials.create()` for `public_key`
/// (the server's options, JSON form), made with WebCrypto: a fresh P-256 key and credential
/// id, `none` attestation (no signature to make), the client data for `origin`; the JSON the
/// browser's `toJSON()` gives (wasm-pack's WebDriver session has no virtual authenticator).
/// Answers (credential JSON, credential id).
async fn soft_credential(public_key: &JsonValue, origin: &str) -> (JsonValue, String) {
    let make = js_sys::eval(
        r#"(async (optionsJson, origin) => {
            const options = JSON.parse(optionsJson);
            const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
            const utf8 = (text) => new TextEncoder().encode(text);
            const cat = (...parts) => { const out = []; for (const p of parts) out.push(...p); return new Uint8Array(out); };
            const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
            const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
            const [x, y] = [raw.slice(1, 33), raw.slice(33, 65)];
            // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
            const cose = cat([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20], x, [0x22, 0x58, 0x20], y);
            const credentialId = crypto.getRandomValues(new Uint8Array(16));
            const rpIdHash = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(options.rp.id)));
            // Flags: user present, user verified, attested credential data; counter 0; zero AAGUID.
            const authData = cat(rpIdHash, [0x45, 0, 0, 0, 0], new Uint8Array(16), [0, credentialId.length], credentialId, cose);
            const attestation = cat([0xa3, 0x63], utf8('fmt'), [0x64], utf8('none'), [0x67], utf8('attStmt'), [0xa0, 0x68],
                utf8('authData'), [0x58, authData.length], authData);
            const clientData = utf8(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
            const id = b64url(credentialId);
            return JSON.stringify({ id, rawId: id, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
                response: { clientDataJSON: b64url(clientData), attestationObject: b64url(attestation), transports: ['internal'] } });
        })"#,
    )
    .unwrap();
    let make: js_sys::Function = make.unchecked_into();
    let options = public_key.to_json_string();
    let promise: js_sys::Promise =
        make.call2(&JsValue::NULL, &options.into(), &origin.into()).unwrap().unchecked_into();
    let text = JsFuture::from(promise).await.expect("the software authenticator failed").as_string().unwrap();
    let credential: JsonValue = text.parse().unwrap();
    let id = credential.get("id").and_then(JsonValue::as_str).unwrap().to_string();
    (credential, id)
}

#[wasm_bindgen_test]
async fn passkeys_registered_renamed_and_deleted_by_the_user_and_the_admin() {
    let (client, _) = client(ES256_URL);
    let session = client.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    let admin = client.admin(service_role_key(ES256_URL).await);

    // Two passkeys, each from its own registration ceremony.
    let mut registered = Vec::new();
    for _ in 0..2 {
        let ceremony = client.passkey_start_registration().await.unwrap();
        let (credential, credential_id) = soft_credential(&ceremony.options, "http://localhost:4321").await;
        // A credential answering another ceremony's challenge is refused.
        let other = client.passkey_start_registration().await.unwrap();
        let error = client.passkey_verify_registration(&other.challenge_id, &credential).await.unwrap_err();
        assert_eq!(error.code(), Some("webauthn_verification_failed"), "{error:?}");
        let passkey = client.passkey_verify_registration(&ceremony.challenge_id, &credential).await.unwrap();
        assert!(!passkey.id.is_empty() && !credential_id.is_empty());
        registered.push(passkey.id);
    }
    let ids = |list: Vec<Passkey>| {
        let mut ids: Vec<_> = list.into_iter().map(|p| p.id).collect();
        ids.sort();
        ids
    };
    let mut expected = registered.clone();
    expected.sort();
    assert_eq!(ids(client.passkey_list().await.unwrap()), expected);
    assert_eq!(ids(admin.passkey_list_passkeys(&session.user.id).await.unwrap()), expected);

    let renamed = client.passkey_update(&registered[0], "Work laptop").await.unwrap();
    assert_eq!((renamed.id.as_str(), renamed.friendly_name.as_deref()), (registered[0].as_str(), Some("Work laptop")));
    let listed = client.passkey_list().await.unwrap();
    let name_of = |id: &str| listed.iter().find(|p| p.id == id).and_then(|p| p.friendly_name.clone());
    assert_eq!(name_of(&registered[0]).as_deref(), Some("Work laptop"), "the server kept the new name");
    assert_ne!(name_of(&registered[1]).as_deref(), Some("Work laptop"));

    client.passkey_delete(&registered[0]).await.unwrap();
    assert_eq!(ids(client.passkey_list().await.unwrap()), [registered[1].clone()]);
    let error = client.passkey_delete(&registered[0]).await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error:?}");

    admin.passkey_delete_passkey(&session.user.id, &registered[1]).await.unwrap();
    assert!(admin.passkey_list_passkeys(&session.user.id).await.unwrap().is_empty());
    assert!(client.passkey_list().await.unwrap().is_empty(), "the user sees it gone too");
    let error = admin.passkey_delete_passkey(&session.user.id, &registered[1]).await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error:?}");
}

#[wasm_bindgen_test]
async fn a_webauthn_factor_verified_with_a_created_credential_raises_the_session_to_aal2() {
    let (client, _) = client(ES256_URL);
    client.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap();
    let factor = client.mfa_webauthn_enroll(Some("Soft key")).await.unwrap();
    let party = WebAuthnRelyingParty::new("localhost", ["http://localhost:4321"]);
    let challenge = client.mfa_webauthn_challenge(&factor.id, Some(&party)).await.unwrap();
    let options =
        challenge.webauthn.as_ref().and_then(|w| w.get("credential_options")).and_then(|o| o.get("publicKey"));
    let (credential, _) = soft_credential(options.unwrap(), "http://localhost:4321").await;
    let answer = WebAuthnCredentialResponse {
        ceremony: WebAuthnCeremony::Create,
        relying_party: Some(party),
        credential_response: credential,
    };
    let verified = client.mfa_webauthn_verify(&factor.id, &challenge.id, &answer).await.unwrap();
    let claims = decode_claims(verified.session.unwrap().access_token.expose()).unwrap();
    assert_eq!(claims.aal.as_deref(), Some("aal2"));
    let level = client.mfa_get_authenticator_assurance_level().await.unwrap();
    assert_eq!(level.current_level.as_deref(), Some("aal2"), "the aal2 session was stored");
    let factors = client.mfa_list_factors().await.unwrap();
    assert_eq!(
        factors.webauthn.iter().map(|f| (f.id.as_str(), f.status.as_str())).collect::<Vec<_>>(),
        [(factor.id.as_str(), "verified")]
    );
    // The same answer twice: the challenge is spent.
    let error = client.mfa_webauthn_verify(&factor.id, &challenge.id, &answer).await.unwrap_err();
    assert_eq!(error.status().map(|status| status / 100), Some(4), "{error:?}");
}
