import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  BASELINE_REQUESTS,
  BaselineFile,
  checkBaselineAnswer,
  resolveBaseline,
  startBaseline,
} from './baseline';
import { Cleanup } from './cleanup';
import { BenchDatabase, createEmbeddedDatabase, createPostgresDatabase } from './database';
import { BenchIdentity, createBenchIdentity, DEMO_EMAIL } from './fixture';
import {
  LoadSettings,
  mcpHeaders,
  measure,
  Measurement,
  Target,
  verifyTarget,
  Window,
} from './load';
import { BenchOAuth, inParallel } from './oauth';
import { BenchOptions, parseBenchOptions, USAGE } from './options';
import {
  decidePinning,
  freePort,
  ManagedProcess,
  pinSelf,
  Pinning,
  ROOT,
  runCommand,
  startProcess,
  waitUntilReady,
} from './processes';
import { ProfileSummary, summarizeProfile } from './profile';
import {
  BenchReport,
  describeMachine,
  formatReport,
  ratios,
  round,
  scenarioMet,
  ScenarioResult,
  StartupResult,
  targetChecks,
  writeLatest,
} from './report';
import { writeResultsMarkdown } from './results-md';
import { checkMcpAnswer, mcpBody, scenario, ScenarioId, WHOAMI_HEADERS_2026 } from './scenarios';
import { RefreshChains } from './token-chains';

/**
 * `npm run bench`: our compiled server (real database, real credentials) against the baseline server
 * (bench/baseline.ts), scenario by scenario, each server alone on one core while this process drives
 * it with autocannon from the other. Also start-up to ready and, with --profile, a CPU profile.
 */

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

/**
 * The measured server's limits are raised: the bench registers ~100 clients, runs as many
 * authorizations and thousands of refreshes a second from one IP. The counters still run.
 */
const BENCH_RATE_LIMITS =
  'register=1000000/1m,authorize=1000000/1m,token=1000000/1s,revoke=1000000/1s';

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

interface Running {
  server: ManagedProcess;
  base: string;
  startupMs: number;
}

interface Context {
  cleanup: Cleanup;
  db: BenchDatabase;
  env: Record<string, string>;
  settings: LoadSettings;
  pinning: Pinning;
  /** Backends moved to the load generator's core by {@link pinnedBackendCpu}, and those that could not be. */
  databasePinning: { pinned: number; failed: number };
  identity?: BenchIdentity;
  /** Resolved before anything starts when a selected scenario has a baseline. */
  baseline?: BaselineFile;
}

/**
 * The database backends' CPU for `measure`, which reads it right after the warm-up and after the
 * measured run. Each time, the backends serving the bench database are first moved to the load
 * generator's core (they exist by then: the warm-up opened the server's pool), so they never run on
 * the measured server's core: the baseline, which has no database, has its core to itself, and so
 * does our server (in production the database runs on a machine of its own). Left free to run on
 * either core, the backends took part of the server's core during `search` (the server then reached 93-96 % of
 * its core instead of 98-99 %).
 */
async function pinnedBackendCpu(ctx: Context): Promise<Map<number, number> | null> {
  if (ctx.pinning.pinned && ctx.pinning.loadCore !== undefined) {
    const { pinned, failed } = await ctx.db.pinBackends(ctx.pinning.loadCore);
    ctx.databasePinning.pinned += pinned;
    ctx.databasePinning.failed += failed;
  }
  return ctx.db.backendCpu();
}

/** The pinning note, with where the database's backends ran. */
function withDatabasePinning(
  pinning: Pinning,
  kind: BenchDatabase['kind'],
  { pinned, failed }: Context['databasePinning'],
): Pinning {
  if (!pinning.pinned || kind !== 'postgres') return pinning;
  const moved =
    failed === 0
      ? `the PostgreSQL backends of the bench database moved to core ${pinning.loadCore} too, after each warm-up (${pinned} moves)`
      : `the PostgreSQL backends of the bench database could not all be moved to core ${pinning.loadCore} (${failed} of ${pinned + failed} moves failed: taskset -p needs root for another user's processes), so they shared the server's core`;
  return { ...pinning, note: `${pinning.note}; ${moved}` };
}

