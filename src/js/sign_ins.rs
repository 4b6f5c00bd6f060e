//! The rest of the client's methods: identities, ID-token, SSO and web3 sign-ins, verified
//! claims, and the `mfa` / `admin` namespaces.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::admin::JsAdminApi;
use super::inputs::{get, opt_bool, opt_str, req_str, JsOAuth};
use super::mfa::JsMfaApi;
use super::results::{auth_response, data_or_error};
use super::{read_any, run, JsGoTrueClient};
use crate::codec::to_js;
use crate::{AuthError, SignInWithIdTokenCredentials, SignInWithSsoCredentials, Web3Chain, Web3Message};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = web3Account)]
    fn web3_account(chain: &str, wallet: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = web3Sign)]
    fn web3_sign(chain: &str, wallet: &JsValue, address: &str, message: &str) -> js_sys::Promise;
}

fn id_token_credentials(params: &JsValue) -> Result<SignInWithIdTokenCredentials, AuthError> {
    let mut credentials = SignInWithIdTokenCredentials::new(req_str(params, "provider")?, req_str(params, "token")?);
    if let Some(token) = opt_str(params, "access_token")? {
        credentials = credentials.access_token(token);
    }
    if let Some(nonce) = opt_str(params, "nonce")? {
        credentials = credentials.nonce(nonce);
    }
    let options = get(params, "options");
    if options.is_object() {
        if let Some(token) = opt_str(&options, "captchaToken")? {
            credentials = credentials.captcha_token(token);
        }
    }
    Ok(credentials)
}

fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

fn random_nonce(runtime: &dyn crate::Runtime) -> Result<String, AuthError> {
    let mut bytes = [0u8; 16];
    runtime.fill_random(&mut bytes)?;
    Ok(bytes.iter().map(|b| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[usize::from(b % 36)])).collect())
}

async fn js_string(promise: js_sys::Promise, what: &str) -> Result<JsValue, AuthError> {
    JsFuture::from(promise).await.map_err(|_| AuthError::unknown(format!("The wallet refused to {what}")))
}

#[wasm_bindgen(js_class = GoTrueClient)]
impl JsGoTrueClient {
    /// `mfa`: the MFA namespace.
    #[wasm_bindgen(getter)]
    pub fn mfa(&self) -> JsMfaApi {
        JsMfaApi { auth: Rc::clone(&self.auth), throw_on_error: self.throw_on_error }
    }

    /// `admin`: the admin API with this client's URL and headers (which must carry a
    /// service-role key). Never construct a browser client with such a key.
    #[wasm_bindgen(getter)]
    pub fn admin(&self) -> JsAdminApi {
        JsAdminApi::for_options(self.auth.client().options().clone(), self.throw_on_error)
    }

