//! MFA recovery codes (auth-js's experimental `mfa.recoveryCodes` namespace).

use super::GoTrueClient;
use crate::api::recovery_codes::{self, RecoveryCodes, RecoveryCodesStatus};
use crate::events::AuthChangeEvent;
use crate::http::HttpTransport;
use crate::storage::Storage;
use crate::types::AuthResponse;
use crate::AuthError;

impl<T: HttpTransport, S: Storage, U: crate::types::SessionUser> GoTrueClient<T, S, U> {
    /// How many recovery codes the user has, and how many are unused (auth-js
    /// `mfa.recoveryCodes.getStatus`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let status = client.mfa_recovery_codes_get_status().await?;
    /// println!("{} of {} codes left", status.remaining, status.total);
    /// # Ok(()) }
    /// ```
    pub async fn mfa_recovery_codes_get_status(&self) -> Result<RecoveryCodesStatus, AuthError> {
        let token = self.session_token().await?;
        recovery_codes::status(&self.api, &token).await
    }

    /// A first set of codes, shown this once; needs an AAL2 session and another verified
    /// factor (auth-js `mfa.recoveryCodes.generate`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let set = client.mfa_recovery_codes_generate(Some("Printed")).await?;
    /// // Shown this once: let the user write them down.
    /// println!("{}", set.codes.join("\n"));
    /// # Ok(()) }
    /// ```
    pub async fn mfa_recovery_codes_generate(&self, friendly_name: Option<&str>) -> Result<RecoveryCodes, AuthError> {
        let token = self.session_token().await?;
        recovery_codes::generate(&self.api, &token, friendly_name).await
    }

    /// Redeems one code: the session rises to AAL2, is stored and MFA_CHALLENGE_VERIFIED is
    /// emitted (auth-js `mfa.recoveryCodes.verify`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let verified = client.mfa_recovery_codes_verify("abcd-efgh").await?;
    /// assert!(verified.session.is_some());
    /// # Ok(()) }
    /// ```
    pub async fn mfa_recovery_codes_verify(&self, code: &str) -> Result<AuthResponse<U>, AuthError> {
        let token = self.session_token().await?;
        let response = recovery_codes::verify(&self.api, &token, code).await?;
        self.signed_in(response, AuthChangeEvent::MfaChallengeVerified).await
    }

    /// Replaces the set (auth-js `mfa.recoveryCodes.regenerate`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let fresh = client.mfa_recovery_codes_regenerate().await?;
    /// println!("{} new codes", fresh.codes.len());
    /// # Ok(()) }
    /// ```
    pub async fn mfa_recovery_codes_regenerate(&self) -> Result<RecoveryCodes, AuthError> {
        let token = self.session_token().await?;
        recovery_codes::regenerate(&self.api, &token).await
    }

    /// Removes the codes; returns the factor's id (auth-js `mfa.recoveryCodes.unenroll`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let factor_id = client.mfa_recovery_codes_unenroll().await?;
    /// println!("removed factor {factor_id}");
    /// # Ok(()) }
    /// ```
    pub async fn mfa_recovery_codes_unenroll(&self) -> Result<String, AuthError> {
        let token = self.session_token().await?;
        recovery_codes::unenroll(&self.api, &token).await
    }
}
