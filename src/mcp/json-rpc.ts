/** Cheap structural checks of JSON-RPC bodies, before (or instead of) the SDK's zod schemas. */

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON-RPC 2.0 request, notification or response (what the transport accepts). */
export function isJsonRpcMessage(body: Record<string, unknown>): boolean {
  if (body.jsonrpc !== '2.0') return false;
  const idOk = body.id === undefined || typeof body.id === 'string' || typeof body.id === 'number';
  if (typeof body.method === 'string')
    return idOk && (body.params === undefined || isObject(body.params));
  return (
    (typeof body.id === 'string' || typeof body.id === 'number') &&
    ('result' in body || 'error' in body)
  );
}

export type MessageKind = 'request' | 'notification' | 'response';

const PLAIN_MESSAGE_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);

/**
 * The kind of a plain request or notification, decided without zod: exactly what the SDK's strict
 * JSONRPCRequest / JSONRPCNotification schemas accept when `params` is an object without `_meta`.
 * Undefined for anything else, which then goes through the SDK's schema.
 */
export function plainMessageKind(
  body: Record<string, unknown>,
): 'request' | 'notification' | undefined {
  const params = body.params;
  if (isObject(params) && '_meta' in params) return undefined;
  return plainShape(body);
}

/**
 * The kind of a request or notification of the plain shape: only the keys `jsonrpc` (2.0), `id` (a
 * string or a safe integer), `method` (a string) and `params` (an object, if present). Its `_meta`,
 * if any, is not looked at.
 */
export function plainShape(body: Record<string, unknown>): 'request' | 'notification' | undefined {
  if (body.jsonrpc !== '2.0' || typeof body.method !== 'string') return undefined;
  for (const k in body) if (!PLAIN_MESSAGE_KEYS.has(k)) return undefined;
  const params = body.params;
  if (params !== undefined && !isObject(params)) return undefined;
  if (!('id' in body)) return 'notification';
  const id = body.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id))
    ? 'request'
    : undefined;
}

/**
 * A JSON-RPC success response written around an already serialized result, up to its id: the SDK's
 * field order (`result`, `jsonrpc`, `id`). Complete it with {@link responseIdTail}.
 */
export const resultResponseHead = (resultJson: string): string =>
  `{"result":${resultJson},"jsonrpc":"2.0","id":`;

/** The end of a response begun by {@link resultResponseHead}: the request's id. */
export const responseIdTail = (id: string | number): string => `${JSON.stringify(id)}}`;
