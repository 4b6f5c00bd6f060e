//! Passkey operations of the client (auth-js's `passkey` namespace, and the requests behind
//! `signInWithPasskey` / `registerPasskey`). The browser ceremony between a `start_*` and its
//! `verify_*` (`navigator.credentials.create()` / `.get()`) is the caller's.

use super::GoTrueClient;
use crate::api::passkeys::{self, Passkey, PasskeyCeremony};
use crate::events::AuthChangeEvent;
use crate::http::HttpTransport;
use crate::storage::Storage;
use crate::types::{AuthResponse, JsonValue};
use crate::AuthError;

impl<T: HttpTransport, S: Storage, U: crate::types::SessionUser> GoTrueClient<T, S, U> {
    /// Starts registering a passkey for the signed-in user (auth-js
    /// `passkey.startRegistration`): the options for `navigator.credentials.create()`.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let ceremony = client.passkey_start_registration().await?;
    /// // Hand `ceremony.options` to navigator.credentials.create(), then verify the credential.
    /// println!("challenge {} expires at {}", ceremony.challenge_id, ceremony.expires_at);
    /// # Ok(()) }
    /// ```
    pub async fn passkey_start_registration(&self) -> Result<PasskeyCeremony, AuthError> {
        let token = self.session_token().await?;
        passkeys::start_registration(&self.api, &token).await
    }

    /// Finishes a registration with the browser's credential (auth-js
    /// `passkey.verifyRegistration`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let ceremony = client.passkey_start_registration().await?;
    /// let credential: JsonValue = "{\"id\":\"…\"}".parse()?; // the browser's credential, as JSON
    /// let passkey = client.passkey_verify_registration(&ceremony.challenge_id, &credential).await?;
    /// println!("registered {}", passkey.id);
    /// # Ok(()) }
    /// ```
    pub async fn passkey_verify_registration(
        &self,
        challenge_id: &str,
        credential: &JsonValue,
    ) -> Result<Passkey, AuthError> {
        let token = self.session_token().await?;
        passkeys::verify_registration(&self.api, &token, challenge_id, credential).await
    }

    /// Starts a passkey sign-in (auth-js `passkey.startAuthentication`): the options for
    /// `navigator.credentials.get()`. No session needed.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let ceremony = client.passkey_start_authentication(None).await?;
    /// // Hand `ceremony.options` to navigator.credentials.get(), then verify the assertion.
    /// let _ = ceremony.options;
    /// # Ok(()) }
    /// ```
    pub async fn passkey_start_authentication(
        &self,
        captcha_token: Option<&str>,
    ) -> Result<PasskeyCeremony, AuthError> {
        passkeys::start_authentication(&self.api, captcha_token).await
    }

    /// Finishes a passkey sign-in (auth-js `passkey.verifyAuthentication`): the session is
    /// stored and SIGNED_IN emitted.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let ceremony = client.passkey_start_authentication(None).await?;
    /// let assertion: JsonValue = "{\"id\":\"…\"}".parse()?; // the browser's assertion, as JSON
    /// let signed_in = client.passkey_verify_authentication(&ceremony.challenge_id, &assertion).await?;
    /// assert!(signed_in.session.is_some());
    /// # Ok(()) }
    /// ```
    pub async fn passkey_verify_authentication(
        &self,
        challenge_id: &str,
        credential: &JsonValue,
    ) -> Result<AuthResponse<U>, AuthError> {
        let response = passkeys::verify_authentication(&self.api, challenge_id, credential).await?;
        self.signed_in(response, AuthChangeEvent::SignedIn).await
    }

    /// The signed-in user's passkeys (auth-js `passkey.list`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// for passkey in client.passkey_list().await? {
    ///     println!("{} {:?}", passkey.id, passkey.friendly_name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn passkey_list(&self) -> Result<Vec<Passkey>, AuthError> {
        let token = self.session_token().await?;
        passkeys::list(&self.api, &token).await
    }

    /// Renames a passkey (auth-js `passkey.update`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let renamed = client.passkey_update("passkey-id", "Work laptop").await?;
    /// assert_eq!(renamed.friendly_name.as_deref(), Some("Work laptop"));
    /// # Ok(()) }
    /// ```
    pub async fn passkey_update(&self, passkey_id: &str, friendly_name: &str) -> Result<Passkey, AuthError> {
        let token = self.session_token().await?;
        passkeys::update(&self.api, &token, passkey_id, friendly_name).await
    }

    /// Removes a passkey (auth-js `passkey.delete`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// client.passkey_delete("passkey-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn passkey_delete(&self, passkey_id: &str) -> Result<(), AuthError> {
        let token = self.session_token().await?;
        passkeys::delete(&self.api, &token, passkey_id).await
    }
}
