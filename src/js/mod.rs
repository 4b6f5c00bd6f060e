//! The engine behind the npm package's JavaScript API.
//!
//! The auth-js-shaped classes (`GoTrueClient`, `GoTrueAdminApi`, the `mfa` namespaces) are
//! a thin hand-written JS facade (`pkg-template/client.js`) over one exported type, [`Core`]:
//! every operation goes through [`Core::call`] with its arguments as JSON text and resolves
//! to the `{ data, error }` result as JSON text, which the facade parses. Strings are the
//! cheapest thing to move across the wasm boundary, and one entry point keeps the generated
//! glue and the wasm's promise adapters to a single copy (the size notes: per-method exports
//! and field-by-field JS objects were the largest items of the module).

// The size variants (scripts/size.sh only) leave parts of this module unused.
#![cfg_attr(any(feature = "size-shell", feature = "size-table"), allow(dead_code, unused_imports))]

mod engine;
mod inputs;
mod model;
mod options;
mod results;

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::json::{ObjectWriter, ToJson};
use crate::outlined::outlined;
use crate::AuthError;
use inputs::*;
use model::BrowserAuth;
use results::{reply, Data};

/// One client: its page lifecycle.
#[wasm_bindgen]
pub struct Core {
    auth: Rc<BrowserAuth>,
}

#[wasm_bindgen]
impl Core {
    /// `options` is the JSON of the options as the facade checked and normalised them (see
    /// `options::read_options`); `hooks` carries the functions: `{ storage?,
    /// detectSessionInUrl?: (url, params) => boolean, fetch? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str, #[wasm_bindgen(unchecked_param_type = "object | undefined")] hooks: JsValue) -> Core {
        let setup = options::read_options(options, &hooks);
        let auth = BrowserAuth::with_user_type(setup.options, setup.transport, setup.storage, setup.detect);
        if !setup.initialize {
            auth.skip_auto_initialize();
        }
        #[cfg(not(feature = "size-shell"))]
        if setup.initialize {
            let auth = Rc::clone(&auth);
            wasm_bindgen_futures::spawn_local(async move {
                auth.initialize().await;
            });
        }
        Core { auth }
    }

    /// Runs operation `op` (the JS method's name, `mfa.` / `admin.` / `admin.mfa.` prefixed
    /// for the namespaces) with `args`, the JSON array of its arguments. Resolves to the JSON
    /// text of `{ data, error }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn call(&self, op: String, args: String) -> js_sys::Promise {
        let auth = Rc::clone(&self.auth);
        future_to_promise(async move {
            let args = Args::parse(&args);
            let text = dispatch(&auth, &op, &args).await;
            // A custom storage that threw: auth-js lets that exception through (a programming
            // error, not an auth error), except from initialize().
            match auth.client().storage().take_thrown() {
                Some(exception) if op != "initialize" => Err(exception),
                _ => Ok(JsValue::from(text)),
            }
        })
    }

    /// Whether the session lives in `localStorage` right now (persisting, and no failed write
    /// has sent it to memory): only then may the facade read it there itself.
    #[wasm_bindgen(js_name = readsLocalStorage)]
    pub fn reads_local_storage(&self) -> bool {
        reads_local_storage(&self.auth)
    }

    /// `dispose()`: stops timers and listeners, closes the cross-tab channel, drops subscribers.
    pub fn dispose(&self) {
        self.auth.dispose();
    }

    /// Subscribes `callback(event, sessionJson | null)`; returns the subscription's id, for
    /// [`Core::unsubscribe`].
    ///
    /// A callback that throws is reported to the console; one that returns a promise is not
    /// awaited, so no subscriber can hold the client up. No Rust closure is handed to JS:
    /// one would live in the wasm's memory until the JS garbage collector got to it.
    pub fn subscribe(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(event: string, session: string | null) => unknown")]
        callback: js_sys::Function,
    ) -> String {
        let subscription = self.auth.on_auth_state_change(move |event, session| {
            let session = session.map_or(JsValue::NULL, |session| JsValue::from(session.to_json_string()));
            if callback.call2(&JsValue::NULL, &JsValue::from_str(event.as_str()), &session).is_err() {
                crate::log::warn("gotrue-wasm: an onAuthStateChange callback threw");
            }
        });
        // Written by hand: no integer formatting (core::fmt) in the wasm.
        let mut id = String::new();
        crate::json::push_unsigned(&mut id, subscription.id());
        id
    }

    /// Removes the subscriber `id` (an id `subscribe` returned; anything else is ignored).
    pub fn unsubscribe(&self, id: &str) {
        if let Some(id) = crate::json::parse_i64(id).and_then(|id| u64::try_from(id).ok()) {
            self.auth.client().unsubscribe(id);
        }
    }
}

fn reads_local_storage(auth: &BrowserAuth) -> bool {
    let client = auth.client();
    client.is_initialized() && client.options().persist_session && client.storage().is_local_storage()
}

/// The operations that run before initialization has finished: everything else waits for
/// it, as auth-js's methods do.
fn waits_for_initialization(op: &str) -> bool {
    !(op == "initialize"
        || op == "signInWithOAuth"
        || op == "startAutoRefresh"
        || op == "stopAutoRefresh"
        || op.starts_with("admin."))
}

/// The shell alone, for scripts/size.sh: no operation at all.
#[cfg(feature = "size-shell")]
async fn dispatch(_: &Rc<BrowserAuth>, _: &str, _: &Args) -> String {
    reply(Err(AuthError::invalid_credentials("unknown method")), results::NULL)
}

