//! `POST /logout?scope=global|local|others` (contract §4.11).

use super::Query;
use crate::auth::{require_user, verify_bearer};
use crate::errors::ApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

pub async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let a = verify_bearer(&st, &headers)?;
    let q = Query::parse(q);
    let scope = q.get("scope").unwrap_or("");
    if !matches!(scope, "" | "global" | "local" | "others") {
        return Err(ApiError::validation(format!("Unsupported logout scope {scope:?}")));
    }
    let mut store = st.lock();
    require_user(&store, &a)?;
    let current = a.session_id;
    let doomed: Vec<_> = store
        .sessions
        .values()
        .filter(|s| s.user_id == a.user_id)
        .filter(|s| match (scope, current) {
            // A token without a session id always logs out everywhere.
            (_, None) | ("" | "global", _) => true,
            ("local", Some(c)) => s.id == c,
            (_, Some(c)) => s.id != c,
        })
        .map(|s| s.id)
        .collect();
    for id in doomed {
        store.delete_session(id);
    }
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    Ok(resp)
}
