import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { Strategy } from 'passport';
import { AuthError } from 'src/auth/auth.errors';
import { BearerTokenStrategy } from 'src/auth/strategies/jwt.strategy';
import { runStrategy } from 'src/auth/strategies/run-strategy';

const refused = (): Error => new AuthError('invalid', 'refused');

function apiKeyStrategy(
  verify: ConstructorParameters<typeof HeaderAPIKeyStrategy>[2],
): HeaderAPIKeyStrategy {
  return new HeaderAPIKeyStrategy({ header: 'x-api-key', prefix: '' }, false, verify);
}

describe('runStrategy', () => {
  it("resolves with the strategy's user and hands the header value to verify", async () => {
    const seen: string[] = [];
    const strategy = apiKeyStrategy((key, done) => {
      seen.push(key);
      done(null, { id: 'u1' });
    });
    await expect(
      runStrategy(strategy, { headers: { 'x-api-key': 'ed_abc' } }, refused),
    ).resolves.toEqual({ id: 'u1' });
    expect(seen).toEqual(['ed_abc']);
  });

  it('rejects with refused() when the strategy fails (no header) or verify finds no user', async () => {
    const strategy = apiKeyStrategy((_key, done) => done(null, false));
    await expect(runStrategy(strategy, { headers: {} }, refused)).rejects.toThrow('refused');
    await expect(
      runStrategy(strategy, { headers: { 'x-api-key': 'ed_x' } }, refused),
    ).rejects.toThrow('refused');
  });

  it('passes the verify error through unchanged (a database fault must not become a 401)', async () => {
    const fault = new Error('connection refused');
    const strategy = apiKeyStrategy((_key, done) => done(fault));
    await expect(runStrategy(strategy, { headers: { 'x-api-key': 'ed_x' } }, refused)).rejects.toBe(
      fault,
    );
  });

  it('rejects with the error a strategy throws synchronously', async () => {
    class Throwing extends Strategy {
      override authenticate(): void {
        throw new Error('boom');
      }
    }
    await expect(runStrategy(new Throwing(), {}, refused)).rejects.toThrow('boom');
  });

  it('treats pass and redirect as a refusal', async () => {
    class Passing extends Strategy {
      override authenticate(): void {
        this.pass();
      }
    }
    class Redirecting extends Strategy {
      override authenticate(): void {
        this.redirect('https://elsewhere.example/');
      }
    }
    await expect(runStrategy(new Passing(), {}, refused)).rejects.toThrow('refused');
    await expect(runStrategy(new Redirecting(), {}, refused)).rejects.toThrow('refused');
  });

  it('keeps attempts apart: concurrent runs on one strategy each get their own user', async () => {
    const strategy = new BearerTokenStrategy((token, done) => {
      setTimeout(() => done(null, { token }), token === 'slow' ? 20 : 0);
    });
    const [slow, fast] = await Promise.all([
      runStrategy(strategy, { headers: { authorization: 'Bearer slow' } }, refused),
      runStrategy(strategy, { headers: { authorization: 'Bearer fast' } }, refused),
    ]);
    expect(slow).toEqual({ token: 'slow' });
    expect(fast).toEqual({ token: 'fast' });
    await expect(
      runStrategy(strategy, { headers: { authorization: 'Basic x' } }, refused),
    ).rejects.toThrow('must be "Bearer');
  });
});
