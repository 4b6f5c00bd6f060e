//! One-time passwords and links: `POST /otp`, `POST /verify`, `POST /resend`.

use super::{
    meta_security, pkce_body, redirect_for, write_body, write_pkce, BodyFields, Channel, MetaSecurity, PkceBody,
};
use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};
use crate::pkce::StartedFlow;
use crate::types::{JsonObject, JsonValue, TokenResponse};
use crate::AuthError;

/// Send a magic link / OTP by email, or an OTP by SMS or WhatsApp.
#[derive(Clone, Debug)]
pub struct SignInWithOtpCredentials {
    email: Option<String>,
    phone: Option<String>,
    create_user: bool,
    data: Option<JsonObject>,
    channel: Option<Channel>,
    captcha_token: Option<String>,
    email_redirect_to: Option<String>,
}

impl SignInWithOtpCredentials {
    /// A magic link and code sent to `email`.
    pub fn email(email: impl Into<String>) -> Self {
        Self::blank(Some(email.into()), None)
    }

    /// A code sent to `phone` by SMS (or WhatsApp with [`Self::channel`]).
    pub fn phone(phone: impl Into<String>) -> Self {
        Self::blank(None, Some(phone.into()))
    }

    fn blank(email: Option<String>, phone: Option<String>) -> Self {
        SignInWithOtpCredentials {
            email,
            phone,
            create_user: true,
            data: None,
            channel: None,
            captcha_token: None,
            email_redirect_to: None,
        }
    }

    /// Whether an unknown address signs up (default `true`).
    pub fn should_create_user(mut self, create: bool) -> Self {
        self.create_user = create;
        self
    }

    /// `user_metadata` for a user created by this sign-in.
    pub fn data(mut self, data: JsonObject) -> Self {
        self.data = Some(data);
        self
    }

    /// How a phone code is delivered.
    pub fn channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }

    /// Where the magic link leads.
    pub fn email_redirect_to(mut self, url: impl Into<String>) -> Self {
        self.email_redirect_to = Some(url.into());
        self
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }
}

/// The answer to a request that sends a message: the SMS provider's id, when there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageSent {
    /// The provider's message id (phone flows only).
    pub message_id: Option<String>,
}

impl FromJson for MessageSent {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "message")?;
        Ok(MessageSent { message_id: fields.opt("message_id")? })
    }
}

/// `{ message_id }` (`null` when the provider gave none), as the server sends it.
impl ToJson for MessageSent {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("message_id", &self.message_id);
        object.finish();
    }
}

struct WithCaptcha<'a, B> {
    body: &'a B,
    gotrue_meta_security: Option<MetaSecurity<'a>>,
    pkce: Option<PkceBody<'a>>,
}

impl<B: BodyFields> ToJson for WithCaptcha<'_, B> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        self.body.write_fields(&mut object);
        object.opt("gotrue_meta_security", &self.gotrue_meta_security);
        write_pkce(&mut object, &self.pkce);
        object.finish();
    }
}

impl BodyFields for SignInWithOtpCredentials {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object
            .opt("email", &self.email)
            .opt("phone", &self.phone)
            .field("create_user", &self.create_user)
            .opt("data", &self.data)
            .opt("channel", &self.channel);
    }
}

/// `{ email | phone, create_user, data?, channel? }`, the `/otp` body.
impl ToJson for SignInWithOtpCredentials {
    fn write_json(&self, out: &mut String) {
        write_body(self, out);
    }
}

pub(crate) async fn send_otp<T: HttpTransport>(
    api: &Api<T>,
    credentials: &SignInWithOtpCredentials,
    flow: Option<&StartedFlow>,
) -> Result<MessageSent, AuthError> {
    let body = WithCaptcha {
        body: credentials,
        gotrue_meta_security: meta_security(credentials.captcha_token.as_deref()),
        pkce: pkce_body(flow),
    };
    let redirect = redirect_for(credentials.email_redirect_to.as_deref(), flow);
    api.send_json(ApiCall::new(Method::Post, "/otp").query_opt("redirect_to", redirect.as_deref()).json(&body)).await
}

impl SignInWithOtpCredentials {
    pub(crate) fn validate(&self) -> Result<(), AuthError> {
        if self.email.is_some() == self.phone.is_some() {
            return Err(super::email_or_phone_error());
        }
        Ok(())
    }

    /// PKCE applies to email (magic link) sign-ins only.
    pub(crate) fn uses_email(&self) -> bool {
        self.email.is_some()
    }
}

/// What an OTP or token hash proves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtpType {
    /// Sign-up confirmation.
    Signup,
    /// Invitation.
    Invite,
    /// Magic link.
    Magiclink,
    /// Password recovery.
    Recovery,
    /// Email change.
    EmailChange,
    /// Any email OTP (the server picks the matching purpose).
    Email,
    /// SMS sign-in or confirmation.
    Sms,
    /// Phone change.
    PhoneChange,
}

impl OtpType {
    /// The type's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            OtpType::Signup => "signup",
            OtpType::Invite => "invite",
            OtpType::Magiclink => "magiclink",
            OtpType::Recovery => "recovery",
            OtpType::EmailChange => "email_change",
            OtpType::Email => "email",
            OtpType::Sms => "sms",
            OtpType::PhoneChange => "phone_change",
        }
    }
}

