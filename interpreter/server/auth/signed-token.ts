/**
 * Stateless signed tokens for cookies: `base64url(JSON).base64url(HMAC-SHA256)`, the MAC over
 * a purpose and the payload, with an expiry inside. A session cookie cannot pass as a login-state
 * cookie (different purpose), and no server-side store is needed, so console replicas share
 * nothing but the secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token knows besides its payload. */
interface Envelope<T> {
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  readonly data: T;
}

function mac(secret: Buffer, purpose: string, body: string): Buffer {
  return createHmac('sha256', secret).update(purpose).update('\0').update(body).digest();
}

/** Signs `data` for `purpose`, valid for `ttlSeconds` from `now` (ms). */
export function signToken<T>(secret: Buffer, purpose: string, data: T, ttlSeconds: number, now: number = Date.now()): string {
  const envelope: Envelope<T> = { exp: Math.floor(now / 1000) + Math.max(1, Math.round(ttlSeconds)), data };
  const body = Buffer.from(JSON.stringify(envelope)).toString('base64url');
  return `${body}.${mac(secret, purpose, body).toString('base64url')}`;
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'signature' | 'expired';

export type VerifiedToken<T> = { readonly ok: true; readonly data: T; readonly expiresAt: number } | { readonly ok: false; readonly problem: TokenProblem };

/** The payload of a token signed with `secret` for `purpose` and not expired at `now` (ms). */
export function verifyToken<T>(secret: Buffer, purpose: string, token: string | undefined, now: number = Date.now()): VerifiedToken<T> {
  if (!token) return { ok: false, problem: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, problem: 'malformed' };
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(secret, purpose, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'signature' };
  let envelope: Envelope<T>;
  try {
    envelope = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Envelope<T>;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (typeof envelope?.exp !== 'number' || !('data' in envelope)) return { ok: false, problem: 'malformed' };
  if (envelope.exp * 1000 <= now) return { ok: false, problem: 'expired' };
  return { ok: true, data: envelope.data, expiresAt: envelope.exp * 1000 };
}

/** HMAC-SHA256 of `value` for `purpose`, base64url: a derived value only the secret's holder can make. */
export function deriveValue(secret: Buffer, purpose: string, value: string): string {
  return mac(secret, purpose, value).toString('base64url');
}

/** Compares two strings in time independent of where they differ. */
export function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
