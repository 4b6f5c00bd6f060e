use serde::{Deserialize, Deserializer, Serialize};

use super::{JsonObject, JsonValue, Timestamp};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};

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

impl FromJson for User {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "user")?;
        Ok(User {
            id: fields.req("id")?,
            aud: fields.or_default("aud")?,
            role: fields.or_default("role")?,
            email: fields.or_default("email")?,
            email_confirmed_at: fields.opt("email_confirmed_at")?,
            invited_at: fields.opt("invited_at")?,
            phone: fields.or_default("phone")?,
            phone_confirmed_at: fields.opt("phone_confirmed_at")?,
            confirmation_sent_at: fields.opt("confirmation_sent_at")?,
            confirmed_at: fields.opt("confirmed_at")?,
            recovery_sent_at: fields.opt("recovery_sent_at")?,
            new_email: fields.opt("new_email")?,
            email_change_sent_at: fields.opt("email_change_sent_at")?,
            new_phone: fields.opt("new_phone")?,
            phone_change_sent_at: fields.opt("phone_change_sent_at")?,
            reauthentication_sent_at: fields.opt("reauthentication_sent_at")?,
            last_sign_in_at: fields.opt("last_sign_in_at")?,
            app_metadata: fields.or_default("app_metadata")?,
            user_metadata: fields.or_default("user_metadata")?,
            factors: fields.opt("factors")?,
            identities: fields.opt("identities")?,
            created_at: fields.opt("created_at")?,
            updated_at: fields.opt("updated_at")?,
            banned_until: fields.opt("banned_until")?,
            deleted_at: fields.opt("deleted_at")?,
            is_anonymous: fields.or_default("is_anonymous")?,
        })
    }
}

impl ToJson for User {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("id", &self.id);
        object.field("aud", &self.aud);
        object.field("role", &self.role);
        object.field("email", &self.email);
        object.opt("email_confirmed_at", &self.email_confirmed_at);
        object.opt("invited_at", &self.invited_at);
        object.field("phone", &self.phone);
        object.opt("phone_confirmed_at", &self.phone_confirmed_at);
        object.opt("confirmation_sent_at", &self.confirmation_sent_at);
        object.opt("confirmed_at", &self.confirmed_at);
        object.opt("recovery_sent_at", &self.recovery_sent_at);
        object.opt("new_email", &self.new_email);
        object.opt("email_change_sent_at", &self.email_change_sent_at);
        object.opt("new_phone", &self.new_phone);
        object.opt("phone_change_sent_at", &self.phone_change_sent_at);
        object.opt("reauthentication_sent_at", &self.reauthentication_sent_at);
        object.opt("last_sign_in_at", &self.last_sign_in_at);
        object.field("app_metadata", &self.app_metadata);
        object.field("user_metadata", &self.user_metadata);
        object.opt("factors", &self.factors);
        object.field("identities", &self.identities);
        object.opt("created_at", &self.created_at);
        object.opt("updated_at", &self.updated_at);
        object.opt("banned_until", &self.banned_until);
        object.opt("deleted_at", &self.deleted_at);
        object.field("is_anonymous", &self.is_anonymous);
        object.finish();
    }
}

impl FromJson for Identity {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "identity")?;
        Ok(Identity {
            identity_id: fields.or_default("identity_id")?,
            id: fields.req("id")?,
            user_id: fields.or_default("user_id")?,
            identity_data: fields.opt("identity_data")?,
            provider: fields.or_default("provider")?,
            last_sign_in_at: fields.opt("last_sign_in_at")?,
            created_at: fields.opt("created_at")?,
            updated_at: fields.opt("updated_at")?,
            email: fields.opt("email")?,
        })
    }
}

impl ToJson for Identity {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("identity_id", &self.identity_id);
        object.field("id", &self.id);
        object.field("user_id", &self.user_id);
        object.opt("identity_data", &self.identity_data);
        object.field("provider", &self.provider);
        object.opt("last_sign_in_at", &self.last_sign_in_at);
        object.opt("created_at", &self.created_at);
        object.opt("updated_at", &self.updated_at);
        object.opt("email", &self.email);
        object.finish();
    }
}

impl FromJson for Factor {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "factor")?;
        Ok(Factor {
            id: fields.req("id")?,
            friendly_name: fields.opt("friendly_name")?,
            factor_type: fields.or_default("factor_type")?,
            status: fields.or_default("status")?,
            phone: fields.or_default("phone")?,
            last_challenged_at: fields.opt("last_challenged_at")?,
            created_at: fields.opt("created_at")?,
            updated_at: fields.opt("updated_at")?,
        })
    }
}

impl ToJson for Factor {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("id", &self.id);
        object.opt("friendly_name", &self.friendly_name);
        object.field("factor_type", &self.factor_type);
        object.field("status", &self.status);
        object.field("phone", &self.phone);
        object.field("last_challenged_at", &self.last_challenged_at);
        object.opt("created_at", &self.created_at);
        object.opt("updated_at", &self.updated_at);
        object.finish();
    }
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
