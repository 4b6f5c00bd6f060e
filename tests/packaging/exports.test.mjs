// The package's export list against auth-js 2.119's: every name auth-js's package root
// exports (types, classes, functions, constants) must be exported by gotrue-wasm under the same
// name and of the same kind (a value where auth-js has a value), read from the declarations
// with the TypeScript compiler API; and the values the declarations promise must be exactly
// the ones each entry point exports at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, WORK, runCommand } from './helpers.mjs';

const require = createRequire(import.meta.url);
// TypeScript 7's package has no compiler API; 5.9's has.
const ts = require(join(ROOT, 'node_modules/typescript-5'));

const TYPES_APP = join(WORK, 'types');
const AUTH_JS = join(ROOT, 'node_modules/@supabase/auth-js/dist/module/index.d.ts');
const INSTALLED = process.env.PACKAGING_TYPES_PACKAGE ?? join(WORK, 'types/node_modules/gotrue-wasm');

/** `{ name: { value, type, generic } }` for what the module `file` exports (aliases followed);
 * `generic`: it has a type parameter without a default. */
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
      generic: (target.declarations?.[0]?.typeParameters ?? []).some((parameter) => !parameter.default),
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

// Types whose two declarations are known not to be assignable both ways, and why.
const KNOWN_DIFFERENCES = {
  // The methods answer `AuthError`, a class with a protected member (as auth-js declares it),
  // so auth-js's and gotrue-wasm's result types are distinct by name; their data shapes are
  // compared one by one in this same test (the *Response types).
  GoTrueAdminMFAApi: 'AuthError is nominal', AuthMFARecoveryCodesApi: 'AuthError is nominal',
  AuthOAuthServerApi: 'AuthError is nominal', GoTrueAdminOAuthApi: 'AuthError is nominal',
  GoTrueAdminCustomProvidersApi: 'AuthError is nominal', GoTrueAdminPasskeyApi: 'AuthError is nominal',
  AuthPasskeyApi: 'AuthError is nominal',
  // As above, and mfa.webauthn's steps take and give the server's JSON options.
  GoTrueMFAApi: 'AuthError is nominal; WebAuthn options as JSON',
  // WebAuthn: gotrue-wasm hands over the server's JSON options and takes the browser's
  // PublicKeyCredential; auth-js converts both to its own ArrayBuffer-based types.
  AuthMFAChallengeResponse: 'WebAuthn options as JSON', AuthMFAChallengeWebauthnResponse: 'WebAuthn options as JSON',
  AuthMFAChallengeWebauthnServerResponse: 'WebAuthn options as JSON',
  AuthMFAChallengeWebauthnResponseDataJSON: 'WebAuthn options as JSON, members not spelt out',
  MFAVerifyParams: 'a PublicKeyCredential', MFAVerifyWebauthnParamFields: 'a PublicKeyCredential',
  MFAVerifyWebauthnParams: 'a PublicKeyCredential',
  // Passkeys: the server's options and the credentials in their JSON shapes.
  AuthPasskeyAuthenticationOptionsResponse: 'passkeys', AuthPasskeyRegistrationOptionsResponse: 'passkeys',
  PasskeyAuthenticationOptionsResponse: 'passkeys', PasskeyRegistrationOptionsResponse: 'passkeys',
  PasskeyAuthenticationVerifyParams: 'passkeys', PasskeyRegistrationVerifyParams: 'passkeys',
  VerifyPasskeyAuthenticationParams: 'passkeys', VerifyPasskeyRegistrationParams: 'passkeys',
};

test("every type auth-js exports has gotrue-wasm's shape: each assignable to the other", async () => {
  const authJs = exportsOf(AUTH_JS);
  const names = Object.keys(authJs).filter((name) => !authJs[name].value && !authJs[name].generic).sort();
  // `{ data, error }` unions are compared by their data on success and on failure (the
  // errors themselves are nominal classes, see above); anything else as a whole.
  const lines = [
    "import type * as A from '@supabase/auth-js';",
    "import type * as G from 'gotrue-wasm';",
    'type Same<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;',
    'type Data<X, E> = X extends { error: E; data: infer D } ? D : never;',
    'type SameResult<X, Y> = [Same<Data<X, null>, Data<Y, null>>, Same<Data<X, object>, Data<Y, object>>] extends [true, true] ? true : false;',
    'type Compare<X, Y> = [X] extends [{ error: unknown }] ? SameResult<X, Y> : Same<X, Y>;',
  ];
  const firstLine = lines.length + 1;
  // One line per type: a type error on it when the two differ.
  lines.push(...names.map((name) => `export const same_${name}: Compare<A.${name}, G.${name}> = true;`));
  writeFileSync(join(TYPES_APP, 'shapes.ts'), `${lines.join('\n')}\n`);
  writeFileSync(join(TYPES_APP, 'tsconfig.shapes.json'), JSON.stringify({
    extends: './tsconfig.json', compilerOptions: { skipLibCheck: true, noUnusedLocals: false }, files: ['shapes.ts'],
  }));
  const tsc = join(ROOT, 'node_modules/typescript-5/bin/tsc');
  const { stdout, stderr } = await runCommand(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.shapes.json'], { cwd: TYPES_APP });
  const errors = `${stdout}${stderr}`.split('\n').filter((line) => line.includes('error TS'));
  const differing = errors.map((line) => {
    const at = line.match(/^shapes\.ts\((\d+),\d+\): error TS2322/);
    assert.ok(at, `unexpected compiler output: ${line}`);
    return names[Number(at[1]) - firstLine];
  });
  assert.ok(names.length > 140, `${names.length} types compared`);
  assert.deepEqual(differing.filter((name) => !(name in KNOWN_DIFFERENCES)), [], 'types whose shapes differ from auth-js\'s');
  assert.deepEqual(Object.keys(KNOWN_DIFFERENCES).filter((name) => !differing.includes(name)), [], 'known differences that are gone');
});
