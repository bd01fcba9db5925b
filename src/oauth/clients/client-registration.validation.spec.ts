import {
  DEFAULT_CLIENT_NAME,
  validateRegistration,
} from 'src/oauth/clients/client-registration.validation';
import { OAuthError } from 'src/oauth/oauth.errors';
import { DEFAULT_PRIVATE_SCHEMES } from 'src/oauth/redirect/redirect-uri.policy';

const SDK_BODY = {
  client_name: 'MCP CLI',
  redirect_uris: ['http://127.0.0.1:53682/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
  scope: 'mcp:read mcp:write',
};

describe('registration validation', () => {
  const sut = (body: unknown, schemes: readonly string[] = DEFAULT_PRIVATE_SCHEMES) =>
    validateRegistration(body, schemes);

  const refusal = (body: unknown, schemes?: readonly string[]): OAuthError => {
    try {
      sut(body, schemes);
    } catch (err) {
      if (err instanceof OAuthError) return err;
      throw err;
    }
    throw new Error('expected a refusal');
  };

  it('should accept the typical SDK body as it is', () => {
    expect(sut(SDK_BODY)).toEqual({
      clientName: 'MCP CLI',
      redirectUris: ['http://127.0.0.1:53682/callback'],
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      scope: 'mcp:read mcp:write',
    });
  });

  it('should default to client_secret_basic, both grants, code and a placeholder name', () => {
    expect(sut({ redirect_uris: ['https://vscode.dev/redirect'] })).toEqual({
      clientName: DEFAULT_CLIENT_NAME,
      redirectUris: ['https://vscode.dev/redirect'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      scope: null,
    });
  });

  it.each(['none', 'client_secret_post', 'client_secret_basic'])(
    'should accept token_endpoint_auth_method %s',
    (method) => {
      expect(sut({ ...SDK_BODY, token_endpoint_auth_method: method }).tokenEndpointAuthMethod).toBe(
        method,
      );
    },
  );

  it.each([['private_key_jwt'], ['client_secret_jwt'], ['tls_client_auth'], [''], [null], [42]])(
    'should refuse token_endpoint_auth_method %p',
    (method) => {
      expect(refusal({ ...SDK_BODY, token_endpoint_auth_method: method }).error).toBe(
        'invalid_client_metadata',
      );
    },
  );

  it('should accept authorization_code alone', () => {
    expect(sut({ ...SDK_BODY, grant_types: ['authorization_code'] }).grantTypes).toEqual([
      'authorization_code',
    ]);
  });

  it.each([
    [['implicit']],
    [['password']],
    [['client_credentials']],
    [['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code']],
    [['refresh_token']],
    [[]],
    ['authorization_code'],
    [[42]],
    [null],
  ])('should refuse grant_types %p', (grants) => {
    expect(refusal({ ...SDK_BODY, grant_types: grants }).error).toBe('invalid_client_metadata');
  });

  it.each([[['token']], [['code', 'token']], [['id_token']], [[]], ['code'], [null]])(
    'should refuse response_types %p',
    (types) => {
      expect(refusal({ ...SDK_BODY, response_types: types }).error).toBe('invalid_client_metadata');
    },
  );

  it('should name the refused redirect URI', () => {
    const err = refusal({
      ...SDK_BODY,
      redirect_uris: ['https://ok.example/cb', 'http://evil.example/cb'],
    });
    expect(err.error).toBe('invalid_redirect_uri');
    expect(err.description).toContain('"http://evil.example/cb"');
    expect(err.description).toMatch(/http only/);
  });

  it.each([
    ['https://example.com/cb#'],
    ['https://u:p@example.com/cb'],
    ['https://*.example.com/cb'],
    ['javascript:alert(1)'],
    ['data:text/html,x'],
    ['file:///etc/passwd'],
    ['claude://claude.ai/mcp-auth-callback/sdk'],
  ])('should apply the redirect policy to %s', (uri) => {
    expect(refusal({ ...SDK_BODY, redirect_uris: [uri] }).error).toBe('invalid_redirect_uri');
  });

  it('should allow a private-use scheme once the operator configures it', () => {
    const uri = 'claude://claude.ai/mcp-auth-callback/sdk';
    expect(sut({ ...SDK_BODY, redirect_uris: [uri] }, ['claude']).redirectUris).toEqual([uri]);
    expect(refusal({ ...SDK_BODY, redirect_uris: ['cursor://x/cb'] }, ['claude']).error).toBe(
      'invalid_redirect_uri',
    );
  });

  it.each([
    ['missing', undefined],
    ['a string', 'https://example.com/cb'],
    ['empty', []],
    ['holding null', [null]],
    ['too long', Array.from({ length: 21 }, (_, i) => `https://example.com/cb${i}`)],
  ])('should refuse redirect_uris %s', (_label, value) => {
    expect(refusal({ ...SDK_BODY, redirect_uris: value }).error).toBe('invalid_redirect_uri');
  });

  it('should drop duplicate redirect URIs', () => {
    const uri = 'https://example.com/cb';
    expect(sut({ ...SDK_BODY, redirect_uris: [uri, uri] }).redirectUris).toEqual([uri]);
  });

  it.each([
    ['mcp:read openid profile', 'mcp:read'],
    ['mcp offline_access mcp', 'mcp offline_access'],
    ['openid', null],
    ['', null],
  ])('should keep only known scopes of %p', (scope, expected) => {
    expect(sut({ ...SDK_BODY, scope }).scope).toBe(expected);
  });

  it.each([[['mcp:read']], [42], [{}]])('should refuse a scope of %p', (scope) => {
    expect(refusal({ ...SDK_BODY, scope }).error).toBe('invalid_client_metadata');
  });

  it('should keep client_name as given, up to 200 characters', () => {
    const name = '<b>Claude</b> & co';
    expect(sut({ ...SDK_BODY, client_name: name }).clientName).toBe(name);
    expect(sut({ ...SDK_BODY, client_name: 'x'.repeat(200) }).clientName).toHaveLength(200);
    expect(refusal({ ...SDK_BODY, client_name: 'x'.repeat(201) }).error).toBe(
      'invalid_client_metadata',
    );
    expect(refusal({ ...SDK_BODY, client_name: 7 }).error).toBe('invalid_client_metadata');
    expect(sut({ ...SDK_BODY, client_name: '  ' }).clientName).toBe(DEFAULT_CLIENT_NAME);
  });

  it('should ignore client-chosen identifiers and unknown metadata', () => {
    const result = sut({
      ...SDK_BODY,
      client_id: 'mine',
      client_secret: 'secret',
      client_id_issued_at: 1,
      application_type: 'web',
      logo_uri: 'http://169.254.169.254/',
    });
    expect(Object.keys(result).sort()).toEqual([
      'clientName',
      'grantTypes',
      'redirectUris',
      'responseTypes',
      'scope',
      'tokenEndpointAuthMethod',
    ]);
    expect(JSON.stringify(result)).not.toMatch(/mine|secret|169\.254/);
  });

  it.each([[null], [[SDK_BODY]], ['{}'], [42], [undefined]])(
    'should refuse a body that is not a JSON object: %p',
    (body) => {
      expect(refusal(body).error).toBe('invalid_request');
    },
  );
});
