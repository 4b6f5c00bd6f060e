//! A Supabase Auth (GoTrue) client for Rust and the browser.
//!
//! The core — types, errors, request building, the session state machine — is platform-free:
//! [`GoTrueClient<T, S>`](GoTrueClient) runs on any [`HttpTransport`] `T` and [`Storage`] `S`.
//! The crate brings the adapters for both places Rust runs an auth client:
//!
//! | where | transport | storage | lifecycle |
//! |---|---|---|---|
//! | browser (`wasm32`) | `FetchTransport` | `BrowserStorage` (`localStorage`, memory, or a JS object) | `BrowserAuth`: URL detection, auto refresh, tabs |
//! | native | `ReqwestTransport` (feature `native-transport`) | [`MemoryStorage`], `FileStorage` | call [`GoTrueClient::refresh_session`] or [`GoTrueClient::get_session`] (refreshes when due) |
//!
//! Every operation is an `async fn` returning `Result<_, AuthError>`; [`AuthError`] carries
//! auth-js's error class ([`AuthError::kind`]), the HTTP status and the server's error code.
//! Sessions are stored exactly as `@supabase/auth-js` stores them, so a page can switch
//! between the two without signing anyone out. The futures are not `Send`: the browser is
//! single-threaded, and natively the client runs on one thread (a current-thread Tokio
//! runtime, a `LocalSet`, or any `block_on`).
//!
//! # Browser apps
//!
//! `BrowserAuth` (wasm32 only) is what an app holds: the client plus the page lifecycle
//! auth-js users rely on. Make one per app, subscribe, then initialize — that reads an OAuth
//! or magic-link redirect from the URL (and removes it), or recovers the stored session.
//!
//! ```ignore
//! // wasm32 only (BrowserAuth touches `window`): compiled by the browser tests, not here.
//! use gotrue_wasm::{BrowserAuth, BrowserStorage, ClientOptions, DetectSessionInUrl, FlowType};
//! use gotrue_wasm::{SignInWithOAuthCredentials, SignInWithPasswordCredentials};
//!
//! let auth = BrowserAuth::new(
//!     ClientOptions::new("https://project.supabase.co/auth/v1").header("apikey", "anon-key").flow_type(FlowType::Pkce),
//!     BrowserStorage::local_or_memory(),
//!     DetectSessionInUrl::On,
//! );
//! let _subscription = auth.on_auth_state_change(|event, session| {
//!     // Put `session.cloned()` in your UI state (a signal, a store, …).
//! });
//! auth.initialize().await;
//! auth.client().sign_in_with_password(SignInWithPasswordCredentials::email("ada@example.com", "…")).await?;
//! auth.sign_in_with_oauth(&SignInWithOAuthCredentials::new("github")).await?; // navigates away
//! ```
//!
//! `BrowserAuth::new` returns an `Rc<BrowserAuth>`, which is not `Send`. UI frameworks whose
//! context wants `Send + Sync` values take it through a local slot: in Leptos 0.8,
//! `StoredValue::new_local(auth)` gives a `Copy + Send + Sync` handle to put in context, and
//! `handle.get_value()` clones the `Rc` back out inside a `spawn_local` task.
//! `examples/leptos/` is a complete Leptos 0.8 app (password and GitHub/PKCE sign-in, the
//! user, sign-out, the session in a signal fed by auth events), tested in Chromium.
//!
//! # Native apps
//!
//! Servers, CLIs, a Tauri app's Rust side and tests use `GoTrueClient::new` with a transport
//! and a storage. With the `native-transport` feature the crate has `ReqwestTransport`
//! (reqwest with rustls); `FileStorage` keeps the session in files across runs.
//!
//! ```no_run
//! # #[cfg(feature = "native-transport")]
//! # async fn run() -> Result<(), gotrue_wasm::AuthError> {
//! use gotrue_wasm::{ClientOptions, FileStorage, GoTrueClient, ReqwestTransport, SignInWithPasswordCredentials};
//!
//! let options = ClientOptions::new("https://project.supabase.co/auth/v1").header("apikey", "anon-key");
//! let client = GoTrueClient::new(options, ReqwestTransport::new()?, FileStorage::new(".auth"));
//! if client.get_session().await?.is_none() {
//!     client.sign_in_with_password(SignInWithPasswordCredentials::email("ada@example.com", "…")).await?;
//! }
//! let user = client.get_user().await?;
//! # Ok(()) }
//! ```
//!
//! `examples/native.rs` is a runnable command-line version
//! (`cargo run --example native --features native-transport -- URL EMAIL PASSWORD`).
//!
//! # Custom storage and transport
//!
//! Both are small traits. A storage is three async string operations; a transport sends one
//! [`HttpRequest`] and returns the [`HttpResponse`] with whatever status came back (report a
//! failure to get any answer as [`AuthError::network`], so it counts as retryable).
//!
//! ```
//! use std::cell::RefCell;
//! use std::collections::HashMap;
//! use gotrue_wasm::{AuthError, HttpRequest, HttpResponse, HttpTransport, Storage};
//!
//! /// A storage in a map (a real one would write a database row, a keychain entry, …).
//! #[derive(Default)]
//! struct MapStorage(RefCell<HashMap<String, String>>);
//!
//! impl Storage for MapStorage {
//!     async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError> {
//!         Ok(self.0.borrow().get(key).cloned())
//!     }
//!     async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError> {
//!         self.0.borrow_mut().insert(key.to_string(), value.to_string());
//!         Ok(())
//!     }
//!     async fn remove_item(&self, key: &str) -> Result<(), AuthError> {
//!         self.0.borrow_mut().remove(key);
//!         Ok(())
//!     }
//! }
//!
//! /// A transport that answers every request itself (a test double; a real one calls HTTP).
//! struct Offline;
//!
//! impl HttpTransport for Offline {
//!     async fn send(&self, request: HttpRequest) -> Result<HttpResponse, AuthError> {
//!         Err(AuthError::network(format!("offline: {:?} not sent", request.method)))
//!     }
//! }
//! ```
//!
//! # Reading and writing the data model
//!
//! [`Session`], [`User`] and the other wire types write their JSON with
//! [`ToJson::to_json_string`] and read it back with [`FromJson::from_json_str`] or
//! `str::parse`, with no feature needed: enough to cache a session or pass it through a
//! server function.
//!
//! ```
//! use gotrue_wasm::{Session, ToJson};
//! # fn run(session: Session) -> Result<(), gotrue_wasm::JsonError> {
//! let text = session.to_json_string(); // the JSON auth-js stores
//! let back: Session = text.parse()?;
//! assert_eq!(back, session);
//! # Ok(()) }
//! ```
//!
//! Sessions carry the typed [`User`] unless the client was made with
//! [`GoTrueClient::with_user_type`]: with [`UserJson`] they keep the server's user object as it
//! came (every member, in the server's order), for apps that pass the user on rather than read
//! it; the npm package's engine works that way, so the typed model is not in its wasm.
//!
//! With the `serde` feature, the same types implement `Serialize` and `Deserialize` in
//! exactly that format (they go through the same reader and writer), and on wasm32
//! `to_js_value` / `from_js_value` convert them to and from plain JavaScript objects with
//! `serde-wasm-bindgen`. The npm package does not enable the feature: it costs it nothing.
//!
//! # Features
//!
//! - `serde`: `Serialize`/`Deserialize` on the data model; `to_js_value`/`from_js_value` on wasm32.
//! - `native-transport`: `ReqwestTransport` (not compiled for wasm32).
//!
//! On docs.rs the wasm32 target is the default page (it has the browser API); the
//! native target's page has `FileStorage` and `ReqwestTransport`.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

