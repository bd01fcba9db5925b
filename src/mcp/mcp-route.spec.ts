import fc from 'fast-check';
import { classifyInboundRequest } from '@modelcontextprotocol/server';
import type { IncomingHttpHeaders } from 'node:http';
import { decodeHeaderValue, McpRoute, routeMcpBody } from 'src/mcp/mcp-route';

// The real classifier, watched: a remembered envelope must route without it.
jest.mock('@modelcontextprotocol/server', () => {
  const actual = jest.requireActual<typeof import('@modelcontextprotocol/server')>(
    '@modelcontextprotocol/server',
  );
  return { ...actual, classifyInboundRequest: jest.fn(actual.classifyInboundRequest) };
});

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

const modernCall = (name: string, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name, arguments: {}, _meta: META, ...extra },
});

const modernHeaders = (method: string, name?: string): IncomingHttpHeaders => ({
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': method,
  ...(name === undefined ? {} : { 'mcp-name': name }),
});

const rejected = (route: McpRoute) => (route.kind === 'reject' ? route : undefined);

describe('routeMcpBody', () => {
  it('should route a plain request without headers to the 2025 era', () => {
    const sut = routeMcpBody({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, {});
    expect(sut).toMatchObject({ kind: 'legacy', messageKind: 'request' });
  });

  it('should route the initialize handshake to the 2025 era whatever version it asks for', () => {
    const body = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'x', version: '1' },
      },
    };
    expect(routeMcpBody(body, {}).kind).toBe('legacy');
  });

  it('should route a request with the 2026-07-28 envelope and headers to the 2026 era', () => {
    const sut = routeMcpBody(modernCall('whoami'), modernHeaders('tools/call', 'whoami'));
    expect(sut).toMatchObject({
      kind: 'modern',
      messageKind: 'request',
      classification: { era: 'modern', revision: '2026-07-28' },
    });
  });

  it('should refuse a 2026 request without the Mcp-Name header with 400 and HeaderMismatch', () => {
    const sut = rejected(routeMcpBody(modernCall('whoami'), modernHeaders('tools/call')));
    expect(sut).toMatchObject({ status: 400, code: -32020, id: 7 });
  });

  it('should refuse a 2026 request whose Mcp-Name differs from the tool called', () => {
    const sut = rejected(routeMcpBody(modernCall('whoami'), modernHeaders('tools/call', 'fetch')));
    expect(sut).toMatchObject({ status: 400, code: -32020 });
    expect(sut?.message).toMatch(/'fetch' does not match body value 'whoami'/);
  });

  it('should accept an Mcp-Name carried in the Base64 sentinel and surrounded by spaces', () => {
    const encoded = `=?base64?${Buffer.from('whoami').toString('base64')}?=`;
    expect(
      routeMcpBody(modernCall('whoami'), modernHeaders('tools/call', `  ${encoded} `)).kind,
    ).toBe('modern');
  });

  it('should refuse a 2026 request without MCP-Protocol-Version or Mcp-Method', () => {
    const noVersion = { 'mcp-method': 'tools/list' };
    const noMethod = { 'mcp-protocol-version': '2026-07-28' };
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: META } };
    expect(rejected(routeMcpBody(list, noVersion))).toMatchObject({ status: 400, code: -32020 });
    expect(rejected(routeMcpBody(list, noMethod))).toMatchObject({ status: 400, code: -32020 });
  });

  it('should refuse a 2026 request whose Mcp-Method header names another method', () => {
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: META } };
    expect(rejected(routeMcpBody(list, modernHeaders('prompts/list')))).toMatchObject({
      status: 400,
      code: -32020,
    });
  });

  it('should answer an unknown revision with UnsupportedProtocolVersion listing 2026-07-28', () => {
    const body = {
      jsonrpc: '2.0',
      id: 9,
      method: 'server/discover',
      params: { _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
    };
    const sut = rejected(
      routeMcpBody(body, { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'server/discover' }),
    );
    expect(sut).toMatchObject({
      status: 400,
      code: -32022,
      id: 9,
      data: { supported: ['2026-07-28'], requested: '2099-01-01' },
    });
  });

  it('should refuse an envelope without client capabilities with 400 and -32602', () => {
    const meta: Record<string, unknown> = { ...META };
    delete meta['io.modelcontextprotocol/clientCapabilities'];
    const body = { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: meta } };
    expect(rejected(routeMcpBody(body, modernHeaders('tools/list')))).toMatchObject({
      status: 400,
      code: -32602,
      id: 3,
    });
  });

  it('should refuse a 2025 request naming an unsupported protocol version', () => {
    const sut = rejected(
      routeMcpBody(
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { 'mcp-protocol-version': '1999-01-01' },
      ),
    );
    expect(sut).toMatchObject({ status: 400, code: -32000, id: 1 });
  });

  it('should route a remembered envelope again without the classifier, and refuse what it would refuse', () => {
    const meta = {
      ...META,
      'io.modelcontextprotocol/clientInfo': { name: 'remembered', version: '2' },
    };
    const call = (extra: Record<string, unknown> = {}) => ({
      ...modernCall('whoami'),
      params: { name: 'whoami', arguments: {}, _meta: meta, ...extra },
    });
    const first = routeMcpBody(call(), modernHeaders('tools/call', 'whoami'));
    const classify = jest.mocked(classifyInboundRequest);
    classify.mockClear();
    const again = routeMcpBody(call(), modernHeaders('tools/call', 'whoami'));
    expect(classify).not.toHaveBeenCalled();
    expect(again).toEqual(first);
    expect(again).toMatchObject({
      kind: 'modern',
      classification: { era: 'modern', revision: '2026-07-28' },
    });

    // Headers that do not repeat the body exactly go to the classifier, which refuses them.
    const otherMethod = routeMcpBody(call(), modernHeaders('tools/list', 'whoami'));
    expect(classify).toHaveBeenCalledTimes(1);
    expect(rejected(otherMethod)).toMatchObject({ status: 400 });
    const otherVersion = routeMcpBody(call(), {
      ...modernHeaders('tools/call', 'whoami'),
      'mcp-protocol-version': '2025-11-25',
    });
    expect(classify).toHaveBeenCalledTimes(2);
    expect(rejected(otherVersion)).toMatchObject({ status: 400 });
    // The Mcp-Name check still runs on a remembered envelope.
    expect(rejected(routeMcpBody(call(), modernHeaders('tools/call', 'fetch')))).toMatchObject({
      status: 400,
      code: -32020,
    });
    expect(classify).toHaveBeenCalledTimes(2);
  });

  it('should refuse batches and bodies that are no JSON-RPC message', () => {
    expect(rejected(routeMcpBody([{ jsonrpc: '2.0', id: 1, method: 'ping' }], {}))).toMatchObject({
      status: 400,
      code: -32600,
    });
    expect(rejected(routeMcpBody({ hello: 'world' }, {}))).toMatchObject({
      status: 400,
      code: -32600,
    });
  });

  const value = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.constant(null),
    fc.dictionary(fc.constantFrom('a', 'name'), fc.jsonValue(), { maxKeys: 2 }),
  );
  const meta = fc.dictionary(
    fc.constantFrom(
      'io.modelcontextprotocol/protocolVersion',
      'io.modelcontextprotocol/clientCapabilities',
      'io.modelcontextprotocol/clientInfo',
      'progressToken',
    ),
    fc.oneof(fc.constantFrom('2026-07-28', '2025-11-25', 'v9'), fc.constant({}), value),
    { maxKeys: 4 },
  );
  const body = fc.record(
    {
      jsonrpc: fc.constantFrom('2.0', '1.0'),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(1.5)),
      method: fc.constantFrom('tools/call', 'tools/list', 'initialize', 'server/discover'),
      params: fc.oneof(
        fc.record(
          {
            name: fc.constantFrom('whoami', 'x'),
            _meta: meta,
            task: value,
          },
          { requiredKeys: [] },
        ),
        fc.constant({}),
        fc.constant([]),
      ),
      result: fc.constant({}),
    },
    { requiredKeys: [] },
  );
  /** Well-formed 2026 requests, mostly with valid envelopes: remembered ones meet every header. */
  const modernBody = fc.record({
    jsonrpc: fc.constant('2.0'),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 3 })),
    method: fc.constantFrom('tools/call', 'tools/list', 'initialize', 'server/discover'),
    params: fc.record(
      {
        name: fc.constantFrom('whoami', 'x'),
        _meta: fc.oneof(
          fc.constantFrom(META, { ...META, progressToken: 3 }, { ...META, progressToken: {} }),
          meta,
        ),
        task: value,
      },
      { requiredKeys: ['_meta'] },
    ),
  });
  const headers = fc.record(
    {
      'mcp-protocol-version': fc.constantFrom(
        '2026-07-28',
        ' 2026-07-28\t',
        '2025-11-25',
        '2025-03-26',
        'v9',
      ),
      'mcp-method': fc.constantFrom('tools/call', ' tools/call', 'tools/list', 'initialize'),
      'mcp-name': fc.constantFrom('whoami', 'x'),
    },
    { requiredKeys: [] },
  );

  it('should never route to an era the SDK classifier would not, and reject what it rejects alike', () => {
    fc.assert(
      fc.property(fc.oneof(body, modernBody), headers, (b, h) => {
        const sut = routeMcpBody(b, h);
        const sdk = classifyInboundRequest({
          httpMethod: 'POST',
          protocolVersionHeader: h['mcp-protocol-version'],
          mcpMethodHeader: h['mcp-method'],
          mcpNameHeader: h['mcp-name'],
          body: b,
        });
        if (sut.kind === 'legacy') expect(sdk.kind).toBe('legacy');
        if (sut.kind === 'modern') expect(sdk.kind).toBe('modern');
        if (sut.kind === 'modern' && sdk.kind === 'modern') {
          expect(sut.classification).toEqual(sdk.classification);
        }
        // Routed again: now with its envelope remembered when the classifier accepted it.
        expect(routeMcpBody(b, h)).toEqual(sut);
        if (sdk.kind === 'reject' && sut.kind === 'reject' && sut.code !== -32600) {
          expect({ status: sut.status, code: sut.code }).toEqual({
            status: sdk.httpStatus,
            code: sdk.code,
          });
        }
        if (sdk.kind === 'reject') expect(sut.kind).toBe('reject');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decodeHeaderValue', () => {
  it.each([
    ['us-west1', 'us-west1'],
    ['=?base64?SGVsbG8sIOS4lueVjA==?=', 'Hello, 世界'],
    ['=?base64?IHBhZGRlZCA=?=', ' padded '],
    ['=?base64?bGluZTEKbGluZTI=?=', 'line1\nline2'],
    ['=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=', '=?base64?literal?='],
    ['SGVsbG8=', 'SGVsbG8='],
    ['=?base64?SGVsbG8=', '=?base64?SGVsbG8='],
  ])('should read %s as %j (MCP 2026-07-28 value encoding)', (header, expected) => {
    expect(decodeHeaderValue(header)).toBe(expected);
  });

  it.each(['=?base64?SGVsbG8?=', '=?base64?SGVs!!!bG8=?=', '=?base64?/w==?='])(
    'should refuse the malformed sentinel %s',
    (header) => {
      expect(decodeHeaderValue(header)).toBeUndefined();
    },
  );
});
