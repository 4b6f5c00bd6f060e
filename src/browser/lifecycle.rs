//! The page lifecycle around a [`BrowserClient`]: initialization from the URL, auto refresh
//! driven by a ticker and page visibility, events shared between tabs, and `dispose()`.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;

use super::{BrowserClient, BrowserStorage, FetchTransport};
use crate::client::InitOutcome;
use crate::events::{AuthChangeEvent, Subscription};
use crate::json::ToJson;
use crate::redirect::RedirectParams;
use crate::single_flight::Shared;
use crate::types::{Session, SessionUser, User};
use crate::{AuthError, ClientOptions, GoTrueClient, OAuthResponse, SignInWithOAuthCredentials};

/// Decides whether a callback URL (with its auth parameters) belongs to this client.
pub type CallbackCheck = Box<dyn Fn(&str, &RedirectParams) -> bool>;

// The page's services (src/browser/glue.js): one generic import each, instead of a web-sys
// binding per property and method.
#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = page)]
    fn js_page(op: &str, url: Option<&str>) -> JsValue;
    #[wasm_bindgen(js_name = page, catch)]
    fn js_navigate(op: &str, url: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = listen)]
    fn js_listen(kind: &str, ms: u32, callback: &JsValue) -> Option<js_sys::Function>;
    #[wasm_bindgen(js_name = tabs)]
    fn js_tabs(name: &str, on_event: &JsValue) -> js_sys::Function;
}

/// The page's address (`None` outside a window).
pub(crate) fn page_href() -> Option<String> {
    js_page("href", None).as_string()
}

/// A stop function from glue.js and the Rust closure it calls.
type Watch = (js_sys::Function, Closure<dyn FnMut()>);
/// Another tab's event (`event`, its session's JSON), or with an `event` of `""` (no old
/// value) or `"-"` (an old value) a `storage` event on the session key and its new value.
type TabListener = Closure<dyn FnMut(String, Option<String>)>;

/// Whether, and when, the page URL is read for a session at initialization.
pub enum DetectSessionInUrl {
    /// Never.
    Off,
    /// Whenever the URL carries an auth callback.
    On,
    /// When the callback also passes this check (`url`, its auth parameters): an app whose
    /// other libraries use `#access_token` too can tell them apart.
    When(CallbackCheck),
}

impl std::fmt::Debug for DetectSessionInUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DetectSessionInUrl::Off => "Off",
            DetectSessionInUrl::On => "On",
            DetectSessionInUrl::When(_) => "When(..)",
        })
    }
}

#[derive(Default)]
struct Resources {
    ticker: Option<Watch>,
    visibility: Option<Watch>,
    /// `send(event, sessionJson)` to the other tabs (`send()` disconnects), and the listener.
    tabs: Option<(js_sys::Function, TabListener)>,
}

/// A browser client with the page lifecycle auth-js users rely on.
///
/// ```no_run
/// # async fn run() {
/// use gotrue_wasm::{BrowserAuth, BrowserStorage, ClientOptions, DetectSessionInUrl};
/// let auth = BrowserAuth::new(
///     ClientOptions::new("https://project.supabase.co/auth/v1").header("apikey", "anon-key"),
///     BrowserStorage::local_or_memory(),
///     DetectSessionInUrl::On,
/// );
/// let _subscription = auth.on_auth_state_change(|event, session| {
///     web_sys::console::log_1(&event.as_str().into());
///     let _ = session;
/// });
/// let outcome = auth.initialize().await;
/// if let Some(error) = outcome.error {
///     web_sys::console::warn_1(&error.message().into());
/// }
/// # }
/// ```
///
/// `U` is the sessions' user type, as in [`GoTrueClient`] ([`Self::with_user_type`]).
pub struct BrowserAuth<U: SessionUser = User> {
    client: Rc<BrowserClient<U>>,
    detect: DetectSessionInUrl,
    init: RefCell<Option<Rc<Shared<InitOutcome>>>>,
    resources: RefCell<Resources>,
    disposed: Cell<bool>,
    /// Whether a task delivering INITIAL_SESSION to new subscribers is already queued.
    initial_pending: Cell<bool>,
    /// auth-js's `skipAutoInitialize` (see [`Self::skip_auto_initialize`]).
    skip_auto_initialize: Cell<bool>,
    me: Weak<BrowserAuth<U>>,
}

