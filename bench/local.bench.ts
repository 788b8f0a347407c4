/**
 * In-process runtime benchmark (`npm run bench:local`), everything in one run, each
 * figure next to its baseline measured in the same process:
 *
 *   (a) signal → resume latency (p50/p99): `handle.signal()` until the waiting step's
 *       `step.resumed` event, event-driven (LocalRuntime) vs a 50 ms polling loop (what
 *       the seed's LocalRuntime does). Target p99 ≤ 1 ms.
 *   (b) interpretation overhead: a 1,000-step runbook calling `bench.add3` with three
 *       mapped arguments vs a hand-written TS function making the same 1,000 calls with
 *       the same mapping through the same handler. Both check the zod contracts (the
 *       baseline calls `invokeHandler`, as the runtime does), so the difference is what the
 *       interpreter adds. Target ≤ 20 µs per step.
 *   (c) memory: 10,000 runs waiting on a review, heap used per run after GC. Target ≤ 10 KB.
 *
 *   BENCH_SIGNALS=2000 BENCH_STEPS=1000 BENCH_WAITING=10000 npm run bench:local
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { z } from 'zod';
import { RunbookInterpreter, type RunEvent } from '../interpreter/core/index.ts';
import { RunbookSchema } from '../interpreter/format/runbook-format.ts';
import { defineHandler, HandlerRegistry, idempotencyKey, invokeHandler, type HandlerInfo } from '../interpreter/handlers/index.ts';
import { systemClock } from '../interpreter/runtime/clock.ts';
import { StaticDefinitions, type ResolvedDefinition } from '../interpreter/runtime/definition-source.ts';
import { LocalRuntime } from '../interpreter/runtime/local/index.ts';
import { LocalRunServices, type LocalRunHost } from '../interpreter/runtime/local/local-services.ts';

const SIGNALS = Number(process.env.BENCH_SIGNALS ?? 2000);
const STEPS = Number(process.env.BENCH_STEPS ?? 1000);
const WAITING = Number(process.env.BENCH_WAITING ?? 10_000);
const POLL_MS = 50;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const add3 = defineHandler({
  name: 'bench.add3',
  input: z.object({ a: z.number(), b: z.number(), c: z.number() }),
  output: z.object({ sum: z.number() }),
  async run({ a, b, c }) {
    return { sum: a + b + c };
  },
});
const handlers = new HandlerRegistry([add3]);

function definition(data: unknown): ResolvedDefinition {
  const runbook = RunbookSchema.parse(data);
  return { runbook, hash: `bench-${runbook.slug}` };
}

const waitRunbook = definition({
  slug: 'bench-wait',
  title: 'Wait',
  signals: { ping: { payload: { type: 'object', properties: { n: { type: 'number' } } } } },
  steps: [{ id: 'await_ping', title: 'Await ping', wait: { signal: 'ping', action: 'awaiting_ping' } }],
});

const reviewRunbook = definition({
  slug: 'bench-review',
  title: 'Review',
  steps: [{ id: 'check', title: 'Check', review: { payload: '{% $input %}', reason: 'Check {% $input.n %}' } }],
});

const chainRunbook = definition({
  slug: 'bench-chain',
  title: 'Chain',
  steps: Array.from({ length: STEPS }, (_, i) => ({
    id: `s${i}`,
    title: `Step ${i}`,
    call: { handler: 'bench.add3', args: { a: '{% $input.x %}', b: i === 0 ? '{% $input.start %}' : `{% $steps.s${i - 1}.sum %}`, c: '{% $input.y %}' } },
  })),
  output: `{% $steps.s${STEPS - 1}.sum %}`,
});

const definitions = new StaticDefinitions([waitRunbook, reviewRunbook, chainRunbook]);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fmt = (n: number, digits = 3) => n.toFixed(digits);

// --- (a) signal → resume latency ---------------------------------------------------------

/** LocalRunServices with the seed's wait: re-check the condition every 50 ms, ignore notify. */
class PollingServices extends LocalRunServices {
  override waitFor(condition: () => boolean, timeoutMs?: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    const started = this.now();
    return new Promise((resolve) => {
      const tick = () => {
        if (condition()) return resolve(true);
        if (timeoutMs !== undefined && this.now() - started >= timeoutMs) return resolve(false);
        setTimeout(tick, POLL_MS);
      };
      setTimeout(tick, POLL_MS);
    });
  }

