//! Sign-ins beyond passwords, and verified claims, in headless Chromium against the test
//! servers: `get_claims` on ES256, RS256 and HS256 servers (tampering, expiry, key rotation),
//! provider ID tokens (nonce, expiry, linking), SAML SSO (URLs, errors, a PKCE round trip
//! through the fake identity provider) and web3 wallets (SIWE with a secp256k1 key signing as
//! `personal_sign` does, SIWS with an ed25519 key).
#![cfg(target_arch = "wasm32")]

mod support;

use gotrue_wasm::*;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The fake SSO provider of the test server (`--saml`).
const SSO_PROVIDER_ID: &str = "00000000-0000-4000-8000-00000000a551";
const SSO_DOMAIN: &str = "sso.example.com";

async fn signed_up(url: &str) -> (BrowserClient, Session) {
    let (client, _) = client(url);
    let session = client
        .sign_up(SignUpCredentials::email(unique_email(), PASSWORD))
        .await
        .unwrap()
        .session
        .expect("autoconfirm gives a session");
    (client, session)
}

fn str_field<'a>(object: &'a JsonObject, key: &str) -> Option<&'a str> {
    object.get(key).and_then(JsonValue::as_str)
}

/// The decoded JOSE header of a compact JWT.
fn jwt_header(token: &str) -> JsValue {
    let bytes = base64_url_decode(token.split('.').next().unwrap()).expect("header is base64url");
    js_sys::JSON::parse(&String::from_utf8(bytes).unwrap()).expect("header is JSON")
}

/// `token` with part `index` (0 header, 1 payload) decoded, changed by `edit` and encoded
/// again; the other parts, the signature included, are kept.
fn edit_part(token: &str, index: usize, edit: impl Fn(&str) -> String) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let decoded = String::from_utf8(base64_url_decode(&parts[index]).unwrap()).unwrap();
    let edited = edit(&decoded);
    assert_ne!(edited, decoded, "the edit changed nothing");
    parts[index] = base64_url(edited.as_bytes());
    parts.join(".")
}

/// One character of the payload changed: the last character of the `sub` value.
fn tampered(token: &str) -> String {
    edit_part(token, 1, |payload| {
        let start = payload.find("\"sub\":\"").expect("a sub claim") + 7;
        let end = start + payload[start..].find('"').unwrap();
        let last = &payload[end - 1..end];
        let replacement = if last == "0" { "1" } else { "0" };
        format!("{}{replacement}{}", &payload[..end - 1], &payload[end..])
    })
}

fn assert_invalid_jwt(result: Result<VerifiedClaims, AuthError>, what: &str) -> AuthError {
    let error = result.expect_err(what);
    assert_eq!(error.kind(), AuthErrorKind::InvalidJwt, "{what}: {error}");
    assert_eq!((error.status(), error.code()), (Some(400), Some("invalid_jwt")), "{what}");
    error
}

fn assert_refused_by_server(result: Result<VerifiedClaims, AuthError>, what: &str) -> AuthError {
    let error = result.expect_err(what);
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (AuthErrorKind::Api, Some(403), Some("bad_jwt")),
        "{what}"
    );
    error
}

async fn jwks_kids(url: &str) -> Vec<String> {
    let (status, body) = test_request(Method::Get, &format!("{url}/.well-known/jwks.json"), None).await;
    assert_eq!(status, 200);
    let keys: js_sys::Array =
        js_sys::Reflect::get(&js_sys::JSON::parse(&body).unwrap(), &"keys".into()).unwrap().unchecked_into();
    keys.iter().map(|key| field(&key, "kid")).collect()
}

// ---- get_claims --------------------------------------------------------------------------

