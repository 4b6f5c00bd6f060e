// Fault injection (issue #10): page.route scripts the auth server's answer to each kind of
// request — sign-in, refresh, /user, logout, verify, PKCE code exchange — with every fault a
// flaky network or a broken proxy produces, and the test asserts what a user of gotrue-wasm
// must see: the error class, the session kept or removed, the events, no promise left
// pending past the request timeout, nothing thrown, no token in the console or the URL.
// @supabase/auth-js 2.119.1 runs every case beside it in the same page and is measured, not
// judged: both outcomes go to target/e2e-faults.md, the table in tests/e2e/README.md.
//
// All cases run at once (a client per case, told apart by its `apikey` header), so the
// suite lasts about as long as its slowest case: a refresh retried for 30 s.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AUTH, PAGES, PASSWORD, authParamsIn, createUser, uniqueEmail } from './helpers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** The request timeout our clients get in the hang cases: a hang then costs a second, not 30. */
const TIMEOUT_MS = 1000;
/**
 * The timeout of every other case: scripted answers cross the DevTools protocol, which takes
 * seconds with 180 clients (and 5 MB bodies) at once, and such a wait is not the fault tested.
 */
const SLOW_ROUTE_TIMEOUT_MS = 15_000;
/** The timeout of the 5 MB answers' cases. */
const HUGE_TIMEOUT_MS = 60_000;
/** How long a case may take before its promise counts as pending forever. */
const DEADLINE_MS = 35_000;
const URL_DEADLINE_MS = 12_000;
/** `?pkg=` of the page: FAULTS_PKG=pkg-base measures an older build put in pages/pkg-base. */
const PKG = process.env.FAULTS_PKG ?? 'pkg';

const KINDS = ['signin', 'refresh', 'user', 'logout', 'logoutExpired', 'verify', 'exchange'];
const KIND_LABELS = {
  signin: 'sign-in (`signInWithPassword`)',
  refresh: 'refresh (`getSession`, session expired)',
  user: '`getUser`',
  logout: '`signOut({ scope: "local" })`',
  logoutExpired: '`signOut({ scope: "local" })`, access token expired (refresh and logout faulted)',
  verify: '`verifyOtp`',
  exchange: '`exchangeCodeForSession`',
};
const FAULTS = ['network', 'hang', '500', '502', '503', '504', '429', 'empty', 'truncated', 'html200', 'wrongShape',
  'huge', 'nested'];
const FAULT_LABELS = {
  network: 'network error', hang: 'no answer (hang)', 500: '500 HTML', 502: '502 HTML', 503: '503 HTML',
  504: '504 HTML', 429: '429 + Retry-After', empty: '200, empty body', truncated: '200, JSON cut in half',
  html200: '200, HTML (captive portal)', wrongShape: '200, JSON of another shape', huge: '200, 5 MB user metadata',
  nested: '200, metadata nested 10,000 deep',
};
/** The request kinds a case's fault applies to. */
const FAULTED = { logoutExpired: ['refresh', 'logout'] };

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Total-Count, Link, X-Supabase-Api-Version, Retry-After',
};

function requestKind(request) {
  const url = new URL(request.url());
  const path = url.pathname;
  if (path.endsWith('/token')) {
    return { password: 'signin', refresh_token: 'refresh', pkce: 'exchange' }[url.searchParams.get('grant_type')];
  }
  if (path.endsWith('/user')) return 'user';
  if (path.endsWith('/logout')) return 'logout';
  if (path.endsWith('/verify')) return 'verify';
  return null;
}

