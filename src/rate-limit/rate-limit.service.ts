import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { sha256Base64Url } from 'src/common/crypto';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { RATE_LIMIT_POLICIES, RateLimitPolicy } from 'src/rate-limit/rate-limit.policies';
import {
  MemoryRateLimitStore,
  RateLimitStore,
  RedisRateLimitStore,
  WindowCount,
} from 'src/rate-limit/rate-limit.store';

/** Over a policy's limit: 429 with `Retry-After` at every entry point. */
export class RateLimitedError extends DomainError {
  constructor(
    readonly policy: RateLimitPolicy,
    override readonly retryAfterSeconds: number,
  ) {
    super(ErrorCode.RateLimited, `Too many requests: retry after ${retryAfterSeconds} seconds`);
    this.name = 'RateLimitedError';
  }

  override get label(): string {
    return 'too_many_requests';
  }
}

/**
 * Fixed-window rate limits keyed by policy and subject (IP, client, account). Redis when REDIS_URL is
 * set (shared by all instances), else in-process. Subjects are hashed, so e-mail addresses never
 * reach Redis keys or logs.
 */
@Injectable()
export class RateLimitService implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly memory = new MemoryRateLimitStore();
  private readonly shared: RateLimitStore | null;
  private readonly policies: Record<string, { limit: number; windowMs: number }>;
  /** Per policy: until when a count recorded by this process can still be in a window. */
  private readonly failuresUntil = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.shared = config.redisUrl ? new RedisRateLimitStore(config.redisUrl) : null;
    this.policies = { ...RATE_LIMIT_POLICIES, ...config.rateLimits };
  }

  /** Counts one request; throws RateLimitedError when over the limit. */
  async consume(policy: RateLimitPolicy, subject: string): Promise<void> {
    const { limit, windowMs } = this.policy(policy);
    const w = await this.hit(policy, subject, windowMs, 1);
    if (w.count > limit)
      throw new RateLimitedError(policy, Math.max(1, Math.ceil(w.resetInMs / 1000)));
  }

  /**
   * False when no subject can be blocked under the policy right now, decided without a store: with
   * per-process counters, until this process counts something under the policy every subject is at
   * zero (the common case on the credential path). A shared store can hold other instances' counts,
   * so then it is always true.
   */
  mayBeBlocked(policy: RateLimitPolicy): boolean {
    return (
      this.shared !== null ||
      this.policy(policy).limit <= 0 ||
      (this.failuresUntil.get(policy) ?? 0) > Date.now()
    );
  }

  /** Throws when the subject has already used up the policy (failures counted with `recordFailure`). */
  async assertNotBlocked(policy: RateLimitPolicy, subject: string): Promise<void> {
    if (!this.mayBeBlocked(policy)) return;
    const { limit, windowMs } = this.policy(policy);
    const w = await this.hit(policy, subject, windowMs, 0);
    if (w.count >= limit)
      throw new RateLimitedError(policy, Math.max(1, Math.ceil(w.resetInMs / 1000)));
  }

  /** Counts one failure (sign-in, credential) against the subject. */
  async recordFailure(policy: RateLimitPolicy, subject: string): Promise<void> {
    const { windowMs } = this.policy(policy);
    await this.hit(policy, subject, windowMs, 1);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shared?.close();
  }

  private policy(name: RateLimitPolicy): { limit: number; windowMs: number } {
    return this.policies[name] ?? RATE_LIMIT_POLICIES[name];
  }

  /** `policy:hash(subject)`: subjects (IPs, e-mail addresses) never reach store keys. */
  private keyFor(policy: string, subject: string): string {
    return `${policy}:${sha256Base64Url(subject).slice(0, 22)}`;
  }

  private async hit(
    policy: string,
    subject: string,
    windowMs: number,
    by: number,
  ): Promise<WindowCount> {
    const key = this.keyFor(policy, subject);
    if (by > 0) {
      const until = Date.now() + windowMs;
      if (until > (this.failuresUntil.get(policy) ?? 0)) this.failuresUntil.set(policy, until);
    }
    if (this.shared) {
      try {
        return await this.shared.hit(key, windowMs, by);
      } catch (err) {
        this.logger.warn(
          `Redis rate-limit store failed, using per-process limits: ${(err as Error).message}`,
        );
      }
    }
    return this.memory.hit(key, windowMs, by);
  }
}
