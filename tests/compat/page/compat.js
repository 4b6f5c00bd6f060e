// One page, two libraries sharing one storage key: what an app switching from auth-js to
// gotrue-wasm (or back) finds in localStorage. Bundled by tests/compat/compat.test.mjs with
// esbuild; the test calls `window.compat.*` and asserts on the plain data returned.
import { GoTrueClient as AuthJsClient } from '@supabase/auth-js';
import { GoTrueClient as WasmClient } from 'gotrue-wasm';

function describe(session) {
  if (!session) return null;
  return {
    access_token: session.access_token,
    refresh_token: session.refresh_token,
    expires_at: session.expires_at,
    user: { id: session.user?.id, email: session.user?.email },
  };
}

function describeError(error) {
  return error ? { name: error.name, message: error.message, status: error.status, code: error.code } : null;
}

/** The parsed value under `key`, and its top-level field names. */
function stored(key) {
  const value = JSON.parse(localStorage.getItem(key) ?? 'null');
  return { value: describe(value), fields: value ? Object.keys(value).sort() : [] };
}

const options = (url, storageKey) => ({ url, storageKey, autoRefreshToken: false });

window.compat = {
  /**
   * auth-js signs up and in; then our client, on the same storage key, reads the session.
   * Then auth-js refreshes it and signs out, and our client reads each change.
   */
  async authJsThenOurs({ url, email, password, storageKey }) {
    const authJs = new AuthJsClient(options(url, storageKey));
    const signUp = await authJs.signUp({ email, password });
    const signIn = await authJs.signInWithPassword({ email, password });
    const written = stored(storageKey);
    const ours = new WasmClient(options(url, storageKey));
    const events = [];
    ours.onAuthStateChange((event, session) => events.push([event, session?.access_token ?? null]));
    const read = await ours.getSession();
    const user = await ours.getUser();
    const refreshed = await authJs.refreshSession();
    const readAfterRefresh = await ours.getSession();
    const signOut = await authJs.signOut({ scope: 'local' });
    const readAfterSignOut = await ours.getSession();
    ours.dispose();
    await authJs.dispose?.();
    return {
      signUpError: describeError(signUp.error),
      signInError: describeError(signIn.error),
      authJsSession: describe(signIn.data.session),
      written,
      oursSession: describe(read.data.session),
      oursError: describeError(read.error),
      oursUser: { email: user.data.user?.email ?? null, error: describeError(user.error) },
      oursEvents: events,
      refreshError: describeError(refreshed.error),
      authJsRefreshed: describe(refreshed.data.session),
      oursAfterRefresh: describe(readAfterRefresh.data.session),
      signOutError: describeError(signOut.error),
      oursAfterSignOut: describe(readAfterSignOut.data.session),
    };
  },

  /**
   * Our client signs up and in; then auth-js, on the same storage key, reads the session.
   * Then our client refreshes it, and auth-js reads the rotated tokens.
   */
  async oursThenAuthJs({ url, email, password, storageKey }) {
    const ours = new WasmClient(options(url, storageKey));
    const signUp = await ours.signUp({ email, password });
    const signIn = await ours.signInWithPassword({ email, password });
    const written = stored(storageKey);
    const authJs = new AuthJsClient(options(url, storageKey));
    const read = await authJs.getSession();
    const user = await authJs.getUser();
    const refreshed = await ours.refreshSession();
    const writtenAfterRefresh = stored(storageKey);
    const readAfterRefresh = await authJs.getSession();
    ours.dispose();
    await authJs.dispose?.();
    return {
      signUpError: describeError(signUp.error),
      signInError: describeError(signIn.error),
      oursSession: describe(signIn.data.session),
      written,
      authJsSession: describe(read.data.session),
      authJsError: describeError(read.error),
      authJsUser: { email: user.data.user?.email ?? null, error: describeError(user.error) },
      refreshError: describeError(refreshed.error),
      oursRefreshed: describe(refreshed.data.session),
      writtenAfterRefresh,
      authJsAfterRefresh: describe(readAfterRefresh.data.session),
    };
  },
};
window.compatReady = true;
