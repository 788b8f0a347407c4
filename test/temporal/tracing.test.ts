/**
 * OpenTelemetry tracing as an operator turns it on: a real OTLP/HTTP receiver started here, a
 * `runbook worker` exporting to it (OTEL_EXPORTER_OTLP_ENDPOINT, protobuf) and `runbook start --wait`
 * configured by runbook.config.yaml's `tracing:` (JSON). The start, the parent run, its child run and
 * their activities arrive as one trace, named with the runbook and the step. A collector that is not
 * there costs a warning, never a run; settings that cannot work are refused with their place and code.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../interpreter/temporal/dev-server.ts';
import { startCliWorker } from '../support/cli-worker.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { bundleInterpreterWorkflow } from '../../interpreter/temporal/bundle.ts';
import { WORKFLOW_MODULE } from '../../interpreter/temporal/interpreter-worker.ts';
import { createTracing } from '../../interpreter/temporal/index.ts';
import { closeTestTemporal, getTestTemporal, type TestTemporal } from '../support/temporal-env.ts';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';

let temporal: TestTemporal;
let receiver: OtlpReceiver;
let scratch: string;
let runbooks: string;
/** The run the first test traced, for the replay test. */
let tracedRunId: string | undefined;

// A parent that ingests one document as a child run: StartChildWorkflow and the child's own spans join the trace.
const BATCH = `slug: ingest-one
title: Ingest one document
input: { type: object }
steps:
  - id: ingest
    title: Ingest the document
    child:
      runbook: document-ingest
      input: '{% $input %}'
`;

before(async () => {
  temporal = await getTestTemporal();
  receiver = await startOtlpReceiver();
  scratch = await mkdtemp(join(tmpdir(), 'runbook-tracing-'));
  runbooks = join(scratch, 'runbooks');
  await mkdir(runbooks, { recursive: true });
  await writeFile(join(runbooks, 'document-ingest.yaml'), await readFile(join(ROOT, 'runbooks/document-ingest.yaml')));
  await writeFile(join(runbooks, 'ingest-one.yaml'), BATCH);
});

after(async () => {
  await closeTestTemporal();
  await receiver?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The environment without tracing or Temporal settings the outer shell may have set. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OTEL_|TEMPORAL_(ADDRESS|NAMESPACE|TLS|API_KEY))/.test(name)));
  return { ...clean, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, RUNBOOK_DATA_DIR: join(scratch, 'data'), RUNBOOK_STATE_DIR: join(scratch, 'state'), ...extra };
}

/** A project directory whose runbook.config.yaml has `tracing`. */
async function project(name: string, tracing: string): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'runbook.config.yaml'), `runbooks: ${runbooks}\nhandlers: ${ROOT}/handlers\ntracing:\n${tracing}`);
  return dir;
}

const named = (spans: readonly ReceivedSpan[], name: string, where: (span: ReceivedSpan) => boolean = () => true): ReceivedSpan[] => spans.filter((span) => span.name === name && where(span));

