import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class EmbeddedDatabaseBusyError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-process database: two processes opening one data folder would corrupt it.
 * The holder writes its pid to `<dataDir>/db.lock`; a second process is refused with a message that
 * says what to do. A lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string, holder: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'db.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, holder }), { flag: 'wx' });
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner: { pid?: number; holder?: string } = {};
      try {
        owner = JSON.parse(readFileSync(file, 'utf8')) as typeof owner;
      } catch {
        /* unreadable lock: treat as stale */
      }
      if (owner.pid && owner.pid !== process.pid && isAlive(owner.pid)) {
        throw new EmbeddedDatabaseBusyError(
          `The embedded database in ${dataDir} is in use by another process (${owner.holder ?? 'unknown'}, pid ${owner.pid}). ` +
            'PGlite allows one process at a time: stop the server, run the command, then start the server again ' +
            '(or set DATABASE_URL to use PostgreSQL).',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new EmbeddedDatabaseBusyError(`Could not lock the embedded database in ${dataDir}`);
}
