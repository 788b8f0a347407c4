/**
 * The steps `insert` can add: one per step kind, each a step that validates as inserted (the
 * review is the common "review before a commit": it shows the step before it). Pure.
 */
import type { StepTemplate } from './edit-types.ts';

/** What a template's body may look at: the runbook it goes into. */
export interface TemplateContext {
  /** The id of the step that will run right before the new one, if any. */
  readonly previousStep: string | null;
  /** Signals the runbook declares, in order. */
  readonly signals: readonly string[];
  /** Documents the runbook commits (its `commit` steps' `document`), in order. */
  readonly documents: readonly string[];
}

export const STEP_TEMPLATES: readonly StepTemplate[] = [
  { name: 'call', kind: 'call', label: 'Call a handler', description: 'Calls a handler with arguments (util.echo as a placeholder: name your own handler).' },
  {
    name: 'review',
    kind: 'review',
    label: 'Review before going on',
    description: 'A person approves or rejects what the step before it produced; a rejection needs a comment and fails the run.',
  },
  { name: 'wait', kind: 'wait', label: 'Wait for a signal', description: "Waits for a signal the runbook declares (its first one), advertising a pending action." },
  { name: 'child', kind: 'child', label: 'Run a child runbook', description: 'Runs another runbook by slug with this run\'s input (child-runbook as a placeholder).' },
  { name: 'timer', kind: 'timer', label: 'Wait a while', description: 'Sleeps for a duration (1h) on the runtime\'s clock.' },
  {
    name: 'commit',
    kind: 'commit',
    label: 'Commit a document',
    description: 'Stores what the step before it produced as a new version of a named document (document_name and a key field as placeholders: name your own).',
  },
  {
    name: 'previous',
    kind: 'previous',
    label: 'Read a committed document',
    description: 'Reads the latest committed version of a document (the first one this runbook commits), or found: false on a first run.',
  },
  {
    name: 'agent',
    kind: 'agent',
    label: 'Ask an agent',
    description: 'Invokes a registered agent (A2A or MCP) with the step before it as input (agent_name as a placeholder: name your own, registered under agents/).',
  },
];

/** The step a template makes, with `id`, in key order as a person would write it. */
export function templateStep(template: StepTemplate, id: string, context: TemplateContext): Record<string, unknown> {
  switch (template.kind) {
    case 'call':
      return { id, title: 'Call a handler', icon: 'Play', call: { handler: 'util.echo', args: { value: 'replace me' } } };
    case 'review':
      return {
        id,
        title: 'Review',
        icon: 'ClipboardCheck',
        review: {
          action: id,
          payload: context.previousStep ? `{% $steps.${context.previousStep} %}` : '{% $input %}',
          reason: context.previousStep ? `Review the result of ${context.previousStep} before going on` : 'Review the input before going on',
          comment_required: ['rejected'],
          outcomes: { approved: 'continue', rejected: { fail: 'Rejected at review: {% $result.comment %}' } },
        },
      };
    case 'wait': {
      const signal = context.signals[0] ?? 'signal_name';
      return { id, title: 'Wait for a signal', icon: 'Hourglass', wait: { signal, action: `awaiting_${signal}`, reason: `Waiting for ${signal}` } };
    }
    case 'child':
      return { id, title: 'Run a child runbook', icon: 'Workflow', child: { runbook: 'child-runbook', input: '{% $input %}' } };
    case 'timer':
      return { id, title: 'Wait a while', icon: 'Timer', timer: { duration: '1h' } };
    case 'commit':
      return {
        id,
        title: 'Commit a document',
        icon: 'BookCheck',
        commit: { document: 'document_name', key: { name: 'replace-me' }, value: context.previousStep ? `{% $steps.${context.previousStep} %}` : '{% $input %}' },
      };
    case 'previous':
      return { id, title: 'Read a committed document', icon: 'History', previous: { document: context.documents[0] ?? 'document_name' } };
    case 'agent':
      return { id, title: 'Ask an agent', icon: 'Bot', agent: { name: 'agent_name', input: context.previousStep ? `{% $steps.${context.previousStep} %}` : '{% $input %}', timeout: '5m' } };
  }
}
