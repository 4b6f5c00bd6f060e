use super::{JsonValue, SecretString, SessionUser, User};
use crate::error::AuthError;
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};

/// A signed-in session: what the server's token endpoints return, stored as auth-js stores it.
///
/// `U` is how the session carries its user: the typed [`User`] by default, or
/// [`UserJson`](super::UserJson), the server's JSON object as it came (see [`SessionUser`]).
///
/// `Debug` shows no tokens (they are [`SecretString`]s).
#[derive(Clone, Debug, PartialEq)]
pub struct Session<U = User> {
    /// The JWT sent as `Authorization: Bearer` on the user's behalf.
    pub access_token: SecretString,
    /// Always `bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds, as issued.
    pub expires_in: i64,
    /// When the access token expires, in Unix seconds.
    pub expires_at: i64,
    /// The opaque token that buys the next session; single-use.
    pub refresh_token: SecretString,
    /// The signed-in user.
    pub user: U,
    /// The OAuth provider's access token, after an OAuth sign-in.
    pub provider_token: Option<SecretString>,
    /// The OAuth provider's refresh token, when the provider issued one.
    pub provider_refresh_token: Option<SecretString>,
    /// Set when a password sign-in succeeded with a password the current policy calls weak.
    pub weak_password: Option<WeakPassword>,
}

impl<U> Session<U> {
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeakPassword {
    /// A sentence per reason.
    pub message: String,
    /// `length`, `characters` or `pwned`.
    pub reasons: Vec<String>,
}

/// The result of operations that may sign the user in: sign-up, sign-in, OTP verification.
/// `U` is the user's representation, as in [`Session`].
#[derive(Clone, Debug, PartialEq)]
pub struct AuthResponse<U = User> {
    /// The user, when the server returned one.
    pub user: Option<U>,
    /// The new session; `None` when the server only created the user (confirmation pending).
    pub session: Option<Session<U>>,
    /// Set when a password sign-in used a password the policy calls weak.
    pub weak_password: Option<WeakPassword>,
}

/// A token response as it comes off the wire; every field optional so a bad response is
/// reported by field name (`into_session`) rather than as a parse error. The user stays the
/// server's JSON here (an object, checked): `into_session` reads it as the client's user type,
/// so the request layer needs no type parameter.
#[derive(Default)]
pub(crate) struct TokenResponse {
    access_token: Option<SecretString>,
    token_type: Option<String>,
    expires_in: Option<i64>,
    expires_at: Option<i64>,
    refresh_token: Option<SecretString>,
    user: Option<JsonValue>,
    provider_token: Option<SecretString>,
    provider_refresh_token: Option<SecretString>,
    weak_password: Option<WeakPassword>,
}

impl TokenResponse {
    /// Turns the response into a session, computing `expires_at` from `expires_in` when the
    /// server left it out (as auth-js does).
    pub(crate) fn into_session<U: SessionUser>(self, now_seconds: i64) -> Result<Session<U>, AuthError> {
        // Not generic over the field's type: one function, not one per type.
        fn missing(field: &str) -> AuthError {
            AuthError::invalid_token_response(crate::text::concat(&["The token response has no ", field]))
        }
        let access_token = self.access_token.filter(|t| !t.is_empty()).ok_or_else(|| missing("access_token"))?;
        let refresh_token = self.refresh_token.filter(|t| !t.is_empty()).ok_or_else(|| missing("refresh_token"))?;
        let expires_in = self.expires_in.ok_or_else(|| missing("expires_in"))?;
        let user = U::from_json(&self.user.ok_or_else(|| missing("user"))?).map_err(|error| rename(error, "user"))?;
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

impl<U: SessionUser> Session<U> {
    /// Reads a session whose user is a `U` ([`FromJson`] reads one whose user is a [`User`]).
    ///
    /// ```
    /// use gotrue_wasm::{JsonValue, Session, UserJson, FromJson};
    /// let value = JsonValue::from_json_str(
    ///     r#"{"access_token":"at","token_type":"bearer","expires_in":3600,"expires_at":1714558830,"refresh_token":"rt","user":{"id":"u1"}}"#,
    /// )?;
    /// let session = Session::<UserJson>::read_json(&value)?;
    /// assert_eq!(session.user.id(), "u1");
    /// # Ok::<(), gotrue_wasm::JsonError>(())
    /// ```
    pub fn read_json(value: &JsonValue) -> Result<Self, JsonError> {
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

    /// As [`Self::read_json`], from JSON text.
    pub fn read_json_str(text: &str) -> Result<Self, JsonError> {
        Self::read_json(&crate::json::parse(text)?)
    }
}

/// One implementation only, for the typed user: `Session::from_json(…)` needs no annotation.
impl FromJson for Session {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        Session::read_json(value)
    }
}

impl<U: ToJson> ToJson for Session<U> {
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

/// `{ user, session }` (each `null` when absent), plus `weakPassword` when the server flagged
/// the password: the `data` of auth-js's sign-in answers.
impl<U: ToJson> ToJson for AuthResponse<U> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("user", &self.user).field("session", &self.session).opt("weakPassword", &self.weak_password);
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
            user: fields.opt::<crate::JsonObject>("user")?.map(JsonValue::Object),
            provider_token: fields.opt("provider_token")?,
            provider_refresh_token: fields.opt("provider_refresh_token")?,
            weak_password: fields.opt("weak_password")?,
        })
    }
}

