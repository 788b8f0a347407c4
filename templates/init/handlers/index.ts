// The handlers the runbooks call, by name. `runbook validate` checks every call against
// their zod contracts; `runbook worker` registers them as Temporal activities.
import { checkPolicy, recordInvoice } from './invoices.js';

export const handlers = [checkPolicy, recordInvoice];
