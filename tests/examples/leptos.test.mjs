// The Leptos example app (examples/leptos) in headless Chromium against the test server:
// what a person does with it, and what must be true in the page and in localStorage after
// each step. scripts/examples.sh builds and serves the app and sets EXAMPLE_*.
import assert from 'node:assert/strict';
import { PASSWORD, WAIT_MS, createUser, e2eTest, jwtPayload, serviceRoleKey, uniqueEmail } from '../e2e/helpers.mjs';

const APP = process.env.EXAMPLE_APP_URL ?? 'http://127.0.0.1:9931';
const AUTH = process.env.EXAMPLE_AUTH_URL ?? 'http://127.0.0.1:9930';
// WebAuthn refuses an IP address as relying party: the passkey tests open the app as
// `localhost` (the server's SITE_URL host, its relying party id).
const APP_LOCALHOST = process.env.EXAMPLE_APP_LOCALHOST_URL ?? APP.replace('//127.0.0.1:', '//localhost:');
const STORAGE_KEY = 'leptos-example-auth';

async function openApp(context, at = APP) {
  const page = await context.newPage();
  await page.goto(`${at}/`);
  await page.waitForSelector('#sign-in-form, #user', { timeout: WAIT_MS });
  return page;
}

const stored = (page) => page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
const text = (page, selector) => page.locator(selector).innerText({ timeout: WAIT_MS });
const errorShown = (page) => page.locator('#error').innerText().catch(() => '');

async function expectSignedInAs(page, email, provider) {
  await page.waitForSelector('#user-email', { timeout: WAIT_MS }).catch(async () => {
    throw new Error(`not signed in; error shown: ${JSON.stringify(await errorShown(page))}`);
  });
  assert.equal(await text(page, '#user-email'), email);
  assert.equal(await text(page, '#user-provider'), provider);
  // The user fetched from the server (GET /user with the session's token) is the stored one.
  const session = JSON.parse(await stored(page));
  assert.equal(session.user.email, email);
  await page.waitForFunction(() => /^[0-9a-f-]{36}$/.test(document.querySelector('#user-id')?.textContent ?? ''), null, {
    timeout: WAIT_MS,
  });
  assert.equal(await text(page, '#user-id'), session.user.id);
  // The app handed the session to JS with the serde feature's to_js_value: a plain object
  // equal to what localStorage holds, and from_js_value read it back unchanged.
  const { published, roundTrip } = await page.evaluate(() => ({
    published: window.currentSession,
    roundTrip: window.sessionRoundTrip,
  }));
  assert.deepEqual(published, JSON.parse(await stored(page)));
  assert.equal(roundTrip, true);
}

async function signOut(page) {
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in-form', { timeout: WAIT_MS });
  assert.equal(await stored(page), null, 'signing out removes the stored session');
  assert.equal(await page.evaluate(() => window.currentSession), null);
}

e2eTest('Leptos app: password sign-in shows the user, survives a reload, and signs out', async ({ context }) => {
  const email = uniqueEmail('leptos');
  await createUser(AUTH, email);
  const page = await openApp(context);
  assert.equal(await stored(page), null);

  // A wrong password: the server's message, no session.
  await page.fill('#email', email);
  await page.fill('#password', 'not-the-password');
  await page.click('#sign-in');
  await page.waitForFunction(() => document.querySelector('#error')?.textContent, null, { timeout: WAIT_MS });
  assert.match(await errorShown(page), /invalid/i);
  assert.equal(await stored(page), null);

  await page.fill('#password', PASSWORD);
  await page.click('#sign-in');
  await expectSignedInAs(page, email, 'email');
  assert.equal(await errorShown(page), '', 'a successful sign-in clears the error');

  // A new page load recovers the session from localStorage (INITIAL_SESSION).
  await page.reload();
  await page.waitForSelector('#sign-in-form, #user', { timeout: WAIT_MS });
  await expectSignedInAs(page, email, 'email');

  await signOut(page);
});

