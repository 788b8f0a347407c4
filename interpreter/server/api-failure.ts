/**
 * The console API's errors: an HTTP status with a stable code and a one-line message (`ApiError`),
 * and the mapping from the library's errors to them. Nothing else reaches a client: an unexpected
 * error is `500 INTERNAL` with a generic message, never its stack.
 */
import { ActionRejectedError, RunNotFoundError, RunbooksInvalidError, StartRejectedError } from '../index.ts';
import type { ApiError } from './console-api.ts';

/** A refused request: what the client sees. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** More of the body, beside code and message (e.g. a save's `current_text` or `diagnostics`). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  body(): ApiError {
    return { ...this.details, code: this.code, message: this.message };
  }
}

/** Engine rejections that say the request's data is wrong (422); every other rejection is a conflict with the run's state (409). */
const UNPROCESSABLE = new Set(['CORRECTIONS_INVALID', 'SIGNAL_PAYLOAD_INVALID', 'INPUT_INVALID', 'COMMENT_REQUIRED', 'PAYLOAD_TOO_LARGE', 'ACTION_INVALID', 'RUNBOOK_INVALID']);

/** Strips the `CODE: ` prefix the library's messages start with (the code travels on its own). */
function withoutCode(code: string, message: string): string {
  return message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
}

/** The ApiFailure for `error`, or undefined when it is not one a client caused (a 500). */
export function apiFailureOf(error: unknown): ApiFailure | undefined {
  if (error instanceof ApiFailure) return error;
  if (error instanceof RunNotFoundError) return new ApiFailure(404, 'RUN_NOT_FOUND', `no run with id "${error.runId}"`);
  if (error instanceof StartRejectedError) {
    const status = error.code === 'RUNBOOK_UNKNOWN' ? 404 : 422;
    return new ApiFailure(status, error.code, withoutCode(error.code, error.message));
  }
  if (error instanceof ActionRejectedError) {
    return new ApiFailure(UNPROCESSABLE.has(error.code) ? 422 : 409, error.code, error.rejection.message);
  }
  if (error instanceof RunbooksInvalidError) return new ApiFailure(422, error.code, withoutCode(error.code, error.message).split('\n')[0]!);
  return undefined;
}

export const notFound = (runId: string): ApiFailure => new ApiFailure(404, 'RUN_NOT_FOUND', `no run with id "${runId}"`);
