// The benchmark behind scripts/bench.sh (which builds and installs the package and starts the
// auth server first). Compares gotrue-wasm with @supabase/auth-js on:
//   (a) shipped bytes: `esbuild --bundle --minify --format=esm` of `export { GoTrueClient }`
//       from each library, plus our .wasm (and, for the web flavour, extras.js, which web.js
//       imports at run time and esbuild leaves as a file of its own); raw, gzip -9 and brotli
//       (quality 11), each file compressed on its own, as a server would;
//   (b) cold start: milliseconds from navigation start to INITIAL_SESSION with a session in
//       localStorage, median of N page loads, each in a fresh browser context; each library
//       bundled by esbuild with the page's code, and ours also as installed, with no build
//       step (an import map to node_modules/gotrue-wasm/web.js, as a static page loads it);
//   (c) getSession() calls per second on a warm client, median of 3 one-second runs.
// Prints one markdown table on stdout, and details on stderr.
//
//   node scripts/bench/run.mjs --work DIR --auth URL --port PORT [--loads N]
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT, launchBrowser, serveDir, uniqueEmail, PASSWORD } from '../../tests/packaging/helpers.mjs';

const { values: args } = parseArgs({
  options: {
    work: { type: 'string' },
    auth: { type: 'string' },
    port: { type: 'string' },
    loads: { type: 'string', default: '15' },
  },
});
const WORK = resolve(args.work);
const AUTH = args.auth;
const LOADS = Number(args.loads);
const STORAGE_KEY = 'bench-auth-token';
const OUT = join(WORK, 'out');
const installed = join(WORK, 'node_modules/gotrue-wasm');
const ourVersion = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version;
const authJsVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/@supabase/auth-js/package.json'), 'utf8')).version;

const info = (message) => process.stderr.write(`[bench] ${message}\n`);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ratio = (ours, theirs) => `${(ours / theirs).toFixed(2)}×`;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

/** Bundles `contents` (resolved from `resolveDir`) with esbuild, minified ESM for browsers. */
async function bundle(contents, resolveDir, outfile, extra = {}) {
  await build({
    stdin: { contents, resolveDir, sourcefile: 'entry.js' },
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    logLevel: 'warning',
    ...extra,
  });
  return outfile;
}

function sizes(files) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    const bytes = readFileSync(file);
    total.raw += bytes.length;
    total.gzip += gzipSync(bytes, { level: 9 }).length;
    total.brotli += brotliCompressSync(bytes, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length;
  }
  return total;
}

// ---------------------------------------------------------------- (a) shipped bytes
info('bundling');
const LIBRARY_ONLY = 'export { GoTrueClient } from';
const webJs = await bundle(`${LIBRARY_ONLY} 'gotrue-wasm';`, WORK, join(OUT, 'size-web/index.js'));
// The .wasm stays external (esbuild has no WebAssembly ESM integration), so esbuild cannot
// see that it imports every `__wbg_*` function of gotrue_wasm_bg.js: export them all, as a
// bundler that links the module keeps them.
const bundlerGlue = JSON.stringify(join(installed, 'bundler/gotrue_wasm_bg.js'));
const bundlerJs = await bundle(`${LIBRARY_ONLY} 'gotrue-wasm/bundler'; export * from ${bundlerGlue};`, WORK, join(OUT, 'size-bundler/index.js'), {
  external: ['*.wasm'],
});
const authJsJs = await bundle(`${LIBRARY_ONLY} '@supabase/auth-js';`, ROOT, join(OUT, 'size-authjs/index.js'));
const webWasm = join(installed, 'web/gotrue_wasm_bg.wasm');
// web.js imports extras.js by `new URL('./extras.js', import.meta.url)` on first use (an
// older package has none).
const webExtras = [join(installed, 'extras.js')].filter((file) => existsSync(file));
const bundlerWasm = join(installed, 'bundler/gotrue_wasm_bg.wasm');
const size = {
  web: sizes([webJs, webWasm, ...webExtras]),
  webJs: sizes([webJs]),
  webWasm: sizes([webWasm]),
  bundler: sizes([bundlerJs, bundlerWasm]),
  bundlerJs: sizes([bundlerJs]),
  authJs: sizes([authJsJs]),
};

