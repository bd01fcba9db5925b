import {
  clearedSessionCookie,
  cookieValue,
  sessionSetCookie,
} from 'src/oauth/authorize/session-cookie';

describe('session cookie', () => {
  it('should find the named cookie among others, trimmed and unquoted', () => {
    expect(cookieValue({ cookie: 'a=1; session=abc_-9 ;b=2' }, 'session')).toBe('abc_-9');
    expect(cookieValue({ cookie: 'session="q1"' }, 'session')).toBe('q1');
    expect(cookieValue({ cookie: 'xsession=1; session2=2' }, 'session')).toBeUndefined();
    expect(cookieValue({ cookie: 'garbage; session' }, 'session')).toBeUndefined();
    expect(cookieValue({}, 'session')).toBeUndefined();
  });

  it('should take the first of two cookies with the same name, as RFC 6265 orders them', () => {
    expect(cookieValue({ cookie: 'session=first; session=second' }, 'session')).toBe('first');
  });

  it('should set the cookie HttpOnly, SameSite=Lax, Path=/, without expiry, Secure on https', () => {
    expect(sessionSetCookie('session', 'tok', { secure: false })).toBe(
      'session=tok; Path=/; HttpOnly; SameSite=Lax',
    );
    expect(sessionSetCookie('__Host-session', 'tok', { secure: true })).toBe(
      '__Host-session=tok; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('should clear the cookie at once', () => {
    expect(clearedSessionCookie('session', { secure: false })).toMatch(
      /^session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
    );
  });
});
