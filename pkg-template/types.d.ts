// The data types of the JavaScript API: every type auth-js 2.119 exports from its package
// root, under the same name and with the same shape, so that code written against auth-js's
// types compiles unchanged (tests/packaging/exports.test.mjs holds the list of names to
// auth-js's; src/types/typescript_tests.rs holds `User`, `Session`, `Factor`, `UserIdentity`
// and `WeakPassword` to the Rust types the engine writes). `any` appears only where auth-js
// has it (metadata, claims and keys, whose members are the app's own).
import type { AuthError } from './errors.js';

// ---- Sessions, users, events -------------------------------------------------------------

export type Provider =
  | 'apple' | 'azure' | 'bitbucket' | 'discord' | 'facebook' | 'figma' | 'github' | 'gitlab' | 'google'
  | 'kakao' | 'keycloak' | 'linkedin' | 'linkedin_oidc' | 'notion' | 'slack' | 'slack_oidc' | 'spotify'
  | 'twitch' | 'twitter' | 'x' | 'workos' | 'zoom' | 'fly' | `custom:${string}`;

export type AuthChangeEventMFA = 'MFA_CHALLENGE_VERIFIED';
export type AuthChangeEvent =
  | 'INITIAL_SESSION' | 'PASSWORD_RECOVERY' | 'SIGNED_IN' | 'SIGNED_OUT' | 'TOKEN_REFRESHED' | 'USER_UPDATED'
  | AuthChangeEventMFA;

/** A lock function (`navigatorLock`, `processLock`, or the app's own). */
export type LockFunc = <R>(name: string, acquireTimeout: number, fn: () => Promise<R>) => Promise<R>;

export type ExperimentalFeatureFlags = {
  passkey?: boolean;
  recoveryCodes?: boolean;
  appendPkceFlowIdToRedirects?: boolean;
};

/** The options of `new GoTrueClient(…)`; the README says how each is honoured. */
export type GoTrueClientOptions = {
  url?: string;
  headers?: { [key: string]: string };
  storageKey?: string;
  detectSessionInUrl?: boolean | ((url: URL, params: { [parameter: string]: string }) => boolean);
  autoRefreshToken?: boolean;
  persistSession?: boolean;
  storage?: SupportedStorage;
  userStorage?: SupportedStorage;
  fetch?: typeof fetch;
  flowType?: AuthFlowType;
  debug?: boolean | ((message: string, ...args: any[]) => void);
  lock?: LockFunc;
  hasCustomAuthorizationHeader?: boolean;
  throwOnError?: boolean;
  lockAcquireTimeout?: number;
  skipAutoInitialize?: boolean;
  experimental?: ExperimentalFeatureFlags;
  /** gotrue-wasm: how often (ms) the background refresh looks at the session. */
  autoRefreshTickDuration?: number;
  /** gotrue-wasm: how many ticks before expiry the background refresh starts. */
  autoRefreshTickThreshold?: number;
  /**
   * gotrue-wasm: milliseconds any request may take, answer included, before it is aborted and
   * fails as `AuthRetryableFetchError` with code `request_timeout` (default 30,000).
   */
  requestTimeout?: number;
};

export type WeakPasswordReasons = 'length' | 'characters' | 'pwned';
/** A reason the server gave; the known ones are `WeakPasswordReasons`. */
export type WeakPasswordReason = WeakPasswordReasons | (string & {});
export interface WeakPassword { reasons: WeakPasswordReasons[]; message: string }

export type Prettify<T> = T extends Function ? T : { [K in keyof T]: T[K] };
export type StrictOmit<T, K extends keyof T> = Omit<T, K>;

/** `{ data, error }` whose data is `null` on error. */
export type RequestResult<T, ErrorType extends Error = AuthError> =
  | { data: T; error: null }
  | { data: null; error: Error extends AuthError ? AuthError : ErrorType };
/** `{ data, error }` whose data members are all `null` on error. */
export type RequestResultSafeDestructure<T> =
  | { data: T; error: null }
  | { data: T extends object ? { [K in keyof T]: null } : null; error: AuthError };

export type AuthResponse = RequestResultSafeDestructure<{ user: User | null; session: Session | null }>;
export type AuthResponsePassword = RequestResultSafeDestructure<{
  user: User | null; session: Session | null; weak_password?: WeakPassword | null;
}>;
export type AuthOtpResponse = RequestResultSafeDestructure<{ user: null; session: null; messageId?: string | null }>;
export type AuthTokenResponse = RequestResultSafeDestructure<{ user: User; session: Session }>;
export type AuthTokenResponsePassword = RequestResultSafeDestructure<{
  user: User; session: Session; weakPassword?: WeakPassword;
}>;
export type OAuthResponse =
  | { data: { provider: Provider; url: string; flowId?: string | null }; error: null }
  | { data: { provider: Provider; url: null; flowId?: string | null }; error: AuthError };
