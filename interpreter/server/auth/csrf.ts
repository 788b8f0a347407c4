/**
 * Cross-site request forgery protection, stateless: the token is an HMAC of what the request is
 * bound to (the session id with OIDC; the person's id behind a proxy or without sign-in), so any
 * replica with the secret can check it. A mutating request must carry it in `x-csrf-token`, and
 * is refused when the browser says it comes from another site (`Origin`, `Sec-Fetch-Site`).
 */
import type { FastifyRequest } from 'fastify';
import { deriveValue, sameString } from './signed-token.ts';

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CSRF_PURPOSE = 'runbook-console-csrf';

/** The CSRF token of a binding (session id or person id). */
export function csrfTokenFor(secret: Buffer, binding: string): string {
  return deriveValue(secret, CSRF_PURPOSE, binding);
}

/**
 * Why a request was refused: `CSRF_MISSING` (no token), `CSRF_MISMATCH` (not this session's token,
 * or nobody signed in), `CROSS_ORIGIN` (the browser says another site sent it).
 */
export type CsrfProblem = 'CSRF_MISSING' | 'CSRF_MISMATCH' | 'CROSS_ORIGIN';

export type CsrfCheck = { readonly ok: true } | { readonly ok: false; readonly code: CsrfProblem; readonly message: string };

export interface CsrfContext {
  readonly secret: Buffer;
  /** What the request is bound to; null when nobody is signed in (then no token is right). */
  readonly binding: string | null;
  /** The console's own origin (from its base URL), e.g. `https://console.acme.example`. */
  readonly origin: string;
  /** The token, when it is not in the header (a form field of `POST /auth/logout`). */
  readonly token?: string;
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether the browser says the request comes from this console's origin (or says nothing). */
export function isSameOrigin(request: FastifyRequest, ownOrigin: string): boolean {
  const fetchSite = headerValue(request, 'sec-fetch-site');
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  const origin = headerValue(request, 'origin');
  if (origin === undefined) return true;
  if (origin === ownOrigin) return true;
  // Reached under another name than the base URL (e.g. localhost vs 127.0.0.1): same origin when
  // the Origin names the host the request was sent to.
  try {
    const host = headerValue(request, 'host');
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false; // `null` and other non-URLs
  }
}

/** Checks a request: safe methods pass; others need this binding's token and a same-origin browser. */
export function checkCsrf(request: FastifyRequest, context: CsrfContext): CsrfCheck {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { ok: true };
  if (!isSameOrigin(request, context.origin)) {
    return { ok: false, code: 'CROSS_ORIGIN', message: 'the request comes from another site' };
  }
  const token = headerValue(request, CSRF_HEADER) ?? context.token;
  if (!token) return { ok: false, code: 'CSRF_MISSING', message: `the ${CSRF_HEADER} header is missing (take the token from GET /api/me)` };
  if (context.binding === null || !sameString(token, csrfTokenFor(context.secret, context.binding))) {
    return { ok: false, code: 'CSRF_MISMATCH', message: `the ${CSRF_HEADER} header is not this session's token (reload the page)` };
  }
  return { ok: true };
}

/** The CSRF part of a ConsoleAuth, for a mode whose requests are bound by `bindingOf`. */
export interface CsrfMethods {
  csrfToken(request: FastifyRequest): string;
  verifyCsrf(request: FastifyRequest): boolean;
  checkCsrf(request: FastifyRequest): CsrfCheck;
}

export function csrfMethods(secret: Buffer, origin: string, bindingOf: (request: FastifyRequest) => string | null): CsrfMethods {
  const check = (request: FastifyRequest): CsrfCheck => checkCsrf(request, { secret, origin, binding: bindingOf(request) });
  return {
    csrfToken(request) {
      const binding = bindingOf(request);
      return binding === null ? '' : csrfTokenFor(secret, binding);
    },
    verifyCsrf: (request) => check(request).ok,
    checkCsrf: check,
  };
}
