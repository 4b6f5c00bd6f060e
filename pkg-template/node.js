// gotrue-wasm for Node.js: what "gotrue-wasm" resolves to under the `node` export condition
// (Node itself, and server-side rendering under Node). Node's fetch cannot read file: URLs,
// so the module's bytes are read from disk and instantiated synchronously; with no top-level
// await, `require()` of this ES module works where Node allows it. Without `window`, sessions
// are kept in memory unless a `storage` option is given.
import { readFileSync } from 'node:fs';
import { initSync, Core } from './web/gotrue_wasm.js';
import { defineClients } from './client.js';

function wasmBytes() {
  try {
    return readFileSync(new URL('./web/gotrue_wasm_bg.wasm', import.meta.url));
  } catch (error) {
    // Bundled into a server build (Vite's `ssr.noExternal`, esbuild, …): this code no longer
    // sits beside web/, but the installed package is still where Node resolves it.
    try {
      return readFileSync(new URL(import.meta.resolve('gotrue-wasm/web/gotrue_wasm_bg.wasm')));
    } catch {
      throw error;
    }
  }
}

initSync({ module: wasmBytes() });

// The facade's rarely used methods: bundled into this file (scripts/bundle-entries.mjs).
export const { GoTrueClient, GoTrueAdminApi, AuthClient, AuthAdminApi, navigatorLock, processLock } =
  defineClients(Core, undefined, () => import('./extras.js'));
export { SIGN_OUT_SCOPES } from './client.js';
export * from './errors.js';
export * from './locks.js';

/** Resolves at once: the module was instantiated synchronously on import. */
export const ready = Promise.resolve();
