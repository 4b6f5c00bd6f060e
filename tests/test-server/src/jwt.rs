//! HS256 JWTs signed with the raw bytes of the secret, as GoTrue does by default.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC key of any size")
}

pub fn sign(secret: &str, claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let input = format!("{header}.{payload}");
    let mut m = mac(secret);
    m.update(input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    format!("{input}.{sig}")
}

/// Verifies signature and expiry. The error text follows golang-jwt's wording, which GoTrue puts
/// after "invalid JWT: unable to parse or verify signature, ".
pub fn verify(secret: &str, token: &str, now_secs: i64) -> Result<Map<String, Value>, String> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err("token is malformed: token contains an invalid number of segments".into());
    }
    let header: Value = URL_SAFE_NO_PAD
        .decode(parts[0])
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or("token is malformed: could not JSON decode header")?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg != "HS256" {
        return Err(format!("token is unverifiable: signing method {alg} is invalid"));
    }
    let sig = URL_SAFE_NO_PAD.decode(parts[2]).map_err(|_| "token is malformed: could not base64 decode signature")?;
    let mut m = mac(secret);
    m.update(parts[0].as_bytes());
    m.update(b".");
    m.update(parts[1].as_bytes());
    m.verify_slice(&sig).map_err(|_| "token signature is invalid: signature is invalid")?;
    let claims: Map<String, Value> = URL_SAFE_NO_PAD
        .decode(parts[1])
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or("token is malformed: could not JSON decode claim")?;
    if let Some(exp) = claims.get("exp") {
        let exp = exp.as_f64().ok_or("token has invalid claims: token is malformed")?;
        if (now_secs as f64) >= exp {
            return Err("token has invalid claims: token is expired".into());
        }
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_and_rejections() {
        let t = sign("s", &json!({"sub": "x", "exp": 100}));
        assert_eq!(verify("s", &t, 99).unwrap()["sub"], "x");
        assert!(verify("s", &t, 100).unwrap_err().contains("expired"));
        assert!(verify("other", &t, 0).unwrap_err().contains("signature is invalid"));
        assert!(verify("s", "a.b", 0).is_err());
    }
}
