//! The request layer: what every call to the server sends, and how answers become values
//! or [`AuthError`]s. The transport itself is a small trait so the core never names fetch.

use crate::error::AuthError;
use crate::json::{FromJson, ToJson};

/// The API version the client speaks; it selects the server's newer error format.
pub const API_VERSION: &str = "2024-01-01";
const API_VERSION_HEADER: &str = "X-Supabase-Api-Version";

/// HTTP methods the auth API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request ready for the transport.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The full URL, query included.
    pub url: String,
    /// Headers in the order they are set.
    pub headers: Vec<(String, String)>,
    /// A JSON body, for methods that carry one.
    pub body: Option<String>,
    /// Milliseconds the transport may wait for the whole answer before it gives up with
    /// [`AuthError::timeout`] (the client's `request_timeout_ms`).
    pub timeout_ms: u32,
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl std::fmt::Debug for HttpRequest {
    // Bodies and the Authorization header carry credentials: Debug shows neither.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url.split('?').next().unwrap_or_default())
            .field("header_names", &names)
            .field("has_body", &self.body.is_some())
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// What the transport got back.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The response headers the client reads (at least `X-Supabase-Api-Version`,
    /// `X-Total-Count`, `Link`).
    pub headers: Vec<(String, String)>,
    /// The body as text (empty for 204).
    pub body: String,
}

impl HttpResponse {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse").field("status", &self.status).field("body_len", &self.body.len()).finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
}

/// Sends HTTP requests. The browser build implements it with `fetch`; tests with fakes.
///
/// A failure to get any HTTP answer must be reported as [`AuthError::network`] so it counts
/// as retryable, and a request must not outlive its [`HttpRequest::timeout_ms`]
/// ([`AuthError::timeout`]).
#[allow(async_fn_in_trait)]
pub trait HttpTransport {
    /// Sends `request` and returns whatever status the server answered with.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, AuthError>;
}

/// One call to the auth API, before the client's common headers are added.
pub(crate) struct ApiCall {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<String>,
    bearer: Option<String>,
}

impl ApiCall {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        ApiCall { method, path: path.into(), query: Vec::new(), body: None, bearer: None }
    }

    pub(crate) fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }

    pub(crate) fn query_opt(self, key: &'static str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    pub(crate) fn json<B: ToJson + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(body.to_json_string());
        self
    }

    #[cfg(all(target_arch = "wasm32", feature = "js-api"))]
    /// A body that is JSON text already.
    pub(crate) fn raw_json(mut self, body: String) -> Self {
        self.body = Some(body);
        self
    }

    pub(crate) fn bearer(mut self, access_token: &str) -> Self {
        self.bearer = Some(access_token.to_string());
        self
    }

    /// The bearer when there is a token; without one the request goes with the caller's
    /// headers alone and the server judges it (as auth-js sends it without a session).
    pub(crate) fn bearer_if(self, access_token: Option<&str>) -> Self {
        match access_token {
            Some(token) => self.bearer(token),
            None => self,
        }
    }
}

/// The server's address and the caller's headers, shared by every call.
pub(crate) struct Api<T> {
    transport: T,
    base_url: String,
    headers: Vec<(String, String)>,
    timeout_ms: u32,
}

