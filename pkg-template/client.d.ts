// The JavaScript API's types: auth-js's shapes for every object the client takes or returns,
// and the classes of client.js. No public signature uses `any`.
import type { AuthError } from './errors.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface UserIdentity {
  identity_id: string; id: string; user_id: string; identity_data?: JsonObject; provider: string;
  last_sign_in_at?: string; created_at?: string; updated_at?: string; email?: string;
}
export interface Factor {
  id: string; friendly_name?: string; factor_type: 'totp' | 'phone' | 'webauthn' | string;
  status: 'verified' | 'unverified' | string; phone: string; last_challenged_at: string | null;
  created_at?: string; updated_at?: string;
}
export interface User {
  id: string; aud: string; role: string; email: string; phone: string; is_anonymous: boolean;
  email_confirmed_at?: string; invited_at?: string; phone_confirmed_at?: string; confirmation_sent_at?: string;
  confirmed_at?: string; recovery_sent_at?: string; new_email?: string; email_change_sent_at?: string;
  new_phone?: string; phone_change_sent_at?: string; reauthentication_sent_at?: string; last_sign_in_at?: string;
  app_metadata: JsonObject; user_metadata: JsonObject; factors?: Factor[]; identities: UserIdentity[] | null;
  created_at?: string; updated_at?: string; banned_until?: string; deleted_at?: string;
}
export interface WeakPassword { message: string; reasons: string[] }
export interface Session {
  access_token: string; token_type: string; expires_in: number; expires_at: number; refresh_token: string;
  user: User; provider_token?: string; provider_refresh_token?: string; weak_password?: WeakPassword;
}
export type AuthChangeEvent =
  | 'INITIAL_SESSION' | 'SIGNED_IN' | 'SIGNED_OUT' | 'TOKEN_REFRESHED' | 'USER_UPDATED'
  | 'PASSWORD_RECOVERY' | 'MFA_CHALLENGE_VERIFIED';
export interface SupportedStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}
export interface GoTrueClientOptions {
  url?: string; headers?: { [name: string]: string }; storageKey?: string; persistSession?: boolean;
  autoRefreshToken?: boolean; flowType?: 'implicit' | 'pkce'; storage?: SupportedStorage;
  detectSessionInUrl?: boolean | ((url: URL, params: { [key: string]: string }) => boolean);
  skipAutoInitialize?: boolean; throwOnError?: boolean; debug?: boolean;
  autoRefreshTickDuration?: number; autoRefreshTickThreshold?: number;
  /** Every request goes through it, called as auth-js calls it: `fetch(url, { method, headers, body })`. */
  fetch?: typeof fetch;
  experimental?: { appendPkceFlowIdToRedirects?: boolean };
}

/** `{ data, error }`: data when it worked, the error (and data fields null) when not. */
export type Result<T> = { data: T; error: null } | { data: { [K in keyof T]: null }; error: AuthError };
/** `{ data, error }` whose data is a whole server object, null on error. */
export type DataResult<T> = { data: T; error: null } | { data: null; error: AuthError };
export type ErrorResult = { error: AuthError | null };
export type UserAndSession = { user: User | null; session: Session | null };
export type AuthResponse = Result<UserAndSession & { weakPassword?: WeakPassword }>;

export interface SignUpCredentials {
  email?: string; phone?: string; password: string;
  options?: { emailRedirectTo?: string; data?: JsonObject; captchaToken?: string; channel?: 'sms' | 'whatsapp' };
}
export interface SignInWithPasswordCredentials { email?: string; phone?: string; password: string; options?: { captchaToken?: string } }
export interface SignInWithOtpCredentials {
  email?: string; phone?: string;
  options?: { emailRedirectTo?: string; shouldCreateUser?: boolean; data?: JsonObject; captchaToken?: string; channel?: 'sms' | 'whatsapp' };
}
export type OtpType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change' | 'email' | 'sms' | 'phone_change';
export type VerifyOtpParams =
  | { email: string; token: string; type: OtpType; options?: { redirectTo?: string; captchaToken?: string } }
  | { phone: string; token: string; type: OtpType; options?: { captchaToken?: string } }
  | { token_hash: string; type: OtpType };
