// Fake injected wallets for the web3 sign-in tests. scripts/e2e.sh bundles this file (with
// @noble/curves and @noble/hashes from node_modules) into pages/pkg/fake-wallets.js, which
// web3.html loads; nothing comes from a CDN. Both wallets use fixed, publicly known keys.
//
//   ethereumWallet({ tamper })  an EIP-1193 provider: request({ method, params }) answers
//                               eth_requestAccounts / eth_accounts, eth_chainId ('0x1') and
//                               personal_sign ([hexMessage, address] → 0x r‖s‖v over the
//                               EIP-191 prefixed message)
//   solanaWallet({ tamper })    { publicKey: { toBase58() }, signMessage(bytes) → { signature } }
//
// `tamper: true` makes the wallet sign a slightly different message than it was given (what
// a compromised or buggy wallet would do), so the server must refuse the signature.
// Each wallet records what it was asked to sign in `wallet.signed` (decoded as UTF-8).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

/** The key web3.js documents in its accounts guide; its address is 0x2c7536e3…65c23. */
export const ETHEREUM_PRIVATE_KEY = '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
/** RFC 8032 §7.1 test 1 secret key (its public key is d75a9801…07511a). */
export const SOLANA_SECRET_KEY = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';

const utf8 = new TextEncoder();

function hexToBytes(hex) {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`not hex: ${hex}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A copy of `bytes` with its last byte changed: a different message of the same length. */
function altered(bytes) {
  const copy = new Uint8Array(bytes);
  copy[copy.length - 1] ^= 0x01;
  return copy;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Bitcoin-alphabet base58 (leading zero bytes become '1'). */
export function base58(bytes) {
  let value = 0n;
  for (const b of bytes) value = value * 256n + BigInt(b);
  let text = '';
  while (value > 0n) {
    text = BASE58[Number(value % 58n)] + text;
    value /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    text = '1' + text;
  }
  return text;
}

function rpcError(code, message) {
  return Object.assign(new Error(message), { code });
}

export function ethereumAddress(privateKeyHex = ETHEREUM_PRIVATE_KEY) {
  const uncompressed = secp256k1.getPublicKey(hexToBytes(privateKeyHex), false);
  return '0x' + bytesToHex(keccak_256(uncompressed.slice(1)).slice(12));
}

export function ethereumWallet({ privateKeyHex = ETHEREUM_PRIVATE_KEY, chainId = '0x1', tamper = false } = {}) {
  const secret = hexToBytes(privateKeyHex);
  const address = ethereumAddress(privateKeyHex);
  const wallet = {
    isFakeWallet: true,
    address,
    signed: [],
    requests: [],
    async request({ method, params = [] }) {
      wallet.requests.push(method);
      switch (method) {
        case 'eth_requestAccounts':
        case 'eth_accounts':
          return [address];
        case 'eth_chainId':
          return chainId;
        case 'personal_sign': {
          const [hexMessage, account] = params;
          if (String(account).toLowerCase() !== address) throw rpcError(4100, `unknown account ${account}`);
          const given = hexToBytes(hexMessage);
          wallet.signed.push(new TextDecoder().decode(given));
          const message = tamper ? altered(given) : given;
          // EIP-191 version 0x45: "\x19Ethereum Signed Message:\n" + decimal length + message.
          const digest = keccak_256(concat(utf8.encode(`\x19Ethereum Signed Message:\n${message.length}`), message));
          // noble's 'recovered' format is recovery id ‖ r ‖ s; Ethereum wants r ‖ s ‖ (27 + id).
          const signature = secp256k1.sign(digest, secret, { prehash: false, format: 'recovered' });
          return '0x' + bytesToHex(signature.slice(1)) + (27 + signature[0]).toString(16);
        }
        default:
          throw rpcError(4200, `the fake wallet does not support ${method}`);
      }
    },
  };
  return wallet;
}

export function solanaAddress(secretKeyHex = SOLANA_SECRET_KEY) {
  return base58(ed25519.getPublicKey(hexToBytes(secretKeyHex)));
}

export function solanaWallet({ secretKeyHex = SOLANA_SECRET_KEY, tamper = false } = {}) {
  const secret = hexToBytes(secretKeyHex);
  const address = solanaAddress(secretKeyHex);
  const wallet = {
    isFakeWallet: true,
    address,
    signed: [],
    publicKey: { toBase58: () => address, toString: () => address },
    async signMessage(bytes) {
      const given = new Uint8Array(bytes);
      wallet.signed.push(new TextDecoder().decode(given));
      const signature = ed25519.sign(tamper ? altered(given) : given, secret);
      return { signature };
    },
  };
  return wallet;
}
