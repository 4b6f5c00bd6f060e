//! The client: every operation, the session's life in storage, events, initialization from
//! the page URL, and refreshing (one at a time, across tabs too). MFA and identity
//! operations live in their own files beside this one.

mod claims;
mod identities;
mod mfa;
mod oauth_server;
mod passkeys;
mod recovery_codes;
mod web3;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::api::signup::SignUpOutcome;
use crate::api::{self, *};
use crate::error::{AuthError, AuthErrorKind, RedirectErrorDetails};
use crate::events::{AuthChangeEvent, Listener, Registry, Subscription};
use crate::http::{Api, HttpTransport};
use crate::options::{ClientOptions, FlowType};
use crate::pkce::{self, StartedFlow};
use crate::redirect::{strip_auth_params, RedirectParams};
use crate::runtime::Runtime;
use crate::single_flight::Shared;
use crate::storage::{read_session_as, write_session, Storage, StoredSession};
use crate::types::{AuthResponse, JsonObject, SecretString, Session, SessionUser, TokenResponse, User};

/// A session is refreshed before use once fewer than this many seconds remain (auth-js:
/// three 30-second auto-refresh ticks).
pub const EXPIRY_MARGIN_SECONDS: i64 = 90;

/// Retryable refresh failures are retried with doubling delays from this…
const RETRY_FIRST_DELAY_MS: i64 = 200;
/// …while the whole refresh stays within this.
const RETRY_BUDGET_MS: i64 = 30_000;
/// The auto-refresh ticker does not retry a refresh token that failed this recently.
const FAILED_REFRESH_PAUSE_MS: i64 = 60_000;
/// A session from the URL issued longer ago than this may be stale (warned, not refused).
const URL_SESSION_MAX_AGE_SECONDS: i64 = 120;
/// Checking the URL's tokens (or exchanging its code) is retried on transient failures from
/// this delay, doubling, while the whole check stays within [`URL_RETRY_BUDGET_MS`]: the
/// page waits for initialization meanwhile, so the budget is short.
const URL_RETRY_FIRST_DELAY_MS: i64 = 250;
/// See [`URL_RETRY_FIRST_DELAY_MS`].
const URL_RETRY_BUDGET_MS: i64 = 5_000;

type RefreshOutcome<U> = Result<Session<U>, AuthError>;
/// The refresh under way: its refresh token, and where its outcome will be.
type InFlight<U> = Option<(String, Rc<Shared<RefreshOutcome<U>>>)>;

/// How initialization went: an error from the URL (the stored session is then kept) and
/// the URL to show without the auth parameters.
#[derive(Clone, Debug, Default)]
pub struct InitOutcome {
    /// The redirect's error, or why the URL's session could not be used.
    pub error: Option<AuthError>,
    /// The current URL without the auth parameters, when it had any.
    pub clean_url: Option<String>,
}

/// The session from a PKCE code, and whether the flow was a password recovery.
#[derive(Clone, Debug)]
pub struct CodeExchange<U = User> {
    /// The new session.
    pub session: Session<U>,
    /// `Some("recovery")` for password-recovery flows.
    pub redirect_type: Option<String>,
}

/// `{ session, user, redirectType }`, as auth-js's `exchangeCodeForSession` answers.
impl<U: crate::json::ToJson> crate::json::ToJson for CodeExchange<U> {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json::ObjectWriter::new(out);
        object
            .field("session", &self.session)
            .field("user", &self.session.user)
            .field("redirectType", &self.redirect_type);
        object.finish();
    }
}

/// The auth client, generic over how it talks HTTP and where it keeps the session.
///
/// In the browser (wasm32), `BrowserClient` is this with `fetch` and `localStorage`, and
/// `BrowserAuth` adds the page lifecycle (URL detection, auto refresh, tabs).
/// Natively (tests, tools), pass any [`HttpTransport`] and [`Storage`].
///
/// `U` is how sessions carry their user: the typed [`User`] unless the client was made with
/// [`Self::with_user_type`] (e.g. [`UserJson`](crate::UserJson), the server's JSON as it came).
pub struct GoTrueClient<T, S, U = User> {
    api: Api<T>,
    storage: S,
    options: ClientOptions,
    /// The last session seen: all of it when not persisting, a cache otherwise.
    memory: RefCell<Option<Session<U>>>,
    runtime: Rc<dyn Runtime>,
    listeners: Rc<Registry<U>>,
    initialized: Cell<bool>,
    initializing: Cell<bool>,
    /// Subscribers up to this id hear INITIAL_SESSION before what initializing raised (0:
    /// none; see [`Self::initial_session_first_until_now`]).
    initial_first_up_to: Cell<u64>,
    /// Events raised while initializing, delivered once INITIAL_SESSION has gone out.
    queued: RefCell<Vec<(AuthChangeEvent, Option<Session<U>>)>>,
    /// Where events go besides local subscribers (the browser posts them to other tabs).
    outbound: RefCell<Option<Listener<U>>>,
    refresh_in_flight: RefCell<InFlight<U>>,
    last_failed_refresh: RefCell<Option<(String, i64)>>,
    jwks: crate::claims::JwksCache,
    /// The stored text last read and the session it held.
    last_read: RefCell<Option<(String, Session<U>)>>,
}

impl<T, S, U> std::fmt::Debug for GoTrueClient<T, S, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoTrueClient")
            .field("url", &self.api.base_url())
            .field("storage_key", &self.options.storage_key)
            .field("flow_type", &self.options.flow_type)
            .finish_non_exhaustive()
    }
}

impl<T: HttpTransport, S: Storage> GoTrueClient<T, S> {
    /// A client for `options.url` that sends requests with `transport`, keeps the session
    /// in `storage` and asks `runtime` for time, randomness and locks.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # fn run(transport: impl HttpTransport, runtime: std::rc::Rc<dyn Runtime>) {
    /// let options = ClientOptions::new("https://project.supabase.co/auth/v1").header("apikey", "anon-key");
    /// let client = GoTrueClient::with_runtime(options, transport, MemoryStorage::new(), runtime);
    /// # }
    /// ```
    pub fn with_runtime(options: ClientOptions, transport: T, storage: S, runtime: Rc<dyn Runtime>) -> Self {
        Self::with_user_type(options, transport, storage, runtime)
    }

