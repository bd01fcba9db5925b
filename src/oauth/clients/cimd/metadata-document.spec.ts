import { MetadataDocumentError } from 'src/oauth/clients/cimd/cimd.types';
import {
  cacheLifetimeSeconds,
  isMetadataDocumentUrl,
  parseMetadataDocument,
} from 'src/oauth/clients/cimd/metadata-document';
import { DEFAULT_PRIVATE_SCHEMES } from 'src/oauth/redirect/redirect-uri.policy';

const CLAUDE_URL = 'https://claude.ai/oauth/mcp-oauth-client-metadata';
const CLAUDE_DOC = {
  client_id: CLAUDE_URL,
  client_name: 'Claude',
  client_uri: 'https://claude.ai',
  redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

const CHATGPT_URL = 'https://chatgpt.com/oauth/abc123/client.json';
const CHATGPT_DOC = {
  client_id: CHATGPT_URL,
  client_uri: 'https://chatgpt.com/',
  redirect_uris: ['https://chatgpt.com/connector/oauth/abc123'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  client_name: 'ChatGPT',
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_methods_supported: ['private_key_jwt', 'none'],
  token_endpoint_auth_signing_alg: 'RS256',
  jwks_uri: 'https://chatgpt.com/oauth/jwks.json',
};

describe('Client ID Metadata Documents', () => {
  describe('isMetadataDocumentUrl', () => {
    it.each([
      CLAUDE_URL,
      'https://claude.ai/oauth/claude-code-client-metadata',
      CHATGPT_URL,
      'https://example.com:8443/client.json',
      'https://example.com/client?v=1',
    ])('should take %s for a document URL', (id) => {
      expect(isMetadataDocumentUrl(id)).toBe(true);
    });

    it.each([
      ['a generated client id', 'kq3Y1f0yVb2d9Yg3uD6c8Z9xQ0aWm4sR'],
      ['http', 'http://example.com/client.json'],
      ['no path', 'https://example.com'],
      ['only a slash', 'https://example.com/'],
      ['a fragment', 'https://example.com/client.json#x'],
      ['an empty fragment', 'https://example.com/client.json#'],
      ['userinfo', 'https://user@example.com/client.json'],
      ['a dot segment', 'https://example.com/a/../client.json'],
      ['a non-canonical host', 'https://EXAMPLE.com/client.json'],
      ['the default port', 'https://example.com:443/client.json'],
      ['not a URL', 'https://'],
    ])('should not take %s for a document URL', (_label, id) => {
      expect(isMetadataDocumentUrl(id)).toBe(false);
    });
  });

  describe('parseMetadataDocument', () => {
    const sut = (url: string, doc: unknown) =>
      parseMetadataDocument(
        url,
        typeof doc === 'string' ? doc : JSON.stringify(doc),
        DEFAULT_PRIVATE_SCHEMES,
      );

    const refusal = (url: string, doc: unknown): string => {
      try {
        sut(url, doc);
      } catch (err) {
        if (err instanceof MetadataDocumentError) return err.message;
        throw err;
      }
      throw new Error('expected a refusal');
    };

    it('should accept Claude’s document as a public client', () => {
      expect(sut(CLAUDE_URL, CLAUDE_DOC)).toEqual({
        clientName: 'Claude',
        redirectUris: ['https://claude.ai/api/mcp/auth_callback'],
        grantTypes: ['authorization_code', 'refresh_token'],
        responseTypes: ['code'],
        scope: null,
      });
    });

    it('should accept Claude Code’s port-less loopback redirect URIs', () => {
      const url = 'https://claude.ai/oauth/claude-code-client-metadata';
      const uris = ['http://localhost/callback', 'http://127.0.0.1/callback'];
      expect(
        sut(url, { ...CLAUDE_DOC, client_id: url, client_name: 'Claude Code', redirect_uris: uris })
          .redirectUris,
      ).toEqual(uris);
    });

    it('should accept ChatGPT’s document, which prefers private_key_jwt but offers none', () => {
      expect(sut(CHATGPT_URL, CHATGPT_DOC).clientName).toBe('ChatGPT');
    });

    it('should default the grants and response types', () => {
      const {
        grant_types: _g,
        response_types: _r,
        token_endpoint_auth_method: _m,
        ...doc
      } = CLAUDE_DOC;
      const client = sut(CLAUDE_URL, doc);
      expect(client.grantTypes).toEqual(['authorization_code', 'refresh_token']);
      expect(client.responseTypes).toEqual(['code']);
    });

    it('should ignore grants beyond ours but require authorization_code', () => {
      expect(
        sut(CLAUDE_URL, {
          ...CLAUDE_DOC,
          grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
        }).grantTypes,
      ).toEqual(['authorization_code']);
      expect(refusal(CLAUDE_URL, { ...CLAUDE_DOC, grant_types: ['client_credentials'] })).toMatch(
        /authorization_code/,
      );
    });

    it.each([
      ['a trailing slash', `${CLAUDE_URL}/`],
      ['another path', 'https://claude.ai/oauth/other'],
      ['another host', 'https://evil.example/oauth/mcp-oauth-client-metadata'],
      ['http', 'http://claude.ai/oauth/mcp-oauth-client-metadata'],
      ['different case', 'https://claude.ai/OAuth/mcp-oauth-client-metadata'],
    ])('should refuse a client_id that differs from the URL by %s', (_label, clientId) => {
      expect(refusal(CLAUDE_URL, { ...CLAUDE_DOC, client_id: clientId })).toMatch(/client_id/);
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['not a string', 42],
      ['too long', 'x'.repeat(201)],
    ])('should refuse a client_name that is %s', (_label, name) => {
      expect(refusal(CLAUDE_URL, { ...CLAUDE_DOC, client_name: name })).toMatch(/client_name/);
    });

    it.each([
      ['missing', undefined],
      ['empty', []],
      ['a string', 'https://claude.ai/cb'],
      ['http on a public host', ['http://claude.ai/cb']],
      ['with a fragment', ['https://claude.ai/cb#']],
      ['javascript:', ['javascript:alert(1)']],
      ['a custom scheme not allowed', ['claude://claude.ai/cb']],
    ])('should refuse redirect_uris %s', (_label, uris) => {
      expect(refusal(CLAUDE_URL, { ...CLAUDE_DOC, redirect_uris: uris })).toMatch(/redirect_uri/);
    });

    it.each([
      ['private_key_jwt alone', { token_endpoint_auth_method: 'private_key_jwt' }],
      [
        'private_key_jwt with other non-none choices',
        {
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
        },
      ],
      ['client_secret_basic', { token_endpoint_auth_method: 'client_secret_basic' }],
      ['client_secret_post', { token_endpoint_auth_method: 'client_secret_post' }],
    ])('should refuse a document authenticating with %s', (_label, patch) => {
      expect(refusal(CLAUDE_URL, { ...CLAUDE_DOC, ...patch })).toMatch(
        /token_endpoint_auth_method/,
      );
    });

    it('should refuse a document carrying a client_secret', () => {
      expect(refusal(CLAUDE_URL, { ...CLAUDE_DOC, client_secret: 's' })).toMatch(/client_secret/);
    });

    it('should refuse response types without code', () => {
      expect(refusal(CLAUDE_URL, { ...CLAUDE_DOC, response_types: ['token'] })).toMatch(
        /response_types/,
      );
    });

    it.each([
      ['not JSON', '<html>hello</html>'],
      ['empty', ''],
      ['null', 'null'],
      ['an array', JSON.stringify([CLAUDE_DOC])],
      ['a string', '"https://claude.ai/oauth/mcp-oauth-client-metadata"'],
    ])('should refuse a body that is %s', (_label, body) => {
      expect(() => sut(CLAUDE_URL, body)).toThrow(MetadataDocumentError);
    });

    it('should keep only known scopes', () => {
      expect(sut(CLAUDE_URL, { ...CLAUDE_DOC, scope: 'openid mcp:read' }).scope).toBe('mcp:read');
    });
  });

  describe('cacheLifetimeSeconds', () => {
    it.each([
      [undefined, 3600],
      ['', 3600],
      ['public', 3600],
      ['max-age=600', 600],
      ['public, max-age=120, must-revalidate', 120],
      ['MAX-AGE=60', 60],
      ['max-age=0', 0],
      ['max-age=31536000', 86400],
      ['no-store', 0],
      ['no-cache, max-age=600', 0],
      ['private, no-store', 0],
      ['max-age=abc', 3600],
      ['s-maxage=100', 3600],
    ])('should reuse a document sent with Cache-Control %p for %d s', (header, seconds) => {
      expect(cacheLifetimeSeconds(header)).toBe(seconds);
    });
  });
});
