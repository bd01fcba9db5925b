import { valueOrRejection } from 'src/common/value-or-rejection';

describe('valueOrRejection', () => {
  it('should return the value itself, not a promise', () => {
    const value = { ok: true };
    expect(valueOrRejection(() => value)).toBe(value);
  });

  it('should turn a throw into a rejected promise carrying the same error', async () => {
    const err = new Error('refused');
    const result = valueOrRejection(() => {
      throw err;
    });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toBe(err);
  });
});
