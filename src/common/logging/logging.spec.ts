import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import pinoHttp, { type Options as PinoHttpOptions } from 'pino-http';
import type { AppConfig } from 'src/config/app.config';
import { loggerParams, redactUrl } from 'src/common/logging/logging';

/** One request through pino-http configured by loggerParams; the log lines it wrote. */
function logRequest(
  level: string,
  url: string,
  statusCode: number,
): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const params = loggerParams({ logLevel: level } as AppConfig);
  const middleware = pinoHttp(params.pinoHttp as PinoHttpOptions, sink);
  const req = Object.assign(new EventEmitter(), {
    method: 'POST',
    url,
    headers: { authorization: 'Bearer secret-token', 'x-api-key': 'ed_secret' },
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), {
    statusCode,
    headersSent: true,
    writableEnded: true,
    getHeaders: () => ({}),
  }) as unknown as ServerResponse;
  middleware(req, res, () => undefined);
  res.emit('finish');
  return lines
    .join('')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('loggerParams', () => {
  it('writes one completion line with the context, the status and a redacted URL, no headers', () => {
    const [line, ...rest] = logRequest('info', '/oauth2/authorize?code=abc&state=s', 200);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      context: 'HTTP',
      msg: 'request completed',
      res: { statusCode: 200 },
      req: { method: 'POST', url: '/oauth2/authorize?code=%5Bredacted%5D&state=s' },
    });
    expect(JSON.stringify(line)).not.toMatch(/secret/);
  });

  it('logs server errors at error level with the context', () => {
    const [line] = logRequest('warn', '/mcp', 503);
    expect(line).toMatchObject({ level: 50, context: 'HTTP', res: { statusCode: 503 } });
  });

  it('skips successful requests below the configured level', () => {
    expect(logRequest('warn', '/mcp', 200)).toEqual([]);
    expect(logRequest('warn', '/mcp', 404)).toEqual([]);
  });

  it('redacts secret query values only', () => {
    expect(redactUrl('/x?client_secret=1&scope=mcp')).toBe(
      '/x?client_secret=%5Bredacted%5D&scope=mcp',
    );
    expect(redactUrl('/x')).toBe('/x');
  });
});
