//! MFA operations of the client (auth-js's `mfa` namespace).

use super::GoTrueClient;
use crate::api::mfa::{self, AuthenticatorAssurance, FactorList, MfaChallenge, MfaEnrollParams, MfaEnrollResponse};
use crate::api::webauthn::{self, WebAuthnCredentialResponse, WebAuthnRelyingParty};
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

    /// Enrolls a WebAuthn factor (auth-js `mfa.webauthn.enroll`): an unverified factor that a
    /// `create` ceremony verifies. In a browser, `BrowserAuth::mfa_webauthn_register` does the
    /// whole registration.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let factor = client.mfa_webauthn_enroll(Some("YubiKey")).await?;
    /// assert_eq!(factor.factor_type, "webauthn");
    /// # Ok(()) }
    /// ```
    pub async fn mfa_webauthn_enroll(&self, friendly_name: Option<&str>) -> Result<MfaEnrollResponse, AuthError> {
        let mut params = MfaEnrollParams::webauthn();
        if let Some(name) = friendly_name {
            params = params.friendly_name(name);
        }
        self.mfa_enroll(&params).await
    }

    /// Starts a WebAuthn challenge of `factor_id` for `relying_party` (auth-js
    /// `mfa.webauthn.challenge`'s request): its `webauthn` member holds the `type` (`create`
    /// for an unverified factor, `request` for a verified one) and the `credential_options` for
    /// `navigator.credentials` in their JSON form. auth-js's `challenge` also runs the
    /// browser's ceremony; here that is the caller's (or `BrowserAuth`'s
    /// `mfa_webauthn_register` / `mfa_webauthn_authenticate`, which do all three steps).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let party = WebAuthnRelyingParty::new("app.example", ["https://app.example"]);
    /// let challenge = client.mfa_webauthn_challenge("factor-id", Some(&party)).await?;
    /// assert_eq!(WebAuthnCeremony::of(&challenge), Some(WebAuthnCeremony::Request));
    /// # Ok(()) }
    /// ```
    pub async fn mfa_webauthn_challenge(
        &self,
        factor_id: &str,
        relying_party: Option<&WebAuthnRelyingParty>,
    ) -> Result<MfaChallenge, AuthError> {
        let token = self.optional_access_token().await?;
        webauthn::challenge(&self.api, token.as_deref(), factor_id, relying_party).await
    }

    /// Answers a WebAuthn challenge with the browser's credential (auth-js
    /// `mfa.webauthn.verify`): the new aal2 session is stored and MFA_CHALLENGE_VERIFIED
    /// emitted; a `create` answer also verifies the factor.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, credential: JsonValue) -> Result<(), AuthError> {
    /// let party = WebAuthnRelyingParty::new("app.example", ["https://app.example"]);
    /// let challenge = client.mfa_webauthn_challenge("factor-id", Some(&party)).await?;
    /// // `credential`: what navigator.credentials.get() answered, as JSON (its toJSON()).
    /// let answer = WebAuthnCredentialResponse {
    ///     ceremony: WebAuthnCeremony::Request,
    ///     relying_party: Some(party),
    ///     credential_response: credential,
    /// };
    /// let aal2 = client.mfa_webauthn_verify("factor-id", &challenge.id, &answer).await?;
    /// assert!(aal2.session.is_some());
    /// # Ok(()) }
    /// ```
    pub async fn mfa_webauthn_verify(
        &self,
        factor_id: &str,
        challenge_id: &str,
        response: &WebAuthnCredentialResponse,
    ) -> Result<AuthResponse<U>, AuthError> {
        let token = self.optional_access_token().await?;
        let answer = webauthn::verify(&self.api, token.as_deref(), factor_id, challenge_id, response).await?;
        self.signed_in(answer, AuthChangeEvent::MfaChallengeVerified).await
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
