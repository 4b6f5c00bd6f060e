//! Decides what a "send" does: per-user send windows, token slots on the user, PKCE flow states and
//! the message for the test mailbox. Nothing reaches the store until the handler commits, so a
//! request that fails half-way leaves no trace.

use crate::clock::Ts;
use crate::errors::ApiError;
use crate::mailbox::{mailbox_key, token_hash, MailKind, MailMessage};
use crate::models::{FlowState, TokenSlot, User};
use crate::state::{AppState, Store};
use crate::tokens::random_otp;
use crate::validate::Pkce;
use uuid::Uuid;

/// GoTrue's SMS OTP lifetime default (GOTRUE_SMS_OTP_EXP).
pub const SMS_OTP_EXP: i64 = 60;

pub struct Mailer<'a> {
    st: &'a AppState,
    now: Ts,
    mails: Vec<MailMessage>,
    flows: Vec<FlowState>,
}

impl<'a> Mailer<'a> {
    pub fn new(st: &'a AppState, now: Ts) -> Mailer<'a> {
        Mailer { st, now, mails: Vec::new(), flows: Vec::new() }
    }

    pub fn commit(self, store: &mut Store) {
        for m in self.mails {
            store.mailbox.insert(mailbox_key(&m.to), m);
        }
        store.flow_states.extend(self.flows);
    }

    fn window(&self, last: Option<Ts>, code: &'static str) -> Result<(), ApiError> {
        let freq = self.st.cfg.smtp_max_frequency;
        if let Some(last) = last {
            let retry_at = last.add_secs(freq);
            if self.now < retry_at {
                let left_us = retry_at.0 - self.now.0;
                let secs = (left_us + 999_999) / 1_000_000;
                return Err(ApiError::new(
                    429,
                    code,
                    format!("For security purposes, you can only request this after {secs} seconds."),
                ));
            }
        }
        Ok(())
    }

    /// GoTrue looks the SMS provider up on every send; with none configured the send fails and
    /// the request's transaction (a new user included) is rolled back.
    fn sms_provider(&self) -> Result<(), ApiError> {
        sms_provider_available(self.st)
    }

    fn slot(&self, address: &str, ttl: i64, pkce: bool) -> TokenSlot {
        let otp = random_otp();
        let hash = token_hash(address, &otp);
        TokenSlot { hash: if pkce { format!("pkce_{hash}") } else { hash }, otp, sent_at: self.now, ttl_secs: ttl }
    }

    fn flow(&mut self, user: &User, pkce: Option<&Pkce>, method: &str) {
        if let Some(p) = pkce {
            self.flows.push(FlowState {
                id: Uuid::new_v4(),
                user_id: user.id,
                auth_code: Uuid::new_v4(),
                code_challenge: p.challenge.clone(),
                method: p.method,
                authentication_method: method.into(),
                created_at: self.now,
                auth_code_issued_at: None,
                provider_token: None,
                provider_refresh_token: None,
            });
        }
    }

    fn push(&mut self, to: &str, kind: MailKind, slot: &TokenSlot, redirect: &str) {
        self.mails.push(MailMessage::new(&self.st.external_url, to, kind, slot, redirect));
    }

    /// Sign-up confirmation e-mail.
    pub fn confirmation(&mut self, user: &mut User, redirect: &str, pkce: Option<&Pkce>) -> Result<(), ApiError> {
        self.window(user.confirmation_sent_at, "over_email_send_rate_limit")?;
        let slot = self.slot(&user.email, self.st.cfg.otp_exp, pkce.is_some());
        self.flow(user, pkce, "email/signup");
        self.push(&user.email.clone(), MailKind::Signup, &slot, redirect);
        user.email_confirmation = Some(slot);
        user.confirmation_sent_at = Some(self.now);
        Ok(())
    }

    /// Magic link and recovery share one token slot and one send window.
    fn recovery_like(
        &mut self,
        user: &mut User,
        redirect: &str,
        pkce: Option<&Pkce>,
        kind: MailKind,
    ) -> Result<(), ApiError> {
        self.window(user.recovery_sent_at, "over_email_send_rate_limit")?;
        let slot = self.slot(&user.email, self.st.cfg.otp_exp, pkce.is_some());
        let method = if kind == MailKind::Magiclink { "magiclink" } else { "recovery" };
        self.flow(user, pkce, method);
        self.push(&user.email.clone(), kind, &slot, redirect);
        user.recovery = Some(slot);
        user.recovery_sent_at = Some(self.now);
        Ok(())
    }

    pub fn magiclink(&mut self, user: &mut User, redirect: &str, pkce: Option<&Pkce>) -> Result<(), ApiError> {
        self.recovery_like(user, redirect, pkce, MailKind::Magiclink)
    }

    pub fn recovery(&mut self, user: &mut User, redirect: &str, pkce: Option<&Pkce>) -> Result<(), ApiError> {
        self.recovery_like(user, redirect, pkce, MailKind::Recovery)
    }

    /// Secure e-mail change: one mail to the current address (when there is one), one to the new.
    pub fn email_change(
        &mut self,
        user: &mut User,
        new_email: &str,
        redirect: &str,
        pkce: Option<&Pkce>,
    ) -> Result<(), ApiError> {
        self.window(user.email_change_sent_at, "over_email_send_rate_limit")?;
        let ttl = self.st.cfg.otp_exp;
        let is_pkce = pkce.is_some();
        self.flow(user, pkce, "email_change");
        user.email_change_current = None;
        if !user.email.is_empty() {
            let current = self.slot(&user.email, ttl, is_pkce);
            self.push(&user.email.clone(), MailKind::EmailChangeCurrent, &current, redirect);
            user.email_change_current = Some(current);
        }
        let new = self.slot(new_email, ttl, is_pkce);
        self.push(new_email, MailKind::EmailChangeNew, &new, redirect);
        user.email_change_new = Some(new);
        user.new_email = new_email.into();
        user.email_change_sent_at = Some(self.now);
        Ok(())
    }

    /// SMS OTP confirming the user's phone (sign-up and phone OTP sign-in).
    pub fn sms_confirmation(&mut self, user: &mut User) -> Result<(), ApiError> {
        self.window(user.confirmation_sent_at, "over_sms_send_rate_limit")?;
        self.sms_provider()?;
        let slot = self.slot(&user.phone, SMS_OTP_EXP, false);
        self.push(&user.phone.clone(), MailKind::Sms, &slot, "");
        user.phone_confirmation = Some(slot);
        user.confirmation_sent_at = Some(self.now);
        Ok(())
    }

    pub fn phone_change(&mut self, user: &mut User, new_phone: &str) -> Result<(), ApiError> {
        self.window(user.phone_change_sent_at, "over_sms_send_rate_limit")?;
        self.sms_provider()?;
        let slot = self.slot(new_phone, SMS_OTP_EXP, false);
        self.push(new_phone, MailKind::PhoneChange, &slot, "");
        user.phone_change = Some(slot);
        user.new_phone = new_phone.into();
        user.phone_change_sent_at = Some(self.now);
        Ok(())
    }

    /// Reauthentication nonce, to the e-mail address if there is one, else by SMS.
    pub fn reauthentication(&mut self, user: &mut User) -> Result<(), ApiError> {
        let by_email = !user.email.is_empty();
        let (addr, ttl, code) = if by_email {
            (user.email.clone(), self.st.cfg.otp_exp, "over_email_send_rate_limit")
        } else {
            (user.phone.clone(), SMS_OTP_EXP, "over_sms_send_rate_limit")
        };
        self.window(user.reauthentication_sent_at, code)?;
        if !by_email {
            self.sms_provider()?;
        }
        let slot = self.slot(&addr, ttl, false);
        self.push(&addr, MailKind::Reauthentication, &slot, "");
        user.reauthentication = Some(slot);
        user.reauthentication_sent_at = Some(self.now);
        Ok(())
    }
}

/// `Ok` when SMS can be sent; GoTrue's answer otherwise (`--phone-no-sms`).
pub fn sms_provider_available(st: &AppState) -> Result<(), ApiError> {
    if st.cfg.sms_provider {
        Ok(())
    } else {
        Err(ApiError::internal("Unable to get SMS provider"))
    }
}
