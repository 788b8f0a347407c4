/** toMermaid and toDot: golden text for a small runbook, safe ids and labels, status styles, and DOT that parses. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { runbookGraph, toDot, toMermaid } from '../../interpreter/graph/index.ts';
import { mermaidText } from '../../interpreter/graph/to-mermaid.ts';
import { dotProblem } from './dot-syntax.ts';
import { EVERY_EDGE, exampleRunbook, loadRunbook } from './graph-fixtures.ts';

const HELLO = `slug: hello-review
title: Hello review
steps:
  - id: greet
    title: Greet
    icon: MessageSquare
    call:
      handler: util.echo
      args: { value: 'Hello' }
  - id: approve
    title: Approve greeting
    icon: ClipboardCheck
    review:
      payload: '{% $steps.greet.value %}'
      outcomes:
        approved: continue
        rejected: { goto: greet }
`;

/** A runbook whose texts try to break the chart: quotes, brackets, markup, pipes, `#`, expressions, unicode. */
const NASTY = `slug: nasty
title: 'The "quoted" <b>bold</b> [runbook] {#1} | ok'
steps:
  - id: end
    title: 'Prüfung ✓ 日本語 "x" (a) [b] {c}'
    when: "{% $input.kind = 'a|b' and $input.n > 1 %}"
    call:
      handler: util.echo
      on_error:
        - type: 'WEIRD"TYPE'
          then: { fail: 'Failed: {% $result.error.message %} & <script>alert(1)</script> #x' }
`;

/** The statements toMermaid writes, one per line: nodes in one of its shapes, edges with an optional quoted label, class lines. */
const MERMAID_LINE = new RegExp([
  String.raw`^flowchart TD$`,
  String.raw`^  [a-z][A-Za-z0-9_]*(\(\["[^"]*"\]\)|\("[^"]*"\)|\{\{"[^"]*"\}\}|\[\["[^"]*"\]\]|>"[^"]*"\])$`,
  String.raw`^  [a-z][A-Za-z0-9_]* (-->|-\.->)(\|"[^"|]*"\|)? [a-z][A-Za-z0-9_]*$`,
  String.raw`^  classDef [a-z_]+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6},color:#[0-9a-f]{6}$`,
  String.raw`^  class [a-z][A-Za-z0-9_]*(,[a-z][A-Za-z0-9_]*)* [a-z_]+$`,
].join('|'));

function assertMermaidShape(text: string): void {
  assert.ok(text.endsWith('\n'));
  for (const line of text.trimEnd().split('\n')) assert.match(line, MERMAID_LINE);
}

describe('toMermaid', () => {
  test('a small runbook, line by line', () => {
    assert.equal(toMermaid(runbookGraph(loadRunbook(HELLO))), [
      'flowchart TD',
      '  run_start(["Start: Hello review"])',
      '  s_greet("Greet<br/>call util.echo")',
      '  s_approve{{"Approve greeting<br/>review"}}',
      '  run_end(["End"])',
      '  run_start --> s_greet',
      '  s_greet --> s_approve',
      '  s_approve -->|"approved"| run_end',
      '  s_approve -.->|"rejected (go back)"| s_greet',
      '',
    ].join('\n'));
  });

  test('every edge kind: skips and go-backs dotted, fan-outs and children as subroutines, fail ends styled', () => {
    const text = toMermaid(runbookGraph(loadRunbook(EVERY_EDGE)));
    assertMermaidShape(text);
    assert.match(text, /^  s_fan_out\[\["Process items<br\/>fan-out child-book \(2 at a time\)"\]\]$/m);
    assert.match(text, /^  s_one_child\[\["One child<br\/>child child-book"\]\]$/m);
    assert.match(text, /^  s_decide\{\{"Decide<br\/>review<br\/>when \{% \$steps\.prepare\.value = 1 %\}"\}\}$/m);
    assert.match(text, /^  s_decide -\.->\|"skip unless \{% \$steps\.prepare\.value = 1 %\}"\| s_pause$/m);
    assert.match(text, /^  s_await_ready -\.->\|"after 2h \(go back\)"\| s_prepare$/m);
    assert.match(text, /^  s_prepare -->\|"BAD_INPUT"\| fail_1$/m);
    assert.match(text, /^  fail_1>"Fail: Bad input: \{% \$result\.error\.message %\}"\]$/m);
    assert.match(text, /^  class fail_1,fail_2 failed_end$/m);
  });

  test('labels are escaped: quotes, markup, pipes, # and & as entities; brackets, expressions and unicode as written', () => {
    const text = toMermaid(runbookGraph(loadRunbook(NASTY)));
    assertMermaidShape(text);
    assert.match(text, /^  run_start\(\["Start: The #quot;quoted#quot; #lt;b#gt;bold#lt;\/b#gt; \[runbook\] \{#35;1\} #124; ok"\]\)$/m);
    // A step called `end` (Mermaid's keyword) gets a safe id.
    assert.match(text, /^  s_end\("Prüfung ✓ 日本語 #quot;x#quot; \(a\) \[b\] \{c\}<br\/>call util\.echo<br\/>when \{% \$input\.kind = 'a#124;b' and \$input\.n #gt; 1 %\}"\)$/m);
    assert.match(text, /^  fail_1>"Fail: Failed: \{% \$result\.error\.message %\} #38; #lt;script#gt;alert\(1\)#lt;\/script#gt; #35;x"\]$/m);
    assert.match(text, /^  s_end -->\|"WEIRD#quot;TYPE"\| fail_1$/m);
    assert.doesNotMatch(text, /<script/);
    assert.equal(mermaidText('a\n  b\tc'), 'a b c');
  });

  test('statuses style the steps by status with one classDef each', () => {
    const graph = runbookGraph(exampleRunbook('month-end-close'));
    const text = toMermaid(graph, { statuses: { open_period: 'completed', await_trial_balance: 'completed', ingest_documents: 'running', review_extraction: 'pending' } });
    assertMermaidShape(text);
    assert.match(text, /^  classDef completed fill:#e5f4ec,stroke:#1d7a46,color:#14532f\n  class s_open_period,s_await_trial_balance completed$/m);
    assert.match(text, /^  classDef running fill:#[0-9a-f]{6},.*\n  class s_ingest_documents running$/m);
    assert.match(text, /^  class s_review_extraction pending$/m);
    assert.doesNotMatch(toMermaid(graph), /classDef (completed|running|pending)/);
  });

  test('the example runbooks render as well-formed charts', () => {
    for (const slug of ['month-end-close', 'document-ingest', 'journal-proposal']) assertMermaidShape(toMermaid(runbookGraph(exampleRunbook(slug))));
  });
});

