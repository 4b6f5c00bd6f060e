//! `POST /signup`: email or phone sign-up, and anonymous sign-in.

use super::{
    meta_security, pkce_body, redirect_for, write_body, write_pkce, BodyFields, Channel, MetaSecurity, PkceBody,
};
use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{FromJson, ObjectWriter, ToJson};
use crate::pkce::StartedFlow;
use crate::types::{JsonObject, JsonValue, SecretString, TokenResponse};
use crate::AuthError;

/// Who signs up, with which password, and the options auth-js offers.
///
/// ```
/// use gotrue_wasm::{JsonObject, SignUpCredentials};
/// let mut data = JsonObject::new();
/// data.insert("name".into(), "Ada".into());
/// let credentials = SignUpCredentials::email("ada@example.com", "correct horse battery")
///     .data(data)
///     .email_redirect_to("https://app.example.com/welcome");
/// assert!(!format!("{credentials:?}").contains("correct horse"));
/// ```
#[derive(Clone, Debug)]
pub struct SignUpCredentials {
    email: Option<String>,
    phone: Option<String>,
    password: SecretString,
    data: Option<JsonObject>,
    channel: Option<Channel>,
    captcha_token: Option<String>,
    email_redirect_to: Option<String>,
}

impl SignUpCredentials {
    /// Sign up with an email address and a password.
    pub fn email(email: impl Into<String>, password: impl Into<String>) -> Self {
        Self::blank(Some(email.into()), None, password.into())
    }

    /// Sign up with a phone number and a password.
    pub fn phone(phone: impl Into<String>, password: impl Into<String>) -> Self {
        Self::blank(None, Some(phone.into()), password.into())
    }

    fn blank(email: Option<String>, phone: Option<String>, password: String) -> Self {
        SignUpCredentials {
            email,
            phone,
            password: SecretString::new(password),
            data: None,
            channel: None,
            captcha_token: None,
            email_redirect_to: None,
        }
    }

    /// Initial `user_metadata`.
    pub fn data(mut self, data: JsonObject) -> Self {
        self.data = Some(data);
        self
    }

    /// Where the confirmation link leads after confirming.
    pub fn email_redirect_to(mut self, url: impl Into<String>) -> Self {
        self.email_redirect_to = Some(url.into());
        self
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }

    /// How a phone sign-up's code is sent.
    pub fn channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }
}

impl BodyFields for SignUpCredentials {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object
            .opt("email", &self.email)
            .opt("phone", &self.phone)
            .field("password", &self.password)
            .opt("data", &self.data)
            .opt("channel", &self.channel);
    }
}

/// `{ email | phone, password, data?, channel? }`, the sign-up body.
impl ToJson for SignUpCredentials {
    fn write_json(&self, out: &mut String) {
        write_body(self, out);
    }
}

struct SignUpBody<'a> {
    credentials: &'a SignUpCredentials,
    gotrue_meta_security: Option<MetaSecurity<'a>>,
    pkce: Option<PkceBody<'a>>,
}

impl ToJson for SignUpBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        self.credentials.write_fields(&mut object);
        object.opt("gotrue_meta_security", &self.gotrue_meta_security);
        write_pkce(&mut object, &self.pkce);
        object.finish();
    }
}

/// Options of [`crate::GoTrueClient::sign_in_anonymously`].
#[derive(Clone, Debug, Default)]
pub struct SignInAnonymouslyOptions {
    data: Option<JsonObject>,
    captcha: Option<CaptchaOnly>,
}

#[derive(Clone, Debug)]
struct CaptchaOnly {
    captcha_token: String,
}

impl ToJson for CaptchaOnly {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("captcha_token", &self.captcha_token);
        object.finish();
    }
}

/// `{ data?, gotrue_meta_security? }`, the anonymous sign-in's body.
impl ToJson for SignInAnonymouslyOptions {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.opt("data", &self.data).opt("gotrue_meta_security", &self.captcha);
        object.finish();
    }
}

impl SignInAnonymouslyOptions {
    /// Initial `user_metadata` of the anonymous user.
    pub fn data(mut self, data: JsonObject) -> Self {
        self.data = Some(data);
        self
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha = Some(CaptchaOnly { captcha_token: token.into() });
        self
    }
}

/// What `/signup` answered: a session when the server confirms at once, else the new user.
pub(crate) enum SignUpOutcome {
    Session(TokenResponse),
    /// The user's JSON (an object), read as the client's user type by the client.
    User(JsonValue),
}

pub(crate) async fn sign_up<T: HttpTransport>(
    api: &Api<T>,
    credentials: &SignUpCredentials,
    flow: Option<&StartedFlow>,
) -> Result<SignUpOutcome, AuthError> {
    let body = SignUpBody {
        credentials,
        gotrue_meta_security: meta_security(credentials.captcha_token.as_deref()),
        pkce: pkce_body(flow),
    };
    let call = ApiCall::new(Method::Post, "/signup")
        .query_opt("redirect_to", redirect_for(credentials.email_redirect_to.as_deref(), flow).as_deref())
        .json(&body);
    let response = api.send(call).await?;
    let body = crate::json::parse(&response.body)?;
    Ok(if super::carries_session(&body) {
        SignUpOutcome::Session(TokenResponse::from_json(&body)?)
    } else {
        // Checked here (an object with an id), read as the client's user type there.
        crate::types::UserJson::from_json(&body)?;
        SignUpOutcome::User(body)
    })
}

/// PKCE applies to email sign-ups only (the server refuses it for phones).
pub(crate) fn uses_email(credentials: &SignUpCredentials) -> bool {
    credentials.email.is_some()
}

pub(crate) fn validate(credentials: &SignUpCredentials) -> Result<(), AuthError> {
    match (&credentials.email, &credentials.phone) {
        (Some(_), None) | (None, Some(_)) => Ok(()),
        _ => Err(super::email_or_phone_error()),
    }
}

pub(crate) async fn sign_in_anonymously<T: HttpTransport>(
    api: &Api<T>,
    options: &SignInAnonymouslyOptions,
) -> Result<TokenResponse, AuthError> {
    api.send_json(ApiCall::new(Method::Post, "/signup").json(options)).await
}
