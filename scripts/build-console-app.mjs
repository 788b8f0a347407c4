#!/usr/bin/env node
/**
 * The console's browser app (console/, Vite + React) into `<OUT>/console-app/` (index.html +
 * assets, base `/`), called by scripts/build.mjs before lib.next/ is swapped in. Skipped when
 * console/'s sources and package-lock.json are unchanged since the last build: lib/console-app/ is
 * copied over (its `.build-hash` says what it was built from). A rebuild typechecks the app first
 * (console/tsconfig.json; the root typecheck does not include console/). Prints the gzipped
 * sizes: the inbox's initial JavaScript (budget 250 KB) and the chunks loaded on demand.
 *
 * usage: node scripts/build-console-app.mjs OUT_DIR
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APP = join(ROOT, 'console');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'lib.next'), 'console-app');
const PREVIOUS = join(ROOT, 'lib', 'console-app');
const HASH_FILE = '.build-hash';
const SIZES_FILE = '.build-sizes.json';
const INITIAL_BUDGET = 250 * 1024;

/** A hash of every source file of console/ (not its README) and the lockfile. */
function sourceHash() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name !== 'README.md') hash.update(relative(ROOT, full)).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  walk(APP);
  hash.update(readFileSync(join(ROOT, 'package-lock.json')));
  hash.update(readFileSync(join(ROOT, 'scripts', 'build-console-app.mjs')));
  return hash.digest('hex');
}

const run = (args, what) => {
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT });
  if (result.status !== 0) {
    process.stderr.write(`build: ${what} failed\n`);
    process.exit(result.status ?? 1);
  }
};

/** Gzipped sizes from Vite's manifest: the entry and its static imports, then each lazy chunk. */
function sizesOf(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8'));
  const gz = (file) => gzipSync(readFileSync(join(dir, file)), { level: 9 }).length;
  const closure = (key, seen = new Set()) => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const child of manifest[key]?.imports ?? []) closure(child, seen);
    return seen;
  };
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  const initial = closure(entry);
  const initialJs = [...initial].reduce((sum, key) => sum + gz(manifest[key].file), 0);
  const css = [...initial].flatMap((key) => manifest[key].css ?? []).reduce((sum, file) => sum + gz(file), 0);
  const lazy = Object.keys(manifest)
    .filter((key) => manifest[key].isDynamicEntry)
    .map((key) => ({ name: manifest[key].name ?? key, bytes: [...closure(key)].filter((k) => !initial.has(k)).reduce((sum, k) => sum + gz(manifest[k].file), 0) }))
    .sort((a, b) => b.bytes - a.bytes);
  return { initial_js: initialJs, initial_css: css, lazy };
}

function printSizes(sizes, reused) {
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const over = sizes.initial_js > INITIAL_BUDGET;
  process.stdout.write(
    `console-app${reused ? ' (unchanged, reused)' : ''}: inbox initial JS ${kb(sizes.initial_js)} gzipped (budget ${kb(INITIAL_BUDGET)}), CSS ${kb(sizes.initial_css)}; on demand: ` +
      `${sizes.lazy.map(({ name, bytes }) => `${name} +${kb(bytes)}`).join(', ')}\n`,
  );
  if (over) {
    process.stderr.write('build: the inbox\'s initial JavaScript is over its 250 KB budget; lazy-load what it does not need\n');
    process.exit(1);
  }
}

const hash = sourceHash();
rmSync(OUT, { recursive: true, force: true });
const previousHash = existsSync(join(PREVIOUS, HASH_FILE)) ? readFileSync(join(PREVIOUS, HASH_FILE), 'utf8').trim() : null;
if (previousHash === hash && existsSync(join(PREVIOUS, 'index.html')) && existsSync(join(PREVIOUS, SIZES_FILE))) {
  cpSync(PREVIOUS, OUT, { recursive: true });
  printSizes(JSON.parse(readFileSync(join(OUT, SIZES_FILE), 'utf8')), true);
} else {
  run([join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(APP, 'tsconfig.json')], 'typecheck of console/');
  run([join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', APP, '--outDir', OUT, '--manifest', '--logLevel', 'warn'], 'vite build of console/');
  const sizes = sizesOf(OUT);
  rmSync(join(OUT, '.vite'), { recursive: true, force: true });
  writeFileSync(join(OUT, SIZES_FILE), `${JSON.stringify(sizes)}\n`);
  writeFileSync(join(OUT, HASH_FILE), `${hash}\n`);
  printSizes(sizes, false);
}
