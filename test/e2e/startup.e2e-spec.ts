import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from 'test/support/test-app';
import { Exit, startServerProcess, waitForExit, waitForStatus } from 'test/support/processes';

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

  describe('output of a start at the default log level', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'catalog-banner-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    /** Starts a server on `DATA_DIR=<dataDir>/<name>`, waits until it is ready, stops it. */
    async function startAndStop(name: string, env: Record<string, string> = {}): Promise<Exit> {
      const port = await freePort();
      const child = startServerProcess({
        PORT: String(port),
        DATA_DIR: join(dataDir, name),
        DATABASE_URL: '',
        DEMO_PASSWORD: '',
        LOG_LEVEL: 'info',
        ...env,
      });
      const exit = waitForExit(child, 150_000);
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 150_000);
      child.kill('SIGTERM');
      const out = await exit;
      expect(out.code).toBe(0);
      return out;
    }

    it('should end with a short banner holding the demo password, which no log line carries', async () => {
      const out = await startAndStop('demo');

      // Nest's route and module lines are at debug; no Fastify deprecation warning.
      expect(out.stdout).not.toMatch(/Mapped \{/);
      expect(out.stdout).not.toMatch(/RouterExplorer|RoutesResolver|InstanceLoader/);
      expect(out.stderr).not.toMatch(/FSTDEP023|DeprecationWarning/);
      const password = /^ {2}Password {3}(\S+) {2}\(shown once/m.exec(out.stdout)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
      // The banner comes after the start-up log lines, not among them.
      const start = out.stdout.indexOf('Data Product Catalog is ready');
      expect(start).toBeGreaterThan(out.stdout.indexOf('Data Product Catalog ready at'));
      const banner = out.stdout.slice(start);
      expect(banner).toMatch(/^ {2}URL {8}http:\/\/localhost:\d+$/m);
      expect(banner).toMatch(/^ {2}MCP {8}http:\/\/localhost:\d+\/mcp$/m);
      expect(banner).toMatch(/^ {2}Settings {3}http:\/\/localhost:\d+\/settings$/m);
      expect(banner).toMatch(/^ {2}Database {3}embedded PGlite \(.*catalog-banner-.*demo\)$/m);
      expect(banner).toMatch(/^ {2}Demo users alice@acme\.example, bob@acme\.example/m);
      expect(banner).toMatch(/^ {2}Lost it\? {3}npm run admin -- user:set-password --email /m);
      // The password is printed once, in the banner, and in no JSON log line.
      expect(out.stdout.split(password!)).toHaveLength(2);
      const logLines = out.stdout.split('\n').filter((l) => l.startsWith('{'));
      expect(logLines.some((l) => l.includes('Demo data created'))).toBe(true);
      expect(logLines.filter((l) => l.includes(password!))).toEqual([]);
      // Short: the log lines of a start, then the banner.
      expect(out.stdout.split('\n').length).toBeLessThan(25);
    }, 400_000);

    it('should warn, and say in the banner, that no user exists and how to create one', async () => {
      const out = await startAndStop('empty', { SEED_DEMO: 'false' });

      const warning = out.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .find((l) => l.msg.startsWith('No user exists yet'));
      expect(warning).toMatchObject({ level: 40 });
      expect(warning?.msg).toMatch(/npm run admin -- user:create --email E --password P/);
      expect(out.stdout).toMatch(/^ {2}No users {3}npm run admin -- user:create/m);
      expect(out.stdout).not.toMatch(/Demo users|Password/);
    }, 400_000);
  });
});
