import { buildAppConfig } from 'src/config/app.config';
import { validateEnv } from 'src/config/env.validation';
import { RateLimitedError, RateLimitService } from 'src/rate-limit/rate-limit.service';
import { MemoryRateLimitStore } from 'src/rate-limit/rate-limit.store';

describe('RateLimitService', () => {
  const make = (env: Record<string, string> = {}) =>
    new RateLimitService(buildAppConfig(validateEnv(env)));

  it('should allow up to the limit and then throw with a whole-second Retry-After', async () => {
    const sut = make({ RATE_LIMITS: 'register=3/1m' });
    for (let i = 0; i < 3; i++) await sut.consume('register', '1.2.3.4');
    const err = await sut.consume('register', '1.2.3.4').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((err as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('should count subjects separately', async () => {
    const sut = make({ RATE_LIMITS: 'register=1/1m' });
    await sut.consume('register', 'a');
    await expect(sut.consume('register', 'b')).resolves.toBeUndefined();
  });

  it('should block only after the configured number of failures', async () => {
    const sut = make({ RATE_LIMITS: 'login_account=2/15m' });
    await sut.assertNotBlocked('login_account', 'x');
    await sut.recordFailure('login_account', 'x');
    await sut.assertNotBlocked('login_account', 'x');
    await sut.recordFailure('login_account', 'x');
    await expect(sut.assertNotBlocked('login_account', 'x')).rejects.toBeInstanceOf(
      RateLimitedError,
    );
  });

  it('should keep counting failures across subjects and policies until their window ends', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    try {
      const sut = make({ RATE_LIMITS: 'auth_failure=1/1m,login_ip=1/15m' });
      await sut.assertNotBlocked('auth_failure', 'ip-a');
      await sut.recordFailure('auth_failure', 'ip-a');
      await expect(sut.assertNotBlocked('auth_failure', 'ip-a')).rejects.toBeInstanceOf(
        RateLimitedError,
      );
      await expect(sut.assertNotBlocked('auth_failure', 'ip-b')).resolves.toBeUndefined();
      await expect(sut.assertNotBlocked('login_ip', 'ip-a')).resolves.toBeUndefined();
      // A consumed request counts too (a policy used both ways).
      await sut.consume('login_ip', 'ip-c');
      await expect(sut.assertNotBlocked('login_ip', 'ip-c')).rejects.toBeInstanceOf(
        RateLimitedError,
      );
      jest.setSystemTime(new Date('2026-01-01T00:01:00.001Z'));
      await expect(sut.assertNotBlocked('auth_failure', 'ip-a')).resolves.toBeUndefined();
      await expect(sut.assertNotBlocked('login_ip', 'ip-c')).rejects.toBeInstanceOf(
        RateLimitedError,
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('should fall back to per-process counters when Redis is unreachable (never unlimited)', async () => {
    const sut = make({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMITS: 'register=1/1m' });
    await sut.consume('register', 'ip');
    await expect(sut.consume('register', 'ip')).rejects.toBeInstanceOf(RateLimitedError);
    await sut.onApplicationShutdown();
  });
});

describe('MemoryRateLimitStore', () => {
  it('should reset a window when it ends', async () => {
    let now = 0;
    const sut = new MemoryRateLimitStore(() => now);
    expect((await sut.hit('k', 1000, 1)).count).toBe(1);
    expect((await sut.hit('k', 1000, 1)).count).toBe(2);
    now = 1000;
    expect((await sut.hit('k', 1000, 1)).count).toBe(1);
  });
});
