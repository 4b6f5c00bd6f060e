//! Where the session lives between page loads: a small async key-value trait (so custom
//! async storages fit), an in-memory implementation, and the auth-js storage format.

use std::cell::RefCell;

use crate::error::AuthError;
use crate::json::ToJson;
use crate::types::{JsonValue, Session, SessionUser, User};

/// The storage key auth-js uses by default.
pub const DEFAULT_STORAGE_KEY: &str = "supabase.auth.token";

/// A string key-value store such as `localStorage`.
#[allow(async_fn_in_trait)]
pub trait Storage {
    /// The value under `key`, if any.
    async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError>;
    /// Stores `value` under `key`.
    async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError>;
    /// Removes `key`; removing a missing key is not an error.
    async fn remove_item(&self, key: &str) -> Result<(), AuthError>;
}

/// Storage that lives as long as the client: for tests, servers, and `persist_session: false`.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    items: RefCell<Vec<(String, String)>>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStorage::default()
    }
}

impl Storage for MemoryStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError> {
        Ok(self.items.borrow().iter().find(|(name, _)| name == key).map(|(_, value)| value.clone()))
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError> {
        let mut items = self.items.borrow_mut();
        match items.iter_mut().find(|(name, _)| name == key) {
            Some((_, slot)) => *slot = value.to_string(),
            None => items.push((key.to_string(), value.to_string())),
        }
        Ok(())
    }

    async fn remove_item(&self, key: &str) -> Result<(), AuthError> {
        self.items.borrow_mut().retain(|(name, _)| name != key);
        Ok(())
    }
}

impl<S: Storage> Storage for &S {
    async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError> {
        (**self).get_item(key).await
    }
    async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError> {
        (**self).set_item(key, value).await
    }
    async fn remove_item(&self, key: &str) -> Result<(), AuthError> {
        (**self).remove_item(key).await
    }
}

impl<S: Storage> Storage for std::rc::Rc<S> {
    async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError> {
        (**self).get_item(key).await
    }
    async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError> {
        (**self).set_item(key, value).await
    }
    async fn remove_item(&self, key: &str) -> Result<(), AuthError> {
        (**self).remove_item(key).await
    }
}

/// What reading the stored session found.
#[derive(Debug)]
pub(crate) enum StoredSession<U = User> {
    /// Nothing stored.
    Absent,
    /// A valid session.
    Valid(Box<Session<U>>),
    /// Something is stored that is not a session auth-js would accept (no access_token,
    /// refresh_token or expires_at, or not JSON): it may be removed.
    NotASession,
    /// A session by auth-js's rule that this crate could not read in full. It is left in
    /// place so that no user is signed out by a parsing gap.
    Unreadable(AuthError),
}

/// The minimum auth-js requires of a stored value to call it a session: an object with
/// non-null `access_token`, `refresh_token` and `expires_at`.
fn looks_like_session(value: &JsonValue) -> bool {
    let present = |key: &str| value.get(key).is_some_and(|v| !matches!(v, JsonValue::Null));
    present("access_token") && present("refresh_token") && present("expires_at")
}

/// Classifies a stored session value whose user is typed; never fails.
#[cfg(any(all(test, not(target_arch = "wasm32")), fuzzing))]
pub(crate) fn read_session(value: Option<&str>) -> StoredSession {
    read_session_as(value)
}

/// Classifies a stored session value, reading its user as a `U`; never fails.
pub(crate) fn read_session_as<U: SessionUser>(value: Option<&str>) -> StoredSession<U> {
    let Some(text) = value else {
        return StoredSession::Absent;
    };
    let Ok(value) = crate::json::parse(text) else {
        return StoredSession::NotASession;
    };
    if !looks_like_session(&value) {
        return StoredSession::NotASession;
    }
    match Session::read_json(&value) {
        Ok(session) => StoredSession::Valid(Box::new(session)),
        Err(error) => StoredSession::Unreadable(error.into()),
    }
}

