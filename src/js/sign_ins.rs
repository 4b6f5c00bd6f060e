//! linkIdentity with an OAuth provider: the URL built as signInWithOAuth's, then the browser
//! sent there. (getClaims and signInWithWeb3 are composed by the JS facade over rows of the
//! request table: their browser work — WebCrypto, the wallet — is cheaper there.)

use std::rc::Rc;

use super::inputs::{oauth, Args};
use super::model::BrowserAuth;
use super::results::{self, Data};
use crate::json::{Fields, ToJson};
use crate::outlined::outlined;
use crate::AuthError;

async fn link_identity(auth: &BrowserAuth, params: Fields<'_>) -> Data {
    let credentials = oauth(Ok(params))?;
    let started = auth.client().start_link_identity(&credentials).await?;
    if !credentials.skips_browser_redirect() {
        auth.navigate(&started.url)?;
    }
    Ok(started.to_json_string())
}

pub(super) async fn dispatch(auth: &Rc<BrowserAuth>, op: &str, args: &Args) -> (Data, &'static str) {
    match op {
        "linkIdentity" => match args.object(0) {
            // The facade puts the provider back into the error's data, as auth-js has it.
            Ok(params) => {
                (outlined(link_identity(auth, params)).await, r#"{"provider":null,"url":null,"flowId":null}"#)
            }
            Err(error) => (Err(error), results::PROVIDER_URL),
        },
        _ => (Err(AuthError::invalid_credentials("unknown method")), results::NULL),
    }
}
