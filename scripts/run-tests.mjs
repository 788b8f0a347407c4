#!/usr/bin/env node
/**
 * The project's test command (`npm test`).
 *
 *   npm test                          every test/**\/*.test.ts
 *   npm test -- test/loader           a directory, a file, or any substring of a test file's path
 *   npm test -- --test-name-pattern=x arguments starting with -- go to `node --test`
 *
 * Builds lib/ (the CLI under test runs the compiled code), makes sure the Temporal CLI is installed (project .venv), starts ONE Temporal dev server for
 * the whole run (unless TEMPORAL_TEST_ADDRESS is already set), passes its address to the test
 * processes as TEMPORAL_TEST_ADDRESS / TEMPORAL_TEST_NAMESPACE, runs node's test runner with the
 * spec reporter (its summary ends with `ℹ tests N`, `ℹ pass N`, `ℹ fail N`) — the suite, then
 * the Temporal conformance cases, test/e2e/ (Chromium) and test/faults/ one file at a time, with a final `N tests, N passed, N failed` line —, stops the server,
 * even on failure or Ctrl-C, and exits with the test runner's exit code.
 *
 * Environment: TEST_CONCURRENCY (default 2), TEST_TIMEOUT_MS per test and per test file (default 300000:
 * a file of CLI processes on the dev server runs for over two minutes on a busy 2-core machine; the
 * tests inside bound themselves).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEST_DIR = join(ROOT, 'test');
const SKIP_DIRS = new Set(['node_modules', 'fixtures', 'cases', 'support']);

register();
// The same module the CLI's `runbook dev-server` uses (TypeScript, loaded through tsx).
const { startDevServer } = await import('../interpreter/temporal/dev-server.ts');
// Search attributes the interpreter upserts, precise timers: see test/support/dev-server-options.ts.
const { TEST_DEV_SERVER_OPTIONS } = await import('../test/support/dev-server-options.ts');
// One throwaway PostgreSQL server for the run (the document store's tests), like the Temporal dev server.
const { startPostgresServer } = await import('../test/support/postgres-server.ts');

const toPosix = (p) => p.split(sep).join('/');

/** Every *.test.ts under `dir`, sorted. */
function findTestFiles(dir) {
  const found = [];
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.test.ts')) {
        found.push(full);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return found.sort();
}

