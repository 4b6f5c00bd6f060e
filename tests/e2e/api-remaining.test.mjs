// The rest of the client's JS API against the real servers: e-mail OTP codes (verifyOtp),
// anonymous sign-ins, setSession in a second client, reauthenticate + nonce, resend, an explicit
// exchangeCodeForSession with URL detection off, startAutoRefresh/stopAutoRefresh, and the admin
// API's mfa.deleteFactor.
import assert from 'node:assert/strict';
import {
  AUTH, CONFIRM_AUTH, FEATURES_AUTH, PAGES, PASSWORD, SHORT_AUTH, STORAGE_KEY, WAIT_MS, call, createUser,
  e2eTest, events, initError, invoke, invokeOk, jwtPayload, openPage, readMail, serviceRoleKey,
  signInWithPassword, sleep, stats, storageKeys, storedSession, uniqueEmail, verifierKeys, waitBackOnPage,
  waitForEvent,
} from './helpers.mjs';

/** A six-digit code that is not `code`. */
function otherCode(code) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** The newest mail to `email` of `type` whose token differs from `previous` (polls). */
async function nextMail(server, email, type, previous) {
  const deadline = Date.now() + WAIT_MS;
  let last = null;
  while (Date.now() < deadline) {
    last = await readMail(server, email, type);
    if (last.token_hash !== previous.token_hash) return last;
    await sleep(100);
  }
  throw new Error(`no new ${type} mail for ${email}; last seen: ${JSON.stringify(last)}`);
}

