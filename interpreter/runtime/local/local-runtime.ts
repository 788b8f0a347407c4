/**
 * The in-process runtime: runs runbooks in this process, no server. Handler calls
 * honour retry policies and timeouts as on Temporal; waits are event-driven; child
 * runbooks run as nested runs of the same runtime.
 *
 * @example
 * const runtime = new LocalRuntime({ definitions, handlers });
 * const run = runtime.start('month-end-close', input);
 * await run.signal('tb_submitted', upload); // kept until the wait takes it
 * await run.waitForPendingAction();          // the review, once the run reaches it
 * await run.userAction({ action: 'approved' });
 * console.log(await run.result());
 */
import { randomUUID } from 'node:crypto';
import type { ChildCall, ChildStarted, RunEvent, RunEventListener, RunOrigin } from '../../core/index.ts';
import { RunbookInterpreter, StepFailure, childFailure, rejectInput, rejectInputSize } from '../../core/index.ts';
import type { HandlerLogger, HandlerRegistry } from '../../handlers/index.ts';
import type { Runbook } from '../../format/runbook-format.ts';
import { agentActivities, type AgentRegistry } from '../../agents/index.ts';
import { documentActivities, openSqliteDocumentStore, storeOpener, type DocumentStoreSource } from '../../documents/index.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { DefinitionSource, ResolvedDefinition } from '../definition-source.ts';
import { RunFailedError, RunNotFoundError, StartRejectedError } from '../runtime-errors.ts';
import type { RunHandle } from '../run-handle.ts';
import { LocalRunHandle } from './local-run-handle.ts';
import { LocalRunServices, type LocalRunHost } from './local-services.ts';
import { quietLogger } from './loggers.ts';

export interface LocalRuntimeOptions {
  readonly definitions: DefinitionSource;
  readonly handlers: HandlerRegistry;
  readonly clock?: Clock;
  readonly logger?: HandlerLogger;
  /** Where `commit` stores and `previous` reads documents. Default: a private in-memory store, as ephemeral as the runtime. */
  readonly documents?: DocumentStoreSource;
  /** The agents `agent` steps invoke (agents/ of the project). Default: none (an agent step fails with AGENT_UNKNOWN). */
  readonly agents?: AgentRegistry;
}

export interface StartOptions {
  readonly runId?: string;
  /** Who starts the run (the console's signed-in person; `runbook run --actor`): in its state, timeline and separation of duties. */
  readonly startedBy?: string;
}

export class LocalRuntime {
  private readonly runs = new Map<string, LocalRunHandle>();
  private readonly listeners = new Set<RunEventListener>();
  private readonly host: LocalRunHost;
  private nextId = 1;

  constructor(private readonly options: LocalRuntimeOptions) {
    this.host = {
      clock: options.clock ?? systemClock,
      handlers: options.handlers,
      builtins: { ...documentActivities(storeOpener(options.documents, () => openSqliteDocumentStore(':memory:'))), ...agentActivities(options.agents) },
      logger: options.logger ?? quietLogger,
      startChild: (call) => this.startChild(call),
      emit: (event) => this.emit(event),
    };
  }

  /** Starts a run of a loaded slug, or of a definition given directly. Throws StartRejectedError for an unknown slug or invalid input. */
  start(runbook: string | ResolvedDefinition, input: unknown, options: StartOptions = {}): LocalRunHandle {
    const definition = typeof runbook === 'string' ? this.options.definitions.resolve(runbook) : runbook;
    if (!definition) {
      const known = this.options.definitions.slugs();
      throw new StartRejectedError('RUNBOOK_UNKNOWN', `no runbook "${String(runbook)}" is loaded${known.length ? ` (loaded: ${known.join(', ')})` : ''}`);
    }
    const tooLarge = rejectInputSize(definition.runbook, input);
    if (tooLarge) throw new StartRejectedError('PAYLOAD_TOO_LARGE', `input for ${definition.runbook.slug}: ${tooLarge.message}`);
    const problems = rejectInput(definition.runbook, input);
    if (problems) throw new StartRejectedError('INPUT_INVALID', `input for ${definition.runbook.slug}: ${problems}`);
    const runId = options.runId ?? `${definition.runbook.slug}-${this.nextId++}`;
    if (this.runs.has(runId)) throw new StartRejectedError('INPUT_INVALID', `a run with id "${runId}" already exists`);
    return this.launch(runId, definition, input, { started_by: options.startedBy ?? null });
  }

  private launch(runId: string, definition: ResolvedDefinition, input: unknown, origin: RunOrigin): LocalRunHandle {
    const services = new LocalRunServices(this.host, runId, definition.runbook.slug);
    // A run's own execution id: run ids repeat across processes (`slug-1` in every `runbook run`) and a store is shared,
    // so commits are idempotent by this, never by the run id.
    const executionId = `local-${randomUUID()}`;
    const interpreter = new RunbookInterpreter({ runId, executionId, definition: definition.runbook, definitionHash: definition.hash, input, expressionLocations: definition.expressionLocations, origin }, services);
    const handle = new LocalRunHandle(interpreter, services);
    this.runs.set(runId, handle);
    return handle;
  }

  private async startChild(call: ChildCall): Promise<ChildStarted & { cancel(): Promise<void> }> {
    const definition = this.options.definitions.resolve(call.slug);
    if (!definition) throw new StepFailure(`step "${call.stepId}": no runbook "${call.slug}" is loaded`, 'CHILD_RUNBOOK_UNKNOWN', true);
    const tooLarge = rejectInputSize(definition.runbook, call.input);
    if (tooLarge) throw new StepFailure(`step "${call.stepId}": input for child ${call.slug}[${call.index}]: ${tooLarge.message}`, tooLarge.code, true);
    const problems = rejectInput(definition.runbook, call.input);
    if (problems) throw new StepFailure(`step "${call.stepId}": input for child ${call.slug}[${call.index}]: ${problems}`, 'CHILD_INPUT_INVALID', true);
    const child = this.launch(call.childRunId, definition, call.input, call.origin);
    const result = child.result().catch((error: unknown) => {
      if (error instanceof RunFailedError) {
        throw childFailure(call.childRunId, error.failure);
      }
      throw error;
    });
    return { title: definition.runbook.title, result, cancel: () => child.cancel() };
  }

  /** A run started by this runtime (children included). */
  get(runId: string): RunHandle {
    const run = this.runs.get(runId);
    if (!run) throw new RunNotFoundError(runId);
    return run;
  }

  /** Every run this runtime started, children included, in start order. */
  list(): LocalRunHandle[] {
    return [...this.runs.values()];
  }

  /** Subscribes to step events of every run (children included). Returns an unsubscribe function. */
  onEvent(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** The definition of a loaded slug (for tools and the CLI). */
  definition(slug: string): Runbook | undefined {
    return this.options.definitions.resolve(slug)?.runbook;
  }
}
