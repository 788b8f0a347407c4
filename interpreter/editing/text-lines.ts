/**
 * A text as lines that keep their own line endings, so an edit that moves, inserts or removes
 * whole lines leaves every other byte as it was. Pure.
 */

/** The lines of a text; each keeps its terminator (`\n` or `\r\n`), the last may have none. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/);
}

/** The line ending new lines get: the file's first one, `\n` when it has none. */
export function lineEnding(text: string): string {
  const at = text.indexOf('\n');
  return at > 0 && text[at - 1] === '\r' ? '\r\n' : '\n';
}

/** A line without its terminator. */
export function lineContent(line: string): string {
  return line.replace(/\r?\n$/, '');
}

export function isBlankLine(line: string): boolean {
  return lineContent(line).trim() === '';
}

/** A line holding only a comment (`# ...`, any indentation). */
export function isCommentLine(line: string): boolean {
  return lineContent(line).trimStart().startsWith('#');
}

/** Spaces before the first other character. */
export function indentOf(line: string): number {
  return lineContent(line).length - lineContent(line).trimStart().length;
}

/** Maps offsets of a text to 0-based lines and columns. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** 0-based column of an offset. */
  columnOf(offset: number): number {
    return offset - this.starts[this.lineOf(offset)];
  }

  /** Offset where a 0-based line starts. */
  lineStart(line: number): number {
    return this.starts[Math.min(line, this.starts.length - 1)];
  }
}

/** Replaces `[start, end)` of a text. */
export function replaceRange(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}
