//! auth-js's argument shapes, read from the JSON the facade sends and turned into the Rust
//! request types.

use crate::api::*;
use crate::json::{Fields, FromJson};
use crate::{AuthError, JsonObject, JsonValue};

/// A method's positional arguments (`JSON.stringify([...arguments])`).
pub(super) struct Args(Vec<JsonValue>);

impl Args {
    /// Text that is not a JSON array reads as no arguments.
    pub(super) fn parse(text: &str) -> Args {
        match crate::json::parse(text) {
            Ok(JsonValue::Array(items)) => Args(items),
            _ => Args(Vec::new()),
        }
    }

    /// Argument `index` as it came (`null` when missing).
    pub(super) fn value(&self, index: usize) -> &JsonValue {
        const NULL: &JsonValue = &JsonValue::Null;
        self.0.get(index).unwrap_or(NULL)
    }

    /// Argument `index`, which must be an object.
    pub(super) fn object(&self, index: usize) -> Result<Fields<'_>, AuthError> {
        Fields::of(self.value(index), "").map_err(|_| AuthError::invalid_credentials("expected an object"))
    }

    /// Argument `index`: an object, or nothing (`undefined` / `null`).
    pub(super) fn optional_object(&self, index: usize) -> Result<Option<Fields<'_>>, AuthError> {
        match self.value(index) {
            JsonValue::Null => Ok(None),
            _ => self.object(index).map(Some),
        }
    }

    /// Argument `index`, which must be a string named `name` in the method's signature.
    pub(super) fn string(&self, index: usize, name: &str) -> Result<String, AuthError> {
        self.optional_string(index, name)?.ok_or_else(|| wrong_type(name, "a string"))
    }

    /// Argument `index`: a string, or nothing.
    pub(super) fn optional_string(&self, index: usize, name: &str) -> Result<Option<String>, AuthError> {
        match self.value(index) {
            JsonValue::Null => Ok(None),
            JsonValue::String(text) => Ok(Some(text.clone())),
            _ => Err(wrong_type(name, "a string")),
        }
    }

    /// Argument `index`: a boolean, or nothing.
    pub(super) fn optional_bool(&self, index: usize, name: &str) -> Result<Option<bool>, AuthError> {
        match self.value(index) {
            JsonValue::Null => Ok(None),
            JsonValue::Bool(flag) => Ok(Some(*flag)),
            _ => Err(wrong_type(name, "a boolean")),
        }
    }
}

fn wrong_type(key: &str, what: &str) -> AuthError {
    let mut message = String::from(key);
    message.push_str(" must be ");
    message.push_str(what);
    AuthError::invalid_credentials(message)
}

fn read<T: FromJson>(object: &Fields<'_>, key: &'static str, what: &str) -> Result<Option<T>, AuthError> {
    object.opt(key).map_err(|_| wrong_type(key, what))
}

pub(super) fn opt_str(object: &Fields<'_>, key: &'static str) -> Result<Option<String>, AuthError> {
    read(object, key, "a string")
}

pub(super) fn req_str(object: &Fields<'_>, key: &'static str) -> Result<String, AuthError> {
    opt_str(object, key)?.ok_or_else(|| wrong_type(key, "a string"))
}

pub(super) fn opt_bool(object: &Fields<'_>, key: &'static str) -> Result<Option<bool>, AuthError> {
    read(object, key, "a boolean")
}

pub(super) fn opt_object(object: &Fields<'_>, key: &'static str) -> Result<Option<JsonObject>, AuthError> {
    read(object, key, "an object")
}

/// The nested object `key` (e.g. `options`), if there is one.
pub(super) fn nested<'a>(object: &Fields<'a>, key: &'static str) -> Result<Option<Fields<'a>>, AuthError> {
    match object.get(key) {
        None => Ok(None),
        Some(value) => Fields::of(value, key).map(Some).map_err(|_| wrong_type(key, "an object")),
    }
}

/// auth-js's `options` member, shared by most sign-in methods.
#[derive(Default)]
struct SignInOptions {
    email_redirect_to: Option<String>,
    redirect_to: Option<String>,
    data: Option<JsonObject>,
    captcha_token: Option<String>,
    channel: Option<Channel>,
    should_create_user: Option<bool>,
}

fn sign_in_options(object: &Fields<'_>) -> Result<SignInOptions, AuthError> {
    let Some(o) = nested(object, "options")? else { return Ok(SignInOptions::default()) };
    Ok(SignInOptions {
        email_redirect_to: opt_str(&o, "emailRedirectTo")?,
        redirect_to: opt_str(&o, "redirectTo")?,
        data: opt_object(&o, "data")?,
        captcha_token: opt_str(&o, "captchaToken")?,
        channel: channel(opt_str(&o, "channel")?.as_deref())?,
        should_create_user: opt_bool(&o, "shouldCreateUser")?,
    })
}

