//! `POST /token`: the password and refresh-token grants.

use super::{meta_security, write_body, BodyFields, MetaSecurity};
use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{ObjectWriter, ToJson};
use crate::types::{SecretString, TokenResponse};
use crate::AuthError;

/// Email or phone, and password.
///
/// ```
/// use gotrue_wasm::SignInWithPasswordCredentials;
/// let credentials = SignInWithPasswordCredentials::email("ada@example.com", "hunter2hunter2");
/// assert!(!format!("{credentials:?}").contains("hunter2"));
/// ```
#[derive(Clone, Debug)]
pub struct SignInWithPasswordCredentials {
    email: Option<String>,
    phone: Option<String>,
    password: SecretString,
    captcha_token: Option<String>,
}

impl SignInWithPasswordCredentials {
    /// Sign in with an email address.
    pub fn email(email: impl Into<String>, password: impl Into<String>) -> Self {
        SignInWithPasswordCredentials {
            email: Some(email.into()),
            phone: None,
            password: SecretString::new(password),
            captcha_token: None,
        }
    }

    /// Sign in with a phone number.
    pub fn phone(phone: impl Into<String>, password: impl Into<String>) -> Self {
        SignInWithPasswordCredentials {
            email: None,
            phone: Some(phone.into()),
            password: SecretString::new(password),
            captcha_token: None,
        }
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }
}

impl BodyFields for SignInWithPasswordCredentials {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object.opt("email", &self.email).opt("phone", &self.phone).field("password", &self.password);
    }
}

/// `{ email | phone, password }`, the password grant's body.
impl ToJson for SignInWithPasswordCredentials {
    fn write_json(&self, out: &mut String) {
        write_body(self, out);
    }
}

struct PasswordBody<'a> {
    credentials: &'a SignInWithPasswordCredentials,
    gotrue_meta_security: Option<MetaSecurity<'a>>,
}

impl ToJson for PasswordBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        self.credentials.write_fields(&mut object);
        object.opt("gotrue_meta_security", &self.gotrue_meta_security);
        object.finish();
    }
}

pub(crate) async fn password_grant<T: HttpTransport>(
    api: &Api<T>,
    credentials: &SignInWithPasswordCredentials,
) -> Result<TokenResponse, AuthError> {
    if credentials.email.is_some() == credentials.phone.is_some() {
        return Err(super::email_or_phone_error());
    }
    let body = PasswordBody { credentials, gotrue_meta_security: meta_security(credentials.captcha_token.as_deref()) };
    api.send_json(ApiCall::new(Method::Post, "/token").query("grant_type", "password").json(&body)).await
}

struct RefreshBody<'a> {
    refresh_token: &'a str,
}

impl ToJson for RefreshBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("refresh_token", self.refresh_token);
        object.finish();
    }
}

pub(crate) async fn refresh_grant<T: HttpTransport>(
    api: &Api<T>,
    refresh_token: &str,
) -> Result<TokenResponse, AuthError> {
    let call =
        ApiCall::new(Method::Post, "/token").query("grant_type", "refresh_token").json(&RefreshBody { refresh_token });
    let response = api.send(call).await?;
    // Any body that is not a token response (not JSON, or JSON of another shape) came from
    // something between here and the server: retryable, never a verdict on the token.
    crate::json::from_str(&response.body).map_err(|_| AuthError::unreadable_answer(response.status))
}

struct PkceGrantBody<'a> {
    auth_code: &'a str,
    code_verifier: &'a str,
}

impl ToJson for PkceGrantBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("auth_code", self.auth_code).field("code_verifier", self.code_verifier);
        object.finish();
    }
}

pub(crate) async fn pkce_grant<T: HttpTransport>(
    api: &Api<T>,
    auth_code: &str,
    code_verifier: &str,
) -> Result<TokenResponse, AuthError> {
    api.send_json(
        ApiCall::new(Method::Post, "/token")
            .query("grant_type", "pkce")
            .json(&PkceGrantBody { auth_code, code_verifier }),
    )
    .await
}
