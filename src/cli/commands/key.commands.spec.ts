import { generateApiKey } from 'src/api-keys/api-key.format';
import { MAX_EXPIRY_DAYS, parseExpiresInDays, parseKeyId } from 'src/cli/commands/key.commands';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';

function invalid(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError && err.code === ErrorCode.InvalidArgument) return err;
    throw err;
  }
  throw new Error('expected an invalid-argument error');
}

describe('parseExpiresInDays', () => {
  const now = Date.UTC(2026, 0, 1);
  const sut = (raw: string | undefined) => parseExpiresInDays(raw, now);

  it('should mean no expiry when the option is left out', () => {
    expect(sut(undefined)).toBeNull();
  });

  it('should count whole days from now, 1 to the maximum', () => {
    expect(sut('1')?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(sut(' 30 ')?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(sut(String(MAX_EXPIRY_DAYS))?.getTime()).toBe(now + MAX_EXPIRY_DAYS * 86_400_000);
  });

  it('should reject zero, negatives, fractions, words and more than the maximum', () => {
    for (const raw of ['0', '-1', '1.5', '1e3', 'ten', '', '0x10', String(MAX_EXPIRY_DAYS + 1)]) {
      expect(invalid(() => sut(raw)).message).toMatch(/--expires-in-days must be a whole number/);
    }
  });
});

describe('parseKeyId', () => {
  const sut = parseKeyId;

  it('should accept a UUID in any case and return it lower-cased', () => {
    expect(sut(' 3F2504E0-4F89-11D3-9A0C-0305E82C3301 ')).toBe(
      '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    );
  });

  it('should reject anything else without echoing it', () => {
    const err = invalid(() => sut('not-a-uuid-hunter2'));
    expect(err.message).toMatch(/--id must be a key id/);
    expect(err.message).not.toContain('hunter2');
  });

  it('should recognise a pasted key and show only its hint', () => {
    const key = generateApiKey();
    const err = invalid(() => sut(key));
    expect(err.message).toContain(`${key.slice(0, 7)}…${key.slice(-4)}`);
    expect(err.message).not.toContain(key);
  });
});
