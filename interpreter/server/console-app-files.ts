/**
 * Serving the browser app (console/, built into `lib/console-app/`: index.html and assets): found
 * relative to this compiled file, so it works from node_modules; every path that is not under
 * `/api/` or `/auth/` and is not a file falls back to index.html (the app routes itself). Without
 * a build, those paths answer a page that says how to build it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where the built app is: `lib/console-app/` beside `lib/server/`, or the checkout's `lib/console-app/` when running from sources. */
export function findConsoleAppDir(): string | null {
  const candidates = [resolve(HERE, '../console-app'), resolve(HERE, '../../lib/console-app')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

export const APP_NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Runbook console: app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The console's browser app is not built</h1>
<p>The console server is running and its API answers under <code>/api/</code>, but the browser app
(<code>lib/console-app/</code>) is missing. In a checkout of yaml-runbook, build it with
<code>npm run build</code>; an installed package ships it built.</p>
</body></html>
`;

/** Paths the app never serves: the API and the auth layer answer them (or 404 as JSON). */
export function isServerPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?') || url === '/auth' || url.startsWith('/auth/');
}

/**
 * Registers the app's files and returns the not-found handler's page part: `index.html` (or the
 * not-built page) for GET/HEAD of non-server paths; the caller answers the rest.
 */
export async function registerConsoleApp(app: FastifyInstance, appDir: string | null): Promise<(request: FastifyRequest, reply: FastifyReply) => FastifyReply | null> {
  if (appDir) {
    await app.register(fastifyStatic, { root: appDir, prefix: '/', wildcard: false, index: false, cacheControl: true, maxAge: 0 });
  }
  return (request, reply) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isServerPath(request.url)) return null;
    if (!appDir) return reply.code(503).type('text/html; charset=utf-8').send(APP_NOT_BUILT_PAGE);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', appDir);
  };
}
