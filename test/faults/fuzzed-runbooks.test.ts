/**
 * Fault (c): 10,000 seeded mutants of the example runbooks (runbook-mutator.ts: steps deleted,
 * duplicated, swapped; ids, types, durations, expressions, handlers, slugs changed; keys dropped
 * or added; garbage, bad bytes, truncation, alias bombs...) go through `validateRunbookFiles`, and
 * a sample of those that validate is run in-process with scripted answers under a time bound.
 * Nothing may crash, hang or fail internally: every problem is a catalogued diagnostic, every
 * run ends completed or with a coded failure (or waits for what the script cannot give).
 *
 * A failure names the mutant: regenerate it with `mutantAt(bases, SEED, index)`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { handlers } from '../../handlers/index.ts';
import { HandlerRegistry } from '../../interpreter/handlers/index.ts';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../interpreter/loader/diagnostic.ts';
import { validateRunbookFiles } from '../../interpreter/loader/index.ts';
import { CleanupStack } from '../support/cleanup-stack.ts';
import { BAD_VERDICTS, type RunVerdict } from '../support/mutant-driver.ts';
import { MutantRunPool } from '../support/mutant-run-pool.ts';
import { generateMutants, type Mutant, type MutationBase } from '../support/runbook-mutator.ts';
import { ROOT } from '../support/run-cli.ts';

const SEED = 20_250_131;
const COUNT = 10_000;
/** Valid mutants run (evenly spread over the valid ones), plus every valid one with a hostile expression. */
const RUN_SAMPLE = 500;
const RUN_BOUND_MS = 3_000;
const EXAMPLES = ['month-end-close', 'document-ingest', 'journal-proposal'];

interface Finding {
  readonly mutant: Mutant;
  readonly problem: string;
}

const describeFindings = (findings: readonly Finding[]): string =>
  findings
    .slice(0, 8)
    .map(({ mutant, problem }) => `  mutant ${mutant.index} (${mutant.base}: ${mutant.ops.join(', ')}): ${problem.slice(0, 600)}`)
    .join('\n') + (findings.length > 8 ? `\n  ... and ${findings.length - 8} more` : '');

function diagnosticProblem(diagnostic: Diagnostic, files: ReadonlySet<string>): string | undefined {
  if (!(diagnostic.code in DIAGNOSTIC_CODES)) return `uncatalogued code ${diagnostic.code}`;
  if (diagnostic.code === 'RB_INTERNAL') return `RB_INTERNAL: ${diagnostic.message}`;
  if (!files.has(diagnostic.file)) return `${diagnostic.code} placed in unknown file ${diagnostic.file}`;
  if (!Number.isInteger(diagnostic.line) || diagnostic.line < 1 || !Number.isInteger(diagnostic.column) || diagnostic.column < 1) {
    return `${diagnostic.code} at ${diagnostic.line}:${diagnostic.column}`;
  }
  if (typeof diagnostic.message !== 'string' || diagnostic.message.trim() === '') return `${diagnostic.code} without a message`;
  if (diagnostic.severity !== 'error' && diagnostic.severity !== 'warning') return `${diagnostic.code} with severity ${String(diagnostic.severity)}`;
  return undefined;
}

