/**
 * A unified diff of two texts (`--- a/FILE`, `+++ b/FILE`, `@@` hunks with 3 lines of
 * context), for `runbook move-step --dry-run` and the console's preview. Lines are compared
 * whole; a longest common subsequence over what differs between the common start and end. Pure.
 */
import { lineContent, splitLines } from './text-lines.ts';

type Edit = { readonly kind: ' ' | '-' | '+'; readonly line: string; readonly oldAt: number; readonly newAt: number };

/** Most lines diffed line by line; beyond, the differing middle is one removal and one addition. */
const MAX_MIDDLE = 4_000;

function lineEdits(oldLines: readonly string[], newLines: readonly string[]): Edit[] {
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (tail < oldLines.length - head && tail < newLines.length - head && oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]) tail++;
  const a = oldLines.slice(head, oldLines.length - tail);
  const b = newLines.slice(head, newLines.length - tail);
  const edits: Edit[] = [];
  for (let i = 0; i < head; i++) edits.push({ kind: ' ', line: oldLines[i], oldAt: i, newAt: i });
  edits.push(...middleEdits(a, b, head));
  for (let i = 0; i < tail; i++) {
    const oldAt = oldLines.length - tail + i;
    edits.push({ kind: ' ', line: oldLines[oldAt], oldAt, newAt: newLines.length - tail + i });
  }
  return edits;
}

function middleEdits(a: readonly string[], b: readonly string[], offset: number): Edit[] {
  if (a.length * b.length > MAX_MIDDLE * MAX_MIDDLE / 4 || a.length > MAX_MIDDLE || b.length > MAX_MIDDLE) {
    return [...a.map((line, i) => ({ kind: '-' as const, line, oldAt: offset + i, newAt: offset })), ...b.map((line, j) => ({ kind: '+' as const, line, oldAt: offset + a.length, newAt: offset + j }))];
  }
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) edits.push({ kind: ' ', line: a[i++], oldAt: offset + i - 1, newAt: offset + j++ });
    else if (i < a.length && (j === b.length || lengths[i + 1][j] >= lengths[i][j + 1])) edits.push({ kind: '-', line: a[i++], oldAt: offset + i - 1, newAt: offset + j });
    else edits.push({ kind: '+', line: b[j++], oldAt: offset + i, newAt: offset + j - 1 });
  }
  return edits;
}

/** The changed lines of two texts: 0-based old lines removed and new lines added. */
export function changedLines(oldText: string, newText: string): { removed: number[]; added: number[] } {
  const edits = lineEdits(splitLines(oldText), splitLines(newText));
  return { removed: edits.filter((e) => e.kind === '-').map((e) => e.oldAt), added: edits.filter((e) => e.kind === '+').map((e) => e.newAt) };
}

/**
 * The unified diff from `oldText` to `newText`, `''` when they are equal.
 *
 * @example
 * process.stdout.write(unifiedDiff(before, after, 'runbooks/month-end-close.yaml'));
 */
export function unifiedDiff(oldText: string, newText: string, file: string, context = 3): string {
  if (oldText === newText) return '';
  const edits = lineEdits(splitLines(oldText), splitLines(newText));
  const changed = edits.map((edit, at) => (edit.kind === ' ' ? -1 : at)).filter((at) => at >= 0);
  const hunks: [number, number][] = [];
  for (const at of changed) {
    const start = Math.max(0, at - context);
    const end = Math.min(edits.length - 1, at + context);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else hunks.push([start, end]);
  }
  // git's a/ b/ prefixes for a relative path; an absolute path stays as it is (as `diff -u` prints it).
  const [before, after] = file.startsWith('/') ? [file, file] : [`a/${file}`, `b/${file}`];
  const out = [`--- ${before}`, `+++ ${after}`];
  for (const [start, end] of hunks) {
    const slice = edits.slice(start, end + 1);
    const oldCount = slice.filter((e) => e.kind !== '+').length;
    const newCount = slice.filter((e) => e.kind !== '-').length;
    const oldStart = oldCount === 0 ? slice[0].oldAt : slice[0].oldAt + 1;
    const newStart = newCount === 0 ? slice[0].newAt : slice[0].newAt + 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const edit of slice) {
      out.push(edit.kind + lineContent(edit.line));
      if (!/\n$/.test(edit.line)) out.push('\\ No newline at end of file');
    }
  }
  return out.join('\n') + '\n';
}
