/**
 * Temporal runtime benchmark (`npm run bench:temporal`): the interpreter workflow vs
 * hand-written TypeScript workflows making the same activity calls, on one dev server
 * started here, one Worker serving both (same settings), batches alternating.
 *
 *   (a) history events per step of a 5-step runbook, interpreted / hand-written.
 *       Target 1.00 per step, at most one extra marker per run (the definition's
 *       resolve_definition local activity).
 *   (b) completed runs per second of that runbook, BENCH_CONCURRENT runs at a time,
 *       interpreted / hand-written. Target ≥ 0.9.
 *   (c) latency from the user_action Update to the next step's activity starting, from
 *       history event times (UpdateAccepted → ActivityTaskStarted) and from the client's
 *       send, p50/p90, interpreted vs hand-written.
 *
 *   BENCH_ROUNDS=4 BENCH_CONCURRENT=40 BENCH_REVIEWS=20 npm run bench:temporal
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import protos from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadHandlerRegistry } from '../interpreter/handlers/index.ts';
import { bundleInterpreterWorkflow } from '../interpreter/temporal/bundle.ts';
import { startDevServer } from '../interpreter/temporal/dev-server.ts';
import { createHandlerActivities } from '../interpreter/temporal/handler-activities.ts';
import { DEV_SERVER_SEARCH_ATTRIBUTES } from '../interpreter/temporal/search-attributes.ts';
import { TemporalRunClient, type TemporalRunHandle } from '../interpreter/temporal/temporal-run-client.ts';
import { definitionsOf } from '../test/support/inline-runbook.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 40);
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 20);
const STEPS = 5;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EventType = protos.temporal.api.enums.v1.EventType;
type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

const fiveSteps = {
  slug: 'bench-five-steps',
  title: 'Five steps',
  steps: Array.from({ length: STEPS }, (_, i) => ({
    id: `s${i + 1}`,
    title: `Step ${i + 1}`,
    call: { handler: 'util.add', args: { a: i === 0 ? 0 : `{% $steps.s${i}.sum %}`, b: 1 } },
  })),
  output: { total: `{% $steps.s${STEPS}.sum %}` },
};
const review = {
  slug: 'bench-review',
  title: 'Review then a step',
  steps: [
    { id: 'check', title: 'Check', review: {} },
    { id: 'after', title: 'After', call: { handler: 'util.echo', args: { value: '{% $steps.check.action %}' } } },
  ],
  output: { review: '{% $steps.check.action %}', after: '{% $steps.after.value %}' },
};

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const eventMs = (event: HistoryEvent): number => tsToMs(event.eventTime);

function countEvents(history: History): { total: number; markers: number } {
  const events = history.events ?? [];
  return { total: events.length, markers: events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED).length };
}

/** UpdateAccepted → the following ActivityTaskStarted, and client send → ActivityTaskStarted. */
function updateLatency(history: History, sentAt: number): { server: number; client: number } {
  const events = history.events ?? [];
  const accepted = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && Number(e.eventId) > Number(accepted?.eventId ?? 0));
  if (!accepted || !started) throw new Error('history without an accepted update followed by an activity start');
  return { server: eventMs(started) - eventMs(accepted), client: eventMs(started) - sentAt };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ searchAttributes: DEV_SERVER_SEARCH_ATTRIBUTES });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const taskQueue = 'bench-temporal';
  const handlers = await loadHandlerRegistry(join(ROOT, 'handlers'));
  const workflowBundle = await bundleInterpreterWorkflow(fileURLToPath(new URL('./fixtures/hand-written-workflow.ts', import.meta.url)));
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: server.namespace,
    taskQueue,
    workflowBundle,
    activities: createHandlerActivities(handlers, definitionsOf(fiveSteps, review)),
  });
  const runs = new TemporalRunClient(client, taskQueue);
  let counter = 0;
  const startHand = (type: string) => client.workflow.start(type, { taskQueue, workflowId: `${type}-${++counter}`, args: [] });

  console.log(`dev server ${server.address}; ${ROUNDS} rounds, ${CONCURRENT} concurrent runs per batch, ${REVIEWS} reviews per kind; Node ${process.version}`);
  try {
    await worker.runUntil(async () => {
      // Warm-up: both kinds, so neither pays for the first workflow isolate or connection.
      await Promise.all([
        ...Array.from({ length: 5 }, () => runs.start('bench-five-steps', {}).then((run) => run.result())),
        ...Array.from({ length: 5 }, () => startHand('handWrittenFiveSteps').then((handle) => handle.result())),
      ]);

      // (a) History events per step.
      const interpretedRun = await runs.start('bench-five-steps', {});
      const interpretedOutput = await interpretedRun.result();
      const handRun = await startHand('handWrittenFiveSteps');
      const handOutput = await handRun.result();
      if (JSON.stringify(interpretedOutput) !== JSON.stringify(handOutput)) throw new Error(`outputs differ: ${JSON.stringify(interpretedOutput)} vs ${JSON.stringify(handOutput)}`);
      const interpretedEvents = countEvents(await client.workflow.getHandle(interpretedRun.runId).fetchHistory());
      const handEvents = countEvents(await handRun.fetchHistory());
      console.log('\n(a) history events, 5-step runbook');
      console.log(`  interpreted:  ${interpretedEvents.total} events (${interpretedEvents.markers} marker), ${fmt(interpretedEvents.total / STEPS)} per step`);
      console.log(`  hand-written: ${handEvents.total} events (${handEvents.markers} marker), ${fmt(handEvents.total / STEPS)} per step`);
      const perStepActivity = (e: { total: number; markers: number }) => (e.total - e.markers) / STEPS;
      console.log(`  ratio per step: ${fmt(interpretedEvents.total / handEvents.total, 3)} (excluding markers: ${fmt(perStepActivity(interpretedEvents) / perStepActivity(handEvents), 3)}); extra markers per run: ${interpretedEvents.markers - handEvents.markers} [target 1.00, ≤ 1 extra marker]`);

      // (b) Throughput, batches alternating (the order flips every round).
      const rates = { interpreted: [] as number[], hand: [] as number[] };
      const batch = async (kind: 'interpreted' | 'hand'): Promise<void> => {
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: CONCURRENT }, async () => {
            if (kind === 'interpreted') await (await runs.start('bench-five-steps', {})).result();
            else await (await startHand('handWrittenFiveSteps')).result();
          }),
        );
        rates[kind].push(CONCURRENT / ((performance.now() - t0) / 1000));
      };
      for (let round = 0; round < ROUNDS; round++) {
        const order: ('interpreted' | 'hand')[] = round % 2 === 0 ? ['interpreted', 'hand'] : ['hand', 'interpreted'];
        for (const kind of order) await batch(kind);
      }
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      console.log(`\n(b) completed runs/s, 5-step runbook, ${CONCURRENT} at a time, ${ROUNDS} batches each`);
      console.log(`  interpreted:  ${rates.interpreted.map((r) => fmt(r, 1)).join(' ')}  mean ${fmt(mean(rates.interpreted), 1)}`);
      console.log(`  hand-written: ${rates.hand.map((r) => fmt(r, 1)).join(' ')}  mean ${fmt(mean(rates.hand), 1)}`);
      console.log(`  ratio interpreted / hand-written: ${fmt(mean(rates.interpreted) / mean(rates.hand), 3)} [target ≥ 0.9]`);

      // (c) user_action Update → next step's activity started, alternating one of each.
      const latency = { interpreted: { server: [] as number[], client: [] as number[] }, hand: { server: [] as number[], client: [] as number[] } };
      const waitPending = async (query: () => Promise<unknown>) => {
        for (let i = 0; i < 400 && !(await query()); i++) await delay(10);
      };
      for (let i = 0; i < REVIEWS; i++) {
        const run: TemporalRunHandle = await runs.start('bench-review', {});
        await waitPending(() => run.currentPendingAction());
        let sentAt = Date.now();
        await run.userAction({ action: 'approved' });
        await run.result();
        const a = updateLatency(await client.workflow.getHandle(run.runId).fetchHistory(), sentAt);
        latency.interpreted.server.push(a.server);
        latency.interpreted.client.push(a.client);

        const hand = await startHand('handWrittenReview');
        await waitPending(() => hand.query('current_pending_action'));
        sentAt = Date.now();
        await hand.executeUpdate('user_action', { args: [{ action: 'approved' }] });
        await hand.result();
        const b = updateLatency(await hand.fetchHistory(), sentAt);
        latency.hand.server.push(b.server);
        latency.hand.client.push(b.client);
      }
      const line = (values: number[]) => `p50 ${fmt(quantile(values, 0.5), 0)} ms, p90 ${fmt(quantile(values, 0.9), 0)} ms`;
      console.log(`\n(c) user_action Update → next activity started, ${REVIEWS} runs each`);
      console.log(`  interpreted:  UpdateAccepted→ActivityTaskStarted ${line(latency.interpreted.server)}; client send→started ${line(latency.interpreted.client)}`);
      console.log(`  hand-written: UpdateAccepted→ActivityTaskStarted ${line(latency.hand.server)}; client send→started ${line(latency.hand.client)}`);
      console.log(`  ratio of p50 (client send→started) interpreted / hand-written: ${fmt(quantile(latency.interpreted.client, 0.5) / Math.max(1, quantile(latency.hand.client, 0.5)), 2)}`);
    });
  } finally {
    await connection.close();
    await nativeConnection.close();
    await server.stop();
  }
}

await main();
