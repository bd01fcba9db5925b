import { Agent, createServer, IncomingMessage, request, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface KeyProxy {
  /** http://127.0.0.1:<port>, the origin the conformance tool talks to. */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of the server under test that adds `x-api-key: <key>` to every
 * request, because the conformance tool sends no credentials. Everything else passes through as it
 * is: method, path and query, every request header (Host and Origin included, so the tool's
 * DNS-rebinding probes reach the server unchanged), the body as a stream, and the response's
 * status, raw headers and body, chunk by chunk as the server writes them (SSE included).
 */
export async function startKeyProxy(target: string, apiKey: string): Promise<KeyProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => forward(upstream, agent, apiKey, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function forward(
  upstream: URL,
  agent: Agent,
  apiKey: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  // Raw headers as received (names in their case, repeated ones repeated), plus the key.
  const headers: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === 'x-api-key') continue;
    headers.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  headers.push('x-api-key', apiKey);
  const out = request({
    protocol: upstream.protocol,
    hostname: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers,
    agent,
  });
  out.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
    // SSE: hand each chunk on as soon as it arrives.
    res.flushHeaders();
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  out.on('error', (err) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`conformance key proxy: upstream ${upstream.origin} failed: ${err.message}\n`);
  });
  // The tool closing a stream early (an SSE GET it is done with) ends the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) out.destroy();
  });
  req.pipe(out);
}
