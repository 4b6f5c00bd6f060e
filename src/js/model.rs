//! The engine's sessions carry their user as the server's JSON ([`UserJson`]): JS callers
//! read the user themselves, so the typed model (users, identities, factors, timestamps)
//! has no reader, writer or clone in the npm package's wasm.

use crate::UserJson;

/// The page lifecycle, with the server's JSON as the sessions' user.
pub(super) type BrowserAuth = crate::browser::BrowserAuth<UserJson>;
/// A session whose user is the server's JSON.
pub(super) type Session = crate::Session<UserJson>;
