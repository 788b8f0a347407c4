/**
 * Generates N runbook files for bench/validate.bench.ts: variants of runbooks/*.yaml
 * with slugs, titles and step ids changed consistently (child slugs, goto targets and
 * $steps references follow), so every variant group validates like the originals.
 * Falls back to a built-in template when runbooks/ is empty.
 *
 *   npx tsx bench/generate-validate-inputs.ts <dir> [count]
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const TEMPLATE = `slug: bench-template
title: Bench template
input: { type: object, required: [entity], properties: { entity: { type: string } } }
steps:
  - id: first
    title: First
    timer: { duration: 1s }
  - id: second
    title: Second
    review:
      payload: '{% $steps.first %}'
      outcomes: { rejected: { goto: first } }
output: '{% $steps.second %}'
`;

/** Writes `count` variant files into `dir` and returns their paths. */
export function generateValidateInputs(dir: string, count: number, sourceDir = 'runbooks'): string[] {
  mkdirSync(dir, { recursive: true });
  let sources: string[] = [];
  try {
    sources = readdirSync(sourceDir).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => readFileSync(join(sourceDir, name), 'utf8'));
  } catch {
    // no runbooks/ yet
  }
  if (sources.length === 0) sources = [TEMPLATE];
  const originals = sources.map((text) => parse(text) as Record<string, unknown>);
  const slugs = originals.map((runbook) => String(runbook.slug));
  const files: string[] = [];
  for (let n = 0; files.length < count; n++) {
    originals.forEach((original, k) => {
      if (files.length >= count) return;
      const file = join(dir, `${slugs[k]}-v${n}.yaml`);
      writeFileSync(file, stringify(variant(original, n, slugs)));
      files.push(file);
    });
  }
  return files;
}

function variant(original: Record<string, unknown>, n: number, slugs: readonly string[]): unknown {
  const steps = Array.isArray(original.steps) ? (original.steps as { id: string }[]) : [];
  const ids = steps.map((step) => step.id).sort((a, b) => b.length - a.length);
  const renameText = (text: string): string =>
    ids.reduce((out, id) => out.replace(new RegExp(`\\$steps\\.${id}\\b`, 'g'), `$steps.${id}_v${n}`), text);
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      if (key === 'slug' || (key === 'runbook' && slugs.includes(value))) return `${value}-v${n}`;
      if ((key === 'id' || key === 'goto') && ids.includes(value)) return `${value}_v${n}`;
      if (key === 'title') return `${value} (variant ${n})`;
      return renameText(value);
    }
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(original);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) throw new Error('usage: npx tsx bench/generate-validate-inputs.ts <dir> [count]');
  console.log(`wrote ${generateValidateInputs(dir, Number(count ?? 1000)).length} files to ${dir}`);
}
