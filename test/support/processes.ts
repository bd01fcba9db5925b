import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

/** Starts `src/main.ts` (through ts-node, like `npm run admin`) as a real server process. */
export function startServerProcess(env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Collects a process's output until it exits (or kills it after `timeoutMs`). */
export function waitForExit(child: ChildProcess, timeoutMs = 60_000): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

/** Polls `url` until it answers `status` (or throws after `timeoutMs`). */
export async function waitForStatus(
  url: string,
  status: number,
  timeoutMs = 60_000,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === status) return Date.now() - start;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - start > timeoutMs)
      throw new Error(`${url} did not answer ${status} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
