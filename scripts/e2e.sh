#!/usr/bin/env bash
# Browser end-to-end tests of the JavaScript API: builds the package into the test pages,
# starts five local auth servers and a static server for the pages, then runs
# tests/e2e/*.test.mjs (node:test + playwright-core driving Debian's Chromium).
#
#   bash scripts/e2e.sh                 # everything
#   bash scripts/e2e.sh --test-name-pattern PKCE   # extra args go to `node --test`
#
# Ports: E2E_BASE_PORT (default 9921) for the main auth server, +1 for the short-lived-token
# server, +2 for the pages, +3 for the features server (MFA incl. WebAuthn, manual linking,
# SSO, web3, ES256 tokens), +4 for the RS256 server, +5 for the confirm server (no autoconfirm,
# anonymous sign-ins on), +6 for the allow-list server (one exact redirect entry on localhost).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"

BASE_PORT="${E2E_BASE_PORT:-9921}"
MAIN_PORT="$BASE_PORT"
SHORT_PORT=$((BASE_PORT + 1))
PAGES_PORT=$((BASE_PORT + 2))
FEATURES_PORT=$((BASE_PORT + 3))
RS256_PORT=$((BASE_PORT + 4))
CONFIRM_PORT=$((BASE_PORT + 5))
ALLOW_PORT=$((BASE_PORT + 6))
SHORT_JWT_EXP=5
REFRESH_DELAY_MS=1500
STORAGE_KEY="e2e-auth-token"
PAGES_DIR="tests/e2e/pages"

step() { printf '\n==> %s\n' "$*" >&2; }

# Installs whatever is missing (about a second when everything is present).
bash scripts/setup.sh

step "building the package into $PAGES_DIR/pkg"
# The package's web flavour as shipped (web.js bundled by scripts/bundle-entries.mjs from
# pkg-template and wasm-bindgen's `web` output, loading web/gotrue_wasm_bg.wasm; extras.js
# beside it, loaded on first use), with a
# debug build of the wasm and the bundle left unminified, for readable stack traces.
rm -rf "$PAGES_DIR/pkg"
wasm-pack --quiet build --dev --target web --out-dir "$PAGES_DIR/pkg/web" --out-name gotrue_wasm -- --features js-api
mv "$PAGES_DIR/pkg/web/.gitignore" "$PAGES_DIR/pkg/.gitignore"
cp pkg-template/web.js pkg-template/client.js pkg-template/errors.js pkg-template/locks.js pkg-template/extras.js "$PAGES_DIR/pkg/"
GOTRUE_WASM_MINIFY=0 node scripts/bundle-entries.mjs "$PAGES_DIR/pkg" web

step "bundling the fake web3 wallets into $PAGES_DIR/pkg/fake-wallets.js"
# After wasm-pack, whose pkg/.gitignore keeps the bundle out of git as well.
node_modules/.bin/esbuild "$PAGES_DIR/fake-wallets.src.mjs" --bundle --format=esm --log-level=warning \
  --outfile="$PAGES_DIR/pkg/fake-wallets.js"

step "bundling @supabase/auth-js into $PAGES_DIR/pkg/auth-js.js (the parity tests' reference; the fault-injection page runs it beside ours)"
node_modules/.bin/esbuild "$PAGES_DIR/auth-js.src.mjs" --bundle --format=esm --log-level=warning \
  --outfile="$PAGES_DIR/pkg/auth-js.js"

step "building the test server"
cargo build --quiet -p gotrue-test-server

