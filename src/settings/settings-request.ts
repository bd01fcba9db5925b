import { badRequest } from 'src/settings/settings.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_FIELD = 1024;

/**
 * One field of a posted form (urlencoded bodies arrive as `Record<string, string | string[]>`).
 * Empty counts as absent; a repeated or oversized field is a 400; anything but a string is absent.
 */
export function formField(body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, name)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (Array.isArray(value)) throw badRequest(`The form field "${name}" was sent more than once.`);
  if (typeof value !== 'string' || value.length === 0) return undefined;
  if (value.length > MAX_FIELD) throw badRequest(`The form field "${name}" is too long.`);
  return value;
}

/** A UUID (lower-cased) or undefined: anything else never reaches a query (it would be a 500). */
export function uuidOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
}

/** The query string of `url` as a plain record (the first value of repeated parameters). */
export function queryOf(url: string): Record<string, string> {
  const at = url.indexOf('?');
  if (at < 0) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(url.slice(at + 1))) if (!(k in out)) out[k] = v;
  return out;
}

export const DEFAULT_PAGE = '/settings/api-keys';

/**
 * "Return to" after sign-in or an organization switch: only a path of our own settings pages
 * (RFC 9700 §4.11), never a URL, `//host`, backslashes or encoded characters; else the default.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string') return DEFAULT_PAGE;
  const ok = /^\/settings(\/[a-z0-9-]+)*\/?(\?[A-Za-z0-9_.=&-]*)?$/.test(value);
  if (!ok || value.startsWith('/settings/sign-in')) return DEFAULT_PAGE;
  return value;
}

/** Confirmations after a redirect, by the fixed code in `?notice=` (never text from the URL). */
const NOTICES: Record<string, string> = {
  'key-revoked': 'The API key was revoked. Clients using it are refused within 5 seconds.',
  'app-revoked':
    'Access was revoked. The app is refused within 5 seconds and must be connected again.',
  'member-added': 'The member was added.',
  'role-changed': 'The role was changed.',
  'member-removed':
    'The member was removed. Their keys and connected apps in this organization stop working within 5 seconds.',
};

export function noticeOf(url: string): string | null {
  const code = queryOf(url).notice;
  return code !== undefined && Object.hasOwn(NOTICES, code) ? NOTICES[code] : null;
}
