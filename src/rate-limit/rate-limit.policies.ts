/**
 * Rate-limit policies and their defaults. Each can be overridden with RATE_LIMITS, e.g.
 * `RATE_LIMITS=register=30/1m,token=50/15m`. Counters are fixed windows per key. The `login_*`
 * limits are also kept per process in a sliding window at these defaults (LoginThrottle).
 */
export const RATE_LIMIT_POLICIES = {
  /** Failed sign-ins per account and IP. */
  login_account: { limit: 5, windowMs: 15 * 60_000 },
  /** Failed sign-ins per IP. */
  login_ip: { limit: 20, windowMs: 15 * 60_000 },
  /** Failed sign-ins per account, any IP (ASVS V2.2.1: never more than 100 an hour). */
  login_account_hour: { limit: 100, windowMs: 60 * 60_000 },
  /** GET /oauth2/authorize per IP. */
  authorize: { limit: 100, windowMs: 15 * 60_000 },
  /** POST /oauth2/token per client and IP. */
  token: { limit: 50, windowMs: 15 * 60_000 },
  /** POST /oauth2/revoke per client and IP. */
  revoke: { limit: 50, windowMs: 15 * 60_000 },
  /** POST /register per IP (Claude registers on every connect). */
  register: { limit: 30, windowMs: 60_000 },
  /** Failed x-api-key or bearer attempts per IP. */
  auth_failure: { limit: 20, windowMs: 60_000 },
} as const;

export type RateLimitPolicy = keyof typeof RATE_LIMIT_POLICIES;
export const isRateLimitPolicy = (name: string): name is RateLimitPolicy =>
  name in RATE_LIMIT_POLICIES;
