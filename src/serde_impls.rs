//! `Serialize` and `Deserialize` for the data model (feature `serde`).
//!
//! Every impl goes through the crate's own JSON reader and writer ([`FromJson`], [`ToJson`])
//! by way of [`JsonValue`], so serde sees exactly the wire and storage format the client
//! itself reads and writes (auth-js's): the two cannot drift apart. The price is one
//! intermediate `JsonValue` per value, which is nothing next to a network round trip.
//!
//! Deserializing needs a self-describing format (JSON, `serde-wasm-bindgen`, YAML, CBOR, …):
//! the readers take any JSON value and check it themselves.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::json::{FromJson, JsonNumber, ToJson};
use crate::types::{JsonObject, JsonValue};

impl Serialize for JsonValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            JsonValue::Null => serializer.serialize_unit(),
            JsonValue::Bool(value) => serializer.serialize_bool(*value),
            JsonValue::Number(number) => number.serialize(serializer),
            JsonValue::String(text) => serializer.serialize_str(text),
            JsonValue::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            JsonValue::Object(object) => object.serialize(serializer),
        }
    }
}

/// Integers as integers (so `1714558830` stays exact in any format), anything else as `f64`.
impl Serialize for JsonNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.as_str();
        if !text.contains(['.', 'e', 'E']) {
            if let Ok(integer) = text.parse::<i64>() {
                return serializer.serialize_i64(integer);
            }
            if let Ok(integer) = text.parse::<u64>() {
                return serializer.serialize_u64(integer);
            }
        }
        match text.parse::<f64>() {
            Ok(float) => serializer.serialize_f64(float),
            Err(_) => Err(ser::Error::custom("a JSON number that is not a number")),
        }
    }
}

impl Serialize for JsonObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_none<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<JsonValue, D::Error> {
        JsonValue::deserialize(deserializer)
    }

    fn visit_bool<E>(self, value: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<JsonValue, E> {
        // As JSON.stringify does: a non-finite number is null. A finite one is written
        // without an exponent by `Display`, which is valid JSON number text.
        if !value.is_finite() {
            return Ok(JsonValue::Null);
        }
        crate::json::parse(&value.to_string()).map_err(|_| E::custom("a number JSON cannot carry"))
    }

    fn visit_str<E>(self, value: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some((key, value)) = map.next_entry::<String, JsonValue>()? {
            members.push((key, value));
        }
        // Repeated keys resolve as JSON.parse resolves them, as in the crate's own parser.
        Ok(JsonValue::Object(JsonObject::from_members(members)))
    }
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match JsonValue::deserialize(deserializer)? {
            JsonValue::Object(object) => Ok(object),
            _ => Err(de::Error::custom("expected a JSON object")),
        }
    }
}

impl<'de> Deserialize<'de> for JsonNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match JsonValue::deserialize(deserializer)? {
            JsonValue::Number(number) => Ok(number),
            _ => Err(de::Error::custom("expected a JSON number")),
        }
    }
}

/// Serializes a value as the JSON its `ToJson` writes.
fn serialize_as_json<T: ToJson + ?Sized, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let value = crate::json::parse(&value.to_json_string()).map_err(ser::Error::custom)?;
    value.serialize(serializer)
}

/// Deserializes any JSON value, then reads it with `FromJson` (errors name the field only).
fn deserialize_as_json<'de, T: FromJson, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let value = JsonValue::deserialize(deserializer)?;
    T::from_json(&value).map_err(de::Error::custom)
}

macro_rules! serialize_through_json {
    ($($ty:ty),* $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_as_json(self, serializer)
            }
        }
    )*};
}

macro_rules! deserialize_through_json {
    ($($ty:ty),* $(,)?) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_as_json(deserializer)
            }
        }
    )*};
}

// What the server sends and what is stored: both ways.
serialize_through_json!(
    crate::Session,
    crate::Session<crate::UserJson>,
    crate::UserJson,
    crate::User,
    crate::Identity,
    crate::Factor,
    crate::WeakPassword,
    crate::AuthResponse,
    crate::Timestamp,
    crate::SecretString,
    crate::JwtClaims,
    crate::MessageSent,
    crate::TotpEnrollment,
    crate::MfaEnrollResponse,
    crate::MfaChallenge,
);
deserialize_through_json!(
    crate::Session,
    crate::UserJson,
    crate::User,
    crate::Identity,
    crate::Factor,
    crate::WeakPassword,
    crate::AuthResponse,
    crate::Timestamp,
    crate::SecretString,
    crate::JwtClaims,
    crate::MessageSent,
    crate::TotpEnrollment,
    crate::MfaEnrollResponse,
    crate::MfaChallenge,
);
// Results the client builds (auth-js's `data` shapes) and event names: written, not read.
// The request inputs (credentials, attributes, options) are built with their constructors;
// serializing a password-carrying input is not something to make easy.
serialize_through_json!(
    crate::VerifiedClaims,
    crate::OAuthResponse,
    crate::CodeExchange,
    crate::FactorList,
    crate::AuthenticatorAssurance,
    crate::UserList,
    crate::GeneratedLink,
    crate::RedirectErrorDetails,
    crate::AuthChangeEvent,
);

