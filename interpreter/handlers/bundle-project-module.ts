/**
 * A project module (a handlers or agents entry) as one JavaScript file: the entry and the project
 * files it imports, transpiled and bundled by esbuild, with every package it imports left as an
 * import of the file Node itself would load. Node side.
 *
 * Why: loading TypeScript through a loader (tsx) costs a hooks thread and a round trip to it for
 * every later import (~120 ms before the first file, measured here); one esbuild build of the
 * example handlers takes ~40 ms in esbuild's own process. What the handlers import from
 * `node_modules` (zod, `yaml-runbook`, drivers) is not bundled: it is imported by its resolved
 * path, so it is the instance this process already has, as when Node resolves it.
 *
 * Semantics kept from running the files one by one: `import.meta.url` / `dirname` / `filename`
 * and `__dirname` / `__filename` are each file's own; `require()` of a package works in ESM
 * and CommonJS files; a project file imported by both the entry and its imports is one instance.
 * Errors map back to the original files: the output carries an inline source map and source
 * maps are enabled for the process once a bundle is loaded.
 *
 * The output lives in the user cache (`modules/<content hash>.mjs`), written once per content.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin, PluginBuild } from 'esbuild';
import { userCacheDir } from '../config/state-dir.ts';

const INJECTED = { meta: '__rb_import_meta', dirname: '__rb_dirname', filename: '__rb_filename' } as const;
const SCRIPT = /\.(c|m)?(t|j)sx?$/;
const LOADERS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };
/** Output files older than this are removed when a new one is written. */
const KEEP_MS = 30 * 24 * 3600 * 1000;

/**
 * Builds `entry` and returns the file URL of the output to import. Any failure (a file that does not
 * transpile, an import that does not resolve, esbuild missing, no writable cache) is thrown as it is:
 * the caller then loads the entry another way (import-project-module.ts), which reports it.
 */
export async function bundleProjectModule(entry: string, options: { readonly reuse?: boolean } = {}): Promise<string> {
  const reused = options.reuse === false ? undefined : unchangedOutput(entry);
  if (reused) return pathToFileURL(reused).href;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    // The map is inlined below with absolute sources: the output lives elsewhere than `outfile`.
    sourcemap: 'external',
    sourcesContent: false,
    outfile: OUTFILE,
    // No `module` condition: packages resolve as Node resolves them (`import`, `require`, `node`, `default`).
    conditions: [],
    logLevel: 'silent',
    keepNames: true,
    define: { 'import.meta': INJECTED.meta, __dirname: INJECTED.dirname, __filename: INJECTED.filename },
    // `require()` of a package from a bundled file (CommonJS-style handlers).
    banner: { js: runtimeOf(entry) },
    plugins: [packagesAsResolvedImports(), ownFileLocations()],
    metafile: true,
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'))?.text ?? '';
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'))?.text;
  const output = writeOutput(map ? withInlineMap(code, map) : code);
  rememberInputs(entry, output, Object.keys(result.metafile?.inputs ?? {}));
  return pathToFileURL(output).href;
}

/**
 * The build is remembered by what went into it: every project file (from esbuild's metafile), the
 * tsconfig / jsconfig / package.json files that could change how they build, esbuild's, Node's and
 * this format's versions. A later load whose inputs all have the same size and mtime imports the
 * same output without starting esbuild (~0.1 s of each command's start-up).
 */
interface Manifest {
  readonly format: number;
  readonly tools: string;
  readonly output: string;
  readonly inputs: readonly (readonly [path: string, stamp: string])[];
}

const MANIFEST_FORMAT = 2;
const CONFIG_FILES = ['tsconfig.json', 'jsconfig.json', 'package.json'];

/** The files a tsconfig's `extends` names, transitively (relative paths; a package's base config is stamped by its package.json). */
function extendedConfigs(config: string, seen = new Set<string>()): string[] {
  if (!config.endsWith('config.json') || seen.has(config)) return [];
  seen.add(config);
  let extended: unknown;
  try {
    // tsconfig allows comments and trailing commas: a plain JSON parse may refuse it; then only the file itself is stamped.
    extended = (JSON.parse(readFileSync(config, 'utf8')) as { extends?: unknown }).extends;
  } catch {
    return [];
  }
  const names = (Array.isArray(extended) ? extended : [extended]).filter((name): name is string => typeof name === 'string');
  return names.flatMap((name) => {
    if (!name.startsWith('.') && !name.startsWith('/')) return [];
    const path = resolve(dirname(config), name.endsWith('.json') ? name : `${name}.json`);
    return [path, ...extendedConfigs(path, seen)];
  });
}

