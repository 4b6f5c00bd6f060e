//! The admin API (`/admin/*`, `/invite`), called with a service-role key. Never ship a
//! service-role key to a browser; this is for servers, tools and tests.

use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};
use crate::types::{Factor, JsonObject, JsonValue, SecretString, User};
use crate::AuthError;

/// A page of users, with what the `X-Total-Count` and `Link` headers say about the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct UserList {
    /// The users on this page (their `identities` are not loaded: `None`).
    pub users: Vec<User>,
    /// The audience the users belong to.
    pub aud: String,
    /// How many users there are in all.
    pub total: u64,
    /// The next page, if there is one.
    pub next_page: Option<u64>,
    /// The last page (0 when there are no users).
    pub last_page: u64,
}

/// `{ users, aud }`, the body of `GET /admin/users`.
struct UserListBody {
    users: Vec<User>,
    aud: String,
}

impl FromJson for UserListBody {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "user list")?;
        Ok(UserListBody { users: fields.or_default("users")?, aud: fields.or_default("aud")? })
    }
}

/// Reads `rel="next"` and `rel="last"` page numbers from a `Link` header
/// (`</admin/users?page=2&per_page=50>; rel="next", </admin/users?page=7&per_page=50>; rel="last"`).
pub(crate) fn parse_link_pages(link: &str) -> (Option<u64>, Option<u64>) {
    let mut next = None;
    let mut last = None;
    for part in crate::text::split(link, b',') {
        let Some((target, params)) = crate::text::split_once(part, b';') else { continue };
        let target = crate::text::trim_end(crate::text::trim_start(target.trim_ascii(), b'<'), b'>');
        let query = crate::text::split_once(target, b'?').map(|(_, query)| query).unwrap_or("");
        let page = crate::url::parse_params(query)
            .into_iter()
            .find(|(key, _)| key == "page")
            .and_then(|(_, value)| crate::json::parse_i64(&value))
            .and_then(|page| u64::try_from(page).ok());
        let rel = crate::text::split(params, b';')
            .filter_map(|param| param.trim_ascii().strip_prefix("rel="))
            .map(|rel| crate::text::trim(rel, b'"'))
            .next();
        match rel {
            Some("next") => next = page,
            Some("last") => last = page,
            _ => {}
        }
    }
    (next, last)
}

/// A new user, as an admin creates it.
#[derive(Clone, Debug, Default)]
pub struct AdminUserAttributes {
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Password (not strength-checked on create).
    pub password: Option<SecretString>,
    /// Mark the email confirmed.
    pub email_confirm: Option<bool>,
    /// Mark the phone confirmed.
    pub phone_confirm: Option<bool>,
    /// `user_metadata`.
    pub user_metadata: Option<JsonObject>,
    /// `app_metadata`, merged over `provider`/`providers`.
    pub app_metadata: Option<JsonObject>,
    /// Role (default `authenticated`).
    pub role: Option<String>,
    /// A Go duration such as `24h`, or `none` to unban.
    pub ban_duration: Option<String>,
}

/// The fields that are set, as `POST /admin/users` and `PUT /admin/users/{id}` take them.
impl ToJson for AdminUserAttributes {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .opt("email", &self.email)
            .opt("phone", &self.phone)
            .opt("password", &self.password)
            .opt("email_confirm", &self.email_confirm)
            .opt("phone_confirm", &self.phone_confirm)
            .opt("user_metadata", &self.user_metadata)
            .opt("app_metadata", &self.app_metadata)
            .opt("role", &self.role)
            .opt("ban_duration", &self.ban_duration);
        object.finish();
    }
}

/// Which link `generate_link` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenerateLinkType {
    /// Sign-up confirmation (needs a password).
    Signup,
    /// Invitation.
    Invite,
    /// Magic link.
    Magiclink,
    /// Password recovery.
    Recovery,
    /// Email change, link to the current address.
    EmailChangeCurrent,
    /// Email change, link to the new address.
    EmailChangeNew,
}

