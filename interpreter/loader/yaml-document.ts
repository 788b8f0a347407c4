/**
 * YAML text → a plain JS value, with the structural checks a hostile or broken
 * file needs before anything else looks at it: syntax, several documents,
 * duplicate keys, alias bombs, nesting depth, forbidden keys, top-level mapping.
 */
import type { Alias, Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yamlLibrary } from './yaml-library.ts';

// `yaml` loads on first use (yaml-library.ts): the fast path parses valid files without it.
function isAlias(node: unknown): node is Alias { return yamlLibrary().isAlias(node); }
function isMap(node: unknown): node is YAMLMap { return yamlLibrary().isMap(node); }
function isScalar(node: unknown): node is Scalar { return yamlLibrary().isScalar(node); }
function isSeq(node: unknown): node is YAMLSeq { return yamlLibrary().isSeq(node); }
const parseAllDocuments: typeof import('yaml').parseAllDocuments = (...args: Parameters<typeof import('yaml').parseAllDocuments>) => yamlLibrary().parseAllDocuments(...args);
import type { Diagnostic, DiagnosticCode } from './diagnostic.ts';
import { isRecord } from './is-record.ts';
import { toPointer } from './json-pointer.ts';
import { SourceLocator } from './source-locator.ts';

/** Deepest nesting of mappings and sequences a runbook may have. */
export const MAX_DEPTH = 64;
/** Most alias expansions while converting (yaml's resource-exhaustion guard). */
export const MAX_ALIAS_COUNT = 100;
/** Keys that could reach an object's prototype when a consumer is careless. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface ParsedYaml {
  readonly locator: SourceLocator;
  /** Present when the document parsed and passed the structural checks. */
  readonly value?: Record<string, unknown>;
  readonly diagnostics: Diagnostic[];
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' } as const;

/** The first document of a text, with positions: what a locator needs to place diagnostics. */
export function parseFirstDocument(text: string): Document.Parsed | undefined {
  const documents = parseAllDocuments(text, PARSE_OPTIONS);
  return Array.isArray(documents) ? documents[0] : undefined;
}

/** Parses one runbook document and checks its structure. Never throws for bad input. */
export function parseRunbookYaml(file: string, text: string): ParsedYaml {
  const documents = parseAllDocuments(text, PARSE_OPTIONS);
  const first = Array.isArray(documents) ? documents[0] : undefined;
  const locator = new SourceLocator(file, text, first);
  const diagnostics: Diagnostic[] = [];
  const report = (code: DiagnosticCode, message: string, offset: number, pointer = '', severity: 'error' | 'warning' = 'error'): void => {
    diagnostics.push({ code, severity, message, pointer, file, ...locator.position(offset) });
  };
  if (!Array.isArray(documents) || !first || (first.contents === null && first.errors.length === 0)) {
    report('RB_EMPTY', 'file is empty: a runbook needs at least slug, title and steps', 0);
    return { locator, diagnostics };
  }
  for (const extra of documents.slice(1)) {
    report('RB_MULTIPLE_DOCUMENTS', 'file holds more than one YAML document; put each runbook in its own file', extra.range[0]);
  }
  for (const error of documents.flatMap((document) => document.errors)) {
    const code: DiagnosticCode = error.code === 'DUPLICATE_KEY' ? 'RB_DUPLICATE_KEY' : error.code === 'RESOURCE_EXHAUSTION' ? 'RB_TOO_DEEP' : 'RB_YAML_SYNTAX';
    const message = code === 'RB_TOO_DEEP' ? `nesting is too deep to parse (the limit is ${MAX_DEPTH} levels): ${error.message.split('\n')[0]}` : error.message.split('\n')[0];
    report(code, message, error.pos[0]);
  }
  for (const warning of first.warnings) report('RB_YAML_WARNING', warning.message.split('\n')[0], warning.pos[0], '', 'warning');
  if (diagnostics.some((d) => d.severity === 'error' && d.code !== 'RB_MULTIPLE_DOCUMENTS')) return { locator, diagnostics };

  if (!isMap(first.contents)) {
    const what = isSeq(first.contents) ? 'a list' : 'a single value';
    report('RB_NOT_MAPPING', `a runbook is a mapping (slug: ..., title: ..., steps: ...), not ${what}`, first.contents?.range?.[0] ?? 0);
    return { locator, diagnostics };
  }
  const structural = inspectTree(first);
  for (const problem of structural) report(problem.code, problem.message, problem.offset, problem.pointer);
  if (structural.length > 0 || diagnostics.some((d) => d.severity === 'error')) return { locator, diagnostics };

  try {
    const value: unknown = first.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    if (!isRecord(value)) {
      report('RB_NOT_MAPPING', 'a runbook is a mapping at the top level', 0);
      return { locator, diagnostics };
    }
    return { locator, value, diagnostics };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const firstAlias = findFirstAlias(first.contents);
    report('RB_ALIAS_LIMIT', `too many alias expansions (${message}); expand the anchors by hand`, firstAlias ?? 0);
    return { locator, diagnostics };
  }
}