/** Spawns `node [nodeArgs] dist/main.js` and times it until /health/ready answers 200. */
async function startOurs(ctx: Context, nodeArgs: string[] = []): Promise<Running> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawned = process.hrtime.bigint();
  const server = startProcess(
    ctx.cleanup,
    'server (dist/main.js)',
    [...nodeArgs, 'dist/main.js'],
    { ...ctx.env, PORT: String(port), PUBLIC_URL: base },
    ctx.pinning.serverCore,
  );
  await waitUntilReady(`${base}/health/ready`, server, 200, 120_000, 25);
  const startupMs = Math.round(Number(process.hrtime.bigint() - spawned) / 1e6);
  return { server, base, startupMs };
}

/** The load for one scenario on our server, checked with one request first. */
async function prepareOurs(
  ctx: Context,
  id: ScenarioId,
  running: Running,
  notes: string[],
): Promise<Target> {
  const identity = ctx.identity!;
  const { base, server } = running;
  if (id === 'token') return prepareTokenChains(ctx, running, notes);
  let headers: Record<string, string>;
  let email = identity.email;
  if (id === 'whoami-jwt' || id === 'whoami-jwt-2026') {
    const oauth = new BenchOAuth(base, { email: identity.email, password: identity.password });
    const { tokens } = await oauth.connect('bench whoami (JWT)');
    headers = mcpHeaders({ bearer: tokens.accessToken });
    if (id === 'whoami-jwt-2026') headers = { ...headers, ...WHOAMI_HEADERS_2026 };
    notes.push(
      `access token (ES256, ${tokens.expiresIn} s, scope "${tokens.scope}") from POST /register, the sign-in and consent forms and an authorization-code exchange`,
    );
  } else if (id === 'search') {
    headers = mcpHeaders({ apiKey: identity.demoKey });
    email = DEMO_EMAIL;
  } else if (id === 'whoami-key-2026') {
    headers = { ...mcpHeaders({ apiKey: identity.key }), ...WHOAMI_HEADERS_2026 };
  } else {
    headers = mcpHeaders({ apiKey: identity.key });
  }
  const target: Target = {
    label: `ours ${id}`,
    url: `${base}/mcp`,
    headers,
    body: mcpBody(id),
    serverPid: server.pid,
  };
  target.expectBody = await verifyTarget(target, (b) => checkMcpAnswer(id, b as never, email));
  describeAnswer(id, target.expectBody, notes, 'ours');
  return target;
}

function describeAnswer(id: ScenarioId, body: string, notes: string[], side: string): void {
  const parsed = JSON.parse(body) as {
    result?: { tools?: unknown[]; structuredContent?: { results?: unknown[] } };
  };
  if (id === 'tools-list') notes.push(`${side}: ${parsed.result?.tools?.length ?? 0} tools listed`);
  if (id === 'search') {
    notes.push(`${side}: ${parsed.result?.structuredContent?.results?.length ?? 0} products found`);
  }
}

/**
 * One rotating refresh-token chain per client (and so per grant): register, authorize through the
 * forms (the first signs in, the rest reuse the browser session), exchange the code. Chains lost
 * when autocannon stops mid-request are covered by having 3× as many chains as connections.
 */
async function prepareTokenChains(
  ctx: Context,
  running: Running,
  notes: string[],
): Promise<Target> {
  const identity = ctx.identity!;
  const oauth = new BenchOAuth(running.base, {
    email: identity.email,
    password: identity.password,
  });
  const count = ctx.settings.connections * 3 + 16;
  log(`token: registering ${count} clients and authorizing each (forms + code exchange)…`);
  const started = Date.now();
  const first = await oauth.connect('bench token 0');
  const rest = await inParallel(count - 1, 4, (i) => oauth.connect(`bench token ${i + 1}`));
  const links = [first, ...rest].map((c) => ({
    clientId: c.clientId,
    refreshToken: c.tokens.refreshToken,
  }));
  // The check: one refresh on the first chain, whose next token goes back into the queue.
  const checked = await oauth.refresh(links[0].clientId, links[0].refreshToken);
  links[0] = { clientId: links[0].clientId, refreshToken: checked.refreshToken };
  log(`token: ${count} chains ready in ${Date.now() - started} ms`);
  const chains = new RefreshChains(links);
  chainsInUse = chains;
  notes.push(
    `${count} refresh-token chains (one client and grant each); every answer's refresh token is sent again`,
  );
  return {
    label: 'ours token',
    url: oauth.tokenUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: chains.requests(),
    verifyBody: RefreshChains.verifyBody,
    serverPid: running.server.pid,
  };
}

