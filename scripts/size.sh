#!/usr/bin/env bash
# Builds both flavours of the package as shipped (scripts/build-wasm.sh: release wasm, on
# nightly with std rebuilt for size when available, wasm-opt from binaryen 132, minified
# JS; then pkg-template's entry points bundled as scripts/build-package.sh bundles them,
# scripts/bundle-entries.mjs) under target/size-pkg/, and prints what an app loads for each:
# every file its entry point reaches (JS and .wasm, following static imports, dynamic
# `import(…)` and `new URL(…, import.meta.url)`: the .wasm, and web.js's extras.js, which it
# imports by that URL on first use), raw, `gzip -9` and brotli (quality 11),
# each file compressed on its own as a server would. Each flavour gets two totals:
#   loaded at start-up   the entry point, what it imports statically, and the .wasm: what a
#                        page fetches before the client can answer anything;
#   all files            that plus what is loaded on first use by a dynamic import (extras.js,
#                        the facade's rarely used methods): the full package, which is what
#                        the issue's ≤ 80,000 bytes target counts.
# The web flavour is what a browser fetches as installed (web.js, one module, and the .wasm;
# extras.js later); the bundler flavour is also measured as an app's bundler ships it (its JS
# joined by esbuild, the .wasm beside it, extras.js inlined by esbuild).
#
#   bash scripts/size.sh
#   GOTRUE_WASM_TOOLCHAIN=stable bash scripts/size.sh   # the stable build, for comparison
#   GOTRUE_WASM_MINIFY=0 bash scripts/size.sh           # unminified JS
#   GOTRUE_SIZE_VARIANTS=0 bash scripts/size.sh         # skip the shell / table variants
#
# Then the web flavour again as three variants built with #[cfg] (cargo features size-shell,
# size-init, size-table), so a regression shows where it is: the shell alone (options,
# storage, tabs, subscribe, dispose: no operation, no initialization), the shell with
# initialize, and that with every operation of the request table (src/js/engine.rs). Those
# three rows count the start-up files (the variant's own web.js and its .wasm; they have no
# operation that would load extras.js); the last row, the full build, counts all files of the
# package, extras.js included. From them: the cost of one table row and of one operation of
# its own code (src/js/mod.rs `code_op`).
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
    cp pkg-template/web.js pkg-template/client.js pkg-template/errors.js pkg-template/locks.js pkg-template/extras.js "$OUT/variant-$variant/"
    node scripts/bundle-entries.mjs "$OUT/variant-$variant" web
    VARIANTS+=("$variant")
  done
fi
# Operations: the request table's rows, and the operations that are code of their own (the
# arms of src/js/mod.rs `code_op` besides initialize, which the table variant has).
TABLE_OPS="$(grep -c '\.\.op("' src/js/engine.rs)"
CODE_OPS="$(sed -n '/^async fn code_op/,/^}/p' src/js/mod.rs | grep -oE '^ *"[A-Za-z.]+" =>' | sort -u | grep -vc '"initialize"')"