export type SSOResponse = RequestResult<{ url: string }>;
export type UserResponse = RequestResultSafeDestructure<{ user: User }>;

export interface Session {
  provider_token?: string | null;
  provider_refresh_token?: string | null;
  access_token: string;
  refresh_token: string;
  expires_in: number;
  expires_at?: number;
  token_type: 'bearer';
  user: User;
  /** gotrue-wasm: the server's verdict on the password, after a password sign-in. */
  weak_password?: WeakPassword;
}

export type AMRMethod =
  | 'password' | 'otp' | 'oauth' | 'totp' | 'mfa/totp' | 'mfa/phone' | 'mfa/webauthn' | 'mfa/recovery_code'
  | 'anonymous' | 'sso/saml' | 'magiclink' | 'web3' | 'oauth_provider/authorization_code' | (string & {});
export interface AMREntry { method: AMRMethod; timestamp: number }

export interface UserIdentity {
  id: string;
  user_id: string;
  identity_data?: { [key: string]: any };
  identity_id: string;
  provider: string;
  created_at?: string;
  last_sign_in_at?: string;
  updated_at?: string;
  /** gotrue-wasm: the identity's email, as the server sends it. */
  email?: string;
}

export type FactorType = 'totp' | 'phone' | 'webauthn' | 'recovery_code';
type FactorVerificationStatus = 'verified' | 'unverified';
export interface Factor<Type extends FactorType = FactorType, Status extends FactorVerificationStatus = FactorVerificationStatus> {
  id: string;
  friendly_name?: string;
  factor_type: Type;
  status: Status;
  created_at: string;
  updated_at: string;
  last_challenged_at?: string;
  /** gotrue-wasm: a phone factor's number, as the server sends it. */
  phone?: string;
}

export interface UserAppMetadata { provider?: string; providers?: string[]; [key: string]: any }
export interface UserMetadata { [key: string]: any }

export interface User {
  id: string;
  app_metadata: UserAppMetadata;
  user_metadata: UserMetadata;
  aud: string;
  confirmation_sent_at?: string;
  recovery_sent_at?: string;
  email_change_sent_at?: string;
  new_email?: string;
  new_phone?: string;
  invited_at?: string;
  action_link?: string;
  email?: string;
  phone?: string;
  created_at: string;
  confirmed_at?: string;
  email_confirmed_at?: string;
  phone_confirmed_at?: string;
  last_sign_in_at?: string;
  role?: string;
  updated_at?: string;
  identities?: UserIdentity[];
  is_anonymous?: boolean;
  is_sso_user?: boolean;
  factors?: (Factor<FactorType, 'verified'> | Factor<FactorType, 'unverified'>)[];
  deleted_at?: string;
  banned_until?: string;
  /** gotrue-wasm: when a phone change was requested, as the server sends it. */
  phone_change_sent_at?: string;
  /** gotrue-wasm: when the last reauthentication code was sent, as the server sends it. */
  reauthentication_sent_at?: string;
}

export interface UserAttributes {
  current_password?: string;
  email?: string;
  phone?: string;
  password?: string;
  nonce?: string;
  data?: object;
  /** gotrue-wasm: how a phone change's code is sent. */
  channel?: 'sms' | 'whatsapp';
}

export interface AdminUserAttributes extends Omit<UserAttributes, 'data'> {
  user_metadata?: object;
  app_metadata?: object;
  email_confirm?: boolean;
  phone_confirm?: boolean;
  ban_duration?: string | 'none';
  role?: string;
  password_hash?: string;
  id?: string;
}

export interface Subscription {
  id: string | symbol;
  callback: (event: AuthChangeEvent, session: Session | null) => void;
  unsubscribe: () => void;
}

// ---- Sign-in credentials ------------------------------------------------------------------

export type SignInAnonymouslyCredentials = { options?: { data?: object; captchaToken?: string } };

type PasswordCredentialsBase = { email: string; password: string } | { phone: string; password: string };
export type SignUpWithPasswordCredentials = PasswordCredentialsBase & {
  options?: { emailRedirectTo?: string; data?: object; captchaToken?: string; channel?: 'sms' | 'whatsapp' };
};
export type SignInWithPasswordCredentials = PasswordCredentialsBase & { options?: { captchaToken?: string } };
export type SignInWithPasswordlessCredentials =
  | { email: string; options?: { emailRedirectTo?: string; shouldCreateUser?: boolean; data?: object; captchaToken?: string } }
  | { phone: string; options?: { shouldCreateUser?: boolean; data?: object; captchaToken?: string; channel?: 'sms' | 'whatsapp' } };

export type AuthFlowType = 'implicit' | 'pkce' | (string & {});

export type SignInWithOAuthCredentials = {
  provider: Provider;
  options?: { redirectTo?: string; scopes?: string; queryParams?: { [key: string]: string }; skipBrowserRedirect?: boolean };
};
export type SignInWithIdTokenCredentials = {
  provider: 'google' | 'apple' | 'azure' | 'facebook' | 'kakao' | `custom:${string}` | (string & {});
  token: string;
  access_token?: string;
  nonce?: string;
  options?: { captchaToken?: string };
};

