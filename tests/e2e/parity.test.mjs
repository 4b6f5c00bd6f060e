// gotrue-wasm beside the real @supabase/auth-js 2.119.1 in ONE page (pages/parity.html, with
// auth-js bundled by scripts/e2e.sh) against the same test server: every row runs one call
// through both libraries and the two outcomes must be the same: the members of `data` (each
// one null, a string, an object, an array…; or `data: null`, or no `data` member at all), the
// error's class name, message, status and code, or what the call threw. Rows that return
// `{ exact }` compare that value exactly instead (requests seen by a `fetch` option, …).
import assert from 'node:assert/strict';
import {
  FEATURES_AUTH, PASSWORD, e2eTest, openPage, serviceRoleKey, sleep, uniqueEmail, waitForEvent,
} from './helpers.mjs';

/**
 * The rows: [name, source of `async (ctx) => result`]. In the page, `ctx` has:
 *   lib              { GoTrueClient, GoTrueAdminApi } of the library under test
 *   url              the features server
 *   fresh(options)   a client of its own (fresh storage key, no session, no auto refresh)
 *   signedIn(opts)   { client, email, session }: a new user signed up and signed in
 *   admin(key?)      a GoTrueAdminApi with the service key (or `key`)
 *   email()          a new address; uuid(): a new random UUID; serviceKey
 */
