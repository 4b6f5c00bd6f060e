//! The admin API (contract §4.16): service-role auth, users, pagination headers, invites,
//! generate_link and admin factor management.

mod common;

use axum::http::Method;
use common::*;
use gotrue_test_server::config::{Config, DEFAULT_JWT_SECRET};
use gotrue_test_server::jwt;
use serde_json::{json, Value};

fn admin_key() -> String {
    jwt::sign(DEFAULT_JWT_SECRET, &json!({ "role": "service_role" }))
}

async fn admin(s: &Server, method: Method, uri: &str, body: Option<Value>) -> Resp {
    let bearer = format!("Bearer {}", admin_key());
    s.call(method, uri, &[("authorization", &bearer)], body).await
}

fn error_code(r: &Resp) -> String {
    r.json()["error_code"].as_str().unwrap_or("").to_string()
}

async fn create(s: &Server, body: Value) -> Value {
    let r = admin(s, Method::POST, "/admin/users", Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// `http://127.0.0.1:9999/verify?…` → the path the in-process router takes.
fn local(url: &str) -> String {
    url.strip_prefix(EXTERNAL).unwrap_or_else(|| panic!("not on this server: {url}")).to_string()
}

#[tokio::test]
async fn admin_auth_rules() {
    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    let r = s.get("/admin/users").await;
    assert_eq!(r.status, 401);
    assert_eq!(error_code(&r), "no_authorization");

    let user = s.post("/signup", json!({ "email": "plain@example.com", "password": PASSWORD })).await.json();
    let r = s.get_auth("/admin/users", user["access_token"].as_str().unwrap()).await;
    assert_eq!(r.status, 403);
    assert_eq!(error_code(&r), "not_admin");
    assert_eq!(r.json()["msg"], "User not allowed");

    let forged = jwt::sign("some other secret", &json!({ "role": "service_role" }));
    let r = s.get_auth("/admin/users", &forged).await;
    assert_eq!(r.status, 403);
    assert_eq!(error_code(&r), "bad_jwt");
    let anon = jwt::sign(DEFAULT_JWT_SECRET, &json!({ "role": "anon" }));
    assert_eq!(s.get_auth("/admin/users", &anon).await.status, 403);
    let expired = jwt::sign(DEFAULT_JWT_SECRET, &json!({ "role": "service_role", "exp": 1 }));
    let r = s.get_auth("/admin/users", &expired).await;
    assert_eq!(error_code(&r), "bad_jwt");
    let sa = jwt::sign(DEFAULT_JWT_SECRET, &json!({ "role": "supabase_admin" }));
    assert_eq!(s.get_auth("/admin/users", &sa).await.status, 200);

    // The test-only endpoint hands out a working key, with CORS for browser tests.
    let r = s.call(Method::GET, "/__test/service_role_key", &[("origin", "http://localhost:5173")], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    let key = r.json()["key"].as_str().unwrap().to_string();
    assert_eq!(claims(&key), json!({ "role": "service_role" }));
    assert_eq!(s.get_auth("/admin/users", &key).await.status, 200);

    // Every admin route is guarded.
    let id = uuid::Uuid::new_v4();
    for (m, uri) in [
        (Method::POST, "/admin/users".to_string()),
        (Method::GET, format!("/admin/users/{id}")),
        (Method::PUT, format!("/admin/users/{id}")),
        (Method::DELETE, format!("/admin/users/{id}")),
        (Method::GET, format!("/admin/users/{id}/factors")),
        (Method::DELETE, format!("/admin/users/{id}/factors/{id}")),
        (Method::POST, "/admin/generate_link".to_string()),
        (Method::POST, "/invite".to_string()),
    ] {
        let r = s.call(m.clone(), &uri, &[], Some(json!({}))).await;
        assert_eq!(r.status, 401, "{m} {uri}");
        let bearer = format!("Bearer {anon}");
        let r = s.call(m.clone(), &uri, &[("authorization", &bearer)], Some(json!({}))).await;
        assert_eq!(r.status, 403, "{m} {uri}");
        assert_eq!(error_code(&r), "not_admin", "{m} {uri}");
    }
}

#[tokio::test]
async fn list_users_pagination_headers() {
    let s = Server::new(cfg());
    let r = admin(&s, Method::GET, "/admin/users", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({ "users": [], "aud": "authenticated" }));
    assert_eq!(r.header("x-total-count").as_deref(), Some("0"));
    assert_eq!(r.header("link").as_deref(), Some(r#"</admin/users?page=0>; rel="last""#));

    let mut ids = Vec::new();
    for i in 0..12 {
        let u = create(&s, json!({ "email": format!("user{i:02}@example.com") })).await;
        ids.push(u["id"].as_str().unwrap().to_string());
    }
    let r = admin(&s, Method::GET, "/admin/users?page=1&per_page=5", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-total-count").as_deref(), Some("12"));
    assert_eq!(
        r.header("link").as_deref(),
        Some(r#"</admin/users?page=2&per_page=5>; rel="next", </admin/users?page=3&per_page=5>; rel="last""#)
    );
    let body = r.json();
    assert_eq!(body["aud"], "authenticated");
    let users = body["users"].as_array().unwrap();
    assert_eq!(users.len(), 5);
    // Newest first.
    assert_eq!(users[0]["id"], ids[11]);
    assert_eq!(users[4]["id"], ids[7]);
    for u in users {
        assert!(u["identities"].is_null(), "{u}");
        assert!(u.get("factors").is_none(), "{u}");
    }

    let r = admin(&s, Method::GET, "/admin/users?per_page=5&page=3", None).await;
    assert_eq!(r.json()["users"].as_array().unwrap().len(), 2);
    assert_eq!(r.json()["users"][1]["id"], ids[0]);
    assert_eq!(r.header("link").as_deref(), Some(r#"</admin/users?page=3&per_page=5>; rel="last""#));

    // Page numbers of two digits come through whole.
    let r = admin(&s, Method::GET, "/admin/users?page=11&per_page=1", None).await;
    assert_eq!(
        r.header("link").as_deref(),
        Some(r#"</admin/users?page=12&per_page=1>; rel="next", </admin/users?page=12&per_page=1>; rel="last""#)
    );
    let r = admin(&s, Method::GET, "/admin/users?per_page=1", None).await;
    assert_eq!(
        r.header("link").as_deref(),
        Some(r#"</admin/users?page=2&per_page=1>; rel="next", </admin/users?page=12&per_page=1>; rel="last""#)
    );
    // Other query parameters stay in the links, sorted as Go encodes them.
    let r = admin(&s, Method::GET, "/admin/users?sort=created_at%20asc&per_page=10&filter=user0", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("x-total-count").as_deref(), Some("10"));
    assert_eq!(r.json()["users"][0]["id"], ids[0]);
    assert_eq!(
        r.header("link").as_deref(),
        Some(r#"</admin/users?filter=user0&page=1&per_page=10&sort=created_at+asc>; rel="last""#)
    );

    for q in ["page=x", "per_page=0", "per_page=-1", "sort=email"] {
        let r = admin(&s, Method::GET, &format!("/admin/users?{q}"), None).await;
        assert_eq!(r.status, 400, "{q}");
    }

    // The browser can read the pagination headers.
    let bearer = format!("Bearer {}", admin_key());
    let r = s
        .call(
            Method::GET,
            "/admin/users?per_page=5",
            &[("authorization", &bearer), ("origin", "http://localhost:5173")],
            None,
        )
        .await;
    assert_eq!(
        r.header("access-control-expose-headers").as_deref(),
        Some("X-Total-Count, Link, X-Supabase-Api-Version")
    );
}

#[tokio::test]
async fn create_get_update_delete_users() {
    let s = Server::new(cfg());
    let u = create(
        &s,
        json!({
            "email": "Admin.Made@Example.com",
            "password": "a",
            "email_confirm": true,
            "user_metadata": { "name": "Ada" },
            "app_metadata": { "plan": "pro", "provider": "custom" },
            "role": "tester",
        }),
    )
    .await;
    assert_eq!(u["email"], "admin.made@example.com");
    assert!(u["email_confirmed_at"].is_string());
    assert_eq!(u["role"], "tester");
    assert_eq!(u["user_metadata"]["name"], "Ada");
    assert_eq!(u["app_metadata"], json!({ "provider": "custom", "providers": ["email"], "plan": "pro" }));
    assert_eq!(u["identities"][0]["provider"], "email");
    assert_eq!(u["identities"][0]["identity_data"]["email_verified"], true);
    assert_eq!(u["is_anonymous"], false);
    let id = u["id"].as_str().unwrap().to_string();
    // Creating does not apply the password policy; the password works.
    let r = s.password_login("admin.made@example.com", "a").await;
    assert_eq!(r.status, 200, "{}", r.text());

    let r = admin(&s, Method::POST, "/admin/users", Some(json!({ "email": "admin.made@example.com" }))).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "email_exists");
    let p = create(&s, json!({ "phone": "+1 555 123 0000", "phone_confirm": true })).await;
    assert_eq!(p["phone"], "15551230000");
    assert_eq!(p["email"], "");
    assert_eq!(p["app_metadata"]["providers"], json!(["phone"]));
    let r = admin(&s, Method::POST, "/admin/users", Some(json!({ "phone": "15551230000" }))).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "phone_exists");
    let r = admin(&s, Method::POST, "/admin/users", Some(json!({ "user_metadata": {} }))).await;
    assert_eq!(r.status, 400);
    let r =
        admin(&s, Method::POST, "/admin/users", Some(json!({ "email": "x@example.com", "ban_duration": "forever" })))
            .await;
    assert_eq!(r.status, 400);

    let r = admin(&s, Method::GET, &format!("/admin/users/{id}"), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], id);
    assert!(r.json()["identities"].is_array());
    let r = admin(&s, Method::GET, "/admin/users/not-a-uuid", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "validation_failed");
    let r = admin(&s, Method::GET, &format!("/admin/users/{}", uuid::Uuid::new_v4()), None).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "user_not_found");

    let uri = format!("/admin/users/{id}");
    let r = admin(&s, Method::PUT, &uri, Some(json!({ "password": "abc" }))).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "weak_password");
    let r = admin(
        &s,
        Method::PUT,
        &uri,
        Some(json!({
            "password": "a-new-password",
            "email": "renamed@example.com",
            "user_metadata": { "name": null, "age": 3 },
            "app_metadata": { "plan": "free" },
        })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json();
    assert_eq!(u["email"], "renamed@example.com");
    // email_confirm mirrored email_verified into the metadata, as GoTrue does.
    assert_eq!(u["user_metadata"], json!({ "age": 3, "email_verified": true }));
    assert_eq!(u["app_metadata"]["plan"], "free");
    assert_eq!(u["identities"][0]["identity_data"]["email"], "renamed@example.com");
    assert_eq!(s.password_login("renamed@example.com", "a-new-password").await.status, 200);

    // Bans: password sign-in, refresh and bearer calls are refused until lifted.
    let session = s.password_login("renamed@example.com", "a-new-password").await.json();
    let r = admin(&s, Method::PUT, &uri, Some(json!({ "ban_duration": "1h30m" }))).await;
    assert!(r.json()["banned_until"].is_string());
    let r = s.password_login("renamed@example.com", "a-new-password").await;
    assert_eq!(r.status, 400);
    assert_eq!(error_code(&r), "user_banned");
    let r = s.get_auth("/user", session["access_token"].as_str().unwrap()).await;
    assert_eq!(r.status, 403);
    assert_eq!(error_code(&r), "user_banned");
    let r = s.refresh(session["refresh_token"].as_str().unwrap()).await;
    assert_eq!(error_code(&r), "user_banned");
    let r = admin(&s, Method::PUT, &uri, Some(json!({ "ban_duration": "none" }))).await;
    assert!(r.json().get("banned_until").is_none());
    assert_eq!(s.get_auth("/user", session["access_token"].as_str().unwrap()).await.status, 200);

    // Soft delete: obfuscated, sessions gone, still listed with deleted_at.
    let r = admin(&s, Method::DELETE, &uri, Some(json!({ "should_soft_delete": true }))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({}));
    let u = admin(&s, Method::GET, &uri, None).await.json();
    assert!(u["deleted_at"].is_string());
    assert_ne!(u["email"], "renamed@example.com");
    assert_eq!(u["user_metadata"], json!({}));
    let r = s.get_auth("/user", session["access_token"].as_str().unwrap()).await;
    assert_eq!(error_code(&r), "session_not_found");
    assert_eq!(s.password_login("renamed@example.com", "a-new-password").await.status, 400);

    // Hard delete, with no body at all.
    let r = admin(&s, Method::DELETE, &uri, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(admin(&s, Method::GET, &uri, None).await.status, 404);
    let r = admin(&s, Method::DELETE, &uri, None).await;
    assert_eq!(error_code(&r), "user_not_found");
}

#[tokio::test]
async fn invite_mail_link_and_otp() {
    let s = Server::new(cfg());
    let bearer = format!("Bearer {}", admin_key());
    let r = s
        .call(
            Method::POST,
            "/invite?redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fwelcome",
            &[("authorization", &bearer)],
            Some(json!({ "email": "Invitee@example.com", "data": { "team": "blue" } })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json();
    assert_eq!(u["email"], "invitee@example.com");
    assert!(u["invited_at"].is_string());
    assert!(u["confirmation_sent_at"].is_string());
    assert!(u.get("email_confirmed_at").is_none());
    assert_eq!(u["user_metadata"]["team"], "blue");

    let mail = s.mailbox("invitee@example.com").await;
    assert_eq!(mail["type"], "invite");
    assert_eq!(mail["redirect_to"], "http://localhost:3000/welcome");
    let link = mail["link"].as_str().unwrap();
    assert!(link.contains("&type=invite&"), "{link}");
    let r = s.get(&local(link)).await;
    assert_eq!(r.status, 303);
    let loc = r.location();
    assert!(loc.starts_with("http://localhost:3000/welcome#access_token="), "{loc}");
    assert!(loc.ends_with("&type=invite"), "{loc}");

    // Confirmed now: inviting again is refused.
    let r = admin(&s, Method::POST, "/invite", Some(json!({ "email": "invitee@example.com" }))).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "email_exists");

    // The OTP of an invite works with POST /verify too.
    let r = admin(&s, Method::POST, "/invite", Some(json!({ "email": "second@example.com" }))).await;
    assert_eq!(r.status, 200);
    let otp = s.mailbox("second@example.com").await["otp"].clone();
    let r = s.post("/verify", json!({ "type": "invite", "email": "second@example.com", "token": otp })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["user"]["email_confirmed_at"].is_string());

    let r = admin(&s, Method::POST, "/invite", Some(json!({ "email": "nope" }))).await;
    assert_eq!(r.status, 400);
}

async fn generate(s: &Server, body: Value) -> Resp {
    admin(s, Method::POST, "/admin/generate_link", Some(body)).await
}

/// Follows an action link; returns the Location of the 303.
async fn follow(s: &Server, link: &str) -> String {
    let r = s.get(&local(link)).await;
    assert_eq!(r.status, 303, "{}", r.text());
    r.location()
}

#[tokio::test]
async fn generate_link_for_every_type() {
    let s = Server::new(cfg());
    // signup: a new user with a password, link confirms and signs in.
    let r = generate(
        &s,
        json!({ "type": "signup", "email": "gen@example.com", "password": PASSWORD,
                "data": { "k": "v" }, "redirect_to": "http://localhost:3000/done" }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let g = r.json();
    assert_eq!(g["email"], "gen@example.com", "user fields are flattened");
    // Only the caller's data, as GoTrue answers; the identity keeps sub, email and the flags.
    assert_eq!(g["user_metadata"], json!({ "k": "v" }));
    let identity = &g["identities"][0]["identity_data"];
    assert_eq!(identity["email"], "gen@example.com");
    assert_eq!(identity["sub"], g["id"]);
    assert_eq!(g["verification_type"], "signup");
    assert_eq!(g["redirect_to"], "http://localhost:3000/done");
    assert_eq!(g["email_otp"].as_str().unwrap().len(), 6);
    let hashed = g["hashed_token"].as_str().unwrap();
    assert_eq!(
        g["action_link"],
        format!("{EXTERNAL}/verify?token={hashed}&type=signup&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fdone")
    );
    assert!(s.get("/__test/mailbox/gen@example.com").await.status == 404, "no mail is sent");
    let loc = follow(&s, g["action_link"].as_str().unwrap()).await;
    assert!(loc.starts_with("http://localhost:3000/done#access_token="), "{loc}");
    assert_eq!(s.password_login("gen@example.com", PASSWORD).await.status, 200);

    // Confirmed users cannot get a signup or invite link.
    for kind in ["signup", "invite"] {
        let r = generate(&s, json!({ "type": kind, "email": "gen@example.com", "password": PASSWORD })).await;
        assert_eq!(r.status, 422, "{kind}");
        assert_eq!(error_code(&r), "email_exists");
    }
    let r = generate(&s, json!({ "type": "signup", "email": "nopw@example.com" })).await;
    assert_eq!(r.status, 400);
    let r = generate(&s, json!({ "type": "signup", "email": "weak@example.com", "password": "abc" })).await;
    assert_eq!(error_code(&r), "weak_password");
    let r = generate(&s, json!({ "type": "bogus", "email": "gen@example.com" })).await;
    assert_eq!(r.status, 400);
    assert_eq!(error_code(&r), "validation_failed");

    // magiclink and recovery for an existing user: link and OTP.
    let g = generate(&s, json!({ "type": "magiclink", "email": "gen@example.com" })).await.json();
    assert_eq!(g["verification_type"], "magiclink");
    assert_eq!(g["redirect_to"], "http://localhost:3000", "SITE_URL without redirect_to");
    let loc = follow(&s, g["action_link"].as_str().unwrap()).await;
    assert!(loc.contains("#access_token=") && loc.ends_with("&type=magiclink"), "{loc}");
    let g = generate(
        &s,
        json!({ "type": "recovery", "email": "gen@example.com", "redirect_to": "https://evil.example/x" }),
    )
    .await
    .json();
    assert_eq!(g["redirect_to"], "http://localhost:3000", "not allow-listed");
    let r = s.post("/verify", json!({ "type": "recovery", "email": "gen@example.com", "token": g["email_otp"] })).await;
    assert_eq!(r.status, 200, "{}", r.text());

    // Unknown e-mail: magiclink becomes signup; recovery and email changes are 404.
    let g = generate(&s, json!({ "type": "magiclink", "email": "fresh@example.com" })).await.json();
    assert_eq!(g["verification_type"], "signup");
    assert!(g["action_link"].as_str().unwrap().contains("&type=signup&"));
    let loc = follow(&s, g["action_link"].as_str().unwrap()).await;
    assert!(loc.contains("#access_token="), "{loc}");
    for kind in ["recovery", "email_change_current", "email_change_new"] {
        let r =
            generate(&s, json!({ "type": kind, "email": "ghost@example.com", "new_email": "g2@example.com" })).await;
        assert_eq!(r.status, 404, "{kind}");
        assert_eq!(error_code(&r), "user_not_found");
    }

    // invite for a new address.
    let g = generate(&s, json!({ "type": "invite", "email": "invited@example.com" })).await.json();
    assert!(g["invited_at"].is_string());
    let loc = follow(&s, g["action_link"].as_str().unwrap()).await;
    assert!(loc.ends_with("&type=invite"), "{loc}");

    // Email change: both links, the first is a half confirmation, the second completes it.
    let r = generate(
        &s,
        json!({ "type": "email_change_current", "email": "gen@example.com", "new_email": "invited@example.com" }),
    )
    .await;
    assert_eq!(error_code(&r), "email_exists");
    let cur = generate(
        &s,
        json!({ "type": "email_change_current", "email": "gen@example.com", "new_email": "Moved@example.com" }),
    )
    .await
    .json();
    assert_eq!(cur["new_email"], "moved@example.com");
    assert_eq!(cur["verification_type"], "email_change_current");
    assert!(cur["action_link"].as_str().unwrap().contains("&type=email_change&"));
    let new = generate(
        &s,
        json!({ "type": "email_change_new", "email": "gen@example.com", "new_email": "moved@example.com" }),
    )
    .await
    .json();
    let loc = follow(&s, cur["action_link"].as_str().unwrap()).await;
    assert!(loc.contains("#message=Confirmation+link+accepted"), "{loc}");
    let r = s
        .post("/verify", json!({ "type": "email_change", "email": "moved@example.com", "token": new["email_otp"] }))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["user"]["email"], "moved@example.com");

    // A lone email_change_new link completes the change by itself.
    let g = generate(
        &s,
        json!({ "type": "email_change_new", "email": "moved@example.com", "new_email": "final@example.com" }),
    )
    .await
    .json();
    let loc = follow(&s, g["action_link"].as_str().unwrap()).await;
    assert!(loc.contains("#access_token="), "{loc}");
    assert_eq!(s.password_login("final@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn admin_factor_management_and_logout() {
    let s = Server::new(Config { autoconfirm: true, ..cfg() });
    let session = s.post("/signup", json!({ "email": "factors@example.com", "password": PASSWORD })).await.json();
    let t = session["access_token"].as_str().unwrap();
    let uid = session["user"]["id"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {t}");
    let r = s
        .call(
            Method::POST,
            "/factors",
            &[("authorization", &bearer)],
            Some(json!({ "factor_type": "totp", "friendly_name": "app" })),
        )
        .await;
    let fid = r.json()["id"].as_str().unwrap().to_string();

    let r = admin(&s, Method::GET, &format!("/admin/users/{uid}/factors"), None).await;
    assert_eq!(r.status, 200);
    let list = r.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], fid);
    assert_eq!(list[0]["status"], "unverified");
    assert!(list[0]["last_challenged_at"].is_null());

    let r = admin(
        &s,
        Method::PUT,
        &format!("/admin/users/{uid}/factors/{fid}"),
        Some(json!({ "friendly_name": "renamed" })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["friendly_name"], "renamed");

    let missing = uuid::Uuid::new_v4();
    let r = admin(&s, Method::DELETE, &format!("/admin/users/{uid}/factors/{missing}"), None).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "mfa_factor_not_found");
    let r = admin(&s, Method::DELETE, &format!("/admin/users/{uid}/factors/nope"), None).await;
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "validation_failed");
    let r = admin(&s, Method::DELETE, &format!("/admin/users/{uid}/factors/{fid}"), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], fid);
    assert_eq!(r.json()["friendly_name"], "renamed");
    let r = admin(&s, Method::GET, &format!("/admin/users/{uid}/factors"), None).await;
    assert_eq!(r.json(), json!([]));

    // auth-js's admin signOut is POST /logout?scope=… with the user's own JWT.
    let other = s.password_login("factors@example.com", PASSWORD).await.json();
    let r = s.post_auth("/logout?scope=others", t).await;
    assert_eq!(r.status, 204);
    assert_eq!(s.get_auth("/user", t).await.status, 200);
    let r = s.get_auth("/user", other["access_token"].as_str().unwrap()).await;
    assert_eq!(error_code(&r), "session_not_found");
}

#[test]
fn binary_prints_the_service_role_key_second() {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gotrue-test-server"))
        .args(["--port", "0", "--jwt-secret", "binary-secret"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    lines.read_line(&mut first).unwrap();
    lines.read_line(&mut second).unwrap();
    let result = std::panic::catch_unwind(|| {
        let addr = first
            .trim_end()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("first line {first:?}"))
            .to_string();
        let key = second
            .trim_end()
            .strip_prefix("service_role_key ")
            .unwrap_or_else(|| panic!("second line {second:?}"))
            .to_string();
        assert!(jwt::verify("binary-secret", &key, 0).is_ok());
        let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
        write!(tcp, "GET /admin/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut out = String::new();
        tcp.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        assert!(out.to_ascii_lowercase().contains("x-total-count: 0"), "{out}");
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
