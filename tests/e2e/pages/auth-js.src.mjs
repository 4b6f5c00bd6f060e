// Bundled by scripts/e2e.sh into pkg/auth-js.js (esbuild): @supabase/auth-js from
// node_modules, for the fault-injection page to run beside gotrue-wasm.
export { GoTrueClient } from '@supabase/auth-js';
