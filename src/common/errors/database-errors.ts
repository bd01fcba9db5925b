import { QueryFailedError } from 'typeorm';

/** PostgreSQL SQLSTATE of a failed query, if any. */
export function sqlState(err: unknown): string | undefined {
  if (err instanceof QueryFailedError) {
    const driverError = err.driverError as { code?: unknown } | undefined;
    return typeof driverError?.code === 'string' ? driverError.code : undefined;
  }
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export const isUniqueViolation = (err: unknown): boolean => sqlState(err) === '23505';

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/**
 * True when the database could not answer (down, unreachable, shutting down, timed out), as opposed to
 * a query that ran and failed. Such errors become 503 with Retry-After, never 401 or "not found".
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const e = cur as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof e.code === 'string') {
      if (CONNECTION_ERROR_CODES.has(e.code)) return true;
      // 08xxx connection exceptions, 57P0x operator intervention (admin shutdown, cannot connect now)
      // 08: connection exceptions; 57P0x: shutdown; 53300: too many connections; 57014: statement
      // timeout (our per-statement deadline); 55P03: lock not available.
      if (
        /^08/.test(e.code) ||
        /^57P0/.test(e.code) ||
        ['53300', '57014', '55P03'].includes(e.code)
      ) {
        return true;
      }
    }
    if (typeof e.message === 'string') {
      if (
        /Connection terminated|timeout exceeded when trying to connect|Driver not Connected|connect ECONNREFUSED|Client has encountered a connection error|Query read timeout/i.test(
          e.message,
        )
      ) {
        return true;
      }
    }
    cur = e.driverError ?? e.cause;
  }
  return false;
}
