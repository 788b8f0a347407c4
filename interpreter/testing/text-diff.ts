/**
 * A readable diff of two values: both as YAML, then a line diff (longest common subsequence),
 * `- ` for what the case expected, `+ ` for what the run did, two spaces for what agrees.
 */
import { stringify } from 'yaml';

/** Most lines diffed exactly; beyond, the two texts are shown whole (a quadratic table would be too big). */
const MAX_LINES = 2_000;

const lines = (value: unknown): string[] => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd().split('\n');

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
  return out.join('\n');
}
