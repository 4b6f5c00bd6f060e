//! The WebAuthn ceremonies in the browser, as auth-js runs them: passkey sign-in and
//! registration, and `mfa.webauthn`'s register and authenticate. The server's options (JSON,
//! base64url buffers) become the dictionaries `navigator.credentials.create()` / `.get()` take,
//! and the credential becomes the JSON the server reads (`toJSON()`, or member by member where
//! the browser lacks it). A refused or cancelled ceremony is an [`AuthError`] whose code is
//! auth-js's `WebAuthnError` code (`ERROR_CEREMONY_ABORTED`, `ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY`
//! for the user's "cancel", …).
//!
//! The JS API runs these ceremonies in its own facade, so nothing here is in the npm package's
//! wasm: this is for Rust web apps.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::BrowserAuth;
use crate::api::webauthn_ceremony::{self as ceremony, Refusal};
use crate::json::ToJson;
use crate::types::{AuthResponse, JsonObject, JsonValue};
use crate::{AuthError, AuthErrorKind, Passkey, WebAuthnCeremony, WebAuthnCredentialResponse, WebAuthnRelyingParty};

thread_local! {
    /// As auth-js's abort service: the ceremony running without a signal of the caller's, which
    /// the next such ceremony cancels (the browser refuses two at once, and a pending passkey
    /// autofill would otherwise block a button's sign-in).
    static PENDING: RefCell<Option<web_sys::AbortController>> = const { RefCell::new(None) };
}

/// Options of [`BrowserAuth::sign_in_with_passkey`] and [`BrowserAuth::register_passkey`]
/// (auth-js's `options: { captchaToken, mediation, signal }`).
#[derive(Clone, Debug, Default)]
pub struct PasskeyOptions {
    captcha_token: Option<String>,
    conditional: bool,
    signal: Option<web_sys::AbortSignal>,
}

impl PasskeyOptions {
    /// No captcha, the browser's modal picker, cancelled by the next ceremony.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// let options = PasskeyOptions::new().captcha_token("captcha-answer");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A captcha answer for the sign-in's start (ignored by registration).
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }

    /// Conditional mediation (passkey autofill on an `autocomplete="username webauthn"`
    /// input) instead of the modal picker: the sign-in waits until the user picks a passkey
    /// there. If it outlives the server's challenge, sign in again (that cancels this one).
    pub fn conditional_mediation(mut self) -> Self {
        self.conditional = true;
        self
    }

    /// Cancels the ceremony when `signal` aborts; a ceremony with a signal of its caller's is
    /// not cancelled by the next one.
    pub fn signal(mut self, signal: web_sys::AbortSignal) -> Self {
        self.signal = Some(signal);
        self
    }
}

/// Options of [`BrowserAuth::mfa_webauthn_register`] and
/// [`BrowserAuth::mfa_webauthn_authenticate`] (auth-js's `webauthn: { rpId, rpOrigins,
/// signal }` and `overrides`).
#[derive(Clone, Debug, Default)]
pub struct WebAuthnOptions {
    relying_party: Option<WebAuthnRelyingParty>,
    signal: Option<web_sys::AbortSignal>,
    overrides: Option<JsonValue>,
}

impl WebAuthnOptions {
    /// The page's host as relying party and its origin, auth-js's defaults.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// let options = WebAuthnOptions::new()
    ///     .relying_party(WebAuthnRelyingParty::new("example.com", ["https://app.example.com"]));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Another relying party than the page's host (e.g. the registrable domain of a subdomain).
    pub fn relying_party(mut self, party: WebAuthnRelyingParty) -> Self {
        self.relying_party = Some(party);
        self
    }

    /// Cancels the ceremony when `signal` aborts.
    pub fn signal(mut self, signal: web_sys::AbortSignal) -> Self {
        self.signal = Some(signal);
        self
    }

    /// Members laid over the `publicKey` options before the browser gets them, in their JSON
    /// form (buffers as base64url), e.g. `{"authenticatorSelection":{"authenticatorAttachment":"platform"}}`
    /// to accept a built-in authenticator where auth-js asks for a security key.
    pub fn overrides(mut self, overrides: JsonValue) -> Self {
        self.overrides = Some(overrides);
        self
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "webauthn-ceremonies")))]
impl BrowserAuth {
    /// Signs in with a passkey (auth-js `signInWithPasskey`): the server's options, the
    /// browser's `navigator.credentials.get()`, the assertion verified. The session is stored
    /// and SIGNED_IN emitted. A discoverable credential names the account: no email needed.
    ///
    /// A ceremony the user cancels, that times out or that the browser refuses is an error of
    /// kind `Unknown` with auth-js's WebAuthn code (`ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY`,
    /// `ERROR_CEREMONY_ABORTED`, `ERROR_INVALID_RP_ID`, …) and nothing stored changes.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// match auth.sign_in_with_passkey(&PasskeyOptions::new()).await {
    ///     Ok(signed_in) => println!("hello {:?}", signed_in.user.map(|user| user.email)),
    ///     Err(error) if error.code() == Some("ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY") => println!("cancelled"),
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_passkey(&self, options: &PasskeyOptions) -> Result<AuthResponse, AuthError> {
        self.initialized().await;
        supported()?;
        let start = self.client().passkey_start_authentication(options.captcha_token.as_deref()).await?;
        let call = Call { extra: None, conditional: options.conditional, signal: options.signal.as_ref() };
        let credential = run(WebAuthnCeremony::Request, &start.options, call).await?;
        self.client().passkey_verify_authentication(&start.challenge_id, &credential).await
    }

