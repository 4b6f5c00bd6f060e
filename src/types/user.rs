use serde::{Deserialize, Deserializer, Serialize};

use super::{JsonObject, Timestamp};

/// A `null` where the server normally sends a value reads as the default (a proxy, an older
/// server or the admin API sometimes sends `null` for `user_metadata`, `email`, …).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A user as the server returns it (`GET /user`, sign-up, sessions).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The user's UUID.
    pub id: String,
    /// The audience the user belongs to, usually `authenticated`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub aud: String,
    /// The user's role, usually `authenticated`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub role: String,
    /// The email address; empty when the user has none.
    #[serde(default, deserialize_with = "null_as_default")]
    pub email: String,
    /// When the email was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_confirmed_at: Option<Timestamp>,
    /// When the user was invited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invited_at: Option<Timestamp>,
    /// The phone number, digits only without `+`; empty when the user has none.
    #[serde(default, deserialize_with = "null_as_default")]
    pub phone: String,
    /// When the phone was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_confirmed_at: Option<Timestamp>,
    /// When the last confirmation message was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_sent_at: Option<Timestamp>,
    /// The earliest of the email and phone confirmations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<Timestamp>,
    /// When the last recovery message was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_sent_at: Option<Timestamp>,
    /// A pending new email address awaiting confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_email: Option<String>,
    /// When the email change was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_change_sent_at: Option<Timestamp>,
    /// A pending new phone number awaiting confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_phone: Option<String>,
    /// When the phone change was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_change_sent_at: Option<Timestamp>,
    /// When the last reauthentication nonce was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reauthentication_sent_at: Option<Timestamp>,
    /// When the user last signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<Timestamp>,
    /// Server-controlled metadata (`provider`, `providers`, …).
    #[serde(default, deserialize_with = "null_as_default")]
    pub app_metadata: JsonObject,
    /// Metadata the user may change.
    #[serde(default, deserialize_with = "null_as_default")]
    pub user_metadata: JsonObject,
    /// Enrolled MFA factors; absent when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factors: Option<Vec<Factor>>,
    /// Linked identities; `None` in admin user lists, which do not load them.
    #[serde(default)]
    pub identities: Option<Vec<Identity>>,
    /// When the user was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When the user was last updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// Until when the user is banned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banned_until: Option<Timestamp>,
    /// When the user was soft-deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Timestamp>,
    /// Whether the user signed in anonymously and has not linked an email or phone yet.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_anonymous: bool,
}

/// One way a user can sign in (email, phone, an OAuth provider, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// The row id; this is the id `unlink_identity` takes.
    #[serde(default, deserialize_with = "null_as_default")]
    pub identity_id: String,
    /// The provider's subject for this user (not necessarily a UUID).
    pub id: String,
    /// The user's UUID.
    #[serde(default, deserialize_with = "null_as_default")]
    pub user_id: String,
    /// What the provider said about the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_data: Option<JsonObject>,
    /// `email`, `phone`, `google`, …
    #[serde(default, deserialize_with = "null_as_default")]
    pub provider: String,
    /// When this identity was last used to sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<Timestamp>,
    /// When the identity was linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When the identity last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// The identity's email, lower-cased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// An MFA factor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// The factor's UUID.
    pub id: String,
    /// A name the user chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// `totp`, `phone` or `webauthn`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub factor_type: String,
    /// `verified` or `unverified`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: String,
    /// The phone number of a phone factor; empty otherwise.
    #[serde(default, deserialize_with = "null_as_default")]
    pub phone: String,
    /// When the factor was last challenged (`null` when never).
    #[serde(default)]
    pub last_challenged_at: Option<Timestamp>,
    /// When the factor was enrolled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When the factor last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const SERVER_USER: &str = r#"{"id":"0b4c2a5e-8a51-4f7e-9f0e-3a5c1a2b3c4d","aud":"authenticated","role":"authenticated","email":"ada@example.com","email_confirmed_at":"2024-05-01T10:20:30.123456Z","phone":"","confirmed_at":"2024-05-01T10:20:30.123456Z","last_sign_in_at":"2024-05-01T10:20:31.5Z","app_metadata":{"provider":"email","providers":["email"]},"user_metadata":{"name":"Ada"},"identities":[{"identity_id":"5a0c2a5e-8a51-4f7e-9f0e-3a5c1a2b3c4d","id":"0b4c2a5e-8a51-4f7e-9f0e-3a5c1a2b3c4d","user_id":"0b4c2a5e-8a51-4f7e-9f0e-3a5c1a2b3c4d","identity_data":{"email":"ada@example.com","sub":"0b4c2a5e-8a51-4f7e-9f0e-3a5c1a2b3c4d"},"provider":"email","created_at":"2024-05-01T10:20:30.123456Z","updated_at":"2024-05-01T10:20:30.123456Z","email":"ada@example.com"}],"created_at":"2024-05-01T10:20:30.123456Z","updated_at":"2024-05-01T10:20:30.123456Z","is_anonymous":false}"#;

    #[test]
    fn reads_a_server_user_and_writes_it_back_unchanged() {
        let user: User = serde_json::from_str(SERVER_USER).unwrap();
        assert_eq!(user.email, "ada@example.com");
        assert_eq!(user.identities.as_ref().map(Vec::len), Some(1));
        assert_eq!(user.email_confirmed_at.as_ref().map(Timestamp::unix_seconds), Some(1_714_558_830));
        let back: serde_json::Value = serde_json::to_value(&user).unwrap();
        let original: serde_json::Value = serde_json::from_str(SERVER_USER).unwrap();
        assert_eq!(back, original);
    }

    #[test]
    fn tolerates_nulls_the_server_sometimes_sends() {
        let user: User = serde_json::from_str(
            r#"{"id":"u1","email":null,"phone":null,"user_metadata":null,"app_metadata":{},"identities":null,"is_anonymous":null}"#,
        )
        .unwrap();
        assert_eq!(user.email, "");
        assert!(user.user_metadata.is_empty());
        assert!(user.identities.is_none());
    }

    #[test]
    fn a_bad_timestamp_is_an_error_not_a_panic() {
        let result: Result<User, _> = serde_json::from_str(r#"{"id":"u1","created_at":"yesterday"}"#);
        assert!(result.is_err());
    }
}
