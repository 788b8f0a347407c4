/**
 * The example runbooks' sample documents stored by reference, as a user stores them with
 * `runbook call documents.upload --args @runbooks/tb-2025-01.upload.json`: the by-reference
 * samples (runbooks/*.by-reference.json) name their ids. Call with RUNBOOK_DATA_DIR set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uploadDocument } from '../../handlers/documents/index.ts';
import { testHandler } from '../../interpreter/testing/index.ts';

const RUNBOOKS = fileURLToPath(new URL('../../runbooks', import.meta.url));
export const SAMPLE_UPLOADS = ['tb-2025-01.upload.json'];

/** Stores every sample upload in the data directory of RUNBOOK_DATA_DIR; resolves with their ids. */
export async function storeSampleUploads(): Promise<string[]> {
  const ids: string[] = [];
  for (const file of SAMPLE_UPLOADS) {
    const { output } = await testHandler(uploadDocument, JSON.parse(readFileSync(join(RUNBOOKS, file), 'utf8')));
    ids.push(output.document_id);
  }
  return ids;
}