/// Sign in on an asymmetric server, verify locally, refuse tampering and unknown keys.
async fn claims_are_verified_with_the_servers_keys(url: &str, alg: &str, signature_len: usize) {
    let (client, session) = signed_up(url).await;
    let token = session.access_token.expose().to_string();
    let kid = field(&jwt_header(&token), "kid");
    assert!(kid.starts_with(&format!("test-{}-", alg.to_ascii_lowercase())), "{kid}");
    assert!(jwks_kids(url).await.contains(&kid));

    let verified = client.get_claims(None, false).await.unwrap();
    assert_eq!(str_field(&verified.claims, "sub"), Some(session.user.id.as_str()));
    let session_id = decode_claims(&token).unwrap().session_id.expect("a session_id claim");
    assert_eq!(str_field(&verified.claims, "session_id"), Some(session_id.as_str()));
    assert_eq!(str_field(&verified.claims, "email"), Some(session.user.email.as_str()));
    assert_eq!(str_field(&verified.header, "alg"), Some(alg));
    assert_eq!(str_field(&verified.header, "kid"), Some(kid.as_str()));
    assert_eq!(verified.signature.len(), signature_len);
    // The same token passed explicitly gives the same answer.
    assert_eq!(client.get_claims(Some(&token), false).await.unwrap(), verified);

    // One payload character changed: the signature no longer matches.
    let error = assert_invalid_jwt(client.get_claims(Some(&tampered(&token)), false).await, "tampered payload");
    assert!(error.message().contains("signature"), "{}", error.message());
    // A signature cut short is as bad.
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let short = format!("{signed}.{}", &signature[..signature.len() - 8]);
    assert_invalid_jwt(client.get_claims(Some(&short), false).await, "short signature");
    // A kid the server never published, even after fetching the keys again: as auth-js, the
    // client then leaves the verdict to the server (GET /user), which refuses it.
    let unknown = edit_part(&token, 0, |header| header.replace(&kid, "no-such-kid"));
    let error = assert_refused_by_server(client.get_claims(Some(&unknown), false).await, "unknown kid");
    assert!(error.message().contains("kid"), "{}", error.message());
    // Not a JWT at all.
    assert_invalid_jwt(client.get_claims(Some("not.a-jwt"), false).await, "two parts");
}

/// The server moves to a new key after this client fetched (and cached) the key set; a new
/// sign-in's token carries the new kid, and the client must fetch the keys again to verify it.
/// Each rotation has its own server: once this page has fetched a key set, a later test on the
/// same server would otherwise meet the rotated key too.
async fn a_rotated_key_is_fetched_and_verifies(url: &str, alg: &str) {
    let (client, session) = signed_up(url).await;
    let old_token = session.access_token.expose().to_string();
    let old_kid = field(&jwt_header(&old_token), "kid");
    client.get_claims(None, false).await.unwrap();

    let (new_kid, new_alg) = rotate_signing_key(url).await;
    assert_eq!(new_alg, alg);
    assert_ne!(new_kid, old_kid);
    let again = client
        .sign_in_with_password(SignInWithPasswordCredentials::email(&session.user.email, PASSWORD))
        .await
        .unwrap();
    let new_token = again.session.unwrap().access_token.expose().to_string();
    assert_eq!(field(&jwt_header(&new_token), "kid"), new_kid);
    let verified = client
        .get_claims(None, false)
        .await
        .unwrap_or_else(|error| panic!("the token of the new key {new_kid}: {error}"));
    assert_eq!(str_field(&verified.header, "kid"), Some(new_kid.as_str()));
    assert_eq!(str_field(&verified.claims, "sub"), Some(session.user.id.as_str()));
    assert_ne!(
        str_field(&verified.claims, "session_id"),
        decode_claims(&old_token).unwrap().session_id.as_deref(),
        "a new session"
    );
    // Tokens of the old key keep verifying; tampering with a new one is still caught.
    client.get_claims(Some(&old_token), false).await.unwrap();
    assert_invalid_jwt(client.get_claims(Some(&tampered(&new_token)), false).await, "tampered new token");
}

#[wasm_bindgen_test]
async fn es256_claims_are_verified_with_the_jwks() {
    // ES256 signatures are r ‖ s, 32 bytes each.
    claims_are_verified_with_the_servers_keys(ES256_URL, "ES256", 64).await;
}

#[wasm_bindgen_test]
async fn rs256_claims_are_verified_with_the_jwks() {
    // 2048-bit RSA keys.
    claims_are_verified_with_the_servers_keys(RS256_URL, "RS256", 256).await;
}

#[wasm_bindgen_test]
async fn es256_key_rotation_is_followed() {
    a_rotated_key_is_fetched_and_verifies(ROTATING_ES256_URL, "ES256").await;
}

#[wasm_bindgen_test]
async fn rs256_key_rotation_is_followed() {
    a_rotated_key_is_fetched_and_verifies(ROTATING_RS256_URL, "RS256").await;
}

#[wasm_bindgen_test]
async fn a_token_of_another_server_does_not_verify() {
    // Validly signed, but by a key the RS256 server never published (both servers start at
    // kid …-1, so take the ES256 server's token to the RS256 server's client).
    let (_, session) = signed_up(ES256_URL).await;
    let (other, _) = client(RS256_URL);
    // No key of its JWKS fits, so the server judges it (as with auth-js): refused.
    assert_refused_by_server(other.get_claims(Some(session.access_token.expose()), false).await, "foreign token");
}

