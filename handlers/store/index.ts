export { FileStore, dataDir } from './file-store.ts';
export type { RecordKey } from './file-store.ts';
export { stableId } from './stable-id.ts';