    /// `getUserIdentities()` → `{ data: { identities }, error }`.
    #[wasm_bindgen(js_name = getUserIdentities, unchecked_return_type = "Promise<Result<{ identities: UserIdentity[] }>>")]
    pub fn get_user_identities(&self) -> js_sys::Promise {
        let inner = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            true,
            Box::pin(async move {
                let result = inner.client().get_user_identities().await.and_then(|ids| to_js(&ids));
                data_or_error(result.map(|ids| vec![("identities", ids)]), &["identities"])
            }),
        )
    }

    /// `linkIdentity({ provider, options: { redirectTo, scopes, skipBrowserRedirect } })` →
    /// `{ data: { provider, url }, error }` (navigates unless told not to); or, with `token`,
    /// links a provider ID token → `{ data: { user, session }, error }`.
    #[wasm_bindgen(js_name = linkIdentity, unchecked_return_type = "Promise<Result<{ provider: string; url: string }> | AuthResponse>")]
    pub fn link_identity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithOAuthCredentials | SignInWithIdTokenCredentials")]
        params: JsValue,
    ) -> js_sys::Promise {
        let inner = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            true,
            Box::pin(async move {
                let params = match read_any(&params) {
                    Ok(params) => params,
                    Err(error) => return data_or_error(Err(error), &["provider", "url"]),
                };
                if !get(&params, "token").is_undefined() {
                    let result = match id_token_credentials(&params) {
                        Ok(credentials) => inner.client().link_identity_with_id_token(&credentials).await,
                        Err(error) => Err(error),
                    };
                    return auth_response(result);
                }
                let result = async {
                    let credentials = super::inputs::read::<JsOAuth>(params)?.into_rust();
                    let url = inner.client().link_identity(&credentials).await?;
                    if !credentials.skips_browser_redirect() {
                        inner.navigate(&url)?;
                    }
                    Ok(vec![("provider", JsValue::from_str(&credentials.provider)), ("url", JsValue::from_str(&url))])
                }
                .await;
                data_or_error(result, &["provider", "url"])
            }),
        )
    }

    /// `unlinkIdentity(identity)` → `{ data: {}, error }`.
    #[wasm_bindgen(js_name = unlinkIdentity, unchecked_return_type = "Promise<Result<{}>>")]
    pub fn unlink_identity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UserIdentity")] identity: JsValue,
    ) -> js_sys::Promise {
        let inner = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            true,
            Box::pin(async move {
                let result = async {
                    let identity: crate::Identity = crate::codec::from_js(identity)?;
                    inner.client().unlink_identity(&identity).await
                }
                .await;
                data_or_error(result.map(|()| vec![]), &[])
            }),
        )
    }

    /// `signInWithIdToken({ provider, token, access_token, nonce, options: { captchaToken } })`.
    #[wasm_bindgen(js_name = signInWithIdToken, unchecked_return_type = "Promise<AuthResponse>")]
    pub fn sign_in_with_id_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithIdTokenCredentials")] params: JsValue,
    ) -> js_sys::Promise {
        let inner = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            true,
            Box::pin(async move {
                let result = match read_any(&params).and_then(|p| id_token_credentials(&p)) {
                    Ok(credentials) => inner.client().sign_in_with_id_token(&credentials).await,
                    Err(error) => Err(error),
                };
                auth_response(result)
            }),
        )
    }

    /// `signInWithSSO({ providerId } | { domain }, options: { redirectTo, captchaToken,
    /// skipBrowserRedirect })` → `{ data: { url }, error }`; navigates unless told not to.
    #[wasm_bindgen(js_name = signInWithSSO, unchecked_return_type = "Promise<Result<{ url: string }>>")]
    pub fn sign_in_with_sso(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithSSO")] params: JsValue,
    ) -> js_sys::Promise {
        let inner = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            true,
            Box::pin(async move {
                let result = async {
                    let params = read_any(&params)?;
                    let mut credentials = match (opt_str(&params, "providerId")?, opt_str(&params, "domain")?) {
                        (Some(id), None) => SignInWithSsoCredentials::provider_id(id),
                        (None, Some(domain)) => SignInWithSsoCredentials::domain(domain),
                        _ => return Err(AuthError::invalid_credentials("Pass either providerId or domain.")),
                    };
                    let options = get(&params, "options");
                    if options.is_object() {
                        if let Some(url) = opt_str(&options, "redirectTo")? {
                            credentials = credentials.redirect_to(url);
                        }
                        if let Some(token) = opt_str(&options, "captchaToken")? {
                            credentials = credentials.captcha_token(token);
                        }
                        credentials = credentials
                            .skip_browser_redirect(opt_bool(&options, "skipBrowserRedirect")?.unwrap_or(false));
                    }
                    let url = inner.client().sign_in_with_sso(&credentials).await?;
                    if !credentials.skips_browser_redirect() {
                        inner.navigate(&url)?;
                    }
                    Ok(vec![("url", JsValue::from_str(&url))])
                }
                .await;
                data_or_error(result, &["url"])
            }),
        )
    }

    /// `getClaims(jwt?, { allowExpired })` → `{ data: { claims, header, signature }, error }`.
    #[wasm_bindgen(js_name = getClaims, unchecked_return_type = "Promise<Result<{ claims: JsonObject; header: JsonObject; signature: Uint8Array }>>")]
    pub fn get_claims(
        &self,
        jwt: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "{ allowExpired?: boolean } | undefined")] options: JsValue,
    ) -> js_sys::Promise {
        let inner = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            true,
            Box::pin(async move {
                let allow_expired = options.is_object() && get(&options, "allowExpired").is_truthy();
                let result = inner.client().get_claims(jwt.as_deref(), allow_expired).await.and_then(|verified| {
                    Ok(vec![
                        ("claims", to_js(&verified.claims)?),
                        ("header", to_js(&verified.header)?),
                        ("signature", js_sys::Uint8Array::from(verified.signature.as_slice()).into()),
                    ])
                });
                data_or_error(result, &["claims", "header", "signature"])
            }),
        )
    }

    /// `signInWithWeb3({ chain: 'ethereum' | 'solana', wallet, statement, options: { url } })`
    /// builds the SIWE/SIWS message, has the wallet sign it and exchanges it for a session;
    /// or `{ chain, message, signature }` when the app signed already.
    #[wasm_bindgen(js_name = signInWithWeb3, unchecked_return_type = "Promise<AuthResponse>")]
    pub fn sign_in_with_web3(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithWeb3Credentials")] params: JsValue,
    ) -> js_sys::Promise {
        let inner = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            true,
            Box::pin(async move {
                let result = async {
                    let params = read_any(&params)?;
                    let chain_name = req_str(&params, "chain")?;
                    let chain = match chain_name.as_str() {
                        "ethereum" => Web3Chain::Ethereum,
                        "solana" => Web3Chain::Solana,
                        _ => return Err(AuthError::invalid_credentials("chain must be \"ethereum\" or \"solana\"")),
                    };
                    if let (Some(message), Some(signature)) =
                        (opt_str(&params, "message")?, opt_str(&params, "signature")?)
                    {
                        return inner.client().sign_in_with_web3(chain, &message, &signature).await;
                    }
                    let wallet = get(&params, "wallet");
                    if !wallet.is_object() {
                        return Err(AuthError::invalid_credentials("Pass a wallet, or a message and its signature."));
                    }
                    let account = js_string(web3_account(&chain_name, &wallet), "share its account").await?;
                    let address = get(&account, "address").as_string().unwrap_or_default();
                    let location = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
                    let options = get(&params, "options");
                    let uri = if options.is_object() { opt_str(&options, "url")? } else { None }.unwrap_or(location);
                    let domain =
                        uri.split("://").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or_default().to_string();
                    let message = Web3Message {
                        chain,
                        domain,
                        address: address.clone(),
                        statement: opt_str(&params, "statement")?,
                        uri,
                        version: "1".to_string(),
                        chain_id: get(&account, "chainId").as_string(),
                        nonce: random_nonce(inner.client().runtime().as_ref())?,
                        issued_at: now_rfc3339(),
                        expiration_time: None,
                        not_before: None,
                        request_id: None,
                        resources: Vec::new(),
                    };
                    let text = message.to_text();
                    let signature = js_string(web3_sign(&chain_name, &wallet, &address, &text), "sign the message")
                        .await?
                        .as_string()
                        .unwrap_or_default();
                    inner.client().sign_in_with_web3(chain, &text, &signature).await
                }
                .await;
                auth_response(result)
            }),
        )
    }
}
