/**
 * Cross-file checks of committed documents: a `previous` step reads a document that some runbook of
 * the set commits (did-you-mean), and its `where` / `before` fields are key fields of that document.
 * Reading a document this runbook commits later is allowed: that is what `previous` is for. Every
 * commit of one document uses the same key fields (RB_DOCUMENT_KEY_MISMATCH): a `where` on a field
 * some committer does not write would never match that committer's documents.
 */
import type { Runbook } from '../format/index.ts';
import { didYouMean } from './did-you-mean.ts';

/** A `commit` step: which document, with which key fields. */
export interface DocumentCommitUse {
  readonly stepId: string;
  readonly index: number;
  readonly document: string;
  readonly keyFields: readonly string[];
}

/** A `previous` step: which document, and the key fields it filters on. */
export interface DocumentReadUse {
  readonly stepId: string;
  readonly index: number;
  readonly document: string;
  readonly where: readonly string[];
  readonly before: readonly string[];
}

/** What the document checks read of a schema-valid runbook: plain data, kept by the validate cache. */
export interface DocumentUses {
  readonly commits: readonly DocumentCommitUse[];
  readonly reads: readonly DocumentReadUse[];
}

export function documentUses(runbook: Runbook): DocumentUses {
  const commits: DocumentCommitUse[] = [];
  const reads: DocumentReadUse[] = [];
  runbook.steps.forEach((step, index) => {
    if ('commit' in step) commits.push({ stepId: step.id, index, document: step.commit.document, keyFields: Object.keys(step.commit.key) });
    if ('previous' in step) {
      const { document, where, before } = step.previous;
      reads.push({ stepId: step.id, index, document, where: Object.keys(where ?? {}), before: Object.keys(before ?? {}) });
    }
  });
  return { commits, reads };
}

/** A problem found in one file's `previous` steps. */
export interface DocumentProblem {
  readonly file: string;
  readonly problem: { readonly code: 'RB_UNKNOWN_DOCUMENT' | 'RB_DOCUMENT_KEY_FIELD' | 'RB_DOCUMENT_KEY_MISMATCH'; readonly message: string; readonly pointer: string; readonly at?: 'key'; readonly related?: readonly { readonly message: string; readonly pointer: string; readonly file: string }[] };
}

interface UsesOf {
  readonly file: string;
  readonly documents?: DocumentUses;
}

/**
 * @param checked the runbooks whose problems are reported
 * @param known every runbook of the set that passed the schema (checked ones and references)
 */
export function checkDocumentReferences(checked: readonly UsesOf[], known: readonly UsesOf[]): DocumentProblem[] {
  const committed = new Map<string, { fields: Set<string>; first: { file: string; pointer: string } }>();
  for (const node of known) {
    for (const commit of node.documents?.commits ?? []) {
      const entry = committed.get(commit.document) ?? { fields: new Set<string>(), first: { file: node.file, pointer: `/steps/${commit.index}/commit/key` } };
      for (const field of commit.keyFields) entry.fields.add(field);
      committed.set(commit.document, entry);
    }
  }
  const problems: DocumentProblem[] = [...keyMismatches(checked, known)];
  for (const node of checked) {
    for (const read of node.documents?.reads ?? []) {
      const base = `/steps/${read.index}/previous`;
      const entry = committed.get(read.document);
      if (!entry) {
        problems.push({ file: node.file, problem: { code: 'RB_UNKNOWN_DOCUMENT', message: `step "${read.stepId}" reads document "${read.document}", which no runbook of the set commits${didYouMean(read.document, committed.keys())}`, pointer: `${base}/document` } });
        continue;
      }
      const fields = [...entry.fields].sort();
      const unknown = [...read.where.map((field) => ['where', field] as const), ...read.before.map((field) => ['before', field] as const)].filter(([, field]) => !entry.fields.has(field));
      for (const [part, field] of unknown) {
        problems.push({
          file: node.file,
          problem: {
            code: 'RB_DOCUMENT_KEY_FIELD',
            message: `step "${read.stepId}": "${field}" is not a key field of document "${read.document}" (its key fields: ${fields.join(', ')})${didYouMean(field, fields)}`,
            pointer: `${base}/${part}/${field}`,
            at: 'key',
            related: [{ message: `"${read.document}" is committed with this key`, pointer: entry.first.pointer, file: entry.first.file }],
          },
        });
      }
    }
  }
  return problems;
}

/** A key's fields as one comparable text. */
const fieldSet = (fields: readonly string[]): string => [...fields].sort().join('\u0000');

/** A checked commit whose key fields differ from another commit of the same document (the first such, in set order). */
function keyMismatches(checked: readonly UsesOf[], known: readonly UsesOf[]): DocumentProblem[] {
  type Entry = { readonly file: string; readonly commit: NonNullable<UsesOf['documents']>['commits'][number]; readonly fields: string };
  // Per document, its first commit and the first one keyed otherwise: the first differing from any key is one of them.
  const firsts = new Map<string, { first: Entry; otherwise?: Entry }>();
  for (const node of known) {
    for (const commit of node.documents?.commits ?? []) {
      const entry: Entry = { file: node.file, commit, fields: fieldSet(commit.keyFields) };
      const seen = firsts.get(commit.document);
      if (!seen) firsts.set(commit.document, { first: entry });
      else if (!seen.otherwise && seen.first.fields !== entry.fields) seen.otherwise = entry;
    }
  }
  const problems: DocumentProblem[] = [];
  for (const node of checked) {
    for (const commit of node.documents?.commits ?? []) {
      const seen = firsts.get(commit.document);
      const fields = fieldSet(commit.keyFields);
      const other = seen && (seen.first.fields !== fields ? seen.first : seen.otherwise);
      if (!other) continue;
      const list = (fields: readonly string[]): string => `{${[...fields].sort().join(', ')}}`;
      const where = other.file === node.file ? `step "${other.commit.stepId}"` : `step "${other.commit.stepId}" of ${other.file}`;
      problems.push({
        file: node.file,
        problem: {
          code: 'RB_DOCUMENT_KEY_MISMATCH',
          message: `step "${commit.stepId}" commits document "${commit.document}" keyed ${list(commit.keyFields)}, but ${where} keys it ${list(other.commit.keyFields)}: one document has one set of key fields (a previous step's where would miss the other committer's documents)`,
          pointer: `/steps/${commit.index}/commit/key`,
          at: 'key',
          related: [{ message: `"${commit.document}" is committed keyed ${list(other.commit.keyFields)} here`, pointer: `/steps/${other.commit.index}/commit/key`, file: other.file }],
        },
      });
    }
  }
  return problems;
}
