import type { AnyHandler } from '../../interpreter/handlers/index.ts';
import { registerUpload } from './uploads.ts';
import { extractDocument } from './extract.ts';
import { classifyDocument } from './classify.ts';
import { storeDocument } from './store-document.ts';

export { registerUpload, extractDocument, classifyDocument, storeDocument };
export { parseCsv } from './csv.ts';

/** The local document service's handlers. */
export const documentHandlers: AnyHandler[] = [registerUpload, extractDocument, classifyDocument, storeDocument];
