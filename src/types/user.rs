use super::{JsonObject, JsonValue, Timestamp};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};

/// A user as the server returns it (`GET /user`, sign-up, sessions).
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    /// The user's UUID.
    pub id: String,
    /// The audience the user belongs to, usually `authenticated`.
    pub aud: String,
    /// The user's role, usually `authenticated`.
    pub role: String,
    /// The email address; empty when the user has none.
    pub email: String,
    /// When the email was confirmed.
    pub email_confirmed_at: Option<Timestamp>,
    /// When the user was invited.
    pub invited_at: Option<Timestamp>,
    /// The phone number, digits only without `+`; empty when the user has none.
    pub phone: String,
    /// When the phone was confirmed.
    pub phone_confirmed_at: Option<Timestamp>,
    /// When the last confirmation message was sent.
    pub confirmation_sent_at: Option<Timestamp>,
    /// The earliest of the email and phone confirmations.
    pub confirmed_at: Option<Timestamp>,
    /// When the last recovery message was sent.
    pub recovery_sent_at: Option<Timestamp>,
    /// A pending new email address awaiting confirmation.
    pub new_email: Option<String>,
    /// When the email change was requested.
    pub email_change_sent_at: Option<Timestamp>,
    /// A pending new phone number awaiting confirmation.
    pub new_phone: Option<String>,
    /// When the phone change was requested.
    pub phone_change_sent_at: Option<Timestamp>,
    /// When the last reauthentication nonce was sent.
    pub reauthentication_sent_at: Option<Timestamp>,
    /// When the user last signed in.
    pub last_sign_in_at: Option<Timestamp>,
    /// Server-controlled metadata (`provider`, `providers`, …).
    pub app_metadata: JsonObject,
    /// Metadata the user may change.
    pub user_metadata: JsonObject,
    /// Enrolled MFA factors; absent when there are none.
    pub factors: Option<Vec<Factor>>,
    /// Linked identities; `None` in admin user lists, which do not load them.
    pub identities: Option<Vec<Identity>>,
    /// When the user was created.
    pub created_at: Option<Timestamp>,
    /// When the user was last updated.
    pub updated_at: Option<Timestamp>,
    /// Until when the user is banned.
    pub banned_until: Option<Timestamp>,
    /// When the user was soft-deleted.
    pub deleted_at: Option<Timestamp>,
    /// Whether the user signed in anonymously and has not linked an email or phone yet.
    pub is_anonymous: bool,
    /// Whether the user signs in through SSO (SAML); absent when the server does not say.
    pub is_sso_user: Option<bool>,
    /// A link the server put on the user object (auth-js declares it); absent as a rule.
    pub action_link: Option<String>,
}

/// One way a user can sign in (email, phone, an OAuth provider, …).
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    /// The row id; this is the id `unlink_identity` takes.
    pub identity_id: String,
    /// The provider's subject for this user (not necessarily a UUID).
    pub id: String,
    /// The user's UUID.
    pub user_id: String,
    /// What the provider said about the user.
    pub identity_data: Option<JsonObject>,
    /// `email`, `phone`, `google`, …
    pub provider: String,
    /// When this identity was last used to sign in.
    pub last_sign_in_at: Option<Timestamp>,
    /// When the identity was linked.
    pub created_at: Option<Timestamp>,
    /// When the identity last changed.
    pub updated_at: Option<Timestamp>,
    /// The identity's email, lower-cased.
    pub email: Option<String>,
}

