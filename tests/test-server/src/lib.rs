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

use axum::routing::{delete, get, patch, post, put};
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
        .route(
            "/factors/recovery-codes",
            get(recovery_codes::status).post(recovery_codes::generate).delete(recovery_codes::delete),
        )
        .route("/factors/recovery-codes/verify", post(recovery_codes::verify))
        .route("/factors/recovery-codes/regenerate", post(recovery_codes::regenerate))
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
        .route("/admin/users/{user_id}/passkeys", get(passkeys::admin_list))
        .route("/admin/users/{user_id}/passkeys/{passkey_id}", delete(passkeys::admin_delete))
        .route("/passkeys", get(passkeys::list))
        .route("/passkeys/", get(passkeys::list))
        .route("/passkeys/registration/options", post(passkeys::registration_options))
        .route("/passkeys/registration/verify", post(passkeys::registration_verify))
        .route("/passkeys/authentication/options", post(passkeys::authentication_options))
        .route("/passkeys/authentication/verify", post(passkeys::authentication_verify))
        .route("/passkeys/{passkey_id}", patch(passkeys::update).delete(passkeys::delete))
        .route("/oauth/authorize", get(oauth_server::authorize))
        .route("/oauth/token", post(oauth_server::token))
        .route("/oauth/authorizations/{authorization_id}", get(oauth_server::get_authorization))
        .route("/oauth/authorizations/{authorization_id}/consent", post(oauth_server::consent))
        .route("/user/oauth/grants", get(oauth_server::list_grants).delete(oauth_server::revoke_grant))
        .route("/admin/oauth/clients", get(oauth_server::admin_list_clients).post(oauth_server::admin_create_client))
        .route(
            "/admin/oauth/clients/{client_id}",
            get(oauth_server::admin_get_client)
                .put(oauth_server::admin_update_client)
                .delete(oauth_server::admin_delete_client),
        )
        .route("/admin/oauth/clients/{client_id}/regenerate_secret", post(oauth_server::admin_regenerate_secret))
        .route("/admin/custom-providers", get(custom_providers::list).post(custom_providers::create))
        .route(
            "/admin/custom-providers/{identifier}",
            get(custom_providers::get).put(custom_providers::update).delete(custom_providers::delete),
        )
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
        .with_state(state.clone());
    // `Router::layer` wraps each route separately, so a preflight would still pass through the
    // matched route's method handling (which adds `Allow`). Nesting the routes as the fallback of
    // an empty router puts the middleware around the whole thing, as rs/cors wraps chi.
    Router::new()
        .fallback_service(routes)
        .layer(middleware::from_fn_with_state(state, routes::group_gate))
        .layer(middleware::from_fn(errors::render))
        .layer(middleware::from_fn(cors::cors))
}
