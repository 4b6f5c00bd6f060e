//! Cross-cutting HTTP behaviour: error body versions, CORS, unknown routes, settings.
mod common;

use axum::http::Method;
use common::*;
use gotrue_test_server::config::Config;
use serde_json::json;

const ORIGIN: (&str, &str) = ("origin", "http://localhost:5173");

#[tokio::test]
async fn legacy_and_2024_error_bodies() {
    let s = Server::new(cfg());
    let body = json!({ "email": "x@example.com", "password": "abc" });

    let legacy = s.call(Method::POST, "/signup", &[], Some(body.clone())).await;
    assert_eq!(legacy.status, 422);
    assert_eq!(
        legacy.json(),
        json!({
            "code": 422,
            "error_code": "weak_password",
            "msg": "Password should be at least 6 characters.",
            "weak_password": { "reasons": ["length"] }
        })
    );
    assert_eq!(legacy.header("x-sb-error-code").as_deref(), Some("weak_password"));
    assert!(legacy.header("x-supabase-api-version").is_none());

    let v = [("x-supabase-api-version", "2024-01-01")];
    let new = s.call(Method::POST, "/signup", &v, Some(body.clone())).await;
    assert_eq!(
        new.json(),
        json!({
            "code": "weak_password",
            "message": "Password should be at least 6 characters.",
            "weak_password": { "reasons": ["length"] }
        })
    );
    assert_eq!(new.header("x-supabase-api-version").as_deref(), Some("2024-01-01"));
    assert!(new.header("x-sb-error-code").is_none(), "not set on 2024 weak-password errors");

    let r = s
        .call(
            Method::POST,
            "/token?grant_type=password",
            &v,
            Some(json!({ "email": "no@example.com", "password": "whatever" })),
        )
        .await;
    assert_eq!(r.json(), json!({ "code": "invalid_credentials", "message": "Invalid login credentials" }));
    assert_eq!(r.header("x-sb-error-code").as_deref(), Some("invalid_credentials"));

    // Older or unparsable dates fall back to the legacy shape.
    for old in ["2023-12-31", "yesterday", "2024-13-01"] {
        let r = s.call(Method::POST, "/signup", &[("x-supabase-api-version", old)], Some(body.clone())).await;
        assert_eq!(r.json()["code"], 422, "{old}");
        assert!(r.header("x-supabase-api-version").is_none());
    }

    // Success responses never carry the version header.
    let ok = s.call(Method::GET, "/settings", &v, None).await;
    assert!(ok.header("x-supabase-api-version").is_none());
}

#[tokio::test]
async fn malformed_json_and_oversized_bodies() {
    let s = Server::new(cfg());
    let req = axum::http::Request::post("/signup")
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let r = s.raw(req).await;
    assert_eq!(r.status, 400);
    let e = r.json();
    assert_eq!(e["error_code"], "bad_json");
    assert!(e["msg"].as_str().unwrap().starts_with("Could not parse request body as JSON: "));

    let big = format!("{{\"email\":\"{}\"}}", "a".repeat(1 << 20));
    let req = axum::http::Request::post("/otp").body(axum::body::Body::from(big)).unwrap();
    let r = s.raw(req).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error_code"], "request_entity_too_large");

    let r = s.post("/signup", json!({ "email": 42 })).await;
    assert_eq!(r.json()["error_code"], "bad_json");
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let s = Server::new(cfg());
    let r = s.get("/nope").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.text().trim_end(), "404 page not found");
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    let r = s.call(Method::DELETE, "/signup", &[], None).await;
    assert_eq!(r.status, 405);
    assert!(r.body.is_empty());

    // A path inside a route group meets that group's middleware first, as in GoTrue's chi
    // router: the feature switches answer JSON 404s, /admin wants admin credentials and
    // /factors a user; only then does chi's text 404 come.
    for (path, status, code) in [
        ("/passkeys/nope", 404, "passkey_disabled"),
        ("/passkeys", 404, "passkey_disabled"),
        ("/oauth/nope", 404, "feature_disabled"),
        ("/oauth/authorize", 404, "feature_disabled"),
        ("/admin/nope", 401, "no_authorization"),
        ("/admin/oauth/clients", 401, "no_authorization"),
        ("/factors/recovery-codes/nope", 401, "no_authorization"),
        ("/sso/nope", 404, "saml_provider_disabled"),
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert_eq!(r.json()["error_code"], code, "{path}");
        assert_eq!(r.header("content-type").as_deref(), Some("application/json"), "{path}");
    }
    let key = s.get("/__test/service_role_key").await.json()["key"].as_str().unwrap().to_string();
    let r = s.get_auth("/admin/oauth/clients", &key).await;
    assert_eq!((r.status, r.json()["error_code"].as_str()), (404, Some("feature_disabled")));
    let r = s.get_auth("/admin/custom-providers", &key).await;
    assert_eq!((r.status, r.json()["error_code"].as_str()), (404, Some("feature_disabled")));
    let r = s.get_auth("/admin/nope", &key).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.text().trim_end(), "404 page not found");
    // With the features on, unknown paths under them are plain 404s again.
    let s = Server::new(gotrue_test_server::config::Config { passkeys: true, oauth_server: true, ..cfg() });
    for path in ["/passkeys/a/b", "/oauth/nope"] {
        let r = s.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.text().trim_end(), "404 page not found");
    }
}

