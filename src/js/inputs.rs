//! auth-js's argument shapes, read from JS objects and turned into the Rust request types.

use wasm_bindgen::{JsCast, JsValue};

use crate::api::*;
use crate::{AuthError, JsonObject, JsonValue};

/// Argument objects are read field by field with `Reflect` instead of serde: deriving
/// `Deserialize` for every input shape cost more wasm than the rest of the JS layer.
pub(super) trait FromJs: Sized {
    fn from_js(object: &JsValue) -> Result<Self, AuthError>;
}

pub(super) fn read<T: FromJs>(value: JsValue) -> Result<T, AuthError> {
    if !value.is_object() {
        return Err(AuthError::invalid_credentials("expected an object"));
    }
    T::from_js(&value)
}

/// Reads an optional argument: `undefined`/`null` give the default.
pub(super) fn read_optional<T: FromJs + Default>(value: JsValue) -> Result<T, AuthError> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        read(value)
    }
}

pub(super) fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn wrong_type(key: &str, what: &str) -> AuthError {
    let mut message = String::from(key);
    message.push_str(" must be ");
    message.push_str(what);
    AuthError::invalid_credentials(message)
}

pub(super) fn opt_str(object: &JsValue, key: &str) -> Result<Option<String>, AuthError> {
    let value = get(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| wrong_type(key, "a string"))
}

pub(super) fn req_str(object: &JsValue, key: &str) -> Result<String, AuthError> {
    opt_str(object, key)?.ok_or_else(|| wrong_type(key, "a string"))
}

pub(super) fn opt_bool(object: &JsValue, key: &str) -> Result<Option<bool>, AuthError> {
    let value = get(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_bool().map(Some).ok_or_else(|| wrong_type(key, "a boolean"))
}

/// A JS value as the crate's JSON value, through the browser's `JSON.stringify` (functions
/// and symbols drop out as they do there; cycles and BigInts read as null).
pub(super) fn to_json(value: &JsValue) -> JsonValue {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| crate::json::parse(&text).ok())
        .unwrap_or_default()
}

fn to_object(value: &JsValue) -> JsonObject {
    match to_json(value) {
        JsonValue::Object(object) => object,
        _ => JsonObject::new(),
    }
}

pub(super) fn opt_object(object: &JsValue, key: &str) -> Result<Option<JsonObject>, AuthError> {
    let value = get(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(wrong_type(key, "an object"));
    }
    Ok(Some(to_object(&value)))
}

fn options(object: &JsValue) -> Result<JsOptions, AuthError> {
    let value = get(object, "options");
    if value.is_undefined() || value.is_null() {
        return Ok(JsOptions::default());
    }
    JsOptions::from_js(&value)
}

