// The installed package's files (scripts/bundle-entries.mjs): each entry point is one ES
// module. web.js imports no other file of the package, JS or otherwise, and reaches the .wasm
// only through `new URL('./web/gotrue_wasm_bg.wasm', import.meta.url)`, the form bundlers
// emit as an asset; node.js imports only Node's built-ins; bundler.js only wasm-bindgen's
// `bundler` output. Every JS file the package ships is reached from an entry point, and the
// classes each entry exports keep their names once minified.
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

test('web.js is one module: no import at all, only the .wasm by new URL(…, import.meta.url)', () => {
  assert.equal(manifest.exports['.'].browser, './web.js');
  assert.equal(manifest.exports['.'].default, './web.js');
  assert.equal(manifest.exports['./web'].default, './web.js');
  assert.equal(manifest.exports['./web/gotrue_wasm_bg.wasm'], './web/gotrue_wasm_bg.wasm');
  const references = referencesOf(read('web.js'));
  assert.deepEqual(references, ['./web/gotrue_wasm_bg.wasm'], `web.js refers to ${JSON.stringify(references)}`);
  assert.ok(existsSync(join(INSTALLED, 'web/gotrue_wasm_bg.wasm')));
});

test('node.js is one module (Node built-ins only), bundler.js only imports wasm-bindgen\'s bundler output', () => {
  const node = referencesOf(read('node.js')).filter((spec) => !spec.startsWith('node:') && !spec.endsWith('.wasm'));
  assert.deepEqual(node, [], `node.js imports ${JSON.stringify(node)}`);
  const bundler = referencesOf(read('bundler.js'));
  assert.deepEqual(bundler, ['./bundler/gotrue_wasm.js'], `bundler.js imports ${JSON.stringify(bundler)}`);
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
