//! One file per area of the auth API. Each request type doubles as its builder and
//! writes itself ([`crate::ToJson`]) straight into the body the server expects.

pub(crate) mod admin;
pub(crate) mod custom_providers;
pub(crate) mod identities;
pub(crate) mod logout;
pub(crate) mod mfa;
pub(crate) mod oauth;
pub(crate) mod oauth_server;
pub mod ops;
pub(crate) mod otp;
pub(crate) mod passkeys;
pub(crate) mod recover;
pub(crate) mod recovery_codes;
pub(crate) mod settings;
pub(crate) mod signup;
pub(crate) mod token;
pub(crate) mod user;
pub(crate) mod webauthn;
pub(crate) mod webauthn_ceremony;

use crate::json::{ObjectWriter, ToJson};
use crate::types::JsonValue;

pub use admin::{AdminApi, AdminUserAttributes, GenerateLinkParams, GenerateLinkType, GeneratedLink, UserList};
pub use custom_providers::{CustomProvider, CustomProviderParams};
pub use identities::{SignInWithIdTokenCredentials, SignInWithSsoCredentials};
pub use logout::SignOutScope;
pub use mfa::{
    AuthenticatorAssurance, FactorList, FactorType, MfaChallenge, MfaEnrollParams, MfaEnrollResponse, TotpEnrollment,
};
pub use oauth::{OAuthResponse, SignInWithOAuthCredentials};
pub use oauth_server::{
    OAuthAuthorizationDetails, OAuthClient, OAuthClientDetails, OAuthClientList, OAuthClientParams, OAuthGrant,
    OAuthRedirect,
};
pub use otp::{MessageSent, OtpType, ResendParams, SignInWithOtpCredentials, VerifyOtpParams};
pub use passkeys::{Passkey, PasskeyCeremony};
pub use recover::ResetPasswordOptions;
pub use recovery_codes::{RecoveryCodes, RecoveryCodesStatus};
pub use signup::{SignInAnonymouslyOptions, SignUpCredentials};
pub use token::SignInWithPasswordCredentials;
pub use user::UserAttributes;
pub use webauthn::{WebAuthnCeremony, WebAuthnCredentialResponse, WebAuthnRelyingParty};

/// How an SMS-capable flow delivers its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Channel {
    /// A text message (the default).
    #[default]
    Sms,
    /// A WhatsApp message.
    Whatsapp,
}

impl Channel {
    /// The channel's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Whatsapp => "whatsapp",
        }
    }
}

impl ToJson for Channel {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

/// `gotrue_meta_security`: where the server looks for a CAPTCHA token.
pub(crate) struct MetaSecurity<'a> {
    captcha_token: &'a str,
}

impl ToJson for MetaSecurity<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("captcha_token", self.captcha_token);
        object.finish();
    }
}

pub(crate) fn meta_security(captcha_token: Option<&str>) -> Option<MetaSecurity<'_>> {
    captcha_token.map(|captcha_token| MetaSecurity { captcha_token })
}

/// A request body whose fields can be written into an object another body opened: the
/// builders are sent as they are, or with CAPTCHA and PKCE fields beside their own.
pub(crate) trait BodyFields {
    /// Writes this body's fields into `object`.
    fn write_fields(&self, object: &mut ObjectWriter<'_>);
}

/// Writes `body` as an object of its own.
pub(crate) fn write_body(body: &impl BodyFields, out: &mut String) {
    let mut object = ObjectWriter::new(out);
    body.write_fields(&mut object);
    object.finish();
}

/// Whether a parsed answer is a session rather than something else (sign-up returns a
/// Session or a bare User with the same status): it has a non-null `access_token`.
pub(crate) fn carries_session(body: &JsonValue) -> bool {
    body.get("access_token").is_some_and(|token| !matches!(token, JsonValue::Null))
}

/// The caller gave neither an email nor a phone number, or gave both.
pub(crate) fn email_or_phone_error() -> crate::AuthError {
    crate::AuthError::invalid_credentials("You must provide either an email or phone number.")
}

/// `code_challenge` and `code_challenge_method`, added to a body when the flow is PKCE.
pub(crate) struct PkceBody<'a> {
    code_challenge: &'a str,
    code_challenge_method: &'static str,
}

impl BodyFields for PkceBody<'_> {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object.field("code_challenge", self.code_challenge).field("code_challenge_method", self.code_challenge_method);
    }
}

/// Writes the PKCE fields, when the flow is PKCE.
pub(crate) fn write_pkce(object: &mut ObjectWriter<'_>, pkce: &Option<PkceBody<'_>>) {
    if let Some(pkce) = pkce {
        pkce.write_fields(object);
    }
}

pub(crate) fn pkce_body(flow: Option<&crate::pkce::StartedFlow>) -> Option<PkceBody<'_>> {
    flow.map(|flow| PkceBody {
        code_challenge: flow.challenge.as_str(),
        code_challenge_method: flow.challenge.method(),
    })
}

/// The redirect URL, with the flow id added when the client opted in, so the verifier of this
/// flow is found when the user comes back.
pub(crate) fn redirect_for(redirect_to: Option<&str>, flow: Option<&crate::pkce::StartedFlow>) -> Option<String> {
    match (redirect_to, flow) {
        (Some(url), Some(flow)) if flow.append_to_redirect => Some(crate::pkce::with_flow_id(url, &flow.flow_id)),
        (Some(url), _) => Some(url.to_string()),
        (None, _) => None,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod ops_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod webauthn_tests;
