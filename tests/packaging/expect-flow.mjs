// What every run of fixtures/flow.js must show, wherever the package was loaded.
import assert from 'node:assert/strict';
import * as authJs from '@supabase/auth-js';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

function assertGuards(error, expected, what) {
  const allFalse = {
    isAuthError: true,
    isAuthApiError: false,
    isAuthSessionMissingError: false,
    isAuthRetryableFetchError: false,
    isAuthWeakPasswordError: false,
    isAuthImplicitGrantRedirectError: false,
    isAuthPKCECodeVerifierMissingError: false,
    isAuthRefreshDiscardedError: false,
  };
  assert.deepEqual(error.guards, { ...allFalse, ...expected }, `${what}: the type guards' answers`);
}

/**
 * The error is an instance of exactly `classes` among the package's error classes (its class
 * and auth-js's parents of it), and its `toJSON()` is what auth-js's own class gives for the
 * same values (`authJsError`, built here in Node from @supabase/auth-js).
 */
function assertClass(error, classes, authJsError, what) {
  assert.equal(error.isError, true, `${what}: an Error`);
  assert.deepEqual([...error.instanceOf].sort(), [...classes].sort(), `${what}: instanceof`);
  assert.deepEqual(error.json, JSON.parse(JSON.stringify(authJsError.toJSON())), `${what}: toJSON() as auth-js's`);
}

/** `inBrowser`: the flow ran with localStorage, so the stored session is checked too. */
export function expectFlow(result, email, { inBrowser }) {
  assert.deepEqual(result.guardsOnNonErrors, { null: false, plainError: false, fakeMarker: true },
    'guards on null, a plain Error and an object with the marker');

  assert.equal(result.initialSession, null, 'no session before signing up');
  assert.equal(result.initialError, null);

  const noUser = result.noUser.error;
  assert.ok(noUser, 'getUser() without a session is an error');
  assert.equal(noUser.isError, true, 'errors are Error objects');
  assert.equal(noUser.name, 'AuthSessionMissingError');
  assertGuards(noUser, { isAuthSessionMissingError: true }, 'getUser() without a session');
  assertClass(noUser, ['AuthSessionMissingError', 'CustomAuthError', 'AuthError'], new authJs.AuthSessionMissingError(), 'no session');

  const weak = result.weak.error;
  assert.ok(weak, 'a two-letter password is refused');
  assert.equal(weak.name, 'AuthWeakPasswordError');
  assert.equal(weak.code, 'weak_password');
  assert.equal(weak.status, 422);
  assert.ok(Array.isArray(weak.reasons) && weak.reasons.includes('length'), `reasons: ${JSON.stringify(weak.reasons)}`);
  assertGuards(weak, { isAuthWeakPasswordError: true }, 'weak password');
  assertClass(weak, ['AuthWeakPasswordError', 'CustomAuthError', 'AuthError'],
    new authJs.AuthWeakPasswordError(weak.message, weak.status, weak.reasons), 'weak password');
  assert.equal(result.weak.user, null, 'data.user is null on error');
  assert.equal(result.weak.session, null, 'data.session is null on error');

  assert.equal(result.signUp.error, null, `sign-up error: ${JSON.stringify(result.signUp.error)}`);
  assert.equal(result.signUp.userEmail, email);
  assert.match(result.signUp.session?.access_token ?? '', JWT, 'the autoconfirm server signs the new user in');

  assert.equal(result.signOut.error, null);
  assert.equal(result.afterSignOut, null, 'no session after signOut');

  assert.equal(result.signIn.error, null, `sign-in error: ${JSON.stringify(result.signIn.error)}`);
  assert.equal(result.signIn.userEmail, email);
  const session = result.signIn.session;
  assert.match(session.access_token, JWT);
  assert.ok(session.refresh_token, 'a refresh token');
  assert.equal(session.token_type, 'bearer');
  assert.ok(session.expires_at > Date.now() / 1000, 'expires_at in the future (seconds)');
  assert.equal(session.user.email, email);
  assert.deepEqual(result.current, session, 'getSession() returns the signed-in session');
  assert.equal(result.user.error, null);
  assert.equal(result.user.email, email, 'getUser() with the session');

  // The methods extras.js holds, through whatever split (or inlining) the app's build made.
  assert.deepEqual(result.extras.aal, { currentLevel: 'aal1', nextLevel: 'aal1', error: null }, 'mfa.getAuthenticatorAssuranceLevel()');
  assert.deepEqual(result.extras.claims, { email, sub: session.user.id, error: null }, 'getClaims()');
  assert.equal(result.extras.badJwt.data, null);
  assert.equal(result.extras.badJwt.error?.name, 'AuthInvalidJwtError', `getClaims('not-a-jwt'): ${JSON.stringify(result.extras.badJwt.error)}`);
  assertClass(result.extras.badJwt.error, ['AuthInvalidJwtError', 'CustomAuthError', 'AuthError'],
    new authJs.AuthInvalidJwtError(result.extras.badJwt.error.message), "getClaims('not-a-jwt')");

  const wrong = result.wrong.error;
  assert.ok(wrong, 'a wrong password is refused');
  assert.equal(wrong.name, 'AuthApiError');
  assert.equal(wrong.status, 400);
  assert.equal(wrong.code, 'invalid_credentials');
  assertGuards(wrong, { isAuthApiError: true }, 'wrong password');
  assertClass(wrong, ['AuthApiError', 'AuthError'], new authJs.AuthApiError(wrong.message, wrong.status, wrong.code), 'wrong password');
  assert.equal(result.wrong.session, null);

  const unreachable = result.unreachable.error;
  assert.ok(unreachable, 'an unreachable server is an error');
  assert.equal(unreachable.name, 'AuthRetryableFetchError');
  assert.equal(unreachable.status, 0, 'status 0: no response');
  assertGuards(unreachable, { isAuthRetryableFetchError: true }, 'unreachable server');
  assertClass(unreachable, ['AuthRetryableFetchError', 'CustomAuthError', 'AuthError'],
    new authJs.AuthRetryableFetchError(unreachable.message, unreachable.status), 'unreachable server');
  assert.equal(result.unreachable.session, null);

  assert.equal(result.locks.process, 'held', 'processLock runs the function');
  if (inBrowser) {
    assert.equal(result.locks.navigator, 'held', 'navigatorLock runs the function under a Web Lock');
    assert.equal(result.namedImport, true, "the page's `import { AuthApiError } from 'gotrue-wasm'` is the package's class");
    assert.deepEqual(result.stored, session, 'the session is stored in localStorage under the storage key');
  }
  assert.equal(result.events[0], 'INITIAL_SESSION', `events: ${result.events.join(', ')}`);
  assert.ok(result.events.includes('SIGNED_IN'), `events: ${result.events.join(', ')}`);
  assert.ok(result.events.includes('SIGNED_OUT'), `events: ${result.events.join(', ')}`);
}
