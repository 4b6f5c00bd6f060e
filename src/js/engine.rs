//! The generic request engine: most operations of the JS API are one request built from the
//! method's arguments, one answer shaped into `{ data, error }`, perhaps a session stored and
//! an event sent. Those are rows of [`OPS`], run by the one async function [`run`], instead
//! of an async body each (each such body cost about 1.3 KB gzip in the wasm; a row costs
//! tens of bytes). Operations with logic of their own (OAuth URLs, refresh, the session
//! itself) stay as code in the modules beside this one; getClaims, signInWithWeb3 and the
//! WebAuthn ceremonies are composed by the JS facade over rows of this table.
//!
//! Arguments are read where they sit in the JSON array of the method's arguments: a source
//! is `"<index>.<member>.<member>…"` (`"0.options.redirectTo"`), and members are copied to
//! the request body as the caller gave them; the server judges them, as it does for auth-js.

use super::inputs::Args;
use super::model::BrowserAuth;
use super::results::{self, Data};
use crate::http::{ApiCall, Method};
use crate::json::{ObjectWriter, ToJson};
use crate::types::{JsonValue, TokenResponse};
use crate::{AuthChangeEvent, AuthError, FromJson};

/// Who the request is made as.
#[derive(Clone, Copy)]
pub(super) enum Bearer {
    /// The API key alone.
    Anon,
    /// The current session's access token (`AuthSessionMissingError` without one).
    Session,
    /// The session's access token when there is one; without, the server judges (auth-js
    /// sends MFA requests so).
    SessionIfAny,
    /// The admin API's service key.
    Service,
    /// A token the caller passes (a string argument).
    Arg(&'static str),
    /// The token the caller passes when there is one, else the session's (required). A
    /// server that no longer knows the session (`session_not_found`) signs it out here, as
    /// auth-js's getUser does.
    ArgOrSession(&'static str),
}

/// When a PKCE flow is started for the request (in the PKCE flow type only).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pkce {
    No,
    /// When the request is for an email address (`0.email`).
    Email,
    /// A password recovery.
    Recovery,
    /// Always (SSO).
    Always,
}

/// How the answer becomes `data`. Where `data` is the server's JSON in another shape, the
/// facade shapes it (`pkg-template/client.js`, each method's `shape`): JS builds objects from
/// parsed JSON for a few bytes, where writing them here cost kilobytes of wasm.
#[derive(Clone, Copy)]
pub(super) enum Answer {
    /// The answer's JSON as it is (shaped by the facade where auth-js wraps it).
    Whole,
    /// The answer is a user: an object with an id (anything else did not come from the
    /// server). The facade wraps it as `{ user }`.
    User,
    /// The answer must be an object (`generate_link`'s flat answer, split by the facade).
    Object,
    /// A list page: `[answer, nextPage, lastPage, total, total if the Link header came]`, the
    /// pages read from its `Link` header and the total from `X-Total-Count`, for the facade.
    Listed,
    /// `{ user: null, session: null }`, and `messageId: answer.message_id` for a phone.
    Sent,
    /// No `data` of interest: `{}`.
    Nothing,
    /// `data: null`.
    Null,
    /// A session when the answer carries one (stored, then `SIGNED_IN`, or
    /// `PASSWORD_RECOVERY` for a recovery `type`); else as `otherwise` says.
    Session { otherwise: Otherwise },
    /// `{ user: null, session: null }`, whatever the body.
    Blank,
    /// The answer is the user: it replaces the session's user, then `USER_UPDATED`.
    UpdatedUser,
    /// The answer is a session from an MFA verification: stored, then
    /// `MFA_CHALLENGE_VERIFIED`; `data` is the session itself, as auth-js has it.
    VerifiedSession,
}

/// A local check of the arguments.
type Check = fn(&Args) -> Result<(), AuthError>;

/// What a session answer without a session means.
#[derive(Clone, Copy)]
pub(super) enum Otherwise {
    /// The answer is the new user (sign-up with confirmation): `{ user, session: null }`.
    User,
    /// Any object is the first of two confirmations: `{ user: null, session: null }`.
    NoSession,
    /// An error: a sign-in answers with a session or not at all.
    Error,
}

/// The answer's JSON. A success status whose body is not JSON at all (empty, cut short, a
/// captive portal's page) is retryable, as for every other request: the answer was lost.
fn read(response: &crate::HttpResponse) -> Result<JsonValue, AuthError> {
    crate::json::parse(&response.body).map_err(|error| match error.field_name() {
        None => AuthError::unreadable_answer(response.status),
        Some(_) => error.into(),
    })
}

/// One operation as data.
pub(super) struct Op {
    /// The JS method's name (`mfa.` / `admin.` / `admin.mfa.` prefixed).
    pub(super) name: &'static str,
    method: Method,
    /// The path; each `{}` is the next of `path_args`.
    path: &'static str,
    /// `(source, name)` of the string arguments placed in the path (encoded; as given when
    /// `name` is empty).
    path_args: &'static [(&'static str, &'static str)],
    /// `(key, source)` of the query; a source that starts with `=` is a default value.
    query: &'static [(&'static str, &'static str)],
    /// The source of `redirect_to` in the query (the PKCE flow's id is added to it).
    redirect: &'static str,
    /// `redirect_to` goes in the body instead of the query.
    redirect_in_body: bool,
    /// `(key, source)` of the body's members; a source that starts with `=` is that JSON
    /// text itself (a default when the caller gave nothing for the key before it).
    body: &'static [(&'static str, &'static str)],
    /// The source of the CAPTCHA token (`gotrue_meta_security`).
    captcha: &'static str,
    /// The whole body is this argument, as given.
    body_arg: &'static str,
    bearer: Bearer,
    pkce: Pkce,
    /// Local checks auth-js makes before sending.
    check: Option<Check>,
    /// auth-js's message when the argument has neither `email` nor `phone`; with both, the
    /// email wins (the phone is not sent), as auth-js reads them.
    contact: &'static str,
    answer: Answer,
    /// `data` on failure ([`results::ERROR_ONLY`], [`results::NULL`], …).
    pub(super) on_error: &'static str,
}

const fn op(name: &'static str, method: Method, path: &'static str) -> Op {
    Op {
        name,
        method,
        path,
        path_args: &[],
        query: &[],
        redirect: "",
        redirect_in_body: false,
        body: &[],
        captcha: "",
        body_arg: "",
        bearer: Bearer::Anon,
        pkce: Pkce::No,
        check: None,
        contact: "",
        answer: Answer::Whole,
        on_error: results::NULL,
    }
}

/// The value at `source` in the arguments; `None` for missing and `null`.
pub(super) fn pick<'a>(args: &'a Args, source: &str) -> Option<&'a JsonValue> {
    let mut parts = crate::text::split(source, b'.');
    let index = parts.next()?.bytes().next()?.checked_sub(b'0')?;
    let mut value = args.value(usize::from(index));
    for key in parts {
        value = value.get(key)?;
    }
    (!matches!(value, JsonValue::Null)).then_some(value)
}

