// The classes of client.js, declared as auth-js 2.119 declares `GoTrueClient` and
// `GoTrueAdminApi` (the data types are in types.d.ts). A member is declared only if the class
// has it at run time (tests/packaging/types.test.mjs checks that); auth-js members this
// client does not have yet are left out, so code using them fails to compile rather than at
// run time.
import type { AuthError } from './errors.js';
import type {
  AuthOAuthServerApi, AuthPasskeyApi, AuthPasskeyAuthenticationVerifyResponse, AuthPasskeyRegistrationVerifyResponse,
  GoTrueAdminCustomProvidersApi, GoTrueAdminOAuthApi, GoTrueAdminPasskeyApi, RegisterPasskeyCredentials,
  SignInWithPasskeyCredentials,
  AdminUserAttributes, AuthChangeEvent, AuthOtpResponse, AuthResponse, AuthTokenResponse, AuthTokenResponsePassword,
  GenerateLinkParams, GenerateLinkResponse, GoTrueAdminMFAApi, GoTrueClientOptions, GoTrueMFAApi, InitializeResult,
  JWK, JwtHeader, JwtPayload, OAuthResponse, PageParams, Pagination, ResendParams, Session, SignInAnonymouslyCredentials,
  SignInWithIdTokenCredentials, SignInWithOAuthCredentials, SignInWithPasswordCredentials,
  SignInWithPasswordlessCredentials, SignInWithSSO, SignOut, SignOutScope, SignUpWithPasswordCredentials, SSOResponse,
  Subscription, User, UserAttributes, UserIdentity, UserResponse, VerifyOtpParams, Web3Credentials,
} from './types.js';

/**
 * The admin API: `new GoTrueAdminApi({ url, headers })`, authorized by `headers.Authorization`
 * (`Bearer <service role key>`) or, failing that, `headers.apikey`. Never in a browser.
 */
export declare class GoTrueAdminApi {
  /** `admin.mfa`: `listFactors({ userId })`, `deleteFactor({ userId, id })`. */
  mfa: GoTrueAdminMFAApi;
  /** The OAuth 2.1 server's clients: list, create, get, update, delete, regenerate the secret. */
  oauth: GoTrueAdminOAuthApi;
  /** Custom OAuth / OIDC providers: list, create, get, update, delete. */
  customProviders: GoTrueAdminCustomProvidersApi;
  /** A user's passkeys: `listPasskeys({ userId })`, `deletePasskey({ userId, passkeyId })`. */
  passkey: GoTrueAdminPasskeyApi;
  constructor(options: GoTrueClientOptions & { url: string });
  /** Signs out the session of `jwt` (`scope` `global` by default). */
  signOut(jwt: string, scope?: SignOutScope): Promise<{ data: null; error: AuthError | null }>;
  /** Sends an invitation email. */
  inviteUserByEmail(email: string, options?: { data?: object; redirectTo?: string }): Promise<UserResponse>;
  /** Makes a sign-up, invite, magic link, recovery or email change link without sending it. */
  generateLink(params: GenerateLinkParams): Promise<GenerateLinkResponse>;
  createUser(attributes: AdminUserAttributes): Promise<UserResponse>;
  /** One page of users (`page` from 1, `perPage` 50 by default) with the paging figures. */
  listUsers(params?: PageParams): Promise<
    { data: { users: User[]; aud: string } & Pagination; error: null } | { data: { users: [] }; error: AuthError }
  >;
  getUserById(uid: string): Promise<UserResponse>;
  updateUserById(uid: string, attributes: AdminUserAttributes): Promise<UserResponse>;
  deleteUser(id: string, shouldSoftDelete?: boolean): Promise<UserResponse>;
}

