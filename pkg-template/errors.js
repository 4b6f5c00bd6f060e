// auth-js's type guards, for the errors this client returns in `{ data, error }` (or throws
// with `throwOnError`). Those are plain `Error`s whose `name` is the auth-js class name, with
// `__isAuthError: true`, `status` and `code`; `instanceof AuthApiError` cannot work on them,
// so these guards look at the marker and the name, as auth-js's own guards do. Errors thrown
// by auth-js itself carry the same marker and names, so the guards accept them too.

/** True for any error from the auth client (this one or auth-js). */
export function isAuthError(error) {
  return typeof error === 'object' && error !== null && error.__isAuthError === true;
}

function isNamed(error, name) {
  return isAuthError(error) && error.name === name;
}

/** The server answered with an error status (`status` and usually `code` are set). */
export function isAuthApiError(error) {
  return isNamed(error, 'AuthApiError');
}

/** The operation needs a signed-in session and there is none. */
export function isAuthSessionMissingError(error) {
  return isNamed(error, 'AuthSessionMissingError');
}

/** The server could not be reached or answered 500-504 / 520-530: trying again may work. */
export function isAuthRetryableFetchError(error) {
  return isNamed(error, 'AuthRetryableFetchError');
}

/** The server refused the password; `reasons` says why (`length`, `characters`, `pwned`). */
export function isAuthWeakPasswordError(error) {
  return isNamed(error, 'AuthWeakPasswordError');
}

/** The redirect back from the auth server carried an error; `details` has it. */
export function isAuthImplicitGrantRedirectError(error) {
  return isNamed(error, 'AuthImplicitGrantRedirectError');
}

/** A PKCE callback arrived but this browser holds no code verifier for it. */
export function isAuthPKCECodeVerifierMissingError(error) {
  return isNamed(error, 'AuthPKCECodeVerifierMissingError');
}