/** The server's answer to a password grant, straight from node: the HTTP status. */
async function passwordGrantStatus(server, email, password) {
  const response = await fetch(`${server}/token?grant_type=password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  await response.text();
  return response.status;
}

/** localStorage[key], parsed (or null). */
function storedUnder(page, key) {
  return page.evaluate((name) => {
    const raw = localStorage.getItem(name);
    return raw === null ? null : JSON.parse(raw);
  }, key);
}

function countEvents(page, name) {
  return page.evaluate((event) => window.events.filter(([e]) => e === event).length, name);
}

e2eTest('verifyOtp with the mailed e-mail code: a wrong code is 403 otp_expired, the right one signs in', async ({ context }) => {
  const email = uniqueEmail('otp-code');
  const page = await openPage(context, 'implicit.html');
  const sent = await call(page, 'signInWithOtp', { email });
  assert.equal(sent.error, null, `signInWithOtp: ${JSON.stringify(sent.error)}`);
  assert.equal(sent.data.session, null, 'no session before the code is verified');
  const mail = await readMail(AUTH, email, 'magiclink');
  assert.match(mail.otp, /^\d{6}$/, `a six-digit code: ${JSON.stringify(mail)}`);

  const refused = await call(page, 'verifyOtp', { email, token: otherCode(mail.otp), type: 'email' });
  assert.equal(refused.error?.status, 403, `wrong code: ${JSON.stringify(refused.error)}`);
  assert.equal(refused.error.code, 'otp_expired');
  assert.equal(refused.data?.session ?? null, null);
  assert.equal(await storedSession(page), null, 'nothing stored for a refused code');

  const verified = await call(page, 'verifyOtp', { email, token: mail.otp, type: 'email' });
  assert.equal(verified.error, null, `verifyOtp: ${JSON.stringify(verified.error)}`);
  assert.ok(verified.data.session?.access_token && verified.data.session.refresh_token, 'a session');
  assert.equal(verified.data.user?.email, email);
  assert.equal(jwtPayload(verified.data.session.access_token).email, email);
  await waitForEvent(page, 'SIGNED_IN', email);
  assert.equal((await storedSession(page))?.access_token, verified.data.session.access_token, 'the session is stored');
  const { data, error } = await call(page, 'getUser');
  assert.equal(error, null);
  assert.equal(data.user.email, email);

  const reused = await call(page, 'verifyOtp', { email, token: mail.otp, type: 'email' });
  assert.equal(reused.error?.code, 'otp_expired', `the code is single-use: ${JSON.stringify(reused.error)}`);
  assert.equal((await storedSession(page))?.access_token, verified.data.session.access_token, 'a refused code keeps the session');
});

e2eTest('signInAnonymously on a server with --anonymous: an anonymous user, session stored', async ({ context }) => {
  const page = await openPage(context, 'features.html?server=confirm');
  const result = await call(page, 'signInAnonymously');
  assert.equal(result.error, null, `signInAnonymously: ${JSON.stringify(result.error)}`);
  const { user, session } = result.data;
  assert.equal(user?.is_anonymous, true, `user: ${JSON.stringify(user)}`);
  assert.ok(session?.access_token, 'a session');
  assert.equal(session.user.id, user.id);
  assert.equal(jwtPayload(session.access_token).is_anonymous, true, 'the token says is_anonymous');
  await waitForEvent(page, 'SIGNED_IN');

  const stored = await storedSession(page);
  assert.equal(stored?.access_token, session.access_token, `stored under ${STORAGE_KEY}: ${JSON.stringify(stored)}`);
  assert.equal(stored.refresh_token, session.refresh_token);
  assert.equal(stored.user?.id, user.id);
  assert.equal(stored.user.is_anonymous, true);
  const fetched = await invokeOk(page, 'auth', 'getUser');
  assert.equal(fetched.user.id, user.id);
  assert.equal(fetched.user.is_anonymous, true);

  // The same call on a server without --anonymous is refused (so the above is the server's doing).
  const other = await openPage(context, 'features.html?server=main');
  const refused = await call(other, 'signInAnonymously');
  assert.equal(refused.error?.code, 'anonymous_provider_disabled', `main server: ${JSON.stringify(refused.error)}`);
  assert.equal(refused.error.status, 422);
});

e2eTest('setSession in a second client (another storage key) with a first client\'s tokens; garbage tokens fail', async ({ context }) => {
  const email = uniqueEmail('set-session');
  await createUser(AUTH, email);
  const page = await openPage(context, 'features.html?server=main');
  const first = await signInWithPassword(page, email);

  const SECOND_KEY = 'e2e-second-client';
  const THIRD_KEY = 'e2e-third-client';
  await page.evaluate(([second, third]) => {
    const url = window.config.servers.main;
    for (const [name, storageKey] of [['second', second], ['third', third]]) {
      const client = new window.GoTrueClient({ url, storageKey });
      window[name] = client;
      window[`${name}Events`] = [];
      client.onAuthStateChange((event, session) => window[`${name}Events`].push([event, session?.user?.email ?? null]));
    }
  }, [SECOND_KEY, THIRD_KEY]);

  const set = await invoke(page, 'second', 'setSession', { access_token: first.access_token, refresh_token: first.refresh_token });
  assert.equal(set.error, null, `setSession: ${JSON.stringify(set.error)}`);
  assert.equal(set.data.session?.access_token, first.access_token);
  assert.equal(set.data.session.refresh_token, first.refresh_token);
  assert.equal(set.data.user?.id, first.user.id, 'the same user');
  assert.equal(set.data.user.email, email);
  const stored = await storedUnder(page, SECOND_KEY);
  assert.equal(stored?.access_token, first.access_token, `stored under ${SECOND_KEY}: ${JSON.stringify(stored)}`);
  assert.equal(stored.refresh_token, first.refresh_token);
  assert.equal(stored.user?.id, first.user.id);
  await page.waitForFunction((who) => window.secondEvents.some(([e, w]) => e === 'SIGNED_IN' && w === who), email, { timeout: WAIT_MS });
  const fromSecond = await invokeOk(page, 'second', 'getSession');
  assert.equal(fromSecond.session?.access_token, first.access_token);
  assert.equal((await storedSession(page))?.access_token, first.access_token, 'the first client\'s session is untouched');

  // Garbage: an access token that is no JWT at all is refused before any request.
  const notJwt = await invoke(page, 'third', 'setSession', { access_token: 'not-a-jwt', refresh_token: 'garbage' });
  assert.equal(notJwt.error?.name, 'AuthInvalidJwtError', `not a JWT: ${JSON.stringify(notJwt.error)}`);
  assert.equal(notJwt.data?.session ?? null, null);
  // A JWT of the right shape with a broken signature: the server (GET /user) refuses it.
  const [header, payload, signature] = first.access_token.split('.');
  const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
  const forged = await invoke(page, 'third', 'setSession', { access_token: `${header}.${payload}.${flipped}`, refresh_token: first.refresh_token });
  assert.ok(forged.error, 'a forged token is refused');
  assert.equal(forged.error.status, 403, `forged signature: ${JSON.stringify(forged.error)}`);
  assert.equal(forged.error.code, 'bad_jwt');
  assert.equal(forged.data?.session ?? null, null);
  assert.equal(await storedUnder(page, THIRD_KEY), null, 'nothing stored for garbage tokens');
  const thirdEvents = await page.evaluate(() => window.thirdEvents);
  assert.ok(!thirdEvents.some(([e]) => e === 'SIGNED_IN'), `no SIGNED_IN on the third client: ${JSON.stringify(thirdEvents)}`);
});

e2eTest('reauthenticate, then updateUser({ password, nonce }): a wrong nonce is 422, the mailed one works', async ({ context }) => {
  const email = uniqueEmail('reauth');
  await createUser(AUTH, email);
  const page = await openPage(context, 'implicit.html');
  await signInWithPassword(page, email);

  const asked = await call(page, 'reauthenticate');
  assert.equal(asked.error, null, `reauthenticate: ${JSON.stringify(asked.error)}`);
  assert.deepEqual(asked.data, { user: null, session: null });
  const mail = await readMail(AUTH, email, 'reauthentication');
  assert.match(mail.otp, /^\d{6}$/, `a six-digit nonce: ${JSON.stringify(mail)}`);

  const newPassword = 'another-horse-battery-staple';
  const refused = await call(page, 'updateUser', { password: newPassword, nonce: otherCode(mail.otp) });
  assert.equal(refused.error?.status, 422, `wrong nonce: ${JSON.stringify(refused.error)}`);
  assert.equal(refused.error.code, 'reauthentication_not_valid');
  assert.equal(await passwordGrantStatus(AUTH, email, newPassword), 400, 'the password did not change');

  const updated = await call(page, 'updateUser', { password: newPassword, nonce: mail.otp });
  assert.equal(updated.error, null, `updateUser with the nonce: ${JSON.stringify(updated.error)}`);
  assert.equal(updated.data.user?.email, email);
  await waitForEvent(page, 'USER_UPDATED', email);
  assert.equal(await passwordGrantStatus(AUTH, email, newPassword), 200, 'the new password signs in');
  assert.equal(await passwordGrantStatus(AUTH, email, PASSWORD), 400, 'the old one no longer does');

  const reused = await call(page, 'updateUser', { password: PASSWORD, nonce: mail.otp });
  assert.equal(reused.error?.code, 'reauthentication_not_valid', `the nonce is single-use: ${JSON.stringify(reused.error)}`);
});

e2eTest('resend({ type: \'signup\' }) without autoconfirm: a new code, which verifyOtp accepts', async ({ context }) => {
  const email = uniqueEmail('resend');
  const page = await openPage(context, 'features.html?server=confirm');
  const signUp = await call(page, 'signUp', { email, password: PASSWORD });
  assert.equal(signUp.error, null, `signUp: ${JSON.stringify(signUp.error)}`);
  assert.equal(signUp.data.session, null, 'no session until the address is confirmed');
  assert.equal(signUp.data.user?.email, email);
  assert.ok(!signUp.data.user.email_confirmed_at, 'unconfirmed');
  const first = await readMail(CONFIRM_AUTH, email, 'signup');

  const resent = await call(page, 'resend', { type: 'signup', email });
  assert.equal(resent.error, null, `resend: ${JSON.stringify(resent.error)}`);
  assert.equal(resent.data.session, null);
  const second = await nextMail(CONFIRM_AUTH, email, 'signup', first);
  assert.notEqual(second.token_hash, first.token_hash, 'a new token');
  assert.notEqual(second.otp, first.otp);

  // The first code was replaced by the new one.
  const stale = await call(page, 'verifyOtp', { email, token: first.otp, type: 'signup' });
  assert.equal(stale.error?.code, 'otp_expired', `the replaced code: ${JSON.stringify(stale.error)}`);
  assert.equal(stale.error.status, 403);

  const verified = await call(page, 'verifyOtp', { email, token: second.otp, type: 'signup' });
  assert.equal(verified.error, null, `verifyOtp with the resent code: ${JSON.stringify(verified.error)}`);
  assert.ok(verified.data.session?.access_token, 'a session');
  assert.equal(verified.data.user?.email, email);
  assert.ok(verified.data.user.email_confirmed_at, 'confirmed now');
  await waitForEvent(page, 'SIGNED_IN', email);
  assert.equal((await storedSession(page))?.access_token, verified.data.session.access_token);
});

e2eTest('exchangeCodeForSession called explicitly (PKCE, detectSessionInUrl: false); the code works once', async ({ context }) => {
  const email = uniqueEmail('explicit-code');
  await createUser(AUTH, email);
  const path = 'features.html?server=main&flow=pkce&detect=0';
  const page = await openPage(context, path);
  const redirectTo = `${PAGES}/${path}`;
  const sent = await call(page, 'signInWithOtp', { email, options: { emailRedirectTo: redirectTo } });
  assert.equal(sent.error, null, `signInWithOtp: ${JSON.stringify(sent.error)}`);
  assert.ok(verifierKeys(await storageKeys(page)).length > 0, 'a verifier is stored for the link');
  const mail = await readMail(AUTH, email, 'magiclink');
  assert.ok(new URL(mail.link).searchParams.get('token').startsWith('pkce_'), `a PKCE link: ${mail.link}`);

  await page.goto(mail.link);
  await waitBackOnPage(page);
  const landed = new URL(page.url());
  assert.ok(landed.searchParams.get('code'), `landed with ?code=: ${landed}`);
  // auth-js 2.119 adds no flow id to the redirect unless told to.
  assert.equal(landed.searchParams.get('sb_flow_id'), null, `no flow id: ${landed}`);
  // Detection is off: initialize() leaves the code alone and the page stays signed out.
  assert.equal(await initError(page), null);
  await sleep(300); // a late SIGNED_IN would show up
  assert.deepEqual(await events(page), [['INITIAL_SESSION', null]]);
  assert.equal(await storedSession(page), null, 'signed out until the code is exchanged');
  assert.ok(verifierKeys(await storageKeys(page)).length > 0, 'the verifier is still there');

  const code = await page.evaluate(() => new URLSearchParams(location.search).get('code'));
  const exchanged = await call(page, 'exchangeCodeForSession', code);
  assert.equal(exchanged.error, null, `exchangeCodeForSession: ${JSON.stringify(exchanged.error)}`);
  assert.ok(exchanged.data.session?.access_token, 'a session');
  assert.equal(exchanged.data.user?.email, email);
  assert.equal(exchanged.data.session.user.email, email);
  assert.equal(exchanged.data.redirectType, null, 'a magic link is no recovery');
  await waitForEvent(page, 'SIGNED_IN', email);
  assert.equal((await storedSession(page))?.access_token, exchanged.data.session.access_token, 'the session is stored');
  assert.deepEqual(verifierKeys(await storageKeys(page)), [], 'the verifier is used up');
  assert.equal(new URL(page.url()).searchParams.get('code'), code, 'an explicit exchange leaves the URL alone');

  // The same code again: the verifier is gone, so the library refuses before asking the server.
  const again = await call(page, 'exchangeCodeForSession', code);
  assert.equal(again.error?.name, 'AuthPKCECodeVerifierMissingError', `second exchange: ${JSON.stringify(again.error)}`);
  assert.equal(again.data?.session ?? null, null);
  assert.equal((await storedSession(page))?.access_token, exchanged.data.session.access_token, 'the session is kept');
});

e2eTest('startAutoRefresh / stopAutoRefresh with autoRefreshToken off (5 s tokens)', async ({ context }) => {
  const email = uniqueEmail('ticker');
  await createUser(SHORT_AUTH, email);
  // Ticks of 500 ms, refreshing once at most 4 ticks (< 2.5 s) are left.
  const page = await openPage(context, 'tab.html?server=short&refresh=0&tick=500&threshold=4');
  const session = await signInWithPassword(page, email);
  await waitForEvent(page, 'SIGNED_IN', email);

  // Without the ticker nothing refreshes, even with the token inside the ticker's window.
  const untilLastSecond = session.expires_at * 1000 - 1000 - Date.now();
  await sleep(Math.max(untilLastSecond, 2600));
  assert.equal(await countEvents(page, 'TOKEN_REFRESHED'), 0, 'autoRefreshToken: false refreshes nothing by itself');

  const started = Date.now();
  await page.evaluate(() => window.auth.startAutoRefresh());
  await waitForEvent(page, 'TOKEN_REFRESHED', email, 6_000);
  const firstAfter = Date.now() - started;
  // Still ticking: the next token is refreshed as well.
  await page.waitForFunction(() => window.events.filter(([e]) => e === 'TOKEN_REFRESHED').length >= 2, null, { timeout: 6_000 });
  // Stopped right after a refresh finished, so none is in flight.
  await page.evaluate(() => window.auth.stopAutoRefresh());
  const refreshedCount = await countEvents(page, 'TOKEN_REFRESHED');
  const latest = await storedSession(page);
  assert.notEqual(latest.access_token, session.access_token, 'the stored session is a refreshed one');
  const requestsBefore = (await stats(SHORT_AUTH)).refresh_token_requests;

  await sleep(4_000);
  assert.equal(await countEvents(page, 'TOKEN_REFRESHED'), refreshedCount,
    `no TOKEN_REFRESHED for 4 s after stopAutoRefresh (the first came ${firstAfter} ms after start)`);
  assert.equal((await stats(SHORT_AUTH)).refresh_token_requests, requestsBefore, 'and no refresh request reached the server');
  assert.equal((await storedSession(page))?.access_token, latest.access_token, 'the stored session did not change');
}, { timeout: 60_000 });

e2eTest('admin mfa.listFactors / deleteFactor through GoTrueAdminApi', async ({ context }) => {
  const email = uniqueEmail('admin-factor');
  const page = await openPage(context, 'features.html?server=features');
  const signUp = await call(page, 'signUp', { email, password: PASSWORD });
  assert.equal(signUp.error, null, `signUp: ${JSON.stringify(signUp.error)}`);
  const userId = signUp.data.user.id;
  const enrolled = await invokeOk(page, 'auth.mfa', 'enroll', { factorType: 'totp', friendlyName: 'to be deleted' });

  const key = await serviceRoleKey(FEATURES_AUTH);
  await page.evaluate(([url, token]) => {
    window.admin = new window.GoTrueAdminApi({ url, headers: { Authorization: `Bearer ${token}` } });
  }, [FEATURES_AUTH, key]);

  const listed = await invokeOk(page, 'admin.mfa', 'listFactors', { userId });
  assert.deepEqual(listed.factors.map((f) => [f.id, f.factor_type, f.status, f.friendly_name]),
    [[enrolled.id, 'totp', 'unverified', 'to be deleted']], `factors: ${JSON.stringify(listed.factors)}`);

  const deleted = await invokeOk(page, 'admin.mfa', 'deleteFactor', { userId, id: enrolled.id });
  assert.equal(deleted.id, enrolled.id, `deleteFactor returns the factor: ${JSON.stringify(deleted)}`);
  assert.equal(deleted.factor_type, 'totp');

  const after = await invokeOk(page, 'admin.mfa', 'listFactors', { userId });
  assert.deepEqual(after.factors, [], 'no factor left');
  const own = await invokeOk(page, 'auth.mfa', 'listFactors');
  assert.equal(own.all.length, 0, `the user sees none either: ${JSON.stringify(own.all)}`);
  const again = await invoke(page, 'admin.mfa', 'deleteFactor', { userId, id: enrolled.id });
  assert.equal(again.error?.status, 404, `deleting it again: ${JSON.stringify(again.error)}`);
  assert.equal(again.error.code, 'mfa_factor_not_found');
});

// Arguments cross into the wasm as JSON text: what JSON cannot carry, or a wrong type, must
// come back as `{ data, error }` with the auth-js shape — never a thrown TypeError — and
// throwOnError must turn exactly those errors into rejections. A member of the wrong type is
// sent as given and the server judges it, as with auth-js.
e2eTest('arguments that are not JSON data or have wrong types give errors, not exceptions', async ({ context }) => {
  const page = await openPage(context, 'implicit.html');
  const answers = await page.evaluate(async () => {
    const shape = ({ data, error }) => ({
      data,
      error: error && { name: error.name, message: error.message, isAuthError: error.__isAuthError === true },
    });
    const cyclic = { email: 'cycle@example.com', password: 'x' };
    cyclic.self = cyclic;
    const results = {
      cyclic: shape(await window.auth.signInWithPassword(cyclic)),
      bigint: shape(await window.auth.signUp({ email: 'big@example.com', password: 'x', options: { data: { n: 1n } } })),
      wrongType: shape(await window.auth.signInWithPassword({ email: 42, password: 'x' })),
      notAnObject: shape(await window.auth.verifyOtp('token')),
      missing: shape(await window.auth.signInWithPassword()),
    };
    const throwing = new window.auth.constructor({ url: 'http://127.0.0.1:9', throwOnError: true, autoRefreshToken: false });
    try {
      await throwing.signInWithPassword({ email: 42, password: 'x' });
      results.thrown = null;
    } catch (error) {
      results.thrown = { name: error.name, isAuthError: error.__isAuthError === true };
    }
    results.className = window.auth.constructor.name;
    // Signed out: auth-js answers getUserIdentities with `data: null`.
    results.identities = shape(await window.auth.getUserIdentities());
    return results;
  });
  for (const key of ['cyclic', 'bigint', 'wrongType', 'notAnObject', 'missing']) {
    const { data, error } = answers[key];
    assert.ok(error?.isAuthError, `${key}: an auth error, got ${JSON.stringify(answers[key])}`);
    assert.deepEqual(data, { user: null, session: null }, `${key}: auth-js's data shape on error`);
  }
  assert.equal(answers.wrongType.error.name, 'AuthApiError', 'the server judged the number');
  assert.match(answers.cyclic.error.message, /expected an object/);
  assert.deepEqual(answers.thrown, { name: 'AuthRetryableFetchError', isAuthError: true });
  assert.equal(answers.className, 'GoTrueClient');
  assert.equal(answers.identities.data, null, `getUserIdentities signed out: ${JSON.stringify(answers.identities)}`);
  assert.equal(answers.identities.error?.name, 'AuthSessionMissingError');
});

