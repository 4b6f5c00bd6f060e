//! Linking and unlinking identities (`/user/identities/*`), signing in with a provider's ID
//! token (`/token?grant_type=id_token`) and SAML SSO (`/sso`).

use super::{meta_security, pkce_body, redirect_for, write_body, write_pkce, BodyFields, MetaSecurity, PkceBody};
use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};
use crate::pkce::StartedFlow;
use crate::types::{JsonValue, SecretString, TokenResponse};
use crate::AuthError;

/// `{ url }`: where the browser goes next.
struct UrlAnswer {
    url: String,
}

impl FromJson for UrlAnswer {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        Ok(UrlAnswer { url: Fields::of(value, "answer")?.req("url")? })
    }
}

/// The provider URL that links a new identity to the signed-in user.
pub(crate) async fn link_identity_url<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    credentials: &super::SignInWithOAuthCredentials,
    flow: Option<&StartedFlow>,
) -> Result<String, AuthError> {
    // The query as signInWithOAuth's URL has it (auth-js builds both with one function).
    let path = super::oauth::provider_path("/user/identities/authorize", credentials, flow, true);
    let call = ApiCall::new(Method::Get, path).bearer_if(access_token);
    let answer: UrlAnswer = api.send_json(call).await?;
    Ok(answer.url)
}

pub(crate) async fn unlink_identity<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    identity_id: &str,
) -> Result<(), AuthError> {
    let path = crate::text::concat(&["/user/identities/", &crate::url::encode_component(identity_id)]);
    api.send_empty(ApiCall::new(Method::Delete, path).bearer_if(access_token)).await
}

/// An ID token from a provider (Google, Apple, …) to sign in with.
#[derive(Clone, Debug)]
pub struct SignInWithIdTokenCredentials {
    provider: String,
    token: SecretString,
    access_token: Option<SecretString>,
    nonce: Option<String>,
    captcha_token: Option<String>,
}

impl SignInWithIdTokenCredentials {
    /// `token` issued by `provider`.
    pub fn new(provider: impl Into<String>, token: impl Into<String>) -> Self {
        SignInWithIdTokenCredentials {
            provider: provider.into(),
            token: SecretString::new(token),
            access_token: None,
            nonce: None,
            captcha_token: None,
        }
    }

    /// The provider access token issued with the ID token (when its `at_hash` is checked).
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(SecretString::new(token));
        self
    }

    /// The raw nonce whose hash the ID token carries.
    pub fn nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }
}

impl BodyFields for SignInWithIdTokenCredentials {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object
            .field("provider", &self.provider)
            .field("id_token", &self.token)
            .opt("access_token", &self.access_token)
            .opt("nonce", &self.nonce);
    }
}

/// `{ provider, id_token, access_token?, nonce? }`, the ID-token grant's body.
impl ToJson for SignInWithIdTokenCredentials {
    fn write_json(&self, out: &mut String) {
        write_body(self, out);
    }
}

struct IdTokenBody<'a> {
    credentials: &'a SignInWithIdTokenCredentials,
    link_identity: bool,
    gotrue_meta_security: Option<MetaSecurity<'a>>,
}

impl ToJson for IdTokenBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        self.credentials.write_fields(&mut object);
        if self.link_identity {
            object.field("link_identity", &true);
        }
        object.opt("gotrue_meta_security", &self.gotrue_meta_security);
        object.finish();
    }
}

pub(crate) async fn id_token_grant<T: HttpTransport>(
    api: &Api<T>,
    credentials: &SignInWithIdTokenCredentials,
    link_with: Option<&str>,
) -> Result<TokenResponse, AuthError> {
    let body = IdTokenBody {
        credentials,
        link_identity: link_with.is_some(),
        gotrue_meta_security: meta_security(credentials.captcha_token.as_deref()),
    };
    let mut call = ApiCall::new(Method::Post, "/token").query("grant_type", "id_token").json(&body);
    if let Some(access_token) = link_with {
        call = call.bearer(access_token);
    }
    api.send_json(call).await
}

/// Which identity provider to sign in with by SAML SSO.
#[derive(Clone, Debug)]
pub struct SignInWithSsoCredentials {
    provider_id: Option<String>,
    domain: Option<String>,
    redirect_to: Option<String>,
    captcha_token: Option<String>,
    skip_browser_redirect: bool,
}

impl SignInWithSsoCredentials {
    /// The SSO provider's UUID.
    pub fn provider_id(id: impl Into<String>) -> Self {
        SignInWithSsoCredentials {
            provider_id: Some(id.into()),
            domain: None,
            redirect_to: None,
            captcha_token: None,
            skip_browser_redirect: false,
        }
    }

    /// The email domain registered for an SSO provider.
    pub fn domain(domain: impl Into<String>) -> Self {
        SignInWithSsoCredentials {
            provider_id: None,
            domain: Some(domain.into()),
            redirect_to: None,
            captcha_token: None,
            skip_browser_redirect: false,
        }
    }

    /// Whatever the caller gave, neither or both included: the server judges (auth-js sends
    /// `signInWithSSO({})` as it is).
    pub fn as_given(provider_id: Option<String>, domain: Option<String>) -> Self {
        SignInWithSsoCredentials {
            provider_id,
            domain,
            redirect_to: None,
            captcha_token: None,
            skip_browser_redirect: false,
        }
    }

    /// Where the sign-in lands.
    pub fn redirect_to(mut self, url: impl Into<String>) -> Self {
        self.redirect_to = Some(url.into());
        self
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }

    /// Return the URL without navigating there.
    pub fn skip_browser_redirect(mut self, skip: bool) -> Self {
        self.skip_browser_redirect = skip;
        self
    }

    /// Whether the browser should not be sent to the URL.
    pub fn skips_browser_redirect(&self) -> bool {
        self.skip_browser_redirect
    }
}

impl BodyFields for SignInWithSsoCredentials {
    fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object.opt("provider_id", &self.provider_id).opt("domain", &self.domain);
    }
}

/// `{ provider_id }` or `{ domain }`, the `/sso` body's own fields.
impl ToJson for SignInWithSsoCredentials {
    fn write_json(&self, out: &mut String) {
        write_body(self, out);
    }
}

struct SsoBody<'a> {
    credentials: &'a SignInWithSsoCredentials,
    redirect_to: Option<String>,
    skip_http_redirect: bool,
    gotrue_meta_security: Option<MetaSecurity<'a>>,
    pkce: Option<PkceBody<'a>>,
}

impl ToJson for SsoBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        self.credentials.write_fields(&mut object);
        object
            .opt("redirect_to", &self.redirect_to)
            .field("skip_http_redirect", &self.skip_http_redirect)
            .opt("gotrue_meta_security", &self.gotrue_meta_security);
        write_pkce(&mut object, &self.pkce);
        object.finish();
    }
}

pub(crate) async fn sso_url<T: HttpTransport>(
    api: &Api<T>,
    credentials: &SignInWithSsoCredentials,
    flow: Option<&StartedFlow>,
) -> Result<String, AuthError> {
    // Neither or both: the server says what is wrong (auth-js sends the request as it is).
    let body = SsoBody {
        credentials,
        redirect_to: redirect_for(credentials.redirect_to.as_deref(), flow),
        skip_http_redirect: true,
        gotrue_meta_security: meta_security(credentials.captcha_token.as_deref()),
        pkce: pkce_body(flow),
    };
    let answer: UrlAnswer = api.send_json(ApiCall::new(Method::Post, "/sso").json(&body)).await?;
    Ok(answer.url)
}
