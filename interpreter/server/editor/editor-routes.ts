/**
 * The editor's routes (`/api/editor/...`; the server's onRequest hook requires the `editor` role on
 * every one, and the CSRF token on POSTs): list and open runbook files, apply an operation of the
 * editing module to the working text, validate a text as `runbook validate` would, and save safely —
 * refused while the text has errors, refused with the file's current text when it changed since it
 * was opened (never last-write-wins), written atomically, recorded with who saved it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { applyEdit, FileChangedError, STEP_TEMPLATES, validateRunbookFiles, writeIfUnchanged, type EditOperation, type HandlerRegistry } from '../../index.ts';
import { ApiFailure } from '../api-failure.ts';
import type {
  EditorAnalyzeRequest, EditorApplyRequest, EditorApplyResponse, EditorDocument, EditorFilesResponse, EditorSaveRequest, EditorSaveResponse, ServedHashResponse,
} from '../console-api.ts';
import { analyzeText } from './editor-analysis.ts';
import { lastSave, listRunbookFiles, readContent, recordSave, type RunbookFile } from './editor-files.ts';

export interface EditorRoutesOptions {
  /** The runbooks directory the worker watches. */
  readonly runbooksDir: string;
  /** The handlers calls are checked against; null skips handler checks (a project without handlers). */
  readonly handlers: HandlerRegistry | null;
  /** The project's state directory: saves are recorded in its `editor-saves.jsonl`. */
  readonly stateDir: string;
  /** The definition hash served now for a slug: the worker's (its state file) or this console's own. */
  readonly servedHash: (slug: string) => Promise<string | null>;
  /** After a save is on disk (e.g. rescan this console's own definitions now rather than on the watcher's event). */
  readonly afterSave?: (file: string) => Promise<void>;
}

/** Who is asking: the signed-in person's id (the console server knows). */
export type PersonOf = (request: FastifyRequest) => { readonly id: string };