/** What a Solana wallet's Sign-In-With-Solana takes (all optional; the client fills in the rest). */
interface SolanaSignInInput {
  readonly domain?: string; readonly address?: string; readonly statement?: string; readonly uri?: string;
  readonly version?: string; readonly chainId?: string; readonly nonce?: string; readonly issuedAt?: string;
  readonly expirationTime?: string; readonly notBefore?: string; readonly requestId?: string;
  readonly resources?: readonly string[];
}
interface SolanaSignInOutput {
  readonly account: {
    readonly address: string; readonly publicKey: Uint8Array;
    readonly chains: readonly `${string}:${string}`[]; readonly features: readonly `${string}:${string}`[];
    readonly label?: string; readonly icon?: `data:image/${'svg+xml' | 'webp' | 'png' | 'gif'};base64,${string}`;
  };
  readonly signedMessage: Uint8Array;
  readonly signature: Uint8Array;
  readonly signatureType?: 'ed25519';
}
export type SolanaWallet = {
  signIn?: (...inputs: SolanaSignInInput[]) => Promise<SolanaSignInOutput | SolanaSignInOutput[]>;
  publicKey?: { toBase58: () => string } | null;
  signMessage?: (message: Uint8Array, encoding?: 'utf8' | string) => Promise<Uint8Array> | undefined;
};
export type SolanaWeb3Credentials =
  | {
      chain: 'solana';
      wallet?: SolanaWallet;
      statement?: string;
      options?: {
        url?: string;
        captchaToken?: string;
        signInWithSolana?: Partial<Omit<SolanaSignInInput, 'version' | 'chain' | 'domain' | 'uri' | 'statement'>>;
      };
    }
  | { chain: 'solana'; message: string; signature: Uint8Array; options?: { captchaToken?: string } };

type Hex = `0x${string}`;
interface EIP1193EventMap {
  accountsChanged(accounts: Hex[]): void;
  chainChanged(chainId: string): void;
  connect(connectInfo: { chainId: string }): void;
  disconnect(error: { code: number; message: string }): void;
  message(message: { type: string; data: unknown }): void;
}
/** An EIP-1193 provider (`window.ethereum`). */
export type EthereumWallet = {
  on<E extends keyof EIP1193EventMap>(event: E, listener: EIP1193EventMap[E]): void;
  removeListener<E extends keyof EIP1193EventMap>(event: E, listener: EIP1193EventMap[E]): void;
  address: string;
  request: (args: { method: string; params?: unknown }) => Promise<unknown>;
};
/** The EIP-4361 message fields an app may set. */
interface EthereumSignInInput {
  address: Hex; chainId: number; domain: string; expirationTime?: Date | undefined; issuedAt?: Date | undefined;
  nonce?: string; notBefore?: Date | undefined; requestId?: string | undefined; resources?: string[] | undefined;
  scheme?: string | undefined; statement?: string | undefined; uri: string; version: '1';
}
export type EthereumWeb3Credentials =
  | {
      chain: 'ethereum';
      wallet?: EthereumWallet;
      statement?: string;
      options?: {
        url?: string;
        captchaToken?: string;
        signInWithEthereum?: Partial<Omit<EthereumSignInInput, 'version' | 'domain' | 'uri' | 'statement'>>;
      };
    }
  | { chain: 'ethereum'; message: string; signature: Hex; options?: { captchaToken?: string } };
export type Web3Credentials = SolanaWeb3Credentials | EthereumWeb3Credentials;

// ---- One-time codes, links, SSO ---------------------------------------------------------------

export type MobileOtpType = 'sms' | 'phone_change' | (string & {});
export type EmailOtpType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change' | 'email' | (string & {});
export interface VerifyMobileOtpParams {
  phone: string; token: string; type: MobileOtpType; options?: { redirectTo?: string; captchaToken?: string };
}
export interface VerifyEmailOtpParams {
  email: string; token: string; type: EmailOtpType; options?: { redirectTo?: string; captchaToken?: string };
}
export interface VerifyTokenHashParams { token_hash: string; type: EmailOtpType }
export type VerifyOtpParams = VerifyMobileOtpParams | VerifyEmailOtpParams | VerifyTokenHashParams;

export type ResendParams =
  | {
      type: Extract<EmailOtpType, 'signup' | 'email_change'>;
      email: string;
      options?: { emailRedirectTo?: string; captchaToken?: string };
    }
  | { type: Extract<MobileOtpType, 'sms' | 'phone_change'>; phone: string; options?: { captchaToken?: string } };

type SSOOptions = { redirectTo?: string; captchaToken?: string; skipBrowserRedirect?: boolean };
export type SignInWithSSO = { providerId: string; options?: SSOOptions } | { domain: string; options?: SSOOptions };

