#!/usr/bin/env bash
# Runs the demo: builds the package, starts a local test server and serves www/.
# Open the printed URL; Ctrl-C stops everything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"

AUTH_PORT="${DEMO_AUTH_PORT:-9999}"
WEB_PORT="${DEMO_WEB_PORT:-8080}"

echo "[demo] building and packing the npm package" >&2
TARBALL="$(GOTRUE_SKIP_SETUP=1 bash scripts/build-package.sh | tail -n1)"
# The demo imports the package exactly as an app would: installed from the tarball.
(cd www && npm install --silent --no-save --no-audit --no-fund --no-package-lock "$TARBALL")
cargo build --quiet -p gotrue-test-server

source scripts/servers.sh
WEB_PID=""
cleanup() { stop_servers; [ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
start_server demo-auth "$AUTH_PORT" --phone --anonymous --smtp-max-frequency 0 \
  --site-url "http://127.0.0.1:$WEB_PORT" --allow-list "http://localhost:$WEB_PORT/**"

node scripts/serve.mjs www "$WEB_PORT" 127.0.0.1 &
WEB_PID=$!
sleep 0.5
echo
echo "  demo:        http://127.0.0.1:$WEB_PORT/"
echo "  auth server: http://127.0.0.1:$AUTH_PORT (mailbox: /__test/mailbox/<address>)"
echo "  Ctrl-C to stop."
wait "$WEB_PID"
