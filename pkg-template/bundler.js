// gotrue-wasm for bundlers that implement WebAssembly ESM integration ("gotrue-wasm/bundler"):
// webpack 5 with `experiments.asyncWebAssembly`, Vite with vite-plugin-wasm, Rollup with
// @rollup/plugin-wasm, Node with --experimental-wasm-modules. wasm-bindgen's `bundler` output
// imports the .wasm itself, so the bundler instantiates it as part of the module graph.
import { Core } from './bundler/gotrue_wasm.js';
import { defineClients } from './client.js';

// The facade's rarely used methods (extras.js), imported on first use: an app's bundler
// splits them into a chunk of their own.
export const { GoTrueClient, GoTrueAdminApi, AuthClient, AuthAdminApi, navigatorLock, processLock } =
  defineClients(Core, undefined, () => import('./extras.js'));
export { SIGN_OUT_SCOPES } from './client.js';
export * from './errors.js';
export * from './locks.js';

/** Resolves at once: the bundler instantiated the module before this one ran. */
export const ready = Promise.resolve();
