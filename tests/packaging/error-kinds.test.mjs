// The engine hands its errors to the facade as `[kind, message, …]`, `kind` a number
// (src/js/results.rs `kind_index`) that indexes the facade's ERROR_CLASSES
// (pkg-template/client.js): no class name crosses the boundary. This pins the three lists to
// each other: each kind's number must lead to the class auth-js names for that kind
// (src/error.rs `AuthErrorKind::js_name`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.mjs';

const read = (path) => readFileSync(join(ROOT, path), 'utf8');

/** `{ Kind: value }` from the arms `AuthErrorKind::Kind => value,` of the function `name`. */
function arms(source, name) {
  const start = source.indexOf(`fn ${name}(`);
  assert.ok(start >= 0, `fn ${name} not found`);
  const body = source.slice(start, source.indexOf('\n}', start));
  return Object.fromEntries([...body.matchAll(/AuthErrorKind::(\w+) => ([^,\n]+),/g)].map(([, kind, value]) => [kind, value.trim()]));
}

test('every error kind reaches the facade as the class auth-js names for it', () => {
  const names = arms(read('src/error.rs'), 'js_name');
  const indexes = arms(read('src/js/results.rs'), 'kind_index');
  const client = read('pkg-template/client.js');
  const list = client.slice(client.indexOf('const ERROR_CLASSES = ['), client.indexOf('];', client.indexOf('const ERROR_CLASSES = [')));
  const entries = list.split('\n').slice(1).filter((line) => line.includes('=>'));

  assert.ok(Object.keys(names).length >= 13, 'the kinds of js_name');
  assert.deepEqual(Object.keys(indexes).sort(), Object.keys(names).sort(), 'kind_index numbers every kind');
  assert.equal(entries.length, Object.keys(names).length, 'one class per kind in ERROR_CLASSES');
  for (const [kind, quoted] of Object.entries(names)) {
    const name = JSON.parse(quoted);
    const entry = entries[Number(indexes[kind])];
    // A kind auth-js has no class for is a CustomAuthError of that name.
    assert.ok(entry && (entry.includes(`new ${name}(`) || entry.includes(`'${name}'`)), `${kind}: entry ${indexes[kind]} is ${entry}, not ${name}`);
  }
  // Where the facade names the Unknown kind by its number, it is that kind.
  for (const [, number] of client.matchAll(/const UNKNOWN = (\d+);/g)) assert.equal(number, indexes.Unknown, 'UNKNOWN is the Unknown kind');
});
