//! The bodies each request writes and the answers each reads, byte for byte: the expected
//! texts are what these types' former serde derives wrote (fields in declaration order,
//! `None` left out where `skip_serializing_if` was, flattened parts inline).

use super::*;
use crate::http::Api;
use crate::json::{FromJson, JsonError, ToJson};
use crate::pkce::StartedFlow;
use crate::storage::MemoryStorage;
use crate::test_support::{block_on, FakeRuntime, FakeTransport};
use crate::types::{JsonObject, JsonValue, User};
use crate::AuthError;

const USER: &str = r#"{"id":"u1","aud":"authenticated","role":"authenticated","email":"a@b.c","phone":"","app_metadata":{},"user_metadata":{},"identities":[],"is_anonymous":false}"#;

fn session_body() -> String {
    format!(r#"{{"access_token":"at","token_type":"bearer","expires_in":3600,"refresh_token":"rt","user":{USER}}}"#)
}

fn api() -> (FakeTransport, Api<FakeTransport>) {
    let transport = FakeTransport::default();
    (transport.clone(), Api::new(transport, "http://auth.test", vec![]))
}

fn body(transport: &FakeTransport) -> String {
    transport.last_request().body.unwrap_or_default()
}

fn flow() -> StartedFlow {
    let runtime = FakeRuntime::at_seconds(1_000);
    block_on(crate::pkce::start_flow(&MemoryStorage::new(), &runtime, "sb", false)).unwrap()
}

fn pkce_fields(flow: &StartedFlow) -> String {
    format!(r#""code_challenge":"{}","code_challenge_method":"{}""#, flow.challenge.as_str(), flow.challenge.method())
}

fn object(pairs: &[(&str, JsonValue)]) -> JsonObject {
    pairs.iter().map(|(key, value)| (key.to_string(), value.clone())).collect()
}

#[test]
fn sign_up_writes_every_option_captcha_and_pkce() {
    let (transport, api) = api();
    let flow = flow();
    let credentials = SignUpCredentials::email("a@b.c", "pw")
        .data(object(&[("n", 1.into())]))
        .channel(Channel::Whatsapp)
        .captcha_token("cap")
        .email_redirect_to("https://app.test/welcome");
    transport.push_json(200, USER);
    let outcome = block_on(signup::sign_up(&api, &credentials, Some(&flow))).unwrap();
    assert!(
        matches!(outcome, signup::SignUpOutcome::User(user) if user.get("id").and_then(JsonValue::as_str) == Some("u1"))
    );
    assert_eq!(
        body(&transport),
        format!(
            r#"{{"email":"a@b.c","password":"pw","data":{{"n":1}},"channel":"whatsapp","gotrue_meta_security":{{"captcha_token":"cap"}},{}}}"#,
            pkce_fields(&flow)
        )
    );
    // The builder alone writes its own fields only.
    assert_eq!(SignUpCredentials::phone("+1555", "pw").to_json_string(), r#"{"phone":"+1555","password":"pw"}"#);
}

#[test]
fn sign_up_tells_a_session_from_a_user() {
    let (transport, api) = api();
    let credentials = SignUpCredentials::email("a@b.c", "pw");
    transport.push_json(200, &session_body());
    let outcome = block_on(signup::sign_up(&api, &credentials, None)).unwrap();
    assert!(matches!(outcome, signup::SignUpOutcome::Session(_)));
    assert_eq!(body(&transport), r#"{"email":"a@b.c","password":"pw"}"#);
    // A null access_token is no session.
    transport.push_json(200, &USER.replace(r#""id":"u1","#, r#""id":"u1","access_token":null,"#));
    assert!(matches!(block_on(signup::sign_up(&api, &credentials, None)), Ok(signup::SignUpOutcome::User(_))));
    // Neither a session nor a user: the error names the field.
    transport.push_json(200, r#"{"aud":"authenticated"}"#);
    let error = block_on(signup::sign_up(&api, &credentials, None)).err().map(|e| e.message().to_string());
    assert!(error.as_deref().is_some_and(|message| message.contains("`id`")), "{error:?}");
}

#[test]
fn anonymous_sign_in_writes_data_and_captcha() {
    let (transport, api) = api();
    transport.push_json(200, &session_body());
    let options = SignInAnonymouslyOptions::default().data(object(&[("x", true.into())])).captcha_token("cap");
    block_on(signup::sign_in_anonymously(&api, &options)).unwrap();
    assert_eq!(body(&transport), r#"{"data":{"x":true},"gotrue_meta_security":{"captcha_token":"cap"}}"#);
    assert_eq!(SignInAnonymouslyOptions::default().to_json_string(), "{}");
}

#[test]
fn password_refresh_and_pkce_grants() {
    let (transport, api) = api();
    transport.push_json(200, &session_body());
    let credentials = SignInWithPasswordCredentials::phone("+1555", "pw").captcha_token("cap");
    block_on(token::password_grant(&api, &credentials)).unwrap();
    assert_eq!(body(&transport), r#"{"phone":"+1555","password":"pw","gotrue_meta_security":{"captcha_token":"cap"}}"#);
    assert_eq!(credentials.to_json_string(), r#"{"phone":"+1555","password":"pw"}"#);
    transport.push_json(200, &session_body());
    block_on(token::refresh_grant(&api, "r\"t")).unwrap();
    assert_eq!(body(&transport), r#"{"refresh_token":"r\"t"}"#);
    transport.push_json(200, &session_body());
    block_on(token::pkce_grant(&api, "code", "verifier")).unwrap();
    assert_eq!(body(&transport), r#"{"auth_code":"code","code_verifier":"verifier"}"#);
}

#[test]
fn otp_verify_and_resend_bodies() {
    let (transport, api) = api();
    transport.push_json(200, r#"{"message_id":"m1"}"#);
    let credentials = SignInWithOtpCredentials::phone("+1555")
        .should_create_user(false)
        .data(object(&[("k", "v".into())]))
        .channel(Channel::Sms)
        .captcha_token("cap");
    let sent = block_on(otp::send_otp(&api, &credentials, None)).unwrap();
    assert_eq!(sent.message_id.as_deref(), Some("m1"));
    assert_eq!(
        body(&transport),
        r#"{"phone":"+1555","create_user":false,"data":{"k":"v"},"channel":"sms","gotrue_meta_security":{"captcha_token":"cap"}}"#
    );

    let flow = flow();
    transport.push_json(200, "{}");
    let sent = block_on(otp::send_otp(&api, &SignInWithOtpCredentials::email("a@b.c"), Some(&flow))).unwrap();
    assert_eq!(sent, MessageSent::default());
    assert_eq!(body(&transport), format!(r#"{{"email":"a@b.c","create_user":true,{}}}"#, pkce_fields(&flow)));

    transport.push_json(200, "{}");
    block_on(otp::verify(&api, &VerifyOtpParams::token_hash("th", OtpType::EmailChange))).unwrap();
    assert_eq!(body(&transport), r#"{"token_hash":"th","type":"email_change"}"#);
    let params = VerifyOtpParams::email("a@b.c", "123456", OtpType::Email).captcha_token("cap");
    transport.push_json(200, &session_body());
    assert!(block_on(otp::verify(&api, &params)).unwrap().is_some());
    assert_eq!(
        body(&transport),
        r#"{"email":"a@b.c","token":"123456","type":"email","gotrue_meta_security":{"captcha_token":"cap"}}"#
    );
    assert_eq!(
        VerifyOtpParams::phone("+1", "1", OtpType::PhoneChange).to_json_string(),
        r#"{"phone":"+1","token":"1","type":"phone_change"}"#
    );

    transport.push_json(200, r#"{"message_id":null}"#);
    let sent = block_on(otp::resend(&api, &ResendParams::phone("+1555", OtpType::Sms).captcha_token("cap"))).unwrap();
    assert_eq!(sent.message_id, None);
    assert_eq!(body(&transport), r#"{"phone":"+1555","type":"sms","gotrue_meta_security":{"captcha_token":"cap"}}"#);
    assert_eq!(ResendParams::email("a@b.c", OtpType::Signup).to_json_string(), r#"{"email":"a@b.c","type":"signup"}"#);
}

#[test]
fn verify_without_a_session_is_the_first_of_two_confirmations() {
    let (transport, api) = api();
    let params = VerifyOtpParams::token_hash("th", OtpType::EmailChange);
    for answer in ["{}", r#"{"msg":"Confirmation link accepted"}"#, r#"{"access_token":null}"#] {
        transport.push_json(200, answer);
        assert!(block_on(otp::verify(&api, &params)).unwrap().is_none(), "{answer:?}");
    }
    // Not the server's: an empty or cut-short body, a portal's page, JSON that is no object.
    for answer in ["", "{\"msg\":", "<html></html>", "[]"] {
        transport.push_json(200, answer);
        assert!(block_on(otp::verify(&api, &params)).is_err(), "{answer:?}");
    }
}

#[test]
fn message_sent_reads_leniently_and_names_a_wrong_field() {
    assert_eq!(crate::json::from_str::<MessageSent>("{}"), Ok(MessageSent::default()));
    assert_eq!(crate::json::from_str::<MessageSent>(r#"{"message_id":3}"#), Err(JsonError::field("message_id")));
    let sent = MessageSent { message_id: Some("m".into()) };
    assert_eq!(sent.to_json_string(), r#"{"message_id":"m"}"#);
    assert_eq!(MessageSent::default().to_json_string(), r#"{"message_id":null}"#);
}

#[test]
fn id_token_and_sso_bodies() {
    let (transport, api) = api();
    let credentials =
        SignInWithIdTokenCredentials::new("google", "idt").access_token("pat").nonce("n").captcha_token("cap");
    transport.push_json(200, &session_body());
    block_on(identities::id_token_grant(&api, &credentials, None)).unwrap();
    assert_eq!(
        body(&transport),
        r#"{"provider":"google","id_token":"idt","access_token":"pat","nonce":"n","gotrue_meta_security":{"captcha_token":"cap"}}"#
    );
    transport.push_json(200, &session_body());
    block_on(identities::id_token_grant(&api, &SignInWithIdTokenCredentials::new("apple", "idt"), Some("jwt")))
        .unwrap();
    assert_eq!(body(&transport), r#"{"provider":"apple","id_token":"idt","link_identity":true}"#);
    assert_eq!(transport.last_request().header("authorization"), Some("Bearer jwt"));

    let sso = SignInWithSsoCredentials::domain("acme.test").redirect_to("https://app.test/cb").captcha_token("cap");
    transport.push_json(200, r#"{"url":"https://idp.test/sso"}"#);
    assert_eq!(block_on(identities::sso_url(&api, &sso, None)).unwrap(), "https://idp.test/sso");
    assert_eq!(
        body(&transport),
        r#"{"domain":"acme.test","redirect_to":"https://app.test/cb","skip_http_redirect":true,"gotrue_meta_security":{"captcha_token":"cap"}}"#
    );
    let flow = flow();
    transport.push_json(200, r#"{"url":"https://idp.test/sso"}"#);
    block_on(identities::sso_url(&api, &SignInWithSsoCredentials::provider_id("p1"), Some(&flow))).unwrap();
    assert_eq!(body(&transport), format!(r#"{{"provider_id":"p1","skip_http_redirect":true,{}}}"#, pkce_fields(&flow)));
    // An answer without the URL is an error naming it.
    transport.push_json(200, r#"{"uri":"x"}"#);
    let error = block_on(identities::sso_url(&api, &sso, None)).unwrap_err();
    assert!(error.message().contains("`url`"), "{}", error.message());
}

#[test]
fn user_update_and_recover_bodies() {
    let (transport, api) = api();
    let attributes = UserAttributes::new()
        .email("e@x.test")
        .phone("+1555")
        .password("pw")
        .current_password("old")
        .nonce("123456")
        .data(object(&[("gone", JsonValue::Null)]))
        .channel(Channel::Sms)
        .email_redirect_to("https://app.test");
    let flow = flow();
    transport.push_json(200, USER);
    block_on(user::update_user::<_, User>(&api, "jwt", &attributes, Some(&flow))).unwrap();
    assert_eq!(
        body(&transport),
        format!(
            r#"{{"email":"e@x.test","phone":"+1555","password":"pw","current_password":"old","nonce":"123456","data":{{"gone":null}},"channel":"sms",{}}}"#,
            pkce_fields(&flow)
        )
    );
    assert_eq!(UserAttributes::new().to_json_string(), "{}");

    transport.push_json(200, "{}");
    let options = ResetPasswordOptions::default().captcha_token("cap");
    block_on(recover::recover(&api, "a@b.c", &options, Some(&flow))).unwrap();
    assert_eq!(
        body(&transport),
        format!(r#"{{"email":"a@b.c","gotrue_meta_security":{{"captcha_token":"cap"}},{}}}"#, pkce_fields(&flow))
    );
}

#[test]
fn mfa_bodies_and_answers() {
    let (transport, api) = api();
    let params = MfaEnrollParams::phone("+1555").friendly_name("f").issuer("i");
    assert_eq!(params.to_json_string(), r#"{"factor_type":"phone","friendly_name":"f","issuer":"i","phone":"+1555"}"#);
    assert_eq!(MfaEnrollParams::webauthn().to_json_string(), r#"{"factor_type":"webauthn"}"#);
    transport.push_json(
        200,
        r#"{"id":"f1","type":"totp","friendly_name":null,"totp":{"qr_code":"<svg/>","secret":"S3CR","uri":"otpauth://x"}}"#,
    );
    let enrolled = block_on(mfa::enroll(&api, Some("jwt"), &MfaEnrollParams::totp())).unwrap();
    assert_eq!(body(&transport), r#"{"factor_type":"totp"}"#);
    assert_eq!(enrolled.totp.as_ref().map(|totp| totp.qr_code.as_str()), Some("data:image/svg+xml;utf-8,<svg/>"));
    assert_eq!(
        enrolled.to_json_string(),
        r#"{"id":"f1","type":"totp","friendly_name":null,"totp":{"qr_code":"data:image/svg+xml;utf-8,<svg/>","secret":"S3CR","uri":"otpauth://x"}}"#
    );

    transport.push_json(200, r#"{"id":"c1","type":"phone","expires_at":1700000000}"#);
    let challenge = block_on(mfa::challenge(&api, Some("jwt"), "f1", Some(Channel::Whatsapp))).unwrap();
    assert_eq!(body(&transport), r#"{"channel":"whatsapp"}"#);
    assert_eq!(challenge.to_json_string(), r#"{"id":"c1","type":"phone","expires_at":1700000000}"#);
    transport.push_json(200, r#"{"id":"c2"}"#);
    block_on(mfa::challenge(&api, Some("jwt"), "f1", None)).unwrap();
    assert_eq!(body(&transport), "{}");

    let webauthn = crate::json::parse(r#"{"type":"request","credential_response":{"id":"k"}}"#).unwrap();
    transport.push_json(200, &session_body());
    block_on(mfa::verify_webauthn(&api, Some("jwt"), "f1", "c1", &webauthn)).unwrap();
    assert_eq!(
        body(&transport),
        r#"{"challenge_id":"c1","webauthn":{"type":"request","credential_response":{"id":"k"}}}"#
    );

    transport.push_json(200, r#"{"id":"f1"}"#);
    assert_eq!(block_on(mfa::unenroll(&api, Some("jwt"), "f1")).unwrap(), "f1");
    transport.push_json(200, r#"{"ok":true}"#);
    assert!(block_on(mfa::unenroll(&api, Some("jwt"), "f1")).unwrap_err().message().contains("`id`"));
}

#[test]
fn mfa_answers_read_leniently() {
    let challenge: MfaChallenge =
        crate::json::from_str(r#"{"id":"c1","type":null,"expires_at":"1700000000","webauthn":null}"#).unwrap();
    assert_eq!((challenge.factor_type.as_str(), challenge.expires_at), ("", 1_700_000_000));
    assert!(challenge.webauthn.is_none());
    let challenge: MfaChallenge = crate::json::from_str(r#"{"id":"c1","expires_at":1700000000.5}"#).unwrap();
    assert_eq!(challenge.expires_at, 1_700_000_000);
    assert_eq!(
        crate::json::from_str::<MfaChallenge>(r#"{"id":"c1","expires_at":"soon"}"#),
        Err(JsonError::field("expires_at"))
    );
    assert_eq!(crate::json::from_str::<MfaChallenge>(r#"{"type":"totp"}"#), Err(JsonError::field("id")));

    let enrolled: MfaEnrollResponse = crate::json::from_str(r#"{"id":"f1","type":"phone","phone":"+1555"}"#).unwrap();
    assert_eq!(enrolled.to_json_string(), r#"{"id":"f1","type":"phone","friendly_name":null,"phone":"+1555"}"#);
    assert_eq!(crate::json::from_str::<MfaEnrollResponse>(r#"{"id":"f1"}"#), Err(JsonError::field("type")));
    assert_eq!(
        crate::json::from_str::<MfaEnrollResponse>(r#"{"id":"f1","type":"totp","totp":{"qr_code":"q","uri":"u"}}"#),
        Err(JsonError::field("secret"))
    );
}

#[test]
fn admin_bodies_and_answers() {
    let (transport, api) = api();
    let admin = AdminApi { api: &api, service_key: "service".into() };
    let attributes = AdminUserAttributes {
        email: Some("e@x.test".into()),
        phone: Some("+1555".into()),
        password: Some(crate::SecretString::new("pw")),
        email_confirm: Some(true),
        phone_confirm: Some(false),
        user_metadata: Some(object(&[("a", 1.into())])),
        app_metadata: Some(object(&[("b", 2.into())])),
        role: Some("r".into()),
        ban_duration: Some("24h".into()),
    };
    transport.push_json(200, USER);
    block_on(admin.create_user(&attributes)).unwrap();
    assert_eq!(
        body(&transport),
        r#"{"email":"e@x.test","phone":"+1555","password":"pw","email_confirm":true,"phone_confirm":false,"user_metadata":{"a":1},"app_metadata":{"b":2},"role":"r","ban_duration":"24h"}"#
    );
    assert_eq!(AdminUserAttributes::default().to_json_string(), "{}");

    transport.push_json(200, "{}");
    block_on(admin.delete_user("u1", true)).unwrap();
    assert_eq!(body(&transport), r#"{"should_soft_delete":true}"#);
    transport.push_json(200, USER);
    block_on(admin.invite_user_by_email("a@b.c", None, None)).unwrap();
    assert_eq!(body(&transport), r#"{"email":"a@b.c"}"#);
    transport.push_json(200, USER);
    block_on(admin.invite_user_by_email("a@b.c", Some(JsonObject::new()), None)).unwrap();
    assert_eq!(body(&transport), r#"{"email":"a@b.c","data":{}}"#);

    let params = GenerateLinkParams::new(GenerateLinkType::EmailChangeNew, "a@b.c")
        .new_email("n@b.c")
        .password("pw")
        .data(JsonObject::new())
        .redirect_to("https://app.test");
    transport.push_json(
        200,
        &USER.replace(
            r#""id":"u1","#,
            r#""action_link":"https://auth.test/verify?token=t","email_otp":"123456","hashed_token":"h","redirect_to":"https://app.test","verification_type":"email_change","id":"u1","#,
        ),
    );
    let link = block_on(admin.generate_link(&params)).unwrap();
    assert_eq!(
        body(&transport),
        r#"{"type":"email_change_new","email":"a@b.c","new_email":"n@b.c","password":"pw","data":{},"redirect_to":"https://app.test"}"#
    );
    assert_eq!(
        (link.email_otp.expose(), link.verification_type.as_str(), link.user.id.as_str()),
        ("123456", "email_change", "u1")
    );
    let written = crate::json::parse(&link.to_json_string()).unwrap();
    assert_eq!(
        written.get("properties").map(ToJson::to_json_string).as_deref(),
        Some(
            r#"{"action_link":"https://auth.test/verify?token=t","email_otp":"123456","hashed_token":"h","redirect_to":"https://app.test","verification_type":"email_change"}"#
        )
    );
    assert_eq!(written.get("user"), Some(&crate::json::parse(&link.user.to_json_string()).unwrap()));
    // Missing link fields read as empty, as the serde defaults did.
    transport.push_json(200, USER);
    let link = block_on(admin.generate_link(&GenerateLinkParams::new(GenerateLinkType::Signup, "a@b.c"))).unwrap();
    assert_eq!((link.action_link.as_str(), link.email_otp.expose()), ("", ""));
}

#[test]
fn user_lists_read_leniently_and_write_auth_js_shape() {
    let (transport, api) = api();
    let admin = AdminApi { api: &api, service_key: "service".into() };
    transport.push_response(
        200,
        &[
            ("x-total-count", "3"),
            ("link", r#"</admin/users?page=2&per_page=1>; rel="next", </admin/users?page=3&per_page=1>; rel="last""#),
        ],
        &format!(r#"{{"users":[{USER}],"aud":"authenticated"}}"#),
    );
    let list = block_on(admin.list_users(Some(1), Some(1))).unwrap();
    assert_eq!((list.users.len(), list.total, list.next_page, list.last_page), (1, 3, Some(2), 3));
    let written = crate::json::parse(&list.to_json_string()).unwrap();
    assert_eq!(written.get("nextPage").and_then(JsonValue::as_i64), Some(2));
    assert_eq!(written.get("lastPage").and_then(JsonValue::as_i64), Some(3));
    assert_eq!(written.get("total").and_then(JsonValue::as_i64), Some(3));
    assert_eq!(written.get("aud").and_then(JsonValue::as_str), Some("authenticated"));
    assert_eq!(written.get("users").and_then(JsonValue::as_array).map(<[JsonValue]>::len), Some(1));

    for answer in ["{}", r#"{"users":null,"aud":null}"#] {
        transport.push_json(200, answer);
        let list = block_on(admin.list_users(None, None)).unwrap();
        assert!(list.users.is_empty() && list.aud.is_empty(), "{answer}");
        assert_eq!(list.to_json_string(), r#"{"users":[],"aud":"","nextPage":null,"lastPage":0,"total":0}"#);
    }
    transport.push_json(200, r#"{"users":[{"aud":"x"}]}"#);
    assert!(block_on(admin.list_users(None, None)).unwrap_err().message().contains("`id`"));
}

#[test]
fn result_types_write_auth_js_shapes() {
    let user: User = crate::json::from_str(USER).unwrap();
    let factor = |status: &str, kind: &str| crate::Factor {
        id: format!("{kind}-{status}"),
        friendly_name: None,
        factor_type: kind.into(),
        status: status.into(),
        phone: String::new(),
        last_challenged_at: None,
        created_at: None,
        updated_at: None,
    };
    let list = FactorList::from_factors(vec![factor("verified", "totp"), factor("unverified", "phone")]);
    let written = crate::json::parse(&list.to_json_string()).unwrap();
    let count = |key: &str| written.get(key).and_then(JsonValue::as_array).map(<[JsonValue]>::len);
    assert_eq!((count("all"), count("totp"), count("phone"), count("webauthn")), (Some(2), Some(1), Some(0), Some(0)));

    let level = AuthenticatorAssurance {
        current_level: Some("aal1".into()),
        next_level: None,
        current_authentication_methods: vec![crate::json::parse(r#"{"method":"password","timestamp":1}"#).unwrap()],
    };
    assert_eq!(
        level.to_json_string(),
        r#"{"currentLevel":"aal1","nextLevel":null,"currentAuthenticationMethods":[{"method":"password","timestamp":1}]}"#
    );
    let oauth = OAuthResponse {
        provider: "github".into(),
        url: "https://auth.test/authorize?provider=github".into(),
        flow_id: Some("0f".repeat(16)),
    };
    assert_eq!(
        oauth.to_json_string(),
        format!(
            r#"{{"provider":"github","url":"https://auth.test/authorize?provider=github","flowId":"{}"}}"#,
            "0f".repeat(16)
        )
    );

    let session: crate::Session = crate::json::from_str(&format!(
        r#"{{"access_token":"at","token_type":"bearer","expires_in":3600,"expires_at":99,"refresh_token":"rt","user":{USER}}}"#
    ))
    .unwrap();
    let exchange = crate::CodeExchange { session: session.clone(), redirect_type: Some("recovery".into()) };
    assert_eq!(
        exchange.to_json_string(),
        format!(
            r#"{{"session":{},"user":{},"redirectType":"recovery"}}"#,
            session.to_json_string(),
            user.to_json_string()
        )
    );
    let verified =
        crate::VerifiedClaims { claims: JsonObject::new(), header: JsonObject::new(), signature: vec![0, 255] };
    assert_eq!(verified.to_json_string(), r#"{"claims":{},"header":{},"signature":[0,255]}"#);
    let details = crate::RedirectErrorDetails { error: "access_denied".into(), code: None };
    assert_eq!(details.to_json_string(), r#"{"error":"access_denied","code":null}"#);
}

#[test]
fn enums_write_their_wire_names() {
    let names =
        |values: &[&dyn ToJson]| values.iter().map(|value| value.to_json_string()).collect::<Vec<_>>().join(",");
    assert_eq!(names(&[&Channel::Sms, &Channel::Whatsapp]), r#""sms","whatsapp""#);
    assert_eq!(names(&[&FactorType::Totp, &FactorType::Phone, &FactorType::Webauthn]), r#""totp","phone","webauthn""#);
    assert_eq!(
        names(&[
            &OtpType::Signup,
            &OtpType::Invite,
            &OtpType::Magiclink,
            &OtpType::Recovery,
            &OtpType::EmailChange,
            &OtpType::Email,
            &OtpType::Sms,
            &OtpType::PhoneChange
        ]),
        r#""signup","invite","magiclink","recovery","email_change","email","sms","phone_change""#
    );
    assert_eq!(
        names(&[
            &GenerateLinkType::Signup,
            &GenerateLinkType::Invite,
            &GenerateLinkType::Magiclink,
            &GenerateLinkType::Recovery,
            &GenerateLinkType::EmailChangeCurrent,
            &GenerateLinkType::EmailChangeNew
        ]),
        r#""signup","invite","magiclink","recovery","email_change_current","email_change_new""#
    );
    assert_eq!(names(&[&crate::Web3Chain::Ethereum, &crate::Web3Chain::Solana]), r#""ethereum","solana""#);
    assert_eq!(names(&[&crate::AuthChangeEvent::MfaChallengeVerified]), r#""MFA_CHALLENGE_VERIFIED""#);
    let grant = crate::web3::Web3GrantBody { chain: crate::Web3Chain::Solana, message: "m\nx", signature: "s" };
    assert_eq!(grant.to_json_string(), r#"{"chain":"solana","message":"m\nx","signature":"s"}"#);
}

#[test]
fn success_answers_that_are_not_json_are_retryable_and_wrong_shapes_unknown() {
    let (transport, api) = api();
    // A captive portal or a proxy answered: the request may be tried again (as auth-js counts it).
    transport.push_json(200, "<html>proxy</html>");
    let error: AuthError = block_on(user::get_user::<_, User>(&api, "jwt")).unwrap_err();
    assert_eq!((error.kind(), error.status()), (crate::AuthErrorKind::RetryableFetch, Some(0)));
    transport.push_json(200, r#"{"id":"u1","email":"a@b.c","created_at":"yesterday"}"#);
    let error = block_on(user::get_user::<_, User>(&api, "jwt")).unwrap_err();
    assert!(error.message().contains("`created_at`"), "{}", error.message());
    assert!(!error.message().contains("yesterday"), "{}", error.message());
    let _ = User::from_json(&JsonValue::Null).unwrap_err();
}

fn field_soup() -> impl proptest::strategy::Strategy<Value = JsonValue> {
    use proptest::prelude::*;
    let keys = prop::sample::select(vec![
        "id",
        "type",
        "user",
        "users",
        "access_token",
        "refresh_token",
        "expires_in",
        "expires_at",
        "token_type",
        "email",
        "identities",
        "factors",
        "created_at",
        "weak_password",
        "reasons",
        "message",
        "totp",
        "secret",
        "qr_code",
        "uri",
        "webauthn",
        "message_id",
        "url",
        "exp",
        "amr",
        "keys",
        "code",
        "msg",
        "error_code",
    ]);
    let leaf = prop_oneof![
        Just(JsonValue::Null),
        any::<bool>().prop_map(JsonValue::Bool),
        any::<i64>().prop_map(JsonValue::from),
        "[0-9.eE+-]{1,8}".prop_filter_map("a JSON number", |text| crate::json::parse(&text).ok()),
        prop_oneof![Just("2024-05-01T10:20:30Z".to_string()), ".{0,6}".prop_map(String::from)]
            .prop_map(JsonValue::String),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(JsonValue::Array),
            prop::collection::vec((keys.clone().prop_map(String::from), inner), 0..10)
                .prop_map(|pairs| JsonValue::Object(pairs.into_iter().collect())),
        ]
    })
}

proptest::proptest! {
    #[test]
    fn reading_any_shape_never_panics(value in field_soup()) {
        let _ = User::from_json(&value);
        let _ = crate::Session::from_json(&value);
        let _ = crate::types::TokenResponse::from_json(&value).map(|response| response.into_session::<User>(0));
        let _ = MfaEnrollResponse::from_json(&value);
        let _ = MfaChallenge::from_json(&value);
        let _ = MessageSent::from_json(&value);
        let _ = crate::JwtClaims::from_json(&value);
        let text = value.to_json_string();
        let _ = crate::storage::read_session(Some(&text));
        let _ = AuthError::from_response(400, true, &text);
        let _ = crate::claims::parse_jwks(&text);
        // What reads as a user writes back as the same object, with no field lost.
        if let Ok(user) = User::from_json(&value) {
            proptest::prop_assert_eq!(User::from_json(&crate::json::parse(&user.to_json_string()).unwrap()), Ok(user));
        }
    }
}
