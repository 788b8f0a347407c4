/** testHandler: a handler called as a step would call it, with the attempt and info chosen by the test and its logs captured. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkflowError } from '../../interpreter/handlers/index.ts';
import { testHandler, type LogEntry } from '../../interpreter/testing/index.ts';
import { reserve, ship } from './fixtures/shop/handlers/index.ts';

describe('testHandler', () => {
  test('returns the contract-checked output and what the handler logged', async () => {
    const { output, logs, info } = await testHandler(reserve, { sku: 'widget', qty: 2 });
    assert.deepEqual(output, { reserved: 2 });
    assert.deepEqual(logs, [{ level: 'info', message: 'reserving', fields: { sku: 'widget', qty: 2 } }]);
    assert.equal(info.attempt, 1);
  });

  test('passes the attempt, run id and step to the handler', async () => {
    const { output, info } = await testHandler(ship, { sku: 'widget' }, { attempt: 3, runId: 'r1', stepId: 'send' });
    assert.deepEqual(output, { tracking: 'TRK-widget-3' });
    assert.equal(info.idempotencyKey, 'r1:send:0');
  });

  test("rejects with the handler's WorkflowError, keeping its type, and the logs stay readable", async () => {
    const logs: LogEntry[] = [];
    await assert.rejects(testHandler(reserve, { sku: 'none', qty: 1 }, { logs }), (error: unknown) => error instanceof WorkflowError && error.type === 'OUT_OF_STOCK' && error.nonRetryable);
    assert.equal(logs.length, 1);
  });

  test('arguments that break the input contract are HANDLER_INPUT_INVALID, as at a step', async () => {
    await assert.rejects(testHandler(reserve, { sku: 'widget', qty: 'two' }), (error: unknown) => error instanceof WorkflowError && error.type === 'HANDLER_INPUT_INVALID' && /qty/.test(error.message));
  });
});