pub(super) fn channel(name: Option<&str>) -> Result<Option<Channel>, AuthError> {
    match name {
        None => Ok(None),
        Some("sms") => Ok(Some(Channel::Sms)),
        Some("whatsapp") => Ok(Some(Channel::Whatsapp)),
        Some(_) => Err(AuthError::invalid_credentials("channel must be \"sms\" or \"whatsapp\"")),
    }
}

/// `{ email }` or `{ phone }`: the email when both are given, as auth-js reads them.
enum Contact {
    Email(String),
    Phone(String),
}

/// auth-js's messages when neither is given, method by method.
const NEEDS_CONTACT_AND_PASSWORD: &str = "You must provide either an email or phone number and a password";
const NEEDS_CONTACT: &str = "You must provide either an email or phone number.";
const NEEDS_CONTACT_AND_TYPE: &str = "You must provide either an email or phone number and a type";

fn contact(object: &Fields<'_>, missing: &str) -> Result<Contact, AuthError> {
    if let Some(email) = opt_str(object, "email")? {
        return Ok(Contact::Email(email));
    }
    match opt_str(object, "phone")? {
        Some(phone) => Ok(Contact::Phone(phone)),
        None => Err(AuthError::invalid_credentials(missing)),
    }
}

pub(super) fn sign_up(object: Result<Fields<'_>, AuthError>) -> Result<SignUpCredentials, AuthError> {
    let object = object?;
    let found = contact(&object, NEEDS_CONTACT_AND_PASSWORD)?;
    let password = req_str(&object, "password")?;
    let options = sign_in_options(&object)?;
    let mut credentials = match found {
        Contact::Email(email) => SignUpCredentials::email(email, password),
        Contact::Phone(phone) => SignUpCredentials::phone(phone, password),
    };
    if let Some(url) = options.email_redirect_to {
        credentials = credentials.email_redirect_to(url);
    }
    if let Some(data) = options.data {
        credentials = credentials.data(data);
    }
    if let Some(token) = options.captcha_token {
        credentials = credentials.captcha_token(token);
    }
    if let Some(channel) = options.channel {
        credentials = credentials.channel(channel);
    }
    Ok(credentials)
}

pub(super) fn password_sign_in(
    object: Result<Fields<'_>, AuthError>,
) -> Result<SignInWithPasswordCredentials, AuthError> {
    let object = object?;
    let found = contact(&object, NEEDS_CONTACT_AND_PASSWORD)?;
    let password = req_str(&object, "password")?;
    let options = sign_in_options(&object)?;
    let credentials = match found {
        Contact::Email(email) => SignInWithPasswordCredentials::email(email, password),
        Contact::Phone(phone) => SignInWithPasswordCredentials::phone(phone, password),
    };
    Ok(match options.captcha_token {
        Some(token) => credentials.captcha_token(token),
        None => credentials,
    })
}

