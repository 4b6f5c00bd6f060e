//! Auth state change events and their subscribers.

use std::cell::RefCell;
use std::rc::Rc;

use crate::types::{Session, User};

/// What changed, with auth-js's event names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthChangeEvent {
    /// The session as it stands once the client has initialized (first event of every subscriber).
    InitialSession,
    /// A user signed in (any method, a redirect detected in the URL, another tab).
    SignedIn,
    /// The session ended.
    SignedOut,
    /// A refresh replaced the tokens.
    TokenRefreshed,
    /// The user was updated.
    UserUpdated,
    /// A password-recovery link or code signed the user in.
    PasswordRecovery,
    /// An MFA challenge was verified (aal2).
    MfaChallengeVerified,
}

impl AuthChangeEvent {
    /// The event's name as auth-js spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthChangeEvent::InitialSession => "INITIAL_SESSION",
            AuthChangeEvent::SignedIn => "SIGNED_IN",
            AuthChangeEvent::SignedOut => "SIGNED_OUT",
            AuthChangeEvent::TokenRefreshed => "TOKEN_REFRESHED",
            AuthChangeEvent::UserUpdated => "USER_UPDATED",
            AuthChangeEvent::PasswordRecovery => "PASSWORD_RECOVERY",
            AuthChangeEvent::MfaChallengeVerified => "MFA_CHALLENGE_VERIFIED",
        }
    }

    /// Parses an auth-js event name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "INITIAL_SESSION" => AuthChangeEvent::InitialSession,
            "SIGNED_IN" => AuthChangeEvent::SignedIn,
            "SIGNED_OUT" => AuthChangeEvent::SignedOut,
            "TOKEN_REFRESHED" => AuthChangeEvent::TokenRefreshed,
            "USER_UPDATED" => AuthChangeEvent::UserUpdated,
            "PASSWORD_RECOVERY" => AuthChangeEvent::PasswordRecovery,
            "MFA_CHALLENGE_VERIFIED" => AuthChangeEvent::MfaChallengeVerified,
            _ => return None,
        })
    }
}

/// The event's name as a JSON string (`"SIGNED_IN"`).
impl crate::json::ToJson for AuthChangeEvent {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

/// A subscriber callback (`U`: the session's user type).
pub type Listener<U = User> = Rc<dyn Fn(AuthChangeEvent, Option<&Session<U>>)>;

/// A registered subscriber; [`Subscription::unsubscribe`] (or the client's
/// `unsubscribe(id)`) removes it.
#[derive(Clone)]
pub struct Subscription {
    id: u64,
    registry: std::rc::Weak<dyn Unsubscribe>,
}

/// What a [`Subscription`] needs of its registry, whatever the registry's session type.
trait Unsubscribe {
    fn remove(&self, id: u64);
}

impl<U: 'static> Unsubscribe for Registry<U> {
    fn remove(&self, id: u64) {
        Registry::remove(self, id);
    }
}

impl Subscription {
    /// The subscriber's id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Stops delivering events to this subscriber.
    pub fn unsubscribe(&self) {
        if let Some(registry) = self.registry.upgrade() {
            registry.remove(self.id);
        }
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription").field("id", &self.id).finish()
    }
}

struct Entry<U> {
    id: u64,
    listener: Listener<U>,
    initial_delivered: bool,
}

/// The subscribers of one client.
pub(crate) struct Registry<U = User> {
    entries: RefCell<Vec<Entry<U>>>,
    next_id: std::cell::Cell<u64>,
}

impl<U> Default for Registry<U> {
    fn default() -> Self {
        Registry { entries: RefCell::new(Vec::new()), next_id: std::cell::Cell::new(0) }
    }
}

impl<U: 'static> Registry<U> {
    pub(crate) fn add(self: &Rc<Self>, listener: Listener<U>) -> Subscription {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        self.entries.borrow_mut().push(Entry { id, listener, initial_delivered: false });
        let registry: Rc<dyn Unsubscribe> = Rc::<Self>::clone(self);
        let registry = Rc::downgrade(&registry);
        Subscription { id, registry }
    }

    pub(crate) fn remove(&self, id: u64) {
        let mut entries = self.entries.borrow_mut();
        // Ids are unique: at most one entry to take out.
        if let Some(at) = entries.iter().position(|entry| entry.id == id) {
            entries.remove(at);
        }
        // After a burst of subscriptions has gone, give the room back.
        if entries.capacity() > 64 && entries.len() < entries.capacity() / 4 {
            let keep = entries.len() * 2;
            entries.shrink_to(keep);
        }
    }

    /// How many subscribers there are, and room for how many.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) fn count(&self) -> (usize, usize) {
        let entries = self.entries.borrow();
        (entries.len(), entries.capacity())
    }

    pub(crate) fn clear(&self) {
        self.entries.borrow_mut().clear();
    }

    /// Calls every subscriber.
    pub(crate) fn emit(&self, event: AuthChangeEvent, session: Option<&Session<U>>) {
        self.deliver(event, session, None);
    }

    /// Sends INITIAL_SESSION to `only` (or to every subscriber that has not had it yet).
    pub(crate) fn emit_initial(&self, only: Option<u64>, session: Option<&Session<U>>) {
        let ids = only.map_or((0, u64::MAX), |id| (id, id));
        self.deliver(AuthChangeEvent::InitialSession, session, Some(ids));
    }

    /// Sends INITIAL_SESSION to the subscribers up to id `last` that have not had it yet.
    pub(crate) fn emit_initial_up_to(&self, last: u64, session: Option<&Session<U>>) {
        self.deliver(AuthChangeEvent::InitialSession, session, Some((0, last)));
    }

    /// The id of the latest subscriber so far (0 before the first).
    pub(crate) fn last_id(&self) -> u64 {
        self.next_id.get()
    }

    /// Calls the subscribers: all of them, or with `initial` (`Some((first, last))`) those
    /// with an id in that range that have not had INITIAL_SESSION, marking them. One loop for
    /// both, and the list is copied first so a callback may (un)subscribe.
    fn deliver(&self, event: AuthChangeEvent, session: Option<&Session<U>>, initial: Option<(u64, u64)>) {
        let mut listeners: Vec<Listener<U>> = Vec::new();
        for entry in self.entries.borrow_mut().iter_mut() {
            if let Some((first, last)) = initial {
                if entry.initial_delivered || entry.id < first || entry.id > last {
                    continue;
                }
                entry.initial_delivered = true;
            }
            listeners.push(Rc::clone(&entry.listener));
        }
        for listener in listeners {
            listener(event, session);
        }
    }
}
