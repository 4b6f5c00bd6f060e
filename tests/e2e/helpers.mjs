// Shared by the browser end-to-end tests: the browser, the servers' addresses, the test
// pages and the auth server's test endpoints (mailbox, stats). scripts/e2e.sh sets the
// E2E_* variables; the defaults match its default ports.
import { test, after } from 'node:test';
import { createHmac } from 'node:crypto';
import { chromium } from 'playwright-core';

export const PAGES = process.env.E2E_PAGES_URL ?? 'http://127.0.0.1:9923';
export const AUTH = process.env.E2E_AUTH_URL ?? 'http://127.0.0.1:9921';
export const SHORT_AUTH = process.env.E2E_SHORT_AUTH_URL ?? 'http://127.0.0.1:9922';
export const SHORT_JWT_EXP = Number(process.env.E2E_SHORT_JWT_EXP ?? 5);
/** The server with every optional feature on (MFA, linking, SSO, web3) and ES256 tokens. */
export const FEATURES_AUTH = process.env.E2E_FEATURES_AUTH_URL ?? 'http://127.0.0.1:9924';
/** A server signing its access tokens with RS256. */
export const RS256_AUTH = process.env.E2E_RS256_AUTH_URL ?? 'http://127.0.0.1:9925';
/** A server without autoconfirm (sign-ups wait for their mail) and with anonymous sign-ins. */
export const CONFIRM_AUTH = process.env.E2E_CONFIRM_AUTH_URL ?? 'http://127.0.0.1:9926';
/**
 * The pages' server under the name `localhost`: WebAuthn refuses an IP address as relying
 * party id, so the WebAuthn test runs there (the features server's --site-url names it).
 */
export const PAGES_LOCALHOST = process.env.E2E_PAGES_LOCALHOST_URL ?? PAGES.replace('//127.0.0.1:', '//localhost:');
export const STORAGE_KEY = process.env.E2E_STORAGE_KEY ?? 'e2e-auth-token';
export const PASSWORD = 'correct-horse-battery-staple';

/** How long a test waits for one thing (an event, a page, a mail) before failing. */
export const WAIT_MS = 10_000;

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
];

// One browser per test file (node --test runs each file in its own process), launched by the
// first test and closed after the last.
let browserPromise = null;
function browser() {
  browserPromise ??= chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  return browserPromise;
}
after(async () => {
  if (browserPromise) await (await browserPromise).close();
});

/**
 * A node:test test with a fresh browser context (its own localStorage). Whatever the pages
 * print to the console, and their uncaught errors, are added to a failure's message.
 */
