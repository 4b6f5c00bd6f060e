// Shared by the packaging and compatibility tests and the benchmark: where things are, the
// browser, child processes (static servers, Vite, tsc) and small utilities.
// scripts/packaging-tests.sh sets the PACKAGING_* variables; the defaults match its defaults.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where scripts/packaging-tests.sh installed the tarball into the test apps. */
export const WORK = process.env.PACKAGING_WORK_DIR ?? join(ROOT, 'target/packaging');
export const AUTH_URL = process.env.PACKAGING_AUTH_URL ?? 'http://127.0.0.1:9941';
const BASE_PORT = Number(process.env.PACKAGING_BASE_PORT ?? 9941);
/** Ports for the pages, one per app, after the auth server's. */
export const PORTS = {
  viteBuild: BASE_PORT + 1,
  staticPage: BASE_PORT + 2,
  viteDev: BASE_PORT + 3,
  compat: BASE_PORT + 4,
  demo: BASE_PORT + 6,
  vite8Build: BASE_PORT + 7,
  vite8Dev: BASE_PORT + 8,
  vite7DevPlain: BASE_PORT + 9,
  es2020: BASE_PORT + 10,
  worker: BASE_PORT + 11,
  webpack: BASE_PORT + 12,
};
/** The demo's auth server (email confirmation on), started by scripts/packaging-tests.sh. */
export const DEMO_AUTH_URL = `http://127.0.0.1:${BASE_PORT + 5}`;
export const PASSWORD = 'correct-horse-battery-staple';
/** How long one wait (a page, a server, a flow) may take before the test fails. */
export const WAIT_MS = 20_000;

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
];

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

export function uniqueEmail(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Starts a long-running child process and resolves once a line of its output matches
 * `readyPattern`. `stop()` ends it (and only it); `output()` is what it printed so far.
 */
export function startProcess(command, args, { cwd = ROOT, readyPattern, env } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const handle = {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  return new Promise((resolveStarted, rejectStarted) => {
    const timer = setTimeout(() => {
      handle.stop();
      rejectStarted(new Error(`${command} ${args.join(' ')} did not start in ${WAIT_MS} ms:\n${output}`));
    }, WAIT_MS);
    const onData = (chunk) => {
      output += chunk;
      // Vite colours its banner; match on the text without escape codes.
      if (readyPattern.test(output.replace(/\x1b\[[0-9;]*m/g, ''))) {
        clearTimeout(timer);
        resolveStarted(handle);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStarted(new Error(`${command} ${args.join(' ')} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

/** `node scripts/serve.mjs DIR PORT`: resolves to `{ url, stop }` once it listens. */
export async function serveDir(dir, port) {
  const server = await startProcess(process.execPath, [join(ROOT, 'scripts/serve.mjs'), dir, String(port), '127.0.0.1'], {
    readyPattern: /^serving /m,
  });
  return { url: `http://127.0.0.1:${port}`, stop: server.stop };
}

/** Runs a command to completion; resolves to `{ code, stdout, stderr }` (never rejects on exit codes). */
export function runCommand(command, args, { cwd = ROOT, env, timeoutMs = 120_000 } = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? signal, stdout, stderr });
    });
  });
}

/**
 * Opens `url` in a fresh context and records what a test wants to know besides the page's
 * own answers: console errors, uncaught errors, and every .wasm response.
 */
export async function openPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = [];
  const wasmResponses = [];
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => log.push(`[console.${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => log.push(`[pageerror] ${error.message}`));
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.endsWith('.wasm')) {
      wasmResponses.push({ url: response.url(), status: response.status(), type: response.headers()['content-type'] });
    }
  });
  await page.goto(url);
  return {
    page,
    log,
    wasmResponses,
    /** Every URL the page requested, in order. */
    requests,
    pageErrors: () => log.filter((line) => line.startsWith('[pageerror]')),
    close: () => context.close(),
  };
}

/** Waits for `window[name]` to be defined; the page's log goes into the failure message. */
export async function waitForGlobal(opened, name) {
  try {
    await opened.page.waitForFunction((key) => window[key] !== undefined, name, { timeout: WAIT_MS });
  } catch (error) {
    throw new Error(`window.${name} never appeared on ${opened.page.url()}: ${error.message.split('\n')[0]}\n${opened.log.join('\n')}`);
  }
}
