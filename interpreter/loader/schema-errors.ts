/**
 * Ajv errors → diagnostics. Ajv reports every branch of an `anyOf`; we keep the
 * branch that best fits the data (the step-kind `anyOf` is resolved before this,
 * from the step's kind key), then give each keyword a stable code.
 */
import type { ErrorObject } from 'ajv';
import type { DiagnosticCode, PendingDiagnostic } from './diagnostic.ts';
import { closestMatch, didYouMean } from './did-you-mean.ts';
import { fromPointer, joinPointer } from './json-pointer.ts';

/** Extra did-you-mean candidates for unknown keys, e.g. the keys of sibling anyOf branches. */
type KeyHints = Map<ErrorObject, string[]>;

/** Converts ajv errors (verbose mode) to pending diagnostics, one per real problem. */
export function diagnosticsFromAjv(errors: readonly ErrorObject[], extraKeys: readonly string[] = []): PendingDiagnostic[] {
  const hints: KeyHints = new Map();
  const kept = pruneAnyOf(errors, hints);
  const innerNameErrors = new Set(kept.filter((e) => e.propertyName !== undefined && e.keyword !== 'propertyNames'));
  return kept.filter((e) => !innerNameErrors.has(e)).map((e) => toDiagnostic(e, kept, [...(hints.get(e) ?? []), ...extraKeys]));
}

function pruneAnyOf(errors: readonly ErrorObject[], hints: KeyHints): ErrorObject[] {
  const remaining = new Set(errors);
  const anyOfs = errors
    .filter((e) => e.keyword === 'anyOf')
    .sort((a, b) => depthOf(a.instancePath) - depthOf(b.instancePath) || a.schemaPath.length - b.schemaPath.length);
  for (const anyOf of anyOfs) {
    if (!remaining.has(anyOf)) continue;
    const branches = new Map<number, ErrorObject[]>();
    for (const e of remaining) {
      if (e === anyOf || !within(e.instancePath, anyOf.instancePath) || !e.schemaPath.startsWith(anyOf.schemaPath + '/')) continue;
      const index = Number(e.schemaPath.slice(anyOf.schemaPath.length + 1).split('/')[0]);
      if (!branches.has(index)) branches.set(index, []);
      branches.get(index)!.push(e);
    }
    if (branches.size === 0) continue;
    remaining.delete(anyOf);
    const best = chooseBranch(anyOf, branches);
    const siblingKeys = branchKeys(anyOf.schema);
    for (const [index, branchErrors] of branches) {
      for (const e of branchErrors) {
        if (index !== best) remaining.delete(e);
        else if (e.keyword === 'additionalProperties') hints.set(e, siblingKeys);
      }
    }
  }
  return errors.filter((e) => remaining.has(e));
}

/** Prefers a branch whose type matches, then the one that got deepest into the data, then one a typo'd key fits, then fewest errors. */
function chooseBranch(anyOf: ErrorObject, branches: Map<number, ErrorObject[]>): number {
  const score = (index: number, errors: ErrorObject[]): number[] => {
    const typeMismatch = errors.some((e) => e.keyword === 'type' && e.instancePath === anyOf.instancePath) ? 1 : 0;
    const depth = Math.max(...errors.map((e) => depthOf(e.instancePath)));
    const ownKeys = branchKeys((Array.isArray(anyOf.schema) ? anyOf.schema : [])[index]);
    const typoFits = errors.filter((e) => e.keyword === 'additionalProperties' && closestMatch(String(e.params.additionalProperty), ownKeys) !== undefined).length;
    return [typeMismatch, -depth, -typoFits, errors.length, index];
  };
  const ranked = [...branches].map(([index, errors]) => ({ index, score: score(index, errors) }));
  ranked.sort((a, b) => compareScores(a.score, b.score));
  return ranked[0].index;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Property names of a schema or of every branch of an anyOf array. */
function branchKeys(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap((branch) => branchKeys(branch));
  if (schema && typeof schema === 'object' && 'properties' in schema && schema.properties && typeof schema.properties === 'object') {
    return Object.keys(schema.properties);
  }
  return [];
}

function toDiagnostic(e: ErrorObject, all: readonly ErrorObject[], extraKeys: string[]): PendingDiagnostic {
  const where = describePath(e.instancePath);
  const make = (code: DiagnosticCode, message: string, pointer = e.instancePath, at: 'key' | 'value' = 'value'): PendingDiagnostic => ({ code, message, pointer, at });
  const description = schemaDescription(e.parentSchema);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = [...new Set([...branchKeys(e.parentSchema), ...extraKeys])];
      const hint = didYouMean(key, allowed);
      const list = hint ? '' : ` (allowed: ${branchKeys(e.parentSchema).join(', ')})`;
      return make('RB_UNKNOWN_KEY', `unknown key "${key}" in ${where}${hint}${list}`, joinPointer(e.instancePath, key), 'key');
    }
    case 'required':
      return make('RB_SCHEMA_REQUIRED', `${where} is missing required property "${String(e.params.missingProperty)}"`, e.instancePath, 'key');
    case 'type':
      return make('RB_SCHEMA_TYPE', `${where} must be ${article(String(e.params.type))}, not ${typeName(e.data)}`);
    case 'pattern':
      return make('RB_SCHEMA_PATTERN', `${where} ${JSON.stringify(e.data)} is not valid: ${description ?? `it must match ${String(e.params.pattern)}`}`);
    case 'enum':
    case 'const': {
      const allowed: unknown[] = e.keyword === 'enum' ? (e.params.allowedValues as unknown[]) : [e.params.allowedValue];
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed.map(String)) : '';
      return make('RB_SCHEMA_ENUM', `${where} must be ${allowed.map((v) => JSON.stringify(v)).join(' or ')}, not ${JSON.stringify(e.data)}${hint}`);
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minProperties':
    case 'maxProperties':
    case 'multipleOf':
      return make('RB_SCHEMA_RANGE', `${where} ${e.message ?? 'is out of range'}`);
    case 'propertyNames': {
      const name = String(e.params.propertyName);
      const inner = all.find((other) => other.propertyName === name && other.instancePath === e.instancePath && other !== e);
      const why = schemaDescription(inner?.parentSchema) ?? inner?.message ?? 'invalid name';
      return make('RB_SCHEMA_KEY_PATTERN', `key "${name}" in ${where} is not valid: ${why}`, joinPointer(e.instancePath, name), 'key');
    }
    default:
      return make('RB_SCHEMA', `${where} ${e.message ?? 'is invalid'}`);
  }
}

/** `/steps/0/call/args` → `steps[0].call.args`; the root is "the runbook". */
export function describePath(pointer: string): string {
  const segments = fromPointer(pointer);
  if (segments.length === 0) return 'the runbook';
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function schemaDescription(schema: unknown): string | undefined {
  if (schema && typeof schema === 'object' && 'description' in schema && typeof schema.description === 'string') return schema.description;
  return undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return article(typeof value);
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean (true/false)', null: 'null' };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}

function depthOf(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length - 1;
}

function within(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(ancestor + '/');
}
