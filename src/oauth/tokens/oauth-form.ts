import { OAuthError } from 'src/oauth/oauth.errors';

/** A parsed `application/x-www-form-urlencoded` body: one string per parameter. */
export type OAuthForm = Readonly<Record<string, string>>;

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

export const isFormContentType = (contentType: unknown): boolean =>
  typeof contentType === 'string' && FORM_CONTENT_TYPE.test(contentType);

/**
 * Reads the token and revocation endpoints' body: form-encoded only (OAuth 2.1 §3.2); a repeated
 * parameter (parsed as an array) is `invalid_request` (§3.1); empty values count as absent.
 */
export function readOAuthForm(contentType: unknown, body: unknown): OAuthForm {
  if (
    !isFormContentType(contentType) ||
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body)
  ) {
    throw new OAuthError(
      'invalid_request',
      'The request body must be application/x-www-form-urlencoded',
    );
  }
  const form: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      throw new OAuthError('invalid_request', `The parameter ${safeName(name)} is repeated`);
    }
    if (typeof value !== 'string') {
      throw new OAuthError('invalid_request', `The parameter ${safeName(name)} is malformed`);
    }
    if (value !== '') form[name] = value;
  }
  return form;
}

/** A required parameter, or `invalid_request` naming it. */
export function requireParam(form: OAuthForm, name: string): string {
  const value = form[name];
  if (value === undefined) {
    throw new OAuthError('invalid_request', `The parameter ${name} is required`);
  }
  return value;
}

const safeName = (name: string): string =>
  /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : '(unnamed)';
