//! The data model: what the server sends and what is stored.

mod secret;
mod session;
mod text;
mod timestamp;
mod user;
mod user_json;
mod value;

pub use secret::SecretString;
pub(crate) use session::TokenResponse;
pub use session::{AuthResponse, Session, WeakPassword};
pub use timestamp::{Timestamp, TimestampError};
pub use user::{Factor, Identity, User};
pub use user_json::{SessionUser, UserJson};
pub use value::{JsonObject, JsonObjectIter, JsonValue};

#[cfg(all(test, not(target_arch = "wasm32")))]
mod typescript_tests;
