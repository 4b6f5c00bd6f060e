// gotrue-wasm for browsers and runtimes with `fetch` (what "gotrue-wasm" resolves to under the
// `browser` and `default` export conditions, and "gotrue-wasm/web"): wasm-bindgen's `web`
// output. The .wasm is fetched, compiled and instantiated as soon as this module is imported
// (`WebAssembly.instantiateStreaming`, which compiles while the bytes arrive), with no
// top-level await: importing never waits for it, `new GoTrueClient(…)` is synchronous, and
// every method waits for the module. The .wasm is found with `new URL(…, import.meta.url)`,
// which Vite, webpack 5 and Parcel follow (and emit as an asset), and which a browser
// resolves next to this file.
// The package ships this file bundled (scripts/bundle-entries.mjs): one module with the
// imports below inlined, so the URL is written here, relative to web.js, and not left to
// wasm-bindgen's glue (whose own default is relative to a file the package no longer has).
import init, { Core } from './web/gotrue_wasm.js';
import { defineClients } from './client.js';

const loading = init({ module_or_path: new URL('./web/gotrue_wasm_bg.wasm', import.meta.url) });

export const { GoTrueClient, GoTrueAdminApi, AuthClient, AuthAdminApi } = defineClients(Core, loading);
export { SIGN_OUT_SCOPES } from './client.js';
export * from './errors.js';
export * from './locks.js';

/** Resolves once the WebAssembly module is instantiated (no call needs to wait for it). */
export const ready = loading.then(() => undefined);
ready.catch(() => {});
