// The real @supabase/auth-js from node_modules, bundled by scripts/e2e.sh into pkg/auth-js.js
// (esbuild): the fault-injection page runs it beside gotrue-wasm, and the parity tests run
// each call through it and through gotrue-wasm in the same page and compare.
export { GoTrueClient, GoTrueAdminApi } from '@supabase/auth-js';