function manifestPath(dir: string, entry: string): string {
  return join(dir, `${createHash('sha256').update(`${entry}\0${process.cwd()}`).digest('hex').slice(0, 32)}.inputs.json`);
}

function tools(): string {
  let esbuild = 'unknown';
  try {
    esbuild = (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version;
  } catch {
    // a build will say
  }
  return `esbuild ${esbuild}; node ${process.versions.node}`;
}

function stamp(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

function unchangedOutput(entry: string): string | undefined {
  for (const dir of outputDirs()) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath(dir, entry), 'utf8')) as Manifest;
      if (manifest.format !== MANIFEST_FORMAT || manifest.tools !== tools() || !existsSync(manifest.output)) continue;
      if (manifest.inputs.every(([path, before]) => stamp(path) === before)) {
        touch(manifest.output);
        return manifest.output;
      }
    } catch {
      // none, or unreadable: build
    }
  }
  return undefined;
}

/** Stamps of the files onLoad read, taken before reading them (by absolute path). */
const loadStamps = new Map<string, string>();

function rememberInputs(entry: string, output: string, inputs: readonly string[]): void {
  const files = new Set(inputs.map((input) => resolve(input)));
  // The directories of the inputs: a file added beside them (that an import would now resolve to, or a
  // glob import would now take) changes their mtime.
  const dirs = new Set([...files].map((file) => dirname(file)));
  const configs = new Set<string>();
  for (const dir of dirs) {
    for (let at = dir; ; at = dirname(at)) {
      for (const name of CONFIG_FILES) configs.add(join(at, name));
      if (dirname(at) === at) break;
    }
  }
  for (const config of [...configs]) for (const extended of extendedConfigs(config)) configs.add(extended);
  const stamped = [...files].map((file) => [file, loadStamps.get(file) ?? stamp(file)] as const);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    tools: tools(),
    output,
    inputs: [...stamped, ...[...dirs, ...configs].map((path) => [path, stamp(path)] as const)],
  };
  try {
    const path = manifestPath(dirname(output), entry);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(manifest));
    renameSync(temporary, path);
  } catch {
    // the next load builds again
  }
}

