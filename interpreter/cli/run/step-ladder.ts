/**
 * The live step ladder on stderr. On a terminal it is redrawn in place (marks, titles,
 * states, children nested under their step); otherwise each settled step is one plain line,
 * e.g. `✓ Open period  completed`.
 */
import type { RunEvent, StepStatus, StepView } from '../../core/index.ts';
import type { LocalRuntime, LocalRunHandle } from '../../runtime/local/index.ts';

const MARKS: Record<StepStatus, string> = {
  pending: '·',
  running: '▶',
  waiting: '⏸',
  completed: '✓',
  failed: '✗',
  skipped: '–',
};

interface Output {
  write(text: string): unknown;
}

export class StepLadder {
  private drawn = 0;
  private scheduled = false;

  constructor(
    private readonly runtime: LocalRuntime,
    private readonly rootRunId: string,
    private readonly out: Output,
    private readonly live: boolean,
  ) {}

  /** Feeds one runtime event: a redraw on a terminal, a line otherwise. */
  onEvent(event: RunEvent): void {
    if (this.live) this.scheduleRedraw();
    else this.printLine(event);
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
    // Several events arrive in one turn; draw once for all of them.
    setImmediate(() => {
      if (this.scheduled) this.flush();
    });
  }

  private handle(runId: string): LocalRunHandle | undefined {
    return this.runtime.list().find((run) => run.runId === runId);
  }

  private lines(runId: string, depth: number): string[] {
    const run = this.handle(runId);
    if (!run) return [];
    const indent = '  '.repeat(depth);
    const lines: string[] = [];
    for (const step of run.interpreter.currentSteps()) {
      lines.push(`${indent}${MARKS[step.status]} ${step.title}  ${this.stateOf(run, step)}`);
      for (const child of step.children ?? []) {
        lines.push(`${indent}  ${child.status === 'completed' ? '✓' : child.status === 'failed' ? '✗' : '▶'} ${child.title} [${child.id}]  ${child.status}`);
        if (child.status !== 'completed') lines.push(...this.lines(child.run_id, depth + 2));
      }
    }
    return lines;
  }

  private stateOf(run: LocalRunHandle, step: StepView): string {
    const pending = run.interpreter.currentPendingAction();
    if (step.status === 'waiting' && pending?.step === step.id) return `waiting (${pending.action})`;
    return step.status;
  }

  private printLine(event: RunEvent): void {
    if (event.type === 'run.completed' || event.type === 'run.failed' || event.type === 'step.started' || event.type === 'step.resumed') return;
    const run = this.handle(event.runId);
    const step = run?.interpreter.definition.steps.find((candidate) => candidate.id === event.stepId);
    const title = step?.title ?? event.stepId;
    const depth = event.runId === this.rootRunId ? 0 : event.runId.split('/').length - 1;
    const where = event.runId === this.rootRunId ? '' : `${childLabel(event.runId)} › `;
    const prefix = '  '.repeat(Math.ceil(depth / 2));
    const line = (mark: string, state: string) => `${prefix}${mark} ${where}${title}  ${state}`;
    switch (event.type) {
      case 'step.completed':
        return this.write(line(MARKS.completed, 'completed'));
      case 'step.failed':
        return this.write(line(MARKS.failed, `failed (${event.error.type})`));
      case 'step.skipped':
        return this.write(line(MARKS.skipped, 'skipped'));
      case 'step.waiting':
        return this.write(line(MARKS.waiting, `waiting (${event.pending.action})`));
      case 'step.retrying':
        return this.write(line('↻', `retrying (attempt ${event.attempt} failed: ${event.error.type})`));
    }
  }

  private write(line: string): void {
    this.out.write(`${line}\n`);
  }
}

/** `parent/step/0` → `step[0]`: the child's id as shown under its parent step. */
function childLabel(runId: string): string {
  const parts = runId.split('/');
  const index = parts.at(-1);
  const step = (parts.at(-2) ?? '').replace(/\.[0-9]+$/, '');
  return `${step}[${index}]`;
}