// The npm package's allocator (see the `small-alloc` feature in Cargo.toml).
// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread only.
#[cfg(all(target_arch = "wasm32", feature = "small-alloc"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

mod api;
mod claims;
mod client;
mod error;
mod events;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod http;
mod json;
mod jwt;
mod log;
mod options;
#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
mod outlined;
mod pkce;
mod redirect;
mod runtime;
#[cfg(not(target_arch = "wasm32"))]
mod sha256;
mod single_flight;
mod storage;
mod text;
mod types;
mod url;
mod web3;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(feature = "serde")]
mod serde_impls;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
mod js;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod client_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod reliability_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod test_support;

pub use api::{
    ops, CustomProvider, CustomProviderParams, OAuthAuthorizationDetails, OAuthClient, OAuthClientDetails,
    OAuthClientList, OAuthClientParams, OAuthGrant, OAuthRedirect, Passkey, PasskeyCeremony, RecoveryCodes,
    RecoveryCodesStatus,
};
pub use api::{
    AdminApi, AdminUserAttributes, AuthenticatorAssurance, Channel, FactorList, FactorType, GenerateLinkParams,
    GenerateLinkType, GeneratedLink, MessageSent, MfaChallenge, MfaEnrollParams, MfaEnrollResponse, OAuthResponse,
    OtpType, ResendParams, ResetPasswordOptions, SignInAnonymouslyOptions, SignInWithIdTokenCredentials,
    SignInWithOAuthCredentials, SignInWithOtpCredentials, SignInWithPasswordCredentials, SignInWithSsoCredentials,
    SignOutScope, SignUpCredentials, TotpEnrollment, UserAttributes, UserList, VerifyOtpParams, WebAuthnCeremony,
    WebAuthnCredentialResponse, WebAuthnRelyingParty,
};
pub use claims::{VerifiedClaims, JWKS_TTL_MS};
pub use client::{CodeExchange, GoTrueClient, InitOutcome, EXPIRY_MARGIN_SECONDS};
pub use error::{AuthError, AuthErrorKind, RedirectErrorDetails};
pub use events::{AuthChangeEvent, Subscription};
pub use http::{HttpRequest, HttpResponse, HttpTransport, Method, API_VERSION};
pub use json::{FromJson, JsonError, JsonNumber, ToJson};
pub use jwt::{decode_claims, JwtClaims};
pub use options::{ClientOptions, FlowType, DEFAULT_REQUEST_TIMEOUT_MS};
pub use pkce::{is_valid_flow_id, PkceCodeChallenge, PkceCodeVerifier, MAX_STORED_FLOWS};
pub use redirect::{strip_auth_params, RedirectParams};
#[cfg(not(target_arch = "wasm32"))]
pub use runtime::NativeRuntime;
pub use runtime::{LocalBoxFuture, LockGuard, Runtime};
pub use storage::{MemoryStorage, Storage, DEFAULT_STORAGE_KEY};
pub use types::{
    AuthResponse, Factor, Identity, JsonObject, JsonObjectIter, JsonValue, SecretString, Session, SessionUser,
    Timestamp, TimestampError, User, UserJson, WeakPassword,
};
pub use web3::{Web3Chain, Web3Message};

#[cfg(not(target_arch = "wasm32"))]
#[cfg_attr(docsrs, doc(cfg(not(target_arch = "wasm32"))))]
pub use native::FileStorage;
#[cfg(all(feature = "native-transport", not(target_arch = "wasm32")))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "native-transport", not(target_arch = "wasm32")))))]
pub use native::ReqwestTransport;
#[cfg(all(feature = "serde", target_arch = "wasm32"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "serde", target_arch = "wasm32"))))]
pub use serde_impls::{from_js_value, to_js_value};

#[cfg(target_arch = "wasm32")]
#[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
pub use browser::{
    BrowserAuth, BrowserClient, BrowserRuntime, BrowserStorage, CallbackCheck, DetectSessionInUrl, FetchTransport,
};
#[cfg(all(target_arch = "wasm32", feature = "webauthn-ceremonies"))]
#[cfg_attr(docsrs, doc(cfg(all(target_arch = "wasm32", feature = "webauthn-ceremonies"))))]
pub use browser::{PasskeyOptions, WebAuthnOptions};
