//! `mfa.webauthn`'s requests against a fake transport (method, URL, headers, exact body, what
//! the answer becomes), and the ceremonies' platform-free halves.

use super::webauthn_ceremony::{
    binary_members, credential_json, lacks_user_name, merge, mfa_creation_options, mfa_request_options, refused,
    Refusal,
};
use crate::json::{parse, ToJson};
use crate::test_support::{block_on, FakeRuntime, FakeTransport};
use crate::*;

const NOW: i64 = 1_714_558_000;
const SESSION: &str = r#"{"access_token":"at1","token_type":"bearer","expires_in":3600,"refresh_token":"rt1aaaaaaaaa","user":{"id":"u1","aud":"authenticated","role":"authenticated","email":"a@b.c","phone":"","app_metadata":{},"user_metadata":{},"identities":[],"is_anonymous":false}}"#;

type Events = std::rc::Rc<std::cell::RefCell<Vec<AuthChangeEvent>>>;

/// A client with a stored, fresh session (access token `at0`), and the events it emits.
fn harness(
) -> (FakeTransport, GoTrueClient<FakeTransport, std::rc::Rc<MemoryStorage>>, std::rc::Rc<MemoryStorage>, Events) {
    let transport = FakeTransport::default();
    let storage = std::rc::Rc::new(MemoryStorage::new());
    let options = ClientOptions::new("http://auth.test/").header("apikey", "anon").storage_key("sb-t");
    let runtime = std::rc::Rc::new(FakeRuntime::at_seconds(NOW));
    let client = GoTrueClient::with_runtime(options, transport.clone(), storage.clone(), runtime);
    let stored = SESSION
        .replace("\"at1\"", "\"at0\"")
        .replace("\"expires_in\":3600", &format!("\"expires_in\":3600,\"expires_at\":{}", NOW + 3600));
    block_on(storage.set_item("sb-t", &stored)).unwrap();
    let events: Events = Default::default();
    let seen = events.clone();
    std::mem::forget(client.on_auth_state_change(move |event, _| seen.borrow_mut().push(event)));
    (transport, client, storage, events)
}

fn assert_sent(transport: &FakeTransport, method: Method, url: &str, body: &str) {
    let request = transport.last_request();
    assert_eq!(request.method, method);
    assert_eq!(request.url, url);
    assert_eq!(request.header("apikey"), Some("anon"));
    assert_eq!(request.header("authorization"), Some("Bearer at0"));
    assert_eq!(request.header("content-type"), Some("application/json;charset=UTF-8"));
    assert_eq!(request.body.as_deref(), Some(body));
}

