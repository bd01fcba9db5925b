import { EventEmitter } from 'node:events';
import { PGlite, type PGliteOptions, type Results } from '@electric-sql/pglite';
import { PGliteDriver } from 'typeorm-pglite';
import { PGliteInstance } from 'typeorm-pglite/dist/pglite-instance';

type Release = (err?: unknown) => void;
type ConnectCallback = (err: unknown, client: EmbeddedClient | null, release: Release) => void;

interface StatementConfig {
  text: string;
  rowMode?: 'array';
}

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: Results['fields'];
}

/**
 * A client handed out by {@link EmbeddedPool}. PGlite is a single connection, so the pool lends one
 * client at a time: a transaction (BEGIN … COMMIT over several queries) never interleaves with another
 * request's queries. Results are shaped like `pg`'s (`rowCount`, `command`) so TypeORM reports
 * affected rows for UPDATE and DELETE.
 */
class EmbeddedClient extends EventEmitter {
  constructor(private readonly db: () => Promise<PGlite>) {
    super();
  }

  /**
   * `query` may also be a prepared statement's `{ name, text, rowMode }` (see
   * src/database/prepared.ts); with `rowMode: 'array'` each row is an array, as `pg` answers it.
   */
  async query(query: string | StatementConfig, params?: unknown[]): Promise<PgLikeResult> {
    const sql = typeof query === 'string' ? query : query.text;
    const rowMode = typeof query === 'string' ? undefined : query.rowMode;
    const db = await this.db();
    const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
    if ((params && params.length > 0) || rowMode) {
      return toPgResult(await db.query(sql, params, rowMode ? { rowMode } : undefined), command);
    }
    const all = await db.exec(sql);
    const last = all[all.length - 1];
    return last ? toPgResult(last, command) : { rows: [], rowCount: 0, command, fields: [] };
  }
}

function toPgResult(r: Results, command: string): PgLikeResult {
  const rowCount = r.affectedRows ?? r.rows.length;
  return { rows: r.rows, rowCount, command, fields: r.fields };
}

/**
 * A pool of exactly one PGlite connection with a FIFO wait queue. Each pool owns its PGlite instance
 * (typeorm-pglite keeps one per process), so two data sources in one process never share a database.
 */
export class EmbeddedPool extends EventEmitter {
  private db: Promise<PGlite> | undefined;
  private readonly client = new EmbeddedClient(() => this.instance());
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: PGliteOptions) {
    super();
  }

  private instance(): Promise<PGlite> {
    this.db ??= PGlite.create(this.options);
    return this.db;
  }

  connect(callback?: ConnectCallback): Promise<EmbeddedClient> | void {
    const acquired = this.acquire().then(async () => {
      try {
        await this.instance();
      } catch (err) {
        this.releaseLock();
        throw err;
      }
      return this.client;
    });
    if (!callback) return acquired;
    acquired.then(
      (client) =>
        callback(
          null,
          client,
          this.once_(() => this.releaseLock()),
        ),
      (err: unknown) => callback(err, null, () => undefined),
    );
  }

  async query(query: string | StatementConfig, params?: unknown[]): Promise<PgLikeResult> {
    await this.acquire();
    try {
      return await this.client.query(query, params);
    } finally {
      this.releaseLock();
    }
  }

  end(callback?: (err: unknown) => void): Promise<void> | void {
    const db = this.db;
    this.db = undefined;
    const done = db ? db.then((d) => d.close()) : Promise.resolve();
    if (!callback) return done;
    done.then(
      () => callback(null),
      (err: unknown) => callback(err),
    );
  }

  private once_(fn: () => void): Release {
    let called = false;
    return () => {
      if (!called) {
        called = true;
        fn();
      }
    };
  }

  private acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseLock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

/**
 * The `driver` object for TypeORM's postgres dialect: typeorm-pglite's driver (PGlite options,
 * boolean serializer) with {@link EmbeddedPool} as its pool.
 */
export function createEmbeddedDriver(dataDir: string | undefined): {
  Pool: new () => EmbeddedPool;
} {
  // typeorm-pglite's driver merges our options with its boolean serializer; we read them back and
  // give them to a pool of our own.
  new PGliteDriver(dataDir ? { dataDir } : {});
  const options = { ...(PGliteInstance as unknown as { options: PGliteOptions }).options };
  return {
    Pool: class extends EmbeddedPool {
      constructor() {
        super(options);
      }
    },
  };
}
