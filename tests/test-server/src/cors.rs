//! CORS as rs/cors v1.11 does it for GoTrue: every origin, a fixed header allow-list (plus `apikey`,
//! as if GOTRUE_CORS_ALLOWED_HEADERS=apikey), preflights answered before routing.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

const ALLOWED_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Lower-cased; rs/cors always accepts `Origin` as well.
const ALLOWED_HEADERS: [&str; 10] = [
    "accept",
    "authorization",
    "content-type",
    "x-client-ip",
    "x-client-info",
    "x-jwt-aud",
    "x-use-cookie",
    "x-supabase-api-version",
    "apikey",
    "origin",
];

const EXPOSED_HEADERS: &str = "X-Total-Count, Link, X-Supabase-Api-Version";

fn method_allowed(m: &str) -> bool {
    let m = m.to_ascii_uppercase();
    m == "OPTIONS" || ALLOWED_METHODS.contains(&m.as_str())
}

fn has_origin(req: &Request) -> bool {
    req.headers().get(header::ORIGIN).is_some_and(|v| !v.as_bytes().is_empty())
}

fn preflight(req: &Request) -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    let h = resp.headers_mut();
    h.insert(
        header::VARY,
        HeaderValue::from_static("Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
    );
    if !has_origin(req) {
        return resp;
    }
    let method = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_uppercase();
    if !method_allowed(&method) {
        return resp;
    }
    let requested: Vec<&HeaderValue> = req.headers().get_all(header::ACCESS_CONTROL_REQUEST_HEADERS).iter().collect();
    let all_allowed = requested.iter().all(|v| {
        v.to_str().is_ok_and(|s| {
            s.split(',')
                .map(|p| p.trim().to_ascii_lowercase())
                .filter(|p| !p.is_empty())
                .all(|p| ALLOWED_HEADERS.contains(&p.as_str()))
        })
    });
    if !all_allowed {
        // The browser sees a 204 without CORS headers and blocks the real request.
        return resp;
    }
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    if let Ok(v) = HeaderValue::from_str(&method) {
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, v);
    }
    for v in requested {
        h.append(header::ACCESS_CONTROL_ALLOW_HEADERS, v.clone());
    }
    h.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
    resp
}

pub async fn cors(req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
        return preflight(&req);
    }
    let add_cors = has_origin(&req) && method_allowed(req.method().as_str());
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    if add_cors {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED_HEADERS));
    }
    resp
}
