/**
 * A readable diff of two values: both as YAML, then a line diff (longest common subsequence),
 * `- ` for what the case expected, `+ ` for what the run did, two spaces for what agrees.
 */
import { Document, isScalar, isSeq, visit } from 'yaml';

/** Most lines diffed exactly; beyond, the two texts are shown whole (a quadratic table would be too big). */
const MAX_LINES = 2_000;
/** Unchanged lines kept around each change; longer unchanged stretches are cut to `  …`. */
const CONTEXT = 3;

/** YAML as a case is written: short lists of plain values in flow style (`[open_period, completed]`). */
function lines(value: unknown): string[] {
  const document = new Document(value, { aliasDuplicateObjects: false });
  visit(document, {
    Seq(_, node) {
      if (isSeq(node) && node.items.length <= 6 && node.items.every((item) => isScalar(item) && String(item.value).length <= 40)) node.flow = true;
    },
  });
  return document.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd().split('\n');
}

/** Keeps the changed lines and CONTEXT lines around them. */
function trimContext(out: readonly string[]): string[] {
  const keep = out.map((line) => !line.startsWith('  '));
  const near = out.map((_, index) => keep.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).some(Boolean));
  const trimmed: string[] = [];
  out.forEach((line, index) => {
    if (near[index]) trimmed.push(line);
    else if (trimmed[trimmed.length - 1] !== '  …') trimmed.push('  …');
  });
  return trimmed;
}

/**
 * @example
 * textDiff({ status: 'completed' }, { status: 'failed' });
 * // '- status: completed\n+ status: failed'
 */
export function textDiff(expected: unknown, actual: unknown): string {
  const a = lines(expected);
  const b = lines(actual);
  if (a.length > MAX_LINES || b.length > MAX_LINES) return [...a.map((line) => `- ${line}`), ...b.map((line) => `+ ${line}`)].join('\n');
  // table[i][j]: length of the LCS of a[i..] and b[j..].
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || table[i + 1][j] >= table[i][j + 1])) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return trimContext(out).join('\n');
}
