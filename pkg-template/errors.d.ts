// auth-js's error classes and type guards (errors.js). Every error the client returns in
// `{ data, error }` (or throws with `throwOnError`) is an instance of one of these classes, so
// `instanceof` works as with auth-js; the guards also accept auth-js's own errors.
import type { WeakPasswordReasons } from './types.js';

/** The error codes the server is known to send; it may send others. */
export type ErrorCode =
  | 'unexpected_failure' | 'validation_failed' | 'bad_json' | 'email_exists' | 'phone_exists' | 'bad_jwt'
  | 'not_admin' | 'no_authorization' | 'user_not_found' | 'session_not_found' | 'session_expired'
  | 'refresh_token_not_found' | 'refresh_token_already_used' | 'flow_state_not_found' | 'flow_state_expired'
  | 'signup_disabled' | 'user_banned' | 'provider_email_needs_verification' | 'invite_not_found'
  | 'bad_oauth_state' | 'bad_oauth_callback' | 'oauth_provider_not_supported' | 'unexpected_audience'
  | 'single_identity_not_deletable' | 'email_conflict_identity_not_deletable' | 'identity_already_exists'
  | 'email_provider_disabled' | 'phone_provider_disabled' | 'too_many_enrolled_mfa_factors'
  | 'mfa_factor_name_conflict' | 'mfa_factor_not_found' | 'mfa_ip_address_mismatch' | 'mfa_challenge_expired'
  | 'webauthn_challenge_expired' | 'mfa_verification_failed' | 'mfa_verification_rejected' | 'insufficient_aal'
  | 'captcha_failed' | 'saml_provider_disabled' | 'manual_linking_disabled' | 'sms_send_failed'
  | 'email_not_confirmed' | 'phone_not_confirmed' | 'reauth_nonce_missing' | 'saml_relay_state_not_found'
  | 'saml_relay_state_expired' | 'saml_idp_not_found' | 'saml_assertion_no_user_id' | 'saml_assertion_no_email'
  | 'user_already_exists' | 'sso_provider_not_found' | 'saml_metadata_fetch_failed' | 'saml_idp_already_exists'
  | 'sso_domain_already_exists' | 'saml_entity_id_mismatch' | 'conflict' | 'provider_disabled'
  | 'user_sso_managed' | 'reauthentication_needed' | 'same_password' | 'reauthentication_not_valid'
  | 'otp_expired' | 'otp_disabled' | 'identity_not_found' | 'weak_password' | 'over_request_rate_limit'
  | 'over_email_send_rate_limit' | 'over_sms_send_rate_limit' | 'bad_code_verifier'
  | 'anonymous_provider_disabled' | 'hook_timeout' | 'hook_timeout_after_retry' | 'hook_payload_over_size_limit'
  | 'hook_payload_invalid_content_type' | 'request_timeout' | 'mfa_phone_enroll_not_enabled'
  | 'mfa_phone_verify_not_enabled' | 'mfa_totp_enroll_not_enabled' | 'mfa_totp_verify_not_enabled'
  | 'mfa_webauthn_enroll_not_enabled' | 'mfa_webauthn_verify_not_enabled' | 'mfa_recovery_codes_enroll_not_enabled'
  | 'mfa_recovery_codes_verify_not_enabled' | 'mfa_recovery_codes_locked' | 'mfa_recovery_codes_sole_factor'
  | 'mfa_verified_factor_exists' | 'invalid_credentials' | 'email_address_not_authorized' | 'email_address_invalid';

/** What `toJSON()` gives (an Error's `message` is not enumerable, so this is what
 * `JSON.stringify(error)` shows). */
type AuthErrorJSON = {
  name: string;
  message: string;
  status: number | undefined;
  code: ErrorCode | (string & {}) | undefined;
};

/** What the auth server put in an error redirect's parameters. */
export type AuthRedirectErrorDetails = { error: string; code: string };

