//! The signed-in user's side of the OAuth 2.1 server (auth-js's `oauth` namespace). auth-js
//! navigates to the returned `redirect_url` unless told not to; here the caller does
//! (`BrowserAuth` users assign `window.location`).

use super::GoTrueClient;
use crate::api::oauth_server::{self, OAuthAuthorizationDetails, OAuthGrant, OAuthRedirect};
use crate::http::HttpTransport;
use crate::storage::Storage;
use crate::AuthError;

impl<T: HttpTransport, S: Storage, U: crate::types::SessionUser> GoTrueClient<T, S, U> {
    /// The authorization request a third-party app started (auth-js
    /// `oauth.getAuthorizationDetails`); only `redirect_url` is set when consent was given
    /// before.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// // The consent page's `?authorization_id=…`.
    /// let details = client.oauth_get_authorization_details("authorization-id").await?;
    /// println!("{:?} asks for access", details.client.map(|app| app.name));
    /// # Ok(()) }
    /// ```
    pub async fn oauth_get_authorization_details(
        &self,
        authorization_id: &str,
    ) -> Result<OAuthAuthorizationDetails, AuthError> {
        let token = self.session_token().await?;
        oauth_server::get_authorization_details(&self.api, &token, authorization_id).await
    }

    /// Approves it: the redirect carries the code to the app (auth-js `oauth.approveAuthorization`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let approved = client.oauth_approve_authorization("authorization-id").await?;
    /// // Send the browser to `approved.redirect_url`.
    /// println!("{}", approved.redirect_url);
    /// # Ok(()) }
    /// ```
    pub async fn oauth_approve_authorization(&self, authorization_id: &str) -> Result<OAuthRedirect, AuthError> {
        let token = self.session_token().await?;
        oauth_server::consent(&self.api, &token, authorization_id, true).await
    }

    /// Denies it: the redirect carries `error=access_denied` (auth-js `oauth.denyAuthorization`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let denied = client.oauth_deny_authorization("authorization-id").await?;
    /// println!("{}", denied.redirect_url);
    /// # Ok(()) }
    /// ```
    pub async fn oauth_deny_authorization(&self, authorization_id: &str) -> Result<OAuthRedirect, AuthError> {
        let token = self.session_token().await?;
        oauth_server::consent(&self.api, &token, authorization_id, false).await
    }

    /// The apps the user granted access to (auth-js `oauth.listGrants`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// for grant in client.oauth_list_grants().await? {
    ///     println!("{:?}: {}", grant.client.name, grant.scopes.join(" "));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn oauth_list_grants(&self) -> Result<Vec<OAuthGrant>, AuthError> {
        let token = self.session_token().await?;
        oauth_server::list_grants(&self.api, &token).await
    }

    /// Withdraws a grant; the app's sessions for this user end (auth-js `oauth.revokeGrant`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// client.oauth_revoke_grant("client-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn oauth_revoke_grant(&self, client_id: &str) -> Result<(), AuthError> {
        let token = self.session_token().await?;
        oauth_server::revoke_grant(&self.api, &token, client_id).await
    }
}
