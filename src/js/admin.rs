//! `GoTrueAdminApi` (and `client.admin`): the admin API for servers holding a service-role key.

use super::inputs::{nested, opt_bool, opt_object, opt_str, req_str, Args};
use super::results::{self, object, Data};
use crate::browser::FetchTransport;
use crate::json::Fields;
use crate::{
    AdminApi, AdminUserAttributes, AuthError, GenerateLinkParams, GenerateLinkType, SecretString, SignOutScope,
};

/// The service key from `Authorization: Bearer …` or `apikey`.
pub(super) fn service_key(headers: &[(String, String)]) -> String {
    let find = |name: &str| headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    find("authorization")
        .map(|value| value.trim_start_matches("Bearer ").trim_start_matches("bearer ").to_string())
        .or_else(|| find("apikey"))
        .unwrap_or_default()
}

fn attributes(object: Result<Fields<'_>, AuthError>) -> Result<AdminUserAttributes, AuthError> {
    let object = object?;
    Ok(AdminUserAttributes {
        email: opt_str(&object, "email")?,
        phone: opt_str(&object, "phone")?,
        password: opt_str(&object, "password")?.map(SecretString::new),
        email_confirm: opt_bool(&object, "email_confirm")?,
        phone_confirm: opt_bool(&object, "phone_confirm")?,
        user_metadata: opt_object(&object, "user_metadata")?,
        app_metadata: opt_object(&object, "app_metadata")?,
        role: opt_str(&object, "role")?,
        ban_duration: opt_str(&object, "ban_duration")?,
    })
}

fn link_params(params: Result<Fields<'_>, AuthError>) -> Result<GenerateLinkParams, AuthError> {
    let params = params?;
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
    if let Some(options) = nested(&params, "options")? {
        if let Some(data) = opt_object(&options, "data")? {
            link = link.data(data);
        }
        if let Some(url) = opt_str(&options, "redirectTo")? {
            link = link.redirect_to(url);
        }
    }
    Ok(link)
}

pub(super) async fn dispatch(admin: AdminApi<'_, FetchTransport>, op: &str, args: &Args) -> (Data, &'static str) {
    match op {
        "listUsers" => {
            // Any page numbers go to the server as given: it judges them (auth-js checks none).
            let number = |params: &Fields<'_>, key: &str| params.get(key).and_then(|n| n.as_i64());
            let (page, per_page) = match args.optional_object(0) {
                Ok(Some(params)) => (number(&params, "page"), number(&params, "perPage")),
                _ => (None, None),
            };
            let result = results::whole(admin.list_users_unchecked(page, per_page).await);
            // auth-js answers a failed list with an empty `users` array, not null.
            (result, r#"{"users":[]}"#)
        }
        "createUser" => {
            let result = match attributes(args.object(0)) {
                Ok(attributes) => admin.create_user(&attributes).await,
                Err(error) => Err(error),
            };
            (results::user(result), results::USER)
        }
        "getUserById" => {
            let result = match args.string(0, "uid") {
                Ok(uid) => admin.get_user_by_id(&uid).await,
                Err(error) => Err(error),
            };
            (results::user(result), results::USER)
        }
        "updateUserById" => {
            let result = match (args.string(0, "uid"), attributes(args.object(1))) {
                (Ok(uid), Ok(attributes)) => admin.update_user_by_id(&uid, &attributes).await,
                (Err(error), _) | (_, Err(error)) => Err(error),
            };
            (results::user(result), results::USER)
        }
        "deleteUser" => {
            // auth-js reads the user first and answers `{ user }`: the user as it was.
            let result = async {
                let id = args.string(0, "id")?;
                let soft = args.optional_bool(1, "shouldSoftDelete")?.unwrap_or(false);
                let user = admin.get_user_by_id(&id).await?;
                admin.delete_user(&id, soft).await?;
                Ok(user)
            }
            .await;
            (results::user(result), results::USER)
        }
        "inviteUserByEmail" => {
            let result = async {
                let email = args.string(0, "email")?;
                let (data, redirect) = match args.optional_object(1)? {
                    Some(options) => (opt_object(&options, "data")?, opt_str(&options, "redirectTo")?),
                    None => (None, None),
                };
                admin.invite_user_by_email(&email, data, redirect.as_deref()).await
            }
            .await;
            (results::user(result), results::USER)
        }
        "generateLink" => {
            let result = match link_params(args.object(0)) {
                Ok(link) => admin.generate_link(&link).await,
                Err(error) => Err(error),
            };
            (results::whole(result), r#"{"properties":null,"user":null}"#)
        }
        "signOut" => {
            let result = async {
                let jwt = args.string(0, "jwt")?;
                let scope = match args.optional_string(1, "scope")?.as_deref() {
                    Some("local") => SignOutScope::Local,
                    Some("others") => SignOutScope::Others,
                    _ => SignOutScope::Global,
                };
                admin.sign_out(&jwt, scope).await
            }
            .await;
            (result.map(|()| String::new()), results::NULL)
        }
        "mfa.listFactors" => {
            let result = async {
                let user_id = req_str(&args.object(0)?, "userId")?;
                admin.list_factors(&user_id).await
            }
            .await;
            let data = result.map(|factors| {
                object(|data| {
                    data.field("factors", &factors);
                })
            });
            (data, results::NULL)
        }
        "mfa.deleteFactor" => {
            let result = async {
                let params = args.object(0)?;
                admin.delete_factor(&req_str(&params, "userId")?, &req_str(&params, "id")?).await
            }
            .await;
            (results::whole(result), results::NULL)
        }
        _ => (Err(AuthError::invalid_credentials("unknown method")), results::NULL),
    }
}
