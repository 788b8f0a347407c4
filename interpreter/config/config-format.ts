/**
 * The format of `runbook.config.yaml`, the project's configuration: the one source of truth
 * (zod); `schema/runbook-config.schema.json` is generated from it for editor completion.
 *
 * YAML, like the runbooks themselves: comments allowed, the same editor set-up, and data only
 * (an executable config file would need a TypeScript loader at every start and could not be
 * checked statically).
 */
import { z } from 'zod';

export { CONFIG_FILE_NAMES } from './find-config.ts';

const relativePath = z.string().min(1);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

export const TemporalTlsConfigSchema = z
  .strictObject({
    server_ca_cert_path: relativePath.optional().describe('PEM file of the CA that signed the server\'s certificate, relative to this file (TEMPORAL_TLS_SERVER_CA_CERT_PATH wins). Default: the system\'s CAs.'),
    server_name: z.string().min(1).optional().describe('The name the server\'s certificate must carry, when it differs from the address\'s host (TEMPORAL_TLS_SERVER_NAME wins).'),
    client_cert_path: relativePath.optional().describe('PEM file of the client certificate for mTLS, relative to this file (TEMPORAL_TLS_CLIENT_CERT_PATH wins); needs client_key_path.'),
    client_key_path: relativePath.optional().describe('PEM file of the client certificate\'s private key, relative to this file (TEMPORAL_TLS_CLIENT_KEY_PATH wins); keep it out of the repository.'),
  })
  .describe('TLS files and names, as the Temporal CLI names them.');

export const TemporalConfigSchema = z
  .strictObject({
    address: z.string().regex(/^(?:\[[^\]]+\]|[^:\s]+):\d+$/, 'host:port').optional().describe('Temporal frontend host:port (TEMPORAL_ADDRESS wins). Default 127.0.0.1:7233.'),
    namespace: z.string().min(1).optional().describe('Temporal namespace (TEMPORAL_NAMESPACE wins). Default "default".'),
    task_queue: z.string().min(1).optional().describe('Task queue of `runbook worker` and `runbook start` (TEMPORAL_TASK_QUEUE and --task-queue win). Default "runbooks".'),
    tls: z
      .union([z.boolean(), TemporalTlsConfigSchema])
      .optional()
      .describe('TLS to the frontend: `true` (system CAs), `false`, or the files (TEMPORAL_TLS and TEMPORAL_TLS_* win). Default: on when any TLS setting or an API key is given, else off.'),
    api_key: z
      .never({ message: 'the API key is a secret and does not belong in this file: put it in an environment variable (TEMPORAL_API_KEY) and, for another name, set api_key_env' })
      .optional()
      .describe('Not allowed: the API key is a secret; see api_key_env.'),
    api_key_env: envName
      .optional()
      .describe('Name of the environment variable holding the API key (Temporal Cloud), sent as `authorization: Bearer KEY`; never the key itself. Default TEMPORAL_API_KEY.'),
  })
  .describe('Where the Temporal commands connect (docs/temporal.md, "Production connections").');

const duration = z.string().regex(/^\d+(?:\.\d+)?(?:ms|s|m|h)$/, 'a duration such as 500ms, 30s, 5m or 1h');
const listener = (what: string) =>
  z
    .strictObject({
      port: z.number().int().min(1).max(65535).describe(`Port of the ${what}.`),
      host: z.string().min(1).optional().describe('Address it binds to. Default 127.0.0.1; 0.0.0.0 for a scraper or probe outside the host (a container).'),
    })
    .describe(`The ${what} (off when absent).`);

export const WorkerConfigSchema = z
  .strictObject({
    max_concurrent_activities: z.number().int().min(1).optional().describe('Activities (handler calls) one worker runs at a time. Default 100.'),
    max_concurrent_workflow_tasks: z.number().int().min(2).optional().describe('Workflow tasks one worker runs at a time (at least 2). Default 40.'),
    max_cached_workflows: z.number().int().min(0).optional().describe('Sticky cache: runs kept in memory between tasks (0 turns it off: every task replays the history). Default: the SDK\'s, by heap size.'),
    shutdown_grace_time: duration.optional().describe('On SIGINT/SIGTERM, how long running activities may take to finish before they are cancelled. Default 10s.'),
    metrics: listener('Prometheus metrics endpoint (the SDK\'s `temporal_*` metrics at /metrics; --metrics-port wins)').optional(),
    health: listener('health endpoint: GET /healthz answers 200 while the worker is running, 503 otherwise (--health-port wins)').optional(),
  })
  .describe('`runbook worker` (and `runbook dev`\'s worker): tuning, metrics and health.');

