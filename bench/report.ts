import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LoadSettings, Measurement } from './load';
import type { Pinning } from './processes';
import { ROOT } from './processes';

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
  };
}

export interface BenchReport {
  startedAt: string;
  database: { kind: 'postgres' | 'embedded'; description: string; version?: string };
  settings: LoadSettings;
  pinning: Pinning;
  machine: Machine;
  keySource: string;
  ours: Measurement;
  baseline: Measurement;
  /** ours / baseline. */
  ratio: {
    requestsPerSecond: number;
    p50: number | null;
    p99: number | null;
    requestsPerServerCpuSecond: number | null;
  };
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
const ratioOf = (a: number, b: number): number | null => (b > 0 ? round(a / b) : null);

export function ratios(ours: Measurement, baseline: Measurement): BenchReport['ratio'] {
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

function row(cells: Array<string | number>, widths: number[]): string {
  return cells
    .map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
    .join('  ')
    .trimEnd();
}

const pct = (n: number | null): string => (n === null ? '-' : `${n}%`);
const times = (n: number | null): string => (n === null ? '-' : `${n}×`);

const COLUMNS = [
  ['', 22],
  ['req/s', 8],
  ['p50 ms', 7],
  ['p99 ms', 7],
  ['non-2xx', 7],
  ['errors', 6],
  ['mismatch', 8],
  ['req/CPU-s', 9],
  ['server CPU', 10],
  ['loadgen CPU', 11],
  ['db CPU', 7],
  ['other CPU', 9],
] as const;
const WIDTHS = COLUMNS.map(([, w]) => w);

function measurementRow(label: string, m: Measurement): string {
  const c = m.cpuPercent;
  return row(
    [
      label,
      round(m.requestsPerSecond, 1),
      m.latencyMs.p50,
      m.latencyMs.p99,
      m.non2xx,
      m.errors,
      m.mismatches,
      m.requestsPerServerCpuSecond ?? '-',
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
  return [
    `POST /mcp tools/call whoami — ${s.connections} connections, ${s.duration} s measured after ${s.warmup} s warm-up, one server at a time`,
    '',
    row(
      COLUMNS.map(([name]) => name),
      WIDTHS,
    ),
    measurementRow(`ours (${db.kind})`, r.ours),
    measurementRow('baseline (bare SDK)', r.baseline),
    row(
      [
        'ours / baseline',
        times(r.ratio.requestsPerSecond),
        times(r.ratio.p50),
        times(r.ratio.p99),
        '',
        '',
        '',
        times(r.ratio.requestsPerServerCpuSecond),
      ],
      WIDTHS,
    ),
    '',
    `database:  ${db.description}${db.version ? ` (server ${db.version})` : ''}`,
    `pinning:   ${r.pinning.note}`,
    `machine:   node ${m.node}, ${m.cpuModel}, ${m.cores} cores (${m.availableCores} available), ${m.memoryGiB} GiB, ${m.os}, load average ${m.loadAverage} at start`,
    `versions:  @modelcontextprotocol/sdk ${m.mcpSdk}, autocannon ${m.autocannon}`,
    `api key:   user key of bench@example.com via ${r.keySource}; latencies in whole ms (autocannon)`,
    'req/CPU-s: requests per CPU-second of the server process: its cost per request, steadier than',
    '           req/s when other work shares the machine',
    `CPU:       % of one core over the measurement; db = ${db.kind === 'postgres' ? 'PostgreSQL backends of the bench database (not pinned)' : 'none apart: PGlite runs inside the server process'};`,
    '           other = everything else on the machine (noise: rerun when it is high)',
  ].join('\n');
}

/** bench/.tmp/latest.json and latest.txt (git-ignored): the last run's results, no secrets. */
export function writeLatest(report: BenchReport, text: string): string {
  const dir = join(ROOT, 'bench', '.tmp');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.txt'), `${text}\n`);
  return dir;
}
