use std::fmt;

use super::JsonValue;
use crate::json::{FromJson, JsonError, ToJson};

/// A token or other secret. Its `Debug` output is redacted and it has no `Display`, so a
/// session printed by accident does not leak credentials; read it with [`SecretString::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(value.into())
    }

    /// The secret itself. Callers take responsibility for not logging it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl FromJson for SecretString {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        String::from_json(value).map(SecretString)
    }
}

impl ToJson for SecretString {
    fn write_json(&self, out: &mut String) {
        self.0.write_json(out);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = SecretString::new("eyJhbGciOiJIUzI1NiJ9.payload.sig");
        let printed = format!("{secret:?}");
        assert!(!printed.contains("eyJ"), "{printed}");
        assert_eq!(secret.expose(), "eyJhbGciOiJIUzI1NiJ9.payload.sig");
    }
}
