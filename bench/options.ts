import { parseArgs } from 'node:util';
import { parseScenarioList, ScenarioId, SCENARIOS } from './scenarios';

export interface BenchOptions {
  /** The embedded database (fresh temp DATA_DIR) instead of a fresh PostgreSQL database. */
  embedded: boolean;
  /** Seconds of measurement per server. */
  duration: number;
  /** Seconds of load before measuring, discarded. */
  warmup: number;
  connections: number;
  /** The scenarios to run, in the table's order. */
  only: ScenarioId[];
  /** Scenarios to run once more under node --cpu-prof (empty: no profile). */
  profile: ScenarioId[];
  /** Also write bench/RESULTS.md from this run. */
  writeResults: boolean;
  json: boolean;
  build: boolean;
  /** The PostgreSQL server to create the bench database on (any database name; it is replaced). */
  pgUrl: string;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

Benchmarks the compiled server against the baseline server ../shared/perf/baseline-sdk-pooled.mjs
(SDK 1.x, pooled McpServer; $BENCH_BASELINE names another path), scenario by scenario and one server
at a time, with autocannon; also start-up to ready, and optionally a CPU profile.

Scenarios (all by default):
${SCENARIOS.map((s) => `  ${s.id.padEnd(17)}${s.label}${s.hasBaseline ? '' : ' (no baseline)'}`).join('\n')}

Options:
  --embedded         use the embedded database (fresh temporary DATA_DIR) instead of PostgreSQL
  --duration N       seconds measured per server and scenario (default 10)
  --connections N    concurrent connections (default 32)
  --warmup N         seconds of discarded load before measuring (default 3, 0 for none)
  --only A,B         only these scenarios, e.g. --only whoami-key,token
  --profile          one more run of whoami (API key) and whoami (OAuth JWT), those selected, under
                     node --cpu-prof (bench/.tmp/profile/): top frames, callers, CPU by package
                     and the credential check's share of CPU
  --profile-scenarios A,B
                     the same for these scenarios instead (any of them, e.g. tools-list,token)
  --write-results    also write bench/RESULTS.md from this run (bench/results-md.ts)
  --pg-url URL       PostgreSQL server for the fresh bench database
                     (default $BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres)
  --no-build         reuse dist/ instead of running npm run build
  --json             print the results as one JSON object instead of the table
  --help             this text

Progress goes to stderr; the results go to stdout and to bench/.tmp/latest.{txt,json}.`;

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > 100_000) {
    throw new Error(`--${name} must be a whole number of at least ${min}`);
  }
  return Number(raw);
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      embedded: { type: 'boolean' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'boolean' },
      'profile-scenarios': { type: 'string' },
      'write-results': { type: 'boolean' },
      'pg-url': { type: 'string' },
      'no-build': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const only = parseScenarioList(values.only);
  const whoami = only.filter((id) => id.startsWith('whoami'));
  const profile =
    values['profile-scenarios'] !== undefined
      ? parseScenarioList(values['profile-scenarios'])
      : values.profile
        ? whoami.length > 0
          ? whoami
          : (['whoami-key'] as ScenarioId[])
        : [];
  return {
    embedded: values.embedded ?? false,
    duration: positiveInt('duration', values.duration, 10),
    connections: positiveInt('connections', values.connections, 32),
    warmup: positiveInt('warmup', values.warmup, 3, 0),
    only,
    profile,
    writeResults: values['write-results'] ?? false,
    json: values.json ?? false,
    build: !values['no-build'],
    pgUrl:
      values['pg-url'] ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    help: values.help ?? false,
  };
}
