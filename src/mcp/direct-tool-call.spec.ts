import type { CallToolResult, JSONRPCRequest } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { Scope } from 'src/auth/scopes';
import { directCall, directResponse, directResponseJson } from 'src/mcp/direct-tool-call';
import { toolSuccess } from 'src/mcp/tool-results';

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'unit', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

const request = (params: unknown, method = 'tools/call'): JSONRPCRequest =>
  ({ jsonrpc: '2.0', id: 7, method, params }) as JSONRPCRequest;

const INFO = { name: 'data-product-catalog', version: '1.2.3', title: 'Data Product Catalog' };

describe('directCall', () => {
  describe('2025 revisions', () => {
    it('should take a tool call with arguments that are a JSON object, or none', () => {
      expect(directCall('legacy', request({ name: 'search', arguments: { query: '*' } }))).toEqual({
        args: { query: '*' },
      });
      expect(directCall('legacy', request({ name: 'whoami', arguments: {} }))).toEqual({
        args: {},
      });
      expect(directCall('legacy', request({ name: 'whoami' }))).toEqual({ args: undefined });
    });

    it('should leave other methods and params without a string name to the SDK', () => {
      expect(directCall('legacy', request({ name: 'whoami' }, 'tools/list'))).toBeUndefined();
      expect(directCall('legacy', request({ name: 'whoami' }, 'prompts/get'))).toBeUndefined();
      expect(directCall('legacy', request(undefined))).toBeUndefined();
      expect(directCall('legacy', request(['whoami']))).toBeUndefined();
      for (const name of [undefined, 1, null, ['whoami'], { name: 'whoami' }]) {
        expect(directCall('legacy', request({ name, arguments: {} }))).toBeUndefined();
      }
    });

    it.each([
      ['an array', []],
      ['an array of pairs', [['query', '*']]],
      ['a string', '{"query":"*"}'],
      ['a number', 1],
      ['a boolean', true],
      ['null', null],
    ])('should leave arguments that are %s to the SDK', (_, args) => {
      expect(directCall('legacy', request({ name: 'search', arguments: args }))).toBeUndefined();
    });

    it('should leave a call with _meta or any other params key to the SDK', () => {
      for (const extra of [
        { _meta: {} },
        { _meta: { progressToken: 1 } },
        { task: { ttl: 1000 } },
        { cursor: 'x' },
        { extra: undefined },
      ]) {
        expect(
          directCall('legacy', request({ name: 'whoami', arguments: {}, ...extra })),
        ).toBeUndefined();
      }
    });
  });

  describe('2026-07-28', () => {
    it('should take a tool call whose _meta holds only the envelope, progress and log level', () => {
      expect(
        directCall('modern', request({ name: 'fetch', arguments: { x: 1 }, _meta: ENVELOPE })),
      ).toEqual({ args: { x: 1 } });
      expect(directCall('modern', request({ name: 'whoami', _meta: ENVELOPE }))).toEqual({
        args: undefined,
      });
      expect(
        directCall(
          'modern',
          request({
            name: 'whoami',
            arguments: {},
            _meta: {
              ...ENVELOPE,
              progressToken: 'p1',
              'io.modelcontextprotocol/logLevel': 'debug',
            },
          }),
        ),
      ).toEqual({ args: {} });
    });

    it('should leave a call without its _meta object to the SDK', () => {
      expect(directCall('modern', request({ name: 'whoami', arguments: {} }))).toBeUndefined();
      for (const meta of [null, 'x', [ENVELOPE]]) {
        expect(
          directCall('modern', request({ name: 'whoami', arguments: {}, _meta: meta })),
        ).toBeUndefined();
      }
    });

    it.each([
      ['a foreign key', { 'com.example/trace': 'abc' }],
      ['an unprefixed key', { anything: 1 }],
      ['another io.modelcontextprotocol key', { 'io.modelcontextprotocol/related-task': {} }],
    ])('should leave _meta with %s to the SDK', (_, extra) => {
      expect(
        directCall(
          'modern',
          request({ name: 'whoami', arguments: {}, _meta: { ...ENVELOPE, ...extra } }),
        ),
      ).toBeUndefined();
    });

    it('should leave other methods, other params keys and arguments of other types to the SDK', () => {
      expect(
        directCall('modern', request({ name: 'whoami', _meta: ENVELOPE }, 'tools/list')),
      ).toBeUndefined();
      expect(
        directCall('modern', request({ name: 7, arguments: {}, _meta: ENVELOPE })),
      ).toBeUndefined();
      expect(
        directCall('modern', request({ name: 'whoami', arguments: {}, task: {}, _meta: ENVELOPE })),
      ).toBeUndefined();
      for (const args of [[], 'x', 0, false, null]) {
        expect(
          directCall('modern', request({ name: 'search', arguments: args, _meta: ENVELOPE })),
        ).toBeUndefined();
      }
    });
  });
});

