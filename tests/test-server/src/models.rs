//! In-memory records and their JSON form (contract §2.2, §2.3).

use crate::clock::Ts;
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// A pending one-time token: the OTP mailed to the user and the hash used in links.
#[derive(Clone, Debug)]
pub struct TokenSlot {
    pub otp: String,
    /// `pkce_`-prefixed when the request that created it carried a code challenge.
    pub hash: String,
    pub sent_at: Ts,
    pub ttl_secs: i64,
}

impl TokenSlot {
    pub fn is_expired(&self, now: Ts) -> bool {
        now > self.sent_at.add_secs(self.ttl_secs)
    }
    pub fn is_pkce(&self) -> bool {
        self.hash.starts_with("pkce_")
    }
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub identity_id: Uuid,
    /// The provider's subject; for email/phone identities the user's id.
    pub provider_id: String,
    pub user_id: Uuid,
    pub identity_data: Map<String, Value>,
    pub provider: String,
    pub last_sign_in_at: Option<Ts>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Identity {
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("identity_id".into(), json!(self.identity_id.to_string()));
        o.insert("id".into(), json!(self.provider_id));
        o.insert("user_id".into(), json!(self.user_id.to_string()));
        if !self.identity_data.is_empty() {
            o.insert("identity_data".into(), Value::Object(self.identity_data.clone()));
        }
        o.insert("provider".into(), json!(self.provider));
        if let Some(t) = self.last_sign_in_at {
            o.insert("last_sign_in_at".into(), json!(t.rfc3339()));
        }
        o.insert("created_at".into(), json!(self.created_at.rfc3339()));
        o.insert("updated_at".into(), json!(self.updated_at.rfc3339()));
        // In GoTrue this is a generated column: lower(identity_data->>'email').
        if let Some(e) = self.identity_data.get("email").and_then(Value::as_str) {
            if !e.is_empty() {
                o.insert("email".into(), json!(e.to_lowercase()));
            }
        }
        Value::Object(o)
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: Uuid,
    pub aud: String,
    pub role: String,
    pub email: String,
    pub email_confirmed_at: Option<Ts>,
    pub invited_at: Option<Ts>,
    pub phone: String,
    pub phone_confirmed_at: Option<Ts>,
    pub confirmation_sent_at: Option<Ts>,
    pub recovery_sent_at: Option<Ts>,
    pub new_email: String,
    pub email_change_sent_at: Option<Ts>,
    pub new_phone: String,
    pub phone_change_sent_at: Option<Ts>,
    pub reauthentication_sent_at: Option<Ts>,
    pub last_sign_in_at: Option<Ts>,
    pub app_metadata: Map<String, Value>,
    pub user_metadata: Map<String, Value>,
    pub identities: Vec<Identity>,
    pub created_at: Ts,
    pub updated_at: Ts,
    pub is_anonymous: bool,
    pub password_hash: Option<String>,
    pub email_confirmation: Option<TokenSlot>,
    pub phone_confirmation: Option<TokenSlot>,
    /// Shared by magic links and password recovery, as in GoTrue.
    pub recovery: Option<TokenSlot>,
    pub email_change_current: Option<TokenSlot>,
    pub email_change_new: Option<TokenSlot>,
    pub phone_change: Option<TokenSlot>,
    pub reauthentication: Option<TokenSlot>,
    /// MFA factors (`factors` in the JSON, omitted when empty).
    pub factors: Vec<crate::factor::Factor>,
    /// Passkeys (`routes/passkeys.rs`); never part of the user's JSON.
    pub passkeys: Vec<Passkey>,
    pub banned_until: Option<Ts>,
    /// Set by an admin soft delete.
    pub deleted_at: Option<Ts>,
}

impl User {
    pub fn new(now: Ts) -> User {
        User {
            id: Uuid::new_v4(),
            aud: "authenticated".into(),
            role: "authenticated".into(),
            email: String::new(),
            email_confirmed_at: None,
            invited_at: None,
            phone: String::new(),
            phone_confirmed_at: None,
            confirmation_sent_at: None,
            recovery_sent_at: None,
            new_email: String::new(),
            email_change_sent_at: None,
            new_phone: String::new(),
            phone_change_sent_at: None,
            reauthentication_sent_at: None,
            last_sign_in_at: None,
            app_metadata: Map::new(),
            user_metadata: Map::new(),
            identities: Vec::new(),
            created_at: now,
            updated_at: now,
            is_anonymous: false,
            password_hash: None,
            email_confirmation: None,
            phone_confirmation: None,
            recovery: None,
            email_change_current: None,
            email_change_new: None,
            phone_change: None,
            reauthentication: None,
            factors: Vec::new(),
            passkeys: Vec::new(),
            banned_until: None,
            deleted_at: None,
        }
    }

    /// GoTrue's `HasMFAEnabled`: at least one verified factor.
    pub fn has_verified_factor(&self) -> bool {
        self.factors.iter().any(|f| f.verified)
    }

    pub fn is_banned(&self, now: Ts) -> bool {
        self.banned_until.is_some_and(|t| t > now)
    }

