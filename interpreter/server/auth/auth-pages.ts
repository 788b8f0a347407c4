/**
 * The pages the sign-in routes answer with when something goes wrong: the error's code, a
 * sentence for a person, and a way on (sign in again). Never a stack trace; details go to the
 * console's log.
 */
import type { FastifyReply } from 'fastify';
import type { AuthError } from './auth-error.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put into HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** The HTML of an error page. */
export function errorPageHtml(error: Pick<AuthError, 'code' | 'message'>, retryUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in failed · runbook console</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2328}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.2rem}a{color:#0550ae}</style></head>
<body><main>
<h1>Sign-in failed</h1>
<p>${escapeHtml(error.message)}</p>
<p>Code: <code>${escapeHtml(error.code)}</code></p>
<p><a href="${escapeHtml(retryUrl)}">Sign in again</a></p>
</main></body>
</html>
`;
}

/** Answers with the error page (status from the error, `x-error-code` header for scripts and tests). */
export function sendErrorPage(reply: FastifyReply, error: AuthError, retryUrl: string): FastifyReply {
  return reply.code(error.status).header('x-error-code', error.code).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(errorPageHtml(error, retryUrl));
}
