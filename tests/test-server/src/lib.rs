//! An in-memory, GoTrue-compatible Supabase Auth server for gotrue-wasm's browser tests and demo.
//! It follows `server-contract.md` for the endpoints a client library uses, and adds test-only
//! endpoints under `/__test/`: the mailbox, request counters and a fake OAuth provider.

pub mod auth;
pub mod clock;
pub mod config;
pub mod cors;
pub mod errors;
pub mod jwt;
pub mod mailbox;
pub mod mailer;
pub mod models;
pub mod redirect;
pub mod routes;
pub mod state;
pub mod tokens;
pub mod validate;

use axum::routing::{get, post};
use axum::{middleware, Router};
use routes::*;
pub use state::AppState;

pub fn app(state: AppState) -> Router {
    let routes = Router::new()
        .route("/settings", get(settings::settings))
        .route("/health", get(settings::health))
        .route("/.well-known/jwks.json", get(settings::jwks))
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
        .route("/__test/mailbox/{address}", get(testing::mailbox))
        .route("/__test/stats", get(testing::stats))
        .route("/__test/stats/reset", post(testing::reset_stats))
        .route("/__test/oauth/authorize", get(fake_provider::authorize))
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
