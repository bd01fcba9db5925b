import { OAuthError } from 'src/oauth/oauth.errors';
import { readOAuthForm, requireParam } from 'src/oauth/tokens/oauth-form';

const FORM = 'application/x-www-form-urlencoded';

describe('readOAuthForm', () => {
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (err) {
      return err instanceof OAuthError ? `${err.status} ${err.error}` : 'other';
    }
    return undefined;
  };

  it('should read a form body, treating empty values as absent', () => {
    const form = readOAuthForm(`${FORM}; charset=UTF-8`, { a: '1', b: '' });
    expect(form.a).toBe('1');
    expect('b' in form).toBe(false);
    expect(code(() => requireParam(form, 'b'))).toBe('400 invalid_request');
  });

  it('should refuse other content types and bodies with invalid_request', () => {
    expect(code(() => readOAuthForm('application/json', { a: '1' }))).toBe('400 invalid_request');
    expect(code(() => readOAuthForm(undefined, { a: '1' }))).toBe('400 invalid_request');
    expect(code(() => readOAuthForm('text/plain', 'a=1'))).toBe('400 invalid_request');
    expect(code(() => readOAuthForm(FORM, undefined))).toBe('400 invalid_request');
    expect(code(() => readOAuthForm(`x-${FORM}`, {}))).toBe('400 invalid_request');
  });

  it('should refuse a repeated parameter', () => {
    expect(code(() => readOAuthForm(FORM, { code: ['a', 'b'] }))).toBe('400 invalid_request');
  });

  it('should not let __proto__ touch the prototype', () => {
    const body = JSON.parse('{"__proto__":"x","client_id":"c"}');
    const form = readOAuthForm(FORM, body);
    expect(form.client_id).toBe('c');
    expect(Object.getPrototypeOf(form)).toBeNull();
  });
});
