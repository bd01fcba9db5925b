import { nextCursor, parsePage } from 'src/catalog/pagination';

describe('parsePage', () => {
  it('should default to 20 from the start', () => {
    expect(parsePage(undefined, undefined)).toEqual({ limit: 20, offset: 0 });
  });

  it.each([0, 101, 1.5, '10', -1])('should refuse the limit %p', (limit) => {
    expect(() => parsePage(limit, undefined)).toThrow(/limit must be an integer from 1 to 100/);
  });

  it('should continue where the previous page ended', () => {
    const first = { limit: 2, offset: 0 };
    const cursor = nextCursor(first, 3);
    expect(cursor).toBeDefined();
    expect(parsePage(2, cursor)).toEqual({ limit: 2, offset: 2 });
  });

  it('should give no cursor on the last page', () => {
    expect(nextCursor({ limit: 2, offset: 0 }, 2)).toBeUndefined();
  });

  it.each(['garbage', Buffer.from('{"o":-1}').toString('base64url'), 42])(
    'should refuse the cursor %p',
    (cursor) => {
      expect(() => parsePage(undefined, cursor)).toThrow(/cursor is invalid/);
    },
  );
});
