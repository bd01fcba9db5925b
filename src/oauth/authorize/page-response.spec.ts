import { contentSecurityPolicy, formActionSource } from 'src/oauth/authorize/page-response';

describe('formActionSource', () => {
  it.each([
    ['http://127.0.0.1:9999/callback', 'http://127.0.0.1:9999'],
    ['http://localhost/callback', 'http://localhost'],
    ['https://claude.ai/api/mcp/auth_callback', 'https://claude.ai'],
    ['https://Global.Consent.azure-apim.net/redirect/x', 'https://global.consent.azure-apim.net'],
    ['cursor://anysphere.cursor-mcp/oauth/callback', 'cursor:'],
    ['vscode://vscode.dev/redirect', 'vscode:'],
    ['http://[::1]:33418/', 'http:'],
  ])('should allow %s as %s', (uri, source) => {
    expect(formActionSource(uri)).toBe(source);
  });

  it('should give nothing for something that is not a URL', () => {
    expect(formActionSource('not a url')).toBeNull();
  });
});

describe('contentSecurityPolicy', () => {
  it('should forbid everything but our stylesheet, our forms and framing by nobody', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
  });

  it("should add the redirect URI's origin to form-action", () => {
    expect(contentSecurityPolicy('http://127.0.0.1:9999/callback')).toContain(
      "form-action 'self' http://127.0.0.1:9999;",
    );
  });
});
