import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { currentRequestContext } from 'src/audit/audit-context';
import type { AuditEventInput } from 'src/audit/audit-event.types';
import { insertSql, PendingAuditEvent, toParams } from 'src/audit/audit-row';
import { sqlState } from 'src/common/errors/database-errors';

export interface AuditBufferOptions {
  /** Events held in memory at most; beyond that new events are dropped and counted. */
  capacity: number;
  /** Events per multi-row INSERT; a full batch is written at once. */
  batchSize: number;
  /** The longest an event waits in the buffer before a write starts (when the database is up). */
  flushIntervalMs: number;
  /** Writes of one batch before it is dropped with a warning. */
  maxAttempts: number;
  /** The longest shutdown waits for the last writes (a hung database must not block exit). */
  shutdownTimeoutMs: number;
}

export const DEFAULT_AUDIT_OPTIONS: AuditBufferOptions = {
  capacity: 10_000,
  batchSize: 100,
  flushIntervalMs: 250,
  maxAttempts: 3,
  shutdownTimeoutMs: 3000,
};

export const AUDIT_OPTIONS = Symbol('AUDIT_OPTIONS');

export interface AuditStats {
  /** Waiting to be written. */
  pending: number;
  written: number;
  /** Dropped because the buffer was full (or the service had shut down). */
  droppedFull: number;
  /** Dropped after `maxAttempts` failed writes. */
  droppedFailed: number;
}

interface Batch {
  events: PendingAuditEvent[];
  attempts: number;
}

/**
 * The audit log writer. **Bound**: `record()` is O(1) and never awaits or touches the database, so
 * it cannot slow or fail the request that caused the event. Events are buffered in memory (at most
 * 10,000; when full, new events are dropped and counted) and written in multi-row INSERTs of up to
 * 100, within ~250 ms of being recorded while the database is up. A failed write is retried (3
 * attempts), then the batch is dropped with a warning that carries counts and the error, never
 * event contents. Everything buffered is written on shutdown, before the pool closes; shutdown
 * waits for that at most 3 s.
 *
 * Each INSERT is one short statement, so on the embedded database (one connection) a flush holds
 * the connection only for that statement, and requests interleave between batches.
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('AuditService');
  private readonly options: AuditBufferOptions;
  private queue: PendingAuditEvent[] = [];
  /** A batch whose write failed, written before anything newer. */
  private retry: Batch | null = null;
  /** Events of the INSERT under way (still in memory, still counted against capacity). */
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerIsImmediate = false;
  private lock: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly counts = { written: 0, droppedFull: 0, droppedFailed: 0 };
  private droppedFullReported = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(AUDIT_OPTIONS) options?: Partial<AuditBufferOptions>,
  ) {
    this.options = { ...DEFAULT_AUDIT_OPTIONS, ...options };
  }

  /**
   * Queues an event and returns at once. IP and user agent default to the current request's.
   * Never throws and never waits for the database.
   */
  record(event: AuditEventInput): void {
    if (this.closed || this.pending() >= this.options.capacity) {
      this.counts.droppedFull++;
      return;
    }
    const ctx =
      event.ip === undefined || event.userAgent === undefined ? currentRequestContext() : null;
    this.queue.push({
      event,
      at: new Date(),
      ip: event.ip !== undefined ? event.ip : (ctx?.ip ?? null),
      userAgent: event.userAgent !== undefined ? event.userAgent : (ctx?.userAgent ?? null),
    });
    this.schedule();
  }

  /**
   * Writes everything buffered now (tests call it before reading `audit_events`; shutdown calls
   * it). Gives up after `maxAttempts` failed writes in this call; what is left stays buffered.
   */
  async flush(): Promise<void> {
    for (let failures = 0; failures < this.options.maxAttempts; failures++) {
      if (await this.exclusive(() => this.writePending())) return;
    }
  }

  stats(): AuditStats {
    return { pending: this.pending(), ...this.counts };
  }

  /** Before the database pool closes (TypeORM closes it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flushBeforeExit();
  }

  /** Writes what requests recorded while the HTTP server drained, then stops accepting events. */
  async onApplicationShutdown(): Promise<void> {
    if (this.pending() > 0 && this.dataSource.isInitialized) await this.flushBeforeExit();
    this.closed = true;
    this.clearTimer();
    const lost = this.pending();
    if (lost > 0) this.logger.warn(`audit: ${lost} events could not be written before shutdown`);
    this.reportDropped();
  }

  /** flush(), but never longer than shutdownTimeoutMs. */
  private async flushBeforeExit(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs);
    });
    const outcome = await Promise.race([this.flush(), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(
        `audit: gave up writing ${this.pending()} events after ${this.options.shutdownTimeoutMs} ms at shutdown`,
      );
    }
  }

  private pending(): number {
    return this.queue.length + (this.retry?.events.length ?? 0) + this.inFlight;
  }

  /** A timer for the next write: now when a batch is full, else within flushIntervalMs. */
  private schedule(delayMs?: number): void {
    if (this.closed) return;
    // A failed batch waits for its back-off; otherwise a full batch is written at once.
    const immediate =
      delayMs === undefined && !this.retry && this.pending() >= this.options.batchSize;
    if (this.timer && !(immediate && !this.timerIsImmediate)) return;
    this.clearTimer();
    this.timerIsImmediate = immediate;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.exclusive(() => this.writePending()).then((ok) => {
          if (this.pending() > 0) {
            this.schedule(
              ok ? undefined : this.options.flushIntervalMs * (this.retry?.attempts ?? 1),
            );
          }
        });
      },
      immediate ? 0 : (delayMs ?? this.options.flushIntervalMs),
    );
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One write at a time (the timer and explicit flushes share this). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Writes batches until the buffer is empty (true) or a write fails (false). Never throws. */
  private async writePending(): Promise<boolean> {
    this.reportDropped();
    for (;;) {
      const batch = this.retry ?? this.takeBatch();
      if (!batch) return true;
      this.retry = null;
      this.inFlight = batch.events.length;
      try {
        const params = batch.events.flatMap(toParams);
        await this.dataSource.query(insertSql(batch.events.length), params);
        this.inFlight = 0;
        this.counts.written += batch.events.length;
      } catch (err) {
        this.inFlight = 0;
        this.failed(batch, err);
        return false;
      }
    }
  }

  private takeBatch(): Batch | null {
    if (this.queue.length === 0) return null;
    return { events: this.queue.splice(0, this.options.batchSize), attempts: 0 };
  }

  private failed(batch: Batch, err: unknown): void {
    batch.attempts++;
    const reason = `${sqlState(err) ?? (err as Error)?.name ?? 'error'}: ${(err as Error)?.message ?? String(err)}`;
    if (batch.attempts >= this.options.maxAttempts) {
      this.counts.droppedFailed += batch.events.length;
      this.logger.warn(
        `audit: dropped ${batch.events.length} events after ${batch.attempts} failed writes (${reason})`,
      );
    } else {
      this.retry = batch;
      this.logger.warn(
        `audit: could not write ${batch.events.length} events (attempt ${batch.attempts} of ${this.options.maxAttempts}), retrying (${reason})`,
      );
    }
  }

  private reportDropped(): void {
    const n = this.counts.droppedFull - this.droppedFullReported;
    if (n <= 0) return;
    this.droppedFullReported = this.counts.droppedFull;
    this.logger.warn(
      `audit: dropped ${n} events because the buffer was full (${this.options.capacity})`,
    );
  }
}