/// The shell, initialize and the table's operations, for scripts/size.sh: no operation that
/// is code of its own.
#[cfg(feature = "size-table")]
async fn code_op(auth: &Rc<BrowserAuth>, op: &str, _: &Args) -> (Data, &'static str) {
    match op {
        "initialize" => (auth.initialize().await.error.map_or(Ok(String::new()), Err), results::ERROR_ONLY),
        _ => (Err(AuthError::invalid_credentials("unknown method")), results::NULL),
    }
}

#[cfg(not(feature = "size-shell"))]
async fn dispatch(auth: &Rc<BrowserAuth>, op: &str, args: &Args) -> String {
    if waits_for_initialization(op) {
        auth.initialized().await;
    }
    let client = auth.client();
    // What a custom storage threw during initialization stays there (auth-js only logs it).
    client.storage().take_thrown();
    #[cfg(not(feature = "size-init"))]
    if let Some(entry) = engine::OPS.iter().find(|entry| entry.name == op) {
        return engine::run(auth, entry, args).await;
    }
    let (data, shape) = code_op(auth, op, args).await;
    reply(data, shape)
}

/// The operations with logic of their own.
#[cfg(not(feature = "size-table"))]
async fn code_op(auth: &Rc<BrowserAuth>, op: &str, args: &Args) -> (Data, &'static str) {
    match op {
        "initialize" => (outlined(auth.initialize()).await.error.map_or(Ok(String::new()), Err), results::ERROR_ONLY),
        "startAutoRefresh" => {
            auth.start_auto_refresh();
            (Ok(String::new()), results::ERROR_ONLY)
        }
        "stopAutoRefresh" => {
            auth.stop_auto_refresh();
            (Ok(String::new()), results::ERROR_ONLY)
        }
        "signInWithOAuth" => (results::whole(outlined(sign_in_with_oauth(auth, args)).await), results::PROVIDER_URL),
        "exchangeCodeForSession" => (results::whole(outlined(exchange(auth, args)).await), results::EXCHANGE),
        "getSession" => (outlined(get_session(auth)).await, results::SESSION),
        "setSession" => (results::session_response(outlined(set_session(auth, args)).await), results::USER_SESSION),
        "refreshSession" => {
            (results::session_response(outlined(refresh_session(auth, args)).await), results::USER_SESSION)
        }
        "signOut" => (outlined(sign_out(auth, args)).await.map(|()| String::new()), results::ERROR_ONLY),
        _ => (Err(AuthError::invalid_credentials("unknown method")), results::NULL),
    }
}

#[cfg(not(feature = "size-table"))]
async fn sign_in_with_oauth(auth: &BrowserAuth, args: &Args) -> Result<crate::OAuthResponse, AuthError> {
    let credentials = oauth(args.object(0))?;
    auth.sign_in_with_oauth(&credentials).await
}

#[cfg(not(feature = "size-table"))]
async fn exchange(auth: &BrowserAuth, args: &Args) -> Result<crate::CodeExchange<crate::UserJson>, AuthError> {
    let code = args.string(0, "authCode")?;
    // `options.flowId` (auth-js 2.119: signInWithOAuth's `flowId`), else the URL's
    // `sb_flow_id`. An explicit id that is no flow id finds no verifier.
    let given = match args.optional_object(1)? {
        Some(options) => opt_str(&options, "flowId")?,
        None => None,
    };
    if given.as_deref().is_some_and(|id| !crate::pkce::is_valid_flow_id(id)) {
        return Err(AuthError::pkce_verifier_missing());
    }
    let flow_id = given.or_else(|| {
        crate::browser::page_href()
            .and_then(|href| crate::RedirectParams::from_url(&href).get("sb_flow_id").map(str::to_string))
    });
    auth.client().exchange_code_for_flow(&code, flow_id.as_deref()).await
}

#[cfg(not(feature = "size-table"))]
async fn get_session(auth: &BrowserAuth) -> Data {
    let client = auth.client();
    let session = client.get_session().await?;
    let mut out = String::new();
    let mut data = ObjectWriter::new(&mut out);
    match &session {
        // The stored text is the session's JSON already: no need to write it again.
        Some(session) => match client.stored_text_of(session) {
            Some(text) => {
                data.raw("session", &text);
                // The facade may answer the next calls itself while localStorage holds this
                // very text and it is not yet due for a refresh.
                if reads_local_storage(auth) {
                    let cache = results::object(|cache| {
                        cache
                            .field("key", client.storage_key())
                            .field("text", &text)
                            .field("margin", &crate::EXPIRY_MARGIN_SECONDS);
                    });
                    data.raw("cache", &cache);
                }
            }
            None => {
                data.field("session", session);
            }
        },
        None => {
            data.raw("session", "null");
        }
    };
    data.finish();
    Ok(out)
}

#[cfg(not(feature = "size-table"))]
async fn set_session(auth: &BrowserAuth, args: &Args) -> Result<model::Session, AuthError> {
    let tokens = args.object(0)?;
    // auth-js: a missing token is a missing session.
    let token = |key| opt_str(&tokens, key).ok().flatten().filter(|token| !token.is_empty());
    match (token("access_token"), token("refresh_token")) {
        (Some(access), Some(refresh)) => auth.client().set_session(&access, &refresh).await,
        _ => Err(AuthError::session_missing()),
    }
}

#[cfg(not(feature = "size-table"))]
async fn refresh_session(auth: &BrowserAuth, args: &Args) -> Result<model::Session, AuthError> {
    let client = auth.client();
    match args.optional_object(0)? {
        Some(current) => match opt_str(&current, "refresh_token")? {
            Some(token) => client.refresh_session_with(&token).await,
            None => client.refresh_session().await,
        },
        None => client.refresh_session().await,
    }
}

#[cfg(not(feature = "size-table"))]
async fn sign_out(auth: &BrowserAuth, args: &Args) -> Result<(), AuthError> {
    let scope = sign_out_scope(args.optional_object(0))?;
    auth.client().sign_out(scope).await
}
