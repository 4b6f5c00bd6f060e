// client.mfa against the features server: a TOTP step-up with codes computed here (RFC 6238),
// and WebAuthn through Chromium's virtual authenticator (Chrome DevTools Protocol).
import assert from 'node:assert/strict';
import { createHash, verify as verifySignature } from 'node:crypto';
import {
  FEATURES_AUTH, PAGES_LOCALHOST, PASSWORD, call, createUser, e2eTest, events, invoke, invokeOk, jwtPayload,
  openPage, openUrl, signInWithPassword, storedSession, totpCode, uniqueEmail, waitForEvent,
} from './helpers.mjs';

const MFA = 'auth.mfa';

e2eTest('TOTP step-up: enroll, a wrong code is refused, challengeAndVerify raises the session to aal2', async ({ context }) => {
  const page = await openPage(context, 'features.html?server=features');
  const email = uniqueEmail('totp');
  const signUp = await call(page, 'signUp', { email, password: PASSWORD });
  assert.equal(signUp.error, null, `signUp: ${JSON.stringify(signUp.error)}`);
  assert.ok(signUp.data.session, 'the autoconfirm server signs the new user in');
  await waitForEvent(page, 'SIGNED_IN', email);

  const before = await invokeOk(page, MFA, 'getAuthenticatorAssuranceLevel');
  assert.deepEqual([before.currentLevel, before.nextLevel], ['aal1', 'aal1'], `before: ${JSON.stringify(before)}`);

  const enrolled = await invokeOk(page, MFA, 'enroll', { factorType: 'totp', friendlyName: 'authenticator app', issuer: 'gotrue-wasm e2e' });
  assert.equal(enrolled.type, 'totp');
  assert.equal(enrolled.friendly_name, 'authenticator app');
  assert.ok(enrolled.totp.qr_code.startsWith('data:image/svg+xml'), `qr_code is an SVG data URI: ${enrolled.totp.qr_code.slice(0, 60)}`);
  assert.match(enrolled.totp.qr_code, /<svg[\s>]/, 'the data URI holds SVG markup');
  const { secret } = enrolled.totp;
  assert.match(secret, /^[A-Z2-7]{16,}$/, `base32 secret: ${secret}`);
  const uri = new URL(enrolled.totp.uri);
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('secret'), secret, `the URI carries the secret: ${enrolled.totp.uri}`);
  assert.equal(uri.searchParams.get('issuer'), 'gotrue-wasm e2e');
  const factorId = enrolled.id;

  const pending = await invokeOk(page, MFA, 'listFactors');
  assert.deepEqual(pending.all.map((f) => [f.id, f.status]), [[factorId, 'unverified']], `all: ${JSON.stringify(pending.all)}`);
  assert.equal(pending.totp.length, 0, 'an unverified factor is not listed under totp');

  // challenge + verify with a code that is valid in no accepted 30 s step.
  const challenge = await invokeOk(page, MFA, 'challenge', { factorId });
  assert.equal(challenge.type, 'totp');
  assert.ok(challenge.expires_at > Date.now() / 1000, `expires_at in the future: ${challenge.expires_at}`);
  const now = Date.now() / 1000;
  const valid = new Set([-30, 0, 30].map((d) => totpCode(secret, now + d)));
  let wrongCode = '123456';
  while (valid.has(wrongCode)) wrongCode = String((Number(wrongCode) + 1) % 1_000_000).padStart(6, '0');
  const refused = await invoke(page, MFA, 'verify', { factorId, challengeId: challenge.id, code: wrongCode });
  assert.equal(refused.error?.code, 'mfa_verification_failed', `wrong code: ${JSON.stringify(refused.error)}`);
  assert.equal(refused.error.status, 422);
  assert.equal(refused.data, null, 'auth-js answers a refused verify with data: null');
  assert.ok(!(await events(page)).some(([e]) => e === 'MFA_CHALLENGE_VERIFIED'), 'no MFA_CHALLENGE_VERIFIED for a refused code');

  // As auth-js: `data` is the server's token response, i.e. the new session itself.
  const verified = await invokeOk(page, MFA, 'challengeAndVerify', { factorId, code: totpCode(secret) });
  assert.ok(verified.access_token && verified.refresh_token, `challengeAndVerify returns the session: ${JSON.stringify(verified)}`);
  assert.equal(verified.user?.email, email);
  assert.equal(jwtPayload(verified.access_token).aal, 'aal2', 'the server issued an aal2 token');
  await waitForEvent(page, 'MFA_CHALLENGE_VERIFIED', email);

  const aal = await invokeOk(page, MFA, 'getAuthenticatorAssuranceLevel');
  assert.equal(aal.currentLevel, 'aal2', `after: ${JSON.stringify(aal)}`);
  assert.equal(aal.nextLevel, 'aal2');
  assert.equal(aal.currentAuthenticationMethods[0]?.method, 'totp', `totp comes first: ${JSON.stringify(aal.currentAuthenticationMethods)}`);
  assert.ok(aal.currentAuthenticationMethods.some((m) => m.method === 'password'), 'the password sign-in stays in the AMR');

  const stored = await storedSession(page);
  assert.equal(stored?.access_token, verified.access_token, 'the aal2 session is the stored one');

  const factors = await invokeOk(page, MFA, 'listFactors');
  assert.equal(factors.totp.length, 1, `one verified TOTP factor: ${JSON.stringify(factors)}`);
  assert.equal(factors.totp[0].id, factorId);
  assert.equal(factors.totp[0].status, 'verified');
  assert.equal(factors.phone.length + factors.webauthn.length, 0);

  const unenrolled = await invokeOk(page, MFA, 'unenroll', { factorId });
  assert.equal(unenrolled.id, factorId);
  const afterUnenroll = await invokeOk(page, MFA, 'listFactors');
  assert.equal(afterUnenroll.all.length, 0, `factors after unenroll: ${JSON.stringify(afterUnenroll.all)}`);
});

