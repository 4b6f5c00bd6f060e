//! Command-line configuration. Flags mirror the GoTrue environment variables the tests care about.

pub const DEFAULT_JWT_SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters";

#[derive(Clone, Debug)]
pub struct Config {
    pub host: String,
    pub port: u16,
    /// GOTRUE_MAILER_AUTOCONFIRM
    pub autoconfirm: bool,
    /// GOTRUE_SMS_AUTOCONFIRM
    pub sms_autoconfirm: bool,
    pub disable_signup: bool,
    /// GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED
    pub anonymous: bool,
    /// GOTRUE_EXTERNAL_PHONE_ENABLED
    pub phone: bool,
    /// Whether an SMS provider is configured and works (GOTRUE_SMS_PROVIDER): with `--phone` the
    /// test mailbox stands in for Twilio; `--phone-no-sms` enables phone with no provider, so every
    /// SMS send fails as GoTrue's does.
    pub sms_provider: bool,
    pub jwt_exp: i64,
    pub reuse_interval: i64,
    pub jwt_secret: String,
    pub site_url: String,
    pub allow_list: Vec<String>,
    pub password_min_length: usize,
    pub password_required_characters: Vec<String>,
    pub smtp_max_frequency: i64,
    pub otp_exp: i64,
    /// Test-only: the refresh_token grant waits this long before answering.
    pub refresh_delay_ms: u64,
    /// GOTRUE_MFA_PHONE_ENROLL_ENABLED / _VERIFY_ENABLED
    pub mfa_phone: bool,
    /// GOTRUE_MFA_WEB_AUTHN_ENROLL_ENABLED / _VERIFY_ENABLED
    pub mfa_webauthn: bool,
    /// GOTRUE_SECURITY_MANUAL_LINKING_ENABLED
    pub manual_linking: bool,
    /// Access-token signing algorithm (HS256 with the secret, or a generated ES256/RS256 key).
    pub jwt_alg: crate::keys::Alg,
    /// GOTRUE_SAML_ENABLED: `/sso` with the built-in fake SSO provider.
    pub saml: bool,
    /// GOTRUE_EXTERNAL_WEB3_SOLANA_ENABLED / _ETHEREUM_ENABLED
    pub web3: bool,
    /// GOTRUE_PASSKEY_ENABLED: the `/passkeys` routes.
    pub passkeys: bool,
    /// GOTRUE_OAUTH_SERVER_ENABLED: the OAuth 2.1 server (`/oauth/...`, `/admin/oauth/clients`).
    pub oauth_server: bool,
    /// GOTRUE_OAUTH_SERVER_AUTHORIZATION_PATH: the app page (under SITE_URL) that shows consent.
    pub oauth_authorization_path: String,
    /// GOTRUE_CUSTOM_OAUTH_ENABLED: `/admin/custom-providers`.
    pub custom_providers: bool,
    /// GOTRUE_MFA_RECOVERY_CODES_ENROLL_ENABLED / _VERIFY_ENABLED: `/factors/recovery-codes`.
    pub mfa_recovery_codes: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 9999,
            autoconfirm: false,
            sms_autoconfirm: false,
            disable_signup: false,
            anonymous: false,
            phone: false,
            sms_provider: true,
            jwt_exp: 3600,
            reuse_interval: 0,
            jwt_secret: DEFAULT_JWT_SECRET.into(),
            site_url: "http://localhost:3000".into(),
            allow_list: Vec::new(),
            password_min_length: 6,
            password_required_characters: Vec::new(),
            smtp_max_frequency: 60,
            otp_exp: 86400,
            refresh_delay_ms: 0,
            mfa_phone: false,
            mfa_webauthn: false,
            manual_linking: false,
            jwt_alg: crate::keys::Alg::Hs256,
            saml: false,
            web3: false,
            passkeys: false,
            oauth_server: false,
            oauth_authorization_path: "/oauth/consent".into(),
            custom_providers: false,
            mfa_recovery_codes: false,
        }
    }
}