const ROWS = [
  // ---- sign-up and sign-in: success and error shapes, local checks
  ['signUp: weak password (server error)', `async (c) => (await c.fresh()).signUp({ email: c.email(), password: '1' })`],
  ['signUp: neither email nor phone', `async (c) => (await c.fresh()).signUp({ password: 'secret-123' })`],
  ['signUp: success', `async (c) => (await c.fresh()).signUp({ email: c.email(), password: c.password })`],
  ['signInWithPassword: wrong password', `async (c) => (await c.fresh()).signInWithPassword({ email: c.email(), password: 'wrong-password' })`],
  ['signInWithPassword: neither email nor phone', `async (c) => (await c.fresh()).signInWithPassword({ password: 'x' })`],
  ['signInWithPassword: success', `async (c) => { const s = await c.signedIn(); return (await c.fresh()).signInWithPassword({ email: s.email, password: c.password }); }`],
  ['signInWithOtp: email sent (no messageId)', `async (c) => (await c.fresh()).signInWithOtp({ email: c.email() })`],
  ['signInWithOtp: unknown user, shouldCreateUser false', `async (c) => (await c.fresh()).signInWithOtp({ email: c.email(), options: { shouldCreateUser: false } })`],
  ['signInWithOtp: neither email nor phone', `async (c) => (await c.fresh()).signInWithOtp({})`],
  ['verifyOtp: wrong code', `async (c) => (await c.fresh()).verifyOtp({ email: c.email(), token: '000000', type: 'email' })`],
  ['resend: neither email nor phone', `async (c) => (await c.fresh()).resend({ type: 'signup' })`],
  ['resend: email', `async (c) => (await c.fresh()).resend({ type: 'signup', email: c.email() })`],
  ['resetPasswordForEmail: sent', `async (c) => (await c.fresh()).resetPasswordForEmail(c.email())`],
  ['resetPasswordForEmail: invalid address', `async (c) => (await c.fresh()).resetPasswordForEmail('not-an-address')`],
  ['reauthenticate: no session', `async (c) => (await c.fresh()).reauthenticate()`],
  ['reauthenticate: signed in', `async (c) => (await c.signedIn()).client.reauthenticate()`],
  ['signInAnonymously: disabled on the server', `async (c) => (await c.fresh()).signInAnonymously()`],
  ['signInWithIdToken: bad token', `async (c) => (await c.fresh()).signInWithIdToken({ provider: 'google', token: 'not-a-token' })`],
  ['signInWithSSO: unknown domain', `async (c) => (await c.fresh()).signInWithSSO({ domain: 'nowhere.example.com', options: { skipBrowserRedirect: true } })`],
  ['signInWithSSO: {} goes to the server', `async (c) => (await c.fresh()).signInWithSSO({})`],
  ['signInWithSSO: success', `async (c) => (await c.fresh()).signInWithSSO({ domain: 'sso.example.com', options: { skipBrowserRedirect: true } })`],
  ['signInWithOAuth: implicit (flowId null)', `async (c) => (await c.fresh()).signInWithOAuth({ provider: 'github', options: { skipBrowserRedirect: true } })`],
  ['signInWithOAuth: PKCE (flowId)', `async (c) => (await c.fresh({ flowType: 'pkce' })).signInWithOAuth({ provider: 'github', options: { skipBrowserRedirect: true } })`],
  ['exchangeCodeForSession: no verifier', `async (c) => (await c.fresh({ flowType: 'pkce' })).exchangeCodeForSession('no-such-code')`],
  ['exchangeCodeForSession: flowId that is no flow id', `async (c) => (await c.fresh({ flowType: 'pkce' })).exchangeCodeForSession('no-such-code', { flowId: '../x' })`],
  // ---- the session and the user
  ['getSession: none', `async (c) => (await c.fresh()).getSession()`],
  ['getSession: signed in', `async (c) => (await c.signedIn()).client.getSession()`],
  // skipAutoInitialize: the events a subscriber hears, with a session stored under the key,
  // without and with the app's initialize() (events as [name, whether a session came]).
  ...['none', 'before', 'after'].map((when) => [`skipAutoInitialize: events with a stored session, initialize() ${when === 'none' ? 'never called' : `called ${when} subscribing`}`, `async (c) => {
      const storageKey = 'parity-skip-' + c.uuid();
      const first = await c.fresh({ storageKey });
      const { error } = await first.signUp({ email: c.email(), password: c.password });
      if (error) throw error;
      const client = new c.lib.GoTrueClient({ url: c.url, storageKey, autoRefreshToken: false, detectSessionInUrl: false, skipAutoInitialize: true });
      const events = [];
      const listen = () => client.onAuthStateChange((event, session) => { events.push([event, !!session]); });
      if ('${when}' === 'before') await client.initialize();
      listen();
      if ('${when}' === 'after') await client.initialize();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { data } = await client.getSession();
      return { exact: { events, session: !!data.session } };
    }`]),
  ['the stored session keeps the user as the server sent it (every member, in its order)', `async (c) => {
      let answer = null;
      const storageKey = 'parity-stored-user-' + c.uuid();
      const client = await c.fresh({ storageKey, fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (String(url).includes('/signup')) answer = await response.clone().text();
        return response;
      } });
      const { error } = await client.signUp({ email: c.email(), password: c.password });
      const sent = JSON.parse(answer).user;
      const stored = JSON.parse(localStorage.getItem(storageKey)).user;
      const { data } = await client.getSession();
      return { exact: {
        error,
        stored: JSON.stringify(stored) === JSON.stringify(sent) || Object.keys(stored),
        getSession: JSON.stringify(data.session.user) === JSON.stringify(sent) || Object.keys(data.session.user),
      } };
    }`],
  ['getUser: no session', `async (c) => (await c.fresh()).getUser()`],
  ['getUser: a token the server refuses', `async (c) => (await c.fresh()).getUser('not-a-jwt')`],
  ['getUser: signed in', `async (c) => (await c.signedIn()).client.getUser()`],
  ['setSession: no tokens', `async (c) => (await c.fresh()).setSession({})`],
  ['setSession: empty refresh token', `async (c) => (await c.fresh()).setSession({ access_token: 'x', refresh_token: '' })`],
  ['refreshSession: no session', `async (c) => (await c.fresh()).refreshSession()`],
  ['refreshSession: unknown refresh token', `async (c) => (await c.fresh()).refreshSession({ refresh_token: 'unknown-token' })`],
  ['refreshSession: signed in', `async (c) => (await c.signedIn()).client.refreshSession()`],
  ['updateUser: no session', `async (c) => (await c.fresh()).updateUser({ data: { a: 1 } })`],
  ['updateUser: signed in', `async (c) => (await c.signedIn()).client.updateUser({ data: { a: 1 } })`],
  ['signOut: no session', `async (c) => (await c.fresh()).signOut()`],
  ['signOut: signed in', `async (c) => (await c.signedIn()).client.signOut()`],
  // ---- identities
  ['getUserIdentities: no session', `async (c) => (await c.fresh()).getUserIdentities()`],
  ['getUserIdentities: signed in', `async (c) => (await c.signedIn()).client.getUserIdentities()`],
  ['linkIdentity: no session (the server answers)', `async (c) => (await c.fresh()).linkIdentity({ provider: 'github', options: { skipBrowserRedirect: true } })`],
  ['linkIdentity: signed in', `async (c) => (await c.signedIn()).client.linkIdentity({ provider: 'github', options: { skipBrowserRedirect: true } })`],
  ['linkIdentity: PKCE, scopes and queryParams (the request to the linking endpoint, flowId)', `async (c) => {
      const seen = [];
      const s = await c.signedIn({ flowType: 'pkce', fetch: (url, init) => { seen.push(new URL(url)); return fetch(url, init); } });
      const { data, error } = await s.client.linkIdentity({ provider: 'github', options: { skipBrowserRedirect: true, redirectTo: 'http://localhost:9/x', scopes: 'repo', queryParams: { prompt: 'consent' } } });
      const asked = seen.find((u) => u.pathname.endsWith('/user/identities/authorize'));
      return { exact: {
        error: error && error.message, provider: data.provider, flowId: typeof data.flowId, url: typeof data.url,
        query: asked && [...asked.searchParams.keys()], challengeLength: asked && asked.searchParams.get('code_challenge').length,
        skip: asked && asked.searchParams.get('skip_http_redirect'), prompt: asked && asked.searchParams.get('prompt'),
      } };
    }`],
  ['unlinkIdentity: no session (the server answers)', `async (c) => (await c.fresh()).unlinkIdentity({ identity_id: c.uuid(), id: 'x', user_id: c.uuid(), provider: 'github', identity_data: {}, created_at: '', last_sign_in_at: '', updated_at: '' })`],
  ['unlinkIdentity: the last identity', `async (c) => { const s = await c.signedIn(); const { data } = await s.client.getUserIdentities(); return s.client.unlinkIdentity(data.identities[0]); }`],
  // ---- claims
  ['getClaims: no session', `async (c) => (await c.fresh()).getClaims()`],
  ['getClaims: not a JWT', `async (c) => (await c.fresh()).getClaims('not-a-jwt')`],
  ['getClaims: signed in', `async (c) => (await c.signedIn()).client.getClaims()`],
  ['getClaims: the token given, allowExpired', `async (c) => { const s = await c.signedIn(); return (await c.fresh()).getClaims(s.session.access_token, { allowExpired: true }); }`],
  ['getClaims: options.keys used, no JWKS request', `async (c) => {
      const jwks = await (await fetch(c.url + '/.well-known/jwks.json')).json();
      const seen = [];
      const s = await c.signedIn({ fetch: (url, init) => { seen.push(String(url)); return fetch(url, init); } });
      const { data, error } = await s.client.getClaims(undefined, { keys: jwks.keys });
      return { exact: { sub: data && data.claims.sub === s.session.user.id, error: error && error.message, jwksRequests: seen.filter((u) => u.includes('jwks')).length } };
    }`],
  ['getClaims: options.jwks used, no JWKS request', `async (c) => {
      const jwks = await (await fetch(c.url + '/.well-known/jwks.json')).json();
      const seen = [];
      const s = await c.signedIn({ fetch: (url, init) => { seen.push(String(url)); return fetch(url, init); } });
      const { data, error } = await s.client.getClaims(undefined, { jwks });
      return { exact: { sub: data && data.claims.sub === s.session.user.id, error: error && error.message, jwksRequests: seen.filter((u) => u.includes('jwks')).length } };
    }`],
  ['getClaims: an expired token is refused before any key is looked up', `async (c) => {
      const part = (value) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/[+]/g, '-').replace(/[/]/g, '_');
      return (await c.fresh()).getClaims([part({ alg: 'ES256', kid: 'k' }), part({ sub: 'x', exp: 1000 }), 'c2ln'].join('.'));
    }`],
  ['getClaims: a token without exp', `async (c) => {
      const part = (value) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/[+]/g, '-').replace(/[/]/g, '_');
      return (await c.fresh()).getClaims([part({ alg: 'ES256', kid: 'k' }), part({ sub: 'x' }), 'c2ln'].join('.'));
    }`],
  ['getClaims: a kid the JWKS does not have, and HS256, go to the server (getUser)', `async (c) => {
      const part = (value) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/[+]/g, '-').replace(/[/]/g, '_');
      const seen = [];
      const client = await c.fresh({ fetch: (url, init) => { seen.push(init.method + ' ' + new URL(url).pathname); return fetch(url, init); } });
      const exp = Math.floor(Date.now() / 1000) + 600;
      const results = [];
      for (const header of [{ alg: 'ES256', kid: 'no-such-key' }, { alg: 'HS256' }, { alg: 'ES256' }]) {
        const { data, error } = await client.getClaims([part(header), part({ sub: 'x', exp }), 'c2ln'].join('.'));
        results.push({ data, error: error && [error.name, error.message, error.status, error.code] });
      }
      return { exact: { results, seen } };
    }`],
  ['getClaims: the JWKS cache is shared by the clients of one storage key, as auth-js shares it', `async (c) => {
      const seen = [];
      const fetcher = (url, init) => { seen.push(new URL(url).pathname); return fetch(url, init); };
      const storageKey = 'parity-jwks-' + c.uuid();
      const s = await c.signedIn({ storageKey, fetch: fetcher });
      const first = await s.client.getClaims();
      const sameKey = await (await c.fresh({ storageKey, fetch: fetcher })).getClaims(s.session.access_token);
      const otherKey = await (await c.fresh({ fetch: fetcher })).getClaims(s.session.access_token);
      return { exact: { errors: [first, sameKey, otherKey].map((r) => r.error && r.error.message), jwks: seen.filter((p) => p.endsWith('/jwks.json')).length } };
    }`],
  // ---- MFA
  ['mfa.enroll: no session (the server answers)', `async (c) => (await c.fresh()).mfa.enroll({ factorType: 'totp' })`],
  ['mfa.enroll: signed in', `async (c) => (await c.signedIn()).client.mfa.enroll({ factorType: 'totp', friendlyName: 'parity' })`],
  ['mfa.unenroll: no session (the server answers)', `async (c) => (await c.fresh()).mfa.unenroll({ factorId: c.uuid() })`],
  ['mfa.unenroll: unknown factor', `async (c) => (await c.signedIn()).client.mfa.unenroll({ factorId: c.uuid() })`],
  ['mfa.unenroll: success', `async (c) => { const s = await c.signedIn(); const { data } = await s.client.mfa.enroll({ factorType: 'totp' }); return s.client.mfa.unenroll({ factorId: data.id }); }`],
  ['mfa.challenge: no session', `async (c) => (await c.fresh()).mfa.challenge({ factorId: c.uuid() })`],
  ['mfa.challenge: unknown factor', `async (c) => (await c.signedIn()).client.mfa.challenge({ factorId: c.uuid() })`],
  ['mfa.verify: no session', `async (c) => (await c.fresh()).mfa.verify({ factorId: c.uuid(), challengeId: c.uuid(), code: '000000' })`],
  ['mfa.verify: wrong code', `async (c) => { const s = await c.signedIn(); const { data } = await s.client.mfa.enroll({ factorType: 'totp' }); const ch = await s.client.mfa.challenge({ factorId: data.id }); return s.client.mfa.verify({ factorId: data.id, challengeId: ch.data.id, code: '000000' }); }`],
  ['mfa.challengeAndVerify: unknown factor', `async (c) => (await c.signedIn()).client.mfa.challengeAndVerify({ factorId: c.uuid(), code: '000000' })`],
  ['mfa.listFactors: no session', `async (c) => (await c.fresh()).mfa.listFactors()`],
  ['mfa.listFactors: signed in', `async (c) => (await c.signedIn()).client.mfa.listFactors()`],
  ['mfa.getAuthenticatorAssuranceLevel: no session', `async (c) => (await c.fresh()).mfa.getAuthenticatorAssuranceLevel()`],
  ['mfa.getAuthenticatorAssuranceLevel: signed in', `async (c) => (await c.signedIn()).client.mfa.getAuthenticatorAssuranceLevel()`],
  ['mfa.getAuthenticatorAssuranceLevel(jwt): a token of another user', `async (c) => {
      const other = await c.signedIn();
      await other.client.mfa.enroll({ factorType: 'totp' });
      const { data, error } = await (await c.fresh()).mfa.getAuthenticatorAssuranceLevel(other.session.access_token);
      // Each library signs its own user in: the AMR timestamps may fall a second apart.
      const methods = data && data.currentAuthenticationMethods.map((m) => ({ ...m, timestamp: typeof m.timestamp }));
      return { exact: { data: data && { ...data, currentAuthenticationMethods: methods }, error: error && error.message } };
    }`],
  ['mfa.getAuthenticatorAssuranceLevel(jwt): not a JWT', `async (c) => (await c.fresh()).mfa.getAuthenticatorAssuranceLevel('not-a-jwt')`],
  // ---- admin
  ['admin.listUsers: page 1', `async (c) => c.admin().listUsers({ page: 1, perPage: 1 })`],
  ['admin.listUsers: page -1 (the server judges)', `async (c) => c.admin().listUsers({ page: -1 })`],
  ['admin.listUsers: a user token', `async (c) => c.admin((await c.signedIn()).session.access_token).listUsers()`],
  ['admin.createUser: success', `async (c) => c.admin().createUser({ email: c.email(), password: c.password, email_confirm: true })`],
  ['admin.createUser: a user token', `async (c) => c.admin((await c.signedIn()).session.access_token).createUser({ email: c.email() })`],
  ['admin.getUserById: unknown', `async (c) => c.admin().getUserById(c.uuid())`],
  ['admin.getUserById: not a UUID (throws)', `async (c) => c.admin().getUserById('not-a-uuid')`],
  ['admin.updateUserById: unknown', `async (c) => c.admin().updateUserById(c.uuid(), { user_metadata: { a: 1 } })`],
  ['admin.deleteUser: success ({ user })', `async (c) => { const a = c.admin(); const { data } = await a.createUser({ email: c.email(), password: c.password }); return a.deleteUser(data.user.id); }`],
  ['admin.deleteUser: unknown ({ user: null })', `async (c) => c.admin().deleteUser(c.uuid())`],
  ['admin.inviteUserByEmail: success', `async (c) => c.admin().inviteUserByEmail(c.email())`],
  ['admin.generateLink: success', `async (c) => c.admin().generateLink({ type: 'magiclink', email: (await c.signedIn()).email })`],
  ['admin.generateLink: a user token', `async (c) => c.admin((await c.signedIn()).session.access_token).generateLink({ type: 'magiclink', email: c.email() })`],
  ['admin.signOut: a bad token', `async (c) => c.admin().signOut('not-a-jwt')`],
  ['admin.signOut: success', `async (c) => c.admin().signOut((await c.signedIn()).session.access_token)`],
  ['admin.signOut: bad scope (throws)', `async (c) => c.admin().signOut('x', 'everywhere')`],
  ['admin.mfa.listFactors: a user token', `async (c) => { const s = await c.signedIn(); return c.admin(s.session.access_token).mfa.listFactors({ userId: s.session.user.id }); }`],
  ['admin.mfa.listFactors: success', `async (c) => c.admin().mfa.listFactors({ userId: (await c.signedIn()).session.user.id })`],
  ['admin.mfa.deleteFactor: unknown factor', `async (c) => c.admin().mfa.deleteFactor({ userId: (await c.signedIn()).session.user.id, id: c.uuid() })`],
  // ---- passkeys, mfa.webauthn, recovery codes, the OAuth 2.1 server (issue 12)
  ['passkey.list: no session', `async (c) => (await c.fresh()).passkey.list()`],
  ['passkey.list: signed in', `async (c) => (await c.signedIn()).client.passkey.list()`],
  ['passkey.startRegistration: no session', `async (c) => (await c.fresh()).passkey.startRegistration()`],
  ['passkey.startRegistration: signed in', `async (c) => (await c.signedIn()).client.passkey.startRegistration()`],
  ['passkey.verifyRegistration: unknown challenge', `async (c) => (await c.signedIn()).client.passkey.verifyRegistration({ challengeId: c.uuid(), credential: { id: 'x', rawId: 'x', type: 'public-key', response: {} } })`],
  ['passkey.startAuthentication: success', `async (c) => (await c.fresh()).passkey.startAuthentication()`],
  ['passkey.verifyAuthentication: unknown challenge', `async (c) => (await c.fresh()).passkey.verifyAuthentication({ challengeId: c.uuid(), credential: { id: 'x', rawId: 'x', type: 'public-key', response: {} } })`],
  ['passkey.update: unknown passkey', `async (c) => (await c.signedIn()).client.passkey.update({ passkeyId: c.uuid(), friendlyName: 'x' })`],
  ['passkey.delete: no session', `async (c) => (await c.fresh()).passkey.delete({ passkeyId: c.uuid() })`],
  ['passkey.delete: unknown passkey', `async (c) => (await c.signedIn()).client.passkey.delete({ passkeyId: c.uuid() })`],
  ['mfa.webauthn.enroll: signed in', `async (c) => (await c.signedIn()).client.mfa.webauthn.enroll({ friendlyName: 'key' })`],
  ['mfa.webauthn.challenge: unknown factor', `async (c) => (await c.signedIn()).client.mfa.webauthn.challenge({ factorId: c.uuid(), webauthn: { rpId: location.hostname } })`],
  ['mfa.webauthn.register: no session (enroll refused)', `async (c) => (await c.fresh()).mfa.webauthn.register({ friendlyName: 'key' })`],
  ['mfa.webauthn.authenticate: unknown factor', `async (c) => (await c.signedIn()).client.mfa.webauthn.authenticate({ factorId: c.uuid() })`],
  ['without WebAuthn in the browser: signInWithPasskey, registerPasskey, mfa.webauthn', `async (c) => {
      const saved = Object.getOwnPropertyDescriptor(window, 'PublicKeyCredential');
      delete window.PublicKeyCredential;
      try {
        const s = await c.signedIn();
        const all = [await s.client.signInWithPasskey(), await s.client.registerPasskey(),
          await s.client.mfa.webauthn.register({ friendlyName: 'k' }), await s.client.mfa.webauthn.authenticate({ factorId: c.uuid() })];
        return { exact: all.map(({ data, error }) => ({ data, error: error && [error.name, error.message] })) };
      } finally {
        Object.defineProperty(window, 'PublicKeyCredential', saved);
      }
    }`],
  ['mfa.recoveryCodes: not opted in (throws)', `async (c) => (await c.signedIn()).client.mfa.recoveryCodes.getStatus()`],
  ['mfa.recoveryCodes.getStatus: no session', `async (c) => (await c.fresh({ experimental: { recoveryCodes: true } })).mfa.recoveryCodes.getStatus()`],
  ['mfa.recoveryCodes.getStatus: none enrolled', `async (c) => (await c.signedIn({ experimental: { recoveryCodes: true } })).client.mfa.recoveryCodes.getStatus()`],
  ['mfa.recoveryCodes.generate: aal1', `async (c) => (await c.signedIn({ experimental: { recoveryCodes: true } })).client.mfa.recoveryCodes.generate({ friendlyName: 'x' })`],
  ['mfa.recoveryCodes.verify: not enrolled', `async (c) => (await c.signedIn({ experimental: { recoveryCodes: true } })).client.mfa.recoveryCodes.verify({ code: 'abc' })`],
  ['mfa.recoveryCodes.regenerate: aal1', `async (c) => (await c.signedIn({ experimental: { recoveryCodes: true } })).client.mfa.recoveryCodes.regenerate()`],
  ['mfa.recoveryCodes.unenroll: aal1', `async (c) => (await c.signedIn({ experimental: { recoveryCodes: true } })).client.mfa.recoveryCodes.unenroll()`],
  ['oauth.listGrants: no session', `async (c) => (await c.fresh()).oauth.listGrants()`],
  ['oauth.listGrants: signed in', `async (c) => (await c.signedIn()).client.oauth.listGrants()`],
  ['oauth.getAuthorizationDetails: unknown', `async (c) => (await c.signedIn()).client.oauth.getAuthorizationDetails(c.uuid())`],
  ['oauth.approveAuthorization: unknown', `async (c) => (await c.signedIn()).client.oauth.approveAuthorization(c.uuid(), { skipBrowserRedirect: true })`],
  ['oauth.denyAuthorization: no session', `async (c) => (await c.fresh()).oauth.denyAuthorization(c.uuid())`],
  ['oauth.revokeGrant: unknown client', `async (c) => (await c.signedIn()).client.oauth.revokeGrant({ clientId: c.uuid() })`],
  ['admin.oauth: create, get, update, regenerate, delete', `async (c) => {
      const a = c.admin();
      const { data } = await a.oauth.createClient({ client_name: 'parity', redirect_uris: ['http://localhost/cb'] });
      const got = await a.oauth.getClient(data.client_id);
      const updated = await a.oauth.updateClient(data.client_id, { client_name: 'parity 2' });
      const secret = await a.oauth.regenerateClientSecret(data.client_id);
      const deleted = await a.oauth.deleteClient(data.client_id);
      const shape = (r) => ({ keys: r.data && Object.keys(r.data).sort(), error: r.error && r.error.message });
      return { exact: [shape(got), shape(updated), shape(secret), deleted] };
    }`],
  ['admin.oauth.listClients: success', `async (c) => c.admin().oauth.listClients()`],
  ['admin.oauth.listClients: a user token', `async (c) => c.admin((await c.signedIn()).session.access_token).oauth.listClients()`],
  ['admin.oauth.createClient: no redirect URIs', `async (c) => c.admin().oauth.createClient({ client_name: 'parity' })`],
  ['admin.oauth.getClient: unknown', `async (c) => c.admin().oauth.getClient(c.uuid())`],
  ['admin.oauth.deleteClient: unknown', `async (c) => c.admin().oauth.deleteClient(c.uuid())`],
  ['admin.customProviders.listProviders: success', `async (c) => c.admin().customProviders.listProviders({ type: 'oidc' })`],
  ['admin.customProviders.listProviders: a user token', `async (c) => c.admin((await c.signedIn()).session.access_token).customProviders.listProviders()`],
  ['admin.customProviders.createProvider: missing members', `async (c) => c.admin().customProviders.createProvider({ provider_type: 'oidc', identifier: 'custom:parity' })`],
  ['admin.customProviders.getProvider: unknown', `async (c) => c.admin().customProviders.getProvider('custom:nobody')`],
  ['admin.customProviders.deleteProvider: unknown', `async (c) => c.admin().customProviders.deleteProvider('custom:nobody')`],
  ['admin.passkey.listPasskeys: success', `async (c) => c.admin().passkey.listPasskeys({ userId: (await c.signedIn()).session.user.id })`],
  ['admin.passkey.listPasskeys: not a UUID (throws)', `async (c) => c.admin().passkey.listPasskeys({ userId: 'nope' })`],
  ['admin.passkey.deletePasskey: unknown', `async (c) => c.admin().passkey.deletePasskey({ userId: (await c.signedIn()).session.user.id, passkeyId: c.uuid() })`],
  // ---- what throws, and small API members
  ['signInWithWeb3: unsupported chain (throws)', `async (c) => (await c.fresh()).signInWithWeb3({ chain: 'bitcoin' })`],
  ['signInWithWeb3: no wallet in the page (throws)', `async (c) => (await c.fresh()).signInWithWeb3({ chain: 'ethereum' })`],
  ['signInWithWeb3: no Solana wallet in the page (throws)', `async (c) => (await c.fresh()).signInWithWeb3({ chain: 'solana', statement: 'hi' })`],
  ['signInWithWeb3: a SIWE statement with a line break (throws)', `async (c) => {
      const wallet = { request: async ({ method }) => (method === 'eth_requestAccounts' ? ['0x2c7536e3605d9c16a7a3d7b1898e529396a65c23'] : '0x1') };
      return (await c.fresh()).signInWithWeb3({ chain: 'ethereum', wallet, statement: 'two\\nlines' });
    }`],
  ['signInWithWeb3: the SIWE message with every option, as the wallet and the server get it', `async (c) => {
      const bodies = [];
      const client = await c.fresh({ fetch: (url, init) => { bodies.push(JSON.parse(init.body)); return fetch(url, init); } });
      const asked = [];
      const wallet = { request: async ({ method, params }) => {
        asked.push([method, params ?? null]);
        if (method === 'eth_requestAccounts') return ['0x2C7536E3605D9C16A7A3D7B1898E529396A65C23'];
        return method === 'eth_chainId' ? '0x89' : '0x' + '11'.repeat(65);
      } };
      const signInWithEthereum = {
        nonce: 'abcdefgh12', issuedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), expirationTime: new Date(Date.UTC(2026, 0, 3)),
        notBefore: new Date(Date.UTC(2026, 0, 1)), requestId: 'request-1', resources: ['https://a.example.com/x', 'ipfs://y'],
      };
      const full = await client.signInWithWeb3({ chain: 'ethereum', wallet, statement: 'Parity', options: { url: 'https://app.example.com/in?x=1', captchaToken: 'captcha-1', signInWithEthereum } });
      const bare = await client.signInWithWeb3({ chain: 'ethereum', wallet, options: { url: 'https://app.example.com/', signInWithEthereum: { chainId: 5, nonce: 'zyxwvuts', issuedAt: signInWithEthereum.issuedAt } } });
      return { exact: { asked, bodies, errors: [full, bare].map((r) => r.error && [r.error.name, r.error.status]) } };
    }`],
  ['signInWithWeb3: the SIWS message built for signMessage(), as the wallet and the server get it', `async (c) => {
      const bodies = [];
      const client = await c.fresh({ fetch: (url, init) => { bodies.push(JSON.parse(init.body)); return fetch(url, init); } });
      const signed = [];
      const wallet = {
        publicKey: { toBase58: () => 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z' },
        signMessage: async (bytes, encoding) => { signed.push([new TextDecoder().decode(bytes), encoding]); return new Uint8Array(64).fill(251); },
      };
      const signInWithSolana = {
        issuedAt: '2026-01-02T03:04:05.000Z', notBefore: '2026-01-01T00:00:00Z', expirationTime: '2026-01-03T00:00:00Z',
        chainId: 'mainnet', nonce: 'nonce-1', requestId: 'request-1', resources: ['https://a.example.com/x', 'ipfs://y'],
      };
      const full = await client.signInWithWeb3({ chain: 'solana', wallet, statement: 'Parity', options: { url: 'https://app.example.com/in', signInWithSolana } });
      const bare = await client.signInWithWeb3({ chain: 'solana', wallet, options: { url: 'https://app.example.com/', signInWithSolana: { issuedAt: signInWithSolana.issuedAt } } });
      return { exact: { signed, bodies, errors: [full, bare].map((r) => r.error && [r.error.name, r.error.status]) } };
    }`],
  ['signInWithWeb3: a Solana wallet with signIn() builds its own message', `async (c) => {
      const bodies = [];
      const client = await c.fresh({ fetch: (url, init) => { bodies.push(JSON.parse(init.body)); return fetch(url, init); } });
      const inputs = [];
      const wallet = { signIn: async (input) => { inputs.push(input); return [{ signedMessage: new TextEncoder().encode('signed by the wallet'), signature: new Uint8Array(64).fill(3) }]; } };
      const result = await client.signInWithWeb3({ chain: 'solana', wallet, statement: 'Parity', options: { url: 'https://app.example.com/in', signInWithSolana: { issuedAt: '2026-01-02T03:04:05.000Z', nonce: 'n-1' } } });
      return { exact: { inputs, bodies, error: result.error && [result.error.name, result.error.status] } };
    }`],
  ['signInWithWeb3: a message the app signed itself (Solana bytes, Ethereum hex, captcha)', `async (c) => {
      const bodies = [];
      const client = await c.fresh({ fetch: (url, init) => { bodies.push(JSON.parse(init.body)); return fetch(url, init); } });
      const solana = await client.signInWithWeb3({ chain: 'solana', message: 'signed elsewhere', signature: new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]) });
      const ethereum = await client.signInWithWeb3({ chain: 'ethereum', message: 'signed elsewhere', signature: '0xabcdef', options: { captchaToken: 'captcha-2' } });
      return { exact: { bodies, errors: [solana, ethereum].map((r) => r.error && [r.error.name, r.error.status]) } };
    }`],
  ['custom storage whose getItem throws: getSession throws it', `async (c) => {
      const client = await c.fresh({ storage: { getItem() { throw new Error('getItem exploded'); }, setItem() {}, removeItem() {} } });
      return client.getSession();
    }`],
  ['custom storage whose removeItem throws: getSession throws it', `async (c) => {
      const client = await c.fresh({ storage: { getItem: () => '{"not":"a session"}', setItem() {}, removeItem() { throw new Error('removeItem exploded'); } } });
      return client.getSession();
    }`],
  ['isThrowOnErrorEnabled and a Promise from dispose()', `async (c) => {
      const plain = await c.fresh();
      const throwing = await c.fresh({ throwOnError: true });
      const disposed = plain.dispose();
      return { exact: { plain: plain.isThrowOnErrorEnabled(), throwing: throwing.isThrowOnErrorEnabled(), disposeIsPromise: typeof disposed?.then === 'function' } };
    }`],
  ['the fetch option: every request, called as auth-js calls it', `async (c) => {
      const seen = [];
      const record = (url, init) => {
        seen.push({
          url: String(url).replace(c.url, ''),
          init: Object.keys(init).sort(),
          method: init.method,
          headers: Object.keys(init.headers).map((h) => h.toLowerCase()).filter((h) => h !== 'x-client-info').sort(),
          body: init.body === undefined ? null : JSON.parse(init.body),
        });
        return fetch(url, init);
      };
      const client = await c.fresh({ fetch: record, headers: { apikey: 'anon' } });
      await client.signInWithPassword({ email: 'nobody@example.com', password: 'wrong-password' });
      await client.getUser('not-a-jwt');
      await new c.lib.GoTrueAdminApi({ url: c.url, headers: { Authorization: 'Bearer ' + c.serviceKey }, fetch: record }).getUserById('00000000-0000-4000-8000-000000000001');
      // auth-js writes \`gotrue_meta_security: { captcha_token: undefined }\`, i.e. {}: the same request.
      for (const request of seen) {
        if (request.body && JSON.stringify(request.body.gotrue_meta_security) === '{}') delete request.body.gotrue_meta_security;
      }
      return { exact: seen };
    }`],
];

