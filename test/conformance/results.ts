import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** One check as the tool writes it to `<output-dir>/server-<scenario>-<time>/checks.json`. */
export interface Check {
  id: string;
  name?: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
}

export interface ScenarioResult {
  scenario: string;
  checks: Check[];
  /** No checks.json: the scenario threw or timed out (the tool counts that as one failure). */
  crashed: boolean;
}

/** `server-<scenario>-2026-11-27T10-11-12-345Z` → scenario. */
const RESULT_DIR = /^(?:server|authorization-server)-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/;

/** Reads every scenario's checks.json from one run's output folder. */
export function readResults(outputDir: string): ScenarioResult[] {
  if (!existsSync(outputDir)) return [];
  return readdirSync(outputDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && RESULT_DIR.test(d.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => {
      const scenario = RESULT_DIR.exec(d.name)![1];
      const file = join(outputDir, d.name, 'checks.json');
      if (!existsSync(file)) {
        return {
          scenario,
          crashed: true,
          checks: [{ id: scenario, status: 'FAILURE', errorMessage: 'Failed to run scenario' }],
        };
      }
      return {
        scenario,
        crashed: false,
        checks: JSON.parse(readFileSync(file, 'utf8')) as Check[],
      };
    });
}

export interface Entry {
  scenario: string;
  checkId?: string;
}

const format = (e: Entry): string => (e.checkId ? `${e.scenario}:${e.checkId}` : e.scenario);

/**
 * One list of the expected-failures file: `server` (the tool's format, read by the tool too), or
 * `authorization` (ours: the tool's `authorization` command takes no baseline and ignores the key).
 */
export function loadExpectedFailures(file: string, section: 'server' | 'authorization'): Entry[] {
  const parsed = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const list = parsed[section] ?? [];
  if (!Array.isArray(list) || list.some((e) => typeof e !== 'string')) {
    throw new Error(
      `${file}: "${section}" must be a list of "<scenario>" or "<scenario>:<check-id>"`,
    );
  }
  return (list as string[]).map((text) => {
    const at = text.indexOf(':');
    return at < 0
      ? { scenario: text }
      : { scenario: text.slice(0, at), checkId: text.slice(at + 1) };
  });
}

const failed = (c: Check): boolean => c.status === 'FAILURE' || c.status === 'WARNING';
const severity = (c: Check): number =>
  c.status === 'FAILURE' ? 3 : c.status === 'WARNING' ? 2 : c.status === 'SUCCESS' ? 1 : 0;

/** Each non-INFO check id once, its most severe occurrence (the tool's collapseDuplicateChecks). */
function collapse(checks: Check[]): Check[] {
  const winner = new Map<string, number>();
  checks.forEach((c, i) => {
    if (c.status === 'INFO') return;
    const current = winner.get(c.id);
    if (current === undefined || severity(c) >= severity(checks[current])) winner.set(c.id, i);
  });
  return checks.filter((c, i) => c.status !== 'INFO' && winner.get(c.id) === i);
}

export interface Verdict {
  unexpected: string[];
  stale: string[];
  expected: string[];
}

/**
 * The tool's own baseline rule (src/expected-failures.ts, evaluateBaseline), applied to every
 * scenario that ran. The tool applies it to a requirement set's scored scenarios only and leaves
 * the not-scored ones (e.g. 2026-07-28's pending http-header-validation) out of its exit code; we
 * hold those to the same file. A failing WARNING counts as a failure, like in the tool.
 */
export function evaluate(results: ScenarioResult[], entries: Entry[]): Verdict {
  const verdict: Verdict = { unexpected: [], stale: [], expected: [] };
  const whole = new Set(entries.filter((e) => !e.checkId).map((e) => e.scenario));
  for (const result of results) {
    if (whole.has(result.scenario)) {
      const list = result.checks.some(failed) ? verdict.expected : verdict.stale;
      list.push(result.scenario);
      continue;
    }
    const ids = new Set(
      entries.filter((e) => e.scenario === result.scenario && e.checkId).map((e) => e.checkId!),
    );
    const checks = collapse(result.checks);
    for (const c of checks.filter(failed)) {
      const entry = format({ scenario: result.scenario, checkId: c.id });
      if (ids.size === 0) {
        verdict.unexpected.push(result.scenario);
        break;
      }
      (ids.has(c.id) ? verdict.expected : verdict.unexpected).push(entry);
    }
    for (const id of ids) {
      if (checks.find((c) => c.id === id)?.status === 'SUCCESS') {
        verdict.stale.push(format({ scenario: result.scenario, checkId: id }));
      }
    }
  }
  return verdict;
}

export interface Counts {
  scenarios: number;
  passed: number;
  failed: number;
  expected: number;
}

/** Scenarios that passed, failed unexpectedly, or failed only as the file expects. */
export function count(results: ScenarioResult[], verdict: Verdict): Counts {
  const unexpected = new Set(verdict.unexpected.map((e) => e.split(':')[0]));
  let passed = 0;
  let failedCount = 0;
  for (const r of results) {
    if (unexpected.has(r.scenario)) failedCount++;
    else if (!r.checks.some(failed)) passed++;
  }
  return {
    scenarios: results.length,
    passed,
    failed: failedCount,
    expected: results.length - passed - failedCount,
  };
}

/**
 * One line per unexpected failure or stale entry, with the tool's message, e.g.
 * `caching:sep-2549-tools-list-caching-hints: tools/list returned JSON-RPC error …`.
 */
export function explain(results: ScenarioResult[], verdict: Verdict): string[] {
  const lines: string[] = [];
  const byScenario = new Map(results.map((r) => [r.scenario, r]));
  const message = (c: Check): string =>
    (c.errorMessage ?? c.status).replace(/\s+/g, ' ').slice(0, 240);
  for (const entry of verdict.unexpected) {
    const [scenario, checkId] = entry.split(/:(.*)/s);
    const checks = collapse(byScenario.get(scenario)?.checks ?? []).filter(failed);
    for (const c of checks.filter((c) => !checkId || c.id === checkId)) {
      lines.push(`unexpected ${scenario}:${c.id}: ${message(c)}`);
    }
  }
  for (const entry of verdict.stale) lines.push(`stale entry (passes now): ${entry}`);
  return lines;
}
