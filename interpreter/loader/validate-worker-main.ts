/** The body of a validation worker: claims chunks of files and posts their load details in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadHandlerRegistry, type HandlerRegistry } from '../handlers/index.ts';
import { useBuiltProjectModules } from '../handlers/import-project-module.ts';
import { loadFileSync, toPortable, type WorkerData, type WorkerMessage } from './parallel-load.ts';

const { paths, sources, next, chunk: size, setup } = workerData as WorkerData;
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

try {
  if (setup.builtModules) useBuiltProjectModules(setup.builtModules);
  // If the handlers do not load here, this worker claims nothing: the main thread does every file.
  const handlers: HandlerRegistry | undefined = setup.handlersDir === undefined ? undefined : await loadHandlerRegistry(setup.handlersDir);
  const agentNames = setup.agentNames;
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
