//! Drives the router in-process: no sockets, one `oneshot` per request.
#![allow(dead_code)]

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Method, Request};
use axum::Router;
use gotrue_test_server::config::Config;
use gotrue_test_server::{app, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

pub const EXTERNAL: &str = "http://127.0.0.1:9999";
pub const PASSWORD: &str = "correct-horse-1";

pub struct Server {
    pub st: AppState,
    router: Router,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_string())
    }
    pub fn location(&self) -> String {
        self.header("location").expect("Location header")
    }
}

pub fn cfg() -> Config {
    Config::default()
}

impl Server {
    pub fn new(cfg: Config) -> Server {
        let st = AppState::new(cfg, EXTERNAL);
        Server { router: app(st.clone()), st }
    }

    pub async fn raw(&self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = to_bytes(resp.into_body(), usize::MAX).await.unwrap().to_vec();
        // hyper aborts the connection when a declared length disagrees with the body; the
        // in-process router would not notice, so every test checks it here.
        if let Some(len) = headers.get("content-length") {
            assert_eq!(
                len.to_str().unwrap().parse::<usize>().unwrap(),
                body.len(),
                "content-length disagrees with the body"
            );
        }
        Resp { status, headers, body }
    }

    pub async fn call(&self, method: Method, uri: &str, headers: &[(&str, &str)], body: Option<Value>) -> Resp {
        let mut b = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let body = match body {
            Some(v) => {
                b = b.header("content-type", "application/json");
                Body::from(serde_json::to_vec(&v).unwrap())
            }
            None => Body::empty(),
        };
        self.raw(b.body(body).unwrap()).await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Resp {
        self.call(Method::POST, uri, &[], Some(body)).await
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.call(Method::GET, uri, &[], None).await
    }

    pub async fn get_auth(&self, uri: &str, token: &str) -> Resp {
        let bearer = format!("Bearer {token}");
        self.call(Method::GET, uri, &[("authorization", &bearer)], None).await
    }

    pub async fn put_auth(&self, uri: &str, token: &str, body: Value) -> Resp {
        let bearer = format!("Bearer {token}");
        self.call(Method::PUT, uri, &[("authorization", &bearer)], Some(body)).await
    }

    pub async fn post_auth(&self, uri: &str, token: &str) -> Resp {
        let bearer = format!("Bearer {token}");
        self.call(Method::POST, uri, &[("authorization", &bearer)], None).await
    }

    pub async fn mailbox(&self, address: &str) -> Value {
        let r = self.get(&format!("/__test/mailbox/{address}")).await;
        assert_eq!(r.status, 200, "no mail for {address}: {}", r.text());
        r.json()
    }

    pub async fn password_login(&self, email: &str, password: &str) -> Resp {
        self.post("/token?grant_type=password", json!({ "email": email, "password": password })).await
    }

    pub async fn refresh(&self, token: &str) -> Resp {
        self.post("/token?grant_type=refresh_token", json!({ "refresh_token": token })).await
    }

    /// Signs up and confirms through the mailbox OTP; returns the session from /verify.
    pub async fn confirmed_user(&self, email: &str) -> Value {
        let r = self.post("/signup", json!({ "email": email, "password": PASSWORD })).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let mail = self.mailbox(email).await;
        let r = self.post("/verify", json!({ "type": "signup", "email": email, "token": mail["otp"] })).await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }
}

/// Splits `a=1&b=2` into decoded pairs, in order.
pub fn pairs(s: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(s.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Decodes a JWT payload without checking it.
pub fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
