//! The newer namespaces' requests against a fake transport: method, URL, bearer and the exact
//! body of every row of `ops`, and what each answer becomes.

use super::ops::{self, Auth};
use crate::test_support::{block_on, FakeRuntime, FakeTransport};
use crate::*;

const NOW: i64 = 1_714_558_000;
const SESSION: &str = r#"{"access_token":"at1","token_type":"bearer","expires_in":3600,"refresh_token":"rt1aaaaaaaaa","user":{"id":"u1","aud":"authenticated","role":"authenticated","email":"a@b.c","phone":"","app_metadata":{},"user_metadata":{},"identities":[],"is_anonymous":false}}"#;

struct Harness {
    transport: FakeTransport,
    client: GoTrueClient<FakeTransport, std::rc::Rc<MemoryStorage>>,
    events: std::rc::Rc<std::cell::RefCell<Vec<AuthChangeEvent>>>,
}

/// A client with a stored, fresh session (access token `at0`).
fn harness() -> Harness {
    let transport = FakeTransport::default();
    let storage = std::rc::Rc::new(MemoryStorage::new());
    let runtime = FakeRuntime::at_seconds(NOW);
    let options = ClientOptions::new("http://auth.test/").header("apikey", "anon").storage_key("sb-t");
    let client = GoTrueClient::with_runtime(options, transport.clone(), storage.clone(), std::rc::Rc::new(runtime));
    let stored = SESSION
        .replace("\"at1\"", "\"at0\"")
        .replace("\"expires_in\":3600", &format!("\"expires_in\":3600,\"expires_at\":{}", NOW + 3600));
    block_on(storage.set_item("sb-t", &stored)).unwrap();
    let events = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let seen = events.clone();
    let _subscription = client.on_auth_state_change(move |event, _| seen.borrow_mut().push(event));
    std::mem::forget(_subscription);
    Harness { transport, client, events }
}

/// Asserts the last request: method, URL, `Authorization` and body (`None`: no body).
fn sent(h: &Harness, op: &ops::Op, url: &str, bearer: Option<&str>, body: Option<&str>) {
    let r = h.transport.last_request();
    assert_eq!(r.method, op.method, "{}", op.name);
    assert_eq!(r.url, url, "{}", op.name);
    assert_eq!(r.header("apikey"), Some("anon"), "{}", op.name);
    assert_eq!(r.header("x-supabase-api-version"), Some("2024-01-01"));
    assert_eq!(r.header("authorization"), bearer.map(|b| format!("Bearer {b}")).as_deref(), "{}", op.name);
    assert_eq!(r.body.as_deref(), body, "{}", op.name);
    // The row says who signs; the request agrees.
    match op.auth {
        Auth::None => assert!(bearer.is_none(), "{}", op.name),
        Auth::Session => assert_eq!(bearer, Some("at0"), "{}", op.name),
        Auth::ServiceKey => assert_eq!(bearer, Some("service"), "{}", op.name),
    }
}

