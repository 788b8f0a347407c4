/**
 * DefinitionStore: the runbook definitions a worker serves, loaded from a directory and
 * hot-reloaded as files change. Node side.
 *
 * - Every fs event only nudges a rescan after a quiet period (`settleMs`), so a burst of
 *   writes settles to the last one. A file is read with a stat before and after; a file that
 *   changed while read, or got an event during the scan, is read again after it settles.
 * - The settled files go through CI's validator over the set that would be served
 *   (reconcile.ts). A changed valid file becomes its slug's definition for new starts, by one
 *   swap of an immutable map; an invalid one (empty, half-written, broken) is rejected with its
 *   diagnostics and the previous definition stays live. A deleted file stops new starts of its
 *   slug once it is still gone a quiet period later (editors that move the old file aside
 *   before writing the new one do not unload it).
 * - Runs in flight never see any of this: their definition was resolved once and recorded in
 *   history (see docs/hot-reload.md).
 *
 * @example
 * const store = await DefinitionStore.open({ dir: 'runbooks', handlers, log: console });
 * store.onChange((event) => console.log(event.type, event.file));
 * const worker = await createInterpreterWorker({ ..., definitions: store });
 */
import type { AgentNames } from '../loader/checks/index.ts';
import { DEFAULT_HANDLERS_DIR, loadHandlerRegistry, type HandlerRegistry } from '../handlers/index.ts';
import { formatDiagnosticsPretty } from '../loader/index.ts';
import { locateExpressions } from '../loader/expression-locations.ts';
import type { DefinitionSource, ResolvedDefinition } from '../runtime/definition-source.ts';
import { DirectoryWatcher } from './directory-watcher.ts';
import { reconcile, type ServedFile } from './reconcile.ts';
import { listRunbookDirectory, readStable, type DirectoryListing } from './scan-directory.ts';
import {
  silentLogger,
  type DefinitionEntry, type DefinitionEvent, type DefinitionListener, type DefinitionListing, type Rejection, type StoreLogger, type StoreSnapshot,
} from './types.ts';

export const DEFAULT_SETTLE_MS = 75;

export interface DefinitionStoreOptions {
  /** The runbooks directory (searched recursively, like `runbook validate DIR`). */
  readonly dir: string;
  /** Handlers to check calls against. Default: loaded from `handlersDir`; `null` skips handler checks. */
  readonly handlers?: HandlerRegistry | null;
  readonly handlersDir?: string;
  /** Agents to check agent steps against (an AgentRegistry, or its names); without it, agent names are not checked. */
  readonly agents?: AgentNames;
  /** Quiet period after the last fs event before the directory is read (default 75 ms). */
  readonly settleMs?: number;
  /** Watch the directory (default true); false loads once, as `runbook definitions` does without a worker. */
  readonly watch?: boolean;
  readonly log?: StoreLogger;
  readonly maxBytes?: number;
  /** Paths whose events are ignored (the state file the worker writes). */
  readonly ignore?: (path: string) => boolean;
  /** Epoch ms; default Date.now. */
  readonly clock?: () => number;
}

export class DefinitionStore implements DefinitionSource {
  readonly dir: string;
  private readonly settleMs: number;
  private readonly log: StoreLogger;
  private readonly clock: () => number;
  private handlers: HandlerRegistry | null = null;
  private watcher?: DirectoryWatcher;

  /** By file: what is served and the bytes it came from. */
  private served = new Map<string, ServedFile>();
  /** By slug: swapped whole, never mutated. */
  private bySlug: ReadonlyMap<string, DefinitionEntry> = new Map();
  private generation = 0;
  /** file → the hash last processed (loaded or rejected), so an unchanged file is not re-reported. */
  private readonly seen = new Map<string, string>();
  /** slug (or `file:<path>` when no slug is known) → last rejected attempt. */
  private readonly rejections = new Map<string, Rejection>();
  /** Served files found missing, and since when. */
  private readonly missingSince = new Map<string, number>();
  private readonly warned = new Set<string>();
  private readonly listeners = new Set<DefinitionListener>();

  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private again = false;
  private closed = false;
  /** Paths with an fs event since the current scan began ("dir" = an event without a name). */
  private touched = new Set<string>();
  private dirUnreadable = false;

