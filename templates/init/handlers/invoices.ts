import { defineHandler, WorkflowError, z } from 'yaml-runbook';

/** Invoices above this amount need a person's approval. */
const APPROVAL_LIMIT = 1000;

export const checkPolicy = defineHandler({
  name: 'invoices.check_policy',
  description: 'Says whether an invoice needs approval, and why.',
  input: z.object({ vendor: z.string().min(1), amount: z.number().positive() }),
  output: z.object({ requires_approval: z.boolean(), reason: z.string() }),
  async run({ vendor, amount }) {
    if (amount > APPROVAL_LIMIT) return { requires_approval: true, reason: `${vendor}: ${amount} is above the ${APPROVAL_LIMIT} limit` };
    return { requires_approval: false, reason: 'within policy' };
  },
});

export const recordInvoice = defineHandler({
  name: 'invoices.record',
  description: 'Records an approved invoice; idempotent per run and step.',
  input: z.object({ vendor: z.string(), amount: z.number(), currency: z.string().length(3) }),
  output: z.object({ invoice_id: z.string() }),
  async run({ currency }, { info, logger }) {
    if (currency !== 'EUR' && currency !== 'GBP') throw new WorkflowError(`currency ${currency} is not booked here`, { type: 'CURRENCY_UNSUPPORTED', nonRetryable: true });
    // A real handler calls your ledger's API here, passing info.idempotencyKey so a retry books nothing twice.
    logger.info('invoice recorded', { key: info.idempotencyKey });
    return { invoice_id: `inv-${info.idempotencyKey}` };
  },
});
