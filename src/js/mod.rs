//! The JavaScript API: auth-js's names and `{ data, error }` results over the Rust client.
//!
//! Inputs are read from plain JS objects in auth-js's shapes (`inputs.rs`); results and
//! errors are built as plain objects and `Error`s (`results.rs`).

mod inputs;
mod results;

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::codec::{from_js, to_js};
use crate::{AuthError, BrowserClient, ClientOptions};
use inputs::*;
use results::{data_or_error, error_only};

/// `new GoTrueClient({ url, headers, storageKey, persistSession })`.
#[wasm_bindgen(js_name = GoTrueClient)]
pub struct JsGoTrueClient {
    inner: Rc<BrowserClient>,
}

fn read<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, AuthError> {
    from_js(value).map_err(|error| AuthError::invalid_credentials(error.message().to_string()))
}

/// Runs `operation` on a clone of the client and resolves to `{ data, error }`.
macro_rules! operation {
    ($self:ident, |$client:ident| $body:expr) => {{
        let $client = Rc::clone(&$self.inner);
        future_to_promise(async move { Ok($body) })
    }};
}

#[wasm_bindgen(js_class = GoTrueClient)]
impl JsGoTrueClient {
    /// Creates a client. Options follow auth-js: `url`, `headers`, `storageKey`, `persistSession`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsGoTrueClient, JsValue> {
        let options: JsClientOptions = if options.is_undefined() || options.is_null() {
            JsClientOptions::default()
        } else {
            read(options).map_err(|error| results::to_js_error(&error))?
        };
        let mut rust_options = ClientOptions::new(options.url.unwrap_or_else(|| "http://localhost:9999".to_string()));
        rust_options.headers = options.headers.into_iter().collect();
        if let Some(key) = options.storage_key {
            rust_options.storage_key = key;
        }
        if let Some(persist) = options.persist_session {
            rust_options.persist_session = persist;
        }
        Ok(JsGoTrueClient { inner: Rc::new(BrowserClient::browser(rust_options)) })
    }

    /// `signUp({ email | phone, password, options })` → `{ data: { user, session }, error }`.
    #[wasm_bindgen(js_name = signUp)]
    pub fn sign_up(&self, credentials: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsSignUp>(credentials).and_then(JsSignUp::into_rust) {
                Ok(credentials) => client.sign_up(credentials).await,
                Err(error) => Err(error),
            };
            results::auth_response(result)
        })
    }

    /// `signInWithPassword({ email | phone, password, options })` → `{ data: { user, session, weakPassword }, error }`.
    #[wasm_bindgen(js_name = signInWithPassword)]
    pub fn sign_in_with_password(&self, credentials: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsPasswordSignIn>(credentials).and_then(JsPasswordSignIn::into_rust) {
                Ok(credentials) => client.sign_in_with_password(credentials).await,
                Err(error) => Err(error),
            };
            results::auth_response(result)
        })
    }

    /// `signInWithOtp({ email | phone, options })` → `{ data: { user: null, session: null, messageId }, error }`.
    #[wasm_bindgen(js_name = signInWithOtp)]
    pub fn sign_in_with_otp(&self, credentials: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsOtpSignIn>(credentials).and_then(JsOtpSignIn::into_rust) {
                Ok(credentials) => client.sign_in_with_otp(credentials).await,
                Err(error) => Err(error),
            };
            results::message_sent(result)
        })
    }

    /// `verifyOtp({ email, token, type } | { phone, token, type } | { token_hash, type })`.
    #[wasm_bindgen(js_name = verifyOtp)]
    pub fn verify_otp(&self, params: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsVerifyOtp>(params).and_then(JsVerifyOtp::into_rust) {
                Ok(params) => client.verify_otp(params).await,
                Err(error) => Err(error),
            };
            results::auth_response(result)
        })
    }

    /// `resend({ type, email | phone, options })`.
    #[wasm_bindgen(js_name = resend)]
    pub fn resend(&self, params: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsResend>(params).and_then(JsResend::into_rust) {
                Ok(params) => client.resend(params).await,
                Err(error) => Err(error),
            };
            results::message_sent(result)
        })
    }

    /// `resetPasswordForEmail(email, { redirectTo, captchaToken })` → `{ data: {}, error }`.
    #[wasm_bindgen(js_name = resetPasswordForEmail)]
    pub fn reset_password_for_email(&self, email: String, options: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read_optional::<JsRedirectOptions>(options) {
                Ok(options) => client.reset_password_for_email(&email, options.into_reset()).await,
                Err(error) => Err(error),
            };
            data_or_error(result.map(|()| vec![]), &[])
        })
    }

    /// `reauthenticate()` → `{ data: { user: null, session: null }, error }`.
    #[wasm_bindgen(js_name = reauthenticate)]
    pub fn reauthenticate(&self) -> js_sys::Promise {
        operation!(self, |client| {
            let result = client.reauthenticate().await;
            data_or_error(result.map(|()| vec![("user", JsValue::NULL), ("session", JsValue::NULL)]), &["user", "session"])
        })
    }

    /// `signInAnonymously({ options: { data, captchaToken } })`.
    #[wasm_bindgen(js_name = signInAnonymously)]
    pub fn sign_in_anonymously(&self, credentials: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read_optional::<JsAnonymous>(credentials) {
                Ok(credentials) => client.sign_in_anonymously(credentials.into_rust()).await,
                Err(error) => Err(error),
            };
            results::auth_response(result)
        })
    }

    /// `getSession()` → `{ data: { session }, error }`.
    #[wasm_bindgen(js_name = getSession)]
    pub fn get_session(&self) -> js_sys::Promise {
        operation!(self, |client| {
            let result = client.get_session().await.and_then(|session| match session {
                Some(session) => to_js(&session),
                None => Ok(JsValue::NULL),
            });
            data_or_error(result.map(|session| vec![("session", session)]), &["session"])
        })
    }

    /// `getUser(jwt?)` → `{ data: { user }, error }`.
    #[wasm_bindgen(js_name = getUser)]
    pub fn get_user(&self, jwt: Option<String>) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match jwt {
                Some(jwt) => client.get_user_with_jwt(&jwt).await,
                None => client.get_user().await,
            };
            data_or_error(result.and_then(|user| to_js(&user)).map(|user| vec![("user", user)]), &["user"])
        })
    }

    /// `setSession({ access_token, refresh_token })` → `{ data: { user, session }, error }`.
    #[wasm_bindgen(js_name = setSession)]
    pub fn set_session(&self, tokens: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsTokens>(tokens) {
                Ok(tokens) => client.set_session(&tokens.access_token, &tokens.refresh_token).await,
                Err(error) => Err(error),
            };
            results::session_response(result)
        })
    }

    /// `refreshSession({ refresh_token }?)` → `{ data: { user, session }, error }`.
    #[wasm_bindgen(js_name = refreshSession)]
    pub fn refresh_session(&self, current: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read_optional::<JsRefreshToken>(current) {
                Ok(JsRefreshToken { refresh_token: Some(token) }) => client.refresh_session_with(&token).await,
                Ok(_) => client.refresh_session().await,
                Err(error) => Err(error),
            };
            results::session_response(result)
        })
    }

    /// `updateUser(attributes, { emailRedirectTo })` → `{ data: { user }, error }`.
    #[wasm_bindgen(js_name = updateUser)]
    pub fn update_user(&self, attributes: JsValue, options: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let attributes = read::<JsUserAttributes>(attributes)
                .and_then(|attributes| Ok((attributes, read_optional::<JsRedirectOptions>(options)?)));
            let result = match attributes {
                Ok((attributes, options)) => client.update_user(attributes.into_rust(options)).await,
                Err(error) => Err(error),
            };
            data_or_error(result.and_then(|user| to_js(&user)).map(|user| vec![("user", user)]), &["user"])
        })
    }

    /// `signOut({ scope })` → `{ error }`.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self, options: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read_optional::<JsSignOut>(options).and_then(JsSignOut::scope) {
                Ok(scope) => client.sign_out(scope).await,
                Err(error) => Err(error),
            };
            error_only(result)
        })
    }
}