    /// GoTrue's `confirmed_at` is generated as the earliest of the two confirmations.
    pub fn confirmed_at(&self) -> Option<Ts> {
        match (self.email_confirmed_at, self.phone_confirmed_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn identity_mut(&mut self, provider: &str) -> Option<&mut Identity> {
        self.identities.iter_mut().find(|i| i.provider == provider)
    }

    /// Creates the identity for `provider` if missing and keeps app_metadata's providers in sync.
    pub fn ensure_identity(&mut self, provider: &str, data: Map<String, Value>, now: Ts) {
        if self.identity_mut(provider).is_none() {
            self.identities.push(Identity {
                identity_id: Uuid::new_v4(),
                provider_id: self.id.to_string(),
                user_id: self.id,
                identity_data: data,
                provider: provider.into(),
                last_sign_in_at: None,
                created_at: now,
                updated_at: now,
            });
        }
        self.sync_providers();
    }

    pub fn sync_providers(&mut self) {
        let providers: Vec<Value> = self.identities.iter().map(|i| json!(i.provider)).collect();
        if providers.is_empty() {
            return;
        }
        if !self.app_metadata.contains_key("provider") {
            self.app_metadata.insert("provider".into(), providers[0].clone());
        }
        self.app_metadata.insert("providers".into(), Value::Array(providers));
    }

    /// Records a verified email/phone in the identity data and the mirrored user_metadata.
    pub fn mark_verified(&mut self, key: &str, now: Ts) {
        let provider = if key == "email_verified" { "email" } else { "phone" };
        if let Some(i) = self.identity_mut(provider) {
            i.identity_data.insert(key.into(), json!(true));
            i.updated_at = now;
        }
        self.user_metadata.insert(key.into(), json!(true));
    }

    pub fn confirm_email(&mut self, now: Ts) {
        if self.email_confirmed_at.is_none() {
            self.email_confirmed_at = Some(now);
        }
        self.email_confirmation = None;
        self.mark_verified("email_verified", now);
    }

    pub fn confirm_phone(&mut self, now: Ts) {
        if self.phone_confirmed_at.is_none() {
            self.phone_confirmed_at = Some(now);
        }
        self.phone_confirmation = None;
        self.mark_verified("phone_verified", now);
    }

    /// Completes an e-mail change. An anonymous user who gains an address becomes permanent.
    pub fn apply_email_change(&mut self, new_email: &str, now: Ts) {
        self.email = new_email.into();
        self.new_email.clear();
        self.email_change_current = None;
        self.email_change_new = None;
        if self.email_confirmed_at.is_none() {
            self.email_confirmed_at = Some(now);
        }
        self.is_anonymous = false;
        let sub = self.id.to_string();
        match self.identity_mut("email") {
            Some(i) => {
                i.identity_data.insert("email".into(), json!(new_email));
                i.identity_data.insert("email_verified".into(), json!(true));
                i.updated_at = now;
            }
            None => {
                let mut data = Map::new();
                data.insert("sub".into(), json!(sub));
                data.insert("email".into(), json!(new_email));
                data.insert("email_verified".into(), json!(true));
                data.insert("phone_verified".into(), json!(false));
                self.ensure_identity("email", data, now);
            }
        }
        if self.user_metadata.contains_key("email") {
            self.user_metadata.insert("email".into(), json!(new_email));
        }
        self.sync_providers();
    }

    /// Completes a phone change (or adds a phone), which counts as confirming it.
    pub fn apply_phone_change(&mut self, new_phone: &str, now: Ts) {
        self.phone = new_phone.into();
        self.new_phone.clear();
        self.phone_change = None;
        self.phone_confirmed_at = Some(now);
        self.is_anonymous = false;
        let sub = self.id.to_string();
        match self.identity_mut("phone") {
            Some(i) => {
                i.identity_data.insert("phone".into(), json!(new_phone));
                i.identity_data.insert("phone_verified".into(), json!(true));
                i.updated_at = now;
            }
            None => {
                let mut data = Map::new();
                data.insert("sub".into(), json!(sub));
                data.insert("phone".into(), json!(new_phone));
                data.insert("email_verified".into(), json!(false));
                data.insert("phone_verified".into(), json!(true));
                self.ensure_identity("phone", data, now);
            }
        }
        self.sync_providers();
    }

    pub fn to_json(&self) -> Value {
        let ts = |t: Option<Ts>| t.map(|t| json!(t.rfc3339()));
        let mut o = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                o.insert(k.into(), v);
            }
        };
        put("id", Some(json!(self.id.to_string())));
        put("aud", Some(json!(self.aud)));
        put("role", Some(json!(self.role)));
        put("email", Some(json!(self.email)));
        put("email_confirmed_at", ts(self.email_confirmed_at));
        put("invited_at", ts(self.invited_at));
        put("phone", Some(json!(self.phone)));
        put("phone_confirmed_at", ts(self.phone_confirmed_at));
        put("confirmation_sent_at", ts(self.confirmation_sent_at));
        put("confirmed_at", ts(self.confirmed_at()));
        put("recovery_sent_at", ts(self.recovery_sent_at));
        put("new_email", (!self.new_email.is_empty()).then(|| json!(self.new_email)));
        put("email_change_sent_at", ts(self.email_change_sent_at));
        put("new_phone", (!self.new_phone.is_empty()).then(|| json!(self.new_phone)));
        put("phone_change_sent_at", ts(self.phone_change_sent_at));
        put("reauthentication_sent_at", ts(self.reauthentication_sent_at));
        put("last_sign_in_at", ts(self.last_sign_in_at));
        put("app_metadata", Some(Value::Object(self.app_metadata.clone())));
        put("user_metadata", Some(Value::Object(self.user_metadata.clone())));
        put("identities", Some(Value::Array(self.identities.iter().map(Identity::to_json).collect())));
        put(
            "factors",
            (!self.factors.is_empty()).then(|| Value::Array(self.factors.iter().map(|f| f.to_json()).collect())),
        );
        put("created_at", Some(json!(self.created_at.rfc3339())));
        put("updated_at", Some(json!(self.updated_at.rfc3339())));
        put("banned_until", ts(self.banned_until));
        put("deleted_at", ts(self.deleted_at));
        put("is_anonymous", Some(json!(self.is_anonymous)));
        Value::Object(o)
    }
}

#[derive(Clone, Debug)]
pub struct Amr {
    pub method: String,
    pub timestamp: i64,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// Fixed at sign-in; refreshes keep it, so `amr` in refreshed tokens shows the original method.
    /// A verified MFA factor adds its method at the front.
    pub amr: Vec<Amr>,
    /// The MFA factor that raised the session to AAL2.
    pub factor_id: Option<Uuid>,
}

impl Session {
    /// As GoTrue computes it from the AMR claims: any MFA method makes the session AAL2.
    pub fn aal(&self) -> &'static str {
        if self.amr.iter().any(|a| crate::factor::MFA_METHODS.contains(&a.method.as_str())) {
            "aal2"
        } else {
            "aal1"
        }
    }
}

