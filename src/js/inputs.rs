//! auth-js's argument shapes, read from JS objects and turned into the Rust request types.

use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::api::*;
use crate::{AuthError, JsonObject};

/// Reads an optional argument: `undefined`/`null` give the default.
pub(super) fn read_optional<T: serde::de::DeserializeOwned + Default>(value: JsValue) -> Result<T, AuthError> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        super::read(value)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct JsOptions {
    email_redirect_to: Option<String>,
    redirect_to: Option<String>,
    data: Option<JsonObject>,
    captcha_token: Option<String>,
    channel: Option<String>,
    should_create_user: Option<bool>,
}

fn channel(name: Option<&str>) -> Result<Option<Channel>, AuthError> {
    match name {
        None => Ok(None),
        Some("sms") => Ok(Some(Channel::Sms)),
        Some("whatsapp") => Ok(Some(Channel::Whatsapp)),
        Some(_) => Err(AuthError::invalid_credentials("channel must be \"sms\" or \"whatsapp\"")),
    }
}

#[derive(Deserialize)]
pub(super) struct JsSignUp {
    email: Option<String>,
    phone: Option<String>,
    password: String,
    #[serde(default)]
    options: JsOptions,
}

impl JsSignUp {
    pub(super) fn into_rust(self) -> Result<SignUpCredentials, AuthError> {
        let mut credentials = match (self.email, self.phone) {
            (Some(email), None) => SignUpCredentials::email(email, self.password),
            (None, Some(phone)) => SignUpCredentials::phone(phone, self.password),
            _ => return Err(crate::api::email_or_phone_error()),
        };
        if let Some(url) = self.options.email_redirect_to {
            credentials = credentials.email_redirect_to(url);
        }
        if let Some(data) = self.options.data {
            credentials = credentials.data(data);
        }
        if let Some(token) = self.options.captcha_token {
            credentials = credentials.captcha_token(token);
        }
        if let Some(channel) = channel(self.options.channel.as_deref())? {
            credentials = credentials.channel(channel);
        }
        Ok(credentials)
    }
}

#[derive(Deserialize)]
pub(super) struct JsPasswordSignIn {
    email: Option<String>,
    phone: Option<String>,
    password: String,
    #[serde(default)]
    options: JsOptions,
}

