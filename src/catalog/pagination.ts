import { invalidArgument } from 'src/common/errors/domain-error';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export interface Page {
  limit: number;
  offset: number;
}

/** Validates `limit` (default 20, 1..100) and decodes the opaque `cursor` of a previous page. */
export function parsePage(limit: unknown, cursor: unknown): Page {
  let n = DEFAULT_LIMIT;
  if (limit !== undefined && limit !== null) {
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw invalidArgument(`limit must be an integer from 1 to ${MAX_LIMIT}`);
    }
    n = limit;
  }
  return { limit: n, offset: cursor === undefined || cursor === null ? 0 : decodeCursor(cursor) };
}

/** The cursor of the next page, or undefined when `fetched` (limit + 1 rows asked) shows no more. */
export function nextCursor(page: Page, fetched: number): string | undefined {
  return fetched > page.limit ? encodeCursor(page.offset + page.limit) : undefined;
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: unknown): number {
  const invalid = invalidArgument(
    'cursor is invalid: pass the nextCursor of the previous page unchanged, or omit it',
  );
  if (typeof cursor !== 'string' || cursor.length > 200) throw invalid;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0)
      return parsed.o;
  } catch {
    // fall through
  }
  throw invalid;
}
