//! JSON without serde. The wire types read and write themselves through [`FromJson`] and
//! [`ToJson`], so the wasm build carries one small parser and one writer instead of a
//! deserializer per type (size notes: that is where the bytes of a serde design go).
//!
//! Numbers keep the text they were written with ([`JsonNumber`]): nothing here formats or
//! parses floating point, and a server's `1714558830` comes back out exactly as it came in.
//! Parse failures carry no message built from the input, so no token can end up in one.

use crate::error::AuthError;
use crate::types::{JsonObject, JsonValue};

/// Nesting deeper than this is refused instead of recursing on: a hostile body cannot
/// exhaust the stack. Deep enough for any metadata an app stores (the browser's own
/// `JSON.parse`, which this replaces, has no small limit either).
const MAX_DEPTH: u32 = 1000;

/// A JSON number as written, e.g. `3`, `-0.5`, `1e9`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JsonNumber(String);

impl JsonNumber {
    /// The number's literal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The whole part of the number, if it fits an `i64`: `3.9` → `3`, `1e3` → `1000`,
    /// `-2.5` → `-2`. Digits are read directly so no float code is involved.
    pub fn as_i64(&self) -> Option<i64> {
        whole_part(&self.0)
    }
}

/// [`JsonNumber::as_i64`] of a number's text (checked by the parser's grammar).
fn whole_part(text: &str) -> Option<i64> {
    // One pass over the bytes, no allocation: the mantissa's digits after its leading
    // zeros are taken until the decimal point (moved by the exponent), then zeros pad.
    let bytes = text.as_bytes();
    let (negative, bytes) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (mantissa, exponent) = match bytes.iter().position(|&byte| byte | 0x20 == b'e') {
        Some(at) => {
            let (mantissa, rest) = bytes.split_at_checked(at)?;
            let exponent = parse_i64_bytes(rest.get(1..).unwrap_or_default())?;
            (mantissa, i64::from(i32::try_from(exponent).ok()?))
        }
        None => (bytes, 0),
    };
    let whole = mantissa.iter().position(|&byte| byte == b'.').unwrap_or(mantissa.len());
    // Where the decimal point falls among the significant digits.
    let mut point = i64::try_from(whole).ok()? + exponent;
    let mut value: i64 = 0;
    let mut significant = false;
    let mut taken = 0;
    for &byte in mantissa {
        if byte == b'.' {
            continue;
        }
        if !significant {
            if byte == b'0' {
                point -= 1;
                continue;
            }
            significant = true;
            if point <= 0 {
                return Some(0);
            }
            if point > 19 {
                return None;
            }
        }
        if taken == point {
            break;
        }
        value = push_digit(value, byte.wrapping_sub(b'0'), negative)?;
        taken += 1;
    }
    if !significant {
        return Some(0);
    }
    while taken < point {
        value = push_digit(value, 0, negative)?;
        taken += 1;
    }
    Some(value)
}

/// `value * 10 ± digit`, accumulated on the sign's side so that `i64::MIN` is reachable.
fn push_digit(value: i64, digit: u8, negative: bool) -> Option<i64> {
    let value = value.checked_mul(10)?;
    let digit = i64::from(digit);
    if negative {
        value.checked_sub(digit)
    } else {
        value.checked_add(digit)
    }
}

/// A decimal integer as `str::parse::<i64>` reads one (an optional sign, then digits only),
/// by hand: one small function instead of the standard library's parser per integer type.
pub(crate) fn parse_i64(text: &str) -> Option<i64> {
    parse_i64_bytes(text.as_bytes())
}

fn parse_i64_bytes(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for &byte in digits {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = push_digit(value, byte - b'0', negative)?;
    }
    Some(value)
}

/// Writes `number` in decimal. By hand rather than through `Display`, which would link the
/// whole formatting machinery (`core::fmt`) into the wasm for this one use.
pub(crate) fn push_decimal(out: &mut String, number: i64) {
    if number < 0 {
        out.push('-');
    }
    push_unsigned(out, number.unsigned_abs());
}

