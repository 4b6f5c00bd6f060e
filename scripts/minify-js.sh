#!/usr/bin/env bash
# Minifies JavaScript files in place with the esbuild of node_modules (no bundling: each file
# keeps its imports, exports and `import.meta.url`, and stays an ES module). Used for
# wasm-bindgen's glue (scripts/build-wasm.sh), whose function and class names nobody reads:
# they are not kept (the package's own classes keep theirs in scripts/bundle-entries.mjs).
#
#   bash scripts/minify-js.sh FILE.js [FILE.js ...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ESBUILD="$ROOT/node_modules/.bin/esbuild"
[ -x "$ESBUILD" ] || { echo "[minify-js] no $ESBUILD (run scripts/setup.sh)" >&2; exit 1; }

for file in "$@"; do
  "$ESBUILD" "$file" --minify --format=esm --charset=utf8 --log-level=warning \
    --outfile="$file" --allow-overwrite
done
