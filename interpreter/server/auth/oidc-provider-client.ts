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
