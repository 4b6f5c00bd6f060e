// Browser services that are simpler to reach from JS than through web-sys bindings.
// Loaded by src/browser/runtime.rs; every function is safe to call where the API is missing.

export function sha256(bytes) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) return Promise.reject(new Error('WebCrypto is unavailable'));
  return subtle.digest('SHA-256', bytes).then((digest) => new Uint8Array(digest));
}

export function fillRandom(bytes) {
  if (!globalThis.crypto || !globalThis.crypto.getRandomValues) throw new Error('crypto.getRandomValues is unavailable');
  globalThis.crypto.getRandomValues(bytes);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Takes the Web Lock `name`. Resolves to a release function, or to null when Web Locks are
// missing or the lock could not be had within `waitMs`. A held lock is released after
// `holdMs` even if nobody calls release, so an abandoned lock can never freeze other tabs.
export function acquireLock(name, waitMs, holdMs) {
  const locks = globalThis.navigator && globalThis.navigator.locks;
  if (!locks || typeof locks.request !== 'function') return Promise.resolve(null);
  return new Promise((resolveAcquired) => {
    let settled = false;
    const controller = new AbortController();
    const waitTimer = setTimeout(() => {
      if (settled) return;
      settled = true;
      controller.abort();
      resolveAcquired(null);
    }, waitMs);
    locks
      .request(name, { signal: controller.signal }, () => {
        if (settled) return undefined;
        settled = true;
        clearTimeout(waitTimer);
        return new Promise((releaseLock) => {
          const holdTimer = setTimeout(releaseLock, holdMs);
          resolveAcquired(() => {
            clearTimeout(holdTimer);
            releaseLock();
          });
        });
      })
      .catch(() => {
        if (settled) return;
        settled = true;
        clearTimeout(waitTimer);
        resolveAcquired(null);
      });
  });
}

// One HTTP request within `timeoutMs`, answer body included. `headers` is the JSON text of
// an object of request headers. `fetcher` is the app's `fetch` option, called as auth-js
// calls it: `fetcher(url, { method, headers, body })`, the headers as a plain object and no
// body on GET. Without one, the global `fetch`, told to bypass the HTTP cache (a JWKS served
// with max-age would hide a rotated key) and given the abort signal. Past the deadline the
// promise rejects with null even if the fetch ignores it. Resolves to one string: the status,
// then per header of READ_HEADERS a line `1value` (or `0` when absent), then the body, each
// after a newline (header values hold none). A failure rejects with its message (an Error's
// message, a thrown string, or 'fetch failed'), or with null for a TimeoutError.
const READ_HEADERS = ['x-supabase-api-version', 'x-total-count', 'link'];
const failure = (error) => {
  if (error instanceof Error) return error.name === 'TimeoutError' ? null : String(error.message);
  return typeof error === 'string' ? error : 'fetch failed';
};
export function sendRequest(fetcher, url, method, headers, body, timeoutMs) {
  const init = { method, headers: JSON.parse(headers) };
  if (body !== undefined && body !== null) init.body = body;
  const controller = new AbortController();
  let send;
  if (typeof fetcher === 'function') {
    send = () => fetcher(url, init);
  } else {
    init.cache = 'no-store';
    init.signal = controller.signal;
    send = () => globalThis.fetch(url, init);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError');
      controller.abort(error);
      reject(null);
    }, timeoutMs);
    Promise.resolve()
      .then(send)
      .then((response) =>
        response.text().then((text) => {
          let answer = String(response.status);
          for (const name of READ_HEADERS) {
            const value = response.headers && typeof response.headers.get === 'function' ? response.headers.get(name) : null;
            answer += value === null || value === undefined ? '\n0' : `\n1${String(value).replace(/\n/g, ' ')}`;
          }
          return `${answer}\n${text}`;
        }),
      )
      .then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (error) => {
          clearTimeout(timer);
          reject(failure(error));
        },
      );
  });
}

// ---- The page, for src/browser/lifecycle.rs and local_storage.rs: a few generic functions
// instead of a web-sys binding (an import, and glue) per property and method.

const inWindow = () => typeof window !== 'undefined';

// 'href': the page's address (undefined outside a window); 'visible': whether the page is
// shown (true without a document); 'page': whether there is a document; 'assign': navigates
// to `url` (throws when the browser refuses); 'replace': shows `url` without a reload or a
// new history entry.
export function page(op, url) {
  const w = inWindow() ? window : undefined;
  if (op === 'href') return w && String(w.location.href);
  if (op === 'visible') return !(w && w.document) || w.document.visibilityState === 'visible';
  if (op === 'page') return !!(w && w.document);
  if (op === 'assign') return w && w.location.assign(url);
  try {
    w.history.replaceState(w.history.state, '', url);
  } catch {
    // No history (or a refused URL): the address stays as it was.
  }
  return undefined;
}