/** Runs one row in the page with library `lib` ('ours' | 'authjs'); plain data back. */
function runRow(page, lib, source, serviceKey) {
  return page.evaluate(async ([libName, src, key, password]) => {
    const lib = window.libs[libName];
    const url = window.config.servers.features;
    let n = 0;
    const rnd = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const ctx = {
      lib,
      url,
      password,
      serviceKey: key,
      email: () => `parity-${libName}-${rnd()}@example.com`,
      uuid: () => crypto.randomUUID(),
      fresh: async (options = {}) => {
        const client = new lib.GoTrueClient({
          url, storageKey: `parity-${libName}-${rnd()}-${(n += 1)}`, autoRefreshToken: false, detectSessionInUrl: false, ...options,
        });
        await client.initialize();
        return client;
      },
      signedIn: async (options = {}) => {
        const client = await ctx.fresh(options);
        const email = ctx.email();
        const { data, error } = await client.signUp({ email, password });
        if (error || !data.session) throw new Error(`sign-up failed: ${error && error.message}`);
        return { client, email, session: data.session };
      },
      admin: (token = key) => new lib.GoTrueAdminApi({ url, headers: { Authorization: `Bearer ${token}`, apikey: token } }),
    };
    const shape = (value, depth = 0) => {
      if (value === null) return null;
      if (value === undefined) return 'undefined';
      if (Array.isArray(value)) return 'array';
      if (value instanceof Uint8Array) return 'Uint8Array';
      if (typeof value !== 'object') return typeof value;
      if (depth >= 1) return 'object';
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape(value[k], depth + 1)]));
    };
    const errorOf = (e) => (e ? { name: e.name, message: e.message, status: e.status ?? null, code: e.code ?? null } : null);
    try {
      const fn = (0, eval)(`(${src})`);
      const result = await fn(ctx);
      if (result && typeof result === 'object' && 'exact' in result) return { exact: result.exact };
      return {
        data: result && 'data' in result ? shape(result.data) : '(no data member)',
        error: errorOf(result && result.error),
      };
    } catch (thrown) {
      return { threw: { name: thrown?.name ?? typeof thrown, message: thrown?.message ?? String(thrown) } };
    }
  }, [lib, source, serviceKey, PASSWORD]);
}

