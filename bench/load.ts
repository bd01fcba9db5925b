import autocannon from 'autocannon';
import { cpuSeconds, machineBusySeconds } from './processes';

/** One `tools/call whoami` request, identical for both servers apart from `x-api-key`. */
export const WHOAMI_CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'whoami', arguments: {} },
});

export function mcpHeaders(apiKey?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
    ...(apiKey ? { 'x-api-key': apiKey } : {}),
  };
}

export interface Target {
  label: string;
  /** The MCP endpoint, e.g. http://127.0.0.1:4000/mcp. */
  url: string;
  headers: Record<string, string>;
  serverPid: number;
  /** What `structuredContent.user.email` must be. */
  expectedEmail: string;
}

/**
 * One request before any load: it must answer 200 with a JSON-RPC result that is a successful tool
 * result for the expected user. Returns the body, which every request under load must then repeat.
 */
export async function verifyTarget(target: Target): Promise<string> {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: target.headers,
    body: WHOAMI_CALL,
  });
  const text = await res.text();
  const fail = (why: string) =>
    new Error(`${target.label}: ${why} — HTTP ${res.status}, body: ${text.slice(0, 500)}`);
  if (res.status !== 200) throw fail('whoami did not answer 200');
  let body: {
    result?: { isError?: boolean; structuredContent?: { user?: { email?: string } } };
  };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw fail('the answer is not JSON');
  }
  const result = body.result;
  if (!result || result.isError) throw fail('no successful tool result');
  if (result.structuredContent?.user?.email !== target.expectedEmail) {
    throw fail(`the tool result is not for ${target.expectedEmail}`);
  }
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
  /** 2xx answers whose body differs from the verified one. */
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
}

function fire(target: Target, connections: number, duration: number, expectBody?: string) {
  return autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: WHOAMI_CALL,
    connections,
    duration,
    pipelining: 1,
    ...(expectBody ? { expectBody } : {}),
  });
}

const percent = (seconds: number, wall: number): number => Math.round((seconds / wall) * 1000) / 10;

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

/**
 * Warm-up (discarded), then the measured run with the same settings. CPU time of the server
 * process, of this process (the load generator) and of the database backends is sampled around it.
 */
export async function measure(
  target: Target,
  settings: LoadSettings,
  expectBody: string,
  databaseCpu: () => Promise<Map<number, number> | null>,
): Promise<Measurement> {
  if (settings.warmup > 0) await fire(target, settings.connections, settings.warmup);
  const serverBefore = cpuSeconds(target.serverPid);
  const dbBefore = await databaseCpu();
  const machineBefore = machineBusySeconds();
  const selfBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const r = await fire(target, settings.connections, settings.duration, expectBody);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(selfBefore);
  const self = (used.user + used.system) / 1e6;
  const machineAfter = machineBusySeconds();
  const serverAfter = cpuSeconds(target.serverPid);
  const dbAfter = await databaseCpu();
  const server = serverBefore !== null && serverAfter !== null ? serverAfter - serverBefore : null;
  const db = dbBefore && dbAfter ? cpuDelta(dbBefore, dbAfter) : null;
  const other =
    machineBefore !== null && machineAfter !== null && server !== null
      ? Math.max(0, machineAfter - machineBefore - server - self - (db ?? 0))
      : null;
  return {
    label: target.label,
    requestsPerSecond: r.requests.average,
    requestsTotal: r.requests.total,
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: r.latency.mean,
    },
    requestsPerServerCpuSecond: server ? Math.round(r.requests.total / server) : null,
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
  };
}