#[wasm_bindgen_test]
async fn expired_asymmetric_tokens_are_refused_unless_allowed() {
    let (client, session) = signed_up(EXPIRING_ES256_URL).await;
    let token = session.access_token.expose().to_string();
    let claims = decode_claims(&token).unwrap();
    assert_eq!(claims.exp.unwrap() - claims.iat.unwrap(), 2, "the server issues 2 s tokens");
    assert_eq!(field(&jwt_header(&token), "alg"), "ES256");
    let fresh = client.get_claims(Some(&token), false).await.unwrap();
    assert_eq!(str_field(&fresh.claims, "sub"), Some(session.user.id.as_str()));

    sleep_ms(3_000).await;
    let error = assert_invalid_jwt(client.get_claims(Some(&token), false).await, "expired token");
    assert!(error.message().contains("expired"), "{}", error.message());
    // Allowed: the signature is still checked and the claims come back.
    let expired = client.get_claims(Some(&token), true).await.unwrap();
    assert_eq!(expired, fresh);
    // allow_expired does not excuse a bad signature.
    assert_invalid_jwt(client.get_claims(Some(&tampered(&token)), true).await, "expired and tampered");
}

#[wasm_bindgen_test]
async fn hs256_claims_are_checked_by_the_server() {
    // The autoconfirm server signs with the HS256 secret and publishes no keys.
    let (status, body) = test_request(Method::Get, &format!("{AUTOCONFIRM_URL}/.well-known/jwks.json"), None).await;
    assert_eq!((status, body.replace(' ', "").as_str()), (200, r#"{"keys":[]}"#));
    let (client, session) = signed_up(AUTOCONFIRM_URL).await;
    let token = session.access_token.expose().to_string();
    let verified = client.get_claims(None, false).await.unwrap();
    assert_eq!(str_field(&verified.header, "alg"), Some("HS256"));
    assert_eq!(str_field(&verified.claims, "sub"), Some(session.user.id.as_str()));
    assert_eq!(verified.signature.len(), 32, "HMAC-SHA256");

    // A garbage signature: only the server can tell, and it says no.
    let (signed, _) = token.rsplit_once('.').unwrap();
    let garbage = format!("{signed}.{}", base64_url(b"not the signature of this token!"));
    let error = client.get_claims(Some(&garbage), false).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Api, "{error}");
    assert_eq!((error.status(), error.code()), (Some(403), Some("bad_jwt")));
    let error = client.get_claims(Some(&tampered(&token)), false).await.unwrap_err();
    assert_eq!((error.kind(), error.status(), error.code()), (AuthErrorKind::Api, Some(403), Some("bad_jwt")));
    // Signed out: no session to read claims from.
    client.sign_out(SignOutScope::Local).await.unwrap();
    let error = client.get_claims(None, false).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SessionMissing);
}

