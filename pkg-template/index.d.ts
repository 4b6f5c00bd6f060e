// The types of every entry point ("gotrue-wasm", "gotrue-wasm/web", "gotrue-wasm/bundler",
// "gotrue-wasm/node"): each flavour exports the same API, the names auth-js 2.119 exports
// from its package root (tests/packaging/exports.test.mjs compares the two lists) and `ready`.
export * from './client.js';
export * from './types.js';
export * from './errors.js';
export * from './locks.js';

/**
 * Resolves once the WebAssembly module is instantiated. Every entry point has finished that
 * by the time an `import` of it completes, so awaiting `ready` is never required; it is
 * exported for code that prefers to say so (e.g. when porting from `await init()`).
 */
export declare const ready: Promise<void>;
