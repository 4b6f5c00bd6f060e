//! `POST /logout`.

use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::AuthError;

/// Which sessions a sign-out ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignOutScope {
    /// Every session of the user, on every device (auth-js's default).
    #[default]
    Global,
    /// Only this session.
    Local,
    /// Every session but this one.
    Others,
}

impl SignOutScope {
    /// The scope's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            SignOutScope::Global => "global",
            SignOutScope::Local => "local",
            SignOutScope::Others => "others",
        }
    }
}

pub(crate) async fn logout<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    scope: SignOutScope,
) -> Result<(), AuthError> {
    api.send_empty(ApiCall::new(Method::Post, "/logout").query("scope", scope.as_str()).bearer(access_token)).await
}
