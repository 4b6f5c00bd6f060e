//! Shared helpers of the browser tests: where the test servers are, unique addresses, the
//! test server's mailbox, and sleeping.
#![allow(dead_code)]

use gotrue_wasm::{
    BrowserClient, ClientOptions, FetchTransport, HttpRequest, HttpTransport, Method, DEFAULT_REQUEST_TIMEOUT_MS,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The main server: confirmation by email/SMS required, phone and anonymous sign-ins on,
/// refresh-token reuse interval of 1 s. Addresses are fixed at compile time by the test script.
pub const MAIN_URL: &str = match option_env!("GOTRUE_TEST_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9911",
};
/// A server that confirms sign-ups at once.
pub const AUTOCONFIRM_URL: &str = match option_env!("GOTRUE_TEST_AUTOCONFIRM_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9912",
};
/// A server with sign-ups disabled.
pub const NO_SIGNUP_URL: &str = match option_env!("GOTRUE_TEST_NO_SIGNUP_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9913",
};

/// A new client on `url` with its own storage key, so tests do not share sessions.
pub fn client(url: &str) -> (BrowserClient, String) {
    let key = format!("test-{}", unique());
    let client = BrowserClient::browser(ClientOptions::new(url).header("apikey", "test-anon-key").storage_key(&key));
    (client, key)
}

pub fn unique() -> String {
    let random = (js_sys::Math::random() * 1e12) as u64;
    format!("{}{random}", js_sys::Date::now() as u64)
}

pub fn unique_email() -> String {
    format!("user-{}@example.com", unique())
}

/// A phone number unlikely to repeat across runs (digits only, as the server stores them).
pub fn unique_phone() -> String {
    let random = (js_sys::Math::random() * 1e9) as u64;
    format!("1555{random:09}")
}

pub const PASSWORD: &str = "correct-horse-battery-staple";

/// The last message the test server "sent" to `address`, as a JS object.
pub async fn mailbox(url: &str, address: &str) -> JsValue {
    let request = HttpRequest {
        method: Method::Get,
        url: format!("{url}/__test/mailbox/{}", String::from(js_sys::encode_uri_component(address))),
        headers: vec![],
        body: None,
        timeout_ms: DEFAULT_REQUEST_TIMEOUT_MS,
    };
    let response = FetchTransport::new().send(request).await.expect("mailbox request failed");
    assert_eq!(response.status, 200, "no message for {address}: {}", response.body);
    js_sys::JSON::parse(&response.body).expect("mailbox answer is not JSON")
}

pub fn field(value: &JsValue, key: &str) -> String {
    js_sys::Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| panic!("message has no string field {key}"))
}

/// The OTP of the last message to `address`.
pub async fn otp(url: &str, address: &str) -> String {
    field(&mailbox(url, address).await, "otp")
}

/// The raw value the client stored under `key` in localStorage.
pub fn stored(key: &str) -> Option<String> {
    web_sys::window()
        .and_then(|window| window.local_storage().ok().flatten())
        .and_then(|storage| storage.get_item(key).ok().flatten())
}

pub fn store(key: &str, value: &str) {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(key, value).unwrap();
}

pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// A server whose access tokens live 5 s and whose refresh answers after 300 ms (sign-ups
/// confirmed at once). Only the lifecycle tests use it, one at a time.
pub const SHORT_URL: &str = match option_env!("GOTRUE_TEST_SHORT_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9914",
};

/// How many refresh requests `url` has answered so far.
pub async fn refresh_count(url: &str) -> f64 {
    let request = HttpRequest {
        method: Method::Get,
        url: format!("{url}/__test/stats"),
        headers: vec![],
        body: None,
        timeout_ms: DEFAULT_REQUEST_TIMEOUT_MS,
    };
    let response = FetchTransport::new().send(request).await.expect("stats request failed");
    let stats = js_sys::JSON::parse(&response.body).expect("stats are not JSON");
    js_sys::Reflect::get(&stats, &"refresh_token_requests".into()).unwrap().as_f64().expect("no refresh count")
}

pub fn location_href() -> String {
    web_sys::window().unwrap().location().href().unwrap()
}

/// Puts `url` in the address bar without loading it, as a redirect back to the app would.
pub fn set_location(url: &str) {
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(url)).unwrap();
}

/// The test server's service-role key (an HS256 JWT with `role: service_role`).
pub async fn service_role_key(url: &str) -> String {
    let request = HttpRequest {
        method: Method::Get,
        url: format!("{url}/__test/service_role_key"),
        headers: vec![],
        body: None,
        timeout_ms: DEFAULT_REQUEST_TIMEOUT_MS,
    };
    let response = FetchTransport::new().send(request).await.expect("service key request failed");
    let body = js_sys::JSON::parse(&response.body).expect("not JSON");
    field(&body, "key")
}