impl<T> Api<T> {
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl<T: HttpTransport> Api<T> {
    pub(crate) fn new(transport: T, base_url: &str, headers: Vec<(String, String)>) -> Self {
        Api {
            transport,
            base_url: crate::text::trim_end(base_url, b'/').to_string(),
            headers,
            timeout_ms: crate::options::DEFAULT_REQUEST_TIMEOUT_MS,
        }
    }

    /// Sets how long each request may take.
    pub(crate) fn with_timeout(mut self, millis: u32) -> Self {
        self.timeout_ms = millis.max(1);
        self
    }

    /// The full request for `call`: the caller's headers, then the API version, then the
    /// bearer and content type, each only if the caller did not set it.
    pub(crate) fn build(&self, call: ApiCall) -> HttpRequest {
        let mut url = crate::text::concat(&[self.base_url.as_str(), call.path.as_str()]);
        if !call.query.is_empty() {
            url.push('?');
            url.push_str(&crate::url::encode_query(&call.query));
        }
        let mut headers = self.headers.clone();
        let mut set_default = |name: &str, value: String| {
            if find_header(&headers, name).is_none() {
                headers.push((name.to_string(), value));
            }
        };
        set_default(API_VERSION_HEADER, API_VERSION.to_string());
        if let Some(token) = call.bearer {
            headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
            headers.push(("Authorization".to_string(), crate::text::concat(&["Bearer ", token.as_str()])));
        }
        let body = call.body;
        if body.is_some() && find_header(&headers, "content-type").is_none() {
            headers.push(("Content-Type".to_string(), "application/json;charset=UTF-8".to_string()));
        }
        HttpRequest { method: call.method, url, headers, body, timeout_ms: self.timeout_ms }
    }

    /// Sends `call` and returns the successful response, or the server's error.
    pub(crate) async fn send(&self, call: ApiCall) -> Result<HttpResponse, AuthError> {
        let request = self.build(call);
        let response = self.transport.send(request).await?;
        if (200..300).contains(&response.status) {
            return Ok(response);
        }
        Err(AuthError::from_response(response.status, speaks_2024(&response), &response.body))
    }

    /// Sends `call` and parses the JSON answer. A success status whose body is not JSON at
    /// all (empty, cut short, an HTML page) is retryable, as auth-js counts it: the answer
    /// was lost on the way; JSON of the wrong shape is an error of its own.
    pub(crate) async fn send_json<R: FromJson>(&self, call: ApiCall) -> Result<R, AuthError> {
        let response = self.send(call).await?;
        crate::json::from_str(&response.body).map_err(|error| match error.field_name() {
            None => AuthError::unreadable_answer(response.status),
            Some(_) => error.into(),
        })
    }

    /// Sends `call`, expecting no body of interest (e.g. 204 from logout).
    pub(crate) async fn send_empty(&self, call: ApiCall) -> Result<(), AuthError> {
        self.send(call).await.map(|_| ())
    }
}

/// Whether the error response says it is in the 2024-01-01 format (the server echoes the
/// version header on errors only).
fn speaks_2024(response: &HttpResponse) -> bool {
    response.header(API_VERSION_HEADER).is_some_and(|value| {
        let value = value.trim_ascii();
        value.len() == 10 && value.as_bytes()[4] == b'-' && value >= API_VERSION
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::test_support::{block_on, FakeTransport};

    #[test]
    fn builds_urls_and_headers() {
        let api = Api::new(FakeTransport::default(), "http://localhost:9999/", vec![("apikey".into(), "anon".into())]);
        let request = api.build(
            ApiCall::new(Method::Post, "/token").query("grant_type", "password").json(&[1_i64, 2][..]).bearer("jwt"),
        );
        assert_eq!(request.url, "http://localhost:9999/token?grant_type=password");
        assert_eq!(request.header("apikey"), Some("anon"));
        assert_eq!(request.header("x-supabase-api-version"), Some("2024-01-01"));
        assert_eq!(request.header("authorization"), Some("Bearer jwt"));
        assert_eq!(request.header("content-type"), Some("application/json;charset=UTF-8"));
        assert_eq!(request.body.as_deref(), Some("[1,2]"));
    }

    #[test]
    fn get_requests_have_no_content_type() {
        let api = Api::new(FakeTransport::default(), "http://h", vec![]);
        let request = api.build(ApiCall::new(Method::Get, "/user"));
        assert_eq!(request.header("content-type"), None);
        assert_eq!(request.body, None);
    }

    #[test]
    fn debug_hides_credentials() {
        let api = Api::new(FakeTransport::default(), "http://h", vec![]);
        let request = api.build(
            ApiCall::new(Method::Post, "/token").query("q", "secret-q").json(&["secret-body"][..]).bearer("secret-jwt"),
        );
        let printed = format!("{request:?}");
        assert!(!printed.contains("secret"), "{printed}");
    }

    #[test]
    fn reads_the_error_format_the_server_announces() {
        let transport = FakeTransport::default();
        transport.push_response(400, &[], r#"{"code":400,"error_code":"bad_json","msg":"Could not parse"}"#);
        transport.push_response(
            400,
            &[("x-supabase-api-version", "2024-01-01")],
            r#"{"code":"bad_json","message":"Could not parse"}"#,
        );
        let api = Api::new(transport, "http://h", vec![]);
        for _ in 0..2 {
            let error = block_on(api.send(ApiCall::new(Method::Get, "/x"))).unwrap_err();
            assert_eq!(error.code(), Some("bad_json"));
            assert_eq!(error.message(), "Could not parse");
        }
    }
}