pub enum Command {
    Run(Box<Config>),
    Help,
}

pub const HELP: &str = "\
gotrue-test-server: an in-memory GoTrue-compatible server for tests and demos

USAGE: gotrue-test-server [OPTIONS]

OPTIONS:
  --host HOST                       address to bind (default 127.0.0.1)
  --port PORT                       port to bind, 0 picks a free one (default 9999)
  --autoconfirm                     confirm e-mail sign-ups immediately (MAILER_AUTOCONFIRM)
  --sms-autoconfirm                 confirm phone sign-ups immediately (SMS_AUTOCONFIRM)
  --disable-signup                  refuse new sign-ups
  --anonymous                       allow anonymous sign-ins
  --phone                           enable the phone provider, with a working SMS provider (the
                                    mailbox stands in for Twilio; /settings sms_provider \"twilio\")
  --phone-no-sms                    enable the phone provider with no SMS provider configured: every
                                    SMS send answers 500 \"Unable to get SMS provider\", as GoTrue does
  --jwt-exp SECS                    access token lifetime (default 3600)
  --reuse-interval SECS             refresh token reuse interval (default 0)
  --jwt-secret S                    HS256 secret (default super-secret-jwt-token-with-at-least-32-characters)
  --site-url URL                    SITE_URL (default http://localhost:3000)
  --allow-list GLOBS                comma-separated redirect URL globs (URI_ALLOW_LIST)
  --password-min-length N           minimum password length (default 6)
  --password-required-characters S  colon-separated character sets, one of each required
  --smtp-max-frequency SECS         per-user e-mail/SMS send window (default 60)
  --otp-exp SECS                    e-mail OTP / link lifetime (default 86400)
  --refresh-delay-ms N              delay every refresh_token grant by N ms (default 0)
  --mfa-phone                       allow phone MFA factors (TOTP is always on)
  --mfa-webauthn                    allow WebAuthn MFA factors
  --manual-linking                  allow /user/identities/authorize and identity unlinking
  --jwt-alg HS256|ES256|RS256       access-token signing (default HS256 with the secret); ES256/RS256
                                    generate a key pair at startup (kid test-es256-1 / test-rs256-1),
                                    published at GET /.well-known/jwks.json; HS256 tokens stay valid
  --saml                            enable POST /sso with the built-in fake SSO provider
  --web3                            enable POST /token?grant_type=web3 (ethereum and solana)
  --passkeys                        enable /passkeys/... and /admin/users/{id}/passkeys (PASSKEY_ENABLED)
  --oauth-server                    enable the OAuth 2.1 server: /oauth/authorize, /oauth/authorizations/...,
                                    /oauth/token, /user/oauth/grants, /admin/oauth/clients
  --oauth-authorization-path P      consent page under SITE_URL (default /oauth/consent)
  --custom-providers                enable /admin/custom-providers (CUSTOM_OAUTH_ENABLED)
  --mfa-recovery-codes              enable /factors/recovery-codes (MFA recovery codes)
  -h, --help                        print this help

OAuth: github, google and gitlab are served by a built-in fake provider
(consent page GET /__test/oauth/authorize; add auto=allow&email=… or auto=deny to skip it).

Test-only endpoints: GET /__test/mailbox/{address}, GET /__test/stats,
POST /__test/stats/reset (zeroes the request counters), GET /__test/oauth/authorize,
GET /__test/service_role_key ({\"key\": JWT} for the admin API).
MFA phone challenges put their code in the mailbox under the factor's number (type mfa_phone).
Signing keys: POST /__test/rotate_signing_key ({\"kid\", \"alg\"}) moves ES256/RS256 signing to a
new key pair with the next kid (test-es256-2, …); old keys stay in the JWKS and keep verifying.
Test OpenID issuer, behind grant_type=id_token for the providers google, apple, keycloak and
custom:test: iss http://HOST:PORT/__test/oidc, aud test-client, ES256 key (kid test-oidc-es256-1)
at GET /__test/oidc/jwks.json; POST /__test/oidc/issue {sub, email, aud?, nonce?, exp_in?}
returns {\"id_token\": JWT} (nonce claim = SHA-256 hex of the given raw nonce).
Fake SSO provider (with --saml): id 00000000-0000-4000-8000-00000000a551, domain sso.example.com;
sign-in page GET /__test/sso/idp?state=… (add auto=1&email=… to skip it), then /sso/saml/acs.
Prints `listening on http://HOST:PORT` once the socket is bound, then
`service_role_key <JWT>`: an HS256 token with role service_role for the admin endpoints.
";

/// GoTrue splits required character sets on `:`, with `\:` standing for a literal colon.
pub fn split_required_characters(s: &str) -> Vec<String> {
    let mut sets = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&':') => {
                cur.push(':');
                chars.next();
            }
            ':' => sets.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    sets.push(cur);
    sets.retain(|s| !s.is_empty());
    sets
}

fn parse_num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse().map_err(|_| format!("{flag}: invalid number {v:?}"))
}

impl Config {
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
        let mut cfg = Config::default();
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = || -> Result<String, String> {
                match &inline {
                    Some(v) => Ok(v.clone()),
                    None => it.next().ok_or_else(|| format!("{flag} needs a value")),
                }
            };
            match flag.as_str() {
                "-h" | "--help" => return Ok(Command::Help),
                "--host" => cfg.host = value()?,
                "--port" => cfg.port = parse_num(&flag, &value()?)?,
                "--autoconfirm" => cfg.autoconfirm = true,
                "--sms-autoconfirm" => cfg.sms_autoconfirm = true,
                "--disable-signup" => cfg.disable_signup = true,
                "--anonymous" => cfg.anonymous = true,
                "--phone" => {
                    cfg.phone = true;
                    cfg.sms_provider = true;
                }
                "--phone-no-sms" => {
                    cfg.phone = true;
                    cfg.sms_provider = false;
                }
                "--jwt-exp" => cfg.jwt_exp = parse_num(&flag, &value()?)?,
                "--reuse-interval" => cfg.reuse_interval = parse_num(&flag, &value()?)?,
                "--jwt-secret" => cfg.jwt_secret = value()?,
                "--site-url" => cfg.site_url = value()?,
                "--allow-list" => {
                    cfg.allow_list =
                        value()?.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
                }
                "--password-min-length" => {
                    // GoTrue never goes below 6, whatever is configured.
                    cfg.password_min_length = parse_num::<usize>(&flag, &value()?)?.max(6)
                }
                "--password-required-characters" => {
                    cfg.password_required_characters = split_required_characters(&value()?)
                }
                "--smtp-max-frequency" => cfg.smtp_max_frequency = parse_num(&flag, &value()?)?,
                "--otp-exp" => cfg.otp_exp = parse_num(&flag, &value()?)?,
                "--refresh-delay-ms" => cfg.refresh_delay_ms = parse_num(&flag, &value()?)?,
                "--mfa-phone" => cfg.mfa_phone = true,
                "--mfa-webauthn" => cfg.mfa_webauthn = true,
                "--manual-linking" => cfg.manual_linking = true,
                "--jwt-alg" => {
                    let v = value()?;
                    cfg.jwt_alg = crate::keys::Alg::parse(&v)
                        .ok_or_else(|| format!("{flag}: expected HS256, ES256 or RS256, not {v:?}"))?
                }
                "--saml" => cfg.saml = true,
                "--web3" => cfg.web3 = true,
                "--passkeys" => cfg.passkeys = true,
                "--oauth-server" => cfg.oauth_server = true,
                "--oauth-authorization-path" => cfg.oauth_authorization_path = value()?,
                "--custom-providers" => cfg.custom_providers = true,
                "--mfa-recovery-codes" => cfg.mfa_recovery_codes = true,
                _ => return Err(format!("unknown argument {arg:?} (see --help)")),
            }
        }
        Ok(Command::Run(Box::new(cfg)))
    }
}