impl JsPasswordSignIn {
    pub(super) fn into_rust(self) -> Result<SignInWithPasswordCredentials, AuthError> {
        let credentials = match (self.email, self.phone) {
            (Some(email), None) => SignInWithPasswordCredentials::email(email, self.password),
            (None, Some(phone)) => SignInWithPasswordCredentials::phone(phone, self.password),
            _ => return Err(crate::api::email_or_phone_error()),
        };
        Ok(match self.options.captcha_token {
            Some(token) => credentials.captcha_token(token),
            None => credentials,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct JsOtpSignIn {
    email: Option<String>,
    phone: Option<String>,
    #[serde(default)]
    options: JsOptions,
}

impl JsOtpSignIn {
    pub(super) fn into_rust(self) -> Result<SignInWithOtpCredentials, AuthError> {
        let mut credentials = match (self.email, self.phone) {
            (Some(email), None) => SignInWithOtpCredentials::email(email),
            (None, Some(phone)) => SignInWithOtpCredentials::phone(phone),
            _ => return Err(crate::api::email_or_phone_error()),
        };
        if let Some(url) = self.options.email_redirect_to {
            credentials = credentials.email_redirect_to(url);
        }
        if let Some(create) = self.options.should_create_user {
            credentials = credentials.should_create_user(create);
        }
        if let Some(data) = self.options.data {
            credentials = credentials.data(data);
        }
        if let Some(token) = self.options.captcha_token {
            credentials = credentials.captcha_token(token);
        }
        if let Some(channel) = channel(self.options.channel.as_deref())? {
            credentials = credentials.channel(channel);
        }
        Ok(credentials)
    }
}

fn otp_type(name: &str) -> Result<OtpType, AuthError> {
    Ok(match name {
        "signup" => OtpType::Signup,
        "invite" => OtpType::Invite,
        "magiclink" => OtpType::Magiclink,
        "recovery" => OtpType::Recovery,
        "email_change" => OtpType::EmailChange,
        "email" => OtpType::Email,
        "sms" => OtpType::Sms,
        "phone_change" => OtpType::PhoneChange,
        _ => return Err(AuthError::invalid_credentials("Unknown OTP type")),
    })
}

#[derive(Deserialize)]
pub(super) struct JsVerifyOtp {
    email: Option<String>,
    phone: Option<String>,
    token: Option<String>,
    token_hash: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    options: JsOptions,
}

impl JsVerifyOtp {
    pub(super) fn into_rust(self) -> Result<VerifyOtpParams, AuthError> {
        let kind = otp_type(&self.kind)?;
        let mut params = match (self.email, self.phone, self.token, self.token_hash) {
            (Some(email), None, Some(token), None) => VerifyOtpParams::email(email, token, kind),
            (None, Some(phone), Some(token), None) => VerifyOtpParams::phone(phone, token, kind),
            (None, None, None, Some(hash)) => VerifyOtpParams::token_hash(hash, kind),
            _ => {
                return Err(AuthError::invalid_credentials(
                    "Pass { email, token, type }, { phone, token, type } or { token_hash, type }",
                ))
            }
        };
        if let Some(url) = self.options.redirect_to {
            params = params.redirect_to(url);
        }
        if let Some(token) = self.options.captcha_token {
            params = params.captcha_token(token);
        }
        Ok(params)
    }
}

#[derive(Deserialize)]
pub(super) struct JsResend {
    email: Option<String>,
    phone: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    options: JsOptions,
}

impl JsResend {
    pub(super) fn into_rust(self) -> Result<ResendParams, AuthError> {
        let kind = otp_type(&self.kind)?;
        let mut params = match (self.email, self.phone) {
            (Some(email), None) => ResendParams::email(email, kind),
            (None, Some(phone)) => ResendParams::phone(phone, kind),
            _ => return Err(crate::api::email_or_phone_error()),
        };
        if let Some(url) = self.options.email_redirect_to {
            params = params.email_redirect_to(url);
        }
        if let Some(token) = self.options.captcha_token {
            params = params.captcha_token(token);
        }
        Ok(params)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct JsRedirectOptions {
    redirect_to: Option<String>,
    email_redirect_to: Option<String>,
    captcha_token: Option<String>,
}

impl JsRedirectOptions {
    pub(super) fn into_reset(self) -> ResetPasswordOptions {
        let mut options = ResetPasswordOptions::default();
        if let Some(url) = self.redirect_to {
            options = options.redirect_to(url);
        }
        if let Some(token) = self.captcha_token {
            options = options.captcha_token(token);
        }
        options
    }
}

#[derive(Deserialize, Default)]
pub(super) struct JsAnonymous {
    #[serde(default)]
    options: JsOptions,
}

impl JsAnonymous {
    pub(super) fn into_rust(self) -> SignInAnonymouslyOptions {
        let mut options = SignInAnonymouslyOptions::default();
        if let Some(data) = self.options.data {
            options = options.data(data);
        }
        if let Some(token) = self.options.captcha_token {
            options = options.captcha_token(token);
        }
        options
    }
}

#[derive(Deserialize)]
pub(super) struct JsTokens {
    pub(super) access_token: String,
    pub(super) refresh_token: String,
}

#[derive(Deserialize, Default)]
pub(super) struct JsRefreshToken {
    pub(super) refresh_token: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct JsUserAttributes {
    email: Option<String>,
    phone: Option<String>,
    password: Option<String>,
    nonce: Option<String>,
    current_password: Option<String>,
    data: Option<JsonObject>,
    channel: Option<String>,
}

impl JsUserAttributes {
    pub(super) fn into_rust(self, options: JsRedirectOptions) -> UserAttributes {
        let mut attributes = UserAttributes::new();
        if let Some(email) = self.email {
            attributes = attributes.email(email);
        }
        if let Some(phone) = self.phone {
            attributes = attributes.phone(phone);
        }
        if let Some(password) = self.password {
            attributes = attributes.password(password);
        }
        if let Some(nonce) = self.nonce {
            attributes = attributes.nonce(nonce);
        }
        if let Some(password) = self.current_password {
            attributes = attributes.current_password(password);
        }
        if let Some(data) = self.data {
            attributes = attributes.data(data);
        }
        if let Ok(Some(channel)) = channel(self.channel.as_deref()) {
            attributes = attributes.channel(channel);
        }
        if let Some(url) = options.email_redirect_to {
            attributes = attributes.email_redirect_to(url);
        }
        attributes
    }
}

#[derive(Deserialize, Default)]
pub(super) struct JsSignOut {
    scope: Option<String>,
}

impl JsSignOut {
    pub(super) fn scope(self) -> Result<SignOutScope, AuthError> {
        match self.scope.as_deref() {
            None | Some("global") => Ok(SignOutScope::Global),
            Some("local") => Ok(SignOutScope::Local),
            Some("others") => Ok(SignOutScope::Others),
            Some(_) => Err(AuthError::invalid_credentials("scope must be \"global\", \"local\" or \"others\"")),
        }
    }
}

#[derive(Deserialize)]
pub(super) struct JsOAuth {
    provider: String,
    #[serde(default)]
    options: JsOAuthOptions,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct JsOAuthOptions {
    redirect_to: Option<String>,
    scopes: Option<String>,
    #[serde(default)]
    query_params: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    skip_browser_redirect: bool,
}

impl JsOAuth {
    pub(super) fn into_rust(self) -> SignInWithOAuthCredentials {
        let mut credentials = SignInWithOAuthCredentials::new(self.provider);
        if let Some(url) = self.options.redirect_to {
            credentials = credentials.redirect_to(url);
        }
        if let Some(scopes) = self.options.scopes {
            credentials = credentials.scopes(scopes);
        }
        for (key, value) in self.options.query_params {
            credentials = credentials.query_param(key, value);
        }
        credentials.skip_browser_redirect(self.options.skip_browser_redirect)
    }
}
