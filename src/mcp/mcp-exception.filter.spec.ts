import { ForbiddenException, Logger } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { errorCodes } from 'fastify';
import { AuthError } from 'src/auth/auth.errors';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import type { AppConfig } from 'src/config/app.config';
import { McpExceptionFilter, McpOutageError } from 'src/mcp/mcp-exception.filter';
import { RateLimitedError } from 'src/rate-limit/rate-limit.service';

const METADATA =
  'resource_metadata="https://catalog.example/.well-known/oauth-protected-resource/mcp"';
const SCOPE = 'scope="mcp:read mcp:write"';

/** What the filter sent through a fake Fastify reply. */
interface Sent {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
  sends: number;
}

describe('McpExceptionFilter', () => {
  const filter = new McpExceptionFilter({ publicUrl: 'https://catalog.example' } as AppConfig);
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  function render(exception: unknown, alreadySent = false): Sent {
    const sent: Sent = { headers: {}, sends: 0 };
    const reply = {
      sent: alreadySent,
      raw: { headersSent: alreadySent },
      header(name: string, value: string) {
        sent.headers[name] = value;
        return reply;
      },
      status(code: number) {
        sent.status = code;
        return reply;
      },
      send(body: unknown) {
        sent.body = body;
        sent.sends++;
        return reply;
      },
    };
    filter.catch(exception, new ExecutionContextHost([{ url: '/mcp', id: 'req-7' }, reply]));
    return sent;
  }

  const rpc = (code: number, message: string, id: string | number | null = null) => ({
    jsonrpc: '2.0',
    error: { code, message },
    id,
  });

  describe('credential errors: the MCP challenge', () => {
    it('missing → 401, Bearer challenge without error, -32001, id null', () => {
      expect(render(new AuthError('missing', 'Authentication required'))).toEqual({
        status: 401,
        headers: {
          'www-authenticate': `Bearer ${METADATA}, ${SCOPE}`,
          'cache-control': 'no-store',
        },
        body: rpc(-32001, 'Authentication required'),
        sends: 1,
      });
    });

    it('invalid → 401 with error="invalid_token" and the reason', () => {
      expect(render(new AuthError('invalid', 'Invalid access token'))).toEqual({
        status: 401,
        headers: {
          'www-authenticate': `Bearer error="invalid_token", error_description="Invalid access token", ${METADATA}, ${SCOPE}`,
          'cache-control': 'no-store',
        },
        body: rpc(-32001, 'Invalid access token'),
        sends: 1,
      });
    });

    it("insufficient_scope → 403 step-up challenge, echoing the request's JSON-RPC id", () => {
      const err = new AuthError('insufficient_scope', 'update_product requires mcp:write', 'abc');
      expect(render(err)).toEqual({
        status: 403,
        headers: {
          'www-authenticate': `Bearer error="insufficient_scope", ${SCOPE}, ${METADATA}, error_description="update_product requires mcp:write"`,
          'cache-control': 'no-store',
        },
        body: rpc(-32001, 'update_product requires mcp:write', 'abc'),
        sends: 1,
      });
    });

    it('forbidden → 403 without a challenge (more scope would not help)', () => {
      expect(render(new AuthError('forbidden', 'Organization keys cannot be used here'))).toEqual({
        status: 403,
        headers: { 'cache-control': 'no-store' },
        body: rpc(-32001, 'Organization keys cannot be used here'),
        sends: 1,
      });
    });

    it('bad_request → 400, -32600 (invalid request), no challenge', () => {
      expect(render(new AuthError('bad_request', 'Send exactly one credential'))).toEqual({
        status: 400,
        headers: { 'cache-control': 'no-store' },
        body: rpc(-32600, 'Send exactly one credential'),
        sends: 1,
      });
    });
  });

  describe('other errors: the plain status with a JSON-RPC body', () => {
    it('McpOutageError(7) → 503 + Retry-After, -32603, id 7', () => {
      expect(render(new McpOutageError(7))).toEqual({
        status: 503,
        headers: { 'retry-after': '5', 'cache-control': 'no-store' },
        body: rpc(-32603, 'Temporarily unavailable, retry shortly', 7),
        sends: 1,
      });
    });

    it("a Fastify JSON parse error (statusCode 400) → -32700 with the parser's message", () => {
      const parse = Object.assign(new SyntaxError('Unexpected token } in JSON at position 9'), {
        statusCode: 400,
      });
      expect(render(parse)).toEqual({
        status: 400,
        headers: { 'cache-control': 'no-store' },
        body: rpc(-32700, 'Unexpected token } in JSON at position 9'),
        sends: 1,
      });
    });

    it('an empty JSON body (FST_ERR_CTP_EMPTY_JSON_BODY, 400) → -32700', () => {
      const sent = render(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY());
      expect(sent.status).toBe(400);
      expect(sent.body).toEqual(
        rpc(-32700, "Body cannot be empty when content-type is set to 'application/json'"),
      );
    });

    it('a refused argument (a 400 that is no parse error) → 400, -32600', () => {
      const sent = render(new DomainError(ErrorCode.InvalidArgument, 'bad argument'));
      expect(sent.status).toBe(400);
      expect(sent.body).toEqual(rpc(-32600, 'bad argument'));
    });

    it('FST_ERR_CTP_INVALID_MEDIA_TYPE → 415, -32600', () => {
      expect(render(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/plain'))).toEqual({
        status: 415,
        headers: { 'cache-control': 'no-store' },
        body: rpc(-32600, 'Unsupported Media Type text/plain'),
        sends: 1,
      });
    });

    it('a body over the limit (FST_ERR_CTP_BODY_TOO_LARGE) → 413, -32600', () => {
      const sent = render(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      expect(sent.status).toBe(413);
      expect(sent.body).toEqual(rpc(-32600, 'Request body is too large'));
    });

    it('a rate limit → 429 + its Retry-After, -32600', () => {
      expect(render(new RateLimitedError('auth_failure', 30))).toEqual({
        status: 429,
        headers: { 'retry-after': '30', 'cache-control': 'no-store' },
        body: rpc(-32600, 'Too many requests: retry after 30 seconds'),
        sends: 1,
      });
    });

    it("drops the admin API's ApiKey challenge from a 401 that is not an AuthError", () => {
      const sent = render(new DomainError(ErrorCode.Unauthenticated, 'Session expired'));
      expect(sent.status).toBe(401);
      expect(sent.headers).toEqual({ 'cache-control': 'no-store' });
      expect(sent.body).toEqual(rpc(-32600, 'Session expired'));
    });

    it('an HttpException keeps its status (403 → -32600)', () => {
      const sent = render(new ForbiddenException('Origin not allowed'));
      expect(sent.status).toBe(403);
      expect(sent.body).toEqual(rpc(-32600, 'Origin not allowed'));
    });

    it('an unknown error → 500, -32603, a generic message, logged with the request id', () => {
      const boom = new TypeError('secret internals at /srv/app.js');
      const sent = render(boom);
      expect(sent).toEqual({
        status: 500,
        headers: { 'cache-control': 'no-store' },
        body: rpc(-32603, 'Internal server error'),
        sends: 1,
      });
      expect(JSON.stringify(sent.body)).not.toMatch(/secret|stack|\.js/);
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ requestId: 'req-7', msg: 'unexpected error' }),
      );
    });

    it('a database that cannot be reached → 503 + Retry-After, -32603', () => {
      const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      });
      expect(render(down)).toEqual({
        status: 503,
        headers: { 'retry-after': '5', 'cache-control': 'no-store' },
        body: rpc(-32603, 'The service is temporarily unavailable. Retry shortly.'),
        sends: 1,
      });
    });

    it('sends nothing when the reply has already gone out', () => {
      expect(render(new AuthError('missing', 'x'), true)).toEqual({ headers: {}, sends: 0 });
    });
  });

  describe('owns()', () => {
    it.each([
      ['/mcp', true],
      ['/mcp?x=1', true],
      ['/mcpx', false],
      ['/mcp/', false],
      ['/api/mcp', false],
      ['/', false],
    ])('%s → %s', (url, expected) => {
      expect(filter.owns(url)).toBe(expected);
    });
  });
});
