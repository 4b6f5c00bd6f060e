//! Custom OAuth2 / OIDC providers (auth-js's `admin.customProviders` namespace). Providers carry
//! many optional members, so a provider keeps every member the server sent beside the few read
//! as typed fields, and the parameters are an ordered object filled by typed setters.

use super::ops;
use crate::http::HttpTransport;
use crate::json::{Fields, FromJson, JsonError, ToJson};
use crate::types::{JsonObject, JsonValue};
use crate::AuthError;

/// A custom provider.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomProvider {
    /// Its id.
    pub id: String,
    /// `custom:<name>`, as sign-ins name it.
    pub identifier: String,
    /// `oauth2` or `oidc`.
    pub provider_type: String,
    /// Its display name.
    pub name: String,
    /// Every member as the server sent it (`client_id`, `scopes`, URLs, flags…); never the
    /// client secret, which the server does not send back.
    pub fields: JsonObject,
}

impl FromJson for CustomProvider {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "custom provider")?;
        Ok(CustomProvider {
            id: fields.req("id")?,
            identifier: fields.req("identifier")?,
            provider_type: fields.or_default("provider_type")?,
            name: fields.or_default("name")?,
            fields: JsonObject::from_json(value)?,
        })
    }
}

impl ToJson for CustomProvider {
    fn write_json(&self, out: &mut String) {
        self.fields.write_json(out);
    }
}

/// A provider to create, or changes to one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomProviderParams(JsonObject);

impl CustomProviderParams {
    /// A new OIDC provider (`identifier` gets the `custom:` prefix on the server).
    pub fn oidc(
        identifier: impl Into<String>,
        name: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        issuer: impl Into<String>,
    ) -> Self {
        Self::new("oidc", identifier.into(), name.into(), client_id.into(), client_secret.into())
            .set("issuer", issuer.into().into())
    }

    /// A new OAuth2 provider with its three endpoints.
    pub fn oauth2(
        identifier: impl Into<String>,
        name: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        authorization_url: impl Into<String>,
        token_url: impl Into<String>,
        userinfo_url: impl Into<String>,
    ) -> Self {
        Self::new("oauth2", identifier.into(), name.into(), client_id.into(), client_secret.into())
            .set("authorization_url", authorization_url.into().into())
            .set("token_url", token_url.into().into())
            .set("userinfo_url", userinfo_url.into().into())
    }

    fn new(kind: &str, identifier: String, name: String, client_id: String, client_secret: String) -> Self {
        CustomProviderParams::default()
            .set("provider_type", kind.into())
            .set("identifier", identifier.into())
            .set("name", name.into())
            .set("client_id", client_id.into())
            .set("client_secret", client_secret.into())
    }

    /// Changes: start empty and set what changes.
    pub fn update() -> Self {
        Self::default()
    }

    /// Any member by its wire name (`pkce_enabled`, `attribute_mapping`, `discovery_url`…).
    pub fn set(mut self, key: &str, value: JsonValue) -> Self {
        self.0.insert(key.to_string(), value);
        self
    }

    /// The display name.
    pub fn name(self, name: impl Into<String>) -> Self {
        self.set("name", name.into().into())
    }

    /// The scopes asked of the provider.
    pub fn scopes(self, scopes: &[&str]) -> Self {
        self.set("scopes", JsonValue::Array(scopes.iter().map(|s| JsonValue::from(*s)).collect()))
    }

    /// Whether sign-ins through it are allowed.
    pub fn enabled(self, enabled: bool) -> Self {
        self.set("enabled", enabled.into())
    }
}

impl ToJson for CustomProviderParams {
    fn write_json(&self, out: &mut String) {
        self.0.write_json(out);
    }
}

/// `{ providers }`, `[]` when the body lacks it (as auth-js reads it).
struct ProvidersBody(Vec<CustomProvider>);

impl FromJson for ProvidersBody {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        Ok(ProvidersBody(Fields::of(value, "provider list")?.or_default("providers")?))
    }
}

impl<T: HttpTransport> super::AdminApi<'_, T> {
    /// Every custom provider, or those of one type (`oauth2`, `oidc`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let providers = admin.custom_providers_list_providers(Some("oidc")).await?;
    /// println!("{} OIDC providers", providers.len());
    /// # Ok(()) }
    /// ```
    pub async fn custom_providers_list_providers(
        &self,
        provider_type: Option<&str>,
    ) -> Result<Vec<CustomProvider>, AuthError> {
        let call =
            ops::ADMIN_CUSTOM_PROVIDERS_LIST.call(&[]).query_opt("type", provider_type).bearer(&self.service_key);
        let body: ProvidersBody = self.api.send_json(call).await?;
        Ok(body.0)
    }

    /// Creates a provider.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let params = CustomProviderParams::oidc("acme", "Acme", "client-id", "client-secret", "https://id.acme.example");
    /// admin.custom_providers_create_provider(&params).await?;
    /// # Ok(()) }
    /// ```
    pub async fn custom_providers_create_provider(
        &self,
        params: &CustomProviderParams,
    ) -> Result<CustomProvider, AuthError> {
        self.api.send_json(ops::ADMIN_CUSTOM_PROVIDERS_CREATE.call(&[]).bearer(&self.service_key).json(params)).await
    }

    /// One provider by identifier (`custom:…`).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let provider = admin.custom_providers_get_provider("custom:acme").await?;
    /// let _ = provider;
    /// # Ok(()) }
    /// ```
    pub async fn custom_providers_get_provider(&self, identifier: &str) -> Result<CustomProvider, AuthError> {
        self.api.send_json(ops::ADMIN_CUSTOM_PROVIDERS_GET.call(&[identifier]).bearer(&self.service_key)).await
    }

    /// Changes a provider.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let params = CustomProviderParams::oidc("acme", "Acme Corp", "client-id", "client-secret", "https://id.acme.example");
    /// admin.custom_providers_update_provider("custom:acme", &params).await?;
    /// # Ok(()) }
    /// ```
    pub async fn custom_providers_update_provider(
        &self,
        identifier: &str,
        params: &CustomProviderParams,
    ) -> Result<CustomProvider, AuthError> {
        let call = ops::ADMIN_CUSTOM_PROVIDERS_UPDATE.call(&[identifier]).bearer(&self.service_key).json(params);
        self.api.send_json(call).await
    }

    /// Removes a provider.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// admin.custom_providers_delete_provider("custom:acme").await?;
    /// # Ok(()) }
    /// ```
    pub async fn custom_providers_delete_provider(&self, identifier: &str) -> Result<(), AuthError> {
        self.api.send_empty(ops::ADMIN_CUSTOM_PROVIDERS_DELETE.call(&[identifier]).bearer(&self.service_key)).await
    }
}