    /// Registers a passkey for the signed-in user (auth-js `registerPasskey`): the server's
    /// options, the browser's `navigator.credentials.create()`, the credential verified.
    /// Errors as [`Self::sign_in_with_passkey`]'s; without a session, `SessionMissing`.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// let passkey = auth.register_passkey(&PasskeyOptions::new()).await?;
    /// println!("registered {} ({:?})", passkey.id, passkey.friendly_name);
    /// # Ok(()) }
    /// ```
    pub async fn register_passkey(&self, options: &PasskeyOptions) -> Result<Passkey, AuthError> {
        self.initialized().await;
        supported()?;
        let start = self.client().passkey_start_registration().await?;
        let call = Call { extra: None, conditional: false, signal: options.signal.as_ref() };
        let credential = run(WebAuthnCeremony::Create, &start.options, call).await?;
        self.client().passkey_verify_registration(&start.challenge_id, &credential).await
    }

    /// Registers a security key as an MFA factor (auth-js `mfa.webauthn.register`): enroll,
    /// challenge, `navigator.credentials.create()` (a cross-platform key by auth-js's
    /// defaults; see [`WebAuthnOptions::overrides`]), verify. The aal2 session is stored and
    /// MFA_CHALLENGE_VERIFIED emitted. When enrolling fails, an unverified factor of this name
    /// left by an earlier attempt is removed, so that a retry can take the name.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// let aal2 = auth.mfa_webauthn_register("YubiKey", &WebAuthnOptions::new()).await?;
    /// assert!(aal2.session.is_some());
    /// # Ok(()) }
    /// ```
    pub async fn mfa_webauthn_register(
        &self,
        friendly_name: &str,
        options: &WebAuthnOptions,
    ) -> Result<AuthResponse, AuthError> {
        self.initialized().await;
        let party = relying_party(options, "registration")?;
        supported()?;
        let factor = match self.client().mfa_webauthn_enroll(Some(friendly_name)).await {
            Ok(factor) => factor,
            Err(error) => {
                self.remove_stale_factor(friendly_name).await;
                return Err(error);
            }
        };
        let name = factor.friendly_name.as_deref().filter(|name| !name.is_empty());
        self.mfa_webauthn_ceremony(&factor.id, party, name, options).await
    }

