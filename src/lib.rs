//! A Supabase Auth (GoTrue) client for Rust and the browser.
//!
//! The core — types, errors, request building, the session state machine — is platform-free
//! and runs natively; the browser adapters (`fetch`, `localStorage`) and the JavaScript API
//! are compiled in for `wasm32`.
//!
//! ```no_run
//! # async fn run() -> Result<(), gotrue_wasm::AuthError> {
//! # #[cfg(target_arch = "wasm32")] {
//! use gotrue_wasm::{BrowserClient, ClientOptions, SignInWithPasswordCredentials};
//!
//! let client = BrowserClient::browser(
//!     ClientOptions::new("https://project.supabase.co/auth/v1").header("apikey", "anon-key"),
//! );
//! let signed_in = client
//!     .sign_in_with_password(SignInWithPasswordCredentials::email("ada@example.com", "password"))
//!     .await?;
//! assert!(signed_in.session.is_some());
//! # }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
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
mod http;
mod json;
mod jwt;
mod log;
mod options;
mod pkce;
mod redirect;
mod runtime;
#[cfg(not(target_arch = "wasm32"))]
mod sha256;
mod single_flight;
mod storage;
mod types;
mod url;
mod web3;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod js;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod client_tests;
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
    SignOutScope, SignUpCredentials, TotpEnrollment, UserAttributes, UserList, VerifyOtpParams,
};
pub use claims::{VerifiedClaims, JWKS_TTL_MS};
pub use client::{CodeExchange, GoTrueClient, InitOutcome, EXPIRY_MARGIN_SECONDS};
pub use error::{AuthError, AuthErrorKind, RedirectErrorDetails};
pub use events::{AuthChangeEvent, Subscription};
pub use http::{HttpRequest, HttpResponse, HttpTransport, Method, API_VERSION};
pub use json::{FromJson, JsonError, JsonNumber, ToJson};
pub use jwt::{decode_claims, JwtClaims};
pub use options::{ClientOptions, FlowType};
pub use pkce::{is_valid_flow_id, PkceCodeChallenge, PkceCodeVerifier, MAX_STORED_FLOWS};
pub use redirect::{strip_auth_params, RedirectParams};
#[cfg(not(target_arch = "wasm32"))]
pub use runtime::NativeRuntime;
pub use runtime::{LocalBoxFuture, LockGuard, Runtime};
pub use storage::{MemoryStorage, Storage, DEFAULT_STORAGE_KEY};
pub use types::{
    AuthResponse, Factor, Identity, JsonObject, JsonObjectIter, JsonValue, SecretString, Session, Timestamp,
    TimestampError, User, WeakPassword,
};
pub use web3::{Web3Chain, Web3Message};

#[cfg(target_arch = "wasm32")]
pub use browser::{
    BrowserAuth, BrowserClient, BrowserRuntime, BrowserStorage, CallbackCheck, DetectSessionInUrl, FetchTransport,
};
