//! WebAuthn MFA (auth-js's `mfa.webauthn`): the challenge and verify requests with the relying
//! party named, as auth-js sends them. The browser ceremonies between them are `BrowserAuth`'s
//! (their platform-free halves: `webauthn_ceremony`).

use super::mfa::MfaChallenge;
use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::json::{ObjectWriter, ToJson};
use crate::types::{JsonValue, TokenResponse};
use crate::AuthError;

/// The relying party a WebAuthn challenge or verify names (auth-js's `{ rpId, rpOrigins }`):
/// in a browser, the page's host name and origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebAuthnRelyingParty {
    /// The relying party id: a host name (`example.com`; never an IP address).
    pub rp_id: String,
    /// The origins allowed to answer (`https://example.com`).
    pub rp_origins: Vec<String>,
}

impl WebAuthnRelyingParty {
    /// The relying party `rp_id`, answering from `origins`.
    ///
    /// ```
    /// # use gotrue_wasm::*;
    /// let party = WebAuthnRelyingParty::new("example.com", ["https://example.com"]);
    /// assert_eq!(party.rp_origins, ["https://example.com"]);
    /// ```
    pub fn new<O: Into<String>>(rp_id: impl Into<String>, origins: impl IntoIterator<Item = O>) -> Self {
        WebAuthnRelyingParty { rp_id: rp_id.into(), rp_origins: origins.into_iter().map(Into::into).collect() }
    }
}

/// `{ rpId, rpOrigins }`.
impl ToJson for WebAuthnRelyingParty {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("rpId", &self.rp_id).field("rpOrigins", &self.rp_origins);
        object.finish();
    }
}

/// Which WebAuthn ceremony a challenge asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebAuthnCeremony {
    /// Registration: `navigator.credentials.create()` (an unverified factor).
    Create,
    /// Authentication: `navigator.credentials.get()` (a verified factor).
    Request,
}

impl WebAuthnCeremony {
    /// `create` or `request`, as the server names it.
    pub fn as_str(self) -> &'static str {
        match self {
            WebAuthnCeremony::Create => "create",
            WebAuthnCeremony::Request => "request",
        }
    }

    /// The ceremony a challenge (its `webauthn` member) asks for; `None` when it has none.
    ///
    /// ```
    /// # use gotrue_wasm::*;
    /// # fn run(challenge: MfaChallenge) {
    /// match WebAuthnCeremony::of(&challenge) {
    ///     Some(WebAuthnCeremony::Create) => println!("register the key"),
    ///     Some(WebAuthnCeremony::Request) => println!("touch the key"),
    ///     None => println!("not a WebAuthn challenge"),
    /// }
    /// # }
    /// ```
    pub fn of(challenge: &MfaChallenge) -> Option<WebAuthnCeremony> {
        match challenge.webauthn.as_ref()?.get("type")?.as_str()? {
            "create" => Some(WebAuthnCeremony::Create),
            "request" => Some(WebAuthnCeremony::Request),
            _ => None,
        }
    }
}

/// The browser's answer to a WebAuthn challenge, for `mfa_webauthn_verify` (auth-js's
/// `webauthn: { type, rpId, rpOrigins, credential_response }`).
#[derive(Clone, Debug, PartialEq)]
pub struct WebAuthnCredentialResponse {
    /// The ceremony answered.
    pub ceremony: WebAuthnCeremony,
    /// The relying party, as given to the challenge.
    pub relying_party: Option<WebAuthnRelyingParty>,
    /// The credential in its JSON form (`PublicKeyCredential.toJSON()`: base64url buffers).
    pub credential_response: JsonValue,
}

/// `{ type, rpId?, rpOrigins?, credential_response }`.
impl ToJson for WebAuthnCredentialResponse {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("type", self.ceremony.as_str());
        if let Some(party) = &self.relying_party {
            object.field("rpId", &party.rp_id).field("rpOrigins", &party.rp_origins);
        }
        object.field("credential_response", &self.credential_response);
        object.finish();
    }
}

/// `POST /factors/{id}/challenge` with `{ webauthn: { rpId, rpOrigins } }` (`{}` without a
/// relying party: the server's own).
pub(crate) async fn challenge<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    factor_id: &str,
    relying_party: Option<&WebAuthnRelyingParty>,
) -> Result<MfaChallenge, AuthError> {
    struct Body<'a>(Option<&'a WebAuthnRelyingParty>);
    impl ToJson for Body<'_> {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            object.opt("webauthn", &self.0);
            object.finish();
        }
    }
    let path = crate::text::concat(&["/factors/", &crate::url::encode_component(factor_id), "/challenge"]);
    api.send_json(ApiCall::new(Method::Post, path).bearer_if(access_token).json(&Body(relying_party))).await
}

/// `POST /factors/{id}/verify` with `{ challenge_id, webauthn: { type, rpId, rpOrigins, credential_response } }`.
pub(crate) async fn verify<T: HttpTransport>(
    api: &Api<T>,
    access_token: Option<&str>,
    factor_id: &str,
    challenge_id: &str,
    response: &WebAuthnCredentialResponse,
) -> Result<TokenResponse, AuthError> {
    super::mfa::verify_answer(api, access_token, factor_id, challenge_id, "webauthn", response).await
}
