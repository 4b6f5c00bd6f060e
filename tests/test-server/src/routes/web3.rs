//! `POST /token?grant_type=web3` (contract §4.3): Sign-In with Ethereum (EIP-4361, `personal_sign`
//! signatures) and Sign-In with Solana (ed25519). Needs `--web3`.
//!
//! The message's URI must pass the redirect rules (§1; loopback is always allowed) and use https
//! unless it points at this machine; `Issued At` must lie within the last 10 minutes (one minute
//! of clock skew into the future is tolerated), `Expiration Time` must not have passed and
//! `Not Before` must have. Users are found or created by their `web3` identity, whose `id` is
//! `web3:<chain>:<address>` (Ethereum addresses lower-cased).

use super::external_identity::{self, External};
use super::id_token::{oauth, GrantError};
use super::{ok, read_json};
use crate::errors::ApiError;
use crate::redirect::is_redirect_valid;
use crate::state::AppState;
use crate::tokens::issue_session;
use axum::body::Body;
use axum::response::Response;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha3::{Digest, Keccak256};

/// `…_MAXIMUM_VALIDITY_DURATION`: how old `Issued At` may be.
pub const MAX_VALIDITY_SECS: i64 = 600;
/// How far in the future `Issued At` may lie.
pub const CLOCK_SKEW_SECS: i64 = 60;
const MIN_MESSAGE: usize = 64;
const MAX_MESSAGE: usize = 20 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chain {
    Ethereum,
    Solana,
}

impl Chain {
    pub fn parse(s: &str) -> Option<Chain> {
        match s {
            "ethereum" => Some(Chain::Ethereum),
            "solana" => Some(Chain::Solana),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Chain::Ethereum => "ethereum",
            Chain::Solana => "solana",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Chain::Ethereum => "Ethereum",
            Chain::Solana => "Solana",
        }
    }
}

/// The fields of a SIWE / SIWS message.
#[derive(Debug, Default, PartialEq)]
pub struct SignInMessage {
    pub domain: String,
    pub address: String,
    pub statement: String,
    pub uri: String,
    pub version: String,
    pub chain_id: String,
    pub nonce: String,
    pub issued_at: i64,
    pub expiration_time: Option<i64>,
    pub not_before: Option<i64>,
    pub request_id: String,
    pub resources: Vec<String>,
}

/// Parses the EIP-4361 layout (which SIWS shares): header line, address, optional statement,
/// then `Key: value` fields.
pub fn parse_message(chain: Chain, text: &str) -> Result<SignInMessage, String> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let suffix = format!(" wants you to sign in with your {} account:", chain.title());
    let domain = lines
        .first()
        .and_then(|l| l.strip_suffix(suffix.as_str()))
        .filter(|d| !d.is_empty() && !d.contains(char::is_whitespace))
        .ok_or_else(|| format!("first line must be \"<domain>{suffix}\""))?;
    // EIP-4361 allows `scheme://` before the domain.
    let domain = domain.split_once("://").map_or(domain, |(_, d)| d);
    let mut m = SignInMessage {
        domain: domain.to_string(),
        address: lines.get(1).unwrap_or(&"").trim().to_string(),
        ..Default::default()
    };
    if m.address.is_empty() {
        return Err("second line must be the address".into());
    }
    let mut statement: Vec<&str> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut in_resources = false;
    let mut issued_at = None;
    for line in lines.iter().skip(2) {
        if in_resources {
            if let Some(r) = line.strip_prefix("- ") {
                m.resources.push(r.to_string());
                continue;
            }
            in_resources = false;
        }
        if *line == "Resources:" {
            in_resources = true;
            continue;
        }
        let field = line.split_once(": ").filter(|(k, _)| FIELDS.contains(k));
        let Some((key, value)) = field else {
            if line.is_empty() {
                continue;
            }
            if !seen.is_empty() {
                return Err(format!("unexpected line {line:?}"));
            }
            statement.push(line);
            continue;
        };
        if seen.contains(&key) {
            return Err(format!("{key} given twice"));
        }
        seen.push(key);
        let value = value.trim();
        let time = |v: &str| parse_rfc3339(v).ok_or_else(|| format!("{key} is not an RFC 3339 time"));
        match key {
            "URI" => m.uri = value.to_string(),
            "Version" => m.version = value.to_string(),
            "Chain ID" => m.chain_id = value.to_string(),
            "Nonce" => m.nonce = value.to_string(),
            "Issued At" => issued_at = Some(time(value)?),
            "Expiration Time" => m.expiration_time = Some(time(value)?),
            "Not Before" => m.not_before = Some(time(value)?),
            "Request ID" => m.request_id = value.to_string(),
            _ => {}
        }
    }
    m.statement = statement.join("\n");
    if m.uri.is_empty() {
        return Err("URI is required".into());
    }
    if m.version != "1" {
        return Err("Version must be 1".into());
    }
    m.issued_at = issued_at.ok_or("Issued At is required")?;
    match chain {
        Chain::Ethereum => {
            let hex_ok =
                m.address.strip_prefix("0x").is_some_and(|h| h.len() == 40 && h.bytes().all(|c| c.is_ascii_hexdigit()));
            if !hex_ok {
                return Err("address must be 0x followed by 40 hex digits".into());
            }
            if m.chain_id.is_empty() || !m.chain_id.bytes().all(|c| c.is_ascii_digit()) {
                return Err("Chain ID must be a number".into());
            }
            if m.nonce.len() < 8 || !m.nonce.bytes().all(|c| c.is_ascii_alphanumeric()) {
                return Err("Nonce must be at least 8 letters or digits".into());
            }
        }
        Chain::Solana => {
            if solana_key(&m.address).is_none() {
                return Err("address must be a base58-encoded ed25519 public key".into());
            }
        }
    }
    Ok(m)
}

