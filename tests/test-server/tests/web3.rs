//! `POST /token?grant_type=web3` (contract §4.3, §3.2): Sign-In with Ethereum and with Solana.
//! Messages and signatures are made here the way a wallet would.

mod common;

use axum::http::Method;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::*;
use gotrue_test_server::config::Config;
use serde_json::{json, Value};
use sha3::Digest;

fn web3() -> Server {
    Server::new(Config { web3: true, ..cfg() })
}

fn rfc3339(s: &Server, offset_secs: i64) -> String {
    s.st.now().add_secs(offset_secs).rfc3339()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Eth(k256::ecdsa::SigningKey);

impl Eth {
    fn new(seed: u8) -> Eth {
        Eth(k256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap())
    }

    /// EIP-55 is not needed: addresses compare case-insensitively. Mixed case on purpose.
    fn address(&self) -> String {
        let point = self.0.verifying_key().to_encoded_point(false);
        let hash = sha3::Keccak256::digest(&point.as_bytes()[1..]);
        let lower = hex(&hash[12..]);
        let mixed: String =
            lower.chars().enumerate().map(|(i, c)| if i % 3 == 0 { c.to_ascii_uppercase() } else { c }).collect();
        format!("0x{mixed}")
    }

    /// `personal_sign`: r ‖ s ‖ v (27/28) over Keccak-256 of the EIP-191 prefixed message.
    fn sign(&self, message: &str) -> String {
        let mut h = sha3::Keccak256::new();
        h.update(format!("\x19Ethereum Signed Message:\n{}", message.len()).as_bytes());
        h.update(message.as_bytes());
        let (sig, recid) = self.0.sign_prehash_recoverable(&h.finalize()).unwrap();
        format!("0x{}{:02x}", hex(&sig.to_bytes()), recid.to_byte() + 27)
    }
}

fn siwe(address: &str, uri: &str, issued_at: &str, extra: &str) -> String {
    let domain = uri.split("://").nth(1).unwrap().split('/').next().unwrap();
    format!(
        "{domain} wants you to sign in with your Ethereum account:\n{address}\n\nSign in to the gotrue-wasm tests.\n\nURI: {uri}\nVersion: 1\nChain ID: 1\nNonce: k3Jd92hQxA0p\nIssued At: {issued_at}{extra}"
    )
}

fn siws(address: &str, uri: &str, issued_at: &str) -> String {
    let domain = uri.split("://").nth(1).unwrap().split('/').next().unwrap();
    format!(
        "{domain} wants you to sign in with your Solana account:\n{address}\n\nSign in to the gotrue-wasm tests.\n\nURI: {uri}\nVersion: 1\nChain ID: mainnet\nNonce: 8a7sd6f5\nIssued At: {issued_at}"
    )
}

async fn grant(s: &Server, chain: &str, message: &str, signature: &str) -> Resp {
    s.post("/token?grant_type=web3", json!({ "chain": chain, "message": message, "signature": signature })).await
}

fn invalid_grant(r: &Resp) -> String {
    assert_eq!(r.status, 400, "{}", r.text());
    let body = r.json();
    assert_eq!(body["error"], "invalid_grant", "{body}");
    body["error_description"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn disabled_and_unsupported_chain() {
    let s = Server::new(cfg());
    let r = grant(&s, "ethereum", "x", "y").await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error_code"], "web3_provider_disabled");
    let s = web3();
    let r = grant(&s, "bitcoin", "x", "y").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error_code"], "web3_unsupported_chain");
}

#[tokio::test]
async fn ethereum_sign_in() {
    let s = web3();
    let wallet = Eth::new(11);
    let address = wallet.address();
    let message = siwe(&address, "http://localhost:3000/login", &rfc3339(&s, -5), "");
    let r = grant(&s, "ethereum", &message, &wallet.sign(&message)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let session = r.json();
    let user = &session["user"];
    assert_eq!(user["email"], "");
    assert_eq!(user["app_metadata"]["provider"], "web3");
    let identity = &user["identities"][0];
    assert_eq!(identity["provider"], "web3");
    assert_eq!(identity["id"], format!("web3:ethereum:{}", address.to_ascii_lowercase()));
    assert_eq!(identity["identity_data"]["custom_claims"]["address"], address);
    assert_eq!(identity["identity_data"]["custom_claims"]["chain"], "ethereum");
    let token = session["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["amr"][0]["method"], "web3");
    assert_eq!(s.get_auth("/user", token).await.status, 200);

    // A later message from the same wallet (lower-case address, loopback URI, expiry ahead):
    // same user.
    let message = siwe(
        &address.to_ascii_lowercase(),
        "http://127.0.0.1:8080/",
        &rfc3339(&s, 0),
        &format!("\nExpiration Time: {}", rfc3339(&s, 300)),
    );
    let r = grant(&s, "ethereum", &message, &wallet.sign(&message)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["user"]["id"], user["id"]);
    assert_eq!(r.json()["user"]["identities"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn ethereum_failures() {
    let s = web3();
    let wallet = Eth::new(12);
    let address = wallet.address();
    let now = rfc3339(&s, 0);
    let message = siwe(&address, "http://localhost:3000/", &now, "");
    let good = wallet.sign(&message);

    // Someone else's signature; a tampered message; a broken signature.
    let d = invalid_grant(&grant(&s, "ethereum", &message, &Eth::new(13).sign(&message)).await);
    assert!(d.contains("does not match"), "{d}");
    let tampered = message.replace("Chain ID: 1", "Chain ID: 5");
    invalid_grant(&grant(&s, "ethereum", &tampered, &good).await);
    for bad in ["", "0x", "0x1234", &good[2..], &good[..good.len() - 2]] {
        invalid_grant(&grant(&s, "ethereum", &message, bad).await);
    }
    // A Solana message on the Ethereum chain.
    invalid_grant(&grant(&s, "solana", &message, &good).await);

    let cases = [
        // URI not allowed by the redirect rules.
        (siwe(&address, "https://evil.example.org/", &now, ""), "not allowed"),
        // Issued too long ago / too far ahead.
        (siwe(&address, "http://localhost:3000/", &rfc3339(&s, -601), ""), "too long ago"),
        (siwe(&address, "http://localhost:3000/", &rfc3339(&s, 120), ""), "future"),
        // Expired / not yet valid.
        (
            siwe(
                &address,
                "http://localhost:3000/",
                &rfc3339(&s, -60),
                &format!("\nExpiration Time: {}", rfc3339(&s, -1)),
            ),
            "expired",
        ),
        (siwe(&address, "http://localhost:3000/", &now, &format!("\nNot Before: {}", rfc3339(&s, 60))), "future"),
        // Malformed.
        (message.replace("Version: 1", "Version: 2"), "formatted"),
        (message.replace("Issued At:", "Issued:"), "formatted"),
        (message.replace(&address, "0x1234"), "formatted"),
    ];
    for (msg, expected) in cases {
        let d = invalid_grant(&grant(&s, "ethereum", &msg, &wallet.sign(&msg)).await);
        assert!(d.contains(expected), "{expected:?} not in {d:?} for\n{msg}");
    }
    // Clock skew of up to a minute is tolerated.
    let msg = siwe(&address, "http://localhost:3000/", &rfc3339(&s, 30), "");
    assert_eq!(grant(&s, "ethereum", &msg, &wallet.sign(&msg)).await.status, 200);

    // A message that was fine goes stale as time passes.
    s.st.advance_clock(601);
    let d = invalid_grant(&grant(&s, "ethereum", &message, &good).await);
    assert!(d.contains("too long ago"), "{d}");

    // OAuth-style errors carry CORS headers like everything else.
    let r = s
        .call(
            Method::POST,
            "/token?grant_type=web3",
            &[("origin", "http://localhost:3000")],
            Some(json!({ "chain": "ethereum", "message": message, "signature": good })),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
}

#[tokio::test]
async fn solana_sign_in_and_failures() {
    use ed25519_dalek::Signer;
    let s = web3();
    let key = ed25519_dalek::SigningKey::from_bytes(&[21u8; 32]);
    let address = bs58::encode(key.verifying_key().as_bytes()).into_string();
    let message = siws(&address, "http://localhost:3000/", &rfc3339(&s, 0));
    let sig = key.sign(message.as_bytes()).to_bytes();

    let r = grant(&s, "solana", &message, &STANDARD.encode(sig)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let user: Value = r.json()["user"].clone();
    assert_eq!(user["identities"][0]["id"], format!("web3:solana:{address}"));
    assert_eq!(claims(r.json()["access_token"].as_str().unwrap())["amr"][0]["method"], "web3");
    // base64url works too, and finds the same user.
    let r = grant(&s, "solana", &message, &URL_SAFE_NO_PAD.encode(sig)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["user"]["id"], user["id"]);

    let other = ed25519_dalek::SigningKey::from_bytes(&[22u8; 32]);
    invalid_grant(&grant(&s, "solana", &message, &STANDARD.encode(other.sign(message.as_bytes()).to_bytes())).await);
    let tampered = message.replace("mainnet", "devnet");
    let d = invalid_grant(&grant(&s, "solana", &tampered, &STANDARD.encode(sig)).await);
    assert!(d.contains("does not match"), "{d}");
    invalid_grant(&grant(&s, "solana", &message, "***").await);
    invalid_grant(&grant(&s, "solana", &message, &STANDARD.encode([0u8; 63])).await);
    invalid_grant(&grant(&s, "ethereum", &message, &STANDARD.encode(sig)).await);
    let d = invalid_grant(&grant(&s, "solana", "too short", "x").await);
    assert!(d.contains("between"), "{d}");
    // Plain http to a non-local host is refused even when allow-listed.
    let s = Server::new(Config { web3: true, allow_list: vec!["http://app.example.com/**".into()], ..cfg() });
    let msg = siws(&address, "http://app.example.com/login", &rfc3339(&s, 0));
    let d = invalid_grant(&grant(&s, "solana", &msg, &STANDARD.encode(key.sign(msg.as_bytes()).to_bytes())).await);
    assert!(d.contains("HTTPS"), "{d}");
}