/// A user's own field errors keep their name; anything else is the `user` field's.
fn rename(error: JsonError, key: &'static str) -> JsonError {
    if error.field_name().is_some() {
        error
    } else {
        JsonError::field(key)
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
        let response: TokenResponse = crate::json::from_str(&text).unwrap();
        let session = response.into_session::<User>(1_000).unwrap();
        assert_eq!(session.expires_at, 4_600);
        assert!(!session.is_expired(4_599));
        assert!(session.is_expired(4_600));
    }

    #[test]
    fn names_the_missing_field() {
        let text =
            format!(r#"{{"token_type":"bearer","expires_in":3600,"refresh_token":"rt","user":{}}}"#, user_json());
        let response: TokenResponse = crate::json::from_str(&text).unwrap();
        let error = response.into_session::<User>(0).unwrap_err();
        assert_eq!(error.kind(), crate::AuthErrorKind::InvalidTokenResponse);
        assert!(error.message().contains("access_token"), "{}", error.message());
    }

    #[test]
    fn debug_output_has_no_tokens() {
        let text = format!(
            r#"{{"access_token":"eyJ.secret-access","token_type":"bearer","expires_in":3600,"expires_at":99,"refresh_token":"secret-refresh","provider_token":"secret-provider","user":{}}}"#,
            user_json()
        );
        let session: Session = crate::json::from_str(&text).unwrap();
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
            let session: Session = crate::json::from_str(&text).unwrap();
            assert_eq!(session.expires_in, 3600, "{expires}");
        }
    }

    fn session_text(extra: &str) -> String {
        format!(
            r#"{{"access_token":"at","token_type":"bearer","expires_in":3600,"expires_at":4600,"refresh_token":"rt",{extra}"user":{}}}"#,
            user_json()
        )
    }

    #[test]
    fn token_responses_tolerate_nulls() {
        let text = format!(
            r#"{{"access_token":"at","token_type":null,"expires_in":3600,"expires_at":null,"refresh_token":"rt","provider_token":null,"weak_password":null,"user":{}}}"#,
            user_json()
        );
        let response: TokenResponse = crate::json::from_str(&text).unwrap();
        let session = response.into_session::<User>(1_000).unwrap();
        assert_eq!((session.token_type.as_str(), session.expires_at), ("bearer", 4_600));
        assert!(session.provider_token.is_none() && session.weak_password.is_none());
    }

    #[test]
    fn token_responses_with_wrong_types_name_the_field() {
        let read = |text: &str| crate::json::from_str::<TokenResponse>(text).err();
        let text = format!(r#"{{"access_token":"at","expires_in":"soon","user":{}}}"#, user_json());
        assert_eq!(read(&text), Some(JsonError::field("expires_in")));
        assert_eq!(read(r#"{"access_token":"at","expires_in":3600,"user":42}"#), Some(JsonError::field("user")));
        assert_eq!(read(r#"{"access_token":7}"#), Some(JsonError::field("access_token")));
        assert_eq!(read(r#"{"weak_password":{"reasons":"length"}}"#), Some(JsonError::field("reasons")));
        assert_eq!(read("[]"), Some(JsonError::field("token response")));
        // Nothing at all is a response with nothing in it; into_session names what lacks.
        assert_eq!(read("{}"), None);
    }

    #[test]
    fn stored_sessions_with_wrong_types_name_the_field() {
        let read = |text: &str| crate::json::from_str::<Session>(text).err();
        assert_eq!(read(&session_text(r#""provider_token":5,"#)), Some(JsonError::field("provider_token")));
        let no_type = session_text("").replace(r#""token_type":"bearer","#, "");
        assert_eq!(read(&no_type), Some(JsonError::field("token_type")));
        let bool_expiry = session_text("").replace(r#""expires_at":4600"#, r#""expires_at":true"#);
        assert_eq!(read(&bool_expiry), Some(JsonError::field("expires_at")));
    }

    #[test]
    fn writes_a_session_as_serde_did() {
        let session: Session = crate::json::from_str(&session_text(
            r#""provider_token":"pt","weak_password":{"message":null,"reasons":["length"]},"#,
        ))
        .unwrap();
        assert_eq!(session.weak_password.as_ref().map(|weak| weak.message.as_str()), Some(""));
        let written = crate::json::parse(&session.to_json_string()).unwrap();
        assert_eq!(written.get("provider_token").and_then(JsonValue::as_str), Some("pt"));
        assert_eq!(written.get("provider_refresh_token"), None, "None is left out");
        assert_eq!(
            written.get("weak_password").map(ToJson::to_json_string).as_deref(),
            Some(r#"{"message":"","reasons":["length"]}"#)
        );
        assert_eq!(crate::json::from_str::<Session>(&session.to_json_string()), Ok(session));
    }

    #[test]
    fn auth_responses_are_written_in_auth_js_shape() {
        let session: Session = crate::json::from_str(&session_text("")).unwrap();
        let response = AuthResponse { user: Some(session.user.clone()), session: None, weak_password: None };
        let written = crate::json::parse(&response.to_json_string()).unwrap();
        assert_eq!(written.get("user").and_then(|user| user.get("id")).and_then(JsonValue::as_str), Some("u1"));
        assert_eq!(written.get("session"), Some(&JsonValue::Null));
        assert_eq!(written.get("weakPassword"), None);
        let weak = WeakPassword { message: "weak".into(), reasons: vec!["pwned".into()] };
        let response = AuthResponse { user: None, session: Some(session), weak_password: Some(weak) };
        let written = crate::json::parse(&response.to_json_string()).unwrap();
        assert_eq!(written.get("user"), Some(&JsonValue::Null));
        assert!(written.get("session").and_then(|session| session.get("access_token")).is_some());
        assert_eq!(
            written.get("weakPassword").and_then(|weak| weak.get("message")).and_then(JsonValue::as_str),
            Some("weak")
        );
    }
}