e2eTest('every method answers as auth-js does: data shapes on success and error, messages, throws', async ({ context }) => {
  const serviceKey = await serviceRoleKey(FEATURES_AUTH);
  const page = await openPage(context, 'parity.html');
  const differences = [];
  for (const [name, source] of ROWS) {
    const reference = await runRow(page, 'authjs', source, serviceKey);
    const ours = await runRow(page, 'ours', source, serviceKey);
    try {
      assert.deepEqual(ours, reference);
    } catch {
      differences.push(`${name}\n    auth-js: ${JSON.stringify(reference)}\n    ours:    ${JSON.stringify(ours)}`);
    }
  }
  assert.equal(differences.length, 0, `${differences.length} of ${ROWS.length} rows differ:\n${differences.join('\n')}`);
}, { timeout: 240_000 });

e2eTest('a storage key with a lone surrogate: the session auth-js wrote under it is found', async ({ context }) => {
  const page = await openPage(context, 'parity.html');
  const email = uniqueEmail('lone-surrogate');
  const outcome = await page.evaluate(async ([address, password]) => {
    const url = window.config.servers.main;
    const storageKey = `sb-${String.fromCharCode(0xd800)}-auth-token`;
    const writer = new window.libs.authjs.GoTrueClient({ url, storageKey, autoRefreshToken: false });
    const { data, error } = await writer.signUp({ email: address, password });
    if (error) return { error: error.message };
    const reader = new window.libs.ours.GoTrueClient({ url, storageKey, autoRefreshToken: false });
    const found = await reader.getSession();
    // And what we write lands under that same key.
    await reader.refreshSession();
    const rewritten = JSON.parse(localStorage.getItem(storageKey) ?? 'null');
    const after = await writer.getSession();
    return {
      wrote: data.session.access_token,
      found: found.data.session?.access_token ?? null,
      keys: Object.keys(localStorage).filter((k) => k.startsWith('sb-')).map((k) => [...k].map((ch) => ch.charCodeAt(0).toString(16)).join(' ')),
      rewrittenIsNew: rewritten !== null && rewritten.refresh_token !== data.session.refresh_token,
      authjsSeesIt: after.data.session?.refresh_token === rewritten?.refresh_token,
    };
  }, [email, PASSWORD]);
  assert.equal(outcome.error, undefined);
  assert.equal(outcome.found, outcome.wrote, `stored under: ${JSON.stringify(outcome.keys)}`);
  assert.ok(outcome.rewrittenIsNew, 'the refreshed session was written under the same key');
  assert.ok(outcome.authjsSeesIt, 'auth-js reads what gotrue-wasm wrote under that key');
});

