// The Leptos example app (examples/leptos) in headless Chromium against the test server:
// what a person does with it, and what must be true in the page and in localStorage after
// each step. scripts/examples.sh builds and serves the app and sets EXAMPLE_*.
import assert from 'node:assert/strict';
import { PASSWORD, WAIT_MS, createUser, e2eTest, uniqueEmail } from '../e2e/helpers.mjs';

const APP = process.env.EXAMPLE_APP_URL ?? 'http://127.0.0.1:9931';
const AUTH = process.env.EXAMPLE_AUTH_URL ?? 'http://127.0.0.1:9930';
const STORAGE_KEY = 'leptos-example-auth';

async function openApp(context) {
  const page = await context.newPage();
  await page.goto(`${APP}/`);
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
  // Back to the app, with the flow id that finds this flow's stored verifier.
  const redirectTo = new URL(start.searchParams.get('redirect_to'));
  assert.equal(`${redirectTo.origin}${redirectTo.pathname}`, `${APP}/`);
  assert.match(redirectTo.searchParams.get('sb_flow_id') ?? '', /^[0-9a-f]{32}$/);

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