impl FromJs for JsOptions {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsOptions {
            email_redirect_to: opt_str(o, "emailRedirectTo")?,
            redirect_to: opt_str(o, "redirectTo")?,
            data: opt_object(o, "data")?,
            captcha_token: opt_str(o, "captchaToken")?,
            channel: opt_str(o, "channel")?,
            should_create_user: opt_bool(o, "shouldCreateUser")?,
        })
    }
}
impl FromJs for JsSignUp {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsSignUp {
            email: opt_str(o, "email")?,
            phone: opt_str(o, "phone")?,
            password: req_str(o, "password")?,
            options: options(o)?,
        })
    }
}
impl FromJs for JsPasswordSignIn {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsPasswordSignIn {
            email: opt_str(o, "email")?,
            phone: opt_str(o, "phone")?,
            password: req_str(o, "password")?,
            options: options(o)?,
        })
    }
}
impl FromJs for JsOtpSignIn {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsOtpSignIn { email: opt_str(o, "email")?, phone: opt_str(o, "phone")?, options: options(o)? })
    }
}
impl FromJs for JsVerifyOtp {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsVerifyOtp {
            email: opt_str(o, "email")?,
            phone: opt_str(o, "phone")?,
            token: opt_str(o, "token")?,
            token_hash: opt_str(o, "token_hash")?,
            kind: req_str(o, "type")?,
            options: options(o)?,
        })
    }
}
impl FromJs for JsResend {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsResend {
            email: opt_str(o, "email")?,
            phone: opt_str(o, "phone")?,
            kind: req_str(o, "type")?,
            options: options(o)?,
        })
    }
}
impl FromJs for JsRedirectOptions {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsRedirectOptions {
            redirect_to: opt_str(o, "redirectTo")?,
            email_redirect_to: opt_str(o, "emailRedirectTo")?,
            captcha_token: opt_str(o, "captchaToken")?,
        })
    }
}
impl FromJs for JsAnonymous {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsAnonymous { options: options(o)? })
    }
}
impl FromJs for JsTokens {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsTokens { access_token: req_str(o, "access_token")?, refresh_token: req_str(o, "refresh_token")? })
    }
}
impl FromJs for JsRefreshToken {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsRefreshToken { refresh_token: opt_str(o, "refresh_token")? })
    }
}
impl FromJs for JsUserAttributes {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsUserAttributes {
            email: opt_str(o, "email")?,
            phone: opt_str(o, "phone")?,
            password: opt_str(o, "password")?,
            nonce: opt_str(o, "nonce")?,
            current_password: opt_str(o, "current_password")?,
            data: opt_object(o, "data")?,
            channel: opt_str(o, "channel")?,
        })
    }
}
impl FromJs for JsSignOut {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        Ok(JsSignOut { scope: opt_str(o, "scope")? })
    }
}
impl FromJs for JsOAuth {
    fn from_js(o: &JsValue) -> Result<Self, AuthError> {
        let value = get(o, "options");
        let options = if value.is_object() {
            let mut query_params = std::collections::BTreeMap::new();
            let params = get(&value, "queryParams");
            if params.is_object() {
                for entry in js_sys::Object::entries(params.unchecked_ref()).iter() {
                    let pair: js_sys::Array = entry.unchecked_into();
                    if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                        query_params.insert(k, v);
                    }
                }
            }
            JsOAuthOptions {
                redirect_to: opt_str(&value, "redirectTo")?,
                scopes: opt_str(&value, "scopes")?,
                query_params,
                skip_browser_redirect: opt_bool(&value, "skipBrowserRedirect")?.unwrap_or(false),
            }
        } else {
            JsOAuthOptions::default()
        };
        Ok(JsOAuth { provider: req_str(o, "provider")?, options })
    }
}

#[derive(Default)]
pub(super) struct JsOptions {
    email_redirect_to: Option<String>,
    redirect_to: Option<String>,
    data: Option<JsonObject>,
    captcha_token: Option<String>,
    channel: Option<String>,
    should_create_user: Option<bool>,
}

pub(super) fn channel(name: Option<&str>) -> Result<Option<Channel>, AuthError> {
    match name {
        None => Ok(None),
        Some("sms") => Ok(Some(Channel::Sms)),
        Some("whatsapp") => Ok(Some(Channel::Whatsapp)),
        Some(_) => Err(AuthError::invalid_credentials("channel must be \"sms\" or \"whatsapp\"")),
    }
}

pub(super) struct JsSignUp {
    email: Option<String>,
    phone: Option<String>,
    password: String,
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

pub(super) struct JsPasswordSignIn {
    email: Option<String>,
    phone: Option<String>,
    password: String,
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

pub(super) struct JsOtpSignIn {
    email: Option<String>,
    phone: Option<String>,
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

pub(super) struct JsVerifyOtp {
    email: Option<String>,
    phone: Option<String>,
    token: Option<String>,
    token_hash: Option<String>,
    kind: String,
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

pub(super) struct JsResend {
    email: Option<String>,
    phone: Option<String>,
    kind: String,
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

#[derive(Default)]
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

#[derive(Default)]
pub(super) struct JsAnonymous {
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

pub(super) struct JsTokens {
    pub(super) access_token: String,
    pub(super) refresh_token: String,
}

#[derive(Default)]
pub(super) struct JsRefreshToken {
    pub(super) refresh_token: Option<String>,
}

#[derive(Default)]
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

#[derive(Default)]
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

pub(super) struct JsOAuth {
    provider: String,
    options: JsOAuthOptions,
}

#[derive(Default)]
struct JsOAuthOptions {
    redirect_to: Option<String>,
    scopes: Option<String>,
    query_params: std::collections::BTreeMap<String, String>,
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