    /// A client on the platform's own runtime.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # fn run(transport: impl HttpTransport) {
    /// let options = ClientOptions::new("https://project.supabase.co/auth/v1").header("apikey", "anon-key");
    /// let client = GoTrueClient::new(options, transport, MemoryStorage::new());
    /// # }
    /// ```
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new(options: ClientOptions, transport: T, storage: S) -> Self {
        Self::with_runtime(options, transport, storage, Rc::new(crate::runtime::NativeRuntime))
    }
}

impl<T: HttpTransport, S: Storage, U: SessionUser> GoTrueClient<T, S, U> {
    /// As [`GoTrueClient::with_runtime`], for sessions whose user is a `U`: the user-returning
    /// methods answer `U` too. [`UserJson`](crate::UserJson) keeps the server's JSON as it came,
    /// for apps that pass the user on rather than read it.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(transport: impl HttpTransport, runtime: std::rc::Rc<dyn Runtime>) -> Result<(), AuthError> {
    /// let options = ClientOptions::new("https://project.supabase.co/auth/v1").header("apikey", "anon-key");
    /// let client = GoTrueClient::<_, _, UserJson>::with_user_type(options, transport, MemoryStorage::new(), runtime);
    /// if let Some(session) = client.get_session().await? {
    ///     println!("{}", session.user.id());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn with_user_type(options: ClientOptions, transport: T, storage: S, runtime: Rc<dyn Runtime>) -> Self {
        GoTrueClient {
            api: Api::new(transport, &options.url, options.headers.clone()).with_timeout(options.request_timeout_ms),
            storage,
            options,
            memory: RefCell::new(None),
            runtime,
            listeners: Rc::new(Registry::default()),
            initialized: Cell::new(false),
            initializing: Cell::new(false),
            initial_first_up_to: Cell::new(0),
            queued: RefCell::new(Vec::new()),
            outbound: RefCell::new(None),
            refresh_in_flight: RefCell::new(None),
            last_failed_refresh: RefCell::new(None),
            jwks: Default::default(),
            last_read: RefCell::new(None),
        }
    }

    #[cfg(all(target_arch = "wasm32", feature = "js-api"))]
    /// The request layer (the JS engine sends its table's requests through it).
    pub(crate) fn api(&self) -> &Api<T> {
        &self.api
    }

    /// The options the client was made with.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The storage key of the session.
    pub fn storage_key(&self) -> &str {
        &self.options.storage_key
    }

    /// The runtime the client uses.
    pub fn runtime(&self) -> &Rc<dyn Runtime> {
        &self.runtime
    }

    /// The storage the client uses.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// The admin API, authorized by `service_key` (a service-role JWT). Keep such keys on
    /// servers: anyone holding one can do anything to any user.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let first_page = admin.list_users(None, None).await?;
    /// # Ok(()) }
    /// ```
    pub fn admin(&self, service_key: impl Into<String>) -> AdminApi<'_, T> {
        AdminApi { api: &self.api, service_key: service_key.into() }
    }

    /// The server's public settings (`GET /settings`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let settings = client.settings().await?;
    /// let providers = settings.get("external");
    /// # Ok(()) }
    /// ```
    pub async fn settings(&self) -> Result<JsonObject, AuthError> {
        api::settings::settings(&self.api).await
    }

    // ---- events ---------------------------------------------------------------------

    /// Calls `listener` on every auth event. Its first event is INITIAL_SESSION, once the
    /// client has initialized: if it already has, call [`Self::emit_initial_session`] with
    /// the returned id (the browser layer does this for you).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let subscription = client.on_auth_state_change(|event, session| {
    ///     println!("{} {:?}", event.as_str(), session.map(|s| &s.user.email));
    /// });
    /// subscription.unsubscribe();
    /// # Ok(()) }
    /// ```
    pub fn on_auth_state_change(
        &self,
        listener: impl Fn(AuthChangeEvent, Option<&Session<U>>) + 'static,
    ) -> Subscription {
        self.listeners.add(Rc::new(listener))
    }

    /// Sends INITIAL_SESSION to subscriber `id` (`None`: every subscriber) if it has not
    /// had it.
    // Plumbing between the client and the browser layer or the JS engine, which call it for
    // the app: hidden from the docs, not a supported API.
    #[doc(hidden)]
    pub async fn emit_initial_session(&self, id: Option<u64>) {
        let session = self.get_session().await.ok().flatten();
        self.listeners.emit_initial(id, session.as_ref());
    }

    /// The subscribers there now hear INITIAL_SESSION, when initialization ends, before the
    /// events it raised: auth-js's order for subscribers taken out before an `initialize()`
    /// the app calls itself (`skipAutoInitialize`), whose INITIAL_SESSION its lock hands out
    /// before initialization's queued events.
    // Plumbing between the client and the browser layer or the JS engine, which call it for
    // the app: hidden from the docs, not a supported API.
    #[doc(hidden)]
    pub fn initial_session_first_until_now(&self) {
        self.initial_first_up_to.set(self.listeners.last_id());
    }

    /// Removes subscriber `id` (what [`Subscription::unsubscribe`] does).
    pub fn unsubscribe(&self, id: u64) {
        self.listeners.remove(id);
    }

    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) fn listener_count(&self) -> (usize, usize) {
        self.listeners.count()
    }

    /// The session's access token, if signed in: without one, MFA (and identity) requests
    /// still go to the server, which answers for itself (as with auth-js).
    pub(crate) async fn optional_access_token(&self) -> Result<Option<String>, AuthError> {
        Ok(self.get_session().await?.map(|session| session.access_token.expose().to_string()))
    }

    /// The current session's access token, or `AuthSessionMissingError` (requests that
    /// need a signed-in user: passkeys, recovery codes, the OAuth 2.1 server's consent).
    pub(crate) async fn session_token(&self) -> Result<String, AuthError> {
        self.optional_access_token().await?.ok_or_else(AuthError::session_missing)
    }

    /// Whether initialization has finished.
    // Plumbing between the client and the browser layer or the JS engine, which call it for
    // the app: hidden from the docs, not a supported API.
    #[doc(hidden)]
    pub fn is_initialized(&self) -> bool {
        self.initialized.get()
    }

    /// Sets where events go besides local subscribers (another tab's channel).
    // Plumbing between the client and the browser layer or the JS engine, which call it for
    // the app: hidden from the docs, not a supported API.
    #[doc(hidden)]
    pub fn set_outbound(&self, outbound: Option<Listener<U>>) {
        *self.outbound.borrow_mut() = outbound;
    }

    /// Drops every subscriber (on dispose).
    // Plumbing between the client and the browser layer or the JS engine, which call it for
    // the app: hidden from the docs, not a supported API.
    #[doc(hidden)]
    pub fn remove_all_listeners(&self) {
        self.listeners.clear();
    }

    pub(crate) fn notify(&self, event: AuthChangeEvent, session: Option<&Session<U>>) {
        if self.initializing.get() {
            self.queued.borrow_mut().push((event, session.cloned()));
            return;
        }
        self.listeners.emit(event, session);
        let outbound = self.outbound.borrow().clone();
        if let Some(outbound) = outbound {
            outbound(event, session);
        }
    }

    /// An event from another tab: memory follows it and local subscribers hear it; it is
    /// not sent on again.
    // Plumbing between the client and the browser layer or the JS engine, which call it for
    // the app: hidden from the docs, not a supported API.
    #[doc(hidden)]
    pub fn receive_remote_event(&self, event: AuthChangeEvent, session: Option<Session<U>>) {
        match (&event, &session) {
            (AuthChangeEvent::SignedOut, _) => *self.memory.borrow_mut() = None,
            (_, Some(session)) => *self.memory.borrow_mut() = Some(session.clone()),
            _ => {}
        }
        if !self.initializing.get() {
            self.listeners.emit(event, session.as_ref());
        }
    }

    // ---- initialization -------------------------------------------------------------

    /// Initializes once: takes a session (or an error) from `current_url` when given, else
    /// recovers the stored session, refreshing it if it is about to expire. Then every
    /// subscriber gets INITIAL_SESSION, followed by the events raised meanwhile.
    ///
    /// Later calls return at once with an empty outcome.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let outcome = client.initialize(Some("https://app.example/callback?code=…")).await;
    /// if let Some(error) = outcome.error {
    ///     eprintln!("{}", error.message());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn initialize(&self, current_url: Option<&str>) -> InitOutcome {
        if self.initialized.get() || self.initializing.get() {
            return InitOutcome::default();
        }
        self.initializing.set(true);
        let mut outcome = InitOutcome::default();
        let mut detected = false;
        if let Some(url) = current_url {
            match self.session_from_url(url).await {
                UrlSession::None => {}
                UrlSession::Session { clean_url } => {
                    detected = true;
                    outcome.clean_url = Some(clean_url);
                }
                UrlSession::Failed { error, clean_url } => {
                    outcome.error = Some(error);
                    outcome.clean_url = clean_url;
                }
            }
        }
        // auth-js delivers what recovering the stored session raised (SIGNED_IN for a valid
        // session, TOKEN_REFRESHED, SIGNED_OUT) before INITIAL_SESSION, and a session taken
        // from the URL after it.
        // A URL that failed ends initialization there (auth-js neither recovers nor reports
        // the stored session then; it stays stored).
        let mut recovered = Vec::new();
        if !detected && outcome.error.is_none() {
            self.recover_stored_session().await;
            recovered = std::mem::take(&mut *self.queued.borrow_mut());
        }
        self.initializing.set(false);
        self.initialized.set(true);
        let session = self.load_session().await.ok().flatten();
        self.listeners.emit_initial_up_to(self.initial_first_up_to.get(), session.as_ref());
        for (event, session) in recovered {
            self.notify(event, session.as_ref());
        }
        self.listeners.emit_initial(None, session.as_ref());
        let queued: Vec<_> = std::mem::take(&mut *self.queued.borrow_mut());
        for (event, session) in queued {
            self.notify(event, session.as_ref());
        }
        outcome
    }

    /// Recovers the stored session: SIGNED_IN when it is valid ("the session is confirmed
    /// again", as auth-js reports it at start-up and when a hidden tab becomes visible), a
    /// refresh when it is about to expire and auto refresh is on.
    pub async fn recover_stored_session(&self) {
        let Ok(Some(session)) = self.load_session().await else {
            return;
        };
        let now = self.runtime.now_seconds();
        if session.seconds_left(now) > EXPIRY_MARGIN_SECONDS {
            self.notify(AuthChangeEvent::SignedIn, Some(&session));
            return;
        }
        if !self.options.auto_refresh_token {
            return;
        }
        // Failures are handled inside (retryable: kept; otherwise removed unless still valid).
        let _ = self.refresh_with(session.refresh_token.expose(), TokenSource::Stored).await;
    }

    /// Whether `url` carries an auth callback this client would act on.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// if client.is_auth_callback("https://app.example/?code=abc").await {
    ///     client.initialize(Some("https://app.example/?code=abc")).await;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn is_auth_callback(&self, url: &str) -> bool {
        let params = RedirectParams::from_url(url);
        if params.is_implicit_callback() {
            return true;
        }
        match params.code() {
            Some(_) => matches!(
                pkce::find_verifier(&self.storage, self.storage_key(), params.get("sb_flow_id")).await,
                Ok(Some(_))
            ),
            None => false,
        }
    }

    async fn session_from_url(&self, url: &str) -> UrlSession {
        if !self.is_auth_callback(url).await {
            return UrlSession::None;
        }
        let params = RedirectParams::from_url(url);
        let clean_url = strip_auth_params(url);
        if params.is_error() {
            let details = RedirectErrorDetails {
                error: params.get("error").unwrap_or_default().to_string(),
                code: params.get("error_code").map(str::to_string),
            };
            let message = params.get("error_description").unwrap_or("Error in URL with unspecified error_description");
            return UrlSession::Failed { error: AuthError::redirect(message, details), clean_url: Some(clean_url) };
        }
        let result = match (params.code(), self.options.flow_type) {
            (Some(_), FlowType::Implicit) => Err(AuthError::new(
                AuthErrorKind::ImplicitGrantRedirect,
                "Not a valid implicit grant flow url: a PKCE code came back to an implicit-flow client.",
            )
            .with_status(500)),
            (Some(code), FlowType::Pkce) => self.exchange_code(code, params.get("sb_flow_id"), true).await.map(|_| ()),
            (None, FlowType::Pkce) => Err(AuthError::pkce_exchange(
                "Not a valid PKCE flow url: the URL carries implicit-flow tokens to a PKCE client.",
            )),
            (None, FlowType::Implicit) => self.adopt_implicit_session(&params).await,
        };
        // Whatever happened, the tokens (or the code) leave the address bar and history:
        // they are either stored now or of no further use to this page.
        match result {
            Ok(()) => UrlSession::Session { clean_url },
            Err(error) => UrlSession::Failed { error, clean_url: Some(clean_url) },
        }
    }

    async fn adopt_implicit_session(&self, params: &RedirectParams) -> Result<(), AuthError> {
        fn invalid(message: &str) -> AuthError {
            AuthError::new(AuthErrorKind::ImplicitGrantRedirect, message).with_status(500)
        }
        let access_token = params.get("access_token").ok_or_else(|| invalid("No access_token in the URL"))?;
        let refresh_token = params.get("refresh_token").ok_or_else(|| invalid("No refresh_token in the URL"))?;
        let token_type = params.get("token_type").ok_or_else(|| invalid("No token_type in the URL"))?;
        if !token_type.eq_ignore_ascii_case("bearer") {
            return Err(invalid("The URL's token_type is not bearer"));
        }
        let expires_in: i64 = params
            .get("expires_in")
            .and_then(crate::json::parse_i64)
            .filter(|seconds| *seconds > 0)
            .ok_or_else(|| invalid("No valid expires_in in the URL"))?;
        let now = self.runtime.now_seconds();
        let expires_at = match params.get("expires_at") {
            Some(value) => {
                crate::json::parse_i64(value).ok_or_else(|| invalid("The URL's expires_at is not a number"))?
            }
            None => now + expires_in,
        };
        if expires_at <= now {
            return Err(invalid("The session in the URL has already expired"));
        }
        let issued_at = expires_at - expires_in;
        if now - issued_at > URL_SESSION_MAX_AGE_SECONDS {
            crate::log::warn("gotrue-wasm: the session in the URL was issued over 120 s ago; it may be stale");
        } else if issued_at - now > URL_SESSION_MAX_AGE_SECONDS {
            crate::log::warn("gotrue-wasm: the session in the URL was issued in the future; check the device clock");
        }
        let event = if params.get("type") == Some("recovery") {
            AuthChangeEvent::PasswordRecovery
        } else {
            AuthChangeEvent::SignedIn
        };
        let provider_tokens = (params.get("provider_token"), params.get("provider_refresh_token"));
        self.adopt_tokens(access_token, refresh_token, expires_in, expires_at, provider_tokens, event, true).await?;
        Ok(())
    }

    /// Fetches the user of `access_token` (retrying transient failures when `retry`: the URL's
    /// tokens at initialization), stores the session built from the tokens and announces it
    /// with `event`. Shared by the implicit redirect and `set_session`.
    #[allow(clippy::too_many_arguments)]
    async fn adopt_tokens(
        &self,
        access_token: &str,
        refresh_token: &str,
        expires_in: i64,
        expires_at: i64,
        (provider_token, provider_refresh_token): (Option<&str>, Option<&str>),
        event: AuthChangeEvent,
        retry: bool,
    ) -> Result<Session<U>, AuthError> {
        let user = self.retrying_transient(retry, || api::user::get_user(&self.api, access_token)).await?;
        let session = Session {
            access_token: SecretString::new(access_token),
            token_type: "bearer".to_string(),
            expires_in,
            expires_at,
            refresh_token: SecretString::new(refresh_token),
            user,
            provider_token: provider_token.map(SecretString::new),
            provider_refresh_token: provider_refresh_token.map(SecretString::new),
            weak_password: None,
        };
        self.save_session(&session).await?;
        self.notify(event, Some(&session));
        Ok(session)
    }

    /// Runs `request` again on retryable failures (network, 5xx, timeout) with doubling
    /// delays within [`URL_RETRY_BUDGET_MS`]: a redirect's tokens or code are used once, at
    /// initialization, and a passing outage must not cost the user the sign-in. Once only
    /// unless `retry` (one path for both, so the request's code is linked once).
    async fn retrying_transient<R, F, Fut>(&self, retry: bool, request: F) -> Result<R, AuthError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<R, AuthError>>,
    {
        let started = self.runtime.now_millis();
        let mut delay = URL_RETRY_FIRST_DELAY_MS;
        loop {
            match request().await {
                Err(error) if retry && error.is_retryable() => {
                    if self.runtime.now_millis() - started + delay > URL_RETRY_BUDGET_MS {
                        return Err(error);
                    }
                    self.runtime.sleep(delay as u32).await;
                    delay *= 2;
                }
                other => return other,
            }
        }
    }

    // ---- sign-up and sign-in -------------------------------------------------------

    pub(crate) async fn start_pkce(&self, applies: bool, recovery: bool) -> Result<Option<StartedFlow>, AuthError> {
        if !applies || self.options.flow_type != FlowType::Pkce {
            return Ok(None);
        }
        let mut flow = pkce::start_flow(&self.storage, self.runtime.as_ref(), self.storage_key(), recovery).await?;
        flow.append_to_redirect = self.options.append_pkce_flow_id_to_redirects;
        Ok(Some(flow))
    }

    /// Creates a user. With email confirmation on, the answer has the user and no session
    /// until the user confirms; otherwise the user is signed in.
    ///
    /// Errors: `signup_disabled`, `user_already_exists`, [`AuthErrorKind::WeakPassword`]
    /// with reasons, `email_provider_disabled`, …
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let response = client.sign_up(SignUpCredentials::email("ada@example.com", "a long password")).await?;
    /// if response.session.is_none() {
    ///     println!("check your inbox");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn sign_up(&self, credentials: SignUpCredentials) -> Result<AuthResponse<U>, AuthError> {
        api::signup::validate(&credentials)?;
        let flow = self.start_pkce(api::signup::uses_email(&credentials), false).await?;
        match api::signup::sign_up(&self.api, &credentials, flow.as_ref()).await? {
            SignUpOutcome::Session(response) => self.signed_in(response, AuthChangeEvent::SignedIn).await,
            SignUpOutcome::User(user) => {
                Ok(AuthResponse { user: Some(U::from_json(&user)?), session: None, weak_password: None })
            }
        }
    }

    /// Signs in with email or phone and password.
    ///
    /// A weak password still signs in; [`AuthResponse::weak_password`] then says why it is weak.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let credentials = SignInWithPasswordCredentials::email("ada@example.com", "a long password");
    /// let session = client.sign_in_with_password(credentials).await?.session;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_password(
        &self,
        credentials: SignInWithPasswordCredentials,
    ) -> Result<AuthResponse<U>, AuthError> {
        let response = api::token::password_grant(&self.api, &credentials).await?;
        self.signed_in(response, AuthChangeEvent::SignedIn).await
    }

    /// Sends a magic link / code by email or a code by SMS. Complete with [`Self::verify_otp`]
    /// (or the link).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// client.sign_in_with_otp(SignInWithOtpCredentials::email("ada@example.com")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_otp(&self, credentials: SignInWithOtpCredentials) -> Result<MessageSent, AuthError> {
        credentials.validate()?;
        let flow = self.start_pkce(credentials.uses_email(), false).await?;
        api::otp::send_otp(&self.api, &credentials, flow.as_ref()).await
    }

    /// The URL that starts an OAuth sign-in (PKCE challenge included in the PKCE flow). The
    /// browser layer also navigates there unless told not to.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let credentials = SignInWithOAuthCredentials::new("github").redirect_to("https://app.example/callback");
    /// let start = client.sign_in_with_oauth(&credentials).await?;
    /// println!("open {}", start.url);
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_oauth(
        &self,
        credentials: &SignInWithOAuthCredentials,
    ) -> Result<OAuthResponse, AuthError> {
        let flow = self.start_pkce(true, false).await?;
        Ok(OAuthResponse {
            provider: credentials.provider.clone(),
            url: api::oauth::authorize_url(self.api.base_url(), credentials, flow.as_ref()),
            flow_id: flow.map(|flow| flow.flow_id),
        })
    }

    /// Exchanges a code or link token hash for a session.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let params = VerifyOtpParams::email("ada@example.com", "123456", OtpType::Magiclink);
    /// let session = client.verify_otp(params).await?.session;
    /// # Ok(()) }
    /// ```
    pub async fn verify_otp(&self, params: VerifyOtpParams) -> Result<AuthResponse<U>, AuthError> {
        let event = if params.kind() == OtpType::Recovery {
            AuthChangeEvent::PasswordRecovery
        } else {
            AuthChangeEvent::SignedIn
        };
        match api::otp::verify(&self.api, &params).await? {
            Some(response) => self.signed_in(response, event).await,
            None => Ok(AuthResponse { user: None, session: None, weak_password: None }),
        }
    }

    /// Sends a confirmation code or link again.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// client.resend(ResendParams::email("ada@example.com", OtpType::Signup)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn resend(&self, params: ResendParams) -> Result<MessageSent, AuthError> {
        api::otp::resend(&self.api, &params).await
    }

    /// Sends a password-recovery link. Succeeds for unknown addresses too (the server does
    /// not reveal who has an account).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let options = ResetPasswordOptions::default().redirect_to("https://app.example/new-password");
    /// client.reset_password_for_email("ada@example.com", options).await?;
    /// # Ok(()) }
    /// ```
    pub async fn reset_password_for_email(&self, email: &str, options: ResetPasswordOptions) -> Result<(), AuthError> {
        let flow = self.start_pkce(true, true).await?;
        api::recover::recover(&self.api, email, &options, flow.as_ref()).await
    }

    /// Creates an anonymous user and signs it in.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let guest = client.sign_in_anonymously(SignInAnonymouslyOptions::default()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_anonymously(&self, options: SignInAnonymouslyOptions) -> Result<AuthResponse<U>, AuthError> {
        let response = api::signup::sign_in_anonymously(&self.api, &options).await?;
        self.signed_in(response, AuthChangeEvent::SignedIn).await
    }

    /// Exchanges the `code` of a PKCE redirect for a session, using the verifier stored when
    /// the flow started (the legacy slot; see [`Self::exchange_code_for_flow`]).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// // `code` from the redirect: https://app.example/callback?code=…
    /// let exchanged = client.exchange_code_for_session("code-from-the-url").await?;
    /// println!("{}", exchanged.session.user.email);
    /// # Ok(()) }
    /// ```
    pub async fn exchange_code_for_session(&self, code: &str) -> Result<CodeExchange<U>, AuthError> {
        self.exchange_code_for_flow(code, None).await
    }

    /// As [`Self::exchange_code_for_session`], for the flow `flow_id` (`sb_flow_id` in the URL).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// // https://app.example/callback?code=…&sb_flow_id=…
    /// let exchanged = client.exchange_code_for_flow("code-from-the-url", Some("flow-id-from-the-url")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn exchange_code_for_flow(
        &self,
        code: &str,
        flow_id: Option<&str>,
    ) -> Result<CodeExchange<U>, AuthError> {
        self.exchange_code(code, flow_id, false).await
    }

    /// The code exchange; `retry` retries transient failures (the URL's code at
    /// initialization), the verifier being forgotten only once the exchange is settled.
    async fn exchange_code(
        &self,
        code: &str,
        flow_id: Option<&str>,
        retry: bool,
    ) -> Result<CodeExchange<U>, AuthError> {
        let stored = pkce::find_verifier(&self.storage, self.storage_key(), flow_id)
            .await?
            .ok_or_else(AuthError::pkce_verifier_missing)?;
        let verifier = stored.verifier.secret();
        let result = self.retrying_transient(retry, || api::token::pkce_grant(&self.api, code, verifier)).await;
        pkce::forget_flow(&self.storage, self.storage_key(), flow_id).await;
        let event = if stored.recovery { AuthChangeEvent::PasswordRecovery } else { AuthChangeEvent::SignedIn };
        // As `signed_in`, without the `{ user, session }` answer (and its copy of the user).
        let session = result?.into_session(self.runtime.now_seconds())?;
        self.save_session(&session).await?;
        self.notify(event, Some(&session));
        Ok(CodeExchange { session, redirect_type: stored.recovery.then(|| "recovery".to_string()) })
    }

    pub(crate) async fn signed_in(
        &self,
        response: TokenResponse,
        event: AuthChangeEvent,
    ) -> Result<AuthResponse<U>, AuthError> {
        let session = response.into_session(self.runtime.now_seconds())?;
        self.save_session(&session).await?;
        self.notify(event, Some(&session));
        Ok(AuthResponse {
            user: Some(session.user.clone()),
            weak_password: session.weak_password.clone(),
            session: Some(session),
        })
    }

    // ---- the session ----------------------------------------------------------------

    /// The current session, refreshed first if it expires within
    /// [`EXPIRY_MARGIN_SECONDS`]. `Ok(None)` when signed out.
    ///
    /// If that refresh fails but the access token is still valid, the stored session is
    /// returned; a retryable failure keeps the session, any other removes it.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// match client.get_session().await? {
    ///     Some(session) => println!("signed in as {}", session.user.email),
    ///     None => println!("signed out"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_session(&self) -> Result<Option<Session<U>>, AuthError> {
        let Some(session) = self.load_session().await? else {
            return Ok(None);
        };
        let now = self.runtime.now_seconds();
        if session.seconds_left(now) > EXPIRY_MARGIN_SECONDS {
            return Ok(Some(session));
        }
        match self.refresh_with(session.refresh_token.expose(), TokenSource::Stored).await {
            Ok(refreshed) => Ok(Some(refreshed)),
            Err(_) if !session.is_expired(now) => Ok(Some(session)),
            Err(error) => Err(error),
        }
    }

    /// The stored JSON text of `session`, when it is what storage held at the last read
    /// (callers that need the session as JSON can skip serializing it again).
    // Plumbing between the client and the browser layer or the JS engine, which call it for
    // the app: hidden from the docs, not a supported API.
    #[doc(hidden)]
    pub fn stored_text_of(&self, session: &Session<U>) -> Option<String> {
        self.last_read.borrow().as_ref().filter(|(_, stored)| stored == session).map(|(text, _)| text.clone())
    }

    /// Exchanges the current session's refresh token for a new session.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let session = client.refresh_session().await?;
    /// println!("valid until {}", session.expires_at);
    /// # Ok(()) }
    /// ```
    pub async fn refresh_session(&self) -> Result<Session<U>, AuthError> {
        let session = self.load_session().await?.ok_or_else(AuthError::session_missing)?;
        self.refresh_with(session.refresh_token.expose(), TokenSource::Stored).await
    }

    /// Exchanges `refresh_token` for a new session and stores it, whatever session is
    /// stored now (auth-js's `refreshSession({ refresh_token })`). A failure leaves the
    /// stored session alone unless the token was the stored one.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let session = client.refresh_session_with("refresh-token-from-elsewhere").await?;
    /// # Ok(()) }
    /// ```
    pub async fn refresh_session_with(&self, refresh_token: &str) -> Result<Session<U>, AuthError> {
        if refresh_token.is_empty() {
            return Err(AuthError::session_missing());
        }
        self.refresh_with(refresh_token, TokenSource::Caller).await
    }

    /// One auto-refresh tick: refreshes when fewer than the threshold of ticks remain.
    /// A token whose refresh just failed is left alone for a minute.
    // Plumbing between the client and the browser layer or the JS engine, which call it for
    // the app: hidden from the docs, not a supported API.
    #[doc(hidden)]
    pub async fn auto_refresh_tick(&self) {
        let Ok(Some(session)) = self.load_session().await else {
            return;
        };
        let now_ms = self.runtime.now_millis();
        let tick_ms = i64::from(self.options.auto_refresh_tick_ms.max(1));
        let ticks_left = (session.expires_at * 1000 - now_ms).div_euclid(tick_ms);
        if ticks_left > i64::from(self.options.auto_refresh_threshold_ticks) {
            return;
        }
        let token = session.refresh_token.expose().to_string();
        let recently_failed = self
            .last_failed_refresh
            .borrow()
            .as_ref()
            .is_some_and(|(failed, at)| failed == &token && now_ms - at < FAILED_REFRESH_PAUSE_MS);
        if recently_failed {
            return;
        }
        if self.refresh_with(&token, TokenSource::Stored).await.is_err() {
            *self.last_failed_refresh.borrow_mut() = Some((token, self.runtime.now_millis()));
        }
    }

    /// Concurrent refreshes of one token share one request.
    async fn refresh_with(&self, refresh_token: &str, source: TokenSource) -> RefreshOutcome<U> {
        let existing = self
            .refresh_in_flight
            .borrow()
            .as_ref()
            .filter(|(token, _)| token == refresh_token)
            .map(|(_, shared)| Rc::clone(shared));
        if let Some(shared) = existing {
            return shared.wait().await;
        }
        let shared = Shared::new();
        *self.refresh_in_flight.borrow_mut() = Some((refresh_token.to_string(), Rc::clone(&shared)));
        let outcome = self.refresh_across_tabs(refresh_token, source).await;
        *self.refresh_in_flight.borrow_mut() = None;
        shared.complete(outcome.clone());
        outcome
    }

    /// Refreshes under the cross-tab lock: a tab that waited for it first looks whether
    /// another tab already refreshed, and adopts that session instead of asking again.
    async fn refresh_across_tabs(&self, refresh_token: &str, source: TokenSource) -> RefreshOutcome<U> {
        let lock_name = crate::text::concat(&[self.storage_key(), "-refresh"]);
        let _guard = self.runtime.lock(&lock_name).await;
        let current = self.load_session().await.ok().flatten();
        let before = current.as_ref().map(|session| session.refresh_token.expose().to_string());
        if let (Some(current), TokenSource::Stored) = (current, source) {
            // Rotated by another tab (or refresh) while this one waited: its token is newer
            // than ours, so asking again would only spend a request on the parent token.
            // A token the caller handed in is never "ours": it is exchanged as asked.
            let usable = !current.is_expired(self.runtime.now_seconds());
            if current.refresh_token.expose() != refresh_token && usable {
                return Ok(current);
            }
        }
        match self.refresh_request(refresh_token, true).await {
            Ok(session) => {
                // The commit guard: a sign-out or another sign-in meanwhile wins.
                if self.stored_refresh_token().await != before {
                    return Err(AuthError::refresh_discarded());
                }
                self.save_session(&session).await?;
                self.notify(AuthChangeEvent::TokenRefreshed, Some(&session));
                Ok(session)
            }
            Err(error) => {
                // Only the server's verdict on the stored token ends the stored session: a
                // network fault, a rate limit or an unreadable answer says nothing about it,
                // and a caller's other token failing says nothing about ours.
                if is_verdict_on_token(&error) && before.as_deref() == Some(refresh_token) {
                    self.remove_session_unless_still_valid().await;
                }
                Err(error)
            }
        }
    }

    /// The refresh request, retried on retryable failures (200 ms, 400 ms, … within 30 s)
    /// when `retry`; once otherwise (the local sign-out's one attempt shares this path).
    async fn refresh_request(&self, refresh_token: &str, retry: bool) -> RefreshOutcome<U> {
        let started = self.runtime.now_millis();
        let mut delay = RETRY_FIRST_DELAY_MS;
        loop {
            let result = match api::token::refresh_grant(&self.api, refresh_token).await {
                // A success status whose body is no session (a captive portal's page, a proxy
                // cutting the body, another service answering) is a fault of the way there.
                Ok(response) => {
                    response.into_session(self.runtime.now_seconds()).map_err(|_| AuthError::unreadable_answer(200))
                }
                Err(error) => Err(error),
            };
            match result {
                Err(error) if retry && error.is_retryable() => {
                    let elapsed = self.runtime.now_millis() - started;
                    if elapsed + delay > RETRY_BUDGET_MS {
                        return Err(error);
                    }
                    self.runtime.sleep(delay as u32).await;
                    delay *= 2;
                }
                other => return other,
            }
        }
    }

    async fn stored_refresh_token(&self) -> Option<String> {
        self.load_session().await.ok().flatten().map(|session| session.refresh_token.expose().to_string())
    }

    async fn remove_session_unless_still_valid(&self) {
        let now = self.runtime.now_seconds();
        if let Ok(Some(session)) = self.load_session().await {
            if !session.is_expired(now) {
                return;
            }
        }
        // Best effort: the refresh error is what the caller needs to see.
        if self.remove_session().await.is_ok() {
            self.notify(AuthChangeEvent::SignedOut, None);
        }
    }

    /// Adopts a session from tokens obtained elsewhere (e.g. a server-side sign-in).
    ///
    /// An expired access token is refreshed; otherwise the user is fetched with it.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// // Tokens from a server-side sign-in.
    /// let session = client.set_session("access-token", "refresh-token").await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_session(&self, access_token: &str, refresh_token: &str) -> Result<Session<U>, AuthError> {
        if access_token.is_empty() || refresh_token.is_empty() {
            return Err(AuthError::session_missing());
        }
        // The token's parts decoded as auth-js's decodeJWT decodes them (shared with getClaims).
        let claims = crate::jwt::split_jwt(access_token)?.claims;
        let now = self.runtime.now_seconds();
        let expires_at = claims.get("exp").and_then(crate::JsonValue::as_i64).ok_or_else(|| {
            AuthError::new(AuthErrorKind::InvalidJwt, "The access token has no exp claim")
                .with_status(400)
                .with_code("invalid_jwt")
        })?;
        if expires_at <= now {
            return self.refresh_with(refresh_token, TokenSource::Caller).await;
        }
        let event = AuthChangeEvent::SignedIn;
        self.adopt_tokens(access_token, refresh_token, expires_at - now, expires_at, (None, None), event, false).await
    }

    // ---- the user -------------------------------------------------------------------

    /// The signed-in user, fresh from the server (`GET /user`).
    ///
    /// If the server says the session no longer exists (signed out elsewhere), the local
    /// session is removed and the error is [`AuthErrorKind::SessionMissing`].
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let user = client.get_user().await?;
    /// println!("{} {:?}", user.email, user.last_sign_in_at);
    /// # Ok(()) }
    /// ```
    pub async fn get_user(&self) -> Result<U, AuthError> {
        let session = self.get_session().await?.ok_or_else(AuthError::session_missing)?;
        match api::user::get_user(&self.api, session.access_token.expose()).await {
            Err(error) if error.is_session_missing() => {
                if self.remove_session().await.is_ok() {
                    self.notify(AuthChangeEvent::SignedOut, None);
                }
                Err(error)
            }
            other => other,
        }
    }

    /// The user an access token belongs to, without touching the stored session.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let user = client.get_user_with_jwt("an-access-token").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_user_with_jwt(&self, access_token: &str) -> Result<U, AuthError> {
        api::user::get_user(&self.api, access_token).await
    }

    /// Changes the signed-in user and stores the updated user in the session.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// let mut data = JsonObject::new();
    /// data.insert("theme".into(), "dark".into());
    /// let user = client.update_user(UserAttributes::new().data(data)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_user(&self, attributes: UserAttributes) -> Result<U, AuthError> {
        let mut session = self.get_session().await?.ok_or_else(AuthError::session_missing)?;
        let flow = self.start_pkce(attributes.changes_email(), false).await?;
        let user: U =
            api::user::update_user(&self.api, session.access_token.expose(), &attributes, flow.as_ref()).await?;
        session.user = user.clone();
        self.save_session(&session).await?;
        self.notify(AuthChangeEvent::UserUpdated, Some(&session));
        Ok(user)
    }

    /// Sends a nonce to the user's email or phone, for changing the password where the
    /// server requires a recent sign-in.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// client.reauthenticate().await?;
    /// // then update_user(UserAttributes::new().password(…).nonce(code))
    /// # Ok(()) }
    /// ```
    pub async fn reauthenticate(&self) -> Result<(), AuthError> {
        let session = self.get_session().await?.ok_or_else(AuthError::session_missing)?;
        api::user::reauthenticate(&self.api, session.access_token.expose()).await
    }

    /// Signs out. `Local` forgets the session at once, whatever the network does, and then
    /// tells the server; `Global` forgets it once the server has accepted; `Others` keeps it.
    /// A server that no longer knows the session (401, 403, 404) counts as signed out already.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>) -> Result<(), AuthError> {
    /// client.sign_out(SignOutScope::Local).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_out(&self, scope: SignOutScope) -> Result<(), AuthError> {
        if scope == SignOutScope::Local {
            return self.sign_out_locally().await;
        }
        let session = match self.get_session().await {
            Ok(session) => session,
            Err(error) if error.is_retryable() => return Err(error),
            Err(_) => None,
        };
        if let Some(session) = &session {
            logout_unless_gone(&self.api, session.access_token.expose(), scope).await?;
        }
        if scope != SignOutScope::Others {
            self.forget_session().await?;
        }
        Ok(())
    }

    /// The local sign-out: the session is read without refreshing it, removed, and every
    /// listener hears SIGNED_OUT before any request is made. The server is then asked to
    /// end the session (after one refresh attempt, without retries, when the access token
    /// has expired); if it cannot be reached, the error says so, and the session stays gone.
    async fn sign_out_locally(&self) -> Result<(), AuthError> {
        let session = self.load_session().await.ok().flatten();
        self.forget_session().await?;
        let Some(session) = session else { return Ok(()) };
        let access_token = if session.is_expired(self.runtime.now_seconds()) {
            match self.refresh_request(session.refresh_token.expose(), false).await {
                Ok(refreshed) => refreshed.access_token,
                // The server no longer honours the token: nothing is left to end there.
                Err(error) if is_verdict_on_token(&error) => return Ok(()),
                // Not told (offline, rate-limited, …): the error says so.
                Err(error) => return Err(error),
            }
        } else {
            session.access_token
        };
        logout_unless_gone(&self.api, access_token.expose(), SignOutScope::Local).await
    }

    /// Removes the session and this client's PKCE flows, and tells every listener.
    async fn forget_session(&self) -> Result<(), AuthError> {
        let removed = self.remove_session().await;
        pkce::forget_flow(&self.storage, self.storage_key(), None).await;
        self.notify(AuthChangeEvent::SignedOut, None);
        removed
    }

    // ---- storage --------------------------------------------------------------------

    /// Reads the stored session. Garbage under the key is removed; a session auth-js would
    /// accept but this crate cannot read is left alone; storage that fails falls back to memory.
    pub(crate) async fn load_session(&self) -> Result<Option<Session<U>>, AuthError> {
        if !self.options.persist_session {
            return Ok(self.memory.borrow().clone());
        }
        let key = self.storage_key();
        let stored = match self.storage.get_item(key).await {
            Ok(stored) => stored,
            Err(_) => return Ok(self.memory.borrow().clone()),
        };
        // The same text as last time needs no second parse (getSession is called often).
        if let (Some(text), Some((last_text, session))) = (&stored, &*self.last_read.borrow()) {
            if text == last_text {
                return Ok(Some(session.clone()));
            }
        }
        match read_session_as(stored.as_deref()) {
            StoredSession::Valid(session) => {
                *self.memory.borrow_mut() = Some((*session).clone());
                if let Some(text) = stored {
                    *self.last_read.borrow_mut() = Some((text, (*session).clone()));
                }
                Ok(Some(*session))
            }
            StoredSession::Absent => {
                *self.memory.borrow_mut() = None;
                Ok(None)
            }
            StoredSession::NotASession => {
                crate::log::warn("gotrue-wasm: removing a stored value that is not a session");
                let _ = self.storage.remove_item(key).await;
                *self.memory.borrow_mut() = None;
                Ok(None)
            }
            StoredSession::Unreadable(error) => {
                crate::log::warn(&crate::text::concat(&[
                    "gotrue-wasm: the stored session could not be read and was left in place: ",
                    error.message(),
                ]));
                Ok(None)
            }
        }
    }

    pub(crate) async fn save_session(&self, session: &Session<U>) -> Result<(), AuthError> {
        *self.memory.borrow_mut() = Some(session.clone());
        if self.options.persist_session {
            self.storage.set_item(self.storage_key(), &write_session(session)).await?;
        }
        Ok(())
    }

    pub(crate) async fn remove_session(&self) -> Result<(), AuthError> {
        *self.memory.borrow_mut() = None;
        if self.options.persist_session {
            self.storage.remove_item(self.storage_key()).await?;
        }
        Ok(())
    }
}

/// `POST /logout`, where an answer saying the session is gone already counts as success.
async fn logout_unless_gone<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    scope: SignOutScope,
) -> Result<(), AuthError> {
    match api::logout::logout(api, access_token, scope).await {
        Err(error)
            if error.is_session_missing()
                || matches!(error.status(), Some(401 | 403 | 404)) && error.is_api_error() =>
        {
            Ok(())
        }
        other => other,
    }
}

/// Where a refresh token came from: read from storage by the client, or handed in by the
/// caller (`refreshSession({ refresh_token })`, `setSession`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TokenSource {
    Stored,
    Caller,
}

/// Whether a failed refresh is the server's judgement of the token itself (revoked, used,
/// unknown): a 4xx error body from the auth server, other than a rate limit or a timeout.
fn is_verdict_on_token(error: &AuthError) -> bool {
    let judged = error.is_api_error() || error.is_session_missing();
    judged && matches!(error.status(), Some(400..=499)) && !matches!(error.status(), Some(408 | 429))
}

enum UrlSession {
    /// Not an auth callback: nothing to do.
    None,
    /// A session was taken from the URL.
    Session { clean_url: String },
    /// The URL carried an error, or its session could not be used.
    Failed { error: AuthError, clean_url: Option<String> },
}
