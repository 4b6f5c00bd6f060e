//! WebAuthn ceremonies checked for real (W3C WebAuthn Level 2 §7.1 and §7.2), shared by the MFA
//! WebAuthn factors and the passkeys: the client data (type, challenge, origin), the authenticator
//! data (RP id hash, user-presence flag, attested credential), the credential public key (COSE:
//! ES256, EdDSA, RS256) and the assertion signature over `authenticatorData ‖ SHA-256(clientDataJSON)`.
//!
//! Only attestation format `none` is accepted: every ceremony asks for `attestation: "none"`, so
//! browsers strip the statement. A minimal CBOR reader lives here too; `soft_authenticator.rs`
//! has the matching writer for the tests.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// COSE algorithm identifiers of the keys this server verifies, in order of preference.
pub const SUPPORTED_ALGS: [i64; 3] = [-7, -8, -257];

/// Flag bits of the authenticator data.
const FLAG_USER_PRESENT: u8 = 0x01;
const FLAG_USER_VERIFIED: u8 = 0x04;
const FLAG_BACKUP_ELIGIBLE: u8 = 0x08;
const FLAG_BACKUP_STATE: u8 = 0x10;
const FLAG_ATTESTED: u8 = 0x40;

/// A decoded CBOR item (RFC 8949), as far as WebAuthn uses them.
#[derive(Clone, Debug, PartialEq)]
pub enum Cbor {
    Int(i128),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Bool(bool),
    Null,
    /// Floats and other simple values: read past, never used.
    Other,
}

impl Cbor {
    pub fn get(&self, key: &Cbor) -> Option<&Cbor> {
        match self {
            Cbor::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn text_key(&self, key: &str) -> Option<&Cbor> {
        self.get(&Cbor::Text(key.into()))
    }
    pub fn int_key(&self, key: i128) -> Option<&Cbor> {
        self.get(&Cbor::Int(key))
    }
    fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Cbor::Bytes(b) => Some(b),
            _ => None,
        }
    }
    fn as_int(&self) -> Option<i128> {
        match self {
            Cbor::Int(i) => Some(*i),
            _ => None,
        }
    }
}

/// Decodes one CBOR item from the front of `input`; returns it and the bytes it took.
pub fn cbor_decode(input: &[u8]) -> Result<(Cbor, usize), String> {
    let mut pos = 0;
    let item = decode_item(input, &mut pos, 0)?;
    Ok((item, pos))
}

fn take<'a>(input: &'a [u8], pos: &mut usize, n: usize) -> Result<&'a [u8], String> {
    let end = pos.checked_add(n).filter(|e| *e <= input.len()).ok_or("CBOR item runs past the end")?;
    let out = &input[*pos..end];
    *pos = end;
    Ok(out)
}

fn decode_item(input: &[u8], pos: &mut usize, depth: usize) -> Result<Cbor, String> {
    if depth > 16 {
        return Err("CBOR nested too deeply".into());
    }
    let head = take(input, pos, 1)?[0];
    let major = head >> 5;
    let info = head & 0x1f;
    let arg: u64 = match info {
        0..=23 => u64::from(info),
        24 => u64::from(take(input, pos, 1)?[0]),
        25 => {
            let b = take(input, pos, 2)?;
            u64::from(u16::from_be_bytes([b[0], b[1]]))
        }
        26 => {
            let b = take(input, pos, 4)?;
            u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        }
        27 => {
            let b = take(input, pos, 8)?;
            u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        }
        _ => return Err("indefinite-length CBOR is not used by WebAuthn".into()),
    };
    let len = |arg: u64| usize::try_from(arg).map_err(|_| "CBOR length too large".to_string());
    Ok(match major {
        0 => Cbor::Int(i128::from(arg)),
        1 => Cbor::Int(-1 - i128::from(arg)),
        2 => Cbor::Bytes(take(input, pos, len(arg)?)?.to_vec()),
        3 => {
            Cbor::Text(String::from_utf8(take(input, pos, len(arg)?)?.to_vec()).map_err(|_| "CBOR text is not UTF-8")?)
        }
        4 => {
            let n = len(arg)?;
            if n > input.len() {
                return Err("CBOR array longer than its input".into());
            }
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(decode_item(input, pos, depth + 1)?);
            }
            Cbor::Array(items)
        }
        5 => {
            let n = len(arg)?;
            if n > input.len() {
                return Err("CBOR map longer than its input".into());
            }
            let mut entries = Vec::with_capacity(n);
            for _ in 0..n {
                let k = decode_item(input, pos, depth + 1)?;
                let v = decode_item(input, pos, depth + 1)?;
                entries.push((k, v));
            }
            Cbor::Map(entries)
        }
        6 => decode_item(input, pos, depth + 1)?,
        _ => match info {
            20 => Cbor::Bool(false),
            21 => Cbor::Bool(true),
            22 | 23 => Cbor::Null,
            _ => Cbor::Other,
        },
    })
}

