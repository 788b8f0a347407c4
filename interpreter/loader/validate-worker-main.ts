/** The body of a validation worker: boots (modules, handlers), then claims chunks of the files it is sent and posts their load details in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadHandlerRegistry, type HandlerRegistry } from '../handlers/index.ts';
import { useBuiltProjectModules } from '../handlers/import-project-module.ts';
import { loadFileSync, toPortable, type WorkOrder, type WorkerData, type WorkerMessage } from './parallel-load.ts';

const { setup } = workerData as WorkerData;
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

// Booting while the caller gets ready; a failure is reported when the files come (this worker then claims none: the main thread does them).
const booted: Promise<HandlerRegistry | undefined> = (async () => {
  if (setup.builtModules) useBuiltProjectModules(setup.builtModules);
  const handlers = setup.handlersDir === undefined ? undefined : await loadHandlerRegistry(setup.handlersDir, { bundle: true });
  // The loader itself, warm before the first file.
  await import('./load-runbook.ts');
  return handlers;
})();
booted.catch(() => undefined);

parentPort!.once('message', (order: WorkOrder) => {
  void work(order);
});

async function work(order: WorkOrder): Promise<void> {
  try {
    const handlers = await booted;
    const { paths, sources, next, chunk: size, agentNames } = order;
    const options = { handlers, maxBytes: setup.maxBytes, ...(agentNames ? { agents: { names: () => agentNames } } : {}) };
    const chunks = Math.ceil(paths.length / size);
    for (let chunk = Atomics.add(next, 0, 1); chunk < chunks; chunk = Atomics.add(next, 0, 1)) {
      const end = Math.min(paths.length, (chunk + 1) * size);
      const details = [];
      for (let index = chunk * size; index < end; index++) details.push(toPortable(loadFileSync(paths[index], options, sources?.[index])));
      post({ chunk, details });
    }
    post({ done: true });
  } catch (error) {
    post({ failed: error instanceof Error ? error.message : String(error) });
  }
}
