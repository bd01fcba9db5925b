import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpServerPool, SingleRequestTransport } from 'src/mcp/mcp-server.pool';

const init = (id: number, name: string) => ({
  jsonrpc: '2.0' as const,
  id,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: { roots: {} },
    clientInfo: { name, version: '1' },
  },
});

describe('McpServerPool', () => {
  const make = () => new McpServer({ name: 't', version: '1' }, { capabilities: { tools: {} } });

  it('should reuse a released server and clear the previous caller’s initialize details', async () => {
    const sut = new McpServerPool(make);
    const a = await sut.acquire('r');
    const res = await a.transport.request(init(1, 'caller-a'), {});
    expect((res as unknown as { result: { protocolVersion: string } }).result.protocolVersion).toBe(
      '2025-11-25',
    );
    expect(a.server.server.getClientVersion()?.name).toBe('caller-a');
    sut.release('r', a);
    const b = await sut.acquire('r');
    expect(b).toBe(a);
    expect(b.server.server.getClientVersion()).toBeUndefined();
    expect(b.server.server.getClientCapabilities()).toBeUndefined();
  });

  it('should give different keys different servers', async () => {
    const sut = new McpServerPool(make);
    const r = await sut.acquire('r');
    sut.release('r', r);
    expect(await sut.acquire('rw')).not.toBe(r);
  });

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
});
