import { McpServer } from '@modelcontextprotocol/server';
import { McpServerPool } from 'src/mcp/mcp-server.pool';
import { SingleRequestTransport } from 'src/mcp/transport/single-request.transport';

describe('McpServerPool', () => {
  const make = () =>
    new McpServer({ name: 't', version: '1' }, { capabilities: { tools: { listChanged: false } } });

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

  it('should connect 2025-era servers to a transport and leave 2026 ones unconnected', async () => {
    const sut = new McpServerPool(make);
    const legacy = await sut.acquire('rw:legacy');
    const modern = await sut.acquire('rw:modern');
    expect(legacy.transport).toBeInstanceOf(SingleRequestTransport);
    expect(legacy.server.isConnected()).toBe(true);
    expect(modern.transport).toBeUndefined();
    expect(modern.server.isConnected()).toBe(false);
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
