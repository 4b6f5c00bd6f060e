// The package loads wherever auth-js loads: no entry point uses a top-level await, the
// constructor is synchronous and every method waits for the module. Each app here uses the
// installed tarball with no config unless the scenario is about one:
// - Vite 8: `vite build` and the dev server;
// - Vite 7: `vite build --target es2020` (the dev server needs the one line of the README,
//   covered by apps.test.mjs: making it work without would cost shipped bytes);
// - a worker bundled in Vite's default worker format (iife) that is posted a message the
//   moment it is created;
// - a server-side bundle (`ssr.noExternal`: the package's JS inside the bundle), which must
//   still find the .wasm (through the installed package, as Node resolves it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectFlow } from './expect-flow.mjs';
import {
  AUTH_URL, PASSWORD, PORTS, ROOT, WORK, launchBrowser, openPage, runCommand, serveDir, startProcess,
  uniqueEmail, waitForGlobal,
} from './helpers.mjs';

const VITE7 = join(ROOT, 'node_modules/vite/bin/vite.js');
const VITE8 = join(ROOT, 'node_modules/vite-8/bin/vite.js');
const VITE_APP = join(WORK, 'vite-app');
const WORKER_APP = join(WORK, 'vite-worker-app');
const SSR_APP = join(WORK, 'vite-ssr-app');

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Opens the app at `url`, runs the flow there and checks it; one .wasm fetch, no page errors. */
async function signUpAndSignInAt(url, prefix) {
  const opened = await openPage(browser, url);
  try {
    await waitForGlobal(opened, 'runFlow');
    const email = uniqueEmail(prefix);
    const result = await opened.page.evaluate(
      (options) => window.runFlow(options),
      { url: AUTH_URL, email, password: PASSWORD, storageKey: `${prefix}-auth-token` },
    );
    expectFlow(result, email, { inBrowser: true });
    assert.equal(opened.wasmResponses.length, 1, `the module is fetched once: ${JSON.stringify(opened.wasmResponses)}`);
    assert.equal(opened.wasmResponses[0].status, 200);
    assert.equal(opened.wasmResponses[0].type, 'application/wasm');
    assert.deepEqual(opened.pageErrors(), []);
  } catch (error) {
    error.message += `\n--- page log ---\n${opened.log.join('\n')}`;
    throw error;
  } finally {
    await opened.close();
  }
}

/** `vite build` with `args` in `cwd`; fails the test with Vite's output if it fails. */
async function viteBuild(vite, cwd, args) {
  const { code, stdout, stderr } = await runCommand(process.execPath, [vite, 'build', ...args], { cwd });
  assert.equal(code, 0, `vite build ${args.join(' ')} failed:\n${stdout}\n${stderr}`);
  return `${stdout}\n${stderr}`;
}

/** Starts a Vite dev server with no config file of the app's own; `--force` re-optimizes. */
function viteDev(vite, cwd, port) {
  return startProcess(
    process.execPath,
    [vite, '--force', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { cwd, readyPattern: /Local:\s+http/ },
  );
}

describe('Vite 8 with no config', () => {
  test('vite build, then the built app signs up and signs in', async (t) => {
    await viteBuild(VITE8, VITE_APP, ['--outDir', 'dist-vite8']);
    const assets = readdirSync(join(VITE_APP, 'dist-vite8/assets'));
    assert.equal(assets.filter((name) => name.endsWith('.wasm')).length, 1, `assets: ${assets.join(', ')}`);
    const server = await serveDir(join(VITE_APP, 'dist-vite8'), PORTS.vite8Build);
    t.after(server.stop);
    await signUpAndSignInAt(`${server.url}/`, 'vite8-build');
  });

  test('the dev server signs up and signs in', async (t) => {
    const dev = await viteDev(VITE8, VITE_APP, PORTS.vite8Dev);
    t.after(dev.stop);
    await signUpAndSignInAt(`http://127.0.0.1:${PORTS.vite8Dev}/`, 'vite8-dev');
  });
});

describe('Vite 7', () => {
  test('vite build --target es2020 (no top-level await allowed), then the app runs', async (t) => {
    await viteBuild(VITE7, VITE_APP, ['--target', 'es2020', '--outDir', 'dist-es2020']);
    const server = await serveDir(join(VITE_APP, 'dist-es2020'), PORTS.es2020);
    t.after(server.stop);
    await signUpAndSignInAt(`${server.url}/`, 'vite-es2020');
  });
});

describe('a Vite worker in the default (iife) format', () => {
  test('receives a message posted at once and signs up from the worker', async (t) => {
    await viteBuild(VITE7, WORKER_APP, []);
    const assets = readdirSync(join(WORKER_APP, 'dist/assets'));
    const worker = assets.find((name) => name.startsWith('worker') && name.endsWith('.js'));
    assert.ok(worker, `a worker chunk: ${assets.join(', ')}`);
    const code = readFileSync(join(WORKER_APP, 'dist/assets', worker), 'utf8');
    assert.doesNotMatch(code, /^\s*(import|export)\s/m, 'the worker is a classic (iife) script');
    const server = await serveDir(join(WORKER_APP, 'dist'), PORTS.worker);
    t.after(server.stop);
    const opened = await openPage(browser, `${server.url}/`);
    try {
      await waitForGlobal(opened, 'runWorker');
      const email = uniqueEmail('vite-worker');
      const result = await opened.page.evaluate((options) => window.runWorker(options), {
        url: AUTH_URL, email, password: PASSWORD,
      });
      assert.deepEqual(result, { signedUpAs: email, error: null, sessionEmail: email });
      assert.deepEqual(opened.pageErrors(), []);
    } catch (error) {
      error.message += `\n--- page log ---\n${opened.log.join('\n')}`;
      throw error;
    } finally {
      await opened.close();
    }
  });
});

describe('a server-side bundle (ssr.noExternal)', () => {
  test('vite build --ssr bundles the package, and the bundle finds the .wasm', async () => {
    await viteBuild(VITE7, SSR_APP, ['--ssr', 'src/entry-server.js', '--outDir', 'dist-ssr']);
    const bundle = readFileSync(join(SSR_APP, 'dist-ssr/entry-server.js'), 'utf8');
    assert.doesNotMatch(bundle, /from\s*["']gotrue-wasm/, 'the package is bundled, not imported');
    assert.ok(!existsSync(join(SSR_APP, 'dist-ssr/web')), 'no .wasm beside the bundle');
    const email = uniqueEmail('vite-ssr');
    const { code, stdout, stderr } = await runCommand(
      process.execPath,
      ['run.mjs', 'dist-ssr/entry-server.js', AUTH_URL, email, PASSWORD],
      { cwd: SSR_APP, timeoutMs: 20_000 },
    );
    assert.equal(code, 0, `the bundle failed:\n${stdout}\n${stderr}`);
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop()), { signedUpAs: email, error: null, sessionEmail: email });
  });
});