    /// Steps up to aal2 with a registered security key (auth-js `mfa.webauthn.authenticate`):
    /// challenge, `navigator.credentials.get()`, verify. The aal2 session is stored and
    /// MFA_CHALLENGE_VERIFIED emitted.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(auth: std::rc::Rc<BrowserAuth>) -> Result<(), AuthError> {
    /// let factors = auth.client().mfa_list_factors().await?;
    /// if let Some(key) = factors.webauthn.first() {
    ///     auth.mfa_webauthn_authenticate(&key.id, &WebAuthnOptions::new()).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn mfa_webauthn_authenticate(
        &self,
        factor_id: &str,
        options: &WebAuthnOptions,
    ) -> Result<AuthResponse, AuthError> {
        self.initialized().await;
        let party = relying_party(options, "authentication")?;
        supported()?;
        self.mfa_webauthn_ceremony(factor_id, party, None, options).await
    }

    /// Challenge, ceremony, verify: the steps register and authenticate share.
    async fn mfa_webauthn_ceremony(
        &self,
        factor_id: &str,
        party: WebAuthnRelyingParty,
        friendly_name: Option<&str>,
        options: &WebAuthnOptions,
    ) -> Result<AuthResponse, AuthError> {
        let challenge = self.client().mfa_webauthn_challenge(factor_id, Some(&party)).await?;
        let kind = WebAuthnCeremony::of(&challenge)
            .ok_or_else(|| AuthError::unknown("The challenge has no WebAuthn options"))?;
        let step_options = challenge.webauthn.as_ref().and_then(|step| step.get("credential_options"));
        let public_key = step_options.and_then(|options| options.get("publicKey")).cloned().unwrap_or_default();
        let overrides = options.overrides.as_ref();
        let prepared = match kind {
            WebAuthnCeremony::Create => {
                let name = match friendly_name {
                    Some(name) => name.to_string(),
                    None if ceremony::lacks_user_name(&public_key) => self.fallback_user_name().await,
                    None => String::new(),
                };
                ceremony::mfa_creation_options(&public_key, &name, overrides)
            }
            WebAuthnCeremony::Request => ceremony::mfa_request_options(&public_key, overrides),
        };
        // A sign-in passes the rest of `credential_options` (e.g. `mediation`) along, as auth-js does.
        let extra = if kind == WebAuthnCeremony::Request { step_options } else { None };
        let call = Call { extra, conditional: false, signal: options.signal.as_ref() };
        let credential = run(kind, &prepared, call).await?;
        let answer =
            WebAuthnCredentialResponse { ceremony: kind, relying_party: Some(party), credential_response: credential };
        self.client().mfa_webauthn_verify(factor_id, &challenge.id, &answer).await
    }

    /// auth-js's stand-in for a missing user name: the user's `name` metadata, email or id.
    async fn fallback_user_name(&self) -> String {
        let Ok(user) = self.client().get_user().await else { return "User".into() };
        let name = user.user_metadata.get("name").and_then(JsonValue::as_str).filter(|name| !name.is_empty());
        let chosen = name.or(Some(user.email.as_str()).filter(|email| !email.is_empty())).unwrap_or(user.id.as_str());
        if chosen.is_empty() {
            "User".into()
        } else {
            chosen.to_string()
        }
    }

    /// After a failed enroll: removes an unverified WebAuthn factor named `friendly_name` (a
    /// verified one is a key in use and never touched). Best effort, as in auth-js.
    async fn remove_stale_factor(&self, friendly_name: &str) {
        let Ok(factors) = self.client().mfa_list_factors().await else { return };
        let stale = factors.all.iter().find(|factor| {
            factor.factor_type == "webauthn"
                && factor.status == "unverified"
                && factor.friendly_name.as_deref() == Some(friendly_name)
        });
        if let Some(stale) = stale {
            let _ = self.client().mfa_unenroll(&stale.id).await;
        }
    }
}

/// The page's host and origin, or the caller's relying party; auth-js's error without either.
fn relying_party(options: &WebAuthnOptions, what: &str) -> Result<WebAuthnRelyingParty, AuthError> {
    if let Some(party) = &options.relying_party {
        return Ok(party.clone());
    }
    let location = web_sys::window().map(|window| window.location());
    let host = location.as_ref().and_then(|location| location.hostname().ok()).filter(|host| !host.is_empty());
    let origin = location.as_ref().and_then(|location| location.origin().ok());
    match host {
        Some(host) => Ok(WebAuthnRelyingParty { rp_id: host, rp_origins: origin.into_iter().collect() }),
        None => {
            Err(AuthError::new(AuthErrorKind::Unknown, crate::text::concat(&["rpId is required for WebAuthn ", what])))
        }
    }
}

/// auth-js's check: a browser window with `PublicKeyCredential` and `navigator.credentials`.
fn supported() -> Result<(), AuthError> {
    let unsupported = || AuthError::unknown("Browser does not support WebAuthn");
    let window = web_sys::window().ok_or_else(unsupported)?;
    let has = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &key.into()).is_ok_and(|v| !v.is_undefined());
    let credentials: JsValue = window.navigator().credentials().into();
    let callable = |key: &str| js_sys::Reflect::get(&credentials, &key.into()).is_ok_and(|v| v.is_function());
    if window.document().is_some() && has(&window, "PublicKeyCredential") && callable("create") && callable("get") {
        Ok(())
    } else {
        Err(unsupported())
    }
}

/// How a ceremony is called besides its `publicKey` options.
struct Call<'a> {
    /// Other members of the server's `credential_options` (sign-ins).
    extra: Option<&'a JsonValue>,
    /// `mediation: "conditional"`.
    conditional: bool,
    /// The caller's signal; without one, a fresh one the next ceremony aborts.
    signal: Option<&'a web_sys::AbortSignal>,
}

