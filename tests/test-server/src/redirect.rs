//! `redirect_to` validation (contract §1) and the URL encoding Go's `net/url` produces, which the
//! redirect `Location` values must match byte for byte.

use crate::config::Config;

/// Go's `url.QueryEscape`: unreserved characters kept, space as `+`, the rest `%XX`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Go's `url.Values.Encode`: keys sorted (stable, so repeated keys keep their order).
pub fn encode_pairs(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.iter().map(|(k, v)| format!("{}={}", query_escape(k), query_escape(v))).collect::<Vec<_>>().join("&")
}

/// HTTP status → OAuth `error` value used in error redirects (contract §5.2); other statuses
/// carry no `error` key.
pub fn oauth_error(status: u16) -> Option<&'static str> {
    match status {
        400 => Some("invalid_request"),
        401 => Some("unauthorized_client"),
        403 => Some("access_denied"),
        500 => Some("server_error"),
        503 => Some("temporarily_unavailable"),
        _ => None,
    }
}

/// Owned pairs for `encode_pairs` / `with_query`.
pub fn owned_pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Splits a URL into (everything before the query, query, fragment).
fn split_url(url: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    match rest.split_once('?') {
        Some((b, q)) => (b, Some(q), fragment),
        None => (rest, None, fragment),
    }
}

/// Merges `extra` into the URL's query (re-encoded, sorted, as Go's `q.Set` + `Encode` does);
/// the fragment is kept unless `new_fragment` replaces it.
pub fn with_query(url: &str, extra: &[(String, String)], new_fragment: Option<&str>) -> String {
    let (base, query, fragment) = split_url(url);
    let mut pairs: Vec<(String, String)> = query
        .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .unwrap_or_default();
    pairs.retain(|(k, _)| !extra.iter().any(|(ek, _)| ek == k));
    pairs.extend(extra.iter().cloned());
    let mut out = format!("{base}?{}", encode_pairs(&pairs));
    if let Some(f) = new_fragment.or(fragment) {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Replaces the fragment (used for error redirects); the query is kept as it was.
pub fn with_fragment(url: &str, fragment: &str) -> String {
    let base = url.split_once('#').map_or(url, |(b, _)| b);
    format!("{base}#{fragment}")
}

struct UrlParts {
    scheme: String,
    host: String,
    port: Option<String>,
    bracketed: bool,
}

fn parse_url(url: &str) -> Option<UrlParts> {
    let (scheme, rest) = url.split_once("://")?;
    let mut chars = scheme.chars();
    if !chars.next()?.is_ascii_alphabetic() || !chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return None;
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port, bracketed) = if let Some(stripped) = hostport.strip_prefix('[') {
        let (h, after) = stripped.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.to_string()),
            None if after.is_empty() => None,
            None => return None,
        };
        (h.to_string(), port, true)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.to_string()), false),
            None => (hostport.to_string(), None, false),
        }
    };
    if let Some(p) = &port {
        if !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    Some(UrlParts {
        scheme: scheme.to_ascii_lowercase(),
        host: host.to_ascii_lowercase(),
        port: port.filter(|p| !p.is_empty()),
        bracketed,
    })
}

fn is_loopback_literal(host: &str) -> bool {
    if host == "::1" || host == "0:0:0:0:0:0:0:1" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets.iter().all(|o| !o.is_empty() && o.len() <= 3 && o.parse::<u8>().is_ok())
}

fn port_insensitive_host(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1" | "0.0.0.0" | "::")
}

pub fn is_redirect_valid(cfg: &Config, url: &str) -> bool {
    if url.is_empty() {
        return false;
    }
    if let Some(u) = parse_url(url) {
        if u.scheme == "http" || u.scheme == "https" {
            // A bare number is an IPv4 address in disguise.
            if u.host.bytes().all(|c| c.is_ascii_digit()) {
                return false;
            }
            let plain = u.host.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
            if !u.bracketed && !plain {
                return false;
            }
            if is_loopback_literal(&u.host) {
                return true;
            }
        }
        if let Some(site) = parse_url(&cfg.site_url) {
            if site.scheme == u.scheme && site.host == u.host && (site.port == u.port || port_insensitive_host(&u.host))
            {
                return true;
            }
        }
    }
    let without_fragment = url.split_once('#').map_or(url, |(b, _)| b);
    cfg.allow_list.iter().any(|g| glob_match(g, without_fragment))
}

/// Picks the redirect target: the requested one when acceptable, else the `Referer` when
/// acceptable, else SITE_URL. Never an error, as in GoTrue.
pub fn choose_redirect(cfg: &Config, requested: Option<&str>, referer: Option<&str>) -> String {
    for candidate in [requested, referer].into_iter().flatten() {
        if is_redirect_valid(cfg, candidate) {
            return candidate.to_string();
        }
    }
    cfg.site_url.clone()
}

// ---- globs with `.` and `/` as separators (gobwas/glob semantics as GoTrue compiles them) ----