  private constructor(private readonly options: DefinitionStoreOptions) {
    this.dir = options.dir;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? Date.now;
  }

  /** Loads the directory (throws if it cannot be read) and, unless `watch: false`, starts watching it. */
  static async open(options: DefinitionStoreOptions): Promise<DefinitionStore> {
    const store = new DefinitionStore(options);
    await store.start();
    return store;
  }

  private async start(): Promise<void> {
    this.handlers = await this.resolveHandlers();
    await listRunbookDirectory(this.dir); // fails loudly at start, unlike later rescans
    if (this.options.watch !== false) {
      const ignore = this.options.ignore;
      this.watcher = new DirectoryWatcher({
        onEvent: (path) => this.nudge(path),
        onError: (dir, error) => this.watchFailed(dir, error),
        ...(ignore ? { ignore } : {}),
      });
    }
    // A file being written at start is read again once it settles (a few tries).
    for (let attempt = 0; attempt < 5; attempt++) {
      const settled = await this.scanOnce();
      if (settled) break;
      await new Promise((resolve) => setTimeout(resolve, this.settleMs));
    }
  }

  private async resolveHandlers(): Promise<HandlerRegistry | null> {
    if (this.options.handlers !== undefined) return this.options.handlers;
    const dir = this.options.handlersDir ?? DEFAULT_HANDLERS_DIR;
    try {
      return await loadHandlerRegistry(dir);
    } catch (error) {
      this.log.warn(`definitions: handlers not loaded from ${dir}/ (${error instanceof Error ? error.message : String(error)}); handler checks skipped`);
      return null;
    }
  }

  // --- DefinitionSource ---------------------------------------------------------------

  resolve(slug: string): ResolvedDefinition | undefined {
    const entry = this.bySlug.get(slug);
    return entry ? { runbook: entry.runbook, hash: entry.hash, expressionLocations: locateExpressions(entry.file, entry.source, entry.runbook) } : undefined;
  }

  slugs(): string[] {
    return [...this.bySlug.keys()].sort();
  }

  // --- inspection ---------------------------------------------------------------------

  /** The definition served for `slug`, with its file, hash and load time. */
  entry(slug: string): DefinitionEntry | undefined {
    return this.bySlug.get(slug);
  }

