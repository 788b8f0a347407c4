/**
 * Sizes in-process and on the command line: the measure, the limits a runbook runs with, an
 * oversized start and an oversized scripted signal refused with PAYLOAD_TOO_LARGE, and the
 * `runbook call` helper that stores a document so a run carries its id instead of its bytes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SIZE_LIMITS, jsonBytes, sizeLimitsOf } from '../../interpreter/core/index.ts';
import { StartRejectedError } from '../../interpreter/runtime/runtime-errors.ts';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';
import { harness } from '../runtime/harness.ts';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runbook-limits-local-'));
});
after(() => rm(scratch, { recursive: true, force: true }));

const MIB = 1024 * 1024;

test('sizes are the UTF-8 bytes of the JSON, as Temporal encodes a payload', () => {
  assert.equal(jsonBytes({ a: 'x' }), Buffer.byteLength(JSON.stringify({ a: 'x' })));
  assert.equal(jsonBytes('é€😀'), Buffer.byteLength(JSON.stringify('é€😀')));
  assert.equal(jsonBytes(undefined), 0);
});

test('a runbook runs with the defaults, its own lower limits, and never above a ceiling', () => {
  assert.deepEqual(sizeLimitsOf(undefined), { payloadBytes: MIB, stateBytes: 1.5 * MIB });
  const own = sizeLimitsOf({ slug: 'a', title: 'A', steps: [], limits: { payload_bytes: 4096, state_bytes: 8192 } });
  assert.deepEqual(own, { payloadBytes: 4096, stateBytes: 8192 });
  assert.ok(SIZE_LIMITS.payloadBytes.ceiling < 2 * MIB, "below Temporal's 2 MB");
});

const waiting = {
  slug: 'waiting',
  title: 'Waiting',
  signals: { upload: { payload: { type: 'object' } } },
  steps: [{ id: 'upload', title: 'Upload', wait: { signal: 'upload', action: 'awaiting_upload' } }],
};

test('an in-process start with an input over the payload limit is refused with PAYLOAD_TOO_LARGE', () => {
  const { runtime } = harness(waiting);
  assert.throws(
    () => runtime.start('waiting', { blob: 'x'.repeat(MIB + 1) }),
    (error: unknown) => error instanceof StartRejectedError && error.code === 'PAYLOAD_TOO_LARGE' && /the run input is 1\.00 MiB/.test(error.message),
  );
});

test('runbook run with a scripted signal over the limit exits 1 naming the size and the limit', async () => {
  const file = join(scratch, 'big.json');
  await writeFile(file, JSON.stringify({ period: '2025-01', filename: 'tb.csv', content: 'x'.repeat(1.2 * MIB) }));
  const result = await runCli(['run', 'month-end-close', '--input', 'runbooks/month-end-close.input.json', '--signal', `tb_submitted=@${file}`], {
    env: { RUNBOOK_DATA_DIR: join(scratch, 'run-data'), TEMPORAL_ADDRESS: '' },
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /PAYLOAD_TOO_LARGE: signal "tb_submitted"'s payload is 1\.20 MiB .* over the 1\.00 MiB \(1048576 bytes\) payload limit/);
  assertNoStack(result);
});

test('runbook call documents.upload stores a document and prints its id; the same bytes give the same id', async () => {
  const env = { RUNBOOK_DATA_DIR: join(scratch, 'call-data'), TEMPORAL_ADDRESS: '' };
  const result = await runCli(['call', 'documents.upload', '--args', '@runbooks/tb-2025-01.upload.json'], { env });
  assert.equal(result.code, 0, result.stderr);
  const sample = JSON.parse(await readFile(join(ROOT, 'runbooks/month-end-close.tb_submitted.by-reference.json'), 'utf8')) as { document_id: string };
  assert.equal((JSON.parse(result.stdout) as { document_id: string }).document_id, sample.document_id, 'the by-reference sample names this id');

  const unknown = await runCli(['call', 'documents.uplaod'], { env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /HANDLER_UNKNOWN: no handler "documents.uplaod" \(did you mean "documents.upload"\?\)/);
  const missing = await runCli(['call', 'documents.upload', '--args', '{"document_id":"upl-0000000000000000"}'], { env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /documents.upload failed: DOCUMENT_NOT_FOUND: no stored upload upl-0000000000000000/);
  assertNoStack(missing);
});
