//! Asymmetric signing keys (contract §8): the access-token keys chosen by `--jwt-alg`, published
//! at `/.well-known/jwks.json`, and the key of the built-in test OpenID issuer (`/__test/oidc`).
//!
//! HS256 stays the default; with ES256 or RS256 the server generates a key pair at startup, signs
//! new access tokens with it (header `alg`, `kid`, `typ`) and still accepts HS256 tokens signed
//! with the secret, as GoTrue does when an HS256 key is kept for verification only.

use crate::jwt;
use crate::state::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::{Signer, Verifier};
use rand::rngs::OsRng;
use rsa::traits::PublicKeyParts;
use rsa::Pkcs1v15Sign;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::sync::{Arc, RwLock};

/// Bits of the generated RSA keys.
pub const RSA_BITS: usize = 2048;

/// The test OpenID issuer's key id.
pub const OIDC_KID: &str = "test-oidc-es256-1";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    Hs256,
    Es256,
    Rs256,
}

impl Alg {
    pub fn parse(s: &str) -> Option<Alg> {
        match s.to_ascii_uppercase().as_str() {
            "HS256" => Some(Alg::Hs256),
            "ES256" => Some(Alg::Es256),
            "RS256" => Some(Alg::Rs256),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Alg::Hs256 => "HS256",
            Alg::Es256 => "ES256",
            Alg::Rs256 => "RS256",
        }
    }
}

enum KeyPair {
    Es256(p256::ecdsa::SigningKey),
    Rs256(Box<rsa::RsaPrivateKey>),
}

/// One asymmetric key pair with its `kid`.
pub struct AsymKey {
    kid: String,
    pair: KeyPair,
}

impl AsymKey {
    /// A fresh key pair; `None` for HS256, which has no key pair.
    pub fn generate(alg: Alg, kid: impl Into<String>) -> Option<AsymKey> {
        let pair = match alg {
            Alg::Hs256 => return None,
            Alg::Es256 => KeyPair::Es256(p256::ecdsa::SigningKey::random(&mut OsRng)),
            Alg::Rs256 => {
                // Generation only fails for nonsensical sizes; fall back to ES256 rather than
                // take the server down.
                match rsa::RsaPrivateKey::new(&mut OsRng, RSA_BITS) {
                    Ok(k) => KeyPair::Rs256(Box::new(k)),
                    Err(_) => KeyPair::Es256(p256::ecdsa::SigningKey::random(&mut OsRng)),
                }
            }
        };
        Some(AsymKey { kid: kid.into(), pair })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn alg(&self) -> Alg {
        match self.pair {
            KeyPair::Es256(_) => Alg::Es256,
            KeyPair::Rs256(_) => Alg::Rs256,
        }
    }

    fn sign_bytes(&self, input: &[u8]) -> Vec<u8> {
        match &self.pair {
            KeyPair::Es256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(input);
                sig.to_bytes().to_vec()
            }
            KeyPair::Rs256(k) => k.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input)).unwrap_or_default(),
        }
    }

    fn verify_bytes(&self, input: &[u8], sig: &[u8]) -> bool {
        match &self.pair {
            KeyPair::Es256(k) => {
                p256::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verifying_key().verify(input, &s).is_ok())
            }
            KeyPair::Rs256(k) => {
                k.to_public_key().verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input), sig).is_ok()
            }
        }
    }

    /// A compact JWS with header `{"alg", "kid", "typ": "JWT"}`.
    pub fn sign_jwt(&self, claims: &Value) -> String {
        let header = json!({ "alg": self.alg().name(), "kid": self.kid, "typ": "JWT" });
        let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap_or_default());
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let input = format!("{header}.{payload}");
        let sig = URL_SAFE_NO_PAD.encode(self.sign_bytes(input.as_bytes()));
        format!("{input}.{sig}")
    }

    /// The public half as a JWK.
    pub fn public_jwk(&self) -> Value {
        let b64 = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
        let mut jwk = match &self.pair {
            KeyPair::Es256(k) => {
                let point = k.verifying_key().to_encoded_point(false);
                json!({
                    "kty": "EC",
                    "crv": "P-256",
                    "x": b64(point.x().map(|x| x.as_slice()).unwrap_or_default()),
                    "y": b64(point.y().map(|y| y.as_slice()).unwrap_or_default()),
                })
            }
            KeyPair::Rs256(k) => json!({
                "kty": "RSA",
                "n": b64(&k.n().to_bytes_be()),
                "e": b64(&k.e().to_bytes_be()),
            }),
        };
        jwk["kid"] = json!(self.kid);
        jwk["alg"] = json!(self.alg().name());
        jwk["use"] = json!("sig");
        jwk["key_ops"] = json!(["verify"]);
        jwk
    }
}

