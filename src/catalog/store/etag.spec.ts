import { ErrorCode } from 'src/common/errors/domain-error';
import { assertIfMatch, etagOf } from 'src/catalog/store/etag';

describe('etagOf', () => {
  it('should be a strong tag equal for documents that differ only in key order', () => {
    const tag = etagOf({ a: 1, b: [1, { c: 2, d: 3 }] });
    expect(tag).toMatch(/^"[\w-]{32}"$/);
    expect(etagOf({ b: [1, { d: 3, c: 2 }], a: 1 })).toBe(tag);
    expect(etagOf({ a: 1, b: [{ c: 2, d: 3 }, 1] })).not.toBe(tag);
  });
});

describe('assertIfMatch', () => {
  const code = (fn: () => void): string | null => {
    try {
      fn();
      return null;
    } catch (err) {
      return (err as { code: string }).code;
    }
  };

  it('should pass without If-Match, with * on an existing document and with a list holding the tag', () => {
    expect(code(() => assertIfMatch(undefined, null))).toBeNull();
    expect(code(() => assertIfMatch('*', '"x"'))).toBeNull();
    expect(code(() => assertIfMatch('"a", "x"', '"x"'))).toBeNull();
  });

  it('should fail with precondition_failed for another tag, a weak tag, or * on nothing', () => {
    expect(code(() => assertIfMatch('"a"', '"x"'))).toBe(ErrorCode.PreconditionFailed);
    expect(code(() => assertIfMatch('W/"x"', '"x"'))).toBe(ErrorCode.PreconditionFailed);
    expect(code(() => assertIfMatch('*', null))).toBe(ErrorCode.PreconditionFailed);
    expect(code(() => assertIfMatch('"x"', null))).toBe(ErrorCode.PreconditionFailed);
  });
});
