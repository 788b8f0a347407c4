/**
 * The editor's routes (`/api/editor/...`, role `editor`): open a runbook file, apply an operation of
 * the editing module to the working text, validate it as `runbook validate` does, save it safely.
 */
import type { FastifyInstance } from 'fastify';

export interface EditorRoutesOptions {
  /** The runbooks directory the worker watches. */
  readonly runbooksDir: string;
}

export function registerEditorRoutes(_app: FastifyInstance, _options: EditorRoutesOptions | undefined): void {
  // routes land with the editor
}