/// An MFA factor.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    /// The factor's UUID.
    pub id: String,
    /// A name the user chose.
    pub friendly_name: Option<String>,
    /// `totp`, `phone` or `webauthn`.
    pub factor_type: String,
    /// `verified` or `unverified`.
    pub status: String,
    /// The phone number of a phone factor; empty otherwise.
    pub phone: String,
    /// When the factor was last challenged (`null` when never).
    pub last_challenged_at: Option<Timestamp>,
    /// When the factor was enrolled.
    pub created_at: Option<Timestamp>,
    /// When the factor last changed.
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
            is_sso_user: fields.opt("is_sso_user")?,
            action_link: fields.opt("action_link")?,
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
        object.opt("is_sso_user", &self.is_sso_user);
        object.opt("action_link", &self.action_link);
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

    fn read(text: &str) -> Result<User, JsonError> {
        crate::json::from_str(text)
    }

    #[test]
    fn reads_a_server_user_and_writes_it_back_unchanged() {
        let user = read(SERVER_USER).unwrap();
        assert_eq!(user.email, "ada@example.com");
        assert_eq!(user.identities.as_ref().map(Vec::len), Some(1));
        assert_eq!(user.email_confirmed_at.as_ref().map(Timestamp::unix_seconds), Some(1_714_558_830));
        let back = user.to_json_string();
        assert_eq!(crate::json::parse(&back).unwrap(), crate::json::parse(SERVER_USER).unwrap());
        // serde_json, which shares no code with ours, sees the same object.
        let theirs: serde_json::Value = serde_json::from_str(&back).unwrap();
        assert_eq!(theirs, serde_json::from_str::<serde_json::Value>(SERVER_USER).unwrap());
        assert_eq!(read(&back), Ok(user));
    }

    #[test]
    fn tolerates_nulls_the_server_sometimes_sends() {
        let user = read(
            r#"{"id":"u1","aud":null,"role":null,"email":null,"phone":null,"user_metadata":null,"app_metadata":{},"identities":null,"factors":null,"new_email":null,"is_anonymous":null,"created_at":null}"#,
        )
        .unwrap();
        assert_eq!(user.email, "");
        assert_eq!(user.aud, "");
        assert!(user.user_metadata.is_empty());
        assert!(user.identities.is_none());
        assert!(user.factors.is_none());
        assert!(user.new_email.is_none());
        assert!(user.created_at.is_none());
        assert!(!user.is_anonymous);
    }

    #[test]
    fn missing_optional_fields_take_their_defaults() {
        let user = read(r#"{"id":"u1"}"#).unwrap();
        assert_eq!((user.email.as_str(), user.phone.as_str(), user.role.as_str()), ("", "", ""));
        assert!(user.app_metadata.is_empty() && user.identities.is_none() && user.factors.is_none());
        // Written back: no absent timestamp appears, and `identities` is null as serde wrote it.
        let back = crate::json::parse(&user.to_json_string()).unwrap();
        assert_eq!(back.get("identities"), Some(&JsonValue::Null));
        assert_eq!(back.get("created_at"), None);
        assert_eq!(back.get("factors"), None);
    }

    #[test]
    fn a_bad_timestamp_is_an_error_not_a_panic() {
        assert_eq!(read(r#"{"id":"u1","created_at":"yesterday"}"#), Err(JsonError::field("created_at")));
    }

    #[test]
    fn wrong_types_name_the_field() {
        assert_eq!(read(r#"{"aud":"authenticated"}"#), Err(JsonError::field("id")));
        assert_eq!(read(r#"{"id":null}"#), Err(JsonError::field("id")));
        assert_eq!(read(r#"{"id":7}"#), Err(JsonError::field("id")));
        assert_eq!(read(r#"{"id":"u1","email":42}"#), Err(JsonError::field("email")));
        assert_eq!(read(r#"{"id":"u1","user_metadata":[]}"#), Err(JsonError::field("user_metadata")));
        assert_eq!(read(r#"{"id":"u1","is_anonymous":"no"}"#), Err(JsonError::field("is_anonymous")));
        // Inside a nested identity, the identity's own field is named.
        assert_eq!(read(r#"{"id":"u1","identities":[{"provider":"email"}]}"#), Err(JsonError::field("id")));
        assert_eq!(read(r#"{"id":"u1","identities":[{"id":"i","provider":1}]}"#), Err(JsonError::field("provider")));
        assert_eq!(read(r#"{"id":"u1","identities":{}}"#), Err(JsonError::field("identities")));
        assert_eq!(read(r#"["u1"]"#), Err(JsonError::field("user")));
        assert_eq!(read("{"), Err(JsonError::SYNTAX));
    }

    #[test]
    fn factors_write_a_null_last_challenged_at() {
        let factor: Factor =
            crate::json::from_str(r#"{"id":"f1","factor_type":"totp","status":"verified","friendly_name":null}"#)
                .unwrap();
        assert_eq!(factor.phone, "");
        assert_eq!(
            factor.to_json_string(),
            r#"{"id":"f1","factor_type":"totp","status":"verified","phone":"","last_challenged_at":null}"#
        );
    }
}
