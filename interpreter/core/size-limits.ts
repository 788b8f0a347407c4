/**
 * Payload and state sizes, checked where data enters a run (start input, signals, user
 * actions, handler arguments and results, child inputs), well below Temporal's own limits
 * (2 MB per payload: the server fails the workflow task with PAYLOADS_TOO_LARGE; 50 MB per
 * history). Measured as the UTF-8 bytes of the value's JSON, as Temporal's JSON payload
 * converter encodes it. Sandbox-safe: no Node built-ins.
 */
import type { Runbook } from '../format/runbook-format.ts';

const MIB = 1024 * 1024;

/** Defaults and hard ceilings (a runbook's `limits:` may lower a limit, or raise it up to its ceiling). */
export const SIZE_LIMITS = {
  /** One payload: a run input, a signal payload, a user action, a handler's arguments or result, a child input. */
  payloadBytes: { default: MIB, ceiling: 1.5 * MIB },
  /** The run's state: its input, every step result and every received signal payload, together. */
  stateBytes: { default: 1.5 * MIB, ceiling: 1.5 * MIB },
} as const;

export const SIZE_ERROR = {
  payload: 'PAYLOAD_TOO_LARGE',
  state: 'RUN_STATE_TOO_LARGE',
} as const;

export interface SizeLimits {
  readonly payloadBytes: number;
  readonly stateBytes: number;
}

/** The limits a runbook runs with: its own `limits:` where given, the defaults otherwise, never above a ceiling. */
export function sizeLimitsOf(definition: Runbook | undefined): SizeLimits {
  const declared = definition?.limits;
  return {
    payloadBytes: Math.min(declared?.payload_bytes ?? SIZE_LIMITS.payloadBytes.default, SIZE_LIMITS.payloadBytes.ceiling),
    stateBytes: Math.min(declared?.state_bytes ?? SIZE_LIMITS.stateBytes.default, SIZE_LIMITS.stateBytes.ceiling),
  };
}

/** The largest payload any runbook accepts: what a client checks before it sends. */
export const PAYLOAD_CEILING: SizeLimits = { payloadBytes: SIZE_LIMITS.payloadBytes.ceiling, stateBytes: SIZE_LIMITS.stateBytes.ceiling };

/** The UTF-8 byte length of `value` as JSON (0 for undefined, which JSON drops). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return 0;
  let bytes = text.length;
  // JSON.stringify escapes nothing above U+007F: count the extra UTF-8 bytes of each such unit.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 2; // a surrogate pair is 2 units and 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Sizes for messages: `1.50 MiB (1572864 bytes)`. */
export function describeBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const unit = bytes < MIB ? { size: 1024, name: 'KiB' } : { size: MIB, name: 'MiB' };
  return `${(bytes / unit.size).toFixed(2)} ${unit.name} (${bytes} bytes)`;
}

/** A payload over its limit: the message names the field, its size and the limit. */
export function payloadTooLarge(field: string, bytes: number, limit: number): string {
  return `${field} is ${describeBytes(bytes)}, over the ${describeBytes(limit)} payload limit; pass a large document by reference (a stored document's id), or raise limits.payload_bytes (at most ${describeBytes(SIZE_LIMITS.payloadBytes.ceiling)})`;
}

/** The run's state would grow over its limit. */
export function stateTooLarge(field: string, bytes: number, stateBytes: number, limit: number): string {
  return `${field} (${describeBytes(bytes)}) would bring the run's state to ${describeBytes(stateBytes)}, over its ${describeBytes(limit)} limit (limits.state_bytes); keep large data in a store and pass its id`;
}
