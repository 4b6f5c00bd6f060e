//! Shared helpers of the browser tests: where the test servers are, unique addresses, the
//! test server's mailbox, and sleeping.
#![allow(dead_code)]

use gotrue_wasm::{BrowserClient, ClientOptions, FetchTransport, HttpRequest, HttpTransport, Method};
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
    let request = HttpRequest { method: Method::Get, url: format!("{url}/__test/stats"), headers: vec![], body: None };
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
    let request = HttpRequest { method: Method::Get, url: format!("{url}/__test/service_role_key"), headers: vec![], body: None };
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
