// auth-js's lock helpers, for code that imports them. The client itself takes no lock from
// here: one client coordinates its own refreshes, and tabs coordinate over a
// BroadcastChannel inside the engine, so a `lock` option is accepted and not called (as in
// auth-js 2.119, which ignores it too). These work for callers that want an exclusive lock
// of their own.

/** Debug switch of the lock helpers (logs acquire and release to the console). */
export const lockInternals = { debug: false };

class LockAcquireTimeoutError extends Error {
  constructor(message) {
    super(message);
    this.isAcquireTimeout = true;
  }
}

/** `navigatorLock` could not get the lock in time. */
export class NavigatorLockAcquireTimeoutError extends LockAcquireTimeoutError {}

/** `processLock` could not get the lock in time. */
export class ProcessLockAcquireTimeoutError extends LockAcquireTimeoutError {}

// The helpers themselves are extras.js's (loaded on the first call, as the facade loads it):
// the error classes and the debug switch stay here, one copy each. One set of helpers per
// page, so processLock's queue is one. A failed load rejects the call, and the next call
// tries again.
let helpers = null;
function loadHelpers() {
  const loading = (helpers ||= import('./extras.js').then((module) =>
    module.defineLocks({ lockInternals, NavigatorLockAcquireTimeoutError, ProcessLockAcquireTimeoutError })));
  loading.catch(() => {
    if (helpers === loading) helpers = null;
  });
  return loading;
}

/**
 * Runs `fn` holding the exclusive Web Lock `name` (`navigator.locks`), shared by every tab of
 * the origin. `acquireTimeout`: negative waits for ever, 0 fails at once when the lock is
 * held, positive fails after that many milliseconds; the failure has `isAcquireTimeout`.
 */
export async function navigatorLock(name, acquireTimeout, fn) {
  return (await loadHelpers()).navigatorLock(name, acquireTimeout, fn);
}

/**
 * Runs `fn` holding the exclusive lock `name` of this JavaScript realm (one tab, one Node
 * process). `acquireTimeout` as for `navigatorLock`. Calls queue in the order they are made.
 */
export async function processLock(name, acquireTimeout, fn) {
  return (await loadHelpers()).processLock(name, acquireTimeout, fn);
}