/** Imports of packages stay imports, of the file Node would load (an absolute URL: the output lives elsewhere). */
function packagesAsResolvedImports(): Plugin {
  return {
    name: 'packages-as-resolved-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
        if (resolved.errors.length > 0) {
          // A static import of a missing package fails to load whatever the code does: say where. A
          // dynamic import or require() of one may be optional (in a try): Node decides at run time.
          return args.kind === 'import-statement' ? { errors: resolved.errors } : { path: args.path, external: true };
        }
        if (resolved.external) return { path: resolved.path, external: true };
        // A tsconfig `paths` alias to a project file is bundled like a relative import; a package is
        // not, even when linked from elsewhere (npm link, a workspace): that is one installed by its name.
        if (!resolved.path.split(/[\\/]/).includes('node_modules') && !isInstalledPackage(args.path, args.resolveDir)) return { path: resolved.path };
        return { path: args.kind === 'require-call' || args.kind === 'require-resolve' ? resolved.path : pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

/** Whether `specifier` names a package found in a `node_modules` at or above `dir` (as Node looks for one). */
function isInstalledPackage(specifier: string, dir: string): boolean {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules', name))) return true;
    if (dirname(at) === at) return false;
  }
}

/** Each project file gets its own `import.meta.url`, `__dirname` and `__filename`. */
function ownFileLocations(): Plugin {
  return {
    name: 'own-file-locations',
    setup(build) {
      build.onLoad({ filter: SCRIPT }, async (args) => {
        if (args.path.split(/[\\/]/).includes('node_modules')) return undefined;
        const { readFile } = await import('node:fs/promises');
        // Stamped before it is read: a save during the build leaves a stamp the next load sees as changed.
        loadStamps.set(args.path, stamp(args.path));
        const text = await resolveLiteralResolves(build, args.path, await readFile(args.path, 'utf8'));
        const prelude = preludeOf(args.path);
        // On the first line, so that every line keeps its number (the source map is of this text).
        const contents = text.startsWith('#!') ? text.replace(/^#!.*/, (line) => `${line} ${prelude}`) : `${prelude}${text}`;
        return { contents, loader: LOADERS[extname(args.path)] ?? 'js' };
      });
    },
  };
}

const LITERAL_RESOLVE = /import\.meta\.resolve\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** `import.meta.resolve('pkg')` with a literal name becomes the URL Node resolves for `import 'pkg'` there. */
async function resolveLiteralResolves(build: PluginBuild, file: string, text: string): Promise<string> {
  const found = [...text.matchAll(LITERAL_RESOLVE)].filter((match) => !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(match[2]));
  if (found.length === 0) return text;
  const urls = new Map<string, string>();
  for (const [, , specifier] of found) {
    if (urls.has(specifier)) continue;
    const resolved = await build.resolve(specifier, { kind: 'import-statement', importer: file, resolveDir: dirname(file), pluginData: 'resolving' });
    if (resolved.errors.length === 0 && !resolved.external) urls.set(specifier, pathToFileURL(resolved.path).href);
  }
  return text.replace(LITERAL_RESOLVE, (whole, _quote: string, specifier: string) => (urls.has(specifier) ? JSON.stringify(urls.get(specifier)) : whole));
}

/** Where esbuild is told the output goes (nothing is written there): the map's sources are relative to it. */
const OUTFILE = join(tmpdir(), 'yaml-runbook-bundle.mjs');

/** `code` with its source map inlined, its sources absolute file URLs (Node ignores `sourceRoot`). */
function withInlineMap(code: string, mapText: string): string {
  const map = JSON.parse(mapText) as { sources: string[]; sourceRoot?: string };
  map.sources = map.sources.map((source) => pathToFileURL(resolve(dirname(OUTFILE), source)).href);
  delete map.sourceRoot;
  return `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

/** The file's own `import.meta` and `__dirname` / `__filename`, on one line (made by the banner's RUNTIME). */
function preludeOf(file: string): string {
  return `var ${INJECTED.meta} = __yamlRunbookMeta__(${JSON.stringify(pathToFileURL(file).href)}), ${INJECTED.dirname} = ${INJECTED.meta}.dirname, ${INJECTED.filename} = ${INJECTED.meta}.filename;`;
}

/**
 * At the top of the output: `require` for packages (CommonJS-style handlers), and `import.meta` of a
 * file. Its `resolve` resolves relative specifiers against the file, packages as `require` would from
 * there (Node 20 cannot resolve as `import` on behalf of another module).
 */
function runtimeOf(entry: string): string {
  return [
    "import { createRequire as __yamlRunbookCreateRequire__ } from 'node:module';",
    "import { fileURLToPath as __yamlRunbookPath__, pathToFileURL as __yamlRunbookUrl__ } from 'node:url';",
    "import { dirname as __yamlRunbookDirname__ } from 'node:path';",
    `const require = __yamlRunbookCreateRequire__(${JSON.stringify(entry)});`,
    'const __yamlRunbookMeta__ = (url) => {',
    '  const filename = __yamlRunbookPath__(url);',
    '  const dirname = __yamlRunbookDirname__(filename);',
    '  const resolve = (specifier) => {',
    "    if (/^\\.{0,2}\\//.test(specifier)) return new URL(specifier, url).href;",
    "    if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return specifier;",
    '    const path = __yamlRunbookCreateRequire__(filename).resolve(specifier);',
    '    return path.startsWith("/") || /^[a-z]:/i.test(path) ? __yamlRunbookUrl__(path).href : `node:${path}`;',
    '  };',
    '  return { url, filename, dirname, resolve };',
    '};',
  ].join('\n');
}

/** Where outputs go: the user cache, else a directory of the user's under the temporary directory. */
function outputDirs(): string[] {
  return [join(userCacheDir(), 'modules'), join(tmpdir(), `yaml-runbook-${process.getuid?.() ?? 'user'}`, 'modules')];
}

/** Writes the output once per content, atomically (processes may load the same entry at once). */
function writeOutput(code: string): string {
  const name = `${createHash('sha256').update(code).digest('hex').slice(0, 32)}.mjs`;
  let lastError: unknown;
  for (const dir of outputDirs()) {
    const file = join(dir, name);
    try {
      if (existsSync(file)) {
        touch(file);
        return file;
      }
      mkdirSync(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, code);
      renameSync(temporary, file);
      pruneOld(dir);
      return file;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** Marks an output as used, so that pruning (by age) leaves it. */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // read-only: it may be pruned and built again
  }
}

function pruneOld(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > KEEP_MS) unlinkSync(file);
    } catch {
      // Another process pruned it.
    }
  }
}