export interface ResendParams {
  type: 'signup' | 'email_change' | 'sms' | 'phone_change'; email?: string; phone?: string;
  options?: { emailRedirectTo?: string; captchaToken?: string };
}
export interface UserAttributes {
  email?: string; phone?: string; password?: string; nonce?: string; current_password?: string; data?: JsonObject;
  channel?: 'sms' | 'whatsapp';
}
export interface SignInWithOAuthCredentials {
  provider: string;
  options?: { redirectTo?: string; scopes?: string; queryParams?: { [key: string]: string }; skipBrowserRedirect?: boolean };
}
export interface SignInWithIdTokenCredentials {
  provider: string; token: string; access_token?: string; nonce?: string; options?: { captchaToken?: string };
}
export type SignInWithSSO = ({ providerId: string } | { domain: string }) & {
  options?: { redirectTo?: string; captchaToken?: string; skipBrowserRedirect?: boolean };
};
export interface EthereumWallet { request(args: { method: string; params?: unknown[] }): Promise<unknown> }
export interface SolanaWallet {
  publicKey: { toBase58(): string } | string | null; connect?(): Promise<void>;
  signMessage(message: Uint8Array, encoding?: string): Promise<Uint8Array | { signature: Uint8Array }>;
}
export type SignInWithWeb3Credentials =
  | { chain: 'ethereum'; wallet: EthereumWallet; statement?: string; options?: { url?: string } }
  | { chain: 'solana'; wallet: SolanaWallet; statement?: string; options?: { url?: string } }
  | { chain: 'ethereum' | 'solana'; message: string; signature: string };
export interface Subscription { id: string; callback: (event: AuthChangeEvent, session: Session | null) => void; unsubscribe(): void }

export interface MFAEnrollParams { factorType: 'totp' | 'phone' | 'webauthn'; friendlyName?: string; issuer?: string; phone?: string }
export interface MFAEnrollData {
  id: string; type: 'totp' | 'phone' | 'webauthn'; friendly_name: string | null;
  totp?: { qr_code: string; secret: string; uri: string }; phone?: string;
}
export interface MFAChallengeData { id: string; type: string; expires_at: number; webauthn?: JsonValue }
export interface AuthenticatorAssurance {
  currentLevel: 'aal1' | 'aal2' | null; nextLevel: 'aal1' | 'aal2' | null;
  currentAuthenticationMethods: { method: string; timestamp: number; provider?: string }[];
}
export interface AdminUserAttributes {
  email?: string; phone?: string; password?: string; email_confirm?: boolean; phone_confirm?: boolean;
  user_metadata?: JsonObject; app_metadata?: JsonObject; role?: string; ban_duration?: string;
}
export interface GenerateLinkParams {
  type: 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change_current' | 'email_change_new';
  email: string; password?: string; newEmail?: string; options?: { data?: JsonObject; redirectTo?: string };
}
export interface GenerateLinkProperties {
  action_link: string; email_otp: string; hashed_token: string; redirect_to: string; verification_type: string;
}

/**
 * `new GoTrueAdminApi({ url, headers })`, authorized by `headers.Authorization`
 * (`Bearer <service role key>`) or, failing that, `headers.apikey`.
 */
