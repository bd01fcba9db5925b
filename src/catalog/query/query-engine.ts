import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import type { QueryColumnDto } from 'src/catalog/dto/query.dto';
import type { SetupStep } from 'src/catalog/query/engine-tables';
import { QUERY_WORKER_SOURCE } from 'src/catalog/query/query-worker.source';

export interface QueryEngineOptions {
  /** Time limit of one query, from the moment it is sent to a ready worker (default 2000 ms). */
  timeoutMs: number;
  /** How long a worker stays warm for its port after a query (default 60 s). */
  idleMs: number;
  /** Workers alive at once, warm ones included (default 4). */
  maxWorkers: number;
  /** Time allowed for a worker to start PGlite and load the tables (default 30 s). */
  startupTimeoutMs: number;
}

export const QUERY_ENGINE_OPTIONS = Symbol('QUERY_ENGINE_OPTIONS');

export const DEFAULT_QUERY_ENGINE_OPTIONS: QueryEngineOptions = {
  timeoutMs: 2000,
  idleMs: 60_000,
  maxWorkers: 4,
  startupTimeoutMs: 30_000,
};

export type EngineOutcome =
  | { kind: 'ok'; columns: QueryColumnDto[]; rows: unknown[][] }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string };

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; columns: QueryColumnDto[]; rows: unknown[][] }
  | { type: 'error'; id: number; message: string };

/** A worker thread with its own PGlite holding one port's tables. */
class QueryWorker {
  private readonly worker: Worker;
  readonly ready: Promise<void>;
  private nextId = 1;
  idleTimer?: NodeJS.Timeout;
  dead = false;

  constructor(
    readonly key: string,
    setup: SetupStep[],
    startupTimeoutMs: number,
  ) {
    this.worker = new Worker(QUERY_WORKER_SOURCE, {
      eval: true,
      workerData: { pglitePath: require.resolve('@electric-sql/pglite'), setup },
    });
    this.worker.unref();
    // Never leave an 'error' event unhandled: that would crash the application.
    this.worker.on('error', () => {
      this.dead = true;
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('query worker start timed out')),
        startupTimeoutMs,
      );
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        if (err) reject(err);
        else resolve();
      };
      const onMessage = (m: WorkerMessage): void => {
        if (m.type === 'ready') done();
        if (m.type === 'fatal') done(new Error(`query worker failed to start: ${m.message}`));
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', (err) => done(err));
      this.worker.once('exit', () => {
        this.dead = true;
        done(new Error('query worker exited'));
      });
    });
    this.ready.catch(() => this.kill());
  }

  /** Runs one query; resolves `timeout` (and kills the worker) when it takes longer than `timeoutMs`. */
  run(sql: string, maxRows: number, timeoutMs: number): Promise<EngineOutcome> {
    const id = this.nextId++;
    return new Promise<EngineOutcome>((resolve) => {
      const finish = (outcome: EngineOutcome): void => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('exit', onExit);
        resolve(outcome);
      };
      const onMessage = (m: WorkerMessage): void => {
        if (m.type === 'result' && m.id === id)
          finish({ kind: 'ok', columns: m.columns, rows: m.rows });
        if (m.type === 'error' && m.id === id) finish({ kind: 'error', message: m.message });
      };
      const onExit = (): void => finish({ kind: 'error', message: 'the query engine stopped' });
      const timer = setTimeout(() => {
        this.kill();
        finish({ kind: 'timeout' });
      }, timeoutMs);
      this.worker.on('message', onMessage);
      this.worker.once('exit', onExit);
      this.worker.postMessage({ type: 'query', id, sql, maxRows });
    });
  }

  kill(): void {
    clearTimeout(this.idleTimer);
    if (this.dead) return;
    this.dead = true;
    void this.worker.terminate();
  }
}

/**
 * Runs execute_query statements in worker threads, each with its own in-memory PGlite loaded with one
 * port's example tables (never the application's database). One warm worker per port (and set of
 * hidden columns) is kept for `idleMs`; at most `maxWorkers` exist, further queries wait their turn.
 */
@Injectable()
export class QueryEngine implements OnModuleDestroy {
  private readonly options: QueryEngineOptions;
  private readonly idle = new Map<string, QueryWorker>();
  private readonly busy = new Set<QueryWorker>();
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(@Optional() @Inject(QUERY_ENGINE_OPTIONS) options?: Partial<QueryEngineOptions>) {
    this.options = { ...DEFAULT_QUERY_ENGINE_OPTIONS, ...options };
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /**
   * Runs `sql` on the tables described by `setup`; `key` identifies that data (port + content +
   * hidden columns), so a warm worker is reused only for the same data.
   */
  async run(key: string, setup: SetupStep[], sql: string, maxRows: number): Promise<EngineOutcome> {
    const worker = await this.acquire(key, setup);
    let healthy = false;
    try {
      await worker.ready;
      const outcome = await worker.run(sql, maxRows, this.options.timeoutMs);
      healthy = outcome.kind !== 'timeout' && !worker.dead;
      return outcome;
    } finally {
      this.release(worker, healthy);
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const w of [...this.idle.values(), ...this.busy]) w.kill();
    this.idle.clear();
    this.busy.clear();
    this.waiting.splice(0).forEach((wake) => wake());
  }

  private async acquire(key: string, setup: SetupStep[]): Promise<QueryWorker> {
    for (;;) {
      if (this.closed) throw new Error('the query engine is shut down');
      const warm = this.idle.get(key);
      if (warm && !warm.dead) {
        this.idle.delete(key);
        clearTimeout(warm.idleTimer);
        this.busy.add(warm);
        return warm;
      }
      if (warm) this.idle.delete(key);
      if (this.idle.size + this.busy.size < this.options.maxWorkers) break;
      const oldest = this.idle.keys().next();
      if (!oldest.done) {
        this.idle.get(oldest.value)?.kill();
        this.idle.delete(oldest.value);
        continue;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const worker = new QueryWorker(key, setup, this.options.startupTimeoutMs);
    this.busy.add(worker);
    return worker;
  }

  private release(worker: QueryWorker, healthy: boolean): void {
    this.busy.delete(worker);
    if (healthy && !this.closed && !this.idle.has(worker.key)) {
      this.idle.set(worker.key, worker);
      worker.idleTimer = setTimeout(() => {
        if (this.idle.get(worker.key) === worker) this.idle.delete(worker.key);
        worker.kill();
        this.wakeOne();
      }, this.options.idleMs);
      worker.idleTimer.unref();
    } else {
      worker.kill();
    }
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }
}
