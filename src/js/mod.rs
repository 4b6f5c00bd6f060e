mod inputs;
mod options;
mod results;

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::browser::BrowserAuth;
use crate::codec::to_js;
use inputs::*;
use results::{data_or_error, error_only};

/// `new GoTrueClient({ url, headers, storageKey, flowType, detectSessionInUrl, autoRefreshToken,
/// persistSession, storage, skipAutoInitialize, throwOnError })`.
#[wasm_bindgen(js_name = GoTrueClient)]
pub struct JsGoTrueClient {
    auth: Rc<BrowserAuth>,
    throw_on_error: bool,
}

/// With `throwOnError`, a result whose `error` is set rejects with that error instead.
fn settle(result: JsValue, throw_on_error: bool) -> Result<JsValue, JsValue> {
    if throw_on_error {
        let error = js_sys::Reflect::get(&result, &"error".into()).unwrap_or(JsValue::NULL);
        if !error.is_null() && !error.is_undefined() {
            return Err(error);
        }
    }
    Ok(result)
}

type Body = std::pin::Pin<Box<dyn std::future::Future<Output = JsValue>>>;

/// The one promise adapter of every operation: bodies are boxed into a `dyn Future`, so
/// `future_to_promise` (with the initialization wait and `settle`) is compiled once instead of
/// once per method — it was the largest item in the wasm.
fn run(auth: Rc<BrowserAuth>, throw_on_error: bool, wait: bool, body: Body) -> js_sys::Promise {
    future_to_promise(async move {
        if wait {
            auth.initialized().await;
        }
        settle(body.await, throw_on_error)
    })
}

/// The argument must be an object.
fn read_any(value: &JsValue) -> Result<JsValue, crate::AuthError> {
    if value.is_object() {
        Ok(value.clone())
    } else {
        Err(crate::AuthError::invalid_credentials("expected an object"))
    }
}

/// Runs `operation` once the client has initialized and resolves to `{ data, error }`.
macro_rules! operation {
    ($self:ident, |$client:ident| $body:expr) => {{
        let auth = Rc::clone(&$self.auth);
        let inner = Rc::clone(&$self.auth);
        run(
            auth,
            $self.throw_on_error,
            true,
            Box::pin(async move {
                let $client = inner.client();
                $body
            }),
        )
    }};
}