/// Runs `navigator.credentials.create()` / `.get()` with `public_key` (JSON form) and answers
/// the credential as the server reads it.
async fn run(kind: WebAuthnCeremony, public_key: &JsonValue, call: Call<'_>) -> Result<JsonValue, AuthError> {
    let members = ceremony::binary_members(public_key, kind)?;
    let dictionary = js_object(public_key)?;
    set(&dictionary, "challenge", &buffer(&members.challenge));
    if let Some(user_id) = &members.user_id {
        let user = js_sys::Reflect::get(&dictionary, &"user".into()).unwrap_or(JsValue::UNDEFINED);
        set(&user, "id", &buffer(user_id));
    }
    let list = js_sys::Reflect::get(&dictionary, &ceremony::credential_list_key(kind).into())
        .ok()
        .and_then(|list| list.dyn_into::<js_sys::Array>().ok());
    if let Some(list) = list {
        for (index, id) in (0u32..).zip(&members.credential_ids) {
            set(&list.get(index), "id", &buffer(id));
        }
    }

    let request = match call.extra {
        Some(extra) => js_object(extra)?,
        None => js_sys::Object::new().into(),
    };
    set(&request, "publicKey", &dictionary);
    let signal = match call.signal {
        Some(signal) => signal.clone(),
        None => fresh_signal()?,
    };
    set(&request, "signal", &signal);
    if call.conditional {
        set(&request, "mediation", &"conditional".into());
    }

    let window = web_sys::window().ok_or_else(|| AuthError::unknown("Browser does not support WebAuthn"))?;
    let credentials = window.navigator().credentials();
    let started = match kind {
        WebAuthnCeremony::Create => credentials.create_with_options(request.unchecked_ref()),
        WebAuthnCeremony::Request => credentials.get_with_options(request.unchecked_ref()),
    };
    let answer = match started {
        Ok(promise) => JsFuture::from(promise).await,
        Err(thrown) => Err(thrown),
    };
    let credential = answer.map_err(|cause| {
        let text = |key: &str| {
            js_sys::Reflect::get(&cause, &key.into()).ok().and_then(|value| value.as_string()).unwrap_or_default()
        };
        let (name, message) = (text("name"), text("message"));
        let hostname = window.location().hostname().unwrap_or_default();
        let refusal = Refusal {
            ceremony: kind,
            name: &name,
            message: &message,
            options: public_key,
            hostname: &hostname,
            conditional: call.conditional,
        };
        ceremony::refused(&refusal)
    })?;
    if !credential.is_object() {
        return Err(AuthError::unknown("Empty credential response").with_code("ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY"));
    }
    credential_json(&credential, kind)
}

/// A signal for a ceremony without the caller's: the one before it is cancelled first.
fn fresh_signal() -> Result<web_sys::AbortSignal, AuthError> {
    let controller =
        web_sys::AbortController::new().map_err(|_| AuthError::unknown("Browser does not support WebAuthn"))?;
    let signal = controller.signal();
    if let Some(previous) = PENDING.with(|pending| pending.borrow_mut().replace(controller)) {
        let reason = web_sys::DomException::new_with_message_and_name(
            "Cancelling existing WebAuthn API call for new one",
            "AbortError",
        )
        .map(JsValue::from)
        .unwrap_or(JsValue::UNDEFINED);
        previous.abort_with_reason(&reason);
    }
    Ok(signal)
}

/// The credential as the server reads it: the browser's own `toJSON()` where it has one (as
/// auth-js prefers), else built from the response's buffers.
fn credential_json(credential: &JsValue, kind: WebAuthnCeremony) -> Result<JsonValue, AuthError> {
    let unreadable = || AuthError::unknown("The browser's WebAuthn credential could not be read");
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if let Ok(to_json) = get(credential, "toJSON").dyn_into::<js_sys::Function>() {
        let value = to_json.call0(credential).map_err(|_| unreadable())?;
        return from_js(&value).ok_or_else(unreadable);
    }
    let id = get(credential, "id").as_string().ok_or_else(unreadable)?;
    let response = get(credential, "response");
    let keys: &[&str] = match kind {
        WebAuthnCeremony::Create => &["attestationObject", "clientDataJSON"],
        WebAuthnCeremony::Request => &["authenticatorData", "clientDataJSON", "signature", "userHandle"],
    };
    let mut members = Vec::new();
    for key in keys {
        let value = get(&response, key);
        if value.is_null() || value.is_undefined() {
            continue;
        }
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        members.push((*key, bytes));
    }
    let extensions = get(credential, "getClientExtensionResults")
        .dyn_into::<js_sys::Function>()
        .ok()
        .and_then(|results| results.call0(credential).ok())
        .and_then(|results| from_js(&results))
        .unwrap_or_else(|| JsonValue::Object(JsonObject::new()));
    let attachment = get(credential, "authenticatorAttachment").as_string();
    Ok(ceremony::credential_json(&id, &members, extensions, attachment))
}

/// A JS value through `JSON.stringify`, read as JSON.
fn from_js(value: &JsValue) -> Option<JsonValue> {
    let text = js_sys::JSON::stringify(value).ok()?.as_string()?;
    crate::json::parse(&text).ok()
}

/// JSON as a fresh JS object.
fn js_object(value: &JsonValue) -> Result<JsValue, AuthError> {
    js_sys::JSON::parse(&value.to_json_string())
        .map_err(|_| AuthError::unknown("The server's WebAuthn options could not be read"))
}

fn buffer(bytes: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(bytes).buffer().into()
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    if target.is_object() {
        let _ = js_sys::Reflect::set(target, &key.into(), value);
    }
}
