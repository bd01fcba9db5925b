import { TtlCache } from 'src/common/cache/ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => (now = 1_000));

  it('should return a value until its deadline and not after', () => {
    const sut = new TtlCache<string>(4000, 10, clock);
    sut.set('a', 'x');
    now += 3999;
    expect(sut.get('a')).toBe('x');
    now += 1;
    expect(sut.get('a')).toBeUndefined();
  });

  it('should evict the oldest entry when full', () => {
    const sut = new TtlCache<number>(4000, 2, clock);
    sut.set('a', 1);
    sut.set('b', 2);
    sut.set('c', 3);
    expect(sut.get('a')).toBeUndefined();
    expect(sut.get('b')).toBe(2);
    expect(sut.size).toBe(2);
  });

  it('should store nothing with a TTL of zero', () => {
    const sut = new TtlCache<number>(0, 2, clock);
    sut.set('a', 1);
    expect(sut.get('a')).toBeUndefined();
  });
});
