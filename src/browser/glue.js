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

// Calls `method` on a custom storage object and always returns a Promise.
export function callStorage(storage, method, key, value) {
  try {
    return Promise.resolve(storage[method](key, value));
  } catch (error) {
    return Promise.reject(error);
  }
}

// One HTTP request within `timeoutMs`, answer body included. `headers` is the JSON text of
// an object of request headers. `fetcher` is the app's `fetch` option, called as auth-js
// calls it: `fetcher(url, { method, headers, body })`, the headers as a plain object and no
// body on GET. Without one, the global `fetch`, told to bypass the HTTP cache (a JWKS served
// with max-age would hide a rotated key) and given the abort signal. Past the deadline the
// promise rejects with a TimeoutError even if the fetch ignores it. Resolves to one string:
// the status, then per header of READ_HEADERS a line `1value` (or `0` when absent), then the
// body, each after a newline (header values hold none).
const READ_HEADERS = ['x-supabase-api-version', 'x-total-count', 'link'];
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
      reject(error);
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
          reject(error);
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
// BroadcastChannel, a `storage` event on that key becomes `onEvent('', newValue, oldValue)`.
// Returns `send(event, sessionJson)`, which posts `{ event, session }` to the other tabs;
// `send()` disconnects.
export function tabs(name, onEvent) {
  let channel = null;
  try {
    channel = new BroadcastChannel(name);
  } catch {
    const listener = (event) => {
      if (event.key === name) onEvent('', event.newValue, event.oldValue);
    };
    window.addEventListener('storage', listener);
    return (event) => event === undefined && window.removeEventListener('storage', listener);
  }
  channel.onmessage = (message) => {
    const data = message.data;
    const event = data === null || data === undefined ? undefined : data.event;
    if (typeof event !== 'string') return;
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

// window.localStorage if a write to it succeeds, else undefined.
export function usableLocalStorage(probe) {
  try {
    const storage = window.localStorage;
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return storage;
  } catch {
    return undefined;
  }
}

// A synchronous storage call (localStorage's getItem / setItem / removeItem); throws what the
// storage throws.
export function storageNow(storage, method, key, value) {
  return storage[method](key, value);
}
