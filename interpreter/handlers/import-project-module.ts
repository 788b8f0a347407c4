/**
 * Imports a module of the user's project (a handlers entry) whatever the project is: TypeScript
 * or JavaScript, `"type": "module"` or `"type": "commonjs"`, any tsconfig. Node side only.
 *
 * JavaScript (`.js`, `.mjs`, `.cjs`) is imported by Node itself. TypeScript goes through tsx's
 * scoped loader (`tsImport`): it transpiles without type-checking (the project's own tsconfig
 * options do not break it) and loads ESM-syntax `.ts` in CommonJS projects too, without
 * registering a loader for the rest of the process.
 */
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/** Raised when a project module cannot be loaded; `file` and `cause` say which and why. */
export class ProjectModuleError extends Error {
  readonly code = 'HANDLERS_LOAD_FAILED';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`HANDLERS_LOAD_FAILED: cannot load ${file}: ${reason}`);
  }
}

export async function importProjectModule(file: string): Promise<Record<string, unknown>> {
  try {
    if (!TYPESCRIPT.test(file)) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(pathToFileURL(file).href, { parentURL: import.meta.url })) as Record<string, unknown>;
  } catch (error) {
    throw new ProjectModuleError(file, describe(error));
  }
}

/** The first line of the cause, plus the first frame of the user's code that the stack names. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = error.message.split('\n')[0];
  const frames = (error.stack ?? '').split('\n').slice(1);
  const located = frames
    .map((frame) => /\(?((?:file:\/\/)?\/[^():\s]+:\d+:\d+)\)?\s*$/.exec(frame.trim())?.[1])
    .find((at) => at !== undefined && !at.includes('/node_modules/') && !at.includes('node:'));
  const at = located?.replace(/^file:\/\//, '');
  return at && !first.includes(at) ? `${first} (at ${at})` : first;
}
