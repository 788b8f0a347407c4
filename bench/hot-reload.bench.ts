/**
 * Hot-reload benchmark (`npm run bench:hot-reload`): from saving a runbook file to the next
 * start using the new definition, on a real Temporal dev server.
 *
 *   swap   write → the store's `loaded` event (the new definition is what `resolve` returns)
 *   start  write → a Temporal run started right after that event has its definition resolved
 *          by the worker's `runbook.resolve_definition` local activity, with the new hash
 *          (checked again afterwards in the run's recorded marker)
 *   run    write → that run's result (one util.echo step), for scale
 *
 * Baselines measured in the same run: the quiet period itself (the floor under `swap`), and
 * start → resolved with no file change (the floor `start` adds to `swap`). Target: start p95 ≤ 250 ms.
 * Saves alternate between in-place writes and temp-file-then-rename.
 *
 *   BENCH_ITERATIONS=20 BENCH_SETTLE_MS=75 npm run bench:hot-reload
 *   (TEMPORAL_ADDRESS=host:port uses a running server instead of starting a dev server)
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { DefinitionStore, nextDefinitionEvent, DEFAULT_SETTLE_MS } from '../interpreter/definitions/index.ts';
import type { DefinitionSource, ResolvedDefinition } from '../interpreter/runtime/definition-source.ts';
import { startDevServer, type DevServer } from '../interpreter/temporal/dev-server.ts';
import { createInterpreterWorker } from '../interpreter/temporal/interpreter-worker.ts';
import { DEV_SERVER_SEARCH_ATTRIBUTES, ensureSearchAttributes } from '../interpreter/temporal/search-attributes.ts';
import { TemporalRunClient } from '../interpreter/temporal/temporal-run-client.ts';
import { handlers, hashOf, renameOver, runbookYaml, sleep, tempRunbooksDir } from '../test/definitions/fixtures.ts';
import { resolvedDefinitions } from '../test/definitions/history.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? DEFAULT_SETTLE_MS);
const TARGET_MS = 250;

/** The worker's definitions, noting when each hash is resolved (the local activity runs in this process). */
class TimedDefinitions implements DefinitionSource {
  private waiters: { hash: string; resolve: (at: number) => void }[] = [];
  constructor(private readonly inner: DefinitionSource) {}
  resolve(slug: string): ResolvedDefinition | undefined {
    const found = this.inner.resolve(slug);
    const at = performance.now();
    if (found) {
      for (const waiter of this.waiters.filter((w) => w.hash === found.hash)) waiter.resolve(at);
      this.waiters = this.waiters.filter((w) => w.hash !== found.hash);
    }
    return found;
  }
  slugs(): string[] {
    return this.inner.slugs();
  }
  resolved(hash: string): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ hash, resolve }));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (ms: number): string => `${ms.toFixed(1).padStart(7)} ms`;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  let server: DevServer | undefined;
  let address = process.env.TEMPORAL_ADDRESS;
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  if (!address) {
    server = await startDevServer({ searchAttributes: DEV_SERVER_SEARCH_ATTRIBUTES });
    address = server.address;
  }
  const { dir, remove } = await tempRunbooksDir('runbook-bench-hot-');
  const file = join(dir, 'bench.yaml');
  const version = (i: number) => runbookYaml('bench', ['only'], { title: `Bench v${i}` });
  await writeFile(file, version(0));
  const store = await DefinitionStore.open({ dir, handlers, settleMs: SETTLE_MS });
  const definitions = new TimedDefinitions(store);
  const connection = await Connection.connect({ address });
  const native = await NativeConnection.connect({ address });
  await ensureSearchAttributes(connection, namespace);
  const client = new Client({ connection, namespace });
  const taskQueue = `bench-hot-reload-${process.pid}`;
  const runs = new TemporalRunClient(client, taskQueue);
  const worker = await createInterpreterWorker({ connection: native, namespace, taskQueue, handlers, definitions });
  const running = worker.run();

  const swap: number[] = [];
  const start: number[] = [];
  const run: number[] = [];
  const startFloor: number[] = [];
  try {
    // Warm up: the bundle, the task queue's pollers, the first start.
    for (let i = 0; i < 3; i++) await (await runs.start('bench', {})).result();

    for (let i = 1; i <= ITERATIONS; i++) {
      const text = version(i);
      const hash = hashOf(text);
      const loaded = nextDefinitionEvent(store, (e) => e.type === 'loaded' && e.hash === hash);
      const t0 = performance.now();
      if (i % 2) await writeFile(file, text);
      else await renameOver(file, text);
      await loaded;
      const t1 = performance.now();
      const resolved = definitions.resolved(hash);
      const handle = await runs.start('bench', {});
      const t2 = await resolved;
      await handle.result();
      const t3 = performance.now();
      const history = await client.workflow.getHandle(handle.runId).fetchHistory();
      const pinned = resolvedDefinitions(history).map((d) => d.hash);
      if (pinned.length !== 1 || pinned[0] !== hash) throw new Error(`run ${handle.runId} pinned ${pinned.join(',')}, expected ${hash}`);
      swap.push(t1 - t0);
      start.push(t2 - t0);
      run.push(t3 - t0);

      // Baseline: the same start with no file change.
      const b0 = performance.now();
      const again = definitions.resolved(hash);
      const baseline = await runs.start('bench', {});
      startFloor.push((await again) - b0);
      await baseline.result();
      await sleep(SETTLE_MS * 2);
    }
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await store.close();
    await native.close();
    await connection.close();
    await remove();
    await server?.stop();
  }

  const row = (name: string, values: number[]) => `  ${name.padEnd(40)} p50 ${fmt(percentile(values, 50))}   p95 ${fmt(percentile(values, 95))}   max ${fmt(Math.max(...values))}`;
  const p95 = percentile(start, 95);
  process.stdout.write(
    [
      `hot reload, ${ITERATIONS} saves (in-place and rename-over alternately), quiet period ${SETTLE_MS} ms, Temporal at ${address}`,
      row('write → store swap (loaded event)', swap),
      row('write → new start resolves new hash', start),
      row('write → that run completed', run),
      'baselines (same run):',
      `  ${'quiet period (floor under the swap)'.padEnd(40)}     ${fmt(SETTLE_MS)}`,
      row('start → resolved, no file change', startFloor),
      `ratios: swap p50 / quiet period = ${(percentile(swap, 50) / SETTLE_MS).toFixed(2)}; start p50 - swap p50 = ${(percentile(start, 50) - percentile(swap, 50)).toFixed(1)} ms vs start floor p50 ${percentile(startFloor, 50).toFixed(1)} ms`,
      `target: write → new start p95 ≤ ${TARGET_MS} ms: ${p95 <= TARGET_MS ? 'met' : 'NOT met'} (${p95.toFixed(1)} ms)`,
      '',
    ].join('\n'),
  );
}

await main();
