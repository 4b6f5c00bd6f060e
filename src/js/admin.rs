//! `GoTrueAdminApi` (and `client.admin`): the admin API for servers holding a service-role key.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::inputs::{get, opt_bool, opt_object, opt_str, req_str};
use super::results::{data_or_error, set, with_data};
use super::{read_any, run};
use crate::browser::{BrowserAuth, BrowserStorage, DetectSessionInUrl};
use crate::codec::to_js;
use crate::{
    AdminUserAttributes, AuthError, ClientOptions, GenerateLinkParams, GenerateLinkType, SecretString, SignOutScope,
};

/// `new GoTrueAdminApi({ url, headers })`, authorized by `headers.Authorization`
/// (`Bearer <service role key>`) or, failing that, `headers.apikey`.
#[wasm_bindgen(js_name = GoTrueAdminApi)]
pub struct JsAdminApi {
    pub(super) auth: Rc<BrowserAuth>,
    pub(super) throw_on_error: bool,
    service_key: String,
}

/// The `mfa` namespace of the admin API.
#[wasm_bindgen(js_name = GoTrueAdminMFAApi)]
pub struct JsAdminMfaApi {
    auth: Rc<BrowserAuth>,
    throw_on_error: bool,
    service_key: String,
}

/// The service key from `Authorization: Bearer …` or `apikey`.
pub(super) fn service_key(headers: &[(String, String)]) -> String {
    let find = |name: &str| headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    find("authorization")
        .map(|value| value.trim_start_matches("Bearer ").trim_start_matches("bearer ").to_string())
        .or_else(|| find("apikey"))
        .unwrap_or_default()
}

impl JsAdminApi {
    pub(super) fn for_options(options: ClientOptions, throw_on_error: bool) -> JsAdminApi {
        let key = service_key(&options.headers);
        let options = options.persist_session(false).auto_refresh_token(false).detect_session_in_url(false);
        let auth = BrowserAuth::new(options, BrowserStorage::memory(), DetectSessionInUrl::Off);
        JsAdminApi { auth, throw_on_error, service_key: key }
    }
}

fn attributes(object: &JsValue) -> Result<AdminUserAttributes, AuthError> {
    Ok(AdminUserAttributes {
        email: opt_str(object, "email")?,
        phone: opt_str(object, "phone")?,
        password: opt_str(object, "password")?.map(SecretString::new),
        email_confirm: opt_bool(object, "email_confirm")?,
        phone_confirm: opt_bool(object, "phone_confirm")?,
        user_metadata: opt_object(object, "user_metadata")?,
        app_metadata: opt_object(object, "app_metadata")?,
        role: opt_str(object, "role")?,
        ban_duration: opt_str(object, "ban_duration")?,
    })
}

macro_rules! admin_op {
    ($self:ident, |$admin:ident| $body:expr) => {{
        let inner = Rc::clone(&$self.auth);
        let key = $self.service_key.clone();
        run(
            Rc::clone(&$self.auth),
            $self.throw_on_error,
            false,
            Box::pin(async move {
                let $admin = inner.client().admin(key);
                $body
            }),
        )
    }};
}

fn user_result(result: Result<crate::User, AuthError>) -> JsValue {
    data_or_error(result.and_then(|user| to_js(&user)).map(|user| vec![("user", user)]), &["user"])
}

