/**
 * The definitions a Temporal test worker serves, filled while it runs: each case registers its
 * runbooks before its run starts. Two cases that define the same slug differently take turns
 * (the second starts once the first run is over), so a child resolved by slug at dispatch
 * always gets its own case's definition.
 */
import type { DefinitionSource, ResolvedDefinition } from '../runtime/definition-source.ts';

interface Entry {
  definition: ResolvedDefinition;
  users: number;
  released: Promise<void>;
  release: () => void;
}

export class CaseDefinitions implements DefinitionSource {
  private readonly bySlug = new Map<string, Entry>();

  resolve(slug: string): ResolvedDefinition | undefined {
    return this.bySlug.get(slug)?.definition;
  }

  slugs(): string[] {
    return [...this.bySlug.keys()].sort();
  }

  /** Registers `definitions` for one run; waits while another run holds a slug with other content. Resolves to the release. */
  async acquire(definitions: readonly ResolvedDefinition[]): Promise<() => void> {
    for (;;) {
      const conflict = definitions
        .map((definition) => this.bySlug.get(definition.runbook.slug)?.definition.hash !== definition.hash ? this.bySlug.get(definition.runbook.slug) : undefined)
        .find((entry) => entry !== undefined && entry.users > 0);
      if (!conflict) break;
      await conflict.released;
    }
    const held: Entry[] = [];
    for (const definition of definitions) {
      let entry = this.bySlug.get(definition.runbook.slug);
      if (!entry || entry.definition.hash !== definition.hash) {
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        entry = { definition, users: 0, released, release };
        this.bySlug.set(definition.runbook.slug, entry);
      }
      entry.users += 1;
      held.push(entry);
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const entry of held) if (--entry.users === 0) entry.release();
    };
  }
}
