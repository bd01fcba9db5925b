import autocannon from 'autocannon';
import { loadavg } from 'node:os';
import { cpuSeconds, machineBusySeconds } from './processes';

export function mcpHeaders(credential?: {
  apiKey?: string;
  bearer?: string;
}): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
    ...(credential?.apiKey ? { 'x-api-key': credential.apiKey } : {}),
    ...(credential?.bearer ? { authorization: `Bearer ${credential.bearer}` } : {}),
  };
}

/** What autocannon sends: one fixed request (every answer must repeat `expectBody`), or a sequence. */
export interface Target {
  label: string;
  url: string;
  headers: Record<string, string>;
  /** The fixed request body (every request the same). */
  body?: string;
  /** Every 2xx answer must be exactly this (else it counts as a mismatch). */
  expectBody?: string;
  /** Requests built one at a time (e.g. a fresh refresh token each). */
  requests?: autocannon.Request[];
  /** Checks each answer when the bodies differ; false counts as a mismatch. */
  verifyBody?: (body: string | Buffer | undefined) => boolean;
  serverPid: number;
}

/**
 * One request before any load: it must answer 200 and pass `check` (null = fine, else why not).
 * Returns the body, which every request under load must then repeat.
 */
export async function verifyTarget(
  target: Target,
  check: (body: unknown) => string | null,
): Promise<string> {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: target.headers,
    body: target.body,
  });
  const text = await res.text();
  const fail = (why: string) =>
    new Error(`${target.label}: ${why} — HTTP ${res.status}, body: ${text.slice(0, 500)}`);
  if (res.status !== 200) throw fail('did not answer 200');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw fail('the answer is not JSON');
  }
  const problem = check(body);
  if (problem) throw fail(problem);
  return text;
}

export interface LoadSettings {
  connections: number;
  duration: number;
  warmup: number;
}

export interface Measurement {
  label: string;
  requestsPerSecond: number;
  requestsTotal: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /**
   * Requests answered per CPU-second the server used: its cost per request, which other load on
   * the machine disturbs less than req/s (null when the server's CPU time could not be read).
   */
  requestsPerServerCpuSecond: number | null;
  /** Server CPU per answered request, µs (the inverse of the above). */
  serverCpuMicrosPerRequest: number | null;
  /** CPU of the bench database's PostgreSQL backends per request, µs (null: embedded or none). */
  databaseCpuMicrosPerRequest: number | null;
  /** Mean bytes per response on the wire (status line, headers and body). */
  bytesPerResponse: number;
  /** Answers that differ from the verified one, or fail `verifyBody`. */
  mismatches: number;
  durationSeconds: number;
  /**
   * Share of one core used during the measurement (100 = one core busy all the time): the server,
   * this process, the PostgreSQL backends of the bench database, and everything else on the
   * machine (other people's work: noise).
   */
  cpuPercent: {
    server: number | null;
    loadGenerator: number;
    database: number | null;
    other: number | null;
  };
  /** 1-minute load average right after the measurement. */
  loadAverageAfter: number;
}

function fire(target: Target, connections: number, duration: number, check: boolean) {
  return autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    ...(target.body !== undefined ? { body: target.body } : {}),
    ...(target.requests ? { requests: target.requests } : {}),
    connections,
    duration,
    pipelining: 1,
    ...(check && target.expectBody ? { expectBody: target.expectBody } : {}),
    ...(check && target.verifyBody ? { verifyBody: target.verifyBody } : {}),
  });
}

const percent = (seconds: number, wall: number): number => Math.round((seconds / wall) * 1000) / 10;

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

/** When the measured part ran, on the monotonic clock (µs), for cutting the CPU profile to it. */
export interface Window {
  startMicros: number;
  endMicros: number;
}

const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Warm-up (discarded), then the measured run with the same settings. CPU time of the server
 * process, of this process (the load generator) and of the database backends is sampled around it.
 */
export async function measure(
  target: Target,
  settings: LoadSettings,
  databaseCpu: () => Promise<Map<number, number> | null>,
  onWindow?: (w: Window) => void,
): Promise<Measurement> {
  if (settings.warmup > 0) await fire(target, settings.connections, settings.warmup, false);
  const serverBefore = cpuSeconds(target.serverPid);
  const dbBefore = await databaseCpu();
  const machineBefore = machineBusySeconds();
  const selfBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const startMicros = monotonicMicros();
  const r = await fire(target, settings.connections, settings.duration, true);
  const endMicros = monotonicMicros();
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(selfBefore);
  const self = (used.user + used.system) / 1e6;
  const machineAfter = machineBusySeconds();
  const serverAfter = cpuSeconds(target.serverPid);
  const dbAfter = await databaseCpu();
  onWindow?.({ startMicros, endMicros });
  const server = serverBefore !== null && serverAfter !== null ? serverAfter - serverBefore : null;
  const db = dbBefore && dbAfter ? cpuDelta(dbBefore, dbAfter) : null;
  const other =
    machineBefore !== null && machineAfter !== null && server !== null
      ? Math.max(0, machineAfter - machineBefore - server - self - (db ?? 0))
      : null;
  const total = r.requests.total;
  const perRequest = (seconds: number | null): number | null =>
    seconds !== null && total > 0 ? Math.round((seconds / total) * 1e6) : null;
  return {
    label: target.label,
    requestsPerSecond: r.requests.average,
    requestsTotal: total,
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: r.latency.mean,
    },
    requestsPerServerCpuSecond: server ? Math.round(total / server) : null,
    serverCpuMicrosPerRequest: perRequest(server),
    databaseCpuMicrosPerRequest: perRequest(db),
    bytesPerResponse: total > 0 ? Math.round(r.throughput.total / total) : 0,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    durationSeconds: r.duration,
    cpuPercent: {
      server: server === null ? null : percent(server, wall),
      loadGenerator: percent(self, wall),
      database: db === null ? null : percent(db, wall),
      other: other === null ? null : percent(other, wall),
    },
    loadAverageAfter: Math.round(loadavg()[0] * 100) / 100,
  };
}
