#!/usr/bin/env bash
# Benchmark (not a test): gotrue-wasm against @supabase/auth-js in headless Chromium.
# Builds the package (scripts/build-package.sh), installs the tarball under target/bench/,
# starts a local auth server, then runs scripts/bench/run.mjs, which prints one markdown
# table: shipped bytes (raw / gzip -9 / brotli), cold start to INITIAL_SESSION with a stored
# session (median of BENCH_LOADS page loads, default 15), and getSession() calls per second.
#
#   bash scripts/bench.sh
#   BENCH_LOADS=31 bash scripts/bench.sh
#   PACKAGING_TARBALL=dist/gotrue-wasm-0.1.0.tgz bash scripts/bench.sh   # skip the build
#
# Ports: BENCH_BASE_PORT (default 9951) for the auth server, +1 for the pages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"

BASE_PORT="${BENCH_BASE_PORT:-9951}"
LOADS="${BENCH_LOADS:-15}"
WORK="$ROOT/target/bench"

if [ -z "${GOTRUE_SKIP_SETUP:-}" ]; then bash scripts/setup.sh; fi

if [ -n "${PACKAGING_TARBALL:-}" ]; then
  TARBALL="$(cd "$(dirname "$PACKAGING_TARBALL")" && pwd)/$(basename "$PACKAGING_TARBALL")"
else
  TARBALL="$(GOTRUE_SKIP_SETUP=1 bash scripts/build-package.sh | tail -n1)"
fi

rm -rf "$WORK"
mkdir -p "$WORK"
printf '{ "name": "gotrue-wasm-bench", "private": true, "type": "module" }\n' >"$WORK/package.json"
(cd "$WORK" && npm install --silent --no-audit --no-fund --prefer-offline "$TARBALL" >/dev/null)

cargo build --quiet -p gotrue-test-server
source scripts/servers.sh
trap stop_servers EXIT
trap 'exit 130' INT TERM
start_server bench-auth "$BASE_PORT" --autoconfirm --smtp-max-frequency 0

TABLE="$(node scripts/bench/run.mjs --work "$WORK" --auth "http://127.0.0.1:$BASE_PORT" --port $((BASE_PORT + 1)) --loads "$LOADS")"
echo
echo "$TABLE"
echo
COMMAND="bash scripts/bench.sh"
[ "$LOADS" = 15 ] || COMMAND="BENCH_LOADS=$LOADS $COMMAND"
echo "Made by \`$COMMAND\` ($(nproc) cores, $(chromium --version 2>/dev/null | head -n1 | awk '{print $1, $2}'), Node $(node --version), headless)."
