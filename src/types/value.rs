/// A JSON object: free-form metadata such as `user_metadata` and `app_metadata`.
///
/// Members keep the order they were read or inserted in, so an object read from the
/// server is written back with its keys in the server's order. Keys
/// are unique: [`insert`](Self::insert) on a present key replaces its value where it
/// stands. Lookups scan the members in order, which is what the small objects of an auth
/// session want (and far less code in the wasm than a tree or a hash map).
///
/// Two objects are equal when they have the same members, in any order, as two JSON
/// objects are.
///
/// ```
/// use gotrue_wasm::{JsonObject, JsonValue};
///
/// let mut data = JsonObject::new();
/// data.insert("plan".to_string(), "pro".into());
/// data.insert("seats".to_string(), 3.into());
/// assert_eq!(data.insert("plan".to_string(), "team".into()), Some(JsonValue::from("pro")));
/// assert_eq!(data.keys().collect::<Vec<_>>(), ["plan", "seats"]);
/// assert_eq!(data.get("plan").and_then(JsonValue::as_str), Some("team"));
/// ```
#[derive(Clone, Default)]
pub struct JsonObject {
    members: Vec<(String, JsonValue)>,
}

impl JsonObject {
    /// An empty object.
    pub fn new() -> Self {
        JsonObject { members: Vec::new() }
    }

    /// The members as the parser read them, in order. A repeated key keeps its first place
    /// and its last value, as `JSON.parse` does. Repeats are found through the keys' sorted
    /// order, so a large object costs n·log n rather than n² (a body with tens of thousands
    /// of metadata keys must not stall a sign-in).
    pub(crate) fn from_members(mut members: Vec<(String, JsonValue)>) -> Self {
        // By key, then by place: the members of one key are side by side, first to last.
        // (Unstable sort: the order is total, and it is the smaller sort in the wasm.)
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_unstable_by(|&a, &b| members[a].0.cmp(&members[b].0).then(a.cmp(&b)));
        // Each run of one key: its last value goes to its first place, the others are dropped.
        // Members to drop are marked usize::MAX (a second `0..n` vector: the same code as `order`'s).
        let mut keep: Vec<usize> = (0..members.len()).collect();
        let mut dropped = false;
        let same = |members: &[(String, JsonValue)], a: usize, b: usize| match (members.get(a), members.get(b)) {
            (Some((x, _)), Some((y, _))) => x == y,
            _ => false,
        };
        let mut start = 0;
        while let Some(&first) = order.get(start) {
            let mut end = start + 1;
            let mut last = first;
            while let Some(&next) = order.get(end) {
                if !same(&members, first, next) {
                    break;
                }
                if let Some(mark) = keep.get_mut(next) {
                    *mark = usize::MAX;
                }
                last = next;
                end += 1;
            }
            if last != first {
                dropped = true;
                let value = members.get_mut(last).map(|(_, value)| std::mem::replace(value, JsonValue::Null));
                if let (Some(value), Some((_, slot))) = (value, members.get_mut(first)) {
                    *slot = value;
                }
            }
            start = end;
        }
        if dropped {
            let mut marks = keep.iter();
            members.retain(|_| marks.next() != Some(&usize::MAX));
        }
        JsonObject { members }
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.members.iter().position(|(name, _)| name == key)
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.members.iter().find(|(name, _)| name == key).map(|(_, value)| value)
    }

