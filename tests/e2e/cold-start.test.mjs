// Start-up with a stored session (pages/cold.html), gotrue-wasm beside the real
// @supabase/auth-js 2.119.1. Only web.js and its .wasm load before INITIAL_SESSION; extras.js
// (the rarely used methods) is prefetched after it. While its .wasm is held back by the test, gotrue-wasm answers
// INITIAL_SESSION (and getSession()) from the stored session when that is certainly what the
// engine would answer — and only then: a session due for a refresh, a URL with auth
// parameters and an app's own storage wait for the engine. Either way every subscriber hears
// what auth-js's subscribers hear, once.
import assert from 'node:assert/strict';
import { AUTH, PAGES, PASSWORD, createUser, e2eTest, sleep, uniqueEmail } from './helpers.mjs';

/** A new user's session as the server answers a password grant (what auth-js stores). */
async function newSession(prefix) {
  const email = uniqueEmail(prefix);
  await createUser(AUTH, email);
  const response = await fetch(`${AUTH}/token?grant_type=password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const session = await response.json();
  assert.ok(session.access_token && session.expires_at, `a session for ${email}`);
  return { email, session };
}

/**
 * Stores `session` under a fresh key, then opens cold.html?lib=LIB&key=KEY&EXTRA with the
 * .wasm held back until `release()`. Resolves to { page, key, release }.
 */
async function start(context, lib, session, extra = '') {
  const key = `cold-${lib}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const blank = await context.newPage();
  await blank.goto(`${PAGES}/blank.html`);
  await blank.evaluate(([name, value]) => localStorage.setItem(name, value), [key, JSON.stringify(session)]);
  await blank.close();
  const page = await context.newPage();
  let release;
  const held = new Promise((resolve) => (release = resolve));
  // What the page asked for: the .wasm requests held back, and every script of the package.
  const heldWasm = [];
  const scripts = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pkg/') && path.endsWith('.js')) scripts.push(path);
  });
  await page.route('**/*.wasm', async (route) => {
    heldWasm.push(new URL(route.request().url()).pathname);
    await held;
    await route.continue();
  });
  const path = `cold.html?lib=${lib}&key=${key}${extra ? `&${extra}` : ''}`;
  await page.goto(`${PAGES}/${path}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.ready === true, null, { timeout: 10_000 });
  return { page, key, release, heldWasm, scripts };
}

const seen = (page) => page.evaluate(() => ({ events: window.events, got: window.gotSession ?? null }));

/** auth-js's start-up on the same kind of stored session (its own user), once settled. */
async function authjsStartup(context, prepare, extra) {
  const { session } = await newSession('cold-authjs');
  const { page, release } = await start(context, 'authjs', prepare(session), extra);
  release();
  await page.evaluate(() => window.auth.initialize());
  await sleep(300);
  const result = await seen(page);
  await page.close();
  return result;
}

/** gotrue-wasm's start-up: what it said while the .wasm was held, and once it has settled. */
async function oursStartup(context, prepare, extra) {
  const { email, session } = await newSession('cold-ours');
  const { page, release, heldWasm, scripts } = await start(context, 'ours', prepare(session), extra);
  await sleep(800);
  const whileHeld = await seen(page);
  // What is measured: the package as shipped, one module (web.js), whose .wasm was requested
  // at import and is what the route holds back, not a file the test never sees.
  assert.deepEqual(scripts, ['/pkg/web.js'], 'the page loaded the package as one module');
  assert.deepEqual(heldWasm, ['/pkg/web/gotrue_wasm_bg.wasm'], 'the .wasm was requested and is held');
  release();
  const init = await page.evaluate(async () => {
    const { error } = await window.auth.initialize();
    return error ? error.message : null;
  });
  await sleep(300);
  const settled = await seen(page);
  // The facade's rarely used methods (extras.js) are fetched once start-up is over: never
  // before INITIAL_SESSION, so the cold start loads two files, web.js and the .wasm.
  await page.waitForFunction(() => performance.getEntriesByName(new URL('pkg/extras.js', location.href).href).length > 0, null, { timeout: 10_000 });
  assert.deepEqual(scripts, ['/pkg/web.js', '/pkg/extras.js'], 'extras.js is prefetched once, after start-up');
  const order = await page.evaluate(() => ({
    initialSessionAt: window.initialSessionAt,
    extrasAt: performance.getEntriesByName(new URL('pkg/extras.js', location.href).href)[0].startTime,
  }));
  assert.ok(order.initialSessionAt < order.extrasAt, `extras.js requested after INITIAL_SESSION: ${JSON.stringify(order)}`);
  return { page, email, whileHeld, settled, init };
}

const asStored = (session) => session;

e2eTest('cold start: a fresh stored session answers INITIAL_SESSION and getSession() before the .wasm is loaded, once, as auth-js', async ({ context }) => {
  const reference = await authjsStartup(context, asStored);
  assert.deepEqual(reference.events.A.map(([e, , w]) => [e, w]), [['SIGNED_IN', 'stored'], ['INITIAL_SESSION', 'stored']], 'auth-js itself');
  const ours = await oursStartup(context, asStored);
  const strip = (events) => Object.fromEntries(Object.entries(events).map(([name, list]) => [name, list.map(([e, , w]) => [e, w])]));
  assert.deepEqual(strip(ours.whileHeld.events), strip(reference.events), 'answered from the stored session while the .wasm was held back');
  assert.equal(ours.whileHeld.events.A[0][1], ours.email, 'the session carries the stored user');
  assert.deepEqual(ours.whileHeld.got, { session: 'stored', email: ours.email, error: null }, 'getSession() answered before the .wasm');
  assert.equal(ours.init, null);
  assert.deepEqual(ours.settled.events, ours.whileHeld.events, 'the engine, once initialized, told nobody again');
  // The engine carries on from there: getSession() and the next event reach every subscriber once.
  const { page } = ours;
  assert.equal(await page.evaluate(async () => (await window.auth.getSession()).data.session?.user?.email), ours.email);
  await page.evaluate(() => window.auth.signOut({ scope: 'local' }));
  await sleep(300);
  const after = await seen(page);
  for (const name of ['A', 'B', 'C']) {
    assert.deepEqual(after.events[name].slice(-1), [['SIGNED_OUT', null, null]], `subscriber ${name}: ${JSON.stringify(after.events[name])}`);
    assert.equal(after.events[name].length, ours.settled.events[name].length + 1, `subscriber ${name}`);
  }
  await page.close();
});

// The cases the engine answers: nothing before the .wasm, then what auth-js's first subscriber hears.
const deferred = [
  ['a session due for a refresh (inside the 90 s margin): refreshed by the engine', (s) => ({ ...s, expires_at: Math.floor(Date.now() / 1000) + 30 }), ''],
  ['a URL with a code parameter (not this client\'s callback, but the engine decides)', asStored, 'code=not-ours'],
  ['a URL with an error fragment', asStored, 'x=1#error=access_denied&error_description=Denied'],
  ['an app\'s own (synchronous) storage', asStored, 'storage=custom'],
  // Options under which the engine reads no stored session at start-up.
  ['persistSession: false', asStored, `options=${encodeURIComponent('{"persistSession":false}')}`],
];
for (const [name, prepare, extra] of deferred) {
  e2eTest(`cold start: ${name} waits for the engine, then matches auth-js`, async ({ context }) => {
    const reference = await authjsStartup(context, prepare, extra);
    const ours = await oursStartup(context, prepare, extra);
    assert.deepEqual(ours.whileHeld.events, { A: [], B: [], C: [] }, 'no event before the .wasm');
    assert.equal(ours.whileHeld.got, null, 'getSession() waited for the .wasm');
    const strip = (list) => list.map(([e, , w]) => [e, w]);
    assert.deepEqual(strip(ours.settled.events.A), strip(reference.events.A), `auth-js: ${JSON.stringify(reference.events)}`);
    assert.deepEqual(ours.settled.got && ours.settled.got.session, reference.got && reference.got.session, 'getSession()');
    await ours.page.close();
  });
}

// With skipAutoInitialize, start-up is the app's initialize(), after the .wasm: nothing before.
// (The order of SIGNED_IN and INITIAL_SESSION then is auth-js's, compared by the parity rows
// `skipAutoInitialize: events …` in parity.test.mjs.)
e2eTest('cold start: skipAutoInitialize waits for the engine and the app\'s initialize()', async ({ context }) => {
  const { session } = await newSession('cold-skip');
  const { page, release } = await start(context, 'ours', session, `options=${encodeURIComponent('{"skipAutoInitialize":true}')}`);
  await sleep(800);
  assert.deepEqual(await seen(page), { events: { A: [], B: [], C: [] }, got: null }, 'nothing before the .wasm');
  release();
  assert.equal(await page.evaluate(async () => (await window.auth.initialize()).error), null);
  await sleep(300);
  const { events } = await seen(page);
  for (const name of ['A', 'B', 'C']) {
    const initial = events[name].filter(([event]) => event === 'INITIAL_SESSION');
    assert.deepEqual(initial.map(([, , which]) => which), ['stored'], `subscriber ${name}: ${JSON.stringify(events[name])}`);
  }
  await page.close();
});

// An option the engine refuses: nothing is answered from the stored session; once the .wasm
// is there, every call fails with the engine's error.
e2eTest('cold start: an invalid option waits for the engine, which refuses it', async ({ context }) => {
  const { session } = await newSession('cold-invalid');
  const { page, release } = await start(context, 'ours', session, `options=${encodeURIComponent('{"flowType":"code"}')}`);
  await sleep(800);
  assert.deepEqual(await seen(page), { events: { A: [], B: [], C: [] }, got: null }, 'nothing before the .wasm');
  release();
  const refused = await page.evaluate(() => window.auth.initialize().then(() => null, (error) => [error.name, error.message]));
  assert.deepEqual(refused, ['AuthInvalidCredentialsError', 'option flowType must be "implicit" or "pkce"']);
  assert.deepEqual((await seen(page)).events, { A: [], B: [], C: [] }, 'no event at all');
  await page.close();
});

e2eTest('a detectSessionInUrl predicate gets a URL and the parameters, as auth-js calls it; false leaves the fragment alone', async ({ context }) => {
  const fragment = '#access_token=not-a-jwt&refresh_token=r&expires_in=3600&token_type=bearer&type=magiclink';
  const calls = {};
  for (const lib of ['authjs', 'ours']) {
    const page = await context.newPage();
    await page.goto(`${PAGES}/cold.html?lib=${lib}&key=detect-${lib}&detect=no${fragment}`);
    await page.waitForFunction(() => window.ready === true);
    await page.evaluate(() => window.auth.initialize());
    calls[lib] = await page.evaluate(() => ({ calls: window.detectCalls, href: location.href, events: window.events.A }));
    await page.close();
  }
  const [ours] = calls.ours.calls;
  assert.ok(ours, `the predicate was called: ${JSON.stringify(calls)}`);
  assert.equal(ours.isUrl, true, 'a URL object');
  assert.equal(ours.href, calls.ours.href);
  const fragmentOnly = (params) => Object.fromEntries(Object.entries(params).filter(([key]) => fragment.includes(`${key}=`)));
  assert.deepEqual(fragmentOnly(ours.params), fragmentOnly(calls.authjs.calls[0].params));
  assert.ok(calls.ours.href.endsWith(fragment), 'the fragment is still there');
  assert.deepEqual(calls.ours.events, calls.authjs.events);
});
