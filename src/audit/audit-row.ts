import type { AuditDetails, AuditEventInput } from 'src/audit/audit-event.types';

/** An event waiting in the buffer: the input as recorded plus when it happened. */
export interface PendingAuditEvent {
  event: AuditEventInput;
  at: Date;
  ip: string | null;
  userAgent: string | null;
}

/** Column order of the multi-row INSERT; {@link toParams} yields values in this order. */
export const AUDIT_COLUMNS = [
  'created_at',
  'organization_id',
  'actor_user_id',
  'actor_api_key_id',
  'actor_client_id',
  'type',
  'target_type',
  'target_id',
  'ip',
  'user_agent',
  'details',
] as const;

const CASTS: Partial<Record<(typeof AUDIT_COLUMNS)[number], string>> = {
  created_at: 'timestamptz',
  organization_id: 'uuid',
  actor_user_id: 'uuid',
  actor_api_key_id: 'uuid',
  details: 'jsonb',
};

/** `INSERT … VALUES (…), (…)` for `rows` events, with typed placeholders. */
export function insertSql(rows: number): string {
  const n = AUDIT_COLUMNS.length;
  const tuples = Array.from(
    { length: rows },
    (_, r) =>
      `(${AUDIT_COLUMNS.map((c, i) => {
        const cast = CASTS[c];
        return cast ? `$${r * n + i + 1}::${cast}` : `$${r * n + i + 1}`;
      }).join(', ')})`,
  );
  return `INSERT INTO audit_events (${AUDIT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Names whose values are never stored, whatever a caller puts there. */
const SECRET_NAME =
  /pass(word)?|secret|token|authorization|cookie|verifier|hash|^code$|^(api_?)?key$/i;
const MAX_TEXT = 500;
const MAX_KEYS = 30;
const MAX_ITEMS = 50;

const uuidOrNull = (v: string | null | undefined): string | null =>
  typeof v === 'string' && UUID.test(v) ? v : null;
const textOrNull = (v: string | null | undefined): string | null =>
  typeof v === 'string' && v ? v.slice(0, MAX_TEXT) : null;

/**
 * Bounded, secret-free details: at most 30 entries of scalars or short string lists; values under
 * secret-looking names become "[redacted]". A bad id never fails the batch: it is stored as null.
 */
export function sanitizeDetails(details: AuditDetails | undefined): AuditDetails {
  const out: AuditDetails = {};
  if (!details || typeof details !== 'object') return out;
  for (const [k, v] of Object.entries(details).slice(0, MAX_KEYS)) {
    if (SECRET_NAME.test(k)) out[k] = '[redacted]';
    else if (typeof v === 'string') out[k] = v.slice(0, MAX_TEXT);
    else if (typeof v === 'number') out[k] = Number.isFinite(v) ? v : null;
    else if (typeof v === 'boolean' || v === null) out[k] = v;
    else if (Array.isArray(v))
      out[k] = v.slice(0, MAX_ITEMS).map((i) => String(i).slice(0, MAX_TEXT));
  }
  return out;
}

/** Query parameters for one event, in {@link AUDIT_COLUMNS} order. */
export function toParams(p: PendingAuditEvent): Array<string | null> {
  const e = p.event;
  return [
    p.at.toISOString(),
    uuidOrNull(e.organizationId),
    uuidOrNull(e.actorUserId),
    uuidOrNull(e.actorApiKeyId),
    textOrNull(e.actorClientId),
    String(e.type),
    textOrNull(e.targetType),
    textOrNull(e.targetId),
    textOrNull(p.ip),
    p.userAgent,
    JSON.stringify(sanitizeDetails(e.details)),
  ];
}