// ---- ID tokens ---------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn id_token_sign_in_with_a_nonce() {
    let (client, key) = client(ES256_URL);
    let email = unique_email();
    let subject = format!("oidc-{}", unique());
    let nonce = format!("nonce-{}", unique());
    let token =
        issue_id_token(ES256_URL, &format!(r#"{{"sub":"{subject}","email":"{email}","nonce":"{nonce}"}}"#)).await;

    let response =
        client.sign_in_with_id_token(&SignInWithIdTokenCredentials::new("google", &token).nonce(&nonce)).await.unwrap();
    let session = response.session.expect("a session");
    assert_eq!(session.user.email, email);
    assert!(session.user.email_confirmed_at.is_some(), "the issuer says the address is verified");
    let identities = session.user.identities.clone().unwrap_or_default();
    assert_eq!(identities.len(), 1);
    assert_eq!((identities[0].provider.as_str(), identities[0].id.as_str()), ("google", subject.as_str()));
    assert_eq!(str_field(&session.user.app_metadata, "provider"), Some("google"));
    assert!(stored(&key).is_some(), "the session is saved");
    assert_eq!(client.get_user().await.unwrap().id, session.user.id);

    // The same subject again (another token, no nonce on either side) finds the same user.
    let token = issue_id_token(ES256_URL, &format!(r#"{{"sub":"{subject}","email":"{email}"}}"#)).await;
    let (other, _) = support::client(ES256_URL);
    let again = other.sign_in_with_id_token(&SignInWithIdTokenCredentials::new("google", &token)).await.unwrap();
    assert_eq!(again.user.unwrap().id, session.user.id);
}

#[wasm_bindgen_test]
async fn id_token_errors_are_the_servers() {
    let (client, key) = client(ES256_URL);
    let email = unique_email();
    let nonce = format!("nonce-{}", unique());
    let token = issue_id_token(ES256_URL, &format!(r#"{{"email":"{email}","nonce":"{nonce}"}}"#)).await;

    // Contract §3.2: OAuth-style bodies, HTTP 400, the `error` field as the code.
    let error = client
        .sign_in_with_id_token(&SignInWithIdTokenCredentials::new("google", &token).nonce("another-nonce"))
        .await
        .unwrap_err();
    assert_eq!((error.kind(), error.status(), error.code()), (AuthErrorKind::Api, Some(400), Some("invalid nonce")));
    assert_eq!(error.message(), "Nonces mismatch");
    let error = client.sign_in_with_id_token(&SignInWithIdTokenCredentials::new("google", &token)).await.unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(400), Some("invalid request")),
        "the token has a nonce, the request none"
    );

    let expired = issue_id_token(ES256_URL, &format!(r#"{{"email":"{email}","exp_in":-60}}"#)).await;
    let error = client.sign_in_with_id_token(&SignInWithIdTokenCredentials::new("apple", &expired)).await.unwrap_err();
    assert_eq!((error.kind(), error.status(), error.code()), (AuthErrorKind::Api, Some(400), Some("invalid request")));
    assert!(error.message().starts_with("Bad ID token"), "{}", error.message());

    let foreign = issue_id_token(ES256_URL, &format!(r#"{{"email":"{email}","aud":"another-client"}}"#)).await;
    let error =
        client.sign_in_with_id_token(&SignInWithIdTokenCredentials::new("keycloak", &foreign)).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(400), Some("invalid request")));
    assert!(error.message().contains("audience"), "{}", error.message());

    let error = client
        .sign_in_with_id_token(&SignInWithIdTokenCredentials::new("google", tampered(&token)).nonce(&nonce))
        .await
        .unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(400), Some("invalid request")), "a forged token");

    let error = client
        .sign_in_with_id_token(&SignInWithIdTokenCredentials::new("facebook", &token).nonce(&nonce))
        .await
        .unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(400), Some("provider_disabled")));

    assert!(stored(&key).is_none(), "no failure stored a session");
    // The untouched token with its nonce still works (nothing above consumed it).
    let response = client
        .sign_in_with_id_token(&SignInWithIdTokenCredentials::new("custom:test", &token).nonce(&nonce))
        .await
        .unwrap();
    assert_eq!(response.user.unwrap().email, email);
}

#[wasm_bindgen_test]
async fn link_identity_with_id_token_adds_an_identity() {
    let (client, session) = signed_up(ES256_URL).await;
    let before = client.get_user_identities().await.unwrap();
    assert_eq!(before.iter().map(|identity| identity.provider.as_str()).collect::<Vec<_>>(), ["email"]);

    let subject = format!("oidc-{}", unique());
    let token = issue_id_token(ES256_URL, &format!(r#"{{"sub":"{subject}","email":"{}"}}"#, unique_email())).await;
    let credentials = SignInWithIdTokenCredentials::new("keycloak", &token);
    let linked = client.link_identity_with_id_token(&credentials).await.unwrap();
    assert_eq!(linked.user.unwrap().id, session.user.id, "linked to the signed-in user, not a new one");

    let after = client.get_user_identities().await.unwrap();
    assert_eq!(after.len(), 2);
    let keycloak = after.iter().find(|identity| identity.provider == "keycloak").expect("a keycloak identity");
    assert_eq!((keycloak.id.as_str(), keycloak.user_id.as_str()), (subject.as_str(), session.user.id.as_str()));
    assert_eq!(client.get_user().await.unwrap().email, session.user.email, "the user's own address stays");

    // Linking it again is refused; signed out, the client refuses before asking.
    let error = client.link_identity_with_id_token(&credentials).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(422), Some("identity_already_exists")));
    client.sign_out(SignOutScope::Local).await.unwrap();
    let error = client.link_identity_with_id_token(&credentials).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SessionMissing);
    // The linked identity signs in to the same user.
    let (other, _) = support::client(ES256_URL);
    let token = issue_id_token(ES256_URL, &format!(r#"{{"sub":"{subject}"}}"#)).await;
    let response = other.sign_in_with_id_token(&SignInWithIdTokenCredentials::new("keycloak", &token)).await.unwrap();
    assert_eq!(response.user.unwrap().id, session.user.id);
}

// ---- SAML SSO ----------------------------------------------------------------------------

/// The `state` of an IdP URL of the ES256 server's fake SSO provider.
fn idp_state(url: &str) -> String {
    let prefix = format!("{ES256_URL}/__test/sso/idp?state=");
    let state = url.strip_prefix(&prefix).unwrap_or_else(|| panic!("not an IdP URL: {url}"));
    let dashes: Vec<usize> = state.char_indices().filter(|(_, c)| *c == '-').map(|(i, _)| i).collect();
    assert_eq!((state.len(), dashes), (36, vec![8, 13, 18, 23]), "state is a UUID: {state}");
    state.to_string()
}

/// Fetches `url` following redirects: (status, final URL without its fragment).
async fn fetch_following(url: &str) -> (u16, String) {
    let response: web_sys::Response =
        JsFuture::from(web_sys::window().unwrap().fetch_with_str(url)).await.expect("fetch failed").unchecked_into();
    (response.status(), response.url())
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| String::from(js_sys::decode_uri_component(value).unwrap()))
    })
}

