import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LoadSettings, Measurement } from './load';
import type { Pinning } from './processes';
import { ROOT } from './processes';
import type { ProfileSummary } from './profile';
import { formatProfile } from './profile';
import type { ScenarioId } from './scenarios';

export interface Machine {
  node: string;
  cpuModel: string;
  cores: number;
  /** Cores this process may use when the bench starts (before pinning). */
  availableCores: number;
  /** 1-minute load average when the bench started: other work on the machine skews the figures. */
  loadAverage: number;
  os: string;
  memoryGiB: number;
  mcpSdk: string;
  autocannon: string;
  /** Versions of the libraries on the hot path. */
  packages: Record<string, string>;
}

function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const HOT_PATH_PACKAGES = [
  '@modelcontextprotocol/server',
  '@nestjs/core',
  '@nestjs/platform-fastify',
  'fastify',
  '@nestjs/passport',
  'typeorm',
  'pg',
  '@electric-sql/pglite',
  'zod',
];

export function describeMachine(): Machine {
  return {
    node: process.version,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    availableCores: availableParallelism(),
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    os: `${platform()} ${release()} ${arch()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    mcpSdk: packageVersion('@modelcontextprotocol/sdk'),
    autocannon: packageVersion('autocannon'),
    packages: Object.fromEntries(HOT_PATH_PACKAGES.map((p) => [p, packageVersion(p)])),
  };
}

export interface Ratio {
  requestsPerSecond: number;
  p50: number | null;
  p99: number | null;
  requestsPerServerCpuSecond: number | null;
}

export interface ScenarioResult {
  id: ScenarioId;
  label: string;
  request: string;
  target: string | null;
  ours: Measurement;
  baseline: Measurement | null;
  /** ours / baseline. */
  ratio: Ratio | null;
  /** Whether the issue's target holds (null: no target for this scenario). */
  met: boolean | null;
  notes: string[];
}

export interface StartupResult {
  /** Spawn → /health/ready 200 on the fresh database (migrations and demo seed included), ms. */
  freshMs: number;
  /** The same on the now populated database, once per scenario run, ms. */
  restartMs: number[];
  targetMs: number;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  database: { kind: 'postgres' | 'embedded'; description: string; version?: string };
  settings: LoadSettings;
  pinning: Pinning;
  machine: Machine;
  /** 1-minute load average when the bench ended. */
  loadAverageAtEnd: number;
  keySource: string;
  /** The baseline server measured (absent when no selected scenario has one). */
  baseline?: {
    file: string;
    sha256: string;
    /** How it is started (from the project root, on our server's core). */
    command: string;
  };
  /** What differs from production settings on the measured server (rate limits, logging). */
  serverSettings: string;
  startup: StartupResult;
  scenarios: ScenarioResult[];
  profiles: ProfileSummary[];
  targets: TargetCheck[];
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
const ratioOf = (a: number, b: number): number | null => (b > 0 ? round(a / b) : null);

export function ratios(ours: Measurement, baseline: Measurement): Ratio {
  return {
    requestsPerSecond: ratioOf(ours.requestsPerSecond, baseline.requestsPerSecond) ?? 0,
    p50: ratioOf(ours.latencyMs.p50, baseline.latencyMs.p50),
    p99: ratioOf(ours.latencyMs.p99, baseline.latencyMs.p99),
    requestsPerServerCpuSecond:
      ours.requestsPerServerCpuSecond && baseline.requestsPerServerCpuSecond
        ? ratioOf(ours.requestsPerServerCpuSecond, baseline.requestsPerServerCpuSecond)
        : null,
  };
}

/**
 * The issue's targets (issue 16): whoami in both eras, with a key and a JWT, ≥ 1.3× the baseline's
 * req/s, ≤ 0.77× its CPU per request and ≤ 1.5× its p99; tools/list ≥ 1.3×; search ≥ 0.8×; the token
 * endpoint ≥ 800 refreshes/s with p99 ≤ 100 ms.
 */
export function scenarioMet(
  id: ScenarioId,
  ours: Measurement,
  ratio: Ratio | null,
): boolean | null {
  if (id === 'token') return ours.requestsPerSecond >= 800 && ours.latencyMs.p99 <= 100;
  if (!ratio) return null;
  if (id === 'tools-list') return ratio.requestsPerSecond >= 1.3;
  if (id === 'search') return ratio.requestsPerSecond >= 0.8;
  if (ratio.p99 === null || ratio.requestsPerServerCpuSecond === null) return null;
  // CPU per request ≤ 0.77× the baseline's is requests per CPU-second ≥ 1 / 0.77.
  return (
    ratio.requestsPerSecond >= 1.3 &&
    ratio.requestsPerServerCpuSecond >= 1 / 0.77 &&
    ratio.p99 <= 1.5
  );
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
};

export function targetChecks(
  scenarios: ScenarioResult[],
  startup: StartupResult,
  profiles: ProfileSummary[],
  dbKind: 'postgres' | 'embedded',
): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const s of scenarios) {
    if (s.target === null) continue;
    const measured = s.ratio
      ? `${s.ratio.requestsPerSecond}× req/s, ${s.ratio.p99 ?? '-'}× p99 (req/CPU-s ${s.ratio.requestsPerServerCpuSecond ?? '-'}×)`
      : `${Math.round(s.ours.requestsPerSecond)} req/s (p50 ${s.ours.latencyMs.p50} ms, p99 ${s.ours.latencyMs.p99} ms at ${s.ours.label})`;
    out.push({ target: `${s.label}: ${s.target}`, measured, met: s.met });
  }
  for (const p of profiles) {
    if (p.id === 'token') continue; // public clients: no credential check at the token endpoint
    out.push({
      target: `credential check ≤ 5 % of the request's CPU (${p.scenario})`,
      measured: `${p.credential.percent} % (CPU profile, lower bound)`,
      met: p.credential.percent <= 5,
    });
  }
  const where = dbKind === 'postgres' ? 'PostgreSQL' : 'embedded';
  out.push({
    target: `start-up to ready ≤ ${startup.targetMs / 1000} s (${where}, fresh database)`,
    measured: `${round(startup.freshMs / 1000, 2)} s (migrations and demo seed included)`,
    met: startup.freshMs <= startup.targetMs,
  });
  const restart = median(startup.restartMs);
  if (restart !== null) {
    out.push({
      target: `start-up to ready ≤ ${startup.targetMs / 1000} s (${where}, existing database)`,
      measured: `${round(restart / 1000, 2)} s median of ${startup.restartMs.length} (max ${round(Math.max(...startup.restartMs) / 1000, 2)} s)`,
      met: Math.max(...startup.restartMs) <= startup.targetMs,
    });
  }
  return out;
}