export declare class GoTrueAdminApi {
    /**
     * `createUser(attributes)` → `{ data: { user }, error }`.
     */
    createUser(attributes: AdminUserAttributes): Promise<Result<{ user: User }>>;
    /**
     * `deleteUser(id, shouldSoftDelete = false)` → `{ data: { user }, error }` (the user as it was).
     */
    deleteUser(id: string, shouldSoftDelete?: boolean): Promise<Result<{ user: User }>>;
    /**
     * `generateLink({ type, email, password, newEmail, options: { data, redirectTo } })`
     * → `{ data: { properties: { action_link, email_otp, hashed_token, redirect_to, verification_type }, user }, error }`.
     */
    generateLink(params: GenerateLinkParams): Promise<Result<{ properties: GenerateLinkProperties; user: User }>>;
    /**
     * `getUserById(uid)` → `{ data: { user }, error }`.
     */
    getUserById(uid: string): Promise<Result<{ user: User }>>;
    /**
     * `inviteUserByEmail(email, { data, redirectTo })` → `{ data: { user }, error }`.
     */
    inviteUserByEmail(email: string, options?: { data?: JsonObject; redirectTo?: string }): Promise<Result<{ user: User }>>;
    /**
     * `listUsers({ page, perPage })` → `{ data: { users, aud, nextPage, lastPage, total }, error }`.
     */
    listUsers(params?: { page?: number; perPage?: number }): Promise<{ data: { users: User[]; aud: string; nextPage: number | null; lastPage: number; total: number }; error: null } | { data: { users: [] }; error: AuthError }>;
    /**
     * Creates the admin API for `url`, authorized by the headers' service-role key.
     */
    constructor(options: GoTrueClientOptions);
    /**
     * `signOut(jwt, scope = 'global')` → `{ data: null, error }`.
     */
    signOut(jwt: string, scope?: 'global' | 'local' | 'others'): Promise<{ data: null; error: AuthError | null }>;
    /**
     * `updateUserById(uid, attributes)` → `{ data: { user }, error }`.
     */
    updateUserById(uid: string, attributes: AdminUserAttributes): Promise<Result<{ user: User }>>;
    /**
     * `mfa`: `listFactors({ userId })`, `deleteFactor({ userId, id })`.
     */
    readonly mfa: GoTrueAdminMFAApi;
}

/**
 * The `mfa` namespace of the admin API.
 */
export declare class GoTrueAdminMFAApi {
    private constructor();
    /**
     * `deleteFactor({ userId, id })` → `{ data: <factor>, error }`.
     */
    deleteFactor(params: { userId: string; id: string }): Promise<DataResult<Factor>>;
    /**
     * `listFactors({ userId })` → `{ data: { factors }, error }`.
     */
    listFactors(params: { userId: string }): Promise<DataResult<{ factors: Factor[] }>>;
}

/**
 * `new GoTrueClient({ url, headers, storageKey, flowType, detectSessionInUrl, autoRefreshToken,
 * persistSession, storage, skipAutoInitialize, throwOnError })`.
 */
