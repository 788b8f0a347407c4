/**
 * Bytes → text, refusing what is not a runbook source: too large, not UTF-8,
 * binary (NUL bytes). Also computes the content hash the runtimes pin.
 */
import { createHash } from 'node:crypto';
import type { PendingDiagnostic } from './diagnostic.ts';

/** The default size limit of a runbook file: 1 MiB. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export type DecodedSource =
  | { readonly ok: true; readonly text: string; readonly hash: string }
  | { readonly ok: false; readonly problem: PendingDiagnostic; /** Character offset of the problem in `text`, for its line and column. */ readonly charOffset: number; readonly text: string };

const decoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/** Checks size and encoding and returns the text (without a BOM) and the sha256 of the bytes. */
export function decodeSource(input: string | Uint8Array, maxBytes: number = DEFAULT_MAX_BYTES): DecodedSource {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.byteLength > maxBytes) {
    return fail('RB_TOO_LARGE', `file is ${bytes.byteLength} bytes, over the limit of ${maxBytes} (raise it with --max-bytes)`, 0, '');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const text = typeof input === 'string' ? input : lenientDecoder.decode(bytes);
    const at = typeof input === 'string' ? input.indexOf('\u0000') : charOffsetOf(bytes, nul);
    return fail('RB_ENCODING', 'file contains a NUL byte: it looks binary, not YAML text', at, text);
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = decoder.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      return fail('RB_ENCODING', `file is not valid UTF-8 (invalid byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')})`, charOffsetOf(bytes, at), lenientDecoder.decode(bytes));
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text, hash: createHash('sha256').update(bytes).digest('hex') };
}

function fail(code: PendingDiagnostic['code'], message: string, charOffset: number, text: string): DecodedSource {
  return { ok: false, problem: { code, message, pointer: '' }, charOffset, text };
}

/** Index of the first byte that breaks UTF-8 (well-formedness per the Unicode standard, table 3-7). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return bytes.length;
}

function charOffsetOf(bytes: Uint8Array, byteOffset: number): number {
  return lenientDecoder.decode(bytes.subarray(0, byteOffset)).length;
}
