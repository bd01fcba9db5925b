/**
 * What `npm run bench` measures. Every MCP scenario is one fixed JSON-RPC request sent over and over;
 * the token endpoint sends a different refresh token each time (see bench/token-chains.ts).
 */

export type ScenarioId =
  | 'whoami-key'
  | 'whoami-key-2026'
  | 'whoami-jwt'
  | 'whoami-jwt-2026'
  | 'tools-list'
  | 'search'
  | 'token';

export interface Scenario {
  id: ScenarioId;
  /** As printed in the table. */
  label: string;
  /** What the request is, for the report. */
  request: string;
  /** The target for this scenario, as printed. */
  target: string | null;
  /** Measured against the baseline server (bench/baseline.ts) in the same run. */
  hasBaseline: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'whoami-key',
    label: 'whoami (API key)',
    request: 'POST /mcp tools/call whoami, x-api-key (user key of bench@example.com)',
    target: 'req/s ≥ 1.3×, CPU/req ≤ 0.77×, p99 ≤ 1.5× the baseline',
    hasBaseline: true,
  },
  {
    id: 'whoami-key-2026',
    label: 'whoami (API key, 2026-07-28)',
    request:
      'POST /mcp tools/call whoami with the 2026-07-28 _meta envelope and Mcp-Method/Mcp-Name headers, x-api-key (bench@example.com)',
    target: 'req/s ≥ 1.3×, CPU/req ≤ 0.77×, p99 ≤ 1.5× the baseline',
    hasBaseline: true,
  },
  {
    id: 'whoami-jwt',
    label: 'whoami (OAuth JWT)',
    request:
      'POST /mcp tools/call whoami, Authorization: Bearer <ES256 access token> (bench@example.com)',
    target: 'req/s ≥ 1.3×, CPU/req ≤ 0.77×, p99 ≤ 1.5× the baseline',
    hasBaseline: true,
  },
  {
    id: 'whoami-jwt-2026',
    label: 'whoami (OAuth JWT, 2026-07-28)',
    request:
      'POST /mcp tools/call whoami with the 2026-07-28 _meta envelope and Mcp-Method/Mcp-Name headers, Authorization: Bearer <ES256 access token> (bench@example.com)',
    target: 'req/s ≥ 1.3×, CPU/req ≤ 0.77×, p99 ≤ 1.5× the baseline',
    hasBaseline: true,
  },
  {
    id: 'tools-list',
    label: 'tools/list (API key)',
    request: 'POST /mcp tools/list, x-api-key (bench@example.com)',
    target: 'req/s ≥ 1.3× the baseline',
    hasBaseline: true,
  },
  {
    id: 'search',
    label: 'search (API key)',
    request:
      'POST /mcp tools/call search {query: "*", limit: 5}, x-api-key of alice@acme.example (demo data)',
    target: 'req/s ≥ 0.8× the baseline',
    hasBaseline: true,
  },
  {
    id: 'token',
    label: 'token endpoint',
    request:
      'POST /oauth2/token grant_type=refresh_token (rotating chains, one per client and grant)',
    target: '≥ 800 refreshes/s, p99 ≤ 100 ms',
    hasBaseline: false,
  },
];

export const SCENARIO_IDS = SCENARIOS.map((s) => s.id);

export function scenario(id: ScenarioId): Scenario {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new Error(`unknown scenario ${id}`);
  return found;
}

/** `--only whoami-key,search` (names or labels' first words, case-insensitive). */
export function parseScenarioList(value: string | undefined): ScenarioId[] {
  if (value === undefined) return [...SCENARIO_IDS];
  const wanted = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (wanted.length === 0) throw new Error('--only needs at least one scenario');
  const unknown = wanted.filter((w) => !(SCENARIO_IDS as readonly string[]).includes(w));
  if (unknown.length > 0) {
    throw new Error(
      `--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIO_IDS.join(', ')})`,
    );
  }
  // Always in the table's order.
  return SCENARIO_IDS.filter((id) => wanted.includes(id));
}

const rpc = (method: string, params?: Record<string, unknown>): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params ? { params } : {}) });

export const WHOAMI_CALL = rpc('tools/call', { name: 'whoami', arguments: {} });
/** The same call as a 2026-07-28 client sends it: the per-request `_meta` envelope. */
export const WHOAMI_CALL_2026 = rpc('tools/call', {
  name: 'whoami',
  arguments: {},
  _meta: {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  },
});
/** The standard request headers a 2026-07-28 client adds to WHOAMI_CALL_2026. */
export const WHOAMI_HEADERS_2026: Readonly<Record<string, string>> = {
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': 'whoami',
};
export const TOOLS_LIST = rpc('tools/list', {});
export const SEARCH_CALL = rpc('tools/call', {
  name: 'search',
  arguments: { query: '*', limit: 5 },
});

/** The JSON-RPC body each MCP scenario sends to our server (the baseline's: bench/baseline.ts). */
export function mcpBody(id: Exclude<ScenarioId, 'token'>): string {
  switch (id) {
    case 'whoami-key-2026':
    case 'whoami-jwt-2026':
      return WHOAMI_CALL_2026;
    case 'whoami-key':
    case 'whoami-jwt':
      return WHOAMI_CALL;
    case 'tools-list':
      return TOOLS_LIST;
    case 'search':
      return SEARCH_CALL;
  }
}

interface RpcBody {
  result?: {
    isError?: boolean;
    structuredContent?: { user?: { email?: string }; results?: unknown[] };
    tools?: Array<{ name?: string }>;
  };
}

/**
 * Why the answer to one scenario request is wrong, or null when it is right: a successful result of
 * the right kind (whoami for `email`, a tool list with whoami and search, a non-empty search).
 */
export function checkMcpAnswer(
  id: Exclude<ScenarioId, 'token'>,
  body: RpcBody,
  expectedEmail: string,
): string | null {
  const result = body.result;
  if (!result) return 'no JSON-RPC result';
  if (id === 'tools-list') {
    const names = (result.tools ?? []).map((t) => t.name);
    return names.includes('whoami') && names.includes('search')
      ? null
      : `tools/list lacks whoami or search (${names.join(', ')})`;
  }
  if (result.isError) return 'the tool answered isError';
  if (id === 'search') {
    const n = result.structuredContent?.results?.length ?? 0;
    return n > 0 ? null : 'search found nothing';
  }
  const email = result.structuredContent?.user?.email;
  return email === expectedEmail ? null : `whoami is for ${email}, not ${expectedEmail}`;
}