e2eTest('Leptos app: GitHub sign-in with PKCE through the fake provider', async ({ context }) => {
  const page = await openApp(context);
  const authorize = page.waitForRequest((request) => request.url().startsWith(`${AUTH}/authorize?`), { timeout: WAIT_MS });
  await page.click('#github');
  const start = new URL((await authorize).url());
  assert.equal(start.searchParams.get('provider'), 'github');
  assert.equal(start.searchParams.get('code_challenge_method')?.toLowerCase(), 's256');
  assert.ok(start.searchParams.get('code_challenge'), 'the PKCE flow sends a code challenge');
  // Back to the app at exactly the address it gave: as in auth-js 2.119, no `sb_flow_id` is
  // appended unless the app opts in (an exact allow-list entry must still match).
  assert.equal(start.searchParams.get('redirect_to'), `${APP}/`);

  // The provider's consent page: sign in there as `email` and allow.
  await page.waitForURL((url) => url.pathname === '/__test/oauth/authorize', { timeout: WAIT_MS });
  const email = uniqueEmail('leptos-oauth');
  await page.fill('#email', email);
  const back = page.waitForRequest((request) => request.url().startsWith(`${APP}/?`) && request.isNavigationRequest(), {
    timeout: WAIT_MS,
  });
  await page.click('#allow');
  const landed = new URL((await back).url());
  assert.ok(landed.searchParams.get('code'), `the server came back with a code: ${landed}`);

  await expectSignedInAs(page, email, 'github');
  // The app's client exchanged the code and cleaned the address bar.
  assert.equal(new URL(page.url()).search, '', `no auth parameters left in ${page.url()}`);
  // This flow's verifier (`<key>-flow-<id>-code-verifier`, or the legacy `<key>-code-verifier`)
  // is gone; the index of flows (`<key>-flows-code-verifier`) may stay.
  const verifier = new RegExp(`^${STORAGE_KEY}-(flow-.+-)?code-verifier$`);
  const verifiers = await page.evaluate(() => Object.keys(localStorage));
  assert.deepEqual(verifiers.filter((key) => verifier.test(key)), [], 'the PKCE verifier is removed once used');

  await signOut(page);
});

/** Chromium's virtual authenticator on `page` (Chrome DevTools Protocol), answering at once. */
async function virtualAuthenticator(context, page, options) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', hasUserVerification: true, isUserVerified: true, ...options },
  });
  return { cdp, authenticatorId };
}

async function passwordSignIn(page, email) {
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('#sign-in');
  await expectSignedInAs(page, email, 'email');
}

/** Waits until `selector`'s text is `expected`, reporting the app's error otherwise. */
async function waitForText(page, selector, expected) {
  await page
    .waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout: WAIT_MS })
    .catch(async () => {
      const shown = await page.locator(selector).innerText().catch(() => '(absent)');
      throw new Error(`${selector} is ${JSON.stringify(shown)}, not ${JSON.stringify(expected)}; error shown: ${JSON.stringify(await errorShown(page))}`);
    });
}

/** The server's own answer, with the service-role key (`GET /admin/users/{id}/…`). */
async function adminGet(path) {
  const key = await serviceRoleKey(AUTH);
  const response = await fetch(`${AUTH}/admin/${path}`, { headers: { Authorization: `Bearer ${key}`, apikey: key } });
  assert.equal(response.status, 200, `GET /admin/${path}`);
  return response.json();
}

/** Removes `toJSON` from the browser's credentials: the app must build the JSON itself. */
const withoutCredentialToJSON = (page) => page.evaluate(() => delete window.PublicKeyCredential.prototype.toJSON);

e2eTest('Leptos app: register a passkey, sign out, sign in with it (BrowserAuth passkey ceremonies)', async ({ context }) => {
  const email = uniqueEmail('leptos-passkey');
  const { user } = await createUser(AUTH, email);
  const page = await openApp(context, APP_LOCALHOST);
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page, { transport: 'internal', hasResidentKey: true });
  await passwordSignIn(page, email);

  await page.click('#register-passkey');
  await page.waitForFunction(() => /^Registered passkey /.test(document.querySelector('#passkey-status')?.textContent ?? ''), null, {
    timeout: WAIT_MS,
  }).catch(async () => { throw new Error(`no passkey registered; error shown: ${JSON.stringify(await errorShown(page))}`); });
  const passkeyId = (await text(page, '#passkey-status')).replace('Registered passkey ', '');
  // The server lists it for this user, and the authenticator holds a discoverable credential.
  assert.deepEqual((await adminGet(`users/${user.id}/passkeys`)).map((p) => p.id), [passkeyId]);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].isResidentCredential, true);

  // Again with the same authenticator: the server excludes its credential, the browser refuses,
  // and the app shows auth-js's WebAuthn error code; the session stays as it was.
  const before = await stored(page);
  await page.click('#register-passkey');
  await waitForText(page, '#error-code', 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED');
  assert.equal(await stored(page), before);
  assert.equal((await adminGet(`users/${user.id}/passkeys`)).length, 1);

  await signOut(page);
  // A discoverable sign-in: no email given, the authenticator names the account.
  await page.click('#passkey-sign-in');
  await expectSignedInAs(page, email, 'email');
  let session = JSON.parse(await stored(page));
  assert.equal(session.user.id, user.id);
  assert.equal(jwtPayload(session.access_token).amr[0].method, 'passkey');
  const [listed] = await adminGet(`users/${user.id}/passkeys`);
  assert.ok(listed.last_used_at, 'the server recorded the sign-in');

  // Once more in a browser whose credentials have no toJSON(): the app writes the assertion's
  // JSON member by member.
  await signOut(page);
  await withoutCredentialToJSON(page);
  await page.click('#passkey-sign-in');
  await expectSignedInAs(page, email, 'email');
  session = JSON.parse(await stored(page));
  assert.equal(session.user.id, user.id);
  assert.equal(jwtPayload(session.access_token).amr[0].method, 'passkey');
  await signOut(page);
});

