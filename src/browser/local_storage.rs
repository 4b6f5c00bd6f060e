use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::AuthError;
use crate::storage::{MemoryStorage, Storage};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = callStorage)]
    fn call_storage(storage: &JsValue, method: &str, key: &str, value: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = usableLocalStorage)]
    fn usable_local_storage(probe: &str) -> Option<web_sys::Storage>;
    #[wasm_bindgen(js_name = storageNow, catch)]
    fn storage_now(
        storage: &web_sys::Storage,
        method: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<JsValue, JsValue>;
}

/// Where the browser client keeps the session: `localStorage` (falling back to memory when it
/// throws), memory only, or an app's own storage object.
#[derive(Debug)]
pub enum BrowserStorage {
    /// The window's `localStorage`; after a failed write (quota, blocked) everything goes to
    /// `fallback`, so reads never return a value older than the last write.
    Local {
        /// `window.localStorage`.
        storage: web_sys::Storage,
        /// Where writes go once `storage` has failed.
        fallback: MemoryStorage,
        /// Whether `storage` has failed.
        degraded: Cell<bool>,
    },
    /// Memory only: storage is unavailable or persistence is off.
    Memory(MemoryStorage),
    /// An object with `getItem`, `setItem`, `removeItem`, synchronous or returning promises.
    Custom {
        /// The app's object.
        object: JsValue,
        /// What its last failing call threw (or rejected with): the JS API rethrows it, as
        /// auth-js lets a storage's exception through.
        thrown: RefCell<Option<JsValue>>,
    },
}

const PROBE_KEY: &str = "__gotrue_wasm_storage_probe__";

impl BrowserStorage {
    /// `localStorage` if a write to it succeeds, else memory.
    pub fn local_or_memory() -> Self {
        match usable_local_storage(PROBE_KEY) {
            Some(storage) => {
                BrowserStorage::Local { storage, fallback: MemoryStorage::new(), degraded: Cell::new(false) }
            }
            None => {
                crate::log::warn("gotrue-wasm: localStorage is unavailable; the session is kept in memory only");
                BrowserStorage::memory()
            }
        }
    }

    /// Memory only.
    pub fn memory() -> Self {
        BrowserStorage::Memory(MemoryStorage::new())
    }

    /// An app-provided storage object (`{ getItem, setItem, removeItem }`).
    pub fn custom(object: JsValue) -> Self {
        BrowserStorage::Custom { object, thrown: RefCell::new(None) }
    }

    /// Takes what the custom storage threw since the last call, if anything.
    pub fn take_thrown(&self) -> Option<JsValue> {
        match self {
            BrowserStorage::Custom { thrown, .. } => thrown.borrow_mut().take(),
            _ => None,
        }
    }

    /// Whether the session survives a page reload.
    pub fn is_persistent(&self) -> bool {
        match self {
            BrowserStorage::Local { degraded, .. } => !degraded.get(),
            BrowserStorage::Memory(_) => false,
            BrowserStorage::Custom { .. } => true,
        }
    }

    /// Whether this is `localStorage` (which other tabs share, and whose changes raise
    /// `storage` events there).
    pub fn is_local_storage(&self) -> bool {
        matches!(self, BrowserStorage::Local { degraded, .. } if !degraded.get())
    }
}

async fn call_custom(
    object: &JsValue,
    thrown: &RefCell<Option<JsValue>>,
    method: &str,
    key: &str,
    value: &JsValue,
) -> Result<JsValue, AuthError> {
    JsFuture::from(call_storage(object, method, key, value)).await.map_err(|exception| {
        *thrown.borrow_mut() = Some(exception);
        AuthError::storage(["The custom storage's ", method, " failed"].concat())
    })
}

impl Storage for BrowserStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError> {
        match self {
            BrowserStorage::Local { storage, fallback, degraded } => {
                if degraded.get() {
                    // Writes now land in memory; values written before (e.g. a PKCE verifier)
                    // are still readable from localStorage.
                    if let Some(value) = fallback.get_item(key).await? {
                        return Ok(Some(value));
                    }
                }
                storage_now(storage, "getItem", key, None)
                    .map(|value| value.as_string())
                    .map_err(|_| AuthError::storage("localStorage.getItem failed"))
            }
            BrowserStorage::Memory(memory) => memory.get_item(key).await,
            BrowserStorage::Custom { object, thrown } => {
                Ok(call_custom(object, thrown, "getItem", key, &JsValue::UNDEFINED).await?.as_string())
            }
        }
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError> {
        match self {
            BrowserStorage::Local { storage, fallback, degraded } => {
                if !degraded.get() {
                    if storage_now(storage, "setItem", key, Some(value)).is_ok() {
                        return Ok(());
                    }
                    crate::log::warn(
                        "gotrue-wasm: localStorage refused a write (quota or blocked); keeping the session in memory",
                    );
                    degraded.set(true);
                }
                fallback.set_item(key, value).await
            }
            BrowserStorage::Memory(memory) => memory.set_item(key, value).await,
            BrowserStorage::Custom { object, thrown } => {
                call_custom(object, thrown, "setItem", key, &JsValue::from_str(value)).await.map(|_| ())
            }
        }
    }

    async fn remove_item(&self, key: &str) -> Result<(), AuthError> {
        match self {
            BrowserStorage::Local { storage, fallback, degraded } => {
                let _ = fallback.remove_item(key).await;
                if degraded.get() {
                    // Best effort: a stale copy in localStorage must not come back after a reload.
                    let _ = storage_now(storage, "removeItem", key, None);
                    return Ok(());
                }
                storage_now(storage, "removeItem", key, None)
                    .map(|_| ())
                    .map_err(|_| AuthError::storage("localStorage.removeItem failed"))
            }
            BrowserStorage::Memory(memory) => memory.remove_item(key).await,
            BrowserStorage::Custom { object, thrown } => {
                call_custom(object, thrown, "removeItem", key, &JsValue::UNDEFINED).await.map(|_| ())
            }
        }
    }
}