#[wasm_bindgen(js_class = GoTrueAdminApi)]
impl JsAdminApi {
    /// Creates the admin API for `url`, authorized by the headers' service-role key.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "GoTrueClientOptions")] options: JsValue,
    ) -> Result<JsAdminApi, JsValue> {
        let setup = super::options::read_options(&options).map_err(|error| super::results::to_js_error(&error))?;
        Ok(JsAdminApi::for_options(setup.options, setup.throw_on_error))
    }

    /// `mfa`: `listFactors({ userId })`, `deleteFactor({ userId, id })`.
    #[wasm_bindgen(getter)]
    pub fn mfa(&self) -> JsAdminMfaApi {
        JsAdminMfaApi {
            auth: Rc::clone(&self.auth),
            throw_on_error: self.throw_on_error,
            service_key: self.service_key.clone(),
        }
    }

    /// `listUsers({ page, perPage })` → `{ data: { users, aud, nextPage, lastPage, total }, error }`.
    #[wasm_bindgen(js_name = listUsers, unchecked_return_type = "Promise<{ data: { users: User[]; aud: string; nextPage: number | null; lastPage: number; total: number }; error: null } | { data: { users: [] }; error: AuthError }>")]
    pub fn list_users(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ page?: number; perPage?: number } | undefined")] params: JsValue,
    ) -> js_sys::Promise {
        admin_op!(self, |admin| {
            let page = |key: &str| get(&params, key).as_f64().filter(|n| *n >= 0.0).map(|n| n as u64);
            let result = admin.list_users(page("page"), page("perPage")).await.and_then(|list| {
                let number = |n: Option<u64>| n.map(|n| JsValue::from_f64(n as f64)).unwrap_or(JsValue::NULL);
                Ok(vec![
                    ("users", to_js(&list.users)?),
                    ("aud", JsValue::from_str(&list.aud)),
                    ("nextPage", number(list.next_page)),
                    ("lastPage", JsValue::from_f64(list.last_page as f64)),
                    ("total", JsValue::from_f64(list.total as f64)),
                ])
            });
            match result {
                Ok(fields) => data_or_error(Ok(fields), &[]),
                // auth-js answers a failed list with an empty `users` array, not null.
                Err(error) => {
                    let answer = data_or_error(Err(error), &[]);
                    let data = js_sys::Reflect::get(&answer, &"data".into()).unwrap_or(JsValue::UNDEFINED);
                    let _ = js_sys::Reflect::set(&data, &"users".into(), &js_sys::Array::new());
                    answer
                }
            }
        })
    }

    /// `createUser(attributes)` → `{ data: { user }, error }`.
    #[wasm_bindgen(js_name = createUser, unchecked_return_type = "Promise<Result<{ user: User }>>")]
    pub fn create_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AdminUserAttributes")] attributes_value: JsValue,
    ) -> js_sys::Promise {
        admin_op!(self, |admin| {
            let result = match read_any(&attributes_value).and_then(|a| attributes(&a)) {
                Ok(attributes) => admin.create_user(&attributes).await,
                Err(error) => Err(error),
            };
            user_result(result)
        })
    }

    /// `getUserById(uid)` → `{ data: { user }, error }`.
    #[wasm_bindgen(js_name = getUserById, unchecked_return_type = "Promise<Result<{ user: User }>>")]
    pub fn get_user_by_id(&self, uid: String) -> js_sys::Promise {
        admin_op!(self, |admin| user_result(admin.get_user_by_id(&uid).await))
    }

    /// `updateUserById(uid, attributes)` → `{ data: { user }, error }`.
    #[wasm_bindgen(js_name = updateUserById, unchecked_return_type = "Promise<Result<{ user: User }>>")]
    pub fn update_user_by_id(
        &self,
        uid: String,
        #[wasm_bindgen(unchecked_param_type = "AdminUserAttributes")] attributes_value: JsValue,
    ) -> js_sys::Promise {
        admin_op!(self, |admin| {
            let result = match read_any(&attributes_value).and_then(|a| attributes(&a)) {
                Ok(attributes) => admin.update_user_by_id(&uid, &attributes).await,
                Err(error) => Err(error),
            };
            user_result(result)
        })
    }

    /// `deleteUser(id, shouldSoftDelete = false)` → `{ data: {}, error }`.
    #[wasm_bindgen(js_name = deleteUser, unchecked_return_type = "Promise<Result<{}>>")]
    pub fn delete_user(&self, id: String, should_soft_delete: Option<bool>) -> js_sys::Promise {
        admin_op!(self, |admin| {
            data_or_error(admin.delete_user(&id, should_soft_delete.unwrap_or(false)).await.map(|()| vec![]), &[])
        })
    }

    /// `inviteUserByEmail(email, { data, redirectTo })` → `{ data: { user }, error }`.
    #[wasm_bindgen(js_name = inviteUserByEmail, unchecked_return_type = "Promise<Result<{ user: User }>>")]
    pub fn invite_user_by_email(
        &self,
        email: String,
        #[wasm_bindgen(unchecked_param_type = "{ data?: JsonObject; redirectTo?: string } | undefined")]
        options: JsValue,
    ) -> js_sys::Promise {
        admin_op!(self, |admin| {
            let result = async {
                let (data, redirect) = if options.is_object() {
                    (opt_object(&options, "data")?, opt_str(&options, "redirectTo")?)
                } else {
                    (None, None)
                };
                admin.invite_user_by_email(&email, data, redirect.as_deref()).await
            }
            .await;
            user_result(result)
        })
    }

    /// `generateLink({ type, email, password, newEmail, options: { data, redirectTo } })`
    /// → `{ data: { properties: { action_link, email_otp, hashed_token, redirect_to, verification_type }, user }, error }`.
    #[wasm_bindgen(js_name = generateLink, unchecked_return_type = "Promise<Result<{ properties: GenerateLinkProperties; user: User }>>")]
    pub fn generate_link(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GenerateLinkParams")] params: JsValue,
    ) -> js_sys::Promise {
        admin_op!(self, |admin| {
            let result = async {
                let params = read_any(&params)?;
                let kind = match req_str(&params, "type")?.as_str() {
                    "signup" => GenerateLinkType::Signup,
                    "invite" => GenerateLinkType::Invite,
                    "magiclink" => GenerateLinkType::Magiclink,
                    "recovery" => GenerateLinkType::Recovery,
                    "email_change_current" => GenerateLinkType::EmailChangeCurrent,
                    "email_change_new" => GenerateLinkType::EmailChangeNew,
                    _ => return Err(AuthError::invalid_credentials("unknown link type")),
                };
                let mut link = GenerateLinkParams::new(kind, req_str(&params, "email")?);
                if let Some(password) = opt_str(&params, "password")? {
                    link = link.password(password);
                }
                if let Some(new_email) = opt_str(&params, "newEmail")? {
                    link = link.new_email(new_email);
                }
                let options = get(&params, "options");
                if options.is_object() {
                    if let Some(data) = opt_object(&options, "data")? {
                        link = link.data(data);
                    }
                    if let Some(url) = opt_str(&options, "redirectTo")? {
                        link = link.redirect_to(url);
                    }
                }
                let generated = admin.generate_link(&link).await?;
                let properties = js_sys::Object::new();
                set(&properties, "action_link", &JsValue::from_str(&generated.action_link));
                set(&properties, "email_otp", &JsValue::from_str(generated.email_otp.expose()));
                set(&properties, "hashed_token", &JsValue::from_str(generated.hashed_token.expose()));
                set(&properties, "redirect_to", &JsValue::from_str(&generated.redirect_to));
                set(&properties, "verification_type", &JsValue::from_str(&generated.verification_type));
                Ok(vec![("properties", JsValue::from(properties)), ("user", to_js(&generated.user)?)])
            }
            .await;
            data_or_error(result, &["properties", "user"])
        })
    }

    /// `signOut(jwt, scope = 'global')` → `{ data: null, error }`.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<{ data: null; error: AuthError | null }>")]
    pub fn sign_out(&self, jwt: String, scope: Option<String>) -> js_sys::Promise {
        admin_op!(self, |admin| {
            let scope = match scope.as_deref() {
                Some("local") => SignOutScope::Local,
                Some("others") => SignOutScope::Others,
                _ => SignOutScope::Global,
            };
            let result = admin.sign_out(&jwt, scope).await;
            let outer = js_sys::Object::new();
            set(&outer, "data", &JsValue::NULL);
            set(&outer, "error", &result.err().map(|e| super::results::to_js_error(&e)).unwrap_or(JsValue::NULL));
            JsValue::from(outer)
        })
    }
}

