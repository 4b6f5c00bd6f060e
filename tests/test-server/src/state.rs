//! Shared server state: configuration plus one in-memory store behind a mutex. No handler holds the
//! lock across an await point.

use crate::clock::Ts;
use crate::config::Config;
use crate::mailbox::MailMessage;
use crate::models::{FlowState, OAuthFlow, ProviderGrant, RefreshToken, Session, User};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use uuid::Uuid;

#[derive(Default, Debug, Clone, Copy)]
pub struct Stats {
    pub refresh_token_requests: u64,
    pub password_requests: u64,
}

#[derive(Default)]
pub struct Store {
    pub users: HashMap<Uuid, User>,
    pub sessions: HashMap<Uuid, Session>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    pub flow_states: Vec<FlowState>,
    /// OAuth sign-ins waiting for the provider's answer, by `state`.
    pub oauth_flows: HashMap<Uuid, OAuthFlow>,
    /// The fake provider's side: issued codes, and its accounts' subjects by (provider, email).
    pub provider_codes: HashMap<String, ProviderGrant>,
    pub provider_accounts: HashMap<(String, String), String>,
    pub mailbox: HashMap<String, MailMessage>,
    pub stats: Stats,
    /// SSO sign-ins in progress and the fake IdP's assertions (`routes/sso.rs`).
    pub sso: crate::routes::sso::SsoStore,
    /// Passkey ceremonies in progress, by challenge id (`routes/passkeys.rs`).
    pub passkey_challenges: HashMap<Uuid, crate::routes::passkeys::PasskeyChallenge>,
    /// The OAuth 2.1 server's clients, authorizations and consents (`routes/oauth_server.rs`).
    pub oauth_server: crate::routes::oauth_server::OAuthServerStore,
    /// Custom OAuth/OIDC providers by identifier (`routes/custom_providers.rs`).
    pub custom_providers: Vec<crate::routes::custom_providers::CustomProvider>,
    seq: u64,
}

impl Stats {
    pub fn reset(&mut self) {
        *self = Stats::default();
    }
}

impl Store {
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn user_by_email(&self, email: &str) -> Option<Uuid> {
        self.users.values().find(|u| !email.is_empty() && u.email == email).map(|u| u.id)
    }

    pub fn user_by_phone(&self, phone: &str) -> Option<Uuid> {
        self.users.values().find(|u| !phone.is_empty() && u.phone == phone).map(|u| u.id)
    }

    /// Deleting a session takes its refresh tokens with it (GoTrue's FK cascade).
    pub fn delete_session(&mut self, id: Uuid) {
        self.sessions.remove(&id);
        self.refresh_tokens.retain(|_, t| t.session_id != id);
    }

    /// The newest unrevoked refresh token of a session.
    pub fn active_token(&self, session_id: Uuid) -> Option<&RefreshToken> {
        self.refresh_tokens
            .values()
            .filter(|t| t.session_id == session_id && t.revoked_at.is_none())
            .max_by_key(|t| t.seq)
    }
}

#[derive(Clone)]
pub struct AppState {
    pub cfg: Arc<Config>,
    /// `http://HOST:PORT`: base of mailed links and the JWT `iss`.
    pub external_url: Arc<str>,
    store: Arc<Mutex<Store>>,
    /// Seconds added to the wall clock, so in-process tests can let time pass.
    clock_offset: Arc<AtomicI64>,
    /// Access-token signing keys and the test OpenID issuer's key (`keys.rs`).
    pub keys: Arc<crate::keys::Keys>,
}

impl AppState {
    pub fn new(cfg: Config, external_url: impl Into<String>) -> AppState {
        let keys = Arc::new(crate::keys::Keys::new(cfg.jwt_alg));
        AppState {
            keys,
            cfg: Arc::new(cfg),
            external_url: external_url.into().into(),
            store: Arc::new(Mutex::new(Store::default())),
            clock_offset: Arc::new(AtomicI64::new(0)),
        }
    }

    pub fn now(&self) -> Ts {
        Ts::system_now().add_secs(self.clock_offset.load(Ordering::Relaxed))
    }

    pub fn advance_clock(&self, secs: i64) {
        self.clock_offset.fetch_add(secs, Ordering::Relaxed);
    }

    pub fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic elsewhere must not take the whole test server down with a poisoned lock.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}
