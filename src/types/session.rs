use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::{JsonValue, SecretString, User};
use crate::error::AuthError;
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};

/// A signed-in session: what the server's token endpoints return, stored as auth-js stores it.
///
/// `Debug` shows no tokens (they are [`SecretString`]s).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The JWT sent as `Authorization: Bearer` on the user's behalf.
    pub access_token: SecretString,
    /// Always `bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds, as issued.
    #[serde(deserialize_with = "seconds")]
    pub expires_in: i64,
    /// When the access token expires, in Unix seconds.
    #[serde(deserialize_with = "seconds")]
    pub expires_at: i64,
    /// The opaque token that buys the next session; single-use.
    pub refresh_token: SecretString,
    /// The signed-in user.
    pub user: User,
    /// The OAuth provider's access token, after an OAuth sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_token: Option<SecretString>,
    /// The OAuth provider's refresh token, when the provider issued one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_refresh_token: Option<SecretString>,
    /// Set when a password sign-in succeeded with a password the current policy calls weak.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weak_password: Option<WeakPassword>,
}

impl Session {
    /// Seconds left before the access token expires (negative once it has).
    pub fn seconds_left(&self, now_seconds: i64) -> i64 {
        self.expires_at - now_seconds
    }

    /// Whether the access token has expired at `now_seconds`.
    pub fn is_expired(&self, now_seconds: i64) -> bool {
        self.seconds_left(now_seconds) <= 0
    }
}

/// The server's note that a password passed but is weak under the current policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeakPassword {
    /// A sentence per reason.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub message: String,
    /// `length`, `characters` or `pwned`.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub reasons: Vec<String>,
}

/// The result of operations that may sign the user in: sign-up, sign-in, OTP verification.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthResponse {
    /// The user, when the server returned one.
    pub user: Option<User>,
    /// The new session; `None` when the server only created the user (confirmation pending).
    pub session: Option<Session>,
    /// Set when a password sign-in used a password the policy calls weak.
    pub weak_password: Option<WeakPassword>,
}

/// A token response as it comes off the wire; every field optional so a bad response is
/// reported by field name instead of by serde's position message.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct TokenResponse {
    access_token: Option<SecretString>,
    token_type: Option<String>,
    #[serde(deserialize_with = "optional_seconds")]
    expires_in: Option<i64>,
    #[serde(deserialize_with = "optional_seconds")]
    expires_at: Option<i64>,
    refresh_token: Option<SecretString>,
    user: Option<User>,
    provider_token: Option<SecretString>,
    provider_refresh_token: Option<SecretString>,
    weak_password: Option<WeakPassword>,
}

impl TokenResponse {
    /// Turns the response into a session, computing `expires_at` from `expires_in` when the
    /// server left it out (as auth-js does).
    pub(crate) fn into_session(self, now_seconds: i64) -> Result<Session, AuthError> {
        fn require<T>(value: Option<T>, field: &str) -> Result<T, AuthError> {
            value.ok_or_else(|| AuthError::invalid_token_response(format!("The token response has no {field}")))
        }
        let access_token = require(self.access_token.filter(|t| !t.is_empty()), "access_token")?;
        let refresh_token = require(self.refresh_token.filter(|t| !t.is_empty()), "refresh_token")?;
        let expires_in = require(self.expires_in, "expires_in")?;
        let user = require(self.user, "user")?;
        Ok(Session {
            access_token,
            token_type: self.token_type.unwrap_or_else(|| "bearer".to_string()),
            expires_in,
            expires_at: self.expires_at.unwrap_or(now_seconds + expires_in),
            refresh_token,
            user,
            provider_token: self.provider_token.filter(|t| !t.is_empty()),
            provider_refresh_token: self.provider_refresh_token.filter(|t| !t.is_empty()),
            weak_password: self.weak_password,
        })
    }
}

impl FromJson for Session {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "session")?;
        Ok(Session {
            access_token: fields.req("access_token")?,
            token_type: fields.req("token_type")?,
            expires_in: fields.req("expires_in")?,
            expires_at: fields.req("expires_at")?,
            refresh_token: fields.req("refresh_token")?,
            user: fields.req("user")?,
            provider_token: fields.opt("provider_token")?,
            provider_refresh_token: fields.opt("provider_refresh_token")?,
            weak_password: fields.opt("weak_password")?,
        })
    }
}