#[wasm_bindgen(js_class = GoTrueAdminMFAApi)]
impl JsAdminMfaApi {
    /// `listFactors({ userId })` → `{ data: { factors }, error }`.
    #[wasm_bindgen(js_name = listFactors, unchecked_return_type = "Promise<Result<{ factors: Factor[] }>>")]
    pub fn list_factors(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ userId: string }")] params: JsValue,
    ) -> js_sys::Promise {
        admin_op!(self, |admin| {
            let result = async {
                let user_id = req_str(&read_any(&params)?, "userId")?;
                admin.list_factors(&user_id).await.and_then(|factors| to_js(&factors))
            }
            .await;
            data_or_error(result.map(|factors| vec![("factors", factors)]), &["factors"])
        })
    }

    /// `deleteFactor({ userId, id })` → `{ data: <factor>, error }`.
    #[wasm_bindgen(js_name = deleteFactor, unchecked_return_type = "Promise<Result<Factor>>")]
    pub fn delete_factor(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ userId: string; id: string }")] params: JsValue,
    ) -> js_sys::Promise {
        admin_op!(self, |admin| {
            let result = async {
                let params = read_any(&params)?;
                let factor = admin.delete_factor(&req_str(&params, "userId")?, &req_str(&params, "id")?).await?;
                to_js(&factor)
            }
            .await;
            match result {
                Ok(factor) => with_data(factor),
                Err(error) => data_or_error(Err(error), &[]),
            }
        })
    }
}