SERVE_PID=""
source scripts/servers.sh
cleanup() {
  if [ -n "$SERVE_PID" ]; then
    kill "$SERVE_PID" 2>/dev/null || true
    wait "$SERVE_PID" 2>/dev/null || true
  fi
  stop_servers
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "starting the auth servers"
SHORT_FLAGS=(--autoconfirm --smtp-max-frequency 0 --jwt-exp "$SHORT_JWT_EXP")
if "$ROOT/target/debug/gotrue-test-server" --help 2>&1 | grep -q -- '--refresh-delay-ms'; then
  SHORT_FLAGS+=(--refresh-delay-ms "$REFRESH_DELAY_MS")
else
  printf '[e2e] WARNING: this test server has no --refresh-delay-ms; the multi-tab refresh test\n' >&2
  printf '[e2e]          runs with instant refreshes, which makes tab races less likely to show\n' >&2
fi
start_server e2e-main "$MAIN_PORT" --autoconfirm --smtp-max-frequency 0
start_server e2e-short "$SHORT_PORT" "${SHORT_FLAGS[@]}"
# SITE_URL names the pages by `localhost`: it is the WebAuthn relying party id, and browsers
# refuse an IP address there (redirects to 127.0.0.1 stay allowed: loopback always is).
start_server e2e-features "$FEATURES_PORT" --autoconfirm --smtp-max-frequency 0 --manual-linking \
  --mfa-phone --mfa-webauthn --saml --web3 --jwt-alg ES256 --site-url "http://localhost:$PAGES_PORT" \
  --passkeys --oauth-server --mfa-recovery-codes --custom-providers
start_server e2e-rs256 "$RS256_PORT" --autoconfirm --smtp-max-frequency 0 --jwt-alg RS256
# Sign-ups wait for their confirmation mail (resend), and anonymous sign-ins are allowed.
start_server e2e-confirm "$CONFIRM_PORT" --anonymous --smtp-max-frequency 0
# SITE_URL on 127.0.0.1 and one exact allow-list entry on `localhost` (another host): a PKCE
# redirect is kept only when it is exactly that URL, as GoTrue matches it.
start_server e2e-allow "$ALLOW_PORT" --autoconfirm --smtp-max-frequency 0 \
  --site-url "http://127.0.0.1:$PAGES_PORT/blank.html" \
  --allow-list "http://localhost:$PAGES_PORT/features.html?server=allow&flow=pkce"

step "serving $PAGES_DIR"
cat >"$PAGES_DIR/config.js" <<EOF
// Written by scripts/e2e.sh for this run (not committed).
export default {
  servers: {
    main: 'http://127.0.0.1:$MAIN_PORT',
    short: 'http://127.0.0.1:$SHORT_PORT',
    features: 'http://127.0.0.1:$FEATURES_PORT',
    rs256: 'http://127.0.0.1:$RS256_PORT',
    confirm: 'http://127.0.0.1:$CONFIRM_PORT',
    allow: 'http://127.0.0.1:$ALLOW_PORT',
  },
  storageKey: '$STORAGE_KEY',
};
EOF
mkdir -p "$SERVER_LOG_DIR"
SERVE_LOG="$SERVER_LOG_DIR/e2e-pages.log"
if command -v fuser >/dev/null 2>&1; then fuser -k "$PAGES_PORT/tcp" >/dev/null 2>&1 || true; fi
node scripts/serve.mjs "$PAGES_DIR" "$PAGES_PORT" 127.0.0.1 >"$SERVE_LOG" 2>&1 &
SERVE_PID=$!
# Up to 30 s: a loaded CI machine has been seen to take over 10 s to start node.
for _ in $(seq 1 300); do
  grep -q '^serving ' "$SERVE_LOG" 2>/dev/null && break
  if ! kill -0 "$SERVE_PID" 2>/dev/null; then cat "$SERVE_LOG" >&2; exit 1; fi
  sleep 0.1
done
grep -q '^serving ' "$SERVE_LOG" || { echo "[e2e] the page server did not start" >&2; exit 1; }
printf '[e2e] pages: http://127.0.0.1:%s/\n' "$PAGES_PORT" >&2

step "browser end-to-end tests (node:test + playwright-core, headless Chromium)"
export E2E_PAGES_URL="http://127.0.0.1:$PAGES_PORT"
export E2E_AUTH_URL="http://127.0.0.1:$MAIN_PORT"
export E2E_SHORT_AUTH_URL="http://127.0.0.1:$SHORT_PORT"
export E2E_FEATURES_AUTH_URL="http://127.0.0.1:$FEATURES_PORT"
export E2E_RS256_AUTH_URL="http://127.0.0.1:$RS256_PORT"
export E2E_CONFIRM_AUTH_URL="http://127.0.0.1:$CONFIRM_PORT"
export E2E_ALLOW_AUTH_URL="http://127.0.0.1:$ALLOW_PORT"
export E2E_PAGES_LOCALHOST_URL="http://localhost:$PAGES_PORT"
export E2E_SHORT_JWT_EXP="$SHORT_JWT_EXP"
export E2E_STORAGE_KEY="$STORAGE_KEY"
node --test --test-concurrency=1 --test-reporter=spec "$@" tests/e2e/
