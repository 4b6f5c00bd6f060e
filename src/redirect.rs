//! Reading a session (or an error) out of the URL the server redirected to, and writing
//! the URL back without it.
//!
//! The server appends the implicit-flow fragment after a literal `#`, so a hash router's
//! `redirect_to` (`https://app/#/callback`) comes back as `https://app/#/callback#access_token=…`:
//! the auth parameters are the part after the last `#`, and everything before it stays.

use crate::url::{decode_component, parse_params};

/// Parameters the auth server puts in a redirect URL.
const FRAGMENT_KEYS: [&str; 14] = [
    "access_token",
    "refresh_token",
    "expires_in",
    "expires_at",
    "token_type",
    "type",
    "provider_token",
    "provider_refresh_token",
    "sb",
    "error",
    "error_code",
    "error_description",
    "code",
    "sb_flow_id",
];

/// Query parameters the auth server (or this client) adds: `type` and the token fields
/// never come in the query, and a router's own `type` must survive.
const QUERY_KEYS: [&str; 6] = ["code", "sb_flow_id", "error", "error_code", "error_description", "sb"];

/// The auth parameters of a URL: fragment and query merged, the query winning.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectParams {
    params: Vec<(String, String)>,
}

impl RedirectParams {
    /// Reads the auth parameters of `url`.
    pub fn from_url(url: &str) -> Self {
        let (before_fragment, fragment) = split_fragment(url);
        let mut params: Vec<(String, String)> = match fragment {
            Some(fragment) => parse_params(auth_part(fragment).1),
            None => Vec::new(),
        };
        let query = crate::text::split_once(before_fragment, b'?').map(|(_, query)| query).unwrap_or("");
        // Only the keys the server puts in a query count there: tokens in a query were not
        // sent by the auth server (they would also stay in the address bar, as the query's
        // other parameters do).
        for (key, value) in parse_params(query) {
            if !QUERY_KEYS.contains(&key.as_str()) {
                continue;
            }
            params.retain(|(existing, _)| existing != &key);
            params.push((key, value));
        }
        RedirectParams { params }
    }

    /// The value of `key`, if present and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    /// Every parameter, in order, as the pairs they are kept in.
    #[cfg(all(target_arch = "wasm32", feature = "js-api"))]
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.params
    }

    /// Every parameter, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether this looks like an implicit-flow callback (session or error).
    pub fn is_implicit_callback(&self) -> bool {
        ["access_token", "error", "error_description", "error_code"].iter().any(|key| self.get(key).is_some())
    }

    /// Whether there is an error from the server.
    pub fn is_error(&self) -> bool {
        ["error", "error_description", "error_code"].iter().any(|key| self.get(key).is_some())
    }

    /// The PKCE authorization code, if any.
    pub fn code(&self) -> Option<&str> {
        self.get("code")
    }
}

fn split_fragment(url: &str) -> (&str, Option<&str>) {
    match crate::text::split_once(url, b'#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url, None),
    }
}

/// Splits a fragment into (what stays before the auth part, the auth part).
fn auth_part(fragment: &str) -> (Option<&str>, &str) {
    match crate::text::rsplit_once(fragment, b'#') {
        Some((router, auth)) => (Some(router), auth),
        None => (None, fragment),
    }
}

fn key_of(piece: &str) -> String {
    decode_component(crate::text::split_once(piece, b'=').map(|(key, _)| key).unwrap_or(piece))
}

/// Keeps the `&`-separated pieces whose key is not in `remove`, written as they were.
fn without_keys(text: &str, remove: &[&str]) -> String {
    let mut out = String::new();
    for piece in
        crate::text::split(text, b'&').filter(|piece| !piece.is_empty() && !remove.contains(&key_of(piece).as_str()))
    {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(piece);
    }
    out
}

