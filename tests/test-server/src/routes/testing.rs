//! Test-only endpoints (not part of GoTrue): the mailbox and request counters.

use super::{json_response, ok};
use crate::mailbox::mailbox_key;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

pub async fn mailbox(State(st): State<AppState>, Path(address): Path<String>) -> Response {
    let key = mailbox_key(&address);
    let store = st.lock();
    match store.mailbox.get(&key) {
        Some(m) => ok(m.to_json()),
        None => json_response(
            StatusCode::NOT_FOUND,
            &json!({ "code": "not_found", "message": "no message for that address" }),
        ),
    }
}

pub async fn stats(State(st): State<AppState>) -> Response {
    let store = st.lock();
    ok(json!({
        "refresh_token_requests": store.stats.refresh_token_requests,
        "password_requests": store.stats.password_requests,
        "users": store.users.len(),
        "sessions": store.sessions.len(),
    }))
}

/// `POST /__test/stats/reset`: zeroes the request counters (users and sessions stay).
pub async fn reset_stats(State(st): State<AppState>) -> Response {
    st.lock().stats.reset();
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    resp
}
