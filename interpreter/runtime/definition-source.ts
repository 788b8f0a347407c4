/** Where a runtime finds runbook definitions by slug. */
import type { Runbook } from '../format/runbook-format.ts';
import type { ExpressionLocation } from '../expressions/expression-locations.ts';

export interface ResolvedDefinition {
  readonly runbook: Runbook;
  /** Content hash of the definition's source. */
  readonly hash: string;
  /** Where its expressions are in its file (loader/expression-locations.ts), for failure messages. */
  readonly expressionLocations?: readonly ExpressionLocation[];
}

export interface DefinitionSource {
  resolve(slug: string): ResolvedDefinition | undefined;
  slugs(): string[];
}

/** A fixed set of definitions. */
export class StaticDefinitions implements DefinitionSource {
  private readonly bySlug = new Map<string, ResolvedDefinition>();

  constructor(definitions: Iterable<ResolvedDefinition>) {
    for (const definition of definitions) this.bySlug.set(definition.runbook.slug, definition);
  }

  resolve(slug: string): ResolvedDefinition | undefined {
    return this.bySlug.get(slug);
  }

  slugs(): string[] {
    return [...this.bySlug.keys()].sort();
  }
}
