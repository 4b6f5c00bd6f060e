//! `client.mfa`: auth-js's MFA namespace.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::inputs::{channel, get, opt_str, req_str, to_json};
use super::results::{auth_response, data_or_error};
use super::{read_any, run};
use crate::browser::BrowserAuth;
use crate::codec::to_js;
use crate::{AuthError, JsonValue, MfaEnrollParams};

#[wasm_bindgen(module = "/src/browser/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = webauthnCredential)]
    fn webauthn_credential(kind: &str, options_json: &str) -> js_sys::Promise;
}

/// `client.mfa`: enroll, challenge, verify, challengeAndVerify, unenroll, listFactors,
/// getAuthenticatorAssuranceLevel.
#[wasm_bindgen(js_name = GoTrueMFAApi)]
pub struct JsMfaApi {
    pub(super) auth: Rc<BrowserAuth>,
    pub(super) throw_on_error: bool,
}

fn enroll_params(params: &JsValue) -> Result<MfaEnrollParams, AuthError> {
    let mut enroll = match req_str(params, "factorType")?.as_str() {
        "totp" => MfaEnrollParams::totp(),
        "phone" => MfaEnrollParams::phone(req_str(params, "phone")?),
        "webauthn" => MfaEnrollParams::webauthn(),
        _ => return Err(AuthError::invalid_credentials("factorType must be \"totp\", \"phone\" or \"webauthn\"")),
    };
    if let Some(name) = opt_str(params, "friendlyName")? {
        enroll = enroll.friendly_name(name);
    }
    if let Some(issuer) = opt_str(params, "issuer")? {
        enroll = enroll.issuer(issuer);
    }
    Ok(enroll)
}

/// The browser's answer to a WebAuthn challenge (its `webauthn` member), as the server's
/// verify expects it.
async fn webauthn_answer(webauthn: Option<&JsonValue>) -> Result<JsonValue, AuthError> {
    let webauthn = webauthn.ok_or_else(|| AuthError::unknown("The challenge has no WebAuthn options"))?;
    let kind = webauthn.get("type").and_then(JsonValue::as_str).unwrap_or("request").to_string();
    let options = webauthn.get("credential_options").cloned().unwrap_or_default();
    let options_json = crate::codec::to_string(&options)?;
    let credential = JsFuture::from(webauthn_credential(&kind, &options_json))
        .await
        .map_err(|_| AuthError::unknown("The browser's WebAuthn ceremony failed or was cancelled"))?;
    let response: JsonValue = crate::codec::from_str(&credential.as_string().unwrap_or_default())?;
    let mut answer = crate::JsonObject::new();
    answer.insert("type".into(), JsonValue::String(kind));
    answer.insert("credential_response".into(), response);
    Ok(JsonValue::Object(answer))
}

macro_rules! mfa_op {
    ($self:ident, |$client:ident| $body:expr) => {{
        let inner = Rc::clone(&$self.auth);
        run(
            Rc::clone(&$self.auth),
            $self.throw_on_error,
            true,
            Box::pin(async move {
                let $client = inner.client();
                $body
            }),
        )
    }};
}

#[wasm_bindgen(js_class = GoTrueMFAApi)]
impl JsMfaApi {
    /// `enroll({ factorType, friendlyName, issuer, phone })` → `{ data: { id, type, friendly_name, totp | phone }, error }`.
    #[wasm_bindgen(js_name = enroll, unchecked_return_type = "Promise<Result<MFAEnrollData>>")]
    pub fn enroll(&self, #[wasm_bindgen(unchecked_param_type = "MFAEnrollParams")] params: JsValue) -> js_sys::Promise {
        mfa_op!(self, |client| {
            let result = match read_any(&params).and_then(|p| enroll_params(&p)) {
                Ok(params) => client.mfa_enroll(&params).await.and_then(|enrolled| to_js(&enrolled)),
                Err(error) => Err(error),
            };
            match result {
                Ok(data) => super::results::with_data(data),
                Err(error) => data_or_error(Err(error), &[]),
            }
        })
    }