const hasGraphviz = spawnSync('dot', ['-V'], { encoding: 'utf8' }).status === 0;

function assertDot(text: string): void {
  assert.equal(dotProblem(text), null, text);
  if (!hasGraphviz) return;
  const rendered = spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf8' });
  assert.equal(rendered.status, 0, rendered.stderr);
  assert.match(rendered.stdout, /<svg/);
}

describe('toDot', () => {
  test('a small runbook: a digraph with its nodes, labels and edges; go-backs dashed and unconstrained', () => {
    const text = toDot(runbookGraph(loadRunbook(HELLO)));
    assertDot(text);
    assert.match(text, /^digraph "hello-review" \{\n  label="Hello review";/);
    assert.match(text, /^  "greet" \[label="Greet\\ncall util\.echo", shape=box, style="rounded"\];$/m);
    assert.match(text, /^  "approve" \[label="Approve greeting\\nreview", shape=hexagon, style="rounded"\];$/m);
    assert.match(text, /^  "#start" -> "greet";$/m);
    assert.match(text, /^  "approve" -> "#end" \[label="approved"\];$/m);
    assert.match(text, /^  "approve" -> "greet" \[label="rejected", style=dashed, constraint=false, color="#8a5a00"\];$/m);
    assert.ok(text.endsWith('}\n'));
  });

  test('every edge kind, fan-outs as 3D boxes, fail ends as red octagons', () => {
    const text = toDot(runbookGraph(loadRunbook(EVERY_EDGE)));
    assertDot(text);
    assert.match(text, /^  "fan_out" \[label="Process items\\nfan-out child-book \(2 at a time\)", shape=box3d/m);
    assert.match(text, /^  "decide" -> "pause" \[label="skip unless \{% \$steps\.prepare\.value = 1 %\}", style=dotted\];$/m);
    assert.match(text, /^  "#fail-2" \[label="Fail: Corrections are not accepted", shape=octagon, style="solid,filled", fillcolor="#fde8e6"/m);
  });

  test('labels are DOT strings: quotes and backslashes escaped, unicode as is', () => {
    const text = toDot(runbookGraph(loadRunbook(NASTY.replace('#x', '\\d'))));
    assertDot(text);
    assert.match(text, /^  label="The \\"quoted\\" <b>bold<\/b> \[runbook\] \{#1\} \| ok";$/m);
    assert.match(text, /"Prüfung ✓ 日本語 \\"x\\" \(a\) \[b\] \{c\}\\ncall util\.echo\\nwhen/);
    assert.match(text, /-> "#fail-1" \[label="WEIRD\\"TYPE"/);
    assert.match(text, /alert\(1\)<\/script> \\\\d"/);
  });

  test('statuses fill the steps with their colours', () => {
    const text = toDot(runbookGraph(exampleRunbook('month-end-close')), { statuses: { open_period: 'completed', await_trial_balance: 'waiting' } });
    assertDot(text);
    assert.match(text, /^  "open_period" \[.*style="rounded,filled", fillcolor="#e5f4ec", color="#1d7a46", fontcolor="#14532f"\];$/m);
    assert.match(text, /^  "await_trial_balance" \[.*fillcolor="#fdf3dc"/m);
    assert.match(text, /^  "close_period" \[[^\]]*style="rounded"\];$/m);
  });

  test('the checker refuses broken DOT (so a pass means something)', () => {
    assert.notEqual(dotProblem('digraph "x" { "a" -> ; }'), null);
    assert.notEqual(dotProblem('digraph "x" { "a [label="b"]; }'), null);
    assert.notEqual(dotProblem('digraph "x" { "a" [label="b"] }'), null);
    assert.equal(dotProblem('digraph "x" {\n  rankdir=TB;\n  "a" -> "b" [label="c \\" d"];\n}\n'), null);
  });
});
