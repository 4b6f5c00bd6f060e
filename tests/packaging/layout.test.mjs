// The installed package's files (scripts/bundle-entries.mjs): each entry point is one ES
// module. web.js reaches the .wasm and extras.js (the facade's rarely used methods, imported
// at run time on first use) only through `new URL('./…', import.meta.url)`, the form
// bundlers emit as an asset; its one import is that of extras.js, hidden from bundlers
// (webpackIgnore, @vite-ignore); extras.js imports nothing; node.js imports only Node's
// built-ins (extras inlined); bundler.js only wasm-bindgen's `bundler` output and,
// dynamically, extras.js (an app's bundler splits it). Every JS file the package ships is
// reached from an entry point, and the classes each entry exports keep their names once
// minified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { WORK, runCommand } from './helpers.mjs';

// PACKAGING_LAYOUT_PACKAGE: another installed copy (e.g. an older build, to see this fail).
const INSTALLED = process.env.PACKAGING_LAYOUT_PACKAGE ?? join(WORK, 'node-app/node_modules/gotrue-wasm');
const manifest = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8'));

/** Every module specifier of an ES module's text: static imports and re-exports, side-effect
 * imports, dynamic `import(…)`, and `new URL(…, import.meta.url)`. Minified or not. */
export function referencesOf(text) {
  const found = [];
  const patterns = [
    /(?:^|[;}\s)])(?:import|export)\s*(?:[\w$*{][^;'"`]*?\bfrom\s*)?(["'])([^"']+)\1/g,
    /\bimport\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g,
    /new URL\(\s*(["'`])([^"'`]+)\1\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[2]);
  return found;
}

test('referencesOf finds what a minified bundle imports', () => {
  const text = 'import{a as b}from"./x.js";import"./y.js";export*from"./z.js";export{c}from\'./w.js\';' +
    'const u=new URL("./web/m.wasm",import.meta.url),v=import("./lazy.js");import*as n from"node:fs";';
  assert.deepEqual(referencesOf(text).sort(), ['./lazy.js', './w.js', './web/m.wasm', './x.js', './y.js', './z.js', 'node:fs'].sort());
});

const read = (file) => readFileSync(join(INSTALLED, file), 'utf8');

/** The specifiers of a module's dynamic `import(…)`s. */
const dynamicImportsOf = (text) => [...text.matchAll(/\bimport\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((match) => match[2]);

test('web.js is one module: its only import is extras.js at run time, by new URL(…, import.meta.url) as the .wasm', () => {
  assert.equal(manifest.exports['.'].browser, './web.js');
  assert.equal(manifest.exports['.'].default, './web.js');
  assert.equal(manifest.exports['./web'].default, './web.js');
  assert.equal(manifest.exports['./web/gotrue_wasm_bg.wasm'], './web/gotrue_wasm_bg.wasm');
  const text = read('web.js');
  const references = referencesOf(text);
  assert.deepEqual(references.sort(), ['./extras.js', './web/gotrue_wasm_bg.wasm'], `web.js refers to ${JSON.stringify(references)}`);
  // Dynamic: fetched on first use (or prefetched once start-up is over), never at start-up;
  // by a URL a bundler emits as an asset, not a literal specifier it would split into a chunk
  // (which Vite's iife workers refuse).
  assert.deepEqual(dynamicImportsOf(text), [], 'no literal import(…)');
  const imports = [...text.matchAll(/\bimport\s*\(/g)].length;
  assert.equal(imports, 1, 'one import(…)');
  assert.match(text, /\bimport\(\/\* webpackIgnore: true \*\/ \/\* @vite-ignore \*\/ new URL\(\s*["']\.\/extras\.js["']\s*,\s*import\.meta\.url\s*\)/);
  assert.ok(existsSync(join(INSTALLED, 'web/gotrue_wasm_bg.wasm')));
  assert.ok(manifest.files.includes('extras.js'), 'package.json `files` lists extras.js');
});

test('extras.js is one module that imports nothing (the facade hands it what it needs)', () => {
  const text = read('extras.js');
  assert.deepEqual(referencesOf(text), [], `extras.js refers to ${JSON.stringify(referencesOf(text))}`);
  assert.doesNotMatch(text, /\bimport\s*[\s(*{"'`]/, 'no import of any kind');
  assert.match(text, /export\s*\{[^}]*\bdefineExtras\b/, 'exports defineExtras');
});

test('node.js is one module (Node built-ins only, extras inlined), bundler.js imports wasm-bindgen\'s bundler output and, dynamically, extras.js', () => {
  const node = referencesOf(read('node.js')).filter((spec) => !spec.startsWith('node:') && !spec.endsWith('.wasm'));
  assert.deepEqual(node, [], `node.js imports ${JSON.stringify(node)}`);
  const bundler = read('bundler.js');
  assert.deepEqual(referencesOf(bundler).sort(), ['./bundler/gotrue_wasm.js', './extras.js'], `bundler.js imports ${JSON.stringify(referencesOf(bundler))}`);
  // Left dynamic, so that an app's bundler splits it into a chunk of its own.
  assert.deepEqual(dynamicImportsOf(bundler), ['./extras.js']);
});

test('every JS file of the package is reached from an entry point (nothing left from before bundling)', () => {
  const shipped = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) shipped.push(relative(INSTALLED, path));
    }
  };
  walk(INSTALLED);
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file) || !file.endsWith('.js')) return;
    reached.add(file);
    for (const spec of referencesOf(read(file))) {
      if (spec.startsWith('.')) visit(relative(INSTALLED, join(INSTALLED, dirname(file), spec)));
    }
  };
  for (const entry of ['web.js', 'node.js', 'bundler.js']) visit(entry);
  assert.ok(reached.has('extras.js'), 'extras.js is reached (by its dynamic import)');
  assert.deepEqual(shipped.filter((file) => !reached.has(file)).sort(), []);
  for (const gone of ['client.js', 'errors.js', 'locks.js', 'web/gotrue_wasm.js']) assert.ok(!existsSync(join(INSTALLED, gone)), gone);
});

test('the classes every entry exports keep their names (GoTrueClient.name, AuthApiError.name)', async () => {
  // web.js too: importing it in Node only fails to fetch the .wasm, quietly.
  const script = `
    const out = {};
    for (const entry of ['gotrue-wasm/web', 'gotrue-wasm/node', 'gotrue-wasm/bundler']) {
      const m = await import(entry);
      const names = Object.entries(m).filter(([, v]) => typeof v === 'function' && /^class\\b/.test(Function.prototype.toString.call(v)));
      out[entry] = Object.fromEntries(names.map(([k, v]) => [k, v.name]));
    }
    console.log(JSON.stringify(out));`;
  const { code, stdout, stderr } = await runCommand(
    process.execPath,
    ['--experimental-wasm-modules', '--no-warnings', '--input-type=module', '-e', script],
    { cwd: join(WORK, 'node-app'), timeoutMs: 30_000 },
  );
  assert.equal(code, 0, stderr);
  const seen = JSON.parse(stdout.trim().split('\n').at(-1));
  const aliases = { AuthClient: 'GoTrueClient', AuthAdminApi: 'GoTrueAdminApi' };
  for (const [entry, classes] of Object.entries(seen)) {
    assert.ok(Object.keys(classes).length >= 18, `${entry}: ${JSON.stringify(classes)}`);
    for (const [exported, name] of Object.entries(classes)) assert.equal(name, aliases[exported] ?? exported, `${entry}: ${exported}.name`);
  }
});