function row(cells: Array<string | number>, widths: number[]): string {
  return cells
    .map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
    .join('  ')
    .trimEnd();
}

const pct = (n: number | null): string => (n === null ? '-' : `${n}%`);
const times = (n: number | null | undefined): string =>
  n === null || n === undefined ? '-' : `${n}×`;
const dash = (n: number | null): string | number => (n === null ? '-' : n);
export const yesNo = (met: boolean | null): string => (met === null ? '-' : met ? 'yes' : 'NO');

const COLUMNS = [
  ['', 28],
  ['req/s', 8],
  ['p50 ms', 6],
  ['p99 ms', 6],
  ['failed', 6],
  ['µs CPU/req', 10],
  ['req/CPU-s', 9],
  ['db µs/req', 9],
  ['B/resp', 6],
  ['server CPU', 10],
  ['loadgen', 7],
  ['db CPU', 6],
  ['other CPU', 9],
] as const;
const WIDTHS = COLUMNS.map(([, w]) => w);

/** Non-2xx answers, socket errors, timeouts and wrong bodies together. */
export const failedCount = (m: Measurement): number =>
  m.non2xx + m.errors + m.timeouts + m.mismatches;

function measurementRow(label: string, m: Measurement): string {
  const c = m.cpuPercent;
  return row(
    [
      label,
      round(m.requestsPerSecond, 1),
      m.latencyMs.p50,
      m.latencyMs.p99,
      failedCount(m),
      dash(m.serverCpuMicrosPerRequest),
      dash(m.requestsPerServerCpuSecond),
      dash(m.databaseCpuMicrosPerRequest),
      m.bytesPerResponse,
      pct(c.server),
      pct(c.loadGenerator),
      pct(c.database),
      pct(c.other),
    ],
    WIDTHS,
  );
}

