// PKCE flow ids as auth-js 2.119 has them: `sb_flow_id` goes into redirect URLs only with
// `experimental.appendPkceFlowIdToRedirects`; signInWithOAuth answers the flow's `flowId`;
// `exchangeCodeForSession(code, { flowId })` finds that flow's verifier. The allow-list server
// (scripts/e2e.sh) has SITE_URL on 127.0.0.1 and ONE exact allow-list entry on `localhost`:
// a redirect with an extra query parameter no longer matches it.
import assert from 'node:assert/strict';
import {
  AUTH, PAGES, PAGES_LOCALHOST, PASSWORD, WAIT_MS, createUser, e2eTest, openPage, openUrl, readMail, storedSession,
  uniqueEmail, waitForEvent,
} from './helpers.mjs';

const ALLOW_AUTH = process.env.E2E_ALLOW_AUTH_URL ?? AUTH.replace(/:(\d+)$/, (_, port) => `:${Number(port) + 6}`);
/** Exactly the allow-list entry of the allow-list server. */
const ALLOWED = `${PAGES_LOCALHOST}/features.html?server=allow&flow=pkce`;
const SITE_URL = `${PAGES}/blank.html`;

/** Sends a magic link from the allowed page with a client built with `options`. */
async function magicLinkFrom(page, email, options) {
  const otpRequest = page.waitForRequest((request) => request.url().startsWith(`${ALLOW_AUTH}/otp`), { timeout: WAIT_MS });
  const outcome = await page.evaluate(async ([address, redirect, extra]) => {
    const client = new window.GoTrueClient({
      url: window.config.servers.allow, storageKey: window.config.storageKey, flowType: 'pkce', ...extra,
    });
    const { error } = await client.signInWithOtp({ email: address, options: { emailRedirectTo: redirect } });
    return error ? error.message : null;
  }, [email, ALLOWED, options]);
  assert.equal(outcome, null);
  const sentRedirect = new URL((await otpRequest).url()).searchParams.get('redirect_to');
  return { mail: await readMail(ALLOW_AUTH, email, 'magiclink'), sentRedirect };
}

e2eTest('an exact allow-list entry on another host: the PKCE redirect is kept (no sb_flow_id added)', async ({ context }) => {
  const email = uniqueEmail('allow-exact');
  const page = await openUrl(context, ALLOWED);
  const { mail, sentRedirect } = await magicLinkFrom(page, email, {});
  assert.equal(sentRedirect, ALLOWED, 'the redirect is sent exactly as given');
  assert.equal(mail.redirect_to, ALLOWED, 'and the server kept it');
  await page.goto(mail.link);
  await page.waitForURL((url) => url.href.startsWith(`${ALLOWED}&code=`) || url.searchParams.has('code'), { timeout: WAIT_MS });
  const landed = new URL(page.url());
  assert.equal(`${landed.origin}${landed.pathname}`, `${PAGES_LOCALHOST}/features.html`, `landed at ${page.url()}`);
  await page.waitForFunction(() => window.ready === true);
  await waitForEvent(page, 'SIGNED_IN', email);
  assert.equal((await storedSession(page))?.user?.email, email);
});

e2eTest('with experimental.appendPkceFlowIdToRedirects the same redirect misses the entry: the user lands on SITE_URL', async ({ context }) => {
  const email = uniqueEmail('allow-flowid');
  const page = await openUrl(context, ALLOWED);
  const { mail, sentRedirect } = await magicLinkFrom(page, email, { experimental: { appendPkceFlowIdToRedirects: true } });
  const sent = new URL(sentRedirect);
  assert.match(sent.searchParams.get('sb_flow_id') ?? '', /^[0-9a-f]{32}$/, `a flow id was added: ${sentRedirect}`);
  assert.equal(mail.redirect_to, SITE_URL, 'the server fell back to SITE_URL');
  await page.goto(mail.link);
  await page.waitForURL((url) => url.href.startsWith(SITE_URL), { timeout: WAIT_MS });
});

e2eTest('signInWithOAuth answers flowId; exchangeCodeForSession(code, { flowId }) uses that flow\'s verifier', async ({ context }) => {
  const email = uniqueEmail('flowid-exchange');
  await createUser(AUTH, email, PASSWORD);
  const page = await openPage(context, 'features.html?server=main&flow=pkce&detect=0');
  const redirectTo = `${PAGES}/features.html?server=main&flow=pkce&detect=0`;
  // Two flows: the legacy slot holds the second one's verifier, so only the flow id can find
  // the first one's.
  const started = await page.evaluate(async (to) => {
    const first = await window.auth.signInWithOAuth({ provider: 'github', options: { redirectTo: to, skipBrowserRedirect: true } });
    const second = await window.auth.signInWithOAuth({ provider: 'github', options: { redirectTo: to, skipBrowserRedirect: true } });
    return { first: first.data, second: second.data };
  }, redirectTo);
  for (const flow of [started.first, started.second]) {
    assert.match(flow.flowId ?? '', /^[0-9a-f]{32}$/, JSON.stringify(flow));
    assert.equal(new URL(flow.url).searchParams.get('redirect_to'), redirectTo, 'redirect_to exactly as given');
  }
  assert.notEqual(started.first.flowId, started.second.flowId);
  const consent = new URL(started.first.url);
  await page.goto(consent.href);
  await page.waitForURL((url) => url.pathname === '/__test/oauth/authorize', { timeout: WAIT_MS });
  await page.fill('#email', email);
  await page.click('#allow');
  await page.waitForURL((url) => url.href.startsWith(`${PAGES}/features.html`) && url.searchParams.has('code'), { timeout: WAIT_MS });
  await page.waitForFunction(() => window.ready === true);
  const code = new URL(page.url()).searchParams.get('code');
  assert.equal(new URL(page.url()).searchParams.get('sb_flow_id'), null, 'no flow id came back in the URL');
  const outcome = await page.evaluate(async ([authCode, flowId]) => {
    const wrong = await window.auth.exchangeCodeForSession(authCode, { flowId: 'f'.repeat(32) });
    const right = await window.auth.exchangeCodeForSession(authCode, { flowId });
    return {
      wrong: wrong.error ? wrong.error.name : null,
      right: right.error ? `${right.error.name}: ${right.error.message}` : right.data.user.email,
    };
  }, [code, started.first.flowId]);
  assert.equal(outcome.wrong, 'AuthPKCECodeVerifierMissingError', 'an unknown flow id finds no verifier');
  assert.equal(outcome.right, email);
  await waitForEvent(page, 'SIGNED_IN', email);
});
