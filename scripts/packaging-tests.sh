#!/usr/bin/env bash
# Packaging tests: builds the npm tarball (scripts/build-package.sh), installs it like any
# dependency into fresh apps under target/packaging/, starts a local auth server, then runs
# (node --test):
#   tests/packaging/apps.test.mjs   a Vite 7 app (`vite build`, no config or plugins; and the
#                                   dev server), a webpack 5 app (no loaders, no experiments)
#                                   and a static page with an import map, in headless
#                                   Chromium: sign up + sign in
#   tests/packaging/loaders.test.mjs  no top-level await anywhere: Vite 8 build and dev server,
#                                   Vite 7 dev server and `--target es2020`, all with no config;
#                                   a worker in Vite's default (iife) format; an SSR bundle
#                                   (`ssr.noExternal`) run away from node_modules
#   tests/packaging/node.test.mjs   the `node` entry and the bundler flavour in Node
#   tests/packaging/layout.test.mjs each entry point one ES module (web.js: no import, the
#                                   .wasm by new URL(…, import.meta.url)); no file left over
#   tests/packaging/types.test.mjs  `tsc --noEmit --strict` (TypeScript 7 and 5.9) on a
#                                   TypeScript file using the API, and on auth-js's documented
#                                   usage against auth-js and gotrue-wasm; `any` only as auth-js
#   tests/packaging/exports.test.mjs  every name auth-js exports is exported, of the same kind
#   tests/compat/compat.test.mjs    @supabase/auth-js and gotrue-wasm in one page, one
#                                   storage key: each reads the other's session
#
#   bash scripts/packaging-tests.sh                      # everything
#   bash scripts/packaging-tests.sh --test-name-pattern Vite   # extra args go to `node --test`
#   PACKAGING_TARBALL=dist/gotrue-wasm-0.1.0.tgz bash scripts/packaging-tests.sh  # skip the build
#
# Ports: PACKAGING_BASE_PORT (default 9941) for the auth server, +1 to +4 and +6 to +12 for
# the pages, +5 for the demo's auth server.
# Installs are offline-friendly: the tarball has no dependencies, and vite, typescript,
# esbuild, webpack, @supabase/auth-js and playwright-core come from the root node_modules (npm ci).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"

BASE_PORT="${PACKAGING_BASE_PORT:-9941}"
WORK="$ROOT/target/packaging"

step() { printf '\n==> %s\n' "$*" >&2; }

if [ -z "${GOTRUE_SKIP_SETUP:-}" ]; then bash scripts/setup.sh; fi

if [ -n "${PACKAGING_TARBALL:-}" ]; then
  TARBALL="$(cd "$(dirname "$PACKAGING_TARBALL")" && pwd)/$(basename "$PACKAGING_TARBALL")"
  [ -f "$TARBALL" ] || { echo "[packaging] no tarball at $TARBALL" >&2; exit 1; }
else
  step "building the package"
  TARBALL="$(GOTRUE_SKIP_SETUP=1 bash scripts/build-package.sh | tail -n1)"
fi
printf '[packaging] tarball: %s\n' "$TARBALL" >&2

step "installing the tarball into fresh apps under $WORK"
rm -rf "$WORK"
mkdir -p "$WORK"
FIXTURES="tests/packaging/fixtures"
for app in vite-app vite-worker-app vite-ssr-app webpack-app static-page node-app types; do
  cp -R "$FIXTURES/$app" "$WORK/$app"
done
cp "$FIXTURES/flow.js" "$WORK/vite-app/src/flow.js"
cp "$FIXTURES/flow.js" "$WORK/webpack-app/src/flow.js"
cp "$FIXTURES/flow.js" "$WORK/static-page/flow.js"
cp "$FIXTURES/flow.js" "$WORK/node-app/flow.js"
# The demo app, installed from the tarball exactly as scripts/demo.sh installs it.
mkdir -p "$WORK/demo"
cp -R www/. "$WORK/demo/"
rm -rf "$WORK/demo/node_modules"
mkdir -p "$WORK/compat"
printf '{ "name": "gotrue-wasm-compat-page", "private": true, "type": "module" }\n' >"$WORK/compat/package.json"
for app in vite-app vite-worker-app vite-ssr-app webpack-app static-page node-app types compat demo; do
  (cd "$WORK/$app" && npm install --silent --no-audit --no-fund --prefer-offline "$TARBALL" >/dev/null)
done

step "starting the auth server"
cargo build --quiet -p gotrue-test-server
source scripts/servers.sh
trap stop_servers EXIT
trap 'exit 130' INT TERM
start_server packaging-auth "$BASE_PORT" --autoconfirm --smtp-max-frequency 0
# The demo's server confirms by email, as the demo's own server does.
start_server packaging-demo-auth "$((BASE_PORT + 5))" --phone --anonymous --smtp-max-frequency 0

# A page server or Vite left over from an interrupted run would hold a port.
if command -v fuser >/dev/null 2>&1; then
  for port in $(seq $((BASE_PORT + 1)) $((BASE_PORT + 4))) $(seq $((BASE_PORT + 6)) $((BASE_PORT + 12))); do fuser -k "$port/tcp" >/dev/null 2>&1 || true; done
fi

step "packaging and auth-js compatibility tests (node:test; headless Chromium, tsc, Node)"
export PACKAGING_WORK_DIR="$WORK"
export PACKAGING_AUTH_URL="http://127.0.0.1:$BASE_PORT"
export PACKAGING_BASE_PORT="$BASE_PORT"
node --test --test-concurrency=1 --test-reporter=tap "$@" tests/packaging/ tests/compat/
