// signInWithWeb3 with fake injected wallets (pages/fake-wallets.src.mjs, fixed public test keys)
// on the features server (--web3): the library builds the SIWE / SIWS message, the wallet signs
// it, the server checks the signature.
import assert from 'node:assert/strict';
import {
  PAGES, e2eTest, events, openPage, storedSession, waitForEvent,
} from './helpers.mjs';
import { base58 } from './pages/fake-wallets.src.mjs';

const PAGE = 'web3.html?server=features';
// Known answers, independent of the wallets' key derivation: the web3.js documentation's
// example account, and RFC 8032 §7.1 test 1's public key.
const ETHEREUM_ADDRESS = '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23';
const SOLANA_ADDRESS = base58(Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex'));

/** Runs signInWithWeb3 in the page with a fresh fake wallet; returns the result and what the wallet saw. */
function signInWithWallet(page, chain, { tamper = false, statement } = {}) {
  return page.evaluate(async ([name, options, text]) => {
    const wallet = name === 'ethereum' ? window.wallets.ethereumWallet(options) : window.wallets.solanaWallet(options);
    const params = { chain: name, wallet };
    if (text !== undefined) params.statement = text;
    const { data, error } = await window.auth.signInWithWeb3(params);
    return {
      user: data?.user ?? null,
      session: data?.session ?? null,
      error: error ? { name: error.name, message: error.message, status: error.status, code: error.code } : null,
      walletAddress: wallet.address,
      signed: wallet.signed,
      requests: wallet.requests ?? null,
    };
  }, [chain, { tamper }, statement]);
}

/** The `Key: value` fields and the first lines of a SIWE / SIWS message. */
function parseMessage(text) {
  const lines = text.split('\n');
  const fields = Object.fromEntries(lines.filter((l) => /^[A-Z][A-Za-z ]+: /.test(l)).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
  return { header: lines[0], address: lines[1], lines, fields };
}

function assertFreshIssuedAt(fields) {
  const issued = Date.parse(fields['Issued At']);
  assert.ok(Math.abs(Date.now() - issued) < 60_000, `Issued At is now: ${fields['Issued At']}`);
  assert.match(fields.Nonce ?? '', /^[A-Za-z0-9]{8,}$/, `Nonce: ${fields.Nonce}`);
}

e2eTest('web3 Ethereum: an EIP-1193 wallet signs the SIWE message (personal_sign) and the server accepts it', async ({ context }) => {
  const page = await openPage(context, PAGE);
  const statement = 'Sign in to the gotrue-wasm e2e test';
  const result = await signInWithWallet(page, 'ethereum', { statement });
  assert.equal(result.error, null, `signInWithWeb3: ${JSON.stringify(result.error)}`);
  assert.equal(result.walletAddress, ETHEREUM_ADDRESS, 'the fake wallet holds the documented account');
  assert.deepEqual(result.requests, ['eth_requestAccounts', 'eth_chainId', 'personal_sign']);

  assert.equal(result.signed.length, 1);
  const message = parseMessage(result.signed[0]);
  const pageUrl = new URL(`${PAGES}/${PAGE}`);
  assert.equal(message.header, `${pageUrl.host} wants you to sign in with your Ethereum account:`);
  assert.equal(message.address.toLowerCase(), ETHEREUM_ADDRESS);
  assert.ok(message.lines.includes(statement), `statement in the message:\n${result.signed[0]}`);
  assert.equal(message.fields.URI, pageUrl.href);
  assert.equal(message.fields.Version, '1');
  assert.equal(message.fields['Chain ID'], '1', 'eth_chainId 0x1 → Chain ID: 1');
  assertFreshIssuedAt(message.fields);

  assert.ok(result.session?.access_token, 'a session');
  const identity = result.user.identities?.find((i) => i.provider === 'web3');
  const claims = identity?.identity_data?.custom_claims;
  assert.equal(claims?.address?.toLowerCase(), ETHEREUM_ADDRESS, `identity: ${JSON.stringify(result.user.identities)}`);
  assert.equal(claims.chain, 'ethereum');
  assert.equal(claims.statement, statement);
  assert.equal(identity.identity_data.sub, `web3:ethereum:${ETHEREUM_ADDRESS}`);
  await waitForEvent(page, 'SIGNED_IN');
  assert.equal((await storedSession(page))?.access_token, result.session.access_token);
});

e2eTest('web3 Solana: a wallet with signMessage signs the SIWS message (ed25519) and the server accepts it', async ({ context }) => {
  const page = await openPage(context, PAGE);
  const result = await signInWithWallet(page, 'solana', { statement: 'Solana e2e' });
  assert.equal(result.error, null, `signInWithWeb3: ${JSON.stringify(result.error)}`);
  assert.equal(result.walletAddress, SOLANA_ADDRESS, 'the fake wallet holds the RFC 8032 key');
  assert.equal(result.signed.length, 1);
  const message = parseMessage(result.signed[0]);
  const pageUrl = new URL(`${PAGES}/${PAGE}`);
  assert.equal(message.header, `${pageUrl.host} wants you to sign in with your Solana account:`);
  assert.equal(message.address, SOLANA_ADDRESS);
  assert.ok(message.lines.includes('Solana e2e'));
  assert.equal(message.fields.URI, pageUrl.href);
  assert.equal(message.fields.Version, '1');
  assert.equal(message.fields['Issued At'] !== undefined, true);

  assert.ok(result.session?.access_token);
  const identity = result.user.identities?.find((i) => i.provider === 'web3');
  assert.equal(identity?.identity_data?.custom_claims?.address, SOLANA_ADDRESS, `identity: ${JSON.stringify(result.user.identities)}`);
  assert.equal(identity.identity_data.custom_claims.chain, 'solana');
  await waitForEvent(page, 'SIGNED_IN');
  assert.equal((await storedSession(page))?.access_token, result.session.access_token);
});

for (const chain of ['ethereum', 'solana']) {
  e2eTest(`web3 ${chain}: a wallet that signs a different message is refused (400), nobody signed in`, async ({ context }) => {
    const page = await openPage(context, PAGE);
    const result = await signInWithWallet(page, chain, { tamper: true, statement: 'tampered' });
    assert.equal(result.signed.length, 1, 'the wallet was asked to sign');
    assert.ok(result.error, 'a mismatched signature is an error');
    assert.equal(result.error.status, 400, `error: ${JSON.stringify(result.error)}`);
    assert.match(result.error.message, /signature/i);
    assert.equal(result.session, null);
    assert.equal(await storedSession(page), null, 'no session stored');
    assert.deepEqual((await events(page)).map(([e]) => e), ['INITIAL_SESSION'], 'no SIGNED_IN');
  });
}
