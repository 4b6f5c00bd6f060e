//! MFA factors and their challenges (contract §2.4, §4.15), kept on the user record.

use crate::clock::Ts;
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// GOTRUE_MFA_CHALLENGE_EXPIRY_DURATION default: a challenge can be verified for this long.
pub const CHALLENGE_EXPIRY_SECS: i64 = 300;
/// GOTRUE_MFA_FACTOR_EXPIRY_DURATION default: unverified factors older than this are purged at
/// the next enrollment.
pub const FACTOR_EXPIRY_SECS: i64 = 300;
/// GOTRUE_MFA_MAX_ENROLLED_FACTORS / GOTRUE_MFA_MAX_VERIFIED_FACTORS defaults.
pub const MAX_ENROLLED_FACTORS: usize = 10;
pub const MAX_VERIFIED_FACTORS: usize = 10;

/// AMR methods that make a session AAL2.
pub const MFA_METHODS: [&str; 4] = ["totp", "mfa/phone", "mfa/webauthn", "mfa/recovery_code"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactorType {
    Totp,
    Phone,
    WebAuthn,
    /// The recovery-codes factor (`routes/recovery_codes.rs`); never enrolled through `/factors`.
    RecoveryCode,
}

impl FactorType {
    pub fn parse(s: &str) -> Option<FactorType> {
        match s {
            "totp" => Some(FactorType::Totp),
            "phone" => Some(FactorType::Phone),
            "webauthn" => Some(FactorType::WebAuthn),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FactorType::Totp => "totp",
            FactorType::Phone => "phone",
            FactorType::WebAuthn => "webauthn",
            FactorType::RecoveryCode => "recovery_code",
        }
    }

    /// The AMR method a successful verification adds to the session.
    pub fn amr_method(self) -> &'static str {
        match self {
            FactorType::Totp => "totp",
            FactorType::Phone => "mfa/phone",
            FactorType::WebAuthn => "mfa/webauthn",
            FactorType::RecoveryCode => "mfa/recovery_code",
        }
    }
}

/// What a WebAuthn challenge asked the browser for.
#[derive(Clone, Debug)]
pub struct WebAuthnChallenge {
    /// `create` (registration of an unverified factor) or `request` (assertion).
    pub kind: &'static str,
    /// base64url, no padding.
    pub challenge: String,
    /// The relying party id (host of SITE_URL); a response's origin must be on this host.
    pub rp_id: String,
}

/// One recovery code: the SHA-256 (hex) of its normalized text, and when it was used.
#[derive(Clone, Debug)]
pub struct RecoveryCode {
    pub hash: String,
    pub used_at: Option<Ts>,
}

#[derive(Clone, Debug)]
pub struct Challenge {
    pub id: Uuid,
    pub created_at: Ts,
    pub verified_at: Option<Ts>,
    /// Phone factors: the code sent by SMS.
    pub otp: Option<String>,
    pub webauthn: Option<WebAuthnChallenge>,
}

impl Challenge {
    pub fn expires_at(&self) -> Ts {
        self.created_at.add_secs(CHALLENGE_EXPIRY_SECS)
    }
    pub fn is_expired(&self, now: Ts) -> bool {
        now > self.expires_at()
    }
}

#[derive(Clone, Debug)]
pub struct Factor {
    pub id: Uuid,
    pub created_at: Ts,
    pub updated_at: Ts,
    pub verified: bool,
    pub friendly_name: String,
    pub factor_type: FactorType,
    /// Phone factors only (digits, no `+`); `""` otherwise.
    pub phone: String,
    /// TOTP factors only: the base32 secret.
    pub secret: String,
    pub last_challenged_at: Option<Ts>,
    /// WebAuthn: the credential id (base64url) registered by the `create` ceremony.
    pub webauthn_credential_id: Option<String>,
    /// WebAuthn: the public key registered with the credential, and its signature counter.
    pub webauthn_public_key: Option<crate::webauthn::PublicKey>,
    pub webauthn_sign_count: u32,
    /// Recovery-codes factor only: the current set, failed attempts and the lockout.
    pub recovery_codes: Vec<RecoveryCode>,
    pub recovery_failures: u32,
    pub recovery_locked_until: Option<Ts>,
    pub web_authn_aaguid: Option<Uuid>,
    pub last_webauthn_challenge_data: Option<Value>,
    pub challenges: Vec<Challenge>,
}

impl Factor {
    pub fn new(factor_type: FactorType, friendly_name: &str, now: Ts) -> Factor {
        Factor {
            id: Uuid::new_v4(),
            created_at: now,
            updated_at: now,
            verified: false,
            friendly_name: friendly_name.into(),
            factor_type,
            phone: String::new(),
            secret: String::new(),
            last_challenged_at: None,
            webauthn_credential_id: None,
            webauthn_public_key: None,
            webauthn_sign_count: 0,
            recovery_codes: Vec::new(),
            recovery_failures: 0,
            recovery_locked_until: None,
            web_authn_aaguid: None,
            last_webauthn_challenge_data: None,
            challenges: Vec::new(),
        }
    }

    pub fn status(&self) -> &'static str {
        if self.verified {
            "verified"
        } else {
            "unverified"
        }
    }

    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("id".into(), json!(self.id.to_string()));
        o.insert("created_at".into(), json!(self.created_at.rfc3339()));
        o.insert("updated_at".into(), json!(self.updated_at.rfc3339()));
        o.insert("status".into(), json!(self.status()));
        if !self.friendly_name.is_empty() {
            o.insert("friendly_name".into(), json!(self.friendly_name));
        }
        o.insert("factor_type".into(), json!(self.factor_type.as_str()));
        o.insert("phone".into(), json!(self.phone));
        // No omitempty in GoTrue: an explicit null until the first challenge.
        o.insert("last_challenged_at".into(), self.last_challenged_at.map_or(Value::Null, |t| json!(t.rfc3339())));
        if let Some(a) = self.web_authn_aaguid {
            o.insert("web_authn_aaguid".into(), json!(a.to_string()));
        }
        if let Some(d) = &self.last_webauthn_challenge_data {
            o.insert("last_webauthn_challenge_data".into(), d.clone());
        }
        Value::Object(o)
    }
}
