//! `GET /settings`, `GET /health` (contract §4.1, §4.17); the JWKS is in `jwks.rs`.

use super::ok;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

const OAUTH_PROVIDERS: [&str; 23] = [
    "apple",
    "azure",
    "bitbucket",
    "discord",
    "facebook",
    "snapchat",
    "figma",
    "fly",
    "github",
    "gitlab",
    "google",
    "keycloak",
    "kakao",
    "linkedin",
    "linkedin_oidc",
    "notion",
    "spotify",
    "slack",
    "slack_oidc",
    "workos",
    "twitch",
    "twitter",
    "zoom",
];

pub async fn settings(State(st): State<AppState>) -> Response {
    let cfg = &st.cfg;
    let mut external = serde_json::Map::new();
    for p in OAUTH_PROVIDERS {
        external.insert(p.into(), json!(super::oauth::is_enabled(p)));
    }
    external.insert("anonymous_users".into(), json!(cfg.anonymous));
    external.insert("email".into(), json!(true));
    external.insert("phone".into(), json!(cfg.phone));
    ok(json!({
        "external": external,
        "disable_signup": cfg.disable_signup,
        "mailer_autoconfirm": cfg.autoconfirm,
        "phone_autoconfirm": cfg.sms_autoconfirm,
        // The configured provider's name; the mailbox stands in for Twilio.
        "sms_provider": if cfg.phone && cfg.sms_provider { "twilio" } else { "" },
        "saml_enabled": cfg.saml,
        "saml_private_key_next_configured": false,
        "passkeys_enabled": cfg.passkeys,
    }))
}

pub async fn health() -> Response {
    ok(json!({
        "version": concat!("gotrue-test-server-", env!("CARGO_PKG_VERSION")),
        "name": "GoTrue",
        "description": "GoTrue is a user registration and authentication API",
    }))
}
