// The JS API's newer namespaces against the features server, in Chromium: passkeys through
// registerPasskey / signInWithPasskey with a virtual authenticator (Chrome DevTools Protocol),
// the passkey namespace and admin.passkey; mfa.webauthn (register, then authenticate);
// mfa.recoveryCodes behind experimental.recoveryCodes; the OAuth 2.1 server with a client
// registered through admin.oauth, consent approved and denied in the browser, grants listed
// and revoked; admin.customProviders create / list / get / update / delete.
import assert from 'node:assert/strict';
import {
  FEATURES_AUTH, PAGES_LOCALHOST, PASSWORD, call, createUser, e2eTest, invoke, invokeOk, jwtPayload, openUrl,
  serviceRoleKey, signInWithPassword, storedSession, totpCode, uniqueEmail, waitForEvent, waitReady,
} from './helpers.mjs';

// WebAuthn refuses IP addresses as relying party: the pages are on `localhost` (SITE_URL's host).
const PAGE = `${PAGES_LOCALHOST}/features.html?server=features`;

/** `window.admin`: a GoTrueAdminApi with the features server's service-role key. */
async function adminIn(page) {
  const key = await serviceRoleKey(FEATURES_AUTH);
  await page.evaluate(([url, token]) => {
    window.admin = new window.GoTrueAdminApi({ url, headers: { Authorization: `Bearer ${token}` } });
  }, [FEATURES_AUTH, key]);
}

async function virtualAuthenticator(context, page, options) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', hasUserVerification: true, isUserVerified: true, ...options },
  });
  return { cdp, authenticatorId };
}

e2eTest('passkeys through the JS API: register, sign in, list, rename, delete; admin list and delete', async ({ context }) => {
  const email = uniqueEmail('passkey-api');
  const { user } = await createUser(FEATURES_AUTH, email);
  const page = await openUrl(context, PAGE);
  await virtualAuthenticator(context, page, { transport: 'internal', hasResidentKey: true });
  await adminIn(page);

  const signedOut = await invoke(page, 'auth.passkey', 'list');
  assert.equal(signedOut.error?.name, 'AuthSessionMissingError', JSON.stringify(signedOut));
  assert.equal(signedOut.data, null);

  await signInWithPassword(page, email);
  const registered = await invokeOk(page, 'auth', 'registerPasskey');
  assert.ok(registered.id && registered.created_at, JSON.stringify(registered));

  // A discoverable sign-in: no email given, the authenticator names the account.
  await call(page, 'signOut');
  const signedIn = await invoke(page, 'auth', 'signInWithPasskey');
  assert.equal(signedIn.error, null, JSON.stringify(signedIn.error));
  assert.equal(signedIn.data.user.email, email);
  assert.equal(jwtPayload(signedIn.data.session.access_token).amr[0].method, 'passkey');
  await waitForEvent(page, 'SIGNED_IN', email);
  assert.equal((await storedSession(page))?.access_token, signedIn.data.session.access_token, 'the session is stored');

  let listed = await invokeOk(page, 'auth.passkey', 'list');
  assert.deepEqual(listed.map((p) => p.id), [registered.id]);
  assert.ok(listed[0].last_used_at, 'the sign-in was recorded');
  const renamed = await invokeOk(page, 'auth.passkey', 'update', { passkeyId: registered.id, friendlyName: 'Chromium' });
  assert.equal(renamed.friendly_name, 'Chromium');
  listed = await invokeOk(page, 'admin.passkey', 'listPasskeys', { userId: user.id });
  assert.deepEqual(listed.map((p) => [p.id, p.friendly_name]), [[registered.id, 'Chromium']]);

  const deleted = await invoke(page, 'auth.passkey', 'delete', { passkeyId: registered.id });
  assert.deepEqual(deleted, { data: null, error: null });
  assert.deepEqual(await invokeOk(page, 'admin.passkey', 'listPasskeys', { userId: user.id }), []);

  // Again, removed by an administrator this time.
  const second = await invokeOk(page, 'auth', 'registerPasskey');
  const adminDeleted = await invoke(page, 'admin.passkey', 'deletePasskey', { userId: user.id, passkeyId: second.id });
  assert.deepEqual(adminDeleted, { data: null, error: null });
  assert.deepEqual(await invokeOk(page, 'auth.passkey', 'list'), []);
  const notUuid = await page.evaluate(() => window.admin.passkey.listPasskeys({ userId: 'nope' }).then(() => 'resolved', (e) => e.message));
  assert.match(notUuid, /Expected parameter to be UUID/);

  // The credential the authenticator still holds is unknown to the server now.
  const refused = await invoke(page, 'auth', 'signInWithPasskey');
  assert.ok(refused.error, 'a deleted passkey no longer signs in');
  assert.equal(refused.data, null);
});