/// The current RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 TOTP secret, computed with
/// WebCrypto's HMAC so the test does not share code with the server.
pub async fn totp_code(secret: &str) -> String {
    let compute = js_sys::eval(
        r#"(async (secret) => {
            const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
            let bits = '';
            for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
            const key = new Uint8Array(Math.floor(bits.length / 8));
            for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
            const counter = new DataView(new ArrayBuffer(8));
            counter.setBigUint64(0, BigInt(Math.floor(Date.now() / 1000 / 30)));
            const hmacKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
            const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, counter.buffer));
            const offset = mac[19] & 0x0f;
            const value = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
            return String(value % 1000000).padStart(6, '0');
        })"#,
    )
    .unwrap();
    let function: js_sys::Function = compute.unchecked_into();
    let promise: js_sys::Promise = function.call1(&JsValue::NULL, &JsValue::from_str(secret)).unwrap().unchecked_into();
    JsFuture::from(promise).await.unwrap().as_string().unwrap()
}

/// A server that signs access tokens with ES256 (JWKS at `/.well-known/jwks.json`), with the
/// fake SAML SSO provider and the web3 grant on, and auth-js 2.119's newer features (passkeys,
/// WebAuthn MFA, the OAuth 2.1 server, custom providers, recovery codes); sign-ups confirmed at
/// once. Its SITE_URL is `http://localhost:<its port>` (scripts/test.sh).
pub const ES256_URL: &str = match option_env!("GOTRUE_TEST_ES256_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9915",
};
/// A server that signs access tokens with RS256; sign-ups confirmed at once, SSO off.
pub const RS256_URL: &str = match option_env!("GOTRUE_TEST_RS256_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9916",
};
/// An ES256 server whose access tokens live 2 s; sign-ups confirmed at once.
pub const EXPIRING_ES256_URL: &str = match option_env!("GOTRUE_TEST_EXPIRING_ES256_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9917",
};

/// An ES256 server whose signing key the key-rotation test rotates (no other test uses it).
pub const ROTATING_ES256_URL: &str = match option_env!("GOTRUE_TEST_ROTATING_ES256_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9918",
};
/// An RS256 server whose signing key the key-rotation test rotates (no other test uses it).
pub const ROTATING_RS256_URL: &str = match option_env!("GOTRUE_TEST_ROTATING_RS256_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9919",
};

/// Sends `method` to a test server path with an optional JSON body: (status, body text).
pub async fn test_request(method: Method, url: &str, body: Option<String>) -> (u16, String) {
    let headers =
        if body.is_some() { vec![("Content-Type".to_string(), "application/json".to_string())] } else { vec![] };
    let request = HttpRequest { method, url: url.to_string(), headers, body, timeout_ms: DEFAULT_REQUEST_TIMEOUT_MS };
    let response = FetchTransport::new().send(request).await.expect("test server request failed");
    (response.status, response.body)
}

/// `POST /__test/rotate_signing_key`: the new key's (kid, alg).
pub async fn rotate_signing_key(url: &str) -> (String, String) {
    let (status, body) = test_request(Method::Post, &format!("{url}/__test/rotate_signing_key"), None).await;
    assert_eq!(status, 200, "rotation refused: {body}");
    let body = js_sys::JSON::parse(&body).expect("not JSON");
    (field(&body, "kid"), field(&body, "alg"))
}

/// An ID token from the test server's OpenID issuer; `params` is the JSON body of
/// `POST /__test/oidc/issue` (`sub`, `email`, `aud`, `nonce`, `exp_in`).
pub async fn issue_id_token(url: &str, params: &str) -> String {
    let (status, body) =
        test_request(Method::Post, &format!("{url}/__test/oidc/issue"), Some(params.to_string())).await;
    assert_eq!(status, 200, "issuer refused: {body}");
    field(&js_sys::JSON::parse(&body).expect("not JSON"), "id_token")
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Base64 with padding (RFC 4648 §4), as wallets hand out signatures.
pub fn base64_standard(bytes: &[u8]) -> String {
    base64_with(bytes, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", true)
}

/// Base64url without padding (RFC 4648 §5), as JWTs use it.
pub fn base64_url(bytes: &[u8]) -> String {
    base64_with(bytes, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", false)
}

fn base64_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let group =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for index in 0..=chunk.len() {
            out.push(alphabet[(group >> (18 - 6 * index) & 63) as usize] as char);
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base64url (no padding) to bytes; `None` on a character outside the alphabet.
pub fn base64_url_decode(text: &str) -> Option<Vec<u8>> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        bits = bits << 6 | alphabet.iter().position(|&a| a == c)? as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

/// Base58 with Bitcoin's alphabet, as Solana writes addresses: the bytes as one big-endian
/// number in base 58, each leading zero byte kept as a leading `1`.
pub fn base58(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut digits: Vec<u8> = Vec::new(); // least significant first
    for &byte in bytes {
        let mut carry = byte as u32;
        for digit in digits.iter_mut() {
            carry += (*digit as u32) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|&&byte| byte == 0).count();
    let mut out = "1".repeat(zeros);
    out.extend(digits.iter().rev().map(|&digit| ALPHABET[digit as usize] as char));
    out
}
