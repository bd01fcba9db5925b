import { LoginThrottle } from 'src/oauth/authorize/login-throttle';

const MIN = 60_000;

describe('LoginThrottle', () => {
  let sut: LoginThrottle;
  let now: number;

  beforeEach(() => {
    now = 1_000_000_000;
    sut = new LoginThrottle();
    sut.now = () => now;
  });

  const fail = (email: string, ip: string, times: number) => {
    for (let i = 0; i < times; i++) sut.recordFailure(email, ip);
  };

  it('should allow four failures for one account and IP, and refuse after the fifth', () => {
    fail('a@x.example', '1.1.1.1', 4);
    expect(sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(0);
    sut.recordFailure('a@x.example', '1.1.1.1');
    expect(sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(15 * 60);
  });

  it('should count the email case- and space-insensitively', () => {
    fail(' A@X.example', '1.1.1.1', 5);
    expect(sut.retryAfterSeconds('a@x.example ', '1.1.1.1')).toBeGreaterThan(0);
  });

  it('should let the window slide: the oldest failure expires first', () => {
    fail('a@x.example', '1.1.1.1', 1);
    now += 10 * MIN;
    fail('a@x.example', '1.1.1.1', 4);
    expect(sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(5 * 60);
    now += 5 * MIN + 1;
    expect(sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(0);
  });

  it('should not lock the same account out from another IP before the account limit', () => {
    fail('a@x.example', '1.1.1.1', 5);
    expect(sut.retryAfterSeconds('a@x.example', '2.2.2.2')).toBe(0);
  });

  it('should refuse an IP after twenty failures across accounts', () => {
    for (let i = 0; i < 20; i++) sut.recordFailure(`user${i}@x.example`, '1.1.1.1');
    expect(sut.retryAfterSeconds('fresh@x.example', '1.1.1.1')).toBeGreaterThan(0);
    expect(sut.retryAfterSeconds('fresh@x.example', '2.2.2.2')).toBe(0);
  });

  it('should cap an account at a hundred failures an hour from any number of IPs', () => {
    for (let i = 0; i < 100; i++) sut.recordFailure('a@x.example', `10.0.${i >> 8}.${i & 255}`);
    expect(sut.retryAfterSeconds('a@x.example', '9.9.9.9')).toBe(60 * 60);
  });

  it('should clear the account-and-IP counter after a successful sign-in', () => {
    fail('a@x.example', '1.1.1.1', 4);
    sut.recordSuccess('a@x.example', '1.1.1.1');
    fail('a@x.example', '1.1.1.1', 4);
    expect(sut.retryAfterSeconds('a@x.example', '1.1.1.1')).toBe(0);
  });
});
