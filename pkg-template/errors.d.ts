/**
 * An error returned by the client (in `{ data, error }`, or thrown with `throwOnError`).
 *
 * It is a plain `Error` whose `name` is the auth-js class it stands for (`AuthApiError`,
 * `AuthSessionMissingError`, …). Use the `isAuth…Error` guards, not `instanceof`.
 */
export interface AuthError extends Error {
  /** Set on every auth error, this client's and auth-js's alike. */
  readonly __isAuthError: true;
  /** The HTTP status; `0` when no response arrived; `undefined` when no request was made. */
  status: number | undefined;
  /** The server's error code (e.g. `invalid_credentials`, `weak_password`), when known. */
  code: string | undefined;
}

/** The server answered with an error status. */
export interface AuthApiError extends AuthError {
  name: 'AuthApiError';
  status: number;
}

/** The operation needs a session and there is none. */
export interface AuthSessionMissingError extends AuthError {
  name: 'AuthSessionMissingError';
  status: number;
}

/** Network failure (`status` 0) or HTTP 500-504 / 520-530. */
export interface AuthRetryableFetchError extends AuthError {
  name: 'AuthRetryableFetchError';
  status: number;
}

/** Why the server refused a password. */
export type WeakPasswordReason = 'length' | 'characters' | 'pwned' | (string & {});

/** The server refused the password as too weak. */
export interface AuthWeakPasswordError extends AuthError {
  name: 'AuthWeakPasswordError';
  status: number;
  reasons: WeakPasswordReason[];
}

/** What the auth server put in the redirect URL's error parameters. */
export interface AuthRedirectErrorDetails {
  /** The OAuth error (`access_denied`, `server_error`, …). */
  error: string;
  /** The server's error code (e.g. `otp_expired`), when given. */
  code: string | null;
}

/** The redirect back from the auth server carried an error. */
export interface AuthImplicitGrantRedirectError extends AuthError {
  name: 'AuthImplicitGrantRedirectError';
  details: AuthRedirectErrorDetails | null;
}

/** A PKCE callback arrived without a stored code verifier for it. */
export interface AuthPKCECodeVerifierMissingError extends AuthError {
  name: 'AuthPKCECodeVerifierMissingError';
  status: number;
  code: 'pkce_code_verifier_not_found';
}

export declare function isAuthError(error: unknown): error is AuthError;
export declare function isAuthApiError(error: unknown): error is AuthApiError;
export declare function isAuthSessionMissingError(error: unknown): error is AuthSessionMissingError;
export declare function isAuthRetryableFetchError(error: unknown): error is AuthRetryableFetchError;
export declare function isAuthWeakPasswordError(error: unknown): error is AuthWeakPasswordError;
export declare function isAuthImplicitGrantRedirectError(error: unknown): error is AuthImplicitGrantRedirectError;
export declare function isAuthPKCECodeVerifierMissingError(error: unknown): error is AuthPKCECodeVerifierMissingError;
