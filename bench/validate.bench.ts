/**
 * Validation benchmark (`npm run bench:validate`): 1,000 generated runbook files,
 * validated by
 *   1. our library in-process (module load + handler registry + validateRunbookFiles),
 *   2. our CLI as a separate process (`node bin/runbook.js validate <dir>`):
 *      cold (an empty cache directory each run), warm (the cache filled by the run before),
 *      and --no-cache with RUNBOOK_VALIDATE_WORKERS=0 (this thread only),
 *   3. the baseline, ajv-cli as a separate process (JSON Schema only, js-yaml parsing),
 *      interleaved with ours in the same run.
 * Prints the times (median of RUNS) and the ratios ours/ajv. Targets, CLI process against
 * ajv-cli process (both pay their start-up): cold ≤ 2.0, warm ≤ 0.3.
 * Floors (warm, this process): the parses and the JSONata compiles our checks cannot skip.
 * Ours does more than the baseline: positions, semantic checks, expression compiles,
 * handler contracts, cross-file checks.
 *
 *   BENCH_FILES=1000 BENCH_RUNS=3 npm run bench:validate
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { generateValidateInputs } from './generate-validate-inputs.ts';

const FILES = Number(process.env.BENCH_FILES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; status: number | null; output: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
  return { ms: performance.now() - started, status: result.status, output: `${result.stdout}${result.stderr}` };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function inProcess(dir: string): Promise<{ ms: number; errors: number; valid: number }> {
  // A fresh process per run would be needed to re-measure module load; the first run includes it.
  const started = performance.now();
  const { expandRunbookPaths, validateRunbookFiles } = await import('../interpreter/loader/index.ts');
  const report = await validateRunbookFiles(await expandRunbookPaths([dir]));
  return { ms: performance.now() - started, errors: report.diagnostics.filter((d) => d.severity === 'error').length, valid: report.runbooks.length };
}

/** Floors, warm: the `yaml` package parse (the full path, positions), the fast js-yaml parse, and one JSONata parse per distinct expression. */
async function floors(dir: string): Promise<{ yaml: number; fast: number; jsonata: number; expressions: number }> {
  const { parseAllDocuments } = await import('yaml');
  const { default: jsonata } = await import('jsonata');
  const { fastParseRunbookYaml } = await import('../interpreter/loader/fast-yaml.ts');
  const { collectExpressions } = await import('../interpreter/expressions/index.ts');
  const { readdirSync, readFileSync } = await import('node:fs');
  const texts = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
  const time = (work: () => void): number => {
    const started = performance.now();
    work();
    return performance.now() - started;
  };
  const yaml = time(() => texts.forEach((text) => parseAllDocuments(text, { uniqueKeys: true })));
  const values = texts.map((text) => fastParseRunbookYaml(text));
  const fast = time(() => texts.forEach((text) => fastParseRunbookYaml(text)));
  const expressions = [...new Set(values.flatMap((value) => collectExpressions(value).map((found) => found.expr)))];
  const jsonataMs = time(() => expressions.forEach((expr) => jsonata(expr)));
  return { yaml, fast, jsonata: jsonataMs, expressions: expressions.length };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-validate-'));
  try {
    generateValidateInputs(dir, FILES);
    const ajvArgs = ['validate', '--spec=draft2020', '-s', 'schema/runbook.schema.json', '-d', `${dir}/*.yaml`];
    const ours = await inProcess(dir);
    if (ours.errors > 0) throw new Error(`generated files do not validate (${ours.errors} errors)`);

    const ajvRuns: number[] = [];
    const coldRuns: number[] = [];
    const warmRuns: number[] = [];
    const singleRuns: number[] = [];
    const stateDir = join(dir, '..', `${basename(dir)}-state`);
    const cli = (args: string[], env: NodeJS.ProcessEnv = {}): number => {
      const result = timeProcess(process.execPath, ['bin/runbook.js', 'validate', ...args, dir], { ...process.env, RUNBOOK_STATE_DIR: stateDir, ...env });
      if (result.status !== 0) throw new Error(`runbook validate failed (${result.status}):\n${result.output.slice(0, 2000)}`);
      return result.ms;
    };
    try {
      for (let run = 0; run < RUNS; run++) {
        const ajv = timeProcess('node_modules/.bin/ajv', ajvArgs);
        if (ajv.status !== 0) throw new Error(`ajv-cli failed (${ajv.status}):\n${ajv.output.slice(0, 2000)}`);
        ajvRuns.push(ajv.ms);
        rmSync(stateDir, { recursive: true, force: true });
        coldRuns.push(cli([]));
        warmRuns.push(cli([]));
        singleRuns.push(cli(['--no-cache'], { RUNBOOK_VALIDATE_WORKERS: '0' }));
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
    const floor = await floors(dir);
    const ajvMs = median(ajvRuns);
    const coldMs = median(coldRuns);
    const warmMs = median(warmRuns);
    const ms = (value: number): string => `${value.toFixed(0).padStart(7)} ms`;
    const row = (name: string, value: number): string => `${name.padEnd(52)} ${ms(value)}   ratio ours/ajv ${(value / ajvMs).toFixed(2)}`;
    console.log(`validate benchmark: ${FILES} files (${ours.valid} valid), median of ${RUNS} runs for processes; ${availableParallelism()} cores (possibly shared)`);
    console.log(`${'baseline: ajv-cli process (schema only)'.padEnd(52)} ${ms(ajvMs)}   runs ${ajvRuns.map((v) => v.toFixed(0)).join(', ')}`);
    console.log(`${row('ours: `runbook validate` process, cold cache', coldMs)}   runs ${coldRuns.map((v) => v.toFixed(0)).join(', ')}`);
    console.log(`${row('ours: `runbook validate` process, warm cache', warmMs)}   runs ${warmRuns.map((v) => v.toFixed(0)).join(', ')}`);
    console.log(`${row('ours: --no-cache, no workers', median(singleRuns))}   runs ${singleRuns.map((v) => v.toFixed(0)).join(', ')}`);
    console.log(row('ours: in-process, incl. module load (1 run)', ours.ms));
    console.log(row('floor: `yaml` package parse (full path, warm)', floor.yaml));
    console.log(row('floor: js-yaml fast parse (warm)', floor.fast));
    console.log(row(`floor: JSONata parse of ${floor.expressions} distinct expressions`, floor.jsonata));
    console.log(`target cold ≤ 2.00: ${(coldMs / ajvMs).toFixed(2)} — ${coldMs <= 2 * ajvMs ? 'met' : 'NOT met'}; target warm ≤ 0.30: ${(warmMs / ajvMs).toFixed(2)} — ${warmMs <= 0.3 * ajvMs ? 'met' : 'NOT met'} (CLI process vs ajv-cli process)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
