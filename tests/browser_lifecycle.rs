//! The browser lifecycle in one page: sessions detected in the URL (set with
//! `history.replaceState`), events, refresh coordination with short-lived tokens, storage
//! fallbacks and custom storage.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use gotrue_wasm::*;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn auth_on(url: &str, key: &str, storage: BrowserStorage) -> Rc<BrowserAuth> {
    let options = ClientOptions::new(url).storage_key(key).auto_refresh_token(false);
    BrowserAuth::new(options, storage, DetectSessionInUrl::On)
}

fn record(auth: &BrowserAuth) -> Rc<RefCell<Vec<String>>> {
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    auth.on_auth_state_change(move |event, session| {
        let who = session.map(|s| s.user.email.clone()).unwrap_or_else(|| "-".into());
        sink.borrow_mut().push(format!("{}:{who}", event.as_str()));
    });
    events
}

/// A real session from `url` (an autoconfirm server), to put in a URL.
async fn fresh_session(url: &str) -> Session {
    let (client, _) = client(url);
    client.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap()
}

fn page_path() -> String {
    location_href().split(['?', '#']).next().unwrap().to_string()
}

fn implicit_fragment(session: &Session, extra: &str) -> String {
    format!(
        "access_token={}&expires_at={}&expires_in={}&refresh_token={}&sb=&token_type=bearer{extra}",
        session.access_token.expose(),
        session.expires_at,
        session.expires_in,
        session.refresh_token.expose()
    )
}

#[wasm_bindgen_test]
async fn an_implicit_session_in_the_url_is_detected_and_removed_from_it() {
    let session = fresh_session(AUTOCONFIRM_URL).await;
    let original = location_href();
    let path = page_path();
    set_location(&format!("{path}?keep=1#/router/page#{}", implicit_fragment(&session, "&type=recovery")));
    let key = format!("detect-{}", unique());
    let auth = auth_on(AUTOCONFIRM_URL, &key, BrowserStorage::local_or_memory());
    let events = record(&auth);
    let outcome = auth.initialize().await;
    let after = location_href();
    set_location(&original);
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    assert_eq!(after, format!("{path}?keep=1#/router/page"), "only the auth parameters are removed");
    let current = auth.client().get_session().await.unwrap().expect("session saved");
    assert_eq!(current.refresh_token, session.refresh_token);
    assert!(stored(&key).is_some());
    let email = &session.user.email;
    assert_eq!(*events.borrow(), vec![format!("INITIAL_SESSION:{email}"), format!("PASSWORD_RECOVERY:{email}")]);
    auth.dispose();
}

#[wasm_bindgen_test]
async fn an_error_in_the_url_is_typed_and_keeps_the_session() {
    let original = location_href();
    let key = format!("error-{}", unique());
    let (signed_in, _) = client(AUTOCONFIRM_URL);
    let session = signed_in.sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    store(&key, &js_sys::JSON::stringify(&stored_form(&session)).unwrap().as_string().unwrap());
    set_location(&format!(
        "{}#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired&sb=",
        page_path()
    ));
    let auth = auth_on(AUTOCONFIRM_URL, &key, BrowserStorage::local_or_memory());
    let outcome = auth.initialize().await;
    let after = location_href();
    set_location(&original);
    let error = outcome.error.expect("a redirect error");
    assert_eq!(error.kind(), AuthErrorKind::ImplicitGrantRedirect);
    assert_eq!(error.details().and_then(|d| d.code.as_deref()), Some("otp_expired"));
    assert!(!after.contains("error"), "{after}");
    let kept = auth.client().get_session().await.unwrap().expect("existing session kept");
    assert_eq!(kept.access_token, session.access_token);
    auth.dispose();
}

/// The session in auth-js's storage shape, built by hand so the test does not reuse the
/// code under test.
fn stored_form(session: &Session) -> JsValue {
    let object = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&object, &k.into(), &v).unwrap();
    set("access_token", session.access_token.expose().into());
    set("refresh_token", session.refresh_token.expose().into());
    set("token_type", "bearer".into());
    set("expires_in", (session.expires_in as f64).into());
    set("expires_at", (session.expires_at as f64).into());
    let user = js_sys::Object::new();
    js_sys::Reflect::set(&user, &"id".into(), &session.user.id.as_str().into()).unwrap();
    js_sys::Reflect::set(&user, &"email".into(), &session.user.email.as_str().into()).unwrap();
    js_sys::Reflect::set(&user, &"aud".into(), &"authenticated".into()).unwrap();
    set("user", user.into());
    object.into()
}

#[wasm_bindgen_test]
async fn another_librarys_fragment_is_left_alone() {
    let original = location_href();
    let foreign = format!("{}#state=abc&foo=bar", page_path());
    set_location(&foreign);
    let key = format!("foreign-{}", unique());
    let auth = auth_on(MAIN_URL, &key, BrowserStorage::local_or_memory());
    let outcome = auth.initialize().await;
    let after = location_href();
    set_location(&original);
    assert!(outcome.error.is_none());
    assert_eq!(after, foreign);
    assert!(stored(&key).is_none());
    auth.dispose();
}