#[wasm_bindgen_test]
async fn sso_urls_by_domain_and_by_provider_id() {
    let (client, _) = client(ES256_URL);
    let by_domain = client
        .sign_in_with_sso(&SignInWithSsoCredentials::domain(SSO_DOMAIN).skip_browser_redirect(true))
        .await
        .unwrap();
    let by_id = client.sign_in_with_sso(&SignInWithSsoCredentials::provider_id(SSO_PROVIDER_ID)).await.unwrap();
    assert_ne!(idp_state(&by_domain), idp_state(&by_id), "each sign-in has its own state");
    // The domain is matched case-insensitively, as GoTrue does.
    idp_state(&client.sign_in_with_sso(&SignInWithSsoCredentials::domain("SSO.Example.com")).await.unwrap());
    // The IdP's sign-in page answers for that state.
    let (status, _) = fetch_following(&by_domain).await;
    assert_eq!(status, 200);
}

#[wasm_bindgen_test]
async fn sso_errors_are_the_servers() {
    let (client, _) = client(ES256_URL);
    let error = client.sign_in_with_sso(&SignInWithSsoCredentials::domain("nowhere.example.com")).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (AuthErrorKind::Api, Some(404), Some("sso_provider_not_found"))
    );
    let error = client
        .sign_in_with_sso(&SignInWithSsoCredentials::provider_id("00000000-0000-4000-8000-000000000bad"))
        .await
        .unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(404), Some("sso_provider_not_found")));
    let error = client.sign_in_with_sso(&SignInWithSsoCredentials::provider_id("not-a-uuid")).await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(400), Some("bad_json")));

    // A server without SAML.
    let (disabled, _) = support::client(RS256_URL);
    let error = disabled.sign_in_with_sso(&SignInWithSsoCredentials::domain(SSO_DOMAIN)).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (AuthErrorKind::Api, Some(404), Some("saml_provider_disabled"))
    );
}

#[wasm_bindgen_test]
async fn sso_round_trip_with_pkce() {
    let key = format!("test-{}", unique());
    let options = ClientOptions::new(ES256_URL)
        .header("apikey", "test-anon-key")
        .storage_key(&key)
        .flow_type(FlowType::Pkce)
        // The flow id comes back in the redirect only when asked for (auth-js 2.119).
        .append_pkce_flow_id_to_redirects(true);
    let client = BrowserClient::browser(options);
    // Land on a page of the test server itself, so `fetch` can follow every redirect (each
    // answer carries CORS headers) and show where it ended.
    let landing = format!("{ES256_URL}/settings");
    let url =
        client.sign_in_with_sso(&SignInWithSsoCredentials::domain(SSO_DOMAIN).redirect_to(&landing)).await.unwrap();
    idp_state(&url);

    // The fake IdP signs the user in without its page; then the ACS; then back to `landing`.
    let email = format!("sso-{}@{SSO_DOMAIN}", unique());
    let idp = format!("{url}&auto=1&email={}", String::from(js_sys::encode_uri_component(&email)));
    let (status, landed) = fetch_following(&idp).await;
    assert_eq!(status, 200);
    assert!(landed.starts_with(&format!("{landing}?")), "{landed}");
    let code = query_param(&landed, "code").unwrap_or_else(|| panic!("no code in {landed}"));
    let flow_id = query_param(&landed, "sb_flow_id").unwrap_or_else(|| panic!("no flow id in {landed}"));

    let exchanged = client.exchange_code_for_flow(&code, Some(&flow_id)).await.unwrap();
    let session = exchanged.session;
    assert_eq!(session.user.email, email);
    assert_eq!(exchanged.redirect_type, None);
    let identities = session.user.identities.clone().unwrap_or_default();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].provider, format!("sso:{SSO_PROVIDER_ID}"));
    let amr = decode_claims(session.access_token.expose()).unwrap().amr.unwrap_or_default();
    let methods: Vec<&str> =
        amr.iter().filter_map(|entry| entry.as_object().and_then(|entry| str_field(entry, "method"))).collect();
    assert_eq!(methods, ["sso/saml"]);
    assert!(stored(&key).is_some());
    // The relay state is spent: the IdP does not sign in with it again.
    let (status, _) = fetch_following(&idp).await;
    assert_eq!(status, 400);
    // And the code was spent by the exchange.
    let error = client.exchange_code_for_flow(&code, Some(&flow_id)).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::PkceCodeVerifierMissing, "{error}");
}