/// `generate_link`'s input.
#[derive(Clone, Debug)]
pub struct GenerateLinkParams {
    kind: GenerateLinkType,
    email: String,
    new_email: Option<String>,
    password: Option<SecretString>,
    data: Option<JsonObject>,
    redirect_to: Option<String>,
}

impl GenerateLinkParams {
    /// A link of `kind` for `email`.
    pub fn new(kind: GenerateLinkType, email: impl Into<String>) -> Self {
        GenerateLinkParams { kind, email: email.into(), new_email: None, password: None, data: None, redirect_to: None }
    }

    /// The new address, for email-change links.
    pub fn new_email(mut self, email: impl Into<String>) -> Self {
        self.new_email = Some(email.into());
        self
    }

    /// The password, for sign-up links.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(SecretString::new(password));
        self
    }

    /// `user_metadata` for sign-up and invite links.
    pub fn data(mut self, data: JsonObject) -> Self {
        self.data = Some(data);
        self
    }

    /// Where the link leads.
    pub fn redirect_to(mut self, url: impl Into<String>) -> Self {
        self.redirect_to = Some(url.into());
        self
    }
}

/// `{ type, email, new_email?, password?, data?, redirect_to? }`, the `generate_link` body.
impl ToJson for GenerateLinkParams {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("type", &self.kind)
            .field("email", &self.email)
            .opt("new_email", &self.new_email)
            .opt("password", &self.password)
            .opt("data", &self.data)
            .opt("redirect_to", &self.redirect_to);
        object.finish();
    }
}

/// What `generate_link` returns: the link and its parts, and the user.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratedLink {
    /// `…/verify?token=…&type=…&redirect_to=…`.
    pub action_link: String,
    /// The one-time code of the same message.
    pub email_otp: SecretString,
    /// The token hash in the link.
    pub hashed_token: SecretString,
    /// Where the link leads.
    pub redirect_to: String,
    /// The `type` to pass to `verify_otp`.
    pub verification_type: String,
    /// The user the link is for.
    pub user: User,
}

/// The server's `generate_link` answer: the link's fields with the user's beside them (its
/// shape differs from what [`GeneratedLink`] writes, so it is read through this).
struct GeneratedLinkBody(GeneratedLink);

impl FromJson for GeneratedLinkBody {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "generated link")?;
        Ok(GeneratedLinkBody(GeneratedLink {
            action_link: fields.or_default("action_link")?,
            email_otp: fields.or_default("email_otp")?,
            hashed_token: fields.or_default("hashed_token")?,
            redirect_to: fields.or_default("redirect_to")?,
            verification_type: fields.or_default("verification_type")?,
            user: User::from_json(value)?,
        }))
    }
}

/// `{ users, aud, nextPage, lastPage, total }`, as auth-js's `listUsers` answers.
impl ToJson for UserList {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("users", &self.users)
            .field("aud", &self.aud)
            .field("nextPage", &self.next_page)
            .field("lastPage", &self.last_page)
            .field("total", &self.total);
        object.finish();
    }
}

impl GenerateLinkType {
    fn as_str(self) -> &'static str {
        match self {
            GenerateLinkType::Signup => "signup",
            GenerateLinkType::Invite => "invite",
            GenerateLinkType::Magiclink => "magiclink",
            GenerateLinkType::Recovery => "recovery",
            GenerateLinkType::EmailChangeCurrent => "email_change_current",
            GenerateLinkType::EmailChangeNew => "email_change_new",
        }
    }
}

impl ToJson for GenerateLinkType {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

/// `{ properties: { action_link, email_otp, hashed_token, redirect_to, verification_type },
/// user }`, as auth-js's `generateLink` answers.
impl ToJson for GeneratedLink {
    fn write_json(&self, out: &mut String) {
        struct Properties<'a>(&'a GeneratedLink);
        impl ToJson for Properties<'_> {
            fn write_json(&self, out: &mut String) {
                let mut object = ObjectWriter::new(out);
                object
                    .field("action_link", &self.0.action_link)
                    .field("email_otp", &self.0.email_otp)
                    .field("hashed_token", &self.0.hashed_token)
                    .field("redirect_to", &self.0.redirect_to)
                    .field("verification_type", &self.0.verification_type);
                object.finish();
            }
        }
        let mut object = ObjectWriter::new(out);
        object.field("properties", &Properties(self)).field("user", &self.user);
        object.finish();
    }
}

