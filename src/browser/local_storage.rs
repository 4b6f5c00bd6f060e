use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::error::AuthError;
use crate::storage::Storage;

// The three kinds of storage live in src/browser/glue.js (`store`, `storeCall`): the wasm
// holds one JS object and makes one kind of call, instead of carrying each kind's async
// methods, a memory map and the fallback logic of its own.
#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = store)]
    fn js_store(kind: u32, object: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = storeIs)]
    fn store_is(store: &JsValue, state: u32) -> bool;
    #[wasm_bindgen(js_name = storeCall, catch)]
    fn store_call(store: &JsValue, method: &str, key: &str, value: Option<&str>) -> Result<JsValue, JsValue>;
}

/// `js_store`'s kinds.
const LOCAL_OR_MEMORY: u32 = 0;
const MEMORY: u32 = 1;
const CUSTOM: u32 = 2;

// The states glue.js's `storeIs` answers for. A number and no string crosses: the JS facade's
// getSession fast path asks `is_local_storage` on every call, and decoding a string argument
// in JS cost more than the rest of that check (bench: 0.65-0.94x auth-js with strings). (An
// import that returns the number itself is bound without a shim, in a shape
// scripts/shorten-wasm-names.mjs does not rename.)
const IN_LOCAL_STORAGE: u32 = 1;
const PERSISTENT: u32 = 2;

/// Where the browser client keeps the session: `localStorage` (falling back to memory when it
/// throws), memory only, or an app's own storage object.
///
/// With `localStorage`, after a failed write (quota, blocked) everything goes to memory, so
/// reads never return a value older than the last write; values written before (e.g. a PKCE
/// verifier) stay readable from `localStorage`.
#[derive(Debug)]
pub struct BrowserStorage {
    /// The JS side (glue.js `store`): the kind, its memory, the app's object.
    store: JsValue,
    /// Whether this is an app's object, whose calls may return promises and whose
    /// exceptions the JS API lets through.
    custom: bool,
    /// What the custom storage's last failing call threw (or rejected with).
    thrown: RefCell<Option<JsValue>>,
}

impl BrowserStorage {
    fn of_kind(kind: u32, object: &JsValue) -> Self {
        BrowserStorage { store: js_store(kind, object), custom: kind == CUSTOM, thrown: RefCell::new(None) }
    }

    /// `localStorage` if a write to it succeeds, else memory.
    pub fn local_or_memory() -> Self {
        Self::of_kind(LOCAL_OR_MEMORY, &JsValue::UNDEFINED)
    }

    /// Memory only.
    pub fn memory() -> Self {
        Self::of_kind(MEMORY, &JsValue::UNDEFINED)
    }

    /// An app-provided storage object (`{ getItem, setItem, removeItem }`), synchronous or
    /// returning promises.
    pub fn custom(object: JsValue) -> Self {
        Self::of_kind(CUSTOM, &object)
    }

    /// Takes what the custom storage threw since the last call, if anything.
    pub fn take_thrown(&self) -> Option<JsValue> {
        self.thrown.borrow_mut().take()
    }

    /// Whether the session survives a page reload.
    pub fn is_persistent(&self) -> bool {
        store_is(&self.store, PERSISTENT)
    }

    /// Whether this is `localStorage` (which other tabs share, and whose changes raise
    /// `storage` events there).
    pub fn is_local_storage(&self) -> bool {
        store_is(&self.store, IN_LOCAL_STORAGE)
    }

    /// One storage call; the app's object may answer with a promise (always awaited, as
    /// auth-js awaits it).
    async fn call(&self, method: &str, key: &str, value: Option<&str>) -> Result<JsValue, AuthError> {
        let answer = match store_call(&self.store, method, key, value) {
            Ok(answer) if self.custom => JsFuture::from(answer.unchecked_into::<js_sys::Promise>()).await,
            answer => answer,
        };
        answer.map_err(|exception| {
            let prefix = if self.custom {
                *self.thrown.borrow_mut() = Some(exception);
                "The custom storage's "
            } else {
                "localStorage."
            };
            AuthError::storage(crate::text::concat(&[prefix, method, " failed"]))
        })
    }
}

impl Storage for BrowserStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError> {
        Ok(self.call("getItem", key, None).await?.as_string())
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError> {
        self.call("setItem", key, Some(value)).await.map(|_| ())
    }

    async fn remove_item(&self, key: &str) -> Result<(), AuthError> {
        self.call("removeItem", key, None).await.map(|_| ())
    }
}
