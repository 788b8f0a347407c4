/**
 * Checks run inputs, signal payloads and review corrections against the schemas the
 * runbook declares. Compiled once per distinct schema text, so runs whose definition was
 * deserialized again (every Temporal run, every replay) reuse it. Sandbox-safe (ajv only).
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

type AjvInstance = { compile(schema: object): ValidateFunction };
type AjvConstructor = new (options: Record<string, unknown>) => AjvInstance;

// ajv is CommonJS: under Node ESM the default import is the class, under a bundler it is the namespace.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvConstructor }).default ?? Ajv2020Module) as unknown as AjvConstructor;

let ajv: AjvInstance | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    // addUsedSchema: false — two runbooks may declare schemas with the same $id.
    ajv ??= new Ajv2020({ strict: false, allErrors: true, validateFormats: false, addUsedSchema: false });
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${offendingKey(e)}`).join('; ');
}

/** ajv names an unexpected property only in its params: say which. */
function offendingKey(error: ErrorObject): string {
  const key = (error.params as { additionalProperty?: unknown }).additionalProperty;
  return typeof key === 'string' ? `: "${key}"` : '';
}

/** Returns null when `value` satisfies `schema` (or there is no schema), else a readable list of problems. */
export function checkAgainstSchema(schema: object | undefined, value: unknown): string | null {
  if (!schema) return null;
  const validate = validatorFor(schema);
  return validate(value) ? null : describe(validate.errors);
}