/// `url` without the auth parameters, everything else (path, a router's fragment,
/// unrelated query and fragment parameters) left as it was.
///
/// ```
/// let params = gotrue_wasm::RedirectParams::from_url("https://app.example/?code=abc&tab=2");
/// assert_eq!(params.code(), Some("abc"));
/// assert_eq!(
///     gotrue_wasm::strip_auth_params("https://app.example/?code=abc&tab=2#access_token=t&expires_in=3600"),
///     "https://app.example/?tab=2"
/// );
/// ```
pub fn strip_auth_params(url: &str) -> String {
    let (before_fragment, fragment) = split_fragment(url);
    let (path, query) = match crate::text::split_once(before_fragment, b'?') {
        Some((path, query)) => (path, Some(query)),
        None => (before_fragment, None),
    };
    let mut out = path.to_string();
    if let Some(query) = query {
        let kept = without_keys(query, &QUERY_KEYS);
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept);
        }
    }
    if let Some(fragment) = fragment {
        // Every `#`-separated segment loses its auth parameters, not only the last one (which
        // is the one read): a token in an earlier segment must not stay in the address bar.
        // A segment that held nothing else disappears; a hash router's `#/route` stays.
        let has_auth_keys = |segment: &str| {
            crate::text::split(segment, b'&').any(|piece| FRAGMENT_KEYS.contains(&key_of(piece).as_str()))
        };
        if !crate::text::split(fragment, b'#').any(has_auth_keys) {
            out.push('#');
            out.push_str(fragment);
            return out;
        }
        // Joined by hand: `join` on `String`s is one more copy of std's join in the wasm.
        let mut rebuilt = String::new();
        let mut first = true;
        for segment in crate::text::split(fragment, b'#') {
            let kept = if has_auth_keys(segment) { without_keys(segment, &FRAGMENT_KEYS) } else { segment.to_string() };
            if kept.is_empty() && has_auth_keys(segment) {
                continue;
            }
            if !first {
                rebuilt.push('#');
            }
            first = false;
            rebuilt.push_str(&kept);
        }
        if !rebuilt.is_empty() {
            out.push('#');
            out.push_str(&rebuilt);
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn reads_the_implicit_fragment() {
        let params = RedirectParams::from_url(
            "http://app/cb#access_token=at&expires_at=1700003600&expires_in=3600&refresh_token=rt&sb=&token_type=bearer&type=recovery",
        );
        assert!(params.is_implicit_callback());
        assert!(!params.is_error());
        assert_eq!(params.get("access_token"), Some("at"));
        assert_eq!(params.get("type"), Some("recovery"));
        assert_eq!(params.get("sb"), None, "empty values read as absent");
    }

    #[test]
    fn query_wins_over_fragment() {
        let params = RedirectParams::from_url("http://app/?error=q&code=c#error=f&error_description=Denied+by+user");
        assert_eq!(params.get("error"), Some("q"));
        assert_eq!(params.get("error_description"), Some("Denied by user"));
        assert_eq!(params.code(), Some("c"));
    }

    #[test]
    fn hash_router_fragment_before_the_auth_part() {
        let url = "http://app/?keep=1#/callback#access_token=at&refresh_token=rt&sb=";
        let params = RedirectParams::from_url(url);
        assert_eq!(params.get("access_token"), Some("at"));
        assert_eq!(strip_auth_params(url), "http://app/?keep=1#/callback");
    }

    #[test]
    fn strips_only_auth_params() {
        assert_eq!(
            strip_auth_params("http://app/cb?code=abc&sb_flow_id=f1&page=2#tab=3"),
            "http://app/cb?page=2#tab=3"
        );
        assert_eq!(
            strip_auth_params("http://app/cb#access_token=a&refresh_token=r&token_type=bearer&sb="),
            "http://app/cb"
        );
        assert_eq!(strip_auth_params("http://app/cb#access_token=a&theme=dark"), "http://app/cb#theme=dark");
        assert_eq!(
            strip_auth_params(
                "http://app/cb?type=router#error=access_denied&error_code=otp_expired&error_description=x&sb="
            ),
            "http://app/cb?type=router"
        );
        assert_eq!(strip_auth_params("http://app/plain"), "http://app/plain");
    }

    #[test]
    fn tokens_in_the_query_are_not_a_callback() {
        // Found by the `url` fuzz target: `?access_token=` counted as a callback whose
        // tokens stripping then left in the query.
        let url = "http://app/?access_token=a&refresh_token=r&expires_in=3600&token_type=bearer";
        assert!(!RedirectParams::from_url(url).is_implicit_callback());
        assert_eq!(RedirectParams::from_url(url).get("access_token"), None);
    }

    #[test]
    fn tokens_in_every_fragment_segment_are_stripped() {
        // Found by the `url` fuzz target: a second `#access_token=` hid the first one,
        // which stayed in the address bar.
        let url = "http://app/#access_token=first&refresh_token=r1#access_token=second&refresh_token=r2";
        assert_eq!(strip_auth_params(url), "http://app/");
        let url = "http://app/#/route#access_token=a&theme=dark#refresh_token=r&x=1";
        assert_eq!(strip_auth_params(url), "http://app/#/route#theme=dark#x=1");
        assert_eq!(strip_auth_params("http://app/#/route#"), "http://app/#/route#");
    }

    #[test]
    fn another_librarys_fragment_is_not_a_callback() {
        let params = RedirectParams::from_url("http://app/#foo=bar&state=xyz");
        assert!(!params.is_implicit_callback());
        assert!(params.code().is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stripping_is_idempotent(url in "[a-z:/?#&=%+._-]{0,80}") {
            let params = RedirectParams::from_url(&url);
            let _ = params.is_implicit_callback();
            let once = strip_auth_params(&url);
            proptest::prop_assert_eq!(strip_auth_params(&once), once.clone());
            proptest::prop_assert!(!RedirectParams::from_url(&once).is_implicit_callback());
        }
    }
}
