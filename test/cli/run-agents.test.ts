/**
 * `runbook run` with the project's agents (agents/ of this repository, the scripted A2A agent of
 * test/support/agent-servers.ts): `--answer STEP=JSON` answers an agent's question, the terminal
 * asks it (under `script`, a real pty), a wrong kind of answer is exit 2 before anything runs.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startA2aAgent, type AgentServer } from '../support/agent-servers.ts';
import { BIN, ROOT, runCli, type CliResult } from '../support/run-cli.ts';

let drafter: AgentServer;
let dataDir: string;
before(async () => {
  drafter = await startA2aAgent();
  dataDir = await mkdtemp(join(tmpdir(), 'runbook-run-agents-'));
});
after(async () => {
  await drafter?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const INPUT = ['--input', 'runbooks/journal-draft-by-agent.input.json'];
const env = async (): Promise<NodeJS.ProcessEnv> => ({ ...process.env, TEMPORAL_ADDRESS: '', JOURNAL_DRAFTER_URL: drafter.url, RUNBOOK_DATA_DIR: await mkdtemp(join(dataDir, 'run-')) });
const runRun = async (args: string[]): Promise<CliResult> => runCli(['run', 'journal-draft-by-agent', ...INPUT, ...args], { env: await env(), timeoutMs: 30_000 });

test("--answer STEP=JSON answers the agent's question; the draft is reviewed and posted", async () => {
  const result = await runRun(['--answer', 'draft_journal={"account":"6100"}', '--answer', 'review_journal=approved']);
  assert.equal(result.code, 0, result.stderr);
  const output = JSON.parse(result.stdout) as { status: string; totals: { debit: number } };
  assert.equal(output.status, 'posted');
  assert.equal(output.totals.debit, 1200);
});

test("an agent's question with no answer and no terminal exits 1 at once, naming the step, the question and the flag", async () => {
  const result = await runRun([]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /step "draft_journal" waits for an answer to its agent's question \("Which expense account.*"\).*pass --answer draft_journal=JSON/s);
});

test('an answer the question refuses (its schema) exits 1 with ANSWER_INVALID', async () => {
  const result = await runRun(['--answer', 'draft_journal={"acount":"6100"}']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /--answer draft_journal=\{"acount":"6100"\} was refused: ANSWER_INVALID: /);
});

test('a review outcome for an agent step, an answer for a review, an unknown step or bad JSON is exit 2 before anything runs', async () => {
  const cases: [string, RegExp][] = [
    ['draft_journal=approved', /ANSWER_NOT_A_REVIEW: --answer draft_journal=approved: step "draft_journal" invokes an agent: answer its question with --answer draft_journal=JSON/],
    ['review_journal={"account":"6100"}', /ANSWER_NOT_AN_AGENT: .*step "review_journal" is a review/],
    ['draft_jornal={"account":"6100"}', /ANSWER_UNKNOWN_STEP: .*no agent step "draft_jornal" \(did you mean "draft_journal"\?\)/],
    ['draft_journal={account}', /--answer "draft_journal=\{account\}": not valid JSON/],
  ];
  for (const [answer, message] of cases) {
    const result = await runRun(['--answer', answer]);
    assert.equal(result.code, 2, `${answer}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /^\s{4}at /m);
  }
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

test("at a terminal the agent's question is asked, with its schema, and the typed answer goes back", { skip: hasScript ? false : 'no script(1) for a pty' }, async () => {
  const command = [process.execPath, BIN, 'run', 'journal-draft-by-agent', ...INPUT, '--answer', 'review_journal=approved'].map((part) => `'${part}'`).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: ROOT, env: { ...(await env()), TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let seen = '';
  const answered = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/answer \(JSON, or @FILE\): $/.test(seen.trimEnd() + ' ')) resolve();
    });
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await answered;
  child.stdin.write('{"account":"6100"}\r');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  assert.equal(code, 0, seen);
  assert.match(seen, /step "draft_journal": agent journal\.drafter asks \(answer_drafter\): Which expense account/);
  assert.match(seen, /answer schema: \{.*"required":\["account"\]/);
  assert.match(seen, /"status": "posted"/);
});
