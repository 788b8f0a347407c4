/**
 * The Temporal ConformanceRuntime: one Worker on the test dev server (the
 * interpreter workflow, the project's `handlers/` as activities) and a
 * TemporalRunClient. Cases carry their own definitions, so the worker's
 * DefinitionSource is a map the factory fills before each start; two cases that
 * define the same slug differently take turns (the second starts once the first
 * run's result is in, so a child resolved by slug always gets its own case's one).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { loadHandlerRegistry, type HandlerRegistry } from '../../interpreter/handlers/index.ts';
import type { DefinitionSource, ResolvedDefinition } from '../../interpreter/runtime/definition-source.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import { createInterpreterWorker } from '../../interpreter/temporal/interpreter-worker.ts';
import { TemporalRunClient } from '../../interpreter/temporal/temporal-run-client.ts';
import { definitionsOf } from '../support/inline-runbook.ts';
import { getTestTemporal } from '../support/temporal-env.ts';
import { REPO_ROOT } from './load-cases.ts';
import type { ConformanceRuntime } from './run-fixture.ts';

interface Entry {
  definition: ResolvedDefinition;
  users: number;
  released: Promise<void>;
  release: () => void;
}

/** Definitions by slug, filled while the worker runs; a slug is held by the runs that use it. */
export class CaseDefinitions implements DefinitionSource {
  private readonly bySlug = new Map<string, Entry>();

  resolve(slug: string): ResolvedDefinition | undefined {
    return this.bySlug.get(slug)?.definition;
  }

  slugs(): string[] {
    return [...this.bySlug.keys()].sort();
  }

  /** Registers `definitions` for one run; waits while another run holds a slug with other content. Returns the release. */
  async acquire(definitions: readonly ResolvedDefinition[]): Promise<() => void> {
    for (;;) {
      const conflict = definitions
        .map((definition) => ({ definition, entry: this.bySlug.get(definition.runbook.slug) }))
        .find(({ definition, entry }) => entry && entry.users > 0 && entry.definition.hash !== definition.hash);
      if (!conflict) break;
      await conflict.entry!.released;
    }
    const held: Entry[] = [];
    for (const definition of definitions) {
      let entry = this.bySlug.get(definition.runbook.slug);
      if (!entry || entry.definition.hash !== definition.hash) {
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        entry = { definition, users: 0, released, release };
        this.bySlug.set(definition.runbook.slug, entry);
      }
      entry.users += 1;
      held.push(entry);
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const entry of held) if (--entry.users === 0) entry.release();
    };
  }
}

export interface TemporalConformanceRuntime extends ConformanceRuntime {
  readonly client: Client;
  readonly taskQueue: string;
  readonly worker: Worker;
  readonly dataDir: string;
}

export interface TemporalConformanceOptions {
  /** Worker tuning passed to createInterpreterWorker. */
  readonly tuning?: Parameters<typeof createInterpreterWorker>[0]['tuning'];
  readonly handlers?: HandlerRegistry;
}

/**
 * @example
 * const runtime = await temporalConformanceRuntime();
 * const result = await runFixture(runtime, loadCase('test/cases/call/args-mapping.yaml'));
 * await runtime.close();
 */
export async function temporalConformanceRuntime(options: TemporalConformanceOptions = {}): Promise<TemporalConformanceRuntime> {
  const temporal = await getTestTemporal();
  // The worker runs in this process: the domain handlers read RUNBOOK_DATA_DIR at call time.
  const dataDir = await mkdtemp(join(tmpdir(), 'runbook-conformance-temporal-'));
  const previous = process.env.RUNBOOK_DATA_DIR;
  process.env.RUNBOOK_DATA_DIR = dataDir;
  const handlers = options.handlers ?? (await loadHandlerRegistry(join(REPO_ROOT, 'handlers')));
  const definitions = new CaseDefinitions();
  const taskQueue = temporal.taskQueue('conformance');
  const worker = await createInterpreterWorker({
    connection: await temporal.nativeConnection(),
    namespace: temporal.namespace,
    taskQueue,
    handlers,
    definitions,
    tuning: { stickyQueueScheduleToStartTimeout: '2s', ...options.tuning },
  });
  const running = worker.run();
  const client = await temporal.client();
  const runs = new TemporalRunClient(client, taskQueue);
  // Warm up (workflow sandbox, activity path, connections), so the first cases' elapsed_ms bounds see a steady worker.
  const warmUp = { slug: 'conformance-warm-up', title: 'Warm-up', steps: [{ id: 'echo', title: 'Echo', call: { handler: 'util.echo', args: { value: 1 } } }] };
  const release = await definitions.acquire([definitionsOf(warmUp).resolve(warmUp.slug)!]);
  try {
    await Promise.all(Array.from({ length: 4 }, async () => (await runs.start(warmUp.slug, {})).result()));
  } finally {
    release();
  }
  return {
    name: 'temporal',
    client,
    taskQueue,
    worker,
    dataDir,
    async start(caseDefinitions, slug, input, runId): Promise<RunHandle> {
      const release = await definitions.acquire(caseDefinitions);
      try {
        const handle = await runs.start(slug, input, { runId });
        // Definitions are resolved at start and at child dispatch: free the slugs once the run is over.
        handle.result().then(release, release);
        return handle;
      } catch (error) {
        release();
        throw error;
      }
    },
    async close() {
      worker.shutdown();
      await running;
      if (previous === undefined) delete process.env.RUNBOOK_DATA_DIR;
      else process.env.RUNBOOK_DATA_DIR = previous;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
