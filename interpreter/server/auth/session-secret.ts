/**
 * The secret that signs session cookies and CSRF tokens: from the environment variable the
 * config names (`console.auth.session_secret_env`, default `RUNBOOK_CONSOLE_SESSION_SECRET`),
 * the same on every replica; when unset, a random one for this process (with a warning where it
 * matters: sessions and tokens then end with the process and do not work across replicas).
 */
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../config/state-dir.ts';
import { AuthError } from './auth-error.ts';

export const DEFAULT_SESSION_SECRET_ENV = 'RUNBOOK_CONSOLE_SESSION_SECRET';

/** Shorter secrets are refused: HMAC-SHA256 wants at least 128 bits of key. */
export const MIN_SECRET_LENGTH = 32;

export interface SessionSecret {
  readonly key: Buffer;
  /** Where it came from: `env NAME`, or `random` (this process only). */
  readonly source: string;
}

/** Reads the session secret; `warn` is told when a random one is made and `warnIfRandom` is set. */
export function resolveSessionSecret(envName: string | undefined, env: Environment, warn: (message: string) => void, warnIfRandom: boolean): SessionSecret {
  const name = envName ?? DEFAULT_SESSION_SECRET_ENV;
  const value = env[name];
  if (value !== undefined && value !== '') {
    if (value.length < MIN_SECRET_LENGTH) {
      throw new AuthError('CONSOLE_SESSION_SECRET_WEAK', `${name} is ${value.length} characters long; use at least ${MIN_SECRET_LENGTH} (e.g. \`openssl rand -base64 32\`)`);
    }
    return { key: Buffer.from(value, 'utf8'), source: `env ${name}` };
  }
  if (warnIfRandom) {
    warn(`console: ${name} is not set: sessions are signed with a random secret of this process (they end when it stops and do not work across replicas)`);
  }
  return { key: randomBytes(32), source: 'random' };
}
