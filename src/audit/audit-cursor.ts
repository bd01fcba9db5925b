import { invalidArgument } from 'src/common/errors/domain-error';

/** A position in the newest-first audit log: the event's time (to the microsecond) and id. */
export interface AuditCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as PostgreSQL stores it (microseconds). */
  at: string;
  id: string;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of `at|id`. */
export function encodeCursor(c: AuditCursor): string {
  return Buffer.from(`${c.at}|${c.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(value: string): AuditCursor {
  const [at, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !at || !id || !AT.test(at) || !UUID.test(id)) {
    throw invalidArgument(
      'The cursor is invalid: pass nextCursor from the previous page unchanged',
    );
  }
  return { at, id };
}
