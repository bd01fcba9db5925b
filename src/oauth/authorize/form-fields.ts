import { invalidAuthorizeRequest } from 'src/oauth/authorize/authorize.errors';

/**
 * One field of a posted form (urlencoded bodies arrive as `Record<string, string | string[]>`).
 * Empty counts as absent; a repeated field or a NUL character (PostgreSQL text cannot hold it) is a
 * 400; anything but a string is absent.
 */
export function formField(body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, name)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (Array.isArray(value)) {
    throw invalidAuthorizeRequest(`The form field "${name}" was sent more than once.`);
  }
  if (typeof value !== 'string' || value.length === 0) return undefined;
  if (value.includes('\u0000')) {
    throw invalidAuthorizeRequest(`The form field "${name}" contains a NUL character.`);
  }
  return value;
}
