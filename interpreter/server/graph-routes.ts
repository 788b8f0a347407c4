/**
 * The diagram routes: `GET /api/runbooks/:slug/graph` and `GET /api/runs/:id/graph` (viewer role).
 */
import type { FastifyInstance } from 'fastify';
import type { ConsoleBackend } from './console-backend.ts';

export function registerGraphRoutes(_app: FastifyInstance, _backend: ConsoleBackend): void {
  // routes land with the graph module
}