export declare class GoTrueClient {
    /**
     * `dispose()`: stops timers and listeners, closes the cross-tab channel, drops subscribers.
     */
    dispose(): Promise<void>;
    /** Whether errors are thrown instead of returned (`throwOnError`). */
    isThrowOnErrorEnabled(): boolean;
    /**
     * `exchangeCodeForSession(authCode, { flowId })` → `{ data: { session, user, redirectType }, error }`.
     */
    exchangeCodeForSession(authCode: string, options?: { flowId?: string | null }): Promise<Result<{ session: Session; user: User; redirectType: string | null }>>;
    /**
     * `getClaims(jwt?, { allowExpired })` → `{ data: { claims, header, signature }, error }`.
     */
    getClaims(jwt?: string | null, options?: { allowExpired?: boolean; keys?: JsonObject[]; jwks?: { keys: JsonObject[] } }): Promise<DataResult<{ claims: JsonObject; header: JsonObject; signature: Uint8Array } | null>>;
    /**
     * `getSession()` → `{ data: { session }, error }`.
     */
    getSession(): Promise<Result<{ session: Session | null }>>;
    /**
     * `getUserIdentities()` → `{ data: { identities }, error }`.
     */
    getUserIdentities(): Promise<DataResult<{ identities: UserIdentity[] }>>;
    /**
     * `getUser(jwt?)` → `{ data: { user }, error }`.
     */
    getUser(jwt?: string | null): Promise<Result<{ user: User }>>;
    /**
     * `initialize()` → `{ error }`: the same outcome every time it is called.
     */
    initialize(): Promise<ErrorResult>;
    /**
     * `linkIdentity({ provider, options: { redirectTo, scopes, skipBrowserRedirect } })` →
     * `{ data: { provider, url }, error }` (navigates unless told not to); or, with `token`,
     * links a provider ID token → `{ data: { user, session }, error }`.
     */
    linkIdentity(params: SignInWithOAuthCredentials | SignInWithIdTokenCredentials): Promise<Result<{ provider: string; url: string; flowId: string | null }> | AuthResponse>;
    /**
     * Creates a client and, unless `skipAutoInitialize`, starts initializing it.
     */
    constructor(options?: GoTrueClientOptions);
    /**
     * `onAuthStateChange((event, session) => …)` → `{ data: { subscription: { id, callback, unsubscribe } } }`.
     *
     * A callback that throws is reported to the console; one that returns a promise is not
     * awaited, so no subscriber can hold the client up.
     */
    onAuthStateChange(callback: (event: AuthChangeEvent, session: Session | null) => void | Promise<void>): { data: { subscription: Subscription } };
    /**
     * `reauthenticate()` → `{ data: { user: null, session: null }, error }`.
     */
    reauthenticate(): Promise<Result<{ user: null; session: null }>>;
    /**
     * `refreshSession({ refresh_token }?)` → `{ data: { user, session }, error }`.
     */
    refreshSession(current?: { refresh_token: string }): Promise<Result<{ user: User; session: Session }>>;
    /**
     * `resend({ type, email | phone, options })`.
     */
    resend(params: ResendParams): Promise<Result<{ user: null; session: null; messageId?: string | null }>>;
    /**
     * `resetPasswordForEmail(email, { redirectTo, captchaToken })` → `{ data: {}, error }`.
     */
    resetPasswordForEmail(email: string, options?: { redirectTo?: string; captchaToken?: string }): Promise<DataResult<{}>>;
    /**
     * `setSession({ access_token, refresh_token })` → `{ data: { user, session }, error }`.
     */
    setSession(tokens: { access_token: string; refresh_token: string }): Promise<Result<{ user: User; session: Session }>>;
    /**
     * `signInAnonymously({ options: { data, captchaToken } })`.
     */
    signInAnonymously(credentials?: { options?: { data?: JsonObject; captchaToken?: string } }): Promise<AuthResponse>;
    /**
     * `signInWithIdToken({ provider, token, access_token, nonce, options: { captchaToken } })`.
     */
    signInWithIdToken(params: SignInWithIdTokenCredentials): Promise<AuthResponse>;
    /**
     * `signInWithOAuth({ provider, options: { redirectTo, scopes, queryParams, skipBrowserRedirect } })`
     * → `{ data: { provider, url }, error }`; navigates there unless `skipBrowserRedirect`.
     */
    signInWithOAuth(credentials: SignInWithOAuthCredentials): Promise<Result<{ provider: string; url: string; flowId: string | null }>>;
    /**
     * `signInWithOtp({ email | phone, options })` → `{ data: { user: null, session: null, messageId }, error }`.
     */
    signInWithOtp(credentials: SignInWithOtpCredentials): Promise<Result<{ user: null; session: null; messageId?: string | null }>>;
    /**
     * `signInWithPassword({ email | phone, password, options })` → `{ data: { user, session, weakPassword }, error }`.
     */
    signInWithPassword(credentials: SignInWithPasswordCredentials): Promise<AuthResponse>;
    /**
     * `signInWithSSO({ providerId } | { domain }, options: { redirectTo, captchaToken,
     * skipBrowserRedirect })` → `{ data: { url }, error }`; navigates unless told not to.
     */
    signInWithSSO(params: SignInWithSSO): Promise<Result<{ url: string }>>;
    /**
     * `signInWithWeb3({ chain: 'ethereum' | 'solana', wallet, statement, options: { url } })`
     * builds the SIWE/SIWS message, has the wallet sign it and exchanges it for a session;
     * or `{ chain, message, signature }` when the app signed already.
     */
    signInWithWeb3(params: SignInWithWeb3Credentials): Promise<AuthResponse>;
    /**
     * `signOut({ scope })` → `{ error }`.
     */
    signOut(options?: { scope?: 'global' | 'local' | 'others' }): Promise<ErrorResult>;
    /**
     * `signUp({ email | phone, password, options })` → `{ data: { user, session }, error }`.
     */
    signUp(credentials: SignUpCredentials): Promise<AuthResponse>;
    /**
     * `startAutoRefresh()`: refresh in the background (the client does this itself when
     * `autoRefreshToken` is on and the page is visible).
     */
    startAutoRefresh(): Promise<void>;
    /**
     * `stopAutoRefresh()`.
     */
    stopAutoRefresh(): Promise<void>;
    /**
     * `unlinkIdentity(identity)` → `{ data: {}, error }`.
     */
    unlinkIdentity(identity: UserIdentity): Promise<DataResult<{}>>;
    /**
     * `updateUser(attributes, { emailRedirectTo })` → `{ data: { user }, error }`.
     */
    updateUser(attributes: UserAttributes, options?: { emailRedirectTo?: string }): Promise<Result<{ user: User }>>;
    /**
     * `verifyOtp({ email, token, type } | { phone, token, type } | { token_hash, type })`.
     */
    verifyOtp(params: VerifyOtpParams): Promise<AuthResponse>;
    /**
     * `admin`: the admin API with this client's URL and headers (which must carry a
     * service-role key). Never construct a browser client with such a key.
     */
    readonly admin: GoTrueAdminApi;
    /**
     * `mfa`: the MFA namespace.
     */
    readonly mfa: GoTrueMFAApi;
}