test('a traced worker and runbook start: the start, the run, its child and their activities are one trace, named with the runbook and the step', async () => {
  const taskQueue = temporal.taskQueue('traced');
  const worker = startCliWorker({
    address: temporal.address, namespace: temporal.namespace, taskQueue, runbooksDir: runbooks, dataDir: join(scratch, 'data'), stateFile: join(scratch, 'traced-state.json'), cwd: scratch,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'runbook-worker-test' },
  });
  const runId = `traced-${Date.now().toString(36)}`;
  tracedRunId = runId;
  try {
    await worker.ready(90_000);
    assert.match(worker.output(), new RegExp(`tracing ${receiver.url}/v1/traces \\(http/protobuf\\)`), 'the banner says where spans go');
    // The client's tracing from the config file, as JSON this time.
    const cwd = await project('client', `  endpoint: ${receiver.url}\n  protocol: http/json\n  service_name: runbook-start-test\n`);
    const start = await runCli(['start', 'ingest-one', '--id', runId, '--input', `${ROOT}/runbooks/document-ingest.input.json`, '--wait', '--task-queue', taskQueue], { cwd, env: env(), timeoutMs: 90_000 });
    assert.equal(start.code, 0, `start --wait: ${start.stderr}\nworker: ${worker.output()}`);
    assert.match(start.stdout, /"document_id"/);

    const isRun = (span: ReceivedSpan) => span.attributes.temporalWorkflowId === runId || span.attributes['runbook.run_id'] === runId;
    const spans = await receiver.waitFor((all) => {
      const root = named(all, 'StartWorkflow:runbookInterpreter', isRun)[0];
      return root !== undefined && all.filter((span) => span.traceId === root.traceId && span.name === 'RunActivity:documents.extract').length > 0 && all.filter((span) => span.traceId === root.traceId && span.name === 'RunWorkflow:runbookInterpreter').length === 2;
    }, 30_000);

    const [startSpan] = named(spans, 'StartWorkflow:runbookInterpreter', isRun);
    const trace = spans.filter((span) => span.traceId === startSpan.traceId);
    const describe = trace.map((span) => `${span.service} ${span.name} ${JSON.stringify(span.attributes)}`).join('\n');
    assert.equal(startSpan.service, 'runbook-start-test');
    assert.equal(startSpan.contentType, 'application/json', 'the client sent JSON (tracing.protocol)');
    assert.equal(startSpan.parentSpanId, '', 'the start is the root of the trace');
    assert.equal(startSpan.attributes['runbook.slug'], 'ingest-one');

    // The parent run continues the start's context; the child run the parent's StartChildWorkflow.
    const [parent] = named(trace, 'RunWorkflow:runbookInterpreter', (span) => span.attributes['runbook.slug'] === 'ingest-one');
    assert.ok(parent, `the parent's RunWorkflow span:\n${describe}`);
    assert.equal(parent.parentSpanId, startSpan.spanId, 'RunWorkflow is a child of StartWorkflow');
    assert.equal(parent.service, 'runbook-worker-test');
    assert.equal(parent.contentType, 'application/x-protobuf', 'the worker sent protobuf (the default)');
    assert.equal(parent.attributes['runbook.run_id'], runId);
    // Of the WorkflowInfo the package copies onto workflow spans, the identifying scalars only: not the memo, search attributes or last result.
    assert.equal(parent.attributes.workflowId, runId);
    assert.equal(parent.attributes.workflowType, 'runbookInterpreter');
    assert.deepEqual(['memo', 'searchAttributes', 'typedSearchAttributes', 'lastResult', 'lastFailure'].filter((key) => key in parent.attributes), []);
    const [startChild] = named(trace, 'StartChildWorkflow:runbookInterpreter');
    assert.ok(startChild, `StartChildWorkflow:\n${describe}`);
    assert.equal(startChild.parentSpanId, parent.spanId);
    assert.deepEqual(
      { slug: startChild.attributes['runbook.slug'], step: startChild.attributes['runbook.step_id'], child: startChild.attributes['runbook.child_slug'] },
      { slug: 'ingest-one', step: 'ingest', child: 'document-ingest' },
    );
    const [child] = named(trace, 'RunWorkflow:runbookInterpreter', (span) => span.attributes['runbook.slug'] === 'document-ingest');
    assert.ok(child, `the child's RunWorkflow span:\n${describe}`);
    assert.equal(child.parentSpanId, startChild.spanId);
    assert.equal(child.attributes['runbook.run_id'], startChild.attributes['runbook.child_run_id']);

    // The child's activity: scheduled in its workflow, run on the worker, both named with the step.
    const [scheduled] = named(trace, 'StartActivity:documents.extract');
    const [ran] = named(trace, 'RunActivity:documents.extract');
    assert.ok(scheduled && ran, `StartActivity and RunActivity of the extract step:\n${describe}`);
    assert.equal(scheduled.parentSpanId, child.spanId);
    assert.equal(ran.parentSpanId, scheduled.spanId, 'RunActivity continues StartActivity (through the activity\'s headers)');
    for (const span of [scheduled, ran]) {
      assert.equal(span.attributes['runbook.slug'], 'document-ingest', span.name);
      assert.equal(span.attributes['runbook.step_id'], 'extract', span.name);
      assert.equal(span.attributes['runbook.iteration'], 0, span.name);
    }
    assert.equal(ran.attributes['runbook.run_id'], child.attributes['runbook.run_id']);
    // Local activities too (register and classify are local): one trace, no orphan.
    assert.ok(named(trace, 'RunActivity:documents.register_upload').length === 1, describe);
    assert.ok(named(trace, 'RunActivity:runbook.resolve_definition').length >= 1, describe);
    // Queries are polled by clients: they are not traced.
    assert.deepEqual(spans.filter((span) => /Query/.test(span.name)).map((span) => span.name), []);
    assert.deepEqual(receiver.rejected, []);
  } finally {
    await worker.kill('SIGTERM');
  }
  assert.equal(worker.child.exitCode, 0, worker.output());
});

