/**
 * The handlers a runbook may call, by name. Built from a handlers module
 * (`handlers/index.ts` exports `handlers: AnyHandler[]`).
 */
import { resolve, join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { importProjectModule, ProjectModuleError } from './import-project-module.ts';
import type { AnyHandler } from './handler-api.ts';

export class HandlerRegistry {
  private readonly byName = new Map<string, AnyHandler>();

  constructor(handlers: Iterable<AnyHandler>) {
    for (const handler of handlers) {
      if (this.byName.has(handler.name)) throw new Error(`HANDLER_DUPLICATE: two handlers are named "${handler.name}"`);
      this.byName.set(handler.name, handler);
    }
  }

  get(name: string): AnyHandler | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

/** The project's default handlers directory. */
export const DEFAULT_HANDLERS_DIR = 'handlers';

/** The entry file names looked for in a handlers directory, in order. */
export const HANDLER_ENTRY_NAMES = ['index.ts', 'index.mts', 'index.js', 'index.mjs', 'index.cjs'] as const;

/** A handlers directory or entry that cannot be used; `code` says why, `file` where. */
export class HandlersLoadError extends Error {
  constructor(
    readonly code: 'HANDLERS_NOT_FOUND' | 'HANDLERS_LOAD_FAILED' | 'HANDLERS_INVALID' | 'HANDLER_DUPLICATE',
    readonly file: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The entry module of `dirOrFile`: the file itself, or the first `index.*` inside the directory. */
export function resolveHandlerEntry(dirOrFile: string): string {
  const base = resolve(dirOrFile);
  if (existsSync(base) && statSync(base).isFile()) return base;
  if (!existsSync(base)) throw new HandlersLoadError('HANDLERS_NOT_FOUND', base, `no handlers directory ${base}`);
  const entry = HANDLER_ENTRY_NAMES.map((name) => join(base, name)).find((file) => existsSync(file));
  if (!entry) throw new HandlersLoadError('HANDLERS_NOT_FOUND', base, `no ${HANDLER_ENTRY_NAMES.join(', ')} in ${base}`);
  return entry;
}

/**
 * Imports the handlers entry of `dir` (a directory with `index.ts` / `index.js`, or the entry
 * file itself) and builds a registry from its `handlers` export. TypeScript and JavaScript, in
 * ESM and CommonJS projects. Throws HandlersLoadError naming the file and the cause.
 */
export async function loadHandlerRegistry(dir: string = DEFAULT_HANDLERS_DIR, options: { readonly bundle?: boolean } = {}): Promise<HandlerRegistry> {
  const entry = resolveHandlerEntry(dir);
  let module: Record<string, unknown>;
  try {
    module = await importProjectModule(entry, options);
  } catch (error) {
    if (error instanceof ProjectModuleError) throw new HandlersLoadError('HANDLERS_LOAD_FAILED', entry, `cannot load ${entry}: ${error.reason}`);
    throw error;
  }
  // A CommonJS module's exports arrive as `default` when imported from ESM.
  const exported = module.handlers ?? (module.default as { handlers?: unknown } | undefined)?.handlers;
  if (!Array.isArray(exported)) throw new HandlersLoadError('HANDLERS_INVALID', entry, `${entry} must export \`handlers\` (an array of defineHandler(...) results)`);
  const invalid = exported.findIndex((handler) => !isHandler(handler));
  if (invalid >= 0) throw new HandlersLoadError('HANDLERS_INVALID', entry, `${entry}: handlers[${invalid}] is not a defineHandler(...) result (it needs a name and a run function)`);
  try {
    return new HandlerRegistry(exported as AnyHandler[]);
  } catch (error) {
    throw new HandlersLoadError('HANDLER_DUPLICATE', entry, `${entry}: ${error instanceof Error ? error.message.replace(/^HANDLER_DUPLICATE: /, '') : String(error)}`);
  }
}

function isHandler(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; run?: unknown };
  return typeof candidate.name === 'string' && typeof candidate.run === 'function';
}
