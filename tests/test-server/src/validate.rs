//! Input checks shared by several endpoints: e-mail, phone, password policy and PKCE parameters.

use crate::config::Config;
use crate::errors::ApiError;
use crate::models::ChallengeMethod;

fn email_format_ok(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let local_ok =
        !local.is_empty() && local.chars().all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let domain_ok = !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// Lower-cases and checks an e-mail address. `status` is 400 almost everywhere, 422 on /verify.
pub fn email(raw: &str, status: u16) -> Result<String, ApiError> {
    let e = raw.trim().to_lowercase();
    if e.is_empty() {
        return Err(ApiError::new(status, "validation_failed", "An email address is required"));
    }
    if e.len() > 255 {
        return Err(ApiError::new(status, "validation_failed", "An email address is too long"));
    }
    if !email_format_ok(&e) {
        return Err(ApiError::new(status, "validation_failed", "Unable to validate email address: invalid format"));
    }
    Ok(e)
}

/// Strips `+` and spaces; the result must be E.164 digits. Stored without the `+`.
pub fn phone(raw: &str) -> Result<String, ApiError> {
    let p: String = raw.trim().trim_start_matches('+').chars().filter(|c| *c != ' ').collect();
    let ok = (2..=15).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit()) && !p.starts_with('0');
    if ok {
        Ok(p)
    } else {
        Err(ApiError::validation("Invalid phone number format (E.164 required)"))
    }
}

/// Returns the weak-password message and reasons, or None when the password satisfies the policy.
pub fn password_weakness(cfg: &Config, pw: &str) -> Option<(String, Vec<&'static str>)> {
    let mut messages = Vec::new();
    let mut reasons = Vec::new();
    if pw.chars().count() < cfg.password_min_length {
        messages.push(format!("Password should be at least {} characters.", cfg.password_min_length));
        reasons.push("length");
    }
    let missing_set = cfg.password_required_characters.iter().any(|set| !pw.chars().any(|c| set.contains(c)));
    if missing_set {
        messages.push(format!(
            "Password should contain at least one character of each: {}.",
            cfg.password_required_characters.join(", ")
        ));
        reasons.push("characters");
    }
    if reasons.is_empty() {
        None
    } else {
        Some((messages.join(" "), reasons))
    }
}

/// The full check used wherever a new password is set.
pub fn new_password(cfg: &Config, pw: &str) -> Result<(), ApiError> {
    if pw.len() > 72 {
        return Err(ApiError::validation("Password cannot be longer than 72 characters"));
    }
    if let Some((msg, reasons)) = password_weakness(cfg, pw) {
        let mut e = ApiError::unprocessable("weak_password", msg);
        e.weak_password = Some(reasons);
        return Err(e);
    }
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Pkce {
    pub challenge: String,
    pub method: ChallengeMethod,
}

/// `Ok(None)` when neither PKCE parameter is present.
pub fn pkce(challenge: Option<&str>, method: Option<&str>) -> Result<Option<Pkce>, ApiError> {
    let challenge = challenge.unwrap_or("");
    let method = method.unwrap_or("");
    match (challenge.is_empty(), method.is_empty()) {
        (true, true) => return Ok(None),
        (false, false) => {}
        _ => return Err(ApiError::validation("PKCE flow requires code_challenge_method and code_challenge")),
    }
    let method = match method.to_ascii_lowercase().as_str() {
        "s256" => ChallengeMethod::S256,
        "plain" => ChallengeMethod::Plain,
        _ => return Err(ApiError::validation(format!("code challenge method {method} not supported"))),
    };
    if !(43..=128).contains(&challenge.len()) {
        return Err(ApiError::validation("code challenge has to be between 43 and 128 characters"));
    }
    if !challenge.bytes().all(|c| c.is_ascii_alphanumeric() || b"._~-".contains(&c)) {
        return Err(ApiError::validation(
            "code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes",
        ));
    }
    Ok(Some(Pkce { challenge: challenge.to_string(), method }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phones() {
        assert_eq!(email(" Foo@Example.COM ", 400).unwrap(), "foo@example.com");
        assert!(email("nope", 400).is_err());
        assert!(email("a@b..c", 400).is_err());
        assert_eq!(email("x", 422).unwrap_err().status.as_u16(), 422);
        assert_eq!(phone("+1 555 123 4567").unwrap(), "15551234567");
        assert!(phone("+0123").is_err());
        assert!(phone("abc").is_err());
    }

    #[test]
    fn weakness() {
        let cfg = Config { password_required_characters: vec!["abc".into(), "0123456789".into()], ..Config::default() };
        let (msg, reasons) = password_weakness(&cfg, "abc").unwrap();
        assert_eq!(reasons, vec!["length", "characters"]);
        assert_eq!(
            msg,
            "Password should be at least 6 characters. Password should contain at least one character of each: abc, 0123456789."
        );
        assert!(password_weakness(&cfg, "abcdef1").is_none());
    }
}