/// A decoded, not yet verified JWS.
pub struct Parsed {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
}

impl Parsed {
    pub fn alg(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or("")
    }

    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// Checks the signature with `key` (whose algorithm must be the header's) and then `exp`.
    pub fn verify(self, key: &AsymKey, now_secs: i64) -> Result<Map<String, Value>, String> {
        if self.alg() != key.alg().name() {
            return Err(format!("token is unverifiable: signing method {} is invalid", self.alg()));
        }
        if !key.verify_bytes(self.signing_input.as_bytes(), &self.signature) {
            return Err("token signature is invalid: signature is invalid".into());
        }
        check_exp(&self.claims, now_secs)?;
        Ok(self.claims)
    }
}

/// golang-jwt's wording for the errors, as `jwt::verify` uses it.
pub fn parse(token: &str) -> Result<Parsed, String> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err("token is malformed: token contains an invalid number of segments".into());
    }
    let decode_obj = |s: &str| -> Option<Map<String, Value>> {
        let bytes = URL_SAFE_NO_PAD.decode(s).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    let header = decode_obj(parts[0]).ok_or("token is malformed: could not JSON decode header")?;
    let claims = decode_obj(parts[1]).ok_or("token is malformed: could not JSON decode claim")?;
    let signature =
        URL_SAFE_NO_PAD.decode(parts[2]).map_err(|_| "token is malformed: could not base64 decode signature")?;
    Ok(Parsed { header, claims, signing_input: format!("{}.{}", parts[0], parts[1]), signature })
}

pub fn check_exp(claims: &Map<String, Value>, now_secs: i64) -> Result<(), String> {
    if let Some(exp) = claims.get("exp") {
        let exp = exp.as_f64().ok_or("token has invalid claims: token is malformed")?;
        if (now_secs as f64) >= exp {
            return Err("token has invalid claims: token is expired".into());
        }
    }
    Ok(())
}

/// The access-token keys: the current signing key plus every key it replaced (all stay valid and
/// published). Empty in HS256 mode.
pub struct SigningKeys {
    alg: Alg,
    keys: RwLock<Vec<Arc<AsymKey>>>,
}

impl SigningKeys {
    pub fn new(alg: Alg) -> SigningKeys {
        let keys = AsymKey::generate(alg, kid_for(alg, 1)).map(Arc::new).into_iter().collect();
        SigningKeys { alg, keys: RwLock::new(keys) }
    }

