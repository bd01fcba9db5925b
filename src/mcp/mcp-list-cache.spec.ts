import { McpListCache } from 'src/mcp/mcp-list-cache';

const req = (method: string, params?: Record<string, unknown>, id: string | number = 1) => ({
  jsonrpc: '2.0' as const,
  id,
  method,
  ...(params ? { params } : {}),
});

describe('McpListCache', () => {
  it('should reuse only the first page of lists that depend on the tool set alone', () => {
    const sut = new McpListCache();
    expect(sut.keyOf('rw:legacy', req('tools/list'))).toBe('rw:legacy tools/list');
    expect(sut.keyOf('r:modern', req('prompts/list', { _meta: { a: 1 } }))).toBe(
      'r:modern prompts/list',
    );
    expect(sut.keyOf('r:legacy', req('tools/list', { cursor: 'x' }))).toBeUndefined();
    expect(sut.keyOf('r:legacy', req('resources/list'))).toBeUndefined();
    expect(sut.keyOf('r:legacy', req('tools/call', { name: 'whoami' }))).toBeUndefined();
  });

  it('should answer with the remembered result under the new request id', () => {
    const sut = new McpListCache();
    const key = 'rw:legacy tools/list';
    expect(sut.answer(key, 1)).toBeUndefined();
    sut.remember(key, { jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'whoami' }] } });
    expect(JSON.parse(sut.answer(key, 'a"b')!.toString('utf8'))).toEqual({
      jsonrpc: '2.0',
      id: 'a"b',
      result: { tools: [{ name: 'whoami' }] },
    });
  });

  it('should answer the same bytes as the serialized response of the server, non-ASCII included', () => {
    const sut = new McpListCache();
    const key = 'r:modern tools/list';
    const response = {
      result: { tools: [{ name: 'search', description: 'Finds your organization’s products' }] },
      jsonrpc: '2.0' as const,
      id: 7,
    };
    sut.remember(key, response);
    expect(sut.answer(key, 7)!.equals(Buffer.from(JSON.stringify(response)))).toBe(true);
  });

  it('should never remember an error', () => {
    const sut = new McpListCache();
    sut.remember('k', { jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'x' } });
    expect(sut.answer('k', 2)).toBeUndefined();
  });
});