export interface GenerateLinkOptions { data?: object; redirectTo?: string }
export type GenerateSignupLinkParams = {
  type: 'signup'; email: string; password: string; options?: Pick<GenerateLinkOptions, 'data' | 'redirectTo'>;
};
export type GenerateInviteOrMagiclinkParams = {
  type: 'invite' | 'magiclink'; email: string; options?: Pick<GenerateLinkOptions, 'data' | 'redirectTo'>;
};
export type GenerateRecoveryLinkParams = { type: 'recovery'; email: string; options?: Pick<GenerateLinkOptions, 'redirectTo'> };
export type GenerateEmailChangeLinkParams = {
  type: 'email_change_current' | 'email_change_new'; email: string; newEmail: string;
  options?: Pick<GenerateLinkOptions, 'redirectTo'>;
};
export type GenerateLinkParams =
  | GenerateSignupLinkParams | GenerateInviteOrMagiclinkParams | GenerateRecoveryLinkParams | GenerateEmailChangeLinkParams;
export type GenerateLinkType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change_current' | 'email_change_new';
export type GenerateLinkProperties = {
  action_link: string; email_otp: string; hashed_token: string; redirect_to: string; verification_type: GenerateLinkType;
};
export type GenerateLinkResponse = RequestResultSafeDestructure<{ properties: GenerateLinkProperties; user: User }>;

// ---- MFA ----------------------------------------------------------------------------------------

type MFAEnrollParamsBase<T extends FactorType> = { factorType: T; friendlyName?: string };
export type MFAEnrollTOTPParams = MFAEnrollParamsBase<'totp'> & { issuer?: string };
export type MFAEnrollPhoneParams = MFAEnrollParamsBase<'phone'> & { phone: string };
export type MFAEnrollWebauthnParams = MFAEnrollParamsBase<'webauthn'>;
export type MFAEnrollParams = MFAEnrollTOTPParams | MFAEnrollPhoneParams | MFAEnrollWebauthnParams;
export type MFAUnenrollParams = { factorId: string };

type MFAVerifyParamsBase = { factorId: string; challengeId: string };
export type MFAVerifyTOTPParams = MFAVerifyParamsBase & { code: string };
export type MFAVerifyPhoneParams = MFAVerifyParamsBase & { code: string };
/** A WebAuthn credential the browser created (`create`) or used (`request`). */
type WebAuthnCredential = PublicKeyCredential;
export type MFAVerifyWebauthnParamFields<T extends 'create' | 'request' = 'create' | 'request'> = {
  webauthn: { rpId: string; rpOrigins?: string[]; type: T; credential_response: WebAuthnCredential };
};
export type MFAVerifyWebauthnParams<T extends 'create' | 'request' = 'create' | 'request'> =
  MFAVerifyParamsBase & MFAVerifyWebauthnParamFields<T>;
export type MFAVerifyParams = MFAVerifyTOTPParams | MFAVerifyPhoneParams | MFAVerifyWebauthnParams;

export type MFATOTPChannel = 'sms' | 'whatsapp';
export type MFAChallengeTOTPParams = { factorId: string };
export type MFAChallengePhoneParams = { factorId: string; channel: MFATOTPChannel };
export type MFAChallengeWebauthnParams = { factorId: string; webauthn: { rpId: string; rpOrigins?: string[] } };
export type MFAChallengeParams = MFAChallengeTOTPParams | MFAChallengePhoneParams | MFAChallengeWebauthnParams;
export type MFAChallengeAndVerifyParams = { factorId: string; code: string };

export type AuthMFAVerifyResponseData = {
  access_token: string; token_type: 'bearer'; expires_in: number; refresh_token: string; user: User;
};
export type AuthMFAVerifyResponse = RequestResult<AuthMFAVerifyResponseData>;

type AuthMFAEnrollResponseBase<T extends FactorType> = { id: string; type: T; friendly_name?: string };
export type AuthMFAEnrollTOTPResponse = RequestResult<
  AuthMFAEnrollResponseBase<'totp'> & { totp: { qr_code: string; secret: string; uri: string } }
>;
export type AuthMFAEnrollPhoneResponse = RequestResult<AuthMFAEnrollResponseBase<'phone'> & { phone: string }>;
export type AuthMFAEnrollWebauthnResponse = RequestResult<AuthMFAEnrollResponseBase<'webauthn'>>;
export type AuthMFAEnrollResponse = AuthMFAEnrollTOTPResponse | AuthMFAEnrollPhoneResponse | AuthMFAEnrollWebauthnResponse;
export type AuthMFAUnenrollResponse = RequestResult<{ id: string }>;