#[wasm_bindgen_test]
async fn a_predicate_can_refuse_a_callback() {
    let session = fresh_session(AUTOCONFIRM_URL).await;
    let original = location_href();
    let url = format!("{}#{}", page_path(), implicit_fragment(&session, ""));
    set_location(&url);
    let key = format!("predicate-{}", unique());
    let auth = BrowserAuth::new(
        ClientOptions::new(AUTOCONFIRM_URL).storage_key(&key).auto_refresh_token(false),
        BrowserStorage::local_or_memory(),
        DetectSessionInUrl::When(Box::new(|_, params| params.get("provider_token").is_some())),
    );
    let outcome = auth.initialize().await;
    let after = location_href();
    set_location(&original);
    assert!(outcome.error.is_none());
    assert_eq!(after, url, "not ours by the predicate: untouched");
    assert!(stored(&key).is_none());
    auth.dispose();
}

#[wasm_bindgen_test]
async fn subscribers_get_initial_session_first_and_late_ones_too() {
    let key = format!("events-{}", unique());
    let auth = auth_on(AUTOCONFIRM_URL, &key, BrowserStorage::local_or_memory());
    let early = record(&auth);
    auth.initialize().await;
    let email = unique_email();
    auth.client().sign_up(SignUpCredentials::email(&email, PASSWORD)).await.unwrap();
    let late = record(&auth);
    sleep_ms(50).await;
    auth.client().sign_out(SignOutScope::Local).await.unwrap();
    assert_eq!(
        *early.borrow(),
        vec!["INITIAL_SESSION:-".to_string(), format!("SIGNED_IN:{email}"), "SIGNED_OUT:-".into()]
    );
    assert_eq!(*late.borrow(), vec![format!("INITIAL_SESSION:{email}"), "SIGNED_OUT:-".into()]);
    auth.dispose();
}

#[wasm_bindgen_test]
async fn concurrent_refreshes_of_short_lived_tokens_make_one_request() {
    let key = format!("single-{}", unique());
    let auth = auth_on(SHORT_URL, &key, BrowserStorage::local_or_memory());
    auth.initialize().await;
    let session =
        auth.client().sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    assert!(session.expires_in <= 5, "the short server issues 5 s tokens");
    let before = refresh_count(SHORT_URL).await;
    // Inside the 90 s margin already: every get_session wants a refresh.
    let client = auth.client();
    let (a, b) = futures_join(client.get_session(), client.get_session()).await;
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_eq!(a.access_token, b.access_token);
    assert_ne!(a.refresh_token, session.refresh_token);
    assert_eq!(refresh_count(SHORT_URL).await - before, 1.0);
    auth.dispose();
}

#[wasm_bindgen_test]
async fn a_sign_out_during_a_refresh_wins() {
    let key = format!("guard-{}", unique());
    let auth = auth_on(SHORT_URL, &key, BrowserStorage::local_or_memory());
    auth.initialize().await;
    auth.client().sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap();
    let sign_out_meanwhile = async {
        // The short server answers refreshes after 300 ms.
        sleep_ms(100).await;
        web_sys::window().unwrap().local_storage().unwrap().unwrap().remove_item(&key).unwrap();
    };
    let (refreshed, ()) = futures_join(auth.client().refresh_session(), sign_out_meanwhile).await;
    assert_eq!(refreshed.unwrap_err().kind(), AuthErrorKind::RefreshDiscarded);
    assert!(stored(&key).is_none());
    auth.dispose();
}

#[wasm_bindgen_test]
async fn auto_refresh_keeps_a_short_session_alive() {
    let key = format!("auto-{}", unique());
    let options =
        ClientOptions::new(SHORT_URL).storage_key(&key).auto_refresh_tick_ms(500).auto_refresh_threshold_ticks(4);
    let auth = BrowserAuth::new(options, BrowserStorage::local_or_memory(), DetectSessionInUrl::Off);
    let events = record(&auth);
    auth.initialize().await;
    let first =
        auth.client().sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    sleep_ms(6_000).await;
    let now = auth.client().get_session().await.unwrap().unwrap();
    assert_ne!(now.refresh_token, first.refresh_token);
    assert!(events.borrow().iter().any(|e| e.starts_with("TOKEN_REFRESHED")), "{:?}", events.borrow());
    auth.stop_auto_refresh();
    let count = events.borrow().len();
    sleep_ms(3_000).await;
    assert_eq!(events.borrow().len(), count, "stopped: no more refreshes");
    auth.dispose();
}

#[wasm_bindgen_test]
async fn a_full_local_storage_falls_back_to_memory() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let key = format!("quota-{}", unique());
    let auth = auth_on(AUTOCONFIRM_URL, &key, BrowserStorage::local_or_memory());
    auth.initialize().await;
    // Fill localStorage until not even 64 more characters fit.
    let mut fillers = Vec::new();
    let mut size = 1024 * 1024;
    while size >= 64 && fillers.len() < 500 {
        let filler = format!("filler-{key}-{}", fillers.len());
        if storage.set_item(&filler, &"x".repeat(size)).is_ok() {
            fillers.push(filler);
        } else {
            size /= 2;
        }
    }
    let result = auth.client().sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await;
    let session = auth.client().get_session().await;
    for filler in &fillers {
        storage.remove_item(filler).unwrap();
    }
    let signed_up = result.expect("sign-up works with storage full").session.unwrap();
    assert_eq!(session.unwrap().unwrap().access_token, signed_up.access_token, "kept in memory");
    assert!(!auth.client().storage().is_persistent());
    auth.dispose();
}

