// JWS signature checks for the Rust API's get_claims in a browser (src/browser/runtime.rs).
// A file of its own: the npm package's engine (feature js-api) leaves get_claims to its JS
// facade and does not import it, so the package does not carry it.

// Verifies a JWS signature with WebCrypto. RS256: RSASSA-PKCS1-v1_5 with SHA-256; ES256:
// ECDSA P-256 with SHA-256 (JWS carries the raw r||s form WebCrypto expects).
export function verifySignature(alg, jwkJson, data, signature) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) return Promise.reject(new Error('WebCrypto is unavailable'));
  let importParams;
  let verifyParams;
  if (alg === 'RS256') {
    importParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    verifyParams = { name: 'RSASSA-PKCS1-v1_5' };
  } else if (alg === 'ES256') {
    importParams = { name: 'ECDSA', namedCurve: 'P-256' };
    verifyParams = { name: 'ECDSA', hash: 'SHA-256' };
  } else {
    return Promise.reject(new Error(`unsupported algorithm ${alg}`));
  }
  const jwk = JSON.parse(jwkJson);
  delete jwk.key_ops;
  return subtle
    .importKey('jwk', jwk, importParams, false, ['verify'])
    .then((key) => subtle.verify(verifyParams, key, signature, data));
}
