// The demo app: every flow of the client against a GoTrue server (the local test server
// by default). Nothing here touches tokens beyond what the library returns.
import { GoTrueClient, isAuthError } from 'gotrue-wasm';

const SETTINGS_KEY = 'gotrue-wasm-demo-settings';
const $ = (selector) => document.querySelector(selector);

const DEFAULT_SETTINGS = { url: 'http://127.0.0.1:9999', apikey: '', flowType: 'implicit' };

function loadSettings() {
  try {
    return { ...DEFAULT_SETTINGS, ...JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

function log(message, isError = false) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${message}`;
  if (isError) item.className = 'error';
  $('#log').prepend(item);
}

function status(text) {
  $('#status').textContent = text;
}

let client;
let settings = loadSettings();
let session = null;

function logEvent(event, current) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${event}${current ? ` (${current.user.email || current.user.id})` : ''}`;
  $('#events').prepend(item);
}

function makeClient() {
  client?.dispose();
  const headers = settings.apikey ? { apikey: settings.apikey } : {};
  client = new GoTrueClient({
    url: settings.url,
    headers,
    flowType: settings.flowType,
    storageKey: 'gotrue-wasm-demo-auth-token',
  });
  client.onAuthStateChange((event, current) => {
    logEvent(event, current);
    session = current;
    showSession();
    tickExpiry();
    if (event === 'PASSWORD_RECOVERY') $('#new-password-form').hidden = false;
  });
}

function showSession() {
  $('#session-user').textContent = session ? `${session.user.email || session.user.phone || session.user.id}` : 'signed out';
  status(session ? `Signed in as ${session.user.email || session.user.id}` : 'Signed out');
}

function tickExpiry() {
  if (!session) {
    $('#session-expiry').textContent = '—';
    return;
  }
  const left = session.expires_at - Math.floor(Date.now() / 1000);
  $('#session-expiry').textContent = `${left} s`;
}

async function run(label, operation) {
  const { data, error } = await operation();
  if (error) {
    const kind = isAuthError(error) ? error.name : 'Error';
    log(`${label}: ${kind}${error.code ? ` (${error.code})` : ''}: ${error.message}`, true);
    return null;
  }
  log(`${label}: ok`);
  await reloadSession();
  return data;
}

async function reloadSession() {
  const { data } = await client.getSession();
  session = data.session;
  showSession();
  tickExpiry();
}

/** Where links and OAuth come back to: this page without any query or fragment. */
function pageUrl() {
  return `${location.origin}${location.pathname}`;
}

function form(id, handler) {
  $(id).addEventListener('submit', async (event) => {
    event.preventDefault();
    await handler(Object.fromEntries(new FormData(event.target)));
  });
}

async function main() {
  $('#settings-url').value = settings.url;
  $('#settings-apikey').value = settings.apikey;
  $('#settings-flow').value = settings.flowType;
  makeClient();
  const { error: initError } = await client.initialize();
  if (initError) log(`sign-in from the link failed: ${initError.name}: ${initError.message}`, true);

  form('#settings-form', async (values) => {
    settings = { url: values.url.trim(), apikey: values.apikey.trim(), flowType: values.flowType };
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    makeClient();
    log(`using ${settings.url}`);
    await reloadSession();
  });

  form('#sign-up-form', async ({ email, password }) => {
    const data = await run('sign up', () => client.signUp({ email, password }));
    if (data && !data.session) log('check the mailbox for the confirmation code');
  });

  form('#sign-in-form', ({ email, password }) =>
    run('sign in with password', () => client.signInWithPassword({ email, password })));

  form('#otp-form', ({ email }) =>
    run('send code', () => client.signInWithOtp({ email, options: { emailRedirectTo: pageUrl() } })));

  form('#verify-form', ({ email, token, type }) => run(`verify ${type}`, () => client.verifyOtp({ email, token, type })));

  $('#read-mailbox').addEventListener('click', async () => {
    const email = $('#verify-form [name=email]').value;
    const response = await fetch(`${settings.url}/__test/mailbox/${encodeURIComponent(email)}`);
    if (!response.ok) {
      log(`mailbox: nothing for ${email}`, true);
      return;
    }
    const message = await response.json();
    $('#verify-form [name=token]').value = message.otp;
    const type = { signup: 'signup', recovery: 'recovery' }[message.type] ?? 'email';
    $('#verify-form [name=type]').value = type;
    log(`mailbox: ${message.type} code for ${email}`);
  });

  form('#recover-form', ({ email }) =>
    run('send recovery link', () => client.resetPasswordForEmail(email, { redirectTo: pageUrl() })));

  form('#new-password-form', async ({ password }) => {
    const data = await run('set new password', () => client.updateUser({ password }));
    if (data) $('#new-password-form').hidden = true;
  });

  for (const button of document.querySelectorAll('[data-provider]')) {
    button.addEventListener('click', () =>
      run(`sign in with ${button.dataset.provider}`, () =>
        client.signInWithOAuth({ provider: button.dataset.provider, options: { redirectTo: pageUrl() } })));
  }

  $('#open-link').addEventListener('click', async () => {
    const email = $('#verify-form [name=email]').value;
    const response = await fetch(`${settings.url}/__test/mailbox/${encodeURIComponent(email)}`);
    if (!response.ok) {
      log(`mailbox: nothing for ${email}`, true);
      return;
    }
    const message = await response.json();
    if (!message.link) {
      log('mailbox: the last message has no link', true);
      return;
    }
    location.assign(message.link);
  });

  form('#update-form', ({ name, password }) => {
    const attributes = {};
    if (name) attributes.data = { name };
    if (password) attributes.password = password;
    return run('update user', () => client.updateUser(attributes));
  });

  $('#get-user').addEventListener('click', async () => {
    const data = await run('get user', () => client.getUser());
    if (data) log(`user ${data.user.email || data.user.id}, metadata ${JSON.stringify(data.user.user_metadata)}`);
  });
  $('#refresh').addEventListener('click', () => run('refresh', () => client.refreshSession()));
  $('#sign-out').addEventListener('click', () => {
    const scope = $('#signout-scope').value;
    return run(`sign out (${scope})`, () => client.signOut({ scope }));
  });

  await reloadSession();
  setInterval(tickExpiry, 1000);
}

main().catch((error) => {
  status('Failed to start');
  log(String(error), true);
});