// ---- web3 --------------------------------------------------------------------------------

mod wallet {
    use super::*;
    use k256::ecdsa::SigningKey;
    use sha3::{Digest, Keccak256};

    /// An Ethereum wallet with a fixed secp256k1 key.
    pub struct Ethereum(SigningKey);

    impl Ethereum {
        pub fn new(secret: [u8; 32]) -> Self {
            Ethereum(SigningKey::from_slice(&secret).expect("a valid secret"))
        }

        /// The EIP-55 checksummed address: the last 20 bytes of Keccak-256 of the
        /// uncompressed public key (without its 0x04 tag).
        pub fn address(&self) -> String {
            let point = self.0.verifying_key().to_encoded_point(false);
            checksummed(&hex(&Keccak256::digest(&point.as_bytes()[1..])[12..]))
        }

        /// `personal_sign`: an ECDSA signature of Keccak-256 of the EIP-191 prefixed message,
        /// as `0x` + hex(r ‖ s ‖ v) with v = 27 + the recovery id.
        pub fn personal_sign(&self, message: &str) -> String {
            let mut hasher = Keccak256::new();
            hasher.update(format!("\x19Ethereum Signed Message:\n{}", message.len()).as_bytes());
            hasher.update(message.as_bytes());
            let (signature, recovery) = self.0.sign_prehash_recoverable(&hasher.finalize()).expect("signing failed");
            format!("0x{}{:02x}", hex(&signature.to_bytes()), 27 + recovery.to_byte())
        }
    }

    /// EIP-55: a hex letter is upper case where the matching nibble of Keccak-256 of the
    /// lower-case address is 8 or more.
    pub fn checksummed(lower_hex: &str) -> String {
        let hash = Keccak256::digest(lower_hex.as_bytes());
        let mixed: String = lower_hex
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0x0f;
                if nibble >= 8 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        format!("0x{mixed}")
    }

    /// A Solana wallet with a fixed ed25519 key.
    pub struct Solana(ed25519_dalek::SigningKey);

    impl Solana {
        pub fn new(secret: [u8; 32]) -> Self {
            Solana(ed25519_dalek::SigningKey::from_bytes(&secret))
        }

        /// The base58 public key.
        pub fn address(&self) -> String {
            base58(self.0.verifying_key().as_bytes())
        }

        /// `signMessage`: the ed25519 signature of the message bytes, base64.
        pub fn sign_message(&self, message: &str) -> String {
            use ed25519_dalek::Signer;
            base64_standard(&self.0.sign(message.as_bytes()).to_bytes())
        }
    }
}

/// An alphanumeric nonce of at least 8 characters.
fn web3_nonce() -> String {
    format!("n{}", unique())
}

fn iso_time(offset_ms: f64) -> String {
    String::from(js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + offset_ms)).to_iso_string())
}

/// The site asking: the ES256 server's host and port (`location.host` in an app).
fn web3_domain() -> &'static str {
    ES256_URL.trim_start_matches("http://")
}

fn message(chain: Web3Chain, address: &str) -> Web3Message {
    Web3Message {
        chain,
        domain: web3_domain().to_string(),
        address: address.to_string(),
        statement: Some("Sign in to the gotrue-wasm tests.".into()),
        uri: format!("{ES256_URL}/"),
        version: "1".into(),
        chain_id: (chain == Web3Chain::Ethereum).then(|| "1".into()),
        nonce: web3_nonce(),
        issued_at: String::from(js_sys::Date::new_0().to_iso_string()),
        expiration_time: None,
        not_before: None,
        request_id: None,
        resources: vec![],
    }
}

fn assert_invalid_grant(error: AuthError, message_part: &str) {
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (AuthErrorKind::Api, Some(400), Some("invalid_grant")),
        "{error}"
    );
    assert!(error.message().contains(message_part), "{:?} does not contain {message_part:?}", error.message());
}