/// As [`push_decimal`], for unsigned numbers.
pub(crate) fn push_unsigned(out: &mut String, mut number: u64) {
    // Least significant digit first, from the end of a buffer long enough for u64::MAX.
    let mut digits = [0u8; 20];
    let mut count = 0;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (number % 10) as u8;
        count += 1;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    for &digit in digits.iter().skip(digits.len() - count) {
        out.push(char::from(digit));
    }
}

fn decimal(number: i64) -> String {
    let mut out = String::new();
    push_decimal(&mut out, number);
    out
}

impl From<i64> for JsonNumber {
    fn from(number: i64) -> Self {
        JsonNumber(decimal(number))
    }
}

impl From<i32> for JsonNumber {
    fn from(number: i32) -> Self {
        JsonNumber(decimal(i64::from(number)))
    }
}

impl From<u32> for JsonNumber {
    fn from(number: u32) -> Self {
        JsonNumber(decimal(i64::from(number)))
    }
}

impl From<u64> for JsonNumber {
    fn from(number: u64) -> Self {
        let mut out = String::new();
        push_unsigned(&mut out, number);
        JsonNumber(out)
    }
}

/// Why a body could not be read: the field at fault, or `None` when the text is not JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonError {
    field: Option<&'static str>,
}

impl JsonError {
    /// The text is not JSON.
    pub(crate) const SYNTAX: JsonError = JsonError { field: None };

    /// `field` is missing or has the wrong type.
    pub(crate) fn field(field: &'static str) -> Self {
        JsonError { field: Some(field) }
    }

    /// The name of the field at fault, if the text itself was JSON.
    pub fn field_name(&self) -> Option<&'static str> {
        self.field
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.field {
            Some(field) => write!(f, "the field `{field}` is missing or has the wrong type"),
            None => f.write_str("the text is not valid JSON"),
        }
    }
}

impl From<JsonError> for AuthError {
    fn from(error: JsonError) -> Self {
        AuthError::unknown(match error.field {
            Some(field) => crate::text::concat(&[
                "Could not read the server's JSON: `",
                field,
                "` is missing or has the wrong type",
            ]),
            None => "Could not read the server's JSON: the body is not valid JSON".to_string(),
        })
    }
}

/// Parses JSON text into a [`JsonValue`].
pub fn parse(text: &str) -> Result<JsonValue, JsonError> {
    let mut parser = Parser { bytes: text.as_bytes(), text, at: 0 };
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at == parser.bytes.len() {
        Ok(value)
    } else {
        Err(JsonError::SYNTAX)
    }
}

