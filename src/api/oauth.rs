//! `GET /authorize`: the URL that starts an OAuth sign-in with a provider.

use crate::json::{ObjectWriter, ToJson};
use crate::pkce::StartedFlow;

/// Which provider, where to come back, and what to ask for.
///
/// ```
/// use gotrue_wasm::SignInWithOAuthCredentials;
/// let credentials = SignInWithOAuthCredentials::new("github")
///     .redirect_to("https://app.example.com/callback")
///     .scopes("repo gist")
///     .query_param("access_type", "offline");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInWithOAuthCredentials {
    pub(crate) provider: String,
    pub(crate) redirect_to: Option<String>,
    pub(crate) scopes: Option<String>,
    pub(crate) query_params: Vec<(String, String)>,
    pub(crate) skip_browser_redirect: bool,
}

impl SignInWithOAuthCredentials {
    /// Sign in with `provider` (`github`, `google`, …).
    pub fn new(provider: impl Into<String>) -> Self {
        SignInWithOAuthCredentials {
            provider: provider.into(),
            redirect_to: None,
            scopes: None,
            query_params: Vec::new(),
            skip_browser_redirect: false,
        }
    }

    /// Where the provider's answer lands (must be allowed by the server).
    pub fn redirect_to(mut self, url: impl Into<String>) -> Self {
        self.redirect_to = Some(url.into());
        self
    }

    /// Space-separated provider scopes.
    pub fn scopes(mut self, scopes: impl Into<String>) -> Self {
        self.scopes = Some(scopes.into());
        self
    }

    /// An extra query parameter forwarded to the provider.
    pub fn query_param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query_params.push((key.into(), value.into()));
        self
    }

    /// Return the URL without navigating the browser there.
    pub fn skip_browser_redirect(mut self, skip: bool) -> Self {
        self.skip_browser_redirect = skip;
        self
    }

    /// Whether the browser should not be sent to the URL.
    pub fn skips_browser_redirect(&self) -> bool {
        self.skip_browser_redirect
    }
}

/// The provider and the URL that starts its sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthResponse {
    /// The provider.
    pub provider: String,
    /// `…/authorize?provider=…`: open it to sign in.
    pub url: String,
    /// The PKCE flow's id (`None` in the implicit flow): pass it to the code exchange when
    /// the redirect does not carry it.
    pub flow_id: Option<String>,
}

/// `{ provider, url, flowId }`, as auth-js's `signInWithOAuth` answers.
impl ToJson for OAuthResponse {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("provider", &self.provider).field("url", &self.url).field("flowId", &self.flow_id);
        object.finish();
    }
}

pub(crate) fn authorize_url(
    base_url: &str,
    credentials: &SignInWithOAuthCredentials,
    flow: Option<&StartedFlow>,
) -> String {
    crate::text::concat(&[base_url, &provider_path("/authorize", credentials, flow, false)])
}

/// `path` with the query auth-js's `_getUrlForProvider` writes, in its order: `provider`,
/// `redirect_to`, `scopes`, the PKCE challenge, the app's `queryParams`, and
/// `skip_http_redirect=true` when `skip_http_redirect`. One function for the sign-in URL and
/// the identity-linking request.
pub(crate) fn provider_path(
    path: &str,
    credentials: &SignInWithOAuthCredentials,
    flow: Option<&StartedFlow>,
    skip_http_redirect: bool,
) -> String {
    let mut query: Vec<(&str, String)> = vec![("provider", credentials.provider.clone())];
    if let Some(redirect) = super::redirect_for(credentials.redirect_to.as_deref(), flow) {
        query.push(("redirect_to", redirect));
    }
    if let Some(scopes) = &credentials.scopes {
        query.push(("scopes", scopes.clone()));
    }
    if let Some(flow) = flow {
        query.push(("code_challenge", flow.challenge.as_str().to_string()));
        query.push(("code_challenge_method", flow.challenge.method().to_string()));
    }
    for (key, value) in &credentials.query_params {
        query.push((key.as_str(), value.clone()));
    }
    if skip_http_redirect {
        query.push(("skip_http_redirect", "true".to_string()));
    }
    crate::text::concat(&[path, "?", &crate::url::encode_query(&query)])
}
