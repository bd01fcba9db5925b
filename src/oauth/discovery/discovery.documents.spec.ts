import { loadAppConfig } from 'src/config/app.config';
import {
  buildAuthorizationServerMetadata,
  buildProtectedResourceMetadata,
  pathInsertedDiscoveryPaths,
} from 'src/oauth/discovery/discovery.documents';

describe('discovery documents', () => {
  const config = loadAppConfig({ PUBLIC_URL: 'https://app.example.com/' });

  it('should describe the MCP resource with the issuer as its only authorization server', () => {
    const sut = buildProtectedResourceMetadata(config);
    expect(sut).toEqual({
      resource: 'https://app.example.com/mcp',
      authorization_servers: ['https://app.example.com'],
      scopes_supported: ['mcp:read', 'mcp:write', 'mcp'],
      bearer_methods_supported: ['header'],
      resource_name: 'Data Product Catalog',
    });
  });

  it('should publish the RFC 8414 metadata exactly, with CIMD advertised', () => {
    const sut = buildAuthorizationServerMetadata(config);
    expect(sut).toEqual({
      issuer: 'https://app.example.com',
      authorization_endpoint: 'https://app.example.com/oauth2/authorize',
      token_endpoint: 'https://app.example.com/oauth2/token',
      registration_endpoint: 'https://app.example.com/register',
      revocation_endpoint: 'https://app.example.com/oauth2/revoke',
      jwks_uri: 'https://app.example.com/.well-known/jwks.json',
      scopes_supported: ['mcp:read', 'mcp:write', 'mcp'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
      revocation_endpoint_auth_methods_supported: [
        'none',
        'client_secret_post',
        'client_secret_basic',
      ],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
    });
  });

  it('should use the configured issuer string in both documents, byte for byte', () => {
    const custom = { ...config, oauth: { ...config.oauth, issuer: 'https://issuer.example.com/' } };
    expect(buildProtectedResourceMetadata(custom).authorization_servers).toEqual([
      'https://issuer.example.com/',
    ]);
    expect(buildAuthorizationServerMetadata(custom).issuer).toBe('https://issuer.example.com/');
  });

  it('should never put offline_access in either document (MCP 2026-07-28 › Refresh Tokens)', () => {
    expect(JSON.stringify(buildProtectedResourceMetadata(config))).not.toContain('offline_access');
    expect(JSON.stringify(buildAuthorizationServerMetadata(config))).not.toContain(
      'offline_access',
    );
  });

  describe('pathInsertedDiscoveryPaths (RFC 8414 §3.1, RFC 9728 §3.1)', () => {
    it('should add nothing at the root', () => {
      expect(pathInsertedDiscoveryPaths(config)).toBeNull();
    });

    it.each([
      ['https://auth.example.com/catalog', '/catalog'],
      ['https://auth.example.com/catalog/', '/catalog'],
      ['https://auth.example.com/tools/catalog', '/tools/catalog'],
    ])('should insert the well-known suffix before the path of %s', (publicUrl, path) => {
      expect(pathInsertedDiscoveryPaths(loadAppConfig({ PUBLIC_URL: publicUrl }))).toEqual({
        authorizationServer: `/.well-known/oauth-authorization-server${path}`,
        protectedResource: `/.well-known/oauth-protected-resource${path}/mcp`,
      });
    });
  });
});
