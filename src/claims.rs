//! Verified claims (`get_claims`): asymmetric access tokens (RS256, ES256) are checked
//! against the server's published keys (`/.well-known/jwks.json`, cached for ten minutes and
//! fetched again for an unknown `kid`); symmetric (HS256) tokens, which only the server can
//! check, are checked by asking it (`GET /user`).

use crate::error::AuthError;
use crate::json::{Fields, ObjectWriter, ToJson};
use crate::types::{JsonObject, JsonValue};

/// How long a fetched key set is trusted.
pub const JWKS_TTL_MS: i64 = 10 * 60 * 1000;

/// A token's verified claims, its header and its signature.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedClaims {
    /// The payload.
    pub claims: JsonObject,
    /// The JOSE header (`alg`, `kid`, `typ`).
    pub header: JsonObject,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// `{ claims, header, signature }`; the signature's bytes as an array of numbers (auth-js
/// hands out a `Uint8Array`).
impl ToJson for VerifiedClaims {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("claims", &self.claims).field("header", &self.header).field("signature", &self.signature);
        object.finish();
    }
}

/// One key of a JWKS, kept as its JSON text for the platform's importer.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Jwk {
    pub(crate) kid: Option<String>,
    pub(crate) alg: Option<String>,
    pub(crate) kty: String,
    pub(crate) json: String,
}

/// The keys of a JWKS (`{ "keys": [...] }`; no `keys` is no keys).
pub(crate) fn parse_jwks(text: &str) -> Result<Vec<Jwk>, AuthError> {
    let body = crate::json::parse(text)?;
    let keys: Vec<JsonObject> = Fields::of(&body, "jwks")?.or_default("keys")?;
    Ok(keys
        .into_iter()
        .map(|key| {
            let field = |name: &str| key.get(name).and_then(JsonValue::as_str).map(str::to_string);
            Jwk {
                kid: field("kid"),
                alg: field("alg"),
                kty: field("kty").unwrap_or_default(),
                json: key.to_json_string(),
            }
        })
        .collect())
}

/// The key that can check a token signed with `alg` under `kid`.
pub(crate) fn select_key<'a>(keys: &'a [Jwk], kid: &str, alg: &str) -> Option<&'a Jwk> {
    let kty = match alg {
        "RS256" => "RSA",
        "ES256" => "EC",
        _ => return None,
    };
    keys.iter()
        .find(|key| key.kid.as_deref() == Some(kid) && key.kty == kty && key.alg.as_deref().is_none_or(|a| a == alg))
}

/// Fetched keys and when they were fetched.
#[cfg(not(all(target_arch = "wasm32", feature = "js-api")))]
#[derive(Default)]
pub(crate) struct JwksCache {
    pub(crate) keys: std::cell::RefCell<Option<(Vec<Jwk>, i64)>>,
}

/// The npm package's engine (js-api) never verifies claims itself (its JS facade does, with
/// its own cache): a cache that keeps nothing, so every client carries no key list and the
/// package's wasm none of its code.
#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
#[derive(Default)]
pub(crate) struct JwksCache;

#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
impl JwksCache {
    pub(crate) fn fresh(&self, _: i64) -> Option<Vec<Jwk>> {
        None
    }

    pub(crate) fn store(&self, _: Vec<Jwk>, _: i64) {}
}

#[cfg(not(all(target_arch = "wasm32", feature = "js-api")))]
impl JwksCache {
    pub(crate) fn fresh(&self, now_ms: i64) -> Option<Vec<Jwk>> {
        self.keys.borrow().as_ref().filter(|(_, at)| now_ms - at < JWKS_TTL_MS).map(|(keys, _)| keys.clone())
    }

    pub(crate) fn store(&self, keys: Vec<Jwk>, now_ms: i64) {
        *self.keys.borrow_mut() = Some((keys, now_ms));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const JWKS: &str = r#"{"keys":[
        {"kid":"rsa-1","kty":"RSA","alg":"RS256","n":"abc","e":"AQAB","use":"sig"},
        {"kid":"ec-1","kty":"EC","alg":"ES256","crv":"P-256","x":"xx","y":"yy"},
        {"kid":"ec-2","kty":"EC","crv":"P-256","x":"xx","y":"yy"}]}"#;

    #[test]
    fn selects_the_key_by_kid_and_algorithm() {
        let keys = parse_jwks(JWKS).unwrap();
        assert_eq!(select_key(&keys, "rsa-1", "RS256").map(|k| k.kty.as_str()), Some("RSA"));
        assert_eq!(select_key(&keys, "ec-1", "ES256").and_then(|k| k.kid.as_deref()), Some("ec-1"));
        assert!(select_key(&keys, "ec-2", "ES256").is_some(), "a key without alg fits by type");
        assert!(select_key(&keys, "rsa-1", "ES256").is_none(), "wrong key type");
        assert!(select_key(&keys, "nope", "RS256").is_none());
        assert!(select_key(&keys, "rsa-1", "HS256").is_none(), "symmetric tokens are never checked locally");
        assert!(keys[0].json.contains("\"n\":\"abc\""));
    }

    #[test]
    fn key_sets_without_keys_have_none_and_keys_keep_their_text() {
        assert_eq!(parse_jwks("{}").unwrap(), vec![]);
        assert_eq!(parse_jwks(r#"{"keys":null}"#).unwrap(), vec![]);
        assert!(parse_jwks(r#"{"keys":[1]}"#).unwrap_err().message().contains("`keys`"));
        assert!(parse_jwks("[]").is_err());
        assert!(parse_jwks("<html>").is_err());
        let keys = parse_jwks(r#"{"keys":[{"kty":"EC","kid":"k","x":"xx","exp":1.50e9}]}"#).unwrap();
        // The key's own text, members in the order the server sent them.
        assert_eq!(keys[0].json, r#"{"kty":"EC","kid":"k","x":"xx","exp":1.50e9}"#);
        assert_eq!(keys[0].alg, None);
    }

    #[test]
    fn the_cache_expires() {
        let cache = JwksCache::default();
        cache.store(parse_jwks(JWKS).unwrap(), 1_000);
        assert!(cache.fresh(1_000 + JWKS_TTL_MS - 1).is_some());
        assert!(cache.fresh(1_000 + JWKS_TTL_MS).is_none());
    }
}
