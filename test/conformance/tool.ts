import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The official MCP conformance tool, pinned exactly. It needs Node.js 22 (the project runs on 20), so
 * npx brings both from the npm registry into its cache: `-p node@22` puts a Node 22 `node` first on
 * the PATH of the command, and the tool's `#!/usr/bin/env node` runs on it. Never a dependency in
 * package.json: it would pull Node-22-only packages into every install.
 */
export const CONFORMANCE_PACKAGE = '@modelcontextprotocol/conformance@0.2.0-alpha.12';
export const CONFORMANCE_NODE = 'node@22';

export const TOOL_COMMAND = [
  'npx',
  '-y',
  '-p',
  CONFORMANCE_NODE,
  '-p',
  CONFORMANCE_PACKAGE,
  '--',
  'conformance',
];

export interface ToolRun {
  /** The tool's exit code (null: killed by a signal). */
  code: number | null;
  /** Everything it printed, stdout and stderr interleaved as they came. */
  output: string;
}

export interface ToolOptions {
  /** The whole output is written here as it comes. */
  logFile: string;
  /** Called for every stdout line (e.g. to answer the authorization scenario's prompt). */
  onLine?: (line: string, stop: (reason: string) => void) => void;
}

let running: ReturnType<typeof spawn> | undefined;

/** Stops the tool if one is running (Ctrl-C, SIGTERM); its run then resolves and cleanup follows. */
export function stopRunningTool(): void {
  running?.kill('SIGTERM');
}

/** Runs `conformance <args>` to completion. Never throws; the caller checks `code`. */
export function runTool(args: string[], options: ToolOptions): Promise<ToolRun> {
  const [command, ...rest] = TOOL_COMMAND;
  const log = createWriteStream(options.logFile);
  log.write(`$ ${[...TOOL_COMMAND, ...args].join(' ')}\n\n`);
  const child = spawn(command, [...rest, ...args], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  let output = '';
  const stop = (reason: string): void => {
    output += `\n[conformance runner] stopping the tool: ${reason}\n`;
    log.write(`\n[conformance runner] stopping the tool: ${reason}\n`);
    child.kill('SIGTERM');
  };
  const take = (stream: NodeJS.ReadableStream, isStdout: boolean) =>
    createInterface({ input: stream }).on('line', (line) => {
      output += `${line}\n`;
      log.write(`${line}\n`);
      if (isStdout) options.onLine?.(line, stop);
    });
  take(child.stdout, true);
  take(child.stderr, false);
  return new Promise((resolve) => {
    child.once('error', (err) => {
      output += `\n${err.message}\n`;
      log.write(`\n${err.message}\n`);
    });
    child.once('close', (code) => {
      running = undefined;
      log.end();
      resolve({ code, output });
    });
  });
}
