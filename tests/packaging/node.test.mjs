// The packed tarball in Node, installed into a plain project (fixtures/node-app): the
// `node` export condition (what server-side rendering gets) and the bundler flavour through
// Node's WebAssembly ESM integration. Both sign up and sign in against the test server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expectFlow } from './expect-flow.mjs';
import { AUTH_URL, PASSWORD, WORK, runCommand, uniqueEmail } from './helpers.mjs';

const NODE_APP = join(WORK, 'node-app');

async function runFlowInNode(specifier, nodeFlags, prefix) {
  const email = uniqueEmail(prefix);
  const { code, stdout, stderr } = await runCommand(
    process.execPath,
    [...nodeFlags, 'run-flow.mjs', specifier, AUTH_URL, email, PASSWORD],
    { cwd: NODE_APP, timeoutMs: 30_000 },
  );
  assert.equal(code, 0, `node exited with ${code}:\n${stdout}\n${stderr}`);
  const result = JSON.parse(stdout.trim().split('\n').at(-1));
  return { email, result, stderr };
}

test('import "gotrue-wasm" in Node resolves the node entry and signs up and signs in', async () => {
  const { email, result, stderr } = await runFlowInNode('gotrue-wasm', [], 'node-entry');
  expectFlow(result, email, { inBrowser: false });
  assert.match(stderr, /kept in memory/, 'says that sessions are not persisted without localStorage');
});

test('require("gotrue-wasm") works too (no top-level await in the node entry)', async () => {
  const { code, stdout, stderr } = await runCommand(
    process.execPath,
    ['-e', 'const m = require("gotrue-wasm"); console.log(typeof m.GoTrueClient, typeof m.isAuthError, typeof m.AuthApiError)'],
    { cwd: NODE_APP },
  );
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), 'function function function');
});

test("import { AuthApiError } from 'gotrue-wasm' in Node: the classes, their parents and toJSON", async () => {
  const script = [
    "import { AuthApiError, AuthError, AuthWeakPasswordError, CustomAuthError, isAuthApiError } from 'gotrue-wasm';",
    "const api = new AuthApiError('Invalid login credentials', 400, 'invalid_credentials');",
    "const weak = new AuthWeakPasswordError('weak', 422, ['length']);",
    'console.log(JSON.stringify([api instanceof AuthError, isAuthApiError(api), weak instanceof CustomAuthError,',
    '  weak instanceof AuthError, api.toJSON(), weak.toJSON()]));',
  ].join('\n');
  const { code, stdout, stderr } = await runCommand(process.execPath, ['--input-type=module', '-e', script], { cwd: NODE_APP });
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), [
    true, true, true, true,
    { name: 'AuthApiError', message: 'Invalid login credentials', status: 400, code: 'invalid_credentials' },
    { name: 'AuthWeakPasswordError', message: 'weak', status: 422, code: 'weak_password', reasons: ['length'] },
  ]);
});

test('"gotrue-wasm/bundler" runs under Node\'s WebAssembly ESM integration and signs up and signs in', async () => {
  const { email, result } = await runFlowInNode('gotrue-wasm/bundler', ['--experimental-wasm-modules', '--no-warnings'], 'bundler-flavour');
  expectFlow(result, email, { inBrowser: false });
});

// auth-js creates its cross-tab BroadcastChannel only in a browser page; an open channel (a
// MessagePort) or timer would keep Node running after the script's last line.
test('a Node script with a client exits by itself after getSession() (within 5 s)', async () => {
  const script = [
    "import { GoTrueClient } from 'gotrue-wasm';",
    `const client = new GoTrueClient({ url: ${JSON.stringify(AUTH_URL)} });`,
    'const { data, error } = await client.getSession();',
    "console.log(JSON.stringify({ session: data.session, error: error && error.message, at: Date.now() }));",
  ].join('\n');
  const started = Date.now();
  const { code, stdout, stderr } = await runCommand(process.execPath, ['--input-type=module', '-e', script], {
    cwd: NODE_APP,
    timeoutMs: 5_000,
  });
  const elapsed = Date.now() - started;
  assert.equal(code, 0, `node did not exit by itself within 5 s (exit: ${code}, ${elapsed} ms)\n${stdout}\n${stderr}`);
  const printed = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.deepEqual({ session: printed.session, error: printed.error }, { session: null, error: null });
  // The script's last line ran, then the process ended: nothing was left holding it.
  assert.ok(Date.now() - printed.at < 4_000, `exited ${Date.now() - printed.at} ms after its last line`);
});

