use crate::error::AuthError;
use crate::storage::{MemoryStorage, Storage};

/// `localStorage`, or memory where it cannot be used.
#[derive(Debug)]
pub enum BrowserStorage {
    /// The window's `localStorage`.
    Local(web_sys::Storage),
    /// Memory only: storage is unavailable or persistence is off.
    Memory(MemoryStorage),
}

const PROBE_KEY: &str = "__gotrue_wasm_storage_probe__";

impl BrowserStorage {
    /// `localStorage` if a write to it succeeds, else memory.
    pub fn local_or_memory() -> Self {
        let usable = web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .filter(|storage| storage.set_item(PROBE_KEY, PROBE_KEY).is_ok() && storage.remove_item(PROBE_KEY).is_ok());
        match usable {
            Some(storage) => BrowserStorage::Local(storage),
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

    /// Whether the session survives a page reload.
    pub fn is_persistent(&self) -> bool {
        matches!(self, BrowserStorage::Local(_))
    }
}

impl Storage for BrowserStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError> {
        match self {
            BrowserStorage::Local(storage) => {
                storage.get_item(key).map_err(|_| AuthError::storage("localStorage.getItem failed"))
            }
            BrowserStorage::Memory(memory) => memory.get_item(key).await,
        }
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError> {
        match self {
            BrowserStorage::Local(storage) => storage
                .set_item(key, value)
                .map_err(|_| AuthError::storage("localStorage.setItem failed (quota exceeded or storage blocked)")),
            BrowserStorage::Memory(memory) => memory.set_item(key, value).await,
        }
    }

    async fn remove_item(&self, key: &str) -> Result<(), AuthError> {
        match self {
            BrowserStorage::Local(storage) => {
                storage.remove_item(key).map_err(|_| AuthError::storage("localStorage.removeItem failed"))
            }
            BrowserStorage::Memory(memory) => memory.remove_item(key).await,
        }
    }
}
