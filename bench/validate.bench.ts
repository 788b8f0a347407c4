/**
 * Validation benchmark (`npm run bench:validate`): 1,000 generated runbook files,
 * validated by
 *   1. our library in-process (module load + handler registry + validateRunbookFiles),
 *   2. our CLI as a separate process (`node bin/runbook.js validate <dir>`),
 *   3. the baseline, ajv-cli as a separate process (JSON Schema only, js-yaml parsing).
 * Prints the times (median of RUNS) and the ratios ours/ajv; the target is ≤ 1.0.
 * Ours does more than the baseline: positions, semantic checks, expression compiles,
 * handler contracts, cross-file checks.
 *
 *   BENCH_FILES=1000 BENCH_RUNS=3 npm run bench:validate
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateValidateInputs } from './generate-validate-inputs.ts';

const FILES = Number(process.env.BENCH_FILES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function timeProcess(command: string, args: string[]): { ms: number; status: number | null; output: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
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

/** The floor our path cannot go under: the `yaml` package parsing every file (positions need it). */
async function yamlParseOnly(dir: string): Promise<number> {
  const { parseAllDocuments } = await import('yaml');
  const { readdirSync, readFileSync } = await import('node:fs');
  const texts = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
  const started = performance.now();
  for (const text of texts) parseAllDocuments(text, { uniqueKeys: true });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-validate-'));
  try {
    generateValidateInputs(dir, FILES);
    const ajvArgs = ['validate', '--spec=draft2020', '-s', 'schema/runbook.schema.json', '-d', `${dir}/*.yaml`];
    const ours = await inProcess(dir);
    if (ours.errors > 0) throw new Error(`generated files do not validate (${ours.errors} errors)`);

    const ajvRuns: number[] = [];
    const cliRuns: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const ajv = timeProcess('node_modules/.bin/ajv', ajvArgs);
      if (ajv.status !== 0) throw new Error(`ajv-cli failed (${ajv.status}):\n${ajv.output.slice(0, 2000)}`);
      ajvRuns.push(ajv.ms);
      const cli = timeProcess(process.execPath, ['bin/runbook.js', 'validate', dir]);
      if (cli.status !== 0) throw new Error(`runbook validate failed (${cli.status}):\n${cli.output.slice(0, 2000)}`);
      cliRuns.push(cli.ms);
    }
    const parseMs = await yamlParseOnly(dir);
    const ajvMs = median(ajvRuns);
    const cliMs = median(cliRuns);
    const row = (name: string, ms: number): string => `${name.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   ratio ours/ajv ${(ms / ajvMs).toFixed(2)}`;
    console.log(`validate benchmark: ${FILES} files (${ours.valid} valid), median of ${RUNS} runs for processes`);
    console.log(`${'baseline: ajv-cli process (schema only)'.padEnd(44)} ${ajvMs.toFixed(0).padStart(7)} ms`);
    console.log(row('ours: in-process, incl. module load', ours.ms));
    console.log(row('ours: `runbook validate` process', cliMs));
    console.log(row('floor: `yaml` package parse only (warm)', parseMs));
    console.log(`target: ratio ≤ 1.00 — ${cliMs <= ajvMs ? 'met' : 'NOT met'} (CLI process vs ajv-cli process)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
