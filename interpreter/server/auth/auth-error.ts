/** Errors of the console's authentication, each with a stable code. */
export type AuthErrorCode =
  /** The console would bind beyond loopback with auth mode `none`. */
  | 'CONSOLE_AUTH_REQUIRED'
  /** The `console.auth` section cannot work as written (e.g. a bad trusted proxy address). */
  | 'CONSOLE_AUTH_CONFIG'
  /** An environment variable the config names (client secret) is not set. */
  | 'CONSOLE_AUTH_SECRET_MISSING'
  /** The session secret is too short to sign with. */
  | 'CONSOLE_SESSION_SECRET_WEAK'
  /** The sign-in's state cookie is missing, expired or tampered with (a stale tab, another browser). */
  | 'LOGIN_STATE_MISSING'
  /** The provider's answer does not belong to this sign-in (state, nonce or PKCE mismatch, a replayed code). */
  | 'LOGIN_STATE_MISMATCH'
  /** The provider refused the sign-in (`error=access_denied`, ...). */
  | 'LOGIN_DENIED'
  /** The provider's answer lacks what the console needs (the user claim). */
  | 'LOGIN_CLAIMS_INVALID'
  /** The provider does not accept the console's client credentials (client id or secret): a config problem. */
  | 'OIDC_CLIENT_REJECTED'
  /** The OpenID provider cannot be reached or answered with something that is not OpenID Connect. */
  | 'OIDC_PROVIDER_UNAVAILABLE';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** The HTTP status an error page answers with. */
    readonly status: number = 500,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
