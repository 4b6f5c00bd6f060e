//! Reading a JWT's claims without verifying it: enough to know when it expires and whose
//! session it is. Verification is the server's job (or `get_claims`' with JWKS).

use crate::error::{AuthError, AuthErrorKind};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};
use crate::types::{JsonObject, JsonValue};

/// The claims of a Supabase access token that the client reads.
#[derive(Clone, Debug, PartialEq)]
pub struct JwtClaims {
    /// The user's UUID.
    pub sub: Option<String>,
    /// Expiry, Unix seconds.
    pub exp: Option<i64>,
    /// Issued at, Unix seconds.
    pub iat: Option<i64>,
    /// The session's UUID.
    pub session_id: Option<String>,
    /// `aal1` or `aal2`.
    pub aal: Option<String>,
    /// The role, e.g. `authenticated` or `service_role`.
    pub role: Option<String>,
    /// The email address.
    pub email: Option<String>,
    /// How the user authenticated, newest first.
    pub amr: Option<Vec<JsonValue>>,
    /// Whether the user is anonymous.
    pub is_anonymous: Option<bool>,
    /// The user's app metadata.
    pub app_metadata: Option<JsonObject>,
}

impl FromJson for JwtClaims {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "claims")?;
        Ok(JwtClaims {
            sub: fields.opt("sub")?,
            exp: fields.opt("exp")?,
            iat: fields.opt("iat")?,
            session_id: fields.opt("session_id")?,
            aal: fields.opt("aal")?,
            role: fields.opt("role")?,
            email: fields.opt("email")?,
            amr: fields.opt("amr")?,
            is_anonymous: fields.opt("is_anonymous")?,
            app_metadata: fields.opt("app_metadata")?,
        })
    }
}

/// The claims that are present; absent ones are left out, as in a token's payload.
impl ToJson for JwtClaims {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .opt("sub", &self.sub)
            .opt("exp", &self.exp)
            .opt("iat", &self.iat)
            .opt("session_id", &self.session_id)
            .opt("aal", &self.aal)
            .opt("role", &self.role)
            .opt("email", &self.email)
            .opt("amr", &self.amr)
            .opt("is_anonymous", &self.is_anonymous)
            .opt("app_metadata", &self.app_metadata);
        object.finish();
    }
}

fn invalid(message: &str) -> AuthError {
    AuthError::new(AuthErrorKind::InvalidJwt, message).with_status(400).with_code("invalid_jwt")
}

/// Decodes the payload of a compact JWT (`header.payload.signature`).
///
/// The signature is not checked here ([`crate::GoTrueClient::get_claims`] does that).
///
/// ```
/// // {"alg":"HS256"} . {"sub":"u1","exp":1714558830,"role":"authenticated"} . signature
/// let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSIsImV4cCI6MTcxNDU1ODgzMCwicm9sZSI6ImF1dGhlbnRpY2F0ZWQifQ.c2ln";
/// let claims = gotrue_wasm::decode_claims(jwt)?;
/// assert_eq!(claims.sub.as_deref(), Some("u1"));
/// assert_eq!(claims.exp, Some(1_714_558_830));
/// assert!(gotrue_wasm::decode_claims("not a jwt").is_err());
/// # Ok::<(), gotrue_wasm::AuthError>(())
/// ```
pub fn decode_claims(jwt: &str) -> Result<JwtClaims, AuthError> {
    let mut parts = crate::text::split(jwt, b'.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("Invalid JWT structure"));
    };
    let bytes = base64url_decode(payload).ok_or_else(|| invalid("JWT not in base64url format"))?;
    let text = String::from_utf8(bytes).map_err(|_| invalid("Invalid JWT: the payload is not UTF-8"))?;
    crate::json::from_str(&text).map_err(|_| invalid("Invalid JWT: the payload is not a JSON object of claims"))
}

/// The parts of a compact JWS, decoded as auth-js's decodeJWT decodes them (setSession reads
/// `exp` from them; get_claims verifies the signature over `signing_input`).
pub(crate) struct JwtParts {
    pub(crate) header: JsonObject,
    pub(crate) claims: JsonObject,
    pub(crate) signature: Vec<u8>,
    pub(crate) signing_input: String,
}

/// Splits and decodes `jwt`; `AuthInvalidJwtError` for anything that is not three base64url
/// parts with JSON objects for header and payload.
pub(crate) fn split_jwt(jwt: &str) -> Result<JwtParts, AuthError> {
    let mut parts = crate::text::split(jwt, b'.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("Invalid JWT structure"));
    };
    let decode_json = |part: &str, what: &str| -> Result<JsonObject, AuthError> {
        let bytes = base64url_decode(part).ok_or_else(|| invalid("JWT not in base64url format"))?;
        let text = String::from_utf8(bytes).map_err(|_| invalid(what))?;
        crate::json::from_str::<JsonObject>(&text).map_err(|_| invalid(what))
    };
    Ok(JwtParts {
        header: decode_json(header, "Invalid JWT header")?,
        claims: decode_json(payload, "Invalid JWT payload")?,
        signature: base64url_decode(signature).ok_or_else(|| invalid("JWT not in base64url format"))?,
        signing_input: crate::text::concat(&[header, ".", payload]),
    })
}