impl ToJson for OtpType {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

/// A code (with the address it went to) or a token hash from a link, to exchange for a session.
#[derive(Clone, Debug)]
pub struct VerifyOtpParams {
    email: Option<String>,
    phone: Option<String>,
    token: Option<crate::SecretString>,
    token_hash: Option<crate::SecretString>,
    kind: OtpType,
    captcha_token: Option<String>,
    redirect_to: Option<String>,
}

impl VerifyOtpParams {
    /// A code sent to an email address.
    pub fn email(email: impl Into<String>, token: impl Into<String>, kind: OtpType) -> Self {
        Self::blank(Some(email.into()), None, Some(token.into()), None, kind)
    }

    /// A code sent to a phone.
    pub fn phone(phone: impl Into<String>, token: impl Into<String>, kind: OtpType) -> Self {
        Self::blank(None, Some(phone.into()), Some(token.into()), None, kind)
    }

    /// The `token_hash` of an email link.
    pub fn token_hash(token_hash: impl Into<String>, kind: OtpType) -> Self {
        Self::blank(None, None, None, Some(token_hash.into()), kind)
    }

    fn blank(
        email: Option<String>,
        phone: Option<String>,
        token: Option<String>,
        token_hash: Option<String>,
        kind: OtpType,
    ) -> Self {
        VerifyOtpParams {
            email,
            phone,
            token: token.map(crate::SecretString::new),
            token_hash: token_hash.map(crate::SecretString::new),
            kind,
            captcha_token: None,
            redirect_to: None,
        }
    }

    /// The type being verified.
    pub fn kind(&self) -> OtpType {
        self.kind
    }

    /// Where the server would redirect (kept for parity with auth-js).
    pub fn redirect_to(mut self, url: impl Into<String>) -> Self {
        self.redirect_to = Some(url.into());
        self
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }
}

impl BodyFields for VerifyOtpParams {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object
            .opt("email", &self.email)
            .opt("phone", &self.phone)
            .opt("token", &self.token)
            .opt("token_hash", &self.token_hash)
            .field("type", &self.kind);
    }
}

/// `{ email | phone, token }` or `{ token_hash }`, with `type`: the `/verify` body.
impl ToJson for VerifyOtpParams {
    fn write_json(&self, out: &mut String) {
        write_body(self, out);
    }
}

/// `POST /verify` answers with a session, except after the first of two email-change
/// confirmations (a message only).
pub(crate) async fn verify<T: HttpTransport>(
    api: &Api<T>,
    params: &VerifyOtpParams,
) -> Result<Option<TokenResponse>, AuthError> {
    let body =
        WithCaptcha { body: params, gotrue_meta_security: meta_security(params.captcha_token.as_deref()), pkce: None };
    let response = api
        .send(ApiCall::new(Method::Post, "/verify").query_opt("redirect_to", params.redirect_to.as_deref()).json(&body))
        .await?;
    // A session, or (any other object: the server's `{ msg, code }`, read leniently) the first
    // of two email-change confirmations. A body that is not JSON (empty, cut short, a portal's
    // page) did not come from the server and is never taken for a success.
    let body = crate::json::parse(&response.body).map_err(|_| AuthError::unreadable_answer(response.status))?;
    if super::carries_session(&body) {
        Ok(Some(TokenResponse::from_json(&body)?))
    } else if body.as_object().is_some() {
        Ok(None)
    } else {
        Err(AuthError::invalid_token_response("The verification answer is neither a session nor a message"))
    }
}

/// Ask the server to send a confirmation code or link again.
#[derive(Clone, Debug)]
pub struct ResendParams {
    email: Option<String>,
    phone: Option<String>,
    kind: OtpType,
    captcha_token: Option<String>,
    email_redirect_to: Option<String>,
}

impl ResendParams {
    /// Resend a sign-up or email-change confirmation (`kind` is `Signup` or `EmailChange`).
    pub fn email(email: impl Into<String>, kind: OtpType) -> Self {
        ResendParams { email: Some(email.into()), phone: None, kind, captcha_token: None, email_redirect_to: None }
    }

    /// Resend an SMS code (`kind` is `Sms` or `PhoneChange`).
    pub fn phone(phone: impl Into<String>, kind: OtpType) -> Self {
        ResendParams { email: None, phone: Some(phone.into()), kind, captcha_token: None, email_redirect_to: None }
    }

    /// Where the link leads.
    pub fn email_redirect_to(mut self, url: impl Into<String>) -> Self {
        self.email_redirect_to = Some(url.into());
        self
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }
}

impl BodyFields for ResendParams {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object.opt("email", &self.email).opt("phone", &self.phone).field("type", &self.kind);
    }
}

/// `{ email | phone, type }`, the `/resend` body.
impl ToJson for ResendParams {
    fn write_json(&self, out: &mut String) {
        write_body(self, out);
    }
}

pub(crate) async fn resend<T: HttpTransport>(api: &Api<T>, params: &ResendParams) -> Result<MessageSent, AuthError> {
    let email_kind = matches!(params.kind, OtpType::Signup | OtpType::EmailChange);
    let phone_kind = matches!(params.kind, OtpType::Sms | OtpType::PhoneChange);
    if !(email_kind && params.email.is_some() || phone_kind && params.phone.is_some()) {
        return Err(AuthError::invalid_credentials(
            "You must provide an email with type signup or email_change, or a phone with type sms or phone_change.",
        ));
    }
    let body =
        WithCaptcha { body: params, gotrue_meta_security: meta_security(params.captcha_token.as_deref()), pkce: None };
    api.send_json(
        ApiCall::new(Method::Post, "/resend").query_opt("redirect_to", params.email_redirect_to.as_deref()).json(&body),
    )
    .await
}
