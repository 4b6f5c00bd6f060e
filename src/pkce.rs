//! PKCE (RFC 7636) as auth-js does it: a 112-hex-character verifier, an S256 challenge, and
//! the verifier kept in storage per flow until the code comes back.
//!
//! Storage layout (each value a JSON string, exactly as auth-js writes it):
//! - `<key>-flow-<flowId>-code-verifier`: the verifier, with `/recovery` appended for
//!   password-recovery flows;
//! - `<key>-flows-code-verifier`: a JSON array of at most [`MAX_STORED_FLOWS`] flow ids,
//!   oldest first;
//! - `<key>-code-verifier`: the legacy single slot, for redirects that lost `sb_flow_id`.

use std::fmt;

use crate::error::AuthError;
use crate::json::ToJson;
use crate::runtime::Runtime;
use crate::storage::Storage;

/// How many pending PKCE flows are remembered; older ones are forgotten.
pub const MAX_STORED_FLOWS: usize = 5;

const RECOVERY_SUFFIX: &str = "/recovery";

/// The secret half of PKCE. Not `Clone`, and `Debug` is redacted.
pub struct PkceCodeVerifier(String);

impl PkceCodeVerifier {
    /// A fresh verifier: 56 random bytes as 112 lowercase hex characters.
    pub fn generate(runtime: &dyn Runtime) -> Result<Self, AuthError> {
        let mut bytes = [0u8; 56];
        runtime.fill_random(&mut bytes)?;
        Ok(PkceCodeVerifier(hex(&bytes)))
    }

    /// The verifier itself.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// The S256 challenge: base64url (no padding) of the verifier's SHA-256. Where the
    /// platform has no SHA-256 (WebCrypto is missing outside secure contexts), the `plain`
    /// method, as auth-js falls back to.
    pub async fn challenge(&self, runtime: &dyn Runtime) -> Result<PkceCodeChallenge, AuthError> {
        match runtime.sha256(self.0.as_bytes()).await {
            Ok(digest) => Ok(PkceCodeChallenge { challenge: crate::jwt::base64url_encode(&digest), method: "s256" }),
            Err(_) => {
                crate::log::warn("gotrue-wasm: WebCrypto is unavailable; using the plain PKCE method");
                Ok(PkceCodeChallenge { challenge: self.0.clone(), method: "plain" })
            }
        }
    }
}

impl fmt::Debug for PkceCodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceCodeVerifier(<redacted>)")
    }
}

/// The public half of PKCE, sent with the request that starts the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PkceCodeChallenge {
    challenge: String,
    method: &'static str,
}

impl PkceCodeChallenge {
    /// The challenge text.
    pub fn as_str(&self) -> &str {
        &self.challenge
    }

    /// The method name GoTrue expects: `s256`, or `plain` without SHA-256.
    pub fn method(&self) -> &'static str {
        self.method
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    out
}

/// Whether `id` is a flow id auth-js would accept (`^[a-zA-Z0-9_-]{8,64}$`).
pub fn is_valid_flow_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub(crate) fn legacy_key(storage_key: &str) -> String {
    crate::text::concat(&[storage_key, "-code-verifier"])
}

pub(crate) fn flow_key(storage_key: &str, flow_id: &str) -> String {
    crate::text::concat(&[storage_key, "-flow-", flow_id, "-code-verifier"])
}

pub(crate) fn index_key(storage_key: &str) -> String {
    crate::text::concat(&[storage_key, "-flows-code-verifier"])
}

/// A started PKCE flow: what goes to the server, and the id that comes back in the URL.
#[derive(Debug)]
pub(crate) struct StartedFlow {
    pub(crate) challenge: PkceCodeChallenge,
    pub(crate) flow_id: String,
    /// Whether `sb_flow_id` goes into the redirect URL (auth-js's opt-in
    /// `experimental.appendPkceFlowIdToRedirects`: an extra query parameter stops exact
    /// allow-list entries from matching).
    pub(crate) append_to_redirect: bool,
}

