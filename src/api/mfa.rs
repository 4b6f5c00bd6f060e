//! Multi-factor authentication: `/factors` (enroll, challenge, verify, unenroll) and the
//! assurance level read from the access token.

use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};
use crate::types::{Factor, JsonValue, TokenResponse};
use crate::AuthError;

/// Which kind of factor to enroll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactorType {
    /// An authenticator app (RFC 6238 codes).
    Totp,
    /// Codes by SMS or WhatsApp.
    Phone,
    /// A security key or passkey.
    Webauthn,
}

/// What to enroll.
#[derive(Clone, Debug)]
pub struct MfaEnrollParams {
    factor_type: FactorType,
    friendly_name: Option<String>,
    issuer: Option<String>,
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpEnrollment {
    /// An SVG data URI (`data:image/svg+xml;utf-8,<svg…>`), ready for an `<img src>`.
    pub qr_code: String,
    /// The base32 secret, for manual entry.
    pub secret: crate::SecretString,
    /// The `otpauth://` URI.
    pub uri: String,
}

/// The answer to an enrollment.
#[derive(Clone, Debug, PartialEq)]
pub struct MfaEnrollResponse {
    /// The factor's id.
    pub id: String,
    /// `totp`, `phone` or `webauthn`.
    pub factor_type: String,
    /// The name given.
    pub friendly_name: Option<String>,
    /// TOTP factors only.
    pub totp: Option<TotpEnrollment>,
    /// Phone factors only.
    pub phone: Option<String>,
}

/// A challenge to answer with a code (or a WebAuthn credential).
#[derive(Clone, Debug, PartialEq)]
pub struct MfaChallenge {
    /// The challenge's id, for verify.
    pub id: String,
    /// The factor type.
    pub factor_type: String,
    /// When the challenge expires (Unix seconds).
    pub expires_at: i64,
    /// WebAuthn only: `{ type: "create" | "request", credential_options }`.
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
    /// Verified recovery-code factors.
    pub recovery_code: Vec<Factor>,
}

impl FactorList {
    pub(crate) fn from_factors(all: Vec<Factor>) -> Self {
        let verified = |kind: &str| -> Vec<Factor> {
            all.iter().filter(|f| f.status == "verified" && f.factor_type == kind).cloned().collect()
        };
        FactorList {
            totp: verified("totp"),
            phone: verified("phone"),
            webauthn: verified("webauthn"),
            recovery_code: verified("recovery_code"),
            all,
        }
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

impl FactorType {
    fn as_str(self) -> &'static str {
        match self {
            FactorType::Totp => "totp",
            FactorType::Phone => "phone",
            FactorType::Webauthn => "webauthn",
        }
    }
}

impl ToJson for FactorType {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

/// `{ factor_type, friendly_name?, issuer?, phone? }`, the enrollment body.
impl ToJson for MfaEnrollParams {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("factor_type", &self.factor_type)
            .opt("friendly_name", &self.friendly_name)
            .opt("issuer", &self.issuer)
            .opt("phone", &self.phone);
        object.finish();
    }
}

impl FromJson for TotpEnrollment {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "totp")?;
        Ok(TotpEnrollment { qr_code: fields.req("qr_code")?, secret: fields.req("secret")?, uri: fields.req("uri")? })
    }
}

impl ToJson for TotpEnrollment {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("qr_code", &self.qr_code).field("secret", &self.secret).field("uri", &self.uri);
        object.finish();
    }
}

impl FromJson for MfaEnrollResponse {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "enrollment")?;
        Ok(MfaEnrollResponse {
            id: fields.req("id")?,
            factor_type: fields.req("type")?,
            friendly_name: fields.opt("friendly_name")?,
            totp: fields.opt("totp")?,
            phone: fields.opt("phone")?,
        })
    }
}

impl ToJson for MfaEnrollResponse {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("id", &self.id)
            .field("type", &self.factor_type)
            .field("friendly_name", &self.friendly_name)
            .opt("totp", &self.totp)
            .opt("phone", &self.phone);
        object.finish();
    }
}

impl FromJson for MfaChallenge {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "challenge")?;
        Ok(MfaChallenge {
            id: fields.req("id")?,
            factor_type: fields.or_default("type")?,
            expires_at: fields.or_default("expires_at")?,
            webauthn: fields.opt("webauthn")?,
        })
    }
}

