import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Measurement } from './load';
import { ROOT } from './processes';
import type { BenchReport, ScenarioResult } from './report';
import { failedCount, round, yesNo } from './report';

/**
 * Writes bench/RESULTS.md from one or more `npm run bench` reports (latest.json, postgres.json,
 * embedded.json in bench/.tmp/): machine and versions, the results table against the baseline,
 * start-up, the targets and the CPU profiles' top frames. Nothing in it is written by hand.
 *
 *   node -r ts-node/register/transpile-only bench/results-md.ts [--out FILE] [REPORT.json …]
 *
 * Without reports it takes bench/.tmp/postgres.json and bench/.tmp/embedded.json, those present.
 */

const esc = (s: string): string =>
  s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cell = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '–' : esc(String(v));
const x = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : `${v}×`);

function table(
  head: string[],
  rows: Array<Array<string | number | null | undefined>>,
  /** How many leading columns are left-aligned, or one letter per column: l(eft) or r(ight). */
  alignment: number | string = 1,
): string {
  const align = head.map((_, i) =>
    (typeof alignment === 'string' ? alignment[i] === 'l' : i < alignment) ? ':--' : '--:',
  );
  return [
    `| ${head.join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function sideRow(
  label: string,
  side: string,
  m: Measurement,
  s: ScenarioResult,
  ours: boolean,
): Array<string | number | null> {
  return [
    ours ? `**${label}**` : '',
    side,
    round(m.requestsPerSecond, 1),
    m.latencyMs.p50,
    m.latencyMs.p99,
    failedCount(m),
    m.serverCpuMicrosPerRequest,
    m.requestsPerServerCpuSecond,
    m.databaseCpuMicrosPerRequest,
    m.bytesPerResponse,
    m.cpuPercent.other === null ? null : `${m.cpuPercent.other}%`,
    ours && s.ratio ? x(s.ratio.requestsPerSecond) : '',
    ours && s.ratio ? x(s.ratio.p99) : '',
    ours && s.ratio ? x(s.ratio.requestsPerServerCpuSecond) : '',
    ours ? (s.target ?? '–') : '',
    ours ? yesNo(s.met) : '',
  ];
}

function section(r: BenchReport): string {
  const m = r.machine;
  const db = r.database;
  const title =
    db.kind === 'postgres' ? `PostgreSQL ${db.version ?? ''}`.trim() : 'Embedded (PGlite)';
  const out: string[] = [];
  out.push(`## ${title} — ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`, '');
  out.push(
    table(
      ['', ''],
      [
        [
          'machine',
          `${m.cpuModel}, ${m.cores} cores (${m.availableCores} available), ${m.memoryGiB} GiB, ${m.os}`,
        ],
        [
          'load average (1 min)',
          `${m.loadAverage} at start, ${r.loadAverageAtEnd} at end (other engineers' test runs share the machine)`,
        ],
        ['pinning', r.pinning.note],
        ['node', m.node],
        ['@modelcontextprotocol/sdk (the baseline server)', m.mcpSdk],
        ['autocannon', m.autocannon],
        [
          'hot-path libraries',
          Object.entries(m.packages)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        ],
        ['database', `${db.description}${db.version ? ` (server ${db.version})` : ''}`],
        [
          'load',
          `${r.settings.connections} connections, ${r.settings.warmup} s warm-up (discarded), ${r.settings.duration} s measured, pipelining 1, one server at a time`,
        ],
        ['our server', r.serverSettings],
        [
          'baseline',
          r.baseline
            ? `\`${r.baseline.file}\` (sha256 \`${r.baseline.sha256}\`), run unchanged as \`${r.baseline.command}\` from the project root on our server's core: the official SDK 1.x on node:http, McpServer instances pooled, a new StreamableHTTPServerTransport (stateless, JSON responses) per request, one tool \`whoami\` with a fixed identity and an output schema, no auth, no database`
            : 'not recorded in this report',
        ],
      ],
      2,
    ),
    '',
  );
  out.push('### Results', '');
  const rows: Array<Array<string | number | null>> = [];
  for (const s of r.scenarios) {
    rows.push(sideRow(s.label, 'ours', s.ours, s, true));
    if (s.baseline) rows.push(sideRow(s.label, 'baseline', s.baseline, s, false));
  }
  out.push(
    table(
      [
        'scenario',
        'server',
        'req/s',
        'p50 ms',
        'p99 ms',
        'failed',
        'µs CPU/req',
        'req/CPU-s',
        'db µs/req',
        'B/resp',
        'other CPU',
        'req/s ratio',
        'p99 ratio',
        'req/CPU-s ratio',
        'target',
        'met',
      ],
      rows,
    ),
    '',
  );
  out.push(
    '- `µs CPU/req` and `req/CPU-s`: CPU time of the server process per answered request — the cost per request, which the other work on the machine disturbs far less than `req/s` and latencies. `db µs/req`: CPU of the PostgreSQL backends serving the bench database.',
    "- `other CPU`: everything else on the machine during the measurement, in % of one core (noise; the server is pinned to one core, the load generator and, on PostgreSQL, the bench database's backends to the other: see `pinning`).",
    '- `failed`: non-2xx answers, socket errors, timeouts and answers that differ from the verified one.',
    "- The baseline gets the same body as ours where it can answer it (`whoami` in the 2025-11-25 era, `tools/list`), without a credential (it has no auth). It has no `search` tool and the SDK 1.x refuses the 2026-07-28 era (`MCP-Protocol-Version: 2026-07-28` gets 400), so for `search` and the 2026-07-28 whoami the reference is its 2025-11-25 `whoami`; each scenario's note below names the request the baseline got. Every baseline answer is checked before measuring (its fixed identity, or a tool list of exactly `whoami`) and must then repeat byte for byte.",
    '- The token endpoint has no baseline: the baseline server has no authorization server. Its target is absolute.',
    '',
  );
  for (const s of r.scenarios) {
    out.push(
      `- **${s.label}**: ${esc(s.request)}.${s.notes.length ? ` ${s.notes.map(esc).join('; ')}.` : ''}`,
    );
  }
  out.push('');
  const st = r.startup;
  out.push(
    '### Start-up to ready',
    '',
    `Spawn of \`node dist/main.js\` → \`GET /health/ready\` 200 (polled every 25 ms), target ≤ ${st.targetMs / 1000} s on ${db.kind === 'postgres' ? 'PostgreSQL' : 'the embedded database'}.`,
    '',
    table(
      ['database state', 'ms'],
      [
        ['fresh (migrations + demo seed)', st.freshMs],
        ...st.restartMs.map((ms, i) => [`existing, start ${i + 1}`, ms] as [string, number]),
      ],
    ),
    '',
  );
  out.push(
    '### Targets',
    '',
    table(
      ['target', 'measured', 'met'],
      r.targets.map((t) => [t.target, t.measured, yesNo(t.met)]),
      2,
    ),
    '',
  );
  for (const p of r.profiles) {
    out.push(
      `### CPU profile — ${p.scenario}`,
      '',
      `\`node --cpu-prof\` on a separate run of the same load${p.measured ? ` (${p.measured.requestsPerSecond} req/s, ${p.measured.serverCpuMicrosPerRequest ?? '–'} µs CPU/req, p99 ${p.measured.p99} ms under the profiler)` : ''} (${p.samples} CPU samples, one every ~${p.intervalMicros} µs, ${p.windowOnly ? 'measured window only' : 'whole process life'}; the process was idle ${p.idlePercent} % of the span). Locations in dist/ are mapped to src/ through the source maps. \`total %\`: samples with the frame anywhere on the stack.`,
      '',
      table(
        ['self %', 'total %', 'function', 'location', 'called from (share of its self time)'],
        p.topSelf.map((f) => [
          f.selfPercent,
          f.totalPercent,
          `\`${f.function}\``,
          `\`${f.location}\``,
          (f.callers ?? []).map((c) => `\`${c.caller}\` ${c.percent} %`).join('; '),
        ]),
        'rrlll',
      ),
      '',
      'By package or area: self time, and samples with the package anywhere on the stack:',
      '',
      table(
        ['package / area', 'self %', 'total %'],
        p.byPackage.map((b) => [
          `\`${b.name}\``,
          b.selfPercent,
          (p.byPackageInclusive ?? []).find((i) => i.name === b.name)?.totalPercent,
        ]),
      ),
      '',
      `On the stack most: ${(p.byPackageInclusive ?? [])
        .slice(0, 15)
        .map((i) => `\`${i.name}\` ${i.totalPercent} %`)
        .join(', ')}.`,
      '',
    );
    if (p.id === 'token') {
      out.push('(No credential check at the token endpoint: the bench clients are public.)', '');
      continue;
    }
    out.push(
      `Credential check: **${p.credential.percent} %** of the server's CPU (samples with the authentication guard, a passport strategy, ApiKeyAuthService, BearerAuthService or AccessTokenService.verify on the stack; a lower bound, as async continuations can lose those frames):`,
      '',
      table(
        ['%', 'innermost credential frame'],
        p.credential.parts.map((c) => [c.percent, c.name]),
        'rl',
      ),
      '',
    );
  }
  return out.join('\n');
}

