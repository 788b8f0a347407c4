/**
 * Bundling workflow code (the interpreter workflow, test fixtures) for a Temporal Worker.
 * Node side only.
 *
 * Our sources are ESM TypeScript that import each other with `.ts` specifiers
 * (`allowImportingTsExtensions`) and import `jsonata` (CommonJS). Temporal's bundler
 * (webpack + swc-loader) handles that as it is: a `.ts` specifier names the file itself, the
 * `.ts` rule transpiles it, and `import jsonata from 'jsonata'` gets `module.exports`
 * (verified by test/temporal/dev-server.test.ts). The config hook below only makes that
 * explicit and robust: `.ts` first in `resolve.extensions`, and `.js` specifiers that point
 * at `.ts` sources (the other common ESM-TS style) resolve too.
 */
import { bundleWorkflowCode, DefaultLogger, type BundleOptions, type LogLevel, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { resolve } from 'node:path';

export interface InterpreterBundleOptions extends Omit<BundleOptions, 'workflowsPath'> {
  /** Bundler log level when no `logger` is given (default WARN: webpack's stats are INFO). */
  logLevel?: LogLevel;
  /** Reuse a bundle made earlier in this process for the same path (default true). */
  cache?: boolean;
}

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/** Keeps the bundler's TypeScript + ESM resolution explicit; chains a caller's hook after it. */
export function interpreterWebpackConfigHook(config: WebpackConfig): WebpackConfig {
  const resolveConfig = (config.resolve ??= {});
  const extensions = resolveConfig.extensions ?? ['.ts', '.js'];
  resolveConfig.extensions = ['.ts', ...extensions.filter((ext) => ext !== '.ts')];
  resolveConfig.extensionAlias = { '.js': ['.ts', '.js'], ...(resolveConfig.extensionAlias ?? {}) };
  return config;
}

const cache = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/** Bundles the workflow module at `workflowsPath` (every exported function becomes a workflow type). */
export function bundleInterpreterWorkflow(
  workflowsPath: string,
  options: InterpreterBundleOptions = {},
): Promise<WorkflowBundleWithSourceMap> {
  const { logLevel = 'WARN', cache: useCache = true, webpackConfigHook, logger, ...rest } = options;
  const path = resolve(workflowsPath);
  // A bundle with interceptor modules (tracing: ./tracing.ts) is another bundle of the same path.
  const { workflowInterceptorModules = [], ...other } = rest;
  const key = [path, ...workflowInterceptorModules.map((module) => resolve(module))].join('\0');
  const cacheable = useCache && Object.keys(other).length === 0 && !webpackConfigHook;
  const cached = cacheable ? cache.get(key) : undefined;
  if (cached) return cached;
  const bundle = bundleWorkflowCode({
    ...rest,
    workflowsPath: path,
    logger: logger ?? new DefaultLogger(logLevel),
    webpackConfigHook: (config) => {
      const ours = interpreterWebpackConfigHook(config);
      return webpackConfigHook ? webpackConfigHook(ours) : ours;
    },
  });
  if (cacheable) {
    cache.set(key, bundle);
    bundle.catch(() => cache.delete(key));
  }
  return bundle;
}
