//! Multi-factor authentication: `/factors` (enroll, challenge, verify, unenroll) and the
//! assurance level read from the access token.

use serde::{Deserialize, Serialize};

use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::types::{Factor, JsonValue, TokenResponse};
use crate::AuthError;

/// Which kind of factor to enroll.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactorType {
    /// An authenticator app (RFC 6238 codes).
    Totp,
    /// Codes by SMS or WhatsApp.
    Phone,
    /// A security key or passkey.
    Webauthn,
}

/// What to enroll.
#[derive(Clone, Debug, Serialize)]
pub struct MfaEnrollParams {
    factor_type: FactorType,
    #[serde(skip_serializing_if = "Option::is_none")]
    friendly_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
}

impl MfaEnrollParams {
    /// An authenticator-app factor.
    pub fn totp() -> Self {
        MfaEnrollParams { factor_type: FactorType::Totp, friendly_name: None, issuer: None, phone: None }
    }

    /// A phone factor for `phone`.
    pub fn phone(phone: impl Into<String>) -> Self {
        MfaEnrollParams { factor_type: FactorType::Phone, friendly_name: None, issuer: None, phone: Some(phone.into()) }
    }

    /// A WebAuthn factor.
    pub fn webauthn() -> Self {
        MfaEnrollParams { factor_type: FactorType::Webauthn, friendly_name: None, issuer: None, phone: None }
    }

    /// A name the user recognizes the factor by.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    /// The issuer shown in authenticator apps (TOTP).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }
}

/// A new TOTP factor's secret, URI and QR code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrollment {
    /// An SVG data URI (`data:image/svg+xml;utf-8,<svg…>`), ready for an `<img src>`.
    pub qr_code: String,
    /// The base32 secret, for manual entry.
    pub secret: crate::SecretString,
    /// The `otpauth://` URI.
    pub uri: String,
}

/// The answer to an enrollment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MfaEnrollResponse {
    /// The factor's id.
    pub id: String,
    /// `totp`, `phone` or `webauthn`.
    #[serde(rename = "type")]
    pub factor_type: String,
    /// The name given.
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// TOTP factors only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<TotpEnrollment>,
    /// Phone factors only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A challenge to answer with a code (or a WebAuthn credential).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MfaChallenge {
    /// The challenge's id, for verify.
    pub id: String,
    /// The factor type.
    #[serde(rename = "type", default)]
    pub factor_type: String,
    /// When the challenge expires (Unix seconds).
    #[serde(default)]
    pub expires_at: i64,
    /// WebAuthn only: `{ type: "create" | "request", credential_options }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webauthn: Option<JsonValue>,
}

/// The user's factors: all of them, and the verified ones by type (auth-js's shape).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FactorList {
    /// Every factor, verified or not.
    pub all: Vec<Factor>,
    /// Verified TOTP factors.
    pub totp: Vec<Factor>,
    /// Verified phone factors.
    pub phone: Vec<Factor>,
    /// Verified WebAuthn factors.
    pub webauthn: Vec<Factor>,
}

impl FactorList {
    pub(crate) fn from_factors(all: Vec<Factor>) -> Self {
        let verified = |kind: &str| -> Vec<Factor> {
            all.iter().filter(|f| f.status == "verified" && f.factor_type == kind).cloned().collect()
        };
        FactorList { totp: verified("totp"), phone: verified("phone"), webauthn: verified("webauthn"), all }
    }
}

/// Authenticator assurance: where the session is and where it could be.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthenticatorAssurance {
    /// `aal1` or `aal2` (from the access token), `None` without a session.
    pub current_level: Option<String>,
    /// `aal2` when the user has a verified factor, else `aal1`.
    pub next_level: Option<String>,
    /// The token's `amr` entries (`{ method, timestamp }`), newest first.
    pub current_authentication_methods: Vec<JsonValue>,
}

pub(crate) async fn enroll<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    params: &MfaEnrollParams,
) -> Result<MfaEnrollResponse, AuthError> {
    let mut response: MfaEnrollResponse =
        api.send_json(ApiCall::new(Method::Post, "/factors").bearer(access_token).json(params)).await?;
    if let Some(totp) = response.totp.as_mut() {
        if !totp.qr_code.starts_with("data:") {
            totp.qr_code = format!("data:image/svg+xml;utf-8,{}", totp.qr_code);
        }
    }
    Ok(response)
}

pub(crate) async fn challenge<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    factor_id: &str,
    channel: Option<super::Channel>,
) -> Result<MfaChallenge, AuthError> {
    #[derive(Serialize)]
    struct Body {
        #[serde(skip_serializing_if = "Option::is_none")]
        channel: Option<super::Channel>,
    }
    let path = format!("/factors/{}/challenge", crate::url::encode_component(factor_id));
    api.send_json(ApiCall::new(Method::Post, path).bearer(access_token).json(&Body { channel })).await
}

pub(crate) async fn verify<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    factor_id: &str,
    challenge_id: &str,
    code: &str,
) -> Result<TokenResponse, AuthError> {
    #[derive(Serialize)]
    struct Body<'a> {
        challenge_id: &'a str,
        code: &'a str,
    }
    let path = format!("/factors/{}/verify", crate::url::encode_component(factor_id));
    api.send_json(ApiCall::new(Method::Post, path).bearer(access_token).json(&Body { challenge_id, code })).await
}

pub(crate) async fn unenroll<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    factor_id: &str,
) -> Result<String, AuthError> {
    #[derive(Deserialize)]
    struct Unenrolled {
        id: String,
    }
    let path = format!("/factors/{}", crate::url::encode_component(factor_id));
    let answer: Unenrolled = api.send_json(ApiCall::new(Method::Delete, path).bearer(access_token)).await?;
    Ok(answer.id)
}

pub(crate) async fn verify_webauthn<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    factor_id: &str,
    challenge_id: &str,
    webauthn: &JsonValue,
) -> Result<TokenResponse, AuthError> {
    #[derive(Serialize)]
    struct Body<'a> {
        challenge_id: &'a str,
        webauthn: &'a JsonValue,
    }
    let path = format!("/factors/{}/verify", crate::url::encode_component(factor_id));
    api.send_json(ApiCall::new(Method::Post, path).bearer(access_token).json(&Body { challenge_id, webauthn })).await
}