#[wasm_bindgen_test]
fn wallet_helpers_match_published_vectors() {
    // web3.js documents this key's address and its `sign("Some data")` result.
    let mut secret = [0u8; 32];
    for (i, byte) in secret.iter_mut().enumerate() {
        *byte = u8::from_str_radix(
            &"4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"[2 * i..2 * i + 2],
            16,
        )
        .unwrap();
    }
    let wallet = wallet::Ethereum::new(secret);
    assert_eq!(wallet.address(), "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
    assert_eq!(
        wallet.personal_sign("Some data"),
        "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c"
    );
    // EIP-55's own example.
    assert_eq!(
        wallet::checksummed("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    );
    // Base58 (Bitcoin alphabet) and base64.
    assert_eq!(base58(b"Hello World!"), "2NEpo7TZRRrLZSi2U");
    assert_eq!(base58(&[0, 0, 57, 58]), "115Mb");
    assert_eq!(
        (base64_standard(b"f"), base64_standard(b"fo"), base64_standard(b"foobar")),
        ("Zg==".into(), "Zm8=".into(), "Zm9vYmFy".to_string())
    );
    assert_eq!(base64_url(&[0xfb, 0xff]), "-_8");
    assert_eq!(base64_url_decode("-_8"), Some(vec![0xfb, 0xff]));
}

#[wasm_bindgen_test]
async fn web3_ethereum_sign_in() {
    let wallet = wallet::Ethereum::new([0x42; 32]);
    let address = wallet.address();
    let text = message(Web3Chain::Ethereum, &address).to_text();
    let signature = wallet.personal_sign(&text);
    assert_eq!(signature.len(), 2 + 65 * 2);

    let (client, key) = client(ES256_URL);
    let response = client.sign_in_with_web3(Web3Chain::Ethereum, &text, &signature).await.unwrap();
    let session = response.session.expect("a session");
    assert!(stored(&key).is_some());
    let identities = session.user.identities.clone().unwrap_or_default();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].provider, "web3");
    assert_eq!(identities[0].id, format!("web3:ethereum:{}", address.to_ascii_lowercase()));
    let custom = identities[0]
        .identity_data
        .as_ref()
        .and_then(|data| data.get("custom_claims"))
        .and_then(JsonValue::as_object)
        .expect("custom claims");
    assert_eq!(
        (str_field(custom, "address"), str_field(custom, "chain"), str_field(custom, "network")),
        (Some(address.as_str()), Some("ethereum"), Some("1"))
    );
    let amr = decode_claims(session.access_token.expose()).unwrap().amr.unwrap_or_default();
    assert_eq!(amr[0].as_object().and_then(|entry| str_field(entry, "method")), Some("web3"));
    assert_eq!(client.get_user().await.unwrap().id, session.user.id);

    // The same wallet later: the same user.
    let later = message(Web3Chain::Ethereum, &address).to_text();
    let again = client.sign_in_with_web3(Web3Chain::Ethereum, &later, &wallet.personal_sign(&later)).await.unwrap();
    assert_eq!(again.user.unwrap().id, session.user.id);
}

#[wasm_bindgen_test]
async fn web3_ethereum_refusals() {
    let wallet = wallet::Ethereum::new([0x42; 32]);
    let address = wallet.address();
    let (client, key) = client(ES256_URL);
    let signed = message(Web3Chain::Ethereum, &address);
    let text = signed.to_text();
    let signature = wallet.personal_sign(&text);

    // The message changed after signing (another nonce): another signer is recovered.
    let mut changed = signed.clone();
    changed.nonce = web3_nonce();
    let error = client.sign_in_with_web3(Web3Chain::Ethereum, &changed.to_text(), &signature).await.unwrap_err();
    assert_invalid_grant(error, "Signature does not match address");
    // Signed by another wallet for this address.
    let other = wallet::Ethereum::new([0x43; 32]);
    let error = client.sign_in_with_web3(Web3Chain::Ethereum, &text, &other.personal_sign(&text)).await.unwrap_err();
    assert_invalid_grant(error, "Signature does not match address");
    // A signature that is not 65 bytes.
    let error =
        client.sign_in_with_web3(Web3Chain::Ethereum, &text, &signature[..signature.len() - 2]).await.unwrap_err();
    assert_invalid_grant(error, "65 bytes");

    // Properly signed, but issued 20 minutes ago.
    let mut old = message(Web3Chain::Ethereum, &address);
    old.issued_at = iso_time(-20.0 * 60_000.0);
    let old = old.to_text();
    let error = client.sign_in_with_web3(Web3Chain::Ethereum, &old, &wallet.personal_sign(&old)).await.unwrap_err();
    assert_invalid_grant(error, "issued too long ago");
    // Properly signed, for another site.
    let mut elsewhere = message(Web3Chain::Ethereum, &address);
    elsewhere.uri = "https://elsewhere.example/".into();
    let elsewhere = elsewhere.to_text();
    let error =
        client.sign_in_with_web3(Web3Chain::Ethereum, &elsewhere, &wallet.personal_sign(&elsewhere)).await.unwrap_err();
    assert_invalid_grant(error, "not allowed");
    // Properly signed, but expired.
    let mut expired = message(Web3Chain::Ethereum, &address);
    expired.expiration_time = Some(iso_time(-1_000.0));
    let expired = expired.to_text();
    let error =
        client.sign_in_with_web3(Web3Chain::Ethereum, &expired, &wallet.personal_sign(&expired)).await.unwrap_err();
    assert_invalid_grant(error, "expired");
    // An Ethereum message sent as Solana's.
    let error = client.sign_in_with_web3(Web3Chain::Solana, &text, &signature).await.unwrap_err();
    assert_invalid_grant(error, "not formatted correctly");
    assert!(stored(&key).is_none(), "no failure stored a session");

    // A server without the web3 grant.
    let (disabled, _) = support::client(RS256_URL);
    let error = disabled.sign_in_with_web3(Web3Chain::Ethereum, &text, &signature).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (AuthErrorKind::Api, Some(422), Some("web3_provider_disabled"))
    );
    // The untouched message and signature still work.
    client.sign_in_with_web3(Web3Chain::Ethereum, &text, &signature).await.unwrap();
}

