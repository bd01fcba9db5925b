import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { runWithAuditRequest } from 'src/audit/audit-context';
import { AuditEventType } from 'src/audit/audit-event.types';
import { AUDIT_COLUMNS } from 'src/audit/audit-row';
import { AuditBufferOptions, AuditService } from 'src/audit/audit.service';

const ORG = '0b7e4a51-5b4e-4c1e-9a3e-4f1c2d3e4f50';
const COLS = AUDIT_COLUMNS.length;

/** A DataSource that only knows `query`, as the service uses it. */
function fakeDataSource(query: jest.Mock = jest.fn().mockResolvedValue([])) {
  return { ds: { query, isInitialized: true } as unknown as DataSource, query };
}

function make(options: Partial<AuditBufferOptions> = {}, query?: jest.Mock) {
  const { ds, query: q } = fakeDataSource(query);
  const sut = new AuditService(ds, { flushIntervalMs: 60_000, ...options });
  return { sut, query: q };
}

const event = (n = 0) => ({
  type: AuditEventType.ApiKeyCreated,
  organizationId: ORG,
  targetType: 'api_key' as const,
  targetId: `key-${n}`,
  details: { name: `laptop-${n}` },
});

/** Rows written by the fake: the parameter arrays split per event. */
const rowsOf = (query: jest.Mock): unknown[][] =>
  query.mock.calls.flatMap(([, params]: [string, unknown[]]) =>
    Array.from({ length: params.length / COLS }, (_, i) => params.slice(i * COLS, (i + 1) * COLS)),
  );

describe('AuditService', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    warn.mockRestore();
  });

  it('should return from record() at once without touching the database, even when it hangs', async () => {
    const { sut, query } = make(
      {},
      jest.fn(() => new Promise(() => undefined)),
    );
    const results = Array.from({ length: 1000 }, (_, i) => sut.record(event(i)));
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(query).not.toHaveBeenCalled();
    expect(sut.stats().pending).toBe(1000);
    // A write that never finishes leaves record() unaffected.
    void sut.flush();
    await Promise.resolve();
    sut.record(event(1001));
    expect(sut.stats().pending).toBeGreaterThan(0);
  });

  it('should hold at most `capacity` events, drop and count the rest, and warn once', async () => {
    const { sut, query } = make({ capacity: 5, batchSize: 100 });
    for (let i = 0; i < 8; i++) sut.record(event(i));
    expect(sut.stats()).toMatchObject({ pending: 5, droppedFull: 3 });
    await sut.flush();
    expect(rowsOf(query).map((r) => r[7])).toEqual(['key-0', 'key-1', 'key-2', 'key-3', 'key-4']);
    expect(sut.stats()).toMatchObject({ pending: 0, written: 5, droppedFull: 3 });
    const dropWarnings = warn.mock.calls.filter(([m]) => /buffer was full/.test(String(m)));
    expect(dropWarnings).toHaveLength(1);
    expect(String(dropWarnings[0][0])).toMatch(/dropped 3 events/);
  });

  it('should write in multi-row INSERTs of at most batchSize events, oldest first', async () => {
    const { sut, query } = make({ batchSize: 2 });
    for (let i = 0; i < 5; i++) sut.record(event(i));
    await sut.flush();
    expect(query).toHaveBeenCalledTimes(3);
    const [sql, params] = query.mock.calls[0] as [string, unknown[]];
    expect(sql).toMatch(/^INSERT INTO audit_events \(created_at, organization_id/);
    expect(sql.match(/\),? ?\(/g)).toHaveLength(1); // two tuples
    expect(params).toHaveLength(2 * COLS);
    expect(rowsOf(query).map((r) => r[7])).toEqual(['key-0', 'key-1', 'key-2', 'key-3', 'key-4']);
  });

  it('should write on its own within flushIntervalMs, and at once when a batch is full', async () => {
    jest.useFakeTimers();
    const { sut, query } = make({ flushIntervalMs: 250, batchSize: 3 });
    sut.record(event(1));
    await jest.advanceTimersByTimeAsync(249);
    expect(query).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(query).toHaveBeenCalledTimes(1);

    for (let i = 0; i < 3; i++) sut.record(event(i));
    await jest.advanceTimersByTimeAsync(0);
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('should retry a failed write, then drop the batch with a warning that shows no event data', async () => {
    const query = jest.fn().mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const { sut } = make({ maxAttempts: 3 }, query);
    sut.record({ ...event(1), details: { name: 'very-private-name' } });
    await sut.flush();
    expect(query).toHaveBeenCalledTimes(3);
    expect(sut.stats()).toMatchObject({ pending: 0, written: 0, droppedFailed: 1 });
    const messages = warn.mock.calls.map(([m]) => String(m));
    expect(messages.some((m) => /dropped 1 events after 3 failed writes/.test(m))).toBe(true);
    expect(messages.join('\n')).not.toContain('very-private-name');
  });

  it('should keep a batch whose write failed once and write it first on the next try', async () => {
    const query = jest
      .fn()
      .mockRejectedValueOnce(new Error('Connection terminated'))
      .mockResolvedValue([]);
    const { sut } = make({ batchSize: 1 }, query);
    sut.record(event(1));
    sut.record(event(2));
    await sut.flush();
    expect(sut.stats()).toMatchObject({ pending: 0, written: 2, droppedFailed: 0 });
    expect(rowsOf(query).map((r) => r[7])).toEqual(['key-1', 'key-1', 'key-2']);
  });

  it('should never store secrets in details, and store bad ids as null instead of failing the batch', async () => {
    const { sut, query } = make();
    sut.record({
      type: AuditEventType.ApiKeyRefused,
      organizationId: 'not-a-uuid',
      details: { reason: 'revoked', password: 'hunter2', refresh_token: 'rt', key: 'ed_x' },
    });
    await sut.flush();
    const row = rowsOf(query)[0];
    expect(row[1]).toBeNull();
    expect(JSON.parse(row[10] as string)).toEqual({
      reason: 'revoked',
      password: '[redacted]',
      refresh_token: '[redacted]',
      key: '[redacted]',
    });
  });

  it('should take IP and user agent from the request being handled', async () => {
    const { sut, query } = make();
    runWithAuditRequest({ ip: '203.0.113.9', headers: { 'user-agent': 'x'.repeat(600) } }, () =>
      sut.record(event()),
    );
    sut.record(event());
    await sut.flush();
    const [inRequest, outside] = rowsOf(query);
    expect(inRequest[8]).toBe('203.0.113.9');
    expect(inRequest[9]).toHaveLength(512);
    expect(outside[8]).toBeNull();
  });

  it('should not let a hung database hold up shutdown for longer than shutdownTimeoutMs', async () => {
    const { sut } = make(
      { shutdownTimeoutMs: 30 },
      jest.fn(() => new Promise(() => undefined)),
    );
    sut.record(event(1));
    const started = Date.now();
    await sut.beforeApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(
      warn.mock.calls.some(([m]) => /gave up writing 1 events after 30 ms/.test(String(m))),
    ).toBe(true);
  });

  it('should write everything on shutdown and drop what comes after', async () => {
    const { sut, query } = make();
    sut.record(event(1));
    await sut.beforeApplicationShutdown();
    expect(query).toHaveBeenCalledTimes(1);
    await sut.onApplicationShutdown();
    sut.record(event(2));
    expect(sut.stats()).toMatchObject({ pending: 0, written: 1, droppedFull: 1 });
  });
});