  override notify(): void {}
}

async function eventDrivenLatency(count: number): Promise<number[]> {
  const runtime = new LocalRuntime({ definitions, handlers, logger: silent });
  let resumed: ((at: number) => void) | undefined;
  runtime.onEvent((event) => {
    if (event.type === 'step.resumed') resumed?.(performance.now());
  });
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const run = runtime.start('bench-wait', {});
    await waitUntilWaiting(run.interpreter);
    const done = new Promise<number>((resolve) => (resumed = resolve));
    const t0 = performance.now();
    await run.signal('ping', { n: i });
    samples.push((await done) - t0);
    await run.result();
  }
  return samples;
}

async function waitUntilWaiting(interpreter: RunbookInterpreter): Promise<void> {
  while (!interpreter.currentPendingAction()) await new Promise((resolve) => setImmediate(resolve));
}

/** Many polling runs wait at once; they are signalled one after another, 1 ms apart, so the phase of each poll is random. */
async function pollingLatency(count: number): Promise<number[]> {
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const host: LocalRunHost = {
    clock: systemClock,
    handlers,
    logger: silent,
    startChild: () => Promise.reject(new Error('no children here')),
    emit: (event: RunEvent) => {
      if (event.type === 'step.resumed') samples.push(performance.now() - sentAt.get(event.runId)!);
    },
  };
  const runs = Array.from({ length: count }, (_, i) => {
    const runId = `poll-${i}`;
    const interpreter = new RunbookInterpreter({ runId, definition: waitRunbook.runbook, definitionHash: waitRunbook.hash, input: {} }, new PollingServices(host, runId, 'bench-wait'));
    return { runId, interpreter, done: interpreter.run() };
  });
  for (const run of runs) await waitUntilWaiting(run.interpreter);
  for (const run of runs) {
    sentAt.set(run.runId, performance.now());
    run.interpreter.applySignal('ping', { n: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(runs.map((run) => run.done));
  return samples;
}

// --- (b) interpretation overhead ---------------------------------------------------------

const chainInput = { x: 1, y: 2, start: 0 };

async function interpreted(): Promise<number> {
  const runtime = new LocalRuntime({ definitions, handlers, logger: silent });
  const started = performance.now();
  const output = await runtime.start('bench-chain', chainInput).result();
  const ms = performance.now() - started;
  if (output !== STEPS * 3) throw new Error(`chain computed ${String(output)}`);
  return ms;
}

/** The same 1,000 calls, mapping written by hand, through invokeHandler (zod contracts checked) or straight to the handler. */
async function handWritten(checkContracts: boolean): Promise<number> {
  const abort = new AbortController();
  const started = performance.now();
  const results: Record<string, { sum: number }> = {};
  let previous = chainInput.start;
  for (let i = 0; i < STEPS; i++) {
    const stepId = `s${i}`;
    const args = { a: chainInput.x, b: previous, c: chainInput.y };
    const info: HandlerInfo = { runId: 'hand', runbook: 'bench-chain', stepId, attempt: 1, iteration: 0, idempotencyKey: idempotencyKey('hand', stepId, 0) };
    const result = checkContracts
      ? ((await invokeHandler(handlers, 'bench.add3', args, info, silent, abort.signal)) as { sum: number })
      : await add3.run(args, { info, logger: silent, abortSignal: abort.signal });
    results[stepId] = result;
    previous = result.sum;
  }
  const ms = performance.now() - started;
  if (previous !== STEPS * 3) throw new Error(`hand-written chain computed ${previous}`);
  return ms;
}

async function best(rounds: number, measure: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) times.push(await measure());
  return Math.min(...times);
}

// --- (c) memory per waiting run ----------------------------------------------------------

function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  // Works under plain `tsx` too: the flag is honoured for contexts created after it is set.
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function heapPerWaitingRun(count: number): Promise<{ perRun: number; waiting: number }> {
  const gc = exposeGc();
  const runtime = new LocalRuntime({ definitions, handlers, logger: silent });
  const collect = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return process.memoryUsage().heapUsed;
  };
  // Warm up: compile the review's expressions and its ajv-free paths once, outside the measurement.
  const warm = new LocalRuntime({ definitions, handlers, logger: silent }).start('bench-review', { n: 0 });
  await waitUntilWaiting(warm.interpreter);
  const before = await collect();
  const handles = [];
  for (let i = 0; i < count; i++) handles.push(runtime.start('bench-review', { n: i }));
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  const waiting = handles.filter((handle) => handle.interpreter.currentPendingAction() !== null).length;
  const after = await collect();
  for (const handle of handles) await handle.cancel();
  return { perRun: (after - before) / count, waiting };
}

// --- report ------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`node ${process.version}; signals=${SIGNALS} steps=${STEPS} waiting runs=${WAITING}\n`);

  await eventDrivenLatency(200); // warm-up
  const fast = await eventDrivenLatency(SIGNALS);
  const slow = await pollingLatency(SIGNALS);
  const [f50, f99, s50, s99] = [percentile(fast, 50), percentile(fast, 99), percentile(slow, 50), percentile(slow, 99)];
  console.log('(a) signal → resume latency');
  console.log(`    event-driven LocalRuntime : p50 ${fmt(f50)} ms  p99 ${fmt(f99)} ms  (${fast.length} signals)`);
  console.log(`    50 ms polling baseline    : p50 ${fmt(s50, 1)} ms  p99 ${fmt(s99, 1)} ms  (${slow.length} signals)`);
  console.log(`    ratio polling/event-driven: p50 ×${fmt(s50 / f50, 0)}  p99 ×${fmt(s99 / f99, 0)}   target p99 ≤ 1 ms: ${f99 <= 1 ? 'met' : 'MISSED'}\n`);

  await interpreted();
  await handWritten(true);
  const rounds = 5;
  const ours = await best(rounds, interpreted);
  const baseline = await best(rounds, () => handWritten(true));
  const bare = await best(rounds, () => handWritten(false));
  const overhead = ((ours - baseline) * 1000) / STEPS;
  console.log(`(b) interpretation overhead, ${STEPS} steps calling bench.add3 with 3 mapped args (best of ${rounds})`);
  console.log(`    interpreter (LocalRuntime)         : ${fmt(ours, 1)} ms  (${fmt((ours * 1000) / STEPS, 1)} µs/step)`);
  console.log(`    hand-written, zod contracts checked: ${fmt(baseline, 1)} ms  (${fmt((baseline * 1000) / STEPS, 1)} µs/step)  ← baseline`);
  console.log(`    hand-written, no contract checks   : ${fmt(bare, 1)} ms  (${fmt((bare * 1000) / STEPS, 1)} µs/step)  (for reference)`);
  console.log(`    overhead per step: ${fmt(overhead, 1)} µs  ratio interpreter/baseline ×${fmt(ours / baseline, 1)}   target ≤ 20 µs/step: ${overhead <= 20 ? 'met' : 'MISSED'}\n`);

  const memory = await heapPerWaitingRun(WAITING);
  console.log(`(c) memory: ${memory.waiting} runs waiting on a review (after GC)`);
  console.log(`    heap used per waiting run: ${fmt(memory.perRun / 1024, 2)} KB   target ≤ 10 KB: ${memory.perRun <= 10 * 1024 ? 'met' : 'MISSED'}`);
}

await main();
