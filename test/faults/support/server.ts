import { ChildProcess } from 'node:child_process';
import { INestApplicationContext } from '@nestjs/common';
import { createApp } from 'src/app.factory';
import { Exit, startServerProcess, waitForExit } from 'test/support/processes';
import { DEMO_PASSWORD, freePort } from 'test/support/test-app';

/**
 * A real server process (`src/main.ts`), as deployed: the fault tests observe processes rather than
 * in-process apps, because inside jest errors raised by Node itself (e.g. `connect ECONNREFUSED`)
 * come from another realm and fail `instanceof Error`, which would distort what a client sees.
 */
export interface Server {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves when the process has exited, with everything it printed. */
  readonly exited: Promise<Exit>;
  /** Sends `signal` and waits (≤ `timeoutMs`, then SIGKILL) for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

const running = new Set<ChildProcess>();
let hookInstalled = false;

function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export interface ServerOptions {
  /** Defaults to a free port. */
  port?: number;
  /** Defaults to the server's own URL; instances behind one name share it (issuer, audience). */
  publicUrl?: string;
  /** How long start-up may take (migrations, demo seed) before the test fails. */
  startTimeoutMs?: number;
}

/** Starts `src/main.ts` with `env` and waits until `/health/live` answers 200. */
export async function startServer(
  env: Record<string, string>,
  options: ServerOptions = {},
): Promise<Server> {
  installExitHook();
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = startServerProcess({
    PORT: String(port),
    PUBLIC_URL: options.publicUrl ?? url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    SEED_DEMO: 'false',
    DEMO_PASSWORD,
    // The child runs ts-node, not jest: keep the parent's E2E_* template settings out of it.
    E2E_PG_SERVER_URL: '',
    E2E_PG_TEMPLATE: '',
    ...env,
  });
  running.add(child);
  const exited = waitForExit(child, 10 * 60_000).finally(() => running.delete(child));
  let exitedEarly: Exit | null = null;
  void exited.then((e) => (exitedEarly = e));
  const server: Server = {
    port,
    url,
    child,
    exited,
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exitedEarly) {
      const e: Exit = exitedEarly;
      throw new Error(`server exited during start-up (code ${e.code}): ${e.stderr.slice(-2000)}`);
    }
    try {
      if ((await fetch(`${url}/health/live`)).status === 200) return server;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await server.stop('SIGKILL');
      throw new Error(`server did not start within ${options.startTimeoutMs ?? 60_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Stops every given server that is still running (for afterAll), ignoring failures. */
export async function stopAll(...servers: Array<Server | undefined>): Promise<void> {
  await Promise.all(
    servers.map(async (s) => {
      await s?.stop('SIGKILL', 5_000).catch(() => undefined);
    }),
  );
}

/**
 * The application's services in this process, on the same database, for test data (factories) and
 * direct checks. It does not listen; close it before dropping the database.
 */
export async function openFixtures(
  databaseUrl: string,
  overrides: Record<string, string> = {},
): Promise<INestApplicationContext & { close(): Promise<void> }> {
  const { app } = await createApp({
    DATABASE_URL: databaseUrl,
    PORT: '1',
    PUBLIC_URL: 'http://127.0.0.1:1',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    ...overrides,
  });
  return app;
}
