// Shared start-up of the test pages: builds a client from config.js (written by
// scripts/e2e.sh) and exposes what the tests read:
//   window.auth        the GoTrueClient
//   window.events      [event, session?.user?.email ?? null] for every auth event, in order
//   window.sessions    the session (or null) that came with each event
//   window.initResult  what `await auth.initialize()` resolved to
//   window.ready       true once initialize() has resolved (window.startError if start-up threw)
//   window.landedUrl   the URL as the page was loaded, before the client touched it
//   window.__loadId    a random id per document: a reload changes it
//   window.hashChanges how many `hashchange` events the page saw
import { GoTrueClient } from './pkg/web.js';
import config from './config.js';

window.__loadId = `${Date.now()}-${Math.random().toString(16).slice(2)}`;
window.landedUrl = location.href;
const loadsKey = `e2e-loads:${location.pathname}`;
sessionStorage.setItem(loadsKey, String(Number(sessionStorage.getItem(loadsKey) ?? '0') + 1));
window.events = [];
window.sessions = [];
window.hashChanges = 0;
window.addEventListener('hashchange', () => { window.hashChanges += 1; });

function plainSession(session) {
  if (!session) return null;
  return {
    access_token: session.access_token,
    refresh_token: session.refresh_token,
    expires_at: session.expires_at,
    email: session.user?.email ?? null,
  };
}

// `options.server` picks a server from config.js ('main' unless the page's ?server= says
// otherwise); everything else goes to the GoTrueClient constructor.
export async function start(options = {}) {
  try {
    const query = new URLSearchParams(location.search);
    const { server = query.get('server') ?? 'main', ...clientOptions } = options;
    const url = config.servers[server];
    if (!url) throw new Error(`config.js has no server named ${server}`);
    const auth = new GoTrueClient({ url, storageKey: config.storageKey, ...clientOptions });
    window.auth = auth;
    window.constructedAt = Date.now();
    auth.onAuthStateChange((event, session) => {
      window.events.push([event, session?.user?.email ?? null]);
      window.sessions.push(plainSession(session));
      document.getElementById('events')?.append(`${event} ${session?.user?.email ?? ''}\n`);
    });
    window.initResult = await auth.initialize();
    window.ready = true;
  } catch (error) {
    window.startError = `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
    console.error('test page start-up failed', error);
  }
}