describe('directResponse', () => {
  const result: CallToolResult = {
    content: [{ type: 'text', text: 'hello' }],
    structuredContent: { a: 1 },
  };

  it('should send the result as is in the 2025 revisions', () => {
    expect(directResponse('legacy', 'req-1', result, INFO)).toStrictEqual({
      jsonrpc: '2.0',
      id: 'req-1',
      result,
    });
    const failed: CallToolResult = { content: [{ type: 'text', text: 'no' }], isError: true };
    expect(directResponse('legacy', 3, failed, INFO)).toStrictEqual({
      jsonrpc: '2.0',
      id: 3,
      result: failed,
    });
  });

  it('should mark the result complete and name the server in _meta in 2026-07-28', () => {
    expect(directResponse('modern', 9, result, INFO)).toStrictEqual({
      jsonrpc: '2.0',
      id: 9,
      result: {
        content: [{ type: 'text', text: 'hello' }],
        structuredContent: { a: 1 },
        resultType: 'complete',
        _meta: { 'io.modelcontextprotocol/serverInfo': INFO },
      },
    });
  });

  it('should keep the result’s own _meta entries beside the server’s identity', () => {
    const own: CallToolResult = { ...result, isError: true, _meta: { 'com.example/x': 1 } };
    const response = directResponse('modern', 'a', own, INFO);
    expect(response.result).toStrictEqual({
      ...result,
      isError: true,
      resultType: 'complete',
      _meta: { 'com.example/x': 1, 'io.modelcontextprotocol/serverInfo': INFO },
    });
    // The tool's result object is not changed.
    expect(own._meta).toStrictEqual({ 'com.example/x': 1 });
  });
});

describe('directResponseJson', () => {
  const frozen = (): CallToolResult => {
    const r: CallToolResult = {
      content: [{ type: 'text', text: 'hello' }],
      structuredContent: { a: 1 },
    };
    Object.freeze(r.content[0]);
    Object.freeze(r.content);
    Object.freeze(r.structuredContent);
    return Object.freeze(r);
  };

  it.each(['legacy', 'modern'] as const)(
    'should be the JSON of directResponse in the %s era, for shared and unshared results',
    (era) => {
      for (const r of [frozen(), { ...frozen() }]) {
        expect(JSON.parse(directResponseJson(era, 'x"1', r, INFO))).toStrictEqual(
          directResponse(era, 'x"1', r, INFO),
        );
        expect(JSON.parse(directResponseJson(era, 7, r, INFO))).toStrictEqual(
          directResponse(era, 7, r, INFO),
        );
      }
    },
  );

  it('should serialize a shared result once, but each era and each server identity on its own', () => {
    const shared = frozen();
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      directResponseJson('modern', 1, shared, INFO);
      directResponseJson('modern', 2, shared, INFO);
      const results = () => stringify.mock.calls.filter(([v]) => typeof v === 'object').length;
      expect(results()).toBe(1);

      const legacy = JSON.parse(directResponseJson('legacy', 3, shared, INFO));
      expect(legacy.result).toStrictEqual(shared);
      const other = { ...INFO, name: 'other' };
      const renamed = JSON.parse(directResponseJson('modern', 4, shared, other));
      expect(renamed.result._meta['io.modelcontextprotocol/serverInfo']).toStrictEqual(other);
      expect(results()).toBe(3);
    } finally {
      stringify.mockRestore();
    }
  });
});

describe('directResponseJson of toolSuccess answers', () => {
  const definition = {
    name: 'echo',
    title: 'Echo',
    description: 'Echoes',
    scope: Scope.Read as const,
    input: z.object({}),
    output: z.object({ said: z.string(), n: z.number() }),
  };

  it.each(['legacy', 'modern'] as const)(
    'should be exactly the JSON of directResponse in the %s era, shared or not',
    (era) => {
      const said = 'quotes " and \\ and \u2028 and ünïcode';
      for (const result of [
        { structured: { said, n: 1 }, text: `said "${said}"` },
        Object.freeze({ structured: { said, n: 2 }, text: 'frozen' }),
      ]) {
        const answer = toolSuccess(definition, result);
        expect(directResponseJson(era, 'id-1', answer, INFO)).toBe(
          JSON.stringify(directResponse(era, 'id-1', answer, INFO)),
        );
      }
    },
  );

  it('should not take a changed answer for a toolSuccess one', () => {
    const answer = toolSuccess(definition, { structured: { said: 'x', n: 1 }, text: 'x' });
    const changed = { ...answer, isError: false };
    expect(directResponseJson('modern', 1, changed, INFO)).toBe(
      JSON.stringify(directResponse('modern', 1, changed, INFO)),
    );
  });
});