/// Parses JSON text straight into `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, JsonError> {
    T::from_json(&parse(text)?)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str, value: JsonValue) -> Result<JsonValue, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(JsonError::SYNTAX)
        }
    }

    fn value(&mut self, depth: u32) -> Result<JsonValue, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::SYNTAX);
        }
        self.skip_space();
        match self.peek().ok_or(JsonError::SYNTAX)? {
            b'n' => self.literal("null", JsonValue::Null),
            b't' => self.literal("true", JsonValue::Bool(true)),
            b'f' => self.literal("false", JsonValue::Bool(false)),
            b'"' => self.string().map(JsonValue::String),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(JsonError::SYNTAX);
                        }
                    }
                }
                Ok(JsonValue::Array(items))
            }
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_space();
                        if self.peek() != Some(b'"') {
                            return Err(JsonError::SYNTAX);
                        }
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return Err(JsonError::SYNTAX);
                        }
                        let value = self.value(depth + 1)?;
                        members.push((key, value));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(JsonError::SYNTAX);
                        }
                    }
                }
                Ok(JsonValue::Object(JsonObject::from_members(members)))
            }
            _ => self.number(),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<JsonValue, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        let whole = self.digits();
        if whole == 0 || (leading_zero && whole > 1) {
            return Err(JsonError::SYNTAX);
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(JsonError::SYNTAX);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(JsonError::SYNTAX);
            }
        }
        let text = self.text.get(start..self.at).ok_or(JsonError::SYNTAX)?;
        Ok(JsonValue::Number(JsonNumber(text.to_string())))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        // Digit by digit: `u32::from_str_radix` is a general parser for this one use.
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|byte| char::from(byte).to_digit(16)).ok_or(JsonError::SYNTAX)?;
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }

    /// Reads a string starting at its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let run_start = self.at;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // Quotes and backslashes are ASCII, so the run ends on a character boundary.
            out.push_str(self.text.get(run_start..self.at).ok_or(JsonError::SYNTAX)?);
            match self.peek().ok_or(JsonError::SYNTAX)? {
                b'"' => {
                    self.at += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.at += 1;
                    let escape = self.peek().ok_or(JsonError::SYNTAX)?;
                    self.at += 1;
                    let decoded = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(JsonError::SYNTAX),
                    };
                    out.push(decoded);
                }
                _ => return Err(JsonError::SYNTAX),
            }
        }
    }

    /// A `\uXXXX` escape (after the `\u`). A surrogate without its pair, which
    /// `JSON.stringify` writes for a string cut inside an emoji, reads as U+FFFD, as the
    /// server (Go) and the browser's own string conversion read it.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.at..].starts_with(b"\\u") {
            let before_pair = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            // Not a pair: the second escape is read on its own next.
            self.at = before_pair;
        }
        Ok(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER))
    }
}

/// Types that read themselves from a parsed JSON value.
pub trait FromJson: Sized {
    /// Reads `value`, naming the offending field on failure.
    fn from_json(value: &JsonValue) -> Result<Self, JsonError>;

    /// Reads `text` as JSON, then as `Self`: e.g. a [`Session`](crate::Session) that
    /// [`ToJson::to_json_string`] wrote or auth-js stored.
    ///
    /// ```
    /// use gotrue_wasm::{FromJson, JsonValue};
    ///
    /// let value = JsonValue::from_json_str(r#"{"plan":"pro"}"#)?;
    /// assert_eq!(value.get("plan").and_then(JsonValue::as_str), Some("pro"));
    /// # Ok::<(), gotrue_wasm::JsonError>(())
    /// ```
    fn from_json_str(text: &str) -> Result<Self, JsonError> {
        Self::from_json(&parse(text)?)
    }
}

/// Types that write themselves as JSON text.
pub trait ToJson {
    /// Appends this value's JSON text to `out`.
    fn write_json(&self, out: &mut String);

    /// This value as JSON text.
    fn to_json_string(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// A JSON object of string members, in their order (request headers for fetch, a callback
/// URL's parameters for an app's `detectSessionInUrl`).
#[cfg(any(target_arch = "wasm32", test))]
pub(crate) fn string_object(pairs: &[(String, String)]) -> String {
    let mut out = String::from("{");
    for (name, value) in pairs {
        if out.len() > 1 {
            out.push(',');
        }
        write_string(&mut out, name);
        out.push(':');
        write_string(&mut out, value);
    }
    out.push('}');
    out
}

/// Writes a JSON string literal.
pub(crate) fn write_string(out: &mut String, text: &str) {
    out.push('"');
    let mut run_start = 0;
    for (at, character) in text.char_indices() {
        let escape = match character {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{0}'..='\u{1f}' => "",
            _ => continue,
        };
        out.push_str(&text[run_start..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let code = character as usize;
            out.push_str("\\u00");
            out.push(char::from(HEX[(code >> 4) & 0xf]));
            out.push(char::from(HEX[code & 0xf]));
        } else {
            out.push_str(escape);
        }
        run_start = at + character.len_utf8();
    }
    out.push_str(&text[run_start..]);
    out.push('"');
}

/// Writes an object field by field, skipping absent optional fields.
pub(crate) struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object in `out`.
    pub(crate) fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    fn key(&mut self, key: &str) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, key);
        self.out.push(':');
    }

