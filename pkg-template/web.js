// gotrue-wasm for browsers and runtimes with `fetch` (what "gotrue-wasm" resolves to under the
// `browser` and `default` export conditions, and "gotrue-wasm/web"): wasm-bindgen's `web`
// output, instantiated exactly once, here, by a top-level await. By the time any module that
// imports this one runs, the client is usable: `new GoTrueClient(…)` needs no `await init()`.
// The .wasm is found with `new URL(…, import.meta.url)`, which Vite, webpack 5 and Parcel
// follow (and emit as an asset), and which a browser resolves next to this file.
import init, { Core } from './web/gotrue_wasm.js';
import { defineClients } from './client.js';

export const { GoTrueClient, GoTrueAdminApi, AuthClient, AuthAdminApi } = defineClients(Core);
export { SIGN_OUT_SCOPES } from './client.js';
export * from './errors.js';
export * from './locks.js';

/** Resolves once the WebAssembly module is instantiated: already so when importers run. */
export const ready = init().then(() => undefined);

await ready;