fn pick_str<'a>(args: &'a Args, source: &str) -> Option<&'a str> {
    if source.is_empty() {
        return None;
    }
    pick(args, source).and_then(JsonValue::as_str)
}

fn must_be_string(name: &str) -> AuthError {
    let mut message = String::from(name);
    message.push_str(" must be a string");
    AuthError::invalid_credentials(message)
}

fn object_argument(args: &Args) -> Result<(), AuthError> {
    args.object(0).map(|_| ())
}

/// Runs `op` with `args`: the `{ data, error }` JSON text.
#[inline(never)]
pub(super) async fn run(auth: &BrowserAuth, op: &Op, args: &Args) -> String {
    results::reply(send(auth, op, args).await, op.on_error)
}

async fn send(auth: &BrowserAuth, op: &Op, args: &Args) -> Data {
    let client = auth.client();
    if let Some(check) = op.check {
        check(args)?;
    }
    let by_email = pick(args, "0.email").is_some();
    if !op.contact.is_empty() {
        object_argument(args)?;
        if !by_email && pick(args, "0.phone").is_none() {
            return Err(AuthError::invalid_credentials(op.contact));
        }
    }
    let mut path = String::new();
    let mut given = op.path_args.iter();
    // Split at `{` and drop the `}` after it: a `&str` pattern would link core's substring
    // searcher into the wasm for this alone.
    for (index, piece) in crate::text::split(op.path, b'{').enumerate() {
        if index > 0 {
            if let Some((source, name)) = given.next() {
                let value = pick_str(args, source);
                // No name: text the facade wrote itself (a whole query), placed as it is.
                if name.is_empty() {
                    path.push_str(value.unwrap_or_default());
                } else {
                    path.push_str(&crate::url::encode_component(value.ok_or_else(|| must_be_string(name))?));
                }
            }
        }
        path.push_str(piece.strip_prefix('}').unwrap_or(piece));
    }
    let mut session = None;
    let mut call = ApiCall::new(op.method, path);
    match op.bearer {
        Bearer::Anon => {}
        Bearer::Service => call = call.bearer(&service_key(&auth.client().options().headers)),
        Bearer::Arg(source) => call = call.bearer(pick_str(args, source).ok_or_else(|| must_be_string("jwt"))?),
        Bearer::ArgOrSession(source) if pick(args, source).is_some() => {
            call = call.bearer(pick_str(args, source).ok_or_else(|| must_be_string("jwt"))?)
        }
        Bearer::Session | Bearer::SessionIfAny | Bearer::ArgOrSession(_) => {
            let current = client.get_session().await?;
            if current.is_none() && !matches!(op.bearer, Bearer::SessionIfAny) {
                return Err(AuthError::session_missing());
            }
            call = call.bearer_if(current.as_ref().map(|current| current.access_token.expose()));
            session = current;
        }
    }
    let applies = match op.pkce {
        Pkce::No => false,
        Pkce::Email => pick(args, "0.email").is_some(),
        Pkce::Recovery | Pkce::Always => true,
    };
    let flow = client.start_pkce(applies, op.pkce == Pkce::Recovery).await?;
    let mut last: Option<&str> = None;
    for (key, source) in op.query {
        if let Some(default) = source.strip_prefix('=') {
            if last != Some(key) {
                call = call.query(key, default);
            }
        } else if let Some(value) = pick(args, source) {
            call = call.query(key, scalar_text(value));
            last = Some(key);
            continue;
        }
        last = None;
    }
    let redirect = crate::api::redirect_for(pick_str(args, op.redirect), flow.as_ref());
    if let Some(redirect) = redirect.as_deref().filter(|_| !op.redirect_in_body) {
        call = call.query("redirect_to", redirect);
    }
    if !op.body_arg.is_empty() {
        call = call.raw_json(match pick(args, op.body_arg) {
            Some(value) => value.to_json_string(),
            None => "{}".to_string(),
        });
    } else if op.method != Method::Get {
        let mut body = String::new();
        let mut object = ObjectWriter::new(&mut body);
        let mut last: Option<&str> = None;
        for (key, source) in op.body {
            if let Some(default) = source.strip_prefix('=') {
                if last != Some(key) {
                    object.raw(key, default);
                }
            } else if let Some(value) =
                pick(args, source).filter(|_| !(by_email && *key == "phone" && !op.contact.is_empty()))
            {
                object.field(key, value);
                last = Some(key);
                continue;
            }
            last = None;
        }
        if let Some(redirect) = redirect.as_deref().filter(|_| op.redirect_in_body) {
            object.field("redirect_to", redirect);
        }
        if let Some(token) = pick(args, op.captcha) {
            let mut meta = String::new();
            ObjectWriter::new(&mut meta).field("captcha_token", token).finish();
            object.raw("gotrue_meta_security", &meta);
        }
        crate::api::write_pkce(&mut object, &crate::api::pkce_body(flow.as_ref()));
        object.finish();
        call = call.raw_json(body);
    }
    let response = match client.api().send(call).await {
        Ok(response) => response,
        Err(error) => {
            // getUser's rule: the server no longer knows the session, so it is gone here too.
            let forget =
                error.is_session_missing() && matches!(op.bearer, Bearer::ArgOrSession(_)) && session.is_some();
            if forget && client.remove_session().await.is_ok() {
                client.notify(AuthChangeEvent::SignedOut, None);
            }
            return Err(error);
        }
    };
    let parsed = || read(&response);
    match op.answer {
        Answer::Whole => {
            parsed()?;
            Ok(response.body.clone())
        }
        Answer::User => {
            // A user is an object with an id; anything else did not come from the server.
            if parsed()?.get("id").and_then(JsonValue::as_str).is_none() {
                return Err(crate::JsonError::field("id").into());
            }
            Ok(response.body.clone())
        }
        Answer::Object => match crate::json::parse(&response.body)? {
            JsonValue::Object(_) => Ok(response.body.clone()),
            _ => Err(AuthError::unknown("generate_link answered something else than an object")),
        },
        Answer::Listed => {
            crate::json::parse(&response.body)?;
            Ok(pages(&response))
        }
        Answer::Sent => {
            let body = crate::json::parse(&response.body).unwrap_or_default();
            Ok(results::object(|data| {
                data.raw("user", "null").raw("session", "null");
                // auth-js has `messageId` for a message sent to a phone only.
                if !by_email {
                    data.field("messageId", body.get("message_id").unwrap_or(&JsonValue::Null));
                }
            }))
        }
        Answer::Nothing => Ok("{}".to_string()),
        Answer::Null => Ok(String::new()),
        Answer::Blank => Ok(results::USER_SESSION.to_string()),
        Answer::Session { otherwise } => {
            let body = parsed()?;
            if !crate::api::carries_session(&body) {
                let user = match otherwise {
                    _ if body.as_object().is_none() => {
                        return Err(AuthError::invalid_token_response("The answer is neither a session nor a message"))
                    }
                    Otherwise::User => response.body.as_str(),
                    Otherwise::NoSession => "null",
                    Otherwise::Error => return Err(crate::JsonError::field("access_token").into()),
                };
                return Ok(results::object(|data| {
                    data.raw("user", user).raw("session", "null");
                }));
            }
            let event = if pick_str(args, "0.type") == Some("recovery") {
                AuthChangeEvent::PasswordRecovery
            } else {
                AuthChangeEvent::SignedIn
            };
            let signed_in = client.signed_in(TokenResponse::from_json(&body)?, event).await?;
            Ok(signed_in.to_json_string())
        }
        Answer::UpdatedUser => {
            let mut session = session.ok_or_else(AuthError::session_missing)?;
            session.user = FromJson::from_json(&parsed()?)?;
            client.save_session(&session).await?;
            client.notify(AuthChangeEvent::UserUpdated, Some(&session));
            Ok(results::object(|data| {
                data.field("user", &session.user);
            }))
        }
        Answer::VerifiedSession => {
            let signed_in =
                client.signed_in(TokenResponse::from_json(&parsed()?)?, AuthChangeEvent::MfaChallengeVerified).await?;
            let session =
                signed_in.session.ok_or_else(|| AuthError::invalid_token_response("No session after verify"))?;
            Ok(session.to_json_string())
        }
    }
}