e2eTest('mfa.webauthn: register a security key (aal2), then authenticate with it after a password sign-in', async ({ context }) => {
  const email = uniqueEmail('webauthn-api');
  await createUser(FEATURES_AUTH, email);
  const page = await openUrl(context, PAGE);
  // auth-js asks for a cross-platform authenticator: a USB key.
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page, { transport: 'usb', hasResidentKey: false });
  await signInWithPassword(page, email);

  const registered = await invoke(page, 'auth.mfa.webauthn', 'register', { friendlyName: 'virtual key' });
  assert.equal(registered.error, null, JSON.stringify(registered.error));
  assert.equal(jwtPayload(registered.data.access_token).aal, 'aal2');
  await waitForEvent(page, 'MFA_CHALLENGE_VERIFIED', email);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  const factors = await invokeOk(page, 'auth.mfa', 'listFactors');
  assert.deepEqual(factors.webauthn.map((f) => f.friendly_name), ['virtual key']);

  await call(page, 'signOut');
  await signInWithPassword(page, email);
  const stepped = await invoke(page, 'auth.mfa.webauthn', 'authenticate', { factorId: factors.webauthn[0].id });
  assert.equal(stepped.error, null, JSON.stringify(stepped.error));
  const claims = jwtPayload(stepped.data.access_token);
  assert.equal(claims.aal, 'aal2');
  assert.equal(claims.amr[0].method, 'mfa/webauthn');
  assert.equal((await storedSession(page))?.access_token, stepped.data.access_token);
});

e2eTest('mfa.recoveryCodes: refused without experimental.recoveryCodes; generate, status, verify (aal2), regenerate, unenroll', async ({ context }) => {
  const email = uniqueEmail('recovery-api');
  await createUser(FEATURES_AUTH, email);
  const page = await openUrl(context, PAGE);
  await signInWithPassword(page, email);

  const thrown = await page.evaluate(() => window.auth.mfa.recoveryCodes.getStatus().then(() => 'resolved', (e) => e.message));
  assert.match(thrown, /recovery codes API is experimental and disabled by default/);

  // Another client on the same storage, opted in.
  await page.evaluate(([url, storageKey]) => {
    window.rc = new window.GoTrueClient({ url, storageKey, experimental: { recoveryCodes: true } });
    window.rcEvents = [];
    window.rc.onAuthStateChange((event) => window.rcEvents.push(event));
  }, [FEATURES_AUTH, await page.evaluate(() => window.config.storageKey)]);

  const notYet = await invoke(page, 'rc.mfa.recoveryCodes', 'generate');
  assert.equal(notYet.error?.code, 'insufficient_aal', JSON.stringify(notYet.error));
  // A TOTP factor first: the codes need an aal2 session and another verified factor.
  const totp = await invokeOk(page, 'rc.mfa', 'enroll', { factorType: 'totp' });
  await invokeOk(page, 'rc.mfa', 'challengeAndVerify', { factorId: totp.id, code: totpCode(totp.totp.secret) });

  const generated = await invokeOk(page, 'rc.mfa.recoveryCodes', 'generate', { friendlyName: 'backup' });
  assert.equal(generated.type, 'recovery_code');
  assert.equal(generated.codes.length, generated.total);
  let status = await invokeOk(page, 'rc.mfa.recoveryCodes', 'getStatus');
  assert.deepEqual([status.total, status.remaining], [generated.total, generated.total]);

  await page.evaluate(() => window.rc.signOut());
  await page.evaluate(([address, password]) => window.rc.signInWithPassword({ email: address, password }), [email, PASSWORD]);
  const wrong = await invoke(page, 'rc.mfa.recoveryCodes', 'verify', { code: 'not-a-code' });
  assert.equal(wrong.error?.code, 'mfa_verification_failed');
  assert.equal(wrong.data, null);
  const verified = await invokeOk(page, 'rc.mfa.recoveryCodes', 'verify', { code: generated.codes[0] });
  assert.equal(jwtPayload(verified.access_token).aal, 'aal2');
  assert.ok((await page.evaluate(() => window.rcEvents)).includes('MFA_CHALLENGE_VERIFIED'));
  assert.equal((await storedSession(page))?.access_token, verified.access_token, 'the aal2 session is stored');
  status = await invokeOk(page, 'rc.mfa.recoveryCodes', 'getStatus');
  assert.equal(status.remaining, generated.total - 1);

  const regenerated = await invokeOk(page, 'rc.mfa.recoveryCodes', 'regenerate');
  assert.equal(regenerated.codes.length, regenerated.total);
  assert.ok(!regenerated.codes.includes(generated.codes[1]), 'a new set');
  const removed = await invokeOk(page, 'rc.mfa.recoveryCodes', 'unenroll');
  assert.equal(removed.id, generated.id);
  const gone = await invoke(page, 'rc.mfa.recoveryCodes', 'getStatus');
  assert.equal(gone.error?.code, 'mfa_factor_not_found', `no codes any more: ${JSON.stringify(gone)}`);
});

