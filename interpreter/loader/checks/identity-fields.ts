/**
 * RB_IDENTITY_UNKNOWN_FIELD: the runbook's `identity` names properties of its input schema
 * (the console shows those input fields in the inbox and on the run page; a misspelt one would
 * silently show nothing).
 */
import { didYouMean } from '../did-you-mean.ts';
import type { RunbookCheck } from './check-api.ts';

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The property names the input schema declares at its top level (and in a top-level `allOf`),
 * or null when the schema composes in ways this check does not follow (`$ref`, `anyOf`, `oneOf`,
 * `patternProperties`, `additionalProperties` with a schema): then nothing is reported.
 */
function declaredProperties(schema: unknown): Set<string> | null {
  if (schema === undefined) return new Set();
  if (!isObject(schema)) return null;
  if ('$ref' in schema || 'anyOf' in schema || 'oneOf' in schema || 'patternProperties' in schema || isObject(schema.additionalProperties)) return null;
  const names = new Set(isObject(schema.properties) ? Object.keys(schema.properties) : []);
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      const inner = declaredProperties(part);
      if (inner === null) return null;
      for (const name of inner) names.add(name);
    }
  }
  return names;
}

export const identityFields: RunbookCheck = {
  name: 'identity-fields',
  check({ runbook, report }) {
    if (!runbook.identity) return;
    const declared = declaredProperties(runbook.input);
    if (declared === null) return;
    runbook.identity.forEach((field, index) => {
      if (declared.has(field)) return;
      const known = declared.size > 0 ? `its properties: ${[...declared].join(', ')}` : runbook.input === undefined ? 'the runbook declares no input' : 'the input schema declares no properties';
      report({
        code: 'RB_IDENTITY_UNKNOWN_FIELD',
        message: `identity names "${field}", which is not a property of the input schema${didYouMean(field, declared)} (${known})`,
        pointer: `/identity/${index}`,
        ...(runbook.input === undefined ? {} : { related: [{ message: 'the input schema is defined here', pointer: '/input' }] }),
      });
    });
  },
};
