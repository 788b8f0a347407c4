/**
 * The Ajv 2020-12 class. ajv is CommonJS: under Node ESM the default import is the
 * class itself, under TypeScript's nodenext typing it is the module namespace.
 */
import Ajv2020Module from 'ajv/dist/2020.js';

export type Ajv = InstanceType<typeof Ajv2020Module.Ajv2020>;
type AjvOptions = ConstructorParameters<typeof Ajv2020Module.Ajv2020>[0];

const AjvClass = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as new (options?: AjvOptions) => Ajv;

/** A new Ajv instance for draft 2020-12. */
export function createAjv(options: AjvOptions): Ajv {
  return new AjvClass(options);
}
