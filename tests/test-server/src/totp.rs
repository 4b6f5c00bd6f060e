//! TOTP for MFA factors: RFC 4648 base32, RFC 4226 HOTP / RFC 6238 TOTP with HMAC-SHA1, the
//! `otpauth://` URI authenticator apps read, and its QR code as SVG markup.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

/// GoTrue's TOTP parameters: 30 s steps, 6 digits, one step of clock skew either way.
pub const PERIOD: i64 = 30;
pub const DIGITS: u32 = 6;
pub const SKEW: i64 = 1;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding.
pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes RFC 4648 base32, case-insensitively, ignoring `=` padding and spaces.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        if c == b'=' || c == b' ' {
            continue;
        }
        let v = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

/// A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), 32 base32 characters.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

/// RFC 4226 HOTP: dynamic truncation of HMAC-SHA1(key, counter), reduced to `digits` digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    // HMAC accepts keys of any length.
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC key of any size");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let bin = (u32::from(h[offset] & 0x7f) << 24)
        | (u32::from(h[offset + 1]) << 16)
        | (u32::from(h[offset + 2]) << 8)
        | u32::from(h[offset + 3]);
    let modulus = 10u64.pow(digits);
    format!("{:0width$}", u64::from(bin) % modulus, width = digits as usize)
}

/// RFC 6238 TOTP at Unix time `unix` (T0 = 0).
pub fn totp(key: &[u8], unix: i64, digits: u32) -> String {
    hotp(key, unix.div_euclid(PERIOD).max(0) as u64, digits)
}

/// The 6-digit code for a base32 secret at `unix`; `None` for a secret that does not decode.
pub fn code_for(secret_b32: &str, unix: i64) -> Option<String> {
    base32_decode(secret_b32).map(|k| totp(&k, unix, DIGITS))
}

/// Accepts the code of the current step or one step either side.
pub fn verify(secret_b32: &str, code: &str, unix: i64) -> bool {
    let Some(key) = base32_decode(secret_b32) else {
        return false;
    };
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    (-SKEW..=SKEW).any(|d| {
        let candidate = totp(&key, unix + d * PERIOD, DIGITS);
        // Compare without an early exit.
        candidate.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    })
}

/// Percent-encodes everything outside RFC 3986's unreserved set (spaces as `%20`).
fn uri_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>`. The `@` of an e-mail
/// account name is kept as is, as authenticator apps expect.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let account = uri_escape(account).replace("%40", "@");
    let issuer = uri_escape(issuer);
    format!("otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}")
}

/// The URI as a QR code in raw SVG markup (what GoTrue returns in `totp.qr_code`).
pub fn qr_svg(data: &str) -> String {
    use qrcode::render::svg;
    use qrcode::{EcLevel, QrCode};
    // High error correction like GoTrue; fall back to lower levels for long URIs.
    let code = [EcLevel::H, EcLevel::Q, EcLevel::M, EcLevel::L]
        .into_iter()
        .find_map(|ec| QrCode::with_error_correction_level(data.as_bytes(), ec).ok());
    match code {
        Some(code) => code.render::<svg::Color>().min_dimensions(200, 200).quiet_zone(true).build(),
        // Longer than any QR code can hold (about 2.9 KB): a plain SVG that still carries the URI.
        None => {
            let escaped = data.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"20\"><text x=\"0\" y=\"15\">{escaped}</text></svg>"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows: the key is the ASCII string "12345678901234567890".
    #[test]
    fn rfc6238_sha1_vectors() {
        let key = b"12345678901234567890";
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (t, want) in vectors {
            assert_eq!(totp(key, t, 8), want, "T = {t}");
            // Six digits are the same truncation, mod 10^6.
            assert_eq!(totp(key, t, 6), want[2..], "T = {t}");
        }
    }

    /// RFC 4226 appendix D: HOTP values for counters 0..9.
    #[test]
    fn rfc4226_hotp_vectors() {
        let key = b"12345678901234567890";
        let want = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
        for (c, w) in want.iter().enumerate() {
            assert_eq!(hotp(key, c as u64, 6), *w);
        }
    }

    #[test]
    fn base32_round_trip_and_rfc4648_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(raw.as_bytes()), enc);
            assert_eq!(base32_decode(enc).unwrap(), raw.as_bytes());
        }
        assert_eq!(base32_decode("mzxw6ytboi======").unwrap(), b"foobar");
        assert!(base32_decode("MZ1").is_none());
        let s = new_secret();
        assert_eq!(s.len(), 32);
        assert!(s.bytes().all(|c| ALPHABET.contains(&c)));
    }

    #[test]
    fn verify_accepts_one_step_of_skew() {
        let secret = base32_encode(b"12345678901234567890");
        let now = 1_111_111_111;
        let code = code_for(&secret, now).unwrap();
        assert!(verify(&secret, &code, now));
        assert!(verify(&secret, &code, now + PERIOD));
        assert!(verify(&secret, &code, now - PERIOD));
        assert!(!verify(&secret, &code, now + 3 * PERIOD));
        assert!(!verify(&secret, "12345", now));
        assert!(!verify(&secret, "abcdef", now));
        assert!(!verify("not base32!", &code, now));
    }

    #[test]
    fn uri_and_qr() {
        assert_eq!(
            otpauth_uri("My App", "a+b@example.com", "ABC"),
            "otpauth://totp/My%20App:a%2Bb@example.com?secret=ABC&issuer=My%20App"
        );
        let svg = qr_svg("otpauth://totp/x:y?secret=ABC&issuer=x");
        assert!(svg.contains("<svg"), "{svg}");
        assert!(svg.contains("</svg>"));
    }
}
