// The fault-injection page (tests/e2e/faults.test.mjs): loads gotrue-wasm and @supabase/auth-js
// side by side and runs one operation on a fresh client of either, against a server whose
// answers the test scripts with page.route. Exposes:
//   window.runCase(spec)       one operation on a new client; resolves to what a user would see
//   window.detectUrl(spec)     a client started on this page's URL (URL detection)
//   window.subscriptionBurst(n) wasm memory before/after n subscribe+unsubscribe pairs
// `?pkg=` picks the package directory (default pkg/), so an older build can be measured too.
const pkgDir = new URLSearchParams(location.search).get('pkg') ?? 'pkg';
// Our wasm's linear memory, for subscriptionBurst: web.js is one bundled module that keeps its
// instance to itself, so the page notes the instance WebAssembly hands out while it loads.
let ourMemory = null;
const noteMemory = (result) => {
  const exports = (result.instance ?? result).exports;
  ourMemory = Object.values(exports).find((value) => value instanceof WebAssembly.Memory) ?? ourMemory;
  return result;
};
for (const name of ['instantiateStreaming', 'instantiate']) {
  const original = WebAssembly[name];
  WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(noteMemory);
}
const ours = await import(`./${pkgDir}/web.js`);
const theirs = await import('./pkg/auth-js.js');
const LIBS = { ours: ours.GoTrueClient, authjs: theirs.GoTrueClient };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
window.thrown = [];
window.addEventListener('unhandledrejection', (event) => window.thrown.push(String(event.reason?.name ?? event.reason)));
window.addEventListener('error', (event) => window.thrown.push(String(event.message)));

function makeClient({ lib, storageKey, caseId, authUrl, timeoutMs, flowType = 'implicit', detect = false }) {
  const options = {
    url: authUrl,
    headers: { apikey: caseId },
    storageKey,
    autoRefreshToken: false,
    detectSessionInUrl: detect,
    persistSession: true,
    flowType,
  };
  if (lib === 'ours') options.requestTimeout = timeoutMs;
  return new LIBS[lib](options);
}

function errorFields(error) {
  return error ? { name: error.name, status: error.status ?? null, code: error.code ?? null } : null;
}

const OPERATIONS = {
  signin: (client, spec) => client.signInWithPassword({ email: spec.email, password: 'correct-horse-battery-staple' }),
  refresh: (client) => client.getSession(),
  user: (client) => client.getUser(),
  logout: (client) => client.signOut({ scope: 'local' }),
  logoutExpired: (client) => client.signOut({ scope: 'local' }),
  verify: (client, spec) => client.verifyOtp({ email: spec.email, token: '123456', type: 'email' }),
  exchange: (client) => client.exchangeCodeForSession('fault-injection-code'),
};

// spec: { lib, kind, caseId, storageKey, authUrl, timeoutMs, deadlineMs, session?, email }
window.runCase = async (spec) => {
  if (spec.session) localStorage.setItem(spec.storageKey, JSON.stringify(spec.session));
  if (spec.kind === 'exchange') {
    // A verifier in auth-js's slot, which both libraries read for a code without a flow id.
    localStorage.setItem(`${spec.storageKey}-code-verifier`, JSON.stringify('v'.repeat(64)));
  }
  const client = makeClient({ ...spec, flowType: spec.kind === 'exchange' ? 'pkce' : 'implicit' });
  const events = [];
  let started = null;
  let signedOutAfterMs = null;
  client.onAuthStateChange((event) => {
    if (event !== 'INITIAL_SESSION') events.push(event);
    if (event === 'SIGNED_OUT' && started !== null && signedOutAfterMs === null) {
      signedOutAfterMs = Math.round(performance.now() - started);
    }
  });
  await client.initialize();
  started = performance.now();
  const call = Promise.resolve().then(() => OPERATIONS[spec.kind](client, spec));
  const outcome = await Promise.race([
    call.then((result) => ({ settled: true, result }), (error) => ({ settled: true, threw: String(error?.name ?? error) })),
    sleep(spec.deadlineMs).then(() => ({ settled: false })),
  ]);
  const ms = Math.round(performance.now() - started);
  const data = outcome.result?.data ?? null;
  // Let events raised by the answer's handling arrive.
  await sleep(50);
  return {
    settled: outcome.settled,
    threw: outcome.threw ?? null,
    ms,
    error: errorFields(outcome.result?.error),
    session: !!data?.session,
    user: !!(data?.user ?? data?.session?.user),
    stored: localStorage.getItem(spec.storageKey) !== null,
    events,
    signedOutAfterMs,
  };
};

// spec: { lib, caseId, storageKey, authUrl, timeoutMs, deadlineMs, flowType }: a client that
// detects the session in this page's URL; resolves once initialize() settles (or the deadline).
window.detectUrl = async (spec) => {
  const client = makeClient({ ...spec, detect: true });
  const started = performance.now();
  const outcome = await Promise.race([
    client.initialize().then((result) => ({ settled: true, result }), (error) => ({ settled: true, threw: String(error) })),
    sleep(spec.deadlineMs).then(() => ({ settled: false })),
  ]);
  await sleep(50);
  return {
    settled: outcome.settled,
    threw: outcome.threw ?? null,
    ms: Math.round(performance.now() - started),
    error: errorFields(outcome.result?.error),
    href: location.href,
    stored: localStorage.getItem(spec.storageKey) !== null,
  };
};

// Our wasm's linear memory (it never shrinks, so growth is the peak) around n
// subscribe+unsubscribe pairs in one synchronous loop, then once the event loop has run.
window.subscriptionBurst = async ({ n, authUrl }) => {
  await ours.ready;
  if (!ourMemory) throw new Error('the page did not see the wasm instance');
  const wasm = { memory: ourMemory };
  const client = makeClient({ lib: 'ours', storageKey: 'burst', caseId: 'burst', authUrl, timeoutMs: 5000 });
  await client.initialize();
  const before = wasm.memory.buffer.byteLength;
  let delivered = 0;
  for (let i = 0; i < n; i += 1) {
    const { data } = client.onAuthStateChange(() => { delivered += 1; });
    data.subscription.unsubscribe();
  }
  await sleep(200);
  const kept = client.onAuthStateChange(() => { delivered += 1; });
  await sleep(200);
  kept.data.subscription.unsubscribe();
  return { before, after: wasm.memory.buffer.byteLength, delivered };
};

window.ready = true;
