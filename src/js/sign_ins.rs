//! The rest of the client's methods: identities, ID-token, SSO and web3 sign-ins, and
//! verified claims.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::inputs::{nested, oauth, opt_bool, opt_str, req_str, Args};
use super::model::{AuthResponse, BrowserAuth};
use super::results::{self, object, Data};
use crate::json::{Fields, ToJson};
use crate::outlined::outlined;
use crate::{AuthError, JsonValue, Web3Chain, Web3Message};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = web3Account)]
    fn web3_account(chain: &str, wallet: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = web3Sign)]
    fn web3_sign(chain: &str, wallet: &JsValue, address: &str, message: &str) -> js_sys::Promise;
}

fn random_nonce(runtime: &dyn crate::Runtime) -> Result<String, AuthError> {
    let mut bytes = [0u8; 16];
    runtime.fill_random(&mut bytes)?;
    Ok(bytes.iter().map(|b| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[usize::from(b % 36)])).collect())
}

async fn wallet_answer(promise: js_sys::Promise, what: &str) -> Result<JsValue, AuthError> {
    JsFuture::from(promise)
        .await
        .map_err(|_| AuthError::unknown(crate::text::concat(&["The wallet refused to ", what])))
}

/// Builds the SIWE/SIWS message, has `wallet` sign it and exchanges it for a session; or
/// exchanges `{ message, signature }` when the app signed already.
async fn web3(auth: &BrowserAuth, params: &Fields<'_>, wallet: &JsValue) -> Result<AuthResponse, AuthError> {
    let client = auth.client();
    let chain_name = req_str(params, "chain")?;
    let chain = match chain_name.as_str() {
        "ethereum" => Web3Chain::Ethereum,
        "solana" => Web3Chain::Solana,
        _ => return Err(AuthError::invalid_credentials("chain must be \"ethereum\" or \"solana\"")),
    };
    if let (Some(message), Some(signature)) = (opt_str(params, "message")?, opt_str(params, "signature")?) {
        return client.sign_in_with_web3(chain, &message, &signature).await;
    }
    if !wallet.is_object() {
        return Err(AuthError::invalid_credentials("Pass a wallet, or a message and its signature."));
    }
    let account = wallet_answer(web3_account(&chain_name, wallet), "share its account").await?;
    let account_field = |key: &str| js_sys::Reflect::get(&account, &key.into()).ok().and_then(|v| v.as_string());
    let address = account_field("address").unwrap_or_default();
    let location = crate::browser::page_href().unwrap_or_default();
    let uri = match nested(params, "options")? {
        Some(options) => opt_str(&options, "url")?,
        None => None,
    }
    .unwrap_or(location);
    // The host after `scheme://` (no `&str` pattern: it would link core's substring searcher).
    let after_scheme = uri.split_once(':').and_then(|(_, rest)| rest.strip_prefix("//"));
    let domain = after_scheme.and_then(|rest| rest.split('/').next()).unwrap_or_default().to_string();
    let message = Web3Message {
        chain,
        domain,
        address: address.clone(),
        statement: opt_str(params, "statement")?,
        uri,
        version: "1".to_string(),
        chain_id: account_field("chainId"),
        nonce: random_nonce(client.runtime().as_ref())?,
        issued_at: String::from(js_sys::Date::new_0().to_iso_string()),
        expiration_time: None,
        not_before: None,
        request_id: None,
        resources: Vec::new(),
    };
    let text = message.to_text();
    let signature = wallet_answer(web3_sign(&chain_name, wallet, &address, &text), "sign the message")
        .await?
        .as_string()
        .unwrap_or_default();
    client.sign_in_with_web3(chain, &text, &signature).await
}

/// `options.keys` (a key list) or `options.jwks` (`{ keys }`) of getClaims: keys to try
/// before the server's JWKS.
fn given_keys(options: &Fields<'_>) -> Result<Vec<crate::claims::Jwk>, AuthError> {
    let set = match (options.get("keys"), options.get("jwks")) {
        (Some(keys @ JsonValue::Array(_)), _) => {
            let mut set = crate::JsonObject::new();
            set.insert("keys".into(), keys.clone());
            JsonValue::Object(set)
        }
        (_, Some(jwks @ JsonValue::Object(_))) => jwks.clone(),
        _ => return Ok(Vec::new()),
    };
    crate::claims::parse_jwks(&crate::json::ToJson::to_json_string(&set))
}

async fn link_identity(auth: &BrowserAuth, params: Fields<'_>) -> Data {
    let credentials = oauth(Ok(params))?;
    let started = auth.client().start_link_identity(&credentials).await?;
    if !credentials.skips_browser_redirect() {
        auth.navigate(&started.url)?;
    }
    Ok(started.to_json_string())
}

async fn get_claims(auth: &BrowserAuth, args: &Args) -> Data {
    let client = auth.client();
    let jwt = args.optional_string(0, "jwt")?.filter(|jwt| !jwt.is_empty());
    let (allow_expired, keys) = match args.optional_object(1)? {
        Some(options) => (opt_bool(&options, "allowExpired")?.unwrap_or(false), given_keys(&options)?),
        None => (false, Vec::new()),
    };
    // auth-js: no session (and no token given) is no claims, and no error. The session is
    // read once, here: its token is then the one given.
    let token = match jwt {
        Some(jwt) => jwt,
        None => match client.get_session().await? {
            Some(session) => session.access_token.expose().to_string(),
            None => return Ok(String::new()),
        },
    };
    let verified = client.get_claims_with_keys(Some(&token), allow_expired, &keys).await?;
    // The signature as the token carries it (base64url): the facade decodes it into a
    // Uint8Array, so no byte list is written here.
    let signature = token.rsplit('.').next().unwrap_or_default();
    Ok(object(|data| {
        data.field("claims", &verified.claims).field("header", &verified.header).field("signature", signature);
    }))
}

pub(super) async fn dispatch(auth: &Rc<BrowserAuth>, op: &str, args: &Args, extra: &JsValue) -> (Data, &'static str) {
    match op {
        "linkIdentity" => match args.object(0) {
            // The facade puts the provider back into the error's data, as auth-js has it.
            Ok(params) => {
                (outlined(link_identity(auth, params)).await, r#"{"provider":null,"url":null,"flowId":null}"#)
            }
            Err(error) => (Err(error), results::PROVIDER_URL),
        },
        "getClaims" => (outlined(get_claims(auth, args)).await, results::NULL),
        "signInWithWeb3" => {
            let result = match args.object(0) {
                Ok(params) => outlined(web3(auth, &params, extra)).await,
                Err(error) => Err(error),
            };
            (results::whole(result), results::USER_SESSION)
        }
        _ => (Err(AuthError::invalid_credentials("unknown method")), results::NULL),
    }
}