impl<U: SessionUser> std::fmt::Debug for BrowserAuth<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserAuth").field("client", &self.client).field("detect", &self.detect).finish()
    }
}

impl BrowserAuth {
    /// Sets the client up and connects it to other tabs. Call [`Self::initialize`] (or let
    /// the JS API do it) to read the URL, recover the session and start auto refresh.
    pub fn new(options: ClientOptions, storage: BrowserStorage, detect: DetectSessionInUrl) -> Rc<Self> {
        Self::with_transport(options, FetchTransport::new(), storage, detect)
    }

    /// As [`Self::new`], sending requests with `transport` (e.g. an app's own `fetch`).
    pub fn with_transport(
        options: ClientOptions,
        transport: FetchTransport,
        storage: BrowserStorage,
        detect: DetectSessionInUrl,
    ) -> Rc<Self> {
        Self::with_user_type(options, transport, storage, detect)
    }
}

impl<U: SessionUser> BrowserAuth<U> {
    /// As [`BrowserAuth::with_transport`], for sessions whose user is a `U`
    /// (see [`GoTrueClient::with_user_type`]).
    pub fn with_user_type(
        options: ClientOptions,
        transport: FetchTransport,
        storage: BrowserStorage,
        detect: DetectSessionInUrl,
    ) -> Rc<Self> {
        let detect = if options.detect_session_in_url { detect } else { DetectSessionInUrl::Off };
        let client = Rc::new(GoTrueClient::with_user_type(options, transport, storage, Rc::new(super::BrowserRuntime)));
        let auth = Rc::new_cyclic(|me| BrowserAuth {
            client,
            detect,
            init: RefCell::new(None),
            resources: RefCell::new(Resources::default()),
            disposed: Cell::new(false),
            initial_pending: Cell::new(false),
            skip_auto_initialize: Cell::new(false),
            me: me.clone(),
        });
        auth.connect_tabs();
        auth
    }

    /// The client.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// let user = auth.client().get_user().await?;
    /// # Ok(()) }
    /// ```
    pub fn client(&self) -> &Rc<BrowserClient<U>> {
        &self.client
    }

