/** What the definition store holds, reports and logs. Node side. */
import type { Runbook } from '../format/runbook-format.ts';
import type { Diagnostic } from '../loader/index.ts';

/** A definition the store serves for new starts of its slug. Immutable. */
export interface DefinitionEntry {
  readonly slug: string;
  readonly runbook: Runbook;
  /** sha256 of the source bytes, hex (the hash runs pin and record). */
  readonly hash: string;
  /** The file it was loaded from. */
  readonly file: string;
  /** When it became live (epoch ms). */
  readonly loadedAt: number;
  readonly source: string;
}

/** A file version the store refused: its diagnostics, and what stayed live instead. */
export interface Rejection {
  readonly file: string;
  /** The slug the file declared (or, if it did not parse that far, the slug last loaded from the file). */
  readonly slug?: string;
  /** sha256 of the rejected bytes, hex. */
  readonly hash: string;
  /** When it was rejected (epoch ms). */
  readonly at: number;
  /** Errors (and warnings) in the rejected version, located. */
  readonly diagnostics: readonly Diagnostic[];
  /** The definition of that slug still served, if any. */
  readonly kept?: { readonly slug: string; readonly hash: string; readonly loadedAt: number };
}

export type DefinitionEvent =
  | { readonly type: 'loaded'; readonly slug: string; readonly file: string; readonly hash: string; readonly at: number; readonly previousHash?: string }
  | { readonly type: 'removed'; readonly slug: string; readonly file: string; readonly hash: string; readonly at: number; readonly reason: 'deleted' | 'renamed' }
  | ({ readonly type: 'rejected' } & Rejection);

export type DefinitionListener = (event: DefinitionEvent) => void;

export interface StoreLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A loaded definition as listed (no runbook body). */
export interface DefinitionListing {
  readonly slug: string;
  readonly file: string;
  readonly hash: string;
  readonly loadedAt: number;
  /** The last rejected attempt at this slug; `outstanding` when that version is still what is on disk. */
  readonly lastRejected?: Rejection & { readonly outstanding: boolean };
}

/** The store's state as listed by `runbook definitions` and written to the state file. */
export interface StoreSnapshot {
  readonly dir: string;
  /** Bumps on every swap of the served set. */
  readonly generation: number;
  readonly definitions: readonly DefinitionListing[];
  /** Rejected files whose slug has no loaded definition (or that declare none). */
  readonly rejectedUnloaded: readonly (Rejection & { readonly outstanding: boolean })[];
}

export const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };
