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

// The facade's rarely used methods (extras.js, a module that imports nothing), loaded on
// first use. Found like the .wasm, by `new URL(…, import.meta.url)`: bundlers copy the file
// as an asset (Vite, webpack 5, Parcel) and a browser resolves it beside web.js; imported
// as it is at run time (the comments keep webpack and Vite from bundling the import). A
// literal `import('./extras.js')` would make bundlers split a chunk, which Vite's default
// (iife) worker format refuses to build.
const importExtras = () => import(/* webpackIgnore: true */ /* @vite-ignore */ new URL('./extras.js', import.meta.url).href);

export const { GoTrueClient, GoTrueAdminApi, AuthClient, AuthAdminApi, navigatorLock, processLock } =
  defineClients(Core, loading, importExtras);
export { SIGN_OUT_SCOPES } from './client.js';
export * from './errors.js';
export * from './locks.js';

/** Resolves once the WebAssembly module is instantiated (no call needs to wait for it). */
export const ready = loading.then(() => undefined);
ready.catch(() => {});
