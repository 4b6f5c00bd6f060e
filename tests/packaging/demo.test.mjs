// The www demo app, installed from the packed tarball, driven through every flow in headless
// Chromium against a local auth server that confirms by email. A screenshot of the
// signed-in page is kept as a test artifact (target/test-artifacts/demo-signed-in.png).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_AUTH_URL, PASSWORD, PORTS, ROOT, WAIT_MS, WORK, launchBrowser, serveDir, uniqueEmail } from './helpers.mjs';

let browser;
let site;

before(async () => {
  site = await serveDir(join(WORK, 'demo'), PORTS.demo);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

/** A fresh page pointed at the demo's auth server in `flow` mode. */
async function openDemo(flow = 'implicit') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const failures = [];
  page.on('pageerror', (error) => failures.push(String(error)));
  await page.goto(`${site.url}/`);
  await page.waitForSelector('#status:text-matches("Signed (in|out)")', { timeout: WAIT_MS });
  await page.fill('#settings-url', DEMO_AUTH_URL);
  await page.selectOption('#settings-flow', flow);
  await page.click('#settings-form button');
  await page.waitForSelector(`#log li:has-text("using ${DEMO_AUTH_URL}")`, { timeout: WAIT_MS });
  return { page, context, failures };
}

const signedInAs = (page, email) => page.waitForSelector(`#status:text("Signed in as ${email}")`, { timeout: WAIT_MS });
const signedOut = (page) => page.waitForSelector('#status:text("Signed out")', { timeout: WAIT_MS });
const logged = (page, text) => page.waitForSelector(`#log li:has-text("${text}")`, { timeout: WAIT_MS });

async function signUpAndConfirm(page, email) {
  await page.fill('#sign-up-form [name=email]', email);
  await page.fill('#sign-up-form [name=password]', PASSWORD);
  await page.click('#sign-up-form button');
  await logged(page, 'check the mailbox');
  await page.fill('#verify-form [name=email]', email);
  await page.click('#read-mailbox');
  await logged(page, `mailbox: signup code for ${email}`);
  await page.click('#verify-form button[type=submit]');
  await signedInAs(page, email);
}

async function signOut(page) {
  await page.click('#sign-out');
  await signedOut(page);
}

test('sign up, confirm with the mailed code, sign out, sign in with the password (screenshot)', async () => {
  const { page, context, failures } = await openDemo();
  const email = uniqueEmail('demo');
  await signUpAndConfirm(page, email);
  assert.match(await page.textContent('#session-expiry'), /^\d+ s$/, 'the expiry countdown runs');
  await page.waitForSelector('#events li:has-text("SIGNED_IN")');
  await signOut(page);
  await page.waitForSelector('#events li:has-text("SIGNED_OUT")');
  await page.fill('#sign-in-form [name=email]', email);
  await page.fill('#sign-in-form [name=password]', PASSWORD);
  await page.click('#sign-in-form button');
  await signedInAs(page, email);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue-wasm-demo-auth-token')));
  assert.equal(stored.user.email, email, 'the session is stored under the demo key');
  const artifacts = join(ROOT, 'target/test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'demo-signed-in.png'), fullPage: true });
  assert.deepEqual(failures, []);
  await context.close();
});

test('a wrong password shows the typed error', async () => {
  const { page, context } = await openDemo();
  await page.fill('#sign-in-form [name=email]', uniqueEmail('nobody'));
  await page.fill('#sign-in-form [name=password]', 'wrong-password');
  await page.click('#sign-in-form button');
  await logged(page, 'AuthApiError (invalid_credentials)');
  await context.close();
});

test('magic link code: send, read the mailbox, verify', async () => {
  const { page, context } = await openDemo();
  const email = uniqueEmail('otp');
  await signUpAndConfirm(page, email);
  await signOut(page);
  await page.fill('#otp-form [name=email]', email);
  await page.click('#otp-form button');
  await logged(page, 'send code: ok');
  await page.fill('#verify-form [name=email]', email);
  await page.click('#read-mailbox');
  await logged(page, `mailbox: magiclink code for ${email}`);
  await page.click('#verify-form button[type=submit]');
  await signedInAs(page, email);
  await context.close();
});

for (const flow of ['implicit', 'pkce']) {
  test(`OAuth through the fake provider (${flow})`, async () => {
    const { page, context } = await openDemo(flow);
    const email = uniqueEmail(`oauth-${flow}`);
    await page.click('#oauth-github');
    await page.waitForSelector('#allow', { timeout: WAIT_MS });
    await page.fill('#email', email);
    await page.click('#allow');
    await signedInAs(page, email);
    const url = new URL(page.url());
    assert.equal(url.hash, '', 'no tokens left in the fragment');
    assert.equal(url.search, '', 'no code left in the query');
    await context.close();
  });
}

test('password recovery by the mailed link, then a new password', async () => {
  const { page, context } = await openDemo('pkce');
  const email = uniqueEmail('recover');
  await signUpAndConfirm(page, email);
  await signOut(page);
  await page.fill('#recover-form [name=email]', email);
  await page.click('#recover-form button');
  await logged(page, 'send recovery link: ok');
  await page.fill('#verify-form [name=email]', email);
  await page.click('#open-link');
  await signedInAs(page, email);
  await page.waitForSelector('#events li:has-text("PASSWORD_RECOVERY")', { timeout: WAIT_MS });
  await page.waitForSelector('#new-password-form:not([hidden])');
  await page.fill('#new-password-form [name=password]', 'a-new-demo-password');
  await page.click('#new-password-form button');
  await logged(page, 'set new password: ok');
  await signOut(page);
  await page.fill('#sign-in-form [name=email]', email);
  await page.fill('#sign-in-form [name=password]', 'a-new-demo-password');
  await page.click('#sign-in-form button');
  await signedInAs(page, email);
  await context.close();
});

test('update the user, get the user, refresh, sign out', async () => {
  const { page, context } = await openDemo();
  const email = uniqueEmail('update');
  await signUpAndConfirm(page, email);
  await page.fill('#update-form [name=name]', 'Ada Demo');
  await page.click('#update-form button');
  await logged(page, 'update user: ok');
  await page.waitForSelector('#events li:has-text("USER_UPDATED")');
  await page.click('#get-user');
  await logged(page, 'Ada Demo');
  const before = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue-wasm-demo-auth-token')).refresh_token);
  await page.click('#refresh');
  await page.waitForSelector('#events li:has-text("TOKEN_REFRESHED")', { timeout: WAIT_MS });
  const afterRefresh = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue-wasm-demo-auth-token')).refresh_token);
  assert.notEqual(afterRefresh, before, 'the refresh token rotated');
  await signOut(page);
  await context.close();
});