const MAX_TEXT = 2 * 1024 * 1024;
const slugParams = { type: 'object', required: ['slug'], properties: { slug: { type: 'string', minLength: 1, maxLength: 200 } } } as const;
const textBody = { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', maxLength: MAX_TEXT } } } as const;
const position = {
  oneOf: [
    { type: 'object', required: ['before'], additionalProperties: false, properties: { before: { type: 'string', minLength: 1 } } },
    { type: 'object', required: ['after'], additionalProperties: false, properties: { after: { type: 'string', minLength: 1 } } },
    { type: 'object', required: ['index'], additionalProperties: false, properties: { index: { type: 'integer', minimum: 0 } } },
  ],
} as const;
const fieldPath = { type: 'array', minItems: 1, maxItems: 32, items: { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }] } } as const;
const operation = {
  oneOf: [
    { type: 'object', required: ['op', 'step', 'to'], additionalProperties: false, properties: { op: { const: 'move' }, step: { type: 'string' }, to: position } },
    { type: 'object', required: ['op', 'template', 'at'], additionalProperties: false, properties: { op: { const: 'insert' }, template: { type: 'string' }, at: position, id: { type: 'string' } } },
    { type: 'object', required: ['op', 'step'], additionalProperties: false, properties: { op: { const: 'delete' }, step: { type: 'string' } } },
    { type: 'object', required: ['op', 'step'], additionalProperties: false, properties: { op: { const: 'duplicate' }, step: { type: 'string' }, id: { type: 'string' } } },
    { type: 'object', required: ['op', 'step', 'path', 'value'], additionalProperties: false, properties: { op: { const: 'set' }, step: { type: 'string' }, path: fieldPath, value: {} } },
    { type: 'object', required: ['op', 'step', 'path'], additionalProperties: false, properties: { op: { const: 'clear' }, step: { type: 'string' }, path: fieldPath } },
  ],
} as const;
const applyBody = { type: 'object', required: ['text', 'operation'], additionalProperties: false, properties: { text: textBody.properties.text, operation } } as const;
const saveBody = {
  type: 'object', required: ['text', 'base_hash'], additionalProperties: false,
  properties: { text: textBody.properties.text, base_hash: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
} as const;

const warn = (what: string, error: unknown): void => {
  process.stderr.write(`runbook console: ${what}: ${error instanceof Error ? error.message : String(error)}\n`);
};

export function registerEditorRoutes(app: FastifyInstance, options: EditorRoutesOptions | undefined, personOf: PersonOf): void {
  if (!options) {
    const unavailable = async (): Promise<never> => {
      throw new ApiFailure(404, 'EDITOR_UNAVAILABLE', 'this console was started without the runbook editor');
    };
    app.get('/api/editor/*', unavailable);
    app.post('/api/editor/*', unavailable);
    return;
  }
  const validator = { runbooksDir: options.runbooksDir, handlers: options.handlers };

  const fileOf = async (slug: string): Promise<RunbookFile> => {
    const found = (await listRunbookFiles(options.runbooksDir)).find((entry) => entry.slug === slug);
    if (!found) throw new ApiFailure(404, 'RUNBOOK_UNKNOWN', `no runbook file for "${slug}" in ${options.runbooksDir}`);
    return found;
  };

  app.get('/api/editor/runbooks', async (): Promise<EditorFilesResponse> => {
    const files = await listRunbookFiles(options.runbooksDir);
    const report = await validateRunbookFiles(files.map((entry) => entry.file), { handlers: options.handlers });
    const broken = new Set(report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.file));
    const titles = new Map(report.runbooks.map((loaded) => [loaded.file, loaded.runbook.title]));
    return { files: files.map((entry) => ({ slug: entry.slug, path: entry.path, title: titles.get(entry.file) ?? null, valid: !broken.has(entry.file) })) };
  });

  app.get<{ Params: { slug: string } }>('/api/editor/runbooks/:slug', { schema: { params: slugParams } }, async (request): Promise<EditorDocument> => {
    const entry = await fileOf(request.params.slug);
    const { text, hash } = await readContent(entry.file);
    const [analysis, served, saved] = await Promise.all([analyzeText(validator, entry.file, text), options.servedHash(entry.slug), lastSave(options.stateDir, entry.slug)]);
    return {
      slug: entry.slug,
      path: entry.path,
      text,
      hash,
      analysis,
      served_hash: served,
      last_saved: saved ? { by: saved.by, at: saved.at, hash: saved.hash } : null,
      templates: STEP_TEMPLATES,
    };
  });

  app.post<{ Params: { slug: string }; Body: EditorAnalyzeRequest }>('/api/editor/runbooks/:slug/analyze', { schema: { params: slugParams, body: textBody } }, async (request) => {
    const entry = await fileOf(request.params.slug);
    return analyzeText(validator, entry.file, request.body.text);
  });

  app.post<{ Params: { slug: string }; Body: EditorApplyRequest }>('/api/editor/runbooks/:slug/apply', { schema: { params: slugParams, body: applyBody } }, async (request): Promise<EditorApplyResponse> => {
    const entry = await fileOf(request.params.slug);
    const result = applyEdit(request.body.text, request.body.operation as EditOperation);
    if (!result.ok) throw new ApiFailure(409, result.code, result.message);
    return { text: result.text, analysis: await analyzeText(validator, entry.file, result.text) };
  });

  app.post<{ Params: { slug: string }; Body: EditorSaveRequest }>('/api/editor/runbooks/:slug/save', { schema: { params: slugParams, body: saveBody } }, async (request): Promise<EditorSaveResponse> => {
    const entry = await fileOf(request.params.slug);
    const { text, base_hash: baseHash } = request.body;
    const person = personOf(request);
    const analysis = await analyzeText(validator, entry.file, text);
    if (!analysis.valid) {
      const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
      throw new ApiFailure(422, 'RUNBOOK_INVALID', `not saved: ${errors.length} error${errors.length === 1 ? '' : 's'} (first: ${errors[0]?.code} at line ${errors[0]?.line}: ${errors[0]?.message})`, { diagnostics: analysis.diagnostics });
    }
    if (analysis.slug !== entry.slug) {
      throw new ApiFailure(422, 'EDIT_SLUG_CHANGED', `not saved: the text declares slug "${analysis.slug ?? '(none)'}" but the file is "${entry.slug}"; a slug is not renamed in the editor (runs, children and schedules name it): change it in your repository`);
    }
    let written: { hash: string };
    try {
      written = await writeIfUnchanged(entry.file, baseHash, text);
    } catch (error) {
      if (error instanceof FileChangedError) {
        throw new ApiFailure(409, 'FILE_CHANGED', `${entry.path} changed on disk since it was opened; compare and reload before saving`, { current_text: error.currentText, current_hash: error.currentHash });
      }
      throw error;
    }
    const saved = { slug: entry.slug, path: entry.path, hash: written.hash, base_hash: baseHash, by: person.id, at: new Date().toISOString() };
    // The file is saved: what follows must not turn that into a failure (the next save would meet FILE_CHANGED against its own text).
    await recordSave(options.stateDir, saved).catch((error: unknown) => warn(`could not record the save of ${entry.path} in ${options.stateDir}`, error));
    await options.afterSave?.(entry.file).catch((error: unknown) => warn(`saved ${entry.path}, but reloading the definitions failed`, error));
    return { hash: saved.hash, saved_by: saved.by, saved_at: saved.at };
  });

  app.get<{ Params: { slug: string } }>('/api/editor/runbooks/:slug/served', { schema: { params: slugParams } }, async (request): Promise<ServedHashResponse> => {
    const entry = await fileOf(request.params.slug);
    return { served_hash: await options.servedHash(entry.slug) };
  });
}

