#!/usr/bin/env node
/**
 * `npm run build` (also `prepare`, so `npm ci` builds): compiles interpreter/ to lib/ (ESM
 * JavaScript, .d.ts types, source maps with the sources inlined) and copies the plain-JS files
 * the compiler does not emit. The package ships lib/, never the TypeScript sources.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'interpreter');
const OUT = join(ROOT, 'lib');

rmSync(OUT, { recursive: true, force: true });
const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
if (result.status !== 0) {
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
