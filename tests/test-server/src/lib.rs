//! An in-memory, GoTrue-compatible Supabase Auth server for gotrue-wasm's browser tests and demo.
//! It follows `server-contract.md` for the endpoints a client library uses, and adds test-only
//! endpoints under `/__test/`: the mailbox, request counters, a fake OAuth provider, a test
//! OpenID issuer, a fake SSO identity provider and signing-key rotation.

pub mod auth;
pub mod clock;
pub mod config;
pub mod cors;
pub mod errors;
pub mod factor;
pub mod jwt;
pub mod keys;
pub mod mailbox;
pub mod mailer;
pub mod models;
pub mod redirect;
pub mod routes;
pub mod soft_authenticator;
pub mod state;
pub mod tokens;
pub mod totp;
pub mod validate;
pub mod webauthn;

use axum::routing::{delete, get, post, put};
use axum::{middleware, Router};
use routes::*;
pub use state::AppState;

pub fn app(state: AppState) -> Router {
    let routes = Router::new()
        .route("/settings", get(settings::settings))
        .route("/health", get(settings::health))
        .route("/.well-known/jwks.json", get(jwks::jwks))
        .route("/signup", post(signup::signup))
        .route("/token", post(token::token))
        .route("/otp", post(otp::otp))
        .route("/magiclink", post(otp::magiclink))
        .route("/recover", post(recover::recover))
        .route("/resend", post(resend::resend))
        .route("/verify", get(verify::verify_get).post(verify::verify_post))
        .route("/user", get(user::get_user).put(user::put_user))
        .route("/reauthenticate", get(user::reauthenticate))
        .route("/logout", post(logout::logout))
        .route("/authorize", get(oauth::authorize))
        .route("/callback", get(oauth::callback).post(oauth::callback))
        .route("/factors", post(mfa::enroll))
        .route("/factors/{factor_id}", delete(mfa::unenroll))
        .route("/factors/{factor_id}/challenge", post(mfa::challenge))
        .route("/factors/{factor_id}/verify", post(mfa::verify))
        .route("/user/identities/authorize", get(identities::authorize))
        .route("/user/identities/{identity_id}", delete(identities::unlink))
        .route("/invite", post(admin::invite))
        .route("/admin/generate_link", post(admin::generate_link))
        .route("/admin/users", get(admin::list_users).post(admin::create_user))
        .route("/admin/users/{user_id}", get(admin::get_user).put(admin::update_user).delete(admin::delete_user))
        .route("/admin/users/{user_id}/factors", get(admin::list_factors))
        .route("/admin/users/{user_id}/factors/{factor_id}", put(admin::update_factor).delete(admin::delete_factor))
        .route("/__test/service_role_key", get(admin::service_role_key_endpoint))
        .route("/__test/mailbox/{address}", get(testing::mailbox))
        .route("/__test/stats", get(testing::stats))
        .route("/__test/stats/reset", post(testing::reset_stats))
        .route("/__test/oauth/authorize", get(fake_provider::authorize))
        .route("/sso", post(sso::sso))
        .route("/sso/saml/acs", get(sso::acs).post(sso::acs))
        .route("/__test/sso/idp", get(sso::idp))
        .route("/__test/rotate_signing_key", post(jwks::rotate))
        .route("/__test/oidc/jwks.json", get(id_token::oidc_jwks))
        .route("/__test/oidc/.well-known/openid-configuration", get(id_token::oidc_configuration))
        .route("/__test/oidc/issue", post(id_token::oidc_issue))
        .fallback(not_found)
        .with_state(state);
    // `Router::layer` wraps each route separately, so a preflight would still pass through the
    // matched route's method handling (which adds `Allow`). Nesting the routes as the fallback of
    // an empty router puts the middleware around the whole thing, as rs/cors wraps chi.
    Router::new()
        .fallback_service(routes)
        .layer(middleware::from_fn(errors::render))
        .layer(middleware::from_fn(cors::cors))
}
