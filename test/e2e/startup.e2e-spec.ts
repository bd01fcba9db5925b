import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from 'test/support/test-app';
import { startServerProcess, waitForExit, waitForStatus } from 'test/support/processes';

describe('start-up (e2e, real server processes)', () => {
  it('should stop with a message naming a bad variable and exit non-zero', async () => {
    const res = await waitForExit(startServerProcess({ PORT: 'eighty', LOG_LEVEL: 'silent' }));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/PORT must be an integer/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('should stop with one clear line when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    const res = await waitForExit(
      startServerProcess({
        DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/none`,
        LOG_LEVEL: 'silent',
      }),
    );
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/Cannot connect to PostgreSQL 127\.0\.0\.1:\d+\/none/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  describe('on the embedded database in DATA_DIR', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'catalog-data-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('should seed demo data once, refuse a second process, and keep data across restarts', async () => {
      const port = await freePort();
      const env = { PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info' };
      const first = startServerProcess(env);
      const firstExit = waitForExit(first);
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200);

      // A second process on the same folder is refused while the first holds it.
      // Generous: on a loaded machine ts-node alone can take a minute before the lock is tried.
      const second = await waitForExit(
        startServerProcess({ ...env, PORT: String(await freePort()) }),
        150_000,
      );
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/in use by another process/);

      first.kill('SIGTERM');
      const out1 = await firstExit;
      expect(out1.code).toBe(0);
      expect(out1.stdout).toMatch(/Demo data created/);
      expect(out1.stdout).toMatch(
        /ready at http:\/\/localhost:\d+ — MCP endpoint http:\/\/localhost:\d+\/mcp/,
      );

      const again = startServerProcess(env);
      const againExit = waitForExit(again);
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200);
      again.kill('SIGTERM');
      const out2 = await againExit;
      expect(out2.code).toBe(0);
      // Seeded data survived: the second start finds it and does not seed again.
      expect(out2.stdout).not.toMatch(/Demo data created/);
    }, 400_000);
  });
});
