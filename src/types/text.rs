//! Reading the data model back from JSON text, with no feature needed: a session or user
//! written with [`ToJson::to_json_string`](crate::ToJson::to_json_string) (or stored by
//! auth-js) reads back with [`FromJson::from_json_str`](crate::FromJson::from_json_str) or
//! `str::parse`.

use std::str::FromStr;

use super::{AuthResponse, Factor, Identity, JsonObject, JsonValue, Session, User};
use crate::json::{Fields, FromJson, JsonError};

macro_rules! from_str_through_json {
    ($($ty:ty),*) => {$(
        /// Reads the JSON text of the wire and storage format.
        impl FromStr for $ty {
            type Err = JsonError;

            fn from_str(text: &str) -> Result<Self, JsonError> {
                <$ty as FromJson>::from_json_str(text)
            }
        }
    )*};
}

from_str_through_json!(Session, User, Identity, Factor, AuthResponse, JsonValue, JsonObject);

/// Reads what [`AuthResponse`]'s `ToJson` writes: `{ user, session, weakPassword }`.
impl FromJson for AuthResponse {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "auth response")?;
        Ok(AuthResponse {
            user: fields.opt("user")?,
            session: fields.opt("session")?,
            weak_password: fields.opt("weakPassword")?,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::ToJson;

    /// What auth-js 2.119.1 stored after a sign-up against the test server (member order,
    /// numbers and nested metadata as auth-js wrote them).
    const AUTH_JS_STORED: &str = include_str!("../../tests/fixtures/auth-js-stored-session.json");

    #[test]
    fn a_stored_session_reads_back_from_text() {
        let session: Session = AUTH_JS_STORED.parse().unwrap();
        assert_eq!(session.expires_at, 1_796_647_212);
        assert!(session.user.email.starts_with("ada-"));
        assert_eq!(Session::from_json_str(AUTH_JS_STORED).unwrap(), session);
        let written: serde_json::Value = serde_json::from_str(&session.to_json_string()).unwrap();
        assert_eq!(written, serde_json::from_str::<serde_json::Value>(AUTH_JS_STORED).unwrap());
        // Bad input is a typed error naming the field, never a panic.
        let error = "{\"access_token\":5}".parse::<Session>().unwrap_err();
        assert_eq!(error.field_name(), Some("access_token"));
        assert!("not json".parse::<User>().is_err());
    }

    #[test]
    fn an_auth_response_reads_back_what_it_writes() {
        let session: Session = AUTH_JS_STORED.parse().unwrap();
        let response = AuthResponse { user: Some(session.user.clone()), session: Some(session), weak_password: None };
        assert_eq!(response.to_json_string().parse::<AuthResponse>().unwrap(), response);
        let empty: AuthResponse = r#"{"user":null,"session":null}"#.parse().unwrap();
        assert_eq!(empty, AuthResponse { user: None, session: None, weak_password: None });
    }
}