// ---------------------------------------------------------------- pages for (b) and (c)
// Each page bundles one library with page.js; ours finds its .wasm where the bundle's
// `new URL('./web/gotrue_wasm_bg.wasm', import.meta.url)` points (esbuild keeps it, and does
// not copy the file), and beside the bundle, where a package from before the web entry was
// bundled (scripts/bundle-entries.mjs) had it: so an older tarball can be measured too.
// `installed.html` loads the package as installed, with no build step (an import map to
// node_modules/gotrue-wasm/web.js), as a static page does.
const PAGES = join(OUT, 'pages');
mkdirSync(join(PAGES, 'web'), { recursive: true });
const harness = JSON.stringify(join(ROOT, 'scripts/bench/page.js'));
await bundle(`import { GoTrueClient } from 'gotrue-wasm'; import { attach } from ${harness}; attach(GoTrueClient);`, WORK, join(PAGES, 'ours.js'));
copyFileSync(webWasm, join(PAGES, 'web/gotrue_wasm_bg.wasm'));
copyFileSync(webWasm, join(PAGES, 'gotrue_wasm_bg.wasm'));
// Where the bundle's `new URL('./extras.js', import.meta.url)` points (fetched after start-up).
for (const file of webExtras) copyFileSync(file, join(PAGES, 'extras.js'));
await bundle(`import { GoTrueClient } from '@supabase/auth-js'; import { attach } from ${harness}; attach(GoTrueClient);`, ROOT, join(PAGES, 'authjs.js'));
for (const name of ['ours', 'authjs']) {
  writeFileSync(join(PAGES, `${name}.html`), `<!doctype html><meta charset="utf-8"><title>${name}</title><script type="module" src="./${name}.js"></script>\n`);
}
cpSync(installed, join(PAGES, 'node_modules/gotrue-wasm'), { recursive: true });
copyFileSync(join(ROOT, 'scripts/bench/page.js'), join(PAGES, 'page.js'));
writeFileSync(
  join(PAGES, 'installed.html'),
  '<!doctype html><meta charset="utf-8"><title>installed</title>' +
    '<script type="importmap">{ "imports": { "gotrue-wasm": "./node_modules/gotrue-wasm/web.js" } }</script>' +
    "<script type=\"module\">import { GoTrueClient } from 'gotrue-wasm'; import { attach } from './page.js'; attach(GoTrueClient);</script>\n",
);

