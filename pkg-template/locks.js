// auth-js's lock helpers, for code that imports them. The client itself takes no lock from
// here: one client coordinates its own refreshes, and tabs coordinate over a
// BroadcastChannel inside the engine, so a `lock` option is accepted and not called (as in
// auth-js 2.119, which ignores it too). These work for callers that want an exclusive lock
// of their own.

/** Debug switch of the lock helpers (logs acquire and release to the console). */
export const lockInternals = { debug: false };

function log(...args) {
  if (lockInternals.debug) console.log('gotrue-wasm lock:', ...args);
}

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

/**
 * Runs `fn` holding the exclusive Web Lock `name` (`navigator.locks`), shared by every tab of
 * the origin. `acquireTimeout`: negative waits for ever, 0 fails at once when the lock is
 * held, positive fails after that many milliseconds; the failure has `isAcquireTimeout`.
 */
export async function navigatorLock(name, acquireTimeout, fn) {
  const locks = globalThis.navigator?.locks;
  if (!locks) throw new Error('navigatorLock needs the Web Locks API (navigator.locks)');
  const abort = new AbortController();
  const timer = acquireTimeout > 0 ? setTimeout(() => abort.abort(), acquireTimeout) : undefined;
  const options = acquireTimeout === 0 ? { mode: 'exclusive', ifAvailable: true } : { mode: 'exclusive', signal: abort.signal };
  log('acquire', name, acquireTimeout);
  try {
    return await locks.request(name, options, async (lock) => {
      clearTimeout(timer);
      if (!lock) throw new NavigatorLockAcquireTimeoutError(`The lock "${name}" is held elsewhere`);
      log('acquired', name);
      try {
        return await fn();
      } finally {
        log('released', name);
      }
    });
  } catch (error) {
    clearTimeout(timer);
    if (abort.signal.aborted && error?.name === 'AbortError') {
      throw new NavigatorLockAcquireTimeoutError(`The lock "${name}" was not free within ${acquireTimeout} ms`);
    }
    throw error;
  }
}

// For each name, the promise that settles when the last holder (or waiter) is done.
const held = new Map();

/**
 * Runs `fn` holding the exclusive lock `name` of this JavaScript realm (one tab, one Node
 * process). `acquireTimeout` as for `navigatorLock`.
 */
export async function processLock(name, acquireTimeout, fn) {
  const previous = held.get(name) ?? Promise.resolve();
  let release;
  const mine = new Promise((done) => {
    release = done;
  });
  // The next caller waits for this one, whether it gets the lock or gives up.
  const tail = previous.then(() => mine);
  held.set(name, tail);
  try {
    if (acquireTimeout >= 0) {
      let timer;
      const timeout = new Promise((_, fail) => {
        timer = setTimeout(
          () => fail(new ProcessLockAcquireTimeoutError(`The lock "${name}" was not free within ${acquireTimeout} ms`)),
          acquireTimeout,
        );
      });
      try {
        await Promise.race([previous, timeout]);
      } finally {
        clearTimeout(timer);
      }
    } else {
      await previous;
    }
    log('acquired', name);
    return await fn();
  } finally {
    release();
    if (held.get(name) === tail) held.delete(name);
  }
}
