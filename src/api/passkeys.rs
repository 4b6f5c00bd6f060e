//! Passkeys (auth-js's `passkey` and `admin.passkey` namespaces): the two-step registration and
//! sign-in ceremonies (the browser's `navigator.credentials` step happens between them) and
//! passkey management. The requests are the rows of [`super::ops`].

use super::ops;
use crate::http::{Api, HttpTransport};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};
use crate::types::{JsonValue, TokenResponse};
use crate::AuthError;

/// The options of a ceremony: what to hand `navigator.credentials.create()` / `.get()`.
#[derive(Clone, Debug, PartialEq)]
pub struct PasskeyCeremony {
    /// Names the ceremony at its verify step.
    pub challenge_id: String,
    /// `PublicKeyCredentialCreationOptions` / `…RequestOptions` in their JSON form (base64url
    /// buffers), as the server sent them.
    pub options: JsonValue,
    /// When the challenge expires (Unix seconds).
    pub expires_at: i64,
}

/// A passkey as listed (`PasskeyListItem`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passkey {
    /// Its id (not the WebAuthn credential id).
    pub id: String,
    /// The name shown to the user.
    pub friendly_name: Option<String>,
    /// When it was registered (RFC 3339).
    pub created_at: String,
    /// When it last signed in (RFC 3339).
    pub last_used_at: Option<String>,
}

impl FromJson for PasskeyCeremony {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "passkey options")?;
        Ok(PasskeyCeremony {
            challenge_id: fields.req("challenge_id")?,
            options: fields.req("options")?,
            expires_at: fields.or_default("expires_at")?,
        })
    }
}

impl ToJson for PasskeyCeremony {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("challenge_id", &self.challenge_id)
            .field("options", &self.options)
            .field("expires_at", &self.expires_at);
        object.finish();
    }
}

impl FromJson for Passkey {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "passkey")?;
        Ok(Passkey {
            id: fields.req("id")?,
            friendly_name: fields.opt("friendly_name")?,
            created_at: fields.or_default("created_at")?,
            last_used_at: fields.opt("last_used_at")?,
        })
    }
}

impl ToJson for Passkey {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("id", &self.id)
            .opt("friendly_name", &self.friendly_name)
            .field("created_at", &self.created_at)
            .opt("last_used_at", &self.last_used_at);
        object.finish();
    }
}

/// `{ challenge_id, credential }`: a verify step's body.
struct VerifyBody<'a> {
    challenge_id: &'a str,
    credential: &'a JsonValue,
}

impl ToJson for VerifyBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("challenge_id", self.challenge_id).field("credential", self.credential);
        object.finish();
    }
}

/// `{}`: the registration options take no parameters but auth-js sends an object.
struct EmptyBody;

impl ToJson for EmptyBody {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).finish();
    }
}

pub(crate) async fn start_registration<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
) -> Result<PasskeyCeremony, AuthError> {
    api.send_json(ops::PASSKEY_START_REGISTRATION.call(&[]).bearer(access_token).json(&EmptyBody)).await
}

pub(crate) async fn verify_registration<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    challenge_id: &str,
    credential: &JsonValue,
) -> Result<Passkey, AuthError> {
    let body = VerifyBody { challenge_id, credential };
    api.send_json(ops::PASSKEY_VERIFY_REGISTRATION.call(&[]).bearer(access_token).json(&body)).await
}

pub(crate) async fn start_authentication<T: HttpTransport>(
    api: &Api<T>,
    captcha_token: Option<&str>,
) -> Result<PasskeyCeremony, AuthError> {
    struct Body<'a> {
        captcha_token: Option<&'a str>,
    }
    impl ToJson for Body<'_> {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            // auth-js always sends the object; its member is left out when there is no token.
            object.field("gotrue_meta_security", &CaptchaOnly(self.captcha_token));
            object.finish();
        }
    }
    struct CaptchaOnly<'a>(Option<&'a str>);
    impl ToJson for CaptchaOnly<'_> {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            object.opt("captcha_token", &self.0);
            object.finish();
        }
    }
    api.send_json(ops::PASSKEY_START_AUTHENTICATION.call(&[]).json(&Body { captcha_token })).await
}

pub(crate) async fn verify_authentication<T: HttpTransport>(
    api: &Api<T>,
    challenge_id: &str,
    credential: &JsonValue,
) -> Result<TokenResponse, AuthError> {
    let body = VerifyBody { challenge_id, credential };
    api.send_json(ops::PASSKEY_VERIFY_AUTHENTICATION.call(&[]).json(&body)).await
}

pub(crate) async fn list<T: HttpTransport>(api: &Api<T>, access_token: &str) -> Result<Vec<Passkey>, AuthError> {
    api.send_json(ops::PASSKEY_LIST.call(&[]).bearer(access_token)).await
}

pub(crate) async fn update<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    passkey_id: &str,
    friendly_name: &str,
) -> Result<Passkey, AuthError> {
    struct Body<'a> {
        friendly_name: &'a str,
    }
    impl ToJson for Body<'_> {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            object.field("friendly_name", self.friendly_name);
            object.finish();
        }
    }
    let call = ops::PASSKEY_UPDATE.call(&[passkey_id]).bearer(access_token).json(&Body { friendly_name });
    api.send_json(call).await
}

pub(crate) async fn delete<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    passkey_id: &str,
) -> Result<(), AuthError> {
    api.send_empty(ops::PASSKEY_DELETE.call(&[passkey_id]).bearer(access_token)).await
}

impl<T: HttpTransport> super::AdminApi<'_, T> {
    /// A user's passkeys (auth-js `admin.passkey.listPasskeys`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let passkeys = admin.passkey_list_passkeys("user-id").await?;
    /// println!("{} passkeys", passkeys.len());
    /// # Ok(()) }
    /// ```
    pub async fn passkey_list_passkeys(&self, user_id: &str) -> Result<Vec<Passkey>, AuthError> {
        self.api.send_json(ops::ADMIN_PASSKEY_LIST.call(&[user_id]).bearer(&self.service_key)).await
    }

    /// Removes one of a user's passkeys (auth-js `admin.passkey.deletePasskey`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// admin.passkey_delete_passkey("user-id", "passkey-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn passkey_delete_passkey(&self, user_id: &str, passkey_id: &str) -> Result<(), AuthError> {
        self.api.send_empty(ops::ADMIN_PASSKEY_DELETE.call(&[user_id, passkey_id]).bearer(&self.service_key)).await
    }
}
