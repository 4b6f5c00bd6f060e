//! The TypeScript declarations of the npm package (`pkg-template/types.d.ts`) are written by
//! hand, with auth-js's shapes; these tests hold them to the Rust types: every interface lists
//! exactly the members the Rust type writes, and every member it declares required (no `?`)
//! is one the Rust type always writes. (A member declared optional may still be always
//! written: auth-js makes many members optional that the server always sends.)

use std::collections::BTreeSet;

use crate::json::{FromJson, ToJson};
use crate::{Factor, Identity, JsonValue, MfaChallenge, MfaEnrollResponse, Session, User, WeakPassword};

const DECLARATIONS: &str = include_str!("../../pkg-template/types.d.ts");

/// Members auth-js declares required that the Rust type writes only when the server sent
/// them: the server always sends them (the Rust type does not invent a time).
const SENT_BY_THE_SERVER: &[(&str, &str)] =
    &[("User", "created_at"), ("Factor", "created_at"), ("Factor", "updated_at")];

/// The text with its `/* … */` comments removed.
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// Members of `export interface <name> { … }` (or `<name><…> { … }`): (name, optional).
fn interface_members(name: &str) -> Vec<(String, bool)> {
    let text = without_comments(DECLARATIONS);
    let start = format!("export interface {name}");
    let at = text
        .match_indices(&start)
        .map(|(at, _)| at + start.len())
        .find(|&end| text[end..].starts_with([' ', '<']))
        .unwrap_or_else(|| panic!("types.d.ts has no interface {name}"));
    let body = at + text[at..].find('{').unwrap_or_else(|| panic!("{name}: no body")) + 1;
    // Split the body at the `;` that are not inside a nested `{ … }` type.
    let mut members = Vec::new();
    let (mut depth, mut part) = (0usize, String::new());
    for character in text[body..].chars() {
        match character {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ';' if depth == 0 => {
                members.push(std::mem::take(&mut part));
                continue;
            }
            _ => {}
        }
        part.push(character);
    }
    members.push(part);
    let members: Vec<(String, bool)> = members
        .iter()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (member, _) = part.split_once(':').unwrap_or_else(|| panic!("{name}: cannot read {part:?}"));
            (member.trim_end_matches('?').trim().to_string(), member.ends_with('?'))
        })
        .collect();
    members
}

fn written_keys<T: ToJson>(value: &T) -> BTreeSet<String> {
    match crate::json::parse(&value.to_json_string()).unwrap() {
        JsonValue::Object(object) => object.keys().cloned().collect(),
        other => panic!("not an object: {other:?}"),
    }
}

/// `full` sets every member; `minimal` only what the type requires.
fn check<T: FromJson + ToJson>(interface: &str, full: &str, minimal: &str) {
    let members = interface_members(interface);
    let all: BTreeSet<String> = members.iter().map(|(name, _)| name.clone()).collect();
    let required: BTreeSet<String> = members
        .iter()
        .filter(|(name, optional)| !optional && !SENT_BY_THE_SERVER.contains(&(interface, name.as_str())))
        .map(|(name, _)| name.clone())
        .collect();
    let full = T::from_json(&crate::json::parse(full).unwrap()).unwrap();
    assert_eq!(written_keys(&full), all, "{interface}: the members the Rust type writes");
    let minimal = T::from_json(&crate::json::parse(minimal).unwrap()).unwrap();
    let always = written_keys(&minimal);
    let unsure: Vec<&String> = required.difference(&always).collect();
    assert!(unsure.is_empty(), "{interface}: declared required, but left out when absent: {unsure:?}");
}

const TIME: &str = "\"2024-05-01T10:20:30Z\"";

fn full_identity() -> String {
    format!(
        r#"{{"identity_id":"i","id":"s","user_id":"u","identity_data":{{"a":1}},"provider":"email","last_sign_in_at":{TIME},"created_at":{TIME},"updated_at":{TIME},"email":"a@b.c"}}"#
    )
}

fn full_factor() -> String {
    format!(
        r#"{{"id":"f","friendly_name":"n","factor_type":"totp","status":"verified","phone":"","last_challenged_at":{TIME},"created_at":{TIME},"updated_at":{TIME}}}"#
    )
}

fn full_user() -> String {
    let times = [
        "email_confirmed_at",
        "invited_at",
        "phone_confirmed_at",
        "confirmation_sent_at",
        "confirmed_at",
        "recovery_sent_at",
        "email_change_sent_at",
        "phone_change_sent_at",
        "reauthentication_sent_at",
        "last_sign_in_at",
        "created_at",
        "updated_at",
        "banned_until",
        "deleted_at",
    ]
    .iter()
    .map(|key| format!(r#""{key}":{TIME}"#))
    .collect::<Vec<_>>()
    .join(",");
    format!(
        r#"{{"id":"u","aud":"a","role":"r","email":"e","phone":"p","is_anonymous":false,"is_sso_user":false,"action_link":"l","new_email":"n","new_phone":"m","app_metadata":{{}},"user_metadata":{{}},"factors":[{}],"identities":[{}],{times}}}"#,
        full_factor(),
        full_identity()
    )
}

#[test]
fn user_identity_matches_the_rust_type() {
    check::<Identity>("UserIdentity", &full_identity(), r#"{"id":"s"}"#);
}

#[test]
fn factor_matches_the_rust_type() {
    check::<Factor>("Factor", &full_factor(), r#"{"id":"f"}"#);
}

#[test]
fn user_matches_the_rust_type() {
    check::<User>("User", &full_user(), r#"{"id":"u"}"#);
}

#[test]
fn weak_password_matches_the_rust_type() {
    check::<WeakPassword>("WeakPassword", r#"{"message":"m","reasons":["length"]}"#, "{}");
}

#[test]
fn session_matches_the_rust_type() {
    let base = format!(
        r#""access_token":"a","token_type":"bearer","expires_in":1,"expires_at":2,"refresh_token":"r","user":{}"#,
        full_user()
    );
    let full = format!(
        r#"{{{base},"provider_token":"p","provider_refresh_token":"q","weak_password":{{"message":"m","reasons":[]}}}}"#
    );
    check::<Session>("Session", &full, &format!("{{{base}}}"));
}

#[test]
fn mfa_enroll_data_matches_the_rust_type() {
    let full =
        r#"{"id":"f","type":"totp","friendly_name":"n","totp":{"qr_code":"q","secret":"s","uri":"u"},"phone":"+1"}"#;
    check::<MfaEnrollResponse>("MFAEnrollData", full, r#"{"id":"f","type":"phone"}"#);
}

#[test]
fn mfa_challenge_data_matches_the_rust_type() {
    let full = r#"{"id":"c","type":"webauthn","expires_at":1,"webauthn":{"type":"request"}}"#;
    check::<MfaChallenge>("MFAChallengeData", full, r#"{"id":"c","type":"totp","expires_at":1}"#);
}