// The facade checks the options (pkg-template/client.js `engineOptions`) and hands the engine
// their compact form; an invalid one fails as the engine's own checks made it fail: an
// AuthInvalidCredentialsError (status 400) from the constructor once the module is loaded,
// else from every call; the first invalid option in the engine's order is the one named.
test('invalid options fail with the engine\'s messages, in its order; valid edge values pass', async () => {
  const cases = [
    ['{ url: 5 }', 'url must be a string'],
    ['{ headers: [] }', 'headers must be an object'],
    ['{ storageKey: 1 }', 'storageKey must be a string'],
    ['{ persistSession: "yes" }', 'persistSession must be a boolean'],
    ['{ autoRefreshToken: 0 }', 'autoRefreshToken must be a boolean'],
    ['{ flowType: 3 }', 'flowType must be a string'],
    ['{ flowType: "code" }', 'option flowType must be "implicit" or "pkce"'],
    ['{ experimental: [] }', 'experimental must be an object'],
    ['{ autoRefreshTickDuration: "5" }', 'option autoRefreshTickDuration must be a number'],
    ['{ autoRefreshTickThreshold: 2 ** 63 }', 'option autoRefreshTickThreshold must be a number'],
    ['{ requestTimeout: -1e30 }', 'option requestTimeout must be a number'],
    // JSON writes -(2 ** 63) as -9223372036854776000, beyond 64 bits.
    ['{ autoRefreshTickDuration: -(2 ** 63) }', 'option autoRefreshTickDuration must be a number'],
    ['{ storage: { getItem() {} } }', 'option storage needs a setItem method'],
    ['{ skipAutoInitialize: 1 }', 'skipAutoInitialize must be a boolean'],
    ['{ skipAutoInitialize: 1, url: 5, flowType: "code", requestTimeout: "x" }', 'url must be a string'],
    ['{ flowType: "code", requestTimeout: "x", storage: {} }', 'option flowType must be "implicit" or "pkce"'],
    ['{ requestTimeout: "x", storage: {} }', 'option requestTimeout must be a number'],
    // Valid: null is not given, fractions and tiny or huge-but-64-bit numbers are clamped,
    // non-string headers are dropped, a storage is not checked without persistence.
    ['{ url: null, flowType: null, requestTimeout: 2.9, autoRefreshTickDuration: -(2 ** 62), autoRefreshTickThreshold: -1e-7, ' +
      'headers: { a: 1 }, experimental: { appendPkceFlowIdToRedirects: "yes" }, persistSession: false, storage: {} }', null],
  ];
  const script = [
    "import { GoTrueClient } from 'gotrue-wasm';",
    `const cases = [${cases.map(([options]) => `() => (${options})`).join(', ')}];`,
    'const out = [];',
    'for (const options of cases) {',
    "  const given = { url: 'http://127.0.0.1:9', skipAutoInitialize: true, ...options() };",
    '  try {',
    '    const client = new GoTrueClient(given);',
    '    await client.getSession();',
    '    await client.dispose();',
    '    out.push(null);',
    '  } catch (error) {',
    '    out.push([error.name, error.message, error.status]);',
    '  }',
    '}',
    'console.log(JSON.stringify(out));',
    'process.exit(0);',
  ].join('\n');
  const { code, stdout, stderr } = await runCommand(process.execPath, ['--input-type=module', '-e', script], { cwd: NODE_APP });
  assert.equal(code, 0, stderr);
  const got = JSON.parse(stdout.trim().split('\n').at(-1));
  cases.forEach(([options, message], index) => {
    assert.deepEqual(got[index], message && ['AuthInvalidCredentialsError', message, 400], options);
  });
});
