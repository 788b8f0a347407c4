/**
 * The texts the editing tests run on: every runbook under runbooks/, every YAML file under
 * test/cases/, and generated variants of each that parses (4-space indentation, `- ` not
 * indented under its key, CRLF, no final newline, comments everywhere, flow-style steps, block
 * scalars). Variants are written by the `yaml` package, so each is a well-formed file in its own style.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';

export interface CorpusText {
  /** Where it comes from: the file, and the variant after a `#`. */
  readonly name: string;
  readonly file: string;
  readonly text: string;
  /** The original validates (with the project's handlers for runbooks/). */
  readonly variant: string | null;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry.name) ? [path] : [];
    })
    .sort();
}

export const RUNBOOK_FILES = yamlFiles('runbooks');
export const CASE_FILES = yamlFiles('test/cases');

const STRINGIFY = { lineWidth: 0 } as const;

function parsed(text: string): Document.Parsed | undefined {
  const document = parseDocument(text, { uniqueKeys: true });
  return document.errors.length === 0 && document.warnings.length === 0 && isMap(document.contents) ? document : undefined;
}

function stepsOf(document: Document): unknown[] {
  const steps = document.get('steps', true);
  return isSeq(steps) ? steps.items : [];
}

/** The variants of a text, by name. */
export function variantsOf(text: string): Record<string, string> {
  if (!parsed(text)) return {};
  const make = (change: (document: Document.Parsed) => void, options: Record<string, unknown> = {}): string => {
    const document = parsed(text);
    if (!document) return text;
    change(document);
    return document.toString({ ...STRINGIFY, ...options });
  };
  return {
    'four-space': make(() => {}, { indent: 4 }),
    'unindented-dash': make(() => {}, { indentSeq: false }),
    crlf: text.replace(/\r?\n/g, '\r\n'),
    'no-final-newline': text.replace(/(\r?\n)+$/, ''),
    'comments-everywhere': make((document) => {
      stepsOf(document).forEach((step, index) => {
        if (isMap(step)) {
          step.commentBefore = ` step ${index + 1}\n what it is for`;
          for (const pair of step.items) if (isScalar(pair.value)) pair.value.comment = ` about ${String((pair.key as { value?: unknown }).value)}`;
        }
      });
      document.commentBefore = ' a runbook with comments everywhere';
    }),
    'flow-steps': make((document) => {
      for (const step of stepsOf(document)) if (isMap(step)) step.flow = true;
    }),
    'block-scalars': make((document) => {
      visit(document, {
        Scalar(key, scalar) {
          if (key === 'value' && typeof scalar.value === 'string' && scalar.value.length > 24) scalar.type = 'BLOCK_LITERAL';
        },
      });
    }),
  };
}

/** The inline runbooks of the case files (`runbook: {...}`), each written out as a runbook file. */
export function caseRunbooks(files: readonly string[]): CorpusText[] {
  return files.flatMap((file) => {
    const document = parsed(readFileSync(file, 'utf8'));
    const runbook = document?.get('runbook', true);
    if (!document || !isMap(runbook)) return [];
    const text = new Document(runbook).toString(STRINGIFY);
    return [{ name: `${file}#runbook`, file, text, variant: 'case runbook' }];
  });
}

/** Every corpus text: originals, then their variants. */
export function corpus(files: readonly string[]): CorpusText[] {
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const variants = Object.entries(variantsOf(text)).map(([variant, variantText]) => ({ name: `${file}#${variant}`, file, text: variantText, variant }));
    return [{ name: file, file, text, variant: null }, ...variants];
  });
}