/** Opens parity.html with a client of `lib` built at start-up, signs in, reloads. */
async function eventsAfterReload(context, lib, email) {
  const key = `parity-events-${lib}-${Date.now().toString(36)}`;
  const page = await openPage(context, `parity.html?events=${lib}&server=features&key=${key}`);
  await page.evaluate(async ([address, password]) => {
    const { error } = await window.auth.signUp({ email: address, password });
    if (error) throw new Error(error.message);
  }, [email, PASSWORD]);
  await waitForEvent(page, 'SIGNED_IN', email);
  await page.reload();
  await page.waitForFunction(() => window.ready === true);
  await waitForEvent(page, 'INITIAL_SESSION', null);
  await sleep(300);
  const atStart = await page.evaluate(() => window.events);
  // The tab is hidden, then shown again.
  for (const state of ['hidden', 'visible']) {
    await page.evaluate((visibility) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => visibility === 'hidden' });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    }, state);
    await sleep(300);
  }
  const afterShown = (await page.evaluate(() => window.events)).slice(atStart.length);
  await page.close();
  return { atStart, afterShown };
}

e2eTest('events: SIGNED_IN for a recovered session at start-up and when the tab is shown again, in auth-js\'s order', async ({ context }) => {
  const reference = await eventsAfterReload(context, 'authjs', uniqueEmail('events-authjs'));
  const ours = await eventsAfterReload(context, 'ours', uniqueEmail('events-ours'));
  const who = (list) => list.map(([event, email]) => [event, email === null ? null : 'the user']);
  assert.deepEqual(who(reference.atStart), [['SIGNED_IN', 'the user'], ['INITIAL_SESSION', 'the user']], 'auth-js itself');
  assert.deepEqual(who(ours.atStart), who(reference.atStart));
  assert.deepEqual(who(reference.afterShown), [['SIGNED_IN', 'the user']], 'auth-js itself');
  assert.deepEqual(who(ours.afterShown), who(reference.afterShown));
});