pub(super) fn otp_sign_in(object: Result<Fields<'_>, AuthError>) -> Result<SignInWithOtpCredentials, AuthError> {
    let object = object?;
    let found = contact(&object, NEEDS_CONTACT)?;
    let options = sign_in_options(&object)?;
    let mut credentials = match found {
        Contact::Email(email) => SignInWithOtpCredentials::email(email),
        Contact::Phone(phone) => SignInWithOtpCredentials::phone(phone),
    };
    if let Some(url) = options.email_redirect_to {
        credentials = credentials.email_redirect_to(url);
    }
    if let Some(create) = options.should_create_user {
        credentials = credentials.should_create_user(create);
    }
    if let Some(data) = options.data {
        credentials = credentials.data(data);
    }
    if let Some(token) = options.captcha_token {
        credentials = credentials.captcha_token(token);
    }
    if let Some(channel) = options.channel {
        credentials = credentials.channel(channel);
    }
    Ok(credentials)
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

pub(super) fn verify_otp(object: Result<Fields<'_>, AuthError>) -> Result<VerifyOtpParams, AuthError> {
    let object = object?;
    let kind = otp_type(&req_str(&object, "type")?)?;
    let options = sign_in_options(&object)?;
    let found = (
        opt_str(&object, "email")?,
        opt_str(&object, "phone")?,
        opt_str(&object, "token")?,
        opt_str(&object, "token_hash")?,
    );
    let mut params = match found {
        (Some(email), None, Some(token), None) => VerifyOtpParams::email(email, token, kind),
        (None, Some(phone), Some(token), None) => VerifyOtpParams::phone(phone, token, kind),
        (None, None, None, Some(hash)) => VerifyOtpParams::token_hash(hash, kind),
        _ => {
            return Err(AuthError::invalid_credentials(
                "Pass { email, token, type }, { phone, token, type } or { token_hash, type }",
            ))
        }
    };
    if let Some(url) = options.redirect_to {
        params = params.redirect_to(url);
    }
    if let Some(token) = options.captcha_token {
        params = params.captcha_token(token);
    }
    Ok(params)
}

pub(super) fn resend(object: Result<Fields<'_>, AuthError>) -> Result<ResendParams, AuthError> {
    let object = object?;
    let found = contact(&object, NEEDS_CONTACT_AND_TYPE)?;
    let kind = otp_type(&req_str(&object, "type")?)?;
    let options = sign_in_options(&object)?;
    let mut params = match found {
        Contact::Email(email) => ResendParams::email(email, kind),
        Contact::Phone(phone) => ResendParams::phone(phone, kind),
    };
    if let Some(url) = options.email_redirect_to {
        params = params.email_redirect_to(url);
    }
    if let Some(token) = options.captcha_token {
        params = params.captcha_token(token);
    }
    Ok(params)
}

pub(super) fn reset_options(object: Result<Option<Fields<'_>>, AuthError>) -> Result<ResetPasswordOptions, AuthError> {
    let mut options = ResetPasswordOptions::default();
    if let Some(o) = object? {
        if let Some(url) = opt_str(&o, "redirectTo")? {
            options = options.redirect_to(url);
        }
        if let Some(token) = opt_str(&o, "captchaToken")? {
            options = options.captcha_token(token);
        }
    }
    Ok(options)
}

pub(super) fn anonymous(object: Result<Option<Fields<'_>>, AuthError>) -> Result<SignInAnonymouslyOptions, AuthError> {
    let mut options = SignInAnonymouslyOptions::default();
    if let Some(object) = object? {
        let given = sign_in_options(&object)?;
        if let Some(data) = given.data {
            options = options.data(data);
        }
        if let Some(token) = given.captcha_token {
            options = options.captcha_token(token);
        }
    }
    Ok(options)
}

pub(super) fn user_attributes(
    object: Result<Fields<'_>, AuthError>,
    options: Result<Option<Fields<'_>>, AuthError>,
) -> Result<UserAttributes, AuthError> {
    let o = object?;
    let mut attributes = UserAttributes::new();
    if let Some(email) = opt_str(&o, "email")? {
        attributes = attributes.email(email);
    }
    if let Some(phone) = opt_str(&o, "phone")? {
        attributes = attributes.phone(phone);
    }
    if let Some(password) = opt_str(&o, "password")? {
        attributes = attributes.password(password);
    }
    if let Some(nonce) = opt_str(&o, "nonce")? {
        attributes = attributes.nonce(nonce);
    }
    if let Some(password) = opt_str(&o, "current_password")? {
        attributes = attributes.current_password(password);
    }
    if let Some(data) = opt_object(&o, "data")? {
        attributes = attributes.data(data);
    }
    if let Some(channel) = channel(opt_str(&o, "channel")?.as_deref())? {
        attributes = attributes.channel(channel);
    }
    if let Some(options) = options? {
        if let Some(url) = opt_str(&options, "emailRedirectTo")? {
            attributes = attributes.email_redirect_to(url);
        }
    }
    Ok(attributes)
}

pub(super) fn sign_out_scope(object: Result<Option<Fields<'_>>, AuthError>) -> Result<SignOutScope, AuthError> {
    let scope = match object? {
        Some(o) => opt_str(&o, "scope")?,
        None => None,
    };
    match scope.as_deref() {
        None | Some("global") => Ok(SignOutScope::Global),
        Some("local") => Ok(SignOutScope::Local),
        Some("others") => Ok(SignOutScope::Others),
        Some(_) => Err(AuthError::invalid_credentials("scope must be \"global\", \"local\" or \"others\"")),
    }
}

/// `{ provider, options: { redirectTo, scopes, queryParams, skipBrowserRedirect } }`.
pub(super) fn oauth(object: Result<Fields<'_>, AuthError>) -> Result<SignInWithOAuthCredentials, AuthError> {
    let object = object?;
    let mut credentials = SignInWithOAuthCredentials::new(req_str(&object, "provider")?);
    if let Some(o) = nested(&object, "options")? {
        if let Some(url) = opt_str(&o, "redirectTo")? {
            credentials = credentials.redirect_to(url);
        }
        if let Some(scopes) = opt_str(&o, "scopes")? {
            credentials = credentials.scopes(scopes);
        }
        if let Some(params) = opt_object(&o, "queryParams")? {
            for (key, value) in params {
                if let JsonValue::String(value) = value {
                    credentials = credentials.query_param(key, value);
                }
            }
        }
        credentials = credentials.skip_browser_redirect(opt_bool(&o, "skipBrowserRedirect")?.unwrap_or(false));
    }
    Ok(credentials)
}