    /// Writes `key: value`.
    pub(crate) fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        self.key(key);
        value.write_json(self.out);
        self
    }

    /// Writes `key: value` when there is a value.
    pub(crate) fn opt<T: ToJson>(&mut self, key: &str, value: &Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.field(key, value);
        }
        self
    }

    /// Writes `key` with JSON text that is already encoded.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js-api")), allow(dead_code))] // the JS layer's
    pub(crate) fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key);
        self.out.push_str(json);
        self
    }

    /// Closes the object.
    pub(crate) fn finish(&mut self) {
        self.out.push('}');
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(out, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for i64 {
    fn write_json(&self, out: &mut String) {
        push_decimal(out, *self);
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        push_decimal(out, i64::from(*self));
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        push_unsigned(out, *self);
    }
}

impl ToJson for u8 {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl ToJson for JsonObject {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        for (key, value) in self {
            object.field(key, value);
        }
        object.finish();
    }
}

impl ToJson for JsonValue {
    fn write_json(&self, out: &mut String) {
        match self {
            JsonValue::Null => out.push_str("null"),
            JsonValue::Bool(flag) => flag.write_json(out),
            JsonValue::Number(number) => out.push_str(number.as_str()),
            JsonValue::String(text) => write_string(out, text),
            JsonValue::Array(items) => items.write_json(out),
            JsonValue::Object(object) => object.write_json(out),
        }
    }
}

impl FromJson for JsonValue {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        Ok(value.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        value.as_str().map(str::to_string).ok_or(JsonError::SYNTAX)
    }
}

impl FromJson for bool {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        value.as_bool().ok_or(JsonError::SYNTAX)
    }
}

/// Whole seconds from an integer, a float (truncated) or a digit string (ASCII whitespace
/// around it allowed: `trim_ascii`, as `trim`'s Unicode tables are code of their own): stored
/// sessions written by other clients are not always strict about it.
impl FromJson for i64 {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        match value {
            JsonValue::Number(number) => number.as_i64(),
            JsonValue::String(text) => whole_part_checked(text.trim_ascii()),
            _ => None,
        }
        .ok_or(JsonError::SYNTAX)
    }
}

/// [`whole_part`] for text that has not been through the parser's grammar check.
fn whole_part_checked(text: &str) -> Option<i64> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let valid = !body.is_empty()
        && body.bytes().all(|byte| byte.is_ascii_digit() || byte == b'.')
        && body.bytes().filter(|&byte| byte == b'.').count() <= 1
        && body.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && body.as_bytes().last().is_some_and(u8::is_ascii_digit);
    if valid {
        whole_part(text)
    } else {
        None
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        // A plain loop: `collect::<Result<Vec<_>, _>>()` links an adapter per element type.
        let items = value.as_array().ok_or(JsonError::SYNTAX)?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::from_json(item)?);
        }
        Ok(out)
    }
}

impl FromJson for JsonObject {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        value.as_object().cloned().ok_or(JsonError::SYNTAX)
    }
}

/// Reads the fields of one JSON object, naming the field when one is wrong.
///
/// `null` and a missing field are the same thing to every reader here, as they are to the
/// server's Go structs.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'a>(&'a JsonObject);

impl<'a> Fields<'a> {
    /// The fields of `value`, or an error naming `what` when it is not an object.
    pub(crate) fn of(value: &'a JsonValue, what: &'static str) -> Result<Self, JsonError> {
        value.as_object().map(Fields).ok_or(JsonError::field(what))
    }