const FIELDS: [&str; 8] =
    ["URI", "Version", "Chain ID", "Nonce", "Issued At", "Expiration Time", "Not Before", "Request ID"];

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` → Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            let o = oh * 3600 + om * 60;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Host of an absolute URI (brackets of IPv6 literals removed), lower-cased.
fn uri_host(uri: &str) -> Option<(String, String)> {
    let (scheme, rest) = uri.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        v6.split_once(']')?.0
    } else {
        hostport.split_once(':').map_or(hostport, |(h, _)| h)
    };
    (!host.is_empty()).then(|| (scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

fn is_local_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// The EIP-191 `personal_sign` digest.
pub fn personal_sign_digest(message: &[u8]) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(format!("\x19Ethereum Signed Message:\n{}", message.len()).as_bytes());
    h.update(message);
    h.finalize().into()
}

/// `0x` + the last 20 bytes of Keccak-256 of the uncompressed public key, lower-case hex.
pub fn eth_address(key: &k256::ecdsa::VerifyingKey) -> String {
    let point = key.to_encoded_point(false);
    let hash = Keccak256::digest(&point.as_bytes()[1..]);
    format!("0x{}", hex(&hash[12..]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// Recovers the `personal_sign` signer of `message` from `0x` + hex(r ‖ s ‖ v).
pub fn recover_eth_signer(message: &[u8], signature: &str) -> Result<String, String> {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
    let bytes = signature
        .strip_prefix("0x")
        .and_then(unhex)
        .filter(|b| b.len() == 65)
        .ok_or("Signature must be 0x followed by 65 bytes in hex")?;
    let v = match bytes[64] {
        v @ (0 | 1) => v,
        v @ (27 | 28) => v - 27,
        _ => return Err("Signature has an invalid recovery byte".into()),
    };
    let mut sig = Signature::from_slice(&bytes[..64]).map_err(|_| "Signature is not valid")?;
    let mut recid = RecoveryId::from_byte(v).ok_or("Signature has an invalid recovery byte")?;
    // Wallets send low-S signatures; a high-S one is the same signature with R's parity flipped.
    if let Some(low) = sig.normalize_s() {
        sig = low;
        recid = RecoveryId::new(!recid.is_y_odd(), recid.is_x_reduced());
    }
    let key = VerifyingKey::recover_from_prehash(&personal_sign_digest(message), &sig, recid)
        .map_err(|_| "Signature does not match address in message")?;
    Ok(eth_address(&key))
}

fn solana_key(address: &str) -> Option<ed25519_dalek::VerifyingKey> {
    let bytes: [u8; 32] = bs58::decode(address).into_vec().ok()?.try_into().ok()?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok()
}

/// Verifies an ed25519 signature (base64 or base64url, padded or not) of `message` by the
/// base58 public key `address`.
pub fn verify_solana(message: &[u8], address: &str, signature: &str) -> Result<(), String> {
    use ed25519_dalek::Verifier;
    let raw = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|e| e.decode(signature.trim()).ok())
        .ok_or("Signature not encoded as base64 or base64url")?;
    let raw: [u8; 64] = raw.try_into().map_err(|_| "Signature is not 64 bytes long")?;
    let key = solana_key(address).ok_or("Address is not an ed25519 public key")?;
    key.verify(message, &ed25519_dalek::Signature::from_bytes(&raw))
        .map_err(|_| "Signature does not match address in message".to_string())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Web3Params {
    chain: Option<String>,
    message: Option<String>,
    signature: Option<String>,
}

pub async fn grant(st: &AppState, body: Body) -> Result<Response, GrantError> {
    if !st.cfg.web3 {
        return Err(ApiError::unprocessable("web3_provider_disabled", "Web3 provider is disabled").into());
    }
    let p: Web3Params = read_json(body).await?;
    let chain = Chain::parse(p.chain.as_deref().unwrap_or(""))
        .ok_or_else(|| ApiError::bad_request("web3_unsupported_chain", "Unsupported chain"))?;
    let title = chain.title();
    let message = p.message.unwrap_or_default();
    let signature = p.signature.unwrap_or_default();
    if !(MIN_MESSAGE..=MAX_MESSAGE).contains(&message.len()) {
        return Err(oauth(
            "invalid_grant",
            format!("{title} message must be between {MIN_MESSAGE} and {MAX_MESSAGE} bytes"),
        ));
    }
    let m = parse_message(chain, &message)
        .map_err(|e| oauth("invalid_grant", format!("Signed {title} message is not formatted correctly: {e}")))?;
    let Some((scheme, host)) = uri_host(&m.uri) else {
        return Err(oauth("invalid_grant", format!("Signed {title} message has an invalid URI")));
    };
    if !is_redirect_valid(&st.cfg, &m.uri) {
        return Err(oauth(
            "invalid_grant",
            format!("Signed {title} message is using URI which is not allowed on this server, message was signed for another app"),
        ));
    }
    if scheme != "https" && !is_local_host(&host) {
        return Err(oauth("invalid_grant", format!("Signed {title} message is using URI which does not use HTTPS")));
    }
    let now = st.now().secs();
    if now < m.issued_at - CLOCK_SKEW_SECS {
        return Err(oauth("invalid_grant", format!("{title} message was issued too far in the future")));
    }
    if now > m.issued_at + MAX_VALIDITY_SECS {
        return Err(oauth("invalid_grant", format!("{title} message was issued too long ago")));
    }
    if m.expiration_time.is_some_and(|exp| now >= exp) {
        return Err(oauth("invalid_grant", format!("{title} message has expired")));
    }
    if m.not_before.is_some_and(|nbf| now < nbf) {
        return Err(oauth("invalid_grant", format!("{title} message becomes valid in the future")));
    }
    let address = match chain {
        Chain::Ethereum => {
            let signer = recover_eth_signer(message.as_bytes(), &signature).map_err(|e| oauth("invalid_grant", e))?;
            if !signer.eq_ignore_ascii_case(&m.address) {
                return Err(oauth("invalid_grant", "Signature does not match address in message"));
            }
            m.address.to_ascii_lowercase()
        }
        Chain::Solana => {
            verify_solana(message.as_bytes(), &m.address, &signature).map_err(|e| oauth("invalid_grant", e))?;
            m.address.clone()
        }
    };

    let subject = format!("web3:{}:{address}", chain.id());
    let mut claims = Map::new();
    claims.insert("address".into(), json!(m.address));
    claims.insert("chain".into(), json!(chain.id()));
    claims.insert("domain".into(), json!(m.domain));
    claims.insert("network".into(), json!(m.chain_id));
    claims.insert("statement".into(), json!(m.statement));
    let mut data = Map::new();
    data.insert("sub".into(), json!(subject));
    data.insert("custom_claims".into(), Value::Object(claims));
    let ext = External { provider: "web3".into(), subject, email: String::new(), email_verified: false, data };
    let now = st.now();
    let mut store = st.lock();
    let user_id = external_identity::sign_in(st, &mut store, &ext, now)?;
    let body = issue_session(st, &mut store, user_id, "web3", now);
    Ok(ok(Value::Object(body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k256::ecdsa::SigningKey;

    fn siwe(address: &str, issued_at: &str) -> String {
        format!(
            "localhost:3000 wants you to sign in with your Ethereum account:\n{address}\n\nSign in to the test app.\n\nURI: http://localhost:3000/login\nVersion: 1\nChain ID: 1\nNonce: abcdef123456\nIssued At: {issued_at}"
        )
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2024-02-29T12:34:56.789Z"), Some(1_709_210_096));
        assert_eq!(parse_rfc3339("2024-02-29T14:34:56+02:00"), Some(1_709_210_096));
        assert_eq!(parse_rfc3339("2024-02-29T12:34:56"), None);
        assert_eq!(parse_rfc3339("2024-13-29T12:34:56Z"), None);
        assert_eq!(parse_rfc3339("2024-02-29T12:34:56.Z"), None);
        assert_eq!(parse_rfc3339("é024-02-29T12:34:56Z"), None);
    }

    #[test]
    fn parses_siwe() {
        let addr = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
        let m = parse_message(Chain::Ethereum, &siwe(addr, "2024-01-01T00:00:00Z")).unwrap();
        assert_eq!(m.domain, "localhost:3000");
        assert_eq!(m.address, addr);
        assert_eq!(m.statement, "Sign in to the test app.");
        assert_eq!(m.uri, "http://localhost:3000/login");
        assert_eq!(m.chain_id, "1");
        assert_eq!(m.nonce, "abcdef123456");
        assert_eq!(m.issued_at, 1_704_067_200);
        assert!(parse_message(Chain::Solana, &siwe(addr, "2024-01-01T00:00:00Z")).is_err());
        assert!(parse_message(Chain::Ethereum, "garbage").is_err());
        assert!(parse_message(Chain::Ethereum, "").is_err());
    }

    /// web3.js documents this key, address and `sign("Some data")` result.
    #[test]
    fn recovers_a_known_personal_sign_signature() {
        let sig = "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";
        assert_eq!(recover_eth_signer(b"Some data", sig).unwrap(), "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
    }

    #[test]
    fn ethereum_signature_round_trip_and_tampering() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let address = eth_address(key.verifying_key());
        let message = siwe(&address, "2024-01-01T00:00:00Z");
        let (sig, recid) = key.sign_prehash_recoverable(&personal_sign_digest(message.as_bytes())).unwrap();
        let hex_sig = format!("0x{}{:02x}", hex(&sig.to_bytes()), recid.to_byte() + 27);
        assert_eq!(recover_eth_signer(message.as_bytes(), &hex_sig).unwrap(), address);
        let tampered = message.replace("Nonce: abcdef123456", "Nonce: abcdef123457");
        assert_ne!(recover_eth_signer(tampered.as_bytes(), &hex_sig).ok(), Some(address));
        for bad in ["", "0x", "0x00", "zz", &hex_sig[..hex_sig.len() - 2]] {
            assert!(recover_eth_signer(message.as_bytes(), bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn solana_signature_round_trip_and_tampering() {
        use ed25519_dalek::Signer;
        let key = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
        let address = bs58::encode(key.verifying_key().as_bytes()).into_string();
        let message = format!(
            "localhost wants you to sign in with your Solana account:\n{address}\n\nURI: http://localhost/\nVersion: 1\nIssued At: 2024-01-01T00:00:00Z"
        );
        assert!(parse_message(Chain::Solana, &message).is_ok());
        let sig = key.sign(message.as_bytes()).to_bytes();
        for encoded in [STANDARD.encode(sig), URL_SAFE_NO_PAD.encode(sig)] {
            assert_eq!(verify_solana(message.as_bytes(), &address, &encoded), Ok(()));
        }
        let tampered = message.replace("Version: 1", "Version: 1 ");
        assert!(verify_solana(tampered.as_bytes(), &address, &STANDARD.encode(sig)).is_err());
        assert!(verify_solana(message.as_bytes(), &address, "not base64!").is_err());
        assert!(verify_solana(message.as_bytes(), "0OIl", &STANDARD.encode(sig)).is_err());
    }
}
