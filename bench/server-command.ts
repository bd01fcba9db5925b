import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes';

/**
 * The Node.js flags our server runs with in production: those of `npm run start:prod` in
 * package.json (`node [flags] dist/main.js`), which `npm start` and the Dockerfile's CMD repeat. The
 * bench starts our server with exactly these, so it measures the server as it is shipped; the
 * baseline runs as the issue prescribes it, `node <file> <port>`.
 */
export function serverNodeFlags(root = ROOT): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = pkg.scripts?.['start:prod'] ?? '';
  const match = /^node((?:\s+--[a-z0-9-]+(?:=\S+)?)*)\s+dist\/main\.js$/.exec(script.trim());
  if (!match) {
    throw new Error(
      `package.json scripts.start:prod must read "node [--flag …] dist/main.js", not ${JSON.stringify(script)}`,
    );
  }
  return match[1].split(/\s+/).filter(Boolean);
}
