import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Cleanup } from './cleanup';
import { mcpHeaders } from './load';
import { ManagedProcess, ROOT, startProcess } from './processes';
import { ScenarioId, TOOLS_LIST, WHOAMI_CALL } from './scenarios';

/**
 * The baseline every MCP scenario is measured against: one fixed file, run unchanged — the official
 * SDK 1.x as a bare stateless server on node:http (pooled McpServer, a new transport per request, JSON
 * responses), with one tool, `whoami`, answering a fixed identity. It has no auth, no database and
 * no other tool, so each scenario names the request it gets (BASELINE_REQUESTS).
 */

/** Where the baseline lives unless BENCH_BASELINE says otherwise. */
export const DEFAULT_BASELINE_PATH = join(ROOT, '..', 'shared', 'perf', 'baseline-sdk-pooled.mjs');

export interface BaselineFile {
  /** Absolute path of the file node runs. */
  path: string;
  /** The path as given to node from the project root (what the report prints). */
  shown: string;
  /** sha256 of the file: shows which version of it a report measured. */
  sha256: string;
}

/**
 * The baseline file (BENCH_BASELINE, relative to the project root or absolute, or the default), or an
 * error saying where it was looked for.
 */
export function resolveBaseline(env: NodeJS.ProcessEnv = process.env): BaselineFile {
  const override = env.BENCH_BASELINE?.trim();
  const path = override ? resolve(ROOT, override) : DEFAULT_BASELINE_PATH;
  if (!existsSync(path)) {
    throw new Error(
      `the baseline server ${path} is missing${override ? ' (from BENCH_BASELINE)' : ''}: ` +
        `put baseline-sdk-pooled.mjs there, or set BENCH_BASELINE=/path/to/baseline-sdk-pooled.mjs`,
    );
  }
  return {
    path,
    shown: relative(ROOT, path),
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
  };
}

/**
 * Starts `node <file> <port>` from the project root (the file resolves the SDK from its working
 * directory), on `core` — the core our server runs on.
 */
export function startBaseline(
  cleanup: Cleanup,
  file: BaselineFile,
  port: number,
  core: number | undefined,
): ManagedProcess {
  return startProcess(
    cleanup,
    `baseline server (${file.shown})`,
    [file.path, String(port)],
    {},
    core,
  );
}

type McpScenarioId = Exclude<ScenarioId, 'token'>;

/** What the baseline is sent for one scenario, and why that is the reference. */
export interface BaselineRequest {
  body: string;
  headers: Record<string, string>;
  /** The reference, as printed in the report's notes. */
  reference: string;
}

const WHOAMI_2025 = 'tools/call whoami (2025-11-25), no credential: the baseline has no auth';
const WHOAMI_2026 = `${WHOAMI_2025}; the SDK 1.x baseline cannot answer the 2026-07-28 era (MCP-Protocol-Version 2026-07-28 gets 400 "Unsupported protocol version"), so its 2025 whoami is the reference`;

/** Per scenario: the same body as ours where the baseline can answer it, else its whoami. */
export const BASELINE_REQUESTS: Readonly<Record<McpScenarioId, BaselineRequest>> = {
  'whoami-key': { body: WHOAMI_CALL, headers: mcpHeaders(), reference: WHOAMI_2025 },
  'whoami-jwt': { body: WHOAMI_CALL, headers: mcpHeaders(), reference: WHOAMI_2025 },
  'whoami-key-2026': { body: WHOAMI_CALL, headers: mcpHeaders(), reference: WHOAMI_2026 },
  'whoami-jwt-2026': { body: WHOAMI_CALL, headers: mcpHeaders(), reference: WHOAMI_2026 },
  'tools-list': {
    body: TOOLS_LIST,
    headers: mcpHeaders(),
    reference:
      'the same tools/list body; the baseline lists its one tool, whoami (a much shorter answer than ours)',
  },
  search: {
    body: WHOAMI_CALL,
    headers: mcpHeaders(),
    reference: `${WHOAMI_2025}; the baseline has no search tool and no database, so its whoami is the reference`,
  },
};

interface RpcBody {
  result?: {
    isError?: boolean;
    structuredContent?: { user?: { email?: string }; organization?: { slug?: string } };
    tools?: Array<{ name?: string }>;
  };
}

/** The fixed identity the baseline's whoami answers. */
const BASELINE_EMAIL = 'bench@example.com';
const BASELINE_ORGANIZATION = 'bench';

/**
 * Why the baseline's answer is wrong, or null: a tool list of exactly `whoami` for tools/list, else
 * a successful whoami with the baseline's fixed identity.
 */
export function checkBaselineAnswer(id: McpScenarioId, body: RpcBody): string | null {
  const result = body.result;
  if (!result) return 'no JSON-RPC result';
  if (id === 'tools-list') {
    const names = (result.tools ?? []).map((t) => t.name);
    return names.length === 1 && names[0] === 'whoami'
      ? null
      : `the baseline should list whoami only, not [${names.join(', ')}]`;
  }
  if (result.isError) return 'the tool answered isError';
  const { user, organization } = result.structuredContent ?? {};
  return user?.email === BASELINE_EMAIL && organization?.slug === BASELINE_ORGANIZATION
    ? null
    : `whoami is for ${user?.email} in ${organization?.slug}, not the fixed ${BASELINE_EMAIL} in ${BASELINE_ORGANIZATION}`;
}
