import { connect } from 'node:net';
import { memberWithKey } from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { observe, Observation, pollUntil, withTimeout } from 'test/faults/support/probes';
import { openFixtures, Server, startServer, stopAll } from 'test/faults/support/server';
import {
  FreshDatabase,
  freshDatabase,
  holdTableLock,
  sessionsWaitingOnLocks,
} from 'test/faults/support/shared-postgres';

/** Restart: in-flight requests drain (≤ 10 s) or get 503; the process exits 0. */
const DRAIN_BOUND_MS = 10_000;

/** Resolves true when a new TCP connection to `port` is refused, false when it is accepted. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('graceful shutdown on SIGTERM (fault)', () => {
  let db: FreshDatabase;
  let key: string;

  /** A fresh server process, with a request held in flight by a lock on api_keys. */
  async function serverWithRequestInFlight(): Promise<{
    server: Server;
    inFlight: Promise<Observation>;
    lock: { release(): Promise<void> };
  }> {
    const s = await startServer({ DATABASE_URL: db.url, AUTH_CACHE_TTL_MS: '0' });
    let lock: { release(): Promise<void> } | undefined;
    try {
      // Also opens the keep-alive connection the next request reuses.
      expect((await observe('warm-up', () => mcp(s))).status).toBe(200);
      lock = await holdTableLock(db.url, ['api_keys']);
      const inFlight = observe('in flight', () => mcp(s), Date.now(), 30_000);
      await pollUntil(
        () => sessionsWaitingOnLocks(db.name),
        (n) => n >= 1,
        { timeoutMs: 10_000, what: 'the request waiting on the lock' },
      );
      return { server: s, inFlight, lock };
    } catch (err) {
      await lock?.release();
      await stopAll(s);
      throw err;
    }
  }

  const mcp = (s: Server) => mcpPost(s.url, toolCall('whoami'), { 'x-api-key': key });

  beforeAll(async () => {
    db = await freshDatabase('shutdown');
    const fixtures = await openFixtures(db.url);
    try {
      key = (await memberWithKey(fixtures)).key;
    } finally {
      await fixtures.close();
    }
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe('with a request in flight on a keep-alive connection (as SDK clients send them)', () => {
    let s: Server;
    let inFlight: Promise<Observation>;
    let lock: { release(): Promise<void> };
    let exited: Promise<{ code: number | null; afterMs: number }>;

    beforeAll(async () => {
      ({ server: s, inFlight, lock } = await serverWithRequestInFlight());
      const signalledAt = Date.now();
      exited = s.exited.then((e) => ({ code: e.code, afterMs: Date.now() - signalledAt }));
      s.child.kill('SIGTERM');
    });

    afterAll(async () => {
      await lock?.release();
      await stopAll(s);
    });

    it('should refuse new connections at once while the request is still held', async () => {
      await pollUntil(
        () => refusesConnections(s.port),
        (refused) => refused,
        { timeoutMs: 3_000, intervalMs: 50, what: 'new connections refused' },
      );
      expect(s.child.exitCode).toBeNull();
    });

    it('should answer the request in flight once the database answers', async () => {
      await lock.release();
      expect((await inFlight).status).toBe(200);
    });

    // KNOWN FAILURE (src/main.ts): the in-flight request's connection stays open (keep-alive) after
    // its answer, and the HTTP server's close waits for it until the client drops it.
    it('should then exit 0 within 10 s of SIGTERM', async () => {
      const exit = await withTimeout(
        exited,
        DRAIN_BOUND_MS,
        `no exit within ${DRAIN_BOUND_MS} ms of SIGTERM`,
      ).catch((err: Error) => ({ code: null, afterMs: Number.NaN, error: err.message }));
      expect(exit).toEqual({ code: 0, afterMs: expect.any(Number) });
      expect(exit.afterMs).toBeLessThanOrEqual(DRAIN_BOUND_MS);
    });
  });

  // KNOWN FAILURE (src/main.ts, src/database/data-source.ts): shutdown waits for the request, the
  // request waits for the database, and nothing bounds either wait.
  it('should answer a request that outlasts the drain with 503 and still exit within 10 s', async () => {
    const { server: s, inFlight, lock } = await serverWithRequestInFlight();
    const signalledAt = Date.now();
    try {
      s.child.kill('SIGTERM');
      const exit = await s.stop('SIGTERM', DRAIN_BOUND_MS + 1_000);
      const exitedAfter = Date.now() - signalledAt;
      const answered = await inFlight;
      expect({ status: answered.status, failure: answered.failure }).toEqual({
        status: 503,
        failure: undefined,
      });
      expect(exit.code).toBe(0);
      expect(exitedAfter).toBeLessThanOrEqual(DRAIN_BOUND_MS);
    } finally {
      await lock.release();
      await stopAll(s);
    }
  });
});