#[test]
fn passkey_requests() {
    let h = harness();
    h.transport.push_json(
        200,
        r#"{"challenge_id":"c1","options":{"challenge":"xyz","rp":{"id":"localhost"}},"expires_at":5}"#,
    );
    let ceremony = block_on(h.client.passkey_start_registration()).unwrap();
    sent(
        &h,
        &ops::PASSKEY_START_REGISTRATION,
        "http://auth.test/passkeys/registration/options",
        Some("at0"),
        Some("{}"),
    );
    assert_eq!((ceremony.challenge_id.as_str(), ceremony.expires_at), ("c1", 5));
    assert_eq!(ceremony.options.get("challenge").and_then(JsonValue::as_str), Some("xyz"));

    let credential =
        crate::json::parse(r#"{"id":"cred","type":"public-key","response":{"clientDataJSON":"e30"}}"#).unwrap();
    h.transport.push_json(200, r#"{"id":"p1","friendly_name":"Passkey","created_at":"2026-01-01T00:00:00Z"}"#);
    let created = block_on(h.client.passkey_verify_registration("c1", &credential)).unwrap();
    sent(
        &h,
        &ops::PASSKEY_VERIFY_REGISTRATION,
        "http://auth.test/passkeys/registration/verify",
        Some("at0"),
        Some(
            r#"{"challenge_id":"c1","credential":{"id":"cred","type":"public-key","response":{"clientDataJSON":"e30"}}}"#,
        ),
    );
    assert_eq!(created.friendly_name.as_deref(), Some("Passkey"));

    h.transport.push_json(200, r#"{"challenge_id":"c2","options":{},"expires_at":6}"#);
    block_on(h.client.passkey_start_authentication(None)).unwrap();
    sent(
        &h,
        &ops::PASSKEY_START_AUTHENTICATION,
        "http://auth.test/passkeys/authentication/options",
        None,
        Some(r#"{"gotrue_meta_security":{}}"#),
    );
    h.transport.push_json(200, r#"{"challenge_id":"c2","options":{},"expires_at":6}"#);
    block_on(h.client.passkey_start_authentication(Some("cap"))).unwrap();
    assert_eq!(h.transport.last_request().body.as_deref(), Some(r#"{"gotrue_meta_security":{"captcha_token":"cap"}}"#));

    h.transport.push_json(200, SESSION);
    let signed_in = block_on(h.client.passkey_verify_authentication("c2", &credential)).unwrap();
    sent(
        &h,
        &ops::PASSKEY_VERIFY_AUTHENTICATION,
        "http://auth.test/passkeys/authentication/verify",
        None,
        Some(
            r#"{"challenge_id":"c2","credential":{"id":"cred","type":"public-key","response":{"clientDataJSON":"e30"}}}"#,
        ),
    );
    assert_eq!(signed_in.session.as_ref().map(|s| s.access_token.expose().to_string()).as_deref(), Some("at1"));
    assert_eq!(h.events.borrow().last(), Some(&AuthChangeEvent::SignedIn));
}

#[test]
fn passkey_management_requests() {
    let h = harness();
    h.transport.push_json(
        200,
        r#"[{"id":"p1","friendly_name":"Laptop","created_at":"t","last_used_at":"u"},{"id":"p2","created_at":"t"}]"#,
    );
    let list = block_on(h.client.passkey_list()).unwrap();
    sent(&h, &ops::PASSKEY_LIST, "http://auth.test/passkeys", Some("at0"), None);
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].friendly_name, None);
    assert_eq!(list[0].to_json_string(), r#"{"id":"p1","friendly_name":"Laptop","created_at":"t","last_used_at":"u"}"#);

    h.transport.push_json(200, r#"{"id":"p/1","friendly_name":"New","created_at":"t"}"#);
    block_on(h.client.passkey_update("p/1", "New")).unwrap();
    sent(&h, &ops::PASSKEY_UPDATE, "http://auth.test/passkeys/p%2F1", Some("at0"), Some(r#"{"friendly_name":"New"}"#));
    assert_eq!(h.transport.last_request().method, Method::Patch);

    h.transport.push_response(204, &[], "");
    block_on(h.client.passkey_delete("p1")).unwrap();
    sent(&h, &ops::PASSKEY_DELETE, "http://auth.test/passkeys/p1", Some("at0"), None);

    h.transport.push_json(200, r#"[{"id":"p1","created_at":"t"}]"#);
    let admin = h.client.admin("service");
    assert_eq!(block_on(admin.passkey_list_passkeys("u1")).unwrap()[0].id, "p1");
    sent(&h, &ops::ADMIN_PASSKEY_LIST, "http://auth.test/admin/users/u1/passkeys", Some("service"), None);
    h.transport.push_response(204, &[], "");
    block_on(admin.passkey_delete_passkey("u1", "p1")).unwrap();
    sent(&h, &ops::ADMIN_PASSKEY_DELETE, "http://auth.test/admin/users/u1/passkeys/p1", Some("service"), None);

    // A server error comes back typed.
    h.transport.push_json(404, r#"{"code":"passkey_disabled","message":"Passkeys are disabled"}"#);
    let error = block_on(h.client.passkey_list()).unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(404), Some("passkey_disabled")));
}

#[test]
fn recovery_code_requests() {
    let h = harness();
    h.transport.push_json(200, r#"{"id":"f1","type":"recovery_code","total":10,"remaining":7}"#);
    let status = block_on(h.client.mfa_recovery_codes_get_status()).unwrap();
    sent(&h, &ops::RECOVERY_CODES_STATUS, "http://auth.test/factors/recovery-codes", Some("at0"), None);
    assert_eq!((status.total, status.remaining), (10, 7));

    let codes =
        r#"{"id":"f1","type":"recovery_code","friendly_name":"Codes","total":2,"codes":["aaaaa-bbbbb","ccccc-ddddd"]}"#;
    h.transport.push_json(200, codes);
    let generated = block_on(h.client.mfa_recovery_codes_generate(None)).unwrap();
    sent(&h, &ops::RECOVERY_CODES_GENERATE, "http://auth.test/factors/recovery-codes", Some("at0"), None);
    assert_eq!(generated.codes, vec!["aaaaa-bbbbb".to_string(), "ccccc-ddddd".to_string()]);
    assert_eq!(generated.to_json_string(), codes);
    h.transport.push_json(200, codes);
    block_on(h.client.mfa_recovery_codes_generate(Some("Codes"))).unwrap();
    sent(
        &h,
        &ops::RECOVERY_CODES_GENERATE,
        "http://auth.test/factors/recovery-codes",
        Some("at0"),
        Some(r#"{"friendly_name":"Codes"}"#),
    );

    h.transport.push_json(200, SESSION);
    block_on(h.client.mfa_recovery_codes_verify("aaaaa-bbbbb")).unwrap();
    sent(
        &h,
        &ops::RECOVERY_CODES_VERIFY,
        "http://auth.test/factors/recovery-codes/verify",
        Some("at0"),
        Some(r#"{"code":"aaaaa-bbbbb"}"#),
    );
    assert_eq!(h.events.borrow().last(), Some(&AuthChangeEvent::MfaChallengeVerified));

    // The session is now `at1`.
    h.transport.push_json(200, codes);
    block_on(h.client.mfa_recovery_codes_regenerate()).unwrap();
    let r = h.transport.last_request();
    assert_eq!(
        (r.url.as_str(), r.header("authorization")),
        ("http://auth.test/factors/recovery-codes/regenerate", Some("Bearer at1"))
    );
    assert_eq!(r.body, None);
    h.transport.push_json(200, r#"{"id":"f1"}"#);
    assert_eq!(block_on(h.client.mfa_recovery_codes_unenroll()).unwrap(), "f1");
    let r = h.transport.last_request();
    assert_eq!((r.method, r.url.as_str()), (Method::Delete, "http://auth.test/factors/recovery-codes"));
}

#[test]
fn oauth_server_requests() {
    let h = harness();
    let details = r#"{"authorization_id":"a1","redirect_uri":"https://app/cb","client":{"id":"c1","name":"App"},"user":{"id":"u1","email":"a@b.c"},"scope":"email"}"#;
    h.transport.push_json(200, details);
    let d = block_on(h.client.oauth_get_authorization_details("a1")).unwrap();
    sent(&h, &ops::OAUTH_GET_AUTHORIZATION_DETAILS, "http://auth.test/oauth/authorizations/a1", Some("at0"), None);
    assert_eq!(d.to_json_string(), details);
    assert_eq!(d.client.map(|c| c.name), Some(Some("App".to_string())));
    h.transport.push_json(200, r#"{"redirect_url":"https://app/cb?code=x"}"#);
    let d = block_on(h.client.oauth_get_authorization_details("a1")).unwrap();
    assert_eq!((d.authorization_id, d.redirect_url.as_deref()), (None, Some("https://app/cb?code=x")));

    h.transport.push_json(200, r#"{"redirect_url":"https://app/cb?code=x&state=s"}"#);
    let to = block_on(h.client.oauth_approve_authorization("a1")).unwrap();
    sent(
        &h,
        &ops::OAUTH_APPROVE_AUTHORIZATION,
        "http://auth.test/oauth/authorizations/a1/consent",
        Some("at0"),
        Some(r#"{"action":"approve"}"#),
    );
    assert_eq!(to.redirect_url, "https://app/cb?code=x&state=s");
    h.transport.push_json(200, r#"{"redirect_url":"https://app/cb?error=access_denied"}"#);
    block_on(h.client.oauth_deny_authorization("a1")).unwrap();
    sent(
        &h,
        &ops::OAUTH_DENY_AUTHORIZATION,
        "http://auth.test/oauth/authorizations/a1/consent",
        Some("at0"),
        Some(r#"{"action":"deny"}"#),
    );

    h.transport.push_json(200, r#"[{"client":{"id":"c1","name":"App"},"scopes":["email"],"granted_at":"t"}]"#);
    let grants = block_on(h.client.oauth_list_grants()).unwrap();
    sent(&h, &ops::OAUTH_LIST_GRANTS, "http://auth.test/user/oauth/grants", Some("at0"), None);
    assert_eq!(grants[0].scopes, vec!["email".to_string()]);
    h.transport.push_response(204, &[], "");
    block_on(h.client.oauth_revoke_grant("c 1")).unwrap();
    sent(&h, &ops::OAUTH_REVOKE_GRANT, "http://auth.test/user/oauth/grants?client_id=c%201", Some("at0"), None);

    // Without a session: AuthSessionMissingError, nothing sent.
    let h = harness_without_session();
    let error = block_on(h.client.oauth_list_grants()).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SessionMissing);
    assert!(h.transport.requests().is_empty());
}

fn harness_without_session() -> Harness {
    let transport = FakeTransport::default();
    let options = ClientOptions::new("http://auth.test/").header("apikey", "anon").storage_key("sb-t");
    let client = GoTrueClient::with_runtime(
        options,
        transport.clone(),
        std::rc::Rc::new(MemoryStorage::new()),
        std::rc::Rc::new(FakeRuntime::at_seconds(NOW)),
    );
    Harness { transport, client, events: Default::default() }
}

#[test]
fn admin_oauth_client_requests() {
    let h = harness();
    let admin = h.client.admin("service");
    let client = r#"{"client_id":"c1","client_secret":"s3cret","client_type":"confidential","token_endpoint_auth_method":"client_secret_basic","registration_type":"manual","client_name":"App","redirect_uris":["https://app/cb"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"created_at":"t","updated_at":"t"}"#;
    h.transport.push_json(201, client);
    let params = OAuthClientParams::new("App", vec!["https://app/cb".into()]).client_uri("https://app");
    let created = block_on(admin.oauth_create_client(&params)).unwrap();
    sent(
        &h,
        &ops::ADMIN_OAUTH_CREATE_CLIENT,
        "http://auth.test/admin/oauth/clients",
        Some("service"),
        Some(r#"{"client_name":"App","client_uri":"https://app","redirect_uris":["https://app/cb"]}"#),
    );
    assert_eq!(created.client_secret.as_ref().map(|s| s.expose().to_string()).as_deref(), Some("s3cret"));
    assert!(!format!("{created:?}").contains("s3cret"), "the secret stays out of Debug");

    h.transport.push_response(
        200,
        &[("x-total-count", "3"), ("link", r#"</admin/oauth/clients?page=2&per_page=1>; rel="next", </admin/oauth/clients?page=3&per_page=1>; rel="last""#)],
        &format!(r#"{{"clients":[{client}]}}"#),
    );
    let page = block_on(admin.oauth_list_clients(Some(1), Some(1))).unwrap();
    sent(
        &h,
        &ops::ADMIN_OAUTH_LIST_CLIENTS,
        "http://auth.test/admin/oauth/clients?page=1&per_page=1",
        Some("service"),
        None,
    );
    assert_eq!((page.clients.len(), page.next_page, page.last_page, page.total), (1, Some(2), 3, 3));
    // GoTrue leaves an empty list out; auth-js sends both query members, empty when not given.
    h.transport.push_json(200, "{}");
    assert!(block_on(admin.oauth_list_clients(None, None)).unwrap().clients.is_empty());
    assert_eq!(h.transport.last_request().url, "http://auth.test/admin/oauth/clients?page=&per_page=");

    h.transport.push_json(200, client);
    block_on(admin.oauth_get_client("c1")).unwrap();
    sent(&h, &ops::ADMIN_OAUTH_GET_CLIENT, "http://auth.test/admin/oauth/clients/c1", Some("service"), None);
    h.transport.push_json(200, client);
    block_on(admin.oauth_update_client("c1", &OAuthClientParams::update().client_name("Renamed"))).unwrap();
    sent(
        &h,
        &ops::ADMIN_OAUTH_UPDATE_CLIENT,
        "http://auth.test/admin/oauth/clients/c1",
        Some("service"),
        Some(r#"{"client_name":"Renamed"}"#),
    );
    h.transport.push_json(200, client);
    block_on(admin.oauth_regenerate_client_secret("c1")).unwrap();
    sent(
        &h,
        &ops::ADMIN_OAUTH_REGENERATE_SECRET,
        "http://auth.test/admin/oauth/clients/c1/regenerate_secret",
        Some("service"),
        None,
    );
    h.transport.push_response(204, &[], "");
    block_on(admin.oauth_delete_client("c1")).unwrap();
    sent(&h, &ops::ADMIN_OAUTH_DELETE_CLIENT, "http://auth.test/admin/oauth/clients/c1", Some("service"), None);
}

#[test]
fn admin_custom_provider_requests() {
    let h = harness();
    let admin = h.client.admin("service");
    let provider = r#"{"id":"p1","provider_type":"oidc","identifier":"custom:acme","name":"Acme","client_id":"cid","issuer":"https://idp","scopes":["openid"],"created_at":"t","updated_at":"t"}"#;
    h.transport.push_json(201, provider);
    let params = CustomProviderParams::oidc("acme", "Acme", "cid", "shh", "https://idp").scopes(&["openid"]);
    let created = block_on(admin.custom_providers_create_provider(&params)).unwrap();
    sent(
        &h,
        &ops::ADMIN_CUSTOM_PROVIDERS_CREATE,
        "http://auth.test/admin/custom-providers",
        Some("service"),
        Some(
            r#"{"provider_type":"oidc","identifier":"acme","name":"Acme","client_id":"cid","client_secret":"shh","issuer":"https://idp","scopes":["openid"]}"#,
        ),
    );
    assert_eq!((created.identifier.as_str(), created.provider_type.as_str()), ("custom:acme", "oidc"));
    assert_eq!(created.to_json_string(), provider);

    h.transport.push_json(200, &format!(r#"{{"providers":[{provider}]}}"#));
    assert_eq!(block_on(admin.custom_providers_list_providers(Some("oidc"))).unwrap().len(), 1);
    sent(
        &h,
        &ops::ADMIN_CUSTOM_PROVIDERS_LIST,
        "http://auth.test/admin/custom-providers?type=oidc",
        Some("service"),
        None,
    );
    h.transport.push_json(200, "{}");
    assert!(block_on(admin.custom_providers_list_providers(None)).unwrap().is_empty());
    assert_eq!(h.transport.last_request().url, "http://auth.test/admin/custom-providers");

    h.transport.push_json(200, provider);
    block_on(admin.custom_providers_get_provider("custom:acme")).unwrap();
    sent(
        &h,
        &ops::ADMIN_CUSTOM_PROVIDERS_GET,
        "http://auth.test/admin/custom-providers/custom%3Aacme",
        Some("service"),
        None,
    );
    h.transport.push_json(200, provider);
    block_on(admin.custom_providers_update_provider("custom:acme", &CustomProviderParams::update().enabled(false)))
        .unwrap();
    sent(
        &h,
        &ops::ADMIN_CUSTOM_PROVIDERS_UPDATE,
        "http://auth.test/admin/custom-providers/custom%3Aacme",
        Some("service"),
        Some(r#"{"enabled":false}"#),
    );
    h.transport.push_json(200, r#"{"message":"deleted"}"#);
    block_on(admin.custom_providers_delete_provider("custom:acme")).unwrap();
    sent(
        &h,
        &ops::ADMIN_CUSTOM_PROVIDERS_DELETE,
        "http://auth.test/admin/custom-providers/custom%3Aacme",
        Some("service"),
        None,
    );
}

#[test]
fn the_table_is_whole_and_consistent() {
    let mut names: Vec<&str> = ops::ALL.iter().map(|op| op.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ops::ALL.len(), "one row per auth-js method");
    for op in ops::ALL {
        assert_eq!(ops::find(op.name), Some(op));
        // Every placeholder has an argument, and back.
        assert_eq!(op.path.matches('{').count(), op.path_args.len(), "{}", op.name);
        assert!(op.path.starts_with('/'), "{}", op.name);
        // Admin rows sign with the service key, user rows with the session.
        assert_eq!(op.name.starts_with("admin."), op.auth == Auth::ServiceKey, "{}", op.name);
    }
    assert_eq!(ops::PASSKEY_UPDATE.path_with(&["a b"]), "/passkeys/a%20b");
    assert_eq!(ops::ADMIN_PASSKEY_DELETE.path_with(&["u", "p"]), "/admin/users/u/passkeys/p");
}
