// The facade's heavy, rarely used methods, loaded on first use (client.js `later`): the
// WebAuthn ceremonies (passkey sign-in and registration, `mfa.webauthn`), the MFA
// compositions (`mfa.challengeAndVerify`, `mfa.listFactors`, `mfa.getAuthenticatorAssuranceLevel`
// with its JWT decoder), getClaims with the JWKS cache, signInWithWeb3 (wallet discovery,
// SIWE / SIWS messages), linkIdentity, the admin API and the lock helpers. Kept out of the
// start-up module so that a page pays for them only when it calls one; in a browser the
// facade fetches this file once start-up is over.
//
// This module imports nothing: the facade hands it what it shares (`run`, the error classes,
// the helpers) in `kit`, so that there is one copy of each error class (`instanceof` works
// across both files) and one engine. `defineExtras` answers the implementations by the name
// the facade's forwarding stubs call them with; each takes the client (or the admin API)
// first, then the caller's arguments.

export function defineExtras(kit) {
  // In client.js's order (a list: its names would be bytes in both files).
  const [
    run, failed, isBrowser, get, USER, SIGN_OUT_SCOPES,
    AuthError, AuthUnknownError, AuthInvalidJwtError, AuthInvalidCredentialsError, isAuthError,
    lockInternals, NavigatorLockAcquireTimeoutError, ProcessLockAcquireTimeoutError,
  ] = kit;

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

  // ---- client.mfa.webauthn: auth-js's WebAuthn MFA steps over mfa.enroll/challenge/verify,
  // with the browser's ceremony in between ----
  const webauthnVerify = (client, { challengeId, factorId, webauthn }) =>
    client.mfa.verify({ factorId, challengeId, webauthn: { ...webauthn, credential_response: credentialJSON(webauthn.credential_response) } });
  // As auth-js: anything unexpected in a ceremony step is an AuthUnknownError result.
  const guarded = (what, step) => (client, params, overrides) =>
    step(client, params, overrides).catch((error) => {
      if (isAuthError(error)) return { data: null, error };
      return { data: null, error: new AuthUnknownError(`Unexpected error in ${what}`, error) };
    });
  async function webauthnChallenge(client, { factorId, webauthn, friendlyName, signal }, overrides) {
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
  // The relying party: the caller's, else this page's.
  const relyingParty = (webauthn) => {
    const { rpId = isBrowser() ? window.location.hostname : undefined, rpOrigins = isBrowser() ? [window.location.origin] : undefined, signal } = webauthn;
    return { rpId, rpOrigins, signal };
  };
  async function webauthnAuthenticate(client, { factorId, webauthn = {} }, overrides) {
    const { rpId, rpOrigins, signal } = relyingParty(webauthn);
    if (!rpId) return { data: null, error: new AuthError('rpId is required for WebAuthn authentication') };
    if (!browserSupportsWebAuthn()) return noWebAuthn();
    const { data, error } = await webauthnChallenge(client, { factorId, webauthn: { rpId, rpOrigins }, signal }, { request: overrides });
    if (!data) return { data: null, error };
    const { type, credential_response } = data.webauthn;
    return webauthnVerify(client, { factorId, challengeId: data.challengeId, webauthn: { type, rpId, rpOrigins, credential_response } });
  }
  async function webauthnRegister(client, { friendlyName, webauthn = {} }, overrides) {
    const { rpId, rpOrigins, signal } = relyingParty(webauthn);
    if (!rpId) return { data: null, error: new AuthError('rpId is required for WebAuthn registration') };
    if (!browserSupportsWebAuthn()) return noWebAuthn();
    const { data: factor, error } = await client.mfa.webauthn.enroll({ friendlyName });
    if (!factor) {
      // As auth-js: an unverified factor of this name left by an earlier failed attempt is
      // removed, so that a retry can take the name (a verified one is never touched).
      const { data: factors } = await client.mfa.listFactors();
      const stale = factors && factors.all.find((f) => f.factor_type === 'webauthn' && f.friendly_name === friendlyName && f.status === 'unverified');
      if (stale) await client.mfa.unenroll({ factorId: stale.id });
      return { data: null, error };
    }
    const challenged = await webauthnChallenge(
      client,
      { factorId: factor.id, friendlyName: factor.friendly_name, webauthn: { rpId, rpOrigins }, signal },
      { create: overrides },
    );
    if (!challenged.data) return { data: null, error: challenged.error };
    const { type, credential_response } = challenged.data.webauthn;
    return webauthnVerify(client, { factorId: factor.id, challengeId: challenged.data.challengeId, webauthn: { rpId, rpOrigins, type, credential_response } });
  }

  // ---- The admin API, by engine operation (client.js forwards each method here) ----
  // auth-js's checks that throw (programming errors) rather than answer an error: the
  // methods reject, as auth-js's async methods do.
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  function checkUUID(value) {
    if (!UUID.test(value)) throw new Error('@supabase/auth-js: Expected parameter to be UUID but is not');
  }
  // `data` of the rows that auth-js reshapes from the server's answer (src/js/engine.rs,
  // `Answer`); `Answer::Listed` is [answer, nextPage, lastPage, total, total when a Link
  // header came].
  const USERS = ([body, nextPage, lastPage, total]) => ({ users: get(body, 'users', []), aud: get(body, 'aud'), nextPage, lastPage, total });
  const CLIENTS = ([body, nextPage, lastPage, , total]) => ({
    ...(body && typeof body === 'object' && !Array.isArray(body) && body), nextPage, lastPage, total,
  });
  const PROVIDERS = ([body]) => ({ providers: get(body, 'providers') ?? [] });
  const FACTORS = (body) => ({ factors: body });
  // generate_link's flat answer: the link's properties, and the user without them.
  function LINK(user) {
    const properties = {};
    for (const key of ['action_link', 'email_otp', 'hashed_token', 'redirect_to', 'verification_type']) {
      properties[key] = get(user, key);
      delete user[key];
    }
    return { properties, user };
  }
  // An operation of the request table with the caller's arguments, its answer shaped.
  const row = (op, shape) => (admin, ...args) => run(admin, op, args, shape);
  const admin = {
    'admin.listUsers': (admin, params) => run(admin, 'admin.listUsers', [params], USERS),
    'admin.createUser': (admin, attributes) => run(admin, 'admin.createUser', [attributes], USER),
    async 'admin.getUserById'(admin, uid) {
      checkUUID(uid);
      return run(admin, 'admin.getUserById', [uid], USER);
    },
    async 'admin.updateUserById'(admin, uid, attributes) {
      checkUUID(uid);
      return run(admin, 'admin.updateUserById', [uid, attributes], USER);
    },
    async 'admin.deleteUser'(admin, id, shouldSoftDelete) {
      checkUUID(id);
      // As auth-js: the server answers the DELETE with `{}`, so the user is read first.
      const found = await run(admin, 'admin.getUserById', [id], USER);
      if (found.error) return found;
      const deleted = await run(admin, 'admin.deleteUser', [id, shouldSoftDelete === true]);
      return deleted.error ? deleted : found;
    },
    'admin.inviteUserByEmail': (admin, email, options) => run(admin, 'admin.inviteUserByEmail', [email, options], USER),
    'admin.generateLink': (admin, params) => run(admin, 'admin.generateLink', [params], LINK),
    async 'admin.signOut'(admin, jwt, scope = SIGN_OUT_SCOPES[0]) {
      if (!SIGN_OUT_SCOPES.includes(scope)) {
        throw new Error(`@supabase/auth-js: Parameter scope must be one of ${SIGN_OUT_SCOPES.join(', ')}`);
      }
      return run(admin, 'admin.signOut', [jwt, scope]);
    },
    async 'admin.mfa.listFactors'(admin, params) {
      checkUUID(params.userId);
      return run(admin, 'admin.mfa.listFactors', [params], FACTORS);
    },
    async 'admin.mfa.deleteFactor'(admin, params) {
      checkUUID(params.userId);
      checkUUID(params.id);
      return run(admin, 'admin.mfa.deleteFactor', [params]);
    },
    'admin.oauth.listClients': row('admin.oauth.listClients', CLIENTS),
    'admin.customProviders.listProviders': row('admin.customProviders.listProviders', PROVIDERS),
    async 'admin.passkey.listPasskeys'(admin, params) {
      checkUUID(params.userId);
      return run(admin, 'admin.passkey.listPasskeys', [params]);
    },
    async 'admin.passkey.deletePasskey'(admin, params) {
      checkUUID(params.userId);
      checkUUID(params.passkeyId);
      return run(admin, 'admin.passkey.deletePasskey', [params]);
    },
  };
  for (const name of ['createClient', 'getClient', 'updateClient', 'deleteClient', 'regenerateClientSecret']) {
    admin[`admin.oauth.${name}`] = row(`admin.oauth.${name}`);
  }
  for (const name of ['createProvider', 'getProvider', 'updateProvider', 'deleteProvider']) {
    admin[`admin.customProviders.${name}`] = row(`admin.customProviders.${name}`);
  }

  // auth-js's experimental MFA recovery codes: every call throws unless the client opted in.
  const recoveryCodes = {};
  for (const name of ['getStatus', 'generate', 'verify', 'regenerate', 'unenroll']) {
    recoveryCodes[`mfa.recoveryCodes.${name}`] = async (client, ...args) => {
      const flags = client._options.experimental;
      if (!(flags && flags.recoveryCodes)) {
        throw new Error(
          '@supabase/auth-js: the MFA recovery codes API is experimental and disabled by default. Enable it by passing `auth: { experimental: { recoveryCodes: true } }` to createClient (or to the GoTrueClient constructor).',
        );
      }
      return run(client, `mfa.recoveryCodes.${name}`, args);
    };
  }

  // ---- auth-js's lock helpers (locks.js keeps their error classes and debug switch) ----
  function log(...args) {
    if (lockInternals.debug) console.log('gotrue-wasm lock:', ...args);
  }

  /**
   * Runs `fn` holding the exclusive Web Lock `name` (`navigator.locks`), shared by every tab of
   * the origin. `acquireTimeout`: negative waits for ever, 0 fails at once when the lock is
   * held, positive fails after that many milliseconds; the failure has `isAcquireTimeout`.
   */
  async function navigatorLock(name, acquireTimeout, fn) {
    const locks = globalThis.navigator?.locks;
    if (!locks) throw new Error('navigatorLock needs the Web Locks API (navigator.locks)');
    const abort = new AbortController();
    const timer = acquireTimeout > 0 ? setTimeout(() => abort.abort(), acquireTimeout) : undefined;
    const options = acquireTimeout === 0 ? { mode: 'exclusive', ifAvailable: true } : { mode: 'exclusive', signal: abort.signal };
    log('acquire', name, acquireTimeout);
    try {
      return await locks.request(name, options, async (lock) => {
        clearTimeout(timer);
        if (!lock) throw new NavigatorLockAcquireTimeoutError(`The lock "${name}" is held elsewhere`);
        log('acquired', name);
        try {
          return await fn();
        } finally {
          log('released', name);
        }
      });
    } catch (error) {
      clearTimeout(timer);
      if (abort.signal.aborted && error?.name === 'AbortError') {
        throw new NavigatorLockAcquireTimeoutError(`The lock "${name}" was not free within ${acquireTimeout} ms`);
      }
      throw error;
    }
  }

  // For each name, the promise that settles when the last holder (or waiter) is done.
  const held = new Map();

  /**
   * Runs `fn` holding the exclusive lock `name` of this JavaScript realm (one tab, one Node
   * process). `acquireTimeout` as for `navigatorLock`.
   */
  async function processLock(name, acquireTimeout, fn) {
    const previous = held.get(name) ?? Promise.resolve();
    let release;
    const mine = new Promise((done) => {
      release = done;
    });
    // The next caller waits for this one, whether it gets the lock or gives up.
    const tail = previous.then(() => mine);
    held.set(name, tail);
    try {
      if (acquireTimeout >= 0) {
        let timer;
        const timeout = new Promise((_, fail) => {
          timer = setTimeout(
            () => fail(new ProcessLockAcquireTimeoutError(`The lock "${name}" was not free within ${acquireTimeout} ms`)),
            acquireTimeout,
          );
        });
        try {
          await Promise.race([previous, timeout]);
        } finally {
          clearTimeout(timer);
        }
      } else {
        await previous;
      }
      log('acquired', name);
      return await fn();
    } finally {
      release();
      if (held.get(name) === tail) held.delete(name);
    }
  }

  // As auth-js: a consent answered with a redirect is followed in a browser unless told not to.
  const consent = (op) => async (client, authorizationId, options) => {
    const result = await run(client, op, [authorizationId]);
    const url = result.data && result.data.redirect_url;
    if (url && isBrowser() && !(options && options.skipBrowserRedirect)) window.location.assign(url);
    return result;
  };

  return {
    navigatorLock,
    processLock,
    'webauthn.challenge': guarded('challenge', webauthnChallenge),
    'webauthn.verify': webauthnVerify,
    'webauthn.authenticate': guarded('authenticate', webauthnAuthenticate),
    'webauthn.register': guarded('register', webauthnRegister),

    // The passkey ceremonies: options from the server, the browser's credential, verified.
    async signInWithPasskey(client, credentials) {
      if (!browserSupportsWebAuthn()) return failed(client, noWebAuthn().error);
      const options = (credentials && credentials.options) || {};
      const { data: start, error } = await client.passkey.startAuthentication({ options: { captchaToken: options.captchaToken } });
      if (error || !start) return { data: null, error };
      const got = await ceremony('get', { publicKey: requestOptions(start.options), signal: options.signal, mediation: options.mediation });
      if (!got.data) return failed(client, got.error);
      return client.passkey.verifyAuthentication({ challengeId: start.challenge_id, credential: credentialJSON(got.data) });
    },
    async registerPasskey(client, credentials) {
      if (!browserSupportsWebAuthn()) return failed(client, noWebAuthn().error);
      const options = (credentials && credentials.options) || {};
      const { data: start, error } = await client.passkey.startRegistration();
      if (error || !start) return { data: null, error };
      const made = await ceremony('create', { publicKey: creationOptions(start.options), signal: options.signal });
      if (!made.data) return failed(client, made.error);
      return client.passkey.verifyRegistration({ challengeId: start.challenge_id, credential: credentialJSON(made.data) });
    },

    async signInWithWeb3(client, credentials) {
      // As auth-js: the wallet signs the message built here (or the app brings both), then
      // the engine's `web3` grant stores the session and tells SIGNED_IN.
      const wallet = web3Wallet(credentials);
      const { chain, statement, options } = credentials;
      let { message, signature } = credentials;
      if (wallet) [message, signature] = await (chain === 'ethereum' ? signEthereum : signSolana)(wallet, statement, options || {});
      // Solana's signature bytes go as base64url, as auth-js sends them.
      if (chain === 'solana' && typeof signature !== 'string') signature = toB64url(signature);
      return run(client, 'signInWithWeb3', [{ chain, message, signature, options: { captchaToken: options && options.captchaToken } }]);
    },

    async linkIdentity(client, credentials) {
      // An ID token is one request of the engine's table. OAuth, as auth-js: signInWithOAuth's
      // URL (its PKCE flow included) with `skip_http_redirect`, whose query asks the linking
      // endpoint, with the session, for the provider's address; then the browser goes there.
      const object = credentials && typeof credentials === 'object';
      if (object && 'token' in credentials) return run(client, 'linkIdentityIdToken', [credentials]);
      const options = (object && credentials.options) || {};
      const oauth = { ...options, queryParams: { ...options.queryParams, skip_http_redirect: 'true' }, skipBrowserRedirect: true };
      let result = await run(client, 'signInWithOAuth', [object ? { ...credentials, options: oauth } : credentials]);
      const flowId = (result.data && result.data.flowId) ?? null;
      if (!result.error) result = await run(client, 'linkIdentity.authorize', [result.data.url.slice(result.data.url.indexOf('?'))]);
      const provider = object ? credentials.provider : undefined;
      if (result.error) return { data: { provider, url: null, flowId }, error: result.error };
      const url = result.data.url;
      if (isBrowser() && !options.skipBrowserRedirect) window.location.assign(url);
      return { data: { provider, url, flowId }, error: null };
    },

    async getClaims(client, jwt, options) {
      // As auth-js: the session's token by default (none: no claims, no error); an asymmetric
      // token with a `kid` is verified here with its key, any other by the server (getUser).
      try {
        let token = jwt;
        if (!token) {
          const { data, error } = await client.getSession();
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
        const key = !alg || alg.startsWith('HS') || !kid || !subtle ? null : await signingKey(client, kid, given);
        if (key) {
          const algorithm = jwsAlgorithm(alg);
          const publicKey = await subtle.importKey('jwk', key, algorithm, true, ['verify']);
          const valid = await subtle.verify(algorithm, publicKey, signature, new TextEncoder().encode(signed));
          if (!valid) throw new AuthInvalidJwtError('Invalid JWT signature');
        } else {
          const { error } = await client.getUser(token);
          if (error) throw error;
        }
        return { data: { claims: payload, header, signature }, error: null };
      } catch (error) {
        if (isAuthError(error)) return failed(client, error);
        throw error;
      }
    },

    async challengeAndVerify(client, params) {
      // As auth-js: a challenge, then its verification with the code; without a code, the
      // browser's WebAuthn ceremony answers the challenge (the server's options as they are).
      const object = params && typeof params === 'object' && !Array.isArray(params);
      const { factorId, code } = object ? params : {};
      const unknown = (message) => failed(client, new AuthUnknownError(message, undefined));
      if (typeof factorId === 'string' && code != null && typeof code !== 'string') {
        return failed(client, new AuthInvalidCredentialsError('code must be a string'));
      }
      const { data: challenge, error } = await run(client, 'mfa.challenge', [object ? { factorId } : params]);
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
      return run(client, 'mfa.verify', [{ factorId, challengeId: challenge.id, ...answer }]);
    },
    async listFactors(client) {
      // As auth-js: the user's factors, and the verified ones by type.
      const { data, error } = await client.getUser();
      if (error) return { data: null, error };
      const factors = { all: [], phone: [], totp: [], webauthn: [], recovery_code: [] };
      for (const factor of (data.user && data.user.factors) || []) {
        factors.all.push(factor);
        if (factor.status === 'verified' && Array.isArray(factors[factor.factor_type])) factors[factor.factor_type].push(factor);
      }
      return { data: factors, error: null };
    },
    async getAuthenticatorAssuranceLevel(client, jwt) {
      // As auth-js: read from the access token's claims and the user's factors (the server's
      // user for a given token, the session's otherwise); no request of its own.
      let payload, user;
      try {
        if (jwt != null && typeof jwt !== 'string') throw new AuthInvalidCredentialsError('jwt must be a string');
        if (jwt) payload = decodeJWT(jwt).payload;
        const { data, error } = jwt ? await client.getUser(jwt) : await client.getSession();
        if (error) return { data: null, error };
        const session = !jwt && data.session;
        if (!jwt && !session) return { data: { currentLevel: null, nextLevel: null, currentAuthenticationMethods: [] }, error: null };
        user = jwt ? data.user : session.user;
        payload = payload || decodeJWT(session.access_token).payload;
      } catch (error) {
        return failed(client, error);
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
    },

    ...admin,
    ...recoveryCodes,

    'oauth.approveAuthorization': consent('oauth.approveAuthorization'),
    'oauth.denyAuthorization': consent('oauth.denyAuthorization'),
    async 'mfa.enroll'(client, params) {
      const result = await run(client, 'mfa.enroll', [params]);
      // As auth-js: the server's SVG as a data URI, ready for an <img src>.
      const totp = result.data && result.data.totp;
      if (totp && totp.qr_code && !totp.qr_code.startsWith('data:')) totp.qr_code = `data:image/svg+xml;utf-8,${totp.qr_code}`;
      return result;
    },
    async signInWithSSO(client, params) {
      const result = await run(client, 'signInWithSSO', [params], (body) => ({ url: get(body, 'url') }));
      // As auth-js: in a browser, go to the identity provider unless told not to.
      const skip = params && params.options && params.options.skipBrowserRedirect;
      if (result.data && result.data.url && !skip && typeof window !== 'undefined') window.location.assign(result.data.url);
      return result;
    },
  };
}