#[derive(Clone, Debug)]
pub struct RefreshToken {
    pub token: String,
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub parent: Option<String>,
    pub revoked_at: Option<Ts>,
    pub created_at: Ts,
    /// Issue order; "the currently active token" is the newest unrevoked one.
    pub seq: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeMethod {
    Plain,
    S256,
}

#[derive(Clone, Debug)]
pub struct FlowState {
    pub id: Uuid,
    pub user_id: Uuid,
    pub auth_code: Uuid,
    pub code_challenge: String,
    pub method: ChallengeMethod,
    /// e.g. `email/signup`, `magiclink`, `recovery`, `email_change`; becomes the session's AMR.
    pub authentication_method: String,
    pub created_at: Ts,
    /// Set when `GET /verify` (or `/callback`) hands the code out; the code is only
    /// exchangeable after that.
    pub auth_code_issued_at: Option<Ts>,
    /// OAuth logins only: the provider's tokens, returned by the pkce grant.
    pub provider_token: Option<String>,
    pub provider_refresh_token: Option<String>,
}

/// An OAuth sign-in between `GET /authorize` and `GET /callback`; keyed by the `state` UUID
/// sent to the provider.
#[derive(Clone, Debug)]
pub struct OAuthFlow {
    pub state: Uuid,
    pub provider: String,
    /// Already validated (falls back to SITE_URL).
    pub redirect_to: String,
    pub scopes: String,
    /// Query parameters of `/authorize` passed on to the provider, in request order.
    pub forwarded: Vec<(String, String)>,
    pub code_challenge: Option<(String, ChallengeMethod)>,
    pub created_at: Ts,
    /// Set by `GET /user/identities/authorize`: the callback links the identity to this user.
    pub link_user_id: Option<Uuid>,
}

/// A code issued by the built-in fake OAuth provider, redeemed by `/callback`.
#[derive(Clone, Debug)]
pub struct ProviderGrant {
    pub provider: String,
    pub state: String,
    /// The provider's subject for this account (not a UUID, e.g. `gh-3`).
    pub subject: String,
    pub email: String,
    pub issued_at: Ts,
}

/// A registered passkey: a discoverable WebAuthn credential that signs the user in by itself.
#[derive(Clone, Debug)]
pub struct Passkey {
    pub id: Uuid,
    /// base64url without padding.
    pub credential_id: String,
    pub public_key: crate::webauthn::PublicKey,
    pub sign_count: u32,
    pub aaguid: [u8; 16],
    pub friendly_name: String,
    pub created_at: Ts,
    pub updated_at: Ts,
    pub last_used_at: Option<Ts>,
}

impl Passkey {
    /// GoTrue's PasskeyListItem: `friendly_name` and `last_used_at` omitted when empty.
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("id".into(), json!(self.id.to_string()));
        if !self.friendly_name.is_empty() {
            o.insert("friendly_name".into(), json!(self.friendly_name));
        }
        o.insert("created_at".into(), json!(self.created_at.rfc3339()));
        if let Some(t) = self.last_used_at {
            o.insert("last_used_at".into(), json!(t.rfc3339()));
        }
        Value::Object(o)
    }
}
