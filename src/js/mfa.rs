//! `client.mfa`: enroll, challenge, verify, challengeAndVerify, unenroll, listFactors,
//! getAuthenticatorAssuranceLevel.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::inputs::{opt_str, req_str, Args};
use super::model::{AuthResponse, BrowserClient};
use super::results::{self, Data};
use crate::json::ToJson;
use crate::{AuthError, JsonObject, JsonValue};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = webauthnCredential)]
    fn webauthn_credential(kind: &str, options_json: &str) -> js_sys::Promise;
}

/// The browser's answer to a WebAuthn challenge (its `webauthn` member), as the server's
/// verify expects it.
async fn webauthn_answer(webauthn: Option<&JsonValue>) -> Result<JsonValue, AuthError> {
    let webauthn = webauthn.ok_or_else(|| AuthError::unknown("The challenge has no WebAuthn options"))?;
    let kind = webauthn.get("type").and_then(JsonValue::as_str).unwrap_or("request").to_string();
    let options = webauthn.get("credential_options").cloned().unwrap_or_default();
    let credential = JsFuture::from(webauthn_credential(&kind, &options.to_json_string()))
        .await
        .map_err(|_| AuthError::unknown("The browser's WebAuthn ceremony failed or was cancelled"))?;
    let response = crate::json::parse(&credential.as_string().unwrap_or_default())?;
    let mut answer = JsonObject::new();
    answer.insert("type".into(), JsonValue::String(kind));
    answer.insert("credential_response".into(), response);
    Ok(JsonValue::Object(answer))
}

/// What auth-js's verify answers: the server's token response, i.e. the new session
/// (`access_token`, `token_type`, `expires_in`, `refresh_token`, `user`, and `expires_at`).
fn verified_session(result: Result<AuthResponse, AuthError>) -> Data {
    let response = result?;
    let session = response.session.ok_or_else(|| AuthError::invalid_token_response("No session after verify"))?;
    Ok(session.to_json_string())
}

pub(super) async fn dispatch(client: &BrowserClient, op: &str, args: &Args) -> (Data, &'static str) {
    match op {
        "challengeAndVerify" => {
            let result = async {
                let params = args.object(0)?;
                let factor_id = req_str(&params, "factorId")?;
                match opt_str(&params, "code")? {
                    Some(code) => client.mfa_challenge_and_verify(&factor_id, &code).await,
                    None => {
                        // A WebAuthn factor: the browser's `navigator.credentials` answers.
                        let challenge = client.mfa_challenge(&factor_id, None).await?;
                        let answer = webauthn_answer(challenge.webauthn.as_ref()).await?;
                        client.mfa_verify_webauthn(&factor_id, &challenge.id, &answer).await
                    }
                }
            }
            .await;
            (verified_session(result), results::NULL)
        }
        "getAuthenticatorAssuranceLevel" => {
            let result = match args.optional_string(0, "jwt") {
                Ok(Some(jwt)) if !jwt.is_empty() => client.mfa_get_authenticator_assurance_level_of(&jwt).await,
                Ok(_) => client.mfa_get_authenticator_assurance_level().await,
                Err(error) => Err(error),
            };
            (results::whole(result), results::NULL)
        }
        _ => (Err(AuthError::invalid_credentials("unknown method")), results::NULL),
    }
}