impl ToJson for MfaChallenge {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("id", &self.id)
            .field("type", &self.factor_type)
            .field("expires_at", &self.expires_at)
            .opt("webauthn", &self.webauthn);
        object.finish();
    }
}

/// `{ all, totp, phone, webauthn }`, as auth-js's `listFactors` answers.
impl ToJson for FactorList {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("all", &self.all)
            .field("totp", &self.totp)
            .field("phone", &self.phone)
            .field("webauthn", &self.webauthn)
            .field("recovery_code", &self.recovery_code);
        object.finish();
    }
}

/// `{ currentLevel, nextLevel, currentAuthenticationMethods }`, as auth-js's
/// `getAuthenticatorAssuranceLevel` answers (levels `null` without a session).
impl ToJson for AuthenticatorAssurance {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("currentLevel", &self.current_level)
            .field("nextLevel", &self.next_level)
            .field("currentAuthenticationMethods", &self.current_authentication_methods);
        object.finish();
    }
}

pub(crate) async fn enroll<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    params: &MfaEnrollParams,
) -> Result<MfaEnrollResponse, AuthError> {
    let mut response: MfaEnrollResponse =
        api.send_json(ApiCall::new(Method::Post, "/factors").bearer_if(access_token).json(params)).await?;
    if let Some(totp) = response.totp.as_mut() {
        if !totp.qr_code.starts_with("data:") {
            totp.qr_code = crate::text::concat(&["data:image/svg+xml;utf-8,", totp.qr_code.as_str()]);
        }
    }
    Ok(response)
}

pub(crate) async fn challenge<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    factor_id: &str,
    channel: Option<super::Channel>,
) -> Result<MfaChallenge, AuthError> {
    struct Body {
        channel: Option<super::Channel>,
    }
    impl ToJson for Body {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            object.opt("channel", &self.channel);
            object.finish();
        }
    }
    let path = crate::text::concat(&["/factors/", &crate::url::encode_component(factor_id), "/challenge"]);
    api.send_json(ApiCall::new(Method::Post, path).bearer_if(access_token).json(&Body { channel })).await
}

pub(crate) async fn verify<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    factor_id: &str,
    challenge_id: &str,
    code: &str,
) -> Result<TokenResponse, AuthError> {
    verify_answer(api, access_token, factor_id, challenge_id, "code", code).await
}

/// `POST /factors/{id}/verify` with `{ challenge_id, <answer_key>: answer }`: the one request
/// behind a TOTP or phone code (`code`) and a WebAuthn answer (`webauthn`).
pub(crate) async fn verify_answer<T: HttpTransport, A: ToJson + ?Sized>(
    api: &Api<T>,
    access_token: Option<&str>,
    factor_id: &str,
    challenge_id: &str,
    answer_key: &str,
    answer: &A,
) -> Result<TokenResponse, AuthError> {
    struct Body<'a, A: ?Sized> {
        challenge_id: &'a str,
        answer_key: &'a str,
        answer: &'a A,
    }
    impl<A: ToJson + ?Sized> ToJson for Body<'_, A> {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            object.field("challenge_id", self.challenge_id).field(self.answer_key, self.answer);
            object.finish();
        }
    }
    let path = crate::text::concat(&["/factors/", &crate::url::encode_component(factor_id), "/verify"]);
    let body = Body { challenge_id, answer_key, answer };
    api.send_json(ApiCall::new(Method::Post, path).bearer_if(access_token).json(&body)).await
}

pub(crate) async fn unenroll<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    factor_id: &str,
) -> Result<String, AuthError> {
    struct Unenrolled {
        id: String,
    }
    impl FromJson for Unenrolled {
        fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
            Ok(Unenrolled { id: Fields::of(value, "answer")?.req("id")? })
        }
    }
    let path = crate::text::concat(&["/factors/", &crate::url::encode_component(factor_id)]);
    let answer: Unenrolled = api.send_json(ApiCall::new(Method::Delete, path).bearer_if(access_token)).await?;
    Ok(answer.id)
}

pub(crate) async fn verify_webauthn<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    factor_id: &str,
    challenge_id: &str,
    webauthn: &JsonValue,
) -> Result<TokenResponse, AuthError> {
    verify_answer(api, access_token, factor_id, challenge_id, "webauthn", webauthn).await
}
