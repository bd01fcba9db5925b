import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { Cleanup } from './cleanup';
import { BenchDatabase, createEmbeddedDatabase, createPostgresDatabase } from './database';
import { BENCH_EMAIL, BenchIdentity, createBenchIdentity } from './fixture';
import { LoadSettings, mcpHeaders, measure, Measurement, verifyTarget } from './load';
import { BenchOptions, parseBenchOptions, USAGE } from './options';
import {
  decidePinning,
  freePort,
  pinSelf,
  Pinning,
  ROOT,
  runCommand,
  startProcess,
  waitUntilReady,
} from './processes';
import { BenchReport, describeMachine, formatReport, ratios, writeLatest } from './report';

/**
 * `npm run bench`: our compiled server (user API key, real database) against a bare SDK stateless
 * server, each alone on one core while this process drives it with autocannon from the other.
 */

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

async function build(cleanup: Cleanup): Promise<void> {
  log('building the server (npm run build)…');
  const result = await runCommand(cleanup, 'npm', ['run', '-s', 'build']);
  if (result.code !== 0) {
    throw new Error(`npm run build failed:\n${(result.stdout + result.stderr).slice(-3000)}`);
  }
}

async function openDatabase(options: BenchOptions, cleanup: Cleanup) {
  if (options.embedded) return createEmbeddedDatabase(cleanup);
  return createPostgresDatabase(cleanup, options.pgUrl);
}

async function benchOurs(
  cleanup: Cleanup,
  db: BenchDatabase,
  identity: BenchIdentity,
  env: Record<string, string>,
  settings: LoadSettings,
  pinning: Pinning,
): Promise<Measurement> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startProcess(
    cleanup,
    'server (dist/main.js)',
    ['dist/main.js'],
    { ...env, PORT: String(port), PUBLIC_URL: base },
    pinning.serverCore,
  );
  await waitUntilReady(`${base}/health/ready`, server);
  const target = {
    label: 'ours',
    url: `${base}/mcp`,
    headers: mcpHeaders(identity.key),
    serverPid: server.pid,
    expectedEmail: identity.email,
  };
  const body = await verifyTarget(target);
  log(`ours: verified, measuring ${settings.duration} s…`);
  const result = await measure(target, settings, body, () => db.backendCpu());
  await server.stop();
  return result;
}

/**
 * The baseline as plain JavaScript (no ts-node in the measured process, like dist/main.js), in a
 * temporary folder outside the repository (lint and prettier never see it); NODE_PATH points its
 * requires at our node_modules.
 */
function compileBaseline(cleanup: Cleanup): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-bench-baseline-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  cleanup.add(`remove ${dir}`, async () => remove(), remove);
  const source = readFileSync(join(ROOT, 'bench', 'baseline-server.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const file = join(dir, 'baseline-server.js');
  writeFileSync(file, outputText);
  return file;
}

async function benchBaseline(
  cleanup: Cleanup,
  settings: LoadSettings,
  pinning: Pinning,
): Promise<Measurement> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startProcess(
    cleanup,
    'baseline server',
    [compileBaseline(cleanup)],
    { PORT: String(port), NODE_PATH: join(ROOT, 'node_modules') },
    pinning.serverCore,
  );
  await waitUntilReady(`${base}/mcp`, server, 405);
  const target = {
    label: 'baseline',
    url: `${base}/mcp`,
    headers: mcpHeaders(),
    serverPid: server.pid,
    expectedEmail: BENCH_EMAIL,
  };
  const body = await verifyTarget(target);
  log(`baseline: verified, measuring ${settings.duration} s…`);
  const result = await measure(target, settings, body, async () => null);
  await server.stop();
  return result;
}

async function run(options: BenchOptions, cleanup: Cleanup): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const settings: LoadSettings = {
    connections: options.connections,
    duration: options.duration,
    warmup: options.warmup,
  };
  const pinning = decidePinning();
  const machine = describeMachine();
  if (options.build) await build(cleanup);
  if (!existsSync(join(ROOT, 'dist', 'main.js')))
    throw new Error('dist/main.js is missing: build first');
  const db = await openDatabase(options, cleanup);
  log(`database: ${db.description}`);
  const env = { ...db.env, LOG_LEVEL: 'warn', SEED_DEMO: 'false' };
  const identity = await createBenchIdentity(cleanup, env);
  log(`organization, user and API key created (key via ${identity.keySource})`);
  log(pinning.note);
  pinSelf(pinning);
  const ours = await benchOurs(cleanup, db, identity, env, settings, pinning);
  const baseline = await benchBaseline(cleanup, settings, pinning);
  return {
    startedAt,
    database: {
      kind: db.kind,
      description: db.description,
      ...('version' in db ? { version: String(db.version) } : {}),
    },
    settings,
    pinning,
    machine,
    keySource: identity.keySource,
    ours,
    baseline,
    ratio: ratios(ours, baseline),
  };
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    log(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const cleanup = new Cleanup(log);
  cleanup.handleSignals();
  try {
    const report = await run(options, cleanup);
    const text = formatReport(report);
    const dir = writeLatest(report, text);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${text}\n`);
    log(`results written to ${dir}/latest.{txt,json}`);
    return 0;
  } catch (err) {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await cleanup.run();
  }
}

void main().then((code) => process.exit(code));