/** A real session from the auth server, stored as both libraries store it. */
async function storedSession() {
  const response = await fetch(`${AUTH}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: uniqueEmail('bench'), password: PASSWORD }),
  });
  const session = await response.json();
  if (!response.ok || !session.access_token) throw new Error(`sign-up for the benchmark failed: ${JSON.stringify(session)}`);
  session.expires_at ??= Math.floor(Date.now() / 1000) + session.expires_in;
  return JSON.stringify(session);
}

const server = await serveDir(PAGES, Number(args.port));
const browser = await launchBrowser();
const pageUrl = (name) => `${server.url}/${name}.html?auth=${encodeURIComponent(AUTH)}&key=${STORAGE_KEY}`;
const storageState = {
  cookies: [],
  origins: [{ origin: server.url, localStorage: [{ name: STORAGE_KEY, value: await storedSession() }] }],
};

/** Loads the page in a fresh context (nothing cached, nothing compiled) with the session stored. */
async function load(name, then) {
  const context = await browser.newContext({ storageState });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pageUrl(name));
    await page.waitForFunction(() => window.initialSession !== undefined, null, { timeout: 20_000 }).catch(() => {
      throw new Error(`${name}: no INITIAL_SESSION; page errors: ${errors.join('; ')}`);
    });
    const initial = await page.evaluate(() => window.initialSession);
    if (!initial.signedIn) throw new Error(`${name}: INITIAL_SESSION without the stored session`);
    return then ? await then(page) : initial;
  } finally {
    await context.close();
  }
}

let result;
try {
  // ---------------------------------------------------------------- (b) cold start
  info(`cold start: ${LOADS} loads of each page, interleaved, after one warm-up load each`);
  await load('ours');
  await load('authjs');
  await load('installed');
  const loads = { ours: [], authjs: [], installed: [] };
  for (let i = 0; i < LOADS; i += 1) {
    loads.ours.push(await load('ours'));
    loads.authjs.push(await load('authjs'));
    loads.installed.push(await load('installed'));
  }
  const coldStart = {
    ours: loads.ours.map((l) => l.at), authjs: loads.authjs.map((l) => l.at), installed: loads.installed.map((l) => l.at),
    oursSinceHtml: loads.ours.map((l) => l.sinceHtml), authjsSinceHtml: loads.authjs.map((l) => l.sinceHtml),
  };

  // ---------------------------------------------------------------- (c) getSession() throughput
  info('getSession(): 3 runs of 1 s on a warm client, each library');
  const throughput = {};
  for (const name of ['ours', 'authjs']) {
    throughput[name] = await load(name, async (page) => {
      await page.evaluate(() => window.getSessionLoop(300)); // warm-up
      const runs = [];
      for (let i = 0; i < 3; i += 1) runs.push(await page.evaluate(() => window.getSessionLoop(1000)));
      return runs;
    });
  }
  result = { coldStart, throughput };
} finally {
  await browser.close();
  await server.stop();
}

// ---------------------------------------------------------------- the table
const cold = { ours: median(result.coldStart.ours), authjs: median(result.coldStart.authjs), installed: median(result.coldStart.installed) };
const calls = { ours: median(result.throughput.ours), authjs: median(result.throughput.authjs) };
const bytes = (s) => `${fmt(s.raw)} / ${fmt(s.gzip)} / ${fmt(s.brotli)}`;
const theirs = `@supabase/auth-js ${authJsVersion}`;

const rows = [
  `| measure | gotrue-wasm ${ourVersion} | ${theirs} | ratio (gotrue-wasm ÷ auth-js) |`,
  '|---|---|---|---|',
  `| shipped bytes, web flavour (JS + .wasm): raw / gzip -9 / brotli | ${bytes(size.web)} | ${bytes(size.authJs)} | ${ratio(size.web.gzip, size.authJs.gzip)} gzip, ${ratio(size.web.brotli, size.authJs.brotli)} brotli |`,
  `| shipped bytes, bundler flavour (JS + .wasm): raw / gzip -9 / brotli | ${bytes(size.bundler)} | ${bytes(size.authJs)} | ${ratio(size.bundler.gzip, size.authJs.gzip)} gzip, ${ratio(size.bundler.brotli, size.authJs.brotli)} brotli |`,
  `| cold start to INITIAL_SESSION, stored session (median of ${LOADS} loads) | ${cold.ours.toFixed(1)} ms | ${cold.authjs.toFixed(1)} ms | ${ratio(cold.ours, cold.authjs)} |`,
  `| cold start as above, the package as installed with no build step (import map to web.js; auth-js bundled as above) | ${cold.installed.toFixed(1)} ms | ${cold.authjs.toFixed(1)} ms | ${ratio(cold.installed, cold.authjs)} |`,
  `| getSession() calls per second, warm client (median of 3 × 1 s) | ${fmt(calls.ours)} | ${fmt(calls.authjs)} | ${ratio(calls.ours, calls.authjs)} |`,
];

info(`web flavour: JS ${bytes(size.webJs)} (+ extras.js ${webExtras.length ? bytes(sizes(webExtras)) : 'none'}), .wasm ${bytes(size.webWasm)}; bundler flavour JS ${bytes(size.bundlerJs)}`);
info(`cold start ms, ours:   ${result.coldStart.ours.map((t) => t.toFixed(0)).join(' ')}`);
info(`cold start ms, auth-js: ${result.coldStart.authjs.map((t) => t.toFixed(0)).join(' ')}`);
info(`cold start ms, ours as installed (no build step): ${result.coldStart.installed.map((t) => t.toFixed(0)).join(' ')}`);
info(`since the HTML arrived, ours: ${result.coldStart.oursSinceHtml.map((t) => t.toFixed(0)).join(' ')}`);
info(`since the HTML arrived, auth-js: ${result.coldStart.authjsSinceHtml.map((t) => t.toFixed(0)).join(' ')}`);
info(`medians since the HTML arrived: ours ${median(result.coldStart.oursSinceHtml).toFixed(1)}, auth-js ${median(result.coldStart.authjsSinceHtml).toFixed(1)}`);
info(`getSession() per 1 s, ours: ${result.throughput.ours.join(' ')}; auth-js: ${result.throughput.authjs.join(' ')}`);
process.stdout.write(`${rows.join('\n')}\n`);
