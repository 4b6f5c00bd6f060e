use std::collections::BTreeMap;

/// A JSON object: free-form metadata such as `user_metadata` and `app_metadata`.
pub type JsonObject = BTreeMap<String, JsonValue>;

/// Any JSON value. The crate carries its own small type so that the wasm build needs no
/// JSON library; numbers keep the text they were written with ([`crate::JsonNumber`]).
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    use crate::json::ToJson;

    #[test]
    fn round_trips_through_json() {
        let text = r#"{"a":[1,2.5,"x",true,null],"b":{"c":-3}}"#;
        let value = crate::json::parse(text).unwrap();
        assert_eq!(value.get("b").and_then(|b| b.get("c")).and_then(JsonValue::as_i64), Some(-3));
        assert_eq!(value.to_json_string(), text);
        // serde_json reads the same value out of what was written.
        let theirs: serde_json::Value = serde_json::from_str(&value.to_json_string()).unwrap();
        assert_eq!(theirs, serde_json::from_str::<serde_json::Value>(text).unwrap());
    }
}
