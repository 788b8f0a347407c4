/**
 * Why a connection failed, in words a person can act on. The client's gRPC says only "Failed to
 * connect before the deadline" for every TLS problem, so after a failure we make one TLS
 * handshake ourselves with the same settings and name what went wrong: a server that wants a
 * client certificate, a certificate from a CA we do not trust, a name not on the certificate,
 * a server that does not speak TLS, or one that only speaks TLS.
 */
import { isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { TLSConfig } from '@temporalio/client';

/** A diagnosed connection problem (exit 1): its code, what happened and what to set. */
export class TemporalConnectionError extends Error {
  constructor(
    readonly code: string,
    readonly address: string,
    detail: string,
  ) {
    super(`${code}: cannot connect to the Temporal server at ${address}: ${detail}`);
  }
}

const CA_HINT = 'set TEMPORAL_TLS_SERVER_CA_CERT_PATH (or TEMPORAL_TLS_SERVER_CA_CERT_DATA, temporal.tls.server_ca_cert_path) to the CA that signed it';
const CLIENT_HINT = 'set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or their _DATA forms, temporal.tls.client_cert_path, client_key_path)';

function splitHost(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}

type Outcome = { ok: true; alpn: string | false } | { ok: false; code: string; message: string };

/** One TLS handshake; waits a moment after it, as a TLS 1.3 server refuses a client certificate only then. */
function handshake(address: string, options: ConnectionOptions, timeoutMs: number): Promise<Outcome> {
  const { host, port } = splitHost(address);
  return new Promise((resolve) => {
    let settled = false;
    const socket = tlsConnect({ host, port, ALPNProtocols: ['h2'], ...options });
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', message: 'no TLS handshake in time' }), timeoutMs);
    socket.once('secureConnect', () => {
      const alpn = socket.alpnProtocol ?? false;
      setTimeout(() => finish({ ok: true, alpn }), 300);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, code: error.code ?? '', message: error.message }));
    socket.once('close', () => finish({ ok: false, code: 'ECONNRESET', message: 'the server closed the connection' }));
  });
}

function nodeTlsOptions(host: string, tls: TLSConfig): ConnectionOptions {
  const name = tls.serverNameOverride ?? host;
  return {
    ...(isIP(name) ? {} : { servername: name }),
    // node:tls checks the host it connected to; with a server name, that name is checked.
    ...(tls.serverNameOverride ? { checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(name, cert) } : {}),
    ...(tls.serverRootCACertificate ? { ca: Buffer.from(tls.serverRootCACertificate) } : {}),
    ...(tls.clientCertPair ? { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : {}),
  };
}

/**
 * Names the problem with a connection that failed, or undefined when a handshake with the same
 * settings works (then the failure was something else: say what the SDK said).
 */
export async function diagnoseConnection(address: string, tls: TLSConfig | null, timeoutMs = 3_000): Promise<TemporalConnectionError | undefined> {
  const { host } = splitHost(address);
  if (!tls) {
    // Plaintext failed: does the server speak TLS instead?
    const probe = await handshake(address, { rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) }, timeoutMs);
    if (probe.ok || /ALERT_CERTIFICATE_REQUIRED|certificate required/i.test(`${probe.code} ${probe.message}`)) {
      return new TemporalConnectionError('TLS_REQUIRED_BY_SERVER', address, 'the server speaks TLS and this connection does not; set TEMPORAL_TLS=true (temporal.tls), and the CA and client certificate if it needs them');
    }
    return undefined;
  }
  const outcome = await handshake(address, nodeTlsOptions(host, tls), timeoutMs);
  if (outcome.ok) {
    if (outcome.alpn !== 'h2') return new TemporalConnectionError('TLS_NO_HTTP2', address, 'the server (or a proxy in front of it) does not offer HTTP/2 (ALPN h2), which gRPC needs; configure it for gRPC');
    return undefined;
  }
  const what = `${outcome.code} ${outcome.message}`;
  const name = tls.serverNameOverride ?? host;
  if (/CERTIFICATE_REQUIRED|certificate required|HANDSHAKE_FAILURE/i.test(what) && !tls.clientCertPair) {
    return new TemporalConnectionError('TLS_CLIENT_CERT_REQUIRED', address, `the server requires a client certificate (mTLS) and none is configured; ${CLIENT_HINT}`);
  }
  if (/ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|ACCESS_DENIED|UNSUPPORTED_CERTIFICATE)/i.test(what) || (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/i.test(what) && tls.clientCertPair)) {
    return new TemporalConnectionError('TLS_CLIENT_CERT_REJECTED', address, 'the server refused the client certificate (not signed by a CA it trusts, or expired); use a certificate issued for this server\'s namespace');
  }
  if (/ERR_TLS_CERT_ALTNAME_INVALID/.test(outcome.code)) {
    return new TemporalConnectionError('TLS_SERVER_NAME_MISMATCH', address, `the server's certificate is not valid for "${name}"; set TEMPORAL_TLS_SERVER_NAME (temporal.tls.server_name) to a name on it, or connect by that name`);
  }
  if (/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE/.test(outcome.code)) {
    return new TemporalConnectionError('TLS_SERVER_UNTRUSTED', address, `the server's certificate is not signed by a trusted CA (${tls.serverRootCACertificate ? 'not by the configured CA' : 'not by a system CA'}); ${CA_HINT}`);
  }
  if (/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/.test(outcome.code)) {
    return new TemporalConnectionError('TLS_SERVER_CERT_EXPIRED', address, `the server's certificate is not valid now (${outcome.code}); the server's operator must renew it`);
  }
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|ECONNRESET|UNEXPECTED_EOF|HTTP_REQUEST/i.test(what)) {
    return new TemporalConnectionError('TLS_NOT_OFFERED_BY_SERVER', address, 'the server does not answer TLS (a plaintext server, such as the dev server?); unset TEMPORAL_TLS and the TEMPORAL_TLS_* settings, or connect to its TLS endpoint');
  }
  return new TemporalConnectionError('TLS_HANDSHAKE_FAILED', address, `the TLS handshake failed (${outcome.code || outcome.message}); check the CA, server name and client certificate settings`);
}