test('a collector that is not there: the worker warns once with TRACING_EXPORT_FAILED, the run completes and the worker stops cleanly', async () => {
  const closed = await findFreePort();
  const endpoint = `http://127.0.0.1:${closed}`;
  const taskQueue = temporal.taskQueue('untraced');
  const worker = startCliWorker({
    address: temporal.address, namespace: temporal.namespace, taskQueue, runbooksDir: runbooks, dataDir: join(scratch, 'data'), stateFile: join(scratch, 'unreachable-state.json'), cwd: scratch,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
  });
  try {
    await worker.ready(90_000);
    const start = await runCli(['start', 'document-ingest', '--input', `${ROOT}/runbooks/document-ingest.input.json`, '--wait', '--task-queue', taskQueue], {
      cwd: scratch,
      env: env({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }),
      timeoutMs: 90_000,
    });
    assert.equal(start.code, 0, `start --wait: ${start.stderr}\nworker: ${worker.output()}`);
    assert.match(start.stdout, /"document_id"/);
    assertNoStack(start);
    // The client's own StartWorkflow span could not be sent either: said on the way out, not a failure.
    assert.match(start.stderr, /WARN TRACING_EXPORT_FAILED: 1 span\(s\) could not be sent/);
    const deadline = Date.now() + 15_000;
    while (!/TRACING_EXPORT_FAILED/.test(worker.output()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.match(worker.output(), new RegExp(`WARN TRACING_EXPORT_FAILED: \\d+ span\\(s\\) could not be sent to ${endpoint}/v1/traces \\(.*ECONNREFUSED.*\\) and were dropped; runs are not affected`));
    assert.equal(worker.output().match(/TRACING_EXPORT_FAILED/g)?.length, 1, 'said once, not per batch');
    assert.ok(worker.alive(), 'the worker runs on');
  } finally {
    const stopping = Date.now();
    await worker.kill('SIGTERM');
    assert.ok(Date.now() - stopping < 15_000, `a collector that is not there does not hold the shutdown (${Date.now() - stopping} ms)`);
  }
  assert.equal(worker.child.exitCode, 0, worker.output());
});

test('tracing settings that cannot work: a located CONFIG_INVALID for the file, the variable named for the environment; a variable set for other programs does not stop validate', async () => {
  const bad = await project('bad-endpoint', '  endpoint: collector:4318\n');
  const fromFile = await runCli(['worker', '--task-queue', temporal.taskQueue('bad'), '--state-file', join(scratch, 'bad.json')], { cwd: bad, env: env() });
  assert.equal(fromFile.code, 2, fromFile.stderr);
  assert.match(fromFile.stderr, /runbook\.config\.yaml:4:13: CONFIG_INVALID: tracing\.endpoint: an http:\/\/ or https:\/\/ URL/);
  assertNoStack(fromFile);

  const grpc = await runCli(['start', 'document-ingest', '--input', `${ROOT}/runbooks/document-ingest.input.json`], { cwd: scratch, env: env({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }) });
  assert.equal(grpc.code, 2, grpc.stderr);
  assert.match(grpc.stderr, /^runbook: env OTEL_EXPORTER_OTLP_PROTOCOL: CONFIG_INVALID: expected http\/protobuf or http\/json, got "grpc"; gRPC is not supported: send OTLP\/HTTP to the collector's port 4318$/m);
  const url = await runCli(['status', 'some-run'], { cwd: scratch, env: env({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }) });
  assert.equal(url.code, 2, url.stderr);
  assert.match(url.stderr, /env OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: CONFIG_INVALID: expected an http:\/\/ or https:\/\/ URL/);

  const validate = await runCli(['validate', runbooks, '--handlers', `${ROOT}/handlers`], { cwd: scratch, env: env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }) });
  assert.equal(validate.code, 0, validate.stderr);

  const shown = await runCli(['config', '--format', 'json'], { cwd: scratch, env: env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_SERVICE_NAME: 'close-worker' }) });
  assert.equal(shown.code, 0, shown.stderr);
  const { settings } = JSON.parse(shown.stdout) as { settings: Record<string, { value: string; source: string }> };
  assert.deepEqual(settings['tracing.endpoint'], { value: 'http://collector:4318/v1/traces', source: 'env OTEL_EXPORTER_OTLP_ENDPOINT' });
  assert.deepEqual(settings['tracing.protocol'], { value: 'http/protobuf', source: 'default' });
  assert.deepEqual(settings['tracing.service_name'], { value: 'close-worker', source: 'env OTEL_SERVICE_NAME' });
});

test('tracing on or off with runs in flight: the recorded corpus (untraced) replays on the traced bundle, and a traced run\'s histories on the plain one', async () => {
  assert.ok(tracedRunId, 'the traced run of the first test');
  const tracing = await createTracing({ url: `${receiver.url}/v1/traces`, serviceName: 'replay' });
  try {
    const traced = await bundleInterpreterWorkflow(WORKFLOW_MODULE, { workflowInterceptorModules: [...tracing.workflowInterceptorModules] });
    const plain = await bundleInterpreterWorkflow(WORKFLOW_MODULE);
    assert.notEqual(traced.code, plain.code, 'the traced bundle has the interceptors');
    const dir = join(ROOT, 'test/histories');
    const corpus = readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => {
      const recorded = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { workflowId: string; history: { events: unknown[] } };
      return { workflowId: recorded.workflowId, history: recorded.history };
    });
    assert.ok(corpus.length >= 20, `${corpus.length} recorded histories`);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: traced, sinks: tracing.sinks() }, corpus)) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    assert.deepEqual(failures, [], 'every recorded history replays with tracing on');

    const client = await temporal.client();
    for (const workflowId of [tracedRunId, `${tracedRunId}/ingest/0`]) {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: plain }, history, workflowId);
      await Worker.runReplayHistory({ workflowBundle: traced, sinks: tracing.sinks() }, history, workflowId);
    }
  } finally {
    await tracing.shutdown();
  }
});
