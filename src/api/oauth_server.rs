//! The OAuth 2.1 server (auth-js's `oauth` and `admin.oauth` namespaces): a signed-in user's
//! answer to a third-party app's authorization request and their grants; the admin's client
//! registry. The requests are the rows of [`super::ops`].

use super::ops;
use crate::http::{Api, HttpTransport};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};
use crate::types::JsonValue;
use crate::AuthError;

/// The app asking for access, as the consent screen shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OAuthClientDetails {
    /// The client id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its home page.
    pub uri: Option<String>,
    /// Its logo.
    pub logo_uri: Option<String>,
}

/// An authorization request waiting for the user's answer; or, when the user already granted
/// every requested scope, only `redirect_url` (the request was approved at once).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OAuthAuthorizationDetails {
    /// The request's id.
    pub authorization_id: Option<String>,
    /// Where the client gets the answer.
    pub redirect_uri: Option<String>,
    /// The client.
    pub client: Option<OAuthClientDetails>,
    /// The signed-in user's id and email.
    pub user: Option<JsonValue>,
    /// Space-separated scopes asked for.
    pub scope: Option<String>,
    /// Set instead of the rest when consent was given before.
    pub redirect_url: Option<String>,
}

/// Where to send the browser after an answer (`code`, or `error=access_denied`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthRedirect {
    /// The client's redirect URI with the answer in its query.
    pub redirect_url: String,
}

/// A client the user granted access to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthGrant {
    /// The client.
    pub client: OAuthClientDetails,
    /// The granted scopes.
    pub scopes: Vec<String>,
    /// When (RFC 3339).
    pub granted_at: String,
}

/// A registered OAuth client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OAuthClient {
    /// The client id.
    pub client_id: String,
    /// Only right after creation or regeneration (confidential clients).
    pub client_secret: Option<crate::SecretString>,
    /// `public` or `confidential`.
    pub client_type: String,
    /// `none`, `client_secret_basic` or `client_secret_post`.
    pub token_endpoint_auth_method: String,
    /// `manual` (admin) or `dynamic`.
    pub registration_type: String,
    /// Its name.
    pub client_name: Option<String>,
    /// Its home page.
    pub client_uri: Option<String>,
    /// Its logo.
    pub logo_uri: Option<String>,
    /// Allowed redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Allowed grants.
    pub grant_types: Vec<String>,
    /// Always `["code"]`.
    pub response_types: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// A page of clients with auth-js's pagination.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OAuthClientList {
    /// The clients, newest first.
    pub clients: Vec<OAuthClient>,
    /// The next page, if any.
    pub next_page: Option<u64>,
    /// The last page.
    pub last_page: u64,
    /// Clients in all (`X-Total-Count`).
    pub total: u64,
}

/// A client to register, or changes to one (`None` members are left out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OAuthClientParams {
    client_name: Option<String>,
    client_uri: Option<String>,
    logo_uri: Option<String>,
    redirect_uris: Option<Vec<String>>,
    grant_types: Option<Vec<String>>,
    response_types: Option<Vec<String>>,
    scope: Option<String>,
    token_endpoint_auth_method: Option<String>,
}

impl OAuthClientParams {
    /// A new client: its name and redirect URIs.
    pub fn new(client_name: impl Into<String>, redirect_uris: Vec<String>) -> Self {
        OAuthClientParams {
            client_name: Some(client_name.into()),
            redirect_uris: Some(redirect_uris),
            ..Default::default()
        }
    }
    /// Changes: start empty and set what changes.
    pub fn update() -> Self {
        Self::default()
    }
    /// The name.
    pub fn client_name(mut self, v: impl Into<String>) -> Self {
        self.client_name = Some(v.into());
        self
    }
    /// The home page.
    pub fn client_uri(mut self, v: impl Into<String>) -> Self {
        self.client_uri = Some(v.into());
        self
    }
    /// The logo.
    pub fn logo_uri(mut self, v: impl Into<String>) -> Self {
        self.logo_uri = Some(v.into());
        self
    }
    /// The redirect URIs.
    pub fn redirect_uris(mut self, v: Vec<String>) -> Self {
        self.redirect_uris = Some(v);
        self
    }
    /// The grant types (`authorization_code`, `refresh_token`).
    pub fn grant_types(mut self, v: Vec<String>) -> Self {
        self.grant_types = Some(v);
        self
    }
    /// The response types (`code`).
    pub fn response_types(mut self, v: Vec<String>) -> Self {
        self.response_types = Some(v);
        self
    }
    /// The scope.
    pub fn scope(mut self, v: impl Into<String>) -> Self {
        self.scope = Some(v.into());
        self
    }
    /// `none` makes a public client.
    pub fn token_endpoint_auth_method(mut self, v: impl Into<String>) -> Self {
        self.token_endpoint_auth_method = Some(v.into());
        self
    }
}