    /// `challenge({ factorId, channel })` → `{ data: { id, type, expires_at, webauthn? }, error }`.
    #[wasm_bindgen(js_name = challenge, unchecked_return_type = "Promise<Result<MFAChallengeData>>")]
    pub fn challenge(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ factorId: string; channel?: 'sms' | 'whatsapp' }")] params: JsValue,
    ) -> js_sys::Promise {
        mfa_op!(self, |client| {
            let result = async {
                let params = read_any(&params)?;
                let factor_id = req_str(&params, "factorId")?;
                let challenge =
                    client.mfa_challenge(&factor_id, channel(opt_str(&params, "channel")?.as_deref())?).await?;
                to_js(&challenge)
            }
            .await;
            match result {
                Ok(data) => super::results::with_data(data),
                Err(error) => data_or_error(Err(error), &[]),
            }
        })
    }

    /// `verify({ factorId, challengeId, code })` (or `webauthn: { type, credential_response }`)
    /// → `{ data: { user, session }, error }`; emits MFA_CHALLENGE_VERIFIED.
    #[wasm_bindgen(js_name = verify, unchecked_return_type = "Promise<AuthResponse>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ factorId: string; challengeId: string; code: string } | { factorId: string; challengeId: string; webauthn: JsonObject }"
        )]
        params: JsValue,
    ) -> js_sys::Promise {
        mfa_op!(self, |client| {
            let result = async {
                let params = read_any(&params)?;
                let factor_id = req_str(&params, "factorId")?;
                let challenge_id = req_str(&params, "challengeId")?;
                let webauthn = get(&params, "webauthn");
                if webauthn.is_object() {
                    client.mfa_verify_webauthn(&factor_id, &challenge_id, &to_json(&webauthn)).await
                } else {
                    client.mfa_verify(&factor_id, &challenge_id, &req_str(&params, "code")?).await
                }
            }
            .await;
            auth_response(result)
        })
    }

    /// `challengeAndVerify({ factorId, code })`; for a WebAuthn factor (no code) the browser's
    /// `navigator.credentials` answers the challenge.
    #[wasm_bindgen(js_name = challengeAndVerify, unchecked_return_type = "Promise<AuthResponse>")]
    pub fn challenge_and_verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ factorId: string; code?: string }")] params: JsValue,
    ) -> js_sys::Promise {
        mfa_op!(self, |client| {
            let result = async {
                let params = read_any(&params)?;
                let factor_id = req_str(&params, "factorId")?;
                match opt_str(&params, "code")? {
                    Some(code) => client.mfa_challenge_and_verify(&factor_id, &code).await,
                    None => {
                        let challenge = client.mfa_challenge(&factor_id, None).await?;
                        let answer = webauthn_answer(challenge.webauthn.as_ref()).await?;
                        client.mfa_verify_webauthn(&factor_id, &challenge.id, &answer).await
                    }
                }
            }
            .await;
            auth_response(result)
        })
    }

    /// `unenroll({ factorId })` → `{ data: { id }, error }`.
    #[wasm_bindgen(js_name = unenroll, unchecked_return_type = "Promise<Result<{ id: string }>>")]
    pub fn unenroll(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ factorId: string }")] params: JsValue,
    ) -> js_sys::Promise {
        mfa_op!(self, |client| {
            let result = async {
                let params = read_any(&params)?;
                client.mfa_unenroll(&req_str(&params, "factorId")?).await
            }
            .await;
            data_or_error(result.map(|id| vec![("id", JsValue::from_str(&id))]), &["id"])
        })
    }

    /// `listFactors()` → `{ data: { all, totp, phone, webauthn }, error }` (by type: verified only).
    #[wasm_bindgen(js_name = listFactors, unchecked_return_type = "Promise<Result<{ all: Factor[]; totp: Factor[]; phone: Factor[]; webauthn: Factor[] }>>")]
    pub fn list_factors(&self) -> js_sys::Promise {
        mfa_op!(self, |client| {
            let result = client.mfa_list_factors().await.and_then(|list| {
                Ok(vec![
                    ("all", to_js(&list.all)?),
                    ("totp", to_js(&list.totp)?),
                    ("phone", to_js(&list.phone)?),
                    ("webauthn", to_js(&list.webauthn)?),
                ])
            });
            data_or_error(result, &[])
        })
    }

    /// `getAuthenticatorAssuranceLevel()` → `{ data: { currentLevel, nextLevel, currentAuthenticationMethods }, error }`.
    #[wasm_bindgen(js_name = getAuthenticatorAssuranceLevel, unchecked_return_type = "Promise<Result<AuthenticatorAssurance>>")]
    pub fn get_authenticator_assurance_level(&self) -> js_sys::Promise {
        mfa_op!(self, |client| {
            let result = client.mfa_get_authenticator_assurance_level().await.and_then(|level| {
                let text = |value: Option<String>| value.map(|v| JsValue::from_str(&v)).unwrap_or(JsValue::NULL);
                Ok(vec![
                    ("currentLevel", text(level.current_level)),
                    ("nextLevel", text(level.next_level)),
                    ("currentAuthenticationMethods", to_js(&level.current_authentication_methods)?),
                ])
            });
            data_or_error(result, &["currentLevel", "nextLevel", "currentAuthenticationMethods"])
        })
    }
}
