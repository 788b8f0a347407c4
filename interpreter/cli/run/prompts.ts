/** Asking a person at the terminal: a review outcome (with corrections), an answer to an agent's question, or a signal payload. */
import { createInterface, type Interface } from 'node:readline/promises';
import type { PendingAction, UserAction } from '../../core/index.ts';
import type { ReviewOutcome } from '../../format/runbook-format.ts';
import { parseJsonOrFile } from '../cli-support.ts';

const KEYS: Record<string, ReviewOutcome> = { a: 'approved', approve: 'approved', approved: 'approved', r: 'rejected', reject: 'rejected', rejected: 'rejected', c: 'corrected', correct: 'corrected', corrected: 'corrected' };

const LABELS: Record<ReviewOutcome, string> = { approved: 'a=approve', rejected: 'r=reject', corrected: 'c=correct' };

/** Prompts on stderr (stdout carries the run output), reading from the terminal on stdin. */
export class Prompter {
  private readline: Interface | undefined;

  private get rl(): Interface {
    if (!this.readline) {
      this.readline = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // The terminal is in raw mode while asking: Ctrl-C reaches readline, not the process. Pass it on.
      this.readline.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    }
    return this.readline;
  }

  /** Asks approve / reject / correct, and the corrections as JSON for correct. */
  async review(pending: PendingAction, where: string): Promise<UserAction> {
    const allowed = pending.outcomes ?? ['approved', 'rejected', 'corrected'];
    this.say(`\n${where}step "${pending.step}" waits for a review (${pending.action})${pending.reason ? `: ${pending.reason}` : ''}`);
    if (pending.payload !== undefined && pending.payload !== null) this.say(indent(JSON.stringify(pending.payload, null, 2)));
    const choices = allowed.map((outcome) => LABELS[outcome]).join(', ');
    for (;;) {
      const reply = (await this.rl.question(`${choices}? `)).trim().toLowerCase();
      const outcome = KEYS[reply];
      if (!outcome || !allowed.includes(outcome)) {
        this.say(`please answer ${choices}`);
        continue;
      }
      if (outcome !== 'corrected') {
        if (!pending.comment_required?.includes(outcome)) return { action: outcome, step: pending.step };
        const comment = await this.comment(`why (a ${outcome} review needs a comment)? `);
        return { action: outcome, step: pending.step, comment };
      }
      const corrections = await this.json('corrections (JSON, or @FILE): ');
      return { action: 'corrected', corrections, step: pending.step };
    }
  }

  /**
   * Shows the agent's question and asks for the answer: JSON (or @FILE) when the question offers a
   * schema, else a line of text (JSON when it starts like JSON: `{`, `[`, `"`, or `@FILE`).
   */
  async agent(pending: PendingAction, where: string): Promise<UserAction> {
    const hint = isRecord(pending.display_hint) ? pending.display_hint : {};
    const agent = typeof hint.agent === 'string' ? ` ${hint.agent}` : '';
    this.say(`\n${where}step "${pending.step}": agent${agent} asks (${pending.action}): ${pending.reason ?? '(no question text)'}`);
    if (isRecord(hint.schema)) {
      this.say(indent(`answer schema: ${JSON.stringify(hint.schema)}`));
      for (;;) {
        const payload = await this.json('answer (JSON, or @FILE): ');
        if (payload !== null) return { action: 'answered', payload, step: pending.step };
      }
    }
    for (;;) {
      const reply = (await this.rl.question('answer: ')).trim();
      if (reply === '') continue;
      if (!/^[[{"@]/.test(reply)) return { action: 'answered', payload: reply, step: pending.step };
      try {
        return { action: 'answered', payload: parseJsonOrFile(reply, reply.startsWith('@') ? reply : 'the answer'), step: pending.step };
      } catch (error) {
        this.say(error instanceof Error ? error.message : String(error));
      }
    }
  }

  /** Asks until the answer is not empty. */
  private async comment(question: string): Promise<string> {
    for (;;) {
      const reply = (await this.rl.question(question)).trim();
      if (reply !== '') return reply;
    }
  }

  /** Asks which signal (when the wait takes several) and its payload as JSON. */
  async signal(pending: PendingAction, where: string): Promise<{ name: string; payload: unknown }> {
    const names = pending.signals ?? [];
    this.say(`\n${where}step "${pending.step}" waits for ${names.join(' or ')} (${pending.action})${pending.reason ? `: ${pending.reason}` : ''}`);
    let name = names[0];
    while (names.length > 1) {
      const reply = (await this.rl.question(`signal (${names.join(', ')})? `)).trim();
      if (names.includes(reply)) {
        name = reply;
        break;
      }
      this.say(`please answer one of: ${names.join(', ')}`);
    }
    return { name, payload: await this.json(`${name} payload (JSON, or @FILE): `) };
  }

  say(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  close(): void {
    this.readline?.close();
    this.readline = undefined;
  }

  private async json(question: string): Promise<unknown> {
    for (;;) {
      const reply = (await this.rl.question(question)).trim();
      if (reply === '') return null;
      try {
        return parseJsonOrFile(reply, reply.startsWith('@') ? reply : 'the answer');
      } catch (error) {
        this.say(error instanceof Error ? error.message : String(error));
      }
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
