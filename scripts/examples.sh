#!/usr/bin/env bash
# Builds and runs the example apps against a local test server:
#   - examples/native.rs (ReqwestTransport + FileStorage): signs up, restores the session from
#     its files in a second client, shows the user, signs out;
#   - examples/leptos (a Leptos 0.8 CSR app, built for wasm32, then wasm-bindgen --target web),
#     served as static files and driven in headless Chromium by tests/examples/*.test.mjs
#     (node:test + playwright-core): password sign-in, the user, a reload, sign-out, GitHub
#     sign-in with PKCE through the test server's fake provider, and the WebAuthn ceremonies of
#     BrowserAuth (passkey registration and sign-in, a security key as MFA factor) with
#     Chromium's virtual authenticator, and the account's passkey list (rename, delete).
#
#   bash scripts/examples.sh
#   bash scripts/examples.sh --test-name-pattern OAuth   # extra args go to `node --test`
#
# Ports: EXAMPLES_BASE_PORT (default 9930) for the auth server, +1 for the app's page server.
# The Leptos app is its own Cargo workspace (examples/leptos/Cargo.lock, target/ there), so the
# crate's other builds never compile Leptos.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -n "${GOTRUE_SKIP_SETUP:-}" ] || bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"

BASE_PORT="${EXAMPLES_BASE_PORT:-9930}"
AUTH_PORT="$BASE_PORT"
APP_PORT=$((BASE_PORT + 1))
APP_DIR="examples/leptos"
DIST="$APP_DIR/dist"

step() { printf '\n==> %s\n' "$*" >&2; }

step "building the test server and the native example"
cargo build --quiet -p gotrue-test-server
cargo build --quiet --example native --all-features

step "building $APP_DIR for wasm32 (Leptos 0.8, csr) and running wasm-bindgen"
# The wasm-bindgen CLI (setup.sh: the version of the crate's Cargo.lock) must match the one the
# app links: move the example's lock to it when the crate's has moved.
CLI_VERSION="$(wasm-bindgen --version | awk '{print $2}')"
APP_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' "$APP_DIR/Cargo.lock")"
if [ "$CLI_VERSION" != "$APP_VERSION" ]; then
  (cd "$APP_DIR" && cargo update --quiet -p wasm-bindgen --precise "$CLI_VERSION")
fi
# Not --locked: a dependency the crate gains later is added to the example's lock, the rest stays.
(cd "$APP_DIR" && cargo build --quiet --target wasm32-unknown-unknown)
rm -rf "$DIST"
mkdir -p "$DIST/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$DIST/pkg" --out-name gotrue_leptos_example \
  "$APP_DIR/target/wasm32-unknown-unknown/debug/gotrue-leptos-example.wasm"
cp "$APP_DIR/index.html" "$DIST/"
printf "// Written by scripts/examples.sh for this run.\nwindow.GOTRUE_URL = 'http://127.0.0.1:%s';\n" "$AUTH_PORT" \
  >"$DIST/config.js"

source scripts/servers.sh
SERVE_PID=""
cleanup() {
  stop_servers
  if [ -n "$SERVE_PID" ]; then kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
# SITE_URL names the app by `localhost`: it is the WebAuthn relying party id (browsers refuse an
# IP address there); the passkey tests open the app under that name.
start_server examples "$AUTH_PORT" --autoconfirm --smtp-max-frequency 0 --passkeys --mfa-webauthn \
  --site-url "http://localhost:$APP_PORT"

step "native example (examples/native.rs) against the test server"
NATIVE_OUT="$(./target/debug/examples/native "http://127.0.0.1:$AUTH_PORT" "native-example-$$-$RANDOM@example.com" \
  correct-horse-battery-staple)"
printf '%s\n' "$NATIVE_OUT"
for expected in '^signed in as native-example-' '^restored from ' '^user ' '^signed out: stored session removed$'; do
  grep -q "$expected" <<<"$NATIVE_OUT" || { echo "[examples] native example: no line matching $expected" >&2; exit 1; }
done

step "serving $DIST"
mkdir -p "$SERVER_LOG_DIR"
SERVE_LOG="$SERVER_LOG_DIR/examples-app.log"
if command -v fuser >/dev/null 2>&1; then fuser -k "$APP_PORT/tcp" >/dev/null 2>&1 || true; fi
node scripts/serve.mjs "$DIST" "$APP_PORT" 127.0.0.1 >"$SERVE_LOG" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 600); do
  grep -q '^serving ' "$SERVE_LOG" 2>/dev/null && break
  if ! kill -0 "$SERVE_PID" 2>/dev/null; then cat "$SERVE_LOG" >&2; exit 1; fi
  sleep 0.1
done
grep -q '^serving ' "$SERVE_LOG" || { echo "[examples] the page server did not start" >&2; exit 1; }

step "the Leptos app in headless Chromium (node:test + playwright-core)"
export EXAMPLE_APP_URL="http://127.0.0.1:$APP_PORT"
export EXAMPLE_APP_LOCALHOST_URL="http://localhost:$APP_PORT"
export EXAMPLE_AUTH_URL="http://127.0.0.1:$AUTH_PORT"
node --test --test-concurrency=1 --test-reporter=spec "$@" tests/examples/
