import { McpServer } from '@modelcontextprotocol/server';
import {
  LEGACY_PROTOCOL_VERSIONS,
  MODERN_PROTOCOL_VERSION,
  MODERN_PROTOCOL_VERSIONS,
} from 'src/mcp/mcp-route';
import { McpServerPool } from 'src/mcp/mcp-server.pool';
import { ModernExchangeTransport } from 'src/mcp/transport/modern-exchange.transport';
import { SingleRequestTransport } from 'src/mcp/transport/single-request.transport';

describe('McpServerPool', () => {
  const make = () =>
    new McpServer(
      { name: 't', version: '1' },
      {
        capabilities: { tools: { listChanged: false } },
        supportedProtocolVersions: [...LEGACY_PROTOCOL_VERSIONS, ...MODERN_PROTOCOL_VERSIONS],
      },
    );
  const modernClassification = { era: 'modern', revision: MODERN_PROTOCOL_VERSION } as const;
  const modernRequest = (id: number, method: string) => ({
    jsonrpc: '2.0' as const,
    id,
    method,
    params: {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
        'io.modelcontextprotocol/clientInfo': { name: 'spec', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });

  it('should lend a released server again for the same key', async () => {
    const sut = new McpServerPool(make);
    const a = await sut.acquire('r:legacy');
    sut.release('r:legacy', a);
    expect(await sut.acquire('r:legacy')).toBe(a);
  });

  it('should give different keys different servers', async () => {
    const sut = new McpServerPool(make);
    const r = await sut.acquire('r:legacy');
    sut.release('r:legacy', r);
    expect(await sut.acquire('rw:legacy')).not.toBe(r);
    expect(await sut.acquire('r:modern')).not.toBe(r);
  });

  it('should connect each server to a transport of its era', async () => {
    const sut = new McpServerPool(make);
    const legacy = await sut.acquire('rw:legacy');
    const modern = await sut.acquire('rw:modern');
    expect(legacy.transport).toBeInstanceOf(SingleRequestTransport);
    expect(legacy.modern).toBeUndefined();
    expect(legacy.server.isConnected()).toBe(true);
    expect(modern.modern).toBeInstanceOf(ModernExchangeTransport);
    expect(modern.transport).toBeUndefined();
    expect(modern.server.isConnected()).toBe(true);
  });

  it('should serve one 2026-07-28 exchange after another on the same connected server', async () => {
    const sut = new McpServerPool(make);
    const entry = await sut.acquire('r:modern');
    entry.server.registerTool('t1', { description: 'a tool' }, () => ({ content: [] }));
    const exchange = (id: number, method: string) =>
      entry.modern!.exchange(modernRequest(id, method), modernClassification, {
        token: 't',
        clientId: 'c',
        scopes: [],
      });
    const first = await exchange(1, 'tools/list');
    expect(first.status).toBe(200);
    expect(first.response).toMatchObject({ id: 1, result: { tools: [{ name: 't1' }] } });
    // A method the server lacks is refused before dispatch (404), and the server serves on.
    const missing = await exchange(2, 'prompts/list');
    expect(missing).toMatchObject({ status: 404, response: { id: 2, error: { code: -32601 } } });
    const again = await exchange(3, 'tools/list');
    expect(again).toMatchObject({
      status: 200,
      response: { id: 3, result: { tools: [{ name: 't1' }] } },
    });
    expect(entry.server.isConnected()).toBe(true);
  });

  it('should lend a server for one use: reused after success, closed after a failure', async () => {
    const sut = new McpServerPool(make);
    const lent = await sut.lend('r:legacy', (entry) => Promise.resolve(entry));
    expect(await sut.lend('r:legacy', (entry) => Promise.resolve(entry))).toBe(lent);
    await expect(
      sut.lend('r:legacy', () => Promise.reject(new Error('request failed'))),
    ).rejects.toThrow('request failed');
    expect(lent.server.isConnected()).toBe(false);
    expect(await sut.lend('r:legacy', (entry) => Promise.resolve(entry))).not.toBe(lent);
  });

  it('should not keep more idle servers than allowed', async () => {
    const sut = new McpServerPool(make, 1);
    const a = await sut.acquire('r:legacy');
    const b = await sut.acquire('r:legacy');
    sut.release('r:legacy', a);
    sut.release('r:legacy', b);
    expect(b.server.isConnected()).toBe(false);
    expect(await sut.acquire('r:legacy')).toBe(a);
  });
});

describe('SingleRequestTransport', () => {
  it('should never deliver a response to a request with another id', async () => {
    const sut = new SingleRequestTransport();
    sut.onmessage = () => undefined;
    const pending = sut.request({ jsonrpc: '2.0', id: 2, method: 'ping' }, {});
    await sut.send({ jsonrpc: '2.0', id: 1, result: {} });
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    await sut.send({ jsonrpc: '2.0', id: 2, result: {} });
    await expect(pending).resolves.toEqual({ jsonrpc: '2.0', id: 2, result: {} });
  });

  it('should not take a request sent by the server for the response', async () => {
    const sut = new SingleRequestTransport();
    sut.onmessage = () => undefined;
    const pending = sut.request({ jsonrpc: '2.0', id: 3, method: 'tools/call' }, {});
    await sut.send({ jsonrpc: '2.0', id: 3, method: 'elicitation/create', params: {} });
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
  });
});
