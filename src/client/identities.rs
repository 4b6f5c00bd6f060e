//! Identities, ID-token and SSO sign-ins.

use super::GoTrueClient;
use crate::api::identities::{self, SignInWithIdTokenCredentials, SignInWithSsoCredentials};
use crate::api::SignInWithOAuthCredentials;
use crate::events::AuthChangeEvent;
use crate::http::HttpTransport;
use crate::storage::Storage;
use crate::types::{AuthResponse, Identity};
use crate::AuthError;

impl<T: HttpTransport, S: Storage, U: crate::types::SessionUser> GoTrueClient<T, S, U> {
    /// The provider URL that links another identity to the signed-in user; the browser
    /// layer navigates there unless told not to. Needs manual linking on the server.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let url = client.link_identity(&SignInWithOAuthCredentials::new("google")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn link_identity(&self, credentials: &SignInWithOAuthCredentials) -> Result<String, AuthError> {
        Ok(self.start_link_identity(credentials).await?.url)
    }

    /// As [`Self::link_identity`], with the PKCE flow's id beside the URL.
    pub async fn start_link_identity(
        &self,
        credentials: &SignInWithOAuthCredentials,
    ) -> Result<crate::OAuthResponse, AuthError> {
        let token = self.optional_access_token().await?;
        let flow = self.start_pkce(true, false).await?;
        let url = identities::link_identity_url(&self.api, token.as_deref(), credentials, flow.as_ref()).await?;
        Ok(crate::OAuthResponse { provider: credentials.provider.clone(), url, flow_id: flow.map(|flow| flow.flow_id) })
    }

    /// Links the identity of a provider ID token to the signed-in user.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let credentials = SignInWithIdTokenCredentials::new("google", "id-token-from-google");
    /// client.link_identity_with_id_token(&credentials).await?;
    /// # Ok(()) }
    /// ```
    pub async fn link_identity_with_id_token(
        &self,
        credentials: &SignInWithIdTokenCredentials,
    ) -> Result<AuthResponse<U>, AuthError> {
        let session = self.get_session().await?.ok_or_else(AuthError::session_missing)?;
        let response = identities::id_token_grant(&self.api, credentials, Some(session.access_token.expose())).await?;
        self.signed_in(response, AuthChangeEvent::SignedIn).await
    }

    /// Unlinks an identity (by its `identity_id`). The server refuses to unlink the last one.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let identities = client.get_user_identities().await?;
    /// if let Some(google) = identities.iter().find(|identity| identity.provider == "google") {
    ///     client.unlink_identity(google).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn unlink_identity(&self, identity: &Identity) -> Result<(), AuthError> {
        self.unlink_identity_by_id(&identity.identity_id).await
    }

    /// As [`Self::unlink_identity`], by the identity's `identity_id` alone (all auth-js reads).
    pub async fn unlink_identity_by_id(&self, identity_id: &str) -> Result<(), AuthError> {
        let token = self.optional_access_token().await?;
        identities::unlink_identity(&self.api, token.as_deref(), identity_id).await
    }

    /// Signs in with an ID token from a provider (Google, Apple, …).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let credentials = SignInWithIdTokenCredentials::new("google", "id-token-from-google");
    /// let session = client.sign_in_with_id_token(&credentials).await?.session;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_id_token(
        &self,
        credentials: &SignInWithIdTokenCredentials,
    ) -> Result<AuthResponse<U>, AuthError> {
        let response = identities::id_token_grant(&self.api, credentials, None).await?;
        self.signed_in(response, AuthChangeEvent::SignedIn).await
    }

    /// The identity provider URL of a SAML SSO sign-in (PKCE in the PKCE flow); the browser
    /// layer navigates there unless told not to.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let url = client.sign_in_with_sso(&SignInWithSsoCredentials::domain("example.com")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_sso(&self, credentials: &SignInWithSsoCredentials) -> Result<String, AuthError> {
        let flow = self.start_pkce(true, false).await?;
        identities::sso_url(&self.api, credentials, flow.as_ref()).await
    }
}

/// What needs the typed user's identities.
impl<T: HttpTransport, S: Storage> GoTrueClient<T, S> {
    /// The signed-in user's identities (fetched with `GET /user`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// for identity in client.get_user_identities().await? {
    ///     println!("{}", identity.provider);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_user_identities(&self) -> Result<Vec<Identity>, AuthError> {
        Ok(self.get_user().await?.identities.unwrap_or_default())
    }
}
