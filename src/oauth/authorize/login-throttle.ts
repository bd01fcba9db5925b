import { Injectable } from '@nestjs/common';
import { RATE_LIMIT_POLICIES } from 'src/rate-limit/rate-limit.policies';
import { RateLimitedError, RateLimitService } from 'src/rate-limit/rate-limit.service';

type LoginPolicy = 'login_account' | 'login_ip' | 'login_account_hour';

/**
 * What each sign-in limit counts (OWASP ASVS 4.0.3 V2.2.1): failures per account and IP, per IP,
 * and per account from any IP. The numbers are the `login_*` rate-limit policies, declared once.
 */
const LOGIN_LIMITS: readonly {
  policy: LoginPolicy;
  subject: (account: string, ip: string) => string;
}[] = [
  { policy: 'login_account', subject: (account, ip) => `${account}|${ip}` },
  { policy: 'login_ip', subject: (_account, ip) => ip },
  { policy: 'login_account_hour', subject: (account) => account },
];

/** Bounds memory under a spray of distinct emails: the oldest keys are dropped first. */
const MAX_KEYS = 50_000;

/**
 * The one limiter of password sign-ins (the OAuth form and the settings form alike, so failures on
 * either count against both). It refuses an attempt, before any password is checked, when either of
 * two counters of the same limits is used up:
 * - the shared store (RateLimitService: Redis when REDIS_URL is set), so failures on one instance
 *   count on all; its windows are fixed and its limits can be changed with RATE_LIMITS;
 * - a per-process sliding window at the declared limits, which no RATE_LIMITS value loosens, never
 *   lets a fixed-window boundary double a limit (at most 100 failures in any hour), and keeps this
 *   process's counts when Redis fails and the shared store falls back to fresh per-process counters.
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  /** Milliseconds since the epoch for the per-process window; replaced in tests. */
  now: () => number = Date.now;

  constructor(private readonly limits: RateLimitService) {}

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  async retryAfterSeconds(email: string, ip: string): Promise<number> {
    return Math.max(
      this.localWait(normalize(email), ip),
      await this.sharedWait(normalize(email), ip),
    );
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const account = normalize(email);
    this.recordLocalFailure(account, ip);
    for (const limit of LOGIN_LIMITS) {
      await this.limits.recordFailure(limit.policy, limit.subject(account, ip));
    }
  }

  /** A successful sign-in clears this process's account-and-IP counter (not the IP or account totals). */
  recordSuccess(email: string, ip: string): void {
    this.failures.delete(localKey(LOGIN_LIMITS[0], normalize(email), ip));
  }

  private localWait(account: string, ip: string): number {
    const now = this.now();
    let wait = 0;
    for (const limit of LOGIN_LIMITS) {
      const { limit: max, windowMs } = RATE_LIMIT_POLICIES[limit.policy];
      const times = this.recent(localKey(limit, account, ip), windowMs, now);
      if (times.length >= max) {
        const freeAt = times[times.length - max] + windowMs;
        wait = Math.max(wait, Math.ceil((freeAt - now) / 1000));
      }
    }
    return wait;
  }

  /** The wait of the first used-up policy in the shared store, or 0. */
  private async sharedWait(account: string, ip: string): Promise<number> {
    try {
      for (const limit of LOGIN_LIMITS) {
        await this.limits.assertNotBlocked(limit.policy, limit.subject(account, ip));
      }
      return 0;
    } catch (err) {
      if (err instanceof RateLimitedError) return err.retryAfterSeconds;
      throw err;
    }
  }

  private recordLocalFailure(account: string, ip: string): void {
    const now = this.now();
    for (const limit of LOGIN_LIMITS) {
      const key = localKey(limit, account, ip);
      const times = this.recent(key, RATE_LIMIT_POLICIES[limit.policy].windowMs, now);
      times.push(now);
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    while (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  private recent(key: string, windowMs: number, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }
}

const normalize = (email: string): string => email.trim().toLowerCase();

const localKey = (limit: (typeof LOGIN_LIMITS)[number], account: string, ip: string): string =>
  `${limit.policy}:${limit.subject(account, ip)}`;
