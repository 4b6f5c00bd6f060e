// auth-js's classes over the WebAssembly engine. What an operation does happens in the wasm
// (src/js/ in the crate); this file moves arguments in as JSON text, parses the `{ data,
// error }` text that comes back, turns `error` into an Error object, and does what JS does
// for fewer bytes than the wasm: shaping `data` from the server's answer where auth-js
// reshapes it, and checking the options before the engine gets them compact. Each entry
// point (web.js, node.js, bundler.js) passes in the `Core` class of its wasm-bindgen build
// and, when the module is still loading, the promise of its instantiation: the classes are
// usable at once (constructors are synchronous, as auth-js's are) and every method waits for
// the module. No entry point uses a top-level await, so the package loads wherever auth-js
// does (older build targets, iife workers, CommonJS interop).

import {
  AuthError, AuthApiError, AuthUnknownError, CustomAuthError, AuthSessionMissingError,
  AuthInvalidTokenResponseError, AuthInvalidCredentialsError, AuthImplicitGrantRedirectError,
  AuthPKCEGrantCodeExchangeError, AuthPKCECodeVerifierMissingError, AuthRetryableFetchError,
  AuthRefreshDiscardedError, AuthWeakPasswordError, AuthInvalidJwtError, isAuthError,
} from './errors.js';

// The engine reports an error as data, `[kind, message, status, code, details | reasons]`
// (src/js/results.rs `write_error`), `kind` the index of its class here; this makes the
// error object auth-js users receive: an instance of that class carrying the engine's
// message, status and code as written (absent ones undefined). The order is the engine's
// `kind_index` (tests/packaging/error-kinds.test.mjs checks it).
const ERROR_CLASSES = [
  (message, status, code) => new AuthApiError(message, status, code),
  () => new AuthSessionMissingError(),
  (message) => new AuthInvalidCredentialsError(message),
  (message, status, code, reasons) => new AuthWeakPasswordError(message, status, reasons),
  (message, status) => new AuthRetryableFetchError(message, status),
  () => new AuthInvalidTokenResponseError(),
  (message, status, code, details) => new AuthImplicitGrantRedirectError(message, details),
  (message, status, code, details) => new AuthPKCEGrantCodeExchangeError(message, details ?? null),
  () => new AuthPKCECodeVerifierMissingError(),
  (message) => new AuthRefreshDiscardedError(message),
  (message) => new AuthInvalidJwtError(message),
  (message, status, code) => new CustomAuthError(message, 'AuthStorageError', status, code),
  (message) => new AuthUnknownError(message, undefined),
];
const UNKNOWN = 12;

function toAuthError([kind, message, status, code, more]) {
  status = status ?? undefined;
  code = code ?? undefined;
  const error = ERROR_CLASSES[kind](message, status, code, more);
  error.message = message;
  error.status = status;
  error.code = code;
  return error;
}

const ignore = () => {};

// `data` of the request table's rows that auth-js reshapes from the server's answer: the
// engine checks the answer (and stores what it must) and hands it over as it came; these
// build auth-js's object from it (src/js/engine.rs, `Answer`). A member a non-object lacks
// is null, as the engine reads it.
const get = (body, key, otherwise = null) => (body == null || body[key] === undefined ? otherwise : body[key]);
const wrap = (key) => (body) => ({ [key]: body });
const member = (key) => (body) => ({ [key]: get(body, key) });
const USER = wrap('user');
const FACTORS = wrap('factors');
// (Named here, not written in the calls: scripts/size.sh counts the quoted names in `run(…)`.)
const ID = member('id');
const URL_ONLY = member('url');
const IDENTITIES = member('identities');
// `Answer::Listed`: [answer, nextPage, lastPage, total, total when a Link header came].
const USERS = ([body, nextPage, lastPage, total]) => ({ users: get(body, 'users', []), aud: get(body, 'aud'), nextPage, lastPage, total });
const CLIENTS = ([body, nextPage, lastPage, , total]) => ({
  ...(body && typeof body === 'object' && !Array.isArray(body) && body), nextPage, lastPage, total,
});
const PROVIDERS = ([body]) => ({ providers: get(body, 'providers') ?? [] });
// generate_link's flat answer: the link's properties, and the user without them.
function LINK(user) {
  const properties = {};
  for (const key of ['action_link', 'email_otp', 'hashed_token', 'redirect_to', 'verification_type']) {
    properties[key] = get(user, key);
    delete user[key];
  }
  return { properties, user };
}

/** The scopes `signOut` takes. */
export const SIGN_OUT_SCOPES = ['global', 'local', 'others'];