#[test]
fn enroll_sends_a_webauthn_factor_with_its_name() {
    let (transport, client, _, _) = harness();
    transport.push_json(200, r#"{"id":"f1","type":"webauthn","friendly_name":"Key"}"#);
    let factor = block_on(client.mfa_webauthn_enroll(Some("Key"))).unwrap();
    assert_sent(
        &transport,
        Method::Post,
        "http://auth.test/factors",
        r#"{"factor_type":"webauthn","friendly_name":"Key"}"#,
    );
    assert_eq!((factor.id.as_str(), factor.factor_type.as_str()), ("f1", "webauthn"));

    transport.push_json(200, r#"{"id":"f2","type":"webauthn"}"#);
    block_on(client.mfa_webauthn_enroll(None)).unwrap();
    assert_eq!(transport.last_request().body.as_deref(), Some(r#"{"factor_type":"webauthn"}"#));
}

#[test]
fn challenge_names_the_relying_party_and_reads_the_ceremony() {
    let (transport, client, _, _) = harness();
    transport.push_json(
        200,
        r#"{"id":"c1","type":"webauthn","expires_at":7,"webauthn":{"type":"create","credential_options":{"publicKey":{"challenge":"AQID"}}}}"#,
    );
    let party = WebAuthnRelyingParty::new("localhost", ["http://localhost:8080"]);
    let challenge = block_on(client.mfa_webauthn_challenge("f/1", Some(&party))).unwrap();
    assert_sent(
        &transport,
        Method::Post,
        "http://auth.test/factors/f%2F1/challenge",
        r#"{"webauthn":{"rpId":"localhost","rpOrigins":["http://localhost:8080"]}}"#,
    );
    assert_eq!((challenge.id.as_str(), challenge.expires_at), ("c1", 7));
    assert_eq!(WebAuthnCeremony::of(&challenge), Some(WebAuthnCeremony::Create));

    transport.push_json(200, r#"{"id":"c2","type":"webauthn","webauthn":{"type":"request"}}"#);
    let challenge = block_on(client.mfa_webauthn_challenge("f1", None)).unwrap();
    assert_eq!(transport.last_request().body.as_deref(), Some("{}"));
    assert_eq!(WebAuthnCeremony::of(&challenge), Some(WebAuthnCeremony::Request));

    transport.push_json(200, r#"{"id":"c3","type":"totp"}"#);
    let totp = block_on(client.mfa_webauthn_challenge("f1", None)).unwrap();
    assert_eq!(WebAuthnCeremony::of(&totp), None);
}

#[test]
fn verify_sends_the_credential_and_stores_the_aal2_session() {
    let (transport, client, storage, events) = harness();
    transport.push_json(200, SESSION);
    let answer = WebAuthnCredentialResponse {
        ceremony: WebAuthnCeremony::Request,
        relying_party: Some(WebAuthnRelyingParty::new("localhost", ["http://localhost:8080"])),
        credential_response: parse(r#"{"id":"cred","response":{"signature":"c2ln"}}"#).unwrap(),
    };
    let verified = block_on(client.mfa_webauthn_verify("f1", "c1", &answer)).unwrap();
    assert_sent(
        &transport,
        Method::Post,
        "http://auth.test/factors/f1/verify",
        r#"{"challenge_id":"c1","webauthn":{"type":"request","rpId":"localhost","rpOrigins":["http://localhost:8080"],"credential_response":{"id":"cred","response":{"signature":"c2ln"}}}}"#,
    );
    assert_eq!(verified.session.map(|s| s.access_token.expose().to_string()).as_deref(), Some("at1"));
    let stored = block_on(storage.get_item("sb-t")).unwrap().unwrap();
    assert!(stored.contains("\"access_token\":\"at1\""), "{stored}");
    assert_eq!(events.borrow().last(), Some(&AuthChangeEvent::MfaChallengeVerified));

    // Without a relying party: type and credential only.
    let bare = WebAuthnCredentialResponse { relying_party: None, ceremony: WebAuthnCeremony::Create, ..answer };
    assert_eq!(
        bare.to_json_string(),
        r#"{"type":"create","credential_response":{"id":"cred","response":{"signature":"c2ln"}}}"#
    );

    // A refusal is the server's error; nothing stored changes.
    transport
        .push_json(422, r#"{"code":422,"error_code":"mfa_verification_failed","msg":"Unknown WebAuthn credential"}"#);
    let error = block_on(client.mfa_webauthn_verify("f1", "c2", &bare)).unwrap_err();
    assert_eq!(error.code(), Some("mfa_verification_failed"));
    assert_eq!(block_on(storage.get_item("sb-t")).unwrap().as_deref(), Some(stored.as_str()));
}

#[test]
fn verify_without_a_session_is_session_missing_and_sends_nothing() {
    let transport = FakeTransport::default();
    let options = ClientOptions::new("http://auth.test/").header("apikey", "anon");
    let client = GoTrueClient::with_runtime(
        options,
        transport.clone(),
        MemoryStorage::new(),
        std::rc::Rc::new(FakeRuntime::at_seconds(NOW)),
    );
    transport.push_json(
        401,
        r#"{"code":401,"error_code":"no_authorization","msg":"This endpoint requires a bearer token"}"#,
    );
    let answer = WebAuthnCredentialResponse {
        ceremony: WebAuthnCeremony::Request,
        relying_party: None,
        credential_response: JsonValue::Null,
    };
    // As auth-js: no session, no bearer; the server refuses.
    let error = block_on(client.mfa_webauthn_verify("f1", "c1", &answer)).unwrap_err();
    assert_eq!(transport.last_request().header("authorization"), None);
    assert_eq!(error.status(), Some(401));
}

#[test]
fn creation_options_get_auth_js_defaults_a_user_name_and_the_overrides() {
    let server = parse(
        r#"{"challenge":"AQID","user":{"id":"dTE","name":"","displayName":""},"authenticatorSelection":{"userVerification":"required"},"attestation":"none"}"#,
    )
    .unwrap();
    assert!(lacks_user_name(&server));
    let overrides = parse(r#"{"timeout":1000,"hints":["client-device"]}"#).unwrap();
    let options = mfa_creation_options(&server, "YubiKey", Some(&overrides));
    assert_eq!(
        options.to_json_string(),
        r#"{"hints":["client-device"],"authenticatorSelection":{"authenticatorAttachment":"cross-platform","requireResidentKey":false,"userVerification":"required","residentKey":"discouraged"},"attestation":"none","challenge":"AQID","user":{"id":"dTE","name":"dTE:YubiKey","displayName":"dTE:YubiKey"},"timeout":1000}"#
    );
    // A name the server gave is kept.
    let named = parse(r#"{"user":{"id":"dTE","name":"a@b.c","displayName":"A"}}"#).unwrap();
    assert!(!lacks_user_name(&named));
    let options = mfa_creation_options(&named, "ignored", None);
    assert_eq!(options.get("user").unwrap().to_json_string(), r#"{"id":"dTE","name":"a@b.c","displayName":"A"}"#);

    let request =
        mfa_request_options(&parse(r#"{"challenge":"AQID","userVerification":"discouraged"}"#).unwrap(), None);
    assert_eq!(
        request.to_json_string(),
        r#"{"userVerification":"discouraged","hints":["security-key"],"attestation":"direct","challenge":"AQID"}"#
    );
    // Non-objects are skipped, arrays replace.
    let merged = merge(&[
        &parse(r#"{"a":[1,2],"b":{"c":1}}"#).unwrap(),
        &JsonValue::Null,
        &parse(r#"{"a":[3],"b":{"d":2}}"#).unwrap(),
    ]);
    assert_eq!(merged.to_json_string(), r#"{"a":[3],"b":{"c":1,"d":2}}"#);
}

#[test]
fn binary_members_are_decoded_or_refused_without_panicking() {
    let create =
        parse(r#"{"challenge":"AQID","user":{"id":"dTE"},"excludeCredentials":[{"id":"_-8","type":"public-key"}]}"#)
            .unwrap();
    let members = binary_members(&create, WebAuthnCeremony::Create).unwrap();
    assert_eq!(members.challenge, [1, 2, 3]);
    assert_eq!(members.user_id.as_deref(), Some(&b"u1"[..]));
    assert_eq!(members.credential_ids, [vec![0xff, 0xef]]);

    let request = parse(r#"{"challenge":"AQID","allowCredentials":[{"id":"AA"},{"id":"AQ"}]}"#).unwrap();
    let members = binary_members(&request, WebAuthnCeremony::Request).unwrap();
    assert_eq!((members.user_id, members.credential_ids), (None, vec![vec![0], vec![1]]));

    for (options, ceremony, member) in [
        (r#"{}"#, WebAuthnCeremony::Request, "challenge"),
        (r#"{"challenge":"a b"}"#, WebAuthnCeremony::Request, "challenge"),
        (r#"{"challenge":"AQID"}"#, WebAuthnCeremony::Create, "user.id"),
        (r#"{"challenge":"AQID","allowCredentials":[{"id":7}]}"#, WebAuthnCeremony::Request, "allowCredentials"),
        (r#"{"challenge":"AQID","allowCredentials":"x"}"#, WebAuthnCeremony::Request, "allowCredentials"),
        (r#"[1]"#, WebAuthnCeremony::Create, "publicKey"),
    ] {
        let error = binary_members(&parse(options).unwrap(), ceremony).unwrap_err();
        assert!(error.message().ends_with(member), "{options}: {}", error.message());
        assert_eq!(error.kind(), AuthErrorKind::Unknown);
    }
}

#[test]
fn a_credential_is_written_as_the_server_reads_it() {
    let json = credential_json(
        "cred-id",
        &[("clientDataJSON", b"{}".to_vec()), ("attestationObject", vec![0xff, 0xee])],
        parse(r#"{"credProps":{"rk":true}}"#).unwrap(),
        Some("cross-platform".into()),
    );
    assert_eq!(
        json.to_json_string(),
        r#"{"id":"cred-id","rawId":"cred-id","response":{"clientDataJSON":"e30","attestationObject":"_-4"},"type":"public-key","clientExtensionResults":{"credProps":{"rk":true}},"authenticatorAttachment":"cross-platform"}"#
    );
    let bare = credential_json("c", &[], JsonValue::Object(JsonObject::new()), None);
    assert!(bare.get("authenticatorAttachment").is_none());
}

#[test]
fn refused_ceremonies_get_auth_js_codes() {
    let create = parse(
        r#"{"rp":{"id":"example.com"},"authenticatorSelection":{"requireResidentKey":true},"pubKeyCredParams":[{"type":"public-key","alg":-7}]}"#,
    )
    .unwrap();
    let request = parse(r#"{"rpId":"example.com"}"#).unwrap();
    let read = |ceremony, name, options, hostname| {
        let error = refused(&Refusal {
            ceremony,
            name,
            message: "The operation was denied.",
            options,
            hostname,
            conditional: false,
        });
        assert_eq!(error.kind(), AuthErrorKind::Unknown);
        (error.code().unwrap_or_default().to_string(), error.message().to_string())
    };
    use WebAuthnCeremony::{Create, Request};
    let cases = [
        (
            Create,
            "AbortError",
            &create,
            "example.com",
            "ERROR_CEREMONY_ABORTED",
            "Registration ceremony was sent an abort signal",
        ),
        (
            Request,
            "AbortError",
            &request,
            "example.com",
            "ERROR_CEREMONY_ABORTED",
            "Authentication ceremony was sent an abort signal",
        ),
        (
            Request,
            "NotAllowedError",
            &request,
            "example.com",
            "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY",
            "The operation was denied.",
        ),
        (
            Create,
            "InvalidStateError",
            &create,
            "example.com",
            "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED",
            "The authenticator was previously registered",
        ),
        (
            Create,
            "ConstraintError",
            &create,
            "example.com",
            "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT",
            "Discoverable credentials were required but no available authenticator supported it",
        ),
        (
            Create,
            "NotSupportedError",
            &create,
            "example.com",
            "ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG",
            "No available authenticator supported any of the specified pubKeyCredParams algorithms",
        ),
        (Create, "SecurityError", &create, "127.0.0.1", "ERROR_INVALID_DOMAIN", "127.0.0.1 is an invalid domain"),
        (
            Create,
            "SecurityError",
            &create,
            "other.example",
            "ERROR_INVALID_RP_ID",
            "The RP ID \"example.com\" is invalid for this domain",
        ),
        (
            Request,
            "SecurityError",
            &request,
            "localhost",
            "ERROR_INVALID_RP_ID",
            "The RP ID \"example.com\" is invalid for this domain",
        ),
        (
            Request,
            "InvalidStateError",
            &request,
            "example.com",
            "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY",
            "a Non-Webauthn related error has occurred",
        ),
        (
            Create,
            "UnknownError",
            &create,
            "example.com",
            "ERROR_AUTHENTICATOR_GENERAL_ERROR",
            "The authenticator was unable to process the specified options, or could not create a new credential",
        ),
    ];
    for (ceremony, name, options, hostname, code, message) in cases {
        assert_eq!(
            read(ceremony, name, options, hostname),
            (code.to_string(), message.to_string()),
            "{name} {hostname}"
        );
    }
    for host in ["a-b.example.com", "x.io", "localhost"] {
        assert_eq!(read(Request, "SecurityError", &request, host).0, "ERROR_INVALID_RP_ID", "{host}");
    }
    for host in ["", "example", "-a.com", "a--b.com", "a.c0m", "a..com"] {
        assert_eq!(read(Request, "SecurityError", &request, host).0, "ERROR_INVALID_DOMAIN", "{host}");
    }
}