e2eTest('Leptos app: a security key as second factor (register: aal2), then a step-up with it after a password sign-in', async ({ context }) => {
  const email = uniqueEmail('leptos-webauthn');
  const { user } = await createUser(AUTH, email);
  const page = await openApp(context, APP_LOCALHOST);
  // auth-js asks for a cross-platform authenticator: a USB key.
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page, { transport: 'usb', hasResidentKey: false });
  await passwordSignIn(page, email);
  assert.equal(await text(page, '#aal'), 'aal1');

  // The registration's credential goes to the server without toJSON() (built by the app).
  await withoutCredentialToJSON(page);
  await page.fill('#security-key-name', 'Virtual key');
  await page.click('#register-security-key');
  await waitForText(page, '#security-key-status', 'Security key registered');
  await waitForText(page, '#aal', 'aal2');
  let session = JSON.parse(await stored(page));
  assert.equal(jwtPayload(session.access_token).aal, 'aal2', 'the aal2 session is stored');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  const factors = (await adminGet(`users/${user.id}/factors`)).filter((f) => f.factor_type === 'webauthn');
  assert.deepEqual(factors.map((f) => [f.friendly_name, f.status]), [['Virtual key', 'verified']]);

  // A new password sign-in is aal1 again; the key steps it up.
  await page.reload();
  await page.waitForSelector('#user', { timeout: WAIT_MS });
  await signOut(page);
  await passwordSignIn(page, email);
  await waitForText(page, '#aal', 'aal1');
  await page.click('#authenticate-security-key');
  await waitForText(page, '#security-key-status', 'Verified with the security key');
  await waitForText(page, '#aal', 'aal2');
  session = JSON.parse(await stored(page));
  const claims = jwtPayload(session.access_token);
  assert.equal(claims.aal, 'aal2');
  assert.equal(claims.amr[0].method, 'mfa/webauthn');
  assert.equal(session.user.id, user.id);
  await signOut(page);
});

e2eTest('Leptos app: the passkey list renames and deletes passkeys (passkey_update, passkey_delete)', async ({ context }) => {
  const email = uniqueEmail('leptos-passkey-list');
  const { user } = await createUser(AUTH, email);
  const page = await openApp(context, APP_LOCALHOST);
  await virtualAuthenticator(context, page, { transport: 'internal', hasResidentKey: true });
  await passwordSignIn(page, email);
  assert.equal(await page.locator('#passkey-list .passkey').count(), 0);

  await page.click('#register-passkey');
  await page.waitForSelector('#passkey-list .passkey', { timeout: WAIT_MS }).catch(async () => {
    throw new Error(`no passkey listed; error shown: ${JSON.stringify(await errorShown(page))}`);
  });
  const passkeyId = (await text(page, '#passkey-status')).replace('Registered passkey ', '');
  assert.equal(await page.locator('#passkey-list .passkey').getAttribute('data-id'), passkeyId);

  // Rename: the list shows the server's new name, and the server has it.
  await page.fill('#passkey-list .passkey-new-name', 'Work laptop');
  await page.click('#passkey-list .passkey-rename');
  await waitForText(page, '#passkey-list .passkey-name', 'Work laptop');
  const [renamed] = await adminGet(`users/${user.id}/passkeys`);
  assert.deepEqual([renamed.id, renamed.friendly_name], [passkeyId, 'Work laptop']);

  // Delete: gone from the list and from the server.
  await page.click('#passkey-list .passkey-delete');
  await page.waitForFunction(() => document.querySelectorAll('#passkey-list .passkey').length === 0, null, { timeout: WAIT_MS });
  assert.deepEqual(await adminGet(`users/${user.id}/passkeys`), []);
  assert.equal(await errorShown(page), '');
  await signOut(page);
});
