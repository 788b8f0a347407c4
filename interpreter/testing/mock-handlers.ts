/**
 * Handler mocks for test runs. One registry serves every case a runtime runs (on Temporal the
 * worker registers its activities once): each handler in it looks up the case of the call by its
 * root run id (a child run's id starts with its parent's, `root/step/0`), answers from the case's
 * mocks when one fits the step and attempt, and otherwise calls the real handler. Every call is
 * recorded for `expect.calls`. A mocked answer goes through the real handler's contracts when
 * there is one, so a mock cannot drift from what the handler returns.
 */
import { z } from 'zod';
import { defineHandler, HandlerRegistry, invokeHandler, WorkflowError, type AnyHandler, type HandlerContext } from '../handlers/index.ts';
import type { Mock } from './case-format.ts';

/** One handler call as the test saw it (each attempt is a call). */
export interface HandlerCall {
  readonly handler: string;
  readonly step: string;
  readonly attempt: number;
  readonly runId: string;
  readonly args: unknown;
  /** Whether a mock answered it (else the real handler ran). */
  readonly mocked: boolean;
}

interface Attached {
  readonly mocks: ReadonlyMap<string, readonly Mock[]>;
  readonly calls: HandlerCall[];
  /** Answers used so far per `handler#index` (for `results` sequences). */
  readonly used: Map<string, number>;
}

const ANY = z.unknown();

/** The id of the run a case started, from the id of any run in its tree. */
export const rootRunId = (runId: string): string => runId.split('/')[0];

export class MockedHandlers {
  private readonly cases = new Map<string, Attached>();

  /** `real`: the project's handlers (null: none, every call must be mocked). */
  constructor(readonly real: HandlerRegistry | null) {}

  /** A registry with one dispatching handler per name: the real handlers' and `extraNames` (handlers only mocks answer). */
  registry(extraNames: Iterable<string> = []): HandlerRegistry {
    const names = new Set([...(this.real?.names() ?? []), ...extraNames]);
    return new HandlerRegistry([...names].sort().map((name) => this.dispatcher(name)));
  }

  /** Routes calls of run `runId` (and its children) to `mocks` until the returned function is called. */
  attach(runId: string, mocks: ReadonlyMap<string, readonly Mock[]>): { calls: readonly HandlerCall[]; detach: () => void } {
    if (runId.includes('/')) throw new Error(`TEST_RUN_ID_INVALID: a test run id has no "/" (${runId})`);
    const attached: Attached = { mocks, calls: [], used: new Map() };
    this.cases.set(runId, attached);
    return { calls: attached.calls, detach: () => void this.cases.delete(runId) };
  }

  private dispatcher(name: string): AnyHandler {
    return defineHandler({
      name,
      description: this.real?.get(name)?.description,
      // The real contracts are checked inside (by invokeHandler), once, for mocked and real answers alike.
      input: ANY,
      output: ANY,
      run: (args: unknown, context: HandlerContext) => this.call(name, args, context),
    });
  }

  private async call(name: string, args: unknown, context: HandlerContext): Promise<unknown> {
    const { info } = context;
    const attached = this.cases.get(rootRunId(info.runId));
    const list = attached?.mocks.get(name) ?? [];
    const index = list.findIndex((mock) => (mock.step === undefined || mock.step === info.stepId) && (mock.attempt === undefined || mock.attempt === info.attempt));
    attached?.calls.push({ handler: name, step: info.stepId, attempt: info.attempt, runId: info.runId, args, mocked: index >= 0 });
    const real = this.real?.get(name);
    if (index < 0) {
      if (!real || !this.real) {
        const why = list.length > 0 ? `its mocks do not cover step "${info.stepId}" attempt ${info.attempt}` : 'it is not mocked';
        throw new WorkflowError(`step "${info.stepId}": handler "${name}" is not registered and ${why}`, { type: 'HANDLER_UNKNOWN', nonRetryable: true });
      }
      return invokeHandler(this.real, name, args, info, context.logger, context.abortSignal);
    }
    const mock = list[index];
    const answer = (): unknown => this.answer(name, mock, `${name}#${index}`, attached!);
    const stand = defineHandler({ name, input: real?.input ?? ANY, output: real?.output ?? ANY, run: async () => answer() });
    return invokeHandler(new HandlerRegistry([stand]), name, args, info, context.logger, context.abortSignal);
  }

  private answer(name: string, mock: Mock, key: string, attached: Attached): unknown {
    if (mock.error) {
      const message = mock.error.message ?? `mocked ${mock.error.type} from ${name}`;
      throw new WorkflowError(message, { type: mock.error.type, nonRetryable: mock.error.non_retryable ?? false });
    }
    if (mock.results) {
      const used = attached.used.get(key) ?? 0;
      attached.used.set(key, used + 1);
      if (used >= mock.results.length) {
        throw new WorkflowError(`the mock of ${name} gave all its ${mock.results.length} results; call ${used + 1} has none`, { type: 'MOCK_EXHAUSTED', nonRetryable: true });
      }
      return mock.results[used];
    }
    return mock.result;
  }
}
