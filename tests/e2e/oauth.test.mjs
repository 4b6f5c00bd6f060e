// OAuth through the test server's fake provider: signInWithOAuth navigates to /authorize,
// the consent page answers, /callback sends the browser back to the test page, and the
// client picks the result up from the URL while it initializes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  AUTH, PAGES, WAIT_MS, authParamsIn, call, createUser, e2eTest, events, initError, openPage,
  signInWithPassword, storageKeys, storedSession, uniqueEmail, verifierKeys, waitBackOnPage, waitForEvent,
} from './helpers.mjs';

const CONSENT_PATH = '/__test/oauth/authorize';

/** Starts signInWithOAuth in the page; resolves with the /authorize URL once the consent page shows. */
async function startOAuth(page, redirectTo) {
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${AUTH}/authorize?`), { timeout: WAIT_MS });
  await page.evaluate((to) => {
    window.auth.signInWithOAuth({ provider: 'github', options: { redirectTo: to } }).then(
      ({ data, error }) => { window.oauthOutcome = error ? `error ${error.name}: ${error.message}` : `url ${data?.url}`; },
      (thrown) => { window.oauthOutcome = `threw ${thrown}`; },
    );
  }, redirectTo);
  let request;
  try {
    request = await authorize;
  } catch {
    const outcome = await page.evaluate(() => window.oauthOutcome).catch(() => '?');
    throw new Error(`signInWithOAuth did not navigate to ${AUTH}/authorize (its result: ${outcome})`);
  }
  try {
    await page.waitForURL((url) => url.pathname === CONSENT_PATH, { timeout: WAIT_MS });
  } catch {
    const status = await page.evaluate(() => document.body?.innerText?.slice(0, 200)).catch(() => '?');
    throw new Error(`no consent page after /authorize; at ${page.url()}: ${JSON.stringify(status)}`);
  }
  return new URL(request.url());
}

/** Asserts the page holds a signed-in session that the server accepts; returns the email. */
async function assertSignedIn(page, email) {
  await waitForEvent(page, 'SIGNED_IN', email);
  const seen = await events(page);
  assert.equal(seen[0][0], 'INITIAL_SESSION', `the first event is INITIAL_SESSION: ${JSON.stringify(seen)}`);
  assert.equal(seen[0][1], email, `INITIAL_SESSION carries the session from the URL: ${JSON.stringify(seen)}`);
  const stored = await storedSession(page);
  assert.ok(stored?.access_token && stored.refresh_token && stored.expires_at, `session stored: ${JSON.stringify(stored)}`);
  assert.equal(stored.user?.email, email);
  const { data, error } = await call(page, 'getUser');
  assert.equal(error, null);
  assert.equal(data.user.email, email, 'the server accepts the access token');
}

/** On the consent page: signs in at the provider as `email` and allows. */
async function allowAs(page, email) {
  await page.fill('#email', email);
  await page.click('#allow');
}

e2eTest('OAuth implicit round trip: Allow on the consent page signs in from the fragment', async ({ context }) => {
  const page = await openPage(context, 'implicit.html');
  const redirectTo = `${PAGES}/implicit.html`;
  const authorize = await startOAuth(page, redirectTo);
  assert.equal(authorize.searchParams.get('provider'), 'github');
  assert.equal(authorize.searchParams.get('redirect_to'), redirectTo);
  assert.equal(authorize.searchParams.get('code_challenge'), null, 'an implicit-flow client sends no code challenge');

  const email = uniqueEmail('oauth-implicit');
  await allowAs(page, email);
  await waitBackOnPage(page);
  const landed = await page.evaluate(() => window.landedUrl);
  assert.match(new URL(landed).hash, /access_token=/, `the server redirected with the session in the fragment: ${landed}`);
  assert.equal(await initError(page), null);
  await assertSignedIn(page, email);

  const url = new URL(page.url());
  assert.equal(url.pathname, '/implicit.html');
  assert.deepEqual(authParamsIn(page.url()), [], `no auth parameters left in ${page.url()}`);
  assert.ok(!page.url().includes('access_token'), page.url());
});

e2eTest('OAuth PKCE round trip: Allow signs in via ?code=, verifier stored then removed, URL cleaned', async ({ context }) => {
  const page = await openPage(context, 'pkce.html');
  const redirectTo = `${PAGES}/pkce.html`;
  const authorize = await startOAuth(page, redirectTo);
  const challenge = authorize.searchParams.get('code_challenge');
  assert.ok(challenge, `a PKCE client sends a code challenge: ${authorize}`);
  assert.equal(authorize.searchParams.get('code_challenge_method')?.toLowerCase(), 's256');
  assert.ok(authorize.searchParams.get('redirect_to')?.startsWith(redirectTo), `redirect_to: ${authorize}`);

  // While the browser is on the consent page, the verifier waits in the origin's storage.
  const peek = await context.newPage();
  await peek.goto(`${PAGES}/blank.html`);
  const pending = await peek.evaluate((keys) => keys.map((key) => [key, localStorage.getItem(key)]),
    verifierKeys(await storageKeys(peek)));
  await peek.close();
  assert.ok(pending.length > 0, 'a <storageKey>-code-verifier or <storageKey>-flow-…-code-verifier key exists during the flow');
  const verifiers = pending.map(([, value]) => { try { return JSON.parse(value); } catch { return null; } });
  assert.ok(verifiers.every((v) => typeof v === 'string'), `verifiers are stored as JSON strings: ${JSON.stringify(pending)}`);
  const challengeMatches = verifiers.some((v) => createHash('sha256').update(v).digest('base64url') === challenge);
  assert.ok(challengeMatches, `a stored verifier hashes to the challenge sent (${JSON.stringify(pending)})`);

  const email = uniqueEmail('oauth-pkce');
  await allowAs(page, email);
  await waitBackOnPage(page);
  const landed = new URL(await page.evaluate(() => window.landedUrl));
  assert.ok(landed.searchParams.get('code'), `the server redirected with ?code=: ${landed}`);
  assert.equal(await initError(page), null);
  await assertSignedIn(page, email);

  const url = new URL(page.url());
  assert.equal(url.pathname, '/pkce.html');
  assert.equal(url.searchParams.has('code'), false, `code removed from ${url}`);
  assert.equal(url.searchParams.has('sb_flow_id'), false, `sb_flow_id removed from ${url}`);
  assert.deepEqual(authParamsIn(page.url()), [], `no auth parameters left in ${page.url()}`);
  assert.deepEqual(verifierKeys(await storageKeys(page)), [], 'the verifier is removed after the exchange');
});

e2eTest('OAuth consent denied: initialize() gives AuthImplicitGrantRedirectError, the session is kept', async ({ context }) => {
  const email = uniqueEmail('denied');
  await createUser(AUTH, email);
  const page = await openPage(context, 'implicit.html');
  const before = await signInWithPassword(page, email);
  await waitForEvent(page, 'SIGNED_IN', email);

  await startOAuth(page, `${PAGES}/implicit.html`);
  await page.click('#deny');
  await waitBackOnPage(page);
  const landed = await page.evaluate(() => window.landedUrl);
  assert.match(landed, /error=/, `the server redirected with an error: ${landed}`);

  const error = await initError(page);
  assert.equal(error?.name, 'AuthImplicitGrantRedirectError', `initialize() error: ${JSON.stringify(error)}`);
  assert.equal(error.details?.error, 'access_denied', `details: ${JSON.stringify(error.details)}`);
  // The provider itself refused, so the server sends no error_code (contract §4.12).
  assert.equal(error.details?.code, null, `details: ${JSON.stringify(error.details)}`);
  assert.equal(error.message, 'The user denied the request');

  const stored = await storedSession(page);
  assert.equal(stored?.access_token, before.access_token, 'the session signed in before is still stored');
  const { data } = await call(page, 'getSession');
  assert.equal(data.session?.user?.email, email, 'getSession() still returns the earlier session');
  const seen = await events(page);
  assert.deepEqual(seen[0], ['INITIAL_SESSION', email], `events: ${JSON.stringify(seen)}`);
  assert.ok(!seen.some(([event]) => event === 'SIGNED_OUT' || event === 'SIGNED_IN'), `events: ${JSON.stringify(seen)}`);
});