  entries(): DefinitionEntry[] {
    return [...this.bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  }

  /** The last rejected attempt at each slug (or file, when it declared none). */
  lastRejections(): Rejection[] {
    return [...this.rejections.values()];
  }

  snapshot(): StoreSnapshot {
    const outstanding = (r: Rejection): Rejection & { outstanding: boolean } => ({ ...r, outstanding: this.seen.get(r.file) === r.hash });
    const definitions: DefinitionListing[] = this.entries().map((entry) => {
      const rejection = this.rejections.get(entry.slug);
      return { slug: entry.slug, file: entry.file, hash: entry.hash, loadedAt: entry.loadedAt, ...(rejection ? { lastRejected: outstanding(rejection) } : {}) };
    });
    const rejectedUnloaded = [...this.rejections.values()].filter((r) => r.slug === undefined || !this.bySlug.has(r.slug)).map(outstanding);
    return { dir: this.dir, generation: this.generation, definitions, rejectedUnloaded };
  }

  /** Listens to loaded / removed / rejected events (after the swap). Returns an unsubscribe function. */
  onChange(listener: DefinitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the directory now (after any scan in flight), whatever the watcher saw. */
  async rescan(): Promise<void> {
    await this.inFlight;
    await this.runScan();
  }

  /** Resolves once no rescan is pending or running. */
  async idle(): Promise<void> {
    while (this.timer || this.inFlight) {
      if (this.inFlight) await this.inFlight;
      else await new Promise((resolve) => setTimeout(resolve, this.settleMs));
    }
  }

  /** Stops watching; definitions stay resolvable. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    await this.inFlight;
  }

  // --- watching -----------------------------------------------------------------------

  private nudge(path: string): void {
    this.touched.add(path);
    this.schedule(this.settleMs);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runScan();
    }, ms);
  }

  private watchFailed(dir: string, error: Error): void {
    this.log.warn(`definitions: stopped watching ${dir}: ${error.message}; rescanning`);
    this.schedule(this.settleMs);
  }

  private async runScan(): Promise<void> {
    if (this.closed && this.options.watch !== false) return;
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      try {
        const settled = await this.scanOnce();
        if (!settled) this.again = true;
      } catch (error) {
        this.log.error(`definitions: rescan of ${this.dir} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      } finally {
        this.inFlight = undefined;
        if (this.again) {
          this.again = false;
          this.schedule(this.settleMs);
        }
      }
    })();
    return this.inFlight;
  }

  /**
   * One look at the directory. Returns false when something was not settled (a file being
   * written, a deletion to confirm): the caller looks again after a quiet period.
   */
  private async scanOnce(): Promise<boolean> {
    this.touched = new Set();
    let listing: DirectoryListing;
    try {
      listing = await listRunbookDirectory(this.dir);
    } catch (error) {
      // The directory itself is gone or unreadable (a checkout in progress, a remount): keep serving.
      if (!this.dirUnreadable) this.log.warn(`definitions: cannot read ${this.dir} (${error instanceof Error ? error.message : String(error)}); still serving ${this.bySlug.size} definition(s), retrying`);
      this.dirUnreadable = true;
      if (!this.closed && this.options.watch !== false) this.schedule(Math.max(1000, this.settleMs));
      return true;
    }
    if (this.dirUnreadable) this.log.info(`definitions: ${this.dir} is readable again`);
    this.dirUnreadable = false;
    this.watcher?.sync(listing.dirs);

    const reads = await Promise.all(listing.files.map(async (file) => [file, await readStable(file)] as const));
    // Let fs events already queued for these files arrive before judging them stable.
    await new Promise((resolve) => setImmediate(resolve));
    let settled = true;
    const onDisk = new Map<string, { bytes: Uint8Array; hash: string }>();
    const present = new Set<string>();
    for (const [file, read] of reads) {
      if (read.kind === 'missing') continue;
      present.add(file);
      if (read.kind === 'ok' && !this.touched.has(file) && !this.touched.has(this.dir)) onDisk.set(file, read);
      else if (read.kind === 'error') {
        const key = `read:${file}:${read.message}`;
        if (!this.warned.has(key)) this.log.warn(`definitions: cannot read ${file}: ${read.message}`);
        this.warned.add(key);
      } else settled = false;
    }

    const now = this.clock();
    const confirmedGone: string[] = [];
    const missingPending = new Set<string>();
    for (const file of this.served.keys()) {
      if (present.has(file)) {
        this.missingSince.delete(file);
        continue;
      }
      const since = this.missingSince.get(file);
      if (since !== undefined && now - since >= this.settleMs) confirmedGone.push(file);
      else {
        if (since === undefined) this.missingSince.set(file, now);
        missingPending.add(file);
        settled = false;
      }
    }
    for (const file of [...this.missingSince.keys()]) if (!this.served.has(file)) this.missingSince.delete(file);
    for (const file of [...this.seen.keys()]) {
      if (!present.has(file)) this.forgetFile(file);
    }

    const changed = [...onDisk].some(([file, read]) => this.seen.get(file) !== read.hash);
    if (!changed && confirmedGone.length === 0) return settled;

    const served = new Map(this.served);
    for (const file of confirmedGone) {
      served.delete(file);
      this.missingSince.delete(file);
    }
    const result = await reconcile({ served, onDisk, missingPending, handlers: this.handlers, ...(this.options.agents ? { agents: this.options.agents } : {}), maxBytes: this.options.maxBytes, now });
    this.apply(result.served, result.accepted, confirmedGone, now);
    for (const rejection of result.rejected) {
      if (this.seen.get(rejection.file) === rejection.hash) continue; // the same bytes, refused before
      this.rejections.set(rejection.slug ?? `file:${rejection.file}`, rejection);
      this.reportRejection(rejection);
    }
    for (const [file, read] of onDisk) this.seen.set(file, read.hash);
    for (const warning of result.warnings) {
      const key = `warn:${warning.file}:${warning.code}:${warning.line}:${warning.message}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      this.log.warn(`definitions: ${warning.file} is still served but no longer validates against the others (new starts may fail when they dispatch):\n${formatDiagnosticsPretty([warning])}`);
    }
    return settled;
  }

  /** A file is gone: forget its hash, and its rejections unless they are the last attempt at a served slug. */
  private forgetFile(file: string): void {
    this.seen.delete(file);
    for (const [key, rejection] of this.rejections) {
      if (rejection.file === file && (rejection.slug === undefined || !this.bySlug.has(rejection.slug))) this.rejections.delete(key);
    }
  }

  /** Swaps the served set and reports what changed. */
  private apply(next: Map<string, ServedFile>, accepted: readonly string[], gone: readonly string[], now: number): void {
    const before = this.bySlug;
    const bySlug = new Map<string, DefinitionEntry>();
    for (const { entry } of next.values()) bySlug.set(entry.slug, entry);
    this.served = next;
    this.bySlug = bySlug;
    const removed = [...before.values()].filter((entry) => !bySlug.has(entry.slug));
    if (accepted.length === 0 && removed.length === 0 && before.size === bySlug.size) return;
    this.generation += 1;
    for (const file of accepted) {
      const { entry } = next.get(file)!;
      const previous = before.get(entry.slug);
      this.log.info(`definitions: loaded ${entry.slug} ${entry.hash.slice(0, 12)} from ${entry.file}${previous ? ` (was ${previous.hash.slice(0, 12)})` : ''}`);
      this.emit({ type: 'loaded', slug: entry.slug, file: entry.file, hash: entry.hash, at: now, ...(previous ? { previousHash: previous.hash } : {}) });
    }
    for (const entry of removed) {
      const reason = gone.includes(entry.file) ? 'deleted' : 'renamed';
      this.log.info(`definitions: removed ${entry.slug} (${entry.file} ${reason === 'deleted' ? 'deleted' : 'now declares another slug'}); new starts of it fail with RUNBOOK_UNKNOWN`);
      this.emit({ type: 'removed', slug: entry.slug, file: entry.file, hash: entry.hash, at: now, reason });
    }
  }

  private reportRejection(rejection: Rejection): void {
    const errors = rejection.diagnostics.filter((d) => d.severity === 'error').length;
    const still = rejection.kept
      ? `still serving ${rejection.kept.slug} ${rejection.kept.hash.slice(0, 12)} loaded ${new Date(rejection.kept.loadedAt).toISOString()}`
      : rejection.slug
        ? `no definition of ${rejection.slug} is served`
        : 'nothing loaded from it';
    this.log.warn(`definitions: rejected ${rejection.file} (${errors} error${errors === 1 ? '' : 's'}); ${still}\n${formatDiagnosticsPretty(rejection.diagnostics).trimEnd()}`);
    this.emit({ type: 'rejected', ...rejection });
  }

  private emit(event: DefinitionEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log.error(`definitions: a change listener threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** Waits for the first event matching `predicate` (for tests and benchmarks). */
export function nextDefinitionEvent(store: DefinitionStore, predicate: (event: DefinitionEvent) => boolean, timeoutMs = 10_000): Promise<DefinitionEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching definition event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = store.onChange((event) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

