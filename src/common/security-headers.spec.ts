import { helmetOptions, securityHeaders } from 'src/common/security-headers';

describe('securityHeaders', () => {
  it('computes once what helmet sets per request', () => {
    const headers = new Map(securityHeaders(helmetOptions(false)));
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.has('strict-transport-security')).toBe(false);
    expect(headers.has('x-powered-by')).toBe(false);
  });

  it('adds HSTS for an https deployment', () => {
    const headers = new Map(securityHeaders(helmetOptions(true)));
    expect(headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });

  it('refuses an invalid policy at start-up', () => {
    expect(() =>
      securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ['self'] } } }),
    ).toThrow();
  });
});
