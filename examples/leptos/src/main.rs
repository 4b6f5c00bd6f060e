//! gotrue-wasm in a Leptos 0.8 client-side app: sign in with a password, with GitHub (OAuth,
//! PKCE flow) or with a passkey; show the user; register, list, rename and delete passkeys; add
//! a security key as a second factor (WebAuthn MFA) and step up to aal2 with it; sign out.
//!
//! How the pieces fit, the Leptos way:
//! - One [`BrowserAuth`] for the app, made in the root component. It is an `Rc` (the browser
//!   is single-threaded and the client is not `Send`), while Leptos 0.8's context and signals
//!   want `Send + Sync` values: `StoredValue::new_local` keeps the `Rc` in the reactive arena
//!   (owned by the root component, freed with it) and hands out a `Copy + Send + Sync` handle.
//!   That handle goes into context inside [`Auth`].
//! - The session lives in a signal fed by `on_auth_state_change`: every change, from this
//!   tab (sign-in, refresh, sign-out), another tab, or the OAuth redirect detected at start-up,
//!   arrives as an event, so the views only read the signal and never poll.
//! - Operations run with `spawn_local` (their futures are not `Send`); what they change
//!   comes back through the event, and only errors are handled at the call site.

use std::rc::Rc;

use gotrue_wasm::{
    AuthError, AuthErrorKind, BrowserAuth, BrowserStorage, ClientOptions, DetectSessionInUrl, FlowType, Passkey,
    PasskeyOptions, Session, SignInWithOAuthCredentials, SignInWithPasswordCredentials, SignOutScope, Subscription,
    WebAuthnOptions,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What every component needs from auth: the client, the session, and where errors go.
#[derive(Clone, Copy)]
struct Auth {
    client: StoredValue<Rc<BrowserAuth>, LocalStorage>,
    session: ReadSignal<Option<Session>>,
    set_error: WriteSignal<Option<AuthError>>,
}

impl Auth {
    fn from_context() -> Auth {
        use_context::<Auth>().expect("Auth is provided by App")
    }

    /// Runs an operation on the client; its effect arrives as an auth event, its error here.
    fn run<F, Fut>(self, operation: F)
    where
        F: FnOnce(Rc<BrowserAuth>) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<(), AuthError>> + 'static,
    {
        self.run_then(operation, |()| ());
    }

    /// As [`Auth::run`], handing a success's value to `done` (e.g. a status line).
    fn run_then<T, F, Fut>(self, operation: F, done: impl FnOnce(T) + 'static)
    where
        F: FnOnce(Rc<BrowserAuth>) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<T, AuthError>> + 'static,
    {
        let client = self.client.get_value();
        self.set_error.set(None);
        spawn_local(async move {
            match operation(client).await {
                Ok(value) => done(value),
                Err(error) => self.set_error.set(Some(error)),
            }
        });
    }
}

/// The auth server's URL, from `window.GOTRUE_URL` (config.js).
fn auth_url() -> String {
    web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window, &"GOTRUE_URL".into()).ok())
        .and_then(|url| url.as_string())
        .unwrap_or_else(|| "http://127.0.0.1:9912".to_string())
}

/// This page without query or fragment: where OAuth comes back to.
fn here() -> String {
    let location = web_sys::window().map(|window| window.location());
    let origin = location.as_ref().and_then(|location| location.origin().ok()).unwrap_or_default();
    let path = location.as_ref().and_then(|location| location.pathname().ok()).unwrap_or_default();
    format!("{origin}{path}")
}

/// Hands the session to the page's JavaScript as a plain object (`window.currentSession`,
/// `null` when signed out) with the `serde` feature's `to_js_value`, as an app would for a JS
/// library; `window.sessionRoundTrip` says whether `from_js_value` reads it back unchanged.
fn publish_to_js(session: Option<&Session>) {
    let Some(window) = web_sys::window() else { return };
    let (value, round_trip) = match session {
        Some(session) => match gotrue_wasm::to_js_value(session) {
            Ok(value) => {
                let back = gotrue_wasm::from_js_value::<Session>(value.clone());
                (value, matches!(back, Ok(ref read) if read == session))
            }
            Err(_) => (wasm_bindgen::JsValue::NULL, false),
        },
        None => (wasm_bindgen::JsValue::NULL, true),
    };
    let _ = js_sys::Reflect::set(&window, &"currentSession".into(), &value);
    let _ = js_sys::Reflect::set(&window, &"sessionRoundTrip".into(), &round_trip.into());
}