export type MFARecoveryCodesGenerateParams = { friendlyName?: string };
export type MFARecoveryCodesVerifyParams = { code: string };
export type AuthMFARecoveryCodesStatusResponseData = { id: string; type: 'recovery_code'; total: number; remaining: number };
export type AuthMFARecoveryCodesStatusResponse = RequestResult<AuthMFARecoveryCodesStatusResponseData>;
export type AuthMFARecoveryCodesGenerateResponseData = {
  id: string; type: 'recovery_code'; friendly_name?: string; total: number; codes: string[];
};
export type AuthMFARecoveryCodesGenerateResponse = RequestResult<AuthMFARecoveryCodesGenerateResponseData>;

/** The WebAuthn options as the server sends them (binary members base64url-encoded). */
type WebAuthnOptionsJSON = { challenge: string; [member: string]: unknown };
type AuthMFAChallengeResponseBase<T extends FactorType> = { id: string; type: T; expires_at: number };
export type AuthMFAChallengeTOTPResponse = RequestResult<AuthMFAChallengeResponseBase<'totp'>>;
export type AuthMFAChallengePhoneResponse = RequestResult<AuthMFAChallengeResponseBase<'phone'>>;
export type AuthMFAChallengeWebauthnResponseDataJSON = AuthMFAChallengeResponseBase<'webauthn'> & {
  webauthn:
    | { type: 'create'; credential_options: { publicKey: WebAuthnOptionsJSON } }
    | { type: 'request'; credential_options: { publicKey: WebAuthnOptionsJSON } };
};
/** gotrue-wasm hands the options over as the server sent them (see the README). */
export type AuthMFAChallengeWebauthnResponse = RequestResult<AuthMFAChallengeWebauthnResponseDataJSON>;
export type AuthMFAChallengeWebauthnServerResponse = RequestResult<AuthMFAChallengeWebauthnResponseDataJSON>;
export type AuthMFAChallengeResponse =
  | AuthMFAChallengeTOTPResponse | AuthMFAChallengePhoneResponse | AuthMFAChallengeWebauthnResponse;

type FactorTypeList = readonly FactorType[];
export type AuthMFAListFactorsResponse<T extends FactorTypeList = readonly ['totp', 'phone', 'webauthn', 'recovery_code']> =
  RequestResult<{ all: Factor[] } & { [K in T[number]]: Factor<K, 'verified'>[] }>;

export type AuthenticatorAssuranceLevels = 'aal1' | 'aal2' | (string & {});
export type AuthMFAGetAuthenticatorAssuranceLevelResponse = RequestResult<{
  currentLevel: AuthenticatorAssuranceLevels | null;
  nextLevel: AuthenticatorAssuranceLevels | null;
  currentAuthenticationMethods: AMREntry[] | string[];
}>;

export interface AuthMFARecoveryCodesApi {
  getStatus(): Promise<AuthMFARecoveryCodesStatusResponse>;
  generate(params?: MFARecoveryCodesGenerateParams): Promise<AuthMFARecoveryCodesGenerateResponse>;
  verify(params: MFARecoveryCodesVerifyParams): Promise<AuthMFAVerifyResponse>;
  regenerate(): Promise<AuthMFARecoveryCodesGenerateResponse>;
  unenroll(): Promise<AuthMFAUnenrollResponse>;
}

/** WebAuthn ceremony options a caller may lay over the server's (auth-js's `overrides`). */
type CreationOverrides = Partial<PublicKeyCredentialCreationOptions> & { hints?: string[] };
type RequestOverrides = Partial<PublicKeyCredentialRequestOptions> & { hints?: string[] };
type WebAuthnTarget = { rpId?: string; rpOrigins?: string[]; signal?: AbortSignal };

/**
 * `client.mfa.webauthn`: auth-js's WebAuthn factor steps over `mfa.enroll` / `challenge` /
 * `verify`, with the browser's `navigator.credentials` ceremony between challenge and verify.
 */
interface WebAuthnApi {
  enroll(params: Omit<MFAEnrollWebauthnParams, 'factorType'>): Promise<AuthMFAEnrollWebauthnResponse>;
  challenge(
    params: MFAChallengeWebauthnParams & { friendlyName?: string; signal?: AbortSignal },
    overrides?: { create?: CreationOverrides; request?: never } | { create?: never; request?: RequestOverrides },
  ): Promise<RequestResult<{
    factorId: string;
    challengeId: string;
    webauthn: { type: 'create' | 'request'; credential_response: WebAuthnCredential };
  }>>;
  verify<T extends 'create' | 'request'>(params: {
    challengeId: string; factorId: string; webauthn: MFAVerifyWebauthnParams<T>['webauthn'];
  }): Promise<AuthMFAVerifyResponse>;
  authenticate(
    params: { factorId: string; webauthn?: WebAuthnTarget },
    overrides?: RequestOverrides,
  ): Promise<RequestResult<AuthMFAVerifyResponseData>>;
  register(
    params: { friendlyName: string; webauthn?: WebAuthnTarget },
    overrides?: CreationOverrides,
  ): Promise<RequestResult<AuthMFAVerifyResponseData>>;
}