/// The session as stored: the JSON of the whole token response, as auth-js writes it.
pub(crate) fn write_session<U: ToJson>(session: &Session<U>) -> String {
    session.to_json_string()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const USER: &str = r#"{"id":"u1","aud":"authenticated","role":"authenticated","email":"a@b.c","phone":"","app_metadata":{"provider":"email","providers":["email"]},"user_metadata":{},"identities":[],"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z","is_anonymous":false}"#;

    #[test]
    fn reads_what_auth_js_stores() {
        // The shape auth-js 2.x writes under `supabase.auth.token`.
        let stored = format!(
            r#"{{"access_token":"at","token_type":"bearer","expires_in":3600,"expires_at":1714558830,"refresh_token":"abcdefghijkl","user":{USER}}}"#
        );
        let StoredSession::Valid(session) = read_session(Some(&stored)) else { panic!("not valid") };
        assert_eq!(session.expires_at, 1_714_558_830);
        assert_eq!(session.refresh_token.expose(), "abcdefghijkl");
        let written = write_session(&session);
        assert_eq!(crate::json::parse(&written).unwrap(), crate::json::parse(&stored).unwrap());
        // The same judged by serde_json, which shares none of our code.
        let written: serde_json::Value = serde_json::from_str(&written).unwrap();
        let original: serde_json::Value = serde_json::from_str(&stored).unwrap();
        assert_eq!(written, original);
    }

    #[test]
    fn an_unreadable_session_names_the_field_and_no_token() {
        let text = r#"{"access_token":"secret-at","refresh_token":"secret-rt","expires_at":1,"expires_in":1,"token_type":"bearer","user":{"id":5}}"#;
        let StoredSession::Unreadable(error) = read_session(Some(text)) else { panic!("not unreadable") };
        assert!(error.message().contains("`id`"), "{}", error.message());
        assert!(!error.message().contains("secret"), "{}", error.message());
        // Null provider tokens and a string expiry, as other clients store them, are fine.
        let stored = format!(
            r#"{{"access_token":"at","token_type":"bearer","expires_in":"3600","expires_at":1714558830.25,"refresh_token":"rt","provider_token":null,"provider_refresh_token":null,"user":{USER}}}"#
        );
        let StoredSession::Valid(session) = read_session(Some(&stored)) else { panic!("not valid") };
        assert_eq!((session.expires_in, session.expires_at), (3600, 1_714_558_830));
        assert!(session.provider_token.is_none());
    }

    #[test]
    fn tells_garbage_from_sessions_it_cannot_read() {
        assert!(matches!(read_session(None), StoredSession::Absent));
        assert!(matches!(read_session(Some("not json")), StoredSession::NotASession));
        assert!(matches!(read_session(Some("null")), StoredSession::NotASession));
        assert!(matches!(
            read_session(Some(r#"{"access_token":"a","refresh_token":"r"}"#)),
            StoredSession::NotASession
        ));
        assert!(matches!(
            read_session(Some(r#"{"access_token":"a","refresh_token":"r","expires_at":null}"#)),
            StoredSession::NotASession
        ));
        // auth-js would call this a session; the user is unreadable here, so it is kept.
        let odd =
            r#"{"access_token":"a","refresh_token":"r","expires_at":1,"expires_in":1,"token_type":"bearer","user":42}"#;
        assert!(matches!(read_session(Some(odd)), StoredSession::Unreadable(_)));
    }

    #[test]
    fn memory_storage_sets_replaces_and_removes() {
        use crate::test_support::block_on;
        let storage = MemoryStorage::new();
        block_on(async {
            assert_eq!(storage.get_item("a").await.unwrap(), None);
            storage.set_item("a", "1").await.unwrap();
            storage.set_item("b", "2").await.unwrap();
            storage.set_item("a", "3").await.unwrap();
            assert_eq!(storage.get_item("a").await.unwrap().as_deref(), Some("3"));
            assert_eq!(storage.get_item("b").await.unwrap().as_deref(), Some("2"));
            storage.remove_item("a").await.unwrap();
            storage.remove_item("missing").await.unwrap();
            assert_eq!(storage.get_item("a").await.unwrap(), None);
            assert_eq!(storage.get_item("b").await.unwrap().as_deref(), Some("2"));
        });
        assert_eq!(storage.items.borrow().len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn reading_never_panics(text in "\\PC*") {
            let _ = read_session(Some(&text));
        }
    }
}
