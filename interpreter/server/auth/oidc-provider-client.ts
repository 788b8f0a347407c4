/**
 * The console's view of its OpenID provider, through openid-client: discovery on first use
 * (cached; retried after a failure, so a console started while the provider is down recovers),
 * and every failure to reach it turned into OIDC_PROVIDER_UNAVAILABLE.
 */
import * as client from 'openid-client';
import type { ConsoleOidcAuthConfig } from '../../config/config-format.ts';
import type { Environment } from '../../config/state-dir.ts';
import { AuthError } from './auth-error.ts';
import { isLoopbackHost } from './bind-policy.ts';

/** Seconds a request to the provider may take. */
export const PROVIDER_TIMEOUT_SECONDS = 10;

export const DEFAULT_SCOPES: readonly string[] = ['openid', 'profile', 'email'];

export interface ProviderClient {
  readonly issuer: URL;
  /** The discovered configuration (throws OIDC_PROVIDER_UNAVAILABLE). */
  configuration(): Promise<client.Configuration>;
}

/** Whether an error means the provider could not be reached or did not answer as a provider. */
export function isProviderUnreachable(error: unknown): boolean {
  if (error instanceof client.ResponseBodyError) return error.status >= 500;
  if (error instanceof client.AuthorizationResponseError) return false;
  if (error instanceof TypeError) return true; // fetch failed: refused, reset, DNS
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON' || code === 'OAUTH_HTTP_REQUEST_FORBIDDEN';
}

/** An OIDC_PROVIDER_UNAVAILABLE error for `issuer` (the cause's message kept for the log). */
export function providerUnavailable(issuer: URL, error: unknown): AuthError {
  const detail = error instanceof Error ? error.message : String(error);
  return new AuthError('OIDC_PROVIDER_UNAVAILABLE', `the sign-in provider ${issuer.origin} cannot be reached or did not answer (${detail}); try again in a moment`, 502);
}

/** The OAuth error code and description in an error of openid-client (a token or userinfo response), if it has one. */
export function oauthErrorOf(error: unknown): { readonly error: string; readonly description?: string } | undefined {
  if (error instanceof client.ResponseBodyError) return { error: error.error, ...(error.error_description ? { description: error.error_description } : {}) };
  if (error instanceof client.WWWAuthenticateChallengeError) {
    const parameters = error.cause.find((challenge) => challenge.parameters.error)?.parameters;
    if (parameters?.error) return { error: parameters.error, ...(parameters.error_description ? { description: parameters.error_description } : {}) };
    return { error: `HTTP ${error.status}` };
  }
  return undefined;
}

/** The provider's error for a person's page and the log: `invalid_grant: grant request is invalid`, else the error's message. */
export function providerErrorDetail(error: unknown): string {
  const oauth = oauthErrorOf(error);
  if (oauth) return `${oauth.error}${oauth.description ? `: ${oauth.description}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

/** Client errors that mean the console's client id or secret is wrong, not the person's sign-in. */
const CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client']);

/**
 * What a refused code exchange means: OIDC_CLIENT_REJECTED when the provider does not accept the
 * console's credentials (502, an administrator's problem), else LOGIN_STATE_MISMATCH (the code was
 * used already, expired, or PKCE does not match: the person signs in again). The provider's error
 * code and description are kept; nothing of the request (secret, code) is.
 */
export function tokenRefused(error: unknown): AuthError {
  const oauth = oauthErrorOf(error);
  const detail = providerErrorDetail(error);
  if (oauth && CLIENT_ERRORS.has(oauth.error)) {
    return new AuthError('OIDC_CLIENT_REJECTED', `the sign-in provider does not accept this console as its client (${detail}); an administrator must check console.auth.oidc.client_id and the client secret`, 502);
  }
  return new AuthError('LOGIN_STATE_MISMATCH', `the provider did not accept this sign-in (${detail}); sign in again`, 400);
}

/** Checks the config and reads the client secret; discovery waits for the first use. */
export function createProviderClient(oidc: ConsoleOidcAuthConfig, env: Environment): ProviderClient {
  const issuer = new URL(oidc.issuer);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !isLoopbackHost(issuer.hostname)) {
    throw new AuthError('CONSOLE_AUTH_CONFIG', `console.auth.oidc.issuer ${oidc.issuer} is plain http: use https (http is allowed on a loopback host only, for development)`);
  }
  if (issuer.protocol !== 'http:' && issuer.protocol !== 'https:') {
    throw new AuthError('CONSOLE_AUTH_CONFIG', `console.auth.oidc.issuer ${oidc.issuer} is not an http(s) URL`);
  }
  let clientAuth: client.ClientAuth;
  if (oidc.client_secret_env) {
    const secret = env[oidc.client_secret_env];
    if (!secret) throw new AuthError('CONSOLE_AUTH_SECRET_MISSING', `the OIDC client secret: environment variable ${oidc.client_secret_env} (console.auth.oidc.client_secret_env) is not set`);
    clientAuth = client.ClientSecretBasic(secret);
  } else {
    clientAuth = client.None();
  }
  let discovered: Promise<client.Configuration> | undefined;
  const discover = async (): Promise<client.Configuration> => {
    try {
      return await client.discovery(issuer, oidc.client_id, undefined, clientAuth, {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      });
    } catch (error) {
      throw providerUnavailable(issuer, error);
    }
  };
  return {
    issuer,
    configuration() {
      discovered ??= discover().catch((error: unknown) => {
        discovered = undefined; // try again next time
        throw error;
      });
      return discovered;
    },
  };
}