    /// The value of `key` to change in place, if present.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut JsonValue> {
        self.members.iter_mut().find(|(name, _)| name == key).map(|(_, value)| value)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` to `value`. A new key goes last; a present key keeps its place and its
    /// old value is returned.
    pub fn insert(&mut self, key: String, value: JsonValue) -> Option<JsonValue> {
        match self.get_mut(&key) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.members.push((key, value));
                None
            }
        }
    }

    /// Removes `key` and returns its value; the other members keep their order.
    pub fn remove(&mut self, key: &str) -> Option<JsonValue> {
        self.position(key).map(|at| self.members.remove(at).1)
    }

    /// The members in order.
    pub fn iter(&self) -> JsonObjectIter<'_> {
        JsonObjectIter(self.members.iter())
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.members.iter().map(|(key, _)| key)
    }

    /// The values in order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &JsonValue> + ExactSizeIterator {
        self.members.iter().map(|(_, value)| value)
    }
}

/// Equal when both have the same members, whatever their order: `{"a":1,"b":2}` equals
/// `{"b":2,"a":1}`, as two JSON objects with the same members are the same object.
impl PartialEq for JsonObject {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(key, value)| other.get(key) == Some(value))
    }
}

impl std::fmt::Debug for JsonObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Later pairs win over earlier ones with the same key, which keeps the first one's place.
impl FromIterator<(String, JsonValue)> for JsonObject {
    fn from_iter<I: IntoIterator<Item = (String, JsonValue)>>(pairs: I) -> Self {
        let mut object = JsonObject::new();
        object.extend(pairs);
        object
    }
}

/// Inserts each pair in turn, as [`JsonObject::insert`] does.
impl Extend<(String, JsonValue)> for JsonObject {
    fn extend<I: IntoIterator<Item = (String, JsonValue)>>(&mut self, pairs: I) {
        for (key, value) in pairs {
            self.insert(key, value);
        }
    }
}

impl IntoIterator for JsonObject {
    type Item = (String, JsonValue);
    type IntoIter = std::vec::IntoIter<(String, JsonValue)>;

    /// The members in order.
    fn into_iter(self) -> Self::IntoIter {
        self.members.into_iter()
    }
}

impl<'a> IntoIterator for &'a JsonObject {
    type Item = (&'a String, &'a JsonValue);
    type IntoIter = JsonObjectIter<'a>;

    /// The members in order.
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The members of a [`JsonObject`] in order, from [`JsonObject::iter`].
#[derive(Clone, Debug)]
pub struct JsonObjectIter<'a>(std::slice::Iter<'a, (String, JsonValue)>);

impl<'a> Iterator for JsonObjectIter<'a> {
    type Item = (&'a String, &'a JsonValue);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, value)| (key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for JsonObjectIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(key, value)| (key, value))
    }
}

impl ExactSizeIterator for JsonObjectIter<'_> {}

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

    fn object(text: &str) -> JsonObject {
        crate::json::parse(text).unwrap().as_object().unwrap().clone()
    }

    fn pairs(pairs: &[(&str, i64)]) -> Vec<(String, JsonValue)> {
        pairs.iter().map(|&(key, value)| (key.to_string(), value.into())).collect()
    }

    #[test]
    fn objects_keep_the_order_they_were_read_in() {
        for text in [r#"{"b":1,"a":2}"#, r#"{"z":{"y":1,"x":[{"q":1,"p":2}]},"a":null,"m":"t"}"#] {
            assert_eq!(crate::json::parse(text).unwrap().to_json_string(), text);
        }
        let read = object(r#"{"b":1,"a":2,"c":3}"#);
        assert_eq!(read.keys().collect::<Vec<_>>(), ["b", "a", "c"]);
        assert_eq!(read.values().filter_map(JsonValue::as_i64).collect::<Vec<_>>(), [1, 2, 3]);
        let borrowed: Vec<(&String, &JsonValue)> = (&read).into_iter().collect();
        assert_eq!(borrowed, read.iter().collect::<Vec<_>>());
        assert_eq!(read.iter().len(), 3);
        assert_eq!(read.iter().next_back().map(|(key, _)| key.as_str()), Some("c"));
        assert_eq!(read.clone().into_iter().collect::<Vec<_>>(), pairs(&[("b", 1), ("a", 2), ("c", 3)]));
        assert_eq!(
            format!("{:?}", object(r#"{"b":1,"a":"x"}"#)),
            r#"{"b": Number(JsonNumber("1")), "a": String("x")}"#
        );
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_its_last_value() {
        // As `JSON.parse` does, and as the parser did before: the last value wins.
        let read = object(r#"{"a":1,"b":2,"a":3}"#);
        assert_eq!(read.len(), 2);
        assert_eq!(read.to_json_string(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn a_key_repeated_many_times_keeps_its_first_place_and_its_last_value() {
        let read = object(r#"{"a":1,"b":2,"a":3,"c":4,"a":5,"b":6}"#);
        assert_eq!(read.to_json_string(), r#"{"a":5,"b":6,"c":4}"#);
    }

    proptest::proptest! {
        /// Reading members is inserting them one after the other (`JSON.parse`'s rule).
        #[test]
        fn reading_members_is_inserting_them_in_turn(keys in proptest::collection::vec(0u8..6, 0..40)) {
            let members: Vec<(String, JsonValue)> =
                keys.iter().enumerate().map(|(at, key)| (key.to_string(), JsonValue::from(at as i64))).collect();
            let mut inserted = JsonObject::new();
            for (key, value) in members.clone() {
                inserted.insert(key, value);
            }
            let read = JsonObject::from_members(members);
            proptest::prop_assert_eq!(read.to_json_string(), inserted.to_json_string());
        }
    }

    #[test]
    fn insert_replaces_in_place_and_remove_keeps_the_rest_in_order() {
        let mut map = JsonObject::new();
        assert!(map.is_empty());
        assert_eq!(map.insert("x".into(), 1.into()), None);
        assert_eq!(map.insert("y".into(), 2.into()), None);
        assert_eq!(map.insert("z".into(), 3.into()), None);
        assert_eq!(map.insert("x".into(), "new".into()), Some(JsonValue::from(1)));
        assert_eq!(map.to_json_string(), r#"{"x":"new","y":2,"z":3}"#);
        assert_eq!((map.len(), map.is_empty()), (3, false));
        assert!(map.contains_key("y") && !map.contains_key("w"));
        assert_eq!(map.get("z"), Some(&JsonValue::from(3)));
        assert_eq!(map.get("w"), None);
        if let Some(value) = map.get_mut("z") {
            *value = true.into();
        }
        assert_eq!(map.get_mut("w"), None);
        assert_eq!(map.remove("y"), Some(JsonValue::from(2)));
        assert_eq!(map.remove("y"), None);
        assert_eq!(map.to_json_string(), r#"{"x":"new","z":true}"#);
        assert_eq!(map.insert("y".into(), JsonValue::Null), None);
        assert_eq!(map.to_json_string(), r#"{"x":"new","z":true,"y":null}"#);
    }

    #[test]
    fn equality_ignores_order_but_not_members() {
        assert_eq!(object(r#"{"a":1,"b":{"c":2,"d":3}}"#), object(r#"{"b":{"d":3,"c":2},"a":1}"#));
        assert_ne!(object(r#"{"a":1,"b":2}"#), object(r#"{"a":1,"b":3}"#));
        assert_ne!(object(r#"{"a":1,"b":2}"#), object(r#"{"a":1,"c":2}"#));
        assert_ne!(object(r#"{"a":1}"#), object(r#"{"a":1,"b":2}"#));
        assert_ne!(object(r#"{"a":1,"b":2}"#), object(r#"{"a":1}"#));
        assert_eq!(JsonObject::new(), JsonObject::default());
    }

    #[test]
    fn collects_and_extends_like_repeated_inserts() {
        let mut map: JsonObject = pairs(&[("b", 1), ("a", 2), ("b", 3)]).into_iter().collect();
        assert_eq!(map.to_json_string(), r#"{"b":3,"a":2}"#);
        map.extend(pairs(&[("c", 4), ("a", 5)]));
        assert_eq!(map.to_json_string(), r#"{"b":3,"a":5,"c":4}"#);
        assert_eq!(map, pairs(&[("c", 4), ("a", 5), ("b", 3)]).into_iter().collect());
    }
}
