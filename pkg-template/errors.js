// auth-js's error classes and type guards. The engine reports a failure as data (`{ name,
// message, status, code, details?, reasons? }`); `authErrorFrom` turns that into an instance
// of the class named, so `instanceof AuthApiError` (and `instanceof AuthError` for every one of
// them) works, and the guards, which look at the marker and the name as auth-js's do, accept
// auth-js's own errors too.

/** The base class: every error the client returns or throws is one. */
export class AuthError extends Error {
  constructor(message, status, code) {
    super(message);
    this.__isAuthError = true;
    this.name = 'AuthError';
    this.status = status;
    this.code = code;
  }

  /** `{ name, message, status, code }`: `message` is not enumerable on an Error, so
   * `JSON.stringify(error)` needs this to say what went wrong. */
  toJSON() {
    return { name: this.name, message: this.message, status: this.status, code: this.code };
  }
}

/** The server answered with an error status. */
export class AuthApiError extends AuthError {
  constructor(message, status, code) {
    super(message, status, code);
    this.name = 'AuthApiError';
  }
}

/** Something unexpected, e.g. an answer that is not JSON; `originalError` is the cause. */
export class AuthUnknownError extends AuthError {
  constructor(message, originalError) {
    super(message);
    this.name = 'AuthUnknownError';
    this.originalError = originalError;
  }
}

/** An auth error whose `name` is given: the parent of all the client-side kinds below. */
export class CustomAuthError extends AuthError {
  constructor(message, name, status, code) {
    super(message, status, code);
    this.name = name;
  }
}

/** The operation needs a signed-in session and there is none. */
export class AuthSessionMissingError extends CustomAuthError {
  constructor() {
    super('Auth session missing!', 'AuthSessionMissingError', 400, undefined);
  }
}

/** A token answer (or a stored session) lacks the session or the user. */
export class AuthInvalidTokenResponseError extends CustomAuthError {
  constructor() {
    super('Auth session or user missing', 'AuthInvalidTokenResponseError', 500, undefined);
  }
}

/** The caller's credentials cannot be used as given (e.g. neither email nor phone). */
export class AuthInvalidCredentialsError extends CustomAuthError {
  constructor(message) {
    super(message, 'AuthInvalidCredentialsError', 400, undefined);
  }
}

function withDetails(error, details) {
  error.details = details;
  return error;
}

function jsonWithDetails(error) {
  return { ...AuthError.prototype.toJSON.call(error), details: error.details };
}

/** The redirect back from the auth server carried an error; `details` has it. */
export class AuthImplicitGrantRedirectError extends CustomAuthError {
  constructor(message, details = null) {
    super(message, 'AuthImplicitGrantRedirectError', 500, undefined);
    withDetails(this, details);
  }

  toJSON() {
    return jsonWithDetails(this);
  }
}

/** A PKCE code could not be exchanged for a session. */
export class AuthPKCEGrantCodeExchangeError extends CustomAuthError {
  constructor(message, details = null) {
    super(message, 'AuthPKCEGrantCodeExchangeError', 500, undefined);
    withDetails(this, details);
  }

  toJSON() {
    return jsonWithDetails(this);
  }
}

/** A PKCE callback arrived but this browser holds no code verifier for it (the flow began
 * in another browser, or storage was cleared). */
export class AuthPKCECodeVerifierMissingError extends CustomAuthError {
  constructor() {
    super(
      'PKCE code verifier not found in storage: the sign-in was started in another browser or ' +
        'device, or storage was cleared.',
      'AuthPKCECodeVerifierMissingError',
      400,
      'pkce_code_verifier_not_found',
    );
  }
}

/** The server could not be reached (`status` 0) or answered 500-504 / 520-530: trying again
 * may work. */
export class AuthRetryableFetchError extends CustomAuthError {
  constructor(message, status) {
    super(message, 'AuthRetryableFetchError', status, undefined);
  }
}

/** A refresh succeeded but its tokens were dropped, because the session changed meanwhile
 * (e.g. a sign-out during the refresh). */
export class AuthRefreshDiscardedError extends CustomAuthError {
  constructor(message = 'The refreshed session was discarded because the stored session changed meanwhile') {
    super(message, 'AuthRefreshDiscardedError', 409, undefined);
  }
}

/** The server refused the password; `reasons` says why (`length`, `characters`, `pwned`). */
export class AuthWeakPasswordError extends CustomAuthError {
  constructor(message, status, reasons) {
    super(message, 'AuthWeakPasswordError', status, 'weak_password');
    this.reasons = reasons;
  }

  toJSON() {
    return { ...super.toJSON(), reasons: this.reasons };
  }
}

/** A JWT could not be decoded or verified. */
export class AuthInvalidJwtError extends CustomAuthError {
  constructor(message) {
    super(message, 'AuthInvalidJwtError', 400, 'invalid_jwt');
  }
}

/** True for any error from the auth client (this one or auth-js). */
export function isAuthError(error) {
  return typeof error === 'object' && error !== null && '__isAuthError' in error;
}

function isNamed(error, name) {
  return isAuthError(error) && error.name === name;
}

export function isAuthApiError(error) {
  return isNamed(error, 'AuthApiError');
}

export function isAuthSessionMissingError(error) {
  return isNamed(error, 'AuthSessionMissingError');
}

export function isAuthRetryableFetchError(error) {
  return isNamed(error, 'AuthRetryableFetchError');
}

export function isAuthWeakPasswordError(error) {
  return isNamed(error, 'AuthWeakPasswordError');
}

export function isAuthImplicitGrantRedirectError(error) {
  return isNamed(error, 'AuthImplicitGrantRedirectError');
}

export function isAuthPKCECodeVerifierMissingError(error) {
  return isNamed(error, 'AuthPKCECodeVerifierMissingError');
}

export function isAuthRefreshDiscardedError(error) {
  return isNamed(error, 'AuthRefreshDiscardedError');
}
