//! URL pieces built and read by hand: the `url` crate alone would weigh more than the
//! rest of the client in the wasm build.

/// Percent-encodes `text` as JavaScript's `encodeURIComponent` does.
pub(crate) fn encode_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')' => {
                out.push(byte as char)
            }
            _ => {
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 0x0f)] as char);
            }
        }
    }
    out
}

/// `key=value&…`, each part percent-encoded.
pub(crate) fn encode_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (index, (key, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(&encode_component(key.as_ref()));
        out.push('=');
        out.push_str(&encode_component(value.as_ref()));
    }
    out
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space). Invalid escapes are
/// kept as written and invalid UTF-8 is replaced, as browsers do, rather than failing.
pub(crate) fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => out.push(b' '),
            b'%' => {
                let high = bytes.get(index + 1).and_then(|b| (*b as char).to_digit(16));
                let low = bytes.get(index + 2).and_then(|b| (*b as char).to_digit(16));
                match (high, low) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        index += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        index += 1;
    }
    utf8_lossy(out)
}

/// `String::from_utf8_lossy`'s result (U+FFFD for each invalid sequence, by the same rule),
/// built on `from_utf8`, which the wasm has anyway: the lossy decoder's own iterator would
/// add its code for this one use.
fn utf8_lossy(bytes: Vec<u8>) -> String {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return text,
        Err(error) => error.into_bytes(),
    };
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes.as_slice();
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                out.push_str(valid);
                return out;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                match error.error_len() {
                    Some(len) => rest = after.get(len..).unwrap_or_default(),
                    // Cut short at the end: one replacement for the rest.
                    None => return out,
                }
            }
        }
    }
}

/// Splits `a=1&b=2` (no leading `?` or `#`) into decoded pairs, keeping their order.
pub(crate) fn parse_params(text: &str) -> Vec<(String, String)> {
    // A plain loop: a collected iterator chain is an adapter instance of its own.
    let mut params = Vec::new();
    for part in crate::text::split(text, b'&').filter(|part| !part.is_empty()) {
        params.push(match crate::text::split_once(part, b'=') {
            Some((key, value)) => (decode_component(key), decode_component(value)),
            None => (decode_component(part), String::new()),
        });
    }
    params
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode_component("http://x.y/?q=1#f"), "http%3A%2F%2Fx.y%2F%3Fq%3D1%23f");
        assert_eq!(
            encode_query(&[("grant_type", "password"), ("redirect_to", "a b")]),
            "grant_type=password&redirect_to=a%20b"
        );
    }

    #[test]
    fn decodes_form_encoding() {
        assert_eq!(decode_component("Email+link+is%20invalid"), "Email link is invalid");
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(decode_component("%C3%A9"), "é");
        assert_eq!(decode_component("%FF"), "\u{FFFD}");
    }

    #[test]
    fn parses_params_in_order() {
        let params = parse_params("access_token=abc&expires_in=3600&sb=&flag&&type=recovery");
        assert_eq!(params[0], ("access_token".into(), "abc".into()));
        assert_eq!(params[2], ("sb".into(), "".into()));
        assert_eq!(params[3], ("flag".into(), "".into()));
        assert_eq!(params[4], ("type".into(), "recovery".into()));
    }

    proptest::proptest! {
        #[test]
        fn decode_inverts_encode(text in "\\PC*") {
            proptest::prop_assert_eq!(decode_component(&encode_component(&text)), text);
        }

        #[test]
        fn invalid_utf8_is_replaced_as_std_replaces_it(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..24)) {
            let escaped: String = bytes.iter().map(|byte| format!("%{byte:02X}")).collect();
            proptest::prop_assert_eq!(decode_component(&escaped), String::from_utf8_lossy(&bytes).into_owned());
        }

        #[test]
        fn parsing_never_panics(text in "[%&=+a-z0-9\\PC]*") {
            let _ = parse_params(&text);
        }
    }
}
