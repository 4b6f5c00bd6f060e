#!/usr/bin/env bash
# Builds both flavours of the package as shipped (scripts/build-wasm.sh: release wasm, on
# nightly with std rebuilt for size when available, wasm-opt from binaryen 132, minified
# JS; then pkg-template's entry points bundled as scripts/build-package.sh bundles them,
# scripts/bundle-entries.mjs) under target/size-pkg/, and prints what an app loads for each:
# every file its entry point reaches (JS and .wasm), raw, `gzip -9` and brotli (quality 11),
# each file compressed on its own as a server would. The web flavour is what a browser
# fetches as installed (web.js, one module, and the .wasm); the bundler flavour is also
# measured as an app's bundler ships it (its JS joined by esbuild, the .wasm beside it).
#
#   bash scripts/size.sh
#   GOTRUE_WASM_TOOLCHAIN=stable bash scripts/size.sh   # the stable build, for comparison
#   GOTRUE_WASM_MINIFY=0 bash scripts/size.sh           # unminified JS
#   GOTRUE_SIZE_VARIANTS=0 bash scripts/size.sh         # skip the shell / table variants
#
# Then the web flavour again as three variants built with #[cfg] (cargo features size-shell,
# size-init, size-table), so a regression shows where it is: the shell alone (options,
# storage, tabs, subscribe, dispose: no operation, no initialization), the shell with
# initialize, and that with every operation of the request table (src/js/engine.rs); with
# the full build that gives the cost of one table row and of one operation of its own code.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh

OUT="$ROOT/target/size-pkg"
rm -rf "$OUT"
mkdir -p "$OUT"
for target in web bundler; do
  bash scripts/build-wasm.sh "$target" "$OUT/$target"
done
cp pkg-template/*.js "$OUT/"
node scripts/bundle-entries.mjs "$OUT" web bundler
VARIANTS=()
if [ "${GOTRUE_SIZE_VARIANTS:-1}" != 0 ]; then
  for variant in shell init table; do
    GOTRUE_WASM_FEATURES="small-alloc size-$variant" bash scripts/build-wasm.sh web "$OUT/variant-$variant/web"
    # The variant's web.js bundles its own glue (its imports differ), as the package's does.
    cp pkg-template/web.js pkg-template/client.js pkg-template/errors.js pkg-template/locks.js "$OUT/variant-$variant/"
    node scripts/bundle-entries.mjs "$OUT/variant-$variant" web
    VARIANTS+=("$variant")
  done
fi
# Operations: the facade's calls into the engine, and the request table's rows.
# (inside `run(…)`, and the namespaces' `call('op')` / `consent('op')` / `codes('op')`).
ALL_OPS="$({ grep -o "run([^;]*" pkg-template/client.js; grep -oE "(call|consent|codes)\('[a-zA-Z.]*'" pkg-template/client.js; } | grep -o "'[a-zA-Z.]*'" | sort -u | wc -l)"
TABLE_OPS="$(grep -c '\.\.op("' src/js/engine.rs)"

node - "$OUT" "$ALL_OPS" "$TABLE_OPS" "${VARIANTS[@]}" <<'EOF'
// Follows each entry point's relative imports (static imports, re-exports and the
// `new URL('…', import.meta.url)` of the .wasm) and sizes every file reached.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const [dir, allOps, tableOps, ...variants] = process.argv.slice(2);
const reference =
  /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']|new URL\(\s*["']([^"':]+)["']\s*,\s*import\.meta\.url/g;

function reach(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    if (!existsSync(file)) throw new Error(`${relative(dir, file)} is imported but missing`);
    seen.add(file);
    if (!file.endsWith('.js')) return;
    for (const [, spec, url] of readFileSync(file, 'utf8').matchAll(reference)) visit(join(dirname(file), spec ?? url));
  };
  visit(join(dir, entry));
  return [...seen];
}

// The gzip command itself (its deflate differs from zlib's by a few hundred bytes on the
// .wasm); zlib at level 9 only where there is no gzip.
function gzip9(bytes) {
  const run = spawnSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 1 << 30 });
  return run.status === 0 ? run.stdout.length : gzipSync(bytes, { level: 9 }).length;
}

function measure(file) {
  const bytes = readFileSync(file);
  return {
    raw: bytes.length,
    gzip: gzip9(bytes),
    brotli: brotliCompressSync(bytes, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

const row = (name, s) =>
  console.log(`${name.padEnd(58)} ${String(s.raw).padStart(9)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}`);
for (const [flavour, entry] of [['web', 'web.js'], ['bundler', 'bundler.js']]) {
  console.log(`\n${flavour} flavour (${entry})`);
  row('file', { raw: 'raw', gzip: 'gzip -9', brotli: 'brotli' });
  const total = { raw: 0, gzip: 0, brotli: 0 };
  const js = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of reach(entry)) {
    const s = measure(file);
    row(relative(dir, file).replace(/snippets\/[^/]+\//, 'snippets/…/'), s);
    for (const key of Object.keys(total)) {
      total[key] += s[key];
      if (file.endsWith('.js')) js[key] += s[key];
    }
  }
  row('JS', js);
  row(`total (${flavour})`, total);
  if (flavour === 'bundler') {
    // An app's bundler joins this flavour's JS into its own; esbuild here, with the .wasm left
    // external (esbuild cannot link it, so every function the .wasm imports is exported).
    const joined = join(dir, 'bundler-joined.js');
    await build({
      stdin: { contents: "export * from './bundler.js'; export * from './bundler/gotrue_wasm_bg.js';", resolveDir: dir },
      outfile: joined, bundle: true, minify: true, format: 'esm', external: ['*.wasm'], logLevel: 'warning',
    });
    const app = measure(joined);
    const wasm = measure(join(dir, 'bundler/gotrue_wasm_bg.wasm'));
    row('JS joined by an app (esbuild --bundle --minify)', app);
    row('total (bundler), as an app ships it', { raw: app.raw + wasm.raw, gzip: app.gzip + wasm.gzip, brotli: app.brotli + wasm.brotli });
  }
}

function totalOf(base) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of reach(join(base, 'web.js').slice(dir.length + 1))) {
    const s = measure(file);
    for (const key of Object.keys(total)) total[key] += s[key];
  }
  return total;
}
if (variants.length === 3) {
  const full = totalOf(dir);
  const shell = totalOf(join(dir, 'variant-shell'));
  const init = totalOf(join(dir, 'variant-init'));
  const table = totalOf(join(dir, 'variant-table'));
  const codeOps = Number(allOps) - Number(tableOps) - 1; // initialize is in the table variant
  console.log('\nweb flavour by #[cfg] variant (JS + .wasm)');
  row('variant', { raw: 'raw', gzip: 'gzip -9', brotli: 'brotli' });
  row('shell: no operation, no initialization', shell);
  row('+ initialize', init);
  row(`+ the request table (${tableOps} operations)`, table);
  row(`+ the other ${codeOps} operations (code of their own): all`, full);
  const per = (a, b, n) => ({
    raw: Math.round((a.raw - b.raw) / n), gzip: Math.round((a.gzip - b.gzip) / n), brotli: Math.round((a.brotli - b.brotli) / n),
  });
  row('per row of the request table (average)', per(table, init, Number(tableOps)));
  row('per operation of its own code (average)', per(full, table, codeOps));
}
EOF
