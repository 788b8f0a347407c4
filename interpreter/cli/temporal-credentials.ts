/**
 * How a command authenticates to Temporal: TLS (server CA, server name), mTLS (client
 * certificate and key) and an API key, resolved from the configuration (flags, the Temporal
 * CLI's environment variables, runbook.config.yaml). The PEMs come from files (*_PATH) or as
 * text in the variable (TEMPORAL_TLS_*_DATA). They are read and checked here, once,
 * so a missing file or a malformed key is one clear line (exit 2) before anything connects.
 * Secrets (the key's PEM, the API key) are never part of a message.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { TLSConfig } from '@temporalio/client';
import { displayPath, type ProjectConfig, type Setting } from '../config/index.ts';

/** What `Connection.connect` and `NativeConnection.connect` both take, besides the address. */
export interface TemporalCredentials {
  /** null: plaintext. */
  readonly tls: TLSConfig | null;
  /** Sent as `authorization: Bearer KEY`; null: none. */
  readonly apiKey: string | null;
}

/** The same settings in words, for a message: `TLS (CA tls/ca.pem, client certificate tls/client.pem), API key from TEMPORAL_API_KEY`. */
export function describeCredentials(credentials: TemporalCredentials, apiKeyEnv?: string): string {
  const { tls, apiKey } = credentials;
  const parts: string[] = [];
  if (tls) parts.push(`TLS${tls.clientCertPair ? ' with a client certificate' : ''}`);
  if (apiKey) parts.push(`API key${apiKeyEnv ? ` from ${apiKeyEnv}` : ''}`);
  return parts.length > 0 ? parts.join(', ') : 'plaintext';
}

/** A TLS or API key setting that cannot be used as given (exit 2): its code, the setting and what to fix. */
export class CredentialsConfigError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

type TemporalConfig = ProjectConfig['temporal'];

const where = (setting: Setting<unknown>): string => setting.source.replace(/^flag /, '');

function readPem(setting: Setting<string | null>, what: string): Buffer | undefined {
  if (setting.value === null) return undefined;
  try {
    return readFileSync(setting.value);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new CredentialsConfigError('TLS_FILE_UNREADABLE', `cannot read the ${what} ${displayPath(setting.value)} (${where(setting)}): ${why}; fix the path or unset it`);
  }
}

/** A PEM given as a file or as text in a variable (never both), and how a message names it. */
interface Pem {
  readonly pem: Buffer;
  /** `tls/client.pem (env TEMPORAL_TLS_CLIENT_CERT_PATH)`, or `(env TEMPORAL_TLS_CLIENT_CERT_DATA)` for the text. */
  readonly label: string;
}

/**
 * The PEM of one TLS setting, from its PATH or its DATA form. Both given is TLS_PATH_AND_DATA (as the Temporal
 * CLI refuses it): which one was meant cannot be guessed. Text with `\n` escapes and no line breaks (a CI
 * variable that cannot hold them) has them turned into line breaks.
 */
function pemOf(path: Setting<string | null>, data: Setting<string | null>, what: string): Pem | undefined {
  if (path.value !== null && data.value !== null) {
    throw new CredentialsConfigError('TLS_PATH_AND_DATA', `the ${what} is given both as a file (${where(path)}) and as PEM text (${where(data)}); unset one of them`);
  }
  if (data.value !== null) {
    const text = data.value.includes('\n') ? data.value : data.value.replace(/\\n/g, '\n');
    return { pem: Buffer.from(text), label: `(${where(data)})` };
  }
  const pem = readPem(path, what);
  return pem ? { pem, label: `${displayPath(path.value ?? '')} (${where(path)})` } : undefined;
}

function checkCertificates({ pem, label }: Pem, what: string): X509Certificate {
  try {
    // Reads the first certificate; a file of several (a chain, a CA bundle) is fine.
    return new X509Certificate(pem);
  } catch {
    throw new CredentialsConfigError('TLS_CERT_INVALID', `the ${what} ${label} is not a PEM certificate (-----BEGIN CERTIFICATE-----); give the certificate, not its key or a DER file`);
  }
}