node - "$OUT" "$CODE_OPS" "$TABLE_OPS" "${VARIANTS[@]}" <<'EOF'
// Follows each entry point's relative imports (static imports and re-exports, dynamic
// `import(…)`, and the `new URL('…', import.meta.url)` of the .wasm) and sizes every file
// reached; what is reached only through a dynamic import (or, for a .js file, a URL that
// is imported at run time) is loaded on first use, not at start-up.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const [dir, codeOps, tableOps, ...variants] = process.argv.slice(2);
const reference =
  /\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']|(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']|new URL\(\s*["']([^"':]+)["']\s*,\s*import\.meta\.url/g;

// Every file `entry` reaches, each as [path, whether it is loaded at start-up].
function reach(entry) {
  const seen = new Map();
  const visit = (file, startUp) => {
    if (seen.get(file) === true || seen.get(file) === startUp) return;
    if (!existsSync(file)) throw new Error(`${relative(dir, file)} is imported but missing`);
    seen.set(file, startUp);
    if (!file.endsWith('.js')) return;
    for (const [, later, spec, url] of readFileSync(file, 'utf8').matchAll(reference)) {
      // A .js file found by new URL(…) is imported at run time (web.js's extras.js).
      visit(join(dirname(file), later ?? spec ?? url), startUp && !later && !(url && url.endsWith('.js')));
    }
  };
  visit(join(dir, entry), true);
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
const zero = () => ({ raw: 0, gzip: 0, brotli: 0 });
const add = (total, s) => {
  for (const key of Object.keys(total)) total[key] += s[key];
};
for (const [flavour, entry] of [['web', 'web.js'], ['bundler', 'bundler.js']]) {
  console.log(`\n${flavour} flavour (${entry})`);
  row('file (* loaded on first use, by a dynamic import)', { raw: 'raw', gzip: 'gzip -9', brotli: 'brotli' });
  const startUp = zero();
  const all = zero();
  const js = zero();
  for (const [file, atStartUp] of reach(entry)) {
    const s = measure(file);
    row(`${relative(dir, file).replace(/snippets\/[^/]+\//, 'snippets/…/')}${atStartUp ? '' : ' *'}`, s);
    add(all, s);
    if (atStartUp) add(startUp, s);
    if (file.endsWith('.js')) add(js, s);
  }
  row('JS (all files)', js);
  row(`total (${flavour}), loaded at start-up`, startUp);
  row(`total (${flavour}), all files`, all);
  if (flavour === 'bundler') {
    // An app's bundler joins this flavour's JS into its own; esbuild here, with the .wasm left
    // external (esbuild cannot link it, so every function the .wasm imports is exported).
    // esbuild inlines extras.js (a dynamic import, without code splitting).
    const joined = join(dir, 'bundler-joined.js');
    await build({
      stdin: { contents: "export * from './bundler.js'; export * from './bundler/gotrue_wasm_bg.js';", resolveDir: dir },
      outfile: joined, bundle: true, minify: true, format: 'esm', external: ['*.wasm'], logLevel: 'warning',
    });
    const app = measure(joined);
    const wasm = measure(join(dir, 'bundler/gotrue_wasm_bg.wasm'));
    row('JS joined by an app (esbuild --bundle --minify, one file)', app);
    row('total (bundler), as an app ships it', { raw: app.raw + wasm.raw, gzip: app.gzip + wasm.gzip, brotli: app.brotli + wasm.brotli });
  }
}

// A web build's total: its start-up files, or all of them.
function totalOf(base, which) {
  const total = zero();
  for (const [file, atStartUp] of reach(join(base, 'web.js').slice(dir.length + 1))) {
    if (which === 'all' || atStartUp) add(total, measure(file));
  }
  return total;
}
if (variants.length === 3) {
  // The variants have no operation that loads extras.js: their start-up files. The full
  // build: every file of the package.
  const full = totalOf(dir, 'all');
  const shell = totalOf(join(dir, 'variant-shell'), 'start-up');
  const init = totalOf(join(dir, 'variant-init'), 'start-up');
  const table = totalOf(join(dir, 'variant-table'), 'start-up');
  console.log('\nweb flavour by #[cfg] variant (JS + .wasm; variants: start-up files, the last row: all files)');
  row('variant', { raw: 'raw', gzip: 'gzip -9', brotli: 'brotli' });
  row('shell: no operation, no initialization', shell);
  row('+ initialize', init);
  row(`+ the request table (${tableOps} operations)`, table);
  row(`+ the other ${codeOps} operations (code of their own): all`, full);
  const per = (a, b, n) => ({
    raw: Math.round((a.raw - b.raw) / n), gzip: Math.round((a.gzip - b.gzip) / n), brotli: Math.round((a.brotli - b.brotli) / n),
  });
  row('per row of the request table (average)', per(table, init, Number(tableOps)));
  row('per operation of its own code (average)', per(full, table, Number(codeOps)));
}
EOF
