import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { Cleanup } from './cleanup';

export const ROOT = resolvePath(__dirname, '..');

/** Where each side runs: `taskset` core numbers, or why nothing is pinned. */
export interface Pinning {
  pinned: boolean;
  serverCore?: number;
  loadCore?: number;
  note: string;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function decidePinning(): Pinning {
  const cores = availableParallelism();
  if (cores < 2) return { pinned: false, note: `not pinned: only ${cores} core available` };
  if (!hasTaskset()) return { pinned: false, note: 'not pinned: taskset is not installed' };
  return {
    pinned: true,
    serverCore: 0,
    loadCore: 1,
    note: 'server pinned to core 0 (taskset -c 0), load generator (this process) to core 1 (taskset -a -p -c 1)',
  };
}

/** Moves this process and all its threads to the load generator's core. */
export function pinSelf(pinning: Pinning): void {
  if (!pinning.pinned) return;
  execFileSync('taskset', ['-a', '-p', '-c', String(pinning.loadCore), String(process.pid)], {
    stdio: 'ignore',
  });
}

export interface ManagedProcess {
  name: string;
  pid: number;
  /** The last few KB of stdout and stderr, for error messages. */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Starts a long-running child (a server), pinned when asked, stopped by `cleanup` whatever happens. */
export function startProcess(
  cleanup: Cleanup,
  name: string,
  args: string[],
  env: Record<string, string>,
  core?: number,
): ManagedProcess {
  const [command, ...rest] =
    core === undefined
      ? [process.execPath, ...args]
      : ['taskset', '-c', String(core), process.execPath, ...args];
  const child = spawn(command, rest, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  child.once('exit', () => (gone = true));
  child.once('error', (err) => (tail += `\n${err.message}`));
  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  };
  const forget = cleanup.add(`stop ${name}`, stop, () => {
    if (!gone) child.kill('SIGKILL');
  });
  child.once('exit', forget);
  return { name, pid: child.pid ?? -1, output: () => tail, exited: () => gone, stop };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a short command to completion (build, CLI); `cleanup` kills it if the bench is stopped
 * meanwhile. Never throws; the caller checks `code`.
 */
export function runCommand(
  cleanup: Cleanup,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    const forget = cleanup.add(
      `stop ${command} ${args[0] ?? ''}`,
      async () => {
        child.kill('SIGTERM');
        await exited;
      },
      () => child.kill('SIGKILL'),
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (err) => {
      forget();
      resolve({ code: -1, stdout, stderr: err.message });
    });
    child.once('close', (code) => {
      forget();
      resolve({ code, stdout, stderr });
    });
  });
}

/** Polls `url` until it answers `status`; fails at once if `proc` exits, or after `timeoutMs`. */
export async function waitUntilReady(
  url: string,
  proc: ManagedProcess,
  status = 200,
  timeoutMs = 90_000,
  pollMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exited()) throw new Error(`${proc.name} exited during start-up:\n${proc.output()}`);
    try {
      const res = await fetch(url);
      if (res.status === status) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      throw new Error(`${proc.name} not ready at ${url} after ${timeoutMs} ms:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    clockTicks = 100;
  }
  return clockTicks;
}

/** User + system CPU seconds a process (all its threads) has used so far; null if it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** CPU seconds all cores have spent busy (user, nice, system, irq, softirq) since boot; null off Linux. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