interface StructuralProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly offset: number;
  readonly pointer: string;
}

/** One walk of the node tree: depth (following aliases through a height memo), forbidden keys, circular aliases. */
function inspectTree(document: Document.Parsed): StructuralProblem[] {
  const problems: StructuralProblem[] = [];
  const heights = new Map<Node, number>();
  const ancestors = new Set<Node>();
  const path: (string | number)[] = [];
  let tooDeepReported = false;

  const heightOf = (node: unknown, budget: number): number => {
    if (budget <= 0 || !node || typeof node !== 'object') return 0;
    const target = isAlias(node) ? (node.resolve(document) as Node | undefined) : (node as Node);
    if (!target || ancestors.has(target)) return 0;
    const known = heights.get(target);
    if (known !== undefined) return known;
    let height = 0;
    if (isMap(target)) for (const pair of target.items) height = Math.max(height, 1 + heightOf(pair.value, budget - 1));
    else if (isSeq(target)) for (const item of target.items) height = Math.max(height, 1 + heightOf(item, budget - 1));
    heights.set(target, height);
    return height;
  };

  const tooDeep = (node: Node): void => {
    if (tooDeepReported) return;
    tooDeepReported = true;
    problems.push({ code: 'RB_TOO_DEEP', message: `nesting is deeper than ${MAX_DEPTH} levels`, offset: node.range?.[0] ?? 0, pointer: toPointer(path) });
  };

  const walk = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object') return;
    if (isAlias(node)) {
      const target = node.resolve(document) as Node | undefined;
      if (target && ancestors.has(target)) {
        problems.push({ code: 'RB_ALIAS_LIMIT', message: `alias *${node.source} refers to a node that contains it (a circular structure)`, offset: node.range?.[0] ?? 0, pointer: toPointer(path) });
      } else if (target && depth + heightOf(target, MAX_DEPTH + 1) > MAX_DEPTH) {
        tooDeep(node);
      }
      return;
    }
    if (!isMap(node) && !isSeq(node)) return;
    if (depth > MAX_DEPTH) return tooDeep(node as Node);
    ancestors.add(node as Node);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && FORBIDDEN_KEYS.has(key)) {
          problems.push({ code: 'RB_FORBIDDEN_KEY', message: `key "${key}" is not allowed anywhere in a runbook`, offset: (pair.key as Node).range?.[0] ?? 0, pointer: toPointer([...path, key]) });
        }
        path.push(key ?? '?');
        walk(pair.value, depth + 1);
        path.pop();
      }
    } else {
      node.items.forEach((item, index) => {
        path.push(index);
        walk(item, depth + 1);
        path.pop();
      });
    }
    ancestors.delete(node as Node);
  };
  walk(document.contents, 1);
  return problems;
}

function findFirstAlias(node: unknown): number | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (isAlias(node)) return node.range?.[0];
  const children: unknown[] = isMap(node) ? node.items.map((pair) => pair.value) : isSeq(node) ? node.items : [];
  for (const child of children) {
    const found = findFirstAlias(child);
    if (found !== undefined) return found;
  }
  return undefined;
}
