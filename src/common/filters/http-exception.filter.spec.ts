import { Logger, NotFoundException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AuthError } from 'src/auth/auth.errors';
import { invalidArgument } from 'src/common/errors/domain-error';
import { AreaErrorFilter, AreaErrorFilters } from 'src/common/filters/area-error-filters';
import { HttpExceptionFilter } from 'src/common/filters/http-exception.filter';
import type { AppConfig } from 'src/config/app.config';
import { McpExceptionFilter } from 'src/mcp/mcp-exception.filter';

/** A Fastify reply recording the calls made on it. */
interface FakeReply {
  sent: boolean;
  raw: { headersSent: boolean };
  header: jest.Mock;
  status: jest.Mock;
  send: jest.Mock;
}

describe('HttpExceptionFilter', () => {
  let areas: AreaErrorFilters;
  let filter: HttpExceptionFilter;

  beforeEach(() => {
    areas = new AreaErrorFilters();
    filter = new HttpExceptionFilter(areas);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  /** The host of one request, with a fake reply and what was sent through it. */
  function call(url: string) {
    const reply: FakeReply = {
      sent: false,
      raw: { headersSent: false },
      header: jest.fn(() => reply),
      status: jest.fn(() => reply),
      send: jest.fn(() => reply),
    };
    const host = new ExecutionContextHost([{ url, id: 'req-1' }, reply]);
    const headers = () => Object.fromEntries(reply.header.mock.calls as Array<[string, string]>);
    const status = () => (reply.status.mock.calls as unknown as number[][]).map(([s]) => s);
    const bodies = () => (reply.send.mock.calls as unknown as unknown[][]).map(([b]) => b);
    return { host, reply, headers, status, bodies };
  }

  const area = (prefix: string): AreaErrorFilter & { catch: jest.Mock } => ({
    owns: (url: string) => url.startsWith(prefix),
    catch: jest.fn(),
  });

  it('hands an error to the registered area that owns the URL, and sends nothing itself', () => {
    const docs = area('/docs');
    areas.register(docs);
    const { host, reply } = call('/docs/page?x=1');
    const err = new NotFoundException('No such page');
    filter.catch(err, host);
    expect(docs.catch).toHaveBeenCalledTimes(1);
    expect(docs.catch).toHaveBeenCalledWith(err, host);
    expect(reply.status).not.toHaveBeenCalled();
    expect(reply.send).not.toHaveBeenCalled();
  });

  it('asks the areas in registration order: the first that owns the URL gets the error', () => {
    const first = area('/docs');
    const second = area('/docs/page');
    areas.register(first);
    areas.register(second);
    filter.catch(new Error('x'), call('/docs/page').host);
    expect(first.catch).toHaveBeenCalledTimes(1);
    expect(second.catch).not.toHaveBeenCalled();
  });

  it('answers a URL no area owns with the plain JSON body, not the area', () => {
    const docs = area('/docs');
    areas.register(docs);
    const { host, headers, status, bodies } = call('/api/v1/products');
    filter.catch(invalidArgument('limit must be at most 100', { field: 'limit' }), host);
    expect(docs.catch).not.toHaveBeenCalled();
    expect(status()).toEqual([400]);
    expect(headers()).toEqual({ 'cache-control': 'no-store' });
    expect(bodies()).toEqual([
      {
        statusCode: 400,
        error: 'invalid_argument',
        message: 'limit must be at most 100',
        details: { field: 'limit' },
      },
    ]);
  });

  describe('with the MCP area registered', () => {
    beforeEach(() => {
      areas.register(new McpExceptionFilter({ publicUrl: 'https://catalog.example' } as AppConfig));
    });

    it('renders an error at /mcp (raised before routing) as the JSON-RPC error with the challenge', () => {
      const { host, headers, status, bodies } = call('/mcp?session=1');
      filter.catch(new AuthError('missing', 'Authentication required'), host);
      expect(status()).toEqual([401]);
      expect(headers()).toEqual({
        'www-authenticate':
          'Bearer resource_metadata="https://catalog.example/.well-known/oauth-protected-resource/mcp", scope="mcp:read mcp:write"',
        'cache-control': 'no-store',
      });
      expect(bodies()).toEqual([
        { jsonrpc: '2.0', error: { code: -32001, message: 'Authentication required' }, id: null },
      ]);
    });

    it('renders the same error elsewhere as the admin API JSON with the ApiKey challenge', () => {
      const { host, headers, status, bodies } = call('/mcpx');
      filter.catch(new AuthError('missing', 'Authentication required'), host);
      expect(status()).toEqual([401]);
      expect(headers()).toEqual({
        'www-authenticate': 'ApiKey header="x-api-key"',
        'cache-control': 'no-store',
      });
      expect(bodies()).toEqual([
        { statusCode: 401, error: 'unauthorized', message: 'Authentication required' },
      ]);
    });

    it('answers an unknown error outside /mcp with a 500 naming only the request id', () => {
      const { host, status, bodies } = call('/api/v1/products');
      filter.catch(new Error('password=hunter2'), host);
      expect(status()).toEqual([500]);
      expect(bodies()).toEqual([
        {
          statusCode: 500,
          error: 'internal_error',
          message: 'Internal server error',
          requestId: 'req-1',
        },
      ]);
    });
  });
});
