/**
 * A step kind's part of the published runbook schema (schema/runbook.schema.json, generated from the
 * format's zod source by scripts/generate-schema.ts): `$defs.CallStep`, `$defs.ReviewStep`, ... with
 * the same `description`s editor completion shows. The form gets the kind's fields minus the ones
 * the panel edits itself (id, title, icon); fields the schema leaves open (`args`, `payload`,
 * `display_hint`, JSON Schemas) are edited as YAML text, and the options of a choice get titles.
 */
import runbookSchema from '../../../../schema/runbook.schema.json' with { type: 'json' };
import type { StepOutline } from '../../shared/api/index.ts';

export type StepKind = NonNullable<StepOutline['kind']>;

type Node = Readonly<Record<string, unknown>>;
type MutableNode = Record<string, unknown>;

const DEFS = (runbookSchema as unknown as { readonly $defs: Readonly<Record<string, Node>> }).$defs;

const DEF_OF_KIND: Readonly<Record<StepKind, string>> = { call: 'CallStep', review: 'ReviewStep', wait: 'WaitStep', child: 'ChildStep', timer: 'TimerStep', commit: 'CommitStep', previous: 'PreviousStep', agent: 'AgentStep' };

/** Fields the panel edits with its own controls. */
export const PANEL_FIELDS: readonly string[] = ['id', 'title', 'icon'];

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

const resolve = (node: Node): Node => {
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return DEFS[ref.slice('#/$defs/'.length)] ?? node;
  return node;
};

/** A value the schema leaves open: any JSON (no type), or a mapping of free keys (a JSON Schema, `input`). */
function isOpen(node: Node): boolean {
  const target = resolve(node);
  if (target.anyOf || target.oneOf || target.allOf || target.enum || 'const' in target) return false;
  if (target.type === undefined) return true;
  return target.type === 'object' && !isNode(target.properties);
}

const optionTitle = (option: Node): string => {
  const target = resolve(option);
  if (typeof target.title === 'string') return target.title;
  if (target.type === 'boolean') return 'Always or never (true / false)';
  const text = typeof target.description === 'string' ? target.description : typeof target.type === 'string' ? target.type : 'Option';
  if (/^A JSONata expression/.test(text)) return 'An expression {% … %}';
  return text.split(/[.;:](?:\s|$)/)[0]?.trim() || text;
};

/** `max_attempts` → `Max attempts` (as the shared form does for fields without a title). */
const humanize = (name: string): string => {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The schema with titled choice options, every `$ref` left to rjsf (the `$defs` go along). */
function titled(node: Node, depth = 0): Node {
  if (depth > 16) return node;
  const out: MutableNode = { ...node };
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = node[key];
    if (Array.isArray(options)) out[key] = options.map((option: unknown) => (isNode(option) ? { ...titled(option, depth + 1), title: optionTitle(option) } : option));
  }
  if (isNode(node.properties)) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([name, child]) => {
      if (!isNode(child)) return [name, child];
      const inner = titled(child, depth + 1);
      // A `$ref` keeps its siblings in draft 2020-12, so the title shows on referenced fields too.
      return [name, typeof inner.title === 'string' ? inner : { ...inner, title: humanize(name) }];
    }));
  }
  if (isNode(node.items)) out.items = titled(node.items, depth + 1);
  return out;
}

/** rjsf's uiSchema: open values as YAML text (rjsf has no editor for "any JSON"), walking into `$ref`s. */
function uiOf(node: Node, depth = 0): MutableNode {
  const ui: MutableNode = {};
  if (depth > 8) return ui;
  const target = resolve(node);
  if (isNode(target.properties)) {
    for (const [name, child] of Object.entries(target.properties)) {
      if (!isNode(child)) continue;
      if (isOpen(child)) ui[name] = { 'ui:field': 'yamlValue' };
      else {
        const nested = uiOf(child, depth + 1);
        if (Object.keys(nested).length) ui[name] = nested;
      }
    }
  }
  if (isNode(target.items)) {
    const items = isOpen(target.items) ? { 'ui:field': 'yamlValue' } : uiOf(target.items, depth + 1);
    if (Object.keys(items).length) ui.items = items;
  }
  return ui;
}

export interface StepFormSchema {
  readonly schema: Node;
  readonly uiSchema: Node;
  /** The kind's own description ("A step where a person reviews."). */
  readonly description: string | null;
}

const cache = new Map<StepKind, StepFormSchema>();

/** The form of a step kind: its schema without the panel's own fields, and the uiSchema to go with it. */
export function stepFormSchema(kind: StepKind): StepFormSchema {
  const cached = cache.get(kind);
  if (cached) return cached;
  const def = DEFS[DEF_OF_KIND[kind]] ?? {};
  const properties = isNode(def.properties) ? def.properties : {};
  const kept = Object.fromEntries(Object.entries(properties).filter(([name]) => !PANEL_FIELDS.includes(name)));
  const required = Array.isArray(def.required) ? def.required.filter((name: unknown) => typeof name === 'string' && !PANEL_FIELDS.includes(name)) : [];
  const schema = titled({ type: 'object', properties: kept, required, additionalProperties: false });
  const defs = Object.fromEntries(Object.entries(DEFS).map(([name, node]) => [name, titled(node)]));
  const form: StepFormSchema = {
    schema: { ...schema, $defs: defs },
    uiSchema: { ...uiOf(schema), 'ui:order': ['description', 'when', kind, '*'] },
    description: typeof def.description === 'string' ? def.description : null,
  };
  cache.set(kind, form);
  return form;
}

/** The description of one of the panel's own fields (title, icon, id), from the same schema. */
export function fieldDescription(kind: StepKind, field: string): string | null {
  const def = DEFS[DEF_OF_KIND[kind]];
  const properties = def && isNode(def.properties) ? def.properties : {};
  const node = properties[field];
  return isNode(node) && typeof node.description === 'string' ? node.description : null;
}
