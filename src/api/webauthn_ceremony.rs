//! The platform-free halves of the browser's WebAuthn ceremonies (`BrowserAuth`'s passkey and
//! `mfa.webauthn` methods): the options prepared as auth-js prepares them (its MFA defaults,
//! the user-name stand-in, the caller's overrides), their base64url members decoded, a
//! credential written back as the JSON the server reads, and a refused ceremony read as auth-js
//! reads it. Natively, and in the npm package's build (no `webauthn-ceremonies`), these serve
//! the tests only.
#![cfg_attr(any(not(target_arch = "wasm32"), not(feature = "webauthn-ceremonies")), allow(dead_code))]

use super::webauthn::WebAuthnCeremony;
use crate::types::{JsonObject, JsonValue};
use crate::{AuthError, AuthErrorKind};

/// auth-js's defaults under an MFA registration's options: a cross-platform key.
const CREATE_DEFAULTS: &str = r#"{"hints":["security-key"],"authenticatorSelection":{"authenticatorAttachment":"cross-platform","requireResidentKey":false,"userVerification":"preferred","residentKey":"discouraged"},"attestation":"direct"}"#;
/// auth-js's defaults under an MFA authentication's options.
const REQUEST_DEFAULTS: &str = r#"{"userVerification":"preferred","hints":["security-key"],"attestation":"direct"}"#;

/// `sources` merged left to right as auth-js merges options: objects member by member, any
/// other value (arrays included) replacing what was there; `null` members are kept, missing
/// ones leave the earlier value.
pub(crate) fn merge(sources: &[&JsonValue]) -> JsonValue {
    let mut out = JsonObject::new();
    for source in sources {
        let Some(object) = source.as_object() else { continue };
        for (key, value) in object.iter() {
            let merged = match (out.get(key), value) {
                (Some(JsonValue::Object(_)), JsonValue::Object(_)) => {
                    let earlier = out.get(key).cloned().unwrap_or_default();
                    merge(&[&earlier, value])
                }
                (_, JsonValue::Object(_)) => merge(&[value]),
                _ => value.clone(),
            };
            out.insert(key.clone(), merged);
        }
    }
    JsonValue::Object(out)
}

fn defaults(text: &str) -> JsonValue {
    crate::json::parse(text).unwrap_or_default()
}

/// An MFA registration's `publicKey` options as auth-js hands them to the browser: a blank
/// `user.name` becomes `<user.id>:<name>` (WebAuthn refuses blank names), a blank
/// `user.displayName` the name, all over auth-js's defaults and under `overrides`.
pub(crate) fn mfa_creation_options(public_key: &JsonValue, name: &str, overrides: Option<&JsonValue>) -> JsonValue {
    let mut server = public_key.clone();
    if let JsonValue::Object(options) = &mut server {
        if let Some(JsonValue::Object(user)) = options.get_mut("user") {
            let blank = |value: Option<&JsonValue>| value.and_then(JsonValue::as_str).is_none_or(str::is_empty);
            if blank(user.get("name")) {
                let id = user.get("id").and_then(JsonValue::as_str).unwrap_or_default();
                user.insert("name".into(), JsonValue::String(crate::text::concat(&[id, ":", name])));
            }
            if blank(user.get("displayName")) {
                let shown = user.get("name").cloned().unwrap_or_default();
                user.insert("displayName".into(), shown);
            }
        }
    }
    let none = JsonValue::Null;
    merge(&[&defaults(CREATE_DEFAULTS), &server, overrides.unwrap_or(&none)])
}

/// Whether an MFA registration's options lack a user name (auth-js then names the user).
pub(crate) fn lacks_user_name(public_key: &JsonValue) -> bool {
    public_key.get("user").and_then(|user| user.get("name")).and_then(JsonValue::as_str).is_none_or(str::is_empty)
}

/// An MFA authentication's `publicKey` options: auth-js's defaults, the server's, `overrides`.
pub(crate) fn mfa_request_options(public_key: &JsonValue, overrides: Option<&JsonValue>) -> JsonValue {
    let none = JsonValue::Null;
    merge(&[&defaults(REQUEST_DEFAULTS), public_key, overrides.unwrap_or(&none)])
}

