// Bundles the package's entry points, each into one ES module (esbuild), in a directory laid
// out as the package is: pkg-template's JS (web.js, node.js, bundler.js, client.js, errors.js,
// locks.js, extras.js) beside wasm-bindgen's output in web/ (and bundler/). Shared by
// scripts/build-package.sh, scripts/size.sh and scripts/e2e.sh.
//
//   web.js      the facade, the error classes, the lock helpers, wasm-bindgen's glue and its
//               page snippet in one file, so a browser makes one request for JS and one for
//               the .wasm at start-up (before: six modules, discovered one import at a time
//               before the .wasm fetch could start; and one gzip stream compresses better than
//               six). extras.js it imports on first use, by a URL it makes as it makes the
//               .wasm's: `new URL('./extras.js', import.meta.url)`.
//               The .wasm is found by `new URL('./web/gotrue_wasm_bg.wasm', import.meta.url)`
//               in the entry, which bundlers emit as an asset and a browser resolves beside
//               web.js. wasm-bindgen's own fallback URL (relative to its glue, which is no
//               longer a file of its own) is taken out, so no bundler looks for that file.
//   node.js     the same, with wasm-bindgen's glue used through `initSync`, and extras.js
//               inlined (esbuild inlines a dynamic import when it does not split code).
//   bundler.js  the facade, errors and locks in one file over wasm-bindgen's `bundler` output,
//               which stays as written (bundler/gotrue_wasm.js imports the .wasm as an ES
//               module, and the .wasm imports bundler/gotrue_wasm_bg.js back); its
//               `import('./extras.js')` stays, so an app's bundler splits that into a chunk.
//   extras.js   the facade's heavy, rarely used methods (pkg-template/extras.js), loaded on
//               first use: one minified module of its own that imports nothing.
// Class names are kept (`GoTrueClient.name`, `AuthApiError.name`, as auth-js's), function
// names are not: esbuild's keepNames would name every function of the glue too (about 1.4 KB
// of gzip), so the classes of the hand-written files get a static block setting `name`.
// What the bundles inlined and nothing imports any more is deleted: client.js, errors.js,
// locks.js, web/gotrue_wasm.js (and its .d.ts), web/snippets/ (and extras.js when only
// node.js was bundled).
// Every bundle is checked: no import of another JS file of the package (bundler.js: its glue
// and extras.js), no top-level await, for web.js exactly one reference to the .wasm and one
// to extras.js, and extras.js imports nothing at all.
//
//   node scripts/bundle-entries.mjs DIR [web] [node] [bundler]   # default: all three
//   GOTRUE_WASM_MINIFY=0 node scripts/bundle-entries.mjs DIR     # bundled, not minified
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { build } from 'esbuild';

const ENTRIES = ['web', 'node', 'bundler'];
const [dir, ...requested] = process.argv.slice(2);
const entries = requested.length ? requested : ENTRIES;
if (!dir || !entries.every((name) => ENTRIES.includes(name))) {
  console.error('usage: node scripts/bundle-entries.mjs DIR [web] [node] [bundler]');
  process.exit(2);
}
const minify = process.env.GOTRUE_WASM_MINIFY !== '0';
const fail = (message) => {
  console.error(`[bundle-entries] ${message}`);
  process.exit(1);
};

// The one import each bundle may keep (besides Node's built-ins in node.js).
// './extras.js' is the facade's module of rarely used methods, loaded by a dynamic import on
// first use: bundler.js leaves `import('./extras.js')` to an app's bundler (a chunk of its
// own); node.js has it inlined (esbuild inlines a dynamic import when not splitting); web.js
// imports it by `new URL('./extras.js', import.meta.url)`, which esbuild does not follow.
const EXTRAS = './extras.js';
const KEEP = { web: [], node: [], bundler: ['./bundler/gotrue_wasm.js', EXTRAS] };

