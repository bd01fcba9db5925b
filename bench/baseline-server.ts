import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/**
 * The benchmark's baseline: the bare SDK stateless Streamable HTTP server, as in the SDK's
 * `simpleStatelessStreamableHttp` example — a fresh McpServer and transport per POST, JSON responses,
 * two trivial tools: `whoami` (a small structured identity) and `search` (a small static list of
 * data products, the shape of ours). Plain `node:http`: no auth, no Nest, no database. It imports
 * nothing from `src/` so the bench can run it as plain JavaScript.
 */

const MAX_BODY_BYTES = 1024 * 1024;

export const BASELINE_IDENTITY = {
  user: { id: 'u-1', email: 'bench@example.com', name: 'Bench User' },
  organization: { id: 'o-1', name: 'Bench Org', slug: 'bench' },
  organizationRole: 'member',
  teams: [] as Array<{ id: string; name: string; role: string }>,
  scopes: ['mcp'],
  authMethod: 'none',
};

/** What the baseline's `search` returns for any query: five products, like `search {limit: 5}`. */
export const BASELINE_SEARCH_RESULTS = [1, 2, 3, 4, 5].map((n) => ({
  id: `product-${n}`,
  name: `Product ${n}`,
  description: `A static data product number ${n} of the benchmark baseline.`,
  status: 'active',
  certification: { id: 'gold', name: 'Gold' },
  ownerTeam: { id: 'team-1', name: 'Team One' },
  tags: ['bench', `tag-${n}`],
  outputPortIds: [`port-${n}`],
}));

export function createBaselineMcpServer(): McpServer {
  const server = new McpServer({ name: 'bench-baseline', version: '1.0.0' });
  server.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description: 'Returns a fixed identity (benchmark baseline).',
      inputSchema: {},
      outputSchema: {
        user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
        organization: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
        organizationRole: z.string(),
        teams: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
        scopes: z.array(z.string()),
        authMethod: z.string(),
      },
    },
    async () => ({
      content: [{ type: 'text', text: `${BASELINE_IDENTITY.user.name} (baseline)` }],
      structuredContent: { ...BASELINE_IDENTITY },
    }),
  );
  server.registerTool(
    'search',
    {
      title: 'Search data products',
      description: 'Returns a small static list of data products (benchmark baseline).',
      inputSchema: {
        query: z.string().min(1).max(500),
        limit: z.number().int().min(1).max(100).optional(),
      },
      outputSchema: {
        results: z.array(z.record(z.string(), z.unknown())),
        nextCursor: z.string().optional(),
      },
    },
    async ({ limit }) => {
      const results = BASELINE_SEARCH_RESULTS.slice(0, limit ?? BASELINE_SEARCH_RESULTS.length);
      return {
        content: [
          {
            type: 'text',
            text: `${results.length} data product(s):\n${results.map((p) => `${p.id}: ${p.name} [${p.status}, ${p.certification.name}] owned by ${p.ownerTeam.name}`).join('\n')}`,
          },
        ],
        structuredContent: { results },
      };
    },
  );
  return server;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const rpcError = (code: number, message: string) => ({
  jsonrpc: '2.0',
  error: { code, message },
  id: null,
});

/** Reads and parses the JSON body (what Fastify does for our server before the handler runs). */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.url !== '/mcp') return sendJson(res, 404, rpcError(-32000, 'Not found'));
  if (req.method !== 'POST') return sendJson(res, 405, rpcError(-32000, 'Method not allowed.'));
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return sendJson(res, 400, rpcError(-32700, 'Parse error'));
  }
  const server = createBaselineMcpServer();
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  } catch {
    if (!res.headersSent) sendJson(res, 500, rpcError(-32603, 'Internal server error'));
  }
}

export interface BaselineServer {
  /** http://host:port (the MCP endpoint is `${url}/mcp`). */
  url: string;
  server: Server;
  close(): Promise<void>;
}

export function startBaselineServer(port = 0, host = '127.0.0.1'): Promise<BaselineServer> {
  const server = createServer((req, res) => void handle(req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? 0);
  startBaselineServer(port, process.env.HOST ?? '127.0.0.1').then(
    (baseline) => {
      process.stdout.write(`baseline listening on ${baseline.url}\n`);
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => void baseline.close().then(() => process.exit(0)));
      }
    },
    (err: unknown) => {
      process.stderr.write(`baseline failed to start: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