#[wasm_bindgen(js_class = GoTrueClient)]
impl JsGoTrueClient {
    /// Creates a client and, unless `skipAutoInitialize`, starts initializing it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "GoTrueClientOptions | undefined")] options: JsValue,
    ) -> Result<JsGoTrueClient, JsValue> {
        let setup = options::read_options(&options).map_err(|error| results::to_js_error(&error))?;
        let auth = BrowserAuth::new(setup.options, setup.storage, setup.detect);
        if !setup.skip_auto_initialize {
            let auth = Rc::clone(&auth);
            wasm_bindgen_futures::spawn_local(async move {
                auth.initialize().await;
            });
        }
        Ok(JsGoTrueClient { auth, throw_on_error: setup.throw_on_error })
    }

    /// `initialize()` → `{ error }`: the same outcome every time it is called.
    #[wasm_bindgen(js_name = initialize, unchecked_return_type = "Promise<ErrorResult>")]
    pub fn initialize(&self) -> js_sys::Promise {
        let auth = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            false,
            Box::pin(async move {
                let outcome = auth.initialize().await;
                error_only(outcome.error.map_or(Ok(()), Err))
            }),
        )
    }

    /// `onAuthStateChange((event, session) => …)` → `{ data: { subscription: { id, callback, unsubscribe } } }`.
    ///
    /// A callback that throws is reported to the console; one that returns a promise is not
    /// awaited, so no subscriber can hold the client up.
    #[wasm_bindgen(js_name = onAuthStateChange, unchecked_return_type = "{ data: { subscription: Subscription } }")]
    pub fn on_auth_state_change(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "(event: AuthChangeEvent, session: Session | null) => void | Promise<void>"
        )]
        callback: js_sys::Function,
    ) -> JsValue {
        let listener = callback.clone();
        let subscription = self.auth.on_auth_state_change(move |event, session| {
            let session = session.and_then(|session| to_js(session).ok()).unwrap_or(JsValue::NULL);
            if listener.call2(&JsValue::NULL, &JsValue::from_str(event.as_str()), &session).is_err() {
                crate::log::warn("gotrue-wasm: an onAuthStateChange callback threw");
            }
        });
        let id = subscription.id();
        let unsubscribe = Closure::<dyn Fn()>::new(move || subscription.unsubscribe()).into_js_value();
        let js_subscription = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&js_subscription, &"id".into(), &JsValue::from_str(&id.to_string()));
        let _ = js_sys::Reflect::set(&js_subscription, &"callback".into(), &callback);
        let _ = js_sys::Reflect::set(&js_subscription, &"unsubscribe".into(), &unsubscribe);
        data_or_error(Ok(vec![("subscription", js_subscription.into())]), &[])
    }

    /// `signInWithOAuth({ provider, options: { redirectTo, scopes, queryParams, skipBrowserRedirect } })`
    /// → `{ data: { provider, url }, error }`; navigates there unless `skipBrowserRedirect`.
    #[wasm_bindgen(js_name = signInWithOAuth, unchecked_return_type = "Promise<Result<{ provider: string; url: string }>>")]
    pub fn sign_in_with_oauth(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithOAuthCredentials")] credentials: JsValue,
    ) -> js_sys::Promise {
        let auth = Rc::clone(&self.auth);
        run(
            Rc::clone(&self.auth),
            self.throw_on_error,
            false,
            Box::pin(async move {
                let result = match read::<JsOAuth>(credentials) {
                    Ok(credentials) => auth.sign_in_with_oauth(&credentials.into_rust()).await,
                    Err(error) => Err(error),
                };
                let fields = result.map(|response| {
                    vec![("provider", JsValue::from_str(&response.provider)), ("url", JsValue::from_str(&response.url))]
                });
                data_or_error(fields, &["provider", "url"])
            }),
        )
    }

    /// `exchangeCodeForSession(authCode)` → `{ data: { session, user, redirectType }, error }`.
    #[wasm_bindgen(js_name = exchangeCodeForSession, unchecked_return_type = "Promise<Result<{ session: Session; user: User; redirectType: string | null }>>")]
    pub fn exchange_code_for_session(&self, auth_code: String) -> js_sys::Promise {
        operation!(self, |client| {
            let flow_id = web_sys::window()
                .and_then(|window| window.location().href().ok())
                .and_then(|href| crate::RedirectParams::from_url(&href).get("sb_flow_id").map(str::to_string));
            let result = client.exchange_code_for_flow(&auth_code, flow_id.as_deref()).await;
            let fields = result.and_then(|exchange| {
                Ok(vec![
                    ("session", to_js(&exchange.session)?),
                    ("user", to_js(&exchange.session.user)?),
                    ("redirectType", exchange.redirect_type.map(|t| JsValue::from_str(&t)).unwrap_or(JsValue::NULL)),
                ])
            });
            data_or_error(fields, &["session", "user", "redirectType"])
        })
    }

    /// `startAutoRefresh()`: refresh in the background (the client does this itself when
    /// `autoRefreshToken` is on and the page is visible).
    #[wasm_bindgen(js_name = startAutoRefresh, unchecked_return_type = "Promise<void>")]
    pub fn start_auto_refresh(&self) -> js_sys::Promise {
        self.auth.start_auto_refresh();
        js_sys::Promise::resolve(&JsValue::UNDEFINED)
    }

    /// `stopAutoRefresh()`.
    #[wasm_bindgen(js_name = stopAutoRefresh, unchecked_return_type = "Promise<void>")]
    pub fn stop_auto_refresh(&self) -> js_sys::Promise {
        self.auth.stop_auto_refresh();
        js_sys::Promise::resolve(&JsValue::UNDEFINED)
    }

    /// `dispose()`: stops timers and listeners, closes the cross-tab channel, drops subscribers.
    #[wasm_bindgen(js_name = dispose)]
    pub fn dispose(&self) {
        self.auth.dispose();
    }

    /// `signUp({ email | phone, password, options })` → `{ data: { user, session }, error }`.
    #[wasm_bindgen(js_name = signUp, unchecked_return_type = "Promise<AuthResponse>")]
    pub fn sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignUpCredentials")] credentials: JsValue,
    ) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsSignUp>(credentials).and_then(JsSignUp::into_rust) {
                Ok(credentials) => client.sign_up(credentials).await,
                Err(error) => Err(error),
            };
            results::auth_response(result)
        })
    }

    /// `signInWithPassword({ email | phone, password, options })` → `{ data: { user, session, weakPassword }, error }`.
    #[wasm_bindgen(js_name = signInWithPassword, unchecked_return_type = "Promise<AuthResponse>")]
    pub fn sign_in_with_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithPasswordCredentials")] credentials: JsValue,
    ) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsPasswordSignIn>(credentials).and_then(JsPasswordSignIn::into_rust) {
                Ok(credentials) => client.sign_in_with_password(credentials).await,
                Err(error) => Err(error),
            };
            results::auth_response(result)
        })
    }

    /// `signInWithOtp({ email | phone, options })` → `{ data: { user: null, session: null, messageId }, error }`.
    #[wasm_bindgen(js_name = signInWithOtp, unchecked_return_type = "Promise<Result<{ user: null; session: null; messageId: string | null }>>")]
    pub fn sign_in_with_otp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithOtpCredentials")] credentials: JsValue,
    ) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsOtpSignIn>(credentials).and_then(JsOtpSignIn::into_rust) {
                Ok(credentials) => client.sign_in_with_otp(credentials).await,
                Err(error) => Err(error),
            };
            results::message_sent(result)
        })
    }

    /// `verifyOtp({ email, token, type } | { phone, token, type } | { token_hash, type })`.
    #[wasm_bindgen(js_name = verifyOtp, unchecked_return_type = "Promise<AuthResponse>")]
    pub fn verify_otp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "VerifyOtpParams")] params: JsValue,
    ) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsVerifyOtp>(params).and_then(JsVerifyOtp::into_rust) {
                Ok(params) => client.verify_otp(params).await,
                Err(error) => Err(error),
            };
            results::auth_response(result)
        })
    }

    /// `resend({ type, email | phone, options })`.
    #[wasm_bindgen(js_name = resend, unchecked_return_type = "Promise<Result<{ user: null; session: null; messageId: string | null }>>")]
    pub fn resend(&self, #[wasm_bindgen(unchecked_param_type = "ResendParams")] params: JsValue) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsResend>(params).and_then(JsResend::into_rust) {
                Ok(params) => client.resend(params).await,
                Err(error) => Err(error),
            };
            results::message_sent(result)
        })
    }

    /// `resetPasswordForEmail(email, { redirectTo, captchaToken })` → `{ data: {}, error }`.
    #[wasm_bindgen(js_name = resetPasswordForEmail, unchecked_return_type = "Promise<Result<{}>>")]
    pub fn reset_password_for_email(
        &self,
        email: String,
        #[wasm_bindgen(unchecked_param_type = "{ redirectTo?: string; captchaToken?: string } | undefined")]
        options: JsValue,
    ) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read_optional::<JsRedirectOptions>(options) {
                Ok(options) => client.reset_password_for_email(&email, options.into_reset()).await,
                Err(error) => Err(error),
            };
            data_or_error(result.map(|()| vec![]), &[])
        })
    }

    /// `reauthenticate()` → `{ data: { user: null, session: null }, error }`.
    #[wasm_bindgen(js_name = reauthenticate, unchecked_return_type = "Promise<Result<{ user: null; session: null }>>")]
    pub fn reauthenticate(&self) -> js_sys::Promise {
        operation!(self, |client| {
            let result = client.reauthenticate().await;
            data_or_error(
                result.map(|()| vec![("user", JsValue::NULL), ("session", JsValue::NULL)]),
                &["user", "session"],
            )
        })
    }

    /// `signInAnonymously({ options: { data, captchaToken } })`.
    #[wasm_bindgen(js_name = signInAnonymously, unchecked_return_type = "Promise<AuthResponse>")]
    pub fn sign_in_anonymously(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ options?: { data?: JsonObject; captchaToken?: string } } | undefined"
        )]
        credentials: JsValue,
    ) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read_optional::<JsAnonymous>(credentials) {
                Ok(credentials) => client.sign_in_anonymously(credentials.into_rust()).await,
                Err(error) => Err(error),
            };
            results::auth_response(result)
        })
    }

    /// `getSession()` → `{ data: { session }, error }`.
    #[wasm_bindgen(js_name = getSession, unchecked_return_type = "Promise<Result<{ session: Session | null }>>")]
    pub fn get_session(&self) -> js_sys::Promise {
        operation!(self, |client| {
            let result = client.get_session().await.and_then(|session| match session {
                // The stored text is the session's JSON: the engine's parser builds the object
                // far faster than setting its fields one by one from wasm.
                Some(session) => match client.stored_text_of(&session) {
                    Some(text) => js_sys::JSON::parse(&text).or_else(|_| to_js(&session)),
                    None => to_js(&session),
                },
                None => Ok(JsValue::NULL),
            });
            data_or_error(result.map(|session| vec![("session", session)]), &["session"])
        })
    }

    /// `getUser(jwt?)` → `{ data: { user }, error }`.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<Result<{ user: User }>>")]
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
    #[wasm_bindgen(js_name = setSession, unchecked_return_type = "Promise<Result<{ user: User; session: Session }>>")]
    pub fn set_session(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ access_token: string; refresh_token: string }")] tokens: JsValue,
    ) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read::<JsTokens>(tokens) {
                Ok(tokens) => client.set_session(&tokens.access_token, &tokens.refresh_token).await,
                Err(error) => Err(error),
            };
            results::session_response(result)
        })
    }

    /// `refreshSession({ refresh_token }?)` → `{ data: { user, session }, error }`.
    #[wasm_bindgen(js_name = refreshSession, unchecked_return_type = "Promise<Result<{ user: User; session: Session }>>")]
    pub fn refresh_session(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ refresh_token: string } | undefined")] current: JsValue,
    ) -> js_sys::Promise {
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
    #[wasm_bindgen(js_name = updateUser, unchecked_return_type = "Promise<Result<{ user: User }>>")]
    pub fn update_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UserAttributes")] attributes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ emailRedirectTo?: string } | undefined")] options: JsValue,
    ) -> js_sys::Promise {
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
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<ErrorResult>")]
    pub fn sign_out(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ scope?: 'global' | 'local' | 'others' } | undefined")]
        options: JsValue,
    ) -> js_sys::Promise {
        operation!(self, |client| {
            let result = match read_optional::<JsSignOut>(options).and_then(JsSignOut::scope) {
                Ok(scope) => client.sign_out(scope).await,
                Err(error) => Err(error),
            };
            error_only(result)
        })
    }
}

mod admin;
mod mfa;
mod sign_ins;
mod types;
