/**
 * Editor benchmark (`npm run bench:editor`): live validation of a 50-step runbook as the console's
 * editor does it on every change — `POST /api/editor/runbooks/:slug/apply` (a move, the text applied
 * and validated as `runbook validate` would: schema, semantic checks, reorder safety, handler
 * contracts, child slugs against the other files) and `.../analyze` (a text edit) — p50/p95 over
 * BENCH_SAMPLES requests, against the baseline measured in the same run: the bare validation of the
 * same text (validateRunbookFiles on that one file, no HTTP, no outline, no cross-file references).
 * Target: ≤ 100 ms p95 for both routes.
 *
 *   BENCH_SAMPLES=200 npm run bench:editor
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalRuntime, loadHandlerRegistry, StaticDefinitions, validateRunbookFiles } from '../interpreter/index.ts';
import { localOnlyAuth } from '../interpreter/server/console-auth-port.ts';
import { createConsoleServer } from '../interpreter/server/console-server.ts';
import { LocalBackend } from '../interpreter/server/local-backend.ts';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** 50 steps: calls that read earlier steps, reviews, waits, a timer, and a fan-out child. */
function fiftySteps(): string {
  const lines = [
    '# yaml-language-server: $schema=../schema/runbook.schema.json',
    'slug: fifty-steps',
    'title: Fifty steps',
    'input:',
    '  type: object',
    '  properties:',
    '    entity: { type: string }',
    'signals:',
    '  ready:',
    '    description: Someone says the data is ready.',
    'steps:',
  ];
  for (let i = 0; i < 50; i += 1) {
    const id = `step_${String(i).padStart(2, '0')}`;
    const previous = `step_${String(i - 1).padStart(2, '0')}`;
    lines.push('', `  # Step ${i}: ${i % 10 === 3 ? 'a review' : i % 10 === 6 ? 'a wait' : 'a call'}`, `  - id: ${id}`, `    title: Step ${i}`, '    icon: Circle');
    if (i % 10 === 3) {
      lines.push('    review:', `      action: review_${i}`, '      payload:', `        value: '{% $steps.${previous}.value %}'`, `      reason: 'Check step ${i} of {% $input.entity %}'`, '      outcomes:', '        approved: continue', `        rejected: { goto: step_${String(i - 2).padStart(2, '0')} }`);
    } else if (i % 10 === 6) {
      lines.push('    wait:', '      signal: ready', `      action: wait_${i}`, "      until: '{% $signal != null %}'");
    } else if (i === 25) {
      lines.push('    child:', '      runbook: document-ingest', "      for_each: '{% [] %}'", "      input: '{% $item %}'");
    } else if (i === 49) {
      lines.push('    timer: { duration: 1s }');
    } else {
      const reads = i === 0 ? "'{% $input.entity %}'" : `'{% $string($steps.${previous}.value) & "-${i}" %}'`;
      lines.push('    call:', '      handler: util.echo', '      args:', `        value: ${reads}`);
    }
  }
  lines.push('', 'output:', "  last: '{% $steps.step_48.value %}'", '');
  return lines.join('\n');
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-editor-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-editor-state-'));
  cpSync(join(ROOT, 'runbooks'), dir, { recursive: true });
  const file = join(dir, 'fifty-steps.yaml');
  const text = fiftySteps();
  writeFileSync(file, text);
  const handlers = await loadHandlerRegistry(join(ROOT, 'handlers'));
  const check = await validateRunbookFiles([file], { handlers, referencePaths: [join(dir, 'document-ingest.yaml')] });
  const errors = check.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) throw new Error(`the generated runbook is invalid: ${errors.map((d) => `${d.line}: ${d.code} ${d.message}`).join('; ')}`);

  const runtime = new LocalRuntime({ definitions: new StaticDefinitions([]), handlers });
  const app = await createConsoleServer({
    backend: new LocalBackend({ runtime, catalog: [], handlers }),
    auth: localOnlyAuth(),
    appDir: null,
    editor: { runbooksDir: dir, handlers, stateDir, servedHash: async () => null },
  });
  const csrf = ((await app.inject({ url: '/api/me' })).json() as { csrf_token: string }).csrf_token;
  const post = async (url: string, payload: object): Promise<number> => {
    const started = performance.now();
    const response = await app.inject({ method: 'POST', url, headers: { 'x-csrf-token': csrf }, payload });
    const elapsed = performance.now() - started;
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return elapsed;
  };

  const baseline: number[] = [];
  const apply: number[] = [];
  const analyze: number[] = [];
  const bytes = Buffer.from(text);
  // Warm-up: the schema, the handlers' contracts, JIT.
  for (let i = 0; i < 10; i += 1) {
    await validateRunbookFiles([file], { handlers, readFile: async () => bytes });
    await post('/api/editor/runbooks/fifty-steps/analyze', { text });
  }
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    await validateRunbookFiles([file], { handlers, readFile: async () => bytes });
    baseline.push(performance.now() - started);
    const step = `step_${String(10 + (i % 30)).padStart(2, '0')}`;
    apply.push(await post('/api/editor/runbooks/fifty-steps/apply', { text, operation: { op: 'move', step, to: { index: 5 + (i % 40) } } }));
    analyze.push(await post('/api/editor/runbooks/fifty-steps/analyze', { text: text.replace('title: Step 7', `title: Step 7 (${i})`) }));
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });

  const b95 = quantile(baseline, 0.95);
  const row = (name: string, values: number[]): string =>
    `${name.padEnd(34)} p50 ${ms(quantile(values, 0.5)).padStart(9)}  p95 ${ms(quantile(values, 0.95)).padStart(9)}  ${(quantile(values, 0.95) / b95).toFixed(2)}× baseline p95  target ≤ 100 ms p95: ${quantile(values, 0.95) <= 100 ? 'met' : 'NOT met'}`;
  process.stdout.write(
    [
      `editor live validation, a 50-step runbook (${text.length} bytes), ${SAMPLES} samples each`,
      `${'baseline: validateRunbookFiles'.padEnd(34)} p50 ${ms(quantile(baseline, 0.5)).padStart(9)}  p95 ${ms(b95).padStart(9)}`,
      row('POST apply (move + validate)', apply),
      row('POST analyze (text edit)', analyze),
      '',
    ].join('\n'),
  );
}

await main();
