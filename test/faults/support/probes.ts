/** One answer seen by a probe: status, Retry-After and the body (parsed when JSON). */
export interface Observation {
  probe: string;
  /** ms since the loop (or poll) started. */
  at: number;
  /** HTTP status, or 0 when the connection failed. */
  status: number;
  retryAfter: string | null;
  body: any;
  /** Set when the request threw (connection refused, reset, timeout). */
  failure?: string;
}

export type Probe = () => Promise<Response>;

/** Sends one probe request and records what came back, never throwing. */
export async function observe(
  probe: string,
  send: Probe,
  startedAt = Date.now(),
  timeoutMs = 15_000,
): Promise<Observation> {
  try {
    const res = await withTimeout(send(), timeoutMs, `${probe} did not answer in ${timeoutMs} ms`);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return {
      probe,
      at: Date.now() - startedAt,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body,
    };
  } catch (err) {
    return {
      probe,
      at: Date.now() - startedAt,
      status: 0,
      retryAfter: null,
      body: null,
      failure: (err as Error).message,
    };
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Repeats `check` every `intervalMs` until it returns a value `done` accepts, or `timeoutMs` passes.
 * Returns the accepted value with the elapsed time; throws with the last value on timeout.
 */
export async function pollUntil<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs, intervalMs = 100, what = 'condition' }: PollOptions,
): Promise<{ value: T; elapsedMs: number; attempts: number }> {
  const started = Date.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const value = await check();
    if (done(value)) return { value, elapsedMs: Date.now() - started, attempts };
    if (Date.now() - started >= timeoutMs) {
      throw new Error(
        `${what} not reached within ${timeoutMs} ms (${attempts} attempts); last: ${JSON.stringify(value)}`,
      );
    }
    await pause(intervalMs);
  }
}

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  what?: string;
}

/**
 * A small background load: every probe in turn, `concurrency` requests at a time, until `stop()` or
 * until `maxCount` requests or `maxMs` have passed, whichever comes first. Keeps every observation.
 */
export class RequestLoop {
  readonly observations: Observation[] = [];
  private stopped = false;
  private readonly startedAt = Date.now();
  private readonly workers: Promise<void>[];
  private sent = 0;

  constructor(
    private readonly probes: Record<string, Probe>,
    private readonly limits: { maxCount: number; maxMs: number; concurrency?: number },
  ) {
    this.workers = Array.from({ length: limits.concurrency ?? 2 }, () => this.work());
  }

  /** Observations after `since` ms (loop time) of one probe, or all. */
  seen(probe?: string, since = 0): Observation[] {
    return this.observations.filter((o) => (!probe || o.probe === probe) && o.at >= since);
  }

  /** ms since the loop started (the loop's clock for `seen`). */
  now(): number {
    return Date.now() - this.startedAt;
  }

  async stop(): Promise<Observation[]> {
    this.stopped = true;
    await Promise.all(this.workers);
    return this.observations;
  }

  private async work(): Promise<void> {
    const names = Object.keys(this.probes);
    while (
      !this.stopped &&
      this.sent < this.limits.maxCount &&
      Date.now() - this.startedAt < this.limits.maxMs
    ) {
      const name = names[this.sent++ % names.length];
      this.observations.push(await observe(name, this.probes[name], this.startedAt, 10_000));
      // A short breather so the loop is "small" load, not a flood on two cores.
      await pause(20);
    }
  }
}

/** A compact summary for failure messages: probe → status counts. */
export function tally(observations: Observation[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const o of observations) {
    const key = o.status === 0 ? `error:${o.failure ?? ''}`.slice(0, 60) : String(o.status);
    out[o.probe] ??= {};
    out[o.probe][key] = (out[o.probe][key] ?? 0) + 1;
  }
  return out;
}
