/** Runbook versions, save patterns and waiting helpers for the definition store tests and benchmark. */
import { mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { sha256Hex } from '../../interpreter/definitions/scan-directory.ts';
import type { DefinitionEvent } from '../../interpreter/definitions/types.ts';
import type { DefinitionStore } from '../../interpreter/definitions/definition-store.ts';
import { HandlerRegistry } from '../../interpreter/handlers/index.ts';
import { utilHandlers } from '../../handlers/util/index.ts';

export const handlers = new HandlerRegistry(utilHandlers);

export async function tempRunbooksDir(prefix = 'runbook-defs-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A runbook of util.echo steps in the given order; with `review`, a review step after the first.
 * Each step echoes its own id, so the order they ran in is visible in history and output.
 */
export function runbookYaml(slug: string, order: readonly string[], options: { review?: boolean; title?: string } = {}): string {
  const lines = [`slug: ${slug}`, `title: ${options.title ?? `${slug} ${order.join('-')}`}`, 'steps:'];
  order.forEach((id, index) => {
    lines.push(`  - id: ${id}`, `    title: Step ${id}`, `    call: { handler: util.echo, args: { value: ${id} } }`);
    if (index === 0 && options.review) lines.push('  - id: check', '    title: Check', "    review: { payload: '{% $steps." + id + " %}', reason: Approve the run }");
  });
  return `${lines.join('\n')}\n`;
}

export const hashOf = (text: string): string => sha256Hex(Buffer.from(text, 'utf8'));

/** Truncates the file, writes part of it, pauses `pauseMs`, writes the rest (an editor saving in place). */
export async function truncateThenWrite(file: string, text: string, options: { splitAt?: number; pauseMs?: number } = {}): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const split = options.splitAt ?? bytes.length;
  const handle = await open(file, 'w');
  try {
    if (split > 0) await handle.write(bytes, 0, split, 0);
    if (options.pauseMs) await sleep(options.pauseMs);
    if (split < bytes.length) await handle.write(bytes, split, bytes.length - split, split);
  } finally {
    await handle.close();
  }
}

/** Writes a temp file beside the target, then renames it over (an atomic save). */
export async function renameOver(file: string, text: string, tempName = `.${basename(file)}.${process.pid}.tmp`): Promise<void> {
  const temp = join(dirname(file), tempName);
  await writeFile(temp, text);
  await rename(temp, file);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Records every event of a store. */
export function recordEvents(store: DefinitionStore): DefinitionEvent[] {
  const events: DefinitionEvent[] = [];
  store.onChange((event) => events.push(event));
  return events;
}

/** Waits until `condition` holds, polling. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