/** `client.mfa`. */
export interface GoTrueMFAApi {
  enroll(params: MFAEnrollTOTPParams): Promise<AuthMFAEnrollTOTPResponse>;
  enroll(params: MFAEnrollPhoneParams): Promise<AuthMFAEnrollPhoneResponse>;
  enroll(params: MFAEnrollWebauthnParams): Promise<AuthMFAEnrollWebauthnResponse>;
  enroll(params: MFAEnrollParams): Promise<AuthMFAEnrollResponse>;
  challenge(params: MFAChallengeTOTPParams): Promise<Prettify<AuthMFAChallengeTOTPResponse>>;
  challenge(params: MFAChallengePhoneParams): Promise<Prettify<AuthMFAChallengePhoneResponse>>;
  challenge(params: MFAChallengeWebauthnParams): Promise<Prettify<AuthMFAChallengeWebauthnResponse>>;
  challenge(params: MFAChallengeParams): Promise<AuthMFAChallengeResponse>;
  verify(params: MFAVerifyTOTPParams): Promise<AuthMFAVerifyResponse>;
  verify(params: MFAVerifyPhoneParams): Promise<AuthMFAVerifyResponse>;
  verify(params: MFAVerifyWebauthnParams): Promise<AuthMFAVerifyResponse>;
  verify(params: MFAVerifyParams): Promise<AuthMFAVerifyResponse>;
  unenroll(params: MFAUnenrollParams): Promise<AuthMFAUnenrollResponse>;
  /** For a WebAuthn factor (no `code`), gotrue-wasm lets the browser answer the challenge. */
  challengeAndVerify(params: MFAChallengeAndVerifyParams | { factorId: string }): Promise<AuthMFAVerifyResponse>;
  listFactors(): Promise<AuthMFAListFactorsResponse>;
  getAuthenticatorAssuranceLevel(jwt?: string): Promise<AuthMFAGetAuthenticatorAssuranceLevelResponse>;
  webauthn: WebAuthnApi;
  /** Experimental, as in auth-js: every call throws unless `experimental.recoveryCodes` is set. */
  recoveryCodes: AuthMFARecoveryCodesApi;
}

export type AuthMFAAdminDeleteFactorResponse = RequestResult<{ id: string }>;
export type AuthMFAAdminDeleteFactorParams = { id: string; userId: string };
export type AuthMFAAdminListFactorsResponse = RequestResult<{ factors: Factor[] }>;
export type AuthMFAAdminListFactorsParams = { userId: string };

/** `admin.mfa`. */
export interface GoTrueAdminMFAApi {
  listFactors(params: AuthMFAAdminListFactorsParams): Promise<AuthMFAAdminListFactorsResponse>;
  deleteFactor(params: AuthMFAAdminDeleteFactorParams): Promise<AuthMFAAdminDeleteFactorResponse>;
}

// ---- Storage, results, paging, JWTs -------------------------------------------------------------

/** `localStorage`, or any object with these three (possibly async) methods. */
export type SupportedStorage = {
  getItem: (key: string) => string | null | Promise<string | null>;
  setItem: (key: string, value: string) => void | Promise<void>;
  removeItem: (key: string) => void | Promise<void>;
  isServer?: boolean;
};

export type InitializeResult = { error: AuthError | null };
export type CallRefreshTokenResult = RequestResult<Session>;
export type Pagination = { [key: string]: any; nextPage: number | null; lastPage: number; total: number };
export type PageParams = { page?: number; perPage?: number };
export type SignOut = { scope?: 'global' | 'local' | 'others' };

export type JwtHeader = { alg: 'RS256' | 'ES256' | 'HS256' | (string & {}); kid: string; typ: string };
export type RequiredClaims = {
  iss: string; sub: string; aud: string | string[]; exp: number; iat: number; role: string;
  aal: AuthenticatorAssuranceLevels; session_id: string;
};
export interface JwtPayload extends RequiredClaims {
  email?: string;
  phone?: string;
  is_anonymous?: boolean;
  jti?: string;
  nbf?: number;
  app_metadata?: UserAppMetadata;
  user_metadata?: UserMetadata;
  amr?: AMREntry[] | string[];
  ref?: string;
  [key: string]: any;
}
export interface JWK {
  kty: 'RSA' | 'EC' | 'oct' | (string & {});
  key_ops: string[];
  alg?: string;
  kid?: string;
  [key: string]: any;
}

export declare const SIGN_OUT_SCOPES: readonly ['global', 'local', 'others'];
export type SignOutScope = (typeof SIGN_OUT_SCOPES)[number];

// ---- The OAuth 2.1 server, OAuth client and custom provider administration, passkeys ---------

