// The package's export list against auth-js 2.119's: every name auth-js's package root
// exports (types, classes, functions, constants) must be exported by gotrue-wasm under the same
// name and of the same kind (a value where auth-js has a value), read from the declarations
// with the TypeScript compiler API; and the values the declarations promise must be exactly
// the ones each entry point exports at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, WORK, runCommand } from './helpers.mjs';

const require = createRequire(import.meta.url);
// TypeScript 7's package has no compiler API; 5.9's has.
const ts = require(join(ROOT, 'node_modules/typescript-5'));

const AUTH_JS = join(ROOT, 'node_modules/@supabase/auth-js/dist/module/index.d.ts');
const INSTALLED = process.env.PACKAGING_TYPES_PACKAGE ?? join(WORK, 'types/node_modules/gotrue-wasm');

/** `{ name: { value, type } }` for what the module `file` exports (aliases followed). */
export function exportsOf(file) {
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  assert.ok(source, `cannot read ${file}`);
  const module = checker.getSymbolAtLocation(source);
  const names = {};
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    names[symbol.getName()] = {
      value: Boolean(target.flags & ts.SymbolFlags.Value),
      type: Boolean(target.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Class)),
    };
  }
  return names;
}

test('every name auth-js exports from its package root is exported by gotrue-wasm, of the same kind', () => {
  const authJs = exportsOf(AUTH_JS);
  const ours = exportsOf(join(INSTALLED, 'index.d.ts'));
  assert.ok(Object.keys(authJs).length > 150, `auth-js's list looks wrong: ${Object.keys(authJs).length} names`);
  const missing = Object.keys(authJs).filter((name) => !(name in ours)).sort();
  assert.deepEqual(missing, [], `names auth-js exports and gotrue-wasm lacks (${missing.length})`);
  const notValues = Object.keys(authJs).filter((name) => authJs[name].value && !ours[name].value).sort();
  assert.deepEqual(notValues, [], 'auth-js exports these as values (classes, functions, constants); gotrue-wasm only as types');
  const notTypes = Object.keys(authJs).filter((name) => authJs[name].type && !ours[name].type).sort();
  assert.deepEqual(notTypes, [], 'auth-js exports these as types; gotrue-wasm does not');
});

test('each entry point exports at run time exactly the values its declarations promise', async () => {
  const declared = exportsOf(join(INSTALLED, 'index.d.ts'));
  const values = Object.keys(declared).filter((name) => declared[name].value).sort();
  const module = await import(join(INSTALLED, 'node.js'));
  assert.deepEqual(Object.keys(module).sort(), values, 'node.js: run-time exports against the declared values');
  for (const name of values) assert.notEqual(module[name], undefined, `node.js: ${name}`);
  // The bundler flavour, through Node's WebAssembly ESM integration.
  const script = `const m = await import(${JSON.stringify(join(INSTALLED, 'bundler.js'))});
    console.log(JSON.stringify(Object.keys(m).filter((k) => m[k] !== undefined).sort()));`;
  const { code, stdout, stderr } = await runCommand(
    process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--input-type=module', '-e', script], { cwd: ROOT },
  );
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), values, 'bundler.js: run-time exports against the declared values');
});