impl ToJson for OAuthClientParams {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .opt("client_name", &self.client_name)
            .opt("client_uri", &self.client_uri)
            .opt("logo_uri", &self.logo_uri)
            .opt("redirect_uris", &self.redirect_uris)
            .opt("grant_types", &self.grant_types)
            .opt("response_types", &self.response_types)
            .opt("scope", &self.scope)
            .opt("token_endpoint_auth_method", &self.token_endpoint_auth_method);
        object.finish();
    }
}

impl FromJson for OAuthClientDetails {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "client")?;
        Ok(OAuthClientDetails {
            id: fields.req("id")?,
            name: fields.opt("name")?,
            uri: fields.opt("uri")?,
            logo_uri: fields.opt("logo_uri")?,
        })
    }
}

impl ToJson for OAuthClientDetails {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("id", &self.id).opt("name", &self.name).opt("uri", &self.uri).opt("logo_uri", &self.logo_uri);
        object.finish();
    }
}

impl FromJson for OAuthAuthorizationDetails {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "authorization")?;
        Ok(OAuthAuthorizationDetails {
            authorization_id: fields.opt("authorization_id")?,
            redirect_uri: fields.opt("redirect_uri")?,
            client: fields.opt("client")?,
            user: fields.opt("user")?,
            scope: fields.opt("scope")?,
            redirect_url: fields.opt("redirect_url")?,
        })
    }
}

impl ToJson for OAuthAuthorizationDetails {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .opt("authorization_id", &self.authorization_id)
            .opt("redirect_uri", &self.redirect_uri)
            .opt("client", &self.client)
            .opt("user", &self.user)
            .opt("scope", &self.scope)
            .opt("redirect_url", &self.redirect_url);
        object.finish();
    }
}

impl FromJson for OAuthRedirect {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        Ok(OAuthRedirect { redirect_url: Fields::of(value, "consent")?.req("redirect_url")? })
    }
}

impl ToJson for OAuthRedirect {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("redirect_url", &self.redirect_url);
        object.finish();
    }
}

impl FromJson for OAuthGrant {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "grant")?;
        Ok(OAuthGrant {
            client: fields.req("client")?,
            scopes: fields.or_default("scopes")?,
            granted_at: fields.or_default("granted_at")?,
        })
    }
}

impl ToJson for OAuthGrant {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("client", &self.client).field("scopes", &self.scopes).field("granted_at", &self.granted_at);
        object.finish();
    }
}

impl FromJson for OAuthClient {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "OAuth client")?;
        Ok(OAuthClient {
            client_id: fields.req("client_id")?,
            client_secret: fields.opt("client_secret")?,
            client_type: fields.or_default("client_type")?,
            token_endpoint_auth_method: fields.or_default("token_endpoint_auth_method")?,
            registration_type: fields.or_default("registration_type")?,
            client_name: fields.opt("client_name")?,
            client_uri: fields.opt("client_uri")?,
            logo_uri: fields.opt("logo_uri")?,
            redirect_uris: fields.or_default("redirect_uris")?,
            grant_types: fields.or_default("grant_types")?,
            response_types: fields.or_default("response_types")?,
            created_at: fields.or_default("created_at")?,
            updated_at: fields.or_default("updated_at")?,
        })
    }
}

impl ToJson for OAuthClient {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("client_id", &self.client_id)
            .opt("client_secret", &self.client_secret)
            .field("client_type", &self.client_type)
            .field("token_endpoint_auth_method", &self.token_endpoint_auth_method)
            .field("registration_type", &self.registration_type)
            .opt("client_name", &self.client_name)
            .opt("client_uri", &self.client_uri)
            .opt("logo_uri", &self.logo_uri)
            .field("redirect_uris", &self.redirect_uris)
            .field("grant_types", &self.grant_types)
            .field("response_types", &self.response_types)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at);
        object.finish();
    }
}

/// `{ clients, nextPage, lastPage, total }`, as auth-js's `listClients` answers.
impl ToJson for OAuthClientList {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("clients", &self.clients)
            .field("nextPage", &self.next_page)
            .field("lastPage", &self.last_page)
            .field("total", &self.total);
        object.finish();
    }
}

struct Consent(&'static str);

impl ToJson for Consent {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("action", self.0);
        object.finish();
    }
}

pub(crate) async fn get_authorization_details<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    authorization_id: &str,
) -> Result<OAuthAuthorizationDetails, AuthError> {
    api.send_json(ops::OAUTH_GET_AUTHORIZATION_DETAILS.call(&[authorization_id]).bearer(access_token)).await
}