function fakeUser(id, metadata = {}) {
  const at = '2026-01-01T00:00:00Z';
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`, aud: 'authenticated', role: 'authenticated',
    email: `fault-${id}@example.com`, phone: '', app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: metadata, identities: [], created_at: at, updated_at: at, is_anonymous: false,
  };
}

/** Tokens the scripted answers hand out: the console and the URL must never show them. */
const FAKE_TOKENS = [];
function fakeSession(id, metadata) {
  const access = `at-fault-${id}-${Math.random().toString(36).slice(2)}`;
  const refresh = `rt-fault-${id}-${Math.random().toString(36).slice(2)}`;
  FAKE_TOKENS.push(access, refresh);
  return {
    access_token: access, token_type: 'bearer', expires_in: 3600, expires_at: Math.floor(Date.now() / 1000) + 3600,
    refresh_token: refresh, user: fakeUser(id, metadata),
  };
}

function nested(depth) {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const HUGE = 'x'.repeat(5 * 1024 * 1024);
const NESTED = nested(10_000);

/** The body of a well-formed success answer to `kind`, with `metadataJson` as user_metadata. */
function successBody(kind, id, metadataJson) {
  const marker = '"__METADATA__"';
  const value = kind === 'user' ? fakeUser(id, '__METADATA__') : fakeSession(id, '__METADATA__');
  return JSON.stringify(value).replace(marker, metadataJson);
}

function html(status, title) {
  return { status, headers: { ...CORS, 'content-type': 'text/html' },
    body: `<!doctype html><html><head><title>${title}</title></head><body><h1>${status} ${title}</h1></body></html>` };
}

/** The scripted answer for `fault` to a request of `kind`; null means "never answer". */
function answer(fault, kind, id) {
  const json = (body) => ({ status: 200, headers: { ...CORS, 'content-type': 'application/json' }, body });
  switch (fault) {
    case '500': return html(500, 'Internal Server Error');
    case '502': return html(502, 'Bad Gateway');
    case '503': return html(503, 'Service Unavailable');
    case '504': return html(504, 'Gateway Timeout');
    case '429': return {
      status: 429,
      headers: { ...CORS, 'content-type': 'application/json', 'retry-after': '30', 'x-supabase-api-version': '2024-01-01' },
      body: JSON.stringify({ code: 'over_request_rate_limit', message: 'Request rate limit reached' }),
    };
    case 'empty': return json('');
    case 'truncated': {
      const whole = successBody(kind, id, '{}');
      return json(whole.slice(0, Math.floor(whole.length / 2)));
    }
    case 'html200': return { ...html(200, 'Sign in to the Wi-Fi'), status: 200 };
    case 'wrongShape': return json(JSON.stringify({ unexpected: true, items: [1, 2, 3] }));
    case 'huge': return json(successBody(kind, id, JSON.stringify({ blob: HUGE })));
    case 'nested': return json(successBody(kind, id, NESTED));
    default: throw new Error(`no answer for ${fault}`);
  }
}

let browser;
let context;
/** What each library's page printed and threw (gotrue-wasm's and auth-js's run in separate pages). */
const LOGS = { ours: { console: [], errors: [] }, authjs: { console: [], errors: [] } };
/** caseId → { kind, fault } */
const CASES = new Map();
const hung = [];

async function routeAuth(page) {
  await page.route(`${AUTH}/**`, async (route) => {
    const request = route.request();
    const spec = CASES.get(request.headers().apikey);
    const kind = requestKind(request);
    const faulted = spec && kind && request.method() !== 'OPTIONS' && (FAULTED[spec.kind] ?? [spec.kind]).includes(kind);
    if (!faulted) return route.continue();
    if (spec.fault === 'network') return route.abort('failed');
    if (spec.fault === 'hang') {
      hung.push(route);
      return undefined;
    }
    return route.fulfill(answer(spec.fault, kind, spec.id));
  });
}

async function newPage(path, lib) {
  const page = await context.newPage();
  page.on('console', (message) => LOGS[lib].console.push(message.text()));
  page.on('pageerror', (error) => LOGS[lib].errors.push(error.message));
  await routeAuth(page);
  await page.goto(`${PAGES}/${path}`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
  return page;
}

/** A real session from the test server, one per case (each has its own refresh token). */
async function realSession(email) {
  const response = await fetch(`${AUTH}/token?grant_type=password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const session = await response.json();
  if (!response.ok) throw new Error(`sign-in for a fault case: ${JSON.stringify(session)}`);
  return session;
}

const results = [];
const urlResults = [];
/** Uncaught errors and unhandled rejections of auth-js's page (reported, not asserted). */
const authJsThrown = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  context = await browser.newContext();
});

after(async () => {
  await Promise.all(hung.map((route) => route.abort().catch(() => {})));
  await browser?.close();
});

function summarize(r) {
  if (!r.settled) return `**pending** after ${r.ms / 1000} s`;
  const parts = [];
  if (r.threw) parts.push(`**threw ${r.threw}**`);
  else if (r.error) parts.push(`${r.error.name} ${r.error.status ?? ''}${r.error.code ? ` ${r.error.code}` : ''}`.trim());
  else parts.push(r.session || r.user ? 'ok (data)' : 'ok');
  if (r.stored !== undefined) parts.push(r.stored ? 'in localStorage' : 'not in localStorage');
  if (r.events?.length) {
    const signedOut = r.signedOutAfterMs !== null && r.signedOutAfterMs !== undefined ? ` (at ${(r.signedOutAfterMs / 1000).toFixed(1)} s)` : '';
    parts.push(r.events.join(', ') + signedOut);
  }
  parts.push(`${(r.ms / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

test('fault injection: every request kind × every fault, gotrue-wasm asserted, auth-js measured', { timeout: 240_000 }, async () => {
  const email = uniqueEmail('faults');
  await createUser(AUTH, email);
  const pages = { ours: await newPage(`faults.html?pkg=${PKG}`, 'ours'), authjs: await newPage('faults.html', 'authjs') };
  const needsSession = new Set(['refresh', 'user', 'logout', 'logoutExpired']);
  const specs = [];
  let id = 0;
  for (const kind of KINDS) {
    for (const fault of FAULTS) {
      for (const lib of ['ours', 'authjs']) {
        id += 1;
        const caseId = `case-${id}`;
        CASES.set(caseId, { kind, fault, id });
        let session = null;
        if (needsSession.has(kind)) {
          session = await realSession(email);
          FAKE_TOKENS.push(session.access_token, session.refresh_token);
          if (kind === 'refresh' || kind === 'logoutExpired') {
            session = { ...session, expires_at: Math.floor(Date.now() / 1000) - 10 };
          }
        }
        // Fourteen 5 MB answers through the DevTools protocol take their time on a busy machine.
        const timeoutMs = { hang: TIMEOUT_MS, huge: HUGE_TIMEOUT_MS }[fault] ?? SLOW_ROUTE_TIMEOUT_MS;
        const deadlineMs = fault === 'huge' ? HUGE_TIMEOUT_MS + 15_000 : DEADLINE_MS;
        specs.push({ lib, kind, fault, caseId, storageKey: `faults-${caseId}`, authUrl: AUTH, timeoutMs,
          deadlineMs, session, email });
      }
    }
  }
  const runAll = async (lib, phase) => {
    const mine = phase.filter((spec) => spec.lib === lib);
    const outcomes = await pages[lib].evaluate((all) => Promise.all(all.map((spec) => window.runCase(spec))), mine);
    mine.forEach((spec, index) => results.push({ ...spec, ...outcomes[index] }));
  };
  const usual = specs.filter((spec) => spec.fault !== 'huge');
  await Promise.all(['ours', 'authjs'].map((lib) => runAll(lib, usual)));
  // The 5 MB answers go last, one library after the other: they would hold up every other
  // scripted answer.
  const huge = specs.filter((spec) => spec.fault === 'huge');
  for (const lib of ['ours', 'authjs']) await runAll(lib, huge);
  authJsThrown.push(...LOGS.authjs.errors, ...(await pages.authjs.evaluate(() => window.thrown)));

  const problems = [];
  for (const r of results.filter((x) => x.lib === 'ours')) {
    const where = `${r.kind} / ${r.fault}`;
    const check = (ok, what) => { if (!ok) problems.push(`${where}: ${what} — ${JSON.stringify(r)}`); };
    check(r.settled, 'still pending');
    check(r.threw === null, 'threw');
    const success = r.fault === 'huge';
    const retryable = ['network', 'hang', '500', '502', '503', '504', 'empty', 'truncated', 'html200'].includes(r.fault);
    if (r.fault === 'hang' && r.kind !== 'refresh') check(r.ms < TIMEOUT_MS * 3 + 1000, `took ${r.ms} ms`);
    switch (r.kind) {
      case 'signin':
      case 'verify':
      case 'exchange':
        if (success) {
          check(r.error === null && r.session, 'no session from a good answer');
          check(r.events.includes('SIGNED_IN'), 'no SIGNED_IN');
        } else if (r.kind === 'verify' && r.fault === 'wrongShape') {
          // Any JSON object without a session reads as the first of two email-change
          // confirmations (`{ msg, code }`): no session, no error, as in auth-js.
          check(r.error === null && !r.session && !r.stored, 'a session from an object without one');
        } else {
          check(r.error !== null && !r.session && !r.stored, 'an error and nothing stored');
          check(!r.events.includes('SIGNED_IN'), 'SIGNED_IN on a fault');
          if (retryable) check(r.error?.name === 'AuthRetryableFetchError', 'not AuthRetryableFetchError');
        }
        break;
      case 'refresh':
        check(r.stored, 'the session was removed');
        check(!r.events.includes('SIGNED_OUT'), 'SIGNED_OUT');
        if (success) check(r.error === null && r.events.includes('TOKEN_REFRESHED'), 'no TOKEN_REFRESHED');
        else check(r.error !== null, 'no error');
        if (retryable || r.fault === 'wrongShape') check(r.error?.name === 'AuthRetryableFetchError', 'not retryable');
        check(r.ms < 31_000, `took ${r.ms} ms`);
        break;
      case 'user':
        check(r.stored && !r.events.includes('SIGNED_OUT'), 'the session was removed');
        if (success) check(r.error === null && r.user, 'no user from a good answer');
        else check(r.error !== null, 'no error');
        if (retryable) check(r.error?.name === 'AuthRetryableFetchError', 'not AuthRetryableFetchError');
        break;
      case 'logout':
      case 'logoutExpired':
        check(!r.stored, 'the session is still stored');
        check(r.events.includes('SIGNED_OUT'), 'no SIGNED_OUT');
        // Signed out before any answer could arrive: no waiting on the network, no retries.
        check(r.signedOutAfterMs !== null && r.signedOutAfterMs < 1000, `SIGNED_OUT after ${r.signedOutAfterMs} ms`);
        // The server was not told: the error says so (the session is gone all the same).
        if (r.kind === 'logout' && ['network', 'hang', '500', '502', '503', '504'].includes(r.fault)) {
          check(r.error?.name === 'AuthRetryableFetchError', 'the failed logout is not reported');
        }
        break;
      default:
        break;
    }
    if (r.fault === 'hang' && ['signin', 'user', 'verify', 'exchange', 'logout'].includes(r.kind)) {
      check(r.error?.code === 'request_timeout', 'not a request_timeout');
    }
  }
  writeTable();
  assert.deepEqual(problems, []);
  assert.deepEqual(LOGS.ours.errors, [], 'uncaught errors in the page');
  assert.deepEqual(await pages.ours.evaluate(() => window.thrown), [], 'unhandled rejections in the page');
  const leaked = FAKE_TOKENS.filter((token) => LOGS.ours.console.some((line) => line.includes(token)));
  assert.deepEqual(leaked, [], 'tokens in the console');
  await Promise.all(Object.values(pages).map((page) => page.close()));
});

test('fault injection: URL detection whose check fails leaves no token in the address bar', { timeout: 60_000 }, async () => {
  const scenarios = [
    ...['network', '503', 'hang', 'html200'].map((fault) => ({ flow: 'implicit', fault })),
    ...['network', '503', 'hang'].map((fault) => ({ flow: 'pkce', fault })),
  ];
  let id = 1000;
  const runs = [];
  for (const scenario of scenarios) {
    for (const lib of ['ours', 'authjs']) {
      id += 1;
      const caseId = `url-${id}`;
      CASES.set(caseId, { kind: scenario.flow === 'implicit' ? 'user' : 'exchange', fault: scenario.fault, id });
      const storageKey = `faults-${caseId}`;
      let suffix;
      if (scenario.flow === 'implicit') {
        const access = `at-url-${id}-${Math.random().toString(36).slice(2)}`;
        const refresh = `rt-url-${id}-${Math.random().toString(36).slice(2)}`;
        FAKE_TOKENS.push(access, refresh);
        const expiresAt = Math.floor(Date.now() / 1000) + 3600;
        suffix = `#access_token=${access}&expires_at=${expiresAt}&expires_in=3600&refresh_token=${refresh}&token_type=bearer&type=magiclink`;
      } else {
        suffix = `&code=fault-code-${id}`;
      }
      runs.push((async () => {
        const page = await newPage(`faults.html?pkg=${PKG}${suffix}`, lib);
        const outcome = await page.evaluate((spec) => {
          if (spec.flowType === 'pkce') localStorage.setItem(`${spec.storageKey}-code-verifier`, JSON.stringify('v'.repeat(64)));
          return window.detectUrl(spec);
        }, { lib, caseId, storageKey, authUrl: AUTH, timeoutMs: TIMEOUT_MS, deadlineMs: URL_DEADLINE_MS,
          flowType: scenario.flow });
        await page.close();
        return { lib, ...scenario, ...outcome };
      })());
    }
  }
  urlResults.push(...(await Promise.all(runs)));
  writeTable();
  const problems = [];
  for (const r of urlResults.filter((x) => x.lib === 'ours')) {
    const where = `${r.flow} / ${r.fault}`;
    if (!r.settled) problems.push(`${where}: initialize() still pending`);
    if (r.threw) problems.push(`${where}: threw ${r.threw}`);
    if (authParamsIn(r.href).length) problems.push(`${where}: auth parameters left in ${r.href}`);
    if (!r.error) problems.push(`${where}: no error from initialize()`);
    if (r.stored) problems.push(`${where}: a session was stored`);
    if (['network', '503', 'hang'].includes(r.fault) && r.error?.name !== 'AuthRetryableFetchError') {
      problems.push(`${where}: ${JSON.stringify(r.error)} is not AuthRetryableFetchError`);
    }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(LOGS.ours.errors, [], 'uncaught errors in the page');
  const leaked = FAKE_TOKENS.filter((token) => LOGS.ours.console.some((line) => line.includes(token)));
  assert.deepEqual(leaked, [], 'tokens in the console');
});

test('20,000 onAuthStateChange subscribe+unsubscribe pairs grow wasm memory by less than 1 MB', async () => {
  const page = await newPage(`faults.html?pkg=${PKG}`, 'ours');
  const { before: start, after, delivered } = await page.evaluate((authUrl) => window.subscriptionBurst({ n: 20_000, authUrl }), AUTH);
  await page.close();
  assert.ok(after - start < 1024 * 1024, `wasm memory grew from ${start} to ${after} bytes`);
  assert.equal(delivered, 1, 'only the subscriber still there hears INITIAL_SESSION, once');
});

function writeTable() {
  const lines = [
    '<!-- Written by tests/e2e/faults.test.mjs (bash scripts/e2e.sh --test-name-pattern "fault injection"). -->',
    '',
    '| request | fault | gotrue-wasm | @supabase/auth-js 2.119.1 |',
    '|---|---|---|---|',
  ];
  for (const kind of KINDS) {
    for (const fault of FAULTS) {
      const ours = results.find((r) => r.kind === kind && r.fault === fault && r.lib === 'ours');
      const theirs = results.find((r) => r.kind === kind && r.fault === fault && r.lib === 'authjs');
      if (!ours || !theirs) continue;
      lines.push(`| ${KIND_LABELS[kind]} | ${FAULT_LABELS[fault]} | ${summarize(ours)} | ${summarize(theirs)} |`);
    }
  }
  if (urlResults.length) {
    lines.push('', '| URL detection at `initialize()` | fault | gotrue-wasm | @supabase/auth-js 2.119.1 |', '|---|---|---|---|');
    const seen = new Set();
    for (const r of urlResults) {
      const key = `${r.flow}/${r.fault}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const pair = ['ours', 'authjs'].map((lib) => urlResults.find((x) => x.flow === r.flow && x.fault === r.fault && x.lib === lib));
      const cell = (x) => `${summarize({ ...x, stored: undefined })} · URL ${authParamsIn(x.href).length ? `**keeps ${authParamsIn(x.href).join(', ')}**` : 'clean'}`;
      const what = r.flow === 'implicit' ? '`#access_token=…`, `/user` faulted' : '`?code=…`, code exchange faulted';
      lines.push(`| ${what} | ${FAULT_LABELS[r.fault]} | ${cell(pair[0])} | ${cell(pair[1])} |`);
    }
  }
  if (authJsThrown.length) {
    const distinct = [...new Set(authJsThrown.map((text) => text.replace(/faults-case-\d+/g, '<key>')))];
    lines.push('', `Uncaught in auth-js's page: ${distinct.map((text) => `\`${text}\``).join('; ')}. gotrue-wasm's page: none.`);
  }
  mkdirSync(join(ROOT, 'target'), { recursive: true });
  writeFileSync(join(ROOT, 'target/e2e-faults.md'), `${lines.join('\n')}\n`);
}