/// The admin half of the API. Get it from [`crate::GoTrueClient::admin`].
pub struct AdminApi<'a, T> {
    pub(crate) api: &'a Api<T>,
    pub(crate) service_key: String,
}

impl<T> std::fmt::Debug for AdminApi<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminApi { service_key: <redacted> }")
    }
}

impl<T: HttpTransport> AdminApi<'_, T> {
    fn call(&self, method: Method, path: impl Into<String>) -> ApiCall {
        ApiCall::new(method, path).bearer(&self.service_key)
    }

    /// A page of users (`page` from 1; `per_page` default 50 on the server).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let page = admin.list_users(Some(1), Some(50)).await?;
    /// println!("{} users in all", page.total);
    /// # Ok(()) }
    /// ```
    pub async fn list_users(&self, page: Option<u64>, per_page: Option<u64>) -> Result<UserList, AuthError> {
        self.list_users_unchecked(
            page.and_then(|n| i64::try_from(n).ok()),
            per_page.and_then(|n| i64::try_from(n).ok()),
        )
        .await
    }

    /// As [`Self::list_users`] with any numbers (a negative page included): the server judges
    /// them, as auth-js leaves it to.
    pub async fn list_users_unchecked(&self, page: Option<i64>, per_page: Option<i64>) -> Result<UserList, AuthError> {
        let mut call = self.call(Method::Get, "/admin/users");
        if let Some(page) = page {
            call = call.query("page", page.to_string());
        }
        if let Some(per_page) = per_page {
            call = call.query("per_page", per_page.to_string());
        }
        let response = self.api.send(call).await?;
        let body: UserListBody = crate::json::from_str(&response.body)?;
        let total = response
            .header("x-total-count")
            .and_then(|total| crate::json::parse_i64(total.trim_ascii()))
            .and_then(|total| u64::try_from(total).ok())
            .unwrap_or(0);
        let (next_page, last_page) = response.header("link").map(parse_link_pages).unwrap_or((None, None));
        Ok(UserList { users: body.users, aud: body.aud, total, next_page, last_page: last_page.unwrap_or(0) })
    }

    /// Creates a user.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let attributes = AdminUserAttributes { email: Some("ada@example.com".into()), email_confirm: Some(true), ..Default::default() };
    /// let user = admin.create_user(&attributes).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_user(&self, attributes: &AdminUserAttributes) -> Result<User, AuthError> {
        self.api.send_json(self.call(Method::Post, "/admin/users").json(attributes)).await
    }

    /// One user by id.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let user = admin.get_user_by_id("user-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_user_by_id(&self, user_id: &str) -> Result<User, AuthError> {
        self.user_by_id(user_id).await
    }

    /// As [`Self::get_user_by_id`], read as any user type (the JS engine keeps the JSON).
    pub(crate) async fn user_by_id<U: crate::json::FromJson>(&self, user_id: &str) -> Result<U, AuthError> {
        self.api
            .send_json(
                self.call(Method::Get, crate::text::concat(&["/admin/users/", &crate::url::encode_component(user_id)])),
            )
            .await
    }

    /// Changes a user.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let attributes = AdminUserAttributes { ban_duration: Some("24h".into()), ..Default::default() };
    /// admin.update_user_by_id("user-id", &attributes).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_user_by_id(&self, user_id: &str, attributes: &AdminUserAttributes) -> Result<User, AuthError> {
        self.api
            .send_json(
                self.call(Method::Put, crate::text::concat(&["/admin/users/", &crate::url::encode_component(user_id)]))
                    .json(attributes),
            )
            .await
    }

    /// Deletes a user; a soft delete keeps the row with its identifying fields scrambled.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// admin.delete_user("user-id", false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_user(&self, user_id: &str, should_soft_delete: bool) -> Result<(), AuthError> {
        struct Body {
            should_soft_delete: bool,
        }
        impl ToJson for Body {
            fn write_json(&self, out: &mut String) {
                let mut object = ObjectWriter::new(out);
                object.field("should_soft_delete", &self.should_soft_delete);
                object.finish();
            }
        }
        self.api
            .send_empty(
                self.call(
                    Method::Delete,
                    crate::text::concat(&["/admin/users/", &crate::url::encode_component(user_id)]),
                )
                .json(&Body { should_soft_delete }),
            )
            .await
    }

    /// Invites a user by email.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let invited = admin.invite_user_by_email("ada@example.com", None, None).await?;
    /// # Ok(()) }
    /// ```
    pub async fn invite_user_by_email(
        &self,
        email: &str,
        data: Option<JsonObject>,
        redirect_to: Option<&str>,
    ) -> Result<User, AuthError> {
        struct Body<'b> {
            email: &'b str,
            data: Option<JsonObject>,
        }
        impl ToJson for Body<'_> {
            fn write_json(&self, out: &mut String) {
                let mut object = ObjectWriter::new(out);
                object.field("email", self.email).opt("data", &self.data);
                object.finish();
            }
        }
        self.api
            .send_json(
                self.call(Method::Post, "/invite").query_opt("redirect_to", redirect_to).json(&Body { email, data }),
            )
            .await
    }

    /// Makes a sign-up, invite, magic-link, recovery or email-change link without sending mail.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let link = admin.generate_link(&GenerateLinkParams::new(GenerateLinkType::Magiclink, "ada@example.com")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn generate_link(&self, params: &GenerateLinkParams) -> Result<GeneratedLink, AuthError> {
        let body: GeneratedLinkBody =
            self.api.send_json(self.call(Method::Post, "/admin/generate_link").json(params)).await?;
        Ok(body.0)
    }

    /// Ends the sessions of the user whose access token is `jwt` (`scope` as in sign-out).
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// admin.sign_out("the-user-access-token", SignOutScope::Global).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_out(&self, jwt: &str, scope: super::SignOutScope) -> Result<(), AuthError> {
        super::logout::logout(self.api, jwt, scope).await
    }

    /// A user's MFA factors.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// let factors = admin.list_factors("user-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_factors(&self, user_id: &str) -> Result<Vec<Factor>, AuthError> {
        self.api
            .send_json(self.call(
                Method::Get,
                crate::text::concat(&["/admin/users/", &crate::url::encode_component(user_id), "/factors"]),
            ))
            .await
    }

    /// Removes one of a user's MFA factors and returns it.
    ///
    /// ```no_run
    /// # use gotrue_wasm::*;
    /// # async fn run(client: GoTrueClient<impl HttpTransport, impl Storage>, service_key: &str) -> Result<(), AuthError> {
    /// let admin = client.admin(service_key);
    /// admin.delete_factor("user-id", "factor-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_factor(&self, user_id: &str, factor_id: &str) -> Result<Factor, AuthError> {
        self.api
            .send_json(self.call(
                Method::Delete,
                crate::text::concat(&[
                    "/admin/users/",
                    &crate::url::encode_component(user_id),
                    "/factors/",
                    &crate::url::encode_component(factor_id),
                ]),
            ))
            .await
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::parse_link_pages;

    #[test]
    fn reads_next_and_last_pages_with_every_digit() {
        assert_eq!(
            parse_link_pages(
                r#"</admin/users?page=2&per_page=50>; rel="next", </admin/users?page=17&per_page=50>; rel="last""#
            ),
            (Some(2), Some(17))
        );
        assert_eq!(parse_link_pages(r#"</admin/users?page=123&per_page=5>; rel="last""#), (None, Some(123)));
        assert_eq!(parse_link_pages(r#"</admin/users?page=0&per_page=50>; rel="last""#), (None, Some(0)));
        assert_eq!(parse_link_pages("garbage"), (None, None));
        assert_eq!(parse_link_pages(r#"<?per_page=5&page=12>; rel=next"#), (Some(12), None));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(link in "\\PC*") {
            let _ = parse_link_pages(&link);
        }
    }
}
