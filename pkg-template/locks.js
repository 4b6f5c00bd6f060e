// auth-js's lock helpers, for code that imports them. The client itself takes no lock from
// here: one client coordinates its own refreshes, and tabs coordinate over a
// BroadcastChannel inside the engine, so a `lock` option is accepted and not called (as in
// auth-js 2.119, which ignores it too). These work for callers that want an exclusive lock
// of their own. This file holds what must exist at start-up (the debug switch and the error
// classes, one copy each); `navigatorLock` and `processLock` are extras.js's, loaded on their
// first call, and each entry point exports them from `defineClients` (client.js).

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