/// A credential public key, parsed from its COSE form.
#[derive(Clone, Debug)]
pub enum PublicKey {
    Es256(p256::ecdsa::VerifyingKey),
    EdDsa(ed25519_dalek::VerifyingKey),
    Rs256(rsa::RsaPublicKey),
}

impl PublicKey {
    /// COSE_Key (RFC 9053): kty 2 (EC2, P-256), 1 (OKP, Ed25519) or 3 (RSA).
    pub fn from_cose(key: &Cbor) -> Result<PublicKey, String> {
        let kty = key.int_key(1).and_then(Cbor::as_int).ok_or("COSE key without kty")?;
        let alg = key.int_key(3).and_then(Cbor::as_int).ok_or("COSE key without alg")?;
        let param = |label: i128| key.int_key(label).and_then(Cbor::as_bytes).ok_or(format!("COSE key misses {label}"));
        match (kty, alg) {
            (2, -7) => {
                if key.int_key(-1).and_then(Cbor::as_int) != Some(1) {
                    return Err("ES256 key is not on P-256".into());
                }
                let (x, y) = (param(-2)?, param(-3)?);
                if x.len() != 32 || y.len() != 32 {
                    return Err("P-256 coordinates must be 32 bytes".into());
                }
                let mut sec1 = vec![4u8];
                sec1.extend_from_slice(x);
                sec1.extend_from_slice(y);
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                    .map(PublicKey::Es256)
                    .map_err(|_| "P-256 point is not on the curve".into())
            }
            (1, -8) => {
                if key.int_key(-1).and_then(Cbor::as_int) != Some(6) {
                    return Err("EdDSA key is not Ed25519".into());
                }
                let x: [u8; 32] = param(-2)?.try_into().map_err(|_| "Ed25519 key must be 32 bytes")?;
                ed25519_dalek::VerifyingKey::from_bytes(&x)
                    .map(PublicKey::EdDsa)
                    .map_err(|_| "invalid Ed25519 key".into())
            }
            (3, -257) => {
                let n = rsa::BigUint::from_bytes_be(param(-1)?);
                let e = rsa::BigUint::from_bytes_be(param(-2)?);
                rsa::RsaPublicKey::new(n, e).map(PublicKey::Rs256).map_err(|e| format!("invalid RSA key: {e}"))
            }
            _ => Err(format!("unsupported COSE key type {kty} / algorithm {alg}")),
        }
    }

    pub fn alg(&self) -> i64 {
        match self {
            PublicKey::Es256(_) => -7,
            PublicKey::EdDsa(_) => -8,
            PublicKey::Rs256(_) => -257,
        }
    }

    /// Checks `signature` over `message` (ES256 signatures are DER, as WebAuthn sends them).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Es256(k) => {
                use p256::ecdsa::signature::Verifier;
                p256::ecdsa::Signature::from_der(signature).is_ok_and(|s| k.verify(message, &s).is_ok())
            }
            PublicKey::EdDsa(k) => <[u8; 64]>::try_from(signature)
                .is_ok_and(|s| k.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&s)).is_ok()),
            PublicKey::Rs256(k) => {
                k.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message), signature).is_ok()
            }
        }
    }
}

/// What the server handed out and expects back.
#[derive(Clone, Debug)]
pub struct Expected<'a> {
    /// `webauthn.create` or `webauthn.get`.
    pub client_data_type: &'a str,
    /// base64url without padding.
    pub challenge: &'a str,
    pub rp_id: &'a str,
}

/// A verified registration.
#[derive(Clone, Debug)]
pub struct Registration {
    /// base64url without padding.
    pub credential_id: String,
    pub public_key: PublicKey,
    pub sign_count: u32,
    pub aaguid: [u8; 16],
    pub user_verified: bool,
    pub backup_eligible: bool,
    pub backup_state: bool,
}

/// A verified assertion.
#[derive(Clone, Debug)]
pub struct Assertion {
    pub credential_id: String,
    pub sign_count: u32,
    /// The user handle the authenticator returned (discoverable credentials), if any.
    pub user_handle: Option<Vec<u8>>,
}

/// Decodes base64url (padding and the standard alphabet tolerated, as browsers differ).
pub fn b64(s: &str) -> Option<Vec<u8>> {
    let trimmed = s.trim_end_matches('=');
    URL_SAFE_NO_PAD.decode(trimmed).ok().or_else(|| STANDARD.decode(s).ok())
}

