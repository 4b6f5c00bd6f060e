//! `GET /user`, `PUT /user`, `GET /reauthenticate`.

use super::{pkce_body, redirect_for, write_body, write_pkce, BodyFields, Channel, PkceBody};
use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{FromJson, ObjectWriter, ToJson};
use crate::pkce::StartedFlow;
use crate::types::{JsonObject, SecretString};
use crate::AuthError;

/// What to change about the signed-in user. Unset fields are left alone.
///
/// ```
/// use gotrue_wasm::{JsonObject, JsonValue, UserAttributes};
/// let mut data = JsonObject::new();
/// data.insert("theme".into(), "dark".into());
/// data.insert("old_key".into(), JsonValue::Null); // null deletes the key
/// let attributes = UserAttributes::new().data(data).password("a much better password");
/// ```
#[derive(Clone, Debug, Default)]
pub struct UserAttributes {
    email: Option<String>,
    phone: Option<String>,
    password: Option<SecretString>,
    current_password: Option<SecretString>,
    nonce: Option<SecretString>,
    data: Option<JsonObject>,
    channel: Option<Channel>,
    email_redirect_to: Option<String>,
}

impl UserAttributes {
    /// Changes nothing yet.
    pub fn new() -> Self {
        UserAttributes::default()
    }

    /// A new email address (confirmed by email before it applies).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// A new phone number (confirmed by OTP before it applies).
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// A new password.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(SecretString::new(password));
        self
    }

    /// The current password, where the server requires it to change the password.
    pub fn current_password(mut self, password: impl Into<String>) -> Self {
        self.current_password = Some(SecretString::new(password));
        self
    }

    /// The nonce from [`crate::GoTrueClient::reauthenticate`].
    pub fn nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(SecretString::new(nonce));
        self
    }

    /// Keys merged into `user_metadata` (a `null` value deletes the key).
    pub fn data(mut self, data: JsonObject) -> Self {
        self.data = Some(data);
        self
    }

    /// How a phone change's code is sent.
    pub fn channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }

    /// Where the email-change confirmation link leads.
    pub fn email_redirect_to(mut self, url: impl Into<String>) -> Self {
        self.email_redirect_to = Some(url.into());
        self
    }
}

pub(crate) async fn get_user<T: HttpTransport, U: FromJson>(api: &Api<T>, access_token: &str) -> Result<U, AuthError> {
    api.send_json(ApiCall::new(Method::Get, "/user").bearer(access_token)).await
}

impl BodyFields for UserAttributes {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object
            .opt("email", &self.email)
            .opt("phone", &self.phone)
            .opt("password", &self.password)
            .opt("current_password", &self.current_password)
            .opt("nonce", &self.nonce)
            .opt("data", &self.data)
            .opt("channel", &self.channel);
    }
}

/// The fields that are set, as `PUT /user` takes them.
impl ToJson for UserAttributes {
    fn write_json(&self, out: &mut String) {
        write_body(self, out);
    }
}

struct UpdateUserBody<'a> {
    attributes: &'a UserAttributes,
    pkce: Option<PkceBody<'a>>,
}

impl ToJson for UpdateUserBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        self.attributes.write_fields(&mut object);
        write_pkce(&mut object, &self.pkce);
        object.finish();
    }
}

impl UserAttributes {
    /// An email change sends a link, which PKCE protects.
    pub(crate) fn changes_email(&self) -> bool {
        self.email.is_some()
    }
}

pub(crate) async fn update_user<T: HttpTransport, U: FromJson>(
    api: &Api<T>,
    access_token: &str,
    attributes: &UserAttributes,
    flow: Option<&StartedFlow>,
) -> Result<U, AuthError> {
    let redirect = redirect_for(attributes.email_redirect_to.as_deref(), flow);
    api.send_json(
        ApiCall::new(Method::Put, "/user")
            .query_opt("redirect_to", redirect.as_deref())
            .bearer(access_token)
            .json(&UpdateUserBody { attributes, pkce: pkce_body(flow) }),
    )
    .await
}

pub(crate) async fn reauthenticate<T: HttpTransport>(api: &Api<T>, access_token: &str) -> Result<(), AuthError> {
    api.send_empty(ApiCall::new(Method::Get, "/reauthenticate").bearer(access_token)).await
}
