// Links from the test mailbox (GET /verify on the auth server, which redirects back to the
// page): magic links and recovery links in both flows, and a link that is no longer valid.
import assert from 'node:assert/strict';
import {
  AUTH, PAGES, authParamsIn, call, createUser, e2eTest, events, initError, openPage, readMail,
  sendMagicLink, signInWithPassword, sleep, storageKeys, storedSession, uniqueEmail, verifierKeys, waitBackOnPage, waitForEvent,
} from './helpers.mjs';

/** Opens the mail's link in the page and checks the redirect came back the way `flow` expects. */
async function followLink(page, mail, flow, redirectTo) {
  const token = new URL(mail.link).searchParams.get('token');
  if (flow === 'pkce') {
    assert.ok(token.startsWith('pkce_'), `a PKCE client asked for a PKCE link (sent a code challenge): ${mail.link}`);
  } else {
    assert.ok(!token.startsWith('pkce_'), `an implicit client gets an implicit link: ${mail.link}`);
  }
  assert.ok(mail.redirect_to.startsWith(redirectTo), `the link goes back to ${redirectTo}: ${mail.redirect_to}`);
  await page.goto(mail.link);
  await waitBackOnPage(page);
  const landed = new URL(await page.evaluate(() => window.landedUrl));
  if (flow === 'pkce') {
    assert.ok(landed.searchParams.get('code'), `landed with ?code=: ${landed}`);
  } else {
    assert.match(landed.hash, /access_token=/, `landed with the session in the fragment: ${landed}`);
  }
  assert.equal(await initError(page), null);
}

/** After a detected redirect: clean URL, session stored and accepted, no verifier left. */
async function assertSessionFromUrl(page, email, path) {
  const url = new URL(page.url());
  assert.equal(url.pathname, path);
  assert.deepEqual(authParamsIn(page.url()), [], `no auth parameters left in ${page.url()}`);
  const stored = await storedSession(page);
  assert.ok(stored?.access_token && stored.refresh_token && stored.expires_at, `session stored: ${JSON.stringify(stored)}`);
  assert.equal(stored.user?.email, email);
  const { data, error } = await call(page, 'getUser');
  assert.equal(error, null);
  assert.equal(data.user.email, email);
  assert.deepEqual(verifierKeys(await storageKeys(page)), [], 'no code verifier left in storage');
}

e2eTest('invalid email link: AuthImplicitGrantRedirectError with code otp_expired, session kept', async ({ context }) => {
  const email = uniqueEmail('badlink');
  await createUser(AUTH, email);
  const page = await openPage(context, 'implicit.html');
  const before = await signInWithPassword(page, email);

  const redirectTo = `${PAGES}/implicit.html`;
  await page.goto(`${AUTH}/verify?token=bad&type=magiclink&redirect_to=${encodeURIComponent(redirectTo)}`);
  await waitBackOnPage(page);
  const landed = await page.evaluate(() => window.landedUrl);
  assert.match(landed, /error_code=otp_expired/, `the server redirected with the error: ${landed}`);

  const error = await initError(page);
  assert.equal(error?.name, 'AuthImplicitGrantRedirectError', `initialize() error: ${JSON.stringify(error)}`);
  assert.equal(error.details?.code, 'otp_expired', `details: ${JSON.stringify(error.details)}`);
  assert.equal(error.details?.error, 'access_denied', `details: ${JSON.stringify(error.details)}`);
  assert.ok(error.message, 'the message is the error_description');

  assert.equal((await storedSession(page))?.access_token, before.access_token, 'the existing session is kept');
  const seen = await events(page);
  assert.deepEqual(seen[0], ['INITIAL_SESSION', email], `events: ${JSON.stringify(seen)}`);
  assert.ok(!seen.some(([event]) => event === 'SIGNED_OUT' || event === 'SIGNED_IN'), `events: ${JSON.stringify(seen)}`);
});

for (const flow of ['implicit', 'pkce']) {
  e2eTest(`magic link (${flow}): the mailbox link signs in with SIGNED_IN`, async ({ context }) => {
    const email = uniqueEmail(`magic-${flow}`);
    await createUser(AUTH, email);
    const page = await openPage(context, `${flow}.html`);
    const redirectTo = `${PAGES}/${flow}.html`;
    const { error } = await call(page, 'signInWithOtp', { email, options: { emailRedirectTo: redirectTo } });
    assert.equal(error, null, `signInWithOtp: ${JSON.stringify(error)}`);
    if (flow === 'pkce') assert.ok(verifierKeys(await storageKeys(page)).length > 0, 'a verifier is stored for the link');

    const mail = await readMail(AUTH, email, 'magiclink');
    await followLink(page, mail, flow, redirectTo);
    await waitForEvent(page, 'SIGNED_IN', email);
    await assertSessionFromUrl(page, email, `/${flow}.html`);
    const seen = await events(page);
    assert.ok(!seen.some(([event]) => event === 'PASSWORD_RECOVERY'), `events: ${JSON.stringify(seen)}`);
  });

  e2eTest(`recovery link (${flow}): the mailbox link signs in with PASSWORD_RECOVERY`, async ({ context }) => {
    const email = uniqueEmail(`recovery-${flow}`);
    await createUser(AUTH, email);
    const page = await openPage(context, `${flow}.html`);
    const redirectTo = `${PAGES}/${flow}.html`;
    const { error } = await call(page, 'resetPasswordForEmail', email, { redirectTo });
    assert.equal(error, null, `resetPasswordForEmail: ${JSON.stringify(error)}`);
    if (flow === 'pkce') assert.ok(verifierKeys(await storageKeys(page)).length > 0, 'a verifier is stored for the link');

    const mail = await readMail(AUTH, email, 'recovery');
    await followLink(page, mail, flow, redirectTo);
    await waitForEvent(page, 'PASSWORD_RECOVERY', email);
    await assertSessionFromUrl(page, email, `/${flow}.html`);
    const seen = await events(page);
    assert.ok(!seen.some(([event]) => event === 'SIGNED_IN'), `a recovery emits PASSWORD_RECOVERY, not SIGNED_IN: ${JSON.stringify(seen)}`);
  });
}

e2eTest('flow mismatch: an implicit-flow link landing on a PKCE client is an error, not a sign-in', async ({ context }) => {
  const email = uniqueEmail('mismatch');
  await createUser(AUTH, email);
  const redirectTo = `${PAGES}/pkce.html`;
  await sendMagicLink(AUTH, email, redirectTo);
  const mail = await readMail(AUTH, email, 'magiclink');
  const page = await context.newPage();
  await page.goto(mail.link);
  await waitBackOnPage(page);
  const landed = await page.evaluate(() => window.landedUrl);
  assert.match(new URL(landed).hash, /access_token=/, `landed with an implicit fragment: ${landed}`);
  const error = await initError(page);
  assert.ok(error, 'initialize() reports the flow mismatch');
  await sleep(300); // a late SIGNED_IN would show up
  assert.equal(await storedSession(page), null, 'no session stored');
  const seen = await events(page);
  assert.deepEqual(seen, [['INITIAL_SESSION', null]], `events: ${JSON.stringify(seen)}`);
});