fn field<'a>(v: &'a Value, k: &str) -> Result<&'a str, String> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).ok_or(format!("missing {k}"))
}

/// The credential id (checked against `rawId`) and the `response` member.
fn envelope(cred: &Value) -> Result<(String, &Value), String> {
    if cred.get("type").and_then(Value::as_str) != Some("public-key") {
        return Err("credential type must be public-key".into());
    }
    let id = field(cred, "id")?;
    let raw = b64(id).ok_or("credential id is not base64url")?;
    if let Some(raw_id) = cred.get("rawId").and_then(Value::as_str) {
        if b64(raw_id).as_deref() != Some(&raw[..]) {
            return Err("rawId does not match id".into());
        }
    }
    let response = cred.get("response").filter(|r| r.is_object()).ok_or("missing response")?;
    Ok((URL_SAFE_NO_PAD.encode(&raw), response))
}

/// Checks clientDataJSON and returns its raw bytes (the assertion signs their hash).
fn client_data(response: &Value, expected: &Expected) -> Result<Vec<u8>, String> {
    let raw = b64(field(response, "clientDataJSON")?).ok_or("clientDataJSON is not base64url")?;
    let data: Value = serde_json::from_slice(&raw).map_err(|_| "clientDataJSON is not JSON")?;
    if data.get("type").and_then(Value::as_str) != Some(expected.client_data_type) {
        return Err(format!("clientDataJSON.type must be {}", expected.client_data_type));
    }
    let challenge = data.get("challenge").and_then(Value::as_str).unwrap_or("").trim_end_matches('=');
    if challenge != expected.challenge {
        return Err("clientDataJSON.challenge does not match".into());
    }
    let origin = data.get("origin").and_then(Value::as_str).unwrap_or("");
    let host = crate::routes::mfa::url_host(origin).1;
    let rp = expected.rp_id;
    if !(origin.contains("://") && (host == rp || host.ends_with(&format!(".{rp}")))) {
        return Err(format!("clientDataJSON.origin {origin:?} is not on {rp}"));
    }
    Ok(raw)
}

struct AuthData<'a> {
    flags: u8,
    sign_count: u32,
    /// AAGUID, credential id and COSE key when the AT flag is set.
    attested: Option<([u8; 16], &'a [u8], Cbor)>,
}

fn auth_data<'a>(raw: &'a [u8], rp_id: &str) -> Result<AuthData<'a>, String> {
    if raw.len() < 37 {
        return Err("authenticator data too short".into());
    }
    if raw[..32] != Sha256::digest(rp_id.as_bytes())[..] {
        return Err("authenticator data is for another RP id".into());
    }
    let flags = raw[32];
    if flags & FLAG_USER_PRESENT == 0 {
        return Err("user presence flag not set".into());
    }
    let sign_count = u32::from_be_bytes([raw[33], raw[34], raw[35], raw[36]]);
    let attested = if flags & FLAG_ATTESTED != 0 {
        let rest = &raw[37..];
        if rest.len() < 18 {
            return Err("attested credential data too short".into());
        }
        let mut aaguid = [0u8; 16];
        aaguid.copy_from_slice(&rest[..16]);
        let id_len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
        let id = rest.get(18..18 + id_len).ok_or("credential id runs past the authenticator data")?;
        let (key, _) = cbor_decode(&rest[18 + id_len..])?;
        Some((aaguid, id, key))
    } else {
        None
    };
    Ok(AuthData { flags, sign_count, attested })
}

/// §7.1: a `navigator.credentials.create()` result, as auth-js serializes it.
pub fn verify_registration(cred: &Value, expected: &Expected) -> Result<Registration, String> {
    let (credential_id, response) = envelope(cred)?;
    client_data(response, expected)?;
    let att = b64(field(response, "attestationObject")?).ok_or("attestationObject is not base64url")?;
    let (att, _) = cbor_decode(&att)?;
    match att.text_key("fmt") {
        Some(Cbor::Text(f)) if f == "none" => {}
        Some(Cbor::Text(f)) => return Err(format!("attestation format {f} is not accepted (none was requested)")),
        _ => return Err("attestationObject has no fmt".into()),
    }
    let raw = att.text_key("authData").and_then(Cbor::as_bytes).ok_or("attestationObject has no authData")?;
    let data = auth_data(raw, expected.rp_id)?;
    let (aaguid, id, key) = data.attested.ok_or("no attested credential data")?;
    if URL_SAFE_NO_PAD.encode(id) != credential_id {
        return Err("credential id differs from the attested one".into());
    }
    let public_key = PublicKey::from_cose(&key)?;
    Ok(Registration {
        credential_id,
        public_key,
        sign_count: data.sign_count,
        aaguid,
        user_verified: data.flags & FLAG_USER_VERIFIED != 0,
        backup_eligible: data.flags & FLAG_BACKUP_ELIGIBLE != 0,
        backup_state: data.flags & FLAG_BACKUP_STATE != 0,
    })
}