/// The binary members of `publicKey` options, decoded from base64url: what the browser wants
/// as buffers where the server sends text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BinaryMembers {
    /// `challenge`.
    pub challenge: Vec<u8>,
    /// `user.id` (registrations).
    pub user_id: Option<Vec<u8>>,
    /// The ids of `excludeCredentials` (registrations) or `allowCredentials` (sign-ins), in order.
    pub credential_ids: Vec<Vec<u8>>,
}

/// Where a ceremony's credential list lives in its options.
pub(crate) fn credential_list_key(ceremony: WebAuthnCeremony) -> &'static str {
    match ceremony {
        WebAuthnCeremony::Create => "excludeCredentials",
        WebAuthnCeremony::Request => "allowCredentials",
    }
}

/// Decodes the binary members of `public_key`; an error names the member that is missing or
/// not base64url (the options are the server's: nothing here may panic on them).
pub(crate) fn binary_members(public_key: &JsonValue, ceremony: WebAuthnCeremony) -> Result<BinaryMembers, AuthError> {
    let bad = |member: &str| {
        AuthError::unknown(crate::text::concat(&["The server's WebAuthn options have no usable ", member]))
    };
    let decode = |value: Option<&JsonValue>, member: &str| {
        value.and_then(JsonValue::as_str).and_then(crate::jwt::base64url_decode).ok_or_else(|| bad(member))
    };
    if public_key.as_object().is_none() {
        return Err(bad("publicKey"));
    }
    let challenge = decode(public_key.get("challenge"), "challenge")?;
    let user_id = match ceremony {
        WebAuthnCeremony::Create => Some(decode(public_key.get("user").and_then(|user| user.get("id")), "user.id")?),
        WebAuthnCeremony::Request => None,
    };
    let list = credential_list_key(ceremony);
    let credential_ids = match public_key.get(list) {
        None | Some(JsonValue::Null) => Vec::new(),
        Some(JsonValue::Array(entries)) => {
            entries.iter().map(|entry| decode(entry.get("id"), list)).collect::<Result<Vec<_>, _>>()?
        }
        Some(_) => return Err(bad(list)),
    };
    Ok(BinaryMembers { challenge, user_id, credential_ids })
}

/// A credential as the server reads it, built member by member (for browsers whose
/// `PublicKeyCredential` has no `toJSON()`): `rawId` is the id, buffers are base64url.
pub(crate) fn credential_json(
    id: &str,
    response: &[(&str, Vec<u8>)],
    client_extension_results: JsonValue,
    authenticator_attachment: Option<String>,
) -> JsonValue {
    let mut members = JsonObject::new();
    for (key, bytes) in response {
        members.insert((*key).to_string(), JsonValue::String(crate::jwt::base64url_encode(bytes)));
    }
    let mut credential = JsonObject::new();
    credential.insert("id".into(), id.into());
    credential.insert("rawId".into(), id.into());
    credential.insert("response".into(), JsonValue::Object(members));
    credential.insert("type".into(), "public-key".into());
    credential.insert("clientExtensionResults".into(), client_extension_results);
    if let Some(attachment) = authenticator_attachment {
        credential.insert("authenticatorAttachment".into(), attachment.into());
    }
    JsonValue::Object(credential)
}

/// What the page knew when the browser refused a ceremony.
pub(crate) struct Refusal<'a> {
    /// The ceremony refused.
    pub ceremony: WebAuthnCeremony,
    /// The `DOMException`'s `name` (`NotAllowedError`, `AbortError`, …).
    pub name: &'a str,
    /// Its `message`.
    pub message: &'a str,
    /// The `publicKey` options given to the browser (JSON form).
    pub options: &'a JsonValue,
    /// The page's host name.
    pub hostname: &'a str,
    /// Whether the ceremony was conditional mediation (passkey autofill).
    pub conditional: bool,
}

