//! Sign-in with Ethereum (EIP-4361, "SIWE") and with Solana ("SIWS"): the message a wallet
//! signs, and the `web3` grant that exchanges message and signature for a session.

/// Which chain's wallet signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Web3Chain {
    /// Ethereum (EIP-4361 message, `0x…` 65-byte signature).
    Ethereum,
    /// Solana (SIWS message, 64-byte ed25519 signature, base64).
    Solana,
}

impl Web3Chain {
    /// The chain's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Web3Chain::Ethereum => "ethereum",
            Web3Chain::Solana => "solana",
        }
    }
}

impl crate::json::ToJson for Web3Chain {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

/// The fields of a sign-in message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Web3Message {
    /// The chain.
    pub chain: Web3Chain,
    /// The site asking (`example.com`), usually `location.host`.
    pub domain: String,
    /// The wallet address.
    pub address: String,
    /// A sentence the user agrees to.
    pub statement: Option<String>,
    /// The page the sign-in is for (must be allowed by the auth server).
    pub uri: String,
    /// `1`.
    pub version: String,
    /// Ethereum: the numeric chain id (`1` for mainnet); Solana: an optional cluster name.
    pub chain_id: Option<String>,
    /// A random value against replay (at least 8 alphanumeric characters).
    pub nonce: String,
    /// RFC 3339.
    pub issued_at: String,
    /// RFC 3339, optional.
    pub expiration_time: Option<String>,
    /// RFC 3339, optional.
    pub not_before: Option<String>,
    /// Optional.
    pub request_id: Option<String>,
    /// URIs the sign-in covers.
    pub resources: Vec<String>,
}

impl Web3Message {
    /// The text the wallet signs, line for line as EIP-4361 (and its Solana counterpart)
    /// lays it out.
    pub fn to_text(&self) -> String {
        let account = match self.chain {
            Web3Chain::Ethereum => "Ethereum",
            Web3Chain::Solana => "Solana",
        };
        // Plain concatenation: no formatting machinery in the wasm.
        let mut text = crate::text::concat(&[
            self.domain.as_str(),
            " wants you to sign in with your ",
            account,
            " account:\n",
            &self.address,
            "\n\n",
        ]);
        if let Some(statement) = &self.statement {
            text.push_str(statement);
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&crate::text::concat(&["URI: ", self.uri.as_str(), "\nVersion: ", &self.version, "\n"]));
        if let Some(chain_id) = &self.chain_id {
            text.push_str(&crate::text::concat(&["Chain ID: ", chain_id.as_str(), "\n"]));
        }
        text.push_str(&crate::text::concat(&["Nonce: ", self.nonce.as_str(), "\nIssued At: ", &self.issued_at]));
        for (label, value) in [
            ("Expiration Time", &self.expiration_time),
            ("Not Before", &self.not_before),
            ("Request ID", &self.request_id),
        ] {
            if let Some(value) = value {
                text.push_str(&crate::text::concat(&["\n", label, ": ", value.as_str()]));
            }
        }
        if !self.resources.is_empty() {
            text.push_str("\nResources:");
            for resource in &self.resources {
                text.push_str(&crate::text::concat(&["\n- ", resource.as_str()]));
            }
        }
        text
    }
}

pub(crate) struct Web3GrantBody<'a> {
    pub(crate) chain: Web3Chain,
    pub(crate) message: &'a str,
    pub(crate) signature: &'a str,
}

impl crate::json::ToJson for Web3GrantBody<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json::ObjectWriter::new(out);
        object.field("chain", &self.chain).field("message", self.message).field("signature", self.signature);
        object.finish();
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn example() -> Web3Message {
        Web3Message {
            chain: Web3Chain::Ethereum,
            domain: "service.invalid".into(),
            address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2".into(),
            statement: Some("I accept the ServiceOrg Terms of Service: https://service.invalid/tos".into()),
            uri: "https://service.invalid/login".into(),
            version: "1".into(),
            chain_id: Some("1".into()),
            nonce: "32891756".into(),
            issued_at: "2021-09-30T16:25:24Z".into(),
            expiration_time: None,
            not_before: None,
            request_id: None,
            resources: vec![
                "ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/".into(),
                "https://example.com/my-web2-claim.json".into(),
            ],
        }
    }

    #[test]
    fn matches_the_eip_4361_example() {
        let expected = "service.invalid wants you to sign in with your Ethereum account:
0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

I accept the ServiceOrg Terms of Service: https://service.invalid/tos

URI: https://service.invalid/login
Version: 1
Chain ID: 1
Nonce: 32891756
Issued At: 2021-09-30T16:25:24Z
Resources:
- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
- https://example.com/my-web2-claim.json";
        assert_eq!(example().to_text(), expected);
    }

    #[test]
    fn without_a_statement_two_blank_lines_remain_and_optional_fields_follow_in_order() {
        let mut message = example();
        message.statement = None;
        message.resources.clear();
        message.expiration_time = Some("2021-10-01T00:00:00Z".into());
        message.request_id = Some("req-1".into());
        let text = message.to_text();
        assert!(text.contains("Cc2\n\n\nURI: "), "{text}");
        assert!(
            text.ends_with("Issued At: 2021-09-30T16:25:24Z\nExpiration Time: 2021-10-01T00:00:00Z\nRequest ID: req-1")
        );
    }

    #[test]
    fn solana_accounts() {
        let mut message = example();
        message.chain = Web3Chain::Solana;
        message.chain_id = None;
        assert!(message.to_text().starts_with("service.invalid wants you to sign in with your Solana account:\n"));
        assert!(!message.to_text().contains("Chain ID"));
    }
}
