use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

/// A JSON object: free-form metadata such as `user_metadata` and `app_metadata`.
pub type JsonObject = BTreeMap<String, JsonValue>;

/// Any JSON value. The crate carries its own small type so that the wasm build needs no
/// JSON library; numbers are `f64`, as in JavaScript.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum JsonValue {
    /// `null`
    #[default]
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number.
    Number(crate::json::JsonNumber),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<JsonValue>),
    /// An object.
    Object(JsonObject),
}

impl JsonValue {
    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            JsonValue::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number inside, if this is a number.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            JsonValue::Number(number) => number.as_i64(),
            _ => None,
        }
    }

    /// The boolean inside, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            JsonValue::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The object inside, if this is an object.
    pub fn as_object(&self) -> Option<&JsonObject> {
        match self {
            JsonValue::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The array inside, if this is an array.
    pub fn as_array(&self) -> Option<&[JsonValue]> {
        match self {
            JsonValue::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The member `key` of an object; `None` for other values or a missing key.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.as_object().and_then(|object| object.get(key))
    }
}

impl From<&str> for JsonValue {
    fn from(text: &str) -> Self {
        JsonValue::String(text.to_string())
    }
}

impl From<String> for JsonValue {
    fn from(text: String) -> Self {
        JsonValue::String(text)
    }
}

impl From<bool> for JsonValue {
    fn from(flag: bool) -> Self {
        JsonValue::Bool(flag)
    }
}

impl From<i64> for JsonValue {
    fn from(number: i64) -> Self {
        JsonValue::Number(number.into())
    }
}

impl From<i32> for JsonValue {
    fn from(number: i32) -> Self {
        JsonValue::Number(number.into())
    }
}

impl From<JsonObject> for JsonValue {
    fn from(object: JsonObject) -> Self {
        JsonValue::Object(object)
    }
}

impl<T: Into<JsonValue>> From<Vec<T>> for JsonValue {
    fn from(items: Vec<T>) -> Self {
        JsonValue::Array(items.into_iter().map(Into::into).collect())
    }
}

impl Serialize for JsonValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            JsonValue::Null => serializer.serialize_unit(),
            JsonValue::Bool(flag) => serializer.serialize_bool(*flag),
            JsonValue::Number(number) => match number.as_str().parse::<i64>() {
                Ok(whole) => serializer.serialize_i64(whole),
                Err(_) => serializer.serialize_f64(number.as_str().parse::<f64>().unwrap_or_default()),
            },
            JsonValue::String(text) => serializer.serialize_str(text),
            JsonValue::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            JsonValue::Object(object) => {
                let mut map = serializer.serialize_map(Some(object.len()))?;
                for (key, value) in object {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonValueVisitor)
    }
}

struct JsonValueVisitor;

impl<'de> Visitor<'de> for JsonValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<JsonValue, D::Error> {
        JsonValue::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(number.into()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(number.into()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<JsonValue, E> {
        Ok(crate::json::parse(&number.to_string()).unwrap_or_default())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(text.to_string()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut object = JsonObject::new();
        while let Some((key, value)) = map.next_entry::<String, JsonValue>()? {
            object.insert(key, value);
        }
        Ok(JsonValue::Object(object))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let text = r#"{"a":[1,2.5,"x",true,null],"b":{"c":-3}}"#;
        let value: JsonValue = serde_json::from_str(text).unwrap();
        assert_eq!(value.get("b").and_then(|b| b.get("c")).and_then(JsonValue::as_i64), Some(-3));
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
    }
}
