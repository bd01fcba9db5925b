import type { FastifyInstance } from 'fastify';
import type { AppConfig } from 'src/config/app.config';

/** The request headers a browser client may send to /mcp, both protocol eras. */
export const MCP_ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'MCP-Protocol-Version',
  'Mcp-Session-Id',
  'Last-Event-ID',
  'X-Api-Key',
  'Mcp-Method',
  'Mcp-Name',
  // The x-mcp-header arguments of our tools (execute_query); mcp-origin.hook.spec.ts keeps the list whole.
  'Mcp-Param-DataProductId',
  'Mcp-Param-OutputPortId',
];
const ALLOW_HEADERS = MCP_ALLOW_HEADERS.join(', ');

const isMcp = (url: string): boolean => url === '/mcp' || url.startsWith('/mcp?');

/**
 * Runs before routing and authentication on /mcp: a foreign `Origin` is refused with 403 (DNS
 * rebinding defence); an allowed one gets CORS headers with `WWW-Authenticate` exposed; preflight
 * OPTIONS is answered 204. Requests without `Origin` (servers, CLIs) pass untouched.
 */
export function registerMcpOriginHook(fastify: FastifyInstance, config: AppConfig): void {
  const allowed = new Set(config.allowedOrigins);
  // A synchronous hook: it runs on every request, and most are not for /mcp or carry no Origin.
  fastify.addHook('onRequest', (req, reply, done) => {
    const origin = req.headers.origin;
    if (origin === undefined || !isMcp(req.url)) return done();
    if (!allowed.has(origin)) {
      void reply
        .status(403)
        .header('content-type', 'application/json')
        .send({
          jsonrpc: '2.0',
          error: { code: -32000, message: `Forbidden: origin ${origin} is not allowed` },
          id: null,
        });
      return;
    }
    void reply
      .header('access-control-allow-origin', origin)
      .header('vary', 'Origin')
      .header(
        'access-control-expose-headers',
        'WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version',
      );
    if (req.method === 'OPTIONS') {
      void reply
        .status(204)
        .header('access-control-allow-methods', 'POST, GET, DELETE, OPTIONS')
        .header('access-control-allow-headers', ALLOW_HEADERS)
        .header('access-control-max-age', '600')
        .send();
      return;
    }
    done();
  });
}
