#!/usr/bin/env node
/**
 * `npm run build` (also `prepare`, so `npm ci` builds): compiles interpreter/ to lib/ (ESM
 * JavaScript, .d.ts types, source maps with the sources inlined) and copies the plain-JS files
 * the compiler does not emit, and builds the console's browser app into lib/console-app/
 * (scripts/build-console-app.mjs). The package ships lib/, never the TypeScript sources.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'interpreter');
const LIB = join(ROOT, 'lib');
// Built beside lib/ and swapped in at the end, so a process running the CLI meanwhile never sees
// a half-written lib/ (and a removed source leaves no stale output).
const OUT = join(ROOT, 'lib.next');

rmSync(OUT, { recursive: true, force: true });
const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', OUT], { stdio: 'inherit', cwd: ROOT });
if (result.status !== 0) {
  rmSync(OUT, { recursive: true, force: true });
  process.stderr.write('build: tsc failed\n');
  process.exit(result.status ?? 1);
}

// Plain JavaScript modules (.mjs) and data files are copied as they are.
const COPIED = /\.(mjs|json|yaml)$/;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (COPIED.test(entry.name)) {
      const target = join(OUT, relative(SRC, full));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(full, target);
    }
  }
};
walk(SRC);

// The runbook schema as a standalone validator (no schema compile at CLI start).
const compiled = spawnSync(process.execPath, [join(ROOT, 'scripts', 'compile-schema.mjs'), OUT], { stdio: 'inherit', cwd: ROOT });
if (compiled.status !== 0) {
  rmSync(OUT, { recursive: true, force: true });
  process.stderr.write('build: schema precompile failed\n');
  process.exit(compiled.status ?? 1);
}

// The console's browser app (console/) into lib.next/console-app/, skipped when unchanged.
const app = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-console-app.mjs'), OUT], { stdio: 'inherit', cwd: ROOT });
if (app.status !== 0) {
  rmSync(OUT, { recursive: true, force: true });
  process.stderr.write('build: console app failed\n');
  process.exit(app.status ?? 1);
}

const OLD = join(ROOT, `lib.old-${process.pid}`);
if (existsSync(LIB)) renameSync(LIB, OLD);
renameSync(OUT, LIB);
rmSync(OLD, { recursive: true, force: true });
