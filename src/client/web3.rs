//! Web3 sign-in: exchanging a signed SIWE/SIWS message for a session.

use super::GoTrueClient;
use crate::events::AuthChangeEvent;
use crate::http::{ApiCall, HttpTransport, Method};
use crate::storage::Storage;
use crate::types::{AuthResponse, TokenResponse};
use crate::web3::{Web3Chain, Web3GrantBody};
use crate::AuthError;

impl<T: HttpTransport, S: Storage, U: crate::types::SessionUser> GoTrueClient<T, S, U> {
    /// Signs in with a wallet: `message` (see [`crate::Web3Message::to_text`]) and the
    /// wallet's `signature` of it (Ethereum: `0x…` hex; Solana: base64).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// // `text` from Web3Message::to_text, signed by the wallet.
    /// let response = client.sign_in_with_web3(Web3Chain::Ethereum, "text", "0xsignature").await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_web3(
        &self,
        chain: Web3Chain,
        message: &str,
        signature: &str,
    ) -> Result<AuthResponse<U>, AuthError> {
        let body = Web3GrantBody { chain, message, signature };
        let response: TokenResponse =
            self.api.send_json(ApiCall::new(Method::Post, "/token").query("grant_type", "web3").json(&body)).await?;
        self.signed_in(response, AuthChangeEvent::SignedIn).await
    }
}