/// A query value as text: strings as they are, anything else as its JSON.
fn scalar_text(value: &JsonValue) -> String {
    match value {
        JsonValue::String(text) => text.clone(),
        other => other.to_json_string(),
    }
}

/// `[answer, nextPage, lastPage, total, total if the Link header came]` of a list page
/// (`GET /admin/users`, `/admin/oauth/clients`, `/admin/custom-providers`): the facade builds
/// auth-js's `{ users | clients | providers, …, nextPage, lastPage, total }` from it.
fn pages(response: &crate::HttpResponse) -> String {
    let link = response.header("link");
    let (next, last) = link.map(crate::api::admin::parse_link_pages).unwrap_or((None, None));
    let total =
        response.header("x-total-count").and_then(|total| crate::json::parse_i64(total.trim_ascii())).unwrap_or(0);
    let page = |page: Option<u64>| page.and_then(|page| i64::try_from(page).ok());
    let mut out = String::from("[");
    out.push_str(&response.body);
    for value in [page(next), Some(page(last).unwrap_or(0)), Some(total), Some(if link.is_some() { total } else { 0 })]
    {
        out.push(',');
        value.write_json(&mut out);
    }
    out.push(']');
    out
}

/// The service key from `Authorization: Bearer …` or `apikey`, read when an admin row runs
/// (start-up and the other operations never need it).
fn service_key(headers: &[(String, String)]) -> String {
    let find = |name: &str| headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    // Prefixes stripped one by one (`trim_start_matches` with a `&str` pattern would link
    // core's substring searcher into the wasm).
    fn strip_all<'a>(mut text: &'a str, prefix: &str) -> &'a str {
        while let Some(rest) = text.strip_prefix(prefix) {
            text = rest;
        }
        text
    }
    find("authorization")
        .map(|value| strip_all(strip_all(&value, "Bearer "), "bearer ").to_string())
        .or_else(|| find("apikey"))
        .unwrap_or_default()
}

