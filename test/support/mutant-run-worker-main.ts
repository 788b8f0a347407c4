/**
 * The mutant-run worker thread: loads the example handlers and runbooks once, then runs each
 * mutant it is sent through `driveMutantRun` and posts the verdict. It can be terminated at any
 * moment (a run that starves the event loop): the pool then starts a new one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { handlers } from '../../handlers/index.ts';
import { HandlerRegistry } from '../../interpreter/handlers/index.ts';
import { loadRunbookSource } from '../../interpreter/loader/index.ts';
import type { ResolvedDefinition } from '../../interpreter/runtime/definition-source.ts';
import { driveMutantRun, type RunVerdict } from './mutant-driver.ts';
import type { MutantJob, WorkerMessage } from './mutant-run-pool.ts';
import { ROOT } from './run-cli.ts';
import { SeededRandom } from './seeded-random.ts';

const port = parentPort!;
const registry = new HandlerRegistry(handlers);
const EXAMPLES = ['month-end-close', 'document-ingest', 'journal-proposal'];

function loadExample(slug: string): ResolvedDefinition {
  const file = join(ROOT, 'runbooks', `${slug}.yaml`);
  const loaded = loadRunbookSource(readFileSync(file), file, { handlers: registry });
  if (!loaded.ok) throw new Error(`example ${slug} does not validate`);
  return { runbook: loaded.runbook.runbook, hash: loaded.runbook.hash };
}
const examples = EXAMPLES.map(loadExample);
const inputs = new Map<string, unknown>(EXAMPLES.map((slug) => [slug, JSON.parse(readFileSync(join(ROOT, 'runbooks', `${slug}.input.json`), 'utf8'))]));
const signalSamples = { tb_submitted: JSON.parse(readFileSync(join(ROOT, 'runbooks', 'month-end-close.tb_submitted.json'), 'utf8')) as unknown };

async function run(job: MutantJob): Promise<RunVerdict> {
  const file = `mutant-${job.index}.yaml`;
  const loaded = loadRunbookSource(job.bytes, file, { handlers: registry });
  if (!loaded.ok) return { kind: 'internal', detail: `validateRunbookFiles accepted it, loadRunbookSource did not: ${loaded.diagnostics.map((d) => d.code).join(', ')}` };
  const definition = { runbook: loaded.runbook.runbook, hash: loaded.runbook.hash };
  // Each run its own entity, so the example ledger's periods do not carry over between runs.
  const input = { ...(inputs.get(job.base) as Record<string, unknown>), entity: `m${job.index}` };
  return driveMutantRun({
    definition,
    others: examples.filter((example) => example.runbook.slug !== definition.runbook.slug),
    input,
    handlers,
    signalSamples,
    random: SeededRandom.forItem(job.seed, job.index),
    boundMs: job.boundMs,
  });
}

port.on('message', (job: MutantJob) => {
  port.postMessage({ type: 'started', index: job.index } satisfies WorkerMessage);
  run(job).then(
    (verdict) => port.postMessage({ type: 'done', index: job.index, verdict } satisfies WorkerMessage),
    (error: unknown) => port.postMessage({ type: 'done', index: job.index, verdict: { kind: 'internal', detail: `driver threw ${String(error)}` } } satisfies WorkerMessage),
  );
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
