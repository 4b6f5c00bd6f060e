// Shared by the browser end-to-end tests: the browser, the servers' addresses, the test
// pages and the auth server's test endpoints (mailbox, stats). scripts/e2e.sh sets the
// E2E_* variables; the defaults match its default ports.
import { test, after } from 'node:test';
import { chromium } from 'playwright-core';

export const PAGES = process.env.E2E_PAGES_URL ?? 'http://127.0.0.1:9923';
export const AUTH = process.env.E2E_AUTH_URL ?? 'http://127.0.0.1:9921';
export const SHORT_AUTH = process.env.E2E_SHORT_AUTH_URL ?? 'http://127.0.0.1:9922';
export const SHORT_JWT_EXP = Number(process.env.E2E_SHORT_JWT_EXP ?? 5);
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
