/**
 * TLS in front of the test run's plaintext Temporal dev server (the CLI's dev server has no TLS
 * flags), as a load balancer or Temporal Cloud's edge would be.
 *
 * - `pipe`: a TLS server offering ALPN `h2` only, optionally requiring a client certificate
 *   signed by the CA (mTLS), piping each decrypted socket to the dev server's frontend (which
 *   speaks h2c with prior knowledge). What the client sees is exactly a TLS-terminated server.
 * - `http2`: an HTTP/2 server (TLS, ALPN `h2`, no HTTP/1) that forwards each gRPC stream to the
 *   dev server with its trailers, recording the `authorization` header of every request; with
 *   `requireBearer` it answers UNAUTHENTICATED (gRPC status 16) to a request without that token.
 */
import { connect as h2connect, constants, createSecureServer, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

export interface TlsProxyOptions {
  /** The dev server's plaintext host:port. */
  readonly target: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Require a client certificate signed by this CA (mTLS). */
  readonly clientCa?: Buffer;
  readonly mode?: 'pipe' | 'http2';
  /** http2 mode: refuse requests whose authorization header is not `Bearer <this>`. */
  readonly requireBearer?: string;
}

export interface TlsProxy {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** http2 mode: the authorization header of every request seen (undefined when absent). */
  readonly authorizations: (string | undefined)[];
  /** TLS handshakes that failed, with the reason (e.g. a missing client certificate). */
  readonly refused: string[];
  close(): Promise<void>;
}

function split(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/** Starts a proxy on a free port of 127.0.0.1. */
export async function startTlsProxy(options: TlsProxyOptions): Promise<TlsProxy> {
  const tlsOptions = {
    cert: options.cert,
    key: options.key,
    ALPNProtocols: ['h2'],
    ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  };
  const authorizations: (string | undefined)[] = [];
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const target = split(options.target);

  let server: ReturnType<typeof createTlsServer> | ReturnType<typeof createSecureServer>;
  let upstream: ClientHttp2Session | undefined;
  if ((options.mode ?? 'pipe') === 'pipe') {
    server = createTlsServer(tlsOptions, (secure: TLSSocket) => {
      track(secure);
      const plain = netConnect(target);
      track(plain);
      secure.pipe(plain).pipe(secure);
      const destroy = (): void => {
        secure.destroy();
        plain.destroy();
      };
      secure.once('error', destroy).once('close', destroy);
      plain.once('error', destroy).once('close', destroy);
    });
  } else {
    const session = (): ClientHttp2Session => {
      if (!upstream || upstream.closed || upstream.destroyed) {
        upstream = h2connect(`http://${options.target}`);
        upstream.on('error', () => undefined);
      }
      return upstream;
    };
    const secure = createSecureServer({ ...tlsOptions, allowHTTP1: false });
    secure.on('stream', (stream, headers: IncomingHttpHeaders) => {
      const authorization = headers.authorization;
      authorizations.push(authorization);
      if (options.requireBearer !== undefined && authorization !== `Bearer ${options.requireBearer}`) {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'missing or wrong API key' }, { endStream: true });
        return;
      }
      const forwarded: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(headers)) if (name !== ':authority' && name !== ':scheme' && value !== undefined) forwarded[name] = value;
      const request = session().request(forwarded);
      let trailers: IncomingHttpHeaders = {};
      request.on('response', (responseHeaders, flags: number) => {
        const { [':status']: status, ...rest } = responseHeaders;
        // A trailers-only response (an error) ends with its headers.
        if (flags & constants.NGHTTP2_FLAG_END_STREAM) stream.respond({ ':status': status, ...rest }, { endStream: true });
        else stream.respond({ ':status': status, ...rest }, { waitForTrailers: true });
      });
      request.on('trailers', (received) => (trailers = received));
      stream.on('wantTrailers', () => stream.sendTrailers(trailers as OutgoingHttpHeaders));
      stream.pipe(request);
      request.pipe(stream);
      request.on('error', () => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
      stream.on('error', () => request.close(constants.NGHTTP2_CANCEL));
      stream.on('close', () => request.close(constants.NGHTTP2_CANCEL));
    });
    secure.on('connection', track);
    server = secure;
  }
  // A TCP connect that closes at once (the CLI's reachability probe) is not a refusal.
  server.on('tlsClientError', (error: Error) => {
    if (!/socket hang up|ECONNRESET/.test(error.message)) refused.push(error.message);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    authorizations,
    refused,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      upstream?.destroy();
      await closed;
    },
  };
}
