//! The plain requests of auth-js 2.119's newer namespaces (passkeys, the OAuth 2.1 server, custom
//! providers, recovery codes), described as data: method, path, who signs, body and query
//! members, and what the answer becomes. The Rust request functions build their calls from
//! these rows (`call`), and a table-driven JS engine can take the same rows.

use crate::http::{ApiCall, Method};

/// Who signs the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Nobody (the client's own headers only).
    None,
    /// The current session's access token (`AuthSessionMissingError` without one).
    Session,
    /// The admin API's service key.
    ServiceKey,
}

/// What the answer becomes (auth-js's `{ data, error }` shape).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// `data` is the JSON body as it came.
    Json,
    /// `data` is `null` (the body, usually empty for 204, is not read).
    Null,
    /// `data` is `{}` (the body is not read).
    EmptyObject,
    /// A session body: stored, `SIGNED_IN` emitted, `data` is `{ session, user }`.
    SignedIn,
    /// A session body raised to AAL2: stored, `MFA_CHALLENGE_VERIFIED` emitted, `data` is the
    /// body with `expires_at` added.
    MfaVerified,
    /// `data` is the body's members plus auth-js's pagination (`nextPage`, `lastPage`, `total`
    /// from the `Link` and `X-Total-Count` headers).
    Paged,
}

/// One member of a body or query: its name on the wire and where auth-js takes it from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// The name on the wire.
    pub wire: &'static str,
    /// The JS argument it comes from (`params.challengeId`); `*` spreads the argument's own
    /// members (`params` sent as it is).
    pub from: &'static str,
    /// Left out when the argument is absent.
    pub optional: bool,
}

const fn m(wire: &'static str, from: &'static str) -> Member {
    Member { wire, from, optional: false }
}

const fn opt(wire: &'static str, from: &'static str) -> Member {
    Member { wire, from, optional: true }
}

/// One request of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    /// auth-js's name, namespace included (`passkey.list`, `admin.oauth.createClient`).
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path; `{name}` placeholders are filled, URL-encoded, from the arguments in order.
    pub path: &'static str,
    /// The JS arguments filling the placeholders, in order.
    pub path_args: &'static [&'static str],
    /// Who signs.
    pub auth: Auth,
    /// Body members; an empty list sends no body unless `empty_body` is set.
    pub body: &'static [Member],
    /// Sends `{}` when no member is present (auth-js sends an empty object there).
    pub empty_body: bool,
    /// Query members.
    pub query: &'static [Member],
    /// What the answer becomes.
    pub answer: Answer,
}

const fn op(name: &'static str, method: Method, path: &'static str, auth: Auth, answer: Answer) -> Op {
    Op { name, method, path, path_args: &[], auth, body: &[], empty_body: false, query: &[], answer }
}

impl Op {
    const fn args(mut self, path_args: &'static [&'static str]) -> Op {
        self.path_args = path_args;
        self
    }
    const fn body(mut self, body: &'static [Member]) -> Op {
        self.body = body;
        self
    }
    const fn empty_body(mut self) -> Op {
        self.empty_body = true;
        self
    }
    const fn query(mut self, query: &'static [Member]) -> Op {
        self.query = query;
        self
    }

    /// The path with its placeholders filled from `args` (URL-encoded), in order.
    pub fn path_with(&self, args: &[&str]) -> String {
        let mut out = String::with_capacity(self.path.len() + 40);
        let mut rest = self.path;
        let mut args = args.iter();
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
            out.push_str(&crate::url::encode_component(args.next().copied().unwrap_or_default()));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    /// The call for this row: method and filled path (body, query and bearer are added by
    /// the typed request functions, which own the values).
    pub(crate) fn call(&self, args: &[&str]) -> ApiCall {
        ApiCall::new(self.method, self.path_with(args))
    }
}

use Answer::*;
use Auth::{None as Anyone, ServiceKey, Session};
use Method::*;

/// `POST /passkeys/registration/options`: `{ challenge_id, options, expires_at }`.
pub const PASSKEY_START_REGISTRATION: Op =
    op("passkey.startRegistration", Post, "/passkeys/registration/options", Session, Json).empty_body();
/// `POST /passkeys/registration/verify`: `{ id, friendly_name?, created_at }`.
pub const PASSKEY_VERIFY_REGISTRATION: Op =
    op("passkey.verifyRegistration", Post, "/passkeys/registration/verify", Session, Json)
        .body(&[m("challenge_id", "params.challengeId"), m("credential", "params.credential")]);
/// `POST /passkeys/authentication/options` (no session): `{ challenge_id, options, expires_at }`.
pub const PASSKEY_START_AUTHENTICATION: Op =
    op("passkey.startAuthentication", Post, "/passkeys/authentication/options", Anyone, Json)
        .body(&[m("gotrue_meta_security", "{ captcha_token: params.options.captchaToken }")]);