/// auth-js's reading of a refused ceremony (its `identifyRegistrationError` /
/// `identifyAuthenticationError`): an error of kind `Unknown` whose code is auth-js's
/// `WebAuthnError` code (`ERROR_CEREMONY_ABORTED`, `ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED`,
/// …) and whose message is auth-js's. (No error kind of its own: the kinds are auth-js's
/// `AuthError` classes, and a new one would grow the npm package's wasm for nothing.)
pub(crate) fn refused(refusal: &Refusal<'_>) -> AuthError {
    let options = refusal.options;
    let selection = |key: &str| options.get("authenticatorSelection").and_then(|s| s.get(key)).cloned();
    let uv_required = selection("userVerification").as_ref().and_then(JsonValue::as_str) == Some("required");
    let create = refusal.ceremony == WebAuthnCeremony::Create;
    let error = |code: &str, message: String| AuthError::new(AuthErrorKind::Unknown, message).with_code(code);
    let word = if create { "Registration" } else { "Authentication" };
    match refusal.name {
        "AbortError" => error("ERROR_CEREMONY_ABORTED", crate::text::concat(&[word, " ceremony was sent an abort signal"])),
        "NotAllowedError" => error("ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", refusal.message.to_string()),
        "InvalidStateError" if create => {
            error("ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED", "The authenticator was previously registered".into())
        }
        "ConstraintError" if create && selection("requireResidentKey") == Some(JsonValue::Bool(true)) => error(
            "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT",
            "Discoverable credentials were required but no available authenticator supported it".into(),
        ),
        "ConstraintError" if create && refusal.conditional && uv_required => error(
            "ERROR_AUTO_REGISTER_USER_VERIFICATION_FAILURE",
            "User verification was required during automatic registration but it could not be performed".into(),
        ),
        "ConstraintError" if create && uv_required => error(
            "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT",
            "User verification was required but no available authenticator supported it".into(),
        ),
        "NotSupportedError" if create => {
            let public_key = |param: &JsonValue| param.get("type").and_then(JsonValue::as_str) == Some("public-key");
            let any = options.get("pubKeyCredParams").and_then(JsonValue::as_array).is_some_and(|p| p.iter().any(public_key));
            if any {
                error(
                    "ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG",
                    "No available authenticator supported any of the specified pubKeyCredParams algorithms".into(),
                )
            } else {
                error("ERROR_MALFORMED_PUBKEYCREDPARAMS", "No entry in pubKeyCredParams was of type \"public-key\"".into())
            }
        }
        "SecurityError" if !valid_domain(refusal.hostname) => {
            error("ERROR_INVALID_DOMAIN", crate::text::concat(&[refusal.hostname, " is an invalid domain"]))
        }
        "SecurityError" => {
            let rp_id = if create { options.get("rp").and_then(|rp| rp.get("id")) } else { options.get("rpId") };
            let rp_id = rp_id.and_then(JsonValue::as_str).unwrap_or_default();
            error("ERROR_INVALID_RP_ID", crate::text::concat(&["The RP ID \"", rp_id, "\" is invalid for this domain"]))
        }
        "UnknownError" => error(
            "ERROR_AUTHENTICATOR_GENERAL_ERROR",
            if create {
                "The authenticator was unable to process the specified options, or could not create a new credential"
            } else {
                "The authenticator was unable to process the specified options, or could not create a new assertion signature"
            }
            .into(),
        ),
        _ => error("ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", "a Non-Webauthn related error has occurred".into()),
    }
}

/// auth-js's test of a host name a relying party can be: `localhost`, or dot-separated labels
/// of letters, digits and inner hyphens ending in a label of two or more letters.
fn valid_domain(hostname: &str) -> bool {
    if hostname == "localhost" {
        return true;
    }
    let labels: Vec<&str> = hostname.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && !label.contains("--")
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    match labels.split_last() {
        Some((top, rest)) if !rest.is_empty() => {
            top.len() >= 2 && top.bytes().all(|b| b.is_ascii_alphabetic()) && rest.iter().all(label_ok)
        }
        _ => false,
    }
}