let chainsInUse: RefreshChains | undefined;

async function benchBaseline(
  ctx: Context,
  id: Exclude<ScenarioId, 'token'>,
  notes: string[],
): Promise<Measurement> {
  const file = ctx.baseline!;
  const request = BASELINE_REQUESTS[id];
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startBaseline(ctx.cleanup, file, port, ctx.pinning.serverCore);
  log(`${id}: baseline pid ${server.pid}: node ${file.shown} ${port} (cwd ${ROOT})`);
  try {
    await waitUntilReady(`${base}/mcp`, server, 405);
    const target: Target = {
      label: `baseline ${id}`,
      url: `${base}/mcp`,
      headers: request.headers,
      body: request.body,
      serverPid: server.pid,
    };
    target.expectBody = await verifyTarget(target, (b) => checkBaselineAnswer(id, b as never));
    notes.push(`baseline: ${request.reference}`);
    // Tool and product counts only where the baseline got our request (not its whoami instead).
    if (request.body === mcpBody(id)) describeAnswer(id, target.expectBody, notes, 'baseline');
    log(`${id}: baseline verified, measuring ${ctx.settings.duration} s…`);
    return await measure(target, ctx.settings, async () => null);
  } finally {
    await server.stop();
  }
}

async function runScenario(
  ctx: Context,
  id: ScenarioId,
  startup: number[],
): Promise<ScenarioResult> {
  const info = scenario(id);
  const notes: string[] = [];
  const running = await startOurs(ctx);
  startup.push(running.startupMs);
  log(`${id}: our server ready in ${running.startupMs} ms`);
  let ours: Measurement;
  try {
    const target = await prepareOurs(ctx, id, running, notes);
    log(`${id}: ours verified, measuring ${ctx.settings.duration} s…`);
    ours = await measure(target, ctx.settings, () => pinnedBackendCpu(ctx));
  } finally {
    await running.server.stop();
  }
  const { server: serverCpu, database: dbCpu, other: otherCpu } = ours.cpuPercent;
  if (serverCpu !== null && serverCpu < 80 && ours.requestsPerServerCpuSecond) {
    const why =
      dbCpu !== null && dbCpu > 5
        ? `the rest is waiting: database round trips, commits and the connection pool (the backends used ${dbCpu}% of a core), or the machine's other load (${otherCpu ?? '-'}% of a core)`
        : `it was starved by the machine's other load (${otherCpu ?? '-'}% of a core)`;
    notes.push(
      `our server used only ${serverCpu}% of its core: ${why}; its cost per request would allow ~${ours.requestsPerServerCpuSecond} req/s on a core of its own`,
    );
  }
  if (id === 'token' && chainsInUse) {
    notes.push(
      `chains: ${chainsInUse.waiting} still waiting at the end, ${chainsInUse.failed} answers without a new token, ${chainsInUse.starved} requests found no token waiting`,
    );
  }
  const baseline = id === 'token' ? null : await benchBaseline(ctx, id, notes);
  const ratio = baseline ? ratios(ours, baseline) : null;
  return {
    id,
    label: info.label,
    request: info.request,
    target: info.target,
    ours,
    baseline,
    ratio,
    met: scenarioMet(id, ours, ratio),
    notes,
  };
}

