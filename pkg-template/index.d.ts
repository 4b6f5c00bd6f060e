// The types of every entry point ("gotrue-wasm", "gotrue-wasm/web", "gotrue-wasm/bundler",
// "gotrue-wasm/node"): each flavour exports the same API (client.d.ts, errors.d.ts).
export * from './client.js';
// Named, so that they win over any same-named declaration the generated file may add.
export {
  isAuthError,
  isAuthApiError,
  isAuthSessionMissingError,
  isAuthRetryableFetchError,
  isAuthWeakPasswordError,
  isAuthImplicitGrantRedirectError,
  isAuthPKCECodeVerifierMissingError,
} from './errors.js';
export type {
  AuthError,
  AuthApiError,
  AuthSessionMissingError,
  AuthRetryableFetchError,
  AuthWeakPasswordError,
  WeakPasswordReason,
  AuthImplicitGrantRedirectError,
  AuthRedirectErrorDetails,
  AuthPKCECodeVerifierMissingError,
} from './errors.js';

/**
 * Resolves once the WebAssembly module is instantiated. Every entry point has finished that
 * by the time an `import` of it completes, so awaiting `ready` is never required; it is
 * exported for code that prefers to say so (e.g. when porting from `await init()`).
 */
export declare const ready: Promise<void>;
