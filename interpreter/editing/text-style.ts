/**
 * How a runbook file is written: its indentation unit, whether `- ` lists are indented under
 * their key, its quote, flow-collection padding and how far a step's keys sit from its `- `.
 * New text an edit writes follows it. Pure.
 */
import { isMap, isSeq, visit, type Node, type Pair } from 'yaml';
import type { RunbookText } from './runbook-text.ts';

export interface TextStyle {
  /** Spaces per nesting level. */
  readonly indent: number;
  /** `- ` items indented under their key (`key:\n  - a`) rather than level with it. */
  readonly indentSeq: boolean;
  readonly singleQuote: boolean;
  /** `{ a: 1 }` rather than `{a: 1}`. */
  readonly flowPadding: boolean;
  /** `[ a, b ]` rather than `[a, b]`. */
  readonly flowSeqPadding: boolean;
  /** Columns from a step's `- ` to its keys (2 for `- id: x`). */
  readonly stepKeyOffset: number;
}

export function textStyle(source: RunbookText): TextStyle {
  const { document, index, text } = source;
  const column = (node: unknown): number | undefined => {
    const range = (node as Node | null)?.range;
    return range ? index.columnOf(range[0]) : undefined;
  };
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  let single = 0;
  let double = 0;
  let padded = 0;
  let tight = 0;
  let seqPadded = 0;
  let seqTight = 0;
  visit(document, {
    Pair(_, pair: Pair) {
      const keyColumn = column(pair.key);
      if (keyColumn === undefined) return;
      if (indent === undefined && isMap(pair.value) && !pair.value.flow && pair.value.items.length > 0) {
        const child = column(pair.value.items[0].key);
        if (child !== undefined && child > keyColumn) indent = child - keyColumn;
      }
      if (indentSeq === undefined && isSeq(pair.value) && !pair.value.flow && pair.value.range) {
        indentSeq = source.lines[index.lineOf(pair.value.range[0])].search(/\S/) > keyColumn;
      }
    },
    Scalar(_, scalar) {
      if (scalar.type === 'QUOTE_SINGLE') single++;
      else if (scalar.type === 'QUOTE_DOUBLE') double++;
    },
    Seq(_, seq) {
      if (!seq.flow || !seq.range || seq.items.length === 0) return;
      if (/^\[\s/.test(text.slice(seq.range[0], seq.range[0] + 2))) seqPadded++;
      else seqTight++;
    },
    Map(_, map) {
      if (!map.flow || !map.range || map.items.length === 0) return;
      if (/^\{\s/.test(text.slice(map.range[0], map.range[0] + 2))) padded++;
      else tight++;
    },
  });
  const first = source.blocks.find((block) => isMap(block.node) && block.node.items.length > 0);
  const firstKey = first && isMap(first.node) ? column(first.node.items[0].key) : undefined;
  const stepKeyOffset = firstKey !== undefined && first ? Math.max(2, firstKey - source.dashColumn) : 2;
  return { indent: indent ?? 2, indentSeq: indentSeq ?? true, singleQuote: single >= double, flowPadding: padded >= tight, flowSeqPadding: seqPadded > seqTight, stepKeyOffset };
}
