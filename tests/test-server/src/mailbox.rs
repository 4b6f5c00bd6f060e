//! The test mailbox: every e-mail or SMS the server "sends" lands here, keyed by address, so tests
//! and the demo can read OTPs and links through `GET /__test/mailbox/{address}`.

use crate::models::TokenSlot;
use crate::redirect::query_escape;
use serde_json::{json, Value};
use sha2::{Digest, Sha224};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    Signup,
    Magiclink,
    Recovery,
    Invite,
    EmailChangeCurrent,
    EmailChangeNew,
    Reauthentication,
    Sms,
    PhoneChange,
    /// The code of an MFA phone-factor challenge.
    MfaPhone,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Signup => "signup",
            MailKind::Magiclink => "magiclink",
            MailKind::Recovery => "recovery",
            MailKind::Invite => "invite",
            MailKind::EmailChangeCurrent => "email_change_current",
            MailKind::EmailChangeNew => "email_change_new",
            MailKind::Reauthentication => "reauthentication",
            MailKind::Sms => "sms",
            MailKind::PhoneChange => "phone_change",
            MailKind::MfaPhone => "mfa_phone",
        }
    }

    /// The `type` a `GET /verify` link carries; `None` for messages that carry only an OTP.
    pub fn link_type(self) -> Option<&'static str> {
        match self {
            MailKind::Signup => Some("signup"),
            MailKind::Magiclink => Some("magiclink"),
            MailKind::Recovery => Some("recovery"),
            MailKind::Invite => Some("invite"),
            MailKind::EmailChangeCurrent | MailKind::EmailChangeNew => Some("email_change"),
            MailKind::Reauthentication | MailKind::Sms | MailKind::PhoneChange | MailKind::MfaPhone => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct MailMessage {
    pub to: String,
    pub kind: MailKind,
    pub otp: String,
    pub token_hash: String,
    pub link: String,
    pub redirect_to: String,
    pub sent_at: i64,
}

impl MailMessage {
    pub fn new(external_url: &str, to: &str, kind: MailKind, slot: &TokenSlot, redirect_to: &str) -> MailMessage {
        let (link, redirect_to) = match kind.link_type() {
            Some(t) => (
                format!(
                    "{external_url}/verify?token={}&type={t}&redirect_to={}",
                    query_escape(&slot.hash),
                    query_escape(redirect_to)
                ),
                redirect_to.to_string(),
            ),
            None => (String::new(), String::new()),
        };
        MailMessage {
            to: to.into(),
            kind,
            otp: slot.otp.clone(),
            token_hash: slot.hash.clone(),
            link,
            redirect_to,
            sent_at: slot.sent_at.secs(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "to": self.to,
            "type": self.kind.as_str(),
            "otp": self.otp,
            "token_hash": self.token_hash,
            "link": self.link,
            "redirect_to": self.redirect_to,
            "sent_at": self.sent_at,
        })
    }
}

/// GoTrue's token hash: hex SHA-224 of the address followed by the OTP.
pub fn token_hash(address: &str, otp: &str) -> String {
    let digest = Sha224::digest(format!("{address}{otp}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Mailbox keys: e-mails lower-cased, phones as bare digits (no `+`, no spaces).
pub fn mailbox_key(address: &str) -> String {
    let a = address.trim();
    if a.contains('@') {
        a.to_lowercase()
    } else {
        a.trim_start_matches('+').replace(' ', "")
    }
}
