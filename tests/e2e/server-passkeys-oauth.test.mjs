// The test server's passkey and OAuth 2.1 server endpoints, driven from real Chromium with raw
// fetch (the package's JS API does not expose these namespaces yet): a passkey made by Chromium's
// virtual authenticator registers, signs in by itself (discoverable), is listed, renamed and
// deleted; a registered OAuth client's authorization request reaches the consent page, is
// approved and denied, its code is traded with PKCE, and the grant is listed and revoked.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { FEATURES_AUTH, PAGES_LOCALHOST, PASSWORD, createUser, e2eTest, serviceRoleKey, uniqueEmail } from './helpers.mjs';

async function passwordSession(email) {
  const response = await fetch(`${FEATURES_AUTH}/token?grant_type=password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

// Runs in the page: the WebAuthn ceremonies with the options the server sent, answers
// serialized as auth-js serializes them (base64url buffers).
async function ceremonies({ auth, token }) {
  const b64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const post = async (path, body, bearer) => {
    const response = await fetch(`${auth}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const out = {};
  const start = await post('/passkeys/registration/options', {}, token);
  const o = start.body.options;
  const created = await navigator.credentials.create({
    publicKey: {
      ...o,
      challenge: bytes(o.challenge),
      user: { ...o.user, id: bytes(o.user.id) },
      excludeCredentials: (o.excludeCredentials || []).map((c) => ({ ...c, id: bytes(c.id) })),
    },
  });
  out.registered = await post('/passkeys/registration/verify', {
    challenge_id: start.body.challenge_id,
    credential: {
      id: created.id, rawId: b64(created.rawId), type: created.type,
      response: { clientDataJSON: b64(created.response.clientDataJSON), attestationObject: b64(created.response.attestationObject) },
    },
  }, token);
  const sign = await post('/passkeys/authentication/options', { gotrue_meta_security: {} });
  const r = sign.body.options;
  const got = await navigator.credentials.get({ publicKey: { ...r, challenge: bytes(r.challenge) } });
  out.signedIn = await post('/passkeys/authentication/verify', {
    challenge_id: sign.body.challenge_id,
    credential: {
      id: got.id, rawId: b64(got.rawId), type: got.type,
      response: {
        clientDataJSON: b64(got.response.clientDataJSON),
        authenticatorData: b64(got.response.authenticatorData),
        signature: b64(got.response.signature),
        userHandle: got.response.userHandle ? b64(got.response.userHandle) : null,
      },
    },
  });
  return out;
}

e2eTest('passkeys on the test server with a virtual authenticator: register, sign in, list, rename, delete, admin', async ({ context }) => {
  const email = uniqueEmail('passkey');
  const user = await createUser(FEATURES_AUTH, email);
  const token = user.access_token;
  // RP id = SITE_URL's host, `localhost`: WebAuthn refuses IP addresses.
  const page = await context.newPage();
  await page.goto(`${PAGES_LOCALHOST}/blank.html`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });

  const { registered, signedIn } = await page.evaluate(ceremonies, { auth: FEATURES_AUTH, token });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  assert.ok(registered.body.id && registered.body.created_at, JSON.stringify(registered.body));
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  assert.equal(signedIn.body.user.email, email, 'the user handle named the account');
  const claims = JSON.parse(Buffer.from(signedIn.body.access_token.split('.')[1], 'base64url'));
  assert.equal(claims.amr[0].method, 'passkey');

  const headers = { authorization: `Bearer ${signedIn.body.access_token}`, 'content-type': 'application/json' };
  let list = await (await fetch(`${FEATURES_AUTH}/passkeys`, { headers })).json();
  assert.equal(list.length, 1);
  assert.ok(list[0].last_used_at, 'the sign-in was recorded');
  const id = list[0].id;
  const renamed = await fetch(`${FEATURES_AUTH}/passkeys/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ friendly_name: 'Chromium' }) });
  assert.equal((await renamed.json()).friendly_name, 'Chromium');

  const key = await serviceRoleKey(FEATURES_AUTH);
  const admin = { authorization: `Bearer ${key}` };
  list = await (await fetch(`${FEATURES_AUTH}/admin/users/${user.user.id}/passkeys`, { headers: admin })).json();
  assert.deepEqual(list.map((p) => [p.id, p.friendly_name]), [[id, 'Chromium']]);
  const deleted = await fetch(`${FEATURES_AUTH}/passkeys/${id}`, { method: 'DELETE', headers });
  assert.equal(deleted.status, 204);
  list = await (await fetch(`${FEATURES_AUTH}/admin/users/${user.user.id}/passkeys`, { headers: admin })).json();
  assert.deepEqual(list, []);
});

e2eTest('OAuth 2.1 server on the test server: a registered client, consent in the browser (approve and deny), the code traded, grants listed and revoked', async ({ context }) => {
  const key = await serviceRoleKey(FEATURES_AUTH);
  const callback = `${PAGES_LOCALHOST}/blank.html`;
  const created = await fetch(`${FEATURES_AUTH}/admin/oauth/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'e2e app', redirect_uris: [callback] }),
  });
  assert.equal(created.status, 201);
  const client = await created.json();
  const email = uniqueEmail('oauth-server');
  await createUser(FEATURES_AUTH, email);
  const session = await passwordSession(email);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  const page = await context.newPage();
  const consentFor = async (state) => {
    const url = new URL(`${FEATURES_AUTH}/oauth/authorize`);
    for (const [k, v] of Object.entries({ client_id: client.client_id, redirect_uri: callback, response_type: 'code', scope: 'email profile', state, code_challenge: challenge, code_challenge_method: 'S256' })) {
      url.searchParams.set(k, v);
    }
    await page.goto(url.href);
    // The server sent the browser to the app's consent page, SITE_URL + /oauth/consent.
    const at = new URL(page.url());
    assert.equal(`${at.origin}${at.pathname}`, `${PAGES_LOCALHOST}/oauth/consent`);
    return at.searchParams.get('authorization_id');
  };
  // The consent page's own requests, from its origin (the server checks it against SITE_URL).
  const fromPage = (method, path, body) => page.evaluate(async ({ auth, token, method, path, body }) => {
    const response = await fetch(`${auth}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  }, { auth: FEATURES_AUTH, token: session.access_token, method, path, body });

  const denyId = await consentFor('deny-state');
  assert.equal((await fromPage('GET', `/oauth/authorizations/${denyId}`)).body.client.name, 'e2e app');
  const denied = await fromPage('POST', `/oauth/authorizations/${denyId}/consent`, { action: 'deny' });
  const deniedUrl = new URL(denied.body.redirect_url);
  assert.deepEqual([deniedUrl.searchParams.get('error'), deniedUrl.searchParams.get('state')], ['access_denied', 'deny-state']);

  const id = await consentFor('ok-state');
  const details = await fromPage('GET', `/oauth/authorizations/${id}`);
  assert.equal(details.status, 200, JSON.stringify(details.body));
  assert.equal(details.body.user.email, email);
  assert.equal(details.body.scope, 'email profile');
  const approved = await fromPage('POST', `/oauth/authorizations/${id}/consent`, { action: 'approve' });
  await page.goto(approved.body.redirect_url);
  const back = new URL(page.url());
  assert.equal(`${back.origin}${back.pathname}`, callback);
  assert.equal(back.searchParams.get('state'), 'ok-state');

  const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
  const traded = await fetch(`${FEATURES_AUTH}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code'), redirect_uri: callback, code_verifier: verifier }),
  });
  assert.equal(traded.status, 200, await traded.clone().text());
  const tokens = await traded.json();
  const user = await fetch(`${FEATURES_AUTH}/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal((await user.json()).email, email);

  const grants = await fromPage('GET', '/user/oauth/grants');
  assert.deepEqual(grants.body.map((g) => [g.client.id, g.scopes]), [[client.client_id, ['email', 'profile']]]);
  const revoked = await fromPage('DELETE', `/user/oauth/grants?client_id=${client.client_id}`);
  assert.equal(revoked.status, 204);
  assert.deepEqual((await fromPage('GET', '/user/oauth/grants')).body, []);
  const ended = await fetch(`${FEATURES_AUTH}/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(ended.status, 403, 'the client session ended with the grant');
});