#[component]
fn App() -> impl IntoView {
    let auth = BrowserAuth::new(
        ClientOptions::new(auth_url())
            .header("apikey", "anon-key")
            .storage_key("leptos-example-auth")
            .flow_type(FlowType::Pkce),
        BrowserStorage::local_or_memory(),
        DetectSessionInUrl::On,
    );
    let (session, set_session) = signal(None::<Session>);
    let (error, set_error) = signal(None::<AuthError>);
    let (ready, set_ready) = signal(false);

    // Every auth event (INITIAL_SESSION first) sets the session signal. The subscription is
    // kept for as long as the app lives.
    let subscription: Subscription = auth.on_auth_state_change(move |_event, session| {
        publish_to_js(session);
        set_session.set(session.cloned());
    });
    let _subscription = StoredValue::new_local(subscription);

    let client = StoredValue::new_local(auth.clone());
    provide_context(Auth { client, session, set_error });
    on_cleanup(move || {
        let _ = client.try_with_value(|auth| auth.dispose());
    });

    // Reads the OAuth redirect (?code=) or the stored session, then starts auto refresh.
    spawn_local(async move {
        if let Some(problem) = auth.initialize().await.error {
            set_error.set(Some(problem));
        }
        set_ready.set(true);
    });

    // Views switch only when the signed-in state flips, not on every token refresh.
    let signed_in = Memo::new(move |_| session.with(Option::is_some));

    view! {
        <main>
            <h1>"gotrue-wasm · Leptos"</h1>
            <Show when=move || ready.get() fallback=|| view! { <p id="status">"Loading…"</p> }>
                <Show when=move || signed_in.get() fallback=|| view! { <SignInForm /> }>
                    <SignedIn />
                </Show>
            </Show>
            <p id="error" role="alert">{move || error.with(|error| error.as_ref().map(|e| e.message().to_string()))}</p>
            // The error's code (the server's, or auth-js's WebAuthn code for a refused ceremony).
            <p id="error-code" hidden>{move || error.with(|error| error.as_ref().and_then(|e| e.code().map(str::to_string)))}</p>
        </main>
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let auth = Auth::from_context();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let sign_in = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let credentials = SignInWithPasswordCredentials::email(email.get_untracked(), password.get_untracked());
        auth.run(|client| async move { client.client().sign_in_with_password(credentials).await.map(drop) });
    };
    // Navigates to the provider; the PKCE verifier waits in localStorage for the way back.
    let with_github = move |_| {
        let credentials = SignInWithOAuthCredentials::new("github").redirect_to(here());
        auth.run(|client| async move { client.sign_in_with_oauth(&credentials).await.map(drop) });
    };

    // A discoverable passkey names the account: no email needed.
    let with_passkey = move |_| {
        auth.run(|client| async move { client.sign_in_with_passkey(&PasskeyOptions::new()).await.map(drop) });
    };

    view! {
        <form id="sign-in-form" on:submit=sign_in>
            <input id="email" type="email" placeholder="Email" autocomplete="username" bind:value=email />
            <input id="password" type="password" placeholder="Password" autocomplete="current-password" bind:value=password />
            <button id="sign-in" type="submit">"Sign in"</button>
        </form>
        <button id="github" on:click=with_github>"Sign in with GitHub"</button>
        <button id="passkey-sign-in" on:click=with_passkey>"Sign in with a passkey"</button>
    }
}

#[component]
fn SignedIn() -> impl IntoView {
    let auth = Auth::from_context();
    // Derived from the session in context: follows refreshes and USER_UPDATED events.
    let user = Memo::new(move |_| auth.session.get().map(|session| session.user));
    let email = move || user.get().map(|user| user.email).unwrap_or_default();
    let provider = move || {
        user.get()
            .and_then(|user| user.app_metadata.get("provider").and_then(|value| value.as_str()).map(str::to_string))
            .unwrap_or_default()
    };
    // The user as the server has it now (GET /user), loaded once this view shows.
    let fresh = LocalResource::new(move || {
        let client = auth.client.get_value();
        async move { client.client().get_user().await.map(|user| user.id).map_err(|error| error.message().to_string()) }
    });
    let sign_out = move |_| auth.run(|client| async move { client.client().sign_out(SignOutScope::Local).await });
    // The assurance level of the session's access token: aal2 after a second factor.
    let aal = move || {
        auth.session
            .with(|session| session.as_ref().and_then(|s| gotrue_wasm::decode_claims(s.access_token.expose()).ok()))
            .and_then(|claims| claims.aal)
            .unwrap_or_default()
    };

    view! {
        <section id="user">
            <p>"Signed in as " <strong id="user-email">{email}</strong></p>
            <p>"Provider: " <span id="user-provider">{provider}</span></p>
            <p>
                "Server says: "
                <Suspense fallback=|| "…">
                    <span id="user-id">
                        {move || fresh.get().map(|answer| answer.unwrap_or_else(|error| format!("error: {error}")))}
                    </span>
                </Suspense>
            </p>
            <p>"Assurance level: " <span id="aal">{aal}</span></p>
            <button id="sign-out" on:click=sign_out>"Sign out"</button>
        </section>
        <Passkeys />
        <SecurityKey />
    }
}

