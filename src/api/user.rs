//! `GET /user`, `PUT /user`, `GET /reauthenticate`.

use serde::Serialize;

use super::{pkce_body, redirect_for, Channel, PkceBody};
use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::pkce::StartedFlow;
use crate::types::{JsonObject, SecretString, User};
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
#[derive(Clone, Debug, Default, Serialize)]
pub struct UserAttributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<SecretString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_password: Option<SecretString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<SecretString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<JsonObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<Channel>,
    #[serde(skip)]
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

pub(crate) async fn get_user<T: HttpTransport>(api: &Api<T>, access_token: &str) -> Result<User, AuthError> {
    api.send_json(ApiCall::new(Method::Get, "/user").bearer(access_token)).await
}

#[derive(Serialize)]
struct UpdateUserBody<'a> {
    #[serde(flatten)]
    attributes: &'a UserAttributes,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pkce: Option<PkceBody<'a>>,
}

impl UserAttributes {
    /// An email change sends a link, which PKCE protects.
    pub(crate) fn changes_email(&self) -> bool {
        self.email.is_some()
    }
}

pub(crate) async fn update_user<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    attributes: &UserAttributes,
    flow: Option<&StartedFlow>,
) -> Result<User, AuthError> {
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
