/**
 * Agents in the project configuration and `runbook validate`: `agents:` (default agents/, used
 * when it exists; `false` for none), `--agents` / `--skip-agents`, RB_UNKNOWN_AGENT located with a
 * did-you-mean, a broken agents entry exit 2 naming the file, the cache keyed by the agents' contracts.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { resolveProjectConfig } from '../../interpreter/config/index.ts';
import { ROOT, runCli } from '../support/run-cli.ts';

const ZOD = pathToFileURL(join(ROOT, 'node_modules/zod/index.js')).href;
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** An agents module registering `names` (plain objects shaped as defineAgent's results), with `fields` in each input contract. */
export function agentsModule(names: readonly string[], fields = 'entity: z.string()'): string {
  const agents = names.map((name) => `{ name: ${JSON.stringify(name)}, input: z.object({ ${fields} }), output: z.unknown(), adapter: { kind: 'a2a', target: 'nowhere', run: () => Promise.reject(new Error('not called')) } }`);
  return `import { z } from ${JSON.stringify(ZOD)};\nexport const agents = [${agents.join(', ')}];\n`;
}

const runbook = (agent: string): string => `slug: drafts
title: Drafts
steps:
  - id: draft
    title: Draft
    agent:
      name: ${agent}
      input: { entity: acme }
`;

async function project(options: { config?: string; agents?: string; agent?: string } = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'runbook-agents-'));
  dirs.push(root);
  await mkdir(join(root, 'runbooks'));
  await writeFile(join(root, 'runbooks', 'drafts.yaml'), runbook(options.agent ?? 'journal.drafer'));
  await writeFile(join(root, 'runbook.config.yaml'), `handlers: false\n${options.config ?? ''}`);
  if (options.agents !== undefined) {
    await mkdir(join(root, 'agents'));
    await writeFile(join(root, 'agents', 'index.mjs'), options.agents);
  }
  return root;
}

describe('agents in the configuration', () => {
  test('agents: defaults to agents/, is relative to the config file, and false turns it off', async () => {
    const root = await project({ config: 'agents: src/agents\n' });
    const config = resolveProjectConfig({ cwd: root, env: {} });
    assert.equal(config.agents.value, join(root, 'src', 'agents'));
    assert.match(config.agents.source, /runbook\.config\.yaml:2$/);
    const off = resolveProjectConfig({ cwd: await project({ config: 'agents: false\n' }), env: {} });
    assert.equal(off.agents.value, false);
    const none = resolveProjectConfig({ cwd: await project(), env: {} });
    assert.deepEqual([none.agents.value, none.agents.source], [join(none.root, 'agents'), 'default']);
  });

  test('`runbook config` shows the agents entry with its source, and says when the default directory is absent', async () => {
    const root = await project({ agents: agentsModule(['journal.drafter']) });
    const shown = await runCli(['config'], { cwd: root });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^ {2}agents\s+agents\s+\(default\)$/m);
    const absent = await runCli(['config', '--format', 'json'], { cwd: await project() });
    const settings = (JSON.parse(absent.stdout) as { settings: Record<string, { value: string; source: string }> }).settings;
    assert.deepEqual(settings.agents, { value: 'agents (absent: no agents)', source: 'default' });
    const off = await runCli(['config'], { cwd: await project({ config: 'agents: false\n' }) });
    assert.match(off.stdout, /^ {2}agents\s+false \(no agents\)\s+\(runbook\.config\.yaml:2\)$/m);
  });

  test('a misspelt agents key is CONFIG_INVALID with a did-you-mean', async () => {
    const result = await runCli(['validate'], { cwd: await project({ config: 'agent: agents\n' }) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /runbook\.config\.yaml:2:1: CONFIG_INVALID: .*did you mean "agents"/);
  });
});