/// Creates a verifier, stores it (per flow and in the legacy slot) and returns the challenge.
pub(crate) async fn start_flow<S: Storage>(
    storage: &S,
    runtime: &dyn Runtime,
    storage_key: &str,
    recovery: bool,
) -> Result<StartedFlow, AuthError> {
    let verifier = PkceCodeVerifier::generate(runtime)?;
    let challenge = verifier.challenge(runtime).await?;
    let mut id_bytes = [0u8; 16];
    runtime.fill_random(&mut id_bytes)?;
    let flow_id = hex(&id_bytes);
    let mut value = verifier.secret().to_string();
    if recovery {
        value.push_str(RECOVERY_SUFFIX);
    }
    let encoded = value.to_json_string();
    storage.set_item(&flow_key(storage_key, &flow_id), &encoded).await?;
    storage.set_item(&legacy_key(storage_key), &encoded).await?;

    let mut flows = read_index(storage, storage_key).await;
    flows.retain(|id| id != &flow_id);
    flows.push(flow_id.clone());
    while flows.len() > MAX_STORED_FLOWS {
        let evicted = flows.remove(0);
        let _ = storage.remove_item(&flow_key(storage_key, &evicted)).await;
    }
    storage.set_item(&index_key(storage_key), &flows.to_json_string()).await?;
    Ok(StartedFlow { challenge, flow_id, append_to_redirect: false })
}

