//! The client: every operation, and the session's life in storage.

use std::cell::RefCell;
use std::rc::Rc;

use crate::api::signup::SignUpOutcome;
use crate::api::{self, *};
use crate::clock::{Clock, SystemClock};
use crate::error::{AuthError, AuthErrorKind};
use crate::http::{Api, HttpTransport};
use crate::options::ClientOptions;
use crate::storage::{read_session, write_session, Storage, StoredSession};
use crate::types::{AuthResponse, JsonObject, SecretString, Session, TokenResponse, User};

/// A session is refreshed before use once fewer than this many seconds remain (auth-js:
/// three 30-second auto-refresh ticks).
pub const EXPIRY_MARGIN_SECONDS: i64 = 90;

/// The auth client, generic over how it talks HTTP and where it keeps the session.
///
/// In the browser, [`crate::BrowserClient`] is this with `fetch` and `localStorage`.
/// Natively (tests, tools), pass any [`HttpTransport`] and [`Storage`].
pub struct GoTrueClient<T, S> {
    api: Api<T>,
    storage: S,
    storage_key: String,
    persist_session: bool,
    /// The last session seen: all of it when not persisting, a cache otherwise.
    memory: RefCell<Option<Session>>,
    clock: Rc<dyn Clock>,
}

impl<T, S> std::fmt::Debug for GoTrueClient<T, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoTrueClient")
            .field("url", &self.api.base_url())
            .field("storage_key", &self.storage_key)
            .field("persist_session", &self.persist_session)
            .finish_non_exhaustive()
    }
}

impl<T: HttpTransport, S: Storage> GoTrueClient<T, S> {
    /// A client for `options.url` that sends requests with `transport` and keeps the
    /// session in `storage`.
    pub fn new(options: ClientOptions, transport: T, storage: S) -> Self {
        GoTrueClient {
            api: Api::new(transport, &options.url, options.headers),
            storage,
            storage_key: options.storage_key,
            persist_session: options.persist_session,
            memory: RefCell::new(None),
            clock: Rc::new(SystemClock),
        }
    }

