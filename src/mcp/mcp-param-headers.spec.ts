import { paramHeaderMismatch, paramHeadersOf } from 'src/mcp/mcp-param-headers';

const schema = {
  type: 'object',
  properties: {
    dataProductId: { type: 'string', 'x-mcp-header': 'DataProductId' },
    limit: { type: 'integer', 'x-mcp-header': 'Limit' },
    nested: {
      type: 'object',
      properties: { flag: { type: 'boolean', 'x-mcp-header': 'Flag' } },
    },
    query: { type: 'string' },
  },
};

describe('paramHeadersOf', () => {
  it('should find the declarations reachable through properties', () => {
    expect(paramHeadersOf(schema)).toEqual([
      { path: ['dataProductId'], name: 'DataProductId', type: 'string' },
      { path: ['limit'], name: 'Limit', type: 'integer' },
      { path: ['nested', 'flag'], name: 'Flag', type: 'boolean' },
    ]);
  });

  it('should refuse declarations the spec does not allow', () => {
    const on = (prop: Record<string, unknown>) => ({ type: 'object', properties: { a: prop } });
    expect(() => paramHeadersOf(on({ type: 'number', 'x-mcp-header': 'A' }))).toThrow(/string/);
    expect(() => paramHeadersOf(on({ type: 'string', 'x-mcp-header': 'A B' }))).toThrow(/token/);
    expect(() =>
      paramHeadersOf({
        type: 'object',
        properties: {
          a: { type: 'string', 'x-mcp-header': 'Same' },
          b: { type: 'string', 'x-mcp-header': 'same' },
        },
      }),
    ).toThrow(/twice/);
  });
});

describe('paramHeaderMismatch', () => {
  const sut = paramHeadersOf(schema);

  it('should accept matching headers, decoded and compared as the spec says', () => {
    const args = { dataProductId: 'orders', limit: 42, nested: { flag: true } };
    expect(
      paramHeaderMismatch(sut, args, {
        'mcp-param-dataproductid': `=?base64?${Buffer.from('orders').toString('base64')}?=`,
        'mcp-param-limit': '42.0',
        'mcp-param-flag': 'true',
      }),
    ).toBeUndefined();
  });

  it('should not expect a header for an argument that is absent or null', () => {
    expect(paramHeaderMismatch(sut, { dataProductId: null }, {})).toBeUndefined();
    expect(paramHeaderMismatch(sut, {}, {})).toBeUndefined();
  });

  it('should refuse a missing, malformed or different header', () => {
    const args = { dataProductId: 'orders' };
    expect(paramHeaderMismatch(sut, args, {})?.data).toEqual({
      header: 'Mcp-Param-DataProductId',
      received: null,
      body: 'orders',
    });
    expect(
      paramHeaderMismatch(sut, args, { 'mcp-param-dataproductid': '=?base64?b3JkZXJz?=x' })?.data
        .received,
    ).toBe('=?base64?b3JkZXJz?=x');
    expect(
      paramHeaderMismatch(sut, args, { 'mcp-param-dataproductid': '=?base64?b3JkZXJz?=' }),
    ).toBeUndefined();
    expect(
      paramHeaderMismatch(sut, args, { 'mcp-param-dataproductid': '=?base64?b3JkZXJz=?=' }),
    ).toBeDefined();
    expect(
      paramHeaderMismatch(sut, args, { 'mcp-param-dataproductid': 'customers' })?.message,
    ).toMatch(/does not match dataProductId/);
  });
});
