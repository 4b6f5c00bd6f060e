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

test('the package\'s own declarations (entry points, errors, guards) use no `any`', () => {
  for (const file of ['index.d.ts', 'errors.d.ts']) {
    assert.deepEqual(anyUses(join(INSTALLED, file)), [], file);
  }
});

// wasm-bindgen's declarations: the Rust side types every parameter and result
// (src/js/types.rs and the unchecked_*_type attributes).
const generated = join(INSTALLED, 'bundler/gotrue_wasm.d.ts');
const leftovers = anyUses(generated);
test('wasm-bindgen\'s declarations of GoTrueClient use no `any`', () => {
  assert.equal(leftovers.length, 0, `bundler/gotrue_wasm.d.ts, e.g.: ${leftovers.slice(0, 3).join(' | ')}`);
});
