/**
 * What the OIDC cookies hold, signed with the session secret (signed-token.ts): the session (who
 * is signed in, until when) and the sign-in in progress (state, nonce, PKCE verifier, where to
 * return; 10 minutes). Each has its own purpose in the MAC, so one cannot pass for the other.
 */
import { randomBytes } from 'node:crypto';
import type { Person } from './person.ts';
import { signToken, verifyToken, type TokenProblem } from './signed-token.ts';

const SESSION_PURPOSE = 'runbook-console-session';
const LOGIN_PURPOSE = 'runbook-console-login';

/** How long a sign-in may take at the provider. */
export const LOGIN_TTL_SECONDS = 10 * 60;

export interface SessionData {
  /** Session id: what the CSRF token is bound to (a new one at each sign-in). */
  readonly sid: string;
  readonly person: Person;
}

export interface LoginState {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  /** A path of the console to go back to. */
  readonly returnTo: string;
}

export type Verified<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly problem: TokenProblem };

export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

export function signSession(secret: Buffer, session: SessionData, ttlSeconds: number, now: number): string {
  return signToken(secret, SESSION_PURPOSE, session, ttlSeconds, now);
}

function isPerson(value: unknown): value is Person {
  const person = value as Person | null;
  return (
    typeof person?.id === 'string' &&
    typeof person.name === 'string' &&
    (person.email === null || typeof person.email === 'string') &&
    Array.isArray(person.groups) &&
    person.groups.every((group) => typeof group === 'string')
  );
}

/** The session of a cookie value, if it is one of ours, untampered and not expired. */
export function verifySession(secret: Buffer, token: string | undefined, now: number): Verified<SessionData> {
  const verified = verifyToken<SessionData>(secret, SESSION_PURPOSE, token, now);
  if (!verified.ok) return verified;
  const { sid, person } = verified.data ?? ({} as Partial<SessionData>);
  if (typeof sid !== 'string' || !isPerson(person)) return { ok: false, problem: 'malformed' };
  return { ok: true, data: { sid, person } };
}

export function signLoginState(secret: Buffer, login: LoginState, now: number): string {
  return signToken(secret, LOGIN_PURPOSE, login, LOGIN_TTL_SECONDS, now);
}

export function verifyLoginState(secret: Buffer, token: string | undefined, now: number): Verified<LoginState> {
  const verified = verifyToken<LoginState>(secret, LOGIN_PURPOSE, token, now);
  if (!verified.ok) return verified;
  const login = verified.data;
  const fields = [login?.state, login?.nonce, login?.verifier, login?.returnTo];
  if (!fields.every((field) => typeof field === 'string')) return { ok: false, problem: 'malformed' };
  return { ok: true, data: login };
}

/**
 * A safe place to return to after sign-in: a path of this console (`/runs/x?tab=y`), never
 * another site (`//evil.example`, `https://...`, `/\evil`). Anything else is `/`.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\\]/.test(value)) return '/';
  return value;
}
