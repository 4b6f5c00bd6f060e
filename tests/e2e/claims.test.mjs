// getClaims() on servers signing with ES256 (the features server) and RS256: the library
// verifies the token against the server's JWKS with WebCrypto, without asking /user.
import assert from 'node:assert/strict';
import {
  FEATURES_AUTH, RS256_AUTH, createUser, e2eTest, openPage, signInWithPassword, uniqueEmail,
} from './helpers.mjs';

/** getClaims(jwt?) in the page, with the signature's type checked there. */
function getClaims(page, jwt) {
  return page.evaluate(async (token) => {
    const { data, error } = token === null ? await window.auth.getClaims() : await window.auth.getClaims(token);
    return {
      claims: data?.claims ?? null,
      header: data?.header ?? null,
      signatureIsUint8Array: data?.signature instanceof Uint8Array,
      signature: data?.signature ? Array.from(data.signature) : null,
      error: error ? { name: error.name, message: error.message, status: error.status, code: error.code } : null,
    };
  }, jwt ?? null);
}

/** The token with its payload re-encoded after `change(claims)`, signature kept. */
function withPayload(token, change) {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url'));
  change(claims);
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

/** The token with one byte of its signature changed. */
function withBrokenSignature(token) {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[10] ^= 0xff;
  return [header, payload, bytes.toString('base64url')].join('.');
}

async function jwks(server) {
  const response = await fetch(`${server}/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  return (await response.json()).keys;
}

for (const { alg, server, name, signatureLength } of [
  { alg: 'ES256', server: FEATURES_AUTH, name: 'features', signatureLength: 64 },
  { alg: 'RS256', server: RS256_AUTH, name: 'rs256', signatureLength: 256 },
]) {
  e2eTest(`getClaims on an ${alg} server: JWKS-verified claims, no /user; tampered tokens are AuthInvalidJwtError`, async ({ context }) => {
    const email = uniqueEmail(`claims-${alg.toLowerCase()}`);
    const signedUp = await createUser(server, email);
    const page = await openPage(context, `features.html?server=${name}`);
    const session = await signInWithPassword(page, email);
    const tokenHeader = JSON.parse(Buffer.from(session.access_token.split('.')[0], 'base64url'));
    assert.equal(tokenHeader.alg, alg, `the server signs with ${alg}`);

    const requests = [];
    page.on('request', (r) => { if (r.url().startsWith(server)) requests.push(`${r.method()} ${new URL(r.url()).pathname}`); });

    const result = await getClaims(page);
    assert.equal(result.error, null, `getClaims: ${JSON.stringify(result.error)}`);
    assert.equal(result.claims.sub, signedUp.user.id, 'claims.sub is the user id');
    assert.equal(result.claims.email, email);
    assert.equal(result.claims.role, 'authenticated');
    assert.equal(result.header.alg, alg);
    assert.ok(result.header.kid, `header.kid present: ${JSON.stringify(result.header)}`);
    assert.equal(result.header.kid, tokenHeader.kid);
    assert.ok((await jwks(server)).some((k) => k.kid === result.header.kid), 'the kid is in the server\'s JWKS');
    assert.ok(result.signatureIsUint8Array, 'signature is a Uint8Array');
    assert.equal(result.signature.length, signatureLength);
    assert.deepEqual(Buffer.from(result.signature), Buffer.from(session.access_token.split('.')[2], 'base64url'), 'the token\'s own signature bytes');
    assert.ok(requests.includes('GET /.well-known/jwks.json'), `the JWKS was fetched: ${JSON.stringify(requests)}`);
    assert.ok(!requests.some((r) => r.endsWith(' /user')), `no /user request: ${JSON.stringify(requests)}`);

    // A second call uses the cached keys.
    requests.length = 0;
    assert.equal((await getClaims(page)).error, null);
    assert.deepEqual(requests, [], `cached JWKS, no request: ${JSON.stringify(requests)}`);

    const forged = withPayload(session.access_token, (claims) => { claims.role = 'service_role'; });
    const tampered = await getClaims(page, forged);
    assert.equal(tampered.error?.name, 'AuthInvalidJwtError', `changed payload: ${JSON.stringify(tampered.error)}`);
    assert.equal(tampered.claims, null);
    const badSignature = await getClaims(page, withBrokenSignature(session.access_token));
    assert.equal(badSignature.error?.name, 'AuthInvalidJwtError', `changed signature: ${JSON.stringify(badSignature.error)}`);
    const notAJwt = await getClaims(page, 'not-a-jwt');
    assert.equal(notAJwt.error?.name, 'AuthInvalidJwtError', `garbage: ${JSON.stringify(notAJwt.error)}`);
  });
}

e2eTest('getClaims after the server rotates its RS256 key: an unknown kid makes the library refetch the JWKS', async ({ context }) => {
  const email = uniqueEmail('claims-rotate');
  await createUser(RS256_AUTH, email);
  const page = await openPage(context, 'features.html?server=rs256');
  const first = await signInWithPassword(page, email);
  const firstResult = await getClaims(page);
  assert.equal(firstResult.error, null);
  const oldKid = firstResult.header.kid;

  const rotated = await fetch(`${RS256_AUTH}/__test/rotate_signing_key`, { method: 'POST' });
  assert.equal(rotated.status, 200, await rotated.text());
  const refreshed = await page.evaluate(async () => {
    const { data, error } = await window.auth.refreshSession();
    return { token: data?.session?.access_token ?? null, error: error ? error.message : null };
  });
  assert.equal(refreshed.error, null);
  const newKid = JSON.parse(Buffer.from(refreshed.token.split('.')[0], 'base64url')).kid;
  assert.notEqual(newKid, oldKid, 'the refreshed token is signed with the new key');

  const requests = [];
  page.on('request', (r) => { if (r.url().startsWith(RS256_AUTH)) requests.push(`${r.method()} ${new URL(r.url()).pathname}`); });
  // Where the JWKS answer came from: the server sends it with Cache-Control: public, max-age=600.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const methods = new Map();
  const jwksResponses = [];
  cdp.on('Network.requestWillBeSent', ({ requestId, request }) => methods.set(requestId, request.method));
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    if (response.url.endsWith('/.well-known/jwks.json')) {
      jwksResponses.push({ method: methods.get(requestId) ?? '?', fromDiskCache: response.fromDiskCache, fromMemoryCache: response.fromMemoryCache ?? false });
    }
  });
  const result = await getClaims(page);
  if (result.error) {
    const seen = jwksResponses.slice();
    const kids = await page.evaluate(async (url) => {
      const list = async (init) => (await (await fetch(url, init)).json()).keys.map((k) => k.kid);
      return { httpCached: await list({}), noStore: await list({ cache: 'no-store' }) };
    }, `${RS256_AUTH}/.well-known/jwks.json`);
    assert.fail(`getClaims with the new key ${newKid}: ${JSON.stringify(result.error)}\n`
      + `the library's JWKS refetch (CDP): ${JSON.stringify(seen)}\n`
      + `kids the page gets from fetch() with the default cache mode: ${JSON.stringify(kids.httpCached)}, with cache: 'no-store': ${JSON.stringify(kids.noStore)}`);
  }
  assert.equal(result.header.kid, newKid);
  assert.deepEqual(requests, ['GET /.well-known/jwks.json'], 'one JWKS refetch for the unknown kid');
  const old = await getClaims(page, first.access_token);
  assert.equal(old.error, null, `a token of the old key still verifies: ${JSON.stringify(old.error)}`);
});
