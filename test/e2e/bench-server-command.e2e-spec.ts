import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../bench/processes';
import { serverNodeFlags } from '../../bench/server-command';

/**
 * The bench starts our server as it is shipped: with the Node.js flags of `npm run start:prod`,
 * which `npm start` and the Dockerfile repeat. No server is started here.
 */
describe('bench server command', () => {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;

  it('should take the flags of npm run start:prod, which npm start and the Dockerfile repeat', () => {
    const flags = serverNodeFlags();
    expect(flags).toContain('--max-semi-space-size=64');
    const command = ['node', ...flags, 'dist/main.js'].join(' ');
    expect(scripts['start:prod']).toBe(command);
    expect(scripts.start).toBe(`nest build && ${command}`);
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...flags, 'dist/main.js']);
  });

  it('should read flags in any number and refuse a start:prod that is not node [flags] dist/main.js', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-server-command-'));
    const write = (startProd: string): void =>
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ scripts: { 'start:prod': startProd } }),
      );
    try {
      write('node dist/main.js');
      expect(serverNodeFlags(dir)).toEqual([]);
      write('node --a=1  --b dist/main.js');
      expect(serverNodeFlags(dir)).toEqual(['--a=1', '--b']);
      for (const bad of ['nest start', 'node dist/main.js --x', 'node -r x dist/main.js', '']) {
        write(bad);
        expect(() => serverNodeFlags(dir)).toThrow(/start:prod must read/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
