/**
 * The live step ladder on stderr. On a terminal it is redrawn in place (marks, titles,
 * states, children nested under their step); otherwise each settled step is one plain line,
 * e.g. `✓ Open period  completed`. Runtime-agnostic: it reads run views and step notices
 * (./run-observer.ts).
 */
import type { StepStatus, StepView } from '../../core/index.ts';
import type { ObservedRuns, RunView, StepNotice } from './observed-runs.ts';

/** The mark shown before a step in every ladder (`runbook run`, `runbook status`). */
export const STATUS_MARKS: Record<StepStatus, string> = {
  pending: '·',
  running: '▶',
  waiting: '⏸',
  completed: '✓',
  failed: '✗',
  skipped: '–',
};

export interface Output {
  write(text: string): unknown;
}

export class StepLadder {
  private drawn = 0;
  private scheduled = false;

  constructor(
    private readonly runs: Pick<ObservedRuns, 'view'>,
    private readonly rootRunId: string,
    private readonly out: Output,
    private readonly live: boolean,
  ) {}

  /** A step changed state: a redraw on a terminal, a line otherwise. */
  notice(notice: StepNotice): void {
    if (this.live) this.scheduleRedraw();
    else this.printLine(notice);
  }

  /** A change with no line of its own: a redraw on a terminal. */
  changed(): void {
    if (this.live) this.scheduleRedraw();
  }

  /** Draws the ladder now (terminal only); call before prompting and at the end. */
  flush(): void {
    if (!this.live) return;
    this.scheduled = false;
    const lines = this.lines(this.rootRunId, 0);
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A\x1b[0J` : '';
    this.out.write(up + lines.map((line) => `${line}\n`).join(''));
    this.drawn = lines.length;
  }

  /** Forgets what was drawn, so the next redraw starts below whatever was printed since (a prompt). */
  detach(): void {
    this.drawn = 0;
  }

  private scheduleRedraw(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Several changes arrive in one turn; draw once for all of them.
    setImmediate(() => {
      if (this.scheduled) this.flush();
    });
  }

  private lines(runId: string, depth: number): string[] {
    const run = this.runs.view(runId);
    if (!run) return [];
    const indent = '  '.repeat(depth);
    const lines: string[] = [];
    for (const step of run.steps) {
      lines.push(`${indent}${STATUS_MARKS[step.status]} ${step.title}  ${stateOf(run, step)}`);
      for (const child of step.children ?? []) {
        lines.push(`${indent}  ${child.status === 'completed' ? '✓' : child.status === 'failed' ? '✗' : '▶'} ${child.title} [${child.id}]  ${child.status}`);
        if (child.status !== 'completed') lines.push(...this.lines(child.run_id, depth + 2));
      }
    }
    return lines;
  }

  private printLine(notice: StepNotice): void {
    const { runId, title } = notice;
    const depth = runId === this.rootRunId ? 0 : runId.split('/').length - 1;
    const where = runId === this.rootRunId ? '' : `${childLabel(runId)} › `;
    const prefix = '  '.repeat(Math.ceil(depth / 2));
    const line = (mark: string, state: string) => this.out.write(`${prefix}${mark} ${where}${title}  ${state}\n`);
    switch (notice.kind) {
      case 'completed':
        return void line(STATUS_MARKS.completed, 'completed');
      case 'failed':
        return void line(STATUS_MARKS.failed, notice.errorType ? `failed (${notice.errorType})` : 'failed');
      case 'skipped':
        return void line(STATUS_MARKS.skipped, 'skipped');
      case 'waiting':
        return void line(STATUS_MARKS.waiting, `waiting (${notice.action})`);
      case 'retrying':
        return void line('↻', `retrying (attempt ${notice.attempt} failed: ${notice.errorType})`);
    }
  }
}

function stateOf(run: RunView, step: StepView): string {
  if (step.status === 'waiting' && run.pending?.step === step.id) return `waiting (${run.pending.action})`;
  return step.status;
}

/** `parent/step/0` → `step[0]`: the child's id as shown under its parent step. */
function childLabel(runId: string): string {
  const parts = runId.split('/');
  const index = parts.at(-1);
  const step = (parts.at(-2) ?? '').replace(/\.[0-9]+$/, '');
  return `${step}[${index}]`;
}
