// The package's types, as installed from the tarball (fixtures/types): fixtures/types/usage.ts
// is checked with `tsc --noEmit --strict` (TypeScript 7 and 5.9; bundler and NodeNext module
// resolution, skipLibCheck off); so is fixtures/types/authjs-usage.ts, auth-js's documented
// usage, against auth-js and against gotrue-wasm; the declarations use `any` only where
// auth-js does; and they declare exactly the members the classes have at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, WORK, runCommand } from './helpers.mjs';

const TYPES_APP = join(WORK, 'types');
const INSTALLED = process.env.PACKAGING_TYPES_PACKAGE ?? join(TYPES_APP, 'node_modules/gotrue-wasm');
const COMPILERS = {
  'TypeScript 7': join(ROOT, 'node_modules/typescript/bin/tsc'),
  'TypeScript 5.9': join(ROOT, 'node_modules/typescript-5/bin/tsc'),
};

for (const [compiler, tsc] of Object.entries(COMPILERS)) {
  for (const [resolution, project] of [['bundler', 'tsconfig.json'], ['NodeNext', 'tsconfig.nodenext.json']]) {
    test(`usage.ts type-checks with ${compiler}, --strict, ${resolution} resolution`, async () => {
      const { code, stdout, stderr } = await runCommand(process.execPath, [tsc, '--noEmit', '--strict', '-p', project], { cwd: TYPES_APP });
      assert.equal(code, 0, `tsc failed:\n${stdout}${stderr}`);
    });
  }
}

// auth-js's documented usage (fixtures/types/authjs-usage.ts): compiles against auth-js as
// written, and against gotrue-wasm with only the import specifier changed.
const USAGE = join(TYPES_APP, 'authjs-usage.ts');
for (const [compiler, tsc] of Object.entries(COMPILERS)) {
  test(`authjs-usage.ts type-checks against @supabase/auth-js with ${compiler}, --strict`, async () => {
    const { code, stdout, stderr } = await runCommand(process.execPath, [tsc, '--noEmit', '--strict', '-p', 'tsconfig.authjs-usage.json'], { cwd: TYPES_APP });
    assert.equal(code, 0, `tsc failed:\n${stdout}${stderr}`);
  });
  test(`authjs-usage.ts with the import pointed at gotrue-wasm type-checks with ${compiler}, --strict`, async () => {
    const text = readFileSync(USAGE, 'utf8');
    const swapped = text.replace("from '@supabase/auth-js';", "from 'gotrue-wasm';");
    assert.notEqual(swapped, text, 'authjs-usage.ts imports from @supabase/auth-js');
    writeFileSync(join(TYPES_APP, 'gotrue-usage.ts'), swapped);
    const { code, stdout, stderr } = await runCommand(process.execPath, [tsc, '--noEmit', '--strict', '-p', 'tsconfig.gotrue-usage.json'], { cwd: TYPES_APP });
    assert.equal(code, 0, `tsc failed:\n${stdout}${stderr}`);
  });
}

// The namespaces whose methods the declarations and the objects must agree on: `client.` /
// `admin.` and the member path.
const NAMESPACES = [
  'client', 'client.mfa', 'client.mfa.webauthn', 'client.mfa.recoveryCodes', 'client.oauth', 'client.passkey',
  'admin', 'admin.mfa', 'admin.oauth', 'admin.customProviders', 'admin.passkey',
];
/** A namespace's members that are methods (not namespaces of their own). */
const methodsOf = (members, path) => members.filter((name) => !NAMESPACES.includes(`${path}.${name}`) && !(path === 'client' && name === 'admin'));

test('authjs-usage.ts has at least 60 snippets and calls every method the classes declare', () => {
  const text = readFileSync(USAGE, 'utf8');
  const snippets = text.match(/^\/\/ \d+\. /gm) ?? [];
  assert.ok(snippets.length >= 60, `${snippets.length} snippets`);
  const declared = declaredMembers();
  const uncalled = [];
  for (const path of NAMESPACES) {
    // `auth.signUp(`, `auth.mfa.webauthn.register(`, `admin.oauth.createClient(`, `admin.createUser(`
    const prefix = path === 'client' ? '' : path.startsWith('client.') ? `${path.slice('client'.length)}` : path;
    for (const name of methodsOf(declared[path], path)) {
      const called = path === 'client' ? text.includes(`.${name}(`) : new RegExp(`${prefix.replace(/\./g, '\\.')}\\.${name}\\(`).test(text);
      if (!called) uncalled.push(`${path}.${name}`);
    }
  }
  assert.deepEqual(uncalled, [], 'declared methods no snippet calls');
});

