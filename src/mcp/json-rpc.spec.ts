import fc from 'fast-check';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/core';
import { isJSONRPCNotification, isJSONRPCRequest } from '@modelcontextprotocol/server';
import { plainMessageKind } from 'src/mcp/json-rpc';

/** What the SDK's schemas say of a body. */
function zodKind(body: unknown): 'request' | 'notification' | 'other' | 'invalid' {
  if (!JSONRPCMessageSchema.safeParse(body).success) return 'invalid';
  if (isJSONRPCRequest(body)) return 'request';
  if (isJSONRPCNotification(body)) return 'notification';
  return 'other';
}

const value = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('a', '_meta', 'name'), fc.jsonValue(), { maxKeys: 2 }),
);

/** Bodies close to JSON-RPC messages: each member present or not, valid or not. */
const body = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), value),
    id: fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.constantFrom(1.5, 2 ** 60, -0, null),
      value,
    ),
    method: fc.oneof(fc.constantFrom('tools/call', 'tools/list', 'initialize'), value),
    params: fc.oneof(
      fc.dictionary(fc.constantFrom('name', 'arguments', 'cursor'), fc.jsonValue(), {
        maxKeys: 3,
      }),
      fc.record({ _meta: value }),
      value,
    ),
    result: fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue(), { maxKeys: 2 }),
    extra: value,
  },
  { requiredKeys: [] },
);

describe('plainMessageKind', () => {
  it('classifies plain requests and notifications', () => {
    expect(
      plainMessageKind({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } }),
    ).toBe('request');
    expect(plainMessageKind({ jsonrpc: '2.0', method: 'notifications/initialized' })).toBe(
      'notification',
    );
  });

  it('leaves to the SDK schema what it cannot decide cheaply', () => {
    expect(
      plainMessageKind({ jsonrpc: '2.0', id: 1, method: 'x', params: { _meta: { a: 1 } } }),
    ).toBeUndefined();
    expect(plainMessageKind({ jsonrpc: '2.0', id: 1, result: {} })).toBeUndefined();
    expect(plainMessageKind({ jsonrpc: '2.0', id: 1, method: 'x', extra: 1 })).toBeUndefined();
    expect(plainMessageKind({ jsonrpc: '2.0', id: 1.5, method: 'x' })).toBeUndefined();
  });

  it('never disagrees with the SDK schemas', () => {
    fc.assert(
      fc.property(body, (b) => {
        const kind = plainMessageKind(b);
        if (kind !== undefined) expect(zodKind(b)).toBe(kind);
      }),
      { numRuns: 5000 },
    );
  });
});
