/** Line-level checks of an edit's output: what changed between two texts, as whole lines. */
import assert from 'node:assert/strict';
import { splitLines } from '../../interpreter/editing/text-lines.ts';

export const linesOf = (text: string): string[] => splitLines(text).map((line) => line.replace(/\r?\n$/, ''));
const blank = (line: string): boolean => line.trim() === '';

/** The one contiguous change between two texts: old lines [start, oldEnd) became new lines [start, newEnd) (0-based). */
export function contiguousChange(before: string, after: string): { start: number; oldEnd: number; newEnd: number; removed: string[]; added: string[] } {
  const a = linesOf(before);
  const b = linesOf(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let tail = 0;
  while (tail < a.length - start && tail < b.length - start && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { start, oldEnd: a.length - tail, newEnd: b.length - tail, removed: a.slice(start, a.length - tail), added: b.slice(start, b.length - tail) };
}

/** The lines without blank ones at either end. */
export function trimBlank(lines: readonly string[]): string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && blank(lines[from])) from++;
  while (to > from && blank(lines[to - 1])) to--;
  return lines.slice(from, to);
}

/** Only lines were taken out: exactly `expected` (1-based, inclusive) and blank lines beside them. */
export function assertOnlyRemoved(before: string, after: string, first: number, last: number, message: string): void {
  const change = contiguousChange(before, after);
  assert.deepEqual(change.added, [], `${message}: nothing added`);
  assert.deepEqual(trimBlank(change.removed), linesOf(before).slice(first - 1, last), `${message}: removed exactly lines ${first}-${last} (and blank lines beside them)`);
}

/** Only lines were put in: exactly new lines `first`-`last` (1-based) and blank lines beside them. */
export function assertOnlyAdded(before: string, after: string, first: number, last: number, message: string): void {
  const change = contiguousChange(before, after);
  assert.deepEqual(change.removed, [], `${message}: nothing removed`);
  assert.deepEqual(trimBlank(change.added), linesOf(after).slice(first - 1, last), `${message}: added exactly lines ${first}-${last} (and blank lines beside them)`);
}

/** Only old lines within [first, last] (1-based) changed, into new lines within [first, last + grown]. */
export function assertChangedWithin(before: string, after: string, first: number, last: number, message: string): void {
  const change = contiguousChange(before, after);
  assert.ok(change.removed.length > 0 || change.added.length > 0, `${message}: something changed`);
  assert.ok(change.start >= first - 1, `${message}: the change starts at line ${change.start + 1}, not before line ${first}`);
  assert.ok(change.oldEnd <= last, `${message}: the change ends at old line ${change.oldEnd}, not after line ${last}`);
}

/** A move: the step's lines are the same, and every other non-blank line is the same, in order. */
export function assertOnlyMoved(before: string, after: string, old: { line: number; end_line: number }, moved: { line: number; end_line: number }, message: string): void {
  const a = linesOf(before);
  const b = linesOf(after);
  assert.deepEqual(b.slice(moved.line - 1, moved.end_line), a.slice(old.line - 1, old.end_line), `${message}: the step's lines arrive unchanged`);
  const restA = [...a.slice(0, old.line - 1), ...a.slice(old.end_line)];
  const restB = [...b.slice(0, moved.line - 1), ...b.slice(moved.end_line)];
  assert.deepEqual(restB.filter((line) => !blank(line)), restA.filter((line) => !blank(line)), `${message}: every other line stays, in order`);
  const blanks = (lines: string[]): number => lines.filter(blank).length;
  assert.ok(Math.abs(blanks(restA) - blanks(restB)) <= 2, `${message}: blank lines between steps kept (${blanks(restA)} → ${blanks(restB)})`);
}