/** Writes the Markdown for `reports` (PostgreSQL first) to `out`; returns the path. */
export function writeResultsMarkdown(
  reports: BenchReport[],
  out = join(ROOT, 'bench', 'RESULTS.md'),
): string {
  // PostgreSQL first, then the embedded database; the newest run first within each.
  const sorted = [...reports].sort((a, b) =>
    a.database.kind === b.database.kind
      ? b.startedAt.localeCompare(a.startedAt)
      : a.database.kind === 'postgres'
        ? -1
        : 1,
  );
  const text = [
    '# Benchmark results',
    '',
    `Generated by \`bench/results-md.ts\` from \`npm run bench\` (see bench/README.md); do not edit by hand. Our server (\`node dist/main.js\`) against the baseline server named below (the official SDK 1.x, pooled \`McpServer\`), each scenario in the same run, on the same core with the same load.${sorted.length > 1 ? ` ${sorted.length} runs, newest first per database: the spread between runs of the same kind is mostly the other work on the machine (see the load average and \`other CPU\`); \`µs CPU/req\` moves least.` : ''}`,
    '',
    ...sorted.map(section),
  ].join('\n');
  writeFileSync(out, text.endsWith('\n') ? text : `${text}\n`);
  return relative(ROOT, out);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  let out = join(ROOT, 'bench', 'RESULTS.md');
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = resolve(args[++i] ?? out);
    else files.push(resolve(args[i]));
  }
  if (files.length === 0) {
    for (const kind of ['postgres', 'embedded']) {
      const f = join(ROOT, 'bench', '.tmp', `${kind}.json`);
      if (existsSync(f)) files.push(f);
    }
  }
  if (files.length === 0) {
    process.stderr.write('no reports: run npm run bench first, or pass REPORT.json files\n');
    process.exit(2);
  }
  const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchReport);
  process.stdout.write(
    `wrote ${writeResultsMarkdown(reports, out)} from ${files.map((f) => relative(ROOT, f)).join(', ')}\n`,
  );
}