#[wasm_bindgen_test]
async fn web3_solana_sign_in() {
    let wallet = wallet::Solana::new([0x17; 32]);
    let address = wallet.address();
    assert!((32..=44).contains(&address.len()), "{address}");
    let text = message(Web3Chain::Solana, &address).to_text();
    assert!(text.starts_with(&format!("{} wants you to sign in with your Solana account:\n{address}\n", web3_domain())));
    let signature = wallet.sign_message(&text);
    assert_eq!(signature.len(), 88, "64 bytes in padded base64");

    let (client, key) = client(ES256_URL);
    let response = client.sign_in_with_web3(Web3Chain::Solana, &text, &signature).await.unwrap();
    let session = response.session.expect("a session");
    assert!(stored(&key).is_some());
    let identities = session.user.identities.clone().unwrap_or_default();
    assert_eq!(identities.len(), 1);
    assert_eq!((identities[0].provider.as_str(), identities[0].id.clone()), ("web3", format!("web3:solana:{address}")));

    // Tampered: the statement changed after signing.
    let tampered = text.replace("gotrue-wasm tests", "gotrue-wasm test");
    let error = client.sign_in_with_web3(Web3Chain::Solana, &tampered, &signature).await.unwrap_err();
    assert_invalid_grant(error, "Signature does not match address");
    // Signed by another key for this address.
    let other = wallet::Solana::new([0x18; 32]);
    let error = client.sign_in_with_web3(Web3Chain::Solana, &text, &other.sign_message(&text)).await.unwrap_err();
    assert_invalid_grant(error, "Signature does not match address");
    // The same wallet signs in to the same user.
    let later = message(Web3Chain::Solana, &address).to_text();
    let again = client.sign_in_with_web3(Web3Chain::Solana, &later, &wallet.sign_message(&later)).await.unwrap();
    assert_eq!(again.user.unwrap().id, session.user.id);
}

// ---- OAuth through the Rust API ------------------------------------------------------------

#[wasm_bindgen_test]
async fn oauth_round_trip_with_pkce_through_the_rust_api() {
    let key = format!("test-{}", unique());
    let options = ClientOptions::new(ES256_URL)
        .header("apikey", "test-anon-key")
        .storage_key(&key)
        .flow_type(FlowType::Pkce)
        // The flow id comes back in the redirect only when asked for (auth-js 2.119).
        .append_pkce_flow_id_to_redirects(true);
    let client = BrowserClient::browser(options);
    let landing = format!("{ES256_URL}/settings");
    let email = format!("oauth-{}@example.com", unique());
    // `auto` and `email` are forwarded to the fake provider, which then consents at once.
    let started = client
        .sign_in_with_oauth(
            &SignInWithOAuthCredentials::new("github")
                .redirect_to(&landing)
                .scopes("read:user")
                .query_param("auto", "allow")
                .query_param("email", &email)
                .skip_browser_redirect(true),
        )
        .await
        .unwrap();
    assert_eq!(started.provider, "github");
    assert!(started.url.contains("code_challenge_method=s256"), "{}", started.url);

    let (status, landed) = fetch_following(&started.url).await;
    assert_eq!(status, 200);
    let code = query_param(&landed, "code").unwrap_or_else(|| panic!("no code in {landed}"));
    let flow_id = query_param(&landed, "sb_flow_id").unwrap_or_else(|| panic!("no flow id in {landed}"));
    let exchanged = client.exchange_code_for_flow(&code, Some(&flow_id)).await.unwrap();
    assert_eq!(exchanged.session.user.email, email);
    assert!(exchanged.session.provider_token.is_some(), "an OAuth exchange carries the provider token");
    assert!(stored(&key).is_some());
    // The legacy single-slot exchange finds no verifier any more either.
    let error = client.exchange_code_for_session(&code).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::PkceCodeVerifierMissing);
}
