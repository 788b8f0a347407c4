/**
 * The diagram routes (viewer role, ./graph-api.ts): `GET /api/runbooks/:slug/graph`, a runbook the
 * console can start, and `GET /api/runs/:id/graph`, the definition a run is pinned to with its step
 * statuses. Both send the graph model and its Mermaid text.
 */
import type { FastifyInstance } from 'fastify';
import type { StepStatus } from '../core/run-state.ts';
import { runbookGraph, toMermaid } from '../graph/index.ts';
import { didYouMean } from '../loader/did-you-mean.ts';
import { ApiFailure } from './api-failure.ts';
import type { ConsoleBackend } from './console-backend.ts';
import type { GraphResponse } from './graph-api.ts';

const slugParams = { type: 'object', required: ['slug'], properties: { slug: { type: 'string', minLength: 1, maxLength: 200 } } } as const;
const runParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 400 } } } as const;

export function registerGraphRoutes(app: FastifyInstance, backend: ConsoleBackend): void {
  app.get<{ Params: { slug: string } }>('/api/runbooks/:slug/graph', { schema: { params: slugParams } }, async (request): Promise<GraphResponse> => {
    const { slug } = request.params;
    const catalog = await backend.runbooks();
    const entry = catalog.find((candidate) => candidate.runbook.slug === slug);
    if (!entry) throw new ApiFailure(404, 'RUNBOOK_UNKNOWN', `no runbook "${slug}" in this console${didYouMean(slug, catalog.map((candidate) => candidate.runbook.slug))}`);
    const graph = runbookGraph(entry.runbook);
    return { graph, mermaid: toMermaid(graph) };
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id/graph', { schema: { params: runParams } }, async (request): Promise<GraphResponse> => {
    const { state, definition } = await backend.getRun(request.params.id);
    if (!definition) throw new ApiFailure(404, 'DEFINITION_UNKNOWN', `the definition run "${state.run_id}" is pinned to is not known to this console`);
    const statuses: Record<string, StepStatus> = Object.fromEntries(state.steps.map((step) => [step.id, step.status]));
    const graph = runbookGraph(definition);
    return { graph, mermaid: toMermaid(graph, { statuses }), statuses };
  });
}
