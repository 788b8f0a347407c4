/** Runbooks for the graph tests: the examples under runbooks/, and inline ones loaded as a user's would be. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runbook } from '../../interpreter/format/index.ts';
import { formatDiagnosticsPretty, loadRunbookSource } from '../../interpreter/loader/index.ts';
import { ROOT } from '../support/run-cli.ts';

/** Loads YAML text as a validated runbook (no handler checks); a problem fails the test with its diagnostics. */
export function loadRunbook(text: string, file = 'inline.yaml'): Runbook {
  const result = loadRunbookSource(text, file);
  if (!result.ok) throw new Error(formatDiagnosticsPretty(result.diagnostics));
  return result.runbook.runbook;
}

/** One of the example runbooks under runbooks/. */
export function exampleRunbook(slug: string): Runbook {
  const file = join(ROOT, 'runbooks', `${slug}.yaml`);
  return loadRunbook(readFileSync(file, 'utf8'), file);
}

/** Every edge kind at least once: a `when`, review outcomes with all three transitions and a deadline, error routes, a wait deadline, a fan-out. */
export const EVERY_EDGE = `
slug: every-edge
title: Every edge
signals:
  ready: {}
steps:
  - id: prepare
    title: Prepare
    icon: Wrench
    call:
      handler: util.echo
      args: { value: 1 }
      on_error:
        - type: BAD_INPUT
          then: { fail: 'Bad input: {% $result.error.message %}' }
        - then: continue
  - id: await_ready
    title: Wait until ready
    icon: Hourglass
    wait:
      signal: ready
      action: awaiting_ready
      deadline: { after: 2h, then: { goto: prepare } }
  - id: fan_out
    title: Process items
    child:
      runbook: child-book
      for_each: '{% [1, 2, 3] %}'
      concurrency: 2
      on_error:
        - type: ITEM_FAILED
          then: { goto: await_ready }
  - id: one_child
    title: One child
    child: { runbook: child-book }
  - id: decide
    title: Decide
    icon: ClipboardCheck
    when: '{% $steps.prepare.value = 1 %}'
    review:
      outcomes:
        approved: continue
        rejected: { goto: prepare }
        corrected: { fail: Corrections are not accepted }
      deadline: { after: 1d, outcome: approved }
  - id: pause
    title: Pause
    timer: { duration: 5m }
`;
