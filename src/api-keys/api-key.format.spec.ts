import {
  API_KEY_PATTERN,
  displayHint,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
} from 'src/api-keys/api-key.format';

describe('API key format', () => {
  it('should generate ed_ keys of 39 characters that pass their own checksum', () => {
    const sut = generateApiKey();
    expect(sut).toMatch(API_KEY_PATTERN);
    expect(sut).toHaveLength(39);
    expect(isWellFormedApiKey(sut)).toBe(true);
  });

  it('should never repeat a key', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey()));
    expect(keys.size).toBe(2000);
  });

  it('should reject a key with one character changed (checksum)', () => {
    const key = generateApiKey();
    const i = 10;
    const swapped = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
    expect(isWellFormedApiKey(swapped)).toBe(false);
  });

  it.each(['', 'ed_', 'sk_' + 'a'.repeat(36), 'ed_' + 'a'.repeat(35), 'ed_' + '!'.repeat(36)])(
    'should reject the malformed key %p',
    (k) => expect(isWellFormedApiKey(k)).toBe(false),
  );

  it('should hash to 64 hex characters and show only a short hint', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    const hint = displayHint(key);
    expect(hint.startsWith('ed_')).toBe(true);
    expect(hint).toHaveLength(12);
    expect(key.includes(hint.replace('…', ''))).toBe(false);
  });
});
