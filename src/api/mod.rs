//! One file per area of the auth API. Each request type doubles as its builder and
//! serializes straight into the body the server expects.

pub(crate) mod admin;
pub(crate) mod identities;
pub(crate) mod logout;
pub(crate) mod mfa;
pub(crate) mod oauth;
pub(crate) mod otp;
pub(crate) mod recover;
pub(crate) mod settings;
pub(crate) mod signup;
pub(crate) mod token;
pub(crate) mod user;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

pub use admin::{AdminApi, AdminUserAttributes, GenerateLinkParams, GenerateLinkType, GeneratedLink, UserList};
pub use identities::{SignInWithIdTokenCredentials, SignInWithSsoCredentials};
pub use logout::SignOutScope;
pub use mfa::{
    AuthenticatorAssurance, FactorList, FactorType, MfaChallenge, MfaEnrollParams, MfaEnrollResponse, TotpEnrollment,
};
pub use oauth::{OAuthResponse, SignInWithOAuthCredentials};
pub use otp::{MessageSent, OtpType, ResendParams, SignInWithOtpCredentials, VerifyOtpParams};
pub use recover::ResetPasswordOptions;
pub use signup::{SignInAnonymouslyOptions, SignUpCredentials};
pub use token::SignInWithPasswordCredentials;
pub use user::UserAttributes;

/// How an SMS-capable flow delivers its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A text message (the default).
    #[default]
    Sms,
    /// A WhatsApp message.
    Whatsapp,
}

/// `gotrue_meta_security`: where the server looks for a CAPTCHA token.
#[derive(Serialize)]
pub(crate) struct MetaSecurity<'a> {
    captcha_token: &'a str,
}

pub(crate) fn meta_security(captcha_token: Option<&str>) -> Option<MetaSecurity<'_>> {
    captcha_token.map(|captcha_token| MetaSecurity { captcha_token })
}

/// Lets a response that is either a session or something else be told apart before the
/// full parse (sign-up returns a Session or a bare User with the same status).
#[derive(Deserialize)]
pub(crate) struct HasAccessToken {
    #[serde(default)]
    access_token: Option<IgnoredAny>,
}

pub(crate) fn carries_session(body: &str) -> bool {
    crate::codec::from_str::<HasAccessToken>(body).is_ok_and(|probe| probe.access_token.is_some())
}

/// The caller gave neither an email nor a phone number, or gave both.
pub(crate) fn email_or_phone_error() -> crate::AuthError {
    crate::AuthError::invalid_credentials("You must provide either an email or phone number.")
}

/// `code_challenge` and `code_challenge_method`, added to a body when the flow is PKCE.
#[derive(Serialize)]
pub(crate) struct PkceBody<'a> {
    code_challenge: &'a str,
    code_challenge_method: &'static str,
}

pub(crate) fn pkce_body(flow: Option<&crate::pkce::StartedFlow>) -> Option<PkceBody<'_>> {
    flow.map(|flow| PkceBody {
        code_challenge: flow.challenge.as_str(),
        code_challenge_method: flow.challenge.method(),
    })
}

/// The redirect URL with the flow id added, so the verifier of this flow is found when the
/// user comes back.
pub(crate) fn redirect_for(redirect_to: Option<&str>, flow: Option<&crate::pkce::StartedFlow>) -> Option<String> {
    match (redirect_to, flow) {
        (Some(url), Some(flow)) => Some(crate::pkce::with_flow_id(url, &flow.flow_id)),
        (Some(url), None) => Some(url.to_string()),
        (None, _) => None,
    }
}
