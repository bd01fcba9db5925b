import { spawn } from 'node:child_process';
import { ROOT } from 'test/support/processes';

/**
 * Running the admin CLI as an operator runs it (`node -r ts-node/register … admin.ts`, a child
 * process) and checking what it printed. Shared by the CLI e2e specs.
 */

const NODE_ARGS = [
  '-r',
  'ts-node/register/transpile-only',
  '-r',
  'tsconfig-paths/register',
  'src/cli/admin.ts',
];

/** Per-test timeout for cases that start the CLI: every start costs a few seconds. */
export const TIMEOUT = 120_000;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Stdout must be exactly one line holding one JSON object. */
export function oneJsonObject(stdout: string): Record<string, unknown> {
  expect(stdout).toMatch(/^[^\n]+\n$/);
  const value = JSON.parse(stdout) as unknown;
  expect(value).toEqual(expect.any(Object));
  expect(Array.isArray(value)).toBe(false);
  return value as Record<string, unknown>;
}

/** A failure: nothing on stdout, exactly one `error: …` line on stderr. */
export function expectFailure(run: CliRun, code: number, message: RegExp): void {
  expect(run).toMatchObject({ code, stdout: '' });
  expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
}

/** The environment for the embedded (PGlite) database in `dataDir`. */
export const embeddedEnv = (dataDir: string): Record<string, string> => ({
  DATABASE_URL: '',
  DATA_DIR: dataDir,
});

/** The PostgreSQL server of this e2e run, if any. */
export const pgServer = process.env.E2E_PG_SERVER_URL;
/** The databases the CLI cases run on: always the embedded one, PostgreSQL when the run has one. */
export const databases: Array<'embedded' | 'postgres'> = pgServer
  ? ['embedded', 'postgres']
  : ['embedded'];
