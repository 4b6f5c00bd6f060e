//! Finding, creating and linking users by an identity that another party vouches for: the ID
//! tokens of `grant_type=id_token`, SSO assertions and web3 signatures.

use crate::clock::Ts;
use crate::errors::ApiError;
use crate::models::{Identity, User};
use crate::state::{AppState, Store};
use serde_json::{json, Map, Value};
use uuid::Uuid;

pub struct External {
    /// `google`, `sso:<uuid>`, `web3`, …
    pub provider: String,
    /// The identity's `id`: the provider's subject.
    pub subject: String,
    /// Lower-cased; empty when the provider gave none.
    pub email: String,
    /// The provider vouches for the address.
    pub email_verified: bool,
    pub data: Map<String, Value>,
}

impl External {
    fn matches(&self, i: &Identity) -> bool {
        i.provider == self.provider && i.provider_id == self.subject
    }

    fn identity(&self, user_id: Uuid, now: Ts) -> Identity {
        Identity {
            identity_id: Uuid::new_v4(),
            provider_id: self.subject.clone(),
            user_id,
            identity_data: self.data.clone(),
            provider: self.provider.clone(),
            last_sign_in_at: Some(now),
            created_at: now,
            updated_at: now,
        }
    }
}

fn owner(store: &Store, ext: &External) -> Option<Uuid> {
    store.users.values().find(|u| u.identities.iter().any(|i| ext.matches(i))).map(|u| u.id)
}

/// The user owning the identity, else the user with its (verified) e-mail, else a new user; the
/// identity is created or refreshed. Banned users are refused.
pub fn sign_in(st: &AppState, store: &mut Store, ext: &External, now: Ts) -> Result<Uuid, ApiError> {
    let by_email = || (ext.email_verified && !ext.email.is_empty()).then(|| store.user_by_email(&ext.email)).flatten();
    let user_id = match owner(store, ext).or_else(by_email) {
        Some(id) => id,
        None => {
            if st.cfg.disable_signup {
                return Err(ApiError::unprocessable("signup_disabled", "Signups not allowed for this instance"));
            }
            // An unverified address that belongs to someone else is not taken over, nor copied.
            if !ext.email.is_empty() && store.user_by_email(&ext.email).is_some() {
                return Err(ApiError::unprocessable(
                    "email_exists",
                    "A user with this email address has already been registered",
                ));
            }
            let mut u = User::new(now);
            u.email = ext.email.clone();
            if ext.email_verified && !ext.email.is_empty() {
                u.email_confirmed_at = Some(now);
            }
            u.user_metadata = ext.data.clone();
            u.app_metadata.insert("provider".into(), json!(ext.provider));
            let id = u.id;
            store.users.insert(id, u);
            id
        }
    };
    let user = store.users.get_mut(&user_id).ok_or_else(|| ApiError::internal("user vanished"))?;
    if user.is_banned(now) {
        return Err(ApiError::bad_request("user_banned", "User is banned"));
    }
    match user.identities.iter_mut().find(|i| ext.matches(i)) {
        Some(i) => {
            i.identity_data = ext.data.clone();
            i.last_sign_in_at = Some(now);
            i.updated_at = now;
        }
        None => user.identities.push(ext.identity(user_id, now)),
    }
    if ext.email_verified && user.email == ext.email && user.email_confirmed_at.is_none() {
        user.confirm_email(now);
    }
    user.sync_providers();
    user.updated_at = now;
    Ok(user_id)
}

/// Adds the identity to `target` (the bearer's user) instead of signing in by it.
pub fn link(store: &mut Store, target: Uuid, ext: &External, now: Ts) -> Result<(), ApiError> {
    match owner(store, ext) {
        Some(id) if id == target => {
            return Err(ApiError::unprocessable("identity_already_exists", "Identity is already linked"))
        }
        Some(_) => {
            return Err(ApiError::unprocessable(
                "identity_already_exists",
                "Identity is already linked to another user",
            ))
        }
        None => {}
    }
    let email_taken = !ext.email.is_empty() && store.user_by_email(&ext.email).is_some_and(|id| id != target);
    let user = store
        .users
        .get_mut(&target)
        .ok_or_else(|| ApiError::unprocessable("user_not_found", "User to link the identity to was not found"))?;
    if user.email.is_empty() && email_taken {
        return Err(ApiError::bad_request(
            "email_exists",
            "A user with this email address has already been registered",
        ));
    }
    user.identities.push(ext.identity(target, now));
    if user.email.is_empty() && !ext.email.is_empty() && ext.email_verified {
        // A verified address makes an anonymous user permanent.
        user.email = ext.email.clone();
        user.confirm_email(now);
        user.is_anonymous = false;
    }
    user.sync_providers();
    user.updated_at = now;
    Ok(())
}
