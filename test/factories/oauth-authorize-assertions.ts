import { alertText } from 'test/factories/oauth-authorize.factory';

/** The headers every page of the flow carries, error pages included (RFC 9700 §4.16). */
export function expectPageHeaders(res: Response): void {
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toMatch(/script-src|unsafe-inline/);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
}

export function expectErrorPage(
  res: Response,
  html: string,
  status: number,
  problem: RegExp,
): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('location')).toBeNull();
  expectPageHeaders(res);
  expect(html).toMatch(/<h1>[^<]+<\/h1>/);
  expect(alertText(html)).toMatch(problem);
}

/** The full CSP of a page whose flow ends at `redirectOrigin`. */
export const pageCsp = (redirectOrigin: string): string =>
  `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${redirectOrigin}; frame-ancestors 'none'; base-uri 'none'`;