export function defineClients(Core, loading) {
  // Set once the module is instantiated: from then on, cores are made synchronously.
  let loaded = !loading;
  if (loading) loading.then(() => (loaded = true), ignore);

  // The options as the engine takes them (src/js/options.rs `read_options`): checked here,
  // with auth-js's defaults, as JSON carries them (what JSON.stringify drops is not given):
  // `[url, storageKey, headers, flags, …the three durations within their bounds (-1: not
  // given)]`. An invalid option is an AuthInvalidCredentialsError.
  function engineOptions(options, hooks) {
    const given = JSON.parse(JSON.stringify(options));
    function read(key, type, what = `a ${type}`) {
      const value = given[key];
      if (value != null && (typeof value !== type || Array.isArray(value))) refuse(`${key} must be ${what}`);
      return value ?? undefined;
    }
    // The whole part of a number whose JSON text fits 64 bits (±2⁶³ is written 9223372036854776000,
    // which does not), within [min, max].
    function whole(key, min, max) {
      const value = given[key];
      if (value == null) return -1;
      const number = Math.trunc(value);
      if (typeof value !== 'number' || !(Math.abs(number) < 2 ** 63)) refuse(`option ${key} must be a number`);
      return Math.min(Math.max(number, min), max);
    }
    const url = read('url', 'string') ?? 'http://localhost:9999';
    const headers = read('headers', 'object', 'an object');
    const key = read('storageKey', 'string') ?? 'supabase.auth.token';
    const persist = read('persistSession', 'boolean') ?? true;
    let flags = persist | ((read('autoRefreshToken', 'boolean') ?? true) << 1);
    const flow = read('flowType', 'string');
    if (flow !== undefined && flow !== 'implicit' && flow !== 'pkce') refuse('option flowType must be "implicit" or "pkce"');
    const experimental = read('experimental', 'object', 'an object');
    flags |= ((flow === 'pkce') << 2) | ((experimental && experimental.appendPkceFlowIdToRedirects === true) << 3);
    const tick = whole('autoRefreshTickDuration', 10, 3600000);
    const threshold = whole('autoRefreshTickThreshold', 0, 1000);
    const timeout = whole('requestTimeout', 1, 3600000);
    flags |= !!(hooks.detectSessionInUrl || (read('detectSessionInUrl', 'boolean') ?? true)) << 4;
    const storage = hooks.storage;
    if (persist && storage && typeof storage === 'object') {
      for (const method of ['getItem', 'setItem', 'removeItem']) {
        if (typeof storage[method] !== 'function') refuse(`option storage needs a ${method} method`);
      }
    }
    flags |= !read('skipAutoInitialize', 'boolean') << 5;
    return [url, key, headers, flags, tick, threshold, timeout];
  }
  function refuse(message) {
    throw toAuthError([2, message, 400]);
  }

  // Makes `owner._core` now when the module is loaded (an invalid option throws here, as
  // before), else once it is (an invalid option then rejects every call). The options are
  // checked once, now: `owner._checked` keeps the engine's form for the early start-up.
  function attach(owner, options, hooks) {
    // Subscriptions taken out before the module was loaded: made in the same turn as the
    // core, before its initialization can emit anything.
    owner._pending = [];
    let refused;
    try {
      owner._checked = engineOptions(options, hooks);
    } catch (error) {
      refused = error;
    }
    const make = () => {
      if (refused) throw refused;
      owner._core = new Core(JSON.stringify(owner._checked), hooks);
      for (const subscribe of owner._pending) subscribe(owner._core);
      owner._pending = [];
      return owner._core;
    };
    if (loaded) {
      owner._whenCore = Promise.resolve(make());
    } else {
      owner._whenCore = loading.then(make);
      owner._whenCore.catch(ignore);
    }
  }

  // `shape` builds `data` from the engine's answer (see `USER`), when the call succeeded.
  async function run(owner, op, args, shape) {
    const core = owner._core || (await owner._whenCore);
    let json;
    try {
      json = JSON.stringify(args);
    } catch {
      // A cycle or a BigInt: the engine answers "expected an object" as it does for any
      // argument that is not JSON data.
      json = '[]';
    }
    const result = JSON.parse(await core.call(op, json));
    if (result.error) {
      result.error = toAuthError(result.error);
      if (owner._throwOnError) throw result.error;
    } else if (shape) {
      result.data = shape(result.data);
    }
    return result;
  }

  let subscriptions = 0;

  function readLocal(key) {
    try {
      return globalThis.localStorage.getItem(key);
    } catch {
      return null;
    }
  }

  // A lone UTF-16 surrogate: JSON text cannot carry one into the wasm (it arrives as U+FFFD).
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

  function browserStorage() {
    try {
      const storage = globalThis.localStorage;
      const probe = '__gotrue_wasm_storage_probe__';
      storage.setItem(probe, probe);
      storage.removeItem(probe);
      return storage;
    } catch {
      return undefined;
    }
  }

  // A storage key with a lone surrogate is used as given, as auth-js uses it: the engine works
  // under a well-formed stand-in, and the storage calls put the real key back in front.
  function keepStorageKey(data, hooks) {
    const key = data.storageKey;
    if (typeof key !== 'string' || !key.match(LONE_SURROGATE) || data.persistSession === false) return;
    const inner = hooks.storage || browserStorage();
    if (!inner) return;
    const standIn = key.replace(LONE_SURROGATE, '\uFFFD');
    const real = (name) => (String(name).startsWith(standIn) ? key + String(name).slice(standIn.length) : name);
    data.storageKey = standIn;
    hooks.storage = {
      getItem: (name) => inner.getItem(real(name)),
      setItem: (name, value) => inner.setItem(real(name), value),
      removeItem: (name) => inner.removeItem(real(name)),
    };
  }

  // The options the engine reads as data; functions and storage objects travel as hooks.
  function split(options) {
    const { storage, detectSessionInUrl, debug, lock, fetch, ...data } = options || {};
    const detectIsFunction = typeof detectSessionInUrl === 'function';
    if (detectSessionInUrl !== undefined && !detectIsFunction) data.detectSessionInUrl = !!detectSessionInUrl;
    // The predicate gets a `URL` and the parameters as an object, as auth-js calls it (the
    // engine hands over the address and the parameters' JSON).
    const detect = detectIsFunction ? (href, params) => detectSessionInUrl(new URL(href), JSON.parse(params)) : undefined;
    const hooks = { storage, detectSessionInUrl: detect, fetch };
    keepStorageKey(data, hooks);
    return [data, hooks];
  }

  const isBrowser = () => typeof window !== 'undefined' && typeof document !== 'undefined';

  // ---- Cold start: INITIAL_SESSION from the stored session before the module is loaded ----
  // auth-js starting up with a valid stored session and no callback in the URL tells the
  // subscribers already there SIGNED_IN (the session confirmed), then each INITIAL_SESSION,
  // and answers getSession() with that session. When everything the engine would look at is
  // visible from here — a browser page, the default localStorage, options the engine takes,
  // no auth parameter in the URL, a stored session with its tokens that is not near its
  // refresh margin — the facade answers so itself instead of waiting for the .wasm. The
  // engine still initializes as always (auto refresh, tabs, the SIGNED_IN other tabs hear);
  // its own start-up events for those subscribers are screened out (`screen`), so nobody
  // hears one twice. Anything else (custom storage, a callback URL, a session about to
  // expire, a refresh to make) is the engine's, as before.
  const MARGIN_SECONDS = 90; // the engine's EXPIRY_MARGIN_SECONDS (auth-js's EXPIRY_MARGIN_MS)
  const LEAD_SECONDS = 30; // the engine looks later: it must still find the session fresh
  // auth-js 2.119.1 tells SIGNED_IN to the subscribers taken out up to 8 microtasks after its
  // construction (measured in Chromium), INITIAL_SESSION alone to those after.
  const START_HOPS = 9;
  const afterHops = (hops, then) => (hops ? Promise.resolve().then(() => afterHops(hops - 1, then)) : then());
  const CALLBACK_KEYS = ['access_token', 'error', 'error_description', 'error_code', 'code'];
  // Whether a parameter of the URL's query or fragment has an auth callback's name: wider
  // than the engine's test, so it never misses one the engine would act on.
  function mayBeCallback(href) {
    const at = href.search(/[?#]/);
    return at >= 0 && href.slice(at + 1).split(/[?&#]/).some((piece) => {
      try {
        return CALLBACK_KEYS.includes(decodeURIComponent(piece.split('=')[0].replace(/\+/g, ' ')));
      } catch {
        return true;
      }
    });
  }

  // The storage key the facade may answer start-up from, or null when that is the engine's:
  // options the engine takes (`given`, as attach checked them; none when one is invalid),
  // persisting (flag 1) and initializing (32), and no callback in the URL when it detects
  // one (16).
  function earlyKey(given, hooks) {
    if (!isBrowser() || hooks.storage || !given) return null;
    const flags = given[3];
    if ((flags & 33) !== 33 || (flags & 16 && mayBeCallback(String(window.location.href)))) return null;
    return browserStorage() ? given[1] : null;
  }

  // The stored session, as `{ text, session }` (its text and that text parsed), when the
  // engine reads it as auth-js does (tokens, expiry, a user with an id) and it is not due for
  // a refresh for a while yet; else null.
  function freshStored(key) {
    const text = readLocal(key);
    let s;
    try {
      s = JSON.parse(text);
    } catch {
      return null;
    }
    const filled = (value) => typeof value === 'string' && value !== '';
    const valid = s && typeof s === 'object' && filled(s.access_token) && filled(s.refresh_token) &&
      typeof s.token_type === 'string' && Number.isSafeInteger(s.expires_at) && Number.isSafeInteger(s.expires_in) &&
      s.user && typeof s.user === 'object' && !Array.isArray(s.user) && filled(s.user.id);
    return valid && s.expires_at - MARGIN_SECONDS - LEAD_SECONDS > Date.now() / 1000 ? { text, session: s } : null;
  }

  function tell(entry, event, text) {
    if (entry.gone) return;
    try {
      entry.callback(event, text === null ? null : JSON.parse(text));
    } catch {
      console.warn('gotrue-wasm: an onAuthStateChange callback threw');
    }
  }

  // Decides, once, whether the facade answers this client's start-up; if so, tells the
  // subscribers there now what auth-js would.
  function settleEarly(owner) {
    const early = owner._early;
    if (!early || early.text !== undefined) return;
    const fresh = !owner._core && freshStored(early.key);
    early.text = fresh ? fresh.text : null;
    if (!fresh) {
      owner._early = null;
      return;
    }
    early.seen = fresh.session;
    for (const entry of early.entries) tell(entry, 'SIGNED_IN', early.text);
    for (const entry of early.entries) {
      Object.assign(entry, { waiting: true, served: true, seen: early.seen });
      tell(entry, 'INITIAL_SESSION', early.text);
    }
    early.entries = [];
  }

  // A subscription taken out before the engine has initialized.
  function earlyEntry(owner, entry) {
    const early = owner._early;
    if (!early || early.ready) return;
    if (early.text === undefined) {
      if (!owner._core) early.entries.push(entry);
      return;
    }
    // After the start-up the facade answered: INITIAL_SESSION only (from the facade while
    // the module loads, else from the engine), as auth-js gives a late subscriber.
    Object.assign(entry, { waiting: true, served: false, seen: early.seen });
    const fresh = !owner._core && freshStored(early.key);
    if (!fresh) return;
    entry.served = true;
    Promise.resolve().then(() => tell(entry, 'INITIAL_SESSION', fresh.text));
  }

  // What of the engine's event reaches a subscriber the facade answered for: until the
  // engine's own INITIAL_SESSION, the recovered SIGNED_IN and that INITIAL_SESSION are what
  // the subscriber has heard already; a different outcome is passed on as the change it is.
  function screen(early, entry, event, session) {
    if (!entry.waiting) return [event, session];
    const seen = entry.seen;
    const same = session && seen ? session.access_token === seen.access_token && session.refresh_token === seen.refresh_token : session === seen;
    if (event === 'INITIAL_SESSION') {
      entry.waiting = false;
      if (early) early.ready = true;
      if (!entry.served) return [event, session];
      return same ? null : [session ? 'SIGNED_IN' : 'SIGNED_OUT', session];
    }
    if (event === 'SIGNED_IN' && same) return null;
    entry.seen = session;
    return [event, session];
  }

  // auth-js's checks that throw (programming errors) rather than answer an error: the
  // methods reject, as auth-js's async methods do.
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  function checkUUID(value) {
    if (!UUID.test(value)) throw new Error('@supabase/auth-js: Expected parameter to be UUID but is not');
  }

  // ---- WebAuthn in the browser (passkeys, mfa.webauthn), as auth-js runs the ceremonies ----
  function browserSupportsWebAuthn() {
    return !!(isBrowser() && window.PublicKeyCredential && globalThis.navigator && navigator.credentials &&
      typeof navigator.credentials.create === 'function' && typeof navigator.credentials.get === 'function');
  }
  const noWebAuthn = () => ({ data: null, error: new AuthUnknownError('Browser does not support WebAuthn', null) });
  const fromB64url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
  const withIds = (list) => list && list.map((entry) => ({ ...entry, id: fromB64url(entry.id) }));
  // The server's JSON options with their binary members decoded (the browser's own parser when
  // it has one).
  function creationOptions(json) {
    const PKC = window.PublicKeyCredential;
    if (typeof PKC.parseCreationOptionsFromJSON === 'function') return PKC.parseCreationOptionsFromJSON(json);
    const options = { ...json, challenge: fromB64url(json.challenge), user: { ...json.user, id: fromB64url(json.user.id) } };
    if (json.excludeCredentials) options.excludeCredentials = withIds(json.excludeCredentials);
    return options;
  }
  function requestOptions(json) {
    const PKC = window.PublicKeyCredential;
    if (typeof PKC.parseRequestOptionsFromJSON === 'function') return PKC.parseRequestOptionsFromJSON(json);
    const options = { ...json, challenge: fromB64url(json.challenge) };
    if (json.allowCredentials) options.allowCredentials = withIds(json.allowCredentials);
    return options;
  }
  // auth-js's defaults for MFA ceremonies, under the server's options and the caller's overrides.
  const CREATE_DEFAULTS = {
    hints: ['security-key'],
    authenticatorSelection: { authenticatorAttachment: 'cross-platform', requireResidentKey: false, userVerification: 'preferred', residentKey: 'discouraged' },
    attestation: 'direct',
  };
  const REQUEST_DEFAULTS = { userVerification: 'preferred', hints: ['security-key'], attestation: 'direct' };
  function merge(...sources) {
    const plain = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) &&
      !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value);
    const out = {};
    for (const source of sources) {
      for (const key in source || {}) {
        const value = source[key];
        if (value === undefined) continue;
        out[key] = plain(value) ? merge(plain(out[key]) ? out[key] : {}, value) : value;
      }
    }
    return out;
  }
  // As auth-js: a ceremony started without the caller's signal cancels the one before it (a
  // pending passkey autofill), so the browser never sees two at once.
  let pending = null;
  // navigator.credentials.create/get → `{ data: credential, error }`.
  async function ceremony(kind, options) {
    if (!options.signal) {
      if (pending) pending.abort(new DOMException('Cancelling existing WebAuthn API call for new one', 'AbortError'));
      pending = new AbortController();
      options = { ...options, signal: pending.signal };
    }
    try {
      const credential = await navigator.credentials[kind](options);
      if (credential) return { data: credential, error: null };
      return { data: null, error: new AuthUnknownError('Empty credential response', null) };
    } catch (cause) {
      const error = new AuthUnknownError(`WebAuthn ${kind === 'create' ? 'registration' : 'authentication'} failed: ${cause && cause.message}`, cause);
      return { data: null, error };
    }
  }
  // The credential as the server reads it: its own toJSON() (WebAuthn Level 3), else built
  // member by member as auth-js does for older browsers.
  const toB64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  function credentialJSON(credential) {
    if (!credential || typeof credential.toJSON === 'function') return credential && credential.toJSON();
    if (typeof credential.getClientExtensionResults !== 'function') return credential; // already JSON
    const response = {};
    for (const key of ['clientDataJSON', 'attestationObject', 'authenticatorData', 'signature', 'userHandle']) {
      if (credential.response[key]) response[key] = toB64url(credential.response[key]);
    }
    return {
      id: credential.id, rawId: credential.id, type: 'public-key', response,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
    };
  }
  // A failed ceremony's error as a result (or thrown, with throwOnError).
  function failed(owner, error) {
    if (owner._throwOnError) throw error;
    return { data: null, error };
  }

  // A JWT's parts as auth-js's decodeJWT reads them: header and payload (JSON objects), the
  // signature's bytes, and the signed text (AuthInvalidJwtError when it is no JWT; where
  // auth-js would throw a SyntaxError for a part that is no JSON, this is that error too).
  const B64URL = /^([\w-]{4})*([\w-]{2,3})?$/;
  function decodeJWT(token) {
    const parts = token.split('.');
    if (parts.length !== 3) throw new AuthInvalidJwtError('Invalid JWT structure');
    let bytes;
    try {
      if (parts.every((part) => B64URL.test(part))) bytes = parts.map(fromB64url);
    } catch {}
    if (!bytes) throw new AuthInvalidJwtError('JWT not in base64url format');
    const [header, payload] = ['header', 'payload'].map((what, at) => {
      let value;
      try {
        value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes[at]));
      } catch {}
      if (value && typeof value === 'object' && !Array.isArray(value)) return value;
      throw new AuthInvalidJwtError(`Invalid JWT ${what}`);
    });
    return { header, payload, signature: new Uint8Array(bytes[2]), signed: `${parts[0]}.${parts[1]}` };
  }

  // ---- getClaims, as auth-js composes it ----
  const JWKS_TTL_MS = 600000;
  // Fetched key sets by storage key: auth-js shares one between the clients of a storage key.
  const jwksCache = {};
  // WebCrypto's parameters for a JWS algorithm (both for importing the key and verifying).
  const jwsAlgorithm = (alg) => {
    const hash = { name: 'SHA-256' };
    if (alg === 'RS256') return { name: 'RSASSA-PKCS1-v1_5', hash };
    if (alg === 'ES256') return { name: 'ECDSA', namedCurve: 'P-256', hash };
    throw new Error('Invalid alg claim');
  };
  // The key `kid`: the caller's, else the cached set's while it is fresh, else the server's
  // set fetched again (through the engine), which then becomes the cached one; null when the
  // server publishes no such key.
  async function signingKey(owner, kid, given = { keys: [] }) {
    const find = (set) => set.keys.find((key) => key.kid === kid);
    const now = Date.now();
    const storageKey = owner._options.storageKey ?? 'supabase.auth.token';
    const cached = jwksCache[storageKey];
    const key = find(given) || (cached && cached.at + JWKS_TTL_MS > now && find(cached.jwks));
    if (key) return key;
    const { data, error } = await run(owner, 'getClaims.jwks', []);
    if (error) throw error;
    if (!data.keys || !data.keys.length) return null;
    jwksCache[storageKey] = { jwks: data, at: now };
    return find(data) || null;
  }

  // The wallet signInWithWeb3 will use, found as auth-js finds it (or an Error thrown).
  function web3Wallet(credentials) {
    const { chain, wallet, options } = credentials;
    if (chain !== 'ethereum' && chain !== 'solana') throw new Error(`@supabase/auth-js: Unsupported chain "${chain}"`);
    if ('message' in credentials) return undefined;
    if (!isBrowser()) {
      if (typeof wallet !== 'object' || !(options && options.url)) {
        throw new Error('@supabase/auth-js: Both wallet and url must be specified in non-browser environments.');
      }
      return wallet;
    }
    if (typeof wallet === 'object') return wallet;
    if (chain === 'ethereum') {
      const found = window.ethereum;
      if (found && typeof found === 'object' && typeof found.request === 'function') return found;
      throw new Error(
        "@supabase/auth-js: No compatible Ethereum wallet interface on the window object (window.ethereum) detected. Make sure the user already has a wallet installed and connected for this app. Prefer passing the wallet interface object directly to signInWithWeb3({ chain: 'ethereum', wallet: resolvedUserWallet }) instead.",
      );
    }
    const found = window.solana;
    if (found && typeof found === 'object' && (typeof found.signIn === 'function' || typeof found.signMessage === 'function')) {
      return found;
    }
    throw new Error(
      "@supabase/auth-js: No compatible Solana wallet interface on the window object (window.solana) detected. Make sure the user already has a wallet installed and connected for this app. Prefer passing the wallet interface object directly to signInWithWeb3({ chain: 'solana', wallet: resolvedUserWallet }) instead.",
    );
  }

  // ---- signInWithWeb3's messages, laid out line for line as auth-js lays them out ----
  const siteOf = (options) => new URL(options.url ?? window.location.href);
  const line = (label, value) => (value ? [`${label}: ${value}`] : []);
  const web3Error = (text) => new Error(`@supabase/auth-js: ${text}`);
  // auth-js leaves the nonce out unless given, and the server then refuses the SIWE message:
  // a random one of 16 letters and digits when the app gives none.
  const randomNonce = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b % 36).toString(36)).join('');

  // Sign-In with Ethereum (EIP-4361), signed with `personal_sign`: [message, signature].
  async function signEthereum(wallet, statement, options) {
    const site = siteOf(options);
    const given = options.signInWithEthereum || {};
    let accounts;
    try {
      accounts = await wallet.request({ method: 'eth_requestAccounts' });
    } catch {
      throw web3Error('Wallet method eth_requestAccounts is missing or invalid');
    }
    if (!accounts || !accounts.length) throw web3Error('No accounts available. Please ensure the wallet is connected.');
    const address = accounts[0];
    if (!/^0x[a-fA-F0-9]{40}$/.test(address)) throw web3Error(`Address "${address}" is invalid.`);
    const chainId = given.chainId || parseInt(await wallet.request({ method: 'eth_chainId' }), 16);
    const nonce = given.nonce ?? randomNonce();
    const invalid = (field, why, ...value) => web3Error(`Invalid SIWE message field "${field}". ${why}${value.length ? `. Provided value: ${value[0]}` : ''}`);
    if (!Number.isInteger(chainId)) throw invalid('chainId', 'Chain ID must be a EIP-155 chain ID', chainId);
    if (!site.host) throw invalid('domain', 'Domain must be provided.');
    if (nonce && nonce.length < 8) throw invalid('nonce', 'Nonce must be at least 8 characters', nonce);
    if (statement && statement.includes('\n')) throw invalid('statement', "Statement must not include '\\n'", statement);
    const resources = given.resources;
    for (const resource of resources || []) {
      if (!resource || typeof resource !== 'string') throw invalid('resources', 'Every resource must be a valid string', resource);
    }
    const message = [
      `${site.host} wants you to sign in with your Ethereum account:`, address.toLowerCase(), '',
      ...(statement ? [statement] : []), '',
      `URI: ${site.href}`, 'Version: 1', `Chain ID: ${chainId}`, ...line('Nonce', nonce),
      `Issued At: ${(given.issuedAt ?? new Date()).toISOString()}`,
      ...line('Expiration Time', given.expirationTime && given.expirationTime.toISOString()),
      ...line('Not Before', given.notBefore && given.notBefore.toISOString()),
      ...line('Request ID', given.requestId),
      ...(resources ? ['Resources:', ...resources.map((resource) => `- ${resource}`)] : []),
    ].join('\n');
    const hex = Array.from(new TextEncoder().encode(message), (b) => b.toString(16).padStart(2, '0')).join('');
    return [message, await wallet.request({ method: 'personal_sign', params: [`0x${hex}`, address.toLowerCase()] })];
  }

  // Sign-In with Solana: the wallet's own signIn() when it has one, else the message built
  // here and signMessage(): [message, signature bytes].
  async function signSolana(wallet, statement, options) {
    const site = siteOf(options);
    const given = options.signInWithSolana || {};
    if (wallet.signIn) {
      const output = await wallet.signIn({
        issuedAt: new Date().toISOString(), ...options.signInWithSolana,
        version: '1', domain: site.host, uri: site.href, ...(statement ? { statement } : null),
      });
      const signedIn = Array.isArray(output) && output[0] && typeof output[0] === 'object' ? output[0]
        : output && typeof output === 'object' && 'signedMessage' in output && 'signature' in output ? output : null;
      if (!signedIn) throw web3Error('Wallet method signIn() returned unrecognized value');
      const { signedMessage, signature } = signedIn;
      if (!((typeof signedMessage === 'string' || signedMessage instanceof Uint8Array) && signature instanceof Uint8Array)) {
        throw web3Error('Wallet method signIn() API returned object without signedMessage and signature fields');
      }
      return [typeof signedMessage === 'string' ? signedMessage : new TextDecoder().decode(signedMessage), signature];
    }
    const key = wallet.publicKey;
    if (typeof wallet.signMessage !== 'function' || !key || typeof key.toBase58 !== 'function') {
      throw web3Error('Wallet does not have a compatible signMessage() and publicKey.toBase58() API');
    }
    const resources = given.resources;
    const message = [
      `${site.host} wants you to sign in with your Solana account:`, key.toBase58(), '',
      ...(statement ? [statement, ''] : []),
      'Version: 1', `URI: ${site.href}`, `Issued At: ${given.issuedAt ?? new Date().toISOString()}`,
      ...line('Not Before', given.notBefore), ...line('Expiration Time', given.expirationTime),
      ...line('Chain ID', given.chainId), ...line('Nonce', given.nonce), ...line('Request ID', given.requestId),
      ...(resources && resources.length ? ['Resources', ...resources.map((resource) => `- ${resource}`)] : []),
    ].join('\n');
    const signed = await wallet.signMessage(new TextEncoder().encode(message), 'utf8');
    // auth-js takes the bytes alone; wallets of Phantom's API answer `{ signature }`.
    const signature = signed instanceof Uint8Array ? signed : signed && signed.signature;
    if (!(signature instanceof Uint8Array)) throw web3Error('Wallet signMessage() API returned an recognized value');
    return [message, signature];
  }

  class GoTrueAdminMFAApi {
    constructor(admin) {
      this._owner = admin;
    }
    async listFactors(params) {
      checkUUID(params.userId);
      return run(this._owner, 'admin.mfa.listFactors', [params], FACTORS);
    }
    async deleteFactor(params) {
      checkUUID(params.userId);
      checkUUID(params.id);
      return run(this._owner, 'admin.mfa.deleteFactor', [params]);
    }
  }

  class GoTrueAdminApi {
    constructor(options) {
      const [data, hooks] = split(options);
      Object.assign(data, {
        persistSession: false,
        autoRefreshToken: false,
        detectSessionInUrl: false,
        skipAutoInitialize: true,
      });
      this._throwOnError = !!data.throwOnError;
      attach(this, data, { fetch: hooks.fetch });
      this.mfa = new GoTrueAdminMFAApi(this);
      const call = (op, shape) => (...args) => run(this, op, args, shape);
      this.oauth = {
        listClients: call('admin.oauth.listClients', CLIENTS),
        createClient: call('admin.oauth.createClient'),
        getClient: call('admin.oauth.getClient'),
        updateClient: call('admin.oauth.updateClient'),
        deleteClient: call('admin.oauth.deleteClient'),
        regenerateClientSecret: call('admin.oauth.regenerateClientSecret'),
      };
      this.customProviders = {
        listProviders: call('admin.customProviders.listProviders', PROVIDERS),
        createProvider: call('admin.customProviders.createProvider'),
        getProvider: call('admin.customProviders.getProvider'),
        updateProvider: call('admin.customProviders.updateProvider'),
        deleteProvider: call('admin.customProviders.deleteProvider'),
      };
      this.passkey = {
        listPasskeys: async (params) => {
          checkUUID(params.userId);
          return run(this, 'admin.passkey.listPasskeys', [params]);
        },
        deletePasskey: async (params) => {
          checkUUID(params.userId);
          checkUUID(params.passkeyId);
          return run(this, 'admin.passkey.deletePasskey', [params]);
        },
      };
    }
    listUsers(params) { return run(this, 'admin.listUsers', [params], USERS); }
    createUser(attributes) { return run(this, 'admin.createUser', [attributes], USER); }
    async getUserById(uid) {
      checkUUID(uid);
      return run(this, 'admin.getUserById', [uid], USER);
    }
    async updateUserById(uid, attributes) {
      checkUUID(uid);
      return run(this, 'admin.updateUserById', [uid, attributes], USER);
    }
    async deleteUser(id, shouldSoftDelete) {
      checkUUID(id);
      // As auth-js: the server answers the DELETE with `{}`, so the user is read first.
      const found = await run(this, 'admin.getUserById', [id], USER);
      if (found.error) return found;
      const deleted = await run(this, 'admin.deleteUser', [id, shouldSoftDelete === true]);
      return deleted.error ? deleted : found;
    }
    inviteUserByEmail(email, options) { return run(this, 'admin.inviteUserByEmail', [email, options], USER); }
    generateLink(params) { return run(this, 'admin.generateLink', [params], LINK); }
    async signOut(jwt, scope = SIGN_OUT_SCOPES[0]) {
      if (!SIGN_OUT_SCOPES.includes(scope)) {
        throw new Error(`@supabase/auth-js: Parameter scope must be one of ${SIGN_OUT_SCOPES.join(', ')}`);
      }
      return run(this, 'admin.signOut', [jwt, scope]);
    }
  }

  // `client.mfa.webauthn`: auth-js's WebAuthn MFA steps over mfa.enroll/challenge/verify, with
  // the browser's ceremony in between.
  class WebAuthnApi {
    constructor(client) {
      this._client = client;
      this.enroll = (params) => client.mfa.enroll({ ...params, factorType: 'webauthn' });
      // As auth-js: anything unexpected in a ceremony step is an AuthUnknownError result.
      const guarded = (what, step) => (params, overrides) =>
        step.call(this, params, overrides).catch((error) => {
          if (isAuthError(error)) return { data: null, error };
          return { data: null, error: new AuthUnknownError(`Unexpected error in ${what}`, error) };
        });
      this.challenge = guarded('challenge', this._challenge);
      this.verify = ({ challengeId, factorId, webauthn }) =>
        client.mfa.verify({ factorId, challengeId, webauthn: { ...webauthn, credential_response: credentialJSON(webauthn.credential_response) } });
      this.authenticate = guarded('authenticate', this._authenticate);
      this.register = guarded('register', this._register);
    }
    async _challenge({ factorId, webauthn, friendlyName, signal }, overrides) {
      const client = this._client;
      const { data: challenge, error } = await client.mfa.challenge({ factorId, webauthn });
      if (!challenge) return { data: null, error };
      const step = challenge.webauthn;
      if (!step) return { data: null, error: new AuthUnknownError('The challenge has no WebAuthn options', null) };
      const json = step.credential_options.publicKey;
      let result;
      if (step.type === 'create') {
        // WebAuthn refuses a blank user name: auth-js's `<user id>:<name>` stand-in.
        const user = { ...json.user };
        if (!user.name) {
          let name = friendlyName;
          if (!name) {
            const { data } = await client.getUser();
            const found = data && data.user;
            name = (found && ((found.user_metadata && found.user_metadata.name) || found.email || found.id)) || 'User';
          }
          user.name = `${user.id}:${name}`;
        }
        if (!user.displayName) user.displayName = user.name;
        const publicKey = merge(CREATE_DEFAULTS, creationOptions({ ...json, user }), overrides && overrides.create);
        result = await ceremony('create', { publicKey, signal });
      } else {
        const publicKey = merge(REQUEST_DEFAULTS, requestOptions(json), overrides && overrides.request);
        result = await ceremony('get', { ...step.credential_options, publicKey, signal });
      }
      if (!result.data) return { data: null, error: result.error };
      return {
        data: { factorId, challengeId: challenge.id, webauthn: { type: step.type, credential_response: result.data } },
        error: null,
      };
    }
    async _authenticate({ factorId, webauthn = {} }, overrides) {
      const { rpId = isBrowser() ? window.location.hostname : undefined, rpOrigins = isBrowser() ? [window.location.origin] : undefined, signal } = webauthn;
      if (!rpId) return { data: null, error: new AuthError('rpId is required for WebAuthn authentication') };
      if (!browserSupportsWebAuthn()) return noWebAuthn();
      const { data, error } = await this._challenge({ factorId, webauthn: { rpId, rpOrigins }, signal }, { request: overrides });
      if (!data) return { data: null, error };
      const { type, credential_response } = data.webauthn;
      return this.verify({ factorId, challengeId: data.challengeId, webauthn: { type, rpId, rpOrigins, credential_response } });
    }
    async _register({ friendlyName, webauthn = {} }, overrides) {
      const client = this._client;
      const { rpId = isBrowser() ? window.location.hostname : undefined, rpOrigins = isBrowser() ? [window.location.origin] : undefined, signal } = webauthn;
      if (!rpId) return { data: null, error: new AuthError('rpId is required for WebAuthn registration') };
      if (!browserSupportsWebAuthn()) return noWebAuthn();
      const { data: factor, error } = await this.enroll({ friendlyName });
      if (!factor) {
        // As auth-js: an unverified factor of this name left by an earlier failed attempt is
        // removed, so that a retry can take the name (a verified one is never touched).
        const { data: factors } = await client.mfa.listFactors();
        const stale = factors && factors.all.find((f) => f.factor_type === 'webauthn' && f.friendly_name === friendlyName && f.status === 'unverified');
        if (stale) await client.mfa.unenroll({ factorId: stale.id });
        return { data: null, error };
      }
      const challenged = await this._challenge(
        { factorId: factor.id, friendlyName: factor.friendly_name, webauthn: { rpId, rpOrigins }, signal },
        { create: overrides },
      );
      if (!challenged.data) return { data: null, error: challenged.error };
      const { type, credential_response } = challenged.data.webauthn;
      return this.verify({ factorId: factor.id, challengeId: challenged.data.challengeId, webauthn: { rpId, rpOrigins, type, credential_response } });
    }
  }

  class GoTrueMFAApi {
    constructor(client) {
      this._owner = client;
      this.webauthn = new WebAuthnApi(client);
      // auth-js's experimental namespace: every call throws unless the client opted in.
      const codes = (op) => async (...args) => {
        const flags = client._options.experimental;
        if (!(flags && flags.recoveryCodes)) {
          throw new Error(
            '@supabase/auth-js: the MFA recovery codes API is experimental and disabled by default. Enable it by passing `auth: { experimental: { recoveryCodes: true } }` to createClient (or to the GoTrueClient constructor).',
          );
        }
        return run(client, op, args);
      };
      this.recoveryCodes = {
        getStatus: codes('mfa.recoveryCodes.getStatus'),
        generate: codes('mfa.recoveryCodes.generate'),
        verify: codes('mfa.recoveryCodes.verify'),
        regenerate: codes('mfa.recoveryCodes.regenerate'),
        unenroll: codes('mfa.recoveryCodes.unenroll'),
      };
    }
    async enroll(params) {
      const result = await run(this._owner, 'mfa.enroll', [params]);
      // As auth-js: the server's SVG as a data URI, ready for an <img src>.
      const totp = result.data && result.data.totp;
      if (totp && totp.qr_code && !totp.qr_code.startsWith('data:')) totp.qr_code = `data:image/svg+xml;utf-8,${totp.qr_code}`;
      return result;
    }
    challenge(params) { return run(this._owner, 'mfa.challenge', [params]); }
    verify(params) { return run(this._owner, 'mfa.verify', [params]); }
    async challengeAndVerify(params) {
      // As auth-js: a challenge, then its verification with the code; without a code, the
      // browser's WebAuthn ceremony answers the challenge (the server's options as they are).
      const owner = this._owner;
      const object = params && typeof params === 'object' && !Array.isArray(params);
      const { factorId, code } = object ? params : {};
      const unknown = (message) => failed(owner, toAuthError([UNKNOWN, message]));
      if (typeof factorId === 'string' && code != null && typeof code !== 'string') {
        return failed(owner, new AuthInvalidCredentialsError('code must be a string'));
      }
      const { data: challenge, error } = await run(owner, 'mfa.challenge', [object ? { factorId } : params]);
      if (error) return { data: null, error };
      let answer = { code };
      if (code == null) {
        const step = challenge.webauthn;
        if (!step) return unknown('The challenge has no WebAuthn options');
        const type = step.type || 'request';
        try {
          const options = step.credential_options || {};
          const json = options.publicKey || options;
          const publicKey = type === 'create' ? creationOptions(json) : requestOptions(json);
          const credential = await navigator.credentials[type === 'create' ? 'create' : 'get']({ publicKey });
          answer = { webauthn: { type, credential_response: credentialJSON(credential) } };
          if (!credential) throw 0;
        } catch {
          return unknown("The browser's WebAuthn ceremony failed or was cancelled");
        }
      }
      return run(owner, 'mfa.verify', [{ factorId, challengeId: challenge.id, ...answer }]);
    }
    unenroll(params) { return run(this._owner, 'mfa.unenroll', [params], ID); }
    async listFactors() {
      // As auth-js: the user's factors, and the verified ones by type.
      const { data, error } = await this._owner.getUser();
      if (error) return { data: null, error };
      const factors = { all: [], phone: [], totp: [], webauthn: [], recovery_code: [] };
      for (const factor of (data.user && data.user.factors) || []) {
        factors.all.push(factor);
        if (factor.status === 'verified' && Array.isArray(factors[factor.factor_type])) factors[factor.factor_type].push(factor);
      }
      return { data: factors, error: null };
    }
    async getAuthenticatorAssuranceLevel(jwt) {
      // As auth-js: read from the access token's claims and the user's factors (the server's
      // user for a given token, the session's otherwise); no request of its own.
      const owner = this._owner;
      let payload, user;
      try {
        if (jwt != null && typeof jwt !== 'string') throw new AuthInvalidCredentialsError('jwt must be a string');
        if (jwt) payload = decodeJWT(jwt).payload;
        const { data, error } = jwt ? await owner.getUser(jwt) : await owner.getSession();
        if (error) return { data: null, error };
        const session = !jwt && data.session;
        if (!jwt && !session) return { data: { currentLevel: null, nextLevel: null, currentAuthenticationMethods: [] }, error: null };
        user = jwt ? data.user : session.user;
        payload = payload || decodeJWT(session.access_token).payload;
      } catch (error) {
        return failed(owner, error);
      }
      const currentLevel = payload.aal ?? null;
      return {
        data: {
          currentLevel,
          nextLevel: (user.factors || []).some((factor) => factor.status === 'verified') ? 'aal2' : currentLevel,
          // The server's own parser also takes plain method strings.
          currentAuthenticationMethods: (payload.amr || []).map((entry) => (typeof entry === 'string' ? { method: entry, timestamp: 0 } : entry)),
        },
        error: null,
      };
    }
  }

  class GoTrueClient {
    constructor(options) {
      const [data, hooks] = split(options);
      this._options = options || {};
      this._throwOnError = !!data.throwOnError;
      attach(this, data, hooks);
      const key = loaded ? null : earlyKey(this._checked, hooks);
      if (key !== null) {
        this._early = { key, text: undefined, entries: [] };
        afterHops(START_HOPS, () => settleEarly(this));
      }
      this.mfa = new GoTrueMFAApi(this);
      const call = (op) => (...args) => run(this, op, args);
      // As auth-js: a consent answered with a redirect is followed in a browser unless told not to.
      const consent = (op) => async (authorizationId, options) => {
        const result = await run(this, op, [authorizationId]);
        const url = result.data && result.data.redirect_url;
        if (url && isBrowser() && !(options && options.skipBrowserRedirect)) window.location.assign(url);
        return result;
      };
      this.oauth = {
        getAuthorizationDetails: call('oauth.getAuthorizationDetails'),
        approveAuthorization: consent('oauth.approveAuthorization'),
        denyAuthorization: consent('oauth.denyAuthorization'),
        listGrants: call('oauth.listGrants'),
        revokeGrant: call('oauth.revokeGrant'),
      };
      this.passkey = {
        startRegistration: call('passkey.startRegistration'),
        verifyRegistration: call('passkey.verifyRegistration'),
        startAuthentication: call('passkey.startAuthentication'),
        verifyAuthentication: call('passkey.verifyAuthentication'),
        list: call('passkey.list'),
        update: call('passkey.update'),
        delete: call('passkey.delete'),
      };
    }

    /** The admin API with this client's URL and headers (which must carry a service-role key). */
    get admin() {
      return (this._admin ||= new GoTrueAdminApi(this._options));
    }

    isThrowOnErrorEnabled() { return this._throwOnError; }
    initialize() { return run(this, 'initialize', []); }
    onAuthStateChange(callback) {
      // Synchronous, as in auth-js: before the module is loaded the subscription is taken
      // out as soon as it is (INITIAL_SESSION then comes as it would have). No JS closure
      // goes into the wasm: the engine names the subscriber and forgets it by that name.
      let core = null;
      let engineId = null;
      const entry = { callback, gone: false };
      const subscribe = (made) => {
        if (entry.gone) return;
        core = made;
        engineId = made.subscribe((event, sessionJson) => {
          const heard = screen(this._early, entry, event, sessionJson === null ? null : JSON.parse(sessionJson));
          return heard && callback(heard[0], heard[1]);
        });
      };
      earlyEntry(this, entry);
      if (this._core) subscribe(this._core);
      else this._pending.push(subscribe);
      const unsubscribe = () => {
        entry.gone = true;
        if (core && engineId !== null) core.unsubscribe(engineId);
      };
      return { data: { subscription: { id: `${++subscriptions}`, callback, unsubscribe } } };
    }
    signUp(credentials) { return run(this, 'signUp', [credentials]); }
    signInWithPassword(credentials) { return run(this, 'signInWithPassword', [credentials]); }
    signInWithOtp(credentials) { return run(this, 'signInWithOtp', [credentials]); }
    signInWithOAuth(credentials) { return run(this, 'signInWithOAuth', [credentials]); }
    signInWithIdToken(credentials) { return run(this, 'signInWithIdToken', [credentials]); }
    async signInWithSSO(params) {
      const result = await run(this, 'signInWithSSO', [params], URL_ONLY);
      // As auth-js: in a browser, go to the identity provider unless told not to.
      const skip = params && params.options && params.options.skipBrowserRedirect;
      if (result.data && result.data.url && !skip && typeof window !== 'undefined') window.location.assign(result.data.url);
      return result;
    }
    async signInWithWeb3(credentials) {
      // As auth-js: the wallet signs the message built here (or the app brings both), then
      // the engine's `web3` grant stores the session and tells SIGNED_IN.
      const wallet = web3Wallet(credentials);
      const { chain, statement, options } = credentials;
      let { message, signature } = credentials;
      if (wallet) [message, signature] = await (chain === 'ethereum' ? signEthereum : signSolana)(wallet, statement, options || {});
      // Solana's signature bytes go as base64url, as auth-js sends them.
      if (chain === 'solana' && typeof signature !== 'string') signature = toB64url(signature);
      return run(this, 'signInWithWeb3', [{ chain, message, signature, options: { captchaToken: options && options.captchaToken } }]);
    }
    // The passkey ceremonies: options from the server, the browser's credential, verified.
    async signInWithPasskey(credentials) {
      if (!browserSupportsWebAuthn()) return failed(this, noWebAuthn().error);
      const options = (credentials && credentials.options) || {};
      const { data: start, error } = await this.passkey.startAuthentication({ options: { captchaToken: options.captchaToken } });
      if (error || !start) return { data: null, error };
      const got = await ceremony('get', { publicKey: requestOptions(start.options), signal: options.signal, mediation: options.mediation });
      if (!got.data) return failed(this, got.error);
      return this.passkey.verifyAuthentication({ challengeId: start.challenge_id, credential: credentialJSON(got.data) });
    }
    async registerPasskey(credentials) {
      if (!browserSupportsWebAuthn()) return failed(this, noWebAuthn().error);
      const options = (credentials && credentials.options) || {};
      const { data: start, error } = await this.passkey.startRegistration();
      if (error || !start) return { data: null, error };
      const made = await ceremony('create', { publicKey: creationOptions(start.options), signal: options.signal });
      if (!made.data) return failed(this, made.error);
      return this.passkey.verifyRegistration({ challengeId: start.challenge_id, credential: credentialJSON(made.data) });
    }
    signInAnonymously(credentials) { return run(this, 'signInAnonymously', [credentials]); }
    verifyOtp(params) { return run(this, 'verifyOtp', [params]); }
    resend(params) { return run(this, 'resend', [params]); }
    resetPasswordForEmail(email, options) { return run(this, 'resetPasswordForEmail', [email, options]); }
    reauthenticate() { return run(this, 'reauthenticate', []); }
    exchangeCodeForSession(authCode, options) { return run(this, 'exchangeCodeForSession', [authCode, options]); }
    getSession() {
      // Before the module is loaded, from the stored session when start-up is the facade's.
      const early = this._early;
      const fresh = early && !this._core && freshStored(early.key);
      if (fresh) return Promise.resolve({ data: { session: fresh.session }, error: null });
      // Fast path: while localStorage holds exactly the text the engine last answered with,
      // and that session is not yet due for a refresh, the engine would answer the same
      // again. Anything else (another tab's write, removal, expiry, a failed write that sent
      // the session to memory) goes to the engine.
      const known = this._knownSession;
      if (known && this._core && readLocal(known.key) === known.text && this._core.readsLocalStorage()) {
        const session = JSON.parse(known.text);
        // Whole seconds, as the engine reads them (another client may have written a fraction).
        if (Math.trunc(Number(session.expires_at)) - known.margin > Date.now() / 1000) {
          return Promise.resolve({ data: { session }, error: null });
        }
      }
      return this._getSessionFromEngine();
    }
    async _getSessionFromEngine() {
      this._knownSession = null;
      const result = await run(this, 'getSession', []);
      const cache = result.data && result.data.cache;
      if (!cache) return result;
      delete result.data.cache;
      // Only the very text the engine read: then the engine would answer the same again.
      // Kept as localStorage's own string: while nothing writes, getItem hands that same
      // string back, so the fast path's comparison ends at once instead of char by char.
      const text = readLocal(cache.key);
      if (text === cache.text) {
        cache.text = text;
        this._knownSession = cache;
      }
      return result;
    }
    refreshSession(current) { return run(this, 'refreshSession', [current]); }
    setSession(tokens) { return run(this, 'setSession', [tokens]); }
    getUser(jwt) { return run(this, 'getUser', [jwt], USER); }
    updateUser(attributes, options) { return run(this, 'updateUser', [attributes, options]); }
    getUserIdentities() { return run(this, 'getUserIdentities', [], IDENTITIES); }
    async linkIdentity(credentials) {
      // An ID token is one request of the engine's table. OAuth, as auth-js: signInWithOAuth's
      // URL (its PKCE flow included) with `skip_http_redirect`, whose query asks the linking
      // endpoint, with the session, for the provider's address; then the browser goes there.
      const object = credentials && typeof credentials === 'object';
      if (object && 'token' in credentials) return run(this, 'linkIdentityIdToken', [credentials]);
      const options = (object && credentials.options) || {};
      const oauth = { ...options, queryParams: { ...options.queryParams, skip_http_redirect: 'true' }, skipBrowserRedirect: true };
      let result = await run(this, 'signInWithOAuth', [object ? { ...credentials, options: oauth } : credentials]);
      const flowId = (result.data && result.data.flowId) ?? null;
      if (!result.error) result = await run(this, 'linkIdentity.authorize', [result.data.url.slice(result.data.url.indexOf('?'))]);
      const provider = object ? credentials.provider : undefined;
      if (result.error) return { data: { provider, url: null, flowId }, error: result.error };
      const url = result.data.url;
      if (isBrowser() && !options.skipBrowserRedirect) window.location.assign(url);
      return { data: { provider, url, flowId }, error: null };
    }
    unlinkIdentity(identity) { return run(this, 'unlinkIdentity', [identity]); }
    async getClaims(jwt, options) {
      // As auth-js: the session's token by default (none: no claims, no error); an asymmetric
      // token with a `kid` is verified here with its key, any other by the server (getUser).
      try {
        let token = jwt;
        if (!token) {
          const { data, error } = await this.getSession();
          if (error || !data.session) return { data: null, error };
          token = data.session.access_token;
        }
        const { header, payload, signature, signed } = decodeJWT(token);
        if (!(options && options.allowExpired)) {
          if (!payload.exp) throw new AuthInvalidJwtError('Missing exp claim');
          if (payload.exp <= Math.floor(Date.now() / 1000)) throw new AuthInvalidJwtError('JWT has expired');
        }
        const { alg, kid } = header;
        const subtle = globalThis.crypto && globalThis.crypto.subtle;
        const given = options && options.keys ? { keys: options.keys } : options && options.jwks;
        const key = !alg || alg.startsWith('HS') || !kid || !subtle ? null : await signingKey(this, kid, given);
        if (key) {
          const algorithm = jwsAlgorithm(alg);
          const publicKey = await subtle.importKey('jwk', key, algorithm, true, ['verify']);
          const valid = await subtle.verify(algorithm, publicKey, signature, new TextEncoder().encode(signed));
          if (!valid) throw new AuthInvalidJwtError('Invalid JWT signature');
        } else {
          const { error } = await this.getUser(token);
          if (error) throw error;
        }
        return { data: { claims: payload, header, signature }, error: null };
      } catch (error) {
        if (isAuthError(error)) return failed(this, error);
        throw error;
      }
    }
    signOut(options) { return run(this, 'signOut', [options]); }
    async startAutoRefresh() { await run(this, 'startAutoRefresh', []); }
    async stopAutoRefresh() { await run(this, 'stopAutoRefresh', []); }
    /** Stops timers and listeners, closes the cross-tab channel and drops subscribers. */
    async dispose() {
      this._early = null;
      const core = this._core || (await this._whenCore.catch(ignore));
      if (core) core.dispose();
    }
  }

  return { GoTrueClient, GoTrueAdminApi, AuthClient: GoTrueClient, AuthAdminApi: GoTrueAdminApi };
}