// wasm-bindgen's `--target web` glue falls back to the .wasm beside itself when its init
// function is given nothing. web.js always gives the URL, and once the glue is inlined that
// fallback would point a bundler at a file that is not there (webpack 5 fails the build on a
// missing `new URL(…, import.meta.url)` asset).
const GLUE_DEFAULT_URL = /new URL\(\s*(["'])gotrue_wasm_bg\.wasm\1\s*,\s*import\.meta\.url\s*\)/g;
// A class declaration at the start of a line of the hand-written files (not in a comment).
const CLASS = /^(\s*(?:export\s+)?class\s+([A-Za-z_$][\w$]*)(?:\s+extends\s+[\w$.]+)?\s*\{)/gm;

const plugin = {
  name: 'gotrue-wasm-entries',
  setup(b) {
    b.onLoad({ filter: /[\\/]web[\\/]gotrue_wasm\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const found = text.match(GLUE_DEFAULT_URL)?.length ?? 0;
      if (found !== 1) fail(`${relative(dir, path)}: expected wasm-bindgen's default .wasm URL once, found it ${found} times`);
      return { contents: text.replace(GLUE_DEFAULT_URL, 'void 0'), loader: 'js' };
    });
    // The package's own files: the entry points and what they share.
    b.onLoad({ filter: /\.js$/ }, ({ path }) => {
      if (relative(dir, path) !== basename(path)) return undefined;
      const text = readFileSync(path, 'utf8');
      return {
        contents: text.replace(
          CLASS,
          (_, head, name) => `${head} static { Object.defineProperty(this, 'name', { value: '${name}', configurable: true }); }`,
        ),
        loader: 'js',
      };
    });
  },
};

const WASM_URL = /new URL\(\s*(["'])\.\/web\/gotrue_wasm_bg\.wasm\1\s*,\s*import\.meta\.url\s*\)/g;
const EXTRAS_URL = /new URL\(\s*(["'])\.\/extras\.js\1\s*,\s*import\.meta\.url\s*\)/g;

// One file bundled in place into one minified ES module, `external` left as imports. A top-level
// await anywhere in the graph fails the build here, not in an app.
function bundleInPlace(file, platform, external = []) {
  return build({
    entryPoints: [file],
    outfile: file,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform,
    external,
    supported: { 'top-level-await': false },
    minify,
    charset: 'utf8',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [plugin],
  });
}

for (const name of entries) {
  const file = join(dir, `${name}.js`);
  if (!existsSync(file)) fail(`no ${file}`);
  const result = await bundleInPlace(file, name === 'node' ? 'node' : 'neutral', KEEP[name]);
  const [output] = Object.values(result.metafile.outputs);
  const external = output.imports.filter((i) => i.external).map((i) => i.path);
  const unexpected = external.filter((path) => !KEEP[name].includes(path) && !(name === 'node' && path.startsWith('node:')));
  if (unexpected.length) fail(`${name}.js still imports ${unexpected.join(', ')}`);
  let text = readFileSync(file, 'utf8');
  if (name === 'web') {
    // esbuild's minifier drops the comments that keep webpack and Vite from bundling (or
    // warning about) the run-time import of extras.js: they are put back.
    const IGNORED = '/* webpackIgnore: true */ /* @vite-ignore */ ';
    if (!text.includes('webpackIgnore')) {
      text = text.replace(/\bimport\(\s*(?=new URL\(\s*["']\.\/extras\.js["'])/g, (call) => `${call}${IGNORED}`);
      writeFileSync(file, text);
    }
    if (text.match(/webpackIgnore: true \*\/\s*\/\* @vite-ignore \*\/\s*new URL\(\s*["']\.\/extras\.js["']/g)?.length !== 1) {
      fail("web.js: expected one import(/* webpackIgnore: true */ /* @vite-ignore */ new URL('./extras.js', import.meta.url)…)");
    }
    const urls = text.match(WASM_URL)?.length ?? 0;
    if (urls !== 1) fail(`web.js: expected one new URL('./web/gotrue_wasm_bg.wasm', import.meta.url), found ${urls}`);
    if (/gotrue_wasm_bg\.wasm/.test(text.replace(WASM_URL, ''))) fail('web.js names the .wasm outside its one new URL(…)');
    const extras = text.match(EXTRAS_URL)?.length ?? 0;
    if (extras !== 1) fail(`web.js: expected one new URL('./extras.js', import.meta.url), found ${extras}`);
  }
  process.stderr.write(`[bundle-entries] ${name}.js: ${Object.keys(result.metafile.inputs).length} modules in one, ${text.length} bytes\n`);
}

// extras.js, where web.js or bundler.js loads it: one module of its own, minified as the
// entries are, that imports nothing (what it needs, the facade hands it).
const extrasFile = join(dir, 'extras.js');
if (existsSync(extrasFile) && entries.some((name) => name !== 'node')) {
  const result = await bundleInPlace(extrasFile, 'neutral');
  const [output] = Object.values(result.metafile.outputs);
  if (output.imports.length) fail(`extras.js imports ${output.imports.map((i) => i.path).join(', ')}`);
  if (Object.keys(result.metafile.inputs).length !== 1) fail('extras.js must be one file that imports nothing');
  process.stderr.write(`[bundle-entries] extras.js: ${readFileSync(extrasFile, 'utf8').length} bytes\n`);
}

// What is inlined everywhere it was used goes.
const stillImported = new Set();
for (const name of ENTRIES) {
  const file = join(dir, `${name}.js`);
  if (!existsSync(file)) continue;
  const references = /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)["'](\.{1,2}\/[^"']+)["']/g;
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(references)) stillImported.add(spec.replace(/^\.\//, ''));
}
for (const shared of ['client.js', 'errors.js', 'locks.js', 'extras.js']) {
  if (!stillImported.has(shared)) rmSync(join(dir, shared), { force: true });
}
// (The .wasm's URL stays: only an import of web/'s JS keeps its glue.)
if (![...stillImported].some((spec) => spec.startsWith('web/') && spec.endsWith('.js'))) {
  for (const entry of ['snippets', 'gotrue_wasm.js', 'gotrue_wasm.d.ts']) rmSync(join(dir, 'web', entry), { recursive: true, force: true });
}
