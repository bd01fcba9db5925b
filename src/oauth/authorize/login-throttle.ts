import { Injectable } from '@nestjs/common';

interface Limit {
  key: (email: string, ip: string) => string;
  max: number;
  windowMs: number;
}

/** Failed sign-ins per account and IP, per IP, and per account (OWASP ASVS 4.0.3 V2.2.1). */
export const LOGIN_LIMITS: readonly Limit[] = [
  { key: (email, ip) => `account-ip:${email}|${ip}`, max: 5, windowMs: 15 * 60_000 },
  { key: (_email, ip) => `ip:${ip}`, max: 20, windowMs: 15 * 60_000 },
  { key: (email) => `account:${email}`, max: 100, windowMs: 60 * 60_000 },
];

/** Bounds memory under a spray of distinct emails: the oldest keys are dropped first. */
const MAX_KEYS = 50_000;

/**
 * Counts failed sign-ins in sliding windows and refuses further attempts once a limit is reached,
 * before any password is checked. Per process: there is no shared store yet, and per-process limits
 * are the fail-closed fallback (never unlimited).
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  /** Milliseconds since the epoch; replaced in tests. */
  now: () => number = Date.now;

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfterSeconds(email: string, ip: string): number {
    const now = this.now();
    let wait = 0;
    for (const limit of LOGIN_LIMITS) {
      const times = this.recent(limit.key(normalize(email), ip), limit.windowMs, now);
      if (times.length >= limit.max) {
        const freeAt = times[times.length - limit.max] + limit.windowMs;
        wait = Math.max(wait, Math.ceil((freeAt - now) / 1000));
      }
    }
    return wait;
  }

  recordFailure(email: string, ip: string): void {
    const now = this.now();
    for (const limit of LOGIN_LIMITS) {
      const key = limit.key(normalize(email), ip);
      const times = this.recent(key, limit.windowMs, now);
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

  /** A successful sign-in clears the account-and-IP counter (not the IP or account totals). */
  recordSuccess(email: string, ip: string): void {
    this.failures.delete(LOGIN_LIMITS[0].key(normalize(email), ip));
  }

  private recent(key: string, windowMs: number, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }
}

const normalize = (email: string): string => email.trim().toLowerCase();