#[tokio::test]
async fn cors_preflight_allowed() {
    let s = Server::new(cfg());
    let r = s
        .call(
            Method::OPTIONS,
            "/token?grant_type=password",
            &[
                ORIGIN,
                ("access-control-request-method", "post"),
                (
                    "access-control-request-headers",
                    "apikey, authorization, content-type, x-client-info, x-supabase-api-version",
                ),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert_eq!(r.header("access-control-allow-methods").as_deref(), Some("POST"));
    assert_eq!(
        r.header("access-control-allow-headers").as_deref(),
        Some("apikey, authorization, content-type, x-client-info, x-supabase-api-version")
    );
    assert_eq!(r.header("access-control-allow-credentials").as_deref(), Some("true"));
    assert_eq!(
        r.header("vary").as_deref(),
        Some("Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
    );
    assert!(r.header("access-control-max-age").is_none());

    // Preflights are answered before routing, even for the test endpoints or unknown paths.
    let r = s
        .call(Method::OPTIONS, "/__test/mailbox/a%40b.co", &[ORIGIN, ("access-control-request-method", "GET")], None)
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
}

#[tokio::test]
async fn cors_preflight_refused() {
    let s = Server::new(cfg());
    for (method, headers) in [("POST", "redirect_to"), ("POST", "content-type, x-custom"), ("HEAD", "")] {
        let r = s
            .call(
                Method::OPTIONS,
                "/signup",
                &[ORIGIN, ("access-control-request-method", method), ("access-control-request-headers", headers)],
                None,
            )
            .await;
        assert_eq!(r.status, 204, "{method} {headers}");
        assert!(r.header("access-control-allow-origin").is_none(), "{method} {headers}");
        assert!(r.header("access-control-allow-headers").is_none());
    }
}

#[tokio::test]
async fn cors_on_actual_responses() {
    let s = Server::new(cfg());
    let r = s.call(Method::GET, "/settings", &[ORIGIN], None).await;
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert_eq!(r.header("access-control-allow-credentials").as_deref(), Some("true"));
    assert_eq!(
        r.header("access-control-expose-headers").as_deref(),
        Some("X-Total-Count, Link, X-Supabase-Api-Version")
    );
    assert_eq!(r.header("vary").as_deref(), Some("Origin"));
    let r = s.call(Method::GET, "/__test/stats", &[ORIGIN], None).await;
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    let r = s.call(Method::POST, "/signup", &[ORIGIN], Some(json!({}))).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"), "errors too");

    let r = s.get("/settings").await;
    assert!(r.header("access-control-allow-origin").is_none(), "no Origin, no CORS headers");
    assert_eq!(r.header("vary").as_deref(), Some("Origin"));
}

#[tokio::test]
async fn settings_health_and_mailbox_miss() {
    let s = Server::new(Config { autoconfirm: true, phone: true, anonymous: true, ..cfg() });
    let st = s.get("/settings").await.json();
    assert_eq!(st["external"]["email"], true);
    assert_eq!(st["external"]["phone"], true);
    assert_eq!(st["external"]["anonymous_users"], true);
    // The fake OAuth provider serves these three; the rest stay off.
    for p in ["github", "google", "gitlab"] {
        assert_eq!(st["external"][p], true, "{p}");
    }
    assert_eq!(st["external"]["apple"], false);
    assert_eq!(st["mailer_autoconfirm"], true);
    assert_eq!(st["phone_autoconfirm"], false);
    assert_eq!(st["disable_signup"], false);
    // The mailbox stands in for a working provider.
    assert_eq!(st["sms_provider"], "twilio");
    assert_eq!(st["saml_enabled"], false);
    assert_eq!(st["passkeys_enabled"], false);
    assert_eq!(s.get("/health").await.json()["name"], "GoTrue");
    // Phone enabled without an SMS provider, and with passkeys on.
    let s2 = Server::new(Config { phone: true, sms_provider: false, passkeys: true, ..cfg() });
    let st = s2.get("/settings").await.json();
    assert_eq!(st["external"]["phone"], true);
    assert_eq!(st["sms_provider"], "");
    assert_eq!(st["passkeys_enabled"], true);

    let r = s.get("/__test/mailbox/nobody%40example.com").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({ "code": "not_found", "message": "no message for that address" }));
}

#[tokio::test]
async fn phone_without_an_sms_provider() {
    // GoTrue with the phone provider on and no SMS provider fails every send with a 500; the
    // request's user is not created.
    let s = Server::new(Config { phone: true, sms_provider: false, ..cfg() });
    let r = s.post("/otp", json!({ "phone": "+15550001111" })).await;
    assert_eq!(r.status, 500, "{}", r.text());
    assert_eq!(r.json()["error_code"], "unexpected_failure");
    assert_eq!(r.json()["msg"], "Unable to get SMS provider");
    assert!(r.json()["error_id"].is_string());
    let r = s.post("/signup", json!({ "phone": "+15550001111", "password": PASSWORD })).await;
    assert_eq!(r.status, 500, "{}", r.text());
    assert!(s.st.lock().users.is_empty(), "no user was left behind");
    assert_eq!(s.get("/__test/mailbox/15550001111").await.status, 404);
    // E-mail is unaffected.
    assert_eq!(s.post("/otp", json!({ "email": "mail@example.com" })).await.status, 200);

    // With a working provider (`--phone`), the code goes to the mailbox.
    let s = Server::new(Config { phone: true, ..cfg() });
    let r = s.post("/otp", json!({ "phone": "+15550001111" })).await;
    assert_eq!((r.status, r.json()), (200, json!({})));
    assert_eq!(s.get("/__test/mailbox/15550001111").await.status, 200);
}
