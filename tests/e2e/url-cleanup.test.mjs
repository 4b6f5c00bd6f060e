// What the client does to the page's URL: only its own parameters go, with
// history.replaceState; a hash router's route, unrelated query parameters and other
// libraries' fragments stay, and the page never reloads.
import assert from 'node:assert/strict';
import {
  AUTH, PAGES, call, createUser, e2eTest, events, initError, openPage, readMail, sleep, storedSession,
  uniqueEmail, waitBackOnPage, waitForEvent,
} from './helpers.mjs';

/** Sends a magic link for `email` from the page and follows it; returns the page's state after. */
async function signInThroughLink(page, email, redirectTo, expectLanded) {
  const { error } = await call(page, 'signInWithOtp', { email, options: { emailRedirectTo: redirectTo } });
  assert.equal(error, null, `signInWithOtp: ${JSON.stringify(error)}`);
  const mail = await readMail(AUTH, email, 'magiclink');

  let loads = 0;
  page.on('load', () => { loads += 1; });
  await page.goto(mail.link);
  await waitBackOnPage(page);
  const landed = await page.evaluate(() => window.landedUrl);
  assert.match(landed, expectLanded, `landed on ${landed}`);
  const loadId = await page.evaluate(() => window.__loadId);
  assert.equal(await initError(page), null);
  await waitForEvent(page, 'SIGNED_IN', email);
  await sleep(500); // room for a reload or a late URL rewrite to show
  const state = await page.evaluate(() => ({
    href: location.href, pathname: location.pathname, search: location.search, hash: location.hash,
    loadId: window.__loadId, hashChanges: window.hashChanges, routes: window.routes,
    loadsOfThisPage: sessionStorage.getItem(`e2e-loads:${location.pathname}`),
  }));
  assert.equal(state.loadId, loadId, 'the page was not reloaded after detection');
  assert.equal(loads, 1, 'exactly one document load after following the link (no reload)');
  assert.equal(state.loadsOfThisPage, '2', 'the page loaded twice in this tab: first visit and the redirect');
  assert.equal((await storedSession(page))?.user?.email, email, 'session stored');
  return state;
}

e2eTest('hash router (implicit): #/callback and ?keep=1 survive, no reload, no hashchange', async ({ context }) => {
  const email = uniqueEmail('router');
  await createUser(AUTH, email);
  const page = await openPage(context, 'router.html?keep=1#/login');
  const state = await signInThroughLink(page, email, `${PAGES}/router.html?keep=1#/callback`,
    /\?keep=1#\/callback#.*access_token=/);
  assert.equal(state.hash, '#/callback', `the route stays: ${state.href}`);
  assert.equal(state.search, '?keep=1', `the unrelated query parameter stays: ${state.href}`);
  assert.equal(state.pathname, '/router.html');
  assert.equal(state.hashChanges, 0, 'the URL was rewritten with history.replaceState (the router saw no hashchange)');
  assert.deepEqual(state.routes, ['/callback'], `the router rendered only /callback: ${JSON.stringify(state.routes)}`);
});

e2eTest('PKCE callback cleanup: ?code= goes, ?keep=1 and #/callback stay, no reload', async ({ context }) => {
  const email = uniqueEmail('pkce-keep');
  await createUser(AUTH, email);
  const page = await openPage(context, 'pkce.html?keep=1#/login');
  const state = await signInThroughLink(page, email, `${PAGES}/pkce.html?keep=1#/callback`, /[?&]code=/);
  const url = new URL(state.href);
  assert.equal(url.searchParams.has('code'), false, `code removed: ${state.href}`);
  assert.equal(url.searchParams.has('sb_flow_id'), false, `sb_flow_id removed: ${state.href}`);
  assert.equal(url.searchParams.get('keep'), '1', `the unrelated query parameter stays: ${state.href}`);
  assert.equal(state.search, '?keep=1', `only keep=1 is left in the query: ${state.href}`);
  assert.equal(state.hash, '#/callback', `the route stays: ${state.href}`);
  assert.equal(state.hashChanges, 0, 'no hashchange');
});

e2eTest("another library's fragment (#foo=bar&state=x) is left alone and signs nobody in", async ({ context }) => {
  const page = await openPage(context, 'implicit.html#foo=bar&state=x');
  await sleep(300);
  assert.equal(await initError(page), null);
  assert.equal(await page.evaluate(() => location.hash), '#foo=bar&state=x');
  assert.equal(await page.evaluate(() => window.hashChanges), 0);
  assert.equal(await storedSession(page), null, 'no session stored');
  const { data } = await call(page, 'getSession');
  assert.equal(data.session, null);
  assert.deepEqual(await events(page), [['INITIAL_SESSION', null]]);
});
