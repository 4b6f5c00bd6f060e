//! Native adapters: a storage that keeps the session in files, and (feature
//! `native-transport`) an HTTP transport over reqwest. With [`crate::MemoryStorage`] and
//! [`crate::NativeRuntime`] they make [`crate::GoTrueClient`] work outside the browser.

mod file_storage;
#[cfg(feature = "native-transport")]
mod reqwest_transport;

pub use file_storage::FileStorage;
#[cfg(feature = "native-transport")]
pub use reqwest_transport::ReqwestTransport;