/// A session whose user stays JSON has no `FromJson` of its own (see `Session::read_json`).
impl<'de> Deserialize<'de> for crate::Session<crate::UserJson> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = JsonValue::deserialize(deserializer)?;
        crate::Session::read_json(&value).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for crate::AuthChangeEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        crate::AuthChangeEvent::parse(&name).ok_or_else(|| de::Error::custom("not an auth event name"))
    }
}

/// Converts a value to a plain JavaScript value (objects, not `Map`s; `null` for absent
/// members), as `JSON.parse` of its JSON would give: for handing a
/// [`Session`](crate::Session) or [`User`](crate::User) to JavaScript code.
///
/// ```no_run
/// # fn run(session: gotrue_wasm::Session) -> Result<(), gotrue_wasm::AuthError> {
/// let js = gotrue_wasm::to_js_value(&session)?;
/// let back: gotrue_wasm::Session = gotrue_wasm::from_js_value(js)?;
/// # Ok(()) }
/// ```
#[cfg(target_arch = "wasm32")]
pub fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<wasm_bindgen::JsValue, crate::AuthError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| crate::AuthError::unknown("The value could not be converted to a JavaScript value"))
}

/// Reads a value from a JavaScript value shaped as its JSON (e.g. a session object auth-js
/// handed over). A wrong shape is an error naming the field, never a panic.
#[cfg(target_arch = "wasm32")]
pub fn from_js_value<T: serde::de::DeserializeOwned>(value: wasm_bindgen::JsValue) -> Result<T, crate::AuthError> {
    serde_wasm_bindgen::from_value(value).map_err(|error| crate::AuthError::unknown(error.to_string()))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::{AuthChangeEvent, AuthResponse, FromJson, JsonValue, Session, ToJson};

    const AUTH_JS_STORED: &str = include_str!("../tests/fixtures/auth-js-stored-session.json");

    #[test]
    fn auth_js_stored_session_round_trips_through_serde_exactly() {
        let through_serde: Session = serde_json::from_str(AUTH_JS_STORED).unwrap();
        let through_reader = Session::from_json_str(AUTH_JS_STORED).unwrap();
        assert_eq!(through_serde, through_reader);
        // Written by serde, it is the very JSON auth-js stored (compared as values: member
        // order is not part of JSON's meaning) and what the crate's own writer writes.
        let written = serde_json::to_value(&through_serde).unwrap();
        assert_eq!(written, serde_json::from_str::<serde_json::Value>(AUTH_JS_STORED).unwrap());
        assert_eq!(written, serde_json::from_str::<serde_json::Value>(&through_reader.to_json_string()).unwrap());
        // And the text serde_json writes reads back with the crate's reader.
        let text = serde_json::to_string(&through_serde).unwrap();
        assert_eq!(text.parse::<Session>().unwrap(), through_reader);
        // With the user kept as JSON, serde writes back the stored text's very value too.
        let json_user: Session<crate::UserJson> = serde_json::from_str(AUTH_JS_STORED).unwrap();
        let written = serde_json::to_value(&json_user).unwrap();
        assert_eq!(written, serde_json::from_str::<serde_json::Value>(AUTH_JS_STORED).unwrap());
        assert_eq!(json_user.user.to_user().unwrap(), through_reader.user);
    }

    #[test]
    fn values_keep_numbers_and_member_order() {
        let text = r#"{"z":1,"a":-2,"big":18446744073709551615,"f":1.5,"e":1e3,"n":null,"l":[true,"s"]}"#;
        let value: JsonValue = serde_json::from_str(text).unwrap();
        let object = value.as_object().unwrap();
        let number = |key: &str| match object.get(key) {
            Some(JsonValue::Number(number)) => number.as_str().to_string(),
            other => panic!("{key}: {other:?}"),
        };
        assert_eq!(
            [number("z"), number("a"), number("big"), number("f"), number("e")],
            ["1", "-2", "18446744073709551615", "1.5", "1000"]
        );
        assert_eq!(object.keys().map(String::as_str).collect::<Vec<_>>(), ["z", "a", "big", "f", "e", "n", "l"]);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"z":1,"a":-2,"big":18446744073709551615,"f":1.5,"e":1000,"n":null,"l":[true,"s"]}"#
        );
    }

    #[test]
    fn a_wrong_shape_names_the_field_and_no_token() {
        let error =
            serde_json::from_str::<Session>(r#"{"access_token":"secret-token","refresh_token":5}"#).unwrap_err();
        let message = error.to_string();
        assert!(!message.contains("secret"), "{message}");
        let response: AuthResponse = serde_json::from_str(r#"{"user":null,"session":null}"#).unwrap();
        assert!(response.session.is_none());
        assert_eq!(serde_json::to_string(&AuthChangeEvent::SignedIn).unwrap(), r#""SIGNED_IN""#);
        assert_eq!(
            serde_json::from_str::<AuthChangeEvent>(r#""TOKEN_REFRESHED""#).unwrap(),
            AuthChangeEvent::TokenRefreshed
        );
        assert!(serde_json::from_str::<AuthChangeEvent>(r#""NOPE""#).is_err());
    }
}
