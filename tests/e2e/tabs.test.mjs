// Several tabs of one origin (pages of one browser context, sharing localStorage): events
// cross over the BroadcastChannel, and tabs waking on an expired session refresh it once.
import assert from 'node:assert/strict';
import {
  AUTH, PAGES, SHORT_AUTH, SHORT_JWT_EXP, WAIT_MS, call, createUser, e2eTest, openPage, resetStats,
  signInWithPassword, sleep, stats, storedSession, uniqueEmail, waitForEvent, waitReady,
} from './helpers.mjs';

e2eTest('two tabs: sign-in, refresh and sign-out in tab A reach tab B', async ({ context }) => {
  const email = uniqueEmail('tabs');
  await createUser(AUTH, email);
  const a = await openPage(context, 'tab.html');
  const b = await openPage(context, 'tab.html');

  const signedIn = await signInWithPassword(a, email);
  await waitForEvent(b, 'SIGNED_IN', email);
  const inB = await call(b, 'getSession');
  assert.equal(inB.data.session?.access_token, signedIn.access_token, 'tab B sees the session tab A signed in');

  const refreshed = await call(a, 'refreshSession');
  assert.equal(refreshed.error, null, `refreshSession: ${JSON.stringify(refreshed.error)}`);
  await waitForEvent(b, 'TOKEN_REFRESHED', email);
  const afterRefresh = await b.evaluate(() => window.sessions.at(-1));
  assert.equal(afterRefresh?.access_token, refreshed.data.session.access_token, 'tab B got the refreshed tokens');

  const { error } = await call(a, 'signOut');
  assert.equal(error, null, `signOut: ${JSON.stringify(error)}`);
  await waitForEvent(a, 'SIGNED_OUT');
  await waitForEvent(b, 'SIGNED_OUT');
  const outB = await call(b, 'getSession');
  assert.equal(outB.data.session, null, 'tab B has no session after tab A signed out');
  assert.equal(await storedSession(b), null);
});

e2eTest('five tabs waking on an expired session refresh it exactly once', async ({ context }) => {
  const email = uniqueEmail('five-tabs');
  await createUser(SHORT_AUTH, email);
  // Sign in with auto refresh off, then close the tab: the stored session goes stale.
  const first = await openPage(context, 'tab.html?server=short&refresh=0');
  const stale = await signInWithPassword(first, email);
  assert.ok((await storedSession(first))?.access_token === stale.access_token, 'session stored');
  await first.close();
  const expiredAt = stale.expires_at * 1000;
  assert.ok(expiredAt - Date.now() <= SHORT_JWT_EXP * 1000 + 2000, `short-lived token: ${stale.expires_at}`);
  await sleep(Math.max(0, expiredAt - Date.now()) + 1200);
  assert.ok(Date.now() > expiredAt, 'the access token has expired');

  // Counters start at zero (or, on a server without the reset endpoint, from a baseline).
  await resetStats(SHORT_AUTH);
  const baseline = (await stats(SHORT_AUTH)).refresh_token_requests;

  const tabs = await Promise.all(Array.from({ length: 5 }, () => context.newPage()));
  // The wake-up refresh is the one being counted: the ticker is told to leave a fresh 5 s
  // token alone (refresh only with < 1 s left), which it otherwise would at once.
  await Promise.all(tabs.map((tab) => tab.goto(`${PAGES}/tab.html?server=short&refresh=1&tick=1000&threshold=0`)));
  try {
    await Promise.all(tabs.map(async (tab) => {
      await waitReady(tab);
      await tab.waitForFunction(
        (old) => window.sessions.some((s) => s && s.access_token !== old),
        stale.access_token,
        { timeout: WAIT_MS },
      );
    }));
  } catch (error) {
    const report = await Promise.all(tabs.map((tab) => tab.evaluate(() => ({ events: window.events, ready: window.ready })).catch((e) => String(e))));
    throw new Error(`not every tab got a fresh session: ${error.message.split('\n')[0]}\n${JSON.stringify(report)}`);
  }
  const fresh = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.sessions.filter(Boolean).at(-1))));
  const tokens = new Set(fresh.map((s) => s.access_token));
  assert.equal(tokens.size, 1, `all five tabs hold the same access token: ${JSON.stringify(fresh.map((s) => s.access_token.slice(-12)))}`);
  assert.ok(fresh.every((s) => s.expires_at > stale.expires_at), 'the session is a refreshed one');
  assert.ok(fresh.every((s) => s.email === email));

  await sleep(1000); // a tab refreshing late would show up in the count
  const count = (await stats(SHORT_AUTH)).refresh_token_requests - baseline;
  console.log('multi-tab refresh requests:', count);
  const timeline = await Promise.all(tabs.map((tab) => tab.evaluate(() => ({ constructedAt: window.constructedAt, events: window.events.map(([e]) => e) }))));
  assert.equal(count, 1, `exactly one refresh request for five tabs; tabs: ${JSON.stringify(timeline)}`);
});