function checkKey({ pem, label }: Pem): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    // The reason never quotes the key: it is a secret.
    throw new CredentialsConfigError('TLS_KEY_INVALID', `the client key ${label} is not a PEM private key (-----BEGIN PRIVATE KEY-----, unencrypted); give the key of the client certificate`);
  }
}

/** The TLS settings as the SDK takes them, or null for plaintext. */
function resolveTls(temporal: TemporalConfig): TLSConfig | null {
  const { tls, apiKey } = temporal;
  if (tls.disableHostVerification.value) {
    throw new CredentialsConfigError(
      'TLS_HOST_VERIFICATION_UNSUPPORTED',
      `${where(tls.disableHostVerification)} asks to skip host-name verification, which the TypeScript SDK cannot do; set TEMPORAL_TLS_SERVER_NAME (temporal.tls.server_name) to a name on the server's certificate instead`,
    );
  }
  const anyTls = [tls.serverCaCertPath, tls.serverName, tls.clientCertPath, tls.clientKeyPath, tls.serverCaCertData, tls.clientCertData, tls.clientKeyData].some((setting) => setting.value !== null);
  const enabled = tls.enabled.value ?? (anyTls || apiKey.value !== null);
  if (!enabled) return null;
  const ca = pemOf(tls.serverCaCertPath, tls.serverCaCertData, 'server CA certificate');
  const crt = pemOf(tls.clientCertPath, tls.clientCertData, 'client certificate');
  const key = pemOf(tls.clientKeyPath, tls.clientKeyData, 'client key');
  if (Boolean(crt) !== Boolean(key)) {
    const given = crt ? [tls.clientCertPath, tls.clientCertData] : [tls.clientKeyPath, tls.clientKeyData];
    const missing = crt ? 'client key (TEMPORAL_TLS_CLIENT_KEY_PATH or _DATA, temporal.tls.client_key_path)' : 'client certificate (TEMPORAL_TLS_CLIENT_CERT_PATH or _DATA, temporal.tls.client_cert_path)';
    throw new CredentialsConfigError('TLS_CLIENT_PAIR_INCOMPLETE', `mTLS needs both a client certificate and its key: ${where(given.find((setting) => setting.value !== null)!)} is set but the ${missing} is not`);
  }
  if (ca) checkCertificates(ca, 'server CA certificate');
  let clientCertPair: TLSConfig['clientCertPair'];
  if (crt && key) {
    const certificate = checkCertificates(crt, 'client certificate');
    if (!certificate.checkPrivateKey(checkKey(key))) {
      throw new CredentialsConfigError('TLS_KEY_MISMATCH', `the client key ${key.label} is not the key of the client certificate ${crt.label}; give the pair issued together`);
    }
    clientCertPair = { crt: crt.pem, key: key.pem };
  }
  return {
    ...(ca ? { serverRootCACertificate: ca.pem } : {}),
    ...(tls.serverName.value !== null ? { serverNameOverride: tls.serverName.value } : {}),
    ...(clientCertPair ? { clientCertPair } : {}),
  };
}

/**
 * Reads and checks the TLS files and the API key of the resolved `temporal` settings.
 * Throws CredentialsConfigError (with a code and what to fix) for a setting that cannot work.
 *
 * @example
 * const credentials = resolveCredentials(cliConfig().temporal);
 * await Connection.connect({ address, tls: credentials.tls ?? undefined, apiKey: credentials.apiKey ?? undefined });
 */
export function resolveCredentials(temporal: TemporalConfig): TemporalCredentials {
  const { apiKey } = temporal;
  if (apiKey.value === null && apiKey.env.source !== 'default') {
    throw new CredentialsConfigError('API_KEY_MISSING', `${apiKey.env.source} names ${apiKey.env.value} as the API key's variable, but it is not set; export ${apiKey.env.value}=<your API key>`);
  }
  return { tls: resolveTls(temporal), apiKey: apiKey.value };
}

/** The options both connection kinds take: `{ tls, apiKey }` when set, nothing for plaintext. */
export function credentialOptions(credentials: TemporalCredentials): { tls?: TLSConfig | false; apiKey?: string } {
  return {
    // Explicitly off: without it, an API key alone would switch TLS on in the SDK.
    tls: credentials.tls ?? false,
    ...(credentials.apiKey ? { apiKey: credentials.apiKey } : {}),
  };
}