// Calls `callback` every `ms` ('interval', windows only) or when the page is shown or hidden
// ('visibility'); returns the function that stops it, or null when there is nothing to watch.
export function listen(kind, ms, callback) {
  if (!inWindow()) return null;
  if (kind === 'interval') {
    const id = setInterval(callback, ms);
    return () => clearInterval(id);
  }
  const { document } = window;
  if (!document) return null;
  document.addEventListener('visibilitychange', callback);
  return () => document.removeEventListener('visibilitychange', callback);
}

// Connects the tabs sharing the storage key `name`: another tab's message on the
// BroadcastChannel `name` becomes `onEvent(event, sessionJson | null)`; where there is no
// BroadcastChannel, a `storage` event on that key becomes `onEvent(oldValue === null ? '' : '-',
// newValue)`.
// Returns `send(event, sessionJson)`, which posts `{ event, session }` to the other tabs;
// `send()` disconnects.
export function tabs(name, onEvent) {
  let channel = null;
  try {
    channel = new BroadcastChannel(name);
  } catch {
    const listener = (event) => {
      if (event.key === name) onEvent(event.oldValue === null ? '' : '-', event.newValue);
    };
    window.addEventListener('storage', listener);
    return (event) => event === undefined && window.removeEventListener('storage', listener);
  }
  channel.onmessage = (message) => {
    const data = message.data;
    const event = data === null || data === undefined ? undefined : data.event;
    // Event names only ('' and '-' are the storage events' markers).
    if (typeof event !== 'string' || event.length < 2) return;
    let session = null;
    try {
      if (data.session !== null && typeof data.session === 'object') session = JSON.stringify(data.session);
    } catch {
      // A session that is no JSON data reads as none.
    }
    onEvent(event, session);
  };
  return (event, session) => {
    if (event === undefined) {
      channel.onmessage = null;
      channel.close();
      return;
    }
    let data = null;
    try {
      data = session ? JSON.parse(session) : null;
    } catch {
      // Our own JSON: always parses.
    }
    channel.postMessage({ event, session: data });
  };
}

// ---- The session's storage, for src/browser/local_storage.rs: `kind` 0 is localStorage if
// a write to it succeeds (else memory), 1 memory only, 2 the app's `object`. With
// localStorage, once a write fails (quota, blocked) writes go to memory, and reads look there
// first: nothing older than the last write is ever read, and what was written before (e.g. a
// PKCE verifier) stays readable.
export function store(kind, object) {
  if (kind === 0) {
    try {
      object = window.localStorage;
      const probe = '__gotrue_wasm_storage_probe__';
      object.setItem(probe, probe);
      object.removeItem(probe);
    } catch {
      console.warn('gotrue-wasm: localStorage is unavailable; the session is kept in memory only');
      kind = 1;
    }
  }
  return { kind, object, memory: new Map(), degraded: false };
}

// Whether `s` is in `state`: 1, the session is in localStorage now; 2, it survives a reload.
export function storeIs(s, state) {
  return !!(state & (s.kind === 0 && !s.degraded ? 3 : s.kind === 2 ? 2 : 0));
}

// `method` (getItem / setItem / removeItem) on `s`: the app's object always answers with a
// promise (its exception becomes the rejection); localStorage and memory answer at once, and
// a localStorage that throws throws.
export function storeCall(s, method, key, value) {
  const { kind, object, memory } = s;
  if (kind === 2) {
    try {
      return Promise.resolve(object[method](key, value));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  if (kind === 1 || (s.degraded && method === 'setItem')) {
    if (method === 'getItem') return memory.has(key) ? memory.get(key) : null;
    if (method === 'setItem') memory.set(key, value);
    else memory.delete(key);
    return undefined;
  }
  if (method === 'setItem') {
    try {
      object.setItem(key, value);
    } catch {
      console.warn('gotrue-wasm: localStorage refused a write (quota or blocked); keeping the session in memory');
      s.degraded = true;
      memory.set(key, value);
    }
    return undefined;
  }
  if (method === 'getItem') return s.degraded && memory.has(key) ? memory.get(key) : object.getItem(key);
  memory.delete(key);
  if (!s.degraded) return object.removeItem(key);
  try {
    // Best effort: a stale copy in localStorage must not come back after a reload.
    object.removeItem(key);
  } catch {
    // Already in memory only.
  }
  return undefined;
}
