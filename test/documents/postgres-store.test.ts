import { openPostgresDocumentStore } from '../../interpreter/documents/index.ts';
import { postgresOrSkipReason } from '../support/postgres-env.ts';
import { describeDocumentStoreContract } from './document-store-contract.ts';

describeDocumentStoreContract('PostgreSQL', async () => {
  const server = await postgresOrSkipReason();
  return 'skip' in server ? server : openPostgresDocumentStore(server.url);
});
