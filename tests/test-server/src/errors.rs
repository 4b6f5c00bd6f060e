//! GoTrue's error responses. Handlers return an `ApiError`; the body shape depends on the request's
//! `X-Supabase-Api-Version`, which a handler does not see, so the error travels in the response
//! extensions and the `render` middleware writes the body.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

pub const API_VERSION_HEADER: &str = "x-supabase-api-version";
pub const API_VERSION_2024: &str = "2024-01-01";

#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub msg: String,
    pub weak_password: Option<Vec<&'static str>>,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, msg: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            msg: msg.into(),
            weak_password: None,
        }
    }
    pub fn bad_request(code: &'static str, msg: impl Into<String>) -> ApiError {
        Self::new(400, code, msg)
    }
    pub fn unprocessable(code: &'static str, msg: impl Into<String>) -> ApiError {
        Self::new(422, code, msg)
    }
    pub fn forbidden(code: &'static str, msg: impl Into<String>) -> ApiError {
        Self::new(403, code, msg)
    }
    pub fn not_found(code: &'static str, msg: impl Into<String>) -> ApiError {
        Self::new(404, code, msg)
    }
    pub fn validation(msg: impl Into<String>) -> ApiError {
        Self::bad_request("validation_failed", msg)
    }
    pub fn internal(msg: impl Into<String>) -> ApiError {
        Self::new(500, "unexpected_failure", msg)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = self.status;
        resp.extensions_mut().insert(self);
        resp
    }
}

/// `true` when the header holds a valid `YYYY-MM-DD` date on or after 2024-01-01.
pub fn selects_2024(value: Option<&str>) -> bool {
    let Some(v) = value else { return false };
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = &v[r];
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if d == 0 || d > dim {
        return false;
    }
    (y, m, d) >= (2024, 1, 1)
}

pub fn error_body(err: &ApiError, v2024: bool) -> Value {
    let mut body = if v2024 {
        json!({ "code": err.code, "message": err.msg })
    } else {
        let mut b = json!({
            "code": err.status.as_u16(),
            "error_code": err.code,
            "msg": err.msg,
        });
        if err.status.as_u16() >= 500 {
            b["error_id"] = json!(uuid::Uuid::new_v4().to_string());
        }
        b
    };
    if let Some(reasons) = &err.weak_password {
        body["weak_password"] = json!({ "reasons": reasons });
    }
    body
}

pub async fn render(req: Request, next: Next) -> Response {
    let v2024 = selects_2024(req.headers().get(API_VERSION_HEADER).and_then(|v| v.to_str().ok()));
    let mut resp = next.run(req).await;
    let Some(err) = resp.extensions_mut().remove::<ApiError>() else {
        return resp;
    };
    let body = serde_json::to_vec(&error_body(&err, v2024)).unwrap_or_default();
    let headers = resp.headers_mut();
    // The placeholder body was empty and axum already recorded that length; hyper refuses to send
    // a response whose declared length disagrees with its body.
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if v2024 {
        headers.insert(API_VERSION_HEADER, HeaderValue::from_static(API_VERSION_2024));
    }
    // GoTrue leaves this header off 2024-format weak-password errors.
    if !(v2024 && err.weak_password.is_some()) {
        headers.insert("x-sb-error-code", HeaderValue::from_static(err.code));
    }
    *resp.body_mut() = Body::from(body);
    resp
}

#[cfg(test)]
mod tests {
    use super::selects_2024;

    #[test]
    fn version_dates() {
        assert!(selects_2024(Some("2024-01-01")));
        assert!(selects_2024(Some("2030-12-31")));
        assert!(!selects_2024(Some("2023-12-31")));
        assert!(!selects_2024(Some("2024-02-30")));
        assert!(!selects_2024(Some("2024-1-01")));
        assert!(!selects_2024(Some("latest")));
        assert!(!selects_2024(None));
    }
}
