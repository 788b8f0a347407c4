/**
 * A fingerprint of the handler module graph's sources, so a warm `runbook validate` can know
 * the handler contracts without importing the handlers (tsx + zod + the modules cost more than
 * the whole cached run). The graph is followed statically from the entry: relative imports
 * are hashed by content, packages by their package.json. Anything it cannot follow for
 * certain (a computed import or require, an unresolvable specifier, a package linked from
 * outside node_modules) makes the graph "open": no fingerprint, and the handlers are loaded.
 * Our own modules (a handler importing defineHandler from this checkout) are hashed, not
 * followed: what they import is part of our version. Node side.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from './validate-cache-keys.ts';

/** This package's own modules: the sources (interpreter/) and the compiled lib/. */
const PACKAGE_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const OWN_ROOTS = ['interpreter', 'lib'].map((dir) => join(PACKAGE_ROOT, dir) + sep);

/** Static `import ... from 'x'`, `export ... from 'x'`, `import 'x'`. */
const STATIC_IMPORT = /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[\w*${},\s]+?\s+from\s*)?(['"])([^'"\n]+)\1/g;
/** `import(...)` and `require(...)`: literal or not. */
const CALL_IMPORT = /(?:^|[^\w$.])(?:import|require)\s*\(\s*([^)]*)\)/g;
const LITERAL = /^(['"`])([^'"`$\n]+)\1$/;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];
const BUILTINS = new Set(builtinModules);
const MAX_FILES = 2000;

/** The fingerprint of the graph from `entry`, or undefined when the graph is open. */
export function handlerFingerprint(entry: string): string | undefined {
  const root = dirname(resolve(entry));
  const seen = new Map<string, string>();
  const packages = new Map<string, string>();
  const queue = [resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    if (seen.size >= MAX_FILES) return undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    seen.set(file, sha256(text));
    if (file.endsWith('.json') || OWN_ROOTS.some((own) => file.startsWith(own))) continue;
    const specifiers = importSpecifiers(text);
    if (!specifiers) return undefined;
    for (const specifier of specifiers) {
      if (specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolveRelative(dirname(file), specifier);
        if (!target) return undefined;
        queue.push(target);
      } else {
        const name = packageName(specifier);
        if (!packages.has(name)) {
          const manifest = packageManifest(dirname(file), name);
          if (manifest === undefined) return undefined;
          packages.set(name, manifest);
        }
      }
    }
  }
  const lines = [...seen].map(([file, hash]) => `${relative(root, file).split(sep).join('/')}:${hash}`).sort();
  const deps = [...packages].map(([name, hash]) => `${name}@${hash}`).sort();
  return sha256([...lines, ...deps, projectManifest(root)].join('\n'));
}

/** Every specifier a module imports, or undefined when one of them is computed at run time. */
function importSpecifiers(text: string): string[] | undefined {
  const found = [...text.matchAll(STATIC_IMPORT)].map((match) => match[2]);
  for (const match of text.matchAll(CALL_IMPORT)) {
    const literal = LITERAL.exec(match[1].trim().replace(/,\s*\{[^}]*\}\s*$/, ''));
    if (!literal) return undefined;
    found.push(literal[2]);
  }
  return found;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(from, specifier);
  const candidates = [base, base.replace(/\.(m|c)?js$/, '.$1ts'), ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => join(base, `index${ext}`))];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The package.json hash of `name` as Node would find it from `dir`; undefined if absent or linked from outside node_modules. */
function packageManifest(dir: string, name: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) {
      const real = realpathSync(candidate);
      if (!real.split(sep).includes('node_modules')) return undefined;
      return sha256(readFileSync(real));
    }
    if (dirname(current) === current) return undefined;
  }
}

/** The nearest package.json above the handlers (its "type" decides how they load). */
function projectManifest(root: string): string {
  for (let current = root; ; current = dirname(current)) {
    const candidate = join(current, 'package.json');
    if (existsSync(candidate)) return sha256(readFileSync(candidate));
    if (dirname(current) === current) return 'none';
  }
}
