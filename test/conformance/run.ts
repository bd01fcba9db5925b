import 'reflect-metadata';
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { demoKey } from 'test/factories/demo.factory';
import globalSetup from 'test/support/global-setup';
import globalTeardown from 'test/support/global-teardown';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';
import { runAuthorization } from 'test/conformance/authorization';
import { startKeyProxy } from 'test/conformance/key-proxy';
import {
  count,
  Counts,
  evaluate,
  explain,
  loadExpectedFailures,
  readResults,
  ScenarioResult,
  Verdict,
} from 'test/conformance/results';
import { CONFORMANCE_PACKAGE, runTool, stopRunningTool, ToolRun } from 'test/conformance/tool';

/**
 * `npm run test:conformance`: the official MCP conformance tool against a freshly started server of
 * ours (in this process, on a fresh in-memory PGlite, or on a copy of a migrated PostgreSQL template
 * when DATABASE_URL is set, exactly as the e2e tests start it), through a loopback proxy that adds
 * a demo user's API key. Runs `server --requirements 2025-11-25` and `2026-07-28` with
 * test/conformance/expected-failures.yaml, then `authorization` against our authorization server.
 * Exits 1 on any unexpected failure or stale expected-failure entry, or when anything cannot start.
 */

const ROOT = resolve(__dirname, '..', '..');
const RESULTS = join(ROOT, 'test-results', 'conformance');
const EXPECTED_FAILURES = join(__dirname, 'expected-failures.yaml');
const PARTS = ['2025-11-25', '2026-07-28', 'authorization'] as const;
type Part = (typeof PARTS)[number];

/** The demo user whose key the proxy adds and who signs in for the authorization-code grant. */
const USER = { email: 'alice@acme.example', organization: 'acme' } as const;

let interrupted = false;

const log = (line: string): void => void process.stdout.write(`[conformance] ${line}\n`);

interface PartResult {
  part: Part;
  tool: ToolRun;
  results: ScenarioResult[];
  verdict: Verdict;
  counts: Counts;
}

function parseParts(argv: string[]): Part[] {
  const { values } = parseArgs({ args: argv, options: { only: { type: 'string' } } });
  if (!values.only) return [...PARTS];
  const wanted = values.only.split(',').map((p) => p.trim());
  const unknown = wanted.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length)
    throw new Error(`--only takes ${PARTS.join(', ')}; not ${unknown.join(', ')}`);
  return PARTS.filter((p) => wanted.includes(p));
}

async function runServerRequirements(
  revision: Exclude<Part, 'authorization'>,
  mcpUrl: string,
): Promise<PartResult> {
  const dir = join(RESULTS, `server-${revision}`);
  mkdirSync(dir, { recursive: true });
  log(`server --requirements ${revision} against ${mcpUrl} (through the key proxy)…`);
  const tool = await runTool(
    [
      'server',
      '--url',
      mcpUrl,
      '--requirements',
      revision,
      '--expected-failures',
      EXPECTED_FAILURES,
      '--output-dir',
      dir,
    ],
    { logFile: join(dir, 'output.log') },
  );
  const results = readResults(dir);
  const verdict = evaluate(results, loadExpectedFailures(EXPECTED_FAILURES, 'server'));
  return { part: revision, tool, results, verdict, counts: count(results, verdict) };
}

async function runAuthorizationPart(app: TestApp): Promise<PartResult> {
  const dir = join(RESULTS, 'authorization');
  mkdirSync(dir, { recursive: true });
  log(`authorization against the issuer ${app.url}…`);
  const tool = await runAuthorization(
    { issuer: app.url, resource: `${app.url}/mcp`, email: USER.email, password: DEMO_PASSWORD },
    dir,
    join(dir, 'output.log'),
  );
  const results = readResults(dir);
  const verdict = evaluate(results, loadExpectedFailures(EXPECTED_FAILURES, 'authorization'));
  return { part: 'authorization', tool, results, verdict, counts: count(results, verdict) };
}

function failedReasons(r: PartResult): string[] {
  const reasons: string[] = [];
  if (r.tool.code !== 0) reasons.push(`the tool exited ${r.tool.code ?? 'on a signal'}`);
  if (r.counts.scenarios === 0) reasons.push('no scenario results were written');
  const explained = explain(r.results, r.verdict);
  if (reasons.length && !explained.length) {
    // Nothing in the results says why (npx could not install, the tool crashed): its last words.
    const tail = r.tool.output.trimEnd().split('\n').slice(-12);
    reasons.push("the tool's last lines:", ...tail.map((line) => `  ${line}`));
  }
  return [...reasons, ...explained];
}

function summarize(results: PartResult[]): boolean {
  process.stdout.write(`\n=== conformance summary (${CONFORMANCE_PACKAGE}) ===\n`);
  let ok = true;
  for (const r of results) {
    const c = r.counts;
    const reasons = failedReasons(r);
    ok &&= reasons.length === 0;
    process.stdout.write(
      `${reasons.length ? '✗' : '✓'} ${r.part.padEnd(13)} ${c.scenarios} scenarios: ` +
        `${c.passed} pass, ${c.failed} fail unexpectedly, ${c.expected} fail as expected` +
        `${r.verdict.stale.length ? `, ${r.verdict.stale.length} stale entries` : ''}\n`,
    );
    for (const reason of reasons) process.stdout.write(`    ${reason}\n`);
  }
  process.stdout.write(
    `results and the tool's full output: ${relative(process.cwd(), RESULTS)}/\n` +
      `expected failures: ${relative(process.cwd(), EXPECTED_FAILURES)}\n`,
  );
  return ok;
}

async function main(): Promise<number> {
  const parts = parseParts(process.argv.slice(2));
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const onPostgres = Boolean(process.env.DATABASE_URL);
  if (onPostgres) await globalSetup();
  let app: TestApp | undefined;
  try {
    const started = Date.now();
    app = await startTestApp();
    log(`server ready at ${app.url} on the ${app.database} database in ${Date.now() - started} ms`);
    const key = await demoKey(app.app, USER.email, USER.organization);
    const proxy = await startKeyProxy(app.url, key);
    log(
      `key proxy at ${proxy.url} adds ${USER.email}'s API key (organization ${USER.organization})`,
    );
    const results: PartResult[] = [];
    try {
      for (const part of parts) {
        if (interrupted) break;
        results.push(
          part === 'authorization'
            ? await runAuthorizationPart(app)
            : await runServerRequirements(part, `${proxy.url}/mcp`),
        );
      }
    } finally {
      await proxy.close();
    }
    return summarize(results) ? 0 : 1;
  } finally {
    await app?.close();
    if (onPostgres) await globalTeardown();
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping the conformance tool, then the server`);
    stopRunningTool();
  });
}

main()
  .then((code) => process.exit(interrupted ? 130 : code))
  .catch((err: unknown) => {
    log(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