impl ToJson for Session {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("expires_at", &self.expires_at)
            .field("refresh_token", &self.refresh_token)
            .field("user", &self.user)
            .opt("provider_token", &self.provider_token)
            .opt("provider_refresh_token", &self.provider_refresh_token)
            .opt("weak_password", &self.weak_password);
        object.finish();
    }
}

impl FromJson for WeakPassword {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "weak_password")?;
        Ok(WeakPassword { message: fields.or_default("message")?, reasons: fields.or_default("reasons")? })
    }
}

impl ToJson for WeakPassword {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("message", &self.message).field("reasons", &self.reasons);
        object.finish();
    }
}

impl FromJson for TokenResponse {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "token response")?;
        Ok(TokenResponse {
            access_token: fields.opt("access_token")?,
            token_type: fields.opt("token_type")?,
            expires_in: fields.opt("expires_in")?,
            expires_at: fields.opt("expires_at")?,
            refresh_token: fields.opt("refresh_token")?,
            user: fields.opt("user")?,
            provider_token: fields.opt("provider_token")?,
            provider_refresh_token: fields.opt("provider_refresh_token")?,
            weak_password: fields.opt("weak_password")?,
        })
    }
}

/// Reads whole seconds from an integer, a float (truncated) or a digit string: stored
/// sessions written by other clients are not always strict about it.
fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(SecondsVisitor)
}

fn optional_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    struct OptionalSeconds;
    impl<'de> Visitor<'de> for OptionalSeconds {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number of seconds or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            seconds(d).map(Some)
        }
    }
    deserializer.deserialize_option(OptionalSeconds)
}

struct SecondsVisitor;

impl Visitor<'_> for SecondsVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number of seconds")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| E::custom("seconds out of range"))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<i64, E> {
        if value.is_finite() && value.abs() < 9.0e15 {
            Ok(value.trunc() as i64)
        } else {
            Err(E::custom("seconds out of range"))
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<i64, E> {
        value.trim().parse().map_err(|_| E::custom("seconds are not a number"))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn user_json() -> &'static str {
        r#"{"id":"u1","aud":"authenticated","role":"authenticated","email":"a@b.c","phone":"","app_metadata":{},"user_metadata":{},"identities":[],"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z","is_anonymous":false}"#
    }

    #[test]
    fn computes_expires_at_when_the_server_leaves_it_out() {
        let text = format!(
            r#"{{"access_token":"at","token_type":"bearer","expires_in":3600,"refresh_token":"rt","user":{}}}"#,
            user_json()
        );
        let response: TokenResponse = serde_json::from_str(&text).unwrap();
        let session = response.into_session(1_000).unwrap();
        assert_eq!(session.expires_at, 4_600);
        assert!(!session.is_expired(4_599));
        assert!(session.is_expired(4_600));
    }

    #[test]
    fn names_the_missing_field() {
        let text =
            format!(r#"{{"token_type":"bearer","expires_in":3600,"refresh_token":"rt","user":{}}}"#, user_json());
        let response: TokenResponse = serde_json::from_str(&text).unwrap();
        let error = response.into_session(0).unwrap_err();
        assert_eq!(error.kind(), crate::AuthErrorKind::InvalidTokenResponse);
        assert!(error.message().contains("access_token"), "{}", error.message());
    }

    #[test]
    fn debug_output_has_no_tokens() {
        let text = format!(
            r#"{{"access_token":"eyJ.secret-access","token_type":"bearer","expires_in":3600,"expires_at":99,"refresh_token":"secret-refresh","provider_token":"secret-provider","user":{}}}"#,
            user_json()
        );
        let session: Session = serde_json::from_str(&text).unwrap();
        let printed = format!("{session:?}");
        assert!(!printed.contains("secret"), "{printed}");
    }

    #[test]
    fn lenient_about_how_seconds_are_written() {
        for expires in ["3600", "3600.7", "\"3600\""] {
            let text = format!(
                r#"{{"access_token":"a","token_type":"bearer","expires_in":{expires},"expires_at":{expires},"refresh_token":"r","user":{}}}"#,
                user_json()
            );
            let session: Session = serde_json::from_str(&text).unwrap();
            assert_eq!(session.expires_in, 3600, "{expires}");
        }
    }
}