/** The client: `new GoTrueClient({ url, headers, storageKey, … })` (see `GoTrueClientOptions`). */
export declare class GoTrueClient {
  /** The admin API with this client's URL and headers (which must carry a service-role key). */
  admin: GoTrueAdminApi;
  /** `client.mfa`: enroll, challenge, verify, challengeAndVerify, unenroll, listFactors, getAuthenticatorAssuranceLevel, webauthn, recoveryCodes. */
  mfa: GoTrueMFAApi;
  /** The OAuth 2.1 server, as the signed-in user: authorization details, consent, grants. */
  oauth: AuthOAuthServerApi;
  /** The two steps of each passkey ceremony, and the user's passkeys: list, update, delete. */
  passkey: AuthPasskeyApi;
  /** Creates a client and, unless `skipAutoInitialize`, starts initializing it. */
  constructor(options?: GoTrueClientOptions);
  /** Whether errors are thrown (`throwOnError`) instead of returned. */
  isThrowOnErrorEnabled(): boolean;
  /** Reads the session from the URL (OAuth, magic link) or storage; the same outcome every call. */
  initialize(): Promise<InitializeResult>;
  signInAnonymously(credentials?: SignInAnonymouslyCredentials): Promise<AuthResponse>;
  signUp(credentials: SignUpWithPasswordCredentials): Promise<AuthResponse>;
  signInWithPassword(credentials: SignInWithPasswordCredentials): Promise<AuthTokenResponsePassword>;
  /** Builds the provider's authorize URL and goes there unless `skipBrowserRedirect`. */
  signInWithOAuth(credentials: SignInWithOAuthCredentials): Promise<OAuthResponse>;
  /** Exchanges a PKCE `code` (from the redirect) for a session. */
  exchangeCodeForSession(authCode: string, options?: { flowId?: string }): Promise<AuthTokenResponse>;
  /** Sign-In-With-Ethereum / Solana: the wallet signs the message, or pass `message` and `signature`. */
  signInWithWeb3(credentials: Web3Credentials): Promise<
    { data: { session: Session; user: User }; error: null } | { data: { session: null; user: null }; error: AuthError }
  >;
  signInWithIdToken(credentials: SignInWithIdTokenCredentials): Promise<AuthTokenResponse>;
  /** Sends a magic link or a one-time code by email, SMS or WhatsApp. */
  signInWithOtp(credentials: SignInWithPasswordlessCredentials): Promise<AuthOtpResponse>;
  verifyOtp(params: VerifyOtpParams): Promise<AuthResponse>;
  /** Single sign-on by SAML provider id or domain; goes there unless `skipBrowserRedirect`. */
  signInWithSSO(params: SignInWithSSO): Promise<SSOResponse>;
  /** Sends a nonce for `updateUser({ password, nonce })` when secure password change is on. */
  reauthenticate(): Promise<AuthResponse>;
  resend(credentials: ResendParams): Promise<AuthOtpResponse>;
  /** The stored session, refreshed first when it is about to expire. */
  getSession(): Promise<
    | { data: { session: Session }; error: null }
    | { data: { session: null }; error: AuthError }
    | { data: { session: null }; error: null }
  >;
  /** The user of `jwt` or of the current session, as the server knows it now. */
  getUser(jwt?: string): Promise<UserResponse>;
  updateUser(attributes: UserAttributes, options?: { emailRedirectTo?: string | undefined }): Promise<UserResponse>;
  setSession(currentSession: { access_token: string; refresh_token: string }): Promise<AuthResponse>;
  refreshSession(currentSession?: { refresh_token: string }): Promise<AuthResponse>;
  signOut(options?: SignOut): Promise<{ error: AuthError | null }>;
  /**
   * Calls `callback` with each auth event; the first is `INITIAL_SESSION`. A callback that
   * throws is reported to the console; one that returns a promise is not awaited.
   */
  onAuthStateChange(callback: (event: AuthChangeEvent, session: Session | null) => void): {
    data: { subscription: Subscription };
  };
  onAuthStateChange(callback: (event: AuthChangeEvent, session: Session | null) => Promise<void>): {
    data: { subscription: Subscription };
  };
  resetPasswordForEmail(
    email: string,
    options?: { redirectTo?: string; captchaToken?: string },
  ): Promise<{ data: {}; error: null } | { data: null; error: AuthError }>;
  getUserIdentities(): Promise<{ data: { identities: UserIdentity[] }; error: null } | { data: null; error: AuthError }>;
  /** Links an OAuth provider (goes to it unless `skipBrowserRedirect`) or, with `token`, an ID token. */
  linkIdentity(credentials: SignInWithOAuthCredentials): Promise<OAuthResponse>;
  linkIdentity(credentials: SignInWithIdTokenCredentials): Promise<AuthTokenResponse>;
  unlinkIdentity(identity: UserIdentity): Promise<{ data: {}; error: null } | { data: null; error: AuthError }>;
  /** Refreshes in the background (the client does this itself while the page is visible). */
  startAutoRefresh(): Promise<void>;
  stopAutoRefresh(): Promise<void>;
  /** Stops timers and listeners, closes the cross-tab channel and drops subscribers. */
  dispose(): Promise<void>;
  /** Signs in with a passkey: the server's options, `navigator.credentials.get()`, verified. */
  signInWithPasskey(credentials?: SignInWithPasskeyCredentials): Promise<AuthPasskeyAuthenticationVerifyResponse>;
  /** Adds a passkey for the signed-in user: `navigator.credentials.create()`, verified. */
  registerPasskey(credentials?: RegisterPasskeyCredentials): Promise<AuthPasskeyRegistrationVerifyResponse>;
  /** The verified claims of `jwt` or of the current session's access token. */
  getClaims(
    jwt?: string,
    options?: { keys?: JWK[]; allowExpired?: boolean; jwks?: { keys: JWK[] } },
  ): Promise<
    | { data: { claims: JwtPayload; header: JwtHeader; signature: Uint8Array }; error: null }
    | { data: null; error: AuthError }
    | { data: null; error: null }
  >;
}

/** auth-js's other name for `GoTrueClient`. */
export declare const AuthClient: typeof GoTrueClient;
/** auth-js's other name for `GoTrueAdminApi`. */
export declare const AuthAdminApi: typeof GoTrueAdminApi;
