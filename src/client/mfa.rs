//! MFA operations of the client (auth-js's `mfa` namespace).

use super::GoTrueClient;
use crate::api::mfa::{self, AuthenticatorAssurance, FactorList, MfaChallenge, MfaEnrollParams, MfaEnrollResponse};
use crate::api::Channel;
use crate::events::AuthChangeEvent;
use crate::http::HttpTransport;
use crate::storage::Storage;
use crate::types::{AuthResponse, JsonValue};
use crate::AuthError;

impl<T: HttpTransport, S: Storage, U: crate::types::SessionUser> GoTrueClient<T, S, U> {
    /// Enrolls a factor. A TOTP factor comes back with its secret, `otpauth://` URI and a QR
    /// code as an SVG data URI; it is verified by a first challenge and verify.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let enrolled = client.mfa_enroll(&MfaEnrollParams::totp().friendly_name("phone app")).await?;
    /// if let Some(totp) = &enrolled.totp {
    ///     println!("scan {}", totp.uri);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn mfa_enroll(&self, params: &MfaEnrollParams) -> Result<MfaEnrollResponse, AuthError> {
        let token = self.optional_access_token().await?;
        mfa::enroll(&self.api, token.as_deref(), params).await
    }

    /// Starts a challenge of `factor_id` (`channel` for phone factors).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let challenge = client.mfa_challenge("factor-id", None).await?;
    /// println!("challenge {}", challenge.id);
    /// # Ok(()) }
    /// ```
    pub async fn mfa_challenge(&self, factor_id: &str, channel: Option<Channel>) -> Result<MfaChallenge, AuthError> {
        let token = self.optional_access_token().await?;
        mfa::challenge(&self.api, token.as_deref(), factor_id, channel).await
    }

    /// Answers a challenge. The new aal2 session is stored and MFA_CHALLENGE_VERIFIED emitted.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let challenge = client.mfa_challenge("factor-id", None).await?;
    /// let aal2 = client.mfa_verify("factor-id", &challenge.id, "123456").await?;
    /// # Ok(()) }
    /// ```
    pub async fn mfa_verify(
        &self,
        factor_id: &str,
        challenge_id: &str,
        code: &str,
    ) -> Result<AuthResponse<U>, AuthError> {
        let token = self.optional_access_token().await?;
        let response = mfa::verify(&self.api, token.as_deref(), factor_id, challenge_id, code).await?;
        self.signed_in(response, AuthChangeEvent::MfaChallengeVerified).await
    }

    /// Answers a WebAuthn challenge with the browser's credential response
    /// (`{ type: "create" | "request", credential_response }`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// // The browser's credential response, as JSON.
    /// let response = JsonValue::from_json_str(r#"{"type":"request","credential_response":{}}"#)?;
    /// client.mfa_verify_webauthn("factor-id", "challenge-id", &response).await?;
    /// # Ok(()) }
    /// ```
    pub async fn mfa_verify_webauthn(
        &self,
        factor_id: &str,
        challenge_id: &str,
        webauthn: &JsonValue,
    ) -> Result<AuthResponse<U>, AuthError> {
        let token = self.optional_access_token().await?;
        let response = mfa::verify_webauthn(&self.api, token.as_deref(), factor_id, challenge_id, webauthn).await?;
        self.signed_in(response, AuthChangeEvent::MfaChallengeVerified).await
    }

    /// Challenges and verifies in one go (TOTP: the code is already at hand).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// client.mfa_challenge_and_verify("factor-id", "123456").await?;
    /// # Ok(()) }
    /// ```
    pub async fn mfa_challenge_and_verify(&self, factor_id: &str, code: &str) -> Result<AuthResponse<U>, AuthError> {
        let challenge = self.mfa_challenge(factor_id, None).await?;
        self.mfa_verify(factor_id, &challenge.id, code).await
    }

    /// Removes a factor; returns its id.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let removed_id = client.mfa_unenroll("factor-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn mfa_unenroll(&self, factor_id: &str) -> Result<String, AuthError> {
        let token = self.optional_access_token().await?;
        mfa::unenroll(&self.api, token.as_deref(), factor_id).await
    }

    /// Where the session stands (`aal1`/`aal2`) and where it could go, read from the access
    /// token and the stored user: no request.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let level = client.mfa_get_authenticator_assurance_level().await?;
    /// let needs_code = level.next_level != level.current_level;
    /// # Ok(()) }
    /// ```
    pub async fn mfa_get_authenticator_assurance_level(&self) -> Result<AuthenticatorAssurance, AuthError> {
        let Some(session) = self.get_session().await? else {
            return Ok(AuthenticatorAssurance {
                current_level: None,
                next_level: None,
                current_authentication_methods: vec![],
            });
        };
        assurance(session.access_token.expose(), session.user.has_verified_factor())
    }

    /// As [`Self::mfa_get_authenticator_assurance_level`] for the access token `jwt` (auth-js's
    /// argument): its claims, and its user's factors from the server (`GET /user`).
    pub async fn mfa_get_authenticator_assurance_level_of(
        &self,
        jwt: &str,
    ) -> Result<AuthenticatorAssurance, AuthError> {
        crate::jwt::decode_claims(jwt)?;
        let user = self.get_user_with_jwt(jwt).await?;
        assurance(jwt, user.has_verified_factor())
    }
}

/// What needs the typed user's factors.
impl<T: HttpTransport, S: Storage> GoTrueClient<T, S> {
    /// The user's factors (fetched with `GET /user`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let factors = client.mfa_list_factors().await?;
    /// println!("{} TOTP factors", factors.totp.len());
    /// # Ok(()) }
    /// ```
    pub async fn mfa_list_factors(&self) -> Result<FactorList, AuthError> {
        let user = self.get_user().await?;
        Ok(FactorList::from_factors(user.factors.unwrap_or_default()))
    }
}

/// The levels of `jwt`: its `aal` (none when it has none, as in auth-js) and aal2 next when
/// the user has a verified factor.
fn assurance(jwt: &str, has_verified: bool) -> Result<AuthenticatorAssurance, AuthError> {
    let claims = crate::jwt::decode_claims(jwt)?;
    let current = claims.aal.clone();
    Ok(AuthenticatorAssurance {
        next_level: if has_verified { Some("aal2".to_string()) } else { current.clone() },
        current_level: current,
        current_authentication_methods: claims.amr.unwrap_or_default().into_iter().map(amr_entry).collect(),
    })
}

/// `amr` entries are objects; the server's own parser also accepts plain method strings.
fn amr_entry(entry: JsonValue) -> JsonValue {
    match entry {
        JsonValue::String(method) => {
            let mut object = crate::types::JsonObject::new();
            object.insert("method".into(), JsonValue::String(method));
            object.insert("timestamp".into(), JsonValue::from(0));
            JsonValue::Object(object)
        }
        other => other,
    }
}
