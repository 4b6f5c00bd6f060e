// extras.js, the module of the facade's rarely used methods, loaded on first use: while the
// page's server does not serve it, those methods answer an auth-js-shaped error (an
// AuthUnknownError result carrying the cause; thrown with throwOnError; the lock helpers,
// which auth-js defines as throwing, reject), nothing is left as an unhandled rejection (the
// prefetch after start-up fails quietly), and once the file is served the next call loads it
// and works: a failure is not cached.
import assert from 'node:assert/strict';
import { AUTH, STORAGE_KEY, createUser, e2eTest, openPage, serviceRoleKey, signInWithPassword, sleep, uniqueEmail } from './helpers.mjs';

e2eTest('extras.js missing: the moved methods answer AuthUnknownError, nothing unhandled; served again, the next call loads it', async ({ context }) => {
  const email = uniqueEmail('extras-missing');
  await createUser(AUTH, email);
  const adminKey = await serviceRoleKey(AUTH);

  // The page's server without extras.js (404), until the route is removed.
  const extrasRequests = [];
  const missing = (route) => {
    extrasRequests.push(route.request().url());
    return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not here' });
  };
  await context.route('**/pkg/extras.js', missing);
  // Unhandled rejections and uncaught errors of the page, from its very start.
  await context.addInitScript(() => {
    window.unhandled = [];
    window.addEventListener('unhandledrejection', (event) => window.unhandled.push(String(event.reason?.message ?? event.reason)));
    window.addEventListener('error', (event) => window.unhandled.push(String(event.message)));
  });
  const page = await openPage(context, 'features.html?server=main');
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await signInWithPassword(page, email);
  // The prefetch once start-up is over has tried (and failed) by now.
  await page.waitForFunction(() => performance.getEntriesByName(new URL('pkg/extras.js', location.href).href).length > 0, null, { timeout: 10_000 });
  assert.ok(extrasRequests.length >= 1, 'the prefetch asked for extras.js');

  const whileMissing = await page.evaluate(async ([url, storageKey, key]) => {
    const { AuthUnknownError, AuthError } = await import('./pkg/web.js');
    const describe = (error) => error && {
      name: error.name,
      message: error.message,
      isAuthUnknownError: error instanceof AuthUnknownError,
      isAuthError: error instanceof AuthError,
      cause: error.originalError ? `${error.originalError.name}: ${error.originalError.message}` : null,
    };
    const result = async (promise) => {
      try {
        const { data, error } = await promise;
        return { data: data ?? null, error: describe(error) };
      } catch (thrown) {
        return { thrown: describe(thrown) ?? String(thrown) };
      }
    };
    const thrower = new window.GoTrueClient({ url, storageKey: `${storageKey}-throw`, throwOnError: true, autoRefreshToken: false });
    const admin = new window.GoTrueAdminApi({ url, headers: { Authorization: `Bearer ${key}` } });
    const { processLock } = await import('./pkg/web.js');
    const out = {
      getClaims: await result(window.auth.getClaims()),
      aal: await result(window.auth.mfa.getAuthenticatorAssuranceLevel()),
      webauthn: await result(window.auth.mfa.webauthn.authenticate({ factorId: 'x' })),
      listUsers: await result(admin.listUsers()),
      adminOAuth: await result(admin.oauth.listClients()),
      thrown: await result(thrower.getClaims('a.b.c')),
      lock: await result(processLock('extras-missing', 100, async () => ({ data: 'held', error: null }))),
      // A method of the start-up module still works.
      getUser: await result(window.auth.getUser()),
    };
    thrower.dispose();
    return out;
  }, [AUTH, STORAGE_KEY, adminKey]);

  const unknown = (what) => {
    const error = whileMissing[what].error;
    assert.equal(whileMissing[what].data, null, `${what}: data`);
    assert.ok(error, `${what}: an error result: ${JSON.stringify(whileMissing[what])}`);
    assert.equal(error.name, 'AuthUnknownError', what);
    assert.equal(error.isAuthUnknownError, true, `${what}: instanceof the package's AuthUnknownError`);
    assert.equal(error.isAuthError, true, `${what}: instanceof AuthError`);
    assert.match(error.message, /extras\.js/, what);
    assert.match(error.cause ?? '', /TypeError: .*extras\.js/, `${what}: carries the import's failure`);
  };
  for (const what of ['getClaims', 'aal', 'webauthn', 'listUsers', 'adminOAuth']) unknown(what);
  assert.equal(whileMissing.thrown.thrown?.name, 'AuthUnknownError', `throwOnError: ${JSON.stringify(whileMissing.thrown)}`);
  assert.match(whileMissing.thrown.thrown.cause ?? '', /extras\.js/);
  assert.match(whileMissing.lock.thrown?.message ?? '', /extras\.js/, `processLock rejects with the import's failure: ${JSON.stringify(whileMissing.lock)}`);
  assert.equal(whileMissing.getUser.error, null, 'getUser (the start-up module) still answers');
  assert.equal(whileMissing.getUser.data.user.email, email);
  const requestsWhileMissing = extrasRequests.length;
  assert.ok(requestsWhileMissing >= 2, `every call tried to load extras.js again (${requestsWhileMissing} requests)`);

  // Served again: the next call loads it.
  await context.unroute('**/pkg/extras.js', missing);
  const served = await page.evaluate(async () => {
    const { processLock } = await import('./pkg/web.js');
    const claims = await window.auth.getClaims();
    const aal = await window.auth.mfa.getAuthenticatorAssuranceLevel();
    return {
      claimsEmail: claims.data?.claims?.email ?? null,
      claimsError: claims.error?.message ?? null,
      aal: aal.data?.currentLevel ?? null,
      lock: await processLock('extras-served', 100, async () => 'held'),
    };
  });
  assert.deepEqual(served, { claimsEmail: email, claimsError: null, aal: 'aal1', lock: 'held' });

  await sleep(200);
  assert.deepEqual(await page.evaluate(() => window.unhandled), [], 'no unhandled rejection or uncaught error in the page');
  assert.deepEqual(pageErrors, []);
  await page.close();
});