export type OAuthClientGrantType = 'authorization_code' | 'refresh_token' | (string & {});
export type OAuthClientResponseType = 'code';
export type OAuthClientType = 'public' | 'confidential';
export type OAuthClientRegistrationType = 'dynamic' | 'manual';
export type OAuthClientTokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';
export type OAuthClient = {
  client_id: string; client_name: string; client_secret?: string; client_type: OAuthClientType;
  token_endpoint_auth_method: OAuthClientTokenEndpointAuthMethod; registration_type: OAuthClientRegistrationType;
  client_uri?: string; logo_uri?: string; redirect_uris: string[]; grant_types: OAuthClientGrantType[];
  response_types: OAuthClientResponseType[]; scope?: string; created_at: string; updated_at: string;
};
export type CreateOAuthClientParams = {
  client_name: string; client_uri?: string; redirect_uris: string[]; grant_types?: OAuthClientGrantType[];
  response_types?: OAuthClientResponseType[]; scope?: string; token_endpoint_auth_method?: OAuthClientTokenEndpointAuthMethod;
};
export type UpdateOAuthClientParams = {
  client_name?: string; client_uri?: string; logo_uri?: string; redirect_uris?: string[];
  grant_types?: OAuthClientGrantType[]; token_endpoint_auth_method?: OAuthClientTokenEndpointAuthMethod;
};
export type OAuthClientResponse = RequestResult<OAuthClient>;
export type OAuthClientListResponse =
  | { data: { clients: OAuthClient[]; aud: string } & Pagination; error: null }
  | { data: { clients: [] }; error: AuthError };
export interface GoTrueAdminOAuthApi {
  listClients(params?: PageParams): Promise<OAuthClientListResponse>;
  createClient(params: CreateOAuthClientParams): Promise<OAuthClientResponse>;
  getClient(clientId: string): Promise<OAuthClientResponse>;
  updateClient(clientId: string, params: UpdateOAuthClientParams): Promise<OAuthClientResponse>;
  deleteClient(clientId: string): Promise<{ data: null; error: AuthError | null }>;
  regenerateClientSecret(clientId: string): Promise<OAuthClientResponse>;
}

export type CustomProviderType = 'oauth2' | 'oidc';
export type OIDCDiscoveryDocument = {
  issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string;
  userinfo_endpoint?: string; revocation_endpoint?: string; supported_scopes?: string[];
  supported_response_types?: string[]; supported_subject_types?: string[]; supported_id_token_signing_algs?: string[];
};
type CustomProviderSettings = {
  acceptable_client_ids?: string[]; scopes?: string[]; custom_claims_allowlist?: string[]; pkce_enabled?: boolean;
  attribute_mapping?: Record<string, any>; authorization_params?: Record<string, string>; enabled?: boolean;
  email_optional?: boolean; issuer?: string; discovery_url?: string; skip_nonce_check?: boolean;
  authorization_url?: string; token_url?: string; userinfo_url?: string; jwks_uri?: string;
};
export type CustomOAuthProvider = CustomProviderSettings & {
  id: string; provider_type: CustomProviderType; identifier: string; name: string; client_id: string;
  discovery_document?: OIDCDiscoveryDocument | null; created_at: string; updated_at: string;
};
export type CreateCustomProviderParams = CustomProviderSettings & {
  provider_type: CustomProviderType; identifier: string; name: string; client_id: string; client_secret: string;
};
export type UpdateCustomProviderParams = CustomProviderSettings & { name?: string; client_id?: string; client_secret?: string };
export type ListCustomProvidersParams = { type?: CustomProviderType };
export type CustomProviderResponse = RequestResult<CustomOAuthProvider>;
export type CustomProviderListResponse =
  | { data: { providers: CustomOAuthProvider[] }; error: null }
  | { data: { providers: [] }; error: AuthError };
export interface GoTrueAdminCustomProvidersApi {
  listProviders(params?: ListCustomProvidersParams): Promise<CustomProviderListResponse>;
  createProvider(params: CreateCustomProviderParams): Promise<CustomProviderResponse>;
  getProvider(identifier: string): Promise<CustomProviderResponse>;
  updateProvider(identifier: string, params: UpdateCustomProviderParams): Promise<CustomProviderResponse>;
  deleteProvider(identifier: string): Promise<{ data: null; error: AuthError | null }>;
}

export type OAuthAuthorizationClient = { id: string; name: string; uri: string; logo_uri: string };
export type OAuthAuthorizationDetails = {
  authorization_id: string; redirect_uri: string; client: OAuthAuthorizationClient;
  user: { id: string; email: string }; scope: string;
};
export type OAuthRedirect = { redirect_url: string };
export type AuthOAuthAuthorizationDetailsResponse = RequestResult<OAuthAuthorizationDetails | OAuthRedirect>;
export type AuthOAuthConsentResponse = RequestResult<OAuthRedirect>;
export type OAuthGrant = { client: OAuthAuthorizationClient; scopes: string[]; granted_at: string };
export type AuthOAuthGrantsResponse = RequestResult<OAuthGrant[]>;
export type AuthOAuthRevokeGrantResponse = RequestResult<{}>;
export interface AuthOAuthServerApi {
  getAuthorizationDetails(authorizationId: string): Promise<AuthOAuthAuthorizationDetailsResponse>;
  approveAuthorization(authorizationId: string, options?: { skipBrowserRedirect?: boolean }): Promise<AuthOAuthConsentResponse>;
  denyAuthorization(authorizationId: string, options?: { skipBrowserRedirect?: boolean }): Promise<AuthOAuthConsentResponse>;
  listGrants(): Promise<AuthOAuthGrantsResponse>;
  revokeGrant(options: { clientId: string }): Promise<AuthOAuthRevokeGrantResponse>;
}