    /// The raw value of `key`, `None` when missing or null.
    pub(crate) fn get(&self, key: &str) -> Option<&'a JsonValue> {
        self.0.get(key).filter(|value| !matches!(value, JsonValue::Null))
    }

    /// Every member, null ones included.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js-api")), allow(dead_code))] // the JS layer's
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&'a String, &'a JsonValue)> {
        self.0.iter()
    }

    /// `key` read as `T`, `None` when missing or null.
    pub(crate) fn opt<T: FromJson>(&self, key: &'static str) -> Result<Option<T>, JsonError> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => T::from_json(value).map(Some).map_err(|error| rename(error, key)),
        }
    }

    /// `key` read as `T`; an error when missing or null.
    pub(crate) fn req<T: FromJson>(&self, key: &'static str) -> Result<T, JsonError> {
        self.opt(key)?.ok_or(JsonError::field(key))
    }

    /// `key` read as `T`, `T::default()` when missing or null.
    pub(crate) fn or_default<T: FromJson + Default>(&self, key: &'static str) -> Result<T, JsonError> {
        Ok(self.opt(key)?.unwrap_or_default())
    }
}

/// An error inside a field's value is reported with the innermost field name when it has
/// one, else with this field's name.
fn rename(error: JsonError, key: &'static str) -> JsonError {
    if error.field.is_some() {
        error
    } else {
        JsonError::field(key)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn string_objects_keep_order_and_escape() {
        let pairs = [("b".to_string(), "1".to_string()), ("a\"".to_string(), "line\n".to_string())];
        assert_eq!(string_object(&pairs), r#"{"b":"1","a\"":"line\n"}"#);
        assert_eq!(string_object(&[]), "{}");
        assert_eq!(parse(&string_object(&pairs)).unwrap().get("a\"").and_then(JsonValue::as_str), Some("line\n"));
    }

    #[test]
    fn writes_integers_as_display_does() {
        for number in [0, 7, -7, 10, 99, -100, 1_234_567_890, i64::MAX, i64::MIN] {
            let mut out = String::new();
            push_decimal(&mut out, number);
            assert_eq!(out, number.to_string());
        }
        let mut out = String::new();
        push_unsigned(&mut out, u64::MAX);
        assert_eq!(out, u64::MAX.to_string());
        assert_eq!(42_i64.to_json_string(), "42");
    }

    use super::*;
    use proptest::prelude::*;

    /// `as_i64` as first written (with `str::parse`, a digit vector and iterator chains),
    /// kept as the reference the allocation-free version must agree with.
    fn reference_whole_part(text: &str) -> Option<i64> {
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).skip_while(|&digit| digit == b'0').collect();
        let skipped = whole.len() + fraction.len() - digits.len();
        let point = i64::try_from(whole.len()).ok()? + i64::from(exponent) - i64::try_from(skipped).ok()?;
        if digits.is_empty() || point <= 0 {
            return Some(0);
        }
        if point > 19 {
            return None;
        }
        let mut value: i64 = 0;
        for index in 0..usize::try_from(point).ok()? {
            let digit = i64::from(digits.get(index).map_or(0, |digit| digit.wrapping_sub(b'0')));
            value = value.checked_mul(10)?;
            value = if negative { value.checked_sub(digit)? } else { value.checked_add(digit)? };
        }
        Some(value)
    }

    #[test]
    fn whole_parts_at_the_edges() {
        for (text, whole) in [
            ("0", Some(0)),
            ("-0", Some(0)),
            ("3.9", Some(3)),
            ("-2.5", Some(-2)),
            ("1e3", Some(1000)),
            ("1E+3", Some(1000)),
            ("12e-1", Some(1)),
            ("0.000123e4", Some(1)),
            ("0.5", Some(0)),
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("1e19", None),
            ("1e18", Some(1_000_000_000_000_000_000)),
            ("1e2147483648", None),
            ("0e99999999999", None),
            ("0.0e5", Some(0)),
        ] {
            assert_eq!(JsonNumber(text.to_string()).as_i64(), whole, "{text}");
            assert_eq!(reference_whole_part(text), whole, "{text}");
        }
    }

    fn round_trip(text: &str) -> String {
        parse(text).unwrap().to_json_string()
    }

    #[test]
    fn reads_and_writes_every_kind_of_value() {
        let text = r#"{"a":[1,2.5,"x",true,null,-0.5e-3],"b":{"c":-3},"d":""}"#;
        assert_eq!(round_trip(text), text);
        assert_eq!(round_trip(" [ ] "), "[]");
        assert_eq!(round_trip("{ }"), "{}");
    }

    #[test]
    fn numbers_keep_their_text() {
        assert_eq!(round_trip("1714558830123456789"), "1714558830123456789");
        assert_eq!(round_trip("1E+2"), "1E+2");
    }

    #[test]
    fn decodes_escapes_and_writes_them_back() {
        let value = parse(r#""a\"b\\c\/d\n\u00e9\ud83d\ude00\u0001""#).unwrap();
        assert_eq!(value.as_str(), Some("a\"b\\c/d\n\u{e9}\u{1f600}\u{1}"));
        assert_eq!(value.to_json_string(), "\"a\\\"b\\\\c/d\\n\u{e9}\u{1f600}\\u0001\"");
        assert_eq!(parse(r#""\u00E9\uD83D\uDE00\uFfFd""#).unwrap().as_str(), Some("\u{e9}\u{1f600}\u{fffd}"));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\":}",
            "{a:1}",
            "01",
            "1.",
            "-",
            ".5",
            "1e",
            "\"\\x\"",
            "\"\u{1}\"",
            "tru",
            "nul",
            "[1 2]",
            "{\"a\":1,}",
            "\"\\ud800\\u12\"",
            "\"\\u12G4\"",
            "\"\\u-123\"",
            "\"\\u+123\"",
            "1 2",
            "\"abc",
        ] {
            assert_eq!(parse(text), Err(JsonError::SYNTAX), "{text:?}");
        }
    }

    #[test]
    fn a_surrogate_without_its_pair_reads_as_the_replacement_character() {
        // What JSON.stringify writes for a string cut inside an emoji.
        assert_eq!(parse(r#""a\ud83d""#).unwrap().as_str(), Some("a\u{fffd}"));
        assert_eq!(parse(r#""\ude00b""#).unwrap().as_str(), Some("\u{fffd}b"));
        assert_eq!(parse(r#""\ud83d\u0041""#).unwrap().as_str(), Some("\u{fffd}A"));
        assert_eq!(parse(r#""\ud83d\ud83d\ude00""#).unwrap().as_str(), Some("\u{fffd}\u{1f600}"));
    }

    #[test]
    fn an_object_with_many_members_parses_in_linear_time() {
        let members: Vec<String> = (0..100_000).map(|n| format!("\"k{n}\":{n}")).collect();
        let text = format!("{{{},\"k5\":\"last\"}}", members.join(","));
        let started = std::time::Instant::now();
        let value = parse(&text).unwrap();
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        let object = value.as_object().unwrap();
        assert_eq!(object.len(), 100_000);
        assert_eq!(object.get("k5").and_then(JsonValue::as_str), Some("last"), "a repeated key: the last value wins");
        assert_eq!(object.keys().nth(5).map(String::as_str), Some("k5"), "in the first one's place");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        assert_eq!(parse(&text), Err(JsonError::SYNTAX));
        let deepest = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        assert!(parse(&deepest).is_ok(), "1000 levels, as deep user metadata may go");
        let too_deep = format!("{}{}", "[".repeat(1002), "]".repeat(1002));
        assert_eq!(parse(&too_deep), Err(JsonError::SYNTAX));
    }

    #[test]
    fn whole_seconds_from_any_number_form() {
        let read = |text: &str| i64::from_json(&parse(text).unwrap()).ok();
        assert_eq!(read("3600"), Some(3600));
        assert_eq!(read("3600.9"), Some(3600));
        assert_eq!(read("-2.5"), Some(-2));
        assert_eq!(read("1.7e9"), Some(1_700_000_000));
        assert_eq!(read("5e-1"), Some(0));
        assert_eq!(read("\"1714558830\""), Some(1_714_558_830));
        assert_eq!(read("\"12abc\""), None);
        assert_eq!(read("\"\""), None);
        assert_eq!(read("99999999999999999999"), None);
        assert_eq!(read("1e400"), None);
        assert_eq!(read("true"), None);
    }

    #[test]
    fn field_errors_name_the_field() {
        let value = parse(r#"{"a":{"b":1},"c":"x"}"#).unwrap();
        let fields = Fields::of(&value, "root").unwrap();
        assert_eq!(fields.req::<String>("c").unwrap(), "x");
        assert_eq!(fields.opt::<String>("missing").unwrap(), None);
        assert_eq!(fields.req::<String>("missing"), Err(JsonError::field("missing")));
        assert_eq!(fields.req::<String>("a"), Err(JsonError::field("a")));
        let message = AuthError::from(JsonError::field("a")).message().to_string();
        assert!(message.contains("`a`"), "{message}");
    }

    #[test]
    fn object_writer_skips_absent_fields() {
        let mut out = String::new();
        let mut object = ObjectWriter::new(&mut out);
        object.field("a", "x").opt::<String>("b", &None).opt("c", &Some(true)).raw("d", "[1]");
        object.finish();
        assert_eq!(out, r#"{"a":"x","c":true,"d":[1]}"#);
    }

    fn json_value() -> impl Strategy<Value = JsonValue> {
        let leaf = prop_oneof![
            Just(JsonValue::Null),
            any::<bool>().prop_map(JsonValue::Bool),
            any::<i64>().prop_map(|n| JsonValue::Number(n.into())),
            ".*".prop_map(JsonValue::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(JsonValue::Array),
                prop::collection::vec((".*", inner), 0..6)
                    .prop_map(|pairs| JsonValue::Object(pairs.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn reads_digit_strings_with_ascii_whitespace_around_them() {
        let read = |text: &str| i64::from_json(&JsonValue::String(text.to_string())).ok();
        assert_eq!(read(" 1714558830 "), Some(1_714_558_830));
        assert_eq!(read("\t-42.9\r\n"), Some(-42));
        assert_eq!(read("4 2"), None);
        assert_eq!(read(" "), None);
        // Other spaces are not whitespace here (no stored session is written so).
        assert_eq!(read("\u{a0}42"), None);
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(text in ".*") {
            let _ = parse(&text);
        }

        #[test]
        fn never_panics_on_json_like_text(text in r#"[\[\]{}":,0-9eE.+\- a-z\\]{0,40}"#) {
            let _ = parse(&text);
        }

        #[test]
        fn what_it_writes_it_reads_back(value in json_value()) {
            let text = value.to_json_string();
            let read = parse(&text);
            // Written back the same, object members in the order they were read in.
            prop_assert_eq!(read.as_ref().map(ToJson::to_json_string), Ok(text));
            prop_assert_eq!(read, Ok(value));
        }

        #[test]
        fn agrees_with_serde_json_on_what_is_json(text in r#"[\[\]{}":,0-9eE.+\- tfrueanl\\]{0,24}"#) {
            let ours = parse(&text).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            prop_assert_eq!(ours, theirs, "{}", text);
        }

        #[test]
        fn whole_part_agrees_with_the_first_implementation(text in r#"-?(0|[1-9][0-9]{0,22})(\.[0-9]{1,22})?([eE][+-]?[0-9]{1,11})?"#) {
            prop_assert_eq!(JsonNumber(text.clone()).as_i64(), reference_whole_part(&text), "{}", text);
        }

        #[test]
        fn reads_integers_as_the_standard_parser_does(text in r#"[+-]?[0-9]{0,21}|[+-]?[0-9a ]{0,4}|.{0,6}"#) {
            prop_assert_eq!(parse_i64(&text), text.parse::<i64>().ok(), "{}", text);
        }

        #[test]
        fn whole_part_matches_integers(number in any::<i64>()) {
            prop_assert_eq!(JsonNumber::from(number).as_i64(), Some(number));
        }
    }
}