/// Decodes base64url with or without padding; `None` for anything else.
pub(crate) fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let trimmed = crate::text::trim_end(text, b'=');
    if trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in trimmed.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Encodes bytes as base64url without padding (PKCE challenges, tests).
pub(crate) fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn jwt_with(payload: &str) -> String {
        format!("eyJhbGciOiJIUzI1NiJ9.{}.c2lnbmF0dXJl", base64url_encode(payload.as_bytes()))
    }

    #[test]
    fn splits_and_rejects_tokens() {
        let header = base64url_encode(br#"{"alg":"ES256","kid":"ec-1"}"#);
        let payload = base64url_encode(br#"{"sub":"u","exp":5}"#);
        let parts = split_jwt(&format!("{header}.{payload}.AAEC")).unwrap();
        assert_eq!(parts.header.get("kid").and_then(JsonValue::as_str), Some("ec-1"));
        assert_eq!(parts.signature, vec![0, 1, 2]);
        assert_eq!(parts.signing_input, format!("{header}.{payload}"));
        for bad in ["", "a.b", "a.b.c.d", &format!("{header}.!!.AA"), &format!("{header}.{payload}.*")] {
            assert_eq!(split_jwt(bad).err().map(|e| e.kind()), Some(AuthErrorKind::InvalidJwt), "{bad}");
        }
    }

    #[test]
    fn reads_the_claims() {
        let claims = decode_claims(&jwt_with(
            r#"{"sub":"u1","exp":1700000000,"iat":1699996400,"session_id":"s1","aal":"aal1","role":"authenticated","amr":[{"method":"password","timestamp":1}]}"#,
        ))
        .unwrap();
        assert_eq!(claims.sub.as_deref(), Some("u1"));
        assert_eq!(claims.exp, Some(1_700_000_000));
        assert_eq!(claims.session_id.as_deref(), Some("s1"));
    }

    #[test]
    fn broken_tokens_are_typed_errors() {
        for bad in
            ["", "abc", "a.b", "a.b.c.d", "a.!!!.c", "a.YQ.c", &jwt_with("[1,2]"), &jwt_with("{\"exp\":\"soon\"}")]
        {
            let error = decode_claims(bad).unwrap_err();
            assert_eq!(error.kind(), AuthErrorKind::InvalidJwt, "{bad:?}");
            assert_eq!(error.code(), Some("invalid_jwt"));
        }
    }

    #[test]
    fn claims_read_leniently_and_write_what_is_present() {
        let claims = decode_claims(&jwt_with(
            r#"{"sub":"u1","exp":1700000000.0,"iat":null,"aal":"aal2","amr":["otp"],"is_anonymous":false,"app_metadata":{"provider":"email"},"extra":[1]}"#,
        ))
        .unwrap();
        assert_eq!((claims.exp, claims.iat), (Some(1_700_000_000), None));
        assert_eq!(claims.amr.as_ref().map(Vec::len), Some(1));
        assert_eq!(
            claims.to_json_string(),
            r#"{"sub":"u1","exp":1700000000,"aal":"aal2","amr":["otp"],"is_anonymous":false,"app_metadata":{"provider":"email"}}"#
        );
        assert_eq!(crate::json::from_str::<JwtClaims>(&claims.to_json_string()), Ok(claims));
        assert_eq!(crate::json::from_str::<JwtClaims>(r#"{"aal":2}"#), Err(JsonError::field("aal")));
        assert_eq!(crate::json::from_str::<JwtClaims>(r#"{"amr":{}}"#), Err(JsonError::field("amr")));
        assert_eq!(crate::json::from_str::<JwtClaims>("{}").map(|claims| claims.sub), Ok(None));
    }

    #[test]
    fn base64url_matches_known_vectors() {
        assert_eq!(base64url_encode(b""), "");
        assert_eq!(base64url_encode(b"f"), "Zg");
        assert_eq!(base64url_encode(b"fo"), "Zm8");
        assert_eq!(base64url_encode(b"foo"), "Zm9v");
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("Zm9vYg==").unwrap(), b"foob");
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert!(base64url_decode("Z").is_none());
    }

    proptest::proptest! {
        #[test]
        fn base64url_round_trips(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            proptest::prop_assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }

        #[test]
        fn decoding_never_panics(text in "\\PC*") {
            let _ = decode_claims(&text);
            let _ = base64url_decode(&text);
        }
    }
}
