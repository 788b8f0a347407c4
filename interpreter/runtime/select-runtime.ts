/**
 * Which runtime is active: Temporal when it is configured (`TEMPORAL_ADDRESS` is set and
 * `@temporalio/client` loads), otherwise in-process. Chosen once, cached, and announced
 * with one INFO line, as the seed's TemporalRuntime / LocalRuntime auto-selection.
 *
 * @example
 * const { kind } = await selectRuntime(); // 'temporal' | 'local'
 * setRuntime('local');                    // tests: force one before anything selects
 */
import type { Environment } from '../config/state-dir.ts';

export type RuntimeKind = 'temporal' | 'local';

export interface RuntimeSelection {
  readonly kind: RuntimeKind;
  /** Why this runtime: the address, or what was missing. */
  readonly reason: string;
}

export interface SelectOptions {
  /** Where the one INFO line goes (default: stderr). */
  readonly log?: (line: string) => void;
  /** Loads the Temporal client (default: a dynamic import of `@temporalio/client`). */
  readonly loadTemporalClient?: () => Promise<unknown>;
}

let selected: RuntimeSelection | undefined;

const logToStderr = (line: string): void => {
  process.stderr.write(`INFO ${line}\n`);
};

const importTemporalClient = (): Promise<unknown> => import('@temporalio/client');

function announce(selection: RuntimeSelection, log: (line: string) => void): RuntimeSelection {
  selected = selection;
  const name = selection.kind === 'temporal' ? 'TemporalRuntime' : 'LocalRuntime';
  log(`runbook: ${name} active (${selection.reason})`);
  return selection;
}

async function detect(env: Environment, load: () => Promise<unknown>): Promise<RuntimeSelection> {
  const address = env.TEMPORAL_ADDRESS?.trim();
  if (!address) return { kind: 'local', reason: 'no TEMPORAL_ADDRESS; running in-process' };
  try {
    await load();
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { kind: 'local', reason: `TEMPORAL_ADDRESS is set but @temporalio/client cannot be loaded: ${detail}; running in-process` };
  }
  return { kind: 'temporal', reason: `TEMPORAL_ADDRESS=${address}` };
}

/** The active runtime: selected on the first call (logging one INFO line), then cached. */
export async function selectRuntime(env: Environment = process.env, options: SelectOptions = {}): Promise<RuntimeSelection> {
  if (selected) return selected;
  const selection = await detect(env, options.loadTemporalClient ?? importTemporalClient);
  // Two concurrent first calls: the first to finish wins, the other returns it without logging again.
  if (selected) return selected;
  return announce(selection, options.log ?? logToStderr);
}

/**
 * Forces a runtime (tests, or a caller that knows better); logs the one INFO line. `reason` is what the
 * line says in parentheses, in the caller's terms (the CLI: `--runtime temporal`); default `chosen by the caller`.
 */
export function setRuntime(kind: RuntimeKind, options: Pick<SelectOptions, 'log'> & { readonly reason?: string } = {}): RuntimeSelection {
  return announce({ kind, reason: options.reason ?? 'chosen by the caller' }, options.log ?? logToStderr);
}

/** The cached selection, if any (no detection). */
export function currentRuntimeSelection(): RuntimeSelection | undefined {
  return selected;
}

/** Forgets the selection so the next `selectRuntime` detects again (tests). */
export function resetRuntimeSelection(): void {
  selected = undefined;
}