/** A WebAuthn credential in its JSON form (`PublicKeyCredential.toJSON()`). */
type WebAuthnCredentialJSON = { id: string; rawId: string; type: 'public-key'; response: { [member: string]: unknown }; [member: string]: unknown };
export type PasskeyRegistrationOptionsResponse = { challenge_id: string; options: WebAuthnOptionsJSON; expires_at: number };
export type PasskeyRegistrationVerifyParams = { challenge_id: string; credential: WebAuthnCredentialJSON };
export type PasskeyMetadata = { id: string; friendly_name?: string; created_at: string };
export type PasskeyAuthenticationOptionsResponse = { challenge_id: string; options: WebAuthnOptionsJSON; expires_at: number };
export type PasskeyAuthenticationVerifyParams = { challenge_id: string; credential: WebAuthnCredentialJSON };
export type PasskeyListItem = { id: string; friendly_name?: string; created_at: string; last_used_at?: string };
export type SignInWithPasskeyCredentials = {
  options?: { captchaToken?: string; signal?: AbortSignal; mediation?: CredentialMediationRequirement };
};
export type RegisterPasskeyCredentials = { options?: { signal?: AbortSignal } };
export type VerifyPasskeyRegistrationParams = { challengeId: string; credential: WebAuthnCredentialJSON };
export type StartPasskeyAuthenticationParams = { options?: { captchaToken?: string } };
export type VerifyPasskeyAuthenticationParams = { challengeId: string; credential: WebAuthnCredentialJSON };
export type PasskeyUpdateParams = { passkeyId: string; friendlyName: string };
export type PasskeyDeleteParams = { passkeyId: string };
export type AuthPasskeyRegistrationOptionsResponse = RequestResult<PasskeyRegistrationOptionsResponse>;
export type AuthPasskeyRegistrationVerifyResponse = RequestResult<PasskeyMetadata>;
export type AuthPasskeyAuthenticationOptionsResponse = RequestResult<PasskeyAuthenticationOptionsResponse>;
export type AuthPasskeyAuthenticationVerifyResponse = RequestResult<{ session: Session | null; user: User | null }>;
export type AuthPasskeyListResponse = RequestResult<PasskeyListItem[]>;
export type AuthPasskeyUpdateResponse = RequestResult<PasskeyListItem>;
export type AuthPasskeyDeleteResponse = RequestResult<null>;
export type AuthPasskeyAdminListParams = { userId: string };
export type AuthPasskeyAdminDeleteParams = { userId: string; passkeyId: string };
export interface AuthPasskeyApi {
  startRegistration(): Promise<AuthPasskeyRegistrationOptionsResponse>;
  verifyRegistration(params: VerifyPasskeyRegistrationParams): Promise<AuthPasskeyRegistrationVerifyResponse>;
  startAuthentication(params?: StartPasskeyAuthenticationParams): Promise<AuthPasskeyAuthenticationOptionsResponse>;
  verifyAuthentication(params: VerifyPasskeyAuthenticationParams): Promise<AuthPasskeyAuthenticationVerifyResponse>;
  list(): Promise<AuthPasskeyListResponse>;
  update(params: PasskeyUpdateParams): Promise<AuthPasskeyUpdateResponse>;
  delete(params: PasskeyDeleteParams): Promise<AuthPasskeyDeleteResponse>;
}
export interface GoTrueAdminPasskeyApi {
  listPasskeys(params: AuthPasskeyAdminListParams): Promise<AuthPasskeyListResponse>;
  deletePasskey(params: AuthPasskeyAdminDeleteParams): Promise<AuthPasskeyDeleteResponse>;
}

// ---- gotrue-wasm's own names (kept for code written against earlier versions) --------------------

/** JSON data as the engine reads and writes it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What `mfa.enroll` answers, as the engine writes it. */
export interface MFAEnrollData {
  id: string; type: 'totp' | 'phone' | 'webauthn'; friendly_name: string | null;
  totp?: { qr_code: string; secret: string; uri: string }; phone?: string;
}
/** What `mfa.challenge` answers, as the engine writes it. */
export interface MFAChallengeData { id: string; type: string; expires_at: number; webauthn?: JsonValue }

// Only the names marked `export` above are exported.
export {};
