//! `POST /recover`: the password-recovery email.

use super::{meta_security, pkce_body, redirect_for, write_pkce, MetaSecurity, PkceBody};
use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{ObjectWriter, ToJson};
use crate::pkce::StartedFlow;
use crate::AuthError;

/// Options of [`crate::GoTrueClient::reset_password_for_email`].
#[derive(Clone, Debug, Default)]
pub struct ResetPasswordOptions {
    redirect_to: Option<String>,
    captcha_token: Option<String>,
}

impl ResetPasswordOptions {
    /// Where the recovery link leads (the page that lets the user set a new password).
    pub fn redirect_to(mut self, url: impl Into<String>) -> Self {
        self.redirect_to = Some(url.into());
        self
    }

    /// The CAPTCHA token, when the server requires one.
    pub fn captcha_token(mut self, token: impl Into<String>) -> Self {
        self.captcha_token = Some(token.into());
        self
    }
}

struct RecoverBody<'a> {
    email: &'a str,
    gotrue_meta_security: Option<MetaSecurity<'a>>,
    pkce: Option<PkceBody<'a>>,
}

impl ToJson for RecoverBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("email", self.email).opt("gotrue_meta_security", &self.gotrue_meta_security);
        write_pkce(&mut object, &self.pkce);
        object.finish();
    }
}

pub(crate) async fn recover<T: HttpTransport>(
    api: &Api<T>,
    email: &str,
    options: &ResetPasswordOptions,
    flow: Option<&StartedFlow>,
) -> Result<(), AuthError> {
    let body = RecoverBody {
        email,
        gotrue_meta_security: meta_security(options.captcha_token.as_deref()),
        pkce: pkce_body(flow),
    };
    let redirect = redirect_for(options.redirect_to.as_deref(), flow);
    api.send_empty(ApiCall::new(Method::Post, "/recover").query_opt("redirect_to", redirect.as_deref()).json(&body))
        .await
}
