// The real @supabase/auth-js, bundled by scripts/e2e.sh into pkg/auth-js.js: the parity
// tests run each call through it and through gotrue-wasm in the same page and compare, and
// the fault-injection page runs it beside gotrue-wasm.
export { GoTrueClient, GoTrueAdminApi } from '@supabase/auth-js';