fn expand_braces(p: &str) -> Vec<String> {
    let bytes: Vec<char> = p.chars().collect();
    let mut depth = 0;
    let mut open = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            '\\' => i += 1,
            '{' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let start = open.unwrap_or(0);
                    let prefix: String = bytes[..start].iter().collect();
                    let suffix: String = bytes[i + 1..].iter().collect();
                    let mut alts = Vec::new();
                    let mut cur = String::new();
                    let mut d = 0;
                    let mut j = start + 1;
                    while j < i {
                        let c = bytes[j];
                        match c {
                            '\\' if j + 1 < i => {
                                cur.push(c);
                                cur.push(bytes[j + 1]);
                                j += 1;
                            }
                            '{' => {
                                d += 1;
                                cur.push(c)
                            }
                            '}' => {
                                d -= 1;
                                cur.push(c)
                            }
                            ',' if d == 0 => alts.push(std::mem::take(&mut cur)),
                            _ => cur.push(c),
                        }
                        j += 1;
                    }
                    alts.push(cur);
                    return alts.iter().flat_map(|a| expand_braces(&format!("{prefix}{a}{suffix}"))).collect();
                }
            }
            _ => {}
        }
        i += 1;
    }
    vec![p.to_string()]
}

fn is_sep(c: char) -> bool {
    c == '.' || c == '/'
}

fn match_class(p: &[char], c: char) -> Option<(bool, usize)> {
    // p starts just after '['; returns (matched, chars consumed including ']').
    let mut i = 0;
    let negate = p.first() == Some(&'!');
    if negate {
        i += 1;
    }
    let mut matched = false;
    while i < p.len() && p[i] != ']' {
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    if i >= p.len() {
        return None;
    }
    Some((matched != negate, i + 1))
}

fn match_here(p: &[char], s: &[char]) -> bool {
    if p.is_empty() {
        return s.is_empty();
    }
    match p[0] {
        '*' if p.get(1) == Some(&'*') => (0..=s.len()).any(|k| match_here(&p[2..], &s[k..])),
        '*' => {
            let mut k = 0;
            loop {
                if match_here(&p[1..], &s[k..]) {
                    return true;
                }
                if k == s.len() || is_sep(s[k]) {
                    return false;
                }
                k += 1;
            }
        }
        '?' => !s.is_empty() && !is_sep(s[0]) && match_here(&p[1..], &s[1..]),
        '[' => match (s.first(), match_class(&p[1..], *s.first().unwrap_or(&'\0'))) {
            (Some(_), Some((true, used))) => match_here(&p[1 + used..], &s[1..]),
            (_, None) => !s.is_empty() && s[0] == '[' && match_here(&p[1..], &s[1..]),
            _ => false,
        },
        '\\' if p.len() > 1 => !s.is_empty() && s[0] == p[1] && match_here(&p[2..], &s[1..]),
        c => !s.is_empty() && s[0] == c && match_here(&p[1..], &s[1..]),
    }
}

pub fn glob_match(pattern: &str, s: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    expand_braces(pattern).iter().any(|p| {
        let p: Vec<char> = p.chars().collect();
        match_here(&p, &s)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(allow: &[&str]) -> Config {
        Config { allow_list: allow.iter().map(|s| s.to_string()).collect(), ..Config::default() }
    }

    #[test]
    fn redirect_rules() {
        let c = cfg(&["https://*.example.com/**", "myapp://callback"]);
        assert!(is_redirect_valid(&c, "http://localhost:3000/welcome"));
        assert!(is_redirect_valid(&c, "http://localhost:5173/x"), "port ignored for localhost");
        assert!(is_redirect_valid(&c, "http://127.0.0.1:8080/cb"), "loopback literal");
        assert!(is_redirect_valid(&c, "http://[::1]:8080/cb"));
        assert!(is_redirect_valid(&c, "https://app.example.com/a/b#frag"));
        assert!(!is_redirect_valid(&c, "https://a.b.example.com/a"), "* stops at dots");
        assert!(is_redirect_valid(&c, "myapp://callback"));
        assert!(!is_redirect_valid(&c, "https://evil.com/"));
        assert!(!is_redirect_valid(&c, "http://2130706433/"));
        assert!(!is_redirect_valid(&c, "https://localhost:3000/"), "scheme must match");
        assert_eq!(choose_redirect(&c, Some("https://evil.com"), None), "http://localhost:3000");
    }

    #[test]
    fn globs() {
        assert!(glob_match("http://localhost:{3000,5173}/**", "http://localhost:5173/a/b"));
        assert!(glob_match("https://?.io/*", "https://a.io/x"));
        assert!(!glob_match("https://?.io/*", "https://a.io/x/y"));
        assert!(glob_match("https://[a-c]x.io", "https://bx.io"));
    }

    #[test]
    fn query_building() {
        assert_eq!(query_escape("a b/c~*"), "a+b%2Fc~%2A");
        assert_eq!(
            with_query("http://h/p?z=1&a=2#f", &[("code".into(), "x".into())], None),
            "http://h/p?a=2&code=x&z=1#f"
        );
        assert_eq!(with_fragment("http://h/p?q=1#old", "new"), "http://h/p?q=1#new");
    }
}
