/** The graph model: nodes and edges of the example runbooks and of inline runbooks covering every edge kind. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { END_NODE_ID, runbookGraph, START_NODE_ID, type GraphEdge, type GraphStepNode, type RunbookGraph } from '../../interpreter/graph/index.ts';
import { EVERY_EDGE, exampleRunbook, loadRunbook } from './graph-fixtures.ts';

const edge = (graph: RunbookGraph, from: string, to: string): GraphEdge[] => graph.edges.filter((e) => e.from === from && e.to === to);
const stepNodes = (graph: RunbookGraph): GraphStepNode[] => graph.nodes.filter((node): node is GraphStepNode => node.kind === 'step');
const brief = (e: GraphEdge): string => `${e.from} -${e.kind}${e.back ? '/back' : ''}${e.label ? `[${e.label}]` : ''}-> ${e.to}`;

describe('runbookGraph', () => {
  test('a runbook of plain steps is start, the steps in order, end, each to the next', () => {
    const graph = runbookGraph(loadRunbook('slug: plain\ntitle: Plain\nsteps:\n  - { id: a, title: A, timer: { duration: 1s } }\n  - { id: b, title: B, timer: { duration: 2s } }\n'));
    assert.deepEqual(graph.nodes.map((node) => node.id), [START_NODE_ID, 'a', 'b', END_NODE_ID]);
    assert.deepEqual(graph.edges.map(brief), ['#start -next-> a', 'a -next-> b', 'b -next-> #end']);
    assert.equal(graph.slug, 'plain');
    assert.equal(graph.title, 'Plain');
  });

  test('every edge kind: when skips, outcomes to continue/goto/fail, error routes, deadlines, go-backs marked back', () => {
    const graph = runbookGraph(loadRunbook(EVERY_EDGE));
    assert.deepEqual(graph.edges.map(brief), [
      '#start -next-> prepare',
      'prepare -next-> await_ready',
      'prepare -error[BAD_INPUT]-> #fail-1',
      'prepare -error[any error]-> await_ready',
      'await_ready -next-> fan_out',
      'await_ready -deadline/back[after 2h]-> prepare',
      'fan_out -next-> one_child',
      'fan_out -error/back[ITEM_FAILED]-> await_ready',
      'one_child -next-> decide',
      'decide -skip[skip unless {% $steps.prepare.value = 1 %}]-> pause',
      'decide -outcome[approved]-> pause',
      'decide -outcome/back[rejected]-> prepare',
      'decide -outcome[corrected]-> #fail-2',
      'decide -deadline[after 1d: approved]-> pause',
      'pause -next-> #end',
    ]);
    const fails = graph.nodes.filter((node) => node.kind === 'fail');
    assert.deepEqual(fails, [
      { kind: 'fail', id: '#fail-1', message: 'Bad input: {% $result.error.message %}', step: 'prepare' },
      { kind: 'fail', id: '#fail-2', message: 'Corrections are not accepted', step: 'decide' },
    ]);
    assert.deepEqual(edge(graph, 'decide', 'prepare')[0].transition, 'goto');
    assert.deepEqual(edge(graph, 'prepare', '#fail-1')[0].transition, 'fail');
    assert.deepEqual(edge(graph, 'prepare', 'await_ready').map((e) => e.transition), [null, 'continue']);
  });

  test('step nodes carry id, title, icon, kind, what they do, the when text, and children with their fan-out', () => {
    const nodes = stepNodes(runbookGraph(loadRunbook(EVERY_EDGE)));
    assert.deepEqual(nodes.map((node) => [node.id, node.index, node.step_kind, node.icon, node.detail]), [
      ['prepare', 0, 'call', 'Wrench', 'util.echo'],
      ['await_ready', 1, 'wait', 'Hourglass', 'ready'],
      ['fan_out', 2, 'child', null, 'child-book'],
      ['one_child', 3, 'child', null, 'child-book'],
      ['decide', 4, 'review', 'ClipboardCheck', 'review'],
      ['pause', 5, 'timer', null, '5m'],
    ]);
    assert.deepEqual(nodes[2].child, { runbook: 'child-book', fan_out: true, for_each: '{% [1, 2, 3] %}', concurrency: 2 });
    assert.deepEqual(nodes[3].child, { runbook: 'child-book', fan_out: false, for_each: null, concurrency: null });
    assert.equal(nodes[4].when, '{% $steps.prepare.value = 1 %}');
    assert.equal(nodes[0].when, null);
    assert.equal(nodes[0].child, null);
  });

  test('a review without outcomes takes the defaults: approved and corrected go on (one edge), rejected fails', () => {
    const graph = runbookGraph(loadRunbook('slug: r\ntitle: R\nsteps:\n  - { id: check, title: Check, review: { payload: 1 } }\n'));
    assert.deepEqual(graph.edges.map(brief), ['#start -next-> check', 'check -outcome[approved, corrected]-> #end', 'check -outcome[rejected]-> #fail-1']);
    assert.deepEqual(graph.nodes.at(-1), { kind: 'fail', id: '#fail-1', message: 'Rejected at review', step: 'check' });
  });

  test('a review deadline on a listed failing outcome goes to that fail node, without a second one', () => {
    const graph = runbookGraph(exampleRunbook('journal-proposal'));
    const fromReview = graph.edges.filter((e) => e.from === 'review_journal').map(brief);
    assert.ok(fromReview.includes('review_journal -outcome[rejected]-> #fail-2'), fromReview.join('\n'));
    assert.ok(fromReview.includes('review_journal -deadline[after 3d: rejected]-> #fail-2'), fromReview.join('\n'));
    assert.equal(graph.nodes.filter((node) => node.kind === 'fail').length, 3);
  });

  test('a review deadline on an outcome it does not list takes that outcome\'s default', () => {
    const graph = runbookGraph(loadRunbook('slug: r\ntitle: R\nsteps:\n  - id: check\n    title: Check\n    review: { outcomes: { approved: continue }, deadline: { after: 1h, outcome: rejected } }\n'));
    assert.deepEqual(graph.edges.map(brief).slice(1), ['check -outcome[approved]-> #end', 'check -deadline[after 1h: rejected]-> #fail-1']);
    assert.deepEqual(graph.nodes.at(-1), { kind: 'fail', id: '#fail-1', message: 'Rejected at review', step: 'check' });
  });

  test('when: true is no condition; when: false is a skip that is always taken', () => {
    const graph = runbookGraph(loadRunbook('slug: w\ntitle: W\nsteps:\n  - { id: a, title: A, when: true, timer: { duration: 1s } }\n  - { id: b, title: B, when: false, timer: { duration: 1s } }\n'));
    const [a, b] = stepNodes(graph);
    assert.equal(a.when, null);
    assert.equal(b.when, 'false');
    assert.deepEqual(graph.edges.filter((e) => e.kind === 'skip').map(brief), ['b -skip[skip unless false]-> #end']);
  });

  test('error routes of several types to one target become one edge with both labels', () => {
    const graph = runbookGraph(exampleRunbook('month-end-close'));
    const routes = graph.edges.filter((e) => e.from === 'commit_trial_balance').map(brief);
    assert.deepEqual(routes, [
      'commit_trial_balance -next-> commit_closing_balance',
      'commit_trial_balance -error/back[TB_UNBALANCED]-> review_extraction',
      'commit_trial_balance -error/back[EXTRACTION_INPUT_INVALID]-> await_trial_balance',
      'commit_trial_balance -error[PERIOD_CLOSED]-> #fail-4',
    ]);
    const merged = runbookGraph(loadRunbook('slug: m\ntitle: M\nsteps:\n  - { id: a, title: A, timer: { duration: 1s } }\n  - id: b\n    title: B\n    call: { handler: x.y, on_error: [{ type: E1, then: { goto: a } }, { type: E2, then: { goto: a } }] }\n'));
    assert.deepEqual(merged.edges.filter((e) => e.kind === 'error').map(brief), ['b -error/back[E1, E2]-> a']);
  });

  test('the month-end close: its fan-out, its go-backs and its skipped close', () => {
    const graph = runbookGraph(exampleRunbook('month-end-close'));
    assert.deepEqual(stepNodes(graph).map((node) => node.id), ['open_period', 'await_trial_balance', 'ingest_documents', 'previous_close', 'review_extraction', 'commit_trial_balance', 'commit_closing_balance', 'close_period']);
    const ingest = stepNodes(graph).find((node) => node.id === 'ingest_documents');
    assert.deepEqual(ingest?.child && { runbook: ingest.child.runbook, fan_out: ingest.child.fan_out, concurrency: ingest.child.concurrency }, { runbook: 'document-ingest', fan_out: true, concurrency: 4 });
    assert.deepEqual(graph.edges.filter((e) => e.back).map((e) => `${e.from}->${e.to}`), [
      'ingest_documents->await_trial_balance', 'review_extraction->await_trial_balance', 'commit_trial_balance->review_extraction', 'commit_trial_balance->await_trial_balance',
    ]);
    assert.deepEqual(edge(graph, 'close_period', END_NODE_ID).map((e) => e.kind), ['skip', 'next']);
    // Plain JSON: what the console's API sends.
    assert.deepEqual(JSON.parse(JSON.stringify(graph)), graph);
  });

  test('every example runbook has a graph whose edges all end at a node', () => {
    for (const slug of ['month-end-close', 'document-ingest', 'journal-proposal']) {
      const graph = runbookGraph(exampleRunbook(slug));
      const ids = new Set(graph.nodes.map((node) => node.id));
      assert.equal(ids.size, graph.nodes.length, `${slug}: node ids are unique`);
      for (const e of graph.edges) assert.ok(ids.has(e.from) && ids.has(e.to), `${slug}: ${brief(e)}`);
      for (const node of graph.nodes.filter((n) => n.kind === 'fail')) assert.ok(graph.edges.some((e) => e.to === node.id), `${slug}: ${node.id} is reached`);
    }
  });
});
