//! The TypeScript declarations of the JS API's objects, appended to the generated `.d.ts`;
//! the methods point at them with `unchecked_param_type` / `unchecked_return_type`, so no
//! public signature is `any`. The shapes are auth-js's.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
import type { AuthError } from '../errors.js';

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
}

/** `{ data, error }`: data when it worked, the error (and data fields null) when not. */
export type Result<T> = { data: T; error: null } | { data: { [K in keyof T]: null }; error: AuthError };
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
  id: string; type: 'totp' | 'phone' | 'webauthn'; friendly_name?: string | null;
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
"#;
