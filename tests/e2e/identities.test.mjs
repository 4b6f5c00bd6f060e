// Identities on the features server (--manual-linking): linkIdentity through the fake GitHub
// consent page, unlinkIdentity, and signInWithIdToken with tokens from the test OpenID issuer.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  FEATURES_AUTH, PAGES, PASSWORD, WAIT_MS, call, e2eTest, events, issueIdToken, jwtPayload, openPage,
  storedSession, uniqueEmail, waitBackOnPage, waitForEvent,
} from './helpers.mjs';

const PAGE = 'features.html?server=features';
const CONSENT_PATH = '/__test/oauth/authorize';

e2eTest('linkIdentity(github) via the consent page adds an identity; unlink it; the last one stays (422)', async ({ context }) => {
  const page = await openPage(context, PAGE);
  const email = uniqueEmail('link');
  const signUp = await call(page, 'signUp', { email, password: PASSWORD });
  assert.equal(signUp.error, null, `signUp: ${JSON.stringify(signUp.error)}`);
  const userId = signUp.data.user.id;
  await waitForEvent(page, 'SIGNED_IN', email);
  const before = await call(page, 'getUserIdentities');
  assert.equal(before.error, null);
  assert.deepEqual(before.data.identities.map((i) => i.provider), ['email']);

  // linkIdentity asks the server for the provider URL (with the session's bearer) and navigates.
  const redirectTo = `${PAGES}/${PAGE}`;
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${FEATURES_AUTH}/user/identities/authorize?`), { timeout: WAIT_MS });
  await page.evaluate((to) => {
    window.auth.linkIdentity({ provider: 'github', options: { redirectTo: to } }).then(
      ({ data, error }) => { window.linkOutcome = error ? `error ${error.name}: ${error.message}` : `url ${data?.url}`; },
      (thrown) => { window.linkOutcome = `threw ${thrown}`; },
    );
  }, redirectTo);
  const request = await authorize.catch(async () => {
    throw new Error(`linkIdentity made no /user/identities/authorize request (${await page.evaluate(() => window.linkOutcome).catch(() => '?')})`);
  });
  const asked = new URL(request.url());
  assert.equal(asked.searchParams.get('provider'), 'github');
  assert.equal(asked.searchParams.get('redirect_to'), redirectTo);
  assert.match((await request.allHeaders()).authorization ?? '', /^Bearer ey/, 'the request carries the session');
  try {
    await page.waitForURL((url) => url.pathname === CONSENT_PATH, { timeout: WAIT_MS });
  } catch {
    throw new Error(`no consent page; at ${page.url()} (linkIdentity: ${await page.evaluate(() => window.linkOutcome).catch(() => '?')})`);
  }
  const githubEmail = uniqueEmail('gh');
  await page.fill('#email', githubEmail);
  await page.click('#allow');
  await waitBackOnPage(page);
  assert.match(await page.evaluate(() => window.landedUrl), /#access_token=/, 'back with a session in the fragment');
  await waitForEvent(page, 'SIGNED_IN', email);

  const linked = await call(page, 'getUserIdentities');
  assert.equal(linked.error, null, `getUserIdentities: ${JSON.stringify(linked.error)}`);
  const identities = linked.data.identities;
  assert.deepEqual(identities.map((i) => i.provider).sort(), ['email', 'github'], `identities: ${JSON.stringify(identities)}`);
  assert.ok(identities.every((i) => i.user_id === userId), 'both belong to the signed-up user');
  const github = identities.find((i) => i.provider === 'github');
  assert.equal(github.identity_data?.email, githubEmail);
  const me = await call(page, 'getUser');
  assert.equal(me.data.user.id, userId, 'still the same user');
  assert.deepEqual([...me.data.user.app_metadata.providers].sort(), ['email', 'github']);

  const unlinked = await call(page, 'unlinkIdentity', github);
  assert.equal(unlinked.error, null, `unlinkIdentity(github): ${JSON.stringify(unlinked.error)}`);
  const after = await call(page, 'getUserIdentities');
  assert.deepEqual(after.data.identities.map((i) => i.provider), ['email'], `after unlinking: ${JSON.stringify(after.data.identities)}`);

  const last = await call(page, 'unlinkIdentity', after.data.identities[0]);
  assert.equal(last.error?.status, 422, `unlinking the last identity: ${JSON.stringify(last.error)}`);
  assert.equal(last.error.code, 'single_identity_not_deletable');
  const still = await call(page, 'getUserIdentities');
  assert.equal(still.data.identities.length, 1, 'the last identity is still there');
});

e2eTest('signInWithIdToken: a token from the test issuer signs in; a wrong nonce is refused (400)', async ({ context }) => {
  const page = await openPage(context, PAGE);
  const email = uniqueEmail('oidc');
  const subject = `google-${randomUUID()}`;
  const nonce = `nonce-${randomUUID()}`;
  const token = await issueIdToken(FEATURES_AUTH, { sub: subject, email, nonce });
  assert.notEqual(jwtPayload(token).nonce, nonce, 'the token carries the nonce\'s hash, not the nonce');

  const signedIn = await call(page, 'signInWithIdToken', { provider: 'google', token, nonce });
  assert.equal(signedIn.error, null, `signInWithIdToken: ${JSON.stringify(signedIn.error)}`);
  assert.equal(signedIn.data.user?.email, email, 'the user has the token\'s e-mail');
  assert.ok(signedIn.data.session?.access_token);
  await waitForEvent(page, 'SIGNED_IN', email);
  const google = signedIn.data.user.identities?.find((i) => i.provider === 'google');
  assert.equal(google?.identity_data?.sub, subject, `identities: ${JSON.stringify(signedIn.data.user.identities)}`);
  assert.equal((await storedSession(page))?.user?.email, email, 'the session is stored');
  const stored = (await storedSession(page)).access_token;

  // A second token with another nonce, presented with the wrong raw nonce.
  const other = await issueIdToken(FEATURES_AUTH, { sub: subject, email, nonce: `nonce-${randomUUID()}` });
  const refused = await call(page, 'signInWithIdToken', { provider: 'google', token: other, nonce });
  assert.ok(refused.error, 'a nonce mismatch is an error');
  assert.equal(refused.error.status, 400, `wrong nonce: ${JSON.stringify(refused.error)}`);
  assert.equal(refused.data?.session ?? null, null);
  assert.equal((await storedSession(page))?.access_token, stored, 'the earlier session is kept');
  const signedInEvents = (await events(page)).filter(([e]) => e === 'SIGNED_IN');
  assert.equal(signedInEvents.length, 1, `one SIGNED_IN only: ${JSON.stringify(await events(page))}`);
});