export function formatReport(r: BenchReport): string {
  const s = r.settings;
  const m = r.machine;
  const db = r.database;
  const lines = [
    `npm run bench — ${db.kind}: ${s.connections} connections, ${s.duration} s measured after ${s.warmup} s warm-up, one server at a time`,
    '',
    row(
      COLUMNS.map(([name]) => name),
      WIDTHS,
    ),
  ];
  for (const sc of r.scenarios) {
    lines.push(measurementRow(`${sc.label}: ours`, sc.ours));
    if (sc.baseline && sc.ratio) {
      lines.push(measurementRow('  baseline (SDK 1.x pooled)', sc.baseline));
      lines.push(
        row(
          [
            '  ours / baseline',
            times(sc.ratio.requestsPerSecond),
            times(sc.ratio.p50),
            times(sc.ratio.p99),
            '',
            '',
            times(sc.ratio.requestsPerServerCpuSecond),
          ],
          WIDTHS,
        ),
      );
    } else {
      lines.push('  (no baseline: the baseline server has no token endpoint)');
    }
    for (const note of sc.notes) lines.push(`  note: ${note}`);
  }
  const restart = median(r.startup.restartMs);
  lines.push(
    '',
    `start-up to ready (spawn → /health/ready 200): fresh database ${r.startup.freshMs} ms (migrations + demo seed); existing database median ${restart ?? '-'} ms of [${r.startup.restartMs.join(', ')}] ms; target ≤ ${r.startup.targetMs} ms`,
  );
  for (const p of r.profiles) lines.push('', formatProfile(p));
  lines.push('', 'targets:');
  for (const t of r.targets) lines.push(`  ${yesNo(t.met).padEnd(3)}  ${t.target} — ${t.measured}`);
  lines.push(
    '',
    `database:  ${db.description}${db.version ? ` (server ${db.version})` : ''}`,
    `server:    ${r.serverSettings}`,
    ...(r.baseline
      ? [
          `baseline:  ${r.baseline.command} from the project root, on the server's core, sha256 ${r.baseline.sha256}; request per scenario in the notes`,
        ]
      : []),
    `pinning:   ${r.pinning.note}`,
    `machine:   node ${m.node}, ${m.cpuModel}, ${m.cores} cores (${m.availableCores} available), ${m.memoryGiB} GiB, ${m.os}; load average ${m.loadAverage} at start, ${r.loadAverageAtEnd} at end`,
    `versions:  @modelcontextprotocol/sdk ${m.mcpSdk} (the baseline's), autocannon ${m.autocannon}, ${Object.entries(
      m.packages,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `api keys:  user keys via ${r.keySource}; latencies in whole ms (autocannon)`,
    'µs CPU/req, req/CPU-s: server-process CPU per request and requests per CPU-second: the cost per',
    '           request, steadier than req/s when other work shares the machine',
    `db µs/req: ${db.kind === 'postgres' ? 'CPU of the PostgreSQL backends of the bench database per request' : 'none apart: PGlite runs inside the server process'}; B/resp: bytes per response on the wire`,
    'CPU:       % of one core over the measurement; other = everything else on the machine (noise)',
  );
  return lines.join('\n');
}

/** bench/.tmp/latest.json and latest.txt (git-ignored): the last run's results, no secrets. */
export function writeLatest(report: BenchReport, text: string): string {
  const dir = join(ROOT, 'bench', '.tmp');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.txt'), `${text}\n`);
  writeFileSync(join(dir, `${report.database.kind}.json`), `${JSON.stringify(report, null, 2)}\n`);
  return dir;
}
