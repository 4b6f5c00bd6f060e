//! A software WebAuthn authenticator for native tests: it makes the JSON a browser (through
//! auth-js's serializers) sends for `navigator.credentials.create()` and `.get()`, with real keys
//! (ES256 by default, EdDSA and RS256 on request), `none` attestation and a counter that rises
//! with each assertion. The browser tests use Chromium's virtual authenticator instead.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

enum Key {
    Es256(p256::ecdsa::SigningKey),
    EdDsa(ed25519_dalek::SigningKey),
    Rs256(Box<rsa::RsaPrivateKey>),
}

pub struct SoftAuthenticator {
    key: Key,
    credential_id: Vec<u8>,
    sign_count: u32,
    user_handle: Option<Vec<u8>>,
    /// Zero, as Chromium's virtual authenticator reports.
    pub aaguid: [u8; 16],
}

impl Default for SoftAuthenticator {
    fn default() -> Self {
        Self::new()
    }
}

/// Minimal CBOR writer: unsigned/negative ints, byte and text strings, maps.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        _ => {
            out.push(m | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }
}

fn int(out: &mut Vec<u8>, v: i64) {
    if v >= 0 {
        head(out, 0, v as u64)
    } else {
        head(out, 1, (-1 - v) as u64)
    }
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    head(out, 2, b.len() as u64);
    out.extend_from_slice(b);
}

fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

impl SoftAuthenticator {
    pub fn new() -> Self {
        Self::with_alg(-7)
    }

    /// A new credential with a key for COSE algorithm `alg` (-7 ES256, -8 EdDSA, -257 RS256).
    pub fn with_alg(alg: i64) -> Self {
        let key = match alg {
            -8 => {
                let mut seed = [0u8; 32];
                OsRng.fill_bytes(&mut seed);
                Key::EdDsa(ed25519_dalek::SigningKey::from_bytes(&seed))
            }
            -257 => Key::Rs256(Box::new(rsa::RsaPrivateKey::new(&mut OsRng, 2048).expect("RSA key"))),
            _ => Key::Es256(p256::ecdsa::SigningKey::random(&mut OsRng)),
        };
        let mut credential_id = vec![0u8; 16];
        OsRng.fill_bytes(&mut credential_id);
        SoftAuthenticator { key, credential_id, sign_count: 0, user_handle: None, aaguid: [0; 16] }
    }

    pub fn credential_id(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.credential_id)
    }

    fn cose_key(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match &self.key {
            Key::Es256(k) => {
                let point = k.verifying_key().to_encoded_point(false);
                head(&mut out, 5, 5);
                int(&mut out, 1);
                int(&mut out, 2);
                int(&mut out, 3);
                int(&mut out, -7);
                int(&mut out, -1);
                int(&mut out, 1);
                int(&mut out, -2);
                bytes(&mut out, point.x().map(|x| x.as_slice()).unwrap_or_default());
                int(&mut out, -3);
                bytes(&mut out, point.y().map(|y| y.as_slice()).unwrap_or_default());
            }
            Key::EdDsa(k) => {
                head(&mut out, 5, 4);
                int(&mut out, 1);
                int(&mut out, 1);
                int(&mut out, 3);
                int(&mut out, -8);
                int(&mut out, -1);
                int(&mut out, 6);
                int(&mut out, -2);
                bytes(&mut out, k.verifying_key().as_bytes());
            }
            Key::Rs256(k) => {
                use rsa::traits::PublicKeyParts;
                head(&mut out, 5, 4);
                int(&mut out, 1);
                int(&mut out, 3);
                int(&mut out, 3);
                int(&mut out, -257);
                int(&mut out, -1);
                bytes(&mut out, &k.n().to_bytes_be());
                int(&mut out, -2);
                bytes(&mut out, &k.e().to_bytes_be());
            }
        }
        out
    }

    fn auth_data(&self, rp_id: &str, attested: bool) -> Vec<u8> {
        let mut out = Sha256::digest(rp_id.as_bytes()).to_vec();
        // User present and verified; the AT flag when a credential is attached.
        out.push(0x05 | if attested { 0x40 } else { 0 });
        out.extend_from_slice(&self.sign_count.to_be_bytes());
        if attested {
            out.extend_from_slice(&self.aaguid);
            out.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
            out.extend_from_slice(&self.credential_id);
            out.extend_from_slice(&self.cose_key());
        }
        out
    }

    fn client_data(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({ "type": kind, "challenge": challenge, "origin": origin, "crossOrigin": false }))
            .unwrap_or_default()
    }

    /// The answer to a creation ceremony; `user_handle` is remembered for discoverable sign-ins.
    pub fn create(&mut self, challenge: &str, rp_id: &str, origin: &str, user_handle: Option<Vec<u8>>) -> Value {
        self.user_handle = user_handle;
        let mut att = Vec::new();
        head(&mut att, 5, 3);
        text(&mut att, "fmt");
        text(&mut att, "none");
        text(&mut att, "attStmt");
        head(&mut att, 5, 0);
        text(&mut att, "authData");
        bytes(&mut att, &self.auth_data(rp_id, true));
        let id = self.credential_id();
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(Self::client_data("webauthn.create", challenge, origin)),
                "attestationObject": URL_SAFE_NO_PAD.encode(att),
                "transports": ["internal"],
            },
        })
    }

    /// The answer to an assertion ceremony, signed with the credential's key.
    pub fn get(&mut self, challenge: &str, rp_id: &str, origin: &str) -> Value {
        self.sign_count += 1;
        let data = self.auth_data(rp_id, false);
        let client = Self::client_data("webauthn.get", challenge, origin);
        let mut message = data.clone();
        message.extend_from_slice(&Sha256::digest(&client));
        let signature = match &self.key {
            Key::Es256(k) => {
                use p256::ecdsa::signature::Signer;
                let s: p256::ecdsa::Signature = k.sign(&message);
                s.to_der().as_bytes().to_vec()
            }
            Key::EdDsa(k) => {
                use ed25519_dalek::Signer;
                k.sign(&message).to_bytes().to_vec()
            }
            Key::Rs256(k) => k.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(&message)).unwrap_or_default(),
        };
        let id = self.credential_id();
        let mut response = json!({
            "clientDataJSON": URL_SAFE_NO_PAD.encode(client),
            "authenticatorData": URL_SAFE_NO_PAD.encode(data),
            "signature": URL_SAFE_NO_PAD.encode(signature),
        });
        if let Some(h) = &self.user_handle {
            response["userHandle"] = json!(URL_SAFE_NO_PAD.encode(h));
        }
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": response,
        })
    }
}
