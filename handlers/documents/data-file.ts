/** Reading a document file given relative to the data directory. */
import { readFile } from 'node:fs/promises';
import { WorkflowError } from '../../interpreter/handlers/index.ts';
import type { FileStore } from '../store/index.ts';
import { invalidInput } from './csv.ts';

/** Reads a file given relative to the data directory; refuses paths that leave it. */
export async function readDataFile(store: FileStore, path: string): Promise<string> {
  const file = store.resolveInside(path);
  if (!file) throw invalidInput(`path "${path}" must be relative and inside the data directory`);
  try {
    return await readFile(file, 'utf8');
  } catch {
    // Retryable: an upload may still be landing.
    throw new WorkflowError(`document file "${path}" not found under ${store.root}`, { type: 'DOCUMENT_NOT_FOUND' });
  }
}