/// The operations that are one request.
pub(super) static OPS: &[Op] = &[
    // ---- the admin API -------------------------------------------------------------
    Op {
        body_arg: "0",
        bearer: Bearer::Service,
        check: Some(object_argument),
        answer: Answer::User,
        on_error: results::USER,
        ..op("admin.createUser", Method::Post, "/admin/users")
    },
    Op {
        path_args: &[("0", "uid")],
        bearer: Bearer::Service,
        answer: Answer::User,
        on_error: results::USER,
        ..op("admin.getUserById", Method::Get, "/admin/users/{}")
    },
    Op {
        path_args: &[("0", "uid")],
        body_arg: "1",
        bearer: Bearer::Service,
        answer: Answer::User,
        on_error: results::USER,
        ..op("admin.updateUserById", Method::Put, "/admin/users/{}")
    },
    Op {
        redirect: "1.redirectTo",
        body: &[("email", "0"), ("data", "1.data")],
        bearer: Bearer::Service,
        answer: Answer::User,
        on_error: results::USER,
        ..op("admin.inviteUserByEmail", Method::Post, "/invite")
    },
    Op {
        // After admin.getUserById: the facade answers with the user read before (auth-js's way).
        path_args: &[("0", "id")],
        body: &[("should_soft_delete", "1")],
        bearer: Bearer::Service,
        answer: Answer::Null,
        on_error: results::USER,
        ..op("admin.deleteUser", Method::Delete, "/admin/users/{}")
    },
    Op {
        query: &[("page", "0.page"), ("per_page", "0.perPage")],
        bearer: Bearer::Service,
        answer: Answer::Listed,
        on_error: r#"{"users":[]}"#,
        ..op("admin.listUsers", Method::Get, "/admin/users")
    },
    Op {
        body: &[
            ("type", "0.type"),
            ("email", "0.email"),
            ("password", "0.password"),
            ("new_email", "0.newEmail"),
            ("data", "0.options.data"),
            ("redirect_to", "0.options.redirectTo"),
        ],
        bearer: Bearer::Service,
        check: Some(object_argument),
        answer: Answer::Object,
        on_error: r#"{"properties":null,"user":null}"#,
        ..op("admin.generateLink", Method::Post, "/admin/generate_link")
    },
    Op {
        query: &[("scope", "1"), ("scope", "=global")],
        bearer: Bearer::Arg("0"),
        answer: Answer::Null,
        ..op("admin.signOut", Method::Post, "/logout")
    },
    Op {
        path_args: &[("0.userId", "userId")],
        bearer: Bearer::Service,
        check: Some(object_argument),
        ..op("admin.mfa.listFactors", Method::Get, "/admin/users/{}/factors")
    },
    Op {
        path_args: &[("0.userId", "userId"), ("0.id", "id")],
        bearer: Bearer::Service,
        check: Some(object_argument),
        ..op("admin.mfa.deleteFactor", Method::Delete, "/admin/users/{}/factors/{}")
    },
    // ---- the client ----------------------------------------------------------------
    Op {
        redirect: "0.options.emailRedirectTo",
        body: &[("email", "0.email"), ("phone", "0.phone"), ("type", "0.type")],
        captcha: "0.options.captchaToken",
        contact: "You must provide either an email or phone number and a type",
        answer: Answer::Sent,
        on_error: results::USER_SESSION,
        ..op("resend", Method::Post, "/resend")
    },
    Op {
        bearer: Bearer::Session,
        answer: Answer::Blank,
        on_error: results::USER_SESSION,
        ..op("reauthenticate", Method::Get, "/reauthenticate")
    },
    Op {
        redirect: "1.redirectTo",
        body: &[("email", "0")],
        path_args: &[],
        captcha: "1.captchaToken",
        pkce: Pkce::Recovery,
        answer: Answer::Nothing,
        ..op("resetPasswordForEmail", Method::Post, "/recover")
    },
    Op {
        path_args: &[("0.identity_id", "identity_id")],
        bearer: Bearer::SessionIfAny,
        check: Some(object_argument),
        answer: Answer::Nothing,
        ..op("unlinkIdentity", Method::Delete, "/user/identities/{}")
    },
    Op {
        body: &[
            ("factor_type", "0.factorType"),
            ("friendly_name", "0.friendlyName"),
            ("issuer", "0.issuer"),
            ("phone", "0.phone"),
        ],
        bearer: Bearer::SessionIfAny,
        check: Some(object_argument),
        ..op("mfa.enroll", Method::Post, "/factors")
    },
    Op {
        path_args: &[("0.factorId", "factorId")],
        body: &[("channel", "0.channel"), ("webauthn", "0.webauthn")],
        bearer: Bearer::SessionIfAny,
        check: Some(object_argument),
        ..op("mfa.challenge", Method::Post, "/factors/{}/challenge")
    },
    Op {
        path_args: &[("0.factorId", "factorId")],
        bearer: Bearer::SessionIfAny,
        check: Some(object_argument),
        ..op("mfa.unenroll", Method::Delete, "/factors/{}")
    },
    Op {
        query: &[("grant_type", "=password")],
        body: &[("email", "0.email"), ("phone", "0.phone"), ("password", "0.password")],
        captcha: "0.options.captchaToken",
        contact: "You must provide either an email or phone number and a password",
        answer: Answer::Session { otherwise: Otherwise::Error },
        on_error: results::USER_SESSION,
        ..op("signInWithPassword", Method::Post, "/token")
    },
    Op {
        redirect: "0.options.emailRedirectTo",
        body: &[
            ("email", "0.email"),
            ("phone", "0.phone"),
            ("password", "0.password"),
            ("data", "0.options.data"),
            ("channel", "0.options.channel"),
        ],
        captcha: "0.options.captchaToken",
        pkce: Pkce::Email,
        contact: "You must provide either an email or phone number and a password",
        answer: Answer::Session { otherwise: Otherwise::User },
        on_error: results::USER_SESSION,
        ..op("signUp", Method::Post, "/signup")
    },
    Op {
        redirect: "0.options.emailRedirectTo",
        body: &[
            ("email", "0.email"),
            ("phone", "0.phone"),
            ("create_user", "0.options.shouldCreateUser"),
            ("create_user", "=true"),
            ("data", "0.options.data"),
            ("channel", "0.options.channel"),
        ],
        captcha: "0.options.captchaToken",
        pkce: Pkce::Email,
        contact: "You must provide either an email or phone number.",
        answer: Answer::Sent,
        on_error: results::USER_SESSION,
        ..op("signInWithOtp", Method::Post, "/otp")
    },
    Op {
        redirect: "0.options.redirectTo",
        body: &[
            ("email", "0.email"),
            ("phone", "0.phone"),
            ("token", "0.token"),
            ("token_hash", "0.token_hash"),
            ("type", "0.type"),
        ],
        captcha: "0.options.captchaToken",
        check: Some(object_argument),
        answer: Answer::Session { otherwise: Otherwise::NoSession },
        on_error: results::USER_SESSION,
        ..op("verifyOtp", Method::Post, "/verify")
    },
    Op {
        body: &[("data", "0.options.data")],
        captcha: "0.options.captchaToken",
        answer: Answer::Session { otherwise: Otherwise::Error },
        on_error: results::USER_SESSION,
        ..op("signInAnonymously", Method::Post, "/signup")
    },
    Op {
        query: &[("grant_type", "=id_token")],
        body: &[
            ("provider", "0.provider"),
            ("id_token", "0.token"),
            ("access_token", "0.access_token"),
            ("nonce", "0.nonce"),
        ],
        captcha: "0.options.captchaToken",
        check: Some(object_argument),
        answer: Answer::Session { otherwise: Otherwise::Error },
        on_error: results::USER_SESSION,
        ..op("signInWithIdToken", Method::Post, "/token")
    },
    Op {
        redirect: "1.emailRedirectTo",
        body: &[
            ("email", "0.email"),
            ("phone", "0.phone"),
            ("password", "0.password"),
            ("current_password", "0.current_password"),
            ("nonce", "0.nonce"),
            ("data", "0.data"),
            ("channel", "0.channel"),
        ],
        bearer: Bearer::Session,
        pkce: Pkce::Email,
        check: Some(object_argument),
        answer: Answer::UpdatedUser,
        on_error: results::USER,
        ..op("updateUser", Method::Put, "/user")
    },
    Op {
        bearer: Bearer::ArgOrSession("0"),
        answer: Answer::User,
        on_error: results::USER,
        ..op("getUser", Method::Get, "/user")
    },
    Op { bearer: Bearer::ArgOrSession("9"), ..op("getUserIdentities", Method::Get, "/user") },
    Op {
        path_args: &[("0.factorId", "factorId")],
        body: &[("challenge_id", "0.challengeId"), ("code", "0.code"), ("webauthn", "0.webauthn")],
        bearer: Bearer::SessionIfAny,
        check: Some(object_argument),
        answer: Answer::VerifiedSession,
        ..op("mfa.verify", Method::Post, "/factors/{}/verify")
    },
    Op {
        redirect: "0.options.redirectTo",
        redirect_in_body: true,
        body: &[("provider_id", "0.providerId"), ("domain", "0.domain"), ("skip_http_redirect", "=true")],
        captcha: "0.options.captchaToken",
        pkce: Pkce::Always,
        check: Some(object_argument),
        ..op("signInWithSSO", Method::Post, "/sso")
    },
    Op {
        // linkIdentity({ provider, token, … }): the facade picks this row for an ID token.
        query: &[("grant_type", "=id_token")],
        body: &[
            ("provider", "0.provider"),
            ("id_token", "0.token"),
            ("access_token", "0.access_token"),
            ("nonce", "0.nonce"),
            ("link_identity", "=true"),
        ],
        captcha: "0.options.captchaToken",
        bearer: Bearer::Session,
        check: Some(object_argument),
        answer: Answer::Session { otherwise: Otherwise::Error },
        on_error: results::USER_SESSION,
        ..op("linkIdentityIdToken", Method::Post, "/token")
    },
    Op {
        // signInWithWeb3 after the facade had the wallet sign the SIWE / SIWS message (or
        // with the app's own message and signature).
        query: &[("grant_type", "=web3")],
        body: &[("chain", "0.chain"), ("message", "0.message"), ("signature", "0.signature")],
        captcha: "0.options.captchaToken",
        check: Some(object_argument),
        answer: Answer::Session { otherwise: Otherwise::Error },
        on_error: results::USER_SESSION,
        ..op("signInWithWeb3", Method::Post, "/token")
    },
    // getClaims' key set (the facade caches it and verifies with WebCrypto, as auth-js does).
    Op { ..op("getClaims.jwks", Method::Get, "/.well-known/jwks.json") },
    Op {
        // linkIdentity with an OAuth provider: the facade builds signInWithOAuth's URL (PKCE
        // flow included) and hands its query over; the answer is the provider's address.
        path_args: &[("0", "")],
        bearer: Bearer::SessionIfAny,
        ..op("linkIdentity.authorize", Method::Get, "/user/identities/authorize{}")
    },
    // ---- passkeys (`signInWithPasskey` / `registerPasskey` run the ceremony in the facade) --
    Op { bearer: Bearer::Session, ..op("passkey.startRegistration", Method::Post, "/passkeys/registration/options") },
    Op {
        body: &[("challenge_id", "0.challengeId"), ("credential", "0.credential")],
        bearer: Bearer::Session,
        check: Some(object_argument),
        ..op("passkey.verifyRegistration", Method::Post, "/passkeys/registration/verify")
    },
    Op {
        captcha: "0.options.captchaToken",
        ..op("passkey.startAuthentication", Method::Post, "/passkeys/authentication/options")
    },
    Op {
        body: &[("challenge_id", "0.challengeId"), ("credential", "0.credential")],
        check: Some(object_argument),
        answer: Answer::Session { otherwise: Otherwise::Error },
        ..op("passkey.verifyAuthentication", Method::Post, "/passkeys/authentication/verify")
    },
    Op { bearer: Bearer::Session, ..op("passkey.list", Method::Get, "/passkeys") },
    Op {
        path_args: &[("0.passkeyId", "passkeyId")],
        body: &[("friendly_name", "0.friendlyName")],
        bearer: Bearer::Session,
        check: Some(object_argument),
        ..op("passkey.update", Method::Patch, "/passkeys/{}")
    },
    Op {
        path_args: &[("0.passkeyId", "passkeyId")],
        bearer: Bearer::Session,
        check: Some(object_argument),
        answer: Answer::Null,
        ..op("passkey.delete", Method::Delete, "/passkeys/{}")
    },
    // ---- MFA recovery codes (the facade checks `experimental.recoveryCodes`) -----------
    Op { bearer: Bearer::SessionIfAny, ..op("mfa.recoveryCodes.getStatus", Method::Get, "/factors/recovery-codes") },
    Op {
        body: &[("friendly_name", "0.friendlyName")],
        bearer: Bearer::SessionIfAny,
        ..op("mfa.recoveryCodes.generate", Method::Post, "/factors/recovery-codes")
    },
    Op {
        body: &[("code", "0.code")],
        bearer: Bearer::SessionIfAny,
        check: Some(object_argument),
        answer: Answer::VerifiedSession,
        ..op("mfa.recoveryCodes.verify", Method::Post, "/factors/recovery-codes/verify")
    },
    Op {
        bearer: Bearer::SessionIfAny,
        ..op("mfa.recoveryCodes.regenerate", Method::Post, "/factors/recovery-codes/regenerate")
    },
    Op { bearer: Bearer::SessionIfAny, ..op("mfa.recoveryCodes.unenroll", Method::Delete, "/factors/recovery-codes") },
    // ---- the OAuth 2.1 server, as the signed-in user (the facade follows redirects) ----
    Op {
        path_args: &[("0", "authorizationId")],
        bearer: Bearer::Session,
        ..op("oauth.getAuthorizationDetails", Method::Get, "/oauth/authorizations/{}")
    },
    Op {
        path_args: &[("0", "authorizationId")],
        body: &[("action", "=\"approve\"")],
        bearer: Bearer::Session,
        ..op("oauth.approveAuthorization", Method::Post, "/oauth/authorizations/{}/consent")
    },
    Op {
        path_args: &[("0", "authorizationId")],
        body: &[("action", "=\"deny\"")],
        bearer: Bearer::Session,
        ..op("oauth.denyAuthorization", Method::Post, "/oauth/authorizations/{}/consent")
    },
    Op { bearer: Bearer::Session, ..op("oauth.listGrants", Method::Get, "/user/oauth/grants") },
    Op {
        query: &[("client_id", "0.clientId")],
        bearer: Bearer::Session,
        check: Some(object_argument),
        answer: Answer::Nothing,
        ..op("oauth.revokeGrant", Method::Delete, "/user/oauth/grants")
    },
    // ---- admin: OAuth clients, custom providers, passkeys ------------------------------
    Op {
        query: &[("page", "0.page"), ("per_page", "0.perPage")],
        bearer: Bearer::Service,
        answer: Answer::Listed,
        on_error: r#"{"clients":[]}"#,
        ..op("admin.oauth.listClients", Method::Get, "/admin/oauth/clients")
    },
    Op {
        body_arg: "0",
        bearer: Bearer::Service,
        ..op("admin.oauth.createClient", Method::Post, "/admin/oauth/clients")
    },
    Op {
        path_args: &[("0", "clientId")],
        bearer: Bearer::Service,
        ..op("admin.oauth.getClient", Method::Get, "/admin/oauth/clients/{}")
    },
    Op {
        path_args: &[("0", "clientId")],
        body_arg: "1",
        bearer: Bearer::Service,
        ..op("admin.oauth.updateClient", Method::Put, "/admin/oauth/clients/{}")
    },
    Op {
        path_args: &[("0", "clientId")],
        bearer: Bearer::Service,
        answer: Answer::Null,
        ..op("admin.oauth.deleteClient", Method::Delete, "/admin/oauth/clients/{}")
    },
    Op {
        path_args: &[("0", "clientId")],
        bearer: Bearer::Service,
        ..op("admin.oauth.regenerateClientSecret", Method::Post, "/admin/oauth/clients/{}/regenerate_secret")
    },
    Op {
        query: &[("type", "0.type")],
        bearer: Bearer::Service,
        answer: Answer::Listed,
        on_error: r#"{"providers":[]}"#,
        ..op("admin.customProviders.listProviders", Method::Get, "/admin/custom-providers")
    },
    Op {
        body_arg: "0",
        bearer: Bearer::Service,
        ..op("admin.customProviders.createProvider", Method::Post, "/admin/custom-providers")
    },
    Op {
        path_args: &[("0", "identifier")],
        bearer: Bearer::Service,
        ..op("admin.customProviders.getProvider", Method::Get, "/admin/custom-providers/{}")
    },
    Op {
        path_args: &[("0", "identifier")],
        body_arg: "1",
        bearer: Bearer::Service,
        ..op("admin.customProviders.updateProvider", Method::Put, "/admin/custom-providers/{}")
    },
    Op {
        path_args: &[("0", "identifier")],
        bearer: Bearer::Service,
        answer: Answer::Null,
        ..op("admin.customProviders.deleteProvider", Method::Delete, "/admin/custom-providers/{}")
    },
    Op {
        path_args: &[("0.userId", "userId")],
        bearer: Bearer::Service,
        check: Some(object_argument),
        ..op("admin.passkey.listPasskeys", Method::Get, "/admin/users/{}/passkeys")
    },
    Op {
        path_args: &[("0.userId", "userId"), ("0.passkeyId", "passkeyId")],
        bearer: Bearer::Service,
        check: Some(object_argument),
        answer: Answer::Null,
        ..op("admin.passkey.deletePasskey", Method::Delete, "/admin/users/{}/passkeys/{}")
    },
];