/// `POST /passkeys/authentication/verify`: a session.
pub const PASSKEY_VERIFY_AUTHENTICATION: Op =
    op("passkey.verifyAuthentication", Post, "/passkeys/authentication/verify", Anyone, SignedIn)
        .body(&[m("challenge_id", "params.challengeId"), m("credential", "params.credential")]);
/// `GET /passkeys`: `[PasskeyListItem]`.
pub const PASSKEY_LIST: Op = op("passkey.list", Get, "/passkeys", Session, Json);
/// `PATCH /passkeys/{id}`: the renamed `PasskeyListItem`.
pub const PASSKEY_UPDATE: Op = op("passkey.update", Patch, "/passkeys/{passkey_id}", Session, Json)
    .args(&["params.passkeyId"])
    .body(&[m("friendly_name", "params.friendlyName")]);
/// `DELETE /passkeys/{id}`: 204.
pub const PASSKEY_DELETE: Op =
    op("passkey.delete", Delete, "/passkeys/{passkey_id}", Session, Null).args(&["params.passkeyId"]);
/// `GET /admin/users/{id}/passkeys`.
pub const ADMIN_PASSKEY_LIST: Op =
    op("admin.passkey.listPasskeys", Get, "/admin/users/{user_id}/passkeys", ServiceKey, Json).args(&["params.userId"]);
/// `DELETE /admin/users/{id}/passkeys/{passkey_id}`: 204.
pub const ADMIN_PASSKEY_DELETE: Op =
    op("admin.passkey.deletePasskey", Delete, "/admin/users/{user_id}/passkeys/{passkey_id}", ServiceKey, Null)
        .args(&["params.userId", "params.passkeyId"]);

/// `GET /factors/recovery-codes`: `{ id, type, total, remaining }`.
pub const RECOVERY_CODES_STATUS: Op = op("mfa.recoveryCodes.getStatus", Get, "/factors/recovery-codes", Session, Json);
/// `POST /factors/recovery-codes`: `{ id, type, friendly_name?, total, codes }`; no body
/// without a name.
pub const RECOVERY_CODES_GENERATE: Op =
    op("mfa.recoveryCodes.generate", Post, "/factors/recovery-codes", Session, Json)
        .body(&[opt("friendly_name", "params.friendlyName")]);
/// `POST /factors/recovery-codes/verify`: an AAL2 session.
pub const RECOVERY_CODES_VERIFY: Op =
    op("mfa.recoveryCodes.verify", Post, "/factors/recovery-codes/verify", Session, MfaVerified)
        .body(&[m("code", "params.code")]);
/// `POST /factors/recovery-codes/regenerate`: like generate.
pub const RECOVERY_CODES_REGENERATE: Op =
    op("mfa.recoveryCodes.regenerate", Post, "/factors/recovery-codes/regenerate", Session, Json);
/// `DELETE /factors/recovery-codes`: `{ id }`.
pub const RECOVERY_CODES_UNENROLL: Op =
    op("mfa.recoveryCodes.unenroll", Delete, "/factors/recovery-codes", Session, Json);

/// `GET /oauth/authorizations/{id}`: the details, or `{ redirect_url }` when consent was given.
pub const OAUTH_GET_AUTHORIZATION_DETAILS: Op =
    op("oauth.getAuthorizationDetails", Get, "/oauth/authorizations/{authorization_id}", Session, Json)
        .args(&["authorizationId"]);
/// `POST /oauth/authorizations/{id}/consent` `{ action: "approve" }`: `{ redirect_url }` (auth-js
/// then navigates unless `skipBrowserRedirect`).
pub const OAUTH_APPROVE_AUTHORIZATION: Op =
    op("oauth.approveAuthorization", Post, "/oauth/authorizations/{authorization_id}/consent", Session, Json)
        .args(&["authorizationId"])
        .body(&[m("action", "'approve'")]);
/// The same with `{ action: "deny" }`.
pub const OAUTH_DENY_AUTHORIZATION: Op =
    op("oauth.denyAuthorization", Post, "/oauth/authorizations/{authorization_id}/consent", Session, Json)
        .args(&["authorizationId"])
        .body(&[m("action", "'deny'")]);
/// `GET /user/oauth/grants`: `[{ client, scopes, granted_at }]`.
pub const OAUTH_LIST_GRANTS: Op = op("oauth.listGrants", Get, "/user/oauth/grants", Session, Json);
/// `DELETE /user/oauth/grants?client_id=…`: 204, `data: {}`.
pub const OAUTH_REVOKE_GRANT: Op = op("oauth.revokeGrant", Delete, "/user/oauth/grants", Session, EmptyObject)
    .query(&[m("client_id", "options.clientId")]);

/// `GET /admin/oauth/clients?page&per_page`: `{ clients }` plus pagination.
pub const ADMIN_OAUTH_LIST_CLIENTS: Op = op("admin.oauth.listClients", Get, "/admin/oauth/clients", ServiceKey, Paged)
    .query(&[m("page", "params.page ?? ''"), m("per_page", "params.perPage ?? ''")]);