#[wasm_bindgen_test]
async fn a_custom_async_storage_holds_the_session() {
    let object = js_sys::eval(
        "({ data: {}, calls: 0,
            getItem(k) { this.calls++; return Promise.resolve(k in this.data ? this.data[k] : null); },
            setItem(k, v) { this.calls++; return new Promise(r => setTimeout(() => { this.data[k] = v; r(); }, 5)); },
            removeItem(k) { this.calls++; delete this.data[k]; } })",
    )
    .unwrap();
    let key = format!("custom-{}", unique());
    let auth = auth_on(AUTOCONFIRM_URL, &key, BrowserStorage::custom(object.clone()));
    auth.initialize().await;
    let session =
        auth.client().sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap().session.unwrap();
    let data = js_sys::Reflect::get(&object, &"data".into()).unwrap();
    let saved =
        js_sys::Reflect::get(&data, &key.as_str().into()).unwrap().as_string().expect("saved in the custom storage");
    assert!(saved.contains(session.refresh_token.expose()));
    assert!(stored(&key).is_none(), "not in localStorage");
    auth.client().sign_out(SignOutScope::Local).await.unwrap();
    assert!(js_sys::Reflect::get(&data, &key.as_str().into()).unwrap().is_undefined());
    auth.dispose();

    let throwing =
        js_sys::eval("({ getItem() { return null; }, setItem() { throw new Error('disk full'); }, removeItem() {} })")
            .unwrap();
    let auth = auth_on(AUTOCONFIRM_URL, &format!("throwing-{}", unique()), BrowserStorage::custom(throwing));
    auth.initialize().await;
    let error = auth.client().sign_up(SignUpCredentials::email(unique_email(), PASSWORD)).await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Storage);
    auth.dispose();
}

/// Polls two futures together (no executor crate in the tests).
async fn futures_join<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::Poll;
    let mut a = Box::pin(a);
    let mut b = Box::pin(b);
    let mut out_a = None;
    let mut out_b = None;
    std::future::poll_fn(move |cx| {
        if out_a.is_none() {
            if let Poll::Ready(v) = Pin::new(&mut a).as_mut().poll(cx) {
                out_a = Some(v);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(v) = Pin::new(&mut b).as_mut().poll(cx) {
                out_b = Some(v);
            }
        }
        if out_a.is_some() && out_b.is_some() {
            Poll::Ready((out_a.take().unwrap(), out_b.take().unwrap()))
        } else {
            Poll::Pending
        }
    })
    .await
}

/// Where there is no BroadcastChannel, another tab's writes to the session key arrive as
/// `storage` events: a new value is SIGNED_IN (TOKEN_REFRESHED when there was one before),
/// a removed value SIGNED_OUT.
#[wasm_bindgen_test]
async fn without_broadcast_channel_storage_events_stand_in() {
    let window: JsValue = js_sys::global().into();
    let name = JsValue::from_str("BroadcastChannel");
    let channel = js_sys::Reflect::get(&window, &name).unwrap();
    js_sys::Reflect::set(&window, &name, &JsValue::UNDEFINED).unwrap();
    let key = format!("storage-event-{}", unique());
    let auth = auth_on(AUTOCONFIRM_URL, &key, BrowserStorage::local_or_memory());
    js_sys::Reflect::set(&window, &name, &channel).unwrap();
    auth.initialize().await;
    let events = record(&auth);
    sleep_ms(50).await;
    let session = fresh_session(AUTOCONFIRM_URL).await;
    let text = session.to_json_string();
    let dispatch = js_sys::Function::new_with_args(
        "key, newValue, oldValue",
        "window.dispatchEvent(new StorageEvent('storage', { key, newValue, oldValue }))",
    );
    let (key_value, text_value) = (JsValue::from_str(&key), JsValue::from_str(&text));
    dispatch.call3(&JsValue::NULL, &key_value, &text_value, &JsValue::NULL).unwrap();
    dispatch.call3(&JsValue::NULL, &key_value, &text_value, &text_value).unwrap();
    dispatch.call3(&JsValue::NULL, &key_value, &JsValue::NULL, &text_value).unwrap();
    // Another key's events are not ours.
    dispatch.call3(&JsValue::NULL, &"other-key".into(), &text_value, &JsValue::NULL).unwrap();
    let email = &session.user.email;
    assert_eq!(
        *events.borrow(),
        [
            "INITIAL_SESSION:-".to_string(),
            format!("SIGNED_IN:{email}"),
            format!("TOKEN_REFRESHED:{email}"),
            "SIGNED_OUT:-".to_string()
        ]
    );
    auth.dispose();
}
