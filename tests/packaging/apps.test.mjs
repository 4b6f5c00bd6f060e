// The packed tarball, installed like any npm dependency, in a browser: a fresh Vite 7 app
// (`vite build` with no config and no plugins, and the dev server), a webpack 5 app
// (production mode, no loaders, no experiments) and a plain static page
// that loads the web flavour through an import map. Each signs up and signs in against the
// local test server in headless Chromium (the flow is fixtures/flow.js).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectFlow } from './expect-flow.mjs';
import {
  AUTH_URL, PASSWORD, PORTS, ROOT, WORK, launchBrowser, openPage, runCommand, serveDir, startProcess,
  uniqueEmail, waitForGlobal,
} from './helpers.mjs';

const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');
const VITE_APP = join(WORK, 'vite-app');

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Opens the app at `url`, runs the flow there and checks it; one .wasm fetch, no page errors.
 * `expectPackageFiles`: the files of the installed package the page must request, exactly;
 * `startUpFiles`: those of them requested before the client's INITIAL_SESSION (the others
 * after it). Resolves to the page's resource timings. */
async function signUpAndSignInAt(url, prefix, expectPackageFiles, startUpFiles) {
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
    const timings = await opened.page.evaluate(() =>
      performance.getEntriesByType('resource').map(({ name, startTime }) => ({ path: new URL(name).pathname, startTime })));
    if (expectPackageFiles) {
      const marker = '/node_modules/gotrue-wasm/';
      const fetched = opened.requests.filter((u) => u.includes(marker)).map((u) => new URL(u).pathname.split(marker)[1]);
      assert.deepEqual(fetched.sort(), expectPackageFiles, 'the files of the package the page loaded');
      const before = timings.filter((t) => t.path.includes(marker) && t.startTime < result.initialSessionAt);
      assert.deepEqual(before.map((t) => t.path.split(marker)[1]).sort(), startUpFiles,
        `requested before INITIAL_SESSION (at ${result.initialSessionAt} ms): ${JSON.stringify(timings)}`);
    }
    return timings;
  } catch (error) {
    error.message += `\n--- page log ---\n${opened.log.join('\n')}`;
    throw error;
  } finally {
    await opened.close();
  }
}

describe('a fresh Vite 7 app', () => {
  test('vite build (no config, no plugins) bundles the package and emits the .wasm', async () => {
    const { code, stdout, stderr } = await runCommand(process.execPath, [VITE, 'build'], { cwd: VITE_APP });
    assert.equal(code, 0, `vite build failed:\n${stdout}\n${stderr}`);
    const assets = readdirSync(join(VITE_APP, 'dist/assets'));
    assert.equal(assets.filter((name) => name.endsWith('.wasm')).length, 1, `assets: ${assets.join(', ')}`);
    assert.ok(assets.some((name) => name.endsWith('.js')), `assets: ${assets.join(', ')}`);
  });

  test('the built app signs up and signs in against the test server', async (t) => {
    if (!existsSync(join(VITE_APP, 'dist/index.html'))) {
      assert.fail('vite build produced no dist/index.html');
    }
    const server = await serveDir(join(VITE_APP, 'dist'), PORTS.viteBuild);
    t.after(server.stop);
    await signUpAndSignInAt(`${server.url}/`, 'vite-build');
  });

  test('the dev server (with the README\'s optimizeDeps.exclude) signs up and signs in', async (t) => {
    const dev = await startProcess(
      process.execPath,
      [VITE, '--config', 'vite.dev.config.js', '--port', String(PORTS.viteDev), '--strictPort', '--host', '127.0.0.1'],
      { cwd: VITE_APP, readyPattern: /Local:\s+http/ },
    );
    t.after(dev.stop);
    await signUpAndSignInAt(`http://127.0.0.1:${PORTS.viteDev}/`, 'vite-dev');
  });
});

describe('a fresh webpack 5 app', () => {
  const app = join(WORK, 'webpack-app');
  test('webpack (production, no loaders, no experiments) bundles the package and emits the .wasm as an asset', async () => {
    const { default: webpack } = await import(join(ROOT, 'node_modules/webpack/lib/index.js'));
    const stats = await new Promise((resolve, reject) => {
      webpack({ mode: 'production', context: app, entry: './src/main.js', output: { path: join(app, 'dist') } }, (error, result) =>
        error ? reject(error) : resolve(result));
    });
    const { errors, warnings, assets } = stats.toJson({ all: false, errors: true, warnings: true, assets: true });
    // A `new URL(…, import.meta.url)` left pointing at a file the package does not have is an
    // error here ("Module not found"), e.g. wasm-bindgen's own default beside its glue.
    assert.deepEqual(errors.map((e) => e.message), []);
    assert.deepEqual(warnings.map((w) => w.message).filter((m) => !/size limit|performance/i.test(m)), []);
    const names = assets.map((asset) => asset.name);
    assert.equal(names.filter((name) => name.endsWith('.wasm')).length, 1, `assets: ${names.join(', ')}`);
    // The package's extras.js (`new URL('./extras.js', import.meta.url)`) is emitted as an
    // asset of its own, as the .wasm is.
    const chunks = names.filter((name) => name.endsWith('.js') && name !== 'main.js');
    assert.equal(chunks.length, 1, `one file besides main.js (extras.js): ${names.join(', ')}`);
    assert.match(readFileSync(join(app, 'dist', chunks[0]), 'utf8'), /defineExtras/, 'the file is extras.js');
    cpSync(join(app, 'index.html'), join(app, 'dist/index.html'));
  });

  test('the built app signs up and signs in against the test server', async (t) => {
    assert.ok(existsSync(join(app, 'dist/main.js')), 'webpack produced no dist/main.js');
    const server = await serveDir(join(app, 'dist'), PORTS.webpack);
    t.after(server.stop);
    // The flow calls methods of extras.js (getClaims, mfa.getAuthenticatorAssuranceLevel, the
    // lock helpers): the page fetched the emitted file.
    const timings = await signUpAndSignInAt(`${server.url}/`, 'webpack');
    const chunk = readdirSync(join(app, 'dist')).find((name) => name.endsWith('.js') && name !== 'main.js');
    assert.ok(timings.some((t) => t.path === `/${chunk}`), `the page loaded ${chunk}: ${JSON.stringify(timings)}`);
  });
});

describe('a static page with <script type="module"> and an import map', () => {
  test('loads the web flavour from node_modules and signs up and signs in', async (t) => {
    const server = await serveDir(join(WORK, 'static-page'), PORTS.staticPage);
    t.after(server.stop);
    // One module (web.js, the package's JS bundled into one) and the .wasm it names at
    // start-up; extras.js (the flow calls methods of it) only after INITIAL_SESSION.
    await signUpAndSignInAt(`${server.url}/`, 'static-page', ['extras.js', 'web.js', 'web/gotrue_wasm_bg.wasm'], ['web.js', 'web/gotrue_wasm_bg.wasm']);
  });
});