/// `POST /admin/oauth/clients`: 201, the client with its `client_secret`.
pub const ADMIN_OAUTH_CREATE_CLIENT: Op =
    op("admin.oauth.createClient", Post, "/admin/oauth/clients", ServiceKey, Json).body(&[m("*", "params")]);
/// `GET /admin/oauth/clients/{id}`.
pub const ADMIN_OAUTH_GET_CLIENT: Op =
    op("admin.oauth.getClient", Get, "/admin/oauth/clients/{client_id}", ServiceKey, Json).args(&["clientId"]);
/// `PUT /admin/oauth/clients/{id}`.
pub const ADMIN_OAUTH_UPDATE_CLIENT: Op =
    op("admin.oauth.updateClient", Put, "/admin/oauth/clients/{client_id}", ServiceKey, Json)
        .args(&["clientId"])
        .body(&[m("*", "params")]);
/// `DELETE /admin/oauth/clients/{id}`: 204, `data: null`.
pub const ADMIN_OAUTH_DELETE_CLIENT: Op =
    op("admin.oauth.deleteClient", Delete, "/admin/oauth/clients/{client_id}", ServiceKey, Null).args(&["clientId"]);
/// `POST /admin/oauth/clients/{id}/regenerate_secret`: the client with its new secret.
pub const ADMIN_OAUTH_REGENERATE_SECRET: Op = op(
    "admin.oauth.regenerateClientSecret",
    Post,
    "/admin/oauth/clients/{client_id}/regenerate_secret",
    ServiceKey,
    Json,
)
.args(&["clientId"]);

/// `GET /admin/custom-providers?type=…`: `{ providers }` (`[]` when the body lacks it).
pub const ADMIN_CUSTOM_PROVIDERS_LIST: Op =
    op("admin.customProviders.listProviders", Get, "/admin/custom-providers", ServiceKey, Json)
        .query(&[opt("type", "params.type")]);
/// `POST /admin/custom-providers`: 201, the provider.
pub const ADMIN_CUSTOM_PROVIDERS_CREATE: Op =
    op("admin.customProviders.createProvider", Post, "/admin/custom-providers", ServiceKey, Json)
        .body(&[m("*", "params")]);
/// `GET /admin/custom-providers/{identifier}`.
pub const ADMIN_CUSTOM_PROVIDERS_GET: Op =
    op("admin.customProviders.getProvider", Get, "/admin/custom-providers/{identifier}", ServiceKey, Json)
        .args(&["identifier"]);
/// `PUT /admin/custom-providers/{identifier}`.
pub const ADMIN_CUSTOM_PROVIDERS_UPDATE: Op =
    op("admin.customProviders.updateProvider", Put, "/admin/custom-providers/{identifier}", ServiceKey, Json)
        .args(&["identifier"])
        .body(&[m("*", "params")]);
/// `DELETE /admin/custom-providers/{identifier}`: `data: null`.
pub const ADMIN_CUSTOM_PROVIDERS_DELETE: Op =
    op("admin.customProviders.deleteProvider", Delete, "/admin/custom-providers/{identifier}", ServiceKey, Null)
        .args(&["identifier"]);

/// Every row, for a table-driven caller.
pub const ALL: &[Op] = &[
    PASSKEY_START_REGISTRATION,
    PASSKEY_VERIFY_REGISTRATION,
    PASSKEY_START_AUTHENTICATION,
    PASSKEY_VERIFY_AUTHENTICATION,
    PASSKEY_LIST,
    PASSKEY_UPDATE,
    PASSKEY_DELETE,
    ADMIN_PASSKEY_LIST,
    ADMIN_PASSKEY_DELETE,
    RECOVERY_CODES_STATUS,
    RECOVERY_CODES_GENERATE,
    RECOVERY_CODES_VERIFY,
    RECOVERY_CODES_REGENERATE,
    RECOVERY_CODES_UNENROLL,
    OAUTH_GET_AUTHORIZATION_DETAILS,
    OAUTH_APPROVE_AUTHORIZATION,
    OAUTH_DENY_AUTHORIZATION,
    OAUTH_LIST_GRANTS,
    OAUTH_REVOKE_GRANT,
    ADMIN_OAUTH_LIST_CLIENTS,
    ADMIN_OAUTH_CREATE_CLIENT,
    ADMIN_OAUTH_GET_CLIENT,
    ADMIN_OAUTH_UPDATE_CLIENT,
    ADMIN_OAUTH_DELETE_CLIENT,
    ADMIN_OAUTH_REGENERATE_SECRET,
    ADMIN_CUSTOM_PROVIDERS_LIST,
    ADMIN_CUSTOM_PROVIDERS_CREATE,
    ADMIN_CUSTOM_PROVIDERS_GET,
    ADMIN_CUSTOM_PROVIDERS_UPDATE,
    ADMIN_CUSTOM_PROVIDERS_DELETE,
];

/// The row of auth-js method `name` (`passkey.list`).
pub fn find(name: &str) -> Option<&'static Op> {
    ALL.iter().find(|op| op.name == name)
}