/// Passkeys: register one for this account (the sign-in form signs in with it), and the
/// account's passkeys as the server lists them, each with rename and delete.
#[component]
fn Passkeys() -> impl IntoView {
    let auth = Auth::from_context();
    let status = RwSignal::new(String::new());
    // Bumped after every change: the list is fetched again.
    let changed = RwSignal::new(0u32);
    let passkeys = LocalResource::new(move || {
        changed.track();
        let client = auth.client.get_value();
        async move { client.client().passkey_list().await.map_err(|error| error.message().to_string()) }
    });
    let register = move |_| {
        auth.run_then(
            |client| async move { client.register_passkey(&PasskeyOptions::new()).await },
            move |passkey| {
                status.set(format!("Registered passkey {}", passkey.id));
                changed.update(|n| *n += 1);
            },
        );
    };
    view! {
        <section id="passkeys">
            <h2>"Passkeys"</h2>
            <button id="register-passkey" on:click=register>"Register a passkey"</button>
            <p id="passkey-status">{move || status.get()}</p>
            <ul id="passkey-list">
                {move || {
                    passkeys
                        .get()
                        .map(|answer| match answer {
                            Ok(list) => {
                                list.into_iter()
                                    .map(|passkey| view! { <PasskeyRow passkey changed /> })
                                    .collect_view()
                                    .into_any()
                            }
                            Err(error) => view! { <li class="passkey-error">{error}</li> }.into_any(),
                        })
                }}
            </ul>
        </section>
    }
}

/// One passkey: its name, a new name to give it, and delete.
#[component]
fn PasskeyRow(passkey: Passkey, changed: RwSignal<u32>) -> impl IntoView {
    let auth = Auth::from_context();
    let name = RwSignal::new(passkey.friendly_name.clone().unwrap_or_default());
    let id = passkey.id.clone();
    let rename = {
        let id = id.clone();
        move |_| {
            let (id, new_name) = (id.clone(), name.get_untracked());
            auth.run_then(
                |client| async move { client.client().passkey_update(&id, &new_name).await },
                move |_| changed.update(|n| *n += 1),
            );
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            auth.run_then(
                |client| async move { client.client().passkey_delete(&id).await },
                move |()| changed.update(|n| *n += 1),
            );
        }
    };
    view! {
        <li class="passkey" data-id=id>
            <span class="passkey-name">{passkey.friendly_name.unwrap_or_default()}</span>
            <input class="passkey-new-name" placeholder="New name" bind:value=name />
            <button class="passkey-rename" on:click=rename>"Rename"</button>
            <button class="passkey-delete" on:click=delete>"Delete"</button>
        </li>
    }
}

/// A security key as second factor (WebAuthn MFA): register it (enroll, challenge, the
/// browser's ceremony, verify: the session becomes aal2), or step up with the one registered.
#[component]
fn SecurityKey() -> impl IntoView {
    let auth = Auth::from_context();
    let name = RwSignal::new("Security key".to_string());
    let status = RwSignal::new(String::new());
    let register = move |_| {
        let friendly_name = name.get_untracked();
        auth.run_then(
            |client| async move { client.mfa_webauthn_register(&friendly_name, &WebAuthnOptions::new()).await },
            move |_| status.set("Security key registered".into()),
        );
    };
    let authenticate = move |_| {
        auth.run_then(
            |client| async move {
                let factors = client.client().mfa_list_factors().await?;
                let key = factors
                    .webauthn
                    .first()
                    .ok_or_else(|| AuthError::new(AuthErrorKind::Unknown, "No security key registered"))?;
                client.mfa_webauthn_authenticate(&key.id, &WebAuthnOptions::new()).await
            },
            move |_| status.set("Verified with the security key".into()),
        );
    };
    view! {
        <section id="security-key">
            <h2>"Security key (WebAuthn MFA)"</h2>
            <input id="security-key-name" placeholder="Name" bind:value=name />
            <button id="register-security-key" on:click=register>"Register a security key"</button>
            <button id="authenticate-security-key" on:click=authenticate>"Verify with the security key"</button>
            <p id="security-key-status">{move || status.get()}</p>
        </section>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
