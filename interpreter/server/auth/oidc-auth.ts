/** Auth mode `oidc` (in progress). */
import type { ConsoleOidcAuthConfig, ConsoleRolesConfig } from '../../config/config-format.ts';
import type { Environment } from '../../config/state-dir.ts';
import type { ConsoleAuth } from './console-auth.ts';
import { AuthError } from './auth-error.ts';

export interface OidcAuthSettings {
  readonly oidc: ConsoleOidcAuthConfig;
  readonly roles: ConsoleRolesConfig | undefined;
  readonly secret: Buffer;
  readonly baseUrl: string;
  readonly sessionHours: number;
  readonly env: Environment;
  readonly warn: (message: string) => void;
  readonly now: () => number;
}

export function createOidcAuth(settings: OidcAuthSettings): ConsoleAuth {
  throw new AuthError('CONSOLE_AUTH_CONFIG', `OIDC is not built yet (${settings.oidc.issuer})`);
}