/** The base class of every error the client returns or throws. */
export declare class AuthError extends Error {
  /** The server's error code (e.g. `invalid_credentials`, `weak_password`), when known. */
  code: ErrorCode | (string & {}) | undefined;
  /** The HTTP status; `0` when no response arrived; `undefined` when no request was made. */
  status: number | undefined;
  protected __isAuthError: boolean;
  constructor(message: string, status?: number, code?: string);
  toJSON(): AuthErrorJSON;
}

/** The server answered with an error status. */
export declare class AuthApiError extends AuthError {
  status: number;
  constructor(message: string, status: number, code: string | undefined);
}

/** Something unexpected, e.g. an answer that is not JSON; `originalError` is the cause. */
export declare class AuthUnknownError extends AuthError {
  originalError: unknown;
  constructor(message: string, originalError: unknown);
}

/** An auth error whose `name` is given; the parent of the client-side kinds below. */
export declare class CustomAuthError extends AuthError {
  name: string;
  status: number;
  constructor(message: string, name: string, status: number, code: string | undefined);
}

/** The operation needs a signed-in session and there is none. */
export declare class AuthSessionMissingError extends CustomAuthError {
  constructor();
}

/** A token answer (or a stored session) lacks the session or the user. */
export declare class AuthInvalidTokenResponseError extends CustomAuthError {
  constructor();
}

/** The credentials cannot be used as given (e.g. neither email nor phone). */
export declare class AuthInvalidCredentialsError extends CustomAuthError {
  constructor(message: string);
}

/** The redirect back from the auth server carried an error; `details` has it. */
export declare class AuthImplicitGrantRedirectError extends CustomAuthError {
  details: AuthRedirectErrorDetails | null;
  constructor(message: string, details?: AuthRedirectErrorDetails | null);
  toJSON(): AuthErrorJSON & { details: AuthRedirectErrorDetails | null };
}

/** A PKCE code could not be exchanged for a session. */
export declare class AuthPKCEGrantCodeExchangeError extends CustomAuthError {
  details: AuthRedirectErrorDetails | null;
  constructor(message: string, details?: AuthRedirectErrorDetails | null);
  toJSON(): AuthErrorJSON & { details: AuthRedirectErrorDetails | null };
}

/** A PKCE callback arrived without a stored code verifier for it. */
export declare class AuthPKCECodeVerifierMissingError extends CustomAuthError {
  constructor();
}

/** Network failure (`status` 0) or HTTP 500-504 / 520-530: trying again may work. */
export declare class AuthRetryableFetchError extends CustomAuthError {
  constructor(message: string, status: number);
}

/** A refresh's tokens were dropped because the session changed meanwhile. */
export declare class AuthRefreshDiscardedError extends CustomAuthError {
  constructor(message?: string);
}

/** The server refused the password as too weak; `reasons` says why. */
export declare class AuthWeakPasswordError extends CustomAuthError {
  reasons: WeakPasswordReasons[];
  constructor(message: string, status: number, reasons: WeakPasswordReasons[]);
  toJSON(): AuthErrorJSON & { reasons: WeakPasswordReasons[] };
}

/** A JWT could not be decoded or verified. */
export declare class AuthInvalidJwtError extends CustomAuthError {
  constructor(message: string);
}

export declare function isAuthError(error: unknown): error is AuthError;
export declare function isAuthApiError(error: unknown): error is AuthApiError;
export declare function isAuthSessionMissingError(error: unknown): error is AuthSessionMissingError;
export declare function isAuthRetryableFetchError(error: unknown): error is AuthRetryableFetchError;
export declare function isAuthWeakPasswordError(error: unknown): error is AuthWeakPasswordError;
export declare function isAuthImplicitGrantRedirectError(error: unknown): error is AuthImplicitGrantRedirectError;
export declare function isAuthPKCECodeVerifierMissingError(error: unknown): error is AuthPKCECodeVerifierMissingError;
export declare function isAuthRefreshDiscardedError(error: unknown): error is AuthRefreshDiscardedError;

// Only the names marked `export` above are exported.
export {};