/// The credential id an assertion claims, before its key is looked up.
pub fn assertion_credential_id(cred: &Value) -> Result<String, String> {
    envelope(cred).map(|(id, _)| id)
}

/// §7.2: a `navigator.credentials.get()` result, checked against the stored key.
pub fn verify_assertion(cred: &Value, expected: &Expected, key: &PublicKey) -> Result<Assertion, String> {
    let (credential_id, response) = envelope(cred)?;
    let client = client_data(response, expected)?;
    let raw = b64(field(response, "authenticatorData")?).ok_or("authenticatorData is not base64url")?;
    let data = auth_data(&raw, expected.rp_id)?;
    let signature = b64(field(response, "signature")?).ok_or("signature is not base64url")?;
    let mut message = raw.clone();
    message.extend_from_slice(&Sha256::digest(&client));
    if !key.verify(&message, &signature) {
        return Err("signature does not verify".into());
    }
    let user_handle = match response.get("userHandle").and_then(Value::as_str) {
        Some(h) if !h.is_empty() => Some(b64(h).ok_or("userHandle is not base64url")?),
        _ => None,
    };
    Ok(Assertion { credential_id, sign_count: data.sign_count, user_handle })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soft_authenticator::SoftAuthenticator;
    use serde_json::json;

    const RP: &str = "localhost";
    const ORIGIN: &str = "http://localhost:3000";

    fn create_expected(challenge: &str) -> Expected<'_> {
        Expected { client_data_type: "webauthn.create", challenge, rp_id: RP }
    }

    #[test]
    fn registers_and_asserts_with_every_key_type() {
        for alg in SUPPORTED_ALGS {
            let mut a = SoftAuthenticator::with_alg(alg);
            let cred = a.create("Y2hhbGxlbmdl", RP, ORIGIN, None);
            let reg = verify_registration(&cred, &create_expected("Y2hhbGxlbmdl")).unwrap();
            assert_eq!(reg.public_key.alg(), alg);
            assert_eq!(reg.credential_id, a.credential_id());
            let get = a.get("b3RoZXI", RP, ORIGIN);
            let exp = Expected { client_data_type: "webauthn.get", challenge: "b3RoZXI", rp_id: RP };
            let out = verify_assertion(&get, &exp, &reg.public_key).unwrap();
            assert!(out.sign_count > reg.sign_count);
            // Any changed byte of the signed data breaks the signature.
            let mut forged = get.clone();
            let data = b64(forged["response"]["authenticatorData"].as_str().unwrap()).unwrap();
            let mut data2 = data.clone();
            data2[36] ^= 1;
            forged["response"]["authenticatorData"] = json!(URL_SAFE_NO_PAD.encode(data2));
            assert_eq!(verify_assertion(&forged, &exp, &reg.public_key).unwrap_err(), "signature does not verify");
        }
    }

    #[test]
    fn rejects_wrong_challenge_origin_rp_and_format() {
        let mut a = SoftAuthenticator::new();
        let cred = a.create("abc", RP, ORIGIN, None);
        assert!(verify_registration(&cred, &create_expected("abd")).unwrap_err().contains("challenge"));
        let cred = a.create("abc", RP, "https://evil.example", None);
        assert!(verify_registration(&cred, &create_expected("abc")).unwrap_err().contains("origin"));
        let cred = a.create("abc", "example.com", ORIGIN, None);
        assert!(verify_registration(&cred, &create_expected("abc")).unwrap_err().contains("RP id"));
        let mut cred = a.create("abc", RP, ORIGIN, None);
        cred["type"] = json!("password");
        assert!(verify_registration(&cred, &create_expected("abc")).is_err());
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [&[][..], &[0xff], &[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], &[0x5a, 0, 0, 0, 9]] {
            assert!(cbor_decode(bytes).is_err());
        }
        let mut deep = vec![0x81u8; 64];
        deep.push(0);
        assert!(cbor_decode(&deep).is_err());
        let cred = json!({ "id": "AA", "type": "public-key", "response": { "clientDataJSON": "e30", "attestationObject": "oA" } });
        assert!(verify_registration(&cred, &create_expected("x")).is_err());
    }
}