describe('runbook validate with agents', () => {
  test('an unknown agent name is RB_UNKNOWN_AGENT at its line, with a did-you-mean; the registered name is clean', async () => {
    const root = await project({ agents: agentsModule(['journal.drafter']) });
    const bad = await runCli(['validate'], { cwd: root });
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stdout, /runbooks\/drafts\.yaml:7:13: error RB_UNKNOWN_AGENT .*did you mean "journal\.drafter"/);
    await writeFile(join(root, 'runbooks', 'drafts.yaml'), runbook('journal.drafter'));
    const good = await runCli(['validate'], { cwd: root });
    assert.equal(good.code, 0, good.stdout + good.stderr);
  });

  test('the cache is keyed by the agents: renaming an agent is seen on the next (cached) run', async () => {
    const root = await project({ agent: 'journal.drafter', agents: agentsModule(['journal.drafter']) });
    assert.equal((await runCli(['validate'], { cwd: root })).code, 0);
    assert.equal((await runCli(['validate'], { cwd: root })).code, 0, 'warm');
    await writeFile(join(root, 'agents', 'index.mjs'), agentsModule(['journal.writer']));
    const renamed = await runCli(['validate', '--format', 'json'], { cwd: root });
    assert.equal(renamed.code, 1, renamed.stderr);
    assert.deepEqual((JSON.parse(renamed.stdout) as { code: string }[]).map((d) => d.code), ['RB_UNKNOWN_AGENT']);
    // Only the contract changes (same name): still a fresh key, and the file is valid again.
    await writeFile(join(root, 'agents', 'index.mjs'), agentsModule(['journal.drafter'], 'entity: z.string(), period: z.string().optional()'));
    assert.equal((await runCli(['validate'], { cwd: root })).code, 0);
  });

  test('--skip-agents and agents: false skip the check; --agents names another entry', async () => {
    const root = await project({ agents: agentsModule(['journal.drafter']) });
    assert.equal((await runCli(['validate', '--skip-agents'], { cwd: root })).code, 0);
    await writeFile(join(root, 'other.mjs'), agentsModule(['journal.drafer']));
    const other = await runCli(['validate', '--agents', 'other.mjs'], { cwd: root });
    assert.equal(other.code, 0, other.stdout + other.stderr);
    const both = await runCli(['validate', '--agents', 'other.mjs', '--skip-agents'], { cwd: root });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--agents and --skip-agents exclude each other/);
    assert.equal((await runCli(['validate'], { cwd: await project({ config: 'agents: false\n', agents: agentsModule([]) }) })).code, 0);
  });

  test('without an agents directory (and none configured) agent names are not checked, and a note on stderr says so', async () => {
    const result = await runCli(['validate'], { cwd: await project() });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stderr, /^runbook: note: agent checks disabled \(no agents\/ directory\); agent steps \(runbooks\/drafts\.yaml\) were not checked against registered agents/m);
    const json = await runCli(['validate', '--format', 'json', '--skip-agents'], { cwd: await project({ agents: agentsModule(['journal.drafter']) }) });
    assert.match(json.stderr, /^runbook: note: agent checks disabled \(flag --skip-agents\)/m);
    // No agent steps: no note.
    const root = await project();
    await writeFile(join(root, 'runbooks', 'drafts.yaml'), 'slug: drafts\ntitle: Drafts\nsteps:\n  - id: wait\n    title: Wait\n    timer: { duration: 1s }\n');
    const plain = await runCli(['validate'], { cwd: root });
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.doesNotMatch(plain.stderr, /agent checks/);
  });

  test('a static agent input the contract refuses is RB_AGENT_INPUT at its line', async () => {
    const root = await project({ agent: 'journal.drafter', agents: agentsModule(['journal.drafter'], 'entity: z.string(), amount: z.number().positive().optional()') });
    await writeFile(join(root, 'runbooks', 'drafts.yaml'), runbook('journal.drafter').replace('{ entity: acme }', '{ entity: acme, amount: -5 }'));
    const result = await runCli(['validate'], { cwd: root });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /runbooks\/drafts\.yaml:8:\d+: error RB_AGENT_INPUT step "draft": input\.amount does not fit agent "journal\.drafter"/);
  });

  test('an agents entry that cannot be loaded is exit 2 naming the file and the cause, never a stack trace', async () => {
    const cases: [{ config?: string; agents?: string }, RegExp][] = [
      [{ agents: 'export const agents = [;\n' }, /AGENTS_LOAD_FAILED: cannot load .*agents\/index\.mjs/],
      [{ agents: 'export const handlers = [];\n' }, /AGENTS_INVALID: .*agents\/index\.mjs must export `agents`/],
      [{ agents: agentsModule(['a', 'a']) }, /AGENT_DUPLICATE: .*two agents are named "a"/],
      [{ config: 'agents: missing\n' }, /AGENTS_NOT_FOUND: .*missing/],
    ];
    for (const [options, message] of cases) {
      const result = await runCli(['validate'], { cwd: await project(options) });
      assert.equal(result.code, 2, `${message}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /^\s{4}at /m);
    }
  });
});
