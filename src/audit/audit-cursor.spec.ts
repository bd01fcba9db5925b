import { decodeCursor, encodeCursor } from 'src/audit/audit-cursor';
import { DomainError } from 'src/common/errors/domain-error';

describe('audit cursor', () => {
  it('should round-trip a position to the microsecond', () => {
    const sut = { at: '2026-11-30T12:34:56.123456Z', id: '0b7e4a51-5b4e-4c1e-9a3e-4f1c2d3e4f50' };
    expect(decodeCursor(encodeCursor(sut))).toEqual(sut);
  });

  it.each(['', 'not-a-cursor', Buffer.from('2026-11-30|x').toString('base64url')])(
    'should refuse the tampered cursor %p with invalid_argument',
    (c) => {
      expect(() => decodeCursor(c)).toThrow(DomainError);
      expect(() => decodeCursor(c)).toThrow(/cursor is invalid/);
    },
  );
});