    pub fn alg(&self) -> Alg {
        self.alg
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Arc<AsymKey>>> {
        self.keys.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The key new tokens are signed with; `None` in HS256 mode.
    pub fn current(&self) -> Option<Arc<AsymKey>> {
        self.read().last().cloned()
    }

    pub fn find(&self, kid: &str) -> Option<Arc<AsymKey>> {
        self.read().iter().find(|k| k.kid() == kid).cloned()
    }

    /// Switches to a new key pair with the next `kid`; the old keys stay. `None` in HS256 mode.
    /// The key is generated before the lock is taken (RSA generation takes a while).
    pub fn rotate(&self) -> Option<Arc<AsymKey>> {
        let mut key = AsymKey::generate(self.alg, String::new())?;
        let mut keys = self.keys.write().unwrap_or_else(|e| e.into_inner());
        key.kid = kid_for(self.alg, keys.len() + 1);
        let key = Arc::new(key);
        keys.push(key.clone());
        Some(key)
    }

    /// `{"keys": [...]}`, oldest first.
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self.read().iter().map(|k| k.public_jwk()).collect();
        json!({ "keys": keys })
    }
}

/// `test-es256-1`, `test-rs256-2`, …
pub fn kid_for(alg: Alg, n: usize) -> String {
    format!("test-{}-{n}", alg.name().to_ascii_lowercase())
}

/// Every key the server holds.
pub struct Keys {
    pub signing: SigningKeys,
    /// The test OpenID issuer's key (ES256, kid `OIDC_KID`).
    pub oidc: AsymKey,
}

impl Keys {
    pub fn new(alg: Alg) -> Keys {
        Keys {
            signing: SigningKeys::new(alg),
            oidc: AsymKey::generate(Alg::Es256, OIDC_KID).expect("ES256 always has a key pair"),
        }
    }
}

/// Signs access-token claims with the current asymmetric key, or HS256 with the secret.
pub fn sign_access_token(st: &AppState, claims: &Value) -> String {
    match st.keys.signing.current() {
        Some(key) => key.sign_jwt(claims),
        None => jwt::sign(&st.cfg.jwt_secret, claims),
    }
}

/// Verifies a bearer token: HS256 with the secret, ES256/RS256 with the signing key named by its
/// `kid` (any key the server has used). Same error wording as `jwt::verify`.
pub fn verify_access_token(st: &AppState, token: &str, now_secs: i64) -> Result<Map<String, Value>, String> {
    let parsed = parse(token)?;
    match parsed.alg() {
        "HS256" => jwt::verify(&st.cfg.jwt_secret, token, now_secs),
        "ES256" | "RS256" => {
            let kid = parsed.kid().unwrap_or("");
            let key =
                st.keys.signing.find(kid).ok_or_else(|| {
                    format!("token is unverifiable: error while executing keyfunc: invalid kid: {kid}")
                })?;
            parsed.verify(&key, now_secs)
        }
        alg => Err(format!("token is unverifiable: signing method {alg} is invalid")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn es256_round_trip_and_rejections() {
        let k = AsymKey::generate(Alg::Es256, "k1").unwrap();
        let t = k.sign_jwt(&json!({"sub": "x", "exp": 100}));
        let p = parse(&t).unwrap();
        assert_eq!(p.alg(), "ES256");
        assert_eq!(p.kid(), Some("k1"));
        assert_eq!(p.verify(&k, 99).unwrap()["sub"], "x");
        assert!(parse(&t).unwrap().verify(&k, 100).unwrap_err().contains("expired"));
        let other = AsymKey::generate(Alg::Es256, "k1").unwrap();
        assert!(parse(&t).unwrap().verify(&other, 0).is_err());
        let jwk = k.public_jwk();
        assert_eq!(jwk["kty"], "EC");
        assert_eq!(jwk["crv"], "P-256");
        assert_eq!(URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap().len(), 32);
    }

    #[test]
    fn rs256_round_trip() {
        let start = std::time::Instant::now();
        let k = AsymKey::generate(Alg::Rs256, "r1").unwrap();
        eprintln!("RSA generation took {:?}", start.elapsed());
        let t = k.sign_jwt(&json!({"sub": "y"}));
        assert_eq!(parse(&t).unwrap().verify(&k, 0).unwrap()["sub"], "y");
        // Another payload under the same signature.
        let other = k.sign_jwt(&json!({"sub": "z"}));
        let parts: Vec<&str> = t.split('.').collect();
        let bad = format!("{}.{}.{}", parts[0], other.split('.').nth(1).unwrap(), parts[2]);
        assert!(parse(&bad).unwrap().verify(&k, 0).is_err());
        assert_eq!(k.public_jwk()["kty"], "RSA");
    }

    #[test]
    fn garbage_is_rejected_without_panicking() {
        for t in ["", "a", "a.b", "a.b.c", "e30.e30.", "e30.e30.!!", "..", "e30..e30"] {
            assert!(parse(t).is_err() || parse(t).is_ok_and(|p| p.alg().is_empty()));
        }
    }
}