    /// Replaces the clock (tests move time with their own).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Rc::new(clock);
        self
    }

    /// The storage key of the session.
    pub fn storage_key(&self) -> &str {
        &self.storage_key
    }

    /// The server's public settings (`GET /settings`).
    pub async fn settings(&self) -> Result<JsonObject, AuthError> {
        api::settings::settings(&self.api).await
    }

    // ---- sign-up and sign-in -------------------------------------------------------

    /// Creates a user. With email confirmation on, the answer has the user and no session
    /// until the user confirms; otherwise the user is signed in.
    ///
    /// Errors: `signup_disabled`, `user_already_exists`, [`AuthErrorKind::WeakPassword`]
    /// with reasons, `email_provider_disabled`, …
    pub async fn sign_up(&self, credentials: SignUpCredentials) -> Result<AuthResponse, AuthError> {
        api::signup::validate(&credentials)?;
        match api::signup::sign_up(&self.api, &credentials).await? {
            SignUpOutcome::Session(response) => self.signed_in(response).await,
            SignUpOutcome::User(user) => Ok(AuthResponse { user: Some(user), session: None, weak_password: None }),
        }
    }

    /// Signs in with email or phone and password.
    ///
    /// A weak password still signs in; [`AuthResponse::weak_password`] then says why it is weak.
    pub async fn sign_in_with_password(
        &self,
        credentials: SignInWithPasswordCredentials,
    ) -> Result<AuthResponse, AuthError> {
        let response = api::token::password_grant(&self.api, &credentials).await?;
        self.signed_in(response).await
    }

    /// Sends a magic link / code by email or a code by SMS. Complete with [`Self::verify_otp`]
    /// (or the link).
    pub async fn sign_in_with_otp(&self, credentials: SignInWithOtpCredentials) -> Result<MessageSent, AuthError> {
        api::otp::send_otp(&self.api, &credentials).await
    }

    /// Exchanges a code or link token hash for a session.
    pub async fn verify_otp(&self, params: VerifyOtpParams) -> Result<AuthResponse, AuthError> {
        match api::otp::verify(&self.api, &params).await? {
            Some(response) => self.signed_in(response).await,
            None => Ok(AuthResponse { user: None, session: None, weak_password: None }),
        }
    }

    /// Sends a confirmation code or link again.
    pub async fn resend(&self, params: ResendParams) -> Result<MessageSent, AuthError> {
        api::otp::resend(&self.api, &params).await
    }

    /// Sends a password-recovery link. Succeeds for unknown addresses too (the server does
    /// not reveal who has an account).
    pub async fn reset_password_for_email(&self, email: &str, options: ResetPasswordOptions) -> Result<(), AuthError> {
        api::recover::recover(&self.api, email, &options).await
    }

    /// Creates an anonymous user and signs it in.
    pub async fn sign_in_anonymously(&self, options: SignInAnonymouslyOptions) -> Result<AuthResponse, AuthError> {
        let response = api::signup::sign_in_anonymously(&self.api, &options).await?;
        self.signed_in(response).await
    }

    async fn signed_in(&self, response: TokenResponse) -> Result<AuthResponse, AuthError> {
        let session = response.into_session(self.clock.now_seconds())?;
        self.save_session(&session).await?;
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
    pub async fn get_session(&self) -> Result<Option<Session>, AuthError> {
        let Some(session) = self.load_session().await? else {
            return Ok(None);
        };
        let now = self.clock.now_seconds();
        if session.seconds_left(now) > EXPIRY_MARGIN_SECONDS {
            return Ok(Some(session));
        }
        match self.refresh_with(session.refresh_token.expose()).await {
            Ok(refreshed) => Ok(Some(refreshed)),
            Err(_) if !session.is_expired(now) => Ok(Some(session)),
            Err(error) => Err(error),
        }
    }

    /// Exchanges the current session's refresh token for a new session.
    pub async fn refresh_session(&self) -> Result<Session, AuthError> {
        let session = self.load_session().await?.ok_or_else(AuthError::session_missing)?;
        self.refresh_with(session.refresh_token.expose()).await
    }

    /// Exchanges `refresh_token` for a new session and stores it.
    pub async fn refresh_session_with(&self, refresh_token: &str) -> Result<Session, AuthError> {
        if refresh_token.is_empty() {
            return Err(AuthError::session_missing());
        }
        self.refresh_with(refresh_token).await
    }

    async fn refresh_with(&self, refresh_token: &str) -> Result<Session, AuthError> {
        let result = match api::token::refresh_grant(&self.api, refresh_token).await {
            Ok(response) => response.into_session(self.clock.now_seconds()),
            Err(error) => Err(error),
        };
        match result {
            Ok(session) => {
                self.save_session(&session).await?;
                Ok(session)
            }
            Err(error) => {
                if !error.is_retryable() {
                    self.remove_session_unless_still_valid().await;
                }
                Err(error)
            }
        }
    }

    async fn remove_session_unless_still_valid(&self) {
        let now = self.clock.now_seconds();
        if let Ok(Some(session)) = self.load_session().await {
            if !session.is_expired(now) {
                return;
            }
        }
        // Best effort: the refresh error is what the caller needs to see.
        let _ = self.remove_session().await;
    }

    /// Adopts a session from tokens obtained elsewhere (e.g. a server-side sign-in).
    ///
    /// An expired access token is refreshed; otherwise the user is fetched with it.
    pub async fn set_session(&self, access_token: &str, refresh_token: &str) -> Result<Session, AuthError> {
        if access_token.is_empty() || refresh_token.is_empty() {
            return Err(AuthError::session_missing());
        }
        let claims = crate::jwt::decode_claims(access_token)?;
        let now = self.clock.now_seconds();
        let expires_at = claims.exp.ok_or_else(|| {
            AuthError::new(AuthErrorKind::InvalidJwt, "The access token has no exp claim")
                .with_status(400)
                .with_code("invalid_jwt")
        })?;
        if expires_at <= now {
            return self.refresh_with(refresh_token).await;
        }
        let user = api::user::get_user(&self.api, access_token).await?;
        let session = Session {
            access_token: SecretString::new(access_token),
            token_type: "bearer".to_string(),
            expires_in: expires_at - now,
            expires_at,
            refresh_token: SecretString::new(refresh_token),
            user,
            provider_token: None,
            provider_refresh_token: None,
            weak_password: None,
        };
        self.save_session(&session).await?;
        Ok(session)
    }

    // ---- the user -------------------------------------------------------------------

    /// The signed-in user, fresh from the server (`GET /user`).
    ///
    /// If the server says the session no longer exists (signed out elsewhere), the local
    /// session is removed and the error is [`AuthErrorKind::SessionMissing`].
    pub async fn get_user(&self) -> Result<User, AuthError> {
        let session = self.get_session().await?.ok_or_else(AuthError::session_missing)?;
        match api::user::get_user(&self.api, session.access_token.expose()).await {
            Err(error) if error.is_session_missing() => {
                let _ = self.remove_session().await;
                Err(error)
            }
            other => other,
        }
    }

    /// The user an access token belongs to, without touching the stored session.
    pub async fn get_user_with_jwt(&self, access_token: &str) -> Result<User, AuthError> {
        api::user::get_user(&self.api, access_token).await
    }

    /// Changes the signed-in user and stores the updated user in the session.
    pub async fn update_user(&self, attributes: UserAttributes) -> Result<User, AuthError> {
        let mut session = self.get_session().await?.ok_or_else(AuthError::session_missing)?;
        let user = api::user::update_user(&self.api, session.access_token.expose(), &attributes).await?;
        session.user = user.clone();
        self.save_session(&session).await?;
        Ok(user)
    }

    /// Sends a nonce to the user's email or phone, for changing the password where the
    /// server requires a recent sign-in.
    pub async fn reauthenticate(&self) -> Result<(), AuthError> {
        let session = self.get_session().await?.ok_or_else(AuthError::session_missing)?;
        api::user::reauthenticate(&self.api, session.access_token.expose()).await
    }

    /// Signs out. `Local` forgets the session first; `Global` forgets it once the server has
    /// accepted; `Others` keeps it. A server that no longer knows the session (401, 403,
    /// 404) counts as signed out already.
    pub async fn sign_out(&self, scope: SignOutScope) -> Result<(), AuthError> {
        let session = match self.get_session().await {
            Ok(session) => session,
            Err(error) if error.is_retryable() => return Err(error),
            Err(_) => None,
        };
        if scope == SignOutScope::Local {
            self.remove_session().await?;
        }
        if let Some(session) = session {
            if let Err(error) = api::logout::logout(&self.api, session.access_token.expose(), scope).await {
                let already_gone =
                    error.is_session_missing() || matches!(error.status(), Some(401 | 403 | 404)) && error.is_api_error();
                if !already_gone {
                    return Err(error);
                }
            }
        }
        if scope != SignOutScope::Others {
            self.remove_session().await?;
        }
        Ok(())
    }

    // ---- storage --------------------------------------------------------------------

    /// Reads the stored session. Garbage under the key is removed; a session auth-js would
    /// accept but this crate cannot read is left alone; storage that fails falls back to memory.
    async fn load_session(&self) -> Result<Option<Session>, AuthError> {
        if !self.persist_session {
            return Ok(self.memory.borrow().clone());
        }
        let stored = match self.storage.get_item(&self.storage_key).await {
            Ok(stored) => stored,
            Err(_) => return Ok(self.memory.borrow().clone()),
        };
        match read_session(stored.as_deref()) {
            StoredSession::Valid(session) => {
                *self.memory.borrow_mut() = Some((*session).clone());
                Ok(Some(*session))
            }
            StoredSession::Absent => {
                *self.memory.borrow_mut() = None;
                Ok(None)
            }
            StoredSession::NotASession => {
                crate::log::warn("gotrue-wasm: removing a stored value that is not a session");
                let _ = self.storage.remove_item(&self.storage_key).await;
                *self.memory.borrow_mut() = None;
                Ok(None)
            }
            StoredSession::Unreadable(error) => {
                crate::log::warn(&format!(
                    "gotrue-wasm: the stored session could not be read and was left in place: {}",
                    error.message()
                ));
                Ok(None)
            }
        }
    }

    async fn save_session(&self, session: &Session) -> Result<(), AuthError> {
        *self.memory.borrow_mut() = Some(session.clone());
        if self.persist_session {
            self.storage.set_item(&self.storage_key, &write_session(session)?).await?;
        }
        Ok(())
    }

    async fn remove_session(&self) -> Result<(), AuthError> {
        *self.memory.borrow_mut() = None;
        if self.persist_session {
            self.storage.remove_item(&self.storage_key).await?;
        }
        Ok(())
    }
}
