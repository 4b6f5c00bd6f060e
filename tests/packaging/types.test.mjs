// The package's types, as installed from the tarball (fixtures/types): fixtures/types/usage.ts
// is checked with `tsc --noEmit --strict` (TypeScript 7 and 5.9; bundler and NodeNext module
// resolution, skipLibCheck off), and the declarations are searched for `any`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, WORK, runCommand } from './helpers.mjs';

const TYPES_APP = join(WORK, 'types');
const INSTALLED = join(TYPES_APP, 'node_modules/gotrue-wasm');
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

/** Lines of a .d.ts that use `any` as a type (comments stripped). */
function anyUses(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return text.split('\n').filter((line) => /(^|[^\w$.'"])any([^\w$'"]|$)/.test(line)).map((line) => line.trim());
}

test('the package\'s declarations (client, entry points, errors, guards) use no `any`', () => {
  for (const file of ['index.d.ts', 'client.d.ts', 'errors.d.ts']) {
    assert.deepEqual(anyUses(join(INSTALLED, file)), [], file);
  }
});

/** Method and property names declared in each `declare class` of client.d.ts. */
function declaredMembers() {
  const text = readFileSync(join(INSTALLED, 'client.d.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const classes = {};
  for (const match of text.matchAll(/export declare class (\w+) \{([\s\S]*?)\n\}/g)) {
    const names = [...match[2].matchAll(/^\s*(?:readonly\s+)?(\w+)[(:]/gm)].map((m) => m[1]);
    classes[match[1]] = names.filter((name) => name !== 'constructor').sort();
  }
  return classes;
}

// The declarations are written by hand beside client.js: this keeps the two in step.
test('client.d.ts declares exactly the methods the classes have at run time', async () => {
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
  assert.deepEqual(publicMembers(client), declared.GoTrueClient, 'GoTrueClient');
  assert.deepEqual(publicMembers(client.mfa), declared.GoTrueMFAApi, 'GoTrueMFAApi');
  assert.deepEqual(publicMembers(admin), declared.GoTrueAdminApi, 'GoTrueAdminApi');
  assert.deepEqual(publicMembers(admin.mfa), declared.GoTrueAdminMFAApi, 'GoTrueAdminMFAApi');
  client.dispose();
});