export const TracingConfigSchema = z
  .strictObject({
    endpoint: z
      .url({ protocol: /^https?$/, error: 'an http:// or https:// URL, such as http://127.0.0.1:4318' })
      .optional()
      .describe('The OTLP/HTTP endpoint of the trace collector (the OpenTelemetry Collector, Jaeger, Tempo): its base URL, such as http://127.0.0.1:4318; /v1/traces is added unless the URL ends in it (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, as it is, and OTEL_EXPORTER_OTLP_ENDPOINT win). Absent, and no variable set: tracing is off.'),
    protocol: z.enum(['http/protobuf', 'http/json']).optional().describe('How spans are sent: "http/protobuf" or "http/json" (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL and OTEL_EXPORTER_OTLP_PROTOCOL win; gRPC is not supported: use the collector\'s OTLP/HTTP port, 4318). Default "http/protobuf".'),
    service_name: z.string().min(1).optional().describe('The spans\' service.name (OTEL_SERVICE_NAME wins). Default "runbook".'),
  })
  .describe('OpenTelemetry tracing through the Temporal SDK\'s interceptors (docs/temporal.md, "Tracing"): workers, `runbook run --runtime temporal` and the commands and console that start runs export spans linking a start to its workflow, activities and children. Off unless an endpoint is configured.');

const roleMembers = z
  .array(z.string().min(1).regex(/^(?!group:$)/, 'a group entry names its group: group:NAME'))
  .describe('Who has the role: a person\'s id or email, `group:NAME` for a group, `*` for anyone signed in.');

export const ConsoleProxyAuthSchema = z
  .strictObject({
    user_header: z.string().min(1).optional().describe('Header carrying the signed-in person\'s id, set by the authenticating proxy. Default "x-forwarded-user".'),
    name_header: z.string().min(1).optional().describe('Header carrying the display name (read only when set here; the proxy must set or strip it).'),
    email_header: z.string().min(1).optional().describe('Header carrying the email (read only when set here; the proxy must set or strip it).'),
    groups_header: z.string().min(1).optional().describe('Header carrying the groups, comma-separated (read only when set here; the proxy must set or strip it).'),
    trusted_proxies: z
      .array(z.string().min(1))
      .optional()
      .describe('Addresses (IPs or CIDRs) the identity headers are believed from; a request from anywhere else is not signed in. Default: loopback only (127.0.0.0/8, ::1).'),
  })
  .describe('Behind an authenticating proxy (oauth2-proxy, an ingress with auth): the identity comes from trusted request headers.');

export const ConsoleOidcAuthSchema = z
  .strictObject({
    issuer: z.url().describe('The OpenID provider\'s issuer URL (its /.well-known/openid-configuration is discovered). https, or http on a loopback host.'),
    client_id: z.string().min(1).describe('The client id registered at the provider.'),
    client_secret_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
      .optional()
      .describe('Name of the environment variable holding the client secret (never the secret itself). Absent: a public client (PKCE only).'),
    scopes: z.array(z.string().min(1)).optional().describe('Scopes requested. Default ["openid", "profile", "email"]; add the one your provider needs for the groups claim.'),
    user_claim: z.string().min(1).optional().describe('The claim that is the person\'s id (the actor of their decisions). Default "sub".'),
    groups_claim: z.string().min(1).optional().describe('The claim listing the person\'s groups (ID token or userinfo). Default "groups".'),
    post_logout_redirect_uri: z.url().optional().describe('Where the provider sends the browser after signing out (must be registered there). Default: the console\'s base URL.'),
  })
  .describe('Built-in OpenID Connect sign-in (authorization code + PKCE).');

