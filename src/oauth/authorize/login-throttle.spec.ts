import { buildAppConfig } from 'src/config/app.config';
import { validateEnv } from 'src/config/env.validation';
import { LoginThrottle } from 'src/oauth/authorize/login-throttle';
import { RateLimitService } from 'src/rate-limit/rate-limit.service';

const MIN = 60_000;

describe('LoginThrottle', () => {
  describe('per-process sliding window', () => {
    let sut: LoginThrottle;
    let now: number;

    beforeEach(() => {
      now = 1_000_000_000;
      // A shared store that never blocks, so only the per-process window decides.
      const limits = {
        assertNotBlocked: async () => undefined,
        recordFailure: async () => undefined,
      } as unknown as RateLimitService;
      sut = new LoginThrottle(limits);
      sut.now = () => now;
    });

    const fail = async (email: string, ip: string, times: number) => {
      for (let i = 0; i < times; i++) await sut.recordFailure(email, ip);
    };

    it('should allow four failures for one account and IP, and refuse after the fifth', async () => {
      await fail('a@x.example', '1.1.1.1', 4);
      expect(await sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(0);
      await sut.recordFailure('a@x.example', '1.1.1.1');
      expect(await sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(15 * 60);
    });

    it('should count the email case- and space-insensitively', async () => {
      await fail(' A@X.example', '1.1.1.1', 5);
      expect(await sut.retryAfterSeconds('a@x.example ', '1.1.1.1')).toBeGreaterThan(0);
    });

    it('should let the window slide: the oldest failure expires first', async () => {
      await fail('a@x.example', '1.1.1.1', 1);
      now += 10 * MIN;
      await fail('a@x.example', '1.1.1.1', 4);
      expect(await sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(5 * 60);
      now += 5 * MIN + 1;
      expect(await sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(0);
    });

    it('should not lock the same account out from another IP before the account limit', async () => {
      await fail('a@x.example', '1.1.1.1', 5);
      expect(await sut.retryAfterSeconds('a@x.example', '2.2.2.2')).toBe(0);
    });

    it('should refuse an IP after twenty failures across accounts', async () => {
      for (let i = 0; i < 20; i++) await sut.recordFailure(`user${i}@x.example`, '1.1.1.1');
      expect(await sut.retryAfterSeconds('fresh@x.example', '1.1.1.1')).toBeGreaterThan(0);
      expect(await sut.retryAfterSeconds('fresh@x.example', '2.2.2.2')).toBe(0);
    });

    it('should cap an account at a hundred failures an hour from any number of IPs', async () => {
      for (let i = 0; i < 100; i++) {
        await sut.recordFailure('a@x.example', `10.0.${i >> 8}.${i & 255}`);
      }
      expect(await sut.retryAfterSeconds('a@x.example', '9.9.9.9')).toBe(60 * 60);
    });

    it('should clear the account-and-IP counter after a successful sign-in', async () => {
      await fail('a@x.example', '1.1.1.1', 4);
      sut.recordSuccess('a@x.example', '1.1.1.1');
      await fail('a@x.example', '1.1.1.1', 4);
      expect(await sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(0);
    });
  });

  describe('shared store', () => {
    const make = (env: Record<string, string> = {}) =>
      new RateLimitService(buildAppConfig(validateEnv(env)));

    it("should refuse on one instance after five failures counted on another's", async () => {
      const store = make();
      const first = new LoginThrottle(store);
      const second = new LoginThrottle(store);
      for (let i = 0; i < 5; i++) await first.recordFailure('a@x.example', '1.1.1.1');
      const wait = await second.retryAfterSeconds('A@x.example', '1.1.1.1');
      expect(wait).toBeGreaterThan(14 * 60);
      expect(wait).toBeLessThanOrEqual(15 * 60);
    });

    it('should keep the account-and-IP count in the shared store after a success', async () => {
      const store = make();
      const first = new LoginThrottle(store);
      for (let i = 0; i < 4; i++) await first.recordFailure('a@x.example', '1.1.1.1');
      first.recordSuccess('a@x.example', '1.1.1.1');
      await first.recordFailure('a@x.example', '1.1.1.1');
      expect(
        await new LoginThrottle(store).retryAfterSeconds('a@x.example', '1.1.1.1'),
      ).toBeGreaterThan(0);
    });

    it('should hold the declared limits per process even when RATE_LIMITS loosens the store', async () => {
      const sut = new LoginThrottle(make({ RATE_LIMITS: 'login_account=50/15m' }));
      for (let i = 0; i < 5; i++) await sut.recordFailure('a@x.example', '1.1.1.1');
      expect(await sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(15 * 60);
    });

    it('should refuse as soon as RATE_LIMITS tightens the store', async () => {
      const sut = new LoginThrottle(make({ RATE_LIMITS: 'login_account=2/15m' }));
      for (let i = 0; i < 2; i++) await sut.recordFailure('a@x.example', '1.1.1.1');
      expect(await sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBeGreaterThan(0);
    });
  });
});
