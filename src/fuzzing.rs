//! Entry points for the fuzz targets in `fuzz/` (compiled only under `cfg(fuzzing)`, which
//! `cargo fuzz` sets): every reader of outside input, each with the checks a fuzzer can make
//! besides "no panic". Not part of the crate's API.

use crate::json::{FromJson, ToJson};
use crate::storage::StoredSession;
use crate::types::{Factor, Session, TokenResponse, User};
use crate::{AuthError, JsonValue, JwtClaims, MessageSent, MfaChallenge, MfaEnrollResponse, RedirectParams};

/// The JSON reader: whatever it accepts, its writer writes back to the same value.
pub fn json(text: &str) {
    if let Ok(value) = crate::json::parse(text) {
        let written = value.to_json_string();
        let again = crate::json::parse(&written);
        assert_eq!(again.as_ref(), Ok(&value), "the written JSON reads back differently: {written}");
    }
}

/// The URL readers: the redirect's parameters, the query/fragment splitter, the percent
/// decoder; stripping the auth parameters leaves none and is idempotent.
pub fn url(text: &str) {
    let params = RedirectParams::from_url(text);
    let _ = (params.is_implicit_callback(), params.is_error(), params.code());
    let stripped = crate::redirect::strip_auth_params(text);
    assert_eq!(crate::redirect::strip_auth_params(&stripped), stripped, "stripping is not idempotent");
    assert!(!RedirectParams::from_url(&stripped).is_implicit_callback(), "a callback survived stripping: {stripped}");
    let _ = crate::url::parse_params(text);
    let _ = crate::url::decode_component(text);
}

/// The JWT decoders: the claims reader, the signature-checking splitter, the JWKS reader.
pub fn jwt(text: &str) {
    let _ = crate::jwt::decode_claims(text);
    let _ = crate::jwt::split_jwt(text);
    let _ = crate::jwt::base64url_decode(text);
    let _ = crate::claims::parse_jwks(text);
}

/// The stored-session reader: a session it accepts is written back and read the same.
pub fn stored_session(text: &str) {
    if let StoredSession::Valid(session) = crate::storage::read_session(Some(text)) {
        let written = crate::storage::write_session(&session);
        match crate::storage::read_session(Some(&written)) {
            StoredSession::Valid(again) => assert!(again == session, "the rewritten session reads differently"),
            _ => panic!("a session written by this crate is not read back"),
        }
    }
}

/// The readers of the server's answers: sessions, users, factors, MFA answers, claims, and
/// error bodies of any status. `selector` picks the reader.
pub fn server_answer(selector: u8, text: &str) {
    match selector % 10 {
        0 => {
            if let Ok(response) = crate::json::from_str::<TokenResponse>(text) {
                let _ = response.into_session(1_700_000_000);
            }
        }
        1 => read::<User>(text),
        2 => read::<Session>(text),
        3 => read::<Factor>(text),
        4 => read::<MfaEnrollResponse>(text),
        5 => read::<MfaChallenge>(text),
        6 => read::<MessageSent>(text),
        7 => read::<JwtClaims>(text),
        8 => read::<JsonValue>(text),
        _ => {
            for status in [400, 401, 403, 422, 429, 500, 503] {
                for v2024 in [false, true] {
                    let error = AuthError::from_response(status, v2024, text);
                    assert_eq!(error.status(), Some(status));
                }
            }
        }
    }
}

fn read<T: FromJson>(text: &str) {
    let _ = crate::json::from_str::<T>(text);
}

/// The `Link` header reader of the admin user list.
pub fn link_header(text: &str) {
    let _ = crate::api::admin::parse_link_pages(text);
}
