//! How a session carries its user: the typed [`User`] for Rust code that reads it, or the
//! server's JSON object ([`UserJson`]) for code that only passes it on (the npm package's
//! engine: its callers read the user in JavaScript, so the typed model's readers, writers and
//! timestamps stay out of its wasm).

use super::{JsonObject, JsonValue, User};
use crate::json::{Fields, FromJson, JsonError, ToJson};

/// What the client needs of the user a [`Session`](super::Session) carries: to read it from
/// the server's JSON and write it back (stored sessions stay in auth-js's format either way),
/// and the one fact the client itself reads from it.
///
/// Implemented by [`User`] (the default everywhere) and [`UserJson`]. A client made with
/// [`GoTrueClient::with_user_type`](crate::GoTrueClient::with_user_type) keeps its sessions'
/// users, and answers its user-returning methods, in that type.
pub trait SessionUser: FromJson + ToJson + Clone + PartialEq + std::fmt::Debug + 'static {
    /// Whether the user has a verified MFA factor (then `aal2` is the next assurance level).
    fn has_verified_factor(&self) -> bool;
}

impl SessionUser for User {
    fn has_verified_factor(&self) -> bool {
        self.factors.iter().flatten().any(|factor| factor.status == "verified")
    }
}

/// The server's user object as it came: every member kept, in the server's order, none
/// interpreted except the `id` it must have. Written back, it is the same JSON.
///
/// For sessions whose user is passed on rather than read (to JavaScript, to a template, to
/// another service); [`UserJson::to_user`] reads it as a [`User`] when needed.
///
/// ```
/// use gotrue_wasm::{FromJson, Session, ToJson, UserJson};
///
/// let text = r#"{"access_token":"at","token_type":"bearer","expires_in":3600,"expires_at":1714558830,
///     "refresh_token":"rt","user":{"id":"u1","email":"ada@example.com","new_field":[1,2]}}"#;
/// let session = Session::<UserJson>::read_json_str(text)?;
/// assert_eq!(session.user.id(), "u1");
/// assert_eq!(session.user.get("new_field").map(ToJson::to_json_string).as_deref(), Some("[1,2]"));
/// assert_eq!(session.user.to_user()?.email, "ada@example.com");
/// # Ok::<(), gotrue_wasm::JsonError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct UserJson(JsonObject);

impl UserJson {
    /// The user's UUID.
    pub fn id(&self) -> &str {
        self.0.get("id").and_then(JsonValue::as_str).unwrap_or_default()
    }

    /// The member `key`, if present.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.0.get(key)
    }

    /// The whole object.
    pub fn as_object(&self) -> &JsonObject {
        &self.0
    }

    /// The whole object, taken out.
    pub fn into_object(self) -> JsonObject {
        self.0
    }

    /// The user read as a typed [`User`] (an error names a member of the wrong type).
    pub fn to_user(&self) -> Result<User, JsonError> {
        User::from_json(&JsonValue::Object(self.0.clone()))
    }
}

/// An object with a string `id`, as [`User`] requires; anything else in it is kept unread.
impl FromJson for UserJson {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        Fields::of(value, "user")?.req::<String>("id")?;
        value.as_object().cloned().map(UserJson).ok_or(JsonError::field("user"))
    }
}

impl ToJson for UserJson {
    fn write_json(&self, out: &mut String) {
        self.0.write_json(out);
    }
}

/// A verified factor is an entry of `factors` whose `status` is `verified`.
impl SessionUser for UserJson {
    fn has_verified_factor(&self) -> bool {
        let Some(JsonValue::Array(factors)) = self.0.get("factors") else { return false };
        factors.iter().any(|factor| factor.get("status").and_then(JsonValue::as_str) == Some("verified"))
    }
}

impl From<User> for UserJson {
    fn from(user: User) -> Self {
        match crate::json::parse(&user.to_json_string()) {
            Ok(JsonValue::Object(object)) => UserJson(object),
            // A user always writes an object; this arm is never taken.
            _ => UserJson(JsonObject::new()),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::Session;

    const SESSION: &str = r#"{"access_token":"at","token_type":"bearer","expires_in":3600,"expires_at":1714558830,"refresh_token":"rt","user":{"role":"authenticated","id":"u1","email":"ada@example.com","created_at":"2024-05-01T10:20:30.123456789Z","future_member":{"x":[1,2.50,"3"]},"factors":[{"id":"f1","status":"unverified"}]}}"#;

    #[test]
    fn writes_back_exactly_what_it_read() {
        let session = Session::<UserJson>::read_json_str(SESSION).unwrap();
        // Byte for byte: the server's order, its timestamp digits, its number text, the
        // members no typed field knows.
        assert_eq!(session.to_json_string(), SESSION);
        assert_eq!(session.user.id(), "u1");
        assert!(!session.user.has_verified_factor());
    }

    #[test]
    fn reads_the_same_sessions_the_typed_user_reads() {
        let typed = Session::<User>::from_json_str(SESSION).unwrap();
        let json = Session::<UserJson>::read_json_str(SESSION).unwrap();
        assert_eq!(json.user.to_user().unwrap(), typed.user);
        assert_eq!(UserJson::from(typed.user.clone()).to_user().unwrap(), typed.user);
        // Both judge a user without a string id the same way.
        for bad in [r#"{"email":"a@b.c"}"#, r#"{"id":7}"#, r#"{"id":null}"#] {
            let value = crate::json::parse(bad).unwrap();
            assert_eq!(UserJson::from_json(&value), Err(JsonError::field("id")), "{bad}");
            assert_eq!(User::from_json(&value).err(), Some(JsonError::field("id")), "{bad}");
        }
        for bad in ["42", "[]", "\"u1\""] {
            let value = crate::json::parse(bad).unwrap();
            assert_eq!(UserJson::from_json(&value), Err(JsonError::field("user")), "{bad}");
        }
    }

    #[test]
    fn a_verified_factor_is_seen_in_either_representation() {
        let text = SESSION.replace(r#""status":"unverified""#, r#""status":"verified""#);
        assert!(Session::<UserJson>::read_json_str(&text).unwrap().user.has_verified_factor());
        assert!(Session::<User>::from_json_str(&text).unwrap().user.has_verified_factor());
        let no_factors = crate::json::parse(r#"{"id":"u1","factors":null}"#).unwrap();
        assert!(!UserJson::from_json(&no_factors).unwrap().has_verified_factor());
    }
}