/** One more run of `id` under `node --cpu-prof`, summed up over the measured window only. */
async function profileScenario(ctx: Context, id: ScenarioId): Promise<ProfileSummary> {
  const dir = join(ROOT, 'bench', '.tmp', 'profile');
  mkdirSync(dir, { recursive: true });
  const name = `${id}.cpuprofile`;
  rmSync(join(dir, name), { force: true });
  const running = await startOurs(ctx, [
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    '--cpu-prof-name',
    name,
  ]);
  let window: Window | undefined;
  let measured: Measurement;
  try {
    const target = await prepareOurs(ctx, id, running, []);
    log(`${id}: profiling ${ctx.settings.duration} s under node --cpu-prof…`);
    measured = await measure(
      target,
      ctx.settings,
      () => pinnedBackendCpu(ctx),
      (w) => (window = w),
    );
  } finally {
    await running.server.stop();
  }
  const file = join(dir, name);
  if (!existsSync(file)) throw new Error(`no CPU profile was written to ${file}`);
  const summary: ProfileSummary = {
    id,
    ...summarizeProfile(file, scenario(id).label, window),
    measured: {
      requestsPerSecond: round(measured.requestsPerSecond, 1),
      p99: measured.latencyMs.p99,
      serverCpuMicrosPerRequest: measured.serverCpuMicrosPerRequest,
    },
  };
  log(
    `${id}: profiled run ${round(measured.requestsPerSecond, 1)} req/s, ${measured.serverCpuMicrosPerRequest} µs CPU/req (profiler overhead included)`,
  );
  return summary;
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
  const baseline = options.only.some((id) => scenario(id).hasBaseline)
    ? resolveBaseline()
    : undefined;
  if (baseline) log(`baseline server: ${baseline.path} (sha256 ${baseline.sha256})`);
  if (options.build) await build(cleanup);
  if (!existsSync(join(ROOT, 'dist', 'main.js')))
    throw new Error('dist/main.js is missing: build first');
  const db = await openDatabase(options, cleanup);
  log(`database: ${db.description}`);
  const env = {
    ...db.env,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
    DEMO_PASSWORD: randomBytes(12).toString('base64url'),
    RATE_LIMITS: BENCH_RATE_LIMITS,
  };
  log(pinning.note);
  pinSelf(pinning);
  const ctx: Context = {
    cleanup,
    db,
    env,
    settings,
    pinning,
    databasePinning: { pinned: 0, failed: 0 },
    baseline,
  };

  // Start-up on the fresh database: migrations and the demo seed run before ready.
  const fresh = await startOurs(ctx);
  log(`fresh database: our server ready in ${fresh.startupMs} ms (migrations + demo seed)`);
  await fresh.server.stop();

  ctx.identity = await createBenchIdentity(
    cleanup,
    env,
    [...options.only, ...options.profile].includes('search'),
  );
  log(`organization, user and API keys created (keys via ${ctx.identity.keySource})`);

  const restarts: number[] = [];
  const scenarios: ScenarioResult[] = [];
  for (const id of options.only) scenarios.push(await runScenario(ctx, id, restarts));

  const profiles: ProfileSummary[] = [];
  for (const id of options.profile) {
    const summary = await profileScenario(ctx, id);
    profiles.push(summary);
    log(`${id}: credential check ${summary.credential.percent}% of the server's CPU`);
  }

  const startup: StartupResult = {
    freshMs: fresh.startupMs,
    restartMs: restarts,
    targetMs: db.kind === 'postgres' ? 3000 : 10000,
  };
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    database: {
      kind: db.kind,
      description: db.description,
      ...('version' in db ? { version: String(db.version) } : {}),
    },
    settings,
    pinning: withDatabasePinning(pinning, db.kind, ctx.databasePinning),
    machine,
    loadAverageAtEnd: Math.round(loadavg()[0] * 100) / 100,
    keySource: ctx.identity.keySource,
    ...(baseline
      ? {
          baseline: {
            file: baseline.shown,
            sha256: baseline.sha256,
            command: `node ${baseline.shown} PORT`,
          },
        }
      : {}),
    serverSettings: `node dist/main.js, LOG_LEVEL=warn, SEED_DEMO=true (DEMO_PASSWORD set), RATE_LIMITS=${BENCH_RATE_LIMITS} (limits raised for one-IP load; the counters still run)`,
    startup,
    scenarios,
    profiles,
    targets: targetChecks(scenarios, startup, profiles, db.kind),
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
    if (options.writeResults) log(`wrote ${writeResultsMarkdown([report])}`);
    return 0;
  } catch (err) {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await cleanup.run();
  }
}

void main().then((code) => process.exit(code));
