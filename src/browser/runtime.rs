use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::AuthError;
use crate::runtime::{LocalBoxFuture, LockGuard, Runtime};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = sha256)]
    fn js_sha256(bytes: &[u8]) -> js_sys::Promise;
    #[wasm_bindgen(js_name = fillRandom, catch)]
    fn js_fill_random(bytes: &mut [u8]) -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = sleep)]
    fn js_sleep(ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = acquireLock)]
    fn js_acquire_lock(name: &str, wait_ms: u32, hold_ms: u32) -> js_sys::Promise;
}

// Not in the npm package's engine (js-api), whose JS facade verifies getClaims' tokens itself:
// there the runtime keeps the trait's default (no verification in the wasm) and the package
// carries neither this binding nor jws.js.
#[cfg(not(feature = "js-api"))]
#[wasm_bindgen(module = "/src/browser/jws.js")]
extern "C" {
    #[wasm_bindgen(js_name = verifySignature)]
    fn js_verify_signature(alg: &str, jwk: &str, data: &[u8], signature: &[u8]) -> js_sys::Promise;
}

/// How long a tab waits for another tab's refresh before going on without the lock.
const LOCK_WAIT_MS: u32 = 10_000;
/// How long a lock may be held before it is released regardless.
const LOCK_HOLD_MS: u32 = 40_000;

/// The browser's runtime: `Date.now()`, WebCrypto, `setTimeout`, Web Locks.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserRuntime;

impl Runtime for BrowserRuntime {
    fn now_millis(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn fill_random(&self, bytes: &mut [u8]) -> Result<(), AuthError> {
        js_fill_random(bytes).map_err(|_| AuthError::unknown("crypto.getRandomValues is unavailable"))
    }

    fn sha256<'a>(&'a self, data: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 32], AuthError>> {
        let promise = js_sha256(data);
        Box::pin(async move {
            let value = JsFuture::from(promise).await.map_err(|_| AuthError::unknown("WebCrypto is unavailable"))?;
            // glue.js resolves to a Uint8Array.
            let bytes = value.unchecked_into::<js_sys::Uint8Array>().to_vec();
            <[u8; 32]>::try_from(bytes.as_slice())
                .map_err(|_| AuthError::unknown("SHA-256 returned a digest of the wrong size"))
        })
    }

    fn sleep(&self, millis: u32) -> LocalBoxFuture<'static, ()> {
        let promise = js_sleep(millis);
        Box::pin(async move {
            let _ = JsFuture::from(promise).await;
        })
    }

    #[cfg(not(feature = "js-api"))]
    fn verify_signature<'a>(
        &'a self,
        alg: &'a str,
        jwk: &'a str,
        data: &'a [u8],
        signature: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<bool, AuthError>> {
        let promise = js_verify_signature(alg, jwk, data, signature);
        Box::pin(async move {
            let verdict = JsFuture::from(promise)
                .await
                .map_err(|_| AuthError::unknown("WebCrypto could not check the JWT signature with the server's key"))?;
            Ok(verdict.as_bool().unwrap_or(false))
        })
    }

    fn lock<'a>(&'a self, name: &'a str) -> LocalBoxFuture<'a, Option<LockGuard>> {
        let promise = js_acquire_lock(name, LOCK_WAIT_MS, LOCK_HOLD_MS);
        Box::pin(async move {
            let release = JsFuture::from(promise).await.ok()?;
            let release: js_sys::Function = release.dyn_into().ok()?;
            Some(LockGuard::new(move || {
                let _ = release.call0(&JsValue::NULL);
            }))
        })
    }
}
