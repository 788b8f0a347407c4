/**
 * `runbook worker`'s health endpoint: `GET /healthz` answers 200 `{"status":"RUNNING"}` while
 * the worker polls its task queue and 503 with its state otherwise (starting, stopping, failed),
 * for a load balancer's or Kubernetes' probes. Node side.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthEndpoint {
  /** `http://HOST:PORT/healthz`. */
  readonly url: string;
  close(): Promise<void>;
}

/** A host:port for messages and the SDK's bindAddress (an IPv6 host in brackets). */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Listens on host:port; `state()` is the worker's state (RUNNING, or why not), read at each request. */
export async function serveHealth(host: string, port: number, state: () => string): Promise<HealthEndpoint> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/healthz') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /healthz\n');
      return;
    }
    const status = state();
    response.writeHead(status === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify({ status })}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`HEALTH_PORT_UNAVAILABLE: cannot serve /healthz on ${hostPort(host, port)} (${error.code ?? error.message}); choose a free port (--health-port, worker.health.port)`)),
    );
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostPort(host, bound)}/healthz`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
