import type { AnyHandler } from '../../interpreter/handlers/index.ts';
import { registerUpload } from './uploads.ts';
import { extractDocument } from './extract.ts';
import { classifyDocument } from './classify.ts';
import { storeDocument } from './store-document.ts';
import { uploadDocument } from './upload-document.ts';

export { registerUpload, extractDocument, classifyDocument, storeDocument, uploadDocument };
export { parseCsv } from './csv.ts';

/** The local document service's handlers. */
export const documentHandlers: AnyHandler[] = [uploadDocument, registerUpload, extractDocument, classifyDocument, storeDocument];
