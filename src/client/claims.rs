//! `get_claims`: the claims of an access token, verified.

use super::GoTrueClient;
use crate::claims::{parse_jwks, select_key, Jwk, VerifiedClaims};
use crate::error::{AuthError, AuthErrorKind};
use crate::http::{ApiCall, HttpTransport, Method};
use crate::jwt::split_jwt;
use crate::storage::Storage;
use crate::types::JsonValue;

fn invalid(message: &str) -> AuthError {
    AuthError::new(AuthErrorKind::InvalidJwt, message).with_status(400).with_code("invalid_jwt")
}

impl<T: HttpTransport, S: Storage, U: crate::types::SessionUser> GoTrueClient<T, S, U> {
    /// The verified claims of `jwt` (default: the current session's access token).
    ///
    /// RS256/ES256 tokens are verified locally against the server's JWKS (cached ten
    /// minutes, fetched again for an unknown `kid`); HS256 tokens or tokens without a `kid`
    /// are verified by the server (`GET /user`). An expired token is refused unless
    /// `allow_expired`.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// // The current session's access token, verified (JWKS) or checked with the server.
    /// let verified = client.get_claims(None, false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_claims(&self, jwt: Option<&str>, allow_expired: bool) -> Result<VerifiedClaims, AuthError> {
        self.get_claims_with_keys(jwt, allow_expired, &[]).await
    }

    /// As [`Self::get_claims`], looking the signing key up in `keys` first (auth-js's
    /// `options.keys` / `options.jwks`), then in the cached or fetched JWKS. A token whose key
    /// is in neither is checked by the server (`GET /user`), as auth-js does.
    pub(crate) async fn get_claims_with_keys(
        &self,
        jwt: Option<&str>,
        allow_expired: bool,
        keys: &[Jwk],
    ) -> Result<VerifiedClaims, AuthError> {
        let token = match jwt {
            Some(jwt) => jwt.to_string(),
            None => {
                let session = self.get_session().await?.ok_or_else(AuthError::session_missing)?;
                session.access_token.expose().to_string()
            }
        };
        let parts = split_jwt(&token)?;
        if !allow_expired {
            match parts.claims.get("exp").and_then(JsonValue::as_i64) {
                None | Some(0) => return Err(invalid("Missing exp claim")),
                Some(exp) if exp <= self.runtime.now_seconds() => return Err(invalid("JWT has expired")),
                Some(_) => {}
            }
        }
        let alg = parts.header.get("alg").and_then(JsonValue::as_str).unwrap_or_default();
        let kid = parts.header.get("kid").and_then(JsonValue::as_str);
        let key = match (alg, kid) {
            ("RS256" | "ES256", Some(kid)) => match select_key(keys, kid, alg) {
                Some(key) => Some(key.clone()),
                None => self.signing_key(kid, alg).await?,
            },
            _ => None,
        };
        match key {
            Some(key) => {
                let valid = self
                    .runtime
                    .verify_signature(alg, &key.json, parts.signing_input.as_bytes(), &parts.signature)
                    .await?;
                if !valid {
                    return Err(invalid("Invalid JWT signature"));
                }
            }
            None => {
                crate::api::user::get_user::<T, U>(&self.api, &token).await?;
            }
        }
        Ok(VerifiedClaims { claims: parts.claims, header: parts.header, signature: parts.signature })
    }

    async fn signing_key(&self, kid: &str, alg: &str) -> Result<Option<Jwk>, AuthError> {
        let now = self.runtime.now_millis();
        if let Some(keys) = self.jwks.fresh(now) {
            if let Some(key) = select_key(&keys, kid, alg) {
                return Ok(Some(key.clone()));
            }
        }
        // Unknown here: the server may have rotated keys since the last fetch.
        let response = self.api.send(ApiCall::new(Method::Get, "/.well-known/jwks.json")).await?;
        let keys = parse_jwks(&response.body)?;
        let key = select_key(&keys, kid, alg).cloned();
        self.jwks.store(keys, now);
        Ok(key)
    }
}