pub(crate) async fn consent<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    authorization_id: &str,
    approve: bool,
) -> Result<OAuthRedirect, AuthError> {
    let (op, action) =
        if approve { (ops::OAUTH_APPROVE_AUTHORIZATION, "approve") } else { (ops::OAUTH_DENY_AUTHORIZATION, "deny") };
    api.send_json(op.call(&[authorization_id]).bearer(access_token).json(&Consent(action))).await
}

pub(crate) async fn list_grants<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
) -> Result<Vec<OAuthGrant>, AuthError> {
    api.send_json(ops::OAUTH_LIST_GRANTS.call(&[]).bearer(access_token)).await
}

pub(crate) async fn revoke_grant<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    client_id: &str,
) -> Result<(), AuthError> {
    api.send_empty(ops::OAUTH_REVOKE_GRANT.call(&[]).query("client_id", client_id).bearer(access_token)).await
}

/// The body of a client list: `{ clients }`, which GoTrue leaves out when empty.
struct ClientsBody(Vec<OAuthClient>);

impl FromJson for ClientsBody {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        Ok(ClientsBody(Fields::of(value, "client list")?.or_default("clients")?))
    }
}

impl<T: HttpTransport> super::AdminApi<'_, T> {
    /// A page of OAuth clients (auth-js `admin.oauth.listClients`; `page` from 1).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let page = admin.oauth_list_clients(Some(1), Some(20)).await?;
    /// println!("{} clients in all", page.total);
    /// # Ok(()) }
    /// ```
    pub async fn oauth_list_clients(
        &self,
        page: Option<u64>,
        per_page: Option<u64>,
    ) -> Result<OAuthClientList, AuthError> {
        // auth-js always sends both, empty when not given.
        let call = ops::ADMIN_OAUTH_LIST_CLIENTS
            .call(&[])
            .query("page", page.map(|p| p.to_string()).unwrap_or_default())
            .query("per_page", per_page.map(|p| p.to_string()).unwrap_or_default())
            .bearer(&self.service_key);
        let response = self.api.send(call).await?;
        let body: ClientsBody = crate::json::from_str(&response.body)?;
        let total = response
            .header("x-total-count")
            .and_then(|t| crate::json::parse_i64(t.trim()))
            .and_then(|t| u64::try_from(t).ok())
            .unwrap_or(0);
        let (next_page, last_page) =
            response.header("link").map(super::admin::parse_link_pages).unwrap_or((None, None));
        Ok(OAuthClientList { clients: body.0, next_page, last_page: last_page.unwrap_or(0), total })
    }

    /// Registers a client; a confidential one comes back with its secret, shown this once.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let params = OAuthClientParams::new("Reports", vec!["https://reports.example/callback".into()]);
    /// let created = admin.oauth_create_client(&params).await?;
    /// println!("{}", created.client_id);
    /// # Ok(()) }
    /// ```
    pub async fn oauth_create_client(&self, params: &OAuthClientParams) -> Result<OAuthClient, AuthError> {
        self.api.send_json(ops::ADMIN_OAUTH_CREATE_CLIENT.call(&[]).bearer(&self.service_key).json(params)).await
    }

    /// One client.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let app = admin.oauth_get_client("client-id").await?;
    /// println!("{:?}", app.client_name);
    /// # Ok(()) }
    /// ```
    pub async fn oauth_get_client(&self, client_id: &str) -> Result<OAuthClient, AuthError> {
        self.api.send_json(ops::ADMIN_OAUTH_GET_CLIENT.call(&[client_id]).bearer(&self.service_key)).await
    }

    /// Changes a client.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let params = OAuthClientParams::new("Reports v2", vec!["https://reports.example/callback".into()]);
    /// admin.oauth_update_client("client-id", &params).await?;
    /// # Ok(()) }
    /// ```
    pub async fn oauth_update_client(
        &self,
        client_id: &str,
        params: &OAuthClientParams,
    ) -> Result<OAuthClient, AuthError> {
        let call = ops::ADMIN_OAUTH_UPDATE_CLIENT.call(&[client_id]).bearer(&self.service_key).json(params);
        self.api.send_json(call).await
    }

    /// Removes a client.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// admin.oauth_delete_client("client-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn oauth_delete_client(&self, client_id: &str) -> Result<(), AuthError> {
        self.api.send_empty(ops::ADMIN_OAUTH_DELETE_CLIENT.call(&[client_id]).bearer(&self.service_key)).await
    }

    /// A new secret for a confidential client.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let app = admin.oauth_regenerate_client_secret("client-id").await?;
    /// println!("{}", app.client_id);
    /// # Ok(()) }
    /// ```
    pub async fn oauth_regenerate_client_secret(&self, client_id: &str) -> Result<OAuthClient, AuthError> {
        self.api.send_json(ops::ADMIN_OAUTH_REGENERATE_SECRET.call(&[client_id]).bearer(&self.service_key)).await
    }
}