/** Lines of a .d.ts that use `any` as a type (comments stripped). */
function anyUses(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return text.split('\n').filter((line) => /(^|[^\w$.'"])any([^\w$'"]|$)/.test(line)).map((line) => line.trim());
}

// auth-js types these members `any` (the app's own metadata, claims, keys, log arguments), and
// code written for auth-js relies on it (`user.user_metadata.name.toUpperCase()`): the only
// `any` the package's declarations may use.
const AUTH_JS_ANY = [
  'debug?: boolean | ((message: string, ...args: any[]) => void);',
  'identity_data?: { [key: string]: any };',
  'export interface UserAppMetadata { provider?: string; providers?: string[]; [key: string]: any }',
  'export interface UserMetadata { [key: string]: any }',
  'export type Pagination = { [key: string]: any; nextPage: number | null; lastPage: number; total: number };',
  '[key: string]: any;',
  'attribute_mapping?: Record<string, any>; authorization_params?: Record<string, string>; enabled?: boolean;',
];

test('the package\'s declarations use `any` only where auth-js does', () => {
  for (const file of ['index.d.ts', 'client.d.ts', 'types.d.ts', 'errors.d.ts', 'locks.d.ts']) {
    const extra = anyUses(join(INSTALLED, file)).filter((line) => !AUTH_JS_ANY.includes(line));
    assert.deepEqual(extra, [], file);
  }
});

/** The public members of each class and namespace, as the declarations give them (TypeScript 5.9's API). */
function declaredMembers() {
  const ts = createRequire(import.meta.url)(join(ROOT, 'node_modules/typescript-5'));
  const file = join(INSTALLED, 'index.d.ts');
  const program = ts.createProgram([file], { strict: true, noEmit: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
  const checker = program.getTypeChecker();
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)));
  const instanceOf = (name) => {
    const alias = exports.find((symbol) => symbol.getName() === name);
    const symbol = alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : alias;
    return checker.getDeclaredTypeOfSymbol(symbol);
  };
  const names = (type) => checker.getPropertiesOfType(type).map((p) => p.getName()).sort();
  const member = (type, name) => checker.getTypeOfSymbol(checker.getPropertyOfType(type, name));
  const roots = { client: instanceOf('GoTrueClient'), admin: instanceOf('GoTrueAdminApi') };
  const declared = {};
  for (const path of NAMESPACES) {
    const [root, ...rest] = path.split('.');
    declared[path] = names(rest.reduce(member, roots[root]));
  }
  return declared;
}

// The declarations are written by hand beside client.js: this keeps the two in step.
test('the declarations declare exactly the methods the classes have at run time', async () => {
  const { GoTrueClient, GoTrueAdminApi } = await import(join(INSTALLED, 'node.js'));
  const client = new GoTrueClient({ url: 'http://127.0.0.1:9', autoRefreshToken: false, skipAutoInitialize: true });
  const admin = new GoTrueAdminApi({ url: 'http://127.0.0.1:9', headers: { Authorization: 'Bearer k' } });
  const publicMembers = (object) => {
    const names = new Set(Object.keys(object));
    for (let proto = Object.getPrototypeOf(object); proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      Object.getOwnPropertyNames(proto).forEach((name) => names.add(name));
    }
    return [...names].filter((name) => name !== 'constructor' && !name.startsWith('_')).sort();
  };
  const declared = declaredMembers();
  for (const path of NAMESPACES) {
    const [root, ...rest] = path.split('.');
    const object = rest.reduce((at, key) => at[key], { client, admin }[root]);
    assert.deepEqual(publicMembers(object), declared[path], path);
  }
  await client.dispose();
});
