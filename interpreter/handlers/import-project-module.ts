/**
 * Imports a module of the user's project (a handlers entry) whatever the project is: TypeScript
 * or JavaScript, `"type": "module"` or `"type": "commonjs"`, any tsconfig. Node side only.
 *
 * JavaScript (`.js`, `.mjs`, `.cjs`) is imported by Node itself. TypeScript goes through tsx's
 * hooks (ESM and CommonJS), registered once for the process the first time a `.ts` module does
 * not load without them: it transpiles without type-checking (the project's own tsconfig
 * options do not break it) and loads ESM-syntax `.ts` in CommonJS projects too. Registered
 * globally rather than scoped (`tsImport`) so that what the handlers import resolves as Node
 * resolves it: `yaml-runbook` is the instance this process already loaded, not a second copy
 * loaded through the hooks (measured: 45 ms instead of 290 ms for the example handlers).
 * `runbook validate` first tries one esbuild build of the entry instead (bundleProjectModule), and
 * takes this path whenever that does not work.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleProjectModule } from './bundle-project-module.ts';

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

let typescriptHooks: Promise<void> | undefined;

/** tsx's ESM and CommonJS hooks, once per thread. */
function registerTypeScript(): Promise<void> {
  typescriptHooks ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
  })();
  return typescriptHooks;
}

/**
 * The entry built by esbuild into one file and imported (bundle-project-module.ts), or undefined when
 * that does not work here for any reason (esbuild missing, nowhere to write, a file it cannot build, an
 * import that fails): the caller then loads the entry through the loader, which reports any error.
 */
async function bundledOrUndefined(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const known = built.get(file);
    if (known) return (await import(known)) as Record<string, unknown>;
    let output = await bundleProjectModule(file);
    // Stack traces name the project's own files and lines (the output has an inline source map).
    process.setSourceMapsEnabled(true);
    let module: Record<string, unknown>;
    try {
      module = (await import(output)) as Record<string, unknown>;
    } catch {
      // A remembered build may be stale in a way its inputs do not show (packages moved): build afresh once.
      output = await bundleProjectModule(file, { reuse: false });
      module = (await import(output)) as Record<string, unknown>;
    }
    built.set(file, output);
    return module;
  } catch {
    return undefined;
  }
}

const needsLoader = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION';

/** Entries this thread built (bundle-project-module.ts), by file: the output's URL. */
const built = new Map<string, string>();

/** What this thread built, to hand to worker threads (they import the same output instead of building again). */
export function builtProjectModules(): Record<string, string> {
  return Object.fromEntries(built);
}

/** Outputs built by another thread of this process, imported as they are (validation workers). */
export function useBuiltProjectModules(modules: Readonly<Record<string, string>>): void {
  for (const [file, url] of Object.entries(modules)) built.set(file, url);
}

/**
 * Imports a project module. With `bundle` (`runbook validate`, which needs the contracts, not the
 * handlers' behaviour), a TypeScript entry is first tried as one esbuild build (bundle-project-module.ts,
 * ~0.1 s faster than the loader); if that build or its import fails for any reason, the entry is loaded
 * through the loader like every other command's, so the outcome and its errors are the loader's.
 */
export async function importProjectModule(file: string, options: { readonly bundle?: boolean } = {}): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    if (!TYPESCRIPT.test(file)) return (await import(url)) as Record<string, unknown>;
    if (typescriptHooks) {
      // Our hooks are in: TypeScript loads under the URL they were first used with (the plain one may
      // be cached as a failed attempt, and a second load of the same entry must be the same module).
      await typescriptHooks;
      return (await import(`${url}?typescript`)) as Record<string, unknown>;
    }
    // A TypeScript loader may already be active (a process run under tsx): then no hooks are added.
    try {
      return (await import(url)) as Record<string, unknown>;
    } catch (error) {
      if (!needsLoader(error)) throw error;
    }
    if (options.bundle) {
      const bundled = await bundledOrUndefined(file);
      if (bundled) return bundled;
    }
    await registerTypeScript();
    // A new URL: the failed attempt stays in the module cache under the plain one.
    return (await import(`${url}?typescript`)) as Record<string, unknown>;
  } catch (error) {
    throw new ProjectModuleError(file, describeLoadError(error));
  }
}

/**
 * What went wrong, in one line that names the place: the transpiler's `file:line:col: message`
 * for a syntax error, the importing file for a missing module, else the first line of the
 * message and the first frame in the project's own code.
 */
export function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const lines = error.message.split('\n');
  // esbuild (tsx): "Transform failed with 1 error:\n/path/file.ts:29:17: ERROR: Unexpected \";\""
  const transform = lines.map((line) => /^(.+?:\d+:\d+): ERROR: (.*)$/.exec(line.trim())).find((match) => match !== null);
  if (transform) return `${transform[1].replace(/^file:\/\//, '')}: ${transform[2]}`;
  const first = lines[0];
  // CommonJS: "Cannot find module 'x'\nRequire stack:\n- /path/importer.ts\n- ..."
  const requireStack = lines.indexOf('Require stack:');
  const importer = requireStack >= 0 ? lines[requireStack + 1]?.replace(/^- /, '').trim() : undefined;
  if (importer) return `${withoutLoaderQuery(first)} (imported from ${withoutLoaderQuery(importer)})`;
  // A syntax error in JavaScript: the stack's first line is "file:///path/file.js:12".
  const stack = (error.stack ?? '').split('\n');
  const sourceLine = /^(file:\/\/\S+:\d+)$/.exec(stack[0]?.trim() ?? '')?.[1];
  if (sourceLine && error instanceof SyntaxError) return `${sourceLine.replace(/^file:\/\//, '')}: ${first}`;
  const at = stack
    .slice(1)
    .map((frame) => frame.trim())
    .filter((frame) => frame.startsWith('at ') && !frame.includes('(node:') && !frame.startsWith('at node:') && !frame.includes('/node_modules/') && !frame.includes(PACKAGE_DIR))
    .map(frameLocation)
    .find((location) => location !== undefined);
  return at && !first.includes(at) ? `${withoutLoaderQuery(first)} (at ${at})` : withoutLoaderQuery(first);
}

/** This package's own compiled or source directory: its frames are never the cause. */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** `path:line:col` of a stack frame; a module tsx evaluated as CommonJS is a data: URL naming its file (`filePath=`), without usable positions. */
function frameLocation(frame: string): string | undefined {
  const transpiled = /[?&]filePath=([^:&)\s]+)/.exec(frame)?.[1];
  if (transpiled) return withoutLoaderQuery(decodeURIComponent(transpiled));
  const location = /\(?((?:file:\/\/)?\/[^()\s]+:\d+:\d+)\)?$/.exec(frame)?.[1];
  return location ? withoutLoaderQuery(location.replace(/^file:\/\//, '')) : undefined;
}

/** What loaders add to the URLs of the files they load (tsx's `?namespace=<uuid>`, our `?typescript`). */
function withoutLoaderQuery(text: string): string {
  return text.replace(/\?namespace=[0-9a-f-]+/g, '').replace(/\?typescript\b/g, '');
}