export const ConsoleAuthSchema = z
  .strictObject({
    mode: z.enum(['none', 'proxy', 'oidc']).optional().describe('"none": no sign-in, one anonymous person with every role (loopback only); "proxy": trusted identity headers; "oidc": built-in OpenID Connect sign-in. Default "none".'),
    proxy: ConsoleProxyAuthSchema.optional(),
    oidc: ConsoleOidcAuthSchema.optional(),
    session_secret_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
      .optional()
      .describe('Name of the environment variable holding the secret that signs session cookies and CSRF tokens (the same value on every console replica). Default "RUNBOOK_CONSOLE_SESSION_SECRET"; unset: a random secret per process (sessions end with it).'),
    session_hours: z.number().positive().max(24 * 30).optional().describe('How long a sign-in lasts (OIDC). Default 8.'),
  })
  .superRefine((auth, context) => {
    if (auth.mode === 'oidc' && !auth.oidc) context.addIssue({ code: 'custom', path: ['oidc'], message: 'mode "oidc" needs an oidc section (issuer, client_id)' });
  })
  .describe('How the console knows who people are.');

export const ConsoleRolesSchema = z
  .strictObject({
    viewer: roleMembers.optional().describe('May see runbooks, the inbox and runs.'),
    operator: roleMembers.optional().describe('May start runs, act on reviews, send signals and cancel (implies viewer).'),
    editor: roleMembers.optional().describe('May edit runbooks in the console (implies viewer).'),
  })
  .describe('Who has which role. Absent: everyone signed in is viewer and operator, nobody is editor.');

export const ConsoleConfigSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65535).optional().describe('Port of `runbook console` / `runbook dev` (--port wins). Default 4600.'),
    host: z.string().min(1).optional().describe('Address the console binds to (--host wins). Default 127.0.0.1; beyond loopback it needs auth mode proxy or oidc.'),
    public_url: z.url().optional().describe('The URL people reach the console at, when a proxy or load balancer is in front (OIDC\'s redirect_uri is this + /auth/callback). Default http://HOST:PORT.'),
    auth: ConsoleAuthSchema.optional(),
    roles: ConsoleRolesSchema.optional(),
  })
  .describe('The web console (`runbook console`, `runbook dev`).');

export const DocumentsConfigSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
      .optional()
      .describe('PostgreSQL connection URL of the committed-document store (RUNBOOK_DOCUMENTS_URL wins; keep passwords there, not in this file). Default: the embedded SQLite file documents.sqlite in the state directory.'),
  })
  .describe('Where `commit` steps store and `previous` steps read committed documents (docs/documents.md).');

export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;
export type TracingConfig = z.infer<typeof TracingConfigSchema>;
export type ConsoleAuthConfig = z.infer<typeof ConsoleAuthSchema>;
export type ConsoleRolesConfig = z.infer<typeof ConsoleRolesSchema>;
export type ConsoleProxyAuthConfig = z.infer<typeof ConsoleProxyAuthSchema>;
export type ConsoleOidcAuthConfig = z.infer<typeof ConsoleOidcAuthSchema>;

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema of this file, for editor completion.'),
    runbooks: relativePath.optional().describe('Directory of runbook files, relative to this file. Default "runbooks".'),
    handlers: z
      .union([relativePath, z.literal(false)])
      .optional()
      .describe('Handler entry: a directory with index.ts / index.js, or the file itself, relative to this file. `false`: this project has no handlers (handler checks are skipped). Default "handlers".'),
    agents: z
      .union([relativePath, z.literal(false)])
      .optional()
      .describe('Agent entry (docs/agents.md): a directory with index.ts / index.js exporting `agents`, or the file itself, relative to this file. `false`: this project has no agents (agent checks are skipped). Default "agents" (checked only when it exists).'),
    state_dir: relativePath.optional().describe('Where generated state lives (worker state files, the validation cache), relative to this file. Default ".runbook"; add it to .gitignore.'),
    temporal: TemporalConfigSchema.optional(),
    console: ConsoleConfigSchema.optional(),
    documents: DocumentsConfigSchema.optional(),
    worker: WorkerConfigSchema.optional(),
    tracing: TracingConfigSchema.optional(),
  })
  .describe('yaml-runbook project configuration (runbook.config.yaml), found by walking up from the working directory.');

export type ConfigFile = z.infer<typeof ConfigSchema>;

/** The JSON Schema of the config file (generated into schema/runbook-config.schema.json). */
export function buildConfigJsonSchema(): Record<string, unknown> {
  return { $id: 'https://yaml-runbook.dev/schema/runbook-config.schema.json', ...z.toJSONSchema(ConfigSchema, { target: 'draft-2020-12' }) } as Record<string, unknown>;
}