e2eTest('OAuth 2.1 server through the JS API: admin.oauth client, consent denied (browser redirect) and approved, grants listed and revoked', async ({ context }) => {
  const callback = `${PAGES_LOCALHOST}/blank.html`;
  const page = await openUrl(context, PAGE);
  await adminIn(page);

  const client = await invokeOk(page, 'admin.oauth', 'createClient', { client_name: 'e2e app', redirect_uris: [callback] });
  assert.ok(client.client_id && client.client_secret, JSON.stringify(client));
  const listed = await invokeOk(page, 'admin.oauth', 'listClients');
  assert.ok(listed.clients.some((c) => c.client_id === client.client_id), JSON.stringify(listed));
  assert.equal(typeof listed.lastPage, 'number');
  assert.equal((await invokeOk(page, 'admin.oauth', 'getClient', client.client_id)).client_name, 'e2e app');
  const updated = await invokeOk(page, 'admin.oauth', 'updateClient', client.client_id, { client_name: 'e2e app (renamed)' });
  assert.equal(updated.client_name, 'e2e app (renamed)');
  const rotated = await invokeOk(page, 'admin.oauth', 'regenerateClientSecret', client.client_id);
  assert.ok(rotated.client_secret && rotated.client_secret !== client.client_secret, 'a new secret');

  const missing = await invoke(page, 'auth.oauth', 'listGrants');
  assert.equal(missing.error?.name, 'AuthSessionMissingError');
  const email = uniqueEmail('oauth-api');
  await createUser(FEATURES_AUTH, email);
  await signInWithPassword(page, email);

  // The authorization request, in the browser: the server sends it to SITE_URL/oauth/consent;
  // the app's consent page is the features page (same origin, same stored session).
  const authorize = async (state) => {
    const url = new URL(`${FEATURES_AUTH}/oauth/authorize`);
    const params = { client_id: client.client_id, redirect_uri: callback, response_type: 'code', scope: 'email profile', state, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    await page.goto(url.href);
    const at = new URL(page.url());
    assert.equal(`${at.origin}${at.pathname}`, `${PAGES_LOCALHOST}/oauth/consent`);
    const id = at.searchParams.get('authorization_id');
    await page.goto(PAGE);
    await waitReady(page);
    return id;
  };

  const denyId = await authorize('deny-state');
  const details = await invokeOk(page, 'auth.oauth', 'getAuthorizationDetails', denyId);
  assert.equal(details.client.name, 'e2e app (renamed)');
  assert.equal(details.user.email, email);
  assert.equal(details.scope, 'email profile');
  // Without skipBrowserRedirect the page follows the redirect, as auth-js does.
  await page.evaluate((id) => { window.auth.oauth.denyAuthorization(id); }, denyId);
  await page.waitForURL((url) => url.href.startsWith(callback));
  const denied = new URL(page.url());
  assert.deepEqual([denied.searchParams.get('error'), denied.searchParams.get('state')], ['access_denied', 'deny-state']);

  const id = await authorize('ok-state');
  // A consent page reads the request first (the server then ties it to the user).
  assert.equal((await invokeOk(page, 'auth.oauth', 'getAuthorizationDetails', id)).authorization_id, id);
  const approved = await invokeOk(page, 'auth.oauth', 'approveAuthorization', id, { skipBrowserRedirect: true });
  const back = new URL(approved.redirect_url);
  assert.equal(`${back.origin}${back.pathname}`, callback);
  assert.equal(back.searchParams.get('state'), 'ok-state');
  assert.ok(back.searchParams.get('code'), 'an authorization code');
  assert.ok(page.url().startsWith(PAGE), 'skipBrowserRedirect: the page stayed');

  const grants = await invokeOk(page, 'auth.oauth', 'listGrants');
  assert.deepEqual(grants.map((g) => [g.client.id, g.scopes]), [[client.client_id, ['email', 'profile']]]);
  const revoked = await invoke(page, 'auth.oauth', 'revokeGrant', { clientId: client.client_id });
  assert.deepEqual(revoked, { data: {}, error: null });
  assert.deepEqual(await invokeOk(page, 'auth.oauth', 'listGrants'), []);

  await adminIn(page); // the page was loaded again since
  const removed = await invoke(page, 'admin.oauth', 'deleteClient', client.client_id);
  assert.deepEqual(removed, { data: null, error: null });
  const lookup = await invoke(page, 'admin.oauth', 'getClient', client.client_id);
  assert.equal(lookup.error?.status, 404, JSON.stringify(lookup));
  assert.equal(lookup.data, null);
});

e2eTest('admin.customProviders: create, list (by type), get, update, delete', async ({ context }) => {
  const page = await openUrl(context, PAGE);
  await adminIn(page);
  const identifier = `custom:acme-${Date.now().toString(36)}`;
  const created = await invokeOk(page, 'admin.customProviders', 'createProvider', {
    provider_type: 'oidc', identifier, name: 'Acme', client_id: 'acme-client', client_secret: 'acme-secret',
    issuer: 'https://id.acme.test',
  });
  assert.equal(created.identifier, identifier);
  assert.equal(created.client_secret, undefined, 'the secret is never answered');
  const duplicate = await invoke(page, 'admin.customProviders', 'createProvider', {
    provider_type: 'oidc', identifier, name: 'Acme', client_id: 'acme-client', client_secret: 'acme-secret', issuer: 'https://id.acme.test',
  });
  assert.ok(duplicate.error, 'the identifier is taken');
  assert.equal(duplicate.data, null);

  const oidc = await invokeOk(page, 'admin.customProviders', 'listProviders', { type: 'oidc' });
  assert.ok(oidc.providers.some((p) => p.identifier === identifier));
  const oauth2 = await invokeOk(page, 'admin.customProviders', 'listProviders', { type: 'oauth2' });
  assert.ok(!oauth2.providers.some((p) => p.identifier === identifier), 'filtered by type');
  assert.equal((await invokeOk(page, 'admin.customProviders', 'getProvider', identifier)).name, 'Acme');
  const updated = await invokeOk(page, 'admin.customProviders', 'updateProvider', identifier, { name: 'Acme Corp' });
  assert.equal(updated.name, 'Acme Corp');
  assert.deepEqual(await invoke(page, 'admin.customProviders', 'deleteProvider', identifier), { data: null, error: null });
  const gone = await invoke(page, 'admin.customProviders', 'getProvider', identifier);
  assert.equal(gone.error?.status, 404, JSON.stringify(gone));
  const all = await invokeOk(page, 'admin.customProviders', 'listProviders');
  assert.ok(!all.providers.some((p) => p.identifier === identifier));
});
