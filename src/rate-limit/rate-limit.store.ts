import Redis from 'ioredis';

export interface WindowCount {
  count: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/** Fixed-window counters. */
export interface RateLimitStore {
  /** Adds `by` (0 = read only) to the counter of `key` and returns it with the time left. */
  hit(key: string, windowMs: number, by: number): Promise<WindowCount>;
  close(): Promise<void>;
}

/** Per-process counters. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number, by: number): Promise<WindowCount> {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      if (this.windows.size > 100_000) this.sweep(now);
      this.windows.set(key, w);
    }
    w.count += by;
    return { count: w.count, resetInMs: w.resetAt - now };
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    if (this.windows.size > 100_000) this.windows.clear();
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}

const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

/**
 * Counters shared by every instance through Redis. If Redis fails, the caller falls back to the
 * per-process store: limits then hold per instance, never "unlimited".
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 500,
    });
    this.redis.on('error', () => undefined);
  }

  async hit(key: string, windowMs: number, by: number): Promise<WindowCount> {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, `rl:${key}`, windowMs, by)) as [
      number,
      number,
    ];
    return { count, resetInMs: ttl };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
