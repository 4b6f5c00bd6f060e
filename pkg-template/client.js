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
import { lockInternals, NavigatorLockAcquireTimeoutError, ProcessLockAcquireTimeoutError } from './locks.js';

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
// (Named here, not written in the calls: scripts/size.sh counts the quoted names in `run(…)`.)
const ID = member('id');
const IDENTITIES = member('identities');
/** The scopes `signOut` takes. */
export const SIGN_OUT_SCOPES = ['global', 'local', 'others'];

// `importExtras` imports extras.js, as the entry point can (see web.js).
export function defineClients(Core, loading, importExtras) {
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

  // A result-returning method's failure as its result (or thrown, with throwOnError).
  function failed(owner, error) {
    if (owner._throwOnError) throw error;
    return { data: null, error };
  }

  // ---- The heavy, rarely used methods: extras.js, loaded on first use ----
  // WebAuthn, the MFA compositions, getClaims, signInWithWeb3, linkIdentity and the admin
  // API's compositions live in extras.js (see there); their methods here are forwarding
  // stubs. The module imports nothing: it gets what it shares with this one from `kit`, a
  // list (its names would be bytes in both files) that extras.js reads in this order.
  const kit = [
    run, failed, isBrowser, get, USER, SIGN_OUT_SCOPES,
    AuthError, AuthUnknownError, AuthInvalidJwtError, AuthInvalidCredentialsError, isAuthError,
    lockInternals, NavigatorLockAcquireTimeoutError, ProcessLockAcquireTimeoutError,
  ];
  // The loaded module's implementations; a failed load is forgotten, so the next call tries
  // again (nothing is left rejected and unhandled).
  let extras = null;
  function loadExtras() {
    const loading = (extras ||= importExtras().then((module) => module.defineExtras(kit)));
    loading.catch(() => {
      if (extras === loading) extras = null;
    });
    return loading;
  }
  // Calls the extras' `name` for `owner` (the client or the admin API). When the module cannot
  // be loaded, the method answers as auth-js's do for an unexpected failure: an
  // AuthUnknownError carrying the cause (thrown with throwOnError).
  async function later(owner, name, args) {
    let implementations;
    try {
      implementations = await loadExtras();
    } catch (cause) {
      return failed(owner, new AuthUnknownError('gotrue-wasm: could not load extras.js', cause));
    }
    return implementations[name](owner, ...args);
  }
  // A namespace of methods bound to `owner` (as auth-js binds them), from their names: each
  // sends its arguments as given to the operation `prefix.name` (`via`: run, the engine's
  // table; later, extras.js).
  const calls = (owner, prefix, names, via = run) =>
    Object.fromEntries(names.split(' ').map((name) => [name, (...args) => via(owner, `${prefix}.${name}`, args)]));
  // In a browser, the first client fetches extras.js once its start-up is over (initialized,
  // then an idle moment), so that it does not compete with the cold start and is there
  // before a page needs it. A failed fetch is quiet: the first call tries again.
  let prefetching = false;
  function prefetchAfter(startUp) {
    if (prefetching || !isBrowser()) return;
    prefetching = true;
    const fetchIt = () => loadExtras().catch(ignore);
    const idle = () => (globalThis.requestIdleCallback ? requestIdleCallback(fetchIt, { timeout: 2000 }) : setTimeout(fetchIt, 50));
    startUp().then(idle, idle);
  }

  // The admin API: every method is extras.js's, under its engine operation's name (the
  // top-level ones on the prototype, as methods; the namespaces' bound, as auth-js binds them).
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
      this.mfa = calls(this, 'admin.mfa', 'listFactors deleteFactor', later);
      this.oauth = calls(this, 'admin.oauth', 'listClients createClient getClient updateClient deleteClient regenerateClientSecret', later);
      this.customProviders = calls(this, 'admin.customProviders', 'listProviders createProvider getProvider updateProvider deleteProvider', later);
      this.passkey = calls(this, 'admin.passkey', 'listPasskeys deletePasskey', later);
    }
  }
  for (const name of 'listUsers createUser getUserById updateUserById deleteUser inviteUserByEmail generateLink signOut'.split(' ')) {
    Object.defineProperty(GoTrueAdminApi.prototype, name, {
      value(...args) {
        return later(this, `admin.${name}`, args);
      },
      writable: true,
      configurable: true,
    });
  }

  class GoTrueMFAApi {
    constructor(client) {
      this._owner = client;
      // `client.mfa.webauthn`: auth-js's WebAuthn MFA steps over enroll/challenge/verify, with
      // the browser's ceremony in between (bound, as auth-js binds them).
      this.webauthn = calls(client, 'webauthn', 'challenge verify authenticate register', later);
      this.webauthn.enroll = (params) => this.enroll({ ...params, factorType: 'webauthn' });
      // auth-js's experimental namespace (every call throws unless the client opted in).
      this.recoveryCodes = calls(client, 'mfa.recoveryCodes', 'getStatus generate verify regenerate unenroll', later);
    }
    enroll(params) { return later(this._owner, 'mfa.enroll', [params]); }
    challenge(params) { return run(this._owner, 'mfa.challenge', [params]); }
    verify(params) { return run(this._owner, 'mfa.verify', [params]); }
    challengeAndVerify(params) { return later(this._owner, 'challengeAndVerify', [params]); }
    unenroll(params) { return run(this._owner, 'mfa.unenroll', [params], ID); }
    listFactors() { return later(this._owner, 'listFactors', []); }
    getAuthenticatorAssuranceLevel(jwt) { return later(this._owner, 'getAuthenticatorAssuranceLevel', [jwt]); }
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
      // Start-up is the engine's initialization, or only the module's when the app starts it.
      prefetchAfter(() => (this._checked && this._checked[3] & 32 ? this.initialize() : this._whenCore));
      this.mfa = new GoTrueMFAApi(this);
      this.oauth = calls(this, 'oauth', 'getAuthorizationDetails listGrants revokeGrant');
      Object.assign(this.oauth, calls(this, 'oauth', 'approveAuthorization denyAuthorization', later));
      this.passkey = calls(this, 'passkey', 'startRegistration verifyRegistration startAuthentication verifyAuthentication list update delete');
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
    signInWithSSO(params) { return later(this, 'signInWithSSO', [params]); }
    signInWithWeb3(credentials) { return later(this, 'signInWithWeb3', [credentials]); }
    signInWithPasskey(credentials) { return later(this, 'signInWithPasskey', [credentials]); }
    registerPasskey(credentials) { return later(this, 'registerPasskey', [credentials]); }
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
    linkIdentity(credentials) { return later(this, 'linkIdentity', [credentials]); }
    unlinkIdentity(identity) { return run(this, 'unlinkIdentity', [identity]); }
    getClaims(jwt, options) { return later(this, 'getClaims', [jwt, options]); }
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

  // auth-js's lock helpers: extras.js's, loaded on the first call (a failed load rejects the
  // call, as these throw). One set per entry point, so processLock's queue is one.
  async function navigatorLock(name, acquireTimeout, fn) {
    return (await loadExtras()).navigatorLock(name, acquireTimeout, fn);
  }
  async function processLock(name, acquireTimeout, fn) {
    return (await loadExtras()).processLock(name, acquireTimeout, fn);
  }

  return { GoTrueClient, GoTrueAdminApi, AuthClient: GoTrueClient, AuthAdminApi: GoTrueAdminApi, navigatorLock, processLock };
}
