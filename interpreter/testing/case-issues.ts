/**
 * zod issues of a case file → located TEST_CASE_INVALID diagnostics: unions are reduced to
 * the branch that got furthest, unknown keys point at the key and get a did-you-mean.
 */
import type { z } from 'zod';
import { didYouMean } from '../loader/did-you-mean.ts';
import { toPointer, type PathSegment } from '../loader/json-pointer.ts';
import type { SourceLocator } from '../loader/source-locator.ts';
import type { CaseDiagnostic, CaseDiagnosticCode } from './case-diagnostic.ts';
import { ExpectSchema, MockSchema, TestCaseSchema } from './case-format.ts';

type Issue = z.core.$ZodIssue;

/** The keys each kind of mapping knows, for did-you-mean on an unknown key. */
function knownKeys(path: readonly PathSegment[]): readonly string[] {
  if (path.length === 0) return Object.keys(TestCaseSchema.shape);
  if (path.length === 1 && path[0] === 'expect') return Object.keys(ExpectSchema.shape);
  if (path[0] === 'mocks' && path.length >= 2) return Object.keys(MockSchema.shape);
  return [];
}

const segments = (path: readonly PropertyKey[]): PathSegment[] => path.map((part) => (typeof part === 'number' ? part : String(part)));

/** One issue, or for a union the issues of the branch that matched the value's type. */
function flatten(issue: Issue, base: readonly PathSegment[]): { issue: Issue; path: PathSegment[] }[] {
  const path = [...base, ...segments(issue.path)];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ issue, path }];
  const deeper = issue.errors.filter((branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
  if (deeper.length >= 1) {
    const best = deeper.reduce((a, b) => (Math.max(...b.map((i) => i.path.length)) > Math.max(...a.map((i) => i.path.length)) ? b : a));
    return best.flatMap((inner) => flatten(inner, path));
  }
  const expected = issue.errors.flatMap((branch) => branch.flatMap((inner) => (inner.code === 'invalid_type' ? [inner.expected] : [])));
  return [{ issue: { ...issue, message: `expected ${[...new Set(expected)].join(' or ')}` }, path }];
}

function messageOf(issue: Issue, path: readonly PathSegment[]): string {
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${where}unknown key "${key}"${didYouMean(key, knownKeys(path))}`).join('; ');
  }
  return `${where}${issue.message.replace(/^Invalid input: /, '')}`;
}

/** Every issue of a failed parse, placed in the case file. */
export function caseIssues(error: z.ZodError, locator: SourceLocator): CaseDiagnostic[] {
  return error.issues.flatMap((top) => flatten(top, [])).map(({ issue, path }) => {
    const keyPath = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]] : path;
    return locate(locator, 'TEST_CASE_INVALID', messageOf(issue, path), toPointer(keyPath), issue.code === 'unrecognized_keys' ? 'key' : 'value');
  });
}

/** A diagnostic at a pointer of the case file. */
export function locate(locator: SourceLocator, code: CaseDiagnosticCode, message: string, pointer: string, at: 'key' | 'value' = 'value'): CaseDiagnostic {
  return { code, severity: 'error', message, ...locator.locate(pointer, at) };
}
