import { redirectHosts } from 'src/oauth-admin/oauth-admin.rows';

describe('redirectHosts', () => {
  it('should show host and port, once each, and the scheme of private-use URIs', () => {
    expect(
      redirectHosts([
        'https://claude.ai/api/mcp/auth_callback',
        'https://claude.ai/other',
        'http://127.0.0.1:53682/callback',
        'cursor://anysphere.cursor-retrieval/oauth/callback',
        'com.example.app:/callback',
      ]),
    ).toEqual(['claude.ai', '127.0.0.1:53682', 'anysphere.cursor-retrieval', 'com.example.app:']);
  });

  it('should skip what does not parse and tolerate a non-array', () => {
    expect(redirectHosts(['not a uri', 'https://a.example/cb'])).toEqual(['a.example']);
    expect(redirectHosts(null)).toEqual([]);
  });
});