describe('fault: fuzzed runbooks', () => {
  const cleanup = new CleanupStack();
  const bases: MutationBase[] = EXAMPLES.map((slug) => ({ slug, text: readFileSync(join(ROOT, 'runbooks', `${slug}.yaml`), 'utf8') }));
  const references = EXAMPLES.map((slug) => join(ROOT, 'runbooks', `${slug}.yaml`));
  const valid: Mutant[] = [];
  let mutants: Mutant[] = [];

  before(() => {
    mutants = generateMutants(bases, SEED, COUNT);
  });
  after(async () => {
    await cleanup.cleanUp();
  });

  test(`${COUNT} mutants of the example runbooks validate to catalogued, located diagnostics, never an internal error`, { timeout: 600_000 }, async (t) => {
    const started = Date.now();
    const registry = new HandlerRegistry(handlers);
    const bytes = new Map<string, Uint8Array>(references.map((file) => [file, readFileSync(file)]));
    const readFile = async (path: string): Promise<Uint8Array> => {
      const found = bytes.get(path);
      if (!found) throw new Error(`no such mutant ${path}`);
      return found;
    };
    const findings: Finding[] = [];
    const decoder = new TextDecoder();
    const codes = new Map<string, number>();
    let slowest = { ms: 0, index: -1 };
    for (const mutant of mutants) {
      const path = join(ROOT, 'runbooks', `mutant-${mutant.index}.yaml`);
      bytes.set(path, mutant.bytes);
      const files = new Set([path, ...references]);
      const t0 = Date.now();
      try {
        // The other examples are there for child steps to name, as `runbook validate runbooks/` would see
        // them; only a mutant with a child step needs them (loading them is a fifth of the cost).
        const withChild = decoder.decode(mutant.bytes).includes('child');
        const referencePaths = withChild ? references.filter((file) => !file.endsWith(`/${mutant.base}.yaml`)) : [];
        const report = await validateRunbookFiles([path], { handlers: registry, readFile, referencePaths });
        const problems = report.diagnostics.map((d) => diagnosticProblem(d, files)).filter((p): p is string => p !== undefined);
        for (const problem of problems) findings.push({ mutant, problem });
        for (const d of report.diagnostics) codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
        const errors = report.diagnostics.some((d) => d.severity === 'error');
        if (errors === (report.runbooks.length > 0)) findings.push({ mutant, problem: `errors: ${errors}, yet ${report.runbooks.length} runbook(s) returned` });
        if (!errors && report.runbooks.length === 1) valid.push(mutant);
      } catch (error) {
        findings.push({ mutant, problem: `validateRunbookFiles threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
      } finally {
        bytes.delete(path);
      }
      const ms = Date.now() - t0;
      if (ms > slowest.ms) slowest = { ms, index: mutant.index };
    }
    t.diagnostic(`${COUNT} mutants validated in ${((Date.now() - started) / 1000).toFixed(1)} s; ${valid.length} valid; slowest ${slowest.ms} ms (mutant ${slowest.index})`);
    t.diagnostic(`codes: ${[...codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ')}`);
    assert.equal(findings.length, 0, `validation problems:\n${describeFindings(findings)}`);
    // The mutator must reach the runtime, and the validator must reject most mutants.
    assert.ok(valid.length >= 200 && valid.length <= COUNT * 0.5, `${valid.length} valid mutants`);
  });

  test('a sample of the valid mutants runs in-process to a coded end: no crash, no hang, no internal error', { timeout: 600_000 }, async (t) => {
    assert.ok(valid.length > 0, 'the validation test found valid mutants');
    const started = Date.now();
    const step = Math.max(1, Math.floor(valid.length / RUN_SAMPLE));
    const sample = valid.filter((mutant, i) => i % step === 0 || mutant.ops.includes('hostile-expression'));
    const pool = new MutantRunPool({ dataDir: cleanup.tempDir('runbook-fuzz-data-'), graceMs: 5_000, maxHeapMb: 512 });
    cleanup.defer(() => pool.close());
    const findings: Finding[] = [];
    const kinds = new Map<string, number>();
    for (const mutant of sample) {
      const verdict: RunVerdict = await pool.run({ index: mutant.index, base: mutant.base, bytes: mutant.bytes, seed: SEED, boundMs: RUN_BOUND_MS });
      const label = verdict.kind === 'failed' ? `failed:${verdict.type}` : verdict.kind === 'start-rejected' ? `start-rejected:${verdict.code}` : verdict.kind;
      kinds.set(label, (kinds.get(label) ?? 0) + 1);
      if (BAD_VERDICTS.has(verdict.kind)) findings.push({ mutant, problem: `${verdict.kind}: ${'detail' in verdict ? verdict.detail : ''}` });
    }
    const hostile = sample.filter((mutant) => mutant.ops.includes('hostile-expression')).length;
    t.diagnostic(`${sample.length} runs (${hostile} with a hostile expression) in ${((Date.now() - started) / 1000).toFixed(1)} s on ${pool.threads} thread(s)`);
    t.diagnostic(`outcomes: ${[...kinds].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
    assert.equal(findings.length, 0, `runs that did not end with a coded outcome:\n${describeFindings(findings)}`);
    assert.ok((kinds.get('completed') ?? 0) > 0, 'some mutants run to completion');
  });
});
