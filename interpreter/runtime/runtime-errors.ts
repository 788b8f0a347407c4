/** Errors a runtime's callers see. Each carries a stable code. */
import type { Diagnostic } from '../loader/index.ts';
import type { Rejection, RunFailure } from '../core/index.ts';
import { describeRunFailure } from '../core/index.ts';

/** The run failed: names the step, the error type and the message. */
export class RunFailedError extends Error {
  readonly code = 'RUN_FAILED';
  constructor(readonly failure: RunFailure) {
    super(describeRunFailure(failure));
    this.name = 'RunFailedError';
  }
}

export class RunCancelledError extends Error {
  readonly code = 'RUN_CANCELLED';
  constructor(readonly runId: string) {
    super(`run ${runId} was cancelled`);
    this.name = 'RunCancelledError';
  }
}

/** A user action or signal was refused; nothing changed. */
export class ActionRejectedError extends Error {
  readonly code: Rejection['code'];
  constructor(readonly rejection: Rejection) {
    super(`${rejection.code}: ${rejection.message}`);
    this.name = 'ActionRejectedError';
    this.code = rejection.code;
  }
}

/** The run could not start: unknown runbook, invalid input or an invalid definition. */
export class StartRejectedError extends Error {
  constructor(
    readonly code: 'RUNBOOK_UNKNOWN' | 'INPUT_INVALID' | 'RUNBOOK_INVALID' | 'PAYLOAD_TOO_LARGE',
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(`${code}: ${message}`);
    this.name = 'StartRejectedError';
  }
}

/** Exit status of a refused start on the command line: an oversized input is refused data (1), the others usage (2). */
export function startRejectedExit(error: StartRejectedError): 1 | 2 {
  return error.code === 'PAYLOAD_TOO_LARGE' ? 1 : 2;
}

export class RunNotFoundError extends Error {
  readonly code = 'RUN_NOT_FOUND';
  constructor(readonly runId: string) {
    super(`RUN_NOT_FOUND: no run with id "${runId}"`);
    this.name = 'RunNotFoundError';
  }
}