async fn read_index<S: Storage>(storage: &S, storage_key: &str) -> Vec<String> {
    match storage.get_item(&index_key(storage_key)).await {
        Ok(Some(text)) => crate::json::from_str::<Vec<String>>(&text)
            .map(|mut ids| {
                ids.retain(|id| is_valid_flow_id(id));
                ids
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A stored verifier, and whether its flow was a password recovery.
pub(crate) struct StoredVerifier {
    pub(crate) verifier: PkceCodeVerifier,
    pub(crate) recovery: bool,
}

fn decode_value(text: &str) -> String {
    crate::json::from_str::<String>(text).unwrap_or_else(|_| text.to_string())
}

/// Finds the verifier of `flow_id` (only its own slot, as auth-js 2.119 looks it up: a miss
/// never borrows another flow's verifier), or without a flow id the legacy slot, without
/// removing it.
pub(crate) async fn find_verifier<S: Storage>(
    storage: &S,
    storage_key: &str,
    flow_id: Option<&str>,
) -> Result<Option<StoredVerifier>, AuthError> {
    let value = match flow_id.filter(|id| is_valid_flow_id(id)) {
        Some(id) => storage.get_item(&flow_key(storage_key, id)).await?,
        None => storage.get_item(&legacy_key(storage_key)).await?,
    };
    Ok(value.map(|text| {
        let raw = decode_value(&text);
        match raw.strip_suffix(RECOVERY_SUFFIX) {
            Some(verifier) => StoredVerifier { verifier: PkceCodeVerifier(verifier.to_string()), recovery: true },
            None => StoredVerifier { verifier: PkceCodeVerifier(raw), recovery: false },
        }
    }))
}

/// Forgets the verifier of `flow_id` once its code is exchanged, and the legacy slot when it
/// holds that same verifier (other flows' slots are left alone); without a flow id, the
/// legacy slot.
pub(crate) async fn forget_flow<S: Storage>(storage: &S, storage_key: &str, flow_id: Option<&str>) {
    let legacy_key = legacy_key(storage_key);
    let legacy = storage.get_item(&legacy_key).await.ok().flatten();
    let mut flows = read_index(storage, storage_key).await;
    let explicit = flow_id.filter(|id| is_valid_flow_id(id));
    let id = match explicit {
        Some(id) => id.to_string(),
        None => {
            // The legacy slot mirrors the newest flow: that flow's own slot holds the verifier
            // just used and goes too (auth-js leaves it until five newer flows push it out).
            let _ = storage.remove_item(&legacy_key).await;
            match (&legacy, flows.last()) {
                (Some(_), Some(newest)) => newest.clone(),
                _ => return,
            }
        }
    };
    // One pass for both cases, no recursion: the flow's slot goes when it is the flow asked
    // for, or (without one) when it holds what the legacy slot held; the legacy slot goes
    // when it held this flow's verifier.
    let key = flow_key(storage_key, &id);
    let slot = storage.get_item(&key).await.ok().flatten();
    let same = slot.is_some() && legacy == slot;
    if explicit.is_none() && !same {
        return;
    }
    let _ = storage.remove_item(&key).await;
    flows.retain(|known| known != &id);
    let _ = storage.set_item(&index_key(storage_key), &flows.to_json_string()).await;
    if explicit.is_some() && same {
        let _ = storage.remove_item(&legacy_key).await;
    }
}

/// `url` with `sb_flow_id=<id>` added to its query (before any fragment).
pub(crate) fn with_flow_id(url: &str, flow_id: &str) -> String {
    let (base, fragment) = match crate::text::split_once(url, b'#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    };
    let separator = if base.bytes().any(|b| b == b'?') {
        if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    let mut out = crate::text::concat(&[base, separator, "sb_flow_id=", flow_id]);
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::storage::MemoryStorage;
    use crate::test_support::{block_on, FakeRuntime};

    #[test]
    fn verifier_and_challenge_follow_rfc_7636() {
        let runtime = FakeRuntime::at_seconds(0);
        let verifier = PkceCodeVerifier::generate(&runtime).unwrap();
        assert_eq!(verifier.secret().len(), 112);
        assert!(verifier.secret().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(format!("{verifier:?}"), "PkceCodeVerifier(<redacted>)");
        // RFC 7636 appendix B.
        let rfc = PkceCodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_string());
        let challenge = block_on(rfc.challenge(&runtime)).unwrap();
        assert_eq!(challenge.as_str(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert_eq!(challenge.method(), "s256");
    }

    #[test]
    fn stores_per_flow_with_an_index_of_five() {
        let runtime = FakeRuntime::at_seconds(0);
        let storage = MemoryStorage::new();
        let mut ids = Vec::new();
        for i in 0..7 {
            let flow = block_on(start_flow(&storage, &runtime, "sb", i == 6)).unwrap();
            assert_eq!(flow.flow_id.len(), 32);
            assert!(is_valid_flow_id(&flow.flow_id));
            ids.push(flow.flow_id);
        }
        let index: Vec<String> =
            serde_json::from_str(&block_on(storage.get_item("sb-flows-code-verifier")).unwrap().unwrap()).unwrap();
        assert_eq!(index, ids[2..].to_vec());
        assert!(block_on(storage.get_item(&flow_key("sb", &ids[0]))).unwrap().is_none(), "oldest evicted");
        let stored = block_on(storage.get_item(&flow_key("sb", &ids[6]))).unwrap().unwrap();
        assert!(stored.starts_with('"') && stored.ends_with("/recovery\""), "{stored}");

        let found = block_on(find_verifier(&storage, "sb", Some(&ids[6]))).unwrap().unwrap();
        assert!(found.recovery);
        assert_eq!(found.verifier.secret().len(), 112);
        let older = block_on(find_verifier(&storage, "sb", Some(&ids[3]))).unwrap().unwrap();
        assert!(!older.recovery);

        block_on(forget_flow(&storage, "sb", Some(&ids[6])));
        assert!(block_on(storage.get_item(&flow_key("sb", &ids[6]))).unwrap().is_none());
        assert!(block_on(storage.get_item("sb-code-verifier")).unwrap().is_none());
        // Without the legacy slot, an unknown flow finds nothing.
        assert!(block_on(find_verifier(&storage, "sb", Some("unknownflow123"))).unwrap().is_none());
    }

    #[test]
    fn flow_ids_are_checked() {
        assert!(is_valid_flow_id("abcdEFGH_-12"));
        assert!(!is_valid_flow_id("short"));
        assert!(!is_valid_flow_id("has space in it"));
        assert!(!is_valid_flow_id(&"x".repeat(65)));
        assert!(!is_valid_flow_id("../../etc/passwd"));
    }

    #[test]
    fn flow_id_goes_into_the_query() {
        assert_eq!(with_flow_id("http://a/cb", "f1"), "http://a/cb?sb_flow_id=f1");
        assert_eq!(with_flow_id("http://a/cb?x=1", "f1"), "http://a/cb?x=1&sb_flow_id=f1");
        assert_eq!(with_flow_id("http://a/#/cb", "f1"), "http://a/?sb_flow_id=f1#/cb");
    }
}
