import type { McpServer } from '@modelcontextprotocol/server';
import { MODERN_PROTOCOL_VERSION } from 'src/mcp/mcp-route';
import { ModernExchangeTransport } from 'src/mcp/transport/modern-exchange.transport';
import { SingleRequestTransport } from 'src/mcp/transport/single-request.transport';

/**
 * Which servers are interchangeable: the tool set (`r` read tools, `rw` all tools) and the protocol
 * era. Each server stays connected to a transport of its own: a 2025-era server to a single-request
 * transport, a 2026-07-28 server to an exchange transport (connecting it is what binds the server to
 * that revision; `modern` means 2026-07-28, the one modern revision served: a second one would need
 * keys of its own). `handshake` servers answer the 2025 `initialize` request and nothing else.
 */
export type PoolKey = 'r:legacy' | 'rw:legacy' | 'r:modern' | 'rw:modern' | 'handshake';

export interface PooledServer {
  server: McpServer;
  /** Set for 2025-era servers. */
  transport?: SingleRequestTransport;
  /** Set for 2026-07-28 servers. */
  modern?: ModernExchangeTransport;
}

/**
 * Reuses McpServer instances, one request at a time each. Every caller with the same key gets an
 * identical server: the servers hold no caller state (the `initialize` handshake, the only request that
 * leaves client details on a server, is answered by a server of its own that serves nothing else). A
 * server whose request failed is closed, never reused.
 */
export class McpServerPool {
  private readonly idle = new Map<string, PooledServer[]>();

  constructor(
    private readonly create: (key: PoolKey) => McpServer,
    private readonly maxIdlePerKey = 64,
  ) {}

  /** An idle server of this key at once (no promise: this runs on every request), else a new one. */
  acquire(key: PoolKey): PooledServer | Promise<PooledServer> {
    return this.idle.get(key)?.pop() ?? this.createEntry(key);
  }

  private async createEntry(key: PoolKey): Promise<PooledServer> {
    const server = this.create(key);
    if (key.endsWith(':modern')) {
      const modern = new ModernExchangeTransport({
        era: 'modern',
        revision: MODERN_PROTOCOL_VERSION,
      });
      await server.connect(modern);
      return { server, modern };
    }
    const transport = new SingleRequestTransport();
    await server.connect(transport);
    return { server, transport };
  }

  /**
   * Lends a server of this key to `use` for one request: released for reuse when `use` succeeds,
   * closed (never reused) when it throws.
   */
  async lend<T>(key: PoolKey, use: (entry: PooledServer) => Promise<T>): Promise<T> {
    const acquired = this.acquire(key);
    const entry = acquired instanceof Promise ? await acquired : acquired;
    let result: T;
    try {
      result = await use(entry);
    } catch (err) {
      this.discard(entry);
      throw err;
    }
    this.release(key, entry);
    return result;
  }

  release(key: PoolKey, entry: PooledServer): void {
    const list = this.idle.get(key) ?? [];
    if (list.length >= this.maxIdlePerKey) {
      void entry.server.close();
      return;
    }
    list.push(entry);
    this.idle.set(key, list);
  }

  discard(entry: PooledServer): void {
    void entry.server.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((e) => e.server.close()));
  }
}
