/**
 * The console's authentication and roles: who is signed in (none / proxy / oidc), what they may
 * do (viewer, operator, editor from `console.roles`), CSRF protection, and where a console may
 * bind without sign-in. Node side; openid-client loads only in OIDC mode.
 */
import type { ConsoleConfig } from '../../config/config-format.ts';
import type { ConsoleAuth, ConsoleAuthOptions } from './console-auth.ts';
import { AuthError } from './auth-error.ts';
import { createNoneAuth } from './none-auth.ts';
import { createProxyAuth } from './proxy-auth.ts';
import { resolveSessionSecret } from './session-secret.ts';

export type { AuthMode, ConsoleAuth, ConsoleAuthOptions } from './console-auth.ts';
export type { Person } from './person.ts';
export type { AuthErrorCode } from './auth-error.ts';
export type { CsrfCheck, CsrfProblem } from './csrf.ts';
export { AuthError } from './auth-error.ts';
export { ANONYMOUS } from './person.ts';
export { ALL_ROLES, DEFAULT_ROLES, hasRole, rolesFor } from './roles.ts';
export { assertBindAllowed, authRequiredForHost, isLoopbackHost } from './bind-policy.ts';
export { CSRF_HEADER } from './csrf.ts';
export { DEFAULT_SESSION_SECRET_ENV } from './session-secret.ts';
export { LOGIN_COOKIE, SESSION_COOKIE } from './cookies.ts';

/** The paths of the OIDC routes `register` adds (a page not signed in redirects to LOGIN_PATH?return_to=...). */
export const AUTH_PATHS = { login: '/auth/login', callback: '/auth/callback', logout: '/auth/logout' } as const;

/** The console's base URL from its config and where it listens: `public_url`, else http://HOST:PORT (no trailing slash). */
export function consoleBaseUrl(settings: ConsoleConfig | undefined, host: string, port: number): string {
  if (settings?.public_url) return settings.public_url.replace(/\/+$/, '');
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${hostPart}:${port}`;
}

const stderrWarn = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

/**
 * Makes the console's auth from the `console:` config section (undefined: mode none). Throws
 * AuthError: CONSOLE_AUTH_CONFIG, CONSOLE_AUTH_SECRET_MISSING, CONSOLE_SESSION_SECRET_WEAK.
 * OIDC discovery happens at the first sign-in (and is retried after a failure), so a console
 * starts while its provider is down.
 */
export async function createConsoleAuth(settings: ConsoleConfig | undefined, options: ConsoleAuthOptions): Promise<ConsoleAuth> {
  const auth = settings?.auth ?? {};
  const mode = auth.mode ?? 'none';
  const env = options.env ?? process.env;
  const warn = options.warn ?? stderrWarn;
  let origin: string;
  try {
    origin = new URL(options.baseUrl).origin;
  } catch {
    throw new AuthError('CONSOLE_AUTH_CONFIG', `the console's base URL "${options.baseUrl}" is not a URL`);
  }
  // Without sign-in there is one process on one machine: a random secret is right, no warning.
  const secret = resolveSessionSecret(auth.session_secret_env, env, warn, mode !== 'none');
  switch (mode) {
    case 'none':
      return createNoneAuth(secret.key, origin);
    case 'proxy':
      return createProxyAuth(auth.proxy ?? {}, settings?.roles, secret.key, origin);
    case 'oidc': {
      if (!auth.oidc) throw new AuthError('CONSOLE_AUTH_CONFIG', 'console.auth.mode is "oidc" but console.auth.oidc (issuer, client_id) is missing');
      const { createOidcAuth } = await import('./oidc-auth.ts');
      return createOidcAuth({
        oidc: auth.oidc,
        roles: settings?.roles,
        secret: secret.key,
        baseUrl: options.baseUrl.replace(/\/+$/, ''),
        sessionHours: auth.session_hours ?? 8,
        env,
        warn,
        now: options.now ?? Date.now,
      });
    }
  }
}
