/** `insert`: a new step from a template, written in the file's own indentation and quoting. Pure. */
import { isMap, isScalar } from 'yaml';
import { didYouMean } from '../loader/did-you-mean.ts';
import type { EditResult, StepPosition } from './edit-types.ts';
import { isTextRefusal, resolvePosition, stepIds } from './find-step.ts';
import { checkNewStepId } from './new-step-check.ts';
import { freeStepId } from './new-step-id.ts';
import { isRefusal, readRunbookText, type RunbookText } from './runbook-text.ts';
import { pasteAt, splice } from './step-splice.ts';
import { STEP_TEMPLATES, templateStep } from './step-templates.ts';
import { textStyle } from './text-style.ts';
import { renderStepItem } from './yaml-render.ts';

/**
 * Inserts a step made from template `template` at `at`, with id `id` (default `<template>_<n>`).
 *
 * @example
 * insertStep(text, 'review', { before: 'commit_trial_balance' })
 */
export function insertStep(text: string, template: string, at: StepPosition, id?: string): EditResult {
  const source = readRunbookText(text);
  if (isRefusal(source)) return { ok: false, ...source };
  const chosen = STEP_TEMPLATES.find((candidate) => candidate.name === template);
  if (!chosen) {
    const names = STEP_TEMPLATES.map((candidate) => candidate.name);
    return { ok: false, code: 'EDIT_TEMPLATE_UNKNOWN', message: `no step template "${template}"${didYouMean(template, names)}; the templates are ${names.join(', ')}` };
  }
  const taken = stepIds(source);
  const problem = id === undefined ? undefined : checkNewStepId(id, taken);
  if (problem) return { ok: false, ...problem };
  const target = resolvePosition(source, at, null);
  if (isTextRefusal(target)) return { ok: false, ...target };
  const newId = id ?? freeStepId(chosen.name, taken);
  const previousStep = source.blocks[target.index - 1]?.id ?? null;
  const step = templateStep(chosen, newId, { previousStep, signals: declaredSignals(source), documents: committedDocuments(source) });
  const lines = renderStepItem(step, textStyle(source), source.dashColumn, source.eol);
  return { ok: true, text: splice(source, null, pasteAt(source, source.blocks, target.index, target.after, lines)) };
}

/** The documents the runbook's `commit` steps name, in order. */
function committedDocuments(source: RunbookText): string[] {
  return source.blocks.flatMap((block) => {
    const commit = isMap(block.node) ? block.node.get('commit') : undefined;
    const document = isMap(commit) ? commit.get('document') : undefined;
    return typeof document === 'string' ? [document] : [];
  });
}

function declaredSignals(source: RunbookText): string[] {
  const signals = isMap(source.document.contents) ? source.document.contents.get('signals') : undefined;
  if (!isMap(signals)) return [];
  return signals.items.flatMap((pair) => (isScalar(pair.key) && typeof pair.key.value === 'string' ? [pair.key.value] : []));
}
