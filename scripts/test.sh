#!/usr/bin/env bash
# Runs every test: installs what is missing, then the native tests (client core and test
# server), then the browser tests in headless Chromium against real test servers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"

MAIN_PORT="${GOTRUE_TEST_PORT:-9911}"
AUTOCONFIRM_PORT=$((MAIN_PORT + 1))
NO_SIGNUP_PORT=$((MAIN_PORT + 2))
SHORT_PORT=$((MAIN_PORT + 3))
ES256_PORT=$((MAIN_PORT + 4))
RS256_PORT=$((MAIN_PORT + 5))
EXPIRING_ES256_PORT=$((MAIN_PORT + 6))
ROTATING_ES256_PORT=$((MAIN_PORT + 7))
ROTATING_RS256_PORT=$((MAIN_PORT + 8))

step() { printf '\n==> %s\n' "$*" >&2; }

step "formatting and lints"
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets --all-features -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --lib --tests --features serde -- -D warnings
# The npm package's engine (feature js-api, which the Rust API does not need).
cargo clippy --quiet --target wasm32-unknown-unknown --lib --tests --features js-api -- -D warnings
# ... and exactly as scripts/build-wasm.sh builds it (no default features: no Rust WebAuthn ceremonies).
cargo clippy --quiet --target wasm32-unknown-unknown --lib --no-default-features --features "small-alloc js-api" -- -D warnings
node scripts/feature-table.mjs --check

step "docs for both targets (warnings are errors) and the crate package"
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --all-features
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --all-features --target wasm32-unknown-unknown
cargo package --quiet --allow-dirty

step "starting test servers"
cargo build --quiet -p gotrue-test-server
source scripts/servers.sh
trap stop_servers EXIT
start_server main "$MAIN_PORT" --phone --anonymous --reuse-interval 1 --smtp-max-frequency 0
start_server autoconfirm "$AUTOCONFIRM_PORT" --autoconfirm --sms-autoconfirm --phone --anonymous --smtp-max-frequency 0 --manual-linking --mfa-phone
start_server no-signup "$NO_SIGNUP_PORT" --disable-signup
start_server short "$SHORT_PORT" --autoconfirm --jwt-exp 5 --refresh-delay-ms 300 --smtp-max-frequency 0
# SITE_URL is the server itself under `localhost` (the WebAuthn relying party id): the OAuth
# consent redirect then lands on it, so a browser test can follow it to the authorization id.
start_server es256 "$ES256_PORT" --autoconfirm --jwt-alg ES256 --saml --web3 \
  --passkeys --oauth-server --custom-providers --mfa-recovery-codes --mfa-webauthn \
  --site-url "http://localhost:$ES256_PORT"
start_server rs256 "$RS256_PORT" --autoconfirm --jwt-alg RS256
start_server expiring-es256 "$EXPIRING_ES256_PORT" --autoconfirm --jwt-alg ES256 --jwt-exp 2
start_server rotating-es256 "$ROTATING_ES256_PORT" --autoconfirm --jwt-alg ES256
start_server rotating-rs256 "$ROTATING_RS256_PORT" --autoconfirm --jwt-alg RS256

export GOTRUE_TEST_URL="http://127.0.0.1:$MAIN_PORT"
export GOTRUE_TEST_AUTOCONFIRM_URL="http://127.0.0.1:$AUTOCONFIRM_PORT"
export GOTRUE_TEST_NO_SIGNUP_URL="http://127.0.0.1:$NO_SIGNUP_PORT"
export GOTRUE_TEST_SHORT_URL="http://127.0.0.1:$SHORT_PORT"
export GOTRUE_TEST_ES256_URL="http://127.0.0.1:$ES256_PORT"
export GOTRUE_TEST_RS256_URL="http://127.0.0.1:$RS256_PORT"
export GOTRUE_TEST_EXPIRING_ES256_URL="http://127.0.0.1:$EXPIRING_ES256_PORT"
export GOTRUE_TEST_ROTATING_ES256_URL="http://127.0.0.1:$ROTATING_ES256_PORT"
export GOTRUE_TEST_ROTATING_RS256_URL="http://127.0.0.1:$ROTATING_RS256_PORT"
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=120

# With every feature: the serde impls' tests and tests/native_client.rs (ReqwestTransport and
# FileStorage against the servers above, over a socket) run here too.
step "native tests (client core, serde, test server, doctests, the native client against the servers)"
cargo test --workspace --all-features --quiet

step "browser tests (wasm-bindgen-test in headless Chromium)"
wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver

stop_servers
trap - EXIT

step "browser end-to-end tests (Playwright driving headless Chromium; fault injection beside auth-js)"
bash scripts/e2e.sh

step "example apps: examples/native.rs and the Leptos app in headless Chromium (Playwright)"
GOTRUE_SKIP_SETUP=1 bash scripts/examples.sh

step "packaging tests (the npm tarball in Vite 7, a static page, Node, tsc --strict; auth-js compatibility)"
GOTRUE_SKIP_SETUP=1 bash scripts/packaging-tests.sh

step "all tests passed"
