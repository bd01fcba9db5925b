import {
  DEFAULT_PRIVATE_SCHEMES,
  matchesRegisteredRedirectUri,
  redirectUriProblem,
} from 'src/oauth/redirect/redirect-uri.policy';

describe('redirect URI policy', () => {
  const sut = (uri: unknown) => redirectUriProblem(uri, DEFAULT_PRIVATE_SCHEMES);

  it.each([
    'https://claude.ai/api/mcp/auth_callback',
    'https://chatgpt.com/connector/oauth/abc123',
    'https://global.consent.azure-apim.net/redirect/my-connector',
    'http://127.0.0.1:53682/callback',
    'http://localhost:7777/oauth/callback',
    'http://[::1]:8080/cb',
    'http://127.0.0.1/',
    'cursor://anysphere.cursor-mcp/oauth/callback',
    'vscode://vscode.github-authentication/did-authenticate',
    'https://example.com/cb?x=1',
  ])('should accept %s', (uri) => expect(sut(uri)).toBeNull());

  it.each([
    ['http://example.com/cb', /http only/],
    ['http://127.0.0.1.evil.example/cb', /http only/],
    ['https://example.com/cb#', /fragment/],
    ['https://example.com/cb#x', /fragment/],
    ['https://user:pw@example.com/cb', /user information/],
    ['https://*.example.com/cb', /wildcard/],
    ['javascript:alert(1)', /javascript/],
    ['data:text/html,hi', /data/],
    ['file:///etc/passwd', /file/],
    ['vbscript:x', /vbscript/],
    ['blob:https://x', /blob/],
    ['about:blank', /about/],
    ['claude://claude.ai/mcp-auth-callback/sdk', /not allowed/],
    ['/relative/cb', /absolute/],
    ['', /non-empty/],
    [42, /non-empty/],
    ['https://exa mple.com/', /whitespace/],
  ])('should refuse %p', (uri, reason) => expect(sut(uri)).toMatch(reason));

  it('should accept a configured private scheme', () => {
    expect(redirectUriProblem('claude://claude.ai/mcp-auth-callback/sdk', ['claude'])).toBeNull();
  });

  describe('matching at authorize', () => {
    const registered = [
      'https://app.example.com/cb',
      'http://127.0.0.1:33418/',
      'http://localhost/callback',
    ];

    it('should match exactly', () => {
      expect(matchesRegisteredRedirectUri('https://app.example.com/cb', registered)).toBe(true);
    });

    it('should let a loopback port differ', () => {
      expect(matchesRegisteredRedirectUri('http://127.0.0.1:50123/', registered)).toBe(true);
      expect(matchesRegisteredRedirectUri('http://localhost:8123/callback', registered)).toBe(true);
    });

    it.each([
      'https://app.example.com/cb/',
      'https://APP.example.com/cb',
      'https://app.example.com/cb?x=1',
      'https://app.example.com:443/cb',
      'https://app.example.com/c%62',
      'https://app.example.com.evil.example/cb',
      'https://app.example.com/cb#',
      'http://localhost:33418/',
      'http://127.0.0.1:5000/callback',
      'http://127.0.0.1:5000/other',
      'http://user@127.0.0.1:5000/',
      'http://127.0.0.1:5000/#x',
    ])('should not match the variant %s', (uri) => {
      expect(matchesRegisteredRedirectUri(uri, registered)).toBe(false);
    });
  });
});