export function e2eTest(name, fn, { timeout = 45_000 } = {}) {
  test(name, { timeout }, async () => {
    const context = await (await browser()).newContext();
    const log = [];
    context.on('page', (page) => {
      const tag = () => { try { return new URL(page.url()).pathname; } catch { return '?'; } };
      page.on('console', (m) => log.push(`[${tag()} console.${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => log.push(`[${tag()} pageerror] ${e.message}`));
    });
    try {
      await fn({ context });
    } catch (error) {
      if (log.length) error.message += `\n--- browser console ---\n${log.slice(-40).join('\n')}`;
      throw error;
    } finally {
      await context.close();
    }
  });
}

export function uniqueEmail(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- auth server endpoints

async function json(response, what) {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Signs a user up straight on the server (the servers run with --autoconfirm). */
export async function createUser(server, email, password = PASSWORD) {
  const response = await fetch(`${server}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return json(response, `sign-up of ${email}`);
}

/** Asks the server for a magic link as an implicit-flow client would (no code challenge). */
export async function sendMagicLink(server, email, redirectTo) {
  const response = await fetch(`${server}/otp?redirect_to=${encodeURIComponent(redirectTo)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  return json(response, `magic link for ${email}`);
}

/** The newest message to `email` of `type` (polls the test mailbox until it arrives). */
export async function readMail(server, email, type) {
  const deadline = Date.now() + WAIT_MS;
  let last = null;
  while (Date.now() < deadline) {
    const response = await fetch(`${server}/__test/mailbox/${encodeURIComponent(email)}`);
    if (response.ok) {
      last = await response.json();
      if (!type || last.type === type) return last;
    }
    await sleep(100);
  }
  throw new Error(`no ${type ?? ''} mail for ${email}; last seen: ${JSON.stringify(last)}`);
}

export async function stats(server) {
  return json(await fetch(`${server}/__test/stats`), 'GET /__test/stats');
}

/** Zeroes the server's counters; false when the server has no such endpoint. */
export async function resetStats(server) {
  const response = await fetch(`${server}/__test/stats/reset`, { method: 'POST' });
  await response.text();
  return response.ok;
}

// ---------------------------------------------------------------- pages

/** Opens a test page (path relative to the pages server) in a new tab and waits for it. */
export async function openPage(context, path) {
  const page = await context.newPage();
  await page.goto(`${PAGES}/${path}`);
  await waitReady(page);
  return page;
}

/** Waits until the page's client has initialized (its `initialize()` resolved). */
export async function waitReady(page, timeout = WAIT_MS) {
  try {
    await page.waitForFunction(() => window.ready === true || window.startError !== undefined, null, { timeout });
  } catch (error) {
    throw new Error(`page ${page.url()} never became ready: ${error.message.split('\n')[0]}`);
  }
  const startError = await page.evaluate(() => window.startError);
  if (startError) throw new Error(`page ${page.url()} failed to start: ${startError}`);
}

/** Waits for the page to be back on the pages server (after a redirect chain) and ready. */
export async function waitBackOnPage(page, timeout = WAIT_MS) {
  try {
    await page.waitForURL((url) => url.href.startsWith(`${PAGES}/`), { timeout });
  } catch (error) {
    throw new Error(`never came back to the test page; stuck at ${page.url()}: ${error.message.split('\n')[0]}`);
  }
  await waitReady(page, timeout);
}

export function events(page) {
  return page.evaluate(() => window.events);
}

/** Waits for an auth event (with that user's email, if given) on the page. */
export async function waitForEvent(page, event, email, timeout = WAIT_MS) {
  try {
    await page.waitForFunction(
      ([name, address]) => window.events.some(([e, who]) => e === name && (address === null || who === address)),
      [event, email ?? null],
      { timeout },
    );
  } catch {
    throw new Error(`no ${event}${email ? ` for ${email}` : ''} event on ${page.url()}; events: ${JSON.stringify(await events(page))}`);
  }
}

/** `initialize()`'s error as a plain object (or null). */
export function initError(page) {
  return page.evaluate(() => {
    const error = window.initResult?.error;
    if (!error) return null;
    return { name: error.name, message: error.message, status: error.status, code: error.code, details: error.details };
  });
}

/** The session as stored in localStorage under the storage key (parsed), or null. */
export function storedSession(page) {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  }, STORAGE_KEY);
}

export function storageKeys(page) {
  return page.evaluate(() => Object.keys(localStorage));
}

/** Storage keys holding a PKCE code verifier (the legacy slot or a per-flow slot). */
export function verifierKeys(keys) {
  const escaped = STORAGE_KEY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}-(flow-.+-)?code-verifier$`);
  return keys.filter((key) => pattern.test(key));
}

/** Calls a client method in the page and returns `{ data, error }` as plain data. */
export function call(page, method, ...args) {
  return page.evaluate(async ([name, params]) => {
    const { data, error } = await window.auth[name](...params);
    return {
      data: data ?? null,
      error: error ? { name: error.name, message: error.message, status: error.status, code: error.code } : null,
    };
  }, [method, args]);
}

/** Signs in with a password through the page's client; fails the test on an error. */
export async function signInWithPassword(page, email, password = PASSWORD) {
  const { data, error } = await call(page, 'signInWithPassword', { email, password });
  if (error) throw new Error(`signInWithPassword(${email}) failed: ${JSON.stringify(error)}`);
  return data.session;
}

/** The auth parameters (ours) found in a URL's query or fragment(s). */
export function authParamsIn(href) {
  const url = new URL(href);
  const names = ['access_token', 'refresh_token', 'expires_in', 'expires_at', 'token_type', 'provider_token',
    'code', 'sb_flow_id', 'sb', 'error', 'error_code', 'error_description'];
  const found = new Set();
  for (const part of [url.search.slice(1), ...url.hash.split('#').slice(1)]) {
    for (const key of new URLSearchParams(part).keys()) if (names.includes(key)) found.add(key);
  }
  return [...found];
}

// ---------------------------------------------------------------- newer APIs (MFA, admin, …)

/** The server's service-role key (`GET /__test/service_role_key`), for the admin API. */
export async function serviceRoleKey(server) {
  return (await json(await fetch(`${server}/__test/service_role_key`), 'GET /__test/service_role_key')).key;
}

/** An ID token from the server's test OpenID issuer (`POST /__test/oidc/issue`). */
export async function issueIdToken(server, claims) {
  const response = await fetch(`${server}/__test/oidc/issue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  return (await json(response, 'POST /__test/oidc/issue')).id_token;
}

/**
 * Calls `window.<target>.<method>(...args)` in the page, where target is a dotted path such as
 * `auth.mfa` or `admin`, and returns `{ data, error }` as plain data (error: name, message,
 * status, code).
 */
export function invoke(page, target, method, ...args) {
  return page.evaluate(async ([path, name, params]) => {
    const object = path.split('.').reduce((at, key) => at[key], window);
    const { data, error } = await object[name](...params);
    return {
      data: data ?? null,
      error: error ? { name: error.name, message: error.message, status: error.status, code: error.code } : null,
    };
  }, [target, method, args]);
}

/** `invoke`, failing the test when the call returns an error; resolves to `data`. */
export async function invokeOk(page, target, method, ...args) {
  const { data, error } = await invoke(page, target, method, ...args);
  if (error) throw new Error(`${target}.${method} failed: ${JSON.stringify(error)}`);
  return data;
}

/** Opens an absolute URL of a test page in a new tab and waits for its client. */
export async function openUrl(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await waitReady(page);
  return page;
}

/** Like waitBackOnPage, for a page that must come back to `url`'s origin and path. */
export async function waitBackAt(page, url, timeout = WAIT_MS) {
  const target = new URL(url);
  try {
    await page.waitForURL((at) => at.origin === target.origin && at.pathname === target.pathname, { timeout });
  } catch (error) {
    throw new Error(`never came back to ${target.origin}${target.pathname}; stuck at ${page.url()}: ${error.message.split('\n')[0]}`);
  }
  await waitReady(page, timeout);
}

/** Decodes RFC 4648 base32 (no padding needed). */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${text}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA1, 30 s steps, 6 digits) of a base32 secret at `unixSeconds`. */
export function totpCode(secret, unixSeconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(number % 1_000_000).padStart(6, '0');
}

/** Decodes a JWT's payload (no verification). */
export function jwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
