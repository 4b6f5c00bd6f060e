#!/usr/bin/env bash
# Builds the npm package "gotrue-wasm":
#   1. scripts/build-wasm.sh twice (release wasm, on nightly with std rebuilt for size when
#      available; wasm-bindgen; wasm-opt; minified JS): `web` (browsers, Vite, webpack 5,
#      Node) and `bundler` (bundlers with WebAssembly ESM integration);
#   2. dist/gotrue-wasm/ = pkg-template/ (types, README, package.json with the version of
#      Cargo.toml) + the two builds in web/ and bundler/, then each entry point bundled into
#      one minified ES module (scripts/bundle-entries.mjs: web.js = facade + errors + locks +
#      wasm-bindgen's glue, loading web/gotrue_wasm_bg.wasm; extras.js, the facade's rarely
#      used methods, a module of its own that web.js and bundler.js load on first use);
#   3. `npm pack` -> dist/gotrue-wasm-<version>.tgz.
# The tarball's path is the last line on stdout; progress goes to stderr.
#
#   bash scripts/build-package.sh
#   GOTRUE_SKIP_SETUP=1 bash scripts/build-package.sh   # when scripts/setup.sh already ran
#   GOTRUE_WASM_MINIFY=0 bash scripts/build-package.sh  # readable JS (see build-wasm.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ "${GOTRUE_SKIP_SETUP:-}" = 1 ] || bash scripts/setup.sh
# binaryen 132's wasm-opt must come before any other (Debian's 108 corrupts the output).
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"

step() { printf '[build-package] %s\n' "$*" >&2; }

DIST="$ROOT/dist"
PKG="$DIST/gotrue-wasm"
STAGE="$DIST/.stage"

VERSION="$(cargo metadata --no-deps --format-version 1 --offline |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const crate = JSON.parse(s).packages.find((p) => p.name === "gotrue-wasm");
    if (!crate) process.exit(1);
    console.log(crate.version);
  })')"
step "gotrue-wasm $VERSION"

rm -rf "$PKG" "$STAGE" "$DIST/gotrue-wasm-"*.tgz
mkdir -p "$STAGE"
for target in web bundler; do
  step "build-wasm $target"
  bash scripts/build-wasm.sh "$target" "$STAGE/$target"
done

step "assembling $PKG"
mkdir -p "$PKG"
cp -R pkg-template/. "$PKG/"
mv "$STAGE/web" "$STAGE/bundler" "$PKG/"
rm -rf "$STAGE"
# Each entry point becomes one ES module (minified unless GOTRUE_WASM_MINIFY=0): web.js and
# node.js with the facade, errors, locks and wasm-bindgen's glue inlined; bundler.js with the
# facade, errors and locks over bundler/; extras.js on its own, loaded by web.js and
# bundler.js on first use (node.js inlines it). See scripts/bundle-entries.mjs. The .d.ts
# files stay as written, with their docs.
step "bundling the entry points"
node scripts/bundle-entries.mjs "$PKG"
node - "$PKG" "$VERSION" <<'EOF'
// Sets the version and checks that every file the package points at exists.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
const [dir, version] = process.argv.slice(2);
const manifestPath = join(dir, 'package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.version = version;
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

const targets = [manifest.main, manifest.types, ...manifest.files];
const walk = (value) => (typeof value === 'string' ? targets.push(value) : Object.values(value).forEach(walk));
walk(manifest.exports);
const missing = targets.filter((path) => !existsSync(join(dir, path)));
if (missing.length) {
  console.error(`[build-package] package.json points at missing files: ${missing.join(', ')}`);
  process.exit(1);
}
EOF

step "npm pack"
TARBALL_NAME="$(cd "$PKG" && npm pack --silent --pack-destination "$DIST" | tail -n1)"
TARBALL="$DIST/$TARBALL_NAME"
[ -f "$TARBALL" ] || { step "npm pack wrote no $TARBALL"; exit 1; }
step "wrote $TARBALL ($(wc -c <"$TARBALL") bytes)"
echo "$TARBALL"
