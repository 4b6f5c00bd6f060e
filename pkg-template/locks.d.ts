// auth-js's lock helpers (locks.js). The client takes no lock from these: its `lock` option is
// accepted and not called, as in auth-js 2.119.

/** Debug switch of the lock helpers. */
export declare const lockInternals: { debug: boolean };

declare abstract class LockAcquireTimeoutError extends Error {
  readonly isAcquireTimeout = true;
  constructor(message: string);
}

/** `navigatorLock` could not get the lock in time. */
export declare class NavigatorLockAcquireTimeoutError extends LockAcquireTimeoutError {}

/** `processLock` could not get the lock in time. */
export declare class ProcessLockAcquireTimeoutError extends LockAcquireTimeoutError {}

/** Runs `fn` holding the exclusive Web Lock `name`; `acquireTimeout` < 0 waits for ever, 0
 * fails at once when held, > 0 fails after that many milliseconds. */
export declare function navigatorLock<R>(name: string, acquireTimeout: number, fn: () => Promise<R>): Promise<R>;

/** Runs `fn` holding the exclusive lock `name` of this JavaScript realm. */
export declare function processLock<R>(name: string, acquireTimeout: number, fn: () => Promise<R>): Promise<R>;

// Only the names marked `export` above are exported.
export {};
