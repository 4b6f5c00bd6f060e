// Compatibility with the real @supabase/auth-js, in ONE Chromium page against the local test
// server: a session written by auth-js is read by gotrue-wasm with the same storage key, and
// the reverse; so are tokens rotated by a refresh on either side, and auth-js's sign-out.
// page/compat.js is bundled here with esbuild (auth-js inside; gotrue-wasm left to the page's
// import map, which points at the tarball scripts/packaging-tests.sh installed into
// target/packaging/compat).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  AUTH_URL, PASSWORD, PORTS, WORK, launchBrowser, openPage, serveDir, uniqueEmail, waitForGlobal,
} from '../packaging/helpers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const APP = join(WORK, 'compat');
const AUTH_JS_VERSION = JSON.parse(
  readFileSync(join(HERE, '../../node_modules/@supabase/auth-js/package.json'), 'utf8'),
).version;

/** The fields auth-js needs to count a stored value as a session (and then some). */
const SESSION_FIELDS = ['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type', 'user'];

let browser;
let server;
let opened;

before(async () => {
  assert.ok(existsSync(join(APP, 'node_modules/gotrue-wasm/package.json')), `the tarball is not installed in ${APP}`);
  await build({
    entryPoints: [join(HERE, 'page/compat.js')],
    outfile: join(APP, 'compat.bundle.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['gotrue-wasm'],
    logLevel: 'warning',
  });
  copyFileSync(join(HERE, 'page/index.html'), join(APP, 'index.html'));
  server = await serveDir(APP, PORTS.compat);
  browser = await launchBrowser();
  opened = await openPage(browser, `${server.url}/`);
  await waitForGlobal(opened, 'compatReady');
});

after(async () => {
  await opened?.close();
  await browser?.close();
  await server?.stop();
});

async function inPage(method, prefix) {
  const email = uniqueEmail(prefix);
  try {
    const result = await opened.page.evaluate(
      ([name, options]) => window.compat[name](options),
      [method, { url: AUTH_URL, email, password: PASSWORD, storageKey: `sb-compat-${prefix}-auth-token` }],
    );
    return { email, result };
  } catch (error) {
    error.message += `\n--- page log ---\n${opened.log.join('\n')}`;
    throw error;
  }
}

test(`a session signed in by @supabase/auth-js ${AUTH_JS_VERSION} is read by gotrue-wasm, and so are a refresh and a sign-out`, async () => {
  const { email, result } = await inPage('authJsThenOurs', 'authjs-first');
  assert.equal(result.signUpError, null, JSON.stringify(result.signUpError));
  assert.equal(result.signInError, null, JSON.stringify(result.signInError));
  const theirs = result.authJsSession;
  assert.ok(theirs?.access_token, 'auth-js signed in');
  assert.deepEqual(result.written.value, theirs, 'auth-js stored its session under the key');

  assert.equal(result.oursError, null, JSON.stringify(result.oursError));
  assert.equal(result.oursSession?.access_token, theirs.access_token, 'same access_token');
  assert.equal(result.oursSession?.user.id, theirs.user.id, 'same user.id');
  assert.deepEqual(result.oursSession, theirs, 'same refresh_token, expires_at and user');
  assert.equal(result.oursUser.error, null, JSON.stringify(result.oursUser.error));
  assert.equal(result.oursUser.email, email, 'getUser() works with the adopted session');
  // As auth-js reports a stored session it recovers: SIGNED_IN, then INITIAL_SESSION carrying it.
  assert.deepEqual(
    result.oursEvents.slice(0, 2),
    [['SIGNED_IN', theirs.access_token], ['INITIAL_SESSION', theirs.access_token]],
    'SIGNED_IN, then INITIAL_SESSION, carry it',
  );

  assert.equal(result.refreshError, null, JSON.stringify(result.refreshError));
  assert.notEqual(result.authJsRefreshed.refresh_token, theirs.refresh_token, 'the refresh rotated the refresh token');
  assert.deepEqual(result.oursAfterRefresh, result.authJsRefreshed, 'gotrue-wasm reads the rotated session');
  assert.equal(result.signOutError, null, JSON.stringify(result.signOutError));
  assert.equal(result.oursAfterSignOut, null, 'gotrue-wasm sees the sign-out');
});

test(`a session signed in by gotrue-wasm is read by @supabase/auth-js ${AUTH_JS_VERSION}, and so is a refresh`, async () => {
  const { email, result } = await inPage('oursThenAuthJs', 'ours-first');
  assert.equal(result.signUpError, null, JSON.stringify(result.signUpError));
  assert.equal(result.signInError, null, JSON.stringify(result.signInError));
  const ours = result.oursSession;
  assert.ok(ours?.access_token, 'gotrue-wasm signed in');
  assert.deepEqual(result.written.value, ours, 'gotrue-wasm stored its session under the key');
  for (const field of SESSION_FIELDS) {
    assert.ok(result.written.fields.includes(field), `stored field ${field} (stored: ${result.written.fields.join(', ')})`);
  }

  assert.equal(result.authJsError, null, JSON.stringify(result.authJsError));
  assert.equal(result.authJsSession?.access_token, ours.access_token, 'same access_token');
  assert.equal(result.authJsSession?.user.id, ours.user.id, 'same user.id');
  assert.deepEqual(result.authJsSession, ours, 'same refresh_token, expires_at and user');
  assert.equal(result.authJsUser.error, null, JSON.stringify(result.authJsUser.error));
  assert.equal(result.authJsUser.email, email, 'auth-js getUser() works with the adopted session');

  assert.equal(result.refreshError, null, JSON.stringify(result.refreshError));
  assert.notEqual(result.oursRefreshed.refresh_token, ours.refresh_token, 'the refresh rotated the refresh token');
  assert.deepEqual(result.writtenAfterRefresh.value, result.oursRefreshed, 'the rotated session is stored');
  assert.deepEqual(result.authJsAfterRefresh, result.oursRefreshed, 'auth-js reads the rotated session');
});