function selectFiles(filters) {
  const all = findTestFiles(TEST_DIR);
  if (filters.length === 0) return all;
  const selected = new Set();
  for (const filter of filters) {
    const asPath = resolve(ROOT, filter);
    if (existsSync(asPath) && statSync(asPath).isDirectory()) {
      for (const file of findTestFiles(asPath)) selected.add(file);
    } else if (existsSync(asPath) && statSync(asPath).isFile()) {
      selected.add(asPath);
    } else {
      const needle = toPosix(filter).replace(/^\.\//, '');
      for (const file of all) if (toPosix(relative(ROOT, file)).includes(needle)) selected.add(file);
    }
  }
  return [...selected].sort();
}

/**
 * Whether any selected file talks to Temporal. A filtered run of Temporal-free files (say
 * `npm test -- test/loader`) starts no server; should this guess miss, the file's own
 * getTestTemporal() starts one for its process, so nothing is ever skipped.
 */
function needsTemporal(files) {
  return files.some((file) => /temporal-env|temporal-runtime|TEMPORAL_TEST_ADDRESS/.test(readFileSync(file, 'utf8')));
}

/** Whether any selected file drives the browser (test/support/browser.ts). */
function needsPostgres(files) {
  return files.some((file) => /postgres-env|POSTGRES_TEST_URL/.test(readFileSync(file, 'utf8')));
}

function needsBrowser(files) {
  return files.some((file) => /support\/browser(\.ts)?['"]|BROWSER_WS_ENDPOINT/.test(readFileSync(file, 'utf8')));
}

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Debian's chromium, installed on first use when missing (as root, through apt-get, like .ci/run). */
function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return;
  log(`no Chromium at ${CHROMIUM_PATH}: installing Debian's chromium (apt-get install -y chromium)`);
  const apt = spawnSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' });
  if (apt.status !== 0 || !existsSync(CHROMIUM_PATH)) throw new Error(`could not install chromium (apt-get exit ${apt.status}); install it, or set CHROMIUM_PATH`);
}

/** ONE browser server for the whole run; test processes connect to it (test/support/browser.ts). */
async function startBrowserServer() {
  ensureChromium();
  const { chromium } = await import('playwright-core');
  return chromium.launchServer({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** The signal (SIGINT/SIGTERM) that interrupted the run, if any. */
let signalled;

function log(message) {
  process.stderr.write(`run-tests: ${message}\n`);
}

async function main(argv) {
  const passThrough = argv.filter((arg) => arg.startsWith('--'));
  const filters = argv.filter((arg) => !arg.startsWith('--'));
  const files = selectFiles(filters);
  if (files.length === 0) {
    log(`no test files match ${filters.length ? filters.join(' ') : 'test/**/*.test.ts'}`);
    return 2;
  }

  const started = Date.now();
  // The CLI under test (bin/runbook.js) runs the compiled lib/: build it from the sources first.
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    log('the build failed (npm run build)');
    return 1;
  }
  log(`built lib/ in ${Date.now() - started} ms`);
  let server;
  let browserServer;
  let postgres;
  let stopping = false;
  let testProcess;

  const onSignal = (signal) => {
    if (signalled) return;
    signalled = signal;
    log(`${signal}: stopping the tests and the Temporal dev server`);
    if (testProcess && testProcess.exitCode === null) testProcess.kill(signal);
    // If the tests have not started yet, stopping happens in `finally` below.
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const env = { ...process.env };
    if (env.TEMPORAL_TEST_ADDRESS) {
      env.TEMPORAL_TEST_NAMESPACE ||= 'default';
      log(`using the Temporal server at ${env.TEMPORAL_TEST_ADDRESS} (TEMPORAL_TEST_ADDRESS)`);
    } else if (filters.length > 0 && !needsTemporal(files)) {
      log('no selected test file uses Temporal: no dev server started');
    } else {
      const t0 = Date.now();
      server = await startDevServer(TEST_DEV_SERVER_OPTIONS);
      env.TEMPORAL_TEST_ADDRESS = server.address;
      env.TEMPORAL_TEST_NAMESPACE = server.namespace;
      log(`Temporal dev server on ${server.address} (pid ${server.pid}, ready in ${Date.now() - t0} ms)`);
      void server.exited.then((exit) => {
        if (!stopping) log(`WARNING: the Temporal dev server exited during the run (${JSON.stringify(exit)})\n${server.outputTail()}`);
      });
    }
    if (needsPostgres(files) && !env.POSTGRES_TEST_URL) {
      const t0 = Date.now();
      try {
        postgres = await startPostgresServer();
        env.POSTGRES_TEST_URL = postgres.url;
        log(`PostgreSQL on ${postgres.url} (ready in ${Date.now() - t0} ms)`);
      } catch (error) {
        // Never skipped in CI: the PostgreSQL tests need a real server.
        if (process.env.CI === 'true') throw error;
        log(`WARNING: no PostgreSQL server (${error instanceof Error ? error.message : String(error)}): its tests skip`);
      }
    }
    if (needsBrowser(files) && !env.BROWSER_WS_ENDPOINT) {
      const t0 = Date.now();
      browserServer = await startBrowserServer();
      env.BROWSER_WS_ENDPOINT = browserServer.wsEndpoint();
      log(`Chromium (${CHROMIUM_PATH}) ready in ${Date.now() - t0} ms`);
    }
    if (signalled) return 130;

    // Phases: the suite, then the browser tests, then the fault tests (test/faults: 60 concurrent runs, a restarted
    // server, 10,000 fuzzed runbooks) one file at a time, so their load never starves the
    // time-bounded conformance cases on the shared server. One summary line covers them all.
    // The browser tests (test/e2e: console processes, a worker and Chromium each) get a phase of their own too.
    const under = (dir) => (file) => toPosix(relative(ROOT, file)).startsWith(dir);
    const heavy = files.filter(under('test/faults/'));
    const browser = files.filter(under('test/e2e/'));
    // The time-bounded Temporal conformance cases run on their own as well: beside other files' workers
    // on 2 cores, a workflow task of a long case could take over 10 s and the case time out.
    const conformance = files.filter(under('test/conformance/temporal'));
    // The package test packs and installs the package into a fresh project (minutes, over one file's usual bound).
    const packaging = files.filter(under('test/package/'));
    const separate = new Set([...heavy, ...browser, ...conformance, ...packaging]);
    const phases = [
      { name: 'suite', files: files.filter((file) => !separate.has(file)), concurrency: process.env.TEST_CONCURRENCY || 2 },
      { name: 'package tests', files: packaging, concurrency: 1, timeoutMs: 600_000 },
      { name: 'Temporal conformance', files: conformance, concurrency: 1 },
      { name: 'browser tests', files: browser, concurrency: 1 },
      // A fault file runs for minutes (10,000 mutants); its tests set their own bounds, so the file's is wider.
      { name: 'fault tests', files: heavy, concurrency: 1, timeoutMs: 900_000 },
    ].filter((phase) => phase.files.length > 0);
    const totals = { tests: 0, pass: 0, fail: 0 };
    let worst = 0;
    for (const phase of phases) {
      const args = [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        `--test-concurrency=${phase.concurrency}`,
        `--test-timeout=${Math.max(Number(process.env.TEST_TIMEOUT_MS || 300_000), phase.timeoutMs ?? 0)}`,
        // A leaked handle (an unclosed connection) must not hang the run.
        '--test-force-exit',
        ...passThrough,
        ...phase.files.map((file) => relative(ROOT, file)),
      ];
      log(`${phase.name}: ${phase.files.length} test file(s)`);
      testProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
      // Forwarded as it comes; the summary counts are read on the way.
      let partial = '';
      testProcess.stdout.on('data', (chunk) => {
        process.stdout.write(chunk);
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const match = /^ℹ (tests|pass|fail) (\d+)$/.exec(line);
          if (match) totals[match[1]] += Number(match[2]);
        }
      });
      const { code, signal } = await new Promise((resolvePromise, reject) => {
        testProcess.on('error', reject);
        testProcess.on('close', (exitCode, exitSignal) => resolvePromise({ code: exitCode, signal: exitSignal }));
      });
      if (signalled) return signalled === 'SIGINT' ? 130 : 143;
      if (code === null) {
        log(`the test runner was killed by ${signal}`);
        return 1;
      }
      worst = Math.max(worst, code);
    }
    if (phases.length > 1) process.stdout.write(`\nrun-tests: ${totals.tests} tests, ${totals.pass} passed, ${totals.fail} failed (${phases.map((phase) => phase.name).join(' + ')})\n`);
    return worst;
  } finally {
    stopping = true;
    if (browserServer) await browserServer.close().catch(() => {});
    if (postgres) {
      try {
        postgres.stop();
      } catch (error) {
        log(`stopping PostgreSQL failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (server) {
      await server.stop();
    }
    log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

let exitCode;
try {
  exitCode = await main(process.argv.slice(2));
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  exitCode = 1;
}
if (signalled) exitCode = signalled === 'SIGINT' ? 130 : 143;
process.exit(exitCode);
