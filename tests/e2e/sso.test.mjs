// signInWithSSO against the features server's fake SAML provider (--saml): the library
// navigates to the fake IdP's page, the user signs in there, and the ACS sends the browser back.
import assert from 'node:assert/strict';
import {
  FEATURES_AUTH, PAGES, WAIT_MS, authParamsIn, call, e2eTest, events, jwtPayload, openPage, storedSession,
  uniqueEmail, verifierKeys, storageKeys, waitBackOnPage, waitForEvent,
} from './helpers.mjs';

const PROVIDER_ID = '00000000-0000-4000-8000-00000000a551';
const DOMAIN = 'sso.example.com';
const IDP_PATH = '/__test/sso/idp';

/** Starts signInWithSSO in the page without awaiting it (it navigates away) and waits for the IdP page. */
async function startSso(page, params) {
  await page.evaluate((p) => {
    window.auth.signInWithSSO(p).then(
      ({ data, error }) => { window.ssoOutcome = error ? `error ${error.name}: ${error.message}` : `url ${data?.url}`; },
      (thrown) => { window.ssoOutcome = `threw ${thrown}`; },
    );
  }, params);
  try {
    await page.waitForURL((url) => url.pathname === IDP_PATH, { timeout: WAIT_MS });
  } catch {
    throw new Error(`no IdP page; at ${page.url()} (signInWithSSO: ${await page.evaluate(() => window.ssoOutcome).catch(() => '?')})`);
  }
}

function ssoEmail(prefix) {
  return uniqueEmail(prefix).replace('@example.com', `@${DOMAIN}`);
}

e2eTest('SSO by domain (implicit): IdP page → sign in → back on the page, SIGNED_IN', async ({ context }) => {
  const page = await openPage(context, 'features.html?server=features');
  const redirectTo = `${PAGES}/features.html?server=features`;
  const ssoRequest = page.waitForRequest((r) => r.url() === `${FEATURES_AUTH}/sso` && r.method() === 'POST', { timeout: WAIT_MS });
  await startSso(page, { domain: DOMAIN, options: { redirectTo } });
  const body = JSON.parse((await ssoRequest).postData());
  assert.equal(body.domain, DOMAIN);
  assert.equal(body.redirect_to, redirectTo);
  assert.equal(body.skip_http_redirect, true, 'the library asks for the URL and navigates itself');
  assert.equal(await page.textContent('#domain'), DOMAIN);

  const email = ssoEmail('sso');
  await page.fill('#email', email);
  await page.click('#sign-in');
  await waitBackOnPage(page);
  assert.match(await page.evaluate(() => window.landedUrl), /#access_token=/);
  await waitForEvent(page, 'SIGNED_IN', email);
  const { data, error } = await call(page, 'getUser');
  assert.equal(error, null);
  assert.equal(data.user.email, email);
  assert.ok(data.user.identities.some((i) => i.provider === `sso:${PROVIDER_ID}`), `identities: ${JSON.stringify(data.user.identities)}`);
  const stored = await storedSession(page);
  assert.equal(stored?.user?.email, email);
  assert.equal(jwtPayload(stored.access_token).amr?.[0]?.method, 'sso/saml');
  assert.deepEqual(authParamsIn(page.url()), [], `clean URL: ${page.url()}`);
});

e2eTest('SSO by providerId (PKCE): back with ?code=, exchanged, SIGNED_IN', async ({ context }) => {
  const page = await openPage(context, 'features.html?server=features&flow=pkce');
  const redirectTo = `${PAGES}/features.html?server=features&flow=pkce`;
  await startSso(page, { providerId: PROVIDER_ID, options: { redirectTo } });
  const email = ssoEmail('sso-pkce');
  await page.fill('#email', email);
  await page.click('#sign-in');
  await waitBackOnPage(page);
  assert.ok(new URL(await page.evaluate(() => window.landedUrl)).searchParams.get('code'), 'landed with ?code=');
  await waitForEvent(page, 'SIGNED_IN', email);
  assert.equal((await storedSession(page))?.user?.email, email);
  assert.deepEqual(authParamsIn(page.url()), [], `clean URL: ${page.url()}`);
  assert.deepEqual(verifierKeys(await storageKeys(page)), [], 'no verifier left');
});

e2eTest('SSO with an unknown domain: 404 sso_provider_not_found, no navigation', async ({ context }) => {
  const page = await openPage(context, 'features.html?server=features');
  const before = page.url();
  const result = await call(page, 'signInWithSSO', { domain: 'unknown.example.org', options: { redirectTo: before } });
  assert.equal(result.error?.status, 404, `unknown domain: ${JSON.stringify(result.error)}`);
  assert.equal(result.error.code, 'sso_provider_not_found');
  assert.equal(result.data?.url ?? null, null);
  assert.equal(page.url(), before, 'the page stays');
  assert.deepEqual((await events(page)).map(([e]) => e), ['INITIAL_SESSION']);
});
