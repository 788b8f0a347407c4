/**
 * `runbook init [DIR]`: scaffolds a working project from templates/init — config, an example
 * runbook with a sample input, a handler with its zod contract, a test case, editor set-up
 * (`$schema` lines and .vscode/settings.json), package.json scripts, a CI workflow. Never
 * overwrites a file: existing ones are skipped and listed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayPath } from '../../config/index.ts';
import { EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';

const USAGE = `usage: runbook init [DIR]

Scaffolds a runbook project in DIR (default: the working directory): runbook.config.yaml,
runbooks/invoice-approval.yaml with a sample input, handlers/ with a zod contract, a test
case under tests/, editor completion (.vscode/settings.json and $schema lines), package.json
scripts, and a GitHub Actions workflow running \`runbook validate\` and \`runbook test\`.
Existing files are never overwritten: they are skipped and listed.

options:
  -h, --help   show this help`;

/** This package's root: templates/ and schema/ live there (lib/cli/commands/ or interpreter/cli/commands/ → three up). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TEMPLATES = join(PACKAGE_ROOT, 'templates', 'init');
/** How the templates name the installed package's schema directory (`./` from the project root, `../` from runbooks/). */
const SCHEMA_PLACEHOLDER = /\.\.?\/node_modules\/yaml-runbook\/schema\//g;

const SCRIPTS: Record<string, string> = {
  'runbooks:validate': 'runbook validate',
  'runbooks:test': 'runbook test',
  'runbooks:run': 'runbook run invoice-approval --input runbooks/invoice-approval.input.json --answer approve=approved',
  'runbooks:worker': 'runbook worker',
};

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => init(argv)),
};

type Outcome = { file: string; done: 'created' | 'skipped' | 'updated'; why?: string };

async function init(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 1) throw new UsageError(`one directory at a time, got ${positionals.join(' ')}`);
  const target = resolve(positionals[0] ?? '.');
  if (existsSync(target) && !statSync(target).isDirectory()) throw new UsageError(`${positionals[0]} is not a directory`);
  mkdirSync(target, { recursive: true });

  const schemaDir = schemaDirFor(target);
  const outcomes: Outcome[] = [];
  for (const file of templateFiles(TEMPLATES)) {
    const destination = join(target, file);
    if (existsSync(destination)) {
      outcomes.push({ file, done: 'skipped', why: 'exists' });
      continue;
    }
    mkdirSync(dirname(destination), { recursive: true });
    // VS Code resolves settings paths from the workspace root; a $schema line from its own file.
    const base = file.startsWith(`.vscode${sep}`) ? target : dirname(destination);
    writeFileSync(destination, withSchemaPaths(readFileSync(join(TEMPLATES, file), 'utf8'), base, schemaDir));
    outcomes.push({ file, done: 'created' });
  }
  const scripts = addScripts(target);
  outcomes.push(scripts, ignoreStateDir(target));

  const name = (file: string): string => file.split(sep).join('/');
  for (const outcome of outcomes) process.stdout.write(`  ${outcome.done.padEnd(7)}  ${name(outcome.file)}${outcome.why ? `  (${outcome.why})` : ''}\n`);
  const where = displayPath(target);
  process.stdout.write(
    [
      '',
      `A runbook project is ready in ${where === '.' ? 'this directory' : where}. Next:`,
      ...(where === '.' ? [] : [`  cd ${where}`]),
      ...(scripts.needsInstall || !installed(target) ? ['  npm install                          # installs yaml-runbook, now in package.json'] : []),
      '  npx runbook validate                 # schema, semantic and handler checks',
      '  npx runbook test                     # the cases under tests/',
      '  npx runbook run invoice-approval --input runbooks/invoice-approval.input.json',
      '  npx runbook config                   # what is configured, and from where',
      '',
    ].join('\n'),
  );
  return EXIT_OK;
}

/** Every template file, relative to the templates root. */
function templateFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(relative(root, full));
    }
  };
  walk(root);
  return files.sort();
}

/** The schema directory the project's files should point at: the installed package's, relative paths from the project. */
function schemaDirFor(target: string): string {
  // The package the project installed (node_modules/yaml-runbook at or above the project), else this package.
  for (let dir = target; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', 'yaml-runbook', 'schema');
    if (existsSync(installed)) return installed;
    if (dirname(dir) === dir) break;
  }
  return join(PACKAGE_ROOT, 'schema');
}

function withSchemaPaths(text: string, fileDir: string, schemaDir: string): string {
  let rel = relative(fileDir, schemaDir).split(sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return text.replace(SCHEMA_PLACEHOLDER, `${rel}/`);
}

/** This package's name and version, for the dependency init declares. */
function ownPackage(): { name: string; version: string } {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
}

type PackageJson = { scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } & Record<string, unknown>;

/**
 * Adds what package.json lacks: the runbook scripts (an existing script is never changed) and
 * this package as a dependency (the worker and the handlers need it at run time, so not a dev
 * dependency); creates package.json if there is none. Returns what it did and whether the
 * dependency is new (then `npm install` is due).
 */
function addScripts(target: string): Outcome & { needsInstall: boolean } {
  const file = join(target, 'package.json');
  const own = ownPackage();
  const dependency = { [own.name]: `^${own.version}` };
  if (!existsSync(file)) {
    const name = target.split(sep).pop()?.toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'runbooks';
    writeFileSync(file, `${JSON.stringify({ name, version: '1.0.0', private: true, scripts: SCRIPTS, dependencies: dependency }, null, 2)}\n`);
    return { file: 'package.json', done: 'created', needsInstall: true };
  }
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return { file: 'package.json', done: 'skipped', why: `not valid JSON; add the runbook scripts and the ${own.name} dependency yourself`, needsInstall: false };
  }
  const scripts = { ...(pkg.scripts ?? {}) };
  const added = Object.entries(SCRIPTS).filter(([key]) => !(key in scripts));
  for (const [key, value] of added) scripts[key] = value;
  const declared = own.name in (pkg.dependencies ?? {}) || own.name in (pkg.devDependencies ?? {});
  const changes = [...(added.length > 0 ? [`scripts ${added.map(([key]) => key).join(', ')}`] : []), ...(declared ? [] : [`dependency ${own.name}`])];
  if (changes.length === 0) return { file: 'package.json', done: 'skipped', why: `has the runbook scripts and ${own.name}`, needsInstall: false };
  const updated: PackageJson = { ...pkg, scripts, ...(declared ? {} : { dependencies: { ...(pkg.dependencies ?? {}), ...dependency } }) };
  writeFileSync(file, `${JSON.stringify(updated, null, 2)}\n`);
  return { file: 'package.json', done: 'updated', why: changes.join('; '), needsInstall: !declared };
}

/** Whether the project can import this package already (installed at or above it). */
function installed(target: string): boolean {
  for (let dir = target; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', ownPackage().name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/** Makes git ignore the state directory (appends one line; never rewrites what is there). */
function ignoreStateDir(target: string): Outcome {
  const file = join(target, '.gitignore');
  const line = '.runbook/';
  if (!existsSync(file)) {
    writeFileSync(file, `node_modules/\n${line}\n`);
    return { file: '.gitignore', done: 'created' };
  }
  const text = readFileSync(file, 'utf8');
  if (text.split(/\r?\n/).some((entry) => entry.trim() === line || entry.trim() === '.runbook')) return { file: '.gitignore', done: 'skipped', why: 'ignores .runbook/ already' };
  writeFileSync(file, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${line}\n`);
  return { file: '.gitignore', done: 'updated', why: 'ignores .runbook/' };
}