    /// Initializes once (later calls wait for the first): detects a session or error in
    /// the URL and removes the auth parameters from it, else recovers the stored session;
    /// then starts auto refresh if it is on and the page is visible.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// let outcome = auth.initialize().await;
    /// if let Some(error) = outcome.error {
    ///     web_sys::console::warn_1(&error.message().into());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn initialize(&self) -> InitOutcome {
        let existing = self.init.borrow().clone();
        if let Some(shared) = existing {
            return shared.wait().await;
        }
        let shared = Shared::new();
        *self.init.borrow_mut() = Some(Rc::clone(&shared));
        if self.skip_auto_initialize.get() {
            self.client.initial_session_first_until_now();
        }
        let url = self.url_to_detect().await;
        let outcome = self.client.initialize(url.as_deref()).await;
        if let Some(clean_url) = &outcome.clean_url {
            replace_url(clean_url);
        }
        if !self.disposed.get() {
            self.watch_visibility();
            if self.client.options().auto_refresh_token && page_visible() {
                self.start_auto_refresh();
            }
        }
        shared.complete(outcome.clone());
        outcome
    }

    /// Waits for initialization if it has started (operations wait so they never act on
    /// a session the URL is about to replace).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// auth.initialized().await;
    /// let session = auth.client().get_session().await?;
    /// # Ok(()) }
    /// ```
    pub async fn initialized(&self) {
        let existing = self.init.borrow().clone();
        if let Some(shared) = existing {
            shared.wait().await;
        }
    }

    async fn url_to_detect(&self) -> Option<String> {
        let href = page_href()?;
        let wanted = match &self.detect {
            DetectSessionInUrl::Off => false,
            DetectSessionInUrl::On => true,
            DetectSessionInUrl::When(check) => {
                self.client.is_auth_callback(&href).await && check(&href, &RedirectParams::from_url(&href))
            }
        };
        wanted.then_some(href)
    }

    /// Calls `listener` on every auth event, starting with INITIAL_SESSION once the client
    /// has initialized.
    ///
    /// Subscribers added after initialization get INITIAL_SESSION from one queued task that
    /// serves every subscriber still waiting for it (one that unsubscribed meanwhile gets
    /// nothing): a burst of subscriptions queues one task, not one per subscriber, so
    /// subscribing costs memory only for the subscribers alive.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// let _subscription = auth.on_auth_state_change(|event, session| {
    ///     web_sys::console::log_1(&event.as_str().into());
    ///     let _ = session;
    /// });
    /// # Ok(()) }
    /// ```
    pub fn on_auth_state_change(
        &self,
        listener: impl Fn(AuthChangeEvent, Option<&Session<U>>) + 'static,
    ) -> Subscription {
        let subscription = self.client.on_auth_state_change(listener);
        let unasked = self.skip_auto_initialize.get() && self.init.borrow().is_none();
        if (self.client.is_initialized() || unasked) && !self.initial_pending.replace(true) {
            let me = self.me.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if unasked {
                    // As auth-js's lock: an initialize() asked for in the same turn goes
                    // first, and hands INITIAL_SESSION to these subscribers itself.
                    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL)).await;
                }
                let Some(auth) = me.upgrade() else { return };
                auth.initial_pending.set(false);
                // Initialization asked for meanwhile delivers it (or has): no second session read.
                if unasked && auth.init.borrow().is_some() {
                    return;
                }
                auth.client.emit_initial_session(None).await;
            });
        }
        subscription
    }

    /// Follows auth-js's `skipAutoInitialize`, for a client whose app calls [`Self::initialize`]
    /// itself (or never does): until it does, a subscriber hears INITIAL_SESSION without
    /// waiting for it, and one that subscribed before it hears INITIAL_SESSION before the
    /// events initializing raised.
    // Plumbing for the JS engine, which calls it for the app: hidden from the docs, not a
    // supported API.
    #[doc(hidden)]
    pub fn skip_auto_initialize(&self) {
        self.skip_auto_initialize.set(true);
    }

    /// Sends the window to `url` (an OAuth, identity-linking or SSO start).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// auth.navigate("https://app.example/elsewhere")?;
    /// # Ok(()) }
    /// ```
    pub fn navigate(&self, url: &str) -> Result<(), AuthError> {
        js_navigate("assign", url)
            .map(|_| ())
            .map_err(|_| AuthError::unknown("The browser refused to navigate to the sign-in URL"))
    }

    /// Builds the OAuth URL and, unless told not to, sends the window there.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// // Sends the window to the provider; the redirect back is read by `initialize`.
    /// auth.sign_in_with_oauth(&SignInWithOAuthCredentials::new("github")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_oauth(
        &self,
        credentials: &SignInWithOAuthCredentials,
    ) -> Result<OAuthResponse, AuthError> {
        self.initialized().await;
        let response = self.client.sign_in_with_oauth(credentials).await?;
        if !credentials.skips_browser_redirect() {
            js_navigate("assign", &response.url)
                .map_err(|_| AuthError::unknown("The browser refused to navigate to the OAuth URL"))?;
        }
        Ok(response)
    }

    /// Starts the auto-refresh ticker (one tick now, then every tick interval).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// auth.start_auto_refresh();
    /// # Ok(()) }
    /// ```
    pub fn start_auto_refresh(&self) {
        self.stop_auto_refresh();
        if self.disposed.get() {
            return;
        }
        let me = self.me.clone();
        let tick = Closure::<dyn FnMut()>::new(move || {
            if let Some(auth) = me.upgrade() {
                let client = Rc::clone(&auth.client);
                wasm_bindgen_futures::spawn_local(async move { client.auto_refresh_tick().await });
            }
        });
        let interval = self.client.options().auto_refresh_tick_ms.min(i32::MAX as u32);
        let Some(stop) = js_listen("interval", interval, tick.as_ref()) else { return };
        self.resources.borrow_mut().ticker = Some((stop, tick));
        let client = Rc::clone(&self.client);
        wasm_bindgen_futures::spawn_local(async move { client.auto_refresh_tick().await });
    }

    /// Stops the auto-refresh ticker.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// auth.stop_auto_refresh();
    /// # Ok(()) }
    /// ```
    pub fn stop_auto_refresh(&self) {
        let ticker = self.resources.borrow_mut().ticker.take();
        if let Some((stop, _)) = ticker {
            let _ = stop.call0(&JsValue::NULL);
        }
    }

    /// Stops timers and listeners, closes the channel to other tabs and drops subscribers.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// auth.dispose();
    /// # Ok(()) }
    /// ```
    pub fn dispose(&self) {
        self.disposed.set(true);
        self.stop_auto_refresh();
        let resources = std::mem::take(&mut *self.resources.borrow_mut());
        if let Some((stop, _)) = &resources.visibility {
            let _ = stop.call0(&JsValue::NULL);
        }
        if let Some((send, _)) = &resources.tabs {
            let _ = send.call0(&JsValue::NULL);
        }
        self.client.set_outbound(None);
        self.client.remove_all_listeners();
    }

    /// Hidden pages stop refreshing; a page that becomes visible refreshes if needed and
    /// restarts the ticker.
    fn watch_visibility(&self) {
        let me = self.me.clone();
        let listener = Closure::<dyn FnMut()>::new(move || {
            let Some(auth) = me.upgrade() else { return };
            let auto_refresh = auth.client.options().auto_refresh_token;
            if page_visible() {
                if auto_refresh {
                    auth.start_auto_refresh();
                }
                // A tab shown again confirms its session (SIGNED_IN), as auth-js does.
                let client = Rc::clone(&auth.client);
                wasm_bindgen_futures::spawn_local(async move { client.recover_stored_session().await });
            } else if auto_refresh {
                auth.stop_auto_refresh();
            }
        });
        if let Some(stop) = js_listen("visibility", 0, listener.as_ref()) {
            self.resources.borrow_mut().visibility = Some((stop, listener));
        }
    }

    /// Every event of this tab is posted on a BroadcastChannel named after the storage key
    /// (`{ event, session }`, as auth-js posts it); other tabs' events update this tab. Where
    /// BroadcastChannel is missing, `storage` events on the session key stand in.
    ///
    /// Only in a browser page (a window with a document), as auth-js does: elsewhere (Node,
    /// Deno, workers) an open channel would keep the process alive and there are no tabs.
    fn connect_tabs(&self) {
        let in_page = js_page("page", None).is_truthy();
        if !self.client.options().persist_session || !in_page {
            return;
        }
        let key = self.client.storage_key().to_string();
        let me = self.me.clone();
        let listener = TabListener::new(move |event: String, value: Option<String>| {
            if let Some(auth) = me.upgrade() {
                match event.as_str() {
                    "" | "-" => auth.receive_storage_event(value, event == "-"),
                    _ => auth.receive_tab_message(&event, value.as_deref()),
                }
            }
        });
        let send = js_tabs(&key, listener.as_ref());
        let sender = send.clone();
        self.client.set_outbound(Some(Rc::new(move |event: AuthChangeEvent, session: Option<&Session<U>>| {
            let session = session.map_or(JsValue::NULL, |s| JsValue::from(s.to_json_string()));
            let _ = sender.call2(&JsValue::NULL, &event.as_str().into(), &session);
        })));
        self.resources.borrow_mut().tabs = Some((send, listener));
    }

    fn receive_tab_message(&self, event: &str, session: Option<&str>) {
        let Some(event) = AuthChangeEvent::parse(event) else { return };
        let session = session.and_then(|text| Session::<U>::read_json_str(text).ok());
        self.client.receive_remote_event(event, session);
    }

    /// Where there is no BroadcastChannel: another tab changed the session key.
    fn receive_storage_event(&self, new_value: Option<String>, had_value: bool) {
        match new_value {
            None => self.client.receive_remote_event(AuthChangeEvent::SignedOut, None),
            Some(value) => {
                if let crate::storage::StoredSession::Valid(session) = crate::storage::read_session_as(Some(&value)) {
                    let kind = if had_value { AuthChangeEvent::TokenRefreshed } else { AuthChangeEvent::SignedIn };
                    self.client.receive_remote_event(kind, Some(*session));
                }
            }
        }
    }
}

impl<U: SessionUser> Drop for BrowserAuth<U> {
    fn drop(&mut self) {
        self.dispose();
    }
}

fn page_visible() -> bool {
    js_page("visible", None).is_truthy()
}

/// Shows `url` without reloading and without a new history entry.
fn replace_url(url: &str) {
    js_page("replace", Some(url));
}