/**
 * `client.mfa`: enroll, challenge, verify, challengeAndVerify, unenroll, listFactors,
 * getAuthenticatorAssuranceLevel.
 */
export declare class GoTrueMFAApi {
    private constructor();
    /**
     * `challengeAndVerify({ factorId, code })`; for a WebAuthn factor (no code) the browser's
     * `navigator.credentials` answers the challenge.
     */
    challengeAndVerify(params: { factorId: string; code?: string }): Promise<DataResult<Session>>;
    /**
     * `challenge({ factorId, channel })` → `{ data: { id, type, expires_at, webauthn? }, error }`.
     */
    challenge(params: { factorId: string; channel?: 'sms' | 'whatsapp' }): Promise<DataResult<MFAChallengeData>>;
    /**
     * `enroll({ factorType, friendlyName, issuer, phone })` → `{ data: { id, type, friendly_name, totp | phone }, error }`.
     */
    enroll(params: MFAEnrollParams): Promise<DataResult<MFAEnrollData>>;
    /**
     * `getAuthenticatorAssuranceLevel()` → `{ data: { currentLevel, nextLevel, currentAuthenticationMethods }, error }`.
     */
    getAuthenticatorAssuranceLevel(jwt?: string): Promise<DataResult<AuthenticatorAssurance>>;
    /**
     * `listFactors()` → `{ data: { all, totp, phone, webauthn }, error }` (by type: verified only).
     */
    listFactors(): Promise<DataResult<{ all: Factor[]; totp: Factor[]; phone: Factor[]; webauthn: Factor[]; recovery_code: Factor[] }>>;
    /**
     * `unenroll({ factorId })` → `{ data: { id }, error }`.
     */
    unenroll(params: { factorId: string }): Promise<DataResult<{ id: string }>>;
    /**
     * `verify({ factorId, challengeId, code })` (or `webauthn: { type, credential_response }`)
     * → `{ data: <the new session>, error }`; emits MFA_CHALLENGE_VERIFIED.
     */
    verify(params: { factorId: string; challengeId: string; code: string } | { factorId: string; challengeId: string; webauthn: JsonObject }): Promise<DataResult<Session>>;
}
