/**
 * The handlers a runbook may call, by name. Built from a handlers module
 * (`handlers/index.ts` exports `handlers: AnyHandler[]`).
 */
import { pathToFileURL } from 'node:url';
import { resolve, join } from 'node:path';
import { existsSync } from 'node:fs';
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

/** Imports `<dir>/index.ts` (or `.js`) and builds a registry from its `handlers` export. */
export async function loadHandlerRegistry(dir: string = DEFAULT_HANDLERS_DIR): Promise<HandlerRegistry> {
  const base = resolve(dir);
  const entry = ['index.ts', 'index.js', 'index.mjs'].map((name) => join(base, name)).find((file) => existsSync(file));
  if (!entry) throw new Error(`HANDLERS_NOT_FOUND: no index.ts or index.js in ${base}`);
  const module = (await import(pathToFileURL(entry).href)) as { handlers?: unknown };
  if (!Array.isArray(module.handlers)) throw new Error(`HANDLERS_INVALID: ${entry} must export \`handlers\` (an array of defineHandler(...) results)`);
  return new HandlerRegistry(module.handlers as AnyHandler[]);
}