// getSession() answers from localStorage itself while it holds exactly the text the engine
// last accepted and that session is not due for a refresh; any change goes to the engine.
e2eTest('getSession fast path: used while storage is unchanged, left on any change', async ({ context }) => {
  const email = uniqueEmail('fast-path');
  await createUser(AUTH, email);
  const page = await openPage(context, 'implicit.html');
  const first = await signInWithPassword(page, email);
  await page.evaluate(() => {
    const core = window.auth._core;
    const engineCall = core.call.bind(core);
    window.engineCalls = [];
    core.call = (op, ...rest) => {
      window.engineCalls.push(op);
      return engineCall(op, ...rest);
    };
  });
  const engineCalls = () => page.evaluate(() => window.engineCalls.filter((op) => op === 'getSession').length);
  const tokens = async () => {
    const { data, error } = await call(page, 'getSession');
    assert.equal(error, null, `getSession: ${JSON.stringify(error)}`);
    return data.session && [data.session.access_token, data.session.refresh_token];
  };

  const before = await tokens();
  assert.deepEqual(before, [first.access_token, first.refresh_token]);
  for (let i = 0; i < 5; i += 1) assert.deepEqual(await tokens(), before);
  assert.equal(await engineCalls(), 1, 'only the first call reached the engine');

  // Due for a refresh: the engine refreshes, and the answer has new tokens.
  await page.evaluate((key) => {
    const stored = JSON.parse(localStorage.getItem(key));
    stored.expires_at = Math.floor(Date.now() / 1000) + 30;
    localStorage.setItem(key, JSON.stringify(stored));
  }, STORAGE_KEY);
  const refreshed = await tokens();
  assert.notEqual(refreshed[1], before[1], 'refreshed: a new refresh token');
  assert.equal(await engineCalls(), 2);
  assert.deepEqual(await tokens(), refreshed, 'the refreshed session');
  assert.equal(await engineCalls(), 3, 'the text the refresh wrote is read by the engine once');
  assert.deepEqual(await tokens(), refreshed);
  assert.equal(await engineCalls(), 3, 'then the fast path again');

  // Another value under the key: not a session, so the engine drops it.
  await page.evaluate((key) => localStorage.setItem(key, '{"not":"a session"}'), STORAGE_KEY);
  assert.equal(await tokens(), null, 'a stored value that is not a session is no session');
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY), null, 'and it was removed');
});