// The test server verifies registrations and assertions (client data, RP id hash, the COSE key,
// the signature); this test also checks the cryptography itself: the assertion the library sent
// must verify with the public key from the registration it sent.
e2eTest('WebAuthn with a virtual authenticator: registration, then authentication, both verified', async ({ context }) => {
  const email = uniqueEmail('webauthn');
  await createUser(FEATURES_AUTH, email);
  // RP id = the page's host; WebAuthn refuses IP addresses, so this page is on `localhost`.
  const page = await openUrl(context, `${PAGES_LOCALHOST}/features.html?server=features`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  await signInWithPassword(page, email);
  await waitForEvent(page, 'SIGNED_IN', email);

  const enrolled = await invokeOk(page, MFA, 'enroll', { factorType: 'webauthn', friendlyName: 'virtual key' });
  assert.equal(enrolled.type, 'webauthn');
  const factorId = enrolled.id;

  // What the library and the server exchange, read off the wire.
  const challengeBodies = [];
  const verifications = [];
  page.on('response', (response) => {
    if (response.url() === `${FEATURES_AUTH}/factors/${factorId}/challenge` && response.request().method() === 'POST') {
      challengeBodies.push(response.json().catch(() => null));
    }
  });
  page.on('request', (request) => {
    if (request.url() === `${FEATURES_AUTH}/factors/${factorId}/verify` && request.method() === 'POST') {
      verifications.push(JSON.parse(request.postData()));
    }
  });

  // 1. Registration: navigator.credentials.create() inside the library.
  const registered = await invoke(page, MFA, 'challengeAndVerify', { factorId });
  assert.equal(registered.error, null, `registration: ${JSON.stringify(registered.error)}`);
  assert.ok(registered.data?.access_token, 'registration returns the session');
  assert.equal(jwtPayload(registered.data.access_token).aal, 'aal2');
  await waitForEvent(page, 'MFA_CHALLENGE_VERIFIED', email);

  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1, 'the virtual authenticator holds one credential');
  assert.equal(credentials[0].rpId, 'localhost');
  const credentialId = Buffer.from(credentials[0].credentialId, 'base64').toString('base64url');

  let challenges = await Promise.all(challengeBodies);
  assert.equal(challenges.length, 1);
  assert.equal(challenges[0]?.webauthn?.type, 'create', `challenge: ${JSON.stringify(challenges[0])}`);
  const registration = verifications[0]?.webauthn;
  assert.equal(registration?.type, 'create', `verify body: ${JSON.stringify(verifications[0])}`);
  assert.equal(registration.credential_response.id, credentialId, 'the library sent the new credential');
  const createData = JSON.parse(Buffer.from(registration.credential_response.response.clientDataJSON, 'base64url'));
  assert.equal(createData.type, 'webauthn.create');
  assert.equal(createData.challenge, challenges[0].webauthn.credential_options.publicKey.challenge);
  assert.equal(createData.origin, PAGES_LOCALHOST);
  const { publicKey, publicKeyAlgorithm } = registration.credential_response.response;
  assert.ok(publicKey, `toJSON() carries the credential's public key: ${JSON.stringify(registration.credential_response.response)}`);
  assert.equal(publicKeyAlgorithm, -7, 'ES256 credential');

  const registeredAal = await invokeOk(page, MFA, 'getAuthenticatorAssuranceLevel');
  assert.equal(registeredAal.currentLevel, 'aal2');
  assert.equal(registeredAal.currentAuthenticationMethods[0]?.method, 'mfa/webauthn', JSON.stringify(registeredAal));
  const listed = await invokeOk(page, MFA, 'listFactors');
  assert.deepEqual(listed.webauthn.map((f) => [f.id, f.status]), [[factorId, 'verified']], `factors: ${JSON.stringify(listed.all)}`);

  // 2. Authentication with the registered credential: navigator.credentials.get().
  const signedBefore = credentials[0].signCount;
  const authenticated = await invoke(page, MFA, 'challengeAndVerify', { factorId });
  assert.equal(authenticated.error, null, `authentication: ${JSON.stringify(authenticated.error)}`);
  assert.ok(authenticated.data?.access_token);
  // (Within the same second the access token can be byte-identical: same claims, and the
  // server's ECDSA signatures are deterministic. The refresh token is always a new one.)
  assert.notEqual(authenticated.data.refresh_token, registered.data.refresh_token, 'the server answered with a new session');
  assert.equal(jwtPayload(authenticated.data.access_token).aal, 'aal2');

  challenges = await Promise.all(challengeBodies);
  assert.equal(challenges.length, 2);
  assert.equal(challenges[1]?.webauthn?.type, 'request', `second challenge: ${JSON.stringify(challenges[1])}`);
  const assertion = verifications[1]?.webauthn;
  assert.equal(assertion?.type, 'request');
  assert.equal(assertion.credential_response.id, credentialId, 'signed with the registered credential');
  const { clientDataJSON, authenticatorData, signature } = assertion.credential_response.response;
  const getData = JSON.parse(Buffer.from(clientDataJSON, 'base64url'));
  assert.equal(getData.type, 'webauthn.get');
  assert.equal(getData.challenge, challenges[1].webauthn.credential_options.publicKey.challenge);
  assert.equal(getData.origin, PAGES_LOCALHOST);
  // WebAuthn §7.2: the signature covers authenticatorData ‖ SHA-256(clientDataJSON).
  const signed = Buffer.concat([
    Buffer.from(authenticatorData, 'base64url'),
    createHash('sha256').update(Buffer.from(clientDataJSON, 'base64url')).digest(),
  ]);
  const key = { key: Buffer.from(publicKey, 'base64url'), format: 'der', type: 'spki' };
  assert.ok(verifySignature('sha256', signed, key, Buffer.from(signature, 'base64url')), 'the assertion verifies with the registered public key');
  assert.ok(!verifySignature('sha256', Buffer.concat([signed, Buffer.from([0])]), key, Buffer.from(signature, 'base64url')), 'and not for other data');

  const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.ok(after.credentials[0].signCount > signedBefore, `the authenticator signed (count ${signedBefore} → ${after.credentials[0].signCount})`);
  const aal = await invokeOk(page, MFA, 'getAuthenticatorAssuranceLevel');
  assert.equal(aal.currentLevel, 'aal2');
  assert.equal((await storedSession(page))?.refresh_token, authenticated.data.refresh_token, 'the new session is stored');
});
